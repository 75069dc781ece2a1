"""Load the curated files under data/ and refuse bad records.

One validator serves `make db` and the analysts' import page. Every problem names
the file, the line (as a spreadsheet shows it: the header is line 1) and the column.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from etl import vocab
from etl.numerals import parse_number
from etl.periods import CALENDAR_KINDS, parse_period, period_years

MESSAGES = {  # code: (Chinese, English)
    "missing_column": ("缺少列", "missing column"),
    "unexpected_column": ("多余的列", "unexpected column"),
    "missing_value": ("必填字段为空", "required field is empty"),
    "not_allowed": ("取值不在允许范围内", "value not allowed"),
    "not_number": ("不是数字", "not a number"),
    "unknown_unit": ("未知单位", "unknown unit"),
    "unknown_ref": ("引用的对象不存在", "refers to something that does not exist"),
    "bad_period": ("期间无法解析", "period does not parse"),
    "duplicate_key": ("主键重复", "duplicate key"),
    "quote_not_found": ("引文在来源文档中找不到", "quote not found verbatim in its document"),
    "value_not_in_quote": ("数值不在引文中", "value does not appear in its quote"),
    "value_mismatch": ("value 与原文数值不符", "value does not match value_text"),
    "bad_formula": ("公式无效", "formula is invalid"),
    "judged_by_non_actual": ("目标完成情况只能由覆盖目标全期的实际数判定",
                             "a target may be judged met/behind only by an actual covering its whole period"),
    "missing_file": ("文件不存在", "file does not exist"),
    "bad_encoding": ("文件编码无法识别（请用 UTF-8 或 GBK）", "file encoding not recognised (use UTF-8 or GBK)"),
    "bad_id": ("编号只能用小写英文字母、数字和下划线", "an id may use lower-case letters, digits and _ only"),
    "year_not_in_quote": ("期间的年份在引文中找不到（引文没有年份，也没有“今年”“1-9月”等本文件年份的说法）",
                          "the period's year is not in the quote (no year, and no 今年 / 1-9月 that dates it to the document's year)"),
    "approx_not_marked": ("推算所用数字为约数（余、以上、五分之一……），标签须注明“约”",
                          "derived from approximate figures (余, 以上, 五分之一 …): the label must say 约 / approx."),
    "negative_not_fall": ("负值只用于下降（引文中须有“下降”“下滑”“减少”等）",
                          "a negative value is only for a fall (the quote must say 下降, 下滑, 减少 …)"),
    # refusals of an uploaded file as a whole (etl.imports)
    "too_large": ("文件超过大小上限", "file is larger than the limit"),
    "unsupported_file": ("不支持的文件类型", "unsupported file type"),
    "bad_table": ("无法读取为表格", "cannot be read as a table"),
    "empty_batch": ("没有数据行", "no data rows"),
    "cell_too_long": ("单元格内容超过长度上限", "cell is longer than the limit"),
    "table_too_big": ("表格超过行数或列数上限", "table has more rows or columns than the limit"),
    "too_slow": ("读取或校验用时过长，已停止", "reading or checking took too long and was stopped"),
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    code: str
    detail: str = ""

    def message(self, lang: str = "en") -> str:
        text = MESSAGES[self.code][0 if lang == "zh" else 1]
        # line 0: the file as a whole (too large, wrong type …)
        where = self.file + (f":{self.line}" if self.line else "") + (f": {self.column}" if self.column else "")
        return f"{where}: {text}" + (f" — {self.detail}" if self.detail else "")


class ValidationError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.message("en") for p in problems))

    def __reduce__(self):  # crosses from the import worker's process (etl.worker) intact
        return type(self), (self.problems,)


@dataclass(frozen=True)
class TableSpec:
    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    optional: tuple[str, ...] = ()
    allowed: dict = field(default_factory=dict)  # column -> allowed values
    numbers: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()  # lower-case ASCII keys (they name files and formulas)
    supersede: bool = False  # an import batch may restate a key: its row replaces the earlier one


SPECS = {
    "sources": TableSpec("sources", ("source_id",),
                         ("source_id", "file", "title_zh", "title_en", "short_zh", "short_en", "year", "kind", "note"),
                         optional=("note",), numbers=("year",), ids=("source_id",)),
    "units": TableSpec("units", ("unit",), ("unit", "base_unit", "factor", "unit_en"),
                       numbers=("factor",)),
    "indicators": TableSpec("indicators", ("indicator",), ("indicator", "name_zh", "name_en", "topic"),
                            allowed={"topic": vocab.TOPICS}),
    "entities": TableSpec("entities", ("entity",), ("entity", "kind", "name_en", "source_id", "quote"),
                          allowed={"kind": vocab.ENTITY_KINDS}),
    "figures": TableSpec("figures", ("figure_id",), vocab.FIGURE_COLUMNS,
                         optional=vocab.FIGURE_OPTIONAL,
                         allowed={"qualifier": vocab.QUALIFIERS, "measure": vocab.MEASURES,
                                  "basis": vocab.BASES, "topic": vocab.TOPICS},
                         numbers=("value", "rank_total"), ids=("figure_id",), supersede=True),
    "projects": TableSpec("projects", ("project",),
                          ("project", "industry", "status", "year", "source_id", "quote"),
                          allowed={"industry": vocab.INDUSTRIES, "status": vocab.PROJECT_STATUSES},
                          numbers=("year",)),
    "enterprises": TableSpec("enterprises", ("seq_no",), ("seq_no", "city", "name", "source_id", "quote", "entity"),
                             optional=("entity",), numbers=("seq_no",)),
    # an attribute a reader infers from two sentences (两个名称指同一项目): stored and shown as 推断, never as fact
    "inferences": TableSpec("inferences", ("subject", "attribute"),
                            ("subject", "attribute", "value", "source_id", "quote", "other_source_id", "other_quote",
                             "reason", "reason_en"), allowed={"attribute": ("same_as",)}),
    "derived": TableSpec("derived", ("figure_id",),
                         ("figure_id", "formula", "entity", "indicator", "measure", "unit", "period",
                          "topic", "label_zh", "label_en", "note"),
                         optional=("note",), ids=("figure_id",),
                         allowed={"measure": vocab.MEASURES, "topic": vocab.TOPICS}),
}


# ASCII digits only: \d also takes full-width and other scripts' digits (２１７), which pass
# here but not pandas' or DuckDB's number parsing in the build.
NUMBER = r"-?[0-9]+(\.[0-9]+)?"
# the words that make a negative value a fall (data rules: negative only for a fall)
FALLS = ("下滑", "下降", "减少", "回落", "低于", "后移", "负增长")


def is_number(text: str) -> bool:
    return text == "" or re.fullmatch(NUMBER, text) is not None


def _pandera_schema(spec: TableSpec) -> pa.DataFrameSchema:
    columns = {}
    for col in spec.columns:
        checks = []
        if col not in spec.optional:
            checks.append(pa.Check(lambda s: s != "", name="missing_value"))
        if col in spec.allowed:
            allowed = set(spec.allowed[col])
            checks.append(pa.Check(lambda s, allowed=allowed: s.isin(allowed), name="not_allowed"))
        if col in spec.numbers:
            checks.append(pa.Check(lambda s: s.str.fullmatch(NUMBER) | (s == ""), name="not_number"))
        if col in spec.ids:
            checks.append(pa.Check(lambda s: s.str.fullmatch(r"[a-z0-9_]*"), name="bad_id"))
        columns[col] = pa.Column(str, checks=checks)
    return pa.DataFrameSchema(columns)


def normalize_text(text: str) -> str:
    """Compare quotes ignoring white space and markdown emphasis, as the slides were flattened."""
    return re.sub(r"\s+", "", text.replace("**", ""))


def read_csv(path: Path, root: Path, batch: str = "") -> pd.DataFrame:
    """Read a curated CSV as text, remembering each row's file, line and import batch."""
    # a file outside the data folder (an upload being checked) keeps its full path
    name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise ValidationError([Problem(name, 0, "", "empty_batch")]) from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ValidationError([Problem(name, int(line[1]) if line else 0, "", "bad_table",
                                       type(exc).__name__)]) from None
    df.columns = [c.strip() for c in df.columns]
    df.attrs["file"] = name  # an empty table still names its file in a problem
    df["_file"] = name
    df["_line"] = range(2, len(df) + 2)
    df["_batch"] = batch
    return df


