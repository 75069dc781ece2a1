"""The targets model (etl/models/targets.sql) judges a target only by an actual covering its whole period."""
import duckdb
import pytest

from etl.build import MODELS_DIR, check_target_statuses
from etl.validate import ValidationError

TARGET = ("t", "target", 50.0, "2022年", "2022-01-01", "2022-12-31")


def model(*actuals, target=TARGET) -> duckdb.DuckDBPyConnection:
    """A facts table of one target and the given actuals (id, basis, value, period, start, end), and the model."""
    con = duckdb.connect()
    con.execute("""CREATE TABLE facts (figure_id VARCHAR, basis VARCHAR, value DOUBLE, period VARCHAR,
        period_start DATE, period_end DATE, entity VARCHAR DEFAULT '开发区', indicator VARCHAR DEFAULT 'trade',
        indicator_zh VARCHAR DEFAULT '进出口总额', indicator_en VARCHAR DEFAULT 'Trade', measure VARCHAR DEFAULT 'growth',
        value_text VARCHAR DEFAULT '', unit VARCHAR DEFAULT '%', unit_en VARCHAR DEFAULT '%', qualifier VARCHAR DEFAULT '',
        quote VARCHAR DEFAULT '', source_id VARCHAR DEFAULT 's', source_title_zh VARCHAR DEFAULT '',
        source_title_en VARCHAR DEFAULT '', source_short_zh VARCHAR DEFAULT '', source_short_en VARCHAR DEFAULT '',
        is_derived BOOLEAN DEFAULT FALSE, data_file VARCHAR DEFAULT 'figures/x.csv', data_line INTEGER DEFAULT 7)""")
    for row in (target, *actuals):
        con.execute("INSERT INTO facts (figure_id, basis, value, period, period_start, period_end) VALUES (?, ?, ?, ?, ?, ?)",
                    list(row))
    con.execute(f"CREATE VIEW targets AS {(MODELS_DIR / 'targets.sql').read_text(encoding='utf-8')}")
    return con


def status(con) -> str:
    return con.execute("SELECT status FROM targets WHERE figure_id = 't'").fetchone()[0]


def test_a_full_year_actual_at_or_above_the_target_is_met():
    assert status(model(("a", "actual", 55.0, "2022年", "2022-01-01", "2022-12-31"))) == "met"


def test_a_full_year_actual_below_the_target_is_behind():
    assert status(model(("a", "actual", 40.0, "2022年", "2022-01-01", "2022-12-31"))) == "behind"


def test_a_part_year_actual_above_the_target_is_progress_not_met():
    assert status(model(("a", "actual", 69.67, "2022年1-5月", "2022-01-01", "2022-05-31"))) == "in_progress"


def test_a_forecast_is_progress_even_for_the_whole_year():
    # 1-5月 预计 69.67% (the speech deck) and a full-year 预计: neither is an actual
    assert status(model(("a", "expected", 69.67, "2022年1-5月", "2022-01-01", "2022-05-31"))) == "in_progress"
    assert status(model(("a", "expected", 80.0, "2022年", "2022-01-01", "2022-12-31"))) == "in_progress"


def test_no_actual_in_the_target_year():
    assert status(model(("a", "actual", 90.0, "2021年", "2021-01-01", "2021-12-31"))) == "no_actual"


def test_a_year_end_target_is_judged_by_the_years_actual():
    year_end = ("t", "target", 110.0, "2022年末", "2022-12-31", "2022-12-31")
    assert status(model(("a", "actual", 120.0, "2022年", "2022-01-01", "2022-12-31"), target=year_end)) == "met"


def test_the_build_refuses_a_status_judged_from_a_forecast():
    con = model(("a", "expected", 69.67, "2022年1-5月", "2022-01-01", "2022-05-31"))
    check_target_statuses(con)  # the model's own answer (in_progress) passes
    # a model that judged from the forecast, as targets.sql once did
    con.execute("CREATE OR REPLACE VIEW targets AS SELECT 't' AS figure_id, 'a' AS actual_figure_id, 'met' AS status")
    with pytest.raises(ValidationError) as err:
        check_target_statuses(con)
    assert err.value.problems[0].message("en").startswith(
        "figures/x.csv:7: basis: a target may be judged met/behind only by an actual covering its whole period")
