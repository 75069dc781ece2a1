"""The screens on a labelled synthetic history (bench/synth_history.py, small: 2 years monthly, the zone,
the city and 2 peers; built in a temporary folder), and the parts of #12 that today's data shows too.

On a history no page offers a button per period, every time series draws one line per indicator ×
entity × period kind, a KPI card compares only periods of the same length, and the economy page
opens on the newest month."""
import os
import re
from pathlib import Path

import duckdb
import pytest
from apptest_helpers import cards, chart_specs, open_page, seen
from browser_helpers import app_pages
from history_helpers import small_history  # noqa: F401  (the fixture)

from dashboard import figures
from etl.periods import parse_period
from queries import run

PAGES = [Path(path).stem for _, path in app_pages()]
MAX_BUTTONS = 24


@pytest.fixture(scope="module")
def history(small_history):  # noqa: F811
    """ETDZ_DATA / ETDZ_DB point at the small history for this module's tests."""
    data, db = small_history
    saved = {k: os.environ.get(k) for k in ("ETDZ_DATA", "ETDZ_DB")}
    os.environ["ETDZ_DATA"], os.environ["ETDZ_DB"] = str(data), str(db)
    yield db
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def span(period: str) -> tuple[str, int | None]:
    """A period's kind (a month, months from January, a year …) and its length in months."""
    p = parse_period(period)
    kind = "span" if p.kind == "months" and p.start.month != 1 else p.kind
    months = (p.end.year - p.start.year) * 12 + p.end.month - p.start.month + 1 if p.start and p.end else None
    return kind, months


def series_traces(spec: dict) -> list[dict]:
    return [d for d in spec["data"] if isinstance(d.get("meta"), dict) and "kind" in d["meta"]]


def assert_one_line_per_indicator_entity_kind(spec: dict) -> int:
    """Every line of a time series holds one indicator, measure, entity and period kind, and no two
    lines of a figure hold the same; returns the number of lines."""
    traces = series_traces(spec)
    keys = [(d["meta"].get("indicator"), d["meta"].get("measure"), d["meta"].get("entity"), d["meta"]["kind"])
            for d in traces]
    assert len(keys) == len(set(keys)), keys
    for d in traces:
        periods = [c[3] for c in d["customdata"] if c[3] is not None]
        assert periods, d["name"]
        kinds = {span(p)[0] for p in periods}
        assert kinds == {d["meta"]["kind"]}, (d["name"], kinds)
        if d["meta"]["kind"] in ("month", "year"):
            assert len({span(p)[1] for p in periods}) == 1  # a month beside a month, a year beside a year
        # one panel per indicator and measure: never a level and a growth on one axis
    panels = {}
    for d in traces:
        panels.setdefault(d["meta"]["panel"], set()).add((d["meta"].get("indicator"), d["meta"].get("measure")))
    assert all(len(v) == 1 for v in panels.values()), panels
    return len(traces)


def card_period(card: dict) -> str:
    """The period a card's source line names: 来源：《…》 · 2026年12月."""
    source = next(line for line in card["lines"] if line.startswith("来源："))
    return source.rsplit(" · ", 1)[1]


# ---------- pickers ----------

@pytest.mark.parametrize("page", PAGES)
def test_no_page_offers_a_button_per_period(history, page):
    at = open_page(page)
    buttons = sum(len(group.options) for group in at.button_group) + sum(len(r.options) for r in at.radio)
    assert buttons <= MAX_BUTTONS, (page, [(g.key, len(g.options)) for g in at.button_group])
    for group in at.button_group:
        for option in group.options:
            with pytest.raises(ValueError):
                parse_period(option)  # no button is a period


