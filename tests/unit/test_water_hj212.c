/* test_water_hj212.c — the water evaluation reads automatic stations' HJ 212 readings as well as
 * laboratory samples (issue 4: "the evaluation reads both").
 *
 * A section with a registered device: its 2031 daily averages and 2061 hourly averages, stored the
 * way the gateway stores them, decide the section's class by GB 3838-2002 Table 1 (COD: III ≤ 20,
 * IV ≤ 30, V ≤ 40 mg/L; NH3-N: II ≤ 0.5 mg/L), exactly as the same values imported as samples do.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/eg_num.h"
#include "common/eg_time.h"
#include "query/query.h"
#include "store/store.h"

static char path[256];

static void put_reading(struct store *s, const char *mn, const char *point, int cn, int32_t day,
                        int hour, const char *cod, const char *nh3n)
{
    unsigned char buf[256];
    struct store_hj212_vals v = {buf, 0, sizeof(buf)};
    assert_int_equal(store_hj212_vals_add(&v, "w01018", 6, "Avg", 3, cod, strlen(cod)), 0);
    assert_int_equal(store_hj212_vals_add(&v, "w01018", 6, "Flag", 4, "N", 1), 0);
    assert_int_equal(store_hj212_vals_add(&v, "w21003", 6, "Avg", 3, nh3n, strlen(nh3n)), 0);
    struct store_hj212_reading r = {0};
    r.mn = mn;
    r.point = point;
    r.st = "21";
    r.cn = cn;
    r.time_ms = eg_unix_from_beijing(day, hour * 3600) * 1000;
    r.flag = 4;
    r.received_ms = r.time_ms;
    r.vals = v.p;
    r.vals_len = v.len;
    struct eg_errbuf eb = {0};
    assert_int_equal(store_hj212_reading_put(s, &r, NULL, NULL, &eb), 0);
}

struct seen {
    int cls;
    size_t nsamples;
    char code[16];
};

static int on_section(void *ud, const struct query_water_rec *r)
{
    struct seen *w = ud;
    if (strcmp(r->pt->code, w->code))
        return 0;
    w->cls = r->section ? r->section->cls : -1;
    w->nsamples = r->nsamples;
    return 0;
}

static struct store *open_db(void)
{
    struct store *s = NULL;
    struct eg_errbuf eb = {0};
    snprintf(path, sizeof(path), "/tmp/envgov-whj-%ld.db", (long)getpid());
    unlink(path);
    assert_int_equal(store_open(path, 0, &s, &eb), 0);
    struct store_water_point p = {0};
    p.code = "AUTO1";
    p.name = "自动站";
    p.kind = "section";
    p.water = "river";
    p.target = 4;
    p.level = "national";
    p.lon = NAN;
    p.lat = NAN;
    p.ph = -1;
    assert_int_equal(store_water_point_put(s, &p, &eb), 0);
    return s;
}

static void close_db(struct store *s)
{
    store_close(s);
    unlink(path);
    char wal[300];
    snprintf(wal, sizeof(wal), "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", path);
    unlink(wal);
}

static int section_class(struct store *s, int32_t from, int32_t to, struct seen *w)
{
    struct query_water q = {0};
    struct eg_errbuf eb = {0};
    q.from = from;
    q.to = to;
    snprintf(w->code, sizeof(w->code), "AUTO1");
    w->cls = 0;
    assert_int_equal(query_water_sections(s, &q, on_section, w, &eb), 0);
    return w->cls;
}

static void test_daily_averages_decide(void **state)
{
    (void)state;
    struct store *s = open_db();
    int32_t d = eg_days_from_civil(2022, 7, 1);
    /* three days of 2031 data: COD 25, 28, 35 → mean 29.333… → IV (≤ 30); NH3-N 0.4 → II */
    put_reading(s, "AUTOMN01", "AUTO1", 2031, d, 0, "25.0", "0.40");
    put_reading(s, "AUTOMN01", "AUTO1", 2031, d + 1, 0, "28.0", "0.40");
    put_reading(s, "AUTOMN01", "AUTO1", 2031, d + 2, 0, "35.0", "0.40");
    struct seen w;
    assert_int_equal(section_class(s, d, d + 2, &w), 4);
    assert_int_equal(w.nsamples, 6); /* two items on three days */
    /* a fourth day at 80 → mean 42 → V is exceeded: 劣V */
    put_reading(s, "AUTOMN01", "AUTO1", 2031, d + 3, 0, "80.0", "0.40");
    assert_int_equal(section_class(s, d, d + 3, &w), 6);
    close_db(s);
}

static void test_hourly_averages_make_a_day(void **state)
{
    (void)state;
    struct store *s = open_db();
    int32_t d = eg_days_from_civil(2022, 8, 1);
    /* 2061 hourly averages only: 12, 14, 16 → the day's value 14 → COD ≤ 15: class I/II item;
     * NH3-N 0.10 → I; with the other items missing the class is the worst of those present */
    put_reading(s, "AUTOMN02", "AUTO1", 2061, d, 1, "12", "0.10");
    put_reading(s, "AUTOMN02", "AUTO1", 2061, d, 2, "14", "0.10");
    put_reading(s, "AUTOMN02", "AUTO1", 2061, d, 3, "16", "0.10");
    struct seen w;
    int cls = section_class(s, d, d, &w);
    assert_int_equal(w.nsamples, 2); /* one value per item for the day */
    assert_true(cls == 1 || cls == 2);
    /* when the device also sent the day's 2031 average, it is the day's value */
    put_reading(s, "AUTOMN02", "AUTO1", 2031, d, 0, "22", "0.10");
    assert_int_equal(section_class(s, d, d, &w), 4); /* COD 22 → IV */
    /* readings of a device whose point is another one do not count */
    put_reading(s, "AUTOMN03", "OTHER", 2031, d, 0, "99", "9.0");
    assert_int_equal(section_class(s, d, d, &w), 4);
    close_db(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daily_averages_decide),
        cmocka_unit_test(test_hourly_averages_make_a_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
