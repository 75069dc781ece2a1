"""`make db`: curated files under data/ → data/etdz.duckdb, validated, built atomically.

    python -m etl.build [--data data] [--db data/etdz.duckdb]

The files are read by DuckDB's CSV reader and checked there, set by set (etl.validate.Validator);
the database is written to a temporary file, then renamed into place. An import batch
(etl.imports) is checked alone against the database in force and published as a copy of that
database with the batch's rows added, which costs the batch, not the history.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pandas as pd

from etl import inputs
from etl.inputs import DATA_DIR, DB_PATH, file_hashes, input_digest, input_files, read_batches, table_files
from etl.numerals import parse_number
from etl.validate import (ORD_STEP, SENTENCE_END, SPACE_IN_LINE, SPECS, Problem, ValidationError, Validator,
                          check_derived_approx, check_entity_confirmed, check_period_years, check_untrue,
                          evaluate_formula, formula_inputs, insert_rows, is_approximate, is_number, sentence_key)

MODELS_DIR = Path(__file__).resolve().parent / "models"
# Views over the tables, one SQL file each, created in this order.
MODELS = ("facts", "rankings", "targets", "projects_overview")
# The import log, one row per batch.json (etl.imports writes them); it survives every rebuild.
BATCH_COLUMNS = {"batch": "VARCHAR", "status": "VARCHAR", "committed_at": "VARCHAR", "committed_by": "VARCHAR",
                 "committed_by_id": "VARCHAR", "file": "VARCHAR", "source_id": "VARCHAR", "rows": "INTEGER",
                 "added": "INTEGER", "changed": "INTEGER", "unchanged": "INTEGER", "reverted_at": "VARCHAR",
                 "reverted_by": "VARCHAR", "reverted_by_id": "VARCHAR"}
# The checking database's memory: past it DuckDB spills to a temporary folder (2M rows build in < 1.5 GB).
STAGE_MEMORY = "800MB"
# Each table as the database holds it: typed columns from the checked text (t: the table, p: its periods).
TYPED = {
    "sources": {"year": "t.year::BIGINT", "text": "x.raw"},
    "units": {"factor": "t.factor::DOUBLE"},
    "figures": {"value": "t.value::DOUBLE", "rank_total": "NULLIF(t.rank_total, '')::BIGINT",
                "period_start": "p.period_start", "period_end": "p.period_end", "period_kind": "p.period_kind",
                "batch": "t._batch"},
    "projects": {"year": "t.year::BIGINT"},
    "enterprises": {"seq_no": "t.seq_no::BIGINT"},
}
TABLE_NAMES = {"derived": "derived_figures"}  # in the database; the others keep their file's name
KEYS = {"sources": "source_id", "units": "unit", "indicators": "indicator", "entities": "entity",
        "figures": "figure_id", "projects": "project", "enterprises": "seq_no", "inferences": "subject"}


@dataclass
class Curated:
    """The checked tables (t_<table> in `con`, a DuckDB of its own), derived figures, and what
    the database is built from. With `base`, only the rows of the `new` batches are in new_<table>;
    t_<table> shows them on top of the base database's rows."""
    con: duckdb.DuckDBPyConnection
    derived: pd.DataFrame
    input_files: list[Path]
    root: Path  # the data folder
    batches: list[dict] = field(default_factory=list)  # batch.json of every import batch
    base: Path | None = None
    workdir: tempfile.TemporaryDirectory | None = None  # where the checking database spills

    def frame(self, table: str, where: str = "TRUE") -> pd.DataFrame:
        return self.con.execute(f"SELECT * FROM t_{table} WHERE {where} ORDER BY _ord").df()

    def count(self, table: str, where: str = "TRUE") -> int:
        return self.con.execute(f"SELECT count(*) FROM t_{table} WHERE {where}").fetchone()[0]

    def rebatch(self, staged: str, folder: Path) -> None:
        """The rows checked as batch `staged` (an upload's staging folder) as the committed batch
        `folder` (under the data folder) holds them; what the database is built from, as it now is."""
        self.con.execute("UPDATE files SET label = ? || regexp_extract(label, '/[^/]+$'), batch = ? WHERE batch = ?",
                         [str(folder.relative_to(self.root)), folder.name, staged])
        self.input_files, self.batches = input_files(self.root), read_batches(self.root)

    def leave_out(self, staged: str, figure_ids: list[str]) -> None:
        """Leave out of batch `staged` the figures it restates unchanged (a commit does not save them:
        they keep their own file and line), and number its other rows' lines as the saved file has them."""
        rows, files = "new_figures_rows", f"(SELECT number FROM files WHERE batch = '{staged}')"
        self.con.execute(f"DELETE FROM {rows} WHERE _ord // {ORD_STEP} IN {files} AND list_contains(?, figure_id)",
                         [figure_ids])
        self.con.execute(f"""UPDATE {rows} SET _ord = n.renumbered FROM (
            SELECT _ord AS was, (_ord // {ORD_STEP}) * {ORD_STEP} + 1  -- line 1 is the header
                   + row_number() OVER (PARTITION BY _ord // {ORD_STEP} ORDER BY _ord) AS renumbered
            FROM {rows} WHERE _ord // {ORD_STEP} IN {files}) n WHERE {rows}._ord = n.was""")

    def close(self) -> None:
        self.con.close()
        if self.workdir:
            self.workdir.cleanup()


