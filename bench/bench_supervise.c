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

static int build(struct store *s, long nent, long nitems)
{
    struct eg_errbuf eb = {0};
    static const char *const kinds[] = {"hazard",        "case",         "petition",
                                        "rectification", "compensation", "patrol"};
    static const char *const units[] = {"兴隆台区", "双台子区", "大洼区", "盘山县"};
    char u[19];
    int rc = store_begin(s, &eb);
    for (long i = 0; i < nent && !rc; i++) {
        make_uscc(i, u);
        struct store_enterprise e = {u, "企业", "2511", units[i % 4], "", 122.0, 41.0, "active"};
        rc = store_work_enterprise_put(s, &e, &eb);
    }
    for (long i = 0; i < nitems && !rc; i++) {
        if (i % 50000 == 0) {
            if ((rc = store_commit(s, &eb)) || (rc = store_begin(s, &eb)))
                break;
            fprintf(stderr, "\rbuilding: %ld items", i);
        }
        const struct wf_kind *k = wf_kind_find(kinds[rnd() % 6]);
        int year = 2016 + (int)(rnd() % 10);
        int64_t t =
            eg_unix_from_beijing(eg_days_from_civil(year, 1, 1) + (int32_t)(rnd() % 365), 36000);
        make_uscc((long)(rnd() % (uint64_t)nent), u);
        struct store_work_item it = {.kind = k->name,
                                     .title = "bench",
                                     .state = k->initial,
                                     .open = true,
                                     .unit = units[rnd() % 4],
                                     .person = "",
                                     .enterprise = u,
                                     .point = "",
                                     .round = "",
                                     .due = eg_days_from_civil(year, 1, 1) + 60 +
                                            (int32_t)(rnd() % 365)};
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
        /* walk a random prefix of the kind's first transitions */
        const char *cur = k->initial;
        int steps = (int)(rnd() % 4);
        for (int st = 0; st < steps && !rc; st++) {
            const struct wf_trans *tr = NULL;
            for (size_t j = 0; j < k->ntrans && !tr; j++)
                if (!strcmp(k->trans[j].from, cur))
                    tr = &k->trans[j];
            if (!tr)
                break;
            struct store_work_event m = {.item = id,
                                         .kind = k->name,
                                         .at = t + (st + 1) * 86400,
                                         .actor = "bench",
                                         .role = "office",
                                         .from = cur,
                                         .to = tr->to,
                                         .note = "",
                                         .evidence = "",
                                         .has_amount = !strcmp(tr->to, "decided"),
                                         .amount_fen = 1000000};
            rc = store_work_event_add(s, &m, !wf_state_find(k, tr->to)->final, &eb);
            cur = tr->to;
        }
    }
    if (!rc)
        rc = store_commit(s, &eb);
    fprintf(stderr, "\n");
    if (rc)
        fprintf(stderr, "build: %s\n", eb.msg);
    return rc;
}

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

struct naive {
    int64_t from, to;
    long created;
};

static int naive_cb(void *ud, const struct store_work_item *it)
{
    struct naive *n = ud;
    if (!strcmp(it->kind, "hazard") && it->created_at >= n->from && it->created_at < n->to)
        n->created++;
    return 0;
}

