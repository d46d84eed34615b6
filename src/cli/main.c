#define _DEFAULT_SOURCE 1 /* madvise */
/* The quorum command.  It uses only the public header, like any other
 * program built on the library. */
#include <quorum.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdint.h>
#include <sys/mman.h>

static const char *usage =
    "usage: quorum build REPORT.xml [-o OUT.pdf] [options]\n"
    "       quorum check REPORT.xml...             [options]\n"
    "       quorum dump REPORT.xml [-o OUT.txt]    [options]\n"
    "       quorum extract FILE.pdf DIR\n"
    "       quorum pack MEETING.xml [-o OUT.pdf] [--supplement [--since MANIFEST]]\n"
    "                                             [--holidays FILE] [options]\n"
    "       quorum --help | --version\n";

static void print_help(void) {
    printf("quorum %s: committee reports from XML to paginated PDF\n\n%s\n",
           quorum_version(), usage);
    puts("commands:\n"
         "  build    validate REPORT.xml and write the PDF (default: beside the\n"
         "           input, with .pdf in place of .xml)\n"
         "  check    validate only; writes nothing\n"
         "  dump     write the laid-out pages as text (the golden-test format)\n"
         "  extract  write the source files attached to an archive copy made\n"
         "           with --archive=3b into DIR; building DIR's report again\n"
         "           with --archive=3b (and --style DIR/STYLE.xml if it was\n"
         "           made with a style file) gives the same PDF\n"
         "  pack     the agenda pack of a meeting file: front sheet, agenda, every\n"
         "           public report; writes OUT.manifest beside OUT.pdf\n"
         "\noptions:\n"
         "  -o, --output FILE     where to write\n"
         "  --diagnostics=json    print diagnostics as a JSON array on stderr\n"
         "  --diagnostics=text    FILE:LINE:COL: error|warning: message (default)\n"
         "  --werror              treat warnings as errors\n"
         "  --font-dir DIR        where the .ttf files are (default: built in)\n"
         "  --style NAME|PATH     house style: styles/NAME.xml or a style file\n"
         "                        (default: the built-in committee style)\n"
         "  --archive[=1b|3b]     build, pack: write an archive copy, PDF/A-1b\n"
         "                        (the default), or PDF/A-3b with the report and\n"
         "                        its appendix files attached (a pack: the meeting\n"
         "                        file, then each report and its appendices), then\n"
         "                        the style file (committee.xml for the built-in\n"
         "                        style) and its logo; the same inputs give the\n"
         "                        same bytes\n"
         "  --supplement          pack: the supplementary agenda (late items)\n"
         "  --since MANIFEST      pack: only items added or changed since the pack\n"
         "                        that wrote MANIFEST (implies --supplement)\n"
         "  --holidays FILE       pack: bank holidays for the clear-days rule\n"
         "  -h, --help            this text\n"
         "  --version             print the version\n"
         "\nenvironment:\n"
         "  QUORUM_FONT_DIR       where the .ttf files are (--font-dir wins)\n"
         "                        (default: share/quorum/fonts beside the program)\n"
         "  QUORUM_STYLE_DIR      where --style NAME looks for NAME.xml\n"
         "                        (default: share/quorum/styles beside the program)\n"
         "  QUORUM_SCHEMA_DIR     a folder holding quorum-report-1.xsd to check\n"
         "                        with (default: the schema built in)\n"
         "  SOURCE_DATE_EPOCH     pack: the PDF's creation date, in seconds since\n"
         "                        1970 (reproducible builds; default: the\n"
         "                        meeting's publication date)\n"
         "  QUORUM_UNTAGGED=1     write PDFs without the structure tree\n"
         "  QUORUM_TIMING=1       pack: print the time of each stage on stderr\n"
         "\nexit status:\n"
         "  0  success, no errors\n"
         "  1  invalid input (diagnostics say where), or input beyond a\n"
         "     limit (32 MiB a file, elements 256 deep)\n"
         "  2  usage error\n"
         "  3  input/output failure (unreadable file, disk full, ...)");
}

