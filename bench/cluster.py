"""A crowd opening the overview, then the economy page, against 1 and 2 replicas behind nginx
(deploy/cluster.py).

    python bench/cluster.py [--sessions 100] [--replicas 1 2]   (make bench-cluster)

Each session is a new browser as nginx sees it (its own random route cookie) speaking
Streamlit's WebSocket protocol: connect, run the overview, then the economy page on the same
connection, each to its script_finished (tests/cluster_helpers.py; no browser rendering, so
this is the servers' share). For each replica count, in one run, on a throw-away copy of data/:

1. single: median of 5 sessions one at a time (the baseline of the ratio);
2. calm: all sessions at once — p50, p95, p95 / single, errors, each replica's peak RSS, the
   replicas' CPU ms per page view (all replicas' CPU time over the crowd / page views) and the
   KB sent per page view;
3. disturbed: all sessions at once again, while the writer commits an import (the test
   bulletin of tests/import_helpers.py, labelled 测试用) and replica 1 is killed with
   kill -9 — sessions with an error, how many still fail when they reconnect once with the same
   cookie (as the front end does), and whether any saw a half-built database: an exception
   box, or a page with other elements than a whole old or whole new database gives; and the
   seconds from the kill to the replica answering /_stcore/health again, watched from the kill
   on (not after the crowd);
4. (one replica only) the crowd size one replica holds at p95 ≤ 3 × single.

Every figure is the median of --runs repeats (each with a fresh cluster and data copy).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from cluster_helpers import Run, script_run  # noqa: E402
from concurrent_visits import PeakRss, pct  # noqa: E402
from session_cost import cpu_ms  # noqa: E402
from deploy.cluster import Cluster  # noqa: E402
from etl import imports  # noqa: E402
from etl.build import DATA_DIR, build  # noqa: E402
from import_helpers import bulletin_source, upload  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from browser_helpers import free_port  # noqa: E402

GOAL = 3.0  # p95 ≤ 3 × one session alone
THEN = ("economy",)  # after the overview, on the same connection
VIEWS = 1 + len(THEN)


def shape(run: Run) -> tuple:
    """The kinds of element a run sent, in order: a half-built database would change it."""
    kinds = []
    for frame in run.frames:
        msg = ForwardMsg()
        msg.ParseFromString(frame)
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            kinds.append(msg.delta.new_element.WhichOneof("type"))
    return tuple(kinds)


async def visitor(ws_url: str, retry: bool) -> tuple[Run, Run | None]:
    """One new browser's run, and (if asked and it failed) its reconnect with the same cookie,
    as Streamlit's front end reconnects by itself."""
    cookie = secrets.token_hex(16)
    first = await script_run(ws_url, cookie=cookie, then=THEN)
    return first, (await script_run(ws_url, cookie=cookie, then=THEN) if retry and first.error else None)


async def crowd(ws_url: str, n: int, *, during=None) -> list[tuple[Run, Run | None]]:
    """n sessions at once, each with a new route cookie; `during` runs in a thread meanwhile."""
    tasks = asyncio.gather(*(visitor(ws_url, during is not None) for _ in range(n)))
    if during is None:
        return await tasks
    runs, _ = await asyncio.gather(tasks, asyncio.to_thread(during))
    return runs


def firsts(pairs) -> list[Run]:
    return [first for first, _ in pairs]


def stats(runs: list[Run], single: float) -> dict:
    times = [r.ms for r in runs if r.ms is not None and r.error is None]
    p95 = pct(times, 0.95) if times else None
    return {"p50": pct(times, 0.5) if times else None, "p95": p95, "ratio": p95 / single if p95 else None,
            "errors": sum(r.error is not None for r in runs)}


def workspace(base: Path, into: Path) -> tuple[Path, Path]:
    shutil.copytree(base / "data", into / "data")
    shutil.copy2(base / "etdz.duckdb", into / "etdz.duckdb")
    return into / "data", into / "etdz.duckdb"


def measure(n: int, sessions: int, base: Path, sweep: list[int]) -> dict:
    with tempfile.TemporaryDirectory(prefix="etdz-bench-cluster-") as tmp:
        data, db = workspace(base, Path(tmp))
        env = dict(os.environ, ETDZ_DATA=str(data), ETDZ_DB=str(db))
        with Cluster(n, base_port=free_port(8801), listen_port=free_port(8790), env=env) as cluster:
            ws = cluster.url.replace("http", "ws") + "/_stcore/stream"
            for replica in cluster.replicas:  # warm every replica's caches
                for _ in range(2):
                    asyncio.run(script_run(replica.url.replace("http", "ws") + "/_stcore/stream", then=THEN))
            single_runs = [asyncio.run(script_run(ws, cookie=secrets.token_hex(16), then=THEN)) for _ in range(5)]
            single = statistics.median(r.ms for r in single_runs if r.ms)
            old_shape = shape(single_runs[0])

            peaks = [PeakRss(r.pid) for r in cluster.replicas]
            for p in peaks:
                p.start()
            cpu_before = sum(cpu_ms(r.pid) for r in cluster.replicas)
            calm_runs = firsts(asyncio.run(crowd(ws, sessions)))
            time.sleep(0.3)  # work after the last script_finished
            cpu_per_view = (sum(cpu_ms(r.pid) for r in cluster.replicas) - cpu_before) / (sessions * VIEWS)
            calm = stats(calm_runs, single)
            kb_per_view = statistics.median(r.bytes for r in calm_runs if r.error is None) / VIEWS / 1024
            for p in peaks:
                p.done.set()
                p.join()

            held = None
            for size in sweep if n == 1 else []:
                if stats(firsts(asyncio.run(crowd(ws, size))), single)["ratio"] <= GOAL:
                    held = size

            victim = cluster.replicas[min(1, n - 1)]

            killed_at, healthy_at = [], []

            def disturb():
                def commit():
                    time.sleep(0.3)
                    imports.commit(upload(), bulletin_source(), "bench", data, db)  # the one writer

                writer = threading.Thread(target=commit)
                writer.start()
                time.sleep(0.5)
                os.kill(victim.pid, signal.SIGKILL)
                killed_at.append(time.monotonic())
                watcher = threading.Thread(target=lambda: healthy_at.append(wait_restarted(victim)))
                watcher.start()  # from the kill on, while the crowd still runs
                writer.join()
                watcher.join()

            pairs = asyncio.run(crowd(ws, sessions, during=disturb))
            runs = firsts(pairs) + [again for _, again in pairs if again]
            new_shape = shape(asyncio.run(script_run(cluster.replicas[0].url.replace("http", "ws") + "/_stcore/stream",
                                                     then=THEN)))
            whole = {old_shape, new_shape}
            half_built = sum(1 for r in runs if r.error is None and shape(r) not in whole) + sum(
                1 for r in runs if r.error and r.error.startswith("exception"))
            restart_s = healthy_at[0] - killed_at[0]
            return {"n": n, "single": single, **calm, "rss": [p.peak for p in peaks], "held": held,
                    "cpu_ms": cpu_per_view, "kb": kb_per_view,
                    "disturbed": stats(firsts(pairs), single), "half_built": half_built, "restart_s": restart_s,
                    "failed_again": sum(1 for _, again in pairs if again and again.error),
                    "error_kinds": sorted({r.error.split(":")[0] for r in runs if r.error})}


