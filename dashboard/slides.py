"""The slide catalog: the key charts and KPI sets of every screen, in presentation order.

A slide function takes the view (the URL's query parameters, i.e. the screen's filters) and
returns a Slide built by dashboard.figures, or None when it has no data. The presenter shows
one slide at a time; the briefing export renders a screen's slides (or all) to PPTX and PDF.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import alerts, charts, figures, url_state
from dashboard.components import Card, grid_cards, source_note
from dashboard.fmt import period_label
from dashboard.i18n import pick, t
from queries import run

View = Mapping[str, str]
# the columns of a KPI table slide, in order; their headers are translation keys
TABLE_COLUMNS = {"label": "col_indicator", "value": "col_value", "compare": "slides.col_compare",
                 "period": "col_period", "source": "col_source"}


@dataclass
class Slide:
    page: str  # url path of the screen the slide comes from
    title: str
    data: pd.DataFrame  # the facts rows shown: footnote, data table, tests
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None  # KPI table: TABLE_COLUMNS, plus delta/delta_note for the presenter
    note: str = field(default="")
    warnings: list[str] = field(default_factory=list)  # what the page says beside the chart (charts.notes)
    items: list[list[str]] = field(default_factory=list)  # a list slide (预警): each item's lines, the first its heading

    def __post_init__(self):
        self.note = self.note or source_note(self.data)
        self.warnings = self.warnings or charts.notes(self.figure)


CATALOG: list[tuple[str, Callable[[View], Slide | None]]] = []


def slide(page: str):
    """Register a slide function of a screen; the catalog's order is the deck's order."""
    def register(fn):
        CATALOG.append((page, fn))
        return fn
    return register


def build(index: int, view: View) -> Slide | None:
    page, fn = CATALOG[index]
    return fn(view)


def deck(view: View, page: str | None = None) -> list[Slide]:
    """Every slide with data (or only those of one screen)."""
    return [s for p, fn in CATALOG if page in (None, p) and (s := fn(view)) is not None]


def first_index(page: str) -> int:
    """The first slide of a screen (0 if it has none), where presenting from that screen starts."""
    return next((i for i, (p, _) in enumerate(CATALOG) if p == page), 0)


def pages() -> list[str]:
    return list(dict.fromkeys(p for p, _ in CATALOG))


# ---------- building blocks ----------

def kpi_table(cards: list[Card]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """KPI cards as a table slide's rows (what the page's card says, in its words), and the facts rows they show."""
    rows = [{"label": c.label, "value": c.value, "delta": c.delta, "delta_note": c.delta_note, "arrow": c.arrow,
             "lines": c.line_texts(), "card_note": c.note, "compare": c.compare(),
             "period": c.period, "source": _source_name(c.row)} for c in cards]
    return pd.DataFrame(rows), pd.DataFrame([r for c in cards for r in c.rows])


def _source_name(row: dict) -> str:
    return pick(row.get("source_short_zh"), row.get("source_short_en"))


def _table(page: str, title: str, cards: list[Card]) -> Slide | None:
    if not cards:
        return None
    table, data = kpi_table(cards)
    return Slide(page, title, data, table=table)


def _chart(page: str, fig: go.Figure | None, data: pd.DataFrame, title_key: str) -> Slide | None:
    """A chart slide; the slide's title is the chart's own (it may name the period)."""
    if fig is None or data.empty:
        return None
    return Slide(page, fig.layout.title.text or t(title_key), data, figure=fig)


# ---------- 总览 overview ----------

@slide("overview")
def overview_kpis(view: View) -> Slide | None:
    return _table("overview", t("slides.overview_kpis"), [c for row in figures.headline_cards() for c in row])


@slide("overview")
def overview_ranks(view: View) -> Slide | None:
    return _table("overview", t("ranks_title"), figures.rank_cards())


@slide("overview")
def overview_growth(view: View) -> Slide | None:
    return _chart("overview", *figures.growth_vs_city(), "growth_vs_city_title")


# ---------- 经济运行 economy ----------

@slide("economy")
def economy_newest_period(view: View) -> Slide | None:
    """The chosen (or newest) period's indicators, each with the city ranks the documents give and
    the same figure a year earlier (同比) when there is one."""
    periods = figures.economy_periods()["period"].tolist()
    if not periods:
        return None
    period = next((p for p in periods if url_state.period_code(p) == view.get("period")), periods[0])
    cards, data = figures.economy_period(period)
    return Slide("economy", t("slides.economy_period", period=period_label(period)), data,
                 table=kpi_table([c["card"] for c in cards])[0])


@slide("economy")
def economy_side_by_side(view: View) -> Slide | None:
    """An indicator across periods: the first the zone reports over many periods as a time series,
    else the few periods side by side (one slide either way, so slide numbers stay)."""
    if indicators := figures.series_indicators():
        return _chart("economy", *figures.economy_series(indicators[0]), "economy.series_heading")
    return _chart("economy", *figures.economy_periods_chart(), "economy.multi_title")


# ---------- 产业集群 clusters ----------

@slide("clusters")
def clusters_leading_share(view: View) -> Slide | None:
    return _chart("clusters", *figures.leading_share(), "clusters.leading_title")


@slide("clusters")
def clusters_firms(view: View) -> Slide | None:
    return _chart("clusters", *figures.leading_firms_growth(), "clusters.leading_title")


@slide("clusters")
def clusters_steel_pipe(view: View) -> Slide | None:
    rows = run("zone_figures", entity=figures.ZONE, indicators=[i for i, _ in figures.STEEL])
    return _table("clusters", t("clusters.steel_title"), grid_cards(rows, figures.STEEL, figures.steel_labels()))


# ---------- 项目建设 projects ----------

@slide("projects")
def projects_pipeline(view: View) -> Slide | None:
    return _table("projects", t("projects.pipeline_title"), figures.pipeline_cards())


@slide("projects")
def projects_pools(view: View) -> Slide | None:
    return _chart("projects", *figures.investment_pools(), "projects.pools_title")


@slide("projects")
def projects_attraction(view: View) -> Slide | None:
    rows = run("zone_figures", entity=figures.ZONE, indicators=[i for i, _ in figures.ATTRACTION])
    return _table("projects", t("projects.attraction_title"), grid_cards(rows, figures.ATTRACTION))


# ---------- 开放型经济 trade ----------

@slide("trade")
def trade_trade(view: View) -> Slide | None:
    return _chart("trade", *figures.trade_by_period("trade"), "trade.trade_title")


@slide("trade")
def trade_fdi(view: View) -> Slide | None:
    return _chart("trade", *figures.trade_by_period("fdi"), "trade.fdi_title")


def _peer_period(view: View, *indicators: str) -> str | None:
    """The peer period of the view's link (?peer_period=code), None (the newest) when it names none."""
    return next((p for p in figures.peer_periods(*indicators) if url_state.period_code(p) == view.get("peer_period")), None)


