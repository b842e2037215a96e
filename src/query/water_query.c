/* water_query.c — water, sea, groundwater, black-odorous and soil figures from stored sampling
 * results (see the water section of query.h).
 *
 * One scan of the store per query: the points of the kind are read (ordered by code), then every
 * sampling event of the period; results are laid out per point as struct wq_sample (the same
 * input an HJ 212 reader will produce).  For each point and sub-period the results are sorted by
 * parameter and averaged (wq_mean with the 2020 digits of GB 3838 items for surface water), then
 * the pure evaluation runs.  All memory is owned here and freed before returning.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog/catalog.h"
#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "query.h"

struct wpoint {
    struct store_water_point p;
    char *strs[8];
    size_t first, n; /* samples [first, first + n) once laid out */
};

struct wload {
    struct wpoint *pt;
    size_t npt, cappt;
    struct wq_sample *smp;
    size_t *owner; /* point index of each sample, while scanning */
    size_t nsmp, capsmp;
    /* item key → parameter cache */
    struct {
        const char *key; /* interned by the standards (static) or NULL */
        char name[STORE_WATER_ITEM_MAX + 1];
        int param;
    } cache[64];
    int rc;
};

static void wload_done(struct wload *L)
{
    for (size_t i = 0; i < L->npt; i++)
        for (int k = 0; k < 8; k++)
            eg_free(L->pt[i].strs[k]);
    eg_free(L->pt);
    eg_free(L->smp);
    eg_free(L->owner);
    memset(L, 0, sizeof(*L));
}

struct pick {
    struct wload *L;
    const struct query_water *q;
    int (*want)(const struct store_water_point *p);
};

static bool listed(const char *code, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(code, list[i]))
            return true;
    return false;
}

static int add_point(void *ud, const struct store_water_point *p)
{
    struct pick *k = ud;
    struct wload *L = k->L;
    if (!k->want(p) || (k->q->npoints && !listed(p->code, k->q->points, k->q->npoints)) ||
        (k->q->level && strcmp(k->q->level, p->level)))
        return 0;
    if (L->npt == L->cappt) {
        size_t cap = L->cappt ? L->cappt * 2 : 64;
        struct wpoint *n = eg_realloc(L->pt, cap * sizeof(*n));
        if (!n)
            return EG_ENOMEM;
        L->pt = n;
        L->cappt = cap;
    }
    struct wpoint *w = &L->pt[L->npt];
    memset(w, 0, sizeof(*w));
    w->p = *p;
    const char *src[8] = {p->code,  p->name, p->kind,   p->water,
                          p->level, p->body, p->county, p->land_use};
    for (int i = 0; i < 8; i++)
        if (!(w->strs[i] = eg_strdup(src[i] ? src[i] : "")))
            return EG_ENOMEM;
    w->p.code = w->strs[0];
    w->p.name = w->strs[1];
    w->p.kind = w->strs[2];
    w->p.water = w->strs[3];
    w->p.level = w->strs[4];
    w->p.body = w->strs[5];
    w->p.county = w->strs[6];
    w->p.land_use = w->strs[7];
    L->npt++;
    return 0;
}

