/* test_common.c — the common library: GB/T 8170 rounding on exact values, decimal parsing and
 * formatting, rationals, Beijing civil time and hour stamps, the bounded buffer, the CSV reader
 * (quotes, CRLF, BOM, errors with line and column, limits), allocation failure injection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/eg_buf.h"
#include "common/eg_csv.h"
#include "common/eg_err.h"
#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"

static int64_t parse(const char *s, int scale)
{
    int64_t v = -999999;
    assert_int_equal(eg_dec_parse(s, strlen(s), scale, &v), 0);
    return v;
}

static void test_round_half_even(void **state)
{
    (void)state;
    /* GB/T 8170 四舍六入五成双 on exact values (reference/air.md §4.4 examples) */
    assert_int_equal(eg_div_round(465, 10), 46);   /* 46.5 → 46 */
    assert_int_equal(eg_div_round(565, 10), 56);   /* 56.5 → 56 */
    assert_int_equal(eg_div_round(285, 10), 28);   /* 28.5 → 28 */
    assert_int_equal(eg_div_round(475, 10), 48);   /* 47.5 → 48 */
    assert_int_equal(eg_div_round(4651, 100), 47); /* 46.51 → 47: 5 followed by non-zero */
    assert_int_equal(eg_div_round(464, 10), 46);
    assert_int_equal(eg_div_round(466, 10), 47);
    assert_int_equal(eg_div_round(-465, 10), -46); /* magnitude rounded, sign restored */
    assert_int_equal(eg_div_round(-475, 10), -48);
    assert_int_equal(eg_div_round(1, 3), 0);
    assert_int_equal(eg_div_round(2, 3), 1);
    /* a 24-h mean of integers: 1116 / 24 = 46.5 → 46 */
    assert_int_equal(eg_div_round(1116, 24), 46);
    assert_int_equal(eg_div_ceil(1, 3), 1);
    assert_int_equal(eg_div_ceil(3, 3), 1);
    assert_int_equal(eg_div_ceil(0, 3), 0);
    assert_int_equal(eg_div_ceil(-1, 3), 0);
    assert_int_equal(eg_rescale(65, 2, 1), 6); /* 0.65 → 0.6 */
    assert_int_equal(eg_rescale(75, 2, 1), 8); /* 0.75 → 0.8 */
    assert_int_equal(eg_rescale(12, 0, 2), 1200);
}

static void test_dec_parse(void **state)
{
    (void)state;
    assert_int_equal(parse("12", 0), 12);
    assert_int_equal(parse("12.0", 0), 12);
    assert_int_equal(parse(" 0.6 ", 1), 6);
    assert_int_equal(parse("0.65", 1), 6); /* extra digits rounded half to even */
    assert_int_equal(parse("0.75", 1), 8);
    assert_int_equal(parse("0.651", 1), 7);                    /* above the half */
    assert_int_equal(parse("0.6500000000000000000001", 1), 7); /* sticky digit past 18 */
    assert_int_equal(parse("-3.25", 1), -32);
    assert_int_equal(parse("+7", 2), 700);
    assert_int_equal(parse(".5", 1), 5);
    assert_int_equal(parse("5.", 0), 5);
    int64_t v;
    int d;
    assert_int_equal(eg_dec_parse2("1.234", 5, 3, &v, &d), 0);
    assert_int_equal(d, 3);
    assert_int_equal(eg_dec_parse("", 0, 0, &v), EG_EPARSE);
    assert_int_equal(eg_dec_parse("1e5", 3, 0, &v), EG_EPARSE);
    assert_int_equal(eg_dec_parse("1.2.3", 5, 0, &v), EG_EPARSE);
    assert_int_equal(eg_dec_parse("-", 1, 0, &v), EG_EPARSE);
    assert_int_equal(eg_dec_parse("NaN", 3, 0, &v), EG_EPARSE);
    assert_int_equal(eg_dec_parse("99999999999999999999", 20, 0, &v), EG_ERANGE);
    char buf[32];
    eg_dec_format(6, 1, buf, sizeof(buf));
    assert_string_equal(buf, "0.6");
    eg_dec_format(-5, 1, buf, sizeof(buf));
    assert_string_equal(buf, "-0.5");
    eg_dec_format(174, 2, buf, sizeof(buf));
    assert_string_equal(buf, "1.74");
    eg_dec_format(INT64_MIN, 0, buf, sizeof(buf));
    assert_string_equal(buf, "-9223372036854775808");
    eg_dec_format(874, 1, buf, sizeof(buf));
    assert_string_equal(buf, "87.4");
}

