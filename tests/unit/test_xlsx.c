/* test_xlsx.c — the xlsx → CSV converter (src/ingest/xlsx.c) and the xlsx import end to end.
 * Workbooks are made here, never committed: from XML parts zipped with libzip (exact control of
 * every cell), and with libxlsxwriter (a real spreadsheet writer).  Also a zip bomb, a part over
 * the size limit, a non-ZIP file named .xlsx, a workbook without sharedStrings, a missing sheet,
 * and, through the real `envgov` binary, samples imported from xlsx and from CSV giving the same
 * `water section` output, and an enterprises workbook with a bad USCC on row 4.
 * Usage: test_xlsx ENVGOV SOURCE_ROOT (run by meson test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "common/eg_buf.h"
#include "common/eg_mem.h"
#include "ingest/ingest.h"

static const char *envgov, *root;
static char tmpdir[256];

struct part {
    const char *name, *text;
};

static const char *const WB_RELS =
    "<?xml version=\"1.0\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";

static const char *const WB =
    "<?xml version=\"1.0\"?><workbook "
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"数据\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";

/* Zip the parts into path (deflated). */
static void make_zip(const char *path, const struct part *parts, size_t n)
{
    int err;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, parts[i].text, strlen(parts[i].text), 0);
        assert_non_null(s);
        assert_true(zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
}

static char *slurp(const char *path, size_t *len)
{
    char *buf;
    struct eg_errbuf eb;
    assert_int_equal(eg_file_read(path, (size_t)512 << 20, &buf, len, &eb), 0);
    return buf;
}

/* Convert the workbook file; returns the code and, on success, the CSV (eg_malloc'd). */
static int convert(const char *path, const char *sheet, char **csv, struct eg_errbuf *eb)
{
    size_t len, n;
    char *buf = slurp(path, &len);
    struct ingest_xlsx *x = NULL;
    int rc = ingest_xlsx_convert(buf, len, path, sheet, &x, eb);
    eg_free(buf);
    if (rc)
        return rc;
    const char *t = ingest_xlsx_csv(x, &n);
    assert_int_equal(strlen(t), n);
    *csv = eg_strdup(t);
    ingest_xlsx_free(x);
    return 0;
}

static void tpath(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmpdir, name);
}

