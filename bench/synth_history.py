"""A labelled synthetic history as analysts' import batches, for benchmarks and tests only.

    python bench/synth_history.py --size small|medium|large --out DIR [--seed 0]

DIR becomes a copy of data/ (never data/ itself) with one batch per month under
DIR/imports/<batch>/: figures.csv, sources.csv + source.txt (a 合成月报 whose sentences hold
every quoted figure verbatim), batch.json, and in the first batch the synthetic peers and firms
(entities.csv) and the firm indicators (indicators.csv). Build it with
`ETDZ_DATA=DIR ETDZ_DB=DIR/etdz.duckdb python -m etl.build`.

Sizes (rows of figures):
  small   ≈1,000: 2 years monthly, the zone, the city and 2 peers, 3 indicators
  medium ≈40,000: 10 years monthly, the zone, the city and 10 peers, 8 indicators
  large ≈2,000,000: medium plus 1,600 firms × 3 indicators, 120 months

Per entity and indicator a month gives the single month (2025年3月), the year to date
(2025年1-3月, from February) and, in December, the year (2025年); an indicator with levels
gives level and growth in one sentence, a growth-only one (增速) the growth alone. Everything is
marked 合成 / synthetic: titles, texts, peers, firms, notes. Deterministic for a seed.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl import vocab  # noqa: E402
from etl.inputs import DATA_DIR, IMPORTS  # noqa: E402

MARK = "合成"
NOTE = "合成数据，仅供测试"
START_YEAR = 2025  # after every real document, so no synthetic figure shares a period with a real one


@dataclass(frozen=True)
class Indicator:
    indicator: str
    words: str  # as the sentence names it
    unit: str  # of the level; growth is in %
    topic: str
    base: float  # a typical monthly level
    levels: bool = True  # False: the zone reports its growth only (增速)


ZONE_INDICATORS = (
    Indicator("trade", "进出口总额", "亿元", "trade", 9.0),
    Indicator("retail_sales", "限额以上零售额", "亿元", "economy", 4.0),
    Indicator("industrial_va", "规上工业增加值", "", "economy", 1.0, levels=False),
    Indicator("fdi", "实际利用外资", "万美元", "trade", 600.0),
    Indicator("public_budget_revenue", "一般公共预算收入", "亿元", "economy", 1.5),
    Indicator("fixed_asset_investment", "固定资产投资", "亿元", "economy", 12.0),
    Indicator("above_scale_manufacturing_revenue", "规模以上制造业营业收入", "亿元", "economy", 60.0),
    Indicator("tech_reform_investment", "制造业技改投资", "", "economy", 1.0, levels=False),
)
FIRM_INDICATORS = (
    Indicator("output_value", "产值", "亿元", "clusters", 0.8),
    Indicator("firm_revenue", "营业收入", "亿元", "clusters", 0.9),
    Indicator("industrial_va", "工业增加值", "", "clusters", 1.0, levels=False),
)
# Indicators the firms need that data/indicators.csv lacks (added by the first batch).
NEW_INDICATORS = (("firm_revenue", "企业营业收入", "Firm revenue", "clusters"),)


@dataclass(frozen=True)
class Size:
    years: int
    peers: int
    zone_indicators: tuple[str, ...]
    firms: int = 0


SIZES = {
    "small": Size(2, 2, ("trade", "retail_sales", "industrial_va")),
    "medium": Size(10, 10, tuple(i.indicator for i in ZONE_INDICATORS)),
    "large": Size(10, 10, tuple(i.indicator for i in ZONE_INDICATORS), firms=1600),
}


@dataclass(frozen=True)
class Entity:
    entity: str  # as the data and the sentences name it
    code: str  # in figure ids
    kind: str
    name_en: str
    scale: float  # its size relative to the zone


def entities(size: Size) -> list[Entity]:
    out = [Entity("开发区", "z", "zone", "", 1.0), Entity("全市", "c", "city", "", 8.0)]
    out += [Entity(f"合成园区{i:02d}", f"p{i:02d}", "peer_zone", f"Synthetic zone {i:02d}", 0.5 + 0.1 * i)
            for i in range(1, size.peers + 1)]
    out += [Entity(f"合成企业{i:04d}", f"f{i:04d}", "enterprise", f"Synthetic firm {i:04d}", 0.2 + (i % 17) / 10)
            for i in range(1, size.firms + 1)]
    return out


def _growth(growth: float) -> tuple[str, str, str]:
    """(words, value_text, value): a fall is written 下降 and stored negative (data rules)."""
    text = f"{abs(growth):.1f}"
    fall = growth < 0 and text != "0.0"
    return ("同比下降" if fall else "同比增长") + text + "%", text, ("-" if fall else "") + text


class Series:
    """One entity × indicator: monthly levels with trend, season and noise; growth from them."""

    def __init__(self, rng: random.Random, base: float, months: int):
        trend = rng.uniform(0.02, 0.12) / 12
        phase = rng.uniform(0, 2 * math.pi)
        self.levels = [base * math.exp(trend * t) * (1 + 0.15 * math.sin(2 * math.pi * t / 12 + phase))
                       * rng.uniform(0.9, 1.1) for t in range(months + 12)]  # 12 months before the first
        self.growth_only = [rng.gauss(6, 5) for _ in range(months)]

    def month(self, t: int) -> tuple[float, float]:
        level = self.levels[t + 12]
        return level, (level / self.levels[t] - 1) * 100

    def to_date(self, t: int) -> tuple[float, float]:
        m = t % 12
        now = sum(self.levels[t + 12 - m:t + 13])
        before = sum(self.levels[t - m:t + 1])
        return now, (now / before - 1) * 100


def _rows(ent: Entity, ind: Indicator, series: Series, t: int, year: int, month: int):
    """(sentence, figure rows) of one entity × indicator for month t."""
    spans = [("m", f"{year}年{month}月", series.month(t))]
    if month > 1:
        spans.append(("ytd", f"{year}年1-{month}月", series.to_date(t)))
    if month == 12:
        spans.append(("y", f"{year}年", series.to_date(t)))
    for span, period, (level, growth) in spans:
        fid = f"syn{year}{month:02d}_{ent.code}_{ind.indicator}_{span}"
        row = (ent.entity, ind.indicator, period, ind.topic)
        if ind.levels:
            level_text = f"{level * ent.scale:.2f}"
            words, growth_text, value = _growth(growth)
            quote = f"{period}，{ent.entity}{ind.words}完成{level_text}{ind.unit}，{words}（{MARK}）"
            yield quote, [(f"{fid}_level", quote, level_text, level_text, ind.unit, "level", *row),
                          (f"{fid}_growth", quote, growth_text, value, "%", "growth", *row)]
        else:  # the year to date and the year (1-12月 = 年) share one figure's value
            words, growth_text, value = _growth(series.growth_only[t] + (0 if span == "m" else 0.3))
            quote = f"{period}，{ent.entity}{ind.words}{words}（{MARK}）"
            yield quote, [(f"{fid}_growth", quote, growth_text, value, "%", "growth", *row)]


ENTITY_COLUMNS = ("entity", "kind", "name_en", "source_id", "quote")
SOURCE_COLUMNS = ("source_id", "file", "title_zh", "title_en", "short_zh", "short_en", "year", "kind", "note")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _write_csv(path: Path, header, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def fresh_copy(out: Path, data: Path = DATA_DIR) -> Path:
    """`out` as a new copy of `data` without its database and imports: never data/ itself, nor inside it."""
    out = Path(out)
    if out.resolve() == Path(data).resolve() or out.resolve().is_relative_to(DATA_DIR.resolve()):
        raise ValueError(f"refusing to write synthetic data into {out}")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(data, out, ignore=shutil.ignore_patterns("*.duckdb*", IMPORTS))
    return out


def _write_figures(batch: Path, source_id: str, figures: list[tuple], committed_at: str) -> None:
    """A batch's figures.csv and its batch.json, as a commit through the page writes them."""
    _write_csv(batch / "figures.csv", vocab.FIGURE_COLUMNS, figures)
    meta = {"committed_at": committed_at, "committed_by": f"{MARK} synthetic", "file": f"{source_id}.csv",
            "source_id": source_id, "rows": len(figures), "added": len(figures), "changed": 0, "unchanged": 0}
    (batch / "batch.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")


