/* cache.c — a small answer cache for GET routes marked `cache` in the route table (the air
 * figures): keyed by the full URL with its parameters, kept for cfg.cache_ms and dropped at once
 * by any write through the API (a generation counter).  Data written by other processes (imports,
 * the gateway) shows after at most cache_ms plus one recomputation (stale-while-revalidate).
 * Answers depend only on the URL and the data, never on who asks, since every role that may call
 * such a route sees the same figures.
 */
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "http-int.h"
#include "http-srv.h"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *url_key(struct hreq *r)
{
    struct eg_buf b;
    eg_buf_init(&b, 8192);
    int rc = eg_buf_adds(&b, r->path);
    for (size_t i = 0; i < r->nargs && !rc; i++)
        rc = eg_buf_addf(&b, "%c%s=%s", i ? '&' : '?', r->args[i].k, r->args[i].v);
    char *s = rc ? NULL : eg_arena_strndup(&r->arena, eg_buf_str(&b), b.len);
    eg_buf_done(&b);
    return s;
}

static uint64_t hash(const char *s)
{
    unsigned char h[8];
    crypto_generichash(h, sizeof(h), (const unsigned char *)s, strlen(s), NULL, 0);
    uint64_t k = 0;
    for (int i = 0; i < 8; i++)
        k = k << 8 | h[i];
    return k ? k : 1;
}

/* The slot holding url (hash key), among the HTTP_CACHE_WAYS slots after key; cache_mu held. */
static struct http_cache_slot *find(struct http_server *s, uint64_t key, const char *url)
{
    for (size_t i = 0; i < HTTP_CACHE_WAYS; i++) {
        struct http_cache_slot *c = &s->cache[(key + i) % HTTP_CACHE_SLOTS];
        if (c->key == key && c->url && !strcmp(c->url, url))
            return c;
    }
    return NULL;
}

bool http__cache_get(struct hreq *r, uint64_t *ret_key)
{
    /* downloads carry a file name the cache does not keep: only JSON answers are cached */
    const char *f = hr_arg(r, "format");
    if (f && strcmp(f, "json"))
        return false;
    char *url = url_key(r);
    if (!url)
        return false;
    uint64_t key = hash(url);
    *ret_key = key;
    struct http_server *s = r->srv;
    bool hit = false;
    pthread_mutex_lock(&s->cache_mu);
    struct http_cache_slot *c = find(s, key, url);
    int64_t now = now_ms();
    bool fresh = false;
    if (c && c->generation == s->generation) {
        /* stale-while-revalidate: past its time, the first request recomputes the answer while
         * the others keep getting the previous one, so expiry never stalls every worker at once
         * (a recomputation that fails or hangs is retried after HTTP_CACHE_REFRESH_MS) */
        if (c->expires_ms > now)
            fresh = true;
        else if (c->refresh_ms && now - c->refresh_ms < HTTP_CACHE_REFRESH_MS)
            fresh = true;
        else
            c->refresh_ms = now;
    }
    if (fresh) {
        eg_buf_reset(&r->out);
        hit = eg_buf_add(&r->out, c->body, c->len) == 0;
        if (hit) {
            r->status = c->status;
            r->ctype = c->ctype;
        }
    }
    pthread_mutex_unlock(&s->cache_mu);
    return hit;
}

void http__cache_put(struct hreq *r, uint64_t key)
{
    if (r->disposition || r->out.len > HTTP_CACHE_BYTES)
        return;
    char *url = url_key(r);
    char *body = eg_malloc(r->out.len + 1);
    char *ucopy = url ? eg_strdup(url) : NULL;
    if (!body || !ucopy) {
        eg_free(body);
        eg_free(ucopy);
        return;
    }
    memcpy(body, r->out.p ? r->out.p : "", r->out.len);
    body[r->out.len] = 0;
    struct http_server *s = r->srv;
    pthread_mutex_lock(&s->cache_mu);
    struct http_cache_slot *c = find(s, key, url);
    if (!c) /* a new entry: the first free way, else the one expiring first */
        for (size_t i = 0; i < HTTP_CACHE_WAYS; i++) {
            struct http_cache_slot *w = &s->cache[(key + i) % HTTP_CACHE_SLOTS];
            if (!c || !w->body || (c->body && w->expires_ms < c->expires_ms))
                c = w;
        }
    eg_free(c->body);
    eg_free(c->url);
    c->key = key;
    c->url = ucopy;
    c->body = body;
    c->len = r->out.len;
    c->status = r->status;
    c->ctype = r->ctype;
    c->generation = s->generation;
    c->expires_ms = now_ms() + (int64_t)r->cfg->cache_ms;
    c->refresh_ms = 0;
    pthread_mutex_unlock(&s->cache_mu);
}

void http__cache_bump(struct http_server *s)
{
    pthread_mutex_lock(&s->cache_mu);
    s->generation++;
    pthread_mutex_unlock(&s->cache_mu);
}

void http__cache_clear(struct http_server *s)
{
    for (size_t i = 0; i < HTTP_CACHE_SLOTS; i++) {
        eg_free(s->cache[i].body);
        eg_free(s->cache[i].url);
        s->cache[i].body = s->cache[i].url = NULL;
    }
}
