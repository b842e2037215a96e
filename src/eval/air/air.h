/* air.h — the air-quality evaluation core: pure computation, arrays in, results out, no I/O, no
 * allocation.
 *
 * Implements HJ 633-2012 / HJ 633-2026 (IAQI, AQI, levels, primary pollutant), GB 3095 Table 4 and
 * HJ 663-2013 (daily values, 8-hour means, MDA8, city values, percentiles, annual statistics and
 * attainment), the 2018 city ranking rule (环办监测〔2018〕19号 composite index) and HJ 663
 * Appendix C's indices, and the heavy-pollution warning grades.  docs/air.md gives every rule with
 * its clause and how each open point was settled.
 *
 * Numbers: a concentration is an int32 count of its reporting step — ug/m3 integers for SO2, NO2,
 * PM10, PM2.5, O3 and 0.1 mg/m3 for CO (HJ 663-2013 Table 3) — and AIR_NA marks a missing or
 * invalid value.  Means are exact (integer sum / count) and rounded by GB/T 8170 half to even;
 * IAQIs are ceiled in exact integer arithmetic (HJ 633 §6.2 / 4.2.6); statistics that feed further
 * computation are also kept as exact rationals.
 */
#ifndef EVAL_AIR_H
#define EVAL_AIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/eg_num.h"
#include "standards/standards.h"

#define AIR_NA INT32_MIN

/* Pollutants, in catalog order (enum cat_air). */
enum air_pol { AIR_SO2, AIR_NO2, AIR_CO, AIR_PM10, AIR_PM25, AIR_O3, AIR_NPOL };

/* IAQI indicators.  Hourly AQI uses the first six (O3 = O3 1h); the daily AQI uses SO2…PM2.5,
 * O3_1H (2012 rules only) and O3_8H. */
enum air_ind {
    AIR_I_SO2,
    AIR_I_NO2,
    AIR_I_CO,
    AIR_I_PM10,
    AIR_I_PM25,
    AIR_I_O3_1H,
    AIR_I_O3_8H,
    AIR_NIND
};

/* Names used in output: hourly "SO2 NO2 CO PM10 PM2.5 O3", daily "… O3_1h O3_8h". */
const char *air_ind_name(enum air_ind i, bool daily);
/* "SO2", "NO2", "CO", "PM10", "PM2.5", "O3". */
const char *air_pol_name(enum air_pol p);
/* Reporting decimals of a pollutant (CO 1, others 0). */
int air_pol_scale(enum air_pol p);

/* IAQI of concentration c (× 10^c_scale, c >= 0) on one breakpoint column, HJ 633 eq. (1), ceiled
 * in exact arithmetic.  Above the column's top breakpoint: returns the top IAQI (500) and sets
 * *ret_over (set to false otherwise; ret_over may be NULL).  Returns -1 when c < 0, c_scale is
 * outside 0…EG_SCALE_MAX or the column has fewer than 2 breakpoints.  Note the SO2 1-h column ends
 * at 800 (IAQI 200) and the O3 8-h column at 800 (IAQI 300): their "> 800" rules belong to the
 * index functions below, not to this one. */
int air_iaqi(const struct std_aqi_bp *bp, int64_t c, int c_scale, bool *ret_over);

struct air_index {
    int aqi;                /* -1 = null (invalid or withheld by HJ 633-2026 5.3.1) */
    int32_t iaqi[AIR_NIND]; /* -1 = not part of this AQI or missing */
    unsigned primary;       /* bit (1u << enum air_ind) per primary pollutant; 0 when aqi <= 50 */
    unsigned over_range;    /* bits: concentration above the top breakpoint (IAQI shown as 500) */
    unsigned missing;       /* bits: indicators that should take part but are missing */
    int level;              /* 1..6; 0 when aqi is null */
};

/* Real-time (hourly) AQI (HJ 633-2012 5.1.3 as CNEMC practises it = HJ 633-2026 4.2.3 / 4.2.4):
 * PM10 and PM2.5 1-h values on the 24-h breakpoints; SO2, NO2, CO, O3 1-h values on the 1-h
 * breakpoints; no O3 8-h.  SO2 1-h > 800: r->so2_1h_over800_iaqi, or (0) the IAQI of so2_24h
 * (pass AIR_NA when unknown: the SO2 IAQI is then missing).  Missing pollutants: 2012 rules → the
 * AQI from those present; 2026 rules → 5.3.1 (stands only when > 100, else null).  No pollutant
 * present → null. */
void air_hourly_index(const struct std_aqi_rules *r, const int32_t v[AIR_NPOL], int32_t so2_24h,
                      struct air_index *ret);

