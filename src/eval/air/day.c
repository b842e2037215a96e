/* day.c — station daily values (24-h means, O3 daily maximum 1-h value, 8-h sliding means, MDA8)
 * and city daily and hourly values.
 *
 * GB 3095-2012/2026 Table 4 (>= 20 hourly values per 24-h mean, >= 6 per 8-h mean), HJ 663-2013
 * A.1 (stamps 1:00…24:00; MDA8 over the windows ending 8:00…24:00), 6.1.2 (>= 14 valid windows
 * unless the MDA8 exceeds the limit), 6.1.4 and Table A.2 (city values: mean of the stations'
 * values, >= 75 % of the stations, 50 % below 4), 6.3 and GB/T 8170 (half to even on the exact
 * mean).  Pure functions over caller memory.
 */
#include "air-int.h"

/* Slot of the hour stamped h:00 of day D (h = 1…24; 24 = D+1 00:00). */
static inline int slot_of_hour(int h)
{
    return AIR_DAY_FIRST - 1 + h;
}

/* Mean of the day's valid hourly values (slots AIR_DAY_FIRST…), rounded half to even in the
 * value's own step — the reporting precision (HJ 663-2013 Table 3). */
static int32_t day_mean(const int32_t *v, int min_hours, uint8_t *ret_hours)
{
    int64_t sum = 0;
    int n = 0;
    for (int k = AIR_DAY_FIRST; k < AIR_DAY_SLOTS; k++)
        if (air__valid(v[k])) {
            sum += v[k];
            n++;
        }
    *ret_hours = (uint8_t)n;
    return n >= min_hours ? (int32_t)eg_div_round(sum, n) : AIR_NA;
}

void air_station_day(const int32_t v[AIR_NPOL][AIR_DAY_SLOTS], int32_t o3_8h_limit,
                     struct air_day *ret)
{
    const struct std_validity *val = std_validity();
    struct air_day d;
    static const enum air_dval mean_of[] = {AIR_D_SO2, AIR_D_NO2, AIR_D_CO, AIR_D_PM10, AIR_D_PM25};
    static const enum air_pol pol_of[] = {AIR_SO2, AIR_NO2, AIR_CO, AIR_PM10, AIR_PM25};

    for (size_t i = 0; i < sizeof(mean_of) / sizeof(mean_of[0]); i++)
        d.v[mean_of[i]] = day_mean(v[pol_of[i]], val->day_min_hours, &d.hours[pol_of[i]]);

    /* O3 daily maximum 1-h value: HJ 633-2012 5.1.2; the same >= 20 hours as a 24-h value. */
    const int32_t *o3 = v[AIR_O3];
    int n = 0;
    int32_t mx = AIR_NA;
    for (int k = AIR_DAY_FIRST; k < AIR_DAY_SLOTS; k++)
        if (air__valid(o3[k])) {
            n++;
            if (mx == AIR_NA || o3[k] > mx)
                mx = o3[k];
        }
    d.hours[AIR_O3] = (uint8_t)n;
    d.v[AIR_D_O3_1H] = n >= val->day_min_hours ? mx : AIR_NA;

    /* 8-h means ending 8:00…24:00 (window e holds the stamps e−7…e, all inside day D), each the
     * exact mean of its valid hours when it has >= 6; the maximum compared as exact rationals. */
    int windows = 0;
    int64_t best_sum = 0, best_n = 1;
    bool any = false;
    for (int e = 8; e <= 24; e++) {
        int64_t sum = 0;
        int cnt = 0;
        for (int k = slot_of_hour(e - 7); k <= slot_of_hour(e); k++)
            if (air__valid(o3[k])) {
                sum += o3[k];
                cnt++;
            }
        if (cnt < val->win8_min_hours)
            continue;
        windows++;
        if (!any || sum * best_n > best_sum * cnt) {
            best_sum = sum;
            best_n = cnt;
            any = true;
        }
    }
    d.windows8 = (uint8_t)windows;
    d.v[AIR_D_O3_8H] = AIR_NA;
    if (any) {
        /* HJ 663-2013 6.1.2: with fewer than 14 valid windows the MDA8 still stands when it
         * "exceeds the limit".  Decision: the test is made on the MDA8 as reported, i.e. after
         * GB/T 8170 rounding (6.3 rounds every statistic before it is evaluated), and "exceeds"
         * is strict: 161 stands, 160 (and an exact 160.5, which rounds to 160) does not. */
        int32_t mda8 = (int32_t)eg_div_round(best_sum, best_n);
        if (windows >= val->mda8_min_windows || mda8 > o3_8h_limit)
            d.v[AIR_D_O3_8H] = mda8;
    }
    for (int i = 0; i < AIR_NDVAL; i++)
        d.stations[i] = 0;
    *ret = d;
}

size_t air_city_min_stations(size_t n_city_stations)
{
    const struct std_validity *val = std_validity();
    size_t pct = n_city_stations < (size_t)val->city_small_below ? (size_t)val->city_min_pct_small
                                                                 : (size_t)val->city_min_pct;
    return (n_city_stations * pct + 99) / 100;
}

/* Running sum of one city value: the valid station values and their count. */
struct acc {
    int64_t sum;
    size_t n;
};

static inline void acc_add(struct acc *a, int32_t c)
{
    if (air__valid(c)) {
        a->sum += c;
        a->n++;
    }
}

/* HJ 663-2013 6.1.4: the value stands only with at least `need` valid stations (and one). */
static int32_t acc_mean(const struct acc *a, size_t need)
{
    if (a->n == 0 || a->n < need)
        return AIR_NA;
    return (int32_t)eg_div_round(a->sum, (int64_t)a->n);
}

void air_city_day(const struct air_day *st, size_t n, size_t n_city_stations, struct air_day *ret)
{
    struct air_day d;
    struct acc a[AIR_NDVAL] = {{0, 0}};
    size_t need = air_city_min_stations(n_city_stations);
    /* Table A.2: the city 24-h value is the mean of the stations' 24-h values — the values as
     * reported, i.e. already rounded (6.3: statistics are rounded before further use) — and the
     * city MDA8 is the mean of the stations' MDA8s; the mean is rounded again.  The O3 daily
     * maximum 1-h value (HJ 633-2012 daily report only) is averaged the same way. */
    for (size_t s = 0; s < n; s++)
        for (int i = 0; i < AIR_NDVAL; i++)
            acc_add(&a[i], st[s].v[i]);
    for (int i = 0; i < AIR_NDVAL; i++) {
        d.v[i] = acc_mean(&a[i], need);
        d.stations[i] = a[i].n > UINT16_MAX ? UINT16_MAX : (uint16_t)a[i].n;
    }
    /* A city has no hours of its own. */
    for (int p = 0; p < AIR_NPOL; p++)
        d.hours[p] = 0;
    d.windows8 = 0;
    *ret = d;
}

void air_city_hour(const int32_t (*st)[AIR_NPOL], size_t n, size_t n_city_stations,
                   int32_t ret[AIR_NPOL])
{
    struct acc a[AIR_NPOL] = {{0, 0}};
    size_t need = air_city_min_stations(n_city_stations);
    for (size_t s = 0; s < n; s++)
        for (int p = 0; p < AIR_NPOL; p++)
            acc_add(&a[p], st[s][p]);
    for (int p = 0; p < AIR_NPOL; p++)
        ret[p] = acc_mean(&a[p], need);
}
