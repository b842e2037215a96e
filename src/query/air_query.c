/* air_query.c — air figures from stored hourly data (see query.h).
 *
 * One pass over the store per query: store_air_scan delivers rows ordered by station; each
 * station's hours are laid into a dense array covering the hours stamped (from−1) 00:00 …
 * (to+1) 23:00, from which every natural day's slots (D−1 18:00 … D+1 00:00) are read.  Station
 * daily values are computed once per station; city values are formed from them (HJ 663-2013
 * Table A.2).  All memory is owned here and freed before returning.
 */
#include "query.h"

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "common/eg_mem.h"
#include "common/eg_time.h"

#define MAX_HOUR_VALUES (64u << 20) /* hourly queries keep every value: 256 MiB at most */

struct qstation {
    char *code;
    char *city;
    bool background, listed;
};

struct qcity {
    char *name;
    size_t *mem; /* indexes into the station array: the city's evaluation stations */
    size_t nmem;
};

struct sel {
    struct qstation *st; /* sorted by code */
    size_t nst, capst;
    struct qcity *city;
    size_t ncity;
    bool restrict_scan; /* pass the codes to the scan */
};

struct loaded {
    int32_t from, to, nd;
    int64_t base;         /* stamp of (from−1) 00:00 */
    size_t nh;            /* (nd + 2) · 24 */
    struct air_day *days; /* [nst][nd] */
    int32_t *o3_limit;    /* [nd]: the O3 8-h limit of each day */
    int32_t *hours;       /* [nst][AIR_NPOL][nh] when kept, else one station's worth */
    bool keep_hours;
    long cur;     /* station being filled, -1 none */
    bool cur_has; /* it had rows */
    const struct sel *sel;
    const struct query_air *q;
};

/* ---- selection ---- */

static void sel_done(struct sel *S)
{
    for (size_t i = 0; i < S->nst; i++) {
        eg_free(S->st[i].code);
        eg_free(S->st[i].city);
    }
    eg_free(S->st);
    for (size_t i = 0; i < S->ncity; i++) {
        eg_free(S->city[i].name);
        eg_free(S->city[i].mem);
    }
    eg_free(S->city);
    memset(S, 0, sizeof(*S));
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, list[i]))
            return true;
    return false;
}

struct collect {
    struct sel *S;
    const struct query_air *q;
    int rc;
};

static int collect_station(void *ud, const struct store_station *st)
{
    struct collect *c = ud;
    struct sel *S = c->S;
    const struct query_air *q = c->q;
    if (q->by_city) {
        if (!st->listed || st->background)
            return 0;
        if (q->ncities && !in_list(st->city, q->cities, q->ncities))
            return 0;
    } else if (q->nstations) {
        if (!in_list(st->code, q->stations, q->nstations))
            return 0;
    } else if (q->ncities && !in_list(st->city, q->cities, q->ncities)) {
        return 0;
    }
    if (S->nst == S->capst) {
        size_t cap = S->capst ? S->capst * 2 : 256;
        struct qstation *p = eg_realloc(S->st, cap * sizeof(*p));
        if (!p)
            return c->rc = EG_ENOMEM;
        S->st = p;
        S->capst = cap;
    }
    struct qstation *x = &S->st[S->nst];
    x->code = eg_strdup(st->code);
    x->city = eg_strdup(st->city ? st->city : "");
    x->background = st->background;
    x->listed = st->listed;
    if (!x->code || !x->city) {
        eg_free(x->code);
        eg_free(x->city);
        return c->rc = EG_ENOMEM;
    }
    S->nst++;
    return 0;
}

static int cmp_station(const void *a, const void *b)
{
    return strcmp(((const struct qstation *)a)->code, ((const struct qstation *)b)->code);
}

