/* stats.c — percentiles and period statistics: means, percentiles, completeness, good days,
 * attainment, exceedance multiples and the composite indices.
 *
 * HJ 663-2013 A.6 (percentile k = 1 + (n−1)p%, linear), GB 3095 Table 4 and HJ 663 6.1.3
 * (>= 324 values a year, >= 27 a month, >= 25 in February), 5.1.1.2 and 6.2 (attainment: annual
 * mean and percentile both; a missing or invalid item is not attained), A.4 (multiples, 2
 * decimals), A.5 / Table 3 (rates to 0.1 %), Appendix C (I_i, I_max, I_sum), 环办监测〔2018〕19号
 * (ranking composite index on unrounded statistics).  Exact integers and rationals throughout.
 * No allocation: the percentile sorts the caller's array; period statistics use a bounded local
 * array (AIR_PERIOD_MAX_DAYS values).
 */
#include <stdlib.h>
#include <string.h>

#include "air-int.h"
#include "common/eg_time.h"

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

struct eg_rat air_percentile(int32_t *x, size_t n, int p)
{
    struct eg_rat r = {0, 0};
    if (n == 0 || p < 0 || p > 100)
        return r;
    qsort(x, n, sizeof(*x), cmp_i32);
    /* k·100 = 100 + (n−1)·p; s = ⌊k⌋ (1-based); the fraction k − s = (k·100 mod 100) / 100. */
    int64_t k100 = 100 + (int64_t)(n - 1) * p;
    size_t s = (size_t)(k100 / 100);
    int64_t f = k100 % 100;
    if (s >= n)
        return eg_rat_make(x[n - 1], 1);
    int64_t lo = x[s - 1], hi = x[s];
    return eg_rat_make(lo * 100 + (hi - lo) * f, 100);
}

/* The daily value behind each statistic, and the percentile (0 = mean). */
static const struct {
    enum air_dval d;
    int pct;
} stat_src[AIR_NSTAT] = {
    [AIR_S_SO2] = {AIR_D_SO2, 0},        [AIR_S_NO2] = {AIR_D_NO2, 0},
    [AIR_S_PM10] = {AIR_D_PM10, 0},      [AIR_S_PM25] = {AIR_D_PM25, 0},
    [AIR_S_CO] = {AIR_D_CO, 0},          [AIR_S_O3_8H] = {AIR_D_O3_8H, 0},
    [AIR_S_SO2_P98] = {AIR_D_SO2, 98},   [AIR_S_NO2_P98] = {AIR_D_NO2, 98},
    [AIR_S_PM10_P95] = {AIR_D_PM10, 95}, [AIR_S_PM25_P95] = {AIR_D_PM25, 95},
    [AIR_S_CO_P95] = {AIR_D_CO, 95},     [AIR_S_O3_8H_P90] = {AIR_D_O3_8H, 90},
};

/* The daily series that decides a pollutant's completeness (O3: the MDA8, HJ 663 6.1.3). */
static const enum air_dval pol_series[AIR_NPOL] = {AIR_D_SO2,  AIR_D_NO2,  AIR_D_CO,
                                                   AIR_D_PM10, AIR_D_PM25, AIR_D_O3_8H};

static bool is_pm(enum air_dval d)
{
    return d == AIR_D_PM10 || d == AIR_D_PM25;
}

/* GB 3095 Table 4 / HJ 663 6.1.3 over the range; cnt[i] = 1 when day i has a valid value. */
static bool range_complete(int32_t first_day, size_t n, const uint8_t *has)
{
    const struct std_validity *val = std_validity();
    int y0, m0, d0, y1, m1, d1;
    int32_t last = first_day + (int32_t)n - 1;
    eg_civil_from_days(first_day, &y0, &m0, &d0);
    eg_civil_from_days(last, &y1, &m1, &d1);
    if (d0 != 1 || d1 != eg_days_in_month(y1, m1)) {
        /* Not whole calendar months: the standard sets no rule; every day must have a value. */
        for (size_t i = 0; i < n; i++)
            if (!has[i])
                return false;
        return true;
    }
    /* Whole calendar months: >= 27 values in each month, >= 25 in February; a calendar year
     * also needs >= 324 in total. */
    int month_cnt[26] = {0};
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        int y, m, d;
        if (!has[i])
            continue;
        eg_civil_from_days(first_day + (int32_t)i, &y, &m, &d);
        month_cnt[(y - y0) * 12 + (m - m0)]++;
        total++;
    }
    int nmonths = (y1 - y0) * 12 + (m1 - m0) + 1;
    for (int k = 0; k < nmonths; k++) {
        int m = (m0 - 1 + k) % 12 + 1;
        if (month_cnt[k] < (m == 2 ? val->feb_min_days : val->month_min_days))
            return false;
    }
    if (m0 == 1 && m1 == 12 && y0 == y1 && total < (size_t)val->year_min_days)
        return false;
    return true;
}

/* A rounded statistic (already an integer count of steps) against a limit in the same steps. */
static int32_t multiple(int32_t c, int64_t s)
{
    if (c == AIR_NA || s <= 0 || c <= s)
        return AIR_NA;
    return (int32_t)eg_div_round(((int64_t)c - s) * 100, s);
}

