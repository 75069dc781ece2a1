"""预警: the alerts' computation on a history, what they add to the overview's script, and the archive's
briefing render (time and size per file).

    python bench/alerts.py [--size large] [--runs 7] [--work DIR] [--render-runs 3] [--no-render]

1. Computation: dashboard.alerts.all_alerts unwrapped (every named query it runs from a cold query
   cache), median of --runs, on today's data and the synthetic history --size (synth_history.py, built
   under --work and reused when already there). Baseline in the same run: one named query cold
   (build_info), the ratio says how many queries' worth the rules cost.
2. The overview's script (AppTest, warm, as bench/page_runs.py times it) with its alerts and without
   (overview_alerts and stale_alert returning nothing), on the same history: the difference is the
   alerts' share of a page view. The first view after a new database computes them once (cold row).
3. The archive's render (dashboard.archive.render: the whole deck in zh and en, PPTX and PDF) on
   today's data, median of --render-runs after a first render that starts kaleido's Chromium; every
   file's size.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import page_runs  # noqa: E402  (times the script run alone, one ScriptCache as a server keeps it)
from apptest_helpers import open_page  # noqa: E402

import queries  # noqa: E402
from dashboard import alerts  # noqa: E402
from dashboard.i18n import speaking  # noqa: E402

DAY = "2026-12-07"


def history(size: str, work: Path) -> tuple[Path, Path]:
    """The synthetic history's data folder and database under work (built once, then reused)."""
    from etl.build import build
    from synth_history import write_history
    db = work / size / "etdz.duckdb"
    if not db.is_file() or db.stat().st_size < 50e6 and size == "large":
        started = time.perf_counter()
        write_history(size, work / size / "data")
        build(work / size / "data", db)
        print(f"built the {size} history in {time.perf_counter() - started:.0f} s")
    return work / size / "data", db


def use(data: Path, db: Path) -> None:
    # both: with another data folder, app.py's start-up check would rebuild this database from it
    os.environ["ETDZ_DATA"], os.environ["ETDZ_DB"] = str(data), str(db)


def cold(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        queries._run.clear()  # every query from the database again, as after a commit
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def computation(data: Path, db: Path, runs: int) -> dict:
    use(data, db)
    with speaking("zh"):
        found = alerts.all_alerts.__wrapped__(DAY)
        rules = cold(lambda: alerts.all_alerts.__wrapped__(DAY), runs)
        base = cold(lambda: queries.run("build_info"), runs)
    rows = queries.run("build_info").iloc[0]
    return {"rows": int(rows["sourced"]) + int(rows["derived"]), "alerts": len(found),
            "ms": statistics.median(rules) * 1000, "base_ms": statistics.median(base) * 1000}


def overview(data: Path, db: Path, runs: int) -> dict:
    use(data, db)
    queries._run.clear()
    at = open_page("overview")  # cold: the alerts computed once for this database
    first_ms = page_runs.script_seconds[-1] * 1000
    with_alerts = page_runs.time_runs(at, runs)
    keep = alerts.overview_alerts, alerts.stale_alert
    alerts.overview_alerts, alerts.stale_alert = (lambda: []), (lambda: None)
    try:
        at = open_page("overview")
        without = page_runs.time_runs(at, runs)
    finally:
        alerts.overview_alerts, alerts.stale_alert = keep
    return {"first_ms": first_ms, "with_ms": statistics.median(with_alerts) * 1000,
            "without_ms": statistics.median(without) * 1000}


def render(runs: int) -> tuple[list[float], dict[str, int], float]:
    from dashboard import archive
    for key in ("ETDZ_DB", "ETDZ_DATA"):
        os.environ.pop(key, None)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ETDZ_BRIEFINGS"] = tmp
        started = time.perf_counter()
        archive.render("manual")  # starts kaleido's Chromium
        first = time.perf_counter() - started
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            folder = archive.render("manual")
            times.append(time.perf_counter() - started)
        sizes = {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.suffix in (".pptx", ".pdf")}
    return times, sizes, first


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="large", choices=("small", "medium", "large"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--render-runs", type=int, default=3)
    parser.add_argument("--no-render", action="store_true")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "etdz-bench-alerts")
    args = parser.parse_args()
    os.environ["ETDZ_TODAY"] = DAY
    from etl.inputs import data_dir
    today = data_dir(), queries.db_path()
    big = history(args.size, args.work)

    print(f"\n1. computation (cold query cache), median of {args.runs}")
    print(f"{'data':<10}{'rows':>11}{'alerts':>8}{'rules ms':>10}{'1 query ms':>12}{'× query':>9}")
    for name, (data, db) in (("today", today), (args.size, big)):
        r = computation(data, db, args.runs)
        print(f"{name:<10}{r['rows']:>11,}{r['alerts']:>8}{r['ms']:>10.1f}{r['base_ms']:>12.1f}{r['ms'] / r['base_ms']:>9.1f}")

    print(f"\n2. overview script (AppTest, warm), median of {args.runs}")
    print(f"{'data':<10}{'first view ms':>14}{'with ms':>9}{'without ms':>11}{'added ms':>10}{'ratio':>7}")
    for name, (data, db) in (("today", today), (args.size, big)):
        r = overview(data, db, args.runs)
        print(f"{name:<10}{r['first_ms']:>14.1f}{r['with_ms']:>9.1f}{r['without_ms']:>11.1f}"
              f"{r['with_ms'] - r['without_ms']:>10.1f}{r['with_ms'] / r['without_ms']:>7.2f}")

    if not args.no_render:
        times, sizes, first = render(args.render_runs)
        per = statistics.median(times)
        print(f"\n3. archive render (zh + en, PPTX + PDF, today's data): first {first:.1f} s (starts Chromium), "
              f"then median {per:.1f} s of {args.render_runs} (min {min(times):.1f}, max {max(times):.1f})")
        for name, size in sizes.items():
            print(f"  {name:<44}{size / 1e6:>7.2f} MB")


if __name__ == "__main__":
    main()
