/* h_air.c — the air API: /api/air/hourly, daily, annual, rank, dust, warning.  Each is the CLI
 * command of the same name (src/cli/cmd_air.c) over HTTP: the same query functions
 * (src/query/query.h), the same record keys in the same order, the same exact decimals (fmt);
 * the web adds no evaluation of its own.  Parameters are the CLI's options as query parameters
 * (`--station A B` → `station=A,B` or `station=A&station=B`); errors name the parameter.
 */
#include <string.h>

#include "common/eg_num.h"
#include "common/eg_time.h"
#include "http-air.h"
#include "query/query.h"

#define WARNING_MAX_DAYS 366

/* ---- parameters ---- */

int hair_sel(struct hreq *r, struct query_air *q, bool allow_by)
{
    const char *by = hr_arg(r, "by"), *rules = hr_arg(r, "rules");
    memset(q, 0, sizeof(*q));
    if (hr_list(r, "station", &q->stations, &q->nstations) ||
        hr_list(r, "city", &q->cities, &q->ncities))
        return -1;
    if (allow_by && by && strcmp(by, "station") && strcmp(by, "city"))
        return hr_error(r, 400, "by", "'%.20s' is not station or city", by), -1;
    q->by_city = allow_by && by && !strcmp(by, "city");
    if (q->by_city && q->nstations)
        return hr_error(r, 400, "station", "station does not go with by=city"), -1;
    if (rules && !(q->rules = std_aqi_rules_named(rules)))
        return hr_error(r, 400, "rules", "'%.20s' is not 2012, 2026 or 2012-literal", rules), -1;
    return 0;
}

static int parse_range(struct hreq *r, struct query_air *q)
{
    int rc = hr_date(r, "from", &q->from);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return hr_error(r, 400, "from", "from=YYYY-MM-DD is required"), -1;
    q->to = q->from;
    if (hr_date(r, "to", &q->to) < 0)
        return -1;
    if (q->to < q->from)
        return hr_error(r, 400, "to", "to is before from"), -1;
    if (q->to - q->from >= QUERY_MAX_DAYS)
        return hr_error(r, 400, "to", "more than %d days", QUERY_MAX_DAYS), -1;
    return 0;
}

static int parse_year(struct hreq *r, struct query_air *q)
{
    long y = 0, m = 0;
    int rc = hr_long(r, "year", 1970, 2200, &y);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return hr_error(r, 400, "year", "year=YYYY is required"), -1;
    if (hr_long(r, "month", 1, 12, &m) < 0)
        return -1;
    q->from = eg_days_from_civil((int)y, m ? (int)m : 1, 1);
    q->to = m ? eg_days_from_civil((int)y, (int)m, eg_days_in_month((int)y, (int)m))
              : eg_days_from_civil((int)y, 12, 31);
    return 0;
}

/* ---- hourly, daily ---- */

struct out {
    struct hreq *r;
    bool by_city;
};

static int on_hour(void *ud, const struct query_air_hour *h)
{
    struct out *o = ud;
    if (!hr_row(o->r))
        return 0;
    fmt_row_begin(o->r->f);
    rec_air_hour(o->r->f, o->by_city, h);
    return fmt_row_end(o->r->f);
}

int h_air_hourly(struct hreq *r)
{
    struct query_air q;
    if (hair_sel(r, &q, true) || parse_range(r, &q) || hr_table_begin(r))
        return 0;
    struct out o = {r, q.by_city};
    return hr_table_end(r, query_air_hourly(r->store, &q, on_hour, &o, &r->eb), "air-hourly");
}

static int on_day(void *ud, const struct query_air_day *d)
{
    struct out *o = ud;
    if (!hr_row(o->r))
        return 0;
    fmt_row_begin(o->r->f);
    rec_air_day(o->r->f, o->by_city, d);
    return fmt_row_end(o->r->f);
}

int h_air_daily(struct hreq *r)
{
    struct query_air q;
    if (hair_sel(r, &q, true) || parse_range(r, &q) || hr_table_begin(r))
        return 0;
    struct out o = {r, q.by_city};
    return hr_table_end(r, query_air_daily(r->store, &q, on_day, &o, &r->eb), "air-daily");
}

/* ---- annual ---- */

