"""One rule for a comparison's direction: the words that make a figure a fall, and the signs a
number may be written with (a table writes a fall as −5.6, -5.6 or －5.6). The validator, the
extractor and every screen, slide and download read a direction from here."""
import re

# a fall, as documents write it: 低于全市, 同比下降, 较上年后退14个位次, 负增长 …
# a growth's or an amount's fall written just before its number (同比下降3.5%)
AMOUNT_FALL_WORDS = ("下降", "下滑", "减少", "回落", "降低")
FALL_WORDS = AMOUNT_FALL_WORDS + ("低于", "后退", "后移", "负增长", "下跌", "萎缩")
# a rank's fall: the words a rank change may say it with (the first is said when the quote names none)
RANK_FALL_WORDS = ("下滑", "后退", "下降", "后移")
MINUS_SIGNS = "-−－"  # ASCII hyphen-minus, U+2212 minus, U+FF0D full-width hyphen-minus
PLUS_SIGNS = "+＋"
SIGNED = re.compile(rf"^([{MINUS_SIGNS}{PLUS_SIGNS}])\s*")
MINUS = "\u2212"  # how a screen writes a negative number


def says_fall(text: str | None) -> bool:
    """The text says a fall in words."""
    return bool(text) and any(w in text for w in FALL_WORDS)


def split_sign(written: str) -> tuple[int, str]:
    """(−1, '5.6') for −5.6, -5.6 or －5.6; (+1, '5.6') for +5.6 or 5.6."""
    written = written.strip()
    match = SIGNED.match(written)
    if not match:
        return 1, written
    return (-1 if match[1] in MINUS_SIGNS else 1), written[match.end():]


def written_negative(written: str | None) -> bool:
    """The number is written with a minus sign: a fall as written, its own fall word."""
    return bool(written) and split_sign(str(written))[0] < 0


def direction(value, measure: str | None = None) -> str:
    """'up', 'down' or 'off' (no direction) for a figure that compares: a gap to the city, a growth,
    a change of rank. Negative is a fall (data rule: a value is negative only for a fall)."""
    if measure not in (None, "gap", "growth", "rank_change"):
        return "off"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "off"
    if number != number or number == 0:  # NaN or zero
        return "off"
    return "up" if number > 0 else "down"


def rank_fall_word(quote: str | None) -> str:
    """The word the quote says a rank's fall with (后退, 下滑 …); 下滑 if it names none."""
    return next((w for w in RANK_FALL_WORDS if quote and w in quote), RANK_FALL_WORDS[0])
