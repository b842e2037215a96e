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

/* ---- water, sea, groundwater, soil tables ----
 *
 * One classification mechanism serves every medium: a table row is a struct std_wq_item with a
 * limit per class (upper "<=", lower ">=" or strict ">", or an inclusive range), tested from the
 * best class down; the first class met is the value's class ("从优不从劣": a limit shared by two
 * classes gives the better one), and a value meeting none is in the class after the last
 * (GB 3838 劣V, GB 3097 劣四类, GB/T 14848 V).  Soil screening uses the same rows with two
 * "classes": 1 = <= screening value, 2 = <= control value, 3 = above.  Every limit is an exact
 * integer of 10^-9 of the table's unit (STD_WQ_SCALE).  Tables (CSV files of standards/):
 *   GB 3838-2002 Tables 1–3; 环办〔2011〕22号 section status and river grading;
 * 环办监测〔2017〕51号 CWQI indicators; 2020 statistics rounding digits; TLI parameters and grades;
 * GB 3097-1997; near-shore grading; GB/T 14848-2017; 建城〔2015〕130号 black-odorous thresholds; GB
 * 15618-2018 Tables 1–3; GB 36600-2018 Tables 1–2. Parameters (the monitored substances) are
 * unified across the tables by key (case-insensitive, with a few synonyms: "volatile_phenols" =
 * "VolatilePhenol", "TP_river"/"TP_lake" = "TP", …) and by Chinese name; std_wparam_find maps
 * either to a parameter index.
 */

#define STD_WQ_SCALE  9
#define STD_WQ_MAXCLS 5
#define STD_WQ_NONE   INT64_MIN       /* the class sets no requirement: every value meets it */
#define STD_WQ_NOTDET (INT64_MIN + 1) /* 不得检出: only a result below detection meets it */

enum std_wq_dir {
    STD_WQ_LE,    /* value <= limit (hi) */
    STD_WQ_GE,    /* value >= limit (lo): GB 3838 DO */
    STD_WQ_GT,    /* value > limit (lo): GB 3097 DO */
    STD_WQ_RANGE, /* lo <= value <= hi: pH */
    STD_WQ_TEXT,  /* narrative requirement: not classified */
};

struct std_wq_item {
    const char *key;     /* the table's key: "NH3N", "TP_lake" */
    const char *name_zh; /* as printed in the table */
    const char *unit;    /* the table's unit: "mg/L", "μg/L", "mg/kg", "个/L" */
    int param;           /* parameter index (std_wparam_at) */
    int no;              /* item number in the standard's table */
    enum std_wq_dir dir;
    int nclass;                /* classes with limits */
    int64_t lo[STD_WQ_MAXCLS]; /* GE/GT/RANGE lower limit, × 10^9; or STD_WQ_NONE/NOTDET */
    int64_t hi[STD_WQ_MAXCLS]; /* LE/RANGE upper limit, × 10^9; or STD_WQ_NONE/NOTDET */
    int decimals;              /* evaluation digits of period means (2020 rule); -1: exact */
    bool eval21;               /* GB 3838: one of the 21 evaluated items (环办〔2011〕22号) */
    char group[8];             /* GB/T 14848 "T1"/"T2"; GB 15618 land use; "" */
};

struct std_wq_table {
    const char *id;     /* "GB3838-2002" */
    const char *file;   /* "gb3838_2002_table1_basic.csv" */
    const char *source; /* the table's '#' line */
    int nclass;
    const char *class_name[STD_WQ_MAXCLS + 1]; /* "I" … "V", then the class beyond: "劣V" */
    size_t n;
    const struct std_wq_item *items;
};

enum std_wq_set {
    STD_GB3838_T1,  /* 24 basic items (TP as two rows: TP_river, TP_lake), 5 classes */
    STD_GB3838_T2,  /* 5 supplementary drinking-source items, one limit (nclass 1) */
    STD_GB3838_T3,  /* 80 specific drinking-source items, one limit */
    STD_GB3097,     /* sea water, 4 classes (劣四类 beyond) */
    STD_GBT14848,   /* groundwater, 4 classes with limits, V beyond */
    STD_GB36600_L1, /* construction land, Tables 1 (group "T1") and 2 ("T2"), first-class land:
                       class 1 = <= screening value, 2 = <= control value */
    STD_GB36600_L2, /* the same for second-class land */
    STD_WQ_NSETS
};