def _stage() -> tuple[duckdb.DuckDBPyConnection, tempfile.TemporaryDirectory]:
    work = tempfile.TemporaryDirectory(prefix=f"{inputs.TEMP_PREFIX}{os.getpid()}-db-")
    con = duckdb.connect(":memory:", config={"memory_limit": STAGE_MEMORY, "temp_directory": work.name})
    return con, work


def _base_view(name: str, base_table: str) -> str:
    """The base database's rows as text with _file, _line, _batch and _ord (-1: before every new row)."""
    cols = ", ".join(f'"{c}"::VARCHAR AS "{c}"' for c in SPECS[name].columns)
    batch = "batch" if name == "figures" else "''"
    quote = ", norm(quote) AS _nq" if "quote" in SPECS[name].columns else ""
    return (f"SELECT {cols}, data_file AS _file, data_line AS _line, {batch} AS _batch, -1::BIGINT AS _ord{quote} "
            f"FROM base.{base_table}")


def load_curated(data_dir: Path = DATA_DIR, extra: list[Path] = (), base: Path | None = None) -> Curated:
    """Read and validate every curated file; raise ValidationError listing all problems.

    `extra` folders are checked as if they were the newest batches (the import page's preview).
    With `base` (a database built from data_dir, not stale), only the `extra` batches are read
    and checked, against the base's rows: an import's cost does not grow with the history.
    """
    con, work = _stage()
    try:
        return _load(con, work, data_dir, list(extra), base)
    except BaseException:
        con.close()
        work.cleanup()
        raise


