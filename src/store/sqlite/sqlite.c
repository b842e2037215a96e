/* sqlite.c — the embedded SQLite back-end of store.h.
 *
 * Every statement is prepared once at open (SQLITE_PREPARE_PERSISTENT) and reused with bound
 * parameters; no SQL is ever built from values.  Hourly air values live one row per (station,
 * date, item) with the 24 hourly slots in a 96-byte blob (schema.c, docs/storage.md): at the
 * ~100 k rows/s SQLite sustains here that is ~2.4 M values/s, where a row per value tops out near
 * 0.2–0.8 M values/s.  A station first seen in air data is added to the station table with
 * listed = 0, so store_station_each reports it and the foreign key holds.
 * Iterations reuse their statement, so a callback must not start another iteration of the same
 * kind (EG_ESTATE) and should not write to the table being iterated.
 */
#include <math.h>
#include <string.h>
#include <time.h>

#include "common/eg_mem.h"
#include "sqlite-int.h"

enum {
    Q_BEGIN,
    Q_COMMIT,
    Q_ROLLBACK,
    Q_STATION_PUT,
    Q_STATION_SEEN,
    Q_STATION_EACH,
    Q_STATION_CODES,
    Q_AIR_PUT,
    Q_AIR_DEL,
    Q_AIR_SCAN,
    Q_AIR_FIRST,
    Q_AIR_LAST,
    Q_FILE_GET,
    Q_FILE_PUT,
    Q_DUST_SET,
    Q_DUST_DEL,
    Q_DUST_EACH,
    Q_N
};

_Static_assert(Q_N <= SQ__Q_MAX, "sq_store.q holds every air statement");

static const char *const sql_text[Q_N] = {
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_STATION_PUT] = "INSERT INTO station(code, name, city, lon, lat, background, listed) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1) ON CONFLICT(code) DO UPDATE SET "
                      "name = excluded.name, city = excluded.city, lon = excluded.lon, "
                      "lat = excluded.lat, background = excluded.background, listed = 1",
    [Q_STATION_SEEN] = "INSERT INTO station(code) VALUES (?1) ON CONFLICT(code) DO NOTHING",
    [Q_STATION_EACH] = "SELECT code, name, city, lon, lat, background, listed FROM station "
                       "WHERE ?1 IS NULL OR city = ?1 ORDER BY code",
    [Q_STATION_CODES] = "SELECT code FROM station ORDER BY code",
    [Q_AIR_PUT] = "INSERT INTO air_hourly(station, date, item, v) VALUES (?1, ?2, ?3, ?4) "
                  "ON CONFLICT(station, date, item) DO UPDATE SET v = excluded.v",
    [Q_AIR_DEL] = "DELETE FROM air_hourly WHERE station = ?1 AND date = ?2 AND item = ?3",
    [Q_AIR_SCAN] = "SELECT date, item, v FROM air_hourly WHERE station = ?1 AND date >= ?2 "
                   "AND date <= ?3 ORDER BY date, item",
    [Q_AIR_FIRST] = "SELECT date FROM air_hourly WHERE station = ?1 ORDER BY date LIMIT 1",
    [Q_AIR_LAST] = "SELECT date FROM air_hourly WHERE station = ?1 ORDER BY date DESC LIMIT 1",
    [Q_FILE_GET] = "SELECT digest FROM import_file WHERE name = ?1",
    [Q_FILE_PUT] = "INSERT INTO import_file(name, digest, rows, vals, imported_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(name) DO UPDATE SET "
                   "digest = excluded.digest, rows = excluded.rows, vals = excluded.vals, "
                   "imported_at = excluded.imported_at",
    [Q_DUST_SET] = "INSERT INTO dust(day, city, note) VALUES (?1, ?2, ?3) "
                   "ON CONFLICT(day, city) DO UPDATE SET note = excluded.note",
    [Q_DUST_DEL] = "DELETE FROM dust WHERE day = ?1 AND city = ?2",
    [Q_DUST_EACH] = "SELECT day, city, note FROM dust WHERE day >= ?1 AND day <= ?2 "
                    "ORDER BY day, city",
};

struct sq_store *sq__of(struct store *s)
{
    return (struct sq_store *)s;
}

#define sq sq__of

