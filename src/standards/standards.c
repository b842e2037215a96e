/* standards.c — parses the embedded standards' CSV tables once, and serves them by date or name.
 * See standards.h.  Tables: HJ 633-2012 Table 1, HJ 633-2026 Table 3, aqi_levels (HJ 633 Table 2 /
 * Table 1 and Appendix A), GB 3095-2012 Tables 1, 2, A.1, GB 3095-2026 Tables 1, 2, A.1, GB 3095
 * Table 4 with HJ 663-2013 6.1, HJ 663-2013 Table 3. */
#include "standards-int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/eg_csv.h"
#include "common/eg_num.h"
#include "common/eg_time.h"

struct std_blob {
    const char *name;
    const unsigned char *data;
    size_t len;
};
extern const struct std_blob std__blobs[];

const char *std_blob(const char *name, size_t *ret_len)
{
    for (const struct std_blob *b = std__blobs; b->name; b++)
        if (strcmp(b->name, name) == 0) {
            if (ret_len)
                *ret_len = b->len;
            return (const char *)b->data;
        }
    return NULL;
}

const char *const *std_blob_names(void)
{
    static const char *names[64];
    size_t k = 0;
    for (const struct std_blob *b = std__blobs; b->name && k + 1 < 64; b++)
        names[k++] = b->name;
    names[k] = NULL;
    return names;
}

/* ---- state, filled once ---- */

#define NLEVELS    6
#define MAX_LIMITS 64
#define MAX_TEXT   8192

struct limit_row {
    char pollutant[16];
    char averaging[16];
    int64_t g1[2], g2[2]; /* × 10^6; [0] = transition/2012, [1] = final */
    int set;              /* 2012 or 2026 */
};

static struct {
    int rc;
    struct eg_errbuf eb;
    struct std_aqi_rules aqi[3]; /* 2012 (CNEMC practice), 2026, 2012-literal */
    struct std_aqi_level levels[2][NLEVELS];
    struct std_limits limits[3];
    struct limit_row lim[MAX_LIMITS];
    int nlim;
    struct std_validity validity;
    struct {
        char item[16];
        int decimals;
    } dec[16];
    int ndec;
    char text[MAX_TEXT * 8]; /* interned strings from the CSVs */
    size_t text_len;
} S;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static const char *intern(struct eg_csv_field f)
{
    if (S.text_len + f.n + 1 > sizeof(S.text))
        return "";
    char *p = S.text + S.text_len;
    memcpy(p, f.s, f.n);
    p[f.n] = 0;
    S.text_len += f.n + 1;
    return p;
}

static int open_table(struct eg_csv *c, const char *name, const char **ret_source,
                      struct eg_errbuf *eb)
{
    struct eg_csv_field src;
    int rc = std__open(c, name, ret_source ? &src : NULL, eb);
    if (!rc && ret_source)
        *ret_source = intern(src);
    return rc;
}

static int load_breakpoints(struct std_aqi_rules *r, const char *file, struct eg_errbuf *eb)
{
    struct eg_csv c;
    int rc = open_table(&c, file, &r->source, eb);
    int row = 0;
    if (rc)
        goto out;
    /* header: iaqi,SO2_24h,SO2_1h,NO2_24h,NO2_1h,PM10_24h,CO_24h,CO_1h,O3_1h,O3_8h,PM2_5_24h —
     * the column order is fixed across the 2012 and 2026 files and equals enum std_aqi_table. */
    if (c.nfields != 1 + STD_AQI_NTABLES || !eg_csv_eq(eg_csv_get(&c, 1), "SO2_24h") ||
        !eg_csv_eq(eg_csv_get(&c, 10), "PM2_5_24h")) {
        rc = std__bad(&c, eb, "unexpected breakpoint table header");
        goto out;
    }
    for (int t = 0; t < STD_AQI_NTABLES; t++) {
        r->t[t].n = 0;
        r->t[t].scale = (t == STD_CO_24H || t == STD_CO_1H) ? 1 : 0;
    }
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        int64_t iaqi;
        struct eg_csv_field f0 = eg_csv_get(&c, 0);
        if (c.nfields != 1 + STD_AQI_NTABLES || row >= STD_AQI_MAXBP ||
            eg_dec_parse(f0.s, f0.n, 0, &iaqi)) {
            rc = std__bad(&c, eb, "bad breakpoint row");
            goto out;
        }
        for (int t = 0; t < STD_AQI_NTABLES; t++) {
            struct eg_csv_field f = eg_csv_get(&c, (size_t)t + 1);
            int64_t v;
            if (f.n == 0)
                continue; /* no breakpoint defined at this IAQI */
            if (eg_dec_parse(f.s, f.n, r->t[t].scale, &v)) {
                rc = std__bad(&c, eb, "bad breakpoint value");
                goto out;
            }
            struct std_aqi_bp *bp = &r->t[t];
            bp->c[bp->n] = (int32_t)v;
            bp->iaqi[bp->n] = (int32_t)iaqi;
            bp->n++;
        }
        row++;
    }
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