def _load(con, work, data_dir: Path, extra: list[Path], base: Path | None) -> Curated:
    scope = "_ord >= 0" if base else "TRUE"
    v = Validator(con, scope)
    if base:
        con.execute(f"ATTACH '{str(base).replace(chr(39), chr(39) * 2)}' AS base (READ_ONLY)")
    first = 0
    for name, spec in SPECS.items():
        files = ([(b / f"{name}.csv", b.name) for b in extra if (b / f"{name}.csv").is_file()] if base
                 else table_files(data_dir, name, extra))
        target = f"new_{name}" if base else f"t_{name}"
        v.load(spec, files, data_dir, target, first)
        first += len(files)
        if base:
            con.execute(f"CREATE OR REPLACE VIEW t_{name} AS {_base_view(name, TABLE_NAMES.get(name, name))} "
                        f"UNION ALL SELECT * FROM new_{name}")
        v.check_table(spec, f"t_{name}")
    if not base:  # a batch's restated figure replaces the earlier one; which batch restated what is kept (undo)
        con.execute("""CREATE TABLE restated AS SELECT figure_id, _batch AS batch FROM t_figures
            WHERE figure_id IN (SELECT figure_id FROM t_figures_rows GROUP BY figure_id HAVING count(*) > 1)
            QUALIFY row_number() OVER (PARTITION BY figure_id ORDER BY _ord) > 1""")
        # the window over the restated ids only (every id twice or more is in restated): not a sort of 2M rows
        con.execute("""DELETE FROM t_figures_rows WHERE _ord IN (
            SELECT _ord FROM t_figures_rows WHERE figure_id IN (SELECT figure_id FROM restated)
            QUALIFY row_number() OVER (PARTITION BY figure_id ORDER BY _ord DESC) > 1)""")
    _load_texts(con, v, data_dir, base)

    for name in ("entities", "figures", "projects", "enterprises"):
        v.check_ref(f"t_{name}", "source_id", "SELECT source_id FROM t_sources")
        v.check_quotes(f"t_{name}")
    v.check_quotes("t_inferences")
    v.check_quotes("t_inferences", column="other_quote", source="other_source_id")
    # 2M rows' sentences: held to the end, they pushed the checks after them to spill to disk
    con.execute("DROP TABLE sentences")
    v.check_ref("t_figures", "unit", "SELECT unit FROM t_units", code="unknown_unit")
    v.check_ref("t_figures", "entity", "SELECT entity FROM t_entities")
    check_entity_confirmed(v, "t_figures")
    v.check_ref("t_figures", "indicator", "SELECT indicator FROM t_indicators")
    v.check_values("t_figures")
    v.check_periods("t_figures")
    check_untrue(v)
    check_period_years(v, "t_figures")
    v.check_ref("t_projects", "project", "SELECT entity FROM t_entities")
    v.check_ref("t_enterprises", "entity", "SELECT entity FROM t_entities")
    for column in ("subject", "value"):
        v.check_ref("t_inferences", column, "SELECT entity FROM t_entities")
    v.check_ref("t_inferences", "source_id", "SELECT source_id FROM t_sources")
    v.check_ref("t_inferences", "other_source_id", "SELECT source_id FROM t_sources")

    v.check_ref("t_derived", "unit", "SELECT unit FROM t_units", code="unknown_unit")
    v.check_ref("t_derived", "entity", "SELECT entity FROM t_entities")
    v.check_ref("t_derived", "indicator", "SELECT indicator FROM t_indicators")
    v.scope, scope_of_derived = "TRUE", v.scope  # derived figures are evaluated again whenever figures change
    v.check_periods("t_derived")
    v.scope = scope_of_derived
    derived = con.execute("SELECT d.*, p.period_start, p.period_end, p.period_kind FROM t_derived d "
                          "LEFT JOIN periods p USING (period) ORDER BY d._ord").df()
    derived = _evaluate_derived(derived, _derived_inputs(con, derived), v)
    check_derived_approx(v, derived)
    v.report(f"SELECT _file, _line, figure_id FROM t_derived WHERE ({v.scope}) "
              "AND figure_id IN (SELECT figure_id FROM t_figures) ORDER BY _ord", "figure_id", "duplicate_key",
              lambda fid: f"{fid!r} is also a sourced figure")
    # and a new sourced figure taking a derived one's id in force (uploads bring no derived figures)
    v.report(f"SELECT _file, _line, figure_id FROM t_figures WHERE ({v.scope}) AND figure_id IN "
             f"(SELECT figure_id FROM t_derived WHERE NOT ({v.scope})) ORDER BY _ord", "figure_id", "duplicate_key",
             lambda fid: f"{fid!r} is also a derived figure")
    if v.problems:
        raise ValidationError(v.problems)
    return Curated(con, derived, input_files(data_dir, extra), data_dir, read_batches(data_dir), base, work)


