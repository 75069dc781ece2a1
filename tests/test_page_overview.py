"""总览: headline KPIs with their periods and sources, ranks, the growth-vs-city chart."""
import json

from apptest_helpers import metric_values, open_page, seen


def test_overview_shows_headline_figures_as_written():
    at = open_page("overview")
    values = metric_values(at)
    assert values["地区生产总值增速"] == "8%"  # a growth rate, named as one
    assert "地区生产总值" not in values
    assert values["进出口总额（1-10月）"] == "88.39亿元"
    assert values["规模以上企业数"] == "523家"
    assert values["到位资金（1-10月）"] == "41亿元"
    assert values["国家级经开区综合排名（2021）"] == "第116 / 217"
    # no line break after the slash, on a card or a slide
    assert next(m.value for m in at.metric if seen(m.label) == "国家级经开区综合排名（2021）") == "第116\u00a0/\u00a0217"
    deltas = {seen(m.label): m.delta for m in at.metric}
    assert deltas["地区生产总值增速"] == "2.5个百分点"
    assert deltas["国家级经开区综合排名（2021）"] == "提升76位"
    assert deltas["省级开发区排名（2021）"] == "下滑31位"


def test_every_kpi_card_names_its_source_and_period():
    at = open_page("overview")
    captions = [seen(c.value) for c in at.caption]
    assert "来源：2024年工作纪实 · 2024年前三季度" in captions
    assert "来源：2024年工作纪实 · 2024年1-10月" in captions
    assert "来源：2022年交流发言 · 2021年" in captions


def test_investment_done_is_its_own_1_to_9_month_card_never_beside_the_plan():
    at = open_page("overview")
    assert metric_values(at)["实施类（推断）重点项目完成投资（1-9月）"] == "78.1亿元"
    text = " ".join(m.value for m in [*at.caption, *at.markdown])
    # 109.4亿元 is the 105 projects' plan: not a denominator of the 62 projects' 1-9月 amount
    assert "109.4" not in text and "71.4%" not in text


def test_rank_cards_show_the_position_with_its_direction():
    at = open_page("overview")
    captions = [c.value for c in at.caption]
    # 第143/160: the zone is among the last 18 of 160 (itself counted), 11.25% → 约11.3%; not "百分位 89.4%"
    assert "位于后约11.3%、倒数第18（推算自名次与总数）" in captions
    assert not any("百分位" in c or "89.4" in c for c in captions)
    en = [c.value.replace("\\", "") for c in open_page("overview", lang="en").caption]  # as read (no Markdown escapes)
    assert "in about the bottom 11.3%, #18 from the bottom (derived from the rank and the total)" in en


def test_derived_city_growth_shows_its_formula_in_words_not_ids():
    at = open_page("overview")
    text = " ".join(c.value for c in at.caption)
    assert "推算：全市GDP增速 = 开发区地区生产总值增速 8% − 地区生产总值较全市 2.5个百分点" in text
    assert "wr24_" not in text
    # a number and its unit are joined by no-break spaces in English (dashboard.fmt): read as spaces
    en = " ".join(c.value for c in open_page("overview", lang="en").caption).replace("\u00a0", " ")
    assert "City GDP growth implied = Liaocheng ETDZ GDP growth 8% − GDP gap to city 2.5 pp" in en and "wr24_" not in en


def test_growth_chart_compares_zone_with_derived_city():
    at = open_page("overview")
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    names = [trace["name"] for trace in json.loads(charts[0].proto.spec)["data"]]
    assert names == ["开发区", "全市（推算）"]


def test_english_toggle_switches_labels_and_units():
    at = open_page("overview", lang="en")
    values = metric_values(at)
    assert at.title[0].value == "Overview"
    assert values["GDP growth"] == "8%" and "GDP" not in values
    assert values["Imports and exports (Jan–Oct)"] == "8.839 bn yuan"  # 88.39亿元, as precise as written
    assert values["National ETDZ ranking (2021)"] == "#116 / 217"


def test_bad_language_parameter_falls_back_with_nothing_on_screen():
    at = open_page("overview", lang="English")  # the label the bound toggle used to write
    assert at.title[0].value == "总览"
    assert not at.warning and "lang" not in at.query_params


def test_rank_cards_point_the_way_the_rank_moved_and_only_the_city_card_has_a_grade():
    at = open_page("overview")
    cards = {seen(m.label): m.proto for m in at.metric}
    national, provincial = cards["国家级经开区综合排名（2021）"], cards["省级开发区排名（2021）"]
    assert (national.direction, national.color) == (national.UP, national.GREEN)
    assert (provincial.direction, provincial.color) == (provincial.DOWN, provincial.RED)  # 下滑31位
    # 二等 is the city's assessment grade (2021): once, on the city card, not on the national one
    assert [m.value for m in at.markdown].count("**二等**") == 1
