"""经济运行: zone vs city, a period's indicators with city ranks (period in the URL), periods side by side."""
import pytest
from apptest_helpers import chart_specs, metric_values, open_page, seen


@pytest.fixture(scope="module")
def page():
    """The page as it opens, shared by the tests that only read it."""
    return open_page("economy")


def test_default_period_is_the_newest_with_ranks_and_both_charts(page):
    at = page
    assert len(at.get("plotly_chart")) == 2
    assert at.selectbox(key="period.zh").value == "2024年前三季度"
    values = metric_values(at)
    assert values["第二产业增加值增速"] == "10%"
    assert values["齐鲁首席技师"] == "3人"
    assert values["推荐对接的专利技术"] == "40余项"
    markdown = [m.value for m in at.markdown]
    assert "增速 **全市第1**" in markdown
    assert "占全市 60%" in markdown
    names = [trace["name"] for trace in chart_specs(at)[0]["data"]]
    assert names == ["开发区", "全市（推算）"]


def test_period_from_url_and_changing_it():
    at = open_page("economy", period="2022-01..2022-05")
    values = metric_values(at)
    assert values["规上工业增加值增速"] == "9.5%"
    assert values["进出口总额（1-5月，预计）"] == "预计20亿元"  # the qualifier stays, the label says 预计
    assert {seen(m.label): (m.delta, m.proto.delta_description) for m in at.metric}["民间投资占比"] == ("28.9个百分点", "高于全市")
    assert "总量 **全市第1**" in [m.value for m in at.markdown]  # FDI first in the city

    at.selectbox(key="period.zh").set_value("2022年5月").run()
    assert at.query_params["period"] == "2022-05"  # a code, the same in both languages
    values = metric_values(at)
    assert values["规上工业增加值增速"] == "12.9%"
    assert "固定资产投资" not in values


def test_side_by_side_panels_cover_each_indicator_with_two_periods(page):
    spec = chart_specs(page)[1]
    assert [list(trace["x"]) for trace in spec["data"]] == [["2022年1-5月", "2022年5月"]] * 3
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert titles == ["规上工业增加值增速", "制造业技改投资", "制造业技改投资增速"]


@pytest.mark.parametrize("bad", ["1999", "2022年1-5月", "![p](http://any-host/x.png)", "[点击登录](http://x)", "x" * 100_000])
def test_bad_period_falls_back_to_the_newest_with_nothing_on_screen(bad):
    at = open_page("economy", period=bad)
    assert not at.warning and not at.exception
    assert at.selectbox(key="period.zh").value == "2024年前三季度" and "period" not in at.query_params


def test_english_toggle_switches_labels():
    at = open_page("economy", lang="en")
    assert at.title[0].value == "Economy"
    assert metric_values(at)["Secondary industry value added growth"] == "10%"
    # long English panel titles wrap (Plotly would run them into each other); one figure is "1 firm"
    titles = [a["text"] for a in chart_specs(at)[1]["layout"]["annotations"]]
    assert titles[1:] == ["Manufacturing technical<br>upgrade investment", "Manufacturing technical<br>upgrade investment growth"]
    assert metric_values(at)["New gazelle firms"] == "1 firm"


def test_year_then_period_drop_downs_open_the_years_newest_period():
    at = open_page("economy")
    assert at.selectbox(key="period_year.zh").options == ["2024", "2022"]
    assert at.selectbox(key="period.zh").options == ["2024年前三季度"]
    at.selectbox(key="period_year.zh").set_value(2022).run()
    assert at.selectbox(key="period.zh").value == "2022年5月"  # the month before its 1-5月 (same end)
    assert at.query_params["period"] == "2022-05"
    assert metric_values(at)["规上工业增加值增速"] == "12.9%"


def test_english_periods_read_in_english():
    at = open_page("economy", lang="en")
    assert at.selectbox(key="period.en").options == ["2024 Q1–Q3"]
    assert open_page("economy", lang="en", period="2022-05").selectbox(key="period.en").options == ["May 2022", "Jan–May 2022"]
    assert [list(trace["x"]) for trace in chart_specs(at)[1]["data"]] == [["Jan–May 2022", "May 2022"]] * 3
    captions = " ".join(seen(c.value) for c in at.caption)
    assert "Source: 2024 press feature · 2024 Q1–Q3" in captions
    assert "年" not in captions and "（" not in captions
