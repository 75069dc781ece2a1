"""Presenter mode (?present=1): one slide at a time in projector type, no Streamlit chrome.

The slide number is in the URL (?slide=5, counted from 1) so "slide 5" is a link; Previous and
Next also answer the arrow keys, and auto-advance (?auto=on&every=15) turns pages on a timer.
"""
from __future__ import annotations

import time

import streamlit as st

from dashboard import slides
from dashboard.components import is_missing, url_select
from dashboard.i18n import t
from dashboard.text import plain

CHART_HEIGHT = 780  # px: under a 96 px title and above the source line and controls at 1080 p
INTERVALS = [10, 15, 30, 60]  # s between slides when auto-advancing

# The projector's type: KPI values 56 px, labels 26 px, chart text 22 px (slides.for_screen).
# Hiding the sidebar, header and toolbars is presentation only; every link still works.
STYLE = """<style>
[data-testid=stSidebar], [data-testid=stSidebarCollapsedControl], [data-testid=stHeader],
[data-testid=stToolbar], [data-testid=stDecoration], [data-testid=stStatusWidget] {display: none !important;}
[data-testid=stMainBlockContainer] {padding: 1.2rem 2.5rem 0.5rem; max-width: 100%;}
.st-key-slide h1 {font-size: 44px; padding: 0 0 0.4rem;}
.st-key-slide [data-testid=stMetricValue] {font-size: 56px; line-height: 1.2;}
.st-key-slide [data-testid=stMetricLabel] p {font-size: 26px;}
.st-key-slide [data-testid=stMetricLabel] .stMarkdownEllipsis, .st-key-slide [data-testid=stMetricLabel] p {
  white-space: normal; overflow: visible; text-overflow: clip;}
.st-key-slide [data-testid=stMetricDelta] {font-size: 24px;}
.st-key-slide [data-testid=stCaptionContainer] p {font-size: 18px;}
.st-key-slide_note [data-testid=stCaptionContainer] p {font-size: 15px;}
</style>"""


def start_params(page: str) -> dict[str, str]:
    """The URL parameters that start presenting from a screen's first slide."""
    return {"present": "1", "slide": str(slides.first_index(page) + 1)}


def _slide_number(total: int) -> int:
    """The URL's slide (1-based); a bad or out-of-range value falls back to 1 with a note."""
    raw = st.query_params.get("slide", "1")
    if raw.isdigit() and 1 <= int(raw) <= total:
        return int(raw)
    st.warning(t("bad_param", name="slide", value=raw), icon=":material/link_off:")
    st.query_params["slide"] = "1"
    return 1


def _go(number: int) -> None:
    st.query_params["slide"] = str(number)


def _exit() -> None:
    for key in ("present", "slide", "auto", "every"):
        st.query_params.pop(key, None)


def _table(slide: slides.Slide) -> None:
    """A KPI table slide as big cards, four to a row."""
    records = slide.table.to_dict("records")
    per_row = 4 if len(records) > 3 else len(records)
    for start in range(0, len(records), per_row):
        for col, row in zip(st.columns(per_row), records[start:start + per_row]):
            delta, note, arrow = (None if is_missing(row.get(k)) else row[k] for k in ("delta", "delta_note", "arrow"))
            with col, st.container(border=True, height="stretch"):
                # a rank's change is in words (下滑31位): its arrow is given, not read from a sign
                st.metric(plain(row["label"]), row["value"], delta=delta, delta_description=note,
                          delta_arrow=arrow or "auto",
                          delta_color={"up": "green", "down": "red"}.get(arrow, "normal" if delta else "off"))
                st.caption(plain(f"{row['period']} · {row['source']}"))


def _auto_advance(number: int, total: int) -> None:
    """Turn to the next slide every N seconds while auto-advance is on (the toggle is the pause)."""
    on = url_select(t("present.auto"), ["off", "on"], key="auto", default="off", widget="segmented",
                    format_func=lambda v: t(f"present.auto_{v}"))
    every = url_select(t("present.every"), INTERVALS, key="every", default=15, widget="segmented",
                       format_func=lambda s: t("present.seconds", n=s))
    if on != "on":
        return
    st.session_state["slide_shown_at"] = time.monotonic()

    @st.fragment(run_every=every)
    def tick():
        # the fragment's first run is part of this script run; later runs are the timer's
        if time.monotonic() - st.session_state["slide_shown_at"] >= every - 0.5:
            _go(number % total + 1)
            st.rerun(scope="app")

    tick()


def show(view: dict[str, str]) -> None:
    st.html(STYLE)
    catalog = slides.CATALOG
    number = _slide_number(len(catalog))
    slide = slides.build(number - 1, view)
    with st.container(key="slide"):
        head, count = st.columns([6, 1], vertical_alignment="bottom")
        head.title(slide.title if slide else t("empty"))
        count.markdown(f"### {t('present.slide_of', n=number, total=len(catalog))}")
        if slide is None:
            st.info(t("empty"), icon=":material/info:")
        elif slide.figure is not None:
            st.plotly_chart(slides.for_screen(slide.figure, CHART_HEIGHT), width="stretch",
                            config={"displayModeBar": False, "responsive": True}, key="slide_chart")
        else:
            _table(slide)
    with st.container(key="slide_note"):
        if slide is not None:
            st.caption(plain(slide.note))
    prev, nxt, auto, leave = st.columns([1, 1, 3.6, 1], vertical_alignment="bottom")
    prev.button(t("present.prev"), icon=":material/arrow_back:", shortcut="ArrowLeft", width="stretch",
                disabled=number == 1, on_click=_go, args=(number - 1,))
    nxt.button(t("present.next"), icon=":material/arrow_forward:", shortcut="ArrowRight", width="stretch",
               disabled=number == len(catalog), on_click=_go, args=(number + 1,))
    with auto, st.container(horizontal=True):
        _auto_advance(number, len(catalog))
    leave.button(t("present.exit"), icon=":material/close:", width="stretch", on_click=_exit)
