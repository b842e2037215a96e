/* store_work.c — the "work" domain of store.h (supervision: enterprise registry, work items and
 * their append-only event log, credit ratings, inspectors, draws, performance grades): argument
 * checks every back-end shares, then dispatch through struct store_ops.
 *
 * What is checked here is shape, not meaning: codes are 1..STORE_WORK_CODE_MAX bytes without
 * control characters, texts at most STORE_WORK_TEXT_MAX bytes, USCCs exactly 18 characters of
 * [0-9A-Z].  The USCC check character and the legality of a transition are supervise's rules
 * (src/supervise/), applied before these functions are called.
 */
#include <math.h>
#include <string.h>

#include "store-int.h"
#include "store.h"

static bool text_ok(const char *s, size_t max)
{
    return s && strnlen(s, max + 1) <= max;
}

static bool code_ok(const char *s)
{
    size_t n = s ? strnlen(s, STORE_WORK_CODE_MAX + 1) : 0;
    if (n == 0 || n > STORE_WORK_CODE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

static bool uscc_ok(const char *s)
{
    if (!s || strnlen(s, 19) != 18)
        return false;
    for (int i = 0; i < 18; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    return true;
}

static int bad(struct eg_errbuf *eb, const char *fn, const char *what)
{
    return eg_errf(eb, EG_EINVAL, "%s: %s", fn, what);
}

#define CHECK_USCC(fn, u)                                                        \
    do {                                                                         \
        if (!uscc_ok(u))                                                         \
            return bad(eb, fn, "the USCC must be 18 characters of 0-9 and A-Z"); \
    } while (0)

int store_work_enterprise_put(struct store *s, const struct store_enterprise *e,
                              struct eg_errbuf *eb)
{
    if (!e)
        return bad(eb, __func__, "no enterprise");
    CHECK_USCC(__func__, e->uscc);
    if (!text_ok(e->name, STORE_WORK_TEXT_MAX) || !e->name[0] ||
        !text_ok(e->industry, STORE_WORK_CODE_MAX) || !text_ok(e->region, STORE_WORK_CODE_MAX) ||
        !text_ok(e->address, STORE_WORK_TEXT_MAX) || !code_ok(e->status))
        return bad(eb, __func__, "name empty, or a field missing or too long");
    if (!(isnan(e->lon) || (e->lon >= -180.0 && e->lon <= 180.0)) ||
        !(isnan(e->lat) || (e->lat >= -90.0 && e->lat <= 90.0)))
        return eg_errf(eb, EG_ERANGE, "enterprise %s: coordinates out of range", e->uscc);
    return s->ops->work_enterprise_put(s, e, eb);
}

static int check_ent_filter(const struct store_ent_filter *f, struct eg_errbuf *eb)
{
    if (!f)
        return 0;
    if ((f->region && !code_ok(f->region)) || (f->status && !code_ok(f->status)) ||
        (f->list && !code_ok(f->list)) || (f->after && !text_ok(f->after, 18)) || f->limit < 0)
        return bad(eb, "enterprise filter", "a field is empty, too long or negative");
    return 0;
}

int store_work_enterprise_each(struct store *s, const struct store_ent_filter *f,
                               store_enterprise_cb cb, void *ud, struct eg_errbuf *eb)
{
    int rc;
    if (!cb)
        return bad(eb, __func__, "no callback");
    if ((rc = check_ent_filter(f, eb)))
        return rc;
    return s->ops->work_enterprise_each(s, f, cb, ud, eb);
}

int store_work_enterprise_get(struct store *s, const char *uscc, store_enterprise_cb cb, void *ud,
                              struct eg_errbuf *eb)
{
    if (!cb)
        return bad(eb, __func__, "no callback");
    CHECK_USCC(__func__, uscc);
    return s->ops->work_enterprise_get(s, uscc, cb, ud, eb);
}

int store_work_enterprise_count(struct store *s, const struct store_ent_filter *f, long *ret,
                                struct eg_errbuf *eb)
{
    int rc;
    if (!ret)
        return bad(eb, __func__, "no output");
    if ((rc = check_ent_filter(f, eb)))
        return rc;
    return s->ops->work_enterprise_count(s, f, ret, eb);
}

int store_work_list_put(struct store *s, const char *uscc, int year, const char *list,
                        struct eg_errbuf *eb)
{
    CHECK_USCC(__func__, uscc);
    if (!code_ok(list) || year < 1900 || year > 2200)
        return bad(eb, __func__, "list name empty or too long, or year out of range");
    return s->ops->work_list_put(s, uscc, year, list, eb);
}

int store_work_list_each(struct store *s, const char *uscc, store_list_cb cb, void *ud,
                         struct eg_errbuf *eb)
{
    if (!cb)
        return bad(eb, __func__, "no callback");
    CHECK_USCC(__func__, uscc);
    return s->ops->work_list_each(s, uscc, cb, ud, eb);
}

int store_work_permit_put(struct store *s, const struct store_permit *p, struct eg_errbuf *eb)
{
    if (!p)
        return bad(eb, __func__, "no permit");
    CHECK_USCC(__func__, p->uscc);
    if (!code_ok(p->number) || !code_ok(p->mgmt) || p->valid_to < p->valid_from)
        return bad(eb, __func__, "number or class empty or too long, or validity reversed");
    return s->ops->work_permit_put(s, p, eb);
}

int store_work_permit_each(struct store *s, const char *uscc, store_permit_cb cb, void *ud,
                           struct eg_errbuf *eb)
{
    if (!cb)
        return bad(eb, __func__, "no callback");
    CHECK_USCC(__func__, uscc);
    return s->ops->work_permit_each(s, uscc, cb, ud, eb);
}

int store_work_outlet_put(struct store *s, const struct store_outlet *o, struct eg_errbuf *eb)
{
    if (!o)
        return bad(eb, __func__, "no outlet");
    CHECK_USCC(__func__, o->uscc);
    if (!code_ok(o->code) || !text_ok(o->name, STORE_WORK_TEXT_MAX) || !code_ok(o->medium) ||
        !text_ok(o->point, STORE_WORK_CODE_MAX) || !text_ok(o->mn, STORE_WORK_CODE_MAX))
        return bad(eb, __func__, "a field is empty or too long");
    return s->ops->work_outlet_put(s, o, eb);
}

int store_work_outlet_each(struct store *s, const char *uscc, store_outlet_cb cb, void *ud,
                           struct eg_errbuf *eb)
{
    if (!cb)
        return bad(eb, __func__, "no callback");
    CHECK_USCC(__func__, uscc);
    return s->ops->work_outlet_each(s, uscc, cb, ud, eb);
}

static int check_event(const struct store_work_event *ev, bool creation, struct eg_errbuf *eb)
{
    if (!ev || !code_ok(ev->kind) || !code_ok(ev->to) || !text_ok(ev->from, STORE_WORK_CODE_MAX) ||
        (!creation && !ev->from[0]) || !code_ok(ev->actor) || !code_ok(ev->role) ||
        !text_ok(ev->note, STORE_WORK_TEXT_MAX) || !text_ok(ev->evidence, STORE_WORK_CODE_MAX * 2))
        return bad(eb, "work event", "a field is missing, empty or too long");
    if (ev->has_amount && ev->amount_fen < 0)
        return eg_errf(eb, EG_ERANGE, "work event: negative amount");
    return 0;
}

int store_work_item_new(struct store *s, const struct store_work_item *it,
                        const struct store_work_event *ev, int64_t *ret_id, struct eg_errbuf *eb)
{
    int rc;
    if (!it || !ret_id)
        return bad(eb, __func__, "no item or output");
    if (!code_ok(it->kind) || !code_ok(it->state) || !text_ok(it->title, STORE_WORK_TEXT_MAX) ||
        !it->title[0] || !text_ok(it->unit, STORE_WORK_CODE_MAX) ||
        !text_ok(it->person, STORE_WORK_CODE_MAX) || !text_ok(it->enterprise, 18) ||
        !text_ok(it->point, STORE_WORK_CODE_MAX) || !text_ok(it->round, STORE_WORK_CODE_MAX))
        return bad(eb, __func__, "title empty, or a field missing or too long");
    if (it->enterprise[0])
        CHECK_USCC(__func__, it->enterprise);
    if ((rc = check_event(ev, true, eb)))
        return rc;
    if (strcmp(ev->kind, it->kind) || strcmp(ev->to, it->state) || ev->from[0])
        return bad(eb, __func__, "the creation event does not match the item");
    return s->ops->work_item_new(s, it, ev, ret_id, eb);
}

int store_work_event_add(struct store *s, const struct store_work_event *ev, bool open,
                         struct eg_errbuf *eb)
{
    int rc;
    if ((rc = check_event(ev, false, eb)))
        return rc;
    if (ev->item <= 0)
        return bad(eb, __func__, "no item id");
    return s->ops->work_event_add(s, ev, open, eb);
}

int store_work_item_get(struct store *s, int64_t id, store_work_item_cb cb, void *ud,
                        struct eg_errbuf *eb)
{
    if (!cb)
        return bad(eb, __func__, "no callback");
    return s->ops->work_item_get(s, id, cb, ud, eb);
}

int store_work_event_each(struct store *s, int64_t item, store_work_event_cb cb, void *ud,
                          struct eg_errbuf *eb)
{
    if (!cb)
        return bad(eb, __func__, "no callback");
    return s->ops->work_event_each(s, item, cb, ud, eb);
}

static int check_filter(const struct store_work_filter *f, struct eg_errbuf *eb)
{
    if (!f)
        return bad(eb, "work filter", "no filter");
    if ((f->kind && !code_ok(f->kind)) || (f->state && !code_ok(f->state)) ||
        (f->unit && !code_ok(f->unit)) || (f->enterprise && !uscc_ok(f->enterprise)) ||
        f->limit < 0)
        return bad(eb, "work filter", "a field is empty, too long or negative");
    return 0;
}

int store_work_item_each(struct store *s, const struct store_work_filter *f, store_work_item_cb cb,
                         void *ud, struct eg_errbuf *eb)
{
    int rc;
    if (!cb)
        return bad(eb, __func__, "no callback");
    if ((rc = check_filter(f, eb)))
        return rc;
    return s->ops->work_item_each(s, f, cb, ud, eb);
}

int store_work_item_count(struct store *s, const struct store_work_filter *f, long *ret,
                          struct eg_errbuf *eb)
{
    int rc;
    if (!ret)
        return bad(eb, __func__, "no output");
    if ((rc = check_filter(f, eb)))
        return rc;
    return s->ops->work_item_count(s, f, ret, eb);
}

int store_work_group(struct store *s, const struct store_work_filter *f, enum store_work_by by,
                     store_work_group_cb cb, void *ud, struct eg_errbuf *eb)
{
    int rc;
    if (!cb || by < STORE_WORK_BY_STATE || by > STORE_WORK_BY_MONTH)
        return bad(eb, __func__, "no callback or unknown grouping");
    if ((rc = check_filter(f, eb)))
        return rc;
    return s->ops->work_group(s, f, by, cb, ud, eb);
}

int store_work_reached(struct store *s, const char *kind, int64_t created_from, int64_t created_to,
                       int64_t before, store_work_state_cb cb, void *ud, struct eg_errbuf *eb)
{
    if (!code_ok(kind) || !cb)
        return bad(eb, __func__, "kind empty or too long, or no callback");
    return s->ops->work_reached(s, kind, created_from, created_to, before, cb, ud, eb);
}

int store_work_moved(struct store *s, const char *kind, int64_t from, int64_t to_t,
                     store_work_state_cb cb, void *ud, struct eg_errbuf *eb)
{
    if (!code_ok(kind) || !cb)
        return bad(eb, __func__, "kind empty or too long, or no callback");
    return s->ops->work_moved(s, kind, from, to_t, cb, ud, eb);
}

int store_work_credit_put(struct store *s, const struct store_credit *c, int64_t *ret_id,
                          struct eg_errbuf *eb)
{
    if (!c || !ret_id)
        return bad(eb, __func__, "no rating or output");
    CHECK_USCC(__func__, c->uscc);
    if (!code_ok(c->level) || !code_ok(c->base_level) ||
        !text_ok(c->reasons, STORE_WORK_TEXT_MAX) || !text_ok(c->inputs, STORE_WORK_BLOB_MAX) ||
        !text_ok(c->rules, STORE_WORK_TEXT_MAX))
        return bad(eb, __func__, "a field is missing or too long");
    return s->ops->work_credit_put(s, c, ret_id, eb);
}

int store_work_credit_each(struct store *s, const char *uscc, store_credit_cb cb, void *ud,
                           struct eg_errbuf *eb)
{
    if (!cb)
        return bad(eb, __func__, "no callback");
    if (uscc)
        CHECK_USCC(__func__, uscc);
    return s->ops->work_credit_each(s, uscc, cb, ud, eb);
}

int store_work_credit_event_add(struct store *s, const char *uscc, int64_t at, const char *type,
                                const char *note, struct eg_errbuf *eb)
{
    CHECK_USCC(__func__, uscc);
    if (!code_ok(type) || !text_ok(note, STORE_WORK_TEXT_MAX))
        return bad(eb, __func__, "type empty or too long, or note too long");
    return s->ops->work_credit_event_add(s, uscc, at, type, note, eb);
}

int store_work_credit_event_each(struct store *s, const char *uscc, store_credit_event_cb cb,
                                 void *ud, struct eg_errbuf *eb)
{
    if (!cb)
        return bad(eb, __func__, "no callback");
    CHECK_USCC(__func__, uscc);
    return s->ops->work_credit_event_each(s, uscc, cb, ud, eb);
}

int store_work_inspector_put(struct store *s, const char *code, const char *name, const char *unit,
                             bool active, struct eg_errbuf *eb)
{
    if (!code_ok(code) || !text_ok(name, STORE_WORK_TEXT_MAX) ||
        !text_ok(unit, STORE_WORK_CODE_MAX))
        return bad(eb, __func__, "code empty or a field too long");
    return s->ops->work_inspector_put(s, code, name, unit, active, eb);
}

int store_work_inspector_each(struct store *s, store_inspector_cb cb, void *ud,
                              struct eg_errbuf *eb)
{
    if (!cb)
        return bad(eb, __func__, "no callback");
    return s->ops->work_inspector_each(s, cb, ud, eb);
}

int store_work_exclusion_put(struct store *s, const char *inspector, const char *uscc,
                             const char *reason, struct eg_errbuf *eb)
{
    CHECK_USCC(__func__, uscc);
    if (!code_ok(inspector) || !text_ok(reason, STORE_WORK_TEXT_MAX))
        return bad(eb, __func__, "inspector empty or reason too long");
    return s->ops->work_exclusion_put(s, inspector, uscc, reason, eb);
}

int store_work_exclusion_each(struct store *s, store_exclusion_cb cb, void *ud,
                              struct eg_errbuf *eb)
{
    if (!cb)
        return bad(eb, __func__, "no callback");
    return s->ops->work_exclusion_each(s, cb, ud, eb);
}

int store_work_draw_put(struct store *s, const struct store_draw *d, int64_t *ret_id,
                        struct eg_errbuf *eb)
{
    if (!d || !ret_id)
        return bad(eb, __func__, "no draw or output");
    if (!code_ok(d->pool) || !text_ok(d->algorithm, STORE_WORK_TEXT_MAX) || d->count < 0 ||
        !text_ok(d->candidates, STORE_WORK_BLOB_MAX) ||
        !text_ok(d->inspectors, STORE_WORK_BLOB_MAX) || !text_ok(d->result, STORE_WORK_BLOB_MAX))
        return bad(eb, __func__, "a field is missing or too long");
    return s->ops->work_draw_put(s, d, ret_id, eb);
}

int store_work_draw_get(struct store *s, int64_t id, store_draw_cb cb, void *ud,
                        struct eg_errbuf *eb)
{
    if (!cb)
        return bad(eb, __func__, "no callback");
    return s->ops->work_draw_get(s, id, cb, ud, eb);
}

int store_work_grade_put(struct store *s, const struct store_grade *g, struct eg_errbuf *eb)
{
    if (!g)
        return bad(eb, __func__, "no grade");
    CHECK_USCC(__func__, g->uscc);
    if (!code_ok(g->grade) || !text_ok(g->industry, STORE_WORK_TEXT_MAX) || g->year < 1900 ||
        g->year > 2200)
        return bad(eb, __func__, "grade empty, industry too long or year out of range");
    for (int l = 0; l < 3; l++) {
        if (!text_ok(g->measures[l], STORE_WORK_TEXT_MAX))
            return bad(eb, __func__, "measure text missing or too long");
        for (int p = 0; p < 4; p++)
            if (g->cut_bp[l][p] < 0 || g->cut_bp[l][p] > 10000)
                return eg_errf(eb, EG_ERANGE, "%s: reduction outside 0-100 %%", __func__);
    }
    for (int p = 0; p < 4; p++)
        if (g->emis_g[p] < 0)
            return eg_errf(eb, EG_ERANGE, "%s: negative emission", __func__);
    return s->ops->work_grade_put(s, g, eb);
}

int store_work_grade_each(struct store *s, const char *uscc, int year, store_grade_cb cb, void *ud,
                          struct eg_errbuf *eb)
{
    if (!cb)
        return bad(eb, __func__, "no callback");
    if (uscc)
        CHECK_USCC(__func__, uscc);
    return s->ops->work_grade_each(s, uscc, year, cb, ud, eb);
}

int store_work_period(struct store *s, const char *kind, int64_t from, int64_t to_t,
                      store_work_state_cb reached, store_work_state_cb moved, void *ud,
                      struct eg_errbuf *eb)
{
    if (!code_ok(kind) || !reached || !moved)
        return bad(eb, __func__, "kind empty or too long, or no callback");
    return s->ops->work_period(s, kind, from, to_t, reached, moved, ud, eb);
}
