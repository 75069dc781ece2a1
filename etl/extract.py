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

from etl import numerals, periods, vocab
from etl.inputs import reading
from etl.numerals import parse_number
from etl.signs import AMOUNT_FALL_WORDS

COLUMNS = ["accept", "value_text", "value", "unit", "qualifier", "measure", "basis", "period",
           "entity", "indicator", "topic", "quote", "note", "entity_flag"]
ZONE = "开发区"
# entity_flag of a candidate whose sentence writes no subject while the text names more than one:
# to_figures writes it into the note, and the check refuses the row until the analyst picks one.
UNCONFIRMED = "主体待确认"
# How reports name the zone itself, the city, the province and the country (name as written -> entity).
ZONE_NAMES = ("聊城经济技术开发区", "聊城经开区", "聊城开发区", "经开区", "开发区", "全区", "我区", "本区")
HOME_NAMES = {"全市": "全市", "我市": "全市", "本市": "全市", "聊城市": "全市",
              "全省": "全省", "我省": "全省", "本省": "全省", "山东省": "全省", "山东": "全省",
              "全国": "全国", "我国": "全国"}
# Other places a Liaocheng report names beside the zone: read as written, never as the zone.
PLACES = ("东昌府区", "临清市", "茌平区", "阳谷县", "莘县", "东阿县", "冠县", "高唐县", "高新区", "度假区",
          "江北水城旅游度假区", "聊城高新区")
SYNONYMS = Path(__file__).resolve().parent.parent / "data" / "indicator_synonyms.csv"
# Units reports use that units.csv may not have yet (unit: base unit): proposed, and flagged.
EXTRA_UNITS = {"座": "座", "所": "所", "批": "批", "个工作日": "天", "天": "天", "小时": "小时"}
LEVEL_BASES = ("元", "美元", "元/亩", "吨", "平方公里", "平方米", "亩", "千瓦时", "千瓦", "公里", "公顷")
QUALIFIERS_BEFORE = {"约合": "约", "超过": "超", "超": "超", "突破": "突破", "接近": "接近", "近": "近", "约": "约",
                     "不足": "不足", "不低于": "不低于", "预计": "预计"}

_SENTENCE = re.compile(r"[^。！？；;?\n]+")
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
        synonyms = pd.read_csv(SYNONYMS, dtype=str, keep_default_na=False) if SYNONYMS.is_file() else pd.DataFrame()
        for word, i in zip(synonyms.get("synonym", []), synonyms.get("indicator", [])):
            if i in topics:
                keywords[word.strip()] = (i, topics[i][1])
        names = ({p: p for p in PLACES} | {e: e for e in kinds if len(e) >= 2}
                 | {n: e for n, e in HOME_NAMES.items()} | {n: ZONE for n in ZONE_NAMES if ZONE in kinds})
        all_units = {**EXTRA_UNITS, **units}
        return cls(tuple(sorted(all_units, key=len, reverse=True)), all_units, frozenset(units),
                   names, kinds, keywords)


def _pattern(words) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


# ---------- periods: etl.periods.mentions, the grammar the check reads too ----------

_STOCK = re.compile(r"目前|现有|累计|已达|拥有|共有|总数")
# a headline: a line with no sentence's punctuation that dates what follows (玉环市2019年国民经济和社会发展统计公报)
_HEADLINE = re.compile(r"[^。！？；;，,]{4,60}")


def _period_mentions(text: str, year: int) -> list[tuple[int, int, str]]:
    """(start, end, period) of every period the text writes as the figure's own (not 较一季度)."""
    return [(m.start, m.end, m.period) for m in periods.mentions(text, year) if not m.reference]


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
    at: int = -1  # where the number itself starts


# Numbers that name a thing, not a figure: 尼龙6项目, 三次产业, 两项指标, 持续6个月, 全市五个省级园区,
# 投资50亿元及以上项目, 税收500万元以上企业, 世界500强 (no unit: never a figure anyway).
_NOT_AFTER_UNIT = re.compile(r"(?<=项)目|(?<=次)产业|(?<=项)指标|(?<=个)月|(?<=个)(?:省级|国家级|市级)?(?:园区|开发区|经开区)"
                             r"|(?<=次)(?:党代会|全会)")