sqlite3_stmt *sq__prep(struct sq_store *d, const char *sql, struct eg_errbuf *eb)
{
    size_t h = ((uintptr_t)sql >> 4) % SQ__PREP_SLOTS;
    for (size_t k = 0; k < SQ__PREP_SLOTS; k++) {
        struct sq__prep_slot *p = &d->prep[(h + k) % SQ__PREP_SLOTS];
        if (p->sql == sql) {
            sqlite3_reset(p->st);
            sqlite3_clear_bindings(p->st);
            return p->st;
        }
        if (!p->sql) {
            if (sqlite3_prepare_v3(d->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &p->st, NULL) !=
                SQLITE_OK) {
                sq__err(d->db, eb, "preparing a statement");
                p->st = NULL;
                return NULL;
            }
            p->sql = sql;
            return p->st;
        }
    }
    eg_errf(eb, EG_ELIMIT, "more than %d distinct statements", SQ__PREP_SLOTS);
    return NULL;
}

int sq__err(sqlite3 *db, struct eg_errbuf *eb, const char *what)
{
    return eg_errf(eb, EG_EDB, "%s: %s", what, db ? sqlite3_errmsg(db) : "no database");
}

void sq__blob_encode(const int32_t v[24], unsigned char out[SQ__BLOB_BYTES])
{
    for (int i = 0; i < 24; i++) {
        uint32_t u = (uint32_t)v[i];
        out[4 * i] = (unsigned char)u;
        out[4 * i + 1] = (unsigned char)(u >> 8);
        out[4 * i + 2] = (unsigned char)(u >> 16);
        out[4 * i + 3] = (unsigned char)(u >> 24);
    }
}

void sq__blob_decode(const unsigned char in[SQ__BLOB_BYTES], int32_t v[24])
{
    for (int i = 0; i < 24; i++) {
        uint32_t u = (uint32_t)in[4 * i] | (uint32_t)in[4 * i + 1] << 8 |
                     (uint32_t)in[4 * i + 2] << 16 | (uint32_t)in[4 * i + 3] << 24;
        v[i] = (int32_t)u;
    }
}

/* WAL lets readers (the HTTP server, evaluations) run while an import writes.  synchronous=NORMAL
 * in WAL mode fsyncs only at checkpoints, not at every commit: a power cut may lose the last
 * commits but never corrupts the database.  That is the right trade for us because every bulk
 * import is idempotent — a file's rows and its import_file record commit together, so a lost
 * import is simply redone by running the command again — and it is what lets one-file
 * transactions reach millions of values per second (limits.md: ~4.3 k fsyncs/s on this class of
 * machine).  The larger page cache and mmap serve the national-scale annual scan. */
int sq__pragmas(sqlite3 *db, bool readonly, struct eg_errbuf *eb)
{
    static const char *const rw[] = {
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = NORMAL",
    };
    static const char *const all[] = {
        "PRAGMA foreign_keys = ON",
        "PRAGMA cache_size = -65536", /* KiB: 64 MiB */
        "PRAGMA temp_store = MEMORY",
        "PRAGMA mmap_size = 1073741824",
    };
    if (!readonly)
        for (size_t i = 0; i < sizeof(rw) / sizeof(rw[0]); i++)
            if (sqlite3_exec(db, rw[i], NULL, NULL, NULL) != SQLITE_OK)
                return sq__err(db, eb, rw[i]);
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (sqlite3_exec(db, all[i], NULL, NULL, NULL) != SQLITE_OK)
            return sq__err(db, eb, all[i]);
    return 0;
}

static void sq_close(struct store *s)
{
    struct sq_store *d = sq(s);
    if (d->db && !sqlite3_get_autocommit(d->db))
        sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < Q_N; i++)
        sqlite3_finalize(d->q[i]);
    for (int i = 0; i < SQ__PREP_SLOTS; i++)
        sqlite3_finalize(d->prep[i].st);
    sqlite3_close(d->db);
    eg_free(d);
}

static int sq_schema_version(struct store *s)
{
    return sq(s)->version;
}

