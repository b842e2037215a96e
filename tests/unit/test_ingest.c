/* test_ingest.c — the station-list and CNEMC importers: exact error locations for every kind of
 * malformed file with the database unchanged, dedup by content digest (unchanged / replaced),
 * batches with a broken file in the middle, real-file counts checked against an independent
 * count of the CSV, the real files' quirks, and allocation-failure injection on the parser.
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
#include "common/eg_mem.h"
#include "common/eg_time.h"
#include "ingest/ingest.h"
#include "store/store.h"
#include "store_testutil.h"

/* ---- a synthetic CNEMC file: 3 stations, 24 × 15 rows, lines kept apart so tests can break
 * one.  Line numbers: header 1, row (h, t) at 2 + 15h + t. */

static const char *const types[15] = {"AQI",    "PM2.5",   "PM2.5_24h", "PM10",    "PM10_24h",
                                      "SO2",    "SO2_24h", "NO2",       "NO2_24h", "O3",
                                      "O3_24h", "O3_8h",   "O3_8h_24h", "CO",      "CO_24h"};

#define NL 400
static char lines[NL][160];
static int nlines;
static char text[NL * 160];
static size_t text_len;

static int line_of(int h, int t)
{
    return 2 + 15 * h + t;
}

static void gen(const char *date)
{
    snprintf(lines[0], sizeof(lines[0]), "date,hour,type,1604A,1605A,9001X");
    nlines = 1;
    for (int h = 0; h < 24; h++)
        for (int t = 0; t < 15; t++) {
            char cells[3][24];
            for (int j = 0; j < 3; j++) {
                if (j == 2 && h % 4 == 0)
                    cells[j][0] = 0;
                else if (t == 13 || t == 14)
                    snprintf(cells[j], sizeof(cells[j]), "%d.%d", j + 1, h % 10);
                else if (t == 3)
                    snprintf(cells[j], sizeof(cells[j]), "%d.0", 50 + h + j);
                else
                    snprintf(cells[j], sizeof(cells[j]), "%d", 10 * t + h + j);
            }
            snprintf(lines[nlines++], sizeof(lines[0]), "%s,%d,%s,%s,%s,%s", date, h, types[t],
                     cells[0], cells[1], cells[2]);
        }
}

/* Join with CRLF; final = whether the last line gets one. */
static void join(bool final)
{
    text_len = 0;
    for (int i = 0; i < nlines; i++) {
        size_t n = strlen(lines[i]);
        memcpy(text + text_len, lines[i], n);
        text_len += n;
        if (i + 1 < nlines || final) {
            memcpy(text + text_len, "\r\n", 2);
            text_len += 2;
        }
    }
    text[text_len] = 0;
}

static void set_line(int ln, const char *s)
{
    snprintf(lines[ln - 1], sizeof(lines[0]), "%s", s);
}

static const char *item_code(const char *name)
{
    return cat_find(name, strlen(name))->code;
}

/* ---- store helpers ---- */

struct totals {
    long rows, values;
    long long sum[6];            /* by enum cat_air */
    unsigned long long checksum; /* wraps: unsigned */
};

static int tot_cb(void *ud, const char *station, const char *item, int32_t date,
                  const int32_t v[24])
{
    struct totals *t = ud;
    int k = cat_air_index(item);
    assert_true(k >= 0);
    t->rows++;
    for (int h = 0; h < 24; h++) {
        if (v[h] == STORE_NA)
            continue;
        t->values++;
        t->sum[k] += v[h];
        t->checksum =
            t->checksum * 31u + (unsigned long long)(v[h] + h + date + station[0] * 7 + k);
    }
    return 0;
}

static struct totals totals(struct store *s)
{
    struct totals t;
    struct eg_errbuf eb;
    memset(&t, 0, sizeof(t));
    assert_int_equal(store_air_scan(s, 0, 200000, NULL, 0, tot_cb, &t, &eb), 0);
    return t;
}

static struct store *fresh(const char *tag)
{
    struct store *s = NULL;
    struct eg_errbuf eb;
    char path[512];
    tu_path(path, sizeof(path), tag);
    tu_unlink_db(path);
    assert_int_equal(store_open(path, 0, &s, &eb), 0);
    return s;
}

