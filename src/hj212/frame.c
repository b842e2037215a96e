/* frame.c — the resynchronising HJ 212 stream framer (HJ 212-2017 §6.3 Table 2).
 *
 * Rule (reference/hj212.md §9): find the next "##"; bytes before it are stray; the 4 bytes after it
 * must be digits n <= cap; CR LF must follow the n-byte data segment and the 4 CRC hex digits; the
 * CRC must match.  Any failure consumes only the first '#' and rescans from the next byte (the
 * reference rule skips both, which loses the frame in "###0101…"), so a valid frame next to a
 * damaged one is never lost.  Input is framed in place; only an unfinished tail is
 * copied into the per-framer buffer of 12 + cap bytes (the hard cap).  No allocation: the framer
 * lives in caller memory.
 */
#include <stdalign.h>
#include <string.h>

#include "hj212-int.h"

struct hj212_framer {
    size_t max_seg;
    hj212_crc_kind crc;
    bool lenient_length;
    bool eof;
    char *buf;
    size_t cap, bpos, blen; /* live bytes: buf[bpos..blen) */
    const char *in;
    size_t in_len, in_pos;
    uint64_t off; /* stream offset of the first unconsumed byte */
    struct hj212_framer_stats st;
};

static const char *const reject_names[HJ212_REJ__COUNT] = {
    [HJ212_REJ_NONE] = "none",
    [HJ212_REJ_BAD_LENGTH] = "bad length field",
    [HJ212_REJ_OVERSIZE] = "declared length over cap",
    [HJ212_REJ_LENGTH_MISMATCH] = "length mismatch",
    [HJ212_REJ_CRC] = "crc mismatch",
    [HJ212_REJ_TRUNCATED] = "truncated at end of stream",
    [HJ212_REJ_STRAY] = "stray bytes",
};

const char *hj212_reject_name(hj212_reject r)
{
    if ((unsigned)r >= HJ212_REJ__COUNT)
        return "unknown";
    return reject_names[r];
}

static size_t opts_max_seg(const struct hj212_framer_opts *o)
{
    return (o == NULL || o->max_seg == 0) ? HJ212_MAX_SEG : o->max_seg;
}

static size_t state_size(void)
{
    size_t a = alignof(max_align_t);
    return (sizeof(struct hj212_framer) + a - 1) / a * a;
}

size_t hj212_framer_mem_size(const struct hj212_framer_opts *opts)
{
    return state_size() + HJ212_OVERHEAD + opts_max_seg(opts);
}

int hj212_framer_init(void *mem, size_t mem_size, const struct hj212_framer_opts *opts,
                      struct hj212_framer **ret_f)
{
    size_t max_seg = opts_max_seg(opts);
    if (mem == NULL || ret_f == NULL || max_seg > HJ212_MAX_SEG ||
        ((uintptr_t)mem % alignof(max_align_t)) != 0 || mem_size < hj212_framer_mem_size(opts))
        return EG_EINVAL;
    struct hj212_framer *f = mem;
    memset(f, 0, sizeof *f);
    f->max_seg = max_seg;
    f->crc = opts ? opts->crc : HJ212_CRC_STD;
    f->lenient_length = opts ? opts->lenient_length : false;
    f->buf = (char *)mem + state_size();
    f->cap = HJ212_OVERHEAD + max_seg;
    *ret_f = f;
    return 0;
}

void hj212_framer_reset(struct hj212_framer *f)
{
    f->eof = false;
    f->bpos = f->blen = 0;
    f->in = NULL;
    f->in_len = f->in_pos = 0;
    f->off = 0;
    memset(&f->st, 0, sizeof f->st);
}

const struct hj212_framer_stats *hj212_framer_stats(const struct hj212_framer *f)
{
    return &f->st;
}

int hj212_framer_push(struct hj212_framer *f, const void *data, size_t n)
{
    if (f->in_pos < f->in_len || f->eof)
        return EG_ESTATE;
    if (data == NULL && n > 0)
        return EG_EINVAL;
    f->in = data;
    f->in_len = n;
    f->in_pos = 0;
    return 0;
}

void hj212_framer_finish(struct hj212_framer *f)
{
    f->eof = true;
}

/* Index of the first "##" in w[0..len), or len. */
static size_t find_hh(const char *w, size_t len)
{
    const char *p = w, *e = w + len;
    while (e - p >= 2) {
        p = memchr(p, '#', (size_t)(e - p - 1));
        if (p == NULL)
            break;
        if (p[1] == '#')
            return (size_t)(p - w);
        p += 2;
    }
    return len;
}

static inline bool is4digits(const char *p, size_t *ret)
{
    size_t v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned d = (unsigned char)p[i] - (unsigned)'0';
        if (d > 9)
            return false;
        v = v * 10 + d;
    }
    *ret = v;
    return true;
}

static int ev_reject(struct hj212_framer *f, const char *w, hj212_reject why,
                     struct hj212_event *ev, size_t *consume)
{
    ev->kind = HJ212_EV_REJECT;
    ev->reason = why;
    ev->data = w;
    ev->len = 1;
    ev->seg = NULL;
    ev->seg_len = 0;
    ev->crc = 0;
    ev->flags = 0;
    f->st.rejects[why]++;
    *consume = 1; /* resume at the second '#': "###0101…" still yields its frame */
    return 1;
}