def _month_batch(out: Path, start_year: int, t: int, name: str) -> tuple[int, int, Path, str]:
    """(year, month) of month t from start_year, its new batch folder and commit time, published in the
    next month: folder order is commit order (etl.inputs.batch_dirs)."""
    year, month = start_year + t // 12, t % 12 + 1
    pub_year, pub_month = (year, month + 1) if month < 12 else (year + 1, 1)
    batch = out / IMPORTS / f"{pub_year}{pub_month:02d}15T000000Z-{name}"
    batch.mkdir(parents=True)
    return year, month, batch, f"{pub_year}-{pub_month:02d}-15T00:00:00+00:00"


def write_history(size: str, out: Path, data: Path = DATA_DIR, seed: int = 0,
                  start_year: int = START_YEAR) -> dict[str, int]:
    """Copy `data` to `out` and add the synthetic batches; the rows written per table (and batches)."""
    spec = SIZES[size]
    out = fresh_copy(out, data)
    rng = random.Random(seed)
    ents = entities(spec)
    by_name = {i.indicator: i for i in ZONE_INDICATORS}
    plan = [(e, by_name[name]) for e in ents if e.kind != "enterprise" for name in spec.zone_indicators]
    plan += [(e, ind) for e in ents if e.kind == "enterprise" for ind in FIRM_INDICATORS]
    months = spec.years * 12
    series = {(e.code, ind.indicator): Series(rng, ind.base, months) for e, ind in plan}
    counts = {"figures": 0, "sources": 0, "entities": 0, "indicators": 0, "batches": 0}
    for t in range(months):
        year, month, batch, committed_at = _month_batch(out, start_year, t, "synthetic")
        source_id = f"syn_{year}_{month:02d}"
        title = f"{MARK}月报 {year}年{month}月（synthetic）"
        lines, figures = [title, f"本文为{MARK}数据，仅供测试，不是任何文件的内容（synthetic）。"], []
        if t == 0:
            named = [e for e in ents if e.name_en]
            intro = {e.entity: f"{MARK}对比对象：{e.entity}，{e.name_en}（synthetic）" for e in named}
            lines += intro.values()
            _write_csv(batch / "entities.csv", ENTITY_COLUMNS,
                       [(e.entity, e.kind, e.name_en, source_id, intro[e.entity]) for e in named])
            counts["entities"] += len(named)
            if spec.firms:
                _write_csv(batch / "indicators.csv", ("indicator", "name_zh", "name_en", "topic"),
                           [(i, f"{zh}（{MARK}）", f"{en} (synthetic)", topic) for i, zh, en, topic in NEW_INDICATORS])
                counts["indicators"] += len(NEW_INDICATORS)
        for ent, ind in plan:
            for quote, rows in _rows(ent, ind, series[(ent.code, ind.indicator)], t, year, month):
                lines.append(quote + "。")
                figures += [(fid, source_id, q, vt, v, unit, "", e, i, measure, "actual", period, topic, "", NOTE)
                            for fid, q, vt, v, unit, measure, e, i, period, topic in rows]
        (batch / "source.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        _write_csv(batch / "sources.csv", SOURCE_COLUMNS, [(
            source_id, "source.txt", title, f"Synthetic monthly bulletin, {MONTHS_EN[month - 1]} {year}",
            f"{MARK}月报{year}年{month}月", f"Synthetic {MONTHS_EN[month - 1]} {year}", str(year), "bulletin",
            NOTE)])
        _write_figures(batch, source_id, figures, committed_at)
        counts["figures"] += len(figures)
        counts["sources"] += 1
        counts["batches"] += 1
    return counts


