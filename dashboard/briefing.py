"""Meeting briefings: slides as a PPTX deck and a PDF of the same pages.

Charts become PNG images rendered by kaleido in the system Chromium; one kaleido server
(a Chromium kept open) serves every export of the process, so a deck of ~15 charts takes
seconds, not a browser start per chart. KPI tables stay real tables; every page carries
its source footnote.
"""
from __future__ import annotations

import io
import math
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import kaleido
import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import ImageFont
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Emu, Inches, Pt

from dashboard import alerts
from dashboard.fmt import period_label
from dashboard.i18n import colon, lang, t
from dashboard.presenter import big_number
from dashboard.slides import TABLE_COLUMNS, Slide, for_screen
from dashboard.text import tokens

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
# fpdf2 embeds one face of the Noto CJK collection, subset to the characters used. Only the
# regular weight: loading and subsetting a second CJK face doubled the PDF's time (3.0 → 1.5 s).
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FACE = 2  # Noto Sans CJK SC within the .ttc
CJK_BOLD = CJK_FONT.with_name("NotoSansCJK-Bold.ttc")  # only to measure the PPTX's bold cells
PPT_FONT = "Microsoft YaHei"  # what officials' PowerPoint/WPS has; the PPTX names, not embeds, fonts
IMAGE_W, IMAGE_H = 1600, 700  # px of layout; 16:7 fills a 16:9 page under its title
IMAGE_SCALE = 2
SLIDE_W, SLIDE_H = 13.333, 7.5  # inches (16:9)
MARGIN, TITLE_H, BODY_TOP, FOOT_TOP = 0.5, 0.8, 1.2, 6.75
WARN_H = 0.45  # inches under the title for a chart's warnings (charts.notes): on paper as on the page
INK, GREY, WARN = (0x1F, 0x29, 0x37), (0x6B, 0x72, 0x80), (0xB4, 0x53, 0x09)
ITEM_PT = 12  # a list page's (预警) lines; its headings 16

Progress = Callable[[int, int, str], None]


@dataclass
class Cover:
    zone: str
    view: str  # which screen (or the whole dashboard) and its filters
    periods: str
    exported: str
    warning: str = ""  # stale data (预警): said on the cover, before anyone reads a page


def cover_for(deck: list[Slide], view: str) -> Cover:
    """The title page: the zone, the view, the data's periods (oldest first, undated last) and today's date."""
    rows = pd.concat([s.data for s in deck], ignore_index=True) if deck else pd.DataFrame()
    periods = []
    if not rows.empty:
        # a period by the end date any slide gives it (some slides' rows carry none); undated ones
        # (期间未注明, 2024年以来) after the dated ones, each in the order the deck first shows it
        ends = pd.to_datetime(rows.get("period_end"), errors="coerce").groupby(rows["period"], sort=False).min()
        periods = [period_label(p) for p in ends.sort_values(na_position="last", kind="stable").index]
    shown = (", " if lang() == "en" else "、").join(periods[:10]) + (t("briefing.more_periods", n=len(periods)) if len(periods) > 10 else "")
    stale = alerts.stale_alert()
    return Cover(zone=t("briefing.zone"), view=view, periods=f"{t('briefing.periods')}{colon()}{shown}",
                 exported=f"{t('briefing.exported')}{colon()}{alerts.today().isoformat()}",
                 warning=f"{alerts.heading(stale)}{colon()}{stale.text}" if stale else "")


# ---------- chart images ----------

_server = threading.Lock()  # one render at a time: the kaleido server is one queue per process
_started = False


def render_png(fig) -> bytes:
    """A chart in large type as a PNG, by the process's kaleido server (started on first use)."""
    global _started
    styled = for_screen(fig, IMAGE_H).update_layout(width=IMAGE_W)
    # scale 2: 3200×1400 px, sharp when a projector or a PDF viewer zooms in
    opts = {"format": "png", "width": IMAGE_W, "height": IMAGE_H, "scale": IMAGE_SCALE}
    with _server:
        if not _started:
            # mathjax=False: no CDN script; plotly.js comes from the installed plotly package
            kaleido.start_sync_server(path=CHROMIUM, mathjax=False, silence_warnings=True)
            _started = True
        return kaleido.calc_fig_sync(styled, opts=opts)


