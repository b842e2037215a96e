/* work.c — the SQLite implementation of the store's "work" domain (supervision): the enterprise
 * registry (一企一档), work items and their event log, credit ratings, inspectors, draws and
 * heavy-pollution performance grades.  docs/supervision.md describes the model.
 *
 * The event log is append-only in the database itself: triggers refuse UPDATE and DELETE on
 * work_event (and DELETE on work_item), so no code path, ours or a user's sqlite3 shell, can
 * rewrite history without dropping the triggers.  Statistics are queries over items and events
 * (no stored counters); the indexes below keep each list, filter and statistics query over
 * 1 M items within 50 ms (bench/bench_supervise.c).  SQL is constant text chosen by which filters
 * are present (so that SQLite can use an index for the leading filter); values are bound.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/eg_mem.h"
#include "common/eg_time.h"
#include "sqlite-int.h"

static const char *const work_steps[] = {
    /* 1: the registry: enterprises, list memberships, permits.  (Steps 1-4 are one schema, split
     * only to keep each SQL text within the 4095 bytes C17 guarantees for a string literal.) */
    "CREATE TABLE ent ("
    "  uscc TEXT PRIMARY KEY NOT NULL,"
    "  name TEXT NOT NULL,"
    "  industry TEXT NOT NULL DEFAULT '',"
    "  region TEXT NOT NULL DEFAULT '',"
    "  address TEXT NOT NULL DEFAULT '',"
    "  lon REAL, lat REAL,"
    "  status TEXT NOT NULL DEFAULT 'active',"
    "  updated_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX ent_region ON ent(region);"
    "CREATE INDEX ent_status ON ent(status);"
    "CREATE TABLE ent_list ("
    "  list TEXT NOT NULL, year INTEGER NOT NULL,"
    "  uscc TEXT NOT NULL REFERENCES ent(uscc),"
    "  PRIMARY KEY (list, year, uscc)"
    ") WITHOUT ROWID;"
    "CREATE INDEX ent_list_uscc ON ent_list(uscc);"
    "CREATE TABLE permit ("
    "  number TEXT PRIMARY KEY NOT NULL,"
    "  uscc TEXT NOT NULL REFERENCES ent(uscc),"
    "  mgmt TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_to INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX permit_uscc ON permit(uscc);",
    /* 2: outlets, work items. */
    "CREATE TABLE outlet ("
    "  uscc TEXT NOT NULL REFERENCES ent(uscc), code TEXT NOT NULL,"
    "  name TEXT NOT NULL DEFAULT '', medium TEXT NOT NULL,"
    "  point TEXT NOT NULL DEFAULT '', mn TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (uscc, code)"
    ") WITHOUT ROWID;"
    "CREATE TABLE work_item ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL, title TEXT NOT NULL, state TEXT NOT NULL,"
    "  open INTEGER NOT NULL,"
    "  unit TEXT NOT NULL DEFAULT '', person TEXT NOT NULL DEFAULT '',"
    "  enterprise TEXT REFERENCES ent(uscc),"
    "  point TEXT NOT NULL DEFAULT '', round TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    "  due INTEGER," /* day number; NULL = none */
    "  amount_fen INTEGER NOT NULL DEFAULT 0,"
    "  nevents INTEGER NOT NULL"
    ");"
    "CREATE INDEX work_item_kind ON work_item(kind);" /* (kind, id): id order within a kind */
    "CREATE INDEX work_item_kind_state ON work_item(kind, state);"
    "CREATE INDEX work_item_state ON work_item(state);"
    "CREATE INDEX work_item_kind_created ON work_item(kind, created_at);"
    "CREATE INDEX work_item_unit ON work_item(unit);"
    "CREATE INDEX work_item_ent ON work_item(enterprise);"
    "CREATE INDEX work_item_overdue ON work_item(due) WHERE open = 1;"
    "CREATE INDEX work_item_kind_overdue ON work_item(kind, due) WHERE open = 1;",
    /* 3: the append-only event log. */
    "CREATE TABLE work_event ("
    "  item INTEGER NOT NULL REFERENCES work_item(id),"
    "  seq INTEGER NOT NULL,"
    "  kind TEXT NOT NULL, at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL, role TEXT NOT NULL,"
    "  from_state TEXT NOT NULL, to_state TEXT NOT NULL,"
    "  note TEXT NOT NULL DEFAULT '', evidence TEXT NOT NULL DEFAULT '',"
    "  amount_fen INTEGER," /* NULL = no amount */
    "  PRIMARY KEY (item, seq)"
    ") WITHOUT ROWID;"
    "CREATE INDEX work_event_kind_at ON work_event(kind, at, to_state, item, amount_fen);"
    "CREATE TRIGGER work_event_no_update BEFORE UPDATE ON work_event "
    "BEGIN SELECT RAISE(ABORT, 'work_event is append-only: events cannot be changed'); END;"
    "CREATE TRIGGER work_event_no_delete BEFORE DELETE ON work_event "
    "BEGIN SELECT RAISE(ABORT, 'work_event is append-only: events cannot be deleted'); END;"
    "CREATE TRIGGER work_item_no_delete BEFORE DELETE ON work_item "
    "BEGIN SELECT RAISE(ABORT, 'work items cannot be deleted (their events are the record)'); "
    "END;",
    /* 4: credit ratings and events, inspectors, draws, performance grades. */
    "CREATE TABLE credit ("
    "  id INTEGER PRIMARY KEY,"
    "  uscc TEXT NOT NULL REFERENCES ent(uscc), year INTEGER NOT NULL,"
    "  score INTEGER NOT NULL, level TEXT NOT NULL, base_level TEXT NOT NULL,"
    "  reasons TEXT NOT NULL, inputs TEXT NOT NULL, rules TEXT NOT NULL,"
    "  computed_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX credit_uscc ON credit(uscc, id);"
    "CREATE TABLE credit_event ("
    "  uscc TEXT NOT NULL REFERENCES ent(uscc), at INTEGER NOT NULL,"
    "  type TEXT NOT NULL, note TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX credit_event_uscc ON credit_event(uscc, at);"
    "CREATE TRIGGER credit_event_no_update BEFORE UPDATE ON credit_event "
    "BEGIN SELECT RAISE(ABORT, 'credit_event is append-only'); END;"
    "CREATE TRIGGER credit_event_no_delete BEFORE DELETE ON credit_event "
    "BEGIN SELECT RAISE(ABORT, 'credit_event is append-only'); END;"
    "CREATE TABLE inspector ("
    "  code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL DEFAULT '',"
    "  unit TEXT NOT NULL DEFAULT '', active INTEGER NOT NULL DEFAULT 1"
    ") WITHOUT ROWID;"
    "CREATE TABLE inspector_exclusion ("
    "  inspector TEXT NOT NULL REFERENCES inspector(code),"
    "  uscc TEXT NOT NULL REFERENCES ent(uscc), reason TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (inspector, uscc)"
    ") WITHOUT ROWID;"
    "CREATE TABLE draw ("
    "  id INTEGER PRIMARY KEY,"
    "  pool TEXT NOT NULL, count INTEGER NOT NULL, seed TEXT NOT NULL,"
    "  algorithm TEXT NOT NULL, at INTEGER NOT NULL,"
    "  candidates TEXT NOT NULL, inspectors TEXT NOT NULL, result TEXT NOT NULL,"
    "  publish INTEGER NOT NULL"
    ");"
    "CREATE TRIGGER draw_no_update BEFORE UPDATE OF pool, count, seed, algorithm, candidates, "
    "inspectors, result ON draw "
    "BEGIN SELECT RAISE(ABORT, 'a recorded draw cannot be changed'); END;"
    "CREATE TABLE grade ("
    "  uscc TEXT NOT NULL REFERENCES ent(uscc), year INTEGER NOT NULL,"
    "  grade TEXT NOT NULL, industry TEXT NOT NULL DEFAULT '',"
    "  so2 INTEGER NOT NULL, nox INTEGER NOT NULL, pm INTEGER NOT NULL, vocs INTEGER NOT NULL,"
    "  cuts TEXT NOT NULL," /* 12 basis-point integers: level-major, pollutant-minor */
    "  m_yellow TEXT NOT NULL, m_orange TEXT NOT NULL, m_red TEXT NOT NULL,"
    "  PRIMARY KEY (uscc, year)"
    ") WITHOUT ROWID;"
    "CREATE INDEX grade_year ON grade(year, uscc);",
    /* 5: the statistics at 1 M items (bench/bench_supervise.c, bench/README-supervise.md):
     * covering indexes, so that each statistic reads index entries in the order it needs them and
     * never a table row.
     * - events by kind, target state, item: a stock's "reached" (every item up to year end) is
     *   one ordered scan per state, distinct items by order;
     * - items by kind, state / unit, creation time: `work stats --by state|unit` counts one range
     *   per state or unit (no sort);
     * - the open items' indexes again with `open` as a column: SQLite (3.40) counts a partial
     *   index as covering only when it holds every column the query names, `open` included, so
     *   without it each overdue count read every overdue item's row. */
    "CREATE INDEX work_event_kind_state ON work_event(kind, to_state, item, at, amount_fen);"
    "CREATE INDEX work_item_kind_state_created ON work_item(kind, state, created_at);"
    "CREATE INDEX work_item_kind_unit_created ON work_item(kind, unit, created_at);"
    "CREATE INDEX work_item_kind_created_open ON work_item(kind, created_at, due, open) "
    "WHERE open = 1;"
    "DROP INDEX work_item_overdue;"
    "CREATE INDEX work_item_overdue_open ON work_item(due, open) WHERE open = 1;"
    "DROP INDEX work_item_kind_overdue;"
    "CREATE INDEX work_item_kind_overdue_open ON work_item(kind, due, open) WHERE open = 1;",
    /* 6: the events that carry an amount (fines, claims, awards: a few per cent), so that a
     * stock's per-state amounts are a short range instead of a sum over every event. */
    ("CREATE INDEX work_event_amount ON work_event(kind, to_state, at, amount_fen) "
     "WHERE amount_fen IS NOT NULL;"), /* (parenthesised: one step, not two; clang asks) */
};

