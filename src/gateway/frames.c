/* frames.c — what the gateway does with each frame: device lookup and authentication, readings,
 * quarantine, replies, per-device state and alarms.
 *
 * Rules (docs/hj212.md "The gateway"):
 * - Unknown or disabled MN: the frame goes to the quarantine (never to readings); with Flag A the
 *   device gets 9011 QnRtn=4 (wrong MN, HJ 212-2017 Table 7) after the commit.
 * - Wrong PW: rejected and counted; with Flag A, 9011 QnRtn=3 at once.
 * - Uploads (2011, 2021, 2031, 2041, 2051, 2061, 2072, 2081, 3019, 3020): one reading per frame
 *   keyed (MN, CN, DataTime); each sub-packet separately; with Flag A a 9014 echoing the frame's
 *   QN is queued with the reading and sent only after the commit returns (writer.c).
 * - 1013 (time calibration request, a notify): 9013 at once.  Heartbeats (8013, 9015) and other
 *   frames with Flag A: 9014 at once (nothing to store).  9011/9012 and answers carrying a QN we
 *   sent go to the downlink correlation (downlink.c).
 * - Exceedance: the Rtd (2011) or Avg (2051/2061/2031) of an item above the limit set for the
 *   device's point and that item raises an alarm, compared exactly (scaled integers).
 * - Missing hourly data: for a device that has sent 2061 before, no 2061 for the hour that ended
 *   hourly_grace_s ago raises one alarm per hour.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/eg_num.h"
#include "common/eg_time.h"
#include "gateway-int.h"

/* ---- registry ---- */

static size_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return (size_t)(h % GW_DEV_BUCKETS);
}

struct gw_dev *gw__dev_find(struct gw *g, const char *mn, size_t n)
{
    if (n == 0 || n > STORE_HJ212_MN_MAX)
        return NULL;
    for (struct gw_dev *d = g->dev[hash(mn, n)]; d; d = d->next)
        if (strlen(d->mn) == n && memcmp(d->mn, mn, n) == 0)
            return d;
    return NULL;
}

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static struct gw_dev *dev_add(struct gw *g, const char *mn)
{
    size_t n = strlen(mn);
    struct gw_dev *d = gw__dev_find(g, mn, n);
    if (d)
        return d;
    if (n == 0 || n > STORE_HJ212_MN_MAX || !(d = eg_calloc(1, sizeof(*d))))
        return NULL;
    memcpy(d->mn, mn, n + 1);
    d->s.mn = d->mn;
    d->s.peer = d->peer;
    size_t h = hash(mn, n);
    d->next = g->dev[h];
    g->dev[h] = d;
    g->ndev++;
    return d;
}

static int load_dev(void *ud, const struct store_hj212_device *sd)
{
    struct gw *g = ud;
    struct gw_dev *d = dev_add(g, sd->mn);
    if (!d)
        return EG_ENOMEM;
    copy(d->pw, sizeof(d->pw), sd->pw);
    copy(d->point, sizeof(d->point), sd->point);
    copy(d->st, sizeof(d->st), sd->st);
    d->protocol = sd->protocol;
    d->crc = sd->crc;
    d->enabled = sd->enabled;
    d->registered = true;
    return 0;
}

static int load_state(void *ud, const struct store_hj212_state *st)
{
    struct gw *g = ud;
    struct gw_dev *d = st->mn[0] ? gw__dev_find(g, st->mn, strlen(st->mn)) : &g->anon;
    if (!d)
        return 0;
    d->s = *st;
    d->s.mn = d->mn;
    d->s.peer = d->peer;
    copy(d->peer, sizeof(d->peer), st->peer);
    if (d->s.online) { /* a previous run ended without recording it */
        d->s.online = false;
        d->dirty = d->urgent = true;
    }
    return 0;
}

static int load_limit(void *ud, const char *point, const char *item, const char *max)
{
    struct gw *g = ud;
    struct gw_limit *l = &g->limits[g->nlimits];
    copy(l->point, sizeof(l->point), point);
    copy(l->item, sizeof(l->item), item);
    int dec = 0;
    if (eg_dec_parse2(max, strlen(max), 9, &l->num, &dec) != 0)
        return 0;
    l->num = eg_rescale(l->num, 9, dec);
    l->scale = dec;
    g->nlimits++;
    return 0;
}

static int count_limit(void *ud, const char *point, const char *item, const char *max)
{
    (void)point, (void)item, (void)max;
    (*(size_t *)ud)++;
    return 0;
}

