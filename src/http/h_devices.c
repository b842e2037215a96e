/* h_devices.c — HJ 212 devices and their data over HTTP: /api/devices (list), /api/devices/{mn}
 * (one device: registration, state, last frame, rejections, quarantine, commands), /api/alarms
 * (exceedance and missing-data alarms), /api/data (stored values, one record per value, paged).
 * Records are `envgov device list|show`, `envgov alarms` and `envgov data export` with
 * --format json (src/cli/cmd_device.c), the same keys in the same order, from the shared
 * writers of src/records/records.h.  An enterprise account sees only the devices on its outlets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "http-int.h"
#include "records/records.h"
#include "supervise/supervise.h"

struct list_ctx {
    struct hreq *c;
    struct fmt *f;
    const char *only; /* device show */
    bool quarantine_only;
};

static int list_quarantined(void *ud, const struct store_hj212_quarantined *q)
{
    struct list_ctx *l = ud;
    struct fmt *f = l->f;
    if (!hr_row(l->c))
        return 0;
    fmt_row_begin(f);
    rec_quarantined_row(f, q);
    return fmt_row_end(f);
}

static int alarm_row(void *ud, const struct store_hj212_alarm *al)
{
    struct hreq *r = ud;
    struct fmt *f = r->f;
    if (!hr_row(r))
        return 0;
    fmt_row_begin(f);
    rec_alarm(f, al);
    return fmt_row_end(f);
}
struct export_ctx {
    struct hreq *r;
    struct fmt *f;
    long records;
};

static int export_item(void *ud, const struct store_hj212_reading *r, size_t nent,
                       const struct store_hj212_entry *ents)
{
    struct export_ctx *x = ud;
    if (!hr_row(x->r))
        return 0;
    fmt_row_begin(x->f);
    rec_reading_item(x->f, r, nent, ents);
    x->records++;
    return fmt_row_end(x->f);
}

static int export_row(void *ud, const struct store_hj212_reading *r)
{
    return rec_reading_items(r, export_item, ud);
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
    struct rec_dev_vec dv = {0};
    struct rec_dev_snap ds = {0};
    int rc = 0;
    if (!l.quarantine_only) {
        rc = store_hj212_device_each(r->store, NULL, rec_dev_collect, &dv, &r->eb);
        for (size_t i = 0; i < dv.n && !rc; i++) {
            const struct store_hj212_device *d = &dv.v[i];
            if (!owns(w, d->mn) || !hr_row(r))
                continue;
            if ((rc = rec_dev_snap_take(r->store, d->mn, &ds, &r->eb)))
                break;
            fmt_row_begin(f);
            rec_device_row(f, d, &ds);
            rc = fmt_row_end(f);
        }
        ds.have = false;
        if (!rc && !w)
            rc = rec_dev_snap_take(r->store, "", &ds, &r->eb);
        if (!rc && ds.have && hr_row(r)) {
            fmt_row_begin(f);
            rec_device_nomn_row(f, &ds);
            rc = fmt_row_end(f);
        }
    }
    if (!rc && !w)
        rc = store_hj212_quarantine_each(r->store, NULL, list_quarantined, &l, &r->eb);
    rec_dev_vec_free(&dv);
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
    struct rec_dev_vec dv = {0};
    int rc = store_hj212_device_each(r->store, mn, rec_dev_collect, &dv, &r->eb);
    bool registered = rc == 0;
    if (rc == EG_ENOTFOUND) {
        rc = 0;
        eg_errbuf_clear(&r->eb);
    }
    if (rc) {
        rec_dev_vec_free(&dv);
        return hr_fail(r, rc);
    }
    if (hr_table_begin(r)) {
        rec_dev_vec_free(&dv);
        return 0;
    }
    struct fmt *f = r->f;
    struct rec_dev_snap ds;
    if ((rc = rec_dev_snap_take(r->store, mn, &ds, &r->eb)))
        goto out;
    (void)hr_row(r);
    fmt_row_begin(f);
    rc = rec_device(f, r->store, mn, registered ? &dv.v[0] : NULL, &ds, &r->eb);
    if (!rc)
        rc = fmt_row_end(f);
out:
    rec_dev_vec_free(&dv);
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
