/* fmt.c — record writer for table, CSV, JSON and NDJSON output (see fmt.h).
 * Each record is serialised as compact JSON text as it is built; CSV and tables re-render the
 * top-level values as cells.  Exact decimals come from eg_dec_format, never from a double. */
#include "fmt.h"

#include <string.h>

#include "common/eg_buf.h"
#include "common/eg_mem.h"
#include "common/eg_num.h"

#define FMT_MAX_DEPTH   8
#define FMT_MAX_COLS    64
#define FMT_CELL_LIMIT  (1u << 20)
#define FMT_ROW_LIMIT   (16u << 20)
#define FMT_TABLE_LIMIT (512u << 20)

struct fmt {
    enum fmt_kind kind;
    FILE *out;
    int err;
    long rows;
    int depth;
    bool first[FMT_MAX_DEPTH];  /* no member yet at this depth */
    char closer[FMT_MAX_DEPTH]; /* '}' or ']' for each open container */
    struct eg_buf json;         /* current record as JSON */
    /* top-level cells of the current record (table/CSV) */
    size_t ncols;
    char *cols[FMT_MAX_COLS];
    struct eg_buf cell[FMT_MAX_COLS];
    int cur;          /* column of the current top-level value */
    size_t cell_from; /* json offset where the current nested top-level value starts */
    /* table: all cells, row-major */
    struct eg_buf table; /* cells separated by NUL */
    size_t width[FMT_MAX_COLS];
};

int fmt_kind_parse(const char *s, enum fmt_kind *ret)
{
    static const char *const names[] = {"table", "csv", "json", "ndjson"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i])) {
            *ret = (enum fmt_kind)i;
            return 0;
        }
    return EG_EINVAL;
}

struct fmt *fmt_new(enum fmt_kind kind, FILE *out)
{
    struct fmt *f = eg_calloc(1, sizeof(*f));
    if (!f)
        return NULL;
    f->kind = kind;
    f->out = out;
    eg_buf_init(&f->json, FMT_ROW_LIMIT);
    eg_buf_init(&f->table, FMT_TABLE_LIMIT);
    for (int i = 0; i < FMT_MAX_COLS; i++)
        eg_buf_init(&f->cell[i], FMT_CELL_LIMIT);
    return f;
}

void fmt_free(struct fmt *f)
{
    if (!f)
        return;
    eg_buf_done(&f->json);
    eg_buf_done(&f->table);
    for (int i = 0; i < FMT_MAX_COLS; i++) {
        eg_buf_done(&f->cell[i]);
        eg_free(f->cols[i]);
    }
    eg_free(f);
}

static void check(struct fmt *f, int rc)
{
    if (rc && !f->err)
        f->err = rc;
}

static void json_str(struct eg_buf *b, const char *s, int *err)
{
    int rc = eg_buf_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
        if (*p == '"' || *p == '\\') {
            char e[2] = {'\\', (char)*p};
            rc = eg_buf_add(b, e, 2);
        } else if (*p < 0x20) {
            rc = eg_buf_addf(b, "\\u%04x", *p);
        } else {
            rc = eg_buf_addc(b, (char)*p);
        }
    }
    if (!rc)
        rc = eg_buf_addc(b, '"');
    if (rc && !*err)
        *err = rc;
}

void fmt_row_begin(struct fmt *f)
{
    eg_buf_reset(&f->json);
    f->depth = 0;
    f->first[0] = true;
    f->cur = -1;
    for (size_t i = 0; i < f->ncols; i++)
        eg_buf_reset(&f->cell[i]);
    check(f, eg_buf_addc(&f->json, '{'));
}

/* Column index of a top-level key; new keys are added while the first record is built. */
static int column(struct fmt *f, const char *key)
{
    for (size_t i = 0; i < f->ncols; i++)
        if (!strcmp(f->cols[i], key))
            return (int)i;
    if (f->rows > 0 || f->ncols >= FMT_MAX_COLS) {
        check(f, EG_EINVAL); /* every record must carry the first record's keys */
        return -1;
    }
    f->cols[f->ncols] = eg_strdup(key);
    if (!f->cols[f->ncols]) {
        check(f, EG_ENOMEM);
        return -1;
    }
    return (int)f->ncols++;
}

