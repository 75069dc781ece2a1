"""Every page of app.py, in Chinese and English, in Chromium: loads without an exception,
draws every chart, shows the database's figures, renders Chinese glyphs and stays on 127.0.0.1."""
import re
from contextlib import contextmanager
from unittest import mock

import duckdb
import pytest

from browser_helpers import LOCAL_SCHEMES, app_pages, chart_counts, visit
from dashboard import fmt, i18n
from queries import db_path

pytestmark = pytest.mark.e2e

LANGS = ["zh", "en"]
# Figures a page must show as KPI values (figure_id in facts), beyond "every value is a database figure".
ANCHORS = {
    "": ["wr24_gdp_growth_2024q3", "wr24_trade_2024m1_10", "wr24_above_scale_firms_2024"],
}
# Pages that must draw at least this many charts (the others must draw every chart they have).
MIN_CHARTS = {"": 1}
RANK = re.compile(r"^(?:第|#)\s*(\d+)(?:\s*(?:/|of)\s*(\d+))?$")


def page_id(param):
    url, lang = param
    return f"{url or 'overview'}-{lang}"


@contextmanager
def language(code):
    """dashboard.fmt outside Streamlit, in the given language."""
    with mock.patch.object(i18n, "lang", lambda: code), mock.patch.object(fmt, "lang", lambda: code):
        yield


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def facts():
    with duckdb.connect(str(db_path()), read_only=True) as con:
        return con.sql("SELECT * FROM facts").df().to_dict("records")


@pytest.fixture(scope="module")
def db_texts(facts):
    """{lang: every facts row as dashboard.fmt writes it}, and the (rank, total) pairs."""
    texts = {}
    for code in LANGS:
        with language(code):
            texts[code] = {norm(fmt.row_text(r)) for r in facts}
    ranks = {(int(r["value"]), None if r["rank_total"] != r["rank_total"] or r["rank_total"] is None
              else int(r["rank_total"])) for r in facts if r["measure"] == "rank"}
    return texts, ranks


class View:
    """A page loaded once in the shared context; the tests below read it."""

    def __init__(self, page, url, lang):
        self.page, self.url, self.lang = page, url, lang
        self.requests, self.errors = [], []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("websocket", lambda ws: self.requests.append(ws.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture(scope="module", params=[(url, lang) for url, _ in app_pages() for lang in LANGS], ids=page_id)
def view(request, server, context, screenshots):
    url, lang = request.param
    page = context.new_page()
    v = View(page, url, lang)
    v.ready_ms = visit(page, f"{server.url}/{url}" + ("?lang=en" if lang == "en" else ""))
    page.screenshot(path=screenshots / f"{url or 'overview'}_{lang}.png", full_page=True)
    yield v
    page.close()


def test_no_exception(view):
    boxes = view.page.locator("[data-testid=stException]")
    assert boxes.count() == 0, boxes.all_inner_texts()
    assert not view.errors, view.errors


def test_every_chart_drawn(view):
    containers, drawn = chart_counts(view.page)
    assert drawn == containers, f"{containers - drawn} of {containers} charts have no drawn SVG"
    assert containers >= MIN_CHARTS.get(view.url, 0)


def test_kpis_are_database_figures(view, db_texts, facts):
    texts, ranks = db_texts
    shown = view.page.locator("[data-testid=stMetricValue]").all_inner_texts()
    unknown = []
    for value in shown:
        rank = RANK.match(value.strip())
        if rank:
            pair = (int(rank[1]), int(rank[2]) if rank[2] else None)
            if pair in ranks or (pair[1] is None and any(r == pair[0] for r, _ in ranks)):
                continue
        elif norm(value) in texts[view.lang]:
            continue
        unknown.append(value)
    assert not unknown, f"KPI values not in the database as dashboard.fmt writes them: {unknown}"
    by_id = {r["figure_id"]: r for r in facts}
    with language(view.lang):
        expected = [fmt.row_text(by_id[f]) for f in ANCHORS.get(view.url, [])]
    assert not set(map(norm, expected)) - set(map(norm, shown)), (expected, shown)


# Draw each distinct Han character of the page in the page's own font: real glyphs have ink
# and differ from each other; missing ones all become the same box (or nothing).
GLYPHS_JS = """() => {
  const chars = [...new Set([...document.body.innerText].filter(c => /\\p{Script=Han}/u.test(c)))].slice(0, 8);
  const family = getComputedStyle(document.querySelector('[data-testid=stMain] h1') || document.body).fontFamily;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 64;
  const g = canvas.getContext('2d', {willReadFrequently: true});
  g.font = `48px ${family}`;
  const shapes = chars.map(c => {
    g.clearRect(0, 0, 64, 64);
    g.fillText(c, 4, 52);
    return g.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3).join('');
  });
  return {chars: chars.join(''), family, inked: shapes.filter(s => /[1-9]/.test(s)).length,
          distinct: new Set(shapes).size};
}"""


def test_chinese_glyphs_render(view):
    result = view.page.evaluate(GLYPHS_JS)
    assert len(result["chars"]) >= 2, result
    assert result["inked"] == len(result["chars"]) == result["distinct"], result


def test_no_request_leaves_the_server(view, server):
    ws = server.url.replace("http://", "ws://")
    outside = [u for u in view.requests if not u.startswith((server.url + "/", ws + "/") + LOCAL_SCHEMES)]
    assert view.requests and not outside, outside