static long find_station(const struct sel *S, const char *code)
{
    size_t lo = 0, hi = S->nst;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(S->st[mid].code, code);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Cities in the order of their first station code (the national list's order), or in the order
 * the query names them. */
static int build_cities(struct sel *S, const struct query_air *q, struct eg_errbuf *eb)
{
    S->city = eg_calloc(S->nst ? S->nst : 1, sizeof(*S->city));
    if (!S->city)
        return EG_ENOMEM;
    for (size_t i = 0; i < S->nst; i++) {
        size_t k;
        for (k = 0; k < S->ncity; k++)
            if (!strcmp(S->city[k].name, S->st[i].city))
                break;
        if (k == S->ncity) {
            S->city[k].name = eg_strdup(S->st[i].city);
            S->city[k].mem = eg_calloc(S->nst, sizeof(size_t));
            S->ncity++;
            if (!S->city[k].name || !S->city[k].mem)
                return EG_ENOMEM;
        }
        S->city[k].mem[S->city[k].nmem++] = i;
    }
    if (q->ncities) {
        /* reorder as named; a named city without stations is an error */
        for (size_t j = 0; j < q->ncities; j++) {
            size_t k;
            for (k = j; k < S->ncity; k++)
                if (!strcmp(S->city[k].name, q->cities[j]))
                    break;
            if (k == S->ncity) {
                bool dup = false;
                for (size_t m = 0; m < j; m++)
                    dup |= !strcmp(q->cities[m], q->cities[j]);
                if (dup)
                    continue;
                eg_err_at(eb, NULL, 0, 0, "--city");
                return eg_errf(eb, EG_ENOTFOUND,
                               "no evaluation station of city '%s' in the station list "
                               "(import the station list first: envgov import stations FILE)",
                               q->cities[j]);
            }
            struct qcity t = S->city[j];
            S->city[j] = S->city[k];
            S->city[k] = t;
        }
    }
    return 0;
}

static int select_entities(struct store *s, const struct query_air *q, struct sel *S,
                           struct eg_errbuf *eb)
{
    struct collect c = {S, q, 0};
    int rc = store_station_each(s, NULL, collect_station, &c, eb);
    if (c.rc)
        return c.rc;
    if (rc)
        return rc;
    if (S->nst)
        qsort(S->st, S->nst, sizeof(*S->st), cmp_station);
    if (!q->by_city) {
        for (size_t i = 0; i < q->nstations; i++)
            if (find_station(S, q->stations[i]) < 0) {
                eg_err_at(eb, NULL, 0, 0, "--station");
                return eg_errf(eb, EG_ENOTFOUND, "unknown station '%s'", q->stations[i]);
            }
        if (q->ncities && !S->nst) {
            eg_err_at(eb, NULL, 0, 0, "--city");
            return eg_errf(eb, EG_ENOTFOUND, "no station in the named cities");
        }
    }
    S->restrict_scan = q->nstations || q->ncities;
    return q->by_city ? build_cities(S, q, eb) : 0;
}

/* ---- loading ---- */

static int32_t *station_hours(struct loaded *L, size_t i)
{
    return L->keep_hours ? L->hours + i * AIR_NPOL * L->nh : L->hours;
}

/* The grade II O3 8-h limit in force on a day (the MDA8 validity exception, HJ 663 6.1.2). */
static int32_t o3_limit_for(int32_t day)
{
    const struct std_limits *l = std_limits_for_day(day);
    int64_t v;
    if (std_limit(l, "O3", "max8h", 2, 0, &v))
        v = 160; /* both GB 3095 versions define it; unreachable with the embedded tables */
    return (int32_t)v;
}

static void compute_station_days(struct loaded *L, size_t i)
{
    const int32_t *h = station_hours(L, i);
    int32_t v[AIR_NPOL][AIR_DAY_SLOTS];
    for (int32_t k = 0; k < L->nd; k++) {
        size_t at = (size_t)k * 24 + 18;
        for (int p = 0; p < AIR_NPOL; p++)
            memcpy(v[p], h + (size_t)p * L->nh + at, sizeof(v[p]));
        air_station_day((const int32_t(*)[AIR_DAY_SLOTS])v, L->o3_limit[k],
                        &L->days[i * (size_t)L->nd + (size_t)k]);
    }
}

static void clear_hours(int32_t *h, size_t n)
{
    for (size_t k = 0; k < n; k++)
        h[k] = AIR_NA;
}

static void flush_station(struct loaded *L)
{
    if (L->cur >= 0 && L->cur_has)
        compute_station_days(L, (size_t)L->cur);
    L->cur = -1;
    L->cur_has = false;
}

static int on_row(void *ud, const char *station, const char *item, int32_t date,
                  const int32_t v[24])
{
    struct loaded *L = ud;
    int p = cat_air_index(item);
    if (p < 0)
        return 0;
    if (L->cur < 0 || strcmp(L->sel->st[L->cur].code, station)) {
        flush_station(L);
        long i = find_station(L->sel, station);
        if (i < 0)
            return 0;
        L->cur = i;
        if (!L->keep_hours)
            clear_hours(L->hours, AIR_NPOL * L->nh);
    }
    L->cur_has = true;
    int64_t at = (int64_t)date * 24 - L->base;
    int32_t *h = station_hours(L, (size_t)L->cur) + (size_t)p * L->nh;
    for (int k = 0; k < 24; k++) {
        int64_t idx = at + k;
        if (idx >= 0 && (size_t)idx < L->nh)
            h[idx] = v[k] == STORE_NA ? AIR_NA : v[k];
    }
    return 0;
}

static void loaded_done(struct loaded *L)
{
    eg_free(L->o3_limit);
    eg_free(L->days);
    eg_free(L->hours);
    memset(L, 0, sizeof(*L));
}

static int load(struct store *s, const struct sel *S, const struct query_air *q, int32_t from,
                int32_t to, bool keep_hours, struct loaded *L, struct eg_errbuf *eb)
{
    int rc;
    const char **codes = NULL;
    memset(L, 0, sizeof(*L));
    if (to < from || to - from + 1 > QUERY_MAX_DAYS) {
        eg_err_at(eb, NULL, 0, 0, "--from/--to");
        return eg_errf(eb, EG_ERANGE, "the period must be 1 to %d days", QUERY_MAX_DAYS);
    }
    L->from = from;
    L->to = to;
    L->nd = to - from + 1;
    L->nh = ((size_t)L->nd + 2) * 24;
    L->base = eg_hour_stamp(from - 1, 0);
    L->keep_hours = keep_hours;
    L->sel = S;
    L->q = q;
    L->cur = -1;
    size_t nst = S->nst ? S->nst : 1;
    if (keep_hours && nst * AIR_NPOL * L->nh > MAX_HOUR_VALUES) {
        eg_err_at(eb, NULL, 0, 0, "--from/--to");
        return eg_errf(eb, EG_ELIMIT,
                       "hourly output for %zu stations over %d days is too large; narrow the "
                       "period or the stations",
                       S->nst, L->nd);
    }
    L->days = eg_malloc(nst * (size_t)L->nd * sizeof(*L->days));
    L->hours = eg_malloc((keep_hours ? nst : 1) * AIR_NPOL * L->nh * sizeof(int32_t));
    L->o3_limit = eg_malloc((size_t)L->nd * sizeof(*L->o3_limit));
    if (!L->days || !L->hours || !L->o3_limit) {
        rc = eg_errf(eb, EG_ENOMEM, "out of memory loading %zu stations × %d days", S->nst, L->nd);
        goto fail;
    }
    for (size_t i = 0; i < nst * (size_t)L->nd; i++) {
        for (int k = 0; k < AIR_NDVAL; k++)
            L->days[i].v[k] = AIR_NA;
        memset(L->days[i].hours, 0, sizeof(L->days[i].hours));
        L->days[i].windows8 = 0;
    }
    clear_hours(L->hours, (keep_hours ? nst : 1) * AIR_NPOL * L->nh);
    for (int32_t k = 0; k < L->nd; k++)
        L->o3_limit[k] = o3_limit_for(from + k);
    if (S->restrict_scan) {
        codes = eg_calloc(nst, sizeof(*codes));
        if (!codes) {
            rc = EG_ENOMEM;
            goto fail;
        }
        for (size_t i = 0; i < S->nst; i++)
            codes[i] = S->st[i].code;
    }
    if (S->nst) {
        rc = store_air_scan(s, from - 1, to + 1, codes, S->restrict_scan ? S->nst : 0, on_row, L,
                            eb);
        if (rc)
            goto fail;
        flush_station(L);
    }
    eg_free(codes);
    return 0;
fail:
    eg_free(codes);
    loaded_done(L);
    return rc;
}

static const struct std_aqi_rules *rules_for(const struct query_air *q, int32_t day)
{
    return q->rules ? q->rules : std_aqi_rules_for_day(day);
}

/* City daily values of day k from its member stations. */
static void city_day(const struct loaded *L, const struct qcity *c, int32_t k, struct air_day *ret)
{
    struct air_day tmp[64];
    if (c->nmem == 0) {
        air_city_day(NULL, 0, 0, ret);
        return;
    }
    struct air_day *st = c->nmem <= 64 ? tmp : eg_malloc(c->nmem * sizeof(*st));
    if (!st) {
        for (int i = 0; i < AIR_NDVAL; i++)
            ret->v[i] = AIR_NA;
        return;
    }
    for (size_t m = 0; m < c->nmem; m++)
        st[m] = L->days[c->mem[m] * (size_t)L->nd + (size_t)k];
    air_city_day(st, c->nmem, c->nmem, ret);
    if (st != tmp)
        eg_free(st);
}

/* Sand-dust flags of a query's range, loaded once. */
struct dustlist {
    char **city;
    int32_t *day;
    size_t n, cap;
    int rc;
};

static int on_dust(void *ud, const char *city, int32_t day, const char *note)
{
    struct dustlist *d = ud;
    (void)note;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        char **c = eg_realloc(d->city, cap * sizeof(*c));
        if (!c)
            return d->rc = EG_ENOMEM;
        d->city = c;
        int32_t *x = eg_realloc(d->day, cap * sizeof(*x));
        if (!x)
            return d->rc = EG_ENOMEM;
        d->day = x;
        d->cap = cap;
    }
    if (!(d->city[d->n] = eg_strdup(city)))
        return d->rc = EG_ENOMEM;
    d->day[d->n++] = day;
    return 0;
}

static void dust_done(struct dustlist *d)
{
    for (size_t i = 0; i < d->n; i++)
        eg_free(d->city[i]);
    eg_free(d->city);
    eg_free(d->day);
    memset(d, 0, sizeof(*d));
}

static int dust_load(struct store *s, int32_t from, int32_t to, struct dustlist *d,
                     struct eg_errbuf *eb)
{
    memset(d, 0, sizeof(*d));
    int rc = store_dust_each(s, from, to, on_dust, d, eb);
    return d->rc ? d->rc : rc;
}

static bool dust_has(const struct dustlist *d, const char *city, int32_t day)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->day[i] == day && !strcmp(d->city[i], city))
            return true;
    return false;
}

