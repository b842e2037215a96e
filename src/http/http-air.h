/* http-air.h — private to src/http/: the air parameters shared by h_air.c, h_air_now.c and
 * h_stations.c; the air record writers are in records/records.h. */
#ifndef HTTP_AIR_H
#define HTTP_AIR_H

#include "http-int.h"
#include "query/query.h"
#include "records/records.h"

/* station, city, by, rules parameters into q; -1 with the error set */
int hair_sel(struct hreq *r, struct query_air *q, bool allow_by);

#endif
