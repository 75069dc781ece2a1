"""Widgets every screen shares: KPI cards, charts with their sources, tables with downloads, URL state."""
from __future__ import annotations

import contextlib
import io
import itertools
import math
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from dashboard import url_state
from dashboard.charts import notes as chart_notes, text_px
from dashboard.fmt import comparison, period_label, row_text
from dashboard.i18n import TEXT, colon, in_language, lang, list_sep, measure_label, paren, pick, plotly_locale, t, topic_label
from dashboard.text import plain, unbroken
from queries import run

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# ---------- provenance ----------

def label_of(row, kind: str = "indicator") -> str:
    """What a figure is: the entity's name, or the indicator with its measure and basis by rule
    (地区生产总值增速 · 占比 · 名次; （预计） · （计划） · （目标）), so no card reads a growth as a level."""
    if kind == "entity":
        return pick(row["entity"], row.get("entity_en"))
    if row.get("is_derived") and row.get("label_zh"):
        return marked(pick(row["label_zh"], row.get("label_en")), row)
    return marked(measured_name(row), row)


# the word a measure adds to an indicator's name, unless the name already says it (zh, en)
MEASURE_WORDS = {
    "growth": (("增速", "增幅", "增长"), ("growth",)),
    "share": (("占比", "比重", "率", "度"), ("share", "rate", "concentration")),
    "rank": (("排名", "名次"), ("rank",)),
    "gap": ((), ()),
}


def measured_name(row) -> str:
    """The indicator's name with its measure: 地区生产总值增速 / GDP growth, 实际利用外资占比 …"""
    zh, en = row["indicator_zh"], row.get("indicator_en") or row["indicator_zh"]
    words = MEASURE_WORDS.get(row.get("measure"))
    if words is None:
        return pick(zh, en)
    name, said = (en, words[1]) if lang() == "en" else (zh, words[0])
    if any(w in name.lower() for w in said):
        return name
    return f"{name}{measure_label(row['measure']) if lang() == 'zh' else ' ' + measure_label(row['measure']).lower()}"


def marked(label: str, row) -> str:
    """A label with the figure's basis when it is not an actual: 预计 / 计划 / 目标 (expected / plan / target)."""
    basis = row.get("basis")
    if is_missing(basis) or basis not in BASIS_MARKED:
        return label
    mark = t(f"basis.{basis}")
    return label if mark.lower() in label.lower() else label + paren(mark)


BASIS_MARKED = ("expected", "plan", "target", "inferred")


def card_label(row, label: str | None = None) -> str:
    """A card's label: a part-year amount names its months (78.1亿元 is 1-9月, not the year; 12月 is one month)."""
    label = marked(label or label_of(row), row)
    # 1-9月 / Jan–Sep: the year is in the card's period line
    months = re.sub(r"^\d{4}年(?=\d)| \d{4}$", "", period_label(row.get("period")))
    part_year = row.get("period_kind") in ("months", "month")
    if part_year and row.get("measure") in ("level", "count") and months not in label:
        notes = [months]
        if row.get("basis") in BASIS_MARKED and label.endswith(mark := paren(t(f"basis.{row['basis']}"))):
            label, notes = label[:-len(mark)], notes + [t(f"basis.{row['basis']}")]  # one bracket: （1-5月，预计）
        label += paren(("，" if lang() == "zh" else ", ").join(notes))
    return label


def source_line(row) -> str:
    """《document》 · period, or the formula of a derived figure."""
    title = pick(row.get("source_short_zh"), row.get("source_short_en"))
    line = f"{t('source')}{colon()}{title} · {period_label(row['period'])}"
    if row.get("is_derived"):
        line = f"{t('derived')}{colon()}{formula_words(row)} · {line}"
    return line


def formula_ids(row) -> str:
    """The formula over figure ids (the Sources table and downloads only)."""
    return re.sub(r"\{([a-z0-9_]+)\}", r"\1", row.get("formula") or "")


OPERATORS = {"-": " − ", "+": " + ", "*": " × ", "/": " ÷ "}


