/* schema.c — the SQLite schema and its migrations, per domain.
 *
 * Each domain of the store (air data, the HJ 212 gateway, water and soil, supervision, …) owns an
 * ordered list of migration steps, kept in the file that implements it; its version is recorded in
 * the table schema_domain (name, version).  Step k (1-based) takes a domain from version k-1 to k;
 * each runs in its own BEGIN IMMEDIATE transaction that re-reads the version first, so two
 * processes opening a fresh database at once apply every step exactly once.  Steps are only ever
 * appended: a released step is never edited.  A database whose domain is newer than this build is
 * refused.  Domains are independent, so adding one never renumbers another.  docs/storage.md
 * explains the layout.
 */
#include <stdio.h>

#include "sqlite-int.h"

static const char *const air_steps[] = {
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

const struct sq__domain sq__domain_air = {"air", air_steps,
                                          (int)(sizeof(air_steps) / sizeof(air_steps[0]))};

/* Every domain, in the order their tables may reference each other.  One line per domain. */
static const struct sq__domain *const domains[] = {
    &sq__domain_air, &sq__domain_work, &sq__domain_hj212, &sq__domain_auth, &sq__domain_water,
    /* domains of later parts register here */
};

#define NDOMAINS (sizeof(domains) / sizeof(domains[0]))

static int exec(sqlite3 *db, const char *sql, const char *what, struct eg_errbuf *eb)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sq__err(db, eb, what);
    return 0;
}

/* Version of a domain (0 when absent or when schema_domain does not exist yet). */
static int read_version(sqlite3 *db, const char *domain, int *ret, struct eg_errbuf *eb)
{
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite3_prepare_v2(db, "SELECT version FROM schema_domain WHERE name = ?1", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        /* a fresh database has no schema_domain table yet */
        *ret = 0;
        return 0;
    }
    sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *ret = sqlite3_column_int(st, 0);
    else if (rc == SQLITE_DONE)
        *ret = 0;
    else
        rc = sq__err(db, eb, "reading the schema version");
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : rc;
}

static int write_version(sqlite3 *db, const char *domain, int v, struct eg_errbuf *eb)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "INSERT INTO schema_domain(name, version) VALUES (?1, ?2) "
                                "ON CONFLICT(name) DO UPDATE SET version = excluded.version",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sq__err(db, eb, "recording the schema version");
    sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, v);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : sq__err(db, eb, "recording the schema version");
}

static int migrate_domain(sqlite3 *db, const struct sq__domain *d, bool readonly, int *ret_version,
                          struct eg_errbuf *eb)
{
    int rc, v = 0;
    if ((rc = read_version(db, d->name, &v, eb)))
        return rc;
    if (v > d->nsteps)
        return eg_errf(eb, EG_ESTATE,
                       "database schema of '%s' is at version %d, newer than this envgov knows "
                       "(%d)",
                       d->name, v, d->nsteps);
    if (readonly) {
        if (v != d->nsteps)
            return eg_errf(eb, EG_ESTATE,
                           "database schema of '%s' is at version %d, expected %d: open it "
                           "read-write once to migrate",
                           d->name, v, d->nsteps);
        *ret_version = v;
        return 0;
    }
    while (v < d->nsteps) {
        if ((rc = exec(db, "BEGIN IMMEDIATE", "starting a migration", eb)))
            return rc;
        if ((rc = exec(db,
                       "CREATE TABLE IF NOT EXISTS schema_domain ("
                       "  name TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL"
                       ") WITHOUT ROWID",
                       "creating the schema table", eb)))
            goto fail;
        if ((rc = read_version(db, d->name, &v, eb)))
            goto fail;
        if (v >= d->nsteps) { /* another process migrated meanwhile */
            if ((rc = exec(db, "COMMIT", "ending a migration", eb)))
                goto fail;
            break;
        }
        if ((rc = exec(db, d->steps[v], "applying a schema migration", eb)) ||
            (rc = write_version(db, d->name, v + 1, eb)) ||
            (rc = exec(db, "COMMIT", "committing a migration", eb))) {
            eg_err_at(eb, NULL, 0, 0, d->name);
            goto fail;
        }
        v++;
    }
    *ret_version = v;
    return 0;
fail:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int sq__migrate(sqlite3 *db, bool readonly, int *ret_version, struct eg_errbuf *eb)
{
    int total = 0;
    for (size_t i = 0; i < NDOMAINS; i++) {
        int v = 0, rc = migrate_domain(db, domains[i], readonly, &v, eb);
        if (rc)
            return rc;
        total += v;
    }
    *ret_version = total;
    return 0;
}
