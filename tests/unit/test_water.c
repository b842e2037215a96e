/* test_water.c — the water tables and the water evaluation core (src/standards/water.c,
 * src/eval/water/).
 *
 * 1. Every row of every water table is compared with the CSV file it was embedded from (read here
 *    with an independent splitter and decimal parser): GB 3838 Tables 1–3, GB 3097, GB/T 14848,
 *    CWQI Cs, TLI weights and grades, rounding digits, status, river and near-shore grading,
 *    black-odorous thresholds.
 * 2. Worked cases at every kind of class boundary (upper limit, DO lower limit, GB 3097 DO strict,
 *    pH ranges, TP river vs lake, shared limits, 不得检出), below-detection results, means and
 *    rounding (half even, one significant figure, pH via [H+]), multiples, sections, river
 *    grading, CWQI and its change, TLI, near-shore shares against the 2017/2019 bulletins,
 *    black-odorous grading, drinking sources, and the item vocabulary.
 * Usage: test_water STANDARDS_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog.h"
#include "eval/water/water.h"
#include "ingest/ingest.h"
#include "table_rows.h"

/* Numbers in a range text ("6.5<=pH<=8.5", "6-9"): first and last. */
static void range_of(const char *s, int64_t *lo, int64_t *hi)
{
    char buf[64];
    int n = 0;
    for (const char *p = s; *p;) {
        if ((*p >= '0' && *p <= '9') &&
            (p == s || !((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z')))) {
            size_t k = 0;
            while ((*p >= '0' && *p <= '9') || *p == '.')
                buf[k++] = *p++;
            buf[k] = 0;
            if (!n++)
                *lo = num9(buf);
            *hi = num9(buf);
        } else {
            p++;
        }
    }
    assert_true(n >= 2);
}

static void check_cell(const struct std_wq_item *it, int k, const char *cell)
{
    if (it->dir == STD_WQ_TEXT)
        return;
    if (!*cell || cell[0] == '>') {
        assert_true(it->hi[k] == STD_WQ_NONE && it->lo[k] == STD_WQ_NONE);
    } else if (!strcmp(cell, "不得检出")) {
        assert_true(it->hi[k] == STD_WQ_NOTDET);
    } else if (it->dir == STD_WQ_RANGE) {
        int64_t lo = 0, hi = 0;
        range_of(cell, &lo, &hi);
        assert_int_equal(it->lo[k], lo);
        assert_int_equal(it->hi[k], hi);
    } else if (it->dir == STD_WQ_LE) {
        assert_int_equal(it->hi[k], num9(cell));
    } else {
        assert_int_equal(it->lo[k], num9(cell));
    }
}

static enum std_wq_dir dir_of(const char *s)
{
    return !strcmp(s, "le")      ? STD_WQ_LE
           : !strcmp(s, "ge")    ? STD_WQ_GE
           : !strcmp(s, "gt")    ? STD_WQ_GT
           : !strcmp(s, "range") ? STD_WQ_RANGE
                                 : STD_WQ_TEXT;
}

static struct row rows[200];

static void check_class_table(enum std_wq_set set, const char *file, int c_key, int c_dir,
                              int c_first, int nclass, int expect_rows)
{
    const struct std_wq_table *t = std_wq(set);
    int n = read_rows(file, rows, 200);
    assert_int_equal(n, expect_rows);
    assert_int_equal((int)t->n, n);
    assert_int_equal(t->nclass, nclass);
    for (int i = 0; i < n; i++) {
        const struct std_wq_item *it = &t->items[i];
        assert_string_equal(it->key, rows[i].f[c_key]);
        assert_int_equal(it->dir, dir_of(rows[i].f[c_dir]));
        assert_true(it->param >= 0);
        for (int k = 0; k < nclass; k++)
            check_cell(it, k, rows[i].f[c_first + k]);
    }
}

static void test_gb3838_t1(void **state)
{
    (void)state;
    check_class_table(STD_GB3838_T1, "gb3838_2002_table1_basic.csv", 1, 4, 5, 5, 25);
    const struct std_wq_table *t = std_wq(STD_GB3838_T1);
    int n21 = 0;
    for (size_t i = 0; i < t->n; i++)
        n21 += t->items[i].eval21;
    assert_int_equal(n21, 22); /* 21 items, TP counted in its river and lake rows */
    /* reference/water-soil.md §1 table, spot checks */
    assert_int_equal(std_wq_find(t, "Hg")->hi[2], 100000);
    assert_int_equal(std_wq_find(t, "DO")->lo[0], 7500000000LL);
    assert_int_equal(std_wq_find(t, "TP_lake")->hi[2], 50000000);
    assert_int_equal(std_wq_find(t, "FecalColiform")->hi[4], 40000 * S9);
}

static void test_gb3838_t23(void **state)
{
    (void)state;
    for (int set = 0; set < 2; set++) {
        const char *file =
            set ? "gb3838_2002_table3_specific.csv" : "gb3838_2002_table2_supplementary.csv";
        const struct std_wq_table *t = std_wq(set ? STD_GB3838_T3 : STD_GB3838_T2);
        int n = read_rows(file, rows, 200);
        assert_int_equal(n, set ? 80 : 5);
        assert_int_equal((int)t->n, n);
        for (int i = 0; i < n; i++) {
            assert_string_equal(t->items[i].key, rows[i].f[1]);
            assert_int_equal(t->items[i].hi[0], num9(rows[i].f[4]));
        }
    }
    assert_int_equal(std_wq_find(std_wq(STD_GB3838_T3), "benzo_a_pyrene")->hi[0], 2800);
}

static void test_gb3097(void **state)
{
    (void)state;
    check_class_table(STD_GB3097, "gb3097_1997_seawater.csv", 1, 4, 5, 4, 39);
    assert_string_equal(std_wq(STD_GB3097)->class_name[4], "劣四类");
}

static void test_gbt14848(void **state)
{
    (void)state;
    check_class_table(STD_GBT14848, "gbt14848_2017_groundwater.csv", 3, 6, 7, 4, 93);
    const struct std_wq_table *t = std_wq(STD_GBT14848);
    /* reference §6: the three values the "H-05" engine has wrong */
    assert_int_equal(std_wq_find(t, "F")->hi[0], 1 * S9);
    assert_int_equal(std_wq_find(t, "Hg")->hi[0], 100000);
    assert_int_equal(std_wq_find(t, "total_coliforms")->hi[0], 3 * S9);
}

static void test_small_tables(void **state)
{
    (void)state;
    const struct std_cwqi_row *cw;
    size_t ncw = std_cwqi_rows(&cw);
    int n = read_rows("cwqi_2017_indicators.csv", rows, 200);
    assert_int_equal((int)ncw, n);
    assert_int_equal(n, 22);
    for (int i = 0; i < n; i++) {
        assert_string_equal(cw[i].key, rows[i].f[0]);
        if (rows[i].f[2][0])
            assert_int_equal(cw[i].cs, num9(rows[i].f[2]));
        /* Cs is the GB 3838 class III limit */
        const struct std_wq_item *it = std_wq_find(std_wq(STD_GB3838_T1), cw[i].key);
        if (it && it->dir == STD_WQ_LE)
            assert_int_equal(cw[i].cs, it->hi[2]);
        if (it && it->dir == STD_WQ_GE)
            assert_int_equal(cw[i].cs, it->lo[2]);
    }
    const struct std_tli *tl = std_tli();
    n = read_rows("tli_2011_parameters.csv", rows, 200);
    assert_int_equal(n, 5);
    int64_t wsum = 0, r2sum = 0;
    for (int i = 0; i < 5; i++) {
        assert_string_equal(tl->row[i].key, rows[i].f[0]);
        assert_int_equal(tl->row[i].w * 100000, num9(rows[i].f[3]));
        assert_true(tl->row[i].param >= 0);
        wsum += tl->row[i].w;
        r2sum += tl->row[i].r * tl->row[i].r;
    }
    assert_int_equal(wsum, 10000);
    for (int i = 0; i < 5; i++) /* W = r² / Σr² to the 4 decimals printed */
        assert_true(
            llabs(tl->row[i].w - (tl->row[i].r * tl->row[i].r * 10000 + r2sum / 2) / r2sum) <= 1);
    assert_int_equal(tl->bound[0], 300);
    assert_int_equal(tl->bound[1], 500);
    assert_int_equal(tl->bound[2], 600);
    assert_int_equal(tl->bound[3], 700);
    n = read_rows("surface_water_rounding_2020.csv", rows, 200);
    assert_int_equal(n, 28);
    for (int i = 0; i < n; i++) {
        int p = std_wparam_find(rows[i].f[0], strlen(rows[i].f[0]));
        assert_true(p >= 0);
        const struct std_wq_item *it = std_wq_by_param(std_wq(STD_GB3838_T1), p, false);
        if (it)
            assert_int_equal(it->decimals, atoi(rows[i].f[1]));
    }
    assert_string_equal(std_wq_status(1), "优");
    assert_string_equal(std_wq_status(3), "良好");
    assert_string_equal(std_wq_status(6), "重度污染");
    const struct std_river_grading *g = std_river_grading();
    assert_int_equal(g->excellent, 90);
    assert_int_equal(g->good, 75);
    assert_int_equal(g->light, 20);
    assert_int_equal(g->moderate, 40);
    const struct std_sea_grading *sg = std_sea_grading();
    assert_int_equal(sg->p12_excellent, 90);
    assert_int_equal(sg->p12_good, 80);
    assert_int_equal(sg->p12_fair, 60);
    assert_int_equal(sg->p4x_fair, 30);
    assert_int_equal(sg->p123_fair, 90);
    assert_int_equal(sg->p4x_poor, 40);
    assert_int_equal(sg->p4x_bad, 40);
    const struct std_odor_row *od;
    assert_int_equal((int)std_odor_rows(&od), 4);
    assert_int_equal(od[0].t_none, 25 * S9);
    assert_int_equal(od[0].t_heavy, 10 * S9);
    assert_int_equal(od[2].t_heavy, -200 * S9);
    assert_true(od[3].higher_worse && !od[0].higher_worse);
}

/* ---- classification ---- */

static struct wq_value val(int64_t v)
{
    struct wq_value x = {v, 1, 0, false};
    return x;
}

static struct wq_value nd(int64_t dl)
{
    struct wq_value x = {dl, 1, 1, true};
    return x;
}

static int cls(enum std_wq_set set, const char *key, int64_t v)
{
    struct wq_value x = val(v);
    return wq_class(std_wq_find(std_wq(set), key), &x);
}

static void test_boundaries(void **state)
{
    (void)state;
    /* upper limits: the limit itself meets the class */
    assert_int_equal(cls(STD_GB3838_T1, "NH3N", 150000000), 1);
    assert_int_equal(cls(STD_GB3838_T1, "NH3N", 150000001), 2);
    assert_int_equal(cls(STD_GB3838_T1, "NH3N", 2 * S9), 5);
    assert_int_equal(cls(STD_GB3838_T1, "NH3N", 2 * S9 + 1), 6);
    /* shared limits give the better class (COD 15/15) */
    assert_int_equal(cls(STD_GB3838_T1, "COD", 15 * S9), 1);
    assert_int_equal(cls(STD_GB3838_T1, "COD", 15 * S9 + 1), 3);
    assert_int_equal(cls(STD_GB3838_T1, "Hg", 50000), 1);
    assert_int_equal(cls(STD_GB3838_T1, "Hg", 100000), 3);
    /* DO is a lower bound */
    assert_int_equal(cls(STD_GB3838_T1, "DO", 7500000000LL), 1);
    assert_int_equal(cls(STD_GB3838_T1, "DO", 7499999999LL), 2);
    assert_int_equal(cls(STD_GB3838_T1, "DO", 2 * S9), 5);
    assert_int_equal(cls(STD_GB3838_T1, "DO", 1990000000LL), 6);
    /* pH: a range, inclusive; outside 6–9 is 劣V directly */
    assert_int_equal(cls(STD_GB3838_T1, "pH", 6 * S9), 1);
    assert_int_equal(cls(STD_GB3838_T1, "pH", 9 * S9), 1);
    assert_int_equal(cls(STD_GB3838_T1, "pH", 9 * S9 + 10000000), 6);
    assert_int_equal(cls(STD_GB3838_T1, "pH", 5990000000LL), 6);
    /* TP: river vs lake column */
    assert_int_equal(cls(STD_GB3838_T1, "TP_river", 200000000), 3);
    assert_int_equal(cls(STD_GB3838_T1, "TP_lake", 200000000), 5);
    assert_int_equal(cls(STD_GB3838_T1, "TP_lake", 50000000), 3);
    /* GB 3097 DO is strictly greater */
    assert_int_equal(cls(STD_GB3097, "DO", 6 * S9), 2);
    assert_int_equal(cls(STD_GB3097, "DO", 6 * S9 + 1), 1);
    assert_int_equal(cls(STD_GB3097, "DO", 3 * S9), 5);
    assert_int_equal(cls(STD_GB3097, "pH", 8500000000LL), 1);
    assert_int_equal(cls(STD_GB3097, "pH", 8600000000LL), 3);
    assert_int_equal(cls(STD_GB3097, "pH", 8900000000LL), 5);
    assert_int_equal(cls(STD_GB3097, "DIN", 300000000), 2);
    /* GB 3097 coliforms: class IV not specified, so never worse than IV */
    assert_int_equal(cls(STD_GB3097, "coliforms", 99999 * S9), 4);
    /* GB/T 14848: pH IV is 5.5 ≤ pH < 6.5 or 8.5 < pH ≤ 9.0 */
    assert_int_equal(cls(STD_GBT14848, "pH", 6400000000LL), 4);
    assert_int_equal(cls(STD_GBT14848, "pH", 6500000000LL), 1);
    assert_int_equal(cls(STD_GBT14848, "pH", 9 * S9), 4);
    assert_int_equal(cls(STD_GBT14848, "pH", 9100000000LL), 5);
    assert_int_equal(cls(STD_GBT14848, "pH", 5500000000LL), 4);
    assert_int_equal(cls(STD_GBT14848, "pH", 5400000000LL), 5);
    /* 从优不从劣: volatile phenol 0.001 → I */
    assert_int_equal(cls(STD_GBT14848, "volatile_phenols", 1000000), 1);
    /* LAS class I 不得检出 */
    assert_int_equal(cls(STD_GBT14848, "LAS", 50000000), 2);
    struct wq_value x = nd(50000000);
    assert_int_equal(wq_class(std_wq_find(std_wq(STD_GBT14848), "LAS"), &x), 1);
    /* gross α: class IV printed "> 0.5": a higher value is class IV */
    assert_int_equal(cls(STD_GBT14848, "gross_alpha", 2 * S9), 4);
    /* below detection: the detection limit meets the class; above every limit: not judged */
    x = nd(40000);
    assert_int_equal(wq_class(std_wq_find(std_wq(STD_GB3838_T1), "Hg"), &x), 1);
    x = nd(20000000);
    assert_int_equal(wq_class(std_wq_find(std_wq(STD_GB3838_T1), "Cd"), &x), 0);
    x = nd(20000000);
    assert_int_equal(wq_class(std_wq_find(std_wq(STD_GB3838_T1), "DO"), &x), 0);
    /* multiples against class III (and never for pH / DO) */
    x = val(30 * S9);
    assert_int_equal(wq_multiple(std_wq_find(std_wq(STD_GB3838_T1), "COD"), &x, 3, 2), 50);
    x = val(1 * S9);
    assert_int_equal(wq_multiple(std_wq_find(std_wq(STD_GB3838_T1), "DO"), &x, 3, 2), -1);
}

static struct wq_sample smp(int p, int64_t v, uint32_t fl)
{
    struct wq_sample s = {p, 0, v, fl};
    return s;
}

static void test_means(void **state)
{
    (void)state;
    struct wq_value m;
    struct wq_sample s[4];
    int nh3 = std_wparam_find("NH3N", 4);
    s[0] = smp(nh3, 125000000, 0);
    s[1] = smp(nh3, 125000000, 0);
    wq_mean(s, 2, 2, false, &m); /* 0.125 → 0.12 (half to even) */
    assert_int_equal(m.v, 120000000);
    s[0] = smp(nh3, 151000000, 0);
    s[1] = smp(nh3, 149000000, 0);
    wq_mean(s, 2, 2, false, &m);
    assert_int_equal(m.v, 150000000);
    /* a mean that rounds to 0 keeps one significant figure (Hg, 5 decimals) */
    s[0] = smp(0, 4000, 0);
    wq_mean(s, 1, 5, false, &m);
    assert_int_equal(m.v, 4000);
    /* mixed with below detection: ½ DL; (0.005 + 0.03)/2 = 0.0175 → 0.018 */
    s[0] = smp(0, 10000000, WQ_ND);
    s[1] = smp(0, 30000000, 0);
    wq_mean(s, 2, 3, false, &m);
    assert_int_equal(m.v, 18000000);
    assert_false(m.nd_only);
    assert_int_equal(m.nnd, 1);
    /* all below detection: "below the largest DL" */
    s[0] = smp(0, 10000000, WQ_ND);
    s[1] = smp(0, 20000000, WQ_ND);
    wq_mean(s, 2, 3, false, &m);
    assert_true(m.nd_only);
    assert_int_equal(m.v, 20000000);
    /* pH mean via [H+]: 7 and 8 → 7.26 (2 decimals), 7 (0 decimals, the 2020 table) */
    s[0] = smp(0, 7 * S9, 0);
    s[1] = smp(0, 8 * S9, 0);
    wq_mean(s, 2, 2, true, &m);
    assert_int_equal(m.v, 7260000000LL);
    wq_mean(s, 2, 0, true, &m);
    assert_int_equal(m.v, 7 * S9);
    /* equal pH values need no logarithm */
    s[0] = smp(0, 7850000000LL, 0);
    s[1] = smp(0, 7850000000LL, 0);
    wq_mean(s, 2, 2, true, &m);
    assert_int_equal(m.v, 7850000000LL);
}

static void set(struct wq_value *means, const char *key, int64_t v)
{
    means[std_wparam_find(key, strlen(key))] = val(v);
}

static void test_section(void **state)
{
    (void)state;
    size_t np = (size_t)std_wparam_count();
    struct wq_value *means = calloc(np, sizeof(*means));
    struct wq_section *sec = calloc(1, sizeof(*sec));
    set(means, "pH", 7 * S9);
    set(means, "DO", 6 * S9);       /* II */
    set(means, "CODMn", 7 * S9);    /* IV, 0.17 */
    set(means, "NH3N", 1600000000); /* V, 0.60 */
    set(means, "TP", 150000000);    /* river III; lake V */
    set(means, "Pb", 60000000);     /* V: over the IV limit 0.05, within V 0.1 */
    wq_section_eval(means, np, false, 4, sec);
    assert_int_equal(sec->cls, 5);
    assert_string_equal(sec->status, "中度污染");
    assert_false(sec->attained);
    assert_int_equal(sec->nmain, 3);
    /* heavy metals first, then by class, then multiple */
    assert_string_equal(sec->sf.item[sec->main[0]].it->key, "Pb");
    assert_string_equal(sec->sf.item[sec->main[1]].it->key, "NH3N");
    assert_string_equal(sec->sf.item[sec->main[2]].it->key, "CODMn");
    assert_int_equal(sec->sf.item[sec->main[1]].mult_ref, 60);
    assert_int_equal(sec->sf.item[sec->main[2]].mult_ref, 17);
    /* a lake: TP 0.15 is class V on the lake column */
    set(means, "Pb", 10000000);
    set(means, "NH3N", 500000000);
    set(means, "CODMn", 4 * S9);
    wq_section_eval(means, np, true, 3, sec);
    assert_int_equal(sec->cls, 5);
    wq_section_eval(means, np, false, 3, sec);
    assert_int_equal(sec->cls, 3);
    assert_true(sec->attained);
    assert_string_equal(sec->status, "良好");
    assert_int_equal(sec->nmain, 0);
    /* only monitored items are evaluated ("9+X") */
    assert_int_equal(sec->sf.n, 6);
    free(means);
    free(sec);
}

static void test_river(void **state)
{
    (void)state;
    assert_null(wq_river_grade(4, 0, 4));
    assert_string_equal(wq_river_grade(9, 0, 10), "优");
    assert_string_equal(wq_river_grade(8, 0, 10), "良好");
    assert_string_equal(wq_river_grade(15, 0, 20), "良好"); /* 75 % */
    assert_string_equal(wq_river_grade(7, 1, 10), "轻度污染");
    assert_string_equal(wq_river_grade(5, 2, 10), "中度污染"); /* p6 = 20 % */
    assert_string_equal(wq_river_grade(6, 4, 10), "重度污染"); /* p6 = 40 % */
}

static void test_cwqi(void **state)
{
    (void)state;
    size_t np = (size_t)std_wparam_count();
    struct wq_value *means = calloc(np, sizeof(*means));
    struct wq_cwqi c;
    set(means, "pH", 6 * S9);    /* (7 − 6)/1 = 1 */
    set(means, "DO", 5 * S9);    /* 5/5 = 1 */
    set(means, "COD", 30 * S9);  /* 30/20 = 1.5 */
    set(means, "TP", 100000000); /* river 0.1/0.2 = 0.5; lake 0.1/0.05 = 2 */
    wq_cwqi(means, np, false, &c);
    assert_int_equal(c.nitems, 4);
    assert_int_equal(c.total, 4 * S9);
    wq_cwqi(means, np, true, &c);
    assert_int_equal(c.total, 5500000000LL);
    set(means, "pH", 8 * S9); /* (8 − 7)/2 = 0.5 */
    wq_cwqi(means, np, false, &c);
    assert_int_equal(c.total, 3500000000LL);
    /* city: (river·M + lake·N)/(M + N) */
    assert_int_equal(wq_cwqi_city(4 * S9, 3, 6 * S9, 1), 4500000000LL);
    /* change: (9.7750 − 10.0000)/10.0000 = −2.25 % */
    assert_int_equal(wq_cwqi_change(9775000000LL, 10 * S9), -225);
    assert_int_equal(wq_cwqi_change(8712800000LL, 8913100000LL), -225);
    free(means);
}

static void test_tli(void **state)
{
    (void)state;
    size_t np = (size_t)std_wparam_count();
    struct wq_value *means = calloc(np, sizeof(*means));
    struct wq_tli t;
    set(means, "chla", 10 * S9);
    set(means, "TP", 100000000);
    set(means, "TN", 1 * S9);
    set(means, "SD", 1 * S9);
    wq_tli(means, np, &t);
    assert_false(t.valid); /* CODMn missing */
    set(means, "CODMn", 4 * S9);
    wq_tli(means, np, &t);
    assert_true(t.valid);
    /* hand computation: 0.2663·50.006 + 0.1879·56.966 + 0.1790·54.53 + 0.1834·51.18 +
     * 0.1834·37.979 = 50.13 */
    assert_int_equal(t.tli, 501);
    assert_string_equal(t.grade, "轻度富营养");
    assert_int_equal(t.part[2], 545); /* TN = 1: 10 · 5.453 */
    assert_int_equal(t.part[3], 512); /* SD = 1 m: 10 · 5.118 */
    free(means);
}

static void share(int64_t w12, int64_t w3, int64_t w4, int64_t w4x, struct wq_share *r)
{
    int c[4] = {1, 3, 4, 5};
    int64_t w[4] = {w12, w3, w4, w4x};
    wq_sea_share(c, w, 4, r);
}

static void test_sea(void **state)
{
    (void)state;
    struct wq_share r;
    /* 2017 national bulletin: I 34.5 + II 33.3 = 67.8 %, 劣四类 15.6 % → 一般 */
    share(678, 101, 65, 156, &r);
    assert_int_equal(r.p12, 6780);
    assert_string_equal(r.status, "一般");
    /* 东海 46.9 % / 31.0 % → 差; 黄海 82.5 % / 2.2 % → 良好; 2019: 76.6 % / 11.7 % → 一般 */
    share(469, 100, 121, 310, &r);
    assert_string_equal(r.status, "差");
    share(825, 100, 53, 22, &r);
    assert_string_equal(r.status, "良好");
    share(766, 50, 67, 117, &r);
    assert_string_equal(r.status, "一般");
    share(900, 100, 0, 0, &r);
    assert_string_equal(r.status, "优");
    share(100, 100, 300, 500, &r);
    assert_string_equal(r.status, "极差");
    /* area weighting differs from the point share */
    int c[3] = {2, 5, 5};
    int64_t w[3] = {80, 10, 10}, one[3] = {1, 1, 1};
    wq_sea_share(c, one, 3, &r);
    assert_int_equal(r.p12, 3333);
    wq_sea_share(c, w, 3, &r);
    assert_int_equal(r.p12, 8000);
    assert_string_equal(r.status, "良好");
}

static void test_odor(void **state)
{
    (void)state;
    const struct std_odor_row *o;
    std_odor_rows(&o);
    assert_int_equal(wq_odor_grade(&o[0], 25 * S9, 0), WQ_ODOR_NONE);
    assert_int_equal(wq_odor_grade(&o[0], 24900000000LL, 0), WQ_ODOR_LIGHT);
    assert_int_equal(wq_odor_grade(&o[0], 10 * S9, 0), WQ_ODOR_LIGHT);
    assert_int_equal(wq_odor_grade(&o[0], 9900000000LL, 0), WQ_ODOR_HEAVY);
    /* water 20 cm deep: the SD threshold is 40 % of the depth, 8 cm */
    assert_int_equal(wq_odor_grade(&o[0], 8 * S9, 20 * S9), WQ_ODOR_NONE);
    assert_int_equal(wq_odor_grade(&o[3], 8 * S9, 0), WQ_ODOR_NONE);
    assert_int_equal(wq_odor_grade(&o[3], 8010000000LL, 0), WQ_ODOR_LIGHT);
    assert_int_equal(wq_odor_grade(&o[3], 15010000000LL, 0), WQ_ODOR_HEAVY);
    assert_int_equal(wq_odor_grade(&o[2], -200 * S9, 0), WQ_ODOR_LIGHT);
    assert_int_equal(wq_odor_grade(&o[2], -201 * S9, 0), WQ_ODOR_HEAVY);
    assert_int_equal(wq_odor_grade(&o[1], 2 * S9, 0), WQ_ODOR_NONE);
    struct wq_sample s[5];
    struct wq_odor_point p;
    for (int i = 0; i < 5; i++)
        s[i] = smp(o[3].param, i < 3 ? 16 * S9 : 5 * S9, 0);
    wq_odor_point(s, 5, 0, &p); /* 3 of 5 heavy = 60 % → heavy */
    assert_int_equal(p.grade, WQ_ODOR_HEAVY);
    wq_odor_point(s + 1, 4, 0, &p); /* 2 of 4 = 50 % → light */
    assert_int_equal(p.grade, WQ_ODOR_LIGHT);
    wq_odor_point(s + 3, 2, 0, &p);
    assert_int_equal(p.grade, WQ_ODOR_NONE);
    enum wq_odor b[5] = {WQ_ODOR_HEAVY, WQ_ODOR_HEAVY, WQ_ODOR_HEAVY, WQ_ODOR_NONE, WQ_ODOR_LIGHT};
    assert_int_equal(wq_odor_body(b, 5), WQ_ODOR_HEAVY);
    assert_int_equal(wq_odor_body(b + 2, 3), WQ_ODOR_LIGHT);
    assert_int_equal(wq_odor_body(b + 3, 1), WQ_ODOR_NONE);
}

static void test_drinking(void **state)
{
    (void)state;
    size_t np = (size_t)std_wparam_count();
    struct wq_value *means = calloc(np, sizeof(*means));
    struct wq_drinking d;
    set(means, "NH3N", 1 * S9);
    set(means, "Fe", 300000000);
    wq_drinking_eval(means, np, false, false, &d);
    assert_true(d.compliant);
    set(means, "Fe", 310000000); /* Table 2: 0.3 */
    wq_drinking_eval(means, np, false, false, &d);
    assert_false(d.compliant);
    assert_int_equal(d.nfail, 1);
    assert_string_equal(d.fail[0].it->key, "Fe");
    wq_drinking_eval(means, np, true, false, &d); /* GB/T 14848 III: Fe 0.3 → IV */
    assert_false(d.compliant);
    set(means, "Fe", 200000000);
    set(means, "NH3N", 500000000);
    wq_drinking_eval(means, np, true, false, &d);
    assert_true(d.compliant);
    free(means);
}

static void test_items(void **state)
{
    (void)state;
    int nh3 = std_wparam_find("NH3N", 4);
    assert_true(nh3 >= 0);
    const char *names[] = {"NH3N", "w21003", "氨氮", "氨氮(NH3-N)", "NH3-N", "nh3n"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        assert_int_equal(ingest_water_item(names[i], strlen(names[i])), nh3);
    int codmn = std_wparam_find("CODMn", 5);
    assert_int_equal(ingest_water_item("耗氧量", strlen("耗氧量")), codmn);
    assert_int_equal(ingest_water_item("w01019", 6), codmn);
    assert_int_equal(ingest_water_item("高锰酸盐指数", strlen("高锰酸盐指数")), codmn);
    assert_int_equal(ingest_water_item("volatile_phenols", 16),
                     std_wparam_find("VolatilePhenol", 14));
    assert_int_equal(ingest_water_item("六价铬", strlen("六价铬")), std_wparam_find("Cr6", 3));
    assert_int_equal(ingest_water_item("铜", strlen("铜")), std_wparam_find("Cu", 2));
    assert_int_equal(ingest_water_item("w20138", 6), std_wparam_find("Cu", 2));
    assert_int_equal(ingest_water_item("no-such-item", 12), -1);
    /* the air vocabulary is unchanged */
    assert_string_equal(cat_find("SO2", 3)->code, "a21026");
    assert_string_equal(cat_find("CO", 2)->code, "a21005");
    assert_string_equal(cat_find("PM2.5", 5)->code, "a34004");
    assert_string_equal(cat_find("NH3N", 4)->code, "w21003");
}

int main(int argc, char **argv)
{
    if (argc > 1)
        stddir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gb3838_t1),    cmocka_unit_test(test_gb3838_t23),
        cmocka_unit_test(test_gb3097),       cmocka_unit_test(test_gbt14848),
        cmocka_unit_test(test_small_tables), cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_means),        cmocka_unit_test(test_section),
        cmocka_unit_test(test_river),        cmocka_unit_test(test_cwqi),
        cmocka_unit_test(test_tli),          cmocka_unit_test(test_sea),
        cmocka_unit_test(test_odor),         cmocka_unit_test(test_drinking),
        cmocka_unit_test(test_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
