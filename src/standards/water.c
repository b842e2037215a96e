/* water.c — the water, sea, groundwater and soil tables of standards/ (see the section of
 * standards.h), parsed once on first use from the embedded CSV files into one mechanism: rows of
 * class limits (struct std_wq_item), exact to 10^-9 of the table's unit.
 *
 * Tables: GB 3838-2002 Tables 1-3; 环办〔2011〕22号 Tables 1-2; 环办监测〔2017〕51号 CWQI rows; the
 * 2020 statistics digits; TLI parameters and grades; GB 3097-1997 Table 1; near-shore grading;
 * GB/T 14848-2017 Tables 1-2; 建城〔2015〕130号 grading; GB 15618-2018 Tables 1-3; GB 36600-2018
 * Tables 1-2.  Everything returned is static and immutable after the first call.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/eg_csv.h"
#include "common/eg_num.h"
#include "standards-int.h"

#define MAX_PARAMS 400
#define MAX_NAMES  1200
#define MAX_ROWS   (32 + 8 + 84 + 44 + 96 + 2 * 90)
#define MAX_FARM   16
#define TEXT_BYTES (96 * 1024)

struct name_ix {
    const char *name;
    int param;
};

static struct {
    int rc;
    struct eg_errbuf eb;
    char text[TEXT_BYTES];
    size_t text_len;
    struct std_wparam param[MAX_PARAMS];
    int nparam;
    struct name_ix names[MAX_NAMES];
    int nnames;
    struct std_wq_item rows[MAX_ROWS];
    size_t nrows;
    struct std_wq_table tab[STD_WQ_NSETS];
    const char *status[7];
    struct std_river_grading river;
    struct std_sea_grading sea;
    struct std_cwqi_row cwqi[24];
    size_t ncwqi;
    struct std_tli tli;
    struct std_odor_row odor[4];
    size_t nodor;
    const char *farm_source;
    size_t nfarm;
    struct std_wq_item farm[MAX_FARM][STD_FARM_NUSE][4];
} W;

static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Keys that name the same substance in different tables; the first is the canonical key. */
static const char *const synonyms[][4] = {
    {"VolatilePhenol", "volatile_phenol", "volatile_phenols", NULL},
    {"TP", "TP_river", "TP_lake", NULL},
    {"BaP", "benzo_a_pyrene", NULL, NULL},
    {"CN", "cyanide", NULL, NULL},
    {"DDT", "DDT_total", NULL, NULL},
    {"HCH", "HCH_total", NULL, NULL},
    {"PCBs", "PCBs_total", NULL, NULL},
    {"trichloromethane", "chloroform", NULL, NULL},
    {"tribromomethane", "bromoform", NULL, NULL},
    {"xylene", "xylenes_total", NULL, NULL},
    {"trichlorobenzene", "trichlorobenzenes_total", NULL, NULL},
    {"lindane", "gamma_HCH_lindane", "gamma_HCH", NULL},
    {"1_2_dichlorobenzene", "o_dichlorobenzene", NULL, NULL},
    {"1_4_dichlorobenzene", "p_dichlorobenzene", NULL, NULL},
    {"WT", "water_temperature", "water_temp", NULL},
    {"FecalColiform", "fecal_coliforms", NULL, NULL},
    {"Cr", "Cr_total", NULL, NULL},
};

/* Parameters that only the rounding, TLI and black-odorous tables name (no key there). */
static const char *const extra_params[][2] = {
    {"WT", "水温"},   {"conductivity", "电导率"},  {"turbidity", "浊度"},   {"chla", "叶绿素a"},
    {"SD", "透明度"}, {"algae_density", "藻密度"}, {"ORP", "氧化还原电位"},
};

static const char *intern_n(const char *s, size_t n)
{
    if (W.text_len + n + 1 > sizeof(W.text))
        return "";
    char *p = W.text + W.text_len;
    memcpy(p, s, n);
    p[n] = 0;
    W.text_len += n + 1;
    return p;
}

static const char *intern(struct eg_csv_field f)
{
    return intern_n(f.s, f.n);
}

static int open_csv(struct eg_csv *c, const char *name, const char **ret_source,
                    struct eg_errbuf *eb)
{
    struct eg_csv_field src;
    int rc = std__open(c, name, ret_source ? &src : NULL, eb);
    if (!rc && ret_source)
        *ret_source = intern_n(src.s, src.n);
    return rc;
}

/* ---- parameters ---- */

static bool key_eq(const char *a, const char *s, size_t n)
{
    return strlen(a) == n && strncasecmp(a, s, n) == 0;
}

static const char *canonical(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof(synonyms) / sizeof(synonyms[0]); i++)
        for (int k = 0; k < 4 && synonyms[i][k]; k++)
            if (key_eq(synonyms[i][k], s, n))
                return synonyms[i][0];
    return NULL;
}

