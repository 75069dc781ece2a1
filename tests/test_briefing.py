"""The briefing export: a PPTX deck and a PDF of the same pages, from the slide catalog."""
import io
import itertools
import re
import subprocess

import duckdb
import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Emu

from dashboard import briefing, presenter, slides, text
from dashboard.fmt import row_text
from queries import db_path


@pytest.fixture(scope="module")
def exported():
    deck = slides.deck({})
    pptx, pdf = briefing.export(deck, briefing.cover_for(deck, "总览"))
    return deck, Presentation(io.BytesIO(pptx)), pdf


def cell_text(cell) -> str:
    """A table cell's text without the line breaks the export put in (between tokens)."""
    return cell.text.replace("\v", "")


def texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_deck_covers_every_screen_with_charts_and_tables(exported):
    deck, _, _ = exported
    assert [p for p in slides.pages()] == ["overview", "economy", "clusters", "projects", "trade", "party",
                                           "benchmarks", "targets", "alerts"]
    assert {s.page for s in deck} == set(slides.pages())
    assert sum(s.figure is not None for s in deck) >= 14 and sum(s.table is not None for s in deck) >= 5


def test_pptx_has_a_cover_and_one_titled_slide_per_deck_slide(exported):
    deck, prs, _ = exported
    assert len(prs.slides) == len(deck) + 1
    cover = texts(prs.slides[0])
    assert cover[0] == "聊城经济技术开发区" and cover[1] == "总览"
    assert "2024年前三季度" in cover[2] and "导出日期" in cover[2]
    for s, page in zip(deck, list(prs.slides)[1:]):
        assert texts(page)[0] == s.title


def test_chart_slides_have_an_image_and_tables_are_real_tables(exported):
    deck, prs, _ = exported
    for s, page in zip(deck, list(prs.slides)[1:]):
        pictures = [sh for sh in page.shapes if sh.shape_type == 13]
        tables = [sh for sh in page.shapes if sh.has_table]
        if (big := presenter.big_number(s.figure)) is not None:  # a single figure: a big number, no chart
            assert not pictures and not tables and big[1] in texts(page), s.title
        elif s.figure is not None:
            assert len(pictures) == 1 and not tables, s.title
            assert pictures[0].width > Emu(10 * 914400)  # a chart fills the page's width (inches)
        elif s.items:  # the alerts (预警): each item's lines as text, no picture, no table
            assert not pictures and not tables, s.title
            assert all(line in texts(page) for item in s.items for line in item), s.title
        else:
            assert len(tables) == 1 and not pictures, s.title
            assert len(tables[0].table.rows) == len(s.table) + 1


def test_kpi_table_holds_the_database_values(exported):
    deck, prs, _ = exported
    table = next(sh.table for sh in prs.slides[1].shapes if sh.has_table)
    rows = {cell_text(table.cell(r, 0)): cell_text(table.cell(r, 1)) for r in range(1, len(table.rows))}
    with duckdb.connect(str(db_path()), read_only=True) as con:
        facts = con.sql("SELECT * FROM facts WHERE figure_id IN ('wr24_gdp_growth_2024q3', 'wr24_trade_2024m1_10', "
                        "'wr24_above_scale_firms_2024')").df().set_index("figure_id")
    assert rows["地区生产总值增速"] == row_text(facts.loc["wr24_gdp_growth_2024q3"].to_dict()) == "8%"
    assert rows["进出口总额（1-10月）"] == row_text(facts.loc["wr24_trade_2024m1_10"].to_dict()) == "88.39亿元"
    assert rows["规模以上企业数"] == row_text(facts.loc["wr24_above_scale_firms_2024"].to_dict())


def test_every_slide_has_its_source_footnote(exported):
    deck, prs, _ = exported
    for s, page in zip(deck, list(prs.slides)[1:]):
        assert s.note and s.note in texts(page), s.title
        assert "来源" in s.note or "推算" in s.note


