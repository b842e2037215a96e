/* test_supervise.c — unit tests of src/supervise/: GB 32100-2015 check characters on real
 * published codes and corrupted variants; every kind's every legal path and every illegal
 * transition, through the store; deadlines and overdue; the append-only event log (no API, and
 * the database refuses UPDATE/DELETE); credit vectors; the draw generator and replay; reduction
 * sums.  Usage: test_supervise (a temporary database is created and removed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common/eg_time.h"
#include "store/store.h"
#include "supervise/supervise.h"

/* Real unified social credit codes, as the companies publish them in their annual reports and
 * as the National Enterprise Credit Information Publicity System (gsxt.gov.cn) shows them.  A
 * random 18-character code passes the check with probability 1/31, so all seven passing is
 * itself evidence that the algorithm is right. */
static const char *const real_codes[] = {
    "91110000710925462X", /* 中国石油天然气股份有限公司 (PetroChina) */
    "91110000710926094P", /* 中国石油化工股份有限公司 (Sinopec Corp.) */
    "91330100716105852F", /* 阿里巴巴（中国）有限公司 */
    "914403001922038216", /* 华为技术有限公司 */
    "91110108558521630L", /* 小米通讯技术有限公司 */
    "91110000802100433B", /* 北京百度网讯科技有限公司 */
    "91440300708461136T", /* 深圳市腾讯计算机系统有限公司 */
};

static void test_uscc_real(void **state)
{
    (void)state;
    char why[160];
    for (size_t i = 0; i < sizeof(real_codes) / sizeof(real_codes[0]); i++) {
        int rc = uscc_check(real_codes[i], 18, why, sizeof(why));
        if (rc)
            fprintf(stderr, "%s: %s\n", real_codes[i], why);
        assert_int_equal(rc, 0);
        assert_int_equal(uscc_check_char(real_codes[i]), real_codes[i][17]);
    }
}

static void test_uscc_corrupted(void **state)
{
    (void)state;
    char why[160], c[19];
    for (size_t i = 0; i < sizeof(real_codes) / sizeof(real_codes[0]); i++) {
        /* every single-character substitution at every position is caught */
        static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        for (int pos = 0; pos < 18; pos++)
            for (const char *a = alpha; *a; a++) {
                memcpy(c, real_codes[i], 19);
                if (c[pos] == *a)
                    continue;
                c[pos] = *a;
                assert_int_not_equal(uscc_check(c, 18, why, sizeof(why)), 0);
            }
        /* adjacent transpositions of different characters are caught */
        for (int pos = 0; pos < 17; pos++) {
            memcpy(c, real_codes[i], 19);
            if (c[pos] == c[pos + 1])
                continue;
            char t = c[pos];
            c[pos] = c[pos + 1];
            c[pos + 1] = t;
            assert_int_not_equal(uscc_check(c, 18, why, sizeof(why)), 0);
        }
    }
    memcpy(c, "91110000710925462Y", 19);
    assert_int_equal(uscc_check(c, 18, why, sizeof(why)), EG_EINVAL);
    assert_non_null(strstr(why, "expected 'X'"));
    assert_int_equal(uscc_check("9111000071092546", 16, why, sizeof(why)), EG_EINVAL);
    assert_non_null(strstr(why, "18 characters"));
    assert_int_equal(uscc_check("91110000710925462x", 18, why, sizeof(why)), EG_EINVAL);
    assert_non_null(strstr(why, "lower case"));
    assert_int_equal(uscc_check("9111000071092546IX", 18, why, sizeof(why)), EG_EINVAL);
    assert_non_null(strstr(why, "not used"));
    assert_int_equal(uscc_check("911A0000710925462X", 18, why, sizeof(why)), EG_EINVAL);
    assert_non_null(strstr(why, "division"));
}

/* ---- the workflow through the store ---- */

static char dbpath[256];
static struct store *st;
#define ENT "91110000710925462X"

