"""Analysts' batches: read an upload, check it with the build's own validator, preview, commit, undo.

A batch is a folder data/imports/<batch>/ in the curated layout: figures.csv (and, when
it brings them, entities.csv, indicators.csv, units.csv), sources.csv + source.txt for a
new document, the uploaded file as it came, and batch.json (who, when, which file, how
many rows). Commit renames the finished folder into place, then rebuilds the database;
undo moves the folder to data/imports/_reverted/ and publishes the database in force less
the batch's rows, or rebuilds when other rows rest on them (etl.build.why_rebuild_without).
Either is noted first in a journal (etl.inputs.begin) and taken back if its rebuild fails. Nothing is deleted, and
nothing is written while any problem stands.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from etl import plausible, vocab
import etl.build
from etl.build import Curated, build, load_curated
from etl.inputs import (IMPORTS, REVERTED, TEMP_PREFIX, batch_dirs, begin, decode_text, done, is_stale, lock,
                        reading, roll_back)
from etl.periods import FORMS as PERIOD_FORMS
from etl.validate import MESSAGES, SPECS, Problem, ValidationError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Checked before the work, so a crafted file is refused in milliseconds, not read for minutes:
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024  # an XLSX's members, uncompressed, together
MAX_RATIO = 200  # uncompressed / compressed size of one XLSX member (a real sheet: 5–40)
MAX_ROWS = 200_000
MAX_COLUMNS = 64
MAX_CELL = 20_000  # characters in one cell (a quote is a sentence; csv's own limit is 131,072)
UPLOAD_TABLES = ("figures", "entities", "indicators", "units")  # what an upload may bring
TEXT_SUFFIXES = (".txt", ".md")
TABLE_SUFFIXES = (".csv", ".xlsx")
SOURCE_FILE = "source.txt"  # a batch's source text; fixed so no user text becomes a path
SOURCE_LABEL = "来源信息 source"
STAGE = "upload"  # the batch name an upload carries while it is checked
COMPARED = [c for c in vocab.FIGURE_COLUMNS if c != "figure_id"]


# ---------- reading what the analyst gives ----------

@dataclass
class Upload:
    """Rows for a batch: figures (plus new entities, indicators, units), as text."""
    name: str  # the file name as uploaded, for messages and the log
    tables: dict[str, pd.DataFrame]
    data: bytes = b""  # the file itself, kept with the batch
    encoding: str = ""  # how a CSV was read (UTF-8 / GBK)
    labels: dict[str, str] = field(default_factory=dict)  # table -> where its rows came from


@dataclass
class Source:
    """A new source document: its sources.csv row, its text, and the table it came from if any."""
    row: dict[str, str]
    text: str
    original: tuple[str, bytes] | None = None  # (file name, bytes) of a statistical table


def _too_large(name: str, data: bytes) -> list[Problem]:
    if len(data) <= MAX_UPLOAD_BYTES:
        return []
    return [Problem(name, 0, "", "too_large",
                    f"{len(data) / 1e6:.1f} MB > {MAX_UPLOAD_BYTES / 1e6:.0f} MB")]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _trim(rows: list[list[str]]) -> list[list[str]]:
    while rows and not any(rows[-1]):  # Excel keeps formatted empty rows at the end
        rows.pop()
    return rows


class TooBig(ValueError):
    """A table over MAX_ROWS, MAX_COLUMNS or MAX_CELL: (line, column, detail) of the first excess."""
    def __init__(self, line: int, column: str, detail: str, code: str):
        self.line, self.column, self.code = line, column, code
        super().__init__(detail)


def _bounded(rows, line: int, row: list[str]) -> list[str]:
    if line > MAX_ROWS + 1:
        raise TooBig(line, "", f"> {MAX_ROWS:,} rows", "table_too_big")
    if len(row) > MAX_COLUMNS and any(row[MAX_COLUMNS:]):
        raise TooBig(line, get_column_letter(MAX_COLUMNS + 1), f"> {MAX_COLUMNS} columns", "table_too_big")
    for c, cell in enumerate(row):
        if len(cell) > MAX_CELL:
            header = rows[0][c] if rows and c < len(rows[0]) else get_column_letter(c + 1)
            raise TooBig(line, header, f"{len(cell):,} > {MAX_CELL:,} characters", "cell_too_long")
    return row[:MAX_COLUMNS]


def _sheet_rows(ws) -> list[list[str]]:
    rows = []
    for line, values in enumerate(ws.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1):
        rows.append(_bounded(rows, line, [_cell_text(v) for v in values]))
    return _trim(rows)


def _zip_problem(name: str, data: bytes) -> list[Problem]:
    """Refuse a decompression bomb from the zip directory alone, before anything is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return [Problem(name, 0, "", "bad_table", type(exc).__name__)]
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        return [Problem(name, 0, "", "too_large",
                        f"{total:,} bytes unzipped > {MAX_UNZIPPED_BYTES:,}")]
    for m in members:
        if m.file_size > 2 ** 20 and m.file_size > MAX_RATIO * max(1, m.compress_size):
            return [Problem(name, 0, m.filename, "too_large",
                            f"{m.file_size / max(1, m.compress_size):,.0f}× compressed > {MAX_RATIO}×")]
    return []


