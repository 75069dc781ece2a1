"""What one viewer's page views cost a replica: server CPU ms, bytes sent, and RSS.

    python bench/session_cost.py [--sessions 60] [--soak 0] [--baseline DIR] [--variant …]

One replica (serve.py) per variant, on today's data. After 5 warm-up sessions, 3 batches of
--sessions sessions one after another (the figure: the median of the batches' means), each a new browser as the server sees it, speaking Streamlit's
protocol (tests/cluster_helpers.py): connect, run the overview, then the economy page on the
same connection, wait for each script_finished. The replica's CPU time (utime + stime from
/proc) is read before and after, so the figure is the server's share only; the client's
work is not in it. Bytes are the WebSocket frames the server sent.

Variants are Streamlit settings given as environment variables (VARIANTS), over the project's
own (serve.py and .streamlit/config.toml). --baseline DIR first measures another checkout (an
earlier commit, `git worktree add DIR <commit>`) the same way, in the same run: the ratios are
to it. --soak N then runs N more sessions on the same replica and prints its RSS every N/10
sessions: a collection that is not forced must not let memory grow.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_helpers import Server  # noqa: E402
from cluster_helpers import script_run  # noqa: E402

VARIANTS = {
    "project": {},  # as shipped
    "gc-forced": {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"},  # Streamlit's default collection
}
BATCHES = 3  # the figure is the median of the batches' means
PAGES = ("", "economy")  # the overview (the default page), then the economy page
TICK = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid: int) -> float:
    """The process's CPU time so far (user + system), in ms."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / TICK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def session(ws_url: str) -> int:
    """Both pages on one connection, as a viewer clicking from the overview; bytes received."""
    run = await script_run(ws_url, PAGES[0], then=PAGES[1:])
    if run.error:
        raise RuntimeError(run.error)
    return run.bytes


def measure(variant: str, sessions: int, soak: int, root: Path | None = None) -> dict:
    env = dict(VARIANTS.get(variant, {}))
    with Server(port=8950, env=env, cwd=root) as server:
        pid, ws_url = server.proc.pid, server.url.replace("http", "ws") + "/_stcore/stream"
        for _ in range(5):
            asyncio.run(session(ws_url))
        per_view, sizes = [], []
        for _ in range(BATCHES):  # CPU time ticks in 10 ms: a batch's total over its views
            before = cpu_ms(pid)
            for _ in range(sessions):
                sizes.append(asyncio.run(session(ws_url)))
            time.sleep(0.2)  # the server's work after the last script_finished lands here
            per_view.append((cpu_ms(pid) - before) / sessions / len(PAGES))
        rss = [round(rss_mb(pid))]
        for i in range(soak):
            asyncio.run(session(ws_url))
            if (i + 1) % max(soak // 10, 1) == 0:
                rss.append(round(rss_mb(pid)))
    return {"variant": variant, "cpu_ms_per_view": statistics.median(per_view),
            "kb_per_view": statistics.median(sizes) / len(PAGES) / 1024, "rss_mb": rss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=60)
    parser.add_argument("--soak", type=int, default=0)
    parser.add_argument("--variant", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--baseline", type=Path, help="another checkout, measured first as the baseline")
    opts = parser.parse_args()
    results = [measure(f"baseline {opts.baseline.name}", opts.sessions, opts.soak, opts.baseline.resolve())] \
        if opts.baseline else []
    results += [measure(v, opts.sessions, opts.soak) for v in opts.variant]
    base = results[0]["cpu_ms_per_view"]
    print(f"{'variant':18} {'CPU ms/view':>12} {'ratio':>6} {'KB/view':>8}  RSS MB (start … every 10%)")
    for r in results:
        print(f"{r['variant']:18} {r['cpu_ms_per_view']:12.1f} {r['cpu_ms_per_view'] / base:6.2f} "
              f"{r['kb_per_view']:8.1f}  {r['rss_mb']}")


if __name__ == "__main__":
    main()
