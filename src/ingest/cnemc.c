/* cnemc.c — the importer of CNEMC hourly station files (china_sites_YYYYMMDD.csv; data/README.md
 * §1, air.md §11): a pure parser (ingest_cnemc_parse) and the store import around it.
 *
 * Format: header date,hour,type,<station code>…; rows of (date, hour 0–23, type) × one cell per
 * station; 15 types.  Row hour h of date D is the mean over (h−1, h] ending at D h:00 (HJ 663-2013
 * A.1), i.e. slot h of calendar date D in the store (store.h); hour 0 closes the previous natural
 * day.  Only the six 1-hour concentrations are stored, as catalog items at the catalog's decimals
 * (GB/T 8170 rounding of extra digits by eg_dec_parse); the derived columns (AQI, *_24h, O3_8h…)
 * are validated as non-negative numbers or empty and dropped.
 * Tolerated, because real published files have them (data/README.md, checked on the 2023-01
 * files): trailing header columns with no station code whose cells are all empty (20230121), a
 * missing newline after the last row, and a last row cut short by a truncated download (20230120
 * ends inside its last row): that row's cells up to the cut are used except the last one, which
 * may itself be cut, and the file is counted in files_truncated.  Missing (hour, type) rows are
 * missing values; a repeated one is an error.
 * The whole file is validated before the first callback, so a malformed file writes nothing.
 */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "common/eg_buf.h"
#include "common/eg_csv.h"
#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "ingest-int.h"
#include "ingest.h"
#include "store/store.h"

#define NTYPES     15
#define NITEMS     6
#define CODE_MAX   16 /* longest station code accepted */
#define CODE_SLOT  (CODE_MAX + 1)
#define DERIVED_DP 1 /* decimals the derived columns may carry (CO_24h) */

/* The 15 row types in CNEMC's order; `air` is the stored pollutant or -1 (derived, not stored). */
static const struct {
    const char *name;
    int air;
} types[NTYPES] = {
    {"AQI", -1},      {"PM2.5", CAT_PM25}, {"PM2.5_24h", -1}, {"PM10", CAT_PM10}, {"PM10_24h", -1},
    {"SO2", CAT_SO2}, {"SO2_24h", -1},     {"NO2", CAT_NO2},  {"NO2_24h", -1},    {"O3", CAT_O3},
    {"O3_24h", -1},   {"O3_8h", -1},       {"O3_8h_24h", -1}, {"CO", CAT_CO},     {"CO_24h", -1},
};

struct item {
    const char *code; /* HJ 212-2017 code from the catalog */
    int decimals;
};

struct parse {
    const char *name; /* for errors */
    struct eg_errbuf *eb;
    struct item items[NITEMS]; /* sorted by code: emission order = the store's key order */
    int type_slot[NTYPES];     /* index into items, or -1 */
    size_t ncols;              /* header fields */
    size_t nst;                /* station columns (padding columns excluded) */
    char *codes;               /* nst × CODE_SLOT */
    const char **sorted;       /* pointers into codes, sorted */
    int32_t *vals;             /* nst × NITEMS × 24 */
    long seen[24][NTYPES];     /* line of the (hour, type) row, 0 = none yet */
    int32_t date;
    bool have_date, name_date;
};

static int fail(struct parse *p, long line, long col, const char *field, int code, const char *fmt,
                ...) EG_PRINTF(6, 7);

