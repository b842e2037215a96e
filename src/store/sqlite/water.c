/* water.c — the SQLite side of the water domain: the tables water_point and water_sample and
 * their migrations.
 *
 * A sampling event (point, instant) is one row whose blob carries all its results: per result
 * [u8 item length][item][i64 LE value][u8 flags].  One row per event rather than per value puts a
 * month's 24-item sampling in one B-tree insert (reference/limits.md: ~100 k rows/s), and the key
 * (point, t) is the order evaluations read.  Writing an event merges: the items given replace the
 * same items of the stored event, the others stay.
 */
#include <math.h>
#include <string.h>

#include "common/eg_mem.h"
#include "sqlite-int.h"

static const char *const water_steps[] = {
    /* 1: points of every water and soil medium, and sampling events. */
    "CREATE TABLE water_point ("
    "  code TEXT PRIMARY KEY NOT NULL,"
    "  name TEXT NOT NULL DEFAULT '',"
    "  kind TEXT NOT NULL," /* section source lake sea well farmland construction odorous */
    "  water TEXT NOT NULL DEFAULT ''," /* river | lake | ground */
    "  target INTEGER NOT NULL DEFAULT 0,"
    "  level TEXT NOT NULL DEFAULT '',"
    "  lon REAL, lat REAL,"
    "  body TEXT NOT NULL DEFAULT ''," /* the water body (river, lake, sea area) */
    "  county TEXT NOT NULL DEFAULT '',"
    "  supply INTEGER NOT NULL DEFAULT 0," /* × 10^9 */
    "  area INTEGER NOT NULL DEFAULT 0,"   /* × 10^9 */
    "  land_use TEXT NOT NULL DEFAULT '',"
    "  ph INTEGER NOT NULL DEFAULT -1,"   /* × 10^9, -1 unknown */
    "  depth INTEGER NOT NULL DEFAULT 0," /* cm × 10^9, 0 unknown */
    "  measures_ok INTEGER NOT NULL DEFAULT 0"
    ") WITHOUT ROWID;"
    "CREATE INDEX water_point_kind ON water_point(kind);"
    "CREATE TABLE water_sample ("
    "  point TEXT NOT NULL REFERENCES water_point(code),"
    "  t INTEGER NOT NULL," /* UTC epoch seconds */
    "  v BLOB NOT NULL,"
    "  PRIMARY KEY (point, t)"
    ") WITHOUT ROWID;",
};

const struct sq__domain sq__domain_water = {"water", water_steps,
                                            (int)(sizeof(water_steps) / sizeof(water_steps[0]))};

static const char SQL_POINT_PUT[] =
    "INSERT INTO water_point(code, name, kind, water, target, level, lon, lat, body, county, "
    "supply, area, land_use, ph, depth, measures_ok) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
    "?10, ?11, ?12, ?13, ?14, ?15, ?16) ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
    "kind = excluded.kind, water = excluded.water, target = excluded.target, level = "
    "excluded.level, lon = excluded.lon, lat = excluded.lat, body = excluded.body, county = "
    "excluded.county, supply = excluded.supply, area = excluded.area, land_use = "
    "excluded.land_use, ph = excluded.ph, depth = excluded.depth, measures_ok = "
    "excluded.measures_ok";
static const char SQL_POINT_ALL[] =
    "SELECT code, name, kind, water, target, level, lon, lat, body, county, supply, area, "
    "land_use, ph, depth, measures_ok FROM water_point ORDER BY code";
static const char SQL_POINT_KIND[] =
    "SELECT code, name, kind, water, target, level, lon, lat, body, county, supply, area, "
    "land_use, ph, depth, measures_ok FROM water_point WHERE kind = ?1 ORDER BY code";
static const char SQL_SAMPLE_GET[] = "SELECT v FROM water_sample WHERE point = ?1 AND t = ?2";
static const char SQL_SAMPLE_PUT[] =
    "INSERT OR REPLACE INTO water_sample(point, t, v) VALUES (?1, ?2, ?3)";
static const char SQL_SAMPLE_ALL[] =
    "SELECT point, t, v FROM water_sample WHERE t BETWEEN ?1 AND ?2 ORDER BY point, t";
static const char SQL_SAMPLE_ONE[] =
    "SELECT point, t, v FROM water_sample WHERE point = ?3 AND t BETWEEN ?1 AND ?2 ORDER BY t";

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

int sq__water_point_put(struct store *s, const struct store_water_point *p, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_POINT_PUT, eb);
    if (!st)
        return EG_EDB;
    bind_text(st, 1, p->code);
    bind_text(st, 2, p->name);
    bind_text(st, 3, p->kind);
    bind_text(st, 4, p->water);
    sqlite3_bind_int(st, 5, p->target);
    bind_text(st, 6, p->level);
    if (p->lon == p->lon)
        sqlite3_bind_double(st, 7, p->lon);
    if (p->lat == p->lat)
        sqlite3_bind_double(st, 8, p->lat);
    bind_text(st, 9, p->body);
    bind_text(st, 10, p->county);
    sqlite3_bind_int64(st, 11, p->supply);
    sqlite3_bind_int64(st, 12, p->area);
    bind_text(st, 13, p->land_use);
    sqlite3_bind_int64(st, 14, p->ph);
    sqlite3_bind_int64(st, 15, p->depth);
    sqlite3_bind_int(st, 16, p->measures_ok);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq__err(d->db, eb, "storing a water point");
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

