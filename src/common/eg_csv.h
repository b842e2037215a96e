/* eg_csv.h — a zero-copy CSV record reader over a memory buffer (RFC 4180).
 *
 * Fields are (pointer, length) views into the input; a quoted field containing "" escapes is
 * unescaped into the reader's own scratch storage.  Accepts LF and CRLF, skips a UTF-8 BOM at the
 * start, optionally skips lines beginning with '#'.  Every count and length has a limit; a record
 * over a limit, an unterminated quote or stray text after a closing quote is an error that names
 * the line and column.  Views stay valid until the next eg_csv_next call.
 */
#ifndef EG_CSV_H
#define EG_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "eg_err.h"

struct eg_csv_field {
    const char *s;
    size_t n;
};

struct eg_csv {
    const char *p, *end;
    long line;      /* line number (1-based) where the current record starts */
    long next_line; /* line number of the next unread byte */
    size_t nfields;
    size_t max_fields;    /* default 65536 */
    size_t max_field_len; /* default 1 MiB */
    bool skip_comments;   /* lines starting with '#' are skipped */
    struct eg_csv_field *fields;
    size_t *offs; /* internal: scratch offsets of quoted fields */
    size_t fields_cap;
    char *scratch;
    size_t scratch_len, scratch_cap;
    const char *path; /* for error messages (not owned) */
};

void eg_csv_init(struct eg_csv *c, const char *buf, size_t len, const char *path);
void eg_csv_done(struct eg_csv *c);

/* Read the next record.  Returns 1 when a record was read, 0 at the end of input, or a negative
 * error (EG_EPARSE, EG_ELIMIT, EG_ENOMEM) with the file, line and column in eb.  Blank lines are
 * skipped. */
int eg_csv_next(struct eg_csv *c, struct eg_errbuf *eb) EG_MUST_CHECK;

/* Field i of the current record (empty view when i >= nfields). */
struct eg_csv_field eg_csv_get(const struct eg_csv *c, size_t i);
bool eg_csv_eq(struct eg_csv_field f, const char *s);
/* Copy a field into buf as a NUL-terminated string (truncated to n-1 bytes). */
void eg_csv_copy(struct eg_csv_field f, char *buf, size_t n);

#endif
