/* devices.c — the HJ 212 device registry importer (`envgov import devices FILE.csv`).
 *
 * Header (any order, names case-sensitive): mn,pw,point,st and optionally protocol, crc.
 * mn: 1..64 printable ASCII bytes without ',' ';' '=' '&' (they would break a packet header);
 * pw: 0..32 such bytes ("" = not checked); point: "" or a code of [0-9A-Za-z_-], ≤ 32; st: "" or
 * 2..3 characters [0-9A-Z]; protocol: "", auto, 2005, 2017; crc: "", std, modbus,
 * modbus-swapped.  A repeated MN is an error.  The whole file is parsed and checked before
 * anything is written; the writes share one transaction (all or nothing).
 */
#include <string.h>

#include "common/eg_buf.h"
#include "common/eg_csv.h"
#include "common/eg_mem.h"
#include "ingest-int.h"
#include "ingest.h"
#include "store/store.h"

enum { C_MN, C_PW, C_POINT, C_ST, C_PROTOCOL, C_CRC, C_N };
static const char *const col_names[C_N] = {"mn", "pw", "point", "st", "protocol", "crc"};

static int bad(struct eg_errbuf *eb, const char *name, long line, long col, const char *field,
               const char *msg)
{
    int rc = eg_errf(eb, EG_EPARSE, "%s", msg);
    eg_err_at(eb, name, line, col, field);
    return rc;
}

static bool header_safe(struct eg_csv_field f)
{
    for (size_t i = 0; i < f.n; i++) {
        unsigned char ch = (unsigned char)f.s[i];
        if (ch < 0x21 || ch > 0x7e || ch == ',' || ch == ';' || ch == '=' || ch == '&')
            return false;
    }
    return true;
}

static bool eq(struct eg_csv_field f, const char *s)
{
    return eg_csv_eq(f, s);
}