def render_images(deck: list[Slide], progress: Progress | None = None) -> list[bytes | None]:
    images = []
    for i, s in enumerate(deck):
        if progress:
            progress(i, len(deck), s.title)
        images.append(render_png(s.figure) if s.figure is not None and big_number(s.figure) is None else None)
    return images


def table_rows(s: Slide) -> list[list[str]]:
    """A KPI table as text: a header row, then one row per figure."""
    header = [t(key) for key in TABLE_COLUMNS.values()]
    body = s.table[list(TABLE_COLUMNS)].fillna("").astype(str).to_numpy().tolist()
    return [header] + body


CELL_MARGIN_X, CELL_MARGIN_Y = 0.08, 0.04  # inches, each side of a table cell
FPDF_ROOM = 0.98  # the PDF breaks a cell's lines 2% short of its width (fpdf measures a hair wider)
LINE = 1.2  # line height / font size


# Between a Chinese character and a Latin letter or digit, PowerPoint, WPS and LibreOffice add about
# a quarter em (East Asian autospacing): 2024年 is wider than its glyphs.
SLACK = 1.2  # room for a wider substitute font: LibreOffice draws YaHei's Latin in DejaVu Sans (bold: ~15% wider)
_CJK_LATIN = re.compile(r"(?<=[\u4e00-\u9fff])(?=[0-9A-Za-z])|(?<=[0-9A-Za-z%])(?=[\u4e00-\u9fff])")


@lru_cache(maxsize=16)
def _measure_font(size_pt: float, bold: bool) -> ImageFont.FreeTypeFont:
    # Noto Sans CJK SC's widths stand in for the named font's (Microsoft YaHei is as wide, give or take)
    return ImageFont.truetype(str(CJK_BOLD if bold else CJK_FONT), size=int(round(size_pt * 10)), index=CJK_FACE)


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """Inches the text takes at size_pt on one line, East Asian autospacing included."""
    spacing = len(_CJK_LATIN.findall(text)) * 0.25 * size_pt
    return (_measure_font(size_pt, bold).getlength(text) / 10 * SLACK + spacing) / 72


def wrap_lines(text: str, width_in: float, size_pt: float, bold: bool = False) -> list[str]:
    """Greedy lines of `text` no wider than width_in, breaking between tokens only (a token wider than
    the whole line stays whole: fit_table makes every column as wide as its widest token). A line
    keeps its trailing space, so the lines joined are the text again."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in tokens(paragraph):
            if line.strip() and not token.isspace() and text_width((line + token).strip(), size_pt, bold) > width_in:
                lines.append(line)
                line = ""
            line += token
        lines.append(line)
    return lines


# Columns whose cells are names, never broken if the table can fit otherwise: a value (88.39亿元), a
# period (2024年前三季度) and a document (2022年交流发言, not 2022年交流发 / 言).
WHOLE_COLUMNS = [list(TABLE_COLUMNS).index(c) for c in ("value", "period", "source")]


def fit_table(rows: list[list[str]], width_in: float, height_in: float, sizes=(16, 15, 14, 13, 12, 11)):
    """(font size, column widths, row heights) for a table that fills width_in and fits height_in:
    columns get what their longest cell needs, the widest share the rest and wrap (a token never
    splits, nor a cell of WHOLE_COLUMNS where the width allows); the largest font size whose rows fit."""
    bold = [[r == 0 or c == 1 for c in range(len(rows[0]))] for r in range(len(rows))]  # header, value column
    pad = 2 * CELL_MARGIN_X + 0.02
    whole = [c in WHOLE_COLUMNS for c in range(len(rows[0]))] if len(rows[0]) == len(TABLE_COLUMNS) else []
    for keep_names in (True, False):
        for size in sizes:
            columns = [list(zip(*pair)) for pair in zip(zip(*rows[1:] or rows), zip(*bold[1:] or bold))]
            widest = [max(text_width(cell, size, b) for cell, b in col) + pad
                      for col in (list(zip(*pair)) for pair in zip(zip(*rows), zip(*bold)))]
            floor = [max([text_width(tok, size, b) for cell, b in col for tok in tokens(cell)] or [0]) / FPDF_ROOM + pad
                     for col in (list(zip(*pair)) for pair in zip(zip(*rows), zip(*bold)))]
            if keep_names:  # whole on paper too, where lines break FPDF_ROOM short
                floor = [max(f, max(text_width(cell, size, b) for cell, b in columns[c]) / FPDF_ROOM + pad)
                         if whole and whole[c] else f for c, f in enumerate(floor)]
            widths = _water_fill([max(w, f) for w, f in zip(widest, floor)], floor, width_in)
            if widths is None:
                continue
            heights = [max(len(wrap_lines(cell, w - 2 * CELL_MARGIN_X, size, b)) for cell, w, b in zip(row, widths, bolds))
                       * size * LINE / 72 + 2 * CELL_MARGIN_Y for row, bolds in zip(rows, bold)]
            if sum(heights) <= height_in or (size == sizes[-1] and not keep_names):
                return size, widths, heights
    raise ValueError("a table token is wider than the page")


def _water_fill(need: list[float], floor: list[float], total: float) -> list[float] | None:
    """Widths summing to total: a column needing less than an equal share of what is left gets its
    need, the others share the rest equally (never below their widest token); None if they cannot."""
    widths = [0.0] * len(need)
    left, open_cols = total, list(range(len(need)))
    while open_cols:
        share = left / len(open_cols)
        small = [c for c in open_cols if need[c] <= share]
        if not small:
            break
        for c in small:
            widths[c] = need[c]
            left -= need[c]
        open_cols = [c for c in open_cols if c not in small]
    for c in open_cols:
        widths[c] = left / len(open_cols)
    if any(w < f for w, f in zip(widths, floor)):
        return None
    spare = total - sum(widths)
    return [w + spare * w / sum(widths) for w in widths]


def _cover_size(title: str, width_in: float, size: float) -> float:
    """The cover title's size: one line (the English zone name is long), never over the view below it."""
    while size > 18 and text_width(title, size, bold=True) > width_in:
        size -= 2
    return size


