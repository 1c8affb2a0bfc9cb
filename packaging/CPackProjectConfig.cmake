# Read by cpack once per generator (CPACK_PROJECT_CONFIG_FILE), after CPACK_GENERATOR names the
# generator at work.

if(CPACK_GENERATOR STREQUAL "DEB")
    # CPackDeb puts CPACK_PACKAGE_DESCRIPTION_SUMMARY in front of every component's description
    # unless it is CPack's own default. Each package's description already starts with its own
    # synopsis line, so the shared project summary would give both packages the same one.
    set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CPACK_DEFAULT_PACKAGE_DESCRIPTION_SUMMARY}")
endif()

if(CPACK_GENERATOR STREQUAL "RPM")
    # CPack makes RPMs relocatable by default (CPACK_PACKAGE_RELOCATABLE). The server's unit
    # and settings name fixed paths (/usr/bin/switchboard-server, /etc/switchboard), so an
    # `rpm --prefix` would install a service that cannot start.
    set(CPACK_PACKAGE_RELOCATABLE OFF)
endif()