static int load_levels(struct eg_errbuf *eb)
{
    static const char *const cat_en[NLEVELS] = {"Excellent",        "Good",
                                                "Lightly Polluted", "Moderately Polluted",
                                                "Heavily Polluted", "Severely Polluted"};
    struct eg_csv c;
    int rc = open_table(&c, "aqi_levels.csv", NULL, eb);
    int n[2] = {0, 0};
    if (rc)
        goto out;
    /* version,aqi_min,aqi_max,level,category_zh,colour_zh,colour_en,rgb_hex,r,g,b,c,m,y,k,
     * health_effect_zh,advice_zh */
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        int v = eg_csv_eq(eg_csv_get(&c, 0), "HJ633-2026") ? 1 : 0;
        int64_t lo, hi = INT32_MAX;
        struct eg_csv_field fmin = eg_csv_get(&c, 1), fmax = eg_csv_get(&c, 2);
        if (c.nfields < 17 || n[v] >= NLEVELS || eg_dec_parse(fmin.s, fmin.n, 0, &lo) ||
            (fmax.n && eg_dec_parse(fmax.s, fmax.n, 0, &hi))) {
            rc = std__bad(&c, eb, "bad AQI level row");
            goto out;
        }
        struct std_aqi_level *L = &S.levels[v][n[v]];
        L->level = n[v] + 1;
        L->aqi_min = (int)lo;
        L->aqi_max = (n[v] == NLEVELS - 1) ? INT32_MAX : (int)hi;
        L->level_zh = intern(eg_csv_get(&c, 3));
        L->category_zh = intern(eg_csv_get(&c, 4));
        L->category_en = cat_en[n[v]];
        L->colour_zh = intern(eg_csv_get(&c, 5));
        L->colour_en = intern(eg_csv_get(&c, 6));
        L->rgb_hex = intern(eg_csv_get(&c, 7));
        L->health_zh = intern(eg_csv_get(&c, 15));
        L->advice_zh = intern(eg_csv_get(&c, 16));
        n[v]++;
    }
    if (rc == 0 && (n[0] != NLEVELS || n[1] != NLEVELS))
        rc = std__bad(&c, eb, "expected 6 levels per version");
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

static int load_limits(const char *file, int set, const char **ret_source, struct eg_errbuf *eb)
{
    struct eg_csv c;
    int rc = open_table(&c, file, ret_source, eb);
    if (rc)
        goto out;
    /* 2012: table,no,pollutant,pollutant_zh,averaging,grade1,grade2,unit
     * 2026: table,no,pollutant,pollutant_zh,averaging,transition_grade1,transition_grade2,
     *       final_grade1,final_grade2,unit */
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        if (S.nlim >= MAX_LIMITS) {
            rc = std__bad(&c, eb, "too many limit rows");
            goto out;
        }
        struct limit_row *L = &S.lim[S.nlim];
        int cols = set == 2012 ? 2 : 4;
        int64_t v[4];
        if (c.nfields < (size_t)(6 + cols)) {
            rc = std__bad(&c, eb, "bad limit row");
            goto out;
        }
        for (int k = 0; k < cols; k++) {
            struct eg_csv_field f = eg_csv_get(&c, 5 + (size_t)k);
            if (eg_dec_parse(f.s, f.n, 6, &v[k])) {
                rc = std__bad(&c, eb, "bad limit value");
                goto out;
            }
        }
        eg_csv_copy(eg_csv_get(&c, 2), L->pollutant, sizeof(L->pollutant));
        eg_csv_copy(eg_csv_get(&c, 4), L->averaging, sizeof(L->averaging));
        L->set = set;
        L->g1[0] = v[0];
        L->g2[0] = v[1];
        L->g1[1] = set == 2012 ? v[0] : v[2];
        L->g2[1] = set == 2012 ? v[1] : v[3];
        S.nlim++;
    }
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