int gw__registry_load(struct gw *g, struct eg_errbuf *eb)
{
    int rc;
    int64_t stamp;
    /* the stamp is read first: a change made while loading makes the next call load again */
    if ((rc = store_hj212_registry_stamp(g->rs, &stamp, eb)))
        return rc;
    if (g->registry_loaded && stamp == g->registry_stamp)
        return 0;
    if ((rc = store_hj212_device_each(g->rs, NULL, load_dev, g, eb)))
        return rc;
    if (!g->states_loaded) {
        if ((rc = store_hj212_state_each(g->rs, NULL, load_state, g, eb)))
            return rc;
        g->states_loaded = true;
    }
    size_t n = 0;
    if ((rc = store_hj212_limit_each(g->rs, count_limit, &n, eb)))
        return rc;
    struct gw_limit *l = eg_calloc(n ? n : 1, sizeof(*l));
    if (!l)
        return eg_errf(eb, EG_ENOMEM, "out of memory loading limits");
    eg_free(g->limits);
    g->limits = l;
    g->nlimits = 0;
    if ((rc = store_hj212_limit_each(g->rs, load_limit, g, eb)))
        return rc;
    g->registry_stamp = stamp;
    g->registry_loaded = true;
    return 0;
}

/* ---- jobs ---- */

char *gw__dup(struct gw *g, const char *s, size_t n)
{
    return eg_arena_strndup(&g->fill->arena, s ? s : "", s ? n : 0);
}

static struct gw_batch *batch_new(struct gw *g)
{
    struct gw_batch *b = g->free_batches;
    if (b) {
        g->free_batches = b->next;
        b->next = NULL;
        return b;
    }
    b = eg_calloc(1, sizeof(*b));
    if (b)
        eg_arena_init(&b->arena, 0);
    return b;
}

struct gw_job *gw__job(struct gw *g, enum gw_job_kind kind, struct gw_conn *c)
{
    /* a full batch goes to the writer now; safe because each caller fills its job (and dups
     * into the fill batch's arena) before it asks for the next one */
    if (g->fill && g->fill->n >= g->o.max_txn)
        gw__batch_submit(g);
    if (!g->fill && !(g->fill = batch_new(g)))
        return NULL;
    struct gw_batch *b = g->fill;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        struct gw_job *j = eg_realloc(b->jobs, cap * sizeof(*j));
        if (!j)
            return NULL;
        b->jobs = j;
        b->cap = cap;
    }
    struct gw_job *j = &b->jobs[b->n++];
    memset(j, 0, sizeof(*j));
    j->kind = kind;
    if (c) {
        j->conn = c;
        c->refs++;
    }
    return j;
}

/* ---- helpers ---- */

static bool str_eq(struct hj212_str s, const char *z)
{
    size_t n = strlen(z);
    return s.p && s.n == n && memcmp(s.p, z, n) == 0;
}

static int64_t time_ms(const struct hj212_time *t)
{
    int32_t day = eg_days_from_civil(t->year, t->month, t->day);
    return eg_unix_from_beijing(day, t->hour * 3600 + t->minute * 60 + t->second) * 1000 + t->msec;
}

static void touch(struct gw *g, struct gw_dev *d, struct gw_conn *c)
{
    uint64_t now = c->last_ms ? c->last_ms : gw__now_ms();
    int64_t now_s = (int64_t)(now / 1000u);
    int64_t hour = now_s - now_s % 3600;
    if (d->s.hour_s != hour) {
        d->s.frames_prev_hour = d->s.hour_s == hour - 3600 ? d->s.frames_hour : 0;
        d->s.frames_hour = 0;
        d->s.hour_s = hour;
    }
    d->s.last_seen_s = now_s;
    d->dirty = true;
    (void)g;
}

static void count_reject(struct gw_conn *c, struct gw_dev *d, enum store_hj212_rej r)
{
    if (!d)
        d = c->dev ? c->dev : &c->g->anon;
    d->s.rej[r]++;
    d->dirty = true;
    c->g->stats.rejected++;
}

void gw__on_reject(struct gw_conn *c, hj212_reject reason)
{
    enum store_hj212_rej r;
    switch (reason) {
    case HJ212_REJ_BAD_LENGTH:
        r = STORE_HJ212_REJ_BAD_LENGTH;
        break;
    case HJ212_REJ_OVERSIZE:
        r = STORE_HJ212_REJ_OVERSIZE;
        break;
    case HJ212_REJ_LENGTH_MISMATCH:
        r = STORE_HJ212_REJ_LENGTH;
        break;
    case HJ212_REJ_CRC:
        r = STORE_HJ212_REJ_CRC;
        break;
    case HJ212_REJ_TRUNCATED:
        r = STORE_HJ212_REJ_TRUNCATED;
        break;
    default:
        r = STORE_HJ212_REJ_STRAY;
        break;
    }
    count_reject(c, NULL, r);
}

