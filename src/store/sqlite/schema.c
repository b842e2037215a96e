/* schema.c — the SQLite schema and its migrations.
 *
 * The version is PRAGMA user_version (0 = empty database).  Migration k (1-based) takes version
 * k-1 to k; each runs in its own BEGIN IMMEDIATE transaction that re-reads the version first, so
 * two processes opening a fresh database at once apply every step exactly once.  Steps are only
 * ever appended: a released step is never edited.  A database newer than this build is refused.
 * docs/storage.md explains the layout.
 */
#include <stdio.h>

#include "sqlite-int.h"

static const char *const migrations[] = {
    /* 1: stations, hourly air rows, imported files, sand-dust days. */
    "CREATE TABLE station ("
    "  code TEXT PRIMARY KEY NOT NULL,"
    "  name TEXT NOT NULL DEFAULT '',"
    "  city TEXT NOT NULL DEFAULT '',"
    "  lon REAL,"
    "  lat REAL,"
    "  background INTEGER NOT NULL DEFAULT 0,"
    "  listed INTEGER NOT NULL DEFAULT 0" /* 1: from the station list; 0: only seen in data */
    ") WITHOUT ROWID;"
    "CREATE INDEX station_city ON station(city);"
    /* One row per (station, date, item); v = 24 LE int32 slots, INT32_MIN = missing.  The key
     * order is the scan order store_air_scan promises, and a one-day file inserts each
     * station's six rows next to each other. */
    "CREATE TABLE air_hourly ("
    "  station TEXT NOT NULL REFERENCES station(code),"
    "  date INTEGER NOT NULL,"
    "  item TEXT NOT NULL,"
    "  v BLOB NOT NULL CHECK (length(v) = 96),"
    "  PRIMARY KEY (station, date, item)"
    ") WITHOUT ROWID;"
    "CREATE TABLE import_file ("
    "  name TEXT PRIMARY KEY NOT NULL,"
    "  digest BLOB NOT NULL," /* BLAKE2b-256 of the content */
    "  rows INTEGER NOT NULL,"
    "  vals INTEGER NOT NULL,"
    "  imported_at INTEGER NOT NULL" /* UTC epoch seconds */
    ") WITHOUT ROWID;"
    "CREATE TABLE dust ("
    "  day INTEGER NOT NULL,"
    "  city TEXT NOT NULL,"
    "  note TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (day, city)"
    ") WITHOUT ROWID;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == SQ__SCHEMA_VERSION,
               "one migration per schema version");

static int read_version(sqlite3 *db, int *ret, struct eg_errbuf *eb)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sq__err(db, eb, "reading the schema version");
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        rc = sq__err(db, eb, "reading the schema version");
        sqlite3_finalize(st);
        return rc;
    }
    *ret = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return 0;
}

static int exec(sqlite3 *db, const char *sql, const char *what, struct eg_errbuf *eb)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sq__err(db, eb, what);
    return 0;
}

int sq__migrate(sqlite3 *db, bool readonly, int *ret_version, struct eg_errbuf *eb)
{
    int rc, v = 0;
    if ((rc = read_version(db, &v, eb)))
        return rc;
    if (v > SQ__SCHEMA_VERSION)
        return eg_errf(eb, EG_ESTATE,
                       "database schema version %d is newer than this envgov knows (%d)", v,
                       SQ__SCHEMA_VERSION);
    if (readonly) {
        if (v != SQ__SCHEMA_VERSION)
            return eg_errf(eb, EG_ESTATE,
                           "database schema version %d, expected %d: open it read-write once to "
                           "migrate",
                           v, SQ__SCHEMA_VERSION);
        *ret_version = v;
        return 0;
    }
    while (v < SQ__SCHEMA_VERSION) {
        if ((rc = exec(db, "BEGIN IMMEDIATE", "starting a migration", eb)))
            return rc;
        if ((rc = read_version(db, &v, eb)))
            goto fail;
        if (v >= SQ__SCHEMA_VERSION) { /* another process migrated meanwhile */
            rc = exec(db, "COMMIT", "ending a migration", eb);
            if (rc)
                goto fail;
            break;
        }
        if ((rc = exec(db, migrations[v], "applying a schema migration", eb)))
            goto fail;
        /* PRAGMA takes no bound parameters; the number is our own constant, not input. */
        char sql[48];
        snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
        if ((rc = exec(db, sql, "recording the schema version", eb)))
            goto fail;
        if ((rc = exec(db, "COMMIT", "committing a migration", eb)))
            goto fail;
        v++;
    }
    *ret_version = v;
    return 0;
fail:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}
