"""Chart builders: one Plotly template, one colour per topic, the source on every hover."""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC", sans-serif'
TOPIC_COLORS = {
    "economy": "#C0392B", "clusters": "#1F5F99", "projects": "#2E7D32", "trade": "#D97706",
    "party_services": "#B71C1C", "benchmarks": "#6D28D9", "targets": "#0E7490", "history": "#6B4F3A",
}
REFERENCE_COLOR = "#9CA3AF"  # the city, a peer, a plan: whatever the zone is compared with
DERIVED_OPACITY = 0.55  # a derived bar is paler and says 推算 in its label
BIG_NUMBER_SIZE = 44  # a panel's single figure, as large as a card's number reads from the back of a room

_ETDZ = go.layout.Template(layout=go.Layout(
    font=dict(family=FONT, size=15, color="#1F2937"),
    title=dict(font=dict(size=18), x=0, xanchor="left"),
    paper_bgcolor="white", plot_bgcolor="white",
    colorway=list(TOPIC_COLORS.values()),
    margin=dict(l=8, r=24, t=48, b=8),
    xaxis=dict(gridcolor="#E5E7EB", zerolinecolor="#D1D5DB", automargin=True, tickfont=dict(size=14)),
    yaxis=dict(gridcolor="#E5E7EB", zerolinecolor="#D1D5DB", automargin=True, tickfont=dict(size=14)),
    legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, font=dict(size=14), title=None),
    hoverlabel=dict(font=dict(family=FONT, size=13), align="left"),
    separators=".,",
))
DRAWN = ("bar", "scatter")  # every trace these builders make, on x/y axes


def _template() -> go.layout.Template:
    """plotly_white under ours, less its defaults for trace types and axes no chart here draws (maps,
    polar, 3-D, colour scales): they were 70 % of each chart's spec, sent again with every chart."""
    merged = pio.templates.merge_templates("plotly_white", _ETDZ)
    layout = {k: v for k, v in merged.layout.to_plotly_json().items()
              if k not in ("polar", "ternary", "scene", "geo", "coloraxis", "colorscale")}
    return go.layout.Template(layout=layout, data={kind: merged.data[kind] for kind in DRAWN})


# Made once: a "plotly_white+etdz" name would be re-merged on every new figure (~0.1 s each).
pio.templates["etdz"] = _template()
pio.templates.default = pio.templates["etdz"]

# A bar of part of a year (1-5月 beside 全年) is hatched, a forecast (预计) cross-hatched: on screen and on
# paper (a grey print keeps the pattern) it never looks like a whole year's actual.
PART_PATTERN, EXPECTED_PATTERN = "/", "x"


def is_expected(row: dict) -> bool:
    return row.get("basis") == "expected" or row.get("qualifier") == "预计"


def is_part_year(row: dict) -> bool:
    return row.get("period_kind") in ("months", "month")


def bar_marker(df: pd.DataFrame, color: str) -> dict:
    """A bar's look by what it is: paler when derived, hatched for part of a year (beside whole years),
    cross-hatched when a forecast."""
    records = df.to_dict("records")
    mixed = len({is_part_year(r) for r in records}) > 1  # part of a year only matters beside whole years
    shapes = [EXPECTED_PATTERN if is_expected(r) else PART_PATTERN if mixed and is_part_year(r) else ""
              for r in records]
    return dict(color=color, opacity=[DERIVED_OPACITY if r.get("is_derived") in (True,) else 1 for r in records],
                pattern=dict(shape=shapes, fillmode="overlay", fgcolor="white", fgopacity=0.8, size=10, solidity=0.3))


def with_notes(fig: go.Figure, *notes: str | None) -> go.Figure:
    """A chart with the warnings that go wherever it goes (page, slide, PPTX, PDF): kept in its layout.meta."""
    fig.update_layout(meta={"notes": [n for n in notes if n]})
    return fig


def notes(fig: go.Figure | None) -> list[str]:
    meta = fig.layout.meta if fig is not None else None
    return list(meta.get("notes", [])) if isinstance(meta, dict) else []


HOVER = "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"


def _hover(df: pd.DataFrame) -> list:
    return df[["label", "text", "hover"]].to_numpy().tolist()


