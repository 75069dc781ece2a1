"""Periods as written (2024年1-9月, 2024年前三季度 …) → start and end dates."""
import calendar
import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    kind: str  # year, months, month, year_end, as_of, range, after_completion


# The written forms, as the validator's message and the import template list them.
FORMS = ("2024年", "2024年1-9月", "2024年5月", "2024年前三季度", "2024年末", "截至2024年", "2004-2024年", "建成后")
_QUARTERS = {"一季度": (1, 3), "上半年": (1, 6), "前三季度": (1, 9), "下半年": (7, 12)}


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
    if m := re.fullmatch(r"(\d{4})-(\d{4})年", t):
        a, b = int(m[1]), int(m[2])
        if a < b:
            return Period(date(a, 1, 1), date(b, 12, 31), "range")
    if re.fullmatch(r"(建成后|达产后|投产后前\d+年)", t):
        return Period(None, None, "after_completion")
    raise ValueError(f"period {text!r} does not parse; use {', '.join(FORMS[:-1])} or {FORMS[-1]}")
