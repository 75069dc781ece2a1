"""Hostile uploads (issue 15): time to refuse a decompression bomb, time to check a 100,000-row
XLSX, time to find 20,000 duplicate ids, and the viewers' script time meanwhile.

    python bench/hostile_import.py [--runs 3] [--rows 100000] [--bomb-mb 1024]

Everything is SYNTHETIC and made here, in a temporary copy of data/ (the shipped data/ is never
touched): the bomb is an XLSX whose one sheet inflates to --bomb-mb MB (tests/hostile_files.py);
the big upload is --rows valid new figures citing 1,000 sentences of a made-up bulletin. Both go
the way the 数据维护 page sends them: through the import worker process (etl.worker.run).

A viewer runs in another process meanwhile: the overview page's script in AppTest, again and
again (bench/page_runs.py's timing: the script run alone). Its p95 while nothing else runs is the
baseline; the p95 while the big file is checked is compared with it. Baselines for the two
timings, measured in the same run: the worker reading a 2-row XLSX, and checking a 2-row one.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from etl import imports, vocab, worker  # noqa: E402
from etl.build import build  # noqa: E402

SOURCE_ID = "bench_hostile_bulletin"
META = {"source_id": SOURCE_ID, "title_zh": "合成测试简报（基准测试用）", "title_en": "Synthetic bulletin (benchmark)",
        "short_zh": "合成简报", "short_en": "Synthetic bulletin", "year": "2024", "kind": "bulletin",
        "note": "合成数据，仅用于 bench/hostile_import.py"}
SENTENCES = 1000
DUPLICATES = 20_000  # one pass finds them all; a scan per duplicate took 134 s (issue 15)


def big_xlsx(rows: int) -> tuple[bytes, str]:
    import io

    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("figures")
    ws.append(list(vocab.FIGURE_COLUMNS))
    sentences = ["合成测试简报（基准测试用，非真实数据）"]
    for s in range(SENTENCES):
        sentences.append(f"样本{s + 1:04d}：2024年，全区进出口总额完成{100 + s / 10:.1f}亿元。")
    for i in range(rows):
        s = i % SENTENCES
        value = f"{100 + s / 10:.1f}"
        ws.append([f"bench_trade_{i:06d}", SOURCE_ID, sentences[s + 1][:-1], value, value, "亿元", "", "开发区", "trade",
                   "level", "actual", "2024年", "trade", "", ""])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue(), "\n".join(sentences) + "\n"


def read_and_check(name: str, data: bytes, source, folder: str, db: str):
    """What the page does with an upload: read it, then check it (here in one worker job)."""
    upload, problems = imports.read_upload(name, data)
    if problems:
        return problems
    result = imports.check(upload, source, Path(folder), Path(db))
    return result.problems or len(result.new)


def viewer(out: str, data: str, db: str) -> None:
    """Run the overview's script again and again; append (time, seconds) lines to `out`."""
    import os
    os.environ.update(ETDZ_DATA=data, ETDZ_DB=db)
    sys.path.insert(0, str(ROOT / "bench"))
    import page_runs  # noqa: F401 — times the script run alone, keeps one ScriptCache
    from apptest_helpers import open_page
    at = open_page("overview")
    with open(out, "a", encoding="utf-8") as f:
        while True:
            at.run()
            f.write(json.dumps([time.time(), page_runs.script_seconds[-1]]) + "\n")
            f.flush()


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(0.95 * len(values)))] if values else float("nan")


