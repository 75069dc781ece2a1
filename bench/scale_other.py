"""Build, a 30-row commit and the undo of the newest batch on the history of
bench/synth_history_other.py (≈2M rows, other shapes than synth_history's), for one or more
checkouts of the code in the same run (the first is the baseline).

    python bench/scale_other.py --history DIR [--code DIR ...] [--runs 3] [--base-runs 1]

DIR is a folder written by synth_history_other.py (its data/ inside: DIR/data). Per checkout:
`make db` wall and CPU seconds (median of --runs processes) and peak RSS; then --runs times, on a
fresh copy (hard links: a commit or undo only adds files and renames), the check and commit of
the 30-row synthetic batch and the undo of that batch, wall and CPU seconds. The load average
is printed beside each row. Nothing is written into data/.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _child(code: Path, args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(code), *args], capture_output=True, text=True,
                         cwd=code)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def child_build(data: Path, db: Path) -> dict:
    from etl.build import build
    started, cpu = time.perf_counter(), _cpu()
    summary = build(data, db)
    return {"s": time.perf_counter() - started, "cpu": _cpu() - cpu, "figures": summary["figures"],
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "load": os.getloadavg()[0]}


def child_commit_undo(data: Path, db: Path) -> dict:
    from etl import imports
    from synth_history_other import import_batch
    work = Path(tempfile.mkdtemp(prefix="etdz-scale-other-"))
    try:
        shutil.copytree(data, work / "data", copy_function=os.link)
        shutil.copyfile(db, work / "etdz.duckdb")
        data, db = work / "data", work / "etdz.duckdb"
        text, meta, source_text = import_batch()
        upload, problems = imports.read_upload("synthetic.csv", text.encode())
        assert not problems, [p.message("en") for p in problems]
        source = imports.new_source(meta, source_text)
        started, cpu = time.perf_counter(), _cpu()
        batch = imports.commit(upload, source, "scale bench", data, db)["batch"]
        commit_s, commit_cpu = time.perf_counter() - started, _cpu() - cpu
        started, cpu = time.perf_counter(), _cpu()
        undone = imports.revert(batch, "scale bench", data, db)
        undo_s, undo_cpu = time.perf_counter() - started, _cpu() - cpu
        return {"commit_s": commit_s, "commit_cpu": commit_cpu, "undo_s": undo_s, "undo_cpu": undo_cpu,
                "undo_how": undone.get("republished", "rebuilt"), "load": os.getloadavg()[0]}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=Path)
    parser.add_argument("--code", type=Path, action="append", help="a checkout (default: this one)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--base-runs", type=int, help="runs of the first checkout when it is slow (default --runs)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        code, kind, data, db = args.child
        sys.path[:0] = [code, str(ROOT / "bench")]  # that checkout's etl; this one's generator
        result = child_build(Path(data), Path(db)) if kind == "build" else child_commit_undo(Path(data), Path(db))
        print(json.dumps(result))
        return
    data = args.history / "data"
    rows = []
    codes = [c.resolve() for c in args.code or [ROOT]]
    for code in codes:
        runs = args.base_runs if args.base_runs and code == codes[0] and len(codes) > 1 else args.runs
        db = args.history / f"etdz-{code.name}.duckdb"
        builds = [_child(code, ["build", str(data), str(db)]) for _ in range(runs)]
        print(f"{code}: builds {json.dumps(builds)}", file=sys.stderr, flush=True)
        edits = [_child(code, ["edit", str(data), str(db)]) for _ in range(runs)]
        print(f"{code}: commit/undo {json.dumps(edits)}", file=sys.stderr, flush=True)
        med = lambda rs, k: statistics.median(r[k] for r in rs)  # noqa: E731
        rows.append((code, builds[0]["figures"], med(builds, "s"), med(builds, "cpu"), max(b["rss_mb"] for b in builds),
                     med(edits, "commit_s"), med(edits, "commit_cpu"), med(edits, "undo_s"), med(edits, "undo_cpu"),
                     edits[0]["undo_how"], min(r["load"] for r in builds + edits), max(r["load"] for r in builds + edits)))
    print("\n| code | figures | build s | build CPU s | build peak MB | commit s | commit CPU s | undo s | undo CPU s "
          "| undo | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    base = rows[0]
    for r in rows:
        ratio = f" (×{r[3] / base[3]:.2f})" if r is not base else ""
        print(f"| {r[0].name} | {r[1]:,} | {r[2]:.1f} | {r[3]:.1f}{ratio} | {r[4]:,.0f} | {r[5]:.2f} | {r[6]:.2f} "
              f"| {r[7]:.2f} | {r[8]:.2f} | {r[9][:40]} | {r[10]:.1f}–{r[11]:.1f} |")


if __name__ == "__main__":
    main()