/* Every kind of cell, made from parts. */
static void test_parts(void **state)
{
    (void)state;
    static const char sst[] =
        "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<si><t>point</t></si><si><t>氨氮</t></si>"
        "<si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space=\"preserve\">文本 </t></r>"
        "<rPh sb=\"0\" eb=\"1\"><t>ふ</t></rPh></si>"
        "<si><t>a,\"b\"</t></si><si><t>two\nlines</t></si><si><t>#x</t></si></sst>";
    static const char styles[] =
        "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<numFmts count=\"3\"><numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\\ h:mm\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"0.00&quot;d&quot;\"/>"
        "<numFmt numFmtId=\"166\" formatCode=\"[$-F400]h:mm:ss\\ AM/PM\"/></numFmts>"
        "<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs>"
        "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
        "<xf numFmtId=\"165\"/><xf numFmtId=\"20\"/><xf numFmtId=\"31\"/><xf numFmtId=\"166\"/>"
        "</cellXfs><dxfs><dxf><numFmt numFmtId=\"167\" formatCode=\"yyyy\"/></dxf></dxfs>"
        "</styleSheet>";
    static const char sheet[] =
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c>"
        "<c r=\"D1\" s=\"1\"/></row>"
        "<row r=\"3\"><c r=\"A3\"><v>0.10000000000000001</v></c><c r=\"B3\"><v>12.345</v></c>"
        "<c r=\"C3\"><v>1.0000000000000001E-3</v></c><c r=\"D3\"><v>-2.5E-2</v></c>"
        "<c r=\"E3\"><v>0.30000000000000004</v></c><c r=\"F3\"><v>99999999999999999</v></c>"
        "<c r=\"G3\"><v>1.5</v></c><c r=\"H3\"><v>2.0000000000000005</v></c>"
        "<c r=\"I3\"><v>1.000000000000005</v></c><c r=\"J3\"><v>1.000000000000015</v></c>"
        "</row>"
        "<row r=\"4\"><c r=\"A4\" s=\"1\"><v>45292</v></c><c r=\"B4\" s=\"2\"><v>45292.520833333336"
        "</v></c><c r=\"C4\" s=\"4\"><v>0.75</v></c><c r=\"D4\" s=\"1\"><v>60</v></c>"
        "<c r=\"E4\" s=\"1\"><v>59</v></c><c r=\"F4\" s=\"1\"><v>61</v></c>"
        "<c r=\"G4\" s=\"3\"><v>3.5</v></c><c r=\"H4\" s=\"5\"><v>1</v></c>"
        "<c r=\"I4\" s=\"6\"><v>0.99999999999999989</v></c><c r=\"J4\" s=\"2\"><v>-1</v></c>"
        "<c r=\"K4\" s=\"2\"><v>1E-20</v></c><c r=\"L4\" s=\"2\"><v>2.5E-5</v></c>"
        "<c r=\"M4\" s=\"2\"><v>3E+7</v></c></row>"
        "<row r=\"5\"><c t=\"inlineStr\"><is><t>inline</t></is></c><c t=\"b\"><v>1</v></c>"
        "<c t=\"b\"><v>0</v></c><c t=\"str\"><f>A1</f><v>point</v></c><c t=\"e\"><v>#N/A</v></c>"
        "<c r=\"F5\" t=\"s\"><v>2</v></c></row>"
        "<row r=\"6\"><c r=\"B6\" t=\"s\"><v>3</v></c><c r=\"C6\" t=\"s\"><v>1</v></c></row>"
        "<row r=\"7\"><c r=\"A7\" t=\"s\"><v>4</v></c></row>"
        "<row r=\"8\"><c r=\"A8\" t=\"s\"><v>5</v></c><c r=\"B8\" t=\"inlineStr\"><is><t> "
        "x</t></is>"
        "</c></row>"
        "<row r=\"9\"><c r=\"A9\"/><c r=\"B9\" s=\"1\"/></row>"
        "<row r=\"10\"><c r=\"B10\"><v>7</v></c></row>"
        "</sheetData></worksheet>";
    struct part parts[] = {{"xl/workbook.xml", WB},
                           {"xl/_rels/workbook.xml.rels", WB_RELS},
                           {"xl/sharedStrings.xml", sst},
                           {"xl/styles.xml", styles},
                           {"xl/worksheets/sheet1.xml", sheet}};
    char path[300], *csv;
    struct eg_errbuf eb;
    tpath(path, sizeof(path), "parts.xlsx");
    make_zip(path, parts, 5);
    assert_int_equal(convert(path, NULL, &csv, &eb), 0);
    assert_string_equal(
        csv,
        "point,,氨氮\n"
        "\n"
        "0.1,12.345,0.001,-0.025,0.3,100000000000000000,1.5,2,1,1.00000000000002\n"
        "2024-01-01,2024-01-01 12:30:00,18:00:00,1900-02-29,1900-02-28,"
        "1900-03-01,3.5,1900-01-01,00:00:00,-1,1900-01-00 00:00:00,1900-01-00 00:00:02,30000000\n"
        "inline,TRUE,FALSE,point,\"#N/A\",\"富文本 \"\n"
        ",\"a,\"\"b\"\"\",氨氮\n"
        "\"two\nlines\"\n"
        "\"#x\",\" x\"\n"
        ",7\n");
    eg_free(csv);
    /* the row map: CSV line 9 (after the two-line cell) is sheet row 10 */
    size_t len;
    char *buf = slurp(path, &len);
    struct ingest_xlsx *x;
    assert_int_equal(ingest_xlsx_convert(buf, len, path, "数据", &x, &eb), 0);
    assert_string_equal(ingest_xlsx_sheet(x), "数据");
    assert_int_equal(ingest_xlsx_row(x, 3), 3);
    assert_int_equal(ingest_xlsx_row(x, 7), 7);
    assert_int_equal(ingest_xlsx_row(x, 9), 8);
    assert_int_equal(ingest_xlsx_row(x, 10), 10);
    ingest_xlsx_free(x);
    /* a missing sheet */
    assert_int_equal(ingest_xlsx_convert(buf, len, path, "Sheet9", &x, &eb), EG_ENOTFOUND);
    assert_non_null(strstr(eb.msg, "Sheet9"));
    eg_free(buf);
}

