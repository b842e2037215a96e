/* catalog.h — the monitoring items envgov knows, named by their HJ 212-2017 codes.
 *
 * One vocabulary everywhere (DESIGN.md): a34004 = PM2.5, w01018 = COD, …  The catalog is HJ
 * 212-2017 Appendix B (Tables B.1–B.3, embedded from standards/hj212_pollutant_codes_2017.csv) plus
 * the codes air stations use outside it (a05024 O3), with the reporting unit and precision envgov
 * uses for each (HJ 663-2013 Table 3 for air quality: ug/m3 integers, CO mg/m3 to 0.1).  Importers
 * map other vocabularies (CNEMC column names, Chinese names, keys such as "PM2.5") onto it with
 * cat_find. Everything returned is static and immutable.
 */
#ifndef CATALOG_H
#define CATALOG_H

#include <stddef.h>

struct cat_item {
    const char *code;      /* HJ 212-2017 code: "a34004" */
    const char *key;       /* short name: "PM2.5" (the informal English label of Appendix B) */
    const char *name_zh;   /* 细微颗粒物PM2.5 */
    const char *code_2005; /* HJ/T 212-2005 code, "" if none */
    const char *unit;      /* reporting unit envgov uses: "ug/m3", "mg/m3", "mg/L", … */
    int decimals;          /* reporting precision in that unit */
    char table;            /* 'w' water (B.1), 'a' air (B.2), 'n' noise (B.3) */
};

/* The six basic air pollutants, in the order every air array in envgov uses. */
enum cat_air { CAT_SO2, CAT_NO2, CAT_CO, CAT_PM10, CAT_PM25, CAT_O3, CAT_AIR_N };

/* Item by HJ 212-2017 code; NULL if unknown. */
const struct cat_item *cat_by_code(const char *code);
/* Item by any of its names: code, key ("PM2.5", "PM2_5", "pm25"), Chinese name, or an air alias
 * ("SO2", "O3", "CO", …).  n = length of name.  NULL if unknown. */
const struct cat_item *cat_find(const char *name, size_t n);
/* The basic air pollutant i (0 <= i < CAT_AIR_N). */
const struct cat_item *cat_air(enum cat_air i);
/* Index of an air pollutant code in enum cat_air, or -1. */
int cat_air_index(const char *code);
/* The water/soil parameter (standards.h std_wparam index) named by s: a table key, a Chinese
 * name, or an HJ 212-2017 code mapped through the catalog's names; -1 if none. */
int cat_water_param(const char *s, size_t n);

/* Iteration: number of items and item i. */
size_t cat_count(void);
const struct cat_item *cat_at(size_t i);

#endif
