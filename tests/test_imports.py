"""Analysts' batches: refusals with their messages and nothing written, encodings, preview,
commit, undo, and a commit that dies before (or during) its rebuild. All on temp copies of data/."""
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from etl import imports, inputs, validate
from etl.validate import ValidationError
from import_helpers import (BULLETIN, META, QUOTE, ROWS, bulletin_csv, bulletin_source, sha, tree, upload,
                            workspace)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def ws(tmp_path_factory, tmp_path):
    return workspace(tmp_path_factory, tmp_path)


def query(db: Path, sql: str, *params):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def row_with(**changes) -> str:
    """The first bulletin row with some fields replaced."""
    row = next(csv.DictReader(io.StringIO(bulletin_csv())))
    row.update(changes)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(row.values())
    return buf.getvalue()


# ---------- every kind of bad file is refused, named by row and column, and nothing is written ----------

@pytest.mark.parametrize("rows, where, zh, en", [
    ([row_with(unit="亿斤")], "bulletin.csv:2: unit", "未知单位", "unknown unit"),
    ([row_with(value="一百零五")], "bulletin.csv:2: value", "不是数字", "not a number"),
    ([row_with(period="2024年13月")], "bulletin.csv:2: period", "期间无法解析", "period does not parse"),
    ([ROWS[0], ROWS[0]], "bulletin.csv:3: figure_id", "主键重复", "duplicate key"),
    ([row_with(quote="2024年，全区进出口总额完成150.3亿元", value_text="150.3", value="150.3")],
     "bulletin.csv:2: quote", "引文在来源文档中找不到", "quote not found verbatim"),
    ([row_with(entity="")], "bulletin.csv:2: entity", "必填字段为空", "required field is empty"),
    ([row_with(value="106.3")], "bulletin.csv:2: value", "value 与原文数值不符", "value does not match"),
    ([row_with(figure_id="TB-24")], "bulletin.csv:2: figure_id", "编号只能用", "an id may use"),
    ([], "bulletin.csv", "没有数据行", "no data rows"),
])
def test_bad_rows_are_refused_and_nothing_is_written(ws, rows, where, zh, en):
    data, db = ws
    before_db, before_files = sha(db), tree(data)
    up = upload(bulletin_csv(*rows) if rows else bulletin_csv().splitlines()[0] + "\n")
    with pytest.raises(imports.Refused) as refused:
        imports.commit(up, bulletin_source(), "tester", data, db)
    problems = refused.value.result.problems
    assert any(p.message("en").startswith(where) and en in p.message("en") for p in problems), \
        [p.message("en") for p in problems]
    assert any(zh in p.message("zh") for p in problems)
    assert sha(db) == before_db and tree(data) == before_files


def test_missing_column_and_source_problems_name_their_place(ws):
    data, db = ws
    rows = list(csv.reader(io.StringIO(bulletin_csv())))
    buf = io.StringIO()
    csv.writer(buf).writerows([r[:6] + r[7:] for r in rows])  # without the qualifier column
    text = buf.getvalue()
    result = imports.check(upload(text), imports.new_source({**META, "source_id": "Bad Id"}, ""), data, db)
    messages = [p.message("en") for p in result.problems]
    assert "bulletin.csv:1: qualifier: missing column" in messages
    assert any(m.startswith(f"{imports.SOURCE_LABEL}:2: text: required field is empty") for m in messages)
    assert any(m.startswith(f"{imports.SOURCE_LABEL}:2: source_id: an id may use") for m in messages)


@pytest.mark.parametrize("name, data, code", [
    ("big.csv", b"x" * (imports.MAX_UPLOAD_BYTES + 1), "too_large"),
    ("report.pdf", b"%PDF-1.7", "unsupported_file"),
    ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "bad_encoding"),
    ("ragged.csv", (bulletin_csv() + "a,b,c\n").encode(), "bad_table"),
    ("broken.xlsx", b"PK\x03\x04 not really a workbook", "bad_table"),
])
def test_bad_files_are_refused_with_a_clear_message(name, data, code):
    up, problems = imports.read_upload(name, data)
    assert up is None and [p.code for p in problems][:1] == [code]
    assert problems[0].message("zh").startswith(name) and imports.MESSAGES[code][0] in problems[0].message("zh")
    if code == "too_large":
        assert "MB" in problems[0].message("en")