class Validator:
    """Collects problems over all tables, then raises them together."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, row, column: str, code: str, detail: str = "") -> None:
        self.problems.append(Problem(row["_file"], int(row["_line"]), column, code, detail))

    def check_table(self, spec: TableSpec, frames: list[pd.DataFrame]) -> pd.DataFrame:
        good = []
        for df in frames:
            present = [c for c in df.columns if not c.startswith("_")]
            missing = [c for c in spec.columns if c not in present]
            extra = [c for c in present if c not in spec.columns]
            file = df.attrs.get("file") or (df["_file"].iat[0] if len(df) else "")
            for col in missing:
                self.problems.append(Problem(file, 1, col, "missing_column"))
            for col in extra:
                self.problems.append(Problem(file, 1, col, "unexpected_column"))
            if not missing:
                good.append(df)
        columns = list(spec.columns) + ["_file", "_line", "_batch"]
        table = (pd.concat(good, ignore_index=True)[columns] if good
                 else pd.DataFrame({c: pd.Series(dtype=str) for c in columns}))
        try:
            _pandera_schema(spec).validate(table[list(spec.columns)], lazy=True)
        except pa.errors.SchemaErrors as err:
            cases = err.failure_cases.dropna(subset=["index"])
            for case in cases.itertuples():
                code = case.check if case.check in MESSAGES else "not_allowed"
                detail = repr(case.failure_case) if code != "missing_value" else ""
                if code == "not_number" and any(c.isdigit() and not c.isascii() for c in str(case.failure_case)):
                    detail += "; 请用半角数字 0-9 / use ASCII digits 0-9"
                if code == "not_allowed":
                    detail += f"; allowed: {' '.join(v or '(empty)' for v in spec.allowed[case.column])}"
                self.add(table.loc[case.index], case.column, code, detail)
        key = list(spec.key)
        dup = table.duplicated(subset=key, keep="first")
        if spec.supersede:  # a batch restating a key from another file is a correction, not a duplicate
            dup &= table["_batch"].eq("") | table.duplicated(subset=[*key, "_file"], keep="first")
        if dup.any():  # one merge with each key's first row, not a scan per duplicate
            repeats = table[dup]
            firsts = table.drop_duplicates(subset=key, keep="first")[[*key, "_file", "_line"]]
            found = repeats[key].merge(firsts, on=key, how="left")
            for row, file, line in zip(repeats.to_dict("records"), found["_file"], found["_line"]):
                self.add(row, spec.key[0], "duplicate_key", f"{row[spec.key[0]]!r} already at {file}:{line}")
        if spec.supersede:
            table = table.drop_duplicates(subset=key, keep="last").reset_index(drop=True)
        return table

    def check_ref(self, table: pd.DataFrame, column: str, known, code: str = "unknown_ref") -> None:
        known = set(known)
        for _, row in table[~table[column].isin(known) & (table[column] != "")].iterrows():
            self.add(row, column, code, repr(row[column]))

    def check_quotes(self, table: pd.DataFrame, texts: dict[str, str], column: str = "quote") -> None:
        for _, row in table.iterrows():
            text = texts.get(row["source_id"])
            if text is not None and row["quote"] and normalize_text(row["quote"]) not in text:
                self.add(row, column, "quote_not_found", f"{row['quote'][:40]!r} in {row['source_id']}")

    def check_periods(self, table: pd.DataFrame) -> pd.DataFrame:
        starts, ends, kinds = [], [], []
        for _, row in table.iterrows():
            try:
                period = parse_period(row["period"])
            except ValueError as exc:
                if row["period"]:
                    self.add(row, "period", "bad_period", str(exc))
                period = None
            starts.append(period.start if period else None)
            ends.append(period.end if period else None)
            kinds.append(period.kind if period else None)
        return table.assign(period_start=starts, period_end=ends, period_kind=kinds)

    def check_values(self, figures: pd.DataFrame) -> None:
        for _, row in figures.iterrows():
            written = row["value_text"]
            if written and normalize_text(written) not in normalize_text(row["quote"]):
                self.add(row, "value_text", "value_not_in_quote", f"{written!r} not in quote")
                continue
            try:
                number = parse_number(written)
            except ValueError:
                if written:
                    self.add(row, "value_text", "not_number", repr(written))
                continue
            if is_number(row["value"]) and row["value"]:
                value = float(row["value"])
                if abs(abs(value) - number) > 1e-9 * max(1, number):
                    self.add(row, "value", "value_mismatch", f"{row['value']} ≠ {written}")
                elif value < 0 and not any(word in row["quote"] for word in FALLS):
                    self.add(row, "value", "negative_not_fall", f"{row['value']} ≠ {written}")
            total = row["rank_total"]
            if total and normalize_text(total) not in normalize_text(row["quote"]):
                self.add(row, "rank_total", "value_not_in_quote", f"{total!r} not in quote")


# Words that date a quote to its own document's year: 今年, 全年 …, or a month span written without a year.
_DOCUMENT_YEAR = {
    "year": r"今年|全年|本年",
    "to_date": r"今年以来",
    "year_end": r"今年|全年|年底|年末",
    "months": r"\d{1,2}-\d{1,2}月|前三季度|上半年|下半年|一季度",
    "month": r"\d{1,2}月份?",
    "range": r"自\d{4}年|累计",  # 自2004年…累计: from a year to the document's date
}
_INHERITED = re.compile(r"承上文“([^”]+)”")


def check_period_years(v: Validator, figures: pd.DataFrame, texts: dict[str, str],
                       years: dict[str, int]) -> None:
    """A period that names a calendar year needs that year in its quote, or the document's own words for
    its year (今年, 1-9月 …) when the year is the document's. A note "期间承上文“X”" adds X, the words a
    sentence inherits from the one before, where X stands in the document before the quote."""
    for _, row in figures.iterrows():
        if row.get("period_kind") not in CALENDAR_KINDS:
            continue
        text, quote = texts.get(row["source_id"], ""), normalize_text(row["quote"])
        before = text[:max(text.find(quote), 0)]
        evidence = quote + "".join(w for w in _INHERITED.findall(row["note"]) if normalize_text(w) in before)
        doc_year = years.get(row["source_id"])
        found = period_years(row["period"])
        for i, year in enumerate(found):
            if str(year) in evidence:
                continue
            first_of_range = row["period_kind"] == "range" and i == 0  # a range's first year must be written
            if not first_of_range and year == doc_year and re.search(_DOCUMENT_YEAR[row["period_kind"]], evidence):
                continue
            v.add(row, "period", "year_not_in_quote", f"{row['period']!r}: {year} (document of {doc_year})")
            break


_FRACTION_WORD = "分之"


def is_approximate(qualifier: str, value_text: str) -> bool:
    """A figure read as approximate: any qualifier (余, 以上, 接近 …) or a fraction word (五分之一)."""
    return bool(qualifier) or _FRACTION_WORD in (value_text or "")


def check_derived_approx(v: Validator, derived: pd.DataFrame) -> None:
    """A figure derived from approximate inputs shows 约 in its label, in both languages."""
    for _, row in derived[derived["approximate_inputs"].fillna(False).astype(bool)].iterrows():
        if "约" not in row["label_zh"]:
            v.add(row, "label_zh", "approx_not_marked", repr(row["label_zh"]))
        if not re.search(r"\b(approx|about)", row["label_en"], re.I):
            v.add(row, "label_en", "approx_not_marked", repr(row["label_en"]))


_FORMULA_REF = re.compile(r"\{([a-z0-9_]+)\}")
_ALLOWED_NODES = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Load,
                  ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd)


def evaluate_formula(formula: str, values: dict[str, float]) -> float:
    """Evaluate {figure_id} arithmetic; only + − × ÷ and parentheses are allowed."""
    expr = _FORMULA_REF.sub(lambda m: f"v_{m[1]}", formula)
    tree = ast.parse(expr, mode="eval")
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ValueError(f"{type(node).__name__} is not allowed")
    names = {f"v_{k}": v for k, v in values.items()}
    return float(eval(compile(tree, "<formula>", "eval"), {"__builtins__": {}}, names))


def formula_inputs(formula: str) -> list[str]:
    return _FORMULA_REF.findall(formula)
