/* layouts.c — alternative SQLite layouts for the hourly air rows, used only by
 * bench/store/bench_import.c to show what the chosen layout buys (docs/storage.md).
 *
 * Same pragmas as the store, statements prepared once, every value bound.  The per-value layout
 * is the naive design: one row per value keyed (station, item, hour stamp), one INSERT each.
 */
#include "common/eg_mem.h"
#include "common/eg_time.h"
#include "sqlite-int.h"

struct store__lab {
    sqlite3 *db;
    enum store__layout layout;
    sqlite3_stmt *put, *begin, *commit;
    unsigned char blob[SQ__BLOB_BYTES];
};

static const char *const lab_schema[] = {
    [STORE__LAYOUT_PER_VALUE] = "CREATE TABLE air_value (station TEXT NOT NULL, item TEXT NOT "
                                "NULL, hour INTEGER NOT NULL, v INTEGER NOT NULL, "
                                "PRIMARY KEY (station, item, hour)) WITHOUT ROWID",
    [STORE__LAYOUT_BLOB_STATION_ITEM] = "CREATE TABLE air_hourly (station TEXT NOT NULL, item "
                                        "TEXT NOT NULL, date INTEGER NOT NULL, v BLOB NOT NULL, "
                                        "PRIMARY KEY (station, item, date)) WITHOUT ROWID",
};

static const char *const lab_put[] = {
    [STORE__LAYOUT_PER_VALUE] = "INSERT INTO air_value(station, item, hour, v) VALUES (?1, ?2, "
                                "?3, ?4) ON CONFLICT(station, item, hour) DO UPDATE SET "
                                "v = excluded.v",
    [STORE__LAYOUT_BLOB_STATION_ITEM] = "INSERT INTO air_hourly(station, item, date, v) VALUES "
                                        "(?1, ?2, ?3, ?4) ON CONFLICT(station, item, date) DO "
                                        "UPDATE SET v = excluded.v",
};

void store__lab_close(struct store__lab *l)
{
    if (!l)
        return;
    sqlite3_finalize(l->put);
    sqlite3_finalize(l->begin);
    sqlite3_finalize(l->commit);
    sqlite3_close(l->db);
    eg_free(l);
}

int store__lab_open(const char *path, enum store__layout layout, struct store__lab **ret,
                    struct eg_errbuf *eb)
{
    int rc;
    if (layout != STORE__LAYOUT_PER_VALUE && layout != STORE__LAYOUT_BLOB_STATION_ITEM)
        return eg_errf(eb, EG_EINVAL, "unknown layout");
    struct store__lab *l = eg_calloc(1, sizeof(*l));
    if (!l)
        return eg_errf(eb, EG_ENOMEM, "out of memory");
    l->layout = layout;
    if (sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = sq__err(l->db, eb, "opening the lab database");
        goto fail;
    }
    if ((rc = sq__pragmas(l->db, false, eb)))
        goto fail;
    if (sqlite3_exec(l->db, lab_schema[layout], NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(l->db, lab_put[layout], -1, SQLITE_PREPARE_PERSISTENT, &l->put, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(l->db, "BEGIN IMMEDIATE", -1, &l->begin, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(l->db, "COMMIT", -1, &l->commit, NULL) != SQLITE_OK) {
        rc = sq__err(l->db, eb, "creating the lab schema");
        goto fail;
    }
    *ret = l;
    return 0;
fail:
    store__lab_close(l);
    return rc;
}

static int step_done(struct store__lab *l, sqlite3_stmt *st, struct eg_errbuf *eb)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : sq__err(l->db, eb, "lab statement");
    sqlite3_reset(st);
    return rc;
}

int store__lab_begin(struct store__lab *l, struct eg_errbuf *eb)
{
    return step_done(l, l->begin, eb);
}

int store__lab_commit(struct store__lab *l, struct eg_errbuf *eb)
{
    return step_done(l, l->commit, eb);
}

int store__lab_put(struct store__lab *l, const char *station, const char *item, int32_t date,
                   const int32_t v[24], struct eg_errbuf *eb)
{
    int rc;
    sqlite3_stmt *st = l->put;
    if (sqlite3_bind_text(st, 1, station, -1, SQLITE_STATIC) ||
        sqlite3_bind_text(st, 2, item, -1, SQLITE_STATIC))
        return sq__err(l->db, eb, "binding");
    if (l->layout == STORE__LAYOUT_BLOB_STATION_ITEM) {
        sq__blob_encode(v, l->blob);
        if (sqlite3_bind_int(st, 3, date) ||
            sqlite3_bind_blob(st, 4, l->blob, SQ__BLOB_BYTES, SQLITE_STATIC))
            return sq__err(l->db, eb, "binding");
        return step_done(l, st, eb);
    }
    for (int h = 0; h < 24; h++) {
        if (v[h] == STORE_NA)
            continue;
        if (sqlite3_bind_int64(st, 3, eg_hour_stamp(date, h)) || sqlite3_bind_int(st, 4, v[h]))
            return sq__err(l->db, eb, "binding");
        if ((rc = step_done(l, st, eb)))
            return rc;
    }
    return 0;
}
