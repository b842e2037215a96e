/* soil.h — soil evaluation core: pure computation, no I/O, no allocation.
 *
 * Farmland (GB 15618-2018): each item against the screening value of the sample's pH band and land
 * use (Table 1, Table 2) and, for Cd, Hg, As, Pb and Cr, the control value (Table 3); the plot
 * category 优先保护类 / 安全利用类 / 严格管控类 (clause 7 and gb15618_2018_categories.csv).
 * Construction land (GB 36600-2018): each item against the screening and control values of the
 * land class (first / second, clause 4), and the plot conclusion.  Both use the classification
 * mechanism of eval/water (wq_class): class 1 = <= screening, 2 = <= control, 3 = above.
 * docs/soil.md gives every rule and the choices where the texts are silent.
 */
#ifndef EVAL_SOIL_H
#define EVAL_SOIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eval/water/water.h"

enum soil_level {
    SOIL_NA = 0,           /* not judged (no value; below detection above the screening value) */
    SOIL_BELOW_SCREEN = 1, /* <= screening value */
    SOIL_BETWEEN = 2,      /* > screening, <= control value (or no control value) */
    SOIL_ABOVE_CONTROL = 3 /* > control value */
};

#define SOIL_MAX_ITEMS 96

struct soil_item {
    const struct std_wq_item *it;
    struct wq_value v;
    enum soil_level level;
    bool has_control;
    int64_t pi; /* v / screening value, × 10^2 (single-factor index Pi) */
};

struct soil_result {
    size_t n;
    struct soil_item item[SOIL_MAX_ITEMS];
    enum soil_level worst;
    int band;          /* farmland pH band 0..3, -1 unknown */
    char category;     /* farmland 'A' 'B' 'C', 0 = nothing judged */
    const char *label; /* 优先保护类 … / 低于筛选值 … */
};

/* Farmland sample: means[param] (mg/kg, pH dimensionless), land use, pH × 10^9 (< 0: unknown:
 * ret->band = -1, category 0 and nothing judged).  A (优先保护类): every item <= screening;
 * C (严格管控类): any of Cd, Hg, As, Pb, Cr above its control value; B (安全利用类) otherwise. */
void soil_farm_eval(const struct wq_value *means, size_t nparam, enum std_farm_use use, int64_t ph,
                    struct soil_result *ret);

/* Construction-land sample for land class 1 or 2: worst level of the items, labelled 低于筛选值 /
 * 需详细调查评估 (above screening) / 高于管制值. */
void soil_build_eval(const struct wq_value *means, size_t nparam, int land_class,
                     struct soil_result *ret);

const char *soil_level_name(enum soil_level l, bool farmland);

#endif
