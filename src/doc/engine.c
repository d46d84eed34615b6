/* The engine: made once, then only read (doc.h, quorum.h "Threads"). */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "load.h"
#include "pdfin.h"
#include "style.h"

void quorum_engine_options_init(quorum_engine_options *o) {
    if (!o) return;
    memset(o, 0, sizeof *o);
    o->source_date_epoch = -1;
}

static char *dup_or_null(const char *s) {
    if (!s) return NULL;
    char *p = strdup(s);
    if (!p) qfatal_oom();
    return p;
}

/* A folder named by the caller, else the one beside the library or
 * program.  When neither exists the relative name is kept: a file opened
 * there fails with a diagnostic that names it, at the stage that needs
 * it, and a check that needs no fonts still runs. */
static char *resource_dir(const char *given, const char *kind) {
    if (given && *given) return dup_or_null(given);
    char *found = qres_find_dir(kind);
    return found ? found : dup_or_null(kind);
}

quorum_engine *quorum_engine_new(const quorum_engine_options *o,
                                 quorum_diags *d) {
    quorum_engine_options def;
    if (!o) {
        quorum_engine_options_init(&def);
        o = &def;
    }
    qload_init_once();
    quorum_engine *e = calloc(1, sizeof *e);
    if (!e) qfatal_oom();
    e->font_dir = resource_dir(o->font_dir, "fonts");
    e->style_dir = resource_dir(o->style_dir, "styles");
    e->holidays_path =
        o->holidays_path && *o->holidays_path ? dup_or_null(o->holidays_path) : NULL;
    e->source_date_epoch = o->source_date_epoch >= 0 ? o->source_date_epoch : -1;
    e->jobs = o->jobs ? (o->jobs > QUORUM_MAX_JOBS ? QUORUM_MAX_JOBS : o->jobs) : 2;
    e->limits.file_bytes = o->limits.file_bytes ? o->limits.file_bytes : QLOAD_MAX_BYTES;
    e->limits.image_bytes = o->limits.image_bytes ? o->limits.image_bytes : QIMG_MAX_BYTES;
    e->limits.depth = o->limits.depth ? o->limits.depth : QLOAD_MAX_DEPTH;
    e->limits.pixels = o->limits.pixels ? o->limits.pixels : QIMG_MAX_PIXELS;
    e->limits.pdf_bytes = o->limits.pdf_bytes ? o->limits.pdf_bytes : QPDFIN_MAX_BYTES;
    e->limits.extract_bytes =
        o->limits.extract_bytes ? o->limits.extract_bytes : QPDFIN_MAX_EXTRACT;
    e->limits.pdf_pages = o->limits.pdf_pages ? o->limits.pdf_pages : QPDFIN_MAX_PAGES;
    e->limits.pdf_objects = o->limits.pdf_objects ? o->limits.pdf_objects : QPDFIN_MAX_OBJECTS;
    e->fonts = qfont_cache_new();
    e->styles = qstyle_cache_new();
    const char *sp = o->schema_path && *o->schema_path ? o->schema_path : NULL;
    if (!(e->schema = qload_schema_parse(sp, d))) {
        quorum_engine_free(e);
        return NULL;
    }
    return e;
}

void quorum_engine_free(quorum_engine *e) {
    if (!e) return;
    qload_schema_free(e->schema);
    qstyle_cache_free(e->styles);
    qfont_cache_free(e->fonts);
    free(e->font_dir);
    free(e->style_dir);
    free(e->holidays_path);
    free(e);
}
