"""The screens on the small synthetic history in Chromium: drop-downs, not a button per period; the
newest month by default; each time series one line per indicator × entity × period kind, as drawn.
Screenshots of the pages #12 changed, zh and en, under artifacts/screenshots/history/."""
import os
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from history_helpers import small_history_built

from browser_helpers import Server, choose, visit, wait_ready, widget

pytestmark = pytest.mark.e2e
PAGES = ["overview", "economy", "trade", "benchmarks", "clusters", "targets"]
MAX_BUTTONS = 24


@pytest.fixture(scope="module")
def history_server(tmp_path_factory):
    data, db, _ = small_history_built(tmp_path_factory)
    saved = {k: os.environ.get(k) for k in ("ETDZ_DATA", "ETDZ_DB")}
    os.environ["ETDZ_DATA"], os.environ["ETDZ_DB"] = str(data), str(db)
    try:
        with Server("serve.py", port=8660) as srv:  # the server takes the environment at its start
            yield srv
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


BUTTONS_JS = "document.querySelectorAll('[data-testid=stMain] [data-testid=stButtonGroup] button').length"
# the drawn figures' lines: name, meta (panel, kind, indicator, measure, entity) and their points' periods
TRACES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(p => p.data
    .filter(d => d.meta && d.meta.kind)
    .map(d => ({name: d.name, meta: d.meta, periods: (d.customdata || []).map(c => c[3]).filter(x => x)})))"""


def test_economy_opens_on_the_newest_month_with_drop_downs(page, history_server):
    visit(page, f"{history_server.url}/economy")
    assert page.evaluate(BUTTONS_JS) <= MAX_BUTTONS
    assert page.locator(f"{widget('period')} input").input_value() == "2026年12月"
    assert page.locator(f"{widget('period_year')} input").input_value() == "2026"
    before = page.url
    choose(page, "period_year", "2025")
    page.wait_for_url(lambda url: url != before)
    wait_ready(page)
    assert parse_qs(urlsplit(page.url).query)["period"] == ["2025-12"]
    assert page.locator(f"{widget('period')} input").input_value() == "2025年12月"
    assert page.evaluate(BUTTONS_JS) <= MAX_BUTTONS


@pytest.mark.parametrize("path", ["economy", "trade", "benchmarks"])
def test_each_drawn_line_is_one_indicator_entity_and_period_kind(page, history_server, path):
    visit(page, f"{history_server.url}/{path}")
    figures = [f for f in page.evaluate(TRACES_JS) if f]
    assert figures, path
    for lines in figures:
        keys = [(d["meta"].get("indicator"), d["meta"].get("measure"), d["meta"].get("entity"), d["meta"]["kind"])
                for d in lines]
        assert len(keys) == len(set(keys))
        for d in lines:
            # 2026年12月 is a month, 2026年1-12月 months from January, 2026年 a year: never two on one line
            months = {"month": r"\d{4}年\d{1,2}月", "months": r"\d{4}年1-\d{1,2}月", "year": r"\d{4}年"}[d["meta"]["kind"]]
            assert all(re.fullmatch(months, p) for p in d["periods"]), (d["name"], d["periods"][:3])
    assert page.evaluate(BUTTONS_JS) <= MAX_BUTTONS


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_screenshots_of_the_history(page, history_server, screenshots, path, lang):
    visit(page, f"{history_server.url}/{'' if path == 'overview' else path}?lang={lang}")
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": min(height + 40, 12000)})
    try:
        wait_ready(page)
        folder = screenshots / "history"
        folder.mkdir(exist_ok=True)
        page.screenshot(path=str(folder / f"small_{path}_{lang}.png"), full_page=True)
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})
    assert not page.locator("[data-testid=stException]").count()
