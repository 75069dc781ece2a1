"""A throw-away copy of data/ with synthetic (合成) sources of every kind the import offers, each with
its own text and figures, built into a database under a temporary folder. Never in data/.

The texts are shaped as the real ones are: "#" headings, runs of blank lines, a sentence broken
across lines and one with ** marks inside, so that the document view and its highlight are tested
on what the documents really hold."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

from etl import vocab
from etl.build import DATA_DIR, build

ZONE, INDICATOR, UNIT = "开发区", "trade", "亿元"


def sentence(year: int, month: int, value: str) -> str:
    return f"{year}年{month}月，全区进出口总额完成{value}亿元"


def synthetic_data(root: Path, figures_per_kind: int = 2, first_year: int = 2031) -> tuple[Path, Path]:
    """data/ plus one synthetic source per vocab.SOURCE_KINDS, with `figures_per_kind` monthly
    figures each (distinct months from `first_year`); returns (data folder, built database)."""
    data = root / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", "imports"))
    sources, figures, month = [], [], 0
    for kind in vocab.SOURCE_KINDS:
        source_id = f"synth_{kind}"
        lines = [f"# 合成{kind}文件（测试用）", "", "", "", "## 一、进出口", ""]
        for i in range(figures_per_kind):
            year, m = first_year + month // 12, month % 12 + 1
            month += 1
            value = f"{10 + month}.{month % 10}"
            text = sentence(year, m, value)
            if i == 0:  # as a slide flattens it: the sentence broken over two lines, a bold mark inside
                text = text.replace("全区", "全区\n").replace("进出口总额", "**进出口总额**")
            lines += [text + "。", "", "", ""]
            figures.append({"figure_id": f"synth_{kind}_{year}m{m}", "source_id": source_id,
                            "quote": sentence(year, m, value), "value_text": value, "value": value,
                            "unit": UNIT, "qualifier": "", "entity": ZONE, "indicator": INDICATOR,
                            "measure": "level", "basis": "actual", "period": f"{year}年{m}月", "topic": "trade",
                            "rank_total": "", "note": "合成数据"})
        (data / "sources" / f"{source_id}.txt").write_text("\n".join(lines), encoding="utf-8")
        sources.append({"source_id": source_id, "file": f"sources/{source_id}.txt",
                        "title_zh": f"合成{kind}文件（测试用）", "title_en": f"Synthetic {kind} (test)",
                        "short_zh": f"合成{kind}", "short_en": f"synthetic {kind}", "year": str(first_year),
                        "kind": kind, "note": "合成数据，仅供测试"})
    append(data / "sources.csv", sources)
    write(data / "figures" / "synthetic.csv", figures)
    db = root / "etdz.duckdb"
    build(data, db)
    return data, db


def append(path: Path, rows: list[dict]) -> None:
    with path.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, header).writerows(rows)


def write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
