/* parse.c — HJ 212 data segment → typed record (HJ 212-2017 §6.3.2 Table 3, §6.3.3 Table 4).
 *
 * Header: `KEY=value` fields joined by ';' up to "CP=" (any order, keys case-insensitive; QN, Flag
 * optional for 2005 devices; unknown keys kept as extra pairs, e.g. HJ 212-2025 "RF").  CP:
 * "&&…&&", entries split on ';' and ',' (lenient, §3 of reference/hj212.md); `code-Name=value`
 * entries are grouped per code, the rest are parameters.  Values stay views into the segment;
 * a value's exact decimal is computed only when asked (hj212_field_num), never a binary float.
 * One pass: a 16-byte scanner finds the delimiters, item codes are compared as packed integers.
 * 2005 pollutant codes are mapped to 2017 codes by Appendix B (codes.c).
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common/eg_num.h"
#include "hj212-int.h"

void hj212_record_init(struct hj212_record *r, struct hj212_pair *header_extra,
                       uint32_t max_header_extra, struct hj212_pair *params, uint32_t max_params,
                       struct hj212_item *items, uint32_t max_items, struct hj212_field *fields,
                       uint32_t max_fields)
{
    memset(r, 0, sizeof *r);
    r->header_extra = header_extra;
    r->max_header_extra = header_extra ? max_header_extra : 0;
    r->params = params;
    r->max_params = params ? max_params : 0;
    r->items = items;
    r->max_items = items ? max_items : 0;
    r->fields = fields;
    r->max_fields = fields ? max_fields : 0;
    r->cn_num = r->flag = r->pnum = r->pno = -1;
}

static void record_clear(struct hj212_record *r)
{
    /* Clear everything but the caller's arrays, without rebuilding them (called per frame). */
    struct hj212_pair *he = r->header_extra, *pa = r->params;
    struct hj212_item *it = r->items;
    struct hj212_field *fl = r->fields;
    uint32_t mhe = r->max_header_extra, mpa = r->max_params, mit = r->max_items,
             mfl = r->max_fields;
    memset(r, 0, sizeof *r);
    r->header_extra = he;
    r->max_header_extra = mhe;
    r->params = pa;
    r->max_params = mpa;
    r->items = it;
    r->max_items = mit;
    r->fields = fl;
    r->max_fields = mfl;
    r->cn_num = r->flag = r->pnum = r->pno = -1;
    r->p.qn_rtn = r->p.exe_rtn = -1;
}

/* Lower-case a byte for a comparison with a lower-case letter: (c | 0x20) == 'q' holds exactly
 * for 'q' and 'Q', so keys match case-insensitively without a table. */
#define LC(c) ((unsigned char)(c) | 0x20u)

static bool key_is_n(const char *k, size_t n, const char *lit, size_t m)
{
    if (n != m)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char a = (unsigned char)k[i], b = (unsigned char)lit[i];
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a + 32);
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b + 32);
        if (a != b)
            return false;
    }
    return true;
}

/* Case-insensitive key match against a literal (length known at compile time). */
#define key_is(k, n, lit) key_is_n((k), (n), (lit), sizeof(lit) - 1)

static void trim(const char **p, size_t *n)
{
    while (*n > 0 && (**p == ' ' || **p == '\t')) {
        (*p)++;
        (*n)--;
    }
    while (*n > 0 && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
        (*n)--;
}

static inline bool is_sp(char c)
{
    return c == ' ' || c == '\t';
}

static int fail(struct eg_errbuf *eb, int code, const char *field, const char *what, const char *v,
                size_t vn)
{
    if (eb) {
        eg_err_at(eb, NULL, 0, 0, field);
        if (vn > 40)
            vn = 40;
        eg_errf(eb, code, "%s: %s '%.*s'", field, what, (int)vn, v ? v : "");
    }
    return code;
}

/* Non-negative decimal of 1..maxd digits. */
static int small_uint(const char *s, size_t n, size_t maxd, int *ret)
{
    if (n == 0 || n > maxd)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned char)s[i] - (unsigned)'0';
        if (d > 9)
            return -1;
        v = v * 10 + (int)d;
    }
    *ret = v;
    return 0;
}