static void test_rationals(void **state)
{
    (void)state;
    /* Heyuan 2022-02 from the printed values (reference/air.md §8): 3/60 + 13/40 + 16/70 + 13/35
     * + 0.9/4 + 87/160 = 1.74375… → 1.74 */
    struct eg_rat s = eg_rat_make(3, 60);
    s = eg_rat_add(s, eg_rat_make(13, 40));
    s = eg_rat_add(s, eg_rat_make(16, 70));
    s = eg_rat_add(s, eg_rat_make(13, 35));
    s = eg_rat_add(s, eg_rat_div(eg_rat_make(9, 10), eg_rat_make(4, 1)));
    s = eg_rat_add(s, eg_rat_make(87, 160));
    assert_int_equal(eg_rat_round(s, 2), 174);
    assert_int_equal(eg_rat_cmp(eg_rat_make(1, 3), eg_rat_make(2, 6)), 0);
    assert_int_equal(eg_rat_cmp(eg_rat_make(1, 3), eg_rat_make(1, 2)), -1);
    assert_int_equal(eg_rat_round(eg_rat_make(5, 8), 2), 62); /* 0.625 → 0.62 */
    assert_int_equal(eg_rat_round(eg_rat_make(7, 8), 2), 88); /* 0.875 → 0.88 */
}

