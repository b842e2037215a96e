/* h_audit.c — the audit trail: hr_audit() appends one entry for the change a handler is making
 * (who, when, what, before/after, from where), and /api/audit reads the log with a cursor
 * (?after=ID) and ?changed_since.  The log is append-only in the store itself (triggers).
 */
#include <string.h>

#include "common/eg_time.h"
#include "http-int.h"

int hr_audit(struct hreq *r, const char *target, const char *before, const char *after)
{
    const char *action = hr_strf(r, "%s %s", r->method, r->path);
    struct store_audit a = {
        .at = http__now(),
        .who = r->authed ? r->user.name : "-",
        .action = action ? action : r->method,
        .target = target ? target : "-",
        .before = before,
        .after = after,
        .ip = r->ip,
    };
    return store_audit_add(r->store, &a, NULL, &r->eb);
}

struct audit_out {
    struct hreq *r;
    int64_t last;
};

static void put_json_text(struct fmt *f, const char *key, const char *text)
{
    /* before/after are JSON texts we wrote ourselves; fmt shows them as strings */
    fmt_str(f, key, text);
}

static int on_audit(void *ud, const struct store_audit *a)
{
    struct audit_out *o = ud;
    struct hreq *r = o->r;
    char at[32];
    o->last = a->id;
    if (!hr_row(r))
        return 0;
    eg_unix_format_iso(a->at, at, sizeof(at));
    fmt_row_begin(r->f);
    fmt_int(r->f, "id", a->id);
    fmt_str(r->f, "at", at);
    fmt_str(r->f, "who", a->who);
    fmt_str(r->f, "action", a->action);
    fmt_str(r->f, "target", a->target);
    put_json_text(r->f, "before", a->before);
    put_json_text(r->f, "after", a->after);
    fmt_str(r->f, "ip", a->ip);
    return fmt_row_end(r->f);
}

int h_audit_list(struct hreq *r)
{
    int64_t since = 0;
    long after = 0;
    if (hr_instant(r, "changed_since", &since) < 0 ||
        hr_long(r, "after", 0, 9223372036854775807L, &after) < 0 || hr_table_begin(r))
        return 0;
    /* cursor paging: the store returns one page; ?offset is not used here */
    struct audit_out o = {r, after};
    long lim = r->limit;
    r->offset = 0;
    int rc =
        store_audit_each(r->store, since, after, lim > 10000 ? 10000 : lim, on_audit, &o, &r->eb);
    if (!rc && r->total)
        hr_add_header(r, "X-Next-Cursor", hr_strf(r, "%lld", (long long)o.last));
    return hr_table_end(r, rc, "audit");
}
