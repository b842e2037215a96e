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

/* ---- record helpers ---- */

static void put_day(struct fmt *f, const char *key, int32_t day)
{
    char b[16];
    eg_date_format(day, b, sizeof(b));
    fmt_str(f, key, b);
}

static void put_value(struct fmt *f, const char *key, const struct wq_value *v, int decimals)
{
    char b[48];
    if (!v || v->n == 0) {
        fmt_null(f, key);
        return;
    }
    int d = decimals >= 0 ? decimals : 6; /* exact means are shown to 10^-6 */
    int64_t x = eg_rescale(v->v, STD_WQ_SCALE, d);
    size_t n = eg_dec_format(x, d, b, sizeof(b));
    if (decimals < 0) /* exact value: drop trailing zeros */
        while (n > 1 && b[n - 1] == '0' && b[n - 2] != '.')
            b[--n] = 0;
    if (decimals < 0 && n > 2 && b[n - 1] == '0' && b[n - 2] == '.')
        b[n -= 2] = 0;
    if (v->nd_only) {
        char nd[64];
        snprintf(nd, sizeof(nd), "<%s", b);
        fmt_str(f, key, nd);
    } else {
        fmt_str(f, key, b);
    }
}

static const char *class_name(const struct std_wq_table *t, int cls)
{
    return cls >= 1 && cls <= t->nclass + 1 ? t->class_name[cls - 1] : NULL;
}

static void put_class(struct fmt *f, const char *key, const struct std_wq_table *t, int cls)
{
    const char *n = class_name(t, cls);
    if (n)
        fmt_str(f, key, n);
    else
        fmt_null(f, key);
}

static void put_point(struct fmt *f, const struct query_water_rec *r)
{
    fmt_str(f, "point", r->pt->code);
    fmt_str(f, "name", r->pt->name);
    put_day(f, "from", r->from);
    put_day(f, "to", r->to);
}

/* deciding: items whose class equals the overall class */
static void put_sf_lists(struct fmt *f, const struct wq_sf *sf, int ref, const char *ref_key,
                         int target, bool target_list)
{
    static const struct wq_sf none;
    if (!sf)
        sf = &none;
    fmt_arr_begin(f, "deciding");
    for (size_t i = 0; i < sf->n && sf->cls; i++)
        if (sf->item[i].cls == sf->cls)
            fmt_str(f, NULL, sf->item[i].it->key);
    fmt_close(f);
    if (ref_key) {
        fmt_arr_begin(f, ref_key);
        for (size_t i = 0; i < sf->n; i++) {
            const struct wq_sf_item *x = &sf->item[i];
            if (x->cls <= ref)
                continue;
            fmt_obj_begin(f, NULL);
            fmt_str(f, "item", x->it->key);
            fmt_str(f, "name", x->it->name_zh);
            put_class(f, "class", sf->table, x->cls);
            if (x->mult_ref >= 0)
                fmt_dec(f, "multiple", x->mult_ref, WQ_MULT_SCALE);
            else
                fmt_null(f, "multiple");
            fmt_close(f);
        }
        fmt_close(f);
    }
    if (target_list) {
        fmt_arr_begin(f, "over_target");
        for (size_t i = 0; i < sf->n; i++) {
            const struct wq_sf_item *x = &sf->item[i];
            if (!target || x->cls <= target)
                continue;
            fmt_obj_begin(f, NULL);
            fmt_str(f, "item", x->it->key);
            if (x->mult_target >= 0)
                fmt_dec(f, "multiple", x->mult_target, WQ_MULT_SCALE);
            else
                fmt_null(f, "multiple");
            fmt_close(f);
        }
        fmt_close(f);
    }
    fmt_arr_begin(f, "undetermined");
    for (size_t i = 0; i < sf->n; i++)
        if (sf->item[i].cls == 0)
            fmt_str(f, NULL, sf->item[i].it->key);
    fmt_close(f);
    fmt_int(f, "items", (int64_t)sf->n);
}

static void put_values(struct fmt *f, const struct wq_sf *sf)
{
    fmt_obj_begin(f, "values");
    for (size_t i = 0; i < sf->n; i++)
        put_value(f, sf->item[i].it->key, &sf->item[i].v, sf->item[i].it->decimals);
    fmt_close(f);
}

