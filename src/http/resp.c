/* resp.c — response and request helpers shared by the handlers: JSON bodies, JSON errors that
 * name the field at fault, query parameters (dates, integers, lists) with their limits.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/eg_time.h"
#include "http-int.h"

static const char *status_code_name(int status)
{
    switch (status) {
    case 400:
        return "bad_request";
    case 401:
        return "unauthorized";
    case 403:
        return "forbidden";
    case 404:
        return "not_found";
    case 405:
        return "method_not_allowed";
    case 409:
        return "conflict";
    case 413:
        return "payload_too_large";
    case 429:
        return "too_many_requests";
    case 503:
        return "unavailable";
    default:
        return status >= 500 ? "internal" : "error";
    }
}

char *hr_strf(struct hreq *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = eg_arena_alloc(&r->arena, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

int hr_json(struct hreq *r, int status, json_t *v)
{
    if (!v)
        return EG_ENOMEM;
    char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(v);
    if (!s)
        return EG_ENOMEM;
    eg_buf_reset(&r->out);
    int rc = eg_buf_adds(&r->out, s);
    free(s);
    if (rc)
        return rc;
    r->status = status;
    r->ctype = "application/json; charset=utf-8";
    return 0;
}

int hr_error(struct hreq *r, int status, const char *field, const char *fmt, ...)
{
    char msg[EG_ERRBUF_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    json_t *e = json_pack("{s:i,s:s,s:s}", "status", status, "code", status_code_name(status),
                          "message", msg);
    if (e)
        json_object_set_new(e, "field", field ? json_string(field) : json_null());
    r->disposition = NULL;
    r->format = HR_JSON;
    if (hr_json(r, status, json_pack("{s:o}", "error", e)))
        r->status = status; /* the body is lost, the status stays */
    return 0;
}

int hr_fail(struct hreq *r, int code)
{
    int status;
    switch (code) {
    case EG_EINVAL:
    case EG_EPARSE:
    case EG_ERANGE:
    case EG_EUSAGE:
        status = 400;
        break;
    case EG_ENOTFOUND:
        status = 404;
        break;
    case EG_EEXIST:
        status = 409;
        break;
    case EG_EAUTH:
        status = 403;
        break;
    case EG_ELIMIT:
        status = 413;
        break;
    default:
        status = 500;
    }
    const char *msg = r->eb.msg[0] ? r->eb.msg : eg_strerror(code);
    /* the query layer names CLI options ("--city"); the API's parameter has the same name */
    const char *field = r->eb.field;
    while (*field == '-')
        field++;
    return hr_error(r, status, *field ? field : NULL, "%s", msg);
}

int hr_add_header(struct hreq *r, const char *name, const char *value)
{
    if (r->nheaders >= HTTP_MAX_HEADERS)
        return EG_ELIMIT;
    r->headers[r->nheaders][0] = name;
    r->headers[r->nheaders][1] = value;
    r->nheaders++;
    return 0;
}

const char *hr_arg(const struct hreq *r, const char *name)
{
    for (size_t i = 0; i < r->nargs; i++)
        if (!strcmp(r->args[i].k, name))
            return r->args[i].v;
    return NULL;
}

bool hr_flag(const struct hreq *r, const char *name)
{
    const char *v = hr_arg(r, name);
    return v && strcmp(v, "0") && strcmp(v, "false") && strcmp(v, "no");
}

int hr_list(struct hreq *r, const char *name, const char *const **ret, size_t *ret_n)
{
    size_t n = 0;
    const char **v = eg_arena_alloc(&r->arena, HTTP_LIST_MAX * sizeof(*v));
    if (!v)
        return hr_error(r, 500, NULL, "out of memory"), -1;
    for (size_t i = 0; i < r->nargs; i++) {
        if (strcmp(r->args[i].k, name))
            continue;
        const char *s = r->args[i].v;
        while (*s) {
            const char *c = strchr(s, ',');
            size_t len = c ? (size_t)(c - s) : strlen(s);
            if (len) {
                if (n >= HTTP_LIST_MAX)
                    return hr_error(r, 400, name, "more than %d values", HTTP_LIST_MAX), -1;
                if (len > 256)
                    return hr_error(r, 400, name, "a value longer than 256 bytes"), -1;
                if (!(v[n++] = eg_arena_strndup(&r->arena, s, len)))
                    return hr_error(r, 500, NULL, "out of memory"), -1;
            }
            s += len + (c ? 1 : 0);
        }
    }
    *ret = n ? v : NULL;
    *ret_n = n;
    return 0;
}

int hr_date(struct hreq *r, const char *name, int32_t *ret)
{
    const char *s = hr_arg(r, name);
    if (!s)
        return 1;
    if (eg_date_parse(s, strlen(s), ret))
        return hr_error(r, 400, name, "'%.40s' is not a date (YYYY-MM-DD)", s), -1;
    return 0;
}

int hr_long(struct hreq *r, const char *name, long lo, long hi, long *ret)
{
    const char *s = hr_arg(r, name);
    if (!s)
        return 1;
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return hr_error(r, 400, name, "'%.40s' is not a whole number from %ld to %ld", s, lo, hi),
               -1;
    *ret = v;
    return 0;
}

int hr_instant(struct hreq *r, const char *name, int64_t *ret)
{
    const char *s = hr_arg(r, name);
    if (!s)
        return 1;
    if (eg_iso_parse(s, strlen(s), ret))
        return hr_error(r, 400, name, "'%.40s' is not an ISO 8601 date or date-time", s), -1;
    return 0;
}

int hr_body(struct hreq *r, json_t **ret)
{
    json_error_t je;
    if (!r->body_len)
        return hr_error(r, 400, "body", "a JSON object is required"), -1;
    json_t *v = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!v)
        return hr_error(r, 400, "body", "not JSON: %s (line %d, column %d)", je.text, je.line,
                        je.column),
               -1;
    if (!json_is_object(v)) {
        json_decref(v);
        return hr_error(r, 400, "body", "a JSON object is required"), -1;
    }
    *ret = v;
    return 0;
}

int hr_field_str(struct hreq *r, json_t *o, const char *name, bool required, size_t max,
                 const char **ret)
{
    json_t *v = json_object_get(o, name);
    if (!v || json_is_null(v)) {
        if (required)
            return hr_error(r, 400, name, "%s is required", name), -1;
        *ret = NULL;
        return 0;
    }
    if (!json_is_string(v))
        return hr_error(r, 400, name, "%s must be a string", name), -1;
    if (json_string_length(v) > max)
        return hr_error(r, 400, name, "%s is longer than %zu bytes", name, max), -1;
    if (strlen(json_string_value(v)) != json_string_length(v))
        return hr_error(r, 400, name, "%s contains a NUL character", name), -1;
    *ret = json_string_value(v);
    return 0;
}
