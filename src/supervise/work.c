/* work.c — work items over the store: create, move (the engine's rules, then one appended event),
 * evidence hashes, and year statistics computed from items and events (never stored counters),
 * with the annual report's sentences.
 *
 * Time: events carry UTC epoch seconds; a year is the Beijing civil year.  `--at` lets an import
 * of past years record events in their real order: a move may not precede the item's last event.
 * Money is integer fen; the report's 万元 figures are fen / 10^6 to 2 decimals (GB/T 8170).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "common/eg_num.h"
#include "common/eg_time.h"
#include "store/store.h"
#include "supervise-int.h"

struct item_snap {
    char kind[STORE_WORK_CODE_MAX + 1];
    char state[STORE_WORK_CODE_MAX + 1];
    int64_t created_at, updated_at;
};

static int snap_cb(void *ud, const struct store_work_item *it)
{
    struct item_snap *s = ud;
    snprintf(s->kind, sizeof(s->kind), "%s", it->kind);
    snprintf(s->state, sizeof(s->state), "%s", it->state);
    s->created_at = it->created_at;
    s->updated_at = it->updated_at;
    return 0;
}

static int ent_exists(void *ud, const struct store_enterprise *e)
{
    (void)ud;
    (void)e;
    return 0;
}

static const char *first_role(const char *roles, char *buf, size_t n)
{
    const char *c = strchr(roles, ',');
    size_t len = c ? (size_t)(c - roles) : strlen(roles);
    snprintf(buf, n, "%.*s", (int)len, roles);
    return buf;
}

int sup_work_new(struct store *s, const struct sup_new *n, int64_t *ret_id, struct eg_errbuf *eb)
{
    int rc;
    if (!n || !ret_id)
        return eg_errf(eb, EG_EINVAL, "sup_work_new: no request");
    const struct wf_kind *k = wf_kind_find(n->kind);
    if (!k) {
        char list[256] = "";
        size_t len = 0;
        for (size_t i = 0; i < wf_kind_count(); i++) {
            int w =
                snprintf(list + len, sizeof(list) - len, "%s%s", i ? " " : "", wf_kind_at(i)->name);
            if (w > 0 && (size_t)w < sizeof(list) - len)
                len += (size_t)w;
        }
        return eg_errf(eb, EG_EINVAL, "unknown kind '%s' (kinds: %s)", n->kind ? n->kind : "",
                       list);
    }
    if (n->enterprise && *n->enterprise) {
        char why[160];
        if (uscc_check(n->enterprise, strlen(n->enterprise), why, sizeof(why)))
            return eg_errf(eb, EG_EINVAL, "--enterprise %s: %s", n->enterprise, why);
        if ((rc = store_work_enterprise_get(s, n->enterprise, ent_exists, NULL, eb)))
            return rc;
    }
    const struct wf_state *st0 = wf_state_find(k, k->initial);
    int32_t due = n->due;
    if (due == INT32_MIN && k->due_days > 0) {
        int32_t day;
        int sec;
        eg_beijing_from_unix(n->at, &day, &sec);
        due = day + k->due_days;
    }
    struct store_work_item it = {
        .kind = k->name,
        .title = n->title ? n->title : "",
        .state = k->initial,
        .open = st0 ? !st0->final : true,
        .unit = n->unit ? n->unit : "",
        .person = n->person ? n->person : "",
        .enterprise = n->enterprise ? n->enterprise : "",
        .point = n->point ? n->point : "",
        .round = n->round ? n->round : "",
        .due = due,
    };
    struct store_work_event ev = {
        .kind = k->name,
        .at = n->at,
        .actor = n->actor && *n->actor ? n->actor : "cli",
        .role = n->role && *n->role ? n->role : "office",
        .from = "",
        .to = k->initial,
        .note = n->note ? n->note : "",
        .evidence = "",
    };
    return store_work_item_new(s, &it, &ev, ret_id, eb);
}

int sup_work_move(struct store *s, int64_t id, const struct sup_move *m, struct eg_errbuf *eb)
{
    struct item_snap snap;
    const struct wf_trans *t = NULL;
    char role[STORE_WORK_CODE_MAX + 1];
    int rc;
    if (!m || !m->to)
        return eg_errf(eb, EG_EINVAL, "sup_work_move: no target state");
    if ((rc = store_work_item_get(s, id, snap_cb, &snap, eb)))
        return rc;
    const struct wf_kind *k = wf_kind_find(snap.kind);
    if (!k)
        return eg_errf(eb, EG_ESTATE, "item %lld has kind %s, which this envgov does not know",
                       (long long)id, snap.kind);
    unsigned have = (m->note && *m->note ? WF_NEED_NOTE : 0u) |
                    (m->evidence && *m->evidence ? WF_NEED_EVIDENCE : 0u) |
                    (m->has_amount ? WF_NEED_AMOUNT : 0u);
    if ((rc = wf_check_move(k, snap.state, m->to, m->role && *m->role ? m->role : NULL, have, &t,
                            eb))) {
        char msg[EG_ERRBUF_MSG];
        snprintf(msg, sizeof(msg), "%s", eb ? eb->msg : "");
        return eg_errf(eb, rc, "item %lld: %s", (long long)id, msg);
    }
    if (m->at < snap.updated_at) {
        char a[32], b[32];
        eg_unix_format_iso(m->at, a, sizeof(a));
        eg_unix_format_iso(snap.updated_at, b, sizeof(b));
        return eg_errf(eb, EG_ERANGE,
                       "item %lld: event time %s precedes its last event (%s); events are "
                       "recorded in order",
                       (long long)id, a, b);
    }
    if (m->has_amount && m->amount_fen < 0)
        return eg_errf(eb, EG_ERANGE, "item %lld: negative amount", (long long)id);
    const struct wf_state *to = wf_state_find(k, m->to);
    struct store_work_event ev = {
        .item = id,
        .kind = k->name,
        .at = m->at,
        .actor = m->actor && *m->actor ? m->actor : "cli",
        .role = m->role && *m->role ? m->role : first_role(t->roles, role, sizeof(role)),
        .from = snap.state,
        .to = m->to,
        .note = m->note ? m->note : "",
        .evidence = m->evidence ? m->evidence : "",
        .has_amount = m->has_amount,
        .amount_fen = m->amount_fen,
    };
    return store_work_event_add(s, &ev, !to->final, eb);
}

int sup_evidence_hash(const char *path, char out[65], struct eg_errbuf *eb)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return eg_errf(eb, EG_EIO, "cannot open evidence file %s", path);
    if (sodium_init() < 0) {
        fclose(fp);
        return eg_errf(eb, EG_EIO, "libsodium failed to initialise");
    }
    crypto_generichash_state st;
    unsigned char buf[65536], digest[32];
    size_t n, total = 0;
    int rc = 0;
    crypto_generichash_init(&st, NULL, 0, sizeof(digest));
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
        total += n;
        if (total > ((size_t)256 << 20)) {
            rc = eg_errf(eb, EG_ELIMIT, "evidence file %s is larger than 256 MiB", path);
            break;
        }
        crypto_generichash_update(&st, buf, n);
    }
    if (!rc && ferror(fp))
        rc = eg_errf(eb, EG_EIO, "cannot read evidence file %s", path);
    fclose(fp);
    if (rc)
        return rc;
    crypto_generichash_final(&st, digest, sizeof(digest));
    sodium_bin2hex(out, 65, digest, sizeof(digest));
    return 0;
}

/* ---- statistics ---- */

