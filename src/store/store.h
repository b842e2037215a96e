/* store.h — envgov's storage interface.  Names no back-end type: the SQLite adapter (sqlite/) is
 * the embedded default; a PostgreSQL adapter comes later behind the same functions.
 *
 * Conventions: functions return 0 or a negative enum eg_err with detail in eb (NULL allowed).
 * Strings passed in are copied; strings passed to callbacks are valid only during the call.
 * A callback returning non-zero stops the iteration, and the function returns that value.
 * Days are eg_time day numbers (Beijing civil dates).  Not thread-safe: one struct store per
 * thread.
 */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/eg_err.h"

struct store;

#define STORE_NA INT32_MIN /* a missing slot in a row of values */

enum store_open_flags {
    STORE_READONLY = 1, /* open an existing database read-only (no migration) */
};

/* Open (creating if needed) and migrate the database at path to the current schema.  WAL mode.
 * On success *ret owns the connection; close it with store_close. */
int store_open(const char *path, unsigned flags, struct store **ret,
               struct eg_errbuf *eb) EG_MUST_CHECK;
/* Close (NULL allowed).  An open transaction is rolled back. */
void store_close(struct store *s);
/* Schema version of the open database. */
int store_schema_version(struct store *s);

/* Transactions (not nested).  Writes outside a transaction commit one by one. */
int store_begin(struct store *s, struct eg_errbuf *eb) EG_MUST_CHECK;
int store_commit(struct store *s, struct eg_errbuf *eb) EG_MUST_CHECK;
void store_rollback(struct store *s);

/* ---- Air stations (the national station list) ---- */

struct store_station {
    const char *code; /* "1604A" */
    const char *name; /* "开发区" */
    const char *city; /* "盘锦" */
    double lon, lat;  /* degrees; NaN = unknown (the list prints "-" or nothing) */
    bool background;  /* 对照点 = Y: never in city values */
    bool listed;      /* in the station list (false: only seen in data) */
};

/* Insert or update a station of the list (listed = true). */
int store_station_put(struct store *s, const struct store_station *st,
                      struct eg_errbuf *eb) EG_MUST_CHECK;

typedef int (*store_station_cb)(void *ud, const struct store_station *st);
/* Every station, ordered by code; city != NULL restricts to that city.  Includes codes seen in air
 * data but absent from the list (listed = false, empty name and city). */