def test_pdf_has_the_same_pages_and_none_is_blank(exported, tmp_path):
    deck, _, pdf = exported
    (tmp_path / "deck.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "24", "-png", str(tmp_path / "deck.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(deck) + 1
    for path in pages:
        gray = Image.open(path).convert("L")
        inked = sum(gray.histogram()[:200]) / (gray.width * gray.height)
        assert inked > 0.01, f"{path.name} is blank ({inked:.3%} inked)"


def test_officials_see_no_internal_ids_and_formulas_read_in_words(exported):
    """Every slide's footer, table and chart hovers in the PPTX: formulas in words, never figure ids."""
    import json
    import re
    deck, prs, _ = exported
    ids = re.compile(r"\b(?:wr24|sd22|drv)_[a-z0-9_]+")
    for s, page in zip(deck, list(prs.slides)[1:]):
        shown = texts(page) + [cell_text(c) for sh in page.shapes if sh.has_table for r in sh.table.rows for c in r.cells]
        assert not any(ids.search(x) for x in shown), (s.title, shown)
        if s.figure is not None:
            assert not ids.search(json.dumps(s.figure.to_plotly_json()["data"], default=str)), s.title
    notes = " ".join(s.note for s in deck)
    assert "推算：全市GDP增速 = 开发区地区生产总值增速 8% − 地区生产总值较全市 2.5个百分点" in notes


def test_kpi_slides_name_the_measure_and_the_rank_position(exported):
    deck, prs, _ = exported
    table = next(sh.table for sh in prs.slides[1].shapes if sh.has_table)
    labels = [cell_text(table.cell(r, 0)) for r in range(1, len(table.rows))]
    assert labels[:3] == ["地区生产总值增速", "第二产业增加值增速", "第三产业增加值增速"]  # growth rates, not levels
    assert "实施类（推断）重点项目完成投资（1-9月）" in labels  # 1-9月 完成, not the year's plan
    ranks = next(sh.table for sh in prs.slides[2].shapes if sh.has_table)
    compare = " ".join(cell_text(ranks.cell(r, 2)) for r in range(1, len(ranks.rows)))
    assert "位于后约11.3%、倒数第18" in compare and "89.4" not in compare and "10.6" not in compare


def test_a_total_of_twelve_parks_is_said_so_on_the_peer_slides(exported):
    deck, _, _ = exported
    peers = [s for s in deck if s.figure is not None and "烟台经开区12个省级及以上园区" in s.data["entity"].tolist()]
    assert len(peers) == 2  # FDI and trade compared
    for s in peers:
        assert "烟台经开区12个省级及以上园区为多个园区的合计，不是一个园区" in s.figure.layout.xaxis.title.text, s.title


def test_every_table_cell_fits_its_cell_at_the_decks_font_size(exported):
    """Each line of each KPI table cell, measured with the CJK font's metrics at its run's size (bold
    where bold), is no wider than its column; the lines fit the row's height; a line breaks only
    between tokens (never 88.39亿/元, 2024/年 or implementa/tion), never before closing punctuation
    (（2021 / ）), and never inside a value, period or document (2022年交流发 / 言); the table ends above
    the footnote."""
    import re
    _, prs, _ = exported
    emu = 914400
    checked = 0
    for number, page in enumerate(prs.slides, start=1):
        for shape in (sh for sh in page.shapes if sh.has_table):
            table = shape.table
            assert (shape.top + sum(r.height for r in table.rows)) / emu <= briefing.FOOT_TOP, number
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row.cells):
                    runs = [run for p in cell.text_frame.paragraphs for run in p.runs]
                    size, bold = runs[0].font.size.pt, bool(runs[0].font.bold)
                    room = (table.columns[c].width - cell.margin_left - cell.margin_right) / emu
                    lines = cell.text.split("\v")
                    for line in lines:
                        assert briefing.text_width(line.strip(), size, bold) <= room + 1e-6, (number, line, room)
                    assert not any(line.startswith(tuple(text._CLOSING)) for line in lines[1:]), (number, lines)
                    if r > 0 and c in briefing.WHOLE_COLUMNS:  # a value, period or document name is whole
                        assert len(lines) == 1, (number, lines)
                    height = len(lines) * size * briefing.LINE / 72 + (cell.margin_top + cell.margin_bottom) / emu
                    assert height <= row.height / emu + 1e-6, (number, cell.text)
                    ends = set(itertools.accumulate(len(tok) for tok in briefing.tokens("".join(lines))))
                    breaks = [len("".join(lines[:i + 1])) for i in range(len(lines) - 1)]
                    assert all(b in ends for b in breaks), (number, lines)
                    checked += 1
    assert checked > 100


def test_chart_images_are_rendered_at_twice_their_size(exported):
    """Sharp when zoomed: every chart picture is 3200×1400 px for a 1600×700 layout."""
    _, prs, _ = exported
    pictures = [sh for page in prs.slides for sh in page.shapes if sh.shape_type == 13]
    assert pictures
    for picture in pictures:
        assert Image.open(io.BytesIO(picture.image.blob)).size == (2 * briefing.IMAGE_W, 2 * briefing.IMAGE_H)


def test_a_single_figure_is_a_big_number_not_a_one_bar_chart(exported):
    deck, _, _ = exported
    big = {s.title: presenter.big_number(s.figure) for s in deck if presenter.big_number(s.figure)}
    assert ("3大主导产业", "84.6%", None) in big.values()
    assert any(value.endswith("预计69.67%") and against == "目标 50%以上 · 进行中（只有预计数，不判定完成）"
               for _, value, against in big.values())
    assert all(len(s.figure.data[0].x) > 1 for s in deck if s.figure is not None and s.title not in big)


def test_the_cover_lists_the_periods_oldest_first_and_undated_ones_last(exported):
    """The cover read 2021年、期间未注明（2024年文件）、2024年以来、2020年 …: now by date."""
    deck, _, _ = exported
    periods = briefing.cover_for(deck, "总览").periods.split("：", 1)[1].split("、")
    years = [int(p[p.index("20"):][:4]) for p in periods if re.match(r"(截至)?20\d\d年", p)]
    assert years == sorted(years) and years[0] == 2020, periods
    dated = [bool(re.match(r"(截至)?\d{4}年(?!以来)", p)) for p in periods]
    assert dated == sorted(dated, reverse=True), periods  # no undated period before a dated one
