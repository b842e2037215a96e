/* store_hj212.c — the hj212 domain of the store (store.h "hj212"): argument checks shared by every
 * back-end, then dispatch through struct store_ops; and the reading value blob.
 *
 * The blob is a sequence of entries [u8 item_len][item][u8 field_len][field][u16le value_len]
 * [value], an item's fields next to each other, values as received on the wire (exact decimal
 * text: no binary floating point ever touches a reading).  docs/storage.md "The hj212 domain".
 */
#include <string.h>

#include "store-int.h"
#include "store.h"

static const char *const rej_names[STORE_HJ212_REJ__COUNT] = {
    [STORE_HJ212_REJ_PW] = "pw",
    [STORE_HJ212_REJ_PARSE] = "parse",
    [STORE_HJ212_REJ_CRC] = "crc",
    [STORE_HJ212_REJ_LENGTH] = "length_mismatch",
    [STORE_HJ212_REJ_BAD_LENGTH] = "bad_length",
    [STORE_HJ212_REJ_OVERSIZE] = "oversize",
    [STORE_HJ212_REJ_TRUNCATED] = "truncated",
    [STORE_HJ212_REJ_STRAY] = "stray",
    [STORE_HJ212_REJ_ST] = "st",
};

const char *store_hj212_rej_name(int reason)
{
    if (reason < 0 || reason >= STORE_HJ212_REJ__COUNT)
        return "?";
    return rej_names[reason];
}

/* Printable ASCII, 1..max bytes (max 0: may be empty). */
static int check_str(const char *s, size_t min, size_t max, const char *what, struct eg_errbuf *eb)
{
    if (!s)
        return eg_errf(eb, EG_EINVAL, "%s missing", what);
    size_t n = strnlen(s, max + 1);
    if (n < min || n > max)
        return eg_errf(eb, EG_EINVAL, "%s must be %zu to %zu bytes", what, min, max);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
            return eg_errf(eb, EG_EINVAL, "%s contains a control character", what);
    return 0;
}

static int check_mn(const char *mn, struct eg_errbuf *eb)
{
    return check_str(mn, 1, STORE_HJ212_MN_MAX, "MN", eb);
}

int store_hj212_device_put(struct store *s, const struct store_hj212_device *d,
                           struct eg_errbuf *eb)
{
    int rc;
    if (!d)
        return eg_errf(eb, EG_EINVAL, "store_hj212_device_put: no device");
    if ((rc = check_mn(d->mn, eb)) || (rc = check_str(d->pw, 0, STORE_HJ212_PW_MAX, "PW", eb)) ||
        (rc = check_str(d->point, 0, STORE__CODE_MAX, "point", eb)) ||
        (rc = check_str(d->st, 0, 3, "ST", eb)))
        return rc;
    if (d->protocol != 0 && d->protocol != 2005 && d->protocol != 2017)
        return eg_errf(eb, EG_EINVAL, "protocol must be 2005, 2017 or auto");
    if (d->crc < 0 || d->crc > 2)
        return eg_errf(eb, EG_EINVAL, "crc must be std, modbus or modbus-swapped");
    return s->ops->hj212_device_put(s, d, eb);
}

int store_hj212_device_each(struct store *s, const char *mn, store_hj212_device_cb cb, void *ud,
                            struct eg_errbuf *eb)
{
    int rc;
    if (!cb)
        return eg_errf(eb, EG_EINVAL, "store_hj212_device_each: no callback");
    if (mn && (rc = check_mn(mn, eb)))
        return rc;
    return s->ops->hj212_device_each(s, mn, cb, ud, eb);
}

int store_hj212_state_put(struct store *s, const struct store_hj212_state *st, struct eg_errbuf *eb)
{
    int rc;
    if (!st || !st->mn)
        return eg_errf(eb, EG_EINVAL, "store_hj212_state_put: no state");
    if ((st->mn[0] && (rc = check_mn(st->mn, eb))) ||
        (rc = check_str(st->peer ? st->peer : "", 0, STORE__TEXT_MAX, "peer", eb)))
        return rc;
    return s->ops->hj212_state_put(s, st, eb);
}

int store_hj212_state_each(struct store *s, const char *mn, store_hj212_state_cb cb, void *ud,
                           struct eg_errbuf *eb)
{
    if (!cb)
        return eg_errf(eb, EG_EINVAL, "store_hj212_state_each: no callback");
    if (mn && strnlen(mn, STORE_HJ212_MN_MAX + 1) > STORE_HJ212_MN_MAX)
        return eg_errf(eb, EG_EINVAL, "MN longer than %d bytes", STORE_HJ212_MN_MAX);
    return s->ops->hj212_state_each(s, mn, cb, ud, eb);
}

