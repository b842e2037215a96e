/* stations.c — the importer of the national air-station list (data/README.md §2; 站点列表,
 * valid from 2022-02-13): header 监测点编码,监测点名称,城市,经度,纬度,对照点.
 *
 * 对照点 = Y marks background (and some stopped) stations, which never enter city values (HJ
 * 663-2013 Table A.2 note).  Every row is checked (code, non-empty name and city, decimal
 * longitude/latitude in range or "-" for unknown (stored as NaN), flag Y or N, no repeated code)
 * and written in one transaction: the first bad row rejects the whole file.  Re-importing updates
 * the stations it lists.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/eg_buf.h"
#include "common/eg_csv.h"
#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "ingest-int.h"
#include "ingest.h"
#include "store/store.h"

#define CODE_MAX 16
#define TEXT_MAX 256

static const char *const header[6] = {"监测点编码", "监测点名称", "城市", "经度", "纬度", "对照点"};

static int fail(struct eg_errbuf *eb, const char *file, long line, long col, const char *field,
                int code, const char *fmt, ...) EG_PRINTF(7, 8);

static int fail(struct eg_errbuf *eb, const char *file, long line, long col, const char *field,
                int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    eg_err_vlocf(eb, code, file, line, col, field, fmt, ap);
    va_end(ap);
    return code;
}

/* Decimal degrees; "-" or empty = unknown (NaN: 1045A and 3019A in the 2022 list). */
static int coord(struct eg_csv_field f, double lim, double *ret)
{
    int64_t v;
    if (f.n == 0 || (f.n == 1 && f.s[0] == '-')) {
        *ret = (double)NAN;
        return 0;
    }
    int rc = eg_dec_parse(f.s, f.n, 6, &v);
    if (rc)
        return rc;
    double d = (double)v / 1e6;
    if (d < -lim || d > lim)
        return EG_ERANGE;
    *ret = d;
    return 0;
}

/* Validate and write one row (inside the transaction). */
static int one_row(struct store *s, const struct eg_csv *c, const char *name,
                   struct ingest__strset *seen, struct eg_errbuf *eb)
{
    long line = c->line;
    struct eg_csv_field f[6];
    char *nm = NULL, *city = NULL;
    int rc;
    if (c->nfields != 6)
        return fail(eb, name, line, (long)(c->nfields < 6 ? c->nfields + 1 : 7), NULL, EG_EPARSE,
                    "row has %zu cells, the header has 6", c->nfields);
    for (size_t i = 0; i < 6; i++)
        f[i] = eg_csv_get(c, i);
    if (!ingest__code_ok(f[0].s, f[0].n, CODE_MAX))
        return fail(eb, name, line, 1, header[0], EG_EPARSE,
                    "station code \"%.*s\" is empty, too long or not alphanumeric",
                    (int)(f[0].n < 40 ? f[0].n : 40), f[0].s);
    char code[CODE_MAX + 1];
    eg_csv_copy(f[0], code, sizeof(code));
    for (size_t i = 1; i <= 2; i++)
        if (f[i].n == 0 || f[i].n > TEXT_MAX)
            return fail(eb, name, line, (long)i + 1, code, EG_EPARSE,
                        "%s is empty or longer than %d bytes", header[i], TEXT_MAX);
    struct store_station stn = {.code = code, .listed = true};
    if (coord(f[3], 180.0, &stn.lon))
        return fail(eb, name, line, 4, code, EG_EPARSE,
                    "longitude \"%.*s\" is not a decimal number within ±180",
                    (int)(f[3].n < 40 ? f[3].n : 40), f[3].s);
    if (coord(f[4], 90.0, &stn.lat))
        return fail(eb, name, line, 5, code, EG_EPARSE,
                    "latitude \"%.*s\" is not a decimal number within ±90",
                    (int)(f[4].n < 40 ? f[4].n : 40), f[4].s);
    if (eg_csv_eq(f[5], "Y"))
        stn.background = true;
    else if (!eg_csv_eq(f[5], "N"))
        return fail(eb, name, line, 6, code, EG_EPARSE, "对照点 flag \"%.*s\" is not Y or N",
                    (int)(f[5].n < 40 ? f[5].n : 40), f[5].s);
    bool added = false;
    if ((rc = ingest__strset_add(seen, f[0].s, f[0].n, &added)))
        return fail(eb, name, line, 1, code, rc, "%s",
                    rc == EG_ELIMIT ? "more stations than the limit" : "out of memory");
    if (!added)
        return fail(eb, name, line, 1, code, EG_EPARSE, "station code listed twice");
    nm = eg_strndup(f[1].s, f[1].n);
    city = eg_strndup(f[2].s, f[2].n);
    if (!nm || !city) {
        rc = fail(eb, name, line, 0, NULL, EG_ENOMEM, "out of memory");
        goto out;
    }
    stn.name = nm;
    stn.city = city;
    if ((rc = store_station_put(s, &stn, eb)))
        eg_err_at(eb, name, line, 0, code);
out:
    eg_free(nm);
    eg_free(city);
    return rc;
}