static int param_by_key(const char *s, size_t n)
{
    const char *c = canonical(s, n);
    if (c) {
        s = c;
        n = strlen(c);
    }
    for (int i = 0; i < W.nparam; i++)
        if (key_eq(W.param[i].key, s, n))
            return i;
    return -1;
}

static int param_by_name(const char *s, size_t n)
{
    for (int i = 0; i < W.nnames; i++)
        if (strlen(W.names[i].name) == n && !memcmp(W.names[i].name, s, n))
            return W.names[i].param;
    return -1;
}

/* Length of a Chinese name without its bracketed note: "氨氮(NH3-N)" → "氨氮". */
static size_t stem_len(const char *s, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (s[i] == '(' || (i + 2 < n && !memcmp(s + i, "（", 3)))
            return i;
    return n;
}

static void add_name(const char *s, size_t n, int param)
{
    if (n == 0 || param_by_name(s, n) >= 0 || W.nnames >= MAX_NAMES)
        return;
    W.names[W.nnames].name = intern_n(s, n);
    W.names[W.nnames].param = param;
    W.nnames++;
}

/* The parameter of a table row with this key and Chinese name, registered if new. */
static int param_of(struct eg_csv_field key, struct eg_csv_field name)
{
    int p = param_by_key(key.s, key.n);
    if (p < 0 && key.n == 0)
        p = param_by_name(name.s, name.n);
    if (p < 0 && W.nparam < MAX_PARAMS) {
        const char *c = canonical(key.s, key.n);
        p = W.nparam++;
        W.param[p].key = c ? c : intern(key);
        W.param[p].name_zh = intern_n(name.s, stem_len(name.s, name.n));
    }
    if (p >= 0) {
        add_name(name.s, name.n, p);
        add_name(name.s, stem_len(name.s, name.n), p);
    }
    return p;
}

/* ---- limits ---- */

/* One limit cell: a decimal; "" = no requirement; "不得检出" = only a non-detect; ">x" (GB/T 14848
 * gross α/β class IV) = no upper bound in this class; ranges "6-9", "6.5<=pH<=8.5", "5.5<=pH<6.5
 * or 8.5<pH<=9.0" give lo = the first number and hi = the last. */
static int parse_cell(struct eg_csv_field f, enum std_wq_dir dir, int64_t *lo, int64_t *hi)
{
    *lo = *hi = STD_WQ_NONE;
    if (f.n == 0 || f.s[0] == '>')
        return 0;
    if (eg_csv_eq(f, "不得检出")) {
        *lo = *hi = STD_WQ_NOTDET;
        return 0;
    }
    if (dir != STD_WQ_RANGE) {
        int64_t v;
        if (eg_dec_parse(f.s, f.n, STD_WQ_SCALE, &v))
            return -1;
        if (dir == STD_WQ_LE)
            *hi = v;
        else
            *lo = v;
        return 0;
    }
    /* a range: scan the numbers (a '-' between two numbers is a dash, not a sign) */
    int found = 0;
    for (size_t i = 0; i < f.n;) {
        if (f.s[i] >= '0' && f.s[i] <= '9') {
            size_t j = i;
            while (j < f.n && ((f.s[j] >= '0' && f.s[j] <= '9') || f.s[j] == '.'))
                j++;
            int64_t v;
            if (eg_dec_parse(f.s + i, j - i, STD_WQ_SCALE, &v))
                return -1;
            if (!found++)
                *lo = v;
            *hi = v;
            i = j;
        } else {
            i++;
        }
    }
    return found >= 2 ? 0 : -1;
}

static enum std_wq_dir parse_dir(struct eg_csv_field f, int *ok)
{
    *ok = 1;
    if (eg_csv_eq(f, "le"))
        return STD_WQ_LE;
    if (eg_csv_eq(f, "ge"))
        return STD_WQ_GE;
    if (eg_csv_eq(f, "gt"))
        return STD_WQ_GT;
    if (eg_csv_eq(f, "range"))
        return STD_WQ_RANGE;
    if (eg_csv_eq(f, "text"))
        return STD_WQ_TEXT;
    *ok = 0;
    return STD_WQ_TEXT;
}

static struct std_wq_item *new_row(void)
{
    if (W.nrows >= MAX_ROWS)
        return NULL;
    struct std_wq_item *it = &W.rows[W.nrows++];
    memset(it, 0, sizeof(*it));
    it->decimals = -1;
    for (int k = 0; k < STD_WQ_MAXCLS; k++)
        it->lo[k] = it->hi[k] = STD_WQ_NONE;
    return it;
}

/* Tables with one row per item and a column per class: GB 3838 T1, GB 3097, GB/T 14848.
 * Columns: key, name, unit, dir, first class column; eval21 (GB 3838) and group (GB/T 14848). */
struct cls_layout {
    const char *file, *id;
    int nclass;
    const char *names[STD_WQ_MAXCLS + 1];
    int c_no, c_key, c_name, c_unit, c_dir, c_first, c_eval21, c_group;
};

