/* http-int.h — private to src/http/: the request object handlers see, the route table, and the
 * helpers every handler file shares (responses, JSON errors naming the field, paging, tables,
 * exports, audit).  Handlers never see libmicrohttpd: server.c copies what they need into
 * struct hreq and turns what they leave there into the response.
 */
#ifndef HTTP_INT_H
#define HTTP_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/eg_buf.h"
#include "common/eg_err.h"
#include "common/eg_mem.h"
#include "fmt/fmt.h"
#include "http.h"
#include "store/store.h"

#define HTTP_MAX_ARGS      64 /* query parameters per request */
#define HTTP_MAX_PATHV     4  /* {captures} per route */
#define HTTP_MAX_HEADERS   6  /* extra response headers */
#define HTTP_ARENA_LIMIT   (16u << 20)
#define HTTP_OUT_LIMIT     (64u << 20) /* response body */
#define HTTP_PAGE_DEFAULT  1000
#define HTTP_PAGE_MAX      100000
#define HTTP_SESSION_TTL_S (12 * 3600)
#define HTTP_LIST_MAX      256 /* values of one list parameter (station=A,B,…) */

/* Who may call a route: a set of roles; admin passes every check. */
enum {
    R_PUBLIC = 1u << 0, /* no login needed */
    R_ADMIN = 1u << 1,
    R_STAFF = 1u << 2,
    R_LEADER = 1u << 3,
    R_ENTERPRISE = 1u << 4,
};
#define R_LOGGED (R_ADMIN | R_STAFF | R_LEADER | R_ENTERPRISE)
#define R_READ   (R_ADMIN | R_STAFF | R_LEADER) /* bureau readers */

enum hr_format { HR_JSON, HR_CSV, HR_XLSX };

struct http_param {
    const char *name;
    const char *in;   /* "query", "path" or "body" */
    const char *type; /* "string", "integer", "boolean", "date", "array" */
    bool required;
    const char *desc;
};

struct hreq;
typedef int (*http_handler)(struct hreq *r);

struct http_route {
    const char *method;
    const char *path; /* "/api/users/{name}" */
    unsigned roles;
    const char *dept; /* staff must belong to it (NULL: any department) */
    bool table;       /* a list: paging and ?format=json|csv|xlsx */
    bool cache;       /* a GET whose answer depends only on the URL and the data */
    http_handler fn;
    const char *tag, *summary;
    const struct http_param *params; /* terminated by a NULL name */
};

extern const struct http_route http__routes[];
extern const size_t http__nroutes;

struct hr_arg {
    const char *k, *v;
};

struct hreq {
    struct http_server *srv;
    const struct http_config *cfg;
    const struct http_route *route;
    struct store *store;
    struct eg_arena arena;
    struct eg_errbuf eb;
    /* request */
    const char *method, *path, *ip;
    const char *cookie_session, *authorization, *csrf_header, *origin, *host;
    struct hr_arg args[HTTP_MAX_ARGS];
    size_t nargs;
    bool args_over;
    const char *pathv[HTTP_MAX_PATHV];
    size_t npathv;
    const char *body;
    size_t body_len;
    /* identity */
    bool authed, via_cookie;
    struct store_user user;
    struct store_session session;
    /* response */
    int status;
    struct eg_buf out;
    const char *ctype;
    const char *disposition; /* attachment filename, or NULL */
    const char *headers[HTTP_MAX_HEADERS][2];
    size_t nheaders;
    int file_fd; /* static file to send (>= 0), out unused */
    uint64_t file_size;
    /* tables */
    enum hr_format format;
    long limit, offset, total;
    FILE *mem;
    char *membuf;
    size_t memlen;
    struct fmt *f;
};

/* server.c */
int http__dispatch(struct hreq *r);
int64_t http__now(void);

/* response helpers (resp.c) */
/* JSON error {"error": {"status", "code", "field", "message"}}; returns 0 (the response is set). */
int hr_error(struct hreq *r, int status, const char *field, const char *fmt, ...) EG_PRINTF(4, 5);
/* The error in r->eb (or code's name) with the status its code maps to. */
int hr_fail(struct hreq *r, int code);
/* Send a jansson value (stolen) as the JSON body with status. */
int hr_json(struct hreq *r, int status, json_t *v);
int hr_add_header(struct hreq *r, const char *name, const char *value);
char *hr_strf(struct hreq *r, const char *fmt, ...) EG_PRINTF(2, 3);

/* query parameters (resp.c) */
const char *hr_arg(const struct hreq *r, const char *name);
/* A CLI flag as a parameter: present and not 0/false/no (?summary, ?summary=1, ?summary=true). */
bool hr_flag(const struct hreq *r, const char *name);
/* Every value of a list parameter, given repeated or comma-separated; at most HTTP_LIST_MAX.
 * Returns 0 or an error response already set (-1). */
