#define _DEFAULT_SOURCE 1 /* madvise */
/* The quorum command.  It uses only the public header, like any other
 * program built on the library. */
#include <quorum.h>

#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdint.h>
#include <sys/mman.h>

/* A report from a file, or from standard input for "-": its name in
 * diagnostics is then "<stdin>" and appendix files are looked up in the
 * current directory.  *io_failed is set when standard input cannot be
 * read. */
static char *read_stdin(size_t *len);
static quorum_doc *load_input(const quorum_engine *e, const char *path,
                              quorum_diags *d, int *io_failed) {
    if (strcmp(path, "-") != 0) return quorum_doc_load(e, path, d);
    size_t len = 0;
    char *bytes = read_stdin(&len);
    if (!bytes) {
        *io_failed = 1;
        return NULL;
    }
    quorum_doc *doc = quorum_doc_load_memory(e, bytes, len, "<stdin>", d);
    free(bytes);
    return doc;
}

/* -o -: the PDF is made in memory and written out only when complete,
 * so a failed build writes nothing to the pipe rather than half a file. */
static quorum_status write_stdout(const quorum_layout *lay,
                                  const quorum_pdf_options *po, quorum_diags *d) {
    unsigned char *bytes = NULL;
    size_t len = 0;
    quorum_status st = quorum_layout_write_pdf_memory(lay, po, &bytes, &len, d);
    if (st == QUORUM_OK &&
        (fwrite(bytes, 1, len, stdout) != len || fflush(stdout) != 0)) {
        fprintf(stderr, "quorum: cannot write the PDF to standard output\n");
        st = QUORUM_IO_ERROR;
    }
    free(bytes);
    return st;
}

/* report.xml -> report.pdf beside it */
static char *default_output(const char *in, const char *ext) {
    size_t n = strlen(in);
    const char *slash = strrchr(in, '/');
    const char *dot = strrchr(in, '.');
    if (!dot || (slash && dot < slash)) dot = in + n;
    size_t stem = (size_t)(dot - in);
    char *s = malloc(stem + strlen(ext) + 1);
    if (!s) return NULL;
    memcpy(s, in, stem);
    strcpy(s + stem, ext);
    return s;
}

/* --color=auto colours for a person at a terminal, and not when NO_COLOR
 * is set and not empty (no-color.org). */
static int diag_color(const cli *c) {
    if (c->color != CLI_COLOR_AUTO) return c->color == CLI_COLOR_ALWAYS;
    const char *no = getenv("NO_COLOR");
    return !(no && *no) && isatty(fileno(stderr));
}

/* Prints diagnostics and returns the exit status they imply: each error
 * says what it is about (quorum_diag.cls), so an unreadable file (3), an
 * impossible request (2) and a wrong input (1) need no guessing.
 * io_failed: an output could not be written (the writers' status). */
static int report(quorum_diags *d, const cli *c, int io_failed) {
    quorum_diags_sort(d);
    quorum_diags_write_options wo = {(quorum_diags_format)c->json,
                                     diag_color(c), 1};
    quorum_diags_write(d, stderr, &wo);
    size_t errors = quorum_diags_count_severity(d, QUORUM_ERROR);
    size_t warnings = quorum_diags_count_severity(d, QUORUM_WARNING);
    if (!c->json && (errors || warnings))
        fprintf(stderr, "%zu error%s, %zu warning%s\n", errors,
                errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
    quorum_status st = quorum_diags_status(d);
    if (io_failed || st == QUORUM_IO_ERROR) return QUORUM_IO_ERROR;
    if (st == QUORUM_USAGE) return QUORUM_USAGE;
    if (errors || (c->werror && warnings)) return QUORUM_INVALID_INPUT;
    return QUORUM_OK;
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Peak resident memory so far in MB (Linux /proc), -1 where unknown: the
 * timing line says which stage set the peak. */
static double peak_mb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double v = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) v = atof(line + 6) / 1024;
    if (f) fclose(f);
    return v;
}

