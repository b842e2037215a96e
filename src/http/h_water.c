/* h_water.c — the water and soil API: /api/water/section|river|city|cwqi|drinking|lake|points,
 * /api/sea, /api/groundwater, /api/odorous, /api/soil/farmland|construction.  Each is the CLI
 * command of the same name (src/cli/cmd_water.c) over HTTP: the same query functions
 * (src/query/query.h water section), the same record keys in the same order, the same exact
 * decimals; the web adds no evaluation of its own.  Parameters are the CLI's options as query
 * parameters (from, to | year [, month], period, point, level, summary, compare).
 * The record writers are shared with cmd_water.c (src/records/records_water.c).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "http-int.h"
#include "query/query.h"
#include "records/records.h"

/* The export name: the route's path after /api/, '/' → '-'. */
static const char *wq_name(struct hreq *r)
{
    char *n = hr_strf(r, "%s", r->route->path + 5);
    for (char *p = n; p && *p; p++)
        if (*p == '/')
            *p = '-';
    return n ? n : "water";
}

/* The CLI's period options: from[, to] or year[, month]; period; point; level. */
static int wq_params(struct hreq *r, struct query_water *q)
{
    long y = 0, m = 0;
    const char *per = hr_arg(r, "period");
    memset(q, 0, sizeof(*q));
    int yrc = hr_long(r, "year", 1970, 2200, &y);
    if (yrc < 0 || hr_long(r, "month", 1, 12, &m) < 0)
        return -1;
    if (yrc == 0) {
        if (hr_arg(r, "from") || hr_arg(r, "to"))
            return hr_error(r, 400, "year", "year does not go with from/to"), -1;
        q->from = eg_days_from_civil((int)y, m ? (int)m : 1, 1);
        q->to = m ? eg_days_from_civil((int)y, (int)m, eg_days_in_month((int)y, (int)m))
                  : eg_days_from_civil((int)y, 12, 31);
    } else {
        int rc = hr_date(r, "from", &q->from);
        if (rc < 0)
            return -1;
        if (rc > 0)
            return hr_error(r, 400, "from", "from=YYYY-MM-DD or year=YYYY is required"), -1;
        q->to = q->from;
        if (hr_date(r, "to", &q->to) < 0)
            return -1;
        if (q->to < q->from)
            return hr_error(r, 400, "to", "to is before from"), -1;
        if (q->to - q->from > 3700)
            return hr_error(r, 400, "to", "a period of at most ten years"), -1;
    }
    if (hr_list(r, "point", &q->points, &q->npoints))
        return -1;
    q->level = hr_arg(r, "level");
    if (per) {
        if (!strcmp(per, "month"))
            q->split = QW_MONTH;
        else if (!strcmp(per, "quarter"))
            q->split = QW_QUARTER;
        else if (!strcmp(per, "year"))
            q->split = QW_YEAR;
        else
            return hr_error(r, 400, "period", "'%.20s' is not month, quarter or year", per), -1;
    }
    return 0;
}

/* ---- points (for the map): the columns of `envgov import points` ---- */

struct pt_out {
    struct hreq *r;
};

static int on_point(void *ud, const struct store_water_point *p)
{
    struct pt_out *o = ud;
    struct fmt *f = o->r->f;
    static const char *const cls[] = {"", "I", "II", "III", "IV", "V"};
    if (!hr_row(o->r))
        return 0;
    fmt_row_begin(f);
    fmt_str(f, "code", p->code);
    fmt_str(f, "name", p->name);
    fmt_str(f, "kind", p->kind);
    fmt_str(f, "water", p->water && *p->water ? p->water : NULL);
    fmt_str(f, "target_class", p->target >= 1 && p->target <= 5 ? cls[p->target] : NULL);
    fmt_str(f, "level", p->level && *p->level ? p->level : NULL);
    if (!isnan(p->lon) && !isnan(p->lat)) {
        fmt_dec(f, "lon", llround(p->lon * 10000), 4);
        fmt_dec(f, "lat", llround(p->lat * 10000), 4);
    } else {
        fmt_null(f, "lon");
        fmt_null(f, "lat");
    }
    fmt_str(f, "water_body", p->body && *p->body ? p->body : NULL);
    fmt_str(f, "county", p->county && *p->county ? p->county : NULL);
    return fmt_row_end(f);
}

int h_water_points(struct hreq *r)
{
    const char *kind = hr_arg(r, "kind");
    struct pt_out o = {r};
    if (hr_table_begin(r))
        return 0;
    return hr_table_end(r, store_water_point_each(r->store, kind, on_point, &o, &r->eb),
                        "water-points");
}

/* Paging: whether to write the next record (rec_water_out.row). */
static bool water_row(void *ud)
{
    return hr_row(ud);
}

/* One row per section or lake (query_water_sections/_lakes), then the summary if any. */
static int water_rows(struct hreq *r,
                      int (*query)(struct store *, const struct query_water *, query_water_cb,
                                   void *, struct eg_errbuf *),
                      query_water_cb row,
                      int (*summary)(struct rec_water_out *, const struct query_water *))
{
    struct query_water q;
    if (wq_params(r, &q) || hr_table_begin(r))
        return 0;
    struct rec_water_out o = {.f = r->f, .row = water_row, .row_ud = r};
    if (!o.f)
        return hr_fail(r, EG_ENOMEM);
    int rc = query(r->store, &q, row, &o, &r->eb);
    if (rc == 0 && summary)
        rc = summary(&o, &q);
    return hr_table_end(r, rc, wq_name(r));
}

