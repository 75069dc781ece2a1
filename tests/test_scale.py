"""The synthetic history as a tool: it builds, it counts what it wrote, it never reaches data/;
a bad row in it is named by file, line and field; an import onto it is added, not rebuilt."""
import csv
import re

import duckdb
import pytest

from etl import build as build_module, imports, inputs
from etl.build import DB_PATH, build, load_curated
from etl.validate import ValidationError, Validator, normalize_text
from history_helpers import history_copy, small_history_built  # noqa: F401 (a fixture)
from import_helpers import tree
from synth_history import import_batch


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


def synthetic_rows(db) -> int:
    """Rows marked as synth_history marks them: 合成 titles, texts, peers and firms, syn… ids."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("""
            SELECT (SELECT count(*) FROM figures WHERE quote LIKE '%（合成）%' OR note LIKE '%合成数据%'
                                                   OR figure_id LIKE 'syn2%')
                 + (SELECT count(*) FROM sources WHERE title_zh LIKE '合成%' OR title_en ILIKE '%synthetic%'
                                                   OR text LIKE '%合成数据%' OR source_id LIKE 'syn\\_%' ESCAPE '\\')
                 + (SELECT count(*) FROM entities WHERE entity LIKE '合成%' OR name_en ILIKE '%synthetic%')
        """).fetchone()[0]


def test_shipped_database_has_no_synthetic_row(history):
    assert synthetic_rows(history[1]) > 0  # the markers are found where they are
    assert synthetic_rows(DB_PATH) == 0


# ---------- errors in a batch name file, line and field; an import is added, not rebuilt ----------

def edit_batch_rows(data, month: int, changes: dict[int, dict]) -> str:
    """Change rows (by line) of a synthetic month's figures.csv; the file as the build names it."""
    folder = sorted(p for p in (data / "imports").iterdir() if p.is_dir())[month]
    path = folder / "figures.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for line, change in changes.items():
        rows[line - 2].update(change)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path.relative_to(data))


def test_bad_rows_in_a_synthetic_batch_are_named_by_file_line_and_field(history_copy):
    data, _ = history_copy
    file = edit_batch_rows(data, 2, {  # 2025年3月
        3: {"value": "1.5"}, 4: {"quote": "2025年3月，开发区不在文中的句子（合成）"}, 5: {"unit": "亿斤"},
        6: {"period": "2025年13月"}, 7: {"figure_id": "syn202503_z_trade_m_level"}})  # the id of line 2
    with pytest.raises(ValidationError) as err:
        load_curated(data)
    found = {p.message("en").split(" — ")[0] for p in err.value.problems}
    assert {f"{file}:3: value: value does not match value_text",
            f"{file}:4: quote: quote not found verbatim in its document",
            f"{file}:5: unit: unknown unit",
            f"{file}:6: period: period does not parse",
            f"{file}:7: figure_id: duplicate key"} <= found, found


def table_rows(db):
    """Every table's rows, sorted (the order rows were added in is no part of the contents)."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = [n for (n,) in con.execute("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
        return {n: sorted(map(repr, con.execute(f'SELECT * FROM "{n}"').fetchall())) for n in names}


def test_an_import_onto_the_history_is_added_to_the_database_not_rebuilt(history_copy, monkeypatch, tmp_path):
    data, db = history_copy
    text, meta, source_text = import_batch("small")
    upload, problems = imports.read_upload("合成.csv", text.encode())
    assert not problems
    before = duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM figures").fetchone()[0]

    def no_rebuild(*args):
        raise AssertionError("the whole history was rebuilt")
    monkeypatch.setattr(imports, "build", no_rebuild)
    batch = imports.commit(upload, imports.new_source(meta, source_text), "tester", data, db)["batch"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM figures").fetchone()[0] == before + 30
        assert con.execute("SELECT count(*), min(batch) FROM facts WHERE source_id = ?",
                           [meta["source_id"]]).fetchone() == (30, batch)
        assert con.execute("SELECT status, rows FROM import_batches WHERE batch = ?", [batch]).fetchone() == ("active", 30)
    assert not inputs.is_stale(data, db)
    # the copy with the batch added holds what a build of everything holds
    monkeypatch.undo()
    build(data, tmp_path / "full.duckdb")
    assert table_rows(db) == table_rows(tmp_path / "full.duckdb")



def test_a_figure_restated_unchanged_keeps_its_own_file_and_line(history_copy, tmp_path):
    """An upload that repeats a figure already in force, unchanged, ahead of its new ones: the commit
    saves only the new rows, so the database names the old file for the repeated figure and each new
    figure's line in the saved file, as a build of everything does."""
    data, db = history_copy
    text, meta, source_text = import_batch("small")
    first = sorted((data / "imports").glob("*/figures.csv"))[0]
    header, repeated = first.read_text(encoding="utf-8").splitlines()[:2]
    lines = text.splitlines()
    assert lines[0] == header
    upload, problems = imports.read_upload("合成.csv", "\n".join([header, repeated, *lines[1:]]).encode())
    assert not problems
    result = imports.check(upload, imports.new_source(meta, source_text), data, db)
    assert len(result.unchanged) == 1 and len(result.new) == 30
    batch = imports.commit(upload, imports.new_source(meta, source_text), "tester", data, db)["batch"]
    repeated_id = repeated.split(",")[0]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT data_file, data_line FROM figures WHERE figure_id = ?", [repeated_id]).fetchone() == (
            str(first.relative_to(data)), 2)
        assert con.execute("SELECT min(data_line), max(data_line) FROM figures WHERE batch = ?", [batch]).fetchone() == (2, 31)
    build(data, tmp_path / "full.duckdb")
    assert table_rows(db) == table_rows(tmp_path / "full.duckdb")

