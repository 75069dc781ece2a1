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

from dashboard import figures
from dashboard.components import delta_description, label_of, source_note
from dashboard.fmt import row_text
from dashboard.i18n import pick, t

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

    def __post_init__(self):
        self.note = self.note or source_note(self.data)


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

def kpi_table(cards: list[tuple[dict, dict | None]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """KPI cards (figure, delta) as a table slide's rows, and the facts rows they show."""
    rows, used = [], []
    for main, delta in cards:
        note = delta_description(delta) if delta else None
        rows.append({"label": label_of(main), "value": row_text(main),
                     "delta": row_text(delta) if delta else None, "delta_note": note,
                     "compare": " ".join(x for x in (note, row_text(delta) if delta else None) if x),
                     "period": main["period"], "source": _source_name(main)})
        used += [main] + ([delta] if delta else [])
    return pd.DataFrame(rows), pd.DataFrame(used)


def _source_name(row: dict) -> str:
    return pick(row.get("source_short_zh"), row.get("source_short_en"))


def _chart(page: str, fig: go.Figure | None, data: pd.DataFrame, title_key: str) -> Slide | None:
    """A chart slide; the slide's title is the chart's own (it may name the period)."""
    if fig is None or data.empty:
        return None
    return Slide(page, fig.layout.title.text or t(title_key), data, figure=fig)


# ---------- 总览 overview ----------

@slide("overview")
def overview_kpis(view: View) -> Slide | None:
    table, data = kpi_table([card for row in figures.headline_cards() for card in row])
    return Slide("overview", t("slides.overview_kpis"), data, table=table) if len(table) else None


@slide("overview")
def overview_ranks(view: View) -> Slide | None:
    cards = figures.rank_cards()
    if not cards:
        return None
    table = pd.DataFrame([{
        "label": c["label"], "value": c["value"], "delta": c["delta"], "delta_note": c["grade"],
        "compare": " · ".join(x for x in (c["delta"], c["grade"]) if x),
        "period": c["row"]["period"], "source": _source_name(c["row"]),
    } for c in cards])
    return Slide("overview", t("ranks_title"), pd.DataFrame([c["row"] for c in cards]), table=table)


@slide("overview")
def overview_growth(view: View) -> Slide | None:
    return _chart("overview", *figures.growth_vs_city(), "growth_vs_city_title")


# ---------- large type for a projector and for exported images ----------

SCREEN_FONT = 22  # px; chart text at least 18 px is readable at 3 m on a 1080p projector


def for_screen(fig: go.Figure, height: int) -> go.Figure:
    """A copy of a dashboard chart in large type, without its title (the slide shows it)."""
    fig = go.Figure(fig)
    fig.update_layout(title=None, height=height, font_size=SCREEN_FONT,
                      legend_font_size=SCREEN_FONT, hoverlabel_font_size=20,
                      margin=dict(l=16, r=40, t=72 if fig.layout.showlegend is not False else 24, b=16))
    fig.update_xaxes(tickfont_size=SCREEN_FONT - 2, title_font_size=SCREEN_FONT - 2)
    fig.update_yaxes(tickfont_size=SCREEN_FONT - 2, title_font_size=SCREEN_FONT - 2)
    fig.update_annotations(font_size=SCREEN_FONT - 2)
    for trace in fig.data:
        if "textfont" in trace:
            trace.textfont.size = SCREEN_FONT
    return fig
