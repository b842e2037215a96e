/* test_gateway_store.c — unit tests of the store's hj212 domain (devices, readings with item-wise
 * merge and replace counting, quarantine cap, state, limits, alarms, commands) and of the devices
 * CSV parser (src/ingest/devices.c).
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

#include "ingest/ingest.h"
#include "store/store.h"

static char dir[256], path[512];

static struct store *open_db(void)
{
    struct store *s = NULL;
    struct eg_errbuf eb = {0};
    int rc = store_open(path, 0, &s, &eb);
    if (rc)
        fail_msg("store_open: %s", eb.msg);
    return s;
}

static void vals(struct store_hj212_vals *v, const char *item, const char *field, const char *val)
{
    assert_int_equal(
        store_hj212_vals_add(v, item, strlen(item), field, strlen(field), val, strlen(val)), 0);
}

static int count_rows(void *ud, const struct store_hj212_reading *r)
{
    int *n = ud;
    size_t pos = 0;
    struct store_hj212_entry e;
    while (store_hj212_vals_next(r->vals, r->vals_len, &pos, &e) == 1)
        (*n)++;
    return 0;
}

static void test_readings_merge(void **state)
{
    (void)state;
    struct store *s = open_db();
    unsigned char b1[512], b2[512];
    struct store_hj212_vals v1 = {b1, 0, sizeof(b1)}, v2 = {b2, 0, sizeof(b2)};
    vals(&v1, "w01018", "Avg", "12.5");
    vals(&v1, "w01018", "Flag", "N");
    vals(&v1, "w21003", "Avg", "0.81");
    struct store_hj212_reading r = {"MN1", "P1", "32", 2061, 1714492800000, 5, 1, b1, v1.len};
    int n = -1, rep = -1;
    assert_int_equal(store_hj212_reading_put(s, &r, &n, &rep, NULL), 0);
    assert_int_equal(n, 2);
    assert_int_equal(rep, 0);
    /* second sub-packet: a new item and a re-sent one */
    vals(&v2, "w21003", "Avg", "0.90");
    vals(&v2, "w00000", "Cou", "1000");
    r.vals = b2;
    r.vals_len = v2.len;
    assert_int_equal(store_hj212_reading_put(s, &r, &n, &rep, NULL), 0);
    assert_int_equal(n, 2);
    assert_int_equal(rep, 1);
    int entries = 0;
    assert_int_equal(
        store_hj212_reading_each(s, 0, INT64_MAX / 2, "MN1", NULL, count_rows, &entries, NULL), 0);
    assert_int_equal(entries, 4); /* w01018 Avg+Flag, w21003 Avg (new), w00000 Cou */
    /* a corrupt blob is detected */
    struct store_hj212_entry e;
    size_t pos = 0;
    unsigned char bad[3] = {5, 'a', 'b'};
    assert_int_equal(store_hj212_vals_next(bad, sizeof(bad), &pos, &e), EG_EPARSE);
    store_close(s);
}

static int dev_cb(void *ud, const struct store_hj212_device *d)
{
    int *n = ud;
    assert_string_equal(d->point, "PX");
    (*n)++;
    return 0;
}

static void test_devices_and_rest(void **state)
{
    (void)state;
    struct store *s = open_db();
    struct eg_errbuf eb = {0};
    const char *csv = "mn,point,pw,st,crc\nA1,PX,123456,31,modbus\nA2,PX,,32,\n";
    struct ingest_stats st = {0};
    int64_t stamp0 = -1, stamp1 = -1, stamp2 = -1, stamp3 = -1;
    assert_int_equal(store_hj212_registry_stamp(s, &stamp0, NULL), 0);
    assert_int_equal(ingest_devices_buffer(s, csv, strlen(csv), "d.csv", &st, &eb), 0);
    /* the registry stamp moves with every change to devices (and limits, below) */
    assert_int_equal(store_hj212_registry_stamp(s, &stamp1, NULL), 0);
    assert_true(stamp1 > stamp0);
    assert_int_equal(st.rows, 2);
    int n = 0;
    assert_int_equal(store_hj212_device_each(s, NULL, dev_cb, &n, NULL), 0);
    assert_int_equal(n, 2);
    assert_int_equal(store_hj212_device_each(s, "NOPE", dev_cb, &n, NULL), EG_ENOTFOUND);
    /* bad files are rejected whole, with line and column */
    const char *bad[] = {
        "mn,pw,point\nA,1,P\n",                 /* missing st */
        "mn,pw,point,st\nA,1,P,3\n",            /* ST length */
        "mn,pw,point,st\nA,1,P,31\nA,2,P,31\n", /* repeated */
        "mn,pw,point,st\nA;B,1,P,31\n",         /* ';' in MN */
        "mn,pw,point,st,protocol\nA,1,P,31,2025\n",
        "",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        eg_errbuf_clear(&eb);
        assert_int_equal(ingest_devices_buffer(s, bad[i], strlen(bad[i]), "bad.csv", NULL, &eb),
                         EG_EPARSE);
    }
    assert_int_equal(eb.line, 1);
    /* quarantine: counted beyond the kept frames */
    for (int i = 0; i < STORE_HJ212_QUARANTINE_PER_MN + 5; i++)
        assert_int_equal(
            store_hj212_quarantine_put(s, "UNK", "1.2.3.4:5", 100 + i, "##0000", 6, NULL), 0);
    /* limits, alarms, commands */
    assert_int_equal(store_hj212_registry_stamp(s, &stamp2, NULL), 0);
    assert_int_equal(stamp2, stamp1); /* a quarantined frame is no registry change */
    assert_int_equal(store_hj212_limit_put(s, "PX", "a21026", "35.5", NULL), 0);
    assert_int_equal(store_hj212_limit_put(s, "PX", "a21026", "abc", NULL), EG_EINVAL);
    assert_int_equal(store_hj212_registry_stamp(s, &stamp3, NULL), 0);
    assert_true(stamp3 > stamp2);
    struct store_hj212_alarm al = {0,    1000, "A1", "PX",   "exceed", "a21026",
                                   2011, 1,    "40", "35.5", "x"};
    assert_int_equal(store_hj212_alarm_add(s, &al, NULL), 0);
    int64_t id = 0;
    assert_int_equal(store_hj212_cmd_add(s, "A1", 1011, "", &id, NULL), 0);
    assert_true(id > 0);
    struct store_hj212_cmd c = {.id = id, .state = "ok", .qn = "1", .result = "SystemTime=x"};
    assert_int_equal(store_hj212_cmd_update(s, &c, NULL), 0);
    struct store_hj212_state x = {.mn = "A1", .peer = "p", .frames = 7};
    x.rej[STORE_HJ212_REJ_PW] = 3;
    assert_int_equal(store_hj212_state_put(s, &x, NULL), 0);
    int64_t stamp4 = -1; /* nor are alarms, commands and states */
    assert_int_equal(store_hj212_registry_stamp(s, &stamp4, NULL), 0);
    assert_int_equal(stamp4, stamp3);
    assert_string_equal(store_hj212_rej_name(STORE_HJ212_REJ_PW), "pw");
    store_close(s);
}

int main(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/envgov-gws-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof(path), "%s/t.db", dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readings_merge),
        cmocka_unit_test(test_devices_and_rest),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        rc = rc ? rc : 1;
    return rc;
}
