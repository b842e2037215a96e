/* ingest.h — envgov's importers: the national air-station list and CNEMC hourly station files
 * ("quotsoft" china_sites_YYYYMMDD.csv, data/README.md §1, air.md §11), into the store.
 *
 * Conventions: functions return 0 or a negative enum eg_err; detail (file, line, column, field)
 * goes into eb (NULL allowed).  Columns in errors are 1-based CSV field numbers (as a spreadsheet
 * counts them), except errors of the CSV layer itself (a bad quote), which give the byte column.
 * Each file is imported in its own transaction: a malformed file is rejected whole and changes
 * nothing.  Statistics are added to *st (NULL allowed), never reset, so one struct can sum a
 * command.  Libraries do not print: the caller prints the summary from st and errors from eb.
 */
#ifndef INGEST_H
#define INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/eg_err.h"

struct store;

#define INGEST_FILE_LIMIT    ((size_t)64 << 20) /* bytes of one input file */
#define INGEST_MAX_STATIONS  10000              /* station columns of one CNEMC file */
#define INGEST_MAX_LIST_ROWS 100000             /* rows of a station list */

struct ingest_stats {
    long files;            /* files given: files_new + files_replaced + files_unchanged + skipped */
    long files_new;        /* imported for the first time */
    long files_replaced;   /* imported before with other content: the rows they carry replaced */
    long files_unchanged;  /* same name and content digest as before: nothing written */
    long skipped;          /* rejected (unreadable or malformed): nothing of them written */
    long files_truncated;  /* imported although the last row was cut short (see cnemc.c) */
    long rows;             /* rows written that hold at least one value (station list: stations) */
    long values;           /* hourly values written */
    long unknown_stations; /* distinct codes with data that the station list does not have */
    bool no_station_list;  /* the station list was never imported: unknown_stations counts all */
};

/* ---- Station list ---- */

/* Import the national station list (header 监测点编码,监测点名称,城市,经度,纬度,对照点; 对照点 Y =
 * background).  Stations are inserted or updated (listed); stations absent from the file are left
 * as they are.  One transaction: any bad row (error naming file, line, column) rejects the file.
 * EG_EIO unreadable, EG_EPARSE/EG_ERANGE/EG_ELIMIT malformed, EG_EDB/EG_ENOMEM store failure. */
int ingest_stations_file(struct store *s, const char *path, struct ingest_stats *st,
                         struct eg_errbuf *eb) EG_MUST_CHECK;
