/* xlsx.c — one worksheet of an .xlsx workbook (ECMA-376 / ISO/IEC 29500 SpreadsheetML, a ZIP of
 * XML parts) converted to RFC 4180 CSV for the CSV importers; see the xlsx section of ingest.h.
 *
 * libzip reads the archive, expat streams each part (a DOCTYPE is refused: no entities).  Every
 * part is checked against its declared size before and while it is inflated (zip bombs), and
 * every count and string has a limit.  Numbers keep their stored decimal text; only text longer
 * than 15 significant digits (Excel's binary noise: 0.10000000000000001) is rounded decimally,
 * half to even (GB/T 8170), to 15 digits.  Date serials are converted with integer arithmetic
 * (1900 system with Excel's 1900-02-29, or 1904).  libzip and expat types stay in this file.
 */
#include <expat.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "common/eg_buf.h"
#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "ingest.h"

#define MAX_ROW     1048576L /* SpreadsheetML's grid */
#define MAX_COL     16384L
#define MAX_SHEETS  4096
#define MAX_NUMFMTS 4096
#define MAX_XFS     65536
#define MAX_NAME    1024     /* bytes of a sheet name, relationship id or target */
#define MAX_SERIAL  2958465L /* 9999-12-31 */
#define SIG_DIGITS  15
#define NS_SEP      ' '

enum { K_NONE, K_DATE, K_TIME, K_DATETIME };

struct rowmap {
    long line, row;
};

struct ingest_xlsx {
    struct eg_buf csv;
    char *sheet;
    char *display; /* "path!Sheet" */
    struct rowmap *map;
    size_t nmap, capmap;
};

/* Conversion state shared by the part parsers. */
struct conv {
    zip_t *za;
    const char *name;
    struct eg_errbuf *eb;
    struct ingest_xlsx *x;
    bool date1904;
    /* shared strings: pool of texts and their offsets (nsst + 1 entries) */
    struct eg_buf pool;
    size_t *sst;
    size_t nsst, capsst;
    /* styles: kind of every cellXfs entry; custom formats (id, kind) */
    unsigned char *xf;
    size_t nxf, capxf;
    long fmt_id[MAX_NUMFMTS];
    unsigned char fmt_kind[MAX_NUMFMTS];
    size_t nfmt;
};

/* Common head of every part parser's state. */
struct xbase {
    XML_Parser p;
    struct conv *cv;
    const char *part;
    int rc;
};

static void xstop(struct xbase *b, int rc, long line, long col, const char *fmt, ...)
    EG_PRINTF(5, 6);
static void xstop(struct xbase *b, int rc, long line, long col, const char *fmt, ...)
{
    if (b->rc == 0) {
        char msg[EG_ERRBUF_MSG];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        const char *file = line && b->cv->x->display ? b->cv->x->display : b->cv->name;
        if (line)
            eg_err_locf(b->cv->eb, rc, file, line, col, NULL, "%s", msg);
        else
            eg_err_locf(b->cv->eb, rc, file, 0, 0, NULL, "%s: %s", b->part, msg);
        b->rc = rc;
    }
    XML_StopParser(b->p, XML_FALSE);
}

static const char *lname(const char *n)
{
    const char *s = strrchr(n, NS_SEP);
    return s ? s + 1 : n;
}

static bool is(const char *n, const char *local)
{
    return strcmp(lname(n), local) == 0;
}

static const char *attr(const char **a, const char *local)
{
    for (; a[0]; a += 2)
        if (is(a[0], local))
            return a[1];
    return NULL;
}