int store_hj212_vals_add(struct store_hj212_vals *v, const char *item, size_t item_len,
                         const char *field, size_t field_len, const char *value, size_t value_len)
{
    if (item_len > 255 || field_len > 255 || value_len > 65535)
        return EG_ELIMIT;
    size_t need = 4 + item_len + field_len + value_len;
    if (need > v->cap - v->len)
        return EG_ELIMIT;
    unsigned char *p = v->p + v->len;
    *p++ = (unsigned char)item_len;
    memcpy(p, item, item_len);
    p += item_len;
    *p++ = (unsigned char)field_len;
    memcpy(p, field, field_len);
    p += field_len;
    *p++ = (unsigned char)(value_len & 0xff);
    *p++ = (unsigned char)(value_len >> 8);
    if (value_len)
        memcpy(p, value, value_len);
    v->len += need;
    return 0;
}

int store_hj212_vals_next(const void *blob, size_t len, size_t *pos, struct store_hj212_entry *ret)
{
    const unsigned char *b = blob;
    size_t i = *pos;
    if (i >= len)
        return 0;
    struct store_hj212_entry e;
    e.item_len = b[i++];
    if (len - i < e.item_len + 1)
        return EG_EPARSE;
    e.item = (const char *)b + i;
    i += e.item_len;
    e.field_len = b[i++];
    if (len - i < e.field_len + 2)
        return EG_EPARSE;
    e.field = (const char *)b + i;
    i += e.field_len;
    e.value_len = (size_t)b[i] | (size_t)b[i + 1] << 8;
    i += 2;
    if (len - i < e.value_len)
        return EG_EPARSE;
    e.value = (const char *)b + i;
    i += e.value_len;
    *pos = i;
    *ret = e;
    return 1;
}

int store_hj212_reading_put(struct store *s, const struct store_hj212_reading *r, int *ret_values,
                            int *ret_replaced, struct eg_errbuf *eb)
{
    int rc;
    if (!r)
        return eg_errf(eb, EG_EINVAL, "store_hj212_reading_put: no reading");
    if ((rc = check_mn(r->mn, eb)) ||
        (rc = check_str(r->point ? r->point : "", 0, STORE__CODE_MAX, "point", eb)) ||
        (rc = check_str(r->st ? r->st : "", 0, 8, "ST", eb)))
        return rc;
    if (r->cn < 0 || r->cn > 9999)
        return eg_errf(eb, EG_EINVAL, "CN %d out of range", r->cn);
    if (!r->vals || r->vals_len > STORE_HJ212_VALS_MAX)
        return eg_errf(eb, EG_ELIMIT, "reading values missing or over %d bytes",
                       STORE_HJ212_VALS_MAX);
    return s->ops->hj212_reading_put(s, r, ret_values, ret_replaced, eb);
}

int store_hj212_reading_each(struct store *s, int64_t from_ms, int64_t to_ms, const char *mn,
                             const char *point, store_hj212_reading_cb cb, void *ud,
                             struct eg_errbuf *eb)
{
    int rc;
    if (!cb)
        return eg_errf(eb, EG_EINVAL, "store_hj212_reading_each: no callback");
    if ((mn && (rc = check_mn(mn, eb))) ||
        (point && (rc = check_str(point, 1, STORE__CODE_MAX, "point", eb))))
        return rc;
    if (from_ms > to_ms)
        return eg_errf(eb, EG_ERANGE, "time range: from after to");
    return s->ops->hj212_reading_each(s, from_ms, to_ms, mn, point, cb, ud, eb);
}

int store_hj212_quarantine_put(struct store *s, const char *mn, const char *peer,
                               int64_t received_s, const char *frame, size_t frame_len,
                               struct eg_errbuf *eb)
{
    if (!mn || strnlen(mn, STORE_HJ212_MN_MAX + 1) > STORE_HJ212_MN_MAX || !frame ||
        frame_len > 65536)
        return eg_errf(eb, EG_EINVAL, "store_hj212_quarantine_put: bad arguments");
    return s->ops->hj212_quarantine_put(s, mn, peer ? peer : "", received_s, frame, frame_len, eb);
}