# ---------- PPTX ----------

def _font(run, size: float, *, bold: bool = False, color=INK) -> None:
    run.font.size, run.font.bold = Pt(size), bold
    run.font.color.rgb = RGBColor(*color)
    run.font.name = PPT_FONT
    # Chinese characters take the east-Asian font (a:ea), which python-pptx has no property for
    latin = run._r.get_or_add_rPr().find(qn("a:latin"))
    ea = latin.makeelement(qn("a:ea"), {"typeface": PPT_FONT})
    latin.addnext(ea)


def _text(slide, text: str, left, top, width, height, size: float, **style) -> None:
    frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        _font(run, size, **style)


def _footer(slide, note: str, number: int, total: int) -> None:
    _text(slide, note, MARGIN, FOOT_TOP, 10.2, 0.6, 10, color=GREY)
    _text(slide, f"{t('app_short')} · {number}/{total}", 10.9, FOOT_TOP, 2.0, 0.4, 10, color=GREY)


def pptx_bytes(cover: Cover, deck: list[Slide], images: list[bytes | None]) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    blank = prs.slide_layouts[6]
    total = len(deck) + 1

    first = prs.slides.add_slide(blank)
    _text(first, cover.zone, 1.0, 2.0, 11.3, 1.0, _cover_size(cover.zone, 11.1, 36), bold=True)
    _text(first, cover.view, 1.0, 3.1, 11.3, 0.8, 22)
    _text(first, f"{cover.periods}\n{cover.exported}", 1.0, 4.2, 11.3, 1.2, 14, color=GREY)
    if cover.warning:
        _text(first, cover.warning, 1.0, 5.4, 11.3, 0.9, 14, color=WARN)
    _footer(first, t("briefing.cover_note"), 1, total)

    body_w, body_h = SLIDE_W - 2 * MARGIN, FOOT_TOP - BODY_TOP - 0.1
    for number, (s, image) in enumerate(zip(deck, images), start=2):
        page = prs.slides.add_slide(blank)
        _text(page, s.title, MARGIN, 0.3, body_w, TITLE_H, 26, bold=True)
        top, height = _body(s)
        if s.warnings:
            _text(page, " ".join(s.warnings), MARGIN, BODY_TOP - 0.1, body_w, WARN_H, 12)
        if image is not None:
            # as wide as the page allows, keeping the image's 16:7
            width = min(body_w, height * IMAGE_W / IMAGE_H)
            page.shapes.add_picture(io.BytesIO(image), Inches(MARGIN + (body_w - width) / 2), Inches(top),
                                    width=Inches(width))
        elif (big := big_number(s.figure)) is not None:  # one figure: a big number, not a one-bar chart
            label, value, against = big
            _text(page, label, MARGIN, 2.2, body_w, 0.7, 24, color=GREY)
            _text(page, value, MARGIN, 2.9, body_w, 1.4, 54, bold=True)
            if against:
                _text(page, against, MARGIN, 4.4, body_w, 0.6, 22, color=GREY)
        elif s.items:
            _pptx_items(page, s.items, top, body_w)
        elif s.table is not None:
            rows = table_rows(s)
            size, widths, heights = fit_table(rows, body_w, body_h)
            shape = page.shapes.add_table(len(rows), len(rows[0]), Inches(MARGIN), Inches(BODY_TOP),
                                          Inches(body_w), Inches(sum(heights)))
            for col, w in zip(shape.table.columns, widths):
                col.width = Emu(Inches(w))
            for row, h in zip(shape.table.rows, heights):
                row.height = Emu(math.ceil(h * 914400))  # rounded up: a truncated EMU cuts the last line
            for r, values in enumerate(rows):
                for c, value in enumerate(values):
                    cell = shape.table.cell(r, c)
                    cell.margin_left = cell.margin_right = Inches(CELL_MARGIN_X)
                    cell.margin_top = cell.margin_bottom = Inches(CELL_MARGIN_Y)
                    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                    frame = cell.text_frame
                    frame.word_wrap = True
                    # the lines fit_table counted, with explicit breaks: PowerPoint breaks where the height
                    # was measured, never inside a figure (494.6亿元) or a word
                    paragraph = frame.paragraphs[0]
                    for i, line in enumerate(wrap_lines(value, widths[c] - 2 * CELL_MARGIN_X, size, r == 0 or c == 1)):
                        if i:
                            paragraph.add_line_break()
                        run = paragraph.add_run()
                        run.text = line
                        _font(run, size, bold=(r == 0 or c == 1), color=(0xFF, 0xFF, 0xFF) if r == 0 else INK)
        _footer(page, s.note, number, total)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _item_height(line: str, width_in: float, size_pt: float) -> float:
    """Inches a list page's line takes, wrapped as wrap_lines breaks it."""
    return len(wrap_lines(line, width_in * 0.98, size_pt)) * size_pt * LINE / 72


