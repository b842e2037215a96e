/* rating.c — credit ratings computed from the registry: gathers an enterprise's penalty decisions
 * and criminal transfers of the year (work items of kind case and their events) and its credit
 * events, runs the pure credit_evaluate (credit.c), and stores the rating with its inputs as
 * JSON text, so that every rating can be re-derived and audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/eg_buf.h"
#include "common/eg_mem.h"
#include "common/eg_time.h"
#include "store/store.h"
#include "supervise.h"

#define MAX_CASES 4096

struct case_ids {
    int64_t id[MAX_CASES];
    size_t n;
};

static int add_case(void *ud, const struct store_work_item *it)
{
    struct case_ids *c = ud;
    if (c->n >= MAX_CASES)
        return EG_ELIMIT;
    c->id[c->n++] = it->id;
    return 0;
}

struct case_scan {
    int64_t from, to;
    long decided, transferred;
    int64_t transfer_at;
};

static int case_event(void *ud, const struct store_work_event *ev)
{
    struct case_scan *c = ud;
    if (ev->at < c->from || ev->at >= c->to)
        return 0;
    if (!strcmp(ev->to, "decided"))
        c->decided++;
    if (!strcmp(ev->to, "transferred")) {
        if (!c->transferred)
            c->transfer_at = ev->at;
        c->transferred++;
    }
    return 0;
}

struct cev {
    struct credit_event ev[CREDIT_MAX_EVENTS];
    size_t n;
    char veto[256];
    int64_t veto_at;
    int64_t until;
    struct eg_buf *json;
};

static int credit_ev(void *ud, const char *uscc, int64_t at, const char *type, const char *note)
{
    struct cev *c = ud;
    (void)uscc;
    if (at >= c->until)
        return 0;
    char iso[32];
    eg_unix_format_iso(at, iso, sizeof(iso));
    if (!strcmp(type, "veto")) {
        snprintf(c->veto, sizeof(c->veto), "%s", note);
        c->veto_at = at;
    } else if (!strcmp(type, "incident") || !strcmp(type, "repair")) {
        if (c->n >= CREDIT_MAX_EVENTS)
            return EG_ELIMIT;
        c->ev[c->n].at = at;
        c->ev[c->n].type = !strcmp(type, "incident") ? CREDIT_EV_INCIDENT : CREDIT_EV_REPAIR;
        c->n++;
    } else {
        return 0;
    }
    return eg_buf_addf(c->json, "%s{\"at\":\"%s\",\"type\":\"%s\"}",
                       c->n + (c->veto[0] ? 1u : 0u) > 1 ? "," : "", iso, type);
}

int sup_credit_rate(struct store *s, const struct sup_credit_req *req,
                    struct credit_result *ret_res, int64_t *ret_id, struct eg_errbuf *eb)
{
    const struct credit_config *cfg = credit_config_default();
    struct credit_input in;
    struct credit_result res;
    struct case_ids *cases = NULL;
    struct cev *cev = NULL;
    struct eg_buf json, reasons;
    char why[160];
    int rc;
    if (!req || !req->uscc || !ret_id)
        return eg_errf(eb, EG_EINVAL, "sup_credit_rate: no request");
    if (uscc_check(req->uscc, strlen(req->uscc), why, sizeof(why)))
        return eg_errf(eb, EG_EINVAL, "%s: %s", req->uscc, why);
    memset(&in, 0, sizeof(in));
    for (size_t i = 0; i < 32; i++)
        in.score[i] = -1;
    eg_buf_init(&json, 1u << 16);
    eg_buf_init(&reasons, 4096);
    cases = eg_calloc(1, sizeof(*cases));
    cev = eg_calloc(1, sizeof(*cev));
    if (!cases || !cev) {
        rc = eg_errf(eb, EG_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < req->nscores; i++) {
        const char *a = req->scores[i], *eq = strchr(a, '=');
        size_t k = 0;
        for (; eq && k < cfg->nind; k++)
            if (strlen(cfg->ind[k].id) == (size_t)(eq - a) &&
                !strncmp(cfg->ind[k].id, a, (size_t)(eq - a)))
                break;
        char *end;
        long v = eq ? strtol(eq + 1, &end, 10) : -1;
        if (!eq || k == cfg->nind || *end || v < 0 || v > 100) {
            rc = eg_errf(eb, EG_EINVAL,
                         "--score %s: expected INDICATOR=0..100 (indicators: "
                         "discharge solid_waste hazwaste noise siting penalty risk)",
                         a);
            goto out;
        }
        in.score[k] = (int)v;
    }
    int64_t from = eg_unix_from_beijing(eg_days_from_civil(req->year, 1, 1), 0);
    int64_t to = eg_unix_from_beijing(eg_days_from_civil(req->year + 1, 1, 1), 0);
    struct store_work_filter f = {.kind = "case", .enterprise = req->uscc};
    if ((rc = store_work_item_each(s, &f, add_case, cases, eb)))
        goto out;
    struct case_scan cs = {from, to, 0, 0, 0};
    for (size_t i = 0; i < cases->n; i++)
        if ((rc = store_work_event_each(s, cases->id[i], case_event, &cs, eb)))
            goto out;
    size_t ipen = 0;
    for (; ipen < cfg->nind && strcmp(cfg->ind[ipen].id, "penalty"); ipen++)
        ;
    if (ipen < cfg->nind && in.score[ipen] < 0)
        in.score[ipen] = cs.decided ? 0 : 100;
    cev->until = to;
    cev->json = &json;
    rc = eg_buf_adds(&json, "{\"events\":[");
    if (rc || (rc = store_work_credit_event_each(s, req->uscc, credit_ev, cev, eb)))
        goto out;
    in.events = cev->ev;
    in.nevents = cev->n;
    if (req->veto && *req->veto) {
        snprintf(cev->veto, sizeof(cev->veto), "%s", req->veto);
        cev->veto_at = req->at;
    } else if (cs.transferred && !cev->veto[0]) {
        snprintf(cev->veto, sizeof(cev->veto), "环境犯罪（案件移送公安机关）");
        cev->veto_at = cs.transfer_at;
    }
    in.veto = cev->veto[0] ? cev->veto : NULL;
    in.veto_at = cev->veto_at;
    if ((rc = credit_evaluate(cfg, &in, &res, eb)))
        goto out;
    rc = eg_buf_addf(&json, "],\"penalty_decisions\":%ld,\"transfers\":%ld,\"scores\":{",
                     cs.decided, cs.transferred);
    for (size_t i = 0, n = 0; !rc && i < cfg->nind; i++)
        if (in.score[i] >= 0)
            rc = eg_buf_addf(&json, "%s\"%s\":%d", n++ ? "," : "", cfg->ind[i].id, in.score[i]);
    if (!rc)
        rc = eg_buf_addf(&json, "}}");
    if (!rc && res.vetoed)
        rc = eg_buf_addf(&reasons, "一票否决: %s", cev->veto);
    if (!rc && res.downgrades)
        rc = eg_buf_addf(&reasons, "%s一般环境事件降级 %d 级", reasons.len ? "; " : "",
                         res.downgrades);
    if (!rc && res.repaired)
        rc = eg_buf_addf(&reasons, "%s信用修复", reasons.len ? "; " : "");
    if (rc) {
        rc = eg_errf(eb, rc, "the rating's inputs are too large");
        goto out;
    }
    struct store_credit c = {
        .uscc = req->uscc,
        .year = req->year,
        .score = res.score,
        .level = credit_level_code(res.level),
        .base_level = credit_level_code(res.base),
        .reasons = eg_buf_str(&reasons),
        .inputs = eg_buf_str(&json),
        .rules = cfg->name,
        .computed_at = req->at,
    };
    if ((rc = store_work_credit_put(s, &c, ret_id, eb)))
        goto out;
    if (ret_res)
        *ret_res = res;
out:
    eg_free(cases);
    eg_free(cev);
    eg_buf_done(&json);
    eg_buf_done(&reasons);
    return rc;
}
