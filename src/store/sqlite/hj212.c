/* hj212.c — the SQLite implementation of the store's hj212 domain (the HJ 212 gateway).
 *
 * Layout (docs/storage.md "The hj212 domain"): one row per received data set, keyed
 * (mn, cn, t) = (device, command, DataTime in UTC ms) — the primary key is ordered (t, mn, cn)
 * since step 2, so inserts append — WITHOUT ROWID, its values in a blob of
 * (item, field, value-text) entries.  A frame is one INSERT … ON CONFLICT DO NOTHING; only when the
 * key exists (a re-sent frame, or the next sub-packet of a split data set) is the old blob read,
 * merged item by item in C (the new item replaces the old one, counted as replaced) and written
 * back.  All SQL is constant and parameterised; statements come from the connection's cache.
 */
#include <string.h>

#include "common/eg_mem.h"
#include "sqlite-int.h"

static const char *const steps[] = {
    /* 1: devices, readings, quarantine, device state, limits, alarms, downlink commands. */
    "CREATE TABLE hj212_device ("
    "  mn TEXT PRIMARY KEY NOT NULL,"
    "  pw TEXT NOT NULL DEFAULT '',"
    "  point TEXT NOT NULL DEFAULT '',"
    "  st TEXT NOT NULL DEFAULT '',"
    "  protocol INTEGER NOT NULL DEFAULT 0,"
    "  crc INTEGER NOT NULL DEFAULT 0,"
    "  enabled INTEGER NOT NULL DEFAULT 1"
    ") WITHOUT ROWID;"
    "CREATE INDEX hj212_device_point ON hj212_device(point);"
    "CREATE TABLE hj212_reading ("
    "  mn TEXT NOT NULL,"
    "  cn INTEGER NOT NULL,"
    "  t INTEGER NOT NULL," /* DataTime, UTC epoch ms */
    "  point TEXT NOT NULL,"
    "  st TEXT NOT NULL,"
    "  flag INTEGER,"              /* the packet's Flag; NULL = absent */
    "  received INTEGER NOT NULL," /* UTC epoch ms */
    "  v BLOB NOT NULL,"
    "  PRIMARY KEY (mn, cn, t)"
    ") WITHOUT ROWID;"
    "CREATE TABLE hj212_quarantine ("
    "  id INTEGER PRIMARY KEY,"
    "  mn TEXT NOT NULL,"
    "  received INTEGER NOT NULL,"
    "  peer TEXT NOT NULL,"
    "  frame BLOB NOT NULL"
    ");"
    "CREATE INDEX hj212_quarantine_by_mn ON hj212_quarantine(mn, id);"
    "CREATE TABLE hj212_quarantine_mn ("
    "  mn TEXT PRIMARY KEY NOT NULL,"
    "  frames INTEGER NOT NULL,"
    "  first INTEGER NOT NULL,"
    "  last INTEGER NOT NULL,"
    "  peer TEXT NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE hj212_state ("
    "  mn TEXT PRIMARY KEY NOT NULL,"
    "  online INTEGER NOT NULL, peer TEXT NOT NULL, connected INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL, last_data INTEGER NOT NULL, last_cn INTEGER NOT NULL,"
    "  frames INTEGER NOT NULL, hour INTEGER NOT NULL, frames_hour INTEGER NOT NULL,"
    "  frames_prev_hour INTEGER NOT NULL, vals INTEGER NOT NULL, replaced INTEGER NOT NULL,"
    "  rej_pw INTEGER NOT NULL, rej_parse INTEGER NOT NULL, rej_crc INTEGER NOT NULL,"
    "  rej_length INTEGER NOT NULL, rej_bad_length INTEGER NOT NULL,"
    "  rej_oversize INTEGER NOT NULL, rej_truncated INTEGER NOT NULL,"
    "  rej_stray INTEGER NOT NULL, rej_st INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE hj212_limit ("
    "  point TEXT NOT NULL, item TEXT NOT NULL, max TEXT NOT NULL,"
    "  PRIMARY KEY (point, item)"
    ") WITHOUT ROWID;"
    "CREATE TABLE hj212_alarm ("
    "  id INTEGER PRIMARY KEY,"
    "  t INTEGER NOT NULL, mn TEXT NOT NULL, point TEXT NOT NULL, kind TEXT NOT NULL,"
    "  item TEXT NOT NULL, cn INTEGER NOT NULL, data_t INTEGER NOT NULL,"
    "  value TEXT NOT NULL, lim TEXT NOT NULL, message TEXT NOT NULL"
    ");"
    "CREATE INDEX hj212_alarm_t ON hj212_alarm(t);"
    "CREATE TABLE hj212_cmd ("
    "  id INTEGER PRIMARY KEY,"
    "  mn TEXT NOT NULL, cn INTEGER NOT NULL, cp TEXT NOT NULL,"
    "  state TEXT NOT NULL, qn TEXT NOT NULL DEFAULT '', tries INTEGER NOT NULL DEFAULT 0,"
    "  qn_rtn INTEGER NOT NULL DEFAULT -1, exe_rtn INTEGER NOT NULL DEFAULT -1,"
    "  result TEXT NOT NULL DEFAULT '',"
    "  created INTEGER NOT NULL, updated INTEGER NOT NULL"
    ");"
    "CREATE INDEX hj212_cmd_state ON hj212_cmd(state, id);",
    /* 2: readings keyed time first.  Devices send in time order, so (t, mn, cn) makes a commit's
     * inserts append at the right edge of the B-tree (a few pages per thousand frames) instead of
     * touching one leaf page per device (10,000 devices: ~one WAL page written per frame).  The
     * key set is the same, so the dedup/merge by (mn, cn, t) is unchanged (bench/README-gateway.md
     * has the figures). */
    "CREATE TABLE hj212_reading_t ("
    "  mn TEXT NOT NULL,"
    "  cn INTEGER NOT NULL,"
    "  t INTEGER NOT NULL," /* DataTime, UTC epoch ms */
    "  point TEXT NOT NULL,"
    "  st TEXT NOT NULL,"
    "  flag INTEGER,"
    "  received INTEGER NOT NULL,"
    "  v BLOB NOT NULL,"
    "  PRIMARY KEY (t, mn, cn)"
    ") WITHOUT ROWID;"
    "INSERT INTO hj212_reading_t SELECT mn, cn, t, point, st, flag, received, v FROM hj212_reading;"
    "DROP TABLE hj212_reading;"
    "ALTER TABLE hj212_reading_t RENAME TO hj212_reading;",
    /* 3: a registry stamp, bumped by triggers on every change to devices and limits, so that the
     * running gateway re-reads them only when they changed (reading 10,000 devices every 5 s
     * stalled its loop for 3–15 ms). */
    "CREATE TABLE hj212_registry_stamp (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);"
    "INSERT INTO hj212_registry_stamp VALUES (1, 0);"
    "CREATE TRIGGER hj212_device_ins AFTER INSERT ON hj212_device"
    "  BEGIN UPDATE hj212_registry_stamp SET n = n + 1; END;"
    "CREATE TRIGGER hj212_device_upd AFTER UPDATE ON hj212_device"
    "  BEGIN UPDATE hj212_registry_stamp SET n = n + 1; END;"
    "CREATE TRIGGER hj212_device_del AFTER DELETE ON hj212_device"
    "  BEGIN UPDATE hj212_registry_stamp SET n = n + 1; END;"
    "CREATE TRIGGER hj212_limit_ins AFTER INSERT ON hj212_limit"
    "  BEGIN UPDATE hj212_registry_stamp SET n = n + 1; END;"
    "CREATE TRIGGER hj212_limit_upd AFTER UPDATE ON hj212_limit"
    "  BEGIN UPDATE hj212_registry_stamp SET n = n + 1; END;"
    "CREATE TRIGGER hj212_limit_del AFTER DELETE ON hj212_limit"
    "  BEGIN UPDATE hj212_registry_stamp SET n = n + 1; END;",
};

