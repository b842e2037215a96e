/* inspect.c — double-random draws over the store: build the pool's candidate list from the
 * registry (canonical USCC order), the inspector list with conflict-of-interest exclusions, run
 * the pure draw (draw.c) and record everything needed to replay it: seed, algorithm, candidate
 * lists and result.  Replay recomputes from the record alone, so it does not depend on how the
 * registry has changed since.
 *
 * Record formats (text, one entry a line): candidates = USCCs; inspectors = "P\t<per>", then
 * "I\t<code>" per inspector in code order, then "X\t<code>\t<uscc>" per exclusion; result =
 * "E\t<uscc>\t<insp1>,<insp2>…" per drawn enterprise in draw order ("-" = none eligible).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/eg_buf.h"
#include "common/eg_mem.h"
#include "store/store.h"
#include "supervise.h"

#define REC_LIMIT STORE_WORK_BLOB_MAX

struct strv {
    char **v;
    size_t n, cap;
};

static int strv_add(struct strv *s, const char *str, size_t len)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        if (cap > DRAW_MAX_CANDIDATES * 2)
            return EG_ELIMIT;
        char **nv = eg_realloc(s->v, cap * sizeof(char *));
        if (!nv)
            return EG_ENOMEM;
        s->v = nv;
        s->cap = cap;
    }
    if (!(s->v[s->n] = eg_strndup(str, len)))
        return EG_ENOMEM;
    s->n++;
    return 0;
}

static void strv_done(struct strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        eg_free(s->v[i]);
    eg_free(s->v);
    memset(s, 0, sizeof(*s));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool strv_has(const struct strv *s, const char *x)
{
    return s->n && bsearch(&x, s->v, s->n, sizeof(char *), cmp_str) != NULL;
}

static void strv_sort(struct strv *s)
{
    if (s->n)
        qsort(s->v, s->n, sizeof(char *), cmp_str);
}

static int add_uscc(void *ud, const struct store_enterprise *e)
{
    return strv_add(ud, e->uscc, strlen(e->uscc));
}

struct credit_bad {
    struct strv *set;
};

static int add_bad_credit(void *ud, const struct store_credit *c)
{
    if (!strcmp(c->level, "yellow") || !strcmp(c->level, "red"))
        return strv_add(ud, c->uscc, strlen(c->uscc));
    return 0;
}

struct pools {
    struct strv active, key, special;
};

static int load_pools(struct store *s, int year, struct pools *p, struct eg_errbuf *eb)
{
    static const char *const key_lists[] = {"water_key", "air_key", "soil_key"};
    struct store_ent_filter f = {.status = "active"};
    int rc;
    if ((rc = store_work_enterprise_each(s, &f, add_uscc, &p->active, eb)))
        return rc;
    for (size_t i = 0; i < 3; i++) {
        struct store_ent_filter lf = {.status = "active", .list = key_lists[i], .year = year};
        if ((rc = store_work_enterprise_each(s, &lf, add_uscc, &p->key, eb)))
            return rc;
    }
    struct store_ent_filter sf = {.status = "active", .list = "special", .year = year};
    if ((rc = store_work_enterprise_each(s, &sf, add_uscc, &p->special, eb)) ||
        (rc = store_work_credit_each(s, NULL, add_bad_credit, &p->special, eb)))
        return rc;
    strv_sort(&p->key);
    strv_sort(&p->special);
    return 0;
}

struct insp {
    struct strv codes;
    struct strv excl; /* "code\tuscc", sorted */
};

static int add_insp(void *ud, const char *code, const char *name, const char *unit, bool active)
{
    (void)name;
    (void)unit;
    return active ? strv_add(&((struct insp *)ud)->codes, code, strlen(code)) : 0;
}

static int add_excl(void *ud, const char *inspector, const char *uscc, const char *reason)
{
    char buf[2 * STORE_WORK_CODE_MAX + 4];
    (void)reason;
    int n = snprintf(buf, sizeof(buf), "%s\t%s", inspector, uscc);
    if (n < 0 || (size_t)n >= sizeof(buf))
        return EG_ELIMIT;
    return strv_add(&((struct insp *)ud)->excl, buf, (size_t)n);
}

