/* uscc.c — the unified social credit code (统一社会信用代码) of GB 32100-2015.
 *
 * 18 characters over the 31-symbol alphabet 0-9 A-H J-N P-R T U W-Y (I, O, Z, S, V are never
 * used); positions 3-8 are the administrative division code (GB/T 2260, digits).  The check
 * character (§4.3 / Annex B): C18 = 31 - MOD(Σ_{i=1..17} C_i × W_i, 31), W_i = 3^(i-1) mod 31,
 * and a result of 31 is written 0.  Pure: no I/O.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "supervise.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int weight[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int value_of(char c)
{
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

char uscc_check_char(const char *code17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = value_of(code17[i]);
        if (v < 0)
            return 0;
        sum += v * weight[i];
    }
    return alphabet[(31 - sum % 31) % 31];
}

static int why_f(char *why, size_t n, const char *fmt, ...) EG_PRINTF(3, 4);

static int why_f(char *why, size_t n, const char *fmt, ...)
{
    if (why && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, n, fmt, ap);
        va_end(ap);
    }
    return EG_EINVAL;
}

int uscc_check(const char *s, size_t n, char *why, size_t why_n)
{
    if (why && why_n)
        why[0] = 0;
    if (!s || n != USCC_LEN)
        return why_f(why, why_n, "a unified social credit code has 18 characters, not %zu", n);
    for (size_t i = 0; i < USCC_LEN; i++) {
        char c = s[i];
        if (value_of(c) < 0) {
            if (c >= 'a' && c <= 'z')
                return why_f(why, why_n, "character %zu '%c' is lower case", i + 1, c);
            if (c == 'I' || c == 'O' || c == 'Z' || c == 'S' || c == 'V')
                return why_f(why, why_n, "character %zu '%c' is not used in codes (GB 32100-2015)",
                             i + 1, c);
            if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
                return why_f(why, why_n, "character %zu '%c' is not a code character", i + 1, c);
            return why_f(why, why_n, "character %zu is not a code character", i + 1);
        }
        if (i >= 2 && i <= 7 && !(c >= '0' && c <= '9'))
            return why_f(why, why_n,
                         "character %zu '%c': the administrative division code (characters 3-8) "
                         "is digits",
                         i + 1, c);
    }
    char want = uscc_check_char(s);
    if (want != s[17])
        return why_f(why, why_n, "check character is '%c', expected '%c' (GB 32100-2015)", s[17],
                     want);
    return 0;
}
