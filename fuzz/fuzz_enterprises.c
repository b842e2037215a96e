/* fuzz_enterprises.c — libFuzzer target for the enterprise-registry CSV parser
 * (ingest_enterprises_parse), in both modes.  Checks what the parser promises: rows only from a
 * valid file (strict mode), every row's USCC passes its GB 32100-2015 check, no USCC twice,
 * coordinates in range; on error an error code and a location in the errbuf.  Replayed in `meson
 * test` by replay_main.c over fuzz/corpus/enterprises.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "supervise/supervise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
    long rows;
    char last[64][USCC_LEN + 1];
};

static int row(void *ud, const struct ingest_enterprise *e)
{
    struct seen *s = ud;
    if (uscc_check(e->uscc, strlen(e->uscc), NULL, 0) != 0)
        abort();
    if (!e->name[0] || !e->region[0])
        abort();
    if (!isnan(e->lon) && (e->lon < -180 || e->lon > 180))
        abort();
    if (!isnan(e->lat) && (e->lat < -90 || e->lat > 90))
        abort();
    for (long i = 0; i < s->rows && i < 64; i++)
        if (!strcmp(s->last[i], e->uscc))
            abort(); /* a repeated code passed */
    if (s->rows < 64)
        memcpy(s->last[s->rows], e->uscc, USCC_LEN + 1);
    s->rows++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int skip = 0; skip <= 1; skip++) {
        struct seen s;
        struct ingest_ent_report rep;
        struct eg_errbuf eb;
        memset(&s, 0, sizeof(s));
        memset(&rep, 0, sizeof(rep));
        memset(&eb, 0, sizeof(eb));
        int rc = ingest_enterprises_parse((const char *)data, size, "f.csv", skip != 0, row, &s,
                                          &rep, &eb);
        if (rc > 0)
            abort();
        if (rc < 0 && (eb.code != rc || s.rows != 0))
            abort(); /* an error is reported, and only before any row is passed on */
        if (rc == 0 && rep.rows != s.rows)
            abort();
        if (rc == 0 && !skip && rep.skipped)
            abort();
        if (rep.nskips > INGEST_MAX_SKIPS || (long)rep.nskips > rep.skipped)
            abort();
        ingest_ent_report_done(&rep);
    }
    return 0;
}
