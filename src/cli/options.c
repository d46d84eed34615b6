/* The command line as a table: each option says its names, its value, the
 * commands it applies to and its help line, so parsing, the "applies to"
 * rule and --help cannot disagree. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum opt_id {
    O_OUTPUT, O_DIAGNOSTICS, O_WERROR, O_FONT_DIR, O_STYLE, O_ARCHIVE,
    O_SUPPLEMENT, O_SINCE, O_HOLIDAYS, O_HELP, O_VERSION, O_MAPPING, O_FORMAT,
    O_TEMPLATE, O_COLOR, O_JOBS,
    O_NO_CACHE
};

/* value: NULL = a flag; "=..." = a value only in the --opt=value form
 * (--archive, whose value is optional); else the value's name. */
typedef struct opt_spec {
    enum opt_id id;
    const char *name;  /* long name without "--" */
    char short_name;   /* 0 = none */
    const char *value;
    int commands;      /* CMD_* bits */
    const char *help;
} opt_spec;

static const opt_spec opts[] = {
    {O_OUTPUT, "output", 'o', "FILE", CMD_BUILD | CMD_DUMP | CMD_PACK | CMD_IMPORT | CMD_PUBLISH | CMD_WATCH,
     "where to write; - is standard output (build, dump);\n"
     "never a file the run reads, a directory, a FIFO or a\n"
     "device (a usage error); publish: the site's folder"},
    {O_STYLE, "style", 0, "NAME|PATH", CMD_BUILD | CMD_CHECK | CMD_DUMP | CMD_PACK | CMD_PUBLISH | CMD_WATCH,
     "house style: styles/NAME.xml or a style file (default:\n"
     "the built-in committee style); check measures\n"
     "characters with its fonts"},
    {O_FONT_DIR, "font-dir", 0, "DIR", CMD_BUILD | CMD_CHECK | CMD_DUMP | CMD_PACK | CMD_PUBLISH | CMD_WATCH,
     "where the .ttf files are (default: share/quorum/fonts\n"
     "beside the program)"},
    {O_ARCHIVE, "archive", 0, "=2a|3a|1b", CMD_BUILD | CMD_PACK,
     "write an archive copy: PDF/A-2a (the default; tagged\n"
     "and accessible, also PDF/UA-1), PDF/A-3a: the same with\n"
     "the report and its appendix files attached (a pack:\n"
     "the meeting file, then each report and its appendices),\n"
     "then the style file (committee.xml for the built-in\n"
     "style) and its logo, or PDF/A-1b (PDF 1.4, what PDFBox\n"
     "Preflight checks); 3b is the old name of 3a;\n"
     "dated with the meeting (or SOURCE_DATE_EPOCH);\n"
     "the same inputs give the same bytes"},
    {O_SUPPLEMENT, "supplement", 0, NULL, CMD_PACK,
     "the supplementary agenda (late items)"},
    {O_SINCE, "since", 0, "MANIFEST", CMD_PACK,
     "only items added or changed since the pack that wrote\n"
     "MANIFEST, or PDF.pdf with its manifest beside it, once\n"
     "the two are checked to belong together (implies\n"
     "--supplement)"},
    {O_NO_CACHE, "no-cache", 0, NULL, CMD_PACK,
     "lay out every report again: neither read nor write\n"
     "OUT.cache, the folder of report layouts beside the\n"
     "manifest (docs/meeting.md, \"The cache\")"},
    {O_HOLIDAYS, "holidays", 0, "FILE", CMD_CHECK | CMD_PACK | CMD_PUBLISH | CMD_WATCH,
     "bank holidays for the clear-days rule (default: the\n"
     "built-in list of England and Wales)"},
    {O_MAPPING, "mapping", 0, "FILE", CMD_IMPORT,
     "a council's mapping file: its own style names and\n"
     "front-sheet labels (docs/import.md)"},
    {O_DIAGNOSTICS, "diagnostics", 0, "text|json|sarif", CMD_ANY,
     "FILE:LINE:COL: error|warning: message lines, each with\n"
     "its source line and a caret (text, the default), a JSON\n"
     "array or a SARIF 2.1.0 log, on stderr\n"
     "(docs/diagnostics.md)"},
    {O_WERROR, "werror", 0, NULL, CMD_ANY, "treat warnings as errors"},
    {O_HELP, "help", 'h', NULL, CMD_ANY | CMD_HELP, "this text, or a command's own"},
    {O_VERSION, "version", 0, NULL, CMD_ANY | CMD_HELP,
     "print the version and those of libharu and libxml2"},
    {O_COLOR, "color", 0, "auto|always|never", CMD_ANY,
     "colour text diagnostics; auto (the default): when\n"
     "stderr is a terminal and NO_COLOR is unset or empty"},
    {O_FORMAT, "format", 0, "pdf|html", CMD_BUILD,
     "what build writes: pdf (the default) or html, one\n"
     "accessible, self-contained HTML page (default output:\n"
     "the input with .html in place of .xml)"},
    {O_TEMPLATE, "template", 0, "NAME", CMD_NEW,
     "the council whose papers the new report follows:\n"
     "committee (the default), anglesey, highland,\n"
     "maidstone, swale or swansea (share/quorum/templates)"},
    {O_JOBS, "jobs", 'j', "N", CMD_PACK | CMD_PUBLISH | CMD_WATCH,
     "read, check and lay out the reports on N threads\n"
     "(default 2; 1 to 64); the output is the same for any N"},
};
#define NOPTS (sizeof opts / sizeof *opts)

