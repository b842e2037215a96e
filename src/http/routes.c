/* routes.c — the one route table of the HTTP API, the dispatcher over it (matching, identity,
 * roles, CSRF, the answer cache) and the OpenAPI 3 document generated from it, so the document
 * can never miss a route.  Add a route: one row here, one handler in the resource's h_*.c file.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "http-int.h"
#include "http-srv.h"

#define P_END                         \
    {                                 \
        NULL, NULL, NULL, false, NULL \
    }
#define P_PAGE                                                                        \
    {"limit", "query", "integer", false, "page size (default 1000, at most 100000)"}, \
        {"offset", "query", "integer", false, "rows to skip"},                        \
    {                                                                                 \
        "format", "query", "string", false, "json (default), csv or xlsx"             \
    }
#define P_SEL                                                                              \
    {"station", "query", "array", false, "station codes (repeat or comma-separate)"},      \
        {"city", "query", "array", false, "city names (repeat or comma-separate)"},        \
        {"by", "query", "string", false, "station (default) or city"},                     \
    {                                                                                      \
        "rules", "query", "string", false, "2012, 2026 or 2012-literal (default: by date)" \
    }

static const struct http_param p_none[] = {P_END};
static const struct http_param p_range[] = {
    {"from", "query", "date", true, "first natural day (YYYY-MM-DD)"},
    {"to", "query", "date", false, "last natural day, inclusive (default: from)"},
    P_SEL,
    P_PAGE,
    P_END};
static const struct http_param p_year[] = {
    {"year", "query", "integer", true, "calendar year"},
    {"month", "query", "integer", false, "only this month (1-12)"},
    P_SEL,
    P_PAGE,
    P_END};
static const struct http_param p_rank[] = {
    {"year", "query", "integer", true, "calendar year"},
    {"month", "query", "integer", false, "rank this month instead of the year"},
    {"city", "query", "array", false, "rank only these cities"},
    {"order", "query", "string", false, "composite (default), pm25 or good"},
    {"rules", "query", "string", false, "2012, 2026 or 2012-literal"},
    P_PAGE,
    P_END};
static const struct http_param p_stations[] = {
    {"city", "query", "array", false, "only these cities"}, P_PAGE, P_END};
static const struct http_param p_dust[] = {{"from", "query", "date", false, "from this day"},
                                           {"to", "query", "date", false, "to this day"},
                                           P_PAGE,
                                           P_END};
static const struct http_param p_dust_set[] = {
    {"city", "body", "string", true, "city"},
    {"date", "body", "date", true, "natural day"},
    {"on", "body", "boolean", true, "true: flag the day as sand-dust; false: remove the flag"},
    {"note", "body", "string", false, "reason or source"},
    P_END};
static const struct http_param p_warning[] = {
    {"series", "body", "array", true,
     "forecast days in date order: [{\"date\": \"YYYY-MM-DD\", \"aqi\": N}, …]"},
    P_END};
static const struct http_param p_now[] = {
    {"city", "query", "string", false, "city (default: the bureau's)"}, P_END};
static const struct http_param p_login[] = {{"username", "body", "string", true, "account name"},
                                            {"password", "body", "string", true, "password"},
                                            P_END};
static const struct http_param p_passwd[] = {
    {"old_password", "body", "string", true, "current password"},
    {"new_password", "body", "string", true, "new password (at least 10 characters)"},
    P_END};
static const struct http_param p_users[] = {
    {"changed_since", "query", "date-time", false, "only accounts changed since (ISO 8601)"},
    P_PAGE,
    P_END};
static const struct http_param p_user_add[] = {
    {"name", "body", "string", true, "account name"},
    {"password", "body", "string", true, "password (at least 10 characters)"},
    {"role", "body", "string", true, "admin, staff, leader or enterprise"},
    {"department", "body", "string", false, "staff: air, water, soil, enforcement or monitoring"},
    {"enterprise", "body", "string", false, "enterprise accounts: the enterprise's code"},
    P_END};
static const struct http_param p_user_patch[] = {
    {"name", "path", "string", true, "account name"},
    {"role", "body", "string", false, "new role"},
    {"department", "body", "string", false, "new department"},
    {"enterprise", "body", "string", false, "new enterprise code"},
    {"password", "body", "string", false, "new password"},
    {"disabled", "body", "boolean", false, "lock or unlock the account"},
    P_END};
static const struct http_param p_token[] = {
    {"user", "body", "string", true, "the account the token acts as"},
    {"label", "body", "string", false, "what the token is for"},
    P_END};
static const struct http_param p_audit[] = {
    {"changed_since", "query", "date-time", false, "entries at or after (ISO 8601)"},
    {"after", "query", "integer", false, "cursor: entries with id greater than this"},
    {"limit", "query", "integer", false, "page size (default 1000)"},
    {"format", "query", "string", false, "json (default), csv or xlsx"},
    P_END};

static const struct http_param p_wq[] = {
    {"from", "query", "date", false, "first day (YYYY-MM-DD); or year"},
    {"to", "query", "date", false, "last day, inclusive (default: from)"},
    {"year", "query", "integer", false, "a calendar year (instead of from/to)"},
    {"month", "query", "integer", false, "with year: only this month"},
    {"period", "query", "string", false, "split into month, quarter or year"},
    {"point", "query", "array", false, "only these points"},
    {"level", "query", "string", false, "only points of this level (national …)"},
    {"summary", "query", "boolean", false, "the aggregate record (shares, rates) instead"},
    P_PAGE,
    P_END};
static const struct http_param p_cwqi[] = {
    {"from", "query", "date", false, "first day (YYYY-MM-DD); or year"},
    {"to", "query", "date", false, "last day, inclusive"},
    {"year", "query", "integer", false, "a calendar year"},
    {"month", "query", "integer", false, "with year: only this month"},
    {"compare", "query", "integer", false, "the same period of this year, and the change"},
    {"level", "query", "string", false, "only sections of this level"},
    {"point", "query", "array", false, "only these sections"},
    P_END};
static const struct http_param p_wpoints[] = {
    {"kind", "query", "string", false,
     "section, source, lake, sea, well, farmland, construction or odorous"},
    P_PAGE,
    P_END};
static const struct http_param p_work_list[] = {
    {"kind", "query", "string", false, "only this kind (see /api/work/kinds)"},
    {"state", "query", "string", false, "only this state"},
    {"unit", "query", "string", false, "only this owner unit"},
    {"enterprise", "query", "string", false, "only this enterprise (USCC)"},
    {"overdue", "query", "boolean", false, "only open items past their deadline"},
    {"today", "query", "date", false, "the day overdue is judged on (default: today)"},
    {"changed_since", "query", "date-time", false, "only items with an event since (ISO 8601)"},
    P_PAGE,
    P_END};
static const struct http_param p_work_id[] = {{"id", "path", "integer", true, "work item id"},
                                              P_END};
static const struct http_param p_work_move[] = {
    {"id", "path", "integer", true, "work item id"},
    {"to", "body", "string", true, "the target state (GET …/next lists the legal ones)"},
    {"note", "body", "string", false, "note (decision number, reason …) when required"},
    {"amount", "body", "string", false, "amount in yuan, e.g. \"1234.50\", when required"},
    {"evidence", "body", "string", false, "evidence file's BLAKE2b-256, 64 hex digits"},
    {"role", "body", "string", false, "workflow role to act as (default: the first allowed)"},
    P_END};
static const struct http_param p_work_new[] = {
    {"kind", "body", "string", true, "rectification petition hazard case compensation patrol"},
    {"title", "body", "string", true, "what the item is about"},
    {"enterprise", "body", "string", false, "the enterprise (USCC, in the registry)"},
    {"unit", "body", "string", false, "owner unit"},
    {"person", "body", "string", false, "owner person"},
    {"point", "body", "string", false, "monitoring point"},
    {"round", "body", "string", false, "inspection round / batch"},
    {"due", "body", "date", false, "deadline (default: the kind's)"},
    {"note", "body", "string", false, "note on the creation event"},
    P_END};
static const struct http_param p_work_stats[] = {
    {"kind", "query", "string", true, "the kind"},
    {"year", "query", "integer", true, "calendar year"},
    {"today", "query", "date", false, "the day overdue is judged on"},
    P_END};
static const struct http_param p_ents[] = {
    {"region", "query", "string", false, "only this region"},
    {"status", "query", "string", false, "only this status"},
    {"list", "query", "string", false, "members of this list (with year)"},
    {"year", "query", "integer", false, "the list's year"},
    P_PAGE,
    P_END};
static const struct http_param p_ent[] = {
    {"uscc", "path", "string", true, "unified social credit code"}, P_END};

static const struct http_param p_devices[] = {
    {"quarantine", "query", "boolean", false, "only MNs that are not registered"}, P_PAGE, P_END};
static const struct http_param p_device[] = {{"mn", "path", "string", true, "device MN"}, P_END};
static const struct http_param p_alarms[] = {
    {"from", "query", "date-time", false, "raised at or after (default: 7 days ago)"},
    {"to", "query", "date-time", false, "raised at or before (default: now)"},
    {"mn", "query", "string", false, "only this device"},
    P_PAGE,
    P_END};
static const struct http_param p_data[] = {
    {"from", "query", "date-time", false, "DataTime at or after (default: all)"},
    {"to", "query", "date-time", false, "DataTime at or before (a bare date: the whole day)"},
    {"mn", "query", "string", false, "only this device (required for enterprise accounts)"},
    {"point", "query", "string", false, "only this monitoring point"},
    P_PAGE,
    P_END};
static const struct http_param p_credit[] = {
    {"enterprise", "query", "string", false, "every rating of this enterprise (default: latest)"},
    P_PAGE,
    P_END};
static const struct http_param p_emergency[] = {
    {"year", "query", "integer", true, "the list's year"},
    {"level", "query", "string", true, "yellow, orange or red"},
    P_PAGE,
    P_END};
static const struct http_param p_draw[] = {{"id", "path", "integer", true, "draw id"}, P_END};
static const struct http_param p_page[] = {P_PAGE, P_END};
static const struct http_param p_penalties[] = {
    {"year", "query", "integer", false, "cases filed in this year"}, P_PAGE, P_END};

/* method, path, roles, department, table, cache, handler, tag, summary, parameters */
const struct http_route http__routes[] = {
    {"GET", "/api/openapi.json", R_PUBLIC, NULL, false, false, h_openapi, "meta", "this document",
     p_none},
    {"GET", "/api/health", R_PUBLIC, NULL, false, false, h_health, "meta", "liveness", p_none},
    {"GET", "/api/config", R_PUBLIC, NULL, false, false, h_config, "meta",
     "the bureau's city and which modules this server offers", p_none},
    {"POST", "/api/login", R_PUBLIC, NULL, false, false, h_login, "auth",
     "log in: sets the session cookie, returns {\"csrf\"}", p_login},
    {"POST", "/api/logout", R_LOGGED, NULL, false, false, h_logout, "auth", "end the session",
     p_none},
    {"GET", "/api/me", R_LOGGED, NULL, false, false, h_me, "auth", "the current account", p_none},
    {"POST", "/api/me/password", R_LOGGED, NULL, false, false, h_me_password, "auth",
     "change one's own password", p_passwd},
    {"GET", "/api/users", R_ADMIN, NULL, true, false, h_users_list, "users", "accounts", p_users},
    {"POST", "/api/users", R_ADMIN, NULL, false, false, h_users_add, "users", "add an account",
     p_user_add},
    {"PATCH", "/api/users/{name}", R_ADMIN, NULL, false, false, h_users_patch, "users",
     "change an account's role, department, password or lock", p_user_patch},
    {"POST", "/api/tokens", R_ADMIN, NULL, false, false, h_tokens_add, "users",
     "a new API token (returned once)", p_token},
    {"GET", "/api/audit", R_ADMIN | R_LEADER, NULL, true, false, h_audit_list, "audit",
     "the audit log, oldest first, with a cursor", p_audit},
    {"GET", "/api/air/stations", R_LOGGED, NULL, true, true, h_stations_list, "air",
     "air monitoring stations (envgov air stations)", p_stations},
    {"GET", "/api/air/hourly", R_LOGGED, NULL, true, true, h_air_hourly, "air",
     "real-time (hourly) AQI per station or city (envgov air hourly)", p_range},
    {"GET", "/api/air/daily", R_LOGGED, NULL, true, true, h_air_daily, "air",
     "daily values and AQI (envgov air daily)", p_range},
    {"GET", "/api/air/annual", R_LOGGED, NULL, true, true, h_air_annual, "air",
     "annual or monthly statistics, attainment, composite index (envgov air annual)", p_year},
    {"GET", "/api/air/rank", R_LOGGED, NULL, true, true, h_air_rank, "air",
     "cities ranked by composite index, PM2.5, good-day ratio (envgov air rank)", p_rank},
    {"GET", "/api/air/now", R_LOGGED, NULL, false, true, h_air_now, "air",
     "the latest hour with data: the city's AQI and each station's", p_now},
    {"GET", "/api/air/dust", R_LOGGED, NULL, true, true, h_air_dust_list, "air",
     "sand-dust flags (envgov air dust list)", p_dust},
    {"POST", "/api/air/dust", R_STAFF, "air", false, false, h_air_dust_set, "air",
     "flag or unflag a city-day as sand-dust (envgov air dust mark|unmark); audited", p_dust_set},
    {"POST", "/api/air/warning", R_READ, NULL, false, false, h_air_warning, "air",
     "heavy-pollution warning level for a forecast series (envgov air warning)", p_warning},
    {"GET", "/api/water/points", R_LOGGED, NULL, true, true, h_water_points, "water",
     "water and soil monitoring points with coordinates (for the map)", p_wpoints},
    {"GET", "/api/water/section", R_READ, NULL, true, true, h_water_section, "water",
     "sections: class, items over III, status, attainment (envgov water section)", p_wq},
    {"GET", "/api/water/river", R_READ, NULL, true, true, h_water_river, "water",
     "rivers graded by their sections (envgov water river)", p_wq},
    {"GET", "/api/water/city", R_READ, NULL, true, true, h_water_city, "water",
     "the city's sections: attained, shares (envgov water city)", p_wq},
    {"GET", "/api/water/cwqi", R_READ, NULL, true, true, h_water_cwqi, "water",
     "city water-quality index and its change (envgov water cwqi)", p_cwqi},
    {"GET", "/api/water/drinking", R_READ, NULL, true, true, h_water_drinking, "water",
     "drinking-water sources (envgov water drinking)", p_wq},
    {"GET", "/api/water/lake", R_READ, NULL, true, true, h_water_lake, "water",
     "lake trophic state TLI (envgov water lake)", p_wq},
    {"GET", "/api/sea", R_READ, NULL, true, true, h_sea, "water",
     "near-shore sea points, GB 3097 (envgov sea)", p_wq},
    {"GET", "/api/groundwater", R_READ, NULL, true, true, h_groundwater, "water",
     "groundwater wells, GB/T 14848 (envgov groundwater)", p_wq},
    {"GET", "/api/odorous", R_READ, NULL, true, true, h_odorous, "water",
     "black-odorous water per point and body (envgov odorous)", p_wq},
    {"GET", "/api/soil/farmland", R_READ, NULL, true, true, h_soil_farmland, "soil",
     "farmland soil, GB 15618 (envgov soil farmland)", p_wq},
    {"GET", "/api/soil/construction", R_READ, NULL, true, true, h_soil_construction, "soil",
     "construction-land soil, GB 36600 (envgov soil construction)", p_wq},
    {"GET", "/api/work", R_LOGGED, NULL, true, false, h_work_list, "work",
     "work items (envgov work list); enterprise accounts: their own", p_work_list},
    {"POST", "/api/work", R_READ, NULL, false, false, h_work_new, "work",
     "create a work item (envgov work new); audited", p_work_new},
    {"GET", "/api/work/kinds", R_LOGGED, NULL, true, false, h_work_kinds, "work",
     "every kind's transitions, roles and requirements (envgov work kinds)", p_none},
    {"GET", "/api/work/stats", R_READ, NULL, true, false, h_work_stats, "work",
     "a kind's statistics for a year (envgov work stats)", p_work_stats},
    {"GET", "/api/work/{id}", R_LOGGED, NULL, false, false, h_work_show, "work",
     "one item with its event log (envgov work show)", p_work_id},
    {"GET", "/api/work/{id}/next", R_LOGGED, NULL, false, false, h_work_next, "work",
     "the legal moves from the item's state, their requirements, and whether this account may "
     "make each",
     p_work_id},
    {"POST", "/api/work/{id}/move", R_LOGGED, NULL, false, false, h_work_move, "work",
     "move an item (envgov work move): the workflow's rules; 409 illegal, 422 missing field, "
     "403 role; audited",
     p_work_move},
    {"GET", "/api/enterprises", R_LOGGED, NULL, true, false, h_enterprises_list, "enterprises",
     "the enterprise registry (envgov enterprise list)", p_ents},
    {"GET", "/api/enterprises/{uscc}", R_LOGGED, NULL, false, false, h_enterprise_show,
     "enterprises", "one enterprise's file, 一企一档 (envgov enterprise show)", p_ent},
    {"GET", "/api/devices", R_LOGGED, NULL, true, false, h_devices_list, "devices",
     "HJ 212 devices: online/offline, last frame, counts (envgov device list); enterprise "
     "accounts: their outlets' devices",
     p_devices},
    {"GET", "/api/devices/{mn}", R_LOGGED, NULL, false, false, h_device_show, "devices",
     "one device: registration, state, rejections, quarantine, commands (envgov device show)",
     p_device},
    {"GET", "/api/alarms", R_LOGGED, NULL, true, false, h_alarms, "devices",
     "exceedance and missing-data alarms (envgov alarms)", p_alarms},
    {"GET", "/api/data", R_LOGGED, NULL, true, false, h_data_export, "devices",
     "stored HJ 212 values, one record per value (envgov data export)", p_data},
    {"GET", "/api/credit", R_LOGGED, NULL, true, false, h_credit_list, "credit",
     "credit ratings (envgov credit list)", p_credit},
    {"GET", "/api/emergency", R_READ, NULL, true, true, h_emergency_list, "emergency",
     "the emergency reduction list at a warning level (envgov emergency list)", p_emergency},
    {"GET", "/api/draws", R_READ, NULL, true, false, h_draws_list, "draws",
     "recorded double-random draws", p_page},
    {"GET", "/api/draws/{id}", R_READ, NULL, false, false, h_draw_show, "draws",
     "one recorded draw", p_draw},
    {"GET", "/api/draws/{id}/replay", R_READ, NULL, false, false, h_draw_replay, "draws",
     "recompute a draw from its seed and candidates (envgov inspect replay)", p_draw},
    {"GET", "/api/public/water/section", R_PUBLIC, NULL, true, true, h_water_section, "public",
     "public disclosure: sections' classes (as /api/water/section)", p_wq},
    {"GET", "/api/public/water/cwqi", R_PUBLIC, NULL, true, true, h_water_cwqi, "public",
     "public disclosure: the city's CWQI and its change (as /api/water/cwqi)", p_cwqi},
    {"GET", "/api/public/credit", R_PUBLIC, NULL, true, true, h_credit_list, "public",
     "public disclosure: credit rating results (as /api/credit)", p_credit},
    {"GET", "/api/public/draws", R_PUBLIC, NULL, true, true, h_public_draws, "public",
     "public disclosure: published draws and the enterprises drawn", p_page},
    {"GET", "/api/public/penalties", R_PUBLIC, NULL, true, true, h_public_penalties, "public",
     "public disclosure: penalty decisions (cases with a fine)", p_penalties},
    {"GET", "/api/public/air", R_PUBLIC, NULL, false, true, h_public_air, "public",
     "public disclosure: the city's latest AQI, its stations and the last 30 days", p_none},
};

