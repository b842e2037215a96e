/* test_cli_supervise.c — the supervision interface (issue 5) through the real `envgov` binary:
 * enterprise import (a bad USCC rejects the file whole, naming the line; --skip-invalid imports
 * the rest and lists what it skipped), enterprise list NDJSON, work new (id alone on stdout),
 * legal and illegal moves, stats JSON keys, draw + replay giving identical lists.
 * Usage: test_cli_supervise ENVGOV DATA_DIR (run by meson test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

static const char *envgov, *datadir;
static char db[512], tmpdir[256];

/* Run a command; its stdout (up to n-1 bytes) in out, its stderr in err; returns exit status. */
__attribute__((format(printf, 5, 6))) static int run(char *out, size_t n, char *err, size_t en,
                                                     const char *fmt, ...)
{
    char cmd[4096], full[5200], ep[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    snprintf(ep, sizeof(ep), "%s/stderr.txt", tmpdir);
    snprintf(full, sizeof(full), "%s --db %s %s 2>%s", envgov, db, cmd, ep);
    FILE *p = popen(full, "r");
    assert_non_null(p);
    size_t k = fread(out, 1, n - 1, p);
    out[k] = 0;
    int st = pclose(p);
    FILE *f = fopen(ep, "r");
    size_t e = f ? fread(err, 1, en - 1, f) : 0;
    err[e] = 0;
    if (f)
        fclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char out[1 << 20], err[8192];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/envgov-sup-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    snprintf(db, sizeof(db), "%s/t.db", tmpdir);
    return 0;
}

static int teardown(void **state)
{
    char cmd[600];
    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_import(void **state)
{
    (void)state;
    /* line 3 of the bad file has a wrong check character: the whole file is rejected */
    assert_int_equal(run(out, sizeof(out), err, sizeof(err),
                         "import enterprises %s/enterprises_bad.csv", datadir),
                     1);
    assert_non_null(strstr(err, "enterprises_bad.csv:3:"));
    assert_non_null(strstr(err, "check character"));
    assert_int_equal(
        run(out, sizeof(out), err, sizeof(err), "enterprise list --count --format json"), 0);
    assert_non_null(strstr(out, "\"count\":0"));
    /* --skip-invalid imports the rest and lists what it skipped */
    assert_int_equal(run(out, sizeof(out), err, sizeof(err),
                         "import enterprises --skip-invalid %s/enterprises_bad.csv", datadir),
                     0);
    assert_non_null(strstr(err, ":3: skipped"));
    assert_int_equal(run(out, sizeof(out), err, sizeof(err),
                         "import enterprises %s/enterprises_ok.csv", datadir),
                     0);
    assert_int_equal(run(out, sizeof(out), err, sizeof(err), "enterprise list --format ndjson"), 0);
    int n = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        json_error_t je;
        json_t *r = json_loads(line, 0, &je);
        assert_non_null(r);
        assert_non_null(json_string_value(json_object_get(r, "uscc")));
        assert_non_null(json_string_value(json_object_get(r, "name")));
        json_decref(r);
        n++;
    }
    assert_int_equal(n, 5);
    assert_int_equal(
        run(out, sizeof(out), err, sizeof(err), "enterprise show 91110000710925462X --format json"),
        0);
    assert_non_null(strstr(out, "重点管理"));
    assert_non_null(strstr(out, "water_key"));
}

static long new_item(const char *args)
{
    assert_int_equal(run(out, sizeof(out), err, sizeof(err), "work new %s", args), 0);
    char *end;
    long id = strtol(out, &end, 10);
    assert_true(id > 0);
    assert_string_equal(end, "\n"); /* the id alone */
    return id;
}

static void test_work(void **state)
{
    (void)state;
    long h1 = new_item("--kind hazard --title 'tank leak' --enterprise 91110000710925462X "
                       "--unit 兴隆台分局 --due 2022-06-30 --at 2022-03-01");
    long h2 = new_item("--kind hazard --title 'no plan' --at 2022-04-01T09:00+08:00");
    new_item("--kind hazard --title 'last year' --at 2021-12-31");
    assert_int_equal(
        run(out, sizeof(out), err, sizeof(err), "work move %ld --to fixing --at 2022-03-02", h1),
        0);
    assert_int_equal(
        run(out, sizeof(out), err, sizeof(err), "work move %ld --to fixed --at 2022-05-02", h1), 0);
    /* illegal: fixed → found; and an event before the last one */
    assert_int_equal(run(out, sizeof(out), err, sizeof(err), "work move %ld --to found", h1), 1);
    assert_non_null(strstr(err, "no transition"));
    assert_int_equal(
        run(out, sizeof(out), err, sizeof(err), "work move %ld --to fixing --at 2022-03-01", h2),
        1);
    assert_int_equal(run(out, sizeof(out), err, sizeof(err), "work move %ld --to fixed", h2), 1);
    assert_non_null(strstr(err, "--note"));
    assert_int_equal(run(out, sizeof(out), err, sizeof(err),
                         "work stats --kind hazard --year 2022 --format json --today 2023-01-01"),
                     0);
    json_error_t je;
    json_t *a = json_loads(out, 0, &je);
    assert_non_null(a);
    json_t *r = json_is_array(a) ? json_array_get(a, 0) : a;
    assert_int_equal(json_integer_value(json_object_get(r, "found")), 2);
    assert_int_equal(json_integer_value(json_object_get(r, "fixed")), 1);
    assert_int_equal(json_integer_value(json_object_get(r, "open")), 1);
    assert_string_equal(json_string_value(json_object_get(r, "sentence")),
                        "共发现隐患问题2项，整改完成1项，剩余1项");
    json_decref(a);
    /* a case with a fine in exact fen */
    long c =
        new_item("--kind case --title 'bypass' --enterprise 91110000710925462X --at 2022-05-01");
    assert_int_equal(run(out, sizeof(out), err, sizeof(err),
                         "work move %ld --to investigating --at 2022-05-02", c),
                     0);
    assert_int_equal(run(out, sizeof(out), err, sizeof(err),
                         "work move %ld --to notified --note 告字1号 --at 2022-05-10", c),
                     0);
    assert_int_equal(run(out, sizeof(out), err, sizeof(err),
                         "work move %ld --to decided --note 罚字1号 --at 2022-05-20", c),
                     1);
    assert_int_equal(run(out, sizeof(out), err, sizeof(err),
                         "work move %ld --to decided --note 罚字1号 --amount 123456.78 --role "
                         "enforcer --at 2022-05-20",
                         c),
                     1);
    assert_non_null(strstr(err, "role enforcer"));
    assert_int_equal(
        run(out, sizeof(out), err, sizeof(err),
            "work move %ld --to decided --note 罚字1号 --amount 123456.78 --at 2022-05-20", c),
        0);
    assert_int_equal(
        run(out, sizeof(out), err, sizeof(err), "work stats --kind case --year 2022 --format json"),
        0);
    assert_non_null(strstr(out, "\"fines_fen\":12345678"));
    assert_non_null(strstr(out, "累计处罚金额12.35万元"));
    assert_int_equal(run(out, sizeof(out), err, sizeof(err), "work show %ld --format json", c), 0);
    assert_non_null(strstr(out, "\"amount_yuan\":123456.78"));
    assert_int_equal(run(out, sizeof(out), err, sizeof(err),
                         "work list --kind hazard --overdue --today 2022-07-01 --format ndjson"),
                     0);
    assert_null(strstr(out, "tank leak")); /* fixed before its deadline */
    assert_int_equal(run(out, sizeof(out), err, sizeof(err), "work new --kind nonsense --title x"),
                     2);
}

/* `work list … --count` as a number (the CSV's last line). */
static long count_of(const char *filter)
{
    assert_int_equal(
        run(out, sizeof(out), err, sizeof(err), "work list %s --count --format csv", filter), 0);
    char *nl = strchr(out, '\n');
    assert_non_null(nl);
    return atol(nl + 1);
}

/* `work import`: a ledger through the engine; a bad row rejects the whole file, naming its line. */
static void test_ledger(void **state)
{
    (void)state;
    char path[600];
    long before = count_of("--kind case");
    snprintf(path, sizeof(path), "%s/bad.csv", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("ref,at,kind,title,to,note,amount\n"
          "L1,2022-02-01,case,ledger case 1,,,\n"
          "L1,2022-02-03,,,investigating,,\n"
          "L2,2022-02-04,case,ledger case 2,,,\n"
          "L2,2022-02-05,,,closed,,\n", /* illegal: a case cannot close while filed */
          f);
    fclose(f);
    assert_int_equal(run(out, sizeof(out), err, sizeof(err), "work import %s", path), 1);
    assert_non_null(strstr(err, "bad.csv:5:"));
    assert_int_equal(count_of("--kind case"), before); /* nothing of the file was kept */
    snprintf(path, sizeof(path), "%s/good.csv", tmpdir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("ref,at,kind,title,to,note,amount\n"
          "L1,2022-02-01,case,ledger case 1,,,\n"
          "L1,2022-02-03,,,investigating,,\n"
          "L1,2022-02-20,,,notified,告知书,\n"
          "L1,2022-03-01,,,decided,决定书,12345.67\n",
          f);
    fclose(f);
    assert_int_equal(run(out, sizeof(out), err, sizeof(err), "work import %s", path), 0);
    assert_non_null(strstr(err, "1 items created, 3 moves applied"));
    assert_int_equal(count_of("--kind case"), before + 1);
    assert_true(count_of("--kind case --state decided") >= 1);
}

static void test_draw(void **state)
{
    (void)state;
    char first[1 << 14];
    assert_int_equal(run(out, sizeof(out), err, sizeof(err), "inspect inspector I01 --name 张三"),
                     0);
    assert_int_equal(run(out, sizeof(out), err, sizeof(err), "inspect inspector I02 --name 李四"),
                     0);
    assert_int_equal(run(out, sizeof(out), err, sizeof(err), "inspect inspector I03 --name 王五"),
                     0);
    assert_int_equal(run(out, sizeof(out), err, sizeof(err),
                         "inspect exclude I01 91110000710925462X --reason 亲属"),
                     0);
    assert_int_equal(run(out, sizeof(out), err, sizeof(err),
                         "inspect draw --pool all --count 3 --seed 20221231 --format json"),
                     0);
    json_error_t je;
    json_t *a = json_loads(out, 0, &je);
    assert_non_null(a);
    json_t *r = json_is_array(a) ? json_array_get(a, 0) : a;
    long id = (long)json_integer_value(json_object_get(r, "id"));
    assert_true(id > 0);
    assert_string_equal(json_string_value(json_object_get(r, "seed")), "20221231");
    json_t *ents = json_object_get(r, "enterprises");
    assert_int_equal(json_array_size(ents), 3);
    assert_non_null(json_object_get(r, "inspectors"));
    char *e1 = json_dumps(ents, JSON_COMPACT);
    snprintf(first, sizeof(first), "%s", e1);
    free(e1);
    json_decref(a);
    assert_int_equal(
        run(out, sizeof(out), err, sizeof(err), "inspect replay %ld --format json", id), 0);
    a = json_loads(out, 0, &je);
    assert_non_null(a);
    r = json_is_array(a) ? json_array_get(a, 0) : a;
    char *e2 = json_dumps(json_object_get(r, "enterprises"), JSON_COMPACT);
    assert_string_equal(first, e2);
    assert_true(json_is_true(json_object_get(r, "match")));
    free(e2);
    json_decref(a);
    /* the same seed again draws the same list */
    assert_int_equal(run(out, sizeof(out), err, sizeof(err),
                         "inspect draw --pool all --count 3 --seed 20221231 --format json"),
                     0);
    assert_non_null(strstr(out, first));
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s ENVGOV DATA_DIR\n", argv[0]);
        return 2;
    }
    envgov = argv[1];
    datadir = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import),
        cmocka_unit_test(test_work),
        cmocka_unit_test(test_draw),
        cmocka_unit_test(test_ledger),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