# ---------- encodings and XLSX ----------

@pytest.mark.parametrize("encoding, label", [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8"), ("gbk", "GBK")])
def test_csv_in_utf8_bom_and_gbk_is_read_and_valid(ws, encoding, label):
    data, db = ws
    up = upload(encoding=encoding)
    assert up.encoding == label and list(up.tables["figures"].columns) == list(imports.vocab.FIGURE_COLUMNS)
    assert up.tables["figures"]["entity"].tolist() == ["开发区", "开发区"]
    result = imports.check(up, bulletin_source(), data, db)
    assert result.ok, [p.message("en") for p in result.problems]


def test_template_xlsx_has_a_guide_and_round_trips(ws):
    data, db = ws
    book = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx(db)))
    assert book.sheetnames[:5] == ["说明 Guide", "figures", "entities", "indicators", "units"]
    guide = "\n".join(str(c) for row in book["说明 Guide"].iter_rows(values_only=True) for c in row if c)
    for needed in ("亿元", "个百分点", "以上", "growth", "party_services", "2024年1-9月", "建成后", "peer_zone",
                   "wr24_"):  # units, qualifiers, measures, topics, periods, kinds, an example row
        assert needed in guide
    assert [c.value for c in book["figures"][1]] == list(imports.vocab.FIGURE_COLUMNS)
    for row in csv.reader(io.StringIO(bulletin_csv())):
        if row[0] != "figure_id":
            book["figures"].append(row)
    buf = io.BytesIO()
    book.save(buf)
    up, problems = imports.read_upload("filled.xlsx", buf.getvalue())
    assert not problems and up.labels["figures"] == "filled.xlsx › figures"
    assert imports.check(up, bulletin_source(), data, db).ok
    assert imports.template_csv().decode("utf-8-sig").strip() == ",".join(imports.vocab.FIGURE_COLUMNS)


def test_table_source_cites_sheet_row_and_column(ws):
    data, db = ws
    table = "指标,2024年1-12月,同比增长（%）\n进出口总额（亿元）,105.3,15.2\n"
    text, problems = imports.table_text("月报.csv", table.encode("gbk"))
    assert not problems
    line = "月报!B2 进出口总额（亿元）｜2024年1-12月：105.3"
    assert line in text.splitlines()
    source = imports.new_source({**META, "kind": "table"}, text, ("月报.csv", table.encode("gbk")))
    rows = [f"tb24_trade_2024,test_bulletin_2024_12,{line},105.3,105.3,亿元,,开发区,trade,level,actual,2024年,trade,,"]
    assert imports.check(upload(bulletin_csv(*rows)), source, data, db).ok


def test_a_table_cells_line_is_one_sentence_for_the_quote_check():
    """The quote check joins a quote with its document's sentences and scans the whole document
    only for the rest: a table's line (月报!B2 …) must be one sentence, or every table quote
    costs a scan of its document (85% of a 2M-row build)."""
    line = "月报!B2 进出口总额（亿元）｜2024年1-12月：105.3"
    def pieces(text: str) -> list[str]:
        return duckdb.execute(f"SELECT regexp_split_to_array(?, '{validate.SENTENCE_END}')", [text]).fetchall()[0][0]
    assert pieces(line) == [line]
    assert pieces("增长5%。下降3%！持平") == ["增长5%", "下降3%", "持平"]


# ---------- preview, commit, undo ----------

def existing_row(figure_id: str) -> dict:
    with (ROOT / "data" / "figures" / "work_report_2024.csv").open(encoding="utf-8") as f:
        return next(r for r in csv.DictReader(f) if r["figure_id"] == figure_id)


def as_csv(row: dict) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(row.values())
    return buf.getvalue()