typedef struct cmd_spec {
    const char *name;
    int bit;
    const char *synopsis;
    const char *help;
} cmd_spec;

static const cmd_spec cmds[] = {
    {"build", CMD_BUILD, "quorum build REPORT.xml [-o OUT.pdf] [options]",
     "validate REPORT.xml and write the PDF (default: beside the input, with\n"
     ".pdf in place of .xml; - reads the report from standard input, then\n"
     "-o is needed, and -o - writes the PDF to standard output)"},
    {"check", CMD_CHECK, "quorum check REPORT.xml|MEETING.xml... [options]",
     "validate only; writes nothing (- reads standard input); a meeting\n"
     "file is checked with every public report it names, as pack checks it"},
    {"dump", CMD_DUMP, "quorum dump REPORT.xml [-o OUT.txt] [options]",
     "write the laid-out pages as text, the golden-test format (default:\n"
     "standard output)"},
    {"extract", CMD_EXTRACT, "quorum extract FILE.pdf DIR",
     "write the source files attached to an archive copy made with\n"
     "--archive=3b into DIR; building DIR's report again with --archive=3b\n"
     "(and --style DIR/STYLE.xml if it was made with a style file) gives\n"
     "the same PDF"},
    {"pack", CMD_PACK,
     "quorum pack MEETING.xml [-o OUT.pdf] [--supplement [--since MANIFEST]]\n"
     "                       [--holidays FILE] [options]",
     "the agenda pack of a meeting file: front sheet, agenda, every public\n"
     "report; writes OUT.manifest beside OUT.pdf, the two as one pair (so\n"
     "-o - and -o X.manifest are refused)"},
    {"import", CMD_IMPORT, "quorum import REPORT.docx [-o OUT.xml] [--mapping FILE]",
     "a Word document to report XML, checked as check does (default: beside\n"
     "the input, with .xml in place of .docx; its images beside it)"},
    {"help", CMD_HELP, "quorum help [COMMAND]", "this text, or a command's own"},
    {"publish", CMD_PUBLISH, "quorum publish MEETING.xml -o DIR [options]",
     "the meeting as a static web site in DIR: index.html (the meeting and\n"
     "its agenda), an HTML page and a PDF for each public report, the agenda\n"
     "pack (and the supplement, when items are late); files whose bytes\n"
     "would not change are not rewritten"},
    {"new", CMD_NEW, "quorum new [--template NAME] DIR",
     "a new report to fill in: DIR/report.xml (and DIR/meeting.xml for the\n"
     "committee template) with the front sheet, sections and implications\n"
     "of a council's papers; DIR is made, or must be empty (nothing is\n"
     "written over)"},
    {"watch", CMD_WATCH, "quorum watch REPORT.xml|MEETING.xml [-o OUT.pdf] [options]",
     "build (a meeting file: pack), then again whenever the report, its\n"
     "appendices, images or style change (a meeting: any XML or image file\n"
     "in its folder); a failed build prints its diagnostics and leaves the\n"
     "last good PDF in place; stops on Ctrl-C (SIGINT) or SIGTERM"},
};
#define NCMDS (sizeof cmds / sizeof *cmds)

