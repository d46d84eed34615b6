/* libFuzzer harness: the pack manifest's strict reader (qmanifest_parse)
 * on arbitrary bytes, as --since reads a file it is given.  Built by
 * CMake with QUORUM_FUZZ like fuzz_pipeline; run it with
 *     build/fuzz/build/fuzz_manifest -max_total_time=60 CORPUS
 * seeded with a few manifests that quorum pack wrote. */
#include <stddef.h>
#include <stdint.h>

#include "meeting.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    qarena *a = qarena_new(0);
    quorum_diags *d = quorum_diags_new();
    qmanifest m;
    if (qmanifest_parse(a, (const char *)data, size, "fuzz.manifest", &m, d) == 0) {
        /* what the layout then does with it */
        for (size_t i = 0; i < m.nitems; i++)
            if (qmanifest_find(&m, m.items[i].key) == NULL) __builtin_trap();
    } else if (quorum_diags_count_severity(d, QUORUM_ERROR) != 1) {
        __builtin_trap(); /* a refusal says why, once */
    }
    quorum_diags_free(d);
    qarena_free(a);
    return 0;
}
