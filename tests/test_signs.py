"""Issue 19, item 1: one rule for a comparison's direction. A zone behind the city never reads as
ahead of it: 低于全市, 同比下降, 后退 are falls, shown in their own words with a down arrow on the
overview's cards, slide 1, the PPTX and the tables; a table's −5.6 is a signed number as written."""
import io

import pytest
from pptx import Presentation

import dashboard.admin
from apptest_helpers import open_page, seen
from dashboard import briefing, slides
from dashboard.components import provenance_table
from dashboard.fmt import comparison, row_text
from etl import admin, imports
from etl.numerals import parse_number
from import_helpers import HEADER, META, upload, workspace

FALLS = ("2025年经济运行简报（测试用）\n"
         "2025年，全区GDP增长1%，低于全市1.2个百分点。"
         "2025年，全区进出口总额完成96亿元，同比下降3.5%。"
         "2025年，开发区在217家国家级经开区中排名130位，较上年后退14个位次。\n")
FALLS_META = {**META, "source_id": "test_falls_2025", "year": "2025", "short_zh": "2025年简报",
              "short_en": "2025 bulletin", "title_zh": "2025年经济运行简报（测试用）"}
Q_GDP = "2025年，全区GDP增长1%，低于全市1.2个百分点"
Q_TRADE = "2025年，全区进出口总额完成96亿元，同比下降3.5%"
Q_RANK = "2025年，开发区在217家国家级经开区中排名130位，较上年后退14个位次"
FALL_ROWS = [
    f"tf25_gdp_growth,test_falls_2025,{Q_GDP},1,1,%,,开发区,gdp,growth,actual,2025年,economy,,",
    f"tf25_gdp_gap,test_falls_2025,{Q_GDP},1.2,-1.2,个百分点,,开发区,gdp,gap,actual,2025年,economy,,",
    f"tf25_trade,test_falls_2025,{Q_TRADE},96,96,亿元,,开发区,trade,level,actual,2025年,trade,,",
    f"tf25_trade_growth,test_falls_2025,{Q_TRADE},3.5,-3.5,%,,开发区,trade,growth,actual,2025年,trade,,",
    f"tf25_rank,test_falls_2025,{Q_RANK},130,130,位,,开发区,rank_national,rank,actual,2025年,benchmarks,217,",
    f"tf25_rank_change,test_falls_2025,{Q_RANK},14,-14,个位次,,开发区,rank_national,rank_change,actual,2025年,"
    "benchmarks,,",
]


@pytest.fixture
def falls(tmp_path_factory, tmp_path, monkeypatch):
    """A workspace with the falls bulletin committed, the app pointed at it."""
    data, db = workspace(tmp_path_factory, tmp_path)
    imports.commit(upload("\n".join([HEADER, *FALL_ROWS]) + "\n"), imports.new_source(FALLS_META, FALLS),
                   "analyst", data, db)
    monkeypatch.setenv("ETDZ_DATA", str(data))
    monkeypatch.setenv("ETDZ_DB", str(db))
    monkeypatch.setattr(dashboard.admin, "THROTTLE", admin.Throttle())
    return data, db


def test_the_rule_in_both_languages(monkeypatch):
    gap = {"measure": "gap", "value": -1.2, "value_text": "1.2", "unit": "个百分点", "qualifier": ""}
    assert comparison(gap) == {"arrow": "down", "words": "低于全市", "amount": "1.2个百分点",
                               "text": "低于全市1.2个百分点"}
    assert row_text(gap) == "\u22121.2个百分点"  # a table's value cell keeps the stored sign
    assert comparison({**gap, "value": 2.5, "value_text": "2.5"})["text"] == "高于全市2.5个百分点"
    growth = {"measure": "growth", "value": -3.5, "value_text": "3.5", "unit": "%", "qualifier": ""}
    assert comparison(growth)["text"] == "同比下降3.5%" and row_text(growth) == "\u22123.5%"
    rank = {"measure": "rank_change", "value": -14, "value_text": "14", "unit": "个位次", "quote": Q_RANK}
    assert comparison(rank) == {"arrow": "down", "words": "", "amount": "后退14位", "text": "后退14位"}
    monkeypatch.setattr("dashboard.i18n.lang", lambda: "en")
    monkeypatch.setattr("dashboard.fmt.lang", lambda: "en")
    assert seen(comparison(gap)["text"]) == "below city 1.2 pp"
    assert seen(comparison(growth)["text"]) == "down 3.5% year on year"
    assert seen(row_text(growth)) == "\u22123.5%"
    assert comparison(rank)["text"] == "down 14 places"


