/* air-int.h — helpers shared by the files of the air evaluation core (src/eval/air/).  Not for
 * other modules: they include air.h only.
 */
#ifndef EVAL_AIR_INT_H
#define EVAL_AIR_INT_H

#include "air.h"

/* A concentration takes part only when present and non-negative (a negative 1-h value is an
 * instrument artefact, invalid by HJ 818 / HJ 630 audit rules; it never enters a mean). */
static inline bool air__valid(int32_t v)
{
    return v != AIR_NA && v >= 0;
}

/* Fill *ret's AQI, level and primary bits from its iaqi[] / missing bits (HJ 633-2012 3.3, eq. (2),
 * HJ 633-2026 4.3.1 and 5.3.1).  Shared by the hourly and the daily index. */
void air__finish(const struct std_aqi_rules *r, struct air_index *ret);

#endif
