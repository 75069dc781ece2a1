"""A meeting opens the link: the overview in N browser contexts at once, against the floor app.

    python bench/concurrent_visits.py [--visitors 20] [--via-nginx]

For the dashboard and, in the same run, the floor app (bench/floor_app.py: one page, one
Plotly chart):

1. browsers: the single-visit time (median of 3 cold visits, one at a time), then N new
   contexts navigate together. p50/p95 time to all charts drawn (each page's own clock),
   errors (exception boxes, page errors, timeouts), the server's peak RSS (server and its
   children, from /proc) and the CPU seconds the server used while they loaded.
2. sessions: the same N at once over Streamlit's WebSocket protocol alone, without browsers:
   connect, ask for a script run, wait for script_finished. This is the server's share of a
   meeting, as it is when every official's own PC does its own rendering.

On a benchmark machine the N browsers run on the same few cores as the server, so their p95
mostly measures the browsers' own JavaScript work; the floor app's figures, measured the same
way, show how much of it is the harness. Goal: p95 ≤ 3 × single visit, no errors.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import websockets  # noqa: E402
from playwright.async_api import async_playwright  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from browser_helpers import (CHROMIUM, CHROMIUM_ARGS, READY_JS, STABLE_MS, TIMEOUT_MS, VIEWPORT,  # noqa: E402
                             Server, free_port)
from deploy.nginx import Nginx  # noqa: E402


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class PeakRss(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, tree_rss(pid), threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.peak = max(self.peak, tree_rss(self.pid))


async def visit(browser, url: str) -> tuple[float | None, str | None]:
    """(ms to all charts drawn, error) of one first visit in a new context."""
    context = await browser.new_context(viewport=VIEWPORT)
    errors = []
    try:
        page = await context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        await page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        await page.wait_for_function(READY_JS, arg=STABLE_MS, polling=100, timeout=TIMEOUT_MS)
        ready = await page.evaluate("window.__readySince")
        if await page.locator("[data-testid=stException]").count():
            errors.append("exception box")
        return ready, "; ".join(errors) or None
    except Exception as e:  # a timeout or a dropped connection is a result here, not a crash
        return None, f"{type(e).__name__}: {str(e).splitlines()[0]}"
    finally:
        await context.close()


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


async def session(ws_url: str) -> tuple[float | None, str | None]:
    """(ms from connecting to script_finished, error) of one script run over the WebSocket."""
    started = time.perf_counter()
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None,
                                      open_timeout=TIMEOUT_MS / 1000) as ws:
            rerun = BackMsg()
            rerun.rerun_script.query_string = ""
            await ws.send(rerun.SerializeToString())
            async with asyncio.timeout(TIMEOUT_MS / 1000):
                async for frame in ws:
                    msg = ForwardMsg()
                    msg.ParseFromString(frame)
                    if msg.WhichOneof("type") == "script_finished":
                        return (time.perf_counter() - started) * 1000, None
    except Exception as e:  # a timeout or a refused connection is a result here
        return None, f"{type(e).__name__}: {e}"
    return None, "closed before script_finished"


def summary(name: str, single: list, crowd: list, extra: dict) -> dict:
    times = [t for t, _ in crowd if t is not None]
    single_ms = statistics.median(t for t, _ in single if t is not None)
    row = {"name": name, "single": single_ms, "p50": pct(times, 0.5) if times else None,
           "p95": pct(times, 0.95) if times else None,
           "errors": [e for _, e in [*single, *crowd] if e], **extra}
    row["ratio"] = row["p95"] / single_ms if times else None
    return row


async def measure(name: str, url: str, pid: int, visitors: int) -> tuple[dict, dict]:
    """One target: browsers (single, then all at once), then protocol-only sessions."""
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        await visit(browser, url)  # warms the server's caches
        single = [await visit(browser, url) for _ in range(3)]
        rss = PeakRss(pid)
        before, cpu_before = rss.peak, cpu_seconds(pid)
        rss.start()
        started = time.perf_counter()
        crowd = await asyncio.gather(*(visit(browser, url) for _ in range(visitors)))
        wall = time.perf_counter() - started
        rss.done.set()
        rss.join()
        await browser.close()
    browsers = summary(name, single, crowd, {"wall": wall * 1000, "rss_before": before, "rss_peak": rss.peak,
                                              "server_cpu": cpu_seconds(pid) - cpu_before})
    ws_url = url.replace("http", "ws", 1).split("?")[0].rstrip("/") + "/_stcore/stream"
    single = [await session(ws_url) for _ in range(5)]
    crowd = await asyncio.gather(*(session(ws_url) for _ in range(visitors)))
    return browsers, summary(name, single, crowd, {})


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def report(visitors: int, browsers: list[dict], sessions: list[dict]) -> None:
    print(f"\n{visitors} browsers at once (time to all charts drawn, ms)")
    print(f"{'app':<10}{'single':>8}{'p50':>9}{'p95':>9}{'p95×1':>7}{'wall':>9}{'server CPU s':>14}"
          f"{'RSS MB before/peak':>20}{'errors':>8}")
    for r in browsers:
        rss = f"{r['rss_before'] / 2**20:.0f} / {r['rss_peak'] / 2**20:.0f}"
        print(f"{r['name']:<10}{ms(r['single']):>8}{ms(r['p50']):>9}{ms(r['p95']):>9}{r['ratio'] or 0:>7.1f}"
              f"{ms(r['wall']):>9}{r['server_cpu']:>14.1f}"
              f"{rss:>20}{len(r['errors']):>8}")
    print(f"\n{visitors} sessions at once over the WebSocket, no browser (connect → script finished, ms)")
    print(f"{'app':<10}{'single':>8}{'p50':>9}{'p95':>9}{'p95×1':>7}{'errors':>8}")
    for r in sessions:
        print(f"{r['name']:<10}{ms(r['single']):>8}{ms(r['p50']):>9}{ms(r['p95']):>9}{r['ratio'] or 0:>7.1f}"
              f"{len(r['errors']):>8}")
    print("goal: p95 ≤ 3 × single, no errors")
    for r in browsers + sessions:
        for e in r["errors"]:
            print(f"  - {r['name']}: {e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visitors", type=int, default=20)
    parser.add_argument("--via-nginx", action="store_true", help="visit the dashboard through deploy/nginx.conf")
    args = parser.parse_args()
    results = []
    with Server("bench/floor_app.py", port=8630, via_cli=True) as floor:
        results.append(asyncio.run(measure("(floor)", floor.url + "/", floor.proc.pid, args.visitors)))
    with Server("serve.py", port=8640) as server:
        if args.via_nginx:
            with Nginx(server.port, free_port(8680)) as nginx:
                results.append(asyncio.run(measure("overview", nginx.url + "/", server.proc.pid, args.visitors)))
        else:
            results.append(asyncio.run(measure("overview", server.url + "/", server.proc.pid, args.visitors)))
    report(args.visitors, [b for b, _ in results], [s for _, s in results])


if __name__ == "__main__":
    main()
