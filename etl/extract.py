"""Candidate figures in a pasted report: the number, unit, qualifier, its sentence, and guesses
of entity, period, measure, basis, indicator and topic.

Only a proposal: the analyst accepts, edits or rejects each row on the 数据维护 page, and
accepted rows still pass the build's validator before anything is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl import vocab
from etl.inputs import reading
from etl.numerals import parse_number

COLUMNS = ["accept", "value_text", "value", "unit", "qualifier", "measure", "basis", "period",
           "entity", "indicator", "topic", "quote", "note"]
ZONE = "开发区"
# How reports name the zone itself.
ZONE_NAMES = ("聊城经济技术开发区", "聊城经开区", "聊城开发区", "经开区", "开发区", "全区", "我区", "本区")
# Report words for indicators whose names in indicators.csv are written differently.
ALIASES = {
    "GDP": "gdp", "地区生产总值": "gdp", "生产总值": "gdp",
    "二产增加值": "secondary_va", "三产增加值": "tertiary_va", "服务业增加值": "tertiary_va",
    "规上工业增加值": "industrial_va", "规模以上工业增加值": "industrial_va",
    "规模以上工业企业": "above_scale_firms", "规上工业企业": "above_scale_firms", "规上企业": "above_scale_firms",
    "技改投资": "tech_reform_investment", "进出口": "trade", "利用外资": "fdi", "使用外资": "fdi",
    "科技型中小企业": "tech_smes_new", "发明专利": "invention_patents", "亿元以上项目": "projects_over_100m",
    "过亿元项目": "projects_over_100m", "重点项目": "key_projects", "年度计划投资": "key_projects_annual_investment",
    "审批服务事项": "services_handled", "满意率": "service_satisfaction", "好评率": "service_satisfaction",
    "连投": "investment_rounds", "累计投资": "firm_investment", "国家级经开区": "rank_national",
    "全省开发区": "rank_provincial", "省开发区": "rank_provincial", "全市综合考核": "rank_city",
}
# Units reports use that units.csv may not have yet (unit: base unit): proposed, and flagged.
EXTRA_UNITS = {"万平方米": "平方米", "平方米": "平方米", "万亩": "亩", "亩": "亩", "公里": "公里", "吨": "吨",
               "万辆": "辆", "辆": "辆", "万户": "户", "户": "户", "人次": "人次", "万人次": "人次", "座": "座",
               "所": "所", "批": "批", "亿千瓦时": "千瓦时", "万千瓦时": "千瓦时", "千瓦": "千瓦",
               "个工作日": "天", "天": "天", "小时": "小时", "成": "%"}
LEVEL_BASES = ("元", "美元", "元/亩", "吨", "平方公里", "平方米", "亩", "千瓦时", "千瓦", "公里")
QUALIFIERS_BEFORE = {"超过": "超", "超": "超", "突破": "突破", "接近": "接近", "近": "近", "约": "约",
                     "不足": "不足", "不低于": "不低于", "预计": "预计"}
FALL = ("下降", "下滑", "减少", "回落", "降低")

_SENTENCE = re.compile(r"[^。！？；\n]+")
_CLAUSE = re.compile(r"[^，,：:；]+")
_CN = "零一二两三四五六七八九十百千万亿"
_NUMBER = re.compile(rf"(?P<frac>[一二三四五六七八九十]+分之[一二三四五六七八九十]+)|(?P<ar>\d+(?:\.\d+)?)|(?P<cn>[{_CN}]+)")
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|\"[^\"]*\"")
_DATE = re.compile(r"\d{1,2}月\d{1,2}日")
_SEQUENCE = re.compile(rf"([{_CN[1:10]}十]+)连(投|冠|增|升|涨|胜)")


@dataclass(frozen=True)
class Vocabulary:
    units: tuple[str, ...]  # as written, longest first
    base_units: dict[str, str]  # unit -> its base unit (registered units and EXTRA_UNITS)
    registered: frozenset[str]  # the units of units.csv
    entities: dict[str, str]  # name as written -> entity
    entity_kinds: dict[str, str]
    indicators: dict[str, tuple[str, str]]  # keyword -> (indicator, topic)

    @classmethod
    def from_db(cls, db: Path) -> "Vocabulary":
        with reading(db) as con:
            units = dict(con.execute("SELECT unit, base_unit FROM units").fetchall())
            kinds = dict(con.execute("SELECT entity, kind FROM entities").fetchall())
            topics = {i: (name, topic) for i, name, topic in
                      con.execute("SELECT indicator, name_zh, topic FROM indicators").fetchall()}
        keywords = {}
        for indicator, (name, topic) in topics.items():
            for word in {name, re.sub(r"[数额]$", "", name)}:
                if len(word) >= 2 and "（" not in word:
                    keywords[word] = (indicator, topic)
        keywords.update({w: (i, topics[i][1]) for w, i in ALIASES.items() if i in topics})
        names = {e: e for e in kinds if len(e) >= 2} | {n: ZONE for n in ZONE_NAMES if ZONE in kinds}
        all_units = {**EXTRA_UNITS, **units}
        return cls(tuple(sorted(all_units, key=len, reverse=True)), all_units, frozenset(units),
                   names, kinds, keywords)


def _pattern(words) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


# ---------- periods ----------

_QUARTER = "一季度|上半年|前三季度|下半年"
_PERIODS = [  # (pattern, period as parse_period writes it; {y} = the document's year)
    (rf"截至(\d{{4}})年(?:底|末)", lambda m, y: f"{m[1]}年末"),
    (rf"截至(\d{{4}})年", lambda m, y: f"截至{m[1]}年"),
    (rf"(\d{{4}})年?[至到\-—～~](\d{{4}})年", lambda m, y: f"{m[1]}-{m[2]}年"),
    (rf"(\d{{4}})年(\d{{1,2}})[-—～~至](\d{{1,2}})月份?", lambda m, y: f"{m[1]}年{int(m[2])}-{int(m[3])}月"),
    (rf"(\d{{4}})年({_QUARTER})", lambda m, y: f"{m[1]}年{m[2]}"),
    (rf"(\d{{4}})年(?:底|末)", lambda m, y: f"{m[1]}年末"),
    (rf"(\d{{4}})年(\d{{1,2}})月份?(?!\d{{1,2}}日)", lambda m, y: f"{m[1]}年{int(m[2])}月"),
    (rf"(\d{{4}})年(?![\d底末])", lambda m, y: f"{m[1]}年"),
    (rf"(\d{{1,2}})[-—～~至](\d{{1,2}})月份?", lambda m, y: f"{y}年{int(m[1])}-{int(m[2])}月"),
    (rf"({_QUARTER})", lambda m, y: f"{y}年{m[1]}"),
    (r"(?<![较比与同])(?:去年|上年)(?:底|末)", lambda m, y: f"{y - 1}年末"),
    (r"(?<![较比与同])(?:去年|上年)(?!同期|末|底)", lambda m, y: f"{y - 1}年"),
    (r"今年|全年|本年", lambda m, y: f"{y}年"),
    (r"建成后|投产后|达产后", lambda m, y: "建成后"),
]
_STOCK = re.compile(r"目前|现有|累计|已达|拥有|共有|总数")


def _period_mentions(text: str, year: int) -> list[tuple[int, int, str]]:
    """(start, end, period) of every period written in the text, earlier patterns first."""
    found, taken = [], [False] * len(text)
    for pattern, make in _PERIODS:
        for m in re.finditer(pattern, text):
            if not any(taken[m.start():m.end()]):
                found.append((m.start(), m.end(), make(m, year)))
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
    return sorted(found)


# ---------- numbers ----------

@dataclass
class _Hit:
    start: int
    end: int  # after unit and trailing qualifier
    value_text: str
    value: float
    unit: str
    qualifier: str
    kind: str = ""  # rank, grade, sequence, fraction: set by the pattern that found it
    note: str = ""


def _numbers(sentence: str, units: re.Pattern, masked: list[bool]) -> list[_Hit]:
    hits = []
    for m in _SEQUENCE.finditer(sentence):  # 十二连投: the twelfth investment in a row
        hits.append(_Hit(m.start(), m.end(), m[1], parse_number(m[1]), "次", "", "sequence"))
    for m in _NUMBER.finditer(sentence):
        if any(masked[m.start():m.end()]) or any(h.start <= m.start() < h.end for h in hits):
            continue
        text, start, end = m[0], m.start(), m.end()
        before = sentence[max(0, start - 8):start]
        if m["cn"] and (text in ("万", "亿") or before[-1:].isdigit()):
            continue  # 过亿元, 1.2万余个: a magnitude, not a number written on its own
        try:
            value = parse_number(text)
        except ValueError:
            continue
        if m["frac"]:
            hits.append(_Hit(start, end, text, value, "分数", "", "fraction"))
            continue
        rest = end
        qualifier, note = "", ""
        if sentence.startswith(("余", "多"), rest):
            qualifier, rest = "余", rest + 1
        unit_match = units.match(sentence, rest)
        unit = unit_match[0] if unit_match else ""
        if unit == "" and m["ar"] and sentence.startswith("亿", rest):
            unit, rest, note = "亿元", rest + 1, "原文写作“亿”"  # 20亿 stands for 20亿元
        elif unit_match:
            rest = unit_match.end()
        if sentence.startswith("以上", rest) and not qualifier:
            if re.match(r"的?(项目|企业|工业企业)", sentence[rest + 2:]):
                continue  # 10亿元以上项目: a class of projects, not a figure
            qualifier, rest = "以上", rest + 2
        is_rank = re.search(r"(全市|全省|全国|居|列|排名?|位次)[^，。]{0,4}第$", sentence[max(0, start - 10):start])
        if is_rank or (before.endswith("第") and unit == "位"):
            if m["ar"] or value >= 1:
                hits.append(_Hit(start - 1, rest, text, value, "位", "", "rank"))
            continue
        if m["cn"] and re.match(r"等(?!奖)", sentence[end:]) and re.search(r"考核|评价|获评|等次", sentence[:end + 2]):
            hits.append(_Hit(start, end + 1, text, value, "等", "", "grade"))
            continue
        if not unit or unit in ("位", "等", "分数"):
            continue
        if unit == "年" and not before.endswith("连续"):
            continue  # 2024年 is a period, 3年内 a span; 连续3年 is a count
        if m["cn"] and value == 1:
            continue  # 一个, 一家: words, not figures
        for word, q in sorted(QUALIFIERS_BEFORE.items(), key=lambda kv: -len(kv[0])):
            if not qualifier and before.endswith(word):
                qualifier = q
                break
        hits.append(_Hit(start, rest, text, value, unit, qualifier, note=note))
    return sorted(hits, key=lambda h: h.start)


def _measure(hit: _Hit, prefix: str, base_unit: str) -> str:
    if hit.kind in ("rank", "grade"):
        return hit.kind
    if hit.kind == "sequence":
        return "count"
    if hit.kind == "fraction":
        return "ratio"
    unit = hit.unit
    if unit == "个百分点":
        return "gap"
    if unit == "个位次":
        return "rank_change"
    if unit == "倍":
        return "multiple"
    if unit in ("%", "成"):
        tail = prefix[-12:]
        if re.search(r"占|比重|占比|比例|率", tail) and not re.search(r"增长|增速|增幅", tail[-4:]):
            return "share"
        return "growth" if re.search(r"增|长|升|降|下滑|减少|回落|提高", tail) else "share"
    return "level" if base_unit in LEVEL_BASES else "count"


def _basis(prefix: str) -> str:
    cues = [(m.end(), "target") for m in re.finditer(r"力争|确保|目标|争取|奋斗", prefix)]
    cues += [(m.end(), "plan") for m in re.finditer(r"计划(?=实施|投资|完成|新增|开工|引进|招引|建设)", prefix)]
    cues += [(m.end(), "expected") for m in re.finditer(r"预计|预期|建成后|投产后|达产后", prefix)]
    return max(cues)[1] if cues else "actual"


def _last(pattern: re.Pattern, text: str):
    found = None
    for found in pattern.finditer(text):
        pass
    return found


def extract(text: str, year: int, vocabulary: Vocabulary) -> pd.DataFrame:
    """Candidates, one row per number that carries a figure, in text order (COLUMNS)."""
    units = _pattern(vocabulary.units)
    names = _pattern(vocabulary.entities)
    keywords = _pattern(vocabulary.indicators)
    rows = []
    for paragraph in text.splitlines():
        if cell := _TABLE_CELL.match(paragraph.strip()):
            rows += _cell_candidates(cell, year, vocabulary, units, keywords)
            continue
        carried = None  # a period written in an earlier sentence holds for the next ones
        for s in _SENTENCE.finditer(paragraph):
            sentence = s[0].strip()
            if not sentence:
                continue
            periods = _period_mentions(sentence, year)
            masked = [False] * len(sentence)
            for a, b, _ in periods:
                masked[a:b] = [True] * (b - a)
            for m in [*_QUOTED.finditer(sentence), *_DATE.finditer(sentence)]:
                if not _SEQUENCE.search(m[0]):  # “十二连投” is a figure in quotes
                    masked[m.start():m.end()] = [True] * (m.end() - m.start())
            hits = _numbers(sentence, units, masked)
            spread = _respectively(sentence, hits, names, vocabulary)
            for i, hit in enumerate(hits):
                rows.append(_candidate(sentence, hit, periods, carried, year, vocabulary, names, keywords,
                                       spread.get(i)))
            if periods:
                carried = periods[-1][2]
    return pd.DataFrame(rows, columns=COLUMNS)


def _respectively(sentence: str, hits: list[_Hit], names: re.Pattern, vocabulary: Vocabulary) -> dict[int, str]:
    """中通、乖宝、中正产值分别增长65.9%、13.5%、14.8%: the i-th number belongs to the i-th name."""
    at = sentence.find("分别")
    if at < 0:
        return {}
    listed = [vocabulary.entities[m[0]] for m in names.finditer(sentence[:at])]
    after = [i for i, h in enumerate(hits) if h.start > at]
    if len(listed) < 2 or len(after) != len(listed):
        return {}
    return dict(zip(after, listed))


def _candidate(sentence, hit, periods, carried, year, vocabulary, names, keywords, entity=None) -> dict:
    clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(sentence)]
    k = next((i for i, (a, b) in enumerate(clauses) if a <= hit.start < b), len(clauses) - 1)
    prefix = sentence[:hit.start]
    window = sentence[clauses[max(0, k - 1)][0]:hit.start]  # this clause and the one before
    written = [p for a, b, p in periods if b <= hit.start]
    if written or carried:
        period = written[-1] if written else carried
    elif _STOCK.search(sentence) or hit.kind == "sequence":
        period = f"截至{year}年"  # a stock counted at the document's date
    else:
        period = f"{year}年"
    if entity is None:
        # the subject comes before a comparison: 高于全市, 是我区的, 占全国的, 居全市第一
        subject = re.split(r"是|占|相当于|高于|低于|高出|快于|慢于|居|位居|位列|列|较|比", prefix)[0]
        found = _last(names, subject)
        entity = vocabulary.entities[found[0]] if found else ZONE
    key = _last(keywords, window)
    indicator, topic = vocabulary.indicators[key[0]] if key else ("", "")
    measure = _measure(hit, prefix, vocabulary.base_units.get(hit.unit, ""))
    basis = _basis(prefix)
    if hit.kind == "rank" or vocabulary.entity_kinds.get(entity) in ("peer_zone", "park_group"):
        topic = topic or "benchmarks"
    qualifier = hit.qualifier or ("预计" if basis == "expected" and "预计" in prefix else "")
    if not qualifier and re.search(r"约(占|为)", window):
        qualifier = "约"
    value = hit.value
    if (measure in ("growth", "level") and re.search(f"({'|'.join(FALL)})$", prefix[-4:])) or \
            (measure == "gap" and re.search(r"低于|慢于", window)) or \
            (measure == "rank_change" and re.search(r"下滑|下降|后退|后移", window)):
        value = -value
    note = hit.note
    if hit.unit in EXTRA_UNITS and hit.unit not in vocabulary.registered:
        note = f"单位“{hit.unit}”未登记：请在 units 表中添加 / unit not yet in units"
    return {"accept": True, "value_text": hit.value_text, "value": value, "unit": hit.unit, "qualifier": qualifier,
            "measure": measure, "basis": basis, "period": period, "entity": entity, "indicator": indicator,
            "topic": topic or "economy", "quote": _quote(sentence, clauses, k), "note": note}


def _quote(sentence: str, clauses: list[tuple[int, int]], k: int, limit: int = 80) -> str:
    """The sentence, or when it is long, the clause with the number and the one before."""
    if len(sentence) <= limit:
        return sentence
    return sentence[clauses[max(0, k - 1)][0]:clauses[k][1]].strip("，, ")


# ---------- a statistical table rendered by etl.imports.table_text ----------

_TABLE_CELL = re.compile(r"^(?P<sheet>[^!\s]+)!(?P<ref>[A-Z]+\d+) (?P<row>.*?)｜(?P<col>.*?)：(?P<value>.+)$")
_BRACKETED = re.compile(r"[（(]([^）)]+)[）)]")


def _cell_candidates(cell, year, vocabulary, units, keywords) -> list[dict]:
    written = cell["value"].strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?", written):
        return []
    labels = f"{cell['row']} {cell['col']}"
    unit = next((u[1] for u in _BRACKETED.finditer(labels) if u[1] in vocabulary.base_units), "")
    periods = _period_mentions(labels, year)
    key = _last(keywords, cell["row"]) or _last(keywords, cell["col"])
    indicator, topic = vocabulary.indicators[key[0]] if key else ("", "economy")
    hit = _Hit(0, 0, written.lstrip("-"), float(written), unit, "")
    return [{"accept": True, "value_text": hit.value_text, "value": float(written), "unit": unit, "qualifier": "",
             "measure": _measure(hit, labels, vocabulary.base_units.get(unit, "")) if unit else "level",
             "basis": "actual", "period": periods[-1][2] if periods else f"{year}年", "entity": ZONE,
             "indicator": indicator, "topic": topic, "quote": cell[0], "note": ""}]


# ---------- accepted candidates → a batch's figures ----------

def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):  # 105.3, not 105.30000000000001; 12, not 12.0
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def to_figures(candidates: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """The accepted rows as curated figure rows, with ids made from source, indicator and period."""
    rows, used = [], set()
    for c in candidates[candidates["accept"].fillna(False).astype(bool)].to_dict("records"):
        c = {k: _text(v) for k, v in c.items()}
        base = "_".join(p for p in (source_id, c["indicator"] or c["measure"],
                                    re.sub(r"[^0-9]+", "_", c["period"]).strip("_")) if p)
        figure_id, n = base, 1
        while figure_id in used:
            n += 1
            figure_id = f"{base}_{n}"
        used.add(figure_id)
        rows.append({**{col: c.get(col, "") for col in vocab.FIGURE_COLUMNS},
                     "figure_id": figure_id, "source_id": source_id, "rank_total": ""})
    return pd.DataFrame(rows, columns=list(vocab.FIGURE_COLUMNS), dtype=str)
