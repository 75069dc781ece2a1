"""Server-side time of each page's script run with a warm cache (median of N runs).

    python bench/page_runs.py [--runs 10] [--pages overview,economy]

Each page runs in Streamlit's AppTest (the real app.py and navigation). The first run of a
page warms the query cache and is not counted. A floor page (one st.title) measured in the
same run gives the fixed cost of a script run on this machine, for the ratio column.

Two things make it measure the server's work rather than the test harness's: the time is that
of the script run alone (AppTest then parses the messages into its element tree, which a
server never does), and one ScriptCache is kept across runs as the server keeps it (AppTest
makes a new one per run, so every run would compile app.py and the page again).
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from apptest_helpers import open_page  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest, app_test, local_script_runner  # noqa: E402

SCRIPT_CACHE = ScriptCache()
app_test.ScriptCache = local_script_runner.ScriptCache = lambda: SCRIPT_CACHE
script_seconds: list[float] = []
_run_script = local_script_runner.LocalScriptRunner.run


def _timed_run(self, *args, **kwargs):
    started = time.perf_counter()
    try:
        return _run_script(self, *args, **kwargs)
    finally:
        script_seconds.append(time.perf_counter() - started)


local_script_runner.LocalScriptRunner.run = _timed_run

PAGES = ["overview", "economy", "clusters", "projects", "trade", "party_services",
         "benchmarks", "targets", "sources"]


def time_runs(at: AppTest, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        at.run()
        times.append(script_seconds[-1])
        assert not at.exception, [e.message for e in at.exception]
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated, default all")
    args = parser.parse_args()

    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as floor:
        floor.write("import streamlit as st\nst.title('floor')\n")
    floor_at = AppTest.from_file(floor.name, default_timeout=120)
    floor_at.run()
    floor_ms = statistics.median(time_runs(floor_at, args.runs)) * 1000

    print(f"{'page':<16}{'median ms':>10}{'p90 ms':>9}{'× floor':>9}")
    print(f"{'(floor)':<16}{floor_ms:>10.1f}{'':>9}{1:>9.1f}")
    for page in args.pages.split(","):
        at = open_page(page)  # first run: cold cache, not counted
        times = sorted(time_runs(at, args.runs))
        median = statistics.median(times) * 1000
        p90 = times[int(0.9 * (len(times) - 1))] * 1000
        print(f"{page:<16}{median:>10.1f}{p90:>9.1f}{median / floor_ms:>9.1f}")


if __name__ == "__main__":
    main()
