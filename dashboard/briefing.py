"""Meeting briefings: slides as a PPTX deck and a PDF of the same pages.

Charts become PNG images rendered by kaleido in the system Chromium; one kaleido server
(a Chromium kept open) serves every export of the process, so a deck of ~15 charts takes
seconds, not a browser start per chart. KPI tables stay real tables; every page carries
its source footnote.
"""
from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import kaleido
import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dashboard.fmt import period_label
from dashboard.i18n import colon, lang, t
from dashboard.slides import TABLE_COLUMNS, Slide, for_screen

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
# fpdf2 embeds one face of the Noto CJK collection, subset to the characters used. Only the
# regular weight: loading and subsetting a second CJK face doubled the PDF's time (3.0 → 1.5 s).
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FACE = 2  # Noto Sans CJK SC within the .ttc
PPT_FONT = "Microsoft YaHei"  # what officials' PowerPoint/WPS has; the PPTX names, not embeds, fonts
IMAGE_W, IMAGE_H = 1600, 700  # px; 16:7 fills a 16:9 page under its title
SLIDE_W, SLIDE_H = 13.333, 7.5  # inches (16:9)
MARGIN, TITLE_H, BODY_TOP, FOOT_TOP = 0.5, 0.8, 1.2, 6.75
INK, GREY = (0x1F, 0x29, 0x37), (0x6B, 0x72, 0x80)

Progress = Callable[[int, int, str], None]


@dataclass
class Cover:
    zone: str
    view: str  # which screen (or the whole dashboard) and its filters
    periods: str
    exported: str


def cover_for(deck: list[Slide], view: str) -> Cover:
    """The title page: the zone, the view, the data's periods (oldest first) and today's date."""
    rows = pd.concat([s.data for s in deck], ignore_index=True) if deck else pd.DataFrame()
    periods = []
    if not rows.empty:
        periods = [period_label(p) for p in dict.fromkeys(rows.sort_values("period_end", na_position="first")["period"])]
    shown = (", " if lang() == "en" else "、").join(periods[:10]) + (t("briefing.more_periods", n=len(periods)) if len(periods) > 10 else "")
    return Cover(zone=t("briefing.zone"), view=view, periods=f"{t('briefing.periods')}{colon()}{shown}",
                 exported=f"{t('briefing.exported')}{colon()}{date.today().isoformat()}")


# ---------- chart images ----------

_server = threading.Lock()  # one render at a time: the kaleido server is one queue per process
_started = False


def render_png(fig) -> bytes:
    """A chart in large type as a PNG, by the process's kaleido server (started on first use)."""
    global _started
    styled = for_screen(fig, IMAGE_H).update_layout(width=IMAGE_W)
    opts = {"format": "png", "width": IMAGE_W, "height": IMAGE_H}
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
        images.append(render_png(s.figure) if s.figure is not None else None)
    return images


def table_rows(s: Slide) -> list[list[str]]:
    """A KPI table as text: a header row, then one row per figure."""
    header = [t(key) for key in TABLE_COLUMNS.values()]
    body = s.table[list(TABLE_COLUMNS)].fillna("").astype(str).to_numpy().tolist()
    return [header] + body


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
    _text(first, cover.zone, 1.0, 2.0, 11.3, 1.0, 36, bold=True)
    _text(first, cover.view, 1.0, 3.1, 11.3, 0.8, 22)
    _text(first, f"{cover.periods}\n{cover.exported}", 1.0, 4.2, 11.3, 1.6, 14, color=GREY)
    _footer(first, t("briefing.cover_note"), 1, total)

    body_w, body_h = SLIDE_W - 2 * MARGIN, FOOT_TOP - BODY_TOP - 0.1
    for number, (s, image) in enumerate(zip(deck, images), start=2):
        page = prs.slides.add_slide(blank)
        _text(page, s.title, MARGIN, 0.3, body_w, TITLE_H, 26, bold=True)
        if image is not None:
            # as wide as the page allows, keeping the image's 16:7
            width = min(body_w, body_h * IMAGE_W / IMAGE_H)
            page.shapes.add_picture(io.BytesIO(image), Inches(MARGIN + (body_w - width) / 2), Inches(BODY_TOP),
                                    width=Inches(width))
        elif s.table is not None:
            rows = table_rows(s)
            height = min(body_h, 0.55 * len(rows))
            shape = page.shapes.add_table(len(rows), len(rows[0]), Inches(MARGIN), Inches(BODY_TOP),
                                          Inches(body_w), Inches(height))
            widths = [3.2, 2.3, 2.6, 1.9, 2.333]
            for col, w in zip(shape.table.columns, widths):
                col.width = Emu(Inches(w))
            for r, values in enumerate(rows):
                for c, value in enumerate(values):
                    frame = shape.table.cell(r, c).text_frame
                    frame.word_wrap = True
                    run = frame.paragraphs[0].add_run()
                    run.text = value
                    _font(run, 14 if r == 0 else 16, bold=(r == 0 or c == 1),
                          color=(0xFF, 0xFF, 0xFF) if r == 0 else INK)
        _footer(page, s.note, number, total)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# ---------- PDF (the same pages) ----------

