# The hub is one static library per folder of server/, linked only along the arrows drawn in
# docs/architecture.md. switchboard_layer() makes a folder's library and records its arrows;
# switchboard_write_layers() writes them to <build>/server-layers.txt, which
# scripts/layers.py reads to check every #include against them (the CTest test `layers`): a
# folder may include its own headers and those of the folders it names in DEPENDS, nothing
# else.
#
#   switchboard_layer(<folder> [SELF_REGISTERING] DEPENDS <folder>... SOURCES <file>...
#                     [LIBRARIES <target>...])
#
# SELF_REGISTERING: the folder's files register themselves from static initialisers (message
# handlers, job types), which a linker would drop from a static library nobody references
# them in; its dependents take the whole archive.

function(switchboard_layer_target folder out)
    set(target switchboard_${folder})
    get_property(whole GLOBAL PROPERTY SWITCHBOARD_WHOLE_ARCHIVE_${folder})
    if(whole)
        set(target "$<LINK_LIBRARY:WHOLE_ARCHIVE,${target}>")
    endif()
    set(${out} ${target} PARENT_SCOPE)
endfunction()

function(switchboard_layer folder)
    cmake_parse_arguments(ARG "SELF_REGISTERING" "" "DEPENDS;SOURCES;LIBRARIES" ${ARGN})
    set(target switchboard_${folder})
    add_library(${target} STATIC ${ARG_SOURCES})
    target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
    foreach(dependency IN LISTS ARG_DEPENDS)
        if(NOT TARGET switchboard_${dependency})
            message(FATAL_ERROR "layer ${folder}: ${dependency} must be declared before it")
        endif()
        switchboard_layer_target(${dependency} linked)
        target_link_libraries(${target} PUBLIC ${linked})
    endforeach()
    target_link_libraries(${target} PUBLIC ${ARG_LIBRARIES})
    switchboard_apply_defaults(${target})
    if(ARG_SELF_REGISTERING)
        set_property(GLOBAL PROPERTY SWITCHBOARD_WHOLE_ARCHIVE_${folder} TRUE)
    endif()
    string(JOIN " " dependencies ${ARG_DEPENDS})
    set_property(GLOBAL APPEND PROPERTY SWITCHBOARD_LAYERS "${folder}: ${dependencies}")
endfunction()

# `public` lists the headers (relative to server/) that app/ and ui/ may include: the hub's
# public face.
function(switchboard_write_layers)
    cmake_parse_arguments(ARG "" "" "PUBLIC" ${ARGN})
    get_property(layers GLOBAL PROPERTY SWITCHBOARD_LAYERS)
    string(REPLACE ";" "\n" lines "${layers}")
    string(REPLACE ";" " " public "${ARG_PUBLIC}")
    file(WRITE ${CMAKE_BINARY_DIR}/server-layers.txt "${lines}\npublic: ${public}\n")
endfunction()
