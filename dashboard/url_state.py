"""The view in the address bar: every URL parameter, its codes, and which page owns it.

A value in the URL is a stable code (lang=en, status=met, size=ge10, period=2022-01..2022-05),
never a label, so a link opens the same view in either language. A page owns its parameters
(PAGE_PARAMS); opening another page keeps only lang and present (keep_page). Reading a link never
rewrites it: a valid value stays as written; an invalid one falls back to the default, is logged
and leaves the URL. Nothing from the URL is ever echoed on screen.

Widgets are not bound with Streamlit's bind="query-params": a bound widget writes its formatted
label (lang=English, auto=:material/play_arrow: 播放), drops a code it cannot find among its
labels, and its parameter cannot be deleted through st.query_params (leaving presenter mode after
播放 raised "Cannot directly delete query parameter 'auto'"). Here a widget takes its value from the
URL whenever the URL's value changes, and writes its code back when the user changes it.

A widget's key carries the language (status.en): the browser sends back the label it showed, so
after a language switch an old-language label matches no option (a multiselect raised a TypeError,
a selectbox fell back to its first option or wrote a label into the URL). A new key in the new
language takes its value from the URL's codes instead.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

import streamlit as st

from dashboard.i18n import lang
from etl.periods import period_code  # noqa: F401  (a period's code lives with its other readings)

log = logging.getLogger("etdz.url")

GLOBAL = ("lang",)  # every page's: opening another page keeps it
PRESENTER = ("present", "slide", "auto", "every")  # presenter mode's (?present=1), on any page
PAGE_PARAMS = {
    "economy": ("period", "series_indicator", "series_kind", "series_years"),
    "clusters": ("firm_q",),
    "projects": ("industry", "size", "year", "status"),
    "targets": ("target_year", "status"),
    "alerts": ("severity", "rule", "alert_year", "scope", "alert_page"),
    "trade": ("peer_period", "peer_q", "trade_kind", "trade_years"),
    "benchmarks": ("peer_period", "peer_q"),
    "sources": ("q", "topic", "doc", "period", "entity", "read", "fig", "tab"),
}
MAX_TEXT = 200  # characters of a free-text parameter (the sources search) that are read
_SEEN = "_url_seen."  # session key prefix: the URL value a widget last took or wrote
_WORDS = "_url_words"  # session key: {parameter: the label its widget showed}
_PAGE, _LAST = "_url_page", "_url_last"  # session keys: the last run's page and its URL parameters


def owned(page: str, presenting: bool = False) -> tuple[str, ...]:
    return GLOBAL + (PRESENTER if presenting else ()) + PAGE_PARAMS.get(page, ())


def keep_page(page: str, presenting: bool) -> None:
    """Drop the parameters another page left in the URL: a page owns its filters.

    Streamlit's navigation carries the whole query string to the next page. A parameter that
    is not this page's goes; one this page shares by name (economy's and sources' period) goes
    too when it is exactly what the previous page had in the URL, i.e. it was carried over, not
    brought by a link or the browser's Back button."""
    previous, last = st.session_state.get(_PAGE), st.session_state.get(_LAST, {})
    switched = previous not in (None, page)
    for key in list(st.query_params):
        carried = switched and key not in GLOBAL and last.get(key) == st.query_params.get_all(key)
        if key not in owned(page, presenting) or carried:
            del st.query_params[key]
    st.session_state[_PAGE] = page
    st.session_state[_LAST] = {k: st.query_params.get_all(k) for k in st.query_params}


def view(page: str) -> dict[str, str]:
    """The page's own parameters as they are in the URL (the filters its slides and briefing follow)."""
    return {k: st.query_params[k] for k in PAGE_PARAMS.get(page, ()) if k in st.query_params}


def words(page: str) -> list[str]:
    """The page's filters as its widgets last showed them (e.g. ["2022年1-5月"]), for a briefing's title."""
    shown = st.session_state.get(_WORDS, {})
    return [text for key in PAGE_PARAMS.get(page, ()) if (text := shown.get(key))]


def slug(view: dict[str, str]) -> str:
    """The view's codes in a file name: period-2022-01..2022-05_status-met (letters, digits, . and -)."""
    return re.sub(r"[^\w.-]+", "-", "_".join(f"{k}-{v}" for k, v in view.items()))[:80]


# ---------- codes ----------

def widget_key(key: str, sticky: bool = False) -> str:
    """The session key of ?key='s widget in this language (the language widget's own is "lang")."""
    return key if sticky else f"{key}.{lang()}"


def _split(raw: str) -> list[str]:
    return [part for part in raw.split(",") if part]


def _raw(key: str) -> str:
    return ",".join(st.query_params.get_all(key))


# ---------- widgets ----------

def _from_url(key: str, codes: list[str], by_code: dict, *, count: int | None = None, keep_valid: bool = False) -> list:
    """The options ?key='s `codes` name, for its widget to take; the URL value taken is remembered
    (a rerun does not take it again). An unknown code, or other than `count` codes, means none: the
    visitor's text is logged (shortened), never shown, and leaves the URL (with `keep_valid`, a
    multiselect's valid codes stay)."""
    good = [by_code[c] for c in codes if c in by_code]
    if len(good) < len(codes) or (codes and count and len(codes) != count):
        log.warning("URL parameter %s: invalid value %r, default used", key, _raw(key)[:80])
        if keep_valid and good:
            st.query_params[key] = ",".join(c for c in codes if c in by_code)
        else:
            st.query_params.pop(key, None)
            good = []
    st.session_state[_SEEN + key] = _raw(key)
    return good


