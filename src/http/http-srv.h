/* http-srv.h — private to src/http/: the server object (server.c) and the state its parts share:
 * the store pool, the login rate limiter (auth.c) and the answer cache (cache.c). */
#ifndef HTTP_SRV_H
#define HTTP_SRV_H

#include <pthread.h>
#include <stdint.h>

#include "http-int.h"

#define HTTP_MAX_THREADS      16
#define HTTP_LIMIT_SLOTS      512
#define HTTP_CACHE_SLOTS      256
#define HTTP_CACHE_BYTES      (4u << 20) /* one cached answer at most */
#define HTTP_CACHE_REFRESH_MS 10000
#define HTTP_CACHE_WAYS       8

struct http_limit_slot {
    uint64_t key; /* hash of "ip:…" or "user:…"; 0 = free */
    int64_t window;
    unsigned failures;
};

struct http_cache_slot {
    uint64_t key;
    char *url; /* the full key text, to rule out hash collisions */
    int64_t expires_ms;
    int64_t refresh_ms; /* a request is recomputing it since (0: none) */
    uint64_t generation;
    int status;
    const char *ctype;
    char *body;
    size_t len;
};

struct http_server {
    struct http_config cfg;
    struct MHD_Daemon *d;
    unsigned port;
    pthread_mutex_t pool_mu;
    pthread_cond_t pool_cv;
    struct store *stores[HTTP_MAX_THREADS];
    struct store *free_stores[HTTP_MAX_THREADS];
    unsigned nstores, nfree;
    pthread_mutex_t limit_mu;
    struct http_limit_slot limits[HTTP_LIMIT_SLOTS];
    pthread_mutex_t cache_mu;
    uint64_t generation; /* bumped by every write through the API */
    struct http_cache_slot cache[HTTP_CACHE_SLOTS];
};

/* cache.c */
bool http__cache_get(struct hreq *r, uint64_t *ret_key);
void http__cache_put(struct hreq *r, uint64_t key);
void http__cache_bump(struct http_server *s);
void http__cache_clear(struct http_server *s);

#endif
