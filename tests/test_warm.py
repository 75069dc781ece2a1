"""The warm-up after a commit (dashboard/warm.py): what viewers asked for is built again on the new
database before they ask, in each language they asked in, and what was asked survives a restart in
the file beside the database; the database memory a replica holds is bounded. On a throw-away copy of
data/ (import_helpers.workspace)."""
import tempfile

import pytest
from apptest_helpers import metric_values, open_page
from import_helpers import bulletin_source, upload, workspace

import queries
from dashboard import warm
from etl import imports


@pytest.fixture
def copy(tmp_path_factory, tmp_path, monkeypatch):
    data, db = workspace(tmp_path_factory, tmp_path)
    monkeypatch.setenv("ETDZ_DATA", str(data))
    monkeypatch.setenv("ETDZ_DB", str(db))
    monkeypatch.setattr(queries, "ASKED", type(queries.ASKED)())  # this test's viewers only
    return data, db


def database_reads(monkeypatch) -> list[str]:
    """The named queries read from the database from here on (a cached one never asks for its SQL)."""
    read, sql_text = [], queries.sql_text
    monkeypatch.setattr(queries, "sql_text", lambda name: read.append(name) or sql_text(name))
    return read


@pytest.mark.parametrize("warmed", [True, False])
def test_after_a_commit_every_view_asked_for_is_ready_in_each_language(copy, monkeypatch, warmed):
    data, db = copy
    for page in ("overview", "trade", "economy"):
        for lang in ("zh", "en"):
            assert not open_page(page, lang=lang).exception
    old = queries.db_version()
    imports.commit(upload(), bulletin_source(), "tester", data, db)
    if warmed:
        assert warm.warm(queries.db_version(), old) > 20
    read = database_reads(monkeypatch)
    trade_zh, trade_en = open_page("trade"), open_page("trade", lang="en")
    overview_en = open_page("overview", lang="en")
    open_page("economy")
    assert any("105.3" in v for v in metric_values(trade_zh).values())  # the committed figure, not the old view
    assert set(metric_values(trade_en)).isdisjoint(metric_values(trade_zh))  # its own language's view
    assert any("GDP" in label for label in metric_values(overview_en))
    if warmed:
        assert read == []
        queries._run("build_info", (), old)  # the old database's entries were let go once the new one was warm
        assert read == ["build_info"]
    else:  # the control: without the warm-up the first viewers read the database
        assert len(read) > 10 and "zone_figures" in read


def test_what_was_asked_is_kept_beside_the_database_for_the_next_process(copy, monkeypatch):
    open_page("trade", lang="en")
    asked = queries.asked_lately()
    warm.save(asked)
    assert warm.asked_file().parent == copy[1].parent
    with warm.asked_file().open("a", encoding="utf-8") as f:
        f.write("1\t('query', 'zone_figures', (('n', np.int64(3)),))\n")  # no literal: skipped, not a crash
    monkeypatch.setattr(queries, "ASKED", type(queries.ASKED)())  # a restarted replica knows nothing
    again = warm.keys()
    assert len(again) == len(asked)
    assert set(map(repr, again)) == set(asked)
    assert ("view", "firms_on_topic", ("trade", 4), (), "en") in again
    assert again[0][0] == "view" and again[-1][0] == "query"  # views first: they run most of the queries


def test_what_is_asked_is_bounded(monkeypatch):
    monkeypatch.setattr(queries, "ASKED", type(queries.ASKED)())
    for n in range(queries.ASKED_KEPT + 50):
        queries.asked(("query", "facts_search", (("q", f"search {n}"),)))
    kept = queries.asked_lately()
    assert len(kept) == queries.ASKED_KEPT
    assert repr(("query", "facts_search", (("q", "search 49"),))) not in kept  # the oldest went first
    queries.asked(("query", "facts_search", (("q", "search 50"),)))  # asked again: newest now, twice asked
    written, (_, count) = list(queries.asked_lately().items())[-1]
    assert written.endswith("'search 50'),))") and count == 2


def test_the_most_asked_is_warmed_first_and_counts_survive_the_file(copy, monkeypatch):
    for _ in range(3):
        queries.asked(("view", "headline_cards", (), (), "zh"))
    queries.asked(("view", "party_cards", (), (), "en"))  # newer, asked once
    queries.asked(("query", "build_info", ()))
    assert warm.keys() == [("view", "headline_cards", (), (), "zh"), ("view", "party_cards", (), (), "en"),
                           ("query", "build_info", ())]
    warm.save(queries.asked_lately())
    monkeypatch.setattr(queries, "ASKED", type(queries.ASKED)())  # another replica, which saw one viewer
    queries.asked(("view", "party_cards", (), (), "en"))
    assert warm.keys()[:2] == [("view", "headline_cards", (), (), "zh"), ("view", "party_cards", (), (), "en")]


def test_a_newer_database_stops_a_warm_up_of_the_old_one(copy):
    open_page("overview")
    assert warm.warm("not the database in force") == 0


def test_a_replicas_database_memory_is_bounded_and_a_larger_query_spills():
    con = queries._connection(queries.db_version())
    limit, spill = con.execute("SELECT current_setting('memory_limit'), current_setting('temp_directory')").fetchone()
    assert limit == "244.1 MiB" and queries.QUERY_MEMORY == "256MB"  # DuckDB's unit is MiB
    with con.cursor() as cur:  # ≈ 320 MB to sort: more than the limit, so it spills to the temp folder
        assert cur.execute("SELECT count(*) FROM (SELECT range, random() AS x FROM range(20000000) ORDER BY x)"
                           ).fetchone() == (20000000,)
    assert spill.startswith(tempfile.gettempdir())