static int setup(void **state)
{
    (void)state;
    snprintf(dbpath, sizeof(dbpath), "/tmp/test_supervise_%d.db", (int)getpid());
    unlink(dbpath);
    if (store_open(dbpath, 0, &st, NULL))
        return -1;
    struct store_enterprise e = {
        ENT, "中国石油天然气股份有限公司", "0711", "兴隆台区", "", 121.9, 41.1, "active"};
    return store_work_enterprise_put(st, &e, NULL);
}

static int teardown(void **state)
{
    (void)state;
    store_close(st);
    char p[300];
    unlink(dbpath);
    snprintf(p, sizeof(p), "%s-wal", dbpath);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", dbpath);
    unlink(p);
    return 0;
}

static int64_t T0;

static int64_t new_item(const char *kind)
{
    struct sup_new n = {
        .kind = kind, .title = "test", .enterprise = ENT, .due = INT32_MIN, .at = T0};
    int64_t id = 0;
    struct eg_errbuf eb = {0};
    int rc = sup_work_new(st, &n, &id, &eb);
    if (rc)
        fprintf(stderr, "new %s: %s\n", kind, eb.msg);
    assert_int_equal(rc, 0);
    return id;
}

static int do_move(int64_t id, const char *to, int64_t at, struct eg_errbuf *eb)
{
    struct sup_move m = {
        .to = to, .note = "n", .evidence = "ab12", .has_amount = true, .amount_fen = 100, .at = at};
    return sup_work_move(st, id, &m, eb);
}

static int paths_done;

/* Depth-first over every simple path (no state twice) from `state`, replaying each on a fresh
 * item: all legal paths of the kind. */
static void walk(const struct wf_kind *k, const char **path, size_t n)
{
    bool ext = false;
    for (size_t i = 0; i < k->ntrans; i++) {
        if (strcmp(k->trans[i].from, path[n - 1]))
            continue;
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen |= !strcmp(path[j], k->trans[i].to);
        if (seen || n >= 12)
            continue;
        path[n] = k->trans[i].to;
        walk(k, path, n + 1);
        ext = true;
    }
    if (ext)
        return;
    int64_t id = new_item(k->name);
    for (size_t j = 1; j < n; j++) {
        struct eg_errbuf eb = {0};
        int rc = do_move(id, path[j], T0 + (int64_t)j * 60, &eb);
        if (rc)
            fprintf(stderr, "%s: %s → %s: %s\n", k->name, path[j - 1], path[j], eb.msg);
        assert_int_equal(rc, 0);
    }
    paths_done++;
}

static void test_legal_paths(void **state)
{
    (void)state;
    T0 = eg_unix_from_beijing(eg_days_from_civil(2022, 3, 1), 9 * 3600);
    for (size_t i = 0; i < wf_kind_count(); i++) {
        const struct wf_kind *k = wf_kind_at(i);
        const char *path[16] = {k->initial};
        int before = paths_done;
        walk(k, path, 1);
        assert_true(paths_done > before);
    }
    assert_true(paths_done >= 6);
}

static void test_illegal_transitions(void **state)
{
    (void)state;
    for (size_t i = 0; i < wf_kind_count(); i++) {
        const struct wf_kind *k = wf_kind_at(i);
        for (size_t a = 0; a < k->nstates; a++)
            for (size_t b = 0; b < k->nstates; b++) {
                const char *from = k->states[a].code, *to = k->states[b].code;
                bool legal = false;
                for (size_t t = 0; t < k->ntrans; t++)
                    legal |= !strcmp(k->trans[t].from, from) && !strcmp(k->trans[t].to, to);
                struct eg_errbuf eb = {0};
                int rc = wf_check_move(k, from, to, NULL, 7u, NULL, &eb);
                assert_int_equal(rc, legal ? 0 : EG_ESTATE);
                if (!legal)
                    assert_non_null(strstr(eb.msg, "no transition"));
            }
        /* unknown target state */
        struct eg_errbuf eb = {0};
        assert_int_equal(wf_check_move(k, k->initial, "nonsense", NULL, 7u, NULL, &eb), EG_EINVAL);
    }
    /* through the store: a new hazard cannot jump to a state it has no transition to */
    const struct wf_kind *c = wf_kind_find("case");
    int64_t id = new_item("case");
    struct eg_errbuf eb = {0};
    assert_int_equal(do_move(id, "closed", T0 + 10, &eb), EG_ESTATE);
    assert_non_null(strstr(eb.msg, "investigating"));
    /* requirements: a penalty decision needs a note and an amount */
    assert_int_equal(wf_check_move(c, "notified", "decided", NULL, WF_NEED_NOTE, NULL, &eb),
                     EG_EINVAL);
    assert_non_null(strstr(eb.msg, "--amount"));
    /* roles */
    assert_int_equal(wf_check_move(c, "notified", "decided", "enforcer", 7u, NULL, &eb), EG_EAUTH);
    assert_int_equal(wf_check_move(c, "notified", "decided", "head", 7u, NULL, &eb), 0);
    /* events in order: a move may not precede the last event */
    assert_int_equal(do_move(id, "investigating", T0 - 3600, &eb), EG_ERANGE);
}

