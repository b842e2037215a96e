/* iaqi.c — individual air quality indices, the hourly and the daily AQI, levels and primary
 * pollutants.
 *
 * HJ 633-2012 eq. (1)/(2), §6.2 and HJ 633-2026 4.2.4/4.2.6: IAQI by linear interpolation on the
 * continuous breakpoint segments, ceiled in exact integer arithmetic (no float anywhere).  Above a
 * column's top breakpoint: 500 plus an over-range bit (HJ 633-2026 4.1.1: AQI range 1–500).
 * Special cases: SO2 1-h > 800 (Table 1 note 2 / Table 3 note b) and O3 8-h > 800 (note 3 / c),
 * per the rule set.  Missing indicators: HJ 633-2026 5.3.1 when the rule set asks for it.
 * Pure functions over caller memory; the breakpoint tables are the immutable std_ ones.  The one
 * piece of state is a read-only cache, built once (pthread_once) from the standard rule sets:
 * the hourly IAQI of every integer concentration up to each column's top breakpoint and the level
 * of every AQI 0…500.  It is filled by the exact functions below, so it is exact by construction
 * (and tests/unit/test_air.c compares it on every concentration); other rule sets take the direct
 * path.
 */
#include <assert.h>
#include <pthread.h>

#include "air-int.h"

const char *air_pol_name(enum air_pol p)
{
    static const char *const names[AIR_NPOL] = {"SO2", "NO2", "CO", "PM10", "PM2.5", "O3"};
    return (unsigned)p < AIR_NPOL ? names[p] : "?";
}

const char *air_ind_name(enum air_ind i, bool daily)
{
    static const char *const names[AIR_NIND] = {"SO2",   "NO2",   "CO",   "PM10",
                                                "PM2.5", "O3_1h", "O3_8h"};
    if ((unsigned)i >= AIR_NIND)
        return "?";
    if (i == AIR_I_O3_1H && !daily)
        return "O3";
    return names[i];
}

int air_pol_scale(enum air_pol p)
{
    return p == AIR_CO ? 1 : 0;
}

/* HJ 633-2026 4.2.3/4.2.4 (= CNEMC practice under 2012): PM on the 24-h columns. */
static const enum std_aqi_table hourly_tab[AIR_NPOL] = {STD_SO2_1H,   STD_NO2_1H,   STD_CO_1H,
                                                        STD_PM10_24H, STD_PM25_24H, STD_O3_1H};

/* Hot path: c >= 0 on the column's own scale.  Finds the first breakpoint >= c (at a breakpoint
 * both adjacent segments give the same value, HJ 633 eq. (1)) and ceils I_lo + ΔI·(c − C_lo)/ΔC. */
static inline int32_t seg_iaqi(const struct std_aqi_bp *bp, int32_t c, bool *ret_over)
{
    int n = bp->n;
    if (c > bp->c[n - 1]) {
        *ret_over = true;
        return bp->iaqi[n - 1];
    }
    int i = 1;
    while (c > bp->c[i])
        i++;
    /* 0 <= c − C_lo <= ΔC, so the product is bounded by ΔI·ΔC (< 2^32 for any real table; the
     * 64-bit type keeps a pathological custom table exact too). */
    uint64_t num =
        (uint64_t)(uint32_t)(bp->iaqi[i] - bp->iaqi[i - 1]) * (uint32_t)(c - bp->c[i - 1]);
    uint64_t den = (uint32_t)(bp->c[i] - bp->c[i - 1]);
    if ((num | den) <= UINT32_MAX) /* 32-bit division: several times cheaper on most cores */
        return bp->iaqi[i - 1] + (int32_t)(((uint32_t)num + (uint32_t)den - 1u) / (uint32_t)den);
    return bp->iaqi[i - 1] + (int32_t)((num + den - 1u) / den);
}

int air_iaqi(const struct std_aqi_bp *bp, int64_t c, int c_scale, bool *ret_over)
{
    bool over = false;
    int v;
    if (c < 0 || c_scale < 0 || c_scale > EG_SCALE_MAX || bp->n < 2)
        return -1;
    if (c_scale == bp->scale && c <= INT32_MAX) {
        v = seg_iaqi(bp, (int32_t)c, &over);
    } else {
        /* Bring both sides to the finer of the two scales (exact: 10^k multiples). */
        int s = c_scale > bp->scale ? c_scale : bp->scale;
        eg_i128 cc = (eg_i128)c * eg_pow10(s - c_scale);
        eg_i128 f = eg_pow10(s - bp->scale);
        int n = bp->n;
        if (cc > (eg_i128)bp->c[n - 1] * f) {
            over = true;
            v = bp->iaqi[n - 1];
        } else {
            int i = 1;
            while (cc > (eg_i128)bp->c[i] * f)
                i++;
            eg_i128 num =
                (eg_i128)(bp->iaqi[i] - bp->iaqi[i - 1]) * (cc - (eg_i128)bp->c[i - 1] * f);
            eg_i128 den = (eg_i128)(bp->c[i] - bp->c[i - 1]) * f;
            v = bp->iaqi[i - 1] + (int)((num + den - 1) / den);
        }
    }
    if (ret_over)
        *ret_over = over;
    return v;
}