typedef struct cli {
    const char *cmd;
    const char *out;
    const char *font_dir;
    const char *style;
    const char **inputs;
    int ninputs;
    int json;
    int werror;
    int archive;         /* 0, 1 (PDF/A-1b) or 3 (PDF/A-3b) */
    int supplement;
    const char *since, *holidays;
} cli;

static int usage_error(const char *msg, const char *arg) {
    fprintf(stderr, "quorum: %s%s%s\n%s", msg, arg ? ": " : "", arg ? arg : "",
            usage);
    return QUORUM_USAGE;
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

/* Prints diagnostics and returns the exit status they imply: each error
 * says what it is about (quorum_diag.cls), so an unreadable file (3), an
 * impossible request (2) and a wrong input (1) need no guessing.
 * io_failed: an output could not be written (the writers' status). */
static int report(quorum_diags *d, const cli *c, int io_failed) {
    quorum_diags_sort(d);
    quorum_diags_print(d, stderr, c->json);
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
    double t[6] = {now_ms(), 0, 0, 0, 0, 0};
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
    if (p) {
        /* errors found while loading a report count as much as the checks' */
        quorum_options copt = {.font_dir = c->font_dir, .style = c->style};
        size_t errors = quorum_pack_check(e, p, &copt, d) +
                        quorum_diags_count_severity(d, QUORUM_ERROR);
        size_t warnings = quorum_diags_count_severity(d, QUORUM_WARNING);
        t[2] = now_ms();
        if (timing) hwm[2] = peak_mb();
        if (errors == 0 && !(c->werror && warnings)) {
            quorum_pack_options opt = {.font_dir = c->font_dir,
                                       .style = c->style,
                                       .since_manifest = c->since,
                                       .supplement = c->supplement};
            lay = quorum_pack_layout(e, p, &opt, d);
            /* a failure that says nothing is no input's fault */
            if (!lay && !quorum_diags_count_severity(d, QUORUM_ERROR)) io_failed = 1;
        }
        t[3] = now_ms();
        if (timing) hwm[3] = peak_mb();
    }
    /* an image an archive copy could not give back: nothing is written */
    if (lay && c->archive == 3 && quorum_pack_check_archive(p, d)) {
        quorum_layout_free(lay);
        lay = NULL;
    }
    if (lay) {
        char *def = c->out ? NULL : default_output(in, ".pdf");
        const char *out = c->out ? c->out : def;
        char *man = out ? default_output(out, ".manifest") : NULL;
        /* PDF/A-3b: the meeting file, each report and its appendices */
        size_t nsrc = c->archive == 3 ? quorum_pack_source_count(p) : 0;
        const char **src = calloc(nsrc + 1, sizeof *src);
        for (size_t i = 0; src && i < nsrc; i++) src[i] = quorum_pack_source_path(p, i);
        quorum_pdf_options po = {c->archive, src, c->archive == 3, 0};
        po.untagged = getenv("QUORUM_UNTAGGED") && *getenv("QUORUM_UNTAGGED");
        quorum_status pst = QUORUM_IO_ERROR;
        if (out && src)
            pst = quorum_layout_write_pdf_opts(lay, out, &po, d);
        int pdf_failed = pst != QUORUM_OK;
        if (pst == QUORUM_USAGE) usage_failed = 1; /* attachments' names clash */
        free(src);
        t[4] = now_ms();
        if (timing) hwm[4] = peak_mb();
        if (pdf_failed)
            io_failed = !usage_failed;
        else if (!man || quorum_pack_write_manifest(p, lay, man, d) != QUORUM_OK)
            io_failed = 1;
        free(man);
        free(def);
        t[5] = now_ms();
        if (timing) {
            fprintf(stderr, "timing: load %.1f ms, check %.1f ms, layout %.1f ms, "
                            "pdf %.1f ms, manifest %.1f ms, %zu pages\n",
                    t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3], t[5] - t[4],
                    quorum_layout_page_count(lay));
            fprintf(stderr, "timing: peak RSS after load %.1f MB, check %.1f MB, "
                            "layout %.1f MB, pdf %.1f MB\n",
                    hwm[1], hwm[2], hwm[3], hwm[4]);
        }
    }
    int rc = report(d, c, io_failed);
    if (usage_failed) rc = QUORUM_USAGE;
    quorum_layout_free(lay);
    quorum_pack_free(p);
    quorum_diags_free(d);
    return rc;
}

