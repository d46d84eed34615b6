/* One engine for a test program, made on first use with the source
 * tree's fonts and styles (tests run from the build tree, where the
 * resources beside the program are the same folders). */
#ifndef QUORUM_TEST_ENGINE_H
#define QUORUM_TEST_ENGINE_H
#include <stdio.h>
#include <stdlib.h>

#include "quorum.h"

static inline quorum_engine *test_engine_with(const char *font_dir,
                                       const char *style_dir,
                                       const char *schema_path) {
    const char *src = getenv("QUORUM_SOURCE_DIR");
    static char fonts[4096], styles[4096];
    snprintf(fonts, sizeof fonts, "%s/fonts", src ? src : ".");
    snprintf(styles, sizeof styles, "%s/styles", src ? src : ".");
    quorum_engine_options o;
    quorum_engine_options_init(&o);
    o.font_dir = font_dir ? font_dir : fonts;
    o.style_dir = style_dir ? style_dir : styles;
    o.schema_path = schema_path;
    quorum_diags *d = quorum_diags_new();
    quorum_engine *e = quorum_engine_new(&o, d);
    if (!e) quorum_diags_print(d, stderr, 0);
    quorum_diags_free(d);
    return e;
}

static quorum_engine *g_test_engine;
static void test_engine_free(void) { quorum_engine_free(g_test_engine); }

static inline const quorum_engine *test_engine(void) {
    if (!g_test_engine) {
        g_test_engine = test_engine_with(NULL, NULL, NULL);
        if (!g_test_engine) abort();
        atexit(test_engine_free);
    }
    return g_test_engine;
}

#ifdef QUORUM_FONT_H
/* Font sets outside an engine (tests of font, linebreak, pdf): one cache
 * for the program, as an engine would hold. */
static qfont_cache *g_test_font_cache;
static void test_font_cache_free(void) { qfont_cache_free(g_test_font_cache); }
static inline qfonts *test_fonts(const char *dir) {
    if (!g_test_font_cache) {
        g_test_font_cache = qfont_cache_new();
        atexit(test_font_cache_free);
    }
    return qfonts_new(g_test_font_cache, dir);
}
#endif
#endif