struct excl_ctx {
    const struct strv *ents, *insp, *excl;
};

static bool is_excluded(void *ud, size_t inspector, size_t enterprise)
{
    struct excl_ctx *c = ud;
    char buf[2 * STORE_WORK_CODE_MAX + 24];
    snprintf(buf, sizeof(buf), "%s\t%s", c->insp->v[inspector], c->ents->v[enterprise]);
    return strv_has(c->excl, buf);
}

/* Run the draw over explicit lists and format the result record. */
static int run_lists(uint64_t seed, const struct strv *ents, long count, const struct strv *insp,
                     const struct strv *excl, size_t per, struct eg_buf *result,
                     struct eg_errbuf *eb)
{
    size_t k = count < 0 ? 0 : (size_t)count;
    if (k > ents->n)
        k = ents->n;
    size_t *oe = eg_malloc((k ? k : 1) * sizeof(size_t));
    size_t *oi = eg_malloc((k * per > 0 ? k * per : 1) * sizeof(size_t));
    int rc = 0;
    if (!oe || !oi) {
        rc = eg_errf(eb, EG_ENOMEM, "out of memory");
        goto out;
    }
    struct excl_ctx c = {ents, insp, excl};
    if ((rc = draw_run(seed, ents->n, k, insp->n, insp->n ? per : 0, is_excluded, &c, oe, oi, eb)))
        goto out;
    for (size_t e = 0; e < k && !rc; e++) {
        rc = eg_buf_addf(result, "E\t%s\t", ents->v[oe[e]]);
        for (size_t p = 0; !rc && insp->n && p < per; p++) {
            size_t ix = oi[e * per + p];
            rc = eg_buf_addf(result, "%s%s", p ? "," : "", ix == SIZE_MAX ? "-" : insp->v[ix]);
        }
        if (!rc)
            rc = eg_buf_addc(result, '\n');
    }
    if (rc)
        rc = eg_errf(eb, rc, "the draw result is larger than the record limit");
out:
    eg_free(oe);
    eg_free(oi);
    return rc;
}