static void test_1904_and_no_sst(void **state)
{
    (void)state;
    static const char wb[] =
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<workbookPr date1904=\"1\"/><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
        "</sheets></workbook>";
    static const char styles[] =
        "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"22\"/></cellXfs></styleSheet>";
    static const char sheet[] =
        "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<x:sheetData><x:row><x:c s=\"1\"><x:v>0</x:v></x:c><x:c s=\"1\"><x:v>43830.25</x:v>"
        "</x:c></x:row></x:sheetData></x:worksheet>";
    struct part parts[] = {{"xl/workbook.xml", wb},
                           {"xl/_rels/workbook.xml.rels", WB_RELS},
                           {"xl/styles.xml", styles},
                           {"xl/worksheets/sheet1.xml", sheet}};
    char path[300], *csv;
    struct eg_errbuf eb;
    tpath(path, sizeof(path), "d1904.xlsx");
    make_zip(path, parts, 4);
    assert_int_equal(convert(path, NULL, &csv, &eb), 0);
    assert_string_equal(csv, "1904-01-01 00:00:00,2024-01-01 06:00:00\n");
    eg_free(csv);
    /* a shared string referenced without sharedStrings.xml */
    static const char bad[] = "<worksheet><sheetData><row><c t=\"s\"><v>0</v></c></row>"
                              "</sheetData></worksheet>";
    parts[3].text = bad;
    make_zip(path, parts, 4);
    assert_int_equal(convert(path, NULL, &csv, &eb), EG_EPARSE);
    assert_int_equal(eb.line, 1);
    assert_int_equal(eb.column, 1);
    /* the sheet's part is missing; the workbook part is missing */
    make_zip(path, parts, 3);
    assert_int_equal(convert(path, NULL, &csv, &eb), EG_EPARSE);
    make_zip(path, parts + 1, 3);
    assert_int_equal(convert(path, NULL, &csv, &eb), EG_EPARSE);
    /* a DOCTYPE (entity expansion) is refused */
    static const char dtd[] =
        "<!DOCTYPE w [<!ENTITY a \"aaaa\">]><worksheet><sheetData><row><c "
        "t=\"inlineStr\"><is><t>&a;</t></is></c></row></sheetData></worksheet>";
    parts[3].text = dtd;
    make_zip(path, parts, 4);
    assert_int_equal(convert(path, NULL, &csv, &eb), EG_EPARSE);
}

static void test_not_zip(void **state)
{
    (void)state;
    char path[300], *csv;
    struct eg_errbuf eb;
    tpath(path, sizeof(path), "fake.XLSX");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("point,date,item,value,unit\n", f);
    fclose(f);
    assert_true(ingest_xlsx_detect(path, "p", 1));
    assert_true(ingest_xlsx_detect("a.csv", "PK\x03\x04", 4));
    assert_false(ingest_xlsx_detect("a.csv", "point", 5));
    assert_int_equal(convert(path, NULL, &csv, &eb), EG_EPARSE);
    assert_non_null(strstr(eb.msg, "not an xlsx workbook"));
}

/* Set the uncompressed size of every entry called `name` in a ZIP file, in the local and the
 * central headers (a lie: the data inflates to more). */
static void patch_size(const char *path, const char *name, uint32_t size)
{
    size_t len, nl = strlen(name);
    char *b = slurp(path, &len);
    for (size_t i = 0; i + 46 < len; i++) {
        size_t at = 0, fnoff = 0;
        if (!memcmp(b + i, "PK\x03\x04", 4))
            at = 22, fnoff = 30;
        else if (!memcmp(b + i, "PK\x01\x02", 4))
            at = 24, fnoff = 46;
        else
            continue;
        if (i + fnoff + nl <= len && !memcmp(b + i + fnoff, name, nl))
            for (int k = 0; k < 4; k++)
                b[i + at + (size_t)k] = (char)((size >> (8 * k)) & 0xff);
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, len, f), len);
    fclose(f);
    eg_free(b);
}

static void test_bomb(void **state)
{
    (void)state;
    size_t n = (size_t)4 << 20;
    char *big = malloc(n + 200);
    assert_non_null(big);
    size_t k = (size_t)snprintf(big, 200, "<worksheet><sheetData>");
    memset(big + k, ' ', n);
    snprintf(big + k + n, 100, "</sheetData></worksheet>");
    struct part parts[] = {{"xl/workbook.xml", WB},
                           {"xl/_rels/workbook.xml.rels", WB_RELS},
                           {"xl/worksheets/sheet1.xml", big}};
    char path[300], *csv;
    struct eg_errbuf eb;
    tpath(path, sizeof(path), "bomb.xlsx");
    make_zip(path, parts, 3);
    assert_int_equal(convert(path, NULL, &csv, &eb), 0); /* honest: fine */
    eg_free(csv);
    patch_size(path, "xl/worksheets/sheet1.xml", 1000);
    assert_int_equal(convert(path, NULL, &csv, &eb), EG_ELIMIT);
    assert_non_null(strstr(eb.msg, "inflates past its declared size"));
    patch_size(path, "xl/worksheets/sheet1.xml", 300u << 20);
    assert_int_equal(convert(path, NULL, &csv, &eb), EG_ELIMIT);
    assert_non_null(strstr(eb.msg, "limit"));
    free(big);
}