struct count_ctx {
    int n;
};

static int count_ev(void *ud, const struct store_work_event *ev)
{
    (void)ev;
    ((struct count_ctx *)ud)->n++;
    return 0;
}

static void test_append_only(void **state)
{
    (void)state;
    int64_t id = new_item("hazard");
    struct eg_errbuf eb = {0};
    assert_int_equal(do_move(id, "fixing", T0 + 100, &eb), 0);
    /* the database itself refuses to rewrite history */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    char *err = NULL;
    assert_int_not_equal(sqlite3_exec(db, "UPDATE work_event SET note = 'x'", NULL, NULL, &err),
                         SQLITE_OK);
    assert_non_null(strstr(err, "append-only"));
    sqlite3_free(err);
    err = NULL;
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM work_event", NULL, NULL, &err), SQLITE_OK);
    sqlite3_free(err);
    err = NULL;
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM work_item", NULL, NULL, &err), SQLITE_OK);
    sqlite3_free(err);
    sqlite3_close(db);
    struct count_ctx c = {0};
    assert_int_equal(store_work_event_each(st, id, count_ev, &c, NULL), 0);
    assert_int_equal(c.n, 2);
}

static void test_deadlines(void **state)
{
    (void)state;
    int32_t d0 = eg_days_from_civil(2022, 3, 1);
    int64_t pid = new_item("petition"), cid = new_item("case");
    struct item {
        int32_t due;
    } got;
    (void)got;
    struct store_work_filter f = {.kind = "petition", .overdue = true, .overdue_day = d0 + 60};
    long n0 = 0, n1 = 0;
    assert_int_equal(store_work_item_count(st, &f, &n0, NULL), 0);
    f.overdue_day = d0 + 61;
    assert_int_equal(store_work_item_count(st, &f, &n1, NULL), 0);
    assert_true(n1 > n0); /* due = created + 60 days (信访工作条例) */
    f.kind = "case";
    f.overdue_day = d0 + 90;
    assert_int_equal(store_work_item_count(st, &f, &n0, NULL), 0);
    f.overdue_day = d0 + 91;
    assert_int_equal(store_work_item_count(st, &f, &n1, NULL), 0);
    assert_true(n1 > n0); /* 行政处罚法 第六十条: 90 days */
    /* a closed item is never overdue */
    struct eg_errbuf eb = {0};
    assert_int_equal(do_move(pid, "assigned", T0 + 10, &eb), 0);
    assert_int_equal(do_move(pid, "handling", T0 + 20, &eb), 0);
    assert_int_equal(do_move(pid, "concluded", T0 + 30, &eb), 0);
    f.kind = "petition";
    f.overdue_day = d0 + 61;
    long n2 = 0;
    assert_int_equal(store_work_item_count(st, &f, &n2, NULL), 0);
    f.kind = "petition";
    (void)cid;
}

