/* store_auth.c — the auth domain of the store (store.h "auth"): accounts, browser sessions, API
 * tokens and the append-only audit log.  Checks the arguments every back-end shares (names are
 * 1..64 printable bytes without control characters, roles and departments from fixed lists), then
 * dispatches through struct store_ops.  The HTTP layer (src/http/) decides what they mean.
 */
#include <string.h>

#include "store-int.h"
#include "store.h"

static int check_name(const char *s, struct eg_errbuf *eb)
{
    size_t n = s ? strnlen(s, STORE_AUTH_NAME_MAX + 1) : 0;
    if (n == 0 || n > STORE_AUTH_NAME_MAX)
        return eg_errf(eb, EG_EINVAL, "account name must be 1 to %d bytes", STORE_AUTH_NAME_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x21 || c == 0x7f || c == '/' || c == '\\' || c == ':')
            return eg_errf(eb, EG_EINVAL, "account name \"%.*s\": invalid character", (int)n, s);
    }
    return 0;
}

static int one_of(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(s, list[i]))
            return 1;
    return 0;
}

static const char *const roles[] = {"admin", "staff", "leader", "enterprise", NULL};
static const char *const departments[] = {"air",         "water",      "soil",
                                          "enforcement", "monitoring", NULL};

static int check_user(const struct store_user *u, struct eg_errbuf *eb)
{
    int rc;
    if (!u)
        return eg_errf(eb, EG_EINVAL, "no account");
    if ((rc = check_name(u->name, eb)))
        return rc;
    if (!one_of(u->role, roles))
        return eg_errf(eb, EG_EINVAL, "role \"%s\" is not admin, staff, leader or enterprise",
                       u->role);
    if (!strcmp(u->role, "staff") ? !one_of(u->department, departments) : u->department[0] != 0)
        return eg_errf(eb, EG_EINVAL,
                       "department: staff need one of air, water, soil, enforcement, monitoring; "
                       "other roles none");
    if (strcmp(u->role, "enterprise") && u->enterprise[0])
        return eg_errf(eb, EG_EINVAL, "only enterprise accounts name an enterprise");
    if (strnlen(u->hash, STORE_AUTH_HASH_MAX) >= STORE_AUTH_HASH_MAX || !u->hash[0])
        return eg_errf(eb, EG_EINVAL, "password hash missing or too long");
    return 0;
}

int store_user_add(struct store *s, const struct store_user *u, int64_t *ret_id,
                   struct eg_errbuf *eb)
{
    int rc = check_user(u, eb);
    return rc ? rc : s->ops->user_add(s, u, ret_id, eb);
}

int store_user_get(struct store *s, const char *name, int64_t id, struct store_user *ret,
                   struct eg_errbuf *eb)
{
    if (name && strnlen(name, STORE_AUTH_NAME_MAX + 1) > STORE_AUTH_NAME_MAX)
        return eg_errf(eb, EG_ENOTFOUND, "no such account");
    return s->ops->user_get(s, name, id, ret, eb);
}

int store_user_update(struct store *s, const struct store_user *u, struct eg_errbuf *eb)
{
    int rc = check_user(u, eb);
    return rc ? rc : s->ops->user_update(s, u, eb);
}

int store_user_each(struct store *s, int64_t changed_since, store_user_cb cb, void *ud,
                    struct eg_errbuf *eb)
{
    return s->ops->user_each(s, changed_since, cb, ud, eb);
}

int store_session_put(struct store *s, const struct store_session *se, struct eg_errbuf *eb)
{
    if (!se || strnlen(se->csrf, STORE_AUTH_CSRF_MAX + 1) > STORE_AUTH_CSRF_MAX ||
        se->expires <= se->created)
        return eg_errf(eb, EG_EINVAL, "invalid session");
    return s->ops->session_put(s, se, eb);
}

int store_session_get(struct store *s, const unsigned char id[32], int64_t now,
                      struct store_session *ret, struct eg_errbuf *eb)
{
    return s->ops->session_get(s, id, now, ret, eb);
}

int store_session_del(struct store *s, const unsigned char *id, int64_t user, int64_t now,
                      struct eg_errbuf *eb)
{
    return s->ops->session_del(s, id, user, now, eb);
}

int store_token_put(struct store *s, const struct store_token *t, struct eg_errbuf *eb)
{
    if (!t || strnlen(t->label, STORE_AUTH_NAME_MAX + 1) > STORE_AUTH_NAME_MAX)
        return eg_errf(eb, EG_EINVAL, "token label longer than %d bytes", STORE_AUTH_NAME_MAX);
    return s->ops->token_put(s, t, eb);
}

int store_token_get(struct store *s, const unsigned char id[32], struct store_token *ret,
                    struct eg_errbuf *eb)
{
    return s->ops->token_get(s, id, ret, eb);
}

static int check_text(const char *t, size_t max, const char *what, struct eg_errbuf *eb)
{
    if (t && strnlen(t, max + 1) > max)
        return eg_errf(eb, EG_ELIMIT, "audit %s longer than %zu bytes", what, max);
    return 0;
}

int store_audit_add(struct store *s, const struct store_audit *a, int64_t *ret_id,
                    struct eg_errbuf *eb)
{
    int rc;
    if (!a || !a->who || !a->action || !a->target)
        return eg_errf(eb, EG_EINVAL, "an audit entry needs who, action and target");
    if ((rc = check_text(a->who, 256, "who", eb)) ||
        (rc = check_text(a->action, 256, "action", eb)) ||
        (rc = check_text(a->target, 1024, "target", eb)) ||
        (rc = check_text(a->before, STORE_AUTH_AUDIT_MAX, "before", eb)) ||
        (rc = check_text(a->after, STORE_AUTH_AUDIT_MAX, "after", eb)) ||
        (rc = check_text(a->ip, 64, "ip", eb)))
        return rc;
    return s->ops->audit_add(s, a, ret_id, eb);
}

int store_audit_each(struct store *s, int64_t since, int64_t after_id, long limit,
                     store_audit_cb cb, void *ud, struct eg_errbuf *eb)
{
    if (limit < 1 || limit > 10000)
        return eg_errf(eb, EG_ERANGE, "audit page size %ld is not 1 to 10000", limit);
    return s->ops->audit_each(s, since, after_id, limit, cb, ud, eb);
}
