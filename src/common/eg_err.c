/* eg_err.c — error names and the bounded error buffer (see eg_err.h). */
#include "eg_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *eg_strerror(int code)
{
    switch (code) {
    case EG_OK:
        return "success";
    case EG_ENOMEM:
        return "out of memory";
    case EG_EINVAL:
        return "invalid argument";
    case EG_EIO:
        return "input/output error";
    case EG_EPARSE:
        return "malformed input";
    case EG_ENOTFOUND:
        return "not found";
    case EG_ERANGE:
        return "value out of range";
    case EG_ELIMIT:
        return "limit exceeded";
    case EG_EDB:
        return "storage error";
    case EG_ESTATE:
        return "not allowed in the current state";
    case EG_EEXIST:
        return "already exists";
    case EG_EUSAGE:
        return "usage error";
    case EG_EAUTH:
        return "not authorised";
    default:
        return "unknown error";
    }
}

void eg_errbuf_clear(struct eg_errbuf *eb)
{
    if (eb)
        memset(eb, 0, sizeof(*eb));
}

int eg_errf(struct eg_errbuf *eb, int code, const char *fmt, ...)
{
    if (eb) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(eb->msg, sizeof(eb->msg), fmt, ap);
        va_end(ap);
        eb->code = code;
    }
    return code;
}

int eg_err_vlocf(struct eg_errbuf *eb, int code, const char *file, long line, long column,
                 const char *field, const char *fmt, va_list ap)
{
    if (eb) {
        eg_errbuf_clear(eb);
        eg_err_at(eb, file, line, column, field);
        vsnprintf(eb->msg, sizeof(eb->msg), fmt, ap);
        eb->code = code;
    }
    return code;
}

int eg_err_locf(struct eg_errbuf *eb, int code, const char *file, long line, long column,
                const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    eg_err_vlocf(eb, code, file, line, column, field, fmt, ap);
    va_end(ap);
    return code;
}

void eg_err_at(struct eg_errbuf *eb, const char *file, long line, long column, const char *field)
{
    if (!eb)
        return;
    if (file)
        snprintf(eb->file, sizeof(eb->file), "%s", file);
    if (line)
        eb->line = line;
    if (column)
        eb->column = column;
    if (field)
        snprintf(eb->field, sizeof(eb->field), "%s", field);
}

void eg_errbuf_format(const struct eg_errbuf *eb, char *out, size_t n)
{
    size_t k = 0;
    int w;
    if (!n)
        return;
    out[0] = 0;
#define APPEND(...)                                \
    do {                                           \
        w = snprintf(out + k, n - k, __VA_ARGS__); \
        if (w < 0 || (size_t)w >= n - k)           \
            return;                                \
        k += (size_t)w;                            \
    } while (0)
    if (eb->file[0])
        APPEND("%s:", eb->file);
    if (eb->line)
        APPEND("%ld:", eb->line);
    if (eb->column)
        APPEND("%ld:", eb->column);
    if (k)
        APPEND(" ");
    if (eb->field[0])
        APPEND("%s: ", eb->field);
    APPEND("%s", eb->msg[0] ? eb->msg : eg_strerror(eb->code));
#undef APPEND
}