int store_hj212_quarantine_each(struct store *s, const char *mn, store_hj212_quarantine_cb cb,
                                void *ud, struct eg_errbuf *eb)
{
    if (!cb)
        return eg_errf(eb, EG_EINVAL, "store_hj212_quarantine_each: no callback");
    return s->ops->hj212_quarantine_each(s, mn, cb, ud, eb);
}

/* A limit: an optional '-', digits, optional '.' and digits. */
static int check_decimal(const char *v, struct eg_errbuf *eb)
{
    size_t n = v ? strnlen(v, 33) : 0, i = 0, digits = 0;
    if (n == 0 || n > 32)
        return eg_errf(eb, EG_EINVAL, "limit must be a decimal number");
    if (v[0] == '-')
        i++;
    bool dot = false;
    for (; i < n; i++) {
        if (v[i] >= '0' && v[i] <= '9')
            digits++;
        else if (v[i] == '.' && !dot)
            dot = true;
        else
            return eg_errf(eb, EG_EINVAL, "limit \"%s\" is not a decimal number", v);
    }
    return digits ? 0 : eg_errf(eb, EG_EINVAL, "limit \"%s\" is not a decimal number", v);
}

int store_hj212_limit_put(struct store *s, const char *point, const char *item, const char *max,
                          struct eg_errbuf *eb)
{
    int rc;
    if ((rc = check_str(point, 1, STORE__CODE_MAX, "point", eb)) ||
        (rc = check_str(item, 1, STORE__ITEM_MAX, "item", eb)) ||
        (max && (rc = check_decimal(max, eb))))
        return rc;
    return s->ops->hj212_limit_put(s, point, item, max, eb);
}

int store_hj212_limit_each(struct store *s, store_hj212_limit_cb cb, void *ud, struct eg_errbuf *eb)
{
    if (!cb)
        return eg_errf(eb, EG_EINVAL, "store_hj212_limit_each: no callback");
    return s->ops->hj212_limit_each(s, cb, ud, eb);
}

int store_hj212_alarm_add(struct store *s, const struct store_hj212_alarm *a, struct eg_errbuf *eb)
{
    if (!a || !a->mn || !a->kind)
        return eg_errf(eb, EG_EINVAL, "store_hj212_alarm_add: no alarm");
    return s->ops->hj212_alarm_add(s, a, eb);
}

int store_hj212_alarm_each(struct store *s, int64_t from_s, int64_t to_s, const char *mn,
                           store_hj212_alarm_cb cb, void *ud, struct eg_errbuf *eb)
{
    if (!cb)
        return eg_errf(eb, EG_EINVAL, "store_hj212_alarm_each: no callback");
    return s->ops->hj212_alarm_each(s, from_s, to_s, mn, cb, ud, eb);
}

int store_hj212_cmd_add(struct store *s, const char *mn, int cn, const char *cp, int64_t *ret_id,
                        struct eg_errbuf *eb)
{
    int rc;
    if ((rc = check_mn(mn, eb)) || (rc = check_str(cp ? cp : "", 0, 950, "CP", eb)))
        return rc;
    if (cn < 1000 || cn > 9999)
        return eg_errf(eb, EG_EINVAL, "CN %d out of range", cn);
    return s->ops->hj212_cmd_add(s, mn, cn, cp ? cp : "", ret_id, eb);
}

int store_hj212_cmd_update(struct store *s, const struct store_hj212_cmd *c, struct eg_errbuf *eb)
{
    if (!c || c->id <= 0 || !c->state)
        return eg_errf(eb, EG_EINVAL, "store_hj212_cmd_update: no command");
    return s->ops->hj212_cmd_update(s, c, eb);
}

int store_hj212_cmd_each(struct store *s, int64_t id, const char *state, store_hj212_cmd_cb cb,
                         void *ud, struct eg_errbuf *eb)
{
    if (!cb)
        return eg_errf(eb, EG_EINVAL, "store_hj212_cmd_each: no callback");
    return s->ops->hj212_cmd_each(s, id, state, cb, ud, eb);
}

int store_hj212_durable(struct store *s, struct eg_errbuf *eb)
{
    return s->ops->hj212_durable(s, eb);
}

int store_hj212_registry_stamp(struct store *s, int64_t *ret, struct eg_errbuf *eb)
{
    if (!ret)
        return eg_errf(eb, EG_EINVAL, "store_hj212_registry_stamp: no result");
    return s->ops->hj212_registry_stamp(s, ret, eb);
}
