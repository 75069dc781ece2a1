"""A meeting opens the link: the overview in N browser contexts at once.

    python bench/concurrent_visits.py [--visitors 20] [--via-nginx]

First the single-visit time (median of 3 cold visits, one at a time), then N new contexts
navigate together. Reports p50/p95 time to all charts drawn (each page's own clock, from its
navigation start), errors (exception boxes, page errors, timeouts) and the server's peak
RSS (server process and its children, from /proc). Goal: p95 ≤ 3 × single visit, no errors.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from playwright.async_api import async_playwright  # noqa: E402

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


async def bench(url: str, server_pid: int, visitors: int) -> None:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        await visit(browser, url)  # warms the server's caches
        single = [(await visit(browser, url))[0] for _ in range(3)]
        single_ms = statistics.median(t for t in single if t is not None)

        rss = PeakRss(server_pid)
        before = rss.peak
        rss.start()
        started = time.perf_counter()
        results = await asyncio.gather(*(visit(browser, url) for _ in range(visitors)))
        wall = time.perf_counter() - started
        rss.done.set()
        rss.join()
        await browser.close()

    times = [t for t, _ in results if t is not None]
    errors = [e for _, e in results if e]
    print(f"\n{visitors} visitors at once on {url}")
    print(f"single visit (median of 3)   {single_ms:>8,.0f} ms")
    if times:
        p50, p95 = pct(times, 0.5), pct(times, 0.95)
        print(f"p50 to all charts drawn      {p50:>8,.0f} ms")
        print(f"p95 to all charts drawn      {p95:>8,.0f} ms   = {p95 / single_ms:.1f} × single (goal ≤ 3)")
        print(f"slowest                      {max(times):>8,.0f} ms")
    print(f"wall time for all            {wall * 1000:>8,.0f} ms")
    print(f"server RSS before / peak     {before / 2**20:>8,.0f} / {rss.peak / 2**20:,.0f} MB")
    print(f"errors                       {len(errors):>8}" + "".join(f"\n  - {e}" for e in errors))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visitors", type=int, default=20)
    parser.add_argument("--via-nginx", action="store_true", help="visit through deploy/nginx.conf")
    args = parser.parse_args()
    with Server("serve.py", port=8640) as server:
        if args.via_nginx:
            with Nginx(server.port, free_port(8680)) as nginx:
                asyncio.run(bench(nginx.url + "/", server.proc.pid, args.visitors))
        else:
            asyncio.run(bench(server.url + "/", server.proc.pid, args.visitors))


if __name__ == "__main__":
    main()
