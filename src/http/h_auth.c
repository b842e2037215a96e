/* h_auth.c — /api/login, /api/logout, /api/me, /api/me/password.
 * Login answers 200 with the session cookie (HttpOnly, SameSite=Strict, Secure, Path=/) and
 * {"csrf": TOKEN, "user": {...}}; the browser sends the token back as X-CSRF-Token on every
 * write.  Wrong name or password: 401 with the same message either way, after the same Argon2id
 * work either way; too many failures: 429 (auth.c).
 */
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "http-int.h"
#include "http-srv.h"

static char dummy_hash[STORE_AUTH_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    if (crypto_pwhash_str(dummy_hash, "envgov-no-such-user", 19, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE))
        dummy_hash[0] = 0;
}

static json_t *user_json(const struct store_user *u)
{
    return json_pack("{s:s,s:s,s:s?,s:s?}", "name", u->name, "role", u->role, "department",
                     u->department[0] ? u->department : NULL, "enterprise",
                     u->enterprise[0] ? u->enterprise : NULL);
}

static const char *cookie(struct hreq *r, const char *value, long max_age)
{
    return hr_strf(r, "eg_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s", value,
                   max_age, r->cfg->no_secure_cookie ? "" : "; Secure");
}

int h_login(struct hreq *r)
{
    json_t *b;
    const char *name, *pw;
    struct store_user u;
    int rc;
    if (hr_body(r, &b))
        return 0;
    if (hr_field_str(r, b, "username", true, STORE_AUTH_NAME_MAX, &name) ||
        hr_field_str(r, b, "password", true, 1024, &pw))
        goto out;
    if (!http__login_allowed(r->srv, r->ip, name)) {
        hr_add_header(r, "Retry-After", "300");
        hr_error(r, 429, NULL, "too many failed logins; try again later");
        goto out;
    }
    if (sodium_init() < 0) {
        hr_error(r, 500, NULL, "libsodium cannot start");
        goto out;
    }
    rc = store_user_get(r->store, name, 0, &u, &r->eb);
    if (rc && rc != EG_ENOTFOUND) {
        hr_fail(r, rc);
        goto out;
    }
    bool ok;
    if (rc == EG_ENOTFOUND) {
        pthread_once(&dummy_once, make_dummy);
        /* the same work as for a real account, so timing does not tell names apart */
        int ignored = crypto_pwhash_str_verify(dummy_hash, pw, strlen(pw));
        (void)ignored;
        ok = false;
    } else {
        ok = crypto_pwhash_str_verify(u.hash, pw, strlen(pw)) == 0 && !u.disabled;
    }
    eg_errbuf_clear(&r->eb);
    if (!ok) {
        http__login_failed(r->srv, r->ip, name);
        hr_error(r, 401, NULL, "wrong account name or password");
        goto out;
    }
    http__login_ok(r->srv, r->ip, name);
    char secret[64];
    struct store_session se;
    memset(&se, 0, sizeof(se));
    http__random_token(secret);
    http__digest(secret, strlen(secret), se.id);
    http__random_token(se.csrf);
    se.user = u.id;
    se.created = http__now();
    se.expires = se.created + HTTP_SESSION_TTL_S;
    if ((rc = store_session_put(r->store, &se, &r->eb))) {
        hr_fail(r, rc);
        goto out;
    }
    hr_add_header(r, "Set-Cookie", cookie(r, secret, HTTP_SESSION_TTL_S));
    hr_json(r, 200, json_pack("{s:s,s:o}", "csrf", se.csrf, "user", user_json(&u)));
out:
    json_decref(b);
    return 0;
}

int h_logout(struct hreq *r)
{
    if (r->via_cookie) {
        int rc = store_session_del(r->store, r->session.id, 0, http__now(), &r->eb);
        if (rc)
            return rc;
    }
    hr_add_header(r, "Set-Cookie", cookie(r, "", 0));
    return hr_json(r, 200, json_pack("{s:b}", "ok", 1));
}

int h_me(struct hreq *r)
{
    json_t *u = user_json(&r->user);
    if (r->via_cookie)
        json_object_set_new(u, "csrf", json_string(r->session.csrf));
    return hr_json(r, 200, u);
}

int h_me_password(struct hreq *r)
{
    json_t *b;
    const char *old, *pw;
    int rc;
    if (hr_body(r, &b))
        return 0;
    if (hr_field_str(r, b, "old_password", true, 1024, &old) ||
        hr_field_str(r, b, "new_password", true, 1024, &pw))
        goto out;
    if (crypto_pwhash_str_verify(r->user.hash, old, strlen(old))) {
        hr_error(r, 403, "old_password", "the current password is wrong");
        goto out;
    }
    struct store_user u = r->user;
    if ((rc = http_password_hash(pw, u.hash, &r->eb))) {
        eg_err_at(&r->eb, NULL, 0, 0, "new_password");
        hr_fail(r, rc);
        goto out;
    }
    u.updated = http__now();
    if ((rc = store_user_update(r->store, &u, &r->eb)) ||
        (rc = hr_audit(r, hr_strf(r, "user:%s", u.name), "{\"password\":\"(old)\"}",
                       "{\"password\":\"(changed)\"}"))) {
        hr_fail(r, rc);
        goto out;
    }
    hr_json(r, 200, json_pack("{s:b}", "ok", 1));
out:
    json_decref(b);
    return 0;
}
