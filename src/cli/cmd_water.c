/* cmd_water.c — `envgov import points|samples`, `envgov water
 * section|river|city|cwqi|drinking|lake`, `envgov sea`, `envgov groundwater`, `envgov odorous`,
 * `envgov soil farmland|construction`. One record per point and period with the class, the deciding
 * items, the multiples and the rule set; `--summary` gives the aggregate record (shares, rates).
 * Output keys are part of the interface (docs/water.md, docs/soil.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "ingest/ingest.h"
#include "query/query.h"
#include "records/records.h"

static const struct cli_opt no_opts[] = {{NULL, 0, NULL, NULL}};

static const struct cli_opt period_opts[] = {
    {"from", CLI_VALUE, "DATE", "first day (YYYY-MM-DD)"},
    {"to", CLI_VALUE, "DATE", "last day, inclusive (default: --from)"},
    {"year", CLI_VALUE, "YEAR", "a calendar year (instead of --from/--to)"},
    {"month", CLI_VALUE, "MONTH", "with --year: only this month"},
    {"period", CLI_VALUE, "P", "split into month, quarter or year (default: one period)"},
    {"point", CLI_MULTI, "CODE", "only these points"},
    {"level", CLI_VALUE, "LEVEL", "only points of this level (national, provincial, city…)"},
    {"summary", CLI_FLAG, NULL, "print the aggregate record (shares, rates) instead"},
    {NULL, 0, NULL, NULL}};

static const struct cli_opt cwqi_opts[] = {
    {"from", CLI_VALUE, "DATE", "first day"},
    {"to", CLI_VALUE, "DATE", "last day, inclusive"},
    {"year", CLI_VALUE, "YEAR", "a calendar year"},
    {"month", CLI_VALUE, "MONTH", "with --year: only this month"},
    {"compare", CLI_VALUE, "YEAR", "the same period of this year, and the change"},
    {"level", CLI_VALUE, "LEVEL", "only sections of this level (e.g. national)"},
    {"point", CLI_MULTI, "CODE", "only these sections"},
    {NULL, 0, NULL, NULL}};

static int run_import_points(struct cli *c, const struct cli_args *a);
static int run_import_samples(struct cli *c, const struct cli_args *a);
static int run_section(struct cli *c, const struct cli_args *a);
static int run_river(struct cli *c, const struct cli_args *a);
static int run_city(struct cli *c, const struct cli_args *a);
static int run_cwqi(struct cli *c, const struct cli_args *a);
static int run_drinking(struct cli *c, const struct cli_args *a);
static int run_lake(struct cli *c, const struct cli_args *a);
static int run_sea(struct cli *c, const struct cli_args *a);
static int run_groundwater(struct cli *c, const struct cli_args *a);
static int run_odorous(struct cli *c, const struct cli_args *a);
static int run_farmland(struct cli *c, const struct cli_args *a);
static int run_construction(struct cli *c, const struct cli_args *a);

#define PERIOD_USAGE "[--from DATE --to DATE | --year Y [--month M]] [--point CODE…]"

const struct cli_cmd cli_water_cmds[] = {
    {"import points", "import water and soil monitoring points", "import points FILE",
     "FILE: CSV or .xlsx (first sheet) with the header code,name,kind,water,target_class,level,\n"
     "lon,lat and optionally\n"
     "water_body, county, supply, area, land_use, ph, depth_cm, measures_ok.  kind: section "
     "source\n"
     "lake sea well farmland construction odorous.  Re-importing updates the points.",
     no_opts, 1, 1, false, run_import_points},
    {"import samples", "import sampling results (long-format CSV or xlsx)", "import samples FILE…",
     "FILE: CSV or .xlsx (first sheet; date cells read as dates) with the header\n"
     "point,date,item,value,unit (optional time, dl).  item: an HJ 212\n"
     "code, a standard's key (NH3N, CODMn, TP) or Chinese name; value: a number, ND or <DL (with\n"
     "dl), <0.01 or 0.01L.  Units are converted into the standard's.  Each file is all or\n"
     "nothing; xlsx errors name the sheet and cell.",
     no_opts, 1, 100000, false, run_import_samples},
    {"water section", "surface-water sections: class, items over III, status, attainment",
     "water section " PERIOD_USAGE " [--period month|quarter|year] [--level L]",
     "GB 3838-2002 single-factor class over the 21 items of 环办〔2011〕22号 (the monitored\n"
     "subset), period means by the 2020 statistics rules (docs/water.md).",
     period_opts, 0, 0, true, run_section},
    {"water river", "rivers and water bodies graded by their sections", "water river " PERIOD_USAGE,
     "环办〔2011〕22号 Table 2 (>= 5 sections), else the averaged "
     "indicators as one section.",
     period_opts, 0, 0, true, run_river},
    {"water city", "the city's sections: attained, shares of I-III and 劣V",
     "water city " PERIOD_USAGE " [--level L]", NULL, period_opts, 0, 0, true, run_city},
    {"water cwqi", "city water-quality index CWQI and its change",
     "water cwqi --year Y [--month M] [--compare YEAR] [--level L]",
     "环办监测〔2017〕51号: the 21 items averaged over the sections, C/Cs summed; rivers and "
     "lakes\n"
     "combined by their counts.  Change = (this − last)/last (negative = better).",
     cwqi_opts, 0, 0, true, run_cwqi},
    {"water drinking", "drinking-water sources: compliance, rate by count and by volume",
     "water drinking " PERIOD_USAGE " [--summary]", NULL, period_opts, 0, 0, true, run_drinking},
    {"water lake", "lake trophic state (TLI)", "water lake " PERIOD_USAGE, NULL, period_opts, 0, 0,
     true, run_lake},
    {"sea", "near-shore sea points (GB 3097-1997) and the I+II shares",
     "sea " PERIOD_USAGE " [--summary]", NULL, period_opts, 0, 0, true, run_sea},
    {"groundwater", "groundwater wells (GB/T 14848-2017)",
     "groundwater " PERIOD_USAGE " [--summary]", NULL, period_opts, 0, 0, true, run_groundwater},
    {"odorous", "urban black-odorous water per point and water body",
     "odorous " PERIOD_USAGE " [--summary]", NULL, period_opts, 0, 0, true, run_odorous},
    {"soil farmland", "farmland soil samples (GB 15618-2018) and the safe-use rate",
     "soil farmland " PERIOD_USAGE " [--summary]", NULL, period_opts, 0, 0, true, run_farmland},
    {"soil construction", "construction-land soil samples (GB 36600-2018)",
     "soil construction " PERIOD_USAGE " [--summary]", NULL, period_opts, 0, 0, true,
     run_construction},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL}};

static const struct cli_cmd *cmd_named(const char *name)
{
    for (const struct cli_cmd *cmd = cli_water_cmds; cmd->name; cmd++)
        if (!strcmp(cmd->name, name))
            return cmd;
    return NULL;
}

/* ---- imports ---- */

