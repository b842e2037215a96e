/* cmd_user.c — accounts and API tokens from the command line: `envgov user add|passwd|role|list`
 * and `envgov token new`.  Passwords are read from standard input (one line), never from the
 * command line, and stored as Argon2id hashes.  Every change is written to the audit log as
 * "cli:<login name>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "common/eg_time.h"
#include "http/http.h"

static const struct cli_opt role_opts[] = {
    {"role", CLI_VALUE, "ROLE", "admin, staff, leader or enterprise"},
    {"department", CLI_VALUE, "DEPT", "staff: air, water, soil, enforcement or monitoring"},
    {"enterprise", CLI_VALUE, "CODE", "enterprise accounts: the enterprise's registry code"},
    {NULL, 0, NULL, NULL}};
static const struct cli_opt token_opts[] = {{"label", CLI_VALUE, "TEXT", "what the token is for"},
                                            {NULL, 0, NULL, NULL}};
static const struct cli_opt no_opts[] = {{NULL, 0, NULL, NULL}};

static int run_add(struct cli *c, const struct cli_args *a);
static int run_passwd(struct cli *c, const struct cli_args *a);
static int run_role(struct cli *c, const struct cli_args *a);
static int run_list(struct cli *c, const struct cli_args *a);
static int run_token(struct cli *c, const struct cli_args *a);

const struct cli_cmd cli_user_cmds[] = {
    {"user add", "add an account (password on standard input)",
     "user add NAME --role admin|staff|leader|enterprise [--department DEPT] [--enterprise CODE]",
     "The password (10 characters or more) is the first line of standard input.", role_opts, 1, 1,
     false, run_add},
    {"user passwd", "set an account's password (from standard input)", "user passwd NAME", NULL,
     no_opts, 1, 1, false, run_passwd},
    {"user role", "change an account's role or department", "user role NAME --role ROLE [...]",
     "Changing the role ends the account's open sessions.", role_opts, 1, 1, false, run_role},
    {"user list", "the accounts", "user list", NULL, no_opts, 0, 0, true, run_list},
    {"token new", "a new API token for an account (printed once)", "token new NAME [--label TEXT]",
     "NAME is the account the token acts as.  Send it as `Authorization: Bearer TOKEN`.",
     token_opts, 1, 1, false, run_token},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL}};

static const char *who(char *buf, size_t n)
{
    const char *u = getenv("USER");
    snprintf(buf, n, "cli:%s", u && *u ? u : "?");
    return buf;
}

/* The first line of standard input, without its newline. */
static int read_password(struct cli *c, char *out, size_t n)
{
    if (!fgets(out, (int)n, stdin))
        return eg_errf(&c->eb, EG_EINVAL, "no password on standard input");
    size_t len = strlen(out);
    if (len && out[len - 1] != '\n' && !feof(stdin))
        return eg_errf(&c->eb, EG_ELIMIT, "the password is longer than %zu bytes", n - 2);
    while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
        out[--len] = 0;
    return 0;
}

static void state_json(const struct store_user *u, char *out, size_t n)
{
    snprintf(out, n,
             "{\"name\":\"%s\",\"role\":\"%s\",\"department\":\"%s\",\"enterprise\":\"%s\","
             "\"disabled\":%s}",
             u->name, u->role, u->department, u->enterprise, u->disabled ? "true" : "false");
}

static int roles_from(const struct cli_cmd *cmd, const struct cli_args *a, struct store_user *u)
{
    const char *role = cli_value(cmd, a, "role"), *d = cli_value(cmd, a, "department"),
               *e = cli_value(cmd, a, "enterprise");
    if (!role)
        return cli_usage(cmd, "--role ROLE is required");
    if (strlen(role) >= sizeof(u->role) || (d && strlen(d) >= sizeof(u->department)) ||
        (e && strlen(e) >= sizeof(u->enterprise)))
        return cli_usage(cmd, "--role, --department or --enterprise too long");
    if (!strcmp(role, "staff") && !d)
        return cli_usage(cmd, "staff need --department (air, water, soil, enforcement, "
                              "monitoring)");
    snprintf(u->role, sizeof(u->role), "%s", role);
    snprintf(u->department, sizeof(u->department), "%s", d ? d : "");
    snprintf(u->enterprise, sizeof(u->enterprise), "%s", e ? e : "");
    return 0;
}