def formula_words(row) -> str:
    """A derived figure's formula as an official reads it, built from its inputs' labels and values:
    全市地区生产总值增速 = 开发区地区生产总值增速 8% − 地区生产总值高于全市 +2.5个百分点."""
    formula = row.get("formula") or ""
    ids = re.findall(r"\{([a-z0-9_]+)\}", formula)
    if not ids:
        return formula
    inputs = {r["figure_id"]: r for r in run("facts_by_id", ids=ids).to_dict("records")}
    shown_entity = [row.get("entity")]

    def term(match) -> str:
        r = inputs.get(match[1])
        if r is None:
            return match[1]
        name = measured_name(r)
        if r["entity"] != shown_entity[-1]:  # the entity once, where it changes
            name = f"{pick(r['entity'], r.get('entity_en'))}{' ' if lang() == 'en' else ''}{name}"
            shown_entity.append(r["entity"])
        return f"{name} {row_text(r).lstrip('+')}"  # a gap's sign is the formula's operator

    skeleton = re.sub(r"\s*([-+*/])\s*", lambda m: OPERATORS[m[1]], formula)  # operators before the terms
    text = re.sub(r"\{([a-z0-9_]+)\}", term, skeleton)
    result = re.split(r"（| \(", label_of(row))[0]  # the derived label without its explanation
    return f"{result} = {text}"


_CLAUSE = re.compile(r"(?<=[，；。、：])")


def quote_excerpt(quote: str, value_text: str | None, limit: int = 60) -> str:
    """At most `limit` characters of a quote, in whole clauses and holding the figure's own number
    (…实际利用外资5385.74万美元，增长977.2%, never …增长977.2… cut inside it); … marks a cut."""
    if len(quote) <= limit:
        return quote
    clauses = [c for c in _CLAUSE.split(quote) if c]
    found = quote.find(value_text) if value_text else -1
    ends = list(itertools.accumulate(len(c) for c in clauses))
    first = next((i for i, end in enumerate(ends) if end > found), 0) if found >= 0 else 0
    last = first
    while last + 1 < len(clauses) and ends[last + 1] - (ends[first] - len(clauses[first])) <= limit:
        last += 1  # the clauses after the figure's, then before it, while they fit
    while first > 0 and ends[last] - (ends[first - 1] - len(clauses[first - 1])) <= limit:
        first -= 1
    start, end = ends[first] - len(clauses[first]), ends[last]
    if end - start > limit:  # one clause longer than the limit: cut it, around its number, never inside one
        if found >= 0 and found + len(value_text) + 4 > start + limit:
            start = found + len(value_text) + 4 - limit
        end = min(len(quote), start + limit)
        while end < len(quote) and re.match(r"[0-9.%,]", quote[end]) and re.match(r"[0-9.]", quote[end - 1]):
            end += 1
    return ("…" if start > 0 else "") + quote[start:end] + ("…" if end < len(quote) else "")


def hover_text(row) -> str:
    quote = "" if is_missing(row.get("quote")) else row["quote"]  # a derived row has no quote (NaN in a mixed frame)
    # a derived figure's label already says 推算: its line gives the formula as 算式, then its source
    parts = [f"{t('hover_formula')}{colon()}{formula_words(row)} · {source_line({**row, 'is_derived': False})}"
             if row.get("is_derived") else source_line(row)]
    if quote:
        value_text = None if is_missing(row.get("value_text")) else str(row["value_text"])
        parts.append(f"{t('quote')}{colon()}{quote_excerpt(quote, value_text)}")
    return "<br>".join(parts)


def _derived_marked(label: str) -> str:
    """（推算） after a derived figure's label, unless its name says so already (…由2021年总额及增速推算）."""
    return label if t("derived").lower() in label.lower() else label + paren(t("derived"))


def display_frame(df: pd.DataFrame, label_kind: str = "indicator") -> pd.DataFrame:
    """Facts rows plus what charts need: label, formatted text and hover provenance."""
    if df.empty:
        return df.assign(label=[], text=[], hover=[], period_label=[])
    records = df.to_dict("records")
    return df.assign(
        label=[_derived_marked(label_of(r, label_kind)) if r.get("is_derived") else label_of(r, label_kind)
               for r in records],
        text=[row_text(r) for r in records],
        hover=[hover_text(r) for r in records],
        period_label=[period_label(r["period"]) for r in records],
    )


def basis_label(row) -> str:
    """实际 / 预计 / 计划 / 目标, and 推算 for a figure computed here: no document reports it as actual."""
    if row.get("is_derived"):
        return t("derived")
    key = f"basis.{row['basis']}"
    return t(key) if key in TEXT else row["basis"]