int ingest_stations_buffer(struct store *s, const char *buf, size_t len, const char *name,
                           struct ingest_stats *st, struct eg_errbuf *eb)
{
    struct eg_csv c;
    struct ingest__strset seen;
    long rows = 0;
    bool in_tx = false;
    int rc;

    if (!s || !buf)
        return eg_errf(eb, EG_EINVAL, "ingest_stations_buffer: no store or buffer");
    if (!name)
        name = "(buffer)";
    eg_errbuf_clear(eb);
    eg_csv_init(&c, buf, len, name);
    c.max_fields = 64;
    c.max_field_len = 4096;
    ingest__strset_init(&seen, INGEST_MAX_LIST_ROWS);
    rc = eg_csv_next(&c, eb);
    if (rc < 0)
        goto out;
    if (rc == 0) {
        rc = fail(eb, name, 1, 0, "header", EG_EPARSE, "empty file: no header");
        goto out;
    }
    for (size_t i = 0; i < 6; i++)
        if (!eg_csv_eq(eg_csv_get(&c, i), header[i])) {
            rc = fail(eb, name, c.line, (long)i + 1, "header", EG_EPARSE,
                      "expected \"%s\" (header 监测点编码,监测点名称,城市,经度,纬度,对照点)",
                      header[i]);
            goto out;
        }
    if (c.nfields != 6) {
        rc = fail(eb, name, c.line, 7, "header", EG_EPARSE, "header has %zu columns, expected 6",
                  c.nfields);
        goto out;
    }
    if ((rc = store_begin(s, eb)))
        goto out;
    in_tx = true;
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        if ((rc = one_row(s, &c, name, &seen, eb)))
            goto out;
        rows++;
    }
    if (rc < 0)
        goto out;
    if (rows == 0) {
        rc = fail(eb, name, c.next_line, 0, NULL, EG_EPARSE, "no stations");
        goto out;
    }
    rc = store_commit(s, eb);
    in_tx = false;
out:
    if (rc && in_tx)
        store_rollback(s);
    eg_csv_done(&c);
    ingest__strset_done(&seen);
    if (st) {
        st->files++;
        if (rc) {
            st->skipped++;
        } else {
            st->files_new++;
            st->rows += rows;
        }
    }
    return rc;
}

int ingest_stations_file(struct store *s, const char *path, struct ingest_stats *st,
                         struct eg_errbuf *eb)
{
    char *buf = NULL;
    size_t len = 0;
    int rc = eg_file_read(path, INGEST_FILE_LIMIT, &buf, &len, eb);
    if (rc) {
        if (st) {
            st->files++;
            st->skipped++;
        }
        return rc;
    }
    rc = ingest_stations_buffer(s, buf, len, path, st, eb);
    eg_free(buf);
    return rc;
}
