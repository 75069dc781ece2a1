"""Presenter mode (?present=1): one slide at a time filling the window, no Streamlit chrome.

The slide number is in the URL (?slide=5, counted from 1) so "slide 5" is a link; auto-advance
(?auto=on&every=15) turns pages on a timer. The controls are a slim bar over the bottom edge that
hides after a few seconds without the mouse, so the projected picture is the slide alone; the keys
a clicker sends turn the slides (KEYS_JS).
"""
from __future__ import annotations

import logging
import math
import re
import time
from itertools import accumulate

import streamlit as st

from dashboard import slides, url_state
from dashboard.components import ARROW_COLOURS, is_missing
from dashboard.i18n import t
from dashboard.text import plain, tokens, unbroken, whole_figures

log = logging.getLogger("etdz.presenter")
INTERVALS = [10, 15, 30, 60]  # s between slides when auto-advancing

# The projector's type: KPI values 56 px at 1080 p (48 px or more with five cards in a row), labels 26 px,
# chart text 22 px (slides.for_screen); never wider than the card (cqi: 1% of the card's width), so a
# value breaks only between words and a number keeps its unit (8.839 bn yuan, fmt's no-break spaces). The slide is a column as tall as the window: title, body
# (the chart, or rows of cards that share the height), source line; nothing scrolls. The control
# bar floats over the bottom edge and fades out when the mouse rests (class etdz-idle, KEYS_JS).
# Hiding the sidebar, header and toolbars is presentation only; every link still works.
STYLE = """<style>
[data-testid=stSidebar], [data-testid=stSidebarCollapsedControl], [data-testid=stHeader],
[data-testid=stToolbar], [data-testid=stDecoration], [data-testid=stStatusWidget] {display: none !important;}
[data-testid=stMainBlockContainer] {padding: 0 2.5rem; max-width: 100%;}
[data-testid=stMainBlockContainer] > [data-testid=stVerticalBlock] {gap: 0;}
:has(> .st-key-slide), .st-key-slide {flex: 0 0 100vh !important; height: 100vh !important;}
.st-key-slide {box-sizing: border-box; padding: 1rem 0 3.6rem; flex-wrap: nowrap !important;}  /* 3.6rem: the source line clears the control bar (53 px) */
.st-key-slide > * {flex: 0 0 auto !important;}
.st-key-slide > :has(> .st-key-slide_body) {flex: 1 1 0 !important; min-height: 0 !important;}
.st-key-slide_body {height: 100% !important; flex-wrap: nowrap !important; gap: 1rem;}
.st-key-slide_body > * {flex: 1 1 0 !important; min-height: 0 !important;}
.st-key-slide_body > * > [data-testid=stHorizontalBlock], .st-key-slide_body [data-testid=stPlotlyChart] {height: 100% !important;}
.st-key-slide_body [data-testid=stColumn] > [data-testid=stVerticalBlock] {height: 100%;}
.st-key-slide [data-testid=stHorizontalBlock] h3 {text-align: right;}
.st-key-slide h1 {font-size: clamp(32px, 4vh, 44px); padding: 0;}
.st-key-slide [data-testid=stMetricValue] {font-size: min(clamp(40px, 6vh, 72px), 14cqi); line-height: 1.2;}
.st-key-slide [data-testid=stMetricLabel] p {font-size: min(clamp(22px, 2.8vh, 32px), 8cqi);}
.st-key-slide [data-testid=stMetricDelta] {font-size: clamp(18px, 2.4vh, 28px);}
.st-key-slide [data-testid=stCaptionContainer] p {font-size: clamp(15px, 1.8vh, 20px);}
.st-key-slide [data-testid=stMetricValue], .st-key-slide [data-testid=stMetricValue] *,
.st-key-slide [data-testid=stMetricLabel] * {white-space: normal !important; overflow: visible; text-overflow: clip;
  word-break: normal; overflow-wrap: normal; text-wrap: balance;}
.st-key-slide [data-testid=stMetricValue] * {word-break: keep-all;}
.st-key-slide [data-testid=stColumn]:has([class*=st-key-slide_card]) {container-type: inline-size;}
[class*=st-key-slide_card] {justify-content: center;}
.st-key-slide_body:not(:has(> :nth-child(2))) [data-testid=stMetricValue] {font-size: min(clamp(48px, 9vh, 104px), 14cqi);}
.st-key-slide_body:not(:has(> :nth-child(2))) [data-testid=stMetricLabel] p {font-size: clamp(24px, 3.4vh, 38px);}
.st-key-slide_card_big [data-testid=stMetricDelta] {font-size: clamp(22px, 3vh, 36px);}
.st-key-slide_note [data-testid=stCaptionContainer] p {font-size: 15px; margin: 0;}
.st-key-slide_warnings [data-testid=stCaptionContainer] p {font-size: clamp(18px, 2.2vh, 24px); color: #1F2937; margin: 0;}
.st-key-slide_note [data-testid=stCaptionContainer] {padding-bottom: 0; margin-bottom: 0;}
[class*=st-key-slide_item_] h4 {text-wrap: balance; word-break: keep-all;}
.st-key-present_bar {position: fixed; left: 0; right: 0; bottom: 0; z-index: 1000; padding: 0.4rem 2.5rem;
  background: rgba(255, 255, 255, 0.94); box-shadow: 0 -1px 6px rgba(0, 0, 0, 0.15); transition: opacity 0.4s;}
body.etdz-idle .st-key-present_bar {opacity: 0; pointer-events: none;}
body.etdz-idle {cursor: none;}
@media (max-width: 640px) {  /* a phone: the chart is drawn twice as wide and shown at half size, so its
  projector type (22 px) fits and no label is rotated or cut */
  .st-key-slide_body [data-testid=stElementContainer]:has([data-testid=stPlotlyChart]) {zoom: 0.5;
    width: 200% !important; height: 200% !important; max-width: none !important;}
  /* cards stack in one column: a slide of cards grows and scrolls instead of drawing them over each
     other in one window's height; its last card clears the control bar */
  :has(> .st-key-slide):has([class*=st-key-slide_card]), .st-key-slide:has([class*=st-key-slide_card]) {
    flex: 0 0 auto !important; height: auto !important; min-height: 100vh;}
  .st-key-slide:has([class*=st-key-slide_card]) {padding-bottom: 7rem;}
  .st-key-slide:has([class*=st-key-slide_card]) > *, .st-key-slide:has([class*=st-key-slide_card]) .st-key-slide_body,
  .st-key-slide_body:has([class*=st-key-slide_card]) > *,
  .st-key-slide_body [data-testid=stColumn]:has([class*=st-key-slide_card]) > [data-testid=stVerticalBlock],
  [class*=st-key-slide_card] {height: auto !important; flex: 0 0 auto !important; min-height: 0 !important;}
  /* the bar's buttons by their icons alone (their names stay as tooltips and for screen readers): one
     short row, not four rows over the slide */
  .st-key-present_bar {padding: 0.3rem 0.6rem;}
  .st-key-present_bar [data-testid=stButton] [data-testid=stMarkdownContainer] {position: absolute; width: 1px; height: 1px;
    overflow: hidden; clip-path: inset(50%);}
}
</style>"""

