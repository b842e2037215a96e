/* test_fmt.c — record output: the same records as NDJSON, JSON, CSV and a table (CJK width),
 * exact decimals, nulls, nested values, and the rule that every record has the first's keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fmt/fmt.h"

static char *render(enum fmt_kind kind)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    struct fmt *w = fmt_new(kind, f);
    assert_non_null(w);
    for (int i = 0; i < 2; i++) {
        fmt_row_begin(w);
        fmt_str(w, "city", i ? "葫芦岛" : "盘锦");
        fmt_dec(w, "co", i ? 6 : 12, 1);
        if (i)
            fmt_null(w, "aqi");
        else
            fmt_int(w, "aqi", 105);
        fmt_arr_begin(w, "primary");
        if (!i)
            fmt_str(w, NULL, "PM2.5");
        fmt_close(w);
        fmt_obj_begin(w, "iaqi");
        fmt_int(w, "PM2.5", i ? 10 : 105);
        fmt_str(w, "note", "a \"quoted\", text");
        fmt_close(w);
        fmt_bool(w, "dust", i);
        assert_int_equal(fmt_row_end(w), 0);
    }
    assert_int_equal(fmt_finish(w), 0);
    fmt_free(w);
    fclose(f);
    return out;
}

static void test_ndjson(void **state)
{
    (void)state;
    char *s = render(FMT_NDJSON);
    assert_string_equal(
        s, "{\"city\":\"盘锦\",\"co\":1.2,\"aqi\":105,\"primary\":[\"PM2.5\"],"
           "\"iaqi\":{\"PM2.5\":105,\"note\":\"a \\\"quoted\\\", text\"},\"dust\":false}\n"
           "{\"city\":\"葫芦岛\",\"co\":0.6,\"aqi\":null,\"primary\":[],"
           "\"iaqi\":{\"PM2.5\":10,\"note\":\"a \\\"quoted\\\", text\"},\"dust\":true}\n");
    free(s);
}

static void test_json(void **state)
{
    (void)state;
    char *s = render(FMT_JSON);
    assert_true(s[0] == '[');
    assert_non_null(strstr(s, "},\n{\"city\":\"葫芦岛\""));
    assert_string_equal(s + strlen(s) - 3, "\n]\n");
    free(s);
}

static void test_csv(void **state)
{
    (void)state;
    char *s = render(FMT_CSV);
    const char *want =
        "city,co,aqi,primary,iaqi,dust\n"
        "盘锦,1.2,105,PM2.5,\"{\"\"PM2.5\"\":105,\"\"note\"\":\"\"a \\\"\"quoted\\\"\", "
        "text\"\"}\",false\n";
    assert_memory_equal(s, want, strlen(want));
    free(s);
}

static void test_table(void **state)
{
    (void)state;
    char *s = render(FMT_TABLE);
    /* header, rule, then rows padded by display width: 葫芦岛 is 6 columns wide */
    assert_true(strncmp(s, "city    co   aqi  primary", 25) == 0);
    assert_non_null(strstr(s, "\n盘锦    1.2  105  PM2.5"));
    assert_non_null(strstr(s, "\n葫芦岛  0.6"));
    free(s);
}

static void test_keys_must_match(void **state)
{
    (void)state;
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    struct fmt *w = fmt_new(FMT_CSV, f);
    fmt_row_begin(w);
    fmt_int(w, "a", 1);
    assert_int_equal(fmt_row_end(w), 0);
    fmt_row_begin(w);
    fmt_int(w, "b", 1);
    assert_int_equal(fmt_row_end(w), EG_EINVAL);
    fmt_free(w);
    fclose(f);
    free(out);
    enum fmt_kind k;
    assert_int_equal(fmt_kind_parse("ndjson", &k), 0);
    assert_int_equal(k, FMT_NDJSON);
    assert_int_equal(fmt_kind_parse("xml", &k), EG_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ndjson),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_keys_must_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
