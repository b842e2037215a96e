/* supervise.h — supervision: the enterprise registry (一企一档), one workflow engine for all
 * tracked work, environmental credit rating, "double random" inspection draws (双随机一公开) and
 * heavy-pollution performance grades with the emergency reduction list.  docs/supervision.md.
 *
 * Prefixes by sub-area: uscc_ (GB 32100-2015 codes), wf_ (kinds as data and the transition
 * rules), credit_ (环发〔2013〕150号 rating), draw_ (seeded, replayable draws), grade_ (绩效分级
 * and reductions), sup_ (operations over the store).  The uscc_, wf_, credit_, draw_ and grade_
 * functions are pure (no I/O, no store) so they are unit-tested and fuzzed directly; sup_
 * functions apply them to the store.  Conventions: 0 or a negative enum eg_err, detail in eb.
 */
#ifndef SUPERVISE_H
#define SUPERVISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/eg_err.h"

struct store;

/* ---- Unified social credit code, GB 32100-2015 ----
 * 18 characters from 0-9 and A-Z without I, O, Z, S, V: registration authority (1), entity type
 * (1), administrative division (6 digits, GB/T 2260), organisation code (9, GB 11714), check
 * character (1).  Check = 31 - (Σ value(c_i) × 3^i mod 31) mod 31, i = 0..16 (weights 1, 3, 9,
 * 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28). */
#define USCC_LEN 18

/* 0 when s[0..n) is a valid code; EG_EINVAL otherwise, with the reason in why (e.g. "check
 * character is 'X', expected 'Y'"), always NUL-terminated when why_n > 0. */
int uscc_check(const char *s, size_t n, char *why, size_t why_n) EG_MUST_CHECK;
/* The check character for the first 17 characters, or 0 if one of them is not allowed. */
char uscc_check_char(const char *code17);

/* ---- Workflow: kinds of work as data ---- */

enum wf_need {
    WF_NEED_NOTE = 1,     /* a note (decision number, reason, channel …) */
    WF_NEED_EVIDENCE = 2, /* an evidence file (its hash is logged) */
    WF_NEED_AMOUNT = 4,   /* an amount in yuan (fine, claim, award) */
};

struct wf_state {
    const char *code;  /* "fixing" */
    const char *label; /* "整改中" */
    bool final;        /* no work left (closed items are not overdue) */
};

struct wf_trans {
    const char *from, *to;
    const char *roles; /* comma-separated roles allowed to make it: "unit,office" */
    unsigned need;     /* enum wf_need bits */
    const char *label; /* "自验收" */
};

struct wf_kind {
    const char *name;    /* "hazard" */
    const char *label;   /* "风险隐患" */
    const char *source;  /* the procedure's source (docs/supervision.md) */
    const char *initial; /* state of a new item */
    int due_days;        /* default deadline after creation (0 = none) */
    const char *due_source;
    const struct wf_state *states;
    size_t nstates;
    const struct wf_trans *trans;
    size_t ntrans;
};

size_t wf_kind_count(void);
const struct wf_kind *wf_kind_at(size_t i);
/* NULL when unknown. */
const struct wf_kind *wf_kind_find(const char *name);
const struct wf_state *wf_state_find(const struct wf_kind *k, const char *code);
bool wf_role_in(const char *roles, const char *role);

/* Is from → to legal for role (NULL = any role allowed for it), given the `have` bits (enum
 * wf_need) of what the move supplies?  0 and *ret_t (NULL allowed) = the transition; EG_ESTATE
 * (no such transition: the message lists the legal targets from `from`), EG_EAUTH (the role may
 * not make it), EG_EINVAL (unknown state, or a required note/evidence/amount is missing). */
