"""The build, an import and the pages as the history grows: today's data and the synthetic
histories of bench/synth_history.py (small ≈1,000, medium ≈40,000, large ≈2,000,000 rows).

    python bench/scale.py [--sizes today,small,medium,large] [--runs 3] [--page-runs 10]
                          [--no-pages SIZE,...] [--work DIR]

Per size: `make db` seconds and CPU seconds (median of --runs, each a new process; the CPU time
does not grow when other work shares the machine) and its peak RSS, the
database's MB, the check (preview) and commit of one 30-row synthetic batch through
etl.imports (median of --runs, each on a fresh copy), and each page's script time
(bench/page_runs.py: AppTest, warm, median of --page-runs) with its ratio to today's data,
measured in the same run. Everything is written under a temporary folder, never into data/.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SIZES = ("today", "small", "medium", "large")


def _child(args: list[str], env: dict | None = None) -> dict:
    """Run this script's --child mode in a new process; its JSON answer."""
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         env={**os.environ, **(env or {})}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def child_build(data: Path, db: Path) -> dict:
    from etl.build import build
    started, cpu = time.perf_counter(), _cpu()
    summary = build(data, db)
    return {"seconds": time.perf_counter() - started, "cpu_s": _cpu() - cpu, "figures": summary["figures"],
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _cpu() -> float:
    """This process's CPU seconds (DuckDB's threads included): the work, whatever else the machine runs."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_import(data: Path, db: Path, size: str) -> dict:
    """Check, then commit, one 30-row batch on a copy (hard links: a commit only adds files
    and renames, so the originals are never written)."""
    from etl import imports
    from synth_history import import_batch
    work = Path(tempfile.mkdtemp(prefix="etdz-scale-import-"))
    try:
        shutil.copytree(data, work / "data", copy_function=os.link)
        shutil.copyfile(db, work / "etdz.duckdb")
        text, meta, source_text = import_batch("medium", peers=False) if size == "today" else import_batch(size)
        upload, problems = imports.read_upload("synthetic.csv", text.encode())
        assert not problems, [p.message("en") for p in problems]
        source = imports.new_source(meta, source_text)
        started = time.perf_counter()
        result = imports.check(upload, source, work / "data", work / "etdz.duckdb")
        checked = time.perf_counter() - started
        assert result.ok, [p.message("en") for p in result.problems]
        started, cpu = time.perf_counter(), _cpu()
        imports.commit(upload, source, "scale bench", work / "data", work / "etdz.duckdb")
        committed, commit_cpu = time.perf_counter() - started, _cpu() - cpu
        from etl.inputs import reading
        with reading(work / "etdz.duckdb") as con:
            visible = con.execute("SELECT count(*) FROM facts WHERE source_id = ?", [meta["source_id"]]).fetchone()[0]
        return {"check_s": checked, "commit_s": committed, "commit_cpu_s": commit_cpu, "rows": result.rows,
                "visible": visible}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def page_times(data: Path, db: Path, runs: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "page_runs.py"), "--runs", str(runs)],
                         capture_output=True, text=True, env={**os.environ, "ETDZ_DATA": str(data), "ETDZ_DB": str(db)})
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1][:80] if out.stderr.strip() else "failed"}
    times = {}
    for line in out.stdout.splitlines():
        if m := re.match(r"(\S+)\s+([\d.]+)\s+[\d.]*\s*[\d.]+$", line.strip()):
            times[m[1]] = float(m[2])
    return times


def prepare(size: str, work: Path) -> Path:
    from etl.inputs import DATA_DIR
    from synth_history import write_history
    data = work / size / "data"
    if size == "today":
        shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    else:
        write_history(size, data)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page-runs", type=int, default=10)
    parser.add_argument("--no-pages", default="", help="sizes whose pages are not run")
    parser.add_argument("--work", type=Path, help="a folder to keep the histories in (default: temporary)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, data, db, *rest = args.child
        result = child_build(Path(data), Path(db)) if kind == "build" else child_import(Path(data), Path(db), *rest)
        print(json.dumps(result))
        return

    work = args.work or Path(tempfile.mkdtemp(prefix="etdz-scale-"))
    skip_pages = set(filter(None, args.no_pages.split(",")))
    rows, pages = {}, {}
    for size in args.sizes.split(","):
        data = prepare(size, work) if not (work / size / "data").is_dir() else work / size / "data"
        db = work / size / "etdz.duckdb"
        builds = [_child(["--child", "build", str(data), str(db)]) for _ in range(args.runs)]
        imports_ = [_child(["--child", "import", str(data), str(db), size]) for _ in range(args.runs)]
        rows[size] = {
            "figures": builds[0]["figures"],
            "build_s": statistics.median(b["seconds"] for b in builds),
            "build_cpu_s": statistics.median(b["cpu_s"] for b in builds),
            "build_rss_mb": max(b["rss_mb"] for b in builds),
            "db_mb": db.stat().st_size / 2 ** 20,
            "check_s": statistics.median(i["check_s"] for i in imports_),
            "commit_s": statistics.median(i["commit_s"] for i in imports_),
            "commit_cpu_s": statistics.median(i["commit_cpu_s"] for i in imports_),
            "visible": imports_[0]["visible"],
        }
        print(f"{size}: {json.dumps(rows[size])}", file=sys.stderr, flush=True)
        if size not in skip_pages:
            pages[size] = page_times(data, db, args.page_runs)
            print(f"{size} pages: {json.dumps(pages[size])}", file=sys.stderr, flush=True)

    print("\n| size | figures | build s | build CPU s | build peak MB | DB MB | import check s | import commit s "
          "| commit CPU s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size, r in rows.items():
        print(f"| {size} | {r['figures']:,} | {r['build_s']:.2f} | {r['build_cpu_s']:.1f} | {r['build_rss_mb']:,.0f} "
              f"| {r['db_mb']:.1f} | {r['check_s']:.2f} | {r['commit_s']:.2f} | {r['commit_cpu_s']:.1f} |")
    if pages:
        names = [p for p in next(iter(pages.values())) if p != "(floor)"] or ["error"]
        base = pages.get("today", {})
        print(f"\npage script ms (AppTest, warm, median of {args.page_runs}; × today's data)\n")
        print("| size | " + " | ".join(names) + " |")
        print("|---|" + "---|" * len(names))
        for size, times in pages.items():
            cells = []
            for name in names:
                ms = times.get(name)
                ratio = f" ×{ms / base[name]:.1f}" if ms and base.get(name) and size != "today" else ""
                cells.append(f"{ms:,.0f}{ratio}" if isinstance(ms, float) else str(times.get("error", "not run")))
            print(f"| {size} | " + " | ".join(cells) + " |")
    print(f"\n(work folder: {work})")


if __name__ == "__main__":
    main()
