/* The pack's cache of report layouts (pack/pack_cache.c): an entry put is
 * got back whole under its key only; a cut, changed, foreign or
 * other-version entry, a link, a FIFO or a folder in its place is not
 * used (and never blocks); the prune removes only stale entries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dlist.h"
#include "doc.h"
#include "meeting.h"
#include "style.h"
#include "test_engine.h"
#include "test_util.h"
#define TE test_engine()

static char dir[] = "/tmp/quorum-test-cache-XXXXXX";
static char cache_dir[4200];

static qfonts *fonts(void) { return qfonts_new(TE->fonts, TE->font_dir); }

static qpack_cache *open_cache(qfonts **f) {
    quorum_diags *d = quorum_diags_new();
    const qstyle *s = qstyle_get(TE, NULL, TE->font_dir, d);
    assert_non_null(s);
    quorum_diags_free(d);
    *f = fonts();
    return qpack_cache_open(TE, cache_dir, s, *f);
}

static quorum_layout *sample(void) {
    const char *root = getenv("QUORUM_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/input/council-2025-01-29/report.xml", root ? root : ".");
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load(TE, path, d);
    assert_non_null(doc);
    quorum_layout *l = quorum_doc_layout(TE, doc, NULL, d);
    assert_non_null(l);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    return l;
}

static char *dump(const qdlist *dl, size_t *n) {
    char *buf = NULL;
    FILE *f = open_memstream(&buf, n);
    assert_non_null(f);
    qdlist_dump(dl, f);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static const char *entry(const unsigned char key[32], char *buf, size_t n) {
    char hex[65];
    qsha256_hex(key, hex);
    snprintf(buf, n, "%s/%s.qdl", cache_dir, hex);
    return buf;
}

static int got(qpack_cache *c, const unsigned char key[32]) {
    qdlist *dl = qpack_cache_get(c, key, fonts());
    qdlist_free(dl);
    return dl != NULL;
}

static void rewrite(const char *path, const unsigned char *b, size_t n) {
    unlink(path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void test_cache(void **state) {
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(cache_dir, sizeof cache_dir, "%s/pack.cache", dir);
    qfonts *f = NULL;
    qpack_cache *c = open_cache(&f);
    unsigned char hash[32] = {7}, k9[32], k10[32], k9b[32];
    qpack_cache_key(c, hash, "9", k9);
    qpack_cache_key(c, hash, "10", k10);
    assert_memory_not_equal(k9, k10, 32);
    /* the key is the same for another cache over the same style and fonts */
    qfonts *f2 = NULL;
    qpack_cache *c2 = open_cache(&f2);
    qpack_cache_key(c2, hash, "9", k9b);
    assert_memory_equal(k9, k9b, 32);
    qpack_cache_close(c2);
    qfonts_free(f2);

    quorum_layout *l = sample();
    assert_false(got(c, k9)); /* no folder yet */
    assert_int_equal(qpack_cache_put(c, k9, l->dl), 0);
    qdlist *back = qpack_cache_get(c, k9, fonts());
    assert_non_null(back);
    size_t n1, n2;
    char *t1 = dump(l->dl, &n1), *t2 = dump(back, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(t1, t2, n1);
    free(t1);
    free(t2);
    qdlist_free(back);
    assert_false(got(c, k10)); /* another number, another entry */

    char p9[4300], p10[4300];
    entry(k9, p9, sizeof p9);
    entry(k10, p10, sizeof p10);
    size_t n = 0;
    unsigned char *b = test_slurp_must(p9, &n);
    /* cut short, or one byte changed: not used, and the next put mends it */
    rewrite(p9, b, n / 2);
    assert_false(got(c, k9));
    b[n / 3] ^= 1;
    rewrite(p9, b, n);
    assert_false(got(c, k9));
    b[n / 3] ^= 1;
    /* foreign: k9's entry under k10's name */
    rewrite(p10, b, n);
    assert_false(got(c, k10));
    unlink(p10);
    /* empty, a link to a good entry, a FIFO, a folder: not used, no wait */
    rewrite(p9, b, 0);
    assert_false(got(c, k9));
    char good[4300];
    snprintf(good, sizeof good, "%s/good", dir);
    rewrite(good, b, n);
    unlink(p9);
    assert_int_equal(symlink(good, p9), 0);
    assert_false(got(c, k9));
    unlink(p9);
    assert_int_equal(mkfifo(p9, 0600), 0);
    assert_false(got(c, k9));
    unlink(p9);
    assert_int_equal(mkdir(p9, 0700), 0);
    assert_false(got(c, k9));
    assert_int_not_equal(qpack_cache_put(c, k9, l->dl), 0); /* a folder stays */
    rmdir(p9);
    assert_int_equal(qpack_cache_put(c, k9, l->dl), 0);
    assert_true(got(c, k9));
    qpack_cache_close(c);

    /* the prune: a new run that used only k10 removes k9's entry, and
     * leaves what is not an entry */
    c = open_cache(&f2);
    assert_int_equal(qpack_cache_put(c, k10, l->dl), 0);
    char other[4300];
    snprintf(other, sizeof other, "%s/notes.txt", cache_dir);
    rewrite(other, (const unsigned char *)"x", 1);
    qpack_cache_prune(c);
    assert_int_equal(access(p9, F_OK), -1);
    assert_int_equal(access(p10, F_OK), 0);
    assert_int_equal(access(other, F_OK), 0);
    qpack_cache_close(c);
    qfonts_free(f2);
    qfonts_free(f);

    unlink(p10);
    unlink(other);
    unlink(good);
    rmdir(cache_dir);
    rmdir(dir);
    free(b);
    quorum_layout_free(l);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