static int fail(struct parse *p, long line, long col, const char *field, int code, const char *fmt,
                ...)
{
    va_list ap;
    va_start(ap, fmt);
    eg_err_vlocf(p->eb, code, p->name, line, col, field, fmt, ap);
    va_end(ap);
    return code;
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_item(const void *a, const void *b)
{
    return strcmp(((const struct item *)a)->code, ((const struct item *)b)->code);
}

/* "YYYYMMDD" exactly. */
static int parse_date8(struct eg_csv_field f, int32_t *ret)
{
    if (f.n != 8)
        return EG_EPARSE;
    for (size_t i = 0; i < 8; i++)
        if (f.s[i] < '0' || f.s[i] > '9')
            return EG_EPARSE;
    return eg_date_parse(f.s, f.n, ret);
}

static void date_text(int32_t day, char *buf, size_t n)
{
    eg_date_format(day, buf, n);
}

/* china_sites_YYYYMMDD.csv → the date. */
static void date_from_name(struct parse *p)
{
    static const char prefix[] = "china_sites_";
    const char *b = strrchr(p->name, '/');
    b = b ? b + 1 : p->name;
    size_t pl = sizeof(prefix) - 1;
    if (strlen(b) != pl + 12 || strncmp(b, prefix, pl) != 0 || strcmp(b + pl + 8, ".csv") != 0)
        return;
    struct eg_csv_field f = {b + pl, 8};
    if (parse_date8(f, &p->date) == 0)
        p->have_date = p->name_date = true;
}

static int setup_items(struct parse *p)
{
    int k = 0;
    for (int t = 0; t < NTYPES; t++) {
        if (types[t].air < 0)
            continue;
        const struct cat_item *it = cat_find(types[t].name, strlen(types[t].name));
        if (!it || k >= NITEMS)
            return fail(p, 0, 0, NULL, EG_ESTATE, "catalog has no item for %s", types[t].name);
        p->items[k].code = it->code;
        p->items[k].decimals = it->decimals;
        k++;
    }
    qsort(p->items, NITEMS, sizeof(p->items[0]), cmp_item);
    for (int t = 0; t < NTYPES; t++) {
        p->type_slot[t] = -1;
        if (types[t].air < 0)
            continue;
        const char *code = cat_air((enum cat_air)types[t].air)->code;
        for (int i = 0; i < NITEMS; i++)
            if (!strcmp(p->items[i].code, code))
                p->type_slot[t] = i;
    }
    return 0;
}

static int read_header(struct parse *p, struct eg_csv *c)
{
    static const char *const fixed[3] = {"date", "hour", "type"};
    int rc = eg_csv_next(c, p->eb);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return fail(p, 1, 0, "header", EG_EPARSE, "empty file: no header");
    for (size_t i = 0; i < 3; i++)
        if (!eg_csv_eq(eg_csv_get(c, i), fixed[i]))
            return fail(p, c->line, (long)i + 1, "header", EG_EPARSE,
                        "expected \"%s\" (header date,hour,type,<station codes>)", fixed[i]);
    p->ncols = c->nfields;
    size_t nst = p->ncols - 3;
    while (nst && eg_csv_get(c, 3 + nst - 1).n == 0)
        nst--; /* padding columns without a code at the end (seen in real files) */
    if (nst == 0)
        return fail(p, c->line, 4, "header", EG_EPARSE, "no station columns");
    if (nst > INGEST_MAX_STATIONS)
        return fail(p, c->line, INGEST_MAX_STATIONS + 4, "header", EG_ELIMIT,
                    "more than %d station columns", INGEST_MAX_STATIONS);
    p->nst = nst;
    p->codes = eg_malloc(nst * CODE_SLOT);
    p->sorted = eg_malloc(nst * sizeof(*p->sorted));
    p->vals = eg_malloc(nst * NITEMS * 24 * sizeof(*p->vals));
    if (!p->codes || !p->sorted || !p->vals)
        return fail(p, c->line, 0, NULL, EG_ENOMEM, "out of memory");
    for (size_t j = 0; j < nst; j++) {
        struct eg_csv_field f = eg_csv_get(c, 3 + j);
        if (!ingest__code_ok(f.s, f.n, CODE_MAX))
            return fail(p, c->line, (long)(4 + j), "header", EG_EPARSE,
                        "station code \"%.*s\" is empty, too long or not alphanumeric",
                        (int)(f.n < 40 ? f.n : 40), f.s);
        char *dst = p->codes + j * CODE_SLOT;
        memcpy(dst, f.s, f.n);
        dst[f.n] = 0;
        p->sorted[j] = dst;
    }
    qsort(p->sorted, nst, sizeof(*p->sorted), cmp_code);
    for (size_t k = 1; k < nst; k++)
        if (!strcmp(p->sorted[k - 1], p->sorted[k])) {
            size_t a = (size_t)(p->sorted[k - 1] - p->codes) / CODE_SLOT;
            size_t b = (size_t)(p->sorted[k] - p->codes) / CODE_SLOT;
            size_t lo = a < b ? a : b, hi = a < b ? b : a;
            return fail(p, c->line, (long)(4 + hi), p->sorted[k], EG_EPARSE,
                        "station code repeats column %zu", 4 + lo);
        }
    for (size_t i = 0; i < nst * NITEMS * 24; i++)
        p->vals[i] = STORE_NA;
    return 0;
}

static int read_row(struct parse *p, struct eg_csv *c, bool unterminated, bool *ret_truncated)
{
    long line = c->line;
    size_t nf = c->nfields;
    bool trunc = false;
    if (nf != p->ncols) {
        if (nf < p->ncols && unterminated)
            trunc = true;
        else
            return fail(p, line, (long)(nf < p->ncols ? nf + 1 : p->ncols + 1), NULL, EG_EPARSE,
                        "row has %zu cells, the header has %zu", nf, p->ncols);
    }
    *ret_truncated = trunc;
    if (trunc && nf <= 3)
        return 0; /* cut before its first cell: even the type may be cut; nothing to use */

    char want[16], got[16];
    int32_t d;
    struct eg_csv_field f = eg_csv_get(c, 0);
    if (parse_date8(f, &d))
        return fail(p, line, 1, "date", EG_EPARSE, "\"%.*s\" is not a date YYYYMMDD",
                    (int)(f.n < 20 ? f.n : 20), f.s);
    if (!p->have_date) {
        p->date = d;
        p->have_date = true;
    } else if (d != p->date) {
        date_text(p->date, want, sizeof(want));
        date_text(d, got, sizeof(got));
        return fail(p, line, 1, "date", EG_EPARSE, "date %s does not match the file's date %s%s",
                    got, want, p->name_date ? " (from its name)" : " (its first row)");
    }

    f = eg_csv_get(c, 1);
    int hour = -1;
    if (f.n >= 1 && f.n <= 2 && f.s[0] >= '0' && f.s[0] <= '9' &&
        (f.n == 1 || (f.s[1] >= '0' && f.s[1] <= '9')))
        hour = f.n == 1 ? f.s[0] - '0' : (f.s[0] - '0') * 10 + (f.s[1] - '0');
    if (hour < 0 || hour > 23)
        return fail(p, line, 2, "hour", EG_EPARSE, "hour \"%.*s\" is not 0–23",
                    (int)(f.n < 20 ? f.n : 20), f.s);

    f = eg_csv_get(c, 2);
    int t = 0;
    while (t < NTYPES && !eg_csv_eq(f, types[t].name))
        t++;
    if (t == NTYPES)
        return fail(p, line, 3, "type", EG_EPARSE, "unknown type \"%.*s\"",
                    (int)(f.n < 20 ? f.n : 20), f.s);
    if (p->seen[hour][t])
        return fail(p, line, 3, "type", EG_EPARSE, "hour %d type %s repeats line %ld", hour,
                    types[t].name, p->seen[hour][t]);
    p->seen[hour][t] = line;

    int slot = p->type_slot[t];
    int scale = slot >= 0 ? p->items[slot].decimals : DERIVED_DP;
    size_t cells = nf - 3;
    if (trunc)
        cells--; /* the last cell before the cut may itself be cut */
    for (size_t j = 0; j < cells; j++) {
        f = eg_csv_get(c, 3 + j);
        if (f.n == 0)
            continue;
        if (j >= p->nst)
            return fail(p, line, (long)(4 + j), NULL, EG_EPARSE,
                        "value in a column without a station code");
        int64_t v;
        int rc = eg_dec_parse(f.s, f.n, scale, &v);
        const char *code = p->codes + j * CODE_SLOT;
        int w = (int)(f.n < 40 ? f.n : 40);
        if (rc == EG_ERANGE || (rc == 0 && v > INT32_MAX))
            return fail(p, line, (long)(4 + j), code, EG_ERANGE, "%s value \"%.*s\" is too large",
                        types[t].name, w, f.s);
        if (rc)
            return fail(p, line, (long)(4 + j), code, EG_EPARSE,
                        "%s value \"%.*s\" is not a number", types[t].name, w, f.s);
        if (v < 0 || (f.s[0] == '-'))
            return fail(p, line, (long)(4 + j), code, EG_ERANGE, "%s value \"%.*s\" is negative",
                        types[t].name, w, f.s);
        if (slot >= 0)
            p->vals[(j * NITEMS + (size_t)slot) * 24 + (size_t)hour] = (int32_t)v;
    }
    return 0;
}

int ingest_cnemc_parse(const char *buf, size_t len, const char *name, ingest_cnemc_row_cb cb,
                       void *ud, struct ingest_stats *st, struct eg_errbuf *eb)
{
    struct parse p;
    struct eg_csv c;
    int rc;
    long nrows = 0;
    bool truncated = false;

    memset(&p, 0, sizeof(p));
    p.name = name ? name : "(buffer)";
    p.eb = eb;
    eg_errbuf_clear(eb);
    eg_csv_init(&c, buf, len, p.name);
    c.max_fields = INGEST_MAX_STATIONS + 3 + 64;
    c.max_field_len = 64;
    if (!buf || !cb) {
        rc = fail(&p, 0, 0, NULL, EG_EINVAL, "ingest_cnemc_parse: no buffer or callback");
        goto out;
    }
    if ((rc = setup_items(&p)))
        goto out;
    date_from_name(&p);
    if ((rc = read_header(&p, &c)))
        goto out;
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        bool unterminated = c.p >= c.end && buf[len - 1] != '\n';
        bool trunc = false;
        if ((rc = read_row(&p, &c, unterminated, &trunc)))
            goto out;
        truncated |= trunc;
        nrows++;
    }
    if (rc < 0)
        goto out;
    if (nrows == 0) {
        rc = fail(&p, c.next_line, 0, NULL, EG_EPARSE, "no data rows");
        goto out;
    }

    long rows = 0, values = 0;
    for (size_t k = 0; k < p.nst; k++) {
        const char *code = p.sorted[k];
        size_t j = (size_t)(code - p.codes) / CODE_SLOT;
        for (size_t i = 0; i < NITEMS; i++) {
            const int32_t *v = p.vals + (j * NITEMS + i) * 24;
            long nv = 0;
            for (int h = 0; h < 24; h++)
                nv += v[h] != STORE_NA;
            if ((rc = cb(ud, code, p.items[i].code, p.date, v)))
                goto out;
            rows += nv > 0;
            values += nv;
        }
    }
    if (st) {
        st->rows += rows;
        st->values += values;
        st->files_truncated += truncated;
    }
out:
    eg_csv_done(&c);
    eg_free(p.codes);
    eg_free(p.sorted);
    eg_free(p.vals);
    return rc;
}