/* write text to the scratch dir under name; returns the path in out */
static void put_file(char *out, size_t n, const char *name)
{
    tu_path(out, n, name);
    tu_write(out, text, text_len);
}

struct one {
    char station[16], item[8];
    int32_t date;
    int32_t v[24];
    bool found;
};

static int find_cb(void *ud, const char *station, const char *item, int32_t date,
                   const int32_t v[24])
{
    struct one *o = ud;
    if (!strcmp(station, o->station) && !strcmp(item, o->item) && date == o->date) {
        memcpy(o->v, v, sizeof(o->v));
        o->found = true;
    }
    return 0;
}

static struct one get_row(struct store *s, const char *station, const char *item, int32_t date)
{
    struct one o;
    struct eg_errbuf eb;
    memset(&o, 0, sizeof(o));
    snprintf(o.station, sizeof(o.station), "%s", station);
    snprintf(o.item, sizeof(o.item), "%s", item);
    o.date = date;
    const char *list[1] = {station};
    assert_int_equal(store_air_scan(s, date, date, list, 1, find_cb, &o, &eb), 0);
    return o;
}

/* ---- parser ---- */

static int count_cb(void *ud, const char *station, const char *item, int32_t date,
                    const int32_t v[24])
{
    (void)station, (void)item, (void)date, (void)v;
    (*(long *)ud)++;
    return 0;
}

static void test_parse_synthetic(void **state)
{
    (void)state;
    gen("20230120");
    /* rounding of extra decimals, GB/T 8170: CO 0.65 → 0.6, 0.75 → 0.8; PM2.5 12.5 → 12, 13.5 → 14
     */
    set_line(line_of(3, 13), "20230120,3,CO,0.65,0.75,");
    set_line(line_of(3, 1), "20230120,3,PM2.5,12.5,13.5,");
    join(false);
    char path[512];
    put_file(path, sizeof(path), "china_sites_20230120.csv");
    struct store *s = fresh("parse.db");
    struct ingest_stats st;
    struct eg_errbuf eb;
    memset(&st, 0, sizeof(st));
    const char *paths[1] = {path};
    assert_int_equal(ingest_cnemc_files(s, paths, 1, NULL, NULL, &st, &eb), 0);
    assert_int_equal(st.files, 1);
    assert_int_equal(st.files_new, 1);
    /* 3 stations × 6 pollutants; 9001X is empty at hours 0, 4, 8, … (6 hours) and at hour 3 of
     * CO and PM2.5 (set above) */
    assert_int_equal(st.rows, 18);
    assert_int_equal(st.values, 3 * 6 * 24 - 6 * 6 - 2);
    assert_true(st.no_station_list);
    assert_int_equal(st.unknown_stations, 3);
    int32_t d = eg_days_from_civil(2023, 1, 20);
    struct one o = get_row(s, "1604A", item_code("CO"), d);
    assert_true(o.found);
    assert_int_equal(o.v[3], 6);
    assert_int_equal(o.v[0], 10); /* "1.0" */
    assert_int_equal(o.v[5], 15);
    assert_int_equal(get_row(s, "1605A", item_code("CO"), d).v[3], 8);
    o = get_row(s, "1604A", item_code("PM2.5"), d);
    assert_int_equal(o.v[3], 12);
    assert_int_equal(o.v[7], 17);
    assert_int_equal(get_row(s, "1605A", item_code("PM2.5"), d).v[3], 14);
    o = get_row(s, "9001X", item_code("PM10"), d);
    assert_int_equal(o.v[0], STORE_NA);
    assert_int_equal(o.v[1], 53);
    store_close(s);
}

struct bad_case {
    const char *what;
    int line;           /* which line to replace (0: header-only file) */
    const char *text;   /* its new text */
    int code;           /* expected error */
    long eline, ecol;   /* expected location */
    const char *efield; /* expected field ("" = none) */
    const char *emsg;   /* a substring of the message */
};

