/* h_export.c — the Excel export of any list (?format=xlsx), with libxlsxwriter.
 * The rows come as the JSON array fmt wrote; the header row is the union of the keys in first-seen
 * order (the CLI's column order), numbers stay numbers, text stays text, and nested objects and
 * arrays become compact JSON text (as in CSV).  libxlsxwriter 1.1 writes only to files, so the
 * workbook goes through a private temporary file that is removed at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "http-int.h"

#define XLSX_MAX_COLS 256

static int cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, json_t *v, lxw_format *bold)
{
    (void)bold;
    if (json_is_integer(v))
        return worksheet_write_number(ws, row, col, (double)json_integer_value(v), NULL);
    if (json_is_real(v))
        return worksheet_write_number(ws, row, col, json_real_value(v), NULL);
    if (json_is_string(v))
        return worksheet_write_string(ws, row, col, json_string_value(v), NULL);
    if (json_is_boolean(v))
        return worksheet_write_boolean(ws, row, col, json_is_true(v), NULL);
    if (json_is_null(v))
        return 0;
    char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    int rc = s ? worksheet_write_string(ws, row, col, s, NULL) : LXW_ERROR_MEMORY_MALLOC_FAILED;
    free(s);
    return rc;
}

int http__xlsx(const char *items_json, size_t n, const char *sheet, struct eg_buf *out,
               struct eg_errbuf *eb)
{
    json_error_t je;
    /* decimals are printed exactly by fmt; read them as reals only for the spreadsheet cell */
    json_t *rows = json_loadb(items_json, n, 0, &je);
    if (!json_is_array(rows)) {
        json_decref(rows);
        return eg_errf(eb, EG_EPARSE, "export: %s", je.text);
    }
    char path[] = "/tmp/envgov-xlsx-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        json_decref(rows);
        return eg_errf(eb, EG_EIO, "export: no temporary file");
    }
    close(fd);
    int rc = 0;
    const char *cols[XLSX_MAX_COLS];
    size_t ncols = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *k;
        json_t *v;
        json_object_foreach(row, k, v)
        {
            size_t c = 0;
            while (c < ncols && strcmp(cols[c], k))
                c++;
            if (c == ncols && ncols < XLSX_MAX_COLS)
                cols[ncols++] = k;
        }
    }
    static char tmpdir[] = "/tmp";
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, sheet) : NULL;
    if (!ws) {
        rc = eg_errf(eb, EG_EIO, "export: cannot create the workbook");
        goto out;
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (size_t c = 0; c < ncols; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c], bold);
    json_array_foreach(rows, i, row)
    {
        if (i + 1 >= LXW_ROW_MAX)
            break;
        for (size_t c = 0; c < ncols; c++) {
            json_t *v = json_object_get(row, cols[c]);
            if (v && cell(ws, (lxw_row_t)(i + 1), (lxw_col_t)c, v, bold)) {
                rc = eg_errf(eb, EG_EIO, "export: cannot write a cell");
                goto out;
            }
        }
    }
    lxw_error e = workbook_close(wb);
    wb = NULL;
    if (e != LXW_NO_ERROR) {
        rc = eg_errf(eb, EG_EIO, "export: %s", lxw_strerror(e));
        goto out;
    }
    char *data = NULL;
    size_t len = 0;
    if ((rc = eg_file_read(path, 256u << 20, &data, &len, eb)))
        goto out;
    eg_buf_reset(out);
    rc = eg_buf_add(out, data, len);
    eg_free(data);
out:
    if (wb)
        workbook_close(wb);
    unlink(path);
    json_decref(rows);
    return rc;
}