const struct sq__domain sq__domain_work = {"work", work_steps,
                                           (int)(sizeof(work_steps) / sizeof(work_steps[0]))};

/* ---- helpers ---- */

static int bind_t(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

static int bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    return s && *s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

static const char *col_t(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static double col_coord(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? (double)NAN : sqlite3_column_double(st, i);
}

static int bind_coord(sqlite3_stmt *st, int i, double v)
{
    return isnan(v) ? sqlite3_bind_null(st, i) : sqlite3_bind_double(st, i, v);
}

/* Step a statement that returns no rows. */
static int done(struct sq_store *d, sqlite3_stmt *st, const char *what, struct eg_errbuf *eb)
{
    int rc = sqlite3_step(st);
    int ret = rc == SQLITE_DONE ? 0 : sq__err(d->db, eb, what);
    sqlite3_reset(st);
    return ret;
}

/* Iterations share the connection's busy flag with the air statements. */
static int iter_begin(struct sq_store *d, struct eg_errbuf *eb)
{
    if (d->busy)
        return eg_errf(eb, EG_ESTATE, "a store iteration is already running");
    d->busy = true;
    return 0;
}

static int iter_end(struct sq_store *d, sqlite3_stmt *st, int rc, int src, const char *what,
                    struct eg_errbuf *eb)
{
    if (!rc && src != SQLITE_DONE && src != SQLITE_ROW)
        rc = sq__err(d->db, eb, what);
    sqlite3_reset(st);
    d->busy = false;
    return rc;
}

#define PREP(var, sql)                        \
    sqlite3_stmt *var = sq__prep(d, sql, eb); \
    if (!var)                                 \
    return EG_EDB

/* ---- enterprises ---- */

static const char SQL_ENT_PUT[] =
    "INSERT INTO ent(uscc, name, industry, region, address, lon, lat, status, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(uscc) DO UPDATE SET "
    "name = excluded.name, industry = excluded.industry, region = excluded.region, "
    "address = excluded.address, lon = excluded.lon, lat = excluded.lat, "
    "status = excluded.status, updated_at = excluded.updated_at";

int sq__work_enterprise_put(struct store *s, const struct store_enterprise *e, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    PREP(st, SQL_ENT_PUT);
    if (bind_t(st, 1, e->uscc) || bind_t(st, 2, e->name) || bind_t(st, 3, e->industry) ||
        bind_t(st, 4, e->region) || bind_t(st, 5, e->address) || bind_coord(st, 6, e->lon) ||
        bind_coord(st, 7, e->lat) || bind_t(st, 8, e->status) ||
        sqlite3_bind_int64(st, 9, (sqlite3_int64)time(NULL)))
        return sq__err(d->db, eb, "binding an enterprise");
    return done(d, st, "writing an enterprise", eb);
}

#define ENT_COLS "e.uscc, e.name, e.industry, e.region, e.address, e.lon, e.lat, e.status"
#define ENT_TAIL                                                           \
    " AND (?1 IS NULL OR e.region = ?1) AND (?2 IS NULL OR e.status = ?2)" \
    " AND e.uscc > coalesce(?5, '') ORDER BY e.uscc LIMIT ?6"
static const char SQL_ENT_EACH_LIST[] =
    "SELECT " ENT_COLS " FROM ent_list l JOIN ent e ON e.uscc = l.uscc "
    "WHERE l.list = ?3 AND l.year = ?4" ENT_TAIL;
static const char SQL_ENT_EACH[] = "SELECT " ENT_COLS " FROM ent e WHERE 1" ENT_TAIL;
static const char SQL_ENT_COUNT_LIST[] =
    "SELECT count(*) FROM ent_list l JOIN ent e ON e.uscc = l.uscc WHERE l.list = ?3 AND "
    "l.year = ?4 AND (?1 IS NULL OR e.region = ?1) AND (?2 IS NULL OR e.status = ?2)";
static const char SQL_ENT_COUNT[] = "SELECT count(*) FROM ent e WHERE (?1 IS NULL OR e.region = "
                                    "?1) AND (?2 IS NULL OR e.status = ?2)";
static const char SQL_ENT_GET[] = "SELECT " ENT_COLS " FROM ent e WHERE e.uscc = ?1";

static int bind_ent_filter(sqlite3_stmt *st, const struct store_ent_filter *f, bool paging)
{
    static const struct store_ent_filter none;
    if (!f)
        f = &none;
    int rc = bind_t(st, 1, f->region) || bind_t(st, 2, f->status);
    if (f->list)
        rc = rc || bind_t(st, 3, f->list) || sqlite3_bind_int(st, 4, f->year);
    if (paging)
        rc = rc || bind_t(st, 5, f->after) ||
             sqlite3_bind_int64(st, 6, f->limit > 0 ? f->limit : -1);
    return rc;
}

static void read_ent(sqlite3_stmt *st, struct store_enterprise *e)
{
    e->uscc = col_t(st, 0);
    e->name = col_t(st, 1);
    e->industry = col_t(st, 2);
    e->region = col_t(st, 3);
    e->address = col_t(st, 4);
    e->lon = col_coord(st, 5);
    e->lat = col_coord(st, 6);
    e->status = col_t(st, 7);
}

int sq__work_enterprise_each(struct store *s, const struct store_ent_filter *f,
                             store_enterprise_cb cb, void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0, src = SQLITE_DONE;
    PREP(st, f && f->list ? SQL_ENT_EACH_LIST : SQL_ENT_EACH);
    if (bind_ent_filter(st, f, true))
        return sq__err(d->db, eb, "binding an enterprise filter");
    if ((rc = iter_begin(d, eb)))
        return rc;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_enterprise e;
        read_ent(st, &e);
        if ((rc = cb(ud, &e)))
            break;
    }
    return iter_end(d, st, rc, src, "reading enterprises", eb);
}

int sq__work_enterprise_get(struct store *s, const char *uscc, store_enterprise_cb cb, void *ud,
                            struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0;
    PREP(st, SQL_ENT_GET);
    if (bind_t(st, 1, uscc))
        return sq__err(d->db, eb, "binding a USCC");
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        struct store_enterprise e;
        read_ent(st, &e);
        rc = cb(ud, &e);
    } else if (src == SQLITE_DONE) {
        rc = eg_errf(eb, EG_ENOTFOUND, "no enterprise %s in the registry", uscc);
    } else {
        rc = sq__err(d->db, eb, "reading an enterprise");
    }
    sqlite3_reset(st);
    return rc;
}

static int one_count(struct sq_store *d, sqlite3_stmt *st, long *ret, const char *what,
                     struct eg_errbuf *eb)
{
    int src = sqlite3_step(st);
    int rc = 0;
    if (src == SQLITE_ROW)
        *ret = (long)sqlite3_column_int64(st, 0);
    else
        rc = sq__err(d->db, eb, what);
    sqlite3_reset(st);
    return rc;
}

int sq__work_enterprise_count(struct store *s, const struct store_ent_filter *f, long *ret,
                              struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    PREP(st, f && f->list ? SQL_ENT_COUNT_LIST : SQL_ENT_COUNT);
    if (bind_ent_filter(st, f, false))
        return sq__err(d->db, eb, "binding an enterprise filter");
    return one_count(d, st, ret, "counting enterprises", eb);
}

static const char SQL_LIST_PUT[] =
    "INSERT INTO ent_list(list, year, uscc) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
static const char SQL_LIST_EACH[] =
    "SELECT uscc, year, list FROM ent_list WHERE uscc = ?1 ORDER BY year, list";

int sq__work_list_put(struct store *s, const char *uscc, int year, const char *list,
                      struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    PREP(st, SQL_LIST_PUT);
    if (bind_t(st, 1, list) || sqlite3_bind_int(st, 2, year) || bind_t(st, 3, uscc))
        return sq__err(d->db, eb, "binding a list membership");
    return done(d, st, "writing a list membership", eb);
}