/* A non-negative decimal integer of at most 9 digits, or -1. */
static long small_int(const char *s)
{
    long v = 0;
    size_t i = 0;
    if (!s || !*s)
        return -1;
    for (; s[i]; i++) {
        if (s[i] < '0' || s[i] > '9' || i >= 9)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sys,
                               const XML_Char *pub, int internal)
{
    (void)name, (void)sys, (void)pub, (void)internal;
    xstop(ud, EG_EPARSE, 0, 0, "a DOCTYPE is not allowed");
}

/* Inflate part `path` into parser b (handlers set by the caller on b->p).  *ret_found false (and
 * 0) if the archive has no such part. */
static int read_part(struct conv *cv, const char *path, struct xbase *b, bool *ret_found)
{
    char chunk[16384];
    zip_stat_t st;
    zip_file_t *zf = NULL;
    zip_uint64_t total = 0;
    int rc = 0;
    b->part = path;
    zip_int64_t idx = zip_name_locate(cv->za, path, ZIP_FL_NOCASE);
    if (idx < 0) {
        *ret_found = false;
        return 0;
    }
    *ret_found = true;
    zip_stat_init(&st);
    if (zip_stat_index(cv->za, (zip_uint64_t)idx, 0, &st) || !(st.valid & ZIP_STAT_SIZE))
        return eg_err_locf(cv->eb, EG_EPARSE, cv->name, 0, 0, NULL, "%s: unreadable ZIP entry",
                           path);
    if (st.size > INGEST_XLSX_PART_LIMIT)
        return eg_err_locf(cv->eb, EG_ELIMIT, cv->name, 0, 0, NULL,
                           "%s: %llu bytes uncompressed, more than the limit of %zu", path,
                           (unsigned long long)st.size, INGEST_XLSX_PART_LIMIT);
    if (!(zf = zip_fopen_index(cv->za, (zip_uint64_t)idx, 0)))
        return eg_err_locf(cv->eb, EG_EPARSE, cv->name, 0, 0, NULL, "%s: %s", path,
                           zip_strerror(cv->za));
    for (;;) {
        zip_int64_t n = zip_fread(zf, chunk, sizeof(chunk));
        if (n < 0) {
            rc = eg_err_locf(cv->eb, EG_EPARSE, cv->name, 0, 0, NULL, "%s: %s", path,
                             zip_file_strerror(zf));
            goto out;
        }
        total += (zip_uint64_t)n;
        if (total > st.size) {
            rc = eg_err_locf(cv->eb, EG_ELIMIT, cv->name, 0, 0, NULL,
                             "%s: inflates past its declared size of %llu bytes", path,
                             (unsigned long long)st.size);
            goto out;
        }
        if (XML_Parse(b->p, chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
            rc = b->rc
                     ? b->rc
                     : eg_err_locf(cv->eb, EG_EPARSE, cv->name, 0, 0, NULL, "%s: XML line %lu: %s",
                                   path, (unsigned long)XML_GetCurrentLineNumber(b->p),
                                   XML_ErrorString(XML_GetErrorCode(b->p)));
            goto out;
        }
        if (n == 0)
            break;
    }
    if (total != st.size)
        rc = eg_err_locf(cv->eb, EG_EPARSE, cv->name, 0, 0, NULL,
                         "%s: %llu bytes inflated, %llu declared", path, (unsigned long long)total,
                         (unsigned long long)st.size);
out:
    zip_fclose(zf);
    return rc;
}

static int parse(struct conv *cv, const char *path, struct xbase *b, XML_StartElementHandler s,
                 XML_EndElementHandler e, XML_CharacterDataHandler c, bool *ret_found)
{
    b->cv = cv;
    b->rc = 0;
    b->p = XML_ParserCreateNS(NULL, NS_SEP);
    if (!b->p)
        return eg_errf(cv->eb, EG_ENOMEM, "out of memory");
    XML_SetUserData(b->p, b);
    XML_SetElementHandler(b->p, s, e);
    if (c)
        XML_SetCharacterDataHandler(b->p, c);
    XML_SetStartDoctypeDeclHandler(b->p, on_doctype);
    int rc = read_part(cv, path, b, ret_found);
    XML_ParserFree(b->p);
    b->p = NULL;
    return rc;
}

/* ---- xl/workbook.xml and its relationships ---- */

struct wb {
    struct xbase b;
    const char *want; /* sheet name, NULL = first */
    long nsheets;
    char *sheet, *rid;
};

static void XMLCALL wb_start(void *ud, const XML_Char *n, const XML_Char **a)
{
    struct wb *w = ud;
    if (is(n, "workbookPr")) {
        const char *v = attr(a, "date1904");
        w->b.cv->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
    } else if (is(n, "sheet")) {
        const char *name = attr(a, "name"), *rid = attr(a, "id");
        if (++w->nsheets > MAX_SHEETS) {
            xstop(&w->b, EG_ELIMIT, 0, 0, "more than %d sheets", MAX_SHEETS);
            return;
        }
        if (!name || !rid || strlen(name) > MAX_NAME || strlen(rid) > MAX_NAME) {
            xstop(&w->b, EG_EPARSE, 0, 0, "a sheet without name or r:id");
            return;
        }
        if (w->sheet || (w->want && strcmp(w->want, name)))
            return;
        w->sheet = eg_strdup(name);
        w->rid = eg_strdup(rid);
        if (!w->sheet || !w->rid)
            xstop(&w->b, EG_ENOMEM, 0, 0, "out of memory");
    }
}

static void XMLCALL no_end(void *ud, const XML_Char *n)
{
    (void)ud, (void)n;
}

struct rels {
    struct xbase b;
    const char *rid;
    char *target;
};

static void XMLCALL rels_start(void *ud, const XML_Char *n, const XML_Char **a)
{
    struct rels *r = ud;
    if (!is(n, "Relationship") || r->target)
        return;
    const char *id = attr(a, "Id"), *t = attr(a, "Target");
    if (!id || !t || strcmp(id, r->rid))
        return;
    if (strlen(t) > MAX_NAME) {
        xstop(&r->b, EG_ELIMIT, 0, 0, "target longer than %d bytes", MAX_NAME);
        return;
    }
    /* Targets are relative to xl/ unless absolute within the package. */
    size_t n1 = strlen(t) + 4;
    if (!(r->target = eg_malloc(n1))) {
        xstop(&r->b, EG_ENOMEM, 0, 0, "out of memory");
        return;
    }
    if (t[0] == '/')
        snprintf(r->target, n1, "%s", t + 1);
    else
        snprintf(r->target, n1, "xl/%s", t);
}

/* ---- xl/sharedStrings.xml ---- */

struct sst {
    struct xbase b;
    int in_si, in_t, in_rph;
    size_t start;
};

static void XMLCALL sst_start(void *ud, const XML_Char *n, const XML_Char **a)
{
    struct sst *s = ud;
    struct conv *cv = s->b.cv;
    (void)a;
    if (is(n, "si")) {
        s->in_si = 1;
        s->start = cv->pool.len;
    } else if (is(n, "rPh")) {
        s->in_rph++;
    } else if (is(n, "t") && s->in_si && !s->in_rph) {
        s->in_t = 1;
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *n)
{
    struct sst *s = ud;
    struct conv *cv = s->b.cv;
    if (is(n, "t")) {
        s->in_t = 0;
    } else if (is(n, "rPh")) {
        s->in_rph--;
    } else if (is(n, "si") && s->in_si) {
        s->in_si = 0;
        if ((long)cv->nsst >= INGEST_XLSX_MAX_SHARED) {
            xstop(&s->b, EG_ELIMIT, 0, 0, "more than %ld shared strings", INGEST_XLSX_MAX_SHARED);
            return;
        }
        if (cv->nsst + 2 > cv->capsst) {
            size_t cap = cv->capsst ? cv->capsst * 2 : 1024;
            size_t *p = eg_realloc(cv->sst, cap * sizeof(*p));
            if (!p) {
                xstop(&s->b, EG_ENOMEM, 0, 0, "out of memory");
                return;
            }
            cv->sst = p;
            cv->capsst = cap;
        }
        cv->sst[cv->nsst++] = s->start;
        cv->sst[cv->nsst] = cv->pool.len;
    }
}

static void XMLCALL sst_text(void *ud, const XML_Char *t, int len)
{
    struct sst *s = ud;
    struct conv *cv = s->b.cv;
    if (!s->in_t || !s->in_si || len <= 0)
        return;
    if (cv->pool.len - s->start + (size_t)len > INGEST_XLSX_MAX_STRING) {
        xstop(&s->b, EG_ELIMIT, 0, 0, "shared string %zu longer than %zu bytes", cv->nsst + 1,
              INGEST_XLSX_MAX_STRING);
        return;
    }
    int rc = eg_buf_add(&cv->pool, t, (size_t)len);
    if (rc == EG_ENOMEM)
        xstop(&s->b, rc, 0, 0, "out of memory");
    else if (rc)
        xstop(&s->b, rc, 0, 0, "shared strings over %zu bytes", INGEST_XLSX_PART_LIMIT);
}

/* ---- xl/styles.xml: which cell formats are dates ---- */

/* Kind of a format code: only its first section counts; quoted text, escaped and fill
 * characters and [..] (colours, conditions, locales) are skipped; [h] [m] [s] are time. */
static int fmt_kind_of(const char *f)
{
    bool date = false, time = false, month = false;
    for (const char *p = f; *p && *p != ';'; p++) {
        switch (*p) {
        case '"':
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
            break;
        case '\\':
        case '_':
        case '*':
            if (p[1])
                p++;
            break;
        case '[':
            if (p[1] == 'h' || p[1] == 'H' || p[1] == 'm' || p[1] == 'M' || p[1] == 's' ||
                p[1] == 'S')
                time = true;
            while (p[1] && p[1] != ']')
                p++;
            if (p[1])
                p++;
            break;
        case '@':
            return K_NONE;
        case 'y':
        case 'Y':
        case 'd':
        case 'D':
            date = true;
            break;
        case 'h':
        case 'H':
        case 's':
        case 'S':
            time = true;
            break;
        case 'm':
        case 'M':
            month = true;
            break;
        default:
            break;
        }
    }
    if (month && !date && !time)
        date = true;
    return date && time ? K_DATETIME : date ? K_DATE : time ? K_TIME : K_NONE;
}

/* Built-in formats (ECMA-376 §18.8.30, and the zh-CN ids 27-36, 50-58 Excel uses). */
static int builtin_kind(long id)
{
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) ||
        (id >= 57 && id <= 58))
        return K_DATE;
    if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47) || id == 55 ||
        id == 56)
        return K_TIME;
    if (id == 22)
        return K_DATETIME;
    return K_NONE;
}