def _frame(rows: list[list[str]]) -> pd.DataFrame:
    """Header row + data rows; unnamed empty columns (Excel's leftovers) are dropped."""
    if not rows:
        return pd.DataFrame()
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    keep = [i for i in range(width) if rows[0][i] or any(r[i] for r in rows[1:])]
    return pd.DataFrame([[r[i] for i in keep] for r in rows[1:]], columns=[rows[0][i] for i in keep], dtype=str)


def _csv_rows(text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text))
    rows = []
    try:
        for row in reader:
            rows.append(_bounded(rows, reader.line_num, [cell.strip() for cell in row]))
    except csv.Error as exc:  # a field over csv's own 131,072-character limit, a NUL …
        big = "larger than field limit" in str(exc)
        raise TooBig(reader.line_num, "", f"> {MAX_CELL:,} characters" if big else str(exc),
                     "cell_too_long" if big else "bad_table") from None
    return _trim(rows)


def _read_problem(name: str, exc: Exception, sheet: str = "") -> Problem:
    """A table that cannot be read, named by file (and sheet), line and column as far as known."""
    label = f"{name} › {sheet}" if sheet else name
    if isinstance(exc, TooBig):
        return Problem(label, exc.line, exc.column, exc.code, str(exc))
    return Problem(label, 0, "", "bad_table", type(exc).__name__)


def read_upload(name: str, data: bytes) -> tuple[Upload | None, list[Problem]]:
    """A CSV (UTF-8, UTF-8 with BOM or GBK) of figures, or an XLSX with a figures sheet
    (and optionally entities, indicators, units sheets, as the template has)."""
    suffix = Path(name).suffix.lower()
    if problems := _too_large(name, data):
        return None, problems
    if suffix not in TABLE_SUFFIXES:
        return None, [Problem(name, 0, "", "unsupported_file", f"{suffix or name}; CSV / XLSX")]
    if suffix == ".csv":
        try:
            text, encoding = decode_text(data)
        except ValueError as exc:
            return None, [Problem(name, 0, "", "bad_encoding", str(exc))]
        try:
            rows = _csv_rows(text)
        except TooBig as exc:
            return None, [_read_problem(name, exc)]
        if not rows:
            return None, [Problem(name, 0, "", "empty_batch")]
        width = len(rows[0]) if rows else 0
        ragged = [i + 1 for i, r in enumerate(rows) if len(r) != width and any(r)]
        if ragged:
            return None, [Problem(name, line, "", "bad_table", f"{len(rows[line - 1])} ≠ {width} columns")
                          for line in ragged[:20]]
        return Upload(name, {"figures": _frame(rows)}, data, encoding, {"figures": name}), []
    grids, problems = _workbook_rows(name, data, lambda names: [s for s in names if s in UPLOAD_TABLES] or names[:1])
    if problems:
        return None, problems
    tables, labels = {}, {}
    for sheet, rows in grids.items():
        table = sheet if sheet in UPLOAD_TABLES else "figures"
        frame = _frame(rows)
        if table == "figures" or len(frame):
            tables[table], labels[table] = frame, f"{name} › {sheet}"
    return Upload(name, tables, data, "", labels), []


