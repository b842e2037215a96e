/* test_soil.c — GB 15618-2018 and GB 36600-2018 tables and the soil evaluation core
 * (src/eval/soil/).  Every row of the four tables is compared with its CSV file (independent
 * reader); worked cases at the screening and control values, pH bands, land uses, categories.
 * Usage: test_soil STANDARDS_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eval/soil/soil.h"
#include "table_rows.h"

static struct row rows[100];

static size_t farm_index(const char *key)
{
    for (size_t i = 0; i < std_farm_count(); i++)
        if (!strcmp(std_farm_item(i, STD_FARM_OTHER, 0)->key, key))
            return i;
    fail_msg("no farmland item %s", key);
    return 0;
}

static void test_gb15618_tables(void **state)
{
    (void)state;
    int n = read_rows("gb15618_2018_table1_screening.csv", rows, 100);
    assert_int_equal(n, 14);
    for (int i = 0; i < n; i++) {
        size_t k = farm_index(rows[i].f[1]);
        const char *use = rows[i].f[3];
        for (int b = 0; b < 4; b++) {
            int64_t v = num9(rows[i].f[5 + b]);
            if (!strcmp(use, "paddy"))
                assert_int_equal(std_farm_item(k, STD_FARM_PADDY, b)->hi[0], v);
            else if (!strcmp(use, "orchard"))
                assert_int_equal(std_farm_item(k, STD_FARM_ORCHARD, b)->hi[0], v);
            else if (!strcmp(use, "other"))
                assert_int_equal(std_farm_item(k, STD_FARM_OTHER, b)->hi[0], v);
            else
                for (int u = 0; u < STD_FARM_NUSE; u++)
                    assert_int_equal(std_farm_item(k, (enum std_farm_use)u, b)->hi[0], v);
        }
    }
    /* orchards use the "other" column for Cd…Cr; paddies the "other" column for Cu */
    assert_int_equal(std_farm_item(farm_index("Cd"), STD_FARM_ORCHARD, 3)->hi[0], 600000000);
    assert_int_equal(std_farm_item(farm_index("Cu"), STD_FARM_PADDY, 2)->hi[0], 100 * S9);
    n = read_rows("gb15618_2018_table3_control.csv", rows, 100);
    assert_int_equal(n, 5);
    for (int i = 0; i < n; i++)
        for (int b = 0; b < 4; b++)
            for (int u = 0; u < STD_FARM_NUSE; u++)
                assert_int_equal(
                    std_farm_item(farm_index(rows[i].f[1]), (enum std_farm_use)u, b)->hi[1],
                    num9(rows[i].f[3 + b]));
    /* no control value for Cu, Ni, Zn */
    assert_true(std_farm_item(farm_index("Zn"), STD_FARM_OTHER, 0)->hi[1] == STD_WQ_NONE);
    n = read_rows("gb15618_2018_table2_other_screening.csv", rows, 100);
    assert_int_equal(n, 3);
    for (int i = 0; i < n; i++)
        assert_int_equal(std_farm_item(farm_index(rows[i].f[1]), STD_FARM_PADDY, 1)->hi[0],
                         num9(rows[i].f[3]));
    assert_int_equal((int)std_farm_count(), 11);
}

static void test_gb36600_tables(void **state)
{
    (void)state;
    const struct std_wq_table *l1 = std_wq(STD_GB36600_L1), *l2 = std_wq(STD_GB36600_L2);
    assert_int_equal((int)l1->n, 85);
    assert_int_equal((int)l2->n, 85);
    size_t k = 0;
    const char *files[2] = {"gb36600_2018_table1_basic.csv", "gb36600_2018_table2_other.csv"};
    for (int t = 0; t < 2; t++) {
        int n = read_rows(files[t], rows, 100);
        assert_int_equal(n, t ? 40 : 45);
        for (int i = 0; i < n; i++, k++) {
            assert_string_equal(l1->items[k].key, rows[i].f[1]);
            assert_int_equal(l1->items[k].hi[0], num9(rows[i].f[3]));
            assert_int_equal(l2->items[k].hi[0], num9(rows[i].f[4]));
            assert_int_equal(l1->items[k].hi[1], num9(rows[i].f[5]));
            assert_int_equal(l2->items[k].hi[1], num9(rows[i].f[6]));
        }
    }
    assert_int_equal(std_wq_find(l1, "dioxins_TEQ")->hi[0], 10000);
}

static struct wq_value *new_means(void)
{
    return calloc((size_t)std_wparam_count(), sizeof(struct wq_value));
}