def provenance_table(df: pd.DataFrame) -> pd.DataFrame:
    """The downloadable form of facts rows: what, how much, when, and where it is written."""
    if df.empty:
        return pd.DataFrame()
    records = df.to_dict("records")
    out = pd.DataFrame({
        t("col_indicator"): [label_of(r) for r in records],
        t("col_measure"): [measure_label(r["measure"]) for r in records],
        t("col_basis"): [basis_label(r) for r in records],
        t("col_entity"): [label_of(r, "entity") for r in records],
        t("col_value"): [row_text(r) for r in records],
        t("col_number"): df["value"].to_numpy(),
        t("col_unit"): [pick(r["unit"], r.get("unit_en")) for r in records],  # the unit of 原文数值 in words
        t("col_period"): [period_label(p) for p in df["period"]],
        t("col_source"): [pick(r.get("source_title_zh"), r.get("source_title_en")) for r in records],
        t("col_quote"): ["" if is_missing(r.get("quote")) else r["quote"] for r in records],
        t("col_formula"): [formula_words(r) if r.get("is_derived") else "" for r in records],
        t("col_formula_ids"): [formula_ids(r) if r.get("is_derived") else "" for r in records],
        t("col_figure_id"): df["figure_id"].to_numpy(),
    })
    return out


# ---------- downloads ----------

MISSING = "—"  # how a table on screen may show an empty cell; a download leaves it blank


def export_frame(df: pd.DataFrame) -> pd.DataFrame:
    """What every download holds: headers in the reader's language (a raw field such as value_text
    or source_id is named by its export.* translation) and every missing cell blank."""
    out = df.rename(columns={c: t(f"export.{c}") for c in df.columns if f"export.{c}" in TEXT})
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].mask(out[col].isna() | (out[col] == MISSING), "")
    return out


