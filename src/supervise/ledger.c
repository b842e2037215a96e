/* ledger.c — import a ledger (台账) of tracked work: one CSV row per event, in time order.
 *
 * Bureaus keep past years' tasks, petitions, hazards and cases in spreadsheets; this brings them in
 * through the same engine as `work new` / `work move` (every rule and deadline applies, the event
 * log is the record), in one transaction: a bad row rejects the whole file with its line, column
 * and reason, and nothing of the file is kept.
 *
 * Header (any order; more columns allowed): ref, at, and then
 *   creation rows: kind, title [, enterprise, unit, person, point, round, due, note]
 *   move rows:     to [, note, amount (yuan, exact to the fen), evidence (a file, relative to
 *                  the ledger's directory: its hash is logged), role, actor]
 * `ref` names an item within the file (a ledger number); its first row creates it and must carry
 * kind and title, later rows move it and must carry `to`.
 */
#include <stdio.h>
#include <string.h>

#include "common/eg_buf.h"
#include "common/eg_csv.h"
#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "store/store.h"
#include "supervise-int.h"

#define LEDGER_FILE_LIMIT ((size_t)256 << 20)
#define LEDGER_MAX_REFS   2000000
#define LEDGER_TEXT_MAX   1024

enum col {
    C_REF,
    C_AT,
    C_KIND,
    C_TITLE,
    C_ENTERPRISE,
    C_UNIT,
    C_PERSON,
    C_POINT,
    C_ROUND,
    C_DUE,
    C_TO,
    C_NOTE,
    C_AMOUNT,
    C_EVIDENCE,
    C_ROLE,
    C_ACTOR,
    C_N
};

static const char *const col_names[C_N] = {
    "ref",   "at",  "kind", "title", "enterprise", "unit",     "person", "point",
    "round", "due", "to",   "note",  "amount",     "evidence", "role",   "actor"};

/* ref → item id, an open-addressing table owned by the import. */
struct refmap {
    char **key;
    int64_t *id;
    size_t cap, n;
};

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static int64_t *ref_find(struct refmap *m, const char *s, size_t n)
{
    if (!m->cap)
        return NULL;
    for (size_t i = hash(s, n) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->key[i])
            return NULL;
        if (strlen(m->key[i]) == n && !memcmp(m->key[i], s, n))
            return &m->id[i];
    }
}

static int ref_add(struct refmap *m, const char *s, size_t n, int64_t id)
{
    if (m->n >= LEDGER_MAX_REFS)
        return EG_ELIMIT;
    if (2 * (m->n + 1) > m->cap) {
        struct refmap g = {0};
        g.cap = m->cap ? m->cap * 2 : 1024;
        g.key = eg_calloc(g.cap, sizeof(*g.key));
        g.id = eg_calloc(g.cap, sizeof(*g.id));
        if (!g.key || !g.id) {
            eg_free(g.key);
            eg_free(g.id);
            return EG_ENOMEM;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->key[i]) {
                size_t j = hash(m->key[i], strlen(m->key[i])) & (g.cap - 1);
                while (g.key[j])
                    j = (j + 1) & (g.cap - 1);
                g.key[j] = m->key[i];
                g.id[j] = m->id[i];
            }
        eg_free(m->key);
        eg_free(m->id);
        g.n = m->n;
        *m = g;
    }
    size_t i = hash(s, n) & (m->cap - 1);
    while (m->key[i])
        i = (i + 1) & (m->cap - 1);
    if (!(m->key[i] = eg_strndup(s, n)))
        return EG_ENOMEM;
    m->id[i] = id;
    m->n++;
    return 0;
}

static void ref_done(struct refmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        eg_free(m->key[i]);
    eg_free(m->key);
    eg_free(m->id);
}

/* A field as a NUL-terminated string in buf; NULL when empty. */
static const char *field(const struct eg_csv *c, const size_t *idx, enum col k, char *buf, size_t n)
{
    if (idx[k] == SIZE_MAX)
        return NULL;
    struct eg_csv_field f = eg_csv_get(c, idx[k]);
    if (!f.n)
        return NULL;
    eg_csv_copy(f, buf, n);
    return buf;
}

