"""The dashboard's key charts and card sets, each built in one place.

A page lays them out, the presenter shows them one per slide and the briefing export renders
them to PPTX/PDF: all three call the same function here, so a chart never has a twin.
Each builder runs its named queries and returns what it shows together with the facts rows
it shows (for the source line and the data table).
"""
from __future__ import annotations

import functools
import importlib
import re
import threading
from collections import OrderedDict

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts
from dashboard.components import (Card, card, display_frame, formula_words, grid_cards, hover_text, is_missing, label_of, marked,
                                  measured_name, newest, newest_of, ranked_card, remember_source_note,
                                  same_period)
from dashboard.fmt import NBSP, comparison, in_one_unit, period_label, row_text
from dashboard.i18n import TEXT, colon, lang, measure_label, paren, pick, t
from etl.periods import period_years
from queries import asked, db_version, run

ZONE, CITY = "开发区", "全市"


VIEWS_KEPT = 512


@st.cache_resource(max_entries=VIEWS_KEPT, show_spinner=False)
def _built(name: str, args: tuple, kwargs: tuple, language: str, version: str):
    module, _, attr = name.rpartition(":")  # a builder of another module (dashboard.alerts) names it
    builder = getattr(importlib.import_module(module), attr) if module else globals()[name]
    built = builder.__wrapped__(*args, **dict(kwargs))
    if isinstance(built, tuple) and len(built) == 2 and isinstance(built[1], pd.DataFrame):
        remember_source_note(built[1])  # its footnote's source lines, once per build, not per run
    return built


# The views of the database in force, by written key: a hit here skips st.cache_resource's hashing
# of the arguments (≈ 0.2 ms a call, 7 % of a page view's server time); _built still builds, one
# caller per key at a time. Emptied when the database changes, and at most as many as _built keeps.
_IN_FORCE: OrderedDict[str, object] = OrderedDict()
_in_force = {"version": None}
_in_force_lock = threading.Lock()


def forget_views() -> None:
    """Every shared view built again at its next call (tests that change a builder's constants)."""
    _built.clear()
    with _in_force_lock:
        _IN_FORCE.clear()


def view(builder):
    """Shares a builder's result (a chart, a set of cards) across runs and sessions, per arguments,
    language and database version: building a Plotly figure costs more than the rest of a page's
    run. What it returns is shared, so callers never change it (slides.for_screen copies first)."""
    @functools.wraps(builder)
    def cached(*args, **kwargs):
        name = builder.__name__ if builder.__module__ == __name__ else f"{builder.__module__}:{builder.__name__}"
        key = (name, args, tuple(sorted(kwargs.items())), lang())
        written, version = asked(("view", *key)), db_version()
        with _in_force_lock:
            if _in_force["version"] != version:
                _IN_FORCE.clear()
                _in_force["version"] = version
            elif written in _IN_FORCE:
                _IN_FORCE.move_to_end(written)
                return _IN_FORCE[written]
        built = _built(*key, version)
        with _in_force_lock:
            if _in_force["version"] == version:
                _IN_FORCE[written] = built
                if len(_IN_FORCE) > VIEWS_KEPT:
                    _IN_FORCE.popitem(last=False)
        return built
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
def headline_cards() -> list[list[Card]]:
    """The overview's two rows of KPI cards: the newest figure, with its delta in the same period."""
    figures = _zone_figures()
    rows = []
    for spec in (HEADLINE, OPERATIONS):
        row = []
        for indicator, measure, delta_of in spec:
            main = newest(figures, indicator, measure)
            if main is not None:
                row.append(card(main, delta=same_period(figures, main, *delta_of) if delta_of else None))
        rows.append(row)
    return rows


@view
def firms_on_topic(topic: str, limit: int) -> tuple[list[dict], int]:
    """The firms and parks with figures on a topic (not the zone, the city or a peer zone), the first
    `limit` (newest document first), each {"name", "cards" (labelled with whose they are: 希杰 · 企业累计投资),
    "named" (the firms its quotes name: 乖宝、希杰 …)}; and how many there are in all. The page knows no
    firm by name: they come from the data."""
    listed = run("topic_entities", topic=topic, limit=limit)
    groups = []
    for entity in listed.to_dict("records"):
        rows = run("entity_topic_figures", entity=entity["entity"], topic=topic)
        specs = list(dict.fromkeys(zip(rows["indicator"], rows["measure"])))
        specs = [(i, m) for i, m in specs if not (m == "growth" and (i, "level") in specs)]  # a level's delta
        name = pick(entity["entity"], entity["entity_en"])
        labels = {(r["indicator"], r["measure"]): f"{name} · {label_of(r)}" for r in rows.to_dict("records")}
        named = pd.concat([run("named_entities", entity=entity["entity"], indicator=i, kind="enterprise")
                           for i in dict.fromkeys(rows["indicator"])], ignore_index=True).drop_duplicates("entity")
        named = named[named["entity"] != entity["entity"]]
        groups.append({"name": name, "cards": grid_cards(rows, specs, labels),
                       "named": ("; " if lang() == "en" else "、").join(pick(n["entity"], n["name_en"])
                                                                       for n in named.to_dict("records"))})
    return groups, int(listed["total"].iloc[0]) if not listed.empty else 0


