/* libFuzzer harness: the input is a council's strings file (a style's
 * <strings src="…"/>: its own words, docs/style.md "Languages"), read by
 * the words table's one parser from memory (qw_load_memory).  A table
 * that loads is then used as a style's would be: the words for its
 * language and for Welsh and English, every key formatted with
 * placeholders filled, dates and page numbers, so a text the parser let
 * through is also safe to print.  Seeds: data/strings/ and
 * tests/invalid/strings/ (tests/fuzz/corpus/strings). */
#include "fuzz.h"

#include "words.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    (void)fuzz_engine(); /* the loader's set-up, as every harness has it */
    quorum_diags *d = quorum_diags_new();
    qarena *a = qarena_new(0);
    qw_table *t = qw_load_memory((const char *)data, size, "/nonexistent/fuzz.strings.xml",
                                 a, d);
    FUZZ_ASSERT(t || fuzz_errors(d) > 0);
    if (t) {
        static const char *const langs[] = {NULL, "cy", "cy-GB", "en-GB", "fr"};
        for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
            const qw_words *w = qw_for(a, t, langs[i]);
            FUZZ_ASSERT(w);
            for (int k = 0; k < QW__COUNT; k++) {
                const char *s = qw_fmt(a, w, (qw_key)k, "1", "2", "3", "4");
                FUZZ_ASSERT(s);
                FUZZ_ASSERT(qw_key_name((qw_key)k));
            }
            FUZZ_ASSERT(qw_date(a, w, "2025-01-29", 1));
            FUZZ_ASSERT(qw_page_of(a, w, 3, 12));
        }
    }
    qarena_free(a);
    fuzz_diags_done(d);
    return 0;
}