static int load_class_table(enum std_wq_set set, const struct cls_layout *L, struct eg_errbuf *eb)
{
    struct eg_csv c;
    struct std_wq_table *T = &W.tab[set];
    int rc = open_csv(&c, L->file, &T->source, eb);
    if (rc)
        goto out;
    T->id = L->id;
    T->file = L->file;
    T->nclass = L->nclass;
    for (int k = 0; k <= L->nclass; k++)
        T->class_name[k] = L->names[k];
    T->items = &W.rows[W.nrows];
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        struct std_wq_item *it = new_row();
        int ok;
        int64_t no;
        struct eg_csv_field fno = eg_csv_get(&c, (size_t)L->c_no);
        if (!it || c.nfields < (size_t)(L->c_first + L->nclass) ||
            eg_dec_parse(fno.s, fno.n, 0, &no)) {
            rc = std__bad(&c, eb, "bad table row");
            goto out;
        }
        it->no = (int)no;
        it->key = intern(eg_csv_get(&c, (size_t)L->c_key));
        it->name_zh = intern(eg_csv_get(&c, (size_t)L->c_name));
        it->unit = intern(eg_csv_get(&c, (size_t)L->c_unit));
        it->dir = parse_dir(eg_csv_get(&c, (size_t)L->c_dir), &ok);
        it->nclass = L->nclass;
        it->param = param_of(eg_csv_get(&c, (size_t)L->c_key), eg_csv_get(&c, (size_t)L->c_name));
        if (!ok || it->param < 0) {
            rc = std__bad(&c, eb, "bad direction or too many parameters");
            goto out;
        }
        if (L->c_eval21 >= 0)
            it->eval21 = eg_csv_eq(eg_csv_get(&c, (size_t)L->c_eval21), "Y");
        if (L->c_group >= 0)
            eg_csv_copy(eg_csv_get(&c, (size_t)L->c_group), it->group, sizeof(it->group));
        for (int k = 0; k < L->nclass && it->dir != STD_WQ_TEXT; k++)
            if (parse_cell(eg_csv_get(&c, (size_t)(L->c_first + k)), it->dir, &it->lo[k],
                           &it->hi[k])) {
                eg_err_at(eb, NULL, 0, L->c_first + k + 1, it->key);
                rc = std__bad(&c, eb, "bad limit");
                goto out;
            }
        T->n++; /* text rows are kept too, with dir STD_WQ_TEXT */
    }
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

/* GB 3838 Tables 2 and 3: no,key,name_cn,unit,limit[,note] — one limit, "<=". */
static int load_limit_table(enum std_wq_set set, const char *file, const char *id,
                            struct eg_errbuf *eb)
{
    struct eg_csv c;
    struct std_wq_table *T = &W.tab[set];
    int rc = open_csv(&c, file, &T->source, eb);
    if (rc)
        goto out;
    T->id = id;
    T->file = file;
    T->nclass = 1;
    T->class_name[0] = "达标";
    T->class_name[1] = "超标";
    T->items = &W.rows[W.nrows];
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        struct std_wq_item *it = new_row();
        int64_t no;
        struct eg_csv_field fno = eg_csv_get(&c, 0);
        if (!it || c.nfields < 5 || eg_dec_parse(fno.s, fno.n, 0, &no) ||
            parse_cell(eg_csv_get(&c, 4), STD_WQ_LE, &it->lo[0], &it->hi[0]) ||
            it->hi[0] == STD_WQ_NONE) {
            rc = std__bad(&c, eb, "bad limit row");
            goto out;
        }
        it->no = (int)no;
        it->key = intern(eg_csv_get(&c, 1));
        it->name_zh = intern(eg_csv_get(&c, 2));
        it->unit = intern(eg_csv_get(&c, 3));
        it->dir = STD_WQ_LE;
        it->nclass = 1;
        if ((it->param = param_of(eg_csv_get(&c, 1), eg_csv_get(&c, 2))) < 0) {
            rc = std__bad(&c, eb, "too many parameters");
            goto out;
        }
        T->n++;
    }
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

/* GB 36600 Table 1 or 2 appended to the set of one land class (first: land 0, second: 1):
 * no,key,name_cn,screen_class1,screen_class2,control_class1,control_class2,bg_note */