def neutralize(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells starting with = + - @ would run as spreadsheet formulas: prefix them with '."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v)
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    # BOM so that Excel on Chinese Windows opens UTF-8 correctly
    return neutralize(export_frame(df)).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        neutralize(export_frame(df)).to_excel(writer, index=False, sheet_name=sheet[:31])
    return buf.getvalue()


def download_buttons(data: pd.DataFrame | Callable[[], pd.DataFrame], name: str) -> None:
    """CSV and Excel of a table. `data` may be a function making the table: it then runs only when
    a button is clicked (a download of every search result, not only the page on screen)."""
    frame = data if callable(data) else lambda: data
    # side by side, each as wide as its label ("Download Excel" whole, never "Download …")
    row = st.container(horizontal=True)
    row.download_button(t("download_csv"), in_language(lambda: to_csv_bytes(frame())), f"etdz_{name}.csv",
                         "text/csv", key=f"csv_{name}", icon=":material/download:", on_click="ignore")
    row.download_button(t("download_xlsx"), in_language(lambda: to_xlsx_bytes(frame())), f"etdz_{name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"xlsx_{name}", icon=":material/download:", on_click="ignore")


# ---------- KPI cards, charts, tables ----------

@dataclass
class Card:
    """What a KPI card says, built once: the page (show_card), the presenter's slide and the briefing's
    table (slides.kpi_table) render this one object, so a slide never says less than its page."""
    row: dict  # the figure in big type
    label: str
    value: str
    delta: str | None = None
    delta_note: str | None = None  # what the delta is set against: 高于全市, 同比
    arrow: str = "auto"  # a change in words (下滑31位) carries no sign: its arrow is given
    # lines under the value (ranks, the year before, a grade): each a tuple of words and figures in turn
    # (their own spaces included), the figures in bold on a page: ("总量 ", "全市第2", " · 增速 ", "全市第2")
    lines: list[tuple[str, ...]] = field(default_factory=list)
    note: str | None = None  # a caption: how a derived line is derived
    rows: list[dict] = field(default_factory=list)  # every figure the card shows (footnotes, data tables)
    compared: str | None = None  # the delta and its words in one phrase (fmt.comparison): up 17.1% year on year

    @property
    def period(self) -> str:
        return period_label(self.row["period"])

    def line_texts(self) -> list[str]:
        return ["".join(line) for line in self.lines]

    def line_markdown(self) -> list[str]:
        return ["".join(f"**{plain(x)}**" if i % 2 else plain(x) for i, x in enumerate(line) if x) for line in self.lines]

    def compare(self) -> str:
        """Everything beside the value in one cell (a briefing's table): 高于全市 +2.5个百分点 · 增速 全市第1."""
        first = self.compared or ("" if lang() == "zh" else " ").join(x for x in (self.delta_note, self.delta) if x)
        return " · ".join(x for x in (first, *self.line_texts(), self.note) if x)


def card(main: dict, *, label: str | None = None, delta: dict | None = None, lines=(), note: str | None = None,
         rows=()) -> Card:
    """A KPI card of a figure: its label by rule (card_label), its value as written, and the delta of the
    same period with what it compares with (高于全市 for a gap, 同比 for a growth)."""
    if label is None and main.get("entity_kind") == "brand":  # the brand's rank, never read as the zone's
        label = f"{pick(main['entity'], main.get('entity_en'))} · {label_of(main)}"
    compared = comparison(delta) if delta else None  # the one rule of direction: 低于全市 1.2个百分点 ↓
    return Card(main, card_label(main, label), row_text(main),
                compared["amount"] if compared else row_text(delta) if delta else None,
                delta_description(delta), arrow=compared["arrow"] if compared else "off" if not delta else "auto",
                lines=list(lines), note=note, rows=[main] + ([delta] if delta else []) + list(rows),
                compared=compared["text"] if compared else None)


def ranked_card(rows: list[dict], prior: dict | None = None) -> Card:
    """One indicator's card from period_figures rows: the first row's value, the second as its delta
    (same period), every city rank the documents give (e.g. 总量 全市第2 · 增速 全市第2), and the
    same figure a year earlier (`prior`, 同比) when there is one."""
    ranks = [x for i, (measure, rank) in enumerate(city_ranks(rows)) for x in (f"{' · ' if i else ''}{measure} ", rank)]
    lines = ([tuple(ranks)] if ranks else []) + ([prior_line(prior)] if prior else [])
    return card(rows[0], delta=rows[1] if len(rows) > 1 else None, lines=lines,
                rows=rows[2:] + ([prior] if prior else []))


def show_card(c: Card, *, extra: str | None = None, trend: list[float] | None = None) -> None:
    """A card on a page: value as written, delta, the card's lines (figures in bold), its period and one
    line of source; `trend` draws a sparkline of the card's last periods of the same kind and length."""
    main = c.row
    with st.container(border=True):
        st.metric(unbroken(plain(c.label)), c.value, delta=c.delta, delta_description=c.delta_note,
                  delta_arrow=c.arrow, delta_color=ARROW_COLOURS.get(c.arrow, "off"),
                  help=f"{t('quote')}{colon()}" + list_sep().join(plain(q) for q in dict.fromkeys(
                      r.get("quote") if not is_missing(r.get("quote")) else formula_words(r) for r in c.rows or [main])),
                  chart_data=trend or None, chart_type="line")
        if text := "  \n".join([*c.line_markdown(), *([extra] if extra else [])]):
            st.markdown(unbroken(text))
        if c.note:
            st.caption(plain(c.note))
        if trend:
            st.caption(trend_note(main, len(trend)))
        st.caption(unbroken(plain(source_line(main))))


def kpi(main: dict, *, label: str | None = None, delta: dict | None = None,
        extra: str | None = None, trend: list[float] | None = None) -> None:
    """A page-only card of a figure (card + show_card); `extra` is a Markdown line under it."""
    show_card(card(main, label=label, delta=delta), extra=extra, trend=trend)


def trend_note(row: dict, n: int) -> str:
    """What a sparkline shows: 走势：最近24期（当月）."""
    kind = "span" if row["period_kind"] == "months" and row["period_start"].month != 1 else row["period_kind"]
    return t("kpi.trend", n=n, kind=t(f"series.kind.{kind}"))


def prior_line(prior: dict) -> tuple[str, str]:
    """The same figure a year earlier (同比), with its period: (上年同期（2033年1-5月）：, 9.1%)."""
    return t("kpi.prior", period=period_label(prior["period"]), value=""), row_text(prior)


def delta_description(delta: dict | None) -> str | None:
    """What a card's delta compares with, in the words of its direction (fmt.comparison):
    高于全市 / 低于全市 for a gap, 同比增长 / 同比下降 for a growth."""
    compared = comparison(delta) if delta else None
    return compared["words"] or None if compared else None


ARROW_COLOURS = {"up": "green", "down": "red"}


GRID_FONT_PX, GRID_PADDING_PX = 14, 28  # st.dataframe's cell type, and a cell's padding and sort mark


def fitted_columns(table: pd.DataFrame, *, cap: int = 320, skip: tuple[str, ...] = ()) -> dict:
    """A width for each text column of a table on screen: its longest cell or header, up to `cap` px.
    The grid sizes a column from its first rows only, so a later 期间未注明（2024年文件） was cut."""
    return {col: st.column_config.TextColumn(width=min(cap, round(max(
        text_px(v, GRID_FONT_PX) for v in [col, *table[col].fillna("").astype(str)]) + GRID_PADDING_PX)))
        for col in table.columns if col not in skip and not pd.api.types.is_numeric_dtype(table[col])}


def markdown_table(table: pd.DataFrame, corner: str = "") -> None:
    """A small static table as Markdown: st.table and st.dataframe would load ~1 MB of Arrow
    JavaScript on a first visit for a few cells. Cells are our own formatted figures."""
    def cell(value) -> str:
        return plain(value)
    lines = ["| " + " | ".join(cell(c) for c in [corner, *table.columns]) + " |",
             "|" + " --- |" * (len(table.columns) + 1)]
    lines += ["| " + " | ".join(cell(v) for v in [index, *row]) + " |"
              for index, row in zip(table.index, table.itertuples(index=False))]
    st.markdown("\n".join(lines))


def panel_count(fig) -> int:
    """Side-by-side panels of a chart (its x axes with a trace): on a phone such a chart keeps a readable
    width and scrolls sideways (layout.SCREEN_STYLE), instead of running its panel titles together."""
    return len({getattr(trace, "xaxis", None) or "x" for trace in fig.data}) if fig is not None else 0


def chart(fig, data: pd.DataFrame, name: str) -> None:
    """A Plotly chart with a clean toolbar, its sources under it and its data to download."""
    with st.container(key=f"panels_{name}") if panel_count(fig) > 1 else contextlib.nullcontext():
        st.plotly_chart(fig, width="stretch", key=f"chart_{name}", config=plot_config(name))
    for warning in chart_notes(fig):  # the chart's own warnings, on its slide and paper too
        st.caption(unbroken(plain(warning)))
    if note := source_note(data):
        st.caption(unbroken(plain(note)))  # a period broken at a line end reads as two
    data_expander(data, name)


def data_expander(data: pd.DataFrame, name: str) -> None:
    """The "数据与来源" expander: facts rows with their provenance, to read and download.

    Its content runs only once opened (a rerun): a closed table costs nothing on the server, and a
    page without an open table never loads the data grid's JavaScript (~1.7 MB on a first visit)."""
    with st.expander(t("data_and_source"), key=f"data_{name}", on_change="rerun") as box:
        if not box.open:
            return
        table = provenance_table(data)
        # ids only in the downloads (and the Sources screen), never in front of officials
        shown = table.drop(columns=[t("col_number"), t("col_figure_id"), t("col_formula_ids")], errors="ignore")
        st.dataframe(shown, hide_index=True, width="stretch")
        download_buttons(table, name)


# A cached builder's frame → its footnote, by the frame's identity (checked through a weak reference, so
# a reused id never matches): a frame filtered or copied from it is another object and gets its own note.
_NOTES: dict[int, tuple[weakref.ref, str]] = {}


def remember_source_note(data: pd.DataFrame) -> None:
    """Keep a shared frame's source_note (a cached builder's rows: the same on every run)."""
    key = id(data)
    _NOTES[key] = (weakref.ref(data, lambda _: _NOTES.pop(key, None)), source_note(data))


def source_note(data: pd.DataFrame) -> str:
    """The distinct source lines of a chart's rows, at most three and a count (a chart's or slide's footnote)."""
    kept = _NOTES.get(id(data))
    if kept and kept[0]() is data:
        return kept[1]
    sources = sorted({source_line(r) for r in data.to_dict("records")}) if not data.empty else []
    # "…（4）" after three lines read as four sources listed: say how many more there are
    more = t("sources_more", n=len(sources) - 3, total=len(sources)) if len(sources) > 3 else ""
    return list_sep().join(sources[:3]) + more


def plot_config(name: str) -> dict:
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoomIn2d", "zoomOut2d",
                                   "pan2d", "zoom2d", "resetScale2d"],
        "toImageButtonOptions": {"format": "png", "filename": f"etdz_{name}_{lang()}", "scale": 2},
        **plotly_locale(),
    }


