/* The pack's cache of report layouts (pack/pack_cache.c): an entry put is
 * got back whole under its key only; a cut, changed, foreign or
 * other-version entry, a link, a FIFO or a folder in its place is not
 * used (and never blocks); the prune removes only stale entries. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dlist.h"
#include "doc.h"
#include "meeting.h"
#include "pdf.h"
#include "style.h"
#include "test_engine.h"
#include "test_util.h"
#define TE test_engine()

static char dir[] = "/tmp/quorum-test-cache-XXXXXX";
static char cache_dir[4200];

static qfonts *fonts(void) { return qfonts_new(TE->fonts, TE->font_dir); }

static qpack_cache *open_cache(qfonts **f, const char *context) {
    quorum_diags *d = quorum_diags_new();
    const qstyle *s = qstyle_get(TE, NULL, TE->font_dir, d);
    assert_non_null(s);
    quorum_diags_free(d);
    *f = fonts();
    return qpack_cache_open(TE, cache_dir, s, *f, context);
}

static char *dump(const qdlist *dl, size_t *n) {
    char *buf = NULL;
    FILE *f = open_memstream(&buf, n);
    assert_non_null(f);
    qdlist_dump(dl, f);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void copy(const char *from, const char *to) {
    size_t n = 0;
    char *b = test_slurp_must(from, &n);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    free(b);
}

static void rewrite(const char *path, const unsigned char *b, size_t n) {
    unlink(path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static const char *names[] = {"report.xml", "appendix-1.xml", "appendix-2.xml"};
static char report[4300];
static qsha256_ctx text;

/* the sample report copied into dir, laid out, with its hash and files */
static quorum_layout *sample(qarena *a, unsigned char hash[32], qmanifest_file **files,
                             size_t *nfiles) {
    const char *root = getenv("QUORUM_SOURCE_DIR");
    for (size_t i = 0; i < 3; i++) {
        char from[4200], to[4300];
        snprintf(from, sizeof from, "%s/input/council-2025-01-29/%s", root ? root : ".",
                 names[i]);
        snprintf(to, sizeof to, "%s/%s", dir, names[i]);
        copy(from, to);
    }
    snprintf(report, sizeof report, "%s/report.xml", dir);
    quorum_diags *d = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load(TE, report, d);
    assert_non_null(doc);
    quorum_layout *l = quorum_doc_layout(TE, doc, NULL, d);
    assert_non_null(l);
    qsha256_init(&text);
    qpack_hash_str(&text, "the item's agenda text");
    qsha256_ctx h = text;
    qpack_hash_doc(&h, doc);
    qsha256_final(&h, hash);
    assert_int_equal(qsince_files(a, report, doc, files, nfiles), 0);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    return l;
}

/* 1 when the cache gives item "irp" number 9 back (freed) */
static int got(qpack_cache *c, qarena *a, const char *number) {
    qpack_cached x;
    if (qpack_cache_get(c, a, "irp", number, report, &text, fonts(), &x) != 0) return 0;
    qdlist_free(x.dl);
    return 1;
}

/* the one entry in the cache folder */
static const char *the_entry(char *buf, size_t n) {
    DIR *dd = opendir(cache_dir);
    assert_non_null(dd);
    int k = 0;
    for (struct dirent *x; (x = readdir(dd));)
        if (strlen(x->d_name) > 60 && strstr(x->d_name, ".qdl")) {
            snprintf(buf, n, "%s/%s", cache_dir, x->d_name);
            k++;
        }
    closedir(dd);
    assert_int_equal(k, 1);
    return buf;
}