struct sty {
    struct xbase b;
    int in_xfs, in_fmts;
};

static void XMLCALL sty_start(void *ud, const XML_Char *n, const XML_Char **a)
{
    struct sty *s = ud;
    struct conv *cv = s->b.cv;
    if (is(n, "numFmts")) {
        s->in_fmts = 1;
    } else if (is(n, "numFmt") && s->in_fmts) {
        long id = small_int(attr(a, "numFmtId"));
        const char *code = attr(a, "formatCode");
        if (id < 0 || !code)
            return;
        if (cv->nfmt >= MAX_NUMFMTS) {
            xstop(&s->b, EG_ELIMIT, 0, 0, "more than %d number formats", MAX_NUMFMTS);
            return;
        }
        cv->fmt_id[cv->nfmt] = id;
        cv->fmt_kind[cv->nfmt++] = (unsigned char)fmt_kind_of(code);
    } else if (is(n, "cellXfs")) {
        s->in_xfs = 1;
    } else if (is(n, "xf") && s->in_xfs) {
        long id = small_int(attr(a, "numFmtId"));
        int k = id < 0 ? K_NONE : builtin_kind(id);
        for (size_t i = 0; i < cv->nfmt; i++)
            if (cv->fmt_id[i] == id)
                k = cv->fmt_kind[i];
        if (cv->nxf >= MAX_XFS) {
            xstop(&s->b, EG_ELIMIT, 0, 0, "more than %d cell formats", MAX_XFS);
            return;
        }
        if (cv->nxf == cv->capxf) {
            size_t cap = cv->capxf ? cv->capxf * 2 : 64;
            unsigned char *p = eg_realloc(cv->xf, cap);
            if (!p) {
                xstop(&s->b, EG_ENOMEM, 0, 0, "out of memory");
                return;
            }
            cv->xf = p;
            cv->capxf = cap;
        }
        cv->xf[cv->nxf++] = (unsigned char)k;
    }
}

