/* h_devices.c — HJ 212 devices and their data over HTTP: /api/devices (list), /api/devices/{mn}
 * (one device: registration, state, last frame, rejections, quarantine, commands), /api/alarms
 * (exceedance and missing-data alarms), /api/data (stored values, one record per value, paged).
 * Records are `envgov device list|show`, `envgov alarms` and `envgov data export` with
 * --format json (src/cli/cmd_device.c), the same keys in the same order; the writers below are
 * kept line for line with it.  An enterprise account sees only the devices on its outlets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "http-int.h"
#include "supervise/supervise.h"

static void iso_ms(int64_t ms, char *buf, size_t n)
{
    int64_t s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int rem = (int)(ms - s * 1000);
    char b[40];
    eg_unix_format_iso(s, b, sizeof(b));
    if (rem == 0 || strlen(b) < 19)
        snprintf(buf, n, "%s", b);
    else
        snprintf(buf, n, "%.19s.%03d%s", b, rem, b + 19);
}

static void fmt_time(struct fmt *f, const char *key, int64_t s)
{
    char b[40];
    if (s <= 0) {
        fmt_null(f, key);
        return;
    }
    eg_unix_format_iso(s, b, sizeof(b));
    fmt_str(f, key, b);
}

static const char *crc_name(int crc)
{
    return crc == 1 ? "modbus" : crc == 2 ? "modbus-swapped" : "std";
}

static void rej_text(const struct store_hj212_state *s, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = 0;
    for (int i = 0; i < STORE_HJ212_REJ__COUNT; i++)
        if (s->rej[i] && used < n) {
            int k = snprintf(buf + used, n - used, "%s%s=%lld", used ? "," : "",
                             store_hj212_rej_name(i), (long long)s->rej[i]);
            if (k > 0)
                used += (size_t)k;
        }
}

static void fmt_state(struct fmt *f, const struct store_hj212_state *s, bool have)
{
    char rej[256];
    fmt_time(f, "last_seen", have ? s->last_seen_s : 0);
    fmt_int(f, "frames", have ? s->frames : 0);
    fmt_int(f, "frames_hour", have ? s->frames_hour : 0);
    fmt_int(f, "frames_prev_hour", have ? s->frames_prev_hour : 0);
    fmt_int(f, "values", have ? s->values : 0);
    fmt_int(f, "replaced", have ? s->replaced : 0);
    if (have) {
        rej_text(s, rej, sizeof(rej));
        fmt_str(f, "rejected", rej);
    } else
        fmt_str(f, "rejected", "");
}

struct list_ctx {
    struct hreq *c;
    struct fmt *f;
    const char *only; /* device show */
    bool quarantine_only;
    struct store_hj212_state st;
    char peer[256];
    bool have;
};

static int copy_state(void *ud, const struct store_hj212_state *s)
{
    struct list_ctx *l = ud;
    l->st = *s;
    snprintf(l->peer, sizeof(l->peer), "%s", s->peer);
    l->st.peer = l->peer;
    l->st.mn = NULL;
    l->have = true;
    return 0;
}

static const char *status(const struct store_hj212_device *d, const struct list_ctx *l)
{
    if (!d->enabled)
        return "disabled";
    if (!l->have || l->st.last_seen_s == 0)
        return "never";
    return l->st.online ? "online" : "offline";
}

/* device rows are collected first (store iterations do not nest) */
struct dev_vec {
    struct store_hj212_device *v;
    char (*mn)[STORE_HJ212_MN_MAX + 1];
    char (*pw)[STORE_HJ212_PW_MAX + 1];
    char (*point)[33];
    char (*st)[4];
    size_t n, cap;
};