/* ---- import into the store ---- */

struct job {
    struct store *s;
    struct ingest__strset listed;  /* codes of the station list */
    struct ingest__strset unknown; /* codes with data that are not in it */
    bool loaded;
    bool store_failed; /* a store call failed inside a callback: stop everything */
    struct eg_errbuf *eb;
};

static int add_listed(void *ud, const struct store_station *stn)
{
    struct job *j = ud;
    if (!stn->listed)
        return 0;
    int rc = ingest__strset_add(&j->listed, stn->code, strlen(stn->code), NULL);
    return rc;
}

static int job_init(struct job *j, struct store *s, struct eg_errbuf *eb)
{
    memset(j, 0, sizeof(*j));
    j->s = s;
    ingest__strset_init(&j->listed, INGEST_MAX_LIST_ROWS);
    ingest__strset_init(&j->unknown, INGEST_MAX_LIST_ROWS);
    if (sodium_init() < 0)
        return eg_errf(eb, EG_ESTATE, "libsodium failed to initialise");
    int rc = store_station_each(s, NULL, add_listed, j, eb);
    if (rc == EG_ENOMEM || rc == EG_ELIMIT)
        return eg_errf(eb, rc, "loading the station list: %s", eg_strerror(rc));
    return rc;
}

static void job_done(struct job *j, struct ingest_stats *st)
{
    if (st) {
        st->unknown_stations += (long)j->unknown.n;
        if (j->listed.n == 0)
            st->no_station_list = true;
    }
    ingest__strset_done(&j->listed);
    ingest__strset_done(&j->unknown);
}