struct out {
    struct fmt *f;
    struct cli *c;
    /* summaries */
    long n, ok, cls[7];
    int64_t w_ok, w_all;
    int *pcls;
    int64_t *parea;
    size_t np, capnp;
    const char *bodies[512];
    enum wq_odor bgrade[512][64];
    size_t nbp[512];
    size_t nbody;
};

static int finish(struct cli *c, struct fmt *f, int rc)
{
    int frc = fmt_finish(f);
    if (rc == 0)
        rc = frc;
    fmt_free(f);
    return rc ? cli_fail(c, rc) : CLI_OK;
}

static const char *const RULES_SURFACE = "GB3838-2002; 环办〔2011〕22号; 环办监测函〔2020〕82号";

/* ---- water section ---- */

static int section_rec(void *ud, const struct query_water_rec *r)
{
    struct out *o = ud;
    struct fmt *f = o->f;
    const struct wq_section *s = r->section;
    fmt_row_begin(f);
    put_point(f, r);
    fmt_str(f, "water", r->pt->water);
    put_class(f, "class", s->sf.table, s->cls);
    put_sf_lists(f, &s->sf, 3, "over_iii", s->target, true);
    if (s->target)
        fmt_str(f, "target_class", s->sf.table->class_name[s->target - 1]);
    else
        fmt_null(f, "target_class");
    if (s->target && s->cls)
        fmt_bool(f, "attained", s->attained);
    else
        fmt_null(f, "attained");
    if (s->status)
        fmt_str(f, "status", s->status);
    else
        fmt_null(f, "status");
    fmt_arr_begin(f, "main_pollutants");
    for (size_t i = 0; i < s->nmain; i++) {
        const struct wq_sf_item *x = &s->sf.item[s->main[i]];
        char b[160], m[32];
        eg_dec_format(x->mult_ref >= 0 ? x->mult_ref : 0, WQ_MULT_SCALE, m, sizeof(m));
        snprintf(b, sizeof(b), "%s(%s)", x->it->name_zh, m);
        fmt_str(f, NULL, b);
    }
    fmt_close(f);
    fmt_int(f, "samples", (int64_t)r->nsamples);
    put_values(f, &s->sf);
    fmt_str(f, "rules", RULES_SURFACE);
    return fmt_row_end(f);
}

static int run_section(struct cli *c, const struct cli_args *a)
{
    struct query_water q;
    if (parse_q(cmd_named("water section"), a, &q))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    struct out o = {.f = cli_fmt(c), .c = c};
    if (!o.f)
        return cli_fail(c, EG_ENOMEM);
    return finish(c, o.f, query_water_sections(c->store, &q, section_rec, &o, &c->eb));
}

/* ---- water city ---- */

static int city_rec(void *ud, const struct query_water_rec *r)
{
    struct out *o = ud;
    const struct wq_section *s = r->section;
    if (!s->cls)
        return 0;
    o->n++;
    o->cls[s->cls]++;
    o->ok += s->attained;
    o->w_all += s->target > 0;
    return 0;
}

static void put_pct(struct fmt *f, const char *key, long num, long den)
{
    if (den <= 0)
        fmt_null(f, key);
    else
        fmt_dec(f, key, eg_div_round((int64_t)num * 10000, den), 2);
}