@view
def headline_trends() -> dict[str, list[float]]:
    """Each headline card's sparkline (figures.trend), by the card's figure_id."""
    history = _history(ZONE, [i for i, _, _ in HEADLINE + OPERATIONS])
    return {c.row["figure_id"]: trend(history, c.row) for row in headline_cards() for c in row}


def position_words(rank: dict, note: bool = False) -> str | None:
    """Where a rank of N stands, with its direction, one formula from either end: 位于后约11.3%（倒数第18）
    for 第143/160 (约 where rounded), never "percentile 89.4%".
    `note` adds how it is derived (a card's caption)."""
    if is_missing(rank.get("position_side")):
        return None
    rounded = abs(rank["position_exact"] - rank["position_pct"]) > 1e-9
    words = t(f"rank_position.{rank['position_side']}", p=f"{rank['position_pct']:g}", k=int(rank["position_count"]),
              approx=t("rank_position.approx") if rounded else "")
    return t("rank_position_note", position=words) if note else words


@view
def rank_cards() -> list[Card]:
    """The zone's newest national, provincial and city ranks: value, change, grade, position."""
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
        # "#116 / 217" never wraps after the slash
        total = "" if is_missing(r["rank_total"]) or not r["rank_total"] else f"{NBSP}/{NBSP}{int(r['rank_total'])}"
        change = None if is_missing(r["rank_change"]) else int(r["rank_change"])
        compared = comparison({"measure": "rank_change", "value": change or 0, "quote": r.get("quote")})
        cards.append(Card(
            r, pick(r["indicator_zh"], r["indicator_en"]) + paren(str(r["year"])),
            f"{t('rank_prefix')}{r['rank']}{total}",
            # a change in the quote's own words (后退14位, 提升6位): they carry no sign, so the arrow is given
            delta=None if change is None else compared["text"],
            arrow="off" if change is None else compared["arrow"],
            lines=[("", row_text(g)) for g in grade.head(1).to_dict("records")],
            note=position_words(r, note=True), rows=[r]))
    return cards


@view
def growth_vs_city() -> tuple[go.Figure | None, pd.DataFrame]:
    """Growth of GDP and its sectors in the newest period the zone gives them, zone against city
    (the city's figures are derived): one bar per indicator and entity, never a period on another."""
    indicators = ["gdp", "secondary_va", "tertiary_va"]
    growth = _zone_figures()
    growth = growth[(growth["measure"] == "growth") & growth["indicator"].isin(indicators)
                    & (growth["basis"] == "actual")]
    if growth.empty:
        return None, growth.iloc[:0]
    period = newest_of(growth)["period"]
    city = run("zone_figures", entity=CITY, indicators=indicators)
    both = display_frame(pd.concat([growth[growth["period"] == period],
                                    city[(city["measure"] == "growth") & (city["period"] == period)]],
                                   ignore_index=True))
    both["group"] = [pick(e, en) + (paren(t('derived')) if d else "")
                     for e, en, d in zip(both["entity"], both["entity_en"], both["is_derived"])]
    both["label"] = [measured_name(r) for r in both.to_dict("records")]
    zone_name = both.loc[both["entity"] == ZONE, "group"].iloc[0]
    fig = charts.grouped_bars(both, group_col="group", title=t("growth_vs_city_title"),
                              colors={zone_name: charts.TOPIC_COLORS["economy"]},
                              y_title=f"{measure_label('growth')}{paren('%')}")
    fig.update_xaxes(title=period_label(period))  # the one period every bar is of
    return charts.with_notes(fig, t("economy.city_derived_note") if both["is_derived"].any() else None), both


# ---------- 经济运行 economy ----------

# the economic-operation indicators, in the order the documents report them
ECONOMY_OPERATION = ["gdp", "secondary_va", "tertiary_va", "industrial_va", "fixed_asset_investment",
                     "private_investment_share", "tech_reform_investment", "public_budget_revenue", "fdi", "trade",
                     "retail_sales"]


SERIES_MIN = 6  # an indicator the zone reports in this many periods or more is drawn as a time series
SERIES_YEARS = 3  # a time series opens on its last three years
TREND_POINTS = 24  # a card's sparkline: its last 24 periods of the same kind and length


