"""The dashboard's key charts and card sets, each built in one place.

A page lays them out, the presenter shows them one per slide and the briefing export renders
them to PPTX/PDF: all three call the same function here, so a chart never has a twin.
Each builder runs its named queries and returns what it shows together with the facts rows
it shows (for the source line and the data table).
"""
from __future__ import annotations

import functools

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts
from dashboard.components import display_frame, is_missing, label_of, marked, measured_name, newest, same_period
from dashboard.fmt import in_one_unit, period_label, row_text
from dashboard.i18n import colon, lang, measure_label, paren, pick, t
from queries import db_version, run

ZONE, CITY = "开发区", "全市"


@st.cache_resource(max_entries=512, show_spinner=False)
def _built(name: str, args: tuple, language: str, version: str):
    return globals()[name].__wrapped__(*args)


def view(builder):
    """Shares a builder's result (a chart, a set of cards) across runs and sessions, per arguments,
    language and database version: building a Plotly figure costs more than the rest of a page's
    run. What it returns is shared, so callers never change it (slides.for_screen copies first)."""
    @functools.wraps(builder)
    def cached(*args):
        return _built(builder.__name__, args, lang(), db_version())
    return cached


# ---------- 总览 overview ----------

# (indicator, measure of the big number, (indicator, measure) of the delta or None)
HEADLINE = [
    ("gdp", "growth", ("gdp", "gap")),
    ("secondary_va", "growth", ("secondary_va", "gap")),
    ("tertiary_va", "growth", ("tertiary_va", "gap")),
    ("trade", "level", ("trade", "growth")),
]
OPERATIONS = [
    # 1-9月 完成 of the 实施类 projects: its own indicator, never beside the 105 projects' 109.4亿元 plan
    ("key_projects_implementation_investment_done", "level", None),
    ("above_scale_firms", "count", None),
    ("funds_in_place", "level", None),
    ("key_projects", "count", None),
]
RANKS = ["rank_national", "rank_provincial", "rank_city"]


def _zone_figures() -> pd.DataFrame:
    indicators = [i for i, _, _ in HEADLINE + OPERATIONS] + [d[0] for _, _, d in HEADLINE if d]
    return run("zone_figures", entity=ZONE, indicators=indicators)


@view
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


def position_words(rank: dict, note: bool = False) -> str | None:
    """Where a rank of N stands, with its direction: 位于后10.6% (第143/160), never "percentile 89.4%".
    `note` adds how it is derived (a card's caption)."""
    if is_missing(rank.get("position_side")):
        return None
    words = t(f"rank_position.{rank['position_side']}", p=f"{rank['position_pct']:g}")
    return t("rank_position_note", position=words) if note else words


@view
def rank_cards() -> list[dict]:
    """The zone's newest national, provincial and city ranks: label, value, change, grade, position."""
    ranks = run("rankings", entity=ZONE)
    grades = run("city_grades", entity=ZONE)
    cards = []
    for indicator in RANKS:
        rows = ranks[ranks["indicator"] == indicator].sort_values("year")
        if rows.empty:
            continue
        r = rows.iloc[-1].to_dict()
        # the grade (一等…四等) is the city's assessment, so only the city rank's card has one
        grade = grades[grades["period"] == r["period"]] if indicator == "rank_city" else grades.iloc[:0]
        total = "" if is_missing(r["rank_total"]) or not r["rank_total"] else f" / {int(r['rank_total'])}"
        change = None if is_missing(r["rank_change"]) else int(r["rank_change"])
        cards.append({
            "row": r,
            "label": pick(r["indicator_zh"], r["indicator_en"]) + paren(str(r["year"])),
            "value": f"{t('rank_prefix')}{r['rank']}{total}",
            "delta": None if change is None else
            t("up_places", n=change) if change > 0 else t("down_places", n=-change),
            # the words carry no sign, so the arrow and its colour come from the change itself
            "arrow": "off" if not change else "up" if change > 0 else "down",
            "grade": row_text(grade.iloc[0].to_dict()) if not grade.empty else None,
            "position": position_words(r, note=True),
        })
    return cards