/* A workbook written by libxlsxwriter, read back cell by cell. */
static void test_xlsxwriter(void **state)
{
    (void)state;
    char path[300], *csv;
    struct eg_errbuf eb;
    tpath(path, sizeof(path), "writer.xlsx");
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "监测");
    lxw_format *fd = workbook_add_format(wb);
    format_set_num_format(fd, "yyyy-mm-dd");
    lxw_format *fdt = workbook_add_format(wb);
    format_set_num_format(fdt, "yyyy-mm-dd hh:mm");
    lxw_format *fnum = workbook_add_format(wb);
    format_set_num_format(fnum, "0.000");
    worksheet_write_string(ws, 0, 0, "断面", NULL);
    worksheet_write_string(ws, 0, 1, "氨氮", NULL);
    worksheet_write_number(ws, 0, 2, 0.1, NULL);
    worksheet_write_number(ws, 0, 3, 12.345, fnum);
    worksheet_write_number(ws, 0, 4, 1e-3, NULL);
    lxw_datetime d = {2024, 2, 29, 0, 0, 0.0}, dt = {2023, 12, 31, 23, 59, 0.0};
    worksheet_write_datetime(ws, 1, 0, &d, fd);
    worksheet_write_datetime(ws, 1, 1, &dt, fdt);
    /* (1, 2) left empty */
    worksheet_write_string(ws, 1, 3, "氨氮", NULL); /* the shared string again */
    worksheet_write_number(ws, 1, 4, 7.65, NULL);
    worksheet_write_string(ws, 3, 1, "跳过一行", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    assert_int_equal(convert(path, NULL, &csv, &eb), 0);
    assert_string_equal(csv, "断面,氨氮,0.1,12.345,0.001\n"
                             "2024-02-29,2023-12-31 23:59:00,,氨氮,7.65\n"
                             "\n"
                             ",跳过一行\n");
    eg_free(csv);
}

/* Every allocation failing in turn: ENOMEM or success, never a crash or a leak (ASan). */
static void test_oom(void **state)
{
    (void)state;
    char path[300];
    size_t len;
    tpath(path, sizeof(path), "parts.xlsx"); /* made by test_parts */
    char *buf = slurp(path, &len);
    int ok = 0;
    for (long n = 0; n < 400 && !ok; n++) {
        struct ingest_xlsx *x = NULL;
        struct eg_errbuf eb;
        eg_mem_fail_after(n);
        int rc = ingest_xlsx_convert(buf, len, path, NULL, &x, &eb);
        eg_mem_fail_after(-1);
        if (rc == 0) {
            ok = 1;
            ingest_xlsx_free(x);
        } else {
            assert_int_equal(rc, EG_ENOMEM);
            assert_null(x);
        }
    }
    assert_true(ok);
    eg_free(buf);
}

/* ---- end to end through the binary ---- */

