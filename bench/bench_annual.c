/* bench_annual.c — the whole annual evaluation of a national-scale year, once imported.
 *
 * Builds (once, cached next to the build) a database holding every national station (2,026,
 * ≈ 1,690 with data) for a whole year, by tiling the four real CNEMC days of tests/data/cnemc
 * over 2023-01-01 … 2023-12-31.  Then times, in one run:
 *   baseline  reading every hourly row of the year through store_air_scan and doing nothing
 *             with it (the storage floor any evaluation must pay);
 *   stations  query_air_period for the year, every station (daily values, AQIs, statistics);
 *   cities    the same by city (station days → city days → statistics), every city.
 * It prints seconds, the ratio to the baseline and the verdict against the 5 s target.
 *
 * Usage: bench_annual DATA_DIR DB_PATH
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/eg_buf.h"
#include "common/eg_mem.h"
#include "common/eg_time.h"
#include "ingest/ingest.h"
#include "query/query.h"
#include "store/store.h"

#define YEAR 2023

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
    fprintf(stderr, "bench_annual: %s: %s\n", what, msg);
    exit(1);
}

/* The four real days, held as rows to re-stamp. */
struct row {
    char station[8];
    char item[8];
    int sample; /* 0..3 */
    int32_t v[24];
};

struct rows {
    struct row *r;
    size_t n, cap;
    int sample;
};

static int keep_row(void *ud, const char *station, const char *item, int32_t date,
                    const int32_t v[24])
{
    struct rows *R = ud;
    (void)date;
    bool any = false;
    for (int k = 0; k < 24; k++)
        any |= v[k] != STORE_NA;
    if (!any)
        return 0;
    if (R->n == R->cap) {
        R->cap = R->cap ? R->cap * 2 : 65536;
        R->r = realloc(R->r, R->cap * sizeof(*R->r));
        if (!R->r)
            return EG_ENOMEM;
    }
    struct row *x = &R->r[R->n++];
    snprintf(x->station, sizeof(x->station), "%s", station);
    snprintf(x->item, sizeof(x->item), "%s", item);
    x->sample = R->sample;
    memcpy(x->v, v, sizeof(x->v));
    return 0;
}

static void build(const char *data, const char *db)
{
    struct eg_errbuf eb = {0};
    struct store *s;
    struct rows R = {0};
    char path[1024];
    double t0 = now();
    if (store_open(db, 0, &s, &eb))
        die("open", &eb);
    snprintf(path, sizeof(path), "%s/stations/stations_2022.csv", data);
    if (ingest_stations_file(s, path, NULL, &eb))
        die("stations", &eb);
    for (int d = 0; d < 4; d++) {
        char *buf;
        size_t len;
        snprintf(path, sizeof(path), "%s/cnemc/china_sites_202301%02d.csv", data, 20 + d);
        if (eg_file_read(path, INGEST_FILE_LIMIT, &buf, &len, &eb))
            die("read", &eb);
        R.sample = d;
        if (ingest_cnemc_parse(buf, len, path, keep_row, &R, NULL, &eb))
            die("parse", &eb);
        eg_free(buf);
    }
    int32_t first = eg_days_from_civil(YEAR, 1, 1), last = eg_days_from_civil(YEAR, 12, 31);
    long puts = 0;
    if (store_begin(s, &eb))
        die("begin", &eb);
    for (int32_t day = first; day <= last; day++) {
        int sample = (int)((day - first) % 4);
        for (size_t i = 0; i < R.n; i++)
            if (R.r[i].sample == sample) {
                if (store_air_put(s, R.r[i].station, R.r[i].item, day, R.r[i].v, &eb))
                    die("put", &eb);
                puts++;
            }
    }
    if (store_commit(s, &eb))
        die("commit", &eb);
    store_close(s);
    free(R.r);
    fprintf(stderr, "built %s: %ld rows (one year, %d stations' worth of real days) in %.1f s\n",
            db, puts, 2026, now() - t0);
}

struct counter {
    long rows, records;
};

static int count_row(void *ud, const char *station, const char *item, int32_t date,
                     const int32_t v[24])
{
    struct counter *c = ud;
    (void)station, (void)item, (void)date, (void)v;
    c->rows++;
    return 0;
}

static int count_period(void *ud, const struct query_air_period *p)
{
    struct counter *c = ud;
    c->records += p->p.valid_days > 0;
    return 0;
}

int main(int argc, char **argv)
{
    struct eg_errbuf eb = {0};
    struct stat st;
    struct store *s;
    if (argc != 3) {
        fprintf(stderr, "usage: bench_annual DATA_DIR DB_PATH\n");
        return 2;
    }
    if (stat(argv[2], &st) != 0)
        build(argv[1], argv[2]);
    if (store_open(argv[2], STORE_READONLY, &s, &eb))
        die("open", &eb);

    int32_t first = eg_days_from_civil(YEAR, 1, 1), last = eg_days_from_civil(YEAR, 12, 31);
    struct counter base = {0}, stations = {0}, cities = {0};
    double t0 = now();
    if (store_air_scan(s, first - 1, last + 1, NULL, 0, count_row, &base, &eb))
        die("scan", &eb);
    double t_base = now() - t0;

    struct query_air q = {0};
    q.from = first;
    q.to = last;
    t0 = now();
    if (query_air_period(s, &q, false, count_period, &stations, &eb))
        die("stations", &eb);
    double t_st = now() - t0;
    q.by_city = true;
    t0 = now();
    if (query_air_period(s, &q, false, count_period, &cities, &eb))
        die("cities", &eb);
    double t_city = now() - t0;
    store_close(s);

    double total = t_st + t_city;
    printf("annual evaluation, national scale, year %d (tiled real CNEMC days)\n", YEAR);
    printf("  baseline: scan every hourly row, no evaluation  %8.2f s  (%ld rows)\n", t_base,
           base.rows);
    printf("  all stations: daily values, AQI, statistics     %8.2f s  (%ld stations with data)"
           "  %.2fx baseline\n",
           t_st, stations.records, t_st / t_base);
    printf("  all cities: station days → city days → stats   %8.2f s  (%ld cities with data)"
           "  %.2fx baseline\n",
           t_city, cities.records, t_city / t_base);
    printf("  whole annual evaluation (stations + cities)     %8.2f s  target <= 5 s: %s\n", total,
           total <= 5.0 ? "met" : "NOT met");
    return 0;
}