/* Writes OUT.pdf and OUT.manifest.  QUORUM_TIMING=1 in the environment
 * prints the time of each stage on stderr (for bench/run.sh). */
static int run_pack(const quorum_engine *e, const cli *c) {
    double t[5] = {now_ms(), 0, 0, 0, 0};
    const char *tm = getenv("QUORUM_TIMING");
    int timing = tm && *tm && strcmp(tm, "0") != 0;
    double hwm[6] = {0};
    quorum_diags *d = quorum_diags_new();
    int io_failed = 0, usage_failed = 0;
    const char *in = c->inputs[0];
    quorum_pack *p = quorum_pack_load(e, in, d);
    t[1] = now_ms();
    if (timing) hwm[1] = peak_mb();
    quorum_layout *lay = NULL;
    char *def = c->out ? NULL : default_output(in, ".pdf");
    const char *out = c->out ? c->out : def;
    if (p) {
        /* errors found while loading a report count as much as the checks'.
         * A whole pack is checked as it is laid out (each report read
         * once; the timing's check is then 0); a supplement first. */
        int together = !c->since && !c->supplement;
        /* --since checks in the layout, after the manifest: the reports
         * whose files it lists unchanged are not read at all */
        int inside = together || c->since;
        quorum_options copt = {.font_dir = c->font_dir, .style = c->style};
        size_t errors = inside ? 0 : quorum_pack_check(e, p, &copt, d) +
                                     quorum_diags_count_severity(d, QUORUM_ERROR);
        size_t warnings = quorum_diags_count_severity(d, QUORUM_WARNING);
        t[2] = now_ms();
        if (timing) hwm[2] = peak_mb();
        /* the reports' layouts beside the manifest (OUT.cache); an
         * archive copy checks each report's files itself: none */
        char *cache = c->no_cache || c->archive
                          ? NULL : default_output(c->out ? c->out : in, ".cache");
        /* Each report's pages are drawn on the worker that laid it out
         * (quorum_pack_options.draw, for the options the write below is
         * given: archive and untagged), its display list freed then, so
         * the layout holds no report whole (docs/performance.md). */
        quorum_pdf_options drawn = {c->archive, NULL, c->archive == 3, 0, 0};
        drawn.untagged = getenv("QUORUM_UNTAGGED") && *getenv("QUORUM_UNTAGGED");
        if (errors == 0 && !(c->werror && warnings)) {
            quorum_pack_options opt = {.cache_dir = cache,
                                       .font_dir = c->font_dir,
                                       .style = c->style,
                                       .since_manifest = c->since,
                                       .supplement = c->supplement,
                                       .check = inside};
            opt.draw = &drawn;
            /* and placed while the next reports are laid out, the file
             * saved beside out when the layout ends, then committed with
             * its manifest by quorum_pack_write (not an archive copy) */
            opt.draw_to = out;
            lay = quorum_pack_layout(e, p, &opt, d);
            int refused = quorum_diags_count_severity(d, QUORUM_ERROR) ||
                          (c->werror && quorum_diags_count_severity(d, QUORUM_WARNING));
            if (lay && refused) {
                quorum_layout_free(lay);
                lay = NULL;
            }
            /* a failure that says nothing is no input's fault */
            if (!lay && !refused) io_failed = 1;
        }
        free(cache);
        t[3] = now_ms();
        if (timing) hwm[3] = peak_mb();
    }
    /* an image an archive copy could not give back: nothing is written */
    if (lay && c->archive == 3 && quorum_pack_check_archive(p, d)) {
        quorum_layout_free(lay);
        lay = NULL;
    }
    /* a PDF item that is not PDF/A would make the copy fail it */
    if (lay && c->archive && quorum_pack_check_archive_pdfs(p, c->archive, d)) {
        quorum_layout_free(lay);
        lay = NULL;
    }
    if (lay) {
        /* PDF/A-3b: the meeting file, each report and its appendices */
        size_t nsrc = c->archive == 3 ? quorum_pack_source_count(p) : 0;
        const char **src = calloc(nsrc + 1, sizeof *src);
        for (size_t i = 0; src && i < nsrc; i++) src[i] = quorum_pack_source_path(p, i);
        quorum_pdf_options po = {c->archive, src, c->archive == 3, 0, 0};
        po.untagged = getenv("QUORUM_UNTAGGED") && *getenv("QUORUM_UNTAGGED");
        quorum_status pst = QUORUM_IO_ERROR;
        /* the PDF and its manifest, as one pair */
        if (out && src) pst = quorum_pack_write(p, lay, out, &po, d);
        /* a name clash, or -o naming an input or not a file; an input
         * error's diagnostics say so themselves */
        if (pst == QUORUM_USAGE) usage_failed = 1;
        else if (pst == QUORUM_IO_ERROR) io_failed = 1;
        free(src);
        t[4] = now_ms();
        if (timing) hwm[4] = peak_mb();
        if (timing) {
            fprintf(stderr, "timing: load %.1f ms, check %.1f ms, layout %.1f ms, "
                            "pdf and manifest %.1f ms, %zu pages\n",
                    t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3],
                    quorum_layout_page_count(lay));
            fprintf(stderr, "timing: peak RSS after load %.1f MiB, check %.1f MiB, "
                            "layout %.1f MiB, pdf %.1f MiB\n",
                    hwm[1], hwm[2], hwm[3], hwm[4]);
        }
    }
    int rc = report(d, c, io_failed);
    if (usage_failed) rc = QUORUM_USAGE;
    free(def);
    quorum_layout_free(lay);
    quorum_pack_free(p);
    quorum_diags_free(d);
    return rc;
}

