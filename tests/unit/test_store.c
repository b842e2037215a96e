/* test_store.c — the storage interface (store.h) on the SQLite back-end: migrations from an empty
 * file, version checks, put/scan round trips and their promised order, filters, extent,
 * stations seen only in data, imported-file records, dust flags, transactions and misuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common/eg_mem.h"
#include "common/eg_time.h"
#include "store/store.h"
#include "store_testutil.h"

static struct store *open_fresh(const char *tag)
{
    struct store *s = NULL;
    struct eg_errbuf eb;
    char path[512];
    tu_path(path, sizeof(path), tag);
    tu_unlink_db(path);
    int rc = store_open(path, 0, &s, &eb);
    if (rc)
        fprintf(stderr, "store_open: %s\n", eb.msg);
    assert_int_equal(rc, 0);
    return s;
}

static void test_migrate_from_empty(void **state)
{
    (void)state;
    struct store *s = NULL;
    struct eg_errbuf eb;
    char path[512];
    tu_path(path, sizeof(path), "migrate.db");
    tu_unlink_db(path);
    assert_int_equal(store_open(path, 0, &s, &eb), 0);
    /* the sum of every domain's version: at least the air domain's first step */
    int version = store_schema_version(s);
    assert_true(version >= 1);
    store_close(s);
    /* reopen: nothing to do, same version; read-only works on a migrated file */
    assert_int_equal(store_open(path, 0, &s, &eb), 0);
    assert_int_equal(store_schema_version(s), version);
    store_close(s);
    assert_int_equal(store_open(path, STORE_READONLY, &s, &eb), 0);
    int32_t v[24];
    for (int h = 0; h < 24; h++)
        v[h] = h;
    assert_int_equal(store_air_put(s, "1604A", "a34004", 100, v, &eb), EG_EDB);
    store_close(s);

    /* a database from a newer envgov: its air domain is at a version this build doesn't know */
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(raw, "UPDATE schema_domain SET version = 99 WHERE name = 'air'", 0, 0, 0),
        SQLITE_OK);
    sqlite3_close(raw);
    FILE *fp;
    eg_errbuf_clear(&eb);
    assert_int_equal(store_open(path, 0, &s, &eb), EG_ESTATE);
    assert_non_null(strstr(eb.msg, "newer"));

    /* read-only on an empty file: not migrated */
    tu_unlink_db(path);
    fp = fopen(path, "wb");
    fclose(fp);
    assert_int_equal(store_open(path, STORE_READONLY, &s, &eb), EG_ESTATE);
    /* not a database at all */
    fp = fopen(path, "wb");
    fputs("this is not an SQLite database, just some text long enough to have a header......."
          "...................................................................................",
          fp);
    fclose(fp);
    assert_int_equal(store_open(path, 0, &s, &eb), EG_EDB);
    tu_unlink_db(path);
    assert_int_equal(store_open("postgresql://x", 0, &s, &eb), EG_EINVAL);
}

struct row {
    char station[16];
    char item[8];
    int32_t date;
    int32_t v[24];
};

struct collect {
    struct row rows[64];
    size_t n;
    int stop_after; /* 0 = never */
};

static int collect_cb(void *ud, const char *station, const char *item, int32_t date,
                      const int32_t v[24])
{
    struct collect *c = ud;
    assert_true(c->n < 64);
    struct row *r = &c->rows[c->n++];
    snprintf(r->station, sizeof(r->station), "%s", station);
    snprintf(r->item, sizeof(r->item), "%s", item);
    r->date = date;
    memcpy(r->v, v, sizeof(r->v));
    if (c->stop_after && (int)c->n == c->stop_after)
        return 42;
    return 0;
}

static void fill(int32_t v[24], int32_t base)
{
    for (int h = 0; h < 24; h++)
        v[h] = (h % 5 == 3) ? STORE_NA : base + h;
}