int sq__work_list_each(struct store *s, const char *uscc, store_list_cb cb, void *ud,
                       struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0, src;
    PREP(st, SQL_LIST_EACH);
    if (bind_t(st, 1, uscc))
        return sq__err(d->db, eb, "binding a USCC");
    if ((rc = iter_begin(d, eb)))
        return rc;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = cb(ud, col_t(st, 0), sqlite3_column_int(st, 1), col_t(st, 2))))
            break;
    return iter_end(d, st, rc, src, "reading list memberships", eb);
}

static const char SQL_PERMIT_PUT[] =
    "INSERT INTO permit(number, uscc, mgmt, valid_from, valid_to) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT(number) DO UPDATE SET uscc = excluded.uscc, mgmt = excluded.mgmt, "
    "valid_from = excluded.valid_from, valid_to = excluded.valid_to";
static const char SQL_PERMIT_EACH[] = "SELECT number, uscc, mgmt, valid_from, valid_to FROM permit "
                                      "WHERE uscc = ?1 ORDER BY valid_from, number";

int sq__work_permit_put(struct store *s, const struct store_permit *p, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    PREP(st, SQL_PERMIT_PUT);
    if (bind_t(st, 1, p->number) || bind_t(st, 2, p->uscc) || bind_t(st, 3, p->mgmt) ||
        sqlite3_bind_int(st, 4, p->valid_from) || sqlite3_bind_int(st, 5, p->valid_to))
        return sq__err(d->db, eb, "binding a permit");
    return done(d, st, "writing a permit", eb);
}

int sq__work_permit_each(struct store *s, const char *uscc, store_permit_cb cb, void *ud,
                         struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0, src;
    PREP(st, SQL_PERMIT_EACH);
    if (bind_t(st, 1, uscc))
        return sq__err(d->db, eb, "binding a USCC");
    if ((rc = iter_begin(d, eb)))
        return rc;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_permit p = {col_t(st, 0), col_t(st, 1), col_t(st, 2),
                                 sqlite3_column_int(st, 3), sqlite3_column_int(st, 4)};
        if ((rc = cb(ud, &p)))
            break;
    }
    return iter_end(d, st, rc, src, "reading permits", eb);
}

static const char SQL_OUTLET_PUT[] =
    "INSERT INTO outlet(uscc, code, name, medium, point, mn) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT(uscc, code) DO UPDATE SET name = excluded.name, medium = excluded.medium, "
    "point = excluded.point, mn = excluded.mn";
static const char SQL_OUTLET_EACH[] =
    "SELECT uscc, code, name, medium, point, mn FROM outlet WHERE uscc = ?1 ORDER BY code";

int sq__work_outlet_put(struct store *s, const struct store_outlet *o, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    PREP(st, SQL_OUTLET_PUT);
    if (bind_t(st, 1, o->uscc) || bind_t(st, 2, o->code) || bind_t(st, 3, o->name) ||
        bind_t(st, 4, o->medium) || bind_t(st, 5, o->point) || bind_t(st, 6, o->mn))
        return sq__err(d->db, eb, "binding an outlet");
    return done(d, st, "writing an outlet", eb);
}

int sq__work_outlet_each(struct store *s, const char *uscc, store_outlet_cb cb, void *ud,
                         struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0, src;
    PREP(st, SQL_OUTLET_EACH);
    if (bind_t(st, 1, uscc))
        return sq__err(d->db, eb, "binding a USCC");
    if ((rc = iter_begin(d, eb)))
        return rc;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_outlet o = {col_t(st, 0), col_t(st, 1), col_t(st, 2),
                                 col_t(st, 3), col_t(st, 4), col_t(st, 5)};
        if ((rc = cb(ud, &o)))
            break;
    }
    return iter_end(d, st, rc, src, "reading outlets", eb);
}

/* ---- work items and events ---- */

static const char SQL_ITEM_NEW[] =
    "INSERT INTO work_item(kind, title, state, open, unit, person, enterprise, point, round, "
    "created_at, updated_at, due, amount_fen, nevents) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, 0)";
static const char SQL_EVENT_ADD[] =
    "INSERT INTO work_event(item, seq, kind, at, actor, role, from_state, to_state, note, "
    "evidence, amount_fen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char SQL_ITEM_STATE[] = "SELECT state, nevents, kind FROM work_item WHERE id = ?1";
static const char SQL_ITEM_MOVE[] =
    "UPDATE work_item SET state = ?2, open = ?3, updated_at = ?4, nevents = ?5, "
    "amount_fen = CASE WHEN ?6 IS NULL THEN amount_fen ELSE ?6 END WHERE id = ?1";

static int insert_event(struct sq_store *d, const struct store_work_event *ev, int64_t item,
                        int seq, struct eg_errbuf *eb)
{
    PREP(st, SQL_EVENT_ADD);
    if (sqlite3_bind_int64(st, 1, item) || sqlite3_bind_int(st, 2, seq) ||
        bind_t(st, 3, ev->kind) || sqlite3_bind_int64(st, 4, ev->at) || bind_t(st, 5, ev->actor) ||
        bind_t(st, 6, ev->role) || bind_t(st, 7, ev->from) || bind_t(st, 8, ev->to) ||
        bind_t(st, 9, ev->note ? ev->note : "") ||
        bind_t(st, 10, ev->evidence ? ev->evidence : "") ||
        (ev->has_amount ? sqlite3_bind_int64(st, 11, ev->amount_fen) : sqlite3_bind_null(st, 11)))
        return sq__err(d->db, eb, "binding a work event");
    return done(d, st, "appending a work event", eb);
}