/* publish: the pack checked as `pack` checks it, then the site (each
 * report read once for both). */
static int run_publish(const quorum_engine *e, const cli *c) {
    quorum_diags *d = quorum_diags_new();
    quorum_pack *p = quorum_pack_load(e, c->inputs[0], d);
    quorum_status st = QUORUM_OK;
    if (p) {
        quorum_options opt = {.font_dir = c->font_dir, .style = c->style};
        st = quorum_pack_check_publish(e, p, &opt, c->werror, c->out, d);
    }
    int rc = report(d, c, st == QUORUM_IO_ERROR);
    if (st == QUORUM_USAGE) rc = QUORUM_USAGE;
    quorum_pack_free(p);
    quorum_diags_free(d);
    return rc;
}

/* A Word document to report XML beside it (or -o), checked first. */
static int run_import(const quorum_engine *e, const cli *c) {
    quorum_diags *d = quorum_diags_new();
    char *def = c->out ? NULL : default_output(c->inputs[0], ".xml");
    const char *out = c->out ? c->out : def;
    quorum_import_options o = {.mapping_path = c->mapping};
    quorum_status st = out ? quorum_docx_import_file(e, c->inputs[0], &o, out, d)
                           : QUORUM_IO_ERROR;
    int rc = report(d, c, st == QUORUM_IO_ERROR);
    if (st == QUORUM_USAGE) rc = QUORUM_USAGE;
    else if (rc == QUORUM_OK && st != QUORUM_OK) rc = (int)st;
    free(def);
    quorum_diags_free(d);
    return rc;
}

/* quorum new: a report skeleton from a template into a new folder. */
static int run_new(const quorum_engine *e, const cli *c) {
    quorum_diags *d = quorum_diags_new();
    quorum_status st = quorum_new_report(e, c->template_name, c->inputs[0], d);
    int rc = report(d, c, st == QUORUM_IO_ERROR);
    if (rc == QUORUM_OK && st != QUORUM_OK) rc = (int)st;
    if (st == QUORUM_OK)
        printf("wrote a new report in %s: quorum build %s/report.xml\n", c->inputs[0],
               c->inputs[0]);
    quorum_diags_free(d);
    return rc;
}

