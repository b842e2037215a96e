/* bench_hj212.c — throughput of the HJ 212 codec on the real 2016 capture (tests/data/hj212).
 *
 * All 21 capture files are decompressed into memory first (zlib); only the codec is timed:
 * stream framing + Appendix A CRC + data-segment parse of every frame, one core.  The same run
 * times a naive reference the way peer implementations work (split lines on '\n', atoi the
 * length, bit-by-bit CRC, split fields with strchr) and prints the ratio.
 * Usage: bench_hj212 [DATA_DIR] [ROUNDS]
 */
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "hj212/hj212.h"

#ifndef HJ212_DATA_DIR
#define HJ212_DATA_DIR "tests/data/hj212"
#endif

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this thread: on a shared machine (other builds on the same cores) the wall clock
 * also counts time the benchmark was not running; both are printed. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct stream {
    char *p;
    size_t n;
};

static int load(const char *dir, struct stream *s, int max)
{
    static const int hours[] = {0,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13,
                                14, 15, 16, 17, 18, 19, 20, 21, 22, 23};
    int k = 0;
    for (size_t h = 0; h < sizeof hours / sizeof hours[0] && k < max; h++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/xiaoyao_2016-08-24_%02d.h212.gz", dir, hours[h]);
        gzFile g = gzopen(path, "rb");
        if (g == NULL) {
            fprintf(stderr, "bench_hj212: cannot open %s\n", path);
            return -1;
        }
        size_t cap = 4u << 20, len = 0;
        char *p = malloc(cap);
        for (;;) {
            if (p == NULL)
                return -1;
            if (cap - len < 65536) {
                char *np = realloc(p, cap * 2);
                if (np == NULL) {
                    free(p);
                    return -1;
                }
                p = np;
                cap *= 2;
            }
            int r = gzread(g, p + len, 65536);
            if (r <= 0)
                break;
            len += (size_t)r;
        }
        gzclose(g);
        s[k].p = p;
        s[k].n = len;
        k++;
    }
    return k;
}

static _Alignas(max_align_t) char fmem[HJ212_MAX_FRAME + 1024];
static struct hj212_item items[128];
static struct hj212_field fields[1024];
static struct hj212_pair params[64], extra[16];

/* The codec: framer fed 64 KiB chunks (like socket reads), CRC, parse. */
static uint64_t run_codec(const struct stream *s, int ns, bool parse, uint64_t *ret_fields)
{
    uint64_t frames = 0, nf = 0;
    struct hj212_record r;
    hj212_record_init(&r, extra, 16, params, 64, items, 128, fields, 1024);
    for (int i = 0; i < ns; i++) {
        struct hj212_framer *f;
        if (hj212_framer_init(fmem, sizeof fmem, NULL, &f) != 0)
            abort();
        size_t pos = 0;
        struct hj212_event ev;
        while (pos < s[i].n) {
            size_t k = s[i].n - pos < 65536 ? s[i].n - pos : 65536;
            if (hj212_framer_push(f, s[i].p + pos, k) != 0)
                abort();
            pos += k;
            while (hj212_framer_next(f, &ev) == 1) {
                if (ev.kind != HJ212_EV_FRAME)
                    continue;
                frames++;
                if (parse && hj212_parse(ev.seg, ev.seg_len, &r, NULL) == 0)
                    nf += r.nfields + r.nparams;
            }
        }
        hj212_framer_finish(f);
        while (hj212_framer_next(f, &ev) == 1)
            frames += ev.kind == HJ212_EV_FRAME;
    }
    *ret_fields = nf;
    return frames;
}

/* ---- naive reference, as the peers do it ---- */

static unsigned naive_crc(const char *p, size_t n)
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
    return r;
}