static void set(struct wq_value *m, const char *key, int64_t v, bool nd)
{
    struct wq_value x = {v, 1, nd ? 1 : 0, nd};
    m[std_wparam_find(key, strlen(key))] = x;
}

static void test_farm(void **state)
{
    (void)state;
    size_t np = (size_t)std_wparam_count();
    struct wq_value *m = new_means();
    struct soil_result *r = calloc(1, sizeof(*r));
    /* pH bands: 5.5 → 0, 5.51 → 1, 7.5 → 2, 7.51 → 3 */
    assert_int_equal(std_farm_band(5500000000LL), 0);
    assert_int_equal(std_farm_band(5510000000LL), 1);
    assert_int_equal(std_farm_band(7500000000LL), 2);
    assert_int_equal(std_farm_band(7510000000LL), 3);
    /* paddy, pH 8.0: Cd screening 0.8, control 4.0 */
    set(m, "Cd", 800000000, false);
    soil_farm_eval(m, np, STD_FARM_PADDY, 8 * S9, r);
    assert_int_equal(r->category, 'A');
    assert_string_equal(r->label, "优先保护类");
    set(m, "Cd", 810000000, false);
    soil_farm_eval(m, np, STD_FARM_PADDY, 8 * S9, r);
    assert_int_equal(r->category, 'B');
    assert_int_equal(r->item[0].pi, 101);
    set(m, "Cd", 4 * S9, false);
    soil_farm_eval(m, np, STD_FARM_PADDY, 8 * S9, r);
    assert_int_equal(r->category, 'B');
    set(m, "Cd", 4010000000LL, false);
    soil_farm_eval(m, np, STD_FARM_PADDY, 8 * S9, r);
    assert_int_equal(r->category, 'C');
    assert_string_equal(r->label, "严格管控类");
    /* other land, pH 6.0: Cd screening 0.3 */
    set(m, "Cd", 310000000, false);
    soil_farm_eval(m, np, STD_FARM_OTHER, 6 * S9, r);
    assert_int_equal(r->category, 'B');
    /* Cu has no control value: far above screening is still B, never C */
    set(m, "Cd", 100000000, false);
    set(m, "Cu", 5000 * S9, false);
    soil_farm_eval(m, np, STD_FARM_ORCHARD, 7 * S9, r);
    assert_int_equal(r->category, 'B');
    set(m, "Cu", 199 * S9, false);
    soil_farm_eval(m, np, STD_FARM_ORCHARD, 7 * S9, r);
    assert_int_equal(r->category, 'A'); /* orchard Cu 200 at 6.5 < pH <= 7.5 */
    /* As control falls with pH: 150 at band 1, 100 at band 3 */
    set(m, "Cu", 20 * S9, false);
    set(m, "As", 120 * S9, false);
    soil_farm_eval(m, np, STD_FARM_OTHER, 6 * S9, r);
    assert_int_equal(r->category, 'B');
    soil_farm_eval(m, np, STD_FARM_OTHER, 8 * S9, r);
    assert_int_equal(r->category, 'C');
    /* unknown pH: nothing judged */
    soil_farm_eval(m, np, STD_FARM_OTHER, -1, r);
    assert_int_equal(r->category, 0);
    free(m);
    free(r);
}

static void test_construction(void **state)
{
    (void)state;
    size_t np = (size_t)std_wparam_count();
    struct wq_value *m = new_means();
    struct soil_result *r = calloc(1, sizeof(*r));
    set(m, "As", 20 * S9, false);
    set(m, "benzene", 1900000, true); /* ND, DL 0.0019 */
    soil_build_eval(m, np, 1, r);
    assert_int_equal(r->worst, SOIL_BELOW_SCREEN);
    assert_string_equal(r->label, "低于筛选值");
    set(m, "As", 20010000000LL, false);
    soil_build_eval(m, np, 1, r);
    assert_int_equal(r->worst, SOIL_BETWEEN);
    soil_build_eval(m, np, 2, r); /* second-class land: 60 */
    assert_int_equal(r->worst, SOIL_BELOW_SCREEN);
    set(m, "As", 120010000000LL, false);
    soil_build_eval(m, np, 1, r);
    assert_int_equal(r->worst, SOIL_ABOVE_CONTROL);
    soil_build_eval(m, np, 2, r); /* control 140 */
    assert_int_equal(r->worst, SOIL_BETWEEN);
    free(m);
    free(r);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        stddir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gb15618_tables),
        cmocka_unit_test(test_gb36600_tables),
        cmocka_unit_test(test_farm),
        cmocka_unit_test(test_construction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
