/* bench_import.c — import and scan speed of the store's hourly air layout (docs/storage.md).
 *
 * 1. Import the four real CNEMC files (tests/data/cnemc) into a fresh database, one transaction
 *    per file: end to end (ingest_cnemc_files: read, BLAKE2b digest, parse, write) and through
 *    one harness (parse → put) for three layouts: ours (blob rows keyed station, date, item), the
 *    same blob keyed (station, item, date), and the naive row-per-value layout keyed (station,
 *    item, hour) with one INSERT per value.  Best of N runs; values/s and the ratios.
 * 2. A national-scale year: the 4 days tiled over 365 days for all 2,026 stations × 6 pollutants
 *    (stations without data borrow another station's row), written untimed with store_air_put;
 *    then a timed full store_air_scan (rows/s, seconds).
 * Usage: bench_import DATA_DIR [RUNS] [SCRATCH_DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/eg_buf.h"
#include "common/eg_mem.h"
#include "ingest/ingest.h"
#include "store/store-int.h"
#include "store/store.h"

#define NFILES 4

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, const struct eg_errbuf *eb)
{
    char msg[1024];
    eg_errbuf_format(eb, msg, sizeof(msg));
    fprintf(stderr, "bench_import: %s: %s\n", what, msg);
    exit(1);
}

static char scratch[512];

static void db_path(char *out, size_t n, const char *name)
{
    int k = snprintf(out, n, "%s/%s", scratch, name);
    if (k < 0 || (size_t)k >= n) {
        fprintf(stderr, "path too long\n");
        exit(1);
    }
}

static void rm_db(const char *path)
{
    static const char *const sfx[2] = {"-wal", "-shm"};
    char p[700];
    unlink(path);
    for (int i = 0; i < 2; i++) {
        int k = snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
        if (k > 0 && (size_t)k < sizeof(p))
            unlink(p);
    }
}

struct file {
    char path[512];
    char *buf;
    size_t len;
};

/* ---- one harness: parse → put, one transaction per file ---- */

enum target { T_STORE, T_LAB };

struct sink {
    enum target t;
    struct store *s;
    struct store__lab *lab;
    struct eg_errbuf *eb;
};

static int sink_row(void *ud, const char *station, const char *item, int32_t date,
                    const int32_t v[24])
{
    struct sink *k = ud;
    if (k->t == T_STORE)
        return store_air_put(k->s, station, item, date, v, k->eb);
    bool any = false;
    for (int h = 0; h < 24; h++)
        any |= v[h] != STORE_NA;
    if (!any) /* a fresh database: the store deletes nothing here either */
        return 0;
    return store__lab_put(k->lab, station, item, date, v, k->eb);
}

static double run_harness(const struct file *f, int layout, long *ret_values)
{
    struct eg_errbuf eb;
    struct sink k = {.eb = &eb};
    char path[600];
    db_path(path, sizeof(path), "harness.db");
    rm_db(path);
    if (layout < 0) {
        k.t = T_STORE;
        if (store_open(path, 0, &k.s, &eb))
            die("store_open", &eb);
    } else {
        k.t = T_LAB;
        if (store__lab_open(path, (enum store__layout)layout, &k.lab, &eb))
            die("lab_open", &eb);
    }
    struct ingest_stats st;
    memset(&st, 0, sizeof(st));
    double t0 = now();
    for (int i = 0; i < NFILES; i++) {
        int rc = k.t == T_STORE ? store_begin(k.s, &eb) : store__lab_begin(k.lab, &eb);
        if (rc)
            die("begin", &eb);
        if (ingest_cnemc_parse(f[i].buf, f[i].len, f[i].path, sink_row, &k, &st, &eb))
            die("parse/put", &eb);
        rc = k.t == T_STORE ? store_commit(k.s, &eb) : store__lab_commit(k.lab, &eb);
        if (rc)
            die("commit", &eb);
    }
    double dt = now() - t0;
    store_close(k.s);
    store__lab_close(k.lab);
    rm_db(path);
    *ret_values = st.values;
    return dt;
}