/* build --format html: the page from the checked document, no layout. */
static quorum_status build_html(const quorum_engine *e, const quorum_doc *doc,
                                const cli *c, quorum_diags *d) {
    quorum_options opt = {.font_dir = c->font_dir, .style = c->style};
    if (c->out && strcmp(c->out, "-") == 0) {
        char *bytes = NULL;
        size_t len = 0;
        quorum_status st = quorum_doc_write_html_memory(e, doc, &opt, &bytes, &len, d);
        if (st == QUORUM_OK &&
            (fwrite(bytes, 1, len, stdout) != len || fflush(stdout) != 0)) {
            fprintf(stderr, "quorum: cannot write the HTML to standard output\n");
            st = QUORUM_IO_ERROR;
        }
        free(bytes);
        return st;
    }
    char *def = c->out ? NULL : default_output(c->inputs[0], ".html");
    quorum_status st = quorum_doc_write_html(e, doc, &opt, c->out ? c->out : def, d);
    free(def);
    return st;
}

static int run(const quorum_engine *e, const cli *c) {
    if (strcmp(c->cmd, "pack") == 0) return run_pack(e, c);
    if (strcmp(c->cmd, "import") == 0) return run_import(e, c);
    if (strcmp(c->cmd, "publish") == 0) return run_publish(e, c);
    if (strcmp(c->cmd, "new") == 0) return run_new(e, c);
    if (strcmp(c->cmd, "watch") == 0) return cli_watch(e, c);
    quorum_diags *d = quorum_diags_new();
    int io_failed = 0, usage_failed = 0;
    int rc;
    if (strcmp(c->cmd, "extract") == 0) {
        quorum_status st = quorum_pdf_extract(e, c->inputs[0], c->inputs[1], d);
        rc = report(d, c, st == QUORUM_IO_ERROR);
        if (rc == QUORUM_OK && st != QUORUM_OK) rc = (int)st;
        quorum_diags_free(d);
        return rc;
    }
    quorum_options opt = {.font_dir = c->font_dir, .style = c->style};
    if (strcmp(c->cmd, "check") == 0) {
        for (int i = 0; i < c->ninputs; i++) {
            /* a meeting with its reports, as pack checks it: the officer
             * checking before the deadline learns what pack would refuse */
            if (strcmp(c->inputs[i], "-") != 0 && quorum_file_is_meeting(e, c->inputs[i])) {
                quorum_pack *p = quorum_pack_load(e, c->inputs[i], d);
                if (p) quorum_pack_check(e, p, &opt, d);
                quorum_pack_free(p);
                continue;
            }
            quorum_doc *doc = load_input(e, c->inputs[i], d, &io_failed);
            if (doc) quorum_doc_check(e, doc, &opt, d);
            quorum_doc_free(doc);
        }
        rc = report(d, c, io_failed);
        quorum_diags_free(d);
        return rc;
    }
    const char *in = c->inputs[0];
    quorum_doc *doc = load_input(e, in, d, &io_failed);
    quorum_layout *lay = NULL;
    if (doc) {
        quorum_doc_check(e, doc, &opt, d);
        /* PDF/A-3b: every file must come back where a rebuild looks */
        if (c->archive == 3) quorum_doc_check_archive(doc, d);
        /* a PDF appendix that is not PDF/A would make the copy fail it */
        if (c->archive) quorum_doc_check_archive_pdfs(doc, c->archive, d);
        size_t warnings = quorum_diags_count_severity(d, QUORUM_WARNING);
        /* the loader's errors (the schema's) count as much as the
         * check's: no page, PDF or HTML, of a report that is not valid */
        int valid = quorum_diags_count_severity(d, QUORUM_ERROR) == 0 &&
                    !(c->werror && warnings);
        if (c->html && valid) {
            quorum_status hst = build_html(e, doc, c, d);
            if (hst == QUORUM_USAGE) usage_failed = 1;
            else if (hst == QUORUM_IO_ERROR) io_failed = 1;
        } else if (!c->html && valid) {
            lay = quorum_doc_layout(e, doc, &opt, d);
            /* a failure that says nothing is no input's fault */
            if (!lay && !quorum_diags_count_severity(d, QUORUM_ERROR)) io_failed = 1;
        }
    }
    if (lay) {
        if (strcmp(c->cmd, "dump") == 0) {
            quorum_status dst;
            if (!c->out || strcmp(c->out, "-") == 0) {
                dst = quorum_layout_write_text(lay, stdout);
                if (dst == QUORUM_OK && fflush(stdout) != 0) dst = QUORUM_IO_ERROR;
                if (dst != QUORUM_OK)
                    fprintf(stderr, "quorum: cannot write standard output\n");
            } else {
                /* replaced whole, and never over an input */
                dst = quorum_layout_write_text_file(lay, c->out, d);
            }
            if (dst == QUORUM_USAGE) usage_failed = 1;
            else if (dst != QUORUM_OK) io_failed = 1;
        } else {
            char *def = c->out ? NULL : default_output(in, ".pdf");
            const char *out = c->out ? c->out : def;
            /* PDF/A-3b: every file the document was read from, report
             * first, so that an extracted copy rebuilds the same PDF. */
            size_t nsrc = c->archive == 3 ? quorum_doc_source_count(doc) : 0;
            const char **src = calloc(nsrc + 1, sizeof *src);
            size_t k = 0;
            for (size_t i = 0; src && i < nsrc; i++) {
                const char *p = quorum_doc_source_path(doc, i);
                if (p) src[k++] = p;
            }
            if (c->archive == 3 && k == 0)
                fprintf(stderr, "quorum: warning: the loader named no source "
                                "files; the PDF/A-3b copy has no attachments\n");
            /* then the style's files (attach_style), so that the copy
             * says how it looks */
            quorum_pdf_options po = {c->archive, src, c->archive == 3, 0, 0};
            po.untagged = getenv("QUORUM_UNTAGGED") && *getenv("QUORUM_UNTAGGED");
            quorum_status pst = QUORUM_IO_ERROR;
            if (out && src && strcmp(out, "-") == 0)
                pst = write_stdout(lay, &po, d);
            else if (out && src)
                pst = quorum_layout_write_pdf_opts(lay, out, &po, d);
            if (pst == QUORUM_USAGE) usage_failed = 1; /* names clash */
            else if (pst == QUORUM_IO_ERROR) io_failed = 1;
            free(src);
            free(def);
        }
    }
    rc = report(d, c, io_failed);
    if (usage_failed) rc = QUORUM_USAGE;
    quorum_layout_free(lay);
    quorum_doc_free(doc);
    quorum_diags_free(d);
    return rc;
}