# The keys of a keyboard or a presentation clicker press the bar's buttons (even hidden); F toggles
# the browser's fullscreen; moving the mouse shows the bar for IDLE_MS. st.html runs this in the
# page itself (not an iframe), once per browser tab: the listener checks that a bar is on screen,
# so after leaving presenter mode the keys are the page's again.
IDLE_MS = 3000
KEYS_JS = """<script>
(() => {
  if (window.__etdzPresenter) { window.__etdzPresenter.poke(); return; }
  const KEYS = {ArrowLeft: "prev", PageUp: "prev", ArrowRight: "next", PageDown: "next", " ": "next",
                Home: "first", End: "last", Escape: "exit"};
  let timer;
  const poke = () => {
    document.body.classList.remove("etdz-idle");
    clearTimeout(timer);
    timer = setTimeout(() => document.body.classList.add("etdz-idle"), %d);
  };
  document.addEventListener("mousemove", poke);
  document.addEventListener("keydown", (e) => {
    if (!document.querySelector(".st-key-present_bar") || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "f" || e.key === "F") {
      e.preventDefault();
      if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen();
      return;
    }
    const name = KEYS[e.key];
    if (!name) return;
    e.preventDefault();
    e.stopPropagation();
    const button = document.querySelector(".st-key-present_" + name + " button");
    if (button && !button.disabled) button.click();
  }, true);
  window.__etdzPresenter = {poke};
  poke();
})();
</script>""" % IDLE_MS


def start_params(page: str) -> dict[str, str]:
    """The URL parameters that start presenting from a screen's first slide."""
    return {"present": "1", "slide": str(slides.first_index(page) + 1)}


def _go(number: int) -> None:
    st.query_params["slide"] = str(number)


def _exit() -> None:
    for key in url_state.PRESENTER:
        st.query_params.pop(key, None)


