/* query.h — the official air figures computed from stored data: loads hourly values from the
 * store, runs the pure evaluation core (eval/air) per station and city, and hands the results to a
 * callback.  The CLI and the HTTP API are thin front ends over these functions.
 *
 * Stations and cities: a city's evaluation stations are its listed stations with 对照点 = N
 * (background stations never enter city values, HJ 663-2013 Table A.2); a city's station count for
 * the 75 %/50 % rule is the number of those stations.  Rule sets follow each evaluated day
 * (std_aqi_rules_for_day) unless the query fixes one.  A period's limits follow its last day.
 */
#ifndef QUERY_H
#define QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/eg_err.h"
#include "eval/air/air.h"
#include "standards/standards.h"
#include "store/store.h"

#define QUERY_MAX_DAYS 3700 /* about ten years in one query */

struct query_air {
    int32_t from, to;            /* natural days, inclusive */
    const char *const *stations; /* restrict to these station codes (nstations = 0: no filter) */
    size_t nstations;
    const char *const *cities; /* restrict to these cities (ncities = 0: no filter) */
    size_t ncities;
    bool by_city;                      /* city values instead of station values */
    const struct std_aqi_rules *rules; /* NULL: the rule set in force on each day */
};

struct query_air_hour {
    const char *who;  /* station code or city name */
    const char *city; /* the station's city (stations only) */
    int64_t stamp;    /* hour stamp (end of the hour), eg_time */
    const struct std_aqi_rules *rules;
    int32_t v[AIR_NPOL];
    struct air_index ix;
};

struct query_air_day {
    const char *who;
    const char *city;
    int32_t day;
    const struct std_aqi_rules *rules;
    struct air_day d;
    struct air_index ix;
    bool dust; /* the city-day is flagged sand-dust */
};

struct query_air_period {
    const char *who;
    const char *city;
    int32_t from, to;
    const struct std_aqi_rules *rules; /* rule set of the last day */
    const struct std_limits *limits;   /* limits of the last day */
    struct air_period p;
    bool has_prev; /* the same period one year earlier has data */
    struct air_period prev;
};

typedef int (*query_air_hour_cb)(void *ud, const struct query_air_hour *h);
typedef int (*query_air_day_cb)(void *ud, const struct query_air_day *d);
typedef int (*query_air_period_cb)(void *ud, const struct query_air_period *p);

/* Hourly AQI for the hours ending q->from 01:00 … q->to+1 00:00, per station or city, ordered by
 * station code (or city) then time.  Returns 0, the callback's non-zero value, or an error. */
int query_air_hourly(struct store *s, const struct query_air *q, query_air_hour_cb cb, void *ud,
                     struct eg_errbuf *eb) EG_MUST_CHECK;

/* Daily values and AQI for the natural days q->from … q->to. */
int query_air_daily(struct store *s, const struct query_air *q, query_air_day_cb cb, void *ud,
                    struct eg_errbuf *eb) EG_MUST_CHECK;

/* Period statistics for q->from … q->to (a year, a month, any range), with the same period of the
 * previous year when `with_prev` and data exist. */
int query_air_period(struct store *s, const struct query_air *q, bool with_prev,
                     query_air_period_cb cb, void *ud, struct eg_errbuf *eb) EG_MUST_CHECK;

/* Cities ranked for a period: composite index ascending (ties at the printed 0.01 share a rank),
 * PM2.5 ascending and good-day ratio descending, each with its own rank (0 = not ranked: the
 * statistic is invalid). */