@view
def economy_periods() -> pd.DataFrame:
    """The periods with economic-operation results, newest first (the newest month before its 1-N月)."""
    return run("economy_periods", entity=ZONE, indicators=ECONOMY_OPERATION)


def year_earlier(period: str) -> str:
    """The same period a year earlier, as written (2034年1-5月 → 2033年1-5月): the 同比 comparison."""
    return re.sub(r"\d{4}", lambda m: str(int(m[0]) - 1), period)


def _history(entity: str, indicators: list[str]) -> pd.DataFrame:
    return run("indicator_series", entities=[entity], indicators=indicators)


def trend(history: pd.DataFrame, row: dict, points: int = TREND_POINTS) -> list[float]:
    """A card's sparkline: the values of the card's indicator, measure and entity in its last
    `points` periods of the same kind and length as the card's (never a month beside a 1-N月),
    up to the card's period; empty when there are fewer than three."""
    if history.empty or row.get("period_kind") not in ("month", "months", "year") or pd.isna(row.get("period_start")):
        return []
    span = (row["period_end"].year - row["period_start"].year) * 12 + row["period_end"].month - row["period_start"].month + 1
    same = history[(history["indicator"] == row["indicator"]) & (history["measure"] == row["measure"])
                   & (history["entity"] == row["entity"]) & (history["span_months"] == span)
                   & (history["period_kind"] == row["period_kind"]) & ~history["is_derived"]
                   & (history["period_end"] <= row["period_end"])]
    if row["period_kind"] == "months":  # 1-5月 beside the other years' 1-5月 only
        same = same[same["period_start"].dt.month == row["period_start"].month]
    values = same.drop_duplicates("period", keep="last")["value"].tail(points).tolist()
    return values if len(values) >= 3 else []


@view
def economy_period(period: str | None) -> tuple[list[dict], pd.DataFrame]:
    """One period's figures grouped per indicator: a card each (rows: amount or growth, then its
    delta, with the city ranks the documents give), the same figure a year earlier (同比) when the
    data has it, and the card's sparkline; and the rows themselves."""
    rows = run("period_figures", entity=ZONE, period=period, indicators=ECONOMY_OPERATION)
    if rows.empty:
        return [], rows
    before = run("period_figures", entity=ZONE, period=year_earlier(period), indicators=ECONOMY_OPERATION)
    history = _history(ZONE, ECONOMY_OPERATION)
    cards = []
    for _, group in rows.groupby("indicator", sort=False):
        records = group.to_dict("records")
        main = records[0]
        prior = before[(before["indicator"] == main["indicator"]) & (before["measure"] == main["measure"])]
        before_row = prior.iloc[0].to_dict() if not prior.empty else None
        cards.append({"rows": records, "prior": before_row, "card": ranked_card(records, before_row),
                      "trend": trend(history, main)})
    shown = pd.concat([rows, *[pd.DataFrame([c["prior"]]) for c in cards if c["prior"]]], ignore_index=True)
    return cards, shown


def zone_history(indicators: list[str]) -> pd.DataFrame:
    """The zone's figures of these indicators in calendar periods, for the cards' sparklines."""
    return _history(ZONE, indicators)


@view
def newest_cards(specs: tuple[tuple[str, str], ...], share_of_city: bool = False) -> list[dict]:
    """The zone's newest figure of each (indicator, measure) that has one, with its sparkline and,
    with share_of_city, the same period's share of the city (a card's extra line)."""
    indicators = [i for i, _ in specs]
    zone, history = run("zone_figures", entity=ZONE, indicators=indicators), _history(ZONE, indicators)
    return [{"main": main, "share": same_period(zone, main, i, "share") if share_of_city else None,
             "trend": trend(history, main)}
            for i, m in specs if (main := newest(zone, i, m)) is not None]


@view
def period_cards(indicators: tuple[str, ...]) -> list[dict]:
    """Each indicator's figures in the zone's newest period of its amount (a ranked card's rows), with
    the amount's sparkline."""
    zone, history = run("zone_figures", entity=ZONE, indicators=list(indicators)), _history(ZONE, list(indicators))
    return [{"rows": run("period_figures", entity=ZONE, period=main["period"], indicators=[i]).to_dict("records"),
             "trend": trend(history, main)}
            for i in indicators if (main := newest(zone, i, "level")) is not None]


@view
def series_indicators() -> list[str]:
    """The economic-operation indicators the zone reports in SERIES_MIN periods or more, in report order."""
    history = _history(ZONE, ECONOMY_OPERATION)
    counts = history.groupby("indicator")["period"].nunique()
    return [i for i in ECONOMY_OPERATION if counts.get(i, 0) >= SERIES_MIN]