/* Daily values of a station or city. */
enum air_dval {
    AIR_D_SO2,
    AIR_D_NO2,
    AIR_D_CO,
    AIR_D_PM10,
    AIR_D_PM25,
    AIR_D_O3_1H, /* daily maximum 1-h value */
    AIR_D_O3_8H, /* MDA8 */
    AIR_NDVAL
};

struct air_day {
    int32_t v[AIR_NDVAL];    /* rounded daily values; AIR_NA when invalid */
    uint8_t hours[AIR_NPOL]; /* valid hourly values in the day (0..24); 0 for a city day */
    uint8_t windows8;        /* valid 8-h windows ending 08:00…24:00 (0..17); 0 for a city day */
    uint16_t stations[AIR_NDVAL]; /* city day: stations whose valid value entered v[i]; station
                                     day: 0 */
};

/* Hour slots for one natural day D: slot k is the hour stamped (D 01:00) − 7 h + k, i.e. slots 0…6
 * are D−1 18:00…24:00 (for the 8-h windows ending D 01:00…07:00, which MDA8 does not use but which
 * are harmless), slots 7…30 are D 01:00 … D+1 00:00. */
#define AIR_DAY_SLOTS 31
#define AIR_DAY_FIRST 7

/* Station daily values for natural day D (HJ 663-2013 A.1, GB 3095 Table 4, HJ 663 6.1.2):
 * SO2, NO2, CO, PM10, PM2.5 means need >= 20 valid hours; O3 1-h maximum needs >= 20 valid hours;
 * each 8-h mean (windows ending 08:00…24:00) needs >= 6 valid hours and is the exact mean of the
 * valid ones; MDA8 needs >= 14 valid windows, or fewer when it exceeds o3_8h_limit (ug/m3, the
 * grade II 8-h limit, 160).  Means exact, then GB/T 8170 half to even at the reporting precision.
 * v[p][k]: slot k of pollutant p, AIR_NA when missing. */
void air_station_day(const int32_t v[AIR_NPOL][AIR_DAY_SLOTS], int32_t o3_8h_limit,
                     struct air_day *ret);

/* Daily AQI from rounded daily values (HJ 633-2012 5.1.2: the five 24-h IAQIs, O3 max 1-h on the
 * 1-h table and MDA8 on the 8-h table, MDA8 > 800 → per rule set; HJ 633-2026 4.2.2: the five 24-h
 * IAQIs and MDA8, MDA8 > 800 → 300).  Missing indicators as in air_hourly_index. */
void air_daily_index(const struct std_aqi_rules *r, const struct air_day *d, struct air_index *ret);

/* Minimum number of valid stations for a city value (HJ 663-2013 6.1.4): ceil(75 % of n), or
 * ceil(50 %) when n < 4. */
size_t air_city_min_stations(size_t n_city_stations);

/* City daily values (HJ 663-2013 Table A.2, 6.1.4): each value is the mean of the stations' rounded
 * daily values (MDA8: mean of the stations' MDA8s), rounded; it stands only when at least
 * air_city_min_stations(n_city_stations) stations have it.  st[0…n-1] are the city's evaluation
 * stations' days (a station without data: all AIR_NA). */
void air_city_day(const struct air_day *st, size_t n, size_t n_city_stations, struct air_day *ret);

/* City hourly values: the mean of the station 1-h values, rounded, by the same coverage rule. */
void air_city_hour(const int32_t (*st)[AIR_NPOL], size_t n, size_t n_city_stations,
                   int32_t ret[AIR_NPOL]);

/* HJ 663-2013 A.6 percentile p (integer percent) of the n values of x (any order; x is sorted in
 * place): k = 1 + (n−1)p/100, s = ⌊k⌋, X(s) + (X(s+1) − X(s))(k − s).  Exact; in the values' unit.
 * n must be > 0 and 0 <= p <= 100; otherwise returns den 0. */
struct eg_rat air_percentile(int32_t *x, size_t n, int p);

/* ---- Period statistics (annual, monthly, any range of days) ---- */

enum air_stat {
    AIR_S_SO2, /* mean of valid daily means */
    AIR_S_NO2,
    AIR_S_PM10,
    AIR_S_PM25,
    AIR_S_CO,    /* mean (reported for completeness; not an official annual item) */
    AIR_S_O3_8H, /* mean of MDA8 (likewise) */
    AIR_S_SO2_P98,
    AIR_S_NO2_P98,
    AIR_S_PM10_P95,
    AIR_S_PM25_P95,
    AIR_S_CO_P95,
    AIR_S_O3_8H_P90,
    AIR_NSTAT
};

