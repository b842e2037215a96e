/* records_work.c — the records of tracked work: an item and its events (see records.h). */
#include <stdint.h>
#include <string.h>

#include "common/eg_time.h"
#include "records.h"
#include "supervise/supervise.h"

static void put_day(struct fmt *f, const char *key, int32_t day)
{
    char b[16];
    if (day == INT32_MIN) {
        fmt_null(f, key);
        return;
    }
    eg_date_format(day, b, sizeof(b));
    fmt_str(f, key, b);
}

static void put_time(struct fmt *f, const char *key, int64_t t)
{
    char b[32];
    eg_unix_format_iso(t, b, sizeof(b));
    fmt_str(f, key, b);
}

static void put_opt(struct fmt *f, const char *key, const char *v)
{
    if (v && *v)
        fmt_str(f, key, v);
    else
        fmt_null(f, key);
}

void rec_work(struct fmt *f, const struct store_work_item *it)
{
    const struct wf_kind *k = wf_kind_find(it->kind);
    const struct wf_state *st = wf_state_find(k, it->state);
    fmt_int(f, "id", it->id);
    fmt_str(f, "kind", it->kind);
    fmt_str(f, "title", it->title);
    fmt_str(f, "state", it->state);
    fmt_str(f, "state_label", st ? st->label : "");
    fmt_bool(f, "open", it->open);
    put_opt(f, "unit", it->unit);
    put_opt(f, "person", it->person);
    put_opt(f, "enterprise", it->enterprise);
    put_opt(f, "point", it->point);
    put_opt(f, "round", it->round);
    put_time(f, "created", it->created_at);
    put_time(f, "updated", it->updated_at);
    put_day(f, "due", it->due);
    fmt_dec(f, "amount_yuan", it->amount_fen, 2);
}

int rec_work_event(void *ud, const struct store_work_event *ev)
{
    struct fmt *f = ud;
    fmt_obj_begin(f, NULL);
    fmt_int(f, "seq", ev->seq);
    put_time(f, "at", ev->at);
    fmt_str(f, "actor", ev->actor);
    fmt_str(f, "role", ev->role);
    put_opt(f, "from", ev->from);
    fmt_str(f, "to", ev->to);
    put_opt(f, "note", ev->note);
    put_opt(f, "evidence", ev->evidence);
    if (ev->has_amount)
        fmt_dec(f, "amount_yuan", ev->amount_fen, 2);
    else
        fmt_null(f, "amount_yuan");
    fmt_close(f);
    return 0;
}

static long state_n(const struct wf_kind *k, const long *v, const char *s)
{
    for (size_t i = 0; i < k->nstates && i < 16; i++)
        if (!strcmp(k->states[i].code, s))
            return v[i];
    return 0;
}

static int64_t state_amt(const struct wf_kind *k, const int64_t *v, const char *s)
{
    for (size_t i = 0; i < k->nstates && i < 16; i++)
        if (!strcmp(k->states[i].code, s))
            return v[i];
    return 0;
}

void rec_work_stats(struct fmt *f, const struct wf_kind *k, long year, const struct sup_stats *st,
                    const char *sentence)
{
    fmt_str(f, "kind", k->name);
    fmt_int(f, "year", year);
    if (!strcmp(k->name, "hazard")) {
        fmt_int(f, "found", st->created);
        fmt_int(f, "fixed", st->closed);
        fmt_int(f, "open", st->open);
    } else if (!strcmp(k->name, "case")) {
        int64_t fen = state_amt(k, st->moved_amount, "decided");
        fmt_int(f, "filed", st->created);
        fmt_int(f, "penalty_decisions", state_n(k, st->moved, "decided"));
        fmt_int(f, "no_penalty_decisions", state_n(k, st->moved, "no_penalty"));
        fmt_int(f, "transfers", state_n(k, st->moved, "transferred"));
        fmt_int(f, "fines_fen", fen);
        fmt_dec(f, "fines_yuan", fen, 2);
    } else if (!strcmp(k->name, "compensation")) {
        fmt_int(f, "filed", st->created);
        fmt_int(f, "agreed", state_n(k, st->moved, "agreed"));
        fmt_dec(f, "agreed_yuan", state_amt(k, st->moved_amount, "agreed"), 2);
        fmt_int(f, "judged", state_n(k, st->moved, "judged"));
        fmt_dec(f, "judged_yuan", state_amt(k, st->moved_amount, "judged"), 2);
    }
    fmt_int(f, "created", st->created);
    fmt_int(f, "closed", st->closed);
    if (strcmp(k->name, "hazard"))
        fmt_int(f, "open", st->open);
    fmt_int(f, "overdue", st->overdue);
    fmt_obj_begin(f, "reached");
    for (size_t i = 0; i < k->nstates && i < 16; i++)
        fmt_int(f, k->states[i].code, st->reached[i]);
    fmt_close(f);
    fmt_obj_begin(f, "moved");
    for (size_t i = 0; i < k->nstates && i < 16; i++)
        fmt_int(f, k->states[i].code, st->moved[i]);
    fmt_close(f);
    fmt_obj_begin(f, "moved_yuan");
    for (size_t i = 0; i < k->nstates && i < 16; i++)
        if (st->moved_amount[i])
            fmt_dec(f, k->states[i].code, st->moved_amount[i], 2);
    fmt_close(f);
    fmt_str(f, "sentence", sentence);
}