static void XMLCALL sty_end(void *ud, const XML_Char *n)
{
    struct sty *s = ud;
    if (is(n, "cellXfs"))
        s->in_xfs = 0;
    else if (is(n, "numFmts"))
        s->in_fmts = 0;
}

/* ---- numbers and dates ---- */

/* Decimal text: sign, digits (without leading zeros), and the decimal exponent of the point:
 * value = ±0.d1d2…dn × 10^point.  Returns -1 if s is not a plain or exponent-form number. */
struct dec {
    bool neg;
    char d[64];
    size_t n;
    long point;
};

static int dec_parse(const char *s, size_t n, struct dec *r)
{
    size_t i = 0, nd = 0;
    long point = 0, exp = 0;
    bool seen_point = false, any = false;
    memset(r, 0, sizeof(*r));
    if (i < n && (s[i] == '-' || s[i] == '+'))
        r->neg = s[i++] == '-';
    for (; i < n; i++) {
        char c = s[i];
        if (c == '.' && !seen_point) {
            seen_point = true;
        } else if (c >= '0' && c <= '9') {
            any = true;
            if (nd == 0 && c == '0') {
                if (seen_point)
                    point--;
                continue;
            }
            if (nd >= sizeof(r->d))
                return -1;
            r->d[nd++] = c;
            if (!seen_point)
                point++;
        } else {
            break;
        }
    }
    if (!any)
        return -1;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        bool eneg = false;
        size_t k = 0;
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++)
            if (k < 6)
                exp = exp * 10 + (s[i] - '0');
        if (k == 0 || k > 5)
            return -1;
        point += eneg ? -exp : exp;
    }
    if (i != n)
        return -1;
    while (nd && r->d[nd - 1] == '0')
        nd--;
    r->n = nd;
    r->point = nd ? point : 0;
    if (!nd)
        r->neg = false;
    return 0;
}

/* Round to SIG_DIGITS significant digits, half to even on the decimal digits. */
static void dec_round(struct dec *r)
{
    if (r->n <= SIG_DIGITS)
        return;
    bool up;
    char first = r->d[SIG_DIGITS];
    if (first > '5') {
        up = true;
    } else if (first < '5') {
        up = false;
    } else {
        up = r->n > SIG_DIGITS + 1 || ((r->d[SIG_DIGITS - 1] - '0') & 1);
    }
    r->n = SIG_DIGITS;
    if (up) {
        size_t i = SIG_DIGITS;
        while (i > 0 && r->d[i - 1] == '9')
            r->d[--i] = '0';
        if (i == 0) {
            memmove(r->d + 1, r->d, SIG_DIGITS);
            r->d[0] = '1';
            r->n = SIG_DIGITS + 1;
            r->point++;
        } else {
            r->d[i - 1]++;
        }
    }
    while (r->n && r->d[r->n - 1] == '0')
        r->n--;
}

/* Plain decimal text of r (no exponent) when |point| <= 40, else d.dddE±x. */
static int dec_format(const struct dec *r, struct eg_buf *out)
{
    int rc = 0;
    if (r->n == 0)
        return eg_buf_addc(out, '0');
    if (r->neg && (rc = eg_buf_addc(out, '-')))
        return rc;
    if (r->point > 40 || r->point < -40) {
        if ((rc = eg_buf_addc(out, r->d[0])))
            return rc;
        if (r->n > 1 &&
            ((rc = eg_buf_addc(out, '.')) || (rc = eg_buf_add(out, r->d + 1, r->n - 1))))
            return rc;
        return eg_buf_addf(out, "E%+ld", r->point - 1);
    }
    if (r->point <= 0) {
        if ((rc = eg_buf_adds(out, "0.")))
            return rc;
        for (long i = 0; i < -r->point; i++)
            if ((rc = eg_buf_addc(out, '0')))
                return rc;
        return eg_buf_add(out, r->d, r->n);
    }
    size_t ip = (size_t)r->point;
    if (ip >= r->n) {
        if ((rc = eg_buf_add(out, r->d, r->n)))
            return rc;
        for (size_t i = r->n; i < ip; i++)
            if ((rc = eg_buf_addc(out, '0')))
                return rc;
        return 0;
    }
    if ((rc = eg_buf_add(out, r->d, ip)) || (rc = eg_buf_addc(out, '.')))
        return rc;
    return eg_buf_add(out, r->d + ip, r->n - ip);
}

