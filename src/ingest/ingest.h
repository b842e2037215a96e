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

#endif
