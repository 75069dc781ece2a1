"""预警: the rules of dashboard/alerts.toml on a labelled history with known falls (exactly the expected
alerts), on the shipped data (only true ones), on the overview, the 预警 page, the slide and the briefing."""
import io
import sys
from pathlib import Path

import pytest
from apptest_helpers import open_page, seen
from history_helpers import falls_history  # noqa: F401  (a fixture)
from pptx import Presentation

from dashboard import alerts, briefing, slides
from dashboard.i18n import speaking

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from synth_history import FALLS_EXPECTED  # noqa: E402

# the shipped data's only alerts (besides stale data): 在160家省级开发区中排名143位，较上一年度下滑31个位次
SHIPPED = {("rank_fell", "sd22_rank_provincial_2021")}
NOT_STALE_FALLS, STALE_FALLS = "2028-01-15", "2028-02-01"  # the falls history's newest month is 2027年11月


def raised(found) -> set[tuple[str, str]]:
    return {(a.rule, a.figures[0]["figure_id"]) for a in found}


@pytest.fixture
def on_falls(falls_history, monkeypatch):  # noqa: F811
    data, db = falls_history
    monkeypatch.setenv("ETDZ_DATA", str(data))
    monkeypatch.setenv("ETDZ_DB", str(db))
    monkeypatch.setenv("ETDZ_TODAY", NOT_STALE_FALLS)
    return data, db


def computed(day: str, code: str = "zh"):
    with speaking(code):
        return alerts.all_alerts.__wrapped__(day)


def test_known_falls_raise_exactly_the_expected_alerts(on_falls):
    assert raised(computed(NOT_STALE_FALLS)) == FALLS_EXPECTED | SHIPPED


def test_stale_data_is_raised_once_the_reporting_rhythm_is_past(on_falls):
    found = computed(STALE_FALLS)
    assert raised(found) - FALLS_EXPECTED - SHIPPED == {("stale", "falls202711_z_iva_growth")}  # the zone's own, not the peer's
    stale = next(a for a in found if a.rule == "stale")
    assert "2027年11月" in stale.text and "3个月" in stale.text
    assert stale.derived == "间隔 = 2028年2月 − 2027年11月 = 3个月"


def test_each_alert_says_its_direction_by_the_one_rule_and_its_derived_numbers_with_formula(on_falls):
    by = {(a.rule, a.figures[0]["figure_id"]): a for a in computed(NOT_STALE_FALLS)}
    gap = by[("gap_negative", "falls202711_z_trade_gap")]
    assert "低于全市1.2个百分点" in gap.text and "高于全市2.0个百分点" in gap.text and "−" not in gap.text
    fall = by[("growth_negative", "falls202706_z_trade_growth")]
    assert "同比下降2.0%" in fall.text and "同比增长8.0%" in fall.text
    rank = by[("rank_fell", "falls202709_z_trade_ytd_rank")]
    assert "后退2位" in rank.text or "下滑2位" in rank.text
    assert rank.derived.startswith("名次变化 = 本期 2027年1-9月 第5 对比上一可比期 2026年1-9月 第3")
    pace = by[("target_at_risk", "falls202701_z_trade_target")]
    assert pace.derived == ("余下月份所需月均 = （目标 130亿元 − 2027年1-11月 110亿元）÷ 余下1个月 = 20.0亿元；"
                            "至今月均 = 实际数 ÷ 11个月 = 10.0亿元")
    # the forecast (预计135亿元) is never one of the figures an alert stands on
    assert all(r["basis"] in ("actual", "target") for a in by.values() for r in a.figures)
    assert by[("growth_fell", "falls202710_z_iva_growth")].derived.endswith("= 5.5个百分点")


def test_english_alerts_say_the_same_in_english(on_falls):
    by = {(a.rule, a.figures[0]["figure_id"]): a for a in computed(NOT_STALE_FALLS, "en")}
    assert "below city 1.2 pp" in seen(by[("gap_negative", "falls202711_z_trade_gap")].text)
    assert "down 2.0% year on year" in seen(by[("growth_negative", "falls202706_z_trade_growth")].text)
    assert "Nov 2027" in seen(by[("gap_negative", "falls202711_z_trade_gap")].text)


def test_shipped_data_raises_only_true_alerts(monkeypatch):
    monkeypatch.setenv("ETDZ_TODAY", "2026-12-07")
    found = computed("2026-12-07")
    assert raised(found) == SHIPPED | {("stale", "wr24_funds_in_place_2024m1_10")}
    rank = next(a for a in found if a.rule == "rank_fell")
    assert rank.text == "开发区省级开发区排名下滑31位：2021年 第143/160（上一可比期 2020年 第112/160）"
    assert any("较上一年度下滑31个位次" in r["quote"] for r in rank.figures)
    # the only target with progress has a forecast (预计69.67%): it raises nothing
    assert not [a for a in found if a.rule == "target_at_risk"]
    # within the reporting rhythm, no stale-data alert
    assert raised(computed("2024-12-20")) == SHIPPED


