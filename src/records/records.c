/* records.c — record writers shared by the CLI and the HTTP API (see records.h). */
#include "records.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/eg_mem.h"
#include "common/eg_time.h"
#include "store/store.h"
#include "supervise/supervise.h"

/* Values of a data set: {"w01018": {"Avg": "12.3", "Flag": "N"}, …}; fields of an item are
 * contiguous in the blob. */
static void put_values(struct fmt *f, const unsigned char *blob, size_t len)
{
    size_t pos = 0;
    struct store_hj212_entry e;
    char item[256] = "", key[256], val[1024];
    bool open = false;
    fmt_obj_begin(f, "values");
    while (store_hj212_vals_next(blob, len, &pos, &e) == 1) {
        snprintf(key, sizeof(key), "%.*s", (int)e.item_len, e.item);
        if (!open || strcmp(key, item)) {
            if (open)
                fmt_close(f);
            memcpy(item, key, sizeof(item));
            fmt_obj_begin(f, item);
            open = true;
        }
        snprintf(key, sizeof(key), "%.*s", (int)e.field_len, e.field);
        snprintf(val, sizeof(val), "%.*s", (int)e.value_len, e.value);
        fmt_str(f, key, val);
    }
    if (open)
        fmt_close(f);
    fmt_close(f);
}

int rec_outlet(struct fmt *f, struct store *s, const struct store_outlet *o, struct eg_errbuf *eb)
{
    struct sup_outlet_data d;
    int rc = sup_outlet_data(s, o->mn, &d, eb);
    if (rc)
        return rc;
    char t[40];
    fmt_obj_begin(f, NULL);
    fmt_str(f, "code", o->code);
    fmt_str(f, "name", o->name);
    fmt_str(f, "medium", o->medium);
    fmt_str(f, "point", o->point);
    fmt_str(f, "mn", o->mn);
    fmt_str(f, "status",
            !o->mn || !*o->mn ? "none"
            : !d.known        ? "unknown"
            : d.online        ? "online"
                              : "offline");
    if (d.last_seen_s) {
        eg_unix_format_iso(d.last_seen_s, t, sizeof(t));
        fmt_str(f, "last_seen", t);
    } else {
        fmt_null(f, "last_seen");
    }
    if (d.cn) {
        fmt_obj_begin(f, "latest");
        snprintf(t, sizeof(t), "%04d", d.cn);
        fmt_str(f, "cn", t);
        eg_unix_format_iso(d.time_ms / 1000, t, sizeof(t));
        fmt_str(f, "time", t);
        put_values(f, d.vals, d.vals_len);
        fmt_close(f);
    } else {
        fmt_null(f, "latest");
    }
    fmt_close(f);
    return 0;
}

#define OUTLETS_MAX 1000 /* outlets of one enterprise */

struct outlets {
    struct store_outlet *o;
    size_t n, cap;
    int rc;
};

static char *dup(const char *s)
{
    return eg_strdup(s ? s : "");
}

static int collect(void *ud, const struct store_outlet *o)
{
    struct outlets *v = ud;
    if (v->n >= OUTLETS_MAX)
        return v->rc = EG_ELIMIT;
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        struct store_outlet *x = eg_realloc(v->o, cap * sizeof(*x));
        if (!x)
            return v->rc = EG_ENOMEM;
        v->o = x;
        v->cap = cap;
    }
    struct store_outlet *c = &v->o[v->n];
    c->uscc = dup(o->uscc);
    c->code = dup(o->code);
    c->name = dup(o->name);
    c->medium = dup(o->medium);
    c->point = dup(o->point);
    c->mn = dup(o->mn);
    v->n++;
    if (!c->uscc || !c->code || !c->name || !c->medium || !c->point || !c->mn)
        return v->rc = EG_ENOMEM;
    return 0;
}

int rec_outlets(struct fmt *f, struct store *s, const char *uscc, struct eg_errbuf *eb)
{
    /* collect first: the device queries must not run inside the outlet iteration */
    struct outlets v = {0};
    int rc = store_work_outlet_each(s, uscc, collect, &v, eb);
    if (v.rc)
        rc = eg_errf(eb, v.rc, "reading the outlets of %s", uscc);
    fmt_arr_begin(f, "outlets");
    for (size_t i = 0; i < v.n && !rc; i++)
        rc = rec_outlet(f, s, &v.o[i], eb);
    fmt_close(f);
    for (size_t i = 0; i < v.n; i++) {
        eg_free((char *)(uintptr_t)v.o[i].uscc);
        eg_free((char *)(uintptr_t)v.o[i].code);
        eg_free((char *)(uintptr_t)v.o[i].name);
        eg_free((char *)(uintptr_t)v.o[i].medium);
        eg_free((char *)(uintptr_t)v.o[i].point);
        eg_free((char *)(uintptr_t)v.o[i].mn);
    }
    eg_free(v.o);
    return rc;
}