static uint64_t run_naive(const struct stream *s, int ns, bool parse, uint64_t *ret_fields)
{
    uint64_t frames = 0, nf = 0;
    static char line[16384];
    for (int i = 0; i < ns; i++) {
        const char *p = s[i].p, *e = s[i].p + s[i].n;
        while (p < e) {
            const char *nl = memchr(p, '\n', (size_t)(e - p));
            size_t ll = nl ? (size_t)(nl - p) : (size_t)(e - p);
            if (ll >= sizeof line)
                ll = sizeof line - 1;
            memcpy(line, p, ll); /* a line decoder hands over a copy */
            line[ll] = '\0';
            p = nl ? nl + 1 : e;
            if (ll && line[ll - 1] == '\r')
                line[--ll] = '\0';
            if (ll < 10 || line[0] != '#' || line[1] != '#')
                continue;
            char lf[5] = {line[2], line[3], line[4], line[5], 0};
            size_t n = (size_t)strtoul(lf, NULL, 10);
            if (n + 10 != ll)
                continue;
            unsigned c = (unsigned)strtoul(line + ll - 4, NULL, 16);
            if (naive_crc(line + 6, n) != c)
                continue;
            frames++;
            if (!parse)
                continue;
            line[6 + n] = '\0';
            for (char *q = line + 6; q && *q;) {
                char *sep = strpbrk(q, ";,");
                if (sep)
                    *sep = '\0';
                if (strchr(q, '='))
                    nf++;
                q = sep ? sep + 1 : NULL;
            }
        }
    }
    *ret_fields = nf;
    return frames;
}

typedef uint64_t (*run_fn)(const struct stream *, int, bool, uint64_t *);

static double best_cpu[4];

static double best(run_fn fn, const struct stream *s, int ns, bool parse, int rounds,
                   uint64_t *ret_frames, uint64_t *ret_fields, double *ret_cpu)
{
    double b = 1e9, bc = 1e9;
    for (int r = 0; r < rounds; r++) {
        double t0 = now(), c0 = cpu_now();
        *ret_frames = fn(s, ns, parse, ret_fields);
        double t = now() - t0, c = cpu_now() - c0;
        if (t < b)
            b = t;
        if (c < bc)
            bc = c;
    }
    *ret_cpu = bc;
    return b;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : HJ212_DATA_DIR;
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    if (rounds < 1)
        rounds = 1;
    struct stream s[21];
    int ns = load(dir, s, 21);
    if (ns != 21) {
        fprintf(stderr, "bench_hj212: expected 21 capture files in %s\n", dir);
        return 1;
    }
    size_t bytes = 0;
    for (int i = 0; i < ns; i++)
        bytes += s[i].n;
    uint64_t f1, f2, f3, f4, x1, x2, x3, x4;
    double *c = best_cpu;
    double t_full = best(run_codec, s, ns, true, rounds, &f1, &x1, &c[0]);
    double t_frame = best(run_codec, s, ns, false, rounds, &f2, &x2, &c[1]);
    double t_nfull = best(run_naive, s, ns, true, rounds, &f3, &x3, &c[2]);
    double t_nframe = best(run_naive, s, ns, false, rounds, &f4, &x4, &c[3]);
    printf("hj212 bench: %zu bytes, 21 files, best of %d rounds, one core\n", bytes, rounds);
    printf("  codec   frame+CRC+parse : %8.3f ms  %10.0f frames/s  %7.1f MB/s  (%llu frames, %llu "
           "fields)\n",
           t_full * 1e3, (double)f1 / t_full, (double)bytes / t_full / 1e6, (unsigned long long)f1,
           (unsigned long long)x1);
    printf("  codec   frame+CRC       : %8.3f ms  %10.0f frames/s  %7.1f MB/s\n", t_frame * 1e3,
           (double)f2 / t_frame, (double)bytes / t_frame / 1e6);
    printf("  naive   frame+CRC+parse : %8.3f ms  %10.0f frames/s  %7.1f MB/s  (%llu frames, %llu "
           "fields)\n",
           t_nfull * 1e3, (double)f3 / t_nfull, (double)bytes / t_nfull / 1e6,
           (unsigned long long)f3, (unsigned long long)x3);
    printf("  naive   frame+CRC       : %8.3f ms  %10.0f frames/s  %7.1f MB/s\n", t_nframe * 1e3,
           (double)f4 / t_nframe, (double)bytes / t_nframe / 1e6);
    printf("  ratio codec/naive: frame+CRC+parse %.1fx, frame+CRC %.1fx\n", t_nfull / t_full,
           t_nframe / t_frame);
    printf("  thread CPU time (best): codec frame+CRC+parse %.3f ms = %.0f frames/s, frame+CRC "
           "%.3f ms = %.0f frames/s; naive %.3f / %.3f ms; ratio %.1fx / %.1fx\n",
           c[0] * 1e3, (double)f1 / c[0], c[1] * 1e3, (double)f2 / c[1], c[2] * 1e3, c[3] * 1e3,
           c[2] / c[0], c[3] / c[1]);
    for (int i = 0; i < ns; i++)
        free(s[i].p);
    return 0;
}