_CATEGORY = re.compile(r"(?:及|或)?以上(?:的)?(?:项目|企业|工业企业|重点项目|产业项目)")
_UNIT_GAP = re.compile(r"[ \t\u3000]*")
# 0.7、1.4个百分点 / 1.7 、2.8个百分点 / 高于全国0.4、全省0.1个百分点: the unit written once for a list
_LISTED = re.compile(r"[ \t\u3000]*[、和及与][^\d、，,。；;]{0,6}?\d+(?:\.\d+)?[ \t\u3000]*(个百分点|%|倍)")


def _numbers(sentence: str, units: re.Pattern, masked: list[bool]) -> list[_Hit]:
    """The figures of a sentence (normalised: numerals.normalize)."""
    hits = []
    for m in _SEQUENCE.finditer(sentence):  # 十二连投: the twelfth investment in a row
        hits.append(_Hit(m.start(), m.end(), m[1], parse_number(m[1]), "次", "", "sequence", at=m.start(1)))
    for m in _NUMBER.finditer(sentence):
        if any(masked[m.start():m.end()]) or any(h.start <= m.start() < h.end for h in hits):
            continue
        text, start, end = m[0], m.start(), m.end()
        before = sentence[max(0, start - 8):start]
        if m["cn"] and (text in ("万", "亿") or before[-1:].isdigit()):
            continue  # 过亿元, 1.2万余个: a magnitude, not a number written on its own
        if m["ar"] and re.search(r"[A-Za-z]$", before):
            continue  # PM2.5, 5G: part of a name
        try:
            value = parse_number(text)
        except ValueError:
            continue
        if m["frac"]:
            hits.append(_Hit(start, end, text, value, "分数", "", "fraction", at=start))
            continue
        rest = end
        qualifier, note = "", ""
        if sentence.startswith(("余", "多"), rest):
            qualifier, rest = "余", rest + 1
        gap = _UNIT_GAP.match(sentence, rest).end() if m["ar"] else rest  # 1.4 %: a space before the unit
        unit_match = units.match(sentence, gap)
        unit = unit_match[0] if unit_match else ""
        if unit == "" and m["ar"] and sentence.startswith("亿", rest):
            unit, rest, note = "亿元", rest + 1, "原文写作“亿”"  # 20亿 stands for 20亿元
        elif unit_match:
            rest = unit_match.end()
        elif m["ar"] and (listed := _LISTED.match(sentence, rest)):
            unit, note = listed[1], f"单位承后文“{listed[1]}”"
        if unit and _NOT_AFTER_UNIT.match(sentence, rest):
            continue
        if _CATEGORY.match(sentence, rest):
            continue  # 10亿元以上项目, 50亿元及以上项目: a class of projects, not a figure
        if sentence.startswith(("及以上", "以上"), rest) and not qualifier:
            qualifier, rest = "以上", rest + (3 if sentence.startswith("及", rest) else 2)
        is_rank = re.search(r"(全市|全省|全国|居|列|排名?|位次)[^，。,]{0,4}第$", sentence[max(0, start - 10):start])
        if is_rank or (before.endswith("第") and unit == "位"):
            if m["ar"] or value >= 1:
                hits.append(_Hit(start - 1, rest, text, value, "位", "", "rank", at=start))
            continue
        if m["cn"] and re.match(r"等(?!奖)", sentence[end:]) and re.search(r"考核|评价|获评|等次", sentence[:end + 2]):
            hits.append(_Hit(start, end + 1, text, value, "等", "", "grade", at=start))
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
        hits.append(_Hit(start, rest, text, value, unit, qualifier, note=note, at=start))
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
    if unit == "成":  # 六成企业: a share, unless written as a rise (增长两成)
        return "growth" if re.search(r"增长|增幅|提高|下降|减少", prefix[-4:]) else "share"
    if unit in ("%", "‰"):
        tail = prefix[-12:]
        if re.search(r"占|比重|占比|比例|率", tail) and not re.search(r"增长|增速|增幅", tail[-4:]):
            return "share"
        return "growth" if re.search(r"增|长|升|涨|降|下滑|减少|回落|提高", tail) else "share"
    return "level" if base_unit in LEVEL_BASES else "count"


