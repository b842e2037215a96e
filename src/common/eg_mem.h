/* eg_mem.h — the one allocation wrapper (accounting and failure injection) and a bump arena.
 *
 * Every module allocates through eg_malloc/eg_calloc/eg_realloc/eg_free so tests can make the
 * N-th allocation fail (eg_mem_fail_after) and check that each error path cleans up.
 * An arena serves one request or one job: many small allocations, freed together by
 * eg_arena_done; it has a byte limit, and exceeding it is an error (NULL), not a crash.
 */
#ifndef EG_MEM_H
#define EG_MEM_H

#include <stddef.h>

void *eg_malloc(size_t n);
void *eg_calloc(size_t count, size_t size);
void *eg_realloc(void *p, size_t n);
void eg_free(void *p);
char *eg_strndup(const char *s, size_t n);
char *eg_strdup(const char *s);

/* Make the allocation after `n` more successful ones fail (n < 0: never).  For tests. */
void eg_mem_fail_after(long n);
/* Bytes currently allocated through eg_malloc and friends (approximate, for tests and stats). */
size_t eg_mem_in_use(void);

struct eg_arena_block;
struct eg_arena {
    struct eg_arena_block *head;
    size_t used_total; /* bytes handed out */
    size_t limit;      /* 0 = no limit */
};

void eg_arena_init(struct eg_arena *a, size_t limit);
/* Aligned allocation from the arena; NULL when out of memory or over the limit. */
void *eg_arena_alloc(struct eg_arena *a, size_t n);
char *eg_arena_strndup(struct eg_arena *a, const char *s, size_t n);
/* Free every block; a is ready for reuse (NULL allowed). */
void eg_arena_done(struct eg_arena *a);

#endif