/* ---- hourly ---- */

/* SO2 24-h mean ending at hour idx (hours idx−23 … idx, ≥ 20 valid), for the literal 2012 rule. */
static int32_t so2_24h_at(const int32_t *so2, size_t idx)
{
    int64_t sum = 0;
    int n = 0;
    for (size_t k = idx >= 23 ? idx - 23 : 0; k <= idx; k++)
        if (so2[k] != AIR_NA) {
            sum += so2[k];
            n++;
        }
    return n >= std_validity()->day_min_hours ? (int32_t)eg_div_round(sum, n) : AIR_NA;
}

int query_air_hourly(struct store *s, const struct query_air *q, query_air_hour_cb cb, void *ud,
                     struct eg_errbuf *eb)
{
    struct sel S = {0};
    struct loaded L;
    int rc = select_entities(s, q, &S, eb);
    if (rc)
        goto out_sel;
    rc = load(s, &S, q, q->from, q->to, true, &L, eb);
    if (rc)
        goto out_sel;
    size_t first = 25, last = 25 + (size_t)L.nd * 24; /* from 01:00 … to+1 00:00 */
    size_t nent = q->by_city ? S.ncity : S.nst;
    for (size_t e = 0; e < nent && !rc; e++) {
        for (size_t idx = first; idx < last && !rc; idx++) {
            struct query_air_hour h;
            h.stamp = L.base + (int64_t)idx;
            h.rules = rules_for(q, eg_hour_natural_day(h.stamp));
            int32_t so2_24 = AIR_NA;
            if (q->by_city) {
                const struct qcity *c = &S.city[e];
                int32_t tmp[64][AIR_NPOL];
                int32_t(*st)[AIR_NPOL] = c->nmem <= 64 ? tmp : eg_malloc(c->nmem * sizeof(*st));
                if (!st) {
                    rc = EG_ENOMEM;
                    break;
                }
                for (size_t m = 0; m < c->nmem; m++)
                    for (int p = 0; p < AIR_NPOL; p++)
                        st[m][p] = station_hours(&L, c->mem[m])[(size_t)p * L.nh + idx];
                air_city_hour((const int32_t(*)[AIR_NPOL])st, c->nmem, c->nmem, h.v);
                if (st != tmp)
                    eg_free(st);
                h.who = c->name;
                h.city = c->name;
            } else {
                const int32_t *hs = station_hours(&L, e);
                for (int p = 0; p < AIR_NPOL; p++)
                    h.v[p] = hs[(size_t)p * L.nh + idx];
                if (!h.rules->so2_1h_over800_iaqi && h.v[AIR_SO2] != AIR_NA && h.v[AIR_SO2] > 800)
                    so2_24 = so2_24h_at(hs + (size_t)AIR_SO2 * L.nh, idx);
                h.who = S.st[e].code;
                h.city = S.st[e].city;
            }
            air_hourly_index(h.rules, h.v, so2_24, &h.ix);
            rc = cb(ud, &h);
        }
    }
    loaded_done(&L);
out_sel:
    sel_done(&S);
    return rc;
}

