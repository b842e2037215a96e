/* sqlite-int.h — private to src/store/sqlite/: the SQLite connection object and the helpers its
 * files share (schema.c migrations, sqlite.c statements, layouts.c benchmark layouts).
 */
#ifndef STORE_SQLITE_INT_H
#define STORE_SQLITE_INT_H

#include <sqlite3.h>
#include <stdbool.h>

#include "store/store-int.h"

/* A domain's migration steps (schema.c); each domain file defines one and schema.c lists it. */
struct sq__domain {
    const char *name;
    const char *const *steps;
    int nsteps;
};
extern const struct sq__domain sq__domain_air;
extern const struct sq__domain sq__domain_water;
extern const struct sq__domain sq__domain_auth;
extern const struct sq__domain sq__domain_hj212;

/* Bytes of one hourly row's value blob: 24 little-endian int32. */
#define SQ__BLOB_BYTES 96
#define SQ__Q_MAX      32 /* the air statements of sqlite.c */

#define SQ__PREP_SLOTS 256

struct sq__prep_slot {
    const char *sql; /* identity: the address of a static SQL string */
    sqlite3_stmt *st;
};

/* The connection (sqlite.c).  Domain files (one per part of the store) reach the handle and the
 * statement cache through it. */
struct sq_store {
    struct store base; /* first: (struct store *) == (struct sq_store *) */
    sqlite3 *db;
    int version;
    bool busy; /* an iteration is running (its statement is in use) */
    sqlite3_stmt *q[SQ__Q_MAX];
    struct sq__prep_slot prep[SQ__PREP_SLOTS];
    /* last station known to be in the station table, to skip the insert for the next rows */
    char seen[STORE__CODE_MAX + 1];
    unsigned char blob[SQ__BLOB_BYTES];
};

struct sq_store *sq__of(struct store *s);

/* The prepared statement for `sql` — a string with static storage, identified by its address —
 * prepared on first use and kept for the connection's life; returned reset with no bindings.
 * NULL with the error in eb when it cannot be prepared. */
sqlite3_stmt *sq__prep(struct sq_store *d, const char *sql, struct eg_errbuf *eb);

/* Record sqlite3_errmsg(db) under `what` in eb; returns EG_EDB. */
int sq__err(sqlite3 *db, struct eg_errbuf *eb, const char *what);
/* Connection pragmas common to the store and the layout lab (see the comment in sqlite.c). */
int sq__pragmas(sqlite3 *db, bool readonly, struct eg_errbuf *eb) EG_MUST_CHECK;
/* Bring every domain of an empty or older database to its latest version, one transaction per
 * step; read-only: only check.  *ret_version is the sum of the domains' versions afterwards. */
int sq__migrate(sqlite3 *db, bool readonly, int *ret_version, struct eg_errbuf *eb) EG_MUST_CHECK;

void sq__blob_encode(const int32_t v[24], unsigned char out[SQ__BLOB_BYTES]);
void sq__blob_decode(const unsigned char in[SQ__BLOB_BYTES], int32_t v[24]);

/* ---- hj212 domain (hj212.c): the ops members behind store_hj212_* ---- */
int sq__hj212_device_put(struct store *s, const struct store_hj212_device *d, struct eg_errbuf *eb);
int sq__hj212_device_each(struct store *s, const char *mn, store_hj212_device_cb cb, void *ud,
                          struct eg_errbuf *eb);
int sq__hj212_state_put(struct store *s, const struct store_hj212_state *st, struct eg_errbuf *eb);
int sq__hj212_state_each(struct store *s, const char *mn, store_hj212_state_cb cb, void *ud,
                         struct eg_errbuf *eb);
int sq__hj212_reading_put(struct store *s, const struct store_hj212_reading *r, int *ret_values,
                          int *ret_replaced, struct eg_errbuf *eb);
int sq__hj212_reading_each(struct store *s, int64_t from_ms, int64_t to_ms, const char *mn,
                           const char *point, store_hj212_reading_cb cb, void *ud,
                           struct eg_errbuf *eb);