def text_px(text: str, size: int) -> float:
    """About how wide a label is drawn (a 汉字 is an em, other characters about half): the margin a bar
    label outside the plot needs so the figure's edge does not cut it ("about 4.351 bn yuan")."""
    return sum(size if "\u2e80" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" else 0.55 * size for c in str(text))


def bars(df: pd.DataFrame, *, color: str, title: str = "", horizontal: bool = True,
         x_title: str = "", height: int | None = None) -> go.Figure:
    """One bar per row of a display frame (label, value, text, hover, is_derived)."""
    bar = go.Bar(
        x=df["value"] if horizontal else df["label"], y=df["label"] if horizontal else df["value"],
        orientation="h" if horizontal else "v",
        text=df["text"], textposition="outside", cliponaxis=False, textfont=dict(size=15),
        marker=bar_marker(df, color), customdata=_hover(df), hovertemplate=HOVER,
    )
    fig = go.Figure(bar)
    rows = len(df)
    fig.update_layout(title=title, height=height or (max(220, 56 * rows + 90) if horizontal else 380),
                      showlegend=False)
    if horizontal:
        # the longest bar's label sits past the axis range's end: room for it in the right margin
        fig.update_layout(margin_r=max(20, text_px(df.loc[df["value"].idxmax(), "text"], 15) - 60))
        fig.update_yaxes(autorange="reversed", title=None)
        fig.update_xaxes(title=x_title or None, showticklabels=False, showgrid=False,
                         range=[min(0, df["value"].min() * 1.2), df["value"].max() * 1.25])
    else:
        fig.update_yaxes(title=x_title or None, range=[min(0, df["value"].min() * 1.2), df["value"].max() * 1.2])
    return fig


def grouped_bars(df: pd.DataFrame, *, group_col: str, colors: dict, title: str = "",
                 y_title: str = "") -> go.Figure:
    """Bars per label, one colour per group (e.g. 开发区 vs 全市)."""
    fig = go.Figure()
    for group, part in df.groupby(group_col, sort=False):
        derived = part["is_derived"].astype(bool)
        fig.add_bar(x=part["label"], y=part["value"], name=str(group), text=part["text"],
                    textposition="outside", cliponaxis=False, textfont=dict(size=15),
                    marker=dict(color=colors.get(group, REFERENCE_COLOR),
                                opacity=[DERIVED_OPACITY if d else 1 for d in derived]),
                    customdata=_hover(part), hovertemplate=HOVER)
    top = df["value"].max()
    # a taller top margin keeps the title clear of the legend above the bars
    fig.update_layout(title=title, barmode="group", height=400, bargap=0.3, margin=dict(t=96 if title else 48))
    fig.update_yaxes(title=y_title or None, range=[0, top * 1.22])
    return fig


def slope(df: pd.DataFrame, *, x_col: str, y_col: str, series_col: str, colors: dict,
          title: str = "", y_title: str = "", panel_col: str | None = None) -> go.Figure:
    """Lines between periods; used for ranks, so the y axis runs best (0) at the top.

    Each series' best point has its label above, the others below; a derived point is an open circle.
    With panel_col, one panel per value side by side, each with its own scale (e.g. 217 zones vs 14).
    """
    panels = list(dict.fromkeys(df[panel_col])) if panel_col else [None]
    fig = (make_subplots(rows=1, cols=len(panels), subplot_titles=panels, horizontal_spacing=0.07)
           if panel_col else go.Figure())
    for i, panel in enumerate(panels, start=1):
        shown = df[df[panel_col] == panel] if panel_col else df
        cell = dict(row=1, col=i) if panel_col else {}
        for series, part in shown.groupby(series_col, sort=False):
            part = part.sort_values(x_col)
            derived = part["is_derived"].fillna(False).astype(bool) if "is_derived" in part else [False] * len(part)
            fig.add_scatter(x=part[x_col].astype(str), y=part[y_col], mode="lines+markers+text", name=str(series),
                            text=part["text"], textfont=dict(size=15), cliponaxis=False,
                            textposition=["top center" if v == part[y_col].min() else "bottom center"
                                          for v in part[y_col]],
                            line=dict(width=4, color=colors.get(series)),
                            marker=dict(size=14, symbol=["circle-open" if d else "circle" for d in derived],
                                        line=dict(width=3, color=colors.get(series))),
                            customdata=_hover(part), hovertemplate=HOVER, **cell)
        # reversed, with room under the lowest point for its label
        fig.update_yaxes(range=[shown[y_col].max() * 1.3, 0], title=(y_title or None) if i == 1 else None, **cell)
        fig.update_xaxes(type="category", title=None, range=[-0.5, shown[x_col].nunique() - 0.5], **cell)
    fig.update_annotations(font=dict(size=15))
    fig.update_layout(title=title, height=420, margin=dict(t=96) if panel_col and title else {})
    return fig


def share_bar(df: pd.DataFrame, *, color: str, title: str = "") -> go.Figure:
    """Shares of a whole (0–100%), each on its own track so the rest of 100% stays visible."""
    fig = go.Figure()
    fig.add_bar(y=df["label"], x=[100] * len(df), orientation="h", marker=dict(color="#EEF2F6"),
                hoverinfo="skip", showlegend=False)
    fig.add_bar(y=df["label"], x=df["value"], orientation="h", text=df["text"], textposition="inside",
                insidetextanchor="end", textfont=dict(size=16, color="white"), marker=dict(color=color),
                customdata=_hover(df), hovertemplate=HOVER, showlegend=False)
    fig.update_layout(title=title, barmode="overlay", height=max(200, 64 * len(df) + 90))
    fig.update_xaxes(range=[0, 100], ticksuffix="%", showgrid=False)
    fig.update_yaxes(autorange="reversed", title=None)
    return fig


def _wrap(title: str, width: int) -> str:
    """Plotly does not wrap titles: break at " · ", then at spaces, to lines of about `width` characters
    (Chinese titles are short and stay as they are)."""
    if len(title) <= width:
        return title
    return "<br>".join(line for part in title.split(" · ") for line in textwrap.wrap(part, width) or [part])


def small_multiples(df: pd.DataFrame, *, panel_col: str, x_col: str, color: str, title: str = "",
                    height: int = 340, columns: int | None = None) -> go.Figure:
    """One small bar chart per panel (e.g. an indicator across its periods), `columns` to a row;
    each panel has its own scale."""
    panels = list(dict.fromkeys(df[panel_col]))
    columns = columns or len(panels)
    rows = -(-len(panels) // columns)
    # a long "indicator · measure" title wraps rather than running into its neighbour's
    titles = [_wrap(p, 84 // columns) for p in panels]
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles, horizontal_spacing=0.06,
                        vertical_spacing=0.34 / rows)
    for i, panel in enumerate(panels):
        part = df[df[panel_col] == panel]
        cell = dict(row=i // columns + 1, col=i % columns + 1)
        if len(part) == 1:  # one figure is a big number, not a lone bar filling its panel (977.2%)
            fig.add_scatter(x=part[x_col].astype(str), y=[0.5], mode="text", text=part["text"],
                            textfont=dict(size=BIG_NUMBER_SIZE, color=color), cliponaxis=False, showlegend=False,
                            customdata=_hover(part), hovertemplate=HOVER, **cell)
            fig.update_yaxes(range=[0, 1], showticklabels=False, showgrid=False, zeroline=False, **cell)
            fig.update_xaxes(type="category", tickfont=dict(size=13), showline=False, **cell)
            continue
        fig.add_bar(x=part[x_col].astype(str), y=part["value"], text=part["text"], textposition="outside",
                    cliponaxis=False, textfont=dict(size=14), constraintext="none", showlegend=False,
                    marker=bar_marker(part, color),
                    customdata=_hover(part), hovertemplate=HOVER, **cell)
        fig.update_yaxes(range=[0, part["value"].max() * 1.25], showticklabels=False, showgrid=False, **cell)
        fig.update_xaxes(type="category", tickfont=dict(size=13), **cell)
    fig.update_annotations(font=dict(size=15))
    extra_lines = max(text.count("<br>") for text in titles)
    # a first or last bar's label, centred on a narrow bar, reaches past the figure's side: room for half of it
    first, last = df[df[panel_col] == panels[0]]["text"], df[df[panel_col] == panels[columns - 1]]["text"]
    fig.update_layout(title=title, height=height * rows, bargap=0.35,
                      margin=dict(t=(88 if title else 56) + 20 * extra_lines,
                                  l=max(20, text_px(first.iloc[0], 14) / 2 - 20), r=max(20, text_px(last.iloc[-1], 14) / 2 - 20)))
    return fig


def bar_panels(df: pd.DataFrame, *, panel_col: str, color: str, title: str = "") -> go.Figure:
    """Horizontal bars (bars) side by side, one panel per value of panel_col, the labels shared."""
    panels = list(dict.fromkeys(df[panel_col]))
    fig = make_subplots(rows=1, cols=len(panels), subplot_titles=panels, shared_yaxes=True,
                        horizontal_spacing=0.08)
    for i, panel in enumerate(panels, start=1):
        part = df[df[panel_col] == panel]
        fig.add_bar(x=part["value"], y=part["label"], orientation="h", text=part["text"], textposition="outside",
                    cliponaxis=False, textfont=dict(size=15), marker=dict(color=color), showlegend=False,
                    customdata=_hover(part), hovertemplate=HOVER, row=1, col=i)
        fig.update_xaxes(showticklabels=False, showgrid=False, range=[0, part["value"].max() * 1.45], row=1, col=i)
    labels = df["label"].nunique()
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_annotations(font=dict(size=15))
    last = df[df[panel_col] == panels[-1]]
    fig.update_layout(title=title, height=max(220, 56 * labels + 120),
                      margin=dict(t=88 if title else 56, r=max(20, text_px(last.loc[last["value"].idxmax(), "text"], 15) - 60)))
    return fig


def target_bullets(df: pd.DataFrame, *, color: str, actual_name: str, target_name: str,
                   title: str = "") -> go.Figure:
    """Actual against target, one row each: a bar for the actual, a black tick for the target.

    df: a display frame of the actuals plus target_value and target_text columns.
    """
    fig = go.Figure()
    fig.add_bar(y=df["label"], x=df["value"], orientation="h", name=actual_name, text=df["text"],
                textposition="inside", insidetextanchor="end", textfont=dict(size=16, color="white"),
                marker=dict(color=color), customdata=_hover(df), hovertemplate=HOVER)
    fig.add_scatter(y=df["label"], x=df["target_value"], mode="markers+text", name=target_name,
                    text=df["target_text"], textposition="top center", textfont=dict(size=14, color="#111827"),
                    marker=dict(symbol="line-ns", size=60, line=dict(width=4, color="#111827")),
                    hoverinfo="skip")
    top = max(df["value"].max(), df["target_value"].max())
    # the tick is taller than the bar, so the target's label sits above the bar
    fig.update_layout(title=title, height=90 * len(df) + 150, bargap=0.7)
    fig.update_xaxes(range=[0, top * 1.1], showgrid=False, showticklabels=False)
    fig.update_yaxes(autorange="reversed", title=None)
    return fig


SERIES_DASH = {"month": "solid", "months": "dash", "year": "dot", "span": "dashdot"}


def series(df: pd.DataFrame, *, panel_col: str, series_col: str, colors: dict, title: str = "",
           panel_height: int = 240, reversed_y: bool = False) -> go.Figure:
    """Time series: one panel per value of panel_col (a level and its growth never share an axis),
    stacked over one date axis; one line per value of series_col, which the caller makes one entity
    and one period kind (a single month never on the line of 1-N月). A derived point is an open circle;
    `reversed_y` puts the smallest value (a first place) at the top;
    the hover gives each point's figure as written and its source.

    df: a display frame plus `x` (the period's end date), `series_kind` and `y_title` per panel."""
    panels = list(dict.fromkeys(df[panel_col]))
    fig = make_subplots(rows=len(panels), cols=1, shared_xaxes=True, subplot_titles=panels,
                        vertical_spacing=min(0.12, 0.3 / len(panels)))
    shown_in_legend = set()
    for i, panel in enumerate(panels, start=1):
        part = df[df[panel_col] == panel]
        for name, line in part.groupby(series_col, sort=False):
            kind = line["series_kind"].iloc[0]
            x, y, custom, symbols = _broken(line, kind)
            first = line.iloc[0]
            fig.add_scatter(x=x, y=y, mode="lines+markers" if len(line) <= 40 else "lines", name=str(name),
                            legendgroup=str(name), showlegend=name not in shown_in_legend, connectgaps=False,
                            line=dict(width=3, color=colors.get(name, REFERENCE_COLOR),
                                      dash=SERIES_DASH.get(kind, "solid")),
                            marker=dict(size=7, symbol=symbols), customdata=custom, hovertemplate=HOVER,
                            meta={"panel": panel, "kind": kind,
                                  **{c: first[c] for c in ("indicator", "measure", "entity") if c in line}},
                            row=i, col=1)
            shown_in_legend.add(name)
        fig.update_yaxes(title=part["y_title"].iloc[0] or None, row=i, col=1,
                         autorange="reversed" if reversed_y else True)
    fig.update_xaxes(type="date", tickformat="%Y-%m", showgrid=False)
    fig.update_annotations(font=dict(size=15))
    # the legend under the panels: above them it would run into the first panel's title
    height, top, bottom = panel_height * len(panels) + 150, 88 if title else 56, 24
    fig.update_layout(title=title, height=height, hovermode="closest",
                      legend=dict(orientation="h", yanchor="top", y=-44 / (height - top - bottom), x=0),
                      margin=dict(t=top, b=bottom))
    return fig


# the longest step between two neighbours of one line: a longer one (a year without figures) is a gap
SERIES_STEP_DAYS = {"month": 31, "months": 62, "year": 366, "span": 366}


def _broken(line: pd.DataFrame, kind: str) -> tuple[list, list, list, list]:
    """A line's points with a gap (None) wherever periods are missing: no line is drawn across years
    the documents do not cover."""
    x, y, custom, symbols, before = [], [], [], [], None
    step = pd.Timedelta(days=SERIES_STEP_DAYS.get(kind, 366))
    for r in line.to_dict("records"):
        if before is not None and r["x"] - before > step:
            x.append(None), y.append(None), custom.append([None] * 4), symbols.append("circle")
        x.append(r["x"]), y.append(r["value"]), custom.append([r["label"], r["text"], r["hover"], r["period"]])
        derived = r.get("is_derived")
        symbols.append("circle-open" if isinstance(derived, (bool, np.bool_)) and derived else "circle")
        before = r["x"]
    return x, y, custom, symbols
