/* test_standards.c — the embedded standards' tables against the standards' own numbers.
 *
 * Every breakpoint of HJ 633-2012 Table 1 and HJ 633-2026 Table 3, every level row, every
 * GB 3095-2012/-2026 Table 1 limit, the validity rules and HJ 663 Table 3 precision are checked
 * against values typed here from reference/air.md (which quotes the texts), independently of
 * the CSV files; the rule-set switch on 2026-03-01 and the catalog's air items too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog.h"
#include "common/eg_time.h"
#include "standards/standards.h"

/* HJ 633-2012 Table 1 (CO ×10), columns in enum std_aqi_table order; -1 = no breakpoint */
static const int32_t t2012[8][STD_AQI_NTABLES] = {
    /*  SO2_24 SO2_1h NO2_24 NO2_1h PM10 CO_24 CO_1h O3_1h O3_8h PM25 */
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {50, 150, 40, 100, 50, 20, 50, 160, 100, 35},
    {150, 500, 80, 200, 150, 40, 100, 200, 160, 75},
    {475, 650, 180, 700, 250, 140, 350, 300, 215, 115},
    {800, 800, 280, 1200, 350, 240, 600, 400, 265, 150},
    {1600, -1, 565, 2340, 420, 360, 900, 800, 800, 250},
    {2100, -1, 750, 3090, 500, 480, 1200, 1000, -1, 350},
    {2620, -1, 940, 3840, 600, 600, 1500, 1200, -1, 500},
};
static const int32_t iaqi_rows[8] = {0, 50, 100, 150, 200, 300, 400, 500};

static void check_table(const struct std_aqi_rules *r, int year)
{
    for (int t = 0; t < STD_AQI_NTABLES; t++) {
        int n = 0;
        for (int row = 0; row < 8; row++) {
            int32_t want = t2012[row][t];
            if (year == 2026 && row == 2 && t == STD_PM10_24H)
                want = 120; /* HJ 633-2026 Table 3 */
            if (year == 2026 && row == 2 && t == STD_PM25_24H)
                want = 60;
            if (want < 0)
                continue;
            assert_int_equal(r->t[t].c[n], want);
            assert_int_equal(r->t[t].iaqi[n], iaqi_rows[row]);
            n++;
        }
        assert_int_equal(r->t[t].n, n);
        assert_int_equal(r->t[t].scale, (t == STD_CO_24H || t == STD_CO_1H) ? 1 : 0);
    }
}

static void test_breakpoints(void **state)
{
    (void)state;
    assert_int_equal(std_init(NULL), 0);
    const struct std_aqi_rules *r12 = std_aqi_rules_named("2012");
    const struct std_aqi_rules *r26 = std_aqi_rules_named("HJ633-2026");
    assert_non_null(r12);
    assert_non_null(r26);
    check_table(r12, 2012);
    check_table(r26, 2026);
    check_table(std_aqi_rules_named("2012-literal"), 2012);
    assert_int_equal(r12->so2_1h_over800_iaqi, 200);
    assert_int_equal(std_aqi_rules_named("2012-literal")->so2_1h_over800_iaqi, 0);
    assert_int_equal(r26->so2_1h_over800_iaqi, 200);
    assert_int_equal(r26->o3_8h_over800_iaqi, 300);
    assert_int_equal(r12->o3_8h_over800_iaqi, 0);
    assert_true(r12->daily_o3_1h);
    assert_false(r26->daily_o3_1h);
    assert_false(r12->missing_over100);
    assert_true(r26->missing_over100);
    assert_null(std_aqi_rules_named("2018"));
}

