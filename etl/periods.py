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
FORMS = ("2024年", "2024年1-9月", "2024年5月", "2024年前三季度", "2024年末", "2024年6月末", "截至2024年", "2024年以来",
         "2004-2024年", "期间未注明（2024年文件）", "7个月累计（2024年文件）", "建成后")
# Kinds that name calendar years: the quote (or the document's own "今年", "1-9月") must say which.
CALENDAR_KINDS = ("year", "months", "month", "year_end", "month_end", "range", "to_date")
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
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月末", t):  # 截至6月末: a stock at the end of June
        y, a = int(m[1]), int(m[2])
        if 1 <= a <= 12:
            return Period(_month_end(y, a), _month_end(y, a), "month_end")
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


def _months(written: str) -> int:
    """前四月 / 前4个月: the number of months, in digits or Chinese."""
    return int(written) if written.isdigit() else "一二三四五六七八九十".index(written[-1]) + 1 + (10 if len(written) > 1 else 0)


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
    (r"(\d{4})年(\d{1,2})月末", lambda m: f"end of {_month(m[2])} {m[1]}", lambda m: f"{m[1]}-{int(m[2]):02d}-end"),
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


# ---------- the periods a text writes: one grammar for the extractor (etl.extract) and the check ----------

# ASCII for the digits and dashes a report may write full-width or as other dashes: the same length,
# so a place in the normalised text is the same place in the text as written.
_WIDTH = str.maketrans("０１２３４５６７８９．～－—–―", "0123456789.~----")
_TO = re.compile(r"(?<=[0-9年])[至到](?=[0-9])")
DASH = r"[-~]"  # after normalize(): 1-6月, 1~4月, 1—6月, 1–6月, 1至6月, 1～6月, １－６月


def normalize(text: str) -> str:
    """The text with full-width digits, full stops in numbers and every dash or 至 between two numbers
    as ASCII, character for character (same length)."""
    return _TO.sub("~", text.translate(_WIDTH))


_QUARTER = "一季度|上半年|前三季度|下半年"
# (pattern on normalize(text), the period as parse_period writes it; y = the year the text is dated by)
MENTIONS = [
    (r"截至(\d{4})年(?:底|末)", lambda m, y: f"{m[1]}年末"),
    (r"截至(\d{4})年(\d{1,2})月(?:末|底)", lambda m, y: f"{m[1]}年{int(m[2])}月末"),
    (r"截至(\d{4})年(?!\d)", lambda m, y: f"截至{m[1]}年"),
    (rf"(\d{{4}})年?{DASH}(\d{{4}})年", lambda m, y: f"{m[1]}-{m[2]}年"),
    (rf"(\d{{4}})年(\d{{1,2}}){DASH}(\d{{1,2}})月份?", lambda m, y: f"{m[1]}年{int(m[2])}-{int(m[3])}月"),
    (rf"(\d{{4}})年({_QUARTER})", lambda m, y: f"{m[1]}年{m[2]}"),
    (r"(\d{4})年(?:底|末)", lambda m, y: f"{m[1]}年末"),
    (r"(\d{4})年(\d{1,2})月(?:末|底)", lambda m, y: f"{m[1]}年{int(m[2])}月末"),
    (r"(\d{4})年(\d{1,2})月份?(?!\d{1,2}日)", lambda m, y: f"{m[1]}年{int(m[2])}月"),
    (r"(\d{4})年以来", lambda m, y: f"{m[1]}年以来"),
    (r"(?<![\d.])(\d{2})年以来", lambda m, y: f"20{m[1]}年以来"),  # 15年以来 in a 2015 report
    (r"(\d{4})年(?![\d底末])", lambda m, y: f"{m[1]}年"),
    (r"截至(\d{1,2})月(?:末|底)", lambda m, y: f"{y}年{int(m[1])}月末"),
    (rf"(?<![\d.])(\d{{1,2}}){DASH}(\d{{1,2}})月份?", lambda m, y: f"{y}年{int(m[1])}-{int(m[2])}月"),
    (r"前([2-9]|1[0-2]|[二三四五六七八九]|十[一二]?)个?月", lambda m, y: f"{y}年1-{_months(m[1])}月"),  # 前四月, 前4个月
    (r"(?<![\d.\-~])(\d{1,2})月(?:份|当月)?(?!\d{1,2}日|\d)", lambda m, y: f"{y}年{int(m[1])}月"),
    (rf"(?:今年|本年)?({_QUARTER})", lambda m, y: f"{y}年{m[1]}"),
    (r"(?<![较比与同])(?:去年|上年)(?:底|末)", lambda m, y: f"{y - 1}年末"),
    (r"(?<![较比与同])(?:去年|上年)(?!同期|末|底)", lambda m, y: f"{y - 1}年"),
    (r"今年以来", lambda m, y: f"{y}年以来"),
    (r"(?:今年|全年|本年)(?:底|末)|(?<![上去前\d])(?:年末|年底)", lambda m, y: f"{y}年末"),
    (r"今年|全年|本年", lambda m, y: f"{y}年"),
    (r"建成后|投产后|达产后", lambda m, y: "建成后"),
]
MENTIONS = [(re.compile(p), make) for p, make in MENTIONS]
# a period written after these is what a figure is compared with (降幅较一季度收窄, 比1-5月份提高), not its own
_REFERENCE = re.compile(r"(较|比|与|同|于|相比)$")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    period: str  # as parse_period writes it
    reference: bool  # 较一季度: the period compared with, not the figure's


def mentions(text: str, year: int) -> list[Mention]:
    """Every period written in the text, in text order; y = the year a span written without one is
    dated by (the document's, or its headline's). Earlier patterns take their characters first."""
    norm = normalize(text)
    found, taken = [], [False] * len(norm)
    for pattern, make in MENTIONS:
        for m in pattern.finditer(norm):
            if not any(taken[m.start():m.end()]):
                period = make(m, year)
                try:
                    parse_period(period)
                except ValueError:  # 13-15月, 0月: not a period
                    continue
                reference = bool(_REFERENCE.search(norm[max(0, m.start() - 2):m.start()]))
                found.append(Mention(m.start(), m.end(), period, reference))
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
    return sorted(found, key=lambda x: x.start)


def dated_by(text: str, period: str, year: int | None) -> bool:
    """Whether the text writes this period, its years dated by `year` where it writes none (今年, 1-6月,
    上半年, 截至6月末 …)."""
    return year is not None and any(m.period == period and not m.reference for m in mentions(text, year))