int wf_check_move(const struct wf_kind *k, const char *from, const char *to, const char *role,
                  unsigned have, const struct wf_trans **ret_t, struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- Work items over the store ---- */

struct sup_new {
    const char *kind, *title;
    const char *unit, *person, *enterprise, *point, *round; /* NULL = none */
    int32_t due;                     /* INT32_MIN = the kind's default (or none) */
    int64_t at;                      /* creation time, UTC epoch s */
    const char *actor, *role, *note; /* NULL = "cli" / the kind's first role / "" */
};
/* Create an item in the kind's initial state with its creation event.  EG_EINVAL unknown kind or
 * bad field, EG_ENOTFOUND enterprise not in the registry. */
int sup_work_new(struct store *s, const struct sup_new *n, int64_t *ret_id,
                 struct eg_errbuf *eb) EG_MUST_CHECK;

struct sup_move {
    const char *to;
    const char *note;     /* NULL = none */
    const char *evidence; /* hex digest of an evidence file, NULL = none */
    bool has_amount;
    int64_t amount_fen;
    int64_t at;               /* UTC epoch s; must not precede the item's last event */
    const char *actor, *role; /* NULL = "cli" / the transition's first role */
};
/* Move an item (wf_check_move's errors; EG_ERANGE when `at` precedes the last event). */
int sup_work_move(struct store *s, int64_t id, const struct sup_move *m,
                  struct eg_errbuf *eb) EG_MUST_CHECK;

/* BLAKE2b-256 of a file (≤ 256 MiB) as 64 hex digits + NUL. */
int sup_evidence_hash(const char *path, char out[65], struct eg_errbuf *eb) EG_MUST_CHECK;

/* Statistics of a kind for a calendar year (Beijing time), computed from items and events. */
struct sup_stats {
    const char *kind;
    int year;
    long created; /* items created in the year */
    long closed;  /* of those, in a final state by the end of the year (first final event) */
    long open;    /* created - closed */
    long overdue; /* of those created, still open now and past their deadline */
    /* per-kind figures (0 when not applicable) */
    long reached[16];         /* per state of the kind (k->states order): created in the year
                                 and reached that state by the end of the year */
    long moved[16];           /* per state: events to it during the year (distinct items) */
    int64_t moved_amount[16]; /* per state: amounts of those events, fen */
};
int sup_work_stats(struct store *s, const char *kind, int year, int32_t today,
                   struct sup_stats *ret, struct eg_errbuf *eb) EG_MUST_CHECK;
/* The report sentence for the kind's statistics (Chinese, as in the annual report), e.g.
 * "共发现隐患问题1096项，整改完成1020项，剩余76项".  Returns the length (truncated to n-1). */
size_t sup_work_sentence(const struct sup_stats *st, char *buf, size_t n);

/* ---- Environmental credit rating (企业环境信用评价办法（试行）, 环发〔2013〕150号) ---- */

enum credit_level { CREDIT_GREEN, CREDIT_BLUE, CREDIT_YELLOW, CREDIT_RED };
const char *credit_level_code(enum credit_level l);  /* "green" … */
const char *credit_level_label(enum credit_level l); /* "环保诚信企业" … */

struct credit_indicator {
    const char *id;       /* "discharge" */
    const char *category; /* 污染防治 / 生态保护 / 环境管理 / 社会监督 */
    const char *name;
    int weight; /* percent */
    const char *source;
};

struct credit_config {
    const char *name;   /* "fujian-2016" */
    const char *source; /* citation of the thresholds */
    int64_t green_min;  /* score × 100: ≥ green_min → green */
    int64_t blue_min;   /* ≥ blue_min → blue */
    int64_t yellow_min; /* ≥ yellow_min → yellow; below → red */
    const struct credit_indicator *ind;
    size_t nind;
};
/* The default: the indicators with weights published in Annex 1 (those our sources give) and
 * Fujian's 2016 thresholds (≥ 96 green, 70–96 blue, 60–70 yellow, < 60 red). */
const struct credit_config *credit_config_default(void);

#define CREDIT_MAX_EVENTS 64

enum credit_event_type { CREDIT_EV_INCIDENT, CREDIT_EV_REPAIR };
struct credit_event {
    int64_t at;
    enum credit_event_type type;
};

struct credit_input {
    int score[32];    /* per indicator of the config (0..100); < 0 = not assessed */
    const char *veto; /* a one-vote-veto reason (NULL = none) */
    int64_t veto_at;  /* when the veto ground arose */
    const struct credit_event *events; /* incidents and repairs, in time order */
    size_t nevents;
};

struct credit_result {
    int64_t score;           /* × 100, GB/T 8170 rounded */
    enum credit_level base;  /* from the score alone */
    enum credit_level level; /* after veto, downgrades and repairs */
    bool vetoed;
    int downgrades; /* incidents still in force */
    bool repaired;  /* a repair cleared earlier veto/downgrades */
};
/* Score = Σ weight × score / Σ weight over the assessed indicators; the level by thresholds; a
 * veto → red; each general incident after the last repair → one level down (floor red); a repair
 * clears vetoes and incidents before it.  EG_EINVAL when no indicator is assessed or a score is
 * out of 0..100. */
int credit_evaluate(const struct credit_config *cfg, const struct credit_input *in,
                    struct credit_result *ret, struct eg_errbuf *eb) EG_MUST_CHECK;

/* A rating computed from the registry's events and kept with its inputs: the penalty indicator
 * is 0 when the enterprise had a penalty decision (case → decided) in the year, else 100; a
 * transfer to the police (case → transferred) in the year is the veto "环境犯罪"; credit events
 * of type incident / repair / veto (store) are applied in time order; the other indicators are
 * taken from `scores` (id=value) or left unassessed. */
struct sup_credit_req {
    const char *uscc;
    int year;
    int64_t at;                /* computed at (UTC epoch s) */
    const char *const *scores; /* "discharge=85" … */
    size_t nscores;
    const char *veto; /* an explicit veto reason (NULL = none) */
};
int sup_credit_rate(struct store *s, const struct sup_credit_req *req,
                    struct credit_result *ret_res, int64_t *ret_id,
                    struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- Double-random draws (双随机一公开) ---- */

#define DRAW_ALGORITHM      "xoshiro256**-1.0+splitmix64;lemire-bounded;fisher-yates-partial;v1"
#define DRAW_MAX_CANDIDATES 1000000
#define DRAW_MAX_INSPECTORS 10000

/* xoshiro256** 1.0 (Blackman & Vigna, 2018), seeded by expanding a 64-bit seed with splitmix64
 * (Steele, Lea & Flood, 2014), as the authors recommend. */
struct draw_rng {
    uint64_t s[4];
};
void draw_rng_seed(struct draw_rng *r, uint64_t seed);
uint64_t draw_rng_next(struct draw_rng *r);
/* Uniform in [0, n) for n ≥ 1 (Lemire's multiply-and-reject: no modulo bias). */
uint64_t draw_rng_below(struct draw_rng *r, uint64_t n);

/* Choose k of n candidates: fills out[0..min(k,n)) with indices into the candidate list, in
 * draw order (partial Fisher–Yates over 0..n-1).  Same seed and n → same list. */
int draw_select(uint64_t seed, size_t n, size_t k, size_t *out, struct eg_errbuf *eb) EG_MUST_CHECK;

/* The whole draw: k of n_ent enterprises (as draw_select), then for each drawn enterprise, in
 * order, `per` inspectors from the n_insp inspectors not excluded for it (excluded(ud, inspector,
 * enterprise) = true; NULL = none excluded), the same generator continuing.  out_insp: per × k
 * indices, SIZE_MAX where fewer than `per` inspectors are eligible (NULL when per = 0). */
typedef bool (*draw_excluded_fn)(void *ud, size_t inspector, size_t enterprise);
int draw_run(uint64_t seed, size_t n_ent, size_t k, size_t n_insp, size_t per,
             draw_excluded_fn excluded, void *ud, size_t *out_ent, size_t *out_insp,
             struct eg_errbuf *eb) EG_MUST_CHECK;

/* Pools and their default ratios (docs/supervision.md cites each). */
struct draw_pool_rule {
    const char *pool;   /* "key", "general", "special", "all" */
    int ratio_bp;       /* share of the pool per period, basis points */
    const char *period; /* "quarter", "year" */
    const char *source;
};
const struct draw_pool_rule *draw_pool_rule(const char *pool);

/* A draw over the store: pool "all" (every active enterprise), "key" (on a key-discharger list
 * of `year`), "special" (latest credit yellow or red, or a penalty decision in the previous 12
 * months), "general" (active, neither key nor special).  count 0 = the pool's default ratio.
 * Records seed, algorithm, candidate lists and result (draw table); *ret_id = the draw id. */
struct sup_draw_req {
    const char *pool;
    long count;
    uint64_t seed;
    int year;
    int per_inspectors; /* inspectors per enterprise (default 2) */
    int64_t at;
    bool publish;
};
int sup_draw(struct store *s, const struct sup_draw_req *req, int64_t *ret_id,
             struct eg_errbuf *eb) EG_MUST_CHECK;

/* A draw's lists: enterprises (USCCs) and, per enterprise, its inspectors.  Owned by the struct;
 * free with sup_draw_result_done. */
struct sup_draw_result {
    int64_t id;
    char *pool;
    char *algorithm;
    uint64_t seed;
    long count;
    int64_t at;
    bool publish;
    size_t n_candidates, n_insp_candidates;
    size_t n;          /* enterprises drawn */
    char **uscc;       /* n */
    size_t per;        /* inspectors per enterprise */
    char **insp;       /* n × per (NULL = none eligible) */
    bool replay_match; /* (replay) the recomputed lists equal the recorded ones */
};
/* Read a recorded draw (replay = false) or recompute it from its recorded seed and candidate
 * lists (replay = true; replay_match says whether it equals the record). */
int sup_draw_load(struct store *s, int64_t id, bool replay, struct sup_draw_result *ret,
                  struct eg_errbuf *eb) EG_MUST_CHECK;
void sup_draw_result_done(struct sup_draw_result *r);

/* ---- Heavy-pollution performance grades and the emergency reduction list ---- */

enum grade_level { GRADE_YELLOW, GRADE_ORANGE, GRADE_RED };
enum grade_pollutant { GRADE_SO2, GRADE_NOX, GRADE_PM, GRADE_VOCS };

/* "A", "B", "B-", "C", "D", "L" (绩效引领性); NULL when unknown.  Returns the canonical code. */
const char *grade_code(const char *s);
/* The default measure text for a grade at a warning level (Henan/MEE practice, cited). */
const char *grade_default_measure(const char *grade, enum grade_level level);
/* The city's minimum reduction share at a level, basis points: 1000 / 2000 / 3000. */
int grade_target_bp(enum grade_level level);

struct grade_line {
    int64_t emis_g[4]; /* g/day */
    int32_t cut_bp[4]; /* reduction at the level */
};
struct grade_sum {
    int64_t base_g[4];  /* the list's emissions */
    int64_t total_g[4]; /* the denominator (city total, or the list's when not given) */
    int64_t cut_mg[4]; /* reductions, milligrams/day (exact: g × bp / 10 000 × 1000 … see .c) */
    int32_t share_bp[4]; /* cut / total, basis points, GB/T 8170 rounded */
    bool met[4];         /* share ≥ the level's target */
};
/* Sum the reductions of lines at a level against totals (total_g[p] ≤ 0 = use the list's
 * emissions).  Pure; exact integer arithmetic. */
int grade_reduction_sum(const struct grade_line *lines, size_t n, enum grade_level level,
                        const int64_t total_g[4], struct grade_sum *ret,
                        struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- Ledger import (ledger.c) ---- */

struct sup_import_stats {
    long items; /* items created */
    long moves; /* moves applied */
};

/* Import a ledger of work events (CSV: ref, at, kind, title, …, to, note, amount, evidence; one
 * row per event in time order; see ledger.c) through the engine, in one transaction: any bad row
 * rolls the whole file back, with the file, line, column and reason in eb.  Adds to *st (NULL
 * allowed).  EG_EIO/EG_ENOTFOUND unreadable, EG_EPARSE malformed, the engine's errors otherwise.
 * Must not be called inside an open transaction. */
int sup_work_import(struct store *s, const char *path, struct sup_import_stats *st,
                    struct eg_errbuf *eb) EG_MUST_CHECK;

/* ---- An outlet's device and latest data (outlet.c) ---- */

struct sup_outlet_data {
    bool known; /* the gateway has state for the device */
    bool online;
    int64_t last_seen_s;  /* last frame, UTC epoch s; 0 = never */
    int64_t last_data_ms; /* DataTime of its newest hourly (2061) data set, 0 = none */
    int cn;               /* 2061 when vals holds that data set, else 0 */
    int64_t time_ms;
    unsigned char vals[4096]; /* the data set's values (store_hj212_vals blob) */
    size_t vals_len;
};

/* The state and newest hourly data of the device with MN `mn` (NULL or "" = none: all empty).
 * Store errors only. */
int sup_outlet_data(struct store *s, const char *mn, struct sup_outlet_data *ret,
                    struct eg_errbuf *eb) EG_MUST_CHECK;

#endif