static int run_import_points(struct cli *c, const struct cli_args *a)
{
    struct ingest_stats st;
    memset(&st, 0, sizeof(st));
    if (cli_store(c))
        return CLI_FAIL;
    int rc = ingest_water_points_file(c->store, a->pos[0], &st, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    fprintf(stderr, "points: %ld points imported from %s\n", st.rows, a->pos[0]);
    return CLI_OK;
}

static int run_import_samples(struct cli *c, const struct cli_args *a)
{
    struct ingest_stats st;
    int first = 0;
    memset(&st, 0, sizeof(st));
    if (cli_store(c))
        return CLI_FAIL;
    for (size_t i = 0; i < a->npos; i++) {
        int rc = ingest_water_samples_file(c->store, a->pos[i], &st, &c->eb);
        if (rc == EG_EDB || rc == EG_ENOMEM)
            return cli_fail(c, rc);
        if (rc) {
            char msg[1024];
            eg_errbuf_format(&c->eb, msg, sizeof(msg));
            fprintf(stderr, "envgov: %s (file rejected, nothing from it was stored)\n", msg);
            if (!first)
                first = rc;
        }
    }
    fprintf(stderr,
            "samples: %ld files (%ld new, %ld replaced, %ld unchanged), %ld results, "
            "%ld skipped\n",
            st.files, st.files_new, st.files_replaced, st.files_unchanged, st.values, st.skipped);
    return first ? CLI_FAIL : CLI_OK;
}

/* ---- options ---- */

static int parse_q(const struct cli_cmd *cmd, const struct cli_args *a, struct query_water *q)
{
    const char *from = cli_value(cmd, a, "from"), *to = cli_value(cmd, a, "to");
    const char *ys = cli_value(cmd, a, "year"), *ms = cli_value(cmd, a, "month");
    const char *per = cli_value(cmd, a, "period");
    memset(q, 0, sizeof(*q));
    if (ys) {
        long y, m = 0;
        if (from || to)
            return cli_usage(cmd, "--year does not go with --from/--to");
        if (cli_int(cmd, "year", ys, 1970, 2200, &y) ||
            (ms && cli_int(cmd, "month", ms, 1, 12, &m)))
            return CLI_USAGE;
        q->from = eg_days_from_civil((int)y, m ? (int)m : 1, 1);
        q->to = m ? eg_days_from_civil((int)y, (int)m, eg_days_in_month((int)y, (int)m))
                  : eg_days_from_civil((int)y, 12, 31);
    } else {
        if (!from)
            return cli_usage(cmd, "--from DATE or --year YEAR is required");
        if (cli_date(cmd, "from", from, &q->from) || cli_date(cmd, "to", to ? to : from, &q->to))
            return CLI_USAGE;
        if (q->to < q->from)
            return cli_usage(cmd, "--to is before --from");
        if (q->to - q->from > 3700)
            return cli_usage(cmd, "a period of at most ten years");
    }
    q->points = cli_multi(cmd, a, "point", &q->npoints);
    q->level = cli_value(cmd, a, "level");
    if (per) {
        if (!strcmp(per, "month"))
            q->split = QW_MONTH;
        else if (!strcmp(per, "quarter"))
            q->split = QW_QUARTER;
        else if (!strcmp(per, "year"))
            q->split = QW_YEAR;
        else
            return cli_usage(cmd, "--period: '%s' is not month, quarter or year", per);
    }
    return 0;
}

/* The options of cmd and the store: CLI_OK, or the exit code to return. */
static int open_q(struct cli *c, const struct cli_cmd *cmd, const struct cli_args *a,
                  struct query_water *q)
{
    if (parse_q(cmd, a, q))
        return CLI_USAGE;
    return cli_store(c) ? CLI_FAIL : CLI_OK;
}

static int finish(struct cli *c, struct fmt *f, int rc)
{
    int frc = fmt_finish(f);
    if (rc == 0)
        rc = frc;
    fmt_free(f);
    return rc ? cli_fail(c, rc) : CLI_OK;
}

/* One row per section or lake (query_water_sections/_lakes), then the summary if any. */
static int run_rows(struct cli *c, const struct cli_args *a, const char *name,
                    int (*query)(struct store *, const struct query_water *, query_water_cb, void *,
                                 struct eg_errbuf *),
                    query_water_cb row,
                    int (*summary)(struct rec_water_out *, const struct query_water *))
{
    struct query_water q;
    int e = open_q(c, cmd_named(name), a, &q);
    if (e)
        return e;
    struct rec_water_out o = {.f = cli_fmt(c)};
    if (!o.f)
        return cli_fail(c, EG_ENOMEM);
    int rc = query(c->store, &q, row, &o, &c->eb);
    if (rc == 0 && summary)
        rc = summary(&o, &q);
    return finish(c, o.f, rc);
}

static int run_section(struct cli *c, const struct cli_args *a)
{
    return run_rows(c, a, "water section", query_water_sections, rec_water_section, NULL);
}

static int run_city(struct cli *c, const struct cli_args *a)
{
    return run_rows(c, a, "water city", query_water_sections, rec_water_city,
                    rec_water_city_summary);
}

static int run_river(struct cli *c, const struct cli_args *a)
{
    struct query_water q;
    int e = open_q(c, cmd_named("water river"), a, &q);
    if (e)
        return e;
    struct rec_water_out o = {.f = cli_fmt(c)};
    if (!o.f)
        return cli_fail(c, EG_ENOMEM);
    return finish(c, o.f, query_water_rivers(c->store, &q, rec_water_river, &o, &c->eb));
}

static int run_cwqi(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = cmd_named("water cwqi");
    struct query_water q;
    struct query_water_cwqi r;
    long cmp = 0;
    const char *cs = cli_value(cmd, a, "compare");
    if (parse_q(cmd, a, &q) || (cs && cli_int(cmd, "compare", cs, 1970, 2200, &cmp)))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    int rc = query_water_cwqi(c->store, &q, (int)cmp, &r, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    struct fmt *f = cli_fmt(c);
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    fmt_row_begin(f);
    rec_water_cwqi(f, &r, cs != NULL, cmp);
    rc = fmt_row_end(f);
    return finish(c, f, rc);
}

static int run_drinking(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = cmd_named("water drinking");
    struct query_water q;
    int e = open_q(c, cmd, a, &q);
    if (e)
        return e;
    struct rec_water_drink_out x;
    memset(&x, 0, sizeof(x));
    x.o.f = cli_fmt(c);
    x.summary = cli_flag(cmd, a, "summary");
    if (!x.o.f)
        return cli_fail(c, EG_ENOMEM);
    int rc = query_water_drinking(c->store, &q, rec_water_drinking_row, &x, &c->eb);
    if (rc == 0 && x.summary)
        rc = rec_water_drinking_summary(&x, &q);
    return finish(c, x.o.f, rc);
}

static int run_lake(struct cli *c, const struct cli_args *a)
{
    return run_rows(c, a, "water lake", query_water_lakes, rec_water_lake, NULL);
}

static int run_sf(struct cli *c, const struct cli_args *a, const char *name, bool sea)
{
    const struct cli_cmd *cmd = cmd_named(name);
    struct query_water q;
    int e = open_q(c, cmd, a, &q);
    if (e)
        return e;
    struct rec_water_sf_out x;
    memset(&x, 0, sizeof(x));
    x.o.f = cli_fmt(c);
    x.summary = cli_flag(cmd, a, "summary");
    x.sea = sea;
    if (!x.o.f)
        return cli_fail(c, EG_ENOMEM);
    int rc = sea ? query_water_sea(c->store, &q, rec_water_sf, &x, &c->eb)
                 : query_water_wells(c->store, &q, rec_water_sf, &x, &c->eb);
    if (rc == EG_ENOMEM)
        eg_errf(&c->eb, rc, "out of memory");
    if (rc == 0 && x.summary)
        rc = rec_water_sf_summary(&x, &q);
    eg_free(x.o.pcls);
    eg_free(x.o.parea);
    return finish(c, x.o.f, rc);
}

static int run_sea(struct cli *c, const struct cli_args *a)
{
    return run_sf(c, a, "sea", true);
}

static int run_groundwater(struct cli *c, const struct cli_args *a)
{
    return run_sf(c, a, "groundwater", false);
}

static int run_odorous(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = cmd_named("odorous");
    struct query_water q;
    int e = open_q(c, cmd, a, &q);
    if (e)
        return e;
    struct rec_water_sf_out *x = eg_calloc(1, sizeof(*x));
    if (!x)
        return cli_fail(c, EG_ENOMEM);
    x->o.f = cli_fmt(c);
    x->summary = cli_flag(cmd, a, "summary");
    if (!x->o.f) {
        eg_free(x);
        return cli_fail(c, EG_ENOMEM);
    }
    int rc = query_water_odorous(c->store, &q, rec_water_odor, x, &c->eb);
    if (rc == 0 && x->summary)
        rc = rec_water_odorous_summary(x, &q);
    for (size_t b = 0; b < x->o.nbody; b++)
        eg_free((char *)(uintptr_t)x->o.bodies[b]);
    rc = finish(c, x->o.f, rc);
    eg_free(x);
    return rc;
}

static int run_soil(struct cli *c, const struct cli_args *a, const char *name, bool farm)
{
    const struct cli_cmd *cmd = cmd_named(name);
    struct query_water q;
    int e = open_q(c, cmd, a, &q);
    if (e)
        return e;
    struct rec_water_soil_out x;
    memset(&x, 0, sizeof(x));
    x.o.f = cli_fmt(c);
    x.summary = cli_flag(cmd, a, "summary");
    x.farm = farm;
    if (!x.o.f)
        return cli_fail(c, EG_ENOMEM);
    int rc = query_water_soil(c->store, &q, farm, rec_water_soil, &x, &c->eb);
    if (rc == EG_ENOMEM)
        eg_errf(&c->eb, rc, "out of memory");
    if (rc == 0 && x.summary)
        rc = rec_water_soil_summary(&x, &q);
    eg_free(x.plots);
    return finish(c, x.o.f, rc);
}

static int run_farmland(struct cli *c, const struct cli_args *a)
{
    return run_soil(c, a, "soil farmland", true);
}

static int run_construction(struct cli *c, const struct cli_args *a)
{
    return run_soil(c, a, "soil construction", false);
}