def empty_note() -> None:
    st.info(t("empty"), icon=":material/info:")


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _positions(df: pd.DataFrame, **equals) -> list[int]:
    """Positions of the rows whose columns equal `equals`. Plain Python on purpose: these frames hold
    a few dozen rows, where each pandas boolean filter on a wide frame of Arrow strings costs ~1 ms."""
    columns = [df[c].tolist() for c in equals]
    wanted = tuple(equals.values())
    return [i for i, values in enumerate(zip(*columns)) if values == wanted]


def _newest_row(df: pd.DataFrame, positions: list[int]) -> dict | None:
    """The row of the latest period_end among `positions` (undated first; then the latest start,
    then figure_id breaks ties)."""
    if not positions:
        return None
    ends, starts, ids = df["period_end"].tolist(), df["period_start"].tolist(), df["figure_id"].tolist()
    dated = [not pd.isna(e) for e in ends]
    started = [not pd.isna(s) for s in starts]
    # of periods ending the same day the shortest wins: 2034年12月 over 2034年1-12月 and 2034年
    best = max(positions, key=lambda i: (dated[i], ends[i] if dated[i] else 0,
                                         started[i], starts[i] if started[i] else 0, ids[i]))
    return df.iloc[best].to_dict()


def newest_of(df: pd.DataFrame) -> dict | None:
    """The newest row of a frame (as _newest_row orders periods)."""
    return _newest_row(df, list(range(len(df))))


