/* bench_air.c — hourly AQI throughput of air_hourly_index on real CNEMC station-hours.
 *
 * Loads every station-hour with a published AQI from tests/data/cnemc/china_sites_*.csv (the six
 * 1-h concentrations and SO2_24h), then times air_hourly_index over all of them, repeated, against
 * a baseline written the way the Python peers do it (double division and ceil() per IAQI, linear
 * table search) over the same inputs.  Prints station-hours/s, the ratio, and the ratio to the
 * figure quoted for aqi-hub.  Usage: bench_air [CNEMC_DIR] [REPEATS].
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/eg_num.h"
#include "eval/air/air.h"

/* Quoted in the issue, not measured here: caiyunapp/aqi-hub (Python) on this class of machine. */
#define AQI_HUB_QUOTED_PER_S 0.12e6

enum { NTYPES = 15, MAXST = 2100, MAXREC = 200000 };
static const char *const types[NTYPES] = {"AQI",    "PM2.5",   "PM2.5_24h", "PM10",    "PM10_24h",
                                          "SO2",    "SO2_24h", "NO2",       "NO2_24h", "O3",
                                          "O3_24h", "O3_8h",   "O3_8h_24h", "CO",      "CO_24h"};
enum { T_AQI = 0, T_PM25 = 1, T_PM10 = 3, T_SO2 = 5, T_SO2_24 = 6, T_NO2 = 7, T_O3 = 9, T_CO = 13 };

struct rec {
    int32_t v[AIR_NPOL];
    int32_t so2_24h;
    int32_t published;
};

static struct rec recs[MAXREC];
static size_t nrec;

/* One file's 24 hours × 15 types × stations, AIR_NA where empty. */
static int32_t cell[24][NTYPES][MAXST];

static int32_t parse_cell(const char *s, size_t n, int scale)
{
    int64_t x;
    if (n == 0 || eg_dec_parse(s, n, scale, &x))
        return AIR_NA;
    return (int32_t)x;
}

static int load_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
        fclose(f);
        free(buf);
        return -1;
    }
    fclose(f);
    for (int h = 0; h < 24; h++)
        for (int t = 0; t < NTYPES; t++)
            for (int s = 0; s < MAXST; s++)
                cell[h][t][s] = AIR_NA;

    size_t nst = 0;
    char *line = buf, *end = buf + len;
    for (int row = 0; line < end; row++) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        char *le = nl ? nl : end;
        if (le > line && le[-1] == '\r')
            le--;
        int hour = -1, type = -1;
        size_t col = 0;
        for (char *s = line; s <= le; col++) {
            char *p = memchr(s, ',', (size_t)(le - s));
            char *ce = p ? p : le;
            size_t n = (size_t)(ce - s);
            if (row == 0) {
                if (col >= 3 && n > 0 && col - 3 < MAXST)
                    nst = col - 2;
            } else if (col == 1) {
                hour = parse_cell(s, n, 0);
            } else if (col == 2) {
                for (int t = 0; t < NTYPES; t++)
                    if (strlen(types[t]) == n && memcmp(types[t], s, n) == 0)
                        type = t;
            } else if (col >= 3 && col - 3 < nst && hour >= 0 && hour < 24 && type >= 0) {
                cell[hour][type][col - 3] = parse_cell(s, n, type >= T_CO ? 1 : 0);
            }
            if (!p)
                break;
            s = p + 1;
        }
        line = nl ? nl + 1 : end;
    }
    free(buf);

    static const int map[AIR_NPOL] = {T_SO2, T_NO2, T_CO, T_PM10, T_PM25, T_O3};
    for (int h = 0; h < 24; h++)
        for (size_t s = 0; s < nst; s++) {
            if (cell[h][T_AQI][s] == AIR_NA || nrec >= MAXREC)
                continue;
            struct rec *r = &recs[nrec++];
            for (int p = 0; p < AIR_NPOL; p++)
                r->v[p] = cell[h][map[p]][s];
            r->so2_24h = cell[h][T_SO2_24][s];
            r->published = cell[h][T_AQI][s];
        }
    return 0;
}

/* ---- the baseline: doubles, ceil(), linear search, as the Python peers do ---- */

struct dtab {
    int n;
    double c[STD_AQI_MAXBP], i[STD_AQI_MAXBP];
};

static struct dtab dt[AIR_NPOL];

static void baseline_init(const struct std_aqi_rules *r)
{
    static const enum std_aqi_table tab[AIR_NPOL] = {STD_SO2_1H,   STD_NO2_1H,   STD_CO_1H,
                                                     STD_PM10_24H, STD_PM25_24H, STD_O3_1H};
    for (int p = 0; p < AIR_NPOL; p++) {
        const struct std_aqi_bp *bp = &r->t[tab[p]];
        dt[p].n = bp->n;
        for (int k = 0; k < bp->n; k++) {
            dt[p].c[k] = bp->c[k] / (bp->scale ? 10.0 : 1.0);
            dt[p].i[k] = bp->iaqi[k];
        }
    }
}

