/* test_http_api.c — the HTTP API through the real binary: `envgov web` on an ephemeral loopback
 * port (--port-file) over a database made from the real CNEMC sample, driven by a tiny HTTP/1.1
 * client over sockets (one connection per request).
 *
 * Covers: the OpenAPI document lists every route; login (200 + cookie + csrf, 401, 400 naming the
 * field); 401 without identity, 403 by role and department; CSRF refusal for browser writes;
 * Bearer tokens; 413; static-file traversal; SQL-injection strings in parameters and bodies;
 * paging; every air route's status and its keys against `envgov air … --format json`; exports
 * (CSV, XLSX); accounts; the audit trail (and that the store refuses to rewrite it); logout;
 * the water, soil, work, enterprise, device, credit, draw, emergency and public routes against
 * the CLI (`envgov water …`, `work …`, `enterprise …` over the demo data in data/demo/), work
 * moves (legal, illegal 409, missing note 422, role 403, CSRF, audited with before and after),
 * enterprise accounts seeing only their own file;
 * login rate limiting (last: it locks the client address out).
 *
 * Usage: test_http_api ENVGOV DATA_DIR [WEB_DIST] (run by meson test).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

static const char *envgov, *datadir, *webdist;
static char demodir[600];
static const char own_uscc[] = "912111047849086577"; /* the enterprise account ent2's */
static char tmpdir[256], db[512];
static pid_t server = -1;
static int port;
static char admin_token[128];

/* ---- a tiny HTTP client ---- */

struct resp {
    int status;
    char *head; /* raw header block, lower-cased names kept as sent */
    char *body;
    size_t len;
};

static void resp_free(struct resp *r)
{
    free(r->head);
    free(r->body);
    memset(r, 0, sizeof(*r));
}

/* Send raw bytes, read the whole answer (the server closes: Connection: close). */
static void raw(const char *req, size_t reqlen, struct resp *out)
{
    memset(out, 0, sizeof(*out));
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    size_t off = 0;
    while (off < reqlen) {
        ssize_t n = send(fd, req + off, reqlen - off, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may answer (413) and close before reading everything */
        off += (size_t)n;
    }
    shutdown(fd, SHUT_WR);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len + 4096 > cap)
            buf = realloc(buf, cap *= 2);
        ssize_t n = recv(fd, buf + len, cap - len - 1, 0);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    buf[len] = 0;
    char *eoh = strstr(buf, "\r\n\r\n");
    assert_non_null(eoh);
    out->status = atoi(buf + 9);
    out->head = strndup(buf, (size_t)(eoh - buf));
    out->len = len - (size_t)(eoh + 4 - buf);
    out->body = malloc(out->len + 1);
    memcpy(out->body, eoh + 4, out->len);
    out->body[out->len] = 0;
    free(buf);
}

struct who {
    const char *cookie; /* "eg_session=…" */
    const char *csrf;
    const char *bearer;
};

static void req(const char *method, const char *path, const struct who *w, const char *body,
                struct resp *out)
{
    char head[8192];
    int n = snprintf(head, sizeof(head),
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n", method, path,
                     port);
    if (w && w->cookie)
        n += snprintf(head + n, sizeof(head) - (size_t)n, "Cookie: %s\r\n", w->cookie);
    if (w && w->csrf)
        n += snprintf(head + n, sizeof(head) - (size_t)n, "X-CSRF-Token: %s\r\n", w->csrf);
    if (w && w->bearer)
        n +=
            snprintf(head + n, sizeof(head) - (size_t)n, "Authorization: Bearer %s\r\n", w->bearer);
    if (body)
        n += snprintf(head + n, sizeof(head) - (size_t)n,
                      "Content-Type: application/json\r\nContent-Length: %zu\r\n", strlen(body));
    n += snprintf(head + n, sizeof(head) - (size_t)n, "\r\n");
    size_t bl = body ? strlen(body) : 0;
    char *all = malloc((size_t)n + bl + 1);
    memcpy(all, head, (size_t)n);
    if (bl)
        memcpy(all + n, body, bl);
    raw(all, (size_t)n + bl, out);
    free(all);
}

static json_t *json_of(const struct resp *r)
{
    json_error_t e;
    json_t *v = json_loadb(r->body, r->len, 0, &e);
    if (!v)
        fprintf(stderr, "not JSON (%s): %.300s\n", e.text, r->body);
    assert_non_null(v);
    return v;
}

static const char *header(const struct resp *r, const char *name, char *out, size_t n)
{
    const char *p = r->head;
    size_t nl = strlen(name);
    while ((p = strchr(p, '\n'))) {
        p++;
        if (!strncasecmp(p, name, nl) && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            size_t k = strcspn(v, "\r\n");
            snprintf(out, n, "%.*s", (int)k, v);
            return out;
        }
    }
    return NULL;
}

#define EXPECT_STATUS(r, s)                                                                     \
    do {                                                                                        \
        if ((r)->status != (s))                                                                 \
            fprintf(stderr, "%s:%d: status %d, body %.400s\n", __FILE__, __LINE__, (r)->status, \
                    (r)->body);                                                                 \
        assert_int_equal((r)->status, (s));                                                     \
    } while (0)

/* A request whose only check is its status (the request and the check on one line). */
#define EXPECT_REQ(method, path, who, body, s) \
    do {                                       \
        struct resp r_;                        \
        req(method, path, who, body, &r_);     \
        EXPECT_STATUS(&r_, s);                 \
        resp_free(&r_);                        \
    } while (0)

/* The error's field must be `field`. */
static void expect_field(const struct resp *r, const char *field)
{
    json_t *v = json_of(r);
    const char *f = json_string_value(json_object_get(json_object_get(v, "error"), "field"));
    if (!f || strcmp(f, field))
        fprintf(stderr, "expected field %s in %s\n", field, r->body);
    assert_non_null(f);
    assert_string_equal(f, field);
    json_decref(v);
}

struct session {
    char cookie[256];
    char csrf[128];
    struct who w;
};

static void login(const char *user, const char *pw, struct session *s)
{
    char body[256], sc[512];
    struct resp r;
    snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}", user, pw);
    req("POST", "/api/login", NULL, body, &r);
    EXPECT_STATUS(&r, 200);
    assert_non_null(header(&r, "Set-Cookie", sc, sizeof(sc)));
    assert_non_null(strstr(sc, "HttpOnly"));
    assert_non_null(strstr(sc, "SameSite=Strict"));
    snprintf(s->cookie, sizeof(s->cookie), "%.*s", (int)strcspn(sc, ";"), sc);
    json_t *v = json_of(&r);
    snprintf(s->csrf, sizeof(s->csrf), "%s", json_string_value(json_object_get(v, "csrf")));
    json_decref(v);
    s->w = (struct who){s->cookie, s->csrf, NULL};
    resp_free(&r);
}

/* ---- fixture ---- */

