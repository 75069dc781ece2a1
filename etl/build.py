"""`make db`: curated files under data/ → data/etdz.duckdb, validated, built atomically.

    python -m etl.build [--data data] [--db data/etdz.duckdb]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl import inputs
from etl.inputs import DATA_DIR, DB_PATH, input_digest, input_files, read_batches, table_files
from etl.numerals import parse_number
from etl.validate import (SPECS, Problem, ValidationError, Validator, check_derived_approx, check_period_years,
                          evaluate_formula, formula_inputs, is_approximate, is_number, normalize_text, read_csv)

MODELS_DIR = Path(__file__).resolve().parent / "models"
# Views over the tables, one SQL file each, created in this order.
MODELS = ("facts", "rankings", "targets", "projects_overview")
# The import log, one row per batch.json (etl.imports writes them); it survives every rebuild.
BATCH_COLUMNS = {"batch": "VARCHAR", "status": "VARCHAR", "committed_at": "VARCHAR", "committed_by": "VARCHAR",
                 "file": "VARCHAR", "source_id": "VARCHAR", "rows": "INTEGER", "added": "INTEGER",
                 "changed": "INTEGER", "unchanged": "INTEGER", "reverted_at": "VARCHAR", "reverted_by": "VARCHAR"}


@dataclass
class Curated:
    tables: dict[str, pd.DataFrame]
    texts: dict[str, str]  # source_id -> raw text
    input_files: list[Path]
    batches: list[dict] = field(default_factory=list)  # batch.json of every import batch


def load_curated(data_dir: Path = DATA_DIR, extra: list[Path] = ()) -> Curated:
    """Read and validate every curated file; raise ValidationError listing all problems.

    `extra` folders are checked as if they were the newest batches (the import page's preview).
    """
    v = Validator()
    frames = {}
    for name, spec in SPECS.items():
        loaded = [read_csv(path, data_dir, batch) for path, batch in table_files(data_dir, name, list(extra))]
        frames[name] = v.check_table(spec, loaded)

    sources = frames["sources"]
    texts = {}
    for _, row in sources.iterrows():
        path = (data_dir / row["_file"]).parent / row["file"]
        if not path.is_file():
            v.add(row, "file", "missing_file", str(row["file"]))
            continue
        texts[row["source_id"]] = path.read_text(encoding="utf-8")
    normalized = {k: normalize_text(t) for k, t in texts.items()}

    units = set(frames["units"]["unit"])
    entities = set(frames["entities"]["entity"])
    indicators = set(frames["indicators"]["indicator"])
    for name in ("entities", "figures", "projects", "enterprises"):
        v.check_ref(frames[name], "source_id", sources["source_id"])
        v.check_quotes(frames[name], normalized)
    figures = frames["figures"]
    v.check_ref(figures, "unit", units, code="unknown_unit")
    v.check_ref(figures, "entity", entities)
    v.check_ref(figures, "indicator", indicators)
    v.check_values(figures)
    frames["figures"] = figures = v.check_periods(figures)
    years = {r.source_id: int(r.year) for r in sources.itertuples() if is_number(r.year) and r.year}
    check_period_years(v, figures, normalized, years)
    v.check_ref(frames["projects"], "project", entities)
    v.check_ref(frames["enterprises"], "entity", entities)
    inferred = frames["inferences"]
    for column in ("subject", "value"):
        v.check_ref(inferred, column, entities)
    v.check_ref(inferred, "source_id", sources["source_id"])
    v.check_ref(inferred, "other_source_id", sources["source_id"])
    v.check_quotes(inferred, normalized)
    v.check_quotes(inferred.rename(columns={"quote": "_quote", "other_source_id": "source_id", "source_id": "_source",
                                            "other_quote": "quote"}), normalized, column="other_quote")

    derived = frames["derived"]
    v.check_ref(derived, "unit", units, code="unknown_unit")
    v.check_ref(derived, "entity", entities)
    v.check_ref(derived, "indicator", indicators)
    frames["derived"] = _evaluate_derived(v.check_periods(derived), figures, v)
    check_derived_approx(v, frames["derived"])
    clash = derived[derived["figure_id"].isin(set(figures["figure_id"]))]
    for _, row in clash.iterrows():
        v.add(row, "figure_id", "duplicate_key", f"{row['figure_id']!r} is also a sourced figure")
    if v.problems:
        raise ValidationError(v.problems)
    return Curated(frames, texts, input_files(data_dir, list(extra)), read_batches(data_dir))


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
    if "*" in formula or "/" in formula:
        digits = min(_significant(w) for w in written)
        rounded = float(f"{value:.{digits}g}")
        return rounded, f"{rounded:f}".rstrip("0").rstrip(".") or "0"
    decimals = max(_decimals(w) for w in written)
    return round(value, decimals), f"{value:.{decimals}f}"  # 6.7 − 1.7 = 5.0, as precise as its inputs


def _evaluate_derived(derived: pd.DataFrame, figures: pd.DataFrame, v: Validator) -> pd.DataFrame:
    values = {r.figure_id: float(r.value) for r in figures.itertuples() if is_number(r.value) and r.value}
    written = {r.figure_id: r.value_text for r in figures.itertuples()}
    approximate = {r.figure_id: is_approximate(r.qualifier, r.value_text) for r in figures.itertuples()}
    results, inputs, texts, qualifiers, approx_inputs = [], [], [], [], []
    for _, row in derived.iterrows():
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


def write_database(curated: Curated, db_path: Path) -> None:
    """Write every table and view to a temporary file, then rename it into place."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    t = curated.tables
    try:
        con = duckdb.connect(str(tmp))
        sources = t["sources"].assign(text=t["sources"]["source_id"].map(curated.texts))
        figures = t["figures"].assign(batch=t["figures"]["_batch"])
        tables = {
            "sources": (sources.assign(year=sources["year"].astype(int)), "source_id"),
            "units": (t["units"].assign(factor=t["units"]["factor"].astype(float)), "unit"),
            "indicators": (t["indicators"], "indicator"),
            "entities": (t["entities"], "entity"),
            "figures": (figures.assign(
                value=figures["value"].astype(float),
                rank_total=pd.to_numeric(figures["rank_total"]).astype("Int64")), "figure_id"),
            "derived_figures": (t["derived"].assign(value=t["derived"]["value"].astype(float)), "figure_id"),
            "projects": (t["projects"].assign(year=t["projects"]["year"].astype(int)), "project"),
            "enterprises": (t["enterprises"].assign(seq_no=t["enterprises"]["seq_no"].astype(int)), "seq_no"),
            "inferences": (t["inferences"], "subject"),
        }
        for name, (df, key) in tables.items():
            con.register("incoming", _public(df))
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM incoming ORDER BY {key}")
            con.unregister("incoming")
        for model in MODELS:
            sql = (MODELS_DIR / f"{model}.sql").read_text(encoding="utf-8")
            con.execute(f"CREATE VIEW {model} AS {sql}")
        check_target_statuses(con)
        con.execute("CREATE TABLE build_info AS SELECT ? AS input_digest, ? AS figure_count",
                    [input_digest(curated.input_files), len(t["figures"])])
        batches = pd.DataFrame([{c: b.get(c) for c in BATCH_COLUMNS} for b in curated.batches],
                               columns=list(BATCH_COLUMNS), dtype=object)
        con.register("incoming", batches)
        con.execute("CREATE TABLE import_batches AS SELECT "
                    + ", ".join(f'"{c}"::{kind} AS "{c}"' for c, kind in BATCH_COLUMNS.items())
                    + " FROM incoming ORDER BY batch")
        con.unregister("incoming")
        con.close()
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)


