/* h_work.c — tracked work over HTTP: /api/work (list, new), /api/work/{id} (show with the event
 * log), /api/work/{id}/next (the legal moves for this account), /api/work/{id}/move, /api/work/
 * stats, /api/work/kinds.  Records are `envgov work list|show|stats|kinds --format json`
 * (src/cli/cmd_work.c): the same keys in the same order.  Every rule is the workflow engine's
 * (supervise.h wf_check_move, sup_work_move); this file only maps accounts to workflow roles:
 *   admin → any; leader → head, upper, office; staff → office, unit (enforcement also enforcer);
 *   enterprise → unit, and only on items linked to its own enterprise.
 * Writes are audited with the item's state before and after.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/eg_num.h"
#include "common/eg_time.h"
#include "http-int.h"
#include "records/records.h"
#include "supervise/supervise.h"

#define WORK_TEXT_MAX 4096

static bool may_act_as(const struct hreq *r, const char *wrole)
{
    const char *role = r->user.role;
    if (!strcmp(role, "admin"))
        return true;
    if (!strcmp(role, "leader"))
        return !strcmp(wrole, "head") || !strcmp(wrole, "upper") || !strcmp(wrole, "office");
    if (!strcmp(role, "staff"))
        return !strcmp(wrole, "office") || !strcmp(wrole, "unit") ||
               (!strcmp(wrole, "enforcer") && !strcmp(r->user.department, "enforcement"));
    if (!strcmp(role, "enterprise"))
        return !strcmp(wrole, "unit");
    return false;
}

/* The first of a transition's roles this account may act as (NULL: none). */
static const char *pick_role(struct hreq *r, const char *roles)
{
    const char *p = roles;
    while (p && *p) {
        size_t n = strcspn(p, ",");
        char *one = eg_arena_strndup(&r->arena, p, n);
        if (one && may_act_as(r, one))
            return one;
        p += n + (p[n] == ',');
    }
    return NULL;
}

static bool is_enterprise(const struct hreq *r)
{
    return !strcmp(r->user.role, "enterprise");
}

/* ---- records (keys as cmd_work.c prints them) ---- */

/* One item copied into the request's arena (the store's strings live only during the call). */
struct item_copy {
    struct hreq *r;
    bool got;
    struct store_work_item it;
};

static int keep_item(void *ud, const struct store_work_item *it)
{
    struct item_copy *c = ud;
    struct eg_arena *a = &c->r->arena;
    c->it = *it;
    c->it.kind = eg_arena_strndup(a, it->kind, strlen(it->kind));
    c->it.title = eg_arena_strndup(a, it->title, strlen(it->title));
    c->it.state = eg_arena_strndup(a, it->state, strlen(it->state));
    c->it.unit = eg_arena_strndup(a, it->unit, strlen(it->unit));
    c->it.person = eg_arena_strndup(a, it->person, strlen(it->person));
    c->it.enterprise = eg_arena_strndup(a, it->enterprise, strlen(it->enterprise));
    c->it.point = eg_arena_strndup(a, it->point, strlen(it->point));
    c->it.round = eg_arena_strndup(a, it->round, strlen(it->round));
    if (!c->it.kind || !c->it.title || !c->it.state || !c->it.unit || !c->it.person ||
        !c->it.enterprise || !c->it.point || !c->it.round)
        return EG_ENOMEM;
    c->got = true;
    return 0;
}

static int today(void)
{
    int32_t d;
    int sec;
    eg_beijing_from_unix((int64_t)time(NULL), &d, &sec);
    return d;
}

/* The item in the path, visible to this account; -1 with the response set otherwise. */
static int load_item(struct hreq *r, struct item_copy *ic, int64_t *ret_id)
{
    long long v;
    char *end;
    const char *s = r->pathv[0];
    v = strtoll(s, &end, 10);
    if (!*s || *end || v < 1 || v > 2000000000LL)
        return hr_error(r, 400, "id", "'%.20s' is not a work item id", s), -1;
    memset(ic, 0, sizeof(*ic));
    ic->r = r;
    int rc = store_work_item_get(r->store, v, keep_item, ic, &r->eb);
    if (rc)
        return hr_fail(r, rc), -1;
    if (is_enterprise(r) && strcmp(ic->it.enterprise, r->user.enterprise))
        return hr_error(r, 404, "id", "no work item %lld", v), -1;
    *ret_id = v;
    return 0;
}

/* ---- GET /api/work ---- */

struct list_ctx {
    struct hreq *r;
    int64_t since;
};

