"""The frame around every screen: language toggle, page header, data freshness, briefing export."""
from datetime import date

import streamlit as st

from dashboard import alerts, figures, slides, url_state
from dashboard.fmt import period_label
from dashboard.i18n import LANGS, colon, lang, list_sep, t
from dashboard.text import plain, whole_figures
from queries import run


# Text wraps whole, never cut and never broken inside a word or a figure:
# - card labels and values wrap instead of ending in "…" (其中：实…, "more than 4…");
# - a row of KPI cards never squeezes a card below 12rem: at 1280 px five cards wrap to 3 + 2
#   rather than break "implementa/tion" and "projec/ts"; a value's type shrinks with its card (cqi);
# - words break only between words (Streamlit's markdown breaks anywhere when a line is short), and
#   inside one only when it is longer than the whole line;
#   Chinese figures (494.6亿元) in bold, card values and captions keep together (keep-all: a Chinese
#   line breaks at punctuation and spaces, 7个月 stays whole);
# - lines are balanced, so no line holds one character (竣工投产项/目, 生物食品医/药).
# fmt.py joins an English number and its unit with no-break spaces (8.839 bn yuan).
SCREEN_STYLE = """<style>
[data-testid="stMetricLabel"] .stMarkdownEllipsis, [data-testid="stMetricLabel"] p,
[data-testid="stMetricValue"] .stMarkdownEllipsis, [data-testid="stMetricValue"] p {
  white-space: normal; overflow: visible; text-overflow: clip;
}
[data-testid=stMain] :is(p, li, h1, h2, h3, h4, span, div, td, th) {word-break: normal; overflow-wrap: break-word;}
[data-testid=stMain] :is(p, li, h1, h2, h3, h4, [data-testid=stMetricLabel] *) {text-wrap: pretty;}
[data-testid=stMain] :is(h1, h2, h3, h4, [data-testid=stMetricLabel] p) {text-wrap: balance;}
[data-testid=stMain] :is(strong, [data-testid=stMetricValue] *, [data-testid=stCaptionContainer] p) {word-break: keep-all;}
[data-testid=stHorizontalBlock]:has(> [data-testid=stColumn] [data-testid=stMetric]) {flex-wrap: wrap;}
[data-testid=stHorizontalBlock] > [data-testid=stColumn]:has([data-testid=stMetric]) {
  min-width: min(100%, 12rem); container-type: inline-size;
}
[data-testid=stColumn] [data-testid=stMetricValue] {font-size: min(2.25rem, 14cqi);}
/* a markdown table of figures (对标 peers): its value cells keep a figure whole (5385.74万美元), in a
   slightly smaller type so eight columns fit at 1280 px; names and headers wrap in balanced lines */
[data-testid=stMarkdownContainer] table {font-size: 0.875rem;}
[data-testid=stMarkdownContainer] :is(td, th) {text-wrap: balance;}
[data-testid=stMarkdownContainer] td:not(:first-child) {word-break: keep-all;}
[data-testid=stMarkdownContainer] td:first-child {min-width: 7em;}
/* download buttons (CSV, Excel) as wide as their words, in a column of any width */
[data-testid=stColumn]:has(> [data-testid=stVerticalBlock] > [data-testid=stElementContainer] > [data-testid=stDownloadButton]) {
  flex: 0 0 auto !important; width: auto !important;}
[data-testid=stDownloadButton] button p {white-space: nowrap;}
/* the delta and what it compares with (+2.5个百分点 高于全市): the words go under the delta, whole */
:has(> [data-testid=stMetricDelta]) {flex-wrap: wrap; row-gap: 0.25rem;}
[data-testid=stMetricDeltaDescription], [data-testid=stMetricDeltaDescription] * {white-space: nowrap;}
/* a phone: a chart of side-by-side panels is drawn 720 px wide and scrolls sideways, so its panel
   titles and year labels stay apart and upright (components.panel_count) */
@media (max-width: 640px) {
  [class*=st-key-panels_] {overflow-x: auto;}
  [class*=st-key-panels_] > [data-testid=stElementContainer], [class*=st-key-panels_] [data-testid=stPlotlyChart] {min-width: 720px;}
}
</style>"""