const size_t http__nroutes = sizeof(http__routes) / sizeof(http__routes[0]);

/* Does path match pattern?  {x} segments capture into r->pathv (arena copies). */
static bool match(struct hreq *r, const char *pattern, const char *path, bool capture)
{
    const char *p = pattern, *q = path;
    size_t nv = 0;
    while (*p && *q) {
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            const char *qe = strchr(q, '/');
            size_t n = qe ? (size_t)(qe - q) : strlen(q);
            if (!pe || n == 0 || nv >= HTTP_MAX_PATHV)
                return false;
            if (capture && !(r->pathv[nv] = eg_arena_strndup(&r->arena, q, n)))
                return false;
            nv++;
            p = pe + 1;
            q += n;
            continue;
        }
        if (*p != *q)
            return false;
        p++, q++;
    }
    if (*p || *q)
        return false;
    if (capture)
        r->npathv = nv;
    return true;
}

static bool role_ok(const struct hreq *r, const struct http_route *rt)
{
    const char *role = r->user.role;
    if (!strcmp(role, "admin"))
        return true;
    unsigned bit = !strcmp(role, "staff")        ? R_STAFF
                   : !strcmp(role, "leader")     ? R_LEADER
                   : !strcmp(role, "enterprise") ? R_ENTERPRISE
                                                 : 0;
    if (!(rt->roles & bit))
        return false;
    if (bit == R_STAFF && rt->dept && strcmp(rt->dept, r->user.department))
        return false;
    return true;
}

