"""Numbers as written in the documents: Arabic (494.6) or Chinese (一万, 四分之一, 十二)."""
import re

from etl.signs import split_sign

_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_ARABIC = re.compile(r"^[0-9]+(\.[0-9]+)?$")  # ASCII: \d takes full-width digits too
CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)


def _chinese_integer(text: str) -> int:
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            # 十二 has no leading digit: it means 一十二
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        elif ch in _BIG_UNITS:
            section += digit or 0
            total += (section or 1) * _BIG_UNITS[ch]
            section, digit = 0, None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + (digit or 0)


def parse_number(text: str) -> float:
    """The value a written number stands for; ValueError if it is not one. A sign is read as
    written (a table's fall: −5.6, -5.6, －5.6); a fraction needs both its parts, and a
    denominator that is not 0 (零分之一, 分之一 and 四分之 are not numbers)."""
    sign, text = split_sign(text)
    if split_sign(text)[1] != text:  # --5, +-3: one sign at most
        raise ValueError(f"not a number: {text!r}")
    return sign * _unsigned(text)


def _unsigned(text: str) -> float:
    if _ARABIC.match(text):
        return float(text)
    if "分之" in text:  # 四分之一 = 1/4
        denominator, numerator = text.split("分之", 1)
        if not denominator or not numerator:
            raise ValueError(f"not a number (a fraction needs both parts): {text!r}")
        bottom = _chinese_integer(denominator)
        if bottom == 0:
            raise ValueError(f"not a number (a fraction's denominator is 0): {text!r}")
        return _chinese_integer(numerator) / bottom
    if text and all(ch in CHINESE_NUMERAL_CHARS for ch in text):
        return float(_chinese_integer(text))
    raise ValueError(f"not a number: {text!r}")


# Full-width digits, decimal point and per cent as ASCII, character for character: a place in the
# normalised text is the same place in the text as written (a quote is cut from the text as written).
# The extractor reads (and stores value_text) in these; the check finds ６．５ of a quote as 6.5.
WIDE, NARROW = "０１２３４５６７８９．％", "0123456789.%"
_WIDTH = str.maketrans(WIDE, NARROW)


def normalize(text: str) -> str:
    """The text with full-width digits, ． and ％ as ASCII (same length)."""
    return text.translate(_WIDTH)