static long find_point(const struct wload *L, const char *code)
{
    size_t lo = 0, hi = L->npt;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(L->pt[mid].p.code, code);
        if (!c)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int param_of(struct wload *L, const char *item)
{
    size_t h = 0;
    for (const char *c = item; *c; c++)
        h = h * 31 + (unsigned char)*c;
    h %= sizeof(L->cache) / sizeof(L->cache[0]);
    if (L->cache[h].key && !strcmp(L->cache[h].name, item))
        return L->cache[h].param;
    int p = std_wparam_find(item, strlen(item));
    if (strlen(item) <= STORE_WATER_ITEM_MAX) {
        L->cache[h].key = "";
        memcpy(L->cache[h].name, item, strlen(item) + 1);
        L->cache[h].param = p;
    }
    return p;
}

/* Append one sample of point pi. */
static int add_sample(struct wload *L, size_t pi, int param, int32_t day, int64_t v, bool nd)
{
    if (L->nsmp == L->capsmp) {
        size_t cap = L->capsmp ? L->capsmp * 2 : 4096;
        struct wq_sample *s = eg_realloc(L->smp, cap * sizeof(*s));
        if (!s)
            return L->rc = EG_ENOMEM;
        L->smp = s;
        size_t *o = eg_realloc(L->owner, cap * sizeof(*o));
        if (!o)
            return L->rc = EG_ENOMEM;
        L->owner = o;
        L->capsmp = cap;
    }
    struct wq_sample *s = &L->smp[L->nsmp];
    s->param = param;
    s->day = day;
    s->v = v;
    s->flags = nd ? WQ_ND : 0;
    L->owner[L->nsmp++] = pi;
    return 0;
}

static int on_event(void *ud, const char *point, int64_t t, const struct store_water_result *r,
                    size_t n)
{
    struct wload *L = ud;
    long pi = find_point(L, point);
    if (pi < 0)
        return 0;
    int32_t day;
    int sec;
    eg_beijing_from_unix(t, &day, &sec);
    for (size_t i = 0; i < n; i++) {
        int p = param_of(L, r[i].item);
        if (p < 0)
            continue; /* an item this build does not know: not evaluated */
        if (add_sample(L, (size_t)pi, p, day, r[i].v, r[i].flags & STORE_WATER_ND))
            return L->rc;
    }
    return 0;
}

/* ---- automatic stations (HJ 212) ----
 * An automatic water station's logger sends hourly (2061) and daily (2031) data over HJ 212; the
 * gateway stores them as readings of the device's point.  They become samples like a laboratory
 * result: a day's value is the device's 2031 average of that day when it sent one, else the exact
 * mean of the day's 2061 averages (GB/T 8170 at the table scale).  Item codes map through the
 * catalog (w01018 → COD); values are taken in the standards' units (HJ 212 Appendix B's defaults
 * for water: mg/L; pH dimensionless). */

struct hjv {
    size_t pi;
    int param;
    int32_t day;
    bool daily;
    int64_t v;
};

struct hjload {
    struct wload *L;
    struct hjv *v;
    size_t n, cap;
    int rc;
};

static int on_reading(void *ud, const struct store_hj212_reading *r)
{
    struct hjload *H = ud;
    if ((r->cn != 2031 && r->cn != 2061) || !r->point)
        return 0;
    long pi = find_point(H->L, r->point);
    if (pi < 0)
        return 0;
    int32_t day;
    int sec;
    eg_beijing_from_unix(r->time_ms / 1000, &day, &sec);
    size_t pos = 0;
    struct store_hj212_entry e;
    int k;
    while ((k = store_hj212_vals_next(r->vals, r->vals_len, &pos, &e)) == 1) {
        if (e.field_len != 3 || strncasecmp(e.field, "Avg", 3))
            continue;
        int param = cat_water_param(e.item, e.item_len);
        int64_t v;
        if (param < 0 || eg_dec_parse(e.value, e.value_len, STD_WQ_SCALE, &v) || v < 0)
            continue; /* not a water item, or not a value (a flag such as "D" is kept as is) */
        if (H->n == H->cap) {
            size_t cap = H->cap ? H->cap * 2 : 1024;
            struct hjv *x = eg_realloc(H->v, cap * sizeof(*x));
            if (!x)
                return H->rc = EG_ENOMEM;
            H->v = x;
            H->cap = cap;
        }
        H->v[H->n++] = (struct hjv){(size_t)pi, param, day, r->cn == 2031, v};
    }
    return k < 0 ? (H->rc = k) : 0;
}

static int cmp_hjv(const void *a, const void *b)
{
    const struct hjv *x = a, *y = b;
    if (x->pi != y->pi)
        return x->pi < y->pi ? -1 : 1;
    if (x->param != y->param)
        return x->param < y->param ? -1 : 1;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return (int)y->daily - (int)x->daily; /* daily first */
}

static int cmp_owner(const void *a, const void *b)
{
    const size_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1]; /* stable: original order */
}