/* Run body inside a transaction of its own unless the caller has one open. */
static int tx_begin(struct sq_store *d, bool *own, struct eg_errbuf *eb)
{
    *own = sqlite3_get_autocommit(d->db) != 0;
    if (*own && sqlite3_exec(d->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sq__err(d->db, eb, "beginning a transaction");
    return 0;
}

static int tx_end(struct sq_store *d, bool own, int rc, struct eg_errbuf *eb)
{
    if (!own)
        return rc;
    if (rc) {
        sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    if (sqlite3_exec(d->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        rc = sq__err(d->db, eb, "committing");
        sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return rc;
}

int sq__work_item_new(struct store *s, const struct store_work_item *it,
                      const struct store_work_event *ev, int64_t *ret_id, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    bool own;
    int rc;
    if ((rc = tx_begin(d, &own, eb)))
        return rc;
    sqlite3_stmt *st = sq__prep(d, SQL_ITEM_NEW, eb);
    if (!st) {
        rc = EG_EDB;
        goto out;
    }
    if (bind_t(st, 1, it->kind) || bind_t(st, 2, it->title) || bind_t(st, 3, it->state) ||
        sqlite3_bind_int(st, 4, it->open ? 1 : 0) || bind_t(st, 5, it->unit) ||
        bind_t(st, 6, it->person) || bind_opt(st, 7, it->enterprise) || bind_t(st, 8, it->point) ||
        bind_t(st, 9, it->round) || sqlite3_bind_int64(st, 10, ev->at) ||
        (it->due == INT32_MIN ? sqlite3_bind_null(st, 11) : sqlite3_bind_int(st, 11, it->due)) ||
        sqlite3_bind_int64(st, 12, ev->has_amount ? ev->amount_fen : 0)) {
        rc = sq__err(d->db, eb, "binding a work item");
        goto out;
    }
    if ((rc = done(d, st, "creating a work item", eb)))
        goto out;
    int64_t id = sqlite3_last_insert_rowid(d->db);
    if ((rc = insert_event(d, ev, id, 1, eb)))
        goto out;
    st = sq__prep(d, SQL_ITEM_MOVE, eb);
    if (!st) {
        rc = EG_EDB;
        goto out;
    }
    if (sqlite3_bind_int64(st, 1, id) || bind_t(st, 2, it->state) ||
        sqlite3_bind_int(st, 3, it->open ? 1 : 0) || sqlite3_bind_int64(st, 4, ev->at) ||
        sqlite3_bind_int(st, 5, 1) || sqlite3_bind_null(st, 6)) {
        rc = sq__err(d->db, eb, "binding a work item");
        goto out;
    }
    if ((rc = done(d, st, "creating a work item", eb)))
        goto out;
    *ret_id = id;
out:
    return tx_end(d, own, rc, eb);
}

int sq__work_event_add(struct store *s, const struct store_work_event *ev, bool open,
                       struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    bool own;
    int rc, n = 0;
    if ((rc = tx_begin(d, &own, eb)))
        return rc;
    sqlite3_stmt *st = sq__prep(d, SQL_ITEM_STATE, eb);
    if (!st) {
        rc = EG_EDB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, ev->item);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        if (strcmp(col_t(st, 0), ev->from) != 0)
            rc = eg_errf(eb, EG_ESTATE, "item %lld is in state %s, not %s (moved meanwhile?)",
                         (long long)ev->item, col_t(st, 0), ev->from);
        else if (strcmp(col_t(st, 2), ev->kind) != 0)
            rc = eg_errf(eb, EG_EINVAL, "item %lld is a %s, not a %s", (long long)ev->item,
                         col_t(st, 2), ev->kind);
        n = sqlite3_column_int(st, 1);
    } else if (src == SQLITE_DONE) {
        rc = eg_errf(eb, EG_ENOTFOUND, "no work item %lld", (long long)ev->item);
    } else {
        rc = sq__err(d->db, eb, "reading a work item");
    }
    sqlite3_reset(st);
    if (rc || (rc = insert_event(d, ev, ev->item, n + 1, eb)))
        goto out;
    if (!(st = sq__prep(d, SQL_ITEM_MOVE, eb))) {
        rc = EG_EDB;
        goto out;
    }
    if (sqlite3_bind_int64(st, 1, ev->item) || bind_t(st, 2, ev->to) ||
        sqlite3_bind_int(st, 3, open ? 1 : 0) || sqlite3_bind_int64(st, 4, ev->at) ||
        sqlite3_bind_int(st, 5, n + 1) ||
        (ev->has_amount ? sqlite3_bind_int64(st, 6, ev->amount_fen) : sqlite3_bind_null(st, 6))) {
        rc = sq__err(d->db, eb, "binding a work item");
        goto out;
    }
    rc = done(d, st, "moving a work item", eb);
out:
    return tx_end(d, own, rc, eb);
}

#define ITEM_COLS                                                                          \
    "id, kind, title, state, open, unit, person, coalesce(enterprise, ''), point, round, " \
    "created_at, updated_at, due, amount_fen"

static void read_item(sqlite3_stmt *st, struct store_work_item *it)
{
    it->id = sqlite3_column_int64(st, 0);
    it->kind = col_t(st, 1);
    it->title = col_t(st, 2);
    it->state = col_t(st, 3);
    it->open = sqlite3_column_int(st, 4) != 0;
    it->unit = col_t(st, 5);
    it->person = col_t(st, 6);
    it->enterprise = col_t(st, 7);
    it->point = col_t(st, 8);
    it->round = col_t(st, 9);
    it->created_at = sqlite3_column_int64(st, 10);
    it->updated_at = sqlite3_column_int64(st, 11);
    it->due = sqlite3_column_type(st, 12) == SQLITE_NULL ? INT32_MIN : sqlite3_column_int(st, 12);
    it->amount_fen = sqlite3_column_int64(st, 13);
}

static const char SQL_ITEM_GET[] = "SELECT " ITEM_COLS " FROM work_item WHERE id = ?1";
static const char SQL_EVENT_EACH[] =
    "SELECT item, seq, kind, at, actor, role, from_state, to_state, note, evidence, amount_fen "
    "FROM work_event WHERE item = ?1 ORDER BY seq";

int sq__work_item_get(struct store *s, int64_t id, store_work_item_cb cb, void *ud,
                      struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0;
    PREP(st, SQL_ITEM_GET);
    sqlite3_bind_int64(st, 1, id);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        struct store_work_item it;
        read_item(st, &it);
        rc = cb(ud, &it);
    } else if (src == SQLITE_DONE) {
        rc = eg_errf(eb, EG_ENOTFOUND, "no work item %lld", (long long)id);
    } else {
        rc = sq__err(d->db, eb, "reading a work item");
    }
    sqlite3_reset(st);
    return rc;
}

int sq__work_event_each(struct store *s, int64_t item, store_work_event_cb cb, void *ud,
                        struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0, src;
    PREP(st, SQL_EVENT_EACH);
    sqlite3_bind_int64(st, 1, item);
    if ((rc = iter_begin(d, eb)))
        return rc;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_work_event ev = {
            .item = sqlite3_column_int64(st, 0),
            .seq = sqlite3_column_int(st, 1),
            .kind = col_t(st, 2),
            .at = sqlite3_column_int64(st, 3),
            .actor = col_t(st, 4),
            .role = col_t(st, 5),
            .from = col_t(st, 6),
            .to = col_t(st, 7),
            .note = col_t(st, 8),
            .evidence = col_t(st, 9),
            .has_amount = sqlite3_column_type(st, 10) != SQLITE_NULL,
            .amount_fen = sqlite3_column_int64(st, 10),
        };
        if ((rc = cb(ud, &ev)))
            break;
    }
    return iter_end(d, st, rc, src, "reading work events", eb);
}

/* Filters: the leading condition (the one an index serves) depends on which filters are present;
 * the others follow as optional terms.  Parameters: ?1 kind, ?2 state, ?3 unit, ?5 enterprise,
 * ?6 overdue flag, ?7 overdue day, ?8/?9 created range, ?10 after id, ?11 limit.  When the filters
 * present are exactly the lead's, the "bare" text without the optional terms is used: a query
 * names only the lead's columns, so an index holding them covers it and no table row is read
 * (a count or a year's grouping over 100,000 items then stays within 50 ms at 1 M items). */
#define W_TAIL                                                           \
    " AND (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR state = ?2)"      \
    " AND (?3 IS NULL OR unit = ?3) AND (?5 IS NULL OR enterprise = ?5)" \
    " AND (?6 = 0 OR (open = 1 AND due < ?7))"                           \
    " AND (?8 IS NULL OR (created_at >= ?8 AND created_at < ?9))"
enum {
    V_ENT,
    V_KIND_CREATED_OVERDUE,
    V_KIND_OVERDUE,
    V_OVERDUE,
    V_KIND_STATE,
    V_KIND_CREATED,
    V_KIND,
    V_STATE,
    V_UNIT,
    V_ALL,
    V_N
};
enum { F_KIND = 1, F_STATE = 2, F_UNIT = 4, F_ENT = 8, F_OVERDUE = 16, F_CREATED = 32 };
static const unsigned lead_filters[V_N] = {F_ENT,
                                           F_KIND | F_CREATED | F_OVERDUE,
                                           F_KIND | F_OVERDUE,
                                           F_OVERDUE,
                                           F_KIND | F_STATE,
                                           F_KIND | F_CREATED,
                                           F_KIND,
                                           F_STATE,
                                           F_UNIT,
                                           0};
#define V_LEAD(sel, tail, w)                                                                       \
    {                                                                                              \
        sel "enterprise = ?5" w tail,                                                              \
            sel                                                                                    \
            "open = 1 AND kind = ?1 AND created_at >= ?8 AND created_at < ?9 AND due < ?7" w tail, \
            sel "open = 1 AND kind = ?1 AND due < ?7" w tail, sel "open = 1 AND due < ?7" w tail,  \
            sel "kind = ?1 AND state = ?2" w tail,                                                 \
            sel "kind = ?1 AND created_at >= ?8 AND created_at < ?9" w tail,                       \
            sel "kind = ?1" w tail, sel "state = ?2" w tail, sel "unit = ?3" w tail,               \
            sel "1" w tail                                                                         \
    }
#define V_BOTH(sel, tail)                                \
    {                                                    \
        V_LEAD(sel, tail, W_TAIL), V_LEAD(sel, tail, "") \
    }
static const char *const sql_item_each[2][V_N] =
    V_BOTH("SELECT " ITEM_COLS " FROM work_item WHERE ", " AND id > ?10 ORDER BY id LIMIT ?11");
static const char *const sql_item_count[2][V_N] =
    V_BOTH("SELECT count(*) FROM work_item WHERE ", "");
static const char *const sql_group_state[2][V_N] =
    V_BOTH("SELECT state, count(*) FROM work_item WHERE ", " GROUP BY state ORDER BY state");
static const char *const sql_group_unit[2][V_N] =
    V_BOTH("SELECT unit, count(*) FROM work_item WHERE ", " GROUP BY unit ORDER BY unit");
static const char *const sql_group_month[2][V_N] =
    V_BOTH("SELECT strftime('%Y-%m', created_at + 28800, 'unixepoch') AS m, count(*) "
           "FROM work_item WHERE ",
           " GROUP BY m ORDER BY m");

static const char SQL_COUNT_ALL[] = "SELECT count(*) FROM work_item";

static unsigned filters_of(const struct store_work_filter *f)
{
    return (f->kind ? F_KIND : 0u) | (f->state ? F_STATE : 0u) | (f->unit ? F_UNIT : 0u) |
           (f->enterprise ? F_ENT : 0u) | (f->overdue ? F_OVERDUE : 0u) |
           (f->created ? F_CREATED : 0u);
}

static int variant(const struct store_work_filter *f)
{
    if (f->enterprise)
        return V_ENT;
    if (f->overdue && f->kind && f->created)
        return V_KIND_CREATED_OVERDUE;
    if (f->overdue)
        return f->kind ? V_KIND_OVERDUE : V_OVERDUE;
    if (f->kind && f->state)
        return V_KIND_STATE;
    if (f->kind && f->created)
        return V_KIND_CREATED;
    if (f->kind)
        return V_KIND;
    if (f->state)
        return V_STATE;
    if (f->unit)
        return V_UNIT;
    return V_ALL;
}

/* 1 when the bare text (no optional terms) serves f, 0 for the full one. */
static int bare(const struct store_work_filter *f)
{
    return filters_of(f) == lead_filters[variant(f)];
}

/* A bare text names only some parameters: those past its last one are not bound (SQLite refuses
 * them); the gaps below it may be. */
static int bind_filter(sqlite3_stmt *st, const struct store_work_filter *f, bool paging)
{
    int np = sqlite3_bind_parameter_count(st);
#define B(i, call) ((i) > np ? SQLITE_OK : (call))
    int rc =
        B(1, bind_t(st, 1, f->kind)) || B(2, bind_t(st, 2, f->state)) ||
        B(3, bind_t(st, 3, f->unit)) || B(5, bind_t(st, 5, f->enterprise)) ||
        B(6, sqlite3_bind_int(st, 6, f->overdue ? 1 : 0)) ||
        B(7, sqlite3_bind_int(st, 7, f->overdue_day)) ||
        B(8, f->created ? sqlite3_bind_int64(st, 8, f->created_from) : sqlite3_bind_null(st, 8)) ||
        B(9, sqlite3_bind_int64(st, 9, f->created_to));
    if (paging)
        rc = rc || B(10, sqlite3_bind_int64(st, 10, f->after_id)) ||
             B(11, sqlite3_bind_int64(st, 11, f->limit > 0 ? f->limit : -1));
#undef B
    return rc;
}

int sq__work_item_each(struct store *s, const struct store_work_filter *f, store_work_item_cb cb,
                       void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0, src;
    PREP(st, sql_item_each[bare(f)][variant(f)]);
    if (bind_filter(st, f, true))
        return sq__err(d->db, eb, "binding a work filter");
    if ((rc = iter_begin(d, eb)))
        return rc;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_work_item it;
        read_item(st, &it);
        if ((rc = cb(ud, &it)))
            break;
    }
    return iter_end(d, st, rc, src, "listing work items", eb);
}

int sq__work_item_count(struct store *s, const struct store_work_filter *f, long *ret,
                        struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    /* no WHERE at all: SQLite then counts the smallest b-tree's cells page by page (OP_Count) */
    PREP(st, filters_of(f) == 0 ? SQL_COUNT_ALL : sql_item_count[bare(f)][variant(f)]);
    if (bind_filter(st, f, false))
        return sq__err(d->db, eb, "binding a work filter");
    return one_count(d, st, ret, "counting work items", eb);
}

/* `work stats --by` over a kind's period (the bare V_KIND_CREATED filter): one range count per
 * key instead of a GROUP BY that sorts the period's items.  The keys are found by seeking past the
 * previous one in the index (kind, state|unit, created_at) — a few seeks, not a scan — and each
 * count is a range of that index; months are ranges of (kind, created_at).  Same rows, same
 * order as the GROUP BY texts. */
static const char SQL_FIRST_STATE[] = "SELECT min(state) FROM work_item WHERE kind = ?1";
static const char SQL_NEXT_STATE[] =
    "SELECT state FROM work_item WHERE kind = ?1 AND state > ?2 ORDER BY state LIMIT 1";
static const char SQL_FIRST_UNIT[] = "SELECT min(unit) FROM work_item WHERE kind = ?1";
static const char SQL_NEXT_UNIT[] =
    "SELECT unit FROM work_item WHERE kind = ?1 AND unit > ?2 ORDER BY unit LIMIT 1";
static const char SQL_COUNT_STATE[] = "SELECT count(*) FROM work_item WHERE kind = ?1 AND "
                                      "state = ?2 AND created_at >= ?3 AND created_at < ?4";
static const char SQL_COUNT_UNIT[] = "SELECT count(*) FROM work_item WHERE kind = ?1 AND "
                                     "unit = ?2 AND created_at >= ?3 AND created_at < ?4";
static const char SQL_FIRST_FROM[] = "SELECT min(created_at) FROM work_item WHERE kind = ?1 AND "
                                     "created_at >= ?3 AND created_at < ?4";
static const char SQL_COUNT_RANGE[] = "SELECT count(*) FROM work_item WHERE kind = ?1 AND "
                                      "created_at >= ?3 AND created_at < ?4";

/* Step st (kind ?1, key ?2, range [?3, ?4)) for one row; *ret_null when its value is NULL. */
static int step_one(struct sq_store *d, sqlite3_stmt *st, const char *kind, const char *key,
                    int64_t from, int64_t to_t, sqlite3_int64 *ret, bool *ret_null,
                    struct eg_errbuf *eb)
{
    int np = sqlite3_bind_parameter_count(st), rc = 0;
    if (bind_t(st, 1, kind) || (np >= 2 && key && bind_t(st, 2, key)) ||
        (np >= 3 && sqlite3_bind_int64(st, 3, from)) ||
        (np >= 4 && sqlite3_bind_int64(st, 4, to_t)))
        return sq__err(d->db, eb, "binding a work grouping");
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        *ret_null = sqlite3_column_type(st, 0) == SQLITE_NULL;
        *ret = sqlite3_column_int64(st, 0);
    } else if (src == SQLITE_DONE) {
        *ret_null = true;
    } else {
        rc = sq__err(d->db, eb, "grouping work items");
    }
    return rc;
}

