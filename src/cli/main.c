/* main.c — `envgov`: global options, the command table, option parsing and help.
 * Global options may stand before or after the command: --db PATH (default var/envgov.db or
 * $ENVGOV_DB), --format table|csv|json|ndjson (query commands), --help.  See cli.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "common/eg_mem.h"
#include "common/eg_time.h"

#define ENVGOV_VERSION "0.1.0"

/* Every command table, one line each (cli.h declares them). */
static const struct cli_cmd *const tables[] = {
    cli_import_cmds,  cli_air_cmds,    cli_serve_cmds,     cli_device_cmds, cli_hj212_cmds,
    cli_sim_cmds,     cli_user_cmds,   cli_web_cmds,       cli_work_cmds,   cli_enterprise_cmds,
    cli_inspect_cmds, cli_credit_cmds, cli_emergency_cmds, cli_water_cmds,
};

int cli_store(struct cli *c)
{
    if (c->store)
        return 0;
    int rc = store_open(c->db_path, 0, &c->store, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    return 0;
}

int cli_fail(struct cli *c, int rc)
{
    char msg[1024];
    if (!c->eb.msg[0] && !c->eb.code)
        c->eb.code = rc;
    eg_errbuf_format(&c->eb, msg, sizeof(msg));
    fprintf(stderr, "envgov: %s\n", msg);
    return CLI_FAIL;
}

int cli_usage(const struct cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "envgov %s: ", cmd ? cmd->name : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: envgov %s\n(see envgov %s --help)\n", cmd ? cmd->usage : "COMMAND",
            cmd ? cmd->name : "help");
    return CLI_USAGE;
}

int cli_opt_index(const struct cli_cmd *cmd, const char *name)
{
    for (int i = 0; cmd->opts && cmd->opts[i].name; i++)
        if (!strcmp(cmd->opts[i].name, name))
            return i;
    return -1;
}

const char *cli_value(const struct cli_cmd *cmd, const struct cli_args *a, const char *name)
{
    int i = cli_opt_index(cmd, name);
    return i >= 0 && a->set[i] ? a->value[i] : NULL;
}

bool cli_flag(const struct cli_cmd *cmd, const struct cli_args *a, const char *name)
{
    int i = cli_opt_index(cmd, name);
    return i >= 0 && a->set[i];
}

const char *const *cli_multi(const struct cli_cmd *cmd, const struct cli_args *a, const char *name,
                             size_t *ret_n)
{
    int i = cli_opt_index(cmd, name);
    *ret_n = i >= 0 ? a->nmulti[i] : 0;
    return i >= 0 ? a->multi[i] : NULL;
}

int cli_date(const struct cli_cmd *cmd, const char *opt, const char *s, int32_t *ret)
{
    if (eg_date_parse(s, strlen(s), ret))
        return cli_usage(cmd, "--%s: '%s' is not a date (YYYY-MM-DD)", opt, s);
    return 0;
}

int cli_int(const struct cli_cmd *cmd, const char *opt, const char *s, long lo, long hi, long *ret)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return cli_usage(cmd, "--%s: '%s' is not a whole number from %ld to %ld", opt, s, lo, hi);
    *ret = v;
    return 0;
}

struct fmt *cli_fmt(struct cli *c)
{
    return fmt_new(c->format, stdout);
}

