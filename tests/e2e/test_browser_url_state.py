"""Issue 11 in Chromium: a link stays in the address bar as opened, a link copied after a change
reopens the same view, a page's parameters stay on it, and the presenter's keys and bar."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from browser_helpers import choose, visit, wait_ready, widget
from dashboard import slides

pytestmark = pytest.mark.e2e

# the KPI card slides (numbers from 1, in slides.CATALOG order) and two chart slides
BUILT = [slides.build(i, {}) for i in range(len(slides.CATALOG))]
TABLE_SLIDES = [n for n, s in enumerate(BUILT, 1) if s is not None and s.table is not None]
CHART_SLIDES = [n for n, s in enumerate(BUILT, 1) if s is not None and s.figure is not None][::8]
WINDOWS = [(1920, 1080), (1920, 947), (1366, 768)]


def state(url: str) -> tuple[str, dict]:
    """(path, parameters) of a URL: the order of the parameters does not matter."""
    parts = urlsplit(url)
    return parts.path.rstrip("/"), {k: sorted(v) for k, v in parse_qs(parts.query).items()}


def metrics(page) -> list[str]:
    return page.locator("[data-testid=stMain] [data-testid=stMetric]").all_inner_texts()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


@pytest.mark.parametrize("link", [
    "/economy?period=2022-01..2022-05",
    "/trade?lang=en",
    "/?present=1&slide=5&auto=on&every=60",
    "/projects?size=ge10&status=done&lang=en",
    "/targets?status=met",
    "/sources?topic=trade&period=2022-05&q=GDP",
])
def test_the_address_bar_after_load_is_the_link(page, server, link):
    visit(page, server.url + link)
    page.wait_for_timeout(1000)  # a late rewrite of the address would come in this time
    assert state(page.url) == state(server.url + link)


def test_a_link_copied_after_each_change_reopens_the_same_view(page, browser, server):
    visit(page, f"{server.url}/economy")
    fresh = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    try:
        steps = [lambda: choose(page, "period_year", "2022"),  # the year opens its newest period (2022年5月)
                 lambda: choose(page, "period", "2022年1-5月"),
                 lambda: page.locator(".st-key-lang button", has_text="English").click(),
                 # English labels, the same code
                 lambda: choose(page, "period", "May 2022")]
        for step in steps:
            before = page.url
            step()
            page.wait_for_url(lambda url: url != before)
            wait_ready(page)
            copied, shown = page.url, metrics(page)
            other = fresh.new_page()
            visit(other, copied)
            assert state(other.url) == state(copied)
            assert metrics(other) == shown and shown
            other.close()
        assert state(page.url)[1] == {"period": ["2022-05"], "lang": ["en"]}
    finally:
        fresh.close()


def test_a_sources_tab_clicked_is_in_the_address_and_reopens_in_a_fresh_browser(page, browser, server):
    visit(page, f"{server.url}/sources")
    page.get_by_role("tab", name="名称与机制").click()
    page.wait_for_url(lambda url: "tab=entities" in url)
    wait_ready(page)
    fresh = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    try:
        other = fresh.new_page()
        visit(other, page.url)
        assert state(other.url) == state(page.url)
        assert other.get_by_role("tab", name="名称与机制").get_attribute("aria-selected") == "true"
        other.locator(".st-key-lang button", has_text="English").click()  # the other language: the same tab
        other.wait_for_url(lambda url: "lang=en" in url)
        wait_ready(other)
        assert other.get_by_role("tab", name="Named things").get_attribute("aria-selected") == "true"
        assert state(other.url)[1] == {"tab": ["entities"], "lang": ["en"]}
    finally:
        fresh.close()


def test_a_page_keeps_its_parameters_and_the_next_page_gets_only_the_language(page, server):
    visit(page, f"{server.url}/economy?period=2022-05&lang=en")
    page.locator("[data-testid=stSidebarNav] a", has_text="Sources").click()
    page.wait_for_url(re.compile(r"/sources"))
    wait_ready(page)
    page.wait_for_timeout(1000)
    assert state(page.url) == ("/sources", {"lang": ["en"]})
    assert re.search(r"Showing (\d+) of \1 figures", page.locator("[data-testid=stMain]").inner_text())  # no filter set
    page.locator("[data-testid=stSidebarNav] a", has_text="Targets").click()
    page.wait_for_url(re.compile(r"/targets"))
    wait_ready(page)
    assert state(page.url) == ("/targets", {"lang": ["en"]})


@pytest.fixture
def projector(browser):
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = ctx.new_page()
    yield page
    ctx.close()


def bar_click(page, key: str) -> None:
    """Move the mouse (the bar shows), then click the bar's button."""
    page.mouse.move(960, 900)
    page.mouse.move(960, 1000)
    page.locator(f".st-key-{key} button").click()


def test_exit_after_play_and_interval_never_raises(projector, server):
    page = projector
    visit(page, f"{server.url}/economy?present=1&slide=5")
    bar_click(page, "present_play")
    page.wait_for_url(re.compile(r"auto=on"))
    wait_ready(page)
    page.mouse.move(900, 1000)
    page.locator(widget("every") + " button", has_text="30秒").click()
    page.wait_for_url(re.compile(r"every=30"))
    wait_ready(page)
    bar_click(page, "present_exit")
    page.wait_for_url(lambda url: "present" not in url)
    wait_ready(page)
    assert not page.locator("[data-testid=stException]").count()
    assert state(page.url) == ("/economy", {})
    sidebar = page.locator("[data-testid=stSidebar]")
    for text in ["中文", "English", "演示模式", "导出简报"]:
        assert sidebar.get_by_text(text).first.is_visible(), text