static const char *usage =
    "usage: quorum build REPORT.xml [-o OUT.pdf] [options]\n"
    "       quorum check REPORT.xml...             [options]\n"
    "       quorum dump REPORT.xml [-o OUT.txt]    [options]\n"
    "       quorum extract FILE.pdf DIR\n"
    "       quorum pack MEETING.xml [-o OUT.pdf] [--supplement [--since MANIFEST]]\n"
    "                                             [--holidays FILE] [options]\n"
    "       quorum import REPORT.docx [-o OUT.xml] [--mapping FILE]\n"
    "       quorum help [COMMAND] | COMMAND --help | --version\n"
    "       quorum build --format html REPORT.xml [-o OUT.html] [options]\n"
    "       quorum publish MEETING.xml -o DIR        [options]\n"
    "       quorum new [--template NAME] DIR\n"
    "       quorum watch REPORT.xml|MEETING.xml [-o OUT.pdf] [options]\n";

static const char *environment =
    "environment (an option on the command line wins):\n"
    "  QUORUM_FONT_DIR     as --font-dir\n"
    "  QUORUM_STYLE_DIR    where --style NAME looks for NAME.xml (default:\n"
    "                      share/quorum/styles beside the program)\n"
    "  QUORUM_SCHEMA_DIR   a folder holding quorum-report-1.xsd to check with\n"
    "                      (default: the schema built in)\n"
    "  SOURCE_DATE_EPOCH   the PDF's creation date, in seconds since 1970\n"
    "                      (reproducible builds; default: a pack's\n"
    "                      publication date, a report's meeting date)\n"
    "  QUORUM_UNTAGGED=1   write PDFs without the structure tree\n"
    "  QUORUM_TIMING=1     pack: print the time of each stage on stderr\n"
    "  NO_COLOR            set and not empty: no colour (--color=auto)\n";

static const char *exit_status =
    "exit status:\n"
    "  0  success, no errors\n"
    "  1  invalid input (diagnostics say where), or input beyond a limit\n"
    "     (32 MiB a file, 64 MiB an image, elements 256 deep)\n"
    "  2  usage error\n"
    "  3  input/output failure (unreadable file, disk full, ...)\n";

int cli_usage_error(const char *msg, const char *arg) {
    fprintf(stderr, "quorum: %s%s%s\n%s", msg, arg ? ": " : "", arg ? arg : "",
            usage);
    return 2;
}

static const cmd_spec *find_cmd(const char *name) {
    for (size_t i = 0; i < NCMDS; i++)
        if (strcmp(cmds[i].name, name) == 0) return &cmds[i];
    return NULL;
}

/* Prints text with every line after the first indented to col. */
static void put_indented(FILE *f, const char *text, int col) {
    for (const char *s = text; *s; s++) {
        fputc(*s, f);
        if (*s == '\n') fprintf(f, "%*s", col, "");
    }
    fputc('\n', f);
}

static void put_option(FILE *f, const opt_spec *o) {
    char head[64];
    const char *v = o->value;
    if (o->short_name)
        snprintf(head, sizeof head, "-%c, --%s%s%s", o->short_name, o->name,
                 v ? " " : "", v ? v : "");
    else if (v && v[0] == '=')
        snprintf(head, sizeof head, "--%s[%s]", o->name, v);
    else
        snprintf(head, sizeof head, "--%s%s%s", o->name, v ? " " : "", v ? v : "");
    fprintf(f, "  %-22s", head);
    if (strlen(head) > 22) fprintf(f, "\n  %-22s", "");
    put_indented(f, o->help, 24);
}

void cli_help(FILE *f, const char *cmd, const char *version) {
    const cmd_spec *c = cmd ? find_cmd(cmd) : NULL;
    if (c && c->bit != CMD_HELP) {
        fprintf(f, "usage: %s\n\n", c->synopsis);
        put_indented(f, c->help, 0);
        fputs("\noptions:\n", f);
        for (size_t i = 0; i < NOPTS; i++)
            if (opts[i].commands & c->bit) put_option(f, &opts[i]);
        fprintf(f, "\n%s\n%s", environment, exit_status);
        return;
    }
    fprintf(f, "quorum %s: committee reports from XML to paginated PDF\n\n%s\n",
            version, usage);
    fputs("commands:\n", f);
    for (size_t i = 0; i < NCMDS; i++) {
        fprintf(f, "  %-9s", cmds[i].name);
        put_indented(f, cmds[i].help, 11);
    }
    fputs("\noptions (--opt VALUE and --opt=VALUE alike; -- ends the options):\n", f);
    for (size_t i = 0; i < NOPTS; i++) put_option(f, &opts[i]);
    fprintf(f, "\n%s\n%s", environment, exit_status);
}