@slide("trade")
def trade_peers(view: View) -> Slide | None:
    return _chart("trade", *figures.peer_compare(_peer_period(view, "trade"), "", "trade"), "trade.peer_trade_title")


@slide("trade")
def trade_peers_fdi(view: View) -> Slide | None:
    return _chart("trade", *figures.peer_compare(_peer_period(view, "fdi"), "", "fdi"), "trade.peer_fdi_title")


# ---------- 党建与服务 party-building and services ----------

@slide("party")
def party_services(view: View) -> Slide | None:
    return _table("party", t("nav_party"), [c for cards in figures.party_cards().values() for c in cards])


# ---------- 对标排名 benchmarks ----------

def _rank_slide(indicator: str) -> Callable[[View], Slide | None]:
    def rank_slide(view: View) -> Slide | None:
        fig, rows = figures.rank_slope(indicator)
        if fig is None:
            return None
        # the ranking's own name, as the page's card: never a derived point's label (2020年…推算)
        name = pick(rows.iloc[0]["indicator_zh"], rows.iloc[0]["indicator_en"])
        return Slide("benchmarks", f"{name} · {t('bench.slope_title')}", rows, figure=fig)
    return rank_slide


for _indicator in figures.RANKS:
    slide("benchmarks")(_rank_slide(_indicator))


@slide("benchmarks")
def benchmarks_tax_per_mu(view: View) -> Slide | None:
    return _chart("benchmarks", *figures.tax_per_mu(), "bench.tax_title")


# ---------- 目标任务 targets ----------

@slide("targets")
def targets_bullets(view: View) -> Slide | None:
    return _chart("targets", *figures.target_bullets(), "targets.bullets_title")


# ---------- 预警 alerts ----------

SLIDE_ALERTS = 3  # alerts a slide or a briefing page holds in large type; the rest are counted


@slide("alerts")
def alerts_newest(view: View) -> Slide | None:
    """The newest figures' alerts, most serious first (the 预警 page's and the overview's, dashboard.alerts)."""
    found = [a for a in alerts.alerts() if a.newest]
    if not found:
        return None
    shown = found[:SLIDE_ALERTS]
    items = [alerts.lines(a, with_rule=False) for a in shown]  # the heading names the rule
    more = [t("alerts.slide_more", n=len(found) - len(shown))] if len(found) > len(shown) else []
    return Slide("alerts", t("alerts.slide_title"), pd.DataFrame([r for a in shown for r in a.figures]),
                 items=items, warnings=more)


# ---------- large type for a projector and for exported images ----------

SCREEN_FONT = 22  # px; chart text at least 18 px is readable at 3 m on a 1080p projector


def for_screen(fig: go.Figure, height: int) -> go.Figure:
    """A copy of a dashboard chart in large type, without its title (the slide shows it)."""
    fig = go.Figure(fig)
    # room above the plot for the legend, or for the panel titles at large type (wrapped ones too)
    title_lines = max([(a.text or "").count("<br>") + 1 for a in fig.layout.annotations], default=0)
    top = max(72 if fig.layout.showlegend is not False else 24, 30 * title_lines + 16)
    fig.update_layout(title=None, height=height, font_size=SCREEN_FONT,
                      legend_font_size=SCREEN_FONT, hoverlabel_font_size=20,
                      # a chart's own side margins (room for an edge bar's label) grow with its type
                      margin=dict(l=max(16, (fig.layout.margin.l or 0) * SCREEN_FONT / 14),
                                  r=max(40, (fig.layout.margin.r or 0) * SCREEN_FONT / 14), t=top, b=16))
    fig.update_xaxes(tickfont_size=SCREEN_FONT - 2, title_font_size=SCREEN_FONT - 2)
    fig.update_yaxes(tickfont_size=SCREEN_FONT - 2, title_font_size=SCREEN_FONT - 2)
    fig.update_annotations(font_size=SCREEN_FONT - 2)
    for trace in fig.data:
        if "textfont" in trace:  # grown in proportion: a panel's big number stays bigger than bar labels
            trace.textfont.size = max(SCREEN_FONT, (trace.textfont.size or 0) * SCREEN_FONT / 14)
    return fig
