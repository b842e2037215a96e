/* table_rows.h — the tests' own reader of the standards' CSV tables (independent of
 * src/common/eg_csv and eg_num, so that a bug there cannot hide in a comparison): lines split
 * with "" escapes, comment and header lines skipped, decimals scaled by 10^9.  Included by one
 * test file each, after <cmocka.h> (its functions are static and assert).  The test sets stddir
 * from its arguments.
 */
#ifndef TABLE_ROWS_H
#define TABLE_ROWS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *stddir = "standards";
#define S9 1000000000LL

#define MAXF 16
struct row {
    char f[MAXF][512];
    int n;
};

/* Split one line (quotes with "" escapes); returns fields. */
static int split(const char *line, struct row *r)
{
    int n = 0;
    const char *p = line;
    while (n < MAXF) {
        size_t k = 0;
        if (*p == '"') {
            p++;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++;
                if (k < 511)
                    r->f[n][k++] = *p;
                p++;
            }
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ',' && *p != '\n' && *p != '\r') {
                if (k < 511)
                    r->f[n][k++] = *p;
                p++;
            }
        }
        r->f[n++][k] = 0;
        if (*p != ',')
            break;
        p++;
    }
    r->n = n;
    return n;
}

/* Rows of a table file (comment line and header skipped). */
static int read_rows(const char *name, struct row *rows, int max)
{
    char path[512], line[4096];
    snprintf(path, sizeof(path), "%s/%s", stddir, name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int n = 0, header = 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (!header++)
            continue;
        assert_true(n < max);
        split(line, &rows[n++]);
    }
    fclose(f);
    return n;
}

/* "0.0000028" → 2800 (× 10^9); independent of eg_num. */
static int64_t num9(const char *s)
{
    const char *dot = strchr(s, '.');
    int neg = s[0] == '-';
    const char *d = neg ? s + 1 : s;
    int64_t ip = 0, fp = 0, scale = S9;
    for (const char *p = d; *p && p != dot; p++)
        ip = ip * 10 + (*p - '0');
    if (dot)
        for (const char *p = dot + 1; *p; p++) {
            scale /= 10;
            fp += (*p - '0') * scale;
        }
    int64_t v = ip * S9 + fp;
    return neg ? -v : v;
}

#endif