/* Run a statement that returns no rows; the statement is reset either way. */
static int run(struct sq_store *d, int q, const char *what, struct eg_errbuf *eb)
{
    sqlite3_stmt *st = d->q[q];
    int rc = sqlite3_step(st);
    int ret = rc == SQLITE_DONE ? 0 : sq__err(d->db, eb, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ret;
}

static int sq_begin(struct store *s, struct eg_errbuf *eb)
{
    struct sq_store *d = sq(s);
    if (!sqlite3_get_autocommit(d->db))
        return eg_errf(eb, EG_ESTATE, "a transaction is already open");
    d->seen[0] = 0;
    return run(d, Q_BEGIN, "beginning a transaction", eb);
}

static int sq_commit(struct store *s, struct eg_errbuf *eb)
{
    struct sq_store *d = sq(s);
    if (sqlite3_get_autocommit(d->db))
        return eg_errf(eb, EG_ESTATE, "no transaction is open");
    int rc = run(d, Q_COMMIT, "committing", eb);
    if (rc && !sqlite3_get_autocommit(d->db)) {
        sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
        d->seen[0] = 0;
    }
    return rc;
}

static void sq_rollback(struct store *s)
{
    struct sq_store *d = sq(s);
    /* the station cache may name a station whose insert is being undone */
    d->seen[0] = 0;
    if (!sqlite3_get_autocommit(d->db))
        (void)run(d, Q_ROLLBACK, "rolling back", NULL);
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* NaN (unknown coordinate) is stored as NULL and read back as NaN. */
static int bind_coord(sqlite3_stmt *st, int i, double v)
{
    return isnan(v) ? sqlite3_bind_null(st, i) : sqlite3_bind_double(st, i, v);
}

static double col_coord(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? (double)NAN : sqlite3_column_double(st, i);
}

static int sq_station_put(struct store *s, const struct store_station *stn, struct eg_errbuf *eb)
{
    struct sq_store *d = sq(s);
    sqlite3_stmt *st = d->q[Q_STATION_PUT];
    if (bind_text(st, 1, stn->code) || bind_text(st, 2, stn->name) || bind_text(st, 3, stn->city) ||
        bind_coord(st, 4, stn->lon) || bind_coord(st, 5, stn->lat) ||
        sqlite3_bind_int(st, 6, stn->background ? 1 : 0))
        return sq__err(d->db, eb, "binding a station");
    return run(d, Q_STATION_PUT, "writing a station", eb);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static int sq_station_each(struct store *s, const char *city, store_station_cb cb, void *ud,
                           struct eg_errbuf *eb)
{
    struct sq_store *d = sq(s);
    sqlite3_stmt *st = d->q[Q_STATION_EACH];
    int rc = 0, src;
    if (d->busy)
        return eg_errf(eb, EG_ESTATE, "a store iteration is already running");
    if (city ? bind_text(st, 1, city) : sqlite3_bind_null(st, 1))
        return sq__err(d->db, eb, "binding a city");
    d->busy = true;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_station stn = {
            .code = col_text(st, 0),
            .name = col_text(st, 1),
            .city = col_text(st, 2),
            .lon = col_coord(st, 3),
            .lat = col_coord(st, 4),
            .background = sqlite3_column_int(st, 5) != 0,
            .listed = sqlite3_column_int(st, 6) != 0,
        };
        if ((rc = cb(ud, &stn)))
            break;
    }
    if (!rc && src != SQLITE_DONE)
        rc = sq__err(d->db, eb, "reading stations");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    d->busy = false;
    return rc;
}

static int sq_air_put(struct store *s, const char *station, const char *item, int32_t date,
                      const int32_t v[24], struct eg_errbuf *eb)
{
    struct sq_store *d = sq(s);
    bool empty = true;
    for (int i = 0; i < 24; i++)
        if (v[i] != STORE_NA) {
            empty = false;
            break;
        }
    if (empty) {
        sqlite3_stmt *st = d->q[Q_AIR_DEL];
        if (bind_text(st, 1, station) || sqlite3_bind_int(st, 2, date) || bind_text(st, 3, item))
            return sq__err(d->db, eb, "binding an air row");
        return run(d, Q_AIR_DEL, "deleting an air row", eb);
    }
    int rc;
    if (strcmp(d->seen, station) != 0) {
        sqlite3_stmt *st = d->q[Q_STATION_SEEN];
        if (bind_text(st, 1, station))
            return sq__err(d->db, eb, "binding a station");
        if ((rc = run(d, Q_STATION_SEEN, "recording a station", eb)))
            return rc;
        /* Outside a transaction the insert has committed; inside, a rollback clears the cache. */
        size_t n = strlen(station);
        memcpy(d->seen, station, n + 1);
    }
    sq__blob_encode(v, d->blob);
    sqlite3_stmt *st = d->q[Q_AIR_PUT];
    if (bind_text(st, 1, station) || sqlite3_bind_int(st, 2, date) || bind_text(st, 3, item) ||
        sqlite3_bind_blob(st, 4, d->blob, SQ__BLOB_BYTES, SQLITE_STATIC))
        return sq__err(d->db, eb, "binding an air row");
    return run(d, Q_AIR_PUT, "writing an air row", eb);
}

/* Rows of one station in [from, to]; the statement is reset before returning. */
static int scan_station(struct sq_store *d, const char *station, int32_t from, int32_t to,
                        store_air_cb cb, void *ud, struct eg_errbuf *eb)
{
    sqlite3_stmt *st = d->q[Q_AIR_SCAN];
    int rc = 0, src;
    int32_t v[24];
    if (bind_text(st, 1, station) || sqlite3_bind_int(st, 2, from) || sqlite3_bind_int(st, 3, to))
        return sq__err(d->db, eb, "binding an air scan");
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const void *b = sqlite3_column_blob(st, 2);
        if (!b || sqlite3_column_bytes(st, 2) != SQ__BLOB_BYTES) {
            rc = eg_errf(eb, EG_EDB, "station %s: air row with a corrupt value blob", station);
            break;
        }
        sq__blob_decode(b, v);
        if ((rc = cb(ud, station, col_text(st, 1), sqlite3_column_int(st, 0), v)))
            break;
    }
    if (!rc && src != SQLITE_DONE)
        rc = sq__err(d->db, eb, "scanning air rows");
    sqlite3_reset(st);
    return rc;
}

/* One prepared statement, bound to one station at a time in code order: each call is a range
 * seek on the primary key, so the rows come out in the promised order with no sort, and a
 * station filter or a short date range costs only the rows it returns. */
static int sq_air_scan(struct store *s, int32_t from, int32_t to, const char *const *stations,
                       size_t n, store_air_cb cb, void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq(s);
    int rc = 0, src;
    if (d->busy)
        return eg_errf(eb, EG_ESTATE, "a store iteration is already running");
    d->busy = true;
    if (n) {
        for (size_t i = 0; i < n && !rc; i++)
            rc = scan_station(d, stations[i], from, to, cb, ud, eb);
    } else {
        sqlite3_stmt *codes = d->q[Q_STATION_CODES];
        while ((src = sqlite3_step(codes)) == SQLITE_ROW) {
            if ((rc = scan_station(d, col_text(codes, 0), from, to, cb, ud, eb)))
                break;
        }
        if (!rc && src != SQLITE_DONE)
            rc = sq__err(d->db, eb, "listing stations");
        sqlite3_reset(codes);
    }
    sqlite3_clear_bindings(d->q[Q_AIR_SCAN]);
    d->busy = false;
    return rc;
}

/* min/max of date per station through the primary key: a seek per station instead of a full
 * table scan (the key does not lead with date). */
static int sq_air_extent(struct store *s, int32_t *ret_first, int32_t *ret_last,
                         struct eg_errbuf *eb)
{
    struct sq_store *d = sq(s);
    sqlite3_stmt *codes = d->q[Q_STATION_CODES];
    sqlite3_stmt *first = d->q[Q_AIR_FIRST], *last = d->q[Q_AIR_LAST];
    int rc = 0, src;
    bool any = false;
    int32_t lo = 0, hi = 0;
    if (d->busy)
        return eg_errf(eb, EG_ESTATE, "a store iteration is already running");
    d->busy = true;
    while ((src = sqlite3_step(codes)) == SQLITE_ROW) {
        const char *code = col_text(codes, 0);
        if (bind_text(first, 1, code) || bind_text(last, 1, code)) {
            rc = sq__err(d->db, eb, "binding a station");
            break;
        }
        int a = sqlite3_step(first), b = sqlite3_step(last);
        if (a == SQLITE_ROW && b == SQLITE_ROW) {
            int32_t f = sqlite3_column_int(first, 0), l = sqlite3_column_int(last, 0);
            if (!any || f < lo)
                lo = f;
            if (!any || l > hi)
                hi = l;
            any = true;
        } else if ((a != SQLITE_ROW && a != SQLITE_DONE) || (b != SQLITE_ROW && b != SQLITE_DONE)) {
            rc = sq__err(d->db, eb, "reading the air date range");
        }
        sqlite3_reset(first);
        sqlite3_reset(last);
        if (rc)
            break;
    }
    if (!rc && src != SQLITE_DONE && src != SQLITE_ROW)
        rc = sq__err(d->db, eb, "listing stations");
    sqlite3_reset(codes);
    sqlite3_clear_bindings(first);
    sqlite3_clear_bindings(last);
    d->busy = false;
    if (rc)
        return rc;
    if (!any)
        return eg_errf(eb, EG_ENOTFOUND, "no air data");
    *ret_first = lo;
    *ret_last = hi;
    return 0;
}

static int sq_file_check(struct store *s, const char *name, const unsigned char digest[32],
                         enum store_file_state *ret, struct eg_errbuf *eb)
{
    struct sq_store *d = sq(s);
    sqlite3_stmt *st = d->q[Q_FILE_GET];
    int rc = 0;
    enum store_file_state state = STORE_FILE_NEW;
    if (bind_text(st, 1, name))
        return sq__err(d->db, eb, "binding a file name");
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        const void *b = sqlite3_column_blob(st, 0);
        state = b && sqlite3_column_bytes(st, 0) == 32 && memcmp(b, digest, 32) == 0
                    ? STORE_FILE_SAME
                    : STORE_FILE_CHANGED;
    } else if (src != SQLITE_DONE) {
        rc = sq__err(d->db, eb, "reading imported files");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (!rc)
        *ret = state;
    return rc;
}

static int sq_file_done(struct store *s, const char *name, const unsigned char digest[32],
                        long rows, long values, struct eg_errbuf *eb)
{
    struct sq_store *d = sq(s);
    sqlite3_stmt *st = d->q[Q_FILE_PUT];
    if (bind_text(st, 1, name) || sqlite3_bind_blob(st, 2, digest, 32, SQLITE_STATIC) ||
        sqlite3_bind_int64(st, 3, rows) || sqlite3_bind_int64(st, 4, values) ||
        sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL)))
        return sq__err(d->db, eb, "binding a file record");
    return run(d, Q_FILE_PUT, "recording an imported file", eb);
}

