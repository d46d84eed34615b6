/* The fast validator against libxml2's (src/load/load_valid.c): reads
 * documents from stdin, each as its length in decimal, a newline and its
 * bytes, and writes one line a document: "fast full" (1 valid, 0 not
 * known / invalid; "-1 -1" when not well-formed).  tests/e2e/valid_diff.py
 * makes the documents (the repository's XML files and mutations of them)
 * and fails on any "1 0". */
#include <stdio.h>
#include <stdlib.h>

#include "load.h"

int main(void) {
    size_t len;
    while (scanf("%zu", &len) == 1) {
        if (getchar() != '\n') return 2;
        char *buf = malloc(len ? len : 1);
        if (!buf || fread(buf, 1, len, stdin) != len) return 2;
        int fast, full;
        if (qload_valid_compare(buf, len, &fast, &full) < 0) fast = full = -1;
        printf("%d %d\n", fast, full);
        fflush(stdout);
        free(buf);
    }
    return 0;
}