static int load_gb36600(const char *file, const char *group, int land, struct eg_errbuf *eb)
{
    struct eg_csv c;
    struct std_wq_table *T = &W.tab[land ? STD_GB36600_L2 : STD_GB36600_L1];
    int rc = open_csv(&c, file, NULL, eb);
    if (rc)
        goto out;
    if (T->n == 0) {
        T->items = &W.rows[W.nrows];
        T->id = land ? "GB36600-2018 第二类用地" : "GB36600-2018 第一类用地";
        T->file = file;
        T->source = "GB 36600-2018 表1、表2 (gb36600_2018_table1_basic.csv, "
                    "gb36600_2018_table2_other.csv)";
        T->nclass = 2;
        T->class_name[0] = "低于筛选值";
        T->class_name[1] = "筛选值与管制值之间";
        T->class_name[2] = "高于管制值";
    }
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        struct eg_csv_field fno = eg_csv_get(&c, 0);
        int64_t no;
        struct std_wq_item *it = new_row();
        if (!it || c.nfields < 7 || eg_dec_parse(fno.s, fno.n, 0, &no) ||
            parse_cell(eg_csv_get(&c, 3 + (size_t)land), STD_WQ_LE, &it->lo[0], &it->hi[0]) ||
            parse_cell(eg_csv_get(&c, 5 + (size_t)land), STD_WQ_LE, &it->lo[1], &it->hi[1]) ||
            it->hi[0] == STD_WQ_NONE || it->hi[1] == STD_WQ_NONE) {
            rc = std__bad(&c, eb, "bad GB 36600 row");
            goto out;
        }
        it->no = (int)no;
        it->key = intern(eg_csv_get(&c, 1));
        it->name_zh = intern(eg_csv_get(&c, 2));
        it->unit = "mg/kg";
        it->dir = STD_WQ_LE;
        it->nclass = 2;
        it->param = param_of(eg_csv_get(&c, 1), eg_csv_get(&c, 2));
        snprintf(it->group, sizeof(it->group), "%s", group);
        if (it->param < 0) {
            rc = std__bad(&c, eb, "too many parameters");
            goto out;
        }
        T->n++;
    }
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

/* Numbers in a condition text ("75%<=p13<90%" → 75, 90; "-200<=ORP<50" → -200, 50). */
static int numbers(struct eg_csv_field f, int64_t *out, int max, int scale)
{
    int n = 0;
    for (size_t i = 0; i < f.n && n < max;) {
        bool neg = f.s[i] == '-' && i + 1 < f.n && f.s[i + 1] >= '0' && f.s[i + 1] <= '9' &&
                   (i == 0 || f.s[i - 1] == '<' || f.s[i - 1] == '=' || f.s[i - 1] == ' ');
        size_t st = neg ? i + 1 : i;
        char prev = i ? f.s[i - 1] : ' ';
        bool in_word = (prev >= 'a' && prev <= 'z') || (prev >= 'A' && prev <= 'Z') ||
                       (prev >= '0' && prev <= '9') || prev == '_';
        if (in_word && !neg && f.s[i] >= '0' && f.s[i] <= '9') { /* "p13", "NH3N": a name */
            while (i < f.n && ((f.s[i] >= '0' && f.s[i] <= '9') || f.s[i] == '.'))
                i++;
            continue;
        }
        if (st < f.n && f.s[st] >= '0' && f.s[st] <= '9') {
            size_t j = st;
            while (j < f.n && ((f.s[j] >= '0' && f.s[j] <= '9') || f.s[j] == '.'))
                j++;
            int64_t v;
            if (eg_dec_parse(f.s + st, j - st, scale, &v))
                return -1;
            out[n++] = neg ? -v : v;
            i = j;
        } else {
            i++;
        }
    }
    return n;
}

/* eval2011_section_status.csv: class,status_cn,… with class I-II, III, IV, V, 劣V. */
static int load_status(struct eg_errbuf *eb)
{
    struct eg_csv c;
    int rc = open_csv(&c, "eval2011_section_status.csv", NULL, eb);
    if (rc)
        goto out;
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        struct eg_csv_field k = eg_csv_get(&c, 0);
        const char *st = intern(eg_csv_get(&c, 1));
        if (eg_csv_eq(k, "I-II"))
            W.status[1] = W.status[2] = st;
        else if (eg_csv_eq(k, "III"))
            W.status[3] = st;
        else if (eg_csv_eq(k, "IV"))
            W.status[4] = st;
        else if (eg_csv_eq(k, "V"))
            W.status[5] = st;
        else if (eg_csv_eq(k, "劣V"))
            W.status[6] = st;
        else {
            rc = std__bad(&c, eb, "unknown class in the status table");
            goto out;
        }
    }
    for (int k = 1; k <= 6 && rc == 0; k++)
        if (!W.status[k])
            rc = std__bad(&c, eb, "a class is missing from the status table");
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

/* The five rows of a grading table: condition numbers and status names. */
static int load_grading(const char *file, int64_t nums[5][6], int counts[5], const char *st[5],
                        const char **ret_source, struct eg_errbuf *eb)
{
    struct eg_csv c;
    int rc = open_csv(&c, file, ret_source, eb), row = 0;
    if (rc)
        goto out;
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        if (row >= 5 || c.nfields < 3 ||
            (counts[row] = numbers(eg_csv_get(&c, 1), nums[row], 6, 0)) < 1) {
            rc = std__bad(&c, eb, "bad grading row");
            goto out;
        }
        st[row] = intern(eg_csv_get(&c, 2));
        row++;
    }
    if (rc == 0 && row != 5)
        rc = std__bad(&c, eb, "a grading table has five rows");
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