int sup_work_import(struct store *s, const char *path, struct sup_import_stats *st,
                    struct eg_errbuf *eb)
{
    char *data = NULL;
    size_t len = 0, idx[C_N];
    struct eg_csv c;
    struct refmap refs = {0};
    struct sup_import_stats tot = {0};
    char dir[1024];
    int rc = eg_file_read(path, LEDGER_FILE_LIMIT, &data, &len, eb);
    if (rc)
        return rc;
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    eg_csv_init(&c, data, len, path);
    c.skip_comments = true;
    if ((rc = eg_csv_next(&c, eb)) <= 0) {
        if (rc == 0)
            rc = eg_err_locf(eb, EG_EPARSE, path, 1, 0, NULL, "empty file");
        goto out;
    }
    for (int k = 0; k < C_N; k++) {
        idx[k] = SIZE_MAX;
        for (size_t i = 0; i < c.nfields; i++)
            if (eg_csv_eq(eg_csv_get(&c, i), col_names[k]))
                idx[k] = i;
    }
    if (idx[C_REF] == SIZE_MAX || idx[C_AT] == SIZE_MAX) {
        rc = eg_err_locf(eb, EG_EPARSE, path, c.line, 0, "header",
                         "the header must have 'ref' and 'at' columns");
        goto out;
    }
    if ((rc = store_begin(s, eb)))
        goto out;
    while ((rc = eg_csv_next(&c, eb)) == 1) {
        char b[C_N][LEDGER_TEXT_MAX];
        struct eg_csv_field ref = eg_csv_get(&c, idx[C_REF]);
        const char *at_s = field(&c, idx, C_AT, b[C_AT], sizeof(b[C_AT]));
        int64_t at;
        if (!ref.n) {
            rc = eg_err_locf(eb, EG_EPARSE, path, c.line, (long)idx[C_REF] + 1, "ref", "empty ref");
            break;
        }
        if (!at_s || eg_iso_parse(at_s, strlen(at_s), &at)) {
            rc = eg_err_locf(eb, EG_EPARSE, path, c.line, (long)idx[C_AT] + 1, "at",
                             "'%s' is not an ISO 8601 date or date-time", at_s ? at_s : "");
            break;
        }
        int64_t *id = ref_find(&refs, ref.s, ref.n);
        struct eg_errbuf row = {0};
        if (!id) {
            struct sup_new n = {0};
            n.kind = field(&c, idx, C_KIND, b[C_KIND], sizeof(b[C_KIND]));
            n.title = field(&c, idx, C_TITLE, b[C_TITLE], sizeof(b[C_TITLE]));
            if (!n.kind || !n.title) {
                rc = eg_err_locf(eb, EG_EPARSE, path, c.line, 0, "kind",
                                 "the first row of item '%.*s' must give its kind and title",
                                 (int)ref.n, ref.s);
                break;
            }
            n.enterprise = field(&c, idx, C_ENTERPRISE, b[C_ENTERPRISE], sizeof(b[C_ENTERPRISE]));
            n.unit = field(&c, idx, C_UNIT, b[C_UNIT], sizeof(b[C_UNIT]));
            n.person = field(&c, idx, C_PERSON, b[C_PERSON], sizeof(b[C_PERSON]));
            n.point = field(&c, idx, C_POINT, b[C_POINT], sizeof(b[C_POINT]));
            n.round = field(&c, idx, C_ROUND, b[C_ROUND], sizeof(b[C_ROUND]));
            n.note = field(&c, idx, C_NOTE, b[C_NOTE], sizeof(b[C_NOTE]));
            n.actor = field(&c, idx, C_ACTOR, b[C_ACTOR], sizeof(b[C_ACTOR]));
            n.role = field(&c, idx, C_ROLE, b[C_ROLE], sizeof(b[C_ROLE]));
            n.at = at;
            n.due = INT32_MIN;
            const char *due = field(&c, idx, C_DUE, b[C_DUE], sizeof(b[C_DUE]));
            if (due && eg_date_parse(due, strlen(due), &n.due)) {
                rc = eg_err_locf(eb, EG_EPARSE, path, c.line, (long)idx[C_DUE] + 1, "due",
                                 "'%s' is not a date", due);
                break;
            }
            int64_t new_id;
            if ((rc = sup_work_new(s, &n, &new_id, &row)) ||
                (rc = ref_add(&refs, ref.s, ref.n, new_id))) {
                eg_err_locf(eb, rc, path, c.line, 0, row.field[0] ? row.field : NULL, "%s",
                            row.msg[0] ? row.msg : eg_strerror(rc));
                break;
            }
            tot.items++;
            continue;
        }
        struct sup_move m = {0};
        m.to = field(&c, idx, C_TO, b[C_TO], sizeof(b[C_TO]));
        if (!m.to) {
            rc = eg_err_locf(eb, EG_EPARSE, path, c.line,
                             idx[C_TO] == SIZE_MAX ? 0 : (long)idx[C_TO] + 1, "to",
                             "item '%.*s' exists: a later row must give the state to move to",
                             (int)ref.n, ref.s);
            break;
        }
        m.note = field(&c, idx, C_NOTE, b[C_NOTE], sizeof(b[C_NOTE]));
        m.actor = field(&c, idx, C_ACTOR, b[C_ACTOR], sizeof(b[C_ACTOR]));
        m.role = field(&c, idx, C_ROLE, b[C_ROLE], sizeof(b[C_ROLE]));
        m.at = at;
        const char *amount = field(&c, idx, C_AMOUNT, b[C_AMOUNT], sizeof(b[C_AMOUNT]));
        if (amount) {
            if (eg_dec_parse(amount, strlen(amount), 2, &m.amount_fen) || m.amount_fen < 0) {
                rc = eg_err_locf(eb, EG_EPARSE, path, c.line, (long)idx[C_AMOUNT] + 1, "amount",
                                 "'%s' is not an amount in yuan", amount);
                break;
            }
            m.has_amount = true;
        }
        char hex[65];
        const char *ev = field(&c, idx, C_EVIDENCE, b[C_EVIDENCE], sizeof(b[C_EVIDENCE]));
        if (ev) {
            char full[2200];
            snprintf(full, sizeof(full), "%s%s%s", ev[0] == '/' ? "" : dir, ev[0] == '/' ? "" : "/",
                     ev);
            if ((rc = sup_evidence_hash(full, hex, &row))) {
                eg_err_locf(eb, rc, path, c.line, (long)idx[C_EVIDENCE] + 1, "evidence", "%s",
                            row.msg);
                break;
            }
            m.evidence = hex;
        }
        if ((rc = sup_work_move(s, *id, &m, &row))) {
            eg_err_locf(eb, rc, path, c.line, 0, row.field[0] ? row.field : NULL, "%s",
                        row.msg[0] ? row.msg : eg_strerror(rc));
            break;
        }
        tot.moves++;
    }
    if (rc < 0) {
        store_rollback(s);
        goto out;
    }
    if ((rc = store_commit(s, eb)))
        goto out;
    if (st) {
        st->items += tot.items;
        st->moves += tot.moves;
    }
out:
    ref_done(&refs);
    eg_csv_done(&c);
    eg_free(data);
    return rc;
}