/* A number cell: the stored text as is when it is plain with <= 15 significant digits, else
 * rounded and written plain; text that is not a number is kept. */
static int number_text(const char *s, size_t n, struct eg_buf *out)
{
    struct dec r;
    if (dec_parse(s, n, &r))
        return eg_buf_add(out, s, n);
    bool plain = memchr(s, 'e', n) == NULL && memchr(s, 'E', n) == NULL && s[0] != '+';
    if (plain && r.n <= SIG_DIGITS)
        return eg_buf_add(out, s, n);
    dec_round(&r);
    return dec_format(&r, out);
}

/* A date serial: its day and second of day (rounded half to even), or -1 when it is negative,
 * past 9999-12-31 or not a number.  The value is first rounded to 15 significant digits. */
static int serial_split(const char *s, size_t n, long *ret_day, long *ret_sec)
{
    struct dec r;
    if (dec_parse(s, n, &r) || r.neg)
        return -1;
    dec_round(&r);
    if (r.point > 7)
        return -1;
    if (r.point < -6) { /* under 10^-6 day (0.09 s): 1900-01-00 00:00:00 */
        *ret_day = 0;
        *ret_sec = 0;
        return 0;
    }
    long day = 0;
    int64_t frac = 0;
    int k = 0;
    for (size_t i = 0; i < r.n; i++) {
        long pos = r.point - (long)i; /* digit i is worth 10^(pos-1) */
        if (pos > 0) {
            day = day * 10 + (r.d[i] - '0');
            continue;
        }
        /* fraction digit at 10^-(k+1); leading fraction zeros when point < 0 */
        while (k < -pos) {
            frac *= 10;
            k++;
        }
        frac = frac * 10 + (r.d[i] - '0');
        k++;
    }
    if ((long)r.n < r.point)
        for (long i = (long)r.n; i < r.point; i++)
            day *= 10;
    if (day > MAX_SERIAL)
        return -1;
    /* seconds = frac / 10^k × 86400 = frac × 864 / 10^(k-2), rounded half to even; frac has at
     * most 15 significant digits, so frac × 864 < 2^63, and k - 2 > 18 means under 0.09 s */
    if (k < 2) {
        frac *= k == 0 ? 100 : 10;
        k = 2;
    }
    long sec = k - 2 > 18 ? 0 : (long)eg_div_round(frac * 864, eg_pow10(k - 2));
    if (sec >= 86400) {
        day++;
        sec -= 86400;
    }
    *ret_day = day;
    *ret_sec = sec;
    return 0;
}

static int date_text(struct conv *cv, int kind, const char *s, size_t n, struct eg_buf *out)
{
    long day, sec;
    if (serial_split(s, n, &day, &sec))
        return number_text(s, n, out);
    int rc = 0;
    if (kind != K_TIME) {
        int y, m, d;
        if (cv->date1904) {
            eg_civil_from_days(eg_days_from_civil(1904, 1, 1) + (int32_t)day, &y, &m, &d);
        } else if (day == 0) {
            y = 1900, m = 1, d = 0; /* Excel shows 1900-01-00 */
        } else if (day == 60) {
            y = 1900, m = 2, d = 29; /* Excel's (Lotus 1-2-3's) leap-year bug */
        } else {
            int32_t base = eg_days_from_civil(1899, 12, day < 60 ? 31 : 30);
            eg_civil_from_days(base + (int32_t)day, &y, &m, &d);
        }
        rc = eg_buf_addf(out, "%04d-%02d-%02d", y, m, d);
    }
    if (rc == 0 && kind != K_DATE)
        rc = eg_buf_addf(out, "%s%02ld:%02ld:%02ld", kind == K_DATETIME ? " " : "", sec / 3600,
                         sec / 60 % 60, sec % 60);
    return rc;
}

/* ---- the worksheet ---- */

struct sheet {
    struct xbase b;
    long row, col; /* current row; last column of the row (0 = none yet) */
    long out_row;  /* CSV line the next record starts on */
    long commas;   /* commas written in the current row */
    bool started;  /* the current row has a record in the CSV */
    long cells;
    long offset; /* row - CSV line of the last record (the row map's last entry) */
    int in_c, in_v, in_is, in_t, in_rph;
    char type[16];
    long style;
    struct eg_buf v;    /* <v> or inline string text */
    struct eg_buf cell; /* the cell's text as it goes to the CSV */
};

static void col_letters(long c, char out[8])
{
    char tmp[8];
    int n = 0;
    while (c > 0 && n < 7) {
        c--;
        tmp[n++] = (char)('A' + c % 26);
        c /= 26;
    }
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = 0;
}

/* Parse "C5": *col from the letters, *row from the digits (0 if absent).  -1 if malformed. */
static int parse_ref(const char *r, long *ret_col, long *ret_row)
{
    long c = 0, row = 0;
    size_t i = 0;
    for (; (r[i] >= 'A' && r[i] <= 'Z') || (r[i] >= 'a' && r[i] <= 'z'); i++) {
        if (i >= 3)
            return -1;
        c = c * 26 + ((r[i] | 0x20) - 'a' + 1);
    }
    for (size_t k = 0; r[i] >= '0' && r[i] <= '9'; i++, k++) {
        if (k >= 7)
            return -1;
        row = row * 10 + (r[i] - '0');
    }
    if (r[i] || c == 0)
        return -1;
    *ret_col = c;
    *ret_row = row;
    return 0;
}

