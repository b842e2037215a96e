/* standards-int.h — private to src/standards/: opening an embedded table, shared by the air tables
 * (standards.c) and the water and soil tables (water.c). */
#ifndef STANDARDS_INT_H
#define STANDARDS_INT_H

#include "common/eg_csv.h"
#include "standards.h"

/* Open the embedded CSV `name` (always initialising c, so eg_csv_done is safe), hand back the
 * text of its '#' source line in *ret_source (NULL allowed; empty view when absent), and read the
 * header row.  0, EG_ENOTFOUND (not embedded), EG_EPARSE (empty table) or a CSV error. */
int std__open(struct eg_csv *c, const char *name, struct eg_csv_field *ret_source,
              struct eg_errbuf *eb) EG_MUST_CHECK;
/* A malformed row of the table c is reading: EG_EPARSE with the table, line and what. */
int std__bad(struct eg_csv *c, struct eg_errbuf *eb, const char *what);

#endif
