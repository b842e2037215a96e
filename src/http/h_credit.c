/* h_credit.c — environmental credit ratings over HTTP: /api/credit (envgov credit list
 * --format json: the same keys in the same order; latest of each enterprise, or every rating of
 * ?enterprise=USCC).  An enterprise account sees only its own ratings on /api/credit (so that
 * route is not cached: the answer cache is keyed by URL alone); /api/public/credit lists all.  The
 * ratings themselves are computed by supervise (credit_evaluate, sup_credit_rate); the web only
 * lists them.
 */
#include <string.h>

#include "common/eg_time.h"
#include "http-int.h"

static int list_one(void *ud, const struct store_credit *cr)
{
    struct hreq *r = ud;
    struct fmt *f = r->f;
    char t[32];
    if (!hr_row(r))
        return 0;
    eg_unix_format_iso(cr->computed_at, t, sizeof(t));
    fmt_row_begin(f);
    fmt_int(f, "id", cr->id);
    fmt_str(f, "uscc", cr->uscc);
    fmt_int(f, "year", cr->year);
    fmt_dec(f, "score", cr->score, 2);
    fmt_str(f, "level", cr->level);
    fmt_str(f, "base_level", cr->base_level);
    fmt_str(f, "reasons", cr->reasons);
    fmt_str(f, "rules", cr->rules);
    fmt_str(f, "inputs", cr->inputs);
    fmt_str(f, "computed", t);
    return fmt_row_end(f);
}

int h_credit_list(struct hreq *r)
{
    const char *u = hr_arg(r, "enterprise");
    /* the public disclosure lists every result, whoever asks (and is cached by URL alone) */
    if (!(r->route->roles & R_PUBLIC) && !strcmp(r->user.role, "enterprise")) {
        if (u && strcmp(u, r->user.enterprise))
            return hr_error(r, 403, "enterprise", "an enterprise account sees only its own");
        u = r->user.enterprise;
    }
    if (hr_table_begin(r))
        return 0;
    return hr_table_end(r, store_work_credit_each(r->store, u, list_one, r, &r->eb), "credit");
}