/* IAQI of a value given in its pollutant's reporting step (CO ×10, others ×1). */
static inline int32_t step_iaqi(const struct std_aqi_bp *bp, int32_t c, int c_scale, bool *ret_over)
{
    if (bp->scale == c_scale)
        return seg_iaqi(bp, c, ret_over);
    return air_iaqi(bp, c, c_scale, ret_over);
}

/* ---- the read-only lookup cache of the standard rule sets ---- */

#define LUT_SETS   3
#define LUT_POOL   16384 /* IAQIs per rule set; the 2012/2026 hourly columns need 8,446 */
#define LUT_MAXAQI 500

struct hourly_lut {
    const struct std_aqi_rules *r;
    int32_t top[AIR_NPOL]; /* concentrations 0…top are in iaqi[p] */
    const int16_t *iaqi[AIR_NPOL];
    uint8_t level[LUT_MAXAQI + 1];
};

static struct hourly_lut luts[LUT_SETS];
static int16_t lut_pool[LUT_SETS][LUT_POOL];
static pthread_once_t lut_once = PTHREAD_ONCE_INIT;

static void lut_build(void)
{
    static const char *const names[LUT_SETS] = {"2012", "2026", "2012-literal"};
    for (int k = 0; k < LUT_SETS; k++) {
        struct hourly_lut *L = &luts[k];
        const struct std_aqi_rules *r = std_aqi_rules_named(names[k]);
        size_t used = 0;
        bool ok = true;
        L->r = NULL; /* not cached unless every column fits */
        for (int p = 0; p < AIR_NPOL && ok; p++) {
            const struct std_aqi_bp *bp = &r->t[hourly_tab[p]];
            int32_t top = bp->n >= 2 ? bp->c[bp->n - 1] : -1;
            ok = top >= 0 && bp->iaqi[bp->n - 1] <= INT16_MAX &&
                 (size_t)top + 1 <= LUT_POOL - used && bp->scale == air_pol_scale((enum air_pol)p);
            if (!ok)
                break;
            int16_t *t = &lut_pool[k][used];
            for (int32_t c = 0; c <= top; c++)
                t[c] = (int16_t)air_iaqi(bp, c, bp->scale, NULL);
            L->iaqi[p] = t;
            L->top[p] = top;
            used += (size_t)top + 1;
        }
        for (int a = 0; a <= LUT_MAXAQI; a++)
            L->level[a] = (uint8_t)std_aqi_level_for(r, a)->level;
        if (ok)
            L->r = r;
    }
}

static const struct hourly_lut *lut_for(const struct std_aqi_rules *r)
{
    pthread_once(&lut_once, lut_build);
    for (int k = 0; k < LUT_SETS; k++)
        if (luts[k].r == r)
            return &luts[k];
    return NULL;
}

void air__finish(const struct std_aqi_rules *r, struct air_index *ret)
{
    int32_t aqi = -1;
    for (int i = 0; i < AIR_NIND; i++)
        if (ret->iaqi[i] > aqi)
            aqi = ret->iaqi[i];
    ret->primary = 0;
    ret->level = 0;
    /* HJ 633-2026 5.3.1: with an indicator missing, the AQI from the others is published only when
     * it exceeds 100; otherwise the AQI and everything derived from it are NA (the IAQIs stay). */
    if (aqi < 0 || (r->missing_over100 && ret->missing && aqi <= 100)) {
        ret->aqi = -1;
        return;
    }
    ret->aqi = aqi;
    /* HJ 633-2012 3.3 / HJ 633-2026 4.3.1: AQI > 50 → every indicator with the largest IAQI. */
    if (aqi > 50)
        for (int i = 0; i < AIR_NIND; i++)
            if (ret->iaqi[i] == aqi)
                ret->primary |= 1u << i;
    ret->level = std_aqi_level_for(r, aqi)->level;
}

/* Fast path of air_hourly_index for a cached rule set: the common case is every concentration
 * present and on its table, which is six loads; anything else goes through the direct path. */