const struct sq__domain sq__domain_hj212 = {"hj212", steps,
                                            (int)(sizeof(steps) / sizeof(steps[0]))};

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

static int bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* Step a statement that returns no rows. */
static int done(struct sq_store *d, sqlite3_stmt *st, const char *what, struct eg_errbuf *eb)
{
    int rc = sqlite3_step(st);
    int ret = rc == SQLITE_DONE ? 0 : sq__err(d->db, eb, what);
    sqlite3_reset(st);
    return ret;
}

/* Run the iteration over st's rows; row() turns one into a callback call. */
typedef void (*any_fn)(void); /* the generic function pointer type (cast back before calling) */

static int each(struct sq_store *d, sqlite3_stmt *st, int (*row)(sqlite3_stmt *, any_fn, void *),
                any_fn cb, void *ud, const char *what, struct eg_errbuf *eb)
{
    int rc = 0, src;
    if (d->busy) {
        sqlite3_reset(st);
        return eg_errf(eb, EG_ESTATE, "a store iteration is already running");
    }
    d->busy = true;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = row(st, cb, ud)))
            break;
    if (!rc && src != SQLITE_DONE)
        rc = sq__err(d->db, eb, what);
    sqlite3_reset(st);
    d->busy = false;
    return rc;
}

/* ---- devices ---- */