def check_target_statuses(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse a target judged met or behind by anything but an actual covering its whole period
    (a forecast or a part-year figure is progress), whatever the targets model says."""
    bad = con.execute("""
        SELECT t.figure_id, f.data_file, f.data_line, t.status, a.figure_id AS actual, a.basis, a.period
        FROM targets t
        JOIN facts f ON f.figure_id = t.figure_id
        LEFT JOIN facts a ON a.figure_id = t.actual_figure_id
        WHERE t.status IN ('met', 'behind')
          AND NOT coalesce(a.basis = 'actual' AND a.period_start <= f.period_start
                           AND a.period_end >= f.period_end, FALSE)
        ORDER BY f.data_file, f.data_line""").fetchall()
    if bad:
        raise ValidationError([Problem(file, int(line), "basis", "judged_by_non_actual",
                                       f"{fid}: {status} from {actual} ({basis}, {period})")
                               for fid, file, line, status, actual, basis, period in bad])


def build(data_dir: Path = DATA_DIR, db_path: Path = DB_PATH) -> Curated:
    curated = load_curated(data_dir)
    write_database(curated, db_path)
    return curated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=inputs.data_dir())
    parser.add_argument("--db", type=Path, default=inputs.db_path())
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        curated = build(args.data, args.db)
    except ValidationError as err:
        print(f"make db: {len(err.problems)} problem(s); the database was not changed.", file=sys.stderr)
        for problem in err.problems:
            print("  " + problem.message("en"), file=sys.stderr)
        return 1
    counts = curated.tables["figures"].groupby("topic").size().to_dict()
    print(f"built {args.db} in {time.perf_counter() - started:.2f}s: "
          f"{len(curated.tables['figures'])} sourced figures, {len(curated.tables['derived'])} derived; "
          + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