int sup_draw(struct store *s, const struct sup_draw_req *req, int64_t *ret_id, struct eg_errbuf *eb)
{
    struct pools p;
    struct insp in;
    struct strv cand;
    struct eg_buf cbuf, ibuf, rbuf;
    int rc;
    if (!req || !ret_id || !req->pool)
        return eg_errf(eb, EG_EINVAL, "sup_draw: no request");
    const struct draw_pool_rule *rule = draw_pool_rule(req->pool);
    if (!rule)
        return eg_errf(eb, EG_EINVAL, "unknown pool '%s' (pools: all, key, general, special)",
                       req->pool);
    if (req->count < 0 || req->count > DRAW_MAX_CANDIDATES)
        return eg_errf(eb, EG_ERANGE, "--count must be 0..%d", DRAW_MAX_CANDIDATES);
    size_t per = req->per_inspectors > 0 ? (size_t)req->per_inspectors : 2;
    if (per > 16)
        return eg_errf(eb, EG_ERANGE, "at most 16 inspectors per enterprise");
    memset(&p, 0, sizeof(p));
    memset(&in, 0, sizeof(in));
    memset(&cand, 0, sizeof(cand));
    eg_buf_init(&cbuf, REC_LIMIT);
    eg_buf_init(&ibuf, REC_LIMIT);
    eg_buf_init(&rbuf, REC_LIMIT);
    if ((rc = load_pools(s, req->year, &p, eb)))
        goto out;
    for (size_t i = 0; i < p.active.n; i++) {
        const char *u = p.active.v[i];
        bool key = strv_has(&p.key, u), special = strv_has(&p.special, u);
        bool take = !strcmp(req->pool, "all") || (!strcmp(req->pool, "key") && key) ||
                    (!strcmp(req->pool, "special") && special) ||
                    (!strcmp(req->pool, "general") && !key && !special);
        if (take && (rc = strv_add(&cand, u, strlen(u))))
            goto nomem;
    }
    strv_sort(&cand); /* canonical order: the registry's order never matters */
    if ((rc = store_work_inspector_each(s, add_insp, &in, eb)) ||
        (rc = store_work_exclusion_each(s, add_excl, &in, eb)))
        goto out;
    strv_sort(&in.codes);
    strv_sort(&in.excl);
    long count = req->count;
    if (count == 0) /* the pool's ratio, rounded up */
        count = (long)(((int64_t)cand.n * rule->ratio_bp + 9999) / 10000);
    for (size_t i = 0; i < cand.n && !rc; i++)
        rc = eg_buf_addf(&cbuf, "%s\n", cand.v[i]);
    if (!rc)
        rc = eg_buf_addf(&ibuf, "P\t%zu\n", per);
    for (size_t i = 0; i < in.codes.n && !rc; i++)
        rc = eg_buf_addf(&ibuf, "I\t%s\n", in.codes.v[i]);
    for (size_t i = 0; i < in.excl.n && !rc; i++)
        rc = eg_buf_addf(&ibuf, "X\t%s\n", in.excl.v[i]);
    if (rc) {
        rc = eg_errf(eb, rc, "the draw's candidate lists are larger than the record limit");
        goto out;
    }
    if ((rc = run_lists(req->seed, &cand, count, &in.codes, &in.excl, per, &rbuf, eb)))
        goto out;
    struct store_draw d = {
        .pool = req->pool,
        .count = count,
        .seed = req->seed,
        .algorithm = DRAW_ALGORITHM,
        .at = req->at,
        .candidates = eg_buf_str(&cbuf),
        .inspectors = eg_buf_str(&ibuf),
        .result = eg_buf_str(&rbuf),
        .publish = req->publish,
    };
    rc = store_work_draw_put(s, &d, ret_id, eb);
    goto out;
nomem:
    rc = eg_errf(eb, rc, "too many candidates or out of memory");
out:
    strv_done(&p.active);
    strv_done(&p.key);
    strv_done(&p.special);
    strv_done(&in.codes);
    strv_done(&in.excl);
    strv_done(&cand);
    eg_buf_done(&cbuf);
    eg_buf_done(&ibuf);
    eg_buf_done(&rbuf);
    return rc;
}

/* ---- loading and replaying ---- */

struct load_ctx {
    bool replay;
    struct sup_draw_result *r;
    struct eg_errbuf *eb;
};

/* Split text into lines, calling fn on each non-empty one. */
static int each_line(const char *text, int (*fn)(void *, const char *, size_t), void *ud)
{
    int rc = 0;
    for (const char *p = text; *p && !rc;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n)
            rc = fn(ud, p, n);
        p = e ? e + 1 : p + n;
    }
    return rc;
}

static int line_cand(void *ud, const char *s, size_t n)
{
    return strv_add(ud, s, n);
}

struct insp_lines {
    struct insp *in;
    size_t per;
};

static int line_insp(void *ud, const char *s, size_t n)
{
    struct insp_lines *c = ud;
    if (n > 2 && s[0] == 'P' && s[1] == '\t') {
        c->per = (size_t)strtoul(s + 2, NULL, 10);
        return 0;
    }
    if (n > 2 && s[0] == 'I' && s[1] == '\t')
        return strv_add(&c->in->codes, s + 2, n - 2);
    if (n > 2 && s[0] == 'X' && s[1] == '\t')
        return strv_add(&c->in->excl, s + 2, n - 2);
    return EG_EPARSE;
}

