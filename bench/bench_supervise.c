/* bench_supervise.c — the supervision store at scale: 100,000 enterprises and 1,000,000 work
 * items (with their events) in a database built once and cached, then list / filter / statistics
 * queries timed (each must take ≤ 50 ms), and a baseline measured in the same run: the same
 * statistics by a naive full scan of every item in C (what the queries would cost without the
 * indexes), with the ratio.  Usage: bench_supervise DB [ENTERPRISES ITEMS].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/eg_time.h"
#include "store/store.h"
#include "supervise/supervise.h"

/* CPU time of this thread: what the query cost, whatever else the machine runs meanwhile. */
static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint64_t rng = 88172645463325252u;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void make_uscc(long i, char out[19])
{
    char buf[40];
    snprintf(buf, sizeof(buf), "91211103%09ld", i % 1000000000L);
    memcpy(out, buf, 17);
    out[17] = uscc_check_char(out);
    out[18] = 0;
}

/* A realistic mix: kinds weighted as a city's work is (river-patrol issues and hazards dominate,
 * compensation cases are rare), owner units weighted, items created in time order over 2020-2024
 * (ids grow with time, as they do in a live system), each moved 1-3 times (2-4 events) along the
 * kind's transitions with the amounts the transitions require.  One enterprise (make_uscc(4242))
 * carries ~500 items for `enterprise show`. */
static const struct {
    const char *kind;
    int permille;
} mix[] = {{"patrol", 380},  {"hazard", 350},       {"case", 150},
           {"petition", 60}, {"rectification", 40}, {"compensation", 20}};
static const char *const units[] = {"兴隆台区", "双台子区",   "大洼区",
                                    "盘山县",   "辽东湾新区", "执法支队"};
static const int unit_w[] = {30, 25, 20, 15, 6, 4};

static const char *pick_kind(void)
{
    int r = (int)(rnd() % 1000);
    for (size_t i = 0; i < sizeof(mix) / sizeof(mix[0]); i++)
        if ((r -= mix[i].permille) < 0)
            return mix[i].kind;
    return mix[0].kind;
}

static const char *pick_unit(void)
{
    int r = (int)(rnd() % 100);
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if ((r -= unit_w[i]) < 0)
            return units[i];
    return units[0];
}

static int build(struct store *s, long nent, long nitems)
{
    struct eg_errbuf eb = {0};
    char u[19];
    int rc = store_begin(s, &eb);
    for (long i = 0; i < nent && !rc; i++) {
        make_uscc(i, u);
        struct store_enterprise e = {u, "企业", "2511", units[i % 4], "", 122.0, 41.0, "active"};
        rc = store_work_enterprise_put(s, &e, &eb);
    }
    int64_t t0 = eg_unix_from_beijing(eg_days_from_civil(2020, 1, 1), 28800);
    int64_t span = eg_unix_from_beijing(eg_days_from_civil(2025, 1, 1), 0) - t0 - 86400;
    for (long i = 0; i < nitems && !rc; i++) {
        if (i % 100000 == 0) {
            if ((rc = store_commit(s, &eb)) || (rc = store_begin(s, &eb)))
                break;
            fprintf(stderr, "\rbuilding: %ld items", i);
        }
        const struct wf_kind *k = wf_kind_find(pick_kind());
        int64_t t = t0 + (int64_t)((double)span * (double)i / (double)nitems);
        int32_t day = (int32_t)((t + 28800) / 86400);
        make_uscc(rnd() % 2000 == 0 ? 4242 % nent : (long)(rnd() % (uint64_t)nent), u);
        struct store_work_item it = {
            .kind = k->name,
            .title = "bench",
            .state = k->initial,
            .open = true,
            .unit = pick_unit(),
            .person = "",
            .enterprise = u,
            .point = "",
            .round = "",
            .due = day + (k->due_days > 0 ? k->due_days : 30 + (int32_t)(rnd() % 90))};
        struct store_work_event ev = {.kind = k->name,
                                      .at = t,
                                      .actor = "bench",
                                      .role = "office",
                                      .from = "",
                                      .to = k->initial,
                                      .note = "",
                                      .evidence = ""};
        int64_t id;
        if ((rc = store_work_item_new(s, &it, &ev, &id, &eb)))
            break;
        /* 1-3 moves: mostly the first (forward) transition, sometimes another legal one */
        const char *cur = k->initial;
        int steps = 1 + (int)(rnd() % 3);
        int64_t at = t;
        for (int st = 0; st < steps && !rc; st++) {
            const struct wf_trans *tr[16];
            size_t n = 0;
            for (size_t j = 0; j < k->ntrans && n < 16; j++)
                if (!strcmp(k->trans[j].from, cur))
                    tr[n++] = &k->trans[j];
            if (!n)
                break;
            const struct wf_trans *x = rnd() % 10 < 7 ? tr[0] : tr[rnd() % n];
            at += 86400 * (1 + (int64_t)(rnd() % 30));
            struct store_work_event m = {
                .item = id,
                .kind = k->name,
                .at = at,
                .actor = "bench",
                .role = "office",
                .from = cur,
                .to = x->to,
                .note = x->need & WF_NEED_NOTE ? "bench note" : "",
                .evidence = x->need & WF_NEED_EVIDENCE ? "00000000000000000000000000000000" : "",
                .has_amount = (x->need & WF_NEED_AMOUNT) != 0,
                .amount_fen = 100000 * (1 + (int64_t)(rnd() % 1000))};
            rc = store_work_event_add(s, &m, !wf_state_find(k, x->to)->final, &eb);
            cur = x->to;
        }
    }
    if (!rc)
        rc = store_commit(s, &eb);
    fprintf(stderr, "\n");
    if (rc)
        fprintf(stderr, "build: %s\n", eb.msg);
    return rc;
}

