/* test_hj212.c — cmocka tests of the HJ 212 codec (src/hj212).
 *
 * Proofs: the 63 annotated sample packets (54 valid / 9 invalid) and the Appendix C round trips;
 * the real 2016 capture (190,366 valid frames, 70 + 12 + 1 broken, 14 stray lines, CN counts);
 * frames cut at every byte boundary and glued with garbage; builders, CRC vectors, limits and
 * malformed input.  Test data: tests/data/hj212 (HJ212_DATA_DIR).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "common/eg_buf.h"
#include "common/eg_mem.h"
#include "hj212/hj212.h"

#ifndef HJ212_DATA_DIR
#define HJ212_DATA_DIR "tests/data/hj212"
#endif

/* ---- helpers ------------------------------------------------------------------------------- */

enum { T_ITEMS = 128, T_FIELDS = 1024, T_PAIRS = 64 };
static struct hj212_item t_items[T_ITEMS];
static struct hj212_field t_fields[T_FIELDS];
static struct hj212_pair t_params[T_PAIRS], t_extra[T_PAIRS];

static void rec_init(struct hj212_record *r)
{
    hj212_record_init(r, t_extra, T_PAIRS, t_params, T_PAIRS, t_items, T_ITEMS, t_fields, T_FIELDS);
}

static _Alignas(max_align_t) char t_mem[HJ212_MAX_FRAME + 4096];

static struct hj212_framer *new_framer(const struct hj212_framer_opts *o)
{
    struct hj212_framer *f = NULL;
    assert_int_equal(hj212_framer_init(t_mem, sizeof t_mem, o, &f), 0);
    return f;
}

static uint16_t crc_bitwise(const char *p, size_t n)
{
    unsigned r = 0xFFFF;
    for (size_t i = 0; i < n; i++) {
        r = (r >> 8) ^ (unsigned char)p[i];
        for (int k = 0; k < 8; k++) {
            unsigned lsb = r & 1u;
            r >>= 1;
            if (lsb)
                r ^= 0xA001u;
        }
    }
    return (uint16_t)r;
}

static char *read_text(const char *name, size_t *ret_len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", HJ212_DATA_DIR, name);
    char *p = NULL;
    assert_int_equal(eg_file_read(path, 64u << 20, &p, ret_len, NULL), 0);
    return p;
}

static char *read_gz(const char *path, size_t *ret_len)
{
    gzFile g = gzopen(path, "rb");
    assert_non_null(g);
    size_t cap = 4u << 20, len = 0;
    char *p = eg_malloc(cap);
    assert_non_null(p);
    for (;;) {
        if (cap - len < 65536) {
            cap *= 2;
            p = eg_realloc(p, cap);
            assert_non_null(p);
        }
        int k = gzread(g, p + len, 65536);
        assert_true(k >= 0);
        if (k == 0)
            break;
        len += (size_t)k;
    }
    gzclose(g);
    *ret_len = len;
    return p;
}

struct sample {
    const char *pkt;
    size_t len;
    int valid;
    const char *comment;
};

/* Split the samples file into packets (in place); returns the count. */
static size_t load_samples(char *text, struct sample *out, size_t max)
{
    size_t n = 0;
    const char *comment = NULL;
    char *save = text;
    while (*save) {
        char *line = save;
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
            save = nl + 1;
        } else {
            save = line + strlen(line);
        }
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r')
            line[--ll] = '\0';
        if (strncmp(line, "# source:", 9) == 0) {
            comment = line;
        } else if (strncmp(line, "##", 2) == 0 && n < max) {
            assert_non_null(comment);
            out[n].pkt = line;
            out[n].len = ll;
            out[n].valid = strstr(comment, "| CRC valid") != NULL;
            out[n].comment = comment;
            n++;
            comment = NULL;
        }
    }
    return n;
}

/* Frame one packet (+ CR LF) alone; returns 1 if exactly one frame and nothing else came out. */
static int frame_alone(const char *pkt, size_t len, struct hj212_event *ret_ev, char *wire)
{
    memcpy(wire, pkt, len);
    wire[len] = '\r';
    wire[len + 1] = '\n';
    struct hj212_framer *f = new_framer(NULL);
    assert_int_equal(hj212_framer_push(f, wire, len + 2), 0);
    hj212_framer_finish(f);
    struct hj212_event ev;
    int frames = 0, other = 0;
    while (hj212_framer_next(f, &ev) == 1) {
        if (ev.kind == HJ212_EV_FRAME) {
            frames++;
            *ret_ev = ev;
        } else {
            other++;
        }
    }
    return frames == 1 && other == 0;
}

/* ---- CRC ---------------------------------------------------------------------------------------
 */

static void test_crc_vectors(void **state)
{
    (void)state;
    const char *a = "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;"
                    "Flag=5;CP=&&RtdInterval=30&&";
    assert_int_equal(strlen(a), 101);
    assert_int_equal(hj212_crc(a, strlen(a)), 0x1C80);
    assert_int_equal(hj212_crc_modbus(a, strlen(a)), 0x0759);
    assert_int_equal(hj212_crc("123456789", 9), 0x2F80);
    assert_int_equal(hj212_crc_modbus("123456789", 9), 0x4B37);
    assert_int_equal(hj212_crc_of(HJ212_CRC_MODBUS_SWAPPED, "123456789", 9), 0x374B);
    assert_int_equal(hj212_crc("", 0), 0xFFFF);
    /* slicing-by-8 and the interleaved form against the Appendix A bit loop */
    char buf[300];
    unsigned seed = 12345;
    for (int t = 0; t < 2000; t++) {
        size_t n = (size_t)(t % 300);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = (char)(seed >> 16);
        }
        assert_int_equal(hj212_crc(buf, n), crc_bitwise(buf, n));
    }
    const void *ptrs[9];
    size_t lens[9];
    uint16_t out[9];
    for (int i = 0; i < 9; i++) {
        ptrs[i] = buf + i * 3;
        lens[i] = (size_t)(i * 29 % 200);
    }
    hj212_crc_multi(ptrs, lens, 9, out);
    for (int i = 0; i < 9; i++)
        assert_int_equal(out[i], crc_bitwise(ptrs[i], lens[i]));
}

