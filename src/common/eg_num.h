/* eg_num.h — exact decimal numbers: parsing to scaled integers, GB/T 8170 rounding, formatting.
 *
 * Official figures are decimal.  A value is carried as an integer count of its smallest reported
 * step (value × 10^scale), sums and counts stay integers, and every rounding is done on an exact
 * rational with GB/T 8170 "四舍六入五成双" (round half to even on the exact value; negative values
 * round their magnitude, then the sign is restored).  A binary float never decides a rounding.
 */
#ifndef EG_NUM_H
#define EG_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eg_err.h"

#define EG_SCALE_MAX 9

/* 128-bit integers (gcc and clang) for exact intermediate products. */
__extension__ typedef __int128 eg_i128;

/* 10^k for 0 <= k <= 18. */
int64_t eg_pow10(int k);

/* Parse decimal text (optional sign, digits, optional '.' and digits; surrounding blanks allowed;
 * no exponent) into value × 10^scale.  Digits beyond `scale` are rounded half to even.
 * Returns 0, EG_EPARSE (not a number; *ret untouched) or EG_ERANGE (overflow). */
int eg_dec_parse(const char *s, size_t n, int scale, int64_t *ret) EG_MUST_CHECK;

/* As eg_dec_parse, and also report how many decimals the text carried. */
int eg_dec_parse2(const char *s, size_t n, int scale, int64_t *ret,
                  int *ret_decimals) EG_MUST_CHECK;

/* num / den rounded by GB/T 8170 (half to even, symmetric for negatives).  den > 0. */
int64_t eg_div_round(int64_t num, int64_t den);
/* Same on 128-bit operands; the quotient must fit in int64. */
int64_t eg_div_round128(eg_i128 num, eg_i128 den);
/* Ceiling of num / den for den > 0 (any sign of num). */
int64_t eg_div_ceil(int64_t num, int64_t den);

/* Change the scale of v (value × 10^from) to value × 10^to, rounding half to even. */
int64_t eg_rescale(int64_t v, int from, int to);

/* Format value × 10^-scale as plain decimal text with exactly `scale` decimals ("12.30", "-0.5").
 * Returns the length written (always NUL-terminated; truncated if n is too small). */
size_t eg_dec_format(int64_t v, int scale, char *buf, size_t n);

/* An exact non-negative-denominator rational, for statistics such as the composite index. */
struct eg_rat {
    eg_i128 num;
    eg_i128 den; /* > 0 */
};

struct eg_rat eg_rat_make(int64_t num, int64_t den);
/* a + b, reduced by their gcd; no overflow checks beyond 128 bits (callers keep terms small). */
struct eg_rat eg_rat_add(struct eg_rat a, struct eg_rat b);
struct eg_rat eg_rat_mul(struct eg_rat a, struct eg_rat b);
struct eg_rat eg_rat_div(struct eg_rat a, struct eg_rat b);
int eg_rat_cmp(struct eg_rat a, struct eg_rat b);
/* r rounded to `scale` decimals (GB/T 8170), as an integer × 10^scale. */
int64_t eg_rat_round(struct eg_rat r, int scale);
/* Approximate value, for display only. */
double eg_rat_to_double(struct eg_rat r);

#endif
