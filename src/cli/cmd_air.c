/* cmd_air.c — `envgov air …`: hourly, daily and period AQI and statistics, city ranking, sand-dust
 * flags, heavy-pollution warnings and the station list.  Output keys are part of the interface
 * (see the Output section and docs/air.md); `null` marks an invalid value. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/eg_buf.h"
#include "common/eg_csv.h"
#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "query/query.h"
#include "records/records.h"

#define WARNING_FILE_LIMIT (16u << 20)
#define WARNING_MAX_DAYS   366

static const struct cli_opt period_opts[] = {
    {"from", CLI_VALUE, "DATE", "first natural day (YYYY-MM-DD)"},
    {"to", CLI_VALUE, "DATE", "last natural day, inclusive (default: --from)"},
    {"station", CLI_MULTI, "CODE", "only these stations"},
    {"city", CLI_MULTI, "NAME", "only these cities (their stations, or their city values)"},
    {"by", CLI_VALUE, "station|city", "station values (default) or city values"},
    {"rules", CLI_VALUE, "SET", "2012, 2026 or 2012-literal (default: the set in force each day)"},
    {NULL, 0, NULL, NULL}};

static const struct cli_opt annual_opts[] = {
    {"year", CLI_VALUE, "YEAR", "calendar year"},
    {"month", CLI_VALUE, "MONTH", "only this month (1-12)"},
    {"station", CLI_MULTI, "CODE", "only these stations"},
    {"city", CLI_MULTI, "NAME", "only these cities"},
    {"by", CLI_VALUE, "station|city", "station statistics (default) or city statistics"},
    {"rules", CLI_VALUE, "SET", "2012, 2026 or 2012-literal (default: by date)"},
    {NULL, 0, NULL, NULL}};

static const struct cli_opt rank_opts[] = {
    {"year", CLI_VALUE, "YEAR", "calendar year"},
    {"month", CLI_VALUE, "MONTH", "rank this month (1-12) instead of the year"},
    {"city", CLI_MULTI, "NAME", "rank only these cities (e.g. one province's)"},
    {"by", CLI_VALUE, "composite|pm25|good", "sort order (default composite); all ranks are shown"},
    {"rules", CLI_VALUE, "SET", "2012, 2026 or 2012-literal (default: by date)"},
    {NULL, 0, NULL, NULL}};

static const struct cli_opt dust_opts[] = {
    {"city", CLI_VALUE, "NAME", "city (mark, unmark)"},
    {"date", CLI_VALUE, "DATE", "natural day (mark, unmark)"},
    {"note", CLI_VALUE, "TEXT", "reason or source of the flag (mark)"},
    {"from", CLI_VALUE, "DATE", "list from this day"},
    {"to", CLI_VALUE, "DATE", "list to this day"},
    {NULL, 0, NULL, NULL}};

static const struct cli_opt stations_opts[] = {{"city", CLI_MULTI, "NAME", "only these cities"},
                                               {NULL, 0, NULL, NULL}};

static const struct cli_opt no_opts[] = {{NULL, 0, NULL, NULL}};

/* ---- shared option handling ---- */

static int parse_sel(const struct cli_cmd *cmd, const struct cli_args *a, struct query_air *q)
{
    /* `air rank --by` names a sort order, not station|city (run_rank reads it) */
    const char *by = strcmp(cmd->name, "air rank") ? cli_value(cmd, a, "by") : NULL;
    const char *rules = cli_value(cmd, a, "rules");
    memset(q, 0, sizeof(*q));
    q->stations = cli_multi(cmd, a, "station", &q->nstations);
    q->cities = cli_multi(cmd, a, "city", &q->ncities);
    if (by && strcmp(by, "station") && strcmp(by, "city"))
        return cli_usage(cmd, "--by: '%s' is not station or city", by);
    q->by_city = by && !strcmp(by, "city");
    if (q->by_city && q->nstations)
        return cli_usage(cmd, "--station does not go with --by city");
    if (rules && !(q->rules = std_aqi_rules_named(rules)))
        return cli_usage(cmd, "--rules: '%s' is not 2012, 2026 or 2012-literal", rules);
    return 0;
}

