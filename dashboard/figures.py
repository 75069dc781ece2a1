"""The dashboard's key charts and card sets, each built in one place.

A page lays them out, the presenter shows them one per slide and the briefing export renders
them to PPTX/PDF: all three call the same function here, so a chart never has a twin.
Each builder runs its named queries and returns what it shows together with the facts rows
it shows (for the source line and the data table).
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.components import display_frame, is_missing, newest, same_period
from dashboard.fmt import row_text
from dashboard.i18n import paren, pick, t
from queries import run

ZONE, CITY = "开发区", "全市"

# ---------- 总览 overview ----------

# (indicator, measure of the big number, (indicator, measure) of the delta or None)
HEADLINE = [
    ("gdp", "growth", ("gdp", "gap")),
    ("secondary_va", "growth", ("secondary_va", "gap")),
    ("tertiary_va", "growth", ("tertiary_va", "gap")),
    ("trade", "level", ("trade", "growth")),
]
OPERATIONS = [
    ("key_projects_annual_investment", "level", None),
    ("above_scale_firms", "count", None),
    ("funds_in_place", "level", None),
    ("key_projects", "count", None),
]
RANKS = ["rank_national", "rank_provincial", "rank_city"]


def _zone_figures() -> pd.DataFrame:
    indicators = [i for i, _, _ in HEADLINE + OPERATIONS] + [d[0] for _, _, d in HEADLINE if d]
    return run("zone_figures", entity=ZONE, indicators=indicators)


def headline_cards() -> list[list[tuple[dict, dict | None]]]:
    """The overview's two rows of KPI cards, each (newest figure, its delta in the same period or None)."""
    figures = _zone_figures()
    rows = []
    for spec in (HEADLINE, OPERATIONS):
        row = []
        for indicator, measure, delta_of in spec:
            main = newest(figures, indicator, measure)
            if main is not None:
                row.append((main, same_period(figures, main, *delta_of) if delta_of else None))
        rows.append(row)
    return rows


def annual_plan_note() -> str | None:
    """The plan and the amount done measure the same 105 projects' year, so the note quotes the
    report's own words ("提前完成年度投资计划") rather than computing a completion ratio."""
    figures = _zone_figures()
    plan = newest(figures, "key_projects_annual_investment", "level", basis="plan")
    done = newest(figures, "key_projects_annual_investment", "level")
    if not (plan and done):
        return None
    return f"{t('annual_plan')}：{row_text(plan)}（{plan['period']}） · {t('quote')}：“{done['quote']}”"


def rank_cards() -> list[dict]:
    """The zone's newest national, provincial and city ranks: label, value, change, grade, percentile."""
    ranks = run("rankings", entity=ZONE)
    grades = run("city_grades", entity=ZONE)
    cards = []
    for indicator in RANKS:
        rows = ranks[ranks["indicator"] == indicator].sort_values("year")
        if rows.empty:
            continue
        r = rows.iloc[-1].to_dict()
        grade = grades[grades["period"] == r["period"]]
        total = "" if is_missing(r["rank_total"]) or not r["rank_total"] else f" / {int(r['rank_total'])}"
        change = None if is_missing(r["rank_change"]) else int(r["rank_change"])
        cards.append({
            "row": r,
            "label": pick(r["indicator_zh"], r["indicator_en"]) + paren(str(r["year"])),
            "value": f"{t('rank_prefix')}{r['rank']}{total}",
            "delta": None if change is None else
            t("up_places", n=change) if change > 0 else t("down_places", n=-change),
            "grade": row_text(grade.iloc[0].to_dict()) if not grade.empty else None,
            "percentile": None if is_missing(r["percentile"]) else t("percentile_note", p=r["percentile"]),
        })
    return cards


def growth_vs_city() -> tuple[go.Figure | None, pd.DataFrame]:
    """Growth of GDP and its sectors, zone against city (the city's figures are derived)."""
    indicators = ["gdp", "secondary_va", "tertiary_va"]
    growth = _zone_figures()
    growth = growth[(growth["measure"] == "growth") & growth["indicator"].isin(indicators)]
    city = run("zone_figures", entity=CITY, indicators=indicators)
    both = display_frame(pd.concat([growth, city[city["measure"] == "growth"]], ignore_index=True))
    if both.empty:
        return None, both
    both["group"] = [pick(e, en) + (f"（{t('derived')}）" if d else "")
                     for e, en, d in zip(both["entity"], both["entity_en"], both["is_derived"])]
    both["label"] = [pick(z, en) for z, en in zip(both["indicator_zh"], both["indicator_en"])]
    zone_name = both.loc[both["entity"] == ZONE, "group"].iloc[0]
    fig = charts.grouped_bars(both, group_col="group", title=t("growth_vs_city_title"),
                              colors={zone_name: charts.TOPIC_COLORS["economy"]}, y_title="%")
    return fig, both