static void test_stats_sentence(void **state)
{
    (void)state;
    struct sup_stats s;
    struct eg_errbuf eb = {0};
    int32_t today = eg_days_from_civil(2023, 1, 1);
    assert_int_equal(sup_work_stats(st, "hazard", 2022, today, &s, &eb), 0);
    assert_int_equal(s.created, s.closed + s.open);
    char buf[256];
    sup_work_sentence(&s, buf, sizeof(buf));
    assert_non_null(strstr(buf, "共发现隐患问题"));
    /* the sentence format with the report's numbers */
    struct sup_stats r = {
        .kind = "hazard", .year = 2022, .created = 1096, .closed = 1020, .open = 76};
    sup_work_sentence(&r, buf, sizeof(buf));
    assert_string_equal(buf, "共发现隐患问题1096项，整改完成1020项，剩余76项");
    const struct wf_kind *k = wf_kind_find("case");
    struct sup_stats cs = {.kind = "case", .year = 2022, .created = 101};
    for (size_t i = 0; i < k->nstates; i++) {
        if (!strcmp(k->states[i].code, "decided")) {
            cs.moved[i] = 59;
            cs.moved_amount[i] = 3251630000; /* ¥32,516,300.00 in fen */
        }
        if (!strcmp(k->states[i].code, "no_penalty"))
            cs.moved[i] = 18;
        if (!strcmp(k->states[i].code, "transferred"))
            cs.moved[i] = 22;
    }
    sup_work_sentence(&cs, buf, sizeof(buf));
    assert_string_equal(buf, "立案101件，下达处罚决定书59份，不予处罚决定书18份，刑事移送案件22件，"
                             "累计处罚金额3251.63万元");
}

/* The statistics' exact figures on a year no other test touches (2031): a state reached twice
 * counts once, an event at the second of its item's creation, an item created before the year
 * and one moved after it; a stock's figures as the change from adding two items; the --by
 * groupings and the plain count (the index-driven paths of store migration step 5). */
static int64_t item_at(const char *kind, int64_t at)
{
    struct sup_new n = {.kind = kind, .title = "t", .due = INT32_MIN, .at = at};
    int64_t id = 0;
    assert_int_equal(sup_work_new(st, &n, &id, NULL), 0);
    return id;
}

static long state_of(const char *kind, const long *v, const char *state)
{
    const struct wf_kind *k = wf_kind_find(kind);
    for (size_t i = 0; i < k->nstates; i++)
        if (!strcmp(k->states[i].code, state))
            return v[i];
    return -1;
}

struct rows {
    int n;
    char key[8][16];
    long count[8];
};

static int row_cb(void *ud, const char *key, long count)
{
    struct rows *r = ud;
    assert_true(r->n < 8);
    snprintf(r->key[r->n], sizeof(r->key[0]), "%s", key);
    r->count[r->n++] = count;
    return 0;
}

