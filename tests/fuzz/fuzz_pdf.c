/* libFuzzer harness: the input is a report, through load + check +
 * layout to a PDF in memory (plain, archive copy or sink, picked by the
 * input's length: fuzz.h), with the public API only; its appendices and
 * images come from the fixed files of fuzz.h. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_report((const char *)data, size, fuzz_resolve, NULL,
                (int)(size % FUZZ_PDF_WAYS));
    return 0;
}
