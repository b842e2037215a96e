/* auth.c — who is calling: a Bearer API token (Authorization header) or a browser session
 * (the eg_session cookie); password hashing (Argon2id, libsodium crypto_pwhash_str with the
 * interactive limits) and the login rate limiter.
 *
 * Secrets (cookie, token) are 32 random bytes in base64url; the store keeps only their
 * BLAKE2b-256 digest, so a copy of the database grants no session.  Rate limiting: at most
 * HTTP_LOGIN_FAILS failed logins per HTTP_LOGIN_WINDOW_S per client address and per account
 * name; past that, 429 until the window ends (a success clears the account's count).
 */
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "http-int.h"
#include "http-srv.h"

#define HTTP_LOGIN_FAILS    10
#define HTTP_LOGIN_WINDOW_S 300

void http__digest(const char *secret, size_t n, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)secret, n, NULL, 0);
}

void http__random_token(char out[64])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, 64, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int http_password_hash(const char *password, char out[128], struct eg_errbuf *eb)
{
    if (sodium_init() < 0)
        return eg_errf(eb, EG_EIO, "libsodium cannot start");
    size_t n = strlen(password);
    if (n < 10 || n > 1024)
        return eg_errf(eb, EG_EINVAL, "a password must have 10 to 1024 characters");
    if (crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE))
        return eg_errf(eb, EG_ENOMEM, "out of memory hashing the password");
    return 0;
}

int http_token_new(struct store *s, const char *user, const char *label, const char *who,
                   char out[64], struct eg_errbuf *eb)
{
    struct store_user u;
    struct store_token t;
    int rc;
    if (sodium_init() < 0)
        return eg_errf(eb, EG_EIO, "libsodium cannot start");
    if ((rc = store_user_get(s, user, 0, &u, eb)))
        return rc;
    memset(&t, 0, sizeof(t));
    char secret[64];
    http__random_token(secret);
    http__digest(secret, strlen(secret), t.id);
    t.user = u.id;
    t.created = http__now();
    if (label)
        snprintf(t.label, sizeof(t.label), "%s", label);
    char after[256];
    snprintf(after, sizeof(after), "{\"user\":\"%s\",\"label\":\"%s\"}", u.name, t.label);
    struct store_audit a = {.who = who, .action = "token new", .target = "token", .after = NULL};
    /* the label is free text: keep the audit entry valid JSON by leaving it out when odd */
    a.after = strpbrk(t.label, "\"\\") ? NULL : after;
    char target[96];
    snprintf(target, sizeof(target), "token:%s", u.name);
    a.target = target;
    if ((rc = store_begin(s, eb)))
        return rc;
    if ((rc = store_token_put(s, &t, eb)) || (rc = store_audit_add(s, &a, NULL, eb))) {
        store_rollback(s);
        return rc;
    }
    if ((rc = store_commit(s, eb)))
        return rc;
    memcpy(out, secret, 64);
    return 0;
}

int http__identify(struct hreq *r)
{
    unsigned char id[32];
    const char *a = r->authorization;
    if (a && !strncmp(a, "Bearer ", 7)) {
        const char *tok = a + 7;
        size_t n = strnlen(tok, 128);
        struct store_token t;
        if (n == 0 || n >= 128)
            return hr_error(r, 401, "Authorization", "malformed Bearer token");
        http__digest(tok, n, id);
        int rc = store_token_get(r->store, id, &t, &r->eb);
        if (rc == EG_ENOTFOUND)
            return hr_error(r, 401, "Authorization", "unknown API token");
        if (rc)
            return rc;
        if ((rc = store_user_get(r->store, NULL, t.user, &r->user, &r->eb)))
            return rc == EG_ENOTFOUND ? hr_error(r, 401, "Authorization", "unknown API token") : rc;
        if (r->user.disabled)
            return hr_error(r, 401, "Authorization", "the account is locked");
        r->authed = true;
        return 0;
    }
    if (r->cookie_session) {
        size_t n = strnlen(r->cookie_session, 128);
        if (n == 0 || n >= 128)
            return 0;
        http__digest(r->cookie_session, n, id);
        int rc = store_session_get(r->store, id, http__now(), &r->session, &r->eb);
        if (rc == EG_ENOTFOUND) {
            eg_errbuf_clear(&r->eb);
            return 0; /* an expired cookie is no identity */
        }
        if (rc)
            return rc;
        rc = store_user_get(r->store, NULL, r->session.user, &r->user, &r->eb);
        if (rc == EG_ENOTFOUND || (!rc && r->user.disabled)) {
            eg_errbuf_clear(&r->eb);
            return 0;
        }
        if (rc)
            return rc;
        r->authed = true;
        r->via_cookie = true;
    }
    return 0;
}

/* ---- login rate limiting ---- */

static uint64_t limit_key(const char *kind, const char *v)
{
    unsigned char h[8];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof(h));
    crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind));
    crypto_generichash_update(&st, (const unsigned char *)v, strlen(v));
    crypto_generichash_final(&st, h, sizeof(h));
    uint64_t k = 0;
    for (int i = 0; i < 8; i++)
        k = k << 8 | h[i];
    return k ? k : 1;
}

/* The slot of key (or a free/stale one to take); limit_mu held. */
static struct http_limit_slot *slot(struct http_server *s, uint64_t key, bool take)
{
    int64_t now = http__now();
    struct http_limit_slot *victim = NULL;
    for (size_t i = 0; i < HTTP_LIMIT_SLOTS; i++) {
        struct http_limit_slot *sl = &s->limits[(key + i) % HTTP_LIMIT_SLOTS];
        if (sl->key == key)
            return sl;
        if (!victim && (sl->key == 0 || now - sl->window >= HTTP_LOGIN_WINDOW_S))
            victim = sl;
    }
    if (!take)
        return NULL;
    if (!victim) /* table full of live entries: reuse the key's home slot */
        victim = &s->limits[key % HTTP_LIMIT_SLOTS];
    victim->key = key;
    victim->window = now;
    victim->failures = 0;
    return victim;
}

static bool over(struct http_server *s, uint64_t key)
{
    struct http_limit_slot *sl = slot(s, key, false);
    return sl && http__now() - sl->window < HTTP_LOGIN_WINDOW_S && sl->failures >= HTTP_LOGIN_FAILS;
}

bool http__login_allowed(struct http_server *s, const char *ip, const char *user)
{
    pthread_mutex_lock(&s->limit_mu);
    bool ok = !over(s, limit_key("ip:", ip)) && !over(s, limit_key("user:", user));
    pthread_mutex_unlock(&s->limit_mu);
    return ok;
}

static void count(struct http_server *s, uint64_t key)
{
    struct http_limit_slot *sl = slot(s, key, true);
    if (http__now() - sl->window >= HTTP_LOGIN_WINDOW_S) {
        sl->window = http__now();
        sl->failures = 0;
    }
    sl->failures++;
}

void http__login_failed(struct http_server *s, const char *ip, const char *user)
{
    pthread_mutex_lock(&s->limit_mu);
    count(s, limit_key("ip:", ip));
    count(s, limit_key("user:", user));
    pthread_mutex_unlock(&s->limit_mu);
}

void http__login_ok(struct http_server *s, const char *ip, const char *user)
{
    (void)ip;
    pthread_mutex_lock(&s->limit_mu);
    struct http_limit_slot *sl = slot(s, limit_key("user:", user), false);
    if (sl)
        sl->failures = 0;
    pthread_mutex_unlock(&s->limit_mu);
}
