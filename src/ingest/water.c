/* water.c — importers of water and soil monitoring points and of sampling results (long format
 * CSV: point,date,item,value,unit[,time][,dl]).  See the water section of ingest.h.
 *
 * Items are resolved to the parameters of the standards' tables (std_wparam_find: keys and the
 * tables' Chinese names) or, through the catalog, from HJ 212-2017 codes and common abbreviations;
 * they are stored under the parameter key.  Values are converted exactly (powers of ten) into the
 * unit of the standard that evaluates the point's kind (GB 3838 mg/L, GB/T 14848 organics μg/L,
 * GB 3097 BaP μg/L, soil mg/kg, TLI chla mg/m3 and SD m, black-odorous SD cm and ORP mV).
 * Below-detection results: "ND" or "<DL" with the detection limit in the dl column, "<0.01", or
 * "0.01L".  A file is parsed and checked whole before anything is written; one transaction.
 */
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog/catalog.h"
#include "common/eg_buf.h"
#include "common/eg_csv.h"
#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "ingest-int.h"
#include "ingest.h"
#include "standards/standards.h"
#include "store/store.h"

static const char *const kinds[INGEST_WATER_NKINDS] = {
    "section", "source", "lake", "sea", "well", "farmland", "construction", "odorous"};

int ingest_water_kind(const char *s, size_t n)
{
    for (int i = 0; i < INGEST_WATER_NKINDS; i++)
        if (strlen(kinds[i]) == n && !memcmp(kinds[i], s, n))
            return i;
    return -1;
}

const char *ingest_water_kind_name(int k)
{
    return k >= 0 && k < INGEST_WATER_NKINDS ? kinds[k] : "";
}

static int fail(struct eg_errbuf *eb, const char *file, long line, long col, const char *field,
                int code, const char *fmt, ...) EG_PRINTF(7, 8);

static int fail(struct eg_errbuf *eb, const char *file, long line, long col, const char *field,
                int code, const char *fmt, ...)
{
    if (eb) {
        eg_errbuf_clear(eb);
        eg_err_at(eb, file, line, col, field);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(eb->msg, sizeof(eb->msg), fmt, ap);
        va_end(ap);
        eb->code = code;
    }
    return code;
}

/* ---- items ---- */

int ingest_water_item(const char *s, size_t n)
{
    return cat_water_param(s, n);
}

/* ---- units ---- */

enum ufam { U_NONE, U_MASS_VOL, U_MASS_MASS, U_LEN, U_VOLT, U_COUNT_VOL, U_OTHER };

struct unit {
    enum ufam fam;
    int exp; /* value in the family's base unit = value × 10^exp */
};

static bool ueq(const char *a, const char *s, size_t n)
{
    return strlen(a) == n && strncasecmp(a, s, n) == 0;
}

/* Parse a unit ("mg/L", "μg/L", "ug/L", "ng/L", "mg/kg", "mg/m3", "cm", "m", "mV", "个/L",
 * "MPN/100mL", "CFU/mL", "无量纲" …). */
static struct unit unit_parse(const char *s, size_t n)
{
    static const struct {
        const char *name;
        enum ufam fam;
        int exp;
    } tab[] = {
        {"", U_NONE, 0},
        {"无量纲", U_NONE, 0},
        {"1", U_NONE, 0},
        {"pH", U_NONE, 0},
        {"g/L", U_MASS_VOL, 0},
        {"mg/L", U_MASS_VOL, -3},
        {"μg/L", U_MASS_VOL, -6},
        {"µg/L", U_MASS_VOL, -6},
        {"ug/L", U_MASS_VOL, -6},
        {"ng/L", U_MASS_VOL, -9},
        {"mg/m3", U_MASS_VOL, -6},
        {"mg/m³", U_MASS_VOL, -6},
        {"μg/m3", U_MASS_VOL, -9},
        {"ug/m3", U_MASS_VOL, -9},
        {"g/kg", U_MASS_MASS, -3},
        {"mg/kg", U_MASS_MASS, -6},
        {"μg/kg", U_MASS_MASS, -9},
        {"µg/kg", U_MASS_MASS, -9},
        {"ug/kg", U_MASS_MASS, -9},
        {"ng/kg", U_MASS_MASS, -12},
        {"ng/g", U_MASS_MASS, -9},
        {"m", U_LEN, 0},
        {"cm", U_LEN, -2},
        {"mm", U_LEN, -3},
        {"V", U_VOLT, 0},
        {"mV", U_VOLT, -3},
        {"个/L", U_COUNT_VOL, 0},
        {"MPN/L", U_COUNT_VOL, 0},
        {"CFU/L", U_COUNT_VOL, 0},
        {"个/mL", U_COUNT_VOL, 3},
        {"MPN/mL", U_COUNT_VOL, 3},
        {"CFU/mL", U_COUNT_VOL, 3},
        {"MPN/100mL", U_COUNT_VOL, 1},
        {"CFU/100mL", U_COUNT_VOL, 1},
        {"个/100mL", U_COUNT_VOL, 1},
    };
    for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
        if (ueq(tab[i].name, s, n))
            return (struct unit){tab[i].fam, tab[i].exp};
    /* "MPN/100mL 或 CFU/100mL" (GB/T 14848 total coliforms) */
    if (n >= 9 && !strncasecmp(s, "MPN/100mL", 9))
        return (struct unit){U_COUNT_VOL, 1};
    return (struct unit){U_OTHER, 0};
}