static int sq_dust_set(struct store *s, const char *city, int32_t day, bool on, const char *note,
                       struct eg_errbuf *eb)
{
    struct sq_store *d = sq(s);
    int q = on ? Q_DUST_SET : Q_DUST_DEL;
    sqlite3_stmt *st = d->q[q];
    if (sqlite3_bind_int(st, 1, day) || bind_text(st, 2, city) || (on && bind_text(st, 3, note)))
        return sq__err(d->db, eb, "binding a dust flag");
    return run(d, q, "writing a dust flag", eb);
}

static int sq_dust_each(struct store *s, int32_t from, int32_t to, store_dust_cb cb, void *ud,
                        struct eg_errbuf *eb)
{
    struct sq_store *d = sq(s);
    sqlite3_stmt *st = d->q[Q_DUST_EACH];
    int rc = 0, src;
    if (d->busy)
        return eg_errf(eb, EG_ESTATE, "a store iteration is already running");
    if (sqlite3_bind_int(st, 1, from) || sqlite3_bind_int(st, 2, to))
        return sq__err(d->db, eb, "binding a dust range");
    d->busy = true;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = cb(ud, col_text(st, 1), sqlite3_column_int(st, 0), col_text(st, 2))))
            break;
    if (!rc && src != SQLITE_DONE)
        rc = sq__err(d->db, eb, "reading dust flags");
    sqlite3_reset(st);
    d->busy = false;
    return rc;
}