static bool hourly_lut(const struct hourly_lut *L, const int32_t v[AIR_NPOL], struct air_index *x)
{
    int32_t aqi = -1;
    for (int p = 0; p < AIR_NPOL; p++) {
        /* unsigned compare: AIR_NA and negative values fail it too */
        if ((uint32_t)v[p] > (uint32_t)L->top[p])
            return false;
        x->iaqi[p] = L->iaqi[p][v[p]];
        if (x->iaqi[p] > aqi)
            aqi = x->iaqi[p];
    }
    x->iaqi[AIR_I_O3_8H] = -1;
    x->missing = 0;
    x->over_range = 0;
    x->aqi = aqi;
    x->primary = 0;
    if (aqi > 50)
        for (int p = 0; p < AIR_NPOL; p++)
            if (x->iaqi[p] == aqi)
                x->primary |= 1u << p;
    x->level = aqi <= LUT_MAXAQI ? L->level[aqi] : std_aqi_level_for(L->r, aqi)->level;
    return true;
}

void air_hourly_index(const struct std_aqi_rules *r, const int32_t v[AIR_NPOL], int32_t so2_24h,
                      struct air_index *ret)
{
    const struct hourly_lut *L = lut_for(r);
    if (L && hourly_lut(L, v, ret))
        return;
    struct air_index x;
    x.missing = 0;
    x.over_range = 0;
    x.iaqi[AIR_I_O3_8H] = -1;
    for (int p = 0; p < AIR_NPOL; p++) {
        int32_t c = v[p];
        const struct std_aqi_bp *bp = &r->t[hourly_tab[p]];
        bool over = false;
        if (!air__valid(c)) {
            x.iaqi[p] = -1;
            x.missing |= 1u << p;
            continue;
        }
        if (p == AIR_SO2 && c > bp->c[bp->n - 1]) {
            /* SO2 1-h above the 1-h table (800): no 1-h IAQI.  HJ 633-2026 Table 3 note b and CNEMC
             * practice: counts as 200; literal HJ 633-2012 note (2): the IAQI of the 24-h mean. */
            if (r->so2_1h_over800_iaqi > 0) {
                x.iaqi[p] = r->so2_1h_over800_iaqi;
            } else if (air__valid(so2_24h)) {
                x.iaqi[p] = step_iaqi(&r->t[STD_SO2_24H], so2_24h, 0, &over);
            } else {
                x.iaqi[p] = -1;
                x.missing |= 1u << p;
            }
        } else {
            x.iaqi[p] = step_iaqi(bp, c, air_pol_scale((enum air_pol)p), &over);
        }
        if (over)
            x.over_range |= 1u << p;
    }
    air__finish(r, &x);
    *ret = x;
}

void air_daily_index(const struct std_aqi_rules *r, const struct air_day *d, struct air_index *ret)
{
    /* Daily report: 24-h columns for SO2, NO2, CO (Table 1 note 1 / Table 3 note a). */
    static const enum std_aqi_table tab[AIR_NIND] = {
        STD_SO2_24H, STD_NO2_24H, STD_CO_24H, STD_PM10_24H, STD_PM25_24H, STD_O3_1H, STD_O3_8H};
    static_assert((int)AIR_D_O3_8H == (int)AIR_I_O3_8H && (int)AIR_NDVAL == (int)AIR_NIND,
                  "daily values and indicators share their order");
    struct air_index x;
    x.missing = 0;
    x.over_range = 0;
    for (int i = 0; i < AIR_NIND; i++) {
        int32_t c = d->v[i];
        int scale = i == AIR_I_CO ? 1 : 0;
        const struct std_aqi_bp *bp = &r->t[tab[i]];
        bool over = false;
        x.iaqi[i] = -1;
        if (i == AIR_I_O3_1H && !r->daily_o3_1h)
            continue; /* HJ 633-2026 4.2.2: O3 1-h is not a daily indicator */
        if (!air__valid(c)) {
            x.missing |= 1u << i;
            continue;
        }
        if (i == AIR_I_O3_8H && c > bp->c[bp->n - 1]) {
            /* MDA8 above the 8-h table (800): HJ 633-2026 note c → 300; HJ 633-2012 note (3) → the
             * IAQI of the O3 1-h value (here the daily maximum 1-h value, the 1-h figure the daily
             * report carries). */
            if (r->o3_8h_over800_iaqi > 0) {
                x.iaqi[i] = r->o3_8h_over800_iaqi;
            } else if (air__valid(d->v[AIR_D_O3_1H])) {
                x.iaqi[i] = step_iaqi(&r->t[STD_O3_1H], d->v[AIR_D_O3_1H], 0, &over);
            } else {
                x.missing |= 1u << i;
            }
        } else {
            x.iaqi[i] = step_iaqi(bp, c, scale, &over);
        }
        if (over)
            x.over_range |= 1u << i;
    }
    air__finish(r, &x);
    *ret = x;
}
