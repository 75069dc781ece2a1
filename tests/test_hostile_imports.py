"""Issue 15: hostile uploads are refused with a message naming file, line and field, quickly,
and a failed rebuild never leaves the app on a half-applied state. All on temp copies of data/."""
import csv
import io

import openpyxl
import pytest

import etl.build
from etl import imports, inputs
from hostile_files import broken_sheet, workbook, zip_bomb
from import_helpers import BULLETIN, META, QUOTE, bulletin_csv, bulletin_source, sha, tree, upload, workspace
from test_imports import row_with


@pytest.fixture
def ws(tmp_path_factory, tmp_path):
    return workspace(tmp_path_factory, tmp_path)


def refused(ws, up, source=None):
    """Commit is refused; the messages (en, zh); the database and data/ unchanged."""
    data, db = ws
    before = sha(db), tree(data)
    with pytest.raises(imports.Refused) as err:
        imports.commit(up, source or bulletin_source(), "tester", data, db)
    assert (sha(db), tree(data)) == before
    problems = err.value.result.problems
    return [p.message("en") for p in problems], [p.message("zh") for p in problems]


# ---------- 1. full-width digits: refused by the check, never a crash in the rebuild ----------

@pytest.mark.parametrize("field, value", [("rank_total", "２１７"), ("value", "１０５.３"), ("value_text", "１０５.３")])
def test_full_width_digits_are_refused_at_the_check(ws, field, value):
    text = BULLETIN.replace("105.3", "１０５.３") if field == "value_text" else BULLETIN
    source = imports.new_source(META, text + "在２１７个国家级经开区中。\n")
    changes = {field: value, **({"quote": QUOTE.replace("105.3", value)} if field == "value_text" else {})}
    en, zh = refused(ws, upload(bulletin_csv(row_with(**changes))), source)
    assert any(m.startswith(f"bulletin.csv:2: {field}: not a number") for m in en), en
    if field != "value_text":  # a number field says what to type instead
        assert f"bulletin.csv:2: {field}: not a number — '{value}'; 请用半角数字 0-9 / use ASCII digits 0-9" in en
    assert any("不是数字" in m for m in zh)


def test_a_build_error_during_commit_leaves_the_last_good_database(ws, monkeypatch):
    data, db = ws
    before_db, before_files = sha(db), tree(data)

    def broken(curated, db_path):
        raise ValueError("Unable to parse string '２１７'")
    monkeypatch.setattr(etl.build, "write_database", broken)
    with pytest.raises(imports.BuildFailed, match="Unable to parse"):
        imports.commit(upload(), bulletin_source(), "analyst", data, db)
    assert sha(db) == before_db and not inputs.batch_dirs(data) and not inputs.pending(data)
    kept = [p for p in tree(data) if p.startswith("imports/_failed/")]  # kept for the record only
    assert [p for p in tree(data) if p not in kept] == before_files and kept
    monkeypatch.undo()
    assert inputs.ensure_fresh(data, db) == "fresh"


def test_a_build_error_during_undo_puts_the_batch_back(ws, monkeypatch):
    data, db = ws
    meta = imports.commit(upload(), bulletin_source(), "analyst", data, db)
    before_db, before_files = sha(db), tree(data)
    monkeypatch.setattr(etl.build, "_publish", lambda *a: 1 / 0)  # the rename into place, rebuilt or not
    with pytest.raises(imports.BuildFailed, match="ZeroDivisionError"):
        imports.revert(meta["batch"], "analyst", data, db)
    assert sha(db) == before_db and tree(data) == before_files
    assert [b.name for b in inputs.batch_dirs(data)] == [meta["batch"]]


def test_a_start_after_a_crashed_commit_of_a_bad_batch_rolls_it_back(ws):
    """A batch saved by the old code (full-width rank_total) whose rebuild never finished."""
    data, db = ws
    result = imports.check(upload(), bulletin_source(), data, db)
    meta = imports.save_batch(upload(), bulletin_source(), "analyst", result, data)  # …and died here
    figures = data / "imports" / meta["batch"] / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace("trade,,\n", "trade,２１７,\n", 1), encoding="utf-8")
    before = sha(db)
    status = inputs.ensure_fresh(data, db)
    assert status.startswith(f"rolled back: commit {meta['batch']}: ") and "rank_total" in status
    assert sha(db) == before and not inputs.batch_dirs(data) and not inputs.is_stale(data, db)
    assert inputs.ensure_fresh(data, db) == "fresh"


# ---------- 6. read errors are refusals; CR-only line endings are read ----------