static bool safe_method(const char *m)
{
    return !strcmp(m, "GET") || !strcmp(m, "HEAD");
}

int http__dispatch(struct hreq *r)
{
    const struct http_route *rt = NULL;
    bool path_known = false;
    const char *method = !strcmp(r->method, "HEAD") ? "GET" : r->method;
    for (size_t i = 0; i < http__nroutes; i++)
        if (match(r, http__routes[i].path, r->path, false)) {
            path_known = true;
            if (!strcmp(http__routes[i].method, method)) {
                rt = &http__routes[i];
                break;
            }
        }
    if (!rt)
        return path_known ? hr_error(r, 405, NULL, "%s is not allowed on %s", r->method, r->path)
                          : hr_error(r, 404, NULL, "no API route %s", r->path);
    r->route = rt;
    if (!match(r, rt->path, r->path, true))
        return hr_error(r, 500, NULL, "out of memory");
    int rc = http__identify(r);
    if (rc)
        return rc;
    if (!(rt->roles & R_PUBLIC)) {
        if (!r->authed)
            return hr_error(r, 401, NULL, "log in first (session cookie or Bearer token)");
        if (!role_ok(r, rt))
            return hr_error(r, 403, NULL, "the role %s%s%s may not %s %s", r->user.role,
                            r->user.department[0] ? "/" : "", r->user.department, r->method,
                            rt->path);
    }
    if (!safe_method(r->method) && r->via_cookie) {
        /* browser writes: the session's CSRF token must come back in a header, which a
         * cross-site form cannot set; a foreign Origin is refused outright */
        if (!r->csrf_header || strlen(r->csrf_header) != strlen(r->session.csrf) ||
            sodium_memcmp(r->csrf_header, r->session.csrf, strlen(r->session.csrf)))
            return hr_error(r, 403, "X-CSRF-Token", "missing or wrong CSRF token");
    }
    uint64_t key = 0;
    if (rt->cache && r->cfg->cache_ms && http__cache_get(r, &key))
        return 0;
    rc = rt->fn(r);
    if (rc == 0 && !r->status)
        r->status = 200;
    if (rc == 0 && key && r->status == 200)
        http__cache_put(r, key);
    if (rc == 0 && !safe_method(r->method) && r->status < 300)
        http__cache_bump(r->srv);
    return rc;
}