static void test_cache(void **state) {
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(cache_dir, sizeof cache_dir, "%s/pack.cache", dir);
    qarena *a = qarena_new(0);
    unsigned char hash[32];
    qmanifest_file *files = NULL;
    size_t nfiles = 0;
    quorum_layout *l = sample(a, hash, &files, &nfiles);
    assert_int_equal(nfiles, 3);
    qfonts *f = NULL;
    qpack_cache *c = open_cache(&f, "en-GB");

    assert_false(got(c, a, "9")); /* no folder yet */
    qpack_cache_put(c, "irp", "9", hash, files, nfiles, l->dl, NULL, 0);
    assert_false(got(c, a, "9")); /* put, not yet written */
    assert_int_equal(qpack_cache_commit(c), 0);
    qpack_cached x;
    assert_int_equal(qpack_cache_get(c, a, "irp", "9", report, &text, fonts(), &x), 0);
    assert_memory_equal(x.hash, hash, 32);
    assert_int_equal(x.npaths, 3);
    assert_string_equal(x.paths[0], report);
    size_t n1, n2;
    char *t1 = dump(l->dl, &n1), *t2 = dump(x.dl, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(t1, t2, n1);
    free(t1);
    free(t2);
    qdlist_free(x.dl);
    assert_false(got(c, a, "10")); /* another number, another entry */
    /* another context (the pack's language) or other text: not used */
    qfonts *f2 = NULL;
    qpack_cache *c2 = open_cache(&f2, "cy-GB");
    assert_false(got(c2, a, "9"));
    qpack_cache_close(c2);
    qfonts_free(f2);
    qsha256_ctx keep = text;
    qpack_hash_str(&text, "another title");
    assert_false(got(c, a, "9"));
    text = keep;
    assert_true(got(c, a, "9"));

    /* a file it was made from changed: not used */
    char app[4300];
    snprintf(app, sizeof app, "%s/appendix-2.xml", dir);
    size_t an = 0;
    unsigned char *ab = test_slurp_must(app, &an);
    ab[an / 2] ^= 1;
    rewrite(app, ab, an);
    assert_false(got(c, a, "9"));
    ab[an / 2] ^= 1;
    rewrite(app, ab, an);
    assert_true(got(c, a, "9"));
    free(ab);

    char p9[4300];
    the_entry(p9, sizeof p9);
    size_t n = 0;
    unsigned char *b = test_slurp_must(p9, &n);
    /* cut short, or one byte changed: not used, and the next put mends it */
    rewrite(p9, b, n / 2);
    assert_false(got(c, a, "9"));
    b[n / 3] ^= 1;
    rewrite(p9, b, n);
    assert_false(got(c, a, "9"));
    b[n / 3] ^= 1;
    /* foreign: item 9's entry under item 10's name */
    qpack_cache_put(c, "irp", "10", hash, files, nfiles, l->dl, NULL, 0);
    assert_int_equal(qpack_cache_commit(c), 0);
    assert_true(got(c, a, "10"));
    DIR *dd = opendir(cache_dir);
    char p10[4600] = "";
    for (struct dirent *e; (e = readdir(dd));)
        if (strlen(e->d_name) > 60 && strstr(e->d_name, ".qdl") &&
            strstr(p9, e->d_name) == NULL)
            snprintf(p10, sizeof p10, "%s/%s", cache_dir, e->d_name);
    closedir(dd);
    rewrite(p10, b, n);
    assert_false(got(c, a, "10"));
    unlink(p10);
    /* empty, a link to a good entry, a FIFO, a folder: not used, no wait */
    rewrite(p9, b, 0);
    assert_false(got(c, a, "9"));
    char good[4300];
    snprintf(good, sizeof good, "%s/good", dir);
    rewrite(good, b, n);
    unlink(p9);
    assert_int_equal(symlink(good, p9), 0);
    assert_false(got(c, a, "9"));
    unlink(p9);
    assert_int_equal(mkfifo(p9, 0600), 0);
    assert_false(got(c, a, "9"));
    unlink(p9);
    assert_int_equal(mkdir(p9, 0700), 0);
    assert_false(got(c, a, "9"));
    qpack_cache_put(c, "irp", "9", hash, files, nfiles, l->dl, NULL, 0);
    assert_int_not_equal(qpack_cache_commit(c), 0); /* a folder stays */
    rmdir(p9);
    qpack_cache_put(c, "irp", "9", hash, files, nfiles, l->dl, NULL, 0);
    assert_int_equal(qpack_cache_commit(c), 0);
    assert_true(got(c, a, "9"));
    qpack_cache_close(c);

    /* the prune: a run that used only item 10's entry removes item 9's,
     * and leaves what is not an entry */
    c = open_cache(&f2, "en-GB");
    char other[4300];
    snprintf(other, sizeof other, "%s/notes.txt", cache_dir);
    rewrite(other, (const unsigned char *)"x", 1);
    qpack_cache_put(c, "irp", "10", hash, files, nfiles, l->dl, NULL, 0);
    assert_int_equal(qpack_cache_commit(c), 0); /* and prunes */
    assert_int_equal(access(p9, F_OK), -1);
    assert_true(got(c, a, "10"));
    assert_int_equal(access(other, F_OK), 0);
    qpack_cache_close(c);
    qfonts_free(f2);
    qfonts_free(f);

    /* clean up: the entry left, the notes, the copies */
    char left[4300];
    unlink(the_entry(left, sizeof left));
    strcpy(left + strlen(left) - 4, ".qdr"); /* its records */
    unlink(left);
    unlink(other);
    unlink(good);
    rmdir(cache_dir);
    for (size_t i = 0; i < 3; i++) {
        char pth[4300];
        snprintf(pth, sizeof pth, "%s/%s", dir, names[i]);
        unlink(pth);
    }
    rmdir(dir);
    free(b);
    quorum_layout_free(l);
    qarena_free(a);
}

/* A report's words as its entry keeps them (pack_said.c): read back as
 * said, with their source lines, under the meeting key they were written
 * with only; every cut of them is refused, and errors are never kept. */
static void test_said(void **state) {
    (void)state;
    unsigned char mkey[32] = {1}, other[32] = {2};
    quorum_diags *parent = quorum_diags_new();
    qpos m = {qdiag_file(parent, "meeting.xml"), 4, 2};
    quorum_diags *d = qdiag_fork(parent);
    unsigned r = qdiag_file(d, "report.xml");
    qdiag_file(d, "appendix.xml"); /* named, nothing said of it */
    const unsigned char src[] = "<r>\n  <field>Perhaps</field>\n</r>\n";
    size_t lines[] = {0, 4, 29};
    qdiag_file_source(d, r, src, sizeof src - 1, lines, 3);
    qdiag_add(d, QUORUM_WARNING, (qpos){r, 2, 3}, "read as neither");
    qdiag_add(d, QUORUM_WARNING, m, "for another meeting");
    qdiag_add(d, QUORUM_NOTE, (qpos){r, 2, 10}, "laid out: a note");
    char *b = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&b, &n);
    assert_int_equal(qpack_said_write(f, d, 2, mkey), 0);
    assert_int_equal(fclose(f), 0);
    qarena *a = qarena_new(0);
    const qpack_said *s = NULL;
    assert_int_equal(qpack_said_read(a, (unsigned char *)b, n, other, &s), -1);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(qpack_said_read(a, (unsigned char *)b, k, mkey, &s), -1);
    assert_int_equal(qpack_said_read(a, (unsigned char *)b, n, mkey, &s), 0);
    assert_int_equal(qpack_said_count(s), 3);
    /* replayed: the same list, the report's files named in their order */
    quorum_diags *check = quorum_diags_new(), *lay = quorum_diags_new();
    qdiag_file(check, "meeting.xml");
    qpack_said_replay(s, check, lay);
    assert_string_equal(qdiag_file_name(check, 2), "report.xml");
    assert_string_equal(qdiag_file_name(check, 3), "appendix.xml");
    assert_int_equal(quorum_diags_count(check), 2);
    assert_int_equal(quorum_diags_count(lay), 1);
    quorum_diag q;
    quorum_diags_get(check, 0, &q);
    assert_string_equal(q.file, "report.xml");
    assert_true(q.line == 2 && q.col == 3 && q.severity == QUORUM_WARNING);
    assert_string_equal(q.message, "read as neither");
    const char *t;
    size_t tl;
    assert_int_equal(qdiag_source_line(check, 2, 2, &t, &tl), 0);
    assert_memory_equal(t, "  <field>Perhaps</field>", tl);
    quorum_diags_get(lay, 0, &q);
    assert_true(q.severity == QUORUM_NOTE && q.col == 10);
    /* an error is never kept */
    qdiag_add(d, QUORUM_ERROR, (qpos){r, 1, 1}, "an error");
    free(b);
    f = open_memstream(&b, &n);
    assert_int_equal(qpack_said_write(f, d, 4, mkey), -1);
    fclose(f);
    free(b);
    qarena_free(a);
    quorum_diags_free(check);
    quorum_diags_free(lay);
    quorum_diags_free(d);
    quorum_diags_free(parent);
}