int cli_run(const quorum_engine *e, const cli *c) { return run(e, c); }

/* The engine is not freed when the command ends: freeing it (the schema's
 * automata, the fonts read) was 1.3 M instructions of every run, 4% of
 * making the sample's HTML page, for memory the exit gives back anyway.
 * It stays reachable from here, so leak checkers (LeakSanitizer,
 * valgrind) do not count it as lost; sanitizer builds still free it, so
 * that every e2e script run under ASan goes through the whole teardown
 * (the unit tests free their engines themselves). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CLI_FREE_ENGINE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CLI_FREE_ENGINE 1
#endif
#endif
/* volatile: a store nothing reads would be optimised away */
static quorum_engine *volatile kept_engine;

/* The library reads no environment: the variables --help lists become
 * engine options here. */
static int with_engine(const cli *c) {
    quorum_engine_options eo;
    quorum_engine_options_init(&eo);
    const char *fd = getenv("QUORUM_FONT_DIR");
    eo.font_dir = c->font_dir ? c->font_dir : fd && *fd ? fd : NULL;
    const char *sd = getenv("QUORUM_STYLE_DIR");
    eo.style_dir = sd && *sd ? sd : NULL;
    const char *xd = getenv("QUORUM_SCHEMA_DIR");
    char *schema = NULL;
    if (xd && *xd) {
        size_t n = strlen(xd) + sizeof "/quorum-report-1.xsd";
        schema = malloc(n);
        if (!schema) return QUORUM_IO_ERROR;
        snprintf(schema, n, "%s/quorum-report-1.xsd", xd);
        eo.schema_path = schema;
    }
    eo.holidays_path = c->holidays;
    eo.jobs = c->jobs;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        /* a reproducible build that silently used another date would not
         * be one: a value that is not a count of seconds is refused */
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (*end || v < 0 || errno) {
            free(schema);
            return cli_usage_error("SOURCE_DATE_EPOCH is not a number of seconds "
                                   "since 1970", sde);
        }
        eo.source_date_epoch = v;
    }
    quorum_diags *d = quorum_diags_new();
    quorum_engine *e = quorum_engine_new(&eo, d);
    free(schema);
    int rc;
    if (!e) {
        /* an unreadable schema is I/O (3), a broken one says where (1) */
        rc = report(d, c, 0);
        if (rc == QUORUM_OK) rc = QUORUM_IO_ERROR;
    } else {
        rc = run(e, c);
    }
    quorum_diags_free(d);