static void test_malformed(void **state)
{
    (void)state;
    const int L = 2 + 15 * 5 + 1; /* hour 5, PM2.5 */
    const struct bad_case cases[] = {
        {"header", 1, "date,hour,kind,1604A,1605A,9001X", EG_EPARSE, 1, 3, "header", "\"type\""},
        {"header code", 1, "date,hour,type,1604A,16 05A,9001X", EG_EPARSE, 1, 5, "header",
         "station code"},
        {"header repeat", 1, "date,hour,type,1604A,1605A,1604A", EG_EPARSE, 1, 6, "1604A",
         "repeats column 4"},
        {"date", L, "20230121,5,PM2.5,1,2,3", EG_EPARSE, L, 1, "date", "does not match"},
        {"date text", L, "2023-1-20,5,PM2.5,1,2,3", EG_EPARSE, L, 1, "date", "not a date"},
        {"hour", L, "20230120,24,PM2.5,1,2,3", EG_EPARSE, L, 2, "hour", "not 0"},
        {"hour text", L, "20230120,x,PM2.5,1,2,3", EG_EPARSE, L, 2, "hour", "not 0"},
        {"type", L, "20230120,5,PM25,1,2,3", EG_EPARSE, L, 3, "type", "unknown type"},
        {"cell", L, "20230120,5,PM2.5,1,2a,3", EG_EPARSE, L, 5, "1605A", "not a number"},
        {"derived cell", L + 1, "20230120,5,PM2.5_24h,1,2,n/a", EG_EPARSE, L + 1, 6, "9001X",
         "not a number"},
        {"negative", L, "20230120,5,PM2.5,-3,2,3", EG_ERANGE, L, 4, "1604A", "negative"},
        {"huge", L, "20230120,5,PM2.5,1,99999999999,3", EG_ERANGE, L, 5, "1605A", "too large"},
        {"few cells", L, "20230120,5,PM2.5,1,2", EG_EPARSE, L, 6, "", "5 cells"},
        {"many cells", L, "20230120,5,PM2.5,1,2,3,4", EG_EPARSE, L, 7, "", "7 cells"},
        {"repeat", L, "20230120,5,AQI,1,2,3", EG_EPARSE, L, 3, "type", "repeats line 77"},
        {"no rows", 0, NULL, EG_EPARSE, 2, 0, "", "no data rows"},
    };
    struct store *s = fresh("malformed.db");
    struct eg_errbuf eb;
    char path[512];
    /* something in the database first: another day */
    gen("20230119");
    join(true);
    put_file(path, sizeof(path), "china_sites_20230119.csv");
    const char *p1[1] = {path};
    assert_int_equal(ingest_cnemc_files(s, p1, 1, NULL, NULL, NULL, &eb), 0);
    struct totals before = totals(s);
    assert_int_equal(before.rows, 18);

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct bad_case *c = &cases[i];
        gen("20230120");
        if (c->line)
            set_line(c->line, c->text);
        else
            nlines = 1;
        join(true);
        put_file(path, sizeof(path), "china_sites_20230120.csv");
        struct ingest_stats st;
        memset(&st, 0, sizeof(st));
        eg_errbuf_clear(&eb);
        int rc = ingest_cnemc_files(s, p1, 1, NULL, NULL, &st, &eb);
        char msg[1024];
        eg_errbuf_format(&eb, msg, sizeof(msg));
        print_message("%-13s %s\n", c->what, msg);
        assert_int_equal(rc, c->code);
        assert_int_equal(eb.code, c->code);
        assert_string_equal(eb.file, path);
        assert_int_equal(eb.line, c->eline);
        assert_int_equal(eb.column, c->ecol);
        assert_string_equal(eb.field, c->efield);
        assert_non_null(strstr(eb.msg, c->emsg));
        assert_int_equal(st.skipped, 1);
        assert_int_equal(st.files, 1);
        struct totals after = totals(s);
        assert_int_equal(after.rows, before.rows);
        assert_int_equal(after.values, before.values);
        assert_true(after.checksum == before.checksum);
        /* the parser alone gives the same verdict, with no callback */
        long calls = 0;
        assert_int_equal(ingest_cnemc_parse(text, text_len, path, count_cb, &calls, NULL, &eb),
                         c->code);
        assert_int_equal(calls, 0);
    }
    /* nothing was recorded for the rejected name: the good file imports as new */
    gen("20230120");
    join(true);
    put_file(path, sizeof(path), "china_sites_20230120.csv");
    enum ingest_file_result r;
    assert_int_equal(ingest_cnemc_buffer(s, text, text_len, path, NULL, &r, &eb), 0);
    assert_int_equal(r, INGEST_FILE_NEW);
    assert_int_equal(totals(s).rows, 36);
    store_close(s);
}