static int two(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

int hj212_time_parse(const char *s, size_t n, struct hj212_time *ret)
{
    struct hj212_time t;
    memset(&t, 0, sizeof t);
    if (n != 13 && n != 14 && n != 15 && n != 17)
        return EG_EPARSE;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return EG_EPARSE;
    t.digits = (uint8_t)n;
    t.year = (int16_t)(two(s) * 100 + two(s + 2));
    t.month = (uint8_t)two(s + 4);
    t.day = (uint8_t)two(s + 6);
    t.hour = (uint8_t)two(s + 8);
    t.minute = (uint8_t)two(s + 10);
    t.second = n >= 14 ? (uint8_t)two(s + 12) : 0; /* 13 digits: a seconds digit was lost */
    if (n == 15)
        t.msec = (uint16_t)((s[14] - '0') * 100);
    else if (n == 17)
        t.msec = (uint16_t)((s[14] - '0') * 100 + two(s + 15));
    if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 || t.hour > 23 || t.minute > 59 ||
        t.second > 59)
        return EG_EPARSE;
    t.ok = true;
    *ret = t;
    return 0;
}

/* Exact decimal: up to 18 digits are accumulated directly (exact in int64); longer text goes
 * through eg_dec_parse, which reports overflow. */
void hj212_num_parse(const char *s, size_t n, struct hj212_num *ret)
{
    ret->ok = false;
    ret->scale = 0;
    ret->num = 0;
    size_t i = 0, decimals = 0, digits = 0;
    bool neg = false, dot = false;
    uint64_t v = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < n; i++) {
        unsigned d = (unsigned char)s[i] - (unsigned)'0';
        if (d <= 9) {
            v = v * 10 + d;
            digits++;
            decimals += dot;
        } else if (s[i] == '.' && !dot) {
            dot = true;
        } else {
            return;
        }
    }
    if (digits == 0 || decimals > EG_SCALE_MAX)
        return;
    if (digits > 18) {
        int64_t w;
        if (eg_dec_parse(s, n, (int)decimals, &w) != 0)
            return;
        ret->num = w;
    } else {
        ret->num = neg ? -(int64_t)v : (int64_t)v;
    }
    ret->ok = true;
    ret->scale = (int8_t)decimals;
}

struct hj212_num hj212_field_num(const struct hj212_field *f)
{
    struct hj212_num v;
    hj212_num_parse(f->value.p, f->value.n, &v);
    return v;
}

static int add_pair(struct hj212_pair *arr, uint32_t *cnt, uint32_t max, const char *k, size_t kn,
                    const char *v, size_t vn, uint32_t seq, struct eg_errbuf *eb, const char *where)
{
    if (*cnt >= max)
        return fail(eb, EG_ELIMIT, where, "too many parameters at", k, kn);
    struct hj212_pair *p = &arr[(*cnt)++];
    p->key.p = k;
    p->key.n = kn;
    p->value.p = v;
    p->value.n = vn;
    p->seq = seq;
    return 0;
}

/* Header keys of Table 3, recognised by length and case-folded bytes (no strcmp chain). */
enum hdr_key { H_OTHER, H_QN, H_ST, H_CN, H_PW, H_MN, H_CP, H_FLAG, H_PNUM, H_PNO };

static enum hdr_key hdr_key(const char *k, size_t kn)
{
    if (kn == 2) {
        unsigned a = LC(k[0]), b = LC(k[1]);
        if (b == 'n')
            return a == 'q' ? H_QN : a == 'c' ? H_CN : a == 'm' ? H_MN : H_OTHER;
        if (a == 's' && b == 't')
            return H_ST;
        if (a == 'p' && b == 'w')
            return H_PW;
        if (a == 'c' && b == 'p')
            return H_CP;
    } else if (kn == 4) {
        if (LC(k[0]) == 'f' && LC(k[1]) == 'l' && LC(k[2]) == 'a' && LC(k[3]) == 'g')
            return H_FLAG;
        if (LC(k[0]) == 'p' && LC(k[1]) == 'n' && LC(k[2]) == 'u' && LC(k[3]) == 'm')
            return H_PNUM;
    } else if (kn == 3) {
        if (LC(k[0]) == 'p' && LC(k[1]) == 'n' && LC(k[2]) == 'o')
            return H_PNO;
    }
    return H_OTHER;
}

