"""Numbers as officials read them: 8000余家, 超180亿元, 5倍以上 — or in English, 'more than 8,000 firms'."""
import math
import re

# English keeps a number and its unit on one line: 8.839 bn yuan never wraps to "8.839 bn / yuan"
NBSP = "\u00a0"

from dashboard.i18n import TEXT, UNITS_EN, lang, qualifier_en, t
from etl.periods import period_en
from etl.signs import MINUS, direction, rank_fall_word, split_sign

# Chinese writes 余 between number and unit, 以上 after the unit, the rest before the number.
_BETWEEN = {"余"}
_AFTER = {"以上"}
_FRACTIONS_EN = {"二分之一": "one half", "三分之一": "one third", "四分之一": "one quarter", "五分之一": "one fifth"}


# A small count written in Chinese numerals (三个, 十二次) shows in digits, like the other figures
# (3个, 12次); the sentence in the hover keeps the words. Magnitude words stay (一万余名, 超千万次).
_NUMERALS = re.compile(r"[零一二两三四五六七八九十百]+")


def _plain(value: float, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{digits}f}"
    if "." in text:  # 12.50 → 12.5, but 510 stays 510
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def figure_text(value, unit: str, qualifier: str = "", value_text: str | None = None,
                measure: str = "level", rank_total=None, unit_en: str | None = None) -> str:
    """A figure as the documents write it (Chinese) or in international units (English)."""
    qualifier = "" if _missing(qualifier) else qualifier
    value_text = None if _missing(value_text) or value_text == "" else value_text
    if lang() == "en":
        return _english(value, unit, qualifier, measure, rank_total, unit_en, value_text)
    number = value_text or _plain(value)
    if _NUMERALS.fullmatch(number) and not _missing(value) and measure != "grade":  # 二等 is a class's name
        number = _plain(value)
    if measure == "rank":
        return f"第{number}" + (f"/{int(rank_total)}" if not _missing(rank_total) else "")
    if measure == "rank_from_bottom":  # counted from the last place: never read as first place
        return f"倒数第{number}"
    if measure == "grade":
        return f"{number}等"
    if measure == "rank_change":
        return f"{'提升' if value >= 0 else '下滑'}{split_sign(value_text)[1] if value_text else _plain(abs(value))}个位次"
    if measure in SIGNED_MEASURES and not _missing(value):  # the stored sign, whatever the words wrote
        number = ("+" if measure == "gap" and value >= 0 else MINUS if value < 0 else "") + split_sign(number)[1]
    unit_text = "" if unit == "分数" or unit in ("位", "等") else unit
    if qualifier in _BETWEEN:
        # 余 follows a magnitude word: 1万余件, 8000余家
        if len(unit_text) > 1 and unit_text[0] in "万亿":
            return f"{number}{unit_text[0]}{qualifier}{unit_text[1:]}"
        return f"{number}{qualifier}{unit_text}"
    if qualifier in _AFTER:
        return f"{number}{unit_text}{qualifier}"
    return f"{qualifier}{number}{unit_text}"


SIGNED_MEASURES = ("gap", "growth")  # a number that is negative for a fall: shown with its sign


def _written_decimals(value_text: str | None) -> int | None:
    """Decimals of the number as written (5385.74 → 2); None when it is not written in digits."""
    found = re.search(r"\d+(?:\.(\d+))?", value_text or "")
    return len(found.group(1) or "") if found else None


def _english(value, unit, qualifier, measure, rank_total, unit_en=None, value_text=None) -> str:
    if _missing(value):
        return "—"
    if measure == "rank":
        return f"#{_plain(value, 0)}" + (f" of {int(rank_total)}" if not _missing(rank_total) else "")
    if measure == "rank_from_bottom":
        return "last" if value == 1 else f"#{_plain(value, 0)} from the bottom"
    if measure == "grade":
        return f"grade {_plain(value, 0)}"
    if measure == "year":  # a calendar year (建厂 2004年), not a duration
        return f"{value:.0f}"
    if measure == "rank_change":
        return f"{'up' if value >= 0 else 'down'} {_plain(abs(value), 0)} places"
    if unit == "分数" and value_text in _FRACTIONS_EN:  # 三分之一 is "one third", not a made-up 33.33%
        return f"{qualifier_en(qualifier) if qualifier else ''} {_FRACTIONS_EN[value_text]}".strip()
    multiplier, unit_en = UNITS_EN.get(unit, (1, "" if _missing(unit_en) else unit_en))
    shown = value * multiplier
    # as precise as written, never rounded: 88.39亿元 is 8.839 bn yuan, 5385.74万美元 53.8574 m USD
    written = _written_decimals(value_text)
    digits = 2 if abs(shown) < 100 else 1
    if written is not None:
        digits = max(0, written - round(math.log10(multiplier)))
    if shown == 1 and unit_en.endswith("s"):
        unit_en = unit_en[:-1]  # 1 firm, 1 person
    sign = "+" if measure == "gap" and shown >= 0 else MINUS if shown < 0 else ""
    shown = abs(shown)
    # a unit sticks to its number (8.839 bn yuan); a count's words may wrap (236 / firms and projects)
    sep = "" if unit_en in ("%",) else NBSP if unit in UNITS_EN else " "
    if unit in UNITS_EN:
        unit_en = unit_en.replace(" ", NBSP)
    number = _plain(shown, digits)
    if written:  # a written 5.0 (6.7 − 1.7) keeps its zero: 5.0%, not 5%
        number = f"{shown:,.{digits}f}"
    if measure == "count" and shown >= 1_000_000 and shown % 100_000 == 0:  # 千万 → 10 million, not 10,000,000
        number = f"{_plain(shown / 1_000_000)}{NBSP}million"
    text = f"{sign}{number}{sep}{unit_en}".strip()
    prefix = qualifier_en(qualifier) if qualifier else ""
    return f"{prefix} {text}".strip()


