/* draw.c — the pure part of "double random" draws (双随机一公开): a seeded generator and the
 * selection, so that a recorded seed and candidate list always give the same result.
 *
 * Generator: xoshiro256** 1.0 (D. Blackman, S. Vigna, "Scrambled linear pseudorandom number
 * generators", 2018; reference code prng.di.unimi.it/xoshiro256starstar.c), its state filled from
 * the 64-bit seed by splitmix64 (G. Steele, D. Lea, C. Flood, OOPSLA 2014), as its authors advise.
 * Bounded values: D. Lemire, "Fast random integer generation in an interval" (2019),
 * multiply-and-reject, so every index is exactly equally likely.  Selection: the first k steps of
 * a Fisher–Yates (Durstenfeld) shuffle of 0..n-1.  Inspectors are drawn after the enterprises with
 * the same generator.  DRAW_ALGORITHM names all of this and is recorded with each draw.
 * Not for secrets: the seed is public by design (anyone can replay the draw).
 */
#include <string.h>

#include "common/eg_mem.h"
#include "supervise.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void draw_rng_seed(struct draw_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t draw_rng_next(struct draw_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t draw_rng_below(struct draw_rng *r, uint64_t n)
{
    __extension__ typedef unsigned __int128 u128;
    u128 m = (u128)draw_rng_next(r) * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        uint64_t thresh = (0 - n) % n;
        while (low < thresh) {
            m = (u128)draw_rng_next(r) * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

/* Partial Fisher–Yates: the first k of a shuffle of idx[0..n). */
static void partial_shuffle(struct draw_rng *r, size_t *idx, size_t n, size_t k)
{
    for (size_t i = 0; i < k && i < n; i++) {
        size_t j = i + (size_t)draw_rng_below(r, (uint64_t)(n - i));
        size_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
}

int draw_run(uint64_t seed, size_t n_ent, size_t k, size_t n_insp, size_t per,
             draw_excluded_fn excluded, void *ud, size_t *out_ent, size_t *out_insp,
             struct eg_errbuf *eb)
{
    if (n_ent > DRAW_MAX_CANDIDATES || n_insp > DRAW_MAX_INSPECTORS || per > 16)
        return eg_errf(eb, EG_ELIMIT,
                       "a draw takes at most %d enterprises, %d inspectors and 16 inspectors "
                       "each",
                       DRAW_MAX_CANDIDATES, DRAW_MAX_INSPECTORS);
    if (k > n_ent)
        k = n_ent;
    if ((k && !out_ent) || (per && k && n_insp && !out_insp))
        return eg_errf(eb, EG_EINVAL, "draw_run: no output");
    struct draw_rng r;
    draw_rng_seed(&r, seed);
    size_t *idx = eg_malloc((n_ent ? n_ent : 1) * sizeof(size_t));
    size_t *el = eg_malloc((n_insp ? n_insp : 1) * sizeof(size_t));
    if (!idx || !el) {
        eg_free(idx);
        eg_free(el);
        return eg_errf(eb, EG_ENOMEM, "out of memory for a draw of %zu", n_ent);
    }
    for (size_t i = 0; i < n_ent; i++)
        idx[i] = i;
    partial_shuffle(&r, idx, n_ent, k);
    memcpy(out_ent, idx, k * sizeof(size_t));
    if (per && n_insp && out_insp) {
        for (size_t e = 0; e < k; e++) {
            size_t m = 0;
            for (size_t i = 0; i < n_insp; i++)
                if (!excluded || !excluded(ud, i, out_ent[e]))
                    el[m++] = i;
            partial_shuffle(&r, el, m, per);
            for (size_t p = 0; p < per; p++)
                out_insp[e * per + p] = p < m ? el[p] : SIZE_MAX;
        }
    }
    eg_free(idx);
    eg_free(el);
    return 0;
}

int draw_select(uint64_t seed, size_t n, size_t k, size_t *out, struct eg_errbuf *eb)
{
    return draw_run(seed, n, k, 0, 0, NULL, NULL, out, NULL, eb);
}

static const struct draw_pool_rule rules[] = {
    {"key", 2500, "quarter",
     "重点排污单位: county-level bureaus ≥ 25 % per quarter (city ≥ 5 %); Guangdong 2016 "
     "implementation of 环办〔2015〕88号 [SEC, national ratio UNVERIFIED]"},
    {"general", 2000, "year",
     "一般排污单位: ≥ 1 inspector : 5 units per year (city level), here 20 % per year; Guangdong "
     "2016 / Jiangxi c-class [SEC]"},
    {"special", 10000, "quarter",
     "特殊监管对象 (incl. credit 警示/不良 not repaired): 100 % every quarter; Fuzhou 2021 [SEC]"},
    {"all", 500, "quarter",
     "every active enterprise; 5 % per quarter (the city-level key ratio) "
     "as a default [our choice]"},
};

const struct draw_pool_rule *draw_pool_rule(const char *pool)
{
    for (size_t i = 0; pool && i < sizeof(rules) / sizeof(rules[0]); i++)
        if (!strcmp(rules[i].pool, pool))
            return &rules[i];
    return NULL;
}