# Ctrl+P on A4 portrait: the page alone, no sidebar or toolbars; side-by-side charts one under the
# other; a card, chart or table never split across pages, a heading never last on its page; buttons
# never print. A Plotly chart (or a data grid) keeps the pixel width it was drawn
# at (the screen's), so before printing PRINT_JS zooms each one to the page's width (A4 less margins,
# in CSS px) and restores it after; Chromium fires beforeprint for Ctrl+P and for page.pdf alike.
PRINT_WIDTH = 700  # px: (210 mm - 2 × 12 mm) at 96 px per inch is 703
PRINT_STYLE = """<style>
@media print {
  @page {size: A4 portrait; margin: 12mm;}
  [data-testid=stSidebar], [data-testid=stSidebarCollapsedControl], [data-testid=stHeader],
  [data-testid=stToolbar], [data-testid=stDecoration], [data-testid=stStatusWidget], [data-testid=stSkipToContent],
  [data-testid=stElementToolbar], .modebar-container, [data-testid=stExpander] {display: none !important;}
  [data-testid=stApp], [data-testid=stAppViewContainer], [data-testid=stMain] {position: static !important;
    overflow: visible !important; height: auto !important;}
  [data-testid=stMain] {margin: 0 !important; width: 100% !important;}
  [data-testid=stMainBlockContainer] {padding: 0 !important; max-width: none !important;}
  [data-testid=stHorizontalBlock]:has([data-testid=stPlotlyChart]) {flex-direction: column;}
  [data-testid=stHorizontalBlock]:has([data-testid=stPlotlyChart]) > [data-testid=stColumn] {width: 100% !important; flex: 1 1 auto !important;}
  [data-testid=stPlotlyChart], [data-testid=stColumn]:has([data-testid=stMetric]), [data-testid=stTable] tr {break-inside: avoid;}
  h1, h2, h3, [data-testid=stElementContainer]:has(:is(h1, h2, h3)) {break-after: avoid;}
  /* paper has nothing to press: no buttons; a filter prints as its name and choice, not as a box */
  [data-testid=stButton], [data-testid=stDownloadButton], [data-testid=stPopover], [data-testid=stLinkButton],
  .react-aria-ComboBox button, .react-aria-Select button svg {display: none !important;}
  :is(.react-aria-ComboBox, .react-aria-Select) :is([role=group], button) {border: none !important;
    background: none !important; box-shadow: none !important; padding-left: 0 !important;}
  [data-testid=stDataFrame] {break-inside: avoid;}
}
</style>"""
PRINT_JS = """<script>
(() => {
  if (window.__etdzPrint) return;
  window.__etdzPrint = true;
  // a data grid is a canvas drawn at the screen's width too: zoomed like a chart, its columns all print
  const plots = () => document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot, [data-testid=stDataFrame]');
  window.addEventListener('beforeprint', () => plots().forEach(gd => {
    gd.style.zoom = Math.min(1, %d / gd.getBoundingClientRect().width);
  }));
  window.addEventListener('afterprint', () => plots().forEach(gd => { gd.style.zoom = ''; }));
})();
</script>""" % PRINT_WIDTH


# Streamlit's own English that CSS can reach in the Chinese UI: the Fullscreen button Streamlit adds to
# every Plotly toolbar (Plotly's own buttons are translated by i18n.plotly_locale; the tooltip is the
# button's data-title shown by Plotly's CSS ::after), and the header's Stop button while a page runs.
def chrome_zh() -> str:
    return ("<style>"
            f'.modebar-btn[data-title="Fullscreen"]::after {{content: "{t("plotly.fullscreen")}" !important;}}'
            f'.modebar-btn[data-title="Close fullscreen"]::after {{content: "{t("plotly.close_fullscreen")}" !important;}}'
            "[data-testid=stStatusWidget] button {display: none;}</style>")


def language_toggle() -> None:
    url_state.select("语言 · Language", list(LANGS), key="lang", default="zh", widget="segmented", sticky=True,
                     container=st.sidebar, format_func=lambda code: {"zh": "中文", "en": "English"}[code])
    if lang() == "zh":
        st.html(chrome_zh())


