/* cmd_emergency.c — heavy-pollution performance grades (绩效分级) and the emergency reduction list
 * (应急减排清单): set an enterprise's grade and measures, list a warning level's enterprises and
 * measures, and sum the expected SO2/NOx/PM/VOCs reductions against the city's targets (≥ 10 / 20 /
 * 30 % for yellow / orange / red). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "supervise/supervise.h"

static const struct cli_opt grade_opts[] = {
    {"year", CLI_VALUE, "YEAR", "the list's year"},
    {"grade", CLI_VALUE, "A|B|B-|C|D|L", "performance grade (L = 绩效引领性)"},
    {"industry", CLI_VALUE, "TEXT", "the technical guide's industry"},
    {"emissions", CLI_VALUE, "SO2,NOX,PM,VOCS", "emissions in kg/day (3 decimals)"},
    {"cuts", CLI_VALUE, "Y,O,R", "reduction % at yellow, orange, red (2 decimals)"},
    {NULL, 0, NULL, NULL}};
static const struct cli_opt level_opts[] = {
    {"year", CLI_VALUE, "YEAR", "the list's year"},
    {"level", CLI_VALUE, "yellow|orange|red", "warning level"},
    {"totals", CLI_VALUE, "SO2,NOX,PM,VOCS", "city totals in kg/day (default: the list's)"},
    {NULL, 0, NULL, NULL}};

static int run_grade(struct cli *c, const struct cli_args *a);
static int run_list(struct cli *c, const struct cli_args *a);
static int run_reduce(struct cli *c, const struct cli_args *a);

const struct cli_cmd cli_emergency_cmds[] = {
    {"emergency grade", "set an enterprise's performance grade and emergency measures",
     "emergency grade USCC --year Y --grade G --emissions SO2,NOX,PM,VOCS --cuts Y,O,R",
     "Measures default by grade: A and 引领性 自主减排; B 以限代停; C 以停代限; D 停产.\n"
     "The enterprise joins the year's emergency list.",
     grade_opts, 1, 1, false, run_grade},
    {"emergency list", "the enterprises and measures at a warning level",
     "emergency list --year Y --level yellow|orange|red", NULL, level_opts, 0, 0, true, run_list},
    {"emergency reduce", "expected reductions at a level against the city's targets",
     "emergency reduce --year Y --level yellow|orange|red [--totals SO2,NOX,PM,VOCS]", NULL,
     level_opts, 0, 0, true, run_reduce},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL}};

static const char *const levels[] = {"yellow", "orange", "red"};
static const char *const pollutants[] = {"so2", "nox", "pm", "vocs"};

/* "a,b,c[,d]" of decimals at `scale` → n integers. */
static int parse_list(const char *s, int scale, int64_t *out, size_t n)
{
    const char *p = s;
    for (size_t i = 0; i < n; i++) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if ((i + 1 < n) != (c != NULL) || eg_dec_parse(p, len, scale, &out[i]) || out[i] < 0)
            return -1;
        p = c ? c + 1 : p + len;
    }
    return 0;
}

static int level_of(const struct cli_cmd *cmd, const struct cli_args *a, enum grade_level *ret,
                    long *ret_year)
{
    const char *l = cli_value(cmd, a, "level"), *ys = cli_value(cmd, a, "year");
    if (!l || !ys)
        return cli_usage(cmd, "--year and --level are required");
    if (cli_int(cmd, "year", ys, 1990, 2200, ret_year))
        return CLI_USAGE;
    for (int i = 0; i < 3; i++)
        if (!strcmp(l, levels[i])) {
            *ret = (enum grade_level)i;
            return 0;
        }
    return cli_usage(cmd, "--level: '%s' is not yellow, orange or red", l);
}

static int run_grade(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    const char *ys = cli_value(cmd, a, "year"), *g = grade_code(cli_value(cmd, a, "grade"));
    const char *em = cli_value(cmd, a, "emissions"), *cu = cli_value(cmd, a, "cuts");
    const char *ind = cli_value(cmd, a, "industry");
    long y;
    int64_t e[4], cuts[3];
    if (!ys || !g || !em || !cu)
        return cli_usage(cmd, "--year, --grade (A B B- C D L), --emissions and --cuts are needed");
    if (cli_int(cmd, "year", ys, 1990, 2200, &y))
        return CLI_USAGE;
    if (parse_list(em, 3, e, 4))
        return cli_usage(cmd, "--emissions: four non-negative kg/day values SO2,NOX,PM,VOCS");
    if (parse_list(cu, 2, cuts, 3) || cuts[0] > 10000 || cuts[1] > 10000 || cuts[2] > 10000)
        return cli_usage(cmd, "--cuts: three percentages 0-100 (yellow,orange,red)");
    struct store_grade sg = {
        .uscc = a->pos[0], .year = (int)y, .grade = g, .industry = ind ? ind : ""};
    for (int p = 0; p < 4; p++)
        sg.emis_g[p] = e[p];
    for (int l = 0; l < 3; l++) {
        for (int p = 0; p < 4; p++)
            sg.cut_bp[l][p] = (int32_t)cuts[l];
        sg.measures[l] = grade_default_measure(g, (enum grade_level)l);
    }
    if (cli_store(c))
        return CLI_FAIL;
    int rc = store_work_grade_put(c->store, &sg, &c->eb);
    if (!rc)
        rc = store_work_list_put(c->store, sg.uscc, sg.year, "emergency", &c->eb);
    return rc ? cli_fail(c, rc) : CLI_OK;
}

