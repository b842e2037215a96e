/* http.h — the HTTP server of envgov: the JSON API (docs/api.md, /api/openapi.json), accounts,
 * sessions and the audit log, and the dashboard's static files (web/).
 *
 * One opaque server runs libmicrohttpd in its own threads; `envgov web` runs it alone and
 * `envgov serve` beside the HJ 212 gateway.  Each worker thread borrows a store connection from a
 * small pool for the length of one request.  No libmicrohttpd type leaves src/http/.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "common/eg_err.h"

#define HTTP_DEFAULT_ADDR       "127.0.0.1:8080"
#define HTTP_DEFAULT_BODY_LIMIT (1u << 20)

struct http_config {
    const char *addr;       /* "ADDR:PORT" or "[ADDR6]:PORT"; NULL = HTTP_DEFAULT_ADDR; port 0 =
                               an ephemeral port (see http_server_port) */
    const char *db_path;    /* the store; opened once per worker thread */
    const char *static_dir; /* the built dashboard (web/dist); NULL = no static files */
    const char *city;       /* the bureau's city ("盘锦"): home page and public disclosure */
    size_t body_limit;      /* request body bytes; 0 = HTTP_DEFAULT_BODY_LIMIT; above → 413 */
    unsigned threads;       /* worker threads; 0 = 2 */
    bool access_log;        /* one line per request on standard error */
    bool no_secure_cookie;  /* omit the Secure cookie attribute (plain-HTTP tests only) */
    unsigned cache_ms;      /* keep GET air answers this long (0 = no cache) */
};

struct http_server;
struct store;

/* Open the store pool, bind and start serving.  On success *ret runs until http_server_stop.
 * Errors: EG_EINVAL (bad address), EG_EIO (cannot bind), store errors (EG_EDB, EG_ESTATE). */
int http_server_start(const struct http_config *cfg, struct http_server **ret,
                      struct eg_errbuf *eb) EG_MUST_CHECK;
/* The port actually bound (useful with port 0). */
unsigned http_server_port(const struct http_server *s);
/* Stop accepting, finish running requests, close the pool and free s (NULL allowed). */
void http_server_stop(struct http_server *s);

/* The OpenAPI 3 document generated from the route table, as a NUL-terminated JSON text the caller
 * frees with eg_free. */
int http_openapi_json(char **ret, size_t *ret_len) EG_MUST_CHECK;

/* Password hashing for accounts (Argon2id, libsodium crypto_pwhash_str; interactive limits). */
int http_password_hash(const char *password, char out[128], struct eg_errbuf *eb) EG_MUST_CHECK;
/* A new API token for `user`: the secret (43 characters of base64url) goes to out, only its
 * BLAKE2b-256 digest to the store.  Audited as `who`. */
int http_token_new(struct store *s, const char *user, const char *label, const char *who,
                   char out[64], struct eg_errbuf *eb) EG_MUST_CHECK;

#endif