static int map_add(struct ingest_xlsx *x, long line, long row)
{
    if (x->nmap == x->capmap) {
        size_t cap = x->capmap ? x->capmap * 2 : 16;
        struct rowmap *p = eg_realloc(x->map, cap * sizeof(*p));
        if (!p)
            return EG_ENOMEM;
        x->map = p;
        x->capmap = cap;
    }
    x->map[x->nmap].line = line;
    x->map[x->nmap++].row = row;
    return 0;
}

static void XMLCALL sh_start(void *ud, const XML_Char *n, const XML_Char **a)
{
    struct sheet *s = ud;
    const char *ln = lname(n);
    if (!strcmp(ln, "row")) {
        const char *r = attr(a, "r");
        long row = r ? small_int(r) : s->row + 1;
        if (row <= s->row || row > MAX_ROW) {
            xstop(&s->b, row > MAX_ROW ? EG_ERANGE : EG_EPARSE, s->row + 1, 0,
                  "row number %s out of order or range", r ? r : "?");
            return;
        }
        s->row = row;
        s->col = 0;
        s->commas = 0;
        s->started = false;
    } else if (!strcmp(ln, "c")) {
        const char *r = attr(a, "r"), *t = attr(a, "t"), *st = attr(a, "s");
        long col = s->col + 1, row = 0;
        if (s->row == 0) {
            xstop(&s->b, EG_EPARSE, 1, 0, "a cell outside a row");
            return;
        }
        if (r && parse_ref(r, &col, &row)) {
            xstop(&s->b, EG_EPARSE, s->row, s->col + 1, "bad cell reference '%.20s'", r);
            return;
        }
        if ((row && row != s->row) || col <= s->col || col > MAX_COL) {
            xstop(&s->b, EG_EPARSE, s->row, col, "cell %s out of order or range", r ? r : "?");
            return;
        }
        if (++s->cells > INGEST_XLSX_MAX_CELLS) {
            xstop(&s->b, EG_ELIMIT, s->row, col, "more than %ld cells", INGEST_XLSX_MAX_CELLS);
            return;
        }
        s->col = col;
        s->in_c = 1;
        snprintf(s->type, sizeof(s->type), "%s", t ? t : "n");
        s->style = st ? small_int(st) : 0;
        eg_buf_reset(&s->v);
    } else if (s->in_c && !strcmp(ln, "v")) {
        s->in_v = 1;
    } else if (s->in_c && !strcmp(ln, "is")) {
        s->in_is = 1;
    } else if (s->in_is && !strcmp(ln, "rPh")) {
        s->in_rph++;
    } else if (s->in_is && !s->in_rph && !strcmp(ln, "t")) {
        s->in_t = 1;
    }
}

static void XMLCALL sh_text(void *ud, const XML_Char *t, int len)
{
    struct sheet *s = ud;
    if (!(s->in_v || s->in_t) || len <= 0)
        return;
    int rc = eg_buf_add(&s->v, t, (size_t)len);
    if (rc == EG_ENOMEM)
        xstop(&s->b, rc, s->row, s->col, "out of memory");
    else if (rc)
        xstop(&s->b, rc, s->row, s->col, "cell text longer than %zu bytes", INGEST_XLSX_MAX_STRING);
}

/* The cell's text into s->cell; empty text = an empty cell. */
static int cell_text(struct sheet *s)
{
    struct conv *cv = s->b.cv;
    const char *v = eg_buf_str(&s->v);
    size_t n = s->v.len;
    eg_buf_reset(&s->cell);
    if (!strcmp(s->type, "s")) {
        if (n == 0)
            return 0;
        long i = small_int(v);
        if (i < 0 || (size_t)i >= cv->nsst) {
            xstop(&s->b, EG_EPARSE, s->row, s->col, "shared string %.20s does not exist", v);
            return -1;
        }
        return eg_buf_add(&s->cell, cv->pool.p + cv->sst[i], cv->sst[i + 1] - cv->sst[i]);
    }
    if (!strcmp(s->type, "b"))
        return n == 0 ? 0 : eg_buf_adds(&s->cell, strcmp(v, "0") ? "TRUE" : "FALSE");
    if (!strcmp(s->type, "n")) {
        if (n == 0)
            return 0;
        int kind = s->style >= 0 && (size_t)s->style < cv->nxf ? cv->xf[s->style] : K_NONE;
        return kind ? date_text(cv, kind, v, n, &s->cell) : number_text(v, n, &s->cell);
    }
    if (!strcmp(s->type, "inlineStr") || !strcmp(s->type, "str") || !strcmp(s->type, "e") ||
        !strcmp(s->type, "d"))
        return eg_buf_add(&s->cell, v, n);
    xstop(&s->b, EG_EPARSE, s->row, s->col, "unknown cell type '%s'", s->type);
    return -1;
}