static void test_put_scan_round_trip(void **state)
{
    (void)state;
    struct store *s = open_fresh("roundtrip.db");
    struct eg_errbuf eb;
    int32_t v[24];
    const char *stations[] = {"1606A", "1604A", "1605A"};
    const char *items[] = {"a34004", "a21005", "a05024"}; /* PM2.5, CO, O3 */
    int32_t d0 = eg_days_from_civil(2023, 1, 20);
    /* written out of order on purpose */
    assert_int_equal(store_begin(s, &eb), 0);
    for (int di = 2; di >= 0; di--)
        for (int si = 0; si < 3; si++)
            for (int ii = 0; ii < 3; ii++) {
                fill(v, si * 1000 + ii * 100 + di * 10);
                assert_int_equal(store_air_put(s, stations[si], items[ii], d0 + di, v, &eb), 0);
            }
    assert_int_equal(store_commit(s, &eb), 0);
    /* extreme values survive the blob */
    v[0] = INT32_MAX;
    v[1] = INT32_MIN + 1;
    v[2] = -5;
    assert_int_equal(store_air_put(s, "1604A", "a34004", d0, v, &eb), 0);

    struct collect c = {0};
    assert_int_equal(store_air_scan(s, d0, d0 + 2, NULL, 0, collect_cb, &c, &eb), 0);
    assert_int_equal(c.n, 27);
    for (size_t i = 1; i < c.n; i++) {
        struct row *a = &c.rows[i - 1], *b = &c.rows[i];
        int k = strcmp(a->station, b->station);
        if (k == 0)
            k = (a->date > b->date) - (a->date < b->date);
        if (k == 0)
            k = strcmp(a->item, b->item);
        assert_true(k < 0); /* station, then date, then item */
    }
    assert_string_equal(c.rows[0].station, "1604A");
    assert_string_equal(c.rows[0].item, "a05024");
    assert_int_equal(c.rows[0].date, d0);
    int32_t want[24];
    fill(want, 1 * 1000 + 2 * 100 + 0);
    assert_memory_equal(c.rows[0].v, want, sizeof(want));
    /* 1604A, d0, a34004 is the overwritten row */
    assert_string_equal(c.rows[2].item, "a34004");
    assert_int_equal(c.rows[2].v[0], INT32_MAX);
    assert_int_equal(c.rows[2].v[1], INT32_MIN + 1);
    assert_int_equal(c.rows[2].v[2], -5);
    assert_int_equal(c.rows[2].v[3], STORE_NA);

    /* a station filter, unsorted and repeated, and a date range */
    memset(&c, 0, sizeof(c));
    const char *want_st[] = {"1606A", "1604A", "1606A", "9999Z"};
    assert_int_equal(store_air_scan(s, d0 + 1, d0 + 1, want_st, 4, collect_cb, &c, &eb), 0);
    assert_int_equal(c.n, 6);
    assert_string_equal(c.rows[0].station, "1604A");
    assert_string_equal(c.rows[5].station, "1606A");
    for (size_t i = 0; i < c.n; i++)
        assert_int_equal(c.rows[i].date, d0 + 1);
    /* the callback's non-zero value stops and is returned */
    memset(&c, 0, sizeof(c));
    c.stop_after = 4;
    assert_int_equal(store_air_scan(s, d0, d0 + 2, NULL, 0, collect_cb, &c, &eb), 42);
    assert_int_equal(c.n, 4);
    /* an empty range, a bad item, a bad code */
    memset(&c, 0, sizeof(c));
    assert_int_equal(store_air_scan(s, d0 + 5, d0 + 9, NULL, 0, collect_cb, &c, &eb), 0);
    assert_int_equal(c.n, 0);
    assert_int_equal(store_air_put(s, "1604A", "PM2.5", d0, v, &eb), EG_EINVAL);
    assert_int_equal(store_air_put(s, "16 04A", "a34004", d0, v, &eb), EG_EINVAL);
    assert_int_equal(store_air_put(s, "", "a34004", d0, v, &eb), EG_EINVAL);

    int32_t first = 0, last = 0;
    assert_int_equal(store_air_extent(s, &first, &last, &eb), 0);
    assert_int_equal(first, d0);
    assert_int_equal(last, d0 + 2);

    /* a row of 24 missing values deletes */
    for (int h = 0; h < 24; h++)
        v[h] = STORE_NA;
    assert_int_equal(store_air_put(s, "1606A", "a34004", d0 + 2, v, &eb), 0);
    memset(&c, 0, sizeof(c));
    assert_int_equal(store_air_scan(s, d0 + 2, d0 + 2, NULL, 0, collect_cb, &c, &eb), 0);
    assert_int_equal(c.n, 8);
    store_close(s);
}

struct st_list {
    char code[8][16];
    bool listed[8], background[8];
    char city[8][32];
    size_t n;
};

static int station_cb(void *ud, const struct store_station *st)
{
    struct st_list *l = ud;
    assert_true(l->n < 8);
    snprintf(l->code[l->n], 16, "%s", st->code);
    snprintf(l->city[l->n], 32, "%s", st->city);
    l->listed[l->n] = st->listed;
    l->background[l->n] = st->background;
    l->n++;
    return 0;
}

static void test_stations(void **state)
{
    (void)state;
    struct store *s = open_fresh("stations.db");
    struct eg_errbuf eb;
    struct store_station a = {"1605A", "兴隆台", "盘锦", 122.0485, 41.0883, false, true};
    struct store_station b = {"1002A", "定陵(对照点)", "北京", 116.2202, 40.2915, true, true};
    assert_int_equal(store_station_put(s, &a, &eb), 0);
    assert_int_equal(store_station_put(s, &b, &eb), 0);
    int32_t v[24];
    fill(v, 1);
    /* a code only seen in data */
    assert_int_equal(store_air_put(s, "9001X", "a34004", 19000, v, &eb), 0);
    struct st_list l = {0};
    assert_int_equal(store_station_each(s, NULL, station_cb, &l, &eb), 0);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.code[0], "1002A");
    assert_true(l.background[0]);
    assert_string_equal(l.code[2], "9001X");
    assert_false(l.listed[2]);
    assert_string_equal(l.city[2], "");
    /* the list arrives later: the unlisted station becomes listed; updates apply */
    struct store_station c = {"9001X", "新站", "盘锦", 122.0, 41.0, false, true};
    a.background = true;
    assert_int_equal(store_station_put(s, &c, &eb), 0);
    assert_int_equal(store_station_put(s, &a, &eb), 0);
    memset(&l, 0, sizeof(l));
    assert_int_equal(store_station_each(s, "盘锦", station_cb, &l, &eb), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.code[0], "1605A");
    assert_true(l.background[0]);
    assert_true(l.listed[1]);
    struct store_station bad = {"1606A", "x", "y", 200.0, 41.0, false, true};
    assert_int_equal(store_station_put(s, &bad, &eb), EG_ERANGE);
    store_close(s);
}