/* "pack", "build and pack", "build, dump and pack" */
static void command_list(int bits, char *buf, size_t n) {
    const char *names[NCMDS];
    size_t k = 0;
    for (size_t i = 0; i < NCMDS; i++)
        if (bits & cmds[i].bit && cmds[i].bit != CMD_HELP) names[k++] = cmds[i].name;
    buf[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        const char *sep = i == 0 ? "" : i + 1 == k ? " and " : ", ";
        size_t used = strlen(buf);
        snprintf(buf + used, n - used, "%s%s", sep, names[i]);
    }
}

/* Sets the option's effect; 0 or a usage error. */
static int apply(cli *c, const opt_spec *o, const char *arg, const char *typed) {
    switch (o->id) {
    case O_OUTPUT: c->out = arg; break;
    case O_STYLE: c->style = arg; break;
    case O_FONT_DIR: c->font_dir = arg; break;
    case O_SINCE: c->since = arg; c->supplement = 1; break;
    case O_NO_CACHE: c->no_cache = 1; break;
    case O_HOLIDAYS: c->holidays = arg; break;
    case O_SUPPLEMENT: c->supplement = 1; break;
    case O_WERROR: c->werror = 1; break;
    case O_HELP: c->help = 1; break;
    case O_VERSION: c->version = 1; break;
    case O_MAPPING: c->mapping = arg; break;
    case O_TEMPLATE: c->template_name = arg; break;
    case O_JOBS: {
        char *end;
        long n = strtol(arg, &end, 10);
        if (*end || end == arg || n < 1 || n > 64)
            return cli_usage_error("--jobs takes a number of threads from 1 to 64, not", arg);
        c->jobs = (unsigned)n;
        break;
    }
    case O_DIAGNOSTICS:
        if (strcmp(arg, "json") == 0) c->json = 1;
        else if (strcmp(arg, "text") == 0) c->json = 0;
        else if (strcmp(arg, "sarif") == 0) c->json = 2;
        else return cli_usage_error("--diagnostics takes text, json or sarif, not", arg);
        break;
    case O_COLOR:
        if (strcmp(arg, "auto") == 0) c->color = CLI_COLOR_AUTO;
        else if (strcmp(arg, "always") == 0) c->color = CLI_COLOR_ALWAYS;
        else if (strcmp(arg, "never") == 0) c->color = CLI_COLOR_NEVER;
        else return cli_usage_error("--color takes auto, always or never, not", arg);
        break;
    case O_FORMAT:
        if (strcmp(arg, "html") == 0) c->html = 1;
        else if (strcmp(arg, "pdf") == 0) c->html = 0;
        else return cli_usage_error("--format takes pdf or html, not", arg);
        break;
    case O_ARCHIVE:
        if (!arg || strcmp(arg, "2a") == 0) c->archive = 2;
        else if (strcmp(arg, "1b") == 0) c->archive = 1;
        else if (strcmp(arg, "3a") == 0 || strcmp(arg, "3b") == 0) c->archive = 3;
        else return cli_usage_error("--archive takes 2a, 3a (or 3b) or 1b, not", arg);
        break;
    }
    (void)typed;
    return 0;
}

static const char *missing_what(const opt_spec *o) {
    if (strcmp(o->value, "DIR") == 0) return "missing directory after";
    if (strcmp(o->value, "NAME|PATH") == 0) return "missing style after";
    if (strcmp(o->value, "NAME") == 0) return "missing template name after";
    if (strcmp(o->value, "N") == 0) return "missing number after";
    return "missing file after";
}