/* Add the points' HJ 212 readings of [t0, t1] as samples, then regroup the samples by point. */
static int load_hj212(struct store *s, struct wload *L, int64_t t0, int64_t t1,
                      struct eg_errbuf *eb)
{
    struct hjload H = {L, NULL, 0, 0, 0};
    int rc = store_hj212_reading_each(s, t0 * 1000, t1 * 1000 + 999, NULL,
                                      L->npt == 1 ? L->pt[0].p.code : NULL, on_reading, &H, eb);
    if (H.rc)
        rc = H.rc;
    if (rc || H.n == 0)
        goto out;
    qsort(H.v, H.n, sizeof(*H.v), cmp_hjv);
    size_t before = L->nsmp;
    for (size_t i = 0; i < H.n && !rc;) {
        size_t j = i;
        int64_t sum = 0;
        int64_t n = 0;
        while (j < H.n && H.v[j].pi == H.v[i].pi && H.v[j].param == H.v[i].param &&
               H.v[j].day == H.v[i].day) {
            sum += H.v[j].v;
            n++;
            j++;
        }
        int64_t v = H.v[i].daily ? H.v[i].v : eg_div_round(sum, n);
        if (add_sample(L, H.v[i].pi, H.v[i].param, H.v[i].day, v, false))
            rc = L->rc;
        i = j;
    }
    if (rc || L->nsmp == before)
        goto out;
    /* regroup by point, keeping each point's order (manual results first) */
    size_t(*ix)[2] = eg_malloc(L->nsmp * sizeof(*ix));
    struct wq_sample *smp = eg_malloc(L->nsmp * sizeof(*smp));
    if (!ix || !smp) {
        eg_free(ix);
        eg_free(smp);
        rc = EG_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < L->nsmp; i++) {
        ix[i][0] = L->owner[i];
        ix[i][1] = i;
    }
    qsort(ix, L->nsmp, sizeof(*ix), cmp_owner);
    for (size_t i = 0; i < L->nsmp; i++) {
        smp[i] = L->smp[ix[i][1]];
        L->owner[i] = ix[i][0];
    }
    eg_free(L->smp);
    L->smp = smp;
    L->capsmp = L->nsmp;
    eg_free(ix);
out:
    eg_free(H.v);
    return rc;
}

/* Samples are scanned ordered by point already; group them (stable by construction). */
static void layout(struct wload *L)
{
    size_t i = 0;
    while (i < L->nsmp) {
        size_t j = i;
        while (j < L->nsmp && L->owner[j] == L->owner[i])
            j++;
        L->pt[L->owner[i]].first = i;
        L->pt[L->owner[i]].n = j - i;
        i = j;
    }
}

/* The samples of point w (NULL when it has none). */
static const struct wq_sample *samples_of(const struct wload *L, const struct wpoint *w)
{
    return w->n ? L->smp + w->first : NULL;
}

static int load(struct store *s, const struct query_water *q,
                int (*want)(const struct store_water_point *p), int32_t from, int32_t to,
                struct wload *L, struct eg_errbuf *eb)
{
    struct pick k = {L, q, want};
    memset(L, 0, sizeof(*L));
    int rc = store_water_point_each(s, NULL, add_point, &k, eb);
    if (rc)
        return rc == EG_ENOMEM ? eg_errf(eb, rc, "out of memory") : rc;
    if (L->npt == 0)
        return 0;
    int64_t t0 = eg_unix_from_beijing(from, 0), t1 = eg_unix_from_beijing(to + 1, 0) - 1;
    if (L->npt == 1)
        rc = store_water_sample_scan(s, t0, t1, L->pt[0].p.code, on_event, L, eb);
    else
        rc = store_water_sample_scan(s, t0, t1, NULL, on_event, L, eb);
    if (L->rc)
        return eg_errf(eb, L->rc, "out of memory");
    if (rc || (rc = load_hj212(s, L, t0, t1, eb)))
        return rc;
    layout(L);
    return 0;
}