static int run_city(struct cli *c, const struct cli_args *a)
{
    struct query_water q;
    if (parse_q(cmd_named("water city"), a, &q))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    struct out o = {.f = cli_fmt(c), .c = c};
    if (!o.f)
        return cli_fail(c, EG_ENOMEM);
    int rc = query_water_sections(c->store, &q, city_rec, &o, &c->eb);
    if (rc == 0) {
        struct fmt *f = o.f;
        char sent[256];
        fmt_row_begin(f);
        put_day(f, "from", q.from);
        put_day(f, "to", q.to);
        if (q.level)
            fmt_str(f, "level", q.level);
        fmt_int(f, "sections", o.n);
        fmt_int(f, "with_target", o.w_all);
        fmt_int(f, "attained", o.ok);
        fmt_obj_begin(f, "classes");
        static const char *const names[] = {"", "I", "II", "III", "IV", "V", "劣V"};
        for (int k = 1; k <= 6; k++)
            fmt_int(f, names[k], o.cls[k]);
        fmt_close(f);
        put_pct(f, "share_i_iii", o.cls[1] + o.cls[2] + o.cls[3], o.n);
        put_pct(f, "share_worse_v", o.cls[6], o.n);
        if (o.w_all && o.ok == o.w_all)
            snprintf(sent, sizeof(sent), "%ld个%s地表水考核断面全部达到考核标准", o.w_all,
                     q.level && !strcmp(q.level, "national") ? "国家" : "");
        else
            snprintf(sent, sizeof(sent), "%ld个考核断面中%ld个达到考核标准", o.w_all, o.ok);
        fmt_str(f, "sentence", sent);
        fmt_str(f, "rules", RULES_SURFACE);
        rc = fmt_row_end(f);
    }
    return finish(c, o.f, rc);
}

/* ---- water river ---- */

static int river_rec(void *ud, const struct query_water_river *r)
{
    struct out *o = ud;
    struct fmt *f = o->f;
    static const char *const names[] = {"", "I", "II", "III", "IV", "V", "劣V"};
    fmt_row_begin(f);
    fmt_str(f, "river", r->body);
    put_day(f, "from", r->from);
    put_day(f, "to", r->to);
    fmt_int(f, "sections", (int64_t)r->n);
    fmt_obj_begin(f, "classes");
    for (int k = 1; k <= 6; k++)
        fmt_int(f, names[k], (int64_t)r->ncls[k]);
    fmt_close(f);
    put_pct(f, "share_i_iii", (long)r->n13, (long)r->n);
    put_pct(f, "share_worse_v", (long)r->n6, (long)r->n);
    fmt_str(f, "method", r->by_share ? "shares (>= 5 sections)" : "averaged indicators (< 5)");
    if (r->avg)
        put_class(f, "class", r->avg->sf.table, r->avg->cls);
    else
        fmt_null(f, "class");
    if (r->status)
        fmt_str(f, "status", r->status);
    else
        fmt_null(f, "status");
    put_sf_lists(f, r->avg ? &r->avg->sf : NULL, 3, "over_iii", 0, false);
    fmt_str(f, "rules", "环办〔2011〕22号 表2");
    return fmt_row_end(f);
}

static int run_river(struct cli *c, const struct cli_args *a)
{
    struct query_water q;
    if (parse_q(cmd_named("water river"), a, &q))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    struct out o = {.f = cli_fmt(c), .c = c};
    if (!o.f)
        return cli_fail(c, EG_ENOMEM);
    return finish(c, o.f, query_water_rivers(c->store, &q, river_rec, &o, &c->eb));
}

/* ---- water cwqi ---- */

static void put_cwqi_part(struct fmt *f, const char *key, const struct query_water_cwqi_part *p)
{
    const struct std_cwqi_row *rows;
    size_t nr = std_cwqi_rows(&rows);
    fmt_obj_begin(f, key);
    fmt_dec(f, "cwqi", wq_cwqi_round4(p->city), 4);
    if (p->m)
        fmt_dec(f, "cwqi_river", wq_cwqi_round4(p->river.total), 4);
    else
        fmt_null(f, "cwqi_river");
    if (p->n)
        fmt_dec(f, "cwqi_lake", wq_cwqi_round4(p->lake.total), 4);
    else
        fmt_null(f, "cwqi_lake");
    fmt_int(f, "river_sections", (int64_t)p->m);
    fmt_int(f, "lake_points", (int64_t)p->n);
    fmt_obj_begin(f, "items");
    for (size_t i = 0; i < nr && i < WQ_CWQI_ROWS; i++) {
        int64_t v = p->m ? p->river.item[i] : p->lake.item[i];
        if (v >= 0)
            fmt_dec(f, rows[i].key, wq_cwqi_round4(v), 4);
    }
    fmt_close(f);
    fmt_close(f);
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
    put_day(f, "from", r.from);
    put_day(f, "to", r.to);
    if (r.now.m + r.now.n)
        fmt_dec(f, "cwqi", wq_cwqi_round4(r.now.city), 4);
    else
        fmt_null(f, "cwqi");
    put_cwqi_part(f, "this", &r.now);
    if (cs) {
        fmt_int(f, "compare", cmp);
        if (r.has_prev) {
            put_cwqi_part(f, "previous", &r.prev);
            fmt_dec(f, "change_pct", r.change, 2);
            char b[160], m[32];
            eg_dec_format(r.change < 0 ? -r.change : r.change, 2, m, sizeof(m));
            snprintf(b, sizeof(b), "水质综合指数同比%s%s%%",
                     r.change < 0   ? "改善"
                     : r.change > 0 ? "下降"
                                    : "持平",
                     r.change ? m : "");
            fmt_str(f, "sentence", b);
        } else {
            fmt_null(f, "previous");
            fmt_null(f, "change_pct");
            fmt_null(f, "sentence");
        }
    }
    fmt_str(f, "rules", "环办监测〔2017〕51号; GB3838-2002 III类; 环办监测函〔2020〕82号");
    rc = fmt_row_end(f);
    return finish(c, f, rc);
}