static const char SQL_DEV_PUT[] =
    "INSERT INTO hj212_device(mn, pw, point, st, protocol, crc, enabled) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(mn) DO UPDATE SET pw = excluded.pw, "
    "point = excluded.point, st = excluded.st, protocol = excluded.protocol, crc = excluded.crc, "
    "enabled = excluded.enabled";
/* The lookups by MN come as two statements, all rows or one key: "?1 IS NULL OR mn = ?1" cannot
 * use the primary key, and `device list` looks up every device's state (10,000 devices: 3 s of
 * full scans, now 0.17 s). */
static const char SQL_DEV_ALL[] =
    "SELECT mn, pw, point, st, protocol, crc, enabled FROM hj212_device ORDER BY mn";
static const char SQL_DEV_ONE[] =
    "SELECT mn, pw, point, st, protocol, crc, enabled FROM hj212_device WHERE mn = ?1";

int sq__hj212_device_put(struct store *s, const struct store_hj212_device *dv, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_DEV_PUT, eb);
    if (!st)
        return EG_EDB;
    if (bind_text(st, 1, dv->mn) || bind_text(st, 2, dv->pw) || bind_text(st, 3, dv->point) ||
        bind_text(st, 4, dv->st) || sqlite3_bind_int(st, 5, dv->protocol) ||
        sqlite3_bind_int(st, 6, dv->crc) || sqlite3_bind_int(st, 7, dv->enabled ? 1 : 0))
        return sq__err(d->db, eb, "binding a device");
    return done(d, st, "writing a device", eb);
}

static int dev_row(sqlite3_stmt *st, any_fn cb, void *ud)
{
    struct store_hj212_device dv = {
        .mn = col_text(st, 0),
        .pw = col_text(st, 1),
        .point = col_text(st, 2),
        .st = col_text(st, 3),
        .protocol = sqlite3_column_int(st, 4),
        .crc = sqlite3_column_int(st, 5),
        .enabled = sqlite3_column_int(st, 6) != 0,
    };
    return ((store_hj212_device_cb)cb)(ud, &dv);
}

struct dev_count {
    store_hj212_device_cb cb;
    void *ud;
    long n;
};

static int dev_count_cb(void *ud, const struct store_hj212_device *dv)
{
    struct dev_count *c = ud;
    c->n++;
    return c->cb(c->ud, dv);
}

int sq__hj212_device_each(struct store *s, const char *mn, store_hj212_device_cb cb, void *ud,
                          struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, mn ? SQL_DEV_ONE : SQL_DEV_ALL, eb);
    if (!st)
        return EG_EDB;
    if (mn && bind_text(st, 1, mn))
        return sq__err(d->db, eb, "binding an MN");
    struct dev_count c = {cb, ud, 0};
    int rc = each(d, st, dev_row, (any_fn)dev_count_cb, &c, "reading devices", eb);
    if (!rc && mn && c.n == 0)
        return eg_errf(eb, EG_ENOTFOUND, "no device with MN %s", mn);
    return rc;
}

/* ---- device state ---- */

static const char SQL_STATE_PUT[] =
    "INSERT OR REPLACE INTO hj212_state(mn, online, peer, connected, last_seen, last_data, "
    "last_cn, frames, hour, frames_hour, frames_prev_hour, vals, replaced, rej_pw, rej_parse, "
    "rej_crc, rej_length, rej_bad_length, rej_oversize, rej_truncated, rej_stray, rej_st) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20, ?21, ?22)";
#define SQL_STATE_COLS                                                                        \
    "SELECT mn, online, peer, connected, last_seen, last_data, last_cn, frames, hour, "       \
    "frames_hour, frames_prev_hour, vals, replaced, rej_pw, rej_parse, rej_crc, rej_length, " \
    "rej_bad_length, rej_oversize, rej_truncated, rej_stray, rej_st FROM hj212_state "
