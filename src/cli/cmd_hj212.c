/* cmd_hj212.c — `envgov hj212 parse [FILE…]`: decode HJ 212 byte streams (plain or gzip, "-" =
 * standard input) to one JSON record per event, and a summary of valid frames and broken ones by
 * reason.  Each file is one continuous stream (a capture of a connection).  The length-field
 * leniency of the gateway is on by default (--strict turns it off): the real 2016 capture then
 * gives 190,366 valid frames, 70 length mismatch + 12 bad length field + 1 CRC, 14 stray lines.
 */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "cli.h"
#include "common/eg_mem.h"
#include "hj212/hj212.h"

#define PARSE_FILE_MAX ((size_t)1 << 30)

static const struct cli_opt parse_opts[] = {
    {"summary", CLI_FLAG, NULL, "print only the summary (on standard output)"},
    {"strict", CLI_FLAG, NULL, "no length-field leniency (a wrong length is always broken)"},
    {"crc", CLI_VALUE, "std|modbus|modbus-swapped", "CRC the stream uses (default std)"},
    {NULL, 0, NULL, NULL}};

static int run_parse(struct cli *c, const struct cli_args *a);

const struct cli_cmd cli_hj212_cmds[] = {
    {"hj212 parse", "decode HJ 212 frames to JSON and count valid and broken frames",
     "hj212 parse [--summary] [--strict] [FILE…]",
     "FILE: a byte stream as received (plain or .gz; none or - = standard input).  Records:\n"
     "{kind: frame|reject|stray, file, offset, …}; frames carry header, cp and items (values\n"
     "exactly as sent, 2005 codes mapped to 2017 codes).  The summary goes to standard error\n"
     "(standard output with --summary).",
     parse_opts, 0, 100000, true, run_parse},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL}};

struct totals {
    struct hj212_summary s;
    uint64_t stray_lines, files, bytes;
    uint64_t cn[10000];
    uint64_t cn_none;
};