static int group_keys(struct sq_store *d, const struct store_work_filter *f, bool unit,
                      store_work_group_cb cb, void *ud, struct eg_errbuf *eb)
{
    char key[STORE_WORK_CODE_MAX + 1] = "";
    sqlite3_int64 n;
    bool none;
    int rc;
    for (bool first = true;; first = false) {
        /* the first key may be "" (no unit): found with min(), the next ones past the last */
        PREP(nx, first ? (unit ? SQL_FIRST_UNIT : SQL_FIRST_STATE)
                       : (unit ? SQL_NEXT_UNIT : SQL_NEXT_STATE));
        rc = step_one(d, nx, f->kind, key, 0, 0, &n, &none, eb);
        if (!rc && !none)
            snprintf(key, sizeof(key), "%s", col_t(nx, 0));
        sqlite3_reset(nx);
        if (rc || none)
            return rc;
        PREP(ct, unit ? SQL_COUNT_UNIT : SQL_COUNT_STATE);
        rc = step_one(d, ct, f->kind, key, f->created_from, f->created_to, &n, &none, eb);
        sqlite3_reset(ct);
        if (!rc && n > 0)
            rc = cb(ud, key, (long)n);
        if (rc)
            return rc;
    }
}

static int group_months(struct sq_store *d, const struct store_work_filter *f,
                        store_work_group_cb cb, void *ud, struct eg_errbuf *eb)
{
    int64_t from = f->created_from;
    sqlite3_int64 v;
    bool none;
    int rc;
    while (from < f->created_to) {
        PREP(first, SQL_FIRST_FROM);
        rc = step_one(d, first, f->kind, NULL, from, f->created_to, &v, &none, eb);
        sqlite3_reset(first);
        if (rc || none)
            return rc;
        int32_t day;
        int sec, y, m, dd;
        char key[16];
        eg_beijing_from_unix(v, &day, &sec);
        eg_civil_from_days(day, &y, &m, &dd);
        snprintf(key, sizeof(key), "%04d-%02d", y, m);
        int64_t next =
            eg_unix_from_beijing(eg_days_from_civil(m == 12 ? y + 1 : y, m % 12 + 1, 1), 0);
        PREP(ct, SQL_COUNT_RANGE);
        rc = step_one(d, ct, f->kind, NULL, v, next < f->created_to ? next : f->created_to, &v,
                      &none, eb);
        sqlite3_reset(ct);
        if (!rc && v > 0)
            rc = cb(ud, key, (long)v);
        if (rc)
            return rc;
        from = next;
    }
    return 0;
}

int sq__work_group(struct store *s, const struct store_work_filter *f, enum store_work_by by,
                   store_work_group_cb cb, void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0, src, v = variant(f), b = bare(f);
    if (b && v == V_KIND_CREATED) {
        if ((rc = iter_begin(d, eb)))
            return rc;
        rc = by == STORE_WORK_BY_MONTH ? group_months(d, f, cb, ud, eb)
                                       : group_keys(d, f, by == STORE_WORK_BY_UNIT, cb, ud, eb);
        d->busy = false;
        return rc;
    }
    PREP(st, by == STORE_WORK_BY_STATE  ? sql_group_state[b][v]
             : by == STORE_WORK_BY_UNIT ? sql_group_unit[b][v]
                                        : sql_group_month[b][v]);
    if (bind_filter(st, f, false))
        return sq__err(d->db, eb, "binding a work filter");
    if ((rc = iter_begin(d, eb)))
        return rc;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = cb(ud, col_t(st, 0), (long)sqlite3_column_int64(st, 1))))
            break;
    return iter_end(d, st, rc, src, "grouping work items", eb);
}