def _workbook_rows(name: str, data: bytes, pick) -> tuple[dict[str, list[list[str]]], list[Problem]]:
    """The rows of the sheets `pick(sheetnames)` chooses; any read error is a refusal."""
    if problems := _zip_problem(name, data):
        return {}, problems
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many kinds for a broken file
        return {}, [_read_problem(name, exc)]
    grids = {}
    try:
        for sheet in pick(book.sheetnames):
            try:
                grids[sheet] = _sheet_rows(book[sheet])
            except Exception as exc:  # noqa: BLE001 — broken sheet XML, bad cell values …
                return {}, [_read_problem(name, exc, sheet)]
    finally:
        book.close()
    return grids, []


def read_text_source(name: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """An uploaded report or speech as text (.txt or .md, UTF-8 or GBK)."""
    if problems := _too_large(name, data):
        return None, problems
    if Path(name).suffix.lower() not in TEXT_SUFFIXES:
        return None, [Problem(name, 0, "", "unsupported_file", f"{Path(name).suffix or name}; TXT / MD")]
    try:
        return decode_text(data)[0], []
    except ValueError as exc:
        return None, [Problem(name, 0, "", "bad_encoding", str(exc))]


def table_text(name: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """A statistical table as a text document, one line per data cell, which figures cite:

        月报!C5 进出口总额（亿元）｜1-12月：105.2

    (sheet, cell, the row's label, the column's header, the value)."""
    upload, problems = read_upload(name, data)
    if problems:
        return None, problems
    if Path(name).suffix.lower() == ".csv":
        grids = {Path(name).stem: _csv_rows(decode_text(data)[0])}
    else:
        grids, problems = _workbook_rows(name, data, list)
        if problems:
            return None, problems
    lines = [f"《{name}》"]
    for sheet, rows in grids.items():
        rows = [r for r in rows if any(r)]
        if len(rows) < 2:
            continue
        header = rows[0]
        for r, row in enumerate(rows[1:], start=2):
            for c, value in enumerate(row[1:], start=1):
                if value:
                    column = header[c] if c < len(header) else ""
                    lines.append(f"{sheet}!{get_column_letter(c + 1)}{r} {row[0]}｜{column}：{value}")
    if len(lines) == 1:
        return None, [Problem(name, 0, "", "empty_batch")]
    return "\n".join(lines) + "\n", []


def new_source(meta: dict, text: str, original: tuple[str, bytes] | None = None) -> Source:
    """A sources.csv row from the page's form; the text is saved as the batch's source.txt."""
    row = {c: str(meta.get(c, "") or "").strip() for c in SPECS["sources"].columns}
    row["file"] = SOURCE_FILE
    return Source(row, text, original)


# ---------- staging and checking ----------

def _write_batch(folder: Path, upload: Upload, source: Source | None,
                 figures: pd.DataFrame | None = None) -> None:
    """The batch in the curated layout (the build reads it like data/)."""
    folder.mkdir(parents=True)
    for table, frame in upload.tables.items():
        out = figures if table == "figures" and figures is not None else frame
        out.to_csv(folder / f"{table}.csv", index=False)
    if source is not None:
        pd.DataFrame([source.row], columns=list(SPECS["sources"].columns)).to_csv(
            folder / "sources.csv", index=False)
        (folder / SOURCE_FILE).write_text(source.text, encoding="utf-8")
        if source.original:
            name, data = source.original
            (folder / f"original{Path(name).suffix.lower()}").write_bytes(data)
    if upload.data:
        (folder / f"upload{Path(upload.name).suffix.lower()}").write_bytes(upload.data)


@dataclass
class Check:
    """The outcome of checking an upload: its problems, or what it would change."""
    problems: list[Problem]
    new: pd.DataFrame = field(default_factory=pd.DataFrame)  # + same_as: existing ids of the same period
    changed: pd.DataFrame = field(default_factory=pd.DataFrame)  # figure_id, column, current, new
    unchanged: pd.DataFrame = field(default_factory=pd.DataFrame)
    staged: pd.DataFrame = field(default_factory=pd.DataFrame)  # the rows a commit writes (new + changed)
    rows: int = 0
    additions: dict[str, int] = field(default_factory=dict)  # new entities / indicators / units
    # figures far outside what the data says of the same thing (etl.plausible): figure_id, reason_zh,
    # reason_en; a commit needs each of these ids confirmed
    doubts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=plausible.COLUMNS))

    @property
    def ok(self) -> bool:
        return not self.problems and len(self.staged) > 0