/* ---- samples -----------------------------------------------------------------------------------
 */

static void test_samples_verdicts(void **state)
{
    (void)state;
    size_t len;
    char *text = read_text("hj212-samples.txt", &len);
    struct sample s[80];
    size_t n = load_samples(text, s, 80);
    assert_int_equal(n, 63);
    static char wire[HJ212_MAX_FRAME + 8];
    int valid = 0, invalid = 0;
    struct hj212_record r;
    rec_init(&r);
    for (size_t i = 0; i < n; i++) {
        struct hj212_event ev;
        int ok = frame_alone(s[i].pkt, s[i].len, &ev, wire);
        if (ok != s[i].valid)
            fail_msg("verdict differs for sample %zu: %s", i, s[i].comment);
        if (ok) {
            valid++;
            struct eg_errbuf eb;
            eg_errbuf_clear(&eb);
            if (hj212_parse(ev.seg, ev.seg_len, &r, &eb) != 0)
                fail_msg("sample %zu does not parse: %s: %s", i, eb.field, eb.msg);
        } else {
            invalid++;
        }
    }
    assert_int_equal(valid, 54);
    assert_int_equal(invalid, 9);
    eg_free(text);
}

static void test_samples_2005_header(void **state)
{
    (void)state;
    const char *seg = "ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817000;"
                      "B01-Rtd=36.91;011-Rtd=231.0,011-Flag=N;060-Rtd=1.803,060-Flag=N&&";
    struct hj212_record r;
    rec_init(&r);
    assert_int_equal(hj212_parse(seg, strlen(seg), &r, NULL), 0);
    assert_null(r.qn.p);
    assert_int_equal(r.flag, -1);
    assert_true(r.header_2005);
    assert_int_equal(r.version, HJ212_V2005);
    assert_int_equal(r.cn_num, 2011);
    assert_int_equal(r.st.n, 2);
    assert_memory_equal(r.st.p, "32", 2);
    assert_true(r.p.data_time_v.ok);
    assert_int_equal(r.p.data_time_v.digits, 17);
    assert_int_equal(r.p.data_time_v.year, 2016);
    assert_int_equal(r.p.data_time_v.hour, 0);
    assert_int_equal(r.p.data_time_v.minute, 38);
    assert_int_equal(r.p.data_time_v.second, 17);
    assert_int_equal(r.nitems, 3);
    assert_string_equal(r.items[0].code_2017, "w00000"); /* B01 */
    assert_true(r.items[0].mapped_2005);
    assert_string_equal(r.items[1].code_2017, "w01018"); /* 011 COD */
    assert_string_equal(r.items[2].code_2017, "w21003"); /* 060 NH3-N */
    const struct hj212_field *f = &r.fields[r.items[1].first];
    assert_memory_equal(f->name.p, "Rtd", 3);
    struct hj212_num fv = hj212_field_num(f);
    assert_true(fv.ok);
    assert_int_equal(fv.num, 2310);
    assert_int_equal(fv.scale, 1);
    /* 2005 reply: QN inside CP */
    const char *q = "ST=91;CN=9011;PW=123456;MN=LD130107000188;Flag=0;CP=&&QN=20160824000504006;"
                    "QnRtn=1&&";
    assert_int_equal(hj212_parse(q, strlen(q), &r, NULL), 0);
    assert_int_equal(r.p.qn_rtn, 1);
    assert_memory_equal(r.qn_effective.p, "20160824000504006", 17);
    assert_int_equal(r.version, HJ212_V2005);
}

/* Appendix C packets rebuilt with the builder from the parsed record, byte for byte. */
static void test_appendix_c_roundtrip(void **state)
{
    (void)state;
    size_t len;
    char *text = read_text("hj212-samples.txt", &len);
    struct sample s[80];
    size_t n = load_samples(text, s, 80);
    static char wire[HJ212_MAX_FRAME + 8], out[HJ212_MAX_FRAME + 8], expect[HJ212_MAX_FRAME + 8];
    struct hj212_record r;
    rec_init(&r);
    int done = 0;
    for (size_t i = 0; i < n; i++) {
        if (!strstr(s[i].comment, "Appendix C") && !strstr(s[i].comment, "Appendix A"))
            continue;
        struct hj212_event ev;
        assert_true(frame_alone(s[i].pkt, s[i].len, &ev, wire));
        assert_int_equal(hj212_parse(ev.seg, ev.seg_len, &r, NULL), 0);
        struct hj212_hdr h;
        hj212_hdr_from_record(&r, &h);
        size_t olen = 0;
        int rc;
        switch (r.cn_num) {
        case 9011:
            rc = hj212_build_qn_rtn(out, sizeof out, &r, r.p.qn_rtn, &olen);
            break;
        case 9012:
            rc = hj212_build_exe_rtn(out, sizeof out, &r, r.p.exe_rtn, &olen);
            break;
        case 9013:
            rc = hj212_build_notify_ack(out, sizeof out, &r, &olen);
            break;
        case 9014:
            rc = hj212_build_data_ack(out, sizeof out, &r, &olen);
            break;
        case 1000:
            rc = hj212_build_set_timeout(out, sizeof out, h, 5, 3, &olen);
            break;
        case 1011: {
            char pol[16];
            snprintf(pol, sizeof pol, "%.*s", (int)r.p.pol_id.n, r.p.pol_id.p);
            rc = hj212_build_get_time(out, sizeof out, h, pol, &olen);
            break;
        }
        case 1061:
            rc = hj212_build_get(out, sizeof out, h, 1061, &olen);
            break;
        case 1062:
            rc = hj212_build_set_rtd_interval(out, sizeof out, h, 30, &olen);
            break;
        default:
            if (r.p.begin_time.p != NULL) {
                char b[20], e[20];
                snprintf(b, sizeof b, "%.*s", (int)r.p.begin_time.n, r.p.begin_time.p);
                snprintf(e, sizeof e, "%.*s", (int)r.p.end_time.n, r.p.end_time.p);
                rc = hj212_build_history(out, sizeof out, h, r.cn_num, b, e, &olen);
            } else {
                rc = hj212_build_record(out, sizeof out, &r, &olen);
            }
            break;
        }
        assert_int_equal(rc, 0);
        size_t elen = ev.len;
        memcpy(expect, ev.data, elen);
        if (r.cn_num == 9013) {
            /* C.4 prints "CP=&& &&"; the builder writes the canonical "CP=&&&&" (no space). */
            const char *canon = "##0087QN=20160801085857223;ST=91;CN=9013;PW=123456;"
                                "MN=010000A8900016F000169DC0;Flag=4;CP=&&&&";
            uint16_t c = hj212_crc(canon + 6, strlen(canon) - 6);
            elen = (size_t)snprintf(expect, sizeof expect, "%s%04X\r\n", canon, c);
        }
        if (olen != elen || memcmp(out, expect, elen) != 0)
            fail_msg("round trip differs for %s\n got %.*s\nwant %.*s", s[i].comment, (int)olen,
                     out, (int)elen, expect);
        done++;
    }
    assert_int_equal(done, 19); /* Appendix A + 18 Appendix C packets */
    eg_free(text);
}

