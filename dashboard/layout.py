"""The frame around every screen: language toggle, page header, data freshness."""
import streamlit as st

from dashboard.components import url_select
from dashboard.i18n import LANGS, t
from queries import run


def language_toggle() -> None:
    url_select("语言 · Language", list(LANGS), key="lang", default="zh", widget="segmented",
               container=st.sidebar, format_func=lambda code: {"zh": "中文", "en": "English"}[code])


def header(title_key: str, subtitle: str | None = None) -> None:
    st.title(t(title_key))
    if subtitle:
        st.caption(subtitle)


def sidebar_footer() -> None:
    info = run("build_info").iloc[0]
    st.sidebar.caption(f"{t('data_as_of')} {info['newest_period']} · "
                       + t("sources_n", n=int(info["sourced"])) + f" · {t('derived')} {int(info['derived'])}")