/* Write the account and its audit entry in one transaction. */
static int save(struct cli *c, struct store_user *u, bool add, const char *before,
                const char *action, bool end_sessions)
{
    char after[512], w[96], target[96];
    int rc;
    state_json(u, after, sizeof(after));
    snprintf(target, sizeof(target), "user:%s", u->name);
    struct store_audit au = {.who = who(w, sizeof(w)),
                             .action = action,
                             .target = target,
                             .before = before,
                             .after = after,
                             .ip = ""};
    if ((rc = store_begin(c->store, &c->eb)))
        return rc;
    rc = add ? store_user_add(c->store, u, &u->id, &c->eb) : store_user_update(c->store, u, &c->eb);
    if (!rc && end_sessions)
        rc = store_session_del(c->store, NULL, u->id, (int64_t)time(NULL), &c->eb);
    if (!rc)
        rc = store_audit_add(c->store, &au, NULL, &c->eb);
    if (rc) {
        store_rollback(c->store);
        return rc;
    }
    return store_commit(c->store, &c->eb);
}

static int run_add(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    struct store_user u;
    char pw[1100];
    memset(&u, 0, sizeof(u));
    if (strlen(a->pos[0]) >= sizeof(u.name))
        return cli_usage(cmd, "NAME is longer than %d bytes", STORE_AUTH_NAME_MAX);
    snprintf(u.name, sizeof(u.name), "%s", a->pos[0]);
    if (roles_from(cmd, a, &u))
        return CLI_USAGE;
    int rc = read_password(c, pw, sizeof(pw));
    if (!rc)
        rc = http_password_hash(pw, u.hash, &c->eb);
    memset(pw, 0, sizeof(pw));
    if (rc)
        return cli_fail(c, rc);
    u.created = u.updated = (int64_t)time(NULL);
    if (cli_store(c))
        return CLI_FAIL;
    if ((rc = save(c, &u, true, NULL, "user add", false)))
        return cli_fail(c, rc);
    fprintf(stderr, "added %s (%s%s%s)\n", u.name, u.role, u.department[0] ? "/" : "",
            u.department);
    return CLI_OK;
}

static int run_passwd(struct cli *c, const struct cli_args *a)
{
    struct store_user u;
    char pw[1100], before[512];
    if (cli_store(c))
        return CLI_FAIL;
    int rc = store_user_get(c->store, a->pos[0], 0, &u, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    state_json(&u, before, sizeof(before));
    rc = read_password(c, pw, sizeof(pw));
    if (!rc)
        rc = http_password_hash(pw, u.hash, &c->eb);
    memset(pw, 0, sizeof(pw));
    if (rc)
        return cli_fail(c, rc);
    u.updated = (int64_t)time(NULL);
    if ((rc = save(c, &u, false, before, "user passwd", true)))
        return cli_fail(c, rc);
    fprintf(stderr, "password of %s changed; its sessions are closed\n", u.name);
    return CLI_OK;
}

static int run_role(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    struct store_user u;
    char before[512];
    if (cli_store(c))
        return CLI_FAIL;
    int rc = store_user_get(c->store, a->pos[0], 0, &u, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    state_json(&u, before, sizeof(before));
    if (roles_from(cmd, a, &u))
        return CLI_USAGE;
    u.updated = (int64_t)time(NULL);
    if ((rc = save(c, &u, false, before, "user role", true)))
        return cli_fail(c, rc);
    fprintf(stderr, "%s is now %s%s%s\n", u.name, u.role, u.department[0] ? "/" : "", u.department);
    return CLI_OK;
}

static int on_user(void *ud, const struct store_user *u)
{
    struct fmt *f = ud;
    char t[32];
    fmt_row_begin(f);
    fmt_str(f, "name", u->name);
    fmt_str(f, "role", u->role);
    fmt_str(f, "department", u->department[0] ? u->department : NULL);
    fmt_str(f, "enterprise", u->enterprise[0] ? u->enterprise : NULL);
    fmt_bool(f, "disabled", u->disabled);
    eg_unix_format_iso(u->updated, t, sizeof(t));
    fmt_str(f, "updated", t);
    return fmt_row_end(f);
}

static int run_list(struct cli *c, const struct cli_args *a)
{
    (void)a;
    if (cli_store(c))
        return CLI_FAIL;
    struct fmt *f = cli_fmt(c);
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    int rc = store_user_each(c->store, 0, on_user, f, &c->eb);
    if (!rc)
        rc = fmt_finish(f);
    fmt_free(f);
    return rc ? cli_fail(c, rc) : CLI_OK;
}

static int run_token(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    char tok[64], w[96];
    if (cli_store(c))
        return CLI_FAIL;
    int rc = http_token_new(c->store, a->pos[0], cli_value(cmd, a, "label"), who(w, sizeof(w)), tok,
                            &c->eb);
    if (rc)
        return cli_fail(c, rc);
    printf("%s\n", tok);
    return CLI_OK;
}