/* ---- OpenAPI ---- */

static json_t *openapi_doc(void)
{
    json_t *paths = json_object();
    for (size_t i = 0; i < http__nroutes; i++) {
        const struct http_route *rt = &http__routes[i];
        json_t *item = json_object_get(paths, rt->path);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, rt->path, item);
        }
        json_t *op = json_object();
        json_t *params = json_array();
        json_t *body_props = json_object(), *body_req = json_array();
        for (const struct http_param *p = rt->params; p && p->name; p++) {
            const char *t =
                !strcmp(p->type, "date") || !strcmp(p->type, "date-time") ? "string" : p->type;
            json_t *schema = json_pack("{s:s}", "type", t);
            if (!strcmp(p->type, "date") || !strcmp(p->type, "date-time"))
                json_object_set_new(schema, "format", json_string(p->type));
            if (!strcmp(p->type, "array"))
                json_object_set_new(schema, "items", json_pack("{s:s}", "type", "string"));
            if (!strcmp(p->in, "body")) {
                json_object_set_new(schema, "description", json_string(p->desc));
                json_object_set_new(body_props, p->name, schema);
                if (p->required)
                    json_array_append_new(body_req, json_string(p->name));
                continue;
            }
            json_t *prm = json_pack("{s:s,s:s,s:b,s:s,s:o}", "name", p->name, "in", p->in,
                                    "required", p->required || !strcmp(p->in, "path"),
                                    "description", p->desc, "schema", schema);
            if (!strcmp(p->type, "array"))
                json_object_set_new(prm, "explode", json_true());
            json_array_append_new(params, prm);
        }
        json_object_set_new(op, "summary", json_string(rt->summary));
        json_object_set_new(op, "tags", json_pack("[s]", rt->tag));
        json_object_set_new(op, "operationId", json_sprintf("%s %s", rt->method, rt->path));
        if (json_array_size(params))
            json_object_set_new(op, "parameters", params);
        else
            json_decref(params);
        if (json_object_size(body_props)) {
            json_t *schema = json_pack("{s:s,s:o}", "type", "object", "properties", body_props);
            if (json_array_size(body_req))
                json_object_set(schema, "required", body_req);
            json_object_set_new(op, "requestBody",
                                json_pack("{s:b,s:{s:{s:o}}}", "required", true, "content",
                                          "application/json", "schema", schema));
        } else {
            json_decref(body_props);
        }
        json_decref(body_req);
        /* who may call it */
        json_t *roles = json_array();
        if (rt->roles & R_PUBLIC)
            json_array_append_new(roles, json_string("public"));
        if (rt->roles & R_ADMIN || !(rt->roles & R_PUBLIC))
            json_array_append_new(roles, json_string("admin"));
        if (rt->roles & R_STAFF)
            json_array_append_new(roles, rt->dept ? json_sprintf("staff/%s", rt->dept)
                                                  : json_string("staff"));
        if (rt->roles & R_LEADER)
            json_array_append_new(roles, json_string("leader"));
        if (rt->roles & R_ENTERPRISE)
            json_array_append_new(roles, json_string("enterprise"));
        json_object_set_new(op, "x-roles", roles);
        if (rt->roles & R_PUBLIC)
            json_object_set_new(op, "security", json_array());
        json_t *resp = json_object();
        json_object_set_new(resp, "200", json_pack("{s:s}", "description", "ok"));
        json_object_set_new(
            resp, "400",
            json_pack("{s:s}", "description", "invalid parameter (the error names it)"));
        if (!(rt->roles & R_PUBLIC)) {
            json_object_set_new(resp, "401", json_pack("{s:s}", "description", "not logged in"));
            json_object_set_new(
                resp, "403",
                json_pack("{s:s}", "description", "role not allowed, or CSRF token missing"));
        }
        if (strcmp(rt->method, "GET"))
            json_object_set_new(resp, "413",
                                json_pack("{s:s}", "description", "request body too large"));
        if (strstr(rt->path, "/move")) {
            json_object_set_new(
                resp, "409",
                json_pack("{s:s}", "description",
                          "no such transition from the current state (the message lists the "
                          "legal ones)"));
            json_object_set_new(resp, "422",
                                json_pack("{s:s}", "description",
                                          "the transition requires a note, amount or evidence, "
                                          "or the state is unknown"));
        }
        json_object_set_new(op, "responses", resp);
        char m[8];
        size_t ml = strlen(rt->method);
        for (size_t k = 0; k < ml && k < sizeof(m) - 1; k++)
            m[k] = (char)(rt->method[k] | 0x20);
        m[ml < sizeof(m) - 1 ? ml : sizeof(m) - 1] = 0;
        json_object_set_new(item, m, op);
    }
    return json_pack(
        "{s:s,s:{s:s,s:s,s:s},s:o,s:{s:{s:{s:s,s:s,s:s},s:{s:s,s:s}}},s:[{s:[]},{s:[]}]}",
        "openapi", "3.0.3", "info", "title", "envgov API", "version", "0.1.0", "description",
        "The JSON API of envgov, generated from the server's route table. Errors are "
        "{\"error\": {\"status\", \"code\", \"field\", \"message\"}}. Lists take limit, offset "
        "and format=json|csv|xlsx.",
        "paths", paths, "components", "securitySchemes", "session", "type", "apiKey", "in",
        "cookie", "name", "eg_session", "bearer", "type", "http", "scheme", "bearer", "security",
        "session", "bearer");
}

int http_openapi_json(char **ret, size_t *ret_len)
{
    json_t *doc = openapi_doc();
    if (!doc)
        return EG_ENOMEM;
    char *s = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (!s)
        return EG_ENOMEM;
    char *copy = eg_strdup(s);
    free(s);
    if (!copy)
        return EG_ENOMEM;
    *ret = copy;
    *ret_len = strlen(copy);
    return 0;
}

int h_openapi(struct hreq *r)
{
    json_t *doc = openapi_doc();
    return doc ? hr_json(r, 200, doc) : EG_ENOMEM;
}
