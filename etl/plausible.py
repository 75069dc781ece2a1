"""Plausibility before commit (issue 19, item 5): a figure that passes every check of the build can
still be the wrong one — Shandong's GDP, 92068.7亿元, proposed as the zone's. A new figure far outside
what the data already says of the same thing is held back until the analyst confirms it on the page,
with the reason shown. Nothing here changes a figure; it only asks."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from etl.inputs import reading

FACTOR = 10  # "far outside": ten times the largest (or a tenth of the smallest) earlier amount
AMOUNTS = ("level", "count")  # measures compared by size; a growth rate or a rank moves freely
ZONE = "开发区"
CITY = "全市"
# the words a sentence names an area by: a figure of the zone said of 全省 is the province's
AREA_WORDS = {
    "全国": "全国", "全省": "全省", "我省": "全省", "山东省": "全省", "山东": "全省",
    "全市": "全市", "我市": "全市", "聊城市": "全市",
    "全区": ZONE, "我区": ZONE, "开发区": ZONE, "经开区": ZONE,
}
AREA_EN = {"全国": "the nation", "全省": "the province", "全市": "the city", ZONE: "the zone"}
COLUMNS = ["figure_id", "reason_zh", "reason_en"]
# an area named as what the figure is compared with (高于全市, 占全市), or as a rank's field (居全市第二,
# 全省第一), is not the figure's subject
_REFERENCE_BEFORE = re.compile(r"(高于|低于|快于|慢于|超过|超出|好于|比|较|占|居|列|位列|位居|排名|领跑|在)$")
_SCOPE_AFTER = re.compile(r"(第|排名|排|前列|首位|领先|同类)")


def _said_of(quote: str, value_text: str) -> str | None:
    """The area the sentence names last before the number (全省 for 全省实现地区生产总值92068.7亿元), or None."""
    # the number itself, not the same digits inside a longer one (300 in 3000亿元)
    hit = re.search(rf"(?<![\d.]){re.escape(value_text)}(?![\d.])", quote) if value_text else None
    before = quote[:hit.start()] if hit else quote
    before = before[max(before.rfind("。"), before.rfind("；")) + 1:]
    found = [(m.start(), len(w), area) for w, area in AREA_WORDS.items() for m in re.finditer(w, before)
             if not _REFERENCE_BEFORE.search(before[:m.start()]) and not _SCOPE_AFTER.match(before[m.end():])]
    return max(found)[2] if found else None


def doubts(staged: pd.DataFrame, db: Path) -> pd.DataFrame:
    """One row per (figure, reason) that needs the analyst's confirmation: figure_id, reason_zh, reason_en."""
    if staged.empty or not Path(db).is_file():
        return pd.DataFrame(columns=COLUMNS)
    rows = staged[["figure_id", "entity", "indicator", "measure", "basis", "period", "value", "value_text", "unit",
                   "quote"]].copy()
    rows["value"] = pd.to_numeric(rows["value"], errors="coerce")
    with reading(db) as con:
        con.register("staged", rows)
        amounts = con.execute(f"""
            WITH s AS (SELECT s.*, s.value * u.factor AS base, u.factor, u.base_unit FROM staged s
                       JOIN units u USING (unit) WHERE list_contains(?, s.measure))
            SELECT s.figure_id, s.entity, s.base, s.base_unit, s.unit, s.factor,
                   -- the same entity, indicator and measure before this batch
                   (SELECT max(value_base) FROM facts f WHERE f.entity = s.entity AND f.indicator = s.indicator
                      AND f.measure = s.measure AND f.base_unit = s.base_unit AND NOT f.is_derived
                      AND f.figure_id <> s.figure_id) AS top,
                   (SELECT min(value_base) FROM facts f WHERE f.entity = s.entity AND f.indicator = s.indicator
                      AND f.measure = s.measure AND f.base_unit = s.base_unit AND NOT f.is_derived
                      AND f.value_base > 0 AND f.figure_id <> s.figure_id) AS bottom,
                   -- with no history of it: the entity's largest amount of anything in that unit
                   (SELECT max(value_base) FROM facts f WHERE f.entity = s.entity AND f.base_unit = s.base_unit
                      AND list_contains(?, f.measure) AND NOT f.is_derived AND f.basis = 'actual'
                      AND f.figure_id <> s.figure_id) AS any_top,
                   -- the city's figure of the same thing and period (a zone is part of the city)
                   (SELECT max(value_base) FROM facts f WHERE f.entity = '{CITY}' AND f.indicator = s.indicator
                      AND f.measure = s.measure AND f.period = s.period AND f.base_unit = s.base_unit) AS city
            FROM s""", [list(AMOUNTS), list(AMOUNTS)]).df()
    out = []
    for r in amounts.itertuples(index=False):
        if pd.isna(r.base):
            continue

        def said(base: float) -> str:  # an earlier amount in the new figure's unit: 88.39亿元, not 8.839e+09元
            return f"{base / r.factor:,.6g}{r.unit}"
        if not pd.isna(r.top) and r.top > 0 and r.base > FACTOR * r.top:
            out.append((r.figure_id, f"是此前同一指标最大值的{r.base / r.top:,.0f}倍（此前最大 {said(r.top)}）",
                        f"{r.base / r.top:,.0f}× the largest earlier value of this indicator ({said(r.top)})"))
        elif not pd.isna(r.bottom) and 0 < r.base < r.bottom / FACTOR:
            out.append((r.figure_id, f"不到此前同一指标最小值的十分之一（此前最小 {said(r.bottom)}）",
                        f"under a tenth of the smallest earlier value of this indicator ({said(r.bottom)})"))
        elif pd.isna(r.top) and not pd.isna(r.any_top) and r.any_top > 0 and r.base > FACTOR * r.any_top:
            out.append((r.figure_id,
                        f"该主体此前没有这一指标，而它是该主体任何同单位数字最大值的{r.base / r.any_top:,.0f}倍"
                        f"（此前最大 {said(r.any_top)}）",
                        f"no earlier value of this indicator, and {r.base / r.any_top:,.0f}× the entity's largest "
                        f"amount in this unit ({said(r.any_top)})"))
        if r.entity == ZONE and not pd.isna(r.city) and r.base > r.city:
            out.append((r.figure_id, f"大于同期全市的数字（全市 {said(r.city)}）",
                        f"larger than the city's figure of the same period ({said(r.city)})"))
    for r in rows.itertuples(index=False):
        area = _said_of(str(r.quote or ""), str(r.value_text or ""))
        if area and area != r.entity and r.entity in (ZONE, CITY):
            out.append((r.figure_id, f"引文中这个数字说的是“{area}”，不是“{r.entity}”",
                        f"the quote says this number of {AREA_EN[area]} ({area}), not of {AREA_EN[r.entity]} ({r.entity})"))
    return pd.DataFrame(out, columns=COLUMNS)