/* ---- daily ---- */

int query_air_daily(struct store *s, const struct query_air *q, query_air_day_cb cb, void *ud,
                    struct eg_errbuf *eb)
{
    struct sel S = {0};
    struct loaded L;
    int rc = select_entities(s, q, &S, eb);
    if (rc)
        goto out_sel;
    rc = load(s, &S, q, q->from, q->to, false, &L, eb);
    if (rc)
        goto out_sel;
    struct dustlist dl;
    if ((rc = dust_load(s, L.from, L.to, &dl, eb)))
        goto out;
    size_t nent = q->by_city ? S.ncity : S.nst;
    for (size_t e = 0; e < nent && !rc; e++) {
        for (int32_t k = 0; k < L.nd && !rc; k++) {
            struct query_air_day d;
            d.day = L.from + k;
            d.rules = rules_for(q, d.day);
            if (q->by_city) {
                city_day(&L, &S.city[e], k, &d.d);
                d.who = d.city = S.city[e].name;
            } else {
                d.d = L.days[e * (size_t)L.nd + (size_t)k];
                d.who = S.st[e].code;
                d.city = S.st[e].city;
            }
            d.dust = dust_has(&dl, d.city, d.day);
            air_daily_index(d.rules, &d.d, &d.ix);
            rc = cb(ud, &d);
        }
    }
    dust_done(&dl);
out:
    loaded_done(&L);
out_sel:
    sel_done(&S);
    return rc;
}

