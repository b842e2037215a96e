/* water.h — the water evaluation core: pure computation over sampling results, no I/O, no
 * allocation.  Surface water (GB 3838-2002, 环办〔2011〕22号), CWQI (环办监测〔2017〕51号),
 * drinking-water sources (GB 3838 clause 5.3), lake trophic state (TLI), sea water (GB 3097-1997
 * and the near-shore grading), groundwater (GB/T 14848-2017) and urban black-odorous water
 * (建城〔2015〕130号).  docs/water.md gives every rule with its clause and the choices made where
 * the texts are silent.
 *
 * Numbers: a concentration is an int64 count of 10^-9 of the standard table's unit
 * (STD_WQ_SCALE), so every limit and every mean is exact; a below-detection result carries its
 * detection limit.  Means are exact sums over counts rounded by GB/T 8170 (half to even); no binary
 * float decides a rounding or a class boundary, except where the rule itself is transcendental
 * (the pH mean via [H+], the TLI logarithms: see the functions).
 *
 * A sample comes from any source — a laboratory file or an HJ 212 automatic station — as
 * (parameter, day, value, flags); the evaluation does not care which.
 */
#ifndef EVAL_WATER_H
#define EVAL_WATER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "standards/standards.h"

#define WQ_ND 1u /* below the detection limit: v is the detection limit */

struct wq_sample {
    int32_t param; /* std_wparam index */
    int32_t day;   /* eg_time day (Beijing) */
    int64_t v;     /* × 10^9 in the standard's unit; the detection limit when WQ_ND */
    uint32_t flags;
};

/* A period mean of one parameter. */
struct wq_value {
    int64_t v;    /* × 10^9; rounded to the item's digits; the largest DL when nd_only */
    uint16_t n;   /* results in the mean (0 = no value) */
    uint16_t nnd; /* of which below detection */
    bool nd_only; /* every result was below detection */
};

/* Period mean of n results of one parameter (GB/T 8170 half to even at `decimals`, -1 = exact to
 * 10^-9; a non-zero mean that would round to 0 keeps one significant figure, 2020 statistics
 * rule).  Below-detection results count as half their detection limit when mixed with detected
 * ones ([UNVERIFIED] common practice); when all are below detection the mean is "below the
 * largest detection limit" (nd_only).  ph: the mean is −log10(mean of 10^−pH) (2020 rule),
 * computed in long double to 10^-6 and then rounded exactly; equal values need no logarithm. */
void wq_mean(const struct wq_sample *s, size_t n, int decimals, bool ph, struct wq_value *ret);

/* Round an exact mean sum/(2·cnt) (sum counts half-units of 10^-9) as wq_mean does. */
int64_t wq_round_mean(int64_t sum2, int64_t cnt, int decimals);

/* Class of a value on a table row: 1..nclass = the best class met (从优不从劣), nclass+1 = worse
 * than every class, 0 = cannot be judged (no value, a narrative row, or a below-detection result
 * whose detection limit is above every class limit / a lower-bound or range item). */
int wq_class(const struct std_wq_item *it, const struct wq_value *v);

/* Does the value meet class k (1-based; k > nclass means the last class)? */
bool wq_meets(const struct std_wq_item *it, const struct wq_value *v, int k);

/* Exceedance multiple (C − L) / L against the upper limit of class k, × 10^scale (GB/T 8170);
 * -1 when it does not apply (not an upper-limit item, no limit at k, not above it, or nd_only).
 * GB 3838 clause 5.1 / 环办〔2011〕22号: not for water temperature, pH or DO. */
int64_t wq_multiple(const struct std_wq_item *it, const struct wq_value *v, int k, int scale);

/* ---- Single-factor evaluation over one table (GB 3838 5.1, GB 3097, GB/T 14848 clause 8) ---- */

#define WQ_MAX_ITEMS  128
#define WQ_MULT_SCALE 2 /* exceedance multiples are reported to 0.01 */

struct wq_sf_item {
    const struct std_wq_item *it;
    struct wq_value v;
    int cls;             /* wq_class */
    int64_t mult_ref;    /* multiple against the reference class (surface: III), -1 none */
    int64_t mult_target; /* multiple against the target class, -1 none */
};

struct wq_sf {
    const struct std_wq_table *table;
    int cls;       /* worst class among the judged items; 0 when none was judged */
    size_t n;      /* items evaluated (with a value) */
    size_t nundet; /* of which could not be judged (class 0) */
    struct wq_sf_item item[WQ_MAX_ITEMS];
};

/* Evaluate every row of t that has a value in means[param] (nparam entries): eval21_only keeps
 * the 21 items of 环办〔2011〕22号; lake picks TP_lake instead of TP_river (GB 3838 Table 1, item
 * 8).  ref_class / target (1-based, 0 = none) select the multiples computed. */
void wq_single_factor(const struct std_wq_table *t, const struct wq_value *means, size_t nparam,
                      bool eval21_only, bool lake, int ref_class, int target, struct wq_sf *ret);

/* ---- Surface-water sections (GB 3838-2002, 环办〔2011〕22号) ---- */

struct wq_section {
    struct wq_sf sf;    /* the 21 items (the monitored subset, "9+X") */
    int cls;            /* 1..6 (6 = 劣V); 0 = nothing judged */
    const char *status; /* 优 良好 轻度污染 中度污染 重度污染; NULL when cls = 0 */
    int target;         /* 1..5, 0 = none */
    bool attained;      /* cls <= target (false without a target) */
    size_t main[3];     /* indexes into sf.item of the main pollutants (§5), nmain of them */
    size_t nmain;
};

