/* cmd_work.c — `envgov work …`: the one workflow engine for all tracked work (督察整改, 信访,
 * 隐患, 执法案件, 损害赔偿, 巡河问题): create, move, show, list, statistics, and the kinds
 * themselves.  Keys and command names are part of the interface (issue 5, docs/supervision.md).
 * `--at` records historic events in order (imports of past years). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "records/records.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "supervise/supervise.h"

static const struct cli_opt new_opts[] = {
    {"kind", CLI_VALUE, "KIND", "rectification petition hazard case compensation patrol"},
    {"title", CLI_VALUE, "TEXT", "what the item is about"},
    {"enterprise", CLI_VALUE, "USCC", "the enterprise concerned (must be in the registry)"},
    {"unit", CLI_VALUE, "UNIT", "owner unit (责任单位)"},
    {"person", CLI_VALUE, "NAME", "owner person"},
    {"point", CLI_VALUE, "CODE", "monitoring point concerned"},
    {"round", CLI_VALUE, "REF", "inspection round / batch (督察轮次)"},
    {"due", CLI_VALUE, "DATE", "deadline (default: the kind's, if it has one)"},
    {"at", CLI_VALUE, "TIME", "when (ISO 8601 date or date-time; default now)"},
    {"note", CLI_VALUE, "TEXT", "note on the creation event"},
    {"actor", CLI_VALUE, "NAME", "who records it (default cli)"},
    {"role", CLI_VALUE, "ROLE", "the actor's role (default office)"},
    {NULL, 0, NULL, NULL}};

static const struct cli_opt move_opts[] = {
    {"to", CLI_VALUE, "STATE", "target state"},
    {"note", CLI_VALUE, "TEXT", "note (decision number, reason, channel …)"},
    {"amount", CLI_VALUE, "YUAN", "amount in yuan, exact to the fen (fine, claim, award)"},
    {"evidence", CLI_VALUE, "FILE", "evidence file: its BLAKE2b-256 hash is logged"},
    {"at", CLI_VALUE, "TIME", "when (ISO 8601; default now); not before the last event"},
    {"actor", CLI_VALUE, "NAME", "who (default cli)"},
    {"role", CLI_VALUE, "ROLE", "the actor's role: checked against the transition's roles"},
    {NULL, 0, NULL, NULL}};

static const struct cli_opt list_opts[] = {
    {"kind", CLI_VALUE, "KIND", "only this kind"},
    {"state", CLI_VALUE, "STATE", "only items in this state"},
    {"unit", CLI_VALUE, "UNIT", "only this owner unit"},
    {"enterprise", CLI_VALUE, "USCC", "only items linked to this enterprise"},
    {"overdue", CLI_FLAG, NULL, "only open items past their deadline"},
    {"today", CLI_VALUE, "DATE", "the day overdue is judged on (default today)"},
    {"after", CLI_VALUE, "ID", "items with a larger id (paging)"},
    {"limit", CLI_VALUE, "N", "at most N items (default 1000; 0 = all)"},
    {"count", CLI_FLAG, NULL, "print only the number of matching items"},
    {NULL, 0, NULL, NULL}};

static const struct cli_opt stats_opts[] = {
    {"kind", CLI_VALUE, "KIND", "the kind"},
    {"year", CLI_VALUE, "YEAR", "calendar year (Beijing time)"},
    {"by", CLI_VALUE, "unit|state|month", "counts of the year's items by this instead"},
    {"today", CLI_VALUE, "DATE", "the day overdue is judged on (default today)"},
    {"sentence", CLI_FLAG, NULL, "print only the report's sentence"},
    {NULL, 0, NULL, NULL}};

static const struct cli_opt no_opts[] = {{NULL, 0, NULL, NULL}};

static int run_new(struct cli *c, const struct cli_args *a);
static int run_move(struct cli *c, const struct cli_args *a);
static int run_show(struct cli *c, const struct cli_args *a);
static int run_list(struct cli *c, const struct cli_args *a);
static int run_stats(struct cli *c, const struct cli_args *a);
static int run_kinds(struct cli *c, const struct cli_args *a);
static int run_import(struct cli *c, const struct cli_args *a);

const struct cli_cmd cli_work_cmds[] = {
    {"work new", "create a tracked work item; prints its id",
     "work new --kind KIND --title T [--enterprise USCC] [--unit U] [--due DATE] [--at TIME]",
     "Kinds: rectification (督察整改), petition (信访), hazard (隐患), case (执法案件),\n"
     "compensation (损害赔偿), patrol (巡河问题).  `envgov work kinds` lists their states and\n"
     "transitions.  The new item's id is printed alone on standard output.",
     new_opts, 0, 0, false, run_new},
    {"work import", "import a ledger (台账) of past work: one CSV row per event",
     "work import FILE.csv",
     "Header: ref,at,kind,title,enterprise,unit,person,point,round,due,to,note,amount,evidence,\n"
     "role,actor (ref and at required; any order; more columns allowed).  The first row of a ref\n"
     "creates the item (kind and title required), each later row moves it (to required), in time\n"
     "order, through the same rules as work new / work move.  One transaction: a bad row rejects\n"
     "the file with its line, column and reason.",
     no_opts, 1, 1, false, run_import},
    {"work move", "move an item to another state (the kind's rules decide)",
     "work move ID --to STATE [--note N] [--amount YUAN] [--evidence FILE] [--at TIME]",
     "An illegal transition is refused with the legal ones listed; a transition that needs a\n"
     "note, an amount or evidence refuses to proceed without it.  Every move is appended to the\n"
     "item's event log, which cannot be changed afterwards.",
     move_opts, 1, 1, false, run_move},
    {"work show", "one item and its event log", "work show ID", NULL, no_opts, 1, 1, true,
     run_show},
    {"work list", "items by kind, state, unit, enterprise; overdue items",
     "work list [--kind K] [--state S] [--unit U] [--enterprise USCC] [--overdue]", NULL, list_opts,
     0, 0, true, run_list},
    {"work stats", "statistics of a kind for a year, with the report's sentence",
     "work stats --kind K --year Y [--by unit|state|month]",
     "Computed from items and events: created (hazard: found) in the year, completed by the end\n"
     "of the year (hazard: fixed), the rest open; per state, the items that reached it and the\n"
     "events of the year with their amounts (fen).  rectification and petition are stocks:\n"
     "their year counts every item created by the end of the year.",
     stats_opts, 0, 0, true, run_stats},
    {"work kinds", "the kinds of work: states, transitions, roles, requirements", "work kinds",
     NULL, no_opts, 0, 0, true, run_kinds},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL}};

/* ---- helpers shared by the supervision commands (declared in cli.h? no: local) ---- */