struct query_rank_row {
    const char *city;
    struct air_period p;
    int rank_composite, rank_pm25, rank_good;
};
typedef int (*query_rank_cb)(void *ud, const struct query_rank_row *rows, size_t n);
int query_air_rank(struct store *s, const struct query_air *q, query_rank_cb cb, void *ud,
                   struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- water, sea, groundwater, black-odorous water and soil (water_query.c) ----
 * Stored sampling results (store_water_*) → period means → eval/water and eval/soil → callback.
 * Periods are Beijing civil days from…to inclusive, optionally split into months or quarters;
 * a point's period mean is the mean of its results in the period (water.h wq_mean).  Strings and
 * structures passed to callbacks are valid only during the call. */

#include "eval/soil/soil.h"
#include "eval/water/water.h"

enum query_water_split { QW_WHOLE, QW_MONTH, QW_QUARTER, QW_YEAR };

struct query_water {
    int32_t from, to;
    const char *const *points; /* only these codes (npoints = 0: all of the kind) */
    size_t npoints;
    const char *level; /* only points of this level ("national"); NULL: all */
    enum query_water_split split;
};

/* One point over one period, for every point-based evaluation. */
struct query_water_rec {
    const struct store_water_point *pt;
    int32_t from, to;
    size_t nsamples;              /* results in the period */
    const struct wq_value *means; /* by parameter (nparam) */
    size_t nparam;
    const struct wq_section *section;   /* water section / river (averaged) */
    const struct wq_sf *sf;             /* sea, groundwater */
    const struct wq_drinking *drinking; /* water drinking */
    const struct wq_tli *tli;           /* water lake */
    const struct wq_odor_point *odor;   /* odorous */
    const struct soil_result *soil;     /* soil: one sampling event (from = to = its day) */
};
typedef int (*query_water_cb)(void *ud, const struct query_water_rec *r);

/* Sections (kind section): class, items over III and the target, status, attainment. */
int query_water_sections(struct store *s, const struct query_water *q, query_water_cb cb, void *ud,
                         struct eg_errbuf *eb) EG_MUST_CHECK;
/* Lake points (kind lake, and sections on lakes): TLI and trophic grade (means in r). */
int query_water_lakes(struct store *s, const struct query_water *q, query_water_cb cb, void *ud,
                      struct eg_errbuf *eb) EG_MUST_CHECK;
/* Sea points (GB 3097, single factor against the target class). */
int query_water_sea(struct store *s, const struct query_water *q, query_water_cb cb, void *ud,
                    struct eg_errbuf *eb) EG_MUST_CHECK;
/* Groundwater wells (GB/T 14848). */
int query_water_wells(struct store *s, const struct query_water *q, query_water_cb cb, void *ud,
                      struct eg_errbuf *eb) EG_MUST_CHECK;
/* Drinking-water sources. */
int query_water_drinking(struct store *s, const struct query_water *q, query_water_cb cb, void *ud,
                         struct eg_errbuf *eb) EG_MUST_CHECK;
/* Black-odorous points (kind odorous). */
int query_water_odorous(struct store *s, const struct query_water *q, query_water_cb cb, void *ud,
                        struct eg_errbuf *eb) EG_MUST_CHECK;
/* Soil: every sampling event of farmland (farmland = true) or construction plots. */
int query_water_soil(struct store *s, const struct query_water *q, bool farmland, query_water_cb cb,
                     void *ud, struct eg_errbuf *eb) EG_MUST_CHECK;

/* River / water-body grading (环办〔2011〕22号 Table 2) over the sections of each water body. */
struct query_water_river {
    const char *body;
    int32_t from, to;
    size_t n, n13, n6;  /* sections judged, in I–III, worse than V */
    size_t ncls[7];     /* sections per class 1..6 */
    const char *status; /* >= 5 sections: by shares; < 5: the averaged section's status */
    bool by_share;
    const struct wq_section *avg; /* < 5 sections: the averaged indicators as one section */
};
typedef int (*query_water_river_cb)(void *ud, const struct query_water_river *r);
int query_water_rivers(struct store *s, const struct query_water *q, query_water_river_cb cb,
                       void *ud, struct eg_errbuf *eb) EG_MUST_CHECK;

/* City CWQI of the period, and of the same period of `compare_year` (0 = none). */
struct query_water_cwqi_part {
    struct wq_cwqi river, lake;
    size_t m, n;  /* river sections, lake points with data */
    int64_t city; /* × 10^9 */
};
struct query_water_cwqi {
    int32_t from, to;
    struct query_water_cwqi_part now;
    bool has_prev;
    int32_t prev_from, prev_to;
    struct query_water_cwqi_part prev;
    int64_t change; /* ΔCWQI %, × 10^2 (has_prev) */
};
int query_water_cwqi(struct store *s, const struct query_water *q, int compare_year,
                     struct query_water_cwqi *ret, struct eg_errbuf *eb) EG_MUST_CHECK;
#endif