static void test_switch_date(void **state)
{
    (void)state;
    int32_t feb28 = eg_days_from_civil(2026, 2, 28), mar1 = eg_days_from_civil(2026, 3, 1);
    assert_string_equal(std_aqi_rules_for_day(feb28)->name, "HJ633-2012");
    assert_string_equal(std_aqi_rules_for_day(mar1)->name, "HJ633-2026");
    assert_string_equal(std_aqi_rules_for_day(eg_days_from_civil(2022, 6, 1))->name, "HJ633-2012");
    assert_string_equal(std_limits_for_day(feb28)->name, "GB3095-2012");
    assert_string_equal(std_limits_for_day(mar1)->name, "GB3095-2026-transition");
    assert_string_equal(std_limits_for_day(eg_days_from_civil(2030, 12, 31))->name,
                        "GB3095-2026-transition");
    assert_string_equal(std_limits_for_day(eg_days_from_civil(2031, 1, 1))->name,
                        "GB3095-2026-final");
}

static void test_levels(void **state)
{
    (void)state;
    static const struct {
        int aqi, level;
        const char *cat, *rgb;
    } want[] = {{0, 1, "优", "#00E400"},         {50, 1, "优", "#00E400"},
                {51, 2, "良", "#FFFF00"},        {100, 2, "良", "#FFFF00"},
                {101, 3, "轻度污染", "#FF7E00"}, {150, 3, "轻度污染", "#FF7E00"},
                {151, 4, "中度污染", "#FF0000"}, {200, 4, "中度污染", "#FF0000"},
                {201, 5, "重度污染", "#99004C"}, {300, 5, "重度污染", "#99004C"},
                {301, 6, "严重污染", "#7E0023"}, {500, 6, "严重污染", "#7E0023"}};
    for (int v = 0; v < 2; v++) {
        const struct std_aqi_rules *r = std_aqi_rules_named(v ? "2026" : "2012");
        for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
            const struct std_aqi_level *L = std_aqi_level_for(r, want[i].aqi);
            assert_int_equal(L->level, want[i].level);
            assert_string_equal(L->category_zh, want[i].cat);
            assert_string_equal(L->rgb_hex, want[i].rgb);
        }
    }
}

static void test_limits(void **state)
{
    (void)state;
    static const struct {
        const char *pol, *avg;
        int64_t g1_2012, g2_2012, g1_tr, g2_tr, g1_fin, g2_fin; /* × 10 */
    } rows[] = {
        /* GB 3095-2012 Table 1 / GB 3095-2026 Table 1 (transition, final), reference/air.md §3 */
        {"SO2", "annual", 200, 600, 200, 600, 200, 200},
        {"SO2", "24h", 500, 1500, 500, 1500, 500, 500},
        {"SO2", "1h", 1500, 5000, 1500, 5000, 1500, 1500},
        {"NO2", "annual", 400, 400, 400, 400, 300, 300},
        {"NO2", "24h", 800, 800, 800, 800, 500, 500},
        {"NO2", "1h", 2000, 2000, 2000, 2000, 2000, 2000},
        {"CO", "24h", 40, 40, 40, 40, 40, 40},
        {"CO", "1h", 100, 100, 100, 100, 100, 100},
        {"O3", "max8h", 1000, 1600, 1000, 1600, 1000, 1600},
        {"O3", "1h", 1600, 2000, 1600, 2000, 1600, 2000},
        {"PM10", "annual", 400, 700, 400, 600, 200, 500},
        {"PM10", "24h", 500, 1500, 500, 1200, 500, 1000},
        {"PM2.5", "annual", 150, 350, 150, 300, 100, 250},
        {"PM2.5", "24h", 350, 750, 350, 600, 250, 500},
    };
    const struct std_limits *l12 = std_limits_named("GB3095-2012"),
                            *ltr = std_limits_named("GB3095-2026-transition"),
                            *lfin = std_limits_named("GB3095-2026-final");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int64_t v;
        assert_int_equal(std_limit(l12, rows[i].pol, rows[i].avg, 1, 1, &v), 0);
        assert_int_equal(v, rows[i].g1_2012);
        assert_int_equal(std_limit(l12, rows[i].pol, rows[i].avg, 2, 1, &v), 0);
        assert_int_equal(v, rows[i].g2_2012);
        assert_int_equal(std_limit(ltr, rows[i].pol, rows[i].avg, 1, 1, &v), 0);
        assert_int_equal(v, rows[i].g1_tr);
        assert_int_equal(std_limit(ltr, rows[i].pol, rows[i].avg, 2, 1, &v), 0);
        assert_int_equal(v, rows[i].g2_tr);
        assert_int_equal(std_limit(lfin, rows[i].pol, rows[i].avg, 1, 1, &v), 0);
        assert_int_equal(v, rows[i].g1_fin);
        assert_int_equal(std_limit(lfin, rows[i].pol, rows[i].avg, 2, 1, &v), 0);
        assert_int_equal(v, rows[i].g2_fin);
    }
    int64_t v;
    /* Table 2: NOx 24h 100 until 2030, 70 from 2031; BaP to 4 decimals */
    assert_int_equal(std_limit(ltr, "NOx", "24h", 2, 0, &v), 0);
    assert_int_equal(v, 100);
    assert_int_equal(std_limit(lfin, "NOx", "24h", 2, 0, &v), 0);
    assert_int_equal(v, 70);
    assert_int_equal(std_limit(l12, "BaP", "24h", 2, 4, &v), 0);
    assert_int_equal(v, 25);
    assert_int_equal(std_limit(l12, "CO", "annual", 2, 0, &v), EG_ENOTFOUND);
    assert_int_equal(std_limit(l12, "SO2", "annual", 3, 0, &v), EG_EINVAL);
}