static void test_tolerated_quirks(void **state)
{
    (void)state;
    struct eg_errbuf eb;
    struct ingest_stats st;
    long calls = 0;
    int32_t d = eg_days_from_civil(2023, 1, 20);
    struct store *s = fresh("quirks.db");

    /* last row cut short with no newline (a truncated download): accepted, its last cell
     * dropped; here the cut row is CO so the drop is visible */
    gen("20230120");
    nlines--; /* drop CO_24h of hour 23: the CO row is last */
    set_line(nlines, "20230120,23,CO,0.7,0.");
    join(false);
    memset(&st, 0, sizeof(st));
    assert_int_equal(
        ingest_cnemc_buffer(s, text, text_len, "china_sites_20230120.csv", &st, NULL, &eb), 0);
    assert_int_equal(st.files_truncated, 1);
    struct one o = get_row(s, "1604A", item_code("CO"), d);
    assert_int_equal(o.v[23], 7);
    assert_int_equal(get_row(s, "1605A", item_code("CO"), d).v[23], STORE_NA);
    /* the same cut followed by a newline is a broken row, not a truncated file */
    join(true);
    assert_int_equal(ingest_cnemc_parse(text, text_len, "x.csv", count_cb, &calls, NULL, &eb),
                     EG_EPARSE);
    assert_int_equal(eb.line, nlines);
    /* cut inside the type: the row is ignored */
    set_line(nlines, "20230120,23,C");
    join(false);
    assert_int_equal(ingest_cnemc_parse(text, text_len, "x.csv", count_cb, &calls, NULL, &eb), 0);

    /* padding columns without a code at the end of the header (china_sites_20230121.csv) */
    gen("20230120");
    for (int i = 0; i < nlines; i++) {
        size_t n = strlen(lines[i]);
        snprintf(lines[i] + n, sizeof(lines[0]) - n, ",,");
    }
    join(true);
    calls = 0;
    assert_int_equal(ingest_cnemc_parse(text, text_len, "x.csv", count_cb, &calls, NULL, &eb), 0);
    assert_int_equal(calls, 18);
    set_line(5, "20230120,0,PM10,1,2,3,,4");
    join(true);
    assert_int_equal(ingest_cnemc_parse(text, text_len, "x.csv", count_cb, &calls, NULL, &eb),
                     EG_EPARSE);
    assert_int_equal(eb.line, 5);
    assert_int_equal(eb.column, 8);

    /* missing hours are missing values; a name without a date takes the first row's date */
    gen("20230120");
    nlines = 1 + 15 * 12;
    join(true);
    calls = 0;
    assert_int_equal(ingest_cnemc_parse(text, text_len, "upload.csv", count_cb, &calls, NULL, &eb),
                     0);
    assert_int_equal(calls, 18);
    /* a name with a date overrules: every row mismatches */
    assert_int_equal(
        ingest_cnemc_parse(text, text_len, "china_sites_20230121.csv", count_cb, &calls, NULL, &eb),
        EG_EPARSE);
    assert_int_equal(eb.line, 2);
    store_close(s);
}