/* ---- timing ---- */

#define RUNS 7

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double worst, worst_cpu;
static int nslow, nslow_cpu;

/* One row: the query's median wall and CPU time over RUNS runs, the naive baseline (one run,
 * wall) and the ratio of the walls. */
static void report(const char *label, double *t, double *c, double naive)
{
    qsort(t, RUNS, sizeof(t[0]), cmp_d);
    qsort(c, RUNS, sizeof(c[0]), cmp_d);
    double med = t[RUNS / 2], cpu = c[RUNS / 2];
    if (med > worst)
        worst = med;
    if (cpu > worst_cpu)
        worst_cpu = cpu;
    nslow += med > 50.0;
    nslow_cpu += cpu > 50.0;
    printf("| %-52s | %8.2f | %8.2f | %9.1f | %7.0fx | %s |\n", label, med, cpu, naive,
           naive / (med > 0.001 ? med : 0.001),
           med <= 50.0   ? "ok"
           : cpu <= 50.0 ? "CPU ok"
                         : "SLOW");
    fflush(stdout);
}

#define TIMED(label, expr, naive_expr)                                 \
    do {                                                               \
        double t_[RUNS], c_[RUNS];                                     \
        for (int r_ = 0; r_ < RUNS; r_++) {                            \
            double t0_ = now_ms(), c0_ = cpu_ms();                     \
            if ((expr) != 0) {                                         \
                fprintf(stderr, "%s failed: %s\n", label, eb.msg);     \
                return 1;                                              \
            }                                                          \
            t_[r_] = now_ms() - t0_;                                   \
            c_[r_] = cpu_ms() - c0_;                                   \
        }                                                              \
        double n0_ = now_ms();                                         \
        if ((naive_expr) != 0) {                                       \
            fprintf(stderr, "%s (naive) failed: %s\n", label, eb.msg); \
            return 1;                                                  \
        }                                                              \
        report(label, t_, c_, now_ms() - n0_);                         \
    } while (0)

/* ---- the queries' callbacks ---- */

static int count_cb(void *ud, const struct store_work_item *it)
{
    (void)it;
    ++*(long *)ud;
    return 0;
}

static int ent_cb(void *ud, const struct store_enterprise *e)
{
    (void)e;
    ++*(long *)ud;
    return 0;
}

#define COUNTER(name, type)                  \
    static int name(void *ud, const type *x) \
    {                                        \
        (void)x;                             \
        ++*(long *)ud;                       \
        return 0;                            \
    }
COUNTER(outlet_cb, struct store_outlet)
COUNTER(permit_cb, struct store_permit)
COUNTER(credit_cb, struct store_credit)
COUNTER(grade_cb, struct store_grade)
static int list_cb(void *ud, const char *a, int y, const char *b)
{
    (void)a, (void)y, (void)b;
    ++*(long *)ud;
    return 0;
}
/* A grouping's rows, kept to be compared with the naive computation. */
struct groups {
    long n;
    char keys[64][32];
    long counts[64];
};