int hr_list(struct hreq *r, const char *name, const char *const **ret, size_t *ret_n);
/* Parse ?name=YYYY-MM-DD / an integer within [lo, hi] / an ISO instant.  -1 with the error
 * response set when malformed; 1 when absent (ret untouched); 0 when set. */
int hr_date(struct hreq *r, const char *name, int32_t *ret);
int hr_long(struct hreq *r, const char *name, long lo, long hi, long *ret);
int hr_instant(struct hreq *r, const char *name, int64_t *ret);

/* JSON bodies (resp.c): the body parsed as an object (-1 with a 400 set on failure); fields by
 * name, naming the field in the error. */
int hr_body(struct hreq *r, json_t **ret);
int hr_field_str(struct hreq *r, json_t *o, const char *name, bool required, size_t max,
                 const char **ret);

/* tables (table.c): begin (reads ?limit ?offset ?format), one call per row before emitting it
 * (false: outside the page, skip it), end (renders JSON {"items","total","offset","limit"},
 * CSV or XLSX named `name`). */
int hr_table_begin(struct hreq *r);
bool hr_row(struct hreq *r);
int hr_table_end(struct hreq *r, int rc, const char *name);
/* The same for a one-record answer (`envgov … show`): JSON is the record itself; CSV and XLSX
 * are a one-row table. */
int hr_record_end(struct hreq *r, int rc, const char *name);

/* audit (h_audit.c): append one entry as the current user. */
int hr_audit(struct hreq *r, const char *target, const char *before, const char *after);

/* auth (auth.c) */
int http__identify(struct hreq *r);
bool http__login_allowed(struct http_server *s, const char *ip, const char *user);
void http__login_failed(struct http_server *s, const char *ip, const char *user);
void http__login_ok(struct http_server *s, const char *ip, const char *user);
void http__digest(const char *secret, size_t n, unsigned char out[32]);
void http__random_token(char out[64]); /* 43 characters of base64url */

/* exports (h_export.c): JSON array text of records → XLSX bytes in out. */
int http__xlsx(const char *items_json, size_t n, const char *sheet, struct eg_buf *out,
               struct eg_errbuf *eb);

/* handlers, one file per resource */
int h_openapi(struct hreq *r);
int h_health(struct hreq *r);
int h_config(struct hreq *r);
int h_login(struct hreq *r);
int h_logout(struct hreq *r);
int h_me(struct hreq *r);
int h_me_password(struct hreq *r);
int h_users_list(struct hreq *r);
int h_users_add(struct hreq *r);
int h_users_patch(struct hreq *r);
int h_tokens_add(struct hreq *r);
int h_audit_list(struct hreq *r);
int h_stations_list(struct hreq *r);
int h_air_hourly(struct hreq *r);
int h_air_daily(struct hreq *r);
int h_air_annual(struct hreq *r);
int h_air_rank(struct hreq *r);
int h_air_now(struct hreq *r);
int h_air_dust_list(struct hreq *r);
int h_air_dust_set(struct hreq *r);
int h_air_warning(struct hreq *r);
int h_public_air(struct hreq *r);
/* h_water.c */
int h_water_points(struct hreq *r);
int h_water_section(struct hreq *r);
int h_water_river(struct hreq *r);
int h_water_city(struct hreq *r);
int h_water_cwqi(struct hreq *r);
int h_water_drinking(struct hreq *r);
int h_water_lake(struct hreq *r);
int h_sea(struct hreq *r);
int h_groundwater(struct hreq *r);
int h_odorous(struct hreq *r);
int h_soil_farmland(struct hreq *r);
int h_soil_construction(struct hreq *r);
/* h_work.c */
int h_work_list(struct hreq *r);
int h_work_show(struct hreq *r);
int h_work_stats(struct hreq *r);
int h_work_kinds(struct hreq *r);
int h_work_new(struct hreq *r);
int h_work_move(struct hreq *r);
int h_work_next(struct hreq *r);
/* h_devices.c */
int h_devices_list(struct hreq *r);
int h_device_show(struct hreq *r);
int h_alarms(struct hreq *r);
int h_data_export(struct hreq *r);
/* h_credit.c, h_emergency.c, h_draws.c, h_public.c */
int h_credit_list(struct hreq *r);
int h_emergency_list(struct hreq *r);
int h_draws_list(struct hreq *r);
int h_draw_show(struct hreq *r);
int h_draw_replay(struct hreq *r);
int h_public_draws(struct hreq *r);
int h_public_penalties(struct hreq *r);
/* h_enterprise.c */
int h_enterprises_list(struct hreq *r);
int h_enterprise_show(struct hreq *r);
int h_static(struct hreq *r);

#endif