struct stats_ctx {
    const struct wf_kind *k;
    long *items;
    int64_t *amount;
};

static int state_cb(void *ud, const char *state, long items, int64_t amount_fen)
{
    struct stats_ctx *c = ud;
    for (size_t i = 0; i < c->k->nstates && i < 16; i++)
        if (!strcmp(c->k->states[i].code, state)) {
            c->items[i] = items;
            if (c->amount)
                c->amount[i] = amount_fen;
        }
    return 0;
}

/* store_work_period's two callbacks share one ud: [0] reached, [1] moved. */
static int reached_cb(void *ud, const char *state, long items, int64_t amount_fen)
{
    return state_cb(&((struct stats_ctx *)ud)[0], state, items, amount_fen);
}

static int moved_cb(void *ud, const char *state, long items, int64_t amount_fen)
{
    return state_cb(&((struct stats_ctx *)ud)[1], state, items, amount_fen);
}

int sup_work_stats(struct store *s, const char *kind, int year, int32_t today,
                   struct sup_stats *ret, struct eg_errbuf *eb)
{
    int rc;
    const struct wf_kind *k = wf_kind_find(kind);
    if (!k || !ret)
        return eg_errf(eb, EG_EINVAL, "unknown kind '%s'", kind ? kind : "");
    if (year < 1970 || year > 2200)
        return eg_errf(eb, EG_ERANGE, "year %d out of range", year);
    const struct sup__kind *sk = sup__kind_of(k);
    struct sup_stats st;
    memset(&st, 0, sizeof(st));
    st.kind = k->name;
    st.year = year;
    int64_t start = eg_unix_from_beijing(eg_days_from_civil(year, 1, 1), 0);
    int64_t end = eg_unix_from_beijing(eg_days_from_civil(year + 1, 1, 1), 0);
    int64_t cfrom = sk->cumulative ? INT64_MIN : start;
    struct store_work_filter f = {
        .kind = k->name, .created = true, .created_from = cfrom, .created_to = end};
    if ((rc = store_work_item_count(s, &f, &st.created, eb)))
        return rc;
    struct stats_ctx c[2] = {{k, st.reached, NULL}, {k, st.moved, st.moved_amount}};
    if (!sk->cumulative) {
        /* the year's items and the year's events: one pass over the year's events */
        if ((rc = store_work_period(s, k->name, start, end, reached_cb, moved_cb, c, eb)))
            return rc;
    } else if ((rc = store_work_reached(s, k->name, cfrom, end, end, state_cb, &c[0], eb)) ||
               (rc = store_work_moved(s, k->name, start, end, state_cb, &c[1], eb))) {
        return rc;
    }
    for (size_t i = 0; i < k->nstates && i < 16; i++)
        if (!strcmp(k->states[i].code, sk->done))
            st.closed = st.reached[i];
    st.open = st.created - st.closed;
    f.overdue = true;
    f.overdue_day = today;
    if ((rc = store_work_item_count(s, &f, &st.overdue, eb)))
        return rc;
    *ret = st;
    return 0;
}