/* Append the cell to the CSV: blank lines up to its row, commas up to its column, the field
 * quoted when it must be (RFC 4180; also a leading '#' or blank). */
static int emit(struct sheet *s)
{
    struct ingest_xlsx *x = s->b.cv->x;
    struct eg_buf *o = &x->csv;
    const char *t = s->cell.p;
    size_t n = s->cell.len;
    int rc = 0;
    if (!s->started) {
        s->started = true;
        while (s->out_row < s->row) {
            if ((rc = eg_buf_addc(o, '\n')))
                return rc;
            s->out_row++;
        }
        if (s->row - s->out_row != s->offset) {
            if ((rc = map_add(x, s->out_row, s->row)))
                return rc;
            s->offset = s->row - s->out_row;
        }
    }
    for (; s->commas < s->col - 1; s->commas++)
        if ((rc = eg_buf_addc(o, ',')))
            return rc;
    bool quote = n && (t[0] == '#' || t[0] == ' ' || t[0] == '\t' || t[n - 1] == ' ' ||
                       t[n - 1] == '\t' || strpbrk(t, ",\"\r\n"));
    if (!quote)
        return eg_buf_add(o, t, n);
    if ((rc = eg_buf_addc(o, '"')))
        return rc;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (t[i] == '\n')
            s->out_row++;
        rc = t[i] == '"' ? eg_buf_add(o, "\"\"", 2) : eg_buf_addc(o, t[i]);
    }
    return rc ? rc : eg_buf_addc(o, '"');
}

static void XMLCALL sh_end(void *ud, const XML_Char *n)
{
    struct sheet *s = ud;
    const char *ln = lname(n);
    if (!strcmp(ln, "v")) {
        s->in_v = 0;
    } else if (!strcmp(ln, "t")) {
        s->in_t = 0;
    } else if (!strcmp(ln, "rPh")) {
        if (s->in_rph)
            s->in_rph--;
    } else if (!strcmp(ln, "is")) {
        s->in_is = 0;
    } else if (!strcmp(ln, "c") && s->in_c) {
        s->in_c = 0;
        int rc = cell_text(s);
        if (rc < 0 && s->b.rc)
            return;
        if (rc == 0 && s->cell.len && strlen(eg_buf_str(&s->cell)) != s->cell.len) {
            xstop(&s->b, EG_EPARSE, s->row, s->col, "NUL in cell text");
            return;
        }
        if (rc == 0 && s->cell.len)
            rc = emit(s);
        if (rc)
            xstop(&s->b, rc, s->row, s->col,
                  rc == EG_ENOMEM ? "out of memory"
                                  : "the CSV made from the sheet would pass the limit of bytes");
    } else if (!strcmp(ln, "row")) {
        if (s->started) {
            int rc = eg_buf_addc(&s->b.cv->x->csv, '\n');
            if (rc) {
                xstop(&s->b, rc, s->row, 0,
                      rc == EG_ENOMEM
                          ? "out of memory"
                          : "the CSV made from the sheet would pass the limit of bytes");
                return;
            }
            s->out_row++;
        }
    }
}

/* ---- the whole conversion ---- */

void ingest_xlsx_free(struct ingest_xlsx *x)
{
    if (!x)
        return;
    eg_buf_done(&x->csv);
    eg_free(x->sheet);
    eg_free(x->display);
    eg_free(x->map);
    eg_free(x);
}

static void conv_done(struct conv *cv)
{
    if (cv->za)
        zip_discard(cv->za);
    eg_buf_done(&cv->pool);
    eg_free(cv->sst);
    eg_free(cv->xf);
    eg_free(cv);
}