def _pptx_items(page, items: list[list[str]], top: float, width: float) -> None:
    """A list page (预警): each item's heading, then its lines, one text box per line so the heights add up."""
    y = top
    for lines in items:
        for i, line in enumerate(lines):
            size = ITEM_PT + 4 if i == 0 else ITEM_PT
            height = _item_height(line, width, size) + 0.04
            _text(page, line, MARGIN, y, width, height, size, bold=i == 0, color=INK if i == 0 else GREY)
            y += height
        y += 0.12


# ---------- PDF (the same pages) ----------

MM = 25.4  # per inch
HEADING = FontFace(family="cjk", color=(255, 255, 255), fill_color=(0x1F, 0x5F, 0x99))


class _Pdf(FPDF):
    def __init__(self):
        super().__init__(orientation="L", unit="mm", format=(SLIDE_H * MM, SLIDE_W * MM))
        self.set_auto_page_break(False)
        self.set_margins(MARGIN * MM, MARGIN * MM)
        self.add_font("cjk", "", CJK_FONT, collection_font_number=CJK_FACE)

    def text_box(self, text: str, top: float, size: float, *, width: float | None = None, left: float = MARGIN,
                 color=INK, align: str = "L") -> None:
        """Left-aligned text broken by wrap_lines (never inside a figure, a word or a name)."""
        width = width or SLIDE_W - 2 * MARGIN
        self.set_font("cjk", "", size)
        self.set_text_color(*color)
        self.set_xy(left * MM, top * MM)
        self.multi_cell(width * MM, size * 0.5, _broken(text, width, size), align=align, wrapmode="CHAR")

    def footer_note(self, note: str, number: int, total: int) -> None:
        self.text_box(note, FOOT_TOP, 9, width=10.2, color=GREY)
        self.text_box(f"{t('app_short')} · {number}/{total}", FOOT_TOP, 9, width=2.0, left=10.9, color=GREY,
                      align="R")


