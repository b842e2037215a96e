/* eg_buf.c — bounded growable buffer and file reading (see eg_buf.h). */
#include "eg_buf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "eg_mem.h"

void eg_buf_init(struct eg_buf *b, size_t limit)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->limit = limit;
}

void eg_buf_done(struct eg_buf *b)
{
    if (!b)
        return;
    eg_free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void eg_buf_reset(struct eg_buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = 0;
}

static int grow(struct eg_buf *b, size_t need)
{
    if (need > b->limit)
        return EG_ELIMIT;
    if (need + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need + 1)
        cap *= 2;
    if (cap > b->limit + 1)
        cap = b->limit + 1;
    char *p = eg_realloc(b->p, cap);
    if (!p)
        return EG_ENOMEM;
    b->p = p;
    b->cap = cap;
    return 0;
}

int eg_buf_add(struct eg_buf *b, const void *data, size_t n)
{
    if (n > b->limit || b->len > b->limit - n)
        return EG_ELIMIT;
    int rc = grow(b, b->len + n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = 0;
    return 0;
}

int eg_buf_addc(struct eg_buf *b, char c)
{
    return eg_buf_add(b, &c, 1);
}

int eg_buf_adds(struct eg_buf *b, const char *s)
{
    return eg_buf_add(b, s, strlen(s));
}

int eg_buf_vaddf(struct eg_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return EG_EINVAL;
    if ((size_t)n > b->limit || b->len > b->limit - (size_t)n)
        return EG_ELIMIT;
    int rc = grow(b, b->len + (size_t)n);
    if (rc)
        return rc;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int eg_buf_addf(struct eg_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = eg_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

const char *eg_buf_str(const struct eg_buf *b)
{
    return b->p ? b->p : "";
}

char *eg_buf_steal(struct eg_buf *b, size_t *ret_len)
{
    char *p = b->p;
    if (!p) {
        p = eg_malloc(1);
        if (p)
            p[0] = 0;
    }
    if (ret_len)
        *ret_len = b->len;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

int eg_file_read(const char *path, size_t limit, char **ret, size_t *ret_len, struct eg_errbuf *eb)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    struct eg_buf b;
    int rc = 0;
    char chunk[65536];

    eg_buf_init(&b, limit);
    if (!f) {
        eg_err_at(eb, path, 0, 0, NULL);
        return eg_errf(eb, errno == ENOENT ? EG_ENOTFOUND : EG_EIO, "cannot open: %s",
                       strerror(errno));
    }
    for (;;) {
        size_t n = fread(chunk, 1, sizeof(chunk), f);
        if (n && (rc = eg_buf_add(&b, chunk, n))) {
            eg_err_at(eb, path, 0, 0, NULL);
            eg_errf(eb, rc,
                    rc == EG_ELIMIT ? "file larger than the limit of %zu bytes"
                                    : "out of memory reading the file",
                    limit);
            goto out;
        }
        if (n < sizeof(chunk)) {
            if (ferror(f)) {
                eg_err_at(eb, path, 0, 0, NULL);
                rc = eg_errf(eb, EG_EIO, "read error");
                goto out;
            }
            break;
        }
    }
    *ret = eg_buf_steal(&b, ret_len);
    if (!*ret)
        rc = EG_ENOMEM;
out:
    if (!is_stdin)
        fclose(f);
    eg_buf_done(&b);
    return rc;
}