def test_a_gap_below_the_city_reads_as_below_on_the_overview_and_slide_1(falls):
    at = open_page("overview")
    card = next(m for m in at.metric if m.label == "地区生产总值增速")
    assert seen(card.value) == "1%"
    # the delta: its amount, the words of its direction, a red down arrow — never 高于全市
    assert (card.delta, card.proto.delta_description) == ("1.2个百分点", "低于全市")
    assert (card.proto.direction, card.proto.color) == (card.proto.DOWN, card.proto.RED)
    trade = next(m for m in at.metric if m.label == "进出口总额")
    assert (trade.value, trade.delta, trade.proto.delta_description) == ("96亿元", "3.5%", "同比下降")
    assert trade.proto.direction == trade.proto.DOWN
    rank = next(m for m in at.metric if m.label == "国家级经开区综合排名（2025）")
    assert rank.delta == "后退14位" and rank.proto.direction == rank.proto.DOWN
    assert "高于全市" not in card.proto.delta_description + card.delta  # the other cards are 2024's rises

    first = slides.build(0, {})
    compare = dict(zip(first.table["label"], first.table["compare"]))
    assert compare["地区生产总值增速"] == "低于全市1.2个百分点"
    assert compare["进出口总额"] == "同比下降3.5%"
    arrows = dict(zip(first.table["label"], first.table["arrow"]))
    assert arrows["地区生产总值增速"] == "down" and arrows["进出口总额"] == "down"

    # the same slide in the PPTX: the compare column holds the words of the fall
    pptx, pdf = briefing.export([first], briefing.cover_for([first], "总览"))
    table = next(sh.table for sh in Presentation(io.BytesIO(pptx)).slides[1].shapes if sh.has_table)
    cells = {table.cell(r, 0).text.replace("\v", ""): table.cell(r, 2).text.replace("\v", "")
             for r in range(1, len(table.rows))}
    assert cells["地区生产总值增速"] == "低于全市1.2个百分点"
    assert cells["进出口总额"] == "同比下降3.5%"
    # and the PDF of the same pages
    import subprocess
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "低于全市1.2个百分点" in text.replace("\n", "") and "高于全市1.2" not in text.replace("\n", "")

    # the table and its downloads: a signed value beside a measure that takes no side
    gap_row = first.data[first.data["figure_id"] == "tf25_gdp_gap"]
    table = provenance_table(gap_row)
    assert table.iloc[0]["数值"] == "\u22121.2个百分点" and table.iloc[0]["类型"] == "较全市"


def test_english_overview_says_below_city(falls):
    at = open_page("overview", lang="en")
    card = next(m for m in at.metric if m.label == "GDP growth")
    assert (seen(card.delta), card.proto.delta_description) == ("1.2 pp", "below city")
    assert card.proto.direction == card.proto.DOWN


@pytest.mark.parametrize("written", ["-5.6", "\u22125.6", "\uff0d5.6"])
def test_a_tables_signed_cell_is_a_number_as_written(tmp_path_factory, tmp_path, written):
    data, db = workspace(tmp_path_factory, tmp_path)
    table = f"指标,2024年1-12月,2024年同比增长（%）\n进出口总额（亿元）,105.3,{written}\n"
    text, problems = imports.table_text("月报.csv", table.encode("utf-8"))
    assert not problems
    line = f"月报!C2 进出口总额（亿元）｜2024年同比增长（%）：{written}"
    assert line in text.splitlines()
    source = imports.new_source({**META, "kind": "table"}, text, ("月报.csv", table.encode("utf-8")))
    def row(value: str) -> str:
        return f"tb24_trade_growth_2024,test_bulletin_2024_12,{line},{written},{value},%,,开发区,trade,growth,actual,2024年,trade,,"
    result = imports.check(upload("\n".join([HEADER, row("-5.6")]) + "\n"), source, data, db)
    assert result.ok, [p.message("en") for p in result.problems]
    # the sign as written is the number's: 5.6 stored for a written −5.6 is refused
    result = imports.check(upload("\n".join([HEADER, row("5.6")]) + "\n"), source, data, db)
    assert [p.message("en") for p in result.problems] == [f"bulletin.csv:2: value: value does not match value_text — 5.6 ≠ {written}"]


