/* auth.c — the SQLite implementation of the auth domain (store.h "auth"): accounts, sessions,
 * API tokens and the audit log, with the domain's own migrations.
 *
 * The audit table is append-only: triggers abort any UPDATE or DELETE on it, so neither the API
 * nor a stray statement can rewrite history (only a file-level edit can, which the bureau's
 * backups and the WAL's checksums make visible).  Every statement is a constant with bound
 * parameters, prepared once per connection through sq__prep.
 */
#include <string.h>
#include <time.h>

#include "sqlite-int.h"

static const char *const auth_steps[] = {
    /* 1: accounts, sessions, tokens, audit log. */
    "CREATE TABLE auth_user ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL,"
    "  department TEXT NOT NULL DEFAULT '',"
    "  enterprise TEXT NOT NULL DEFAULT '',"
    "  hash TEXT NOT NULL,"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  created INTEGER NOT NULL,"
    "  updated INTEGER NOT NULL"
    ");"
    "CREATE INDEX auth_user_updated ON auth_user(updated);"
    "CREATE TABLE auth_session ("
    "  id BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 32),"
    "  user INTEGER NOT NULL REFERENCES auth_user(id) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  expires INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX auth_session_user ON auth_session(user);"
    "CREATE TABLE auth_token ("
    "  id BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 32),"
    "  user INTEGER NOT NULL REFERENCES auth_user(id) ON DELETE CASCADE,"
    "  label TEXT NOT NULL DEFAULT '',"
    "  created INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  at INTEGER NOT NULL,"
    "  who TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  target TEXT NOT NULL,"
    "  before TEXT,"
    "  after TEXT,"
    "  ip TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX audit_at ON audit(at);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN "
    "  SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN "
    "  SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
};

const struct sq__domain sq__domain_auth = {"auth", auth_steps,
                                           (int)(sizeof(auth_steps) / sizeof(auth_steps[0]))};

static const char SQL_USER_ADD[] =
    "INSERT INTO auth_user(name, role, department, enterprise, hash, disabled, created, updated) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_USER_BY_NAME[] =
    "SELECT id, name, role, department, enterprise, hash, disabled, created, updated "
    "FROM auth_user WHERE name = ?1";
static const char SQL_USER_BY_ID[] =
    "SELECT id, name, role, department, enterprise, hash, disabled, created, updated "
    "FROM auth_user WHERE id = ?1";
static const char SQL_USER_UPDATE[] =
    "UPDATE auth_user SET role = ?2, department = ?3, enterprise = ?4, hash = ?5, disabled = ?6, "
    "updated = ?7 WHERE id = ?1";
static const char SQL_USER_EACH[] =
    "SELECT id, name, role, department, enterprise, hash, disabled, created, updated "
    "FROM auth_user WHERE updated >= ?1 ORDER BY name";
static const char SQL_SESSION_PUT[] =
    "INSERT INTO auth_session(id, user, csrf, created, expires) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_SESSION_GET[] =
    "SELECT user, csrf, created, expires FROM auth_session WHERE id = ?1 AND expires > ?2";
static const char SQL_SESSION_DEL[] = "DELETE FROM auth_session WHERE id = ?1";
static const char SQL_SESSION_DEL_USER[] = "DELETE FROM auth_session WHERE user = ?1";
static const char SQL_SESSION_EXPIRE[] = "DELETE FROM auth_session WHERE expires <= ?1";
static const char SQL_TOKEN_PUT[] =
    "INSERT INTO auth_token(id, user, label, created) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_TOKEN_GET[] = "SELECT user, label, created FROM auth_token WHERE id = ?1";
static const char SQL_AUDIT_ADD[] = "INSERT INTO audit(at, who, action, target, before, after, ip) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_AUDIT_EACH[] =
    "SELECT id, at, who, action, target, before, after, ip FROM audit "
    "WHERE at >= ?1 AND id > ?2 ORDER BY id LIMIT ?3";

static int done(struct sq_store *d, sqlite3_stmt *st, int rc, const char *what,
                struct eg_errbuf *eb)
{
    int r = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq__err(d->db, eb, what);
    sqlite3_reset(st);
    return r;
}

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    size_t len = t ? strnlen((const char *)t, n - 1) : 0;
    if (len)
        memcpy(out, t, len);
    out[len] = 0;
}