def _relabel(problem: Problem, stage: Path, upload: Upload) -> Problem:
    """Problems in the staged copy name the analyst's file (or the source form) instead."""
    def label(table: str) -> str:
        return upload.labels.get(table) or (SOURCE_LABEL if table in ("sources", "source") else upload.name)

    # a detail may cite a staged file too ("already at /tmp/…/figures.csv:2"): never a server path
    detail = re.sub(rf"{re.escape(str(stage))}/(\w+)\.\w+", lambda m: label(m[1]), problem.detail)
    path = Path(problem.file)
    file = label(path.stem) if path.is_absolute() and path.parent == stage else problem.file
    return Problem(file, problem.line, problem.column, problem.code, detail)


def _same(a, b) -> bool:
    """Equal as numbers when both are numbers, else as text (the DB holds floats, uploads text)."""
    a, b = ("" if pd.isna(x) else x for x in (a, b))
    try:
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
    except (TypeError, ValueError):
        return str(a) == str(b)


def _current_figures(db: Path, staged: pd.DataFrame) -> pd.DataFrame:
    """The figures in force that the batch restates or that share a period key with one of its
    rows, in database order: what the preview compares, never the whole history."""
    if not db.is_file():
        return pd.DataFrame(columns=list(vocab.FIGURE_COLUMNS))
    keys = ", ".join(PERIOD_KEYS)
    with reading(db) as con:
        con.register("staged", staged[["figure_id", *PERIOD_KEYS]])
        found = con.execute(f"""
            SELECT * FROM (SELECT f.*, f.rowid AS _row FROM figures f SEMI JOIN staged s USING (figure_id)
                           UNION SELECT f.*, f.rowid FROM figures f SEMI JOIN staged s USING ({keys}))
            ORDER BY _row""").df()
    return found.drop(columns="_row")


def check(upload: Upload, source: Source | None, data: Path, db: Path) -> Check:
    """Validate the upload together with everything in force, as `make db` would, and compare
    its figures with the database: new, changed (field by field) and unchanged."""
    result, curated = _check(upload, source, data, db)
    if curated:
        curated.close()
    return result