def test_a_rank_that_moved_back_is_a_fall(tmp_path_factory, tmp_path):
    data, db = workspace(tmp_path_factory, tmp_path)
    result = imports.check(upload("\n".join([HEADER, *FALL_ROWS]) + "\n"), imports.new_source(FALLS_META, FALLS),
                           data, db)
    assert result.ok, [p.message("en") for p in result.problems]


def test_signed_numbers_and_broken_fractions():
    assert [parse_number(x) for x in ("-5.6", "\u22125.6", "\uff0d5.6", "+3", "四分之一")] == [-5.6, -5.6, -5.6, 3, 0.25]
    for bad in ("分之一", "四分之", "零分之一", "--5", "+-3", "-"):
        with pytest.raises(ValueError):
            parse_number(bad)


# ---------- item 5: plausibility before commit ----------

PROVINCE = "2024年，全省实现地区生产总值92068.7亿元，同比增长5.7%。\n"
Q_PROVINCE = "2024年，全省实现地区生产总值92068.7亿元"
PROVINCE_ROW = (f"tp24_gdp_2024,test_bulletin_2024_12,{Q_PROVINCE},92068.7,92068.7,亿元,,开发区,gdp,level,actual,"
                "2024年,economy,,")


def test_the_provinces_gdp_as_the_zones_is_held_back_until_confirmed(tmp_path_factory, tmp_path):
    from import_helpers import BULLETIN, bulletin_csv, bulletin_source, sha
    data, db = workspace(tmp_path_factory, tmp_path)
    source = imports.new_source(META, BULLETIN + PROVINCE)
    up = upload(bulletin_csv(PROVINCE_ROW))
    result = imports.check(up, source, data, db)
    assert result.ok  # every field is right as a record…
    reasons = result.doubts[result.doubts["figure_id"] == "tp24_gdp_2024"]["reason_zh"].tolist()
    assert "引文中这个数字说的是“全省”，不是“开发区”" in reasons  # …of the province, not the zone
    assert any(r.startswith("该主体此前没有这一指标，而它是该主体任何同单位数字最大值的") for r in reasons)
    before = sha(db)
    with pytest.raises(imports.Refused) as err:
        imports.commit(up, source, "analyst", data, db)
    assert sha(db) == before
    messages = [p.message("en") for p in err.value.result.problems]
    assert messages[0].startswith("bulletin.csv:2: value: far outside this indicator's earlier range: confirm it "
                                  "on the page before commit — tp24_gdp_2024: ")
    assert "的" in err.value.result.problems[0].message("zh") or "确认" in err.value.result.problems[0].message("zh")
    imports.commit(up, source, "analyst", data, db, confirmed=("tp24_gdp_2024",))  # confirmed: committed
    assert sha(db) != before


def test_ten_times_the_zones_largest_trade_needs_a_confirmation(tmp_path_factory, tmp_path):
    from import_helpers import BULLETIN, bulletin_csv, bulletin_source
    data, db = workspace(tmp_path_factory, tmp_path)
    text = BULLETIN.replace("105.3亿元", "1053亿元")
    row = ("tb24_trade_2024,test_bulletin_2024_12,2024年，全区进出口总额完成1053亿元，同比增长15.2%,1053,1053,亿元,,"
           "开发区,trade,level,actual,2024年,trade,,")
    result = imports.check(upload(bulletin_csv(row)), imports.new_source(META, text), data, db)
    assert result.doubts["reason_zh"].tolist() == ["是此前同一指标最大值的12倍（此前最大 88.39亿元）"]
    # the bulletin's true 105.3亿元 asks nothing
    assert imports.check(upload(), bulletin_source(), data, db).doubts.empty


def test_a_zone_figure_above_the_citys_of_the_same_period_needs_a_confirmation(tmp_path_factory, tmp_path):
    from import_helpers import BULLETIN, bulletin_csv, bulletin_source
    data, db = workspace(tmp_path_factory, tmp_path)
    city_text = "2024年，全市进出口总额完成100.2亿元。\n"
    city = ("tc24_trade_2024,test_bulletin_2024_12,2024年，全市进出口总额完成100.2亿元,100.2,100.2,亿元,,全市,trade,level,"
            "actual,2024年,trade,,")
    imports.commit(upload(bulletin_csv(city)), imports.new_source(META, BULLETIN + city_text), "analyst", data, db)
    result = imports.check(upload(), None, data, db)  # the zone's 105.3亿元 of the same year
    assert result.doubts[result.doubts["figure_id"] == "tb24_trade_2024"]["reason_zh"].tolist() == [
        "大于同期全市的数字（全市 100.2亿元）"]