/* ---- period means ---- */

static int cmp_param_day(const void *a, const void *b)
{
    const struct wq_sample *x = a, *y = b;
    if (x->param != y->param)
        return x->param < y->param ? -1 : 1;
    return x->day < y->day ? -1 : x->day > y->day;
}

struct meanctx {
    struct wq_value *means;
    size_t nparam;
    int8_t *dec; /* per parameter: surface-water digits, -1 exact */
    int ph;
    struct wq_sample *tmp;
    size_t captmp;
};

static int meanctx_init(struct meanctx *m, bool surface)
{
    memset(m, 0, sizeof(*m));
    m->nparam = (size_t)std_wparam_count();
    m->means = eg_calloc(m->nparam, sizeof(*m->means));
    m->dec = eg_malloc(m->nparam);
    if (!m->means || !m->dec)
        return EG_ENOMEM;
    memset(m->dec, -1, m->nparam);
    if (surface) {
        const struct std_wq_table *t = std_wq(STD_GB3838_T1);
        for (size_t i = 0; i < t->n; i++)
            if (t->items[i].param >= 0)
                m->dec[t->items[i].param] = (int8_t)t->items[i].decimals;
    }
    m->ph = std_wparam_find("pH", 2);
    return 0;
}

static void meanctx_done(struct meanctx *m)
{
    eg_free(m->means);
    eg_free(m->dec);
    eg_free(m->tmp);
}

/* Means of the samples of s[0..n) with from <= day <= to; returns the number used, or -1 (ENOMEM).
 */
static long period_means(struct meanctx *m, const struct wq_sample *s, size_t n, int32_t from,
                         int32_t to)
{
    if (n > m->captmp) {
        struct wq_sample *t = eg_realloc(m->tmp, n * sizeof(*t));
        if (!t)
            return -1;
        m->tmp = t;
        m->captmp = n;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i].day >= from && s[i].day <= to)
            m->tmp[k++] = s[i];
    memset(m->means, 0, m->nparam * sizeof(*m->means));
    if (k > 1)
        qsort(m->tmp, k, sizeof(*m->tmp), cmp_param_day);
    for (size_t i = 0; i < k;) {
        size_t j = i;
        while (j < k && m->tmp[j].param == m->tmp[i].param)
            j++;
        int p = m->tmp[i].param;
        if (p >= 0 && (size_t)p < m->nparam)
            wq_mean(m->tmp + i, j - i, m->dec[p], p == m->ph, &m->means[p]);
        i = j;
    }
    return (long)k;
}

/* Sub-periods of [from, to] by split. */
static int32_t period_end(int32_t d, int32_t to, enum query_water_split split)
{
    int y, mo, dd;
    int32_t e;
    eg_civil_from_days(d, &y, &mo, &dd);
    switch (split) {
    case QW_MONTH:
        e = eg_days_from_civil(y, mo, eg_days_in_month(y, mo));
        break;
    case QW_QUARTER: {
        int qm = ((mo - 1) / 3) * 3 + 3;
        e = eg_days_from_civil(y, qm, eg_days_in_month(y, qm));
        break;
    }
    case QW_YEAR:
        e = eg_days_from_civil(y, 12, 31);
        break;
    default:
        e = to;
    }
    return e < to ? e : to;
}

/* ---- point evaluations ---- */

enum wkind { WK_SECTION, WK_LAKE, WK_SEA, WK_WELL, WK_SOURCE, WK_ODOR };

static int want_section(const struct store_water_point *p)
{
    return !strcmp(p->kind, "section");
}
static int want_lake(const struct store_water_point *p)
{
    return !strcmp(p->kind, "lake") || (!strcmp(p->kind, "section") && !strcmp(p->water, "lake"));
}
static int want_sea(const struct store_water_point *p)
{
    return !strcmp(p->kind, "sea");
}
static int want_well(const struct store_water_point *p)
{
    return !strcmp(p->kind, "well");
}
static int want_source(const struct store_water_point *p)
{
    return !strcmp(p->kind, "source");
}
static int want_odor(const struct store_water_point *p)
{
    return !strcmp(p->kind, "odorous");
}
static int want_farm(const struct store_water_point *p)
{
    return !strcmp(p->kind, "farmland");
}
static int want_build(const struct store_water_point *p)
{
    return !strcmp(p->kind, "construction");
}