def wait_restarted(replica, timeout: float = 300) -> float:
    """The moment the killed replica answers /_stcore/health again."""
    started = time.monotonic()
    while not (replica.alive() and replica.starts > 1 and replica.healthy()):
        if time.monotonic() - started > timeout:
            return float("nan")
        time.sleep(0.2)
    return time.monotonic()


def median_row(rows: list[dict]) -> dict:
    """Per field, the median over repeated runs (the worst for half-built: any is one too many)."""
    def med(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    out = {"n": rows[0]["n"], "runs": len(rows), "half_built": max(r["half_built"] for r in rows),
           "error_kinds": sorted({k for r in rows for k in r["error_kinds"]}),
           "rss": [med(col) for col in zip(*(r["rss"] for r in rows))],
           "disturbed": {k: med([r["disturbed"][k] for r in rows]) for k in rows[0]["disturbed"]}}
    for key in ("single", "p50", "p95", "ratio", "errors", "held", "restart_s", "failed_again", "cpu_ms", "kb"):
        out[key] = med([r[key] for r in rows])
    return out


def ms(value) -> str:
    return "—" if value is None else f"{value:,.0f}"


def report(sessions: int, rows: list[dict]) -> None:
    print(f"\n{sessions} sessions open the overview, then the economy page, at once through nginx (connect → "
          f"the second script finished, ms; median of {rows[0]['runs']} runs)")
    print(f"{'replicas':>8}{'single':>8}{'p50':>8}{'p95':>8}{'p95×1':>7}{'vs 1':>6}{'errors':>7}{'CPU ms/view':>12}"
          f"{'KB/view':>8}  {'RSS MB per replica':<22}"
          f"{'| disturbed: p95':>16}{'p95×1':>7}{'errors':>7}{'after retry':>12}{'half-built':>11}{'restart s':>10}")
    for r in rows:
        d = r["disturbed"]
        rss = " / ".join(f"{b / 2**20:.0f}" for b in r["rss"])
        print(f"{r['n']:>8}{ms(r['single']):>8}{ms(r['p50']):>8}{ms(r['p95']):>8}{r['ratio'] or 0:>7.1f}"
              f"{(r['p95'] or 0) / (rows[0]['p95'] or 1):>6.2f}{r['errors']:>7g}{r['cpu_ms']:>12.1f}{r['kb']:>8.1f}"
              f"  {rss:<22}{'| ' + ms(d['p95']):>16}{d['ratio'] or 0:>7.1f}{d['errors']:>7g}"
              f"{r['failed_again']:>12g}{r['half_built']:>11}{r['restart_s']:>10.1f}")
    for r in rows:
        if r["error_kinds"]:
            print(f"  disturbed errors with {r['n']} replicas: {', '.join(r['error_kinds'])}")
        if r["held"] is not None:
            print(f"  one replica holds {r['held']:g} sessions at once at p95 ≤ {GOAL:g} × single (of sizes tried)")
    print("vs 1 = p95 / p95 with one replica (the first row)")
    print("disturbed: one import commit 0.3 s in and kill -9 of one replica 0.5 s in, during the crowd;\n"
          "errors = sessions whose run failed; after retry = still failing when reconnected once with the same\n"
          "cookie (as the front end does); half-built = runs that saw neither a whole old nor a whole new database;\n"
          "restart s = kill → the replica answers /_stcore/health again")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=3, help="repeats per replica count (medians are reported)")
    parser.add_argument("--sweep", type=int, nargs="*", default=[3, 5, 8, 12, 20],
                        help="crowd sizes tried against one replica for the p95 ≤ 3 × single goal")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="etdz-bench-base-") as base:
        base = Path(base)
        shutil.copytree(DATA_DIR, base / "data", ignore=shutil.ignore_patterns("*.duckdb*", "imports"))
        build(base / "data", base / "etdz.duckdb")
        rows = [median_row([measure(n, args.sessions, base, sorted(args.sweep)) for _ in range(args.runs)])
                for n in args.replicas]
    report(args.sessions, rows)


if __name__ == "__main__":
    main()
