/* quorum watch: build, then build again whenever an input changes, until
 * SIGINT or SIGTERM.  Each build is the build (or pack) command's own run,
 * so a failed one prints its diagnostics and, writing through a temporary
 * file, leaves the last good PDF where it was. */
#include <quorum.h>

#include "cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

/* No SA_RESTART: the signal ends the wait at once rather than at the
 * next timeout. */
static void catch_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* A style named by path is an input; a name (riverside) is found in the
 * styles folder, which a report author does not edit. */
static const char *style_file(const cli *c) {
    if (!c->style) return NULL;
    size_t n = strlen(c->style);
    return strchr(c->style, '/') || (n > 4 && strcmp(c->style + n - 4, ".xml") == 0)
               ? c->style
               : NULL;
}

/* What the next build reads: a report's files as the loader names them
 * (so a new appendix or image is watched from the build that first reads
 * it); a meeting's folder.  A report that does not load keeps the set it
 * had, with the report itself. */
static void rewatch(const quorum_engine *e, quorum_watch *w, const cli *c,
                    int meeting, int first, quorum_diags *d) {
    const char *in = c->inputs[0];
    const char *style = style_file(c);
    if (meeting) {
        const char *slash = strrchr(in, '/');
        char *dir = slash ? strndup(in, (size_t)(slash - in + (slash == in))) : strdup(".");
        const char *paths[2] = {dir, style};
        if (dir) quorum_watch_files(w, paths, 2, d);
        free(dir);
        return;
    }
    quorum_diags *scratch = quorum_diags_new();
    quorum_doc *doc = quorum_doc_load(e, in, scratch);
    quorum_diags_free(scratch);
    if (!doc) {
        /* the first build failed to load: the report alone until it does */
        const char *paths[2] = {in, style};
        if (first) quorum_watch_files(w, paths, 2, d);
        return;
    }
    size_t n = quorum_doc_source_count(doc);
    const char **paths = calloc(n + 2, sizeof *paths);
    if (paths) {
        for (size_t i = 0; i < n; i++) paths[i] = quorum_doc_source_path(doc, i);
        paths[n] = style;
        paths[n + 1] = in; /* the report, however the loader names it */
        quorum_watch_files(w, paths, n + 2, d);
    }
    free(paths);
    quorum_doc_free(doc);
}

int cli_watch(const quorum_engine *e, const cli *c) {
    catch_signals();
    quorum_diags *d = quorum_diags_new();
    quorum_watch *w = quorum_watch_new(d);
    if (!w) {
        quorum_diags_print(d, stderr, c->json);
        quorum_diags_free(d);
        return QUORUM_IO_ERROR;
    }
    int meeting = quorum_file_is_meeting(e, c->inputs[0]);
    cli b = *c;
    b.cmd = meeting ? "pack" : "build";
    b.cmd_bit = meeting ? CMD_PACK : CMD_BUILD;
    int rc = 0;
    for (int first = 1; !stop; first = 0) {
        rc = cli_run(e, &b);
        rewatch(e, w, c, meeting, first, d);
        /* a folder that cannot be watched: say so, and stop */
        if (quorum_diags_count_severity(d, QUORUM_ERROR)) break;
        fprintf(stderr, rc == 0 ? "quorum watch: built; waiting for changes\n"
                                : "quorum watch: not built, the last good PDF is "
                                  "kept; waiting for changes\n");
        int r = 0;
        while (!stop && (r = quorum_watch_wait(w, 1000, 150)) == 0) continue;
        if (r < 0) {
            fprintf(stderr, "quorum watch: cannot read file events\n");
            rc = QUORUM_IO_ERROR;
            break;
        }
    }
    if (quorum_diags_count_severity(d, QUORUM_ERROR)) {
        quorum_diags_print(d, stderr, c->json);
        rc = QUORUM_IO_ERROR;
    } else if (stop) {
        rc = 0;
    }
    quorum_watch_free(w);
    quorum_diags_free(d);
    return rc;
}