__attribute__((format(printf, 1, 2))) static void sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    int st = system(cmd);
    if (!WIFEXITED(st) || WEXITSTATUS(st)) {
        fprintf(stderr, "command failed: %s\n", cmd);
        fail();
    }
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/envgov-http-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(db, sizeof(db), "%s/t.db", tmpdir);
    sh("%s --db %s import stations %s/stations/stations_2022.csv >/dev/null 2>&1", envgov, db,
       datadir);
    sh("%s --db %s import cnemc %s/cnemc/china_sites_2023012*.csv >/dev/null 2>&1", envgov, db,
       datadir);
    /* water, soil, enterprises and work: the demo data */
    snprintf(demodir, sizeof(demodir), "%s/../../data/demo", datadir);
    sh("%s --db %s import points %s/points.csv >/dev/null 2>&1", envgov, db, demodir);
    sh("%s --db %s import samples %s/samples_2021.csv %s/samples_2022.csv >/dev/null 2>&1", envgov,
       db, demodir, demodir);
    sh("%s --db %s import enterprises %s/supervision/enterprises.csv >/dev/null 2>&1", envgov, db,
       demodir);
    sh("%s --db %s work import %s/supervision/ledger.csv >/dev/null 2>&1", envgov, db, demodir);
    sh("printf 'mn,pw,point,st\\n88888880000001,123456,P01,32\\n' > %s/dev.csv && "
       "%s --db %s import devices %s/dev.csv >/dev/null 2>&1",
       tmpdir, envgov, db, tmpdir);
    sh("%s --db %s inspect inspector I01 --name A --unit U >/dev/null 2>&1 && "
       "%s --db %s inspect inspector I02 --name B --unit U >/dev/null 2>&1 && "
       "%s --db %s inspect draw --pool all --count 3 --seed 42 --inspectors 1 --publish "
       ">/dev/null 2>&1",
       envgov, db, envgov, db, envgov, db);
    sh("%s --db %s credit rate %s --year 2022 --score discharge=90 >/dev/null 2>&1", envgov, db,
       own_uscc);
    sh("%s --db %s emergency grade %s --year 2022 --grade B --emissions 1.000,2.000,3.000,4.000 "
       "--cuts 10,20,30 >/dev/null 2>&1",
       envgov, db, own_uscc);
    sh("echo entpassword456 | %s --db %s user add ent2 --role enterprise --enterprise %s "
       "2>/dev/null",
       envgov, db, own_uscc);
    sh("echo staffpassword3 | %s --db %s user add lawstaff --role staff --department enforcement "
       "2>/dev/null",
       envgov, db);
    sh("echo adminpassword1 | %s --db %s user add admin --role admin 2>/dev/null", envgov, db);
    sh("echo staffpassword1 | %s --db %s user add airstaff --role staff --department air "
       "2>/dev/null",
       envgov, db);
    sh("echo staffpassword2 | %s --db %s user add waterstaff --role staff --department water "
       "2>/dev/null",
       envgov, db);
    sh("echo leaderpassword1 | %s --db %s user add boss --role leader 2>/dev/null", envgov, db);
    sh("echo entpassword123 | %s --db %s user add acme --role enterprise --enterprise E001 "
       "2>/dev/null",
       envgov, db);
    char cmd[1024], pf[600];
    snprintf(cmd, sizeof(cmd), "%s --db %s token new admin --label test", envgov, db);
    FILE *p = popen(cmd, "r");
    if (!p || !fgets(admin_token, sizeof(admin_token), p))
        return -1;
    pclose(p);
    admin_token[strcspn(admin_token, "\n")] = 0;
    snprintf(pf, sizeof(pf), "%s/port", tmpdir);
    server = fork();
    if (server == 0) {
        const char *argv[] = {envgov,        "--db",   db,
                              "web",         "--http", "127.0.0.1:0",
                              "--port-file", pf,       "--insecure-cookie",
                              "--cache-ms",  "0",      webdist ? "--static" : NULL,
                              webdist,       NULL};
        execv(envgov, (char *const *)(uintptr_t)argv);
        _exit(127);
    }
    for (int i = 0; i < 200; i++) { /* up to 10 s */
        FILE *f = fopen(pf, "r");
        if (f) {
            int ok = fscanf(f, "%d", &port);
            fclose(f);
            if (ok == 1 && port > 0)
                return 0;
        }
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "the server did not start\n");
    return -1;
}

static int teardown(void **state)
{
    (void)state;
    if (server > 0) {
        kill(server, SIGTERM);
        int st;
        waitpid(server, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st))
            fprintf(stderr, "envgov web exited with status %d\n", st);
    }
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- tests ---- */

static const char *const all_routes[][2] = {
    {"get", "/api/openapi.json"},
    {"get", "/api/health"},
    {"get", "/api/config"},
    {"post", "/api/login"},
    {"post", "/api/logout"},
    {"get", "/api/me"},
    {"post", "/api/me/password"},
    {"get", "/api/users"},
    {"post", "/api/users"},
    {"patch", "/api/users/{name}"},
    {"post", "/api/tokens"},
    {"get", "/api/audit"},
    {"get", "/api/air/stations"},
    {"get", "/api/air/hourly"},
    {"get", "/api/air/daily"},
    {"get", "/api/air/annual"},
    {"get", "/api/air/rank"},
    {"get", "/api/air/now"},
    {"get", "/api/air/dust"},
    {"post", "/api/air/dust"},
    {"post", "/api/air/warning"},
    {"get", "/api/public/air"},
    {"get", "/api/water/points"},
    {"get", "/api/water/section"},
    {"get", "/api/water/river"},
    {"get", "/api/water/city"},
    {"get", "/api/water/cwqi"},
    {"get", "/api/water/drinking"},
    {"get", "/api/water/lake"},
    {"get", "/api/sea"},
    {"get", "/api/groundwater"},
    {"get", "/api/odorous"},
    {"get", "/api/soil/farmland"},
    {"get", "/api/soil/construction"},
    {"get", "/api/work"},
    {"post", "/api/work"},
    {"get", "/api/work/kinds"},
    {"get", "/api/work/stats"},
    {"get", "/api/work/{id}"},
    {"get", "/api/work/{id}/next"},
    {"post", "/api/work/{id}/move"},
    {"get", "/api/enterprises"},
    {"get", "/api/enterprises/{uscc}"},
    {"get", "/api/devices"},
    {"get", "/api/devices/{mn}"},
    {"get", "/api/alarms"},
    {"get", "/api/data"},
    {"get", "/api/credit"},
    {"get", "/api/emergency"},
    {"get", "/api/draws"},
    {"get", "/api/draws/{id}"},
    {"get", "/api/draws/{id}/replay"},
    {"get", "/api/public/water/section"},
    {"get", "/api/public/water/cwqi"},
    {"get", "/api/public/credit"},
    {"get", "/api/public/draws"},
    {"get", "/api/public/penalties"},
};

