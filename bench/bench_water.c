/* bench_water.c — throughput of the water evaluation core and of the samples importer.
 *
 * 1. Evaluation: 10,000 points × 12 months × 24 items (2.88 M results): per point and month the
 *    period means (exact, GB/T 8170 at the 2020 digits) and the GB 3838 section class, items over
 *    III, status and attainment — 120,000 section evaluations.  Target ≤ 1 s.  Baseline, same run:
 *    a naive implementation (binary doubles, every result looked up in the table by its key
 *    string, means and comparisons in floating point).
 * 2. Import: a 1,000,000-row samples CSV parsed and checked (ingest_water_samples_parse, point
 *    lookup, item resolution, unit conversion).  Target ≥ 1 M rows/s.  Baseline: a naive parser
 *    (strtok_r-free manual split + strtod + a linear search of the item among the parameters).
 *    Then the same file imported into a fresh SQLite store (one transaction, event rows).
 * Usage: bench_water [DB_PATH]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "eval/water/water.h"
#include "ingest/ingest.h"
#include "store/store.h"

#define NPOINTS 10000
#define NMONTHS 12
#define NITEMS  24

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const keys[NITEMS] = {"pH",
                                         "DO",
                                         "CODMn",
                                         "COD",
                                         "BOD5",
                                         "NH3N",
                                         "TP",
                                         "TN",
                                         "Cu",
                                         "Zn",
                                         "F",
                                         "Se",
                                         "As",
                                         "Hg",
                                         "Cd",
                                         "Cr6",
                                         "Pb",
                                         "CN",
                                         "VolatilePhenol",
                                         "Petroleum",
                                         "LAS",
                                         "Sulfide",
                                         "FecalColiform",
                                         "WT"};
/* typical values × 10^9 (class II–IV) */
static const int64_t base[NITEMS] = {7800000000, 7200000000, 5600000000,    21000000000, 3400000000,
                                     620000000,  165000000,  2400000000,    4000000,     12000000,
                                     620000000,  400000,     2100000,       20000,       200000,
                                     6000000,    1100000,    2000000,       1200000,     30000000,
                                     60000000,   12000000,   2400000000000, 12000000000};

static uint64_t rng = 88172645463325252ull;
static int64_t jitter(int64_t v)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return v + (int64_t)((eg_i128)v * (int64_t)(rng % 401 - 200) / 1000);
}

/* ---- 1. evaluation ---- */

static long eval_ours(const struct wq_sample *s, const int *param, int8_t *dec, int ph,
                      struct wq_value *means, size_t np, struct wq_section *sec)
{
    long checksum = 0;
    for (int p = 0; p < NPOINTS; p++)
        for (int m = 0; m < NMONTHS; m++) {
            const struct wq_sample *x = s + ((size_t)p * NMONTHS + (size_t)m) * NITEMS;
            for (int i = 0; i < NITEMS; i++)
                means[param[i]].n = 0;
            /* one result per item and month: each is its own run (the query layer sorts by
             * parameter; here the results arrive grouped already) */
            for (int i = 0; i < NITEMS; i++)
                wq_mean(x + i, 1, dec[param[i]], param[i] == ph, &means[param[i]]);
            wq_section_eval(means, np, false, 4, sec);
            checksum += sec->cls + (long)sec->sf.n;
        }
    return checksum;
}

/* The naive baseline: doubles and a string lookup per result. */
static long eval_naive(const struct wq_sample *s)
{
    const struct std_wq_table *t = std_wq(STD_GB3838_T1);
    long checksum = 0;
    for (int p = 0; p < NPOINTS; p++)
        for (int m = 0; m < NMONTHS; m++) {
            const struct wq_sample *x = s + ((size_t)p * NMONTHS + (size_t)m) * NITEMS;
            int worst = 0, n = 0;
            for (int i = 0; i < NITEMS; i++) {
                char key[32];
                snprintf(key, sizeof(key), "%s", !strcmp(keys[i], "TP") ? "TP_river" : keys[i]);
                const struct std_wq_item *it = NULL;
                for (size_t k = 0; k < t->n; k++)
                    if (!strcmp(t->items[k].key, key))
                        it = &t->items[k];
                if (!it || !it->eval21)
                    continue;
                double v = (double)x[i].v / 1e9, c = 6;
                for (int k = 0; k < 5; k++) {
                    double lo = (double)it->lo[k] / 1e9, hi = (double)it->hi[k] / 1e9;
                    bool ok = it->dir == STD_WQ_LE   ? v <= hi
                              : it->dir == STD_WQ_GE ? v >= lo
                                                     : v >= lo && v <= hi;
                    if (ok) {
                        c = k + 1;
                        break;
                    }
                }
                n++;
                if ((int)c > worst)
                    worst = (int)c;
            }
            checksum += worst + n;
        }
    return checksum;
}

