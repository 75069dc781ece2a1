"""数据来源 in Chromium: one click on a figure's row opens its document with the sentence highlighted
in view; the address bar reopens the same document and highlight in a fresh browser; downloads."""
import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError

from browser_helpers import VIEWPORT, visit, wait_ready

pytestmark = pytest.mark.e2e

FDI = "聊城开发区2021年进出口总额实现69.85亿元，同比增长60.52%，实际利用外资5385.74万美元，增长977.2%"
ROW, HEADER = 35, 35  # the data grid's row and header height (px)

IN_VIEW = """m => { const r = m.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; }"""


def in_view(mark) -> bool:
    """The highlighted sentence is on screen. The page's script scrolls to it after the render, which a
    busy machine delays: wait for it a while, rather than look once."""
    try:
        mark.page.wait_for_function(IN_VIEW, arg=mark.element_handle(), timeout=20_000)
        return True
    except TimeoutError:
        return False


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


def click_row(page, index: int) -> None:
    """Click a row of the figures grid (a canvas) at its selection box, on the left edge."""
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + HEADER + index * ROW + ROW / 2)


def open_figure_from_row(page, url: str, index: int):
    visit(page, url)
    click_row(page, index)
    page.locator(".etdz-doc mark").first.wait_for()
    wait_ready(page)
    return page.locator(".etdz-doc mark").first


def test_a_click_on_a_figure_opens_its_sentence_highlighted_in_view(page, server, browser, screenshots):
    mark = open_figure_from_row(page, f"{server.url}/sources?q=5385.74", 0)
    page.screenshot(path=screenshots / "sources_figure_document_zh.png")
    assert mark.inner_text() == FDI
    assert in_view(mark)  # scrolled to: the sentence is on screen, not somewhere below
    params = parse_qs(urlsplit(page.url).query)
    assert params["fig"] == ["sd22_fdi_2021"] and params["read"] == ["speech_deck_2022"]
    assert "sd22_fdi_2021" not in page.locator("[data-testid=stMain]").inner_text()  # the id is in the URL only
    assert "#" not in page.locator(".etdz-doc").inner_text()

    # the address bar, in a browser that has never seen this session
    fresh = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    try:
        other = fresh.new_page()
        visit(other, page.url)
        again = other.locator(".etdz-doc mark").first
        again.wait_for()
        other.screenshot(path=screenshots / "sources_figure_document_reopened.png")
        assert again.inner_text() == FDI and in_view(again)
    finally:
        fresh.close()


def test_a_row_far_down_a_later_page_opens_in_view(page, server, screenshots):
    """A figure whose sentence is deep in the other document, clicked low on the second page."""
    visit(page, f"{server.url}/sources?doc=work_report_2024")
    page.get_by_role("button", name="Next page").click()
    wait_ready(page)
    mark = open_figure_from_row(page, page.url, 20)
    page.screenshot(path=screenshots / "sources_figure_document_page2.png")
    assert in_view(mark)
    assert parse_qs(urlsplit(page.url).query)["read"] == ["work_report_2024"]


def test_english_document_view(page, server, screenshots):
    mark = open_figure_from_row(page, f"{server.url}/sources?q=5385.74&lang=en", 0)
    page.screenshot(path=screenshots / "sources_figure_document_en.png")
    assert mark.inner_text() == FDI and in_view(mark)
    assert "Sentence highlighted" in page.locator("[data-testid=stMain]").inner_text()


def read_download(page, key: str) -> list[dict]:
    with page.expect_download() as info:
        page.locator(f".st-key-{key} button").click()
    with open(info.value.path(), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(io.StringIO(f.read())))


def test_downloads_hold_every_match_with_chinese_headers(page, server):
    visit(page, f"{server.url}/sources")
    rows = read_download(page, "csv_figures")
    assert len(rows) == 182  # every match, not the page on screen
    assert "value" not in rows[0] and {"数值（纯数字）", "编号", "来源文件编号", "主题（代码）"} <= set(rows[0])
    assert all(v != "—" for r in rows for v in r.values())


def test_english_download_is_in_english(page, server):
    visit(page, f"{server.url}/sources?lang=en&topic=trade")
    rows = read_download(page, "csv_figures")
    assert len(rows) == 25 and {"Indicator", "Value (number)", "Topic (code)"} <= set(rows[0]), " | ".join(rows[0])
    assert {r["Topic (code)"] for r in rows} == {"trade"}


def test_projects_download_carries_quote_source_and_ids(page, server):
    visit(page, f"{server.url}/projects")
    rows = read_download(page, "csv_projects")
    assert rows and {"原文", "来源文件", "来源文件编号", "投资额数据编号"} <= set(rows[0])
    assert all(r["原文"] and r["来源文件编号"] for r in rows)
    assert all(v != "—" for r in rows for v in r.values())  # a missing cell is blank, as everywhere