static void test_stats_exact(void **state)
{
    (void)state;
    struct eg_errbuf eb = {0};
    int64_t y0 = eg_unix_from_beijing(eg_days_from_civil(2031, 1, 1), 0);
    int64_t y1 = eg_unix_from_beijing(eg_days_from_civil(2032, 1, 1), 0);
    int32_t today = eg_days_from_civil(2031, 1, 1);
    long all0 = 0, all1 = 0;
    struct store_work_filter none = {0};
    assert_int_equal(store_work_item_count(st, &none, &all0, NULL), 0);
    struct sup_stats r0, r1, h;
    assert_int_equal(sup_work_stats(st, "rectification", 2031, today, &r0, &eb), 0);

    int64_t c = item_at("hazard", y0 - 86400); /* created in 2030 */
    assert_int_equal(do_move(c, "fixing", y0 + 100, &eb), 0);
    int64_t a = item_at("hazard", y0 + 1000); /* fixed twice */
    assert_int_equal(do_move(a, "fixing", y0 + 2000, &eb), 0);
    assert_int_equal(do_move(a, "fixed", y0 + 3000, &eb), 0);
    assert_int_equal(do_move(a, "fixing", y0 + 4000, &eb), 0);
    assert_int_equal(do_move(a, "fixed", y0 + 5000, &eb), 0);
    int64_t b = item_at("hazard", y0 + 1000);
    assert_int_equal(do_move(b, "fixing", y0 + 2000, &eb), 0);
    int64_t d = item_at("hazard", y0 + 6000); /* fixed at the second of its creation */
    assert_int_equal(do_move(d, "fixed", y0 + 6000, &eb), 0);
    int64_t e = item_at("hazard", y1 - 10); /* moved after the year */
    assert_int_equal(do_move(e, "fixing", y1 + 10, &eb), 0);

    assert_int_equal(sup_work_stats(st, "hazard", 2031, today, &h, &eb), 0);
    assert_int_equal(h.created, 4);
    assert_int_equal(h.closed, 2);
    assert_int_equal(h.open, 2);
    assert_int_equal(h.overdue, 0);
    assert_int_equal(state_of("hazard", h.reached, "found"), 4);
    assert_int_equal(state_of("hazard", h.reached, "fixing"), 2);
    assert_int_equal(state_of("hazard", h.reached, "fixed"), 2);
    assert_int_equal(state_of("hazard", h.moved, "found"), 4);
    assert_int_equal(state_of("hazard", h.moved, "fixing"), 3);
    assert_int_equal(state_of("hazard", h.moved, "fixed"), 2);
    const struct wf_kind *hk = wf_kind_find("hazard");
    for (size_t i = 0; i < hk->nstates; i++)
        if (!strcmp(hk->states[i].code, "fixing"))
            assert_int_equal(h.moved_amount[i], 400); /* c, a twice, b: 100 fen each */

    struct store_work_filter f = {
        .kind = "hazard", .created = true, .created_from = y0, .created_to = y1};
    struct rows g = {0};
    assert_int_equal(store_work_group(st, &f, STORE_WORK_BY_STATE, row_cb, &g, NULL), 0);
    assert_int_equal(g.n, 2); /* current states: e has moved on (in 2032) */
    assert_string_equal(g.key[0], "fixed");
    assert_int_equal(g.count[0], 2);
    assert_string_equal(g.key[1], "fixing");
    assert_int_equal(g.count[1], 2);
    memset(&g, 0, sizeof(g));
    assert_int_equal(store_work_group(st, &f, STORE_WORK_BY_MONTH, row_cb, &g, NULL), 0);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.key[0], "2031-01");
    assert_int_equal(g.count[0], 3);
    assert_string_equal(g.key[1], "2031-12");
    assert_int_equal(g.count[1], 1);
    memset(&g, 0, sizeof(g));
    assert_int_equal(store_work_group(st, &f, STORE_WORK_BY_UNIT, row_cb, &g, NULL), 0);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.key[0], ""); /* no owner unit is a group too */
    assert_int_equal(g.count[0], 4);

    /* a stock: everything created by the year's end */
    int64_t p = item_at("rectification", y0 - 200 * 86400);
    assert_int_equal(do_move(p, "fixing", y0 + 100, &eb), 0);
    int64_t q = item_at("rectification", y0 + 100);
    assert_int_equal(do_move(q, "fixing", y0 + 200, &eb), 0);
    assert_int_equal(sup_work_stats(st, "rectification", 2031, today, &r1, &eb), 0);
    assert_int_equal(r1.created - r0.created, 2);
    assert_int_equal(state_of("rectification", r1.reached, "assigned") -
                         state_of("rectification", r0.reached, "assigned"),
                     2);
    assert_int_equal(state_of("rectification", r1.reached, "fixing") -
                         state_of("rectification", r0.reached, "fixing"),
                     2);
    assert_int_equal(state_of("rectification", r1.moved, "fixing") -
                         state_of("rectification", r0.moved, "fixing"),
                     2);
    assert_int_equal(state_of("rectification", r1.moved, "assigned") -
                         state_of("rectification", r0.moved, "assigned"),
                     1);
    assert_int_equal(store_work_item_count(st, &none, &all1, NULL), 0);
    assert_int_equal(all1 - all0, 7);
}

