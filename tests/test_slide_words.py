"""What issue 20's audit found the slides and briefings drop, as the projector and paper show it."""
import io

import pytest
from apptest_helpers import cards, chart_specs, open_page, seen
from pptx import Presentation

from dashboard import briefing, slides
from dashboard.i18n import _LANG_OUTSIDE_SESSION


def slide_cards(at) -> dict[str, dict]:
    """label → (value, delta, what it compares with, the caption lines under the card)."""
    return {seen(c["metric"].label): {"value": seen(c["metric"].value), "delta": seen(c["metric"].proto.delta),
                                "note": c["metric"].proto.delta_description,
                                "lines": [seen(x).replace("\\", "") for x in c["lines"]]} for c in cards(at)}


def captions(at) -> str:
    return " ".join(seen(c.value).replace("\\", "") for c in at.caption)


def briefing_text(view: dict, page: str, lang: str = "zh") -> list[list[str]]:
    """Each exported PPTX page's text (its text boxes and table rows, cells joined by " | ")."""
    token = _LANG_OUTSIDE_SESSION.set(lang)
    try:
        deck = slides.deck(view, page)
        pptx, _ = briefing.export(deck, briefing.cover_for(deck, page))
    finally:
        _LANG_OUTSIDE_SESSION.reset(token)
    pages = []
    for shown in Presentation(io.BytesIO(pptx)).slides:
        texts = [sh.text_frame.text for sh in shown.shapes if sh.has_text_frame]
        for sh in (s for s in shown.shapes if s.has_table):
            texts += [" | ".join(c.text.replace("\v", "") for c in row.cells) for row in sh.table.rows]
        pages.append([seen(x) for x in texts])
    return pages


ECONOMY = slides.first_index("economy") + 1


def test_economy_slide_says_what_the_delta_compares_with_and_the_city_ranks():
    """Slide 4 read "地区生产总值增速 8% ↑+2.5个百分点": a lead over the city shown as a change since last year."""
    shown = slide_cards(open_page("overview", present="1", slide=str(ECONOMY)))
    assert shown["地区生产总值增速"]["note"] == "高于全市" and shown["地区生产总值增速"]["delta"] == "2.5个百分点"
    assert "增速 全市第1" in shown["第二产业增加值增速"]["lines"]  # the title promises 全市排名
    en = slide_cards(open_page("overview", present="1", slide=str(ECONOMY), lang="en"))
    assert en["GDP growth"]["note"] == "above city"
    may = slide_cards(open_page("economy", present="1", slide=str(ECONOMY), period="2022-01..2022-05"))
    assert (may["民间投资占比"]["note"], may["民间投资占比"]["delta"]) == ("高于全市", "28.9个百分点")
    assert "占比 全市第1" in may["民间投资占比"]["lines"]
    assert (may["制造业技改投资（1-5月）"]["note"], may["制造业技改投资（1-5月）"]["delta"]) == ("同比增长", "10.2%")


def test_economy_briefing_table_says_above_city_and_year_on_year():
    pages = briefing_text({"period": "2022-01..2022-05"}, "economy")
    rows = {r.split(" | ")[0]: r for r in pages[1] if " | " in r}
    assert "高于全市28.9个百分点 · 占比 全市第1" in rows["民间投资占比"]
    assert "同比增长10.2%" in rows["制造业技改投资（1-5月）"]  # growth said to be growth, not a bare 10.2%


@pytest.mark.parametrize("lang, words", [("zh", "各期长度不同（全年、1-5月、1-10月），总额不可直接比较。"),
                                         ("en", "Periods differ in length (full year, Jan–May, Jan–Oct)")])
