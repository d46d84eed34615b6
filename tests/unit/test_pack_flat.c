/* A pack's writer keeps a bounded amount a report until its save (issue
 * 18: flat memory).  Packs of 4, 12 and 36 copies of the sample report
 * are made as `quorum pack` makes them (drawn on the workers, written
 * beside the layout); the writer's records just before the save
 * (qpdf_last_retained: its arrays by element, the adapter's records,
 * libharu's pool) may grow by at most BOUND bytes a report, and by no
 * more from 12 to 36 than from 4 to 12.  What grows
 * is what the file needs at the end: the parent tree's element numbers,
 * the table's entries, the pages' and the outline's records.  A count of bytes, not a time and not
 * the process's RSS, so it holds on any machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "quorum.h"
#include "dlist.h"
#include "pdf.h"
#include "test_util.h"

/* A copy of the sample report is about 37 pages and 1,900 structure
 * elements; the writer keeps some 53 KB of it to the save: libharu's
 * pool 30 KB (a table entry an object, 8 bytes an element, the pages'
 * dictionaries), the retired pages' text 8 KB, the outline 5 KB, the
 * MCIDs' element numbers 4.5 KB.  Each report's elements go out as it
 * ends (hpdf_objstm.c), records and all: kept to the save they made it
 * 153 KB, with a Figure box for every element 192 KB; a map by the
 * pack's element (the pack kept every report's records) 61 KB.  The
 * table grew by doubling, so a pack of 36 kept 16 KB more a report than
 * one of 12: past 65,536 entries it grows by a quarter. */
enum { BOUND = 58 * 1024 };
/* Element records the pack's layout may keep an item: its agenda entry
 * (a TOCI, its reference, link and label) and its heading's. */
enum { ELEMS_AN_ITEM = 16 };

static void spill(const char *dir, const char *name, const char *s, size_t n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, n, f), n);
    fclose(f);
}

/* The sample meeting with its report replaced by k copies, in dir. */
static void make_meeting(const char *dir, int k) {
    char src[2048], path[4096];
    snprintf(src, sizeof src, "%s/input/council-2025-01-29", getenv("QUORUM_SOURCE_DIR"));
    const char *names[] = {"appendix-1.xml", "appendix-2.xml", "report.xml"};
    char *b[3];
    size_t n[3];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", src, names[i]);
        b[i] = test_slurp_must(path, &n[i]);
        if (i < 2) spill(dir, names[i], b[i], n[i]);
    }
    for (int i = 1; i <= k; i++) {
        char name[32];
        snprintf(name, sizeof name, "report-%d.xml", i);
        spill(dir, name, b[2], n[2]);
    }
    snprintf(path, sizeof path, "%s/meeting.xml", src);
    size_t nm;
    char *m = test_slurp_must(path, &nm);
    const char *one = "report=\"report.xml\"/>";
    char *at = strstr(m, one);
    assert_non_null(at);
    char items[8192] = "";
    for (int i = 1; i <= k; i++) {
        size_t len = strlen(items);
        snprintf(items + len, sizeof items - len,
                 "report=\"report-%d.xml\"/>\n<item id=\"copy-%d\" title=\"Copy %d\" ", i, i, i);
    }
    strcat(items, "/>");  /* the last copy item names no report */
    snprintf(path, sizeof path, "%s/meeting.xml", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(m, 1, (size_t)(at - m), f);
    fputs(items, f);
    fputs(at + strlen(one), f);
    fclose(f);
    for (int i = 0; i < 3; i++) free(b[i]);
    free(m);
}

static void remove_meeting(const char *dir, int k) {
    char path[4096];
    const char *fixed[] = {"appendix-1.xml", "appendix-2.xml", "meeting.xml", "out.pdf",
                           "out.manifest"};
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, fixed[i]);
        remove(path);
    }
    for (int i = 1; i <= k; i++) {
        snprintf(path, sizeof path, "%s/report-%d.xml", dir, i);
        remove(path);
    }
    rmdir(dir);
}

/* An engine on the source tree's fonts and styles, two jobs, a fixed
 * date: the same packs on any machine. */
static quorum_engine *two_job_engine(quorum_diags *d) {
    const char *src = getenv("QUORUM_SOURCE_DIR");
    char fonts[4096], styles[4096];
    snprintf(fonts, sizeof fonts, "%s/fonts", src);
    snprintf(styles, sizeof styles, "%s/styles", src);
    quorum_engine_options o;
    quorum_engine_options_init(&o);
    o.font_dir = fonts;
    o.style_dir = styles;
    o.jobs = 2;
    o.source_date_epoch = 1700000000;
    quorum_engine *e = quorum_engine_new(&o, d);
    assert_non_null(e);
    return e;
}