int sq__user_add(struct store *s, const struct store_user *u, int64_t *ret_id, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_USER_ADD, eb);
    if (!st)
        return EG_EDB;
    sqlite3_bind_text(st, 1, u->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, u->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, u->department, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, u->enterprise, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, u->hash, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, u->disabled);
    sqlite3_bind_int64(st, 7, u->created);
    sqlite3_bind_int64(st, 8, u->updated);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
        sqlite3_reset(st);
        return eg_errf(eb, EG_EEXIST, "account \"%s\" exists already", u->name);
    }
    if ((rc = done(d, st, rc, "adding an account", eb)))
        return rc;
    if (ret_id)
        *ret_id = sqlite3_last_insert_rowid(d->db);
    return 0;
}

static void read_user(sqlite3_stmt *st, struct store_user *u)
{
    memset(u, 0, sizeof(*u));
    u->id = sqlite3_column_int64(st, 0);
    copy_col(st, 1, u->name, sizeof(u->name));
    copy_col(st, 2, u->role, sizeof(u->role));
    copy_col(st, 3, u->department, sizeof(u->department));
    copy_col(st, 4, u->enterprise, sizeof(u->enterprise));
    copy_col(st, 5, u->hash, sizeof(u->hash));
    u->disabled = sqlite3_column_int(st, 6) != 0;
    u->created = sqlite3_column_int64(st, 7);
    u->updated = sqlite3_column_int64(st, 8);
}

int sq__user_get(struct store *s, const char *name, int64_t id, struct store_user *ret,
                 struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, name ? SQL_USER_BY_NAME : SQL_USER_BY_ID, eb);
    if (!st)
        return EG_EDB;
    if (name)
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_user(st, ret);
        sqlite3_reset(st);
        return 0;
    }
    if ((rc = done(d, st, rc, "reading an account", eb)))
        return rc;
    return eg_errf(eb, EG_ENOTFOUND, "no such account");
}

int sq__user_update(struct store *s, const struct store_user *u, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_USER_UPDATE, eb);
    if (!st)
        return EG_EDB;
    sqlite3_bind_int64(st, 1, u->id);
    sqlite3_bind_text(st, 2, u->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, u->department, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, u->enterprise, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, u->hash, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, u->disabled);
    sqlite3_bind_int64(st, 7, u->updated);
    int rc = done(d, st, sqlite3_step(st), "updating an account", eb);
    if (rc)
        return rc;
    if (sqlite3_changes(d->db) == 0)
        return eg_errf(eb, EG_ENOTFOUND, "no such account");
    return 0;
}

int sq__user_each(struct store *s, int64_t changed_since, store_user_cb cb, void *ud,
                  struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_USER_EACH, eb);
    if (!st)
        return EG_EDB;
    sqlite3_bind_int64(st, 1, changed_since);
    int rc, r = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_user u;
        read_user(st, &u);
        if ((r = cb(ud, &u)))
            break;
    }
    if (r) {
        sqlite3_reset(st);
        return r;
    }
    return done(d, st, rc, "listing accounts", eb);
}

int sq__session_put(struct store *s, const struct store_session *se, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_SESSION_PUT, eb);
    if (!st)
        return EG_EDB;
    sqlite3_bind_blob(st, 1, se->id, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, se->user);
    sqlite3_bind_text(st, 3, se->csrf, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, se->created);
    sqlite3_bind_int64(st, 5, se->expires);
    return done(d, st, sqlite3_step(st), "opening a session", eb);
}

int sq__session_get(struct store *s, const unsigned char id[32], int64_t now,
                    struct store_session *ret, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_SESSION_GET, eb);
    if (!st)
        return EG_EDB;
    sqlite3_bind_blob(st, 1, id, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(ret, 0, sizeof(*ret));
        memcpy(ret->id, id, 32);
        ret->user = sqlite3_column_int64(st, 0);
        copy_col(st, 1, ret->csrf, sizeof(ret->csrf));
        ret->created = sqlite3_column_int64(st, 2);
        ret->expires = sqlite3_column_int64(st, 3);
        sqlite3_reset(st);
        return 0;
    }
    if ((rc = done(d, st, rc, "reading a session", eb)))
        return rc;
    return eg_errf(eb, EG_ENOTFOUND, "no such session");
}