static const struct store_ops sq_ops = {
    .name = "sqlite",
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .station_put = sq_station_put,
    .station_each = sq_station_each,
    .air_put = sq_air_put,
    .air_scan = sq_air_scan,
    .air_extent = sq_air_extent,
    .file_check = sq_file_check,
    .file_done = sq_file_done,
    .dust_set = sq_dust_set,
    .dust_each = sq_dust_each,
    .work_enterprise_put = sq__work_enterprise_put,
    .work_enterprise_each = sq__work_enterprise_each,
    .work_enterprise_get = sq__work_enterprise_get,
    .work_enterprise_count = sq__work_enterprise_count,
    .work_list_put = sq__work_list_put,
    .work_list_each = sq__work_list_each,
    .work_permit_put = sq__work_permit_put,
    .work_permit_each = sq__work_permit_each,
    .work_outlet_put = sq__work_outlet_put,
    .work_outlet_each = sq__work_outlet_each,
    .work_item_new = sq__work_item_new,
    .work_event_add = sq__work_event_add,
    .work_item_get = sq__work_item_get,
    .work_event_each = sq__work_event_each,
    .work_item_each = sq__work_item_each,
    .work_item_count = sq__work_item_count,
    .work_group = sq__work_group,
    .work_reached = sq__work_reached,
    .work_moved = sq__work_moved,
    .work_period = sq__work_period,
    .work_credit_put = sq__work_credit_put,
    .work_credit_each = sq__work_credit_each,
    .work_credit_event_add = sq__work_credit_event_add,
    .work_credit_event_each = sq__work_credit_event_each,
    .work_inspector_put = sq__work_inspector_put,
    .work_inspector_each = sq__work_inspector_each,
    .work_exclusion_put = sq__work_exclusion_put,
    .work_exclusion_each = sq__work_exclusion_each,
    .work_draw_put = sq__work_draw_put,
    .work_draw_get = sq__work_draw_get,
    .work_grade_put = sq__work_grade_put,
    .work_grade_each = sq__work_grade_each,
    .hj212_device_put = sq__hj212_device_put,
    .hj212_device_each = sq__hj212_device_each,
    .hj212_state_put = sq__hj212_state_put,
    .hj212_state_each = sq__hj212_state_each,
    .hj212_reading_put = sq__hj212_reading_put,
    .hj212_reading_each = sq__hj212_reading_each,
    .hj212_quarantine_put = sq__hj212_quarantine_put,
    .hj212_quarantine_each = sq__hj212_quarantine_each,
    .hj212_limit_put = sq__hj212_limit_put,
    .hj212_limit_each = sq__hj212_limit_each,
    .hj212_alarm_add = sq__hj212_alarm_add,
    .hj212_alarm_each = sq__hj212_alarm_each,
    .hj212_cmd_add = sq__hj212_cmd_add,
    .hj212_cmd_update = sq__hj212_cmd_update,
    .hj212_cmd_each = sq__hj212_cmd_each,
    .hj212_durable = sq__hj212_durable,
    .hj212_registry_stamp = sq__hj212_registry_stamp,
    .user_add = sq__user_add,
    .user_get = sq__user_get,
    .user_update = sq__user_update,
    .user_each = sq__user_each,
    .session_put = sq__session_put,
    .session_get = sq__session_get,
    .session_del = sq__session_del,
    .token_put = sq__token_put,
    .token_get = sq__token_get,
    .audit_add = sq__audit_add,
    .audit_each = sq__audit_each,
    .water_point_put = sq__water_point_put,
    .water_point_each = sq__water_point_each,
    .water_sample_put = sq__water_sample_put,
    .water_sample_scan = sq__water_sample_scan,
};