# ---------- a labelled history with known falls (the 预警 rules' test) ----------

FALLS_START = 2026  # a year apart from every real document (2024): no figure compares with a real one
FALLS_MONTHS = 23  # 2026年1月 … 2027年11月: the targets of 2027 have a part-year actual only


def _falls_month(year: int, month: int, peer: str) -> list[tuple]:
    """(figure_id, quote, value_text, value, unit, qualifier, entity, indicator, measure, basis, period,
    topic, rank_total) of one month: steady figures, except the falls FALLS_EXPECTED names."""
    ym, rows = (year, month), []
    fid = f"falls{year}{month:02d}"

    def add(suffix, quote, value_text, value, unit, entity, indicator, measure, period, topic, basis="actual",
            qualifier="", rank_total=""):
        rows.append((f"{fid}_{suffix}", quote, value_text, value, unit, qualifier, entity, indicator, measure,
                     basis, period, topic, rank_total))

    m_period = f"{year}年{month}月"
    growth = -2.0 if ym == (2027, 6) else 8.0  # the single month's trade falls once
    gap = -1.2 if ym == (2027, 11) else 2.0  # the newest month: below the city
    words, growth_text, value = _growth(growth)
    gap_words = f"{'低于' if gap < 0 else '高于'}全市{abs(gap):.1f}个百分点"
    quote = f"{m_period}，开发区进出口总额完成10.00亿元，{words}，{gap_words}（{MARK}）"
    add("z_trade_level", quote, "10.00", "10.00", "亿元", "开发区", "trade", "level", m_period, "trade")
    add("z_trade_growth", quote, growth_text, value, "%", "开发区", "trade", "growth", m_period, "trade")
    add("z_trade_gap", quote, f"{abs(gap):.1f}", f"{gap:.1f}", "个百分点", "开发区", "trade", "gap", m_period, "trade")
    peer_level = "11.00" if ym == (2027, 3) else "8.00"  # the peer overtakes the zone for one month
    quote = f"{m_period}，{peer}进出口总额完成{peer_level}亿元（{MARK}）"
    add("p_trade_level", quote, peer_level, peer_level, "亿元", peer, "trade", "level", m_period, "trade")
    iva = 0.5 if ym == (2027, 10) else 6.0  # 5.5 points below the month before
    words, growth_text, value = _growth(iva)
    quote = f"{m_period}，开发区规上工业增加值{words}（{MARK}）"
    add("z_iva_growth", quote, growth_text, value, "%", "开发区", "industrial_va", "growth", m_period, "economy")
    span = f"{year}年" if month == 12 else f"{year}年1-{month}月"
    if month > 1:
        rank = "5" if ym == (2027, 9) else "3"  # 2027年1-9月: two places behind 2026年1-9月
        quote = f"{span}，开发区进出口总额累计完成{10 * month}亿元，同比增长8.0%，居全市第{rank}位（{MARK}）"
        add("z_trade_ytd_level", quote, str(10 * month), str(10 * month), "亿元", "开发区", "trade", "level", span, "trade")
        add("z_trade_ytd_growth", quote, "8.0", "8.0", "%", "开发区", "trade", "growth", span, "trade")
        add("z_trade_ytd_rank", quote, rank, rank, "位", "开发区", "trade", "rank", span, "trade")
        quote = f"{span}，{peer}进出口总额累计完成{8 * month}亿元（{MARK}）"
        add("p_trade_ytd_level", quote, str(8 * month), str(8 * month), "亿元", peer, "trade", "level", span, "trade")
        quote = f"{span}，开发区规上工业增加值同比增长6.3%（{MARK}）"
        add("z_iva_ytd_growth", quote, "6.3", "6.3", "%", "开发区", "industrial_va", "growth", span, "economy")
    if ym == (2027, 1):  # the year's targets, and a forecast that must neither raise nor clear an alert
        quote = f"2027年，开发区进出口总额目标130亿元，规上工业增加值增长7%（{MARK}）"
        add("z_trade_target", quote, "130", "130", "亿元", "开发区", "trade", "level", "2027年", "targets", "target")
        add("z_iva_target", quote, "7", "7", "%", "开发区", "industrial_va", "growth", "2027年", "targets", "target")
        quote = f"开发区2027年进出口总额预计135亿元（{MARK}）"
        add("z_trade_forecast", quote, "135", "135", "亿元", "开发区", "trade", "level", "2027年", "trade",
            "expected", "预计")
    return rows


