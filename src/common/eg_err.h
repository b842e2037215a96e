/* eg_err.h — error codes and the error buffer every fallible envgov function reports into.
 *
 * Functions return 0 or a negative enum eg_err.  Human-readable detail (file, line, column, field,
 * message) goes into an optional struct eg_errbuf, which only the outer layers (CLI, HTTP) print.
 * The buffer is bounded: a long message is truncated, never overflows.
 */
#ifndef EG_ERR_H
#define EG_ERR_H

#include <stdarg.h>
#include <stddef.h>

#define EG_MUST_CHECK   __attribute__((warn_unused_result))
#define EG_PRINTF(a, b) __attribute__((format(printf, a, b)))

enum eg_err {
    EG_OK = 0,
    EG_ENOMEM = -1,    /* allocation failed */
    EG_EINVAL = -2,    /* invalid argument or value */
    EG_EIO = -3,       /* read/write failure */
    EG_EPARSE = -4,    /* malformed input */
    EG_ENOTFOUND = -5, /* no such object */
    EG_ERANGE = -6,    /* value out of range */
    EG_ELIMIT = -7,    /* a configured limit was exceeded */
    EG_EDB = -8,       /* storage back-end failure */
    EG_ESTATE = -9,    /* operation not allowed in the current state */
    EG_EEXIST = -10,   /* object exists already */
    EG_EUSAGE = -11,   /* command-line usage error */
    EG_EAUTH = -12,    /* authentication or permission failure */
};

#define EG_ERRBUF_MSG  512
#define EG_ERRBUF_PATH 256

/* Where an error happened and what it was.  line/column are 1-based; 0 = not applicable. */
struct eg_errbuf {
    int code;
    long line;
    long column;
    char file[EG_ERRBUF_PATH];
    char field[64];
    char msg[EG_ERRBUF_MSG];
};

/* Static English name of a code ("invalid argument"); never NULL. */
const char *eg_strerror(int code);

/* Clear eb (NULL allowed). */
void eg_errbuf_clear(struct eg_errbuf *eb);

/* Record code and a formatted message in eb (NULL allowed); returns code so callers can
 * `return eg_errf(eb, EG_EPARSE, "...")`.  Keeps file/line/field already set. */
int eg_errf(struct eg_errbuf *eb, int code, const char *fmt, ...) EG_PRINTF(3, 4);

/* Clear eb (NULL allowed), then record a location (any of file/field NULL, line/column 0 when
 * not applicable), a code and a formatted message; returns code.  For parsers reporting where
 * the input is wrong. */
int eg_err_locf(struct eg_errbuf *eb, int code, const char *file, long line, long column,
                const char *field, const char *fmt, ...) EG_PRINTF(7, 8);
int eg_err_vlocf(struct eg_errbuf *eb, int code, const char *file, long line, long column,
                 const char *field, const char *fmt, va_list ap) EG_PRINTF(7, 0);

/* Set the location fields (any may be NULL / 0 to leave them unchanged). */
void eg_err_at(struct eg_errbuf *eb, const char *file, long line, long column, const char *field);

/* Format eb as "file:line:column: field: message" (only the parts present) into out. */
void eg_errbuf_format(const struct eg_errbuf *eb, char *out, size_t n);

#endif