def _load_texts(con, v: Validator, data_dir: Path, base: Path | None) -> None:
    """Table documents (one per source_id: the text of its last row whose file exists) of the sources
    in scope, and their sentences, normalized. Over a base, an existing document's text comes from the
    base, and only if a new row cites it and gives it no file of its own."""
    con.execute("CREATE TABLE documents (source_id VARCHAR, raw VARCHAR)")
    rows = con.execute(f"SELECT source_id, file, _file, _line FROM t_sources WHERE ({v.scope}) ORDER BY _ord").fetchall()
    paths = {}  # source_id → (the file of its last row that has one, that row's file and line)
    for source_id, file, data_file, line in rows:
        path = (data_dir / data_file).parent / file
        if not path.is_file():
            v.problems.append(Problem(data_file, int(line), "file", "missing_file", str(file)))
            continue
        paths[source_id] = (path, data_file, int(line))
    _insert_texts(con, v, paths)
    if base:
        cited = " UNION ".join(f"SELECT {c} FROM new_{t}" for t, c in (
            ("entities", "source_id"), ("figures", "source_id"), ("projects", "source_id"),
            ("enterprises", "source_id"), ("inferences", "source_id"), ("inferences", "other_source_id")))
        con.execute(f"INSERT INTO documents SELECT source_id, text FROM base.sources WHERE source_id IN ({cited}) "
                    "AND source_id NOT IN (SELECT source_id FROM documents)")
    # a piece between two sentence ends (or line ends) normalized is a piece of the normalized text; the
    # document is normalized whole but for its line ends, one pass rather than one per piece (2M of them)
    con.execute(f"CREATE TABLE sentences AS SELECT {sentence_key('source_id', 'sentence')} AS h FROM ("
                "SELECT source_id, unnest(regexp_split_to_array(regexp_replace(replace(raw, '**', ''), "
                f"'{SPACE_IN_LINE}', '', 'g'), '{SENTENCE_END}')) AS sentence FROM documents)")


def _insert_texts(con, v: Validator, paths: dict[str, tuple[Path, str, int]]) -> None:
    """Table documents' rows: each source's text as an upload's is read (UTF-8 or GBK, a BOM dropped, any
    line end as a newline). DuckDB's read_text reads them: a read in Python and an insert of the texts cost 2.5×
    as much (2M rows' history: 150 MB, 1.5 CPU-s). A path read_text would take for a pattern, and every
    file once one is not UTF-8, are read by Python, which names a file that is neither."""
    plain = {s: str(p) for s, (p, _, _) in paths.items() if not any(c in str(p) for c in "*?[{")}
    if plain:
        try:  # a source by its path's place in the list: a join would hold the texts for its build side
            con.execute("""INSERT INTO documents SELECT $ids[list_position($paths, filename)],
                CASE WHEN contains(content, chr(13)) OR starts_with(content, chr(65279)) THEN replace(replace(
                    ltrim(content, chr(65279)), chr(13) || chr(10), chr(10)), chr(13), chr(10)) ELSE content END
                FROM read_text($paths)""", {"ids": list(plain), "paths": list(plain.values())})
        except duckdb.Error:
            con.execute("DELETE FROM documents")
            plain = {}
    rows = []
    for source_id, (path, data_file, line) in paths.items():
        if source_id not in plain:
            try:
                rows.append((source_id, inputs.decode_text(path.read_bytes())[0]))
            except ValueError as exc:
                v.problems.append(Problem(data_file, line, "file", "bad_encoding", f"{path.name}: {exc}"))
    insert_rows(con, "documents", rows)


def _derived_inputs(con, derived: pd.DataFrame) -> pd.DataFrame:
    """The figures the derived formulas name, as checked (the newest row of a restated id)."""
    refs = sorted({r for f in derived["formula"] for r in formula_inputs(f)})
    return con.execute("SELECT figure_id, value, value_text, qualifier FROM t_figures "
                       "WHERE list_contains(?, figure_id) "
                       "QUALIFY row_number() OVER (PARTITION BY figure_id ORDER BY _ord DESC) = 1", [refs]).df()


