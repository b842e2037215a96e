/* fuzz_devices.c — libFuzzer target for the HJ 212 device registry parser
 * (ingest_devices_parse): arbitrary bytes must give 0 or a clean error, every accepted row must
 * satisfy the registry's own checks (MN 1..64 bytes, PW ≤ 32, ST ≤ 3).
 * Corpus: fuzz/corpus/devices, replayed by `meson test` (fuzz-devices-corpus).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(void *ud, const struct store_hj212_device *d)
{
    (void)ud;
    size_t n = strlen(d->mn);
    if (n == 0 || n > STORE_HJ212_MN_MAX || strlen(d->pw) > STORE_HJ212_PW_MAX ||
        strlen(d->st) > 3 || strlen(d->point) > 32)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct eg_errbuf eb;
    eg_errbuf_clear(&eb);
    int rc = ingest_devices_parse((const char *)data, size, "fuzz.csv", check, NULL, &eb);
    if (rc > 0)
        abort();
    return 0;
}
