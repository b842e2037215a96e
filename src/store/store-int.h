/* store-int.h — private to src/store/: the back-end vtable behind store.h.
 *
 * store.c validates arguments common to every back-end and dispatches through struct store_ops;
 * a back-end embeds struct store as the FIRST member of its own connection object, so
 * (struct store *) and the back-end's pointer are interchangeable.  Back-end types (sqlite3,
 * PGconn) appear only in the back-end's directory.  Nothing outside src/store/ includes this
 * header except bench/store/ (the layout baseline below).
 */
#ifndef STORE_INT_H
#define STORE_INT_H

#include "store.h"

struct store_ops {
    const char *name; /* "sqlite" */
    void (*close)(struct store *s);
    int (*schema_version)(struct store *s);
    int (*begin)(struct store *s, struct eg_errbuf *eb);
    int (*commit)(struct store *s, struct eg_errbuf *eb);
    void (*rollback)(struct store *s);
    int (*station_put)(struct store *s, const struct store_station *st, struct eg_errbuf *eb);
    int (*station_each)(struct store *s, const char *city, store_station_cb cb, void *ud,
                        struct eg_errbuf *eb);
    int (*air_put)(struct store *s, const char *station, const char *item, int32_t date,
                   const int32_t v[24], struct eg_errbuf *eb);
    /* stations: sorted by strcmp, no duplicates (store.c sorts); n = 0: all stations */
    int (*air_scan)(struct store *s, int32_t date_from, int32_t date_to,
                    const char *const *stations, size_t n, store_air_cb cb, void *ud,
                    struct eg_errbuf *eb);
    int (*air_extent)(struct store *s, int32_t *ret_first, int32_t *ret_last, struct eg_errbuf *eb);
    int (*file_check)(struct store *s, const char *name, const unsigned char digest[32],
                      enum store_file_state *ret, struct eg_errbuf *eb);
    int (*file_done)(struct store *s, const char *name, const unsigned char digest[32], long rows,
                     long values, struct eg_errbuf *eb);
    int (*dust_set)(struct store *s, const char *city, int32_t day, bool on, const char *note,
                    struct eg_errbuf *eb);
    int (*dust_each)(struct store *s, int32_t from, int32_t to, store_dust_cb cb, void *ud,
                     struct eg_errbuf *eb);
    /* hj212 (the HJ 212 gateway; store_hj212.c checks the arguments) */
    int (*hj212_device_put)(struct store *s, const struct store_hj212_device *d,
                            struct eg_errbuf *eb);
    int (*hj212_device_each)(struct store *s, const char *mn, store_hj212_device_cb cb, void *ud,
                             struct eg_errbuf *eb);
    int (*hj212_state_put)(struct store *s, const struct store_hj212_state *st,
                           struct eg_errbuf *eb);
    int (*hj212_state_each)(struct store *s, const char *mn, store_hj212_state_cb cb, void *ud,
                            struct eg_errbuf *eb);
    int (*hj212_reading_put)(struct store *s, const struct store_hj212_reading *r, int *ret_values,
                             int *ret_replaced, struct eg_errbuf *eb);
    int (*hj212_reading_each)(struct store *s, int64_t from_ms, int64_t to_ms, const char *mn,
                              const char *point, store_hj212_reading_cb cb, void *ud,
                              struct eg_errbuf *eb);
    int (*hj212_quarantine_put)(struct store *s, const char *mn, const char *peer,
                                int64_t received_s, const char *frame, size_t frame_len,
                                struct eg_errbuf *eb);
    int (*hj212_quarantine_each)(struct store *s, const char *mn, store_hj212_quarantine_cb cb,
                                 void *ud, struct eg_errbuf *eb);
    int (*hj212_limit_put)(struct store *s, const char *point, const char *item, const char *max,
                           struct eg_errbuf *eb);
    int (*hj212_limit_each)(struct store *s, store_hj212_limit_cb cb, void *ud,
                            struct eg_errbuf *eb);
    int (*hj212_alarm_add)(struct store *s, const struct store_hj212_alarm *a,
                           struct eg_errbuf *eb);
    int (*hj212_alarm_each)(struct store *s, int64_t from_s, int64_t to_s, const char *mn,
                            store_hj212_alarm_cb cb, void *ud, struct eg_errbuf *eb);
    int (*hj212_cmd_add)(struct store *s, const char *mn, int cn, const char *cp, int64_t *ret_id,
                         struct eg_errbuf *eb);
    int (*hj212_cmd_update)(struct store *s, const struct store_hj212_cmd *c, struct eg_errbuf *eb);
    int (*hj212_cmd_each)(struct store *s, int64_t id, const char *state, store_hj212_cmd_cb cb,
                          void *ud, struct eg_errbuf *eb);
    int (*hj212_durable)(struct store *s, struct eg_errbuf *eb);
    int (*hj212_registry_stamp)(struct store *s, int64_t *ret, struct eg_errbuf *eb);
    /* ---- work (supervision; store_work.c, sqlite/work.c) ---- */
    int (*work_enterprise_put)(struct store *s, const struct store_enterprise *e,
                               struct eg_errbuf *eb);
    int (*work_enterprise_each)(struct store *s, const struct store_ent_filter *f,
                                store_enterprise_cb cb, void *ud, struct eg_errbuf *eb);
    int (*work_enterprise_get)(struct store *s, const char *uscc, store_enterprise_cb cb, void *ud,
                               struct eg_errbuf *eb);
    int (*work_enterprise_count)(struct store *s, const struct store_ent_filter *f, long *ret,
                                 struct eg_errbuf *eb);
    int (*work_list_put)(struct store *s, const char *uscc, int year, const char *list,
                         struct eg_errbuf *eb);
    int (*work_list_each)(struct store *s, const char *uscc, store_list_cb cb, void *ud,
                          struct eg_errbuf *eb);
    int (*work_permit_put)(struct store *s, const struct store_permit *p, struct eg_errbuf *eb);
    int (*work_permit_each)(struct store *s, const char *uscc, store_permit_cb cb, void *ud,
                            struct eg_errbuf *eb);
    int (*work_outlet_put)(struct store *s, const struct store_outlet *o, struct eg_errbuf *eb);
    int (*work_outlet_each)(struct store *s, const char *uscc, store_outlet_cb cb, void *ud,
                            struct eg_errbuf *eb);
    int (*work_item_new)(struct store *s, const struct store_work_item *it,
                         const struct store_work_event *ev, int64_t *ret_id, struct eg_errbuf *eb);
    int (*work_event_add)(struct store *s, const struct store_work_event *ev, bool open,
                          struct eg_errbuf *eb);
    int (*work_item_get)(struct store *s, int64_t id, store_work_item_cb cb, void *ud,
                         struct eg_errbuf *eb);
    int (*work_event_each)(struct store *s, int64_t item, store_work_event_cb cb, void *ud,
                           struct eg_errbuf *eb);
    int (*work_item_each)(struct store *s, const struct store_work_filter *f, store_work_item_cb cb,
                          void *ud, struct eg_errbuf *eb);
    int (*work_item_count)(struct store *s, const struct store_work_filter *f, long *ret,
                           struct eg_errbuf *eb);
    int (*work_group)(struct store *s, const struct store_work_filter *f, enum store_work_by by,
                      store_work_group_cb cb, void *ud, struct eg_errbuf *eb);
    int (*work_reached)(struct store *s, const char *kind, int64_t created_from, int64_t created_to,
                        int64_t before, store_work_state_cb cb, void *ud, struct eg_errbuf *eb);
    int (*work_moved)(struct store *s, const char *kind, int64_t from, int64_t to_t,
                      store_work_state_cb cb, void *ud, struct eg_errbuf *eb);
    int (*work_period)(struct store *s, const char *kind, int64_t from, int64_t to_t,
                       store_work_state_cb reached, store_work_state_cb moved, void *ud,
                       struct eg_errbuf *eb);
    int (*work_credit_put)(struct store *s, const struct store_credit *c, int64_t *ret_id,
                           struct eg_errbuf *eb);
    int (*work_credit_each)(struct store *s, const char *uscc, store_credit_cb cb, void *ud,
                            struct eg_errbuf *eb);
    int (*work_credit_event_add)(struct store *s, const char *uscc, int64_t at, const char *type,
                                 const char *note, struct eg_errbuf *eb);
    int (*work_credit_event_each)(struct store *s, const char *uscc, store_credit_event_cb cb,
                                  void *ud, struct eg_errbuf *eb);
    int (*work_inspector_put)(struct store *s, const char *code, const char *name, const char *unit,
                              bool active, struct eg_errbuf *eb);
    int (*work_inspector_each)(struct store *s, store_inspector_cb cb, void *ud,
                               struct eg_errbuf *eb);
    int (*work_exclusion_put)(struct store *s, const char *inspector, const char *uscc,
                              const char *reason, struct eg_errbuf *eb);
    int (*work_exclusion_each)(struct store *s, store_exclusion_cb cb, void *ud,
                               struct eg_errbuf *eb);
    int (*work_draw_put)(struct store *s, const struct store_draw *d, int64_t *ret_id,
                         struct eg_errbuf *eb);
    int (*work_draw_get)(struct store *s, int64_t id, store_draw_cb cb, void *ud,
                         struct eg_errbuf *eb);
    int (*work_grade_put)(struct store *s, const struct store_grade *g, struct eg_errbuf *eb);
    int (*work_grade_each)(struct store *s, const char *uscc, int year, store_grade_cb cb, void *ud,
                           struct eg_errbuf *eb);
    /* auth (accounts, sessions, tokens, audit log; store_auth.c checks the arguments) */
    int (*user_add)(struct store *s, const struct store_user *u, int64_t *ret_id,
                    struct eg_errbuf *eb);
    int (*user_get)(struct store *s, const char *name, int64_t id, struct store_user *ret,
                    struct eg_errbuf *eb);
    int (*user_update)(struct store *s, const struct store_user *u, struct eg_errbuf *eb);
    int (*user_each)(struct store *s, int64_t changed_since, store_user_cb cb, void *ud,
                     struct eg_errbuf *eb);
    int (*session_put)(struct store *s, const struct store_session *se, struct eg_errbuf *eb);
    int (*session_get)(struct store *s, const unsigned char id[32], int64_t now,
                       struct store_session *ret, struct eg_errbuf *eb);
    int (*session_del)(struct store *s, const unsigned char *id, int64_t user, int64_t now,
                       struct eg_errbuf *eb);
    int (*token_put)(struct store *s, const struct store_token *t, struct eg_errbuf *eb);
    int (*token_get)(struct store *s, const unsigned char id[32], struct store_token *ret,
                     struct eg_errbuf *eb);
    int (*audit_add)(struct store *s, const struct store_audit *a, int64_t *ret_id,
                     struct eg_errbuf *eb);
    int (*audit_each)(struct store *s, int64_t since, int64_t after_id, long limit,
                      store_audit_cb cb, void *ud, struct eg_errbuf *eb);
    /* ---- water (store_water.c, sqlite/water.c) ---- */
    int (*water_point_put)(struct store *s, const struct store_water_point *p,
                           struct eg_errbuf *eb);
    int (*water_point_each)(struct store *s, const char *kind, store_water_point_cb cb, void *ud,
                            struct eg_errbuf *eb);
    int (*water_sample_put)(struct store *s, const char *point, int64_t t,
                            const struct store_water_result *r, size_t n, struct eg_errbuf *eb);
    int (*water_sample_scan)(struct store *s, int64_t from, int64_t to, const char *point,
                             store_water_sample_cb cb, void *ud, struct eg_errbuf *eb);
};