static void print_cmd_help(const struct cli_cmd *cmd)
{
    printf("usage: envgov [--db PATH] %s\n\n%s\n", cmd->usage, cmd->summary);
    if ((cmd->opts && cmd->opts[0].name) || cmd->query) {
        printf("\noptions:\n");
        for (int i = 0; cmd->opts && cmd->opts[i].name; i++) {
            const struct cli_opt *o = &cmd->opts[i];
            char left[64];
            snprintf(left, sizeof(left), "--%s%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "", o->kind == CLI_MULTI ? "…" : "");
            printf("  %-28s %s\n", left, o->help);
        }
        if (cmd->query)
            printf("  %-28s %s\n", "--format FORMAT", "table (default), csv, json or ndjson");
    }
    printf("  %-28s %s\n", "--db PATH", "database (default $ENVGOV_DB or var/envgov.db)");
    if (cmd->help)
        printf("\n%s\n", cmd->help);
}

static void print_help(void)
{
    printf("envgov %s — the platform of a city Ecological Environment Bureau (生态环境局)\n\n"
           "usage: envgov [--db PATH] [--format FORMAT] COMMAND [ARGS]\n\ncommands:\n",
           ENVGOV_VERSION);
    for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
        for (const struct cli_cmd *cmd = tables[t]; cmd->name; cmd++)
            printf("  %-22s %s\n", cmd->name, cmd->summary);
    printf("  %-22s %s\n  %-22s %s\n", "help [COMMAND]", "this text, or a command's options",
           "version", "print the version");
    printf("\nglobal options:\n"
           "  --db PATH              database file (default $ENVGOV_DB, else var/envgov.db)\n"
           "  --format FORMAT        table (default), csv, json or ndjson, for query commands\n"
           "\nexit status: 0 ok, 1 failure, 2 usage error.  docs/ and README.md tell more.\n");
}

/* The command named by argv[0] (and argv[1] for two-word commands). */
static const struct cli_cmd *find_cmd(int argc, char **argv, int *ret_words)
{
    for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
        for (const struct cli_cmd *cmd = tables[t]; cmd->name; cmd++) {
            const char *sp = strchr(cmd->name, ' ');
            if (!sp) {
                if (argc >= 1 && !strcmp(argv[0], cmd->name)) {
                    *ret_words = 1;
                    return cmd;
                }
            } else if (argc >= 2 && strlen(argv[0]) == (size_t)(sp - cmd->name) &&
                       !strncmp(argv[0], cmd->name, (size_t)(sp - cmd->name)) &&
                       !strcmp(argv[1], sp + 1)) {
                *ret_words = 2;
                return cmd;
            }
        }
    return NULL;
}

/* Is argv[0] the first word of some two-word command?  Lists them for a helpful error. */
static bool list_group(const char *word)
{
    bool any = false;
    for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
        for (const struct cli_cmd *cmd = tables[t]; cmd->name; cmd++) {
            const char *sp = strchr(cmd->name, ' ');
            if (sp && strlen(word) == (size_t)(sp - cmd->name) &&
                !strncmp(word, cmd->name, (size_t)(sp - cmd->name))) {
                if (!any)
                    fprintf(stderr, "envgov %s: choose one of:\n", word);
                fprintf(stderr, "  envgov %-18s %s\n", cmd->name, cmd->summary);
                any = true;
            }
        }
    return any;
}

static int parse_args(struct cli *c, const struct cli_cmd *cmd, int argc, char **argv,
                      struct cli_args *a, bool *ret_help)
{
    memset(a, 0, sizeof(*a));
    a->pos = eg_calloc((size_t)argc + 1, sizeof(char *));
    if (!a->pos)
        return CLI_FAIL;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (strncmp(s, "--", 2) != 0 || s[2] == 0) {
            if (s[0] == '-' && s[1] && strcmp(s, "-") != 0 && strcmp(s, "--") != 0)
                return cli_usage(cmd, "unknown option '%s'", s);
            a->pos[a->npos++] = s;
            continue;
        }
        const char *name = s + 2;
        const char *eq = strchr(name, '=');
        char key[64];
        snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - name) : (int)strlen(name), name);
        if (!strcmp(key, "help")) {
            *ret_help = true;
            return 0;
        }
        if (!strcmp(key, "db") || !strcmp(key, "format")) {
            const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v)
                return cli_usage(cmd, "--%s needs a value", key);
            if (!strcmp(key, "db"))
                c->db_path = v;
            else if (!cmd->query)
                return cli_usage(cmd, "--format applies to query commands only");
            else if (fmt_kind_parse(v, &c->format))
                return cli_usage(cmd, "--format: '%s' is not table, csv, json or ndjson", v);
            continue;
        }
        int k = cli_opt_index(cmd, key);
        if (k < 0)
            return cli_usage(cmd, "unknown option '--%s'", key);
        const struct cli_opt *o = &cmd->opts[k];
        if (o->kind == CLI_FLAG) {
            if (eq)
                return cli_usage(cmd, "--%s takes no value", key);
            a->set[k] = true;
            continue;
        }
        if (o->kind == CLI_VALUE) {
            const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v)
                return cli_usage(cmd, "--%s needs a value (%s)", key, o->arg ? o->arg : "VALUE");
            if (a->set[k])
                return cli_usage(cmd, "--%s given twice", key);
            a->set[k] = true;
            a->value[k] = v;
            continue;
        }
        /* CLI_MULTI: values until the next option */
        if (!a->multi[k]) {
            a->multi[k] = eg_calloc((size_t)argc + 1, sizeof(char *));
            if (!a->multi[k])
                return CLI_FAIL;
        }
        size_t before = a->nmulti[k];
        if (eq && eq[1])
            a->multi[k][a->nmulti[k]++] = eq + 1;
        while (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0 && a->nmulti[k] < CLI_MAX_MULTI)
            a->multi[k][a->nmulti[k]++] = argv[++i];
        if (a->nmulti[k] == before)
            return cli_usage(cmd, "--%s needs at least one %s", key, o->arg ? o->arg : "value");
        a->set[k] = true;
    }
    if (a->npos < cmd->min_pos)
        return cli_usage(cmd, "missing argument");
    if (a->npos > cmd->max_pos)
        return cli_usage(cmd, "unexpected argument '%s'", a->pos[cmd->max_pos]);
    return 0;
}

