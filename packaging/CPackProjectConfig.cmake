# Read by cpack once per generator (CPACK_PROJECT_CONFIG_FILE), after CPACK_GENERATOR names the
# generator at work.

if(CPACK_GENERATOR STREQUAL "DEB")
    # CPackDeb puts CPACK_PACKAGE_DESCRIPTION_SUMMARY in front of every component's description
    # unless it is CPack's own default. Each package's description already starts with its own
    # synopsis line, so the shared project summary would give both packages the same one.
    set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CPACK_DEFAULT_PACKAGE_DESCRIPTION_SUMMARY}")
endif()
