"""The finish, in Chromium: on every page and every presenter slide, in both languages, at 1280×800
and 1920×1080, no text is cut (an element narrower than its text, or a "…" added by CSS) and no
number or word is broken across lines ("10,000,00 / 0", "8.839 bn / yuan", "implementa/tion",
"竣工投产项/目"). Also: Ctrl+P on A4 prints no sidebar; at 390 px the presenter's axis labels stand
upright; the Chinese UI hides Streamlit's own English.

One server, one browser, one tab: each page is loaded once per language and measured at both
sizes (the window is resized, the page not reloaded).
"""
import re
import shutil
import subprocess

import pytest

from browser_helpers import app_pages, visit, wait_ready
from dashboard import i18n, slides

pytestmark = pytest.mark.e2e

SIZES = [(1280, 800), (1920, 1080)]
LANGS = ["zh", "en"]

# Every element whose own text is cut, and every number (with its unit) or word whose glyphs
# sit on more than one line. A range's client rects are one per line box it spans.
PROBLEMS_JS = r"""() => {
  const UNIT = String.raw`\s?(?:bn yuan|m yuan|m USD|bn USD|m t|yuan\/mu|pp|%|million)(?![A-Za-z])`;
  const CJK_UNIT = '余?(?:亿美元|万美元|亿元|万元|个百分点|万吨|万人|万件|%|倍|家|个|项|亩|人|次|件|位|名)';
  // a label's unit words come from the data's indicator names (over 1bn yuan): there only the number
  // itself must stay whole; a figure (card value, bold, table cell, caption) keeps its unit too
  const DIGITS = /[+\-−]?\d[\d,.]*\d/g;
  const NUMBER = new RegExp(String.raw`[+\-−]?\d[\d,.]*\d(?:` + UNIT + '|' + CJK_UNIT + ')?|\\d(?:' + UNIT + '|' + CJK_UNIT + ')', 'g');
  const WORD = /[A-Za-z]{2,}/g;
  // a month span stays on one line: 1-9月 (word joiners around its hyphen), Jan–Sep 2024
  const PERIOD = /\d{1,2}\u2060?-\u2060?\d{1,2}月|[A-Z][a-z]{2}\u2060?–\u2060?[A-Z][a-z]{2}[ \u00a0]\d{4}/g;
  const CJK = /[\u4e00-\u9fff]/;
  const out = [];
  const seen = new Set();
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && parseFloat(s.opacity) > 0;
  };
  const where = (el) => {
    const key = el.closest('[data-testid]');
    return key ? key.dataset.testid : el.tagName;
  };
  const lines = (range) => {
    const tops = [];
    for (const r of range.getClientRects()) {
      if (r.width < 1) continue;
      if (!tops.some(t => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top);
    }
    return tops.length;
  };
  const root = document.querySelector('[data-testid=stApp]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    if (!text.trim()) continue;
    const el = node.parentElement;
    if (!el || el.closest('svg, script, style, [data-testid=stIFrame], [data-testid=stSkipToContent], .material-symbols-rounded, [data-testid=stIconMaterial], [aria-hidden=true]')) continue;
    if (!visible(el)) continue;
    // 1. cut: the element is narrower than its text and does not let it show
    const s = getComputedStyle(el);
    const cut = el.scrollWidth > el.clientWidth + 1 && (s.overflowX !== 'visible' || s.textOverflow === 'ellipsis');
    if (cut && el.clientWidth > 0 && !seen.has(el)) {
      seen.add(el);
      out.push(`cut [${where(el)}] "${el.textContent.trim().slice(0, 60)}" (${el.scrollWidth} > ${el.clientWidth} px)`);
    }
    // 1b. spilled: the text runs past the edge of the block it is in (overflow visible)
    const range = document.createRange();
    let block = el;
    while (block.parentElement && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    range.selectNodeContents(node);
    const box = block.getBoundingClientRect(), ink = range.getBoundingClientRect();
    if (ink.width > 0 && (ink.right > box.right + 2 || ink.left < box.left - 2) && !seen.has(block)) {
      seen.add(block);
      out.push(`spilled [${where(el)}] "${text.trim().slice(0, 60)}" (${Math.round(ink.width)} px in ${Math.round(box.width)} px)`);
    }
    // 2. broken: a number with its unit, or a word, on two lines
    const label = el.closest('[data-testid=stMetricLabel], h1, h2, h3, h4');
    for (const re of [label ? DIGITS : NUMBER, WORD, PERIOD]) {
      re.lastIndex = 0;
      for (let m; (m = re.exec(text));) {
        if (m[0].length < 2) continue;
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        if (lines(range) > 1) out.push(`broken [${where(el)}] "${m[0]}" in "${text.trim().slice(0, 60)}"`);
      }
    }
    // 3. a CJK text whose last line holds one character (竣工投产项/目, 高于全市 one a line)
    if (CJK.test(text) && text.trim().length >= 3) {
      const end = text.trimEnd().length;
      range.setStart(node, end - 1);
      range.setEnd(node, end);
      const last = range.getBoundingClientRect();
      range.setStart(node, end - 2);
      range.setEnd(node, end - 1);
      const before = range.getBoundingClientRect();
      if (CJK.test(text[end - 1]) && CJK.test(text[end - 2]) && last.top > before.top + before.height / 2) {
        out.push(`orphan [${where(el)}] "${text.trim().slice(-12)}" (its last character alone on a line)`);
      }
    }
  }
  // 4. a chart's own text (bar labels, ticks, titles, legend) outside its drawing: cut by the SVG's edge
  for (const svg of document.querySelectorAll('.js-plotly-plot svg.main-svg:first-of-type')) {
    const box = svg.getBoundingClientRect();
    if (!visible(svg)) continue;
    for (const t of svg.parentElement.querySelectorAll('svg.main-svg text')) {
      const r = t.getBoundingClientRect();
      if (!t.textContent.trim() || r.width === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        out.push(`chart text cut [${where(svg)}] "${t.textContent.trim().slice(0, 40)}"`);
      }
    }
  }
  return out;
}"""


