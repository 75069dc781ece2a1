"""Presenter mode (?present=1): the URL's slide, Previous/Next, bad links, entering and leaving."""
import re

import pytest

from apptest_helpers import chart_specs, metric_values, open_page, seen

from dashboard import presenter, slides


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_url_slide_is_restored_and_shows_its_figures():
    at = open_page("overview", present="1", slide="9")
    assert at.title[0].value == "项目库（各类分别统计）"
    assert metric_values(at) == {"省市区三级重点项目": "105个", "其中：实施类重点项目": "62个", "竣工投产项目": "28个",
                                 "储备重点项目": "195个", "政策性资金储备项目": "219个"}
    assert f"9 / {len(slides.CATALOG)}" in at.markdown[0].value
    assert "来源：2024年工作纪实" in seen(at.caption[-1].value)  # the source line under the slide
    assert not at.sidebar.button  # no sidebar controls (present mode, export) while presenting


def test_next_and_previous_move_through_the_slides_and_the_url():
    at = open_page("overview", present="1", slide="9")
    button(at, "下一页").click().run()
    assert at.query_params["slide"] == "10" and at.title[0].value == "各类项目总投资（亿元）"
    assert len(chart_specs(at)) == 1
    button(at, "上一页").click().run()
    button(at, "上一页").click().run()
    assert at.query_params["slide"] == "8" and at.title[0].value == "钢管产业集群"


def test_first_and_last_slides_cannot_go_further():
    at = open_page("overview", present="1", slide="1")
    assert button(at, "上一页").disabled and not button(at, "下一页").disabled
    at = open_page("overview", present="1", slide=str(len(slides.CATALOG)))
    assert button(at, "下一页").disabled


@pytest.mark.parametrize("bad", ["99", "0", "²", "①", "-1", "1.5", "x" * 100_000])
def test_bad_slide_opens_the_first_with_nothing_on_screen(bad, caplog):
    at = open_page("overview", present="1", slide=bad)
    assert not at.warning and not at.error and not at.exception
    assert at.query_params["slide"] == "1" and at.title[0].value == "主要经济指标"
    assert "URL parameter slide: invalid value" in caplog.text and len(caplog.text) < 2_000


def test_entering_from_a_screen_starts_at_its_slides_and_exit_returns():
    at = open_page("projects")
    button(at.sidebar, "演示模式").click().run()
    assert at.query_params["present"] == "1"
    assert at.query_params["slide"] == str(slides.first_index("projects") + 1)
    assert at.title[0].value == "项目库（各类分别统计）"
    button(at, "退出演示").click().run()
    assert "present" not in at.query_params and at.title[0].value == "项目建设"


def test_english_slide_and_auto_advance_controls():
    at = open_page("overview", present="1", slide="3", lang="en")
    assert at.title[0].value == "Growth: zone vs city (%)"
    assert [b.label for b in at.button] == ["First", "Previous", "Next", "Last", "Play", "Exit"]
    assert next(w for w in at.button_group if w.key == "every.en").value == 15
    at = open_page("overview", present="1", slide="3", auto="on", every="10")
    assert button(at, "暂停") and next(w for w in at.button_group if w.key == "every.zh").value == 10


def test_play_pause_interval_and_exit_in_any_order_never_raise():
    """The crash of issue 11: 播放 then 退出演示 raised "Cannot directly delete query parameter 'auto'"."""
    for steps in [["播放", "退出演示"], ["播放", "30秒", "退出演示"], ["30秒", "播放", "暂停", "退出演示"],
                  ["播放", "10秒", "暂停", "60秒", "播放", "退出演示"]]:
        at = open_page("economy", present="1", slide="5")
        for step in steps:
            if step.endswith("秒"):
                next(w for w in at.button_group if w.key == "every.zh").set_value(int(step[:-1])).run()
            else:
                button(at, step).click().run()
            assert not at.exception, (steps, step, [e.message for e in at.exception])
        assert dict(at.query_params) == {} and at.title[0].value == "经济运行", steps
        assert [b.label for b in at.sidebar.button][:1] == ["演示模式"]


def test_auto_and_every_are_codes_in_the_url():
    at = open_page("overview", present="1", slide="3")
    button(at, "播放").click().run()
    next(w for w in at.button_group if w.key == "every.zh").set_value(30).run()
    assert dict(at.query_params) == {"present": "1", "slide": "3", "auto": "on", "every": "30"}
    button(at, "暂停").click().run()
    assert "auto" not in at.query_params and at.query_params["every"] == "30"


def test_rank_slide_arrows_follow_the_change_and_the_grade_is_the_citys_only():
    at = open_page("overview", present="1", slide="2")
    cards = {m.label: m.proto for m in at.metric}
    provincial, city = cards["省级开发区排名（2021）"], cards["市对区综合考核名次（2021）"]
    assert provincial.delta == "下滑31位" and (provincial.direction, provincial.color) == (provincial.DOWN, provincial.RED)
    assert city.delta == "提升6位" and (city.direction, city.color) == (city.UP, city.GREEN)
    assert [m.delta_description for m in cards.values()] == ["", "", ""]
    # the grade is a line under the city card, as on the overview page (never read as the change's meaning)
    assert [c.value for c in at.caption].count("二等") == 1


def test_english_slide_cards_name_their_periods_in_english():
    at = open_page("overview", present="1", slide="1", lang="en")
    captions = [c.value for c in at.caption]
    assert "2024 Q1–Q3 · 2024 press feature" in captions and "Jan–Oct 2024 · 2024 press feature" in captions
    assert not any("年" in c or "（" in c for c in captions)


def test_a_wrapped_tick_label_keeps_each_number_with_its_unit():
    """Slides 14/15 split 烟台经开区12个… as 烟台市1 / 2个省…: a wrap never falls inside a number or
    between a number and its unit, on any slide's axis."""
    checked = 0
    for number in range(len(slides.CATALOG)):
        slide = slides.build(number, {})
        if slide is None or slide.figure is None:
            continue
        figure = presenter._upright(slides.for_screen(slide.figure, None))
        for axis in [k for k in figure.layout.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
            for text in figure.layout[axis].ticktext or []:
                checked += 1
                assert not re.search(r"[0-9A-Za-z.]<br>[0-9A-Za-z.个家项位年月]", text), (number + 1, text)
                assert not re.search(r"<br>[）)、，]|[（(]<br>", text), (number + 1, text)
    assert checked > 20