static int parse_header_field(struct hj212_record *r, enum hdr_key key, const char *k, size_t kn,
                              const char *v, size_t vn, struct eg_errbuf *eb)
{
    struct hj212_str sv = {v, vn};
    switch (key) {
    case H_QN:
        r->qn = sv;
        break;
    case H_ST:
        r->st = sv;
        break;
    case H_CN:
        r->cn = sv;
        if (vn != 4 || small_uint(v, vn, 4, &r->cn_num) != 0)
            return fail(eb, EG_EPARSE, "CN", "not a 4-digit command code", v, vn);
        break;
    case H_PW:
        r->pw = sv;
        break;
    case H_MN:
        if (vn > 64)
            return fail(eb, EG_EPARSE, "MN", "longer than 64 bytes", v, vn);
        r->mn = sv;
        break;
    case H_FLAG:
        r->flag_s = sv;
        if (small_uint(v, vn, 3, &r->flag) != 0 || r->flag > 255)
            return fail(eb, EG_EPARSE, "Flag", "not an integer 0-255", v, vn);
        break;
    case H_PNUM:
        r->pnum_s = sv;
        if (small_uint(v, vn, 5, &r->pnum) != 0)
            return fail(eb, EG_EPARSE, "PNUM", "not a packet count", v, vn);
        break;
    case H_PNO:
        r->pno_s = sv;
        if (small_uint(v, vn, 5, &r->pno) != 0)
            return fail(eb, EG_EPARSE, "PNO", "not a packet number", v, vn);
        break;
    case H_CP: /* handled by the caller */
    case H_OTHER:
    default:
        return add_pair(r->header_extra, &r->nheader_extra, r->max_header_extra, k, kn, v, vn, 0,
                        eb, "header");
    }
    return 0;
}

/* Pollutant codes are short: compare inline rather than through a memcmp call. */
static inline bool code_eq(const char *a, const char *b, size_t n)
{
    if (n > 16)
        return memcmp(a, b, n) == 0;
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

static int parse_time_param(const char *field, const char *v, size_t vn, struct hj212_str *ret_s,
                            struct hj212_time *ret_t, struct eg_errbuf *eb)
{
    ret_s->p = v;
    ret_s->n = vn;
    if (hj212_time_parse(v, vn, ret_t) != 0)
        return fail(eb, EG_EPARSE, field, "not a date-time (14 or 17 digits)", v, vn);
    return 0;
}

static int parse_param(struct hj212_record *r, const char *k, size_t kn, const char *v, size_t vn,
                       uint32_t *seq, struct eg_errbuf *eb)
{
    int rc = add_pair(r->params, &r->nparams, r->max_params, k, kn, v, vn, (*seq)++, eb, "CP");
    if (rc)
        return rc;
    struct hj212_cp_params *p = &r->p;
    struct hj212_str sv = {v, vn};
    /* dispatch on the key's length first: one comparison for the usual DataTime */
    switch (kn) {
    case 2:
        if (key_is(k, kn, "QN"))
            p->qn = sv;
        break;
    case 5:
        if (key_is(k, kn, "QnRtn")) {
            if (small_uint(v, vn, 3, &p->qn_rtn) != 0)
                return fail(eb, EG_EPARSE, "QnRtn", "not a reply code", v, vn);
        } else if (key_is(k, kn, "PolId")) {
            p->pol_id = sv;
        }
        break;
    case 6:
        if (key_is(k, kn, "ExeRtn")) {
            if (small_uint(v, vn, 3, &p->exe_rtn) != 0)
                return fail(eb, EG_EPARSE, "ExeRtn", "not a result code", v, vn);
        } else if (key_is(k, kn, "InfoId")) {
            p->info_id = sv;
        }
        break;
    case 7:
        if (key_is(k, kn, "EndTime"))
            return parse_time_param("EndTime", v, vn, &p->end_time, &p->end_time_v, eb);
        break;
    case 8:
        if (key_is(k, kn, "DataTime"))
            return parse_time_param("DataTime", v, vn, &p->data_time, &p->data_time_v, eb);
        break;
    case 9:
        if (key_is(k, kn, "BeginTime"))
            return parse_time_param("BeginTime", v, vn, &p->begin_time, &p->begin_time_v, eb);
        break;
    case 10:
        if (key_is(k, kn, "SystemTime"))
            p->system_time = sv;
        break;
    default:
        break;
    }
    return 0;
}

/* Byte classes for the CP scan: one table load per byte instead of a chain of comparisons. */
enum { K_END = 1, K_EQ = 2, K_DASH = 4 };
static const unsigned char cp_class[256] = {
    [';'] = K_END, [','] = K_END, ['='] = K_EQ, ['-'] = K_DASH};

/* A scanner over s[0..n) that classifies 16 bytes at a time (SSE2 where available: four
 * compares and movemasks give exact bit masks of ';' ',' '=' '-' for a block) and answers "the
 * next byte of these classes at or after j" from the cached masks, so each byte of the data
 * segment is examined once instead of once per comparison. */
struct scan {
    const char *s;
    size_t n;
    size_t base; /* first byte of the cached block; SIZE_MAX = none */
    uint32_t semi, comma, eq, dash;
};

static void scan_block(struct scan *sc, size_t base)
{
    sc->base = base;
#ifdef __SSE2__
    if (base + 16 <= sc->n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(sc->s + base));
        sc->semi = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(';')));
        sc->comma = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')));
        sc->eq = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('=')));
        sc->dash = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
        return;
    }