int sq__hj212_quarantine_put(struct store *s, const char *mn, const char *peer, int64_t received_s,
                             const char *frame, size_t frame_len, struct eg_errbuf *eb);
int sq__hj212_quarantine_each(struct store *s, const char *mn, store_hj212_quarantine_cb cb,
                              void *ud, struct eg_errbuf *eb);
int sq__hj212_limit_put(struct store *s, const char *point, const char *item, const char *max,
                        struct eg_errbuf *eb);
int sq__hj212_limit_each(struct store *s, store_hj212_limit_cb cb, void *ud, struct eg_errbuf *eb);
int sq__hj212_alarm_add(struct store *s, const struct store_hj212_alarm *a, struct eg_errbuf *eb);
int sq__hj212_alarm_each(struct store *s, int64_t from_s, int64_t to_s, const char *mn,
                         store_hj212_alarm_cb cb, void *ud, struct eg_errbuf *eb);
int sq__hj212_cmd_add(struct store *s, const char *mn, int cn, const char *cp, int64_t *ret_id,
                      struct eg_errbuf *eb);
int sq__hj212_cmd_update(struct store *s, const struct store_hj212_cmd *c, struct eg_errbuf *eb);
int sq__hj212_cmd_each(struct store *s, int64_t id, const char *state, store_hj212_cmd_cb cb,
                       void *ud, struct eg_errbuf *eb);
int sq__hj212_durable(struct store *s, struct eg_errbuf *eb);
int sq__hj212_registry_stamp(struct store *s, int64_t *ret, struct eg_errbuf *eb);

/* ---- auth domain (auth.c): the ops members behind store_user_*, _session_*, _token_*, _audit_* */
int sq__user_add(struct store *s, const struct store_user *u, int64_t *ret_id,
                 struct eg_errbuf *eb);
int sq__user_get(struct store *s, const char *name, int64_t id, struct store_user *ret,
                 struct eg_errbuf *eb);
int sq__user_update(struct store *s, const struct store_user *u, struct eg_errbuf *eb);
int sq__user_each(struct store *s, int64_t changed_since, store_user_cb cb, void *ud,
                  struct eg_errbuf *eb);
int sq__session_put(struct store *s, const struct store_session *se, struct eg_errbuf *eb);
int sq__session_get(struct store *s, const unsigned char id[32], int64_t now,
                    struct store_session *ret, struct eg_errbuf *eb);
int sq__session_del(struct store *s, const unsigned char *id, int64_t user, int64_t now,
                    struct eg_errbuf *eb);
int sq__token_put(struct store *s, const struct store_token *t, struct eg_errbuf *eb);
int sq__token_get(struct store *s, const unsigned char id[32], struct store_token *ret,
                  struct eg_errbuf *eb);
int sq__audit_add(struct store *s, const struct store_audit *a, int64_t *ret_id,
                  struct eg_errbuf *eb);
int sq__audit_each(struct store *s, int64_t since, int64_t after_id, long limit, store_audit_cb cb,
                   void *ud, struct eg_errbuf *eb);

/* ---- work domain (work.c): the ops of the supervision domain ---- */
extern const struct sq__domain sq__domain_work;
int sq__work_enterprise_put(struct store *s, const struct store_enterprise *e,
                            struct eg_errbuf *eb);
int sq__work_enterprise_each(struct store *s, const struct store_ent_filter *f,
                             store_enterprise_cb cb, void *ud, struct eg_errbuf *eb);
int sq__work_enterprise_get(struct store *s, const char *uscc, store_enterprise_cb cb, void *ud,
                            struct eg_errbuf *eb);
int sq__work_enterprise_count(struct store *s, const struct store_ent_filter *f, long *ret,
                              struct eg_errbuf *eb);
int sq__work_list_put(struct store *s, const char *uscc, int year, const char *list,
                      struct eg_errbuf *eb);
int sq__work_list_each(struct store *s, const char *uscc, store_list_cb cb, void *ud,
                       struct eg_errbuf *eb);
int sq__work_permit_put(struct store *s, const struct store_permit *p, struct eg_errbuf *eb);
int sq__work_permit_each(struct store *s, const char *uscc, store_permit_cb cb, void *ud,
                         struct eg_errbuf *eb);