static void reply_now(struct gw_conn *c, int kind, int code)
{
    char buf[GW_ACK_MAX];
    size_t n = 0;
    int rc;
    const struct hj212_record *r = &c->g->rec;
    if (kind == 9011)
        rc = hj212_build_qn_rtn(buf, sizeof(buf), r, code, &n);
    else if (kind == 9013)
        rc = hj212_build_notify_ack(buf, sizeof(buf), r, &n);
    else
        rc = hj212_build_data_ack(buf, sizeof(buf), r, &n);
    if (rc == 0) {
        gw__send(c, buf, n);
        c->g->stats.acks++;
    }
}

/* Reply bytes for after the commit, in the batch arena. */
static void reply_later(struct gw_job *j, struct gw_conn *c, int kind, int code)
{
    char buf[GW_ACK_MAX];
    size_t n = 0;
    const struct hj212_record *r = &c->g->rec;
    int rc = kind == 9011 ? hj212_build_qn_rtn(buf, sizeof(buf), r, code, &n)
                          : hj212_build_data_ack(buf, sizeof(buf), r, &n);
    if (rc == 0 && (j->ack = gw__dup(c->g, buf, n)))
        j->ack_len = n;
}

static bool is_upload(int cn)
{
    switch (cn) {
    case 2011:
    case 2021:
    case 2031:
    case 2041:
    case 2051:
    case 2061:
    case 2072:
    case 2081:
    case 3019:
    case 3020:
        return true;
    default:
        return false;
    }
}

/* Compare a × 10^-as with b × 10^-bs exactly: <0, 0, >0. */
static int dec_cmp(int64_t a, int as, int64_t b, int bs)
{
    eg_i128 x = a, y = b;
    for (; as < bs; as++)
        x *= 10;
    for (; bs < as; bs++)
        y *= 10;
    return x < y ? -1 : x > y;
}

static void check_limits(struct gw *g, struct gw_dev *d, struct gw_conn *c, int cn, int64_t t_ms,
                         const char *item, const struct hj212_field *f)
{
    const char *want = cn == 2011 ? "Rtd" : "Avg";
    if (f->name.n != 3 || memcmp(f->name.p, want, 3) != 0)
        return;
    struct hj212_num fv = hj212_field_num(f);
    if (!fv.ok)
        return;
    for (size_t i = 0; i < g->nlimits; i++) {
        struct gw_limit *l = &g->limits[i];
        if (strcmp(l->point, d->point) != 0 || strcmp(l->item, item) != 0)
            continue;
        if (dec_cmp(fv.num, fv.scale, l->num, l->scale) <= 0)
            return;
        struct gw_job *j = gw__job(g, GW_J_ALARM, NULL);
        if (!j)
            return;
        char lim[48], msg[160];
        eg_dec_format(l->num, l->scale, lim, sizeof(lim));
        snprintf(msg, sizeof(msg), "%s %s %.*s above the limit %s", item, want, (int)f->value.n,
                 f->value.p, lim);
        j->u.al = (struct store_hj212_alarm){
            .time_s = (int64_t)(gw__now_ms() / 1000u),
            .mn = gw__dup(g, d->mn, strlen(d->mn)),
            .point = gw__dup(g, d->point, strlen(d->point)),
            .kind = "exceed",
            .item = gw__dup(g, item, strlen(item)),
            .cn = cn,
            .data_ms = t_ms,
            .value = gw__dup(g, f->value.p, f->value.n),
            .limit = gw__dup(g, lim, strlen(lim)),
            .message = gw__dup(g, msg, strlen(msg)),
        };
        (void)c;
        return;
    }
}

