/* record.c — front-end helpers: key/value visit of a parsed record and a whole-stream summary
 * (what `envgov hj212 parse` prints).  No allocation: the summary parses into stack arrays of
 * fixed capacity, which are also its per-frame limits.
 */
#include <string.h>

#include "hj212-int.h"

static int visit_hdr(hj212_kv_fn fn, void *ctx, const char *k, struct hj212_str v)
{
    if (v.p == NULL)
        return 0;
    struct hj212_kv kv;
    memset(&kv, 0, sizeof kv);
    kv.section = HJ212_KV_HEADER;
    kv.key = hj212_s(k);
    kv.value = v;
    return fn(ctx, &kv);
}

int hj212_record_visit(const struct hj212_record *r, hj212_kv_fn fn, void *ctx)
{
    int rc;
    static const char *const names[] = {"QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO"};
    const struct hj212_str vals[] = {r->qn, r->st,     r->cn,     r->pw,
                                     r->mn, r->flag_s, r->pnum_s, r->pno_s};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if ((rc = visit_hdr(fn, ctx, names[i], vals[i])) != 0)
            return rc;
    for (uint32_t i = 0; i < r->nheader_extra; i++) {
        struct hj212_kv kv;
        memset(&kv, 0, sizeof kv);
        kv.section = HJ212_KV_HEADER;
        kv.key = r->header_extra[i].key;
        kv.value = r->header_extra[i].value;
        if ((rc = fn(ctx, &kv)) != 0)
            return rc;
    }
    uint32_t pi = 0, ii = 0;
    while (pi < r->nparams || ii < r->nitems) {
        struct hj212_kv kv;
        memset(&kv, 0, sizeof kv);
        if (ii >= r->nitems || (pi < r->nparams && r->params[pi].seq < r->items[ii].seq)) {
            kv.section = HJ212_KV_PARAM;
            kv.key = r->params[pi].key;
            kv.value = r->params[pi].value;
            pi++;
            if ((rc = fn(ctx, &kv)) != 0)
                return rc;
            continue;
        }
        const struct hj212_item *it = &r->items[ii++];
        for (int32_t f = it->first; f >= 0; f = r->fields[f].next) {
            kv.section = HJ212_KV_ITEM;
            kv.item_code = it->code;
            kv.item_code_2017 = it->code_2017;
            kv.key = r->fields[f].name;
            kv.value = r->fields[f].value;
            struct hj212_num nv = hj212_field_num(&r->fields[f]);
            kv.num = &nv;
            if ((rc = fn(ctx, &kv)) != 0)
                return rc;
        }
    }
    return 0;
}

enum { SUM_ITEMS = 128, SUM_FIELDS = 1024, SUM_PAIRS = 64 };

int hj212_summarize(const void *data, size_t n, const struct hj212_framer_opts *opts, void *mem,
                    size_t mem_size, struct hj212_summary *ret)
{
    struct hj212_framer *f;
    int rc = hj212_framer_init(mem, mem_size, opts, &f);
    if (rc)
        return rc;
    if (ret == NULL || (data == NULL && n > 0))
        return EG_EINVAL;
    static _Thread_local struct hj212_item items[SUM_ITEMS];
    static _Thread_local struct hj212_field fields[SUM_FIELDS];
    static _Thread_local struct hj212_pair params[SUM_PAIRS], extra[SUM_PAIRS];
    struct hj212_record r;
    hj212_record_init(&r, extra, SUM_PAIRS, params, SUM_PAIRS, items, SUM_ITEMS, fields,
                      SUM_FIELDS);
    struct hj212_summary s;
    memset(&s, 0, sizeof s);
    if ((rc = hj212_framer_push(f, data, n)) != 0)
        return rc;
    hj212_framer_finish(f);
    struct hj212_event ev;
    while (hj212_framer_next(f, &ev) == 1) {
        if (ev.kind != HJ212_EV_FRAME)
            continue;
        if (hj212_parse(ev.seg, ev.seg_len, &r, NULL) == 0)
            s.parsed++;
        else
            s.parse_failed++;
    }
    s.framing = *hj212_framer_stats(f);
    *ret = s;
    return 0;
}
