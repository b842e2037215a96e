/* records_air.c — the records of the air evaluations: hourly and daily AQI, annual (period)
 * assessment, city ranking (see records.h). */
#include <math.h>
#include <stdint.h>

#include "common/eg_num.h"
#include "common/eg_time.h"
#include "records.h"

void rec_air_value(struct fmt *f, const char *key, int32_t v, int scale)
{
    if (v == AIR_NA)
        fmt_null(f, key);
    else
        fmt_dec(f, key, v, scale);
}

void rec_air_index(struct fmt *f, const struct std_aqi_rules *r, const struct air_index *ix,
                   bool daily)
{
    if (ix->aqi < 0) {
        fmt_null(f, "aqi");
        fmt_null(f, "level");
        fmt_null(f, "category");
        fmt_null(f, "primary");
        return;
    }
    const struct std_aqi_level *L = std_aqi_level_for(r, ix->aqi);
    fmt_int(f, "aqi", ix->aqi);
    fmt_int(f, "level", ix->level);
    fmt_str(f, "category", L->category_zh);
    fmt_arr_begin(f, "primary");
    for (int i = 0; i < AIR_NIND; i++)
        if (ix->primary & (1u << i))
            fmt_str(f, NULL, air_ind_name((enum air_ind)i, daily));
    fmt_close(f);
}

static void put_iaqi(struct fmt *f, const struct std_aqi_rules *r, const struct air_index *ix,
                     bool daily)
{
    fmt_obj_begin(f, "iaqi");
    for (int i = 0; i < AIR_NIND; i++) {
        if (!daily && i == AIR_I_O3_8H)
            continue;
        if (daily && i == AIR_I_O3_1H && !r->daily_o3_1h)
            continue;
        const char *name = air_ind_name((enum air_ind)i, daily);
        if (ix->iaqi[i] < 0)
            fmt_null(f, name);
        else
            fmt_int(f, name, ix->iaqi[i]);
    }
    fmt_close(f);
    fmt_arr_begin(f, "over_range");
    for (int i = 0; i < AIR_NIND; i++)
        if (ix->over_range & (1u << i))
            fmt_str(f, NULL, air_ind_name((enum air_ind)i, daily));
    fmt_close(f);
}

void rec_air_hour(struct fmt *f, bool by_city, const struct query_air_hour *h)
{
    char t[32];
    eg_hour_format_iso(h->stamp, t, sizeof(t));
    fmt_str(f, by_city ? "city" : "station", h->who);
    fmt_str(f, "time", t);
    rec_air_index(f, h->rules, &h->ix, false);
    put_iaqi(f, h->rules, &h->ix, false);
    fmt_obj_begin(f, "values");
    for (int p = 0; p < AIR_NPOL; p++)
        rec_air_value(f, air_pol_name((enum air_pol)p), h->v[p], air_pol_scale((enum air_pol)p));
    fmt_close(f);
    fmt_str(f, "rules", h->rules->name);
}

void rec_air_day(struct fmt *f, bool by_city, const struct query_air_day *d)
{
    char date[16];
    eg_date_format(d->day, date, sizeof(date));
    fmt_str(f, by_city ? "city" : "station", d->who);
    fmt_str(f, "date", date);
    fmt_str(f, "rules", d->rules->name);
    rec_air_value(f, "so2", d->d.v[AIR_D_SO2], 0);
    rec_air_value(f, "no2", d->d.v[AIR_D_NO2], 0);
    rec_air_value(f, "co", d->d.v[AIR_D_CO], 1);
    rec_air_value(f, "pm10", d->d.v[AIR_D_PM10], 0);
    rec_air_value(f, "pm25", d->d.v[AIR_D_PM25], 0);
    rec_air_value(f, "o3_1h_max", d->d.v[AIR_D_O3_1H], 0);
    rec_air_value(f, "o3_8h_max", d->d.v[AIR_D_O3_8H], 0);
    rec_air_index(f, d->rules, &d->ix, true);
    put_iaqi(f, d->rules, &d->ix, true);
    fmt_bool(f, "dust", d->dust);
}

static const struct {
    const char *key;
    enum air_stat s;
    int scale;
} stat_keys[] = {
    {"so2", AIR_S_SO2, 0},           {"no2", AIR_S_NO2, 0},
    {"pm10", AIR_S_PM10, 0},         {"pm25", AIR_S_PM25, 0},
    {"so2_p98", AIR_S_SO2_P98, 0},   {"no2_p98", AIR_S_NO2_P98, 0},
    {"pm10_p95", AIR_S_PM10_P95, 0}, {"pm25_p95", AIR_S_PM25_P95, 0},
    {"co_p95", AIR_S_CO_P95, 1},     {"o3_8h_p90", AIR_S_O3_8H_P90, 0},
};

static void put_composite(struct fmt *f, const char *key, const struct air_period *p)
{
    if (p->composite_exact.den == 0)
        fmt_null(f, key);
    else
        fmt_dec(f, key, p->composite, 2);
}