def window(log: Path, start: float, end: float) -> list[float]:
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [s for t, s in rows if start <= t <= end]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--bomb-mb", type=int, default=1024)
    parser.add_argument("--viewer", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.viewer:
        viewer(*args.viewer)
        return 0
    from hostile_files import workbook, zip_bomb
    from import_helpers import bulletin_csv, bulletin_source, upload
    import os
    # the worker imports its job's function by module name: this file, as `hostile_import`
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT / "bench"), str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")])
    import hostile_import as me

    with tempfile.TemporaryDirectory(prefix="bench_hostile_") as tmp:
        data, db = Path(tmp) / "data", Path(tmp) / "etdz.duckdb"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*", "imports", "__pycache__"))
        build(data, db)
        bomb = zip_bomb(args.bomb_mb)
        big, text = big_xlsx(args.rows)
        small = workbook([[f"bench_trade_{i:06d}", SOURCE_ID, text.splitlines()[1][:-1], "100.0", "100.0", "亿元", "",
                           "开发区", "trade", "level", "actual", "2024年", "trade", "", ""] for i in range(2)])
        source = imports.new_source(META, text)
        limit = imports.MAX_UPLOAD_BYTES
        print(f"bomb {len(bomb) / 1e6:.1f} MB → {args.bomb_mb:,} MB unzipped; "
              f"{args.rows:,}-row XLSX {len(big) / 1e6:.1f} MB (upload limit {limit / 1e6:.1f} MB)", flush=True)
        if len(big) > limit:
            print("  (the big file is over the upload limit: the check below is timed with the limit lifted)")
        timings = {k: [] for k in ("bomb", "bomb in process", "read small", "check big", "check small",
                                   "duplicates", "bulletin")}
        bulletin = bulletin_csv()
        duplicates = bulletin_csv(*[bulletin.splitlines()[1]] * (DUPLICATES + 1))
        log = Path(tmp) / "viewer.jsonl"
        log.touch()
        view = subprocess.Popen([sys.executable, __file__, "--viewer", str(log), str(data), str(db)], cwd=ROOT)
        try:
            while not log.read_text(encoding="utf-8").count("\n") >= 5:  # warm
                time.sleep(0.5)
            calm_from = time.time()
            time.sleep(15)
            calm = window(log, calm_from, time.time())
            busy = []
            for n in range(args.runs):
                t0 = time.perf_counter()
                problems = worker.run(imports.read_upload, "bomb.xlsx", bomb)[1]
                timings["bomb"].append(time.perf_counter() - t0)
                assert problems and problems[0].code == "too_large", problems
                t0 = time.perf_counter()
                assert imports.read_upload("bomb.xlsx", bomb)[1][0].code == "too_large"
                timings["bomb in process"].append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                worker.run(imports.read_upload, "small.xlsx", small)
                timings["read small"].append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                assert worker.run(me.read_and_check, "small.xlsx", small, source, str(data), str(db)) == 2
                timings["check small"].append(time.perf_counter() - t0)
                started, t0 = time.time(), time.perf_counter()
                out = worker.run(me.lifted, limit, "big.xlsx", big, source, str(data), str(db), timeout=1800)
                timings["check big"].append(time.perf_counter() - t0)
                busy += window(log, started, time.time())
                t0 = time.perf_counter()
                dups = imports.check(upload(duplicates), bulletin_source(), data, db).problems
                timings["duplicates"].append(time.perf_counter() - t0)
                assert sum(p.code == "duplicate_key" for p in dups) == DUPLICATES, len(dups)
                t0 = time.perf_counter()
                imports.check(upload(bulletin), bulletin_source(), data, db)
                timings["bulletin"].append(time.perf_counter() - t0)
                assert out == args.rows, out if isinstance(out, int) else [p.message("en") for p in out[:5]]
                print(f"run {n + 1}/{args.runs}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in timings.items()),
                      flush=True)
        finally:
            view.kill()
            view.wait()
    med = {k: statistics.median(v) for k, v in timings.items()}
    print(f"\n{'step':<34}{'median s':>10}{'× baseline':>12}")
    print(f"{'refuse the bomb (worker)':<34}{med['bomb']:>10.2f}{med['bomb'] / med['read small']:>12.2f}"
          "   baseline: read a 2-row XLSX")
    print(f"{'  of which the refusal itself':<34}{med['bomb in process']:>10.4f}"
          f"{med['bomb in process'] / med['read small']:>12.4f}   (zip directory only, in process)")
    print(f"{f'read + check {args.rows:,} rows (worker)':<34}{med['check big']:>10.2f}"
          f"{med['check big'] / med['check small']:>12.1f}   baseline: read + check 2 rows")
    print(f"{f'find {DUPLICATES:,} duplicate ids':<34}{med['duplicates']:>10.2f}"
          f"{med['duplicates'] / med['bulletin']:>12.1f}   baseline: check the test bulletin's rows")
    print(f"\nviewer (overview script run, another process): p95 {p95(calm) * 1000:.0f} ms alone ({len(calm)} runs), "
          f"{p95(busy) * 1000:.0f} ms during the big checks ({len(busy)} runs): × {p95(busy) / p95(calm):.2f}; "
          f"median {statistics.median(calm) * 1000:.0f} → {statistics.median(busy) * 1000:.0f} ms")
    return 0


def lifted(limit: int, *args):
    """read_and_check with the upload size limit lifted in the worker (the big file's size)."""
    imports.MAX_UPLOAD_BYTES = max(limit, len(args[1]) + 1)
    return read_and_check(*args)


if __name__ == "__main__":
    sys.exit(main())
