"""总览: headline KPIs with their periods and sources, ranks, the growth-vs-city chart."""
import json

from apptest_helpers import metric_values, open_page


def test_overview_shows_headline_figures_as_written():
    at = open_page("overview")
    values = metric_values(at)
    assert values["地区生产总值"] == "8%"
    assert values["进出口总额"] == "88.39亿元"
    assert values["规模以上企业数"] == "523家"
    assert values["到位资金"] == "41亿元"
    assert values["国家级经开区综合排名（2021）"] == "第116 / 217"
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["地区生产总值"] == "+2.5个百分点"
    assert deltas["国家级经开区综合排名（2021）"] == "提升76位"
    assert deltas["省级开发区排名（2021）"] == "下滑31位"


def test_every_kpi_card_names_its_source_and_period():
    at = open_page("overview")
    captions = [c.value for c in at.caption]
    assert "来源：2024年工作纪实 · 2024年前三季度" in captions
    assert "来源：2024年工作纪实 · 2024年1-10月" in captions
    assert "来源：2022年交流发言 · 2021年" in captions


def test_investment_card_quotes_the_plan_instead_of_computing_a_ratio():
    at = open_page("overview")
    text = " ".join(c.value for c in at.caption)
    assert "109.4亿元" in text and "提前完成年度投资计划" in text
    assert "71.4%" not in text  # 78.1 / 109.4 would mix different sets


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
    assert values["Imports and exports"] == "8.839 bn yuan"  # 88.39亿元, as precise as written
    assert values["National ETDZ ranking (2021)"] == "#116 / 217"


def test_bad_language_parameter_falls_back_with_nothing_on_screen():
    at = open_page("overview", lang="English")  # the label the bound toggle used to write
    assert at.title[0].value == "总览"
    assert not at.warning and "lang" not in at.query_params


def test_rank_cards_point_the_way_the_rank_moved_and_only_the_city_card_has_a_grade():
    at = open_page("overview")
    cards = {m.label: m.proto for m in at.metric}
    national, provincial = cards["国家级经开区综合排名（2021）"], cards["省级开发区排名（2021）"]
    assert (national.direction, national.color) == (national.UP, national.GREEN)
    assert (provincial.direction, provincial.color) == (provincial.DOWN, provincial.RED)  # 下滑31位
    # 二等 is the city's assessment grade (2021): once, on the city card, not on the national one
    assert [m.value for m in at.markdown].count("**二等**") == 1