static int read_all(const char *path, char **ret, size_t *ret_len, struct eg_errbuf *eb)
{
    gzFile z = strcmp(path, "-") ? gzopen(path, "rb") : gzdopen(0, "rb");
    if (!z)
        return eg_errf(eb, EG_EIO, "cannot open %s", path);
    size_t cap = 1 << 20, len = 0;
    char *buf = eg_malloc(cap);
    int rc = 0;
    while (buf) {
        if (len == cap) {
            if (cap >= PARSE_FILE_MAX) {
                rc = eg_errf(eb, EG_ELIMIT, "%s: larger than %zu bytes", path, PARSE_FILE_MAX);
                break;
            }
            char *nb = eg_realloc(buf, cap * 2);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
        int k = gzread(z, buf + len, (unsigned)(cap - len > (1u << 30) ? (1u << 30) : cap - len));
        if (k < 0) {
            rc = eg_errf(eb, EG_EIO, "%s: read error", path);
            break;
        }
        if (k == 0)
            break;
        len += (size_t)k;
    }
    gzclose(z);
    if (!buf)
        return eg_errf(eb, EG_ENOMEM, "out of memory reading %s", path);
    if (rc) {
        eg_free(buf);
        return rc;
    }
    *ret = buf;
    *ret_len = len;
    return 0;
}

struct visit_ctx {
    struct fmt *f;
    int section; /* open object: 0 none, 1 header, 2 cp, 3 items */
    struct hj212_str item;
};

static void strn(struct fmt *f, const char *key, struct hj212_str s)
{
    char buf[1100];
    snprintf(buf, sizeof(buf), "%.*s", (int)(s.n < 1024 ? s.n : 1024), s.p ? s.p : "");
    fmt_str(f, key, buf);
}

static int on_kv(void *ud, const struct hj212_kv *kv)
{
    struct visit_ctx *v = ud;
    struct fmt *f = v->f;
    char key[300];
    snprintf(key, sizeof(key), "%.*s", (int)(kv->key.n < 256 ? kv->key.n : 256), kv->key.p);
    int want = kv->section == HJ212_KV_HEADER ? 1 : kv->section == HJ212_KV_PARAM ? 2 : 3;
    if (v->section != want) {
        if (v->section == 3 && v->item.p)
            fmt_close(f);
        if (v->section)
            fmt_close(f);
        fmt_obj_begin(f, want == 1 ? "header" : want == 2 ? "cp" : "items");
        v->section = want;
        v->item.p = NULL;
    }
    if (want == 3 && (!v->item.p || v->item.n != kv->item_code.n ||
                      memcmp(v->item.p, kv->item_code.p, kv->item_code.n) != 0)) {
        if (v->item.p)
            fmt_close(f);
        char code[300];
        snprintf(code, sizeof(code), "%.*s", (int)(kv->item_code.n < 256 ? kv->item_code.n : 256),
                 kv->item_code.p);
        fmt_obj_begin(f, code);
        if (kv->item_code_2017 && strcmp(kv->item_code_2017, code) != 0)
            fmt_str(f, "code_2017", kv->item_code_2017);
        v->item = kv->item_code;
    }
    strn(f, key, kv->value);
    return 0;
}

static int frame_record(struct fmt *f, const char *file, const struct hj212_event *ev,
                        struct hj212_record *r, int prc, const struct eg_errbuf *eb)
{
    fmt_row_begin(f);
    fmt_str(f, "kind", "frame");
    fmt_str(f, "file", file);
    fmt_int(f, "offset", (int64_t)ev->offset);
    fmt_int(f, "length", (int64_t)ev->seg_len);
    if (ev->flags & HJ212_FRAME_LENGTH_FIXED)
        fmt_bool(f, "length_fixed", true);
    if (prc) {
        fmt_str(f, "error", eb->msg);
        fmt_str(f, "error_field", eb->field);
    } else {
        fmt_str(f, "version",
                r->version == HJ212_V2017   ? "2017"
                : r->version == HJ212_V2005 ? "2005"
                : r->version == HJ212_V2025 ? "2025"
                                            : "other");
        struct visit_ctx v = {f, 0, {NULL, 0}};
        hj212_record_visit(r, on_kv, &v);
        if (v.section == 3 && v.item.p)
            fmt_close(f);
        if (v.section)
            fmt_close(f);
    }
    return fmt_row_end(f);
}

static int other_record(struct fmt *f, const char *file, const struct hj212_event *ev)
{
    fmt_row_begin(f);
    fmt_str(f, "kind", ev->kind == HJ212_EV_REJECT ? "reject" : "stray");
    fmt_str(f, "file", file);
    fmt_int(f, "offset", (int64_t)ev->offset);
    if (ev->kind == HJ212_EV_REJECT)
        fmt_str(f, "reason", hj212_reject_name(ev->reason));
    else {
        fmt_int(f, "bytes", (int64_t)ev->len);
        struct hj212_str s = {ev->data, ev->len < 200 ? ev->len : 200};
        strn(f, "text", s);
    }
    return fmt_row_end(f);
}

static int parse_one(struct cli *c, struct fmt *f, const char *path, const char *buf, size_t n,
                     const struct hj212_framer_opts *o, void *mem, size_t mem_size,
                     struct hj212_record *r, struct totals *t)
{
    struct hj212_framer *fr;
    if (hj212_framer_init(mem, mem_size, o, &fr))
        return cli_fail(c, EG_EINVAL);
    struct hj212_event ev;
    int rc = 0;
    size_t pos = 0;
    bool done = false;
    while (!done && !rc) {
        if (pos < n) { /* chunks as a socket would deliver them */
            size_t k = n - pos < 65536 ? n - pos : 65536;
            if (hj212_framer_push(fr, buf + pos, k))
                return cli_fail(c, EG_ESTATE);
            pos += k;
        } else {
            hj212_framer_finish(fr);
            done = true;
        }
        while (!rc && hj212_framer_next(fr, &ev) == 1) {
            if (ev.kind == HJ212_EV_FRAME) {
                struct eg_errbuf eb = {0};
                int prc = hj212_parse(ev.seg, ev.seg_len, r, &eb);
                if (prc)
                    t->s.parse_failed++;
                else {
                    t->s.parsed++;
                    if (r->cn_num >= 0 && r->cn_num < 10000)
                        t->cn[r->cn_num]++;
                    else
                        t->cn_none++;
                }
                if (f)
                    rc = frame_record(f, path, &ev, r, prc, &eb);
            } else {
                if (ev.kind == HJ212_EV_STRAY)
                    for (size_t k = (size_t)ev.offset; k < (size_t)ev.offset + ev.len; k++)
                        if (k == 0 || buf[k - 1] == '\n')
                            t->stray_lines++;
                if (f)
                    rc = other_record(f, path, &ev);
            }
        }
    }
    const struct hj212_framer_stats *st = hj212_framer_stats(fr);
    t->s.framing.frames += st->frames;
    t->s.framing.frame_bytes += st->frame_bytes;
    t->s.framing.over_1024 += st->over_1024;
    t->s.framing.length_fixed += st->length_fixed;
    t->s.framing.stray_bytes += st->stray_bytes;
    for (int i = 0; i < HJ212_REJ__COUNT; i++)
        t->s.framing.rejects[i] += st->rejects[i];
    t->files++;
    t->bytes += n;
    return rc ? CLI_FAIL : 0;
}

static void print_summary(FILE *out, const struct totals *t)
{
    const struct hj212_framer_stats *s = &t->s.framing;
    uint64_t broken = 0;
    for (int i = HJ212_REJ_BAD_LENGTH; i < HJ212_REJ_STRAY; i++)
        broken += s->rejects[i];
    fprintf(out, "files: %llu, bytes: %llu\n", (unsigned long long)t->files,
            (unsigned long long)t->bytes);
    fprintf(out, "valid frames: %llu (length fixed %llu, over 1024 bytes %llu)\n",
            (unsigned long long)s->frames, (unsigned long long)s->length_fixed,
            (unsigned long long)s->over_1024);
    fprintf(out, "broken frames: %llu", (unsigned long long)broken);
    for (int i = HJ212_REJ_BAD_LENGTH; i < HJ212_REJ_STRAY; i++)
        fprintf(out, "%s%s %llu", i == HJ212_REJ_BAD_LENGTH ? " (" : ", ",
                hj212_reject_name((hj212_reject)i), (unsigned long long)s->rejects[i]);
    fprintf(out, ")\n");
    fprintf(out, "stray: %llu runs, %llu bytes, %llu lines\n",
            (unsigned long long)s->rejects[HJ212_REJ_STRAY], (unsigned long long)s->stray_bytes,
            (unsigned long long)t->stray_lines);
    fprintf(out, "parsed: %llu, parse failures: %llu\n", (unsigned long long)t->s.parsed,
            (unsigned long long)t->s.parse_failed);
    fprintf(out, "CN:");
    for (int i = 0; i < 10000; i++)
        if (t->cn[i])
            fprintf(out, " %04d=%llu", i, (unsigned long long)t->cn[i]);
    if (t->cn_none)
        fprintf(out, " none=%llu", (unsigned long long)t->cn_none);
    fprintf(out, "\n");
}

#define P_ITEMS  512
#define P_FIELDS 8192
#define P_PARAMS 256

static int run_parse(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    struct hj212_framer_opts o = {.lenient_length = !cli_flag(cmd, a, "strict")};
    const char *crc = cli_value(cmd, a, "crc");
    if (crc) {
        if (!strcmp(crc, "std"))
            o.crc = HJ212_CRC_STD;
        else if (!strcmp(crc, "modbus"))
            o.crc = HJ212_CRC_MODBUS;
        else if (!strcmp(crc, "modbus-swapped"))
            o.crc = HJ212_CRC_MODBUS_SWAPPED;
        else
            return cli_usage(cmd, "--crc: '%s' is not std, modbus or modbus-swapped", crc);
    }
    bool summary_only = cli_flag(cmd, a, "summary");
    size_t mem_size = hj212_framer_mem_size(&o);
    void *mem = eg_malloc(mem_size);
    struct totals *t = eg_calloc(1, sizeof(*t));
    struct hj212_pair *extra = eg_calloc(16, sizeof(*extra));
    struct hj212_pair *params = eg_calloc(P_PARAMS, sizeof(*params));
    struct hj212_item *items = eg_calloc(P_ITEMS, sizeof(*items));
    struct hj212_field *fields = eg_calloc(P_FIELDS, sizeof(*fields));
    struct fmt *f = NULL;
    int rc = 0;
    if (!mem || !t || !extra || !params || !items || !fields) {
        rc = cli_fail(c, EG_ENOMEM);
        goto out;
    }
    if (!summary_only) {
        if (c->format == FMT_TABLE)
            c->format = FMT_NDJSON; /* nested records: NDJSON unless asked otherwise */
        if (!(f = cli_fmt(c))) {
            rc = cli_fail(c, EG_ENOMEM);
            goto out;
        }
    }
    struct hj212_record r;
    hj212_record_init(&r, extra, 16, params, P_PARAMS, items, P_ITEMS, fields, P_FIELDS);
    static const char *const stdin_only[] = {"-"};
    const char *const *files = a->npos ? a->pos : stdin_only;
    size_t nfiles = a->npos ? a->npos : 1;
    for (size_t i = 0; i < nfiles && !rc; i++) {
        char *buf = NULL;
        size_t n = 0;
        int e = read_all(files[i], &buf, &n, &c->eb);
        if (e) {
            rc = cli_fail(c, e);
            break;
        }
        rc = parse_one(c, f, files[i], buf, n, &o, mem, mem_size, &r, t);
        eg_free(buf);
    }
    if (f) {
        int frc = fmt_finish(f);
        if (!rc && frc)
            rc = cli_fail(c, frc);
    }
    if (!rc || t->files)
        print_summary(summary_only ? stdout : stderr, t);
out:
    fmt_free(f);
    eg_free(mem);
    eg_free(t);
    eg_free(extra);
    eg_free(params);
    eg_free(items);
    eg_free(fields);
    return rc;
}