static void store_reading(struct gw_conn *c, struct gw_dev *d, const struct hj212_record *r)
{
    struct gw *g = c->g;
    struct store_hj212_vals v = {g->vals, 0, sizeof(g->vals)};
    int64_t t = r->p.data_time_v.ok ? time_ms(&r->p.data_time_v) : (int64_t)c->last_ms;
    for (uint32_t i = 0; i < r->nitems; i++) {
        const struct hj212_item *it = &r->items[i];
        const char *code = it->code_2017;
        size_t code_n = code ? strlen(code) : it->code.n;
        if (!code)
            code = it->code.p;
        for (int32_t k = it->first; k >= 0; k = r->fields[k].next) {
            const struct hj212_field *f = &r->fields[k];
            if (store_hj212_vals_add(&v, code, code_n, f->name.p, f->name.n, f->value.p,
                                     f->value.n) != 0) {
                count_reject(c, d, STORE_HJ212_REJ_PARSE);
                return;
            }
        }
    }
    /* 2081 (restart time) and item-less uploads keep their parameters as item "" entries */
    if (r->nitems == 0)
        for (uint32_t i = 0; i < r->nparams; i++) {
            const struct hj212_pair *p = &r->params[i];
            if (str_eq(p->key, "DataTime"))
                continue;
            if (store_hj212_vals_add(&v, "", 0, p->key.p, p->key.n, p->value.p, p->value.n) != 0)
                break;
        }
    struct gw_job *j = gw__job(g, GW_J_READING, c);
    if (!j)
        return;
    j->dev = d;
    char *blob = eg_arena_alloc(&g->fill->arena, v.len ? v.len : 1);
    if (!blob)
        return;
    memcpy(blob, v.p, v.len);
    j->u.r = (struct store_hj212_reading){
        .mn = d->mn,
        .point = d->point,
        .st = gw__dup(g, r->st.p, r->st.p ? r->st.n : 0),
        .cn = r->cn_num,
        .time_ms = t,
        .flag = r->flag,
        .received_ms = (int64_t)c->last_ms,
        .vals = blob,
        .vals_len = v.len,
    };
    if (r->ack)
        reply_later(j, c, 9014, 0);
    if (r->cn_num == 2061 && t > d->s.last_data_ms)
        d->s.last_data_ms = t;
    if (g->nlimits && d->point[0])
        for (uint32_t i = 0; i < r->nitems; i++) {
            const struct hj212_item *it = &r->items[i];
            char item[17];
            snprintf(item, sizeof(item), "%.*s",
                     it->code_2017 ? (int)strlen(it->code_2017) : (int)it->code.n,
                     it->code_2017 ? it->code_2017 : it->code.p);
            for (int32_t k = it->first; k >= 0; k = r->fields[k].next)
                check_limits(g, d, c, r->cn_num, t, item, &r->fields[k]);
        }
}

static void quarantine(struct gw_conn *c, const struct hj212_record *r,
                       const struct hj212_event *ev)
{
    struct gw *g = c->g;
    g->stats.quarantined++;
    struct gw_job *j = gw__job(g, GW_J_QUAR, c);
    if (!j)
        return;
    size_t mn_n = r->mn.p ? (r->mn.n > STORE_HJ212_MN_MAX ? STORE_HJ212_MN_MAX : r->mn.n) : 0;
    j->u.q.mn = gw__dup(g, r->mn.p, mn_n);
    j->u.q.peer = gw__dup(g, c->peer, strlen(c->peer));
    j->u.q.frame = gw__dup(g, ev->data, ev->len);
    j->u.q.frame_len = ev->len;
    j->u.q.t = (int64_t)(c->last_ms / 1000u);
    if (r->ack)
        reply_later(j, c, 9011, 4);
}

void gw__on_frame(struct gw_conn *c, const struct hj212_event *ev)
{
    struct gw *g = c->g;
    struct hj212_record *r = &g->rec;
    struct eg_errbuf eb = {0};
    g->stats.frames++;
    if (hj212_parse(ev->seg, ev->seg_len, r, &eb) != 0) {
        struct hj212_str mn;
        struct gw_dev *d = NULL;
        if (hj212_peek_field(ev->seg, ev->seg_len, "MN", &mn) == 0)
            d = gw__dev_find(g, mn.p, mn.n);
        count_reject(c, d, STORE_HJ212_REJ_PARSE);
        return;
    }
    struct gw_dev *d = r->mn.p ? gw__dev_find(g, r->mn.p, r->mn.n) : NULL;
    if (!d || !d->registered || !d->enabled) {
        quarantine(c, r, ev);
        return;
    }
    if (d->pw[0] && !str_eq(r->pw, d->pw)) {
        g->stats.wrong_pw++;
        count_reject(c, d, STORE_HJ212_REJ_PW);
        if (r->ack)
            reply_now(c, 9011, 3);
        return;
    }
    if (c->dev != d) {
        c->dev = d;
        c->crc = (uint8_t)d->crc;
        c->crc_known = true;
        d->conn = c;
        d->s.connected_s = (int64_t)(c->last_ms / 1000u);
        copy(d->peer, sizeof(d->peer), c->peer);
    }
    d->conn = c;
    if (!d->s.online)
        d->urgent = true;
    d->s.online = true;
    touch(g, d, c);
    d->s.frames++;
    d->s.frames_hour++;
    d->s.last_cn = r->cn_num;
    if (d->st[0] && r->st.p && !str_eq(r->st, d->st))
        d->s.rej[STORE_HJ212_REJ_ST]++; /* counted, still stored: provinces use their own ST */
    int cn = r->cn_num;
    if (gw__cmd_reply(g, d, r))
        return;
    if (is_upload(cn)) {
        store_reading(c, d, r);
        return;
    }
    if (cn == 1013) {
        reply_now(c, 9013, 0);
        return;
    }
    if (r->ack && cn != 9011 && cn != 9012 && cn != 9013 && cn != 9014)
        reply_now(c, 9014, 0);
}

