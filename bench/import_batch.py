"""Time to import a 1,000-row batch through the analysts' path (issue 6).

    python bench/import_batch.py [--runs 5] [--rows 1000]

The batch is SYNTHETIC: --rows figure rows generated here, each citing one sentence of a
made-up bulletin (also generated here) that contains its value, in the manner of
tests/import_helpers.py. Nothing is written under the real data/: each run copies data/
(with its database) to a fresh temporary folder and works there. Per run, on that copy:

  baseline       etl.build.build of the unchanged data (a plain `make db`)
  read+validate  imports.read_upload + imports.check (what the data-admin page does on upload)
  commit         imports.commit: checks again under the lock, saves the batch, rebuilds atomically
  total          read+validate + commit

Each step is reported as the median (min, max) over the runs and as a multiple of the baseline.
After every run the facts view must have grown by exactly --rows rows.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl import imports, vocab  # noqa: E402
from etl.build import build  # noqa: E402

SOURCE_ID = "bench_synthetic_bulletin"
META = {"source_id": SOURCE_ID, "title_zh": "合成测试简报（基准测试用）", "title_en": "Synthetic bulletin (benchmark)",
        "short_zh": "合成简报", "short_en": "Synthetic bulletin", "year": "2024", "kind": "bulletin",
        "note": "合成数据，仅用于 bench/import_batch.py"}


def synthetic_batch(rows: int) -> tuple[bytes, str]:
    """A figures CSV of `rows` valid new figures and the source text whose sentences hold them."""
    lines, sentences = [",".join(vocab.FIGURE_COLUMNS)], ["合成测试简报（基准测试用，非真实数据）"]
    for i in range(rows):
        value = f"{100 + i / 10:.1f}"
        quote = f"样本{i + 1:05d}：2024年，全区进出口总额完成{value}亿元"
        sentences.append(quote + "。")
        lines.append(f"bench_trade_{i:05d},{SOURCE_ID},{quote},{value},{value},亿元,,开发区,trade,level,actual,"
                     "2024年,trade,,synthetic")
    return ("\n".join(lines) + "\n").encode("utf-8"), "\n".join(sentences) + "\n"


def facts_count(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM facts").fetchone()[0]
    finally:
        con.close()


def one_run(csv_bytes: bytes, text: str, rows: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("*.wal", "*.tmp", "__pycache__"))
        db = data / "etdz.duckdb"
        t0 = time.perf_counter()
        build(data, db)
        t1 = time.perf_counter()
        before = facts_count(db)
        upload, problems = imports.read_upload("synthetic_batch.csv", csv_bytes)
        assert not problems, [p.message("en") for p in problems]
        source = imports.new_source(META, text)
        result = imports.check(upload, source, data, db)
        assert result.ok, [p.message("en") for p in result.problems[:10]]
        assert len(result.new) == rows, (len(result.new), rows)
        t2 = time.perf_counter()
        imports.commit(upload, source, "bench", data, db)
        t3 = time.perf_counter()
        after = facts_count(db)
        assert after - before == rows, f"facts grew by {after - before}, expected {rows}"
    return {"baseline": t1 - t0, "read+validate": t2 - t1, "commit": t3 - t2, "total": t3 - t1,
            "facts": (before, after)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    csv_bytes, text = synthetic_batch(args.rows)
    runs = []
    for n in range(args.runs):
        runs.append(one_run(csv_bytes, text, args.rows))
        print(f"run {n + 1}/{args.runs}: " + ", ".join(f"{k} {v:.2f}s" for k, v in runs[-1].items() if k != "facts"),
              flush=True)
    base = statistics.median(r["baseline"] for r in runs)
    print(f"\nimport of a {args.rows}-row synthetic batch (CSV {len(csv_bytes) / 1024:.0f} KB), {args.runs} runs")
    print(f"{'step':<14}{'median s':>10}{'min':>8}{'max':>8}{'× baseline':>12}")
    for step in ("read+validate", "commit", "total", "baseline"):
        times = [r[step] for r in runs]
        med = statistics.median(times)
        print(f"{step:<14}{med:>10.2f}{min(times):>8.2f}{max(times):>8.2f}{med / base:>12.2f}")
    before, after = runs[-1]["facts"]
    print(f"\nfacts rows: {before} before, {after} after the commit (+{after - before})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
