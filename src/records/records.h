/* records.h — record writers shared by the CLI and the HTTP API, so that both print the same keys
 * from one piece of code.  Each function writes one record's fields with fmt (inside a record or
 * an open object/array the caller has begun).  The air, water and work writers still live in the
 * CLI and HTTP files (the HTTP tests compare the two outputs key by key); new shared writers go
 * here, and the older ones should move here too.
 */
#ifndef RECORDS_H
#define RECORDS_H

#include "common/eg_err.h"
#include "fmt/fmt.h"

struct store;
struct store_outlet;

/* An outlet of an enterprise as one object of an array: code, name, medium, point, mn, and its
 * device's `status` (online / offline / unknown / none), `last_seen` and `latest` (the newest
 * hourly data set: cn, time, and values by item code and field, as received; null when none). */
int rec_outlet(struct fmt *f, struct store *s, const struct store_outlet *o,
               struct eg_errbuf *eb) EG_MUST_CHECK;

/* The "outlets" array of an enterprise's file: rec_outlet for each of its outlets. */
int rec_outlets(struct fmt *f, struct store *s, const char *uscc,
                struct eg_errbuf *eb) EG_MUST_CHECK;

#endif
