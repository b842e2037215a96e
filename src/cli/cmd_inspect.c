/* cmd_inspect.c — double-random inspections (双随机一公开): the inspector pool with conflict-of-
 * interest exclusions, seeded draws that record seed, algorithm, candidate lists and result, and
 * replays that recompute a draw from its record. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "common/eg_time.h"
#include "supervise/supervise.h"

static const struct cli_opt insp_opts[] = {{"name", CLI_VALUE, "NAME", "inspector's name"},
                                           {"unit", CLI_VALUE, "UNIT", "inspector's unit"},
                                           {"inactive", CLI_FLAG, NULL, "mark as not drawable"},
                                           {NULL, 0, NULL, NULL}};
static const struct cli_opt excl_opts[] = {
    {"reason", CLI_VALUE, "TEXT", "why (回避: kinship, former employer …)"}, {NULL, 0, NULL, NULL}};
static const struct cli_opt draw_opts[] = {
    {"pool", CLI_VALUE, "NAME", "all, key, general or special"},
    {"count", CLI_VALUE, "N", "enterprises to draw (default: the pool's ratio)"},
    {"seed", CLI_VALUE, "S", "64-bit seed (decimal); record it publicly"},
    {"year", CLI_VALUE, "YEAR", "year of the lists that define key/special (default this year)"},
    {"inspectors", CLI_VALUE, "N", "inspectors per enterprise (default 2)"},
    {"publish", CLI_FLAG, NULL, "mark the result for publication (一公开)"},
    {NULL, 0, NULL, NULL}};
static const struct cli_opt no_opts[] = {{NULL, 0, NULL, NULL}};

static int run_insp(struct cli *c, const struct cli_args *a);
static int run_excl(struct cli *c, const struct cli_args *a);
static int run_draw(struct cli *c, const struct cli_args *a);
static int run_replay(struct cli *c, const struct cli_args *a);

const struct cli_cmd cli_inspect_cmds[] = {
    {"inspect inspector", "add or update an inspector (执法检查人员名录库)",
     "inspect inspector CODE [--name N] [--unit U] [--inactive]", NULL, insp_opts, 1, 1, false,
     run_insp},
    {"inspect exclude", "an inspector may not inspect an enterprise (回避)",
     "inspect exclude INSPECTOR USCC [--reason TEXT]", NULL, excl_opts, 2, 2, false, run_excl},
    {"inspect draw", "draw enterprises and inspectors at random, and record the draw",
     "inspect draw --pool NAME [--count N] --seed S [--year Y] [--inspectors N]",
     "Candidates are the pool's active enterprises in USCC order; the generator is\n" DRAW_ALGORITHM
     ".\nThe seed, the candidate lists and the result are recorded: `envgov inspect replay ID`\n"
     "recomputes the same lists.  Pools: all, key (water/air/soil key dischargers of the year),\n"
     "special (credit yellow/red, or on the year's special list), general (the rest).",
     draw_opts, 0, 0, true, run_draw},
    {"inspect replay", "recompute a recorded draw from its seed and candidate lists",
     "inspect replay DRAW_ID", NULL, no_opts, 1, 1, true, run_replay},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL}};

static int run_insp(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    const char *n = cli_value(cmd, a, "name"), *u = cli_value(cmd, a, "unit");
    if (cli_store(c))
        return CLI_FAIL;
    int rc = store_work_inspector_put(c->store, a->pos[0], n ? n : "", u ? u : "",
                                      !cli_flag(cmd, a, "inactive"), &c->eb);
    return rc ? cli_fail(c, rc) : CLI_OK;
}

static int run_excl(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    const char *r = cli_value(cmd, a, "reason");
    if (cli_store(c))
        return CLI_FAIL;
    int rc = store_work_exclusion_put(c->store, a->pos[0], a->pos[1], r ? r : "", &c->eb);
    return rc ? cli_fail(c, rc) : CLI_OK;
}

static int print_draw(struct cli *c, const struct sup_draw_result *r, bool replay)
{
    struct fmt *f = cli_fmt(c);
    char t[32], seed[24];
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    snprintf(seed, sizeof(seed), "%llu", (unsigned long long)r->seed);
    eg_unix_format_iso(r->at, t, sizeof(t));
    fmt_row_begin(f);
    fmt_int(f, "id", r->id);
    fmt_str(f, "pool", r->pool);
    fmt_str(f, "seed", seed);
    fmt_str(f, "algorithm", r->algorithm);
    fmt_str(f, "at", t);
    fmt_int(f, "count", r->count);
    fmt_int(f, "candidates", (int64_t)r->n_candidates);
    fmt_bool(f, "publish", r->publish);
    if (replay)
        fmt_bool(f, "match", r->replay_match);
    fmt_arr_begin(f, "enterprises");
    for (size_t i = 0; i < r->n; i++) {
        fmt_obj_begin(f, NULL);
        fmt_str(f, "uscc", r->uscc[i]);
        if (r->per) {
            fmt_arr_begin(f, "inspectors");
            for (size_t p = 0; p < r->per; p++)
                fmt_str(f, NULL,
                        strcmp(r->insp[i * r->per + p], "-") ? r->insp[i * r->per + p] : NULL);
            fmt_close(f);
        }
        fmt_close(f);
    }
    fmt_close(f);
    if (r->per) {
        fmt_arr_begin(f, "inspectors");
        for (size_t i = 0; i < r->n * r->per; i++)
            if (strcmp(r->insp[i], "-"))
                fmt_str(f, NULL, r->insp[i]);
        fmt_close(f);
    }
    int rc = fmt_row_end(f);
    int frc = fmt_finish(f);
    fmt_free(f);
    if (rc || frc)
        return cli_fail(c, rc ? rc : frc);
    return CLI_OK;
}

static int run_draw(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    const char *pool = cli_value(cmd, a, "pool"), *seed = cli_value(cmd, a, "seed");
    const char *cs = cli_value(cmd, a, "count"), *ys = cli_value(cmd, a, "year");
    const char *is = cli_value(cmd, a, "inspectors");
    struct sup_draw_req req = {
        .pool = pool, .at = (int64_t)time(NULL), .publish = cli_flag(cmd, a, "publish")};
    long v;
    if (!pool || !seed)
        return cli_usage(cmd, "--pool and --seed are required");
    if (!draw_pool_rule(pool))
        return cli_usage(cmd, "--pool: '%s' is not all, key, general or special", pool);
    char *end;
    errno = 0;
    req.seed = strtoull(seed, &end, 10);
    if (!*seed || *end || seed[0] == '-' || errno)
        return cli_usage(cmd, "--seed: '%s' is not a whole number 0..18446744073709551615", seed);
    if (cs) {
        if (cli_int(cmd, "count", cs, 1, DRAW_MAX_CANDIDATES, &v))
            return CLI_USAGE;
        req.count = v;
    }
    if (is) {
        if (cli_int(cmd, "inspectors", is, 1, 16, &v))
            return CLI_USAGE;
        req.per_inspectors = (int)v;
    }
    if (ys) {
        if (cli_int(cmd, "year", ys, 1900, 2200, &v))
            return CLI_USAGE;
        req.year = (int)v;
    } else {
        int32_t day;
        int sec, y, m, d;
        eg_beijing_from_unix(req.at, &day, &sec);
        eg_civil_from_days(day, &y, &m, &d);
        req.year = y;
    }
    if (cli_store(c))
        return CLI_FAIL;
    int64_t id;
    int rc = sup_draw(c->store, &req, &id, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    struct sup_draw_result r;
    if ((rc = sup_draw_load(c->store, id, false, &r, &c->eb)))
        return cli_fail(c, rc);
    rc = print_draw(c, &r, false);
    sup_draw_result_done(&r);
    return rc;
}

static int run_replay(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    long id;
    if (cli_int(cmd, "DRAW_ID", a->pos[0], 1, 2000000000L, &id))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    struct sup_draw_result r;
    int rc = sup_draw_load(c->store, id, true, &r, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    rc = print_draw(c, &r, true);
    if (!rc && !r.replay_match) {
        fprintf(stderr, "envgov: draw %ld: the replay differs from the recorded result\n", id);
        rc = CLI_FAIL;
    }
    sup_draw_result_done(&r);
    return rc;
}
