/* warning.c — heavy-pollution weather warning grade from a forecast series of daily AQIs.
 *
 * Grades per reference/air.md §10 (MEP 2017 slides; plans citing 环办大气函〔2018〕875号 and
 * 〔2019〕648号): yellow: AQI > 200 for >= 2 consecutive days; orange: > 200 for >= 3 days with
 * >= 1 day > 300; red: > 200 for >= 4 days with > 300 lasting >= 2 (consecutive) days, or any day
 * reaching 500.  Blue (> 200 for one day) was dropped by most provinces after 2018 and is issued
 * only on request (air_warning_level_opts).  Local plans may be stricter; the daily AQI here may
 * be a rolling 24-h mean (the 2017 slides) — the caller chooses the series.
 */
#include "air-int.h"

static enum air_warning run_grade(const int *aqi, size_t start, size_t len, bool blue)
{
    size_t over300 = 0, run300 = 0, best300 = 0;
    bool at500 = false;
    for (size_t i = start; i < start + len; i++) {
        if (aqi[i] >= 500)
            at500 = true;
        if (aqi[i] > 300) {
            over300++;
            run300++;
            if (run300 > best300)
                best300 = run300;
        } else {
            run300 = 0;
        }
    }
    if (at500 || (len >= 4 && best300 >= 2))
        return AIR_WARN_RED;
    if (len >= 3 && over300 >= 1)
        return AIR_WARN_ORANGE;
    if (len >= 2)
        return AIR_WARN_YELLOW;
    return blue ? AIR_WARN_BLUE : AIR_WARN_NONE;
}

enum air_warning air_warning_level_opts(const int *aqi, size_t n, bool issue_blue,
                                        size_t *ret_start, size_t *ret_len)
{
    enum air_warning best = AIR_WARN_NONE;
    size_t bs = 0, bl = 0;
    size_t i = 0;
    while (i < n) {
        if (aqi[i] <= 200) { /* also an unknown day (< 0): it breaks the episode */
            i++;
            continue;
        }
        size_t s = i;
        while (i < n && aqi[i] > 200)
            i++;
        enum air_warning g = run_grade(aqi, s, i - s, issue_blue);
        if (g > best) {
            best = g;
            bs = s;
            bl = i - s;
        }
    }
    if (ret_start)
        *ret_start = bs;
    if (ret_len)
        *ret_len = bl;
    return best;
}

enum air_warning air_warning_level(const int *aqi, size_t n, size_t *ret_start, size_t *ret_len)
{
    return air_warning_level_opts(aqi, n, false, ret_start, ret_len);
}

const char *air_warning_name(enum air_warning w)
{
    static const char *const names[] = {"none", "blue", "yellow", "orange", "red"};
    return (unsigned)w <= AIR_WARN_RED ? names[w] : "?";
}

const char *air_warning_name_zh(enum air_warning w)
{
    static const char *const names[] = {"无", "蓝色预警", "黄色预警", "橙色预警", "红色预警"};
    return (unsigned)w <= AIR_WARN_RED ? names[w] : "?";
}
