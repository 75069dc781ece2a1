"""Periods as written (2024年1-9月, 2024年前三季度 …) → start and end dates, and their English."""
import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    # year, months, month, year_end, as_of, to_date, range, unspecified, after_completion
    kind: str


# The written forms, as the validator's message and the import template list them.
FORMS = ("2024年", "2024年1-9月", "2024年5月", "2024年前三季度", "2024年末", "截至2024年", "2024年以来",
         "2004-2024年", "期间未注明（2024年文件）", "7个月累计（2024年文件）", "建成后")
# Kinds that name calendar years: the quote (or the document's own "今年", "1-9月") must say which.
CALENDAR_KINDS = ("year", "months", "month", "year_end", "range", "to_date")
_QUARTERS = {"一季度": (1, 3), "上半年": (1, 6), "前三季度": (1, 9), "下半年": (7, 12)}
_QUARTERS_EN = {"一季度": "Q1", "上半年": "H1", "前三季度": "Q1–Q3", "下半年": "H2"}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_QUARTER_CODES = {"一季度": "q1", "上半年": "h1", "前三季度": "q1-q3", "下半年": "h2"}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> Period:
    """Parse a period; ValueError names the forms that are accepted."""
    t = text.strip()
    if m := re.fullmatch(r"(\d{4})年", t):
        y = int(m[1])
        return Period(date(y, 1, 1), date(y, 12, 31), "year")
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})-(\d{1,2})月", t):
        y, a, b = int(m[1]), int(m[2]), int(m[3])
        if 1 <= a <= b <= 12:
            return Period(date(y, a, 1), _month_end(y, b), "months")
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月", t):
        y, a = int(m[1]), int(m[2])
        if 1 <= a <= 12:
            return Period(date(y, a, 1), _month_end(y, a), "month")
    if m := re.fullmatch(r"(\d{4})年(一季度|上半年|前三季度|下半年)", t):
        y, (a, b) = int(m[1]), _QUARTERS[m[2]]
        return Period(date(y, a, 1), _month_end(y, b), "months")
    if m := re.fullmatch(r"(\d{4})年末", t):
        y = int(m[1])
        return Period(date(y, 12, 31), date(y, 12, 31), "year_end")
    if m := re.fullmatch(r"截至(\d{4})年", t):
        return Period(None, date(int(m[1]), 12, 31), "as_of")
    if m := re.fullmatch(r"(\d{4})年以来", t):  # 今年以来: from 1 January to the document's date
        return Period(date(int(m[1]), 1, 1), None, "to_date")
    if m := re.fullmatch(r"(\d{4})-(\d{4})年", t):
        a, b = int(m[1]), int(m[2])
        if a < b:
            return Period(date(a, 1, 1), date(b, 12, 31), "range")
    # the text gives no span at all (or only its length): no dates; the document's year is kept in the words
    if re.fullmatch(r"(期间未注明|\d+个月累计)（\d{4}年文件）", t):
        return Period(None, None, "unspecified")
    if re.fullmatch(r"(建成后|达产后|(投产后)?前\d+年)", t):
        return Period(None, None, "after_completion")
    raise ValueError(f"period {text!r} does not parse; use {', '.join(FORMS[:-1])} or {FORMS[-1]}")


def period_years(text: str) -> list[int]:
    """The calendar years a period names (2004-2024年 → [2004, 2024])."""
    return [int(y) for y in re.findall(r"\d{4}", text)]


def _month(m: str) -> str:
    return _MONTHS_EN[int(m) - 1]


# Each written form once: (pattern, its English, its URL code). A code is read from the text alone,
# so a new period never renames an old one's link.
_WORDS = [
    (r"(\d{4})年", lambda m: m[1], lambda m: m[1]),
    (r"(\d{4})年(\d{1,2})-(\d{1,2})月", lambda m: f"{_month(m[2])}–{_month(m[3])} {m[1]}",
     lambda m: f"{m[1]}-{int(m[2]):02d}..{m[1]}-{int(m[3]):02d}"),
    (r"(\d{4})年(\d{1,2})月", lambda m: f"{_month(m[2])} {m[1]}", lambda m: f"{m[1]}-{int(m[2]):02d}"),
    (r"(\d{4})年(一季度|上半年|前三季度|下半年)", lambda m: f"{m[1]} {_QUARTERS_EN[m[2]]}",
     lambda m: m[1] + _QUARTER_CODES[m[2]]),
    (r"(\d{4})年末", lambda m: f"{m[1]} year-end", lambda m: f"{m[1]}-end"),
    (r"截至(\d{4})年", lambda m: f"as of {m[1]}", lambda m: f"to-{m[1]}"),
    (r"(\d{4})年以来", lambda m: f"{m[1]} to date", lambda m: f"{m[1]}-to-date"),
    (r"(\d{4})-(\d{4})年", lambda m: f"{m[1]}–{m[2]}", lambda m: f"{m[1]}..{m[2]}"),
    (r"期间未注明（(\d{4})年文件）", lambda m: f"period not stated ({m[1]} document)", lambda m: f"unstated-{m[1]}"),
    (r"(\d+)个月累计（(\d{4})年文件）", lambda m: f"{m[1]}-month total, months not stated ({m[2]} document)",
     lambda m: f"{m[1]}m-total-{m[2]}"),
    (r"投产后前(\d+)年", lambda m: f"first {m[1]} years in operation", lambda m: f"after-start-{m[1]}y"),
    (r"前(\d+)年", lambda m: f"first {m[1]} years", lambda m: f"first-{m[1]}y"),
    (r"建成后", lambda m: "once built", lambda m: "after-built"),
    (r"达产后", lambda m: "at full capacity", lambda m: "after-full"),
]


def _words(text: str):
    t = (text or "").strip()
    for pattern, english, code in _WORDS:
        if m := re.fullmatch(pattern, t):
            return m, english, code
    return None


def period_en(text: str) -> str:
    """A written period in English: 2024 Q1–Q3, Jan–Oct 2024, as of 2024, 2022 year-end, once built."""
    found = _words(text)
    return found[1](found[0]) if found else (text or "").strip()


def period_code(text: str) -> str:
    """A written period's URL code: 2024年 → 2024, 2022年1-5月 → 2022-01..2022-05, 2024年前三季度 → 2024q1-q3,
    截至2024年 → to-2024, 建成后 → after-built; any other wording a stable hash (not readable)."""
    found = _words(text)
    return found[2](found[0]) if found else "p-" + hashlib.sha1(text.strip().encode()).hexdigest()[:8]