struct lvl_ctx {
    struct fmt *f;
    enum grade_level level;
    struct grade_line *lines;
    size_t n, cap;
    long by_grade[6];
};

static int list_one(void *ud, const struct store_grade *g)
{
    struct lvl_ctx *l = ud;
    fmt_row_begin(l->f);
    fmt_str(l->f, "uscc", g->uscc);
    fmt_str(l->f, "grade", g->grade);
    fmt_str(l->f, "industry", g->industry);
    fmt_str(l->f, "measure", g->measures[l->level]);
    fmt_dec(l->f, "cut_pct", g->cut_bp[l->level][0], 2);
    return fmt_row_end(l->f);
}

static int sum_one(void *ud, const struct store_grade *g)
{
    struct lvl_ctx *l = ud;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        if (cap > 1000000)
            return EG_ELIMIT;
        struct grade_line *nl = eg_realloc(l->lines, cap * sizeof(*nl));
        if (!nl)
            return EG_ENOMEM;
        l->lines = nl;
        l->cap = cap;
    }
    for (int p = 0; p < 4; p++) {
        l->lines[l->n].emis_g[p] = g->emis_g[p];
        l->lines[l->n].cut_bp[p] = g->cut_bp[l->level][p];
    }
    l->n++;
    static const char *const gs[] = {"A", "B", "B-", "C", "D", "L"};
    for (int i = 0; i < 6; i++)
        if (!strcmp(g->grade, gs[i]))
            l->by_grade[i]++;
    return 0;
}

static int run_list(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    struct lvl_ctx l;
    long y;
    memset(&l, 0, sizeof(l));
    if (level_of(cmd, a, &l.level, &y))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    if (!(l.f = cli_fmt(c)))
        return cli_fail(c, EG_ENOMEM);
    int rc = store_work_grade_each(c->store, NULL, (int)y, list_one, &l, &c->eb);
    int frc = fmt_finish(l.f);
    fmt_free(l.f);
    return rc || frc ? cli_fail(c, rc ? rc : frc) : CLI_OK;
}

static int run_reduce(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    struct lvl_ctx l;
    long y;
    int64_t tot[4] = {0, 0, 0, 0};
    const char *ts = cli_value(cmd, a, "totals");
    memset(&l, 0, sizeof(l));
    if (level_of(cmd, a, &l.level, &y))
        return CLI_USAGE;
    if (ts && parse_list(ts, 3, tot, 4))
        return cli_usage(cmd, "--totals: four non-negative kg/day values SO2,NOX,PM,VOCS");
    if (cli_store(c))
        return CLI_FAIL;
    int rc = store_work_grade_each(c->store, NULL, (int)y, sum_one, &l, &c->eb);
    struct grade_sum s;
    if (!rc)
        rc = grade_reduction_sum(l.lines, l.n, l.level, tot, &s, &c->eb);
    eg_free(l.lines);
    if (rc)
        return cli_fail(c, rc);
    struct fmt *f = cli_fmt(c);
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    for (int p = 0; p < 4 && !rc; p++) {
        fmt_row_begin(f);
        fmt_int(f, "year", y);
        fmt_str(f, "level", levels[l.level]);
        fmt_str(f, "pollutant", pollutants[p]);
        fmt_int(f, "enterprises", (int64_t)l.n);
        fmt_dec(f, "list_kg_d", s.base_g[p], 3);
        fmt_dec(f, "total_kg_d", s.total_g[p], 3);
        fmt_dec(f, "cut_kg_d", eg_div_round(s.cut_mg[p], 1000), 3);
        fmt_dec(f, "cut_pct", s.share_bp[p], 2);
        fmt_dec(f, "target_pct", grade_target_bp(l.level), 2);
        fmt_bool(f, "met", s.met[p]);
        rc = fmt_row_end(f);
    }
    int frc = fmt_finish(f);
    fmt_free(f);
    return rc || frc ? cli_fail(c, rc ? rc : frc) : CLI_OK;
}
