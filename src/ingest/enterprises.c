/* enterprises.c — the importer of the enterprise registry (一企一档): a CSV in the column layout
 * bureaus keep (ingest.h; docs/supervision.md), English or Chinese header names, any column
 * order, extra columns ignored.
 *
 * Every row is validated before anything is written: the USCC by its GB 32100-2015 check
 * character (a wrong code is an error that says so), no repeated USCC, a non-empty name, a
 * GB/T 4754-2017 industry code (optional section letter, 2-4 digits), a region, coordinates in
 * range or empty, a known status, list names and year, a permit's class and dates.  Without
 * --skip-invalid the first bad row rejects the whole file; with it the bad rows are listed.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/eg_buf.h"
#include "common/eg_csv.h"
#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "ingest-int.h"
#include "ingest.h"
#include "store/store.h"
#include "supervise/supervise.h"

enum col {
    C_USCC,
    C_NAME,
    C_INDUSTRY,
    C_REGION,
    C_ADDRESS,
    C_LON,
    C_LAT, /* required */
    C_STATUS,
    C_LISTS,
    C_LIST_YEAR,
    C_PERMIT_NO,
    C_PERMIT_CLASS,
    C_PERMIT_FROM,
    C_PERMIT_TO,
    C_N
};
#define C_REQUIRED 7

static const char *const names_en[C_N] = {
    "uscc",   "name",  "industry",  "region",    "address",      "lon",         "lat",
    "status", "lists", "list_year", "permit_no", "permit_class", "permit_from", "permit_to"};
static const char *const names_zh[C_N] = {"统一社会信用代码",
                                          "企业名称",
                                          "行业代码",
                                          "行政区划",
                                          "地址",
                                          "经度",
                                          "纬度",
                                          "状态",
                                          "名录",
                                          "名录年份",
                                          "排污许可证编号",
                                          "管理类别",
                                          "有效期起",
                                          "有效期止"};

#define TEXT_MAX 512

struct row {
    struct ingest_enterprise e;
    char uscc[USCC_LEN + 1], name[TEXT_MAX], industry[16], region[STORE_WORK_CODE_MAX + 1];
    char address[TEXT_MAX], status[16], lists[TEXT_MAX], permit_no[STORE_WORK_CODE_MAX + 1];
    char permit_class[32];
};

static int rowerr(char *why, size_t n, const char *fmt, ...) EG_PRINTF(3, 4);
static int rowerr(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return EG_EPARSE;
}

static bool copy_text(struct eg_csv_field f, char *dst, size_t n)
{
    /* trim blanks */
    while (f.n && (f.s[0] == ' ' || f.s[0] == '\t')) {
        f.s++;
        f.n--;
    }
    while (f.n && (f.s[f.n - 1] == ' ' || f.s[f.n - 1] == '\t'))
        f.n--;
    if (f.n >= n)
        return false;
    memcpy(dst, f.s, f.n);
    dst[f.n] = 0;
    return memchr(dst, 0, f.n) == NULL;
}