static int group_cb(void *ud, const char *key, long n)
{
    struct groups *g = ud;
    if (g->n == 64)
        return -1;
    snprintf(g->keys[g->n], sizeof(g->keys[0]), "%s", key);
    g->counts[g->n++] = n;
    return 0;
}

/* `enterprise show`: the file's every section, as cmd_enterprise.c reads them. */
static int ent_show(struct store *s, const char *u, long *ret_items, struct eg_errbuf *eb)
{
    struct store_work_filter f = {.enterprise = u};
    long o = 0;
    return store_work_enterprise_get(s, u, ent_cb, &o, eb) ||
                   store_work_outlet_each(s, u, outlet_cb, &o, eb) ||
                   store_work_permit_each(s, u, permit_cb, &o, eb) ||
                   store_work_list_each(s, u, list_cb, &o, eb) ||
                   store_work_item_each(s, &f, count_cb, ret_items, eb) ||
                   store_work_credit_each(s, u, credit_cb, &o, eb) ||
                   store_work_grade_each(s, u, 0, grade_cb, &o, eb)
               ? -1
               : 0;
}

/* ---- naive baselines: every item read in C, the filter applied in C ---- */

static bool match(const struct store_work_filter *f, const struct store_work_item *it)
{
    return (!f->kind || !strcmp(f->kind, it->kind)) &&
           (!f->state || !strcmp(f->state, it->state)) &&
           (!f->unit || !strcmp(f->unit, it->unit)) &&
           (!f->enterprise || !strcmp(f->enterprise, it->enterprise)) &&
           (!f->overdue || (it->open && it->due != INT32_MIN && it->due < f->overdue_day)) &&
           (!f->created || (it->created_at >= f->created_from && it->created_at < f->created_to)) &&
           it->id > f->after_id;
}

struct naive {
    const struct store_work_filter *f;
    long n;
    const char *by; /* group key: "state", "unit", "month" (counted per distinct key) */
    struct groups g;
};

static int naive_cb(void *ud, const struct store_work_item *it)
{
    struct naive *nv = ud;
    if (!match(nv->f, it))
        return 0;
    if (nv->f->limit && nv->n >= nv->f->limit)
        return 1; /* a list stops at its page */
    nv->n++;
    if (nv->by) {
        char k[32];
        if (!strcmp(nv->by, "month")) {
            int32_t day;
            int sec, y, m, d;
            eg_beijing_from_unix(it->created_at, &day, &sec);
            eg_civil_from_days(day, &y, &m, &d);
            snprintf(k, sizeof(k), "%04d-%02d", y, m);
        } else {
            snprintf(k, sizeof(k), "%s", !strcmp(nv->by, "unit") ? it->unit : it->state);
        }
        long i = 0;
        while (i < nv->g.n && strcmp(nv->g.keys[i], k))
            i++;
        if (i == nv->g.n && nv->g.n < 64)
            memcpy(nv->g.keys[nv->g.n++], k, sizeof(k));
        if (i < nv->g.n)
            nv->g.counts[i]++;
    }
    return 0;
}

/* The items matching f read one by one (a list stops at its page), compared with what the query
 * gave: want_n rows or count, or (by) the grouping want_g. */
static int naive_items(struct store *s, const struct store_work_filter *f, const char *by,
                       long want_n, const struct groups *want_g, struct eg_errbuf *eb)
{
    struct store_work_filter all = {0};
    struct naive nv = {.f = f, .by = by};
    int rc = store_work_item_each(s, &all, naive_cb, &nv, eb);
    if (rc < 0)
        return rc;
    if (!by)
        return nv.n == want_n
                   ? 0
                   : eg_errf(eb, EG_ESTATE, "naive: %ld items, the query: %ld", nv.n, want_n);
    long total = 0;
    for (long i = 0; i < nv.g.n; i++) {
        long j = 0;
        while (j < want_g->n && strcmp(want_g->keys[j], nv.g.keys[i]))
            j++;
        if (j == want_g->n || want_g->counts[j] != nv.g.counts[i])
            return eg_errf(eb, EG_ESTATE, "naive: %s has %ld, the grouping %ld", nv.g.keys[i],
                           nv.g.counts[i], j == want_g->n ? 0 : want_g->counts[j]);
        total += nv.g.counts[i];
    }
    return nv.g.n == want_g->n && total == nv.n
               ? 0
               : eg_errf(eb, EG_ESTATE, "naive: %ld groups, the grouping %ld", nv.g.n, want_g->n);
}

