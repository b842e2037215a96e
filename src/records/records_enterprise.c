/* records_enterprise.c — the records of the enterprise registry (一企一档): an enterprise and the
 * parts of its file (see records.h). */
#include <math.h>
#include <stdint.h>

#include "common/eg_time.h"
#include "records.h"
#include "store/store.h"

static void put_coord(struct fmt *f, const char *key, double v)
{
    if (isnan(v))
        fmt_null(f, key);
    else
        fmt_dec(f, key, (int64_t)llround(v * 1e6), 6);
}

void rec_enterprise(struct fmt *f, const struct store_enterprise *e)
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

int rec_enterprise_cb(void *ud, const struct store_enterprise *e)
{
    rec_enterprise(ud, e);
    return 0;
}

int rec_permit(void *ud, const struct store_permit *p)
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

int rec_list_member(void *ud, const char *uscc, int year, const char *list)
{
    struct fmt *f = ud;
    (void)uscc;
    fmt_obj_begin(f, NULL);
    fmt_int(f, "year", year);
    fmt_str(f, "list", list);
    fmt_close(f);
    return 0;
}

int rec_work_item(void *ud, const struct store_work_item *it)
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

int rec_credit(void *ud, const struct store_credit *cr)
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

int rec_grade(void *ud, const struct store_grade *g)
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

void rec_credit_row(struct fmt *f, const struct store_credit *cr)
{
    char t[32];
    eg_unix_format_iso(cr->computed_at, t, sizeof(t));
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
}