int store__sqlite_open(const char *path, unsigned flags, struct store **ret, struct eg_errbuf *eb)
{
    bool ro = flags & STORE_READONLY;
    int rc;
    struct sq_store *d = eg_calloc(1, sizeof(*d));
    if (!d)
        return eg_errf(eb, EG_ENOMEM, "out of memory opening %s", path);
    d->base.ops = &sq_ops;
    int oflags = ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &d->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rc = eg_errf(eb, EG_EDB, "cannot open database %s: %s", path,
                     d->db ? sqlite3_errmsg(d->db) : "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(d->db, 1);
    sqlite3_busy_timeout(d->db, 5000);
    if ((rc = sq__pragmas(d->db, ro, eb)) || (rc = sq__migrate(d->db, ro, &d->version, eb)))
        goto fail;
    for (int i = 0; i < Q_N; i++)
        if (sqlite3_prepare_v3(d->db, sql_text[i], -1, SQLITE_PREPARE_PERSISTENT, &d->q[i], NULL) !=
            SQLITE_OK) {
            rc = sq__err(d->db, eb, "preparing a statement");
            goto fail;
        }
    *ret = &d->base;
    return 0;
fail:
    eg_err_at(eb, path, 0, 0, NULL);
    sq_close(&d->base);
    return rc;
}