@view
def growth_vs_city() -> tuple[go.Figure | None, pd.DataFrame]:
    """Growth of GDP and its sectors, zone against city (the city's figures are derived)."""
    indicators = ["gdp", "secondary_va", "tertiary_va"]
    growth = _zone_figures()
    growth = growth[(growth["measure"] == "growth") & growth["indicator"].isin(indicators)]
    city = run("zone_figures", entity=CITY, indicators=indicators)
    both = display_frame(pd.concat([growth, city[city["measure"] == "growth"]], ignore_index=True))
    if both.empty:
        return None, both
    both["group"] = [pick(e, en) + (paren(t('derived')) if d else "")
                     for e, en, d in zip(both["entity"], both["entity_en"], both["is_derived"])]
    both["label"] = [measured_name(r) for r in both.to_dict("records")]
    zone_name = both.loc[both["entity"] == ZONE, "group"].iloc[0]
    fig = charts.grouped_bars(both, group_col="group", title=t("growth_vs_city_title"),
                              colors={zone_name: charts.TOPIC_COLORS["economy"]},
                              y_title=f"{measure_label('growth')}{paren('%')}")
    return fig, both


# ---------- 经济运行 economy ----------

# the economic-operation indicators, in the order the documents report them
ECONOMY_OPERATION = ["gdp", "secondary_va", "tertiary_va", "industrial_va", "fixed_asset_investment",
                     "private_investment_share", "tech_reform_investment", "public_budget_revenue", "fdi", "trade",
                     "retail_sales"]


@view
def economy_periods() -> list[str]:
    """The periods with economic-operation figures, newest first."""
    return run("economy_periods", entity=ZONE, indicators=ECONOMY_OPERATION)["period"].tolist()


@view
def economy_period(period: str | None) -> tuple[list[list[dict]], pd.DataFrame]:
    """One period's figures grouped per indicator (a card each: amount or growth, then its delta),
    with the city ranks the documents give; and the rows themselves."""
    rows = run("period_figures", entity=ZONE, period=period, indicators=ECONOMY_OPERATION)
    return [g.to_dict("records") for _, g in rows.groupby("indicator", sort=False)], rows


@view
def economy_periods_chart() -> tuple[go.Figure | None, pd.DataFrame]:
    """The zone's economic figures that the documents give for several periods, side by side."""
    multi = display_frame(run("multi_period_figures", entity=ZONE, topic="economy"))
    if multi.empty:
        return None, multi
    multi["panel"] = multi["label"]  # the label names the measure (地区生产总值增速)
    return charts.small_multiples(multi, panel_col="panel", x_col="period_label",
                                  color=charts.TOPIC_COLORS["economy"]), multi


# ---------- 产业集群 clusters ----------

LEADING = "leading_industries_output"
STEEL = [("steel_pipe_producers", "count"), ("steel_pipe_traders", "count"), ("steel_pipe_leading_firms", "count"),
         ("steel_pipe_profit_margin", "multiple"), ("steel_pipe_output", "level"),
         ("steel_pipe_trade_volume", "level"), ("steel_pipe_trade_volume", "share"),
         ("high_end_alloy_pipe_share", "share")]


def steel_labels() -> dict[tuple[str, str], str]:
    """Card labels where the indicator's own name would not say what the number is."""
    return {("steel_pipe_trade_volume", "share"): t("clusters.label.national_share"),
            ("steel_pipe_profit_margin", "multiple"): t("clusters.label.profit_margin")}


@view
def leading_share() -> tuple[go.Figure | None, pd.DataFrame]:
    """The three leading industries' share of above-scale industrial output."""
    rows = run("zone_figures", entity=ZONE, indicators=[LEADING])
    share = rows[rows["measure"] == "share"]
    if share.empty:
        return None, share
    share = display_frame(share).assign(label=t("clusters.leading_share_label"))
    title = t("clusters.leading_share_title", period=period_label(share["period"].iloc[0]))
    return charts.share_bar(share, color=charts.TOPIC_COLORS["clusters"], title=title), share


@view
def leading_firms_growth() -> tuple[go.Figure | None, pd.DataFrame]:
    """Output growth of the leading firms in the newest period the documents give it."""
    firms = run("indicator_by_entity", indicator="output_value", measure="growth", period=None, base_per_unit=1)
    if firms.empty:
        return None, firms
    firms = display_frame(firms, label_kind="entity")
    title = t("clusters.firms_title", period=period_label(firms["period"].iloc[0]))
    return charts.bars(firms, color=charts.TOPIC_COLORS["clusters"], title=title), firms


# ---------- 项目建设 projects ----------