static int on_period(void *ud, const struct query_air_period *p)
{
    struct out *o = ud;
    struct fmt *f = o->r->f;
    if (!hr_row(o->r))
        return 0;
    fmt_row_begin(f);
    rec_air_period(f, o->by_city, p);
    return fmt_row_end(f);
}

int h_air_annual(struct hreq *r)
{
    struct query_air q;
    if (hair_sel(r, &q, true) || parse_year(r, &q) || hr_table_begin(r))
        return 0;
    struct out o = {r, q.by_city};
    return hr_table_end(r, query_air_period(r->store, &q, true, on_period, &o, &r->eb),
                        "air-annual");
}

/* ---- rank ---- */

struct rank_out {
    struct hreq *r;
    int by; /* 0 composite, 1 pm25, 2 good */
};

static int on_rank(void *ud, const struct query_rank_row *rows, size_t n)
{
    struct rank_out *o = ud;
    struct fmt *f = o->r->f;
    int rc = 0;
    for (int pass = 0; pass < 2 && !rc; pass++) /* ranked cities first, then the unranked */
        for (int rank = 1; rank <= (int)n + 1 && !rc; rank++)
            for (size_t i = 0; i < n && !rc; i++) {
                const struct query_rank_row *x = &rows[i];
                int key = o->by == 0 ? x->rank_composite : o->by == 1 ? x->rank_pm25 : x->rank_good;
                if (pass == 0 ? key != rank : (key != 0 || rank != 1))
                    continue;
                if (!hr_row(o->r))
                    continue;
                fmt_row_begin(f);
                rec_air_rank(f, key, x);
                rc = fmt_row_end(f);
            }
    return rc;
}

int h_air_rank(struct hreq *r)
{
    struct query_air q;
    const char *by = hr_arg(r, "order");
    if (hair_sel(r, &q, false) || parse_year(r, &q))
        return 0;
    if (q.nstations)
        return hr_error(r, 400, "station", "rank takes cities, not stations");
    struct rank_out o = {r, !by || !strcmp(by, "composite") ? 0
                            : !strcmp(by, "pm25")           ? 1
                            : !strcmp(by, "good")           ? 2
                                                            : -1};
    if (o.by < 0)
        return hr_error(r, 400, "order", "'%.20s' is not composite, pm25 or good", by);
    q.by_city = true;
    if (hr_table_begin(r))
        return 0;
    return hr_table_end(r, query_air_rank(r->store, &q, on_rank, &o, &r->eb), "air-rank");
}

/* ---- dust ---- */

static int on_dust(void *ud, const char *city, int32_t day, const char *note)
{
    struct hreq *r = ud;
    char date[16];
    if (!hr_row(r))
        return 0;
    eg_date_format(day, date, sizeof(date));
    fmt_row_begin(r->f);
    fmt_str(r->f, "city", city);
    fmt_str(r->f, "date", date);
    fmt_str(r->f, "note", note);
    return fmt_row_end(r->f);
}

int h_air_dust_list(struct hreq *r)
{
    int32_t from = INT32_MIN, to = INT32_MAX;
    if (hr_date(r, "from", &from) < 0 || hr_date(r, "to", &to) < 0 || hr_table_begin(r))
        return 0;
    return hr_table_end(r, store_dust_each(r->store, from, to, on_dust, r, &r->eb), "air-dust");
}

struct dust_find {
    const char *city;
    int32_t day;
    char *note; /* arena copy when found */
    struct hreq *r;
};

static int on_dust_find(void *ud, const char *city, int32_t day, const char *note)
{
    struct dust_find *d = ud;
    if (day == d->day && !strcmp(city, d->city))
        d->note = eg_arena_strndup(&d->r->arena, note ? note : "", note ? strlen(note) : 0);
    return 0;
}

static char *dust_state(struct hreq *r, const char *city, const char *date, const char *note)
{
    json_t *v =
        note ? json_pack("{s:s,s:s,s:b,s:s}", "city", city, "date", date, "on", 1, "note", note)
             : json_pack("{s:s,s:s,s:b}", "city", city, "date", date, "on", 0);
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    char *a = s ? eg_arena_strndup(&r->arena, s, strlen(s)) : NULL;
    free(s);
    return a;
}