static void t_openapi(void **state)
{
    (void)state;
    struct resp r;
    req("GET", "/api/openapi.json", NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    json_t *v = json_of(&r);
    assert_string_equal(json_string_value(json_object_get(v, "openapi")), "3.0.3");
    json_t *paths = json_object_get(v, "paths");
    size_t nops = 0;
    const char *k;
    json_t *item;
    json_object_foreach(paths, k, item) nops += json_object_size(item);
    for (size_t i = 0; i < sizeof(all_routes) / sizeof(all_routes[0]); i++) {
        json_t *op = json_object_get(json_object_get(paths, all_routes[i][1]), all_routes[i][0]);
        if (!op)
            fprintf(stderr, "missing %s %s\n", all_routes[i][0], all_routes[i][1]);
        assert_non_null(op);
        assert_non_null(json_object_get(op, "summary"));
    }
    /* the document lists exactly the routes the server has (no more, no fewer than we test) */
    assert_int_equal(nops, sizeof(all_routes) / sizeof(all_routes[0]));
    json_decref(v);
    resp_free(&r);
}

static void t_security_headers(void **state)
{
    (void)state;
    struct resp r;
    char h[512];
    req("GET", "/api/health", NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_non_null(header(&r, "Content-Security-Policy", h, sizeof(h)));
    assert_non_null(strstr(h, "frame-ancestors 'none'"));
    assert_non_null(strstr(h, "script-src 'self'"));
    assert_null(strstr(h, "script-src 'self' 'unsafe-inline'"));
    assert_string_equal(header(&r, "X-Content-Type-Options", h, sizeof(h)), "nosniff");
    resp_free(&r);
}

static void t_login(void **state)
{
    (void)state;
    struct resp r;
    struct session s;
    login("admin", "adminpassword1", &s);
    req("GET", "/api/me", &s.w, NULL, &r);
    EXPECT_STATUS(&r, 200);
    json_t *v = json_of(&r);
    assert_string_equal(json_string_value(json_object_get(v, "role")), "admin");
    json_decref(v);
    resp_free(&r);
    EXPECT_REQ("POST", "/api/login", NULL, "{\"username\":\"admin\",\"password\":\"wrongwrong1\"}",
               401);
    EXPECT_REQ("POST", "/api/login", NULL, "{\"username\":\"nobody\",\"password\":\"wrongwrong1\"}",
               401);
    req("POST", "/api/login", NULL, "{\"username\":\"admin\"}", &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "password");
    resp_free(&r);
    req("POST", "/api/login", NULL, "{not json", &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "body");
    resp_free(&r);
    req("POST", "/api/login", NULL, "{\"username\":7,\"password\":\"x\"}", &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "username");
    resp_free(&r);
}

static void t_unauthenticated(void **state)
{
    (void)state;
    static const char *const gets[] = {"/api/me",      "/api/users",
                                       "/api/audit",   "/api/air/stations",
                                       "/api/air/now", "/api/air/daily?from=2023-01-20"};
    struct resp r;
    for (size_t i = 0; i < sizeof(gets) / sizeof(gets[0]); i++) {
        EXPECT_REQ("GET", gets[i], NULL, NULL, 401);
    }
    req("POST", "/api/air/dust", NULL, "{\"city\":\"盘锦\",\"date\":\"2023-01-21\",\"on\":true}",
        &r);
    EXPECT_STATUS(&r, 401);
    resp_free(&r);
    EXPECT_REQ("POST", "/api/users", NULL, "{}", 401);
    struct who bad = {NULL, NULL, "not-a-token"};
    EXPECT_REQ("GET", "/api/air/stations", &bad, NULL, 401);
    struct who forged = {"eg_session=forged", NULL, NULL};
    EXPECT_REQ("GET", "/api/me", &forged, NULL, 401);
    /* the public routes need nothing */
    req("GET", "/api/public/air", NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    json_t *v = json_of(&r);
    assert_true(json_is_integer(json_object_get(json_object_get(v, "now"), "aqi")));
    assert_true(json_array_size(json_object_get(v, "daily")) >= 3);
    json_decref(v);
    resp_free(&r);
}

static const char dust_on[] = "{\"city\":\"盘锦\",\"date\":\"2023-01-21\",\"on\":true,"
                              "\"note\":\"satellite dust report\"}";
static const char dust_off[] = "{\"city\":\"盘锦\",\"date\":\"2023-01-21\",\"on\":false}";

static void t_csrf(void **state)
{
    (void)state;
    struct resp r;
    struct session s;
    login("airstaff", "staffpassword1", &s);
    struct who no_csrf = {s.cookie, NULL, NULL};
    req("POST", "/api/air/dust", &no_csrf, dust_on, &r);
    EXPECT_STATUS(&r, 403);
    expect_field(&r, "X-CSRF-Token");
    resp_free(&r);
    struct who wrong = {s.cookie, "0123456789012345678901234567890123456789abc", NULL};
    EXPECT_REQ("POST", "/api/air/dust", &wrong, dust_on, 403);
    EXPECT_REQ("POST", "/api/air/dust", &s.w, dust_on, 200);
    EXPECT_REQ("POST", "/api/air/dust", &s.w, dust_off, 200);
    /* Bearer tokens are not browser sessions: no CSRF token needed */
    struct who tok = {NULL, NULL, admin_token};
    req("POST", "/api/air/warning", &tok, "{\"series\":[{\"date\":\"2023-02-01\",\"aqi\":210}]}",
        &r);
    EXPECT_STATUS(&r, 200);
    resp_free(&r);
}

static void t_roles(void **state)
{
    (void)state;
    struct resp r;
    struct session boss, water, ent, air;
    login("boss", "leaderpassword1", &boss);
    login("waterstaff", "staffpassword2", &water);
    login("acme", "entpassword123", &ent);
    login("airstaff", "staffpassword1", &air);
    req("POST", "/api/air/dust", &boss.w, dust_on, &r); /* leaders read, do not write */
    EXPECT_STATUS(&r, 403);
    resp_free(&r);
    req("POST", "/api/air/dust", &water.w, dust_on, &r); /* another department */
    EXPECT_STATUS(&r, 403);
    resp_free(&r);
    EXPECT_REQ("GET", "/api/users", &air.w, NULL, 403);
    EXPECT_REQ("GET", "/api/users", &ent.w, NULL, 403);
    EXPECT_REQ("POST", "/api/air/warning", &ent.w, "{\"series\":[]}", 403);
    req("GET", "/api/audit", &boss.w, NULL, &r); /* leaders read everything */
    EXPECT_STATUS(&r, 200);
    resp_free(&r);
    EXPECT_REQ("GET", "/api/audit", &air.w, NULL, 403);
    EXPECT_REQ("GET", "/api/air/daily?from=2023-01-20&by=city&city=盘锦", &boss.w, NULL, 200);
    EXPECT_REQ("DELETE", "/api/air/dust", &air.w, NULL, 405);
    EXPECT_REQ("GET", "/api/no/such/route", &air.w, NULL, 404);
}

static void t_body_limit(void **state)
{
    (void)state;
    size_t n = 2u << 20;
    char *big = malloc(n + 1);
    memset(big, 'a', n);
    big[0] = '"';
    big[n - 1] = '"';
    big[n] = 0;
    struct resp r;
    req("POST", "/api/login", NULL, big, &r);
    EXPECT_STATUS(&r, 413);
    expect_field(&r, "body");
    resp_free(&r);
    /* chunked, without a Content-Length: refused once past the limit */
    char head[] = "POST /api/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    size_t cl = strlen(head);
    char *all = malloc(cl + n + 64);
    memcpy(all, head, cl);
    int k = snprintf(all + cl, 32, "%zx\r\n", n);
    memcpy(all + cl + (size_t)k, big, n);
    memcpy(all + cl + (size_t)k + n, "\r\n0\r\n\r\n", 7);
    raw(all, cl + (size_t)k + n + 7, &r);
    EXPECT_STATUS(&r, 413);
    resp_free(&r);
    free(all);
    free(big);
}

static void t_traversal(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/vendor/../../../etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
        "/.git/config",
        "/geo/..",
        "/%00index.html",
        "/index.html%00.js",
        "/vendor/%2e%2e/%2e%2e/build.mjs",
    };
    struct resp r;
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        char rq[512];
        int n = snprintf(rq, sizeof(rq), "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                         paths[i]);
        raw(rq, (size_t)n, &r);
        if (r.status == 200 || strstr(r.body, "root:"))
            fprintf(stderr, "traversal %s: %d\n", paths[i], r.status);
        assert_true(r.status == 404 || r.status == 400);
        assert_null(strstr(r.body, "root:"));
        resp_free(&r);
    }
    if (webdist) {
        req("GET", "/", NULL, NULL, &r);
        EXPECT_STATUS(&r, 200);
        assert_non_null(strstr(r.head, "text/html"));
        resp_free(&r);
        EXPECT_REQ("GET", "/public", NULL, NULL, 200);
        EXPECT_REQ("POST", "/index.html", NULL, "{}", 405);
    }
}

static long total_of(const struct resp *r)
{
    json_t *v = json_of(r);
    long t = (long)json_integer_value(json_object_get(v, "total"));
    json_decref(v);
    return t;
}

static void t_injection(void **state)
{
    (void)state;
    struct who tok = {NULL, NULL, admin_token};
    struct resp r;
    req("GET", "/api/air/stations", &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    long before = total_of(&r);
    assert_true(before > 1000);
    resp_free(&r);
    static const char *const urls[] = {
        "/api/air/daily?from=2023-01-20&by=city&city=%E7%9B%98%E9%94%A6'%20OR%20'1'='1",
        "/api/air/daily?from=2023-01-20&station=1604A';DROP%20TABLE%20station;--",
        "/api/air/stations?city=x'%20UNION%20SELECT%20name,hash,1,1,1,1,1%20FROM%20auth_user--",
        "/api/air/dust?from=2023-01-01'--",
        "/api/air/annual?year=2023;DELETE%20FROM%20air_hourly",
    };
    for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
        req("GET", urls[i], &tok, NULL, &r);
        /* harmless: a 400 naming the parameter, a 404 "no such city", or no rows */
        if (r.status != 200 && r.status != 400 && r.status != 404)
            fprintf(stderr, "%s: %d %.300s\n", urls[i], r.status, r.body);
        assert_true(r.status == 200 || r.status == 400 || r.status == 404);
        assert_null(strstr(r.body, "$argon2id"));
        if (r.status == 200)
            assert_int_equal(total_of(&r), 0);
        resp_free(&r);
    }
    req("POST", "/api/login", NULL, "{\"username\":\"admin' --\",\"password\":\"' OR '1'='1\"}",
        &r);
    EXPECT_STATUS(&r, 401);
    resp_free(&r);
    req("GET", "/api/air/stations", &tok, NULL, &r);
    assert_int_equal(total_of(&r), before);
    resp_free(&r);
}

static void t_paging(void **state)
{
    (void)state;
    struct who tok = {NULL, NULL, admin_token};
    struct resp r;
    req("GET", "/api/air/stations?limit=5", &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    json_t *a = json_of(&r);
    resp_free(&r);
    req("GET", "/api/air/stations?limit=5&offset=5", &tok, NULL, &r);
    json_t *b = json_of(&r);
    resp_free(&r);
    assert_int_equal(json_array_size(json_object_get(a, "items")), 5);
    assert_int_equal(json_array_size(json_object_get(b, "items")), 5);
    assert_int_equal(json_integer_value(json_object_get(a, "total")),
                     json_integer_value(json_object_get(b, "total")));
    assert_int_equal(json_integer_value(json_object_get(b, "offset")), 5);
    const char *c4 =
        json_string_value(json_object_get(json_array_get(json_object_get(a, "items"), 4), "code"));
    const char *c5 =
        json_string_value(json_object_get(json_array_get(json_object_get(b, "items"), 0), "code"));
    assert_true(strcmp(c4, c5) < 0);
    json_decref(a);
    json_decref(b);
    static const char *const bad[][2] = {{"/api/air/stations?limit=0", "limit"},
                                         {"/api/air/stations?limit=abc", "limit"},
                                         {"/api/air/stations?offset=-1", "offset"},
                                         {"/api/air/stations?format=pdf", "format"},
                                         {"/api/air/daily?from=2023-13-01", "from"},
                                         {"/api/air/daily", "from"},
                                         {"/api/air/daily?from=2023-01-20&to=2023-01-01", "to"},
                                         {"/api/air/daily?from=2023-01-20&by=town", "by"},
                                         {"/api/air/daily?from=2023-01-20&rules=1999", "rules"},
                                         {"/api/air/annual?year=20x3", "year"},
                                         {"/api/air/rank?year=2023&order=size", "order"},
                                         {"/api/audit?changed_since=yesterday", "changed_since"}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        req("GET", bad[i][0], &tok, NULL, &r);
        EXPECT_STATUS(&r, 400);
        expect_field(&r, bad[i][1]);
        resp_free(&r);
    }
}

/* The first record of the API's items must have exactly the CLI's keys, in the CLI's order, and
 * the same values. */
static void same_as_cli(const char *url, const char *cli_args)
{
    struct who tok = {NULL, NULL, admin_token};
    struct resp r;
    char out[600], cmd[2048];
    snprintf(out, sizeof(out), "%s/cli.json", tmpdir);
    sh("%s --db %s %s --format json > %s", envgov, db, cli_args, out);
    json_error_t e;
    json_t *cli = json_load_file(out, JSON_PRESERVE_ORDER, &e);
    assert_non_null(cli);
    req("GET", url, &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    json_t *api = json_loadb(r.body, r.len, JSON_PRESERVE_ORDER, &e);
    assert_non_null(api);
    json_t *items = json_object_get(api, "items");
    assert_int_equal(json_array_size(items), json_array_size(cli));
    assert_true(json_array_size(cli) > 0);
    assert_true(json_equal(items, cli));
    /* and the key order */
    json_t *a0 = json_array_get(items, 0), *c0 = json_array_get(cli, 0);
    void *ia = json_object_iter(a0), *ic = json_object_iter(c0);
    while (ia && ic) {
        assert_string_equal(json_object_iter_key(ia), json_object_iter_key(ic));
        ia = json_object_iter_next(a0, ia);
        ic = json_object_iter_next(c0, ic);
    }
    assert_true(!ia && !ic);
    (void)cmd;
    json_decref(api);
    json_decref(cli);
    resp_free(&r);
}

static void t_air_routes(void **state)
{
    (void)state;
    same_as_cli("/api/air/hourly?from=2023-01-22&station=1604A,1605A",
                "air hourly --from 2023-01-22 --station 1604A 1605A");
    same_as_cli("/api/air/hourly?from=2023-01-21&to=2023-01-22&by=city&city=%E7%9B%98%E9%94%A6",
                "air hourly --from 2023-01-21 --to 2023-01-22 --by city --city 盘锦");
    same_as_cli("/api/air/daily?from=2023-01-20&to=2023-01-22&by=city&city=%E7%9B%98%E9%94%A6",
                "air daily --from 2023-01-20 --to 2023-01-22 --by city --city 盘锦");
    same_as_cli("/api/air/daily?from=2023-01-20&to=2023-01-22&by=city&city=%E7%9B%98%E9%94%A6"
                "&rules=2026",
                "air daily --from 2023-01-20 --to 2023-01-22 --by city --city 盘锦 --rules 2026");
    same_as_cli("/api/air/daily?from=2023-01-21&city=%E7%9B%98%E9%94%A6",
                "air daily --from 2023-01-21 --city 盘锦");
    same_as_cli("/api/air/annual?year=2023&month=1&by=city&city=%E7%9B%98%E9%94%A6&city=%E6%B2%88"
                "%E9%98%B3",
                "air annual --year 2023 --month 1 --by city --city 盘锦 沈阳");
    same_as_cli("/api/air/rank?year=2023&month=1&city=%E6%B2%88%E9%98%B3,%E5%A4%A7%E8%BF%9E,%E7"
                "%9B%98%E9%94%A6,%E9%94%A6%E5%B7%9E",
                "air rank --year 2023 --month 1 --city 沈阳 大连 盘锦 锦州");
    /* order=pm25: the same rows, in PM2.5 rank order (`envgov air rank --by pm25` is the CLI's
     * spelling; it currently trips over parse_sel's station|city check, reported) */
    {
        struct who tk = {NULL, NULL, admin_token};
        struct resp rr;
        req("GET",
            "/api/air/rank?year=2023&month=1&order=pm25&city=%E6%B2%88%E9%98%B3,%E5%A4%A7"
            "%E8%BF%9E,%E7%9B%98%E9%94%A6",
            &tk, NULL, &rr);
        EXPECT_STATUS(&rr, 200);
        json_t *v = json_of(&rr);
        json_t *items = json_object_get(v, "items");
        assert_int_equal(json_array_size(items), 3);
        for (size_t i = 0; i + 1 < json_array_size(items); i++)
            assert_true(
                json_integer_value(json_object_get(json_array_get(items, i), "pm25_rank")) <=
                json_integer_value(json_object_get(json_array_get(items, i + 1), "pm25_rank")));
        json_decref(v);
        resp_free(&rr);
    }
    same_as_cli("/api/air/stations?city=%E7%9B%98%E9%94%A6", "air stations --city 盘锦");
    /* Panjin 2023-01-20..22: 34, 59, 105 (tests/data/README.md §1) */
    struct who tok = {NULL, NULL, admin_token};
    struct resp r;
    req("GET", "/api/air/daily?from=2023-01-20&to=2023-01-22&by=city&city=%E7%9B%98%E9%94%A6", &tok,
        NULL, &r);
    json_t *v = json_of(&r);
    json_t *items = json_object_get(v, "items");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "aqi")), 34);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 1), "aqi")), 59);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 2), "aqi")), 105);
    json_decref(v);
    resp_free(&r);
    /* now: the latest hour, with the stations for the map */
    req("GET", "/api/air/now", &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    v = json_of(&r);
    assert_string_equal(json_string_value(json_object_get(v, "city")), "盘锦");
    assert_true(json_is_integer(json_object_get(v, "aqi")));
    assert_true(json_array_size(json_object_get(v, "stations")) >= 3);
    assert_true(
        json_is_number(json_object_get(json_array_get(json_object_get(v, "stations"), 0), "lon")));
    json_decref(v);
    resp_free(&r);
    /* warning: the CLI's answer for the same series */
    char in[600];
    snprintf(in, sizeof(in), "%s/w.csv", tmpdir);
    FILE *f = fopen(in, "w");
    fputs("date,aqi\n2023-02-01,210\n2023-02-02,320\n2023-02-03,260\n", f);
    fclose(f);
    char out[600];
    snprintf(out, sizeof(out), "%s/w.json", tmpdir);
    sh("%s air warning %s --format json > %s", envgov, in, out);
    json_error_t e;
    json_t *cli = json_load_file(out, 0, &e);
    req("POST", "/api/air/warning", &tok,
        "{\"series\":[{\"date\":\"2023-02-01\",\"aqi\":210},{\"date\":\"2023-02-02\",\"aqi\":320},"
        "{\"date\":\"2023-02-03\",\"aqi\":260}]}",
        &r);
    EXPECT_STATUS(&r, 200);
    v = json_of(&r);
    assert_true(json_equal(v, json_array_get(cli, 0)));
    json_decref(v);
    json_decref(cli);
    resp_free(&r);
    req("POST", "/api/air/warning", &tok,
        "{\"series\":[{\"date\":\"2023-02-01\",\"aqi\":210},{\"date\":\"2023-02-03\",\"aqi\":1}]}",
        &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "series[1].date");
    resp_free(&r);
    req("POST", "/api/air/warning", &tok, "{\"series\":[{\"date\":\"2023-02-01\",\"aqi\":900}]}",
        &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "series[0].aqi");
    resp_free(&r);
    /* dust list after a mark, with the CLI's keys */
    struct session s;
    login("admin", "adminpassword1", &s);
    EXPECT_REQ("POST", "/api/air/dust", &s.w, dust_on, 200);
    same_as_cli("/api/air/dust", "air dust list");
    req("POST", "/api/air/dust", &s.w, "{\"city\":\"盘锦\",\"date\":\"2023-02-30\",\"on\":true}",
        &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "date");
    resp_free(&r);
    req("POST", "/api/air/dust", &s.w, "{\"city\":\"盘锦\",\"date\":\"2023-01-21\",\"on\":\"yes\"}",
        &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "on");
    resp_free(&r);
    EXPECT_REQ("POST", "/api/air/dust", &s.w, dust_off, 200);
}

