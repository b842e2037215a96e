/* eg_num.c — exact decimal parsing, GB/T 8170 rounding and formatting (see eg_num.h). */
#include "eg_num.h"

#include <stdio.h>
#include <string.h>

static const int64_t p10[19] = {1LL,
                                10LL,
                                100LL,
                                1000LL,
                                10000LL,
                                100000LL,
                                1000000LL,
                                10000000LL,
                                100000000LL,
                                1000000000LL,
                                10000000000LL,
                                100000000000LL,
                                1000000000000LL,
                                10000000000000LL,
                                100000000000000LL,
                                1000000000000000LL,
                                10000000000000000LL,
                                100000000000000000LL,
                                1000000000000000000LL};

int64_t eg_pow10(int k)
{
    return (k >= 0 && k <= 18) ? p10[k] : 0;
}

int64_t eg_div_round128(eg_i128 num, eg_i128 den)
{
    int neg = num < 0;
    eg_i128 a = neg ? -num : num;
    eg_i128 q = a / den, r = a % den;
    eg_i128 twice = 2 * r;
    if (twice > den || (twice == den && (q & 1)))
        q++;
    return (int64_t)(neg ? -q : q);
}

int64_t eg_div_round(int64_t num, int64_t den)
{
    return eg_div_round128(num, den);
}

int64_t eg_div_ceil(int64_t num, int64_t den)
{
    int64_t q = num / den, r = num % den;
    return (r > 0) ? q + 1 : q;
}

int64_t eg_rescale(int64_t v, int from, int to)
{
    if (to >= from)
        return v * eg_pow10(to - from);
    return eg_div_round(v, eg_pow10(from - to));
}

int eg_dec_parse2(const char *s, size_t n, int scale, int64_t *ret, int *ret_decimals)
{
    size_t i = 0;
    int neg = 0, decimals = 0, seen_digit = 0, dot = 0;
    eg_i128 acc = 0;
    int extra = 0; /* digits beyond scale kept for rounding, at most 18 */
    eg_i128 extra_acc = 0;
    int sticky = 0; /* any non-zero digit past the kept extra */

    if (scale < 0 || scale > EG_SCALE_MAX)
        return EG_EINVAL;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        i++;
    }
    for (; i < n; i++) {
        char ch = s[i];
        if (ch == '.') {
            if (dot)
                return EG_EPARSE;
            dot = 1;
            continue;
        }
        if (ch < '0' || ch > '9')
            return EG_EPARSE;
        seen_digit = 1;
        int d = ch - '0';
        if (dot)
            decimals++;
        if (!dot || decimals <= scale) {
            acc = acc * 10 + d;
            if (acc > (eg_i128)INT64_MAX * 10)
                return EG_ERANGE;
        } else if (extra < 18) {
            extra_acc = extra_acc * 10 + d;
            extra++;
        } else if (d) {
            sticky = 1;
        }
    }
    if (!seen_digit)
        return EG_EPARSE;
    int have = decimals < scale ? decimals : scale;
    for (int k = have; k < scale; k++)
        acc *= 10;
    if (extra) {
        /* Round acc + extra_acc/10^extra half to even (sticky breaks the tie upward). */
        eg_i128 half = (eg_i128)p10[extra] / 2;
        if (extra_acc > half || (extra_acc == half && (sticky || (acc & 1))))
            acc++;
    }
    if (acc > INT64_MAX)
        return EG_ERANGE;
    *ret = (int64_t)(neg ? -acc : acc);
    if (ret_decimals)
        *ret_decimals = decimals;
    return 0;
}

int eg_dec_parse(const char *s, size_t n, int scale, int64_t *ret)
{
    return eg_dec_parse2(s, n, scale, ret, NULL);
}

size_t eg_dec_format(int64_t v, int scale, char *buf, size_t n)
{
    char tmp[48];
    int len;
    uint64_t a = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    if (scale <= 0) {
        len = snprintf(tmp, sizeof(tmp), "%s%llu", v < 0 ? "-" : "", (unsigned long long)a);
    } else {
        uint64_t p = (uint64_t)eg_pow10(scale);
        len = snprintf(tmp, sizeof(tmp), "%s%llu.%0*llu", v < 0 ? "-" : "",
                       (unsigned long long)(a / p), scale, (unsigned long long)(a % p));
    }
    if (n) {
        snprintf(buf, n, "%s", tmp);
    }
    return len < 0 ? 0 : ((size_t)len < n ? (size_t)len : (n ? n - 1 : 0));
}

static eg_i128 gcd128(eg_i128 a, eg_i128 b)
{
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b;
    while (b) {
        eg_i128 t = a % b;
        a = b;
        b = t;
    }
    return a ? a : 1;
}

static struct eg_rat rat_norm(eg_i128 num, eg_i128 den)
{
    if (den < 0) {
        num = -num;
        den = -den;
    }
    eg_i128 g = gcd128(num, den);
    struct eg_rat r = {num / g, den / g};
    return r;
}

struct eg_rat eg_rat_make(int64_t num, int64_t den)
{
    return rat_norm(num, den);
}

struct eg_rat eg_rat_add(struct eg_rat a, struct eg_rat b)
{
    eg_i128 g = gcd128(a.den, b.den);
    eg_i128 da = a.den / g;
    return rat_norm(a.num * (b.den / g) + b.num * da, da * b.den);
}

struct eg_rat eg_rat_mul(struct eg_rat a, struct eg_rat b)
{
    eg_i128 g1 = gcd128(a.num, b.den), g2 = gcd128(b.num, a.den);
    return rat_norm((a.num / g1) * (b.num / g2), (a.den / g2) * (b.den / g1));
}

struct eg_rat eg_rat_div(struct eg_rat a, struct eg_rat b)
{
    struct eg_rat inv = rat_norm(b.den, b.num);
    return eg_rat_mul(a, inv);
}

int eg_rat_cmp(struct eg_rat a, struct eg_rat b)
{
    eg_i128 l = a.num * b.den, r = b.num * a.den;
    return (l > r) - (l < r);
}

int64_t eg_rat_round(struct eg_rat r, int scale)
{
    return eg_div_round128(r.num * eg_pow10(scale), r.den);
}

double eg_rat_to_double(struct eg_rat r)
{
    return (double)r.num / (double)r.den;
}
