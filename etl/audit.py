"""data/AUDIT.md, written from the shipped database: every figure row as the screens read it
(value as written, measure, basis, entity, period, note, where it is stored), so the audit cannot
drift from the data. `make db` writes it after each build; tests/test_build.py checks that the
committed file is what the committed data gives.

    python -m etl.audit [--db data/etdz.duckdb] [--out data/AUDIT.md]
"""
import argparse
import os
import sys
from pathlib import Path

import duckdb

from etl import inputs

ROWS = """
SELECT data_file, data_line, figure_id, is_derived, value_text, value, unit, qualifier, measure, basis,
       entity, period, indicator_zh, formula, note, quote
FROM facts ORDER BY is_derived, data_file, data_line
"""


def cell(value) -> str:
    """A Markdown table cell: no line breaks, pipes escaped, missing as empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).replace("\n", " ").replace("|", "\\|")


def render(db_path: Path) -> str:
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.sql(ROWS).df()
        counts = con.sql("SELECT data_file, count(*) AS n, count(*) FILTER (WHERE is_derived) AS derived "
                         "FROM facts GROUP BY data_file ORDER BY data_file").fetchall()
        inferences = con.sql("SELECT subject, attribute, value, reason FROM inferences ORDER BY subject").fetchall()
    out = ["# 数据核查表 · Audit of the shipped figures", "",
           "Written by `python -m etl.audit` from the database `make db` builds: do not edit by hand. "
           "Each row is a figure as the screens read it; a derived figure shows its formula and the value "
           "computed from its inputs (推算), never a number as written.", "",
           "| data file | figures | of which derived |", "|---|---:|---:|"]
    out += [f"| `{f}` | {n} | {d} |" for f, n, d in counts]
    out += ["", "## Figures", "",
            "| where | indicator | as written | measure | basis | entity | period | qualifier | note |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in rows.to_dict("records"):
        written = f"推算 {r['value']:g}{r['unit'] or ''} = {r['formula']}" if r["is_derived"] \
            else f"{r['value_text']}{r['unit'] or ''}"
        out.append("| " + " | ".join(cell(x) for x in (
            f"{r['data_file']}:{r['data_line']}", r["indicator_zh"], written, r["measure"], r["basis"], r["entity"],
            r["period"], r["qualifier"], r["note"])) + " |")
    if inferences:
        out += ["", "## Inferences (推断, not in the text)", "", "| subject | attribute | value | reason |",
                "|---|---|---|---|"]
        out += ["| " + " | ".join(cell(x) for x in row) + " |" for row in inferences]
    return "\n".join(out) + "\n"


def write(db_path: Path, out: Path) -> None:
    """Written whole or not at all: a temporary file, then renamed."""
    tmp = out.with_suffix(".md.tmp")
    tmp.write_text(render(db_path), encoding="utf-8")
    os.replace(tmp, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=inputs.db_path())
    parser.add_argument("--out", type=Path, default=inputs.data_dir() / "AUDIT.md")
    args = parser.parse_args(argv)
    write(args.db, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