static const char SQL_STATE_ALL[] = SQL_STATE_COLS "ORDER BY mn";
static const char SQL_STATE_ONE[] = SQL_STATE_COLS "WHERE mn = ?1";

_Static_assert(STORE_HJ212_REJ__COUNT == 9, "hj212_state has one column per reject reason");

int sq__hj212_state_put(struct store *s, const struct store_hj212_state *x, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_STATE_PUT, eb);
    if (!st)
        return EG_EDB;
    int bad = bind_text(st, 1, x->mn) || sqlite3_bind_int(st, 2, x->online ? 1 : 0) ||
              bind_text(st, 3, x->peer) || sqlite3_bind_int64(st, 4, x->connected_s) ||
              sqlite3_bind_int64(st, 5, x->last_seen_s) ||
              sqlite3_bind_int64(st, 6, x->last_data_ms) || sqlite3_bind_int(st, 7, x->last_cn) ||
              sqlite3_bind_int64(st, 8, x->frames) || sqlite3_bind_int64(st, 9, x->hour_s) ||
              sqlite3_bind_int64(st, 10, x->frames_hour) ||
              sqlite3_bind_int64(st, 11, x->frames_prev_hour) ||
              sqlite3_bind_int64(st, 12, x->values) || sqlite3_bind_int64(st, 13, x->replaced);
    for (int i = 0; i < STORE_HJ212_REJ__COUNT && !bad; i++)
        bad = sqlite3_bind_int64(st, 14 + i, x->rej[i]);
    if (bad)
        return sq__err(d->db, eb, "binding a device state");
    return done(d, st, "writing a device state", eb);
}

static int state_row(sqlite3_stmt *st, any_fn cb, void *ud)
{
    struct store_hj212_state x = {
        .mn = col_text(st, 0),
        .online = sqlite3_column_int(st, 1) != 0,
        .peer = col_text(st, 2),
        .connected_s = sqlite3_column_int64(st, 3),
        .last_seen_s = sqlite3_column_int64(st, 4),
        .last_data_ms = sqlite3_column_int64(st, 5),
        .last_cn = sqlite3_column_int(st, 6),
        .frames = sqlite3_column_int64(st, 7),
        .hour_s = sqlite3_column_int64(st, 8),
        .frames_hour = sqlite3_column_int64(st, 9),
        .frames_prev_hour = sqlite3_column_int64(st, 10),
        .values = sqlite3_column_int64(st, 11),
        .replaced = sqlite3_column_int64(st, 12),
    };
    for (int i = 0; i < STORE_HJ212_REJ__COUNT; i++)
        x.rej[i] = sqlite3_column_int64(st, 13 + i);
    return ((store_hj212_state_cb)cb)(ud, &x);
}

int sq__hj212_state_each(struct store *s, const char *mn, store_hj212_state_cb cb, void *ud,
                         struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, mn ? SQL_STATE_ONE : SQL_STATE_ALL, eb);
    if (!st)
        return EG_EDB;
    if (mn && bind_text(st, 1, mn))
        return sq__err(d->db, eb, "binding an MN");
    return each(d, st, state_row, (any_fn)cb, ud, "reading device states", eb);
}

/* ---- readings ---- */

static const char SQL_READ_INS[] =
    "INSERT INTO hj212_reading(mn, cn, t, point, st, flag, received, v) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(t, mn, cn) DO NOTHING";
static const char SQL_READ_GET[] =
    "SELECT v FROM hj212_reading WHERE mn = ?1 AND cn = ?2 AND t = ?3";
static const char SQL_READ_UPD[] =
    "UPDATE hj212_reading SET v = ?4, point = ?5, st = ?6, flag = ?7, received = ?8 "
    "WHERE mn = ?1 AND cn = ?2 AND t = ?3";
static const char SQL_READ_EACH[] =
    "SELECT mn, cn, t, point, st, flag, received, v FROM hj212_reading "
    "WHERE t >= ?1 AND t <= ?2 AND (?3 IS NULL OR mn = ?3) AND (?4 IS NULL OR point = ?4) "
    "ORDER BY mn, cn, t";

static bool same(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && memcmp(a, b, an) == 0;
}

/* Does the blob hold an entry of this item? */
static bool has_item(const void *blob, size_t len, const char *item, size_t n)
{
    size_t pos = 0;
    struct store_hj212_entry e;
    while (store_hj212_vals_next(blob, len, &pos, &e) == 1)
        if (same(e.item, e.item_len, item, n))
            return true;
    return false;
}