/* A table; never NULL for a valid set (aborts if the embedded tables are broken). */
const struct std_wq_table *std_wq(enum std_wq_set t);
/* Row by key (case-insensitive) or by parameter; NULL if the table has none.  For GB 3838 Table 1
 * the parameter TP gives TP_river unless lake is set. */
const struct std_wq_item *std_wq_find(const struct std_wq_table *t, const char *key);
const struct std_wq_item *std_wq_by_param(const struct std_wq_table *t, int param, bool lake);

/* The monitored parameters, across every water and soil table. */
struct std_wparam {
    const char *key;     /* canonical key: the first table's key ("NH3N", "TP", "Cr6") */
    const char *name_zh; /* a Chinese name without the unit note ("氨氮") */
};
int std_wparam_count(void);
const struct std_wparam *std_wparam_at(int i);
/* Parameter by key (any table's, case-insensitive, or a synonym) or Chinese name (as printed in a
 * table, or without its bracketed note); -1 if unknown. */
int std_wparam_find(const char *s, size_t n);

/* 环办〔2011〕22号 Table 1: status of a GB 3838 class 1..6 (优 优 良好 轻度污染 中度污染 重度污染).
 */
const char *std_wq_status(int cls);

/* 环办〔2011〕22号 Table 2 thresholds (percent): p13 >= excellent → 优; >= good → 良好; else by
 * p6: < light → 轻度污染, < moderate → 中度污染, else 重度污染. */
struct std_river_grading {
    int excellent, good, light, moderate;
    const char *status[5];
    const char *source;
};
const struct std_river_grading *std_river_grading(void);

/* Near-shore grading (nearshore_grading.csv), percent thresholds. */
struct std_sea_grading {
    int p12_excellent, p12_good, p12_fair, p4x_fair, p123_fair, p4x_poor, p4x_bad;
    const char *status[5]; /* 优 良好 一般 差 极差 */
    const char *source;
};
const struct std_sea_grading *std_sea_grading(void);

/* CWQI single-indicator rows (环办监测〔2017〕51号): Cs = class III limit × 10^9. */
enum std_cwqi_kind { STD_CWQI_RATIO, STD_CWQI_DO, STD_CWQI_PH };
struct std_cwqi_row {
    const char *key; /* "TP_river" */
    int param;
    bool lake_only, river_only;
    enum std_cwqi_kind kind;
    int64_t cs;
};
size_t std_cwqi_rows(const struct std_cwqi_row **ret);

/* TLI (环办〔2011〕22号): TLI(j) = 10 (a + b ln x), weight W (× 10^4), grades. */
struct std_tli_row {
    const char *key; /* chla TP TN SD CODMn */
    int param;       /* -1 for chla and SD when no table names them */
    double a, b;
    int64_t w; /* × 10^4 */
    int64_t r; /* correlation × 10^2 */
};
struct std_tli {
    struct std_tli_row row[5];
    int64_t bound[4]; /* 30 50 60 70, × 10 */
    const char *grade[5];
    const char *source;
};
const struct std_tli *std_tli(void);

/* Black-odorous thresholds (建城〔2015〕130号): for SD, DO, ORP lower values are worse (none if
 * >= t_none, heavy if < t_heavy); for NH3N higher is worse (none if <= t_none, heavy if > t_heavy).
 * Values × 10^9 in the table's unit (SD cm, ORP mV). */
struct std_odor_row {
    const char *key;
    int param;
    bool higher_worse;
    int64_t t_none, t_heavy;
};
size_t std_odor_rows(const struct std_odor_row **ret);

/* GB 15618-2018 farmland.  Land use: paddy (水田), other (其他), orchard (果园, Cu only).  pH band
 * 0: pH <= 5.5, 1: 5.5 < pH <= 6.5, 2: 6.5 < pH <= 7.5, 3: pH > 7.5.  The row for (item, land use,
 * band) has class 1 = screening value and class 2 = control value (STD_WQ_NONE when the standard
 * has none: Cu, Ni, Zn and Table 2). */
enum std_farm_use { STD_FARM_PADDY, STD_FARM_OTHER, STD_FARM_ORCHARD, STD_FARM_NUSE };
int std_farm_band(int64_t ph); /* ph × 10^9 → band 0..3 */
/* Number of farmland items (Table 1 metals then Table 2) and item i for (use, band). */
size_t std_farm_count(void);
const struct std_wq_item *std_farm_item(size_t i, enum std_farm_use use, int band);
const char *std_farm_source(void);
#endif