/* ---- drawn pages beside the entries (pdf_report_io.c, qpack_hit_drawn) ---- */

/* the sample meeting in dir with a second report (item 5) */
static void two_reports(const char *d) {
    const char *root = getenv("QUORUM_SOURCE_DIR");
    const char *files[] = {"report.xml", "appendix-1.xml", "appendix-2.xml", "meeting.xml"};
    char from[4200], to[4300];
    for (size_t i = 0; i < 4; i++) {
        snprintf(from, sizeof from, "%s/input/council-2025-01-29/%s", root ? root : ".",
                 files[i]);
        snprintf(to, sizeof to, "%s/%s", d, files[i]);
        copy(from, to);
    }
    snprintf(from, sizeof from, "%s/report.xml", d);
    snprintf(to, sizeof to, "%s/report-b.xml", d);
    copy(from, to);
    snprintf(to, sizeof to, "%s/meeting.xml", d);
    size_t n = 0;
    char *m = test_slurp_must(to, &n);
    const char *item = "title=\"Announcements on behalf of the Mayor\"";
    char *at = strstr(m, item);
    assert_non_null(at);
    at += strlen(item);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    fwrite(m, 1, (size_t)(at - m), f);
    fputs(" report=\"report-b.xml\"", f);
    fputs(at, f);
    assert_int_equal(fclose(f), 0);
    free(m);
}

