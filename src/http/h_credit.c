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
#include "records/records.h"

static int list_one(void *ud, const struct store_credit *cr)
{
    struct hreq *r = ud;
    struct fmt *f = r->f;
    if (!hr_row(r))
        return 0;
    fmt_row_begin(f);
    rec_credit_row(f, cr);
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