union wresult {
    struct wq_section sec;
    struct wq_sf sf;
    struct wq_drinking dr;
    struct wq_tli tli;
    struct wq_odor_point odor;
};

static int run_points(struct store *s, const struct query_water *q, enum wkind kind,
                      query_water_cb cb, void *ud, struct eg_errbuf *eb)
{
    static int (*const wants[])(const struct store_water_point *) = {
        want_section, want_lake, want_sea, want_well, want_source, want_odor};
    struct wload L;
    struct meanctx m;
    union wresult *res = eg_malloc(sizeof(*res));
    int rc = res ? meanctx_init(&m, kind == WK_SECTION || kind == WK_LAKE || kind == WK_SOURCE)
                 : EG_ENOMEM;
    if (rc) {
        eg_free(res);
        return eg_errf(eb, EG_ENOMEM, "out of memory");
    }
    if ((rc = load(s, q, wants[kind], q->from, q->to, &L, eb)))
        goto out;
    for (size_t i = 0; i < L.npt && rc == 0; i++) {
        const struct wpoint *w = &L.pt[i];
        for (int32_t d = q->from; d <= q->to && rc == 0;) {
            int32_t e = period_end(d, q->to, q->split);
            long k = period_means(&m, samples_of(&L, w), w->n, d, e);
            if (k < 0) {
                rc = eg_errf(eb, EG_ENOMEM, "out of memory");
                break;
            }
            struct query_water_rec r;
            memset(&r, 0, sizeof(r));
            r.pt = &w->p;
            r.from = d;
            r.to = e;
            r.nsamples = (size_t)k;
            r.means = m.means;
            r.nparam = m.nparam;
            bool lake = !strcmp(w->p.water, "lake") || !strcmp(w->p.kind, "lake");
            switch (kind) {
            case WK_SECTION:
                wq_section_eval(m.means, m.nparam, lake, w->p.target, &res->sec);
                r.section = &res->sec;
                break;
            case WK_LAKE:
                wq_tli(m.means, m.nparam, &res->tli);
                r.tli = &res->tli;
                break;
            case WK_SEA:
                wq_single_factor(std_wq(STD_GB3097), m.means, m.nparam, false, false, w->p.target,
                                 w->p.target, &res->sf);
                r.sf = &res->sf;
                break;
            case WK_WELL:
                wq_single_factor(std_wq(STD_GBT14848), m.means, m.nparam, false, false, 3,
                                 w->p.target, &res->sf);
                r.sf = &res->sf;
                break;
            case WK_SOURCE:
                wq_drinking_eval(m.means, m.nparam, !strcmp(w->p.water, "ground"), lake, &res->dr);
                r.drinking = &res->dr;
                break;
            case WK_ODOR: {
                /* the guide judges results one by one: pass the period's raw results */
                size_t a = 0;
                const struct wq_sample *ps = samples_of(&L, w);
                for (size_t j = 0; j < w->n; j++)
                    if (ps[j].day >= d && ps[j].day <= e)
                        m.tmp[a++] = ps[j];
                wq_odor_point(m.tmp, a, w->p.depth, &res->odor);
                r.odor = &res->odor;
                break;
            }
            }
            rc = cb(ud, &r);
            d = e + 1;
        }
    }
out:
    wload_done(&L);
    meanctx_done(&m);
    eg_free(res);
    return rc;
}

int query_water_sections(struct store *s, const struct query_water *q, query_water_cb cb, void *ud,
                         struct eg_errbuf *eb)
{
    return run_points(s, q, WK_SECTION, cb, ud, eb);
}

