"""Precision and recall of candidate extraction (etl/extract.py) on hand-written paragraphs.

    python bench/extraction.py [--show]

A candidate matches an expected figure of the same paragraph when its number and unit
agree (一万 = 10000); each expected figure matches at most one candidate. Precision =
matched / proposed, recall = matched / expected. For matched pairs, the share of correct
guesses is given per field (indicator only where the paragraph names one in indicators.csv).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.extract import Vocabulary, extract  # noqa: E402
from etl.inputs import db_path  # noqa: E402
from etl.numerals import parse_number  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "extraction_paragraphs.yaml"
FIELDS = ["value_text", "unit", "qualifier", "measure", "basis", "period", "entity", "indicator"]
SCORED = ["qualifier", "measure", "basis", "period", "entity", "indicator"]


def load(path: Path = FIXTURE) -> list[dict]:
    paragraphs = yaml.safe_load(path.read_text(encoding="utf-8"))
    for p in paragraphs:
        p["figures"] = [dict(zip(FIELDS, f)) for f in p["figures"]]
    return paragraphs


def _key(value_text: str, unit: str) -> tuple[float, str]:
    return round(abs(parse_number(str(value_text))), 6), unit


def evaluate(paragraphs: list[dict], vocabulary: Vocabulary) -> dict:
    """Counts and rates per split (dev, holdout, all), and the misses for --show."""
    out = {}
    for split in ("dev", "holdout", "all"):
        chosen = [p for p in paragraphs if split == "all" or p["split"] == split]
        proposed = matched = expected = 0
        right = dict.fromkeys(SCORED, 0)
        scored = dict.fromkeys(SCORED, 0)
        misses = []
        for p in chosen:
            found = extract(p["text"], p["year"], vocabulary).to_dict("records")
            proposed += len(found)
            expected += len(p["figures"])
            free = list(found)
            for want in p["figures"]:
                hit = next((c for c in free if _key(c["value_text"], c["unit"]) == _key(want["value_text"], want["unit"])), None)
                if hit is None:
                    misses.append((p["id"], "missed", want))
                    continue
                free.remove(hit)
                matched += 1
                for f in SCORED:
                    if f == "indicator" and not want[f]:
                        continue
                    scored[f] += 1
                    ok = str(hit[f]) == str(want[f])
                    right[f] += ok
                    if not ok:
                        misses.append((p["id"], f, f"{want['value_text']}{want['unit']}: {hit[f]!r} ≠ {want[f]!r}"))
            misses += [(p["id"], "extra", f"{c['value_text']}{c['unit']} in {c['quote'][:30]}") for c in free]
        out[split] = {
            "paragraphs": len(chosen), "expected": expected, "proposed": proposed, "matched": matched,
            "precision": matched / proposed if proposed else 0.0, "recall": matched / expected if expected else 0.0,
            "fields": {f: right[f] / scored[f] if scored[f] else 0.0 for f in SCORED}, "misses": misses,
        }
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list misses, extras and wrong guesses")
    args = parser.parse_args(argv)
    result = evaluate(load(), Vocabulary.from_db(db_path()))
    print(f"{'split':6} {'paras':>5} {'expected':>8} {'proposed':>8} {'matched':>7} {'precision':>9} {'recall':>6}  "
          + " ".join(f"{f:>9}" for f in SCORED))
    for split, r in result.items():
        print(f"{split:6} {r['paragraphs']:5} {r['expected']:8} {r['proposed']:8} {r['matched']:7} "
              f"{r['precision']:9.1%} {r['recall']:6.1%}  " + " ".join(f"{r['fields'][f]:9.0%}" for f in SCORED))
    if args.show:
        for pid, kind, what in result["all"]["misses"]:
            print(f"  {pid} {kind}: {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