/* ---- the real capture --------------------------------------------------------------------------
 */

struct cn_count {
    int cn;
    long n;
};

static void cn_add(struct cn_count *t, size_t *nt, int cn)
{
    for (size_t i = 0; i < *nt; i++)
        if (t[i].cn == cn) {
            t[i].n++;
            return;
        }
    t[*nt].cn = cn;
    t[*nt].n = 1;
    (*nt)++;
}

static long cn_get(const struct cn_count *t, size_t nt, int cn)
{
    for (size_t i = 0; i < nt; i++)
        if (t[i].cn == cn)
            return t[i].n;
    return 0;
}

static int cn_of_segment(const char *seg, size_t n)
{
    struct hj212_str v;
    if (hj212_peek_field(seg, n, "CN", &v) != 0 || v.n != 4)
        return -1;
    int cn = 0;
    for (size_t i = 0; i < 4; i++) {
        if (v.p[i] < '0' || v.p[i] > '9')
            return -1;
        cn = cn * 10 + (v.p[i] - '0');
    }
    return cn;
}

static void test_capture(void **state)
{
    (void)state;
    static const int hours[] = {0,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13,
                                14, 15, 16, 17, 18, 19, 20, 21, 22, 23};
    long valid = 0, lenmis = 0, badlen = 0, crcbad = 0, stray_lines = 0, other = 0, parsed = 0;
    long fixed = 0, dt17 = 0, dt14 = 0, dt15 = 0, dt13 = 0, no_flag = 0, no_qn = 0;
    struct cn_count cn_valid[64], cn_all[64];
    size_t ncv = 0, nca = 0;
    long cn_all_none = 0;
    struct hj212_record r;
    rec_init(&r);
    struct hj212_framer_opts o = {.lenient_length = true};
    for (size_t h = 0; h < sizeof hours / sizeof hours[0]; h++) {
        char path[512];
        snprintf(path, sizeof path, "%s/xiaoyao_2016-08-24_%02d.h212.gz", HJ212_DATA_DIR, hours[h]);
        size_t n;
        char *d = read_gz(path, &n);
        struct hj212_framer *f = new_framer(&o);
        /* one continuous stream, fed in uneven chunks */
        size_t pos = 0, chunk = 1000;
        struct hj212_event ev;
        for (;;) {
            if (pos < n) {
                size_t k = n - pos < chunk ? n - pos : chunk;
                assert_int_equal(hj212_framer_push(f, d + pos, k), 0);
                pos += k;
                chunk = chunk * 7 % 4093 + 1;
            } else {
                hj212_framer_finish(f);
            }
            while (hj212_framer_next(f, &ev) == 1) {
                if (ev.kind == HJ212_EV_FRAME) {
                    valid++;
                    if (ev.flags & HJ212_FRAME_LENGTH_FIXED)
                        fixed++;
                    struct eg_errbuf eb;
                    eg_errbuf_clear(&eb);
                    if (hj212_parse(ev.seg, ev.seg_len, &r, &eb) != 0)
                        fail_msg("valid frame at %llu does not parse: %s: %s",
                                 (unsigned long long)ev.offset, eb.field, eb.msg);
                    parsed++;
                    cn_add(cn_valid, &ncv, r.cn_num);
                    cn_add(cn_all, &nca, r.cn_num);
                    if (r.flag < 0)
                        no_flag++;
                    if (r.qn.p == NULL)
                        no_qn++;
                    switch (r.p.data_time_v.digits) {
                    case 17:
                        dt17++;
                        break;
                    case 14:
                        dt14++;
                        break;
                    case 15:
                        dt15++;
                        break;
                    case 13:
                        dt13++;
                        break;
                    default:
                        break;
                    }
                } else if (ev.kind == HJ212_EV_REJECT) {
                    if (ev.reason == HJ212_REJ_BAD_LENGTH) {
                        badlen++;
                        continue;
                    }
                    if (ev.reason == HJ212_REJ_LENGTH_MISMATCH)
                        lenmis++;
                    else if (ev.reason == HJ212_REJ_CRC)
                        crcbad++;
                    else
                        other++;
                    /* Line context for the statistics only: the broken frame's line. */
                    const char *ls = d + ev.offset;
                    const char *le = memchr(ls, '\n', n - ev.offset);
                    size_t ln = le ? (size_t)(le - ls) : n - ev.offset;
                    int cn = ln > 6 ? cn_of_segment(ls + 6, ln - 6) : -1;
                    if (cn < 0)
                        cn_all_none++;
                    else
                        cn_add(cn_all, &nca, cn);
                } else {
                    /* stray lines: line starts that fall into stray runs */
                    size_t a = (size_t)ev.offset, b = a + ev.len;
                    for (size_t k = a; k < b; k++)
                        if (k == 0 || d[k - 1] == '\n')
                            stray_lines++;
                }
            }
            if (pos >= n)
                break;
        }
        eg_free(d);
    }
    assert_int_equal(valid, 190366);
    assert_int_equal(fixed, 1); /* the 13-digit DataTime frame: CRC right, length field off by 4 */
    assert_int_equal(lenmis, 70);
    assert_int_equal(badlen, 12);
    assert_int_equal(crcbad, 1);
    assert_int_equal(lenmis + badlen + crcbad, 83);
    assert_int_equal(other, 0);
    assert_int_equal(stray_lines, 14);
    assert_int_equal(parsed, 190366);
    /* DataTime digits (data/README.md: 17: 115,722 · 14: 63,316 · 15: 2 · 13: 1 over all frames) */
    print_message("capture: DataTime digits 17:%ld 14:%ld 15:%ld 13:%ld; no Flag %ld, no QN %ld\n",
                  dt17, dt14, dt15, dt13, no_flag, no_qn);
    assert_int_equal(dt13, 1);
    /* CN counts over the 190,437 frames with a numeric length field (data/README.md §3) */
    assert_int_equal(cn_get(cn_all, nca, 2011), 97021);
    assert_int_equal(cn_get(cn_all, nca, 2051), 37952);
    assert_int_equal(cn_get(cn_all, nca, 2021), 21586);
    assert_int_equal(cn_get(cn_all, nca, 9015), 15720);
    assert_int_equal(cn_get(cn_all, nca, 8013), 9616);
    assert_int_equal(cn_get(cn_all, nca, 2061), 6407);
    assert_int_equal(cn_get(cn_all, nca, 2072), 1018);
    assert_int_equal(cn_get(cn_all, nca, 2031), 327);
    assert_int_equal(cn_get(cn_all, nca, 9011), 280);
    assert_int_equal(cn_get(cn_all, nca, 9012), 279);
    assert_int_equal(cn_get(cn_all, nca, 1013), 200);
    assert_int_equal(cn_get(cn_all, nca, 2073), 26);
    assert_int_equal(cn_all_none, 5);
    /* and over the valid frames alone (parsed by hj212_parse) */
    assert_int_equal(cn_get(cn_valid, ncv, 2011), 96977);
    assert_int_equal(cn_get(cn_valid, ncv, 2051), 37937);
    assert_int_equal(cn_get(cn_valid, ncv, 2021), 21586);
    assert_int_equal(cn_get(cn_valid, ncv, 9015), 15718);
    assert_int_equal(cn_get(cn_valid, ncv, 8013), 9616);
    assert_int_equal(cn_get(cn_valid, ncv, 2061), 6403);
    assert_int_equal(cn_get(cn_valid, ncv, 2072), 1018);
    assert_int_equal(cn_get(cn_valid, ncv, 2031), 327);
    assert_int_equal(cn_get(cn_valid, ncv, 9011), 280);
    assert_int_equal(cn_get(cn_valid, ncv, 9012), 278);
    assert_int_equal(cn_get(cn_valid, ncv, 1013), 200);
    assert_int_equal(cn_get(cn_valid, ncv, 2073), 26);
}