/* ---- credit ---- */

static struct credit_result rate(int all, const char *veto, const struct credit_event *ev,
                                 size_t nev)
{
    const struct credit_config *cfg = credit_config_default();
    struct credit_input in;
    struct credit_result r;
    memset(&in, 0, sizeof(in));
    for (int i = 0; i < 32; i++)
        in.score[i] = i < (int)cfg->nind ? all : -1;
    in.veto = veto;
    in.veto_at = 50;
    in.events = ev;
    in.nevents = nev;
    assert_int_equal(credit_evaluate(cfg, &in, &r, NULL), 0);
    return r;
}

static void test_credit(void **state)
{
    (void)state;
    /* thresholds (Fujian 2016): 96 green, 70 blue, 60 yellow */
    assert_int_equal(rate(96, NULL, NULL, 0).level, CREDIT_GREEN);
    assert_int_equal(rate(95, NULL, NULL, 0).level, CREDIT_BLUE);
    assert_int_equal(rate(70, NULL, NULL, 0).level, CREDIT_BLUE);
    assert_int_equal(rate(69, NULL, NULL, 0).level, CREDIT_YELLOW);
    assert_int_equal(rate(60, NULL, NULL, 0).level, CREDIT_YELLOW);
    assert_int_equal(rate(59, NULL, NULL, 0).level, CREDIT_RED);
    assert_int_equal(rate(100, NULL, NULL, 0).score, 10000);
    /* weighted: penalty (15 %) at 0, the rest 100 → (56-15)/56 = 73.21 → blue */
    const struct credit_config *cfg = credit_config_default();
    struct credit_input in;
    struct credit_result r;
    memset(&in, 0, sizeof(in));
    for (int i = 0; i < 32; i++)
        in.score[i] = i < (int)cfg->nind ? 100 : -1;
    for (size_t i = 0; i < cfg->nind; i++)
        if (!strcmp(cfg->ind[i].id, "penalty"))
            in.score[i] = 0;
    assert_int_equal(credit_evaluate(cfg, &in, &r, NULL), 0);
    assert_int_equal(r.score, 7321);
    assert_int_equal(r.level, CREDIT_BLUE);
    /* veto → red whatever the score */
    r = rate(100, "私设暗管", NULL, 0);
    assert_int_equal(r.level, CREDIT_RED);
    assert_true(r.vetoed);
    /* a general incident → one level down; two → two */
    struct credit_event inc[3] = {
        {10, CREDIT_EV_INCIDENT}, {20, CREDIT_EV_INCIDENT}, {100, CREDIT_EV_REPAIR}};
    assert_int_equal(rate(100, NULL, inc, 1).level, CREDIT_BLUE);
    assert_int_equal(rate(100, NULL, inc, 2).level, CREDIT_YELLOW);
    assert_int_equal(rate(59, NULL, inc, 2).level, CREDIT_RED); /* floor */
    /* repair after rectification clears earlier incidents and the veto */
    r = rate(100, "私设暗管", inc, 3);
    assert_int_equal(r.level, CREDIT_GREEN);
    assert_true(r.repaired);
    assert_false(r.vetoed);
    /* a score out of range is refused */
    in.score[0] = 101;
    assert_int_equal(credit_evaluate(cfg, &in, &r, NULL), EG_EINVAL);
}

/* ---- draws ---- */