/* ---- water drinking ---- */

static int drinking_rec(void *ud, const struct query_water_rec *r)
{
    struct out *o = ud;
    const struct wq_drinking *d = r->drinking;
    int64_t w = r->pt->supply;
    if (d->n) {
        o->n++;
        o->ok += d->compliant;
        o->w_all += w;
        o->w_ok += d->compliant ? w : 0;
    }
    return 0;
}

struct drink_out {
    struct out o;
    bool summary;
};

static int drinking_row(void *ud, const struct query_water_rec *r)
{
    struct drink_out *x = ud;
    struct fmt *f = x->o.f;
    const struct wq_drinking *d = r->drinking;
    drinking_rec(&x->o, r);
    if (x->summary)
        return 0;
    fmt_row_begin(f);
    put_point(f, r);
    fmt_str(f, "water", r->pt->water);
    fmt_str(f, "level", r->pt->level);
    if (d->n)
        fmt_bool(f, "compliant", d->compliant);
    else
        fmt_null(f, "compliant");
    fmt_int(f, "items", (int64_t)d->n);
    fmt_arr_begin(f, "failing");
    for (size_t i = 0; i < d->nfail && i < 16; i++) {
        fmt_obj_begin(f, NULL);
        fmt_str(f, "item", d->fail[i].it->key);
        if (d->fail[i].mult_ref >= 0)
            fmt_dec(f, "multiple", d->fail[i].mult_ref, WQ_MULT_SCALE);
        else
            fmt_null(f, "multiple");
        fmt_close(f);
    }
    fmt_close(f);
    fmt_dec(f, "supply", eg_rescale(r->pt->supply, STD_WQ_SCALE, 2), 2);
    fmt_int(f, "samples", (int64_t)r->nsamples);
    fmt_str(f, "rules",
            !strcmp(r->pt->water, "ground") ? "GB/T14848-2017 III类"
                                            : "GB3838-2002 表1 III类、表2、表3");
    return fmt_row_end(f);
}

static int run_drinking(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = cmd_named("water drinking");
    struct query_water q;
    if (parse_q(cmd, a, &q))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    struct drink_out x;
    memset(&x, 0, sizeof(x));
    x.o.f = cli_fmt(c);
    x.summary = cli_flag(cmd, a, "summary");
    if (!x.o.f)
        return cli_fail(c, EG_ENOMEM);
    int rc = query_water_drinking(c->store, &q, drinking_row, &x, &c->eb);
    if (rc == 0 && x.summary) {
        struct fmt *f = x.o.f;
        fmt_row_begin(f);
        put_day(f, "from", q.from);
        put_day(f, "to", q.to);
        fmt_int(f, "sources", x.o.n);
        fmt_int(f, "compliant", x.o.ok);
        put_pct(f, "rate_by_count", x.o.ok, x.o.n);
        if (x.o.w_all > 0)
            fmt_dec(f, "rate_by_volume", eg_div_round128((eg_i128)x.o.w_ok * 10000, x.o.w_all), 2);
        else
            fmt_null(f, "rate_by_volume");
        fmt_str(f, "rules", "GB3838-2002 5.3 (III类, 表2, 表3); GB/T14848-2017 III类");
        rc = fmt_row_end(f);
    }
    return finish(c, x.o.f, rc);
}

