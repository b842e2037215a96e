/* records_device.c — the records of HJ 212 devices: device list rows, one device's file,
 * alarms and exported values (see records.h). */
#include <stdio.h>
#include <string.h>

#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "records.h"
#include "store/store.h"

void rec_iso_ms(int64_t ms, char *buf, size_t n)
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

void rec_time(struct fmt *f, const char *key, int64_t s)
{
    char b[40];
    if (s <= 0) {
        fmt_null(f, key);
        return;
    }
    eg_unix_format_iso(s, b, sizeof(b));
    fmt_str(f, key, b);
}

static const char *rec_crc_name(int crc)
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

static void rec_dev_state(struct fmt *f, const struct store_hj212_state *s, bool have)
{
    char rej[256];
    rec_time(f, "last_seen", have ? s->last_seen_s : 0);
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

int rec_dev_collect(void *ud, const struct store_hj212_device *d)
{
    struct rec_dev_vec *dv = ud;
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
        for (size_t i = 0; i < dv->n; i++) { /* the text arrays moved: point into the new ones */
            dv->v[i].mn = dv->mn[i];
            dv->v[i].pw = dv->pw[i];
            dv->v[i].point = dv->point[i];
            dv->v[i].st = dv->st[i];
        }
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

void rec_dev_vec_free(struct rec_dev_vec *dv)
{
    eg_free(dv->v);
    eg_free(dv->mn);
    eg_free(dv->pw);
    eg_free(dv->point);
    eg_free(dv->st);
}

static int rec_hj212_cmd(void *ud, const struct store_hj212_cmd *x)
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
    rec_time(f, "updated", x->updated_s);
    fmt_close(f);
    return 0;
}

struct rec_cmd_filter {
    struct fmt *f;
    const char *mn;
};

static int rec_hj212_cmd_of(void *ud, const struct store_hj212_cmd *x)
{
    struct rec_cmd_filter *cf = ud;
    return strcmp(x->mn, cf->mn) ? 0 : rec_hj212_cmd(cf->f, x);
}

static int rec_quarantine(void *ud, const struct store_hj212_quarantined *q)
{
    struct fmt *f = ud;
    fmt_obj_begin(f, "quarantine");
    fmt_int(f, "frames", q->frames);
    rec_time(f, "first", q->first_s);
    rec_time(f, "last", q->last_s);
    fmt_str(f, "last_frame", q->last_frame);
    fmt_close(f);
    return 0;
}

static void put_num(struct fmt *f, const char *key, const struct store_hj212_entry *e)
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

/* ---- a device's state ---- */

static int copy_state(void *ud, const struct store_hj212_state *s)
{
    struct rec_dev_snap *l = ud;
    l->st = *s;
    snprintf(l->peer, sizeof(l->peer), "%s", s->peer);
    l->st.peer = l->peer;
    l->st.mn = NULL;
    l->have = true;
    return 0;
}

int rec_dev_snap_take(struct store *s, const char *mn, struct rec_dev_snap *l, struct eg_errbuf *eb)
{
    l->have = false;
    return store_hj212_state_each(s, mn, copy_state, l, eb);
}

static const char *rec_dev_status(const struct store_hj212_device *d, const struct rec_dev_snap *l)
{
    if (!d->enabled)
        return "disabled";
    if (!l->have || l->st.last_seen_s == 0)
        return "never";
    return l->st.online ? "online" : "offline";
}

void rec_device_row(struct fmt *f, const struct store_hj212_device *d, const struct rec_dev_snap *l)
{
    fmt_str(f, "mn", d->mn);
    fmt_str(f, "point", d->point);
    fmt_str(f, "status", rec_dev_status(d, l));
    rec_dev_state(f, &l->st, l->have);
    fmt_int(f, "quarantined", 0);
}

void rec_device_nomn_row(struct fmt *f, const struct rec_dev_snap *l)
{
    fmt_str(f, "mn", "(no MN)");
    fmt_str(f, "point", "");
    fmt_str(f, "status", "unidentified");
    rec_dev_state(f, &l->st, true);
    fmt_int(f, "quarantined", 0);
}

void rec_quarantined_row(struct fmt *f, const struct store_hj212_quarantined *q)
{
    fmt_str(f, "mn", q->mn);
    fmt_str(f, "point", "");
    fmt_str(f, "status", "unregistered");
    rec_time(f, "last_seen", q->last_s);
    fmt_int(f, "frames", 0);
    fmt_int(f, "frames_hour", 0);
    fmt_int(f, "frames_prev_hour", 0);
    fmt_int(f, "values", 0);
    fmt_int(f, "replaced", 0);
    fmt_str(f, "rejected", "");
    fmt_int(f, "quarantined", q->frames);
}

int rec_device(struct fmt *f, struct store *s, const char *mn, const struct store_hj212_device *d,
               const struct rec_dev_snap *l, struct eg_errbuf *eb)
{
    int rc;
    fmt_str(f, "mn", mn);
    if (d) {
        fmt_str(f, "point", d->point);
        fmt_str(f, "st", d->st);
        fmt_str(f, "protocol", d->protocol ? (d->protocol == 2005 ? "2005" : "2017") : "auto");
        fmt_str(f, "crc", rec_crc_name(d->crc));
        fmt_bool(f, "password_checked", d->pw[0] != 0);
        fmt_str(f, "status", rec_dev_status(d, l));
    } else
        fmt_str(f, "status", "unregistered");
    fmt_str(f, "peer", l->have ? l->peer : "");
    rec_time(f, "connected", l->have ? l->st.connected_s : 0);
    rec_dev_state(f, &l->st, l->have);
    if (l->have && l->st.last_data_ms) {
        char b[48];
        rec_iso_ms(l->st.last_data_ms, b, sizeof(b));
        fmt_str(f, "last_hourly", b);
    } else
        fmt_null(f, "last_hourly");
    fmt_obj_begin(f, "rejected_by_reason");
    for (int i = 0; i < STORE_HJ212_REJ__COUNT; i++)
        fmt_int(f, store_hj212_rej_name(i), l->have ? l->st.rej[i] : 0);
    fmt_close(f);
    if ((rc = store_hj212_quarantine_each(s, mn, rec_quarantine, f, eb)))
        return rc;
    fmt_arr_begin(f, "commands");
    struct rec_cmd_filter cf = {f, mn};
    rc = store_hj212_cmd_each(s, 0, NULL, rec_hj212_cmd_of, &cf, eb);
    fmt_close(f);
    return rc;
}

void rec_alarm(struct fmt *f, const struct store_hj212_alarm *al)
{
    char b[48];
    rec_time(f, "time", al->time_s);
    fmt_str(f, "kind", al->kind);
    fmt_str(f, "mn", al->mn);
    fmt_str(f, "point", al->point);
    fmt_str(f, "item", al->item);
    fmt_int(f, "cn", al->cn);
    rec_iso_ms(al->data_ms, b, sizeof(b));
    fmt_str(f, "data_time", b);
    fmt_str(f, "value", al->value);
    fmt_str(f, "limit", al->limit);
    fmt_str(f, "message", al->message);
}

/* ---- data export ---- */

void rec_reading_item(struct fmt *f, const struct store_hj212_reading *r, size_t nent,
                      const struct store_hj212_entry *ents)
{
    static const char *const keys[6] = {"Rtd", "Avg", "Min", "Max", "Cou", "Flag"};
    static const char *const out[6] = {"rtd", "avg", "min", "max", "cou", "flag"};
    const struct store_hj212_entry *hit[6] = {0};
    for (size_t i = 0; i < nent; i++)
        for (int k = 0; k < 6; k++)
            if (!hit[k] && field_is(&ents[i], keys[k]))
                hit[k] = &ents[i];
    char t[48], item[260], cn[8];
    rec_iso_ms(r->time_ms, t, sizeof(t));
    snprintf(item, sizeof(item), "%.*s", (int)ents[0].item_len, ents[0].item);
    snprintf(cn, sizeof(cn), "%04d", r->cn);
    fmt_str(f, "mn", r->mn);
    fmt_str(f, "point", r->point);
    fmt_str(f, "cn", cn);
    fmt_str(f, "time", t);
    fmt_str(f, "item", item);
    for (int k = 0; k < 5; k++)
        put_num(f, out[k], hit[k]);
    if (hit[5]) {
        char fl[64];
        snprintf(fl, sizeof(fl), "%.*s", (int)hit[5]->value_len, hit[5]->value);
        fmt_str(f, "flag", fl);
    } else
        fmt_null(f, "flag");
}

#define EXPORT_MAX_FIELDS 64 /* fields of one item kept for the record */

int rec_reading_items(const struct store_hj212_reading *r, rec_item_fn *item, void *ud)
{
    struct store_hj212_entry ents[EXPORT_MAX_FIELDS], e;
    size_t pos = 0, n = 0;
    int rc;
    while ((rc = store_hj212_vals_next(r->vals, r->vals_len, &pos, &e)) == 1) {
        if (e.item_len == 0)
            continue; /* parameters of an item-less upload */
        if (n && (ents[0].item_len != e.item_len || memcmp(ents[0].item, e.item, e.item_len))) {
            if ((rc = item(ud, r, n, ents)))
                return rc;
            n = 0;
        }
        if (n < EXPORT_MAX_FIELDS)
            ents[n++] = e;
    }
    if (rc < 0)
        return rc;
    if (n)
        return item(ud, r, n, ents);
    return 0;
}
