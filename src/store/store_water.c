/* store_water.c — the water domain of the store (store.h "water"): monitoring points of every
 * water and soil medium and their sampling results.  Checks the arguments every back-end shares,
 * then dispatches through s->ops.
 */
#include <string.h>

#include "store-int.h"
#include "store.h"

static int bad_code(const char *code, struct eg_errbuf *eb)
{
    size_t n = code ? strnlen(code, STORE__CODE_MAX + 1) : 0;
    if (n == 0 || n > STORE__CODE_MAX)
        return eg_errf(eb, EG_EINVAL, "point code empty or longer than %d bytes", STORE__CODE_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '_' || c == '-'))
            return eg_errf(eb, EG_EINVAL, "point code \"%.*s\": invalid character", (int)n, code);
    }
    return 0;
}

static int bad_text(const char *s, const char *what, struct eg_errbuf *eb)
{
    if (s && strnlen(s, STORE__TEXT_MAX + 1) > STORE__TEXT_MAX)
        return eg_errf(eb, EG_EINVAL, "%s longer than %d bytes", what, STORE__TEXT_MAX);
    return 0;
}

int store_water_point_put(struct store *s, const struct store_water_point *p, struct eg_errbuf *eb)
{
    int rc;
    if (!p || (rc = bad_code(p->code, eb)))
        return p ? rc : eg_errf(eb, EG_EINVAL, "no point");
    if (!p->kind || !*p->kind)
        return eg_errf(eb, EG_EINVAL, "point %s: no kind", p->code);
    if ((rc = bad_text(p->name, "name", eb)) || (rc = bad_text(p->kind, "kind", eb)) ||
        (rc = bad_text(p->water, "water", eb)) || (rc = bad_text(p->level, "level", eb)) ||
        (rc = bad_text(p->body, "water body", eb)) || (rc = bad_text(p->county, "county", eb)) ||
        (rc = bad_text(p->land_use, "land use", eb)))
        return rc;
    if (p->target < 0 || p->target > 5)
        return eg_errf(eb, EG_EINVAL, "point %s: target class out of range", p->code);
    return s->ops->water_point_put(s, p, eb);
}

int store_water_point_each(struct store *s, const char *kind, store_water_point_cb cb, void *ud,
                           struct eg_errbuf *eb)
{
    if (!cb)
        return eg_errf(eb, EG_EINVAL, "no callback");
    return s->ops->water_point_each(s, kind, cb, ud, eb);
}

int store_water_sample_put(struct store *s, const char *point, int64_t t,
                           const struct store_water_result *r, size_t n, struct eg_errbuf *eb)
{
    int rc = bad_code(point, eb);
    if (rc)
        return rc;
    if (n > STORE_WATER_MAX_ITEMS)
        return eg_errf(eb, EG_ELIMIT, "more than %d items in one sampling", STORE_WATER_MAX_ITEMS);
    for (size_t i = 0; i < n; i++) {
        size_t k = r[i].item ? strnlen(r[i].item, STORE_WATER_ITEM_MAX + 1) : 0;
        if (k == 0 || k > STORE_WATER_ITEM_MAX)
            return eg_errf(eb, EG_EINVAL, "item name empty or longer than %d bytes",
                           STORE_WATER_ITEM_MAX);
    }
    return s->ops->water_sample_put(s, point, t, r, n, eb);
}

int store_water_sample_scan(struct store *s, int64_t from, int64_t to, const char *point,
                            store_water_sample_cb cb, void *ud, struct eg_errbuf *eb)
{
    if (!cb || from > to)
        return eg_errf(eb, EG_EINVAL, "bad sample scan arguments");
    return s->ops->water_sample_scan(s, from, to, point, cb, ud, eb);
}