def _basis(prefix: str) -> str:
    cues = [(m.end(), "target") for m in re.finditer(r"力争|确保|目标|争取|奋斗", prefix)]
    cues += [(m.end(), "plan") for m in re.finditer(r"计划(?=实施|投资|完成|新增|开工|引进|招引|建设)", prefix)]
    cues += [(m.end(), "expected") for m in re.finditer(r"预计|预期|建成后|投产后|达产后", prefix)]
    return max(cues)[1] if cues else "actual"


KEYWORD_REACH = 240


def _last_keyword(pattern: re.Pattern, text: str):
    """The keyword that ends last, the longest of those (外贸进出口实绩企业 → 进出口实绩企业, not 外贸进出口;
    10亿元以上项目 → itself, not 亿元以上项目): overlapping matches are all looked at."""
    best = None
    text = text[-KEYWORD_REACH:]  # a pasted wall of text costs no more per figure than a sentence
    for i in range(len(text)):
        m = pattern.match(text, i)
        if m and (best is None or (m.end(), len(m[0])) > (best.end(), len(best[0]))):
            best = m
    return best


def _last(pattern: re.Pattern, text: str):
    found = None
    for found in pattern.finditer(text):
        pass
    return found


@dataclass
class _Context:
    """What a sentence takes from the text before it: the period last written (and its words), the
    subject last written, and the year spans without one are dated by (a headline's, else the document's)."""
    year: int  # the document's
    base: int  # the year a span written without one is dated by
    headline: str = ""  # the dated headline above, when it dates spans otherwise than the document
    period: tuple[str, str, str] | None = None  # (period, its words as written, headline it was dated by)
    subject: str | None = None
    several: bool = False  # the text names more than one place: a sentence without a subject is unclear


# where a clause's subject ends: a comparison (高于全市), or the scope of a rank (增速全省第一, 全市排名第2)
_COMPARISON = re.compile(r"是|占|相当于|高于|低于|高出|快于|慢于|居|位居|位列|列|较|比|排名|排在"
                         r"|(?=(?:全市|全省|全国|我市|我省)[^，,。]{0,8}第)")
# 全市五个省级园区, 烟台市12个省级及以上园区: a group of parks, read as written (never the city, never the zone)
# 吴中开发区, 邹城经开区, 滕州高新区: another zone, named (two characters of its place before the word), read as
# written; never the Liaocheng zone. Not 全省开发区, 省级开发区, 上半年经开区, 聊城开发区 …
OTHER_ZONE = (r"(?!聊城)[^\W\d年月日季度期间全各省市县区级类我本该其同一二三四五六七八九十个多项批家共的在是和与及对为把将向从到"
              r"让使等了中内外]{1}[^\W\d年月日季度期间全各省县级类我本该其同个多项批家共的在是和与及对为把将向从到让使等了动进设造展入驻好强大新]{1}"
              r"(?:经济技术开发区|经济开发区|经开区|开发区|高新区)")
PARK_GROUP = r"(?:全市|全省|全国|[\u4e00-\u9fff]{2,3}市)(?:[一二三四五六七八九十]+|\d+)个(?:省级|国家级|市级)?(?:及以上)?(?:园区|开发区)"
_PLACE_KINDS = ("zone", "city", "peer_zone", "park_group", "region")


