/* standards.h — the national standards' tables as versioned data, chosen by the evaluated date.
 *
 * The tables are the reviewed CSV files of standards/ (each names its standard, table and
 * source), embedded verbatim in the binary and parsed once on first use.  Air:
 *   HJ 633-2012 Table 1 / HJ 633-2026 Table 3 IAQI breakpoints, Table 2 / Table 1 levels;
 *   GB 3095-2012 and GB 3095-2026 (transition to 2030-12-31, final from 2031-01-01) limits;
 *   GB 3095 Table 4 and HJ 663-2013 6.1 validity; HJ 663-2013 Table 3 reporting precision.
 * Rule sets switch on 2026-03-01 (HJ 633-2026 / GB 3095-2026 in force); a caller may override.
 * Everything returned is static and immutable: never freed, safe to share between threads.
 */
#ifndef STANDARDS_H
#define STANDARDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/eg_err.h"

/* Raw embedded CSV text by file name ("hj633_2012_breakpoints.csv"); NULL if absent. */
const char *std_blob(const char *name, size_t *ret_len);
/* Names of all embedded files, NULL-terminated. */
const char *const *std_blob_names(void);

/* Parse every table; returns 0 or EG_EPARSE with the file and line in eb.  Called implicitly by
 * the getters below (which abort on a failure: the embedded data are tested, a failure is a build
 * defect); call it explicitly to get the error instead. */
int std_init(struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- AQI (HJ 633) ---- */

enum std_aqi_table {
    STD_SO2_24H,
    STD_SO2_1H,
    STD_NO2_24H,
    STD_NO2_1H,
    STD_PM10_24H,
    STD_CO_24H,
    STD_CO_1H,
    STD_O3_1H,
    STD_O3_8H,
    STD_PM25_24H,
    STD_AQI_NTABLES
};

#define STD_AQI_MAXBP 8

/* One column of the breakpoint table: c[i] is the concentration × 10^scale at IAQI iaqi[i];
 * n breakpoints, c[0] = 0.  Concentrations above c[n-1] are over the table's range. */
struct std_aqi_bp {
    int n;
    int scale; /* 1 for CO (0.1 mg/m3), else 0 (ug/m3) */
    int32_t c[STD_AQI_MAXBP];
    int32_t iaqi[STD_AQI_MAXBP];
};

struct std_aqi_rules {
    const char *name;   /* "HJ633-2012", "HJ633-2026", "HJ633-2012-literal" */
    const char *source; /* the table's '#' source line */
    int year;           /* 2012 or 2026 */
    int32_t valid_from; /* first day (inclusive) this rule set applies to by default */
    int32_t valid_to;   /* last day (inclusive) */
    struct std_aqi_bp t[STD_AQI_NTABLES];
    /* SO2 1h > 800 ug/m3: IAQI counts as this value (200: HJ 633-2026 ᵇ and CNEMC practice under
     * 2012); 0 = the literal HJ 633-2012 note (2): use the SO2 24h IAQI. */
    int so2_1h_over800_iaqi;
    /* O3 8h > 800 ug/m3: IAQI counts as this value (300: HJ 633-2026 ᶜ); 0 = HJ 633-2012 note (3):
     * use the O3 1h IAQI. */
    int o3_8h_over800_iaqi;
    bool daily_o3_1h;     /* 2012 daily report has 7 indicators incl. O3 max 1h (5.1.2) */
    bool missing_over100; /* HJ 633-2026 5.3.1: with an indicator missing, AQI only if > 100 */
};

/* The AQI rule set in force for a natural day (HJ 633-2026 from 2026-03-01). */
const struct std_aqi_rules *std_aqi_rules_for_day(int32_t day);
/* By name: "2012", "HJ633-2012", "2026", "HJ633-2026", "2012-literal", "HJ633-2012-literal";
 * NULL if unknown. */
const struct std_aqi_rules *std_aqi_rules_named(const char *name);

struct std_aqi_level {
    int level;               /* 1..6 */
    int aqi_min, aqi_max;    /* inclusive; aqi_max = INT32_MAX for the open top class */
    const char *level_zh;    /* 一级 */
    const char *category_zh; /* 优 */
    const char *category_en; /* Excellent */
    const char *colour_zh;   /* 绿色 */
    const char *colour_en;   /* green */
    const char *rgb_hex;     /* #00E400 */
    const char *health_zh;
    const char *advice_zh;
};

/* Level of an AQI value (>= 0) under a rule set. */
const struct std_aqi_level *std_aqi_level_for(const struct std_aqi_rules *r, int aqi);

/* ---- Limits (GB 3095) ---- */

struct std_limits {
    const char *name; /* "GB3095-2012", "GB3095-2026-transition", "GB3095-2026-final" */
    const char *source;
    int32_t valid_from, valid_to;
};

const struct std_limits *std_limits_for_day(int32_t day);
const struct std_limits *std_limits_named(const char *name);

/* The limit for pollutant ("SO2", "NO2", "CO", "O3", "PM10", "PM2.5", "TSP", "NOx", …) and
 * averaging ("annual", "24h", "1h", "max8h", "quarterly", …) at grade 1 or 2, as
 * value × 10^scale (exact).  EG_ENOTFOUND when the standard defines none. */
int std_limit(const struct std_limits *l, const char *pollutant, const char *averaging, int grade,
              int scale, int64_t *ret) EG_MUST_CHECK;

/* ---- Validity (GB 3095 Table 4, HJ 663-2013 6.1) ---- */

struct std_validity {
    int day_min_hours;      /* 20: 24h mean needs >= 20 hourly values */
    int win8_min_hours;     /* 6: an 8h mean needs >= 6 of 8 */
    int mda8_min_windows;   /* 14: MDA8 needs >= 14 valid windows ending 08..24 (HJ 663 6.1.2) */
    int year_min_days;      /* 324 */
    int month_min_days;     /* 27 */
    int feb_min_days;       /* 25 */
    int city_min_pct;       /* 75: city value needs >= 75 % of its stations (HJ 663 6.1.4) */
    int city_min_pct_small; /* 50: when the city has fewer than city_small_below stations */
    int city_small_below;   /* 4 */
};

const struct std_validity *std_validity(void);

/* HJ 663-2013 Table 3: decimals of a pollutant's statistics ("SO2" → 0, "CO" → 1); -1 unknown. */
int std_decimals(const char *pollutant);

#endif