/* ---- 2. import ---- */

static char *make_csv(size_t rows, size_t *ret_len)
{
    size_t cap = rows * 48 + 64, len = 0;
    char *b = eg_malloc(cap);
    if (!b)
        return NULL;
    len += (size_t)snprintf(b, cap, "point,date,item,value,unit\n");
    size_t r = 0;
    for (int p = 0; r < rows; p++)
        for (int m = 0; m < NMONTHS && r < rows; m++)
            for (int i = 0; i < NITEMS && r < rows; i++, r++) {
                char v[40];
                eg_dec_format(jitter(base[i]) / 1000, 6, v, sizeof(v));
                len += (size_t)snprintf(b + len, cap - len, "S%05d,2022-%02d-10,%s,%s,%s\n",
                                        p % 100000, m + 1, keys[i], v,
                                        i == 22 ? "个/L" : (i == 0 || i == 23 ? "" : "mg/L"));
            }
    *ret_len = len;
    return b;
}

static int kind_all(void *ud, const char *code, size_t n, bool *ret_ground)
{
    (void)ud;
    (void)code;
    (void)n;
    *ret_ground = false;
    return INGEST_WATER_SECTION;
}

static int count_row(void *ud, const struct ingest_water_row *r)
{
    long *n = ud;
    *n += r->v > 0;
    return 0;
}

static long naive_parse(const char *b, size_t len)
{
    long n = 0;
    const char *p = (const char *)memchr(b, '\n', len) + 1, *end = b + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        char line[256], *f[5];
        size_t k = (size_t)(nl - p);
        memcpy(line, p, k);
        line[k] = 0;
        int nf = 0;
        f[nf++] = line;
        for (char *q = line; *q && nf < 5; q++)
            if (*q == ',') {
                *q = 0;
                f[nf++] = q + 1;
            }
        int param = -1;
        for (int i = 0; i < std_wparam_count(); i++)
            if (!strcmp(std_wparam_at(i)->key, f[2]))
                param = i;
        double v = strtod(f[3], NULL);
        int y, mo, d;
        if (sscanf(f[1], "%d-%d-%d", &y, &mo, &d) == 3 && param >= 0 && v >= 0)
            n++;
        p = nl + 1;
    }
    return n;
}

