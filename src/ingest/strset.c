/* strset.c — the importers' string set (ingest-int.h): open addressing, FNV-1a, linear probing,
 * kept at most half full. */
#include <stdint.h>
#include <string.h>

#include "common/eg_mem.h"
#include "ingest-int.h"

void ingest__strset_init(struct ingest__strset *set, size_t limit)
{
    memset(set, 0, sizeof(*set));
    set->limit = limit;
}

void ingest__strset_done(struct ingest__strset *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->cap; i++)
        eg_free(set->slot[i]);
    eg_free(set->slot);
    set->slot = NULL;
    set->cap = set->n = 0;
}

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return h;
}

static bool eq(const char *a, const char *s, size_t n)
{
    return strncmp(a, s, n) == 0 && a[n] == 0;
}

static size_t find(char *const *slot, size_t cap, const char *s, size_t n)
{
    size_t i = (size_t)hash(s, n) & (cap - 1);
    while (slot[i] && !eq(slot[i], s, n))
        i = (i + 1) & (cap - 1);
    return i;
}

bool ingest__strset_has(const struct ingest__strset *set, const char *s, size_t n)
{
    if (!set->cap)
        return false;
    return set->slot[find(set->slot, set->cap, s, n)] != NULL;
}

static int grow(struct ingest__strset *set)
{
    size_t cap = set->cap ? set->cap * 2 : 64;
    char **slot = eg_calloc(cap, sizeof(*slot));
    if (!slot)
        return EG_ENOMEM;
    for (size_t i = 0; i < set->cap; i++) {
        char *k = set->slot[i];
        if (k)
            slot[find(slot, cap, k, strlen(k))] = k;
    }
    eg_free(set->slot);
    set->slot = slot;
    set->cap = cap;
    return 0;
}

int ingest__strset_add(struct ingest__strset *set, const char *s, size_t n, bool *ret_added)
{
    int rc;
    if (ingest__strset_has(set, s, n)) {
        if (ret_added)
            *ret_added = false;
        return 0;
    }
    if (set->n >= set->limit)
        return EG_ELIMIT;
    if ((set->n + 1) * 2 > set->cap && (rc = grow(set)))
        return rc;
    char *k = eg_strndup(s, n);
    if (!k)
        return EG_ENOMEM;
    set->slot[find(set->slot, set->cap, s, n)] = k;
    set->n++;
    if (ret_added)
        *ret_added = true;
    return 0;
}

const char *ingest__basename(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

bool ingest__code_ok(const char *s, size_t n, size_t max)
{
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return false;
    }
    return true;
}
