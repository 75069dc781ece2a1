"""The dataset: every figure sourced, the validator refuses bad records, the build is atomic and deterministic."""
import csv
import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.build import DATA_DIR, build, load_curated
from etl.numerals import parse_number
from etl.periods import parse_period
from etl.validate import ValidationError

FIGURE_FILE = "figures/work_report_2024.csv"


@pytest.fixture(scope="module")
def con(database):
    c = duckdb.connect(str(database), read_only=True)
    yield c
    c.close()


def fact(con, figure_id):
    row = con.execute("SELECT * FROM facts WHERE figure_id = ?", [figure_id]).df()
    assert len(row) == 1, figure_id
    return row.iloc[0]


# ---------- spot checks written by hand from the documents ----------

def test_national_rank_2021_is_116_of_217_up_76(con):
    r = con.execute("SELECT rank, rank_total, rank_change FROM rankings "
                    "WHERE indicator = 'rank_national' AND year = 2021").fetchone()
    assert r == (116, 217, 76)


def test_provincial_rank_fell_31_places_and_city_rose_6(con):
    rows = dict(con.execute("SELECT indicator, rank_change FROM rankings WHERE year = 2021 "
                            "AND rank_change IS NOT NULL").fetchall())
    assert rows == {"rank_national": 76, "rank_provincial": -31, "rank_city": 6}


def test_trade_2024_jan_oct(con):
    level = fact(con, "wr24_trade_2024m1_10")
    growth = fact(con, "wr24_trade_growth_2024m1_10")
    assert (level.value, level.unit, level.period) == (88.39, "亿元", "2024年1-10月")
    assert level.value_base == pytest.approx(8_839_000_000)
    assert (growth.value, growth.unit) == (17.1, "%")
    assert "全区进出口完成88.39亿元，增长17.1%" in level.quote


def test_fdi_2021_in_dollars(con):
    fdi = fact(con, "sd22_fdi_2021")
    assert (fdi.value_text, fdi.unit, fdi.base_unit) == ("5385.74", "万美元", "美元")
    assert fdi.value_base == pytest.approx(53_857_400)


def test_qualifiers_are_kept(con):
    assert fact(con, "wr24_building_firms_2024").qualifier == "余"
    assert fact(con, "wr24_building_revenue_2024").qualifier == "超"
    assert fact(con, "wr24_high_end_alloy_pipe_share_2024").qualifier == "接近"
    assert fact(con, "sd22_trade_2022m1_5").qualifier == "预计"


def test_gap_and_percent_are_different_kinds(con):
    gap = fact(con, "wr24_gdp_gap_city_2024q3")
    growth = fact(con, "wr24_gdp_growth_2024q3")
    assert (gap.measure, gap.base_unit) == ("gap", "个百分点")
    assert (growth.measure, growth.base_unit) == ("growth", "%")


def test_city_growth_is_derived_from_zone_growth_and_gap(con):
    city = fact(con, "drv_city_gdp_growth_2024q3")
    assert city.is_derived and city.value == pytest.approx(5.5)
    assert city.quote is None and "wr24_gdp_growth_2024q3" in city.formula


def test_derived_2020_trade_from_2021_and_growth(con):
    trade_2020 = fact(con, "drv_trade_2020_implied")
    assert trade_2020.is_derived
    assert trade_2020.value == pytest.approx(69.85 / 1.6052)


def test_no_completion_ratio_across_different_sets(con):
    formulas = [f for (f,) in con.execute("SELECT formula FROM derived_figures").fetchall()]
    assert not any("annual_plan" in f and "investment_done" in f for f in formulas)


def test_every_topic_has_figures(con):
    topics = dict(con.execute("SELECT topic, count(*) FROM facts WHERE NOT is_derived GROUP BY ALL").fetchall())
    assert set(topics) == {"economy", "clusters", "projects", "trade", "party_services",
                           "benchmarks", "targets", "history"}
    assert sum(topics.values()) >= 170


def test_trade_target_matched_with_its_jan_may_actual(con):
    row = con.execute("SELECT target_value, actual_value, actual_period, status FROM targets "
                      "WHERE figure_id = 'sd22_target_trade_growth_2022'").fetchone()
    assert row == (50.0, 69.67, "2022年1-5月", "in_progress")  # a 1-5月 forecast is progress, never met


def test_every_quote_is_verbatim_in_its_document(con):
    rows = con.execute("SELECT f.quote, s.text FROM figures f JOIN sources s USING (source_id)").fetchall()
    squash = lambda s: "".join(s.replace("**", "").split())  # noqa: E731
    assert all(squash(q) in squash(text) for q, text in rows)


