/* A program built against an installed quorum (tests/e2e/install.sh,
 * deb.sh): renders a report with the shared library, which must find its
 * fonts beside itself. */
#include <quorum.h>
#include <stdio.h>
#include <string.h>

#if !defined(QUORUM_VERSION_NUMBER) || QUORUM_VERSION_NUMBER < 0x000100
#error "QUORUM_VERSION_NUMBER missing or too old"
#endif

int main(int argc, char **argv) {
    if (argc != 3) return 2;
    if (strcmp(quorum_version(), QUORUM_VERSION_STRING) != 0) {
        fprintf(stderr, "library %s, header %s\n", quorum_version(),
                QUORUM_VERSION_STRING);
        return 1;
    }
    quorum_diags *d = quorum_diags_new();
    quorum_engine_options eo;
    quorum_engine_options_init(&eo);
    quorum_engine *e = quorum_engine_new(&eo, d);
    quorum_doc *doc = e ? quorum_doc_load(e, argv[1], d) : NULL;
    int rc = 1;
    if (doc && quorum_doc_check(e, doc, NULL, d) == 0) {
        quorum_layout *l = quorum_doc_layout(e, doc, NULL, d);
        if (l && quorum_layout_write_pdf(l, argv[2], d) == QUORUM_OK) {
            printf("%zu pages\n", quorum_layout_page_count(l));
            rc = 0;
        }
        quorum_layout_free(l);
    }
    quorum_diags_sort(d);
    quorum_diags_print(d, stderr, 0);
    quorum_doc_free(doc);
    quorum_engine_free(e);
    quorum_diags_free(d);
    return rc;
}
