/* h_enterprise.c — the enterprise registry (一企一档) over HTTP: /api/enterprises (the list) and
 * /api/enterprises/{uscc} (one enterprise's whole file: outlets, permits, list memberships, work
 * items, credit history, performance grades).  Records are `envgov enterprise list|show --format
 * json` (src/cli/cmd_enterprise.c), keys in the same order; the writers below are kept line for
 * line with it.  An enterprise account sees only its own file.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/eg_time.h"
#include "http-int.h"
#include "records/records.h"
#include "supervise/supervise.h"

static void put_coord(struct fmt *f, const char *key, double v)
{
    if (isnan(v))
        fmt_null(f, key);
    else
        fmt_dec(f, key, (int64_t)llround(v * 1e6), 6);
}

static void put_ent(struct fmt *f, const struct store_enterprise *e)
{
    fmt_str(f, "uscc", e->uscc);
    fmt_str(f, "name", e->name);
    fmt_str(f, "industry", e->industry);
    fmt_str(f, "region", e->region);
    fmt_str(f, "address", e->address);
    put_coord(f, "lon", e->lon);
    put_coord(f, "lat", e->lat);
    fmt_str(f, "status", e->status);
}

static int show_ent(void *ud, const struct store_enterprise *e)
{
    put_ent(ud, e);
    return 0;
}

static int show_permit(void *ud, const struct store_permit *p)
{
    struct fmt *f = ud;
    char a[16], b[16];
    eg_date_format(p->valid_from, a, sizeof(a));
    eg_date_format(p->valid_to, b, sizeof(b));
    fmt_obj_begin(f, NULL);
    fmt_str(f, "number", p->number);
    fmt_str(f, "class", p->mgmt);
    fmt_str(f, "valid_from", a);
    fmt_str(f, "valid_to", b);
    fmt_close(f);
    return 0;
}

static int show_list(void *ud, const char *uscc, int year, const char *list)
{
    struct fmt *f = ud;
    (void)uscc;
    fmt_obj_begin(f, NULL);
    fmt_int(f, "year", year);
    fmt_str(f, "list", list);
    fmt_close(f);
    return 0;
}

static int show_item(void *ud, const struct store_work_item *it)
{
    struct fmt *f = ud;
    char t[32];
    fmt_obj_begin(f, NULL);
    fmt_int(f, "id", it->id);
    fmt_str(f, "kind", it->kind);
    fmt_str(f, "title", it->title);
    fmt_str(f, "state", it->state);
    eg_unix_format_iso(it->created_at, t, sizeof(t));
    fmt_str(f, "created", t);
    fmt_dec(f, "amount_yuan", it->amount_fen, 2);
    fmt_close(f);
    return 0;
}

static int show_credit(void *ud, const struct store_credit *cr)
{
    struct fmt *f = ud;
    fmt_obj_begin(f, NULL);
    fmt_int(f, "id", cr->id);
    fmt_int(f, "year", cr->year);
    fmt_dec(f, "score", cr->score, 2);
    fmt_str(f, "level", cr->level);
    fmt_str(f, "base_level", cr->base_level);
    fmt_str(f, "reasons", cr->reasons);
    fmt_str(f, "rules", cr->rules);
    fmt_close(f);
    return 0;
}

static int show_grade(void *ud, const struct store_grade *g)
{
    struct fmt *f = ud;
    fmt_obj_begin(f, NULL);
    fmt_int(f, "year", g->year);
    fmt_str(f, "grade", g->grade);
    fmt_str(f, "industry", g->industry);
    fmt_str(f, "yellow", g->measures[0]);
    fmt_str(f, "orange", g->measures[1]);
    fmt_str(f, "red", g->measures[2]);
    fmt_close(f);
    return 0;
}

struct list_ctx {
    struct hreq *r;
};

static int list_one(void *ud, const struct store_enterprise *e)
{
    struct list_ctx *l = ud;
    if (!hr_row(l->r))
        return 0;
    fmt_row_begin(l->r->f);
    put_ent(l->r->f, e);
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
    int rc = store_work_enterprise_get(r->store, u, show_ent, f, &r->eb);
    if (!rc) {
        rc = rec_outlets(f, r->store, u, &r->eb);
    }
    if (!rc) {
        fmt_arr_begin(f, "permits");
        rc = store_work_permit_each(r->store, u, show_permit, f, &r->eb);
        fmt_close(f);
    }
    if (!rc) {
        fmt_arr_begin(f, "lists");
        rc = store_work_list_each(r->store, u, show_list, f, &r->eb);
        fmt_close(f);
    }
    if (!rc) {
        struct store_work_filter flt = {.enterprise = u};
        fmt_arr_begin(f, "work");
        rc = store_work_item_each(r->store, &flt, show_item, f, &r->eb);
        fmt_close(f);
    }
    if (!rc) {
        fmt_arr_begin(f, "credit");
        rc = store_work_credit_each(r->store, u, show_credit, f, &r->eb);
        fmt_close(f);
    }
    if (!rc) {
        fmt_arr_begin(f, "grades");
        rc = store_work_grade_each(r->store, u, 0, show_grade, f, &r->eb);
        fmt_close(f);
    }
    if (!rc)
        rc = fmt_row_end(f);
    return hr_record_end(r, rc, "enterprise");
}
