/* surface.c — surface water: section class, status, main pollutants and attainment (GB 3838-2002
 * clause 5, 环办〔2011〕22号 §3–5), river grading (Table 2), CWQI (环办监测〔2017〕51号),
 * drinking-water sources (GB 3838 clause 5.3) and the lake trophic index TLI.  See water.h.
 */
#include <math.h>
#include <string.h>

#include "common/eg_num.h"
#include "water.h"

/* Cyanide and heavy metals are listed first among main pollutants (环办〔2011〕22号 §5). */
static bool toxic(const char *key)
{
    static const char *const k[] = {"CN", "Hg", "Cd", "Cr6", "Pb", "As", "Cu", "Zn", "Se"};
    for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
        if (!strcmp(k[i], key))
            return true;
    return false;
}

/* Does a rank before b as a main pollutant? */
static bool before(const struct wq_sf_item *a, const struct wq_sf_item *b)
{
    bool ta = toxic(a->it->key), tb = toxic(b->it->key);
    if (ta != tb)
        return ta;
    if (a->cls != b->cls)
        return a->cls > b->cls;
    return a->mult_ref > b->mult_ref;
}

void wq_section_eval(const struct wq_value *means, size_t nparam, bool lake, int target,
                     struct wq_section *ret)
{
    const struct std_wq_table *t = std_wq(STD_GB3838_T1);
    wq_single_factor(t, means, nparam, true, lake, 3, target, &ret->sf);
    ret->cls = ret->sf.cls;
    ret->status = ret->cls ? std_wq_status(ret->cls) : NULL;
    ret->target = target;
    ret->attained = target > 0 && ret->cls > 0 && ret->cls <= target;
    ret->nmain = 0;
    if (ret->cls < 4) /* 优 and 良好 have no main pollutant */
        return;
    bool used[WQ_MAX_ITEMS] = {false};
    while (ret->nmain < 3) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < ret->sf.n; i++) {
            const struct wq_sf_item *x = &ret->sf.item[i];
            if (used[i] || x->cls <= 3)
                continue;
            if (best == SIZE_MAX || before(x, &ret->sf.item[best]))
                best = i;
        }
        if (best == SIZE_MAX)
            break;
        used[best] = true;
        ret->main[ret->nmain++] = best;
    }
}

const char *wq_river_grade(size_t n13, size_t n6, size_t n)
{
    const struct std_river_grading *g = std_river_grading();
    if (n < 5)
        return NULL;
    if (100 * n13 >= (size_t)g->excellent * n)
        return g->status[0];
    if (100 * n13 >= (size_t)g->good * n)
        return g->status[1];
    if (100 * n6 < (size_t)g->light * n)
        return g->status[2];
    if (100 * n6 < (size_t)g->moderate * n)
        return g->status[3];
    return g->status[4];
}

void wq_cwqi(const struct wq_value *means, size_t nparam, bool lake, struct wq_cwqi *ret)
{
    const struct std_cwqi_row *rows;
    size_t nr = std_cwqi_rows(&rows);
    const int64_t one = eg_pow10(STD_WQ_SCALE);
    memset(ret, 0, sizeof(*ret));
    for (size_t i = 0; i < nr && i < WQ_CWQI_ROWS; i++) {
        const struct std_cwqi_row *r = &rows[i];
        const struct wq_value *v = (size_t)r->param < nparam ? &means[r->param] : NULL;
        ret->item[i] = -1;
        if (!v || v->n == 0 || (r->lake_only && !lake) || (r->river_only && lake))
            continue;
        /* concentration in half-units: a below-detection mean counts as half its limit */
        eg_i128 c2 = v->nd_only ? (eg_i128)v->v : 2 * (eg_i128)v->v;
        int64_t x;
        if (r->kind == STD_CWQI_PH) {
            int64_t d = v->v - 7 * one;
            x = d <= 0 ? -d : eg_div_round(d, 2);
        } else if (r->kind == STD_CWQI_DO) {
            if (c2 <= 0)
                continue;
            x = eg_div_round128(2 * (eg_i128)r->cs * one, c2);
        } else {
            x = eg_div_round128(c2 * one, 2 * (eg_i128)r->cs);
        }
        ret->item[i] = x;
        ret->total += x;
        ret->nitems++;
    }
}

int64_t wq_cwqi_city(int64_t river, size_t m, int64_t lake, size_t n)
{
    if (m + n == 0)
        return 0;
    return eg_div_round128((eg_i128)river * (eg_i128)m + (eg_i128)lake * (eg_i128)n,
                           (eg_i128)(m + n));
}

int64_t wq_cwqi_round4(int64_t v)
{
    return eg_div_round(v, eg_pow10(STD_WQ_SCALE - 4));
}

int64_t wq_cwqi_change(int64_t now, int64_t before)
{
    int64_t a = wq_cwqi_round4(now), b = wq_cwqi_round4(before);
    if (b <= 0)
        return 0;
    return eg_div_round128((eg_i128)(a - b) * 10000, b);
}

static void drink_add(struct wq_drinking *ret, const struct wq_sf *sf, int cls_limit)
{
    for (size_t i = 0; i < sf->n; i++) {
        ret->n++;
        if (sf->item[i].cls > cls_limit) {
            if (ret->nfail < sizeof(ret->fail) / sizeof(ret->fail[0]))
                ret->fail[ret->nfail] = sf->item[i];
            ret->nfail++;
        }
    }
}

void wq_drinking_eval(const struct wq_value *means, size_t nparam, bool ground, bool lake,
                      struct wq_drinking *ret)
{
    struct wq_sf sf;
    memset(ret, 0, sizeof(*ret));
    if (ground) {
        wq_single_factor(std_wq(STD_GBT14848), means, nparam, false, false, 3, 0, &sf);
        drink_add(ret, &sf, 3);
    } else {
        wq_single_factor(std_wq(STD_GB3838_T1), means, nparam, true, lake, 3, 0, &sf);
        drink_add(ret, &sf, 3);
        wq_single_factor(std_wq(STD_GB3838_T2), means, nparam, false, false, 1, 0, &sf);
        drink_add(ret, &sf, 1);
        wq_single_factor(std_wq(STD_GB3838_T3), means, nparam, false, false, 1, 0, &sf);
        drink_add(ret, &sf, 1);
    }
    ret->compliant = ret->n > 0 && ret->nfail == 0;
}

void wq_tli(const struct wq_value *means, size_t nparam, struct wq_tli *ret)
{
    const struct std_tli *t = std_tli();
    long double sum = 0;
    memset(ret, 0, sizeof(*ret));
    for (int j = 0; j < 5; j++) {
        const struct std_tli_row *r = &t->row[j];
        if (r->param < 0 || (size_t)r->param >= nparam || means[r->param].n == 0)
            return;
        const struct wq_value *v = &means[r->param];
        long double x = (long double)v->v / 1e9L / (v->nd_only ? 2 : 1);
        if (!(x > 0))
            return;
        long double tj = 10.0L * ((long double)r->a + (long double)r->b * logl(x));
        ret->part[j] = (int64_t)nearbyintl(tj * 10.0L);
        sum += tj * (long double)r->w;
    }
    ret->valid = true;
    ret->tli = (int64_t)nearbyintl(sum / 1e4L * 10.0L);
    int g = ret->tli < t->bound[0]    ? 0
            : ret->tli <= t->bound[1] ? 1
            : ret->tli <= t->bound[2] ? 2
            : ret->tli <= t->bound[3] ? 3
                                      : 4;
    ret->grade = t->grade[g];
}
