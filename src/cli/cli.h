/* cli.h — internals shared by the envgov command-line front end (src/cli/ only).
 *
 * Each command is a row of a table (name, summary, usage, options, handler); option parsing,
 * `envgov <command> --help` and `envgov help` all follow from that table.  The CLI is a thin layer:
 * it parses arguments, opens the store, calls the libraries and renders records with fmt.
 * Exit status: 0 ok, 1 failure, 2 usage error.
 */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/eg_err.h"
#include "fmt/fmt.h"
#include "store/store.h"

#define CLI_MAX_OPTS  24
#define CLI_MAX_MULTI 4096

enum cli_exit { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

enum cli_opt_kind {
    CLI_FLAG,  /* --name */
    CLI_VALUE, /* --name VALUE */
    CLI_MULTI, /* --name V1 [V2 …] (until the next option), repeatable */
};

struct cli_opt {
    const char *name; /* without the leading dashes */
    enum cli_opt_kind kind;
    const char *arg; /* metavariable for help: "DATE" */
    const char *help;
};

struct cli_args {
    bool set[CLI_MAX_OPTS];
    const char *value[CLI_MAX_OPTS];
    const char **multi[CLI_MAX_OPTS];
    size_t nmulti[CLI_MAX_OPTS];
    const char **pos; /* positional arguments */
    size_t npos;
};

struct cli;

struct cli_cmd {
    const char *name;           /* "air daily" */
    const char *summary;        /* one line */
    const char *usage;          /* "air daily --from DATE --to DATE --by station|city [...]" */
    const char *help;           /* paragraph(s) after the options, may be NULL */
    const struct cli_opt *opts; /* terminated by a NULL name */
    size_t min_pos, max_pos;
    bool query; /* takes --format */
    int (*run)(struct cli *c, const struct cli_args *a);
};

struct cli {
    const struct cli_cmd *cmd; /* the command being run (its options, usage) */
    const char *db_path;
    enum fmt_kind format;
    bool tty; /* standard error is a terminal (progress bars) */
    struct store *store;
    struct eg_errbuf eb;
};

/* Open the store (once); on failure prints the error and returns non-zero. */
int cli_store(struct cli *c);
/* Print the error in c->eb (or rc's name) as "envgov: …" on stderr; returns CLI_FAIL. */
int cli_fail(struct cli *c, int rc);
/* Print a usage error for cmd and return CLI_USAGE. */
int cli_usage(const struct cli_cmd *cmd, const char *fmt, ...) EG_PRINTF(2, 3);

/* Option i of the command's table (by name), as parsed. */
int cli_opt_index(const struct cli_cmd *cmd, const char *name);
const char *cli_value(const struct cli_cmd *cmd, const struct cli_args *a, const char *name);
bool cli_flag(const struct cli_cmd *cmd, const struct cli_args *a, const char *name);
const char *const *cli_multi(const struct cli_cmd *cmd, const struct cli_args *a, const char *name,
                             size_t *ret_n);

/* Parse a date option ("YYYY-MM-DD" or "YYYYMMDD"); usage error message on failure. */
int cli_date(const struct cli_cmd *cmd, const char *opt, const char *s, int32_t *ret);
/* Parse an integer option within [lo, hi]. */
int cli_int(const struct cli_cmd *cmd, const char *opt, const char *s, long lo, long hi, long *ret);

/* A fmt writer on stdout in the chosen format. */
struct fmt *cli_fmt(struct cli *c);

/* Command tables of each file. */
extern const struct cli_cmd cli_import_cmds[];
extern const struct cli_cmd cli_air_cmds[];
extern const struct cli_cmd cli_serve_cmds[];
extern const struct cli_cmd cli_device_cmds[];
extern const struct cli_cmd cli_hj212_cmds[];
extern const struct cli_cmd cli_sim_cmds[];
extern const struct cli_cmd cli_user_cmds[];
extern const struct cli_cmd cli_web_cmds[];
extern const struct cli_cmd cli_work_cmds[];
extern const struct cli_cmd cli_enterprise_cmds[];
extern const struct cli_cmd cli_inspect_cmds[];
extern const struct cli_cmd cli_credit_cmds[];
extern const struct cli_cmd cli_emergency_cmds[];
extern const struct cli_cmd cli_water_cmds[];

#endif