def extract(text: str, year: int, vocabulary: Vocabulary) -> pd.DataFrame:
    """Candidates, one row per number that carries a figure, in text order (COLUMNS). Text is read
    normalised (full-width digits, ％, dashes: numerals.normalize, periods.normalize); quotes and
    value_text are cut from the text as written."""
    units = _pattern(vocabulary.units)
    names = re.compile(PARK_GROUP + "|" + OTHER_ZONE + "|" + _pattern(vocabulary.entities).pattern)
    keywords = _pattern(vocabulary.indicators)
    places = {_entity(m[0], vocabulary) for m in names.finditer(text)}
    places = {e for e in places if e in (ZONE, *HOME_NAMES.values(), *PLACES) or re.fullmatch(PARK_GROUP, e)
              or re.fullmatch(OTHER_ZONE, e)
              or vocabulary.entity_kinds.get(e) in _PLACE_KINDS}
    ctx = _Context(year, year, several=len(places) > 1)
    rows = []
    for paragraph in text.splitlines():
        if cell := _TABLE_CELL.match(paragraph.strip()):
            rows += _cell_candidates(cell, ctx.base, vocabulary, units, keywords, names, ctx.several)
            continue
        line = paragraph.strip()
        plain = periods.normalize(line)
        if (_HEADLINE.fullmatch(line) and (dated := re.search(r"(\d{4})年", plain))
                and not re.search(r"\d", re.sub(r"\d{4}年|\d{1,2}[-~]\d{1,2}月|\d{1,2}月", "", plain))):
            # 玉环市2019年国民经济和社会发展统计公报: the lines under it are of 2019, whatever the document's date
            # (a short line with a figure, 2023年钢管产量达500万吨, is a sentence, not a headline)
            ctx.base = int(dated[1])
            ctx.headline = line if ctx.base != year else ""
        for s in _SENTENCE.finditer(paragraph):
            original = s[0].strip()
            if not original:
                continue
            sentence = numerals.normalize(periods.normalize(original))
            mentions = periods.mentions(sentence, ctx.base)
            masked = [False] * len(sentence)
            for m in mentions:
                masked[m.start:m.end] = [True] * (m.end - m.start)
            for m in [*_QUOTED.finditer(sentence), *_DATE.finditer(sentence)]:
                if not _SEQUENCE.search(m[0]):  # “十二连投” is a figure in quotes
                    masked[m.start():m.end()] = [True] * (m.end() - m.start())
            own = [(m.start, m.end, m.period) for m in mentions if not m.reference]
            hits = _numbers(sentence, units, masked)
            spread = _respectively(sentence, hits, names, vocabulary)
            subject = None
            for i, hit in enumerate(hits):
                row = _candidate(sentence, original, hit, own, ctx, vocabulary, names, keywords, spread.get(i))
                rows.append(row)
            written = _subject_of(sentence, len(sentence), names, vocabulary)
            if written:
                subject = written
            if subject:
                ctx.subject = subject
            if own:
                a, b, period = own[-1]
                ctx.period = (period, original[a:b], ctx.headline)
    return pd.DataFrame(rows, columns=COLUMNS)


def _subject_of(sentence: str, end: int, names: re.Pattern, vocabulary: Vocabulary) -> str | None:
    """The subject written before `end`: the nearest clause (back from `end`) that names an entity
    before any comparison word (高于全市, 居全省第3位, 比全国 … name what it is compared with)."""
    clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(sentence) if m.start() < end]
    for a, b in reversed(clauses):
        part = _COMPARISON.split(sentence[a:min(b, end)])[0]
        found = _last(names, part)
        if found:
            return _entity(found[0], vocabulary)
    return None


def _entity(name: str, vocabulary: Vocabulary) -> str:
    return vocabulary.entities.get(name, name)


# 比全省(7.7%)和全国平均水平(7.0%): a figure in brackets right after a name is that name's
_BRACKETED_OF = re.compile(r"[（(][^（()）]*$")


def _bracketed_entity(sentence: str, hit: _Hit, names: re.Pattern, vocabulary: Vocabulary) -> str | None:
    opening = _BRACKETED_OF.search(sentence[:hit.start])
    if not opening:
        return None
    found = re.search(rf"({names.pattern})(?:平均水平|平均|水平)?$", sentence[:opening.start()])
    return _entity(found[1], vocabulary) if found else None


def _respectively(sentence: str, hits: list[_Hit], names: re.Pattern, vocabulary: Vocabulary) -> dict[int, str]:
    """中通、乖宝、中正产值分别增长65.9%、13.5%、14.8%: the i-th number belongs to the i-th name, when the
    names are the clause's subjects (not 比全省(7.7%)和全国(7.0%)分别高 …, where they are compared with)."""
    at = sentence.find("分别")
    if at < 0:
        return {}
    start = max(sentence.rfind(c, 0, at) for c in "，,：:；;") + 1
    head = sentence[start:at]
    listed = [_entity(m[0], vocabulary) for m in names.finditer(head) if not _COMPARISON.search(head[:m.start()])]
    stop = min([i for i in (sentence.find(c, at) for c in "，,；;。") if i > 0] or [len(sentence)])
    after = [i for i, h in enumerate(hits) if at < h.start < stop]
    if len(listed) < 2 or len(after) != len(listed):
        return {}
    return dict(zip(after, listed))