def header(title_key: str, subtitle: str | None = None) -> None:
    st.title(t(title_key))
    if subtitle:
        st.caption(subtitle)
    stale_note()


def stale_note() -> None:
    """Stale data (预警), under every page's title: the newest figures are older than reporting allows."""
    if stale := alerts.stale_alert():
        # a badge and a line, not an st.warning box: the header notes it on every page, quietly
        with st.container(key="stale_note"):
            st.markdown(f":orange-badge[:material/update: {t('alerts.rule.stale')}] {whole_figures(plain(stale.text))}")
            st.caption(whole_figures(plain(f"{t('derived')}{colon()}{stale.derived}")))


def sidebar_footer() -> None:
    # every screen (not the presenter) ends its frame here: the print stylesheet and its chart zoom too
    st.html(PRINT_STYLE)
    st.sidebar.html(PRINT_JS, unsafe_allow_javascript=True)
    st.sidebar.caption(data_as_of())


@figures.view
def data_as_of() -> str:
    """数据截至 2024年1-10月 · 来源：170 个数据 · 推算 12: once per database and language, not per run."""
    info = run("build_info").iloc[0]
    return (f"{t('data_as_of')} {period_label(info['newest_period'])} · "
            + t("sources_n", n=int(info["sourced"])) + f" · {t('derived')} {int(info['derived'])}")


def briefing_export(page: str, page_title: str) -> None:
    """The sidebar's briefing export: this screen's slides (or all) with its filters, as PPTX and PDF."""
    view = url_state.view(page)
    with st.sidebar.popover(t("briefing.export"), icon=":material/download:", width="stretch"):
        scopes = (["page"] if page in slides.pages() else []) + ["all"]
        for scope in scopes:
            if st.button(t(f"briefing.make_{scope}"), key=f"briefing_{scope}", icon=":material/slideshow:",
                         type="primary" if scope == scopes[0] else "secondary", width="stretch"):
                _make_briefing(page if scope == "page" else None, page_title, view, url_state.words(page))
        made = st.session_state.get("briefing")
        if made and made[0][1:] == _view_key(view):  # a file made for another view is not offered
            name = file_name(made[0][0], view)
            st.download_button(t("briefing.download_pptx"), made[1], f"{name}.pptx", key="briefing_pptx",
                               mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                               icon=":material/slideshow:", on_click="ignore", width="stretch")
            st.download_button(t("briefing.download_pdf"), made[2], f"{name}.pdf", "application/pdf",
                               key="briefing_pdf", icon=":material/picture_as_pdf:", on_click="ignore",
                               width="stretch")


def file_name(page: str | None, view: dict) -> str:
    """A briefing's file name: the screen, its view's codes, today's date and the language."""
    return "_".join(filter(None, ["etdz_briefing", page or "all", url_state.slug(view),
                                  _today().strftime("%Y%m%d"), lang()]))


def _today() -> date:
    return alerts.today()  # ETDZ_TODAY fixes it, as for the stale-data alert


def _view_key(view: dict) -> tuple:
    return lang(), tuple(sorted(view.items()))


def _make_briefing(page: str | None, page_title: str, view: dict, words: list[str]) -> None:
    """Render the deck (this screen's slides, or all with page=None) with a progress bar."""
    from dashboard import briefing  # kaleido, python-pptx and fpdf load on the first export only
    with st.status(t("briefing.rendering"), expanded=True) as status:
        bar = st.progress(0.0)
        deck = slides.deck(view, page)
        # the view in words, as the screen shows it: 经济运行 · 2022年1-5月; all screens say whose filter
        # it is (only that screen's slides follow it): 看板 · 经济运行：2022年1-5月
        title = " · ".join([page_title, *words] if page else
                           [t("app_title"), *([f"{page_title}{colon()}{list_sep().join(words)}"] if words else [])])
        files = briefing.export(deck, briefing.cover_for(deck, title),
                                lambda i, n, name: bar.progress(i / n, text=name))
        st.session_state["briefing"] = ((page, *_view_key(view)), *files)
        status.update(label=t("briefing.ready", n=len(deck) + 1), state="complete", expanded=False)