void gw__conn_closed(struct gw_conn *c)
{
    struct gw_dev *d = c->dev;
    if (d && d->conn == c) {
        d->conn = NULL;
        d->s.online = false;
        d->dirty = d->urgent = true;
    }
}

/* ---- periodic work ---- */

void gw__sweep(struct gw *g, uint64_t now_ms)
{
    int64_t now_s = (int64_t)(now_ms / 1000u);
    int64_t due = now_s - g->o.hourly_grace_s;
    int64_t hour_ms = ((due - due % 3600) - 3600) * 1000; /* DataTime of the hour just due */
    for (size_t b = 0; b < GW_DEV_BUCKETS; b++)
        for (struct gw_dev *d = g->dev[b]; d; d = d->next) {
            if (!d->registered || !d->enabled || d->s.last_data_ms == 0 ||
                d->s.last_data_ms >= hour_ms || d->alarm_hour_ms == hour_ms)
                continue;
            struct gw_job *j = gw__job(g, GW_J_ALARM, NULL);
            if (!j)
                return;
            d->alarm_hour_ms = hour_ms;
            char when[32], msg[128];
            eg_unix_format_iso(hour_ms / 1000, when, sizeof(when));
            snprintf(msg, sizeof(msg), "no hourly data (2061) for the hour starting %s", when);
            j->u.al = (struct store_hj212_alarm){
                .time_s = now_s,
                .mn = gw__dup(g, d->mn, strlen(d->mn)),
                .point = gw__dup(g, d->point, strlen(d->point)),
                .kind = "missing-hourly",
                .item = "",
                .cn = 2061,
                .data_ms = hour_ms,
                .value = "",
                .limit = "",
                .message = gw__dup(g, msg, strlen(msg)),
            };
        }
}

static void state_job(struct gw *g, struct gw_dev *d)
{
    struct gw_job *j = gw__job(g, GW_J_STATE, NULL);
    if (!j)
        return;
    j->u.st = d->s;
    j->u.st.mn = gw__dup(g, d->mn, strlen(d->mn));
    j->u.st.peer = gw__dup(g, d->peer, strlen(d->peer));
    d->dirty = d->urgent = false;
}

/* Write the changed device states: those whose online/offline state changed, and the others of
 * one tenth of the hash buckets in turn, so that each device's counters are written at most once
 * per GW_STATE_ROUNDS sweeps (10 s) instead of every device every second (10,000 devices: 10,000
 * upserts a second, and a loop stall of 5–20 ms each time).  At most GW_STATE_MAX jobs a sweep,
 * starting at the current tenth: after 10,000 devices reconnect at once their online states take
 * ten sweeps instead of stalling the acks of everyone (p99 went from ≈ 50–200 ms to ≈ 15 ms in
 * the benchmark's first load).  all_offline (shutdown): every device offline, every change
 * written, no limit. */
void gw__flush_states(struct gw *g, bool all_offline)
{
    size_t lo = g->state_round * GW_DEV_BUCKETS / GW_STATE_ROUNDS;
    size_t hi = (g->state_round + 1) * GW_DEV_BUCKETS / GW_STATE_ROUNDS;
    g->state_round = (g->state_round + 1) % GW_STATE_ROUNDS;
    size_t budget = all_offline ? SIZE_MAX : GW_STATE_MAX;
    for (size_t k = 0; k < GW_DEV_BUCKETS && budget; k++) {
        size_t b = (lo + k) % GW_DEV_BUCKETS;
        for (struct gw_dev *d = g->dev[b]; d && budget; d = d->next) {
            if (all_offline && d->s.online) {
                d->s.online = false;
                d->dirty = true;
            }
            if (d->dirty && (all_offline || d->urgent || (b >= lo && b < hi))) {
                state_job(g, d);
                budget--;
            }
        }
    }
    if (g->anon.dirty)
        state_job(g, &g->anon);
}