static int load_gradings(struct eg_errbuf *eb)
{
    int64_t n[5][6];
    int cnt[5];
    int rc =
        load_grading("eval2011_river_grading.csv", n, cnt, W.river.status, &W.river.source, eb);
    if (rc)
        return rc;
    /* p13>=90 | 75<=p13<90 | p13<75 and p6<20 | p13<75 and 20<=p6<40 | … p6>=40 */
    if (cnt[2] < 2 || cnt[3] < 3)
        return eg_errf(eb, EG_EPARSE, "eval2011_river_grading.csv: unexpected conditions");
    W.river.excellent = (int)n[0][0];
    W.river.good = (int)n[1][0];
    W.river.light = (int)n[2][1];
    W.river.moderate = (int)n[3][2];
    rc = load_grading("nearshore_grading.csv", n, cnt, W.sea.status, &W.sea.source, eb);
    if (rc)
        return rc;
    /* p12>=90 | 80<=p12<90 | (60<=p12<80 and p4x<=30) or (p12<60 and p123>=90) |
     * (p12<60 and p4x<=30) or (30<p4x<=40) | p4x>40 */
    if (cnt[2] < 5 || cnt[3] < 4)
        return eg_errf(eb, EG_EPARSE, "nearshore_grading.csv: unexpected conditions");
    W.sea.p12_excellent = (int)n[0][0];
    W.sea.p12_good = (int)n[1][0];
    W.sea.p12_fair = (int)n[2][0];
    W.sea.p4x_fair = (int)n[2][2];
    W.sea.p123_fair = (int)n[2][4];
    W.sea.p4x_poor = (int)n[3][3];
    W.sea.p4x_bad = (int)n[4][0];
    return 0;
}

/* surface_water_rounding_2020.csv: name_cn,decimal_places → GB 3838 Table 1 rows. */
static int load_rounding(struct eg_errbuf *eb)
{
    struct eg_csv c;
    int rc = open_csv(&c, "surface_water_rounding_2020.csv", NULL, eb);
    if (rc)
        goto out;
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        struct eg_csv_field nm = eg_csv_get(&c, 0), d = eg_csv_get(&c, 1);
        int64_t dec;
        int p = param_by_key(nm.s, nm.n);
        if (p < 0)
            p = param_by_name(nm.s, nm.n);
        if (p < 0 || eg_dec_parse(d.s, d.n, 0, &dec) || dec < 0 || dec > STD_WQ_SCALE) {
            rc = std__bad(&c, eb, "bad rounding row");
            goto out;
        }
        const struct std_wq_table *T = &W.tab[STD_GB3838_T1];
        struct std_wq_item *rows = W.rows + (T->items - W.rows);
        for (size_t i = 0; i < T->n; i++)
            if (rows[i].param == p)
                rows[i].decimals = (int)dec;
    }
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

/* cwqi_2017_indicators.csv: key,name_cn,Cs_classIII_mg_per_L,formula_type,formula */
static int load_cwqi(struct eg_errbuf *eb)
{
    struct eg_csv c;
    int rc = open_csv(&c, "cwqi_2017_indicators.csv", NULL, eb);
    if (rc)
        goto out;
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        struct std_cwqi_row *r = &W.cwqi[W.ncwqi];
        struct eg_csv_field k = eg_csv_get(&c, 0), cs = eg_csv_get(&c, 2), ft = eg_csv_get(&c, 3);
        if (W.ncwqi >= sizeof(W.cwqi) / sizeof(W.cwqi[0]) || c.nfields < 4) {
            rc = std__bad(&c, eb, "bad CWQI row");
            goto out;
        }
        r->key = intern(k);
        r->param = param_of(k, eg_csv_get(&c, 1));
        r->lake_only = eg_csv_eq(k, "TP_lake");
        r->river_only = eg_csv_eq(k, "TP_river");
        r->kind = eg_csv_eq(ft, "ph")   ? STD_CWQI_PH
                  : eg_csv_eq(ft, "do") ? STD_CWQI_DO
                                        : STD_CWQI_RATIO;
        r->cs = 0;
        if (r->kind != STD_CWQI_PH && (eg_dec_parse(cs.s, cs.n, STD_WQ_SCALE, &r->cs) || !r->cs)) {
            rc = std__bad(&c, eb, "bad CWQI limit");
            goto out;
        }
        if (r->param < 0) {
            rc = std__bad(&c, eb, "unknown CWQI parameter");
            goto out;
        }
        W.ncwqi++;
    }
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

/* "10*(2.5+1.086*ln(chla))" → a = 2.5, b = 1.086; "…5.118-1.94*ln(SD)" → b = -1.94. */
static int tli_formula(struct eg_csv_field f, double *a, double *b)
{
    const char *p = memchr(f.s, '(', f.n);
    if (!p)
        return -1;
    char buf[96];
    size_t n = f.n - (size_t)(p + 1 - f.s);
    if (n >= sizeof(buf))
        return -1;
    memcpy(buf, p + 1, n);
    buf[n] = 0;
    char *end;
    *a = strtod(buf, &end);
    if (end == buf || (*end != '+' && *end != '-'))
        return -1;
    char *q = end;
    *b = strtod(q, &end);
    return end == q || *end != '*' ? -1 : 0;
}