static int parse_range(const struct cli_cmd *cmd, const struct cli_args *a, struct query_air *q)
{
    const char *from = cli_value(cmd, a, "from"), *to = cli_value(cmd, a, "to");
    if (!from)
        return cli_usage(cmd, "--from DATE is required");
    if (cli_date(cmd, "from", from, &q->from) || cli_date(cmd, "to", to ? to : from, &q->to))
        return CLI_USAGE;
    if (q->to < q->from)
        return cli_usage(cmd, "--to is before --from");
    return 0;
}

static int parse_year(const struct cli_cmd *cmd, const struct cli_args *a, struct query_air *q)
{
    const char *ys = cli_value(cmd, a, "year"), *ms = cli_value(cmd, a, "month");
    long y, m = 0;
    if (!ys)
        return cli_usage(cmd, "--year YEAR is required");
    if (cli_int(cmd, "year", ys, 1970, 2200, &y) || (ms && cli_int(cmd, "month", ms, 1, 12, &m)))
        return CLI_USAGE;
    q->from = eg_days_from_civil((int)y, m ? (int)m : 1, 1);
    q->to = m ? eg_days_from_civil((int)y, (int)m, eg_days_in_month((int)y, (int)m))
              : eg_days_from_civil((int)y, 12, 31);
    return 0;
}

/* ---- record helpers ---- */

struct out {
    struct cli *c;
    struct fmt *f;
    bool by_city;
    long rows;
};

static int out_begin(struct out *o, struct cli *c, bool by_city)
{
    o->c = c;
    o->by_city = by_city;
    o->rows = 0;
    o->f = cli_fmt(c);
    return o->f ? 0 : EG_ENOMEM;
}

static int out_end(struct out *o, int rc)
{
    if (rc == 0)
        rc = fmt_finish(o->f);
    fmt_free(o->f);
    if (rc)
        return cli_fail(o->c, rc);
    return CLI_OK;
}

/* The selection and the period (a range, or a year), the store and the output: CLI_OK, or the
 * exit code to return. */
static int begin(struct cli *c, const struct cli_args *a, bool year, struct query_air *q,
                 struct out *o)
{
    const struct cli_cmd *cmd = c->cmd;
    if (parse_sel(cmd, a, q) || (year ? parse_year(cmd, a, q) : parse_range(cmd, a, q)))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    return out_begin(o, c, q->by_city) ? cli_fail(c, EG_ENOMEM) : CLI_OK;
}

/* ---- air hourly ---- */

static int on_hour(void *ud, const struct query_air_hour *h)
{
    struct out *o = ud;
    struct fmt *f = o->f;
    char t[32];
    eg_hour_format_iso(h->stamp, t, sizeof(t));
    fmt_row_begin(f);
    rec_air_hour(f, o->by_city, h);
    return fmt_row_end(f);
}

static int run_hourly(struct cli *c, const struct cli_args *a);
static int run_daily(struct cli *c, const struct cli_args *a);
static int run_annual(struct cli *c, const struct cli_args *a);
static int run_rank(struct cli *c, const struct cli_args *a);
static int run_dust(struct cli *c, const struct cli_args *a);
static int run_warning(struct cli *c, const struct cli_args *a);
static int run_stations(struct cli *c, const struct cli_args *a);