static int collect_dev(void *ud, const struct store_hj212_device *d)
{
    struct dev_vec *dv = ud;
    if (dv->n == dv->cap) {
        size_t cap = dv->cap ? dv->cap * 2 : 64;
        if (cap > 10000000)
            return EG_ELIMIT;
        void *a = eg_realloc(dv->v, cap * sizeof(*dv->v));
        if (!a)
            return EG_ENOMEM;
        dv->v = a;
        if (!(a = eg_realloc(dv->mn, cap * sizeof(*dv->mn))))
            return EG_ENOMEM;
        dv->mn = a;
        if (!(a = eg_realloc(dv->pw, cap * sizeof(*dv->pw))))
            return EG_ENOMEM;
        dv->pw = a;
        if (!(a = eg_realloc(dv->point, cap * sizeof(*dv->point))))
            return EG_ENOMEM;
        dv->point = a;
        if (!(a = eg_realloc(dv->st, cap * sizeof(*dv->st))))
            return EG_ENOMEM;
        dv->st = a;
        dv->cap = cap;
    }
    size_t i = dv->n++;
    snprintf(dv->mn[i], sizeof(dv->mn[i]), "%s", d->mn);
    snprintf(dv->pw[i], sizeof(dv->pw[i]), "%s", d->pw);
    snprintf(dv->point[i], sizeof(dv->point[i]), "%s", d->point);
    snprintf(dv->st[i], sizeof(dv->st[i]), "%s", d->st);
    dv->v[i] = *d;
    dv->v[i].mn = dv->mn[i];
    dv->v[i].pw = dv->pw[i];
    dv->v[i].point = dv->point[i];
    dv->v[i].st = dv->st[i];
    return 0;
}

static void dev_vec_free(struct dev_vec *dv)
{
    eg_free(dv->v);
    eg_free(dv->mn);
    eg_free(dv->pw);
    eg_free(dv->point);
    eg_free(dv->st);
}

static int list_quarantined(void *ud, const struct store_hj212_quarantined *q)
{
    struct list_ctx *l = ud;
    struct fmt *f = l->f;
    if (!hr_row(l->c))
        return 0;
    fmt_row_begin(f);
    fmt_str(f, "mn", q->mn);
    fmt_str(f, "point", "");
    fmt_str(f, "status", "unregistered");
    fmt_time(f, "last_seen", q->last_s);
    fmt_int(f, "frames", 0);
    fmt_int(f, "frames_hour", 0);
    fmt_int(f, "frames_prev_hour", 0);
    fmt_int(f, "values", 0);
    fmt_int(f, "replaced", 0);
    fmt_str(f, "rejected", "");
    fmt_int(f, "quarantined", q->frames);
    return fmt_row_end(f);
}

static int show_cmd(void *ud, const struct store_hj212_cmd *x)
{
    struct fmt *f = ud;
    fmt_obj_begin(f, NULL);
    fmt_int(f, "id", x->id);
    fmt_int(f, "cn", x->cn);
    fmt_str(f, "cp", x->cp);
    fmt_str(f, "state", x->state);
    fmt_str(f, "qn", x->qn);
    fmt_int(f, "tries", x->tries);
    fmt_str(f, "result", x->result);
    fmt_time(f, "updated", x->updated_s);
    fmt_close(f);
    return 0;
}

struct cmd_filter {
    struct fmt *f;
    const char *mn;
};

static int show_cmd_of(void *ud, const struct store_hj212_cmd *x)
{
    struct cmd_filter *cf = ud;
    return strcmp(x->mn, cf->mn) ? 0 : show_cmd(cf->f, x);
}

static int show_q(void *ud, const struct store_hj212_quarantined *q)
{
    struct fmt *f = ud;
    fmt_obj_begin(f, "quarantine");
    fmt_int(f, "frames", q->frames);
    fmt_time(f, "first", q->first_s);
    fmt_time(f, "last", q->last_s);
    fmt_str(f, "last_frame", q->last_frame);
    fmt_close(f);
    return 0;
}

