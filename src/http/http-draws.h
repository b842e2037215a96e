/* http-draws.h — private to src/http/: the draw record writer shared by h_draws.c and the public
 * disclosure (h_public.c). */
#ifndef HTTP_DRAWS_H
#define HTTP_DRAWS_H

#include "http-int.h"
#include "supervise/supervise.h"

/* The fields of `envgov inspect replay --format json` (match only when replay; the inspectors'
 * codes only when `inspectors`). */
void hdraw_fields(struct fmt *f, const struct sup_draw_result *d, bool replay, bool inspectors);
/* Every recorded draw as a table (published_only: those marked for publication). */
int hdraw_each(struct hreq *r, bool published_only, bool inspectors);

#endif
