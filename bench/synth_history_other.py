"""A second labelled synthetic history, of other shapes than bench/synth_history.py: benchmarks only.

    python bench/synth_history_other.py --out DIR [--firms 1600] [--peers 64] [--years 10] [--seed 0]

DIR becomes a copy of data/ (never data/ itself) with two import batches per month:

- a firms' table (合成企业月报): 1,600 合成企业NNNN × 10 columns, turned into its text document by
  etl.imports.table_text itself (one `<sheet>!<cell> row｜column：value` line per cell, ≈1 MB a
  month), each figure quoting its cell's line. The sheet and columns name no year (3月产值, 1-3月,
  一季度, 截至3月末, 年末 …), so every figure is dated by its document's year; growths and profits
  are signed cells (−5.6, -5.6, －5.6, 下降5.6);
- a peers' bulletin (合成园区月报): 64 合成园区NN, one long sentence each (≈250 characters, seven
  figures: 今年以来, 1-N月 / 一季度 / 上半年 / 前三季度 / 全年, 截至N月末, 年末, 自2021年以来累计, 目前,
  近年来), and a clause per peer quoted alone whose period the sentence before gives (期间承上文).

Every period kind the data rules name appears: month, months, year, month_end, year_end, to_date,
range, as_of, unspecified. ≈2,000,000 figures with the defaults. Titles, texts, entities,
indicators and notes are marked 合成 / synthetic; deterministic for a seed.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl import vocab  # noqa: E402
from etl.imports import table_text  # noqa: E402
from bench.synth_history import fresh_copy  # noqa: E402  (only the safe copy: the shapes are its own)
from etl.inputs import DATA_DIR, IMPORTS  # noqa: E402

MARK = "合成"
NOTE = "合成数据，仅供测试"
START_YEAR = 2031  # after synth_history's years and every real document: no shared period
SHEET = "企业月报"  # the table's name: its lines start 企业月报!B2
MINUSES = ("−", "-", "－")  # a table's minus as Excel, a CSV and a full-width font write it
QUARTERS = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}
# (indicator, 中文, English, topic) the history adds in its first batch
NEW_INDICATORS = (("syn_firm_revenue", "合成企业营业收入", "Synthetic firm revenue", "clusters"),
                  ("syn_firm_profit", "合成企业利润总额", "Synthetic firm profit", "clusters"),
                  ("syn_firm_employees", "合成企业从业人员", "Synthetic firm employees", "clusters"),
                  ("syn_firm_assets", "合成企业资产总计", "Synthetic firm assets", "clusters"),
                  ("syn_firm_tax", "合成企业税收", "Synthetic firm tax", "clusters"),
                  ("syn_projects_signed", "合成签约项目", "Synthetic projects signed", "projects"),
                  ("syn_market_entities", "合成市场主体", "Synthetic market entities", "economy"),
                  ("syn_high_tech_firms", "合成高新技术企业", "Synthetic high-tech firms", "economy"))
ENTITY_COLUMNS = ("entity", "kind", "name_en", "source_id", "quote")
SOURCE_COLUMNS = ("source_id", "file", "title_zh", "title_en", "short_zh", "short_en", "year", "kind", "note")


def _write_csv(path: Path, header, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _span(month: int) -> tuple[str, str]:
    """(words, period suffix) of the year to date: 1-5月 / 一季度 / 全年; January is the month itself."""
    if month in QUARTERS:
        return QUARTERS[month], "" if month == 12 else QUARTERS[month]
    return (f"1-{month}月", f"1-{month}月") if month > 1 else ("1月", "1月")


def _signed(rng: random.Random, mean: float, spread: float) -> tuple[str, str, str]:
    """(cell as written, value_text, value) of a signed figure: a table's minus or 下降 for a fall."""
    x = round(rng.gauss(mean, spread), 1) or 0.1
    text = f"{abs(x):.1f}"
    if x > 0:
        return text, text, text
    if rng.random() < 0.25:
        return f"下降{text}", text, f"-{text}"
    written = rng.choice(MINUSES) + text
    return written, written, f"-{text}"


