/* h_stations.c — /api/air/stations: the station list (envgov air stations), with the CLI's keys;
 * coordinates as the list prints them (4 decimals), null when unknown. */
#include <math.h>
#include <string.h>

#include "http-air.h"

struct st_out {
    struct hreq *r;
    const char *const *cities;
    size_t ncities;
};

static int on_station(void *ud, const struct store_station *st)
{
    struct st_out *s = ud;
    struct fmt *f = s->r->f;
    bool keep = s->ncities == 0;
    for (size_t i = 0; i < s->ncities; i++)
        keep |= st->city && !strcmp(st->city, s->cities[i]);
    if (!keep || !hr_row(s->r))
        return 0;
    fmt_row_begin(f);
    rec_station(f, st);
    return fmt_row_end(f);
}

int h_stations_list(struct hreq *r)
{
    struct st_out s = {r, NULL, 0};
    if (hr_list(r, "city", &s.cities, &s.ncities) || hr_table_begin(r))
        return 0;
    /* one city: let the store filter; several: filter here */
    const char *one = s.ncities == 1 ? s.cities[0] : NULL;
    return hr_table_end(r, store_station_each(r->store, one, on_station, &s, &r->eb),
                        "air-stations");
}
