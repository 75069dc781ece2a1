"""开放型经济: trade and FDI by period (derived 2020 marked), Zhongtong, foreign firms, peers in one unit."""
import pytest
from apptest_helpers import cards, chart_specs, metric_values, open_page, seen


@pytest.fixture(scope="module")
def page():
    """The page as it opens, shared by the tests that only read it."""
    return open_page("trade")


def test_trade_card_with_growth_and_both_city_ranks(page):
    at = page
    values = metric_values(at)
    assert values["进出口总额（1-10月）"] == "88.39亿元"
    assert {seen(m.label): m.delta for m in at.metric}["进出口总额（1-10月）"] == "17.1%"
    assert "总量 **全市第2** · 增速 **全市第2**" in [m.value for m in at.markdown]
    assert values["实际利用外资（1-5月）"] == "2474万美元"
    assert values["中通客车 · 客车出口数量"] == "5519台"  # whose, from the data: the page names no firm
    assert values["二手车出口额（7个月累计）"] == "4.1亿元"
    assert values["希杰 · 企业累计投资"] == "超65亿元"
    assert values["重点外贸企业数"] == "30家"
    # by period (trade, FDI), peers (trade, FDI): a figure each, the very figures of the four trade slides
    assert len(chart_specs(at)) == 4


def test_periods_side_by_side_with_the_derived_year_paler(page):
    by_period, fdi_by_period = chart_specs(page)[:2]
    assert [a["text"] for a in by_period["layout"]["annotations"] + fdi_by_period["layout"]["annotations"]] == [
        "进出口总额 · 总量", "进出口总额 · 增速", "实际利用外资 · 总量", "实际利用外资 · 增速"]
    level, growth = by_period["data"]
    fdi, fdi_growth = fdi_by_period["data"]
    assert list(level["x"]) == ["2020年（推算）", "2021年", "2022年1-5月", "2024年1-10月"]
    assert list(level["text"])[1:] == ["69.85亿元", "预计20亿元", "88.39亿元"]
    assert level["marker"]["opacity"][0] < 1 and level["marker"]["opacity"][1] == 1
    assert list(growth["text"]) == ["60.52%", "预计69.67%", "17.1%"]
    assert list(fdi["text"]) == ["约500万美元", "5385.74万美元", "2474万美元"]
    # FDI growth has one period: a big number in its panel, not a lone bar filling it
    assert (fdi_growth["type"], fdi_growth["mode"], list(fdi_growth["text"])) == ("scatter", "text", ["977.2%"])
    assert list(fdi_growth["x"]) == ["2021年"] and fdi_growth["textfont"]["size"] > level["textfont"]["size"]
    assert {d["type"] for d in (level, growth, fdi)} == {"bar"}


def test_peer_fdi_is_plotted_and_labelled_in_one_unit_with_the_written_value_in_the_hover(page):
    trade, fdi = (spec["data"][0] for spec in chart_specs(page)[2:])
    assert [spec["layout"]["title"]["text"] for spec in chart_specs(page)[2:]] == ["进出口总额对比（2021年）",
                                                                                 "实际利用外资对比（2021年）"]
    assert list(fdi["y"]) == ["烟台经开区12个省级及以上园区", "邹平开发区", "开发区"]  # 12 parks' total, not one zone
    assert "烟台经开区12个省级及以上园区：多个园区的合计，不是一个园区，不宜与本区直接比较。" in [c.value for c in page.caption]
    assert [round(v, 4) for v in fdi["x"]] == [21.6, 2.08, 0.5386]
    assert list(fdi["text"]) == ["21.6亿美元", "2.08亿美元", "0.538574亿美元"]  # one unit, as precise as written
    assert "5385.74万美元" in " ".join(map(str, fdi["customdata"][2]))  # the hover: as the document writes it
    assert [round(v, 2) for v in trade["x"]] == [3415.5, 69.85] and list(trade["y"]) == ["烟台经开区12个省级及以上园区", "开发区"]


def test_english_toggle_switches_labels():
    at = open_page("trade", lang="en")
    assert at.title[0].value == "Trade & investment"
    assert metric_values(at)["Imports and exports (Jan–Oct)"] == "8.839 bn yuan"


