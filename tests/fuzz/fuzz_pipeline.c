/* libFuzzer harness: the input is a report (or meeting file), through
 * load + check + layout, with the public API only; its appendices and
 * images come from the fixed files of fuzz.h, so nothing is read from the
 * file system.  The fastest harness: fuzz_pdf.c goes on to the PDF. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_report((const char *)data, size, fuzz_resolve, NULL, -1);
    return 0;
}