def _significant(written: str) -> int:
    """Significant digits of a number as written: 5385.74 → 6, 8000 → 1, 五分之一 → 2 (a round fraction)."""
    if "分之" in written:
        return 2
    if not any(c.isdigit() for c in written):  # 一万, 千万: the digits of the number they name
        number = parse_number(written)
        written = str(int(number)) if number == int(number) else repr(number)
    digits = written
    # leading zeros never count; an integer's trailing zeros are read as round (8000 → 1)
    digits = digits.lstrip("-+0.").replace(".", "") if "." in digits else digits.lstrip("-+0").rstrip("0")
    return max(1, len([c for c in digits if c.isdigit()]))


def _decimals(written: str) -> int:
    return len(written.split(".")[1]) if "." in written else 0


def _round_derived(value: float, formula: str, written: list[str]) -> tuple[float, str]:
    """A derived value to the precision its inputs support: × ÷ keep the fewest significant digits
    of an input, + − the most decimals (8 − 2.5 = 5.5; 5385.74 ÷ 10.772 = 500, 3.58 ÷ 五分之一 = 18)."""
    exact = Decimal(repr(value))
    if "*" in formula or "/" in formula:
        digits = min(_significant(w) for w in written)
        rounded = float(_half_up(exact, exact.adjusted() - digits + 1)) if value else 0.0
        return rounded, f"{rounded:f}".rstrip("0").rstrip(".") or "0"
    decimals = max(_decimals(w) for w in written)
    rounded = _half_up(exact, -decimals)
    return float(rounded), f"{rounded:.{decimals}f}"  # 6.7 − 1.7 = 5.0, as precise as its inputs


def _half_up(value: Decimal, exponent: int) -> Decimal:
    """Rounded as people and DuckDB's round() do (18/160 = 11.25% → 11.3%), not half to even (11.2%)."""
    return value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)


def _evaluate_derived(derived: pd.DataFrame, figures: pd.DataFrame, v: Validator) -> pd.DataFrame:
    """Each derived formula in file order (one may use an earlier one's value): a loop over derived.csv's
    rows, never over the figures; `figures` holds only the inputs the formulas name."""
    ids, raw, text, qualifier = (figures[c].tolist() for c in ("figure_id", "value", "value_text", "qualifier"))
    values = {i: float(v) for i, v in zip(ids, raw) if is_number(v) and v}
    written = dict(zip(ids, text))
    approximate = {i: is_approximate(q, t) for i, q, t in zip(ids, qualifier, text)}
    results, inputs, texts, qualifiers, approx_inputs = [], [], [], [], []
    for row in derived.to_dict("records"):
        refs = formula_inputs(row["formula"])
        unknown = [r for r in refs if r not in values]
        value, text, qualifier = None, None, ""
        try:
            if unknown:
                raise ValueError(f"unknown figure {', '.join(unknown)}")
            if not refs:
                raise ValueError("it uses no figure")
            exact = evaluate_formula(row["formula"], values)
            value, text = _round_derived(exact, row["formula"], [written[r] for r in refs])
            rounded = abs(value - exact) > 1e-9 * max(1.0, abs(exact))
            approximate[row["figure_id"]] = any(approximate[r] for r in refs) or rounded
            qualifier = "约" if approximate[row["figure_id"]] else ""
            values[row["figure_id"]], written[row["figure_id"]] = value, text
        except (ValueError, SyntaxError, ZeroDivisionError) as exc:
            v.add(row, "formula", "bad_formula", str(exc))
        results.append(value)
        inputs.append(refs)
        texts.append(text)
        qualifiers.append(qualifier)
        approx_inputs.append(any(approximate.get(r, False) for r in refs))
    return derived.assign(value=results, inputs=inputs, value_text=texts, qualifier=qualifiers,
                          approximate_inputs=approx_inputs)


