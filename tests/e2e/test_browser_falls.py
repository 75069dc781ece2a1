"""Issue 19: a bulletin with falls, imported through 数据维护 in Chromium, shows its falls truly:
低于全市 with a down arrow on 总览 and 经济运行, and on slide 1 of the presenter — never 高于全市 beside a fall.
Issue 22: the same falls raise their alerts (预警) at the top of the overview, in both languages."""
import pytest

from browser_helpers import TIMEOUT_MS, VIEWPORT, Server, analyst_secrets, log_in_as_analyst, wait_ready
from import_helpers import HEADER, workspace
from test_signs import FALL_ROWS, FALLS, FALLS_META

pytestmark = pytest.mark.e2e
PASSWORD = "falls test password"


@pytest.fixture(scope="module")
def falls_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("falls")
    data, db = workspace(tmp_path_factory, root)
    secrets = analyst_secrets(root, PASSWORD)
    with Server("serve.py", port=8680, env={"ETDZ_DATA": str(data), "ETDZ_DB": str(db)},
                args=["--secrets.files", str(secrets)]) as srv:
        srv.data = data
        yield srv


def gdp_card(page):
    return page.locator("[data-testid=stMain] [data-testid=stMetric]").filter(
        has=page.locator("[data-testid=stMetricLabel]", has_text="地区生产总值增速")).first


def assert_overview_alerts(page, falls: list[str], figures_label: str) -> None:
    """The overview's alert cards (预警): one per fall, high before medium, the fall's sentence a click away."""
    cards = page.locator("[data-testid=stMain] [class*=st-key-alert_overview_]")
    assert cards.count() == 3
    texts = [cards.nth(i).inner_text().replace("\u00a0", " ").replace("\u2060", "") for i in range(3)]
    for fall in falls:
        assert sum(fall in t for t in texts) == 1, (fall, texts)
    assert falls[2] in texts[2]  # the rank's fall (medium) after the two serious ones
    assert "高于全市" not in " ".join(texts) and "above city" not in " ".join(texts)
    cards.nth(0).get_by_text(figures_label).click()
    link = cards.nth(0).locator("a[href*='fig=tf25_']").first
    link.wait_for()
    assert "read=test_falls_2025" in link.get_attribute("href")


def test_a_bulletin_with_falls_through_the_page_shows_them_on_the_overview_and_slide(falls_server, browser, tmp_path):
    ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        page = ctx.new_page()
        url = falls_server.url
        page.goto(url + "/", wait_until="commit")
        wait_ready(page)
        # before: the 2024 documents' rise
        assert "高于全市" in gdp_card(page).inner_text()
        log_in_as_analyst(page, url, PASSWORD)
        main = page.locator("[data-testid=stMain]")
        for label, value in (("来源编号", FALLS_META["source_id"]), ("简称（中文）", FALLS_META["short_zh"]),
                             ("简称（英文）", FALLS_META["short_en"]), ("标题（中文）", FALLS_META["title_zh"]),
                             ("标题（英文）", FALLS_META["title_en"])):
            main.get_by_label(label, exact=True).fill(value)
            main.get_by_label(label, exact=True).press("Tab")
        year = main.get_by_label("年份", exact=True)
        year.fill(FALLS_META["year"])
        year.press("Enter")
        text = main.get_by_label("粘贴报告全文（引文将逐字核对）")
        text.fill(FALLS)
        text.press("Control+Enter")
        wait_ready(page)
        csv = tmp_path / "falls.csv"
        csv.write_text("\n".join([HEADER, *FALL_ROWS]) + "\n", encoding="utf-8")
        main.locator("[data-testid=stFileUploader]").last.locator("input[type=file]").set_input_files(csv)
        page.get_by_role("button", name="校验并预览").click()
        page.get_by_text("校验通过：6 行").wait_for()
        page.get_by_role("button", name="确认提交 6 行并更新数据库").click()
        page.get_by_text("已提交批次").wait_for()

        page.goto(url + "/", wait_until="commit")
        wait_ready(page)
        card = gdp_card(page)
        shown = card.inner_text()
        assert "1%" in shown and "1.2个百分点" in shown and "低于全市" in shown and "高于全市" not in shown, shown
        delta = card.locator("[data-testid=stMetricDelta]")
        assert delta.locator("[data-testid=stMetricDeltaIcon-Down]").count() == 1, delta.inner_html()
        trade = page.locator("[data-testid=stMain] [data-testid=stMetric]").filter(
            has=page.locator("[data-testid=stMetricLabel]", has_text="进出口总额")).first.inner_text()
        assert "96亿元" in trade and "同比下降" in trade and "3.5%" in trade, trade
        assert "后退14位" in page.locator("[data-testid=stMain]").inner_text()
        # 预警 at the top of the overview: the bulletin's three falls, the serious first, each to its sentence
        assert_overview_alerts(page, ["低于全市1.2个百分点", "同比下降3.5%", "后退14位"], "依据的数字与原文")
        page.goto(url + "/?lang=en", wait_until="commit")
        wait_ready(page)
        assert_overview_alerts(page, ["below city 1.2 pp", "down 3.5% year on year", "down 14 places"],
                               "The figures and their sentences")

        page.goto(url + "/economy", wait_until="commit")  # 经济运行 opens on the newest period, 2025年
        wait_ready(page)
        economy = gdp_card(page).inner_text()
        assert "低于全市" in economy and "1.2个百分点" in economy and "高于全市" not in economy, economy
        assert gdp_card(page).locator("[data-testid=stMetricDeltaIcon-Down]").count() == 1

        page.goto(url + "/?present=1&slide=1", wait_until="commit")
        wait_ready(page)
        slide = gdp_card(page).inner_text()
        assert "低于全市" in slide and "1.2个百分点" in slide and "高于全市" not in slide, slide
    finally:
        ctx.close()
