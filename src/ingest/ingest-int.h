/* ingest-int.h — private to src/ingest/: helpers the importers share. */
#ifndef INGEST_INT_H
#define INGEST_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/eg_err.h"

/* A set of short strings (station codes) with a hard size limit; owns its copies. */
struct ingest__strset {
    char **slot;
    size_t cap; /* power of two, 0 = empty */
    size_t n;
    size_t limit;
};

void ingest__strset_init(struct ingest__strset *set, size_t limit);
void ingest__strset_done(struct ingest__strset *set);
bool ingest__strset_has(const struct ingest__strset *set, const char *s, size_t n);
/* Add s[0..n); *ret_added (NULL allowed) says whether it was new.  EG_ENOMEM, EG_ELIMIT. */
int ingest__strset_add(struct ingest__strset *set, const char *s, size_t n,
                       bool *ret_added) EG_MUST_CHECK;

/* A station or point code: 1…max ASCII letters and digits. */
bool ingest__code_ok(const char *s, size_t n, size_t max);

/* Base name of a path (the part after the last '/'). */
const char *ingest__basename(const char *path);

#endif
