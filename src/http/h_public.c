/* h_public.c — the public disclosure (no login): /api/public/draws (draws marked for publication,
 * 双随机一公开: pool, seed, algorithm and the enterprises drawn, without inspectors' codes) and
 * /api/public/penalties (enforcement cases with a penalty decision: the decision's amount and the
 * enterprise, newest first is left to the page).  Water and credit results are public through
 * the same handlers as the bureau's routes (routes.c: /api/public/water/…, /api/public/credit).
 */
#include <string.h>

#include "common/eg_time.h"
#include "http-draws.h"

int h_public_draws(struct hreq *r)
{
    return hdraw_each(r, true, false);
}

static int penalty(void *ud, const struct store_work_item *it)
{
    struct hreq *r = ud;
    struct fmt *f = r->f;
    char t[32];
    if (it->amount_fen <= 0 || !hr_row(r))
        return 0;
    const struct wf_kind *k = wf_kind_find(it->kind);
    const struct wf_state *st = wf_state_find(k, it->state);
    fmt_row_begin(f);
    fmt_int(f, "id", it->id);
    fmt_str(f, "title", it->title);
    fmt_str(f, "enterprise", *it->enterprise ? it->enterprise : NULL);
    fmt_str(f, "state", it->state);
    fmt_str(f, "state_label", st ? st->label : "");
    eg_unix_format_iso(it->updated_at, t, sizeof(t));
    fmt_str(f, "updated", t);
    fmt_dec(f, "amount_yuan", it->amount_fen, 2);
    return fmt_row_end(f);
}

int h_public_penalties(struct hreq *r)
{
    struct store_work_filter flt = {.kind = "case"};
    long y = 0;
    int yrc = hr_long(r, "year", 1970, 2200, &y);
    if (yrc < 0)
        return 0;
    if (yrc == 0) {
        flt.created = true;
        flt.created_from = eg_unix_from_beijing(eg_days_from_civil((int)y, 1, 1), 0);
        flt.created_to = eg_unix_from_beijing(eg_days_from_civil((int)y + 1, 1, 1), 0);
    }
    if (hr_table_begin(r))
        return 0;
    return hr_table_end(r, store_work_item_each(r->store, &flt, penalty, r, &r->eb), "penalties");
}