static int parse_at(const struct cli_cmd *cmd, const char *s, int64_t *ret)
{
    if (!s) {
        *ret = (int64_t)time(NULL);
        return 0;
    }
    if (eg_iso_parse(s, strlen(s), ret))
        return cli_usage(cmd, "--at: '%s' is not an ISO 8601 date or date-time", s);
    return 0;
}

static int parse_today(const struct cli_cmd *cmd, const char *s, int32_t *ret)
{
    if (s)
        return cli_date(cmd, "today", s, ret);
    int sec;
    eg_beijing_from_unix((int64_t)time(NULL), ret, &sec);
    return 0;
}

static int parse_id(const struct cli_cmd *cmd, const char *s, int64_t *ret)
{
    long v;
    if (cli_int(cmd, "ID", s, 1, 2000000000L, &v))
        return CLI_USAGE;
    *ret = v;
    return 0;
}

static int run_new(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    struct sup_new n = {
        .kind = cli_value(cmd, a, "kind"),
        .title = cli_value(cmd, a, "title"),
        .unit = cli_value(cmd, a, "unit"),
        .person = cli_value(cmd, a, "person"),
        .enterprise = cli_value(cmd, a, "enterprise"),
        .point = cli_value(cmd, a, "point"),
        .round = cli_value(cmd, a, "round"),
        .due = INT32_MIN,
        .actor = cli_value(cmd, a, "actor"),
        .role = cli_value(cmd, a, "role"),
        .note = cli_value(cmd, a, "note"),
    };
    const char *due = cli_value(cmd, a, "due");
    if (!n.kind || !n.title || !*n.title)
        return cli_usage(cmd, "--kind and --title are required");
    if (!wf_kind_find(n.kind))
        return cli_usage(cmd,
                         "--kind: '%s' is not one of rectification petition hazard case "
                         "compensation patrol",
                         n.kind);
    if ((due && cli_date(cmd, "due", due, &n.due)) || parse_at(cmd, cli_value(cmd, a, "at"), &n.at))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    int64_t id;
    int rc = sup_work_new(c->store, &n, &id, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    printf("%lld\n", (long long)id);
    return CLI_OK;
}

static int run_move(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    int64_t id;
    char hash[65];
    struct sup_move m = {
        .to = cli_value(cmd, a, "to"),
        .note = cli_value(cmd, a, "note"),
        .actor = cli_value(cmd, a, "actor"),
        .role = cli_value(cmd, a, "role"),
    };
    const char *amount = cli_value(cmd, a, "amount"), *evid = cli_value(cmd, a, "evidence");
    if (parse_id(cmd, a->pos[0], &id))
        return CLI_USAGE;
    if (!m.to)
        return cli_usage(cmd, "--to STATE is required");
    if (amount) {
        if (eg_dec_parse2(amount, strlen(amount), 2, &m.amount_fen, NULL) || m.amount_fen < 0)
            return cli_usage(cmd, "--amount: '%s' is not a non-negative amount in yuan", amount);
        int dec = 0;
        int64_t tmp;
        if (!eg_dec_parse2(amount, strlen(amount), 2, &tmp, &dec) && dec > 2)
            return cli_usage(cmd, "--amount: '%s' has more than 2 decimals (fen is exact)", amount);
        m.has_amount = true;
    }
    if (parse_at(cmd, cli_value(cmd, a, "at"), &m.at))
        return CLI_USAGE;
    if (evid) {
        int rc = sup_evidence_hash(evid, hash, &c->eb);
        if (rc)
            return cli_fail(c, rc);
        m.evidence = hash;
    }
    if (cli_store(c))
        return CLI_FAIL;
    int rc = sup_work_move(c->store, id, &m, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    return CLI_OK;
}

struct item_copy {
    bool got;
    struct store_work_item it;
    char buf[8 * 1024];
};

static int keep_item(void *ud, const struct store_work_item *it)
{
    struct item_copy *c = ud;
    size_t off = 0;
    const char **dst[] = {&c->it.kind,   &c->it.title,      &c->it.state, &c->it.unit,
                          &c->it.person, &c->it.enterprise, &c->it.point, &c->it.round};
    const char *src[] = {it->kind,   it->title,      it->state, it->unit,
                         it->person, it->enterprise, it->point, it->round};
    c->it = *it;
    for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
        size_t n = strlen(src[i]);
        if (off + n + 1 > sizeof(c->buf))
            n = sizeof(c->buf) - off - 1;
        memcpy(c->buf + off, src[i], n);
        c->buf[off + n] = 0;
        *dst[i] = c->buf + off;
        off += n + 1;
    }
    c->got = true;
    return 0;
}

static int run_show(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    int64_t id;
    struct item_copy ic;
    if (parse_id(cmd, a->pos[0], &id))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    memset(&ic, 0, sizeof(ic));
    int rc = store_work_item_get(c->store, id, keep_item, &ic, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    struct fmt *f = cli_fmt(c);
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    fmt_row_begin(f);
    rec_work(f, &ic.it);
    fmt_arr_begin(f, "events");
    rc = store_work_event_each(c->store, id, rec_work_event, f, &c->eb);
    fmt_close(f);
    if (!rc)
        rc = fmt_row_end(f);
    int frc = fmt_finish(f);
    fmt_free(f);
    if (rc || frc)
        return cli_fail(c, rc ? rc : frc);
    return CLI_OK;
}

struct list_ctx {
    struct fmt *f;
    long n;
};

static int list_item(void *ud, const struct store_work_item *it)
{
    struct list_ctx *l = ud;
    fmt_row_begin(l->f);
    rec_work(l->f, it);
    l->n++;
    return fmt_row_end(l->f);
}

static int run_list(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    struct store_work_filter flt = {
        .kind = cli_value(cmd, a, "kind"),
        .state = cli_value(cmd, a, "state"),
        .unit = cli_value(cmd, a, "unit"),
        .enterprise = cli_value(cmd, a, "enterprise"),
        .overdue = cli_flag(cmd, a, "overdue"),
        .limit = 1000,
    };
    const char *after = cli_value(cmd, a, "after"), *limit = cli_value(cmd, a, "limit");
    long v;
    if (flt.kind && !wf_kind_find(flt.kind))
        return cli_usage(cmd, "--kind: '%s' is not a kind (see envgov work kinds)", flt.kind);
    if (flt.state && flt.kind && !wf_state_find(wf_kind_find(flt.kind), flt.state))
        return cli_usage(cmd, "--state: '%s' is not a state of %s", flt.state, flt.kind);
    if (parse_today(cmd, cli_value(cmd, a, "today"), &flt.overdue_day))
        return CLI_USAGE;
    if (after) {
        if (cli_int(cmd, "after", after, 0, 2000000000L, &v))
            return CLI_USAGE;
        flt.after_id = v;
    }
    if (limit) {
        if (cli_int(cmd, "limit", limit, 0, 100000000L, &v))
            return CLI_USAGE;
        flt.limit = v;
    }
    if (cli_store(c))
        return CLI_FAIL;
    int rc;
    struct fmt *f = cli_fmt(c);
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    if (cli_flag(cmd, a, "count")) {
        long n = 0;
        rc = store_work_item_count(c->store, &flt, &n, &c->eb);
        if (!rc) {
            fmt_row_begin(f);
            fmt_int(f, "count", n);
            rc = fmt_row_end(f);
        }
    } else {
        struct list_ctx l = {f, 0};
        rc = store_work_item_each(c->store, &flt, list_item, &l, &c->eb);
        if (!rc && flt.limit && l.n == flt.limit)
            fprintf(stderr, "envgov: showing the first %ld items (--limit N, --after ID)\n", l.n);
    }
    int frc = fmt_finish(f);
    fmt_free(f);
    if (rc || frc)
        return cli_fail(c, rc ? rc : frc);
    return CLI_OK;
}

struct group_ctx {
    struct fmt *f;
};

static int group_row(void *ud, const char *key, long count)
{
    struct group_ctx *g = ud;
    fmt_row_begin(g->f);
    fmt_str(g->f, "key", key);
    fmt_int(g->f, "count", count);
    return fmt_row_end(g->f);
}

static int run_stats(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    const char *kind = cli_value(cmd, a, "kind"), *ys = cli_value(cmd, a, "year");
    const char *by = cli_value(cmd, a, "by");
    long year;
    int32_t today;
    if (!kind || !ys)
        return cli_usage(cmd, "--kind and --year are required");
    const struct wf_kind *k = wf_kind_find(kind);
    if (!k)
        return cli_usage(cmd, "--kind: '%s' is not a kind (see envgov work kinds)", kind);
    if (cli_int(cmd, "year", ys, 1970, 2200, &year) ||
        parse_today(cmd, cli_value(cmd, a, "today"), &today))
        return CLI_USAGE;
    enum store_work_by gb = STORE_WORK_BY_STATE;
    if (by) {
        if (!strcmp(by, "state"))
            gb = STORE_WORK_BY_STATE;
        else if (!strcmp(by, "unit"))
            gb = STORE_WORK_BY_UNIT;
        else if (!strcmp(by, "month"))
            gb = STORE_WORK_BY_MONTH;
        else
            return cli_usage(cmd, "--by: '%s' is not unit, state or month", by);
    }
    if (cli_store(c))
        return CLI_FAIL;
    struct fmt *f = cli_fmt(c);
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    int rc;
    if (by) {
        struct store_work_filter flt = {
            .kind = k->name,
            .created = true,
            .created_from = eg_unix_from_beijing(eg_days_from_civil((int)year, 1, 1), 0),
            .created_to = eg_unix_from_beijing(eg_days_from_civil((int)year + 1, 1, 1), 0),
        };
        struct group_ctx g = {f};
        rc = store_work_group(c->store, &flt, gb, group_row, &g, &c->eb);
    } else {
        struct sup_stats st;
        char sentence[512];
        rc = sup_work_stats(c->store, k->name, (int)year, today, &st, &c->eb);
        if (!rc && cli_flag(cmd, a, "sentence")) {
            sup_work_sentence(&st, sentence, sizeof(sentence));
            printf("%s\n", sentence);
        } else if (!rc) {
            sup_work_sentence(&st, sentence, sizeof(sentence));
            fmt_row_begin(f);
            rec_work_stats(f, k, year, &st, sentence);
            rc = fmt_row_end(f);
        }
    }
    int frc = fmt_finish(f);
    fmt_free(f);
    if (rc || frc)
        return cli_fail(c, rc ? rc : frc);
    return CLI_OK;
}

static int run_kinds(struct cli *c, const struct cli_args *a)
{
    (void)a;
    struct fmt *f = cli_fmt(c);
    int rc = 0;
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    for (size_t i = 0; i < wf_kind_count() && !rc; i++) {
        const struct wf_kind *k = wf_kind_at(i);
        for (size_t t = 0; t < k->ntrans && !rc; t++) {
            const struct wf_trans *tr = &k->trans[t];
            char need[64];
            snprintf(need, sizeof(need), "%s%s%s", tr->need & WF_NEED_NOTE ? "note " : "",
                     tr->need & WF_NEED_EVIDENCE ? "evidence " : "",
                     tr->need & WF_NEED_AMOUNT ? "amount" : "");
            fmt_row_begin(f);
            fmt_str(f, "kind", k->name);
            fmt_str(f, "from", tr->from);
            fmt_str(f, "to", tr->to);
            fmt_str(f, "roles", tr->roles);
            fmt_str(f, "needs", need);
            fmt_str(f, "label", tr->label);
            fmt_bool(f, "to_final", wf_state_find(k, tr->to)->final);
            rc = fmt_row_end(f);
        }
    }
    int frc = fmt_finish(f);
    fmt_free(f);
    if (rc || frc)
        return cli_fail(c, rc ? rc : frc);
    return CLI_OK;
}

static int run_import(struct cli *c, const struct cli_args *a)
{
    struct sup_import_stats st = {0};
    if (cli_store(c))
        return CLI_FAIL;
    int rc = sup_work_import(c->store, a->pos[0], &st, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    fprintf(stderr, "work import: %ld items created, %ld moves applied from %s\n", st.items,
            st.moves, a->pos[0]);
    return CLI_OK;
}
