"""项目建设: stages as separate cards, pool investments, the named-project table with URL-bound filters."""
import json

import pytest
from apptest_helpers import metric_values, open_page, seen


@pytest.fixture(scope="module")
def page():
    """The page as it opens, shared by the tests that only read it."""
    return open_page("projects")


PROJECT_COLUMN = "项目"


def project_table(at):
    return next(d.value for d in at.dataframe if PROJECT_COLUMN in d.value.columns)


def test_stages_are_separate_and_the_plan_is_quoted_not_divided(page):
    at = page
    values = metric_values(at)
    assert values["省市区三级重点项目"] == "105个"
    assert values["其中：实施类重点项目"] == "62个"  # the one stage the report calls 其中
    assert values["竣工投产项目"] == "28个"
    assert values["储备重点项目"] == "195个"
    assert values["政策性资金储备项目"] == "219个"
    assert values["审批时间提高幅度"] == "80%以上"
    text = " ".join(c.value for c in at.caption)
    assert "提前完成年度投资计划" in text and "71.4%" not in text
    assert len(at.get("plotly_chart")) == 1


def test_done_investment_sits_with_the_implementation_projects_not_the_105s_plan(page):
    cards = [seen(m.value) for m in page.markdown]
    plan_card = next(c for c in cards if "年度计划投资" in c)
    implementation = next(c for c in cards if "开工率" in c)
    assert "109.4亿元" in plan_card and "78.1" not in plan_card  # never done ÷ plan across different sets
    assert "完成投资 **78.1亿元**（2024年1-9月）" in implementation
    assert "总投资（计划） **494.6亿元**" in plan_card  # a plan carries its mark


def test_table_formats_figures_with_their_periods(page):
    table = project_table(page)
    assert len(table) == 11
    jingye = table[table[PROJECT_COLUMN] == "敬业集团金属资源循环利用产业园项目"].iloc[0]
    assert jingye["税收/利税"] == "税收（预计） 20亿元以上（前5年）"  # a forecast, marked; 原文“预计前5年累计”: no 投产后


def test_industries_and_statuses_are_only_what_a_sentence_says(page):
    table = project_table(page)
    assert set(table["产业"]) == {"未注明"}  # no document puts a named project in an industry
    assert page.multiselect(key="industry.zh").options == ["未注明"]
    assert set(table[table["文件年份"] == 2022]["状态"]) == {"未注明"}


def test_an_inferred_identity_is_marked_and_quotes_both_sentences(page):
    table = project_table(page).set_index(PROJECT_COLUMN)
    assert table.loc["百思特游艇", "推断（非原文）"] == "推断：即2022年交流发言中的“百思特高端游艇研发制造项目”"
    assert table.loc["百思特高端游艇研发制造项目", "推断（非原文）"] == "推断：即2024年工作纪实中的“百思特游艇”"
    assert table.loc["鲁源物流", "推断（非原文）"] == "—"


def test_status_filter_changes_the_rows():
    at = open_page("projects")
    before = len(project_table(at))
    at.multiselect(key="status.zh").set_value(["已竣工投产"]).run()
    assert len(project_table(at)) == 5 < before


def test_url_filters_restore_the_view():
    at = open_page("projects", status="done", year="2024")  # the URL holds a code, the table the words
    table = project_table(at)
    assert set(table["状态"]) == {"已竣工投产"} and len(table) == 5
    assert at.multiselect(key="status.zh").value == ["已竣工投产"] and at.query_params["status"] == "done"


def test_bad_filter_value_shows_everything_with_nothing_on_screen():
    at = open_page("projects", status="已取消")
    assert not at.warning and "status" not in at.query_params
    assert len(project_table(at)) == 11


def test_english_toggle_switches_labels():
    at = open_page("projects", lang="en")
    assert at.title[0].value == "Projects"
    assert metric_values(at)["Key projects (provincial, city, district)"] == "105 projects"
    table = next(d.value for d in at.dataframe if "Project" in d.value.columns)
    assert {"Completed and in production", "Not stated"} == set(table["Status"])
    assert set(table["Industry"]) == {"Not stated"}


def test_english_table_periods_and_counts_read_in_english():
    at = open_page("projects", lang="en")
    assert metric_values(at)["Key projects (provincial, city, district)"] == "105 projects"
    table = next(d.value for d in at.dataframe if "Project" in d.value.columns)
    jingye = table[table["Project"] == "Jingye metal resource recycling industrial park"].iloc[0]
    assert jingye["Tax / profit and tax"].replace("\u00a0", " ") == "tax (forecast) at least 2 bn yuan (first 5 years)"
    assert not any("（" in str(v) or "年" in str(v) for v in table.drop(columns=["Inferred (not in the text)"]).to_numpy().ravel())



def test_every_project_name_has_room_in_the_table(page):
    from dashboard.charts import text_px
    from dashboard.components import GRID_FONT_PX, GRID_PADDING_PX
    grid = page.dataframe[0]
    widths = {name: c.get("width") for name, c in json.loads(grid.proto.columns).items()}
    longest = max(grid.value["项目"], key=lambda v: text_px(v, GRID_FONT_PX))
    assert longest == "海南金鑫东方高铁及新能源车用新材料关键部件项目"
    assert widths["项目"] >= text_px(longest, GRID_FONT_PX) + GRID_PADDING_PX - 1