MM = 25.4  # per inch
HEADING = FontFace(family="cjk", color=(255, 255, 255), fill_color=(0x1F, 0x5F, 0x99))


class _Pdf(FPDF):
    def __init__(self):
        super().__init__(orientation="L", unit="mm", format=(SLIDE_H * MM, SLIDE_W * MM))
        self.set_auto_page_break(False)
        self.set_margins(MARGIN * MM, MARGIN * MM)
        self.add_font("cjk", "", CJK_FONT, collection_font_number=CJK_FACE)
        # Chinese has no spaces to break at
        self.wrap = "CHAR" if lang() == "zh" else "WORD"

    def text_box(self, text: str, top: float, size: float, *, width: float | None = None, left: float = MARGIN,
                 color=INK, align: str = "L") -> None:
        self.set_font("cjk", "", size)
        self.set_text_color(*color)
        self.set_xy(left * MM, top * MM)
        self.multi_cell((width or SLIDE_W - 2 * MARGIN) * MM, size * 0.5, text, align=align, wrapmode=self.wrap)

    def footer_note(self, note: str, number: int, total: int) -> None:
        self.text_box(note, FOOT_TOP, 9, width=10.2, color=GREY)
        self.text_box(f"{t('app_short')} · {number}/{total}", FOOT_TOP, 9, width=2.0, left=10.9, color=GREY,
                      align="R")


def pdf_bytes(cover: Cover, deck: list[Slide], images: list[bytes | None]) -> bytes:
    pdf = _Pdf()
    total = len(deck) + 1
    pdf.add_page()
    pdf.text_box(cover.zone, 2.0, 30)
    pdf.text_box(cover.view, 3.1, 18)
    pdf.text_box(f"{cover.periods}\n{cover.exported}", 4.2, 12, color=GREY)
    pdf.footer_note(t("briefing.cover_note"), 1, total)

    body_w, body_h = SLIDE_W - 2 * MARGIN, FOOT_TOP - BODY_TOP - 0.1
    for number, (s, image) in enumerate(zip(deck, images), start=2):
        pdf.add_page()
        pdf.text_box(s.title, 0.35, 22)
        if image is not None:
            width = min(body_w, body_h * IMAGE_W / IMAGE_H)
            pdf.image(io.BytesIO(image), x=(MARGIN + (body_w - width) / 2) * MM, y=BODY_TOP * MM, w=width * MM)
        elif s.table is not None:
            pdf.set_xy(MARGIN * MM, BODY_TOP * MM)
            pdf.set_font("cjk", "", 13)
            pdf.set_text_color(*INK)
            rows = table_rows(s)
            with pdf.table(col_widths=(3.2, 2.3, 2.6, 1.9, 2.333), line_height=8, wrapmode=pdf.wrap,
                           headings_style=HEADING, width=body_w * MM) as table:
                for values in rows:
                    table.row(values)
        pdf.footer_note(s.note, number, total)
    return bytes(pdf.output())


def export(deck: list[Slide], cover: Cover, progress: Progress | None = None) -> tuple[bytes, bytes]:
    """(PPTX, PDF) of a cover page and the deck; `progress(i, n, title)` is told before each chart."""
    images = render_images(deck, progress)
    return pptx_bytes(cover, deck, images), pdf_bytes(cover, deck, images)