def _figure(fid, source_id, quote, value_text, value, unit, entity, indicator, measure, period, topic, note=NOTE):
    return (fid, source_id, quote, value_text, value, unit, "", entity, indicator, measure, "actual", period, topic,
            "", note)


def _firm_table(rng: random.Random, firms: int, year: int, month: int, source_id: str):
    """(table text as etl.imports.table_text writes it, figure rows): one line per cell."""
    words, suffix = _span(month)
    ytd = f"{year}年{suffix}" if month != 12 else f"{year}年"
    at_end = (f"{year}年末", "年末") if month == 12 else (f"{year}年{month}月末", f"{month}月末")
    # (header, indicator, measure, unit, period, topic, signed?)
    columns = [(f"{month}月产值（亿元）", "output_value", "level", "亿元", f"{year}年{month}月", False),
               (f"{month}月产值同比（%）", "output_value", "growth", "%", f"{year}年{month}月", True),
               (f"{words}产值（亿元）", "output_value", "level", "亿元", ytd, False),
               (f"{words}产值同比（%）", "output_value", "growth", "%", ytd, True),
               (f"{words}营业收入（亿元）", "syn_firm_revenue", "level", "亿元", ytd, False),
               (f"{words}营业收入同比（%）", "syn_firm_revenue", "growth", "%", ytd, True),
               (f"{words}利润总额（万元）", "syn_firm_profit", "level", "万元", ytd, True),
               (f"截至{at_end[1]}从业人员（人）", "syn_firm_employees", "count", "人", at_end[0], False),
               (f"截至{at_end[1]}资产总计（亿元）", "syn_firm_assets", "level", "亿元", at_end[0], False),
               (f"{words}税收（万元）", "syn_firm_tax", "level", "万元", ytd, False)]
    grid = [["企业名称（合成）", *(c[0] for c in columns)]]
    cells = []
    for i in range(1, firms + 1):
        row = [f"{MARK}企业{i:04d}"]
        for c, (_, indicator, measure, unit, period, signed) in enumerate(columns):
            if signed:
                cell, value_text, value = _signed(rng, 60.0 if unit == "万元" else 5.0, 80.0 if unit == "万元" else 8.0)
            elif measure == "count":
                cell = value_text = value = str(rng.randint(20, 3000))
            else:
                cell = value_text = value = f"{rng.uniform(0.05, 40):.2f}"
            row.append(cell)
            cells.append((i, c, value_text, value, unit, indicator, measure, period))
        grid.append(row)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(grid)
    text, problems = table_text(f"{SHEET}.csv", out.getvalue().encode("utf-8"))
    assert not problems, problems
    lines = {line.split(" ", 1)[0]: line for line in text.splitlines()[1:]}  # 企业月报!B2 → its line
    from openpyxl.utils import get_column_letter
    figures = []
    for i, c, value_text, value, unit, indicator, measure, period in cells:
        quote = lines[f"{SHEET}!{get_column_letter(c + 2)}{i + 1}"]
        figures.append(_figure(f"so{year}{month:02d}_f{i:04d}_c{c:02d}", source_id, quote, value_text, value, unit,
                               f"{MARK}企业{i:04d}", indicator, measure, period, "clusters"))
    return text, figures