def newest(df: pd.DataFrame, indicator: str, measure: str, *, basis: str = "actual",
           sourced_only: bool = True) -> dict | None:
    """The figure of the newest period for an indicator and measure (new imports win by date)."""
    extra = {"is_derived": False} if sourced_only else {}
    return _newest_row(df, _positions(df, indicator=indicator, measure=measure, basis=basis, **extra))


def same_period(df: pd.DataFrame, main: dict, indicator: str, measure: str) -> dict | None:
    """The figure for another indicator/measure in the same period as `main` (e.g. its gap or rank)."""
    found = _positions(df, indicator=indicator, measure=measure, period=main["period"])
    return df.iloc[found[0]].to_dict() if found else None


def entity_cards(groups: pd.DataFrame, columns: int = 3) -> None:
    """Named things (rows of the entity_groups query) as cards: the names and the sentence naming them."""
    records = groups.to_dict("records")
    for start in range(0, len(records), columns):
        for col, g in zip(st.columns(columns), records[start:start + columns]):
            names = "; ".join(g["names_en"]) if lang() == "en" else "、".join(g["names"])
            with col, st.container(border=True, height="stretch"):
                st.markdown(f"**{plain(names)}**")
                st.caption(f"{t('quote')}{colon()}“{plain(g['quote'])}”")
                st.caption(f"{t('source')}{colon()}{plain(pick(g['source_short_zh'], g['source_short_en']))}")


def grid_cards(figures: pd.DataFrame, specs: list[tuple[str, str]], labels: dict | None = None) -> list[Card]:
    """One card per (indicator, measure) of `specs` found in `figures`: its newest sourced figure of
    any basis, with the same period's growth as the delta of an amount (a page's grid, a slide's table);
    `labels` overrides an (indicator, measure)'s label."""
    labels = labels or {}
    cards = []
    for indicator, measure in specs:
        row = _newest_row(figures, _positions(figures, indicator=indicator, measure=measure, is_derived=False))
        if row is None:
            continue
        growth = _positions(figures, entity=row["entity"], indicator=indicator, measure="growth",
                            period=row["period"]) if measure == "level" else []
        cards.append(card(row, label=labels.get((indicator, measure)),
                          delta=figures.iloc[growth[0]].to_dict() if growth else None))
    return cards