#endif
    uint32_t m[4] = {0, 0, 0, 0};
    size_t e = base + 16 <= sc->n ? base + 16 : sc->n;
    for (size_t i = base; i < e; i++) {
        unsigned c = cp_class[(unsigned char)sc->s[i]];
        if (c)
            m[c == K_END ? (sc->s[i] == ';' ? 0 : 1) : c == K_EQ ? 2 : 3] |= 1u << (i - base);
    }
    sc->semi = m[0];
    sc->comma = m[1];
    sc->eq = m[2];
    sc->dash = m[3];
}

static inline uint64_t load8(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static const unsigned char blank[256] = {[' '] = 1, ['\t'] = 1};

enum { S_SEMI = 1, S_COMMA = 2, S_EQ = 4, S_DASH = 8 };

/* The first byte at or after j in one of the classes `which` (S_*), or n. */
static inline size_t scan_next(struct scan *sc, size_t j, unsigned which)
{
    while (j < sc->n) {
        size_t base = j & ~(size_t)15;
        if (base != sc->base)
            scan_block(sc, base);
        uint32_t m = ((which & S_SEMI) ? sc->semi : 0) | ((which & S_COMMA) ? sc->comma : 0) |
                     ((which & S_EQ) ? sc->eq : 0) | ((which & S_DASH) ? sc->dash : 0);
        m >>= (j - base);
        if (m)
            return j + (size_t)__builtin_ctz(m);
        j = base + 16;
    }
    return sc->n;
}

static void scan_init(struct scan *sc, const char *s, size_t n)
{
    sc->s = s;
    sc->n = n;
    sc->base = SIZE_MAX;
    sc->semi = sc->comma = sc->eq = sc->dash = 0;
}

/* Item codes up to 7 bytes packed into one word (length in the top byte) so that finding the
 * item of a field and the code-map cache compare one integer.  0 = not packable. */
enum { KEYED_ITEMS = 32 };

static inline uint64_t code_key(const char *c, size_t n)
{
    if (n == 0 || n > 7)
        return 0;
    uint64_t key = (uint64_t)n << 56;
    for (size_t i = 0; i < n; i++)
        key |= (uint64_t)(unsigned char)c[i] << (8 * i);
    return key;
}

static const char *code_2017_key(uint64_t key, const char *code, size_t n, bool *ret_mapped);

/* Item lookup state of one CP: packed keys of the first KEYED_ITEMS items and a 64-bit filter of
 * all keys seen, so a new code (the usual case for the first field of an item) skips the search. */
struct items_idx {
    uint64_t keys[KEYED_ITEMS];
    uint64_t seen;
};

static inline uint64_t key_bit(uint64_t key)
{
    return (uint64_t)1 << ((key * 0x9E3779B97F4A7C15u) >> 58);
}

static int add_item_field(struct hj212_record *r, struct items_idx *ix, uint64_t key, const char *k,
                          size_t kn, size_t dash, const char *v, size_t vn, uint32_t *seq,
                          struct eg_errbuf *eb)
{
    uint64_t *keys = ix->keys;
    int ii = -1;
    uint32_t ni = r->nitems;
    /* fields of one code usually follow each other: try the last item first */
    if (ni > 0) {
        uint32_t l = ni - 1;
        const struct hj212_item *it = &r->items[l];
        if (key && l < KEYED_ITEMS ? keys[l] == key
                                   : it->code.n == dash && code_eq(it->code.p, k, dash))
            ii = (int)l;
    }
    if (ii < 0 && key && (ix->seen & key_bit(key)) == 0)
        ni = 0; /* certainly a new code: nothing to search */
    for (uint32_t i = ni > 0 ? ni - 1 : 0; ii < 0 && i-- > 0;) {
        const struct hj212_item *it = &r->items[i];
        if (key && i < KEYED_ITEMS ? keys[i] == key
                                   : it->code.n == dash && code_eq(it->code.p, k, dash))
            ii = (int)i;
    }
    if (ii < 0) {
        if (r->nitems >= r->max_items)
            return fail(eb, EG_ELIMIT, "CP", "too many items at", k, kn);
        ii = (int)r->nitems++;
        if (ii < KEYED_ITEMS)
            keys[ii] = key;
        ix->seen |= key ? key_bit(key) : ~(uint64_t)0; /* unpackable code: always search */
        struct hj212_item *it = &r->items[ii];
        it->code.p = k;
        it->code.n = dash;
        it->mapped_2005 = false;
        it->code_2017 = key ? code_2017_key(key, k, dash, &it->mapped_2005)
                            : hj212_code_2017(k, dash, &it->mapped_2005);
        it->first = it->last = -1;
        it->nfields = 0;
        it->seq = (*seq)++;
    }
    if (r->nfields >= r->max_fields)
        return fail(eb, EG_ELIMIT, "CP", "too many fields at", k, kn);
    int32_t fi = (int32_t)r->nfields++;
    struct hj212_field *fl = &r->fields[fi];
    fl->name.p = k + dash + 1;
    fl->name.n = kn - dash - 1;
    fl->value.p = v;
    fl->value.n = vn;
    fl->next = -1;
    struct hj212_item *it = &r->items[ii];
    if (it->last >= 0)
        r->fields[it->last].next = fi;
    else
        it->first = fi;
    it->last = fi;
    it->nfields++;
    return 0;
}

static int parse_cp(struct hj212_record *r, const char *s, size_t n, struct eg_errbuf *eb)
{
    uint32_t seq = 0;
    struct items_idx ix;
    ix.seen = 0;
    struct scan sc;
    scan_init(&sc, s, n);
    size_t i = 0;
    while (i <= n) {
        /* one pass per entry: its key up to the first '=' (noting the first '-'), then its value
         * up to ';' or ',' */
        size_t j = i, eqi = SIZE_MAX, dashi = SIZE_MAX;
        j = scan_next(&sc, j, S_SEMI | S_COMMA | S_EQ | S_DASH);
        if (j < n && s[j] == '-') {
            dashi = j;
            j = scan_next(&sc, j + 1, S_SEMI | S_COMMA | S_EQ);
        }
        if (j < n && s[j] == '=') {
            eqi = j;
            j = scan_next(&sc, j + 1, S_SEMI | S_COMMA);
        }
        const char *t = s + i;
        size_t tn = j - i;
        size_t start = i;
        i = j + 1;
        if (tn == 0)
            continue;
        if (eqi == SIZE_MAX) {
            trim(&t, &tn);
            if (tn == 0)
                continue;
            return fail(eb, EG_EPARSE, "CP", "entry without '='", t, tn);
        }
        const char *k = t, *v = s + eqi + 1;
        size_t kn = eqi - start, vn = j - eqi - 1;
        /* kn may be 0 ("=value"): test it before looking at the key's last byte */
        /* s[-1] and s[n] are the CP's '&' (parse_cp gets the inside of "&&…&&"), so k[-1] and
         * v[vn] are readable; an empty key or value then tests a delimiter, never a blank */
        unsigned char k_last = (unsigned char)(kn ? k[kn - 1] : k[-1]);
        unsigned char v_last = (unsigned char)(vn ? v[vn - 1] : v[-1]);
        if (blank[(unsigned char)k[0]] | blank[k_last] | blank[(unsigned char)v[0]] |
            blank[v_last]) {
            trim(&k, &kn);
            trim(&v, &vn);
        }
        if (kn == 0)
            return fail(eb, EG_EPARSE, "CP", "empty key", t, tn);
        int rc;
        size_t dash = dashi == SIZE_MAX ? 0 : (size_t)(s + dashi - k);
        if (dashi != SIZE_MAX && dash > 0 && dash + 1 < kn) {
            uint64_t key;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            if (dash <= 7 && k + 8 <= s + n + 2) /* one load, masked to the code's bytes */
                key = (load8(k) & (((uint64_t)1 << (8 * dash)) - 1)) | (uint64_t)dash << 56;
            else
#endif
                key = code_key(k, dash);
            rc = add_item_field(r, &ix, key, k, kn, dash, v, vn, &seq, eb);
        } else
            rc = parse_param(r, k, kn, v, vn, &seq, eb);
        if (rc)
            return rc;
    }
    return 0;
}

int hj212_parse(const char *seg, size_t n, struct hj212_record *r, struct eg_errbuf *eb)
{
    record_clear(r);
    if (seg == NULL && n > 0)
        return EG_EINVAL;
    size_t i = 0;
    const char *cp = NULL;
    struct scan sc;
    scan_init(&sc, seg, n);
    while (i < n) {
        const char *t = seg + i;
        if (n - i >= 3 && LC(t[0]) == 'c' && LC(t[1]) == 'p' && t[2] == '=') {
            cp = t + 3;
            break;
        }
        /* one pass over the field: its first '=' and its ';' */
        size_t j = scan_next(&sc, i, S_SEMI | S_EQ), eqj = SIZE_MAX;
        if (j < n && seg[j] == '=') {
            eqj = j;
            j = scan_next(&sc, j + 1, S_SEMI);
        }
        size_t tn = j - i;
        i = j + 1;
        if (tn == 0)
            continue;
        const char *k = t, *v;
        size_t kn, vn;
        if (eqj != SIZE_MAX && eqj > (size_t)(t - seg) && !is_sp(t[0]) && !is_sp(t[tn - 1]) &&
            !is_sp(seg[eqj - 1]) && (eqj + 1 >= j || !is_sp(seg[eqj + 1]))) {
            /* the usual case: no blanks to trim */
            kn = eqj - (size_t)(t - seg);
            v = seg + eqj + 1;
            vn = j - eqj - 1;
        } else {
            trim(&t, &tn);
            if (tn == 0)
                continue;
            const char *eq = memchr(t, '=', tn);
            if (eq == NULL || eq == t)
                return fail(eb, EG_EPARSE, "header", "field without '='", t, tn);
            k = t;
            v = eq + 1;
            kn = (size_t)(eq - t);
            vn = tn - kn - 1;
            trim(&k, &kn);
            trim(&v, &vn);
        }
        enum hdr_key key = hdr_key(k, kn);
        if (key == H_CP) {
            cp = v;
            break;
        }
        int rc = parse_header_field(r, key, k, kn, v, vn, eb);
        if (rc)
            return rc;
    }
    if (r->cn.p == NULL)
        return fail(eb, EG_EPARSE, "CN", "missing", NULL, 0);
    if (cp == NULL)
        return fail(eb, EG_EPARSE, "CP", "missing", NULL, 0);
    size_t cpn = (size_t)(seg + n - cp);
    if (cpn < 4 || cp[0] != '&' || cp[1] != '&' || cp[cpn - 2] != '&' || cp[cpn - 1] != '&')
        return fail(eb, EG_EPARSE, "CP", "not enclosed in && … &&", cp, cpn);
    r->cp.p = cp;
    r->cp.n = cpn;
    if (r->flag >= 0) {
        r->ack = (r->flag & 1) != 0;
        r->split = (r->flag & 2) != 0;
        r->version_bits = (unsigned)r->flag >> 2;
        r->version = r->version_bits <= 2 ? (hj212_version)r->version_bits : HJ212_VOTHER;
    } else {
        r->version = HJ212_V2005;
    }
    r->header_2005 = r->qn.p == NULL && r->flag < 0;
    int rc = parse_cp(r, cp + 2, cpn - 4, eb);
    if (rc)
        return rc;
    r->qn_effective = r->qn.p ? r->qn : r->p.qn;
    return 0;
}

int hj212_peek_field(const char *seg, size_t n, const char *key, struct hj212_str *ret)
{
    size_t kl = strlen(key);
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && seg[j] != ';')
            j++;
        const char *t = seg + i;
        size_t tn = j - i;
        if (tn > kl && t[kl] == '=' && key_is_n(t, kl, key, kl)) {
            ret->p = t + kl + 1;
            ret->n = tn - kl - 1;
            return 0;
        }
        if (tn >= 3 && key_is(t, 2, "CP") && t[2] == '=')
            break;
        i = j + 1;
    }
    return EG_ENOTFOUND;
}