def slide_number(page) -> int:
    return int(parse_qs(urlsplit(page.url).query)["slide"][0])


def test_every_key_turns_or_leaves(projector, server):
    page = projector
    visit(page, f"{server.url}/?present=1&slide=2")
    for key, expected in [("ArrowRight", 3), ("PageDown", 4), ("Space", 5), ("ArrowLeft", 4), ("PageUp", 3),
                          ("End", len(slides.CATALOG)), ("Home", 1)]:
        page.keyboard.press(key)
        page.wait_for_url(re.compile(rf"slide={expected}(&|$)"))
        wait_ready(page)
        assert slide_number(page) == expected, key
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement !== null")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === null")
    page.keyboard.press("Escape")
    page.wait_for_url(lambda url: "present" not in url)
    wait_ready(page)
    assert page.locator("[data-testid=stSidebar]").is_visible()


@pytest.mark.parametrize("width, height, lang", [(w, h, "zh") for w, h in WINDOWS] + [(1366, 768, "en")])
def test_slides_fit_the_window_without_controls_or_blank_half(browser, server, screenshots, width, height, lang):
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = ctx.new_page()
    try:
        for number in [*TABLE_SLIDES, *CHART_SLIDES]:
            visit(page, f"{server.url}/?present=1&slide={number}&lang={lang}")
            page.wait_for_function("document.body.classList.contains('etdz-idle')", timeout=10_000)
            page.wait_for_timeout(500)  # the bar's fade
            page.screenshot(path=screenshots / f"present_fit_slide{number:02d}_{lang}_{width}x{height}.png")
            m = page.evaluate("""() => {
              const main = document.querySelector('[data-testid=stMain]');
              const boxes = [...document.querySelectorAll('.st-key-slide_body [data-testid=stVerticalBlockBorderWrapper], .st-key-slide_body [class*=st-key-slide_card], .st-key-slide_body .js-plotly-plot')]
                .map(e => e.getBoundingClientRect());
              const note = document.querySelector('.st-key-slide_note').getBoundingClientRect();
              // a card's value or label that runs past its card's right edge (into the next card)
              const spill = [...document.querySelectorAll('[class*=st-key-slide_card]')].flatMap(card => {
                const edge = card.getBoundingClientRect().right;
                return [...card.querySelectorAll('[data-testid=stMetricValue] *, [data-testid=stMetricLabel] *')]
                  .filter(e => e.getBoundingClientRect().right > edge + 1).map(e => e.textContent);
              });
              return {main: [main.scrollHeight, main.clientHeight], doc: [document.documentElement.scrollHeight, innerHeight],
                      top: Math.min(...boxes.map(b => b.top)), bottom: Math.max(...boxes.map(b => b.bottom)),
                      note: note.bottom, spill, bar: +getComputedStyle(document.querySelector('.st-key-present_bar')).opacity};
            }""")
            assert m["main"][0] <= m["main"][1] and m["doc"][0] <= m["doc"][1], (number, m)
            assert m["note"] <= height, (number, m)  # the source line is on screen
            assert m["bar"] == 0, (number, m)  # no controls in the projected picture
            assert not m["spill"], (number, m["spill"])
            # the body fills the slide: the title, the source line and the band kept clear of the control bar
            # (so no footnote hides under it) take the rest; a half-blank slide is far below this
            assert m["bottom"] - m["top"] >= 0.65 * height, (number, m)
    finally:
        ctx.close()


@pytest.mark.parametrize("link", ["/economy?period=![p](http://any-host/x.png)",
                                  "/?present=1&slide=![p](http://any-host/x.png)",
                                  "/targets?status=[点击登录](http://any-host/login)",
                                  "/sources?q=" + "x" * 3_000],  # (100 KB: the server refuses the request line)
                         ids=["period-image", "slide-image", "status-link", "long-q"])
def test_a_crafted_link_is_not_echoed_and_fetches_nothing(page, server, link):
    hosts = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    visit(page, server.url + link)
    text = page.locator("[data-testid=stMain]").inner_text()
    assert "any-host" not in text and "点击登录" not in text and "x" * 300 not in text
    assert "链接参数" not in text and "URL parameter" not in text  # no note about the link either
    assert set(hosts) <= {"127.0.0.1"}, set(hosts)


def main_text(page) -> str:
    return page.locator("[data-testid=stMain]").inner_text()


@pytest.mark.parametrize("link, code", [
    ("/sources?topic=trade", {"topic": ["trade"]}),
    ("/economy?period=2022-01..2022-05&lang=en", {"period": ["2022-01..2022-05"]}),
    ("/projects?size=ge10", {"size": ["ge10"]}),
    ("/projects?status=done&lang=en", {"status": ["done"]}),
])
def test_switching_the_language_twice_keeps_the_view(page, browser, server, link, code):
    """Issue 20: the second switch wrote a label into the address (or dropped the filter) and 数据来源
    showed a TypeError. After each switch the page is what a fresh browser shows for its address."""
    visit(page, server.url + link)
    first = "en" if "lang=en" not in link else "zh"
    fresh = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    try:
        for lang in (first, "en" if first == "zh" else "zh"):
            before = page.url
            page.locator(".st-key-lang button", has_text={"zh": "中文", "en": "English"}[lang]).click()
            page.wait_for_url(lambda url: url != before)
            wait_ready(page)
            page.wait_for_timeout(500)
            path, params = state(page.url)
            assert {k: v for k, v in params.items() if k != "lang"} == code, page.url
            assert page.locator("[data-testid=stException]").count() == 0
            other = fresh.new_page()
            visit(other, page.url)
            assert main_text(page) == main_text(other)  # chips, counts and cards in the new language
            other.close()
    finally:
        fresh.close()