struct nent {
    const char *region, *after;
    long n;
};

static int nent_cb(void *ud, const struct store_enterprise *e)
{
    struct nent *ne = ud;
    if ((ne->region && strcmp(ne->region, e->region)) ||
        (ne->after && strcmp(e->uscc, ne->after) <= 0))
        return 0;
    return ++ne->n == 100; /* a page */
}

static int naive_ents(struct store *s, const char *region, const char *after, struct eg_errbuf *eb)
{
    struct store_ent_filter all = {0};
    struct nent ne = {region, after, 0};
    int rc = store_work_enterprise_each(s, &all, nent_cb, &ne, eb);
    return rc == 1 ? 0 : rc;
}

static int naive_show(struct store *s, const char *u, long want, struct eg_errbuf *eb)
{
    long n = 0;
    struct store_work_filter f = {.enterprise = u};
    return store_work_enterprise_get(s, u, ent_cb, &n, eb) ||
                   naive_items(s, &f, NULL, want, NULL, eb)
               ? -1
               : 0;
}

/* The year statistics by hand: every item read, then each of the kind's items' events, and the
 * figures compared with sup_work_stats (a check of the indexed queries at scale). */
struct nstat {
    const struct wf_kind *k;
    int64_t cfrom, start, end;
    int32_t today;
    int64_t *ids;
    long nids, cap;
    long created, overdue;
    long reached[16], moved[16];
    int64_t moved_amount[16];
    bool seen_r[16], seen_m[16], in_period;
};

static int nstat_item(void *ud, const struct store_work_item *it)
{
    struct nstat *ns = ud;
    if (strcmp(it->kind, ns->k->name) || it->created_at >= ns->end)
        return 0;
    if (it->created_at >= ns->cfrom) {
        ns->created++;
        ns->overdue += it->open && it->due != INT32_MIN && it->due < ns->today;
    }
    if (ns->nids == ns->cap) {
        ns->cap = ns->cap ? 2 * ns->cap : 65536;
        int64_t *n = realloc(ns->ids, (size_t)ns->cap * sizeof(*n));
        if (!n)
            return -1;
        ns->ids = n;
    }
    ns->ids[ns->nids++] = it->id * 2 + (it->created_at >= ns->cfrom); /* id, in the period */
    return 0;
}

static int nstat_event(void *ud, const struct store_work_event *ev)
{
    struct nstat *ns = ud;
    for (size_t i = 0; i < ns->k->nstates && i < 16; i++)
        if (!strcmp(ns->k->states[i].code, ev->to)) {
            if (ev->at >= ns->start && ev->at < ns->end) {
                ns->moved[i] += !ns->seen_m[i];
                ns->seen_m[i] = true;
                ns->moved_amount[i] += ev->has_amount ? ev->amount_fen : 0;
            }
            if (ev->at < ns->end && ns->in_period) {
                ns->reached[i] += !ns->seen_r[i];
                ns->seen_r[i] = true;
            }
        }
    return 0;
}

static bool is_stock(const char *kind)
{
    return !strcmp(kind, "rectification") || !strcmp(kind, "petition");
}