/* Strict mode (default options): the 13-digit-DataTime frame becomes a length mismatch. */
static void test_capture_strict_summary(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/xiaoyao_2016-08-24_10.h212.gz", HJ212_DATA_DIR);
    size_t n;
    char *d = read_gz(path, &n);
    struct hj212_summary s;
    assert_int_equal(hj212_summarize(d, n, NULL, t_mem, sizeof t_mem, &s), 0);
    assert_int_equal(s.framing.frames, 9128 - 1);
    assert_int_equal(s.parsed, 9127);
    assert_int_equal(s.parse_failed, 0);
    assert_int_equal(s.framing.rejects[HJ212_REJ_LENGTH_MISMATCH] +
                         s.framing.rejects[HJ212_REJ_BAD_LENGTH] + s.framing.rejects[HJ212_REJ_CRC],
                     5 + 1);
    eg_free(d);
}

/* ---- chunking
 * ------------------------------------------------------------------------------------ */

static void test_every_split(void **state)
{
    (void)state;
    const char *frames[] = {
        "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
        "CP=&&RtdInterval=30&&1C80\r\n",
        "##0087QN=20160801085857534;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
        "CP=&&&&5B40\r\n",
        "##0073ST=32;CN=8013;PW=123456;MN=ZG130182201205;Flag=0;CP=&&HeartbeatTime=120&&0500\r\n",
    };
    const char *garbage[] = {"",
                             "#",
                             "##",
                             "##00",
                             "##test13912345678\0\n",
                             "2BC0\r\n",
                             "##0087QN=broken&&0000\r\n",
                             "\0\xff##9ST=31;"};
    const size_t glen[] = {0, 1, 2, 4, 19, 6, 23, 11};
    static char stream[4096];
    size_t n = 0;
    size_t nframes = 0;
    for (size_t rep = 0; rep < 3; rep++)
        for (size_t i = 0; i < 3; i++) {
            size_t g = (rep * 3 + i) % 8;
            memcpy(stream + n, garbage[g], glen[g]);
            n += glen[g];
            size_t fl = strlen(frames[i]);
            memcpy(stream + n, frames[i], fl);
            n += fl;
            nframes++;
        }
    /* a frame glued directly after a damaged one */
    memcpy(stream + n, "##0200QN=", 9);
    n += 9;
    memcpy(stream + n, frames[0], strlen(frames[0]));
    n += strlen(frames[0]);
    nframes++;
    for (size_t cut1 = 0; cut1 <= n; cut1++) {
        size_t cut2 = (cut1 * 37) % (n + 1);
        size_t a = cut1 < cut2 ? cut1 : cut2, b = cut1 < cut2 ? cut2 : cut1;
        size_t cuts[4] = {0, a, b, n};
        struct hj212_framer *f = new_framer(NULL);
        size_t got = 0, bytes = 0;
        struct hj212_event ev;
        for (int c = 0; c < 3; c++) {
            assert_int_equal(hj212_framer_push(f, stream + cuts[c], cuts[c + 1] - cuts[c]), 0);
            while (hj212_framer_next(f, &ev) == 1) {
                if (ev.kind == HJ212_EV_FRAME) {
                    got++;
                    /* the event must hold the exact bytes at its offset */
                    assert_memory_equal(ev.data, stream + ev.offset, ev.len);
                }
                bytes += ev.len;
            }
        }
        hj212_framer_finish(f);
        while (hj212_framer_next(f, &ev) == 1) {
            if (ev.kind == HJ212_EV_FRAME)
                got++;
            bytes += ev.len;
        }
        if (got != nframes)
            fail_msg("cut at %zu/%zu: %zu frames, want %zu", a, b, got, nframes);
        assert_int_equal(bytes, n); /* every byte accounted for exactly once */
    }
    /* byte by byte */
    struct hj212_framer *f = new_framer(NULL);
    size_t got = 0;
    struct hj212_event ev;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(hj212_framer_push(f, stream + i, 1), 0);
        while (hj212_framer_next(f, &ev) == 1) {
            got += ev.kind == HJ212_EV_FRAME;
        }
    }
    /* the frame behind "##0200" waits until 212 bytes or the end of the stream decide */
    assert_int_equal(got, nframes - 1);
    hj212_framer_finish(f);
    while (hj212_framer_next(f, &ev) == 1)
        got += ev.kind == HJ212_EV_FRAME;
    assert_int_equal(got, nframes);
    assert_int_equal(hj212_framer_push(f, NULL, 0), EG_ESTATE);
}