def kpi_grid(figures: pd.DataFrame, specs: list[tuple[str, str]], *, columns: int = 4,
             labels: dict | None = None) -> None:
    """KPI cards (grid_cards) in rows of `columns`; `labels` overrides an (indicator, measure)'s label."""
    card_rows(grid_cards(figures, specs, labels), columns)


def card_rows(cards: list[Card], columns: int = 4) -> None:
    """Cards in rows of `columns`."""
    for start in range(0, len(cards), columns):
        for col, c in zip(st.columns(columns), cards[start:start + columns]):
            with col:
                show_card(c)


def city_ranks(rows: list[dict]) -> list[tuple[str, str]]:
    """(measure, 全市第N) for each city rank the documents give in one indicator's period_figures rows."""
    return [(measure_label(r["measure"]), t("city_rank", rank=int(r["city_rank"])))
            for r in rows if not is_missing(r.get("city_rank"))]


# ---------- period picker ----------

def _year(row) -> int | str:
    """The year a period is filed under in the picker ('' for a period without dates)."""
    return row["period_end"].year if not pd.isna(row["period_end"]) else ""


def period_picker(periods: pd.DataFrame, key: str = "period") -> str | None:
    """A year, then a period of that year, both drop-downs: never a button per period, however many
    years the data holds. `periods` (period, period_end …) newest first; ?key=code in the URL, the
    newest period by default; choosing a year opens its newest period."""
    if periods.empty:
        return None
    options = periods["period"].tolist()
    year_of = {p: _year(r) for p, r in zip(options, periods.to_dict("records"))}
    years = list(dict.fromkeys(year_of.values()))
    default = options[0]
    raw, year_key, synced = st.query_params.get(key), f"{key}_year.{lang()}", f"_{key}_year_from"
    if year_key not in st.session_state or st.session_state.get(synced) != raw:
        # a link or the Back button brought a period: its year (the newest year for a bad one)
        linked = next((p for p in options if url_state.period_code(p) == raw), default)
        st.session_state[year_key], st.session_state[synced] = year_of[linked], raw

    def year_changed() -> None:
        newest_of_year = next(p for p in options if year_of[p] == st.session_state[year_key])
        url_state.set_value(key, newest_of_year, code=url_state.period_code, default=default)
        st.session_state[synced] = st.query_params.get(key)

    # labels fixed in this run's language: a widget formats its value again outside the run
    year_labels = {y: str(y) if y else t("picker.undated") for y in years}
    labels = {p: period_label(p) for p in options}
    left, right, _ = st.columns([1, 2, 3])
    year = left.selectbox(t("picker.year"), years, key=year_key, on_change=year_changed, format_func=year_labels.get)
    return url_state.select(t("period"), [p for p in options if year_of[p] == year], key=key, default=default,
                            format_func=labels.get, code=url_state.period_code, container=right)


def peer_controls(periods: pd.DataFrame, top: int) -> tuple[str | None, str]:
    """A peer comparison's period (?peer_period=) and its search for peers beyond the `top` largest
    (?peer_q=), the same on every page that compares the zone with its peers."""
    period = period_picker(periods, key="peer_period")
    return period, url_state.text(t("peers.search"), key="peer_q", help=t("peers.search_help", top=top)).strip()


def series_controls(years: list[int], default: tuple[int, int] | None, kinds: list[str], key: str
                    ) -> tuple[tuple[int, int] | None, str | None]:
    """A time series' controls side by side: its period kind (当月 / 1-N月累计 / 全年, a few buttons
    whatever the number of periods) and its years."""
    left, right = st.columns([3, 2])
    labels = {k: t(f"series.kind.{k}") for k in kinds}
    # both in the link (?series_kind=ytd&series_years=2019..2024): a shared view shows the same series
    kind = url_state.select(t("series.kind"), kinds, key=f"{key}_kind", default=kinds[0], widget="segmented",
                            format_func=labels.get, container=left) if len(kinds) > 1 else next(iter(kinds), None)
    with right:
        return year_range(years, default, key=f"{key}_years"), kind


def year_range(years: list[int], default: tuple[int, int] | None, key: str) -> tuple[int, int] | None:
    """A range of years for a time series (a slider from the first year to the last), shown only
    when the data has more years than the default range."""
    if default is None or len(years) <= default[1] - default[0] + 1:
        return default
    return url_state.span(t("series.years"), years, key=key, default=default)
