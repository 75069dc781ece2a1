"""English number formatting keeps the figure as written: no rounding, no lost zeros."""
import pytest

from dashboard import fmt


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setattr(fmt, "lang", lambda: "en")


@pytest.mark.parametrize(("value", "unit", "value_text", "measure", "expected"), [
    (88.39, "亿元", "88.39", "level", "8.839 bn yuan"),
    (5385.74, "万美元", "5385.74", "level", "53.8574 m USD"),
    (510, "家", "510", "count", "510 firms"),
    (1, "家", "1", "count", "1 firm"),
    (110, "位", "110", "rank", "#110"),
    (20, "位", "20", "rank_change", "up 20 places"),
    (1992, "年", "1992", "year", "1992"),
    (3.58, "万元/亩", "3.58", "level", "35,800 yuan/mu"),
    (2.5, "个百分点", "2.5", "gap", "+2.5 pp"),
    (5.0, "%", "5.0", "growth", "5.0%"),
    (21.6, "亿美元", "21.6", "level", "2,160 m USD"),
    (1 / 3, "分数", "三分之一", "ratio", "one third"),  # not 33.33%: the text gives a round fraction
    (0.25, "分数", "四分之一", "share", "one quarter"),
])
def test_english_text(value, unit, value_text, measure, expected):
    text = fmt.figure_text(value, unit, "", value_text, measure, unit_en="firms" if unit == "家" else None)
    assert text.replace(fmt.NBSP, " ") == expected


def test_a_number_and_its_unit_never_break_apart():
    """No-break spaces inside "8.839 bn yuan" and "10 million"; a qualifier before them may wrap."""
    assert fmt.figure_text(88.39, "亿元", "", "88.39") == "8.839\u00a0bn\u00a0yuan"
    assert fmt.figure_text(65, "亿元", "超", "65") == "over 6.5\u00a0bn\u00a0yuan"
    row = dict(value=10_000_000, unit="次", unit_en="times", indicator="media_clicks", qualifier="超",
               value_text="千万", measure="count")
    assert fmt.row_text(row) == "over 10\u00a0million views"


@pytest.mark.parametrize(("period", "expected"), [
    ("2024年前三季度", "2024 Q1–Q3"), ("2024年上半年", "2024 H1"), ("2024年1-10月", "Jan–Oct 2024"),
    ("2022年5月", "May 2022"), ("2021年", "2021"), ("2022年末", "2022 year-end"), ("截至2024年", "as of 2024"),
    ("2024年以来", "2024 to date"), ("2004-2024年", "2004–2024"), ("建成后", "once built"), ("达产后", "at full capacity"),
    ("前5年", "first 5 years"), ("期间未注明（2024年文件）", "period not stated (2024 document)"),
    ("7个月累计（2024年文件）", "7-month total, months not stated (2024 document)"),
])
def test_every_period_reads_in_english(period, expected):
    assert fmt.period_label(period) == expected


def test_every_period_in_the_data_reads_in_english(database):
    import duckdb
    with duckdb.connect(str(database), read_only=True) as con:
        periods = [p for (p,) in con.execute("SELECT DISTINCT period FROM facts").fetchall()]
    assert [p for p in periods if any("\u4e00" <= c <= "\u9fff" or c in "（）" for c in fmt.period_label(p))] == []


@pytest.mark.parametrize(("value", "unit", "unit_en", "indicator", "qualifier", "value_text", "expected"), [
    (105, "个", "units", "key_projects", "", "105", "105 projects"),
    (2, "家", "firms", "innovation_platforms_new", "以上", "2", "at least 2 platforms"),
    (10_000_000, "次", "times", "media_clicks", "超", "千万", "over 10 million views"),
    (6, "个", "units", "industry_task_forces", "", "6", "6 task forces"),
])
def test_count_words_fit_the_thing(value, unit, unit_en, indicator, qualifier, value_text, expected):
    row = dict(value=value, unit=unit, unit_en=unit_en, indicator=indicator, qualifier=qualifier,
               value_text=value_text, measure="count")
    assert fmt.row_text(row).replace(fmt.NBSP, " ") == expected


@pytest.mark.parametrize(("value", "unit", "qualifier", "value_text", "expected"), [
    (3, "个", "", "三", "3个"), (12, "次", "", "十二", "12次"), (10000, "名", "余", "一万", "一万余名"),
    (10_000_000, "次", "超", "千万", "超千万次"), (1 / 3, "分数", "", "三分之一", "三分之一"),
])
def test_small_chinese_numerals_show_as_digits(monkeypatch, value, unit, qualifier, value_text, expected):
    monkeypatch.setattr(fmt, "lang", lambda: "zh")
    assert fmt.figure_text(value, unit, qualifier, value_text, "count") == expected


def test_a_comparison_writes_its_amounts_in_one_unit(monkeypatch):
    rows = [dict(value=21.6, unit="亿美元", value_text="21.6", measure="level", qualifier=""),
            dict(value=5385.74, unit="万美元", value_text="5385.74", measure="level", qualifier=""),
            dict(value=500, unit="万美元", value_text="500", measure="level", qualifier="约")]
    monkeypatch.setattr(fmt, "lang", lambda: "zh")
    assert fmt.in_one_unit(rows) == ["21.6亿美元", "0.538574亿美元", "约0.05亿美元"]
    monkeypatch.setattr(fmt, "lang", lambda: "en")
    assert [x.replace(fmt.NBSP, " ") for x in fmt.in_one_unit(rows)] == ["2,160 m USD", "53.8574 m USD", "about 5 m USD"]