/* ---- year statistics ----
 * Tallied in C from rows that come out of covering indexes (migration step 5) in the order the
 * tally needs, so that no statistic sorts or reads a table row: at 1 M items each stays within
 * 50 ms (bench/README-supervise.md).  Still queries over items and events, never counters. */

#define TALLY_STATES 64 /* distinct target states of one kind (the kinds have ≤ 16) */

/* Per target state: [0] reached / the only tally, [1] moved. */
struct tally {
    int n;
    struct {
        char code[STORE_WORK_CODE_MAX + 1];
        long items[2];
        int64_t amount[2];
    } s[TALLY_STATES];
};

/* The index of state `code` in t (added when new); EG_ELIMIT beyond TALLY_STATES states. */
static int tally_at(struct tally *t, const char *code, int *ret, struct eg_errbuf *eb)
{
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->s[i].code, code)) {
            *ret = i;
            return 0;
        }
    if (t->n == TALLY_STATES)
        return eg_errf(eb, EG_ELIMIT, "more than %d target states in one kind", TALLY_STATES);
    memset(&t->s[t->n], 0, sizeof(t->s[t->n]));
    snprintf(t->s[t->n].code, sizeof(t->s[t->n].code), "%s", code);
    *ret = t->n++;
    return 0;
}

static int tally_cmp(const void *a, const void *b)
{
    return strcmp(a, b); /* code is the first member */
}

/* The states with items in tally `which`, in state order (as GROUP BY to_state gave them). */
static int tally_emit(struct tally *t, int which, store_work_state_cb cb, void *ud)
{
    int rc = 0;
    qsort(t->s, (size_t)t->n, sizeof(t->s[0]), tally_cmp);
    for (int i = 0; i < t->n && !rc; i++)
        if (t->s[i].items[which] > 0)
            rc = cb(ud, t->s[i].code, t->s[i].items[which], t->s[i].amount[which]);
    return rc;
}

/* The period's items (index kind, created_at, id) each joined to its events, sorted so that an
 * item's rows arrive together and grouped by state: a state reached twice is counted once by
 * comparing with the previous row.  (sup_work_stats uses store_work_period instead, which needs
 * no sort; this serves other periods and `before` bounds.) */
static const char SQL_REACHED[] =
    "SELECT e.item, e.to_state, e.amount_fen FROM work_item i JOIN work_event e ON e.item = i.id "
    "WHERE i.kind = ?1 AND i.created_at >= ?2 AND i.created_at < ?3 AND e.at < ?4 "
    "ORDER BY i.created_at, i.id, e.to_state";
/* A stock (every item created before `before`): an event before `before` implies its item was
 * created before it (no event precedes its item's creation), so the items are those with an event
 * to the state: per state one scan of (kind, to_state, item, …), distinct items by order. */
static const char SQL_STATE_NEXT[] = "SELECT to_state FROM work_event WHERE kind = ?1 AND "
                                     "to_state > ?2 ORDER BY to_state LIMIT 1";
static const char SQL_REACHED_STATE[] =
    "SELECT count(*), (SELECT coalesce(sum(amount_fen), 0) FROM work_event WHERE kind = ?1 AND "
    "to_state = ?2 AND at < ?3 AND amount_fen IS NOT NULL) FROM (SELECT 1 FROM work_event "
    "WHERE kind = ?1 AND to_state = ?2 AND at < ?3 GROUP BY item)";
/* The period's events through the covering index (kind, at, to_state, item, amount_fen; the
 * primary key's seq comes with every index of a WITHOUT ROWID table). */
static const char SQL_PERIOD[] = "SELECT item, to_state, amount_fen, seq, at FROM work_event "
                                 "WHERE kind = ?1 AND at >= ?2 AND at < ?3";

static int reached_stock(struct sq_store *d, const char *kind, int64_t before, struct tally *t,
                         struct eg_errbuf *eb)
{
    char cur[STORE_WORK_CODE_MAX + 1] = "";
    int rc = 0, src;
    for (;;) {
        PREP(nx, SQL_STATE_NEXT);
        if (bind_t(nx, 1, kind) || bind_t(nx, 2, cur))
            return sq__err(d->db, eb, "binding a statistics query");
        src = sqlite3_step(nx);
        if (src == SQLITE_ROW)
            snprintf(cur, sizeof(cur), "%s", col_t(nx, 0));
        sqlite3_reset(nx);
        if (src == SQLITE_DONE)
            return 0;
        if (src != SQLITE_ROW)
            return sq__err(d->db, eb, "computing work statistics");
        PREP(st, SQL_REACHED_STATE);
        if (bind_t(st, 1, kind) || bind_t(st, 2, cur) || sqlite3_bind_int64(st, 3, before))
            return sq__err(d->db, eb, "binding a statistics query");
        src = sqlite3_step(st);
        if (src == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0) {
            int i = 0;
            if (!(rc = tally_at(t, cur, &i, eb))) {
                t->s[i].items[0] = (long)sqlite3_column_int64(st, 0);
                t->s[i].amount[0] = sqlite3_column_int64(st, 1);
            }
        } else if (src != SQLITE_ROW) {
            rc = sq__err(d->db, eb, "computing work statistics");
        }
        sqlite3_reset(st);
        if (rc)
            return rc;
    }
}

static int reached_items(struct sq_store *d, const char *kind, int64_t created_from,
                         int64_t created_to, int64_t before, struct tally *t, struct eg_errbuf *eb)
{
    int rc = 0, src, cur = -1;
    int64_t last = 0;
    PREP(st, SQL_REACHED);
    if (bind_t(st, 1, kind) || sqlite3_bind_int64(st, 2, created_from) ||
        sqlite3_bind_int64(st, 3, created_to) || sqlite3_bind_int64(st, 4, before))
        return sq__err(d->db, eb, "binding a statistics query");
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t item = sqlite3_column_int64(st, 0);
        const char *to = col_t(st, 1);
        if (cur < 0 || item != last || strcmp(t->s[cur].code, to) != 0) {
            if ((rc = tally_at(t, to, &cur, eb)))
                break;
            t->s[cur].items[0]++;
            last = item;
        }
        t->s[cur].amount[0] += sqlite3_column_int64(st, 2);
    }
    if (!rc && src != SQLITE_DONE && src != SQLITE_ROW)
        rc = sq__err(d->db, eb, "computing work statistics");
    sqlite3_reset(st);
    return rc;
}

int sq__work_reached(struct store *s, const char *kind, int64_t created_from, int64_t created_to,
                     int64_t before, store_work_state_cb cb, void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    struct tally t;
    int rc;
    t.n = 0;
    if ((rc = iter_begin(d, eb)))
        return rc;
    rc = created_from == INT64_MIN && before <= created_to
             ? reached_stock(d, kind, before, &t, eb)
             : reached_items(d, kind, created_from, created_to, before, &t, eb);
    if (!rc)
        rc = tally_emit(&t, 0, cb, ud);
    d->busy = false;
    return rc;
}

/* One pass over the period's events in time order.  Distinct (item, state) pairs and the items
 * created in the period are bits over the item ids (min..max id of work_item: 1 bit per item and
 * state, 125 KB per state at 1 M items), so the pass allocates a few small blocks and never sorts.
 * An event may share its second with its item's creation and leave the index before it (same
 * `at`, other state), so the events of one second are held back until the second is complete:
 * by then every creation up to it is known. */
#define PERIOD_IDS    (1L << 28) /* id span the bit sets cover (32 MB per state) */
#define PERIOD_SECOND 4096       /* events of one kind within one second */

struct period_ev {
    int64_t item, amount;
    int state;
};

struct period {
    struct tally *t;
    int64_t base;
    size_t words;
    uint64_t *created, *seen[TALLY_STATES];
    struct period_ev held[PERIOD_SECOND];
    int nheld;
};

static int bits_get(const uint64_t *b, int64_t i)
{
    return (int)((b[(uint64_t)i >> 6] >> ((uint64_t)i & 63)) & 1u);
}

static void bits_set(uint64_t *b, int64_t i)
{
    b[(uint64_t)i >> 6] |= (uint64_t)1 << ((uint64_t)i & 63);
}

static void period_flush(struct period *p)
{
    for (int i = 0; i < p->nheld; i++) {
        const struct period_ev *e = &p->held[i];
        int64_t x = e->item - p->base;
        int fresh = !bits_get(p->seen[e->state], x);
        bits_set(p->seen[e->state], x);
        p->t->s[e->state].items[1] += fresh;
        p->t->s[e->state].amount[1] += e->amount;
        if (bits_get(p->created, x)) {
            p->t->s[e->state].items[0] += fresh;
            p->t->s[e->state].amount[0] += e->amount;
        }
    }
    p->nheld = 0;
}

/* two subqueries: SQLite reads one end of the b-tree for a lone min() or max(), not for both */
static const char SQL_ID_SPAN[] =
    "SELECT (SELECT min(id) FROM work_item), (SELECT max(id) FROM work_item)";

