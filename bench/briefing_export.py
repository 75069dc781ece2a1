"""Time of the briefing export (PPTX + PDF of every slide), median of N runs.

    python bench/briefing_export.py [--runs 5] [--lang zh]

The first export of a process starts kaleido's Chromium; later ones reuse it, as the running
app does. The baseline, measured in the same run, is one chart rendered to PNG by the warm
server: the ratio says how many charts' worth of time an export takes.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import briefing, i18n, slides  # noqa: E402


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lang", default="zh", choices=i18n.LANGS)
    args = parser.parse_args()
    with mock.patch.object(i18n, "lang", lambda: args.lang):
        deck = slides.deck({})
        charts = [s for s in deck if s.figure is not None]
        cold, _ = timed(lambda: briefing.render_png(charts[0].figure))  # starts Chromium
        one = [timed(lambda: briefing.render_png(charts[0].figure))[0] for _ in range(args.runs)]
        runs = []
        for _ in range(args.runs):
            seconds, (pptx, pdf) = timed(lambda: briefing.export(deck, briefing.cover_for(deck, "bench")))
            runs.append(seconds)
    base = statistics.median(one)
    print(f"deck: {len(deck)} slides ({len(charts)} charts), PPTX {len(pptx) / 1e6:.1f} MB, PDF {len(pdf) / 1e6:.1f} MB")
    print(f"kaleido server start + first chart: {cold:.2f} s")
    print(f"{'step':<28}{'median s':>9}{'min':>8}{'max':>8}{'× 1 chart':>11}")
    for name, times in [("one chart → PNG (baseline)", one), ("whole export (PPTX + PDF)", runs)]:
        median = statistics.median(times)
        print(f"{name:<28}{median:>9.2f}{min(times):>8.2f}{max(times):>8.2f}{median / base:>11.1f}")


if __name__ == "__main__":
    main()