int h_water_section(struct hreq *r)
{
    return water_rows(r, query_water_sections, rec_water_section, NULL);
}

int h_water_city(struct hreq *r)
{
    return water_rows(r, query_water_sections, rec_water_city, rec_water_city_summary);
}

int h_water_river(struct hreq *r)
{
    struct query_water q;
    if (wq_params(r, &q) || hr_table_begin(r))
        return 0;
    struct rec_water_out o = {.f = r->f, .row = water_row, .row_ud = r};
    if (!o.f)
        return hr_fail(r, EG_ENOMEM);
    return hr_table_end(r, query_water_rivers(r->store, &q, rec_water_river, &o, &r->eb),
                        wq_name(r));
}

int h_water_cwqi(struct hreq *r)
{
    struct query_water q;
    struct query_water_cwqi w;
    long cmp = 0;
    int crc;
    if (wq_params(r, &q) || (crc = hr_long(r, "compare", 1970, 2200, &cmp)) < 0)
        return 0;
    const char *cs = crc == 0 ? "" : NULL;
    int rc = query_water_cwqi(r->store, &q, (int)cmp, &w, &r->eb);
    if (rc)
        return hr_fail(r, rc);
    if (hr_table_begin(r))
        return 0;
    struct fmt *f = r->f;
    (void)hr_row(r);
    fmt_row_begin(f);
    rec_water_cwqi(f, &w, cs != NULL, cmp);
    rc = fmt_row_end(f);
    return hr_table_end(r, rc, wq_name(r));
}

int h_water_drinking(struct hreq *r)
{
    struct query_water q;
    if (wq_params(r, &q) || hr_table_begin(r))
        return 0;
    struct rec_water_drink_out x;
    memset(&x, 0, sizeof(x));
    x.o.f = r->f;
    x.o.row = water_row;
    x.o.row_ud = r;
    x.summary = hr_flag(r, "summary");
    if (!x.o.f)
        return hr_fail(r, EG_ENOMEM);
    int rc = query_water_drinking(r->store, &q, rec_water_drinking_row, &x, &r->eb);
    if (rc == 0 && x.summary)
        rc = rec_water_drinking_summary(&x, &q);
    return hr_table_end(r, rc, wq_name(r));
}

int h_water_lake(struct hreq *r)
{
    return water_rows(r, query_water_lakes, rec_water_lake, NULL);
}

static int run_sf(struct hreq *r, bool sea)
{
    struct query_water q;
    if (wq_params(r, &q) || hr_table_begin(r))
        return 0;
    struct rec_water_sf_out x;
    memset(&x, 0, sizeof(x));
    x.o.f = r->f;
    x.o.row = water_row;
    x.o.row_ud = r;
    x.summary = hr_flag(r, "summary");
    x.sea = sea;
    if (!x.o.f)
        return hr_fail(r, EG_ENOMEM);
    int rc = sea ? query_water_sea(r->store, &q, rec_water_sf, &x, &r->eb)
                 : query_water_wells(r->store, &q, rec_water_sf, &x, &r->eb);
    if (rc == EG_ENOMEM)
        eg_errf(&r->eb, rc, "out of memory");
    if (rc == 0 && x.summary)
        rc = rec_water_sf_summary(&x, &q);
    eg_free(x.o.pcls);
    eg_free(x.o.parea);
    return hr_table_end(r, rc, wq_name(r));
}

int h_sea(struct hreq *r)
{
    return run_sf(r, true);
}

int h_groundwater(struct hreq *r)
{
    return run_sf(r, false);
}

int h_odorous(struct hreq *r)
{
    struct query_water q;
    if (wq_params(r, &q) || hr_table_begin(r))
        return 0;
    struct rec_water_sf_out *x = eg_calloc(1, sizeof(*x));
    if (!x)
        return hr_fail(r, EG_ENOMEM);
    x->o.f = r->f;
    x->o.row = water_row;
    x->o.row_ud = r;
    x->summary = hr_flag(r, "summary");
    if (!x->o.f) {
        eg_free(x);
        return hr_fail(r, EG_ENOMEM);
    }
    int rc = query_water_odorous(r->store, &q, rec_water_odor, x, &r->eb);
    if (rc == 0 && x->summary)
        rc = rec_water_odorous_summary(x, &q);
    for (size_t b = 0; b < x->o.nbody; b++)
        eg_free((char *)(uintptr_t)x->o.bodies[b]);
    rc = hr_table_end(r, rc, wq_name(r));
    eg_free(x);
    return rc;
}

static int run_soil(struct hreq *r, bool farm)
{
    struct query_water q;
    if (wq_params(r, &q) || hr_table_begin(r))
        return 0;
    struct rec_water_soil_out x;
    memset(&x, 0, sizeof(x));
    x.o.f = r->f;
    x.o.row = water_row;
    x.o.row_ud = r;
    x.summary = hr_flag(r, "summary");
    x.farm = farm;
    if (!x.o.f)
        return hr_fail(r, EG_ENOMEM);
    int rc = query_water_soil(r->store, &q, farm, rec_water_soil, &x, &r->eb);
    if (rc == EG_ENOMEM)
        eg_errf(&r->eb, rc, "out of memory");
    if (rc == 0 && x.summary)
        rc = rec_water_soil_summary(&x, &q);
    eg_free(x.plots);
    return hr_table_end(r, rc, wq_name(r));
}

int h_soil_farmland(struct hreq *r)
{
    return run_soil(r, true);
}

int h_soil_construction(struct hreq *r)
{
    return run_soil(r, false);
}