def test_economy_opens_on_the_newest_month_with_year_and_period_drop_downs(history):
    with duckdb.connect(str(history), read_only=True) as con:
        newest = con.execute("""SELECT arg_max(period, period_end) FROM etdz.facts
                                WHERE entity = '开发区' AND topic = 'economy' AND period_kind = 'month'""").fetchone()[0]
    at = open_page("economy")
    assert newest == "2026年12月"
    assert at.selectbox(key="period.zh").value == newest  # not 2026年 or 2026年1-12月, which end the same day
    assert at.selectbox(key="period_year.zh").value == 2026
    assert len(at.selectbox(key="period.zh").options) == 12 + 11 + 1  # the year's months, 1-N月 and the year
    at.selectbox(key="period_year.zh").set_value(2025).run()
    assert at.selectbox(key="period.zh").value == "2025年12月" and at.query_params["period"] == "2025-12"
    at.selectbox(key="period.zh").set_value("2025年1-6月").run()
    assert at.query_params["period"] == "2025-01..2025-06"
    assert at.selectbox(key="period_year.zh").value == 2025


def test_economy_period_figures_are_results_never_targets_or_plans(history):
    at = open_page("economy", period="2025-01..2025-06")
    values = {seen(m.label): m.value for m in at.metric}
    assert "限额以上零售额（1-6月）" in values  # the synthetic 1-6月 amount
    assert not [label for label in values if "目标" in label or "计划" in label]


@pytest.fixture
def today(monkeypatch):
    """Today's database (data/etdz.duckdb), whatever this module's history fixture set."""
    monkeypatch.delenv("ETDZ_DB", raising=False)
    monkeypatch.delenv("ETDZ_DATA", raising=False)


def test_period_figures_leave_out_the_years_targets_on_todays_data(today):
    # 2022年: the trade growth target (50%以上) is the year's target, not a result of 2022
    rows = run("period_figures", entity="开发区", period="2022年", indicators=figures.ECONOMY_OPERATION)
    assert rows.empty
    assert set(run("economy_periods", entity="开发区", indicators=figures.ECONOMY_OPERATION)["period"]) == {
        "2024年前三季度", "2022年1-5月", "2022年5月"}


# ---------- time series ----------

def test_economy_series_one_line_per_indicator_entity_and_kind(history):
    at = open_page("economy")
    indicators = at.selectbox(key="series_indicator.zh").options
    assert indicators == ["规上工业增加值", "进出口总额", "限额以上零售额"]  # in the order the reports give them
    checked = 0
    for indicator in figures.series_indicators():
        at.selectbox(key="series_indicator.zh").set_value(indicator).run()
        for kind in figures.series_range(indicator)[1]:
            at.button_group(key="series_kind.zh").set_value(kind).run()
            series = [s for s in chart_specs(at) if series_traces(s)]
            assert len(series) == 1
            checked += assert_one_line_per_indicator_entity_kind(series[0])
    assert checked >= 2 * 3


def test_retail_sales_amounts_and_growth_on_separate_panels_the_city_beside_growth(history):
    at = open_page("economy")
    at.selectbox(key="series_indicator.zh").set_value("retail_sales").run()  # amounts and growth
    spec = next(s for s in chart_specs(at) if series_traces(s))
    by_panel = {}
    for d in series_traces(spec):
        by_panel.setdefault(d["meta"]["panel"], []).append((d["meta"]["entity"], d["meta"]["measure"]))
    assert by_panel == {"限额以上零售额（亿元）": [("开发区", "level")],
                        "限额以上零售额增速": [("开发区", "growth"), ("全市", "growth")]}
    zone = next(d for d in series_traces(spec) if d["meta"]["measure"] == "level")
    assert [c[3] for c in zone["customdata"]][-3:] == ["2026年10月", "2026年11月", "2026年12月"]
    assert all("合成" in c[2] for c in zone["customdata"])  # each point's source: the synthetic bulletin
    # the growth-only indicator is a growth series, with no amount panel
    at.selectbox(key="series_indicator.zh").set_value("industrial_va").run()
    spec = next(s for s in chart_specs(at) if series_traces(s))
    assert {d["meta"]["measure"] for d in series_traces(spec)} == {"growth"}


@pytest.mark.parametrize("page", ["trade", "benchmarks"])
def test_trade_and_peer_places_are_series_of_one_kind_per_line(history, page):
    at = open_page(page)
    series = [s for s in chart_specs(at) if series_traces(s)]
    assert series
    for spec in series:
        assert_one_line_per_indicator_entity_kind(spec)