def select(label: str, options: Sequence, *, key: str, default=None, format_func: Callable = str,
           code: Callable = str, widget: str = "selectbox", container=None, placeholder: str | None = None,
           sticky: bool = False, **kwargs):
    """A selectbox, segmented control or multiselect whose value is ?key=code in the URL.

    `code` turns an option into its URL code (str by default); a multiselect's codes are joined
    with ",". A URL without the parameter means `default`. `sticky` (the language) keeps the
    session's value when a page switch brings no parameter, and writes it back."""
    container = container or st
    multi = widget == "multiselect"
    default = list(default or []) if multi else default
    by_code = {code(o): o for o in options}
    raw, seen, wkey = _raw(key), st.session_state.get(_SEEN + key), widget_key(key, sticky)
    if sticky and not raw and key in st.session_state and st.session_state[key] != default:
        _write(key, code, default, multi, wkey)  # the page switched without it: the session's value stands
    elif wkey not in st.session_state or raw != seen:
        good = _from_url(key, _split(raw) if multi else [raw] if raw else [], by_code, keep_valid=multi)
        st.session_state[wkey] = good if multi else (good[0] if good else default)
    common = dict(key=wkey, format_func=format_func, on_change=_write, args=(key, code, default, multi, wkey),
                  **kwargs)
    if multi:
        value = container.multiselect(label, options, placeholder=placeholder, **common)
    elif widget == "segmented":
        value = container.segmented_control(label, options, required=True, **common)
    else:
        value = container.selectbox(label, options, **common)
    shown = [format_func(v) for v in (value if multi else [] if value is None else [value])]
    st.session_state.setdefault(_WORDS, {})[key] = (", " if lang() == "en" else "、").join(shown)
    return value


def set_value(key: str, value, *, code: Callable = str, default=None) -> None:
    """Set a select() widget's value from a callback of another widget (economy's year sets its period)."""
    st.session_state[widget_key(key)] = value
    _write(key, code, default, False)


def _write(key: str, code: Callable, default, multi: bool, wkey: str | None = None) -> None:
    """After a change: the widget's code into the URL, or no parameter for the default."""
    value = st.session_state.get(wkey or widget_key(key))
    text = ",".join(code(v) for v in value) if multi else ("" if value is None else code(value))
    if value == default or not text:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = text
    st.session_state[_SEEN + key] = _raw(key)


def _span_code(value: tuple) -> str:
    return f"{value[0]}..{value[-1]}"


def span(label: str, options: Sequence, *, key: str, default: tuple, container=None, **kwargs) -> tuple:
    """A range slider over `options` whose (first, last) is ?key=first..last (2019..2024)."""
    container = container or st
    options, default = list(options), tuple(default)
    by_code = {str(o): o for o in options}
    raw, wkey = _raw(key), widget_key(key)
    start = st.session_state.get(wkey)
    if start is None or raw != st.session_state.get(_SEEN + key) or not set(start) <= set(options):
        good = _from_url(key, raw.split("..") if raw else [], by_code, count=2)
        start = tuple(sorted(good, key=options.index)) if good else default
        st.session_state.pop(wkey, None)  # the slider starts again from `value` (a range: a pair)
    value = tuple(container.select_slider(label, options=options, value=start, key=wkey, on_change=_write,
                                          args=(key, _span_code, default, False, wkey), **kwargs))
    st.session_state.setdefault(_WORDS, {})[key] = "–".join(str(v) for v in (value[0], value[-1]))
    return value


def tabs(options: Sequence[str], *, key: str, format_func: Callable = str, opened: str | None = None,
         on_change: Callable[[str], None] | None = None) -> Sequence:
    """st.tabs whose open tab is ?key=code, with no parameter for the first tab (each tab's .open says
    which body to run). `opened` is a tab the page's other parameters call for; `on_change` gets the
    code of the tab the user opened, once the URL has it."""
    labels = [format_func(o) for o in options]
    raw, wkey = _raw(key), widget_key(key)
    if wkey not in st.session_state or raw != st.session_state.get(_SEEN + key):
        good = _from_url(key, [raw] if raw else [], {o: o for o in options})
        st.session_state[wkey] = format_func(good[0] if good else options[0])
    if opened:
        st.session_state[wkey] = format_func(opened)
    return st.tabs(labels, key=wkey, on_change=_switched_tab, args=(key, dict(zip(labels, options)), on_change))


def _switched_tab(key: str, codes: dict[str, str], then: Callable[[str], None] | None) -> None:
    # a tab's value is its label: the first label is the default, which leaves the URL
    _write(key, codes.get, next(iter(codes)), False)
    if then:
        then(codes[st.session_state[widget_key(key)]])


def text(label: str, *, key: str, container=None, **kwargs) -> str:
    """A text input whose text is ?key=… (the first MAX_TEXT characters of a link are read)."""
    container = container or st
    raw = _raw(key)
    if key not in st.session_state or raw != st.session_state.get(_SEEN + key):
        if len(raw) > MAX_TEXT:
            raw = raw[:MAX_TEXT]
            st.query_params[key] = raw
        st.session_state[key] = raw
        st.session_state[_SEEN + key] = raw
    value = container.text_input(label, key=key, on_change=_write, args=(key, str, "", False, key), **kwargs)
    st.session_state.setdefault(_WORDS, {})[key] = value.strip()
    return value


def number(key: str, count: int) -> int:
    """A 1-based position in 1..count from ?key=N (ASCII digits only: ² and ① are not numbers);
    anything else is 1, logged and set in the URL, with nothing on screen."""
    raw = _raw(key)
    if re.fullmatch(r"[0-9]{1,6}", raw) and 1 <= int(raw) <= count:
        return int(raw)
    if raw:
        log.warning("URL parameter %s: invalid value %r, 1 used", key, raw[:80])
    st.query_params[key] = "1"
    return 1
