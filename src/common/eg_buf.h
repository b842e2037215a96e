/* eg_buf.h — a growable byte buffer with a hard size limit (after curl's dynbuf), and whole-file
 * reading with a limit.  Adding past the limit fails with EG_ELIMIT and leaves the content as it
 * was.  The content is always NUL-terminated. */
#ifndef EG_BUF_H
#define EG_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "eg_err.h"

struct eg_buf {
    char *p;
    size_t len;
    size_t cap;
    size_t limit; /* maximum len */
};

void eg_buf_init(struct eg_buf *b, size_t limit);
/* Free the storage; b may be reused after eg_buf_init (NULL allowed). */
void eg_buf_done(struct eg_buf *b);
void eg_buf_reset(struct eg_buf *b);
int eg_buf_add(struct eg_buf *b, const void *data, size_t n) EG_MUST_CHECK;
int eg_buf_addc(struct eg_buf *b, char c) EG_MUST_CHECK;
int eg_buf_adds(struct eg_buf *b, const char *s) EG_MUST_CHECK;
int eg_buf_addf(struct eg_buf *b, const char *fmt, ...) EG_PRINTF(2, 3) EG_MUST_CHECK;
int eg_buf_vaddf(struct eg_buf *b, const char *fmt, va_list ap) EG_PRINTF(2, 0) EG_MUST_CHECK;
/* The content, NUL-terminated ("" when empty). */
const char *eg_buf_str(const struct eg_buf *b);
/* Hand the storage to the caller (free with eg_free); b is reset. */
char *eg_buf_steal(struct eg_buf *b, size_t *ret_len);

/* Read a whole file ("-" = standard input) of at most `limit` bytes.  On success *ret is a
 * NUL-terminated eg_malloc'd buffer the caller frees with eg_free.  Errors name the path in eb. */
int eg_file_read(const char *path, size_t limit, char **ret, size_t *ret_len,
                 struct eg_errbuf *eb) EG_MUST_CHECK;

#endif