def test_the_zones_place_among_peers_per_period_is_derived_and_says_so(history):
    at = open_page("benchmarks")
    places = next(s for s in chart_specs(at) if "位次" in s["layout"]["title"]["text"])
    assert places["layout"]["yaxis"]["autorange"] == "reversed"  # first place at the top
    point = series_traces(places)[0]["customdata"][-1]
    assert re.fullmatch(r"第[1-3]/3", point[1])  # the zone and 2 peers
    assert "推算" in point[2]


# ---------- KPI cards ----------

@pytest.mark.parametrize("page,params", [("economy", {}), ("economy", {"period": "2026-01..2026-06"}),
                                         ("overview", {}), ("trade", {})])
def test_kpi_cards_compare_periods_of_the_same_length(history, page, params):
    at = open_page(page, **params)
    compared = trended = 0
    for card in cards(at):
        try:
            period = card_period(card)
            kind, months = span(period)
        except (StopIteration, ValueError):
            continue  # a card of a stock (截至2024年) or of no stated period
        for line in card["lines"]:
            if m := re.match(r"上年同期（(.+?)）", line):
                assert span(m[1]) == (kind, months), (period, m[1])
                assert m[1] == figures.year_earlier(period)
                compared += 1
            if m := re.match(r"走势：最近(\d+)期（(.+?)）", line):
                assert m[2] == {"month": "当月", "months": "1-N月累计", "year": "全年"}[kind], (period, line)
                assert int(m[1]) == len(card["metric"].proto.chart_data) <= 24
                trended += 1
    if page == "economy":
        assert compared >= 3  # 2025's same month or months beside 2026's
    if not params:  # a month: its last 24 months (a 1-6月 has only two years of 1-6月, too few for a line)
        assert trended >= 1


def test_economy_month_cards_draw_their_last_24_months(history):
    at = open_page("economy")
    month_cards = [c for c in cards(at) if card_period(c) == "2026年12月"]
    assert month_cards and all(len(c["metric"].proto.chart_data) == 24 for c in month_cards)


# ---------- peers and firms ----------

def test_peers_top_n_with_search(history, monkeypatch):
    monkeypatch.setattr(figures, "PEER_TOP", 1)
    figures.forget_views()
    try:
        at = open_page("trade")
        bars = next(s for s in chart_specs(at) if "对比" in s["layout"]["title"]["text"])
        shown = list(bars["data"][0]["y"])  # the largest and the zone (here the zone is the largest)
        assert "开发区" in shown and len(shown) <= 2
        missing = sorted({"合成园区01", "合成园区02"} - set(shown))[0]
        at.text_input(key="peer_q").input(missing[-2:]).run()
        bars = next(s for s in chart_specs(at) if "对比" in s["layout"]["title"]["text"])
        assert set(bars["data"][0]["y"]) == {*shown, missing}
    finally:
        figures.forget_views()


def test_peer_period_comes_from_the_data(history):
    at = open_page("trade")
    assert at.selectbox(key="peer_period.zh").value == "2026年12月"
    assert at.selectbox(key="peer_period_year.zh").options == ["2026", "2025", "2021"]  # today's peers (2021) stay


def test_leading_firms_top_n_with_search_on_todays_data(today, monkeypatch):
    monkeypatch.setattr(figures, "FIRMS_TOP", 2)
    figures.forget_views()
    try:
        at = open_page("clusters")
        firms = chart_specs(at)[1]
        assert len(firms["data"][0]["y"]) == 2 and "增速最高的2家（共4家）" in firms["layout"]["title"]["text"]
        everything = run("indicator_by_entity", indicator="output_value", measure="growth", period=None,
                         base_per_unit=1, top=10, q="")
        other = everything["entity"].iloc[-1]
        at.text_input(key="firm_q").input(other).run()
        firms = chart_specs(at)[1]
        assert list(firms["data"][0]["y"])[-1] == other and len(firms["data"][0]["y"]) == 3
    finally:
        figures.forget_views()


# ---------- slides ----------

