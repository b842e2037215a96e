/* fuzz_cnemc.c — libFuzzer target for the CNEMC hourly-file parser (ingest_cnemc_parse): the
 * bytes are parsed as china_sites_20230120.csv.  Checks what the parser promises: callbacks only
 * for a valid file, in strictly increasing (station, item) order, values non-negative or missing;
 * on error an error code and a location in the errbuf.  Replayed in `meson test` by replay_main.c
 * over fuzz/corpus/cnemc.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
    char station[64];
    char item[16];
    long rows;
};

static int row(void *ud, const char *station, const char *item, int32_t date, const int32_t v[24])
{
    struct seen *s = ud;
    (void)date;
    size_t n = strlen(station), m = strlen(item);
    if (n == 0 || n >= sizeof(s->station) || m == 0 || m >= sizeof(s->item))
        abort();
    int c = strcmp(s->station, station);
    if (s->rows && (c > 0 || (c == 0 && strcmp(s->item, item) >= 0)))
        abort(); /* out of order or repeated */
    for (int h = 0; h < 24; h++)
        if (v[h] != STORE_NA && v[h] < 0)
            abort();
    memcpy(s->station, station, n + 1);
    memcpy(s->item, item, m + 1);
    s->rows++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct seen s;
    struct ingest_stats st;
    struct eg_errbuf eb;
    memset(&s, 0, sizeof(s));
    memset(&st, 0, sizeof(st));
    int rc =
        ingest_cnemc_parse((const char *)data, size, "china_sites_20230120.csv", row, &s, &st, &eb);
    if (rc > 0)
        abort();
    if (rc < 0 && (eb.code != rc || s.rows != 0))
        abort(); /* an error must be reported, and only before any callback */
    if (rc == 0 && st.values < st.rows)
        abort();
    return 0;
}
