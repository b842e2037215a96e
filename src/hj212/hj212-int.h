/* hj212-int.h — internals shared by the files of the hj212 module (not for other modules). */
#ifndef HJ212_INT_H
#define HJ212_INT_H

#include "hj212.h"

struct hj212__code {
    const char *code;      /* 2017 code */
    const char *code_2005; /* "" when none */
    const char *table;     /* B.1 / B.2 / B.3 */
};

extern const struct hj212__code hj212__codes[];
extern const size_t hj212__ncodes;
extern const unsigned short hj212__codes_by2005[];
extern const size_t hj212__ncodes_by2005;

/* 4 upper- or lower-case hex digits → value; -1 if not hex. */
int hj212__hex4(const char *p);

#endif