int query_water_lakes(struct store *s, const struct query_water *q, query_water_cb cb, void *ud,
                      struct eg_errbuf *eb)
{
    return run_points(s, q, WK_LAKE, cb, ud, eb);
}

int query_water_sea(struct store *s, const struct query_water *q, query_water_cb cb, void *ud,
                    struct eg_errbuf *eb)
{
    return run_points(s, q, WK_SEA, cb, ud, eb);
}

int query_water_wells(struct store *s, const struct query_water *q, query_water_cb cb, void *ud,
                      struct eg_errbuf *eb)
{
    return run_points(s, q, WK_WELL, cb, ud, eb);
}

int query_water_drinking(struct store *s, const struct query_water *q, query_water_cb cb, void *ud,
                         struct eg_errbuf *eb)
{
    return run_points(s, q, WK_SOURCE, cb, ud, eb);
}

int query_water_odorous(struct store *s, const struct query_water *q, query_water_cb cb, void *ud,
                        struct eg_errbuf *eb)
{
    return run_points(s, q, WK_ODOR, cb, ud, eb);
}

/* Soil: one record per sampling event (the results of one day at one plot). */
int query_water_soil(struct store *s, const struct query_water *q, bool farmland, query_water_cb cb,
                     void *ud, struct eg_errbuf *eb)
{
    struct wload L;
    struct meanctx m;
    struct soil_result *res = eg_malloc(sizeof(*res));
    int rc = res ? meanctx_init(&m, false) : EG_ENOMEM;
    if (rc) {
        eg_free(res);
        return eg_errf(eb, EG_ENOMEM, "out of memory");
    }
    if ((rc = load(s, q, farmland ? want_farm : want_build, q->from, q->to, &L, eb)))
        goto out;
    for (size_t i = 0; i < L.npt && rc == 0; i++) {
        const struct wpoint *w = &L.pt[i];
        const struct wq_sample *ps = samples_of(&L, w);
        for (size_t j = 0; j < w->n && rc == 0;) {
            int32_t day = ps[j].day;
            size_t k = j;
            while (k < w->n && ps[k].day == day)
                k++;
            if (period_means(&m, ps + j, k - j, day, day) < 0) {
                rc = eg_errf(eb, EG_ENOMEM, "out of memory");
                break;
            }
            if (farmland) {
                int64_t ph = m.ph >= 0 && m.means[m.ph].n ? m.means[m.ph].v : w->p.ph;
                enum std_farm_use use = !strcmp(w->p.land_use, "paddy")     ? STD_FARM_PADDY
                                        : !strcmp(w->p.land_use, "orchard") ? STD_FARM_ORCHARD
                                                                            : STD_FARM_OTHER;
                soil_farm_eval(m.means, m.nparam, use, ph, res);
            } else {
                soil_build_eval(m.means, m.nparam, !strcmp(w->p.land_use, "2") ? 2 : 1, res);
            }
            struct query_water_rec r;
            memset(&r, 0, sizeof(r));
            r.pt = &w->p;
            r.from = r.to = day;
            r.nsamples = k - j;
            r.means = m.means;
            r.nparam = m.nparam;
            r.soil = res;
            rc = cb(ud, &r);
            j = k;
        }
    }
out:
    wload_done(&L);
    meanctx_done(&m);
    eg_free(res);
    return rc;
}

/* ---- rivers ---- */

/* Mean across points of already-rounded period means, rounded again at the item's digits. */
static void cross_mean(const struct wq_value *const *vals, size_t n, int dec, bool ph,
                       struct wq_sample *tmp, struct wq_value *ret)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (vals[i]->n) {
            tmp[k].param = 0;
            tmp[k].day = 0;
            tmp[k].v = vals[i]->v;
            tmp[k].flags = vals[i]->nd_only ? WQ_ND : 0;
            k++;
        }
    wq_mean(tmp, k, dec, ph, ret);
}

struct body {
    const char *name;
    size_t *idx;
    size_t n;
};

