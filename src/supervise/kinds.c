/* kinds.c — the built-in kinds of tracked work, as data: states, the transitions each role may
 * make, what each transition requires, default deadlines, and the procedure each follows.
 * docs/supervision.md gives the sources; adding a kind is adding a table here (or, later, loading
 * the same rows from a file).  Roles: office (the bureau's office that assigns, accepts and
 * closes), unit (the owner unit that does the work), upper (the reviewing level above), enforcer
 * (case-handling officers), head (the bureau's head, who decides).  Pure data.
 */
#include <stddef.h>

#include "supervise-int.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define NOTE WF_NEED_NOTE
#define EVID WF_NEED_EVIDENCE
#define AMT  WF_NEED_AMOUNT

/* 中央生态环境保护督察整改 (reference/supervision.md §3.5): 交办 → 整改中 → 自验收 → 公示 →
 * 上级复核 → 销号; 回头看 after closure; reopened on rebound. */
static const struct wf_state rect_s[] = {
    {"assigned", "交办", false},         {"fixing", "整改中", false},
    {"self_accepted", "自验收", false},  {"notice", "公示", false},
    {"reviewed", "上级复核", false},     {"closed", "销号", true},
    {"lookback_ok", "回头看巩固", true}, {"rebounded", "反弹", false},
};
static const struct wf_trans rect_t[] = {
    {"assigned", "fixing", "unit", 0, "接收交办，开始整改"},
    {"fixing", "self_accepted", "unit", EVID, "自验收（区级验收），附验收材料"},
    {"self_accepted", "fixing", "office,upper", NOTE, "验收不通过，继续整改"},
    {"self_accepted", "notice", "office", NOTE, "媒体公示（注明渠道与期限）"},
    {"notice", "fixing", "office", NOTE, "公示有异议，继续整改"},
    {"notice", "reviewed", "upper", NOTE, "上级复核通过"},
    {"reviewed", "fixing", "upper", NOTE, "复核不通过，继续整改"},
    {"reviewed", "closed", "office", NOTE, "销号报备"},
    {"closed", "lookback_ok", "office,upper", NOTE, "回头看：整改成果巩固"},
    {"closed", "rebounded", "office,upper", NOTE, "回头看：问题反弹"},
    {"lookback_ok", "rebounded", "office,upper", NOTE, "问题反弹"},
    {"rebounded", "fixing", "unit", 0, "重新整改"},
};

/* 信访 (信访工作条例 2022): 受理 → 交办 → 办理 → 办结 → 回访. */
static const struct wf_state pet_s[] = {
    {"received", "受理", false}, {"assigned", "交办", false}, {"handling", "办理", false},
    {"concluded", "办结", true}, {"revisited", "回访", true},
};
static const struct wf_trans pet_t[] = {
    {"received", "assigned", "office", 0, "交办责任单位"},
    {"assigned", "handling", "unit", 0, "开始办理"},
    {"handling", "concluded", "unit", NOTE, "办结（办理结果）"},
    {"concluded", "revisited", "office", NOTE, "回访（满意度）"},
    {"concluded", "handling", "office", NOTE, "回访不满意，重新办理"},
};

/* 风险隐患排查治理: 发现 → 整改中 → 已整改 (or fixed at once, 立行立改). */
static const struct wf_state haz_s[] = {
    {"found", "发现", false},
    {"fixing", "整改中", false},
    {"fixed", "已整改", true},
};
static const struct wf_trans haz_t[] = {
    {"found", "fixing", "unit,office", 0, "开始整改"},
    {"found", "fixed", "unit,office", NOTE, "立行立改"},
    {"fixing", "fixed", "unit,office", 0, "整改完成"},
    {"fixed", "fixing", "office", NOTE, "复查未整改到位，重新整改"},
};

/* 行政处罚 (行政处罚法 2021; 生态环境行政处罚办法 2023): 立案 → 调查取证 → 告知 → 听证 (可选) →
 * 处罚决定 / 不予处罚 → 执行 → 结案; 移送公安 (涉嫌犯罪). */
