"""数据来源: every figure searchable and filterable with its quote; documents, named things, enterprises."""
import pytest

from apptest_helpers import open_page


def shown(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith(("显示", "Showing")))


def figures(at):
    return at.dataframe[0].value


@pytest.fixture(scope="module")
def at():
    return open_page("sources")


def test_every_figure_is_listed_with_its_provenance(at):
    assert shown(at) == "显示 182 / 182 个数据"
    table = figures(at)
    assert len(table) == 182
    fdi = table[table["编号"] == "sd22_fdi_2021"].iloc[0]
    assert fdi["数值"] == "5385.74万美元" and fdi["原文数字"] == "5385.74" and fdi["期间"] == "2021年"
    assert "实际利用外资5385.74万美元" in fdi["原文"] and fdi["数据位置"].startswith("figures/speech_deck_2022.csv:")
    derived = table[table["性质"] == "推算"]
    assert len(derived) == 12 and derived["公式"].str.len().gt(0).all()


def test_documents_entities_and_enterprises(at):
    assert len(at.text) == 2 and "全市倒数第1" in at.text[0].value  # the full texts, to read in context
    assert [len(d.value) for d in at.dataframe[1:]] == [101, 9]  # 22 named things the audit added (regions, lists, founders, campaigns …)


def test_topic_filter_reduces_the_rows(at):
    at.multiselect(key="topic").set_value(["trade"]).run()
    assert shown(at) == "显示 25 / 182 个数据"
    at.multiselect(key="topic").set_value([]).run()
    assert shown(at) == "显示 182 / 182 个数据"


def test_url_restores_filters_and_search():
    at = open_page("sources", topic="trade")
    assert at.multiselect(key="topic").value == ["trade"]
    assert shown(at) == "显示 25 / 182 个数据"
    at = open_page("sources", q="5385.74")
    assert "sd22_fdi_2021" in figures(at)["编号"].tolist()
    assert len(figures(at)) == 2


def test_bad_url_parameter_falls_back_with_nothing_on_screen():
    at = open_page("sources", topic="nope")
    assert not at.warning and "topic" not in at.query_params
    assert shown(at) == "显示 182 / 182 个数据"


def test_no_match_says_so():
    at = open_page("sources", q="没有这个词")
    assert shown(at) == "显示 0 / 182 个数据"
    assert any("没有符合条件的数据" in i.value for i in at.info)


def test_english_toggle_switches_labels():
    at = open_page("sources", lang="en")
    assert shown(at) == "Showing 182 of 182 figures"
    assert "Indicator" in figures(at).columns
    values = dict(zip(figures(at)["Indicator"], figures(at)["Value"]))
    assert values["Year founded"] == "1992"  # a calendar year, not "1,992 years"
    assert values["Years of development"] == "27 years"