int sq__work_outlet_put(struct store *s, const struct store_outlet *o, struct eg_errbuf *eb);
int sq__work_outlet_each(struct store *s, const char *uscc, store_outlet_cb cb, void *ud,
                         struct eg_errbuf *eb);
int sq__work_item_new(struct store *s, const struct store_work_item *it,
                      const struct store_work_event *ev, int64_t *ret_id, struct eg_errbuf *eb);
int sq__work_event_add(struct store *s, const struct store_work_event *ev, bool open,
                       struct eg_errbuf *eb);
int sq__work_item_get(struct store *s, int64_t id, store_work_item_cb cb, void *ud,
                      struct eg_errbuf *eb);
int sq__work_event_each(struct store *s, int64_t item, store_work_event_cb cb, void *ud,
                        struct eg_errbuf *eb);
int sq__work_item_each(struct store *s, const struct store_work_filter *f, store_work_item_cb cb,
                       void *ud, struct eg_errbuf *eb);
int sq__work_item_count(struct store *s, const struct store_work_filter *f, long *ret,
                        struct eg_errbuf *eb);
int sq__work_group(struct store *s, const struct store_work_filter *f, enum store_work_by by,
                   store_work_group_cb cb, void *ud, struct eg_errbuf *eb);
int sq__work_reached(struct store *s, const char *kind, int64_t created_from, int64_t created_to,
                     int64_t before, store_work_state_cb cb, void *ud, struct eg_errbuf *eb);
int sq__work_moved(struct store *s, const char *kind, int64_t from, int64_t to_t,
                   store_work_state_cb cb, void *ud, struct eg_errbuf *eb);
int sq__work_period(struct store *s, const char *kind, int64_t from, int64_t to_t,
                    store_work_state_cb reached, store_work_state_cb moved, void *ud,
                    struct eg_errbuf *eb);
int sq__work_credit_put(struct store *s, const struct store_credit *c, int64_t *ret_id,
                        struct eg_errbuf *eb);
int sq__work_credit_each(struct store *s, const char *uscc, store_credit_cb cb, void *ud,
                         struct eg_errbuf *eb);
int sq__work_credit_event_add(struct store *s, const char *uscc, int64_t at, const char *type,
                              const char *note, struct eg_errbuf *eb);
int sq__work_credit_event_each(struct store *s, const char *uscc, store_credit_event_cb cb,
                               void *ud, struct eg_errbuf *eb);
int sq__work_inspector_put(struct store *s, const char *code, const char *name, const char *unit,
                           bool active, struct eg_errbuf *eb);
int sq__work_inspector_each(struct store *s, store_inspector_cb cb, void *ud, struct eg_errbuf *eb);
int sq__work_exclusion_put(struct store *s, const char *inspector, const char *uscc,
                           const char *reason, struct eg_errbuf *eb);
int sq__work_exclusion_each(struct store *s, store_exclusion_cb cb, void *ud, struct eg_errbuf *eb);
int sq__work_draw_put(struct store *s, const struct store_draw *dr, int64_t *ret_id,
                      struct eg_errbuf *eb);
int sq__work_draw_get(struct store *s, int64_t id, store_draw_cb cb, void *ud,
                      struct eg_errbuf *eb);
int sq__work_grade_put(struct store *s, const struct store_grade *g, struct eg_errbuf *eb);
int sq__work_grade_each(struct store *s, const char *uscc, int year, store_grade_cb cb, void *ud,
                        struct eg_errbuf *eb);

/* ---- water domain (water.c) ---- */
int sq__water_point_put(struct store *s, const struct store_water_point *p, struct eg_errbuf *eb);
int sq__water_point_each(struct store *s, const char *kind, store_water_point_cb cb, void *ud,
                         struct eg_errbuf *eb);
int sq__water_sample_put(struct store *s, const char *point, int64_t t,
                         const struct store_water_result *r, size_t n, struct eg_errbuf *eb);
int sq__water_sample_scan(struct store *s, int64_t from, int64_t to, const char *point,
                          store_water_sample_cb cb, void *ud, struct eg_errbuf *eb);
#endif