/* The unit of parameter p for a point of kind k: the unit of the standard that evaluates it. */
static const char *target_unit(int kind, int p, bool ground)
{
    static const enum std_wq_set water[] = {STD_GB3838_T1, STD_GB3838_T2, STD_GB3838_T3};
    const char *key = std_wparam_at(p)->key;
    switch (kind) {
    case INGEST_WATER_FARMLAND:
    case INGEST_WATER_CONSTRUCTION:
        return strcmp(key, "pH") ? "mg/kg" : "";
    case INGEST_WATER_ODOROUS: {
        const struct std_odor_row *r;
        size_t n = std_odor_rows(&r);
        static const char *const u[] = {"cm", "mg/L", "mV", "mg/L"}; /* SD DO ORP NH3N */
        for (size_t i = 0; i < n && i < 4; i++)
            if (r[i].param == p)
                return u[i];
        break;
    }
    case INGEST_WATER_SEA: {
        const struct std_wq_item *it = std_wq_by_param(std_wq(STD_GB3097), p, false);
        if (it)
            return it->unit;
        break;
    }
    case INGEST_WATER_WELL:
        ground = true;
        __attribute__((fallthrough));
    default:
        if (!strcmp(key, "chla"))
            return "mg/m3";
        if (!strcmp(key, "SD"))
            return "m";
        if (ground) {
            const struct std_wq_item *it = std_wq_by_param(std_wq(STD_GBT14848), p, false);
            if (it)
                return it->unit;
        }
        for (size_t i = 0; i < sizeof(water) / sizeof(water[0]); i++) {
            const struct std_wq_item *it = std_wq_by_param(std_wq(water[i]), p, false);
            if (it)
                return it->unit;
        }
    }
    return NULL;
}

/* Power of ten from unit `from` to unit `to`: 0, or -1 when not of one family. */
static int unit_delta(struct eg_csv_field from, const char *to, int *ret)
{
    *ret = 0;
    if (from.n == 0 || ueq(to, from.s, from.n))
        return 0; /* no unit given: the standard's; or the same */
    struct unit a = unit_parse(from.s, from.n), b = unit_parse(to, strlen(to));
    if (a.fam != b.fam || a.fam == U_OTHER)
        return -1;
    *ret = a.exp - b.exp;
    return 0;
}

/* Multiply v (× 10^9) by 10^d exactly, or divide with GB/T 8170 rounding; -1 on overflow. */
static int scale_by(int64_t *v, int d)
{
    if (d > 0) {
        if (d > 12 || *v > INT64_MAX / eg_pow10(d) || *v < -INT64_MAX / eg_pow10(d))
            return -1;
        *v *= eg_pow10(d);
    } else if (d < 0) {
        if (-d > 18)
            return -1;
        *v = eg_div_round(*v, eg_pow10(-d));
    }
    return 0;
}

/* ---- points ---- */

struct ptab {
    char **code;
    signed char *kind;
    bool *ground;
    size_t n, cap;
};

static int ptab_add(void *ud, const struct store_water_point *p)
{
    struct ptab *t = ud;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        char **c = eg_realloc(t->code, cap * sizeof(*c));
        if (!c)
            return EG_ENOMEM;
        t->code = c;
        signed char *k = eg_realloc(t->kind, cap);
        if (!k)
            return EG_ENOMEM;
        t->kind = k;
        bool *g = eg_realloc(t->ground, cap * sizeof(bool));
        if (!g)
            return EG_ENOMEM;
        t->ground = g;
        t->cap = cap;
    }
    if (!(t->code[t->n] = eg_strdup(p->code)))
        return EG_ENOMEM;
    t->kind[t->n] = (signed char)ingest_water_kind(p->kind, strlen(p->kind));
    t->ground[t->n] = !strcmp(p->water, "ground");
    t->n++;
    return 0;
}