#define TIME(label, expr)                                                                    \
    do {                                                                                     \
        double best = 1e9;                                                                   \
        for (int r_ = 0; r_ < 5; r_++) {                                                     \
            double t0_ = now_ms();                                                           \
            if ((expr) != 0) {                                                               \
                fprintf(stderr, "%s failed: %s\n", label, eb.msg);                           \
                return 1;                                                                    \
            }                                                                                \
            double d_ = now_ms() - t0_;                                                      \
            if (d_ < best)                                                                   \
                best = d_;                                                                   \
        }                                                                                    \
        printf("%-44s %9.2f ms %s\n", label, best, best <= 50.0 ? "ok (<= 50 ms)" : "SLOW"); \
        worst = best > worst ? best : worst;                                                 \
        last = best;                                                                         \
    } while (0)

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 4) {
        fprintf(stderr, "usage: %s DB [ENTERPRISES ITEMS]\n", argv[0]);
        return 2;
    }
    long nent = argc == 4 ? atol(argv[2]) : 100000, nitems = argc == 4 ? atol(argv[3]) : 1000000;
    struct store *s;
    struct eg_errbuf eb = {0};
    bool fresh = access(argv[1], F_OK) != 0;
    if (store_open(argv[1], 0, &s, &eb)) {
        fprintf(stderr, "%s\n", eb.msg);
        return 1;
    }
    long have = 0;
    struct store_work_filter all = {0};
    if (store_work_item_count(s, &all, &have, &eb))
        return 1;
    if (fresh || have < nitems) {
        double t0 = now_ms();
        if (build(s, nent, nitems))
            return 1;
        printf("built %ld enterprises and %ld items in %.1f s\n", nent, nitems,
               (now_ms() - t0) / 1e3);
    } else {
        printf("using the cached database %s (%ld items)\n", argv[1], have);
    }
    double worst = 0, last = 0;
    long n = 0;
    int32_t today = eg_days_from_civil(2024, 7, 1);
    struct sup_stats st;
    struct store_work_filter f1 = {.kind = "hazard", .state = "fixing", .limit = 100};
    TIME("list --kind hazard --state fixing (100)",
         store_work_item_each(s, &f1, count_cb, &n, &eb));
    struct store_work_filter f2 = {
        .kind = "case", .overdue = true, .overdue_day = today, .limit = 100};
    TIME("list --kind case --overdue (100)", store_work_item_each(s, &f2, count_cb, &n, &eb));
    struct store_work_filter f3 = {.overdue = true, .overdue_day = today, .limit = 100};
    TIME("list --overdue (100)", store_work_item_each(s, &f3, count_cb, &n, &eb));
    struct store_work_filter f4 = {.unit = "大洼区", .limit = 100};
    TIME("list --unit 大洼区 (100)", store_work_item_each(s, &f4, count_cb, &n, &eb));
    char u[19];
    make_uscc(4242, u);
    struct store_work_filter f5 = {.enterprise = u};
    TIME("list --enterprise USCC (all)", store_work_item_each(s, &f5, count_cb, &n, &eb));
    struct store_work_filter f6 = {.kind = "hazard", .state = "found"};
    TIME("count --kind hazard --state found", store_work_item_count(s, &f6, &n, &eb));
    TIME("stats --kind hazard --year 2022", sup_work_stats(s, "hazard", 2022, today, &st, &eb));
    double indexed = last;
    TIME("stats --kind case --year 2022", sup_work_stats(s, "case", 2022, today, &st, &eb));
    struct store_ent_filter ef = {.region = "盘山县", .limit = 100};
    TIME("enterprise list --region 盘山县 (100)",
         store_work_enterprise_each(s, &ef, ent_cb, &n, &eb));
    /* baseline: the year's hazard count by scanning every item */
    struct naive nv = {eg_unix_from_beijing(eg_days_from_civil(2022, 1, 1), 0),
                       eg_unix_from_beijing(eg_days_from_civil(2023, 1, 1), 0), 0};
    double t0 = now_ms();
    if (store_work_item_each(s, &all, naive_cb, &nv, &eb))
        return 1;
    double naive = now_ms() - t0;
    printf("%-44s %9.2f ms (found=%ld)\n", "baseline: naive full scan, hazard 2022", naive,
           nv.created);
    printf("ratio naive scan / indexed stats (hazard 2022): %.1fx\n", naive / indexed);
    printf("slowest query: %.2f ms (%s)\n", worst, worst <= 50.0 ? "all <= 50 ms" : "OVER 50 ms");
    store_close(s);
    return worst <= 50.0 ? 0 : 1;
}
