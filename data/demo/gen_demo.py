#!/usr/bin/env python3
"""gen_demo.py — writes the synthetic Panjin water and soil demo data set (data/demo/README.md).

Deterministic: a fixed seed and integer-decimal arithmetic, so the same files come out on every
machine.  The values are invented, shaped so that the 2022 report's sentences come out of the
evaluation: 4/4 national sections on target, CWQI improving by about 2.25 %, the three
county-level drinking-water sources 100 % compliant, black-odorous water remediated, the
near-shore sea below its target, farmland and contaminated plots 100 % safely used.

Usage: gen_demo.py [OUTDIR] [--factor F] [--ffactor G]  (2022 relative to 2021: F for the organic
load and nutrients, G for fluoride; the defaults give the report's −2.25 %)
"""
import random
import sys
from decimal import Decimal, ROUND_HALF_EVEN

OUT = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "data/demo"
FACTOR = Decimal("0.9712")  # 2022 organic load and nutrients relative to 2021
F_FACTOR = Decimal("0.9940")  # 2022 fluoride relative to 2021 (fine tuning of the CWQI change)
if "--factor" in sys.argv:
    FACTOR = Decimal(sys.argv[sys.argv.index("--factor") + 1])
if "--ffactor" in sys.argv:
    F_FACTOR = Decimal(sys.argv[sys.argv.index("--ffactor") + 1])

R = random.Random(20221231)


def q(x, d):
    return str(Decimal(x).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_EVEN))


def jitter(base, rel=Decimal("0.15")):
    # multiplicative noise in [1 - rel, 1 + rel], from integer draws
    k = R.randint(-1000, 1000)
    return Decimal(base) * (1 + rel * Decimal(k) / 1000)


# ---- points ----
POINTS = [
    # code, name, kind, water, target, level, lon, lat, body, county, supply, area, land_use, ph, depth, measures
    ("PJ01", "赵圈河", "section", "river", "IV", "national", "121.98", "41.00", "辽河", "大洼区", "", "", "", "", "", ""),
    ("PJ02", "曙光大桥", "section", "river", "IV", "national", "122.05", "41.23", "辽河", "盘山县", "", "", "", "", "", ""),
    ("PJ03", "辽河公园", "section", "river", "IV", "national", "122.23", "40.90", "大辽河", "大洼区", "", "", "", "", "", ""),
    ("PJ04", "胜利塘", "section", "river", "IV", "national", "122.03", "41.30", "绕阳河", "盘山县", "", "", "", "", "", ""),
    ("PJ05", "兴安", "section", "river", "IV", "provincial", "122.10", "41.35", "辽河", "盘山县", "", "", "", "", "", ""),
    ("PJ06", "新生桥", "section", "river", "V", "provincial", "122.06", "41.12", "太平河", "兴隆台区", "", "", "", "", "", ""),
    ("PJ07", "清水河闸", "section", "river", "V", "provincial", "121.95", "41.05", "清水河", "大洼区", "", "", "", "", "", ""),
    ("PJ08", "一统河入河口", "section", "river", "V", "city", "122.00", "41.18", "一统河", "兴隆台区", "", "", "", "", "", ""),
    ("PJ09", "螃蟹沟闸", "section", "river", "V", "city", "121.90", "40.98", "螃蟹沟", "大洼区", "", "", "", "", "", ""),
    ("PJL1", "疙瘩楼水库", "lake", "lake", "III", "city", "122.18", "41.02", "疙瘩楼水库", "大洼区", "", "", "", "", "", ""),
    ("PJS1", "市区地表水水源地", "source", "river", "III", "city", "122.07", "41.20", "辽河", "兴隆台区", "3650", "", "", "", "", ""),
    ("PJS2", "大洼区地下水水源地", "source", "ground", "III", "county", "122.08", "40.99", "", "大洼区", "1460", "", "", "", "", ""),
    ("PJS3", "盘山县地下水水源地", "source", "ground", "III", "county", "121.99", "41.24", "", "盘山县", "1095", "", "", "", "", ""),
]
SEA = [("PJH%02d" % i, "辽东湾%d号" % i) for i in range(1, 9)]
SEA_AREA = ["42.5", "38.0", "55.2", "61.3", "47.8", "33.6", "70.4", "52.1"]
for (c, n), a in zip(SEA, SEA_AREA):
    POINTS.append((c, n, "sea", "", "II", "national", "121.8", "40.8", "辽东湾", "", "", a, "", "", "", ""))