static void test_reimport_and_replace(void **state)
{
    (void)state;
    struct store *s = fresh("reimport.db");
    struct eg_errbuf eb;
    struct ingest_stats st;
    char path[512];
    int32_t d = eg_days_from_civil(2023, 1, 20);
    gen("20230120");
    join(true);
    put_file(path, sizeof(path), "china_sites_20230120.csv");
    const char *p[1] = {path};
    assert_int_equal(ingest_cnemc_files(s, p, 1, NULL, NULL, NULL, &eb), 0);
    struct totals t1 = totals(s);

    memset(&st, 0, sizeof(st));
    assert_int_equal(ingest_cnemc_files(s, p, 1, NULL, NULL, &st, &eb), 0);
    assert_int_equal(st.files_unchanged, 1);
    assert_int_equal(st.files_new + st.files_replaced, 0);
    assert_int_equal(st.rows, 0);
    struct totals t2 = totals(s);
    assert_int_equal(t2.rows, t1.rows);
    assert_true(t2.checksum == t1.checksum);

    /* changed content: one value differs, 9001X lost its O3 entirely */
    gen("20230120");
    set_line(line_of(7, 1), "20230120,7,PM2.5,99,18,19");
    for (int h = 0; h < 24; h++) {
        char *l = lines[line_of(h, 9) - 1];
        char *c = strrchr(l, ',');
        c[1] = 0;
    }
    join(true);
    put_file(path, sizeof(path), "china_sites_20230120.csv");
    memset(&st, 0, sizeof(st));
    assert_int_equal(ingest_cnemc_files(s, p, 1, NULL, NULL, &st, &eb), 0);
    assert_int_equal(st.files_replaced, 1);
    assert_int_equal(st.rows, 17);
    struct totals t3 = totals(s);
    assert_int_equal(t3.rows, 17);
    assert_int_equal(get_row(s, "1604A", item_code("PM2.5"), d).v[7], 99);
    assert_false(get_row(s, "9001X", item_code("O3"), d).found);
    /* and again: unchanged */
    memset(&st, 0, sizeof(st));
    assert_int_equal(ingest_cnemc_files(s, p, 1, NULL, NULL, &st, &eb), 0);
    assert_int_equal(st.files_unchanged, 1);
    store_close(s);
}

struct progress_log {
    enum ingest_file_result res[8];
    long line[8];
    size_t n;
};

static void progress(void *ud, size_t done, size_t total, const char *path,
                     enum ingest_file_result res, const struct eg_errbuf *err)
{
    struct progress_log *l = ud;
    (void)path;
    assert_int_equal(done, l->n + 1);
    assert_int_equal(total, 3);
    assert_true((res == INGEST_FILE_FAILED) == (err != NULL));
    l->res[l->n] = res;
    l->line[l->n] = err ? err->line : 0;
    l->n++;
}

static void test_batch_with_broken_file(void **state)
{
    (void)state;
    struct store *s = fresh("batch.db");
    struct eg_errbuf eb;
    struct ingest_stats st;
    char p1[512], p2[512], p3[512];
    gen("20230120");
    join(true);
    put_file(p1, sizeof(p1), "china_sites_20230120.csv");
    gen("20230121");
    set_line(100, "20230121,6,O3,1,2,x");
    join(true);
    put_file(p2, sizeof(p2), "china_sites_20230121.csv");
    gen("20230122");
    join(true);
    put_file(p3, sizeof(p3), "china_sites_20230122.csv");
    const char *p[3] = {p1, p2, p3};
    struct progress_log log = {0};
    memset(&st, 0, sizeof(st));
    assert_int_equal(ingest_cnemc_files(s, p, 3, progress, &log, &st, &eb), EG_EPARSE);
    assert_string_equal(eb.file, p2);
    assert_int_equal(eb.line, 100);
    assert_int_equal(eb.column, 6);
    assert_int_equal(log.n, 3);
    assert_int_equal(log.res[0], INGEST_FILE_NEW);
    assert_int_equal(log.res[1], INGEST_FILE_FAILED);
    assert_int_equal(log.line[1], 100);
    assert_int_equal(log.res[2], INGEST_FILE_NEW);
    assert_int_equal(st.files, 3);
    assert_int_equal(st.files_new, 2);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(totals(s).rows, 36);
    int32_t a, b;
    assert_int_equal(store_air_extent(s, &a, &b, &eb), 0);
    assert_int_equal(a, eg_days_from_civil(2023, 1, 20));
    assert_int_equal(b, eg_days_from_civil(2023, 1, 22));
    /* a missing file is a failed file too */
    const char *missing[1] = {"/nonexistent/china_sites_20230101.csv"};
    memset(&st, 0, sizeof(st));
    assert_int_equal(ingest_cnemc_files(s, missing, 1, NULL, NULL, &st, &eb), EG_ENOTFOUND);
    assert_int_equal(st.skipped, 1);
    store_close(s);
}

/* ---- the real files, counted independently ---- */

struct indep {
    long rows, values, stations_with_data;
    long long sum[6];
};

static char *slurp(const char *path, size_t *ret_len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    b[n] = 0;
    *ret_len = (size_t)n;
    return b;
}

/* Count the six pollutants' non-empty cells by splitting lines on ',' by hand (no eg_csv, no
 * importer code); CO is read at one decimal, the others as integers (".0" allowed). */