static const struct wf_state case_s[] = {
    {"filed", "立案", false},           {"investigating", "调查取证", false},
    {"notified", "告知", false},        {"hearing", "听证", false},
    {"decided", "处罚决定", false},     {"no_penalty", "不予处罚", false},
    {"transferred", "移送公安", false}, {"executing", "执行", false},
    {"closed", "结案", true},
};
static const struct wf_trans case_t[] = {
    {"filed", "investigating", "enforcer", 0, "调查取证"},
    {"investigating", "notified", "enforcer", NOTE, "事先告知（告知书文号）"},
    {"investigating", "no_penalty", "head", NOTE, "不予处罚决定（文号）"},
    {"investigating", "transferred", "head", NOTE, "涉嫌犯罪，移送公安机关"},
    {"notified", "hearing", "enforcer", NOTE, "当事人申请听证"},
    {"notified", "decided", "head", NOTE | AMT, "处罚决定（文号、罚款金额）"},
    {"notified", "no_penalty", "head", NOTE, "不予处罚决定（文号）"},
    {"notified", "transferred", "head", NOTE, "涉嫌犯罪，移送公安机关"},
    {"hearing", "decided", "head", NOTE | AMT, "听证后处罚决定（文号、罚款金额）"},
    {"hearing", "no_penalty", "head", NOTE, "听证后不予处罚"},
    {"decided", "executing", "enforcer", 0, "执行"},
    {"decided", "transferred", "head", NOTE, "处罚后移送公安机关"},
    {"executing", "closed", "head", 0, "结案"},
    {"no_penalty", "closed", "head", 0, "结案"},
    {"transferred", "closed", "head", NOTE, "结案（公安受理情况）"},
};

/* 生态环境损害赔偿 (生态环境损害赔偿管理规定, 环法规〔2022〕31号): 磋商 or 诉讼. */
static const struct wf_state comp_s[] = {
    {"filed", "立案", false},         {"assessing", "调查评估", false},
    {"negotiating", "磋商", false},   {"agreed", "达成协议", false},
    {"litigating", "诉讼", false},    {"judged", "判决", false},
    {"executing", "履行修复", false}, {"closed", "结案", true},
};
static const struct wf_trans comp_t[] = {
    {"filed", "assessing", "office", 0, "损害调查、鉴定评估"},
    {"assessing", "negotiating", "office", AMT, "启动磋商（索赔金额）"},
    {"assessing", "litigating", "office", AMT | NOTE, "提起诉讼（索赔金额）"},
    {"negotiating", "agreed", "office", AMT | NOTE, "达成赔偿协议（协议金额）"},
    {"negotiating", "litigating", "office", AMT | NOTE, "磋商不成，提起诉讼（索赔金额）"},
    {"litigating", "judged", "office", AMT | NOTE, "判决（判决金额）"},
    {"agreed", "executing", "office", 0, "履行赔偿、修复"},
    {"judged", "executing", "office", 0, "履行赔偿、修复"},
    {"executing", "closed", "office", NOTE, "修复效果评估，结案"},
};

/* 河长制巡河问题: 发现上报 → 交办 → 处置 → 办结 → 复核销号. */
static const struct wf_state pat_s[] = {
    {"reported", "发现上报", false}, {"assigned", "交办", false},    {"fixing", "处置中", false},
    {"fixed", "办结", false},        {"verified", "复核销号", true},
};
static const struct wf_trans pat_t[] = {
    {"reported", "assigned", "office", 0, "交办责任单位"},
    {"reported", "fixed", "unit,office", NOTE, "现场整改"},
    {"assigned", "fixing", "unit", 0, "开始处置"},
    {"fixing", "fixed", "unit", 0, "处置完成"},
    {"fixed", "verified", "office", 0, "复核销号"},
    {"fixed", "fixing", "office", NOTE, "复核不合格，重新处置"},
};

const struct sup__kind sup__kinds[] = {
    {{"rectification", "督察整改任务",
      "reference/supervision.md §3.5; 中央生态环境保护督察整改工作办法", "assigned", 0, NULL,
      rect_s, N(rect_s), rect_t, N(rect_t)},
     "closed",
     true},
    {{"petition", "信访举报", "信访工作条例 (2022); reference/supervision.md §3.5", "received", 60,
      "信访工作条例 (2022) 第三十二条: 自受理之日起60日内办结 [verify]", pet_s, N(pet_s), pet_t,
      N(pet_t)},
     "concluded",
     true},
    {{"hazard", "风险隐患", "生态环境领域风险隐患排查治理 (Panjin 2022 report)", "found", 0, NULL,
      haz_s, N(haz_s), haz_t, N(haz_t)},
     "fixed",
     false},
    {{"case", "环境行政处罚案件", "行政处罚法 (2021); 生态环境行政处罚办法 (2023)", "filed", 90,
      "行政处罚法 (2021) 第六十条: 立案之日起九十日内作出处罚决定", case_s, N(case_s), case_t,
      N(case_t)},
     "closed",
     false},
    {{"compensation", "生态环境损害赔偿", "生态环境损害赔偿管理规定 (环法规〔2022〕31号) [SEC]",
      "filed", 0, NULL, comp_s, N(comp_s), comp_t, N(comp_t)},
     "closed",
     false},
    {{"patrol", "河长巡河问题", "河长制 (Panjin 2022 report: 四级河长巡河)", "reported", 0, NULL,
      pat_s, N(pat_s), pat_t, N(pat_t)},
     "verified",
     false},
};
const size_t sup__nkinds = N(sup__kinds);
