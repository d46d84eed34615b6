/* The engine (quorum.h): what every stage reads and none changes.  Made
 * once by quorum_engine_new, shared read-only by any number of threads.
 * The one part filled in after creation, the font file cache, has its own
 * lock (font.c); everything else is written only before quorum_engine_new
 * returns. */
#ifndef QUORUM_ENGINE_H
#define QUORUM_ENGINE_H
#include "font.h"
#include "quorum.h"

struct _xmlSchema;
struct _xmlDoc;

struct quorum_engine {
    char *font_dir;      /* resolved: never NULL */
    char *style_dir;     /* resolved: never NULL */
    char *holidays_path; /* NULL: the compiled-in list */
    /* The report schema, parsed once.  Validation only reads it, so
     * threads validating at once share it (libxml2 keeps per-validation
     * state in the validation context). */
    struct _xmlSchema *schema;
    struct _xmlDoc *schema_doc; /* its XML, kept while the schema lives */
    long long source_date_epoch; /* -1: none */
    qfont_cache *fonts;
};
#endif