@view
def indicator_names(indicators: list[str]) -> dict[str, str]:
    """Indicator codes → their names in the current language (a picker's labels)."""
    rows = _history(ZONE, indicators).drop_duplicates("indicator")
    return {i: pick(zh, en) for i, zh, en in zip(rows["indicator"], rows["indicator_zh"], rows["indicator_en"])}


SERIES_KINDS = ["month", "months", "year", "span"]  # the period kinds a series is drawn in, in picker order


@view
def series_range(*indicators: str) -> tuple[list[int], list[str]]:
    """The years and the period kinds the zone has figures of these indicators in (a time series' controls)."""
    rows = run("indicator_series", entities=[ZONE], indicators=list(indicators))
    return (sorted(rows["period_end"].dt.year.unique().tolist()),
            [k for k in SERIES_KINDS if k in set(rows["series_kind"])])


def default_years(years: list[int]) -> tuple[int, int] | None:
    """A time series opens on its last SERIES_YEARS years."""
    return (years[max(0, len(years) - SERIES_YEARS)], years[-1]) if years else None


def series_chart(indicators: list[str], color: str, title: str, years: tuple[int, int] | None = None,
                 kind: str | None = None) -> tuple[go.Figure | None, pd.DataFrame]:
    """Indicators over time in one period kind (`kind`: 当月, 1-N月累计 or 全年; default the first
    the zone has) and the years `years` (first, last; default the last SERIES_YEARS): a panel per
    indicator and measure (amount, share, growth: never on one axis), a line per entity (the zone;
    the city beside it where growth or shares compare, its amounts being of another size)."""
    rows = run("indicator_series", entities=[ZONE, CITY], indicators=indicators)
    kinds = [k for k in SERIES_KINDS if k in set(rows.loc[rows["entity"] == ZONE, "series_kind"])]
    kind = kind if kind in kinds else next(iter(kinds), None)
    first, last = years or default_years(sorted(rows["period_end"].dt.year.unique().tolist())) or (0, 0)
    rows = display_frame(rows[rows["period_end"].dt.year.between(first, last) & (rows["series_kind"] == kind)
                              & ((rows["entity"] == ZONE) | (rows["measure"] != "level"))])
    if rows.empty:
        return None, rows
    rows = rows.sort_values(["indicator", "measure"], kind="stable", key=lambda c: (
        c.map(indicators.index) if c.name == "indicator" else c.map(["level", "share", "growth"].index)))
    rows["y_title"] = ["%" if m in ("share", "growth") else "" for m in rows["measure"]]
    rows["panel"] = [measured_name(r) for r in rows.to_dict("records")]
    for indicator in indicators:
        # amounts in the unit of the zone's newest one (a later document may write 万元 for 亿元)
        levels = rows[(rows["indicator"] == indicator) & (rows["measure"] == "level")]
        if levels.empty:
            continue
        newest_level = levels.sort_values("period_end").iloc[-1]
        factor, unit = newest_level["value_base"] / newest_level["value"], newest_level["unit"]
        unit_shown = unit if lang() == "zh" else (newest_level["unit_en"] or unit)
        rows.loc[levels.index, "value"] = levels["value_base"] / factor
        rows.loc[levels.index, "y_title"] = unit_shown
        rows.loc[levels.index, "panel"] = [f"{p}{paren(unit_shown)}" for p in rows.loc[levels.index, "panel"]]
    rows["x"] = rows["period_end"]
    rows["line"] = [pick(e, en) for e, en in zip(rows["entity"], rows["entity_en"])]
    zone_lines = dict.fromkeys(rows.loc[rows["entity"] == ZONE, "line"], color)
    title = f"{title} · {t(f'series.kind.{kind}')}"
    fig = charts.series(rows, panel_col="panel", series_col="line", colors=zone_lines, title=title)
    return charts.with_notes(fig, t("series.note")), rows


def many_periods(rows: pd.DataFrame) -> bool:
    """Whether some indicator of these rows has SERIES_MIN periods or more (a time series, not bars)."""
    return not rows.empty and rows.groupby("indicator")["period"].nunique().max() >= SERIES_MIN


@view
def has_series(*indicators: str) -> bool:
    """Whether the zone reports one of these indicators in SERIES_MIN calendar periods or more."""
    return many_periods(run("indicator_series", entities=[ZONE], indicators=list(indicators)))


@view
def economy_series(indicator: str, years: tuple[int, int] | None = None, kind: str | None = None
                   ) -> tuple[go.Figure | None, pd.DataFrame]:
    """One economic indicator over time (series_chart)."""
    names = indicator_names([indicator])
    return series_chart([indicator], charts.TOPIC_COLORS["economy"],
                        t("economy.series_title", indicator=names.get(indicator, indicator)), years, kind)


