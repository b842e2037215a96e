/* sqlite-int.h — private to src/store/sqlite/: the SQLite connection object and the helpers its
 * files share (schema.c migrations, sqlite.c statements, layouts.c benchmark layouts).
 */
#ifndef STORE_SQLITE_INT_H
#define STORE_SQLITE_INT_H

#include <sqlite3.h>
#include <stdbool.h>

#include "store/store-int.h"

/* Schema version this build migrates to (schema.c). */
#define SQ__SCHEMA_VERSION 1

/* Bytes of one hourly row's value blob: 24 little-endian int32. */
#define SQ__BLOB_BYTES 96

/* Record sqlite3_errmsg(db) under `what` in eb; returns EG_EDB. */
int sq__err(sqlite3 *db, struct eg_errbuf *eb, const char *what);
/* Connection pragmas common to the store and the layout lab (see the comment in sqlite.c). */
int sq__pragmas(sqlite3 *db, bool readonly, struct eg_errbuf *eb) EG_MUST_CHECK;
/* Bring an empty or older database to SQ__SCHEMA_VERSION, one transaction per step; read-only:
 * only check.  *ret_version is the version afterwards. */
int sq__migrate(sqlite3 *db, bool readonly, int *ret_version, struct eg_errbuf *eb) EG_MUST_CHECK;

void sq__blob_encode(const int32_t v[24], unsigned char out[SQ__BLOB_BYTES]);
void sq__blob_decode(const unsigned char in[SQ__BLOB_BYTES], int32_t v[24]);

#endif