/* ---- water lake ---- */

static int lake_rec(void *ud, const struct query_water_rec *r)
{
    struct out *o = ud;
    struct fmt *f = o->f;
    const struct wq_tli *t = r->tli;
    const struct std_tli *st = std_tli();
    fmt_row_begin(f);
    put_point(f, r);
    if (t->valid) {
        fmt_dec(f, "tli", t->tli, 1);
        fmt_str(f, "grade", t->grade);
        fmt_obj_begin(f, "parts");
        for (int j = 0; j < 5; j++)
            fmt_dec(f, st->row[j].key, t->part[j], 1);
        fmt_close(f);
    } else {
        fmt_null(f, "tli");
        fmt_null(f, "grade");
        fmt_null(f, "parts");
    }
    fmt_obj_begin(f, "values");
    for (int j = 0; j < 5; j++)
        if (st->row[j].param >= 0)
            put_value(f, st->row[j].key, &r->means[st->row[j].param], -1);
    fmt_close(f);
    fmt_str(f, "rules", "环办〔2011〕22号 TLI(Σ)");
    return fmt_row_end(f);
}

static int run_lake(struct cli *c, const struct cli_args *a)
{
    struct query_water q;
    if (parse_q(cmd_named("water lake"), a, &q))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    struct out o = {.f = cli_fmt(c), .c = c};
    if (!o.f)
        return cli_fail(c, EG_ENOMEM);
    return finish(c, o.f, query_water_lakes(c->store, &q, lake_rec, &o, &c->eb));
}

/* ---- sea and groundwater ---- */

struct sf_out {
    struct out o;
    bool summary, sea;
};

static int sf_rec(void *ud, const struct query_water_rec *r)
{
    struct sf_out *x = ud;
    struct out *o = &x->o;
    const struct wq_sf *sf = r->sf;
    if (sf->cls) {
        if (o->np == o->capnp) {
            size_t cap = o->capnp ? o->capnp * 2 : 64;
            int *pc = eg_realloc(o->pcls, cap * sizeof(int));
            if (!pc)
                return EG_ENOMEM;
            o->pcls = pc;
            int64_t *pa = eg_realloc(o->parea, cap * sizeof(int64_t));
            if (!pa)
                return EG_ENOMEM;
            o->parea = pa;
            o->capnp = cap;
        }
        o->pcls[o->np] = sf->cls;
        o->parea[o->np] = r->pt->area;
        o->np++;
        o->n++;
        o->cls[sf->cls]++;
        if (r->pt->target) {
            o->w_all++;
            o->ok += sf->cls <= r->pt->target;
        }
    }
    if (x->summary)
        return 0;
    struct fmt *f = o->f;
    fmt_row_begin(f);
    put_point(f, r);
    put_class(f, "class", sf->table, sf->cls);
    put_sf_lists(f, sf, x->sea ? r->pt->target : 3, x->sea ? "over_target" : "over_iii",
                 r->pt->target, !x->sea);
    if (r->pt->target)
        fmt_str(f, "target_class", sf->table->class_name[r->pt->target - 1]);
    else
        fmt_null(f, "target_class");
    if (r->pt->target && sf->cls)
        fmt_bool(f, "attained", sf->cls <= r->pt->target);
    else
        fmt_null(f, "attained");
    if (x->sea && r->pt->area)
        fmt_dec(f, "area", eg_rescale(r->pt->area, STD_WQ_SCALE, 3), 3);
    else if (x->sea)
        fmt_null(f, "area");
    fmt_int(f, "samples", (int64_t)r->nsamples);
    put_values(f, sf);
    fmt_str(f, "rules", sf->table->id);
    return fmt_row_end(f);
}

