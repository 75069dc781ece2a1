"""Data and user text as plain text where Streamlit parses Markdown (st.caption, st.markdown,
st.metric's label and help, st.info …). A source title or a quote is data: an ![x](http://…) in it
must show as written, never make every viewer's browser fetch an image or follow a link."""
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