def test_overview_shows_the_newest_alerts_most_serious_first_with_links_to_their_sentences(on_falls):
    at = open_page("overview")
    assert "最新预警" in [s.value for s in at.subheader]
    shown = [seen(m.value) for m in at.markdown if "-badge[" in m.value]
    assert len(shown) == 3 and all(":red-badge[严重]" in s for s in shown)
    assert "低于全市1.2个百分点" in shown[0]  # the newest month first among the serious
    links = {p.proto.query_string for p in at.get("page_link") if p.proto.page == "sources"}
    assert "fig=falls202711_z_trade_gap&read=falls_2027_11" in links  # the sentence, one click away
    assert not [m for m in at.markdown if "数据未更新" in m.value]  # within the reporting rhythm: no stale-data note


def test_overview_has_no_alert_box_when_there_are_none(monkeypatch):
    monkeypatch.setattr(alerts, "overview_alerts", lambda: [])
    at = open_page("overview")
    assert "最新预警" not in [s.value for s in at.subheader]
    assert not [m for m in at.markdown if ":gray-badge[" in m.value]  # an alert card names its rule so


def test_every_page_header_says_the_data_is_stale(monkeypatch):
    monkeypatch.setenv("ETDZ_TODAY", "2026-12-07")
    for page in ("overview", "economy", "alerts"):
        at = open_page(page)
        note = [seen(m.value) for m in at.markdown if m.value.startswith(":orange-badge[:material/update: 数据未更新]")]
        assert len(note) == 1 and "2024年1-10月" in note[0] and "26个月" in note[0], page


def test_alerts_page_filters_in_the_url_and_pages_a_long_history(on_falls, monkeypatch):
    monkeypatch.setitem(alerts.CONFIG["page"], "size", 3)
    at = open_page("alerts")
    assert len([m for m in at.markdown if "-badge[" in m.value]) == 3
    assert [m.placeholder for m in at.multiselect] == ["全部"] * 3  # an empty filter says it shows all, not a blank box
    assert at.selectbox(key="alert_page.zh").options == ["1", "2", "3"]
    at.selectbox(key="alert_page.zh").set_value(3).run()
    assert at.query_params["alert_page"] == "3"
    assert len([m for m in at.markdown if "-badge[" in m.value]) == 2  # 8 alerts: 3 + 3 + 2
    at = open_page("alerts", severity="high", scope="newest")
    shown = [seen(m.value) for m in at.markdown if "-badge[" in m.value]
    assert len(shown) == 3 and all("严重" in s for s in shown)
    at = open_page("alerts", rule="peer_overtook", lang="en")
    assert {p.proto.query_string for p in at.get("page_link")} >= {"fig=falls202703_p_trade_level&read=falls_2027_03&lang=en"}
    shown = [seen(m.value) for m in at.markdown if "-badge[" in m.value]
    assert len(shown) == 1 and "Synthetic zone 01 overtook" in shown[0]
    # each figure named with its sentence, the rule in words with its threshold
    captions = [seen(c.value) for c in at.caption]
    assert any("11.00亿元（合成）" in c for c in captions)
    assert any(c.startswith("Rule: A peer zone's amount") for c in captions)


def test_alert_slide_and_briefing_page_come_from_the_same_alerts(on_falls):
    with speaking("zh"):
        found = [a for a in alerts.alerts() if a.newest]
        deck = slides.deck({}, "alerts")
        assert len(deck) == 1 and deck[0].items[0][0] == f"{alerts.heading(found[0])}：{found[0].text}"
        assert deck[0].warnings == [f"另有{len(found) - 3}条预警，见“预警”页面。"]
        cover = briefing.cover_for(deck, "预警")
        pptx = Presentation(io.BytesIO(briefing.pptx_bytes(cover, deck, [None])))
        pdf = briefing.pdf_bytes(cover, deck, [None])
    page = " ".join(s.text_frame.text for s in pptx.slides[1].shapes if s.has_text_frame)
    assert found[0].text in page and "推算" in page
    assert pdf.startswith(b"%PDF")


def test_stale_data_is_on_the_briefing_cover(monkeypatch):
    monkeypatch.setenv("ETDZ_TODAY", "2026-12-07")
    with speaking("zh"):
        deck = slides.deck({}, "alerts")
        cover = briefing.cover_for(deck, "预警")
        prs = Presentation(io.BytesIO(briefing.pptx_bytes(cover, deck, [None] * len(deck))))
    texts = [s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame]
    assert any(t.startswith("提示 · 数据未更新：最新月度数据为2024年1-10月") for t in texts)