static int ev_frame(struct hj212_framer *f, const char *w, size_t seg_len, size_t total,
                    uint16_t crc, unsigned flags, struct hj212_event *ev, size_t *consume)
{
    if (seg_len > HJ212_STD_MAX_SEG) {
        flags |= HJ212_FRAME_OVER_1024;
        f->st.over_1024++;
    }
    if (flags & HJ212_FRAME_LENGTH_FIXED)
        f->st.length_fixed++;
    ev->kind = HJ212_EV_FRAME;
    ev->reason = HJ212_REJ_NONE;
    ev->data = w;
    ev->len = total;
    ev->seg = w + 6;
    ev->seg_len = seg_len;
    ev->crc = crc;
    ev->flags = flags;
    f->st.frames++;
    f->st.frame_bytes += total;
    *consume = total;
    return 1;
}

/* lenient_length: the first CR LF after the header ends the frame if the CRC agrees. */
static int try_fixed_length(struct hj212_framer *f, const char *w, size_t limit,
                            struct hj212_event *ev, size_t *consume)
{
    for (size_t e = 10; e + 1 < limit; e++) {
        if (w[e] != '\r' || w[e + 1] != '\n')
            continue;
        int c = hj212__hex4(w + e - 4);
        size_t seg_len = e - 10;
        if (c >= 0 && hj212_crc_of(f->crc, w + 6, seg_len) == (uint16_t)c)
            return ev_frame(f, w, seg_len, e + 2, (uint16_t)c, HJ212_FRAME_LENGTH_FIXED, ev,
                            consume);
        return 0;
    }
    return 0;
}

/* Examine the window w[0..len).  Returns 1 with *ev and *consume, or 0 with *need (bytes from
 * w needed to decide; only when !eof). */
static int frame_at(struct hj212_framer *f, const char *w, size_t len, bool eof,
                    struct hj212_event *ev, size_t *consume, size_t *need)
{
    size_t p = find_hh(w, len);
    if (p > 0) {
        size_t k = p;
        if (p == len && !eof && w[len - 1] == '#')
            k = len - 1; /* may be the first half of "##" */
        if (k == 0) {
            *need = len + 1;
            return 0;
        }
        ev->kind = HJ212_EV_STRAY;
        ev->reason = HJ212_REJ_STRAY;
        ev->data = w;
        ev->len = k;
        ev->seg = NULL;
        ev->seg_len = 0;
        ev->crc = 0;
        ev->flags = 0;
        f->st.rejects[HJ212_REJ_STRAY]++;
        f->st.stray_bytes += k;
        *consume = k;
        return 1;
    }
    if (len < 6) {
        if (eof)
            return ev_reject(f, w, HJ212_REJ_TRUNCATED, ev, consume);
        *need = 6;
        return 0;
    }
    size_t n;
    if (!is4digits(w + 2, &n))
        return ev_reject(f, w, HJ212_REJ_BAD_LENGTH, ev, consume);
    if (n > f->max_seg)
        return ev_reject(f, w, HJ212_REJ_OVERSIZE, ev, consume);
    size_t total = HJ212_OVERHEAD + n;
    if (len < total) {
        if (!eof) {
            *need = total;
            return 0;
        }
        if (f->lenient_length && try_fixed_length(f, w, len, ev, consume))
            return 1;
        return ev_reject(f, w, HJ212_REJ_TRUNCATED, ev, consume);
    }
    if (w[total - 2] != '\r' || w[total - 1] != '\n') {
        if (f->lenient_length && try_fixed_length(f, w, total, ev, consume))
            return 1;
        return ev_reject(f, w, HJ212_REJ_LENGTH_MISMATCH, ev, consume);
    }
    int c = hj212__hex4(w + 6 + n);
    if (c < 0 || hj212_crc_of(f->crc, w + 6, n) != (uint16_t)c)
        return ev_reject(f, w, HJ212_REJ_CRC, ev, consume);
    return ev_frame(f, w, n, total, (uint16_t)c, 0, ev, consume);
}

int hj212_framer_next(struct hj212_framer *f, struct hj212_event *ev)
{
    size_t consume = 0, need = 0;
    for (;;) {
        size_t live = f->blen - f->bpos;
        size_t in_rem = f->in_len - f->in_pos;
        if (live > 0) {
            bool eof = f->eof && in_rem == 0;
            const char *w = f->buf + f->bpos;
            if (frame_at(f, w, live, eof, ev, &consume, &need)) {
                ev->offset = f->off;
                f->off += consume;
                f->bpos += consume;
                if (f->bpos == f->blen)
                    f->bpos = f->blen = 0;
                return 1;
            }
            if (in_rem == 0)
                return 0;
            size_t k = need - live;
            if (k > in_rem)
                k = in_rem;
            if (f->blen + k > f->cap) {
                memmove(f->buf, f->buf + f->bpos, live);
                f->bpos = 0;
                f->blen = live;
            }
            memcpy(f->buf + f->blen, f->in + f->in_pos, k);
            f->blen += k;
            f->in_pos += k;
            continue;
        }
        if (in_rem == 0)
            return 0;
        const char *w = f->in + f->in_pos;
        if (frame_at(f, w, in_rem, f->eof, ev, &consume, &need)) {
            ev->offset = f->off;
            f->off += consume;
            f->in_pos += consume;
            return 1;
        }
        /* in_rem < need <= cap: keep the unfinished tail. */
        memcpy(f->buf, w, in_rem);
        f->bpos = 0;
        f->blen = in_rem;
        f->in_pos = f->in_len;
        return 0;
    }
}