static int run(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int run(char *out, size_t n, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t k = 0;
    if (out) {
        k = fread(out, 1, n - 1, p);
        out[k] = 0;
    } else {
        char b[4096];
        while (fread(b, 1, sizeof(b), p) > 0)
            ;
    }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Write the CSV fields of one line into the sheet row: dates as date cells, numbers as numbers,
 * the rest as strings. */
static void put_line(lxw_worksheet *ws, lxw_row_t r, char *line, lxw_format *fd)
{
    lxw_col_t c = 0;
    for (char *p = line;; c++) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = 0;
        int y, m, d;
        char *end;
        double v = strtod(p, &end);
        if (*p == 0) {
        } else if (r > 0 && sscanf(p, "%4d-%2d-%2d", &y, &m, &d) == 3 && strlen(p) == 10) {
            lxw_datetime dt = {y, m, d, 0, 0, 0.0};
            worksheet_write_datetime(ws, r, c, &dt, fd);
        } else if (r > 0 && end != p && *end == 0) {
            worksheet_write_number(ws, r, c, v, NULL);
        } else {
            worksheet_write_string(ws, r, c, p, NULL);
        }
        if (!comma)
            break;
        p = comma + 1;
    }
}

static void test_e2e_samples(void **state)
{
    (void)state;
    char src[600], csvp[300], xp[300], db1[300], db2[300];
    snprintf(src, sizeof(src), "%s/data/demo/samples_2022.csv", root);
    tpath(csvp, sizeof(csvp), "s.csv");
    tpath(xp, sizeof(xp), "s.xlsx");
    tpath(db1, sizeof(db1), "csv.db");
    tpath(db2, sizeof(db2), "xlsx.db");
    FILE *in = fopen(src, "r"), *out = fopen(csvp, "w");
    assert_non_null(in);
    assert_non_null(out);
    lxw_workbook *wb = workbook_new(xp);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    lxw_format *fd = workbook_add_format(wb);
    format_set_num_format(fd, "yyyy/m/d");
    char line[1024];
    lxw_row_t r = 0;
    while (fgets(line, sizeof(line), in)) {
        line[strcspn(line, "\r\n")] = 0;
        if (r > 0 && strncmp(line, "PJ01,", 5) && strncmp(line, "PJ02,", 5))
            continue;
        fprintf(out, "%s\n", line);
        put_line(ws, r++, line, fd);
    }
    fclose(in);
    fclose(out);
    assert_true(r > 10);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    /* the points too, from a workbook, for the xlsx database */
    char pp[600], pxp[300];
    snprintf(pp, sizeof(pp), "%s/data/demo/points.csv", root);
    tpath(pxp, sizeof(pxp), "points.xlsx");
    in = fopen(pp, "r");
    assert_non_null(in);
    wb = workbook_new(pxp);
    ws = workbook_add_worksheet(wb, NULL);
    for (r = 0; fgets(line, sizeof(line), in); r++) {
        line[strcspn(line, "\r\n")] = 0;
        put_line(ws, r, line, NULL);
    }
    fclose(in);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    const char *dbs[2] = {db1, db2}, *files[2] = {csvp, xp}, *pfiles[2] = {pp, pxp};
    static char outs[2][1 << 16];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(
            run(NULL, 0, "%s --db %s import points %s 2>&1", envgov, dbs[i], pfiles[i]), 0);
        assert_int_equal(
            run(NULL, 0, "%s --db %s import samples %s 2>&1", envgov, dbs[i], files[i]), 0);
        assert_int_equal(run(outs[i], sizeof(outs[i]),
                             "%s --db %s water section --from 2022-01-01 --to 2022-12-31 "
                             "--point PJ01 PJ02 --format ndjson",
                             envgov, dbs[i]),
                         0);
    }
    assert_true(strlen(outs[0]) > 50);
    assert_string_equal(outs[0], outs[1]);
}

static void test_e2e_enterprises(void **state)
{
    (void)state;
    char xp[300], db[300], src[600], outbuf[4096];
    snprintf(src, sizeof(src), "%s/data/demo/supervision/enterprises.csv", root);
    tpath(xp, sizeof(xp), "ent.xlsx");
    tpath(db, sizeof(db), "ent.db");
    FILE *in = fopen(src, "r");
    assert_non_null(in);
    lxw_workbook *wb = workbook_new(xp);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "企业");
    lxw_format *fd = workbook_add_format(wb);
    format_set_num_format(fd, "yyyy-mm-dd");
    char line[2048];
    for (lxw_row_t r = 0; r < 6 && fgets(line, sizeof(line), in); r++) {
        line[strcspn(line, "\r\n")] = 0;
        if (r == 3)
            line[17] = line[17] == '0' ? '1' : '0'; /* row 4: a USCC failing its check */
        /* strings only, so the USCC keeps its digits */
        lxw_col_t c = 0;
        for (char *p = line;; c++) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = 0;
            if (*p)
                worksheet_write_string(ws, r, c, p, NULL);
            if (!comma)
                break;
            p = comma + 1;
        }
    }
    fclose(in);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    assert_int_equal(
        run(outbuf, sizeof(outbuf), "%s --db %s import enterprises %s 2>&1", envgov, db, xp), 1);
    char want[400];
    snprintf(want, sizeof(want), "%s!企业:4:", xp);
    print_message("%s", outbuf);
    assert_non_null(strstr(outbuf, want));
    assert_non_null(strstr(outbuf, "(cell A4)"));
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/envgov-xlsx-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_xlsx ENVGOV SOURCE_ROOT\n");
        return 2;
    }
    envgov = argv[1];
    root = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parts),       cmocka_unit_test(test_1904_and_no_sst),
        cmocka_unit_test(test_not_zip),     cmocka_unit_test(test_bomb),
        cmocka_unit_test(test_oom),         cmocka_unit_test(test_xlsxwriter),
        cmocka_unit_test(test_e2e_samples), cmocka_unit_test(test_e2e_enterprises),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