def test_preview_shows_new_changed_and_unchanged(ws):
    data, db = ws
    corrected = {**existing_row("wr24_trade_2024m1_10"), "note": "按简报更正"}
    same = existing_row("wr24_trade_growth_2024m1_10")
    result = imports.check(upload(bulletin_csv(*ROWS, as_csv(corrected), as_csv(same))), bulletin_source(), data, db)
    assert result.ok and result.rows == 4
    assert result.new["figure_id"].tolist() == ["tb24_trade_2024", "tb24_trade_growth_2024"]
    assert result.changed.to_dict("records") == [
        {"figure_id": "wr24_trade_2024m1_10", "column": "note", "current": "", "new": "按简报更正"}]
    assert result.unchanged["figure_id"].tolist() == ["wr24_trade_growth_2024m1_10"]
    assert sorted(result.staged["figure_id"]) == ["tb24_trade_2024", "tb24_trade_growth_2024", "wr24_trade_2024m1_10"]


def test_a_new_figure_for_a_period_already_in_force_is_flagged(ws):
    data, db = ws
    text = BULLETIN + "1-10月份，全区进出口完成88.39亿元。\n"
    row = "tb24_trade_2024m1_10,test_bulletin_2024_12,1-10月份，全区进出口完成88.39亿元,88.39,88.39,亿元,,开发区,trade,level,actual,2024年1-10月,trade,,"
    result = imports.check(upload(bulletin_csv(row)), imports.new_source(META, text), data, db)
    assert result.new["same_as"].tolist() == ["wr24_trade_2024m1_10"]


def test_same_period_lists_every_match_in_database_order_and_never_matches_an_empty_key():
    keys = imports.PERIOD_KEYS
    current = pd.DataFrame([["b", *"eimbp"], ["a", *"eimbp"], ["c", *"eimb", None], ["d", *"eimbq"]],
                           columns=["figure_id", *keys]).set_index("figure_id")
    new = pd.DataFrame([[*"eimbq"], [*"eimbp"], [*"eimb", None], [*"xxxxx"]], columns=keys, index=[4, 7, 9, 12])
    assert imports._same_period(current, new) == ["d", "b, a", "", ""]
    assert imports._same_period(current.iloc[:0], new) == ["", "", "", ""]


def test_commit_saves_the_batch_and_rebuilds_then_undo_moves_it_aside(ws):
    data, db = ws
    figures_before = query(db, "SELECT figure_id, value, note FROM figures ORDER BY ALL")
    corrected = {**existing_row("wr24_trade_2024m1_10"), "note": "按简报更正"}
    meta = imports.commit(upload(bulletin_csv(*ROWS, as_csv(corrected))), bulletin_source(), "analyst", data, db,
                          "sub-7f3a")

    folder = data / "imports" / meta["batch"]
    assert sorted(p.name for p in folder.iterdir()) == ["batch.json", "figures.csv", "source.txt", "sources.csv",
                                                       "upload.csv"]
    saved = json.loads((folder / "batch.json").read_text(encoding="utf-8"))
    assert (saved["committed_by"], saved["file"], saved["rows"], saved["added"], saved["changed"]) == \
        ("analyst", "bulletin.csv", 3, 2, 1)
    assert (folder / "source.txt").read_text(encoding="utf-8") == BULLETIN
    assert query(db, "SELECT value, period, batch FROM facts WHERE figure_id = 'tb24_trade_2024'") == \
        [(105.3, "2024年", meta["batch"])]
    assert query(db, "SELECT note FROM figures WHERE figure_id = 'wr24_trade_2024m1_10'") == [("按简报更正",)]
    assert query(db, "SELECT status, committed_by, committed_by_id, added, changed FROM import_batches") == \
        [("active", "analyst", "sub-7f3a", 2, 1)]  # the name shown, and the provider's stable id
    assert not inputs.is_stale(data, db)

    imports.revert(meta["batch"], "reviewer", data, db, "sub-99c0")
    assert not folder.exists()
    kept = data / "imports" / "_reverted" / meta["batch"]
    assert sorted(p.name for p in kept.iterdir()) == ["batch.json", "figures.csv", "source.txt", "sources.csv",
                                                     "upload.csv"]
    assert query(db, "SELECT figure_id, value, note FROM figures ORDER BY ALL") == figures_before
    assert query(db, "SELECT status, reverted_by, reverted_by_id FROM import_batches") == \
        [("reverted", "reviewer", "sub-99c0")]
    with pytest.raises(KeyError):
        imports.revert(meta["batch"], "reviewer", data, db)