static int alarm_row(void *ud, const struct store_hj212_alarm *al)
{
    struct hreq *r = ud;
    struct fmt *f = r->f;
    char b[48];
    if (!hr_row(r))
        return 0;
    fmt_row_begin(f);
    fmt_time(f, "time", al->time_s);
    fmt_str(f, "kind", al->kind);
    fmt_str(f, "mn", al->mn);
    fmt_str(f, "point", al->point);
    fmt_str(f, "item", al->item);
    fmt_int(f, "cn", al->cn);
    iso_ms(al->data_ms, b, sizeof(b));
    fmt_str(f, "data_time", b);
    fmt_str(f, "value", al->value);
    fmt_str(f, "limit", al->limit);
    fmt_str(f, "message", al->message);
    return fmt_row_end(f);
}
static void fmt_num(struct fmt *f, const char *key, const struct store_hj212_entry *e)
{
    if (!e) {
        fmt_null(f, key);
        return;
    }
    int64_t v;
    int dec = 0;
    if (e->value_len && e->value_len < 40 &&
        eg_dec_parse2(e->value, e->value_len, 9, &v, &dec) == 0 && dec <= 9) {
        fmt_dec(f, key, eg_rescale(v, 9, dec), dec);
        return;
    }
    char b[512];
    snprintf(b, sizeof(b), "%.*s", (int)e->value_len, e->value);
    fmt_str(f, key, b);
}

static bool field_is(const struct store_hj212_entry *e, const char *name)
{
    size_t n = strlen(name);
    return e->field_len == n && memcmp(e->field, name, n) == 0;
}

struct export_ctx {
    struct hreq *r;
    struct fmt *f;
    long records;
};

static int export_item(struct export_ctx *x, const struct store_hj212_reading *r,
                       const struct store_hj212_entry *first, size_t nent,
                       const struct store_hj212_entry *ents)
{
    static const char *const keys[6] = {"Rtd", "Avg", "Min", "Max", "Cou", "Flag"};
    static const char *const out[6] = {"rtd", "avg", "min", "max", "cou", "flag"};
    const struct store_hj212_entry *hit[6] = {0};
    for (size_t i = 0; i < nent; i++)
        for (int k = 0; k < 6; k++)
            if (!hit[k] && field_is(&ents[i], keys[k]))
                hit[k] = &ents[i];
    struct fmt *f = x->f;
    char t[48], item[260], cn[8];
    iso_ms(r->time_ms, t, sizeof(t));
    snprintf(item, sizeof(item), "%.*s", (int)first->item_len, first->item);
    snprintf(cn, sizeof(cn), "%04d", r->cn);
    if (!hr_row(x->r))
        return 0;
    fmt_row_begin(f);
    fmt_str(f, "mn", r->mn);
    fmt_str(f, "point", r->point);
    fmt_str(f, "cn", cn);
    fmt_str(f, "time", t);
    fmt_str(f, "item", item);
    for (int k = 0; k < 5; k++)
        fmt_num(f, out[k], hit[k]);
    if (hit[5]) {
        char fl[64];
        snprintf(fl, sizeof(fl), "%.*s", (int)hit[5]->value_len, hit[5]->value);
        fmt_str(f, "flag", fl);
    } else
        fmt_null(f, "flag");
    x->records++;
    return fmt_row_end(f);
}

#define EXPORT_MAX_FIELDS 64 /* fields of one item kept for the record */

static int export_row(void *ud, const struct store_hj212_reading *r)
{
    struct export_ctx *x = ud;
    struct store_hj212_entry ents[EXPORT_MAX_FIELDS], e;
    size_t pos = 0, n = 0;
    int rc;
    while ((rc = store_hj212_vals_next(r->vals, r->vals_len, &pos, &e)) == 1) {
        if (e.item_len == 0)
            continue; /* parameters of an item-less upload */
        if (n && (ents[0].item_len != e.item_len || memcmp(ents[0].item, e.item, e.item_len))) {
            if ((rc = export_item(x, r, &ents[0], n, ents)))
                return rc;
            n = 0;
        }
        if (n < EXPORT_MAX_FIELDS)
            ents[n++] = e;
    }
    if (rc < 0)
        return rc;
    if (n)
        return export_item(x, r, &ents[0], n, ents);
    return 0;
}

/* ---- enterprise accounts: the MNs on their outlets ---- */

#define OWN_MAX 256

struct own {
    struct hreq *r;
    const char *mn[OWN_MAX];
    size_t n;
};

static int own_outlet(void *ud, const struct store_outlet *o)
{
    struct own *w = ud;
    if (o->mn && *o->mn && w->n < OWN_MAX &&
        !(w->mn[w->n++] = eg_arena_strndup(&w->r->arena, o->mn, strlen(o->mn))))
        return EG_ENOMEM;
    return 0;
}

