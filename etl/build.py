"""`make db`: curated files under data/ → data/etdz.duckdb, validated, built atomically.

    python -m etl.build [--data data] [--db data/etdz.duckdb]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from etl.validate import (SPECS, ValidationError, Validator, is_number, evaluate_formula,
                          formula_inputs, normalize_text, read_csv)

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DB_PATH = DATA_DIR / "etdz.duckdb"
MODELS_DIR = Path(__file__).resolve().parent / "models"
# Views over the tables, one SQL file each, created in this order.
MODELS = ("facts", "rankings", "targets", "projects_overview")
IMPORTS = "imports"
REVERTED = "_reverted"


@dataclass
class Curated:
    tables: dict[str, pd.DataFrame]
    texts: dict[str, str]  # source_id -> raw text
    input_files: list[Path]


def batch_dirs(data_dir: Path) -> list[Path]:
    """Analysts' import batches that are in force (reverted ones are kept aside)."""
    root = data_dir / IMPORTS
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _table_files(data_dir: Path, name: str, extra: list[Path]) -> list[Path]:
    files = sorted((data_dir / "figures").glob("*.csv")) if name == "figures" else [data_dir / f"{name}.csv"]
    for batch in [*batch_dirs(data_dir), *extra]:
        files.append(batch / f"{name}.csv")
    return [f for f in files if f.is_file()]


def load_curated(data_dir: Path = DATA_DIR, extra: list[Path] = ()) -> Curated:
    """Read and validate every curated file; raise ValidationError listing all problems."""
    v = Validator()
    frames, files = {}, []
    for name, spec in SPECS.items():
        paths = _table_files(data_dir, name, list(extra))
        files += paths
        loaded = []
        for path in paths:
            df = read_csv(path, data_dir)
            df["_batch"] = path.parent.name if path.parent.parent.name == IMPORTS else ""
            loaded.append(df)
        frames[name] = v.check_table(spec, loaded)
        frames[name]["_batch"] = pd.concat([d["_batch"] for d in loaded], ignore_index=True) if loaded else ""

    sources = frames["sources"]
    texts = {}
    for _, row in sources.iterrows():
        path = (data_dir / row["_file"]).parent / row["file"]
        if not path.is_file():
            v.add(row, "file", "missing_file", str(row["file"]))
            continue
        files.append(path)
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
    frames["figures"] = v.check_periods(figures)
    v.check_ref(frames["projects"], "project", entities)

    derived = frames["derived"]
    v.check_ref(derived, "unit", units, code="unknown_unit")
    v.check_ref(derived, "entity", entities)
    v.check_ref(derived, "indicator", indicators)
    frames["derived"] = _evaluate_derived(v.check_periods(derived), figures, v)
    clash = derived[derived["figure_id"].isin(set(figures["figure_id"]))]
    for _, row in clash.iterrows():
        v.add(row, "figure_id", "duplicate_key", f"{row['figure_id']!r} is also a sourced figure")
    if v.problems:
        raise ValidationError(v.problems)
    return Curated(frames, texts, files)


def _evaluate_derived(derived: pd.DataFrame, figures: pd.DataFrame, v: Validator) -> pd.DataFrame:
    values = {r.figure_id: float(r.value) for r in figures.itertuples() if is_number(r.value) and r.value}
    results, inputs = [], []
    for _, row in derived.iterrows():
        refs = formula_inputs(row["formula"])
        unknown = [r for r in refs if r not in values]
        try:
            if unknown:
                raise ValueError(f"unknown figure {', '.join(unknown)}")
            if not refs:
                raise ValueError("it uses no figure")
            value = evaluate_formula(row["formula"], values)
            values[row["figure_id"]] = value
        except (ValueError, SyntaxError, ZeroDivisionError) as exc:
            v.add(row, "formula", "bad_formula", str(exc))
            value = None
        results.append(value)
        inputs.append(refs)
    return derived.assign(value=results, inputs=inputs)


def input_digest(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in sorted(set(files)):
        h.update(str(f.name).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


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
        }
        for name, (df, key) in tables.items():
            con.register("incoming", _public(df))
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM incoming ORDER BY {key}")
            con.unregister("incoming")
        for model in MODELS:
            sql = (MODELS_DIR / f"{model}.sql").read_text(encoding="utf-8")
            con.execute(f"CREATE VIEW {model} AS {sql}")
        con.execute("CREATE TABLE build_info AS SELECT ? AS input_digest, ? AS figure_count",
                    [input_digest(curated.input_files), len(t["figures"])])
        con.close()
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)


def build(data_dir: Path = DATA_DIR, db_path: Path = DB_PATH) -> Curated:
    curated = load_curated(data_dir)
    write_database(curated, db_path)
    return curated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--db", type=Path, default=DB_PATH)
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
