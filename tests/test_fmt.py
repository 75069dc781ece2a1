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
])
def test_english_text(value, unit, value_text, measure, expected):
    assert fmt.figure_text(value, unit, "", value_text, measure, unit_en="firms" if unit == "家" else None) == expected