def _public(df: pd.DataFrame) -> pd.DataFrame:
    return df[[c for c in df.columns if not c.startswith("_")] + ["_file", "_line"]].rename(
        columns={"_file": "data_file", "_line": "data_line"})


def _typed(name: str, rows: str) -> str:
    """SELECT of table `name`'s database columns from its checked text rows `rows`."""
    typed = TYPED.get(name, {})
    cols = [f'{typed.get(c, f"t.{c}")} AS "{c}"' for c in SPECS[name].columns]
    cols += [f'{expr} AS "{c}"' for c, expr in typed.items() if c not in SPECS[name].columns]
    joins = {"sources": "LEFT JOIN documents x USING (source_id)",
             "figures": "LEFT JOIN periods p USING (period)"}
    return (f"SELECT {', '.join(cols)}, t._file AS data_file, t._line AS data_line "
            f"FROM {rows} t {joins.get(name, '')}")


def write_database(curated: Curated, db_path: Path) -> None:
    """Write every table and view to a temporary file, then rename it into place. Over a base,
    the file starts as a copy of the base and gets the new rows (a restated figure replaces its row)."""
    # files unchanged since the database in force was built (size and mtime, as is_stale trusts) keep
    # their recorded hash: a rebuild of 2M rows does not read 600 MB again to hash it
    built = inputs.built_inputs(curated.base or db_path)
    _publish(db_path, curated.base, curated.con, lambda con: _write_tables(curated, con, built[1] if built else None))


