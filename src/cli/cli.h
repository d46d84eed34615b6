/* The quorum command's own parts: options (options.c) and what runs them
 * (main.c).  Nothing here is part of the library. */
#ifndef QUORUM_CLI_H
#define QUORUM_CLI_H
#include <stdio.h>

#include <quorum.h>

/* Commands, as bits so that an option can name those it applies to. */
enum {
    CMD_BUILD = 1 << 0,
    CMD_CHECK = 1 << 1,
    CMD_DUMP = 1 << 2,
    CMD_EXTRACT = 1 << 3,
    CMD_PACK = 1 << 4,
    CMD_HELP = 1 << 5,
    CMD_IMPORT = 1 << 6,
    CMD_PUBLISH = 1 << 7,
    CMD_NEW = 1 << 8,
    CMD_WATCH = 1 << 9,
    CMD_ANY = CMD_BUILD | CMD_CHECK | CMD_DUMP | CMD_EXTRACT | CMD_PACK |
              CMD_IMPORT | CMD_PUBLISH | CMD_NEW | CMD_WATCH
};

typedef struct cli {
    const char *cmd;      /* "build", ... as typed; NULL = none */
    int cmd_bit;          /* CMD_* of cmd */
    const char *out;      /* -o; "-" = standard output */
    const char *font_dir;
    const char *style;
    const char **inputs;  /* "-" = standard input */
    int ninputs;
    int json;             /* diagnostics: 0 text, 1 JSON, 2 SARIF
                             (quorum_diags_format) */
    int werror;
    int archive;          /* 0, 1 (PDF/A-1b), 2 (PDF/A-2a) or 3 (PDF/A-3a) */
    int supplement;
    const char *since, *holidays;
    int help, version;    /* --help / --version seen */
    const char *mapping;  /* import: --mapping */
    int html;             /* build --format html */
    const char *template_name; /* new: --template */
    int color;            /* --color: CLI_COLOR_*; 0 = auto */
    int no_cache;         /* pack: --no-cache */
    unsigned jobs;        /* -j, --jobs: a pack's threads; 0 = the default */
} cli;

enum { CLI_COLOR_AUTO = 0, CLI_COLOR_ALWAYS = 1, CLI_COLOR_NEVER = 2 };

/* Parses argv into c (c->inputs has room for argc entries).  Returns 0,
 * or 2 (usage) after printing the message and the usage text on stderr.
 * A command's own help is asked for as `quorum help CMD` or
 * `quorum CMD --help`; both leave c->help set and c->cmd naming CMD. */
int cli_parse(cli *c, int argc, char **argv);

/* Rules between the options and the command (an option another command
 * takes, missing inputs, "-" where it cannot be).  0 or 2 as above. */
int cli_validate(const cli *c);

/* The whole help (cmd NULL), or one command's. */
void cli_help(FILE *f, const char *cmd, const char *version);

/* Runs a command (main.c); the exit status. */
int cli_run(const quorum_engine *e, const cli *c);
/* quorum watch (watch.c): builds until SIGINT or SIGTERM; 0 then. */
int cli_watch(const quorum_engine *e, const cli *c);

/* "quorum: MSG: ARG" and the usage text on stderr; returns 2. */
int cli_usage_error(const char *msg, const char *arg);
#endif