/* Distinct items of a blob (an item's fields are contiguous), and how many of them `old` has. */
static void count_items(const void *blob, size_t len, const void *old, size_t old_len,
                        int *ret_items, int *ret_in_old)
{
    size_t pos = 0;
    struct store_hj212_entry e;
    const char *prev = NULL;
    size_t prev_n = 0;
    int items = 0, in_old = 0;
    while (store_hj212_vals_next(blob, len, &pos, &e) == 1) {
        if (prev && same(prev, prev_n, e.item, e.item_len))
            continue;
        prev = e.item;
        prev_n = e.item_len;
        items++;
        if (old && has_item(old, old_len, e.item, e.item_len))
            in_old++;
    }
    *ret_items = items;
    *ret_in_old = in_old;
}

static int bind_reading(sqlite3_stmt *st, const struct store_hj212_reading *r)
{
    return bind_text(st, 1, r->mn) || sqlite3_bind_int(st, 2, r->cn) ||
           sqlite3_bind_int64(st, 3, r->time_ms);
}

int sq__hj212_reading_put(struct store *s, const struct store_hj212_reading *r, int *ret_values,
                          int *ret_replaced, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_READ_INS, eb);
    int rc, items = 0, replaced = 0;
    if (!st)
        return EG_EDB;
    if (bind_reading(st, r) || bind_text(st, 4, r->point) || bind_text(st, 5, r->st) ||
        (r->flag >= 0 ? sqlite3_bind_int(st, 6, r->flag) : sqlite3_bind_null(st, 6)) ||
        sqlite3_bind_int64(st, 7, r->received_ms) ||
        sqlite3_bind_blob(st, 8, r->vals, (int)r->vals_len, SQLITE_STATIC))
        return sq__err(d->db, eb, "binding a reading");
    if ((rc = done(d, st, "writing a reading", eb)))
        return rc;
    if (sqlite3_changes(d->db) == 1) {
        count_items(r->vals, r->vals_len, NULL, 0, &items, &replaced);
        goto out;
    }
    /* The key exists: merge item by item. */
    sqlite3_stmt *get = sq__prep(d, SQL_READ_GET, eb);
    if (!get)
        return EG_EDB;
    if (bind_reading(get, r))
        return sq__err(d->db, eb, "binding a reading");
    int src = sqlite3_step(get);
    if (src != SQLITE_ROW) {
        rc = sq__err(d->db, eb, "reading a stored reading");
        sqlite3_reset(get);
        return rc;
    }
    const void *old = sqlite3_column_blob(get, 0);
    size_t old_len = (size_t)sqlite3_column_bytes(get, 0);
    size_t cap = old_len + r->vals_len;
    unsigned char *m = eg_malloc(cap ? cap : 1);
    if (!m) {
        sqlite3_reset(get);
        return eg_errf(eb, EG_ENOMEM, "out of memory merging a reading");
    }
    size_t mlen = 0, pos = 0, start = 0;
    struct store_hj212_entry e;
    /* keep the old entries whose item the new blob does not carry */
    while (store_hj212_vals_next(old, old_len, &pos, &e) == 1) {
        if (!has_item(r->vals, r->vals_len, e.item, e.item_len)) {
            memcpy(m + mlen, (const unsigned char *)old + start, pos - start);
            mlen += pos - start;
        }
        start = pos;
    }
    count_items(r->vals, r->vals_len, old, old_len, &items, &replaced);
    sqlite3_reset(get);
    if (mlen + r->vals_len > STORE_HJ212_VALS_MAX)
        mlen = 0; /* the merged set would be too large: the newest data set wins */
    memcpy(m + mlen, r->vals, r->vals_len);
    mlen += r->vals_len;
    sqlite3_stmt *upd = sq__prep(d, SQL_READ_UPD, eb);
    if (!upd) {
        eg_free(m);
        return EG_EDB;
    }
    if (bind_reading(upd, r) || sqlite3_bind_blob(upd, 4, m, (int)mlen, SQLITE_STATIC) ||
        bind_text(upd, 5, r->point) || bind_text(upd, 6, r->st) ||
        (r->flag >= 0 ? sqlite3_bind_int(upd, 7, r->flag) : sqlite3_bind_null(upd, 7)) ||
        sqlite3_bind_int64(upd, 8, r->received_ms)) {
        eg_free(m);
        return sq__err(d->db, eb, "binding a reading");
    }
    rc = done(d, upd, "merging a reading", eb);
    sqlite3_clear_bindings(upd);
    eg_free(m);
    if (rc)
        return rc;