/* ---- periods ---- */

/* Statistics of every entity over L's days. */
static int period_stats(struct store *s, struct sel *S, const struct query_air *q,
                        const struct loaded *L, struct air_period *ret, bool *ret_has,
                        struct eg_errbuf *eb)
{
    int rc = 0;
    size_t nent = q->by_city ? S->ncity : S->nst;
    struct air_day *days = eg_malloc((size_t)L->nd * sizeof(*days));
    struct air_index *ix = eg_malloc((size_t)L->nd * sizeof(*ix));
    uint8_t *dust = eg_calloc((size_t)L->nd, 1);
    const struct std_limits *lim = std_limits_for_day(L->to);
    struct dustlist dl = {0};
    if (!days || !ix || !dust) {
        rc = EG_ENOMEM;
        goto out;
    }
    if ((rc = dust_load(s, L->from, L->to, &dl, eb)))
        goto out;
    for (size_t e = 0; e < nent; e++) {
        bool has = false;
        for (int32_t k = 0; k < L->nd; k++) {
            if (q->by_city)
                city_day(L, &S->city[e], k, &days[k]);
            else
                days[k] = L->days[e * (size_t)L->nd + (size_t)k];
            air_daily_index(rules_for(q, L->from + k), &days[k], &ix[k]);
            has |= ix[k].aqi >= 0;
            for (int v = 0; v < AIR_NDVAL; v++)
                has |= days[k].v[v] != AIR_NA;
        }
        /* a station follows its city's sand-dust flag */
        const char *city = q->by_city ? S->city[e].name : S->st[e].city;
        for (int32_t k = 0; k < L->nd; k++)
            dust[k] = dust_has(&dl, city, L->from + k);
        rc = air_period_stats(lim, L->from, (size_t)L->nd, days, ix, dust, &ret[e]);
        if (rc) {
            eg_errf(eb, rc, "period statistics failed");
            goto out;
        }
        if (ret_has)
            ret_has[e] = has;
    }
out:
    dust_done(&dl);
    eg_free(days);
    eg_free(ix);
    eg_free(dust);
    return rc;
}