/* The pack written to out, from the cache in cdir (NULL: none), drawn
 * for o; *drawn: its reports drawn apart (the hits among them). */
static void pack_to(const char *meeting, const char *cdir, const quorum_pdf_options *o,
                    const char *out, size_t *drawn) {
    quorum_diags *d = quorum_diags_new();
    quorum_pack *p = quorum_pack_load(TE, meeting, d);
    assert_non_null(p);
    quorum_pack_options po = {0};
    po.check = 1;
    po.cache_dir = cdir;
    po.draw = o;
    quorum_layout *l = quorum_pack_layout(TE, p, &po, d);
    assert_non_null(l);
    const qpdf_drawn *dr = l->dl->drawn;
    *drawn = dr ? dr->n : 0;
    assert_int_equal(quorum_pack_write(p, l, out, o, d), QUORUM_OK);
    quorum_layout_free(l);
    quorum_pack_free(p);
    quorum_diags_free(d);
}

static size_t count_ext(const char *d, const char *ext) {
    DIR *dd = opendir(d);
    if (!dd) return 0;
    size_t k = 0;
    for (struct dirent *x; (x = readdir(dd));) {
        size_t n = strlen(x->d_name);
        if (n > 4 && strcmp(x->d_name + n - 4, ext) == 0) k++;
    }
    closedir(dd);
    return k;
}