# Each stage is its own set of projects; only 实施类 is a part (其中) of the key projects, as the report says.
# (count indicator, is a part of the stage before, [(indicator, measure, basis) written under the count])
STAGES = [
    ("key_projects", False, [("key_projects_investment", "level", "plan"),
                             ("key_projects_annual_investment", "level", "plan"),
                             ("key_projects_full_agency", "count", "actual")]),
    ("key_projects_implementation", True, [("key_projects_started", "count", "actual"),
                                           ("key_projects_started", "share", "actual"),
                                           ("key_projects_implementation_investment_done", "level", "actual")]),
    ("projects_completed", False, []),
    ("reserve_projects", False, [("reserve_projects_investment", "level", "plan")]),
    ("policy_fund_projects", False, [("policy_fund_projects_investment", "level", "plan"),
                                     ("policy_fund_demand", "level", "plan")]),
]
ATTRACTION = [("industry_task_forces", "count"), ("work_task_forces", "count"), ("firms_visited", "count"),
              ("projects_over_100m", "count"), ("funds_in_place", "level"), ("approval_time_improvement", "level")]
INVESTMENT_POOLS = ["key_projects_investment", "reserve_projects_investment", "policy_fund_projects_investment"]


@view
def investment_pools() -> tuple[go.Figure | None, pd.DataFrame]:
    """Total planned investment of each project pool (separate sets: compared side by side, never summed)."""
    pools = run("zone_figures", entity=ZONE, indicators=INVESTMENT_POOLS)
    pools = display_frame(pools.sort_values("indicator", key=lambda i: i.map(INVESTMENT_POOLS.index)))
    if pools.empty:
        return None, pools
    return charts.bars(pools, color=charts.TOPIC_COLORS["projects"], title=t("projects.pools_title")), pools


# ---------- 开放型经济 trade ----------

PEER_YEAR = "2021年"  # the year the speech deck compares the zone with its peers


@view
def trade_by_period(*indicators: str) -> tuple[go.Figure | None, pd.DataFrame]:
    """The zone's amount and growth of trade and/or FDI in every period, derived ones paler and marked:
    a row of two panels per indicator."""
    zone = run("zone_figures", entity=ZONE, indicators=list(indicators))
    rows = zone[zone["measure"].isin(["level", "growth"]) & zone["basis"].isin(["actual", "expected"])]  # no targets
    # per indicator in the order asked, amounts before growth
    rows = display_frame(rows.sort_values(["indicator", "measure"], kind="stable", key=lambda c: (
        c.map(indicators.index) if c.name == "indicator" else c != "level")))
    if rows.empty:
        return None, rows
    rows["x"] = [p + (paren(t("derived")) if d else "") for p, d in zip(rows["period_label"], rows["is_derived"])]
    rows["panel"] = [f"{pick(z, en)} · {measure_label(m)}"
                     for z, en, m in zip(rows["indicator_zh"], rows["indicator_en"], rows["measure"])]
    title = t(f"trade.{indicators[0]}_title") if len(indicators) == 1 else t("trade.by_period_title")
    return charts.small_multiples(rows, panel_col="panel", x_col="x", color=charts.TOPIC_COLORS["trade"],
                                  title=title, columns=2), rows


def group_note(rows: pd.DataFrame, key: str = "peers.group_note") -> str | None:
    """Said wherever a total of several parks (entity kind park_group) stands beside the zone."""
    groups = rows.loc[rows["entity_kind"] == "park_group"].drop_duplicates("entity") if not rows.empty else rows
    if groups.empty:
        return None
    return t(key, names=("; " if lang() == "en" else "、").join(
        pick(e, en) for e, en in zip(groups["entity"], groups["entity_en"])))


@view
def peer_compare(*indicators: str) -> tuple[go.Figure | None, pd.DataFrame]:
    """The zone and its peers in PEER_YEAR, one panel per indicator, plotted in one unit per panel
    (value_base ÷ 1亿) with labels as written."""
    rows = pd.concat([run("indicator_by_entity", indicator=i, measure="level", period=PEER_YEAR, base_per_unit=1e8)
                      for i in indicators], ignore_index=True)
    if rows.empty:
        return None, rows
    rows = display_frame(rows, label_kind="entity")
    # the labels in the plotted unit (21.6亿美元 beside 0.538574亿美元); the hover keeps the written value
    rows = rows.assign(text=in_one_unit(rows.to_dict("records")), value=rows["plot_value"])
    if len(indicators) == 1:
        axis = "<br>".join(x for x in (t(f"trade.{indicators[0]}_axis"), group_note(rows, "peers.group_axis")) if x)
        return charts.bars(rows, color=charts.TOPIC_COLORS["trade"], x_title=axis,
                           title=t(f"trade.peer_{indicators[0]}_title", year=period_label(PEER_YEAR))), rows
    rows["panel"] = [pick(z, en) + paren(t(f"trade.{i}_unit"))
                     for z, en, i in zip(rows["indicator_zh"], rows["indicator_en"], rows["indicator"])]
    return charts.bar_panels(rows, panel_col="panel", color=charts.TOPIC_COLORS["trade"],
                             title=t("trade.peers_chart_title", year=period_label(PEER_YEAR))), rows