static int load_tli(struct eg_errbuf *eb)
{
    struct eg_csv c;
    int rc = open_csv(&c, "tli_2011_parameters.csv", &W.tli.source, eb), n = 0;
    if (rc)
        goto out;
    /* param,rij,rij2,Wj,formula */
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        struct std_tli_row *r = &W.tli.row[n];
        struct eg_csv_field k = eg_csv_get(&c, 0), rf = eg_csv_get(&c, 1), wf = eg_csv_get(&c, 3);
        if (n >= 5 || c.nfields < 5 || eg_dec_parse(wf.s, wf.n, 4, &r->w) ||
            eg_dec_parse(rf.s, rf.n, 2, &r->r) || tli_formula(eg_csv_get(&c, 4), &r->a, &r->b)) {
            rc = std__bad(&c, eb, "bad TLI row");
            goto out;
        }
        r->key = intern(k);
        r->param = param_by_key(k.s, k.n);
        n++;
    }
    eg_csv_done(&c);
    if (rc < 0 || (rc = open_csv(&c, "tli_2011_grades.csv", NULL, eb)))
        goto out;
    int g = 0;
    /* condition,grade_cn,grade_en: TLI<30 | 30<=TLI<=50 | 50<TLI<=60 | 60<TLI<=70 | TLI>70 */
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        int64_t v[2];
        int k = numbers(eg_csv_get(&c, 0), v, 2, 1);
        if (g >= 5 || k < 1) {
            rc = std__bad(&c, eb, "bad TLI grade row");
            goto out;
        }
        if (g < 4)
            W.tli.bound[g] = v[k - 1];
        W.tli.grade[g++] = intern(eg_csv_get(&c, 1));
    }
    if (rc == 0 && (n != 5 || g != 5))
        rc = std__bad(&c, eb, "TLI tables need five rows");
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

/* black_odorous_2015.csv: key,name_cn,unit,light,heavy,not_black_odorous,note */
static int load_odor(struct eg_errbuf *eb)
{
    struct eg_csv c;
    int rc = open_csv(&c, "black_odorous_2015.csv", NULL, eb);
    if (rc)
        goto out;
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        struct std_odor_row *r = &W.odor[W.nodor];
        int64_t h[2], z[2];
        struct eg_csv_field none = eg_csv_get(&c, 5);
        if (W.nodor >= 4 || c.nfields < 6 || numbers(eg_csv_get(&c, 4), h, 2, STD_WQ_SCALE) != 1 ||
            numbers(none, z, 2, STD_WQ_SCALE) != 1) {
            rc = std__bad(&c, eb, "bad black-odorous row");
            goto out;
        }
        r->key = intern(eg_csv_get(&c, 0));
        r->param = param_of(eg_csv_get(&c, 0), eg_csv_get(&c, 1));
        r->higher_worse = memchr(none.s, '<', none.n) != NULL;
        r->t_none = z[0];
        r->t_heavy = h[0];
        W.nodor++;
    }
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

/* GB 15618: Table 1 (no,key,name_cn,land_use,land_use_cn,4 bands), Table 2 (no,key,name_cn,
 * screening), Table 3 (no,key,name_cn,4 bands). */
static int farm_index(const char *key)
{
    for (size_t i = 0; i < W.nfarm; i++)
        if (!strcmp(W.farm[i][0][0].key, key))
            return (int)i;
    return -1;
}

