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

#endif