int ingest_xlsx_convert(const char *buf, size_t len, const char *name, const char *sheet,
                        struct ingest_xlsx **ret, struct eg_errbuf *eb)
{
    struct conv *cv = eg_calloc(1, sizeof(*cv));
    struct ingest_xlsx *x = eg_calloc(1, sizeof(*x));
    struct wb w = {.want = sheet};
    struct rels rl = {0};
    struct sst ss = {0};
    struct sty sy = {0};
    struct sheet sh = {0};
    zip_error_t ze;
    bool found;
    int rc = 0;
    const char *nm = name ? name : "workbook";
    zip_error_init(&ze);
    eg_buf_init(&sh.v, INGEST_XLSX_MAX_STRING);
    eg_buf_init(&sh.cell, INGEST_XLSX_MAX_STRING * 2);
    if (!cv || !x) {
        rc = eg_errf(eb, EG_ENOMEM, "out of memory");
        goto out;
    }
    cv->name = nm;
    cv->eb = eb;
    cv->x = x;
    eg_buf_init(&cv->pool, INGEST_XLSX_PART_LIMIT);
    eg_buf_init(&x->csv, INGEST_XLSX_CSV_LIMIT);
    zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
    if (!src) {
        rc = eg_errf(eb, EG_ENOMEM, "out of memory");
        goto out;
    }
    if (!(cv->za = zip_open_from_source(src, ZIP_RDONLY, &ze))) {
        zip_source_free(src);
        rc = eg_err_locf(eb, EG_EPARSE, nm, 0, 0, NULL, "not an xlsx workbook: %s",
                         zip_error_strerror(&ze));
        goto out;
    }
    if ((rc = parse(cv, "xl/workbook.xml", &w.b, wb_start, no_end, NULL, &found)))
        goto out;
    if (!found) {
        rc = eg_err_locf(eb, EG_EPARSE, nm, 0, 0, NULL,
                         "not an xlsx workbook: no part xl/workbook.xml");
        goto out;
    }
    if (!w.sheet) {
        rc = sheet ? eg_err_locf(eb, EG_ENOTFOUND, nm, 0, 0, NULL, "no sheet named '%s'", sheet)
                   : eg_err_locf(eb, EG_ENOTFOUND, nm, 0, 0, NULL, "the workbook has no sheet");
        goto out;
    }
    rl.rid = w.rid;
    if ((rc = parse(cv, "xl/_rels/workbook.xml.rels", &rl.b, rels_start, no_end, NULL, &found)))
        goto out;
    if (!rl.target) {
        rc = eg_err_locf(eb, EG_EPARSE, nm, 0, 0, NULL,
                         "xl/_rels/workbook.xml.rels: no part for sheet '%s'", w.sheet);
        goto out;
    }
    if ((rc = parse(cv, "xl/sharedStrings.xml", &ss.b, sst_start, sst_end, sst_text, &found)))
        goto out;
    if ((rc = parse(cv, "xl/styles.xml", &sy.b, sty_start, sty_end, NULL, &found)))
        goto out;
    size_t dn = strlen(nm) + strlen(w.sheet) + 2;
    if (!(x->display = eg_malloc(dn))) {
        rc = eg_errf(eb, EG_ENOMEM, "out of memory");
        goto out;
    }
    snprintf(x->display, dn, "%s!%s", nm, w.sheet);
    sh.out_row = 1;
    if ((rc = parse(cv, rl.target, &sh.b, sh_start, sh_end, sh_text, &found)))
        goto out;
    if (!found) {
        rc = eg_err_locf(eb, EG_EPARSE, nm, 0, 0, NULL, "no part %s for sheet '%s'", rl.target,
                         w.sheet);
        goto out;
    }
    x->sheet = w.sheet;
    w.sheet = NULL;
    *ret = x;
    x = NULL;
out:
    zip_error_fini(&ze);
    eg_buf_done(&sh.v);
    eg_buf_done(&sh.cell);
    eg_free(w.sheet);
    eg_free(w.rid);
    eg_free(rl.target);
    if (cv)
        conv_done(cv);
    ingest_xlsx_free(x);
    return rc;
}

const char *ingest_xlsx_csv(const struct ingest_xlsx *x, size_t *ret_len)
{
    if (ret_len)
        *ret_len = x->csv.len;
    return eg_buf_str(&x->csv);
}

const char *ingest_xlsx_sheet(const struct ingest_xlsx *x)
{
    return x->sheet;
}

long ingest_xlsx_row(const struct ingest_xlsx *x, long line)
{
    size_t lo = 0, hi = x->nmap; /* the last entry with .line <= line */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->map[mid].line <= line)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return line;
    return x->map[lo - 1].row + (line - x->map[lo - 1].line);
}

bool ingest_xlsx_detect(const char *name, const char *buf, size_t len)
{
    size_t n = name ? strlen(name) : 0;
    if (n >= 5 && strcasecmp(name + n - 5, ".xlsx") == 0)
        return true;
    return len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0;
}

/* ---- input files for the importers ---- */

int ingest_input_read(const char *path, struct ingest_input *in, struct eg_errbuf *eb)
{
    char *raw;
    size_t len;
    memset(in, 0, sizeof(*in));
    int rc = eg_file_read(path, INGEST_FILE_LIMIT, &raw, &len, eb);
    if (rc)
        return rc;
    if (!ingest_xlsx_detect(path, raw, len)) {
        in->raw = raw;
        in->buf = raw;
        in->len = len;
        in->name = path;
        return 0;
    }
    rc = ingest_xlsx_convert(raw, len, path, NULL, &in->xlsx, eb);
    eg_free(raw);
    if (rc)
        return rc;
    in->buf = ingest_xlsx_csv(in->xlsx, &in->len);
    in->name = in->xlsx->display;
    return 0;
}

long ingest_input_row(const struct ingest_input *in, long line)
{
    return in->xlsx ? ingest_xlsx_row(in->xlsx, line) : line;
}

void ingest_input_locate(const struct ingest_input *in, struct eg_errbuf *eb)
{
    if (!eb || !in->xlsx || eb->line <= 0)
        return;
    eb->line = ingest_xlsx_row(in->xlsx, eb->line);
    if (eb->column > 0 && eb->column <= MAX_COL) {
        char col[8];
        size_t n = strlen(eb->msg);
        col_letters(eb->column, col);
        snprintf(eb->msg + n, sizeof(eb->msg) - n, " (cell %s%ld)", col, eb->line);
    }
}

void ingest_input_done(struct ingest_input *in)
{
    if (!in)
        return;
    eg_free(in->raw);
    ingest_xlsx_free(in->xlsx);
    memset(in, 0, sizeof(*in));
}