def test_data_table_runs_only_once_opened_and_holds_the_charts_rows():
    at = open_page("trade")
    assert [e.label for e in at.main.expander] == ["数据与来源"] * 4  # a table under each chart
    assert len(at.dataframe) == 0 and len(at.download_button) == 0  # closed: nothing built or sent
    at.session_state["data_trade_by_period"] = True  # what a click on the first expander sets
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(at.dataframe) == 1
    # the trade chart's 7 bars: 4 amounts (2020 derived) and 3 growth rates (FDI has its own chart, as on its slide)
    assert table["数值"].tolist() == ["约43.51亿元", "69.85亿元", "预计20亿元", "88.39亿元", "60.52%", "预计69.67%", "17.1%"]
    # the formula in words; ids only in the downloads
    assert table["公式"].iloc[0] == "2020年进出口总额 = 进出口总额 69.85亿元 ÷ (1 + 进出口总额增速 60.52% ÷ 100)"
    assert table["原文"].iloc[0] == "" and "编号" not in table.columns and "公式（编号）" not in table.columns
    # every row names its measure and basis (a download too): 增速 is not a level, 预计 is not done
    assert table["类型"].tolist()[3:7] == ["总量", "增速", "增速", "增速"]
    assert table["口径"].tolist()[2] == "预计" and table["口径"].tolist()[3] == "实际"
    assert all(table.drop(index=[0])["原文"].str.len() > 10)
    assert {b.label for b in at.download_button} == {"下载 CSV", "下载 Excel"}


def test_english_chart_axes_and_captions_name_periods_in_english():
    at = open_page("trade", lang="en")
    level = chart_specs(at)[0]["data"][0]
    assert list(level["x"]) == ["2020 (Derived)", "2021", "Jan–May 2022", "Jan–Oct 2024"]
    captions = " ".join(c.value for c in at.caption)
    assert "period not stated (2024 document)" in captions  # Zhongtong's exports: no period in the text
    assert "7-month total, months not stated (2024 document)" in captions
    assert "年" not in captions and "（" not in captions


def test_an_expected_figure_carries_its_mark(page):
    # “即将实现‘十二连投’” is not done: the card says 预计
    values = metric_values(page)
    assert values["希杰 · 连续投资次数（预计）"] == "12次" and "希杰 · 连续投资次数" not in values
    en = metric_values(open_page("trade", lang="en"))
    assert en["CJ Group (Korea) · Consecutive investment rounds (forecast)"] == "12 rounds"


def test_a_cards_subject_and_period_are_as_the_text_writes_them(page):
    """Issue 20: 落户龙头企业 (龙头 not in the text) and 园区工业企业数 14家 stood as the zone's beside its 523
    firms; 十二连投 was dated 2004-2024年 where the text says 自2004年……即将."""
    values = metric_values(page)
    assert values["园区（名称未注明） · 落户企业数（乖宝、希杰等）"] == "10余家"
    assert values["园区（名称未注明） · 园区工业企业数"] == "14家"
    assert not any("龙头" in label for label in values)
    rounds = next(c for c in cards(page) if seen(c["metric"].label) == "希杰 · 连续投资次数（预计）")
    assert any("2004年以来" in line for line in rounds["lines"]), rounds["lines"]


def test_the_peer_note_says_the_labels_are_converted_as_they_are(page):
    """The note said 标签为原文数值 beside the zone's 0.538574亿美元 (5385.74万美元 as written)."""
    fdi = chart_specs(page)[3]["data"][0]
    assert "0.538574亿美元" in list(fdi["text"])
    captions = [c.value for c in page.caption]
    assert "柱长和标签按各栏单位统一换算（外资各园区按美元，精度同原文）；原文写法见数据表。" in captions
    assert not any("标签为原文数值" in c or "悬停" in c for c in captions)


def test_a_share_read_by_order_from_a_garbled_sentence_is_marked_inferred(page):
    """占全市外资总量的81.5%、83%: the 83% is the trade share only by the sentence's order, so its card
    says 推断 (inferred) in both languages; the 81.5% the sentence gives the FDI total keeps no mark."""
    values = metric_values(page)
    inferred = [label for label, value in values.items() if value == "83%"]
    assert inferred and all("推断" in label for label in inferred), values
    assert [label for label, value in values.items() if value == "81.5%" and "推断" in label] == []
    en = metric_values(open_page("trade", lang="en"))
    assert all("inferred" in label for label, value in en.items() if value == "83%"), en


def test_the_firms_and_parks_come_from_the_data_not_from_the_page(page):
    """pages/trade.py named 中通客车, 希杰 and 园区（名称未注明）: now each firm or park with figures on the
    topic gets its group from the data (topic_entities), under its name, the firms its quotes name beside it."""
    import csv
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    names = [r["entity"] for r in csv.DictReader((root / "data" / "entities.csv").open(encoding="utf-8"))
             if r["kind"] not in ("zone", "city")]
    assert [n for n in names if n in (root / "pages" / "trade.py").read_text(encoding="utf-8")] == []
    bold = [seen(m.value) for m in page.markdown]
    assert {"**中通客车**", "**希杰**", "**园区（名称未注明）**"} <= set(bold), bold
    assert any("乖宝" in text and "希杰" in text for text in bold)  # the park's settled firms, as the quote names them
    from queries import run
    first_two = run("topic_entities", topic="trade", limit=2)  # a page shows the first few, and counts the rest
    assert len(first_two) == 2 and set(first_two["total"]) == {3}