/* 0 and *ret NULL: every device; 0 and *ret set: only those; -1: response set. */
static int own_devices(struct hreq *r, struct own **ret)
{
    *ret = NULL;
    if (strcmp(r->user.role, "enterprise"))
        return 0;
    struct own *w = eg_arena_alloc(&r->arena, sizeof(*w));
    if (!w)
        return hr_error(r, 500, NULL, "out of memory"), -1;
    memset(w, 0, sizeof(*w));
    w->r = r;
    int rc = store_work_outlet_each(r->store, r->user.enterprise, own_outlet, w, &r->eb);
    if (rc && rc != EG_ENOTFOUND)
        return hr_fail(r, rc), -1;
    *ret = w;
    return 0;
}

static bool owns(const struct own *w, const char *mn)
{
    if (!w)
        return true;
    for (size_t i = 0; i < w->n; i++)
        if (mn && !strcmp(w->mn[i], mn))
            return true;
    return false;
}

/* An ISO time parameter; a bare date as `to` means the end of that day. */
static int arg_time(struct hreq *r, const char *name, bool end, int64_t def_ms, int64_t *ret_ms)
{
    const char *s = hr_arg(r, name);
    int64_t t;
    if (!s) {
        *ret_ms = def_ms;
        return 0;
    }
    if (eg_iso_parse(s, strlen(s), &t))
        return hr_error(r, 400, name, "'%.40s' is not an ISO 8601 date or time", s), -1;
    *ret_ms = t * 1000 + (end && strlen(s) == 10 ? 86400 * 1000 - 1 : 0);
    return 0;
}

/* ---- GET /api/devices ---- */

int h_devices_list(struct hreq *r)
{
    struct own *w;
    if (own_devices(r, &w) || hr_table_begin(r))
        return 0;
    struct fmt *f = r->f;
    struct list_ctx l = {.c = r, .f = f, .quarantine_only = hr_flag(r, "quarantine")};
    struct dev_vec dv = {0};
    int rc = 0;
    if (!l.quarantine_only) {
        rc = store_hj212_device_each(r->store, NULL, collect_dev, &dv, &r->eb);
        for (size_t i = 0; i < dv.n && !rc; i++) {
            const struct store_hj212_device *d = &dv.v[i];
            if (!owns(w, d->mn) || !hr_row(r))
                continue;
            l.have = false;
            if ((rc = store_hj212_state_each(r->store, d->mn, copy_state, &l, &r->eb)))
                break;
            fmt_row_begin(f);
            fmt_str(f, "mn", d->mn);
            fmt_str(f, "point", d->point);
            fmt_str(f, "status", status(d, &l));
            fmt_state(f, &l.st, l.have);
            fmt_int(f, "quarantined", 0);
            rc = fmt_row_end(f);
        }
        l.have = false;
        if (!rc && !w)
            rc = store_hj212_state_each(r->store, "", copy_state, &l, &r->eb);
        if (!rc && l.have && hr_row(r)) {
            fmt_row_begin(f);
            fmt_str(f, "mn", "(no MN)");
            fmt_str(f, "point", "");
            fmt_str(f, "status", "unidentified");
            fmt_state(f, &l.st, true);
            fmt_int(f, "quarantined", 0);
            rc = fmt_row_end(f);
        }
    }
    if (!rc && !w)
        rc = store_hj212_quarantine_each(r->store, NULL, list_quarantined, &l, &r->eb);
    dev_vec_free(&dv);
    return hr_table_end(r, rc, "devices");
}

/* ---- GET /api/devices/{mn} ---- */