static void count_independently(const char *path, struct indep *out)
{
    static const char *const six[6] = {"SO2", "NO2", "CO", "PM10", "PM2.5", "O3"}; /* cat_air */
    size_t len;
    char *b = slurp(path, &len);
    size_t nst = 0;
    static unsigned char has[3000][6];
    static unsigned char any[3000];
    memset(has, 0, sizeof(has));
    memset(any, 0, sizeof(any));
    char *line = b;
    int lineno = 0;
    while (line < b + len) {
        char *end = memchr(line, '\n', (size_t)(b + len - line));
        if (!end)
            end = b + len;
        char *stop = end > line && end[-1] == '\r' ? end - 1 : end;
        lineno++;
        /* walk the fields */
        char *f = line;
        int col = 0, type = -1;
        while (f <= stop) {
            char *c = memchr(f, ',', (size_t)(stop - f));
            char *fe = c ? c : stop;
            size_t n = (size_t)(fe - f);
            if (lineno == 1) {
                if (col >= 3 && n > 0)
                    nst = (size_t)col - 2;
            } else if (col == 2) {
                for (int k = 0; k < 6; k++)
                    if (n == strlen(six[k]) && !memcmp(f, six[k], n))
                        type = k;
                if (type < 0)
                    break;
            } else if (col >= 3 && (size_t)(col - 3) < nst && n > 0) {
                long long ip = 0, fr = 0;
                int fd = 0;
                bool dot = false;
                for (size_t i = 0; i < n; i++) {
                    if (f[i] == '.') {
                        dot = true;
                        continue;
                    }
                    assert_true(f[i] >= '0' && f[i] <= '9');
                    if (!dot)
                        ip = ip * 10 + (f[i] - '0');
                    else if (fd++ == 0)
                        fr = f[i] - '0';
                    else
                        assert_true(f[i] == '0');
                }
                int scale = type == 2 ? 1 : 0;
                if (scale == 0)
                    assert_true(fr == 0);
                out->values++;
                out->sum[type] += scale ? ip * 10 + fr : ip;
                has[col - 3][type] = 1;
                any[col - 3] = 1;
            }
            col++;
            if (!c)
                break;
            f = c + 1;
        }
        line = end + 1;
    }
    for (size_t j = 0; j < nst; j++) {
        for (int k = 0; k < 6; k++)
            out->rows += has[j][k];
        out->stations_with_data += any[j];
    }
    free(b);
}

static const char *const real[4] = {
    "cnemc/china_sites_20230120.csv", "cnemc/china_sites_20230121.csv",
    "cnemc/china_sites_20230122.csv", "cnemc/china_sites_20230123.csv"};

struct stn_count {
    long n, background, listed;
};

static int stn_cb(void *ud, const struct store_station *st)
{
    struct stn_count *c = ud;
    c->n++;
    c->background += st->background;
    c->listed += st->listed;
    return 0;
}