WELLS = [("PJG%02d" % i, "地下水监测井%d" % i, "national" if i <= 3 else "city") for i in range(1, 7)]
for c, n, lv in WELLS:
    POINTS.append((c, n, "well", "", "III", lv, "122.0", "41.1", "", "", "", "", "", "", "", ""))
FARMS = [("PJF%02d" % i, "耕地点位%d" % i, "paddy" if i <= 7 else "other") for i in range(1, 11)]
for c, n, lu in FARMS:
    POINTS.append((c, n, "farmland", "", "", "county", "122.0", "41.1", "", "", "", "500", lu,
                   q(Decimal("7.6") + Decimal(R.randint(0, 8)) / 10, 1), "", "Y" if c == "PJF03" else ""))
BUILDS = [("PJC%02d" % i, "建设用地地块%d" % i, "1" if i <= 3 else "2") for i in range(1, 7)]
for c, n, lu in BUILDS:
    POINTS.append((c, n, "construction", "", "", "city", "122.0", "41.1", "", "", "", "", lu, "", "", "Y" if c == "PJC02" else ""))
ODOR = [("PJB%02d" % i, "建成区水体%d-%d" % ((i - 1) // 3 + 1, (i - 1) % 3 + 1), "水体%d" % ((i - 1) // 3 + 1)) for i in range(1, 10)]
for c, n, b in ODOR:
    POINTS.append((c, n, "odorous", "", "", "city", "122.0", "41.1", b, "兴隆台区", "", "", "", "", "80", ""))

HEAD = "code,name,kind,water,target_class,level,lon,lat,water_body,county,supply,area,land_use,ph,depth_cm,measures_ok"

# ---- surface water: base values per section (2021), class-shaped ----
# item: (base value, decimals, unit)
SURFACE = {
    "pH": ("7.8", 2, ""), "DO": ("7.2", 1, "mg/L"), "CODMn": ("5.6", 1, "mg/L"),
    "COD": ("21.0", 1, "mg/L"), "BOD5": ("3.4", 1, "mg/L"), "NH3N": ("0.62", 3, "mg/L"),
    "TP": ("0.165", 3, "mg/L"), "TN": ("2.40", 2, "mg/L"), "Cu": ("0.004", 4, "mg/L"),
    "Zn": ("0.012", 3, "mg/L"), "F": ("0.62", 2, "mg/L"), "Se": ("0.0004", 4, "mg/L"),
    "As": ("0.0021", 4, "mg/L"), "Hg": ("0.02", 3, "μg/L"), "Cd": ("0.0002", 4, "mg/L"),
    "Cr6": ("0.006", 3, "mg/L"), "Pb": ("0.0011", 4, "mg/L"), "CN": ("0.002", 3, "mg/L"),
    "VolatilePhenol": ("0.0012", 4, "mg/L"), "Petroleum": ("0.03", 2, "mg/L"),
    "LAS": ("0.06", 2, "mg/L"), "Sulfide": ("0.012", 3, "mg/L"),
    "FecalColiform": ("2400", 0, "个/L"), "WT": ("12.0", 1, "℃"),
}
# per-section multipliers of the organic load (national sections kept within class IV)
LOAD = {"PJ01": "1.05", "PJ02": "0.95", "PJ03": "1.10", "PJ04": "1.12", "PJ05": "0.90",
        "PJ06": "1.30", "PJ07": "1.45", "PJ08": "1.40", "PJ09": "1.50", "PJL1": "0.55",
        "PJS1": "0.55"}
LOADED = {"CODMn", "COD", "BOD5", "NH3N", "TP", "TN", "Petroleum", "FecalColiform"}
DETECTION = {"Cd": "0.0001", "CN": "0.001", "Sulfide": "0.005", "Se": "0.0004", "Hg": "0.00004"}


def surface_value(code, item, month, year):
    base, d, unit = SURFACE[item]
    v = Decimal(base)
    if item in LOADED:
        v *= Decimal(LOAD[code])
        # winter (ice) months carry more load
        if month in (1, 2, 3, 12):
            v *= Decimal("1.12")
        if year == 2022:
            v *= FACTOR
    if item == "F" and year == 2022:
        v *= F_FACTOR
    if item == "DO":
        v = Decimal(base) - (Decimal(LOAD[code]) - 1) * 3
        if month in (6, 7, 8):
            v -= Decimal("1.2")
        if year == 2022:
            v /= FACTOR
    if item == "WT":
        v = Decimal([-0.5, 0.2, 4, 11, 18, 23, 26, 25, 20, 12, 5, 0.5][month - 1])
    if item == "pH":
        return q(jitter(v, Decimal("0.03")), 2), unit
    v = jitter(v, Decimal("0.12"))
    if item in DETECTION and R.randint(0, 3) == 0:
        dl = DETECTION[item]
        if item == "Hg":
            return "0.04L", "μg/L"  # DL value + L, in μg/L
        return ("ND" if item == "Cd" else "<" + dl), unit
    return q(v, d), unit


def write_samples():
    rows = []

    def add(code, day, item, value, unit, dl=""):
        rows.append(f"{code},{day},{item},{value},{unit},{dl}")

    for year in (2021, 2022):
        for month in range(1, 13):
            day = f"{year}-{month:02d}-{R.randint(8, 14):02d}"
            for code in [p[0] for p in POINTS if p[2] in ("section", "lake")] + ["PJS1"]:
                for item in SURFACE:
                    v, unit = surface_value(code, item, month, year)
                    add(code, day, item, v, unit, DETECTION.get(item, "") if v == "ND" else "")
                if code == "PJL1":
                    chla = q(jitter(Decimal("9.5") * (FACTOR if year == 2022 else 1)), 1)
                    add(code, day, "叶绿素a", chla, "μg/L")
                    add(code, day, "SD", str(R.randint(55, 80)), "cm")
                if code == "PJS1":  # GB 3838 Table 2 and some Table 3 items
                    for item, base, d in (("SO4", "62", 1), ("Cl", "48", 1), ("NO3N", "1.6", 2),
                                          ("Fe", "0.12", 3), ("Mn", "0.04", 3)):
                        add(code, day, item, q(jitter(base), d), "mg/L")
                    add(code, day, "苯", "ND", "mg/L", "0.0004")
                    add(code, day, "toluene", "<0.0003", "mg/L")
            # groundwater sources, monthly
            for code in ("PJS2", "PJS3"):
                for item, base, d, unit in GROUND_SRC:
                    add(code, day, item, q(jitter(base, Decimal("0.1")), d), unit)
            # black-odorous points (built-up area), monthly in 2022
            if year == 2022:
                for code, _, _ in ODOR:
                    add(code, day, "SD", str(R.randint(32, 60)), "cm")
                    add(code, day, "DO", q(jitter("4.5"), 1), "mg/L")
                    add(code, day, "ORP", str(R.randint(80, 160)), "mV")
                    add(code, day, "NH3N", q(jitter("1.8"), 2), "mg/L")
        # sea: spring, summer, autumn surveys
        for month in (5, 8, 10):
            day = f"{year}-{month:02d}-{R.randint(10, 20):02d}"
            for i, (code, _) in enumerate(SEA):
                for item, base, d in SEA_ITEMS:
                    v = Decimal(base)
                    if item == "DIN":  # Liao River plume: inner-bay points exceed class II
                        v = Decimal(["0.52", "0.45", "0.36", "0.28", "0.41", "0.58", "0.26", "0.33"][i])
                        if month == 8:
                            v *= Decimal("1.25")  # the 2022 flood season
                    if item == "PO4P":
                        v = Decimal(["0.034", "0.031", "0.024", "0.018", "0.029", "0.038", "0.016", "0.021"][i])
                    if item == "pH":
                        add(code, day, item, q(jitter(v, Decimal("0.01")), 2), "")
                        continue
                    add(code, day, item, q(jitter(v, Decimal("0.08")), d), "mg/L")
        # groundwater wells: dry and wet season
        for month in (5, 9):
            day = f"{year}-{month:02d}-{R.randint(10, 20):02d}"
            for j, (code, _, _) in enumerate(WELLS):
                for item, base, d, unit in GROUND_WELL:
                    v = Decimal(base)
                    if item in ("Fe", "Mn") and j in (1, 4):  # reducing aquifer: class IV
                        v *= 5
                    add(code, day, item, q(jitter(v, Decimal("0.1")), d), unit)
    # soil: one survey in 2022
    for code, _, lu in FARMS:
        day = "2022-06-15"
        vals = {"pH": None, "Cd": "0.22", "Hg": "0.06", "As": "9.5", "Pb": "21", "Cr": "58",
                "Cu": "22", "Ni": "28", "Zn": "68"}
        if code == "PJF03":
            vals["Cd"] = "0.95"  # above the paddy screening value (0.8 at pH > 7.5), below control
        for item, base in vals.items():
            if item == "pH":
                ph = [p[13] for p in POINTS if p[0] == code][0]
                add(code, day, "pH", ph, "")
                continue
            add(code, day, item, q(jitter(base, Decimal("0.1")), 3), "mg/kg")
    for code, _, lu in BUILDS:
        day = "2022-04-20"
        vals = {"As": "11", "Cd": "0.3", "Cr6": "0.5L", "Cu": "25", "Pb": "28", "Hg": "0.08",
                "Ni": "30", "benzene": "ND", "benzo_a_pyrene": "0.05", "TPH_C10_C40": "120"}
        if code == "PJC02":
            vals["As"] = "26"  # first-class land: above the screening value 20, below control 120
        for item, base in vals.items():
            if base == "ND":
                add(code, day, item, "ND", "mg/kg", "0.0019")
            elif base.endswith("L"):
                add(code, day, item, base, "mg/kg")
            elif item == "As" and code == "PJC02":
                add(code, day, item, base, "mg/kg")
            else:
                add(code, day, item, q(jitter(base, Decimal("0.1")), 3), "mg/kg")
    return rows


SEA_ITEMS = [("pH", "8.05", 2), ("DO", "7.4", 2), ("COD", "1.6", 2), ("DIN", "0.3", 3),
             ("PO4P", "0.02", 4), ("Petroleum", "0.028", 3), ("Hg", "0.00004", 5),
             ("Cd", "0.0008", 4), ("Pb", "0.0021", 4), ("Cu", "0.0032", 4), ("Zn", "0.016", 3),
             ("As", "0.0017", 4)]
GROUND_SRC = [("pH", "7.6", 2, ""), ("total_hardness", "210", 0, "mg/L"), ("TDS", "420", 0, "mg/L"),
              ("SO4", "45", 1, "mg/L"), ("Cl", "38", 1, "mg/L"), ("Fe", "0.12", 3, "mg/L"),
              ("Mn", "0.04", 3, "mg/L"), ("耗氧量", "1.4", 2, "mg/L"), ("NH3N", "0.12", 3, "mg/L"),
              ("NO3N", "2.8", 2, "mg/L"), ("NO2N", "0.008", 3, "mg/L"), ("F", "0.6", 2, "mg/L"),
              ("As", "0.002", 4, "mg/L"), ("total_coliforms", "2", 0, "MPN/100mL")]
GROUND_WELL = GROUND_SRC[:-1] + [("Hg", "0.05", 3, "μg/L"), ("Cd", "0.0003", 4, "mg/L"),
                                 ("Pb", "0.003", 4, "mg/L"), ("Cr6", "0.006", 3, "mg/L")]


def main():
    with open(f"{OUT}/points.csv", "w", encoding="utf-8") as f:
        f.write(HEAD + "\n")
        for p in POINTS:
            f.write(",".join(p) + "\n")
    rows = write_samples()
    by_year = {"2021": [], "2022": []}
    for r in rows:
        by_year[r.split(",")[1][:4]].append(r)
    for y, rs in by_year.items():
        with open(f"{OUT}/samples_{y}.csv", "w", encoding="utf-8") as f:
            f.write("point,date,item,value,unit,dl\n")
            f.write("\n".join(rs) + "\n")


main()
