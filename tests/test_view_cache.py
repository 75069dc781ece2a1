"""The views shared across sessions (dashboard.figures.view, keyed by arguments, language and database
version): a commit shows at the next run, each language gets its own, and one session's filters never
reach another's. On a throw-away copy of data/ (import_helpers.workspace) with its test bulletin."""
import duckdb
import pytest
from apptest_helpers import metric_values, open_page
from import_helpers import bulletin_source, upload, workspace

from dashboard import url_state
from etl import imports


@pytest.fixture
def copy(tmp_path_factory, tmp_path, monkeypatch):
    data, db = workspace(tmp_path_factory, tmp_path)
    monkeypatch.setenv("ETDZ_DATA", str(data))
    monkeypatch.setenv("ETDZ_DB", str(db))
    return data, db


def shows(at, text: str) -> bool:
    return any(text in value for value in metric_values(at).values())


def test_a_commit_changes_the_view_at_the_next_run(copy):
    data, db = copy
    at = open_page("trade")
    before = metric_values(at)
    assert not shows(at, "105.3")
    imports.commit(upload(), bulletin_source(), "tester", data, db)
    at.run()  # the same session, no cache cleared: the new database version builds the view again
    assert not at.exception
    assert shows(at, "105.3") and metric_values(at) != before
    other = open_page("trade")  # and a session opened after the commit sees it too
    assert shows(other, "105.3")


def test_each_language_has_its_own_view_and_neither_reaches_the_other(copy):
    zh = open_page("overview")
    en = open_page("overview", lang="en")
    labels_zh, labels_en = set(metric_values(zh)), set(metric_values(en))
    assert labels_zh and labels_en and not labels_zh & labels_en
    assert any("GDP" in label for label in labels_en) and not any("GDP" in label for label in labels_zh)
    zh.run()  # after the English session built its views, the Chinese one still gets its own
    assert set(metric_values(zh)) == labels_zh


def economy_periods(db, n: int = 2) -> list[str]:
    """Codes of two periods the economy page offers (the zone's economy figures)."""
    with duckdb.connect(str(db), read_only=True) as con:
        found = [p for (p,) in con.execute(
            "SELECT period FROM facts WHERE entity = '开发区' AND topic = 'economy' AND period_kind = 'months' "
            "GROUP BY period ORDER BY count(*) DESC, period LIMIT ?", [n]).fetchall()]
    assert len(found) == n
    return [url_state.period_code(p) for p in found]


def test_one_sessions_filters_never_reach_another(copy):
    first, second = economy_periods(copy[1])
    a = open_page("economy", period=first)
    b = open_page("economy", period=second)
    seen_a, seen_b = metric_values(a), metric_values(b)
    assert seen_a != seen_b  # two periods, two card sets
    a.run()
    b.run()
    assert metric_values(a) == seen_a and metric_values(b) == seen_b
    assert (a.query_params["period"], b.query_params["period"]) == (first, second)


def test_the_start_up_catch_up_runs_once_per_process_not_per_view(copy, monkeypatch):
    """app.py runs again on every view: its once-per-process work must not (a functools.cache there
    forgot on every run, and every view re-checked the database against its files)."""
    from etl import inputs
    checks, ensure_fresh = [], inputs.ensure_fresh
    monkeypatch.setattr(inputs, "ensure_fresh", lambda *a: checks.append(a) or ensure_fresh(*a))
    at = open_page("overview")
    at.run()
    open_page("trade")
    assert len(checks) == 1