static bool limit_of(const struct std_limits *l, const char *pol, const char *avg, int scale,
                     int64_t *ret)
{
    return std_limit(l, pol, avg, 2, scale, ret) == 0;
}

int air_period_stats(const struct std_limits *limits, int32_t first_day, size_t n,
                     const struct air_day *days, const struct air_index *idx, const uint8_t *dust,
                     struct air_period *ret)
{
    if (n == 0 || n > AIR_PERIOD_MAX_DAYS || !days || !limits || !ret)
        return EG_EINVAL;

    struct air_period P;
    int32_t buf[AIR_PERIOD_MAX_DAYS];
    uint8_t has[AIR_PERIOD_MAX_DAYS];
    memset(&P, 0, sizeof(P));

    /* Means and percentiles of the valid daily values; sand-dust days leave PM out. */
    for (int s = 0; s < AIR_NSTAT; s++) {
        enum air_dval d = stat_src[s].d;
        size_t m = 0;
        int64_t sum = 0;
        for (size_t i = 0; i < n; i++) {
            int32_t c = days[i].v[d];
            if (!air__valid(c) || (dust && dust[i] && is_pm(d)))
                continue;
            buf[m++] = c;
            sum += c;
        }
        if (m == 0) {
            P.stat[s] = AIR_NA;
            P.exact[s].num = 0;
            P.exact[s].den = 0;
            continue;
        }
        P.exact[s] = stat_src[s].pct ? air_percentile(buf, m, stat_src[s].pct)
                                     : eg_rat_make(sum, (int64_t)m);
        P.stat[s] = (int32_t)eg_rat_round(P.exact[s], 0);
    }

    /* Valid daily values per pollutant (PM without the dust days); [AIR_NPOL] = MDA8. */
    static const enum air_dval nd_src[AIR_NPOL + 1] = {
        AIR_D_SO2, AIR_D_NO2, AIR_D_CO, AIR_D_PM10, AIR_D_PM25, AIR_D_O3_1H, AIR_D_O3_8H};
    for (int p = 0; p <= AIR_NPOL; p++)
        for (size_t i = 0; i < n; i++)
            if (air__valid(days[i].v[nd_src[p]]) && !(dust && dust[i] && is_pm(nd_src[p])))
                P.ndays[p]++;

    /* Completeness.  Decision: a sand-dust day whose PM value is valid counts as a value here —
     * the deduction is an audit rule applied to valid data, not missing data. */
    P.complete_all = true;
    for (int p = 0; p < AIR_NPOL; p++) {
        for (size_t i = 0; i < n; i++)
            has[i] = air__valid(days[i].v[pol_series[p]]);
        P.complete[p] = range_complete(first_day, n, has);
        P.complete_all = P.complete_all && P.complete[p];
    }

    /* AQI-based day counts (good days: AQI <= 100; heavy: AQI > 200). */
    for (size_t i = 0; i < n; i++) {
        if (dust && dust[i])
            P.dust_days++;
        if (!idx || idx[i].aqi < 0)
            continue;
        int a = idx[i].aqi;
        P.valid_days++;
        if (a <= 100)
            P.good_days++;
        if (a > 200)
            P.heavy_days++;
        int lv = idx[i].level;
        if (lv >= 1 && lv <= 6)
            P.days_by_level[lv - 1]++;
    }
    P.good_ratio =
        P.valid_days ? (int32_t)eg_div_round((int64_t)P.good_days * 1000, P.valid_days) : AIR_NA;

    /* Attainment and multiples against the grade II limits (HJ 663 5.1.1.2, A.4), on the
     * statistics as reported (rounded, 6.3).  Annual-limit rows: SO2, NO2, PM10, PM2.5 means;
     * 24-h rows: their percentiles and CO's; O3: MDA8 p90 against the 8-h limit. */
    static const struct {
        enum air_stat s;
        const char *pol, *avg;
        int scale;
    } lim_row[] = {
        {AIR_S_SO2, "SO2", "annual", 0},    {AIR_S_NO2, "NO2", "annual", 0},
        {AIR_S_PM10, "PM10", "annual", 0},  {AIR_S_PM25, "PM2.5", "annual", 0},
        {AIR_S_SO2_P98, "SO2", "24h", 0},   {AIR_S_NO2_P98, "NO2", "24h", 0},
        {AIR_S_PM10_P95, "PM10", "24h", 0}, {AIR_S_PM25_P95, "PM2.5", "24h", 0},
        {AIR_S_CO_P95, "CO", "24h", 1},     {AIR_S_O3_8H_P90, "O3", "max8h", 0},
    };
    int64_t S[AIR_NSTAT];
    bool have_s[AIR_NSTAT] = {false};
    for (int s = 0; s < AIR_NSTAT; s++)
        P.multiple[s] = AIR_NA;
    for (size_t k = 0; k < sizeof(lim_row) / sizeof(lim_row[0]); k++) {
        enum air_stat s = lim_row[k].s;
        have_s[s] = limit_of(limits, lim_row[k].pol, lim_row[k].avg, lim_row[k].scale, &S[s]);
        if (have_s[s])
            P.multiple[s] = multiple(P.stat[s], S[s]);
    }
    /* Which statistics each pollutant's annual attainment needs (CO and O3: percentile only). */
    static const enum air_stat att[AIR_NPOL][2] = {
        [AIR_SO2] = {AIR_S_SO2, AIR_S_SO2_P98},    [AIR_NO2] = {AIR_S_NO2, AIR_S_NO2_P98},
        [AIR_CO] = {AIR_S_CO_P95, AIR_S_CO_P95},   [AIR_PM10] = {AIR_S_PM10, AIR_S_PM10_P95},
        [AIR_PM25] = {AIR_S_PM25, AIR_S_PM25_P95}, [AIR_O3] = {AIR_S_O3_8H_P90, AIR_S_O3_8H_P90},
    };
    P.attained = true;
    for (int p = 0; p < AIR_NPOL; p++) {
        bool ok = P.complete[p];
        for (int j = 0; j < 2; j++) {
            enum air_stat s = att[p][j];
            ok = ok && have_s[s] && P.stat[s] != AIR_NA && P.stat[s] <= S[s];
        }
        P.attained_pol[p] = ok;
        P.attained = P.attained && ok;
    }

