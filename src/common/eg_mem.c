/* eg_mem.c — allocation wrapper with failure injection, and the bump arena (see eg_mem.h). */
#include "eg_mem.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static _Atomic long fail_after = -1;

void eg_mem_fail_after(long n)
{
    atomic_store(&fail_after, n);
}

static int should_fail(void)
{
    long v = atomic_load(&fail_after);
    if (v < 0)
        return 0;
    if (v == 0)
        return 1;
    atomic_fetch_sub(&fail_after, 1);
    return 0;
}

/* A header in front of each block keeps the size for accounting. */
#define HDR 16
static _Atomic size_t in_use;

void *eg_malloc(size_t n)
{
    if (should_fail() || n > SIZE_MAX - HDR)
        return NULL;
    unsigned char *p = malloc(n + HDR);
    if (!p)
        return NULL;
    memcpy(p, &n, sizeof(n));
    atomic_fetch_add(&in_use, n);
    return p + HDR;
}

void *eg_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = eg_malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *eg_realloc(void *p, size_t n)
{
    if (!p)
        return eg_malloc(n);
    if (should_fail() || n > SIZE_MAX - HDR)
        return NULL;
    unsigned char *b = (unsigned char *)p - HDR;
    size_t old;
    memcpy(&old, b, sizeof(old));
    unsigned char *q = realloc(b, n + HDR);
    if (!q)
        return NULL;
    memcpy(q, &n, sizeof(n));
    atomic_fetch_sub(&in_use, old);
    atomic_fetch_add(&in_use, n);
    return q + HDR;
}

void eg_free(void *p)
{
    if (!p)
        return;
    unsigned char *b = (unsigned char *)p - HDR;
    size_t old;
    memcpy(&old, b, sizeof(old));
    atomic_fetch_sub(&in_use, old);
    free(b);
}

size_t eg_mem_in_use(void)
{
    return atomic_load(&in_use);
}

char *eg_strndup(const char *s, size_t n)
{
    char *d = eg_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *eg_strdup(const char *s)
{
    return eg_strndup(s, strlen(s));
}

struct eg_arena_block {
    struct eg_arena_block *next;
    size_t cap, used;
    _Alignas(16) unsigned char data[];
};

void eg_arena_init(struct eg_arena *a, size_t limit)
{
    a->head = NULL;
    a->used_total = 0;
    a->limit = limit;
}

void *eg_arena_alloc(struct eg_arena *a, size_t n)
{
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n)
        return NULL;
    if (a->limit && (need > a->limit || a->used_total > a->limit - need))
        return NULL;
    struct eg_arena_block *b = a->head;
    if (!b || b->cap - b->used < need) {
        size_t cap = need > 16384 ? need : 16384;
        b = eg_malloc(sizeof(*b) + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->used_total += need;
    return p;
}

char *eg_arena_strndup(struct eg_arena *a, const char *s, size_t n)
{
    char *d = eg_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

void eg_arena_done(struct eg_arena *a)
{
    if (!a)
        return;
    struct eg_arena_block *b = a->head;
    while (b) {
        struct eg_arena_block *n = b->next;
        eg_free(b);
        b = n;
    }
    a->head = NULL;
    a->used_total = 0;
}