def _peer_bulletin(rng: random.Random, peers: int, year: int, month: int, source_id: str):
    """(sentences, figure rows): per peer one long sentence of seven figures, and a clause quoted alone."""
    words, suffix = _span(month)
    ytd = f"{year}年{suffix}" if month != 12 else f"{year}年"
    lines, figures = [], []
    for p in range(1, peers + 1):
        name, fid = f"{MARK}园区{p:02d}", f"so{year}{month:02d}_p{p:02d}"
        growth = _signed(rng, 6.0, 5.0)[2]  # a sentence writes a fall in words: 同比下降2.3%
        growth_text = growth.lstrip("-")
        rises = "同比" + ("下降" if growth.startswith("-") else "增长") + growth_text
        signed_count, revenue, market, firms_ht, total, yearly = (rng.randint(3, 60), f"{rng.uniform(0.5, 30):.2f}",
                                                                  rng.randint(2000, 90000), rng.randint(20, 400),
                                                                  rng.randint(30, 900), f"{rng.uniform(1, 15):.1f}")
        end_words, end_period = ("年末", f"{year}年末") if month == 12 else (f"截至{month}月末", f"{year}年{month}月末")
        sentence = (f"{name}坚持项目为王、产业为基，聚焦高端装备、新材料、生物医药三大主导产业，持续深化放管服改革，"
                    f"狠抓重点项目建设和招商引资（{MARK}），今年以来累计签约项目{signed_count}个，"
                    f"{words}实现规上工业增加值{rises}%，一般公共预算收入完成{revenue}亿元，"
                    f"{end_words}市场主体达到{market}家，目前现有高新技术企业{firms_ht}家，"
                    f"自2021年以来累计引进项目{total}个，近年来营业收入年均增长{yearly}%，"
                    f"营商环境满意度持续提升，各项指标保持在全市前列（{MARK}）。")
        clause = f"{name}规上工业企业营业收入同比增长{yearly}%（{MARK}）"
        lines += [sentence, f"{words}，{clause}。"]
        figures += [
            _figure(f"{fid}_signed", source_id, sentence, str(signed_count), str(signed_count), "个", name,
                    "syn_projects_signed", "count", f"{year}年以来", "projects"),
            _figure(f"{fid}_va", source_id, sentence, growth_text, growth, "%", name, "industrial_va", "growth",
                    ytd, "economy"),
            _figure(f"{fid}_revenue", source_id, sentence, revenue, revenue, "亿元", name, "public_budget_revenue",
                    "level", ytd, "economy"),
            _figure(f"{fid}_market", source_id, sentence, str(market), str(market), "家", name, "syn_market_entities",
                    "count", end_period, "economy"),
            _figure(f"{fid}_hightech", source_id, sentence, str(firms_ht), str(firms_ht), "家", name,
                    "syn_high_tech_firms", "count", f"截至{year}年", "economy"),
            _figure(f"{fid}_total", source_id, sentence, str(total), str(total), "个", name, "syn_projects_signed",
                    "count", f"2021-{year}年", "projects"),
            _figure(f"{fid}_yearly", source_id, sentence, yearly, yearly, "%", name, "syn_firm_revenue", "growth",
                    f"期间未注明（{year}年文件）", "economy"),
            _figure(f"{fid}_clause", source_id, clause, yearly, yearly, "%", name, "syn_firm_revenue", "growth",
                    ytd, "economy", note=f"期间承上文“{words}”；{NOTE}"),
        ]
    return lines, figures


def _source(source_id: str, title: str, title_en: str, year: int) -> tuple:
    return (source_id, "source.txt", title, title_en, title[:16], title_en[:24], str(year), "bulletin", NOTE)


def _batch(folder: Path, source: tuple, text: str, figures: list, when: str, extra: dict | None = None) -> None:
    folder.mkdir(parents=True)
    (folder / "source.txt").write_text(text, encoding="utf-8")
    _write_csv(folder / "sources.csv", SOURCE_COLUMNS, [source])
    _write_csv(folder / "figures.csv", vocab.FIGURE_COLUMNS, figures)
    for table, (header, rows) in (extra or {}).items():
        _write_csv(folder / f"{table}.csv", header, rows)
    meta = {"committed_at": when, "committed_by": f"{MARK} synthetic", "file": f"{source[0]}.csv",
            "source_id": source[0], "rows": len(figures), "added": len(figures), "changed": 0, "unchanged": 0}
    (folder / "batch.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")