static double run_end_to_end(const struct file *f, long *ret_values)
{
    struct eg_errbuf eb;
    struct store *s;
    char path[600];
    const char *paths[NFILES];
    for (int i = 0; i < NFILES; i++)
        paths[i] = f[i].path;
    db_path(path, sizeof(path), "e2e.db");
    rm_db(path);
    if (store_open(path, 0, &s, &eb))
        die("store_open", &eb);
    struct ingest_stats st;
    memset(&st, 0, sizeof(st));
    double t0 = now();
    if (ingest_cnemc_files(s, paths, NFILES, NULL, NULL, &st, &eb))
        die("ingest_cnemc_files", &eb);
    double dt = now() - t0;
    store_close(s);
    rm_db(path);
    *ret_values = st.values;
    return dt;
}

/* ---- the national-scale year ---- */

struct day_rows {
    size_t n, cap;
    char (*station)[16];
    const char **item;
    int32_t (*v)[24];
};

static int collect_row(void *ud, const char *station, const char *item, int32_t date,
                       const int32_t v[24])
{
    struct day_rows *d = ud;
    (void)date;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16384;
        void *a = realloc(d->station, cap * sizeof(*d->station));
        void *b = realloc(d->item, cap * sizeof(*d->item));
        void *c = realloc(d->v, cap * sizeof(*d->v));
        if (!a || !b || !c)
            return EG_ENOMEM;
        d->station = a;
        d->item = b;
        d->v = c;
        d->cap = cap;
    }
    snprintf(d->station[d->n], 16, "%s", station);
    d->item[d->n] = item; /* catalog strings: static */
    memcpy(d->v[d->n], v, sizeof(d->v[0]));
    d->n++;
    return 0;
}

static bool empty(const int32_t v[24])
{
    for (int h = 0; h < 24; h++)
        if (v[h] != STORE_NA)
            return false;
    return true;
}

struct scan_sum {
    long rows, values;
    long long sum;
};

static int scan_cb(void *ud, const char *station, const char *item, int32_t date,
                   const int32_t v[24])
{
    struct scan_sum *s = ud;
    (void)station, (void)item, (void)date;
    s->rows++;
    for (int h = 0; h < 24; h++)
        if (v[h] != STORE_NA) {
            s->values++;
            s->sum += v[h];
        }
    return 0;
}

static void year_scan(const struct file *f)
{
    struct eg_errbuf eb;
    struct day_rows days[NFILES];
    memset(days, 0, sizeof(days));
    for (int i = 0; i < NFILES; i++)
        if (ingest_cnemc_parse(f[i].buf, f[i].len, f[i].path, collect_row, &days[i], NULL, &eb))
            die("parse", &eb);
    /* rows with no value borrow the nearest earlier row of the same item that has values */
    for (int i = 0; i < NFILES; i++) {
        struct day_rows *d = &days[i];
        for (size_t r = 0; r < d->n; r++) {
            if (!empty(d->v[r]))
                continue;
            for (size_t k = 1; k <= d->n; k++) {
                size_t q = (r + d->n - k * 6) % d->n; /* same item: rows come 6 per station */
                if (!empty(d->v[q]) && d->item[q] == d->item[r]) {
                    memcpy(d->v[r], d->v[q], sizeof(d->v[0]));
                    break;
                }
            }
        }
    }
    char path[600];
    db_path(path, sizeof(path), "year.db");
    rm_db(path);
    struct store *s;
    if (store_open(path, 0, &s, &eb))
        die("store_open", &eb);
    const int32_t first = 19358; /* 2023-01-01 */
    double t0 = now();
    long written = 0;
    for (int day = 0; day < 365; day++) {
        struct day_rows *d = &days[day % NFILES];
        if (store_begin(s, &eb))
            die("begin", &eb);
        for (size_t r = 0; r < d->n; r++) {
            if (store_air_put(s, d->station[r], d->item[r], first + day, d->v[r], &eb))
                die("put", &eb);
            written++;
        }
        if (store_commit(s, &eb))
            die("commit", &eb);
    }
    double wt = now() - t0;
    store_close(s);
    printf("year: wrote %ld rows (%zu stations x 6 items x 365 days) in %.1f s (untimed setup, "
           "%.0f rows/s)\n",
           written, days[0].n / 6, wt, (double)written / wt);

    for (int pass = 0; pass < 2; pass++) {
        if (store_open(path, STORE_READONLY, &s, &eb))
            die("store_open", &eb);
        struct scan_sum sum = {0};
        t0 = now();
        if (store_air_scan(s, first, first + 364, NULL, 0, scan_cb, &sum, &eb))
            die("scan", &eb);
        double dt = now() - t0;
        printf("year scan %s: %ld rows, %ld values in %.2f s = %.2f M rows/s (%.1f M values/s)\n",
               pass ? "(again)" : "(fresh connection)", sum.rows, sum.values, dt,
               (double)sum.rows / dt / 1e6, (double)sum.values / dt / 1e6);
        if (pass == 1) {
            const char *panjin[3] = {"1604A", "1605A", "1606A"};
            memset(&sum, 0, sizeof(sum));
            t0 = now();
            if (store_air_scan(s, first, first + 364, panjin, 3, scan_cb, &sum, &eb))
                die("scan", &eb);
            dt = now() - t0;
            printf("year scan of one city (3 stations): %ld rows in %.4f s\n", sum.rows, dt);
        }
        store_close(s);
    }
    rm_db(path);
    for (int i = 0; i < NFILES; i++) {
        free(days[i].station);
        free(days[i].item);
        free(days[i].v);
    }
}