/* The same over a buffer; name is used in errors. */
int ingest_stations_buffer(struct store *s, const char *buf, size_t len, const char *name,
                           struct ingest_stats *st, struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- CNEMC hourly station files ---- */

/* One parsed row: the hourly values of `item` (HJ 212-2017 code) at `station` on calendar date
 * `date` (eg_time day), slot h = the file's row `hour` h (the hour ending at date h:00), in the
 * catalog's reporting step (ug/m3; CO 0.1 mg/m3); STORE_NA (INT32_MIN) = missing.  Called for
 * every (station column, pollutant) of a valid file, including rows with no value at all (a file
 * carries those rows too: an import that replaces a file deletes them).  Strings are valid only
 * during the call.  Returning non-zero stops the parse, which returns that value. */
typedef int (*ingest_cnemc_row_cb)(void *ud, const char *station, const char *item, int32_t date,
                                   const int32_t v[24]);

/* Parse and validate a whole CNEMC file in memory, then call cb for each row in (station code,
 * item code) order; cb is never called for an invalid file.  Pure: no I/O, no store.  `name` (a
 * path or base name) is used in errors, and if its base name is china_sites_YYYYMMDD.csv every
 * date cell must be that date (otherwise every date cell must equal the first one).
 * Adds rows/values (rows with at least one value) and files_truncated to *st.
 * Returns 0; EG_EPARSE/EG_ERANGE/EG_ELIMIT (malformed: file, line, column and the station code or
 * "header" as field in eb); EG_ENOMEM; or cb's non-zero value. */
int ingest_cnemc_parse(const char *buf, size_t len, const char *name, ingest_cnemc_row_cb cb,
                       void *ud, struct ingest_stats *st, struct eg_errbuf *eb) EG_MUST_CHECK;

enum ingest_file_result {
    INGEST_FILE_NEW,
    INGEST_FILE_REPLACED,
    INGEST_FILE_UNCHANGED,
    INGEST_FILE_FAILED,
};

/* Called after each file: done of total files handled; err is NULL unless res is FAILED. */
typedef void (*ingest_progress_cb)(void *ud, size_t done, size_t total, const char *path,
                                   enum ingest_file_result res, const struct eg_errbuf *err);

/* Import CNEMC files, each in its own transaction, keyed by base name and BLAKE2b-256 digest:
 * the same content again is UNCHANGED (nothing written); changed content replaces every row the
 * file carries (rows now empty are deleted).  A file that cannot be read or is malformed is
 * rejected whole and the import CONTINUES with the next file (files before and after it stay
 * imported); the function then returns the first such error, with its detail in eb (each
 * failure is also passed to progress).  A store failure (EG_EDB, EG_ENOMEM) stops at once.
 * Returns 0 when every file was imported or unchanged. */
int ingest_cnemc_files(struct store *s, const char *const *paths, size_t n,
                       ingest_progress_cb progress, void *ud, struct ingest_stats *st,
                       struct eg_errbuf *eb) EG_MUST_CHECK;

/* Import one CNEMC file already in memory (e.g. an HTTP upload); name = its file name.  As one
 * step of ingest_cnemc_files; *ret_result (NULL allowed) says what happened on success. */
int ingest_cnemc_buffer(struct store *s, const char *buf, size_t len, const char *name,
                        struct ingest_stats *st, enum ingest_file_result *ret_result,
                        struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- HJ 212 device registry (devices.c) ---- */

struct store_hj212_device;

#define INGEST_MAX_DEVICES 200000 /* rows of a devices file */

/* Called for each valid row; the strings are valid only during the call; non-zero stops. */
typedef int (*ingest_device_cb)(void *ud, const struct store_hj212_device *d);

/* Parse and check a devices CSV (header mn,pw,point,st[,protocol][,crc], any order); cb for each
 * row once the row is valid.  Pure.  Returns 0; EG_EPARSE/EG_ELIMIT (file, line, column, field in
 * eb); EG_ENOMEM; or cb's value. */
int ingest_devices_parse(const char *buf, size_t len, const char *name, ingest_device_cb cb,
                         void *ud, struct eg_errbuf *eb) EG_MUST_CHECK;
/* Check the whole file, then insert or update every device in one transaction (all or nothing).
 * Adds the devices to st->rows. */
int ingest_devices_buffer(struct store *s, const char *buf, size_t len, const char *name,
                          struct ingest_stats *st, struct eg_errbuf *eb) EG_MUST_CHECK;
int ingest_devices_file(struct store *s, const char *path, struct ingest_stats *st,
                        struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- Enterprise registry (一企一档), supervision (issue 5; enterprises.c, built in
 * src/supervise/meson.build because it applies supervise's USCC rule) ----
 * CSV with a header naming at least uscc,name,industry,region,address,lon,lat (or the Chinese
 * names bureaus use: 统一社会信用代码,企业名称,行业代码,行政区划,地址,经度,纬度), in any order,
 * more columns allowed; optional: status (active|suspended|closed, or 在产/停产/关闭), lists
 * (';'-separated list names: water_key air_key soil_key vocs_key carbon_key hazwaste emergency
 * special), list_year, permit_no, permit_class (重点管理|简化管理|登记管理), permit_from,
 * permit_to. docs/supervision.md documents the layout. */

#define INGEST_MAX_ENTERPRISES 1000000 /* rows of one enterprises file */
#define INGEST_MAX_SKIPS       1000    /* skipped lines kept with their reason */

struct ingest_enterprise {
    long line;
    const char *uscc, *name, *industry, *region, *address, *status;
    double lon, lat;   /* NaN = empty */
    const char *lists; /* ';'-separated, "" = none */
    int list_year;
    const char *permit_no, *permit_class; /* "" = none */
    int32_t permit_from, permit_to;
};

struct ingest_skip {
    long line;
    char why[200];
};

struct ingest_ent_report {
    long rows;                 /* valid rows (written, for the file importer) */
    long skipped;              /* invalid rows skipped (--skip-invalid) */
    struct ingest_skip *skips; /* the first INGEST_MAX_SKIPS of them (eg_malloc'd) */
    size_t nskips;
};
void ingest_ent_report_done(struct ingest_ent_report *r);

typedef int (*ingest_enterprise_cb)(void *ud, const struct ingest_enterprise *e);

/* Parse and validate a whole enterprises file in memory; then call cb for each valid row in file
 * order.  Without skip_invalid the first invalid row (a USCC failing its GB 32100-2015 check, a
 * repeated USCC, a bad coordinate …) is an error naming the line, column and why, and cb is never
 * called; with it, invalid rows are counted and listed in rep and the rest are passed on.  Pure:
 * no I/O.  EG_EPARSE/EG_ELIMIT/EG_ENOMEM, or cb's value. */
int ingest_enterprises_parse(const char *buf, size_t len, const char *name, bool skip_invalid,
                             ingest_enterprise_cb cb, void *ud, struct ingest_ent_report *rep,
                             struct eg_errbuf *eb) EG_MUST_CHECK;
/* Import a file into the registry in one transaction (enterprises upserted, list memberships and
 * permits added).  All or nothing unless skip_invalid. */
int ingest_enterprises_file(struct store *s, const char *path, bool skip_invalid,
                            struct ingest_ent_report *rep, struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- Water and soil: monitoring points and sampling results (ingest/water.c) ---- */

/* Point kinds (the points file's `kind` column). */
enum {
    INGEST_WATER_SECTION,
    INGEST_WATER_SOURCE,
    INGEST_WATER_LAKE,
    INGEST_WATER_SEA,
    INGEST_WATER_WELL,
    INGEST_WATER_FARMLAND,
    INGEST_WATER_CONSTRUCTION,
    INGEST_WATER_ODOROUS,
    INGEST_WATER_NKINDS
};
#define INGEST_WATER_MAX_ROWS (64 << 20) /* sample rows of one file */

/* Kind index of a kind name ("section" …), -1 if unknown; and back. */
int ingest_water_kind(const char *s, size_t n);
const char *ingest_water_kind_name(int kind);
/* Parameter (std_wparam index) of an item as written in a samples file: a standards key
 * ("NH3N"), a table's Chinese name ("氨氮(NH3-N)" or "氨氮"), an HJ 212-2017 code ("w21003") or a
 * common abbreviation ("NH3-N"); -1 if unknown. */
int ingest_water_item(const char *s, size_t n);

/* Import points: header code,name,kind,water,target_class,level,lon,lat and optionally
 * water_body, county, supply, area, land_use, ph, depth_cm, measures_ok (other columns are
 * ignored).  Inserted or updated; one transaction; a bad row (file:line:column) rejects the file.
 */
int ingest_water_points_file(struct store *s, const char *path, struct ingest_stats *st,
                             struct eg_errbuf *eb) EG_MUST_CHECK;
int ingest_water_points_buffer(struct store *s, const char *buf, size_t len, const char *name,
                               struct ingest_stats *st, struct eg_errbuf *eb) EG_MUST_CHECK;

struct ingest_water_row {
    const char *point;
    int64_t t;        /* UTC epoch seconds (the file's Beijing date and time) */
    int param;        /* std_wparam index */
    const char *item; /* its key (static) */
    int64_t v;        /* × 10^9 in the unit of the standard evaluating the point's kind */
    uint32_t flags;   /* STORE_WATER_ND: v is the detection limit */
    long line;
};
/* The kind of a point code (n bytes), -1 if unknown; *ret_ground for groundwater sources. */
typedef int (*ingest_water_kind_cb)(void *ud, const char *code, size_t n, bool *ret_ground);
typedef int (*ingest_water_row_cb)(void *ud, const struct ingest_water_row *r);

/* Parse and check a whole samples file (header point,date,item,value,unit; optional time, dl),
 * then call cb for every row ordered by point, instant and line; never for an invalid file.
 * kind_of NULL: every point is a river section.  Pure: no I/O.  Errors name file, line, column
 * (1-based field) and field.  Returns 0, EG_EPARSE/EG_ERANGE/EG_ELIMIT/EG_ENOTFOUND (unknown
 * point)/EG_ENOMEM, or cb's non-zero value. */
int ingest_water_samples_parse(const char *buf, size_t len, const char *name,
                               ingest_water_kind_cb kind_of, void *kud, ingest_water_row_cb cb,
                               void *ud, struct ingest_stats *st,
                               struct eg_errbuf *eb) EG_MUST_CHECK;

/* Import a samples file (CSV, or an xlsx sheet) in one transaction, keyed as "water:<base name>"
 * with its digest in the import_file table (the same content again changes nothing).
 * Results replace the same items of the same sampling events; an item repeated within one event
 * rejects the file. */
int ingest_water_samples_file(struct store *s, const char *path, struct ingest_stats *st,
                              struct eg_errbuf *eb) EG_MUST_CHECK;
int ingest_water_samples_buffer(struct store *s, const char *buf, size_t len, const char *name,
                                struct ingest_stats *st, enum ingest_file_result *ret_result,
                                struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- xlsx workbooks (xlsx.c): one worksheet converted to CSV for the importers above ----
 * An .xlsx file is a ZIP of XML parts (ECMA-376 / ISO/IEC 29500).  The converter reads
 * xl/workbook.xml (sheet names, 1904 date system), xl/_rels/workbook.xml.rels (the sheet's part),
 * xl/sharedStrings.xml, xl/styles.xml (date formats) and the worksheet, and writes RFC 4180 CSV
 * whose line N is the sheet's row N (missing rows become blank lines, which the CSV reader skips
 * but counts).  Cell text: strings as stored; numbers as their stored decimal text (never through
 * binary floating point), rounded half to even (GB/T 8170) to 15 significant digits when longer,
 * exponent forms written out as plain decimals (up to 10^±40); dates as YYYY-MM-DD, times as
 * HH:MM:SS, date-times as "YYYY-MM-DD HH:MM:SS"; booleans TRUE/FALSE; formulas their cached value.
 * Trailing empty cells of a row are dropped.  docs/water.md describes the details. */

#define INGEST_XLSX_PART_LIMIT ((size_t)256 << 20) /* uncompressed bytes of one XML part */
#define INGEST_XLSX_MAX_CELLS  (16L << 20)         /* non-empty cells of the sheet */
#define INGEST_XLSX_MAX_STRING ((size_t)128 << 10) /* bytes of one cell's text */
#define INGEST_XLSX_MAX_SHARED (4L << 20)          /* shared strings */
#define INGEST_XLSX_CSV_LIMIT  INGEST_FILE_LIMIT   /* bytes of the CSV made */

struct ingest_xlsx;

/* An input file as the CSV importers read it: a CSV file as is, or a workbook converted. */
struct ingest_input {
    const char *buf; /* CSV text (NUL-terminated) */
    size_t len;
    const char *name;         /* for errors: the path, or "path!Sheet" for a workbook */
    char *raw;                /* internal */
    struct ingest_xlsx *xlsx; /* internal; NULL for CSV */
};

/* True if `name` ends in ".xlsx" (any case) or the content starts with a ZIP signature. */
bool ingest_xlsx_detect(const char *name, const char *buf, size_t len);

/* Convert the worksheet `sheet` (NULL: the first) of the workbook in buf into CSV; `name` is used
 * in errors.  On success *ret is the converter's result (free with ingest_xlsx_free).  Returns
 * EG_EPARSE (not a ZIP, a missing or malformed part), EG_ENOTFOUND (no such sheet), EG_ELIMIT (a
 * limit above, or a part inflating past its declared size), EG_ENOMEM; detail in eb. */
int ingest_xlsx_convert(const char *buf, size_t len, const char *name, const char *sheet,
                        struct ingest_xlsx **ret, struct eg_errbuf *eb) EG_MUST_CHECK;
/* The CSV text (NUL-terminated, owned by x) and its length. */
const char *ingest_xlsx_csv(const struct ingest_xlsx *x, size_t *ret_len);
/* The sheet's name (owned by x). */
const char *ingest_xlsx_sheet(const struct ingest_xlsx *x);
/* The sheet row of a CSV line (they differ only after a cell holding line breaks). */
long ingest_xlsx_row(const struct ingest_xlsx *x, long line);
void ingest_xlsx_free(struct ingest_xlsx *x);

/* Read `path` (at most INGEST_FILE_LIMIT bytes) and, if ingest_xlsx_detect says so, convert its
 * first sheet.  On success *in holds the CSV to import; release with ingest_input_done.  Errors
 * as eg_file_read and ingest_xlsx_convert. */
int ingest_input_read(const char *path, struct ingest_input *in,
                      struct eg_errbuf *eb) EG_MUST_CHECK;
/* After an importer failed on in->buf: for a workbook, turn eb's line into the sheet row and add
 * the cell ("(cell C4)") to the message.  No-op for CSV or eb NULL. */
void ingest_input_locate(const struct ingest_input *in, struct eg_errbuf *eb);
/* The sheet row of a CSV line (the line itself for CSV). */
long ingest_input_row(const struct ingest_input *in, long line);
/* Release (NULL allowed; safe after a failed ingest_input_read). */
void ingest_input_done(struct ingest_input *in);
#endif
