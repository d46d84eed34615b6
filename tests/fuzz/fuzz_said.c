/* libFuzzer harness: the reader of what a report said, kept with its
 * entry in a pack's cache (qpack_said_read, src/pack/pack_said.c): a
 * rebuild replays those warnings instead of checking the report again,
 * so the bytes come from a folder on disk anyone may have written.  Each
 * input is tried as it is and after the format's magic and the harness's
 * meeting key, so the fuzzer gets past them to the reader.  What it
 * lets through is replayed into two lists and printed with their source
 * lines: that must be safe too.  The corpus (tests/fuzz/corpus/said)
 * holds what qpack_said_write wrote for a report with warnings. */
#include "fuzz.h"

#include "meeting.h"
#include "util.h"

static const unsigned char key[32] = "fuzz_said: the harness's key";

static void try_bytes(const unsigned char *b, size_t n) {
    qarena *a = qarena_new(0);
    const qpack_said *s = NULL;
    if (qpack_said_read(a, b, n, key, &s) == 0) {
        FUZZ_ASSERT(s != NULL);
        quorum_diags *check = quorum_diags_new(), *lay = quorum_diags_new();
        qpack_said_replay(s, check, lay);
        FUZZ_ASSERT(quorum_diags_count(check) + quorum_diags_count(lay) ==
                    qpack_said_count(s));
        char *text = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        FUZZ_ASSERT(m != NULL);
        quorum_diags_write_options o = {.source = 1};
        quorum_diags_write(check, m, &o);
        quorum_diags_write(lay, m, &o);
        fclose(m);
        if (fuzz_verbose()) fprintf(stderr, "read, replayed:\n%s", text);
        free(text);
        quorum_diags_free(check);
        quorum_diags_free(lay);
    } else {
        FUZZ_ASSERT(s == NULL);
    }
    qarena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    try_bytes(data, size);
    static const char magic[] = "quorum said 1"; /* pack_said.c's, with its NUL */
    size_t head = sizeof magic + sizeof key;
    unsigned char *b = malloc(head + size + 1);
    if (!b) return 0;
    memcpy(b, magic, sizeof magic);
    memcpy(b + sizeof magic, key, sizeof key);
    if (size) memcpy(b + head, data, size);
    try_bytes(b, head + size);
    free(b);
    return 0;
}