out:
    if (ret_values)
        *ret_values = items;
    if (ret_replaced)
        *ret_replaced = replaced;
    return 0;
}

static int reading_row(sqlite3_stmt *st, any_fn cb, void *ud)
{
    struct store_hj212_reading r = {
        .mn = col_text(st, 0),
        .cn = sqlite3_column_int(st, 1),
        .time_ms = sqlite3_column_int64(st, 2),
        .point = col_text(st, 3),
        .st = col_text(st, 4),
        .flag = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 5),
        .received_ms = sqlite3_column_int64(st, 6),
        .vals = sqlite3_column_blob(st, 7),
        .vals_len = (size_t)sqlite3_column_bytes(st, 7),
    };
    return ((store_hj212_reading_cb)cb)(ud, &r);
}

int sq__hj212_reading_each(struct store *s, int64_t from_ms, int64_t to_ms, const char *mn,
                           const char *point, store_hj212_reading_cb cb, void *ud,
                           struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_READ_EACH, eb);
    if (!st)
        return EG_EDB;
    if (sqlite3_bind_int64(st, 1, from_ms) || sqlite3_bind_int64(st, 2, to_ms) ||
        bind_opt(st, 3, mn) || bind_opt(st, 4, point))
        return sq__err(d->db, eb, "binding a reading range");
    return each(d, st, reading_row, (any_fn)cb, ud, "reading readings", eb);
}

/* ---- quarantine ---- */

static const char SQL_Q_MN[] =
    "INSERT INTO hj212_quarantine_mn(mn, frames, first, last, peer) VALUES (?1, 1, ?2, ?2, ?3) "
    "ON CONFLICT(mn) DO UPDATE SET frames = frames + 1, last = excluded.last, "
    "peer = excluded.peer RETURNING frames";
static const char SQL_Q_PUT[] =
    "INSERT INTO hj212_quarantine(mn, received, peer, frame) VALUES (?1, ?2, ?3, ?4)";
#define SQL_Q_COLS                                                                       \
    "SELECT m.mn, m.frames, m.first, m.last, m.peer, "                                   \
    "(SELECT frame FROM hj212_quarantine q WHERE q.mn = m.mn ORDER BY id DESC LIMIT 1) " \
    "FROM hj212_quarantine_mn m "
static const char SQL_Q_ALL[] = SQL_Q_COLS "ORDER BY m.mn";
static const char SQL_Q_ONE[] = SQL_Q_COLS "WHERE m.mn = ?1";

int sq__hj212_quarantine_put(struct store *s, const char *mn, const char *peer, int64_t received_s,
                             const char *frame, size_t frame_len, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_Q_MN, eb);
    if (!st)
        return EG_EDB;
    if (bind_text(st, 1, mn) || sqlite3_bind_int64(st, 2, received_s) || bind_text(st, 3, peer))
        return sq__err(d->db, eb, "binding a quarantined frame");
    int src = sqlite3_step(st);
    int64_t n = src == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    while (src == SQLITE_ROW)
        src = sqlite3_step(st);
    sqlite3_reset(st);
    if (src != SQLITE_DONE)
        return sq__err(d->db, eb, "counting a quarantined frame");
    if (n > STORE_HJ212_QUARANTINE_PER_MN)
        return 0;
    if (!(st = sq__prep(d, SQL_Q_PUT, eb)))
        return EG_EDB;
    if (bind_text(st, 1, mn) || sqlite3_bind_int64(st, 2, received_s) || bind_text(st, 3, peer) ||
        sqlite3_bind_blob(st, 4, frame, (int)frame_len, SQLITE_STATIC))
        return sq__err(d->db, eb, "binding a quarantined frame");
    return done(d, st, "writing a quarantined frame", eb);
}

static int q_row(sqlite3_stmt *st, any_fn cb, void *ud)
{
    /* the frame blob is not NUL-terminated: copy it (bounded by the quarantine input check) */
    const void *f = sqlite3_column_blob(st, 5);
    size_t n = (size_t)sqlite3_column_bytes(st, 5);
    char *copy = eg_strndup(f ? f : "", f ? n : 0);
    if (!copy)
        return EG_ENOMEM;
    struct store_hj212_quarantined q = {
        .mn = col_text(st, 0),
        .frames = sqlite3_column_int64(st, 1),
        .first_s = sqlite3_column_int64(st, 2),
        .last_s = sqlite3_column_int64(st, 3),
        .peer = col_text(st, 4),
        .last_frame = copy,
    };
    int rc = ((store_hj212_quarantine_cb)cb)(ud, &q);
    eg_free(copy);
    return rc;
}

