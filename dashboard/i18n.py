"""Language: Chinese first, English behind the sidebar toggle (?lang=en).

Every user-facing string lives in one table, translations.csv (key, zh, en), so a
translator edits one file. Topic, measure and qualifier names are keys there too.
"""
import csv
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

import streamlit as st

LANGS = ("zh", "en")
TABLE = Path(__file__).resolve().parent / "translations.csv"
T = TypeVar("T")


def _load() -> dict[str, tuple[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as f:
        return {row["key"]: (row["zh"], row["en"]) for row in csv.DictReader(f)}


TEXT = _load()

# English shows amounts in international units: (multiplier, unit).
UNITS_EN = {
    "亿元": (0.1, "bn yuan"), "万元": (10_000, "yuan"), "元": (1, "yuan"),
    "亿美元": (100, "m USD"), "万美元": (0.01, "m USD"), "万元/亩": (10_000, "yuan/mu"),
    "万吨": (0.01, "m t"), "万人": (10_000, "people"), "万件": (10_000, "items"),
    "%": (1, "%"), "个百分点": (1, "pp"), "分数": (100, "%"),
}


def plotly_locale() -> dict:
    """A Plotly chart's config for the Chinese UI: its toolbar's tooltips in Chinese. The dictionary
    travels with each chart's config (plotly.js reads config.locales before its own registry), so no
    locale script is loaded from a CDN the intranet does not have. The English keys are Plotly's own."""
    if lang() == "en":
        return {}
    words = {en: zh for key, (zh, en) in TEXT.items() if key.startswith("plotly.")}
    return {"locale": "zh-CN", "locales": {"zh-CN": {"dictionary": words}}}


# A download's function runs on a thread of Streamlit's own, outside the session (its docs say so):
# in_language() carries the session's language there.
_LANG_OUTSIDE_SESSION: ContextVar[str | None] = ContextVar("lang_outside_session", default=None)


def lang() -> str:
    chosen = _LANG_OUTSIDE_SESSION.get() or st.session_state.get("lang")  # read once: every label asks
    return chosen if chosen in LANGS else "zh"


def in_language(make: Callable[[], T]) -> Callable[[], T]:
    """`make`, to be run later outside this script run, in the language this run has now."""
    chosen = lang()

    def made() -> T:
        token = _LANG_OUTSIDE_SESSION.set(chosen)
        try:
            return make()
        finally:
            _LANG_OUTSIDE_SESSION.reset(token)
    return made


@contextmanager
def speaking(code: str):
    """Every label in `code` for the block, outside a session (the briefing archive's worker)."""
    token = _LANG_OUTSIDE_SESSION.set(code)
    try:
        yield
    finally:
        _LANG_OUTSIDE_SESSION.reset(token)


def t(key: str, **fields) -> str:
    zh, en = TEXT[key]
    text = en if lang() == "en" else zh
    return text.format(**fields) if fields else text


def colon() -> str:
    """The colon after a label: full-width in Chinese, ": " in English."""
    return ": " if lang() == "en" else "："


def list_sep() -> str:
    """Between items of a list: "；" in Chinese, "; " in English."""
    return "; " if lang() == "en" else "；"


def pick(zh: str | None, en: str | None) -> str:
    """The text of a pair in the current language (English falls back to Chinese)."""
    return (en or zh or "") if lang() == "en" else (zh or "")


def topic_label(code: str) -> str:
    return t(f"topic.{code}") if f"topic.{code}" in TEXT else code


def measure_label(code: str) -> str:
    return t(f"measure.{code}") if f"measure.{code}" in TEXT else code


def source_kind_label(code: str) -> str:
    """A source's kind (报告, 简报 …); a kind not in translations.csv shows as stored."""
    return t(f"sources.kind.{code}") if f"sources.kind.{code}" in TEXT else str(code)


def qualifier_en(qualifier: str) -> str:
    return TEXT.get(f"qualifier.{qualifier}", ("", ""))[1]


def paren(text: str) -> str:
    """（…） in Chinese, (…) in English."""
    return f" ({text})" if lang() == "en" else f"（{text}）"