const struct cli_cmd cli_air_cmds[] = {
    {"air hourly", "real-time (hourly) AQI per station or city",
     "air hourly --from DATE [--to DATE] [--station CODE…] [--city NAME…] [--by station|city]",
     "Hours ending DATE 01:00 … TO+1 00:00 (Beijing time).  PM2.5 and PM10 1-h values on the 24-h\n"
     "breakpoints, SO2 NO2 CO O3 on the 1-h breakpoints (HJ 633; docs/air.md).",
     period_opts, 0, 0, true, run_hourly},
    {"air daily", "daily values and AQI per station or city",
     "air daily --from DATE [--to DATE] --by station|city [--station CODE…] [--city NAME…]",
     "Natural days (hours ending D 01:00 … D+1 00:00).  City values: the mean of the city's\n"
     "evaluation stations (background stations excluded), valid with >= 75 % of them.",
     period_opts, 0, 0, true, run_daily},
    {"air annual", "annual (or monthly) statistics, attainment and composite index",
     "air annual --year YEAR [--month M] --by station|city [--station CODE…] [--city NAME…]",
     "Means, HJ 663 percentiles, completeness (GB 3095 Table 4), good days and ratio, days by\n"
     "level, heavy-pollution days, attainment, the composite index (2018 ranking rule) and the\n"
     "change against the same period of the previous year when it has data.",
     annual_opts, 0, 0, true, run_annual},
    {"air rank", "cities ranked by composite index, PM2.5 and good-day ratio",
     "air rank --year YEAR [--month M] [--city NAME…] [--by composite|pm25|good]",
     "Composite index ascending (ties at 0.01 share a rank), PM2.5 ascending, good-day ratio\n"
     "descending.  Cities without a valid statistic are listed last without a rank.",
     rank_opts, 0, 0, true, run_rank},
    {"air dust", "sand-dust (扣沙) flags per city-day: mark, unmark, list",
     "air dust mark|unmark --city NAME --date DATE [--note TEXT] | air dust list [--from D --to D]",
     "A flagged city-day keeps its daily AQI but leaves PM10 and PM2.5 out of period statistics.",
     dust_opts, 1, 1, true, run_dust},
    {"air warning", "heavy-pollution warning level for a forecast of daily AQIs",
     "air warning FILE",
     "FILE (or - for standard input) is CSV with a header holding 'date' and 'aqi' columns, one\n"
     "forecast day per row in date order.  Yellow: AQI > 200 for >= 2 days; orange: > 200 for >= "
     "3\n"
     "days and > 300 on >= 1; red: > 200 for >= 4 days and > 300 on >= 2, or AQI 500 "
     "(docs/air.md).",
     no_opts, 1, 1, true, run_warning},
    {"air stations", "the air monitoring stations", "air stations [--city NAME…]", NULL,
     stations_opts, 0, 0, true, run_stations},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL}};

static int run_hourly(struct cli *c, const struct cli_args *a)
{
    struct query_air q;
    struct out o;
    int e = begin(c, a, false, &q, &o);
    return e ? e : out_end(&o, query_air_hourly(c->store, &q, on_hour, &o, &c->eb));
}

/* ---- air daily ---- */

static int on_day(void *ud, const struct query_air_day *d)
{
    struct out *o = ud;
    struct fmt *f = o->f;
    fmt_row_begin(f);
    rec_air_day(f, o->by_city, d);
    return fmt_row_end(f);
}

static int run_daily(struct cli *c, const struct cli_args *a)
{
    struct query_air q;
    struct out o;
    int e = begin(c, a, false, &q, &o);
    return e ? e : out_end(&o, query_air_daily(c->store, &q, on_day, &o, &c->eb));
}

/* ---- air annual ---- */

static int on_period(void *ud, const struct query_air_period *p)
{
    struct out *o = ud;
    struct fmt *f = o->f;
    fmt_row_begin(f);
    rec_air_period(f, o->by_city, p);
    return fmt_row_end(f);
}

static int run_annual(struct cli *c, const struct cli_args *a)
{
    struct query_air q;
    struct out o;
    int e = begin(c, a, true, &q, &o);
    return e ? e : out_end(&o, query_air_period(c->store, &q, true, on_period, &o, &c->eb));
}

/* ---- air rank ---- */

struct rank_out {
    struct out o;
    int by; /* 0 composite, 1 pm25, 2 good */
};

static int on_rank(void *ud, const struct query_rank_row *rows, size_t n)
{
    struct rank_out *r = ud;
    struct fmt *f = r->o.f;
    int rc = 0;
    for (int pass = 0; pass < 2 && !rc; pass++) /* ranked cities first, then the unranked */
        for (int rank = 1; rank <= (int)n + 1 && !rc; rank++)
            for (size_t i = 0; i < n && !rc; i++) {
                const struct query_rank_row *x = &rows[i];
                int key = r->by == 0 ? x->rank_composite : r->by == 1 ? x->rank_pm25 : x->rank_good;
                if (pass == 0 ? key != rank : (key != 0 || rank != 1))
                    continue;
                fmt_row_begin(f);
                rec_air_rank(f, key, x);
                rc = fmt_row_end(f);
            }
    return rc;
}

