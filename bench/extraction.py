"""Precision and recall of candidate extraction (etl/extract.py) on hand-written paragraphs
and on real published texts (tests/fixtures/real_texts/: their address, title and labels).

    python bench/extraction.py [--show] [--real-only]

Real texts, per text: precision, recall, each field's accuracy over matched figures, how many
matched rows the page's check (etl.imports.check, the build's validator) refuses although every
field is right (an empty indicator aside), and how many rows with a wrong entity nothing holds back:
no 主体待确认 flag, no refusal of the entity column.

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
REAL = ROOT / "tests" / "fixtures" / "real_texts"
REAL_FIELDS = ["value_text", "unit", "qualifier", "measure", "basis", "period", "entity", "indicator"]
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


def load_real(folder: Path = REAL) -> list[dict]:
    """[{id, title, url, year, text, figures}] of the real texts: header lines `# key: value` above `---`."""
    texts = []
    for path in sorted(folder.glob("*.txt")):
        head, text = path.read_text(encoding="utf-8").split("\n---\n", 1)
        meta = dict(line[2:].split(": ", 1) for line in head.splitlines() if line.startswith("# "))
        labels = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
        texts.append({"id": path.stem, "title": meta["title"], "url": meta["url"],
                      "split": meta.get("split", "dev").split()[0],
                      "year": int(meta["year"].split()[0]), "text": text,
                      "figures": [dict(zip(REAL_FIELDS, map(str, f))) for f in labels]})
    return texts


def _same_field(field: str, got, want: str) -> bool:
    """A period is right when it is the same span (2015年1-6月 = 2015年上半年); any other field as written."""
    if str(got) == want:
        return True
    if field == "period":
        from etl.periods import parse_period
        try:
            return parse_period(str(got)) == parse_period(want)
        except ValueError:
            return False
    return False


def _flag(candidate: dict) -> str:
    return str(candidate.get("entity_flag") or "")


def check_candidates(doc: dict, found, db: Path, data: Path) -> dict[int, list[str]]:
    """What the page's check says of each candidate row (all accepted), as the problems' codes by row."""
    from etl import imports
    from etl.extract import to_figures
    figures = to_figures(found.assign(accept=True), "bench_" + doc["id"])
    meta = {"source_id": "bench_" + doc["id"], "title_zh": doc["title"], "title_en": doc["id"],
            "short_zh": doc["id"], "short_en": doc["id"], "year": str(doc["year"]), "kind": "report",
            "note": doc["url"]}
    upload = imports.Upload(doc["id"] + ".csv", {"figures": figures})
    result = imports.check(upload, imports.new_source(meta, doc["text"]), data, db)
    by_row: dict[int, list[str]] = {}
    for p in result.problems:
        by_row.setdefault(p.line - 2, []).append(f"{p.code}:{p.column}")
    return by_row


def evaluate_real(texts: list[dict], vocabulary: Vocabulary, db: Path | None = None, data: Path | None = None) -> dict:
    """Per text (and all): counts, rates, field accuracy, refused right rows, wrong-entity rows let through."""
    from etl.inputs import DATA_DIR
    db, data = db or db_path(), data or DATA_DIR
    out, total = {}, None
    for doc in texts:
        found = extract(doc["text"], doc["year"], vocabulary)
        rows = found.to_dict("records")
        problems = check_candidates(doc, found, db, data) if rows else {}
        free = list(range(len(rows)))
        r = {"expected": len(doc["figures"]), "proposed": len(rows), "matched": 0,
             "right": dict.fromkeys(REAL_FIELDS, 0), "scored": dict.fromkeys(REAL_FIELDS, 0),
             "refused_right": 0, "wrong_entity_passing": 0, "flagged": sum(bool(_flag(c)) for c in rows),
             "refusals": {}, "misses": []}
        for want in doc["figures"]:
            i = next((i for i in free if _key(rows[i]["value_text"], rows[i]["unit"]) == _key(want["value_text"], want["unit"])), None)
            if i is None:
                r["misses"].append(("missed", f"{want['value_text']}{want['unit']}"))
                continue
            free.remove(i)
            hit = rows[i]
            r["matched"] += 1
            all_right = True
            for f in REAL_FIELDS:
                if f == "indicator" and not want[f]:
                    continue
                r["scored"][f] += 1
                ok = _same_field(f, hit[f], want[f])
                r["right"][f] += ok
                all_right &= ok
                if not ok:
                    r["misses"].append((f, f"{want['value_text']}{want['unit']}: {hit[f]!r} ≠ {want[f]!r}"))
            refused = problems.get(i, [])
            for code in refused:
                r["refusals"][code] = r["refusals"].get(code, 0) + 1
            # a right row: every field right; an empty indicator the analyst must still pick, and the hold of a
            # 主体待确认 row until the analyst confirms its entity (counted as flagged), are not held against it
            # (nor is an entity the analyst must register first, 全市五个省级园区: unknown_ref when it is right)
            excused = {"missing_value:indicator", "entity_unconfirmed:entity"}
            if want["entity"] not in vocabulary.entity_kinds:
                excused.add("unknown_ref:entity")
            if all_right and [c for c in refused if c not in excused]:
                r["refused_right"] += 1
                r["misses"].append(("refused", f"{want['value_text']}{want['unit']}: {refused}"))
            # wrong entity, and nothing in the check holds it back for its entity (the row's other problems,
            # a period or an empty indicator, are what an analyst fixes, and then it would pass)
            if hit["entity"] != want["entity"] and not _flag(hit) and not [c for c in refused if c.endswith(":entity")]:
                r["wrong_entity_passing"] += 1
                r["misses"].append(("wrong entity passing", f"{want['value_text']}{want['unit']}: {hit['entity']!r}"))
        for i in free:
            r["misses"].append(("extra", f"{rows[i]['value_text']}{rows[i]['unit']} in {rows[i]['quote'][:30]}"))
        out[doc["id"]] = r
    total = _sum(list(out.values()))
    out["all"] = total
    held = [doc["id"] for doc in texts if doc.get("split") == "holdout"]
    if held:
        out["holdout"] = _sum([out[n] for n in held])
    for r in out.values():
        r["precision"] = r["matched"] / r["proposed"] if r["proposed"] else 0.0
        r["recall"] = r["matched"] / r["expected"] if r["expected"] else 0.0
        r["fields"] = {f: r["right"][f] / r["scored"][f] if r["scored"][f] else None for f in REAL_FIELDS}
    return out


def _sum(results: list[dict]) -> dict:
    total = {"expected": 0, "proposed": 0, "matched": 0, "right": dict.fromkeys(REAL_FIELDS, 0),
             "scored": dict.fromkeys(REAL_FIELDS, 0), "refused_right": 0, "wrong_entity_passing": 0, "flagged": 0,
             "refusals": {}, "misses": []}
    for r in results:
        for k in ("expected", "proposed", "matched", "refused_right", "wrong_entity_passing", "flagged"):
            total[k] += r[k]
        for f in REAL_FIELDS:
            total["right"][f] += r["right"][f]
            total["scored"][f] += r["scored"][f]
        for code, n in r["refusals"].items():
            total["refusals"][code] = total["refusals"].get(code, 0) + n
    return total


def _rate(v) -> str:
    return f"{v:6.0%}" if v is not None else f"{'—':>6}"  # — : no figure of the text has one (indicator "")


SHORT = {"value_text": "value", "qualifier": "qual", "indicator": "indic"}


def print_real(result: dict, show: bool = False) -> None:
    print(f"{'text':26} {'exp':>3} {'prop':>4} {'match':>5} {'prec':>6} {'recall':>6}  "
          + " ".join(f"{SHORT.get(f, f):>6}" for f in REAL_FIELDS) + "  refused-right  wrong-entity-passing  flagged")
    for name, r in result.items():
        print(f"{name:26} {r['expected']:3} {r['proposed']:4} {r['matched']:5} {r['precision']:6.1%} {r['recall']:6.1%}  "
              + " ".join(_rate(r["fields"][f]) for f in REAL_FIELDS)
              + f"  {r['refused_right']:13} {r['wrong_entity_passing']:21} {r['flagged']:8}")
    print("holdout: texts labelled before the extractor was run on them and not used to change it")
    print("check's refusals of matched rows (all texts):",
          ", ".join(f"{k} {v}" for k, v in sorted(result["all"]["refusals"].items(), key=lambda kv: -kv[1])) or "none")
    if show:
        for name, r in result.items():
            if name not in ("all", "holdout"):
                for kind, what in r["misses"]:
                    print(f"  {name} {kind}: {what}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list misses, extras and wrong guesses")
    parser.add_argument("--real-only", action="store_true", help="only the real published texts")
    args = parser.parse_args(argv)
    vocabulary = Vocabulary.from_db(db_path())
    print_real(evaluate_real(load_real(), vocabulary), args.show)
    if args.real_only:
        return 0
    print()
    result = evaluate(load(), vocabulary)
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