static bool industry_ok(const char *s)
{
    size_t i = 0, n = strlen(s);
    if (n && s[0] >= 'A' && s[0] <= 'T')
        i = 1;
    if (i == 1 && n == 1)
        return true;
    if (n - i < 2 || n - i > 4)
        return false;
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int coord(struct eg_csv_field f, double lim, double *ret)
{
    int64_t v;
    if (f.n == 0) {
        *ret = (double)NAN;
        return 0;
    }
    if (eg_dec_parse(f.s, f.n, 6, &v))
        return EG_EPARSE;
    double d = (double)v / 1e6;
    if (d < -lim || d > lim)
        return EG_ERANGE;
    *ret = d;
    return 0;
}

static bool lists_ok(const char *s)
{
    size_t run = 0;
    for (const char *p = s; *p; p++) {
        if (*p == ';') {
            if (!run)
                return false;
            run = 0;
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_') {
            if (++run > 32)
                return false;
        } else {
            return false;
        }
    }
    return !*s || run;
}

static int date_of(struct eg_csv_field f, int32_t *ret)
{
    return eg_date_parse(f.s, f.n, ret);
}

/* Validate one row into r; on failure the reason in why and the 1-based column in *ret_col. */
static int one_row(const struct eg_csv *c, const int col[C_N], struct row *r, char *why,
                   size_t whyn, long *ret_col)
{
    struct eg_csv_field f[C_N];
    memset(r, 0, sizeof(*r));
    for (int i = 0; i < C_N; i++) {
        f[i] = col[i] >= 0 ? eg_csv_get(c, (size_t)col[i]) : (struct eg_csv_field){"", 0};
    }
#define AT(i) (*ret_col = col[i] + 1)
    AT(C_USCC);
    char u[64];
    if (!copy_text(f[C_USCC], u, sizeof(u)))
        return rowerr(why, whyn, "unified social credit code is too long");
    char uwhy[160];
    if (uscc_check(u, strlen(u), uwhy, sizeof(uwhy)))
        return rowerr(why, whyn, "unified social credit code \"%s\" is invalid: %s", u, uwhy);
    memcpy(r->uscc, u, USCC_LEN + 1);
    AT(C_NAME);
    if (!copy_text(f[C_NAME], r->name, sizeof(r->name)) || !r->name[0])
        return rowerr(why, whyn, "name is empty or longer than %d bytes", TEXT_MAX - 1);
    AT(C_INDUSTRY);
    if (!copy_text(f[C_INDUSTRY], r->industry, sizeof(r->industry)) || !industry_ok(r->industry))
        return rowerr(why, whyn,
                      "industry \"%.*s\" is not a GB/T 4754-2017 code (e.g. 2511 or C2511)",
                      (int)(f[C_INDUSTRY].n < 40 ? f[C_INDUSTRY].n : 40), f[C_INDUSTRY].s);
    AT(C_REGION);
    if (!copy_text(f[C_REGION], r->region, sizeof(r->region)) || !r->region[0])
        return rowerr(why, whyn, "region is empty or too long");
    AT(C_ADDRESS);
    if (!copy_text(f[C_ADDRESS], r->address, sizeof(r->address)))
        return rowerr(why, whyn, "address is longer than %d bytes", TEXT_MAX - 1);
    AT(C_LON);
    if (coord(f[C_LON], 180.0, &r->e.lon))
        return rowerr(why, whyn, "longitude \"%.*s\" is not a decimal within ±180",
                      (int)(f[C_LON].n < 40 ? f[C_LON].n : 40), f[C_LON].s);
    AT(C_LAT);
    if (coord(f[C_LAT], 90.0, &r->e.lat))
        return rowerr(why, whyn, "latitude \"%.*s\" is not a decimal within ±90",
                      (int)(f[C_LAT].n < 40 ? f[C_LAT].n : 40), f[C_LAT].s);
    AT(C_STATUS);
    char st[32];
    if (!copy_text(f[C_STATUS], st, sizeof(st)))
        return rowerr(why, whyn, "status is too long");
    const char *status = !st[0] || !strcmp(st, "active") || !strcmp(st, "在产") ||
                                 !strcmp(st, "正常") || !strcmp(st, "运行")
                             ? "active"
                         : !strcmp(st, "suspended") || !strcmp(st, "停产") ? "suspended"
                         : !strcmp(st, "closed") || !strcmp(st, "关闭") || !strcmp(st, "注销")
                             ? "closed"
                             : NULL;
    if (!status)
        return rowerr(why, whyn, "status \"%s\" is not active, suspended or closed", st);
    snprintf(r->status, sizeof(r->status), "%s", status);
    AT(C_LISTS);
    if (!copy_text(f[C_LISTS], r->lists, sizeof(r->lists)) || !lists_ok(r->lists))
        return rowerr(why, whyn, "lists must be list names (a-z, 0-9, _) separated by ';'");
    AT(C_LIST_YEAR);
    if (r->lists[0]) {
        int64_t y;
        if (eg_dec_parse(f[C_LIST_YEAR].s, f[C_LIST_YEAR].n, 0, &y) || y < 1900 || y > 2200)
            return rowerr(why, whyn, "lists need a list_year (1900-2200)");
        r->e.list_year = (int)y;
    }
    AT(C_PERMIT_NO);
    if (!copy_text(f[C_PERMIT_NO], r->permit_no, sizeof(r->permit_no)))
        return rowerr(why, whyn, "permit number is too long");
    if (r->permit_no[0]) {
        AT(C_PERMIT_CLASS);
        if (!copy_text(f[C_PERMIT_CLASS], r->permit_class, sizeof(r->permit_class)) ||
            (strcmp(r->permit_class, "重点管理") && strcmp(r->permit_class, "简化管理") &&
             strcmp(r->permit_class, "登记管理")))
            return rowerr(why, whyn, "permit class must be 重点管理, 简化管理 or 登记管理");
        AT(C_PERMIT_FROM);
        if (date_of(f[C_PERMIT_FROM], &r->e.permit_from))
            return rowerr(why, whyn, "permit_from is not a date (YYYY-MM-DD)");
        AT(C_PERMIT_TO);
        if (date_of(f[C_PERMIT_TO], &r->e.permit_to) || r->e.permit_to < r->e.permit_from)
            return rowerr(why, whyn, "permit_to is not a date on or after permit_from");
    }
#undef AT
    r->e.line = c->line;
    r->e.uscc = r->uscc;
    r->e.name = r->name;
    r->e.industry = r->industry;
    r->e.region = r->region;
    r->e.address = r->address;
    r->e.status = r->status;
    r->e.lists = r->lists;
    r->e.permit_no = r->permit_no;
    r->e.permit_class = r->permit_class;
    return 0;
}

void ingest_ent_report_done(struct ingest_ent_report *r)
{
    if (!r)
        return;
    eg_free(r->skips);
    memset(r, 0, sizeof(*r));
}

static int header(struct eg_csv *c, const char *name, int col[C_N], struct eg_errbuf *eb)
{
    for (int i = 0; i < C_N; i++)
        col[i] = -1;
    for (size_t j = 0; j < c->nfields; j++) {
        struct eg_csv_field f = eg_csv_get(c, j);
        for (int i = 0; i < C_N; i++)
            if (eg_csv_eq(f, names_en[i]) || eg_csv_eq(f, names_zh[i])) {
                if (col[i] >= 0) {
                    eg_errf(eb, EG_EPARSE, "column %s appears twice", names_en[i]);
                    eg_err_at(eb, name, c->line, (long)j + 1, "header");
                    return EG_EPARSE;
                }
                col[i] = (int)j;
            }
    }
    for (int i = 0; i < C_REQUIRED; i++)
        if (col[i] < 0) {
            eg_errf(eb, EG_EPARSE,
                    "the header has no column %s (%s); required: "
                    "uscc,name,industry,region,address,lon,lat",
                    names_en[i], names_zh[i]);
            eg_err_at(eb, name, c->line, 0, "header");
            return EG_EPARSE;
        }
    return 0;
}

int ingest_enterprises_parse(const char *buf, size_t len, const char *name, bool skip_invalid,
                             ingest_enterprise_cb cb, void *ud, struct ingest_ent_report *rep,
                             struct eg_errbuf *eb)
{
    struct eg_csv c;
    struct ingest__strset seen;
    struct row *r = NULL;
    int col[C_N];
    int rc;
    long rows = 0, skipped = 0;
    if (!buf || !cb || !rep)
        return eg_errf(eb, EG_EINVAL, "ingest_enterprises_parse: no input, callback or report");
    if (!name)
        name = "(buffer)";
    eg_errbuf_clear(eb);
    /* pass 1 validates everything, pass 2 hands out the valid rows */
    for (int pass = 1; pass <= 2; pass++) {
        eg_csv_init(&c, buf, len, name);
        c.max_fields = 256;
        c.max_field_len = 4096;
        ingest__strset_init(&seen, INGEST_MAX_ENTERPRISES);
        if (!r && !(r = eg_malloc(sizeof(*r)))) {
            rc = eg_errf(eb, EG_ENOMEM, "out of memory");
            goto out;
        }
        rc = eg_csv_next(&c, eb);
        if (rc < 0)
            goto out;
        if (rc == 0) {
            rc = eg_errf(eb, EG_EPARSE, "empty file: no header");
            eg_err_at(eb, name, 1, 0, "header");
            goto out;
        }
        if ((rc = header(&c, name, col, eb)))
            goto out;
        while ((rc = eg_csv_next(&c, eb)) == 1) {
            char why[200];
            long column = 0;
            int bad = one_row(&c, col, r, why, sizeof(why), &column);
            if (!bad) {
                bool added = false;
                if ((rc = ingest__strset_add(&seen, r->uscc, USCC_LEN, &added))) {
                    eg_errf(eb, rc, "more than %d enterprises or out of memory",
                            INGEST_MAX_ENTERPRISES);
                    eg_err_at(eb, name, c.line, 0, NULL);
                    goto out;
                }
                if (!added) {
                    bad = EG_EPARSE;
                    column = col[C_USCC] + 1;
                    snprintf(why, sizeof(why), "unified social credit code %s is listed twice",
                             r->uscc);
                }
            }
            if (bad) {
                if (!skip_invalid) {
                    eg_errf(eb, EG_EPARSE, "%s", why);
                    eg_err_at(eb, name, c.line, column, "row");
                    rc = EG_EPARSE;
                    goto out;
                }
                if (pass == 1) {
                    skipped++;
                    if (rep->nskips < INGEST_MAX_SKIPS) {
                        if (!rep->skips &&
                            !(rep->skips = eg_calloc(INGEST_MAX_SKIPS, sizeof(*rep->skips)))) {
                            rc = eg_errf(eb, EG_ENOMEM, "out of memory");
                            goto out;
                        }
                        rep->skips[rep->nskips].line = c.line;
                        snprintf(rep->skips[rep->nskips].why, sizeof(rep->skips[0].why), "%s", why);
                        rep->nskips++;
                    }
                }
                continue;
            }
            if (pass == 2) {
                if ((rc = cb(ud, &r->e)))
                    goto out;
                rows++;
            }
        }
        if (rc < 0)
            goto out;
        rc = 0;
        eg_csv_done(&c);
        ingest__strset_done(&seen);
    }
    rep->rows += rows;
    rep->skipped += skipped;
    eg_free(r);
    return 0;
out:
    /* a failed parse reports nothing (no half-filled list of skipped rows) */
    eg_free(rep->skips);
    rep->skips = NULL;
    rep->nskips = 0;
    eg_csv_done(&c);
    ingest__strset_done(&seen);
    eg_free(r);
    return rc;
}

struct writer {
    struct store *s;
    struct eg_errbuf *eb;
};

static int write_row(void *ud, const struct ingest_enterprise *e)
{
    struct writer *w = ud;
    int rc;
    struct store_enterprise se = {e->uscc,    e->name, e->industry, e->region,
                                  e->address, e->lon,  e->lat,      e->status};
    if ((rc = store_work_enterprise_put(w->s, &se, w->eb)))
        goto fail;
    for (const char *p = e->lists; *p;) {
        const char *semi = strchr(p, ';');
        size_t n = semi ? (size_t)(semi - p) : strlen(p);
        char list[40];
        snprintf(list, sizeof(list), "%.*s", (int)n, p);
        if ((rc = store_work_list_put(w->s, e->uscc, e->list_year, list, w->eb)))
            goto fail;
        p = semi ? semi + 1 : p + n;
    }
    if (e->permit_no[0]) {
        struct store_permit pm = {e->permit_no, e->uscc, e->permit_class, e->permit_from,
                                  e->permit_to};
        if ((rc = store_work_permit_put(w->s, &pm, w->eb)))
            goto fail;
    }
    return 0;
fail:
    eg_err_at(w->eb, NULL, e->line, 0, e->uscc);
    return rc;
}

int ingest_enterprises_file(struct store *s, const char *path, bool skip_invalid,
                            struct ingest_ent_report *rep, struct eg_errbuf *eb)
{
    struct ingest_input in; /* CSV, or an xlsx sheet converted (xlsx.c) */
    int rc = ingest_input_read(path, &in, eb);
    if (rc)
        return rc;
    struct writer w = {s, eb};
    if ((rc = store_begin(s, eb)))
        goto out;
    rc = ingest_enterprises_parse(in.buf, in.len, in.name, skip_invalid, write_row, &w, rep, eb);
    for (size_t i = 0; rep && i < rep->nskips; i++)
        rep->skips[i].line = ingest_input_row(&in, rep->skips[i].line);
    if (rc) {
        store_rollback(s);
        rep->rows = 0;
        eg_err_at(eb, in.name, 0, 0, NULL);
        ingest_input_locate(&in, eb);
        goto out;
    }
    rc = store_commit(s, eb);
out:
    ingest_input_done(&in);
    return rc;
}