static void test_draw(void **state)
{
    (void)state;
    /* splitmix64 from 0: first output 0xe220a8397b1dcdaf (Vigna's reference splitmix64.c) */
    struct draw_rng r;
    draw_rng_seed(&r, 0);
    assert_true(r.s[0] == 0xe220a8397b1dcdafULL);
    size_t a[50], b[50], c2[50];
    assert_int_equal(draw_select(20221231, 1500, 50, a, NULL), 0);
    assert_int_equal(draw_select(20221231, 1500, 50, b, NULL), 0);
    assert_memory_equal(a, b, sizeof(a));
    assert_int_equal(draw_select(20221232, 1500, 50, c2, NULL), 0);
    assert_memory_not_equal(a, c2, sizeof(a));
    for (int i = 0; i < 50; i++) {
        assert_true(a[i] < 1500);
        for (int j = 0; j < i; j++)
            assert_true(a[i] != a[j]);
    }
    /* bounded values are unbiased in range */
    draw_rng_seed(&r, 7);
    long hist[3] = {0, 0, 0};
    for (int i = 0; i < 30000; i++)
        hist[draw_rng_below(&r, 3)]++;
    for (int i = 0; i < 3; i++)
        assert_true(hist[i] > 9500 && hist[i] < 10500);
    /* recorded draw and replay through the store */
    for (int i = 0; i < 3; i++) {
        char code[8];
        snprintf(code, sizeof(code), "I%02d", i);
        assert_int_equal(store_work_inspector_put(st, code, "", "", true, NULL), 0);
    }
    assert_int_equal(store_work_exclusion_put(st, "I00", ENT, "亲属", NULL), 0);
    struct sup_draw_req req = {
        .pool = "all", .count = 1, .seed = 42, .year = 2022, .at = T0, .per_inspectors = 2};
    int64_t id;
    struct eg_errbuf eb = {0};
    assert_int_equal(sup_draw(st, &req, &id, &eb), 0);
    struct sup_draw_result x, y;
    assert_int_equal(sup_draw_load(st, id, false, &x, &eb), 0);
    assert_int_equal(sup_draw_load(st, id, true, &y, &eb), 0);
    assert_true(y.replay_match);
    assert_int_equal(x.n, 1);
    assert_string_equal(x.uscc[0], ENT);
    assert_int_equal(x.per, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(x.insp[i], y.insp[i]);
        assert_string_not_equal(x.insp[i], "I00"); /* excluded: conflict of interest */
    }
    sup_draw_result_done(&x);
    sup_draw_result_done(&y);
}

static void test_reduction(void **state)
{
    (void)state;
    struct grade_line l[2] = {{{1000, 2000, 500, 0}, {1000, 1000, 1000, 0}},
                              {{3000, 0, 500, 800}, {0, 0, 3000, 5000}}};
    struct grade_sum s;
    assert_int_equal(grade_reduction_sum(l, 2, GRADE_YELLOW, NULL, &s, NULL), 0);
    assert_int_equal(s.base_g[0], 4000);
    assert_int_equal(s.share_bp[0], 250); /* 100 g of 4000 g = 2.50 % */
    assert_false(s.met[0]);
    assert_int_equal(s.share_bp[1], 1000);
    assert_true(s.met[1]);                 /* exactly 10 % meets the yellow target */
    assert_int_equal(s.cut_mg[2], 200000); /* 50 g + 150 g */
    assert_int_equal(s.share_bp[2], 2000);
    assert_int_equal(s.share_bp[3], 5000);
    int64_t tot[4] = {8000, 0, 0, 0};
    assert_int_equal(grade_reduction_sum(l, 2, GRADE_ORANGE, tot, &s, NULL), 0);
    assert_int_equal(s.share_bp[0], 125);
    assert_string_equal(grade_code("引领性"), "L");
    assert_null(grade_code("E"));
    assert_non_null(strstr(grade_default_measure("A", GRADE_RED), "自主"));
    assert_int_equal(grade_target_bp(GRADE_RED), 3000);
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_uscc_real),
        cmocka_unit_test(test_uscc_corrupted),
        cmocka_unit_test(test_credit),
        cmocka_unit_test(test_reduction),
    };
    const struct CMUnitTest stored[] = {
        cmocka_unit_test(test_legal_paths),    cmocka_unit_test(test_illegal_transitions),
        cmocka_unit_test(test_append_only),    cmocka_unit_test(test_deadlines),
        cmocka_unit_test(test_stats_sentence), cmocka_unit_test(test_stats_exact),
        cmocka_unit_test(test_draw),
    };
    int rc = cmocka_run_group_tests(pure, NULL, NULL);
    return rc | cmocka_run_group_tests(stored, setup, teardown);
}
