/* h_meta.c — /api/health and /api/config: what the dashboard needs before logging in (the
 * bureau's city, the server's version, which modules this server offers). */
#include "http-int.h"

int h_health(struct hreq *r)
{
    return hr_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

int h_config(struct hreq *r)
{
    /* modules the API serves today; the dashboard shows a placeholder for the others */
    return hr_json(r, 200,
                   json_pack("{s:s,s:s,s:{s:b,s:b,s:b,s:b,s:b}}", "city", r->cfg->city, "version",
                             "0.1.0", "modules", "air", 1, "water", 0, "work", 0, "enterprise", 0,
                             "devices", 0));
}