/* Emit the separator and key of a new member; note where a top-level value starts. */
static void member(struct fmt *f, const char *key)
{
    if (!f->first[f->depth])
        check(f, eg_buf_addc(&f->json, ','));
    f->first[f->depth] = false;
    if (key) {
        json_str(&f->json, key, &f->err);
        check(f, eg_buf_addc(&f->json, ':'));
    }
    if (f->depth == 0) {
        f->cur = key ? column(f, key) : -1;
        f->cell_from = f->json.len;
    }
}

/* A JSON array of plain strings (no escapes, commas or quotes inside) is shown in a cell as the
 * strings joined by commas: ["PM10","PM2.5"] → PM10,PM2.5.  Returns false for anything else. */
static bool simple_list(struct eg_buf *c, const char *s, size_t n, int *err)
{
    if (n < 2 || s[0] != '[' || s[n - 1] != ']')
        return false;
    for (size_t i = 1; i + 1 < n; i++)
        if (s[i] == '\\' || s[i] == '{' || s[i] == '[')
            return false;
    size_t i = 1;
    while (i + 1 < n) {
        if (s[i] != '"')
            return false;
        const char *e = memchr(s + i + 1, '"', n - i - 1);
        if (!e)
            return false;
        size_t len = (size_t)(e - (s + i + 1));
        if (memchr(s + i + 1, ',', len))
            return false;
        if (c->len) {
            int rc = eg_buf_addc(c, ',');
            if (rc && !*err)
                *err = rc;
        }
        int rc = eg_buf_add(c, s + i + 1, len);
        if (rc && !*err)
            *err = rc;
        i = (size_t)(e - s) + 1;
        if (i + 1 < n && s[i] != ',')
            return false;
        if (i + 1 < n)
            i++;
    }
    return true;
}

/* After a scalar at depth 0 (or when a nested top-level value closes), copy its text into the
 * cell; strings lose their quotes in cells. */
static void end_value(struct fmt *f, const char *plain)
{
    if (f->depth != 0 || f->cur < 0)
        return;
    struct eg_buf *c = &f->cell[f->cur];
    eg_buf_reset(c);
    if (plain)
        check(f, eg_buf_adds(c, plain));
    else if (!simple_list(c, f->json.p + f->cell_from, f->json.len - f->cell_from, &f->err)) {
        eg_buf_reset(c);
        check(f, eg_buf_add(c, f->json.p + f->cell_from, f->json.len - f->cell_from));
    }
}

void fmt_str(struct fmt *f, const char *key, const char *v)
{
    member(f, key);
    if (!v) {
        check(f, eg_buf_adds(&f->json, "null"));
        end_value(f, "");
        return;
    }
    json_str(&f->json, v, &f->err);
    end_value(f, v);
}

void fmt_int(struct fmt *f, const char *key, int64_t v)
{
    char t[32];
    snprintf(t, sizeof(t), "%lld", (long long)v);
    member(f, key);
    check(f, eg_buf_adds(&f->json, t));
    end_value(f, t);
}

void fmt_dec(struct fmt *f, const char *key, int64_t v, int scale)
{
    char t[48];
    eg_dec_format(v, scale, t, sizeof(t));
    member(f, key);
    check(f, eg_buf_adds(&f->json, t));
    end_value(f, t);
}

void fmt_bool(struct fmt *f, const char *key, bool v)
{
    member(f, key);
    check(f, eg_buf_adds(&f->json, v ? "true" : "false"));
    end_value(f, v ? "true" : "false");
}

void fmt_null(struct fmt *f, const char *key)
{
    member(f, key);
    check(f, eg_buf_adds(&f->json, "null"));
    end_value(f, "");
}

static void open(struct fmt *f, const char *key, char c)
{
    member(f, key);
    check(f, eg_buf_addc(&f->json, c));
    if (f->depth + 1 >= FMT_MAX_DEPTH) {
        check(f, EG_ELIMIT);
        return;
    }
    f->depth++;
    f->first[f->depth] = true;
    f->closer[f->depth] = c == '{' ? '}' : ']';
}

void fmt_obj_begin(struct fmt *f, const char *key)
{
    open(f, key, '{');
}