static int grow(uint64_t **b, size_t words, size_t nwords)
{
    uint64_t *n = eg_realloc(*b, nwords * sizeof(uint64_t));
    if (!n)
        return EG_ENOMEM;
    memset(n + words, 0, (nwords - words) * sizeof(uint64_t));
    *b = n;
    return 0;
}

/* Items created after SQL_ID_SPAN was read (another connection writing meanwhile) widen the
 * sets; ids never shrink (work items cannot be deleted). */
static int period_widen(struct period *p, int64_t item, struct eg_errbuf *eb)
{
    if (item - p->base >= PERIOD_IDS)
        return eg_errf(eb, EG_ELIMIT, "work item ids span more than %ld", PERIOD_IDS);
    size_t nwords = (size_t)((item - p->base) / 64 + 1024);
    int rc = grow(&p->created, p->words, nwords);
    for (int i = 0; i < TALLY_STATES && !rc; i++)
        if (p->seen[i])
            rc = grow(&p->seen[i], p->words, nwords);
    if (rc)
        return eg_errf(eb, EG_ENOMEM, "no memory for work statistics");
    p->words = nwords;
    return 0;
}

static int period_scan(struct sq_store *d, struct period *p, const char *kind, int64_t from,
                       int64_t to_t, struct eg_errbuf *eb)
{
    int rc = 0, src, cur = -1;
    int64_t second = INT64_MIN;
    {
        PREP(sp, SQL_ID_SPAN);
        src = sqlite3_step(sp);
        int64_t lo = src == SQLITE_ROW ? sqlite3_column_int64(sp, 0) : 0;
        int64_t hi = src == SQLITE_ROW ? sqlite3_column_int64(sp, 1) : 0;
        sqlite3_reset(sp);
        if (src != SQLITE_ROW)
            return sq__err(d->db, eb, "computing work statistics");
        if (hi - lo >= PERIOD_IDS)
            return eg_errf(eb, EG_ELIMIT, "work item ids span more than %ld", PERIOD_IDS);
        p->base = lo;
        p->words = (size_t)((hi - lo) / 64 + 1);
    }
    if (!(p->created = eg_calloc(p->words, sizeof(uint64_t))))
        return eg_errf(eb, EG_ENOMEM, "no memory for work statistics");
    PREP(st, SQL_PERIOD);
    if (bind_t(st, 1, kind) || sqlite3_bind_int64(st, 2, from) || sqlite3_bind_int64(st, 3, to_t))
        return sq__err(d->db, eb, "binding a statistics query");
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t item = sqlite3_column_int64(st, 0), at = sqlite3_column_int64(st, 4);
        const char *to = col_t(st, 1);
        if (item < p->base) {
            rc = eg_errf(eb, EG_ESTATE, "work event of item %lld below the items' ids",
                         (long long)item);
            break;
        }
        if (item - p->base >= (int64_t)p->words * 64 && (rc = period_widen(p, item, eb)))
            break;
        if ((cur < 0 || strcmp(p->t->s[cur].code, to) != 0) && (rc = tally_at(p->t, to, &cur, eb)))
            break;
        if (!p->seen[cur] && !(p->seen[cur] = eg_calloc(p->words, sizeof(uint64_t)))) {
            rc = eg_errf(eb, EG_ENOMEM, "no memory for work statistics");
            break;
        }
        if (at != second || p->nheld == PERIOD_SECOND) {
            if (at == second) {
                rc = eg_errf(eb, EG_ELIMIT, "more than %d %s events in one second", PERIOD_SECOND,
                             kind);
                break;
            }
            period_flush(p);
            second = at;
        }
        if (sqlite3_column_int(st, 3) == 1)
            bits_set(p->created, item - p->base);
        p->held[p->nheld++] = (struct period_ev){item, sqlite3_column_int64(st, 2), cur};
    }
    if (!rc)
        period_flush(p);
    if (!rc && src != SQLITE_DONE && src != SQLITE_ROW)
        rc = sq__err(d->db, eb, "computing work statistics");
    sqlite3_reset(st);
    return rc;
}

static int period(struct sq_store *d, const char *kind, int64_t from, int64_t to_t, struct tally *t,
                  struct eg_errbuf *eb)
{
    struct period *p = eg_calloc(1, sizeof(*p));
    int rc;
    t->n = 0;
    if (!p)
        return eg_errf(eb, EG_ENOMEM, "no memory for work statistics");
    p->t = t;
    if (!(rc = iter_begin(d, eb))) {
        rc = period_scan(d, p, kind, from, to_t, eb);
        d->busy = false;
    }
    eg_free(p->created);
    for (int i = 0; i < TALLY_STATES; i++)
        eg_free(p->seen[i]);
    eg_free(p);
    return rc;
}

int sq__work_moved(struct store *s, const char *kind, int64_t from, int64_t to_t,
                   store_work_state_cb cb, void *ud, struct eg_errbuf *eb)
{
    struct tally t;
    int rc = period(sq__of(s), kind, from, to_t, &t, eb);
    return rc ? rc : tally_emit(&t, 1, cb, ud);
}

int sq__work_period(struct store *s, const char *kind, int64_t from, int64_t to_t,
                    store_work_state_cb reached, store_work_state_cb moved, void *ud,
                    struct eg_errbuf *eb)
{
    struct tally t;
    int rc = period(sq__of(s), kind, from, to_t, &t, eb);
    if (!rc)
        rc = tally_emit(&t, 0, reached, ud);
    return rc ? rc : tally_emit(&t, 1, moved, ud);
}

/* ---- credit ---- */

static const char SQL_CREDIT_PUT[] =
    "INSERT INTO credit(uscc, year, score, level, base_level, reasons, inputs, rules, "
    "computed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
#define CREDIT_COLS "id, uscc, year, score, level, base_level, reasons, inputs, rules, computed_at"
static const char SQL_CREDIT_OF[] =
    "SELECT " CREDIT_COLS " FROM credit WHERE uscc = ?1 ORDER BY id";
static const char SQL_CREDIT_LATEST[] =
    "SELECT " CREDIT_COLS " FROM credit c WHERE id = (SELECT max(id) FROM credit x WHERE "
    "x.uscc = c.uscc) ORDER BY uscc";

int sq__work_credit_put(struct store *s, const struct store_credit *c, int64_t *ret_id,
                        struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc;
    PREP(st, SQL_CREDIT_PUT);
    if (bind_t(st, 1, c->uscc) || sqlite3_bind_int(st, 2, c->year) ||
        sqlite3_bind_int64(st, 3, c->score) || bind_t(st, 4, c->level) ||
        bind_t(st, 5, c->base_level) || bind_t(st, 6, c->reasons) || bind_t(st, 7, c->inputs) ||
        bind_t(st, 8, c->rules) || sqlite3_bind_int64(st, 9, c->computed_at))
        return sq__err(d->db, eb, "binding a credit rating");
    if ((rc = done(d, st, "writing a credit rating", eb)))
        return rc;
    *ret_id = sqlite3_last_insert_rowid(d->db);
    return 0;
}

int sq__work_credit_each(struct store *s, const char *uscc, store_credit_cb cb, void *ud,
                         struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0, src;
    PREP(st, uscc ? SQL_CREDIT_OF : SQL_CREDIT_LATEST);
    if (uscc && bind_t(st, 1, uscc))
        return sq__err(d->db, eb, "binding a USCC");
    if ((rc = iter_begin(d, eb)))
        return rc;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_credit c = {sqlite3_column_int64(st, 0),
                                 col_t(st, 1),
                                 sqlite3_column_int(st, 2),
                                 sqlite3_column_int64(st, 3),
                                 col_t(st, 4),
                                 col_t(st, 5),
                                 col_t(st, 6),
                                 col_t(st, 7),
                                 col_t(st, 8),
                                 sqlite3_column_int64(st, 9)};
        if ((rc = cb(ud, &c)))
            break;
    }
    return iter_end(d, st, rc, src, "reading credit ratings", eb);
}

static const char SQL_CEV_ADD[] =
    "INSERT INTO credit_event(uscc, at, type, note) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_CEV_EACH[] =
    "SELECT uscc, at, type, note FROM credit_event WHERE uscc = ?1 ORDER BY at, rowid";

int sq__work_credit_event_add(struct store *s, const char *uscc, int64_t at, const char *type,
                              const char *note, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    PREP(st, SQL_CEV_ADD);
    if (bind_t(st, 1, uscc) || sqlite3_bind_int64(st, 2, at) || bind_t(st, 3, type) ||
        bind_t(st, 4, note ? note : ""))
        return sq__err(d->db, eb, "binding a credit event");
    return done(d, st, "writing a credit event", eb);
}

int sq__work_credit_event_each(struct store *s, const char *uscc, store_credit_event_cb cb,
                               void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0, src;
    PREP(st, SQL_CEV_EACH);
    if (bind_t(st, 1, uscc))
        return sq__err(d->db, eb, "binding a USCC");
    if ((rc = iter_begin(d, eb)))
        return rc;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = cb(ud, col_t(st, 0), sqlite3_column_int64(st, 1), col_t(st, 2), col_t(st, 3))))
            break;
    return iter_end(d, st, rc, src, "reading credit events", eb);
}