def _candidate(sentence, original, hit, own, ctx: _Context, vocabulary, names, keywords, entity=None) -> dict:
    clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(sentence)]
    k = next((i for i, (a, b) in enumerate(clauses) if a <= hit.start < b), len(clauses) - 1)
    prefix = sentence[:hit.start]
    window = sentence[clauses[max(0, k - 1)][0]:hit.start]  # this clause and the one before
    notes = [hit.note] if hit.note else []
    written = [(a, b, p) for a, b, p in own if b <= hit.start]
    if written:
        a, _, period = written[-1]
        if len(sentence) > QUOTE_LIMIT and a < clauses[max(0, k - 1)][0]:  # the quote is cut after the period's words
            notes.append(f"期间承上文“{original[a:written[-1][1]]}”")
        if ctx.headline and not {str(y) for y in periods.period_years(period)} <= set(re.findall(r"\d{4}", sentence)):
            notes.append(f"年份承标题“{ctx.headline}”")
    elif ctx.period:
        period, words, headline = ctx.period
        notes.append(f"期间承上文“{words}”")
        if headline and not {str(y) for y in periods.period_years(period)} <= set(re.findall(r"\d{4}", periods.normalize(words))):
            notes.append(f"年份承标题“{headline}”")
    elif _STOCK.search(sentence) or hit.kind == "sequence":
        period = f"截至{ctx.base}年"  # a stock counted at the document's date
    else:
        period = f"{ctx.base}年"
        notes.append(f"年份承标题“{ctx.headline}”" if ctx.headline else DOCUMENT_YEAR_NOTE)
    flag = ""
    if entity is None:
        entity = _bracketed_entity(sentence, hit, names, vocabulary) or _subject_of(sentence, hit.end, names, vocabulary)
        if entity is None:  # no subject written in the sentence: the one written before, to be confirmed
            entity = ctx.subject or ZONE
            flag = UNCONFIRMED if ctx.several else ""
    # the indicator named in this clause, or in the one before when this one only goes on (同比增长, 增速 …)
    own_clause = sentence[clauses[k][0]:hit.start]
    key = _last_keyword(keywords, own_clause)
    if key is None and len(_GOING_ON.sub("", own_clause)) <= 3:
        key = _last_keyword(keywords, prefix)
    indicator, topic = vocabulary.indicators[key[0]] if key else ("", "")
    run = _run_start(sentence, hit)
    measure = _measure(hit, sentence[:run], vocabulary.base_units.get(hit.unit, ""))
    if hit.unit == "%" and _BRACKETED_OF.search(prefix) and re.search(r"增速|增幅|增长", prefix):
        measure = "growth"  # 增速比全省(7.7%): the province's growth
    elif hit.unit == "%" and measure == "share" and re.match(r"[^，,。；;]{0,4}(增长|增速)", sentence[hit.end:]):
        measure = "growth"  # 保持30%以上的快速增长
    basis = _basis(prefix)
    if hit.kind == "rank" or vocabulary.entity_kinds.get(entity) in ("peer_zone", "park_group"):
        topic = topic or "benchmarks"
    qualifier = hit.qualifier or ("预计" if basis == "expected" and "预计" in prefix else "")
    if not qualifier and re.search(r"约(占|为|合)", window):
        qualifier = "约"
    value = hit.value
    if (measure in ("growth", "level") and re.search(f"({'|'.join(AMOUNT_FALL_WORDS)})$", sentence[:run][-4:])) or \
            (measure == "gap" and re.search(r"低于|慢于", window)) or \
            (measure == "rank_change" and re.search(r"下滑|下降|后退|后移", window)):
        value = -value
    if hit.unit in EXTRA_UNITS and hit.unit not in vocabulary.registered:
        notes.append(f"单位“{hit.unit}”未登记：请在 units 表中添加 / unit not yet in units")
    # value_text in ASCII digits (６．５ → 6.5: never stored full-width); the check finds it in the quote as written
    return {"accept": True, "value_text": hit.value_text, "value": value, "unit": hit.unit,
            "qualifier": qualifier, "measure": measure, "basis": basis, "period": period, "entity": entity,
            "indicator": indicator, "topic": topic or "economy", "quote": _quote(original, clauses, k),
            "note": "；".join(notes), "entity_flag": flag}


