/* classify.c — the one classification mechanism of every medium: period means (2020 statistics
 * rules: GB/T 8170 half to even at the item's digits, pH via [H+]), the class of a value on a
 * table row (best class met first: "从优不从劣", GB/T 14848-2017 clause 8), exceedance multiples
 * (GB 3838-2002 clause 5.1) and single-factor evaluation over a whole table.  See water.h.
 */
#include <math.h>
#include <string.h>

#include "common/eg_num.h"
#include "water.h"

static int64_t round_mean(eg_i128 sum2, eg_i128 cnt, int decimals)
{
    eg_i128 den = 2 * cnt;
    if (decimals < 0 || decimals >= STD_WQ_SCALE)
        return eg_div_round128(sum2, den);
    int64_t step = eg_pow10(STD_WQ_SCALE - decimals);
    int64_t r = eg_div_round128(sum2, den * step) * step;
    if (r == 0 && sum2 != 0) {
        /* the 2020 rule: a mean that would round to 0 keeps one significant figure */
        eg_i128 mag = sum2 < 0 ? -sum2 : sum2;
        for (int k = STD_WQ_SCALE - decimals - 1; k >= 0; k--) {
            int64_t p = eg_pow10(k);
            if (mag >= den * p)
                return eg_div_round128(sum2, den * p) * p;
        }
        return eg_div_round128(sum2, den);
    }
    return r;
}

int64_t wq_round_mean(int64_t sum2, int64_t cnt, int decimals)
{
    return cnt > 0 ? round_mean(sum2, cnt, decimals) : 0;
}

void wq_mean(const struct wq_sample *s, size_t n, int decimals, bool ph, struct wq_value *ret)
{
    memset(ret, 0, sizeof(*ret));
    if (n == 0)
        return;
    if (n > UINT16_MAX)
        n = UINT16_MAX;
    eg_i128 sum2 = 0;
    int64_t maxdl = 0;
    size_t nnd = 0;
    bool equal = true;
    for (size_t i = 0; i < n; i++) {
        if (s[i].flags & WQ_ND) {
            nnd++;
            sum2 += s[i].v; /* half the detection limit, in half-units */
            if (s[i].v > maxdl)
                maxdl = s[i].v;
        } else {
            sum2 += 2 * (eg_i128)s[i].v;
        }
        if (s[i].v != s[0].v || (s[i].flags & WQ_ND) != (s[0].flags & WQ_ND))
            equal = false;
    }
    ret->n = (uint16_t)n;
    ret->nnd = (uint16_t)nnd;
    if (nnd == n) {
        ret->nd_only = true;
        ret->v = maxdl;
        return;
    }
    if (ph && !equal && nnd == 0) {
        /* pH mean = −log10(mean of 10^−pH): transcendental, so long double to 10^-6, then the
         * exact GB/T 8170 rounding to the item's digits */
        long double h = 0;
        for (size_t i = 0; i < n; i++)
            h += powl(10.0L, -(long double)s[i].v / 1e9L);
        long double x = -log10l(h / (long double)n);
        int64_t v6 = (int64_t)llroundl(x * 1e6L);
        int d = decimals < 0 || decimals > 6 ? 6 : decimals;
        ret->v = eg_rescale(v6, 6, d) * eg_pow10(STD_WQ_SCALE - d);
        return;
    }
    ret->v = round_mean(sum2, (eg_i128)n, decimals);
}

bool wq_meets(const struct std_wq_item *it, const struct wq_value *v, int k)
{
    if (!v || v->n == 0 || it->dir == STD_WQ_TEXT || it->nclass < 1)
        return false;
    if (k < 1)
        k = 1;
    if (k > it->nclass)
        k = it->nclass;
    int64_t lo = it->lo[k - 1], hi = it->hi[k - 1];
    switch (it->dir) {
    case STD_WQ_LE:
        if (hi == STD_WQ_NONE)
            return true;
        if (hi == STD_WQ_NOTDET)
            return v->nd_only;
        return v->v <= hi; /* below detection: the detection limit itself meets it */
    case STD_WQ_GE:
        return lo == STD_WQ_NONE || (!v->nd_only && v->v >= lo);
    case STD_WQ_GT:
        return lo == STD_WQ_NONE || (!v->nd_only && v->v > lo);
    case STD_WQ_RANGE:
        return lo == STD_WQ_NONE || (!v->nd_only && v->v >= lo && v->v <= hi);
    case STD_WQ_TEXT:
        break;
    }
    return false;
}

int wq_class(const struct std_wq_item *it, const struct wq_value *v)
{
    if (!v || v->n == 0 || it->dir == STD_WQ_TEXT)
        return 0;
    for (int k = 1; k <= it->nclass; k++)
        if (wq_meets(it, v, k))
            return k;
    return v->nd_only ? 0 : it->nclass + 1;
}

int64_t wq_multiple(const struct std_wq_item *it, const struct wq_value *v, int k, int scale)
{
    if (!v || v->n == 0 || v->nd_only || it->dir != STD_WQ_LE || k < 1 || k > it->nclass)
        return -1;
    int64_t hi = it->hi[k - 1];
    if (hi == STD_WQ_NONE || hi == STD_WQ_NOTDET || hi <= 0 || v->v <= hi)
        return -1;
    return eg_div_round128((eg_i128)(v->v - hi) * eg_pow10(scale), hi);
}

void wq_single_factor(const struct std_wq_table *t, const struct wq_value *means, size_t nparam,
                      bool eval21_only, bool lake, int ref_class, int target, struct wq_sf *ret)
{
    ret->table = t;
    ret->cls = 0;
    ret->n = ret->nundet = 0;
    for (size_t i = 0; i < t->n && ret->n < WQ_MAX_ITEMS; i++) {
        const struct std_wq_item *it = &t->items[i];
        if (it->dir == STD_WQ_TEXT || (eval21_only && !it->eval21) || it->param < 0 ||
            (size_t)it->param >= nparam || means[it->param].n == 0)
            continue;
        if ((!strcmp(it->key, "TP_lake") && !lake) || (!strcmp(it->key, "TP_river") && lake))
            continue;
        struct wq_sf_item *r = &ret->item[ret->n++];
        r->it = it;
        r->v = means[it->param];
        r->cls = wq_class(it, &r->v);
        r->mult_ref =
            ref_class && r->cls > ref_class ? wq_multiple(it, &r->v, ref_class, WQ_MULT_SCALE) : -1;
        r->mult_target =
            target && r->cls > target ? wq_multiple(it, &r->v, target, WQ_MULT_SCALE) : -1;
        if (r->cls == 0)
            ret->nundet++;
        else if (r->cls > ret->cls)
            ret->cls = r->cls;
    }
}