def _check(upload: Upload, source: Source | None, data: Path, db: Path) -> tuple[Check, Curated | None]:
    """check(), and the checked tables when there is no problem (a commit publishes them; close them)."""
    figures = upload.tables.get("figures")
    problems = []
    if figures is None or figures.empty:
        problems.append(Problem(upload.labels.get("figures", upload.name), 0, "", "empty_batch"))
    if source is not None and not source.text.strip():
        problems.append(Problem(SOURCE_LABEL, 2, "text", "missing_value"))
    with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-") as tmp:
        stage = Path(tmp) / STAGE
        _write_batch(stage, upload, source)
        # a database that matches its files is checked already: the batch is checked alone against it
        base = None if is_stale(data, db) else db
        try:
            curated = load_curated(data, extra=[stage], base=base)
        except ValidationError as err:
            problems += [_relabel(p, stage, upload) for p in err.problems]
            curated = None
    if problems:
        if curated:
            curated.close()
        return Check(problems), None
    mine = f"_batch = '{STAGE}'"
    try:
        staged = curated.frame("figures", mine)[list(vocab.FIGURE_COLUMNS)]
        additions = {t: n for t in ("entities", "indicators", "units") if (n := curated.count(t, mine))}
    except BaseException:
        curated.close()
        raise
    current = _current_figures(db, staged).set_index("figure_id")
    is_new = ~staged["figure_id"].isin(current.index)
    changes, same = [], []
    corrected = staged[~is_new]
    olds = current.loc[corrected["figure_id"], COMPARED]  # aligned with corrected; plain tuples, not iterrows
    for fid, old, row in zip(corrected["figure_id"], olds.itertuples(index=False),
                             corrected[COMPARED].itertuples(index=False)):
        diff = [(c, o, n) for c, o, n in zip(COMPARED, old, row) if not _same(o, n)]
        changes += [{"figure_id": fid, "column": c, "current": "" if pd.isna(o) else str(o), "new": n}
                    for c, o, n in diff]
        same.append(not diff)
    same = pd.Series(same, index=staged.index[~is_new], dtype=bool).reindex(staged.index, fill_value=False)
    new = staged[is_new].copy()
    new["same_as"] = _same_period(current, new)
    written = staged[~same].reset_index(drop=True)
    return Check([], new.reset_index(drop=True), pd.DataFrame(changes, columns=["figure_id", "column", "current", "new"]),
                 staged[same].reset_index(drop=True), written, len(figures),
                 additions, plausible.doubts(written, db)), curated


PERIOD_KEYS = ["entity", "indicator", "measure", "basis", "period"]


def _same_period(current: pd.DataFrame, new: pd.DataFrame) -> list[str]:
    """For each new figure, the ids already in force for the same thing and period (a new id
    would show both), in database order, comma-separated; "" if none. One merge rather than a
    scan of every current figure per new row. Keys with a NaN are dropped first: merge matches
    NaN with NaN, == (which the per-row scan used) does not."""
    old = current[PERIOD_KEYS].dropna().reset_index()  # figure_id + keys
    old["_order"] = range(len(old))
    pairs = new[PERIOD_KEYS].reset_index(names="_row").merge(old, on=PERIOD_KEYS)
    ids = pairs.sort_values(["_row", "_order"]).groupby("_row")["figure_id"].agg(", ".join)
    return ids.reindex(new.index, fill_value="").tolist()


# ---------- commit and undo ----------