static int run(const quorum_engine *e, const cli *c) {
    if (strcmp(c->cmd, "pack") == 0) return run_pack(e, c);
    quorum_diags *d = quorum_diags_new();
    int io_failed = 0, usage_failed = 0;
    int rc;
    if (strcmp(c->cmd, "extract") == 0) {
        quorum_status st = quorum_pdf_extract(c->inputs[0], c->inputs[1], d);
        rc = report(d, c, st == QUORUM_IO_ERROR);
        if (rc == QUORUM_OK && st != QUORUM_OK) rc = (int)st;
        quorum_diags_free(d);
        return rc;
    }
    quorum_options opt = {.font_dir = c->font_dir, .style = c->style};
    if (strcmp(c->cmd, "check") == 0) {
        for (int i = 0; i < c->ninputs; i++) {
            quorum_doc *doc = quorum_doc_load(e, c->inputs[i], d);
            if (doc) quorum_doc_check(e, doc, &opt, d);
            quorum_doc_free(doc);
        }
        rc = report(d, c, io_failed);
        quorum_diags_free(d);
        return rc;
    }
    const char *in = c->inputs[0];
    quorum_doc *doc = quorum_doc_load(e, in, d);
    quorum_layout *lay = NULL;
    if (doc) {
        size_t errors = quorum_doc_check(e, doc, &opt, d);
        /* PDF/A-3b: every file must come back where a rebuild looks */
        if (c->archive == 3) errors += quorum_doc_check_archive(doc, d);
        size_t warnings = quorum_diags_count_severity(d, QUORUM_WARNING);
        if (errors == 0 && !(c->werror && warnings)) {
            lay = quorum_doc_layout(e, doc, &opt, d);
            /* a failure that says nothing is no input's fault */
            if (!lay && !quorum_diags_count_severity(d, QUORUM_ERROR)) io_failed = 1;
        }
    }
    if (lay) {
        if (strcmp(c->cmd, "dump") == 0) {
            FILE *f = c->out ? fopen(c->out, "w") : stdout;
            if (!f || quorum_layout_write_text(lay, f) != QUORUM_OK) {
                fprintf(stderr, "quorum: cannot write %s\n",
                        c->out ? c->out : "standard output");
                io_failed = 1;
            }
            if (f && f != stdout && fclose(f) != 0) io_failed = 1;
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
            quorum_pdf_options po = {c->archive, src, c->archive == 3, 0};
            po.untagged = getenv("QUORUM_UNTAGGED") && *getenv("QUORUM_UNTAGGED");
            quorum_status pst = QUORUM_IO_ERROR;
            if (out && src)
                pst = quorum_layout_write_pdf_opts(lay, out, &po, d);
            if (pst == QUORUM_USAGE) usage_failed = 1; /* names clash */
            else if (pst != QUORUM_OK) io_failed = 1;
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
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (!*end && v >= 0) eo.source_date_epoch = v;
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
    quorum_engine_free(e);
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
 * Then the first 2 MiB of heap, about what reading, checking and laying
 * out one report take from malloc (libxml2's trees, the layout's staging),
 * are populated in one call: under a hypervisor a page fault costs some
 * ten microseconds, and one report met ~300 of them there (the library's
 * arenas populate their own chunks).  Kernels before 5.14 refuse the call
 * and nothing changes. */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
static void prepare_heap(void) {
#ifdef __GLIBC__
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    size_t n = 2 * 1024 * 1024;
    char *b = malloc(n);
    if (b) {
        uintptr_t s = ((uintptr_t)b + 4095) & ~(uintptr_t)4095;
        uintptr_t e = ((uintptr_t)b + n) & ~(uintptr_t)4095;
        if (e > s) (void)madvise((void *)s, e - s, MADV_POPULATE_WRITE);
        free(b);
    }
#endif
}

int main(int argc, char **argv) {
    cli c = {0};
    c.inputs = calloc((size_t)argc, sizeof *c.inputs);
    if (!c.inputs) return QUORUM_IO_ERROR;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            print_help();
            free(c.inputs);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("quorum %s\n", quorum_version());
            free(c.inputs);
            return 0;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (++i >= argc) {
                free(c.inputs); /* no leak for LeakSanitizer to count */
                return usage_error("missing file after", a);
            }
            c.out = argv[i];
        } else if (strcmp(a, "--font-dir") == 0) {
            if (++i >= argc) {
                free(c.inputs); /* no leak for LeakSanitizer to count */
                return usage_error("missing directory after", a);
            }
            c.font_dir = argv[i];
        } else if (strcmp(a, "--style") == 0) {
            if (++i >= argc) {
                free(c.inputs); /* no leak for LeakSanitizer to count */
                return usage_error("missing style after", a);
            }
            c.style = argv[i];
        } else if (strcmp(a, "--supplement") == 0) {
            c.supplement = 1;
        } else if (strcmp(a, "--since") == 0) {
            if (++i >= argc) {
                free(c.inputs);
                return usage_error("missing file after", a);
            }
            c.since = argv[i];
            c.supplement = 1;
        } else if (strcmp(a, "--holidays") == 0) {
            if (++i >= argc) {
                free(c.inputs);
                return usage_error("missing file after", a);
            }
            c.holidays = argv[i];
        } else if (strcmp(a, "--diagnostics=json") == 0) {
            c.json = 1;
        } else if (strcmp(a, "--diagnostics=text") == 0) {
            c.json = 0;
        } else if (strcmp(a, "--werror") == 0) {
            c.werror = 1;
        } else if (strcmp(a, "--archive") == 0 ||
                   strcmp(a, "--archive=1b") == 0) {
            c.archive = 1;
        } else if (strcmp(a, "--archive=3b") == 0) {
            c.archive = 3;
        } else if (strncmp(a, "--archive=", 10) == 0) {
            free(c.inputs);
            return usage_error("--archive takes 1b or 3b, not", a + 10);
        } else if (a[0] == '-' && a[1]) {
            free(c.inputs);
            return usage_error("unknown option", a);
        } else if (!c.cmd) {
            c.cmd = a;
        } else {
            c.inputs[c.ninputs++] = a;
        }
    }
    int rc;
    if (!c.cmd)
        rc = usage_error("no command given", NULL);
    else if (strcmp(c.cmd, "build") && strcmp(c.cmd, "check") &&
             strcmp(c.cmd, "dump") && strcmp(c.cmd, "extract") &&
             strcmp(c.cmd, "pack"))
        rc = usage_error("unknown command", c.cmd);
    else if (c.archive && strcmp(c.cmd, "build") && strcmp(c.cmd, "pack"))
        rc = usage_error("--archive applies to build and pack only, not", c.cmd);
    /* A script that passes pack's options to another command has a bug it
     * should hear about, not a result that silently ignored them. */
    else if ((c.supplement || c.holidays) && strcmp(c.cmd, "pack"))
        rc = usage_error(c.since ? "--since applies to pack only, not"
                         : c.supplement ? "--supplement applies to pack only, not"
                                        : "--holidays applies to pack only, not",
                         c.cmd);
    else if (strcmp(c.cmd, "extract") == 0 && c.ninputs != 2)
        rc = usage_error("extract takes FILE.pdf and a directory", NULL);
    else if (c.ninputs == 0)
        rc = usage_error("no input file given", NULL);
    else if (strcmp(c.cmd, "check") && strcmp(c.cmd, "extract") &&
             c.ninputs > 1)
        rc = usage_error("one input file at a time for", c.cmd);
    else {
        prepare_heap();
        rc = with_engine(&c);
    }
    free(c.inputs);
    return rc;
}
