/* libFuzzer harness: quorum extract's reader (src/pdfin, libqpdf) on
 * arbitrary bytes, as `quorum extract FILE.pdf DIR` reads the file:
 * open, find the embedded files, decode each under the output cap.
 * Nothing is written (the writing is the same for any input).  What it
 * promises: a refusal says why, a name is as long as it says, decoding
 * never passes the cap, and no input costs more than the cap in memory.
 * Seeds: tests/fuzz/corpus/extract (small PDFs with files embedded each
 * way extract reads them, one re-saved by qpdf with object streams). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdfin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CAP ((size_t)1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char why[256] = "";
    qpdfin *q = qpdfin_open(data, size, why, sizeof why);
    if (!q) {
        if (!why[0]) __builtin_trap();
        return 0;
    }
    long n = qpdfin_find_files(q, why, sizeof why);
    if (n < 0 && !why[0]) __builtin_trap();
    size_t budget = FUZZ_CAP;
    for (long i = 0; i < n; i++) {
        size_t len;
        const char *name = qpdfin_file_name(q, (size_t)i, &len);
        if (!name || strnlen(name, len + 1) > len) __builtin_trap();
        unsigned char *out, sum[16];
        int has_sum;
        why[0] = 0;
        int r = qpdfin_file_data(q, (size_t)i, budget, &out, &len, &has_sum, sum,
                                 why, sizeof why);
        if (r == 0) {
            if (len > budget || (len && !out)) __builtin_trap();
            budget -= len;
            free(out);
        } else if (out || (r < 0 && !why[0]) || (r != 1 && r != -1)) {
            __builtin_trap();
        }
    }
    qpdfin_close(q);
    return 0;
}
