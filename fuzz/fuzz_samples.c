/* fuzz_samples.c — libFuzzer target for the water samples CSV parser
 * (ingest_water_samples_parse).  Points named P0…P7 exist with the eight kinds (section, source,
 * lake, sea, well, farmland, construction, odorous); any other code is unknown.  Checks what the
 * parser promises: callbacks only for a valid file, ordered by (point, instant), known
 * parameters, positive detection limits; on error a code, and a location in the errbuf.
 * Replayed in `meson test` by replay_main.c over fuzz/corpus/samples.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "standards/standards.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
    char point[40];
    int64_t t;
    long rows;
};

static int kind_of(void *ud, const char *code, size_t n, bool *ret_ground)
{
    (void)ud;
    *ret_ground = false;
    if (n == 2 && code[0] == 'P' && code[1] >= '0' && code[1] <= '7')
        return code[1] - '0';
    return -1;
}

static int row(void *ud, const struct ingest_water_row *r)
{
    struct seen *s = ud;
    size_t n = strlen(r->point);
    if (n == 0 || n >= sizeof(s->point) || r->param < 0 || r->param >= std_wparam_count() ||
        strcmp(std_wparam_at(r->param)->key, r->item) || r->line < 2)
        abort();
    if ((r->flags & STORE_WATER_ND) && r->v <= 0)
        abort();
    int c = strcmp(s->point, r->point);
    if (s->rows && (c > 0 || (c == 0 && r->t < s->t)))
        abort(); /* out of order */
    memcpy(s->point, r->point, n + 1);
    s->t = r->t;
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
    eg_errbuf_clear(&eb);
    int rc = ingest_water_samples_parse((const char *)data, size, "fuzz.csv", kind_of, NULL, row,
                                        &s, &st, &eb);
    if (rc > 0)
        abort();
    if (rc < 0 && (eb.code != rc || s.rows != 0))
        abort(); /* an error must be reported, and only before any callback */
    if (rc == 0 && st.rows != s.rows)
        abort();
    return 0;
}