static void test_time(void **state)
{
    (void)state;
    int32_t d;
    int y, m, dd, h;
    assert_int_equal(eg_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(eg_date_parse("2023-01-20", 10, &d), 0);
    assert_int_equal(eg_date_parse("20230120", 8, &d), 0);
    eg_civil_from_days(d, &y, &m, &dd);
    assert_int_equal(y * 10000 + m * 100 + dd, 20230120);
    assert_int_equal(eg_date_parse("2023-02-29", 10, &d), EG_EPARSE);
    assert_int_equal(eg_date_parse("2024-02-29", 10, &d), 0);
    assert_int_equal(eg_date_parse("2023-13-01", 10, &d), EG_EPARSE);
    assert_int_equal(eg_days_in_month(2024, 2), 29);
    assert_int_equal(eg_days_in_month(2100, 2), 28);
    assert_int_equal(eg_days_in_month(2000, 2), 29);
    /* natural day: stamps D 01:00 … D+1 00:00 (HJ 663-2013 A.1) */
    assert_int_equal(eg_date_parse("2023-01-20", 10, &d), 0);
    assert_int_equal(eg_hour_natural_day(eg_hour_stamp(d, 1)), d);
    assert_int_equal(eg_hour_natural_day(eg_hour_stamp(d, 24)), d);
    assert_int_equal(eg_hour_natural_day(eg_hour_stamp(d, 0)), d - 1);
    assert_int_equal(eg_day_first_hour(d), eg_hour_stamp(d, 1));
    char buf[40];
    eg_hour_format_iso(eg_hour_stamp(d, 24), buf, sizeof(buf));
    assert_string_equal(buf, "2023-01-21T00:00:00+08:00");
    int32_t dd2;
    eg_hour_split(eg_hour_stamp(d, 24), &dd2, &h);
    assert_int_equal(dd2, d + 1);
    assert_int_equal(h, 0);
    /* Beijing is UTC+8: 2023-01-20T08:00+08:00 = 2023-01-20T00:00Z */
    int64_t t;
    assert_int_equal(eg_iso_parse("2023-01-20T08:00:00+08:00", 25, &t), 0);
    assert_int_equal(t, (int64_t)d * 86400);
    assert_int_equal(eg_iso_parse("2023-01-20T00:00Z", 17, &t), 0);
    assert_int_equal(t, (int64_t)d * 86400);
    assert_int_equal(eg_iso_parse("2023-01-20", 10, &t), 0); /* a date: Beijing midnight */
    assert_int_equal(t, (int64_t)d * 86400 - 8 * 3600);
    eg_unix_format_iso(t, buf, sizeof(buf));
    assert_string_equal(buf, "2023-01-20T00:00:00+08:00");
    assert_int_equal(eg_iso_parse("2023-01-20T25:00", 16, &t), EG_EPARSE);
    assert_int_equal(eg_iso_parse("2023-01-20X", 11, &t), EG_EPARSE);
    /* the 2026-03-01 rule switch is a day number like any other */
    assert_int_equal(eg_days_from_civil(2026, 3, 1) - eg_days_from_civil(2026, 2, 28), 1);
}

static void test_buf_limit(void **state)
{
    (void)state;
    struct eg_buf b;
    eg_buf_init(&b, 8);
    assert_int_equal(eg_buf_adds(&b, "abcd"), 0);
    assert_int_equal(eg_buf_addf(&b, "%d", 1234), 0);
    assert_string_equal(eg_buf_str(&b), "abcd1234");
    assert_int_equal(eg_buf_addc(&b, 'x'), EG_ELIMIT);
    assert_string_equal(eg_buf_str(&b), "abcd1234"); /* unchanged after a refused add */
    eg_buf_done(&b);
    eg_buf_done(NULL);
}

static void test_mem_failure_injection(void **state)
{
    (void)state;
    struct eg_buf b;
    eg_buf_init(&b, 1024);
    eg_mem_fail_after(0);
    assert_int_equal(eg_buf_adds(&b, "x"), EG_ENOMEM);
    eg_mem_fail_after(-1);
    assert_int_equal(eg_buf_adds(&b, "x"), 0);
    eg_buf_done(&b);
    struct eg_arena a;
    eg_arena_init(&a, 100);
    assert_non_null(eg_arena_alloc(&a, 64));
    assert_null(eg_arena_alloc(&a, 64)); /* over the arena's limit */
    eg_arena_done(&a);
}

static void test_csv(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF"
                       "a,b,c\r\n"
                       "1,\"x,y\",\"he said \"\"hi\"\"\"\r\n"
                       "\r\n"
                       "# comment\n"
                       ",,\n"
                       "last,\"multi\nline\",z";
    struct eg_csv c;
    struct eg_errbuf eb;
    eg_csv_init(&c, text, strlen(text), "t.csv");
    c.skip_comments = true;
    assert_int_equal(eg_csv_next(&c, &eb), 1);
    assert_int_equal(c.nfields, 3);
    assert_true(eg_csv_eq(eg_csv_get(&c, 0), "a"));
    assert_true(eg_csv_eq(eg_csv_get(&c, 2), "c"));
    assert_int_equal(eg_csv_next(&c, &eb), 1);
    assert_int_equal(c.line, 2);
    assert_true(eg_csv_eq(eg_csv_get(&c, 1), "x,y"));
    assert_true(eg_csv_eq(eg_csv_get(&c, 2), "he said \"hi\""));
    assert_int_equal(eg_csv_next(&c, &eb), 1);
    assert_int_equal(c.line, 5);
    assert_int_equal(c.nfields, 3);
    assert_int_equal(eg_csv_get(&c, 0).n, 0);
    assert_int_equal(eg_csv_next(&c, &eb), 1);
    assert_int_equal(c.line, 6);
    assert_true(eg_csv_eq(eg_csv_get(&c, 1), "multi\nline"));
    assert_true(eg_csv_eq(eg_csv_get(&c, 2), "z"));
    assert_int_equal(eg_csv_next(&c, &eb), 0);
    eg_csv_done(&c);

    const char *bad = "a,b\n1,\"open\n2,3\n";
    eg_csv_init(&c, bad, strlen(bad), "bad.csv");
    assert_int_equal(eg_csv_next(&c, &eb), 1);
    assert_int_equal(eg_csv_next(&c, &eb), EG_EPARSE);
    assert_string_equal(eb.file, "bad.csv");
    assert_int_equal(eb.line, 2);
    assert_int_equal(eb.column, 3);
    eg_csv_done(&c);

    const char *after = "\"x\"y,1\n";
    eg_csv_init(&c, after, strlen(after), "q.csv");
    assert_int_equal(eg_csv_next(&c, &eb), EG_EPARSE);
    assert_int_equal(eb.column, 4);
    eg_csv_done(&c);

    const char *many = "1,2,3,4,5\n";
    eg_csv_init(&c, many, strlen(many), "m.csv");
    c.max_fields = 4;
    assert_int_equal(eg_csv_next(&c, &eb), EG_ELIMIT);
    eg_csv_done(&c);
}

static void test_errbuf(void **state)
{
    (void)state;
    struct eg_errbuf eb;
    char out[256];
    eg_errbuf_clear(&eb);
    eg_err_at(&eb, "f.csv", 12, 4, "PM2.5");
    assert_int_equal(eg_errf(&eb, EG_EPARSE, "'%s' is not a number", "x7"), EG_EPARSE);
    eg_errbuf_format(&eb, out, sizeof(out));
    assert_string_equal(out, "f.csv:12:4: PM2.5: 'x7' is not a number");
    assert_int_equal(eg_errf(NULL, EG_EIO, "ignored"), EG_EIO);
    assert_string_equal(eg_strerror(EG_ELIMIT), "limit exceeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_half_even),
        cmocka_unit_test(test_dec_parse),
        cmocka_unit_test(test_rationals),
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_buf_limit),
        cmocka_unit_test(test_mem_failure_injection),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_errbuf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