#ifdef CLI_FREE_ENGINE
    quorum_engine_free(e);
#else
    kept_engine = e;
#endif
    return rc;
}

/* Memory freed by one stage (a report tree, the parser's DOM) is wanted
 * again by the next: a pack reads every report twice.  glibc would give
 * the top of the heap back to the system at each free, and large blocks
 * are mapped and unmapped each time; every page taken back costs a page
 * fault when touched again, which was half the system time of checking a
 * 50-report pack.  Keep freed memory for reuse instead; the peak is what
 * it was (freed memory is reused, not added to).
 *
 * Then the heap's first few MiB, about what reading, checking and laying
 * out one report take from malloc (libxml2's trees, the layout's
 * staging), are populated in one call, as transparent huge pages
 * (MADV_HUGEPAGE, where they are "madvise" or "always", as Debian has
 * them).  Under a hypervisor every page-table entry the kernel sets costs
 * microseconds: on the development VM a page fault costs ~10 us and even
 * a page populated in one call ~5 us, while a 2 MiB huge page is one
 * entry, its cost the zeroing.  So the heap is made to start on a 2 MiB
 * boundary (heap_plug below) and the stretch is huge pages only: an HTML
 * build of the sample went from 1 huge page and 0-2 MiB of small pages
 * below it (wherever the heap happened to start) to 2 huge pages, 0.8 ms
 * less at best and 1.6 ms at the median, a PDF build 2.2 ms
 * (docs/performance.md).  Where transparent huge pages are
 * off (or absent), the advice changes nothing and the heap is populated
 * as small pages from wherever it starts, as before: huge_pages x 2 MiB
 * and what lies below the first boundary.
 *
 * one_arena: every thread takes its memory from this heap (M_ARENA_MAX
 * 1).  A PDF build of one report has one other thread, the deflate
 * worker, which malloc would give an arena of its own: a fresh mapping
 * whose every page (the compressor's tables, the deflated streams) is a
 * fault the first time, ~110 of the sample's ~840, where this heap's
 * pages are populated already.  The worker allocates a few blocks a
 * stream, so sharing the lock costs nothing measurable; a pack's and a
 * site's workers allocate all the time, and keep their arenas. */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#define CLI_HUGE_PAGE ((uintptr_t)2 * 1024 * 1024)

/* Whether MADV_HUGEPAGE can give huge pages here: "always" or "madvise"
 * in the kernel's setting (absent without THP support). */
static int huge_pages_on(void) {
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "re");
    char line[128] = "";
    if (!f) return 0;
    int ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    return ok && (strstr(line, "[always]") || strstr(line, "[madvise]"));
}

/* Hold the heap from where malloc would carve next up to the next 2 MiB
 * boundary, so that what the run allocates starts on it.  Never written
 * past their first page, so hardly resident: address space only.  Kept
 * reachable (volatile) for leak checkers. */
