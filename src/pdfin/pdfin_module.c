/* The qpdfin_ calls as the rest of quorum sees them: each loads
 * quorum-pdfin.so (libqpdf) the first time, once per process, and then
 * calls into its table.  A run that reads no PDF (build, check, pack of
 * XML reports, HTML) never maps libqpdf and the thirteen libraries it
 * needs: about half of quorum's start-up.  When the module cannot be
 * loaded, every call fails the way it fails on a bad PDF, with why. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdfin.h"
#include "util.h"

#define MODULE_FILE "quorum-pdfin.so"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const qpdfin_ops *ops;
static char load_error[256];

#ifdef QUORUM_PDFIN_BUILTIN
static void load(void) { ops = quorum_pdfin_module(); }
#else
static void load(void) {
    char *path = qres_find_module(MODULE_FILE);
    if (!path) {
        snprintf(load_error, sizeof load_error,
                 "PDF reading is not installed (%s is missing beside quorum)",
                 MODULE_FILE);
        return;
    }
    /* never unloaded: the table and what libqpdf registers live as long
     * as the process */
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(load_error, sizeof load_error, "PDF reading is not available (%s)",
                 e ? e : path);
        free(path);
        return;
    }
    void *sym = dlsym(h, "quorum_pdfin_module");
    const qpdfin_ops *(*get)(void) = NULL;
    if (sym) memcpy(&get, &sym, sizeof get);
    const qpdfin_ops *t = get ? get() : NULL;
    if (!t || t->abi != QPDFIN_ABI || t->size != sizeof *t) {
        snprintf(load_error, sizeof load_error,
                 "PDF reading is not available (%s is from another build of quorum)",
                 path);
        free(path);
        return;
    }
    free(path);
    ops = t;
}
#endif

/* The table, or NULL with why filled in. */
static const qpdfin_ops *module(char *why, size_t whyn) {
    pthread_once(&once, load);
    if (!ops && why && whyn) snprintf(why, whyn, "%s", load_error);
    return ops;
}

qpdfin *qpdfin_open(const unsigned char *b, size_t n, char *why, size_t whyn) {
    const qpdfin_ops *m = module(why, whyn);
    return m ? m->open(b, n, why, whyn) : NULL;
}

void qpdfin_close(qpdfin *q) {
    /* a qpdfin exists only when the module loaded */
    if (q) ops->close(q);
}

long qpdfin_find_files(qpdfin *q, char *why, size_t whyn) {
    return ops->find_files(q, why, whyn);
}

const char *qpdfin_file_name(const qpdfin *q, size_t i, size_t *len) {
    return ops->file_name(q, i, len);
}

int qpdfin_file_data(qpdfin *q, size_t i, size_t max, unsigned char **out, size_t *len,
                     int *has_sum, unsigned char sum[16], char *why, size_t whyn) {
    return ops->file_data(q, i, max, out, len, has_sum, sum, why, whyn);
}

int qpdfin_inspect(const unsigned char *b, size_t n, size_t max_pages, size_t max_objects,
                   qpdfin_doc *out, char *why, size_t whyn) {
    const qpdfin_ops *m = module(why, whyn);
    if (!m) memset(out, 0, sizeof *out);
    return m ? m->inspect(b, n, max_pages, max_objects, out, why, whyn) : -1;
}

void qpdfin_doc_free(qpdfin_doc *d) {
    /* a doc the module never filled holds nothing */
    if (ops) ops->doc_free(d);
}

int qpdfin_place(const unsigned char *in, size_t n, const qpdfin_placement *pl, size_t np,
                 unsigned char **out, size_t *outlen, char *why, size_t whyn) {
    const qpdfin_ops *m = module(why, whyn);
    return m ? m->place(in, n, pl, np, out, outlen, why, whyn) : -1;
}

void qpdfin_version(char *buf, size_t n) {
    char why[256];
    const qpdfin_ops *m = module(why, sizeof why);
    if (m) m->version(buf, n);
    else snprintf(buf, n, "libqpdf: %s", why);
}