int query_water_rivers(struct store *s, const struct query_water *q, query_water_river_cb cb,
                       void *ud, struct eg_errbuf *eb)
{
    struct wload L;
    struct meanctx m;
    struct wq_value *all = NULL; /* [npt][nparam] period means */
    const struct wq_value **col = NULL;
    struct wq_sample *tmp = NULL;
    struct wq_section *sec = eg_malloc(sizeof(*sec));
    int *cls = NULL;
    bool *done = NULL;
    int rc = sec ? meanctx_init(&m, true) : EG_ENOMEM;
    if (rc) {
        eg_free(sec);
        return eg_errf(eb, EG_ENOMEM, "out of memory");
    }
    if ((rc = load(s, q, want_section, q->from, q->to, &L, eb)))
        goto out;
    all = eg_calloc(L.npt ? L.npt * m.nparam : 1, sizeof(*all));
    col = eg_calloc(L.npt + 1, sizeof(*col));
    tmp = eg_calloc(L.npt + 1, sizeof(*tmp));
    cls = eg_calloc(L.npt + 1, sizeof(*cls));
    done = eg_calloc(L.npt + 1, sizeof(*done));
    if (!all || !col || !tmp || !cls || !done) {
        rc = eg_errf(eb, EG_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < L.npt; i++) {
        if (period_means(&m, samples_of(&L, &L.pt[i]), L.pt[i].n, q->from, q->to) < 0) {
            rc = eg_errf(eb, EG_ENOMEM, "out of memory");
            goto out;
        }
        memcpy(all + i * m.nparam, m.means, m.nparam * sizeof(*m.means));
        bool lake = !strcmp(L.pt[i].p.water, "lake");
        wq_section_eval(m.means, m.nparam, lake, L.pt[i].p.target, sec);
        cls[i] = sec->cls;
    }
    /* group by water body, in order of first appearance */
    for (size_t i = 0; i < L.npt && rc == 0; i++) {
        if (done[i])
            continue;
        struct query_water_river r;
        memset(&r, 0, sizeof(r));
        r.body = L.pt[i].p.body[0] ? L.pt[i].p.body : L.pt[i].p.code;
        r.from = q->from;
        r.to = q->to;
        size_t nb = 0;
        bool lake = false;
        for (size_t j = i; j < L.npt; j++) {
            const char *bj = L.pt[j].p.body[0] ? L.pt[j].p.body : L.pt[j].p.code;
            if (done[j] || strcmp(bj, r.body))
                continue;
            done[j] = true;
            if (!cls[j])
                continue;
            lake |= !strcmp(L.pt[j].p.water, "lake");
            col[nb++] = all + j * m.nparam;
            r.n++;
            r.ncls[cls[j]]++;
            r.n13 += cls[j] <= 3;
            r.n6 += cls[j] == 6;
        }
        if (r.n >= 5) {
            r.by_share = true;
            r.status = wq_river_grade(r.n13, r.n6, r.n);
        } else if (r.n > 0) {
            /* < 5 sections: average every indicator over the sections, evaluate as one */
            for (size_t p = 0; p < m.nparam; p++) {
                const struct wq_value *vals[256];
                size_t k = 0;
                for (size_t j = 0; j < nb && k < 256; j++)
                    vals[k++] = &col[j][p];
                cross_mean(vals, k, m.dec[p], (int)p == m.ph, tmp, &m.means[p]);
            }
            wq_section_eval(m.means, m.nparam, lake, 0, sec);
            r.avg = sec;
            r.status = sec->status;
        }
        rc = cb(ud, &r);
    }
out:
    wload_done(&L);
    meanctx_done(&m);
    eg_free(all);
    eg_free(col);
    eg_free(tmp);
    eg_free(cls);
    eg_free(done);
    eg_free(sec);
    return rc;
}

/* ---- CWQI ---- */

static int want_cwqi(const struct store_water_point *p)
{
    return !strcmp(p->kind, "section") || !strcmp(p->kind, "lake");
}

/* City CWQI of one period: period means per section (2020 digits), averaged per item across the
 * river sections and across the lake points separately, indices summed, combined by counts. */
static int cwqi_part(struct store *s, const struct query_water *q, int32_t from, int32_t to,
                     struct query_water_cwqi_part *ret, struct eg_errbuf *eb)
{
    struct wload L;
    struct meanctx m;
    struct wq_value *all = NULL;
    struct wq_sample *tmp = NULL;
    const struct wq_value **vals = NULL;
    bool *has = NULL;
    int rc = meanctx_init(&m, true);
    memset(ret, 0, sizeof(*ret));
    memset(&L, 0, sizeof(L));
    if (rc) {
        rc = eg_errf(eb, EG_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = load(s, q, want_cwqi, from, to, &L, eb)))
        goto out;
    all = eg_calloc((L.npt ? L.npt : 1) * m.nparam, sizeof(*all));
    tmp = eg_calloc(L.npt + 1, sizeof(*tmp));
    vals = eg_calloc(L.npt + 1, sizeof(*vals));
    has = eg_calloc(L.npt + 1, sizeof(*has));
    if (!all || !tmp || !vals || !has) {
        rc = eg_errf(eb, EG_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < L.npt; i++) {
        long k = period_means(&m, samples_of(&L, &L.pt[i]), L.pt[i].n, from, to);
        if (k < 0) {
            rc = eg_errf(eb, EG_ENOMEM, "out of memory");
            goto out;
        }
        memcpy(all + i * m.nparam, m.means, m.nparam * sizeof(*m.means));
        has[i] = k > 0;
    }
    for (int lake = 0; lake < 2; lake++) {
        size_t cnt = 0;
        for (size_t i = 0; i < L.npt; i++)
            cnt += has[i] && want_lake(&L.pt[i].p) == (lake == 1);
        if (!cnt)
            continue;
        for (size_t p = 0; p < m.nparam; p++) {
            size_t k = 0;
            for (size_t i = 0; i < L.npt; i++)
                if (has[i] && want_lake(&L.pt[i].p) == (lake == 1))
                    vals[k++] = all + i * m.nparam + p;
            cross_mean(vals, k, m.dec[p], (int)p == m.ph, tmp, &m.means[p]);
        }
        wq_cwqi(m.means, m.nparam, lake == 1, lake ? &ret->lake : &ret->river);
        if (lake)
            ret->n = cnt;
        else
            ret->m = cnt;
    }
    ret->city = wq_cwqi_city(ret->river.total, ret->m, ret->lake.total, ret->n);
out:
    wload_done(&L);
    meanctx_done(&m);
    eg_free(all);
    eg_free(tmp);
    eg_free(vals);
    eg_free(has);
    return rc;
}

int query_water_cwqi(struct store *s, const struct query_water *q, int compare_year,
                     struct query_water_cwqi *ret, struct eg_errbuf *eb)
{
    memset(ret, 0, sizeof(*ret));
    ret->from = q->from;
    ret->to = q->to;
    int rc = cwqi_part(s, q, q->from, q->to, &ret->now, eb);
    if (rc || !compare_year)
        return rc;
    int y0, m0, d0, y1, m1, d1;
    eg_civil_from_days(q->from, &y0, &m0, &d0);
    eg_civil_from_days(q->to, &y1, &m1, &d1);
    int dy = compare_year - y0;
    /* the same period in the comparison year (29 February → 28) */
    if (m0 == 2 && d0 == 29)
        d0 = 28;
    if (m1 == 2 && d1 == 29)
        d1 = 28;
    ret->prev_from = eg_days_from_civil(y0 + dy, m0, d0);
    ret->prev_to = eg_days_from_civil(y1 + dy, m1, d1);
    if ((rc = cwqi_part(s, q, ret->prev_from, ret->prev_to, &ret->prev, eb)))
        return rc;
    ret->has_prev = ret->prev.m + ret->prev.n > 0 && ret->prev.city > 0;
    if (ret->has_prev)
        ret->change = wq_cwqi_change(ret->now.city, ret->prev.city);
    return 0;
}
