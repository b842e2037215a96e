/* fmt.h — records out, as a table, CSV, a JSON array or NDJSON (one JSON object a line).
 *
 * Every query command builds records with the fmt_* calls and the writer renders them in the
 * format the user chose.  Keys are emitted in the order given; nested objects and arrays are
 * allowed (tables and CSV show them as compact JSON).  Decimal values are passed as scaled
 * integers and printed exactly.  Table output is buffered to size its columns (CJK characters
 * count double width); CSV, JSON and NDJSON stream.  Errors are sticky: the first failure is
 * returned by fmt_row_end and fmt_finish.
 */
#ifndef FMT_H
#define FMT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/eg_err.h"

enum fmt_kind { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_NDJSON };

/* "table", "csv", "json", "ndjson" → kind; EG_EINVAL otherwise. */
int fmt_kind_parse(const char *s, enum fmt_kind *ret) EG_MUST_CHECK;

struct fmt;

/* A writer to out.  NULL on out of memory. */
struct fmt *fmt_new(enum fmt_kind kind, FILE *out);
void fmt_free(struct fmt *f);

void fmt_row_begin(struct fmt *f);
/* Fields of the current record (or of the innermost open object/array; key ignored in arrays). */
void fmt_str(struct fmt *f, const char *key, const char *v); /* v NULL → null */
void fmt_int(struct fmt *f, const char *key, int64_t v);
void fmt_dec(struct fmt *f, const char *key, int64_t v, int scale); /* v × 10^-scale, exact */
void fmt_bool(struct fmt *f, const char *key, bool v);
void fmt_null(struct fmt *f, const char *key);
void fmt_obj_begin(struct fmt *f, const char *key);
void fmt_arr_begin(struct fmt *f, const char *key);
void fmt_close(struct fmt *f); /* ends the innermost object or array */
int fmt_row_end(struct fmt *f) EG_MUST_CHECK;
/* Flush (tables are printed here); returns the first error seen. */
int fmt_finish(struct fmt *f) EG_MUST_CHECK;

#endif
