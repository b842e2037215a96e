/* catalog.c — the item catalog: HJ 212-2017 Appendix B parsed from the embedded CSV on first use,
 * with envgov's reporting units for air quality (HJ 663-2013 Table 3) overlaid.  See catalog.h. */
#include "catalog.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/eg_csv.h"
#include "standards/standards.h"

#define MAX_ITEMS 256

extern const char *const cat__water_aliases[][2];

/* Air-quality items: codes as air stations send them (a05024 is used by station software although
 * Appendix B lacks it), units and decimals of HJ 663-2013 Table 3 / HJ 633-2026 4.2.2. */
static const struct cat_item air_items[CAT_AIR_N] = {
    [CAT_SO2] = {"a21026", "SO2", "二氧化硫", "02", "ug/m3", 0, 'a'},
    [CAT_NO2] = {"a21004", "NO2", "二氧化氮", "", "ug/m3", 0, 'a'},
    [CAT_CO] = {"a21005", "CO", "一氧化碳", "04", "mg/m3", 1, 'a'},
    [CAT_PM10] = {"a34002", "PM10", "可吸入颗粒物PM10", "", "ug/m3", 0, 'a'},
    [CAT_PM25] = {"a34004", "PM2.5", "细微颗粒物PM2.5", "", "ug/m3", 0, 'a'},
    [CAT_O3] = {"a05024", "O3", "臭氧", "", "ug/m3", 0, 'a'},
};

static struct cat_item items[MAX_ITEMS];
static size_t nitems;
static char text[64 * 1024];
static size_t text_len;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static const char *intern(struct eg_csv_field f)
{
    if (text_len + f.n + 1 > sizeof(text))
        return "";
    char *p = text + text_len;
    memcpy(p, f.s, f.n);
    p[f.n] = 0;
    text_len += f.n + 1;
    return p;
}

/* Appendix B prints Chinese unit names; map the common ones to symbols. */
static const char *unit_symbol(struct eg_csv_field f)
{
    static const struct {
        const char *zh, *sym;
    } map[] = {{"毫克/升", "mg/L"},      {"微克/升", "ug/L"},      {"升/秒", "L/s"},
               {"毫克/立方米", "mg/m3"}, {"微克/立方米", "ug/m3"}, {"纳克/立方米", "ng/m3"},
               {"立方米/秒", "m3/s"},    {"摄氏度", "°C"},         {"千帕", "kPa"},
               {"米/秒", "m/s"},         {"分贝", "dB"},           {"无量纲", "1"}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (eg_csv_eq(f, map[i].zh))
            return map[i].sym;
    return intern(f);
}

static void load(void)
{
    size_t len;
    const char *data = std_blob("hj212_pollutant_codes_2017.csv", &len);
    struct eg_csv c;
    int rc;

    for (int i = 0; i < CAT_AIR_N; i++)
        items[nitems++] = air_items[i];
    if (!data)
        return;
    eg_csv_init(&c, data, len, "hj212_pollutant_codes_2017.csv");
    c.skip_comments = true;
    if (eg_csv_next(&c, NULL) != 1) /* header: code,table,name_zh,name_en,code_2005,unit_conc,… */
        goto out;
    while ((rc = eg_csv_next(&c, NULL)) == 1 && nitems < MAX_ITEMS) {
        char code[16];
        eg_csv_copy(eg_csv_get(&c, 0), code, sizeof(code));
        if (cat_air_index(code) >= 0)
            continue; /* the air overlay wins */
        struct cat_item *it = &items[nitems++];
        struct eg_csv_field tab = eg_csv_get(&c, 1), dt = eg_csv_get(&c, 7);
        it->code = intern(eg_csv_get(&c, 0));
        it->table = eg_csv_eq(tab, "B.1") ? 'w' : eg_csv_eq(tab, "B.2") ? 'a' : 'n';
        it->name_zh = intern(eg_csv_get(&c, 2));
        it->key = intern(eg_csv_get(&c, 3));
        it->code_2005 = intern(eg_csv_get(&c, 4));
        it->unit = unit_symbol(eg_csv_get(&c, 5));
        /* data_type "N5.2": decimals after the dot */
        const char *dot = dt.n ? memchr(dt.s, '.', dt.n) : NULL;
        it->decimals = dot && (size_t)(dot - dt.s) + 1 < dt.n ? dot[1] - '0' : 0;
    }
out:
    eg_csv_done(&c);
}

static void init(void)
{
    pthread_once(&once, load);
}

const struct cat_item *cat_air(enum cat_air i)
{
    return &air_items[i];
}

int cat_air_index(const char *code)
{
    for (int i = 0; i < CAT_AIR_N; i++)
        if (!strcmp(air_items[i].code, code))
            return i;
    return -1;
}

const struct cat_item *cat_by_code(const char *code)
{
    init();
    for (size_t i = 0; i < nitems; i++)
        if (!strcmp(items[i].code, code))
            return &items[i];
    return NULL;
}

static int name_eq(const char *a, const char *s, size_t n)
{
    return strlen(a) == n && strncasecmp(a, s, n) == 0;
}

const struct cat_item *cat_find(const char *name, size_t n)
{
    static const struct {
        const char *alias;
        enum cat_air i;
    } aliases[] = {{"PM2_5", CAT_PM25},       {"PM25", CAT_PM25}, {"pm2_5", CAT_PM25},
                   {"O3_1h", CAT_O3},         {"臭氧", CAT_O3},   {"细颗粒物", CAT_PM25},
                   {"可吸入颗粒物", CAT_PM10}};
    init();
    for (size_t i = 0; i < nitems; i++)
        if (name_eq(items[i].code, name, n))
            return &items[i];
    /* air keys first: "CO" must not match a water item's label */
    for (int i = 0; i < CAT_AIR_N; i++)
        if (name_eq(air_items[i].key, name, n) || name_eq(air_items[i].name_zh, name, n))
            return &items[i];
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (name_eq(aliases[i].alias, name, n))
            return &items[aliases[i].i];
    for (size_t i = 0; i < nitems; i++)
        if (name_eq(items[i].key, name, n) || name_eq(items[i].name_zh, name, n))
            return &items[i];
    for (size_t i = 0; cat__water_aliases[i][0]; i++) /* aliases_water.c */
        if (name_eq(cat__water_aliases[i][0], name, n))
            return cat_by_code(cat__water_aliases[i][1]);
    return NULL;
}

size_t cat_count(void)
{
    init();
    return nitems;
}

const struct cat_item *cat_at(size_t i)
{
    init();
    return i < nitems ? &items[i] : NULL;
}
