/* eg_time.c — civil calendar arithmetic (H. Hinnant's days_from_civil) in Beijing time. */
#include "eg_time.h"

#include <stdio.h>
#include <string.h>

int32_t eg_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void eg_civil_from_days(int32_t z, int *ret_y, int *ret_m, int *ret_d)
{
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int d = doy - (153 * mp + 2) / 5 + 1;
    const int m = mp < 10 ? mp + 3 : mp - 9;
    *ret_y = y + (m <= 2);
    *ret_m = m;
    *ret_d = d;
}

int eg_days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

int eg_is_valid_date(int y, int m, int d)
{
    return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= eg_days_in_month(y, m);
}

static int digits(const char *s, size_t n, int *ret)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *ret = v;
    return 0;
}

int eg_date_parse(const char *s, size_t n, int32_t *ret_day)
{
    int y, m, d;
    if (n == 10 && s[4] == '-' && s[7] == '-') {
        if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
            return EG_EPARSE;
    } else if (n == 8) {
        if (digits(s, 4, &y) || digits(s + 4, 2, &m) || digits(s + 6, 2, &d))
            return EG_EPARSE;
    } else {
        return EG_EPARSE;
    }
    if (!eg_is_valid_date(y, m, d))
        return EG_EPARSE;
    *ret_day = eg_days_from_civil(y, m, d);
    return 0;
}

void eg_date_format(int32_t day, char *buf, size_t n)
{
    int y, m, d;
    eg_civil_from_days(day, &y, &m, &d);
    snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

int64_t eg_hour_stamp(int32_t day, int hour)
{
    return (int64_t)day * 24 + hour;
}

int64_t eg_day_first_hour(int32_t day)
{
    return (int64_t)day * 24 + 1;
}

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int32_t eg_hour_natural_day(int64_t stamp)
{
    return (int32_t)floordiv(stamp - 1, 24);
}

void eg_hour_split(int64_t stamp, int32_t *ret_day, int *ret_hour)
{
    int64_t d = floordiv(stamp, 24);
    *ret_day = (int32_t)d;
    *ret_hour = (int)(stamp - d * 24);
}

void eg_hour_format_iso(int64_t stamp, char *buf, size_t n)
{
    int32_t day;
    int hour, y, m, d;
    eg_hour_split(stamp, &day, &hour);
    eg_civil_from_days(day, &y, &m, &d);
    snprintf(buf, n, "%04d-%02d-%02dT%02d:00:00+08:00", y, m, d, hour);
}

int64_t eg_unix_from_beijing(int32_t day, int sec_of_day)
{
    return (int64_t)day * 86400 + sec_of_day - EG_BEIJING_OFFSET_S;
}

void eg_beijing_from_unix(int64_t t, int32_t *ret_day, int *ret_sec_of_day)
{
    int64_t local = t + EG_BEIJING_OFFSET_S;
    int64_t d = floordiv(local, 86400);
    *ret_day = (int32_t)d;
    *ret_sec_of_day = (int)(local - d * 86400);
}

void eg_unix_format_iso(int64_t t, char *buf, size_t n)
{
    int32_t day;
    int sod, y, m, d;
    eg_beijing_from_unix(t, &day, &sod);
    eg_civil_from_days(day, &y, &m, &d);
    snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y, m, d, sod / 3600, sod / 60 % 60,
             sod % 60);
}

int eg_iso_parse(const char *s, size_t n, int64_t *ret_unix)
{
    int32_t day;
    int hh = 0, mm = 0, ss = 0;
    long off = EG_BEIJING_OFFSET_S;
    if (n < 10 || eg_date_parse(s, 10, &day))
        return EG_EPARSE;
    size_t i = 10;
    if (i < n && (s[i] == 'T' || s[i] == ' ')) {
        if (n < i + 6 || digits(s + i + 1, 2, &hh) || s[i + 3] != ':' || digits(s + i + 4, 2, &mm))
            return EG_EPARSE;
        i += 6;
        if (i < n && s[i] == ':') {
            if (n < i + 3 || digits(s + i + 1, 2, &ss))
                return EG_EPARSE;
            i += 3;
        }
        if (hh > 24 || mm > 59 || ss > 60 || (hh == 24 && (mm || ss)))
            return EG_EPARSE;
    }
    if (i < n) {
        if (s[i] == 'Z' && i + 1 == n) {
            off = 0;
        } else if ((s[i] == '+' || s[i] == '-') && n == i + 6 && s[i + 3] == ':') {
            int oh, om;
            if (digits(s + i + 1, 2, &oh) || digits(s + i + 4, 2, &om) || oh > 14 || om > 59)
                return EG_EPARSE;
            off = (oh * 3600L + om * 60L) * (s[i] == '-' ? -1 : 1);
        } else {
            return EG_EPARSE;
        }
    }
    *ret_unix = (int64_t)day * 86400 + hh * 3600 + mm * 60 + ss - off;
    return 0;
}