static int put_row(void *ud, const char *station, const char *item, int32_t date,
                   const int32_t v[24])
{
    struct job *j = ud;
    int rc = store_air_put(j->s, station, item, date, v, j->eb);
    if (rc) {
        j->store_failed = true;
        return rc;
    }
    if (ingest__strset_has(&j->listed, station, strlen(station)))
        return 0;
    for (int h = 0; h < 24; h++)
        if (v[h] != STORE_NA) {
            if ((rc = ingest__strset_add(&j->unknown, station, strlen(station), NULL))) {
                j->store_failed = true;
                return eg_errf(j->eb, rc, "counting unknown stations: %s", eg_strerror(rc));
            }
            break;
        }
    return 0;
}

/* Import one file's bytes; path for errors, its base name keys the import record. */
static int import_one(struct job *j, const char *buf, size_t len, const char *path,
                      struct ingest_stats *st, enum ingest_file_result *ret, struct eg_errbuf *eb)
{
    unsigned char digest[crypto_generichash_BYTES];
    enum store_file_state state;
    struct ingest_stats fs;
    const char *key = ingest__basename(path);
    int rc;

    _Static_assert(crypto_generichash_BYTES == 32, "BLAKE2b-256");
    crypto_generichash(digest, sizeof(digest), (const unsigned char *)buf, len, NULL, 0);
    j->eb = eb;
    if ((rc = store_file_check(j->s, key, digest, &state, eb))) {
        j->store_failed = true;
        return rc;
    }
    if (state == STORE_FILE_SAME) {
        *ret = INGEST_FILE_UNCHANGED;
        return 0;
    }
    if ((rc = store_begin(j->s, eb))) {
        j->store_failed = true;
        return rc;
    }
    memset(&fs, 0, sizeof(fs));
    rc = ingest_cnemc_parse(buf, len, path, put_row, j, &fs, eb);
    if (!rc && (rc = store_file_done(j->s, key, digest, fs.rows, fs.values, eb)))
        j->store_failed = true;
    if (!rc && (rc = store_commit(j->s, eb)))
        j->store_failed = true;
    if (rc) {
        store_rollback(j->s);
        if (j->store_failed)
            eg_err_at(eb, path, 0, 0, NULL);
        return rc;
    }
    if (st) {
        st->rows += fs.rows;
        st->values += fs.values;
        st->files_truncated += fs.files_truncated;
    }
    *ret = state == STORE_FILE_NEW ? INGEST_FILE_NEW : INGEST_FILE_REPLACED;
    return 0;
}