def write_history(out: Path, data: Path = DATA_DIR, firms: int = 1600, peers: int = 64, years: int = 10,
                  seed: int = 0) -> dict[str, int]:
    """Copy `data` to `out` and add the batches; the rows written per table (and batches)."""
    out = fresh_copy(out, data)
    rng = random.Random(seed)
    counts = {"figures": 0, "sources": 0, "entities": 0, "indicators": 0, "batches": 0}
    names = [(f"{MARK}企业{i:04d}", "enterprise", f"Synthetic firm {i:04d}") for i in range(1, firms + 1)]
    names += [(f"{MARK}园区{p:02d}", "peer_zone", f"Synthetic zone {p:02d}") for p in range(1, peers + 1)]
    for t in range(years * 12):
        year, month = START_YEAR + t // 12, t % 12 + 1
        pub = f"{year + (month == 12)}{month % 12 + 1:02d}15"  # published the next month: folder order
        when = f"{pub[:4]}-{pub[4:6]}-15T00:00:00+00:00"
        table_id, bulletin_id = f"so_{year}_{month:02d}_table", f"so_{year}_{month:02d}_bulletin"
        text, figures = _firm_table(rng, firms, year, month, table_id)
        extra = {}
        if t == 0:  # the firms and peers, named in the first table's document, and the new indicators
            intro = [f"{MARK}名录：{e}，{en}（synthetic）" for e, _, en in names]
            text += "\n".join(intro) + "\n"
            extra = {"entities": (ENTITY_COLUMNS, [(e, kind, en, table_id, q) for (e, kind, en), q in zip(names, intro)]),
                     "indicators": (("indicator", "name_zh", "name_en", "topic"), NEW_INDICATORS)}
            counts["entities"], counts["indicators"] = len(names), len(NEW_INDICATORS)
        _batch(out / IMPORTS / f"{pub}T000000Z-synthetic-table",
               _source(table_id, f"{MARK}企业月报 {year}年{month}月（synthetic）",
                       f"Synthetic firms' table {year}-{month:02d}", year), text, figures, when, extra)
        lines, peer_figures = _peer_bulletin(rng, peers, year, month, bulletin_id)
        title = f"{MARK}园区月报 {year}年{month}月（synthetic）"
        _batch(out / IMPORTS / f"{pub}T000001Z-synthetic-bulletin",
               _source(bulletin_id, title, f"Synthetic peers' bulletin {year}-{month:02d}", year),
               "\n".join([title, f"本文为{MARK}数据，仅供测试（synthetic）。", *lines]) + "\n", peer_figures, when)
        counts["figures"] += len(figures) + len(peer_figures)
        counts["sources"] += 2
        counts["batches"] += 2
    return counts


def import_batch(rows: int = 30, peers: int = 64, years: int = 10, seed: int = 0) -> tuple[str, dict, str]:
    """An analyst's next peers' bulletin after the history (January of the year after it):
    (figures CSV of its first `rows` figures, the source form's fields, the source text)."""
    year, month = START_YEAR + years, 1
    source_id = f"so_{year}_{month:02d}_import"
    lines, figures = _peer_bulletin(random.Random(seed + 1), peers, year, month, source_id)
    figures = [(f"{f[0]}_import", *f[1:]) for f in figures[:rows]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([vocab.FIGURE_COLUMNS, *figures])
    title = f"{MARK}园区月报 {year}年{month}月（synthetic）"
    meta = dict(zip(SOURCE_COLUMNS, _source(source_id, title, f"Synthetic peers' bulletin {year}-{month:02d}", year)))
    meta.pop("file")
    return out.getvalue(), meta, "\n".join([title, *lines]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="a new folder (a copy of data/ plus the batches)")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="the data folder to copy")
    parser.add_argument("--firms", type=int, default=1600)
    parser.add_argument("--peers", type=int, default=64)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = write_history(args.out, args.data, args.firms, args.peers, args.years, args.seed)
    print(f"wrote {args.out} in {time.perf_counter() - started:.1f}s: "
          + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