static int run_sf(struct cli *c, const struct cli_args *a, const char *name, bool sea)
{
    const struct cli_cmd *cmd = cmd_named(name);
    struct query_water q;
    if (parse_q(cmd, a, &q))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    struct sf_out x;
    memset(&x, 0, sizeof(x));
    x.o.f = cli_fmt(c);
    x.summary = cli_flag(cmd, a, "summary");
    x.sea = sea;
    if (!x.o.f)
        return cli_fail(c, EG_ENOMEM);
    int rc = sea ? query_water_sea(c->store, &q, sf_rec, &x, &c->eb)
                 : query_water_wells(c->store, &q, sf_rec, &x, &c->eb);
    if (rc == EG_ENOMEM)
        eg_errf(&c->eb, rc, "out of memory");
    if (rc == 0 && x.summary) {
        struct fmt *f = x.o.f;
        const struct std_wq_table *t = std_wq(sea ? STD_GB3097 : STD_GBT14848);
        fmt_row_begin(f);
        put_day(f, "from", q.from);
        put_day(f, "to", q.to);
        fmt_int(f, "points", x.o.n);
        fmt_obj_begin(f, "classes");
        for (int k = 1; k <= t->nclass + 1; k++)
            fmt_int(f, t->class_name[k - 1], x.o.cls[k]);
        fmt_close(f);
        fmt_int(f, "with_target", x.o.w_all);
        fmt_int(f, "attained", x.o.ok);
        if (sea) {
            struct wq_share sp, sa;
            int64_t *one = eg_calloc(x.o.np + 1, sizeof(int64_t));
            if (!one)
                rc = EG_ENOMEM;
            for (size_t i = 0; one && i < x.o.np; i++)
                one[i] = 1;
            if (one) {
                wq_sea_share(x.o.pcls, one, x.o.np, &sp);
                wq_sea_share(x.o.pcls, x.o.parea, x.o.np, &sa);
                eg_free(one);
                fmt_obj_begin(f, "by_point");
                fmt_dec(f, "share_i_ii", sp.p12, 2);
                fmt_dec(f, "share_i_iii", sp.p123, 2);
                fmt_dec(f, "share_worse_iv", sp.p4x, 2);
                fmt_str(f, "status", sp.status);
                fmt_close(f);
                fmt_obj_begin(f, "by_area");
                if (sa.status) {
                    fmt_dec(f, "share_i_ii", sa.p12, 2);
                    fmt_dec(f, "share_i_iii", sa.p123, 2);
                    fmt_dec(f, "share_worse_iv", sa.p4x, 2);
                    fmt_str(f, "status", sa.status);
                }
                fmt_close(f);
            }
        }
        fmt_str(f, "rules", sea ? "GB3097-1997; nearshore_grading (HJ 442)" : t->id);
        if (rc == 0)
            rc = fmt_row_end(f);
    }
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

/* ---- odorous ---- */

static int odor_rec(void *ud, const struct query_water_rec *r)
{
    struct sf_out *x = ud;
    struct out *o = &x->o;
    const struct wq_odor_point *p = r->odor;
    const char *body = r->pt->body[0] ? r->pt->body : r->pt->code;
    size_t b = 0;
    while (b < o->nbody && strcmp(o->bodies[b], body))
        b++;
    if (b == o->nbody && b < 512) {
        o->bodies[b] = eg_strdup(body);
        if (!o->bodies[b])
            return EG_ENOMEM;
        o->nbody++;
    }
    if (b < 512 && o->nbp[b] < 64)
        o->bgrade[b][o->nbp[b]++] = p->grade;
    if (x->summary)
        return 0;
    const struct std_odor_row *rows;
    size_t nr = std_odor_rows(&rows);
    struct fmt *f = o->f;
    fmt_row_begin(f);
    put_point(f, r);
    fmt_str(f, "water_body", body);
    fmt_str(f, "grade", wq_odor_name(p->grade));
    fmt_obj_begin(f, "heavy_share");
    for (size_t j = 0; j < nr && j < 4; j++)
        if (p->n[j])
            put_pct(f, rows[j].key, p->heavy[j], p->n[j]);
    fmt_close(f);
    fmt_int(f, "samples", (int64_t)r->nsamples);
    fmt_str(f, "rules", "建城〔2015〕130号");
    return fmt_row_end(f);
}

static int run_odorous(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = cmd_named("odorous");
    struct query_water q;
    if (parse_q(cmd, a, &q))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    struct sf_out *x = eg_calloc(1, sizeof(*x));
    if (!x)
        return cli_fail(c, EG_ENOMEM);
    x->o.f = cli_fmt(c);
    x->summary = cli_flag(cmd, a, "summary");
    if (!x->o.f) {
        eg_free(x);
        return cli_fail(c, EG_ENOMEM);
    }
    int rc = query_water_odorous(c->store, &q, odor_rec, x, &c->eb);
    if (rc == 0 && x->summary) {
        long eliminated = 0;
        for (size_t b = 0; b < x->o.nbody && rc == 0; b++) {
            enum wq_odor g = wq_odor_body(x->o.bgrade[b], x->o.nbp[b]);
            eliminated += g == WQ_ODOR_NONE;
            fmt_row_begin(x->o.f);
            fmt_str(x->o.f, "water_body", x->o.bodies[b]);
            put_day(x->o.f, "from", q.from);
            put_day(x->o.f, "to", q.to);
            fmt_int(x->o.f, "points", (int64_t)x->o.nbp[b]);
            fmt_str(x->o.f, "grade", wq_odor_name(g));
            fmt_null(x->o.f, "remediated_pct");
            fmt_str(x->o.f, "rules", "建城〔2015〕130号");
            rc = fmt_row_end(x->o.f);
        }
        if (rc == 0) {
            fmt_row_begin(x->o.f);
            fmt_str(x->o.f, "water_body", "(all)");
            put_day(x->o.f, "from", q.from);
            put_day(x->o.f, "to", q.to);
            fmt_int(x->o.f, "points", (int64_t)x->o.nbody);
            char b[64];
            snprintf(b, sizeof(b), "%ld/%zu 不黑臭", eliminated, x->o.nbody);
            fmt_str(x->o.f, "grade", b);
            put_pct(x->o.f, "remediated_pct", eliminated, (long)x->o.nbody);
            fmt_str(x->o.f, "rules", "建城〔2015〕130号 (不黑臭 = no indicator at 轻度 or worse)");
            rc = fmt_row_end(x->o.f);
        }
    }
    for (size_t b = 0; b < x->o.nbody; b++)
        eg_free((char *)(uintptr_t)x->o.bodies[b]);
    rc = finish(c, x->o.f, rc);
    eg_free(x);
    return rc;
}

/* ---- soil ---- */

struct plot {
    char code[40];
    int worst; /* farmland category 'A'..'C' or construction level */
    int64_t area;
    bool measures_ok;
};

struct soil_out {
    struct out o;
    bool summary, farm;
    struct plot *plots;
    size_t np, cap;
};

static int soil_rec(void *ud, const struct query_water_rec *r)
{
    struct soil_out *x = ud;
    const struct soil_result *s = r->soil;
    int w = x->farm ? s->category : (int)s->worst;
    if (x->np == 0 || strcmp(x->plots[x->np - 1].code, r->pt->code)) {
        if (x->np == x->cap) {
            size_t cap = x->cap ? x->cap * 2 : 64;
            struct plot *p = eg_realloc(x->plots, cap * sizeof(*p));
            if (!p)
                return EG_ENOMEM;
            x->plots = p;
            x->cap = cap;
        }
        struct plot *p = &x->plots[x->np++];
        snprintf(p->code, sizeof(p->code), "%s", r->pt->code);
        p->worst = 0;
        p->area = r->pt->area;
        p->measures_ok = r->pt->measures_ok;
    }
    if (w > x->plots[x->np - 1].worst)
        x->plots[x->np - 1].worst = w;
    if (x->summary)
        return 0;
    struct fmt *f = x->o.f;
    fmt_row_begin(f);
    put_point(f, r);
    fmt_str(f, "land_use", r->pt->land_use);
    if (x->farm) {
        static const char *const bands[] = {"pH<=5.5", "5.5<pH<=6.5", "6.5<pH<=7.5", "pH>7.5"};
        if (s->band >= 0)
            fmt_str(f, "ph_band", bands[s->band]);
        else
            fmt_null(f, "ph_band");
        if (s->category) {
            char cat[2] = {s->category, 0};
            fmt_str(f, "category", cat);
            fmt_str(f, "category_name", s->label);
        } else {
            fmt_null(f, "category");
            fmt_null(f, "category_name");
        }
    } else {
        if (s->label)
            fmt_str(f, "result", s->label);
        else
            fmt_null(f, "result");
    }
    fmt_arr_begin(f, "over_screening");
    for (size_t i = 0; i < s->n; i++) {
        const struct soil_item *it = &s->item[i];
        if (it->level < SOIL_BETWEEN)
            continue;
        fmt_obj_begin(f, NULL);
        fmt_str(f, "item", it->it->key);
        fmt_str(f, "name", it->it->name_zh);
        fmt_str(f, "level", soil_level_name(it->level, x->farm));
        fmt_dec(f, "pi", it->pi, 2);
        fmt_close(f);
    }
    fmt_close(f);
    fmt_obj_begin(f, "values");
    for (size_t i = 0; i < s->n; i++)
        put_value(f, s->item[i].it->key, &s->item[i].v, -1);
    fmt_close(f);
    fmt_str(f, "rules", x->farm ? "GB15618-2018" : "GB36600-2018");
    return fmt_row_end(f);
}

static int run_soil(struct cli *c, const struct cli_args *a, const char *name, bool farm)
{
    const struct cli_cmd *cmd = cmd_named(name);
    struct query_water q;
    if (parse_q(cmd, a, &q))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    struct soil_out x;
    memset(&x, 0, sizeof(x));
    x.o.f = cli_fmt(c);
    x.summary = cli_flag(cmd, a, "summary");
    x.farm = farm;
    if (!x.o.f)
        return cli_fail(c, EG_ENOMEM);
    int rc = query_water_soil(c->store, &q, farm, soil_rec, &x, &c->eb);
    if (rc == EG_ENOMEM)
        eg_errf(&c->eb, rc, "out of memory");
    if (rc == 0 && x.summary) {
        long n[4] = {0, 0, 0, 0}, contaminated = 0, safe = 0;
        int64_t area_c = 0, area_safe = 0;
        for (size_t i = 0; i < x.np; i++) {
            const struct plot *p = &x.plots[i];
            int k = farm ? (p->worst ? p->worst - 'A' + 1 : 0) : p->worst;
            if (k < 0 || k > 3)
                k = 0;
            n[k]++;
            if (k >= 2) {
                int64_t w = p->area > 0 ? p->area : eg_pow10(STD_WQ_SCALE);
                contaminated++;
                area_c += w;
                if (p->measures_ok) {
                    safe++;
                    area_safe += w;
                }
            }
        }
        struct fmt *f = x.o.f;
        fmt_row_begin(f);
        put_day(f, "from", q.from);
        put_day(f, "to", q.to);
        fmt_int(f, "plots", (int64_t)x.np);
        fmt_obj_begin(f, farm ? "categories" : "results");
        if (farm) {
            fmt_int(f, "优先保护类", n[1]);
            fmt_int(f, "安全利用类", n[2]);
            fmt_int(f, "严格管控类", n[3]);
        } else {
            fmt_int(f, "低于筛选值", n[1]);
            fmt_int(f, "高于筛选值", n[2]);
            fmt_int(f, "高于管制值", n[3]);
        }
        fmt_close(f);
        fmt_int(f, "contaminated", contaminated);
        fmt_int(f, "safely_used", safe);
        /* the rate's definition: docs/soil.md (area-weighted for farmland, count for plots) */
        if (farm) {
            if (area_c > 0)
                fmt_dec(f, "safe_use_rate", eg_div_round128((eg_i128)area_safe * 10000, area_c), 2);
            else
                fmt_dec(f, "safe_use_rate", 10000, 2);
        } else {
            put_pct(f, "safe_use_rate", contaminated ? safe : 1, contaminated ? contaminated : 1);
        }
        fmt_str(
            f, "definition",
            farm ? "受污染耕地安全利用率 = 采取安全利用或严格管控措施且达到要求的受污染耕地面积 / "
                   "受污染耕地面积 (安全利用类+严格管控类; 无受污染耕地时为100%)"
                 : "污染地块安全利用率 = 符合风险管控要求的污染地块数 / 污染地块数 "
                   "(高于筛选值的地块; 无污染地块时为100%)");
        fmt_str(f, "rules", farm ? "GB15618-2018" : "GB36600-2018");
        rc = fmt_row_end(f);
    }
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