int main(int argc, char **argv)
{
    static const char *const names[NFILES] = {
        "china_sites_20230120.csv", "china_sites_20230121.csv", "china_sites_20230122.csv",
        "china_sites_20230123.csv"};
    struct file f[NFILES];
    struct eg_errbuf eb;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_import DATA_DIR [RUNS] [SCRATCH_DIR]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    if (runs < 1)
        runs = 1;
    const char *tmp = argc > 3 ? argv[3] : getenv("TMPDIR");
    snprintf(scratch, sizeof(scratch), "%s/envgov-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(scratch)) {
        perror("mkdtemp");
        return 1;
    }
    for (int i = 0; i < NFILES; i++) {
        snprintf(f[i].path, sizeof(f[i].path), "%s/cnemc/%s", argv[1], names[i]);
        if (eg_file_read(f[i].path, INGEST_FILE_LIMIT, &f[i].buf, &f[i].len, &eb))
            die("read", &eb);
    }

    struct {
        const char *name;
        int layout; /* -1: the store; else enum store__layout; -2: end to end */
        double best;
        long values;
    } rows[] = {
        {"ours, end to end (ingest_cnemc_files: read+digest+parse+write)", -2, 1e9, 0},
        {"ours, parse+put: blob rows (station, date, item)", -1, 1e9, 0},
        {"alt,  parse+put: blob rows (station, item, date)", STORE__LAYOUT_BLOB_STATION_ITEM, 1e9,
         0},
        {"naive, parse+put: row per value (station, item, hour)", STORE__LAYOUT_PER_VALUE, 1e9, 0},
    };
    size_t nr = sizeof(rows) / sizeof(rows[0]);
    for (int r = 0; r < runs; r++)
        for (size_t i = 0; i < nr; i++) {
            long v;
            double dt =
                rows[i].layout == -2 ? run_end_to_end(f, &v) : run_harness(f, rows[i].layout, &v);
            if (dt < rows[i].best)
                rows[i].best = dt;
            rows[i].values = v;
        }
    printf("import of 4 real CNEMC files, one transaction per file, best of %d:\n", runs);
    for (size_t i = 0; i < nr; i++)
        printf("  %-62s %8ld values %6.3f s %6.2f M values/s\n", rows[i].name, rows[i].values,
               rows[i].best, (double)rows[i].values / rows[i].best / 1e6);
    printf("  ratio ours/naive (same harness): %.1fx; ours/alt key order: %.2fx\n",
           rows[3].best / rows[1].best, rows[2].best / rows[1].best);

    year_scan(f);
    for (int i = 0; i < NFILES; i++)
        eg_free(f[i].buf);
    rmdir(scratch);
    return 0;
}
