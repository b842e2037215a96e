/* fuzz_hj212.c — libFuzzer target for the HJ 212 codec: arbitrary bytes go through the stream
 * framer in pseudo-random chunk sizes (derived from the input), every frame is parsed, rebuilt with
 * hj212_build_record and re-framed.  Checks: every byte is accounted for exactly once, events hold
 * the bytes at their offsets, a rebuilt frame frames again.  Replayed in `meson test` by
 * replay_main.c over fuzz/corpus/hj212.
 */
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hj212/hj212.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static _Alignas(max_align_t) char mem[HJ212_MAX_FRAME + 1024];
static _Alignas(max_align_t) char mem2[HJ212_MAX_FRAME + 1024];
static struct hj212_item items[64];
static struct hj212_field fields[512];
static struct hj212_pair params[32], extra[8];
static char out[HJ212_MAX_FRAME + 64];

static void check_rebuild(const struct hj212_record *r)
{
    size_t len;
    if (hj212_build_record(out, sizeof out, r, &len) != 0)
        return;
    struct hj212_framer *g;
    if (hj212_framer_init(mem2, sizeof mem2, NULL, &g) != 0)
        abort();
    if (hj212_framer_push(g, out, len) != 0)
        abort();
    hj212_framer_finish(g);
    struct hj212_event ev;
    if (hj212_framer_next(g, &ev) != 1 || ev.kind != HJ212_EV_FRAME || ev.len != len)
        abort();
    size_t rl;
    if (hj212_build_qn_rtn(out, sizeof out, r, 1, &rl) == 0 && rl < 12)
        abort();
    if (hj212_build_data_ack(out, sizeof out, r, &rl) == 0 && rl < 12)
        abort();
}

static int visit(void *ctx, const struct hj212_kv *kv)
{
    size_t *n = ctx;
    *n += kv->key.n + kv->value.n;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    struct hj212_framer_opts o = {0};
    o.crc = (hj212_crc_kind)(data[0] % 3);
    o.lenient_length = (data[0] & 4) != 0;
    o.max_seg = (data[0] & 8) ? 64u + data[1] : 0;
    unsigned seed = data[1];
    data += 2;
    size -= 2;
    struct hj212_framer *f;
    if (hj212_framer_init(mem, sizeof mem, &o, &f) != 0)
        abort();
    struct hj212_record r;
    hj212_record_init(&r, extra, 8, params, 32, items, 64, fields, 512);
    size_t pos = 0, accounted = 0;
    struct hj212_event ev;
    bool done = false;
    while (!done) {
        if (pos < size) {
            seed = seed * 1103515245u + 12345u;
            size_t k = 1 + (seed >> 16) % 300;
            if (k > size - pos)
                k = size - pos;
            if (hj212_framer_push(f, data + pos, k) != 0)
                abort();
            pos += k;
        } else {
            hj212_framer_finish(f);
            done = true;
        }
        while (hj212_framer_next(f, &ev) == 1) {
            if (ev.offset != accounted || ev.len == 0 || ev.offset + ev.len > size)
                abort();
            if (memcmp(ev.data, data + ev.offset, ev.len) != 0)
                abort();
            accounted += ev.len;
            if (ev.kind != HJ212_EV_FRAME)
                continue;
            if (hj212_parse(ev.seg, ev.seg_len, &r, NULL) == 0) {
                size_t n = 0;
                (void)hj212_record_visit(&r, visit, &n);
                check_rebuild(&r);
            }
        }
    }
    if (accounted != size)
        abort();
    /* the parser also takes raw bytes directly */
    if (hj212_parse((const char *)data, size, &r, NULL) == 0) {
        size_t n = 0;
        (void)hj212_record_visit(&r, visit, &n);
    }
    return 0;
}