int h_device_show(struct hreq *r)
{
    const char *mn = r->pathv[0];
    struct own *w;
    if (own_devices(r, &w))
        return 0;
    if (!owns(w, mn))
        return hr_error(r, 404, "mn", "no device %.40s on this enterprise's outlets", mn);
    struct dev_vec dv = {0};
    int rc = store_hj212_device_each(r->store, mn, collect_dev, &dv, &r->eb);
    bool registered = rc == 0;
    if (rc == EG_ENOTFOUND) {
        rc = 0;
        eg_errbuf_clear(&r->eb);
    }
    if (rc) {
        dev_vec_free(&dv);
        return hr_fail(r, rc);
    }
    if (hr_table_begin(r)) {
        dev_vec_free(&dv);
        return 0;
    }
    struct fmt *f = r->f;
    struct list_ctx l = {.c = r, .f = f};
    if ((rc = store_hj212_state_each(r->store, mn, copy_state, &l, &r->eb)))
        goto out;
    (void)hr_row(r);
    fmt_row_begin(f);
    fmt_str(f, "mn", mn);
    if (registered) {
        const struct store_hj212_device *d = &dv.v[0];
        fmt_str(f, "point", d->point);
        fmt_str(f, "st", d->st);
        fmt_str(f, "protocol", d->protocol ? (d->protocol == 2005 ? "2005" : "2017") : "auto");
        fmt_str(f, "crc", crc_name(d->crc));
        fmt_bool(f, "password_checked", d->pw[0] != 0);
        fmt_str(f, "status", status(d, &l));
    } else
        fmt_str(f, "status", "unregistered");
    fmt_str(f, "peer", l.have ? l.peer : "");
    fmt_time(f, "connected", l.have ? l.st.connected_s : 0);
    fmt_state(f, &l.st, l.have);
    if (l.have && l.st.last_data_ms) {
        char b[48];
        iso_ms(l.st.last_data_ms, b, sizeof(b));
        fmt_str(f, "last_hourly", b);
    } else
        fmt_null(f, "last_hourly");
    fmt_obj_begin(f, "rejected_by_reason");
    for (int i = 0; i < STORE_HJ212_REJ__COUNT; i++)
        fmt_int(f, store_hj212_rej_name(i), l.have ? l.st.rej[i] : 0);
    fmt_close(f);
    if ((rc = store_hj212_quarantine_each(r->store, mn, show_q, f, &r->eb)))
        goto out;
    fmt_arr_begin(f, "commands");
    struct cmd_filter cf = {f, mn};
    rc = store_hj212_cmd_each(r->store, 0, NULL, show_cmd_of, &cf, &r->eb);
    fmt_close(f);
    if (!rc)
        rc = fmt_row_end(f);
out:
    dev_vec_free(&dv);
    return hr_record_end(r, rc, "device");
}

/* ---- GET /api/alarms ---- */

struct alarm_ctx {
    struct hreq *r;
    const struct own *w;
};

static int alarm_own(void *ud, const struct store_hj212_alarm *al)
{
    struct alarm_ctx *a = ud;
    return owns(a->w, al->mn) ? alarm_row(a->r, al) : 0;
}

int h_alarms(struct hreq *r)
{
    int64_t now = (int64_t)time(NULL) * 1000, from, to;
    struct own *w;
    if (arg_time(r, "from", false, now - 7 * 86400 * 1000LL, &from) ||
        arg_time(r, "to", true, now + 60000, &to) || own_devices(r, &w) || hr_table_begin(r))
        return 0;
    struct alarm_ctx a = {r, w};
    return hr_table_end(r,
                        store_hj212_alarm_each(r->store, from / 1000, to / 1000, hr_arg(r, "mn"),
                                               alarm_own, &a, &r->eb),
                        "alarms");
}

/* ---- GET /api/data ---- */

int h_data_export(struct hreq *r)
{
    int64_t from, to;
    struct own *w;
    const char *mn = hr_arg(r, "mn");
    if (arg_time(r, "from", false, INT64_MIN / 2, &from) ||
        arg_time(r, "to", true, INT64_MAX / 2, &to) || own_devices(r, &w))
        return 0;
    if (from > to)
        return hr_error(r, 400, "from", "from is after to");
    if (w && !(mn && owns(w, mn)))
        return hr_error(r, 403, "mn", "an enterprise account exports its own devices: mn=…");
    if (hr_table_begin(r))
        return 0;
    struct export_ctx x = {r, r->f, 0};
    return hr_table_end(r,
                        store_hj212_reading_each(r->store, from, to, mn, hr_arg(r, "point"),
                                                 export_row, &x, &r->eb),
                        "data");
}