static int load_farm(struct eg_errbuf *eb)
{
    struct eg_csv c;
    int rc = open_csv(&c, "gb15618_2018_table1_screening.csv", &W.farm_source, eb);
    if (rc)
        goto out;
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        struct eg_csv_field key = eg_csv_get(&c, 1), use = eg_csv_get(&c, 3);
        char k[32];
        eg_csv_copy(key, k, sizeof(k));
        int i = farm_index(k);
        if (i < 0) {
            if (W.nfarm >= MAX_FARM) {
                rc = std__bad(&c, eb, "too many farmland items");
                goto out;
            }
            i = (int)W.nfarm++;
            int p = param_of(key, eg_csv_get(&c, 2));
            for (int u = 0; u < STD_FARM_NUSE; u++)
                for (int b = 0; b < 4; b++) {
                    struct std_wq_item *it = &W.farm[i][u][b];
                    memset(it, 0, sizeof(*it));
                    it->key = intern(key);
                    it->name_zh = intern(eg_csv_get(&c, 2));
                    it->unit = "mg/kg";
                    it->param = p;
                    it->dir = STD_WQ_LE;
                    it->nclass = 2;
                    it->decimals = -1;
                    it->no = 0;
                    for (int q = 0; q < STD_WQ_MAXCLS; q++)
                        it->lo[q] = it->hi[q] = STD_WQ_NONE;
                }
        }
        /* which land uses this row serves: paddy / other (and orchard unless Cu has its own) /
         * orchard / all */
        bool uses[STD_FARM_NUSE] = {false, false, false};
        if (eg_csv_eq(use, "paddy"))
            uses[STD_FARM_PADDY] = true;
        else if (eg_csv_eq(use, "orchard"))
            uses[STD_FARM_ORCHARD] = true;
        else if (eg_csv_eq(use, "other"))
            uses[STD_FARM_OTHER] = true;
        else if (eg_csv_eq(use, "all"))
            uses[0] = uses[1] = uses[2] = true;
        else {
            rc = std__bad(&c, eb, "unknown land use");
            goto out;
        }
        for (int b = 0; b < 4; b++) {
            int64_t v;
            struct eg_csv_field f = eg_csv_get(&c, 5 + (size_t)b);
            if (eg_dec_parse(f.s, f.n, STD_WQ_SCALE, &v)) {
                rc = std__bad(&c, eb, "bad screening value");
                goto out;
            }
            for (int u = 0; u < STD_FARM_NUSE; u++)
                if (uses[u])
                    W.farm[i][u][b].hi[0] = v;
        }
        if (eg_csv_eq(use, "other")) {
            /* "other" covers what has no row of its own: orchard (Cd…Cr) or paddy (Cu) */
            for (int b = 0; b < 4; b++) {
                if (W.farm[i][STD_FARM_ORCHARD][b].hi[0] == STD_WQ_NONE)
                    W.farm[i][STD_FARM_ORCHARD][b].hi[0] = W.farm[i][STD_FARM_OTHER][b].hi[0];
                if (W.farm[i][STD_FARM_PADDY][b].hi[0] == STD_WQ_NONE)
                    W.farm[i][STD_FARM_PADDY][b].hi[0] = W.farm[i][STD_FARM_OTHER][b].hi[0];
            }
        }
    }
    eg_csv_done(&c);
    if (rc < 0 || (rc = open_csv(&c, "gb15618_2018_table3_control.csv", NULL, eb)))
        goto out;
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        char k[32];
        eg_csv_copy(eg_csv_get(&c, 1), k, sizeof(k));
        int i = farm_index(k);
        if (i < 0 || c.nfields < 7) {
            rc = std__bad(&c, eb, "control value for an item without screening values");
            goto out;
        }
        for (int b = 0; b < 4; b++) {
            int64_t v;
            struct eg_csv_field f = eg_csv_get(&c, 3 + (size_t)b);
            if (eg_dec_parse(f.s, f.n, STD_WQ_SCALE, &v)) {
                rc = std__bad(&c, eb, "bad control value");
                goto out;
            }
            for (int u = 0; u < STD_FARM_NUSE; u++)
                W.farm[i][u][b].hi[1] = v;
        }
    }
    eg_csv_done(&c);
    if (rc < 0 || (rc = open_csv(&c, "gb15618_2018_table2_other_screening.csv", NULL, eb)))
        goto out;
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        struct eg_csv_field key = eg_csv_get(&c, 1), f = eg_csv_get(&c, 3);
        int64_t v;
        if (W.nfarm >= MAX_FARM || eg_dec_parse(f.s, f.n, STD_WQ_SCALE, &v)) {
            rc = std__bad(&c, eb, "bad other-item screening value");
            goto out;
        }
        size_t i = W.nfarm++;
        int p = param_of(key, eg_csv_get(&c, 2));
        for (int u = 0; u < STD_FARM_NUSE; u++)
            for (int b = 0; b < 4; b++) {
                struct std_wq_item *it = &W.farm[i][u][b];
                memset(it, 0, sizeof(*it));
                it->key = intern(key);
                it->name_zh = intern(eg_csv_get(&c, 2));
                it->unit = "mg/kg";
                it->param = p;
                it->dir = STD_WQ_LE;
                it->nclass = 2;
                it->decimals = -1;
                snprintf(it->group, sizeof(it->group), "T2");
                for (int q = 0; q < STD_WQ_MAXCLS; q++)
                    it->lo[q] = it->hi[q] = STD_WQ_NONE;
                it->hi[0] = v;
            }
    }
out:
    eg_csv_done(&c);
    return rc < 0 ? rc : 0;
}