OPEN_EXPANDERS_JS = """() => document.querySelectorAll('[data-testid=stExpander] details:not([open]) > summary')
    .forEach(summary => summary.click())"""


def targets() -> list[str]:
    """Every page and every slide, as URL paths."""
    pages = [url for url, _path in app_pages()]
    return pages + [f"?present=1&slide={n}" for n in range(1, len(slides.CATALOG) + 1)]


def url_for(server, target: str, lang: str) -> str:
    if target.startswith("?"):
        return f"{server.url}/{target}&lang={lang}"
    return f"{server.url}/{target}?lang={lang}"


def shoot(tab, path) -> None:
    """The whole page: Streamlit scrolls inside its main column, so the window is made as tall as it."""
    size = tab.viewport_size
    tall = tab.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    tab.set_viewport_size({"width": size["width"], "height": min(max(tall, size["height"]), 8000)})
    wait_ready(tab)
    tab.screenshot(path=path)
    tab.set_viewport_size(size)


@pytest.fixture(scope="module")
def tab(browser):
    ctx = browser.new_context(viewport={"width": SIZES[0][0], "height": SIZES[0][1]}, locale="zh-CN")
    page = ctx.new_page()
    yield page
    ctx.close()


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_is_cut_and_no_number_is_broken(tab, server, lang, screenshots):
    folder = screenshots / "finish"
    folder.mkdir(exist_ok=True)
    problems = []
    for target in targets():
        tab.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
        visit(tab, url_for(server, target, lang))
        tab.evaluate(OPEN_EXPANDERS_JS)  # 数据与来源 holds the download buttons and tables: measured open
        for width, height in SIZES:
            tab.set_viewport_size({"width": width, "height": height})
            wait_ready(tab)
            tab.wait_for_timeout(300)  # Plotly and the columns reflow after a resize
            found = tab.evaluate(PROBLEMS_JS)
            name = re.sub(r"[^a-z0-9]+", "_", target or "overview").strip("_")
            if width == 1280 and not target.startswith("?"):
                shoot(tab, folder / f"{name}_{lang}_{width}x{height}.png")
            problems += [f"{target or 'overview'} {width}×{height}: {p}" for p in found]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


SIDEBAR_KEYS = ["present_mode", "briefing.export", "admin.login", "data_as_of"]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is missing")
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_prints_on_a4_without_sidebar_or_cut_chart(tab, server, lang, tmp_path, screenshots):
    """page.pdf is Chromium's Ctrl+P (print media, A4, beforeprint fires): the sidebar's words are not
    in the PDF, and in print layout every chart and data table fits the page's width, and no button prints."""
    sidebar = [i18n.TEXT[k][LANGS.index(lang)] for k in SIDEBAR_KEYS]
    problems = []
    for url, _path in app_pages():
        tab.set_viewport_size({"width": 1280, "height": 800})
        visit(tab, url_for(server, url, lang))
        pdf = tmp_path / f"{url or 'overview'}_{lang}.pdf"
        tab.pdf(path=pdf, format="A4")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        problems += [f"{url or 'overview'}: sidebar text {word!r} printed" for word in sidebar if word in text]
        if url in ("", "trade"):  # a look at two printed pages
            shutil.copy(pdf, screenshots / "finish" / pdf.name)
        # the print layout at A4's width (794 CSS px): each chart inside the page once zoomed
        tab.set_viewport_size({"width": 794, "height": 1123})
        tab.emulate_media(media="print")
        tab.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        wide = tab.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot, [data-testid=stDataFrame]')]
            .map(gd => gd.getBoundingClientRect()).filter(r => r.right > innerWidth + 1).map(r => Math.round(r.right))""")
        pressable = tab.evaluate("""() => [...document.querySelectorAll('[data-testid=stButton], [data-testid=stDownloadButton]')]
            .filter(b => b.getBoundingClientRect().height > 0).map(b => b.innerText.trim())""")
        problems += [f"{url or 'overview'}: button {name!r} printed" for name in pressable]
        tab.evaluate("window.dispatchEvent(new Event('afterprint'))")
        tab.emulate_media(media="null")  # back to no emulation: page.pdf prints with print media
        problems += [f"{url or 'overview'}: a chart reaches {right} px on a {794} px page" for right in wide]
    assert not problems, "\n".join(problems)


def test_the_chinese_ui_hides_streamlits_own_english(tab, server):
    """No ⋮ menu (Print, Record screen, "Made with Streamlit"); Plotly's toolbar tooltips in Chinese,
    Streamlit's Fullscreen button on the chart too (its tooltip is CSS content)."""
    tab.set_viewport_size({"width": 1280, "height": 800})
    visit(tab, url_for(server, "trade", "zh"))
    assert tab.locator("[data-testid=stMainMenu]").count() == 0
    tips = tab.evaluate("""() => [...document.querySelectorAll('.modebar-btn')].map(b =>
        getComputedStyle(b, '::after').content.replace(/^"|"$/g, '').replace(/^attr.*|^none$/, b.dataset.title))""")
    assert tips and not [tip for tip in tips if re.search(r"[a-z]{3,}", tip)], tips  # 下载图片（PNG） is fine
    assert i18n.TEXT["plotly.download_png"][0] in tips and i18n.TEXT["plotly.fullscreen"][0] in tips
    assert "Made with Streamlit" not in tab.inner_text("body")


