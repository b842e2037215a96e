/* build.c — HJ 212 packet builder: replies (9011-9014) and downlinks (Table 9) into a caller
 * buffer.
 *
 * Output: "##" + 4-digit length + data segment + Appendix A CRC (4 upper-case hex, high byte
 * first) + CR LF (HJ 212-2017 §6.3 Table 2).  Header order as Table 3: QN;ST;CN;PW;MN;Flag;
 * [PNUM;PNO;]CP=&&…&&.  Every write is bounded by the caller's capacity; running out is
 * EG_ELIMIT, never an overflow.
 */
#include <string.h>

#include "hj212-int.h"

struct wr {
    char *p;
    size_t cap, len;
    bool over;
};

static void put(struct wr *w, const char *s, size_t n)
{
    if (w->over || n > w->cap - w->len) {
        w->over = true;
        return;
    }
    memcpy(w->p + w->len, s, n);
    w->len += n;
}

static void puts_(struct wr *w, const char *s)
{
    put(w, s, strlen(s));
}

static void put_int(struct wr *w, long v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    bool neg = v < 0;
    unsigned long u = neg ? 0UL - (unsigned long)v : (unsigned long)v;
    do {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (neg)
        tmp[--i] = '-';
    put(w, tmp + i, sizeof tmp - i);
}

static void put_kv(struct wr *w, const char *k, struct hj212_str v)
{
    puts_(w, k);
    put(w, "=", 1);
    put(w, v.p, v.n);
    put(w, ";", 1);
}

struct hj212_str hj212_s(const char *s)
{
    struct hj212_str v = {s, s ? strlen(s) : 0};
    return v;
}

void hj212_hdr_from_record(const struct hj212_record *r, struct hj212_hdr *ret)
{
    memset(ret, 0, sizeof *ret);
    ret->qn = r->qn;
    ret->st = r->st;
    ret->pw = r->pw;
    ret->mn = r->mn;
    ret->cn = r->cn_num;
    ret->flag = r->flag;
    ret->pnum = r->pnum;
    ret->pno = r->pno;
}

static void put_header(struct wr *w, const struct hj212_hdr *h)
{
    if (h->qn.p)
        put_kv(w, "QN", h->qn);
    put_kv(w, "ST", h->st);
    puts_(w, "CN=");
    char cn[4] = {(char)('0' + h->cn / 1000), (char)('0' + h->cn / 100 % 10),
                  (char)('0' + h->cn / 10 % 10), (char)('0' + h->cn % 10)};
    put(w, cn, 4);
    put(w, ";", 1);
    if (h->pw.p)
        put_kv(w, "PW", h->pw);
    if (h->mn.p)
        put_kv(w, "MN", h->mn);
    if (h->flag >= 0) {
        puts_(w, "Flag=");
        put_int(w, h->flag);
        put(w, ";", 1);
    }
    if (h->pnum > 0 && h->pno > 0) {
        puts_(w, "PNUM=");
        put_int(w, h->pnum);
        puts_(w, ";PNO=");
        put_int(w, h->pno);
        put(w, ";", 1);
    }
}

static int check_hdr(const struct hj212_hdr *h)
{
    if (h == NULL || h->st.p == NULL || h->cn < 0 || h->cn > 9999 || h->flag > 255)
        return EG_EINVAL;
    return 0;
}

/* Close a frame whose data segment is out[6..w->len): length, CRC, CR LF. */
static int finish(struct wr *w, hj212_crc_kind crc, size_t *ret_len)
{
    static const char hex[] = "0123456789ABCDEF";
    if (w->over)
        return EG_ELIMIT;
    size_t n = w->len - 6;
    if (n > HJ212_MAX_SEG)
        return EG_ELIMIT;
    w->p[0] = '#';
    w->p[1] = '#';
    w->p[2] = (char)('0' + n / 1000);
    w->p[3] = (char)('0' + n / 100 % 10);
    w->p[4] = (char)('0' + n / 10 % 10);
    w->p[5] = (char)('0' + n % 10);
    uint16_t c = hj212_crc_of(crc, w->p + 6, n);
    char tail[6] = {hex[c >> 12], hex[(c >> 8) & 15], hex[(c >> 4) & 15], hex[c & 15], '\r', '\n'};
    put(w, tail, 6);
    if (w->over)
        return EG_ELIMIT;
    if (w->len < w->cap)
        w->p[w->len] = '\0';
    *ret_len = w->len;
    return 0;
}

static int begin(struct wr *w, char *out, size_t cap, const struct hj212_hdr *h)
{
    if (out == NULL || check_hdr(h) != 0)
        return EG_EINVAL;
    w->p = out;
    w->cap = cap;
    w->len = 0;
    w->over = cap < 6;
    if (!w->over)
        w->len = 6;
    put_header(w, h);
    puts_(w, "CP=&&");
    return 0;
}

int hj212_build_raw(char *out, size_t cap, const struct hj212_hdr *h, const char *cp, size_t cp_len,
                    hj212_crc_kind crc, size_t *ret_len)
{
    struct wr w;
    int rc = begin(&w, out, cap, h);
    if (rc)
        return rc;
    if (cp_len > 0 && cp == NULL)
        return EG_EINVAL;
    put(&w, cp, cp_len);
    put(&w, "&&", 2);
    return finish(&w, crc, ret_len);
}

int hj212_build_cmd(char *out, size_t cap, const struct hj212_hdr *h, const struct hj212_kvc *kv,
                    size_t nkv, size_t *ret_len)
{
    struct wr w;
    int rc = begin(&w, out, cap, h);
    if (rc)
        return rc;
    for (size_t i = 0; i < nkv; i++) {
        if (kv[i].key == NULL || kv[i].value == NULL)
            return EG_EINVAL;
        if (i > 0)
            put(&w, ";", 1);
        puts_(&w, kv[i].key);
        put(&w, "=", 1);
        puts_(&w, kv[i].value);
    }
    put(&w, "&&", 2);
    return finish(&w, HJ212_CRC_STD, ret_len);
}

static void reply_hdr(const struct hj212_record *req, int cn, struct hj212_hdr *h)
{
    memset(h, 0, sizeof *h);
    h->qn = req->qn_effective;
    h->st = hj212_s("91");
    h->cn = cn;
    h->pw = req->pw;
    h->mn = req->mn;
    h->flag = 4;
}

static int reply_code(char *out, size_t cap, const struct hj212_record *req, int cn,
                      const char *key, int code, size_t *ret_len)
{
    if (req == NULL || code < 0 || code > 999)
        return EG_EINVAL;
    struct hj212_hdr h;
    reply_hdr(req, cn, &h);
    char num[4];
    size_t k = 0;
    if (code >= 100)
        num[k++] = (char)('0' + code / 100);
    if (code >= 10)
        num[k++] = (char)('0' + code / 10 % 10);
    num[k++] = (char)('0' + code % 10);
    num[k] = '\0';
    struct hj212_kvc kv = {key, num};
    return hj212_build_cmd(out, cap, &h, &kv, 1, ret_len);
}

int hj212_build_qn_rtn(char *out, size_t cap, const struct hj212_record *req, int qn_rtn,
                       size_t *ret_len)
{
    return reply_code(out, cap, req, 9011, "QnRtn", qn_rtn, ret_len);
}

int hj212_build_exe_rtn(char *out, size_t cap, const struct hj212_record *req, int exe_rtn,
                        size_t *ret_len)
{
    return reply_code(out, cap, req, 9012, "ExeRtn", exe_rtn, ret_len);
}

int hj212_build_notify_ack(char *out, size_t cap, const struct hj212_record *req, size_t *ret_len)
{
    if (req == NULL)
        return EG_EINVAL;
    struct hj212_hdr h;
    reply_hdr(req, 9013, &h);
    return hj212_build_cmd(out, cap, &h, NULL, 0, ret_len);
}

int hj212_build_data_ack(char *out, size_t cap, const struct hj212_record *req, size_t *ret_len)
{
    if (req == NULL)
        return EG_EINVAL;
    struct hj212_hdr h;
    reply_hdr(req, 9014, &h);
    return hj212_build_cmd(out, cap, &h, NULL, 0, ret_len);
}

/* Decimal text of a small non-negative int into tmp[12]. */
static const char *itoa12(int v, char tmp[12])
{
    char r[12];
    size_t i = 0, k = 0;
    unsigned u = v < 0 ? 0u : (unsigned)v;
    do {
        r[i++] = (char)('0' + u % 10);
        u /= 10;
    } while (u && i < 11);
    while (i)
        tmp[k++] = r[--i];
    tmp[k] = '\0';
    return tmp;
}

int hj212_build_set_timeout(char *out, size_t cap, struct hj212_hdr h, int overtime, int recount,
                            size_t *ret_len)
{
    if (overtime <= 0 || overtime > 99 || recount <= 0 || recount > 99)
        return EG_EINVAL;
    char a[12], b[12];
    struct hj212_kvc kv[2] = {{"OverTime", itoa12(overtime, a)}, {"ReCount", itoa12(recount, b)}};
    h.cn = 1000;
    return hj212_build_cmd(out, cap, &h, kv, 2, ret_len);
}

int hj212_build_get_time(char *out, size_t cap, struct hj212_hdr h, const char *pol_id,
                         size_t *ret_len)
{
    struct hj212_kvc kv = {"PolId", pol_id};
    h.cn = 1011;
    return hj212_build_cmd(out, cap, &h, &kv, pol_id ? 1 : 0, ret_len);
}

int hj212_build_set_time(char *out, size_t cap, struct hj212_hdr h, const char *pol_id,
                         const char *system_time, size_t *ret_len)
{
    struct hj212_time t;
    if (system_time == NULL || strlen(system_time) != 14 ||
        hj212_time_parse(system_time, 14, &t) != 0)
        return EG_EINVAL;
    struct hj212_kvc kv[2] = {{"PolId", pol_id}, {"SystemTime", system_time}};
    h.cn = 1012;
    return pol_id ? hj212_build_cmd(out, cap, &h, kv, 2, ret_len)
                  : hj212_build_cmd(out, cap, &h, kv + 1, 1, ret_len);
}

int hj212_build_get(char *out, size_t cap, struct hj212_hdr h, int cn, size_t *ret_len)
{
    h.cn = cn;
    return hj212_build_cmd(out, cap, &h, NULL, 0, ret_len);
}

int hj212_build_set_rtd_interval(char *out, size_t cap, struct hj212_hdr h, int seconds,
                                 size_t *ret_len)
{
    if (seconds < 30 || seconds > 3600) /* Table 4: RtdInterval 30-3600 s */
        return EG_EINVAL;
    char a[12];
    struct hj212_kvc kv = {"RtdInterval", itoa12(seconds, a)};
    h.cn = 1062;
    return hj212_build_cmd(out, cap, &h, &kv, 1, ret_len);
}

int hj212_build_set_min_interval(char *out, size_t cap, struct hj212_hdr h, int minutes,
                                 size_t *ret_len)
{
    /* Table 4: MinInterval one of 1/2/3/4/5/6/10/12/15/20/30 min (divisors of 60 up to 30). */
    if (minutes < 1 || minutes > 30 || 60 % minutes != 0)
        return EG_EINVAL;
    char a[12];
    struct hj212_kvc kv = {"MinInterval", itoa12(minutes, a)};
    h.cn = 1064;
    return hj212_build_cmd(out, cap, &h, &kv, 1, ret_len);
}

int hj212_build_set_password(char *out, size_t cap, struct hj212_hdr h, const char *new_pw,
                             size_t *ret_len)
{
    if (new_pw == NULL || strlen(new_pw) != 6 || strpbrk(new_pw, ";,=&") != NULL)
        return EG_EINVAL;
    struct hj212_kvc kv = {"NewPW", new_pw};
    h.cn = 1072;
    return hj212_build_cmd(out, cap, &h, &kv, 1, ret_len);
}

int hj212_build_notify(char *out, size_t cap, struct hj212_hdr h, int cn, size_t *ret_len)
{
    if (cn != 2011 && cn != 2012 && cn != 2021 && cn != 2022)
        return EG_EINVAL;
    h.cn = cn;
    return hj212_build_cmd(out, cap, &h, NULL, 0, ret_len);
}

int hj212_build_history(char *out, size_t cap, struct hj212_hdr h, int cn, const char *begin_time,
                        const char *end_time, size_t *ret_len)
{
    struct hj212_time t;
    if (cn != 2031 && cn != 2041 && cn != 2051 && cn != 2061)
        return EG_EINVAL;
    if (begin_time == NULL || end_time == NULL || strlen(begin_time) != 14 ||
        strlen(end_time) != 14 || hj212_time_parse(begin_time, 14, &t) != 0 ||
        hj212_time_parse(end_time, 14, &t) != 0 || strcmp(begin_time, end_time) > 0)
        return EG_EINVAL;
    struct hj212_kvc kv[2] = {{"BeginTime", begin_time}, {"EndTime", end_time}};
    h.cn = cn;
    return hj212_build_cmd(out, cap, &h, kv, 2, ret_len);
}

int hj212_build_control(char *out, size_t cap, struct hj212_hdr h, int cn, const char *pol_id,
                        size_t *ret_len)
{
    if (cn < 3011 || cn > 3021 || pol_id == NULL)
        return EG_EINVAL;
    struct hj212_kvc kv = {"PolId", pol_id};
    h.cn = cn;
    return hj212_build_cmd(out, cap, &h, &kv, 1, ret_len);
}

int hj212_build_record(char *out, size_t cap, const struct hj212_record *r, size_t *ret_len)
{
    struct hj212_hdr h;
    if (r == NULL || out == NULL)
        return EG_EINVAL;
    hj212_hdr_from_record(r, &h);
    if (check_hdr(&h) != 0)
        return EG_EINVAL;
    struct wr w = {out, cap, 0, cap < 6};
    if (!w.over)
        w.len = 6;
    put_header(&w, &h);
    for (uint32_t i = 0; i < r->nheader_extra; i++) {
        put(&w, r->header_extra[i].key.p, r->header_extra[i].key.n);
        put(&w, "=", 1);
        put(&w, r->header_extra[i].value.p, r->header_extra[i].value.n);
        put(&w, ";", 1);
    }
    puts_(&w, "CP=&&");
    uint32_t pi = 0, ii = 0;
    bool first = true;
    while (pi < r->nparams || ii < r->nitems) {
        bool take_param =
            ii >= r->nitems || (pi < r->nparams && r->params[pi].seq < r->items[ii].seq);
        if (!first)
            put(&w, ";", 1);
        first = false;
        if (take_param) {
            const struct hj212_pair *p = &r->params[pi++];
            put(&w, p->key.p, p->key.n);
            put(&w, "=", 1);
            put(&w, p->value.p, p->value.n);
        } else {
            const struct hj212_item *it = &r->items[ii++];
            for (int32_t f = it->first; f >= 0; f = r->fields[f].next) {
                const struct hj212_field *fl = &r->fields[f];
                if (f != it->first)
                    put(&w, ",", 1);
                put(&w, it->code.p, it->code.n);
                put(&w, "-", 1);
                put(&w, fl->name.p, fl->name.n);
                put(&w, "=", 1);
                put(&w, fl->value.p, fl->value.n);
            }
        }
    }
    put(&w, "&&", 2);
    return finish(&w, HJ212_CRC_STD, ret_len);
}