static void test_framer_limits(void **state)
{
    (void)state;
    struct hj212_framer_opts o = {.max_seg = 100};
    struct hj212_framer *f = new_framer(&o);
    const char *big = "##0120QN=20160801085857223;ST=32;CN=1062;PW=100000;"
                      "MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n";
    assert_int_equal(hj212_framer_push(f, big, strlen(big)), 0);
    struct hj212_event ev;
    assert_int_equal(hj212_framer_next(f, &ev), 1);
    assert_int_equal(ev.kind, HJ212_EV_REJECT);
    assert_int_equal(ev.reason, HJ212_REJ_OVERSIZE);
    /* pushing before draining is a state error */
    assert_int_equal(hj212_framer_push(f, big, 4), EG_ESTATE);
    /* memory too small / cap too large */
    struct hj212_framer *g;
    assert_int_equal(hj212_framer_init(t_mem, 64, NULL, &g), EG_EINVAL);
    struct hj212_framer_opts o2 = {.max_seg = 10000};
    assert_int_equal(hj212_framer_init(t_mem, sizeof t_mem, &o2, &g), EG_EINVAL);
    /* frames over 1024 bytes are counted, not dropped */
    static char wire[2100];
    static char seg[1600];
    int k = snprintf(seg, sizeof seg,
                     "ST=31;CN=2051;PW=123456;MN=88888880000001;CP=&&DataTime="
                     "20200924101000");
    while (k < 1500)
        k += snprintf(seg + k, sizeof seg - (size_t)k, ";a%05d-Avg=0.000", k);
    k += snprintf(seg + k, sizeof seg - (size_t)k, "&&");
    int wl = snprintf(wire, sizeof wire, "##%04d%s%04X\r\n", k, seg, hj212_crc(seg, (size_t)k));
    f = new_framer(NULL);
    assert_int_equal(hj212_framer_push(f, wire, (size_t)wl), 0);
    assert_int_equal(hj212_framer_next(f, &ev), 1);
    assert_int_equal(ev.kind, HJ212_EV_FRAME);
    assert_true(ev.flags & HJ212_FRAME_OVER_1024);
    assert_int_equal(hj212_framer_stats(f)->over_1024, 1);
    /* MODBUS device option */
    const char *mb = "##0137ST=32;CN=2011;PW=123456;MN=C201801010001;Flag=5;CP=&&DataTime="
                     "20180611090000;a34002-Rtd=30.1,a34002-Flag=N;a21026-Rtd=0.5,a21026-Flag=N&&"
                     "ED94\r\n";
    struct hj212_framer_opts om = {.crc = HJ212_CRC_MODBUS};
    f = new_framer(&om);
    assert_int_equal(hj212_framer_push(f, mb, strlen(mb)), 0);
    assert_int_equal(hj212_framer_next(f, &ev), 1);
    assert_int_equal(ev.kind, HJ212_EV_FRAME);
    f = new_framer(NULL);
    assert_int_equal(hj212_framer_push(f, mb, strlen(mb)), 0);
    assert_int_equal(hj212_framer_next(f, &ev), 1);
    assert_int_equal(ev.reason, HJ212_REJ_CRC);
    /* truncated at end of stream */
    f = new_framer(NULL);
    assert_int_equal(hj212_framer_push(f, big, 40), 0);
    assert_int_equal(hj212_framer_next(f, &ev), 0);
    hj212_framer_finish(f);
    assert_int_equal(hj212_framer_next(f, &ev), 1);
    assert_int_equal(ev.reason, HJ212_REJ_TRUNCATED);
    assert_int_equal(hj212_framer_next(f, &ev), 1);
    assert_int_equal(ev.kind, HJ212_EV_STRAY);
    assert_int_equal(ev.len, 39);
    assert_int_equal(hj212_framer_next(f, &ev), 0);
    assert_string_equal(hj212_reject_name(HJ212_REJ_CRC), "crc mismatch");
}

/* ---- parser ------------------------------------------------------------------------------------
 */

