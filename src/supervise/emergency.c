/* emergency.c — heavy-pollution performance grades (绩效分级, A/B/B-/C/D and 绩效引领性) and the
 * emergency reduction list (应急减排清单): default measures per grade and warning level, and the
 * expected SO2/NOx/PM/VOCs reductions of a list at a level against the city's targets (≥ 10 % /
 * 20 % / 30 % for yellow / orange / red; Tianjin and Shandong plans, reference/supervision.md
 * §3.3 [SEC]).  Emissions are g/day, cuts basis points: sums are exact integers.  Pure.
 */
#include <string.h>

#include "common/eg_num.h"
#include "supervise.h"

const char *grade_code(const char *s)
{
    static const char *const codes[] = {"A", "B", "B-", "C", "D", "L"};
    if (!s)
        return NULL;
    if (!strcmp(s, "引领性") || !strcmp(s, "绩效引领性"))
        return "L";
    if (!strcmp(s, "B-") || !strcmp(s, "B－"))
        return "B-";
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (!strcmp(s, codes[i]))
            return codes[i];
    return NULL;
}

const char *grade_default_measure(const char *grade, enum grade_level level)
{
    const char *g = grade_code(grade);
    static const char *const lv[] = {"黄色预警", "橙色预警", "红色预警"};
    (void)lv;
    if (!g)
        return "";
    if (!strcmp(g, "A") || !strcmp(g, "L"))
        return "自主采取减排措施";
    if (!strcmp(g, "B") || !strcmp(g, "B-"))
        return level == GRADE_YELLOW ? "以限代停：限产（按行业技术指南比例）"
                                     : "以限代停：进一步限产、错峰运输";
    if (!strcmp(g, "C"))
        return level == GRADE_RED ? "以停代限：停止主要产污工序" : "以停代限：停止部分生产线";
    return level == GRADE_YELLOW ? "停产（部分行业停止部分工序）" : "停产";
}

int grade_target_bp(enum grade_level level)
{
    return level == GRADE_YELLOW ? 1000 : level == GRADE_ORANGE ? 2000 : 3000;
}

int grade_reduction_sum(const struct grade_line *lines, size_t n, enum grade_level level,
                        const int64_t total_g[4], struct grade_sum *ret, struct eg_errbuf *eb)
{
    if ((n && !lines) || !ret || level < GRADE_YELLOW || level > GRADE_RED)
        return eg_errf(eb, EG_EINVAL, "grade_reduction_sum: bad arguments");
    eg_i128 cut[4] = {0, 0, 0, 0}, base[4] = {0, 0, 0, 0};
    const eg_i128 lim = (eg_i128)INT64_MAX;
    for (size_t i = 0; i < n; i++)
        for (int p = 0; p < 4; p++) {
            if (lines[i].emis_g[p] < 0 || lines[i].cut_bp[p] < 0 || lines[i].cut_bp[p] > 10000)
                return eg_errf(eb, EG_ERANGE, "line %zu: negative emission or cut outside 0-100 %%",
                               i + 1);
            base[p] += lines[i].emis_g[p];
            cut[p] += (eg_i128)lines[i].emis_g[p] * lines[i].cut_bp[p];
            if (base[p] > lim || cut[p] > lim)
                return eg_errf(eb, EG_ERANGE, "emission sums overflow");
        }
    struct grade_sum r;
    memset(&r, 0, sizeof(r));
    int target = grade_target_bp(level);
    for (int p = 0; p < 4; p++) {
        r.base_g[p] = (int64_t)base[p];
        r.total_g[p] = total_g && total_g[p] > 0 ? total_g[p] : r.base_g[p];
        /* cut in g × bp; in mg = g × bp / 10 */
        r.cut_mg[p] = eg_div_round((int64_t)cut[p], 10);
        if (r.total_g[p] > 0) {
            r.share_bp[p] = (int32_t)eg_div_round((int64_t)cut[p], r.total_g[p]);
            r.met[p] = cut[p] >= (eg_i128)target * r.total_g[p];
        }
    }
    *ret = r;
    return 0;
}
