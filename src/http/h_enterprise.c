/* h_enterprise.c — the enterprise registry (一企一档) over HTTP: /api/enterprises (the list) and
 * /api/enterprises/{uscc} (one enterprise's whole file: outlets, permits, list memberships, work
 * items, credit history, performance grades).  Records are `envgov enterprise list|show --format
 * json` (src/cli/cmd_enterprise.c), keys in the same order, from the shared writers of
 * src/records/records.h.  An enterprise account sees only its own file.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/eg_time.h"
#include "http-int.h"
#include "records/records.h"
#include "supervise/supervise.h"

struct list_ctx {
    struct hreq *r;
};

static int list_one(void *ud, const struct store_enterprise *e)
{
    struct list_ctx *l = ud;
    if (!hr_row(l->r))
        return 0;
    fmt_row_begin(l->r->f);
    rec_enterprise(l->r->f, e);
    return fmt_row_end(l->r->f);
}

int h_enterprises_list(struct hreq *r)
{
    struct store_ent_filter flt = {
        .region = hr_arg(r, "region"),
        .status = hr_arg(r, "status"),
        .list = hr_arg(r, "list"),
    };
    long y = 0;
    int yrc = hr_long(r, "year", 1900, 2200, &y);
    if (yrc < 0)
        return 0;
    if (flt.list && yrc > 0)
        return hr_error(r, 400, "year", "list needs year");
    flt.year = (int)y;
    struct list_ctx l = {r};
    if (!strcmp(r->user.role, "enterprise")) {
        /* its own record only: the registry is keyed by USCC */
        if (hr_table_begin(r))
            return 0;
        return hr_table_end(
            r, store_work_enterprise_get(r->store, r->user.enterprise, list_one, &l, &r->eb),
            "enterprises");
    }
    if (hr_table_begin(r))
        return 0;
    return hr_table_end(r, store_work_enterprise_each(r->store, &flt, list_one, &l, &r->eb),
                        "enterprises");
}

int h_enterprise_show(struct hreq *r)
{
    const char *u = r->pathv[0];
    char why[160];
    if (uscc_check(u, strlen(u), why, sizeof(why)))
        return hr_error(r, 400, "uscc", "%s", why);
    if (!strcmp(r->user.role, "enterprise") && strcmp(u, r->user.enterprise))
        return hr_error(r, 403, "uscc", "an enterprise account sees only its own file");
    if (hr_table_begin(r))
        return 0;
    struct fmt *f = r->f;
    (void)hr_row(r);
    fmt_row_begin(f);
    int rc = store_work_enterprise_get(r->store, u, rec_enterprise_cb, f, &r->eb);
    if (!rc) {
        rc = rec_outlets(f, r->store, u, &r->eb);
    }
    if (!rc) {
        fmt_arr_begin(f, "permits");
        rc = store_work_permit_each(r->store, u, rec_permit, f, &r->eb);
        fmt_close(f);
    }
    if (!rc) {
        fmt_arr_begin(f, "lists");
        rc = store_work_list_each(r->store, u, rec_list_member, f, &r->eb);
        fmt_close(f);
    }
    if (!rc) {
        struct store_work_filter flt = {.enterprise = u};
        fmt_arr_begin(f, "work");
        rc = store_work_item_each(r->store, &flt, rec_work_item, f, &r->eb);
        fmt_close(f);
    }
    if (!rc) {
        fmt_arr_begin(f, "credit");
        rc = store_work_credit_each(r->store, u, rec_credit, f, &r->eb);
        fmt_close(f);
    }
    if (!rc) {
        fmt_arr_begin(f, "grades");
        rc = store_work_grade_each(r->store, u, 0, rec_grade, f, &r->eb);
        fmt_close(f);
    }
    if (!rc)
        rc = fmt_row_end(f);
    return hr_record_end(r, rc, "enterprise");
}
