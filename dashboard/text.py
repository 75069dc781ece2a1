"""Data and user text as plain text where Streamlit parses Markdown (st.caption, st.markdown,
st.metric's label and help, st.info …). A source title or a quote is data: an ![x](http://…) in it
must show as written, never make every viewer's browser fetch an image or follow a link."""
import html
import re

# the marks that start markup inside a line: emphasis, code, links and images ![…](…) and
# Streamlit's :red[…], HTML and autolinks <…>, tables, $math$ ("(", ":" alone mean nothing)
_MARKUP = re.compile(r"([\\`*_\[\]<>#!|~$])")
# bare addresses GFM turns into links after parsing, escapes or not (http://…, www.…, name@host):
# an invisible word joiner (U+2060) inside them keeps them text
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=ftp)(?=:)|(?<=www)(?=\.)|(?<=@)")
# and at the start of a block: a list item (- x, + x, 1. x)
_LEADING = re.compile(r"^(\s*)([-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))")


def plain(text) -> str:
    """`text` escaped so that Markdown shows it literally (a backslash before each mark, which
    Markdown removes); line breaks become spaces, as one caption line needs."""
    if text is None:
        return ""
    out = _MARKUP.sub(r"\\\1", str(text)).replace("\r", " ").replace("\n", " ")
    out = _AUTOLINK.sub("\u2060", out)
    return _LEADING.sub(lambda m: m[1] + (m[2] + "\\" if m[2][0].isdigit() else "\\" + m[2]), out, count=1)


# a month span's dash, between digits or month names: 1-9月, Jan–Sep; and the space before its year
_SPAN_DASH = re.compile(r"(?<=[\dA-Za-z])([-–])(?=[\dA-Z])")
_MONTH_YEAR = re.compile(r"(?<=\b[A-Z][a-z]{2}) (?=\d{4}\b)")


def unbroken(text: str) -> str:
    """`text` whose month spans never break: "（2024年1-" then "9月）" on the next line is a broken
    period. Word joiners (U+2060, invisible) hold the dash to its neighbours, a no-break space holds
    "Sep 2024" together."""
    return _MONTH_YEAR.sub("\u00a0", _SPAN_DASH.sub("\u2060\\1\u2060", text))


# a number and the unit or period word written right after it: 505.8亿元, 78.1亿元（2024年1-9月）
_NUMBER_UNIT = re.compile(r"(?<=\d)(?=[\u4e00-\u9fff%])")


def whole_figures(text: str) -> str:
    """unbroken(), and each figure held to its unit with a word joiner: a caption line that wraps
    between 505.8 and 亿元 reads as two things (a slide's card lines are plain text, not bold)."""
    return unbroken(_NUMBER_UNIT.sub("\u2060", text))


# ---------- line breaking: a figure or a word never split, Chinese between characters ----------
# (a briefing's table cells and a slide's axis labels break by the same rule)

# A run of digits, Latin letters and their marks with its unit (88.39亿元, 2024年, 1-10月, 8.839 bn yuan
# joined by no-break spaces) is one token; every other character (汉字, punctuation) is a token of its
# own; spaces are tokens (a line may break after one).
_TOKEN = re.compile(r"[0-9A-Za-z.,:%+\-−–_/#()'\u00a0]+余?(?:个百分点|亿美元|万美元|亿元|万元|万吨|万人|万件|"
                    r"[元吨人件个家项次名位倍年月日])?|[ \t]+|.", re.S)
# A line never starts with closing punctuation nor ends with opening punctuation (（2021 / ）): such a
# mark is one unit with the token it closes or opens.
_CLOSING, _OPENING = "）)】」』”’》〉、，。；：！？,.;:!?%", "（(【「『“‘《〈"
_GLUED = re.compile(rf"[{re.escape(_OPENING)}]*(?:{_TOKEN.pattern})[{re.escape(_CLOSING)}]*", re.S)


def tokens(text: str) -> list[str]:
    """The units a line may break between (a figure with its unit, a Chinese character, a space), each
    with the punctuation that opens or closes it."""
    return _GLUED.findall(text)


# ---------- a source document as readable text ----------

_HEADING = re.compile(r"^(#{1,6})\s+")
# where two lines of a paragraph join without a space: a slide broke a Chinese word or sentence
_WIDE = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’、，。；：！？（）《》■]")


def squeezed(text: str) -> tuple[str, list[int]]:
    """`text` without white space and ** marks (etl.validate.normalize_text's rule, by which the
    build found every quote in its document), and each kept character's position in `text`."""
    kept, where, i = [], [], 0
    while i < len(text):
        if text.startswith("**", i):
            i += 2
            continue
        if not text[i].isspace():
            kept.append(text[i])
            where.append(i)
        i += 1
    return "".join(kept), where


def quote_spans(text: str, quotes) -> list[tuple[int, int]]:
    """Where each quote is in `text` (its first occurrence), as [start, end) of the original
    characters, though the text breaks lines or marks bold inside the sentence."""
    flat, where = squeezed(text)
    spans = []
    for quote in quotes:
        needle = squeezed(quote or "")[0]
        at = flat.find(needle) if needle else -1
        if at >= 0:
            spans.append((where[at], where[at + len(needle) - 1] + 1))
    return sorted(spans)


def _blocks(text: str) -> list[tuple[int, list[tuple[int, int]]]]:
    """The document's headings and paragraphs: (heading level or 0, [(start, end) of each line's
    text]). Blank lines only separate; a heading's "#" marks and the lines' edges are not kept."""
    blocks, lines, pos = [], [], 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        heading = _HEADING.match(raw)
        body = raw[heading.end():] if heading else raw
        lead = len(body) - len(body.lstrip())
        a = start + (heading.end() if heading else 0) + lead
        b = end - (len(raw) - len(raw.rstrip()))
        if heading or a >= b:
            if lines:
                blocks.append((0, lines))
                lines = []
            if heading and a < b:
                blocks.append((len(heading[1]), [(a, b)]))
        else:
            lines.append((a, b))
    if lines:
        blocks.append((0, lines))
    return blocks


def _marked(text: str, a: int, b: int, spans) -> str:
    """text[a:b] escaped for HTML, the parts inside `spans` in <mark>."""
    out, i = [], a
    for s, e in spans:
        s, e = max(s, a), min(e, b)
        if s >= e or e <= i:
            continue
        out += [html.escape(text[i:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
        i = e
    out.append(html.escape(text[i:b]))
    return "".join(out).replace("**", "")


def document_html(text: str, spans=()) -> str:
    """A source text as HTML to read: its "#" lines as headings, its paragraphs as paragraphs
    (a slide's broken lines joined), no runs of blank lines, and `spans` (quote_spans) marked."""
    parts = []
    for level, lines in _blocks(text):
        pieces = []
        for (a, b), following in zip(lines, [*lines[1:], None]):
            pieces.append(_marked(text, a, b, spans))
            if following and not (_WIDE.match(text[b - 1]) and _WIDE.match(text[following[0]])):
                pieces.append(" ")
        tag = f"h{min(level + 2, 6)}" if level else "p"
        parts.append(f"<{tag}>{''.join(pieces)}</{tag}>")
    return "\n".join(parts)
