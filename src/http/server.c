/* server.c — the libmicrohttpd side of the HTTP server: listening, worker threads, reading a
 * request into struct hreq (with the body limit: 413), routing through the one route table
 * (routes.c), authentication and role checks, CSRF for cookie sessions, and turning the handler's
 * result into a response with the security headers every answer carries.
 *
 * Threads: libmicrohttpd's internal epoll thread pool.  Each request borrows a store connection
 * from the pool (SQLite connections are per-thread) for its whole length.  Only this layer logs.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http-int.h"
#include "http-srv.h"

static const char *const security_headers[][2] = {
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
     "data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
     "frame-ancestors 'none'"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
};

int64_t http__now(void)
{
    return (int64_t)time(NULL);
}

/* ---- store pool ---- */

static struct store *pool_get(struct http_server *s)
{
    pthread_mutex_lock(&s->pool_mu);
    while (s->nfree == 0)
        pthread_cond_wait(&s->pool_cv, &s->pool_mu);
    struct store *st = s->free_stores[--s->nfree];
    pthread_mutex_unlock(&s->pool_mu);
    return st;
}

static void pool_put(struct http_server *s, struct store *st)
{
    pthread_mutex_lock(&s->pool_mu);
    s->free_stores[s->nfree++] = st;
    pthread_cond_signal(&s->pool_cv);
    pthread_mutex_unlock(&s->pool_mu);
}

/* ---- requests ---- */

struct conn {
    struct hreq r;
    struct eg_buf body;
    bool too_large;
    bool responded;
};

static enum MHD_Result on_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                              const char *value)
{
    (void)kind;
    struct hreq *r = cls;
    if (r->nargs >= HTTP_MAX_ARGS) {
        r->args_over = true;
        return MHD_NO;
    }
    r->args[r->nargs].k = key;
    r->args[r->nargs].v = value ? value : "";
    r->nargs++;
    return MHD_YES;
}

static void request_done(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    struct conn *k = *con_cls;
    if (!k)
        return;
    eg_buf_done(&k->body);
    eg_buf_done(&k->r.out);
    eg_arena_done(&k->r.arena);
    if (k->r.file_fd >= 0)
        close(k->r.file_fd);
    eg_free(k);
    *con_cls = NULL;
}

static void free_cb(void *p)
{
    eg_free(p);
}

static enum MHD_Result send_response(struct http_server *s, struct MHD_Connection *c,
                                     struct hreq *r)
{
    struct MHD_Response *resp;
    if (r->file_fd >= 0) {
        resp = MHD_create_response_from_fd64(r->file_size, r->file_fd);
        if (resp)
            r->file_fd = -1; /* the response owns it now */
    } else {
        size_t len = 0;
        char *body = eg_buf_steal(&r->out, &len);
        if (!body) {
            body = eg_strdup("");
            len = 0;
        }
        resp = body ? MHD_create_response_from_buffer_with_free_callback(len, body, free_cb) : NULL;
        if (!resp)
            eg_free(body);
    }
    if (!resp)
        return MHD_NO;
    for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
        MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            r->ctype ? r->ctype : "application/json; charset=utf-8");
    if (!r->route || strncmp(r->path, "/api/", 5) == 0)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (r->disposition) {
        char *v = hr_strf(r, "attachment; filename=\"%s\"", r->disposition);
        if (v)
            MHD_add_response_header(resp, "Content-Disposition", v);
    }
    for (size_t i = 0; i < r->nheaders; i++)
        MHD_add_response_header(resp, r->headers[i][0], r->headers[i][1]);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)(r->status ? r->status : 500), resp);
    MHD_destroy_response(resp);
    if (s->cfg.access_log)
        fprintf(stderr, "envgov web: %s %s %s %d %s\n", r->ip ? r->ip : "-", r->method, r->path,
                r->status, r->authed ? r->user.name : "-");
    return ok;
}

static void client_ip(struct MHD_Connection *c, struct hreq *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char buf[INET6_ADDRSTRLEN] = "-";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                      sizeof(buf));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                      sizeof(buf));
    }
    r->ip = eg_arena_strndup(&r->arena, buf, strlen(buf));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct http_server *s = cls;
    struct conn *k = *con_cls;
    if (!k) {
        k = eg_calloc(1, sizeof(*k));
        if (!k)
            return MHD_NO;
        *con_cls = k;
        struct hreq *r = &k->r;
        r->srv = s;
        r->cfg = &s->cfg;
        r->file_fd = -1;
        r->method = method;
        r->path = url;
        eg_arena_init(&r->arena, HTTP_ARENA_LIMIT);
        eg_buf_init(&r->out, HTTP_OUT_LIMIT);
        eg_buf_init(&k->body, s->cfg.body_limit);
        client_ip(c, r);
        const char *cl =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > s->cfg.body_limit) {
            hr_error(r, 413, "body", "the request body is larger than %zu bytes",
                     s->cfg.body_limit);
            k->responded = true;
            return send_response(s, c, r);
        }
        return MHD_YES;
    }
    struct hreq *r = &k->r;
    if (k->responded) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!k->too_large && eg_buf_add(&k->body, upload_data, *upload_data_size))
            k->too_large = true;
        *upload_data_size = 0;
        return MHD_YES;
    }
    k->responded = true;
    if (k->too_large) {
        hr_error(r, 413, "body", "the request body is larger than %zu bytes", s->cfg.body_limit);
        return send_response(s, c, r);
    }
    r->body = eg_buf_str(&k->body);
    r->body_len = k->body.len;
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, on_arg, r);
    r->cookie_session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "eg_session");
    r->authorization =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    r->csrf_header = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
    r->origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    r->host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (r->args_over) {
        hr_error(r, 400, "query", "more than %d query parameters", HTTP_MAX_ARGS);
        return send_response(s, c, r);
    }
    bool api = strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0;
    if (api) {
        r->store = pool_get(s);
        int rc = http__dispatch(r);
        if (rc && !r->status)
            hr_fail(r, rc);
        pool_put(s, r->store);
        r->store = NULL;
    } else if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        hr_error(r, 405, NULL, "static files are read-only");
        hr_add_header(r, "Allow", "GET, HEAD");
    } else {
        int rc = h_static(r);
        if (rc && !r->status)
            hr_fail(r, rc);
    }
    return send_response(s, c, r);
}