/* The same calendar period one year earlier (29 February maps to 28 February). */
static void prev_year(int32_t day, int32_t *ret)
{
    int y, m, d;
    eg_civil_from_days(day, &y, &m, &d);
    if (m == 2 && d == 29)
        d = 28;
    *ret = eg_days_from_civil(y - 1, m, d);
}

int query_air_period(struct store *s, const struct query_air *q, bool with_prev,
                     query_air_period_cb cb, void *ud, struct eg_errbuf *eb)
{
    struct sel S = {0};
    struct loaded L = {0};
    struct air_period *cur = NULL, *prev = NULL;
    bool *has_prev = NULL;
    int rc = select_entities(s, q, &S, eb);
    if (rc)
        goto out;
    size_t nent = q->by_city ? S.ncity : S.nst;
    cur = eg_calloc(nent ? nent : 1, sizeof(*cur));
    prev = eg_calloc(nent ? nent : 1, sizeof(*prev));
    has_prev = eg_calloc(nent ? nent : 1, sizeof(*has_prev));
    if (!cur || !prev || !has_prev) {
        rc = EG_ENOMEM;
        goto out;
    }
    int32_t first = 0, last = 0;
    if (with_prev && store_air_extent(s, &first, &last, NULL) == 0) {
        int32_t pf, pt;
        prev_year(q->from, &pf);
        prev_year(q->to, &pt);
        if (first <= pt && last >= pf) {
            if ((rc = load(s, &S, q, pf, pt, false, &L, eb)))
                goto out;
            rc = period_stats(s, &S, q, &L, prev, has_prev, eb);
            loaded_done(&L);
            if (rc)
                goto out;
        }
    }
    if ((rc = load(s, &S, q, q->from, q->to, false, &L, eb)))
        goto out;
    if ((rc = period_stats(s, &S, q, &L, cur, NULL, eb)))
        goto out;
    for (size_t e = 0; e < nent && !rc; e++) {
        struct query_air_period p;
        p.who = q->by_city ? S.city[e].name : S.st[e].code;
        p.city = q->by_city ? S.city[e].name : S.st[e].city;
        p.from = q->from;
        p.to = q->to;
        p.rules = rules_for(q, q->to);
        p.limits = std_limits_for_day(q->to);
        p.p = cur[e];
        p.has_prev = has_prev[e];
        p.prev = prev[e];
        rc = cb(ud, &p);
    }
out:
    loaded_done(&L);
    eg_free(cur);
    eg_free(prev);
    eg_free(has_prev);
    sel_done(&S);
    return rc;
}

/* ---- ranking ---- */

struct rank_ctx {
    struct query_rank_row *rows;
    size_t n, cap;
    int rc;
};

static int on_rank_period(void *ud, const struct query_air_period *p)
{
    struct rank_ctx *r = ud;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        struct query_rank_row *x = eg_realloc(r->rows, cap * sizeof(*x));
        if (!x)
            return r->rc = EG_ENOMEM;
        r->rows = x;
        r->cap = cap;
    }
    struct query_rank_row *row = &r->rows[r->n++];
    memset(row, 0, sizeof(*row));
    row->city = eg_strdup(p->who);
    row->p = p->p;
    return row->city ? 0 : (r->rc = EG_ENOMEM);
}