static int list_item(void *ud, const struct store_work_item *it)
{
    struct list_ctx *l = ud;
    if (it->updated_at < l->since || !hr_row(l->r))
        return 0;
    fmt_row_begin(l->r->f);
    rec_work(l->r->f, it);
    return fmt_row_end(l->r->f);
}

int h_work_list(struct hreq *r)
{
    struct store_work_filter flt = {
        .kind = hr_arg(r, "kind"),
        .state = hr_arg(r, "state"),
        .unit = hr_arg(r, "unit"),
        .enterprise = hr_arg(r, "enterprise"),
        .overdue = hr_flag(r, "overdue"),
        .overdue_day = today(),
    };
    struct list_ctx l = {r, INT64_MIN};
    if (flt.kind && !wf_kind_find(flt.kind))
        return hr_error(r, 400, "kind", "'%.40s' is not a kind (see /api/work/kinds)", flt.kind);
    if (flt.state && flt.kind && !wf_state_find(wf_kind_find(flt.kind), flt.state))
        return hr_error(r, 400, "state", "'%.40s' is not a state of %s", flt.state, flt.kind);
    if (hr_date(r, "today", &flt.overdue_day) < 0 || hr_instant(r, "changed_since", &l.since) < 0)
        return 0;
    if (is_enterprise(r)) {
        if (flt.enterprise && strcmp(flt.enterprise, r->user.enterprise))
            return hr_error(r, 403, "enterprise", "an enterprise account sees only its own items");
        flt.enterprise = r->user.enterprise;
    }
    if (hr_table_begin(r))
        return 0;
    return hr_table_end(r, store_work_item_each(r->store, &flt, list_item, &l, &r->eb), "work");
}

/* ---- GET /api/work/{id} ---- */

int h_work_show(struct hreq *r)
{
    struct item_copy ic;
    int64_t id;
    if (load_item(r, &ic, &id) || hr_table_begin(r))
        return 0;
    struct fmt *f = r->f;
    (void)hr_row(r);
    fmt_row_begin(f);
    rec_work(f, &ic.it);
    fmt_arr_begin(f, "events");
    int rc = store_work_event_each(r->store, id, rec_work_event, f, &r->eb);
    fmt_close(f);
    if (!rc)
        rc = fmt_row_end(f);
    return hr_record_end(r, rc, "work-item");
}

/* ---- GET /api/work/{id}/next: the legal moves from the item's state ---- */

int h_work_next(struct hreq *r)
{
    struct item_copy ic;
    int64_t id;
    if (load_item(r, &ic, &id))
        return 0;
    const struct wf_kind *k = wf_kind_find(ic.it.kind);
    json_t *a = json_array();
    for (size_t t = 0; k && t < k->ntrans; t++) {
        const struct wf_trans *tr = &k->trans[t];
        if (strcmp(tr->from, ic.it.state))
            continue;
        const char *as = pick_role(r, tr->roles);
        const struct wf_state *to = wf_state_find(k, tr->to);
        json_array_append_new(
            a, json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:s?}", "to", tr->to, "to_label",
                         to ? to->label : "", "label", tr->label, "roles", tr->roles, "note",
                         (tr->need & WF_NEED_NOTE) != 0, "evidence",
                         (tr->need & WF_NEED_EVIDENCE) != 0, "amount",
                         (tr->need & WF_NEED_AMOUNT) != 0, "allowed", as != NULL, "as", as));
    }
    return hr_json(r, 200,
                   json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)id, "kind", ic.it.kind, "state",
                             ic.it.state, "moves", a));
}

/* ---- POST /api/work/{id}/move ---- */

static json_t *item_state(const struct store_work_item *it)
{
    return json_pack("{s:I,s:s,s:s,s:b}", "id", (json_int_t)it->id, "kind", it->kind, "state",
                     it->state, "open", it->open);
}

static const char *dump(struct hreq *r, json_t *v)
{
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    const char *c = s ? eg_arena_strndup(&r->arena, s, strlen(s)) : NULL;
    free(s);
    return c;
}

/* The engine's refusals as HTTP: an illegal transition 409, a missing note/amount 422. */
static int move_fail(struct hreq *r, int rc)
{
    if (rc == EG_ESTATE)
        return hr_error(r, 409, "to", "%s", r->eb.msg[0] ? r->eb.msg : "illegal move");
    if (rc == EG_EINVAL)
        return hr_error(r, 422, r->eb.field[0] ? r->eb.field : NULL, "%s",
                        r->eb.msg[0] ? r->eb.msg : "invalid move");
    return hr_fail(r, rc);
}