/* ---- inspectors and draws ---- */

static const char SQL_INSP_PUT[] =
    "INSERT INTO inspector(code, name, unit, active) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(code) DO UPDATE SET name = excluded.name, unit = excluded.unit, "
    "active = excluded.active";
static const char SQL_INSP_EACH[] = "SELECT code, name, unit, active FROM inspector ORDER BY code";
static const char SQL_EXCL_PUT[] =
    "INSERT INTO inspector_exclusion(inspector, uscc, reason) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(inspector, uscc) DO UPDATE SET reason = excluded.reason";
static const char SQL_EXCL_EACH[] =
    "SELECT inspector, uscc, reason FROM inspector_exclusion ORDER BY inspector, uscc";

int sq__work_inspector_put(struct store *s, const char *code, const char *name, const char *unit,
                           bool active, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    PREP(st, SQL_INSP_PUT);
    if (bind_t(st, 1, code) || bind_t(st, 2, name) || bind_t(st, 3, unit) ||
        sqlite3_bind_int(st, 4, active ? 1 : 0))
        return sq__err(d->db, eb, "binding an inspector");
    return done(d, st, "writing an inspector", eb);
}

int sq__work_inspector_each(struct store *s, store_inspector_cb cb, void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0, src;
    PREP(st, SQL_INSP_EACH);
    if ((rc = iter_begin(d, eb)))
        return rc;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = cb(ud, col_t(st, 0), col_t(st, 1), col_t(st, 2), sqlite3_column_int(st, 3) != 0)))
            break;
    return iter_end(d, st, rc, src, "reading inspectors", eb);
}

int sq__work_exclusion_put(struct store *s, const char *inspector, const char *uscc,
                           const char *reason, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    PREP(st, SQL_EXCL_PUT);
    if (bind_t(st, 1, inspector) || bind_t(st, 2, uscc) || bind_t(st, 3, reason ? reason : ""))
        return sq__err(d->db, eb, "binding an exclusion");
    return done(d, st, "writing an exclusion", eb);
}

int sq__work_exclusion_each(struct store *s, store_exclusion_cb cb, void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0, src;
    PREP(st, SQL_EXCL_EACH);
    if ((rc = iter_begin(d, eb)))
        return rc;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = cb(ud, col_t(st, 0), col_t(st, 1), col_t(st, 2))))
            break;
    return iter_end(d, st, rc, src, "reading exclusions", eb);
}

static const char SQL_DRAW_PUT[] =
    "INSERT INTO draw(pool, count, seed, algorithm, at, candidates, inspectors, result, publish) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_DRAW_GET[] = "SELECT id, pool, count, seed, algorithm, at, candidates, "
                                   "inspectors, result, publish FROM draw WHERE id = ?1";

int sq__work_draw_put(struct store *s, const struct store_draw *dr, int64_t *ret_id,
                      struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    char seed[24];
    int rc;
    /* the seed is a full 64-bit unsigned value: kept as decimal text */
    snprintf(seed, sizeof(seed), "%llu", (unsigned long long)dr->seed);
    PREP(st, SQL_DRAW_PUT);
    if (bind_t(st, 1, dr->pool) || sqlite3_bind_int64(st, 2, dr->count) ||
        sqlite3_bind_text(st, 3, seed, -1, SQLITE_TRANSIENT) || bind_t(st, 4, dr->algorithm) ||
        sqlite3_bind_int64(st, 5, dr->at) || bind_t(st, 6, dr->candidates) ||
        bind_t(st, 7, dr->inspectors) || bind_t(st, 8, dr->result) ||
        sqlite3_bind_int(st, 9, dr->publish ? 1 : 0))
        return sq__err(d->db, eb, "binding a draw");
    if ((rc = done(d, st, "recording a draw", eb)))
        return rc;
    *ret_id = sqlite3_last_insert_rowid(d->db);
    return 0;
}

int sq__work_draw_get(struct store *s, int64_t id, store_draw_cb cb, void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0;
    PREP(st, SQL_DRAW_GET);
    sqlite3_bind_int64(st, 1, id);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        struct store_draw dr = {
            .id = sqlite3_column_int64(st, 0),
            .pool = col_t(st, 1),
            .count = (long)sqlite3_column_int64(st, 2),
            .seed = strtoull(col_t(st, 3), NULL, 10),
            .algorithm = col_t(st, 4),
            .at = sqlite3_column_int64(st, 5),
            .candidates = col_t(st, 6),
            .inspectors = col_t(st, 7),
            .result = col_t(st, 8),
            .publish = sqlite3_column_int(st, 9) != 0,
        };
        rc = cb(ud, &dr);
    } else if (src == SQLITE_DONE) {
        rc = eg_errf(eb, EG_ENOTFOUND, "no draw %lld", (long long)id);
    } else {
        rc = sq__err(d->db, eb, "reading a draw");
    }
    sqlite3_reset(st);
    return rc;
}

/* ---- performance grades ---- */

static const char SQL_GRADE_PUT[] =
    "INSERT INTO grade(uscc, year, grade, industry, so2, nox, pm, vocs, cuts, m_yellow, "
    "m_orange, m_red) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
    "ON CONFLICT(uscc, year) DO UPDATE SET grade = excluded.grade, industry = excluded.industry, "
    "so2 = excluded.so2, nox = excluded.nox, pm = excluded.pm, vocs = excluded.vocs, "
    "cuts = excluded.cuts, m_yellow = excluded.m_yellow, m_orange = excluded.m_orange, "
    "m_red = excluded.m_red";
#define GRADE_COLS \
    "uscc, year, grade, industry, so2, nox, pm, vocs, cuts, m_yellow, m_orange, m_red"
static const char SQL_GRADE_OF[] =
    "SELECT " GRADE_COLS " FROM grade WHERE uscc = ?1 AND (?2 = 0 OR year = ?2) ORDER BY year";
static const char SQL_GRADE_YEAR[] =
    "SELECT " GRADE_COLS " FROM grade WHERE year = ?2 ORDER BY uscc";
static const char SQL_GRADE_ALL[] = "SELECT " GRADE_COLS " FROM grade ORDER BY year, uscc";

int sq__work_grade_put(struct store *s, const struct store_grade *g, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    char cuts[160];
    size_t n = 0;
    for (int l = 0; l < 3; l++)
        for (int p = 0; p < 4; p++) {
            int k = snprintf(cuts + n, sizeof(cuts) - n, "%s%d", n ? " " : "", g->cut_bp[l][p]);
            if (k < 0 || (size_t)k >= sizeof(cuts) - n)
                return eg_errf(eb, EG_ELIMIT, "grade reductions do not fit");
            n += (size_t)k;
        }
    PREP(st, SQL_GRADE_PUT);
    if (bind_t(st, 1, g->uscc) || sqlite3_bind_int(st, 2, g->year) || bind_t(st, 3, g->grade) ||
        bind_t(st, 4, g->industry ? g->industry : "") || sqlite3_bind_int64(st, 5, g->emis_g[0]) ||
        sqlite3_bind_int64(st, 6, g->emis_g[1]) || sqlite3_bind_int64(st, 7, g->emis_g[2]) ||
        sqlite3_bind_int64(st, 8, g->emis_g[3]) ||
        sqlite3_bind_text(st, 9, cuts, -1, SQLITE_TRANSIENT) || bind_t(st, 10, g->measures[0]) ||
        bind_t(st, 11, g->measures[1]) || bind_t(st, 12, g->measures[2]))
        return sq__err(d->db, eb, "binding a grade");
    return done(d, st, "writing a grade", eb);
}

int sq__work_grade_each(struct store *s, const char *uscc, int year, store_grade_cb cb, void *ud,
                        struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    int rc = 0, src;
    PREP(st, uscc ? SQL_GRADE_OF : year ? SQL_GRADE_YEAR : SQL_GRADE_ALL);
    if ((uscc && bind_t(st, 1, uscc)) || ((uscc || year) && sqlite3_bind_int(st, 2, year)))
        return sq__err(d->db, eb, "binding a grade query");
    if ((rc = iter_begin(d, eb)))
        return rc;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_grade g = {
            .uscc = col_t(st, 0),
            .year = sqlite3_column_int(st, 1),
            .grade = col_t(st, 2),
            .industry = col_t(st, 3),
            .emis_g = {sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5),
                       sqlite3_column_int64(st, 6), sqlite3_column_int64(st, 7)},
            .measures = {col_t(st, 9), col_t(st, 10), col_t(st, 11)},
        };
        const char *p = col_t(st, 8);
        for (int k = 0; k < 12; k++) {
            char *end;
            long v = strtol(p, &end, 10);
            g.cut_bp[k / 4][k % 4] = (int32_t)(end == p || v < 0 || v > 10000 ? 0 : v);
            p = end;
        }
        if ((rc = cb(ud, &g)))
            break;
    }
    return iter_end(d, st, rc, src, "reading grades", eb);
}
