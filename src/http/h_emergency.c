/* h_emergency.c — the emergency reduction list over HTTP: /api/emergency?year=&level= (envgov
 * emergency list --format json: the same keys in the same order): each enterprise on the year's
 * list with its performance grade and the measure and cut at the warning level.
 */
#include <string.h>

#include "http-int.h"

static const char *const levels[] = {"yellow", "orange", "red"};

struct lvl_ctx {
    struct hreq *r;
    int level;
};

static int list_one(void *ud, const struct store_grade *g)
{
    struct lvl_ctx *l = ud;
    struct fmt *f = l->r->f;
    if (!hr_row(l->r))
        return 0;
    fmt_row_begin(f);
    fmt_str(f, "uscc", g->uscc);
    fmt_str(f, "grade", g->grade);
    fmt_str(f, "industry", g->industry);
    fmt_str(f, "measure", g->measures[l->level]);
    fmt_dec(f, "cut_pct", g->cut_bp[l->level][0], 2);
    return fmt_row_end(f);
}

int h_emergency_list(struct hreq *r)
{
    const char *lv = hr_arg(r, "level");
    long y = 0;
    struct lvl_ctx l = {r, -1};
    int yrc = hr_long(r, "year", 1990, 2200, &y);
    if (yrc < 0)
        return 0;
    if (yrc > 0)
        return hr_error(r, 400, "year", "year=YYYY is required");
    for (int i = 0; lv && i < 3; i++)
        if (!strcmp(lv, levels[i]))
            l.level = i;
    if (l.level < 0)
        return hr_error(r, 400, "level", "level must be yellow, orange or red");
    if (hr_table_begin(r))
        return 0;
    return hr_table_end(r, store_work_grade_each(r->store, NULL, (int)y, list_one, &l, &r->eb),
                        "emergency");
}
