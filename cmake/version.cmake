# include/quorum.h carries the version as numbers for the preprocessor
# (QUORUM_VERSION_MAJOR/_MINOR/_PATCH, QUORUM_VERSION_NUMBER 0xMMmmpp) and
# as QUORUM_VERSION_STRING; project(VERSION) is the other copy.  Configure
# fails when they disagree.  Also run as a script by the tests:
#   cmake -DHEADER=quorum.h -DVERSION=0.1.0 -P version.cmake
function(quorum_check_header_version header version)
  if(NOT CMAKE_SCRIPT_MODE_FILE)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${header})
  endif()
  file(STRINGS ${header} lines REGEX "^#define QUORUM_VERSION_")
  string(REPLACE "." ";" parts "${version}")
  list(GET parts 0 major)
  list(GET parts 1 minor)
  list(GET parts 2 patch)
  math(EXPR number "(${major} << 16) | (${minor} << 8) | ${patch}"
       OUTPUT_FORMAT HEXADECIMAL)
  foreach(pair "MAJOR;${major}" "MINOR;${minor}" "PATCH;${patch}"
               "STRING;\"${version}\"" "NUMBER;${number}")
    list(GET pair 0 name)
    list(GET pair 1 want)
    set(got "")
    foreach(line ${lines})
      if(line MATCHES "^#define QUORUM_VERSION_${name}[ \t]+([^ \t]+)")
        set(got ${CMAKE_MATCH_1})
      endif()
    endforeach()
    if(name STREQUAL "NUMBER" AND got MATCHES "^0[xX][0-9a-fA-F]+$")
      math(EXPR got "${got}" OUTPUT_FORMAT HEXADECIMAL)
    endif()
    if(NOT got STREQUAL want)
      message(FATAL_ERROR "${header}: QUORUM_VERSION_${name} is '${got}', "
              "project(VERSION ${version}) wants '${want}'")
    endif()
  endforeach()
endfunction()

if(CMAKE_SCRIPT_MODE_FILE AND HEADER)
  quorum_check_header_version(${HEADER} ${VERSION})
endif()
