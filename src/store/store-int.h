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
