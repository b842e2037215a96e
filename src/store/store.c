/* store.c — the storage interface (store.h): argument checks shared by every back-end, then a
 * thin dispatch through the back-end's struct store_ops (store-int.h).
 *
 * Only the SQLite back-end exists; a "postgresql://" path is refused until the pg/ adapter lands.
 * Validation here keeps the back-ends identical in what they accept: codes are short printable
 * ASCII, items are HJ 212-2017 codes the catalog knows, date ranges are ordered.
 */
#include "store.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "common/eg_mem.h"
#include "store-int.h"

static int bad_text(const char *s, size_t max)
{
    if (!s)
        return 1;
    size_t n = strnlen(s, max + 1);
    return n > max;
}

/* A station code: 1..STORE__CODE_MAX characters of [0-9A-Za-z_-]. */
static int check_code(const char *code, struct eg_errbuf *eb)
{
    size_t n = code ? strnlen(code, STORE__CODE_MAX + 1) : 0;
    if (n == 0 || n > STORE__CODE_MAX)
        return eg_errf(eb, EG_EINVAL, "station code empty or longer than %d characters",
                       STORE__CODE_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '_' || c == '-'))
            return eg_errf(eb, EG_EINVAL, "station code \"%.*s\": invalid character", (int)n, code);
    }
    return 0;
}