# words of a clause that only goes on with the figure before it (增速同比提高, 比全省(, 低于全市增速, 降幅较一季度收窄)
_GOING_ON = re.compile(r"两年平均|平均|同比|比上年|较上年|上年|增长|增速|增幅|降幅|涨幅|下降|回落|提高|提升|收窄|扩大|高于|低于|高出|快于|慢于"
                       r"|平均水平|全省|全市|全国|分别|为|达|完成|实现|按可比价格计算|比|较|高|低|和|月份|月|\W|[\d.%~-]")
# the note of a period the text does not write: the document's year (etl.validate accepts it for that year only)
DOCUMENT_YEAR_NOTE = "期间未写明，按文件年份"
_LIST_GAP = re.compile(r"[ \t\u3000]*(?:个百分点|%|倍)?[ \t\u3000]*[、和及与][^\d、，,。；;]{0,6}?$")


def _run_start(sentence: str, hit: _Hit) -> int:
    """分别增长15.5%、17.5%、12.2%: a number listed after others reads its measure where the list starts."""
    start = hit.start
    while True:
        gap = _LIST_GAP.search(sentence[:start])
        if not gap:
            return start
        before = re.search(r"\d+(?:\.\d+)?(?:%|个百分点|倍)?$", sentence[:gap.start()].rstrip())
        if not before:
            return start
        start = before.start()


QUOTE_LIMIT = 80


def _quote(sentence: str, clauses: list[tuple[int, int]], k: int, limit: int = QUOTE_LIMIT) -> str:
    """The sentence, or when it is long, the clause with the number and the one before."""
    if len(sentence) <= limit:
        return sentence
    return sentence[clauses[max(0, k - 1)][0]:clauses[k][1]].strip("，, ")


# ---------- a statistical table rendered by etl.imports.table_text ----------

_TABLE_CELL = re.compile(r"^(?P<sheet>[^!\s]+)!(?P<ref>[A-Z]+\d+) (?P<row>.*?)｜(?P<col>.*?)：(?P<value>.+)$")
_BRACKETED = re.compile(r"[（(]([^）)]+)[）)]")


def _cell_candidates(cell, year, vocabulary, units, keywords, names=None, several=False) -> list[dict]:
    written = cell["value"].strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?", written):
        return []
    labels = f"{cell['row']} {cell['col']}"
    unit = next((u[1] for u in _BRACKETED.finditer(labels) if u[1] in vocabulary.base_units), "")
    periods = _period_mentions(labels, year)
    key = _last(keywords, cell["row"]) or _last(keywords, cell["col"])
    indicator, topic = vocabulary.indicators[key[0]] if key else ("", "economy")
    hit = _Hit(0, 0, written.lstrip("-"), float(written), unit, "")
    # the entity a row or column label names (全省 | 2024年), else the zone's, to be confirmed when the table names others
    named = _last(names, labels) if names is not None else None
    entity, flagged = (_entity(named[0], vocabulary), False) if named else (ZONE, several)
    return [{"accept": True, "value_text": hit.value_text, "value": float(written), "unit": unit, "qualifier": "",
             "measure": _measure(hit, labels, vocabulary.base_units.get(unit, "")) if unit else "level",
             "basis": "actual", "period": periods[-1][2] if periods else f"{year}年", "entity": entity,
             "indicator": indicator, "topic": topic, "quote": cell[0], "note": "" if periods else DOCUMENT_YEAR_NOTE,
             "entity_flag": UNCONFIRMED if flagged else ""}]


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
        if c.get("entity_flag") and UNCONFIRMED not in c.get("note", ""):
            # the check refuses the row (etl.validate.check_entity_confirmed) until the analyst picks an entity
            c["note"] = "；".join(n for n in (f"{UNCONFIRMED}（建议：{c['entity']}）", c.get("note", "")) if n)
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