def test_cr_only_line_endings_are_read(ws):
    data, db = ws
    up = upload(bulletin_csv().replace("\n", "\r"))
    assert up.tables["figures"]["figure_id"].tolist() == ["tb24_trade_2024", "tb24_trade_growth_2024"]
    assert imports.check(up, imports.new_source(META, BULLETIN.replace("\n", "\r")), data, db).ok
    table = "指标,2024年1-12月\r进出口总额（亿元）,105.3\r"
    text, problems = imports.table_text("月报.csv", table.encode())
    assert not problems and "月报!B2 进出口总额（亿元）｜2024年1-12月：105.3" in text.splitlines()


@pytest.mark.parametrize("name, data, where, code", [
    ("long.csv", (bulletin_csv() + "x" * 140_000 + "\n").encode(), "long.csv:4", "cell_too_long"),
    ("note.csv", bulletin_csv().replace(",,\n", ",," + "y" * 30_000 + "\n", 1).encode(), "note.csv:2: note",
     "cell_too_long"),
    ("broken.xlsx", broken_sheet(), "broken.xlsx", "bad_table"),
    ("empty.csv", b"", "empty.csv", "empty_batch"),
    ("bomb.xlsx", zip_bomb(64), "bomb.xlsx", "too_large"),
])
def test_unreadable_files_are_refusals_naming_file_line_and_field(name, data, where, code):
    for read in (imports.read_upload, imports.table_text):
        up, problems = read(name, data)
        assert up is None and [p.code for p in problems] == [code], [p.message("en") for p in problems]
        assert problems[0].message("en").startswith(where)
        assert imports.MESSAGES[code][0] in problems[0].message("zh")


def test_a_zip_bomb_is_refused_from_its_directory_before_inflating(monkeypatch):
    # "before inflating": no member is opened and openpyxl never sees the file (not a timing, which
    # a busy machine makes flaky)
    def inflated(*args, **kwargs):
        raise AssertionError("the bomb was opened")
    bomb = zip_bomb(64)
    monkeypatch.setattr(imports.zipfile.ZipFile, "open", inflated)
    monkeypatch.setattr(imports.openpyxl, "load_workbook", inflated)
    _, problems = imports.read_upload("bomb.xlsx", bomb)
    assert problems[0].message("en").startswith("bomb.xlsx: xl/worksheets/sheet1.xml: file is larger than the limit")
    assert "× compressed" in problems[0].detail


def test_too_many_rows_or_columns_are_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [row_with(figure_id=f"tb_{i}") for i in range(4)]
    for name, data in (("many.csv", bulletin_csv(*rows).encode()),
                       ("many.xlsx", workbook([r.split(",") for r in rows]))):
        _, problems = imports.read_upload(name, data)
        assert [p.message("en") for p in problems] == [
            f"{name}{' › figures' if name.endswith('xlsx') else ''}:5: table has more rows or columns than the limit"
            " — > 3 rows"]


# ---------- 7. duplicate ids: every one named (its time: bench/hostile_import.py) ----------

def test_twenty_thousand_duplicate_ids_are_each_named(ws):
    data, db = ws
    rows = [row_with()] * 20_001
    result = imports.check(upload(bulletin_csv(*rows)), bulletin_source(), data, db)
    dups = [p for p in result.problems if p.code == "duplicate_key"]
    assert len(dups) == 20_000
    assert dups[0].message("en") == "bulletin.csv:3: figure_id: duplicate key — 'tb24_trade_2024' already at bulletin.csv:2"
    assert dups[-1].message("en").startswith("bulletin.csv:20002: figure_id: duplicate key")



def test_a_new_figure_cannot_take_a_derived_figures_id(ws):
    """The next full build would refuse it: the commit refuses it first, naming file, line and field."""
    en, _ = refused(ws, upload(bulletin_csv(row_with(figure_id="drv_trade_2020_implied"))))
    assert en == ["bulletin.csv:2: figure_id: duplicate key — 'drv_trade_2020_implied' is also a derived figure"]

# ---------- 8. a negative value only for a fall ----------

def test_a_negative_level_without_a_fall_is_refused(ws):
    en, zh = refused(ws, upload(bulletin_csv(row_with(value="-105.3"))))
    assert "bulletin.csv:2: value: a negative value is only for a fall (the quote must say 下降, 下滑, 减少 …) — -105.3 ≠ 105.3" in en
    assert any("负值只用于下降" in m for m in zh)


def test_a_negative_value_for_a_fall_is_accepted(ws):
    data, db = ws
    text = BULLETIN + "全年出口下降3.5%。\n"
    row = "tb24_export_growth_2024,test_bulletin_2024_12,全年出口下降3.5%,3.5,-3.5,%,,开发区,trade,growth,actual,2024年,trade,,"
    assert imports.check(upload(bulletin_csv(row)), imports.new_source(META, text), data, db).ok


