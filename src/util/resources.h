/* Where quorum's resource folders are when the caller names none: beside
 * the installed library or program, never a path compiled in, so an
 * installed tree can be moved (a relocatable prefix) and a checkout can be
 * deleted after `cmake --install`. */
#ifndef QUORUM_RESOURCES_H
#define QUORUM_RESOURCES_H

/* kind: "fonts", "styles", "schema" or "data".  Looks, in order, for
 *   LIBDIR/REL/quorum/KIND        (installed: REL leads from the install
 *                                  layout's lib or bin folder to its
 *                                  share, e.g. ../../share from Debian's
 *                                  lib/x86_64-linux-gnu)
 *   LIBDIR/../share/quorum/KIND   (PREFIX/lib and PREFIX/bin)
 *   LIBDIR/share/quorum/KIND      (the build tree, which CMake links so)
 * where LIBDIR is the folder of the shared library holding this code, or
 * of the program when it is linked statically (symlinks to either
 * resolved first).  Returns a malloc'd path
 * of an existing directory, or NULL when none exists. */
char *qres_find_dir(const char *kind);

/* The file the library's code was loaded from (shared library or
 * program), malloc'd absolute path, or NULL. */
char *qres_self_path(void);
#endif
