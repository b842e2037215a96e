/* eg_time.h — civil dates and hours in Beijing time (UTC+8), the only civil time envgov uses.
 *
 * A day is an int32 count of days since 1970-01-01 (proleptic Gregorian).  An hourly value is
 * stamped with the END of its hour (HJ 663-2013 A.1: the hour (h-1, h] is stamped h:00); a stamp
 * is an int64 count of hours since 1970-01-01T00:00+08:00.  The natural day D holds the stamps
 * D 01:00 … D+1 00:00 (eg_day_first_hour / eg_hour_natural_day).  Instants are stored as UTC
 * epoch seconds and converted at the edges.
 */
#ifndef EG_TIME_H
#define EG_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "eg_err.h"

#define EG_BEIJING_OFFSET_S (8 * 3600)

int32_t eg_days_from_civil(int y, int m, int d);
void eg_civil_from_days(int32_t z, int *ret_y, int *ret_m, int *ret_d);
int eg_days_in_month(int y, int m);
int eg_is_valid_date(int y, int m, int d);

/* "YYYY-MM-DD" or "YYYYMMDD" → day number.  EG_EPARSE when malformed or not a real date. */
int eg_date_parse(const char *s, size_t n, int32_t *ret_day) EG_MUST_CHECK;
/* day → "YYYY-MM-DD" (buf ≥ 11 bytes). */
void eg_date_format(int32_t day, char *buf, size_t n);

/* Hour stamp of `hour` (0..24) o'clock on `day`; hour 24 = 00:00 of day+1. */
int64_t eg_hour_stamp(int32_t day, int hour);
/* First stamp of the natural day (D 01:00). */
int64_t eg_day_first_hour(int32_t day);
/* Natural day a stamp belongs to (stamp D 00:00 belongs to D-1). */
int32_t eg_hour_natural_day(int64_t stamp);
/* Stamp → calendar day and clock hour 0..23. */
void eg_hour_split(int64_t stamp, int32_t *ret_day, int *ret_hour);
/* Stamp → "YYYY-MM-DDTHH:00:00+08:00" (buf ≥ 26 bytes). */
void eg_hour_format_iso(int64_t stamp, char *buf, size_t n);

/* Beijing civil date-time → UTC epoch seconds and back. */
int64_t eg_unix_from_beijing(int32_t day, int sec_of_day);
void eg_beijing_from_unix(int64_t t, int32_t *ret_day, int *ret_sec_of_day);
/* UTC epoch seconds → "YYYY-MM-DDTHH:MM:SS+08:00" (buf ≥ 26 bytes). */
void eg_unix_format_iso(int64_t t, char *buf, size_t n);
/* ISO 8601 "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" with optional "Z" or "±HH:MM" (none = Beijing)
 * → UTC epoch seconds. */
int eg_iso_parse(const char *s, size_t n, int64_t *ret_unix) EG_MUST_CHECK;

#endif