@view
def economy_periods_chart() -> tuple[go.Figure | None, pd.DataFrame]:
    """The zone's economic figures that the documents give for a few periods (fewer than SERIES_MIN:
    the others are time series), side by side."""
    multi = display_frame(run("multi_period_figures", entity=ZONE, topic="economy"))
    if not multi.empty:
        periods = multi.groupby(["indicator", "measure"])["period"].transform("nunique")
        multi = multi[(periods < SERIES_MIN) & ~multi["indicator"].isin(series_indicators())]
    if multi.empty:
        return None, multi
    multi["panel"] = multi["label"]  # the label names the measure (地区生产总值增速)
    fig = charts.small_multiples(multi, panel_col="panel", x_col="period_label", color=charts.TOPIC_COLORS["economy"])
    return charts.with_notes(fig, t("economy.multi_note"), *period_marks(multi, spans=False)), multi


# ---------- 产业集群 clusters ----------

LEADING = "leading_industries_output"
FIRMS_TOP = 15  # firms drawn: the fastest-growing fifteen, and any searched for
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
def leading_firms_growth(q: str = "") -> tuple[go.Figure | None, pd.DataFrame]:
    """Output growth of the leading firms in the newest period the documents give it: the FIRMS_TOP
    fastest and any whose name contains `q` (the chart never grows with the number of firms)."""
    firms = run("indicator_by_entity", indicator="output_value", measure="growth", period=None, base_per_unit=1,
                top=FIRMS_TOP, q=q)
    if firms.empty:
        return None, firms
    firms = display_frame(firms, label_kind="entity")
    title = t("clusters.firms_title", period=period_label(firms["period"].iloc[0]))
    if firms["of_all"].iloc[0] > FIRMS_TOP:
        title += "<br>" + t("clusters.firms_top", top=FIRMS_TOP, n=int(firms["of_all"].iloc[0]))
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


def line_label(row: dict) -> str:
    """A stage's line in the report's words (总投资, 开工率), else the figure's label by rule."""
    key = f"projects.line.{row['indicator']}.{row['measure']}.{row['basis']}"
    return marked(t(key), row) if key in TEXT else label_of(row)


@view
def pipeline_cards() -> list[Card]:
    """Each stage's count with the figures written under it (a line's period only where it differs from
    the count's, e.g. 完成投资 in 1-9月); the stages are separate sets, only 实施类 is a part (其中)."""
    indicators = [s for s, _, _ in STAGES] + [i for _, _, lines in STAGES for i, _, _ in lines]
    rows = run("zone_figures", entity=ZONE, indicators=indicators)
    cards = []
    for stage, part_of_previous, lines in STAGES:
        count = newest(rows, stage, "count")
        if count is None:
            continue
        under = [r for i, m, b in lines if (r := newest(rows, i, m, basis=b)) is not None]
        label = (t("projects.of_which") if part_of_previous else "") + t(f"projects.stage.{stage}")
        cards.append(Card(count, label, row_text(count), rows=[count, *under], lines=[
            (f"{line_label(r)} ", row_text(r), paren(period_label(r["period"])) if r["period"] != count["period"] else "")
            for r in under]))
    return cards


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
    fig = charts.bars(pools, color=charts.TOPIC_COLORS["projects"], title=t("projects.pools_title"))
    return charts.with_notes(fig, t("projects.pools_note")), pools


# ---------- 党建与服务 party-building and services ----------

PARTY = {"brand": [("party_building_project_rank", "rank"), ("cadres_dispatched", "count"),
                   ("enterprises_projects_served", "count")],
         "services": [("services_handled", "count"), ("service_satisfaction", "share")],
         "livelihood": [("housing_communities_delivered", "count"), ("housing_beneficiaries", "count")]}
HONOUR = "全市基层党建十佳示范项目"  # the brand's honour, written under its rank


@view
def party_cards() -> dict[str, list[Card]]:
    """The party page's cards by section: the brand's rank (named by the brand, with its honour), the
    cadres sent to firms, approval services, livelihood projects."""
    rows = run("topic_figures", topic="party_services")
    named = run("entity_groups", kinds=["other"])
    # the sentence as written in Chinese; in English the honour's name (the quote stays in the sources)
    honour = [("", pick(q, t("party.honour", name=names_en[list(names).index(HONOUR)])))
              for names, names_en, q in zip(named["names"], named["names_en"], named["quote"]) if HONOUR in names][:1]
    sections = {}
    for section, specs in PARTY.items():
        sections[section] = []
        for indicator, measure in specs:
            if (row := newest(rows, indicator, measure)) is not None:
                sections[section].append(card(row, lines=honour if measure == "rank" else ()))
    return sections


# ---------- 开放型经济 trade ----------