/* The writer's records at the save of a pack of k copies, made as
 * `quorum pack` makes it, on two jobs; the element records the pack's
 * layout holds at the end in *elems. */
static size_t retained_for(int k, size_t *elems);

/* The element records the pack's layout holds at the end of a pack of k
 * copies laid out with a cache (dir/cache), then of its rebuild (every
 * report a hit), in *first and *again. */
static void rebuilt_records(int k, size_t *first, size_t *again) {
    char dir[64] = "/tmp/quorum-pack-flat-XXXXXX", meeting[128], out[128], cache[128];
    assert_non_null(mkdtemp(dir));
    make_meeting(dir, k);
    snprintf(meeting, sizeof meeting, "%s/meeting.xml", dir);
    snprintf(out, sizeof out, "%s/out.pdf", dir);
    snprintf(cache, sizeof cache, "%s/cache", dir);
    quorum_diags *d = quorum_diags_new();
    quorum_engine *e = two_job_engine(d);
    for (int round = 0; round < 2; round++) {
        quorum_pack *p = quorum_pack_load(e, meeting, d);
        assert_non_null(p);
        quorum_pdf_options write = {0};
        quorum_pack_options po = {NULL, "riverside", NULL, 0, 1, cache, &write, out};
        quorum_layout *l = quorum_pack_layout(e, p, &po, d);
        assert_non_null(l);
        assert_int_equal(quorum_pack_write(p, l, out, &write, d), QUORUM_OK);
        *(round ? again : first) = l->dl->elems.len;
        quorum_layout_free(l);
        quorum_pack_free(p);
    }
    quorum_diags_free(d);
    quorum_engine_free(e);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cache);
    assert_int_equal(system(cmd), 0);
    remove_meeting(dir, k);
}

/* A rebuild's hits carry their element records to the writer with their
 * drawn pages, as drawn reports do: the pack's list keeps what a clean
 * build's keeps (on main it kept every hit's, 1,900 a report). */
static void test_rebuild_records(void **state) {
    (void)state;
    size_t first = 0, again = 0;
    rebuilt_records(6, &first, &again);
    print_message("the pack's layout keeps %zu element records, %zu rebuilt\n", first, again);
    assert_true(first <= 6 * ELEMS_AN_ITEM + 64);
    assert_true(again <= first);
}

static size_t retained_for(int k, size_t *elems) {
    char dir[64] = "/tmp/quorum-pack-flat-XXXXXX", meeting[128], out[128];
    assert_non_null(mkdtemp(dir));
    make_meeting(dir, k);
    snprintf(meeting, sizeof meeting, "%s/meeting.xml", dir);
    snprintf(out, sizeof out, "%s/out.pdf", dir);
    quorum_diags *d = quorum_diags_new();
    quorum_engine *e = two_job_engine(d);
    quorum_pack *p = quorum_pack_load(e, meeting, d);
    assert_non_null(p);
    /* the write's deflate on its own thread (threads 1): what the writer
     * holds at its save then does not depend on how far another thread
     * got with the last pages' content */
    quorum_pdf_options write = {0};
    write.threads = 1;
    quorum_pack_options po = {NULL, "riverside", NULL, 0, 1, NULL, &write, out};
    quorum_layout *l = quorum_pack_layout(e, p, &po, d);
    assert_non_null(l);
    assert_int_equal(quorum_pack_write(p, l, out, &write, d), QUORUM_OK);
    size_t kept = qpdf_last_retained();
    *elems = l->dl->elems.len;
    quorum_layout_free(l);
    quorum_pack_free(p);
    quorum_diags_free(d);
    quorum_engine_free(e);
    remove_meeting(dir, k);
    return kept;
}

static void test_writer_flat(void **state) {
    (void)state;
    size_t e4, e12, e36;
    size_t few = retained_for(4, &e4), more = retained_for(12, &e12),
           many = retained_for(36, &e36);
    assert_true(few > 0 && more > few && many > more);
    size_t per = (more - few) / 8, per_later = (many - more) / 24;
    print_message("writer keeps %zu bytes at 4 reports, %zu at 12, %zu at 36: "
                  "%zu a report, then %zu\n", few, more, many, per, per_later);
    /* the pack's list keeps no report's element records (each report's
     * 1,900 go to the writer with its drawn pages): what it has a report
     * is its agenda entry's */
    print_message("the pack's layout keeps %zu element records at 4 reports, %zu at 12, "
                  "%zu at 36\n", e4, e12, e36);
    assert_true(e36 - e4 <= 32 * ELEMS_AN_ITEM);
    assert_true(per <= BOUND);
    /* flat: a report later in a longer pack costs what an early one does */
    assert_true(per_later <= BOUND);
    assert_true(per_later <= per + per / 32);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer_flat),
        cmocka_unit_test(test_rebuild_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
