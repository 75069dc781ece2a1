"""The URL state (dashboard/url_state.py): codes, not labels; a page owns its parameters; a link is
never rewritten away; a copied link reopens the same view; a URL value is never shown."""
from datetime import date

import duckdb
import pytest
from apptest_helpers import metric_values, open_page

from dashboard import layout, url_state
from queries import db_path


def all_periods() -> list[str]:
    with duckdb.connect(str(db_path()), read_only=True) as con:
        return [r[0] for r in con.execute("SELECT DISTINCT period FROM facts").fetchall()]


@pytest.mark.parametrize("period, code", [
    ("2024年", "2024"), ("2022年1-5月", "2022-01..2022-05"), ("2022年5月", "2022-05"), ("2024年前三季度", "2024q1-q3"),
    ("2024年1-9月", "2024-01..2024-09"), ("2022年末", "2022-end"), ("截至2024年", "to-2024"),
    ("2004-2024年", "2004..2024"), ("建成后", "after-built"), ("投产后前5年", "after-start-5y")])
def test_period_code_reads_the_period_as_written(period, code):
    assert url_state.period_code(period) == code


def test_every_period_of_the_data_has_its_own_ascii_code():
    periods = all_periods()
    codes = {url_state.period_code(p) for p in periods}
    assert len(codes) == len(periods) and all(c.isascii() and "," not in c for c in codes)


# widgets that today's data does not call for: a time series to pick (6+ periods), a second year of
# targets, more firms than the chart draws (tests/test_history_pages.py reads them on a history)
WITH_MORE_DATA = {"series_indicator", "target_year", "firm_q", "alert_page",  # a second page of alerts
                  "series_kind", "series_years", "trade_kind", "trade_years"}  # a long, mixed series


@pytest.mark.parametrize("page", ["overview", "economy", "clusters", "projects", "trade", "benchmarks", "targets",
                                  "alerts", "sources"])
def test_a_page_owns_exactly_the_parameters_its_widgets_read(page):
    at = open_page(page)
    read = set(at.session_state["_url_words"])  # every url_state widget records what it shows
    owned = {"lang", *url_state.PAGE_PARAMS.get(page, ())}
    if page == "sources":  # its documents tab reads ?read= (a widget) and ?fig= (the figure marked in it)
        read |= set(open_page(page, read="speech_deck_2022").session_state["_url_words"]) | {"fig", "tab"}
    assert read == owned - WITH_MORE_DATA


@pytest.mark.parametrize("page, change, url", [
    ("overview", lambda at: at.sidebar.button_group(key="lang").set_value("en"), {"lang": "en"}),
    ("targets", lambda at: at.button_group(key="status.zh").set_value("no_actual"), {"status": "no_actual"}),
    ("projects", lambda at: at.multiselect(key="size.zh").set_value(["large", "undisclosed"]),
     {"size": "ge10,undisclosed"}),
    ("projects", lambda at: at.multiselect(key="status.zh").set_value(["已竣工投产"]), {"status": "done"}),
    ("sources", lambda at: at.multiselect(key="topic.zh").set_value(["trade"]), {"topic": "trade"}),
    ("alerts", lambda at: at.multiselect(key="rule.zh").set_value(["rank_fell", "stale"]), {"rule": "rank_fell,stale"}),
    ("alerts", lambda at: at.button_group(key="scope.zh").set_value("newest"), {"scope": "newest"}),
    ("sources", lambda at: at.multiselect(key="period.zh").set_value(["2022年5月"]), {"period": "2022-05"}),
    # the year first (it opens its newest period, 2022年5月), then the period of that year
    ("economy", lambda at: at.selectbox(key="period_year.zh").set_value(2022).run().selectbox(key="period.zh")
     .set_value("2022年1-5月"), {"period": "2022-01..2022-05"}),
])
def test_a_widget_writes_its_code_and_the_copied_link_reopens_the_same_view(page, change, url):
    at = open_page(page)
    change(at).run()
    assert dict(at.query_params) == url
    reopened = open_page(page, **url)  # a fresh session, as a copied link opens
    assert dict(reopened.query_params) == url  # not rewritten away
    assert metric_values(reopened) == metric_values(at)
    assert values(reopened) == values(at)
    if "lang" not in url:  # the same link in the other language: the same choices and as many figures
        english = open_page(page, **url, lang="en")
        assert dict(english.query_params) == {**url, "lang": "en"}
        assert values(english) == values(at) and len(english.metric) == len(at.metric)


