/* libFuzzer harness: the input is a council's mapping file for Word
 * import (docs/import.md), read by dx_mapping_load from a file as
 * `quorum import --mapping FILE` reads it (the loader takes a path, so
 * the bytes are written to a temporary file first); every style and label
 * it gives is then looked up as the import would.  Seeds: the example in
 * docs/import.md and one with the mistakes the loader reports. */
#include "fuzz.h"

#include <unistd.h>

#include "docx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[] = "/tmp/fuzz-mapping-XXXXXX";
    int fd = mkstemp(path);
    FUZZ_ASSERT(fd >= 0);
    FUZZ_ASSERT(size == 0 || write(fd, data, size) == (ssize_t)size);
    FUZZ_ASSERT(close(fd) == 0);
    quorum_diags *d = quorum_diags_new();
    dxmapping m;
    int rc = dx_mapping_load(&m, path, d);
    FUZZ_ASSERT(rc == 0 || fuzz_errors(d) > 0);
    for (size_t i = 0; rc == 0 && i < m.nstyles; i++)
        FUZZ_ASSERT(m.styles[i].name != NULL);
    for (size_t i = 0; rc == 0 && i < m.nlabels; i++)
        FUZZ_ASSERT(m.labels[i].label != NULL && m.labels[i].role != NULL);
    dx_mapping_free(&m); /* after an error too: the loader keeps its document */
    unlink(path);
    fuzz_diags_done(d);
    return 0;
}
