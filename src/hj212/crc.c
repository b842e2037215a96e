/* crc.c — HJ 212-2017 Appendix A CRC ("ANSI CRC16") and the CRC-16/MODBUS device option.
 *
 * Appendix A: r = 0xFFFF; per byte r = (r >> 8) ^ b, then 8 × {lsb = r & 1; r >>= 1; if lsb:
 * r ^= 0xA001}.  Equivalently r = T[(r >> 8) ^ b] with the reflected-0xA001 table T, so the chain
 * carries only the 8-bit index s = (r >> 8): s' = H[s] ^ b with H[i] = T[i] >> 8, and the result
 * is T[s_last].  H is GF(2)-linear, hence s after 8 bytes = H^8[s] ^ H^7[b1] ^ … ^ H[b7] ^ b8:
 * slicing-by-8 with eight 256-byte tables and a single lookup on the dependency chain.
 */
#include "hj212-int.h"

static uint16_t crc_t[256];   /* reflected 0xA001 table (MODBUS/ARC table) */
static uint8_t crc_h[9][256]; /* crc_h[k] = H^k (k = 1..8); crc_h[0] unused */
static uint16_t crc_ready;

static void crc_init(void)
{
    for (unsigned i = 0; i < 256; i++) {
        unsigned c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ 0xA001u : c >> 1;
        crc_t[i] = (uint16_t)c;
    }
    for (unsigned i = 0; i < 256; i++) {
        crc_h[0][i] = (uint8_t)i;
        crc_h[1][i] = (uint8_t)(crc_t[i] >> 8);
    }
    for (int k = 2; k <= 8; k++)
        for (unsigned i = 0; i < 256; i++)
            crc_h[k][i] = crc_h[1][crc_h[k - 1][i]];
    crc_ready = 1;
}

static inline void crc_once(void)
{
    /* Idempotent and race-benign: every thread writes identical values. */
    if (!crc_ready)
        crc_init();
}

/* Advance the 8-bit state s over p[0..n). */
static inline unsigned crc_run(unsigned s, const uint8_t *p, size_t n)
{
    while (n >= 8) {
        s = crc_h[8][s] ^ crc_h[7][p[0]] ^ crc_h[6][p[1]] ^ crc_h[5][p[2]] ^ crc_h[4][p[3]] ^
            crc_h[3][p[4]] ^ crc_h[2][p[5]] ^ crc_h[1][p[6]] ^ p[7];
        p += 8;
        n -= 8;
    }
    while (n--)
        s = crc_h[1][s] ^ *p++;
    return s;
}

uint16_t hj212_crc(const void *data, size_t n)
{
    const uint8_t *p = data;
    crc_once();
    if (n == 0)
        return 0xFFFF;
    unsigned s = 0xFFu ^ p[0];
    s = crc_run(s, p + 1, n - 1);
    return crc_t[s];
}

void hj212_crc_multi(const void *const *data, const size_t *n, size_t count, uint16_t *ret)
{
    crc_once();
    size_t i = 0;
    /* Four independent chains at a time: their lookups overlap in the pipeline. */
    for (; i + 4 <= count; i += 4) {
        const uint8_t *p[4];
        size_t len[4], m = SIZE_MAX;
        unsigned s[4];
        for (int k = 0; k < 4; k++) {
            p[k] = data[i + (size_t)k];
            len[k] = n[i + (size_t)k];
            if (len[k] < m)
                m = len[k];
        }
        if (m == 0) {
            for (int k = 0; k < 4; k++)
                ret[i + (size_t)k] = hj212_crc(p[k], len[k]);
            continue;
        }
        for (int k = 0; k < 4; k++)
            s[k] = 0xFFu ^ p[k][0];
        size_t j = 1;
        for (; j + 8 <= m; j += 8) {
            for (int k = 0; k < 4; k++) {
                const uint8_t *q = p[k] + j;
                s[k] = crc_h[8][s[k]] ^ crc_h[7][q[0]] ^ crc_h[6][q[1]] ^ crc_h[5][q[2]] ^
                       crc_h[4][q[3]] ^ crc_h[3][q[4]] ^ crc_h[2][q[5]] ^ crc_h[1][q[6]] ^ q[7];
            }
        }
        for (int k = 0; k < 4; k++)
            ret[i + (size_t)k] = crc_t[crc_run(s[k], p[k] + j, len[k] - j)];
    }
    for (; i < count; i++)
        ret[i] = hj212_crc(data[i], n[i]);
}

uint16_t hj212_crc_modbus(const void *data, size_t n)
{
    const uint8_t *p = data;
    crc_once();
    unsigned r = 0xFFFF;
    for (size_t i = 0; i < n; i++)
        r = (r >> 8) ^ crc_t[(r ^ p[i]) & 0xFFu];
    return (uint16_t)r;
}

uint16_t hj212_crc_of(hj212_crc_kind kind, const void *data, size_t n)
{
    switch (kind) {
    case HJ212_CRC_MODBUS:
        return hj212_crc_modbus(data, n);
    case HJ212_CRC_MODBUS_SWAPPED: {
        uint16_t c = hj212_crc_modbus(data, n);
        return (uint16_t)((c >> 8) | (c << 8));
    }
    case HJ212_CRC_STD:
    default:
        return hj212_crc(data, n);
    }
}

static const signed char hexval[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
    ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

int hj212__hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hexval[(unsigned char)p[i]];
        if (d == 0)
            return -1;
        v = (v << 4) | (d - 1);
    }
    return v;
}