int cli_parse(cli *c, int argc, char **argv) {
    int options_done = 0;
    /* which command each option was given with is checked once the command
     * is known: options may come before it */
    unsigned seen = 0; /* bit per enum opt_id */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options_done || a[0] != '-' || strcmp(a, "-") == 0) {
            if (!c->cmd) {
                c->cmd = a;
                const cmd_spec *cs = find_cmd(a);
                c->cmd_bit = cs ? cs->bit : 0;
            } else {
                c->inputs[c->ninputs++] = a;
            }
            continue;
        }
        if (strcmp(a, "--") == 0) {
            options_done = 1;
            continue;
        }
        const opt_spec *o = NULL;
        const char *arg = NULL;
        int inline_arg = 0;
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            for (size_t k = 0; k < NOPTS && !o; k++)
                if (strlen(opts[k].name) == len && strncmp(opts[k].name, name, len) == 0)
                    o = &opts[k];
            if (o && eq) {
                arg = eq + 1;
                inline_arg = 1;
            }
        } else {
            for (size_t k = 0; k < NOPTS && !o; k++)
                if (opts[k].short_name == a[1]) o = &opts[k];
            if (o && a[2]) {
                arg = a + 2; /* -oFILE */
                inline_arg = 1;
            }
        }
        if (!o) return cli_usage_error("unknown option", a);
        if (!o->value && inline_arg)
            return cli_usage_error("this option takes no value", a);
        if (o->value && o->value[0] != '=' && !inline_arg) {
            if (i + 1 >= argc) return cli_usage_error(missing_what(o), a);
            arg = argv[++i];
        }
        if (o->value && inline_arg && !*arg && o->value[0] != '=')
            return cli_usage_error(missing_what(o), a);
        int rc = apply(c, o, arg, a);
        if (rc) return rc;
        seen |= 1u << o->id;
    }
    /* `quorum help build` is `quorum build --help` */
    if (c->cmd && strcmp(c->cmd, "help") == 0) {
        c->help = 1;
        c->cmd = c->ninputs ? c->inputs[0] : NULL;
        c->cmd_bit = 0;
        if (c->cmd) {
            const cmd_spec *cs = find_cmd(c->cmd);
            if (!cs) return cli_usage_error("no help for unknown command", c->cmd);
            c->cmd_bit = cs->bit;
        }
        c->ninputs = 0;
        return 0;
    }
    if (c->help || c->version) return 0;
    if (!c->cmd) return 0; /* cli_validate says so */
    if (!c->cmd_bit) return cli_usage_error("unknown command", c->cmd);
    for (size_t k = 0; k < NOPTS; k++) {
        if (!(seen & 1u << opts[k].id) || opts[k].commands & c->cmd_bit) continue;
        char list[64], msg[128];
        command_list(opts[k].commands, list, sizeof list);
        snprintf(msg, sizeof msg, "--%s applies to %s only, not", opts[k].name, list);
        return cli_usage_error(msg, c->cmd);
    }
    return 0;
}

int cli_validate(const cli *c) {
    if (!c->cmd) return cli_usage_error("no command given", NULL);
    int bit = c->cmd_bit;
    if (bit == CMD_EXTRACT && c->ninputs != 2)
        return cli_usage_error("extract takes FILE.pdf and a directory", NULL);
    if (c->ninputs == 0) return cli_usage_error("no input file given", NULL);
    if (bit == CMD_PUBLISH && (!c->out || strcmp(c->out, "-") == 0))
        return cli_usage_error("publish writes a folder: name it with", "-o DIR");
    if (c->html && c->archive)
        return cli_usage_error("an archive copy is a PDF, so not possible with", "--format html");
    if (bit != CMD_CHECK && bit != CMD_EXTRACT && c->ninputs > 1)
        return cli_usage_error("one input file at a time for", c->cmd);
    int stdin_uses = 0;
    for (int i = 0; i < c->ninputs; i++)
        if (strcmp(c->inputs[i], "-") == 0) stdin_uses++;
    if (stdin_uses > 1)
        return cli_usage_error("standard input can be read once", NULL);
    /* a meeting file names its reports relative to itself, and extract
     * reads a PDF's cross-reference table from its end: both need a file */
    if (stdin_uses && (bit == CMD_PACK || bit == CMD_EXTRACT || bit == CMD_IMPORT ||
                       bit == CMD_PUBLISH || bit == CMD_NEW ||
                       bit == CMD_WATCH))
        return cli_usage_error("- (standard input) is not possible for", c->cmd);
    if (c->out && strcmp(c->out, "-") == 0 && bit == CMD_PACK)
        return cli_usage_error("pack writes a manifest beside its PDF, so -o - is not "
                               "possible for", c->cmd);
    if (c->out && strcmp(c->out, "-") == 0 && bit == CMD_WATCH)
        return cli_usage_error("watch keeps the last good PDF in a file, so -o - is "
                               "not possible for", c->cmd);
    if (c->out && strcmp(c->out, "-") == 0 && bit == CMD_IMPORT)
        return cli_usage_error("import writes a report's images beside it, so -o - is "
                               "not possible for", c->cmd);
    if (c->out && strcmp(c->out, "-") == 0 && c->archive)
        return cli_usage_error("an archive copy is written to a file (it is "
                               "fsynced), so -o - is not possible with", "--archive");
    if (stdin_uses && bit == CMD_BUILD && !c->out)
        return cli_usage_error("reading standard input: say where to write with", "-o");
    if (stdin_uses && c->archive == 3)
        return cli_usage_error("--archive=3b attaches the report's file; it cannot be "
                               "read from", "standard input");
    return 0;
}