static int field_int(struct eg_csv_field f, int *ret)
{
    int64_t v;
    if (eg_dec_parse(f.s, f.n, 0, &v))
        return -1;
    *ret = (int)v;
    return 0;
}

static int load_validity(struct eg_errbuf *eb)
{
    struct eg_csv c;
    struct std_validity *V = &S.validity;
    int rc = open_table(&c, "gb3095_validity.csv", NULL, eb);
    int seen = 0;
    if (rc)
        goto out;
    /* source,pollutants,averaging,rule_zh,min_count,per,min_count_month,min_count_feb,… */
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        struct eg_csv_field src = eg_csv_get(&c, 0), pol = eg_csv_get(&c, 1),
                            avg = eg_csv_get(&c, 2), mc = eg_csv_get(&c, 4);
        int e = 0;
        if (eg_csv_eq(src, "GB3095 T4") && eg_csv_eq(avg, "24h") &&
            eg_csv_eq(pol, "SO2;NO2;CO;PM10;PM2.5;NOx")) {
            e = field_int(mc, &V->day_min_hours);
            seen |= 1;
        } else if (eg_csv_eq(src, "GB3095 T4") && eg_csv_eq(avg, "8h")) {
            e = field_int(mc, &V->win8_min_hours);
            seen |= 2;
        } else if (eg_csv_eq(src, "HJ663-2013 6.1.2")) {
            e = field_int(mc, &V->mda8_min_windows);
            seen |= 4;
        } else if (eg_csv_eq(src, "GB3095 T4") && eg_csv_eq(avg, "annual") &&
                   eg_csv_eq(pol, "SO2;NO2;PM10;PM2.5;NOx")) {
            e = field_int(mc, &V->year_min_days) ||
                field_int(eg_csv_get(&c, 6), &V->month_min_days) ||
                field_int(eg_csv_get(&c, 7), &V->feb_min_days);
            seen |= 8;
        } else if (eg_csv_eq(src, "HJ663-2013 6.1.4")) {
            e = field_int(mc, &V->city_min_pct);
            /* "(50 if fewer than 4 stations)" — stated in the 'per' column's text */
            V->city_min_pct_small = 50;
            V->city_small_below = 4;
            seen |= 16;
        }
        if (e) {
            rc = std__bad(&c, eb, "bad validity row");
            goto out;
        }
    }
    if (rc == 0 && seen != 31)
        rc = std__bad(&c, eb, "validity rules missing from the table");
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