int ingest_devices_parse(const char *buf, size_t len, const char *name, ingest_device_cb cb,
                         void *ud, struct eg_errbuf *eb)
{
    struct eg_csv c;
    struct ingest__strset seen;
    int col[C_N], rc;
    long rows = 0;
    eg_csv_init(&c, buf, len, name);
    c.max_fields = 64;
    c.max_field_len = 4096;
    ingest__strset_init(&seen, INGEST_MAX_DEVICES);
    for (int i = 0; i < C_N; i++)
        col[i] = -1;
    rc = eg_csv_next(&c, eb);
    if (rc <= 0) {
        if (rc == 0)
            rc = bad(eb, name, 1, 0, "header", "empty file: expected the header mn,pw,point,st");
        goto out;
    }
    for (size_t i = 0; i < c.nfields; i++) {
        struct eg_csv_field f = eg_csv_get(&c, i);
        int k = -1;
        for (int j = 0; j < C_N; j++)
            if (eq(f, col_names[j]))
                k = j;
        if (k < 0 || col[k] >= 0) {
            rc = bad(eb, name, c.line, (long)i + 1, "header",
                     k < 0 ? "unknown column (expected mn,pw,point,st[,protocol][,crc])"
                           : "repeated column");
            goto out;
        }
        col[k] = (int)i;
    }
    for (int j = 0; j < C_ST + 1; j++)
        if (col[j] < 0) {
            rc = bad(eb, name, c.line, 0, "header", "missing column: need mn,pw,point,st");
            goto out;
        }
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        struct eg_csv_field f[C_N];
        char mn[STORE_HJ212_MN_MAX + 1], pw[STORE_HJ212_PW_MAX + 1], point[33], st[4];
        if (c.nfields != (size_t)0 && c.nfields < (size_t)(col[C_ST] + 1)) {
            rc = bad(eb, name, c.line, (long)c.nfields, NULL, "too few fields");
            goto out;
        }
        for (int j = 0; j < C_N; j++)
            f[j] = col[j] >= 0 ? eg_csv_get(&c, (size_t)col[j]) : (struct eg_csv_field){"", 0};
        if (f[C_MN].n == 0 || f[C_MN].n > STORE_HJ212_MN_MAX || !header_safe(f[C_MN])) {
            rc = bad(eb, name, c.line, col[C_MN] + 1, "mn",
                     "MN must be 1 to 64 printable characters without , ; = &");
            goto out;
        }
        if (f[C_PW].n > STORE_HJ212_PW_MAX || !header_safe(f[C_PW])) {
            rc = bad(eb, name, c.line, col[C_PW] + 1, "pw",
                     "PW must be at most 32 printable characters without , ; = &");
            goto out;
        }
        if (f[C_POINT].n && !ingest__code_ok(f[C_POINT].s, f[C_POINT].n, 32)) {
            rc = bad(eb, name, c.line, col[C_POINT] + 1, "point",
                     "point must be a code of letters and digits, at most 32");
            goto out;
        }
        bool st_ok = f[C_ST].n == 0 || f[C_ST].n == 2 || f[C_ST].n == 3;
        for (size_t i = 0; i < f[C_ST].n && st_ok; i++) {
            char ch = f[C_ST].s[i];
            st_ok = (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z');
        }
        if (!st_ok) {
            rc = bad(eb, name, c.line, col[C_ST] + 1, "st",
                     "ST must be 2 or 3 characters of 0-9, A-Z (HJ 212-2017 Table 5)");
            goto out;
        }
        int protocol = -1, crc = -1;
        if (f[C_PROTOCOL].n == 0 || eq(f[C_PROTOCOL], "auto"))
            protocol = 0;
        else if (eq(f[C_PROTOCOL], "2005"))
            protocol = 2005;
        else if (eq(f[C_PROTOCOL], "2017"))
            protocol = 2017;
        if (protocol < 0) {
            rc = bad(eb, name, c.line, col[C_PROTOCOL] + 1, "protocol",
                     "protocol must be auto, 2005 or 2017");
            goto out;
        }
        if (f[C_CRC].n == 0 || eq(f[C_CRC], "std") || eq(f[C_CRC], "hj212"))
            crc = 0;
        else if (eq(f[C_CRC], "modbus"))
            crc = 1;
        else if (eq(f[C_CRC], "modbus-swapped"))
            crc = 2;
        if (crc < 0) {
            rc = bad(eb, name, c.line, col[C_CRC] + 1, "crc",
                     "crc must be std, modbus or modbus-swapped");
            goto out;
        }
        bool added = false;
        if ((rc = ingest__strset_add(&seen, f[C_MN].s, f[C_MN].n, &added))) {
            eg_errf(eb, rc, "more than %d devices", INGEST_MAX_DEVICES);
            eg_err_at(eb, name, c.line, col[C_MN] + 1, "mn");
            goto out;
        }
        if (!added) {
            rc = bad(eb, name, c.line, col[C_MN] + 1, "mn", "MN listed twice");
            goto out;
        }
        eg_csv_copy(f[C_MN], mn, sizeof(mn));
        eg_csv_copy(f[C_PW], pw, sizeof(pw));
        eg_csv_copy(f[C_POINT], point, sizeof(point));
        eg_csv_copy(f[C_ST], st, sizeof(st));
        struct store_hj212_device d = {mn, pw, point, st, protocol, crc, true};
        rows++;
        if (cb && (rc = cb(ud, &d)))
            goto out;
    }
out:
    ingest__strset_done(&seen);
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

struct put_ctx {
    struct store *s;
    struct eg_errbuf *eb;
    long n;
};

static int count_cb(void *ud, const struct store_hj212_device *d)
{
    (void)d;
    ((struct put_ctx *)ud)->n++;
    return 0;
}

static int put_cb(void *ud, const struct store_hj212_device *d)
{
    struct put_ctx *p = ud;
    return store_hj212_device_put(p->s, d, p->eb);
}

int ingest_devices_buffer(struct store *s, const char *buf, size_t len, const char *name,
                          struct ingest_stats *st, struct eg_errbuf *eb)
{
    struct put_ctx p = {s, eb, 0};
    int rc = ingest_devices_parse(buf, len, name, count_cb, &p, eb);
    if (rc)
        return rc;
    if ((rc = store_begin(s, eb)))
        return rc;
    if ((rc = ingest_devices_parse(buf, len, name, put_cb, &p, eb)) || (rc = store_commit(s, eb))) {
        store_rollback(s);
        return rc;
    }
    if (st) {
        st->files++;
        st->files_new++;
        st->rows += p.n;
    }
    return 0;
}

int ingest_devices_file(struct store *s, const char *path, struct ingest_stats *st,
                        struct eg_errbuf *eb)
{
    char *buf = NULL;
    size_t len = 0;
    int rc = eg_file_read(path, INGEST_FILE_LIMIT, &buf, &len, eb);
    if (rc)
        return rc;
    rc = ingest_devices_buffer(s, buf, len, path, st, eb);
    eg_free(buf);
    return rc;
}
