"""The frame around every screen: language toggle, page header, data freshness, briefing export."""
from datetime import date

import streamlit as st

from dashboard import slides, url_state
from dashboard.fmt import period_label
from dashboard.i18n import LANGS, lang, t
from queries import run


# Card labels and values wrap instead of ending in "…": five stage cards side by side on a 1280 px
# screen would show 其中：实… and 竣工投产…, an English card "more than 4…".
SCREEN_STYLE = """<style>
[data-testid="stMetricLabel"] .stMarkdownEllipsis, [data-testid="stMetricLabel"] p,
[data-testid="stMetricValue"] .stMarkdownEllipsis, [data-testid="stMetricValue"] p {
  white-space: normal; overflow: visible; text-overflow: clip;
}
</style>"""


def language_toggle() -> None:
    url_state.select("语言 · Language", list(LANGS), key="lang", default="zh", widget="segmented", sticky=True,
                     container=st.sidebar, format_func=lambda code: {"zh": "中文", "en": "English"}[code])


def header(title_key: str, subtitle: str | None = None) -> None:
    st.title(t(title_key))
    if subtitle:
        st.caption(subtitle)


def sidebar_footer() -> None:
    info = run("build_info").iloc[0]
    st.sidebar.caption(f"{t('data_as_of')} {period_label(info['newest_period'])} · "
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
                                  date.today().strftime("%Y%m%d"), lang()]))


def _view_key(view: dict) -> tuple:
    return lang(), tuple(sorted(view.items()))


def _make_briefing(page: str | None, page_title: str, view: dict, words: list[str]) -> None:
    """Render the deck (this screen's slides, or all with page=None) with a progress bar."""
    from dashboard import briefing  # kaleido, python-pptx and fpdf load on the first export only
    with st.status(t("briefing.rendering"), expanded=True) as status:
        bar = st.progress(0.0)
        deck = slides.deck(view, page)
        # the view in words, as the screen shows it: 经济运行 · 2022年1-5月
        title = " · ".join([page_title if page else t("app_title"), *words])
        files = briefing.export(deck, briefing.cover_for(deck, title),
                                lambda i, n, name: bar.progress(i / n, text=name))
        st.session_state["briefing"] = ((page, *_view_key(view)), *files)
        status.update(label=t("briefing.ready", n=len(deck) + 1), state="complete", expanded=False)
