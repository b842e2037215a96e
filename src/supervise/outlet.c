/* outlet.c — an outlet's device and its latest data, for the enterprise's file (一企一档).
 * An outlet names the HJ 212 device that measures it (its MN); the gateway keeps the device's
 * state and its readings.  The latest data are the device's newest hourly (2061) data set. */
#include <string.h>

#include "store/store.h"
#include "supervise-int.h"

struct latest_ctx {
    struct sup_outlet_data *d;
};

static int on_state(void *ud, const struct store_hj212_state *st)
{
    struct sup_outlet_data *d = ud;
    d->known = true;
    d->online = st->online;
    d->last_seen_s = st->last_seen_s;
    d->last_data_ms = st->last_data_ms;
    return 0;
}

static int on_reading(void *ud, const struct store_hj212_reading *r)
{
    struct sup_outlet_data *d = ud;
    if (r->cn != 2061 || r->vals_len > sizeof(d->vals))
        return 0;
    d->cn = r->cn;
    d->time_ms = r->time_ms;
    memcpy(d->vals, r->vals, r->vals_len);
    d->vals_len = r->vals_len;
    return 0;
}

int sup_outlet_data(struct store *s, const char *mn, struct sup_outlet_data *ret,
                    struct eg_errbuf *eb)
{
    struct sup_outlet_data d;
    memset(&d, 0, sizeof(d));
    if (mn && *mn) {
        int rc = store_hj212_state_each(s, mn, on_state, &d, eb);
        if (!rc && d.last_data_ms)
            rc = store_hj212_reading_each(s, d.last_data_ms, d.last_data_ms, mn, NULL, on_reading,
                                          &d, eb);
        if (rc)
            return rc;
    }
    *ret = d;
    return 0;
}