static void t_exports(void **state)
{
    (void)state;
    struct who tok = {NULL, NULL, admin_token};
    struct resp r;
    char h[256];
    req("GET",
        "/api/air/daily?from=2023-01-20&to=2023-01-22&by=city&city=%E7%9B%98%E9%94%A6"
        "&format=csv",
        &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_string_equal(header(&r, "Content-Type", h, sizeof(h)), "text/csv; charset=utf-8");
    assert_non_null(strstr(header(&r, "Content-Disposition", h, sizeof(h)), "air-daily.csv"));
    assert_memory_equal(r.body,
                        "\xEF\xBB\xBF"
                        "city,date,rules,so2",
                        22);
    assert_non_null(strstr(r.body, "盘锦,2023-01-22"));
    resp_free(&r);
    req("GET", "/api/air/stations?city=%E7%9B%98%E9%94%A6&format=xlsx", &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_string_equal(header(&r, "Content-Type", h, sizeof(h)),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_true(r.len > 1000);
    assert_memory_equal(r.body, "PK\x03\x04", 4);
    resp_free(&r);
    req("GET", "/api/users?format=csv", &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_non_null(strstr(r.body, "name,role,department"));
    assert_null(strstr(r.body, "argon2"));
    resp_free(&r);
}

static void t_users_audit(void **state)
{
    (void)state;
    struct resp r;
    struct session s;
    login("admin", "adminpassword1", &s);
    req("POST", "/api/users", &s.w,
        "{\"name\":\"inspector\",\"password\":\"inspectpass1\",\"role\":\"staff\","
        "\"department\":\"enforcement\"}",
        &r);
    EXPECT_STATUS(&r, 201);
    resp_free(&r);
    EXPECT_REQ("POST", "/api/users", &s.w,
               "{\"name\":\"inspector\",\"password\":\"inspectpass1\",\"role\":\"leader\"}", 409);
    req("POST", "/api/users", &s.w,
        "{\"name\":\"x1\",\"password\":\"inspectpass1\",\"role\":\"god\"}", &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "role");
    resp_free(&r);
    req("POST", "/api/users", &s.w, "{\"name\":\"x2\",\"password\":\"short\",\"role\":\"leader\"}",
        &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "password");
    resp_free(&r);
    req("POST", "/api/users", &s.w,
        "{\"name\":\"x3\",\"password\":\"inspectpass1\",\"role\":\"staff\",\"department\":\"pr\"}",
        &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "department");
    resp_free(&r);
    /* the new account works; its role change ends its session */
    struct session insp;
    login("inspector", "inspectpass1", &insp);
    EXPECT_REQ("PATCH", "/api/users/inspector", &s.w, "{\"role\":\"leader\"}", 200);
    EXPECT_REQ("GET", "/api/me", &insp.w, NULL, 401);
    EXPECT_REQ("PATCH", "/api/users/nobody", &s.w, "{\"role\":\"leader\"}", 404);
    /* a token for a machine account */
    req("POST", "/api/tokens", &s.w, "{\"user\":\"boss\",\"label\":\"wall screen\"}", &r);
    EXPECT_STATUS(&r, 201);
    json_t *v = json_of(&r);
    char tok[128];
    snprintf(tok, sizeof(tok), "%s", json_string_value(json_object_get(v, "token")));
    json_decref(v);
    resp_free(&r);
    struct who bt = {NULL, NULL, tok};
    req("GET", "/api/me", &bt, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_non_null(strstr(r.body, "\"boss\""));
    resp_free(&r);
    /* the audit log has who, what, before and after */
    req("GET", "/api/audit?limit=1000", &s.w, NULL, &r);
    EXPECT_STATUS(&r, 200);
    v = json_of(&r);
    json_t *items = json_object_get(v, "items");
    bool user_add = false, patch = false, dust = false, cli = false;
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e)
    {
        const char *target = json_string_value(json_object_get(e, "target"));
        const char *action = json_string_value(json_object_get(e, "action"));
        const char *who = json_string_value(json_object_get(e, "who"));
        const char *after = json_string_value(json_object_get(e, "after"));
        if (!strcmp(target, "user:inspector") && !strcmp(action, "POST /api/users"))
            user_add = !strcmp(who, "admin") && strstr(after, "enforcement");
        if (!strcmp(target, "user:inspector") && !strcmp(action, "PATCH /api/users/inspector"))
            patch = strstr(json_string_value(json_object_get(e, "before")), "staff") &&
                    strstr(after, "leader");
        if (!strncmp(target, "dust:盘锦:2023-01-21", 22) && !strcmp(who, "airstaff"))
            dust = true;
        if (!strncmp(who, "cli:", 4) && !strcmp(action, "user add"))
            cli = true;
        assert_null(strstr(after ? after : "", "argon2"));
    }
    assert_true(user_add);
    assert_true(patch);
    assert_true(dust);
    assert_true(cli);
    /* cursor paging */
    long long first = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
    json_decref(v);
    resp_free(&r);
    char url[128];
    snprintf(url, sizeof(url), "/api/audit?after=%lld&limit=2", first);
    req("GET", url, &s.w, NULL, &r);
    EXPECT_STATUS(&r, 200);
    v = json_of(&r);
    assert_int_equal(json_array_size(json_object_get(v, "items")), 2);
    assert_true(json_integer_value(
                    json_object_get(json_array_get(json_object_get(v, "items"), 0), "id")) > first);
    json_decref(v);
    resp_free(&r);
    /* the store refuses to rewrite history */
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "sqlite3 %s \"DELETE FROM audit\" 2>/dev/null", db);
    assert_int_not_equal(system(cmd), 0);
    snprintf(cmd, sizeof(cmd), "sqlite3 %s \"UPDATE audit SET who = 'x'\" 2>/dev/null", db);
    assert_int_not_equal(system(cmd), 0);
    /* changed_since on accounts */
    req("GET", "/api/users?changed_since=2100-01-01", &s.w, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_int_equal(total_of(&r), 0);
    resp_free(&r);
    /* own password; logout ends the session */
    req("POST", "/api/me/password", &s.w,
        "{\"old_password\":\"wrong-password\",\"new_password\":\"adminpassword2\"}", &r);
    EXPECT_STATUS(&r, 403);
    expect_field(&r, "old_password");
    resp_free(&r);
    EXPECT_REQ("POST", "/api/logout", &s.w, NULL, 200);
    EXPECT_REQ("GET", "/api/me", &s.w, NULL, 401);
}

/* ---- water, soil, supervision, devices (issue 6) ---- */

/* A one-record route (`… show`): the API's object equals the CLI's single record, keys in order. */
static void same_record_as_cli(const char *url, const char *cli_args)
{
    struct who tok = {NULL, NULL, admin_token};
    struct resp r;
    char out[600];
    snprintf(out, sizeof(out), "%s/cli1.json", tmpdir);
    sh("%s --db %s %s --format json > %s", envgov, db, cli_args, out);
    json_error_t e;
    json_t *cli = json_load_file(out, JSON_PRESERVE_ORDER, &e);
    assert_non_null(cli);
    req("GET", url, &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    json_t *api = json_loadb(r.body, r.len, JSON_PRESERVE_ORDER, &e);
    assert_non_null(api);
    json_t *c0 = json_array_get(cli, 0);
    assert_true(json_equal(api, c0));
    void *ia = json_object_iter(api), *ic = json_object_iter(c0);
    while (ia && ic) {
        assert_string_equal(json_object_iter_key(ia), json_object_iter_key(ic));
        ia = json_object_iter_next(api, ia);
        ic = json_object_iter_next(c0, ic);
    }
    assert_true(!ia && !ic);
    json_decref(api);
    json_decref(cli);
    resp_free(&r);
}

static void t_water_routes(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"/api/water/section?year=2022", "water section --year 2022"},
        {"/api/water/section?year=2022&period=quarter&point=PJ01,PJ02",
         "water section --year 2022 --period quarter --point PJ01 PJ02"},
        {"/api/water/river?year=2022", "water river --year 2022"},
        {"/api/water/city?year=2022&level=national", "water city --year 2022 --level national"},
        {"/api/water/cwqi?year=2022&compare=2021", "water cwqi --year 2022 --compare 2021"},
        {"/api/water/cwqi?year=2022&month=6", "water cwqi --year 2022 --month 6"},
        {"/api/water/drinking?year=2022", "water drinking --year 2022"},
        {"/api/water/drinking?year=2022&summary=1", "water drinking --year 2022 --summary"},
        {"/api/water/lake?year=2022", "water lake --year 2022"},
        {"/api/sea?year=2022", "sea --year 2022"},
        {"/api/sea?year=2022&summary", "sea --year 2022 --summary"},
        {"/api/groundwater?from=2022-01-01&to=2022-12-31",
         "groundwater --from 2022-01-01 --to 2022-12-31"},
        {"/api/groundwater?year=2022&summary=true", "groundwater --year 2022 --summary"},
        {"/api/odorous?year=2022", "odorous --year 2022"},
        {"/api/odorous?year=2022&summary=1", "odorous --year 2022 --summary"},
        {"/api/soil/farmland?year=2022", "soil farmland --year 2022"},
        {"/api/soil/farmland?year=2022&summary=1", "soil farmland --year 2022 --summary"},
        {"/api/soil/construction?year=2022", "soil construction --year 2022"},
        {"/api/soil/construction?year=2022&summary=1", "soil construction --year 2022 --summary"},
    };
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        same_as_cli(pairs[i][0], pairs[i][1]);
    struct who tok = {NULL, NULL, admin_token};
    struct resp r;
    req("GET", "/api/water/points?kind=section", &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    json_t *v = json_of(&r);
    json_t *p0 = json_array_get(json_object_get(v, "items"), 0);
    assert_string_equal(json_string_value(json_object_get(p0, "kind")), "section");
    assert_true(json_is_number(json_object_get(p0, "lon")));
    json_decref(v);
    resp_free(&r);
    static const char *const bad[][2] = {{"/api/water/section", "from"},
                                         {"/api/water/section?year=2022&period=week", "period"},
                                         {"/api/water/section?year=2022&from=2022-01-01", "year"},
                                         {"/api/water/cwqi?year=2022&compare=x", "compare"},
                                         {"/api/sea?from=2022-02-01&to=2022-01-01", "to"}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        req("GET", bad[i][0], &tok, NULL, &r);
        EXPECT_STATUS(&r, 400);
        expect_field(&r, bad[i][1]);
        resp_free(&r);
    }
    /* enterprise accounts do not read the bureau's water figures; nobody without login */
    struct session ent;
    login("ent2", "entpassword456", &ent);
    EXPECT_REQ("GET", "/api/water/section?year=2022", &ent.w, NULL, 403);
    EXPECT_REQ("GET", "/api/water/section?year=2022", NULL, NULL, 401);
}

/* An id from the CLI's list (csv, first data row, first column). */
static long first_id(const char *cli_args)
{
    char cmd[1024], line[512];
    snprintf(cmd, sizeof(cmd), "%s --db %s %s --format csv --limit 1 | sed -n 2p", envgov, db,
             cli_args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    long id = fgets(line, sizeof(line), p) ? atol(line) : 0;
    pclose(p);
    assert_true(id > 0);
    return id;
}

static void t_work_routes(void **state)
{
    (void)state;
    struct who tok = {NULL, NULL, admin_token};
    struct resp r;
    char url[256], cli[256];
    same_as_cli("/api/work?kind=case", "work list --kind case");
    same_as_cli("/api/work?kind=hazard&state=found", "work list --kind hazard --state found");
    same_as_cli("/api/work?overdue=1&today=2022-12-31", "work list --overdue --today 2022-12-31");
    same_as_cli("/api/work/stats?kind=case&year=2022", "work stats --kind case --year 2022");
    same_as_cli("/api/work/stats?kind=hazard&year=2022&today=2022-12-31",
                "work stats --kind hazard --year 2022 --today 2022-12-31");
    same_as_cli("/api/work/kinds", "work kinds");
    long id5 = first_id("work list --kind rectification");
    snprintf(url, sizeof(url), "/api/work/%ld", id5);
    snprintf(cli, sizeof(cli), "work show %ld", id5);
    same_record_as_cli(url, cli);
    /* paging and changed_since */
    req("GET", "/api/work?kind=hazard&limit=5&offset=5", &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    json_t *v = json_of(&r);
    assert_int_equal(json_array_size(json_object_get(v, "items")), 5);
    assert_true(json_integer_value(json_object_get(v, "total")) > 1000);
    json_decref(v);
    resp_free(&r);
    req("GET", "/api/work?changed_since=2099-01-01T00:00:00Z", &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_int_equal(total_of(&r), 0);
    resp_free(&r);
    req("GET", "/api/work?kind=nonsense", &tok, NULL, &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "kind");
    resp_free(&r);
    EXPECT_REQ("GET", "/api/work/abc", &tok, NULL, 400);
    EXPECT_REQ("GET", "/api/work/999999", &tok, NULL, 404);

    /* moves: a case under investigation */
    long cid = first_id("work list --kind case --state investigating");
    char move[64], next[64];
    snprintf(move, sizeof(move), "/api/work/%ld/move", cid);
    snprintf(next, sizeof(next), "/api/work/%ld/next", cid);
    struct session water, law, boss, ent;
    login("waterstaff", "staffpassword2", &water);
    login("lawstaff", "staffpassword3", &law);
    login("boss", "leaderpassword1", &boss);
    login("ent2", "entpassword456", &ent);
    EXPECT_REQ("POST", move, NULL, "{\"to\":\"notified\",\"note\":\"x\"}", 401);
    struct who nocsrf = {law.cookie, NULL, NULL};
    req("POST", move, &nocsrf, "{\"to\":\"notified\",\"note\":\"x\"}", &r);
    EXPECT_STATUS(&r, 403);
    expect_field(&r, "X-CSRF-Token");
    resp_free(&r);
    /* investigating → notified is the enforcers' (roles: enforcer) */
    EXPECT_REQ("POST", move, &water.w, "{\"to\":\"notified\",\"note\":\"x\"}", 403);
    EXPECT_REQ("POST", move, &boss.w, "{\"to\":\"notified\",\"note\":\"x\"}", 403);
    /* illegal transition: 409 naming the legal targets */
    req("POST", move, &law.w, "{\"to\":\"closed\"}", &r);
    EXPECT_STATUS(&r, 409);
    expect_field(&r, "to");
    assert_non_null(strstr(r.body, "no transition"));
    assert_non_null(strstr(r.body, "notified"));
    resp_free(&r);
    /* not a state of the kind, and a required note left out: 422 */
    EXPECT_REQ("POST", move, &law.w, "{\"to\":\"fixing\"}", 422);
    req("POST", move, &law.w, "{\"to\":\"notified\"}", &r);
    EXPECT_STATUS(&r, 422);
    assert_non_null(strstr(r.body, "note"));
    resp_free(&r);
    req("POST", move, &law.w, "{\"to\":\"notified\",\"amount\":\"1.234\",\"note\":\"x\"}", &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "amount");
    resp_free(&r);
    /* what the page offers: the legal targets, and which this account may take */
    req("GET", next, &law.w, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_non_null(strstr(r.body, "\"to\":\"notified\""));
    assert_non_null(strstr(r.body, "\"allowed\":true,\"as\":\"enforcer\""));
    resp_free(&r);
    req("POST", move, &law.w, "{\"to\":\"notified\",\"note\":\"告知书〔2022〕1号\"}", &r);
    EXPECT_STATUS(&r, 200);
    assert_non_null(strstr(r.body, "\"state\":\"notified\""));
    resp_free(&r);
    /* notified → decided is the head's: the leader acts as head; note and amount required */
    EXPECT_REQ("POST", move, &boss.w, "{\"to\":\"decided\",\"note\":\"决定书1号\"}", 422);
    EXPECT_REQ("POST", move, &boss.w,
               "{\"to\":\"decided\",\"note\":\"决定书1号\",\"amount\":\"50000.00\"}", 200);
    snprintf(url, sizeof(url), "/api/work/%ld", cid);
    req("GET", url, &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_non_null(strstr(r.body, "\"actor\":\"boss\",\"role\":\"head\",\"from\":\"notified\","
                                   "\"to\":\"decided\",\"note\":\"决定书1号\""));
    assert_non_null(strstr(r.body, "\"amount_yuan\":50000.00"));
    resp_free(&r);
    /* audited with before and after */
    req("GET", "/api/audit?limit=100000", &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    snprintf(cli, sizeof(cli), "\"target\":\"work:%ld\"", cid);
    assert_non_null(strstr(r.body, cli));
    assert_non_null(strstr(r.body, "\\\"state\\\":\\\"notified\\\",\\\"open\\\":true}\","
                                   "\"after\":\"{\\\"id\\\""));
    resp_free(&r);
    /* a new item; enterprise accounts may not create */
    req("POST", "/api/work", &water.w,
        "{\"kind\":\"hazard\",\"title\":\"排口异味\",\"unit\":\"大洼区\"}", &r);
    EXPECT_STATUS(&r, 201);
    assert_non_null(strstr(r.body, "\"state\":\"found\""));
    resp_free(&r);
    req("POST", "/api/work", &water.w, "{\"kind\":\"weather\",\"title\":\"x\"}", &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "kind");
    resp_free(&r);
    EXPECT_REQ("POST", "/api/work", &ent.w, "{\"kind\":\"hazard\",\"title\":\"x\"}", 403);
    /* an enterprise account sees only its own items */
    req("GET", "/api/work", &ent.w, NULL, &r);
    EXPECT_STATUS(&r, 200);
    v = json_of(&r);
    size_t i;
    json_t *it;
    assert_true(json_array_size(json_object_get(v, "items")) > 0);
    json_array_foreach(json_object_get(v, "items"), i, it)
        assert_string_equal(json_string_value(json_object_get(it, "enterprise")), own_uscc);
    json_decref(v);
    resp_free(&r);
    req("GET", url, &ent.w, NULL, &r); /* the case above is another enterprise's */
    EXPECT_STATUS(&r, 404);
    resp_free(&r);
    EXPECT_REQ("POST", move, &ent.w, "{\"to\":\"executing\"}", 404);
}

static void t_enterprise_routes(void **state)
{
    (void)state;
    struct resp r;
    char url[128], cli[128];
    same_as_cli("/api/enterprises?limit=100000", "enterprise list");
    same_as_cli("/api/enterprises?region=%E5%A4%A7%E6%B4%BC%E5%8C%BA",
                "enterprise list --region 大洼区");
    snprintf(url, sizeof(url), "/api/enterprises/%s", own_uscc);
    snprintf(cli, sizeof(cli), "enterprise show %s", own_uscc);
    same_record_as_cli(url, cli);
    struct session ent;
    login("ent2", "entpassword456", &ent);
    req("GET", url, &ent.w, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_non_null(strstr(r.body, "\"outlets\":["));
    assert_non_null(strstr(r.body, "\"credit\":[{"));
    resp_free(&r);
    EXPECT_REQ("GET", "/api/enterprises/91211102366676195N", &ent.w, NULL, 403);
    req("GET", "/api/enterprises", &ent.w, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_int_equal(total_of(&r), 1);
    resp_free(&r);
    struct who tok = {NULL, NULL, admin_token};
    req("GET", "/api/enterprises/912111047849086578", &tok, NULL, &r); /* wrong check char */
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "uscc");
    resp_free(&r);
}

static void t_devices_routes(void **state)
{
    (void)state;
    struct who tok = {NULL, NULL, admin_token};
    struct resp r;
    same_as_cli("/api/devices", "device list");
    same_record_as_cli("/api/devices/88888880000001", "device show 88888880000001");
    same_as_cli("/api/credit", "credit list");
    same_as_cli("/api/emergency?year=2022&level=red", "emergency list --year 2022 --level red");
    same_record_as_cli("/api/draws/1/replay", "inspect replay 1");
    EXPECT_REQ("GET", "/api/alarms", &tok, NULL, 200);
    req("GET", "/api/data?from=2022-01-01&to=2022-01-02&limit=10", &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_int_equal(total_of(&r), 0);
    resp_free(&r);
    req("GET", "/api/data?from=yesterday", &tok, NULL, &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "from");
    resp_free(&r);
    req("GET", "/api/draws", &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_int_equal(total_of(&r), 1);
    resp_free(&r);
    req("GET", "/api/draws/1", &tok, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_null(strstr(r.body, "\"match\""));
    resp_free(&r);
    EXPECT_REQ("GET", "/api/draws/99", &tok, NULL, 404);
    req("GET", "/api/emergency?year=2022&level=purple", &tok, NULL, &r);
    EXPECT_STATUS(&r, 400);
    expect_field(&r, "level");
    resp_free(&r);
    /* an enterprise account: no outlets with devices → none; its own credit only */
    struct session ent;
    login("ent2", "entpassword456", &ent);
    req("GET", "/api/devices", &ent.w, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_int_equal(total_of(&r), 0);
    resp_free(&r);
    EXPECT_REQ("GET", "/api/devices/88888880000001", &ent.w, NULL, 404);
    EXPECT_REQ("GET", "/api/data", &ent.w, NULL, 403);
    EXPECT_REQ("GET", "/api/credit?enterprise=91211102366676195N", &ent.w, NULL, 403);
    EXPECT_REQ("GET", "/api/draws", &ent.w, NULL, 403);
}

static void t_public_routes(void **state)
{
    (void)state;
    struct resp r;
    req("GET", "/api/public/water/cwqi?year=2022&compare=2021", NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_non_null(strstr(r.body, "\"change_pct\":"));
    resp_free(&r);
    req("GET", "/api/public/water/section?year=2022", NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_true(total_of(&r) >= 9);
    resp_free(&r);
    req("GET", "/api/public/credit", NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_int_equal(total_of(&r), 1);
    resp_free(&r);
    req("GET", "/api/public/draws", NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_int_equal(total_of(&r), 1);
    assert_null(strstr(r.body, "inspectors")); /* the public list names no inspector */
    resp_free(&r);
    req("GET", "/api/public/penalties?year=2022", NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    assert_true(total_of(&r) >= 59);
    json_t *v = json_of(&r);
    json_t *p0 = json_array_get(json_object_get(v, "items"), 0);
    assert_true(json_real_value(json_object_get(p0, "amount_yuan")) > 0);
    json_decref(v);
    resp_free(&r);
    req("GET", "/api/work", NULL, NULL, &r); /* everything else needs a login */
    EXPECT_STATUS(&r, 401);
    resp_free(&r);
}

static void t_rate_limit(void **state)
{
    (void)state;
    struct resp r;
    int last = 0;
    for (int i = 0; i < 12; i++) {
        req("POST", "/api/login", NULL, "{\"username\":\"boss\",\"password\":\"guess-guess\"}", &r);
        last = r.status;
        assert_true(r.status == 401 || r.status == 429);
        resp_free(&r);
    }
    assert_int_equal(last, 429);
    /* even the right password is refused while the account is locked out */
    EXPECT_REQ("POST", "/api/login", NULL,
               "{\"username\":\"boss\",\"password\":\"leaderpassword1\"}", 429);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_http_api ENVGOV DATA_DIR [WEB_DIST]\n");
        return 2;
    }
    envgov = argv[1];
    datadir = argv[2];
    struct stat st;
    webdist = argc > 3 && stat(argv[3], &st) == 0 ? argv[3] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_openapi),        cmocka_unit_test(t_security_headers),
        cmocka_unit_test(t_login),          cmocka_unit_test(t_unauthenticated),
        cmocka_unit_test(t_csrf),           cmocka_unit_test(t_roles),
        cmocka_unit_test(t_body_limit),     cmocka_unit_test(t_traversal),
        cmocka_unit_test(t_injection),      cmocka_unit_test(t_paging),
        cmocka_unit_test(t_air_routes),     cmocka_unit_test(t_exports),
        cmocka_unit_test(t_users_audit),    cmocka_unit_test(t_water_routes),
        cmocka_unit_test(t_work_routes),    cmocka_unit_test(t_enterprise_routes),
        cmocka_unit_test(t_devices_routes), cmocka_unit_test(t_public_routes),
        cmocka_unit_test(t_rate_limit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
