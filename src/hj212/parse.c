/* parse.c — HJ 212 data segment → typed record (HJ 212-2017 §6.3.2 Table 3, §6.3.3 Table 4).
 *
 * Header: `KEY=value` fields joined by ';' up to "CP=" (any order, keys case-insensitive; QN, Flag
 * optional for 2005 devices; unknown keys kept as extra pairs, e.g. HJ 212-2025 "RF").  CP:
 * "&&…&&", entries split on ';' and ',' (lenient, §3 of reference/hj212.md); `code-Name=value`
 * entries are grouped per code, the rest are parameters.  Values stay views into the segment;
 * numbers also get an exact decimal (eg_dec_parse at the written scale), never a binary float.
 * 2005 pollutant codes are mapped to 2017 codes by Appendix B (codes.c).
 */
#include <string.h>

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
    struct hj212_record keep = *r;
    hj212_record_init(r, keep.header_extra, keep.max_header_extra, keep.params, keep.max_params,
                      keep.items, keep.max_items, keep.fields, keep.max_fields);
    r->p.qn_rtn = r->p.exe_rtn = -1;
}

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
static void parse_num(const char *s, size_t n, struct hj212_num *ret)
{
    ret->ok = false;
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

static int parse_header_field(struct hj212_record *r, const char *k, size_t kn, const char *v,
                              size_t vn, struct eg_errbuf *eb)
{
    struct hj212_str sv = {v, vn};
    if (key_is(k, kn, "QN")) {
        r->qn = sv;
    } else if (key_is(k, kn, "ST")) {
        r->st = sv;
    } else if (key_is(k, kn, "CN")) {
        r->cn = sv;
        if (vn != 4 || small_uint(v, vn, 4, &r->cn_num) != 0)
            return fail(eb, EG_EPARSE, "CN", "not a 4-digit command code", v, vn);
    } else if (key_is(k, kn, "PW")) {
        r->pw = sv;
    } else if (key_is(k, kn, "MN")) {
        if (vn > 64)
            return fail(eb, EG_EPARSE, "MN", "longer than 64 bytes", v, vn);
        r->mn = sv;
    } else if (key_is(k, kn, "Flag")) {
        r->flag_s = sv;
        if (small_uint(v, vn, 3, &r->flag) != 0 || r->flag > 255)
            return fail(eb, EG_EPARSE, "Flag", "not an integer 0-255", v, vn);
    } else if (key_is(k, kn, "PNUM")) {
        r->pnum_s = sv;
        if (small_uint(v, vn, 5, &r->pnum) != 0)
            return fail(eb, EG_EPARSE, "PNUM", "not a packet count", v, vn);
    } else if (key_is(k, kn, "PNO")) {
        r->pno_s = sv;
        if (small_uint(v, vn, 5, &r->pno) != 0)
            return fail(eb, EG_EPARSE, "PNO", "not a packet number", v, vn);
    } else {
        return add_pair(r->header_extra, &r->nheader_extra, r->max_header_extra, k, kn, v, vn, 0,
                        eb, "header");
    }
    return 0;
}

static int find_item(const struct hj212_record *r, const char *c, size_t cn)
{
    for (uint32_t i = r->nitems; i-- > 0;) {
        const struct hj212_item *it = &r->items[i];
        if (it->code.n == cn && it->code.p[0] == c[0] && memcmp(it->code.p, c, cn) == 0)
            return (int)i;
    }
    return -1;
}

static int add_item_field(struct hj212_record *r, const char *k, size_t kn, size_t dash,
                          const char *v, size_t vn, uint32_t *seq, struct eg_errbuf *eb)
{
    int ii = find_item(r, k, dash);
    if (ii < 0) {
        if (r->nitems >= r->max_items)
            return fail(eb, EG_ELIMIT, "CP", "too many items at", k, kn);
        ii = (int)r->nitems++;
        struct hj212_item *it = &r->items[ii];
        it->code.p = k;
        it->code.n = dash;
        it->mapped_2005 = false;
        it->code_2017 = hj212_code_2017(k, dash, &it->mapped_2005);
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
    parse_num(v, vn, &fl->num);
    struct hj212_item *it = &r->items[ii];
    if (it->last >= 0)
        r->fields[it->last].next = fi;
    else
        it->first = fi;
    it->last = fi;
    it->nfields++;
    return 0;
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
    if (key_is(k, kn, "DataTime"))
        return parse_time_param("DataTime", v, vn, &p->data_time, &p->data_time_v, eb);
    if (key_is(k, kn, "BeginTime"))
        return parse_time_param("BeginTime", v, vn, &p->begin_time, &p->begin_time_v, eb);
    if (key_is(k, kn, "EndTime"))
        return parse_time_param("EndTime", v, vn, &p->end_time, &p->end_time_v, eb);
    if (key_is(k, kn, "QnRtn")) {
        if (small_uint(v, vn, 3, &p->qn_rtn) != 0)
            return fail(eb, EG_EPARSE, "QnRtn", "not a reply code", v, vn);
    } else if (key_is(k, kn, "ExeRtn")) {
        if (small_uint(v, vn, 3, &p->exe_rtn) != 0)
            return fail(eb, EG_EPARSE, "ExeRtn", "not a result code", v, vn);
    } else if (key_is(k, kn, "QN")) {
        p->qn = sv;
    } else if (key_is(k, kn, "SystemTime")) {
        p->system_time = sv;
    } else if (key_is(k, kn, "PolId")) {
        p->pol_id = sv;
    } else if (key_is(k, kn, "InfoId")) {
        p->info_id = sv;
    }
    return 0;
}

static int parse_cp(struct hj212_record *r, const char *s, size_t n, struct eg_errbuf *eb)
{
    uint32_t seq = 0;
    size_t i = 0;
    while (i <= n) {
        /* one pass per entry: find its end, its first '=' and the first '-' of its key */
        size_t j = i, eqi = SIZE_MAX, dashi = SIZE_MAX;
        for (; j < n; j++) {
            char c = s[j];
            if (c == ';' || c == ',')
                break;
            if (c == '=' && eqi == SIZE_MAX)
                eqi = j;
            else if (c == '-' && eqi == SIZE_MAX && dashi == SIZE_MAX)
                dashi = j;
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
        if ((kn > 0 && (is_sp(k[0]) || is_sp(k[kn - 1]))) ||
            (vn > 0 && (is_sp(v[0]) || is_sp(v[vn - 1])))) {
            trim(&k, &kn);
            trim(&v, &vn);
        }
        if (kn == 0)
            return fail(eb, EG_EPARSE, "CP", "empty key", t, tn);
        int rc;
        size_t dash = dashi == SIZE_MAX ? 0 : (size_t)(s + dashi - k);
        if (dashi != SIZE_MAX && dash > 0 && dash + 1 < kn)
            rc = add_item_field(r, k, kn, dash, v, vn, &seq, eb);
        else
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
    while (i < n) {
        size_t j = i;
        const char *t = seg + i;
        if (n - i >= 3 && key_is(t, 2, "CP") && t[2] == '=') {
            cp = t + 3;
            break;
        }
        while (j < n && seg[j] != ';')
            j++;
        size_t tn = j - i;
        i = j + 1;
        trim(&t, &tn);
        if (tn == 0)
            continue;
        const char *eq = memchr(t, '=', tn);
        if (eq == NULL || eq == t)
            return fail(eb, EG_EPARSE, "header", "field without '='", t, tn);
        const char *k = t, *v = eq + 1;
        size_t kn = (size_t)(eq - t), vn = tn - kn - 1;
        trim(&k, &kn);
        trim(&v, &vn);
        if (key_is(k, kn, "CP")) {
            cp = v;
            break;
        }
        int rc = parse_header_field(r, k, kn, v, vn, eb);
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
static _Thread_local struct code_cache code_cache[64];

const char *hj212_code_2017(const char *code, size_t n, bool *ret_mapped)
{
    bool mapped = false;
    if (n == 0 || n > 7)
        return code_lookup(code, n, ret_mapped);
    uint64_t key = (uint64_t)n << 56;
    for (size_t i = 0; i < n; i++)
        key |= (uint64_t)(unsigned char)code[i] << (8 * i);
    struct code_cache *c = &code_cache[(key ^ (key >> 17) ^ (key >> 31)) & 63];
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