def test_undo_is_refused_while_a_later_batch_needs_it(ws):
    data, db = ws
    entity = "entity,kind,name_en,source_id,quote\n测试园区,other,Test park,test_bulletin_2024_12,全年实际利用外资6120万美元\n"
    first = upload()
    first.tables["entities"] = imports.read_upload("e.csv", entity.encode())[0].tables["figures"]
    a = imports.commit(first, bulletin_source(), "analyst", data, db)
    row = "tb24_park_fdi_2024,test_bulletin_2024_12,全年实际利用外资6120万美元,6120,6120,万美元,,测试园区,fdi,level,actual,2024年,trade,,"
    imports.commit(upload(bulletin_csv(row)), None, "analyst", data, db)
    before = sha(db)
    with pytest.raises(ValidationError):
        imports.revert(a["batch"], "analyst", data, db)
    assert (data / "imports" / a["batch"]).is_dir() and sha(db) == before


# ---------- crash safety ----------

def test_a_batch_saved_without_its_rebuild_is_completed_at_the_next_start(ws):
    data, db = ws
    result = imports.check(upload(), bulletin_source(), data, db)
    imports.save_batch(upload(), bulletin_source(), "analyst", result, data)  # …and the process died here
    assert inputs.is_stale(data, db)
    assert query(db, "SELECT count(*) FROM figures WHERE figure_id LIKE 'tb24%'") == [(0,)]
    assert inputs.ensure_fresh(data, db) == "rebuilt"
    assert query(db, "SELECT count(*) FROM figures WHERE figure_id LIKE 'tb24%'") == [(2,)]
    assert inputs.ensure_fresh(data, db) == "fresh"


KILLED_COMMIT = """
import os, sys, time
from pathlib import Path
sys.path[:0] = [{root!r}, {tests!r}]
import etl.build
from etl import imports
from import_helpers import bulletin_source, upload

marker = Path({marker!r})
class StallingOs:  # the rebuild has written the new database and is about to rename it
    def __getattr__(self, name):
        return getattr(os, name)
    def replace(self, src, dst):
        marker.write_text("renaming")
        time.sleep(600)
etl.build.os = StallingOs()
imports.commit(upload(), bulletin_source(), "analyst", Path({data!r}), Path({db!r}))
"""


def test_a_commit_killed_mid_rebuild_leaves_a_working_database(ws, tmp_path):
    data, db = ws
    marker = tmp_path / "renaming"
    script = KILLED_COMMIT.format(root=str(ROOT), tests=str(ROOT / "tests"), marker=str(marker),
                                  data=str(data), db=str(db))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env)
    try:
        deadline = time.monotonic() + 600
        while not marker.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "the commit never reached its rebuild"
            time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # the old database still answers; the batch is on disk; the next start finishes the job
    assert query(db, "SELECT count(*) FROM figures WHERE figure_id LIKE 'tb24%'") == [(0,)]
    assert len(inputs.batch_dirs(data)) == 1 and inputs.is_stale(data, db)
    assert inputs.ensure_fresh(data, db) == "rebuilt"
    assert query(db, "SELECT count(*) FROM figures WHERE figure_id LIKE 'tb24%'") == [(2,)]
    assert query(db, "SELECT status, committed_by FROM import_batches") == [("active", "analyst")]


def test_inputs_list_every_curated_table():
    from etl.validate import SPECS
    assert set(inputs.TABLES) == set(SPECS) and list(inputs.TABLES) == list(SPECS)


def test_quote_in_upload_is_text_not_markup():
    """What an analyst writes is data: the page shows it in tables, and exports neutralise formulas."""
    from dashboard.components import neutralize
    import pandas as pd
    out = neutralize(pd.DataFrame({"quote": ["=HYPERLINK(\"x\")", "+1", "-2", "@a", QUOTE]}))
    assert out["quote"].tolist()[:4] == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@a"]
