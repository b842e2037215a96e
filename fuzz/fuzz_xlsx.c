/* fuzz_xlsx.c — libFuzzer target for the xlsx → CSV converter (ingest_xlsx_convert): bytes as a
 * workbook.  Checks what the converter promises: on success a NUL-terminated CSV within the limit
 * and a row map that never goes backwards; on failure a negative code with a message.
 * Replayed in `meson test` by replay_main.c over fuzz/corpus/xlsx.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct eg_errbuf eb;
    struct ingest_xlsx *x = NULL;
    eg_errbuf_clear(&eb);
    int rc = ingest_xlsx_convert((const char *)data, size, "f.xlsx", NULL, &x, &eb);
    if (rc) {
        if (rc >= 0 || x != NULL || eb.msg[0] == 0)
            abort();
        return 0;
    }
    size_t len;
    const char *csv = ingest_xlsx_csv(x, &len);
    if (csv[len] != 0 || len > INGEST_XLSX_CSV_LIMIT || strlen(ingest_xlsx_sheet(x)) > 1024)
        abort();
    long prev = 0;
    for (long line = 1; line < 64; line++) {
        long row = ingest_xlsx_row(x, line);
        if (row < prev)
            abort();
        prev = row;
    }
    ingest_xlsx_free(x);
    return 0;
}