int sq__water_point_each(struct store *s, const char *kind, store_water_point_cb cb, void *ud,
                         struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, kind ? SQL_POINT_KIND : SQL_POINT_ALL, eb);
    int rc, ret = 0;
    if (!st)
        return EG_EDB;
    if (kind)
        bind_text(st, 1, kind);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_water_point p;
        memset(&p, 0, sizeof(p));
        p.code = col_text(st, 0);
        p.name = col_text(st, 1);
        p.kind = col_text(st, 2);
        p.water = col_text(st, 3);
        p.target = sqlite3_column_int(st, 4);
        p.level = col_text(st, 5);
        p.lon =
            sqlite3_column_type(st, 6) == SQLITE_NULL ? (double)NAN : sqlite3_column_double(st, 6);
        p.lat =
            sqlite3_column_type(st, 7) == SQLITE_NULL ? (double)NAN : sqlite3_column_double(st, 7);
        p.body = col_text(st, 8);
        p.county = col_text(st, 9);
        p.supply = sqlite3_column_int64(st, 10);
        p.area = sqlite3_column_int64(st, 11);
        p.land_use = col_text(st, 12);
        p.ph = sqlite3_column_int64(st, 13);
        p.depth = sqlite3_column_int64(st, 14);
        p.measures_ok = sqlite3_column_int(st, 15) != 0;
        if ((ret = cb(ud, &p)))
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sq__err(d->db, eb, "reading water points");
    sqlite3_reset(st);
    return ret;
}

/* ---- the event blob ---- */

#define REC_MAX (1 + STORE_WATER_ITEM_MAX + 8 + 1)

static size_t rec_put(unsigned char *o, const char *item, int64_t v, uint32_t flags)
{
    size_t k = strlen(item);
    o[0] = (unsigned char)k;
    memcpy(o + 1, item, k);
    uint64_t u = (uint64_t)v;
    for (int b = 0; b < 8; b++)
        o[1 + k + (size_t)b] = (unsigned char)(u >> (8 * b));
    o[1 + k + 8] = (unsigned char)flags;
    return 1 + k + 9;
}

/* Decode one record at p (n bytes left); returns its size or 0 when malformed. */
static size_t rec_get(const unsigned char *p, size_t n, char *item, int64_t *v, uint32_t *flags)
{
    if (n < 1)
        return 0;
    size_t k = p[0];
    if (k == 0 || k > STORE_WATER_ITEM_MAX || n < 1 + k + 9)
        return 0;
    memcpy(item, p + 1, k);
    item[k] = 0;
    uint64_t u = 0;
    for (int b = 0; b < 8; b++)
        u |= (uint64_t)p[1 + k + (size_t)b] << (8 * b);
    *v = (int64_t)u;
    *flags = p[1 + k + 8];
    return 1 + k + 9;
}

int sq__water_sample_put(struct store *s, const char *point, int64_t t,
                         const struct store_water_result *r, size_t n, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    unsigned char buf[STORE_WATER_MAX_ITEMS * REC_MAX];
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += rec_put(buf + len, r[i].item, r[i].v, r[i].flags);
    sqlite3_stmt *get = sq__prep(d, SQL_SAMPLE_GET, eb);
    if (!get)
        return EG_EDB;
    bind_text(get, 1, point);
    sqlite3_bind_int64(get, 2, t);
    int rc = sqlite3_step(get);
    if (rc == SQLITE_ROW) {
        /* keep the stored results of items this write does not carry */
        const unsigned char *p = sqlite3_column_blob(get, 0);
        size_t m = (size_t)sqlite3_column_bytes(get, 0), off = 0, k;
        char item[STORE_WATER_ITEM_MAX + 1];
        int64_t v;
        uint32_t fl;
        size_t count = n;
        while (p && (k = rec_get(p + off, m - off, item, &v, &fl)) > 0) {
            off += k;
            bool given = false;
            for (size_t i = 0; i < n && !given; i++)
                given = !strcmp(r[i].item, item);
            if (!given && count < STORE_WATER_MAX_ITEMS) {
                len += rec_put(buf + len, item, v, fl);
                count++;
            }
        }
    } else if (rc != SQLITE_DONE) {
        sqlite3_reset(get);
        return sq__err(d->db, eb, "reading a sampling event");
    }
    sqlite3_reset(get);
    sqlite3_stmt *put = sq__prep(d, SQL_SAMPLE_PUT, eb);
    if (!put)
        return EG_EDB;
    bind_text(put, 1, point);
    sqlite3_bind_int64(put, 2, t);
    sqlite3_bind_blob(put, 3, buf, (int)len, SQLITE_STATIC);
    rc = sqlite3_step(put);
    sqlite3_reset(put);
    return rc == SQLITE_DONE ? 0 : sq__err(d->db, eb, "storing a sampling event");
}

int sq__water_sample_scan(struct store *s, int64_t from, int64_t to, const char *point,
                          store_water_sample_cb cb, void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, point ? SQL_SAMPLE_ONE : SQL_SAMPLE_ALL, eb);
    int rc, ret = 0;
    if (!st)
        return EG_EDB;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    if (point)
        bind_text(st, 3, point);
    struct store_water_result r[STORE_WATER_MAX_ITEMS];
    char names[STORE_WATER_MAX_ITEMS][STORE_WATER_ITEM_MAX + 1];
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_blob(st, 2);
        size_t m = (size_t)sqlite3_column_bytes(st, 2), off = 0, k, n = 0;
        while (p && n < STORE_WATER_MAX_ITEMS &&
               (k = rec_get(p + off, m - off, names[n], &r[n].v, &r[n].flags)) > 0) {
            r[n].item = names[n];
            off += k;
            n++;
        }
        if ((ret = cb(ud, col_text(st, 0), sqlite3_column_int64(st, 1), r, n)))
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sq__err(d->db, eb, "reading sampling events");
    sqlite3_reset(st);
    return ret;
}