static void test_validity_and_precision(void **state)
{
    (void)state;
    const struct std_validity *V = std_validity();
    assert_int_equal(V->day_min_hours, 20);
    assert_int_equal(V->win8_min_hours, 6);
    assert_int_equal(V->mda8_min_windows, 14);
    assert_int_equal(V->year_min_days, 324);
    assert_int_equal(V->month_min_days, 27);
    assert_int_equal(V->feb_min_days, 25);
    assert_int_equal(V->city_min_pct, 75);
    assert_int_equal(V->city_min_pct_small, 50);
    assert_int_equal(V->city_small_below, 4);
    assert_int_equal(std_decimals("CO"), 1);
    assert_int_equal(std_decimals("PM2.5"), 0);
    assert_int_equal(std_decimals("BaP"), 4);
    assert_int_equal(std_decimals("Pb"), 2);
    assert_int_equal(std_decimals("unknown"), -1);
}

static void test_catalog(void **state)
{
    (void)state;
    static const struct {
        const char *name, *code;
    } names[] = {{"PM2.5", "a34004"},      {"pm25", "a34004"}, {"a34004", "a34004"},
                 {"PM10", "a34002"},       {"SO2", "a21026"},  {"NO2", "a21004"},
                 {"CO", "a21005"},         {"O3", "a05024"},   {"COD", "w01018"},
                 {"化学需氧量", "w01018"}, {"氨氮", "w21003"}, {"二氧化硫", "a21026"}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const struct cat_item *it = cat_find(names[i].name, strlen(names[i].name));
        assert_non_null(it);
        assert_string_equal(it->code, names[i].code);
    }
    assert_null(cat_find("nonsense", 8));
    assert_int_equal(cat_air(CAT_CO)->decimals, 1);
    assert_string_equal(cat_air(CAT_CO)->unit, "mg/m3");
    assert_int_equal(cat_air(CAT_PM25)->decimals, 0);
    assert_int_equal(cat_air_index("a05024"), CAT_O3);
    assert_int_equal(cat_air_index("w01018"), -1);
    /* Appendix B: 196 rows, plus a05024 which station software uses although B lacks it */
    assert_int_equal(cat_count(), 197);
    assert_string_equal(cat_by_code("w01018")->unit, "mg/L");
    assert_string_equal(cat_by_code("w01018")->code_2005, "011");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_breakpoints),
        cmocka_unit_test(test_switch_date),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_validity_and_precision),
        cmocka_unit_test(test_catalog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
