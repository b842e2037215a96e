#!/usr/bin/env python3
"""gen.py - deterministic generator of the synthetic supervision demo (a Panjin-like city, 2022).

Writes enterprises.csv and load.sh next to itself.  The data are SYNTHETIC, shaped to the totals
of Panjin's 2022 report (README.md).  Same output on every run (fixed seed); re-run after editing.
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
R = random.Random(2022)
ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
W = [pow(3, i, 31) for i in range(17)]
REGIONS = [("兴隆台区", "211103"), ("双台子区", "211102"), ("大洼区", "211104"), ("盘山县", "211122")]
INDUSTRIES = [("0711", "石油开采"), ("2511", "原油加工"), ("2614", "有机化学原料"), ("4411", "火力发电"),
              ("4620", "污水处理"), ("3011", "水泥制造"), ("2652", "合成橡胶"), ("1311", "稻谷加工"),
              ("2641", "涂料制造"), ("3130", "钢压延加工"), ("7724", "危险废物治理"), ("5941", "油气仓储")]


def org_code():
    d = [R.randrange(10) for _ in range(8)]
    s = sum(v * w for v, w in zip(d, [3, 7, 9, 10, 5, 8, 4, 2]))
    c = 11 - s % 11
    return "".join(map(str, d)) + ("X" if c == 10 else "0" if c == 11 else str(c))


def uscc(div):
    body = "91" + div + org_code()
    s = sum(ALPHA.index(ch) * w for ch, w in zip(body, W))
    return body + ALPHA[(31 - s % 31) % 31]


def day(m, d):
    return "2022-%02d-%02d" % (m, d)


def rand_day(m0=1, m1=12):
    m = R.randint(m0, m1)
    return day(m, R.randint(1, 28))


def after(d, lo, hi):
    import datetime
    t = datetime.date.fromisoformat(d) + datetime.timedelta(days=R.randint(lo, hi))
    return t.isoformat()


ents = []
seen = set()
while len(ents) < 1500:
    name, div = R.choice(REGIONS)
    u = uscc(div)
    if u in seen:
        continue
    seen.add(u)
    ind = R.choice(INDUSTRIES)
    ents.append((u, "盘锦%s%s有限公司%d" % (name[:2], ind[1], len(ents) + 1), ind[0], name,
                 "%s某路%d号" % (name, R.randint(1, 999)), "%.6f" % (121.8 + R.random() * 0.5),
                 "%.6f" % (40.8 + R.random() * 0.6)))
emergency = set(u for u, *_ in R.sample(ents, 731))
key = set(u for u, *_ in R.sample(ents, 120))
with open(os.path.join(HERE, "enterprises.csv"), "w", encoding="utf-8") as f:
    f.write("uscc,name,industry,region,address,lon,lat,status,lists,list_year,"
            "permit_no,permit_class,permit_from,permit_to\n")
    for u, n, ind, reg, addr, lon, lat in ents:
        lists = []
        if u in key:
            lists += ["water_key", "air_key"]
        if u in emergency:
            lists.append("emergency")
        permit = ("%s001P" % u, "重点管理" if u in key else "简化管理", "2020-07-01", "2025-06-30") \
            if u in key or R.random() < 0.3 else ("", "", "", "")
        f.write(",".join([u, n, ind, reg, addr, lon, lat, "active", ";".join(lists),
                          "2022" if lists else ""] + list(permit)) + "\n")

# The year's work as a ledger (台账): one row per event, loaded by `envgov work import`, which
# applies the same engine rules as `work new` / `work move`.
COLS = ["ref", "at", "kind", "title", "enterprise", "unit", "round", "due", "to", "note",
        "amount", "evidence", "role"]
rows = []


def new(ref, kind, title, at, **kw):
    rows.append(dict(ref=ref, at=at, kind=kind, title=title, **kw))


def move(ref, to, at, **kw):
    rows.append(dict(ref=ref, at=at, to=to, **kw))


units = ["兴隆台区", "双台子区", "大洼区", "盘山县", "市生态环境局", "辽东湾新区"]

# 19 central-inspection rectification tasks (stock): 12 closed, 7 in progress (2023/2025)
for i in range(19):
    unit = R.choice(units)
    due = "2022-%02d-28" % R.randint(3, 11) if i < 12 else R.choice(["2023-12-31", "2025-12-31"])
    ref = "R%d" % (i + 1)
    new(ref, "rectification", "中央督察反馈问题整改任务%d" % (i + 1), "2020-05-20", unit=unit,
        round="第二轮中央督察", due=due)
    move(ref, "fixing", "2020-06-01")
    if i < 12:
        d = rand_day(1, 10)
        move(ref, "self_accepted", d, evidence="README.md")
        d = after(d, 1, 5)
        move(ref, "notice", d, note="区级媒体公示7日")
        d = after(d, 8, 12)
        move(ref, "reviewed", d, role="upper", note="市级复核通过")
        d = after(d, 1, 10)
        move(ref, "closed", d, note="销号报备")

# 63 petitions transferred during the inspection: all concluded
for i in range(63):
    d0 = "2020-0%d-%02d" % (R.randint(5, 6), R.randint(1, 28))
    ref = "P%d" % (i + 1)
    new(ref, "petition", "督察交办信访件%d" % (i + 1), d0, unit=R.choice(units))
    move(ref, "assigned", after(d0, 0, 2))
    move(ref, "handling", after(d0, 3, 5))
    move(ref, "concluded", after(d0, 20, 55), note="已办结")

# hazards: 474 enterprises, 1096 hazards, 1020 fixed by the year's end
hz_ents = R.sample(ents, 474)
counts = [1] * 474
for _ in range(1096 - 474):
    counts[R.randrange(474)] += 1
hazards = [e[0] for e, c in zip(hz_ents, counts) for _ in range(c)]
R.shuffle(hazards)
fixed = set(R.sample(range(1096), 1020))
for i, u in enumerate(hazards):
    d0 = rand_day(2, 10)
    ref = "H%d" % (i + 1)
    new(ref, "hazard", "风险隐患%d" % (i + 1), d0, enterprise=u, unit=R.choice(units[:4]),
        due=after(d0, 30, 120))
    if i in fixed:
        if R.random() < 0.04:
            move(ref, "fixed", after(d0, 0, 1), note="立行立改")
        else:
            move(ref, "fixing", after(d0, 1, 5))
            move(ref, "fixed", after(d0, 10, 50))
    elif R.random() < 0.8:
        move(ref, "fixing", after(d0, 1, 5))

# enforcement: 101 cases, 59 penalty decisions (¥32,516,300.00 in all), 18 no-penalty,
# 22 transfers, 2 still under investigation
fines = [R.randint(50, 2000) * 500 for _ in range(58)]
fines.append(3251630000 // 100 - sum(fines))  # yuan, exact total
assert fines[-1] > 0 and sum(fines) == 32516300
outcomes = ["decided"] * 59 + ["no_penalty"] * 18 + ["transferred"] * 22 + ["open"] * 2
R.shuffle(outcomes)
fi = 0
for i, oc in enumerate(outcomes):
    u = R.choice(ents)[0]
    d0 = rand_day(1, 9)
    ref = "C%d" % (i + 1)
    new(ref, "case", "环境违法案件%d" % (i + 1), d0, enterprise=u, unit="市生态环境保护综合行政执法队")
    move(ref, "investigating", after(d0, 1, 3))
    if oc == "open":
        continue
    d = after(d0, 10, 30)
    if oc == "transferred":
        move(ref, "transferred", d, note="盘环移字〔2022〕%d号" % (i + 1))
        move(ref, "closed", after(d, 5, 20), note="公安机关已立案")
        continue
    move(ref, "notified", d, note="盘环告字〔2022〕%d号" % (i + 1))
    d = after(d, 5, 25)
    if oc == "no_penalty":
        move(ref, "no_penalty", d, note="盘环不罚字〔2022〕%d号" % (i + 1))
        move(ref, "closed", after(d, 1, 10))
        continue
    move(ref, "decided", d, note="盘环罚字〔2022〕%d号" % (i + 1), amount=str(fines[fi]))
    fi += 1
    d = after(d, 1, 10)
    move(ref, "executing", d)
    move(ref, "closed", after(d, 5, 30))

# 13 ecological damage compensation cases; 3 judged (¥269,600 in all)
judged = [81200, 95400, 93000]
for i in range(13):
    d0 = rand_day(1, 8)
    ref = "E%d" % (i + 1)
    new(ref, "compensation", "生态环境损害赔偿案件%d" % (i + 1), d0)
    move(ref, "assessing", after(d0, 5, 15))
    d = after(d0, 30, 60)
    if i < 3:
        move(ref, "litigating", d, amount=str(judged[i] + R.randint(0, 50) * 1000), note="提起诉讼")
        move(ref, "judged", after(d, 30, 90), amount=str(judged[i]), note="判决")
    else:
        move(ref, "negotiating", d, amount=str(R.randint(50, 400) * 10000))

with open(os.path.join(HERE, "ledger.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=COLS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)

# the emergency list: 731 enterprises with performance grades
L = ["#!/bin/sh",
     "# load.sh - GENERATED by gen.py: loads the synthetic 2022 supervision demo through the CLI.",
     "# usage: load.sh ENVGOV DB   (does nothing when the demo is already loaded)",
     "set -e", 'E="$1"; DB="$2"; D="$(dirname "$0")"',
     'w() { "$E" --db "$DB" "$@"; }',
     'if w work list --kind case --count --format csv | tail -1 | grep -qv "^0$"; then',
     '  echo "supervision demo: already loaded"; exit 0; fi',
     'w import enterprises "$D/enterprises.csv"',
     'w work import "$D/ledger.csv"']
for u in sorted(emergency):
    g = R.choices(["A", "B", "B-", "C", "D", "L"], [4, 18, 6, 38, 32, 2])[0]
    cut = {"A": (0, 0, 0), "L": (0, 0, 0), "B": (10, 20, 30), "B-": (20, 30, 50),
           "C": (30, 50, 70), "D": (50, 100, 100)}[g]
    L.append("w emergency grade %s --year 2022 --grade %s --emissions %.3f,%.3f,%.3f,%.3f --cuts %d,%d,%d"
             % (u, g, R.uniform(0, 80), R.uniform(0, 120), R.uniform(0, 60), R.uniform(0, 150), *cut))
L.append('echo "supervision demo: loaded" >&2')
with open(os.path.join(HERE, "load.sh"), "w", encoding="utf-8") as f:
    f.write("\n".join(L) + "\n")
os.chmod(os.path.join(HERE, "load.sh"), 0o755)