static void test_real_files(void **state)
{
    (void)state;
    struct store *s = fresh("real.db");
    struct eg_errbuf eb;
    struct ingest_stats st;
    char list[512], paths[4][512];
    const char *p[4];
    tu_data(list, sizeof(list), "stations/stations_2022.csv");
    memset(&st, 0, sizeof(st));
    assert_int_equal(ingest_stations_file(s, list, &st, &eb), 0);
    assert_int_equal(st.rows, 2026);
    struct stn_count sc = {0};
    assert_int_equal(store_station_each(s, NULL, stn_cb, &sc, &eb), 0);
    assert_int_equal(sc.n, 2026);
    assert_int_equal(sc.background, 250);
    /* re-importing updates, adds nothing */
    assert_int_equal(ingest_stations_file(s, list, NULL, &eb), 0);
    memset(&sc, 0, sizeof(sc));
    assert_int_equal(store_station_each(s, "盘锦", stn_cb, &sc, &eb), 0);
    assert_int_equal(sc.n, 3);

    struct indep want;
    memset(&want, 0, sizeof(want));
    for (int i = 0; i < 4; i++) {
        tu_data(paths[i], sizeof(paths[i]), real[i]);
        p[i] = paths[i];
        count_independently(paths[i], &want);
    }
    memset(&st, 0, sizeof(st));
    int rc = ingest_cnemc_files(s, p, 4, NULL, NULL, &st, &eb);
    if (rc) {
        char msg[1024];
        eg_errbuf_format(&eb, msg, sizeof(msg));
        fail_msg("%s", msg);
    }
    print_message("real files: %ld rows, %ld values (independent count: %ld rows, %ld values)\n",
                  st.rows, st.values, want.rows, want.values);
    assert_int_equal(st.files_new, 4);
    assert_int_equal(st.files_truncated, 1); /* 20230120 */
    assert_int_equal(st.unknown_stations, 0);
    assert_false(st.no_station_list);
    assert_int_equal(st.rows, want.rows);
    assert_int_equal(st.values, want.values);
    struct totals t = totals(s);
    assert_int_equal(t.rows, want.rows);
    assert_int_equal(t.values, want.values);
    for (int k = 0; k < 6; k++)
        assert_true(t.sum[k] == want.sum[k]);
    /* Panjin, published figures of data/README.md: 1605A PM2.5 daily mean 2023-01-22 = 82.7
     * over hours 01…24: slots 1–23 of 01-22 plus slot 0 of 01-23 */
    int32_t d = eg_days_from_civil(2023, 1, 22);
    struct one a = get_row(s, "1605A", item_code("PM2.5"), d);
    struct one b = get_row(s, "1605A", item_code("PM2.5"), d + 1);
    long sum = b.v[0];
    for (int h = 1; h < 24; h++)
        sum += a.v[h];
    assert_int_equal((sum * 10 + 12) / 24, 827);
    /* station list and data agree: every station listed */
    memset(&sc, 0, sizeof(sc));
    assert_int_equal(store_station_each(s, NULL, stn_cb, &sc, &eb), 0);
    assert_int_equal(sc.n, 2026);
    assert_int_equal(sc.listed, 2026);
    /* all four again: unchanged */
    memset(&st, 0, sizeof(st));
    assert_int_equal(ingest_cnemc_files(s, p, 4, NULL, NULL, &st, &eb), 0);
    assert_int_equal(st.files_unchanged, 4);
    assert_int_equal(totals(s).values, want.values);
    store_close(s);

    /* without the station list: one message's worth of information, not 2,026 warnings */
    s = fresh("nolist.db");
    struct indep one;
    memset(&one, 0, sizeof(one));
    count_independently(paths[2], &one);
    memset(&st, 0, sizeof(st));
    assert_int_equal(ingest_cnemc_files(s, p + 2, 1, NULL, NULL, &st, &eb), 0);
    assert_true(st.no_station_list);
    assert_int_equal(st.unknown_stations, one.stations_with_data);
    memset(&sc, 0, sizeof(sc));
    assert_int_equal(store_station_each(s, NULL, stn_cb, &sc, &eb), 0);
    assert_int_equal(sc.n, one.stations_with_data);
    assert_int_equal(sc.listed, 0);
    store_close(s);
}

static int name_cb(void *ud, const struct store_station *st)
{
    if (!strcmp(st->code, "1001A"))
        snprintf(ud, 64, "%s", st->name);
    return 0;
}