static int run_rank(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    struct query_air q;
    struct rank_out r;
    const char *by = cli_value(cmd, a, "by");
    if (parse_sel(cmd, a, &q) || parse_year(cmd, a, &q))
        return CLI_USAGE;
    r.by = !by || !strcmp(by, "composite") ? 0
           : !strcmp(by, "pm25")           ? 1
           : !strcmp(by, "good")           ? 2
                                           : -1;
    if (r.by < 0)
        return cli_usage(cmd, "--by: '%s' is not composite, pm25 or good", by);
    if (cli_store(c))
        return CLI_FAIL;
    if (out_begin(&r.o, c, true))
        return cli_fail(c, EG_ENOMEM);
    return out_end(&r.o, query_air_rank(c->store, &q, on_rank, &r, &c->eb));
}

/* ---- air dust ---- */

static int on_dust_row(void *ud, const char *city, int32_t day, const char *note)
{
    struct out *o = ud;
    char date[16];
    eg_date_format(day, date, sizeof(date));
    fmt_row_begin(o->f);
    fmt_str(o->f, "city", city);
    fmt_str(o->f, "date", date);
    fmt_str(o->f, "note", note);
    return fmt_row_end(o->f);
}

static int run_dust(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    const char *action = a->pos[0];
    if (!strcmp(action, "list")) {
        const char *fs = cli_value(cmd, a, "from"), *ts = cli_value(cmd, a, "to");
        int32_t from = INT32_MIN, to = INT32_MAX;
        struct out o;
        if ((fs && cli_date(cmd, "from", fs, &from)) || (ts && cli_date(cmd, "to", ts, &to)))
            return CLI_USAGE;
        if (cli_store(c))
            return CLI_FAIL;
        if (out_begin(&o, c, true))
            return cli_fail(c, EG_ENOMEM);
        return out_end(&o, store_dust_each(c->store, from, to, on_dust_row, &o, &c->eb));
    }
    if (strcmp(action, "mark") && strcmp(action, "unmark"))
        return cli_usage(cmd, "'%s' is not mark, unmark or list", action);
    const char *city = cli_value(cmd, a, "city"), *ds = cli_value(cmd, a, "date");
    int32_t day;
    if (!city || !ds)
        return cli_usage(cmd, "%s needs --city NAME and --date DATE", action);
    if (cli_date(cmd, "date", ds, &day))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    int rc = store_dust_set(c->store, city, day, !strcmp(action, "mark"), cli_value(cmd, a, "note"),
                            &c->eb);
    if (rc)
        return cli_fail(c, rc);
    fprintf(stderr, "%s %s %s\n", !strcmp(action, "mark") ? "marked" : "unmarked", city, ds);
    return CLI_OK;
}

/* ---- air warning ---- */

