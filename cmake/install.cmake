# `cmake --install BUILD --prefix P` and `cpack` (a .deb).  Everything
# installed finds the rest relative to itself, so P can be moved.
include(CMakePackageConfigHelpers)

install(TARGETS quorum RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS quorumlib ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS quorum_shared EXPORT quorumTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES include/quorum.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# the command's ICU stand-ins, found through its DT_RPATH (CMakeLists.txt)
if(TARGET quorum_icu_stub)
  install(TARGETS quorum_icu_stub LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/quorum/icu)
endif()
# quorum-pdfin.so (libqpdf), loaded from LIBDIR/quorum by the library and
# program (src/util/resources.c qres_find_module)
if(TARGET quorum_pdfin)
  install(TARGETS quorum_pdfin LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/quorum)
endif()

# Resources: src/util/resources.c looks for DATADIR/quorum/KIND relative
# to the installed program and library.
install(DIRECTORY fonts styles schema data templates
        DESTINATION ${CMAKE_INSTALL_DATADIR}/quorum)
install(FILES docs/man/quorum.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES docs/man/quorum.3 DESTINATION ${CMAKE_INSTALL_MANDIR}/man3)
install(FILES README.md fonts/LICENSE-Lato.txt fonts/LICENSE-Liberation.txt
              fonts/LICENSE-OpenSans.txt src/pdf/icc/LICENSE-sRGB.txt
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# pkg-config: the prefix is found from the .pc file's own folder, so a
# moved prefix still works.  The static library's dependencies are private.
file(RELATIVE_PATH QUORUM_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
string(REGEX REPLACE "/$" "" QUORUM_PC_TO_PREFIX "${QUORUM_PC_TO_PREFIX}")
configure_file(cmake/quorum.pc.in ${CMAKE_BINARY_DIR}/quorum.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/quorum.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# CMake: find_package(quorum) gives quorum::quorum (the shared library).
set(QUORUM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/quorum)
install(EXPORT quorumTargets NAMESPACE quorum:: DESTINATION ${QUORUM_CMAKE_DIR})
configure_package_config_file(cmake/quorumConfig.cmake.in
  ${CMAKE_BINARY_DIR}/quorumConfig.cmake INSTALL_DESTINATION ${QUORUM_CMAKE_DIR})
# 0.x releases make no compatibility promise between minor versions.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/quorumConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/quorumConfig.cmake
              ${CMAKE_BINARY_DIR}/quorumConfigVersion.cmake
        DESTINATION ${QUORUM_CMAKE_DIR})

# `cpack` in the build folder: quorum_VERSION_ARCH.deb for Debian 12.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME quorum)
set(CPACK_PACKAGE_VENDOR quorum)
set(CPACK_PACKAGE_CONTACT "quorum maintainers <quorum@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "committee reports from XML to paginated, tagged PDF")
set(CPACK_PACKAGE_DESCRIPTION
    "quorum turns an XML description of a UK council committee report into the paginated PDF that councillors read, and assembles a meeting's agenda pack. The package has the quorum command, the library (static and shared), its header, pkg-config and CMake files, the fonts and house styles.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.34), libhpdf-2.3.0, libxml2 (>= 2.9), zlib1g, libpng16-16 (>= 1.6), libjpeg62-turbo, libzip4 (>= 1.7), libqpdf29 (>= 11.3), libstdc++6, libdeflate0 (>= 1.14)")
# A shlibs file and the ldconfig trigger for libquorum.so.N.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_SOURCE_IGNORE_FILES /build /\\.git)
include(CPack)