def test_the_build_removes_white_space_as_python_does():
    """DuckDB's \\s is ASCII only: the build's class must be Python's (str.isspace)."""
    spaces = "".join(c for c in map(chr, range(0x10000)) if re.match(r"\s", c))  # none lies beyond U+3000
    con = duckdb.connect()
    Validator(con)
    text = "a" + spaces + "b**c* *d"
    assert con.execute("SELECT norm(?)", [text]).fetchone()[0] == normalize_text(text) == "abc**d"


# ---------- undo: the newest batch's rows taken out of the database in force, or a rebuild with its reason ----------

def test_undo_of_the_newest_batch_takes_its_rows_out_without_a_rebuild(history_copy, monkeypatch, tmp_path):
    data, db = history_copy
    before = table_rows(db)
    text, meta, source_text = import_batch("small")
    upload, _ = imports.read_upload("合成.csv", text.encode())
    batch = imports.commit(upload, imports.new_source(meta, source_text), "tester", data, db)["batch"]

    def no_rebuild(*args):
        raise AssertionError("the whole history was rebuilt")
    monkeypatch.setattr(imports, "build", no_rebuild)
    undone = imports.revert(batch, "tester", data, db)
    assert undone["republished"] == "without its rows, no rebuild"
    assert not inputs.is_stale(data, db) and inputs.pending(data) is None
    after = table_rows(db)
    assert after["import_batches"] != before["import_batches"]  # the log says it was undone
    assert {n: r for n, r in after.items() if n not in ("import_batches", "input_files", "build_info")} == {
        n: r for n, r in before.items() if n not in ("import_batches", "input_files", "build_info")}
    monkeypatch.undo()
    build(data, tmp_path / "full.duckdb")  # what a build without the batch writes
    assert table_rows(db) == table_rows(tmp_path / "full.duckdb")


def test_undo_rebuilds_and_says_why_when_the_batch_restated_figures_or_was_restated(history_copy, tmp_path):
    data, db = history_copy
    text, meta, source_text = import_batch("small")
    upload, _ = imports.read_upload("合成.csv", text.encode())
    first = imports.commit(upload, imports.new_source(meta, source_text), "tester", data, db)["batch"]
    header, row, *_ = text.splitlines()
    corrected = row.replace("合成数据，仅供测试", "合成数据，仅供测试（更正）")
    upload, _ = imports.read_upload("更正.csv", f"{header}\n{corrected}\n".encode())
    second = imports.commit(upload, None, "tester", data, db)["batch"]
    fid = row.split(",")[0]
    assert build_module.why_rebuild_without(first, data, db) == f"batch {second} restates its figure {fid}"
    undone = imports.revert(second, "tester", data, db)
    assert undone["republished"] == f"rebuilt: it restates figures in force before it ({fid})"
    with duckdb.connect(str(db), read_only=True) as con:  # the first batch's row is back
        assert con.execute("SELECT batch, note FROM figures WHERE figure_id = ?", [fid]).fetchone() == (
            first, "合成数据，仅供测试")
    build(data, tmp_path / "full.duckdb")
    assert table_rows(db) == table_rows(tmp_path / "full.duckdb")


def test_undo_of_a_batch_a_later_one_rests_on_says_so_and_keeps_everything(history_copy):
    data, db = history_copy
    text, meta, source_text = import_batch("small")
    header, *rows = text.splitlines()
    upload, _ = imports.read_upload("合成.csv", "\n".join([header, *rows[:20]]).encode())
    first = imports.commit(upload, imports.new_source(meta, source_text), "tester", data, db)["batch"]
    upload, _ = imports.read_upload("后续.csv", "\n".join([header, *rows[20:]]).encode())  # cites the first's source
    later = imports.commit(upload, None, "tester", data, db)["batch"]
    assert build_module.why_rebuild_without(first, data, db) == (
        f"imports/{later}/figures.csv:2 uses its source_id {meta['source_id']!r}")
    files = tree(data)
    with pytest.raises(ValidationError):  # the rebuild refuses the later batch's rows: all is put back
        imports.revert(first, "tester", data, db)
    assert tree(data) == files and not inputs.is_stale(data, db)
