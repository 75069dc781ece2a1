"""目标任务: the zone's 2022 targets, an actual only where a document gives one, status in colour."""
import pytest

from apptest_helpers import chart_specs, metric_values, open_page


@pytest.fixture(scope="module")
def at():
    return open_page("targets")


def test_trade_target_shows_the_forecast_as_progress_never_met(at):
    assert metric_values(at)["进出口总额增速（目标）"] == "50%以上"
    markdown = [m.value for m in at.markdown]
    # 1-5月 预计 69.67% is neither an actual nor the whole year: progress, not 已完成
    assert "进展：**2022年1-5月 预计69.67%**" in markdown
    assert ":orange-badge[进行中]" in markdown and ":green-badge[已完成]" not in markdown
    assert "只有预计数，不判定完成" in [c.value for c in at.caption]  # under the badge, on the one forecast's card
    bullets = chart_specs(at)
    assert len(bullets) == 1
    assert bullets[0]["data"][0]["text"] == ["2022年1-5月 预计69.67%"] and bullets[0]["data"][0]["name"] == "实际或进展"
    assert bullets[0]["data"][1]["text"] == ["目标 50%以上 · 进行中（只有预计数，不判定完成）"]


def test_only_the_zone_targets_and_no_invented_actuals(at):
    assert len(at.metric) == 18
    assert "每年招引协调项目数（政策要求）" not in metric_values(at)  # Zaozhuang's rule, not a target here
    assert [m.value for m in at.markdown].count(":gray-badge[暂无实际数据]") == 17
    # the one target with a figure has only a forecast: never counted as an actual
    assert any("18 项目标，其中 0 项有文件给出的实际数、1 项只有预计数" in c.value for c in at.caption)


def test_status_filter_changes_the_cards(at):
    at.button_group(key="status.zh").set_value("in_progress").run()
    assert list(metric_values(at)) == ["进出口总额增速（目标）"]
    at.button_group(key="status.zh").set_value("met").run()
    assert not at.metric
    at.button_group(key="status.zh").set_value("no_actual").run()
    assert len(at.metric) == 17
    at.button_group(key="status.zh").set_value("behind").run()
    assert not at.metric and any("没有符合条件的数据" in i.value for i in at.info)


def test_url_restores_the_filter_and_a_bad_value_falls_back_silently():
    assert len(open_page("targets", status="in_progress").metric) == 1
    at = open_page("targets", status="已完成")  # a label is not a code
    assert not at.warning and "status" not in at.query_params
    assert len(at.metric) == 18


def test_english_toggle_switches_labels():
    at = open_page("targets", lang="en")
    values = metric_values(at)
    assert values["Imports and exports growth (target)"] == "at least 50%"
    assert "In progress" in " ".join(m.value for m in at.markdown) and "Met" not in " ".join(m.value for m in at.markdown)


def test_subtitle_names_no_year_and_says_how_a_target_is_judged(at):
    # the page serves every year's targets: a year written into its text would be wrong next year
    subtitle = at.caption[0].value
    assert "覆盖目标全期" in subtitle and not any(ch.isdigit() for ch in subtitle)