static void *volatile heap_plug[2];

/* Makes the heap's next block start on a 2 MiB boundary (not with
 * another allocator, a sanitizer's: the stretch then starts wherever the
 * heap does, as where huge pages are off).  A block of 64 KiB comes from the top of the heap (too large for the
 * small-block caches, nothing freed yet to reuse), and so does the next
 * one, right after it (glibc: a chunk is 16 bytes of header before the
 * pointer, its size rounded to 16).  That one is sized to end 32 bytes
 * below the boundary h, so the next block's header, and the top's, are
 * written below h and the next block's bytes start on it: a page
 * written inside the stretch before the advice would cost its huge
 * page. */
static void plug_heap(void) {
    char *probe = malloc(64 * 1024);
    if (!probe) return;
    heap_plug[0] = probe;
    uintptr_t next = (uintptr_t)probe + 64 * 1024 + 16;
    uintptr_t h = (next + 48 + CLI_HUGE_PAGE - 1) & ~(CLI_HUGE_PAGE - 1);
    heap_plug[1] = malloc(h - next - 24);
}

/* huge_pages: the heap one run of the command takes, in 2 MiB. */
static void prepare_heap(unsigned huge_pages, int one_arena) {
#ifdef __GLIBC__
    if (one_arena) mallopt(M_ARENA_MAX, 1);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    /* Without huge pages the heap below the first boundary (0-2 MiB) is
     * populated too, as small pages, and one stretch fewer, as before. */
    if (huge_pages_on()) plug_heap();
    else if (huge_pages > 1) huge_pages--;
    uintptr_t huge = huge_pages * CLI_HUGE_PAGE;
    /* holds that many aligned 2 MiB wherever it starts */
    size_t n = huge + CLI_HUGE_PAGE;
    char *b = malloc(n);
    if (b) {
        /* from its chunk's start, just below the boundary when plugged */
        uintptr_t c = (uintptr_t)b - 16;
        uintptr_t s = c & ~(uintptr_t)4095;
        uintptr_t h = (c + CLI_HUGE_PAGE - 1) & ~(CLI_HUGE_PAGE - 1);
#ifdef MADV_HUGEPAGE
        (void)madvise((void *)h, huge, MADV_HUGEPAGE);
#endif
        (void)madvise((void *)s, h + huge - s, MADV_POPULATE_WRITE);
        free(b);
    }
#else
    (void)huge_pages;
    (void)one_arena;
#endif
}

/* The whole of standard input, malloc'd; NULL (with a message) when it
 * cannot be read or is larger than any report may be. */
static char *read_stdin(size_t *len) {
    /* one byte over the loader's limit, so that the loader says so */
    const size_t cap_max = (size_t)32 * 1024 * 1024 + 1;
    size_t cap = 64 * 1024, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap >= cap_max) break; /* the loader refuses it */
            cap = cap * 2 > cap_max ? cap_max : cap * 2;
            char *nb = realloc(buf, cap);
            if (!nb) break;
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, stdin);
        n += got;
        if (got == 0) break;
    }
    if (!buf || ferror(stdin)) {
        fprintf(stderr, "quorum: cannot read standard input\n");
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int main(int argc, char **argv) {
    cli c = {0};
    c.inputs = calloc((size_t)argc, sizeof *c.inputs);
    if (!c.inputs) return QUORUM_IO_ERROR;
    int rc = cli_parse(&c, argc, argv);
    if (rc == 0 && c.help) {
        cli_help(stdout, c.cmd, quorum_version());
    } else if (rc == 0 && c.version) {
        printf("quorum %s\n%s\n", quorum_version(), quorum_version_libraries());
    } else if (rc == 0 && (rc = cli_validate(&c)) == 0) {
        prepare_heap(c.cmd_bit == CMD_BUILD && !c.html ? 3 : 2, c.cmd_bit == CMD_BUILD);
        rc = with_engine(&c);
    }
    free(c.inputs);
    return rc;
}