int sq__session_del(struct store *s, const unsigned char *id, int64_t user, int64_t now,
                    struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, id ? SQL_SESSION_DEL : SQL_SESSION_DEL_USER, eb);
    if (!st)
        return EG_EDB;
    if (id)
        sqlite3_bind_blob(st, 1, id, 32, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, user);
    int rc = done(d, st, sqlite3_step(st), "closing a session", eb);
    if (rc)
        return rc;
    if (!(st = sq__prep(d, SQL_SESSION_EXPIRE, eb)))
        return EG_EDB;
    sqlite3_bind_int64(st, 1, now);
    return done(d, st, sqlite3_step(st), "dropping expired sessions", eb);
}

int sq__token_put(struct store *s, const struct store_token *t, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_TOKEN_PUT, eb);
    if (!st)
        return EG_EDB;
    sqlite3_bind_blob(st, 1, t->id, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, t->user);
    sqlite3_bind_text(st, 3, t->label, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, t->created);
    return done(d, st, sqlite3_step(st), "adding a token", eb);
}

int sq__token_get(struct store *s, const unsigned char id[32], struct store_token *ret,
                  struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_TOKEN_GET, eb);
    if (!st)
        return EG_EDB;
    sqlite3_bind_blob(st, 1, id, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(ret, 0, sizeof(*ret));
        memcpy(ret->id, id, 32);
        ret->user = sqlite3_column_int64(st, 0);
        copy_col(st, 1, ret->label, sizeof(ret->label));
        ret->created = sqlite3_column_int64(st, 2);
        sqlite3_reset(st);
        return 0;
    }
    if ((rc = done(d, st, rc, "reading a token", eb)))
        return rc;
    return eg_errf(eb, EG_ENOTFOUND, "no such token");
}

static void bind_opt(sqlite3_stmt *st, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(st, i, t, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

int sq__audit_add(struct store *s, const struct store_audit *a, int64_t *ret_id,
                  struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_AUDIT_ADD, eb);
    if (!st)
        return EG_EDB;
    sqlite3_bind_int64(st, 1, a->at ? a->at : (int64_t)time(NULL));
    sqlite3_bind_text(st, 2, a->who, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, a->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, a->target, -1, SQLITE_STATIC);
    bind_opt(st, 5, a->before);
    bind_opt(st, 6, a->after);
    sqlite3_bind_text(st, 7, a->ip ? a->ip : "", -1, SQLITE_STATIC);
    int rc = done(d, st, sqlite3_step(st), "appending to the audit log", eb);
    if (rc)
        return rc;
    if (ret_id)
        *ret_id = sqlite3_last_insert_rowid(d->db);
    return 0;
}

int sq__audit_each(struct store *s, int64_t since, int64_t after_id, long limit, store_audit_cb cb,
                   void *ud, struct eg_errbuf *eb)
{
    struct sq_store *d = sq__of(s);
    sqlite3_stmt *st = sq__prep(d, SQL_AUDIT_EACH, eb);
    if (!st)
        return EG_EDB;
    sqlite3_bind_int64(st, 1, since);
    sqlite3_bind_int64(st, 2, after_id);
    sqlite3_bind_int64(st, 3, limit);
    int rc, r = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_audit a = {
            .id = sqlite3_column_int64(st, 0),
            .at = sqlite3_column_int64(st, 1),
            .who = (const char *)sqlite3_column_text(st, 2),
            .action = (const char *)sqlite3_column_text(st, 3),
            .target = (const char *)sqlite3_column_text(st, 4),
            .before = (const char *)sqlite3_column_text(st, 5),
            .after = (const char *)sqlite3_column_text(st, 6),
            .ip = (const char *)sqlite3_column_text(st, 7),
        };
        if ((r = cb(ud, &a)))
            break;
    }
    if (r) {
        sqlite3_reset(st);
        return r;
    }
    return done(d, st, rc, "reading the audit log", eb);
}
