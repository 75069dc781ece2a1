"""The synthetic history as a tool: it builds, it counts what it wrote, it never reaches data/."""
import duckdb
import pytest

from etl.build import DB_PATH
from history_helpers import small_history_built


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    return small_history_built(tmp_path_factory)


def test_small_history_builds_with_the_rows_it_wrote(history):
    data, db, counts = history
    assert counts["batches"] == 24 and 900 <= counts["figures"] <= 1100
    with duckdb.connect(str(db), read_only=True) as con:
        figures = con.execute("SELECT count(*) FROM figures WHERE batch <> ''").fetchone()[0]
        sources = con.execute("SELECT count(*) FROM sources WHERE title_zh LIKE '合成%'").fetchone()[0]
        peers = con.execute("SELECT count(*) FROM entities WHERE entity LIKE '合成%'").fetchone()[0]
        batches = con.execute("SELECT count(*) FROM import_batches WHERE status = 'active'").fetchone()[0]
        periods = dict(con.execute("SELECT period_kind, count(*) FROM facts WHERE batch <> '' GROUP BY ALL").fetchall())
    assert (figures, sources, peers, batches) == (counts["figures"], counts["sources"], counts["entities"],
                                                 counts["batches"])
    # single months, years to date (from February) and years: 2 years × 4 entities × 5 series
    assert periods == {"month": 2 * 12 * 4 * 5, "months": 2 * 11 * 4 * 5, "year": 2 * 4 * 5}


def test_shipped_database_has_no_synthetic_row():
    with duckdb.connect(str(DB_PATH), read_only=True) as con:
        found = con.execute("""
            SELECT (SELECT count(*) FROM figures WHERE quote LIKE '%合成%' OR note LIKE '%合成%' OR batch <> '')
                 + (SELECT count(*) FROM sources WHERE title_zh LIKE '%合成%' OR title_en ILIKE '%synthetic%'
                                                   OR text LIKE '%合成%')
                 + (SELECT count(*) FROM entities WHERE entity LIKE '%合成%' OR name_en ILIKE '%synthetic%')
        """).fetchone()[0]
    assert found == 0