static void ptab_done(struct ptab *t)
{
    for (size_t i = 0; i < t->n; i++)
        eg_free(t->code[i]);
    eg_free(t->code);
    eg_free(t->kind);
    eg_free(t->ground);
    memset(t, 0, sizeof(*t));
}

/* Points come ordered by code from the store: binary search. */
static int ptab_kind(void *ud, const char *code, size_t n, bool *ret_ground)
{
    struct ptab *t = ud;
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(t->code[mid], code, n);
        if (c == 0 && t->code[mid][n] != 0)
            c = 1;
        if (c == 0) {
            *ret_ground = t->ground[mid];
            return t->kind[mid];
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Roman numeral I…V → 1…5; 0 when empty; -1 when not a class. */
static int roman(struct eg_csv_field f)
{
    static const char *const r[] = {"I", "II", "III", "IV", "V"};
    static const char *const z[] = {"Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ"};
    if (f.n == 0)
        return 0;
    for (int i = 0; i < 5; i++)
        if (eg_csv_eq(f, r[i]) || eg_csv_eq(f, z[i]))
            return i + 1;
    return -1;
}

static int dec_opt(struct eg_csv_field f, int64_t dflt, int64_t *ret)
{
    if (f.n == 0) {
        *ret = dflt;
        return 0;
    }
    return eg_dec_parse(f.s, f.n, STD_WQ_SCALE, ret);
}

enum {
    PC_CODE,
    PC_NAME,
    PC_KIND,
    PC_WATER,
    PC_TARGET,
    PC_LEVEL,
    PC_LON,
    PC_LAT,
    PC_BODY,
    PC_COUNTY,
    PC_SUPPLY,
    PC_AREA,
    PC_LAND,
    PC_PH,
    PC_DEPTH,
    PC_MEASURES,
    PC_N
};
static const char *const point_cols[PC_N][2] = {
    {"code", NULL},         {"name", NULL},   {"kind", NULL},        {"water", NULL},
    {"target_class", NULL}, {"level", NULL},  {"lon", NULL},         {"lat", NULL},
    {"water_body", "body"}, {"county", NULL}, {"supply", NULL},      {"area", NULL},
    {"land_use", NULL},     {"ph", "pH"},     {"depth_cm", "depth"}, {"measures_ok", NULL},
};

static int header_map(const struct eg_csv *c, const char *const (*cols)[2], int ncols,
                      int nrequired, int *pos, const char *name, struct eg_errbuf *eb)
{
    for (int k = 0; k < ncols; k++) {
        pos[k] = -1;
        for (size_t i = 0; i < c->nfields; i++) {
            struct eg_csv_field f = eg_csv_get(c, i);
            if (eg_csv_eq(f, cols[k][0]) || (cols[k][1] && eg_csv_eq(f, cols[k][1]))) {
                pos[k] = (int)i;
                break;
            }
        }
        if (k < nrequired && pos[k] < 0)
            return fail(eb, name, c->line, 0, "header", EG_EPARSE, "column '%s' missing",
                        cols[k][0]);
    }
    return 0;
}

static struct eg_csv_field col(const struct eg_csv *c, const int *pos, int k)
{
    return pos[k] >= 0 ? eg_csv_get(c, (size_t)pos[k]) : (struct eg_csv_field){"", 0};
}

static int one_point(struct store *s, const struct eg_csv *c, const int *pos, const char *name,
                     struct eg_errbuf *eb)
{
    char code[STORE_WATER_ITEM_MAX], nm[256], kind[16], water[16], level[64], body[256],
        county[128], land[16];
    struct store_water_point p;
    struct eg_csv_field f;
    long line = c->line;
#define COLN(k) ((long)pos[k] + 1)
    memset(&p, 0, sizeof(p));
    f = col(c, pos, PC_CODE);
    if (f.n == 0 || f.n >= 33)
        return fail(eb, name, line, COLN(PC_CODE), "code", EG_EPARSE,
                    "point code empty or longer than 32 bytes");
    eg_csv_copy(f, code, sizeof(code));
    f = col(c, pos, PC_KIND);
    int k = ingest_water_kind(f.s, f.n);
    if (k < 0)
        return fail(eb, name, line, COLN(PC_KIND), "kind", EG_EPARSE,
                    "kind '%.*s' is not section, source, lake, sea, well, farmland, "
                    "construction or odorous",
                    (int)(f.n > 40 ? 40 : f.n), f.s);
    eg_csv_copy(f, kind, sizeof(kind));
    f = col(c, pos, PC_WATER);
    if (k == INGEST_WATER_SECTION && !eg_csv_eq(f, "river") && !eg_csv_eq(f, "lake"))
        return fail(eb, name, line, COLN(PC_WATER), "water", EG_EPARSE,
                    "a section's water is 'river' or 'lake'");
    if (k == INGEST_WATER_SOURCE && !eg_csv_eq(f, "river") && !eg_csv_eq(f, "lake") &&
        !eg_csv_eq(f, "ground"))
        return fail(eb, name, line, COLN(PC_WATER), "water", EG_EPARSE,
                    "a source's water is 'river', 'lake' or 'ground'");
    eg_csv_copy(k == INGEST_WATER_LAKE && f.n == 0 ? (struct eg_csv_field){"lake", 4} : f, water,
                sizeof(water));
    f = col(c, pos, PC_TARGET);
    p.target = roman(f);
    if (p.target < 0 || (k == INGEST_WATER_SEA && p.target > 4))
        return fail(eb, name, line, COLN(PC_TARGET), "target_class", EG_EPARSE,
                    "target class '%.*s' is not I…V (sea I…IV)", (int)(f.n > 20 ? 20 : f.n), f.s);
    double *ll[2] = {&p.lon, &p.lat};
    for (int j = 0; j < 2; j++) {
        int64_t v;
        f = col(c, pos, PC_LON + j);
        if (f.n == 0 || (f.n == 1 && f.s[0] == '-')) {
            *ll[j] = (double)NAN;
            continue;
        }
        if (eg_dec_parse(f.s, f.n, 6, &v) || v < (j ? -90000000 : -180000000) ||
            v > (j ? 90000000 : 180000000))
            return fail(eb, name, line, COLN(PC_LON + j), j ? "lat" : "lon", EG_EPARSE,
                        "not a coordinate in degrees");
        *ll[j] = (double)v / 1e6;
    }
    if (dec_opt(col(c, pos, PC_SUPPLY), 0, &p.supply) || p.supply < 0)
        return fail(eb, name, line, COLN(PC_SUPPLY), "supply", EG_EPARSE, "not a volume");
    if (dec_opt(col(c, pos, PC_AREA), 0, &p.area) || p.area < 0)
        return fail(eb, name, line, COLN(PC_AREA), "area", EG_EPARSE, "not an area");
    if (dec_opt(col(c, pos, PC_PH), -1, &p.ph) ||
        (p.ph != -1 && (p.ph < 0 || p.ph > 14 * eg_pow10(STD_WQ_SCALE))))
        return fail(eb, name, line, COLN(PC_PH), "ph", EG_EPARSE, "not a pH (0-14)");
    if (dec_opt(col(c, pos, PC_DEPTH), 0, &p.depth) || p.depth < 0)
        return fail(eb, name, line, COLN(PC_DEPTH), "depth_cm", EG_EPARSE, "not a depth");
    f = col(c, pos, PC_LAND);
    if (k == INGEST_WATER_FARMLAND && !eg_csv_eq(f, "paddy") && !eg_csv_eq(f, "other") &&
        !eg_csv_eq(f, "orchard"))
        return fail(eb, name, line, COLN(PC_LAND), "land_use", EG_EPARSE,
                    "farmland land_use is paddy, other or orchard");
    if (k == INGEST_WATER_CONSTRUCTION && !eg_csv_eq(f, "1") && !eg_csv_eq(f, "2") && f.n)
        return fail(eb, name, line, COLN(PC_LAND), "land_use", EG_EPARSE,
                    "construction land_use is 1 or 2 (empty: 1, GB 36600 clause 4)");
    eg_csv_copy(f.n ? f : (k == INGEST_WATER_CONSTRUCTION ? (struct eg_csv_field){"1", 1} : f),
                land, sizeof(land));
    f = col(c, pos, PC_MEASURES);
    p.measures_ok = eg_csv_eq(f, "Y") || eg_csv_eq(f, "y") || eg_csv_eq(f, "1");
    eg_csv_copy(col(c, pos, PC_NAME), nm, sizeof(nm));
    eg_csv_copy(col(c, pos, PC_LEVEL), level, sizeof(level));
    eg_csv_copy(col(c, pos, PC_BODY), body, sizeof(body));
    eg_csv_copy(col(c, pos, PC_COUNTY), county, sizeof(county));
    p.code = code;
    p.name = nm;
    p.kind = kind;
    p.water = water;
    p.level = level;
    p.body = body;
    p.county = county;
    p.land_use = land;
#undef COLN
    int rc = store_water_point_put(s, &p, eb);
    if (rc)
        eg_err_at(eb, name, line, 0, code);
    return rc;
}

int ingest_water_points_buffer(struct store *s, const char *buf, size_t len, const char *name,
                               struct ingest_stats *st, struct eg_errbuf *eb)
{
    struct eg_csv c;
    int pos[PC_N], rc;
    long rows = 0;
    eg_csv_init(&c, buf, len, name);
    if ((rc = eg_csv_next(&c, eb)) <= 0) {
        rc = rc ? rc : fail(eb, name, 1, 0, "header", EG_EPARSE, "empty file");
        goto out;
    }
    if ((rc = header_map(&c, point_cols, PC_N, 8, pos, name, eb)))
        goto out;
    if ((rc = store_begin(s, eb)))
        goto out;
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        if (++rows > INGEST_MAX_LIST_ROWS) {
            rc = fail(eb, name, c.line, 0, NULL, EG_ELIMIT, "more than %d points",
                      INGEST_MAX_LIST_ROWS);
            break;
        }
        if ((rc = one_point(s, &c, pos, name, eb)))
            break;
    }
    if (rc == 0 && (rc = store_commit(s, eb)) == 0) {
        if (st)
            st->rows += rows;
    } else {
        store_rollback(s);
    }
out:
    eg_csv_done(&c);
    return rc;
}

int ingest_water_points_file(struct store *s, const char *path, struct ingest_stats *st,
                             struct eg_errbuf *eb)
{
    struct ingest_input in; /* CSV, or an xlsx sheet converted (xlsx.c) */
    int rc = ingest_input_read(path, &in, eb);
    if (rc)
        return rc;
    if ((rc = ingest_water_points_buffer(s, in.buf, in.len, in.name, st, eb)))
        ingest_input_locate(&in, eb);
    ingest_input_done(&in);
    return rc;
}

/* ---- samples ---- */

enum { SC_POINT, SC_DATE, SC_ITEM, SC_VALUE, SC_UNIT, SC_TIME, SC_DL, SC_N };
static const char *const sample_cols[SC_N][2] = {
    {"point", NULL},           {"date", NULL}, {"item", NULL},
    {"value", NULL},           {"unit", NULL}, {"time", NULL},
    {"dl", "detection_limit"},
};

struct srow {
    uint32_t point; /* offset of the code in the file buffer */
    uint16_t plen;
    int16_t param;
    int64_t t;
    int64_t v;
    uint32_t flags;
    long line;
};

/* "HH:MM[:SS]" → seconds of the day. */
static int parse_clock(const char *s, size_t n, int *ret)
{
    int h, m, sec = 0;
    if ((n != 5 && n != 8) || s[2] != ':' || (n == 8 && s[5] != ':'))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (i != 2 && i != 5 && (s[i] < '0' || s[i] > '9'))
            return -1;
    h = (s[0] - '0') * 10 + (s[1] - '0');
    m = (s[3] - '0') * 10 + (s[4] - '0');
    if (n == 8)
        sec = (s[6] - '0') * 10 + (s[7] - '0');
    if (h > 23 || m > 59 || sec > 59)
        return -1;
    *ret = h * 3600 + m * 60 + sec;
    return 0;
}

/* date ("YYYY-MM-DD", optionally " HH:MM[:SS]" or "THH:MM[:SS]") and time column → UTC epoch. */
static int parse_when(struct eg_csv_field d, struct eg_csv_field tm, int64_t *ret)
{
    int32_t day;
    int sec = 0;
    size_t dn = d.n;
    if (dn > 10 && (d.s[10] == ' ' || d.s[10] == 'T')) {
        if (parse_clock(d.s + 11, d.n - 11, &sec))
            return -1;
        dn = 10;
    }
    if (eg_date_parse(d.s, dn, &day))
        return -1;
    if (tm.n && parse_clock(tm.s, tm.n, &sec))
        return -1;
    *ret = eg_unix_from_beijing(day, sec);
    return 0;
}

static bool is_orp_or_temp(int p)
{
    const char *k = std_wparam_at(p)->key;
    return !strcmp(k, "ORP") || !strcmp(k, "WT");
}

/* Parse one value cell: a decimal, "ND"/"<DL" (detection limit from dl), "<x", "xL". */
static int parse_value(struct eg_csv_field f, struct eg_csv_field dl, int64_t *v, uint32_t *flags,
                       const char **why)
{
    *flags = 0;
    if (eg_csv_eq(f, "ND") || eg_csv_eq(f, "nd") || eg_csv_eq(f, "<DL")) {
        *flags = STORE_WATER_ND;
        if (dl.n == 0) {
            *why = "a below-detection result needs the detection limit in the dl column";
            return -1;
        }
        f = dl;
    } else if (f.n > 1 && f.s[0] == '<') {
        *flags = STORE_WATER_ND;
        f.s++;
        f.n--;
    } else if (f.n > 1 && (f.s[f.n - 1] == 'L' || f.s[f.n - 1] == 'l')) {
        *flags = STORE_WATER_ND;
        f.n--;
    }
    if (f.n == 0 || eg_dec_parse(f.s, f.n, STD_WQ_SCALE, v)) {
        *why = "not a number, ND, <DL or a detection limit followed by L";
        return -1;
    }
    if (*flags && *v <= 0) {
        *why = "a detection limit must be positive";
        return -1;
    }
    return 0;
}

/* Per-parse caches: the same few items and units repeat on every line. */
#define ICACHE 128
struct icache {
    char s[48];
    size_t n;
    int param;
};
#define UCACHE 64
struct ucache {
    char s[24];
    size_t n;
    const char *to;
    int d, rc;
};

static size_t fnv(const char *s, size_t n)
{
    size_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int item_cached(struct icache *ic, struct eg_csv_field f)
{
    if (f.n == 0 || f.n >= sizeof(ic[0].s))
        return ingest_water_item(f.s, f.n);
    struct icache *e = &ic[fnv(f.s, f.n) % ICACHE];
    if (e->n == f.n && !memcmp(e->s, f.s, f.n))
        return e->param;
    int p = ingest_water_item(f.s, f.n);
    memcpy(e->s, f.s, f.n);
    e->n = f.n;
    e->param = p;
    return p;
}

static int unit_cached(struct ucache *uc, struct eg_csv_field f, const char *to, int *ret)
{
    if (f.n >= sizeof(uc[0].s))
        return unit_delta(f, to, ret);
    struct ucache *e = &uc[(fnv(f.s, f.n) ^ (size_t)(uintptr_t)to) % UCACHE];
    if (e->to == to && e->n == f.n && !memcmp(e->s, f.s, f.n)) {
        *ret = e->d;
        return e->rc;
    }
    e->rc = unit_delta(f, to, &e->d);
    memcpy(e->s, f.s, f.n);
    e->n = f.n;
    e->to = to;
    *ret = e->d;
    return e->rc;
}

static _Thread_local const char *sort_buf;

/* Order of the callbacks: point, instant, then file line. */
static int row_cmp(const void *a, const void *b)
{
    const struct srow *x = a, *y = b;
    size_t n = x->plen < y->plen ? x->plen : y->plen;
    int c = memcmp(sort_buf + x->point, sort_buf + y->point, n);
    if (c)
        return c;
    if (x->plen != y->plen)
        return x->plen < y->plen ? -1 : 1;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

int ingest_water_samples_parse(const char *buf, size_t len, const char *name,
                               ingest_water_kind_cb kind_of, void *kud, ingest_water_row_cb cb,
                               void *ud, struct ingest_stats *st, struct eg_errbuf *eb)
{
    struct eg_csv c;
    int pos[SC_N], rc;
    struct srow *rows = NULL;
    size_t n = 0, cap = 0;
    struct icache *ic = eg_calloc(ICACHE, sizeof(*ic));
    struct ucache *uc = eg_calloc(UCACHE, sizeof(*uc));
    /* the standard's unit per (kind, groundwater source, parameter), computed once */
    static const char unset[] = "?";
    int np = std_wparam_count();
    const char **tu = eg_malloc((size_t)INGEST_WATER_NKINDS * 2 * (size_t)np * sizeof(*tu));
    for (size_t i = 0; tu && i < (size_t)INGEST_WATER_NKINDS * 2 * (size_t)np; i++)
        tu[i] = unset;
    eg_csv_init(&c, buf, len, name);
    if (!ic || !uc || !tu) {
        rc = fail(eb, name, 0, 0, NULL, EG_ENOMEM, "out of memory");
        goto out;
    }
    if (len > UINT32_MAX) {
        rc = fail(eb, name, 0, 0, NULL, EG_ELIMIT, "file larger than 4 GiB");
        goto out;
    }
    if ((rc = eg_csv_next(&c, eb)) <= 0) {
        rc = rc ? rc : fail(eb, name, 1, 0, "header", EG_EPARSE, "empty file");
        goto out;
    }
    if ((rc = header_map(&c, sample_cols, SC_N, 5, pos, name, eb)))
        goto out;
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        long line = c.line;
        struct eg_csv_field fp = col(&c, pos, SC_POINT), fi = col(&c, pos, SC_ITEM),
                            fv = col(&c, pos, SC_VALUE), fu = col(&c, pos, SC_UNIT);
        const char *why = NULL;
        struct srow r;
        bool ground = false;
        memset(&r, 0, sizeof(r));
        r.line = line;
        if (fp.n == 0 || fp.n > 32 || fp.s < buf || fp.s + fp.n > buf + len) {
            rc = fail(eb, name, line, pos[SC_POINT] + 1, "point", EG_EPARSE,
                      fp.n ? "point code longer than 32 bytes or quoted with \"\""
                           : "no point code");
            goto out;
        }
        int kind = kind_of ? kind_of(kud, fp.s, fp.n, &ground) : INGEST_WATER_SECTION;
        if (kind < 0) {
            rc = fail(eb, name, line, pos[SC_POINT] + 1, "point", EG_ENOTFOUND,
                      "unknown point '%.*s' (import the points first: envgov import points)",
                      (int)fp.n, fp.s);
            goto out;
        }
        if (parse_when(col(&c, pos, SC_DATE), col(&c, pos, SC_TIME), &r.t)) {
            rc = fail(eb, name, line, pos[SC_DATE] + 1, "date", EG_EPARSE,
                      "not a date YYYY-MM-DD [HH:MM[:SS]] (or a bad time column)");
            goto out;
        }
        int p = item_cached(ic, fi);
        if (p < 0 || p > INT16_MAX) {
            rc = fail(eb, name, line, pos[SC_ITEM] + 1, "item", EG_EPARSE,
                      "unknown item '%.*s' (an HJ 212-2017 code, a standard table's key or "
                      "Chinese name)",
                      (int)(fi.n > 60 ? 60 : fi.n), fi.s);
            goto out;
        }
        r.param = (int16_t)p;
        if (parse_value(fv, col(&c, pos, SC_DL), &r.v, &r.flags, &why)) {
            rc = fail(eb, name, line,
                      (r.flags && fv.n && (fv.s[0] == 'N' || fv.s[0] == 'n'))
                          ? (pos[SC_DL] >= 0 ? pos[SC_DL] : pos[SC_VALUE]) + 1
                          : pos[SC_VALUE] + 1,
                      "value", EG_EPARSE, "%s", why);
            goto out;
        }
        if (r.v < 0 && !is_orp_or_temp(p)) {
            rc = fail(eb, name, line, pos[SC_VALUE] + 1, "value", EG_ERANGE,
                      "negative concentration");
            goto out;
        }
        size_t tk = ((size_t)kind * 2 + ground) * (size_t)np + (size_t)p;
        if (tu[tk] == unset)
            tu[tk] = target_unit(kind, p, ground);
        const char *to = tu[tk];
        int d = 0;
        if (to && (unit_cached(uc, fu, to, &d) || scale_by(&r.v, d))) {
            rc = fail(eb, name, line, pos[SC_UNIT] + 1, "unit", EG_EPARSE,
                      "unit '%.*s' cannot be converted to %s, the unit of the standard", (int)fu.n,
                      fu.s, to);
            goto out;
        }
        if (r.v > (int64_t)1e17 || r.v < -(int64_t)1e17) {
            rc = fail(eb, name, line, pos[SC_VALUE] + 1, "value", EG_ERANGE, "value too large");
            goto out;
        }
        r.point = (uint32_t)(fp.s - buf);
        r.plen = (uint16_t)fp.n;
        if (n == cap) {
            if (cap >= INGEST_WATER_MAX_ROWS) {
                rc = fail(eb, name, line, 0, NULL, EG_ELIMIT, "more than %d rows",
                          INGEST_WATER_MAX_ROWS);
                goto out;
            }
            size_t nc = cap ? cap * 2 : 1024;
            struct srow *q = eg_realloc(rows, nc * sizeof(*q));
            if (!q) {
                rc = fail(eb, name, line, 0, NULL, EG_ENOMEM, "out of memory");
                goto out;
            }
            rows = q;
            cap = nc;
        }
        rows[n++] = r;
    }
    if (rc < 0)
        goto out;
    sort_buf = buf;
    if (n > 1)
        qsort(rows, n, sizeof(*rows), row_cmp);
    for (size_t i = 0; i < n; i++) {
        struct ingest_water_row w;
        char code[33];
        memcpy(code, buf + rows[i].point, rows[i].plen);
        code[rows[i].plen] = 0;
        w.point = code;
        w.t = rows[i].t;
        w.param = rows[i].param;
        w.item = std_wparam_at(rows[i].param)->key;
        w.v = rows[i].v;
        w.flags = rows[i].flags;
        w.line = rows[i].line;
        if ((rc = cb(ud, &w)))
            goto out;
    }
    if (st) {
        st->rows += (long)n;
        st->values += (long)n;
    }
out:
    eg_free(rows);
    eg_free(ic);
    eg_free(uc);
    eg_free(tu);
    eg_csv_done(&c);
    return rc;
}

/* ---- import into the store ---- */

struct event {
    char point[33];
    int64_t t;
    size_t n;
    struct store_water_result r[STORE_WATER_MAX_ITEMS];
    long line[STORE_WATER_MAX_ITEMS];
};

struct collect {
    struct store *s;
    const char *name;
    struct event ev;
    long events;
    struct eg_errbuf *eb;
};

static int flush(struct collect *c)
{
    if (c->ev.n == 0)
        return 0;
    int rc = store_water_sample_put(c->s, c->ev.point, c->ev.t, c->ev.r, c->ev.n, c->eb);
    c->ev.n = 0;
    c->events++;
    return rc;
}

static int on_row(void *ud, const struct ingest_water_row *w)
{
    struct collect *c = ud;
    struct event *e = &c->ev;
    int rc;
    if (e->n && (strcmp(e->point, w->point) || e->t != w->t) && (rc = flush(c)))
        return rc;
    if (e->n == 0) {
        snprintf(e->point, sizeof(e->point), "%s", w->point);
        e->t = w->t;
    }
    for (size_t i = 0; i < e->n; i++)
        if (!strcmp(e->r[i].item, w->item))
            return fail(c->eb, c->name, w->line, 0, w->item, EG_EEXIST,
                        "item repeated for the same point and time (first on line %ld)",
                        e->line[i]);
    if (e->n >= STORE_WATER_MAX_ITEMS)
        return fail(c->eb, c->name, w->line, 0, NULL, EG_ELIMIT,
                    "more than %d items in one sampling", STORE_WATER_MAX_ITEMS);
    e->r[e->n].item = w->item; /* static key string of the standards */
    e->r[e->n].v = w->v;
    e->r[e->n].flags = w->flags;
    e->line[e->n] = w->line;
    e->n++;
    return 0;
}

int ingest_water_samples_buffer(struct store *s, const char *buf, size_t len, const char *name,
                                struct ingest_stats *st, enum ingest_file_result *ret_result,
                                struct eg_errbuf *eb)
{
    unsigned char digest[32];
    char key[300];
    enum store_file_state state;
    struct ptab pt;
    struct ingest_stats local;
    memset(&pt, 0, sizeof(pt));
    memset(&local, 0, sizeof(local));
    int rc = store_water_point_each(s, NULL, ptab_add, &pt, eb);
    if (rc)
        goto out;
    crypto_generichash(digest, sizeof(digest), (const unsigned char *)buf, len, NULL, 0);
    snprintf(key, sizeof(key), "water:%s", ingest__basename(name));
    if ((rc = store_file_check(s, key, digest, &state, eb)))
        goto out;
    if (state == STORE_FILE_SAME) {
        if (st)
            st->files_unchanged++;
        if (ret_result)
            *ret_result = INGEST_FILE_UNCHANGED;
        goto out;
    }
    struct collect *c = eg_calloc(1, sizeof(*c));
    if (!c) {
        rc = eg_errf(eb, EG_ENOMEM, "out of memory");
        goto out;
    }
    c->s = s;
    c->name = name;
    c->eb = eb;
    if ((rc = store_begin(s, eb)) == 0) {
        rc = ingest_water_samples_parse(buf, len, name, ptab_kind, &pt, on_row, c, &local, eb);
        if (rc == 0)
            rc = flush(c);
        if (rc == 0)
            rc = store_file_done(s, key, digest, local.rows, local.values, eb);
        if (rc == 0)
            rc = store_commit(s, eb);
        if (rc)
            store_rollback(s);
    }
    eg_free(c);
    if (rc == 0) {
        if (st) {
            st->rows += local.rows;
            st->values += local.values;
            if (state == STORE_FILE_NEW)
                st->files_new++;
            else
                st->files_replaced++;
        }
        if (ret_result)
            *ret_result = state == STORE_FILE_NEW ? INGEST_FILE_NEW : INGEST_FILE_REPLACED;
    }
out:
    ptab_done(&pt);
    return rc;
}

int ingest_water_samples_file(struct store *s, const char *path, struct ingest_stats *st,
                              struct eg_errbuf *eb)
{
    struct ingest_input in; /* CSV, or an xlsx sheet converted (xlsx.c) */
    if (st)
        st->files++;
    int rc = ingest_input_read(path, &in, eb);
    if (rc) {
        if (st)
            st->skipped++;
        return rc;
    }
    rc = ingest_water_samples_buffer(s, in.buf, in.len, in.name, st, NULL, eb);
    if (rc && st && rc != EG_EDB && rc != EG_ENOMEM)
        st->skipped++;
    if (rc)
        ingest_input_locate(&in, eb);
    ingest_input_done(&in);
    return rc;
}