/* ---- address ---- */

static int parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *len,
                      struct eg_errbuf *eb)
{
    const char *colon = strrchr(addr, ':');
    char host[INET6_ADDRSTRLEN + 2];
    if (!colon || colon == addr)
        return eg_errf(eb, EG_EINVAL, "--http: '%s' is not ADDR:PORT", addr);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || port < 0 || port > 65535)
        return eg_errf(eb, EG_EINVAL, "--http: '%s': the port is not 0 to 65535", addr);
    size_t hl = (size_t)(colon - addr);
    if (hl >= sizeof(host))
        return eg_errf(eb, EG_EINVAL, "--http: '%s': address too long", addr);
    memcpy(host, addr, hl);
    host[hl] = 0;
    memset(ss, 0, sizeof(*ss));
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        host[hl - 1] = 0;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            return eg_errf(eb, EG_EINVAL, "--http: '%s' is not an IPv6 address", host + 1);
        *len = sizeof(*a6);
        return 0;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    if (!strcmp(host, "localhost"))
        a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    else if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
        return eg_errf(eb, EG_EINVAL, "--http: '%s' is not an IPv4 address", host);
    *len = sizeof(*a4);
    return 0;
}

/* %HH decoding for paths and parameters, except that an encoded NUL becomes 0x01: a C string
 * must never end where the client's text does not ("/%00../x" would otherwise read as "/"),
 * and 0x01 is refused by every check downstream (static paths, codes, dates). */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls, (void)c;
    char *w = s;
    for (const char *p = s; *p; p++) {
        if (p[0] == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
            char hex[3] = {p[1], p[2], 0};
            int v = (int)strtol(hex, NULL, 16);
            *w++ = (char)(v ? v : 1);
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = 0;
    return (size_t)(w - s);
}

EG_PRINTF(2, 0) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("envgov web: libmicrohttpd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

int http_server_start(const struct http_config *cfg, struct http_server **ret, struct eg_errbuf *eb)
{
    int rc;
    struct sockaddr_storage ss;
    socklen_t sl = 0;
    struct http_server *s = eg_calloc(1, sizeof(*s));
    if (!s)
        return eg_errf(eb, EG_ENOMEM, "out of memory");
    s->cfg = *cfg;
    if (!s->cfg.addr)
        s->cfg.addr = HTTP_DEFAULT_ADDR;
    if (!s->cfg.body_limit)
        s->cfg.body_limit = HTTP_DEFAULT_BODY_LIMIT;
    if (!s->cfg.threads)
        s->cfg.threads = 2;
    if (s->cfg.threads > HTTP_MAX_THREADS)
        s->cfg.threads = HTTP_MAX_THREADS;
    if (!s->cfg.city)
        s->cfg.city = "盘锦";
    pthread_mutex_init(&s->pool_mu, NULL);
    pthread_cond_init(&s->pool_cv, NULL);
    pthread_mutex_init(&s->limit_mu, NULL);
    pthread_mutex_init(&s->cache_mu, NULL);
    if ((rc = parse_addr(s->cfg.addr, &ss, &sl, eb)))
        goto fail;
    /* one connection per worker, plus one for the thread that accepts (it answers nothing but
     * keeps the count equal to MHD's threads) */
    for (unsigned i = 0; i < s->cfg.threads; i++) {
        if ((rc = store_open(s->cfg.db_path, 0, &s->stores[i], eb)))
            goto fail;
        s->free_stores[s->nfree++] = s->stores[i];
        s->nstores++;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(
        /* the logger first, so that libmicrohttpd's own start-up messages go through it */
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)s->cfg.threads, MHD_OPTION_NOTIFY_COMPLETED, request_done, s,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)0, MHD_OPTION_LISTENING_ADDRESS_REUSE,
        (unsigned)1, MHD_OPTION_UNESCAPE_CALLBACK, unescape, s, MHD_OPTION_END);
    if (!s->d) {
        rc = eg_errf(eb, EG_EIO, "cannot listen on %s: %s", s->cfg.addr, strerror(errno));
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    *ret = s;
    return 0;
fail:
    http_server_stop(s);
    return rc;
}

unsigned http_server_port(const struct http_server *s)
{
    return s ? s->port : 0;
}

void http_server_stop(struct http_server *s)
{
    if (!s)
        return;
    if (s->d)
        MHD_stop_daemon(s->d);
    for (unsigned i = 0; i < s->nstores; i++)
        store_close(s->stores[i]);
    http__cache_clear(s);
    pthread_mutex_destroy(&s->pool_mu);
    pthread_cond_destroy(&s->pool_cv);
    pthread_mutex_destroy(&s->limit_mu);
    pthread_mutex_destroy(&s->cache_mu);
    eg_free(s);
}