def test_trade_slides_warn_that_periods_differ_and_forecast_bars_look_different(lang, words):
    first = slides.first_index("trade") + 1
    trade = open_page("overview", present="1", slide=str(first), lang=lang)
    assert words in captions(trade)
    fdi = open_page("overview", present="1", slide=str(first + 1), lang=lang)
    assert words.split("、1-10月")[0].split(", Jan–Oct")[0] in captions(fdi)
    level, growth = chart_specs(trade)[0]["data"]
    # 2020 (derived, paler), 2021 (whole year), 1-5月 预计 (cross-hatched), 1-10月 (part of a year: hatched)
    assert level["marker"]["pattern"]["shape"] == ["", "", "x", "/"]
    assert growth["marker"]["pattern"]["shape"] == ["", "x", "/"]
    assert level["marker"]["opacity"][0] < 1 == level["marker"]["opacity"][1]


def test_trade_briefing_pages_carry_the_warning():
    pages = briefing_text({}, "trade")
    assert any("各期长度不同（全年、1-5月、1-10月）" in x for x in pages[1])
    assert any("网格柱为预计数" in x for x in pages[1])


def test_city_rank_slide_is_titled_by_its_ranking_and_says_last_in_the_city_and_the_grades():
    number = slides.first_index("benchmarks") + 3
    at = open_page("overview", present="1", slide=str(number))
    assert at.title[0].value == "市对区综合考核名次 · 名次（第1名在最上）"  # never the derived 2020 rank's label
    words = captions(at)
    assert "2020年原文：全市倒数第1" in words and "2020年 四等 → 2021年 二等" in words


def test_party_slide_names_the_brand_its_rank_is_of():
    at = open_page("overview", present="1", slide=str(slides.first_index("party") + 1))
    shown = slide_cards(at)
    assert "党建项目观摩排名" not in shown  # never read as the zone first of 30
    brand = shown["单(善)小暖心 · 党建项目观摩排名"]
    assert brand["value"] == "第1/30" and "入选“全市基层党建十佳示范项目”" in brand["lines"]
    en = slide_cards(open_page("overview", present="1", slide=str(slides.first_index("party") + 1), lang="en"))
    assert "Shan Xiao Nuan Xin party-service brand · Party-building project ranking" in en


def test_target_slide_says_a_forecast_is_not_met():
    at = open_page("overview", present="1", slide=str(slides.first_index("targets") + 1))
    big = at.metric[0]
    assert seen(big.value) == "2022年1-5月 预计69.67%"
    assert seen(big.proto.delta) == "目标 50%以上 · 进行中（只有预计数，不判定完成）"
    assert "已完成" not in seen(big.proto.delta)
    pages = briefing_text({}, "targets", lang="en")
    assert any("In progress (a forecast only, never judged met)" in x for x in pages[1])


def test_rank_slide_position_counts_the_zone_itself():
    at = open_page("overview", present="1", slide="2")
    words = captions(at)
    assert "位于后约11.3%、倒数第18（推算自名次与总数）" in words and "10.6" not in words


def test_a_slides_notes_are_sentences_that_end_before_the_next_begins():
    """The rank slide read "…(#1 from bottom) City assessment grade: … The 2020 rank …": each note ends
    with its full stop, in both languages, so notes joined on a slide or a printed page stay apart."""
    for language in ("zh", "en"):
        token = _LANG_OUTSIDE_SESSION.set(language)
        try:
            for number in range(len(slides.CATALOG)):
                slide = slides.build(number, {})
                for warning in (slide.warnings if slide else []):
                    assert warning.rstrip()[-1] in "。.）)！？!?", (language, number + 1, warning)
        finally:
            _LANG_OUTSIDE_SESSION.reset(token)


def test_a_briefing_tables_comparison_reads_in_each_languages_order():
    """The English table cell read "up year on year 17.1%": the one phrase of fmt.comparison."""
    compared = {}
    for language in ("zh", "en"):
        token = _LANG_OUTSIDE_SESSION.set(language)
        try:
            compared[language] = list(slides.build(0, {}).table["compare"])
        finally:
            _LANG_OUTSIDE_SESSION.reset(token)
    assert "同比增长17.1%" in [seen(c) for c in compared["zh"]]
    assert "up 17.1% year on year" in [seen(c) for c in compared["en"]], compared["en"]