static char dust_log[256];

static int dust_cb(void *ud, const char *city, int32_t day, const char *note)
{
    (void)ud;
    size_t k = strlen(dust_log);
    snprintf(dust_log + k, sizeof(dust_log) - k, "%d %s %s;", (int)day, city, note);
    return 0;
}

static void test_files_and_dust(void **state)
{
    (void)state;
    struct store *s = open_fresh("files.db");
    struct eg_errbuf eb;
    unsigned char d1[32], d2[32];
    memset(d1, 1, 32);
    memset(d2, 2, 32);
    enum store_file_state fs;
    assert_int_equal(store_file_check(s, "a.csv", d1, &fs, &eb), 0);
    assert_int_equal(fs, STORE_FILE_NEW);
    assert_int_equal(store_file_done(s, "a.csv", d1, 10, 200, &eb), 0);
    assert_int_equal(store_file_check(s, "a.csv", d1, &fs, &eb), 0);
    assert_int_equal(fs, STORE_FILE_SAME);
    assert_int_equal(store_file_check(s, "a.csv", d2, &fs, &eb), 0);
    assert_int_equal(fs, STORE_FILE_CHANGED);
    assert_int_equal(store_file_done(s, "a.csv", d2, 11, 201, &eb), 0);
    assert_int_equal(store_file_check(s, "a.csv", d2, &fs, &eb), 0);
    assert_int_equal(fs, STORE_FILE_SAME);

    assert_int_equal(store_dust_set(s, "盘锦", 19400, true, "沙尘", &eb), 0);
    assert_int_equal(store_dust_set(s, "沈阳", 19400, true, NULL, &eb), 0);
    assert_int_equal(store_dust_set(s, "盘锦", 19401, true, "a", &eb), 0);
    assert_int_equal(store_dust_set(s, "盘锦", 19401, true, "b", &eb), 0);
    assert_int_equal(store_dust_set(s, "沈阳", 19400, false, NULL, &eb), 0);
    assert_int_equal(store_dust_set(s, "", 19400, true, NULL, &eb), EG_EINVAL);
    assert_int_equal(store_dust_each(s, 19400, 19401, dust_cb, NULL, &eb), 0);
    assert_string_equal(dust_log, "19400 盘锦 沙尘;19401 盘锦 b;");
    store_close(s);
}

static int reenter_cb(void *ud, const char *station, const char *item, int32_t date,
                      const int32_t v[24])
{
    (void)station, (void)item, (void)date, (void)v;
    struct store *s = ud;
    struct collect c = {0};
    struct eg_errbuf eb;
    assert_int_equal(store_air_scan(s, 0, 100000, NULL, 0, collect_cb, &c, &eb), EG_ESTATE);
    return 0;
}

static void test_transactions(void **state)
{
    (void)state;
    struct store *s = open_fresh("tx.db");
    struct eg_errbuf eb;
    int32_t v[24];
    fill(v, 7);
    assert_int_equal(store_commit(s, &eb), EG_ESTATE);
    assert_int_equal(store_begin(s, &eb), 0);
    assert_int_equal(store_begin(s, &eb), EG_ESTATE);
    assert_int_equal(store_air_put(s, "1604A", "a34004", 19000, v, &eb), 0);
    store_rollback(s);
    int32_t a, b;
    assert_int_equal(store_air_extent(s, &a, &b, &eb), EG_ENOTFOUND);
    /* the station inserted inside the rolled-back transaction is gone, and a later put (with the
     * station cache reset) inserts it again so the foreign key holds */
    assert_int_equal(store_air_put(s, "1604A", "a34004", 19000, v, &eb), 0);
    assert_int_equal(store_air_extent(s, &a, &b, &eb), 0);
    struct st_list l = {0};
    assert_int_equal(store_station_each(s, NULL, station_cb, &l, &eb), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(store_air_scan(s, 0, 100000, NULL, 0, reenter_cb, s, &eb), 0);
    /* close with an open transaction rolls back */
    assert_int_equal(store_begin(s, &eb), 0);
    assert_int_equal(store_air_put(s, "1605A", "a34004", 19001, v, &eb), 0);
    store_close(s);
    store_close(NULL);
}

int main(int argc, char **argv)
{
    tu_setup(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_from_empty), cmocka_unit_test(test_put_scan_round_trip),
        cmocka_unit_test(test_stations),           cmocka_unit_test(test_files_and_dust),
        cmocka_unit_test(test_transactions),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_teardown();
    return rc;
}
