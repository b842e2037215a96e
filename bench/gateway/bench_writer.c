/* bench_writer.c — the gateway's writer alone: pre-built readings (as the loop hands them over)
 * stored through store_hj212_reading_put in group-commit transactions on a durable connection
 * (WAL, synchronous = FULL), the way writer.c does it.  No sockets, no parsing: this is the
 * ceiling the SQLite side puts on durably committed frames/s.
 * Usage: bench_writer DB [DEVICES] [FRAMES] [BATCH]
 * DEVICES devices each send one 6-item frame per "second" (DataTime advancing), BATCH frames per
 * commit (a busy gateway's batches are a few thousand frames).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_writer DB [DEVICES] [FRAMES] [BATCH]\n");
        return 2;
    }
    int ndev = argc > 2 ? atoi(argv[2]) : 10000;
    long frames = argc > 3 ? atol(argv[3]) : 300000;
    int batch = argc > 4 ? atoi(argv[4]) : 5000;
    if (ndev < 1 || frames < 1 || batch < 1)
        return 2;
    struct eg_errbuf eb = {0};
    struct store *s = NULL;
    if (store_open(argv[1], 0, &s, &eb) || store_hj212_durable(s, &eb)) {
        fprintf(stderr, "bench_writer: %s\n", eb.msg);
        return 1;
    }
    static const char *items[] = {"a34004", "a34002", "a21026", "a21004", "a21005", "a05024"};
    unsigned char blob[1024];
    char mn[32], val[16];
    double t0 = now(), worst = 0;
    long done = 0, commits = 0;
    int64_t base_ms = 1714521600000; /* 2024-05-01 00:00 UTC */
    while (done < frames) {
        double c0 = now();
        if (store_begin(s, &eb)) {
            fprintf(stderr, "bench_writer: %s\n", eb.msg);
            return 1;
        }
        for (int k = 0; k < batch && done < frames; k++, done++) {
            int dev = (int)(done % ndev);
            int64_t t = base_ms + (done / ndev) * 1000;
            snprintf(mn, sizeof mn, "BENCH%07d", dev);
            struct store_hj212_vals v = {blob, 0, sizeof blob};
            for (int i = 0; i < 6; i++) {
                int n = snprintf(val, sizeof val, "%ld.%d", (done * 7 + i) % 500, i);
                if (store_hj212_vals_add(&v, items[i], 6, "Rtd", 3, val, (size_t)n) ||
                    store_hj212_vals_add(&v, items[i], 6, "Flag", 4, "N", 1))
                    return 1;
            }
            struct store_hj212_reading r = {.mn = mn,
                                            .point = "P01",
                                            .st = "22",
                                            .cn = 2011,
                                            .time_ms = t,
                                            .flag = 5,
                                            .received_ms = t + 20,
                                            .vals = blob,
                                            .vals_len = v.len};
            if (store_hj212_reading_put(s, &r, NULL, NULL, &eb)) {
                fprintf(stderr, "bench_writer: %s\n", eb.msg);
                return 1;
            }
        }
        if (store_commit(s, &eb)) {
            fprintf(stderr, "bench_writer: %s\n", eb.msg);
            return 1;
        }
        commits++;
        double c = now() - c0;
        if (c > worst)
            worst = c;
    }
    double t = now() - t0;
    printf("writer: %ld frames (6 items), %d devices, %d frames per commit: %.3f s = %.0f frames/s "
           "committed (%ld commits, slowest %.1f ms)\n",
           frames, ndev, batch, t, (double)frames / t, commits, worst * 1e3);
    store_close(s);
    return 0;
}
