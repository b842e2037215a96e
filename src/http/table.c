/* table.c — list answers: paging (?limit, ?offset), and the format (?format=json|csv|xlsx).
 * Handlers emit every row through fmt (the same record writer as the CLI, so keys and decimal
 * rendering are the CLI's); hr_row() tells whether a row falls on the requested page and counts
 * the total.  JSON is {"items": [...], "total", "offset", "limit"}; CSV and XLSX are the page's
 * rows as a download (exports default to every row, up to HTTP_PAGE_MAX).
 */
#include <stdlib.h>
#include <string.h>

#include "http-int.h"

int hr_table_begin(struct hreq *r)
{
    const char *f = hr_arg(r, "format");
    if (!f || !strcmp(f, "json"))
        r->format = HR_JSON;
    else if (!strcmp(f, "csv"))
        r->format = HR_CSV;
    else if (!strcmp(f, "xlsx"))
        r->format = HR_XLSX;
    else
        return hr_error(r, 400, "format", "'%.20s' is not json, csv or xlsx", f), -1;
    r->limit = r->format == HR_JSON ? HTTP_PAGE_DEFAULT : HTTP_PAGE_MAX;
    r->offset = 0;
    r->total = 0;
    if (hr_long(r, "limit", 1, HTTP_PAGE_MAX, &r->limit) < 0 ||
        hr_long(r, "offset", 0, 1000000000L, &r->offset) < 0)
        return -1;
    r->mem = open_memstream(&r->membuf, &r->memlen);
    if (!r->mem)
        return hr_error(r, 500, NULL, "out of memory"), -1;
    r->f = fmt_new(r->format == HR_CSV ? FMT_CSV : FMT_JSON, r->mem);
    if (!r->f) {
        fclose(r->mem);
        free(r->membuf);
        r->mem = NULL;
        r->membuf = NULL;
        return hr_error(r, 500, NULL, "out of memory"), -1;
    }
    return 0;
}

bool hr_row(struct hreq *r)
{
    long i = r->total++;
    return i >= r->offset && i - r->offset < r->limit;
}

int hr_table_end(struct hreq *r, int rc, const char *name)
{
    if (!r->f)
        return rc;
    int frc = fmt_finish(r->f);
    fmt_free(r->f);
    r->f = NULL;
    fclose(r->mem);
    r->mem = NULL;
    if (!rc)
        rc = frc;
    if (rc) {
        free(r->membuf);
        r->membuf = NULL;
        if (!r->status)
            hr_fail(r, rc);
        return 0;
    }
    eg_buf_reset(&r->out);
    switch (r->format) {
    case HR_JSON:
        rc = eg_buf_adds(&r->out, "{\"items\":");
        if (!rc)
            rc = eg_buf_add(&r->out, r->membuf, r->memlen);
        if (!rc)
            rc = eg_buf_addf(&r->out, ",\"total\":%ld,\"offset\":%ld,\"limit\":%ld}\n", r->total,
                             r->offset, r->limit);
        r->ctype = "application/json; charset=utf-8";
        break;
    case HR_CSV:
        /* a byte-order mark, so that Excel opens the UTF-8 Chinese text correctly */
        rc = eg_buf_adds(&r->out, "\xEF\xBB\xBF");
        if (!rc)
            rc = eg_buf_add(&r->out, r->membuf, r->memlen);
        r->ctype = "text/csv; charset=utf-8";
        r->disposition = hr_strf(r, "%s.csv", name);
        break;
    case HR_XLSX:
        rc = http__xlsx(r->membuf, r->memlen, name, &r->out, &r->eb);
        r->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        r->disposition = hr_strf(r, "%s.xlsx", name);
        break;
    }
    free(r->membuf);
    r->membuf = NULL;
    if (rc) {
        r->disposition = NULL;
        return hr_fail(r, rc);
    }
    r->status = 200;
    return 0;
}

int hr_record_end(struct hreq *r, int rc, const char *name)
{
    if (!r->f || r->format != HR_JSON)
        return hr_table_end(r, rc, name);
    int frc = fmt_finish(r->f);
    fmt_free(r->f);
    r->f = NULL;
    fclose(r->mem);
    r->mem = NULL;
    if (!rc)
        rc = frc;
    /* fmt wrote "[\n{…}\n]\n": keep the one object, with fmt's exact decimals */
    const char *p = r->membuf, *e = r->membuf + r->memlen;
    while (p < e && *p != '[')
        p++;
    while (e > p && e[-1] != ']')
        e--;
    if (!rc && (p >= e || e - p < 2))
        rc = eg_errf(&r->eb, EG_EIO, "%s: no record", name);
    if (!rc) {
        eg_buf_reset(&r->out);
        rc = eg_buf_add(&r->out, p + 1, (size_t)(e - p - 2));
        if (!rc)
            rc = eg_buf_adds(&r->out, "\n");
    }
    free(r->membuf);
    r->membuf = NULL;
    if (rc)
        return r->status ? 0 : hr_fail(r, rc);
    r->ctype = "application/json; charset=utf-8";
    r->status = 200;
    return 0;
}
