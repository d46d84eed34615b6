/* libFuzzer harness: the input is an XML document, given to the fast
 * validator (src/load/load_valid.c) and to libxml2's validation against
 * the compiled-in schema (qload_valid_compare); the fast one saying
 * valid where libxml2 says invalid traps.  Seeds: the reports and
 * meeting files of input/ and tests/ (run.sh), so mutations start from
 * valid documents; the replay test adds the sample and tests/invalid. */
#include "fuzz.h"

#include "load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int fast = 0, full = 0;
    if (qload_valid_compare((const char *)data, size, &fast, &full) < 0) return 0;
    if (fuzz_verbose()) fprintf(stderr, "fast %d, libxml2 %d\n", fast, full);
    FUZZ_ASSERT(!fast || full);
    return 0;
}
