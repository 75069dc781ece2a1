"""The frame around every screen: language toggle, page header, data freshness."""
import streamlit as st

from dashboard.i18n import LANGS, t
from queries import run


def language_toggle() -> None:
    st.sidebar.segmented_control("语言 · Language", LANGS, default="zh", key="lang", bind="query-params",
                                 required=True, format_func=lambda code: {"zh": "中文", "en": "English"}[code])


def header(title_key: str, subtitle: str | None = None) -> None:
    st.title(t(title_key))
    if subtitle:
        st.caption(subtitle)


def sidebar_footer() -> None:
    info = run("build_info").iloc[0]
    st.sidebar.caption(f"{t('data_as_of')} {info['newest_period']} · "
                       + t("sources_n", n=int(info["sourced"])) + f" · {t('derived')} {int(info['derived'])}")
