"""Browser page-load time of every page against a floor app (median of N runs).

    python bench/page_load.py [--runs 5] [--pages overview,economy] [--history DIR]
    python bench/page_load.py --via-nginx [--runs 3] [--mbit 10]

Time = from navigation start until the script run is over and every Plotly chart has drawn
(tests/browser_helpers.READY_JS), read from the page's own clock (performance.now()).
cold: a new browser context (empty cache, new session); warm: the same URL again in that
context (cached static files, new session). Each round visits the floor app (bench/floor_app.py:
one page, one Plotly chart) and every page in turn, so they share the machine's noise. A
first unmeasured round warms the servers' caches.

--history DIR: a second server on a synthetic history (bench/synth_history.py --out DIR, built
into DIR/etdz.duckdb) joins each round, page by page beside today's data, and the table adds
each page's ratio to the same page on today's data (goal ≤ 1.3).

--via-nginx: first visits of the overview through deploy/nginx.conf with Brotli, gzip only and neither (and
Streamlit directly), throttled with Chromium's network emulation; reports bytes on the wire
and time to charts drawn.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from playwright.sync_api import sync_playwright  # noqa: E402

from browser_helpers import VIEWPORT, Server, app_pages, chart_counts, free_port, launch_chromium, visit  # noqa: E402
from deploy.nginx import Nginx  # noqa: E402

# When each stage first happened, in ms since navigation start (read back after ready).
MILESTONES_JS = """(() => {
  const seen = window.__milestones = {};
  const timer = setInterval(() => {
    const now = performance.now();
    const app = document.querySelector('[data-testid=stApp]');
    if (app && !seen.shell) seen.shell = now;
    if (document.querySelector('[data-testid=stMain] [data-testid=stElementContainer]') && !seen.first_element) seen.first_element = now;
    if (seen.first_element && app.dataset.testScriptState === 'notRunning' && !seen.script_done) seen.script_done = now;
    if (seen.script_done) clearInterval(timer);
  }, 20);
})()"""
RESOURCES_JS = """() => {
  const r = performance.getEntriesByType('resource');
  const plotly = r.find(e => e.name.includes('/PlotlyChart.'));
  return {plotly_js: plotly ? plotly.responseEnd : null, files: r.length,
          bytes: r.reduce((s, e) => s + e.transferSize, 0)};
}"""


def load(context, url: str) -> dict:
    page = context.new_page()
    try:
        ready = visit(page, url)
        stats = {"ready": ready, **page.evaluate("window.__milestones"), **page.evaluate(RESOURCES_JS)}
        stats["charts"] = chart_counts(page)[0]
        return stats
    finally:
        page.close()


def median(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def fmt_ms(value) -> str:
    return "—" if value is None else f"{value:,.0f}"


HISTORY = " (history)"


def page_table(browser, targets: dict[str, str], runs: int) -> None:
    results = {name: {"cold": [], "warm": []} for name in targets}
    for round_no in range(runs + 1):
        for name, url in targets.items():
            context = browser.new_context(viewport=VIEWPORT)
            context.add_init_script(MILESTONES_JS)
            try:
                cold, warm = load(context, url), load(context, url)
            finally:
                context.close()
            if round_no:  # round 0 warms the servers' caches
                results[name]["cold"].append(cold)
                results[name]["warm"].append(warm)
        print(f"round {round_no}/{runs} done", file=sys.stderr, flush=True)

    floor = {kind: median(results["(floor)"][kind], "ready") for kind in ("cold", "warm")}
    print(f"\nmedian of {runs} runs, ms from navigation start; ratio = page / floor (goal ≤ 1.3)")
    head = (f"{'page':<24}{'charts':>7}{'cold':>8}{'warm':>8}{'cold×':>7}{'warm×':>7}"
            f"{'script done':>13}{'plotly.js':>11}{'cold KB':>9}")
    if any(name.endswith(HISTORY) for name in results):
        head += f"{'cold×today':>12}{'warm×today':>12}"
    print(head + "\n" + "-" * len(head))
    for name, kinds in results.items():
        cold, warm = median(kinds["cold"], "ready"), median(kinds["warm"], "ready")
        line = (f"{name:<24}{kinds['cold'][0]['charts']:>7}{fmt_ms(cold):>8}{fmt_ms(warm):>8}"
                f"{cold / floor['cold']:>7.2f}{warm / floor['warm']:>7.2f}"
                f"{fmt_ms(median(kinds['cold'], 'script_done')):>13}{fmt_ms(median(kinds['cold'], 'plotly_js')):>11}"
                f"{median(kinds['cold'], 'bytes') / 1024:>9,.0f}")
        if name.endswith(HISTORY):
            today = results[name.removesuffix(HISTORY)]
            line += (f"{cold / median(today['cold'], 'ready'):>12.2f}"
                     f"{warm / median(today['warm'], 'ready'):>12.2f}")
        print(line)
    print("script done: the first script run finished (cold); plotly.js: the 4.7 MB chart bundle "
          "arrived (cold); cold KB: bytes transferred on a first visit (HTTP)")


class Wire:
    """Bytes a page receives over HTTP and its WebSocket, from the DevTools protocol."""

    def __init__(self, cdp):
        self.http = self.ws = 0
        self.encoding = {}
        cdp.on("Network.loadingFinished", lambda e: setattr(self, "http", self.http + e["encodedDataLength"]))
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.responseReceived", self._response)

    def _frame(self, event) -> None:
        frame = event["response"]
        data = frame["payloadData"]
        self.ws += len(base64.b64decode(data)) if frame["opcode"] == 2 else len(data.encode())

    def _response(self, event) -> None:
        response = event["response"]
        if "/static/" in response["url"]:
            encoding = {k.lower(): v for k, v in response["headers"].items()}.get("content-encoding", "identity")
            self.encoding[encoding] = self.encoding.get(encoding, 0) + 1


def throttled_visit(browser, url: str, mbit: float, latency_ms: float) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": latency_ms,
        "downloadThroughput": mbit * 1e6 / 8, "uploadThroughput": mbit * 1e6 / 8})
    wire = Wire(cdp)
    try:
        ready = visit(page, url, timeout_ms=600_000)
        return {"ready": ready, "http": wire.http, "ws": wire.ws, "encoding": wire.encoding}
    finally:
        context.close()


def nginx_table(browser, server: Server, runs: int, mbit: float, latency_ms: float) -> None:
    with Nginx(server.port, free_port(8680)) as br, Nginx(server.port, free_port(8682), brotli=False) as gz, \
            Nginx(server.port, free_port(8681), gzip=False, brotli=False) as plain:
        routes = {"nginx brotli": br.url, "nginx gzip only": gz.url, "nginx uncompressed": plain.url,
                  "streamlit direct": server.url}
        results = {name: [] for name in routes}
        for round_no in range(runs + 1):
            for name, url in routes.items():
                stats = throttled_visit(browser, url + "/", mbit, latency_ms)
                if round_no:  # round 0 warms the page cache and the app's query cache
                    results[name].append(stats)
            print(f"round {round_no}/{runs} done", file=sys.stderr, flush=True)
    print(f"\nfirst visit of the overview at {mbit:g} Mbit/s, {latency_ms:g} ms latency; median of {runs} runs")
    head = f"{'route':<18}{'HTTP MB':>9}{'WS KB':>8}{'ready s':>9}  static files by encoding"
    print(head + "\n" + "-" * len(head))
    for name, rows in results.items():
        print(f"{name:<18}{median(rows, 'http') / 1e6:>9.2f}{median(rows, 'ws') / 1024:>8.0f}"
              f"{median(rows, 'ready') / 1000:>9.1f}  {rows[-1]['encoding']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="measured rounds (default 5; 3 with --via-nginx)")
    parser.add_argument("--pages", help="comma-separated url paths (overview for the default page); default all")
    parser.add_argument("--via-nginx", action="store_true", help="first-visit bytes and time through nginx")
    parser.add_argument("--mbit", type=float, default=10)
    parser.add_argument("--latency-ms", type=float, default=20)
    parser.add_argument("--history", type=Path, help="a built synthetic history folder, measured beside today's")
    args = parser.parse_args()

    pages = {url or "overview": url for url, _ in app_pages()}
    if args.pages:
        pages = {name: pages[name] for name in args.pages.split(",")}
    with Server("serve.py", port=8620) as server, sync_playwright() as p:
        browser = launch_chromium(p)
        if args.via_nginx:
            nginx_table(browser, server, args.runs or 3, args.mbit, args.latency_ms)
        else:
            with contextlib.ExitStack() as servers:
                floor = servers.enter_context(Server("bench/floor_app.py", port=8630, via_cli=True))
                history = args.history and servers.enter_context(Server("serve.py", port=8640, env={
                    "ETDZ_DATA": str(args.history), "ETDZ_DB": str(args.history / "etdz.duckdb")}))
                targets = {"(floor)": floor.url + "/"}
                for name, url in pages.items():
                    targets[name] = f"{server.url}/{url}"
                    if history:
                        targets[name + HISTORY] = f"{history.url}/{url}"
                page_table(browser, targets, args.runs or 5)
        browser.close()


if __name__ == "__main__":
    main()