# The alerts the falls history raises (rule, the id of the first figure the alert names), today
# being within two months of its newest month; a later today adds the stale-data alert.
FALLS_EXPECTED = {
    ("growth_negative", "falls202706_z_trade_growth"),  # 同比下降2.0% after 同比增长8.0%
    ("growth_fell", "falls202710_z_iva_growth"),  # 6.0% → 0.5%
    ("gap_negative", "falls202711_z_trade_gap"),  # 低于全市1.2个百分点, the newest month
    ("rank_fell", "falls202709_z_trade_ytd_rank"),  # 第5位 against 第3位 a year earlier
    ("peer_overtook", "falls202703_z_trade_level"),  # 11.00亿元 against the zone's 10.00亿元
    ("target_at_risk", "falls202701_z_trade_target"),  # 110亿元 in 11 months of 130亿元: 20亿元 needed in one
    ("target_at_risk", "falls202701_z_iva_target"),  # 6.3% so far against 7%
}


def write_falls(out: Path, data: Path = DATA_DIR) -> dict[str, int]:
    """Copy `data` to `out` with FALLS_MONTHS monthly batches of steady figures and the known falls
    of FALLS_EXPECTED (the zone, one synthetic peer); the rows written."""
    out = fresh_copy(out, data)
    peer = Entity(f"{MARK}园区01", "p01", "peer_zone", "Synthetic zone 01", 0.8)
    counts = {"figures": 0, "batches": 0}
    for t in range(FALLS_MONTHS):
        year, month, batch, committed_at = _month_batch(out, FALLS_START, t, "falls")
        source_id = f"falls_{year}_{month:02d}"
        title = f"{MARK}月报 {year}年{month}月（synthetic, known falls）"
        lines = [title, f"本文为{MARK}数据，仅供测试（synthetic）。"]
        if t == 0:
            intro = f"{MARK}对比对象：{peer.entity}，{peer.name_en}（synthetic）"
            lines.append(intro)
            _write_csv(batch / "entities.csv", ENTITY_COLUMNS, [(peer.entity, peer.kind, peer.name_en, source_id, intro)])
        figures = []
        for fid, quote, *rest in _falls_month(year, month, peer.entity):
            if quote + "。" not in lines:
                lines.append(quote + "。")
            vt, v, unit, qual, ent, ind, measure, basis, period, topic, total = rest
            figures.append((fid, source_id, quote, vt, v, unit, qual, ent, ind, measure, basis, period, topic, total, NOTE))
        (batch / "source.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        _write_csv(batch / "sources.csv", SOURCE_COLUMNS, [(
            source_id, "source.txt", title, f"Synthetic bulletin with known falls, {MONTHS_EN[month - 1]} {year}",
            f"{MARK}月报{year}年{month}月", f"Synthetic {MONTHS_EN[month - 1]} {year}", str(year), "bulletin", NOTE)])
        _write_figures(batch, source_id, figures, committed_at)
        counts["figures"] += len(figures)
        counts["batches"] += 1
    return counts


