"""数据来源 on today's data and on a synthetic (合成) history: script run and memory per session.

    python bench/sources_scale.py [--size medium] [--runs 10] [--sessions 10]

The history is bench/synth_history.py's (medium ≈ 40,000 rows), written and built in a temporary
folder (never data/). Per database and view (the figures' first page; a three-word search; a
figure's document opened at its sentence):

1. script run, warm, median of `runs` (AppTest, the script run alone, as bench/page_runs.py);
2. server memory per session: a real server (serve.py), `sessions` sessions over Streamlit's
   WebSocket protocol, each run once and kept open; (RSS after − RSS before) / sessions, after a
   first session has warmed the caches.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

import page_runs  # noqa: E402  (its hooks time the script run alone)
import websockets  # noqa: E402
from concurrent_visits import tree_rss  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from apptest_helpers import open_page  # noqa: E402
from browser_helpers import Server  # noqa: E402
from etl.build import build  # noqa: E402
from synth_history import write_history  # noqa: E402

VIEWS = {"first page": {}, "search 3 words": {"q": "合成 进出口 2030"}, "document at a figure": "fig"}


def a_figure(db: Path) -> str:
    """The newest sourced figure of the database (its document is then opened)."""
    import duckdb
    with duckdb.connect(str(db), read_only=True) as con:
        catalog = con.execute("SELECT database_name FROM duckdb_databases() WHERE NOT internal").fetchone()[0]
        return con.execute(f"SELECT figure_id FROM {catalog}.facts WHERE NOT is_derived "
                           "ORDER BY period_end DESC NULLS LAST, figure_id LIMIT 1").fetchone()[0]


def script_ms(params: dict, runs: int) -> float:
    at = open_page("sources", **params)  # cold: not counted
    return statistics.median(page_runs.time_runs(at, runs)) * 1000


async def hold_sessions(ws_url: str, query: str, n: int, pid: int) -> float:
    """Bytes of server RSS per session, for n sessions run once and held open together."""
    socks = []
    before = tree_rss(pid)
    try:
        for _ in range(n):
            ws = await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None)
            socks.append(ws)
            rerun = BackMsg()
            rerun.rerun_script.query_string = query
            rerun.rerun_script.page_name = "sources"
            await ws.send(rerun.SerializeToString())
            async for frame in ws:
                msg = ForwardMsg()
                msg.ParseFromString(frame)
                if msg.WhichOneof("type") == "script_finished":
                    break
        time.sleep(1)
        return (tree_rss(pid) - before) / n
    finally:
        for ws in socks:
            await ws.close()


def memory_per_session(data: Path, db: Path, query: str, n: int) -> float:
    os.environ["ETDZ_DATA"], os.environ["ETDZ_DB"] = str(data), str(db)
    with Server("serve.py", port=8690) as srv:
        ws_url = srv.url.replace("http", "ws") + "/_stcore/stream"
        asyncio.run(hold_sessions(ws_url, query, 1, srv.proc.pid))  # warms the caches
        return asyncio.run(hold_sessions(ws_url, query, n, srv.proc.pid))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="medium")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sources_scale_"))
    counts = write_history(args.size, folder / "data")
    build(folder / "data", folder / "etdz.duckdb")
    databases = {"today": (ROOT / "data", ROOT / "data" / "etdz.duckdb"),
                 f"{args.size} ({counts['figures']:,} rows)": (folder / "data", folder / "etdz.duckdb")}
    results = {}
    for name, (data, db) in databases.items():
        os.environ["ETDZ_DATA"], os.environ["ETDZ_DB"] = str(data), str(db)
        for view, params in VIEWS.items():
            params = {"fig": a_figure(db)} if params == "fig" else params
            query = "&".join(f"{k}={v}" for k, v in params.items())
            results[name, view] = (script_ms(params, args.runs),
                                   memory_per_session(data, db, query, args.sessions) / 2**20)
    today = next(iter(databases))
    print(f"{'database':<26}{'view':<24}{'script ms':>10}{'× today':>9}{'MB/session':>12}")
    for (name, view), (ms, mb) in results.items():
        print(f"{name:<26}{view:<24}{ms:>10.1f}{ms / results[today, view][0]:>9.2f}{mb:>12.2f}")


if __name__ == "__main__":
    main()