def row_text(row) -> str:
    """figure_text for a row of the facts view (a dict or a pandas row)."""
    get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
    unit_en = get("unit_en")
    if get("measure") == "count" and f"count_word.{get('indicator')}" in TEXT:
        unit_en = TEXT[f"count_word.{get('indicator')}"][1]  # 105 projects, not 105 units
    return figure_text(get("value"), get("unit"), get("qualifier", ""), get("value_text"),
                       get("measure", "level"), get("rank_total"), unit_en)


def comparison(row) -> dict | None:
    """The one rule for what a comparison says, used by cards, slides, briefings, tables and
    downloads: a gap to the city, a growth or a change of rank, with its direction from the stored
    sign (negative is a fall) and the words of that direction — never 高于全市 beside a fall.

    {"arrow": "up" | "down" | "off", "words": "低于全市", "amount": "1.2个百分点" (no sign: the words
    say it), "text": "低于全市1.2个百分点"}; None for a figure that compares nothing."""
    get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
    measure = get("measure")
    if measure not in ("gap", "growth", "rank_change") or _missing(get("value")):
        return None
    arrow = direction(get("value"), measure)
    fall = arrow == "down"
    value, written = abs(float(get("value"))), get("value_text")
    written = None if _missing(written) or written == "" else split_sign(str(written))[1]
    if measure == "rank_change":
        n = written if written and not _NUMERALS.fullmatch(written) else _plain(value, 0)
        quote = get("quote")
        word = rank_fall_word(None if _missing(quote) else quote)
        text = t(f"rank_fall.{word}", n=n) if fall else t("up_places", n=n)
        return {"arrow": arrow, "words": "", "amount": text, "text": text}
    unsigned = {**(row if isinstance(row, dict) else dict(row)), "value": value, "value_text": written}
    amount = row_text(unsigned).lstrip("+")
    key = {"gap": ("vs_city", "below_city"), "growth": ("yoy", "yoy_fall")}[measure][fall]
    # the words around the amount as each language writes them: 同比增长17.1%, up 17.1% year on year
    return {"arrow": arrow, "words": t(key), "amount": amount, "text": t(f"{key}.text", amount=amount)}


def period_label(period) -> str:
    """A period as written (2024年前三季度) or in English (2024 Q1–Q3): every screen, chart, slide and
    download shows a period through this."""
    if period is None or (isinstance(period, float) and math.isnan(period)):
        return ""
    return period_en(period) if lang() == "en" else period


_MAGNITUDES = {"万": 4, "亿": 8}  # powers of ten


def in_one_unit(rows: list[dict]) -> list[str]:
    """row_text of each row, for a chart that compares them: Chinese amounts of one currency or thing
    in the largest magnitude among them (21.6亿美元, 2.08亿美元 and 0.538574亿美元, not 5385.74万美元),
    as precise as written. English already writes 亿美元 and 万美元 both in m USD."""
    if lang() == "en":
        return [row_text(r) for r in rows]
    top: dict[str, int] = {}
    for r in rows:
        unit = r.get("unit") or ""
        if unit[:1] in _MAGNITUDES and not _missing(r.get("value")):
            top[unit[1:]] = max(top.get(unit[1:], 0), _MAGNITUDES[unit[0]])
    texts = []
    for r in rows:
        unit = r.get("unit") or ""
        shift = top.get(unit[1:], 0) - _MAGNITUDES.get(unit[:1], 0) if unit[:1] in _MAGNITUDES else 0
        if shift <= 0 or r.get("measure") not in ("level", None):
            texts.append(row_text(r))
            continue
        digits = (_written_decimals(r.get("value_text")) or 0) + shift
        number = f"{r['value'] / 10 ** shift:.{digits}f}".rstrip("0").rstrip(".")
        texts.append(figure_text(r["value"] / 10 ** shift, next(m for m, p in _MAGNITUDES.items() if p == top[unit[1:]])
                                 + unit[1:], r.get("qualifier", ""), number, "level"))
    return texts