static int code_cmp(const char *a, size_t an, const char *b)
{
    size_t i = 0;
    for (; i < an && b[i] != '\0'; i++)
        if (a[i] != b[i])
            return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
    if (i < an)
        return 1;
    return b[i] == '\0' ? 0 : -1;
}

static const char *code_lookup(const char *code, size_t n, bool *ret_mapped);

/* Per-thread direct-mapped cache of recent lookups: a frame repeats few codes, a device the
 * same codes in every frame. */
struct code_cache {
    uint64_t key; /* up to 7 bytes of the code + its length in the top byte; 0 = empty */
    const char *code_2017;
    bool mapped;
};
static _Thread_local struct code_cache code_cache[256];

const char *hj212_code_2017(const char *code, size_t n, bool *ret_mapped)
{
    uint64_t key = code_key(code, n);
    if (key == 0)
        return code_lookup(code, n, ret_mapped);
    return code_2017_key(key, code, n, ret_mapped);
}

/* key = code_key(code, n), non-zero. */
static const char *code_2017_key(uint64_t key, const char *code, size_t n, bool *ret_mapped)
{
    bool mapped = false;
    /* multiplicative hash: every byte of the code reaches the index bits (the codes of one
     * frame differ in their last digits: a34002, a34004) */
    struct code_cache *c = &code_cache[(key * 0x9E3779B97F4A7C15u) >> 56];
    if (c->key != key) {
        c->code_2017 = code_lookup(code, n, &mapped);
        c->mapped = mapped;
        c->key = key;
    }
    if (ret_mapped)
        *ret_mapped = c->mapped;
    return c->code_2017;
}

static const char *code_lookup(const char *code, size_t n, bool *ret_mapped)
{
    size_t lo = 0, hi = hj212__ncodes;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = code_cmp(code, n, hj212__codes[mid].code);
        if (c == 0) {
            if (ret_mapped)
                *ret_mapped = false;
            return hj212__codes[mid].code;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    lo = 0;
    hi = hj212__ncodes_by2005;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct hj212__code *e = &hj212__codes[hj212__codes_by2005[mid]];
        int c = code_cmp(code, n, e->code_2005);
        if (c == 0) {
            if (ret_mapped)
                *ret_mapped = true;
            return e->code;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