def _toggle_auto(on: bool) -> None:
    if on:
        st.query_params.pop("auto", None)
    else:
        st.query_params["auto"] = "on"


def _auto_on() -> bool:
    """?auto=on plays; no parameter pauses; anything else pauses and leaves the URL (logged)."""
    raw = st.query_params.get("auto")
    if raw not in (None, "on"):
        log.warning("URL parameter auto: invalid value %r, paused", raw[:80])
        st.query_params.pop("auto")
    return raw == "on"


def _table(slide: slides.Slide) -> None:
    """A KPI table slide as big cards, the rows sharing the slide's height."""
    records = slide.table.to_dict("records")
    # up to five cards in one row, more in rows of at most four: no row left half empty (5 → 5, 6 → 3 + 3)
    per_row = len(records) if len(records) <= 5 else math.ceil(len(records) / math.ceil(len(records) / 4))
    for start in range(0, len(records), per_row):
        for i, (col, row) in enumerate(zip(st.columns(per_row), records[start:start + per_row])):
            delta, note, arrow = (None if is_missing(row.get(k)) else row[k] for k in ("delta", "delta_note", "arrow"))
            with col, st.container(border=True, height="stretch", key=f"slide_card_{start + i}"):
                # a delta's direction is in its words (低于全市, 下滑31位): its arrow is given (fmt.comparison),
                # never read from a sign
                st.metric(plain(row["label"]), row["value"], delta=delta, delta_description=note,
                          delta_arrow=arrow or "off", delta_color=ARROW_COLOURS.get(arrow, "off"))
                # the page card's lines (全市排名, 上年同期, 等次, the brand's honour) and its note, as on the page
                for line in [*row.get("lines", []), row.get("card_note")]:
                    if not is_missing(line) and line:
                        st.caption(whole_figures(plain(line)))
                st.caption(plain(f"{row['period']} · {row['source']}"))


def _items(slide: slides.Slide) -> None:
    """A list slide (预警): an item a card, its heading in large type, its other lines under it."""
    for i, lines in enumerate(slide.items):
        with st.container(border=True, key=f"slide_item_{i}"):
            st.markdown(f"#### {whole_figures(plain(lines[0]))}")
            for line in lines[1:]:
                st.caption(whole_figures(plain(line)))


# A category label longer than a phone's column is wrapped, never rotated (a rotated label at 390 px
# runs off the slide): Chinese after its year (2022年 / 1-5月) or before its measure word (地区生产总值 / 增速),
# else in halves; English at spaces.
_MEASURE_WORDS = re.compile(r"(?=(?:增加值|增速|总额|总量|总值|占比|名次|企业|项目)$)")