static void expect_parse_error(const char *seg, int code, const char *field)
{
    struct hj212_record r;
    rec_init(&r);
    struct eg_errbuf eb;
    eg_errbuf_clear(&eb);
    int rc = hj212_parse(seg, strlen(seg), &r, &eb);
    if (rc != code)
        fail_msg("'%s': rc %d, want %d", seg, rc, code);
    assert_string_equal(eb.field, field);
    assert_true(strlen(eb.msg) > 0);
}

static void test_parse_malformed(void **state)
{
    (void)state;
    expect_parse_error("ST=32;PW=1;MN=2;CP=&&&&", EG_EPARSE, "CN");
    expect_parse_error("ST=32;CN=20x1;CP=&&&&", EG_EPARSE, "CN");
    expect_parse_error("ST=32;CN=2011;Flag=300;CP=&&&&", EG_EPARSE, "Flag");
    expect_parse_error("ST=32;CN=2011;Flag=5", EG_EPARSE, "CP");
    expect_parse_error("ST=32;CN=2011;CP=&&DataTime=2016&&", EG_EPARSE, "DataTime");
    expect_parse_error("ST=32;CN=2011;CP=&&DataTime=20161301000000&&", EG_EPARSE, "DataTime");
    expect_parse_error("ST=32;CN=2011;CP=&&a21026-Rtd&&", EG_EPARSE, "CP");
    expect_parse_error("ST=32;CN=2011;CP=&&x=1", EG_EPARSE, "CP");
    expect_parse_error("ST=32;CN=9011;CP=&&QnRtn=x&&", EG_EPARSE, "QnRtn");
    expect_parse_error("ST=32;CN=2061;CP=&&BeginTime=1;EndTime=20160801080000&&", EG_EPARSE,
                       "BeginTime");
    expect_parse_error("ST=32;CN=2061;Flag=6;PNUM=x;CP=&&&&", EG_EPARSE, "PNUM");
    expect_parse_error("ST=32;garbage;CN=2011;CP=&&&&", EG_EPARSE, "header");
    /* fuzz finding: an entry with an empty key read the byte before it */
    expect_parse_error("ST=32;CN=8013;CP=&&=\xbc\xbc&&", EG_EPARSE, "CP");
    expect_parse_error("ST=32;CN=8013;CP=&&x=1;=&&", EG_EPARSE, "CP");
}

static void test_parse_limits(void **state)
{
    (void)state;
    struct hj212_item items[2];
    struct hj212_field fields[3];
    struct hj212_pair params[1];
    struct hj212_record r;
    hj212_record_init(&r, NULL, 0, params, 1, items, 2, fields, 3);
    struct eg_errbuf eb;
    const char *ok = "ST=32;CN=2011;CP=&&DataTime=20160801085857;a-Rtd=1,a-Flag=N;b-Rtd=2&&";
    assert_int_equal(hj212_parse(ok, strlen(ok), &r, NULL), 0);
    assert_int_equal(r.nitems, 2);
    assert_int_equal(r.items[0].nfields, 2);
    const char *items3 = "ST=32;CN=2011;CP=&&a-Rtd=1;b-Rtd=2;c-Rtd=3&&";
    eg_errbuf_clear(&eb);
    assert_int_equal(hj212_parse(items3, strlen(items3), &r, &eb), EG_ELIMIT);
    assert_string_equal(eb.field, "CP");
    const char *fields4 = "ST=32;CN=2011;CP=&&a-Rtd=1,a-Avg=2,a-Min=3,a-Max=4&&";
    assert_int_equal(hj212_parse(fields4, strlen(fields4), &r, &eb), EG_ELIMIT);
    const char *params2 = "ST=32;CN=2011;CP=&&DataTime=20160801085857;X=1&&";
    assert_int_equal(hj212_parse(params2, strlen(params2), &r, &eb), EG_ELIMIT);
    const char *hdr = "ST=32;CN=2011;RF=1;CP=&&&&";
    assert_int_equal(hj212_parse(hdr, strlen(hdr), &r, &eb), EG_ELIMIT);
    assert_string_equal(eb.field, "header");
}

static int count_kv(void *ctx, const struct hj212_kv *kv)
{
    int *c = ctx;
    c[kv->section]++;
    return 0;
}

static void test_parse_2017_and_2025(void **state)
{
    (void)state;
    struct hj212_record r;
    rec_init(&r);
    const char *seg = "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;"
                      "Flag=7;PNUM=2;PNO=1;CP=&&DataTime=20160801080000;w00000-Cou=63.0,"
                      "w00000-Min=16.4,w00000-Flag=N;w01001-Min=-7.10,w01001-ZsAvg=7.5&&";
    assert_int_equal(hj212_parse(seg, strlen(seg), &r, NULL), 0);
    assert_int_equal(r.version, HJ212_V2017);
    assert_true(r.ack);
    assert_true(r.split);
    assert_int_equal(r.pnum, 2);
    assert_int_equal(r.pno, 1);
    assert_false(r.header_2005);
    assert_int_equal(r.nitems, 2);
    assert_false(r.items[1].mapped_2005);
    assert_string_equal(r.items[1].code_2017, "w01001");
    const struct hj212_field *f = &r.fields[r.items[1].first];
    struct hj212_num fv = hj212_field_num(f);
    assert_int_equal(fv.num, -710);
    assert_int_equal(fv.scale, 2);
    int c[4] = {0};
    assert_int_equal(hj212_record_visit(&r, count_kv, c), 0);
    assert_int_equal(c[HJ212_KV_HEADER], 8);
    assert_int_equal(c[HJ212_KV_PARAM], 1);
    assert_int_equal(c[HJ212_KV_ITEM], 5);
    /* 2025-style: version bits 2 and an extra header field kept as a raw pair; lenient spacing */
    const char *s25 = "QN=20260101000000001;ST=22;CN=2011;PW=123456;MN=AQI1;Flag=9;RF=1;"
                      "CP=&& DataTime=20260101000000 ;a34004-Rtd=12,a34004-Flag=N;&&";
    assert_int_equal(hj212_parse(s25, strlen(s25), &r, NULL), 0);
    assert_int_equal(r.version, HJ212_V2025);
    assert_int_equal(r.nheader_extra, 1);
    assert_memory_equal(r.header_extra[0].key.p, "RF", 2);
    assert_true(r.p.data_time_v.ok);
    static char out[512];
    size_t olen;
    assert_int_equal(hj212_build_record(out, sizeof out, &r, &olen), 0);
    assert_non_null(strstr(out, ";Flag=9;RF=1;CP=&&DataTime=20260101000000;a34004-Rtd=12,"));
    /* unknown 2005 suffixes kept as fields */
    const char *s05 = "ST=32;CN=2072;PW=123456;MN=ZG130182201401;Flag=1;CP=&&AlarmTime="
                      "20160823235559;B01-Ala=16.00,AlarmType=1&&";
    assert_int_equal(hj212_parse(s05, strlen(s05), &r, NULL), 0);
    assert_int_equal(r.nitems, 1);
    assert_int_equal(r.nparams, 2);
    assert_memory_equal(r.fields[0].name.p, "Ala", 3);
    /* code map */
    bool mapped;
    assert_string_equal(hj212_code_2017("S01", 3, &mapped), "a19001");
    assert_true(mapped);
    assert_string_equal(hj212_code_2017("02", 2, &mapped), "a21026");
    assert_string_equal(hj212_code_2017("a21026", 6, &mapped), "a21026");
    assert_false(mapped);
    assert_null(hj212_code_2017("a05024", 6, &mapped));
    struct hj212_time t;
    assert_int_equal(hj212_time_parse("201608240038170", 15, &t), 0);
    assert_int_equal(t.msec, 0);
    assert_int_equal(hj212_time_parse("20160824003817123", 17, &t), 0);
    assert_int_equal(t.msec, 123);
}