def test_the_economy_slide_is_the_time_series(history):
    at = open_page("overview", present="1", slide="5")
    assert at.title[0].value == "规上工业增加值：各期走势 · 当月"  # the first indicator the reports give
    spec = chart_specs(at)[0]
    assert assert_one_line_per_indicator_entity_kind(spec) == 2  # the zone and the city


# ---------- the view in the link ----------

def drawn(at) -> list:
    """What the page shows: each chart's title and its traces' values, and its Markdown (tables, cards)."""
    return [(s["layout"].get("title", {}).get("text"), [list(d.get("y") or []) for d in s["data"]])
            for s in chart_specs(at)] + [m.value for m in at.markdown]


def reopens_the_same(page: str, change, url: dict) -> None:
    at = open_page(page)
    change(at).run()
    assert dict(at.query_params) == url
    reopened = open_page(page, **url)  # a fresh session, as a copied link opens
    assert dict(reopened.query_params) == url
    assert drawn(reopened) == drawn(at) != drawn(open_page(page))


@pytest.mark.parametrize("page, change, url", [
    ("economy", lambda at: at.selectbox(key="series_indicator.zh").set_value("retail_sales"),
     {"series_indicator": "retail_sales"}),
    ("trade", lambda at: at.text_input(key="peer_q").input("合成园区02"), {"peer_q": "合成园区02"}),
    ("benchmarks", lambda at: at.text_input(key="peer_q").input("合成园区02"), {"peer_q": "合成园区02"}),
])
def test_a_history_view_is_in_the_link(history, monkeypatch, page, change, url):
    monkeypatch.setattr(figures, "PEER_TOP", 0)  # the search alone brings a peer in
    figures.forget_views()
    try:
        reopens_the_same(page, change, url)
    finally:
        figures.forget_views()


def test_a_firm_search_and_a_target_year_are_in_the_link(today, monkeypatch):
    monkeypatch.setattr(figures, "FIRMS_TOP", 2)
    monkeypatch.setattr(figures, "target_years", lambda: [2024, 2022])
    figures.forget_views()
    try:
        other = run("indicator_by_entity", indicator="output_value", measure="growth", period=None,
                    base_per_unit=1, top=10, q="")["entity"].iloc[-1]
        reopens_the_same("clusters", lambda at: at.text_input(key="firm_q").input(other), {"firm_q": other})
        at = open_page("targets")
        at.selectbox(key="target_year.zh").set_value(2022).run()
        assert dict(at.query_params) == {"target_year": "2022"}
        reopened = open_page("targets", target_year="2022")
        assert reopened.selectbox(key="target_year.zh").value == 2022 and drawn(reopened) == drawn(at)
    finally:
        figures.forget_views()


@pytest.mark.parametrize("page, key", [("economy", "series"), ("trade", "trade")])
def test_a_series_kind_and_year_range_are_in_the_link_and_reopen_in_either_language(history, page, key):
    """The period kind (当月 / 1-N月累计) and the years of a series were not in the address: a copied
    link showed another series."""
    at = open_page(page)
    kinds = figures.series_range(*(["trade", "fdi"] if page == "trade" else [figures.series_indicators()[0]]))[1]
    at.button_group(key=f"{key}_kind.zh").set_value(kinds[-1]).run()
    expected = {f"{key}_kind": kinds[-1]}
    if any(s.key == f"{key}_years.zh" for s in at.select_slider):  # a slider when there are more years than shown
        years = at.select_slider(key=f"{key}_years.zh").options
        at.select_slider(key=f"{key}_years.zh").set_value((years[1], years[2])).run()
        expected[f"{key}_years"] = f"{years[1]}..{years[2]}"
    url = dict(at.query_params)
    assert url == expected, url
    shown = [s for s in chart_specs(at) if series_traces(s)]
    for reopened in (open_page(page, **url), open_page(page, **url, lang="en")):
        assert {k: v for k, v in reopened.query_params.items() if k != "lang"} == url
        assert [s for s in chart_specs(reopened) if series_traces(s)][0]["data"][0]["x"] == shown[0]["data"][0]["x"]