int sq__hj212_quarantine_each(struct store *s, const char *mn, store_hj212_quarantine_cb cb,
                              void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, mn ? SQL_Q_ONE : SQL_Q_ALL, eb);
    if (!st)
        return EG_EDB;
    if (mn && bind_text(st, 1, mn))
        return sq__err(d->db, eb, "binding an MN");
    return each(d, st, q_row, (any_fn)cb, ud, "reading the quarantine", eb);
}

/* ---- limits ---- */

static const char SQL_LIM_PUT[] = "INSERT INTO hj212_limit(point, item, max) VALUES (?1, ?2, ?3) "
                                  "ON CONFLICT(point, item) DO UPDATE SET max = excluded.max";
static const char SQL_LIM_DEL[] = "DELETE FROM hj212_limit WHERE point = ?1 AND item = ?2";
static const char SQL_LIM_EACH[] = "SELECT point, item, max FROM hj212_limit ORDER BY point, item";

int sq__hj212_limit_put(struct store *s, const char *point, const char *item, const char *max,
                        struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, max ? SQL_LIM_PUT : SQL_LIM_DEL, eb);
    if (!st)
        return EG_EDB;
    if (bind_text(st, 1, point) || bind_text(st, 2, item) || (max && bind_text(st, 3, max)))
        return sq__err(d->db, eb, "binding a limit");
    return done(d, st, "writing a limit", eb);
}

static int lim_row(sqlite3_stmt *st, any_fn cb, void *ud)
{
    return ((store_hj212_limit_cb)cb)(ud, col_text(st, 0), col_text(st, 1), col_text(st, 2));
}

int sq__hj212_limit_each(struct store *s, store_hj212_limit_cb cb, void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_LIM_EACH, eb);
    if (!st)
        return EG_EDB;
    return each(d, st, lim_row, (any_fn)cb, ud, "reading limits", eb);
}

/* ---- alarms ---- */

static const char SQL_AL_ADD[] =
    "INSERT INTO hj212_alarm(t, mn, point, kind, item, cn, data_t, value, lim, message) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_AL_EACH[] =
    "SELECT id, t, mn, point, kind, item, cn, data_t, value, lim, message FROM hj212_alarm "
    "WHERE t >= ?1 AND t <= ?2 AND (?3 IS NULL OR mn = ?3) ORDER BY t, id";

int sq__hj212_alarm_add(struct store *s, const struct store_hj212_alarm *a, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_AL_ADD, eb);
    if (!st)
        return EG_EDB;
    if (sqlite3_bind_int64(st, 1, a->time_s) || bind_text(st, 2, a->mn) ||
        bind_text(st, 3, a->point) || bind_text(st, 4, a->kind) || bind_text(st, 5, a->item) ||
        sqlite3_bind_int(st, 6, a->cn) || sqlite3_bind_int64(st, 7, a->data_ms) ||
        bind_text(st, 8, a->value) || bind_text(st, 9, a->limit) || bind_text(st, 10, a->message))
        return sq__err(d->db, eb, "binding an alarm");
    return done(d, st, "writing an alarm", eb);
}

static int al_row(sqlite3_stmt *st, any_fn cb, void *ud)
{
    struct store_hj212_alarm a = {
        .id = sqlite3_column_int64(st, 0),
        .time_s = sqlite3_column_int64(st, 1),
        .mn = col_text(st, 2),
        .point = col_text(st, 3),
        .kind = col_text(st, 4),
        .item = col_text(st, 5),
        .cn = sqlite3_column_int(st, 6),
        .data_ms = sqlite3_column_int64(st, 7),
        .value = col_text(st, 8),
        .limit = col_text(st, 9),
        .message = col_text(st, 10),
    };
    return ((store_hj212_alarm_cb)cb)(ud, &a);
}

int sq__hj212_alarm_each(struct store *s, int64_t from_s, int64_t to_s, const char *mn,
                         store_hj212_alarm_cb cb, void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_AL_EACH, eb);
    if (!st)
        return EG_EDB;
    if (sqlite3_bind_int64(st, 1, from_s) || sqlite3_bind_int64(st, 2, to_s) || bind_opt(st, 3, mn))
        return sq__err(d->db, eb, "binding an alarm range");
    return each(d, st, al_row, (any_fn)cb, ud, "reading alarms", eb);
}