@view
def trade_by_period(*indicators: str, years: tuple[int, int] | None = None, kind: str | None = None
                    ) -> tuple[go.Figure | None, pd.DataFrame]:
    """The zone's amount and growth of trade and/or FDI in every period: as time series when the
    zone reports many periods (series_chart, in `years`), else bars per period, derived ones paler
    and marked (a row of two panels per indicator)."""
    title = t(f"trade.{indicators[0]}_title") if len(indicators) == 1 else t("trade.by_period_title")
    if has_series(*indicators):
        return series_chart(list(indicators), charts.TOPIC_COLORS["trade"], title, years, kind)
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
    fig = charts.small_multiples(rows, panel_col="panel", x_col="x", color=charts.TOPIC_COLORS["trade"],
                                 title=title, columns=2)
    return charts.with_notes(fig, *period_marks(rows)), rows


def span_words(row: dict) -> str:
    """How long a period is, in words: 全年 / full year, 1-5月 / Jan–May (the year said elsewhere)."""
    if row.get("period_kind") == "year":
        return t("series.kind.year")
    return re.sub(r"^\d{4}年(?=\d)| \d{4}$", "", period_label(row["period"]))


def period_marks(rows: pd.DataFrame, spans: bool = True) -> list[str]:
    """What a chart of periods of different length must say beside it: that their totals are not
    comparable (the lengths named from the data; `spans` False where the chart says it in its own
    words) and how part-year (beside whole years), forecast and derived bars look."""
    records = rows.to_dict("records")
    lengths = list(dict.fromkeys(span_words(r) for r in records if r.get("period_kind") in ("year", "months", "month")))
    notes = [t("chart.spans_differ", spans=("、" if lang() == "zh" else ", ").join(lengths))] \
        if spans and len(lengths) > 1 else []
    if len({charts.is_part_year(r) for r in records}) > 1:
        notes.append(t("chart.mark.part"))
    if any(charts.is_expected(r) for r in records):
        notes.append(t("chart.mark.expected"))
    if any(r.get("is_derived") in (True,) for r in records):
        notes.append(t("chart.mark.derived"))
    return notes


def group_note(rows: pd.DataFrame, key: str = "peers.group_note") -> str | None:
    """Said wherever a total of several parks (entity kind park_group) stands beside the zone."""
    groups = rows.loc[rows["entity_kind"] == "park_group"].drop_duplicates("entity") if not rows.empty else rows
    if groups.empty:
        return None
    return t(key, names=("; " if lang() == "en" else "、").join(
        pick(e, en) for e, en in zip(groups["entity"], groups["entity_en"])))


PEER_TOP = 10  # peers drawn in a comparison: the largest ten, the zone, and those searched for


@view
def peer_period_frame(*indicators: str) -> pd.DataFrame:
    """The periods in which the zone and a peer give these amounts, newest first, with their dates
    (a period picker's input)."""
    return run("peer_periods", entity=ZONE, indicators=list(indicators))


def peer_periods(*indicators: str) -> list[str]:
    return peer_period_frame(*indicators)["period"].tolist()


@view
def peer_compare(period: str | None, q: str, *indicators: str) -> tuple[go.Figure | None, pd.DataFrame]:
    """The zone and its peers in `period` (None: the newest one they share), the PEER_TOP largest plus
    the zone and any peer whose name contains `q`; one panel per indicator, plotted in one unit per
    panel (value_base ÷ 1亿) with labels as written."""
    period = period or next(iter(peer_periods(*indicators)), None)
    if period is None:
        return None, pd.DataFrame()
    rows = pd.concat([run("peer_values", indicator=i, entity=ZONE, period=period, top=PEER_TOP, q=q,
                          base_per_unit=1e8) for i in indicators], ignore_index=True)
    if rows.empty:
        return None, rows
    rows = display_frame(rows, label_kind="entity")
    # the labels in the plotted unit (21.6亿美元 beside 0.538574亿美元); the hover keeps the written value
    rows = rows.assign(text=in_one_unit(rows.to_dict("records")), value=rows["plot_value"])
    when = period_label(period)
    # what the page says beside the chart, and so its slide: the unit, the zone's place, a group of parks
    notes = [t("trade.peers_note"), *_places(rows), group_note(rows)]
    if len(indicators) == 1:
        axis = "<br>".join(x for x in (t(f"trade.{indicators[0]}_axis"), group_note(rows, "peers.group_axis")) if x)
        fig = charts.bars(rows, color=charts.TOPIC_COLORS["trade"], x_title=axis,
                          title=t(f"trade.peer_{indicators[0]}_title", year=when))
        return charts.with_notes(fig, *notes), rows
    rows["panel"] = [pick(z, en) + paren(t(f"trade.{i}_unit"))
                     for z, en, i in zip(rows["indicator_zh"], rows["indicator_en"], rows["indicator"])]
    fig = charts.bar_panels(rows, panel_col="panel", color=charts.TOPIC_COLORS["trade"],
                            title=t("trade.peers_chart_title", year=when))
    return charts.with_notes(fig, *notes), rows