# Pairs of a slide's boxes drawn on top of each other: its cards, warnings and source line, and a
# chart's subplot titles (read in document coordinates, so a slide that scrolls is measured whole).
OVERLAPS_JS = r"""() => {
  const boxes = [...document.querySelectorAll(
      '[class*=st-key-slide_card], .st-key-slide_note, .st-key-slide_warnings, .js-plotly-plot .annotation-text')]
    .filter(e => e.textContent.trim())
    .map(e => ({name: e.textContent.trim().slice(0, 12), r: e.getBoundingClientRect()}));
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].r, b = boxes[j].r;
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      pairs.push([boxes[i].name, boxes[j].name]);
  }
  return pairs;
}"""


def test_on_a_phone_the_slides_axis_labels_stand_upright_inside_the_screen(browser, server, screenshots):
    """At 390 px wide every chart slide's tick labels are horizontal and inside the window, and no
    card, note or subplot title is drawn over another (KPI slides stack their cards and scroll)."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = ctx.new_page()
    problems = []
    try:
        for number in range(1, len(slides.CATALOG) + 1):
            visit(page, f"{server.url}/?present=1&slide={number}")
            ticks = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot .xtick text, .js-plotly-plot .ytick text')]
                .map(t => ({text: t.textContent, rotated: /rotate/.test(t.getAttribute('transform') || ''),
                            left: t.getBoundingClientRect().left, right: t.getBoundingClientRect().right}))""")
            problems += [f"slide {number}: {tick['text']!r} " + ("rotated" if tick["rotated"] else "outside the window")
                         for tick in ticks if tick["rotated"] or tick["left"] < -1 or tick["right"] > 391]
            problems += [f"slide {number}: {a} and {b} overlap" for a, b in page.evaluate(OVERLAPS_JS)]
            if number == 3:
                page.screenshot(path=screenshots / "finish" / "present_slide03_390x844.png")
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)


def test_on_a_phone_a_fresh_link_opens_on_the_page_not_the_menu(browser, server):
    """At 390 px a link opens with the sidebar shut (it would cover the page); the menu button opens it."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = ctx.new_page()
    try:
        visit(page, f"{server.url}/economy")
        box = page.locator("[data-testid=stSidebar]").bounding_box()
        assert box is None or box["width"] < 1 or box["x"] + box["width"] <= 1, f"the sidebar covers the page: {box}"
        assert page.get_by_role("heading", name=i18n.TEXT["nav_economy"][0]).first.bounding_box()["x"] >= 0
    finally:
        ctx.close()


def test_on_a_phone_a_chart_of_panels_keeps_its_titles_apart_and_its_years_upright(browser, server):
    """At 390 px a chart of side-by-side panels is drawn wide enough and scrolls sideways: its panel
    titles do not run together and its year labels (2020年（推算）) are not rotated away from their bar."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = ctx.new_page()
    problems = []
    try:
        for path in ["economy", "trade", "clusters", "benchmarks"]:
            visit(page, f"{server.url}/{path}")
            problems += [f"{path}: {a} and {b} overlap" for a, b in page.evaluate(OVERLAPS_JS)]
            problems += [f"{path}: {text!r} rotated" for text in page.evaluate(
                """() => [...document.querySelectorAll('[class*=st-key-panels_] .xtick text')]
                     .filter(t => /rotate/.test(t.getAttribute('transform') || '')).map(t => t.textContent)""")]
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)