/* ---- builders ----------------------------------------------------------------------------------
 */

static void check_frame(const char *out, size_t len, const char *want_seg)
{
    size_t n = strlen(want_seg);
    char head[16];
    snprintf(head, sizeof head, "##%04u", (unsigned)(n % 10000));
    assert_int_equal(len, n + 12);
    assert_memory_equal(out, head, 6);
    assert_memory_equal(out + 6, want_seg, n);
    char crc[16];
    snprintf(crc, sizeof crc, "%04X\r\n", crc_bitwise(want_seg, n));
    assert_memory_equal(out + 6 + n, crc, 6);
}

static void test_builders(void **state)
{
    (void)state;
    static char out[2048];
    size_t len;
    struct hj212_hdr h = {.qn = hj212_s("20160801085857223"),
                          .st = hj212_s("32"),
                          .pw = hj212_s("123456"),
                          .mn = hj212_s("010000A8900016F000169DC0"),
                          .flag = 5};
    const char *pre = "QN=20160801085857223;ST=32;CN=";
    char want[512];
#define HDR_TAIL ";PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&"
    assert_int_equal(hj212_build_set_time(out, sizeof out, h, "w01018", "20160801085857", &len), 0);
    snprintf(want, sizeof want, "%s1012" HDR_TAIL "PolId=w01018;SystemTime=20160801085857&&", pre);
    check_frame(out, len, want);
    assert_int_equal(hj212_build_get_time(out, sizeof out, h, NULL, &len), 0);
    snprintf(want, sizeof want, "%s1011" HDR_TAIL "&&", pre);
    check_frame(out, len, want);
    assert_int_equal(hj212_build_set_timeout(out, sizeof out, h, 10, 3, &len), 0);
    snprintf(want, sizeof want, "%s1000" HDR_TAIL "OverTime=10;ReCount=3&&", pre);
    check_frame(out, len, want);
    assert_int_equal(
        hj212_build_history(out, sizeof out, h, 2051, "20160801080000", "20160801090000", &len), 0);
    snprintf(want, sizeof want,
             "%s2051" HDR_TAIL "BeginTime=20160801080000;EndTime=20160801090000&&", pre);
    check_frame(out, len, want);
    assert_int_equal(hj212_build_notify(out, sizeof out, h, 2012, &len), 0);
    snprintf(want, sizeof want, "%s2012" HDR_TAIL "&&", pre);
    check_frame(out, len, want);
    assert_int_equal(hj212_build_set_rtd_interval(out, sizeof out, h, 30, &len), 0);
    assert_int_equal(hj212_build_set_min_interval(out, sizeof out, h, 10, &len), 0);
    snprintf(want, sizeof want, "%s1064" HDR_TAIL "MinInterval=10&&", pre);
    check_frame(out, len, want);
    assert_int_equal(hj212_build_set_password(out, sizeof out, h, "654321", &len), 0);
    assert_int_equal(hj212_build_control(out, sizeof out, h, 3011, "w01018", &len), 0);
    snprintf(want, sizeof want, "%s3011" HDR_TAIL "PolId=w01018&&", pre);
    check_frame(out, len, want);
    assert_int_equal(hj212_build_get(out, sizeof out, h, 1063, &len), 0);
    /* invalid arguments */
    assert_int_equal(hj212_build_set_rtd_interval(out, sizeof out, h, 10, &len), EG_EINVAL);
    assert_int_equal(hj212_build_set_min_interval(out, sizeof out, h, 7, &len), EG_EINVAL);
    assert_int_equal(
        hj212_build_history(out, sizeof out, h, 2061, "20160801090000", "20160801080000", &len),
        EG_EINVAL);
    assert_int_equal(hj212_build_set_time(out, sizeof out, h, NULL, "2016", &len), EG_EINVAL);
    assert_int_equal(hj212_build_set_password(out, sizeof out, h, "12;456", &len), EG_EINVAL);
    /* replies to a 2005 request with QN inside CP */
    struct hj212_record r;
    rec_init(&r);
    const char *q = "ST=32;CN=2061;PW=123456;MN=LD130107000188;CP=&&QN=20160824000504006&&";
    assert_int_equal(hj212_parse(q, strlen(q), &r, NULL), 0);
    assert_int_equal(hj212_build_qn_rtn(out, sizeof out, &r, 1, &len), 0);
    check_frame(out, len,
                "QN=20160824000504006;ST=91;CN=9011;PW=123456;MN=LD130107000188;Flag=4;CP=&&"
                "QnRtn=1&&");
    assert_int_equal(hj212_build_exe_rtn(out, sizeof out, &r, 100, &len), 0);
    check_frame(out, len,
                "QN=20160824000504006;ST=91;CN=9012;PW=123456;MN=LD130107000188;Flag=4;CP=&&"
                "ExeRtn=100&&");
    assert_int_equal(hj212_build_data_ack(out, sizeof out, &r, &len), 0);
    assert_int_equal(hj212_build_notify_ack(out, sizeof out, &r, &len), 0);
    check_frame(out, len,
                "QN=20160824000504006;ST=91;CN=9013;PW=123456;MN=LD130107000188;Flag=4;CP=&&&&");
    /* the built frame frames and parses */
    struct hj212_framer *f = new_framer(NULL);
    assert_int_equal(hj212_framer_push(f, out, len), 0);
    struct hj212_event ev;
    assert_int_equal(hj212_framer_next(f, &ev), 1);
    assert_int_equal(ev.kind, HJ212_EV_FRAME);
    /* does not fit: clean failure at every capacity below the size */
    for (size_t cap = 0; cap < len; cap++)
        assert_int_equal(hj212_build_notify_ack(out, cap, &r, &len), EG_ELIMIT);
    /* generic builder, MODBUS CRC */
    assert_int_equal(hj212_build_raw(out, sizeof out, &h, "X=1", 3, HJ212_CRC_MODBUS, &len), 0);
    assert_int_equal(hj212_build_raw(out, sizeof out, NULL, "X=1", 3, HJ212_CRC_STD, &len),
                     EG_EINVAL);
    /* a data segment over 9999 bytes */
    static char bigcp[10050], bigout[10100];
    memset(bigcp, 'x', sizeof bigcp);
    assert_int_equal(
        hj212_build_raw(bigout, sizeof bigout, &h, bigcp, sizeof bigcp, HJ212_CRC_STD, &len),
        EG_ELIMIT);
}