static int parse_amount(struct hreq *r, json_t *b, bool *has, int64_t *fen)
{
    json_t *v = json_object_get(b, "amount");
    *has = false;
    if (!v || json_is_null(v))
        return 0;
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    char num[64];
    if (json_is_integer(v)) {
        snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
        s = num;
    }
    int dec = 0;
    if (!s || eg_dec_parse2(s, strlen(s), 2, fen, &dec) || *fen < 0 || dec > 2)
        return hr_error(r, 400, "amount",
                        "not a non-negative amount in yuan with at most 2 "
                        "decimals (give it as a string, \"1234.50\")"),
               -1;
    *has = true;
    return 0;
}

int h_work_move(struct hreq *r)
{
    struct item_copy ic;
    int64_t id;
    json_t *b = NULL;
    const char *to, *note, *evidence, *as;
    struct sup_move m;
    int rc;
    if (load_item(r, &ic, &id) || hr_body(r, &b))
        return 0;
    memset(&m, 0, sizeof(m));
    if (hr_field_str(r, b, "to", true, 64, &to) ||
        hr_field_str(r, b, "note", false, WORK_TEXT_MAX, &note) ||
        hr_field_str(r, b, "evidence", false, 64, &evidence) ||
        hr_field_str(r, b, "role", false, 16, &as) ||
        parse_amount(r, b, &m.has_amount, &m.amount_fen))
        goto out;
    if (evidence && strspn(evidence, "0123456789abcdef") != 64) {
        hr_error(r, 400, "evidence", "the evidence's BLAKE2b-256 digest as 64 hex digits");
        goto out;
    }
    const struct wf_kind *k = wf_kind_find(ic.it.kind);
    const struct wf_trans *tr = NULL;
    unsigned have = (note && *note ? WF_NEED_NOTE : 0) | (evidence ? WF_NEED_EVIDENCE : 0) |
                    (m.has_amount ? WF_NEED_AMOUNT : 0);
    /* first the transition itself (409 naming the legal targets), then who may make it */
    rc = wf_check_move(k, ic.it.state, to, NULL, WF_NEED_NOTE | WF_NEED_EVIDENCE | WF_NEED_AMOUNT,
                       &tr, &r->eb);
    if (rc) {
        move_fail(r, rc);
        goto out;
    }
    if (as && !may_act_as(r, as)) {
        hr_error(r, 403, "role", "this account may not act as %s", as);
        goto out;
    }
    if (!as && !(as = pick_role(r, tr->roles))) {
        hr_error(r, 403, "to", "%s → %s is made by %s; this account acts as none of them",
                 ic.it.state, to, tr->roles);
        goto out;
    }
    if ((rc = wf_check_move(k, ic.it.state, to, as, have, NULL, &r->eb))) {
        rc == EG_EAUTH ? hr_error(r, 403, "role", "%s", r->eb.msg) : move_fail(r, rc);
        goto out;
    }
    m.to = to;
    m.note = note;
    m.evidence = evidence;
    m.at = http__now();
    if (m.at < ic.it.updated_at)
        m.at = ic.it.updated_at;
    m.actor = r->user.name;
    m.role = as;
    const char *before = dump(r, item_state(&ic.it));
    if ((rc = store_begin(r->store, &r->eb))) {
        hr_fail(r, rc);
        goto out;
    }
    rc = sup_work_move(r->store, id, &m, &r->eb);
    struct item_copy now;
    memset(&now, 0, sizeof(now));
    now.r = r;
    if (!rc)
        rc = store_work_item_get(r->store, id, keep_item, &now, &r->eb);
    if (!rc)
        rc = hr_audit(r, hr_strf(r, "work:%lld", (long long)id), before,
                      dump(r, json_pack("{s:I,s:s,s:s,s:b,s:s,s:s?}", "id", (json_int_t)id, "kind",
                                        now.it.kind, "state", now.it.state, "open", now.it.open,
                                        "role", as, "note", note)));
    if (!rc)
        rc = store_commit(r->store, &r->eb);
    else
        store_rollback(r->store);
    if (rc) {
        move_fail(r, rc);
        goto out;
    }
    hr_json(r, 200, item_state(&now.it));
out:
    json_decref(b);
    return 0;
}

/* ---- POST /api/work ---- */