static void count_result(struct ingest_stats *st, enum ingest_file_result r)
{
    if (!st)
        return;
    st->files++;
    switch (r) {
    case INGEST_FILE_NEW:
        st->files_new++;
        break;
    case INGEST_FILE_REPLACED:
        st->files_replaced++;
        break;
    case INGEST_FILE_UNCHANGED:
        st->files_unchanged++;
        break;
    case INGEST_FILE_FAILED:
        st->skipped++;
        break;
    }
}

static bool fatal(const struct job *j, int rc)
{
    return j->store_failed || rc == EG_ENOMEM || rc == EG_EDB || rc == EG_ESTATE;
}

int ingest_cnemc_buffer(struct store *s, const char *buf, size_t len, const char *name,
                        struct ingest_stats *st, enum ingest_file_result *ret_result,
                        struct eg_errbuf *eb)
{
    struct job j;
    enum ingest_file_result r = INGEST_FILE_FAILED;
    int rc;
    if (!s || !buf || !name)
        return eg_errf(eb, EG_EINVAL, "ingest_cnemc_buffer: no store, buffer or name");
    if ((rc = job_init(&j, s, eb)) == 0)
        rc = import_one(&j, buf, len, name, st, &r, eb);
    count_result(st, rc ? INGEST_FILE_FAILED : r);
    job_done(&j, st);
    if (!rc && ret_result)
        *ret_result = r;
    return rc;
}

int ingest_cnemc_files(struct store *s, const char *const *paths, size_t n,
                       ingest_progress_cb progress, void *ud, struct ingest_stats *st,
                       struct eg_errbuf *eb)
{
    struct job j;
    struct eg_errbuf fe;
    int first = 0, rc;
    if (!s || (n && !paths))
        return eg_errf(eb, EG_EINVAL, "ingest_cnemc_files: no store or paths");
    if ((rc = job_init(&j, s, eb))) {
        job_done(&j, NULL);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        char *buf = NULL;
        size_t len = 0;
        enum ingest_file_result r = INGEST_FILE_FAILED;
        eg_errbuf_clear(&fe);
        rc = eg_file_read(paths[i], INGEST_FILE_LIMIT, &buf, &len, &fe);
        if (!rc)
            rc = import_one(&j, buf, len, paths[i], st, &r, &fe);
        eg_free(buf);
        if (rc)
            r = INGEST_FILE_FAILED;
        count_result(st, r);
        if (rc && !first) {
            first = rc;
            if (eb)
                *eb = fe;
        }
        if (progress)
            progress(ud, i + 1, n, paths[i], r, rc ? &fe : NULL);
        if (rc && fatal(&j, rc))
            break;
    }
    job_done(&j, st);
    return first;
}