/* ---- downlink commands ---- */

static const char SQL_CMD_ADD[] = "INSERT INTO hj212_cmd(mn, cn, cp, state, created, updated) "
                                  "VALUES (?1, ?2, ?3, 'pending', unixepoch(), unixepoch())";
static const char SQL_CMD_UPD[] =
    "UPDATE hj212_cmd SET state = ?2, qn = ?3, tries = ?4, qn_rtn = ?5, exe_rtn = ?6, "
    "result = ?7, updated = unixepoch() WHERE id = ?1";
static const char SQL_CMD_EACH[] =
    "SELECT id, mn, cn, cp, state, qn, tries, qn_rtn, exe_rtn, result, created, updated "
    "FROM hj212_cmd WHERE (?1 = 0 OR id = ?1) AND (?2 IS NULL OR state = ?2) ORDER BY id";

int sq__hj212_cmd_add(struct store *s, const char *mn, int cn, const char *cp, int64_t *ret_id,
                      struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_CMD_ADD, eb);
    if (!st)
        return EG_EDB;
    if (bind_text(st, 1, mn) || sqlite3_bind_int(st, 2, cn) || bind_text(st, 3, cp))
        return sq__err(d->db, eb, "binding a command");
    int rc = done(d, st, "queueing a command", eb);
    if (!rc && ret_id)
        *ret_id = sqlite3_last_insert_rowid(d->db);
    return rc;
}

int sq__hj212_cmd_update(struct store *s, const struct store_hj212_cmd *c, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_CMD_UPD, eb);
    if (!st)
        return EG_EDB;
    if (sqlite3_bind_int64(st, 1, c->id) || bind_text(st, 2, c->state) || bind_text(st, 3, c->qn) ||
        sqlite3_bind_int(st, 4, c->tries) || sqlite3_bind_int(st, 5, c->qn_rtn) ||
        sqlite3_bind_int(st, 6, c->exe_rtn) || bind_text(st, 7, c->result))
        return sq__err(d->db, eb, "binding a command");
    return done(d, st, "updating a command", eb);
}

static int cmd_row(sqlite3_stmt *st, any_fn cb, void *ud)
{
    struct store_hj212_cmd c = {
        .id = sqlite3_column_int64(st, 0),
        .mn = col_text(st, 1),
        .cn = sqlite3_column_int(st, 2),
        .cp = col_text(st, 3),
        .state = col_text(st, 4),
        .qn = col_text(st, 5),
        .tries = sqlite3_column_int(st, 6),
        .qn_rtn = sqlite3_column_int(st, 7),
        .exe_rtn = sqlite3_column_int(st, 8),
        .result = col_text(st, 9),
        .created_s = sqlite3_column_int64(st, 10),
        .updated_s = sqlite3_column_int64(st, 11),
    };
    return ((store_hj212_cmd_cb)cb)(ud, &c);
}

int sq__hj212_cmd_each(struct store *s, int64_t id, const char *state, store_hj212_cmd_cb cb,
                       void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_CMD_EACH, eb);
    if (!st)
        return EG_EDB;
    if (sqlite3_bind_int64(st, 1, id) || bind_opt(st, 2, state))
        return sq__err(d->db, eb, "binding a command query");
    return each(d, st, cmd_row, (any_fn)cb, ud, "reading commands", eb);
}

static const char SQL_STAMP[] = "SELECT n FROM hj212_registry_stamp WHERE id = 1";

int sq__hj212_registry_stamp(struct store *s, int64_t *ret, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_STAMP, eb);
    if (!st)
        return EG_EDB;
    int rc = sqlite3_step(st);
    *ret = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
                                               : sq__err(d->db, eb, "reading the registry stamp");
    sqlite3_reset(st);
    return rc;
}

/* WAL + synchronous = FULL: every COMMIT fsyncs the WAL before returning, so whatever the gateway
 * acknowledges after a commit survives a crash or a power cut (the store's default, NORMAL, only
 * fsyncs at checkpoints — right for idempotent imports, wrong for acknowledged data). */
int sq__hj212_durable(struct store *s, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    if (sqlite3_exec(d->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK)
        return sq__err(d->db, eb, "PRAGMA synchronous = FULL");
    return 0;
}
