/* records.h — record writers shared by the CLI and the HTTP API, so that both print the same keys
 * from one piece of code.  Each function writes one record's fields with fmt (inside a record or
 * an open object/array the caller has begun).  The HTTP tests compare the API records with
 * the CLI's key by key.
 */
#ifndef RECORDS_H
#define RECORDS_H

#include "common/eg_err.h"
#include "fmt/fmt.h"
#include "query/query.h"
#include "store/store.h"

struct store;
struct store_outlet;

/* An outlet of an enterprise as one object of an array: code, name, medium, point, mn, and its
 * device's `status` (online / offline / unknown / none), `last_seen` and `latest` (the newest
 * hourly data set: cn, time, and values by item code and field, as received; null when none). */
int rec_outlet(struct fmt *f, struct store *s, const struct store_outlet *o,
               struct eg_errbuf *eb) EG_MUST_CHECK;

/* The "outlets" array of an enterprise's file: rec_outlet for each of its outlets. */
int rec_outlets(struct fmt *f, struct store *s, const char *uscc,
                struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- enterprise registry (records_enterprise.c) ---- */

struct store_enterprise;
struct store_permit;
struct store_work_item;
struct store_credit;
struct store_grade;

/* An enterprise's keys: uscc, name, industry, region, address, lon, lat (null when unknown),
 * status. */
void rec_enterprise(struct fmt *f, const struct store_enterprise *e);

/* store_work_enterprise_get callback (ud: the struct fmt): rec_enterprise; returns 0. */
int rec_enterprise_cb(void *ud, const struct store_enterprise *e);

/* store_work_permit_each callback (ud: fmt): one object number, class, valid_from, valid_to. */
int rec_permit(void *ud, const struct store_permit *p);

/* store_work_list_each callback (ud: fmt): one object year, list (uscc is not written). */
int rec_list_member(void *ud, const char *uscc, int year, const char *list);

/* store_work_item_each callback (ud: fmt): one object id, kind, title, state, created,
 * amount_yuan. */
int rec_work_item(void *ud, const struct store_work_item *it);

/* store_work_credit_each callback (ud: fmt): one object id, year, score, level, base_level,
 * reasons, rules. */
int rec_credit(void *ud, const struct store_credit *cr);

/* store_work_grade_each callback (ud: fmt): one object year, grade, industry, yellow, orange,
 * red. */
int rec_grade(void *ud, const struct store_grade *g);

/* A `credit list` record's keys: id, uscc, year, score, level, base_level, reasons, rules, inputs,
 * computed. */
void rec_credit_row(struct fmt *f, const struct store_credit *cr);

/* ---- HJ 212 devices (records_device.c) ---- */

struct store_hj212_device;
struct store_hj212_quarantined;
struct store_hj212_alarm;
struct store_hj212_reading;
struct store_hj212_entry;

/* An ISO 8601 (+08:00) time of ms milliseconds since the epoch, with .mmm when not whole. */
void rec_iso_ms(int64_t ms, char *buf, size_t n);

/* key: the ISO 8601 time of s seconds since the epoch, null when s <= 0. */
void rec_time(struct fmt *f, const char *key, int64_t s);

/* The device rows, collected before use (store iterations do not nest); free with
 * rec_dev_vec_free. */
struct rec_dev_vec {
    struct store_hj212_device *v;
    char (*mn)[STORE_HJ212_MN_MAX + 1];
    char (*pw)[STORE_HJ212_PW_MAX + 1];
    char (*point)[33];
    char (*st)[4];
    size_t n, cap;
};

/* store_hj212_device_each callback (ud: a zeroed struct rec_dev_vec): appends a copy of d. */
int rec_dev_collect(void *ud, const struct store_hj212_device *d);

/* Frees the rows of dv (not dv itself). */
void rec_dev_vec_free(struct rec_dev_vec *dv);

/* A copy of a device's gateway state; have is false when the gateway never saw it. */
struct rec_dev_snap {
    struct store_hj212_state st;
    char peer[256];
    bool have;
};

/* Reads the state of the device mn ("" = frames without an MN) into l. */
int rec_dev_snap_take(struct store *s, const char *mn, struct rec_dev_snap *l,
                      struct eg_errbuf *eb) EG_MUST_CHECK;

/* A `device list` row's keys for the registered device d: mn, point, status, last_seen, frames,
 * frames_hour, frames_prev_hour, values, replaced, rejected, quarantined. */
void rec_device_row(struct fmt *f, const struct store_hj212_device *d,
                    const struct rec_dev_snap *l);

/* The same keys for the frames that came without an MN (status "unidentified"). */
void rec_device_nomn_row(struct fmt *f, const struct rec_dev_snap *l);

/* The same keys for an unregistered MN in quarantine (status "unregistered"). */
void rec_quarantined_row(struct fmt *f, const struct store_hj212_quarantined *q);

/* One device's file (`device show`): mn, its registration (d; NULL when unregistered), state
 * from l, rejected_by_reason, quarantine (when any) and its commands. */
int rec_device(struct fmt *f, struct store *s, const char *mn, const struct store_hj212_device *d,
               const struct rec_dev_snap *l, struct eg_errbuf *eb) EG_MUST_CHECK;

/* An alarm's keys: time, kind, mn, point, item, cn, data_time, value, limit, message. */
void rec_alarm(struct fmt *f, const struct store_hj212_alarm *al);

/* One exported value's keys (`data export`): mn, point, cn, time, item, rtd, avg, min, max, cou,
 * flag, from the nent fields ents (all of one item) of reading r. */
void rec_reading_item(struct fmt *f, const struct store_hj212_reading *r, size_t nent,
                      const struct store_hj212_entry *ents);

/* Called with the fields of one item of a reading (at most 64 kept); nonzero stops. */
typedef int rec_item_fn(void *ud, const struct store_hj212_reading *r, size_t nent,
                        const struct store_hj212_entry *ents);

/* Calls item for each item of reading r, in order; returns the first nonzero or a parse error. */
int rec_reading_items(const struct store_hj212_reading *r, rec_item_fn *item, void *ud);

/* ---- water and soil (records_water.c) ---- */

/* The state of a water listing: the fmt, the paging hook, and the sums for its summary record.
 * Zero it, then set f (and row for paging). */
struct rec_water_out {
    struct fmt *f;
    bool (*row)(void *ud); /* NULL, or whether to write the next row (paging) */
    void *row_ud;
    /* summaries */
    long n, ok, cls[7];
    int64_t w_ok, w_all;
    int *pcls;
    int64_t *parea;
    size_t np, capnp;
    const char *bodies[512];
    enum wq_odor bgrade[512][64];
    size_t nbp[512];
    size_t nbody;
};

/* ud of rec_water_drinking_row; summary: one record per city instead of per point. */
struct rec_water_drink_out {
    struct rec_water_out o;
    bool summary;
};

/* ud of rec_water_sf; sea: seawater (GB 3097) rather than groundwater (GB/T 14848). */
struct rec_water_sf_out {
    struct rec_water_out o;
    bool summary, sea;
};

/* A soil plot as rec_water_soil gathers it for the summary. */
struct rec_water_plot {
    char code[40];
    int worst; /* farmland category 'A'..'C' or construction level */
    int64_t area;
    bool measures_ok;
};

/* ud of rec_water_soil; farm: farmland (GB 15618) rather than construction land (GB 36600). */
struct rec_water_soil_out {
    struct rec_water_out o;
    bool summary, farm;
    struct rec_water_plot *plots;
    size_t np, cap;
};

/* The rule set written as `rules` of surface-water records. */
extern const char *const rec_water_rules_surface;

/* key: the date day (days since 1970-01-01) as YYYY-MM-DD. */
void rec_water_day(struct fmt *f, const char *key, int32_t day);

/* The name of class cls (1-based) in table t; NULL when out of range (undetermined). */
const char *rec_water_class_name(const struct std_wq_table *t, int cls);

/* key: num/den as a percentage with two decimals; null when den <= 0. */
void rec_water_pct(struct fmt *f, const char *key, long num, long den);

/* The `water cwqi` record's keys: from, to, cwqi, this; with compare also compare (the year cmp),
 * previous, change_pct, sentence; rules. */
void rec_water_cwqi(struct fmt *f, const struct query_water_cwqi *w, bool compare, long cmp);

/* query_water_sections callback (ud: struct rec_water_out): one `water section` record. */
int rec_water_section(void *ud, const struct query_water_rec *r);

/* query_water_sections callback (ud: struct rec_water_out): adds r to the `water city` sums;
 * writes nothing. */
int rec_water_city(void *ud, const struct query_water_rec *r);

/* query_water_rivers callback (ud: struct rec_water_out): one `water river` record. */
int rec_water_river(void *ud, const struct query_water_river *r);

/* query callback (ud: struct rec_water_drink_out): one `water drinking` record, or (summary)
 * adds r to the sums. */
int rec_water_drinking_row(void *ud, const struct query_water_rec *r);

/* query callback (ud: struct rec_water_out): one `water lake` record. */
int rec_water_lake(void *ud, const struct query_water_rec *r);

/* query callback (ud: struct rec_water_sf_out): one `sea` / `groundwater` record, or (summary)
 * adds r to the sums. */
int rec_water_sf(void *ud, const struct query_water_rec *r);

/* query callback (ud: struct rec_water_out): one `odorous` record, and adds r to the sums. */
int rec_water_odor(void *ud, const struct query_water_rec *r);

/* query callback (ud: struct rec_water_soil_out): one `soil farmland|construction` record, or
 * (summary) adds the plot to plots. */
int rec_water_soil(void *ud, const struct query_water_rec *r);

/* ---- tracked work (records_work.c) ---- */

struct store_work_event;

/* A work item's keys (`work show|list`): id, kind, title, state, state_label, open, unit, person,
 * enterprise, point, round (null when empty), created, updated, due (null when none),
 * amount_yuan. */
void rec_work(struct fmt *f, const struct store_work_item *it);

/* store_work_event_each callback (ud: fmt): one event object seq, at, actor, role, from, to, note,
 * evidence, amount_yuan. */
int rec_work_event(void *ud, const struct store_work_event *ev);

/* The `water city` summary record (from the sums of rec_water_city over q's period); returns
 * the fmt result. */
int rec_water_city_summary(struct rec_water_out *o, const struct query_water *q) EG_MUST_CHECK;

/* The `water drinking --summary` record (rates by count and volume) from x's sums. */
int rec_water_drinking_summary(struct rec_water_drink_out *x,
                               const struct query_water *q) EG_MUST_CHECK;

/* The `sea|groundwater --summary` record (classes, attainment; sea: shares by point and area). */
int rec_water_sf_summary(struct rec_water_sf_out *x, const struct query_water *q) EG_MUST_CHECK;

/* The `odorous --summary` records: one per water body and the "(all)" record. */
int rec_water_odorous_summary(struct rec_water_sf_out *x,
                              const struct query_water *q) EG_MUST_CHECK;

/* The `soil farmland|construction --summary` record (categories and safe-use rate) of x->plots. */
int rec_water_soil_summary(struct rec_water_soil_out *x, const struct query_water *q) EG_MUST_CHECK;

struct wf_kind;
struct sup_stats;

/* A `work stats` record's keys for kind k and year: kind, year, the kind's own counts (hazard,
 * case, compensation), created, closed, open, overdue, reached, moved, moved_yuan, sentence. */
void rec_work_stats(struct fmt *f, const struct wf_kind *k, long year, const struct sup_stats *st,
                    const char *sentence);

/* ---- air (records_air.c) ---- */

/* key: v at scale decimals, null when v is AIR_NA. */
void rec_air_value(struct fmt *f, const char *key, int32_t v, int scale);

/* The index keys aqi, level, category, primary (all null when no AQI); daily names the daily
 * indicators. */
void rec_air_index(struct fmt *f, const struct std_aqi_rules *r, const struct air_index *ix,
                   bool daily);

/* An `air hourly` record's keys: station (city when by_city), time, the index, iaqi, over_range,
 * values, rules. */
void rec_air_hour(struct fmt *f, bool by_city, const struct query_air_hour *h);

/* An `air daily` record's keys: station|city, date, rules, the daily values, the index, iaqi,
 * over_range, dust. */
void rec_air_day(struct fmt *f, bool by_city, const struct query_air_day *d);

/* An `air annual` record's keys: station|city, year, rules, the statistics, days, composite
 * index, the period, limits, exceedances, dust_days, previous and composite_change_pct. */
void rec_air_period(struct fmt *f, bool by_city, const struct query_air_period *p);

/* An `air rank` record's keys: rank (null when unranked), city, composite_index, the ranks,
 * pm25, good_ratio, valid_days, complete. */
void rec_air_rank(struct fmt *f, int rank, const struct query_rank_row *x);

struct store_station;

/* A `stations` record's keys: code, name, city (null when unlisted), lon, lat (4 decimals; null
 * when unknown), background, listed. */
void rec_station(struct fmt *f, const struct store_station *st);

#endif
