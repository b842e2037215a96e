/* eg_csv.c — zero-copy CSV reader (see eg_csv.h). */
#include "eg_csv.h"

#include <string.h>

#include "eg_mem.h"

void eg_csv_init(struct eg_csv *c, const char *buf, size_t len, const char *path)
{
    memset(c, 0, sizeof(*c));
    c->p = buf;
    c->end = buf + len;
    if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
        (unsigned char)buf[2] == 0xBF)
        c->p += 3;
    c->line = 0;
    c->next_line = 1;
    c->max_fields = 65536;
    c->max_field_len = 1u << 20;
    c->path = path;
}

void eg_csv_done(struct eg_csv *c)
{
    if (!c)
        return;
    eg_free(c->fields);
    eg_free(c->offs);
    eg_free(c->scratch);
    c->fields = NULL;
    c->offs = NULL;
    c->scratch = NULL;
}

static int fail(struct eg_csv *c, struct eg_errbuf *eb, int code, long line, long col,
                const char *what)
{
    eg_err_at(eb, c->path, line, col, NULL);
    return eg_errf(eb, code, "%s", what);
}

/* off != NOT_SCRATCH: the field's bytes are at scratch + off (fixed up when the record ends,
 * because the scratch may move as it grows). */
#define NOT_SCRATCH ((size_t)-1)

static int push(struct eg_csv *c, struct eg_errbuf *eb, const char *s, size_t n, size_t off,
                long col)
{
    if (c->nfields >= c->max_fields)
        return fail(c, eb, EG_ELIMIT, c->line, col, "too many fields in the record");
    if (n > c->max_field_len)
        return fail(c, eb, EG_ELIMIT, c->line, col, "field longer than the limit");
    if (c->nfields == c->fields_cap) {
        size_t cap = c->fields_cap ? c->fields_cap * 2 : 64;
        struct eg_csv_field *f = eg_realloc(c->fields, cap * sizeof(*f));
        if (!f)
            return fail(c, eb, EG_ENOMEM, c->line, col, "out of memory");
        c->fields = f;
        size_t *o = eg_realloc(c->offs, cap * sizeof(*o));
        if (!o)
            return fail(c, eb, EG_ENOMEM, c->line, col, "out of memory");
        c->offs = o;
        c->fields_cap = cap;
    }
    c->offs[c->nfields] = off;
    c->fields[c->nfields].s = s;
    c->fields[c->nfields].n = n;
    c->nfields++;
    return 0;
}

/* Scratch space for unescaped quoted fields; offsets are fixed up after the record because
 * the scratch may move when it grows. */
static int scratch_add(struct eg_csv *c, const char *s, size_t n)
{
    if (n == 0)
        return 0; /* an empty quoted field: nothing to copy (scratch may still be NULL) */
    if (c->scratch_len + n > c->scratch_cap) {
        size_t cap = c->scratch_cap ? c->scratch_cap : 256;
        while (cap < c->scratch_len + n)
            cap *= 2;
        char *p = eg_realloc(c->scratch, cap);
        if (!p)
            return EG_ENOMEM;
        c->scratch = p;
        c->scratch_cap = cap;
    }
    memcpy(c->scratch + c->scratch_len, s, n);
    c->scratch_len += n;
    return 0;
}

int eg_csv_next(struct eg_csv *c, struct eg_errbuf *eb)
{
    int rc;
    for (;;) {
        if (c->p >= c->end)
            return 0;
        c->nfields = 0;
        c->scratch_len = 0;
        c->line = c->next_line;
        const char *line_start = c->p;
        if (*c->p == '\n' || (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')) {
            c->p += *c->p == '\n' ? 1 : 2;
            c->next_line++;
            continue;
        }
        if (c->skip_comments && *c->p == '#') {
            const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
            c->p = nl ? nl + 1 : c->end;
            c->next_line++;
            continue;
        }
        int has_scratch = 0;
        for (;;) {
            long col = (long)(c->p - line_start) + 1;
            if (c->p < c->end && *c->p == '"') {
                /* quoted field */
                const char *q = c->p + 1;
                size_t off = c->scratch_len;
                for (;;) {
                    const char *e = memchr(q, '"', (size_t)(c->end - q));
                    if (!e)
                        return fail(c, eb, EG_EPARSE, c->line, col, "unterminated quoted field");
                    for (const char *t = q; t < e; t++)
                        if (*t == '\n')
                            c->next_line++;
                    if ((rc = scratch_add(c, q, (size_t)(e - q))))
                        return fail(c, eb, rc, c->line, col, "out of memory");
                    if (e + 1 < c->end && e[1] == '"') {
                        if ((rc = scratch_add(c, "\"", 1)))
                            return fail(c, eb, rc, c->line, col, "out of memory");
                        q = e + 2;
                        continue;
                    }
                    c->p = e + 1;
                    break;
                }
                if ((rc = push(c, eb, NULL, c->scratch_len - off, off, col)))
                    return rc;
                has_scratch = 1;
                if (c->p < c->end && *c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')
                    c->p++;
                if (c->p < c->end && *c->p != ',' && *c->p != '\n')
                    return fail(c, eb, EG_EPARSE, c->line, (long)(c->p - line_start) + 1,
                                "text after a closing quote");
            } else {
                const char *s = c->p;
                while (c->p < c->end && *c->p != ',' && *c->p != '\n')
                    c->p++;
                size_t n = (size_t)(c->p - s);
                if (c->p < c->end && *c->p == '\n' && n && s[n - 1] == '\r')
                    n--;
                else if (c->p == c->end && n && s[n - 1] == '\r')
                    n--;
                if ((rc = push(c, eb, s, n, NOT_SCRATCH, col)))
                    return rc;
            }
            if (c->p >= c->end)
                break;
            if (*c->p == '\n') {
                c->p++;
                c->next_line++;
                break;
            }
            c->p++; /* comma */
            if (c->p >= c->end) {
                if ((rc = push(c, eb, c->p, 0, NOT_SCRATCH, (long)(c->p - line_start) + 1)))
                    return rc;
                break;
            }
        }
        if (has_scratch)
            for (size_t i = 0; i < c->nfields; i++)
                if (c->offs[i] != NOT_SCRATCH)
                    c->fields[i].s = c->scratch ? c->scratch + c->offs[i] : "";
        return 1;
    }
}

struct eg_csv_field eg_csv_get(const struct eg_csv *c, size_t i)
{
    struct eg_csv_field f = {"", 0};
    if (i < c->nfields)
        f = c->fields[i];
    return f;
}

bool eg_csv_eq(struct eg_csv_field f, const char *s)
{
    size_t n = strlen(s);
    return f.n == n && memcmp(f.s, s, n) == 0;
}

void eg_csv_copy(struct eg_csv_field f, char *buf, size_t n)
{
    if (!n)
        return;
    size_t k = f.n < n - 1 ? f.n : n - 1;
    memcpy(buf, f.s, k);
    buf[k] = 0;
}
