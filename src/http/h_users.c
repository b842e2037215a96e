/* h_users.c — accounts (/api/users) and API tokens (/api/tokens), for administrators.
 * Every change is audited with the account's state before and after (never the hash).  Changing
 * a password, role or lock ends the account's open sessions.
 */
#include <stdlib.h>
#include <string.h>

#include "common/eg_time.h"
#include "http-int.h"

static json_t *user_state(const struct store_user *u)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:b}", "name", u->name, "role", u->role, "department",
                     u->department, "enterprise", u->enterprise, "disabled", u->disabled);
}

static char *dump(struct hreq *r, json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(v);
    if (!s)
        return NULL;
    char *a = eg_arena_strndup(&r->arena, s, strlen(s));
    free(s);
    return a;
}

static void put_time(struct fmt *f, const char *key, int64_t t)
{
    char buf[32];
    eg_unix_format_iso(t, buf, sizeof(buf));
    fmt_str(f, key, buf);
}

static int on_user(void *ud, const struct store_user *u)
{
    struct hreq *r = ud;
    if (!hr_row(r))
        return 0;
    fmt_row_begin(r->f);
    fmt_str(r->f, "name", u->name);
    fmt_str(r->f, "role", u->role);
    fmt_str(r->f, "department", u->department[0] ? u->department : NULL);
    fmt_str(r->f, "enterprise", u->enterprise[0] ? u->enterprise : NULL);
    fmt_bool(r->f, "disabled", u->disabled);
    put_time(r->f, "created", u->created);
    put_time(r->f, "updated", u->updated);
    return fmt_row_end(r->f);
}

int h_users_list(struct hreq *r)
{
    int64_t since = 0;
    if (hr_instant(r, "changed_since", &since) < 0 || hr_table_begin(r))
        return 0;
    return hr_table_end(r, store_user_each(r->store, since, on_user, r, &r->eb), "users");
}

/* role, department and enterprise fields of a body onto u; -1 with the error set */
static int apply_fields(struct hreq *r, json_t *b, struct store_user *u)
{
    const char *role, *dept, *ent;
    if (hr_field_str(r, b, "role", false, 15, &role) ||
        hr_field_str(r, b, "department", false, 15, &dept) ||
        hr_field_str(r, b, "enterprise", false, 32, &ent))
        return -1;
    if (role) {
        snprintf(u->role, sizeof(u->role), "%s", role);
        if (strcmp(role, "staff"))
            u->department[0] = 0;
        if (strcmp(role, "enterprise"))
            u->enterprise[0] = 0;
    }
    if (dept)
        snprintf(u->department, sizeof(u->department), "%s", dept);
    if (ent)
        snprintf(u->enterprise, sizeof(u->enterprise), "%s", ent);
    json_t *d = json_object_get(b, "disabled");
    if (d && !json_is_boolean(d))
        return hr_error(r, 400, "disabled", "disabled must be true or false"), -1;
    if (d)
        u->disabled = json_is_true(d);
    return 0;
}

/* Write u (add or update) and its audit entry in one transaction. */
static int save(struct hreq *r, struct store_user *u, bool add, const char *before,
                bool end_sessions)
{
    int rc;
    const char *after = dump(r, user_state(u));
    if ((rc = store_begin(r->store, &r->eb)))
        return rc;
    if (add)
        rc = store_user_add(r->store, u, &u->id, &r->eb);
    else
        rc = store_user_update(r->store, u, &r->eb);
    if (!rc && end_sessions)
        rc = store_session_del(r->store, NULL, u->id, http__now(), &r->eb);
    if (!rc)
        rc = hr_audit(r, hr_strf(r, "user:%s", u->name), before, after);
    if (rc) {
        store_rollback(r->store);
        return rc;
    }
    return store_commit(r->store, &r->eb);
}

static int field_error(struct hreq *r, int rc)
{
    /* store_auth.c names what is wrong in the message; point at the likeliest field */
    if (rc == EG_EINVAL && !r->eb.field[0]) {
        const char *m = r->eb.msg;
        eg_err_at(&r->eb, NULL, 0, 0,
                  strstr(m, "department")   ? "department"
                  : strstr(m, "role")       ? "role"
                  : strstr(m, "enterprise") ? "enterprise"
                  : strstr(m, "password")   ? "password"
                                            : "name");
    }
    return hr_fail(r, rc);
}

int h_users_add(struct hreq *r)
{
    json_t *b;
    const char *name, *pw;
    struct store_user u;
    int rc;
    if (hr_body(r, &b))
        return 0;
    memset(&u, 0, sizeof(u));
    if (hr_field_str(r, b, "name", true, STORE_AUTH_NAME_MAX, &name) ||
        hr_field_str(r, b, "password", true, 1024, &pw) || apply_fields(r, b, &u))
        goto out;
    if (!json_object_get(b, "role")) {
        hr_error(r, 400, "role", "role is required");
        goto out;
    }
    snprintf(u.name, sizeof(u.name), "%s", name);
    if ((rc = http_password_hash(pw, u.hash, &r->eb))) {
        eg_err_at(&r->eb, NULL, 0, 0, "password");
        hr_fail(r, rc);
        goto out;
    }
    u.created = u.updated = http__now();
    if ((rc = save(r, &u, true, NULL, false))) {
        field_error(r, rc);
        goto out;
    }
    hr_json(r, 201, user_state(&u));
out:
    json_decref(b);
    return 0;
}

int h_users_patch(struct hreq *r)
{
    json_t *b;
    const char *pw;
    struct store_user u;
    int rc = store_user_get(r->store, r->pathv[0], 0, &u, &r->eb);
    if (rc)
        return rc;
    if (hr_body(r, &b))
        return 0;
    const char *before = dump(r, user_state(&u));
    struct store_user old = u;
    if (apply_fields(r, b, &u) || hr_field_str(r, b, "password", false, 1024, &pw))
        goto out;
    if (pw && (rc = http_password_hash(pw, u.hash, &r->eb))) {
        eg_err_at(&r->eb, NULL, 0, 0, "password");
        hr_fail(r, rc);
        goto out;
    }
    u.updated = http__now();
    bool end = pw || strcmp(old.role, u.role) || strcmp(old.department, u.department) ||
               (u.disabled && !old.disabled);
    if ((rc = save(r, &u, false, before, end))) {
        field_error(r, rc);
        goto out;
    }
    hr_json(r, 200, user_state(&u));
out:
    json_decref(b);
    return 0;
}

int h_tokens_add(struct hreq *r)
{
    json_t *b;
    const char *user, *label;
    char tok[64];
    if (hr_body(r, &b))
        return 0;
    if (hr_field_str(r, b, "user", true, STORE_AUTH_NAME_MAX, &user) ||
        hr_field_str(r, b, "label", false, STORE_AUTH_NAME_MAX, &label))
        goto out;
    int rc = http_token_new(r->store, user, label, r->user.name, tok, &r->eb);
    if (rc) {
        if (rc == EG_ENOTFOUND)
            eg_err_at(&r->eb, NULL, 0, 0, "user");
        hr_fail(r, rc);
        goto out;
    }
    hr_json(r, 201, json_pack("{s:s,s:s,s:s?}", "token", tok, "user", user, "label", label));
out:
    json_decref(b);
    return 0;
}