struct air_period {
    int32_t stat[AIR_NSTAT];        /* rounded (GB/T 8170) at the pollutant's precision; AIR_NA */
    struct eg_rat exact[AIR_NSTAT]; /* unrounded; den 0 when invalid */
    int ndays[AIR_NPOL + 1];        /* valid daily values per pollutant; [AIR_NPOL] = MDA8 */
    bool complete[AIR_NPOL];        /* GB 3095 Table 4 / HJ 663 6.1.3 completeness per pollutant */
    bool complete_all;
    int valid_days;     /* days with an AQI */
    int good_days;      /* days with AQI <= 100 */
    int32_t good_ratio; /* 100·good/valid in 0.1 %, half to even; AIR_NA if no days */
    int days_by_level[6];
    int heavy_days;              /* AQI > 200 */
    bool attained_pol[AIR_NPOL]; /* HJ 663 5.1.1.2 per pollutant (missing → not attained) */
    bool attained;               /* all six (HJ 663 5.1.2.2, 6.2) */
    int32_t multiple[AIR_NSTAT]; /* exceedance multiple (C−S)/S in 0.01, when C > S; else AIR_NA */
    int64_t composite;           /* 2018 ranking rule Σ C/S on unrounded statistics, in 0.01;
                                    AIR_NA (den 0 below) unless all six are present */
    struct eg_rat composite_exact;
    int64_t composite_item[AIR_NPOL]; /* the 2018 rule's C_i/S_i in 0.01 (AIR_NA if missing) */
    int64_t composite_hj663;          /* HJ 663 Appendix C I_sum, in 0.01, on the rounded
                                         statistics and `limits` grade II; AIR_NA if one is missing */
    int64_t imax_hj663;               /* HJ 663 Appendix C I_max, in 0.01 */
    int64_t index_hj663[AIR_NPOL];    /* HJ 663 Appendix C single indices I_i, in 0.01 */
    int32_t dust_days;                /* days flagged sand-dust (PM left out of the statistics) */
};

/* Longest range air_period_stats accepts (two leap years). */
#define AIR_PERIOD_MAX_DAYS 732

/* Statistics over days[0…n-1] (consecutive natural days from first_day) with their AQIs
 * idx[0…n-1] (aqi −1 = no AQI that day).  dust[i] != 0 leaves day i's PM10 and PM2.5 out of the
 * period statistics (not out of the AQI counts).  `limits` gives the grade II limits for
 * attainment and multiples; the composite index uses S = SO2 60, NO2 40, PM10 70, PM2.5 35
 * (annual), CO 4, O3 160 (环办监测〔2018〕19号).  Completeness (per pollutant; O3 by its MDA8
 * series; a dust day's valid PM value counts): a range of whole calendar months needs ≥ 27 values
 * in each month (25 in February) and, for a calendar year, ≥ 324 in total; other ranges: every day.
 * Attainment needs completeness and compares the rounded statistics.  idx and dust may be NULL (no
 * AQI days; no dust).  Returns 0 or EG_EINVAL (n == 0, n > AIR_PERIOD_MAX_DAYS, or a NULL
 * days/limits/ret). */
int air_period_stats(const struct std_limits *limits, int32_t first_day, size_t n,
                     const struct air_day *days, const struct air_index *idx, const uint8_t *dust,
                     struct air_period *ret) EG_MUST_CHECK;

/* ---- Heavy-pollution warning (reference/air.md §10) ---- */

enum air_warning { AIR_WARN_NONE, AIR_WARN_BLUE, AIR_WARN_YELLOW, AIR_WARN_ORANGE, AIR_WARN_RED };

/* The warning level for a forecast series of daily AQIs (aqi[i] < 0 = unknown, breaks runs):
 * yellow: AQI > 200 for ≥ 2 consecutive days; orange: > 200 for ≥ 3 days with ≥ 1 day > 300;
 * red: > 200 for ≥ 4 days with > 300 lasting ≥ 2 consecutive days (「持续2天（48小时）及以上」),
 * or any day reaching 500.  Blue is not issued.  Returns the level and, in *ret_start / *ret_len
 * (either may be NULL), the first episode that set it (first index, days); 0, 0 for none. */
enum air_warning air_warning_level(const int *aqi, size_t n, size_t *ret_start, size_t *ret_len);
/* As air_warning_level; issue_blue also issues blue for a single day > 200 (2017 scheme). */
enum air_warning air_warning_level_opts(const int *aqi, size_t n, bool issue_blue,
                                        size_t *ret_start, size_t *ret_len);
const char *air_warning_name(enum air_warning w);    /* "none", "yellow", … */
const char *air_warning_name_zh(enum air_warning w); /* "无", "黄色预警", … */

#endif