void fmt_arr_begin(struct fmt *f, const char *key)
{
    open(f, key, '[');
}

void fmt_close(struct fmt *f)
{
    if (f->depth <= 0) {
        check(f, EG_EINVAL);
        return;
    }
    check(f, eg_buf_addc(&f->json, f->closer[f->depth]));
    f->depth--;
    end_value(f, NULL);
}

static size_t disp_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned cp;
        int n;
        if (*p < 0x80) {
            cp = *p;
            n = 1;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = *p & 0x1Fu;
            n = 2;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = *p & 0x0Fu;
            n = 3;
        } else {
            cp = *p & 0x07u;
            n = 4;
        }
        for (int k = 1; k < n; k++)
            cp = (cp << 6) | (p[k] & 0x3Fu);
        for (int k = 0; k < n && *p; k++)
            p++;
        /* East Asian wide ranges (CJK, fullwidth forms) count as two columns */
        w += (cp >= 0x1100 && (cp <= 0x115F || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                               (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                               (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6)))
                 ? 2
                 : 1;
    }
    return w;
}

static void csv_cell(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\n\r")) {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    } else {
        fputs(s, out);
    }
}

int fmt_row_end(struct fmt *f)
{
    if (f->depth != 0)
        check(f, EG_EINVAL);
    check(f, eg_buf_addc(&f->json, '}'));
    if (f->err)
        return f->err;
    switch (f->kind) {
    case FMT_NDJSON:
        fputs(f->json.p, f->out);
        fputc('\n', f->out);
        break;
    case FMT_JSON:
        fputs(f->rows ? ",\n" : "[\n", f->out);
        fputs(f->json.p, f->out);
        break;
    case FMT_CSV:
        if (f->rows == 0) {
            for (size_t i = 0; i < f->ncols; i++) {
                if (i)
                    fputc(',', f->out);
                csv_cell(f->out, f->cols[i]);
            }
            fputc('\n', f->out);
        }
        for (size_t i = 0; i < f->ncols; i++) {
            if (i)
                fputc(',', f->out);
            csv_cell(f->out, eg_buf_str(&f->cell[i]));
        }
        fputc('\n', f->out);
        break;
    case FMT_TABLE:
        for (size_t i = 0; i < f->ncols; i++) {
            const char *s = eg_buf_str(&f->cell[i]);
            size_t w = disp_width(s);
            if (w > f->width[i])
                f->width[i] = w;
            check(f, eg_buf_add(&f->table, s, strlen(s) + 1));
        }
        break;
    }
    f->rows++;
    return f->err;
}

static void pad(FILE *out, size_t n)
{
    while (n--)
        fputc(' ', out);
}

int fmt_finish(struct fmt *f)
{
    if (f->err)
        return f->err;
    if (f->kind == FMT_JSON)
        fputs(f->rows ? "\n]\n" : "[]\n", f->out);
    if (f->kind == FMT_TABLE && f->ncols) {
        for (size_t i = 0; i < f->ncols; i++) {
            size_t w = disp_width(f->cols[i]);
            if (w > f->width[i])
                f->width[i] = w;
        }
        for (size_t i = 0; i < f->ncols; i++) {
            fputs(f->cols[i], f->out);
            if (i + 1 < f->ncols)
                pad(f->out, f->width[i] - disp_width(f->cols[i]) + 2);
        }
        fputc('\n', f->out);
        for (size_t i = 0; i < f->ncols; i++) {
            for (size_t k = 0; k < f->width[i]; k++)
                fputc('-', f->out);
            if (i + 1 < f->ncols)
                pad(f->out, 2);
        }
        fputc('\n', f->out);
        const char *p = f->table.p;
        for (long r = 0; r < f->rows; r++) {
            for (size_t i = 0; i < f->ncols; i++) {
                size_t w = disp_width(p);
                fputs(p, f->out);
                if (i + 1 < f->ncols)
                    pad(f->out, f->width[i] - w + 2);
                p += strlen(p) + 1;
            }
            fputc('\n', f->out);
        }
    }
    if (fflush(f->out) != 0 || ferror(f->out))
        return EG_EIO;
    return 0;
}