def values(at) -> list:
    """The values of the page's filters (the language toggle aside)."""
    return [w.value for w in [*at.button_group, *at.multiselect, *at.selectbox] if w.key != "lang"]


def test_going_back_to_the_default_leaves_no_parameter():
    at = open_page("targets", status="met")
    at.button_group(key="status.zh").set_value("all").run()
    assert "status" not in at.query_params and len(at.metric) == 18


def test_a_link_with_the_default_written_out_keeps_it():
    at = open_page("targets", status="all", lang="zh")
    assert dict(at.query_params) == {"status": "all", "lang": "zh"}


@pytest.mark.parametrize("source, target, params", [
    ("economy", "sources", {"period": "2022-05"}),
    ("projects", "targets", {"status": "done"}),
    ("sources", "economy", {"period": "2022-05", "topic": "trade", "q": "GDP"}),
])
def test_another_page_keeps_only_the_language(source, target, params):
    at = open_page(source, lang="en", **params)
    assert dict(at.query_params) == {"lang": "en", **params}
    at.switch_page(f"pages/{target}.py").run()
    assert dict(at.query_params) == {"lang": "en"}
    assert at.sidebar.button_group(key="lang").value == "en"


@pytest.mark.parametrize("value", ["![p](http://any-host/x.png)", "[点击登录](http://any-host/login)",
                                   "<img src=http://any-host/x.png>", "x" * 100_000])
@pytest.mark.parametrize("page, key", [("economy", "period"), ("targets", "status"), ("projects", "size"),
                                       ("sources", "topic"), ("sources", "q"), ("overview", "lang")])
def test_a_crafted_value_is_never_shown(page, key, value):
    at = open_page(page, **{key: value})
    assert not at.warning and not at.error and not at.exception
    shown = [e.value for e in [*at.markdown, *at.caption, *at.info] if isinstance(e.value, str)]
    assert not any("any-host" in text or "xxxxxxxxxx" in text for text in shown)
    assert len(at.query_params.get(key, "")) <= url_state.MAX_TEXT


def test_briefing_title_and_file_names_name_the_view(monkeypatch):
    from dashboard import briefing
    made = {}
    monkeypatch.setattr(briefing, "export", lambda deck, cover, progress=None: made.setdefault("deck", deck) and (b"pptx", b"pdf"))
    monkeypatch.setattr(briefing, "cover_for", lambda deck, title: made.setdefault("title", title))
    at = open_page("economy", period="2022-01..2022-05")
    at.button(key="briefing_page").click().run()
    assert made["title"] == "经济运行 · 2022年1-5月"
    assert made["deck"][0].title == "2022年1-5月主要指标及全市排名"  # the slides follow the screen too
    assert [b.proto.label for b in at.get("download_button")] == ["下载 PPTX", "下载 PDF"]
    made.clear()
    at.button(key="briefing_all").click().run()  # all screens: the period is the economy screen's, said so
    assert made["title"] == "聊城经济技术开发区 · 经济运行看板 · 经济运行：2022年1-5月"


def test_briefing_file_name_carries_the_view_and_the_date():
    today = date.today().strftime("%Y%m%d")
    assert layout.file_name("economy", {"period": "2022-01..2022-05"}) == \
        f"etdz_briefing_economy_period-2022-01..2022-05_{today}_zh"
    assert layout.file_name(None, {}) == f"etdz_briefing_all_{today}_zh"
    assert layout.file_name("projects", {"industry": "金属精深加工", "size": "ge10,undisclosed"}) == \
        f"etdz_briefing_projects_industry-金属精深加工_size-ge10-undisclosed_{today}_zh"
