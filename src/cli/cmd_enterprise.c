/* cmd_enterprise.c — the enterprise registry (一企一档): `envgov import enterprises`, `envgov
 * enterprise list|show|outlet`.  `enterprise show` gathers one enterprise's whole file: outlets,
 * permits, list memberships, its work items (inspections, cases, hazards …), credit history and
 * performance grades. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "common/eg_time.h"
#include "ingest/ingest.h"
#include "records/records.h"
#include "supervise/supervise.h"

static const struct cli_opt import_opts[] = {
    {"skip-invalid", CLI_FLAG, NULL, "import the valid rows and list the invalid ones"},
    {NULL, 0, NULL, NULL}};
static const struct cli_opt list_opts[] = {
    {"region", CLI_VALUE, "REGION", "only this administrative division"},
    {"status", CLI_VALUE, "STATUS", "active, suspended or closed"},
    {"list", CLI_VALUE, "LIST", "only members of this list (with --year)"},
    {"year", CLI_VALUE, "YEAR", "the list's year"},
    {"after", CLI_VALUE, "USCC", "codes after this one (paging)"},
    {"limit", CLI_VALUE, "N", "at most N (default all)"},
    {"count", CLI_FLAG, NULL, "print only the number"},
    {NULL, 0, NULL, NULL}};
static const struct cli_opt outlet_opts[] = {
    {"code", CLI_VALUE, "CODE", "outlet code (e.g. DA001)"},
    {"name", CLI_VALUE, "TEXT", "outlet name"},
    {"medium", CLI_VALUE, "air|water", "what it discharges to"},
    {"point", CLI_VALUE, "CODE", "monitoring point"},
    {"mn", CLI_VALUE, "MN", "HJ 212 device MN"},
    {NULL, 0, NULL, NULL}};
static const struct cli_opt no_opts[] = {{NULL, 0, NULL, NULL}};

static int run_import(struct cli *c, const struct cli_args *a);
static int run_list(struct cli *c, const struct cli_args *a);
static int run_show(struct cli *c, const struct cli_args *a);
static int run_outlet(struct cli *c, const struct cli_args *a);

const struct cli_cmd cli_enterprise_cmds[] = {
    {"import enterprises", "import the enterprise registry (CSV or xlsx)",
     "import enterprises FILE [--skip-invalid]",
     "FILE: CSV or .xlsx (first sheet) whose header names at least uscc,name,industry,region,\n"
     "address,lon,lat (or "
     "统一社会信用代码,企业名称,行业代码,行政区划,地址,经度,纬度); optional status, lists, "
     "list_year,\n"
     "permit_no, permit_class, permit_from, permit_to (docs/supervision.md).  A code failing its\n"
     "GB 32100-2015 check character, or any other bad row, rejects the whole file with the line\n"
     "and the reason (xlsx: the sheet row and cell), unless --skip-invalid.",
     import_opts, 1, 1, false, run_import},
    {"enterprise list", "enterprises of the registry",
     "enterprise list [--region R] [--list L "
     "--year Y]",
     NULL, list_opts, 0, 0, true, run_list},
    {"enterprise show", "one enterprise's whole file (一企一档)", "enterprise show USCC", NULL,
     no_opts, 1, 1, true, run_show},
    {"enterprise outlet", "add or update an outlet of an enterprise",
     "enterprise outlet USCC --code CODE --medium air|water [--name N] [--point P] [--mn MN]", NULL,
     outlet_opts, 1, 1, false, run_outlet},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL}};

static int run_import(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    struct ingest_ent_report rep;
    memset(&rep, 0, sizeof(rep));
    if (cli_store(c))
        return CLI_FAIL;
    bool skip = cli_flag(cmd, a, "skip-invalid");
    int rc = ingest_enterprises_file(c->store, a->pos[0], skip, &rep, &c->eb);
    if (rc) {
        ingest_ent_report_done(&rep);
        cli_fail(c, rc);
        fprintf(stderr, "envgov: %s rejected: nothing from it was stored%s\n", a->pos[0],
                skip ? "" : " (--skip-invalid imports the valid rows)");
        return CLI_FAIL;
    }
    for (size_t i = 0; i < rep.nskips; i++)
        fprintf(stderr, "envgov: %s:%ld: skipped: %s\n", a->pos[0], rep.skips[i].line,
                rep.skips[i].why);
    if ((size_t)rep.skipped > rep.nskips)
        fprintf(stderr, "envgov: … and %ld more skipped rows\n", rep.skipped - (long)rep.nskips);
    fprintf(stderr, "enterprises: %ld imported, %ld skipped from %s\n", rep.rows, rep.skipped,
            a->pos[0]);
    ingest_ent_report_done(&rep);
    return CLI_OK;
}

static int list_one(void *ud, const struct store_enterprise *e)
{
    struct fmt *f = ud;
    fmt_row_begin(f);
    rec_enterprise(f, e);
    return fmt_row_end(f);
}

static int run_list(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    struct store_ent_filter flt = {
        .region = cli_value(cmd, a, "region"),
        .status = cli_value(cmd, a, "status"),
        .list = cli_value(cmd, a, "list"),
        .after = cli_value(cmd, a, "after"),
    };
    const char *ys = cli_value(cmd, a, "year"), *ls = cli_value(cmd, a, "limit");
    long v;
    if (flt.list && !ys)
        return cli_usage(cmd, "--list needs --year");
    if (ys) {
        if (cli_int(cmd, "year", ys, 1900, 2200, &v))
            return CLI_USAGE;
        flt.year = (int)v;
    }
    if (ls) {
        if (cli_int(cmd, "limit", ls, 0, 100000000L, &v))
            return CLI_USAGE;
        flt.limit = v;
    }
    if (cli_store(c))
        return CLI_FAIL;
    struct fmt *f = cli_fmt(c);
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    int rc;
    if (cli_flag(cmd, a, "count")) {
        long n = 0;
        rc = store_work_enterprise_count(c->store, &flt, &n, &c->eb);
        if (!rc) {
            fmt_row_begin(f);
            fmt_int(f, "count", n);
            rc = fmt_row_end(f);
        }
    } else {
        rc = store_work_enterprise_each(c->store, &flt, list_one, f, &c->eb);
    }
    int frc = fmt_finish(f);
    fmt_free(f);
    if (rc || frc)
        return cli_fail(c, rc ? rc : frc);
    return CLI_OK;
}

static int run_show(struct cli *c, const struct cli_args *a)
{
    const char *u = a->pos[0];
    char why[160];
    if (uscc_check(u, strlen(u), why, sizeof(why))) {
        fprintf(stderr, "envgov: %s: %s\n", u, why);
        return CLI_FAIL;
    }
    if (cli_store(c))
        return CLI_FAIL;
    struct fmt *f = cli_fmt(c);
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    fmt_row_begin(f);
    int rc = store_work_enterprise_get(c->store, u, rec_enterprise_cb, f, &c->eb);
    if (!rc) {
        rc = rec_outlets(f, c->store, u, &c->eb);
    }
    if (!rc) {
        fmt_arr_begin(f, "permits");
        rc = store_work_permit_each(c->store, u, rec_permit, f, &c->eb);
        fmt_close(f);
    }
    if (!rc) {
        fmt_arr_begin(f, "lists");
        rc = store_work_list_each(c->store, u, rec_list_member, f, &c->eb);
        fmt_close(f);
    }
    if (!rc) {
        struct store_work_filter flt = {.enterprise = u};
        fmt_arr_begin(f, "work");
        rc = store_work_item_each(c->store, &flt, rec_work_item, f, &c->eb);
        fmt_close(f);
    }
    if (!rc) {
        fmt_arr_begin(f, "credit");
        rc = store_work_credit_each(c->store, u, rec_credit, f, &c->eb);
        fmt_close(f);
    }
    if (!rc) {
        fmt_arr_begin(f, "grades");
        rc = store_work_grade_each(c->store, u, 0, rec_grade, f, &c->eb);
        fmt_close(f);
    }
    if (!rc)
        rc = fmt_row_end(f);
    int frc = fmt_finish(f);
    fmt_free(f);
    if (rc || frc)
        return cli_fail(c, rc ? rc : frc);
    return CLI_OK;
}

static int run_outlet(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    const char *n = cli_value(cmd, a, "name"), *p = cli_value(cmd, a, "point");
    const char *mn = cli_value(cmd, a, "mn");
    struct store_outlet o = {a->pos[0],  cli_value(cmd, a, "code"),
                             n ? n : "", cli_value(cmd, a, "medium"),
                             p ? p : "", mn ? mn : ""};
    if (!o.code || !o.medium)
        return cli_usage(cmd, "--code and --medium are required");
    if (strcmp(o.medium, "air") && strcmp(o.medium, "water"))
        return cli_usage(cmd, "--medium: '%s' is not air or water", o.medium);
    if (cli_store(c))
        return CLI_FAIL;
    int rc = store_work_outlet_put(c->store, &o, &c->eb);
    return rc ? cli_fail(c, rc) : CLI_OK;
}
