/* supervise-int.h — private to src/supervise/: the kinds table with the fields only the module's
 * own statistics need. */
#ifndef SUPERVISE_INT_H
#define SUPERVISE_INT_H

#include "supervise.h"

struct sup__kind {
    struct wf_kind k;
    const char *done; /* reaching this state counts as completed in statistics */
    bool cumulative; /* a stock (督察 tasks, 信访件): year statistics count every item created by
                        the end of the year, not only those created in it */
};

extern const struct sup__kind sup__kinds[];
extern const size_t sup__nkinds;

const struct sup__kind *sup__kind_of(const struct wf_kind *k);

#endif