struct store {
    const struct store_ops *ops;
};

/* Limits every back-end shares (checked in store.c). */
#define STORE__CODE_MAX 32  /* station code length */
#define STORE__ITEM_MAX 16  /* item code length */
#define STORE__TEXT_MAX 256 /* names, cities, notes */

/* The SQLite back-end (sqlite/sqlite.c). */
int store__sqlite_open(const char *path, unsigned flags, struct store **ret,
                       struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- Layout experiments, for bench/store/ only (sqlite/layouts.c) ----
 * The same hourly rows written in alternative SQLite layouts, so the benchmark can show what the
 * chosen layout buys.  Each opens a fresh database at path with the same pragmas as the store. */
enum store__layout {
    STORE__LAYOUT_PER_VALUE,         /* naive: one row per value, key (station, item, hour) */
    STORE__LAYOUT_BLOB_STATION_ITEM, /* our blob rows keyed (station, item, date) */
};
struct store__lab;
int store__lab_open(const char *path, enum store__layout layout, struct store__lab **ret,
                    struct eg_errbuf *eb) EG_MUST_CHECK;
int store__lab_begin(struct store__lab *l, struct eg_errbuf *eb) EG_MUST_CHECK;
int store__lab_commit(struct store__lab *l, struct eg_errbuf *eb) EG_MUST_CHECK;
/* Write one (station, item, date) row: per-value layout = one INSERT per non-missing slot. */
int store__lab_put(struct store__lab *l, const char *station, const char *item, int32_t date,
                   const int32_t v[24], struct eg_errbuf *eb) EG_MUST_CHECK;
void store__lab_close(struct store__lab *l);

#endif