static int cmp_composite(const void *a, const void *b)
{
    const struct query_rank_row *x = *(const struct query_rank_row *const *)a,
                                *y = *(const struct query_rank_row *const *)b;
    bool vx = x->p.composite_exact.den != 0, vy = y->p.composite_exact.den != 0;
    if (vx != vy)
        return vx ? -1 : 1;
    if (vx && x->p.composite != y->p.composite)
        return x->p.composite < y->p.composite ? -1 : 1;
    return 0;
}

static int cmp_pm25(const void *a, const void *b)
{
    const struct query_rank_row *x = *(const struct query_rank_row *const *)a,
                                *y = *(const struct query_rank_row *const *)b;
    int32_t px = x->p.stat[AIR_S_PM25], py = y->p.stat[AIR_S_PM25];
    if ((px == AIR_NA) != (py == AIR_NA))
        return px == AIR_NA ? 1 : -1;
    return (px > py) - (px < py);
}

static int cmp_good(const void *a, const void *b)
{
    const struct query_rank_row *x = *(const struct query_rank_row *const *)a,
                                *y = *(const struct query_rank_row *const *)b;
    int32_t gx = x->p.good_ratio, gy = y->p.good_ratio;
    if ((gx == AIR_NA) != (gy == AIR_NA))
        return gx == AIR_NA ? 1 : -1;
    return (gy > gx) - (gy < gx);
}

/* Competition ranking ("1, 2, 2, 4") on sorted pointers; equal keys share a rank. */
static void assign_ranks(struct query_rank_row **v, size_t n,
                         int (*cmp)(const void *, const void *),
                         bool (*valid)(const struct query_rank_row *), size_t field)
{
    qsort(v, n, sizeof(*v), cmp);
    for (size_t i = 0; i < n; i++) {
        int *rank = (int *)((char *)v[i] + field);
        if (!valid(v[i]))
            *rank = 0;
        else if (i > 0 && cmp(&v[i - 1], &v[i]) == 0)
            *rank = *(int *)((char *)v[i - 1] + field);
        else
            *rank = (int)i + 1;
    }
}

static bool valid_composite(const struct query_rank_row *r)
{
    return r->p.composite_exact.den != 0;
}

static bool valid_pm25(const struct query_rank_row *r)
{
    return r->p.stat[AIR_S_PM25] != AIR_NA;
}

static bool valid_good(const struct query_rank_row *r)
{
    return r->p.good_ratio != AIR_NA;
}

int query_air_rank(struct store *s, const struct query_air *q, query_rank_cb cb, void *ud,
                   struct eg_errbuf *eb)
{
    struct rank_ctx r = {0};
    struct query_air cq = *q;
    struct query_rank_row **v = NULL;
    cq.by_city = true;
    int rc = query_air_period(s, &cq, false, on_rank_period, &r, eb);
    if (r.rc)
        rc = r.rc;
    if (rc)
        goto out;
    v = eg_calloc(r.n ? r.n : 1, sizeof(*v));
    if (!v) {
        rc = EG_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < r.n; i++)
        v[i] = &r.rows[i];
    assign_ranks(v, r.n, cmp_pm25, valid_pm25, offsetof(struct query_rank_row, rank_pm25));
    assign_ranks(v, r.n, cmp_good, valid_good, offsetof(struct query_rank_row, rank_good));
    assign_ranks(v, r.n, cmp_composite, valid_composite,
                 offsetof(struct query_rank_row, rank_composite));
    /* hand the rows over in composite order */
    struct query_rank_row *sorted = eg_malloc((r.n ? r.n : 1) * sizeof(*sorted));
    if (!sorted) {
        rc = EG_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < r.n; i++)
        sorted[i] = *v[i];
    rc = cb(ud, sorted, r.n);
    eg_free(sorted);
out:
    for (size_t i = 0; i < r.n; i++)
        eg_free((char *)(uintptr_t)r.rows[i].city);
    eg_free(r.rows);
    eg_free(v);
    return rc;
}