static int load_decimals(struct eg_errbuf *eb)
{
    struct eg_csv c;
    int rc = open_table(&c, "hj663_2013_rounding.csv", NULL, eb);
    if (rc)
        goto out;
    while ((rc = eg_csv_next(&c, eb)) == 1 && S.ndec < 16) {
        if (field_int(eg_csv_get(&c, 2), &S.dec[S.ndec].decimals)) {
            rc = std__bad(&c, eb, "bad decimals row");
            goto out;
        }
        eg_csv_copy(eg_csv_get(&c, 0), S.dec[S.ndec].item, sizeof(S.dec[S.ndec].item));
        S.ndec++;
    }
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

static void init_once(void)
{
    struct eg_errbuf *eb = &S.eb;
    int32_t switch_day = eg_days_from_civil(2026, 3, 1);
    struct std_aqi_rules *r12 = &S.aqi[0], *r26 = &S.aqi[1], *lit = &S.aqi[2];
    int rc;

    if ((rc = load_breakpoints(r12, "hj633_2012_breakpoints.csv", eb)) ||
        (rc = load_breakpoints(r26, "hj633_2026_breakpoints.csv", eb)) || (rc = load_levels(eb)) ||
        (rc = load_limits("gb3095_2012_limits.csv", 2012, &S.limits[0].source, eb)) ||
        (rc = load_limits("gb3095_2026_limits.csv", 2026, &S.limits[1].source, eb)) ||
        (rc = load_validity(eb)) || (rc = load_decimals(eb))) {
        S.rc = rc;
        return;
    }
    r12->name = "HJ633-2012";
    r12->year = 2012;
    r12->valid_from = INT32_MIN;
    r12->valid_to = switch_day - 1;
    r12->so2_1h_over800_iaqi = 200; /* CNEMC practice (data/README.md §1: 2647A) */
    r12->o3_8h_over800_iaqi = 0;    /* note (3): use the O3 1h IAQI */
    r12->daily_o3_1h = true;
    r12->missing_over100 = false;
    *lit = *r12;
    lit->name = "HJ633-2012-literal";
    lit->so2_1h_over800_iaqi = 0; /* note (2): use the SO2 24h IAQI */
    r26->name = "HJ633-2026";
    r26->year = 2026;
    r26->valid_from = switch_day;
    r26->valid_to = INT32_MAX;
    r26->so2_1h_over800_iaqi = 200; /* Table 3 footnote b */
    r26->o3_8h_over800_iaqi = 300;  /* Table 3 footnote c */
    r26->daily_o3_1h = false;       /* 4.2.2: six indicators */
    r26->missing_over100 = true;    /* 5.3.1 */

    S.limits[0].name = "GB3095-2012";
    S.limits[0].valid_from = INT32_MIN;
    S.limits[0].valid_to = switch_day - 1;
    S.limits[1].name = "GB3095-2026-transition";
    S.limits[1].valid_from = switch_day;
    S.limits[1].valid_to = eg_days_from_civil(2030, 12, 31);
    S.limits[2] = S.limits[1];
    S.limits[2].name = "GB3095-2026-final";
    S.limits[2].valid_from = eg_days_from_civil(2031, 1, 1);
    S.limits[2].valid_to = INT32_MAX;
}

int std_init(struct eg_errbuf *eb)
{
    pthread_once(&once, init_once);
    if (S.rc && eb)
        *eb = S.eb;
    return S.rc;
}

static void must_init(void)
{
    if (std_init(NULL)) {
        char msg[1024];
        eg_errbuf_format(&S.eb, msg, sizeof(msg));
        fprintf(stderr, "envgov: embedded standards tables are broken: %s\n", msg);
        abort();
    }
}

const struct std_aqi_rules *std_aqi_rules_for_day(int32_t day)
{
    must_init();
    return day >= S.aqi[1].valid_from ? &S.aqi[1] : &S.aqi[0];
}

const struct std_aqi_rules *std_aqi_rules_named(const char *name)
{
    must_init();
    if (!strcmp(name, "2012") || !strcmp(name, "HJ633-2012"))
        return &S.aqi[0];
    if (!strcmp(name, "2026") || !strcmp(name, "HJ633-2026"))
        return &S.aqi[1];
    if (!strcmp(name, "2012-literal") || !strcmp(name, "HJ633-2012-literal"))
        return &S.aqi[2];
    return NULL;
}

const struct std_aqi_level *std_aqi_level_for(const struct std_aqi_rules *r, int aqi)
{
    must_init();
    const struct std_aqi_level *L = S.levels[r->year == 2026 ? 1 : 0];
    for (int i = 0; i < NLEVELS; i++)
        if (aqi <= L[i].aqi_max)
            return &L[i];
    return &L[NLEVELS - 1];
}

const struct std_limits *std_limits_for_day(int32_t day)
{
    must_init();
    for (int i = 0; i < 3; i++)
        if (day >= S.limits[i].valid_from && day <= S.limits[i].valid_to)
            return &S.limits[i];
    return &S.limits[0];
}

const struct std_limits *std_limits_named(const char *name)
{
    must_init();
    for (int i = 0; i < 3; i++)
        if (!strcmp(name, S.limits[i].name))
            return &S.limits[i];
    if (!strcmp(name, "2012"))
        return &S.limits[0];
    return NULL;
}

int std_limit(const struct std_limits *l, const char *pollutant, const char *averaging, int grade,
              int scale, int64_t *ret)
{
    must_init();
    int set = l == &S.limits[0] ? 2012 : 2026;
    int k = l == &S.limits[2] ? 1 : 0;
    if (grade != 1 && grade != 2)
        return EG_EINVAL;
    for (int i = 0; i < S.nlim; i++) {
        const struct limit_row *L = &S.lim[i];
        if (L->set == set && !strcmp(L->pollutant, pollutant) && !strcmp(L->averaging, averaging)) {
            *ret = eg_rescale(grade == 1 ? L->g1[k] : L->g2[k], 6, scale);
            return 0;
        }
    }
    return EG_ENOTFOUND;
}

const struct std_validity *std_validity(void)
{
    must_init();
    return &S.validity;
}

int std_decimals(const char *pollutant)
{
    must_init();
    for (int i = 0; i < S.ndec; i++)
        if (!strcmp(S.dec[i].item, pollutant))
            return S.dec[i].decimals;
    return -1;
}