static void free_args(struct cli_args *a)
{
    eg_free(a->pos);
    for (int i = 0; i < CLI_MAX_OPTS; i++)
        eg_free(a->multi[i]);
}

int main(int argc, char **argv)
{
    struct cli c;
    int rc;
    memset(&c, 0, sizeof(c));
    c.db_path = getenv("ENVGOV_DB");
    if (!c.db_path || !*c.db_path)
        c.db_path = "var/envgov.db";
    c.format = FMT_TABLE;
    c.tty = isatty(STDERR_FILENO);

    /* global options before the command */
    int i = 1;
    while (i < argc && !strncmp(argv[i], "--", 2)) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            c.db_path = argv[i + 1];
            i += 2;
        } else if (!strncmp(argv[i], "--db=", 5)) {
            c.db_path = argv[i] + 5;
            i++;
        } else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
            if (fmt_kind_parse(argv[i + 1], &c.format))
                return cli_usage(NULL, "--format: '%s' is not table, csv, json or ndjson",
                                 argv[i + 1]);
            i += 2;
        } else if (!strcmp(argv[i], "--help")) {
            print_help();
            return CLI_OK;
        } else if (!strcmp(argv[i], "--version")) {
            printf("envgov %s\n", ENVGOV_VERSION);
            return CLI_OK;
        } else {
            return cli_usage(NULL, "unknown global option '%s'", argv[i]);
        }
    }
    if (i >= argc || !strcmp(argv[i], "help")) {
        if (i + 1 < argc) {
            int words;
            const struct cli_cmd *cmd = find_cmd(argc - i - 1, argv + i + 1, &words);
            if (cmd) {
                print_cmd_help(cmd);
                return CLI_OK;
            }
            if (list_group(argv[i + 1]))
                return CLI_OK;
            fprintf(stderr, "envgov help: no command '%s'\n", argv[i + 1]);
            return CLI_USAGE;
        }
        print_help();
        return i >= argc ? CLI_USAGE : CLI_OK;
    }
    if (!strcmp(argv[i], "version")) {
        printf("envgov %s\n", ENVGOV_VERSION);
        return CLI_OK;
    }
    int words = 0;
    const struct cli_cmd *cmd = find_cmd(argc - i, argv + i, &words);
    if (!cmd) {
        if (list_group(argv[i]))
            return CLI_USAGE;
        fprintf(stderr, "envgov: unknown command '%s' (see envgov help)\n", argv[i]);
        return CLI_USAGE;
    }
    struct cli_args a;
    bool help = false;
    c.cmd = cmd;
    rc = parse_args(&c, cmd, argc - i - words, argv + i + words, &a, &help);
    if (help) {
        print_cmd_help(cmd);
        rc = CLI_OK;
    } else if (rc == 0) {
        rc = cmd->run(&c, &a);
    }
    free_args(&a);
    store_close(c.store);
    return rc;
}
