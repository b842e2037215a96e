/* sqlite-int.h — private to src/store/sqlite/: the SQLite connection object and the helpers its
 * files share (schema.c migrations, sqlite.c statements, layouts.c benchmark layouts).
 */
#ifndef STORE_SQLITE_INT_H
#define STORE_SQLITE_INT_H

#include <sqlite3.h>
#include <stdbool.h>

#include "store/store-int.h"

/* A domain's migration steps (schema.c); each domain file defines one and schema.c lists it. */
struct sq__domain {
    const char *name;
    const char *const *steps;
    int nsteps;
};
extern const struct sq__domain sq__domain_air;

/* Bytes of one hourly row's value blob: 24 little-endian int32. */
#define SQ__BLOB_BYTES 96
#define SQ__Q_MAX 32 /* the air statements of sqlite.c */

#define SQ__PREP_SLOTS 256

struct sq__prep_slot {
    const char *sql; /* identity: the address of a static SQL string */
    sqlite3_stmt *st;
};

/* The connection (sqlite.c).  Domain files (one per part of the store) reach the handle and the
 * statement cache through it. */
struct sq_store {
    struct store base; /* first: (struct store *) == (struct sq_store *) */
    sqlite3 *db;
    int version;
    bool busy; /* an iteration is running (its statement is in use) */
    sqlite3_stmt *q[SQ__Q_MAX];
    struct sq__prep_slot prep[SQ__PREP_SLOTS];
    /* last station known to be in the station table, to skip the insert for the next rows */
    char seen[STORE__CODE_MAX + 1];
    unsigned char blob[SQ__BLOB_BYTES];
};

struct sq_store *sq__of(struct store *s);

/* The prepared statement for `sql` — a string with static storage, identified by its address —
 * prepared on first use and kept for the connection's life; returned reset with no bindings.
 * NULL with the error in eb when it cannot be prepared. */
sqlite3_stmt *sq__prep(struct sq_store *d, const char *sql, struct eg_errbuf *eb);

/* Record sqlite3_errmsg(db) under `what` in eb; returns EG_EDB. */
int sq__err(sqlite3 *db, struct eg_errbuf *eb, const char *what);
/* Connection pragmas common to the store and the layout lab (see the comment in sqlite.c). */
int sq__pragmas(sqlite3 *db, bool readonly, struct eg_errbuf *eb) EG_MUST_CHECK;
/* Bring every domain of an empty or older database to its latest version, one transaction per
 * step; read-only: only check.  *ret_version is the sum of the domains' versions afterwards. */
int sq__migrate(sqlite3 *db, bool readonly, int *ret_version, struct eg_errbuf *eb) EG_MUST_CHECK;

void sq__blob_encode(const int32_t v[24], unsigned char out[SQ__BLOB_BYTES]);
void sq__blob_decode(const unsigned char in[SQ__BLOB_BYTES], int32_t v[24]);

#endif