static int baseline_aqi(const double c[AIR_NPOL], unsigned *ret_primary)
{
    int iaqi[AIR_NPOL], aqi = -1;
    for (int p = 0; p < AIR_NPOL; p++) {
        const struct dtab *t = &dt[p];
        iaqi[p] = -1;
        if (c[p] < 0)
            continue;
        if (p == AIR_SO2 && c[p] > 800) {
            iaqi[p] = 200;
        } else if (c[p] > t->c[t->n - 1]) {
            iaqi[p] = 500;
        } else {
            for (int k = 1; k < t->n; k++)
                if (c[p] <= t->c[k]) {
                    double x =
                        (t->i[k] - t->i[k - 1]) / (t->c[k] - t->c[k - 1]) * (c[p] - t->c[k - 1]) +
                        t->i[k - 1];
                    iaqi[p] = (int)ceil(x);
                    break;
                }
        }
        if (iaqi[p] > aqi)
            aqi = iaqi[p];
    }
    unsigned prim = 0;
    if (aqi > 50)
        for (int p = 0; p < AIR_NPOL; p++)
            if (iaqi[p] == aqi)
                prim |= 1u << p;
    *ret_primary = prim;
    return aqi;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/data/cnemc";
    int reps = argc > 2 ? atoi(argv[2]) : 100;
    if (reps < 1)
        reps = 1;
    for (int d = 20; d <= 23; d++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/china_sites_202301%02d.csv", dir, d);
        if (load_file(path)) {
            fprintf(stderr, "bench_air: cannot read %s\n", path);
            return 1;
        }
    }
    const struct std_aqi_rules *r = std_aqi_rules_named("2012");

    /* The baseline's inputs in its own representation (double, mg/m3 for CO). */
    static double dv[MAXREC][AIR_NPOL];
    for (size_t i = 0; i < nrec; i++)
        for (int p = 0; p < AIR_NPOL; p++)
            dv[i][p] = recs[i].v[p] == AIR_NA ? -1.0 : recs[i].v[p] / (p == AIR_CO ? 10.0 : 1.0);
    baseline_init(r);

    /* Correctness first: ours against the published AQI, the baseline against ours. */
    size_t ours_ok = 0, base_diff = 0;
    for (size_t i = 0; i < nrec; i++) {
        struct air_index x;
        unsigned bp;
        air_hourly_index(r, recs[i].v, recs[i].so2_24h, &x);
        ours_ok += x.aqi == recs[i].published;
        base_diff += baseline_aqi(dv[i], &bp) != x.aqi || bp != x.primary;
    }

    long long sink = 0;
    double t0 = now_s();
    for (int k = 0; k < reps; k++)
        for (size_t i = 0; i < nrec; i++) {
            struct air_index x;
            air_hourly_index(r, recs[i].v, recs[i].so2_24h, &x);
            sink += x.aqi + (long long)x.primary;
        }
    double t_ours = now_s() - t0;

    /* The same exact function without its lookup cache: a copy of the rule set is not one of the
     * cached standard sets, so every call takes the direct (division) path. */
    struct std_aqi_rules copy = *r;
    t0 = now_s();
    for (int k = 0; k < reps; k++)
        for (size_t i = 0; i < nrec; i++) {
            struct air_index x;
            air_hourly_index(&copy, recs[i].v, recs[i].so2_24h, &x);
            sink += x.aqi + (long long)x.primary;
        }
    double t_direct = now_s() - t0;

    t0 = now_s();
    for (int k = 0; k < reps; k++)
        for (size_t i = 0; i < nrec; i++) {
            unsigned bp;
            sink += baseline_aqi(dv[i], &bp) + (long long)bp;
        }
    double t_base = now_s() - t0;

    double n = (double)nrec * reps;
    double ours = n / t_ours, base = n / t_base, direct = n / t_direct;
    printf("station-hours loaded:          %zu (published AQI reproduced: %zu)\n", nrec, ours_ok);
    printf("repetitions:                   %d (%.0f calls each)\n", reps, n);
    printf("air_hourly_index (exact):      %.2f million station-hours/s (%.1f ns each)\n",
           ours / 1e6, 1e9 / ours);
    printf("  same, direct path (no cache): %.2f million station-hours/s (%.1f ns each)\n",
           direct / 1e6, 1e9 / direct);
    printf("baseline (double, ceil()):     %.2f million station-hours/s (%.1f ns each)\n",
           base / 1e6, 1e9 / base);
    printf("ratio ours / baseline:         %.2f (direct path / baseline: %.2f)\n", ours / base,
           direct / base);
    printf("ratio ours / aqi-hub (QUOTED %.2f million/s, not measured here): %.0f\n",
           AQI_HUB_QUOTED_PER_S / 1e6, ours / AQI_HUB_QUOTED_PER_S);
    printf("baseline results differing from the exact ones: %zu of %zu\n", base_diff, nrec);
    printf("(checksum %lld)\n", sink);
    return ours_ok == nrec ? 0 : 1;
}
