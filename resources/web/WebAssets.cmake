# The web dashboard, the client library and the 002 demo page (SPEC §2.1, §10), included by
# server/CMakeLists.txt and embedded in the hub as :/web/... . Browser libraries come from npm
# (web/package.json): their files are copied out of web/node_modules at configure time, so
# the hub serves them without any network or build step of its own.

set(switchboard_web_dir ${CMAKE_CURRENT_LIST_DIR})
get_filename_component(switchboard_web_npm_dir ${CMAKE_CURRENT_LIST_DIR}/../../web ABSOLUTE)

# Served as they are. A new page or script is added here and in WebRoutes.cpp's table.
set(switchboard_web_files
    index.html
    dashboard.css
    dashboard.js
    client.js
    websocket-demo.html
    websocket-demo.js
    favicon.svg
)

# From npm: the package, the files of its dist/ folder to embed.
set(switchboard_web_vendor_uplot uPlot.esm.js uPlot.min.css)

function(switchboard_add_web_assets target)
    set(uplot_dir ${switchboard_web_npm_dir}/node_modules/uplot)
    if(NOT EXISTS ${uplot_dir}/package.json)
        message(FATAL_ERROR
            "The web dashboard's npm packages are missing (${uplot_dir}). "
            "Run scripts/install-deps.sh (or `npm ci` in web/) and configure again.")
    endif()
    file(READ ${uplot_dir}/package.json uplot_package)
    string(JSON uplot_version GET "${uplot_package}" version)

    set(staging ${CMAKE_CURRENT_BINARY_DIR}/web)
    set(files)
    foreach(file IN LISTS switchboard_web_files)
        list(APPEND files ${switchboard_web_dir}/${file})
    endforeach()
    qt_add_resources(${target} switchboard_web
        PREFIX /web
        BASE ${switchboard_web_dir}
        FILES ${files})

    set(vendor_files)
    foreach(file IN LISTS switchboard_web_vendor_uplot)
        configure_file(${uplot_dir}/dist/${file} ${staging}/vendor/${file} COPYONLY)
        list(APPEND vendor_files ${staging}/vendor/${file})
    endforeach()
    qt_add_resources(${target} switchboard_web_vendor
        PREFIX /web
        BASE ${staging}
        FILES ${vendor_files})
    target_compile_definitions(${target} PRIVATE
        SWITCHBOARD_UPLOT_VERSION="${uplot_version}")
endfunction()