int h_work_new(struct hreq *r)
{
    json_t *b = NULL;
    struct sup_new n;
    const char *due = NULL;
    int64_t id;
    memset(&n, 0, sizeof(n));
    n.due = INT32_MIN;
    if (hr_body(r, &b))
        return 0;
    if (hr_field_str(r, b, "kind", true, 32, &n.kind) ||
        hr_field_str(r, b, "title", true, WORK_TEXT_MAX, &n.title) ||
        hr_field_str(r, b, "unit", false, 256, &n.unit) ||
        hr_field_str(r, b, "person", false, 256, &n.person) ||
        hr_field_str(r, b, "enterprise", false, 64, &n.enterprise) ||
        hr_field_str(r, b, "point", false, 64, &n.point) ||
        hr_field_str(r, b, "round", false, 64, &n.round) ||
        hr_field_str(r, b, "note", false, WORK_TEXT_MAX, &n.note) ||
        hr_field_str(r, b, "due", false, 16, &due))
        goto out;
    const struct wf_kind *k = wf_kind_find(n.kind);
    if (!k) {
        hr_error(r, 400, "kind", "'%.32s' is not a kind (see /api/work/kinds)", n.kind);
        goto out;
    }
    if (!*n.title) {
        hr_error(r, 400, "title", "title is required");
        goto out;
    }
    if (due && eg_date_parse(due, strlen(due), &n.due)) {
        hr_error(r, 400, "due", "'%.16s' is not YYYY-MM-DD", due);
        goto out;
    }
    /* the creator acts as the role of the kind's first transition it may take */
    const char *as = NULL;
    for (size_t t = 0; t < k->ntrans && !as; t++)
        as = pick_role(r, k->trans[t].roles);
    if (!as) {
        hr_error(r, 403, "kind", "this account may not create %s items", n.kind);
        goto out;
    }
    n.at = http__now();
    n.actor = r->user.name;
    n.role = as;
    int rc = store_begin(r->store, &r->eb);
    if (!rc)
        rc = sup_work_new(r->store, &n, &id, &r->eb);
    if (!rc)
        rc = hr_audit(r, hr_strf(r, "work:%lld", (long long)id), NULL,
                      dump(r, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)id, "kind", n.kind,
                                        "state", k->initial, "title", n.title)));
    if (!rc)
        rc = store_commit(r->store, &r->eb);
    else
        store_rollback(r->store);
    if (rc) {
        if (rc == EG_ENOTFOUND)
            eg_err_at(&r->eb, NULL, 0, 0, "enterprise");
        hr_fail(r, rc);
        goto out;
    }
    hr_json(r, 201,
            json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "kind", n.kind, "state", k->initial));
out:
    json_decref(b);
    return 0;
}

/* ---- GET /api/work/stats, /api/work/kinds ---- */

int h_work_stats(struct hreq *r)
{
    const char *kind = hr_arg(r, "kind");
    long year = 0;
    int32_t day = today();
    const struct wf_kind *k = kind ? wf_kind_find(kind) : NULL;
    if (!kind)
        return hr_error(r, 400, "kind", "kind is required");
    if (!k)
        return hr_error(r, 400, "kind", "'%.32s' is not a kind (see /api/work/kinds)", kind);
    int yrc = hr_long(r, "year", 1970, 2200, &year);
    if (yrc < 0 || hr_date(r, "today", &day) < 0)
        return 0;
    if (yrc > 0)
        return hr_error(r, 400, "year", "year=YYYY is required");
    struct sup_stats st;
    char sentence[512];
    int rc = sup_work_stats(r->store, k->name, (int)year, day, &st, &r->eb);
    if (rc)
        return hr_fail(r, rc);
    if (hr_table_begin(r))
        return 0;
    struct fmt *f = r->f;
    sup_work_sentence(&st, sentence, sizeof(sentence));
    (void)hr_row(r);
    fmt_row_begin(f);
    rec_work_stats(f, k, year, &st, sentence);
    return hr_table_end(r, fmt_row_end(f), "work-stats");
}

int h_work_kinds(struct hreq *r)
{
    int rc = 0;
    if (hr_table_begin(r))
        return 0;
    struct fmt *f = r->f;
    for (size_t i = 0; i < wf_kind_count() && !rc; i++) {
        const struct wf_kind *k = wf_kind_at(i);
        for (size_t t = 0; t < k->ntrans && !rc; t++) {
            const struct wf_trans *tr = &k->trans[t];
            char need[64];
            if (!hr_row(r))
                continue;
            snprintf(need, sizeof(need), "%s%s%s", tr->need & WF_NEED_NOTE ? "note " : "",
                     tr->need & WF_NEED_EVIDENCE ? "evidence " : "",
                     tr->need & WF_NEED_AMOUNT ? "amount" : "");
            fmt_row_begin(f);
            fmt_str(f, "kind", k->name);
            fmt_str(f, "from", tr->from);
            fmt_str(f, "to", tr->to);
            fmt_str(f, "roles", tr->roles);
            fmt_str(f, "needs", need);
            fmt_str(f, "label", tr->label);
            fmt_bool(f, "to_final", wf_state_find(k, tr->to)->final);
            rc = fmt_row_end(f);
        }
    }
    return hr_table_end(r, rc, "work-kinds");
}