    /* 环办监测〔2018〕19号: Σ C_i/S_i with C = the unrounded period means of SO2, NO2, PM10,
     * PM2.5, CO p95, O3 MDA8 p90 and S = 60, 40, 70, 35, 4 (= 40 steps of 0.1), 160. */
    static const struct {
        enum air_stat s;
        int64_t S;
    } rank_row[AIR_NPOL] = {
        [AIR_SO2] = {AIR_S_SO2, 60},   [AIR_NO2] = {AIR_S_NO2, 40},
        [AIR_CO] = {AIR_S_CO_P95, 40}, [AIR_PM10] = {AIR_S_PM10, 70},
        [AIR_PM25] = {AIR_S_PM25, 35}, [AIR_O3] = {AIR_S_O3_8H_P90, 160},
    };
    struct eg_rat sum = {0, 1};
    bool all = true;
    for (int p = 0; p < AIR_NPOL; p++) {
        struct eg_rat c = P.exact[rank_row[p].s];
        if (c.den == 0) {
            all = false;
            P.composite_item[p] = AIR_NA;
            continue;
        }
        struct eg_rat ii = eg_rat_div(c, eg_rat_make(rank_row[p].S, 1));
        P.composite_item[p] = eg_rat_round(ii, 2);
        sum = eg_rat_add(sum, ii);
    }
    if (all) {
        P.composite_exact = sum;
        P.composite = eg_rat_round(sum, 2);
    } else {
        P.composite_exact.num = 0;
        P.composite_exact.den = 0;
        P.composite = AIR_NA;
    }

    /* HJ 663-2013 Appendix C on the reported (rounded) statistics and the `limits` grade II
     * values: I_i = max(mean / annual limit, percentile / 24-h limit) for SO2, NO2, PM10, PM2.5;
     * percentile / 24-h (CO) or 8-h (O3) limit otherwise; I_max, I_sum. */
    static const enum air_stat c_pct[AIR_NPOL] = {
        [AIR_SO2] = AIR_S_SO2_P98,   [AIR_NO2] = AIR_S_NO2_P98,   [AIR_CO] = AIR_S_CO_P95,
        [AIR_PM10] = AIR_S_PM10_P95, [AIR_PM25] = AIR_S_PM25_P95, [AIR_O3] = AIR_S_O3_8H_P90,
    };
    static const int c_mean[AIR_NPOL] = {
        [AIR_SO2] = AIR_S_SO2,   [AIR_NO2] = AIR_S_NO2,   [AIR_CO] = -1,
        [AIR_PM10] = AIR_S_PM10, [AIR_PM25] = AIR_S_PM25, [AIR_O3] = -1,
    };
    struct eg_rat isum = {0, 1}, imax = {0, 1};
    all = true;
    for (int p = 0; p < AIR_NPOL; p++) {
        enum air_stat sp = c_pct[p];
        P.index_hj663[p] = AIR_NA;
        if (P.stat[sp] == AIR_NA || !have_s[sp]) {
            all = false;
            continue;
        }
        struct eg_rat ii = eg_rat_make(P.stat[sp], S[sp]);
        if (c_mean[p] >= 0) {
            int sm = c_mean[p];
            if (P.stat[sm] == AIR_NA || !have_s[sm]) {
                all = false;
                continue;
            }
            struct eg_rat ia = eg_rat_make(P.stat[sm], S[sm]);
            if (eg_rat_cmp(ia, ii) > 0)
                ii = ia;
        }
        P.index_hj663[p] = eg_rat_round(ii, 2);
        isum = eg_rat_add(isum, ii);
        if (eg_rat_cmp(ii, imax) > 0)
            imax = ii;
    }
    P.composite_hj663 = all ? eg_rat_round(isum, 2) : AIR_NA;
    P.imax_hj663 = all ? eg_rat_round(imax, 2) : AIR_NA;

    *ret = P;
    return 0;
}