static int run_warning(struct cli *c, const struct cli_args *a)
{
    const char *path = a->pos[0];
    char *buf = NULL;
    size_t len;
    int rc = eg_file_read(path, WARNING_FILE_LIMIT, &buf, &len, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    struct eg_csv csv;
    int aqi[WARNING_MAX_DAYS];
    int32_t day[WARNING_MAX_DAYS];
    size_t n = 0, col_date = SIZE_MAX, col_aqi = SIZE_MAX;
    eg_csv_init(&csv, buf, len, path);
    csv.skip_comments = true;
    if ((rc = eg_csv_next(&csv, &c->eb)) <= 0) {
        if (rc == 0)
            rc = eg_errf(&c->eb, EG_EPARSE, "%s: empty file", path);
        goto out;
    }
    for (size_t i = 0; i < csv.nfields; i++) {
        if (eg_csv_eq(eg_csv_get(&csv, i), "date"))
            col_date = i;
        if (eg_csv_eq(eg_csv_get(&csv, i), "aqi"))
            col_aqi = i;
    }
    if (col_date == SIZE_MAX || col_aqi == SIZE_MAX) {
        eg_err_at(&c->eb, path, csv.line, 0, NULL);
        rc = eg_errf(&c->eb, EG_EPARSE, "the header must have 'date' and 'aqi' columns");
        goto out;
    }
    while ((rc = eg_csv_next(&csv, &c->eb)) == 1) {
        struct eg_csv_field fd = eg_csv_get(&csv, col_date), fa = eg_csv_get(&csv, col_aqi);
        int64_t v = -1;
        if (n >= WARNING_MAX_DAYS) {
            eg_err_at(&c->eb, path, csv.line, 0, NULL);
            rc = eg_errf(&c->eb, EG_ELIMIT, "more than %d forecast days", WARNING_MAX_DAYS);
            goto out;
        }
        if (eg_date_parse(fd.s, fd.n, &day[n]) || (n && day[n] != day[n - 1] + 1)) {
            eg_err_at(&c->eb, path, csv.line, (long)col_date + 1, "date");
            rc = eg_errf(&c->eb, EG_EPARSE, "'%.*s' is not the day after the previous row",
                         (int)fd.n, fd.s);
            goto out;
        }
        if (fa.n && (eg_dec_parse(fa.s, fa.n, 0, &v) || v < 0 || v > 500)) {
            eg_err_at(&c->eb, path, csv.line, (long)col_aqi + 1, "aqi");
            rc = eg_errf(&c->eb, EG_EPARSE, "'%.*s' is not an AQI from 0 to 500", (int)fa.n, fa.s);
            goto out;
        }
        aqi[n++] = (int)v;
    }
    if (rc < 0)
        goto out;
    size_t start = 0, days = 0;
    enum air_warning w = air_warning_level(aqi, n, &start, &days);
    struct out o;
    if (out_begin(&o, c, false)) {
        rc = EG_ENOMEM;
        goto out;
    }
    fmt_row_begin(o.f);
    fmt_str(o.f, "level", air_warning_name(w));
    fmt_str(o.f, "level_zh", air_warning_name_zh(w));
    if (w != AIR_WARN_NONE && days) {
        char d1[16], d2[16];
        int mx = 0;
        eg_date_format(day[start], d1, sizeof(d1));
        eg_date_format(day[start + days - 1], d2, sizeof(d2));
        for (size_t i = start; i < start + days; i++)
            mx = aqi[i] > mx ? aqi[i] : mx;
        fmt_str(o.f, "from", d1);
        fmt_str(o.f, "to", d2);
        fmt_int(o.f, "days", (int64_t)days);
        fmt_int(o.f, "max_aqi", mx);
    } else {
        fmt_null(o.f, "from");
        fmt_null(o.f, "to");
        fmt_int(o.f, "days", 0);
        fmt_null(o.f, "max_aqi");
    }
    fmt_int(o.f, "forecast_days", (int64_t)n);
    rc = fmt_row_end(o.f);
    eg_csv_done(&csv);
    eg_free(buf);
    return out_end(&o, rc);
out:
    eg_csv_done(&csv);
    eg_free(buf);
    return cli_fail(c, rc);
}

/* ---- air stations ---- */

struct st_out {
    struct out o;
    const char *const *cities;
    size_t ncities;
};

static int on_station(void *ud, const struct store_station *st)
{
    struct st_out *s = ud;
    struct fmt *f = s->o.f;
    bool keep = s->ncities == 0;
    for (size_t i = 0; i < s->ncities; i++)
        keep |= st->city && !strcmp(st->city, s->cities[i]);
    if (!keep)
        return 0;
    fmt_row_begin(f);
    rec_station(f, st);
    return fmt_row_end(f);
}

static int run_stations(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    struct st_out s;
    s.cities = cli_multi(cmd, a, "city", &s.ncities);
    if (cli_store(c))
        return CLI_FAIL;
    if (out_begin(&s.o, c, false))
        return cli_fail(c, EG_ENOMEM);
    return out_end(&s.o, store_station_each(c->store, NULL, on_station, &s, &c->eb));
}
