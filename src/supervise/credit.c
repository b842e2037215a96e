/* credit.c — environmental credit rating (企业环境信用评价办法（试行）, 环发〔2013〕150号).
 *
 * Score = Σ weight_i × score_i / Σ weight_i over the indicators assessed (each 0..100, by the
 * Annex 1 bands 80–100 / 50–79 / 0–49), in hundredths, rounded by GB/T 8170.  Level by the
 * configured thresholds (default Fujian 2016: ≥ 96 green 环保诚信, ≥ 70 blue 环保良好, ≥ 60
 * yellow 环保警示, else red 环保不良); a one-vote veto gives red; each general incident
 * (一般环境事件) lowers the level by one (Guangdong 2015 指引); a repair (信用修复, after
 * rectification, on application) clears the vetoes and incidents before it, so the level returns
 * to what the score gives.  Thresholds and weights are configuration; reference/supervision.md
 * §3.1 gives the sources and what is unverified.  Pure: no I/O.
 */
#include <string.h>

#include "common/eg_num.h"
#include "supervise.h"

static const char *const codes[] = {"green", "blue", "yellow", "red"};
static const char *const labels[] = {"环保诚信企业", "环保良好企业", "环保警示企业",
                                     "环保不良企业"};

const char *credit_level_code(enum credit_level l)
{
    return l >= CREDIT_GREEN && l <= CREDIT_RED ? codes[l] : "?";
}

const char *credit_level_label(enum credit_level l)
{
    return l >= CREDIT_GREEN && l <= CREDIT_RED ? labels[l] : "?";
}

/* The indicators whose weights our sources give (Annex 1 excerpt, reference/supervision.md
 * §3.1 [SEC]); the other 14 of the 21 are not transcribed and are configuration. */
static const struct credit_indicator default_ind[] = {
    {"discharge", "污染防治", "大气及水污染物达标排放", 15, "环发〔2013〕150号 附件1 [SEC]"},
    {"solid_waste", "污染防治", "一般固体废物处理处置", 5, "环发〔2013〕150号 附件1 [SEC]"},
    {"hazwaste", "污染防治", "危险废物规范化管理", 5,
     "环发〔2013〕150号 附件1; 环办〔2011〕48号 [SEC]"},
    {"noise", "污染防治", "噪声污染防治", 4, "环发〔2013〕150号 附件1 [SEC]"},
    {"siting", "生态保护", "选址布局中的生态保护", 2, "环发〔2013〕150号 附件1 [SEC]"},
    {"penalty", "环境管理", "行政处罚与行政命令", 15,
     "Guangdong 2015 操作指引: any penalty → 0 [SEC]"},
    {"risk", "环境管理", "环境风险管理", 10, "环发〔2013〕150号 附件1 [SEC]"},
};

static const struct credit_config fujian = {
    "fujian-2016",
    "福建省企业环境信用评价 (2016): ≥96 诚信, 70–96 良好, 60–70 警示, <60 或一票否决 不良 [SEC: "
    "ruiup.com/Details/4430.htm]",
    9600,
    7000,
    6000,
    default_ind,
    sizeof(default_ind) / sizeof(default_ind[0]),
};

const struct credit_config *credit_config_default(void)
{
    return &fujian;
}

int credit_evaluate(const struct credit_config *cfg, const struct credit_input *in,
                    struct credit_result *ret, struct eg_errbuf *eb)
{
    if (!cfg || !in || !ret || cfg->nind > 32)
        return eg_errf(eb, EG_EINVAL, "credit_evaluate: no configuration, input or output");
    if (in->nevents > CREDIT_MAX_EVENTS || (in->nevents && !in->events))
        return eg_errf(eb, EG_ELIMIT, "more than %d credit events", CREDIT_MAX_EVENTS);
    int64_t num = 0, den = 0;
    for (size_t i = 0; i < cfg->nind; i++) {
        int sc = in->score[i];
        if (sc < 0)
            continue;
        if (sc > 100)
            return eg_errf(eb, EG_EINVAL, "indicator %s: score %d is not within 0-100",
                           cfg->ind[i].id, sc);
        num += (int64_t)cfg->ind[i].weight * sc * 100;
        den += cfg->ind[i].weight;
    }
    if (den == 0)
        return eg_errf(eb, EG_EINVAL, "no indicator assessed");
    struct credit_result r;
    memset(&r, 0, sizeof(r));
    r.score = eg_div_round(num, den);
    r.base = r.score >= cfg->green_min    ? CREDIT_GREEN
             : r.score >= cfg->blue_min   ? CREDIT_BLUE
             : r.score >= cfg->yellow_min ? CREDIT_YELLOW
                                          : CREDIT_RED;
    int64_t last_repair = INT64_MIN;
    for (size_t i = 0; i < in->nevents; i++) {
        if (i && in->events[i].at < in->events[i - 1].at)
            return eg_errf(eb, EG_EINVAL, "credit events are not in time order");
        if (in->events[i].type == CREDIT_EV_REPAIR)
            last_repair = in->events[i].at;
    }
    bool cleared = false;
    for (size_t i = 0; i < in->nevents; i++) {
        if (in->events[i].type != CREDIT_EV_INCIDENT)
            continue;
        if (in->events[i].at > last_repair)
            r.downgrades++;
        else
            cleared = true;
    }
    if (in->veto && *in->veto) {
        if (in->veto_at > last_repair)
            r.vetoed = true;
        else
            cleared = true;
    }
    r.repaired = cleared;
    int lv = (int)r.base + r.downgrades;
    if (r.vetoed || lv > CREDIT_RED)
        lv = CREDIT_RED;
    r.level = (enum credit_level)lv;
    *ret = r;
    return 0;
}