int store_open(const char *path, unsigned flags, struct store **ret, struct eg_errbuf *eb)
{
    if (!path || !*path || !ret)
        return eg_errf(eb, EG_EINVAL, "store_open: no database path");
    if (flags & ~(unsigned)STORE_READONLY)
        return eg_errf(eb, EG_EINVAL, "store_open: unknown flags 0x%x", flags);
    if (!strncmp(path, "postgres://", 11) || !strncmp(path, "postgresql://", 13))
        return eg_errf(eb, EG_EINVAL, "the PostgreSQL back-end is not built in");
    int rc = store__sqlite_open(path, flags, ret, eb);
    if (rc == 0)
        assert(*ret && (*ret)->ops);
    return rc;
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

int store_schema_version(struct store *s)
{
    return s->ops->schema_version(s);
}

int store_begin(struct store *s, struct eg_errbuf *eb)
{
    return s->ops->begin(s, eb);
}

int store_commit(struct store *s, struct eg_errbuf *eb)
{
    return s->ops->commit(s, eb);
}

void store_rollback(struct store *s)
{
    s->ops->rollback(s);
}

int store_station_put(struct store *s, const struct store_station *st, struct eg_errbuf *eb)
{
    int rc;
    if (!st)
        return eg_errf(eb, EG_EINVAL, "store_station_put: no station");
    if ((rc = check_code(st->code, eb)))
        return rc;
    if (bad_text(st->name, STORE__TEXT_MAX) || bad_text(st->city, STORE__TEXT_MAX))
        return eg_errf(eb, EG_EINVAL, "station %s: name or city missing or longer than %d bytes",
                       st->code, STORE__TEXT_MAX);
    /* NaN = coordinate unknown (the national list has "-" for two stations) */
    if (!(isnan(st->lon) || (st->lon >= -180.0 && st->lon <= 180.0)) ||
        !(isnan(st->lat) || (st->lat >= -90.0 && st->lat <= 90.0)))
        return eg_errf(eb, EG_ERANGE, "station %s: coordinates out of range", st->code);
    return s->ops->station_put(s, st, eb);
}

int store_station_each(struct store *s, const char *city, store_station_cb cb, void *ud,
                       struct eg_errbuf *eb)
{
    if (!cb)
        return eg_errf(eb, EG_EINVAL, "store_station_each: no callback");
    if (city && bad_text(city, STORE__TEXT_MAX))
        return eg_errf(eb, EG_EINVAL, "store_station_each: city longer than %d bytes",
                       STORE__TEXT_MAX);
    return s->ops->station_each(s, city, cb, ud, eb);
}

static int check_item(const char *item, struct eg_errbuf *eb)
{
    if (!item || bad_text(item, STORE__ITEM_MAX) || !cat_by_code(item))
        return eg_errf(eb, EG_EINVAL, "item \"%.*s\" is not an HJ 212-2017 code in the catalog",
                       STORE__ITEM_MAX, item ? item : "");
    return 0;
}

int store_air_put(struct store *s, const char *station, const char *item, int32_t date,
                  const int32_t v[24], struct eg_errbuf *eb)
{
    int rc;
    if ((rc = check_code(station, eb)) || (rc = check_item(item, eb)))
        return rc;
    if (!v)
        return eg_errf(eb, EG_EINVAL, "store_air_put: no values");
    return s->ops->air_put(s, station, item, date, v, eb);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int store_air_scan(struct store *s, int32_t date_from, int32_t date_to, const char *const *stations,
                   size_t nstations, store_air_cb cb, void *ud, struct eg_errbuf *eb)
{
    int rc;
    if (!cb)
        return eg_errf(eb, EG_EINVAL, "store_air_scan: no callback");
    if (date_from > date_to)
        return 0;
    if (nstations == 0)
        return s->ops->air_scan(s, date_from, date_to, NULL, 0, cb, ud, eb);
    if (!stations)
        return eg_errf(eb, EG_EINVAL, "store_air_scan: no station list");
    /* The promised order is by station: sort a copy of the list and drop duplicates. */
    const char **sorted = eg_malloc(nstations * sizeof(*sorted));
    if (!sorted)
        return eg_errf(eb, EG_ENOMEM, "store_air_scan: out of memory");
    size_t n = 0;
    for (size_t i = 0; i < nstations; i++) {
        if ((rc = check_code(stations[i], eb)))
            goto out;
        sorted[n++] = stations[i];
    }
    qsort(sorted, n, sizeof(*sorted), cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp(sorted[k - 1], sorted[i]) != 0)
            sorted[k++] = sorted[i];
    rc = s->ops->air_scan(s, date_from, date_to, sorted, k, cb, ud, eb);
out:
    eg_free(sorted);
    return rc;
}

int store_air_extent(struct store *s, int32_t *ret_first, int32_t *ret_last, struct eg_errbuf *eb)
{
    if (!ret_first || !ret_last)
        return eg_errf(eb, EG_EINVAL, "store_air_extent: no output");
    return s->ops->air_extent(s, ret_first, ret_last, eb);
}

static int check_file_name(const char *name, struct eg_errbuf *eb)
{
    if (!name || !*name || bad_text(name, STORE__TEXT_MAX))
        return eg_errf(eb, EG_EINVAL, "file name empty or longer than %d bytes", STORE__TEXT_MAX);
    return 0;
}

int store_file_check(struct store *s, const char *name, const unsigned char digest[32],
                     enum store_file_state *ret, struct eg_errbuf *eb)
{
    int rc;
    if ((rc = check_file_name(name, eb)))
        return rc;
    if (!digest || !ret)
        return eg_errf(eb, EG_EINVAL, "store_file_check: no digest or output");
    return s->ops->file_check(s, name, digest, ret, eb);
}

int store_file_done(struct store *s, const char *name, const unsigned char digest[32], long rows,
                    long values, struct eg_errbuf *eb)
{
    int rc;
    if ((rc = check_file_name(name, eb)))
        return rc;
    if (!digest || rows < 0 || values < 0)
        return eg_errf(eb, EG_EINVAL, "store_file_done: no digest or negative counts");
    return s->ops->file_done(s, name, digest, rows, values, eb);
}

int store_dust_set(struct store *s, const char *city, int32_t day, bool on, const char *note,
                   struct eg_errbuf *eb)
{
    if (!city || !*city || bad_text(city, STORE__TEXT_MAX) ||
        (note && bad_text(note, STORE__TEXT_MAX)))
        return eg_errf(eb, EG_EINVAL,
                       "store_dust_set: city empty, or city or note longer than %d "
                       "bytes",
                       STORE__TEXT_MAX);
    return s->ops->dust_set(s, city, day, on, note ? note : "", eb);
}

int store_dust_each(struct store *s, int32_t from, int32_t to, store_dust_cb cb, void *ud,
                    struct eg_errbuf *eb)
{
    if (!cb)
        return eg_errf(eb, EG_EINVAL, "store_dust_each: no callback");
    if (from > to)
        return 0;
    return s->ops->dust_each(s, from, to, cb, ud, eb);
}
