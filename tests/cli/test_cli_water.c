/* test_cli_water.c — the water and soil commands through the real `envgov` binary, on the demo
 * data set (data/demo/, synthetic, shaped after the 2022 Panjin report):
 * 1. `import points` and `import samples` (and re-importing an unchanged file changes nothing);
 * 2. `water section --format ndjson`: the interface keys, class IV and attainment of the four
 *    national sections; `water city`: "4个国家地表水考核断面全部达到考核标准";
 * 3. `water cwqi --year 2022 --compare 2021`: "水质综合指数同比改善2.25%";
 * 4. the drinking sources 100 % compliant, the sea below target, soil safe-use rates 100 %;
 * 5. a malformed samples file is rejected whole with file:line:column, exit 1; usage errors exit 2.
 * Usage: test_cli_water ENVGOV SOURCE_ROOT (run by meson test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

static const char *envgov, *root;
static char db[600], tmpdir[256];

/* Run a shell command; returns the exit status and the first `n` bytes of its stdout. */
static int run(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int run(char *out, size_t n, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t k = 0;
    if (out) {
        k = fread(out, 1, n - 1, p);
        out[k] = 0;
    } else {
        char b[4096];
        while (fread(b, 1, sizeof(b), p) > 0)
            ;
    }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char buf[1 << 20];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/envgov-water-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    snprintf(db, sizeof(db), "%s/w.db", tmpdir);
    assert_int_equal(run(NULL, 0, "%s --db %s import points %s/data/demo/points.csv 2>/dev/null",
                         envgov, db, root),
                     0);
    assert_int_equal(run(NULL, 0,
                         "%s --db %s import samples %s/data/demo/samples_2021.csv "
                         "%s/data/demo/samples_2022.csv 2>/dev/null",
                         envgov, db, root, root),
                     0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static json_t *first_json(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, JSON_DISABLE_EOF_CHECK, &err);
    assert_non_null(j);
    return j;
}

static void test_section(void **state)
{
    (void)state;
    assert_int_equal(run(buf, sizeof(buf),
                         "%s --db %s water section --from 2022-01-01 --to 2022-12-31 --point "
                         "PJ01 PJ02 PJ03 PJ04 --format ndjson",
                         envgov, db),
                     0);
    int lines = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        json_t *j = first_json(line);
        static const char *const keys[] = {"point",        "from",     "to",
                                           "class",        "deciding", "over_iii",
                                           "target_class", "attained", "status"};
        for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
            assert_non_null(json_object_get(j, keys[k]));
        assert_string_equal(json_string_value(json_object_get(j, "from")), "2022-01-01");
        const char *cls = json_string_value(json_object_get(j, "class"));
        assert_string_equal(json_string_value(json_object_get(j, "target_class")), "IV");
        assert_true(json_is_true(json_object_get(j, "attained")));
        json_t *over = json_object_get(j, "over_iii");
        assert_true(json_is_array(over));
        if (!strcmp(cls, "IV")) {
            assert_string_equal(json_string_value(json_object_get(j, "status")), "轻度污染");
            json_t *o0 = json_array_get(over, 0);
            assert_non_null(json_object_get(o0, "item"));
            assert_non_null(json_object_get(o0, "multiple"));
        } else {
            assert_string_equal(cls, "III");
            assert_string_equal(json_string_value(json_object_get(j, "status")), "良好");
            assert_int_equal(json_array_size(over), 0);
        }
        json_decref(j);
        lines++;
    }
    assert_int_equal(lines, 4);
    assert_int_equal(run(buf, sizeof(buf),
                         "%s --db %s water city --year 2022 --level national --format json", envgov,
                         db),
                     0);
    assert_non_null(strstr(buf, "4个国家地表水考核断面全部达到考核标准"));
    /* months: twelve records for one section */
    assert_int_equal(run(buf, sizeof(buf),
                         "%s --db %s water section --year 2022 --point PJ01 --period month "
                         "--format csv | wc -l",
                         envgov, db),
                     0);
    assert_int_equal(atoi(buf), 13);
}

static void test_cwqi(void **state)
{
    (void)state;
    assert_int_equal(run(buf, sizeof(buf),
                         "%s --db %s water cwqi --year 2022 --compare 2021 --format json", envgov,
                         db),
                     0);
    json_t *a = first_json(buf), *j = json_array_get(a, 0);
    assert_string_equal(json_string_value(json_object_get(j, "sentence")),
                        "水质综合指数同比改善2.25%");
    assert_true(json_real_value(json_object_get(j, "change_pct")) < -2.24 &&
                json_real_value(json_object_get(j, "change_pct")) > -2.26);
    json_decref(a);
}

static void test_other(void **state)
{
    (void)state;
    assert_int_equal(run(buf, sizeof(buf),
                         "%s --db %s water drinking --year 2022 --summary --format json", envgov,
                         db),
                     0);
    assert_non_null(strstr(buf, "\"sources\":3,\"compliant\":3,\"rate_by_count\":100.00"));
    assert_int_equal(
        run(buf, sizeof(buf), "%s --db %s sea --year 2022 --summary --format json", envgov, db), 0);
    json_t *a = first_json(buf), *j = json_array_get(a, 0);
    assert_true(json_integer_value(json_object_get(j, "attained")) <
                json_integer_value(json_object_get(j, "with_target")));
    json_decref(a);
    assert_int_equal(run(buf, sizeof(buf),
                         "%s --db %s soil farmland --year 2022 --summary --format json", envgov,
                         db),
                     0);
    assert_non_null(strstr(buf, "\"safe_use_rate\":100.00"));
    assert_int_equal(run(buf, sizeof(buf),
                         "%s --db %s soil construction --year 2022 --summary --format json", envgov,
                         db),
                     0);
    assert_non_null(strstr(buf, "\"contaminated\":1,\"safely_used\":1,\"safe_use_rate\":100.00"));
    assert_int_equal(
        run(buf, sizeof(buf), "%s --db %s odorous --year 2022 --summary --format csv", envgov, db),
        0);
    assert_non_null(strstr(buf, "100.00"));
    assert_int_equal(
        run(buf, sizeof(buf), "%s --db %s water lake --year 2022 --format ndjson", envgov, db), 0);
    assert_non_null(strstr(buf, "\"grade\""));
}

static void test_errors(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof(path), "%s/bad.csv", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("point,date,item,value,unit\nPJ01,2022-12-20,NH3N,0.5,mg/L\nPJ01,2022-12-20,COD,abc,"
          "mg/L\n",
          f);
    fclose(f);
    assert_int_equal(run(buf, sizeof(buf), "%s --db %s import samples %s 2>&1", envgov, db, path),
                     1);
    assert_non_null(strstr(buf, "bad.csv:3:4"));
    assert_non_null(strstr(buf, "file rejected"));
    /* nothing of the rejected file was stored: the 2022-12-20 sampling does not exist */
    assert_int_equal(run(buf, sizeof(buf),
                         "%s --db %s water section --from 2022-12-20 --point PJ01 --format csv",
                         envgov, db),
                     0);
    assert_non_null(strstr(buf, ",0,")); /* samples = 0 */
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("point,date,item,value,unit\nNOPE,2022-12-20,NH3N,0.5,mg/L\n", f);
    fclose(f);
    assert_int_equal(run(buf, sizeof(buf), "%s --db %s import samples %s 2>&1", envgov, db, path),
                     1);
    assert_non_null(strstr(buf, "bad.csv:2:1"));
    assert_non_null(strstr(buf, "unknown point"));
    /* an unchanged file again changes nothing */
    assert_int_equal(run(buf, sizeof(buf),
                         "%s --db %s import samples %s/data/demo/samples_2022.csv 2>&1", envgov, db,
                         root),
                     0);
    assert_non_null(strstr(buf, "1 unchanged"));
    /* usage errors exit 2 */
    assert_int_equal(run(buf, sizeof(buf), "%s --db %s water section 2>&1", envgov, db), 2);
    assert_int_equal(run(buf, sizeof(buf),
                         "%s --db %s water section --year 2022 --period week 2>&1", envgov, db),
                     2);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_cli_water ENVGOV SOURCE_ROOT\n");
        return 2;
    }
    envgov = argv[1];
    root = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_section),
        cmocka_unit_test(test_cwqi),
        cmocka_unit_test(test_other),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