/* Section class and status: the worst class of the evaluated items (single factor), items over
 * class III with (C − C_III)/C_III, over the target, main pollutants (status 轻度污染 or worse:
 * the three worst items by class, then multiple; cyanide and heavy metals first), attainment of
 * the target class. */
void wq_section_eval(const struct wq_value *means, size_t nparam, bool lake, int target,
                     struct wq_section *ret);

/* River or basin grading with >= 5 sections (环办〔2011〕22号 Table 2): n13 sections in I–III,
 * n6 worse than V, of n.  Returns the status text; NULL when n < 5 (then evaluate the averaged
 * indicators as one section: wq_section_eval). */
const char *wq_river_grade(size_t n13, size_t n6, size_t n);

/* ---- CWQI (环办监测〔2017〕51号) ---- */

#define WQ_CWQI_ROWS 24
struct wq_cwqi {
    int64_t item[WQ_CWQI_ROWS]; /* × 10^9 per std_cwqi_rows row; -1 = not applicable / no value */
    int64_t total;              /* Σ, × 10^9 */
    int nitems;                 /* items with a value */
};

/* Single-indicator indices and their sum from (averaged) concentrations: C/Cs, DO Cs/C, pH
 * (7 − pH)/(7 − 6) or (pH − 7)/(9 − 7); TP on the lake limit when lake.  Each index is exact to
 * 10^-9 (half to even). */
void wq_cwqi(const struct wq_value *means, size_t nparam, bool lake, struct wq_cwqi *ret);
/* City CWQI (CWQI_river·M + CWQI_lake·N)/(M + N) [UNVERIFIED weighting], × 10^9. */
int64_t wq_cwqi_city(int64_t river, size_t m, int64_t lake, size_t n);
/* ΔCWQI = (now − before)/before × 100 %, × 10^2 (two decimals), from the two CWQIs rounded to
 * four decimals (the published precision); negative = better.  before must be > 0. */
int64_t wq_cwqi_change(int64_t now, int64_t before);
/* CWQI × 10^9 rounded to four decimals, × 10^4. */
int64_t wq_cwqi_round4(int64_t v);

/* ---- Drinking-water sources (GB 3838 clause 5.3; GB/T 14848 for groundwater sources) ---- */

struct wq_drinking {
    bool compliant; /* every evaluated item meets class III / its limit */
    size_t n;       /* items evaluated */
    size_t nfail;   /* items failing (fail[] holds the first 16) */
    struct wq_sf_item fail[16];
};

/* Surface source (ground = false): the 21 items of Table 1 at class III (TP by lake), plus the
 * Table 2 and Table 3 items present in means; groundwater source: GB/T 14848 at class III. */
void wq_drinking_eval(const struct wq_value *means, size_t nparam, bool ground, bool lake,
                      struct wq_drinking *ret);

/* ---- Lake trophic state (TLI, 环办〔2011〕22号) ---- */

struct wq_tli {
    bool valid;        /* all five parameters present and positive */
    int64_t tli;       /* TLI(Σ) × 10, rounded (one decimal) */
    int64_t part[5];   /* TLI(j) × 10 in std_tli() row order */
    const char *grade; /* 贫营养 … 重度富营养 */
};

/* TLI(Σ) = Σ W_j · 10 (a_j + b_j ln x_j) with chla in mg/m3 and SD in m (converted by the caller);
 * the logarithm is computed in long double and the index rounded to one decimal; the grade is
 * that of the rounded value (30 and 50 belong to 中营养). */
void wq_tli(const struct wq_value *means, size_t nparam, struct wq_tli *ret);

/* ---- Sea water near-shore statistics (GB 3097-1997; nearshore_grading.csv) ---- */

struct wq_share {
    int64_t p12, p123, p4x; /* percent × 10^2, GB/T 8170 */
    const char *status;     /* 优 良好 一般 差 极差; NULL when the total is 0 */
};

/* Shares of classes I+II, I–III and worse than IV, weighted by w[i] (1 for point shares, the
 * represented area for area shares; cls[i] 1..5, 0 = not judged and skipped), and the grading. */
void wq_sea_share(const int *cls, const int64_t *w, size_t n, struct wq_share *ret);

/* ---- Urban black-odorous water (建城〔2015〕130号) ---- */

enum wq_odor { WQ_ODOR_NONE, WQ_ODOR_LIGHT, WQ_ODOR_HEAVY };

/* Grade of one measurement of one indicator row.  depth_cm × 10^9 (0 = unknown): when the water
 * is shallower than 25 cm the SD thresholds become 40 % of the depth. */
enum wq_odor wq_odor_grade(const struct std_odor_row *r, int64_t v, int64_t depth);

struct wq_odor_point {
    enum wq_odor grade;
    int n[4], light[4], heavy[4]; /* per std_odor_rows row: results, light, heavy */
};

/* Point judgement over the period's results ([UNVERIFIED] guide rule): heavy when one indicator
 * has >= 60 % of its results heavy or two indicators >= 30 %; light when any result is light or
 * heavy; else none. */
void wq_odor_point(const struct wq_sample *s, size_t n, int64_t depth, struct wq_odor_point *ret);
/* Water body: heavy when >= 60 % of its points are heavy; light when any point is; else none. */
enum wq_odor wq_odor_body(const enum wq_odor *points, size_t n);
const char *wq_odor_name(enum wq_odor g);

#endif
