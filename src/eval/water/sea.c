/* sea.c — near-shore shares and grading (GB 3097-1997 classes; nearshore_grading.csv, HJ 442) and
 * urban black-odorous water (建城〔2015〕130号 grading and the guide's point / water-body rules).
 * See water.h.
 */
#include <string.h>

#include "common/eg_num.h"
#include "water.h"

void wq_sea_share(const int *cls, const int64_t *w, size_t n, struct wq_share *ret)
{
    const struct std_sea_grading *g = std_sea_grading();
    eg_i128 tot = 0, w12 = 0, w123 = 0, w4x = 0;
    memset(ret, 0, sizeof(*ret));
    for (size_t i = 0; i < n; i++) {
        if (cls[i] < 1 || w[i] <= 0)
            continue;
        tot += w[i];
        if (cls[i] <= 2)
            w12 += w[i];
        if (cls[i] <= 3)
            w123 += w[i];
        if (cls[i] >= 5)
            w4x += w[i];
    }
    if (tot == 0)
        return;
    ret->p12 = eg_div_round128(w12 * 10000, tot);
    ret->p123 = eg_div_round128(w123 * 10000, tot);
    ret->p4x = eg_div_round128(w4x * 10000, tot);
    /* exact comparisons of the shares with the percent thresholds */
    if (100 * w12 >= g->p12_excellent * tot)
        ret->status = g->status[0];
    else if (100 * w12 >= g->p12_good * tot)
        ret->status = g->status[1];
    else if (100 * w4x > g->p4x_bad * tot)
        ret->status = g->status[4];
    else if ((100 * w12 >= g->p12_fair * tot && 100 * w4x <= g->p4x_fair * tot) ||
             (100 * w12 < g->p12_fair * tot && 100 * w123 >= g->p123_fair * tot))
        ret->status = g->status[2];
    else
        ret->status = g->status[3];
}

enum wq_odor wq_odor_grade(const struct std_odor_row *r, int64_t v, int64_t depth)
{
    int64_t none = r->t_none, heavy = r->t_heavy;
    if (!strcmp(r->key, "SD") && depth > 0 && depth < 25 * eg_pow10(STD_WQ_SCALE)) {
        /* 水深不足25 cm时, 该指标按水深的40%取值 */
        none = eg_div_round(depth * 2, 5);
        if (heavy > none)
            heavy = none;
    }
    if (r->higher_worse)
        return v <= none ? WQ_ODOR_NONE : v > heavy ? WQ_ODOR_HEAVY : WQ_ODOR_LIGHT;
    return v >= none ? WQ_ODOR_NONE : v < heavy ? WQ_ODOR_HEAVY : WQ_ODOR_LIGHT;
}

void wq_odor_point(const struct wq_sample *s, size_t n, int64_t depth, struct wq_odor_point *ret)
{
    const struct std_odor_row *rows;
    size_t nr = std_odor_rows(&rows);
    memset(ret, 0, sizeof(*ret));
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < nr && j < 4; j++) {
            if (rows[j].param != s[i].param)
                continue;
            int64_t v = s[i].flags & WQ_ND ? s[i].v / 2 : s[i].v;
            enum wq_odor g = wq_odor_grade(&rows[j], v, depth);
            ret->n[j]++;
            ret->light[j] += g == WQ_ODOR_LIGHT;
            ret->heavy[j] += g == WQ_ODOR_HEAVY;
        }
    int over30 = 0;
    bool any = false;
    ret->grade = WQ_ODOR_NONE;
    for (size_t j = 0; j < nr && j < 4; j++) {
        if (!ret->n[j])
            continue;
        if (100 * ret->heavy[j] >= 60 * ret->n[j])
            ret->grade = WQ_ODOR_HEAVY;
        if (100 * ret->heavy[j] >= 30 * ret->n[j] && ret->heavy[j] > 0)
            over30++;
        if (ret->light[j] || ret->heavy[j])
            any = true;
    }
    if (over30 >= 2)
        ret->grade = WQ_ODOR_HEAVY;
    if (ret->grade != WQ_ODOR_HEAVY && any)
        ret->grade = WQ_ODOR_LIGHT;
}

enum wq_odor wq_odor_body(const enum wq_odor *points, size_t n)
{
    size_t heavy = 0, any = 0;
    for (size_t i = 0; i < n; i++) {
        heavy += points[i] == WQ_ODOR_HEAVY;
        any += points[i] != WQ_ODOR_NONE;
    }
    if (n && 100 * heavy >= 60 * n)
        return WQ_ODOR_HEAVY;
    return any ? WQ_ODOR_LIGHT : WQ_ODOR_NONE;
}

const char *wq_odor_name(enum wq_odor g)
{
    return g == WQ_ODOR_HEAVY ? "重度黑臭" : g == WQ_ODOR_LIGHT ? "轻度黑臭" : "不黑臭";
}