static int naive_stats(struct store *s, const char *kind, int year, int32_t today,
                       const struct sup_stats *want, struct eg_errbuf *eb)
{
    struct nstat ns = {.k = wf_kind_find(kind), .today = today};
    ns.start = eg_unix_from_beijing(eg_days_from_civil(year, 1, 1), 0);
    ns.end = eg_unix_from_beijing(eg_days_from_civil(year + 1, 1, 1), 0);
    ns.cfrom = is_stock(kind) ? INT64_MIN : ns.start;
    struct store_work_filter all = {0};
    int rc = store_work_item_each(s, &all, nstat_item, &ns, eb);
    for (long i = 0; i < ns.nids && !rc; i++) {
        memset(ns.seen_r, 0, sizeof(ns.seen_r));
        memset(ns.seen_m, 0, sizeof(ns.seen_m));
        ns.in_period = ns.ids[i] % 2 == 1;
        rc = store_work_event_each(s, ns.ids[i] / 2, nstat_event, &ns, eb);
    }
    free(ns.ids);
    if (rc)
        return rc;
    bool ok = ns.created == want->created && ns.overdue == want->overdue;
    for (size_t i = 0; i < ns.k->nstates && i < 16; i++)
        ok = ok && ns.moved[i] == want->moved[i] && ns.moved_amount[i] == want->moved_amount[i] &&
             ns.reached[i] == want->reached[i];
    if (!ok)
        return eg_errf(eb, EG_ESTATE, "%s %d: naive created %ld overdue %ld differ from %ld %ld",
                       kind, year, ns.created, ns.overdue, want->created, want->overdue);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 4) {
        fprintf(stderr, "usage: %s DB [ENTERPRISES ITEMS]\n", argv[0]);
        return 2;
    }
    long nent = argc == 4 ? atol(argv[2]) : 100000, nitems = argc == 4 ? atol(argv[3]) : 1000000;
    if (nent < 1 || nitems < 1) {
        fprintf(stderr, "ENTERPRISES and ITEMS must be positive\n");
        return 2;
    }
    struct store *s;
    struct eg_errbuf eb = {0};
    if (access(argv[1], F_OK) != 0) {
        /* build into DB.tmp and rename, so that an interrupted build is never taken as cached */
        char tmp[4096], wal[4200];
        snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
        snprintf(wal, sizeof(wal), "%s-wal", tmp);
        unlink(tmp);
        unlink(wal);
        if (store_open(tmp, 0, &s, &eb)) {
            fprintf(stderr, "%s\n", eb.msg);
            return 1;
        }
        double t0 = now_ms();
        if (build(s, nent, nitems))
            return 1;
        store_close(s);
        if (rename(tmp, argv[1]) != 0) {
            perror(argv[1]);
            return 1;
        }
        printf("built %ld enterprises and %ld items in %.1f s\n", nent, nitems,
               (now_ms() - t0) / 1e3);
    }
    double t0 = now_ms();
    if (store_open(argv[1], 0, &s, &eb)) { /* applies pending migrations (indexes) */
        fprintf(stderr, "%s\n", eb.msg);
        return 1;
    }
    double opened = now_ms() - t0;
    long have = 0, nev = 0;
    struct store_work_filter all = {0};
    if (store_work_item_count(s, &all, &have, &eb))
        return 1;
    struct store_ent_filter eall = {0};
    if (store_work_enterprise_count(s, &eall, &nev, &eb))
        return 1;
    printf("database %s: %ld enterprises, %ld items (opened in %.1f s)\n\n", argv[1], nev, have,
           opened / 1e3);
    double la[3] = {0, 0, 0};
    FILE *fp = fopen("/proc/loadavg", "r");
    if (fp) {
        if (fscanf(fp, "%lf %lf %lf", &la[0], &la[1], &la[2]) != 3)
            la[0] = la[1] = la[2] = 0;
        fclose(fp);
    }
    printf("%ld online CPUs, load average %.2f %.2f %.2f; medians of %d runs\n\n",
           sysconf(_SC_NPROCESSORS_ONLN), la[0], la[1], la[2], RUNS);
    printf("| %-52s | %8s | %8s | %9s | %8s | %s |\n", "query", "wall ms", "CPU ms", "naive ms",
           "ratio", "≤ 50 ms");
    printf("|%s|%s|%s|%s|%s|%s|\n", "------------------------------------------------------",
           "---------:", "---------:", "----------:", "---------:", "---");

    long n = 0;
    int32_t today = eg_days_from_civil(2024, 7, 1);
    char u[19], ua[19];
    make_uscc(4242 % nent, u);
    make_uscc(nent / 2, ua);
    int64_t mid = have / 2;
    char label[128];

    /* work list: each filter, a page of 100 (the CLI's --limit), and paging by --after */
    const struct {
        const char *label;
        struct store_work_filter f;
    } lists[] = {
        {"list (no filter, 1000)", {.limit = 1000}},
        {"list --kind hazard (100)", {.kind = "hazard", .limit = 100}},
        {"list --kind hazard --state fixing (100)",
         {.kind = "hazard", .state = "fixing", .limit = 100}},
        {"list --state decided (100)", {.state = "decided", .limit = 100}},
        {"list --unit 大洼区 (100)", {.unit = "大洼区", .limit = 100}},
        {"list --overdue (100)", {.overdue = true, .overdue_day = today, .limit = 100}},
        {"list --kind case --overdue (100)",
         {.kind = "case", .overdue = true, .overdue_day = today, .limit = 100}},
        {"list --enterprise U (all, ~500)", {.enterprise = u}},
        {"list --kind compensation --state agreed --unit 执法支队 (100)",
         {.kind = "compensation", .state = "agreed", .unit = "执法支队", .limit = 100}},
        {"list --kind hazard --after N/2 (100)", {.kind = "hazard", .after_id = mid, .limit = 100}},
        {"list --unit 大洼区 --after N/2 (100)", {.unit = "大洼区", .after_id = mid, .limit = 100}},
        {"list --overdue --after N/2 (100)",
         {.overdue = true, .overdue_day = today, .after_id = mid, .limit = 100}},
    };
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
        TIMED(lists[i].label, (n = 0, store_work_item_each(s, &lists[i].f, count_cb, &n, &eb)),
              naive_items(s, &lists[i].f, NULL, n, NULL, &eb));

    /* work list --count */
    const struct {
        const char *label;
        struct store_work_filter f;
    } counts[] = {
        {"list --count", {0}},
        {"list --count --kind hazard", {.kind = "hazard"}},
        {"list --count --kind hazard --state found", {.kind = "hazard", .state = "found"}},
        {"list --count --state fixing", {.state = "fixing"}},
        {"list --count --unit 大洼区", {.unit = "大洼区"}},
        {"list --count --overdue", {.overdue = true, .overdue_day = today}},
        {"list --count --kind case --overdue",
         {.kind = "case", .overdue = true, .overdue_day = today}},
        {"list --count --enterprise U", {.enterprise = u}},
    };
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
        TIMED(counts[i].label, store_work_item_count(s, &counts[i].f, &n, &eb),
              naive_items(s, &counts[i].f, NULL, n, NULL, &eb));

    /* work stats: every kind and year, each checked against the naive computation */
    for (size_t k = 0; k < wf_kind_count(); k++)
        for (int y = 2020; y <= 2024; y++) {
            struct sup_stats st;
            const char *kn = wf_kind_at(k)->name;
            snprintf(label, sizeof(label), "stats --kind %s --year %d%s", kn, y,
                     is_stock(kn) ? " (stock)" : "");
            TIMED(label, sup_work_stats(s, kn, y, today, &st, &eb),
                  naive_stats(s, kn, y, today, &st, &eb));
        }

    /* work stats --by unit|state|month: every kind, 2022 */
    static const char *const bys[] = {"state", "unit", "month"};
    for (size_t k = 0; k < wf_kind_count(); k++)
        for (int b = 0; b < 3; b++) {
            const char *kn = wf_kind_at(k)->name;
            struct store_work_filter f = {
                .kind = kn,
                .created = true,
                .created_from = eg_unix_from_beijing(eg_days_from_civil(2022, 1, 1), 0),
                .created_to = eg_unix_from_beijing(eg_days_from_civil(2023, 1, 1), 0)};
            snprintf(label, sizeof(label), "stats --kind %s --year 2022 --by %s", kn, bys[b]);
            struct groups g;
            TIMED(label,
                  (g.n = 0, store_work_group(s, &f, (enum store_work_by)b, group_cb, &g, &eb)),
                  naive_items(s, &f, bys[b], 0, &g, &eb));
        }

    /* enterprise list (pages of 100) and show */
    struct store_ent_filter e1 = {.limit = 100}, e2 = {.after = ua, .limit = 100},
                            e3 = {.region = "盘山县", .limit = 100},
                            e4 = {.region = "盘山县", .after = ua, .limit = 100};
    TIMED("enterprise list (100)", store_work_enterprise_each(s, &e1, ent_cb, &n, &eb),
          naive_ents(s, NULL, NULL, &eb));
    TIMED("enterprise list --after U (100)", store_work_enterprise_each(s, &e2, ent_cb, &n, &eb),
          naive_ents(s, NULL, ua, &eb));
    TIMED("enterprise list --region 盘山县 (100)",
          store_work_enterprise_each(s, &e3, ent_cb, &n, &eb), naive_ents(s, "盘山县", NULL, &eb));
    TIMED("enterprise list --region 盘山县 --after U (100)",
          store_work_enterprise_each(s, &e4, ent_cb, &n, &eb), naive_ents(s, "盘山县", ua, &eb));
    TIMED("enterprise show U (~500 items)", (n = 0, ent_show(s, u, &n, &eb)),
          naive_show(s, u, n, &eb));

    printf("\nslowest query: %.2f ms wall, %.2f ms CPU; over 50 ms: %d by wall, %d by CPU\n", worst,
           worst_cpu, nslow, nslow_cpu);
    store_close(s);
    return nslow ? 1 : 0;
}
