/* h_air_now.c — /api/air/now (the home page) and /api/public/air (public disclosure, no login):
 * the latest hour for which the city has an AQI, the city's record and each of its stations' at
 * that hour (with name and coordinates for the map), and for the public page the city's last 30
 * days.  Records are the CLI's (`air hourly`, `air daily`); this file only picks which hour.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/eg_time.h"
#include "http-air.h"

#define NOW_MAX_STATIONS 128

struct now {
    struct hreq *r;
    bool found;
    struct query_air_hour city;
    int64_t stamp;
    size_t n;
    struct query_air_hour st[NOW_MAX_STATIONS];
    struct store_station info[NOW_MAX_STATIONS];
    bool has_info[NOW_MAX_STATIONS];
};

static int on_city_hour(void *ud, const struct query_air_hour *h)
{
    struct now *w = ud;
    if (h->ix.aqi < 0 || (w->found && h->stamp < w->stamp))
        return 0;
    w->city = *h;
    w->city.who = eg_arena_strndup(&w->r->arena, h->who, strlen(h->who));
    w->city.city = NULL;
    w->stamp = h->stamp;
    w->found = true;
    return 0;
}

static int on_station_hour(void *ud, const struct query_air_hour *h)
{
    struct now *w = ud;
    if (h->stamp != w->stamp || w->n >= NOW_MAX_STATIONS)
        return 0;
    w->st[w->n] = *h;
    w->st[w->n].who = eg_arena_strndup(&w->r->arena, h->who, strlen(h->who));
    w->st[w->n].city = NULL;
    w->n++;
    return 0;
}

static int on_info(void *ud, const struct store_station *s)
{
    struct now *w = ud;
    for (size_t i = 0; i < w->n; i++)
        if (!strcmp(w->st[i].who, s->code)) {
            w->info[i] = *s;
            w->info[i].name = eg_arena_strndup(&w->r->arena, s->name, strlen(s->name));
            w->info[i].code = w->info[i].city = NULL;
            w->has_info[i] = true;
        }
    return 0;
}

/* Find the latest hour of `city`; fills w.  0, or an error code. */
static int find_now(struct hreq *r, const char *city, struct now *w, int32_t *ret_last)
{
    int32_t first, last;
    memset(w, 0, sizeof(*w));
    w->r = r;
    int rc = store_air_extent(r->store, &first, &last, &r->eb);
    if (rc == EG_ENOTFOUND) {
        eg_errbuf_clear(&r->eb);
        return 0;
    }
    if (rc)
        return rc;
    *ret_last = last;
    const char *cities[1] = {city};
    struct query_air q = {
        .from = last - 2, .to = last, .cities = cities, .ncities = 1, .by_city = true};
    if ((rc = query_air_hourly(r->store, &q, on_city_hour, w, &r->eb)) || !w->found)
        return rc;
    int32_t day = eg_hour_natural_day(w->stamp);
    q.from = q.to = day;
    q.by_city = false;
    if ((rc = query_air_hourly(r->store, &q, on_station_hour, w, &r->eb)))
        return rc;
    return store_station_each(r->store, city, on_info, w, &r->eb);
}

static void write_now(struct fmt *f, const char *city, const struct now *w)
{
    if (!w->found) {
        fmt_str(f, "city", city);
        fmt_null(f, "time");
        fmt_null(f, "aqi");
        fmt_arr_begin(f, "stations");
        fmt_close(f);
        return;
    }
    rec_air_hour(f, true, &w->city);
    fmt_arr_begin(f, "stations");
    for (size_t i = 0; i < w->n; i++) {
        fmt_obj_begin(f, NULL);
        rec_air_hour(f, false, &w->st[i]);
        const struct store_station *s = &w->info[i];
        fmt_str(f, "name", w->has_info[i] ? s->name : NULL);
        if (w->has_info[i] && !isnan(s->lon) && !isnan(s->lat)) {
            fmt_dec(f, "lon", llround(s->lon * 10000), 4);
            fmt_dec(f, "lat", llround(s->lat * 10000), 4);
        } else {
            fmt_null(f, "lon");
            fmt_null(f, "lat");
        }
        fmt_bool(f, "background", w->has_info[i] && s->background);
        fmt_close(f);
    }
    fmt_close(f);
}

/* Run write() into a one-record fmt JSON and send that record as the body. */
static int send_record(struct hreq *r, int rc)
{
    int frc = fmt_finish(r->f);
    fmt_free(r->f);
    r->f = NULL;
    fclose(r->mem);
    r->mem = NULL;
    if (!rc)
        rc = frc;
    if (!rc) {
        /* fmt wrote "[\n{…}\n]\n": keep the object */
        char *b = strchr(r->membuf, '{'), *e = strrchr(r->membuf, '}');
        eg_buf_reset(&r->out);
        rc = b && e ? eg_buf_add(&r->out, b, (size_t)(e - b + 1)) : EG_EIO;
        r->status = 200;
        r->ctype = "application/json; charset=utf-8";
    }
    free(r->membuf);
    r->membuf = NULL;
    return rc;
}

static int begin_record(struct hreq *r)
{
    r->mem = open_memstream(&r->membuf, &r->memlen);
    if (!r->mem)
        return EG_ENOMEM;
    r->f = fmt_new(FMT_JSON, r->mem);
    if (!r->f) {
        fclose(r->mem);
        free(r->membuf);
        r->mem = NULL;
        r->membuf = NULL;
        return EG_ENOMEM;
    }
    fmt_row_begin(r->f);
    return 0;
}

int h_air_now(struct hreq *r)
{
    const char *city = hr_arg(r, "city");
    int32_t last = 0;
    if (!city || !*city)
        city = r->cfg->city;
    if (strlen(city) > 256)
        return hr_error(r, 400, "city", "longer than 256 bytes");
    struct now *w = eg_arena_alloc(&r->arena, sizeof(*w));
    if (!w)
        return EG_ENOMEM;
    int rc = find_now(r, city, w, &last);
    if (rc)
        return rc;
    if ((rc = begin_record(r)))
        return rc;
    write_now(r->f, city, w);
    return send_record(r, fmt_row_end(r->f));
}

struct pub {
    struct fmt *f;
};

static int on_pub_day(void *ud, const struct query_air_day *d)
{
    struct pub *p = ud;
    fmt_obj_begin(p->f, NULL);
    rec_air_day(p->f, true, d);
    fmt_close(p->f);
    return 0;
}

int h_public_air(struct hreq *r)
{
    const char *city = r->cfg->city;
    int32_t last = 0;
    struct now *w = eg_arena_alloc(&r->arena, sizeof(*w));
    if (!w)
        return EG_ENOMEM;
    int rc = find_now(r, city, w, &last);
    if (rc)
        return rc;
    if ((rc = begin_record(r)))
        return rc;
    fmt_obj_begin(r->f, "now");
    write_now(r->f, city, w);
    fmt_close(r->f);
    fmt_arr_begin(r->f, "daily");
    if (w->found) {
        int32_t day = eg_hour_natural_day(w->stamp);
        const char *cities[1] = {city};
        struct query_air q = {
            .from = day - 29, .to = day, .cities = cities, .ncities = 1, .by_city = true};
        struct pub p = {r->f};
        rc = query_air_daily(r->store, &q, on_pub_day, &p, &r->eb);
    }
    fmt_close(r->f);
    return send_record(r, rc ? rc : fmt_row_end(r->f));
}