class Refused(Exception):
    def __init__(self, result: Check):
        self.result = result
        super().__init__("; ".join(p.message("en") for p in result.problems) or "nothing new to commit")

    def __reduce__(self):  # crosses from the import worker's process (etl.worker) intact
        return type(self), (self.result,)


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _new_batch_name(data: Path) -> str:
    """UTC time, so that folder order is commit order (a later batch corrects an earlier one)."""
    base = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name, n = base, 1
    while (data / IMPORTS / name).exists() or (data / IMPORTS / REVERTED / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def save_batch(upload: Upload, source: Source | None, who: str, result: Check, data: Path, who_id: str = "") -> dict:
    """Write the batch beside the others, then rename it into place (one atomic step)."""
    name = _new_batch_name(data)
    meta = {"committed_at": _now(), "committed_by": who, "committed_by_id": who_id or who, "file": upload.name,
            "source_id": source.row["source_id"] if source else ", ".join(sorted(set(result.staged["source_id"]))),
            "rows": result.rows, "added": len(result.new), "changed": int(result.changed["figure_id"].nunique()),
            "unchanged": len(result.unchanged), **{f"{k}_added": v for k, v in result.additions.items()}}
    incoming = data / IMPORTS / f"_incoming-{name}"
    _write_batch(incoming, upload, source, result.staged)
    (incoming / "batch.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    begin(data, "commit", name)
    os.rename(incoming, data / IMPORTS / name)
    return {"batch": name, **meta}


class BuildFailed(Exception):
    """The rebuild after a commit or undo failed; the files were put back and the last good
    database is still in service."""


def _rebuild_or_roll_back(data: Path, db: Path, checked: Curated | None = None, publish=None) -> None:
    """The new state is in force only once its database is written (`publish()`, else the `checked`
    tables of a commit, else everything built again): on any error the journal's step is taken back
    (etl.inputs.roll_back). A ValidationError keeps its problems."""
    try:
        if publish is not None:
            publish()
        elif checked is None:
            build(data, db)
        else:
            etl.build.write_database(checked, db)
    except ValidationError:
        roll_back(data)
        raise
    except Exception as exc:
        roll_back(data)
        raise BuildFailed(f"{type(exc).__name__}: {exc}") from exc
    done(data)


def unconfirmed(result: Check, upload: Upload, confirmed) -> list[Problem]:
    """A problem for each figure in doubt (etl.plausible) the analyst has not confirmed, naming its row."""
    lines = {fid: i + 2 for i, fid in enumerate(upload.tables["figures"]["figure_id"])} if "figures" in upload.tables else {}
    label = upload.labels.get("figures", upload.name)
    return [Problem(label, lines.get(d.figure_id, 0), "value", "needs_confirmation", f"{d.figure_id}: {d.reason_en}")
            for d in result.doubts.itertuples(index=False) if d.figure_id not in set(confirmed)]


def commit(upload: Upload, source: Source | None, who: str, data: Path, db: Path, who_id: str = "",
           confirmed: tuple[str, ...] = ()) -> dict:
    """Check again under the lock, save the batch, and publish the database with what was checked
    (over a database that matches its files: that database with the batch's rows added). If the
    process dies between the two, the next start rebuilds, or takes the batch back if that fails
    (etl.inputs.ensure_fresh). who: the name shown; who_id: a stable id (the provider's sub)."""
    if not who:
        raise ValueError("who commits must be known")
    with lock(data):
        result, checked = _check(upload, source, data, db)
        if result.ok and (doubtful := unconfirmed(result, upload, confirmed)):
            result.problems = doubtful  # a figure in doubt is committed only once confirmed on the page
        if not result.ok:
            if checked:
                checked.close()
            raise Refused(result)
        try:
            meta = save_batch(upload, source, who, result, data, who_id)
            if checked.base is None:  # checked with everything: its unchanged rows replaced the old ones
                checked.close()
                checked = None
            else:
                checked.leave_out(STAGE, result.unchanged["figure_id"].tolist())
                checked.rebatch(STAGE, data / IMPORTS / meta["batch"])
            _rebuild_or_roll_back(data, db, checked)
        finally:
            if checked:
                checked.close()
    return meta


def revert(batch: str, who: str, data: Path, db: Path, who_id: str = "") -> dict:
    """Move a batch to imports/_reverted/ (never deleted) and publish the database without it: the
    database in force less the batch's rows when nothing else rests on them (etl.build.why_rebuild_without,
    asked before anything moves), else a rebuild, its reason in `republished`. If the rest no longer
    validates (a later batch uses its entity) or the build fails, the batch is put back and the error raised."""
    with lock(data):
        folder = next((b for b in batch_dirs(data) if b.name == batch), None)
        if folder is None:
            raise KeyError(f"no batch {batch!r} in force")
        meta = json.loads((folder / "batch.json").read_text(encoding="utf-8"))
        why = etl.build.why_rebuild_without(batch, data, db)
        target = data / IMPORTS / REVERTED / batch
        target.parent.mkdir(exist_ok=True)
        begin(data, "revert", batch)
        os.rename(folder, target)
        reverted = {**meta, "reverted_at": _now(), "reverted_by": who, "reverted_by_id": who_id or who}
        _write_json(target / "batch.json", reverted)
        _rebuild_or_roll_back(data, db, publish=None if why else lambda: etl.build.publish_without(batch, data, db))
    return {"batch": batch, **reverted, "rebuilt_because": why or "",
            "republished": f"rebuilt: {why}" if why else "without its rows, no rebuild"}


def _write_json(path: Path, obj: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


# ---------- problems for display ----------

def problems_frame(problems: list[Problem], lang: str) -> pd.DataFrame:
    i = 0 if lang == "zh" else 1
    return pd.DataFrame({"file": [p.file for p in problems], "line": [p.line or "" for p in problems],
                         "column": [p.column for p in problems],
                         "problem": [MESSAGES[p.code][i] for p in problems],
                         "detail": [p.detail for p in problems]})


# ---------- the template ----------

COLUMN_HELP = {  # column: (meaning in Chinese, in English, example)
    "figure_id": ("稳定编号：小写英文字母、数字、下划线，全库唯一；填已有编号即更正该条",
                  "stable key: lower-case letters, digits, _; unique. An existing id corrects that figure",
                  "bl25_trade_2025m1_3"),
    "source_id": ("来源编号：本批次的新来源或已有来源", "the source: this batch's new document or an existing one",
                  "bulletin_2025_03"),
    "quote": ("原文句子或分句，须与来源文本逐字一致（空格可不同）；表格来源填该单元格那一行",
              "the sentence or clause, verbatim from the source (white space may differ); for a table, the cell's line",
              "1-3月份，全区进出口完成25.6亿元，增长12.4%"),
    "value_text": ("数字的原文写法（请把单元格设为文本）", "the number exactly as written (keep the cell as text)",
                   "25.6 / 一万 / 四分之一"),
    "value": ("数值；下降、下滑为负", "the number as a decimal; negative only for a fall", "25.6"),
    "unit": ("单位，须在“单位”表中（新单位写入 units 表）", "a unit of the Units sheet (new ones go in the units sheet)", "亿元"),
    "qualifier": ("限定词，可空", "qualifier, may be empty", "余"),
    "entity": ("主体，须在“现有主体”中（新主体写入 entities 表）",
               "an entity of the Entities sheet (new ones go in the entities sheet)", "开发区"),
    "indicator": ("指标，须在“现有指标”中（新指标写入 indicators 表）",
                  "an indicator of the Indicators sheet (new ones go in the indicators sheet)", "trade"),
    "measure": ("度量", "measure", "level"),
    "basis": ("口径：actual 实际 / plan 年度计划 / target 目标 / expected 预计、建成后 / inferred 推断（原文语句残缺，按顺序读出）",
              "actual / plan (annual plan) / target (goal) / expected (forecast, once built) / inferred (read by order from a garbled sentence)", "actual"),
    "period": ("期间", "period", "2025年1-3月"),
    "topic": ("主题", "topic", "trade"),
    "rank_total": ("排名的总数 N（第 r 位/共 N 个），可空", "for a rank: the N in 'r of N', may be empty", "217"),
    "note": ("备注，可空", "note, may be empty", ""),
}
MEASURE_HELP = {
    "level": "总量 an amount (亿元, 万吨)", "growth": "同比增速 year-on-year %", "share": "占比 a % of a whole",
    "gap": "与参照（多为全市）相差的百分点，高为正 points above (+) or below (−) a reference",
    "rank": "名次，1 为最好 a place (1 = best)", "rank_change": "名次变化，前移为正 places moved, + up",
    "grade": "等次 一等…四等 a grade", "count": "个数 a number of things (家, 个, 名)", "multiple": "倍数 times",
    "ratio": "另一主体数值的几分之几 a fraction of another value", "year": "年份 a calendar year",
}


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _append_as_text(ws, row: list) -> None:
    """A row whose text cells stay text: openpyxl writes a string starting with = as a live
    formula (an entity named =HYPERLINK(…) would run in the analyst's Excel). Stored as a
    string cell it shows as written and round-trips unchanged."""
    ws.append(row)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            cell.data_type = "s"


def template_csv() -> bytes:
    """The figures columns, with a BOM so that Excel opens it as UTF-8."""
    return (",".join(vocab.FIGURE_COLUMNS) + "\n").encode("utf-8-sig")


def template_xlsx(db: Path) -> bytes:
    """figures / entities / indicators / units sheets to fill, a guide with every column's
    meaning, the allowed values and two example rows, and the entities, indicators and
    units in force."""
    with reading(db) as con:
        units = con.execute("SELECT unit, base_unit, factor, unit_en FROM units ORDER BY unit").fetchall()
        entities = con.execute("SELECT entity, kind, name_en FROM entities ORDER BY kind, entity").fetchall()
        indicators = con.execute("SELECT indicator, name_zh, name_en, topic FROM indicators "
                                 "ORDER BY topic, indicator").fetchall()
        examples = con.execute(f"SELECT {', '.join(vocab.FIGURE_COLUMNS)} FROM figures "
                               "WHERE batch = '' ORDER BY data_file DESC, data_line LIMIT 2").fetchall()
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table in UPLOAD_TABLES:
        ws = book.create_sheet(table)
        ws.append(list(SPECS[table].columns))
        for i in range(1, len(SPECS[table].columns) + 1):
            ws.column_dimensions[get_column_letter(i)].number_format = "@"  # keep 0.50 as written
            ws.column_dimensions[get_column_letter(i)].width = 16
    guide = book.create_sheet("说明 Guide", 0)
    rows = [["聊城经开区看板 · 数据导入模板 Import template"],
            ["每行一个数字：它出自来源文档的哪句话、是什么、哪个时期。上传前请对照下方说明。"],
            ["One row per number: the sentence it is in, what it measures, its period. Sheets entities, "
             "indicators and units are optional, for new ones only."],
            [],
            ["列 column", "必填 required", "含义", "meaning", "示例 example"]]
    for col in vocab.FIGURE_COLUMNS:
        zh, en, example = COLUMN_HELP[col]
        rows.append([col, "" if col in vocab.FIGURE_OPTIONAL else "✓", zh, en, example])
    rows += [[], ["允许的取值 Allowed values"],
             ["qualifier", " / ".join(q for q in vocab.QUALIFIERS if q) + "（或空 or empty）"],
             ["basis", " / ".join(vocab.BASES)], ["topic", " / ".join(vocab.TOPICS)],
             ["entities.kind", " / ".join(vocab.ENTITY_KINDS)],
             ["period", " / ".join(PERIOD_FORMS)],
             ["unit", " / ".join(u for u, *_ in units)]]
    rows += [["measure", m, h] for m, h in MEASURE_HELP.items()]
    rows += [[], ["示例 Examples（现有数据中的两行 two rows of the data in force）"], list(vocab.FIGURE_COLUMNS)]
    rows += [["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
              for v in ex] for ex in examples]
    for row in rows:
        _append_as_text(guide, row)
    for letter, width in zip("ABCDE", (16, 14, 60, 60, 30)):
        guide.column_dimensions[letter].width = width
    for title, header, data in (("现有主体 Entities", ["entity", "kind", "name_en"], entities),
                                ("现有指标 Indicators", ["indicator", "name_zh", "name_en", "topic"], indicators),
                                ("单位 Units", ["unit", "base_unit", "factor", "unit_en"], units)):
        ws = book.create_sheet(title)
        ws.append(header)
        for row in data:
            _append_as_text(ws, list(row))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
