/* soil.c — farmland (GB 15618-2018) and construction-land (GB 36600-2018) screening through the
 * shared classification rows of standards (class 1 = screening, 2 = control).  See soil.h.
 */
#include "soil.h"

#include <string.h>

#include "common/eg_num.h"

static void judge(const struct std_wq_item *it, const struct wq_value *v, struct soil_result *ret)
{
    if (ret->n >= SOIL_MAX_ITEMS)
        return;
    struct soil_item *r = &ret->item[ret->n++];
    r->it = it;
    r->v = *v;
    r->has_control = it->hi[1] != STD_WQ_NONE;
    int c = wq_class(it, v);
    r->level = c == 0 ? SOIL_NA : (enum soil_level)c;
    r->pi =
        it->hi[0] > 0 && !v->nd_only ? eg_div_round128((eg_i128)v->v * 100, (eg_i128)it->hi[0]) : 0;
    if (r->level > ret->worst)
        ret->worst = r->level;
}

static bool control_metal(const char *key)
{
    static const char *const k[] = {"Cd", "Hg", "As", "Pb", "Cr"};
    for (size_t i = 0; i < 5; i++)
        if (!strcmp(key, k[i]))
            return true;
    return false;
}

void soil_farm_eval(const struct wq_value *means, size_t nparam, enum std_farm_use use, int64_t ph,
                    struct soil_result *ret)
{
    memset(ret, 0, sizeof(*ret));
    ret->band = -1;
    if (ph < 0 || (unsigned)use >= STD_FARM_NUSE)
        return;
    ret->band = std_farm_band(ph);
    bool above_screen = false, above_control = false;
    for (size_t i = 0; i < std_farm_count(); i++) {
        const struct std_wq_item *it = std_farm_item(i, use, ret->band);
        if (!it || it->param < 0 || (size_t)it->param >= nparam || means[it->param].n == 0)
            continue;
        judge(it, &means[it->param], ret);
        enum soil_level l = ret->item[ret->n - 1].level;
        above_screen |= l >= SOIL_BETWEEN;
        above_control |= l == SOIL_ABOVE_CONTROL && control_metal(it->key);
    }
    if (ret->n == 0)
        return;
    ret->category = above_control ? 'C' : above_screen ? 'B' : 'A';
    ret->label = ret->category == 'A'   ? "优先保护类"
                 : ret->category == 'B' ? "安全利用类"
                                        : "严格管控类";
}

void soil_build_eval(const struct wq_value *means, size_t nparam, int land_class,
                     struct soil_result *ret)
{
    memset(ret, 0, sizeof(*ret));
    ret->band = -1;
    const struct std_wq_table *t = std_wq(land_class == 2 ? STD_GB36600_L2 : STD_GB36600_L1);
    for (size_t i = 0; i < t->n; i++) {
        const struct std_wq_item *it = &t->items[i];
        if (it->param < 0 || (size_t)it->param >= nparam || means[it->param].n == 0)
            continue;
        judge(it, &means[it->param], ret);
    }
    ret->label = ret->n ? soil_level_name(ret->worst, false) : NULL;
}

const char *soil_level_name(enum soil_level l, bool farmland)
{
    switch (l) {
    case SOIL_BELOW_SCREEN:
        return "低于筛选值";
    case SOIL_BETWEEN:
        return farmland ? "介于筛选值和管制值之间" : "高于筛选值需详细调查评估";
    case SOIL_ABOVE_CONTROL:
        return "高于管制值";
    case SOIL_NA:
        break;
    }
    return "未判定";
}