def import_batch(size: str, rows: int = 30, seed: int = 0, start_year: int = START_YEAR,
                 peers: bool = True) -> tuple[str, dict, str]:
    """An analyst's next batch after the history (February of the year after it; the single
    month and the year to date): (figures CSV, the source form's fields, the source text).
    Without peers it names only the zone and the city, and fits today's data too."""
    spec = SIZES[size]
    year, month = start_year + spec.years, 2
    source_id = f"syn_{year}_{month:02d}_import"
    rng = random.Random(seed + 1)
    by_name = {i.indicator: i for i in ZONE_INDICATORS}
    quotes, figures = [], []
    for ent in (e for e in entities(spec) if e.kind in ("zone", "city") or (peers and e.kind == "peer_zone")):
        for name in spec.zone_indicators:
            ind = by_name[name]
            for quote, found in _rows(ent, ind, Series(rng, ind.base, month), month - 1, year, month):
                quotes.append(quote + "。")
                figures += [(f"{fid}_import", source_id, q, vt, v, unit, "", e, i, measure, "actual", period, topic,
                             "", NOTE) for fid, q, vt, v, unit, measure, e, i, period, topic in found]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([vocab.FIGURE_COLUMNS, *figures[:rows]])
    title = f"{MARK}月报 {year}年{month}月（synthetic）"
    meta = {"source_id": source_id, "title_zh": title, "title_en": f"Synthetic monthly bulletin, Feb {year}",
            "short_zh": f"{MARK}月报{year}年{month}月", "short_en": f"Synthetic Feb {year}", "year": str(year),
            "kind": "bulletin", "note": NOTE}
    return out.getvalue(), meta, "\n".join([title, *quotes]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, required=True)
    parser.add_argument("--out", type=Path, required=True, help="a new folder (a copy of data/ plus the batches)")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="the data folder to copy")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = write_history(args.size, args.out, args.data, args.seed)
    print(f"wrote {args.out} in {time.perf_counter() - started:.1f}s: "
          + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