/* Numbers are parsed only when asked (hj212_field_num); the item grouping uses packed keys for
 * the first 32 items and a filter of seen codes: codes that come back, codes longer than 7 bytes
 * and more than 32 items must still group exactly. */
static void test_lazy_numbers_and_grouping(void **state)
{
    (void)state;
    struct hj212_num v;
    hj212_num_parse("-7.10", 5, &v);
    assert_true(v.ok);
    assert_int_equal(v.num, -710);
    assert_int_equal(v.scale, 2);
    hj212_num_parse("+12", 3, &v);
    assert_true(v.ok && v.num == 12 && v.scale == 0);
    hj212_num_parse("1.2.3", 5, &v);
    assert_false(v.ok);
    hj212_num_parse("N", 1, &v);
    assert_false(v.ok);
    hj212_num_parse("", 0, &v);
    assert_false(v.ok);
    hj212_num_parse("-", 1, &v);
    assert_false(v.ok);
    hj212_num_parse("1234567890.123456789", 20, &v); /* 19 digits: through eg_dec_parse */
    assert_true(v.ok);
    assert_int_equal(v.num, 1234567890123456789);
    assert_int_equal(v.scale, 9);
    hj212_num_parse("1.0123456789", 12, &v); /* 10 decimals: beyond the scale limit */
    assert_false(v.ok);

    static char seg[4096];
    size_t n = (size_t)snprintf(seg, sizeof seg,
                                "ST=32;CN=2011;MN=X;Flag=4;CP=&&DataTime="
                                "20240101000000;a01-Rtd=1.5,a01-Flag=N;"
                                "LongCode99-Rtd=2;a02-Rtd=3;a01-ZsRtd=4");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(seg + n, sizeof seg - n, ";c%02d-Rtd=%d", i, i);
    n += (size_t)snprintf(seg + n, sizeof seg - n, ";c35-Flag=N;LongCode99-Flag=D;a02-Avg=5&&");
    static struct hj212_item items[64];
    static struct hj212_field fields[128];
    static struct hj212_pair params[8], extra[4];
    struct hj212_record r;
    hj212_record_init(&r, extra, 4, params, 8, items, 64, fields, 128);
    assert_int_equal(hj212_parse(seg, n, &r, NULL), 0);
    assert_int_equal(r.nitems, 43);
    assert_int_equal(r.nfields, 48);
    assert_int_equal(r.items[0].nfields, 3); /* a01 Rtd, Flag, ZsRtd */
    assert_int_equal(r.items[1].nfields, 2); /* LongCode99 Rtd, Flag */
    assert_int_equal(r.items[2].nfields, 2); /* a02 Rtd, Avg */
    assert_int_equal(r.items[3 + 35].nfields, 2);
    const struct hj212_field *f = &r.fields[r.items[0].last];
    assert_memory_equal(f->name.p, "ZsRtd", 5);
    v = hj212_field_num(f);
    assert_true(v.ok && v.num == 4 && v.scale == 0);
    v = hj212_field_num(&r.fields[r.fields[r.items[0].first].next]); /* a01-Flag=N */
    assert_false(v.ok);
    f = &r.fields[r.items[2].last];
    assert_memory_equal(f->value.p, "5", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc_vectors),
        cmocka_unit_test(test_samples_verdicts),
        cmocka_unit_test(test_samples_2005_header),
        cmocka_unit_test(test_appendix_c_roundtrip),
        cmocka_unit_test(test_every_split),
        cmocka_unit_test(test_framer_limits),
        cmocka_unit_test(test_parse_malformed),
        cmocka_unit_test(test_parse_limits),
        cmocka_unit_test(test_parse_2017_and_2025),
        cmocka_unit_test(test_builders),
        cmocka_unit_test(test_capture_strict_summary),
        cmocka_unit_test(test_capture),
        cmocka_unit_test(test_lazy_numbers_and_grouping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
