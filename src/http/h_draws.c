/* h_draws.c — double-random inspection draws (双随机一公开) over HTTP: /api/draws (the recorded
 * draws), /api/draws/{id} (one draw, envgov inspect replay's record without "match"), and
 * /api/draws/{id}/replay (recomputed from its seed and candidate lists: "match" says whether it
 * equals the record).  The draw itself is supervise's (sup_draw, sup_draw_load); the public page
 * lists only draws marked for publication (/api/public/draws in h_public.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/eg_time.h"
#include "http-draws.h"
#include "supervise/supervise.h"

#define DRAWS_SCAN_MAX 100000 /* draws are few: ids are scanned in order until the first gap */

void hdraw_fields(struct fmt *f, const struct sup_draw_result *d, bool replay, bool inspectors)
{
    char t[32], seed[24];
    snprintf(seed, sizeof(seed), "%llu", (unsigned long long)d->seed);
    eg_unix_format_iso(d->at, t, sizeof(t));
    fmt_int(f, "id", d->id);
    fmt_str(f, "pool", d->pool);
    fmt_str(f, "seed", seed);
    fmt_str(f, "algorithm", d->algorithm);
    fmt_str(f, "at", t);
    fmt_int(f, "count", d->count);
    fmt_int(f, "candidates", (int64_t)d->n_candidates);
    fmt_bool(f, "publish", d->publish);
    if (replay)
        fmt_bool(f, "match", d->replay_match);
    fmt_arr_begin(f, "enterprises");
    for (size_t i = 0; i < d->n; i++) {
        fmt_obj_begin(f, NULL);
        fmt_str(f, "uscc", d->uscc[i]);
        if (d->per && inspectors) {
            fmt_arr_begin(f, "inspectors");
            for (size_t p = 0; p < d->per; p++)
                fmt_str(f, NULL,
                        strcmp(d->insp[i * d->per + p], "-") ? d->insp[i * d->per + p] : NULL);
            fmt_close(f);
        }
        fmt_close(f);
    }
    fmt_close(f);
    if (d->per && inspectors) {
        fmt_arr_begin(f, "inspectors");
        for (size_t i = 0; i < d->n * d->per; i++)
            if (strcmp(d->insp[i], "-"))
                fmt_str(f, NULL, d->insp[i]);
        fmt_close(f);
    }
}

int hdraw_each(struct hreq *r, bool published_only, bool inspectors)
{
    int rc = 0;
    if (hr_table_begin(r))
        return 0;
    for (long id = 1; id <= DRAWS_SCAN_MAX && !rc; id++) {
        struct sup_draw_result d;
        rc = sup_draw_load(r->store, id, false, &d, &r->eb);
        if (rc == EG_ENOTFOUND) {
            eg_errbuf_clear(&r->eb);
            rc = 0;
            break;
        }
        if (rc)
            break;
        if ((!published_only || d.publish) && hr_row(r)) {
            fmt_row_begin(r->f);
            hdraw_fields(r->f, &d, false, inspectors);
            rc = fmt_row_end(r->f);
        }
        sup_draw_result_done(&d);
    }
    return hr_table_end(r, rc, "draws");
}

int h_draws_list(struct hreq *r)
{
    return hdraw_each(r, false, true);
}

static int one(struct hreq *r, bool replay)
{
    char *end;
    long long id = strtoll(r->pathv[0], &end, 10);
    if (!*r->pathv[0] || *end || id < 1 || id > 2000000000LL)
        return hr_error(r, 400, "id", "'%.20s' is not a draw id", r->pathv[0]);
    struct sup_draw_result d;
    int rc = sup_draw_load(r->store, id, replay, &d, &r->eb);
    if (rc)
        return hr_fail(r, rc);
    if (hr_table_begin(r)) {
        sup_draw_result_done(&d);
        return 0;
    }
    (void)hr_row(r);
    fmt_row_begin(r->f);
    hdraw_fields(r->f, &d, replay, true);
    rc = fmt_row_end(r->f);
    sup_draw_result_done(&d);
    return hr_record_end(r, rc, replay ? "draw-replay" : "draw");
}

int h_draw_show(struct hreq *r)
{
    return one(r, false);
}

int h_draw_replay(struct hreq *r)
{
    return one(r, true);
}