# ---------- 对标排名 benchmarks ----------

@view
def rank_slope(*indicators: str) -> tuple[go.Figure | None, pd.DataFrame]:
    """The zone's rankings from year to year (best at the top), a panel per ranking, derived points marked."""
    rows = run("zone_figures", entity=ZONE, indicators=list(indicators))
    rows = rows.sort_values("indicator", kind="stable", key=lambda c: c.map(indicators.index))
    points = display_frame(rows[rows["measure"] == "rank"])
    if points.empty:
        return None, points
    points["text"] = [text + (paren(t("derived")) if d else "") for text, d in zip(points["text"], points["is_derived"])]
    points["panel"] = [pick(z, en) for z, en in zip(points["indicator_zh"], points["indicator_en"])]
    fig = charts.slope(points, x_col="period_label", y_col="value", series_col="indicator",
                       colors=dict.fromkeys(indicators, charts.TOPIC_COLORS["benchmarks"]),
                       title=t("bench.slope_title"), panel_col="panel" if len(indicators) > 1 else None)
    fig.update_layout(height=340 if len(indicators) > 1 else 320, showlegend=False)
    return fig, rows[rows["measure"].isin(["rank", "rank_change"])]


@view
def tax_per_mu() -> tuple[go.Figure | None, pd.DataFrame]:
    """Tax per mu of the zone against Zoucheng (Zoucheng's is derived from “五分之一”, so it keeps 约)."""
    per_mu = run("per_mu")
    tax = per_mu[per_mu["indicator"] == "tax_per_mu"]
    bars = display_frame(tax[tax["measure"] == "level"], label_kind="entity")
    if bars.empty:
        return None, tax
    fig = charts.bars(bars, color=charts.TOPIC_COLORS["benchmarks"], title=t("bench.tax_title"))
    fig.update_xaxes(range=[0, bars["value"].max() * 1.6])  # room for “约17.9万元/亩”
    return fig, tax


# ---------- 目标任务 targets ----------

def target_title(row) -> str:
    """A target's name with its measure and the mark 目标 (label rule of label_of)."""
    return label_of({**row, "basis": "target"})


def progress_text(target: dict, actual: dict) -> str:
    """An actual as a target's progress: 2022年1-5月 预计69.67%（预计） unless it covers the whole period."""
    if target["status"] in ("met", "behind"):
        return row_text(actual)
    text = f"{period_label(actual['period'])} {row_text(actual)}"
    return text if actual.get("qualifier") == "预计" else marked(text, actual)  # 预计 is already in the value


def actual_line(target: dict, actual: dict) -> str:
    """The line under a target's card: 实际 (judged) or 进展 (a part-year actual or a forecast)."""
    word = t("targets.actual") if target["status"] in ("met", "behind") else t("targets.progress")
    return f"{word}{colon()}**{progress_text(target, actual)}**" + (
        paren(period_label(actual["period"])) if target["status"] in ("met", "behind") else "")


@view
def target_bullets() -> tuple[go.Figure | None, pd.DataFrame]:
    """The targets a document gives a same-year actual for: the actual as a bar, the target as a tick."""
    everything = run("zone_targets", entity=ZONE, status="all")
    matched = everything.dropna(subset="actual_figure_id")
    if matched.empty:
        return None, matched
    facts = run("facts_by_id", ids=[*matched["figure_id"], *matched["actual_figure_id"]])
    bullets = display_frame(facts.set_index("figure_id").loc[matched["actual_figure_id"]].reset_index())
    bullets["label"] = [target_title(r) for r in matched.to_dict("records")]
    # a part-year or forecast figure is progress: the bar says its period and basis
    bullets["text"] = [progress_text(r, a) for r, a in zip(matched.to_dict("records"), bullets.to_dict("records"))]
    bullets["target_value"] = matched["value"].to_numpy()
    bullets["target_text"] = [f"{t('targets.target')} {row_text(r)}" for r in matched.to_dict("records")]
    fig = charts.target_bullets(bullets, color=charts.TOPIC_COLORS["targets"], title=t("targets.bullets_title"),
                                actual_name=t("targets.actual_or_progress"), target_name=t("targets.target"))
    return fig, facts