# ---------- parsing ----------

@pytest.mark.parametrize("written, value", [
    ("494.6", 494.6), ("四分之一", 0.25), ("一万", 10_000), ("千万", 10_000_000), ("十二", 12),
    ("二十七", 27), ("八", 8), ("万", 10_000),
])
def test_numbers_as_written(written, value):
    assert parse_number(written) == pytest.approx(value)


@pytest.mark.parametrize("period, start, end", [
    ("2024年前三季度", "2024-01-01", "2024-09-30"),
    ("2024年1-10月", "2024-01-01", "2024-10-31"),
    ("2022年5月", "2022-05-01", "2022-05-31"),
    ("2023年", "2023-01-01", "2023-12-31"),
    ("2022年末", "2022-12-31", "2022-12-31"),
])
def test_periods(period, start, end):
    p = parse_period(period)
    assert (str(p.start), str(p.end)) == (start, end)


# ---------- the validator refuses bad records, naming file, line and field ----------

@pytest.fixture
def data_copy(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "data", ignore=shutil.ignore_patterns("*.duckdb*", "imports"))
    return tmp_path / "data"


def edit_first_figure(data_dir: Path, **changes) -> None:
    path = data_dir / FIGURE_FILE
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0].update(changes)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def problems_of(data_dir: Path) -> list[str]:
    with pytest.raises(ValidationError) as err:
        load_curated(data_dir)
    return [p.message("en") for p in err.value.problems]


@pytest.mark.parametrize("changes, expected", [
    ({"quote": "全区GDP增长80%"}, f"{FIGURE_FILE}:2: quote: quote not found verbatim in its document"),
    ({"value_text": "9", "value": "9"}, f"{FIGURE_FILE}:2: value_text: value does not appear in its quote"),
    ({"value": "9"}, f"{FIGURE_FILE}:2: value: value does not match value_text"),
    ({"unit": "亿斤"}, f"{FIGURE_FILE}:2: unit: unknown unit"),
    ({"period": "2024年第13月"}, f"{FIGURE_FILE}:2: period: period does not parse"),
    ({"figure_id": "wr24_gdp_gap_city_2024q3"}, f"{FIGURE_FILE}:3: figure_id: duplicate key"),
    ({"entity": ""}, f"{FIGURE_FILE}:2: entity: required field is empty"),
    ({"measure": "speed"}, f"{FIGURE_FILE}:2: measure: value not allowed"),
    ({"value": "八"}, f"{FIGURE_FILE}:2: value: not a number"),
])
def test_validator_rejects_bad_record(data_copy, changes, expected):
    edit_first_figure(data_copy, **changes)
    messages = problems_of(data_copy)
    assert any(m.startswith(expected) for m in messages), messages


def test_validator_names_missing_column(data_copy):
    path = data_copy / FIGURE_FILE
    text = path.read_text(encoding="utf-8").replace("qualifier,", "", 1)
    path.write_text(text, encoding="utf-8")
    assert f"{FIGURE_FILE}:1: qualifier: missing column" in problems_of(data_copy)


def test_problem_messages_are_bilingual(data_copy):
    edit_first_figure(data_copy, unit="亿斤")
    with pytest.raises(ValidationError) as err:
        load_curated(data_copy)
    assert "未知单位" in err.value.problems[0].message("zh")


# ---------- the build ----------

def digest(db: Path) -> str:
    c = duckdb.connect(str(db), read_only=True)
    h = hashlib.sha256()
    for (name,) in c.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall():
        # rows as a sorted list: a view's row order is not part of its contents
        rows = c.execute(f'SELECT * FROM "{name}"').df().to_csv(index=False).splitlines()
        h.update("\n".join(rows[:1] + sorted(rows[1:])).encode())
    c.close()
    return h.hexdigest()


def test_build_is_deterministic(data_copy, tmp_path):
    build(data_copy, tmp_path / "a.duckdb")
    build(data_copy, tmp_path / "b.duckdb")
    assert digest(tmp_path / "a.duckdb") == digest(tmp_path / "b.duckdb")


def test_bad_data_leaves_the_old_database_untouched(data_copy, tmp_path):
    db = tmp_path / "etdz.duckdb"
    build(data_copy, db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    edit_first_figure(data_copy, unit="亿斤")
    with pytest.raises(ValidationError):
        build(data_copy, db)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert [p.name for p in tmp_path.iterdir() if "tmp" in p.name] == []
