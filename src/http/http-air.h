/* http-air.h — private to src/http/: the air record writers shared by h_air.c, h_air_now.c and
 * h_stations.c (keys as `envgov air …` prints them). */
#ifndef HTTP_AIR_H
#define HTTP_AIR_H

#include "http-int.h"
#include "query/query.h"

void hair_value(struct fmt *f, const char *key, int32_t v, int scale);
void hair_index(struct fmt *f, const struct std_aqi_rules *r, const struct air_index *ix,
                bool daily);
void hair_hour_fields(struct fmt *f, bool by_city, const struct query_air_hour *h);
void hair_day_fields(struct fmt *f, bool by_city, const struct query_air_day *d);
/* station, city, by, rules parameters into q; -1 with the error set */
int hair_sel(struct hreq *r, struct query_air *q, bool allow_by);

#endif
