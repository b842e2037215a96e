/* workflow.c — the workflow engine's rules: find a kind and its states, and decide whether a
 * move from one state to another is legal for a role with what it supplies.  Kinds are data
 * (kinds.c); the engine knows nothing of any particular kind.  Pure: no I/O.
 */
#include <stdio.h>
#include <string.h>

#include "supervise-int.h"

size_t wf_kind_count(void)
{
    return sup__nkinds;
}

const struct wf_kind *wf_kind_at(size_t i)
{
    return i < sup__nkinds ? &sup__kinds[i].k : NULL;
}

const struct wf_kind *wf_kind_find(const char *name)
{
    for (size_t i = 0; name && i < sup__nkinds; i++)
        if (!strcmp(sup__kinds[i].k.name, name))
            return &sup__kinds[i].k;
    return NULL;
}

const struct sup__kind *sup__kind_of(const struct wf_kind *k)
{
    for (size_t i = 0; i < sup__nkinds; i++)
        if (&sup__kinds[i].k == k)
            return &sup__kinds[i];
    return NULL;
}

const struct wf_state *wf_state_find(const struct wf_kind *k, const char *code)
{
    for (size_t i = 0; k && code && i < k->nstates; i++)
        if (!strcmp(k->states[i].code, code))
            return &k->states[i];
    return NULL;
}

bool wf_role_in(const char *roles, const char *role)
{
    size_t n = strlen(role);
    for (const char *p = roles; p && *p;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len == n && !strncmp(p, role, n))
            return true;
        p = c ? c + 1 : NULL;
    }
    return false;
}

/* "fixing (整改中), closed (销号)" — the legal targets from a state, for error messages. */
static void targets(const struct wf_kind *k, const char *from, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < k->ntrans; i++) {
        if (strcmp(k->trans[i].from, from))
            continue;
        const struct wf_state *st = wf_state_find(k, k->trans[i].to);
        int w = snprintf(buf + len, n - len, "%s%s (%s)", len ? ", " : "", k->trans[i].to,
                         st ? st->label : "");
        if (w < 0 || (size_t)w >= n - len)
            break;
        len += (size_t)w;
    }
    if (!len)
        snprintf(buf, n, "none: %s is final", from);
}

int wf_check_move(const struct wf_kind *k, const char *from, const char *to, const char *role,
                  unsigned have, const struct wf_trans **ret_t, struct eg_errbuf *eb)
{
    if (!k)
        return eg_errf(eb, EG_EINVAL, "no kind");
    const struct wf_state *sf = wf_state_find(k, from), *stt = wf_state_find(k, to);
    if (!sf)
        return eg_errf(eb, EG_EINVAL, "'%s' is not a state of kind %s", from ? from : "", k->name);
    if (!stt) {
        char list[512] = "";
        size_t len = 0;
        for (size_t i = 0; i < k->nstates; i++) {
            int w =
                snprintf(list + len, sizeof(list) - len, "%s%s", i ? " " : "", k->states[i].code);
            if (w < 0 || (size_t)w >= sizeof(list) - len)
                break;
            len += (size_t)w;
        }
        return eg_errf(eb, EG_EINVAL, "'%s' is not a state of kind %s (states: %s)", to ? to : "",
                       k->name, list);
    }
    const struct wf_trans *t = NULL;
    for (size_t i = 0; i < k->ntrans && !t; i++)
        if (!strcmp(k->trans[i].from, from) && !strcmp(k->trans[i].to, to))
            t = &k->trans[i];
    if (!t) {
        char tg[512];
        targets(k, from, tg, sizeof(tg));
        return eg_errf(eb, EG_ESTATE, "%s: no transition from %s (%s) to %s (%s); from %s: %s",
                       k->name, from, sf->label, to, stt->label, from, tg);
    }
    if (role && !wf_role_in(t->roles, role))
        return eg_errf(eb, EG_EAUTH, "%s: role %s may not move %s → %s (allowed: %s)", k->name,
                       role, from, to, t->roles);
    unsigned missing = t->need & ~have;
    if (missing)
        return eg_errf(eb, EG_EINVAL, "%s: %s → %s (%s) requires%s%s%s", k->name, from, to,
                       t->label, missing & WF_NEED_NOTE ? " a note (--note)" : "",
                       missing & WF_NEED_EVIDENCE ? " an evidence file (--evidence)" : "",
                       missing & WF_NEED_AMOUNT ? " an amount in yuan (--amount)" : "");
    if (ret_t)
        *ret_t = t;
    return 0;
}