static void test_station_list_errors(void **state)
{
    (void)state;
    struct store *s = fresh("list.db");
    struct eg_errbuf eb;
    char list[512];
    size_t len;
    tu_data(list, sizeof(list), "stations/stations_2022.csv");
    char *orig = slurp(list, &len);
    assert_int_equal(ingest_stations_buffer(s, orig, len, "list.csv", NULL, &eb), 0);
    static const struct {
        const char *from, *to;
        long line, col;
        const char *field;
    } cases[] = {
        {"1604A,开发区,盘锦,122.0303,41.1489,N", "1604A,开发区,盘锦,122.0303,41.1489,X", 0, 6,
         "1604A"},
        {"1604A,开发区,盘锦,122.0303,41.1489,N", "1604A,开发区,盘锦,east,41.1489,N", 0, 4, "1604A"},
        {"1604A,开发区,盘锦,122.0303,41.1489,N", "1604A,开发区,盘锦,122.0303,91,N", 0, 5, "1604A"},
        {"1604A,开发区,盘锦,122.0303,41.1489,N", "1604A,开发区,,122.0303,41.1489,N", 0, 3, "1604A"},
        /* reported at the second occurrence: 1605A is the next line */
        {"1604A,开发区,盘锦,122.0303,41.1489,N", "1605A,开发区,盘锦,122.0303,41.1489,N", -1, 1,
         "1605A"},
        {"1604A,开发区,盘锦,122.0303,41.1489,N", "1604A,开发区,盘锦,122.0303", 0, 5, ""},
        {"监测点编码,监测点名称", "监测点代码,监测点名称", 1, 1, "header"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *at = strstr(orig, cases[i].from);
        assert_non_null(at);
        long line = 1;
        for (char *q = orig; q < at; q++)
            line += *q == '\n';
        size_t fl = strlen(cases[i].from), tl = strlen(cases[i].to);
        char *mod = malloc(len + tl + 1);
        size_t pre = (size_t)(at - orig);
        memcpy(mod, orig, pre);
        memcpy(mod + pre, cases[i].to, tl);
        memcpy(mod + pre + tl, at + fl, len - pre - fl);
        size_t ml = len - fl + tl;
        /* change a name too, to see that nothing of the rejected file is written */
        char *nm = strstr(mod, "万寿西宫");
        memcpy(nm, "万寿东宫", strlen("万寿东宫"));
        eg_errbuf_clear(&eb);
        int rc = ingest_stations_buffer(s, mod, ml, "list.csv", NULL, &eb);
        char msg[1024];
        eg_errbuf_format(&eb, msg, sizeof(msg));
        print_message("%s\n", msg);
        assert_int_equal(rc, EG_EPARSE);
        assert_int_equal(eb.line, cases[i].line > 0 ? cases[i].line : line - cases[i].line);
        assert_int_equal(eb.column, cases[i].col);
        assert_string_equal(eb.field, cases[i].field);
        free(mod);
    }
    free(orig);
    struct stn_count sc = {0};
    assert_int_equal(store_station_each(s, "北京", stn_cb, &sc, &eb), 0);
    assert_int_equal(sc.n, 24);
    char name[64] = "";
    assert_int_equal(store_station_each(s, "北京", name_cb, name, &eb), 0);
    assert_string_equal(name, "万寿西宫"); /* the rejected files' rename was not written */
    store_close(s);
}

/* ---- allocation failures ---- */

static void test_alloc_failures(void **state)
{
    (void)state;
    struct eg_errbuf eb;
    gen("20230120");
    join(true);
    long k, calls;
    int rc = -1;
    size_t base = eg_mem_in_use();
    for (k = 0; k < 1000; k++) {
        calls = 0;
        eg_mem_fail_after(k);
        rc = ingest_cnemc_parse(text, text_len, "china_sites_20230120.csv", count_cb, &calls, NULL,
                                &eb);
        eg_mem_fail_after(-1);
        assert_int_equal(eg_mem_in_use(), base);
        if (rc == 0)
            break;
        assert_int_equal(rc, EG_ENOMEM);
        assert_int_equal(calls, 0);
    }
    assert_int_equal(rc, 0);
    assert_true(k > 2); /* the parser does allocate: the loop exercised its failure paths */
    assert_int_equal(calls, 18);

    /* the same through the store import: each failure leaves the database as it was */
    struct store *s = fresh("alloc.db");
    base = eg_mem_in_use();
    for (k = 0; k < 1000; k++) {
        eg_mem_fail_after(k);
        rc = ingest_cnemc_buffer(s, text, text_len, "china_sites_20230120.csv", NULL, NULL, &eb);
        eg_mem_fail_after(-1);
        assert_int_equal(eg_mem_in_use(), base);
        if (rc == 0)
            break;
        assert_int_equal(rc, EG_ENOMEM);
        assert_int_equal(totals(s).rows, 0);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(totals(s).rows, 18);
    store_close(s);
}

int main(int argc, char **argv)
{
    tu_setup(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_synthetic),        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_tolerated_quirks),       cmocka_unit_test(test_reimport_and_replace),
        cmocka_unit_test(test_batch_with_broken_file), cmocka_unit_test(test_real_files),
        cmocka_unit_test(test_station_list_errors),    cmocka_unit_test(test_alloc_failures),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_teardown();
    return rc;
}