def pdf_bytes(cover: Cover, deck: list[Slide], images: list[bytes | None]) -> bytes:
    pdf = _Pdf()
    total = len(deck) + 1
    pdf.add_page()
    pdf.text_box(cover.zone, 2.0, _cover_size(cover.zone, SLIDE_W - 2 * MARGIN - 0.2, 30))
    pdf.text_box(cover.view, 3.1, 18)
    pdf.text_box(f"{cover.periods}\n{cover.exported}", 4.2, 12, color=GREY)
    if cover.warning:
        pdf.text_box(cover.warning, 5.4, 12, color=WARN)
    pdf.footer_note(t("briefing.cover_note"), 1, total)

    body_w, body_h = SLIDE_W - 2 * MARGIN, FOOT_TOP - BODY_TOP - 0.1
    for number, (s, image) in enumerate(zip(deck, images), start=2):
        pdf.add_page()
        pdf.text_box(s.title, 0.35, 22)
        top, height = _body(s)
        if s.warnings:
            pdf.text_box(" ".join(s.warnings), BODY_TOP - 0.1, 11)
        if image is not None:
            width = min(body_w, height * IMAGE_W / IMAGE_H)
            pdf.image(io.BytesIO(image), x=(MARGIN + (body_w - width) / 2) * MM, y=top * MM, w=width * MM)
        elif (big := big_number(s.figure)) is not None:
            label, value, against = big
            pdf.text_box(label, 2.2, 20, color=GREY)
            pdf.text_box(value, 2.9, 44)
            if against:
                pdf.text_box(against, 4.4, 18, color=GREY)
        elif s.items:
            y = top
            for lines in s.items:
                for i, line in enumerate(lines):
                    size = ITEM_PT + 4 if i == 0 else ITEM_PT
                    pdf.text_box(line, y, size, color=INK if i == 0 else GREY)
                    y = pdf.get_y() / MM  # where multi_cell ended: the next line starts under it
                y += 0.12
        elif s.table is not None:
            pdf.set_xy(MARGIN * MM, BODY_TOP * MM)
            rows = table_rows(s)
            size, widths, _heights = fit_table(rows, body_w, body_h, sizes=(13, 12, 11))
            pdf.set_font("cjk", "", size)
            pdf.set_text_color(*INK)
            # the PPTX's widths and line breaks; left-aligned: a justified English cell spreads its words
            with pdf.table(col_widths=widths, line_height=size * LINE * MM / 72, wrapmode="CHAR", text_align="LEFT",
                           padding=(CELL_MARGIN_Y * MM, CELL_MARGIN_X * MM), headings_style=HEADING,
                           width=body_w * MM) as table:
                for values in rows:
                    table.row([_broken(v, w - 2 * CELL_MARGIN_X, size) for v, w in zip(values, widths)])
        pdf.footer_note(s.note, number, total)
    return bytes(pdf.output())


def _body(s: Slide) -> tuple[float, float]:
    """Top and height (inches) of a page's chart: below the chart's warnings when it has any."""
    top = BODY_TOP + (WARN_H if s.warnings else 0)
    return top, FOOT_TOP - top - 0.1


def _broken(text: str, width_in: float, size_pt: float) -> str:
    """The text with a newline where wrap_lines breaks it (FPDF_ROOM narrower: fpdf measures a hair wider)."""
    return "\n".join(line.rstrip() for line in wrap_lines(text, width_in * FPDF_ROOM, size_pt))


def export(deck: list[Slide], cover: Cover, progress: Progress | None = None) -> tuple[bytes, bytes]:
    """(PPTX, PDF) of a cover page and the deck; `progress(i, n, title)` is told before each chart."""
    images = render_images(deck, progress)
    return pptx_bytes(cover, deck, images), pdf_bytes(cover, deck, images)