static void put_period(struct fmt *f, const struct air_period *p)
{
    for (size_t i = 0; i < sizeof(stat_keys) / sizeof(stat_keys[0]); i++)
        rec_air_value(f, stat_keys[i].key, p->stat[stat_keys[i].s], stat_keys[i].scale);
    fmt_int(f, "valid_days", p->valid_days);
    fmt_int(f, "good_days", p->good_days);
    rec_air_value(f, "good_ratio", p->good_ratio, 1);
    put_composite(f, "composite_index", p);
    fmt_bool(f, "attained", p->attained);
    fmt_bool(f, "complete", p->complete_all);
    fmt_arr_begin(f, "days_by_level");
    for (int i = 0; i < 6; i++)
        fmt_int(f, NULL, p->days_by_level[i]);
    fmt_close(f);
    fmt_int(f, "heavy_days", p->heavy_days);
}

void rec_air_period(struct fmt *f, bool by_city, const struct query_air_period *p)
{
    int y, m, d;
    eg_civil_from_days(p->from, &y, &m, &d);
    fmt_str(f, by_city ? "city" : "station", p->who);
    fmt_int(f, "year", y);
    fmt_str(f, "rules", p->rules->name);
    put_period(f, &p->p);
    /* beyond the contract: the period, the limits, exceedances and the comparison */
    char from[16], to[16];
    eg_date_format(p->from, from, sizeof(from));
    eg_date_format(p->to, to, sizeof(to));
    fmt_str(f, "from", from);
    fmt_str(f, "to", to);
    fmt_str(f, "limits", p->limits->name);
    if (p->p.composite_exact.den == 0)
        fmt_null(f, "composite_index_hj663");
    else
        fmt_dec(f, "composite_index_hj663", p->p.composite_hj663, 2);
    fmt_arr_begin(f, "exceedances");
    for (size_t i = 0; i < sizeof(stat_keys) / sizeof(stat_keys[0]); i++)
        if (p->p.multiple[stat_keys[i].s] != AIR_NA) {
            fmt_obj_begin(f, NULL);
            fmt_str(f, "item", stat_keys[i].key);
            fmt_dec(f, "multiple", p->p.multiple[stat_keys[i].s], 2);
            fmt_close(f);
        }
    fmt_close(f);
    fmt_int(f, "dust_days", p->p.dust_days);
    if (!p->has_prev) {
        fmt_null(f, "previous");
        fmt_null(f, "composite_change_pct");
    } else {
        fmt_obj_begin(f, "previous");
        rec_air_value(f, "pm25", p->prev.stat[AIR_S_PM25], 0);
        rec_air_value(f, "good_ratio", p->prev.good_ratio, 1);
        fmt_int(f, "good_days", p->prev.good_days);
        put_composite(f, "composite_index", &p->prev);
        fmt_close(f);
        if (p->p.composite_exact.den && p->prev.composite_exact.den &&
            p->prev.composite_exact.num) {
            /* (cur − prev) / prev × 100 on the unrounded indices; negative = better */
            struct eg_rat diff = eg_rat_add(
                p->p.composite_exact, eg_rat_mul(p->prev.composite_exact, eg_rat_make(-1, 1)));
            struct eg_rat pct =
                eg_rat_mul(eg_rat_div(diff, p->prev.composite_exact), eg_rat_make(100, 1));
            fmt_dec(f, "composite_change_pct", eg_rat_round(pct, 2), 2);
        } else {
            fmt_null(f, "composite_change_pct");
        }
    }
}

static void put_rank(struct fmt *f, const char *key, int rank)
{
    if (rank)
        fmt_int(f, key, rank);
    else
        fmt_null(f, key);
}

void rec_air_rank(struct fmt *f, int rank, const struct query_rank_row *x)
{
    put_rank(f, "rank", rank);
    fmt_str(f, "city", x->city);
    put_composite(f, "composite_index", &x->p);
    put_rank(f, "composite_rank", x->rank_composite);
    rec_air_value(f, "pm25", x->p.stat[AIR_S_PM25], 0);
    put_rank(f, "pm25_rank", x->rank_pm25);
    rec_air_value(f, "good_ratio", x->p.good_ratio, 1);
    put_rank(f, "good_ratio_rank", x->rank_good);
    fmt_int(f, "valid_days", x->p.valid_days);
    fmt_bool(f, "complete", x->p.complete_all);
}

void rec_station(struct fmt *f, const struct store_station *st)
{
    fmt_str(f, "code", st->code);
    fmt_str(f, "name", st->listed ? st->name : NULL);
    fmt_str(f, "city", st->listed ? st->city : NULL);
    if (st->listed && !isnan(st->lon) && !isnan(st->lat)) {
        /* coordinates are kept as the list prints them, to 4 decimals */
        fmt_dec(f, "lon", llround(st->lon * 10000), 4);
        fmt_dec(f, "lat", llround(st->lat * 10000), 4);
    } else {
        fmt_null(f, "lon");
        fmt_null(f, "lat");
    }
    fmt_bool(f, "background", st->background);
    fmt_bool(f, "listed", st->listed);
}
