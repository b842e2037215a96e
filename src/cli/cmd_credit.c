/* cmd_credit.c — environmental credit rating (环发〔2013〕150号): record credit events (general
 * incidents, repairs, vetoes), compute a rating from the registry and keep it with its inputs,
 * and show the ratings. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "common/eg_time.h"
#include "records/records.h"
#include "supervise/supervise.h"

static const struct cli_opt rate_opts[] = {
    {"year", CLI_VALUE, "YEAR", "the year rated"},
    {"score", CLI_MULTI, "ID=0..100",
     "indicator scores (discharge solid_waste hazwaste noise "
     "siting penalty risk)"},
    {"veto", CLI_VALUE, "REASON", "a one-vote-veto ground (一票否决)"},
    {"at", CLI_VALUE, "TIME", "when the rating is made (default now)"},
    {NULL, 0, NULL, NULL}};
static const struct cli_opt event_opts[] = {
    {"type", CLI_VALUE, "incident|repair|veto", "general incident (降级), repair (修复), veto"},
    {"note", CLI_VALUE, "TEXT", "what happened (the veto's reason)"},
    {"at", CLI_VALUE, "TIME", "when (default now)"},
    {NULL, 0, NULL, NULL}};
static const struct cli_opt list_opts[] = {
    {"enterprise", CLI_VALUE, "USCC", "every rating of this enterprise (default: latest of each)"},
    {NULL, 0, NULL, NULL}};

static int run_rate(struct cli *c, const struct cli_args *a);
static int run_event(struct cli *c, const struct cli_args *a);
static int run_list(struct cli *c, const struct cli_args *a);

const struct cli_cmd cli_credit_cmds[] = {
    {"credit rate", "compute and keep an enterprise's credit rating from the registry",
     "credit rate USCC --year Y [--score ID=V …] [--veto REASON]",
     "Penalty indicator: 0 if a penalty decision was made in the year (cases), else 100; a\n"
     "transfer to the police is the veto 环境犯罪.  Thresholds: Fujian 2016 (≥96 green, ≥70 blue,\n"
     "≥60 yellow, else red); a general incident downgrades one level, a repair clears earlier\n"
     "downgrades and vetoes (docs/supervision.md).",
     rate_opts, 1, 1, true, run_rate},
    {"credit event", "record a credit event (incident, repair, veto)",
     "credit event USCC --type incident|repair|veto [--note T] [--at TIME]", NULL, event_opts, 1, 1,
     false, run_event},
    {"credit list", "credit ratings", "credit list [--enterprise USCC]", NULL, list_opts, 0, 0,
     true, run_list},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL}};

static int at_of(const struct cli_cmd *cmd, const char *s, int64_t *ret)
{
    if (!s) {
        *ret = (int64_t)time(NULL);
        return 0;
    }
    if (eg_iso_parse(s, strlen(s), ret))
        return cli_usage(cmd, "--at: '%s' is not an ISO 8601 date or date-time", s);
    return 0;
}

static int run_rate(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    const char *ys = cli_value(cmd, a, "year");
    long y;
    struct sup_credit_req req = {.uscc = a->pos[0], .veto = cli_value(cmd, a, "veto")};
    if (!ys)
        return cli_usage(cmd, "--year is required");
    if (cli_int(cmd, "year", ys, 1990, 2200, &y) || at_of(cmd, cli_value(cmd, a, "at"), &req.at))
        return CLI_USAGE;
    req.year = (int)y;
    req.scores = cli_multi(cmd, a, "score", &req.nscores);
    if (cli_store(c))
        return CLI_FAIL;
    struct credit_result r;
    int64_t id;
    int rc = sup_credit_rate(c->store, &req, &r, &id, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    struct fmt *f = cli_fmt(c);
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    fmt_row_begin(f);
    fmt_int(f, "id", id);
    fmt_str(f, "uscc", req.uscc);
    fmt_int(f, "year", y);
    fmt_dec(f, "score", r.score, 2);
    fmt_str(f, "base_level", credit_level_code(r.base));
    fmt_str(f, "level", credit_level_code(r.level));
    fmt_str(f, "label", credit_level_label(r.level));
    fmt_bool(f, "vetoed", r.vetoed);
    fmt_int(f, "downgrades", r.downgrades);
    fmt_bool(f, "repaired", r.repaired);
    rc = fmt_row_end(f);
    int frc = fmt_finish(f);
    fmt_free(f);
    return rc || frc ? cli_fail(c, rc ? rc : frc) : CLI_OK;
}

static int run_event(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    const char *type = cli_value(cmd, a, "type"), *note = cli_value(cmd, a, "note");
    int64_t at;
    char why[160];
    if (!type || (strcmp(type, "incident") && strcmp(type, "repair") && strcmp(type, "veto")))
        return cli_usage(cmd, "--type must be incident, repair or veto");
    if (!strcmp(type, "veto") && (!note || !*note))
        return cli_usage(cmd, "a veto needs --note REASON");
    if (at_of(cmd, cli_value(cmd, a, "at"), &at))
        return CLI_USAGE;
    if (uscc_check(a->pos[0], strlen(a->pos[0]), why, sizeof(why))) {
        fprintf(stderr, "envgov: %s: %s\n", a->pos[0], why);
        return CLI_FAIL;
    }
    if (cli_store(c))
        return CLI_FAIL;
    int rc = store_work_credit_event_add(c->store, a->pos[0], at, type, note ? note : "", &c->eb);
    return rc ? cli_fail(c, rc) : CLI_OK;
}

static int list_one(void *ud, const struct store_credit *cr)
{
    struct fmt *f = ud;
    fmt_row_begin(f);
    rec_credit_row(f, cr);
    return fmt_row_end(f);
}

static int run_list(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    if (cli_store(c))
        return CLI_FAIL;
    struct fmt *f = cli_fmt(c);
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    int rc = store_work_credit_each(c->store, cli_value(cmd, a, "enterprise"), list_one, f, &c->eb);
    int frc = fmt_finish(f);
    fmt_free(f);
    return rc || frc ? cli_fail(c, rc ? rc : frc) : CLI_OK;
}