int main(int argc, char **argv)
{
    const char *dbpath = argc > 1 ? argv[1] : "bench_water.db";
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    printf("bench_water: %ld CPUs online\n", ncpu);

    /* 1. evaluation */
    size_t n = (size_t)NPOINTS * NMONTHS * NITEMS;
    struct wq_sample *s = eg_malloc(n * sizeof(*s));
    int param[NITEMS];
    size_t np = (size_t)std_wparam_count();
    struct wq_value *means = eg_calloc(np, sizeof(*means));
    int8_t *dec = eg_malloc(np);
    struct wq_section *sec = eg_malloc(sizeof(*sec));
    if (!s || !means || !dec || !sec)
        return 1;
    memset(dec, -1, np);
    const struct std_wq_table *t = std_wq(STD_GB3838_T1);
    for (size_t i = 0; i < t->n; i++)
        dec[t->items[i].param] = (int8_t)t->items[i].decimals;
    for (int i = 0; i < NITEMS; i++)
        param[i] = std_wparam_find(keys[i], strlen(keys[i]));
    for (size_t k = 0; k < n; k++) {
        int i = (int)(k % NITEMS);
        s[k].param = param[i];
        s[k].day = eg_days_from_civil(2022, (int)((k / NITEMS) % NMONTHS) + 1, 10);
        s[k].v = i == 0 ? 7000000000 + (int64_t)(rng % 1500) * 1000000 : jitter(base[i]);
        s[k].flags = 0;
    }
    int ph = std_wparam_find("pH", 2);
    double t0 = now();
    long c1 = eval_ours(s, param, dec, ph, means, np, sec);
    double t1 = now();
    long c2 = eval_naive(s);
    double t2 = now();
    printf("evaluate %d points x %d months x %d items (%zu results, %d section-months):\n", NPOINTS,
           NMONTHS, NITEMS, n, NPOINTS * NMONTHS);
    printf("  ours   %.3f s  (%.2f M results/s)   [checksum %ld]\n", t1 - t0,
           (double)n / (t1 - t0) / 1e6, c1);
    printf("  naive  %.3f s  (%.2f M results/s)   [checksum %ld]\n", t2 - t1,
           (double)n / (t2 - t1) / 1e6, c2);
    printf("  ratio  %.1fx   target <= 1 s: %s\n", (t2 - t1) / (t1 - t0),
           t1 - t0 <= 1.0 ? "met" : "MISSED");

    /* 2. import */
    size_t rows = 1000000, len;
    char *csv = make_csv(rows, &len);
    if (!csv)
        return 1;
    long got = 0;
    struct ingest_stats st;
    struct eg_errbuf eb;
    memset(&st, 0, sizeof(st));
    double t3 = now();
    int rc = ingest_water_samples_parse(csv, len, "bench.csv", kind_all, NULL, count_row, &got, &st,
                                        &eb);
    double t4 = now();
    long got2 = naive_parse(csv, len);
    double t5 = now();
    if (rc) {
        char msg[1024];
        eg_errbuf_format(&eb, msg, sizeof(msg));
        fprintf(stderr, "parse failed: %s\n", msg);
        return 1;
    }
    printf("parse and check %zu sample rows (%.1f MB):\n", rows, (double)len / 1e6);
    printf("  ours   %.3f s  (%.2f M rows/s)   [%ld]\n", t4 - t3, (double)rows / (t4 - t3) / 1e6,
           got);
    printf("  naive  %.3f s  (%.2f M rows/s)   [%ld]\n", t5 - t4, (double)rows / (t5 - t4) / 1e6,
           got2);
    printf("  ratio  %.1fx   target >= 1 M rows/s: %s\n", (t5 - t4) / (t4 - t3),
           (double)rows / (t4 - t3) >= 1e6 ? "met" : "MISSED");

    /* the same rows into a fresh store (points first) */
    unlink(dbpath);
    struct store *db;
    if (store_open(dbpath, 0, &db, &eb))
        return 1;
    char *pts = eg_malloc(64 * 5000 + 64);
    size_t pl = (size_t)snprintf(pts, 64, "code,name,kind,water,target_class,level,lon,lat\n");
    int npts = (int)(rows / (NMONTHS * NITEMS)) + 1;
    for (int p = 0; p < npts; p++)
        pl += (size_t)snprintf(pts + pl, 64, "S%05d,s,section,river,III,city,,\n", p);
    if (ingest_water_points_buffer(db, pts, pl, "points.csv", NULL, &eb))
        return 1;
    double t6 = now();
    rc = ingest_water_samples_buffer(db, csv, len, "bench.csv", NULL, NULL, &eb);
    double t7 = now();
    if (rc) {
        char msg[1024];
        eg_errbuf_format(&eb, msg, sizeof(msg));
        fprintf(stderr, "import failed: %s\n", msg);
        return 1;
    }
    printf("import into SQLite (%d points, %zu events of %d results):\n", npts, rows / NITEMS,
           NITEMS);
    printf("  ours   %.3f s  (%.2f M rows/s, %.0f k events/s)\n", t7 - t6,
           (double)rows / (t7 - t6) / 1e6, (double)rows / NITEMS / (t7 - t6) / 1e3);
    store_close(db);
    unlink(dbpath);
    eg_free(pts);
    eg_free(csv);
    eg_free(s);
    eg_free(means);
    eg_free(dec);
    eg_free(sec);
    return 0;
}
