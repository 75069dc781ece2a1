"""The first view of every page on every replica after an import commit, with the background
warm-up (dashboard/warm.py) off and on, in one run.

    python bench/after_commit.py --history DIR [--replicas 2] [--commits 3]

DIR is a folder written by synth_history_other.py (its data/ inside; synthetic, never shipped).
Per variant, on its own hard-linked copy of DIR/data: build, start the replicas on one database,
open every page in both languages on each (the viewers before the commit: what they asked for is
what a replica warms), then --commits times: commit the generator's 30-row batch from another
process (as the import worker does), wait until every replica's CPU is idle (the warm-up done; the
seconds and CPU it took), and open each page once on each replica (Chinese, a new session each):
the script time over the protocol to script_finished. Each replica's RSS after each commit, and
its peak (sampled every 0.1 s) while every page is first opened and then over the commits and
their warm-ups, show whether memory stays bounded. The variant with the warm-up off is the baseline.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from browser_helpers import Server, app_pages  # noqa: E402
from cluster_helpers import script_run  # noqa: E402
from concurrent_visits import PeakRss  # noqa: E402
from session_cost import cpu_ms, rss_mb  # noqa: E402

PAGES = [url for url, _ in app_pages()]
IDLE_MS = 30  # CPU per second below which a replica has finished warming


def open_all(ws_url: str, query: str = "") -> dict[str, float]:
    times = {}
    for page in PAGES:
        run = asyncio.run(script_run(ws_url, page, query))
        if run.error:
            raise RuntimeError(f"{page or 'overview'}: {run.error}")
        times[page or "overview"] = run.ms
    return times


def wait_idle(pids: list[int], timeout: float = 600) -> tuple[float, float]:
    """Seconds until every replica has spent < IDLE_MS of CPU in a second, and their CPU ms meanwhile."""
    started, first = time.perf_counter(), sum(cpu_ms(p) for p in pids)
    last = first
    while time.perf_counter() - started < timeout:
        time.sleep(1.0)
        now = sum(cpu_ms(p) for p in pids)
        if now - last < IDLE_MS * len(pids):
            return time.perf_counter() - started - 1.0, now - first
        last = now
    raise TimeoutError("replicas still busy")


def commit(data: Path, db: Path, n: int) -> float:
    out = subprocess.run([sys.executable, __file__, "--child-commit", str(data), str(db), str(n)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["s"]


def child_commit(data: Path, db: Path, n: int) -> None:
    from etl import imports
    from synth_history_other import import_batch
    text, meta, source_text = import_batch(seed=n)
    text, meta["source_id"] = text.replace("_import", f"_import{n}"), f"{meta['source_id']}{n}"  # ids new each time
    upload, problems = imports.read_upload("synthetic.csv", text.encode())
    assert not problems, [p.message("en") for p in problems]
    source = imports.new_source(meta, source_text)
    started = time.perf_counter()
    imports.commit(upload, source, "after-commit bench", data, db)
    print(json.dumps({"s": time.perf_counter() - started}))


def measure(history: Path, warm: bool, replicas: int, commits: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="etdz-after-commit-"))
    try:
        data, db = work / "data", work / "etdz.duckdb"
        shutil.copytree(history / "data", data, copy_function=os.link)  # a commit only adds files and renames
        subprocess.run([sys.executable, "-m", "etl.build"], cwd=ROOT, check=True, capture_output=True,
                       env={**os.environ, "ETDZ_DATA": str(data), "ETDZ_DB": str(db)})
        env = {"ETDZ_DATA": str(data), "ETDZ_DB": str(db), "ETDZ_WARM": "1" if warm else "0",
               "ETDZ_BRIEFING_AFTER_COMMIT": "0"}
        servers = [Server(port=8980 + 10 * i, env=env).wait_healthy() for i in range(replicas)]
        try:
            urls = [s.url.replace("http", "ws") + "/_stcore/stream" for s in servers]
            pids = [s.proc.pid for s in servers]
            peaks = [PeakRss(p) for p in pids]
            for peak in peaks:
                peak.start()
            for u in urls:
                for q in ("", "lang=en"):
                    open_all(u, q)
            wait_idle(pids)
            opening = [round(p.peak / 2**20) for p in peaks]  # every page cold, in both languages
            for peak in peaks:
                peak.peak = 0
            rows = []
            for n in range(commits):
                commit_s = commit(data, db, n)
                idle_s, warm_cpu = wait_idle(pids)
                firsts = [open_all(u) for u in urls]
                rows.append({"commit_s": commit_s, "idle_s": idle_s, "warm_cpu_ms": warm_cpu, "firsts": firsts,
                             "rss": [round(rss_mb(p)) for p in pids]})
                print(json.dumps({"warm": warm, **rows[-1]}), file=sys.stderr, flush=True)
            for peak in peaks:
                peak.done.set()
            return {"warm": warm, "rows": rows, "opening_mb": opening, "peak_mb": [round(p.peak / 2**20) for p in peaks]}
        finally:
            for s in servers:
                s.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def peaks(result: dict) -> str:
    return f"{' / '.join(map(str, result['opening_mb']))}; {' / '.join(map(str, result['peak_mb']))}"


def report(results: list[dict]) -> None:
    print("\n| warm-up | commit | warm s | warm CPU s | slowest first view ms (page) | median first view ms "
          "| pages ≥ 1 s | RSS MB per replica | peak RSS MB: opening every page / the commits |")
    print("|---|---|---|---|---|---|---|---|---|")
    for result in results:
        for n, row in enumerate(result["rows"], 1):
            views = [(ms, page) for firsts in row["firsts"] for page, ms in firsts.items()]
            worst = max(views)
            print(f"| {'on' if result['warm'] else 'off'} | {n} | {row['idle_s']:.1f} | {row['warm_cpu_ms'] / 1000:.1f} "
                  f"| {worst[0]:,.0f} ({worst[1]}) | {statistics.median(ms for ms, _ in views):,.0f} "
                  f"| {sum(ms >= 1000 for ms, _ in views)} of {len(views)} | {' / '.join(map(str, row['rss']))} "
                  f"| {peaks(result) if n == len(result['rows']) else ''} |")
    print("\nper page, the last commit, slowest replica (ms): | page | " + " | ".join(
        'on' if r['warm'] else 'off' for r in results) + " |")
    for page in PAGES:
        page = page or "overview"
        print(f"| {page} | " + " | ".join(f"{max(f[page] for f in r['rows'][-1]['firsts']):,.0f}" for r in results) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=Path)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--commits", type=int, default=3)
    parser.add_argument("--child-commit", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_commit:
        data, db, n = args.child_commit
        child_commit(Path(data), Path(db), int(n))
        return
    report([measure(args.history, warm, args.replicas, args.commits) for warm in (False, True)])


if __name__ == "__main__":
    main()
