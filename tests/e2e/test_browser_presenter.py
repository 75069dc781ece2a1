"""Presenter mode in Chromium at 1920×1080: projector type, no chrome, arrow keys, auto-advance."""
import re

import pytest

from browser_helpers import VIEWPORT, visit, wait_ready
from dashboard import slides

pytestmark = pytest.mark.e2e

PROJECTOR = {"width": 1920, "height": 1080}


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport=PROJECTOR, locale="zh-CN")
    page = ctx.new_page()
    yield page
    ctx.close()


def slide_in_url(page) -> int:
    return int(re.search(r"[?&]slide=(\d+)", page.url)[1])


def test_kpi_slide_is_readable_at_3_m_without_chrome(page, server, screenshots):
    visit(page, f"{server.url}/?present=1&slide=1")
    page.screenshot(path=screenshots / "present_slide01_1920x1080.png")
    sizes = page.eval_on_selector_all("[data-testid=stMetricValue]",
                                      "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert len(sizes) == 8 and min(sizes) >= 48, sizes
    for chrome in ["stSidebar", "stHeader", "stToolbar"]:
        assert not page.locator(f"[data-testid={chrome}]").is_visible(), chrome
    assert VIEWPORT != PROJECTOR


def test_every_kpi_slides_values_are_at_least_48px_at_1080p(page, server):
    """Slide 9's five cards in a row drew their values at 42.6 px: every card slide's, at 1920×1080."""
    small = {}
    for number in range(1, len(slides.CATALOG) + 1):
        visit(page, f"{server.url}/?present=1&slide={number}")
        sizes = page.eval_on_selector_all("[data-testid=stMetricValue]",
                                          "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
        if sizes and min(sizes) < 48:
            small[number] = min(sizes)
    assert not small, small


def test_the_source_line_is_never_under_the_control_bar(page, server):
    """Slides 12 and 19 had their footnotes under the bar until it faded: with the bar shown, every
    slide's source line and warnings end above it."""
    under = {}
    for number in range(1, len(slides.CATALOG) + 1):
        visit(page, f"{server.url}/?present=1&slide={number}")
        gap = page.evaluate("""() => {
          const bar = document.querySelector('.st-key-present_bar').getBoundingClientRect().top;
          return Math.min(...[...document.querySelectorAll('.st-key-slide_note, .st-key-slide_warnings')]
            .map(e => bar - e.getBoundingClientRect().bottom));
        }""")
        if gap < 0:
            under[number] = gap
    assert not under, under


def test_chart_slide_text_is_at_least_18px(page, server, screenshots):
    visit(page, f"{server.url}/?present=1&slide=3")
    page.screenshot(path=screenshots / "present_slide03_1920x1080.png")
    sizes = page.eval_on_selector_all(".js-plotly-plot text", """els => els.filter(e => e.textContent.trim())
        .map(e => parseFloat(e.style.fontSize || getComputedStyle(e).fontSize))""")
    assert sizes and min(sizes) >= 18, sorted(set(sizes))


def test_arrow_keys_turn_the_slides(page, server):
    visit(page, f"{server.url}/?present=1&slide=2")
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"slide=3"))
    wait_ready(page)
    assert page.locator("h1").first.inner_text().startswith("开发区与全市增速对比")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(r"slide=2"))
    assert slide_in_url(page) == 2


def test_auto_advance_turns_the_slide_and_pause_stops_it(page, server):
    visit(page, f"{server.url}/?present=1&slide=4&auto=on&every=10")
    page.wait_for_url(re.compile(r"slide=5"), timeout=60_000)
    wait_ready(page)
    page.mouse.move(960, 900)  # the bar shows while the mouse moves
    page.mouse.move(960, 1000)
    page.locator(".st-key-present_play button", has_text="暂停").click()
    page.wait_for_url(lambda url: "auto=" not in url)
    page.wait_for_timeout(12_000)
    assert slide_in_url(page) == 5