def _places(rows: pd.DataFrame) -> list[str]:
    """The zone's place among the single zones of peer_compare's rows, in words (none where it stands alone)."""
    return [t("peers.zone_place", indicator=pick(r["indicator_zh"], r["indicator_en"]), period=period_label(r["period"]),
              place=int(r["place"]), places=int(r["places"]))
            for r in rows.to_dict("records") if r["entity"] == ZONE and r["places"] > 1]


@view
def zone_places(period: str | None, q: str, *indicators: str) -> list[str]:
    """The zone's place among the single zones in each indicator of peer_compare's rows, in words
    (derived: the amounts ranked, a group of parks not counted); none where it stands alone."""
    return _places(peer_compare(period, q, *indicators)[1])


@view
def peer_table(period: str | None, q: str, *indicators: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The zones of peer_compare (the zone first, then the largest of the first two indicators,
    and the searched) in `period`: a table of their figures, a zone a row and an indicator and
    measure a column, and the facts rows it shows."""
    _, compared = peer_compare(period, q, *indicators[:2])
    entities = list(dict.fromkeys([ZONE, *compared["entity"]])) if not compared.empty else []
    peers = display_frame(run("peer_figures", entities=entities, indicators=list(indicators), period=period),
                          label_kind="entity")
    if peers.empty:
        return pd.DataFrame(), peers
    peers["column"] = [pick(zh, en) + ("" if m == "count" else f" · {measure_label(m)}")
                       for zh, en, m in zip(peers["indicator_zh"], peers["indicator_en"], peers["measure"])]
    names = peers.drop_duplicates("entity").set_index("entity")["label"]
    table = (peers.pivot(index="label", columns="column", values="text")
             .reindex(index=[names[e] for e in entities if e in names], columns=peers["column"].unique()).fillna("—"))
    return table, peers


@view
def derived_rank_notes(indicator: str) -> list[str]:
    """What the zone's newest derived rank of `indicator` is and how it is derived (the card says so)."""
    rows = run("zone_figures", entity=ZONE, indicators=[indicator])
    derived = rows[rows["is_derived"] & (rows["measure"] == "rank")].sort_values("period_end").tail(1)
    return [t("bench.derived_rank_note", period=period_label(r["period"]), value=row_text(r), formula=formula_words(r))
            for r in derived.to_dict("records")]


@view
def peer_places(*indicators: str, years: tuple[int, int] | None = None, kind: str | None = None
                ) -> tuple[go.Figure | None, pd.DataFrame]:
    """The zone's place among its peer zones over time (derived from the amounts) in `years` (default
    the last SERIES_YEARS), a panel per indicator, a line per period kind, first place at the top;
    None unless it has many periods."""
    rows = pd.concat([run("peer_positions", indicator=i, entity=ZONE) for i in indicators], ignore_index=True)
    if not many_periods(rows):
        return None, rows.iloc[:0]
    first, last = years or default_years(sorted(rows["period_end"].dt.year.unique().tolist()))
    kind = kind if kind in set(rows["series_kind"]) else next(k for k in SERIES_KINDS if k in set(rows["series_kind"]))
    rows = rows[rows["period_end"].dt.year.between(first, last) & (rows["series_kind"] == kind)]
    rows = rows.assign(value=rows["place"].astype(float), x=rows["period_end"], period_label=rows["period"].map(period_label))
    rows["label"] = [f"{pick(z, en)} · {t('peers.place_title')}" for z, en in zip(rows["indicator_zh"], rows["indicator_en"])]
    rows["text"] = [t("peers.place_of", place=int(p), places=int(n)) for p, n in zip(rows["place"], rows["places"])]
    rows["hover"] = [f"{pl} · {t('derived')}{colon()}{t('peers.place_formula', places=int(n))}<br>{hover_text(r)}"
                     for pl, n, r in zip(rows["period_label"], rows["places"], rows.to_dict("records"))]
    rows["is_derived"] = True  # every point: a place computed from the amounts, its formula in words
    rows["formula"] = [t("peers.place_formula", places=int(n)) for n in rows["places"]]
    rows["panel"], rows["y_title"] = rows["label"], t("peers.place_axis")
    rows["line"] = [t(f"series.kind.{k}") for k in rows["series_kind"]]
    fig = charts.series(rows, panel_col="panel", series_col="line",
                        colors=dict.fromkeys(rows["line"], charts.TOPIC_COLORS["benchmarks"]),
                        title=f"{t('peers.places_chart_title')} · {t(f'series.kind.{kind}')}", reversed_y=True)
    return fig, rows


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
    return charts.with_notes(fig, *[n for i in indicators for n in rank_notes(i)]), rows[rows["measure"].isin(["rank", "rank_change"])]


def last_two(words: list[str]) -> tuple[str, str] | None:
    """The year before and the newest (a ranking compares the newest with the year before)."""
    return (words[-2], words[-1]) if len(words) >= 2 else None


def rank_notes(indicator: str) -> list[str]:
    """What the page says under a ranking and its slide beside it: where the rank stands (推算 from the
    rank and the total) the year before and now, for the city's assessment the place counted from the
    bottom as written (全市倒数第1) and the grades (四等 → 二等), and how a derived rank is derived."""
    positions = run("rankings", entity=ZONE)
    shares = positions[(positions["indicator"] == indicator)].dropna(subset="position_side").sort_values("year")
    notes = []
    if pair := last_two([f"{period_label(r['period'])} {position_words(r)}" for r in shares.to_dict("records")]):
        notes.append(t("bench.position", a=pair[0], b=pair[1]))
    if indicator == "rank_city":
        rows = run("zone_figures", entity=ZONE, indicators=["rank_city_from_bottom", "grade_city"])
        if bottom := newest(rows, "rank_city_from_bottom", "rank_from_bottom"):
            notes.append(t("bench.from_bottom_period", period=period_label(bottom["period"]), n=bottom["value_text"]))
        grades = rows[rows["measure"] == "grade"].sort_values("period_end").to_dict("records")
        if pair := last_two([f"{period_label(g['period'])} {row_text(g)}" for g in grades]):
            notes.append(t("bench.grades", a=pair[0], b=pair[1]))
    return notes + derived_rank_notes(indicator)


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


def status_parts(target: dict) -> tuple[str, str | None]:
    """A target's status and, where its only figure is a forecast, why it is not judged (只有预计数，不判定完成)."""
    return (t(f"targets.status.{target['status']}"),
            t("targets.forecast_only") if target.get("actual_basis") == "expected" else None)


def status_words(target: dict) -> str:
    """A target's status in one line, as slides and paper print it: 进行中（只有预计数，不判定完成）."""
    words, why = status_parts(target)
    return words + paren(why) if why else words


def actual_line(target: dict, actual: dict) -> str:
    """The line under a target's card: 实际 (judged) or 进展 (a part-year actual or a forecast)."""
    word = t("targets.actual") if target["status"] in ("met", "behind") else t("targets.progress")
    return f"{word}{colon()}**{progress_text(target, actual)}**" + (
        paren(period_label(actual["period"])) if target["status"] in ("met", "behind") else "")


def target_year(period: str) -> int | None:
    """The year a target is for (the last year its period names; 期间未注明（2022年文件） names its document's)."""
    years = period_years(period)
    return years[-1] if years else None


def target_years() -> list[int]:
    """The years the zone's targets are for, newest first."""
    everything = run("zone_targets", entity=ZONE, status="all")
    return sorted({y for p in everything["period"] if (y := target_year(p)) is not None}, reverse=True)


@view
def target_bullets(year: int | None = None) -> tuple[go.Figure | None, pd.DataFrame]:
    """The targets of one year (the newest when None) a document gives an actual for: the actual as
    a bar, the target as a tick, a row per target and period (a later year's target never on its row)."""
    everything = run("zone_targets", entity=ZONE, status="all")
    year = year or next(iter(target_years()), None)
    matched = everything.dropna(subset="actual_figure_id")
    matched = matched[[target_year(p) in (year, None) for p in matched["period"]]]
    if matched.empty:
        return None, matched
    facts = run("facts_by_id", ids=[*matched["figure_id"], *matched["actual_figure_id"]])
    bullets = display_frame(facts.set_index("figure_id").loc[matched["actual_figure_id"]].reset_index())
    bullets["label"] = [f"{target_title(r)} · {period_label(r['period'])}" for r in matched.to_dict("records")]
    # a part-year or forecast figure is progress: the bar says its period and basis
    bullets["text"] = [progress_text(r, a) for r, a in zip(matched.to_dict("records"), bullets.to_dict("records"))]
    bullets["target_value"] = matched["value"].to_numpy()
    # the status beside the target, so that a forecast beside its target never reads as met (slide, paper)
    bullets["target_text"] = [f"{t('targets.target')} {row_text(r)} · {status_words(r)}" for r in matched.to_dict("records")]
    fig = charts.target_bullets(bullets, color=charts.TOPIC_COLORS["targets"], title=t("targets.bullets_title"),
                                actual_name=t("targets.actual_or_progress"), target_name=t("targets.target"))
    return fig, facts
