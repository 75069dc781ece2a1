"""The label builder: a label names the measure and the basis by rule; downloads carry both; formulas in words."""
import re

import pandas as pd

from dashboard.components import card_label, formula_words, label_of, provenance_table, source_note, to_csv_bytes
from dashboard.i18n import _LANG_OUTSIDE_SESSION
from queries import run


def fact(figure_id: str) -> dict:
    return run("facts_by_id", ids=[figure_id]).iloc[0].to_dict()


def test_a_growth_rate_a_share_and_a_rank_name_their_measure():
    assert label_of(fact("wr24_gdp_growth_2024q3")) == "地区生产总值增速"
    assert label_of(fact("wr24_trade_growth_2024m1_10")) == "进出口总额增速"
    assert label_of(fact("wr24_chief_technicians_share_city_2024")) == "齐鲁首席技师占比"
    assert label_of(fact("wr24_key_projects_start_rate_2024")) == "已开工重点项目占比"
    assert label_of(fact("sd22_rank_national_2021")) == "国家级经开区综合排名"  # 排名 already says it
    assert label_of(fact("wr24_trade_2024m1_10")) == "进出口总额"  # a level


def test_a_non_actual_carries_its_basis_once():
    assert label_of(fact("wr24_cj_investment_rounds_2024")) == "连续投资次数（预计）"
    assert label_of(fact("wr24_key_projects_investment_2024")) == "重点项目总投资（计划）"
    assert label_of(fact("sd22_target_trade_growth_2022")) == "进出口总额增速（目标）"
    assert label_of(fact("wr24_key_projects_annual_plan_2024")) == "重点项目年度投资（计划）"
    assert card_label(fact("sd22_trade_2022m1_5")) == "进出口总额（1-5月，预计）"
    assert card_label(fact("wr24_key_projects_investment_done_2024m1_9")) == "实施类（推断）重点项目完成投资（1-9月）"
    assert card_label(fact("sd22_tech_reform_investment_2022m5")) == "制造业技改投资（5月）"  # 当月: one month


def test_formulas_read_in_words_built_from_the_inputs():
    city = fact("drv_city_gdp_growth_2024q3")
    assert formula_words(city) == "全市GDP增速 = 开发区地区生产总值增速 8% − 地区生产总值较全市 2.5个百分点"
    for figure_id in run("topic_figures", topic="benchmarks").query("is_derived")["figure_id"]:
        assert not re.search(r"(wr24|sd22|drv)_", formula_words(fact(figure_id))), figure_id


def test_downloads_name_measure_and_basis_and_keep_the_ids():
    rows = run("facts_by_id", ids=["wr24_gdp_growth_2024q3", "sd22_trade_2022m1_5", "drv_city_gdp_growth_2024q3"])
    table = provenance_table(rows)
    assert table["类型"].tolist() == ["增速", "总量", "增速"]
    assert table["口径"].tolist() == ["实际", "预计", "推算"]  # computed here: no document reports it
    assert table["单位"].tolist() == ["%", "亿元", "%"]
    assert table["公式"].iloc[2].startswith("全市GDP增速 = ") and table["公式（编号）"].iloc[2].startswith("wr24_")
    csv = to_csv_bytes(table).decode("utf-8-sig")
    assert "类型" in csv.splitlines()[0] and "drv_city_gdp_growth_2024q3" in csv


def test_an_english_download_names_the_unit_of_its_number_and_a_derived_basis():
    """Issue 20: English downloads read Unit 亿元 beside 6.985 bn yuan and Basis "actual" for a derived row."""
    token = _LANG_OUTSIDE_SESSION.set("en")
    try:
        table = provenance_table(run("facts_by_id", ids=["sd22_trade_2022m1_5", "drv_city_gdp_growth_2024q3"]))
    finally:
        _LANG_OUTSIDE_SESSION.reset(token)
    assert table["Unit"].tolist() == ["100 million yuan", "%"]
    assert table["Basis"].tolist() == ["forecast", "Derived"]


def test_a_footnote_of_more_than_three_sources_says_how_many_more():
    """Three lines then "…（4）" read as four listed; the note says one more of four."""
    rows = run("facts_by_id", ids=["wr24_trade_2024m1_10", "wr24_gdp_growth_2024q3", "sd22_trade_2022m1_5",
                                   "sd22_tech_reform_investment_2022m5"])
    note = source_note(pd.DataFrame(rows))
    assert note.count("来源：") == 3 and note.endswith("；另1条，共4条来源"), note
    assert "（4）" not in note


def test_a_hovers_quote_holds_its_figure_whole_and_a_derived_hover_says_derived_once():
    """The hover cut 增长977.2% after 60 characters (…增长977.2…); a derived bar's hover read 推算 in its
    label and again before its formula."""
    from dashboard.components import display_frame
    frame = display_frame(run("facts_by_id", ids=["sd22_fdi_growth_2021", "sd22_fdi_2021", "drv_trade_2020_implied"]))
    hovers = dict(zip(frame["figure_id"], frame["hover"]))
    assert "增长977.2%" in hovers["sd22_fdi_growth_2021"] and "5385.74万美元" in hovers["sd22_fdi_2021"]
    for hover in hovers.values():
        quote = hover.split("原文：", 1)[1] if "原文：" in hover else ""
        assert not re.search(r"\d…|…\d", quote), quote
        assert len(quote.strip("…")) <= 60, quote
    derived = frame.set_index("figure_id").loc["drv_trade_2020_implied"]
    assert (derived["label"] + derived["hover"]).count("推算") == 1, (derived["label"], derived["hover"])
    assert "算式：" in derived["hover"]