static void init_once(void)
{
    struct eg_errbuf *eb = &W.eb;
    static const struct cls_layout gb3838 = {"gb3838_2002_table1_basic.csv",
                                             "GB3838-2002",
                                             5,
                                             {"I", "II", "III", "IV", "V", "劣V"},
                                             0,
                                             1,
                                             2,
                                             3,
                                             4,
                                             5,
                                             10,
                                             -1};
    static const struct cls_layout gb3097 = {"gb3097_1997_seawater.csv",
                                             "GB3097-1997",
                                             4,
                                             {"I", "II", "III", "IV", "劣四类"},
                                             0,
                                             1,
                                             2,
                                             3,
                                             4,
                                             5,
                                             -1,
                                             -1};
    static const struct cls_layout gbt14848 = {"gbt14848_2017_groundwater.csv",
                                               "GB/T14848-2017",
                                               4,
                                               {"I", "II", "III", "IV", "V"},
                                               0,
                                               3,
                                               4,
                                               5,
                                               6,
                                               7,
                                               -1,
                                               1};
    int rc;
    for (size_t i = 0; i < sizeof(extra_params) / sizeof(extra_params[0]); i++) {
        const char *k = extra_params[i][0], *n = extra_params[i][1];
        param_of((struct eg_csv_field){k, strlen(k)}, (struct eg_csv_field){n, strlen(n)});
    }
    if ((rc = load_class_table(STD_GB3838_T1, &gb3838, eb)) ||
        (rc = load_limit_table(STD_GB3838_T2, "gb3838_2002_table2_supplementary.csv",
                               "GB3838-2002 表2", eb)) ||
        (rc = load_limit_table(STD_GB3838_T3, "gb3838_2002_table3_specific.csv", "GB3838-2002 表3",
                               eb)) ||
        (rc = load_class_table(STD_GB3097, &gb3097, eb)) ||
        (rc = load_class_table(STD_GBT14848, &gbt14848, eb)) ||
        (rc = load_gb36600("gb36600_2018_table1_basic.csv", "T1", 0, eb)) ||
        (rc = load_gb36600("gb36600_2018_table2_other.csv", "T2", 0, eb)) ||
        (rc = load_gb36600("gb36600_2018_table1_basic.csv", "T1", 1, eb)) ||
        (rc = load_gb36600("gb36600_2018_table2_other.csv", "T2", 1, eb)) || (rc = load_farm(eb)) ||
        (rc = load_cwqi(eb)) || (rc = load_rounding(eb)) || (rc = load_status(eb)) ||
        (rc = load_gradings(eb)) || (rc = load_tli(eb)) || (rc = load_odor(eb)))
        W.rc = rc;
}

static void must_init(void)
{
    pthread_once(&once, init_once);
    if (W.rc) {
        char msg[1024];
        eg_errbuf_format(&W.eb, msg, sizeof(msg));
        fprintf(stderr, "envgov: embedded water/soil tables are broken: %s\n", msg);
        abort();
    }
}

const struct std_wq_table *std_wq(enum std_wq_set t)
{
    must_init();
    return (unsigned)t < STD_WQ_NSETS ? &W.tab[t] : NULL;
}

const struct std_wq_item *std_wq_find(const struct std_wq_table *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcasecmp(t->items[i].key, key))
            return &t->items[i];
    return NULL;
}

const struct std_wq_item *std_wq_by_param(const struct std_wq_table *t, int param, bool lake)
{
    const struct std_wq_item *first = NULL;
    for (size_t i = 0; i < t->n; i++)
        if (t->items[i].param == param) {
            if (!first)
                first = &t->items[i];
            if (!strcmp(t->items[i].key, "TP_lake") ? lake : !lake)
                return &t->items[i];
        }
    return first;
}

int std_wparam_count(void)
{
    must_init();
    return W.nparam;
}

const struct std_wparam *std_wparam_at(int i)
{
    must_init();
    return i >= 0 && i < W.nparam ? &W.param[i] : NULL;
}

int std_wparam_find(const char *s, size_t n)
{
    must_init();
    int p = param_by_key(s, n);
    if (p < 0)
        p = param_by_name(s, n);
    if (p < 0)
        p = param_by_name(s, stem_len(s, n));
    return p;
}

const char *std_wq_status(int cls)
{
    must_init();
    return cls >= 1 && cls <= 6 ? W.status[cls] : NULL;
}

const struct std_river_grading *std_river_grading(void)
{
    must_init();
    return &W.river;
}

const struct std_sea_grading *std_sea_grading(void)
{
    must_init();
    return &W.sea;
}

size_t std_cwqi_rows(const struct std_cwqi_row **ret)
{
    must_init();
    *ret = W.cwqi;
    return W.ncwqi;
}

const struct std_tli *std_tli(void)
{
    must_init();
    return &W.tli;
}

size_t std_odor_rows(const struct std_odor_row **ret)
{
    must_init();
    *ret = W.odor;
    return W.nodor;
}

int std_farm_band(int64_t ph)
{
    const int64_t s = 1000000000;
    return ph <= 55 * s / 10 ? 0 : ph <= 65 * s / 10 ? 1 : ph <= 75 * s / 10 ? 2 : 3;
}

size_t std_farm_count(void)
{
    must_init();
    return W.nfarm;
}

const struct std_wq_item *std_farm_item(size_t i, enum std_farm_use use, int band)
{
    must_init();
    if (i >= W.nfarm || (unsigned)use >= STD_FARM_NUSE || band < 0 || band > 3)
        return NULL;
    return &W.farm[i][use][band];
}

const char *std_farm_source(void)
{
    must_init();
    return W.farm_source;
}