static long of(const struct wf_kind *k, const long *v, const char *state)
{
    for (size_t i = 0; i < k->nstates && i < 16; i++)
        if (!strcmp(k->states[i].code, state))
            return v[i];
    return 0;
}

static int64_t amount_of(const struct sup_stats *st, const struct wf_kind *k, const char *state)
{
    for (size_t i = 0; i < k->nstates && i < 16; i++)
        if (!strcmp(k->states[i].code, state))
            return st->moved_amount[i];
    return 0;
}

/* fen → 万元 with 2 decimals ("3251.63"). */
static void wan(int64_t fen, char *buf, size_t n)
{
    eg_dec_format(eg_div_round(fen, 10000), 2, buf, n);
}

size_t sup_work_sentence(const struct sup_stats *st, char *buf, size_t n)
{
    const struct wf_kind *k = st ? wf_kind_find(st->kind) : NULL;
    char a[32], b[32];
    int w = 0;
    if (!k || !n)
        return 0;
    if (!strcmp(k->name, "hazard"))
        w = snprintf(buf, n, "共发现隐患问题%ld项，整改完成%ld项，剩余%ld项", st->created,
                     st->closed, st->open);
    else if (!strcmp(k->name, "case")) {
        wan(amount_of(st, k, "decided"), a, sizeof(a));
        w = snprintf(buf, n,
                     "立案%ld件，下达处罚决定书%ld份，不予处罚决定书%ld份，刑事移送案件%ld件，"
                     "累计处罚金额%s万元",
                     st->created, of(k, st->moved, "decided"), of(k, st->moved, "no_penalty"),
                     of(k, st->moved, "transferred"), a);
    } else if (!strcmp(k->name, "rectification"))
        w = snprintf(buf, n, "督察整改任务%ld项，已完成%ld项，%ld项正按整改目标持续推进",
                     st->created, st->closed, st->open);
    else if (!strcmp(k->name, "petition"))
        w = st->open == 0 ? snprintf(buf, n, "%ld件群众信访举报案件已全部办结销号", st->created)
                          : snprintf(buf, n, "群众信访举报案件%ld件，已办结%ld件，办理中%ld件",
                                     st->created, st->closed, st->open);
    else if (!strcmp(k->name, "compensation")) {
        wan(amount_of(st, k, "agreed"), a, sizeof(a));
        wan(amount_of(st, k, "judged"), b, sizeof(b));
        w = snprintf(buf, n,
                     "立案生态环境损害赔偿案件%ld件，磋商达成协议%ld件、协议金额%s万元，"
                     "判决%ld件、判决金额%s万元",
                     st->created, of(k, st->moved, "agreed"), a, of(k, st->moved, "judged"), b);
    } else
        w = snprintf(buf, n, "%s%ld项，已办结%ld项，剩余%ld项", k->label, st->created, st->closed,
                     st->open);
    if (w < 0)
        return 0;
    return (size_t)w < n ? (size_t)w : n - 1;
}