int h_air_dust_set(struct hreq *r)
{
    json_t *b;
    const char *city, *date, *note;
    int32_t day;
    int rc;
    if (hr_body(r, &b))
        return 0;
    if (hr_field_str(r, b, "city", true, 256, &city) ||
        hr_field_str(r, b, "date", true, 16, &date) ||
        hr_field_str(r, b, "note", false, 256, &note))
        goto out;
    json_t *on = json_object_get(b, "on");
    if (!json_is_boolean(on)) {
        hr_error(r, 400, "on", "on must be true or false");
        goto out;
    }
    if (eg_date_parse(date, strlen(date), &day)) {
        hr_error(r, 400, "date", "'%.20s' is not a date (YYYY-MM-DD)", date);
        goto out;
    }
    struct dust_find find = {city, day, NULL, r};
    if ((rc = store_begin(r->store, &r->eb)))
        goto fail;
    if ((rc = store_dust_each(r->store, day, day, on_dust_find, &find, &r->eb)) ||
        (rc = store_dust_set(r->store, city, day, json_is_true(on), note, &r->eb)) ||
        (rc =
             hr_audit(r, hr_strf(r, "dust:%s:%s", city, date), dust_state(r, city, date, find.note),
                      dust_state(r, city, date, json_is_true(on) ? (note ? note : "") : NULL)))) {
        store_rollback(r->store);
        goto fail;
    }
    if ((rc = store_commit(r->store, &r->eb)))
        goto fail;
    hr_json(r, 200,
            json_pack("{s:s,s:s,s:b,s:s?}", "city", city, "date", date, "on", json_is_true(on),
                      "note", note));
    goto out;
fail:
    hr_fail(r, rc);
out:
    json_decref(b);
    return 0;
}

/* ---- warning ---- */

int h_air_warning(struct hreq *r)
{
    json_t *b;
    int aqi[WARNING_MAX_DAYS];
    int32_t day[WARNING_MAX_DAYS];
    size_t n = 0;
    if (hr_body(r, &b))
        return 0;
    json_t *series = json_object_get(b, "series");
    if (!json_is_array(series)) {
        hr_error(r, 400, "series", "series must be an array of {\"date\", \"aqi\"}");
        goto out;
    }
    if (json_array_size(series) > WARNING_MAX_DAYS) {
        hr_error(r, 400, "series", "more than %d forecast days", WARNING_MAX_DAYS);
        goto out;
    }
    size_t i;
    json_t *e;
    json_array_foreach(series, i, e)
    {
        json_t *d = json_object_get(e, "date"), *a = json_object_get(e, "aqi");
        const char *ds = json_string_value(d);
        if (!ds || eg_date_parse(ds, strlen(ds), &day[n]) || (n && day[n] != day[n - 1] + 1)) {
            hr_error(r, 400, hr_strf(r, "series[%zu].date", i),
                     "not a date (YYYY-MM-DD) the day after the previous one");
            goto out;
        }
        if (a && !json_is_null(a) &&
            (!json_is_integer(a) || json_integer_value(a) < 0 || json_integer_value(a) > 500)) {
            hr_error(r, 400, hr_strf(r, "series[%zu].aqi", i), "not an AQI from 0 to 500");
            goto out;
        }
        aqi[n++] = a && !json_is_null(a) ? (int)json_integer_value(a) : -1;
    }
    size_t start = 0, days = 0;
    enum air_warning w = air_warning_level(aqi, n, &start, &days);
    json_t *o =
        json_pack("{s:s,s:s}", "level", air_warning_name(w), "level_zh", air_warning_name_zh(w));
    if (w != AIR_WARN_NONE && days) {
        char d1[16], d2[16];
        int mx = 0;
        eg_date_format(day[start], d1, sizeof(d1));
        eg_date_format(day[start + days - 1], d2, sizeof(d2));
        for (size_t k = start; k < start + days; k++)
            mx = aqi[k] > mx ? aqi[k] : mx;
        json_object_set_new(o, "from", json_string(d1));
        json_object_set_new(o, "to", json_string(d2));
        json_object_set_new(o, "days", json_integer((json_int_t)days));
        json_object_set_new(o, "max_aqi", json_integer(mx));
    } else {
        json_object_set_new(o, "from", json_null());
        json_object_set_new(o, "to", json_null());
        json_object_set_new(o, "days", json_integer(0));
        json_object_set_new(o, "max_aqi", json_null());
    }
    json_object_set_new(o, "forecast_days", json_integer((json_int_t)n));
    hr_json(r, 200, o);
out:
    json_decref(b);
    return 0;
}