static int same_file(const char *a, const char *b) {
    size_t na = 0, nb = 0;
    char *x = test_slurp_must(a, &na), *y = test_slurp_must(b, &nb);
    int same = na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

/* A rebuild whose hits place their cached drawn pages is the clean build,
 * byte for byte: tagged, untagged and archive copies (PDF/A-2a, -1b), the
 * drawing of one kept for the next (options are part of its key: a
 * drawing for other options is drawn again). */
static void test_drawn_rebuild(void **state) {
    (void)state;
    char d[] = "/tmp/quorum-test-drawn-XXXXXX";
    assert_non_null(mkdtemp(d));
    two_reports(d);
    char meeting[4200], cdir[4200], clean[4200], out[4200];
    snprintf(meeting, sizeof meeting, "%s/meeting.xml", d);
    snprintf(cdir, sizeof cdir, "%s/pack.cache", d);
    snprintf(clean, sizeof clean, "%s/clean.pdf", d);
    snprintf(out, sizeof out, "%s/pack.pdf", d);
    quorum_pdf_options opts[4] = {{0}};
    opts[1].untagged = 1;
    opts[2].archive = 2;
    opts[3].archive = 1;
    for (int k = 0; k < 4; k++) {
        const quorum_pdf_options *o = &opts[k];
        size_t drawn = 0;
        pack_to(meeting, NULL, o, clean, &drawn);
        assert_int_equal(drawn, 2); /* both drawn on the workers */
        /* the first of these draws what the cache has for other options */
        for (int run = 0; run < 2; run++) {
            pack_to(meeting, cdir, o, out, &drawn);
            assert_int_equal(drawn, 2);
            assert_true(same_file(out, clean));
            assert_int_equal(count_ext(cdir, ".qdl"), 2);
            assert_int_equal(count_ext(cdir, ".qpd"), 2);
        }
    }
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    assert_int_equal(system(cmd), 0);
}

/* ---- a rebuild's hits read a window at a time (qpack_cache_probe) ---- */

#define NWIN (QPACK_HIT_AHEAD + 6)

/* the sample meeting in d with NWIN copies of its report on the agenda */
static void many_reports(const char *d) {
    const char *root = getenv("QUORUM_SOURCE_DIR");
    const char *files[] = {"report.xml", "appendix-1.xml", "appendix-2.xml", "meeting.xml"};
    char from[4200], to[4300];
    for (size_t i = 0; i < 4; i++) {
        snprintf(from, sizeof from, "%s/input/council-2025-01-29/%s", root ? root : ".",
                 files[i]);
        snprintf(to, sizeof to, "%s/%s", d, files[i]);
        copy(from, to);
    }
    snprintf(from, sizeof from, "%s/report.xml", d);
    for (int i = 0; i < NWIN; i++) {
        snprintf(to, sizeof to, "%s/report-%02d.xml", d, i);
        copy(from, to);
    }
    snprintf(to, sizeof to, "%s/meeting.xml", d);
    size_t n = 0;
    char *m = test_slurp_must(to, &n);
    char *open = strstr(m, "<agenda>"), *close = strstr(m, "</agenda>");
    assert_true(open && close && open < close);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    fwrite(m, 1, (size_t)(open - m) + strlen("<agenda>"), f);
    for (int i = 0; i < NWIN; i++)
        fprintf(f, "\n<item id=\"r%d\" title=\"Report %d\" report=\"report-%02d.xml\"/>", i, i,
                i);
    fputs(close, f);
    assert_int_equal(fclose(f), 0);
    free(m);
}

/* report i of many_reports edited: what (a word, or paragraphs) put at
 * the start of its first paragraph */
static void edit_report(const char *d, int i, const char *what) {
    char path[4300];
    snprintf(path, sizeof path, "%s/report-%02d.xml", d, i);
    size_t n = 0;
    char *b = test_slurp_must(path, &n);
    char *at = strstr(b, "<p>");
    assert_non_null(at);
    at += 3;
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(b, 1, (size_t)(at - b), f);
    fputs(what, f);
    fputs(at, f);
    assert_int_equal(fclose(f), 0);
    free(b);
}

/* The cache file of extension ext whose bytes name report i (its note
 * lists its files), flipped in its middle. */
static void damage_entry(const char *cdir, int i, const char *ext) {
    char name[32], path[4400];
    snprintf(name, sizeof name, "report-%02d.xml", i);
    DIR *dd = opendir(cdir);
    assert_non_null(dd);
    int k = 0;
    for (struct dirent *x; (x = readdir(dd));) {
        size_t len = strlen(x->d_name);
        if (len < 4 || strcmp(x->d_name + len - 4, ext) != 0) continue;
        snprintf(path, sizeof path, "%s/%s", cdir, x->d_name);
        size_t n = 0;
        char *b = test_slurp_must(path, &n);
        /* the drawn pages name no file: the records beside them do */
        char qdr[4400];
        snprintf(qdr, sizeof qdr, "%.*s.qdr", (int)(strlen(path) - 4), path);
        size_t rn = 0;
        char *r = strcmp(ext, ".qdr") ? test_slurp_must(qdr, &rn) : NULL;
        if (memmem(r ? r : b, r ? rn : n, name, strlen(name))) {
            b[n / 2] ^= 0x55;
            rewrite(path, (unsigned char *)b, n);
            k++;
        }
        free(r);
        free(b);
    }
    closedir(dd);
    assert_int_equal(k, 1);
}

/* The files of extension ext in d that are not in snap as they are. */
static size_t changed_files(const char *d, const char *snap, const char *ext) {
    DIR *dd = opendir(d);
    assert_non_null(dd);
    size_t k = 0;
    for (struct dirent *x; (x = readdir(dd));) {
        size_t len = strlen(x->d_name);
        if (len < 4 || strcmp(x->d_name + len - 4, ext) != 0) continue;
        char a[4400], b[4400];
        snprintf(a, sizeof a, "%s/%s", d, x->d_name);
        snprintf(b, sizeof b, "%s/%s", snap, x->d_name);
        k += access(b, F_OK) != 0 || !same_file(a, b);
    }
    closedir(dd);
    return k;
}

/* A rebuild of a pack longer than the hits' window holds at most a
 * window of them at once (not every hit before the layout starts), and
 * is the clean build byte for byte when a report beyond the first window
 * changed and entries read late are damaged (records, drawn pages, the
 * whole layout of a hit whose drawing must be redone after the change
 * moved it): those are read and laid out again, never trusted. */
static void test_window(void **state) {
    (void)state;
    char d[] = "/tmp/quorum-test-window-XXXXXX";
    assert_non_null(mkdtemp(d));
    many_reports(d);
    char meeting[4200], cdir[4200], clean[4200], out[4200];
    snprintf(meeting, sizeof meeting, "%s/meeting.xml", d);
    snprintf(cdir, sizeof cdir, "%s/pack.cache", d);
    snprintf(clean, sizeof clean, "%s/clean.pdf", d);
    snprintf(out, sizeof out, "%s/pack.pdf", d);
    quorum_pdf_options o = {0};
    size_t drawn = 0;
    pack_to(meeting, cdir, &o, out, &drawn); /* the cache filled */
    assert_int_equal(count_ext(cdir, ".qpd"), NWIN);
    pack_to(meeting, cdir, &o, out, &drawn); /* every report a hit */
    quorum_diags *qd = quorum_diags_new();
    quorum_pack *p = quorum_pack_load(TE, meeting, qd);
    unsigned jobs = qpack_threads(TE, p);
    quorum_pack_free(p);
    quorum_diags_free(qd);
    assert_true(qpack_cache_held_peak() >= 1);
    assert_true(qpack_cache_held_peak() <= QPACK_HIT_AHEAD + jobs + 1);
    pack_to(meeting, NULL, &o, clean, &drawn);
    assert_true(same_file(out, clean));
    /* a change late in the pack: the reports after it keep their start */
    edit_report(d, NWIN - 3, "Corrected. ");
    damage_entry(cdir, NWIN - 1, ".qdr");
    damage_entry(cdir, NWIN - 2, ".qpd");
    pack_to(meeting, cdir, &o, out, &drawn);
    pack_to(meeting, NULL, &o, clean, &drawn);
    assert_true(same_file(out, clean));
    /* a change that lengthens report 1 moves every start after it: each
     * hit is drawn again from its whole layout, one of them damaged */
    pack_to(meeting, cdir, &o, out, &drawn); /* whole again */
    char snap[4300], cmd[8800];
    snprintf(snap, sizeof snap, "%s/snap", d);
    snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", cdir, snap);
    assert_int_equal(system(cmd), 0);
    for (int k = 0; k < 60; k++) edit_report(d, 1, "Corrected.</p><p>");
    damage_entry(cdir, NWIN - 1, ".qdl");
    pack_to(meeting, cdir, &o, out, &drawn);
    pack_to(meeting, NULL, &o, clean, &drawn);
    assert_true(same_file(out, clean));
    /* the hits after it drawn again (their pages kept anew) */
    assert_true(changed_files(cdir, snap, ".qpd") >= NWIN - 3);
    pack_to(meeting, cdir, &o, out, &drawn); /* and from what that kept */
    assert_true(same_file(out, clean));
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache),
        cmocka_unit_test(test_said),
        cmocka_unit_test(test_drawn_rebuild),
        cmocka_unit_test(test_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