static int line_result(void *ud, const char *s, size_t n)
{
    struct sup_draw_result *r = ud;
    if (n < 2 || s[0] != 'E' || s[1] != '\t')
        return EG_EPARSE;
    const char *tab = memchr(s + 2, '\t', n - 2);
    size_t ulen = tab ? (size_t)(tab - s - 2) : n - 2;
    struct strv u = {r->uscc, r->n, r->n}, ins = {r->insp, r->n * r->per, r->n * r->per};
    int rc = strv_add(&u, s + 2, ulen);
    r->uscc = u.v;
    if (rc)
        return rc;
    r->n = u.n;
    const char *p = tab ? tab + 1 : s + n;
    const char *end = s + n;
    for (size_t k = 0; k < r->per; k++) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        size_t len = c ? (size_t)(c - p) : (size_t)(end - p);
        rc = strv_add(&ins, p, len);
        r->insp = ins.v;
        if (rc)
            return rc;
        p = c ? c + 1 : end;
    }
    return 0;
}

static int got_draw(void *ud, const struct store_draw *d)
{
    struct load_ctx *c = ud;
    struct sup_draw_result *r = c->r;
    struct insp in;
    struct strv cand;
    struct eg_buf rbuf;
    int rc;
    memset(&in, 0, sizeof(in));
    memset(&cand, 0, sizeof(cand));
    eg_buf_init(&rbuf, REC_LIMIT);
    r->id = d->id;
    r->seed = d->seed;
    r->count = d->count;
    r->at = d->at;
    r->publish = d->publish;
    if (!(r->pool = eg_strdup(d->pool)) || !(r->algorithm = eg_strdup(d->algorithm))) {
        rc = eg_errf(c->eb, EG_ENOMEM, "out of memory");
        goto out;
    }
    struct insp_lines il = {&in, 0};
    if ((rc = each_line(d->candidates, line_cand, &cand)) ||
        (rc = each_line(d->inspectors, line_insp, &il))) {
        rc = eg_errf(c->eb, rc, "draw %lld: its recorded candidate lists are damaged",
                     (long long)d->id);
        goto out;
    }
    r->n_candidates = cand.n;
    r->n_insp_candidates = in.codes.n;
    r->per = in.codes.n ? il.per : 0;
    const char *result = d->result;
    if (c->replay) {
        if (strcmp(d->algorithm, DRAW_ALGORITHM)) {
            rc = eg_errf(c->eb, EG_ESTATE, "draw %lld used %s; this envgov replays %s",
                         (long long)d->id, d->algorithm, DRAW_ALGORITHM);
            goto out;
        }
        /* the lists were recorded in canonical order; sort defensively for the exclusion search */
        strv_sort(&in.excl);
        if ((rc = run_lists(d->seed, &cand, d->count, &in.codes, &in.excl, il.per, &rbuf, c->eb)))
            goto out;
        result = eg_buf_str(&rbuf);
        r->replay_match = strcmp(result, d->result) == 0;
    }
    if ((rc = each_line(result, line_result, r)))
        rc = eg_errf(c->eb, rc, "draw %lld: its recorded result is damaged", (long long)d->id);
out:
    strv_done(&in.codes);
    strv_done(&in.excl);
    strv_done(&cand);
    eg_buf_done(&rbuf);
    return rc;
}

int sup_draw_load(struct store *s, int64_t id, bool replay, struct sup_draw_result *ret,
                  struct eg_errbuf *eb)
{
    if (!ret)
        return eg_errf(eb, EG_EINVAL, "sup_draw_load: no output");
    memset(ret, 0, sizeof(*ret));
    struct load_ctx c = {replay, ret, eb};
    int rc = store_work_draw_get(s, id, got_draw, &c, eb);
    if (rc)
        sup_draw_result_done(ret);
    return rc;
}

void sup_draw_result_done(struct sup_draw_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        eg_free(r->uscc[i]);
    for (size_t i = 0; i < r->n * r->per; i++)
        eg_free(r->insp[i]);
    eg_free(r->uscc);
    eg_free(r->insp);
    eg_free(r->pool);
    eg_free(r->algorithm);
    memset(r, 0, sizeof(*r));
}