# ---------- 11. messages never name a server path, nor a file "?" ----------

def test_messages_name_the_analysts_file_not_a_server_path(ws):
    en, _ = refused(ws, upload(bulletin_csv(row_with(), row_with())))
    assert "bulletin.csv:3: figure_id: duplicate key — 'tb24_trade_2024' already at bulletin.csv:2" in en
    assert not any("/tmp" in m or imports.STAGE + "/" in m for m in en)


def test_an_empty_sheet_is_named_not_question_marked(ws):
    up = upload()
    up.tables["entities"] = imports.read_upload("e.csv", b"entity,kind\n")[0].tables["figures"]
    up.labels["entities"] = "filled.xlsx › entities"
    en, _ = refused(ws, up)
    assert "filled.xlsx › entities:1: name_en: missing column" in en
    assert not any(m.startswith("?") for m in en)


# ---------- 5. the template never carries a live formula ----------

def test_template_cells_are_text_never_formulas(ws):
    data, db = ws
    evil = '=HYPERLINK("http://203.0.113.9/x","点击")'
    buf = io.StringIO()
    csv.writer(buf).writerows([["entity", "kind", "name_en", "source_id", "quote"],
                               [evil, "other", "+cmd", "test_bulletin_2024_12", "全年实际利用外资6120万美元"]])
    entity = buf.getvalue()
    first = upload()
    first.tables["entities"] = imports.read_upload("e.csv", entity.encode())[0].tables["figures"]
    imports.commit(first, bulletin_source(), "analyst", data, db)
    book = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx(db)))
    cells = [c for ws_ in book.worksheets for row in ws_.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    entities = [c.value for c in book["现有主体 Entities"]["A"]]
    assert evil in entities  # shown as written, as text: it round-trips into an upload unchanged


# ---------- 11. what kill -9 leaves is removed at the next start ----------

def test_a_start_removes_what_a_killed_process_left(ws):
    import os
    import subprocess
    import sys
    import tempfile
    from pathlib import Path
    data, db = ws
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    left = [db.parent / f".{db.name}.{dead}.tmp", db.parent / f".{db.name}.{dead}.tmp.wal",
            data / "imports" / "_incoming-20261201T000000Z", Path(tempfile.gettempdir()) / f"etdz-check-{dead}-abc"]
    alive = [db.parent / f".{db.name}.{os.getpid()}.tmp", Path(tempfile.gettempdir()) / f"etdz-check-{os.getpid()}-x"]
    for path in left[:2] + alive[:1]:
        path.write_bytes(b"half a database")
    for path in left[2:] + alive[1:]:
        path.mkdir(parents=True)
        (path / "figures.csv").write_text("figure_id\n", encoding="utf-8")
    try:
        assert inputs.ensure_fresh(data, db) == "fresh"
        assert [p for p in left if p.exists()] == []
        assert all(p.exists() for p in alive)  # this process is alive: its files may be in use
    finally:
        import shutil
        alive[0].unlink(missing_ok=True)
        shutil.rmtree(alive[1], ignore_errors=True)


# ---------- issue 19, item 7: refuse what is not true, naming file, row and field ----------

def checked(ws, up, source=None) -> list[str]:
    """The check's messages (English) for an upload; nothing is written."""
    data, db = ws
    return [p.message("en") for p in imports.check(up, source or bulletin_source(), data, db).problems]


def with_table(up, table: str, csv_text: str):
    up.tables[table] = imports.read_upload(f"{table}.csv", csv_text.encode())[0].tables["figures"]
    up.labels[table] = f"{table}.csv"
    return up


@pytest.mark.parametrize("written", ["分之一", "四分之", "零分之一"])
def test_a_fraction_without_a_denominator_is_refused_not_a_crash(ws, written):
    quote = f"2024年，全区进出口总额完成{written}"
    source = imports.new_source(META, BULLETIN + quote + "。\n")
    en = checked(ws, upload(bulletin_csv(row_with(quote=quote, value_text=written, value="0.5"))), source)
    assert en == [f"bulletin.csv:2: value_text: not a number — {written!r}"]


@pytest.mark.parametrize("factor", ["0", "-10000"])
def test_a_unit_whose_factor_is_zero_or_negative_is_refused(ws, factor):
    up = with_table(upload(), "units", f"unit,base_unit,factor,unit_en\n万吨公里,吨公里,{factor},10 thousand tonne-km\n")
    assert checked(ws, up) == [f"units.csv:2: factor: a unit's factor must be greater than 0 — {factor!r}"]


@pytest.mark.parametrize("name, why", [
    ("开发区\ufeff", "invisible marks 不可见字符 U+FEFF"),
    ("开发区\u200f", "invisible marks 不可见字符 U+200F"),
    ("\u202e开发区", "invisible marks 不可见字符 U+202E"),
])
def test_an_entity_that_only_looks_like_an_existing_one_is_refused_naming_it(ws, name, why):
    # in a figure row: the message names the existing entity to use
    en = checked(ws, upload(bulletin_csv(row_with(entity=name))))
    assert f"bulletin.csv:2: entity: the name only looks like an existing entity (spaces, invisible marks or " \
           f"other scripts' letters) — {name!r} looks like the existing entity '开发区' ({why}); use '开发区'" in en
    # as a new entity of the upload too
    entity = f"entity,kind,name_en,source_id,quote\n{name},zone,Zone,test_bulletin_2024_12,全年实际利用外资6120万美元\n"
    en = checked(ws, with_table(upload(), "entities", entity))
    assert any(m.startswith("entities.csv:2: entity: the name only looks like an existing entity")
               and "use '开发区'" in m for m in en), en


def test_a_trailing_space_is_normalised_away_on_reading(ws):
    up = upload(bulletin_csv(row_with(entity="开发区 ")))
    assert up.tables["figures"]["entity"].tolist() == ["开发区"] and checked(ws, up) == []


def test_a_name_in_cyrillic_letters_is_refused_naming_the_latin_one(ws):
    entity = ("entity,kind,name_en,source_id,quote\n"
              "ETDZ Park,other,ETDZ Park,test_bulletin_2024_12,全年实际利用外资6120万美元\n"
              "\u0415TDZ P\u0430rk,other,ETDZ Park,test_bulletin_2024_12,全年实际利用外资6120万美元\n")
    en = checked(ws, with_table(upload(), "entities", entity))
    assert en == ["entities.csv:3: entity: the name only looks like an existing entity (spaces, invisible marks or "
                  "other scripts' letters) — 'ЕTDZ Pаrk' looks like the existing entity 'ETDZ Park' "
                  "(Cyrillic/Greek letters 西里尔或希腊字母); use 'ETDZ Park'"]


def test_a_rank_total_or_a_year_out_of_range_is_refused(ws):
    quote = "2024年，开发区在9999家国家级经开区中排名9999位"
    source = imports.new_source(META, BULLETIN + quote + "。9999年，全区进出口总额完成105.3亿元。\n")
    rank = row_with(figure_id="tb_rank", quote=quote, value_text="9999", value="9999", unit="位",
                    indicator="rank_national", measure="rank", rank_total="9999", topic="benchmarks")
    total = row_with(figure_id="tb_rank2", quote=quote, value_text="9999", value="9999", unit="位",
                     indicator="rank_national", measure="rank", rank_total="999999", topic="benchmarks")
    year = row_with(figure_id="tb_year", quote="9999年，全区进出口总额完成105.3亿元", period="9999年")
    en = checked(ws, upload(bulletin_csv(rank, total, year)), source)
    for line, total in ((2, "9999"), (3, "999999")):
        assert f"bulletin.csv:{line}: rank_total: out of any sane range — '{total}': a rank's total is 1–5,000 and " \
               "not below the rank" in en
    assert "bulletin.csv:4: period: out of any sane range — '9999年': 9999 (a year is 1900–2100)" in en
    # a true rank of 217 stays accepted
    fine = row_with(figure_id="tb_rank3", quote="2024年，开发区在217家国家级经开区中排名116位", value_text="116",
                    value="116", unit="位", indicator="rank_national", measure="rank", rank_total="217",
                    topic="benchmarks")
    source = imports.new_source(META, BULLETIN + "2024年，开发区在217家国家级经开区中排名116位。\n")
    assert checked(ws, upload(bulletin_csv(fine)), source) == []


def test_a_quote_that_is_only_the_number_is_refused(ws):
    source = imports.new_source(META, BULLETIN + "105.3亿元\n")
    en = checked(ws, upload(bulletin_csv(row_with(quote="105.3亿元"))), source)
    assert "bulletin.csv:2: quote: the quote is only the number: it must be the sentence that holds it — '105.3亿元'" in en


@pytest.mark.parametrize("period, ascii_", [("２０２４年", "2024年"), ("\u0662\u0660\u0662\u0664年", "2024年"),
                                            ("2024年1-\uff19月", "2024年1-9月")])
def test_a_period_in_other_digits_is_read_and_refused_never_stored(ws, period, ascii_):
    en = checked(ws, upload(bulletin_csv(row_with(period=period))))
    assert f"bulletin.csv:2: period: a period is written in ASCII digits 0-9 — {period!r} reads as {ascii_!r}; " \
           f"请写作 / write it {ascii_!r}" in en