def _publish(db_path: Path, start: Path | None, con: duckdb.DuckDBPyConnection, fill) -> None:
    """A temporary file (a copy of `start`, or new) attached to `con` as `out` and filled by fill(con),
    with the views and the check of target statuses, renamed into place: never half-written."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        if start:
            shutil.copyfile(start, tmp)
        con.execute(f"ATTACH '{str(tmp).replace(chr(39), chr(39) * 2)}' AS out")
        try:
            fill(con)
        finally:
            con.execute("DETACH out")
        out = duckdb.connect(str(tmp))
        try:
            for model in MODELS:
                sql = (MODELS_DIR / f"{model}.sql").read_text(encoding="utf-8")
                out.execute(f"CREATE OR REPLACE VIEW {model} AS {sql}")
            check_target_statuses(out)
        finally:
            out.close()
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_tables(curated: Curated, con: duckdb.DuckDBPyConnection, known: dict | None) -> None:
    for name, key in KEYS.items():
        table = TABLE_NAMES.get(name, name)
        if curated.base:
            if name == "figures":
                # a base built before the record has none: it stays without one (undo then rebuilds)
                if con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'out' "
                               "AND table_name = 'restated'").fetchone()[0]:
                    con.execute("INSERT INTO out.restated SELECT figure_id, _batch FROM new_figures "
                                "WHERE figure_id IN (SELECT figure_id FROM out.figures)")
                con.execute("DELETE FROM out.figures WHERE figure_id IN (SELECT figure_id FROM new_figures)")
            con.execute(f"INSERT INTO out.{table} BY NAME {_typed(name, f'new_{name}')}")
        else:
            # the figures in load order: sorting 2M rows would cost more than all the checks (queries order theirs)
            order = "" if name == "figures" else f" ORDER BY {key}"
            con.execute(f"CREATE TABLE out.{table} AS {_typed(name, f't_{name}')}{order}")
    if not curated.base:
        con.execute("CREATE TABLE out.restated AS SELECT * FROM restated ORDER BY figure_id, batch")
    con.register("incoming", _public(curated.derived))
    dates = "SELECT * REPLACE (period_start::DATE AS period_start, period_end::DATE AS period_end) FROM incoming"
    con.execute("CREATE OR REPLACE TABLE out.derived_figures AS " + dates + " ORDER BY figure_id")
    con.unregister("incoming")
    _write_record(con, curated.input_files, curated.root, curated.batches, known)


def _write_record(con: duckdb.DuckDBPyConnection, files: list[Path], root: Path, batches: list[dict],
                  known: dict | None) -> None:
    """What the database `out` is built from (build_info, input_files) and the import log."""
    figure_count = con.execute("SELECT count(*) FROM out.figures").fetchone()[0]
    hashes = file_hashes(files, root, known)
    con.execute("CREATE OR REPLACE TABLE out.build_info AS SELECT ? AS input_digest, ?::INTEGER AS figure_count",
                [input_digest(hashes), figure_count])
    # one insert of a frame: executemany into an attached file costs ~5 ms a row (720 files: 3.6 s)
    files = pd.DataFrame([[p, *h] for p, h in sorted(hashes.items())], columns=["path", "size", "mtime_ns", "sha256"])
    con.register("incoming", files)
    con.execute("CREATE OR REPLACE TABLE out.input_files AS SELECT path::VARCHAR AS path, size::BIGINT AS size, "
                "mtime_ns::BIGINT AS mtime_ns, sha256::VARCHAR AS sha256 FROM incoming")
    con.unregister("incoming")
    log = pd.DataFrame([{c: b.get(c) for c in BATCH_COLUMNS} for b in batches], columns=list(BATCH_COLUMNS),
                       dtype=object)
    con.register("incoming", log)
    con.execute("CREATE OR REPLACE TABLE out.import_batches AS SELECT "
                + ", ".join(f'"{c}"::{kind} AS "{c}"' for c, kind in BATCH_COLUMNS.items())
                + " FROM incoming ORDER BY batch")
    con.unregister("incoming")


# ---------- undo of one batch without a rebuild ----------

# (table, column, the table it names): the references _load checks, as the database holds them
REFS = (("entities", "source_id", "sources"), ("figures", "source_id", "sources"), ("projects", "source_id", "sources"),
        ("enterprises", "source_id", "sources"), ("figures", "unit", "units"), ("figures", "entity", "entities"),
        ("figures", "indicator", "indicators"), ("projects", "project", "entities"),
        ("enterprises", "entity", "entities"), ("inferences", "subject", "entities"),
        ("inferences", "value", "entities"), ("inferences", "source_id", "sources"),
        ("inferences", "other_source_id", "sources"), ("derived_figures", "unit", "units"),
        ("derived_figures", "entity", "entities"), ("derived_figures", "indicator", "indicators"))


def _batch_prefix(batch: str) -> str:
    return f"{inputs.IMPORTS}/{batch}/"  # a batch's rows name their file under it (data_file)


def why_rebuild_without(batch: str, data: Path, db: Path) -> str | None:
    """Why the database in force, less the rows of `batch` (a batch in force), would not be what a
    build without it writes; None when it would. Asked before the batch moves, in SQL on the database:
    it restated figures (the earlier rows must come back), a later batch restated its figures, a row
    of another file names its source, entity, indicator or unit, or a derived formula uses its figures."""
    if inputs.is_stale(data, db):
        return "the database does not match its files"
    prefix, file = _batch_prefix(batch), data / inputs.IMPORTS / batch / "figures.csv"
    with inputs.reading(db) as con:
        if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'restated'").fetchone()[0]:
            return "the database was built before restated figures were recorded"
        restated = [i for (i,) in con.execute("SELECT figure_id FROM restated WHERE batch = ? ORDER BY 1 LIMIT 3",
                                              [batch]).fetchall()]
        if restated:
            return f"it restates figures in force before it ({', '.join(restated)})"
        ids = [i for (i,) in con.execute("SELECT figure_id FROM read_csv(?, all_varchar = true, header = true)",
                                         [str(file)]).fetchall()] if file.is_file() else []
        later = con.execute("SELECT figure_id, batch FROM restated WHERE list_contains(?, figure_id) ORDER BY 1 LIMIT 1",
                            [ids]).fetchone()
        if later:
            return f"batch {later[1]} restates its figure {later[0]}"
        for table, column, named in REFS:
            key = KEYS[named]
            found = con.execute(f'SELECT data_file, data_line, "{column}" FROM {table} '
                                f'WHERE NOT starts_with(data_file, $p) AND "{column}" IN '
                                f'(SELECT "{key}" FROM {named} WHERE starts_with(data_file, $p)) '
                                "ORDER BY data_file, data_line LIMIT 1", {"p": prefix}).fetchone()
            if found:
                return f"{found[0]}:{found[1]} uses its {key} {found[2]!r}"
        found = con.execute("SELECT figure_id, data_file, data_line FROM derived_figures "
                            "WHERE list_has_any(inputs, ?) ORDER BY data_line LIMIT 1", [ids]).fetchone()
        if found:
            return f"derived figure {found[0]} ({found[1]}:{found[2]}) uses its figures"
    return None


def publish_without(batch: str, data: Path, db: Path) -> None:
    """The database in force less the rows of `batch`, already moved out of force (why_rebuild_without
    said it may): a copy, its rows deleted, the record of files and the import log written again,
    renamed into place. Costs the batch and one copy of the file, not a build."""
    known = inputs.built_inputs(db)[1]

    def fill(con):
        for table in (*(TABLE_NAMES.get(n, n) for n in KEYS), "derived_figures"):
            con.execute(f"DELETE FROM out.{table} WHERE starts_with(data_file, ?)", [_batch_prefix(batch)])
        _write_record(con, input_files(data), data, read_batches(data), known)

    con = duckdb.connect(":memory:")
    try:
        _publish(db, db, con, fill)
    finally:
        con.close()


def check_target_statuses(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse a target judged met or behind by anything but an actual covering its whole period
    (a forecast or a part-year figure is progress), whatever the targets model says."""
    judged = con.execute("SELECT figure_id, status, actual_figure_id FROM targets "
                         "WHERE status IN ('met', 'behind')").fetchall()
    if not judged:
        return
    # the few figures concerned, named in the query itself so that DuckDB reads only them (ids are [a-z0-9_])
    ids = ", ".join(f"'{i}'" for i in sorted({i for fid, _, actual in judged for i in (fid, actual) if i}))
    facts = {r[0]: r for r in con.execute("SELECT figure_id, data_file, data_line, basis, period, period_start, "
                                          f"period_end FROM facts WHERE figure_id IN ({ids})").fetchall()}
    bad = []
    for fid, status, actual in judged:
        _, file, line, _, _, start, end = facts[fid]
        _, _, _, basis, period, a_start, a_end = facts.get(actual) or (None,) * 7
        covers = None not in (start, end, a_start, a_end) and basis == "actual" and a_start <= start and a_end >= end
        if not covers:
            bad.append(Problem(file, int(line), "basis", "judged_by_non_actual",
                               f"{fid}: {status} from {actual} ({basis}, {period})"))
    if bad:
        raise ValidationError(sorted(bad, key=lambda p: (p.file, p.line)))


def _summary(curated: Curated) -> dict:
    topics = dict(curated.con.execute("SELECT topic, count(*) FROM t_figures GROUP BY ALL").fetchall())
    return {"figures": sum(topics.values()), "derived": len(curated.derived), "topics": topics}


def build(data_dir: Path = DATA_DIR, db_path: Path = DB_PATH) -> dict:
    """Check everything and write the database; how many figures it holds, by topic."""
    curated = load_curated(data_dir)
    try:
        write_database(curated, db_path)
        return _summary(curated)
    finally:
        curated.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=inputs.data_dir())
    parser.add_argument("--db", type=Path, default=inputs.db_path())
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        summary = build(args.data, args.db)
    except ValidationError as err:
        print(f"make db: {len(err.problems)} problem(s); the database was not changed.", file=sys.stderr)
        for problem in err.problems:
            print("  " + problem.message("en"), file=sys.stderr)
        return 1
    print(f"built {args.db} in {time.perf_counter() - started:.2f}s: "
          f"{summary['figures']} sourced figures, {summary['derived']} derived; "
          + ", ".join(f"{k} {n}" for k, n in sorted(summary["topics"].items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