def _middle(label: str) -> int:
    """The break between tokens (a number stays with its unit: 烟台经开区 / 12个…, never 1 / 2个) nearest
    the middle, rather after a place or measure word (区, 市, 个, 级) or before a number; the label's
    end when it is one token."""
    breaks = list(accumulate(len(token) for token in tokens(label)))[:-1]
    return min(breaks, key=lambda i: abs(i - (len(label) + 1) // 2)
               - 2.5 * (label[i - 1] in "区市县省个级" or bool(re.match(r"[0-9A-Za-z.%]", label[i]))),
               default=len(label))


def _wrap(label: str) -> str:
    if re.search(r"[\u4e00-\u9fff]", label):
        if len(label) <= 6:
            return label
        year = re.match(r"\d{4}年", label)  # 2022年 / 1-5月
        head, tail = (label[:year.end()], label[year.end():]) if year else \
            (_MEASURE_WORDS.split(label, maxsplit=1) + [""])[:2]
        if not tail or len(head) < 2:
            head, tail = label[:_middle(label)], label[_middle(label):]
        if not tail:  # one token (88.39亿元) stays whole, however long
            return label
        return "<br>".join([_wrap(head), tail] if len(tail) <= 6 else [_wrap(head), _wrap(tail)])
    words, lines = label.split(" "), [""]
    for word in words:
        lines[-1:] = [f"{lines[-1]} {word}".strip()] if len(lines[-1]) + len(word) < 14 else [lines[-1], word]
    return "<br>".join(line for line in lines if line)


def _upright(fig):
    """Category tick labels upright (tickangle 0) and wrapped, on every axis of every subplot."""
    fig.update_xaxes(tickangle=0)
    categories: dict[str, list[str]] = {}
    for trace in fig.data:
        for letter in "xy":
            values = getattr(trace, letter, None)
            if values is not None and len(values) and all(isinstance(v, str) for v in values):
                ref = getattr(trace, f"{letter}axis", None) or letter  # x, x2 …
                categories.setdefault(f"{letter}axis{ref[1:]}", []).extend(values)
    for axis, labels in categories.items():
        labels = list(dict.fromkeys(labels))
        fig.layout[axis].update(tickmode="array", tickvals=labels, ticktext=[_wrap(v) for v in labels])
    return fig


def big_number(fig) -> tuple[str, str, str | None] | None:
    """(label, value, what it is set against) when a chart holds a single figure (one bar, or one bar
    and its target): a whole slide of one bar reads as a big number, not a chart (84.6%; 69.67% vs 50%)."""
    if fig is None or not fig.data or any(len(trace.x if trace.x is not None else []) > 1 for trace in fig.data):
        return None
    texts = [trace for trace in fig.data if trace.text is not None and len(trace.text)]
    if not texts:
        return None
    main = texts[0]
    label = main.customdata[0][0] if main.customdata is not None else str((main.y if main.orientation == "h" else main.x)[0])
    return label, main.text[0], " · ".join(trace.text[0] for trace in texts[1:]) or None


def _big_number(label: str, value: str, against: str | None) -> None:
    with st.container(border=True, height="stretch", key="slide_card_big"):
        st.metric(plain(label), plain(value), delta=plain(against) if against else None, delta_color="off",
                  delta_arrow="off")


def _auto_advance(number: int, total: int, on: bool) -> None:
    """Turn to the next slide every N seconds while auto-advance is on."""
    every = url_state.select(t("present.every"), INTERVALS, key="every", default=15, widget="segmented",
                             format_func=lambda s: t("present.seconds", n=s), label_visibility="collapsed")
    if not on:
        return
    st.session_state["slide_shown_at"] = time.monotonic()

    @st.fragment(run_every=every)
    def tick():
        # the fragment's first run is part of this script run; later runs are the timer's
        if time.monotonic() - st.session_state.get("slide_shown_at", time.monotonic()) >= every - 0.5:
            _go(number % total + 1)
            st.rerun(scope="app")

    tick()


def show(view: dict[str, str]) -> None:
    st.html(STYLE)
    catalog = slides.CATALOG
    number = url_state.number("slide", len(catalog))
    slide = slides.build(number - 1, view)
    with st.container(key="slide"):
        head, count = st.columns([6, 1], vertical_alignment="bottom")
        head.title(unbroken(slide.title) if slide else t("empty"))
        count.markdown(f"### {t('present.slide_of', n=number, total=len(catalog))}")
        with st.container(key="slide_body"):
            if slide is None:
                st.info(t("empty"), icon=":material/info:")
            elif (big := big_number(slide.figure)) is not None:
                _big_number(*big)
            elif slide.items:
                _items(slide)
            elif slide.figure is not None:
                figure = _upright(slides.for_screen(slide.figure, None))
                st.plotly_chart(figure, width="stretch", height="stretch",
                                config={"displayModeBar": False, "responsive": True}, key="slide_chart")
            else:
                _table(slide)
        if slide is not None and slide.warnings:  # the page's warnings beside this chart, read from the room too
            with st.container(key="slide_warnings"):
                st.caption(whole_figures(plain(" ".join(slide.warnings))))
        with st.container(key="slide_note"):
            if slide is not None:
                st.caption(whole_figures(plain(slide.note)))
    _bar(number, len(catalog))


def _bar(number: int, total: int) -> None:
    """Previous / next / first / last, play or pause, the interval and exit: one row over the bottom edge."""
    on = _auto_on()
    last = number == total
    with st.container(key="present_bar", horizontal=True, vertical_alignment="center", gap="small"):
        for name, icon, target, disabled in [("first", "first_page", 1, number == 1),
                                             ("prev", "arrow_back", number - 1, number == 1),
                                             ("next", "arrow_forward", number + 1, last),
                                             ("last", "last_page", total, last)]:
            st.button(t(f"present.{name}"), icon=f":material/{icon}:", key=f"present_{name}", disabled=disabled,
                      on_click=_go, args=(target,))
        st.button(t("present.pause" if on else "present.play"), icon=f":material/{'pause' if on else 'play_arrow'}:",
                  key="present_play", on_click=_toggle_auto, args=(on,))
        _auto_advance(number, total, on)
        st.space("stretch")
        st.button(t("present.exit"), icon=":material/close:", key="present_exit", on_click=_exit)
        st.html(KEYS_JS, unsafe_allow_javascript=True, width="content")