int store_station_each(struct store *s, const char *city, store_station_cb cb, void *ud,
                       struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- Hourly air values ----
 * One row per (station, item, calendar date): 24 slots, slot h = the hourly value stamped date
 * h:00 (the hour ending then; slot 0 belongs to the natural day before).  Values are integers in
 * the item's reporting step (ug/m3; CO 0.1 mg/m3); STORE_NA = missing.  `item` is an HJ 212-2017
 * code ("a34004"). */

/* Replace the row (station, item, date) with v.  A row of 24 STORE_NA deletes it. */
int store_air_put(struct store *s, const char *station, const char *item, int32_t date,
                  const int32_t v[24], struct eg_errbuf *eb) EG_MUST_CHECK;

typedef int (*store_air_cb)(void *ud, const char *station, const char *item, int32_t date,
                            const int32_t v[24]);
/* Rows with date_from <= date <= date_to, ordered by station, then date, then item.
 * stations/nstations restrict to those codes (nstations = 0: all). */
int store_air_scan(struct store *s, int32_t date_from, int32_t date_to, const char *const *stations,
                   size_t nstations, store_air_cb cb, void *ud, struct eg_errbuf *eb) EG_MUST_CHECK;

/* First and last date holding air rows; EG_ENOTFOUND when there are none. */
int store_air_extent(struct store *s, int32_t *ret_first, int32_t *ret_last,
                     struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- Imported files ---- */

enum store_file_state { STORE_FILE_NEW, STORE_FILE_SAME, STORE_FILE_CHANGED };

/* Has a file of this name (base name) been imported, and with this content digest? */
int store_file_check(struct store *s, const char *name, const unsigned char digest[32],
                     enum store_file_state *ret, struct eg_errbuf *eb) EG_MUST_CHECK;
/* Record a successful import (inside the import's transaction). */
int store_file_done(struct store *s, const char *name, const unsigned char digest[32], long rows,
                    long values, struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- Sand-dust flags (扣沙), per city and natural day ---- */

int store_dust_set(struct store *s, const char *city, int32_t day, bool on, const char *note,
                   struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_dust_cb)(void *ud, const char *city, int32_t day, const char *note);
int store_dust_each(struct store *s, int32_t from, int32_t to, store_dust_cb cb, void *ud,
                    struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- work (supervision: enterprise registry, tracked work items, credit, draws, grades) ----
 * The supervision domain (src/supervise/ is its only writer; docs/supervision.md).  Instants are
 * UTC epoch seconds, days are eg_time day numbers, money is integer fen (分).  Codes (USCC,
 * kinds, states, units, lists) are checked for length and printable characters here; their
 * meaning (USCC check character, legal transitions) is checked by supervise before the store is
 * called.  The event log of work items is append-only: there is no function to change or delete
 * an event, and the SQLite schema refuses UPDATE and DELETE on it with a trigger. */

#define STORE_WORK_CODE_MAX 64          /* kinds, states, units, list names, inspector codes */
#define STORE_WORK_TEXT_MAX 2048        /* titles, notes, addresses */
#define STORE_WORK_BLOB_MAX (16u << 20) /* a draw's recorded candidate lists */

struct store_enterprise {
    const char *uscc; /* 18-character unified social credit code */
    const char *name;
    const char *industry; /* GB/T 4754-2017 code, e.g. "2511" */
    const char *region;   /* administrative division name or code, e.g. "兴隆台区" */
    const char *address;
    double lon, lat;    /* NaN = unknown */
    const char *status; /* "active", "closed", "suspended" */
};

struct store_ent_filter {
    const char *region; /* NULL = any */
    const char *status; /* NULL = any */
    const char *list;   /* member of this list in `year` (NULL = any) */
    int year;
    const char *after; /* keyset paging: USCC strictly after this (NULL = from the start) */
    long limit;        /* 0 = no limit */
};

int store_work_enterprise_put(struct store *s, const struct store_enterprise *e,
                              struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_enterprise_cb)(void *ud, const struct store_enterprise *e);
/* Enterprises in USCC order.  EG_ENOTFOUND is never returned; no match = no callback. */
int store_work_enterprise_each(struct store *s, const struct store_ent_filter *f,
                               store_enterprise_cb cb, void *ud,
                               struct eg_errbuf *eb) EG_MUST_CHECK;
/* One enterprise; EG_ENOTFOUND when absent. */
int store_work_enterprise_get(struct store *s, const char *uscc, store_enterprise_cb cb, void *ud,
                              struct eg_errbuf *eb) EG_MUST_CHECK;
int store_work_enterprise_count(struct store *s, const struct store_ent_filter *f, long *ret,
                                struct eg_errbuf *eb) EG_MUST_CHECK;

/* Membership of a year's list ("water_key", "air_key", "soil_key", "vocs_key", "carbon_key",
 * "hazwaste", "emergency", …); idempotent. */
int store_work_list_put(struct store *s, const char *uscc, int year, const char *list,
                        struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_list_cb)(void *ud, const char *uscc, int year, const char *list);
int store_work_list_each(struct store *s, const char *uscc, store_list_cb cb, void *ud,
                         struct eg_errbuf *eb) EG_MUST_CHECK;

struct store_permit {
    const char *number; /* 排污许可证编号 */
    const char *uscc;
    const char *mgmt;   /* 管理类别: "重点管理", "简化管理", "登记管理" */
    int32_t valid_from; /* day */
    int32_t valid_to;   /* day */
};
int store_work_permit_put(struct store *s, const struct store_permit *p,
                          struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_permit_cb)(void *ud, const struct store_permit *p);
int store_work_permit_each(struct store *s, const char *uscc, store_permit_cb cb, void *ud,
                           struct eg_errbuf *eb) EG_MUST_CHECK;

struct store_outlet {
    const char *uscc;
    const char *code; /* outlet code within the enterprise, e.g. "DA001" */
    const char *name;
    const char *medium; /* "air", "water" */
    const char *point;  /* monitoring point code ("" = none) */
    const char *mn;     /* HJ 212 device MN ("" = none) */
};
int store_work_outlet_put(struct store *s, const struct store_outlet *o,
                          struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_outlet_cb)(void *ud, const struct store_outlet *o);
int store_work_outlet_each(struct store *s, const char *uscc, store_outlet_cb cb, void *ud,
                           struct eg_errbuf *eb) EG_MUST_CHECK;

/* A tracked work item.  `state` and `open` mirror the last event (written together with it);
 * statistics are computed from the events. */
struct store_work_item {
    int64_t id; /* assigned by the store */
    const char *kind;
    const char *title;
    const char *state;
    bool open;              /* state is not final */
    const char *unit;       /* owner unit ("" = none) */
    const char *person;     /* owner person ("" = none) */
    const char *enterprise; /* USCC link ("" = none) */
    const char *point;      /* monitoring point link ("" = none) */
    const char *round;      /* inspection round / batch link ("" = none) */
    int64_t created_at;     /* UTC epoch s */
    int64_t updated_at;     /* time of the last event */
    int32_t due;            /* deadline day; INT32_MIN = none */
    int64_t amount_fen;     /* last amount recorded (fine, claim, award); 0 = none */
};

struct store_work_event {
    int64_t item;
    int seq; /* 1, 2, … per item (assigned by the store) */
    const char *kind;
    int64_t at; /* UTC epoch s */
    const char *actor;
    const char *role;
    const char *from; /* "" for the creation event */
    const char *to;
    const char *note;
    const char *evidence; /* hex digest of an evidence file ("" = none) */
    bool has_amount;
    int64_t amount_fen;
};

/* Create an item and its creation event (from "" to it->state) in one transaction of its own
 * unless one is open.  *ret_id = the new id. */
int store_work_item_new(struct store *s, const struct store_work_item *it,
                        const struct store_work_event *ev, int64_t *ret_id,
                        struct eg_errbuf *eb) EG_MUST_CHECK;
/* Append an event and set the item's state, open flag, updated_at (and amount when given).
 * ev->from must equal the item's current state (EG_ESTATE otherwise: a concurrent move). */
int store_work_event_add(struct store *s, const struct store_work_event *ev, bool open,
                         struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_work_item_cb)(void *ud, const struct store_work_item *it);
typedef int (*store_work_event_cb)(void *ud, const struct store_work_event *ev);
/* EG_ENOTFOUND when there is no such item. */
int store_work_item_get(struct store *s, int64_t id, store_work_item_cb cb, void *ud,
                        struct eg_errbuf *eb) EG_MUST_CHECK;
/* The item's events in order (seq). */
int store_work_event_each(struct store *s, int64_t item, store_work_event_cb cb, void *ud,
                          struct eg_errbuf *eb) EG_MUST_CHECK;

struct store_work_filter {
    const char *kind;       /* NULL = any */
    const char *state;      /* NULL = any */
    const char *unit;       /* NULL = any */
    const char *enterprise; /* NULL = any */
    bool overdue;           /* open and due < overdue_day */
    int32_t overdue_day;
    bool created; /* created_from <= created_at < created_to */
    int64_t created_from, created_to;
    int64_t after_id; /* keyset paging: id > after_id */
    long limit;       /* 0 = no limit */
};
/* Items in id order. */
int store_work_item_each(struct store *s, const struct store_work_filter *f, store_work_item_cb cb,
                         void *ud, struct eg_errbuf *eb) EG_MUST_CHECK;
int store_work_item_count(struct store *s, const struct store_work_filter *f, long *ret,
                          struct eg_errbuf *eb) EG_MUST_CHECK;

enum store_work_by { STORE_WORK_BY_STATE, STORE_WORK_BY_UNIT, STORE_WORK_BY_MONTH };
typedef int (*store_work_group_cb)(void *ud, const char *key, long count);
/* Items matching f (kind and created range used; state/unit as filters), counted by current
 * state, by owner unit, or by month of creation ("YYYY-MM", Beijing time). */
int store_work_group(struct store *s, const struct store_work_filter *f, enum store_work_by by,
                     store_work_group_cb cb, void *ud, struct eg_errbuf *eb) EG_MUST_CHECK;

/* Per target state: how many distinct items, and the sum of the events' amounts (fen). */
typedef int (*store_work_state_cb)(void *ud, const char *state, long items, int64_t amount_fen);
/* Items of `kind` created in [created_from, created_to), by each state they reached with an event
 * at a time < before (a state reached twice counts once, its amounts twice). */
int store_work_reached(struct store *s, const char *kind, int64_t created_from, int64_t created_to,
                       int64_t before, store_work_state_cb cb, void *ud,
                       struct eg_errbuf *eb) EG_MUST_CHECK;
/* Events of `kind` with from <= at < to_t, by target state (any creation year). */
int store_work_moved(struct store *s, const char *kind, int64_t from, int64_t to_t,
                     store_work_state_cb cb, void *ud, struct eg_errbuf *eb) EG_MUST_CHECK;

/* Credit ratings (kept with their inputs) and credit events (incident, repair, veto). */
struct store_credit {
    int64_t id;
    const char *uscc;
    int year;
    int64_t score;          /* × 100 */
    const char *level;      /* "green", "blue", "yellow", "red" */
    const char *base_level; /* level from the score alone */
    const char *reasons;    /* veto / downgrade / repair reasons, "; "-separated */
    const char *inputs;     /* the inputs, as JSON text */
    const char *rules;      /* the configuration used (name and source) */
    int64_t computed_at;
};
int store_work_credit_put(struct store *s, const struct store_credit *c, int64_t *ret_id,
                          struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_credit_cb)(void *ud, const struct store_credit *c);
/* uscc NULL = every enterprise's latest rating (one per enterprise, latest computed); else every
 * rating of that enterprise, oldest first. */
int store_work_credit_each(struct store *s, const char *uscc, store_credit_cb cb, void *ud,
                           struct eg_errbuf *eb) EG_MUST_CHECK;
int store_work_credit_event_add(struct store *s, const char *uscc, int64_t at, const char *type,
                                const char *note, struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_credit_event_cb)(void *ud, const char *uscc, int64_t at, const char *type,
                                     const char *note);
int store_work_credit_event_each(struct store *s, const char *uscc, store_credit_event_cb cb,
                                 void *ud, struct eg_errbuf *eb) EG_MUST_CHECK;

/* Inspectors (执法检查人员名录库) and conflict-of-interest exclusions. */
int store_work_inspector_put(struct store *s, const char *code, const char *name, const char *unit,
                             bool active, struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_inspector_cb)(void *ud, const char *code, const char *name, const char *unit,
                                  bool active);
/* In code order. */
int store_work_inspector_each(struct store *s, store_inspector_cb cb, void *ud,
                              struct eg_errbuf *eb) EG_MUST_CHECK;
int store_work_exclusion_put(struct store *s, const char *inspector, const char *uscc,
                             const char *reason, struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_exclusion_cb)(void *ud, const char *inspector, const char *uscc,
                                  const char *reason);
int store_work_exclusion_each(struct store *s, store_exclusion_cb cb, void *ud,
                              struct eg_errbuf *eb) EG_MUST_CHECK;

/* A recorded draw: what is needed to replay it, and its result. */
struct store_draw {
    int64_t id;
    const char *pool;
    long count;
    uint64_t seed;
    const char *algorithm;
    int64_t at;
    const char *candidates; /* enterprise candidates, canonical order, '\n'-separated */
    const char *inspectors; /* inspector candidates and exclusions (supervise's text form) */
    const char *result;     /* the drawn lists (supervise's text form) */
    bool publish;           /* marked for publication (双随机一公开) */
};
int store_work_draw_put(struct store *s, const struct store_draw *d, int64_t *ret_id,
                        struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_draw_cb)(void *ud, const struct store_draw *d);
/* EG_ENOTFOUND when absent. */
int store_work_draw_get(struct store *s, int64_t id, store_draw_cb cb, void *ud,
                        struct eg_errbuf *eb) EG_MUST_CHECK;

/* Heavy-pollution performance grade and emergency measures of an enterprise for a year.
 * Emissions are grams per day; reductions are basis points (1/100 %) per warning level
 * (0 yellow, 1 orange, 2 red) and pollutant (0 SO2, 1 NOx, 2 PM, 3 VOCs). */
struct store_grade {
    const char *uscc;
    int year;
    const char *grade;    /* "A", "B", "B-", "C", "D", "L" (引领性) */
    const char *industry; /* the guide's industry */
    int64_t emis_g[4];
    int32_t cut_bp[3][4];
    const char *measures[3]; /* measure text per level */
};
int store_work_grade_put(struct store *s, const struct store_grade *g,
                         struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_grade_cb)(void *ud, const struct store_grade *g);
/* uscc NULL = every graded enterprise of `year` (year 0 = every year), in USCC order. */
int store_work_grade_each(struct store *s, const char *uscc, int year, store_grade_cb cb, void *ud,
                          struct eg_errbuf *eb) EG_MUST_CHECK;

/* A period's two tallies in one pass over its events: `reached` gets what
 * store_work_reached(kind, from, to_t, to_t) gives (items created in [from, to_t), by each state
 * they reached before to_t) and `moved` what store_work_moved(kind, from, to_t) gives (the
 * events in [from, to_t) by target state), each in state order; an item's events before to_t are
 * all in the period when it was created in it, so one pass serves both (the year statistics).
 * EG_ELIMIT when work item ids span more than 2^28 or more than 4,096 events of the kind share
 * one second; EG_ENOMEM; EG_EDB. */
int store_work_period(struct store *s, const char *kind, int64_t from, int64_t to_t,
                      store_work_state_cb reached, store_work_state_cb moved, void *ud,
                      struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- hj212 (the HJ 212 gateway: devices, readings, quarantine, state, alarms, commands) ----
 * MNs are 1..STORE_HJ212_MN_MAX printable ASCII bytes.  Times are UTC epoch seconds (_s) or
 * milliseconds (_ms); a packet's DataTime (Beijing civil time) is converted at the edge.
 * A reading row holds one frame's values (MN, CN, DataTime) in an opaque blob written and read
 * with the store_hj212_vals_* helpers; docs/storage.md "The hj212 domain" explains why. */

#define STORE_HJ212_MN_MAX   64
#define STORE_HJ212_PW_MAX   32
#define STORE_HJ212_VALS_MAX 16384 /* bytes of one reading's value blob */

struct store_hj212_device {
    const char *mn;
    const char *pw;    /* "" = password not checked */
    const char *point; /* monitoring point code ("" = none) */
    const char *st;    /* system code as registered ("31"), "" = any */
    int protocol;      /* 0 = auto, 2005, 2017 */
    int crc;           /* 0 = HJ 212 Appendix A, 1 = MODBUS, 2 = MODBUS byte-swapped */
    bool enabled;      /* false: frames are rejected like an unknown MN (quarantined) */
};

/* Insert or replace a device. */
int store_hj212_device_put(struct store *s, const struct store_hj212_device *d,
                           struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_hj212_device_cb)(void *ud, const struct store_hj212_device *d);
/* Every device ordered by MN (mn != NULL: only that one; EG_ENOTFOUND if it does not exist). */
int store_hj212_device_each(struct store *s, const char *mn, store_hj212_device_cb cb, void *ud,
                            struct eg_errbuf *eb) EG_MUST_CHECK;

/* Reasons a frame was not stored (counted per device in its state). */
enum store_hj212_rej {
    STORE_HJ212_REJ_PW,         /* wrong password */
    STORE_HJ212_REJ_PARSE,      /* framed and CRC right, data segment malformed */
    STORE_HJ212_REJ_CRC,        /* CRC mismatch */
    STORE_HJ212_REJ_LENGTH,     /* declared length does not match */
    STORE_HJ212_REJ_BAD_LENGTH, /* length field not digits */
    STORE_HJ212_REJ_OVERSIZE,   /* declared length over the cap */
    STORE_HJ212_REJ_TRUNCATED,  /* connection closed inside a frame */
    STORE_HJ212_REJ_STRAY,      /* runs of bytes outside frames */
    STORE_HJ212_REJ_ST,         /* system code differs from the registered one */
    STORE_HJ212_REJ__COUNT
};
/* Short name of a reason ("pw", "crc", …); "?" when out of range. */
const char *store_hj212_rej_name(int reason);

/* Per-device state kept by the gateway (mn "" = connections that never named a device). */
struct store_hj212_state {
    const char *mn;
    bool online;
    const char *peer;     /* address of the current or last connection */
    int64_t connected_s;  /* when the current/last connection named this device */
    int64_t last_seen_s;  /* last frame of any kind, 0 = never */
    int64_t last_data_ms; /* DataTime of the newest hourly (2061) reading, 0 = none */
    int last_cn;
    int64_t frames; /* valid frames */
    int64_t hour_s; /* start of the hour frames_hour counts */
    int64_t frames_hour, frames_prev_hour;
    int64_t values;   /* values stored (each replace counts once more in replaced) */
    int64_t replaced; /* values that replaced one already stored */
    int64_t rej[STORE_HJ212_REJ__COUNT];
};
int store_hj212_state_put(struct store *s, const struct store_hj212_state *st,
                          struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_hj212_state_cb)(void *ud, const struct store_hj212_state *st);
/* Ordered by MN; mn != NULL: only that one (no row: nothing is called, returns 0). */
int store_hj212_state_each(struct store *s, const char *mn, store_hj212_state_cb cb, void *ud,
                           struct eg_errbuf *eb) EG_MUST_CHECK;

/* The value blob: a sequence of (item, field, value) entries, fields of an item contiguous.
 * Build with vals_add into a caller buffer; walk with vals_next. */
struct store_hj212_vals {
    unsigned char *p;
    size_t len, cap;
};
/* Append one entry (item ≤ 255, field ≤ 255, value ≤ 65535 bytes); EG_ELIMIT if it does not fit. */
int store_hj212_vals_add(struct store_hj212_vals *v, const char *item, size_t item_len,
                         const char *field, size_t field_len, const char *value,
                         size_t value_len) EG_MUST_CHECK;
struct store_hj212_entry {
    const char *item, *field, *value; /* views into the blob, not NUL-terminated */
    size_t item_len, field_len, value_len;
};
/* Entry at *pos (start at 0); returns 1 and advances *pos, 0 at the end, EG_EPARSE if corrupt. */
int store_hj212_vals_next(const void *blob, size_t len, size_t *pos, struct store_hj212_entry *ret);

struct store_hj212_reading {
    const char *mn, *point, *st;
    int cn;
    int64_t time_ms;     /* DataTime (UTC epoch ms) */
    int flag;            /* the packet's Flag, -1 = absent */
    int64_t received_ms; /* when the gateway received it */
    const void *vals;    /* blob (store_hj212_vals) */
    size_t vals_len;
};
/* Store a frame's values under (mn, cn, time_ms).  Items already stored under that key are
 * replaced item by item (a re-sent value; sub-packets of one data set merge into one row).
 * *ret_values / *ret_replaced (NULL allowed): items written / of those, items that replaced one. */
int store_hj212_reading_put(struct store *s, const struct store_hj212_reading *r, int *ret_values,
                            int *ret_replaced, struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_hj212_reading_cb)(void *ud, const struct store_hj212_reading *r);
/* Readings with from_ms <= time_ms <= to_ms, ordered by (mn, cn, time); mn / point != NULL
 * restrict (point: the point recorded with the reading). */
int store_hj212_reading_each(struct store *s, int64_t from_ms, int64_t to_ms, const char *mn,
                             const char *point, store_hj212_reading_cb cb, void *ud,
                             struct eg_errbuf *eb) EG_MUST_CHECK;

/* Quarantine: frames from unknown or disabled MNs, kept for review (at most
 * STORE_HJ212_QUARANTINE_PER_MN frames per MN; later ones are only counted). */
#define STORE_HJ212_QUARANTINE_PER_MN 1000
int store_hj212_quarantine_put(struct store *s, const char *mn, const char *peer,
                               int64_t received_s, const char *frame, size_t frame_len,
                               struct eg_errbuf *eb) EG_MUST_CHECK;
struct store_hj212_quarantined {
    const char *mn;
    int64_t frames; /* frames received */
    int64_t first_s, last_s;
    const char *peer;       /* last peer */
    const char *last_frame; /* NUL-terminated copy of the last frame kept */
};
typedef int (*store_hj212_quarantine_cb)(void *ud, const struct store_hj212_quarantined *q);
int store_hj212_quarantine_each(struct store *s, const char *mn, store_hj212_quarantine_cb cb,
                                void *ud, struct eg_errbuf *eb) EG_MUST_CHECK;

/* Exceedance limits per (point, item): max as decimal text (NULL deletes). */
int store_hj212_limit_put(struct store *s, const char *point, const char *item, const char *max,
                          struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_hj212_limit_cb)(void *ud, const char *point, const char *item, const char *max);
int store_hj212_limit_each(struct store *s, store_hj212_limit_cb cb, void *ud,
                           struct eg_errbuf *eb) EG_MUST_CHECK;
/* A number that changes whenever a device or a limit is added, changed or removed (by any
 * connection or process), so that the gateway re-reads its registry only when it changed. */
int store_hj212_registry_stamp(struct store *s, int64_t *ret, struct eg_errbuf *eb) EG_MUST_CHECK;

struct store_hj212_alarm {
    int64_t id;     /* assigned by the store */
    int64_t time_s; /* raised at */
    const char *mn, *point;
    const char *kind; /* "exceed", "missing-hourly" */
    const char *item; /* "" when not about an item */
    int cn;
    int64_t data_ms; /* DataTime concerned */
    const char *value, *limit;
    const char *message;
};
int store_hj212_alarm_add(struct store *s, const struct store_hj212_alarm *a,
                          struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_hj212_alarm_cb)(void *ud, const struct store_hj212_alarm *a);
/* Alarms raised in [from_s, to_s], oldest first; mn != NULL restricts. */
int store_hj212_alarm_each(struct store *s, int64_t from_s, int64_t to_s, const char *mn,
                           store_hj212_alarm_cb cb, void *ud, struct eg_errbuf *eb) EG_MUST_CHECK;

/* Downlink commands queued for the gateway (`envgov device cmd`). */
struct store_hj212_cmd {
    int64_t id;
    const char *mn;
    int cn;
    const char *cp;    /* CP content "k=v;k=v" */
    const char *state; /* "pending", "sent", "ok", "failed", "timeout" */
    const char *qn;    /* QN used on the wire ("" until sent) */
    int tries;
    int qn_rtn, exe_rtn; /* -1 = none yet */
    const char *result;  /* the answer's CP (e.g. SystemTime=…) or an explanation */
    int64_t created_s, updated_s;
};
int store_hj212_cmd_add(struct store *s, const char *mn, int cn, const char *cp, int64_t *ret_id,
                        struct eg_errbuf *eb) EG_MUST_CHECK;
/* Update state, qn, tries, qn_rtn, exe_rtn, result of command c->id. */
int store_hj212_cmd_update(struct store *s, const struct store_hj212_cmd *c,
                           struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_hj212_cmd_cb)(void *ud, const struct store_hj212_cmd *c);
/* Commands by id; id > 0: only that one; state != NULL: only in that state. */
int store_hj212_cmd_each(struct store *s, int64_t id, const char *state, store_hj212_cmd_cb cb,
                         void *ud, struct eg_errbuf *eb) EG_MUST_CHECK;

/* Make every later commit on this connection durable before it returns (the gateway's writer:
 * WAL with synchronous = FULL, so an acknowledged frame survives a power cut). */
int store_hj212_durable(struct store *s, struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- auth: accounts, sessions, API tokens and the audit log (the HTTP API, docs/api.md) ----
 * Times are UTC epoch seconds.  Session and token ids are BLAKE2b-256 digests of the secret the
 * client holds; the secret itself is never stored.  The audit log is append-only: the schema
 * refuses UPDATE and DELETE on it.  store_auth.c checks the arguments. */

#define STORE_AUTH_NAME_MAX  64
#define STORE_AUTH_HASH_MAX  128 /* crypto_pwhash_STRBYTES, NUL included */
#define STORE_AUTH_CSRF_MAX  64
#define STORE_AUTH_AUDIT_MAX (64u << 10) /* before/after text, each */

struct store_user {
    int64_t id;
    char name[STORE_AUTH_NAME_MAX + 1];
    char role[16];       /* admin, staff, leader, enterprise */
    char department[16]; /* staff: air, water, soil, enforcement, monitoring; others "" */
    char enterprise[33]; /* enterprise: its registry code; others "" */
    char hash[STORE_AUTH_HASH_MAX]; /* Argon2id string (libsodium crypto_pwhash_str) */
    bool disabled;
    int64_t created, updated;
};

/* Insert a new account; EG_EEXIST when the name is taken.  *ret_id (may be NULL) gets its id. */
int store_user_add(struct store *s, const struct store_user *u, int64_t *ret_id,
                   struct eg_errbuf *eb) EG_MUST_CHECK;
/* The account named `name` (or, name NULL, with id `id`); EG_ENOTFOUND when there is none. */
int store_user_get(struct store *s, const char *name, int64_t id, struct store_user *ret,
                   struct eg_errbuf *eb) EG_MUST_CHECK;
/* Rewrite role, department, enterprise, hash, disabled and updated of account u->id. */
int store_user_update(struct store *s, const struct store_user *u,
                      struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_user_cb)(void *ud, const struct store_user *u);
/* Accounts with updated >= changed_since, ordered by name. */
int store_user_each(struct store *s, int64_t changed_since, store_user_cb cb, void *ud,
                    struct eg_errbuf *eb) EG_MUST_CHECK;

struct store_session {
    unsigned char id[32]; /* BLAKE2b-256 of the cookie's secret */
    int64_t user;
    char csrf[STORE_AUTH_CSRF_MAX + 1];
    int64_t created, expires;
};
int store_session_put(struct store *s, const struct store_session *se,
                      struct eg_errbuf *eb) EG_MUST_CHECK;
/* The session with this id that has not expired at `now`; EG_ENOTFOUND otherwise. */
int store_session_get(struct store *s, const unsigned char id[32], int64_t now,
                      struct store_session *ret, struct eg_errbuf *eb) EG_MUST_CHECK;
/* Delete one session (id != NULL) or every session of `user` (id NULL); also drops expired ones. */
int store_session_del(struct store *s, const unsigned char *id, int64_t user, int64_t now,
                      struct eg_errbuf *eb) EG_MUST_CHECK;

struct store_token {
    unsigned char id[32]; /* BLAKE2b-256 of the bearer secret */
    int64_t user;
    char label[STORE_AUTH_NAME_MAX + 1];
    int64_t created;
};
int store_token_put(struct store *s, const struct store_token *t,
                    struct eg_errbuf *eb) EG_MUST_CHECK;
/* EG_ENOTFOUND when no token has this id. */
int store_token_get(struct store *s, const unsigned char id[32], struct store_token *ret,
                    struct eg_errbuf *eb) EG_MUST_CHECK;

struct store_audit {
    int64_t id, at;
    const char *who;    /* account name, or "cli:<login>" */
    const char *action; /* "POST /api/users", "user add" */
    const char *target; /* what changed: "user:alice", "dust:盘锦:2023-01-21" */
    const char *before; /* JSON text or NULL */
    const char *after;  /* JSON text or NULL */
    const char *ip;     /* client address or "" */
};
/* Append one entry (a->id and a->at are ignored: the store numbers it and stamps `at`, which the
 * caller gives in a->at when non-zero). */
int store_audit_add(struct store *s, const struct store_audit *a, int64_t *ret_id,
                    struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_audit_cb)(void *ud, const struct store_audit *a);
/* Entries with at >= since and id > after_id, oldest first, at most `limit` (1..10000). */
int store_audit_each(struct store *s, int64_t since, int64_t after_id, long limit,
                     store_audit_cb cb, void *ud, struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- water (points and sampling results of water, sea, groundwater and soil) ----
 * Points of every medium (kind: section source lake sea well farmland construction odorous) and
 * their sampling events: (point, instant) with the results of its items.  Items are named by the
 * keys of the standards' tables (std_wparam: "NH3N", "CODMn", "trichloromethane"); values are
 * × 10^9 in the unit of the standard that evaluates the point, with flag STORE_WATER_ND when below
 * the detection limit (the value is then the detection limit). */

#define STORE_WATER_MAX_ITEMS 256
#define STORE_WATER_ITEM_MAX  48
#define STORE_WATER_ND        1u

struct store_water_point {
    const char *code, *name, *kind;
    const char *water; /* river | lake (sections, sources), ground (groundwater sources) */
    int target;        /* target class 1..5 (sea 1..4); 0 = none */
    const char *level; /* national provincial city county … */
    double lon, lat;   /* NaN = unknown */
    const char *body;  /* water body: river, lake or sea area name */
    const char *county;
    int64_t supply;       /* supply volume × 10^9 (drinking sources), 0 = unknown */
    int64_t area;         /* represented area × 10^9 (sea points; plots), 0 = unknown */
    const char *land_use; /* farmland paddy|other|orchard; construction 1|2 */
    int64_t ph;           /* soil pH × 10^9, -1 = unknown */
    int64_t depth;        /* water depth, cm × 10^9 (black-odorous points), 0 = unknown */
    bool measures_ok;     /* safe-use / risk-control measures in place and meeting requirements */
};

/* Insert or update a point. */
int store_water_point_put(struct store *s, const struct store_water_point *p,
                          struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_water_point_cb)(void *ud, const struct store_water_point *p);
/* Every point (of one kind when kind != NULL), ordered by code. */
int store_water_point_each(struct store *s, const char *kind, store_water_point_cb cb, void *ud,
                           struct eg_errbuf *eb) EG_MUST_CHECK;

struct store_water_result {
    const char *item;
    int64_t v;
    uint32_t flags;
};
/* Write the results of one sampling event (point, t = UTC epoch seconds): they replace the same
 * items of a stored event; the event's other items stay. */
int store_water_sample_put(struct store *s, const char *point, int64_t t,
                           const struct store_water_result *r, size_t n,
                           struct eg_errbuf *eb) EG_MUST_CHECK;
typedef int (*store_water_sample_cb)(void *ud, const char *point, int64_t t,
                                     const struct store_water_result *r, size_t n);
/* Events with from <= t <= to, ordered by point then t (point != NULL: that point only). */
int store_water_sample_scan(struct store *s, int64_t from, int64_t to, const char *point,
                            store_water_sample_cb cb, void *ud, struct eg_errbuf *eb) EG_MUST_CHECK;
#endif
