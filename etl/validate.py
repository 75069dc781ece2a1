"""Load the curated files under data/ and refuse bad records.

One validator serves `make db` and the analysts' import page. Every problem names
the file, the line (as a spreadsheet shows it: the header is line 1) and the column.
The tables are loaded into DuckDB and checked there, one query per check and table, so
that 2M rows cost seconds; only what needs a reading of its own (a period's words, a
number written in Chinese) goes through Python, once per distinct text or per suspect row.
"""
from __future__ import annotations

import ast
import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl import periods, vocab
from etl.numerals import NARROW, WIDE, parse_number
from etl.periods import CALENDAR_KINDS, parse_period, period_years
from etl.signs import FALL_WORDS

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
    "entity_unconfirmed": ("主体待确认：引文句中没有写明主体（全区、全市、全省……），请选定主体，再删去备注中的“主体待确认”",
                           "subject to be confirmed: the sentence names no subject (全区, 全市, 全省 …); pick the entity, "
                           "then remove 主体待确认 from the note"),
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
    "needs_confirmation": ("数字超出同一指标此前的范围，须在页面上确认后才能提交",
                           "far outside this indicator's earlier range: confirm it on the page before commit"),
    "bad_factor": ("单位换算系数须大于 0", "a unit's factor must be greater than 0"),
    "lookalike_entity": ("名称与已有主体仅外观相同（含空格、不可见字符或外文字母），请用已有主体",
                         "the name only looks like an existing entity (spaces, invisible marks or other scripts' letters)"),
    "invisible_marks": ("名称含不可见字符、首尾空格或外文形近字母", "the name has invisible marks, surrounding spaces or lookalike letters"),
    "out_of_range": ("数值超出合理范围", "out of any sane range"),
    "quote_only_number": ("引文只有数字，须为原文中包含该数字的句子", "the quote is only the number: it must be the sentence that holds it"),
    "period_digits": ("期间须用半角数字 0-9", "a period is written in ASCII digits 0-9"),
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
# the words that make a negative value a fall (data rules: negative only for a fall): etl.signs,
# the one list the extractor and the screens read too; a number written with a minus is its own


def is_number(text: str) -> bool:
    return text == "" or re.fullmatch(NUMBER, text) is not None


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


# Python's \s (what normalize_text removes) as an RE2 class: DuckDB's \s is ASCII white space only.
SPACE = r"[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+"
# the same but for the line end, which also ends a sentence (SENTENCE_END): a document with these and
# ** taken out splits into its sentences normalized
SPACE_IN_LINE = SPACE.replace("\\t\\n", "\\t")
# Where a document's sentences (and lines) end: a quote that is one whole sentence is found by a join,
# the rest by a scan of its document.
# Where the quote check's sentences end. Not the ASCII "!": every line of a statistical table's
# text starts <sheet>!<cell> (imports.table_text), and splitting there sent each of its quotes to
# the scan of the whole document (85% of a 2M-row build). A sentence that does end in "!" is
# still found, by that scan.
SENTENCE_END = "[。！？；?;\n]"
ORD_STEP = 2 ** 32  # _ord = file number × ORD_STEP + line: the order the files and rows were loaded in
READ_BYTES = 64 * 2 ** 20  # CSV read by DuckDB at once


def sentence_key(source: str, text: str) -> str:
    """SQL: a document's sentence as the quote check's join key, its 128-bit MD5 rather than its text:
    2M rows' sentences hold 16 bytes each and the join compares numbers (1.9 → 1.4 CPU-s); two
    different sentences share a key with odds of about 1e-26 on that history."""
    return f"md5_number({source} || chr(0) || {text})"


def _label(path: Path, root: Path) -> str:
    # a file outside the data folder (an upload being checked) keeps its full path
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _header(path: Path) -> list[str] | None:
    """A CSV's header as written, or None when DuckDB's reader should not be trusted with it
    (empty, undecodable, a blank or repeated column name): pandas then reads it as before."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            row = next(csv.reader(f), None)
    except (UnicodeDecodeError, csv.Error):
        return None
    names = [c.strip() for c in row or []]
    return row if names and all(names) and len(set(names)) == len(names) else None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list) -> None:
    """Rows (sequences, in the table's column order) into `table` in one insert of a list per column:
    executemany costs ~0.2 ms a row (4,700 written numbers: 1 s)."""
    if rows:
        con.execute(f"INSERT INTO {table} SELECT " + ", ".join(f"unnest(${i + 1})" for i in range(len(rows[0]))),
                    [list(column) for column in zip(*rows)])


class Validator:
    """Loads curated tables into DuckDB and checks them there, set by set; collects the problems,
    each naming file, line and column, to raise them together.

    `scope` is an SQL condition on a table's rows: the rows to check (all of them for `make db`;
    an import's new rows when they are checked against a database already validated)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, scope: str = "TRUE"):
        self.con, self.scope = con, scope
        self.problems: list[Problem] = []
        # normalize_text: the ASCII space by replace (a table's cell quote has one, and no other white space),
        # the rest of the class only where there is any (matching is cheaper than replacing); 2M quotes: 1.5 → 0.9 CPU-s
        con.execute("""CREATE OR REPLACE MACRO unspaced(s, chars) AS CASE WHEN regexp_matches(replace(s, ' ', ''), chars)
                         THEN regexp_replace(replace(s, ' ', ''), chars, '', 'g') ELSE replace(s, ' ', '') END""")
        con.execute(f"CREATE OR REPLACE MACRO norm(s) AS unspaced(replace(s, '**', ''), '{SPACE}')")  # normalize_text

    def add(self, row, column: str, code: str, detail: str = "") -> None:
        self.problems.append(Problem(row["_file"], int(row["_line"]), column, code, detail))

    def report(self, sql: str, column: str, code: str, detail=None, params=()) -> None:
        """Each row (_file, _line, *values) of `sql` is a problem in `column`; detail(*values) its detail."""
        for file, line, *values in self.con.execute(sql, list(params)).fetchall():
            self.problems.append(Problem(file, int(line), column, code, detail(*values) if detail else ""))

    # ---------- loading ----------

    def load(self, spec: TableSpec, files: list[tuple[Path, str]], root: Path, table: str, first: int = 0) -> None:
        """View `table`: the spec's columns as text, plus _file, _line, _batch and _ord (the load
        order), and _nq, the quote normalized, where there is a quote; from files [(path, batch)]
        numbered from `first`. The rows are in table `{table}_rows`, which keeps only _ord of
        where a row came from (table `files` the rest) and _nq only where it differs from the
        quote: 2M rows stay in memory. A file's missing or unexpected columns are problems; a file
        missing a column is left out. _fno, the file's number (_ord // ORD_STEP), is a column of its
        own so that DuckDB sees what the view's join with `files` keeps: estimating it on the
        expression, it took 2M rows for 492 and built every join with them on the 2M rows."""
        columns = ", ".join(f"{_q(c)} VARCHAR" for c in spec.columns)
        quoted = "quote" in spec.columns
        self.con.execute(f"CREATE OR REPLACE TABLE {table}_rows ({columns}, _ord BIGINT, _fno BIGINT"
                         f"{', _nq VARCHAR' * quoted})")
        self.con.execute("CREATE TABLE IF NOT EXISTS files (number BIGINT, label VARCHAR, batch VARCHAR)")
        self.con.execute(f"""CREATE OR REPLACE VIEW {table} AS
            SELECT r.* EXCLUDE (_ord, _fno{', _nq' * quoted}), f.label AS _file, r._ord % {ORD_STEP} AS _line,
                   f.batch AS _batch, r._ord{', coalesce(r._nq, r.quote) AS _nq' * quoted}
            FROM {table}_rows r JOIN files f ON f.number = r._fno""")
        groups: dict[tuple[str, ...], list] = {}
        insert_rows(self.con, "files", [(n, _label(p, root), b) for n, (p, b) in enumerate(files, start=first)])
        for number, (path, batch) in enumerate(files, start=first):
            label, header, frame = _label(path, root), _header(path), None
            if header is None:
                frame = read_csv(path, root, batch)  # raises the problem of a file that cannot be read
                header = [c for c in frame.columns if not c.startswith("_")]
            names = [c.strip() for c in header]
            missing = [c for c in spec.columns if c not in names]
            for col in missing:
                self.problems.append(Problem(label, 1, col, "missing_column"))
            for col in (c for c in names if c not in spec.columns):
                self.problems.append(Problem(label, 1, col, "unexpected_column"))
            if missing:
                continue
            if frame is not None:
                self._insert_frame(spec, table, frame, number)
            else:
                groups.setdefault(tuple(names), []).append((number, path, batch))
        for names, members in groups.items():
            chunk, size = [], 0
            for member in members:  # a few files per read: the reader's copy stays small
                chunk.append(member)
                size += member[1].stat().st_size
                if size > READ_BYTES or member is members[-1]:
                    self._insert_files(spec, table, list(names), chunk, root)
                    chunk, size = [], 0

    def _insert_files(self, spec: TableSpec, table: str, names: list[str], members: list, root: Path) -> None:
        """Files with one header in one read of DuckDB's CSV reader; a file it refuses is read by
        pandas alone (which reads what it can, or names the problem as before)."""
        struct = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(names)))
        self.con.execute("CREATE OR REPLACE TEMP TABLE _paths (path VARCHAR, number BIGINT)")
        insert_rows(self.con, "_paths", [(str(p), n) for n, p, _ in members])
        try:
            self.con.execute(
                "CREATE OR REPLACE TEMP TABLE _chunk AS SELECT * FROM read_csv(?, header = true, delim = ',', "
                "quote = '\"', escape = '\"', strict_mode = true, auto_detect = false, filename = true, "
                f"columns = {{{struct}}})", [[str(p) for _, p, _ in members]])
        except duckdb.Error:
            if len(members) == 1:
                number, path, batch = members[0]
                self._insert_frame(spec, table, read_csv(path, root, batch), number)
            else:
                for member in members:
                    self._insert_files(spec, table, names, [member], root)
            return
        picked = ", ".join(f"coalesce(c.c{names.index(col)}, '')" for col in spec.columns)
        quote = (f", NULLIF(norm(coalesce(c.c{names.index('quote')}, '')), coalesce(c.c{names.index('quote')}, ''))"
                 if "quote" in spec.columns else "")
        # rowid follows the reader's order (insertion order is kept): line = place in its file + 2; each
        # file's first rowid by a join (a window over the file would sort every row with all its columns)
        self.con.execute(f"""
            INSERT INTO {table}_rows
            SELECT {picked}, p.number * {ORD_STEP} + c.rowid - p.first + 2, p.number {quote}
            FROM _chunk c JOIN (SELECT path, number, min(c.rowid) AS first FROM _paths JOIN _chunk c ON c.filename = path
                                GROUP BY ALL) p ON p.path = c.filename""")
        self.con.execute("DROP TABLE _chunk")

    def _insert_frame(self, spec: TableSpec, table: str, frame: pd.DataFrame, number: int) -> None:
        rows = frame[list(spec.columns)].astype(str).assign(_ord=frame["_line"] + number * ORD_STEP, _fno=number)
        self.con.register("_frame", rows)
        quote = ", NULLIF(norm(quote), quote)" if "quote" in spec.columns else ""
        self.con.execute(f"INSERT INTO {table}_rows SELECT *{quote} FROM _frame")
        self.con.unregister("_frame")

    # ---------- checks ----------

    def check_table(self, spec: TableSpec, table: str) -> None:
        """Required, allowed, numeric and id fields; duplicate keys."""
        where = f"WHERE ({self.scope})"
        for col in spec.columns:
            c = _q(col)
            if col not in spec.optional:
                self.report(f"SELECT _file, _line FROM {table} {where} AND {c} = '' ORDER BY _ord", col,
                             "missing_value")
            if col in spec.allowed:
                allowed = f"; allowed: {' '.join(v or '(empty)' for v in spec.allowed[col])}"
                self.report(f"SELECT _file, _line, {c} FROM {table} {where} AND NOT list_contains(?, {c}) "
                             "ORDER BY _ord", col, "not_allowed", lambda v: repr(v) + allowed,
                             [list(spec.allowed[col])])
            if col in spec.numbers:
                self.report(f"SELECT _file, _line, {c} FROM {table} {where} AND {c} <> '' "
                             f"AND NOT regexp_full_match({c}, ?) ORDER BY _ord", col, "not_number",
                             _not_number_detail, [NUMBER])
            if col in spec.ids:
                self.report(f"SELECT _file, _line, {c} FROM {table} {where} AND NOT regexp_full_match({c}, "
                             "'[a-z0-9_]*') ORDER BY _ord", col, "bad_id", repr)
        self._check_keys(spec, table)

    def _check_keys(self, spec: TableSpec, table: str) -> None:
        keys = ", ".join(_q(k) for k in spec.key)
        # the keys that occur twice, found by grouping (or, for a few new rows, by their keys alone)
        repeated = (f"SELECT {keys} FROM {table} GROUP BY ALL HAVING count(*) > 1" if self.scope == "TRUE"
                    else f"SELECT DISTINCT {keys} FROM {table} WHERE {self.scope}")
        # a batch restating a key from another file is a correction, not a duplicate
        allowed = "AND (_batch = '' OR n_file > 1)" if spec.supersede else ""
        self.report(f"""
            SELECT _file, _line, {_q(spec.key[0])}, first_file, first_line FROM (
                SELECT *, row_number() OVER (PARTITION BY {keys} ORDER BY _ord) AS n_key,
                       row_number() OVER (PARTITION BY {keys}, _file ORDER BY _ord) AS n_file,
                       first_value(_file) OVER (PARTITION BY {keys} ORDER BY _ord) AS first_file,
                       first_value(_line) OVER (PARTITION BY {keys} ORDER BY _ord) AS first_line
                FROM {table} SEMI JOIN ({repeated}) USING ({keys}))
            WHERE n_key > 1 {allowed} AND ({self.scope}) ORDER BY _ord""", spec.key[0], "duplicate_key",
                     lambda key, file, line: f"{key!r} already at {file}:{line}")

    def check_ref(self, table: str, column: str, known: str, code: str = "unknown_ref") -> None:
        """`column` names a row of `known` (an SQL query of one column)."""
        c = _q(column)
        self.report(f"SELECT _file, _line, {c} FROM {table} WHERE ({self.scope}) AND {c} <> '' "
                     f"AND {c} NOT IN (SELECT * FROM ({known})) ORDER BY _ord", column, code, repr)

    def check_quotes(self, table: str, column: str = "quote", source: str = "source_id") -> None:
        """The quote stands in its document's text (table documents: source_id, raw): a quote that
        is a whole sentence by a join with the documents' sentences, any other by a scan of its
        document, normalized for the few documents that need it."""
        q, s = _q(column), _q(source)
        nq = "_nq" if column == "quote" else f"norm({q})"
        # only the order and the normalized quote go through the join (2M rows); file, line and quote are
        # fetched for the few left (a scan of 2M rows costs less than carrying them through: 2.0 → 1.4 CPU-s)
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _rest AS
            WITH q AS (SELECT _ord, {s} AS source_id, {nq} AS nq FROM {table}
                       WHERE ({self.scope}) AND {q} <> '' AND {s} IN (SELECT source_id FROM documents))
            SELECT * FROM q WHERE {sentence_key("source_id", "nq")} NOT IN (SELECT h FROM sentences)""")
        sources = [s for (s,) in self.con.execute("SELECT DISTINCT source_id FROM _rest").fetchall()]
        if sources:
            self.report(f"""
                SELECT f._file, f._line, f.{q}, r.source_id FROM _rest r
                JOIN (SELECT source_id, norm(raw) AS text FROM documents WHERE list_contains(?, source_id)) t
                USING (source_id) JOIN {table} f ON f._ord = r._ord
                WHERE NOT contains(t.text, r.nq) ORDER BY r._ord""", column, "quote_not_found",
                         lambda quote, source_id: f"{quote[:40]!r} in {source_id}", [sources])
        self.con.execute("DROP TABLE _rest")

    def texts(self, sources: list[str]) -> dict[str, str]:
        """Documents' texts, normalized (normalize_text)."""
        return dict(self.con.execute("SELECT source_id, norm(raw) FROM documents WHERE list_contains(?, source_id)",
                                     [sources]).fetchall())

    def check_periods(self, table: str) -> None:
        """Every period parses (etl.periods, once per distinct period); table `periods` holds them."""
        self.con.execute("CREATE TABLE IF NOT EXISTS periods (period VARCHAR, period_start DATE, period_end DATE, "
                         "period_kind VARCHAR, years VARCHAR[], error VARCHAR)")
        new = [p for (p,) in self.con.execute(f"SELECT DISTINCT period FROM {table} WHERE ({self.scope}) "
                                              "AND period NOT IN (SELECT period FROM periods)").fetchall()]
        rows = []
        for text in new:
            try:
                p = parse_period(text)
                rows.append([text, p.start, p.end, p.kind, [str(y) for y in period_years(text)], None])
            except ValueError as exc:
                rows.append([text, None, None, None, [], str(exc)])
        insert_rows(self.con, "periods", rows)
        self.report(f"SELECT _file, _line, p.error FROM {table} JOIN periods p USING (period) "
                     f"WHERE ({self.scope}) AND p.error IS NOT NULL AND period <> '' ORDER BY _ord", "period",
                     "bad_period", str)

    def check_values(self, table: str) -> None:
        """value_text stands in the quote and is the number `value` holds (negative only for a fall);
        rank_total stands in the quote. Written numbers that are not plain digits are read by
        etl.numerals, once each."""
        self.con.execute("CREATE OR REPLACE TEMP TABLE numbers (value_text VARCHAR, number DOUBLE)")
        words = [w for (w,) in self.con.execute(f"SELECT DISTINCT value_text FROM {table} WHERE ({self.scope}) "
                                                "AND NOT regexp_full_match(value_text, '[0-9]+(\\.[0-9]+)?')")
                 .fetchall()]
        insert_rows(self.con, "numbers", [(w, _number_or_none(w)) for w in words])
        falls = "|".join(FALL_WORDS)
        rows = self.con.execute(f"""
            WITH f AS (
                SELECT _ord, _file, _line, value_text, value, rank_total, _nq AS nq, quote,
                       CASE WHEN regexp_full_match(value_text, '[0-9]+(\\.[0-9]+)?') THEN value_text::DOUBLE
                            ELSE n.number END AS number
                FROM {table} LEFT JOIN numbers n USING (value_text) WHERE ({self.scope})),
            c AS (
                -- as written first: translate maps one character to one, so that finds all but a few; CASE,
                -- not AND, so that only those few are translated (AND computes both sides of 2M rows)
                SELECT *, CASE WHEN value_text <> '' AND NOT contains(nq, value_text)
                               THEN NOT contains(translate(nq, '{WIDE}', '{NARROW}'),
                                                 translate(norm(value_text), '{WIDE}', '{NARROW}')) ELSE false END AS not_in_quote,
                       CASE WHEN rank_total <> '' THEN NOT contains(nq, norm(rank_total)) ELSE false END AS total_not_in_quote,
                       CASE WHEN regexp_full_match(value, ?) THEN value::DOUBLE END AS v FROM f)
            SELECT _file, _line, value_text, value, rank_total, not_in_quote, number IS NULL,
                   abs(abs(v) - abs(number)) > 1e-9 * greatest(1, abs(number)) OR (number < 0 AND v >= 0),
                   v < 0 AND number >= 0 AND NOT regexp_matches(quote, ?), total_not_in_quote
            FROM c
            WHERE not_in_quote OR (value_text <> '' AND number IS NULL)
               OR abs(abs(v) - abs(number)) > 1e-9 * greatest(1, abs(number)) OR (number < 0 AND v >= 0)
               OR (v < 0 AND number >= 0 AND NOT regexp_matches(quote, ?)) OR total_not_in_quote
            ORDER BY _ord""", [NUMBER, falls, falls]).fetchall()
        for file, line, written, value, total, not_in_quote, no_number, mismatch, negative, total_out in rows:
            add = lambda column, code, detail: self.problems.append(Problem(file, int(line), column, code, detail))  # noqa: E731
            if not_in_quote:
                add("value_text", "value_not_in_quote", f"{written!r} not in quote")
                continue
            if no_number:  # an empty value_text is "missing" already; nothing more to say of it
                if written:
                    add("value_text", "not_number", repr(written))
                continue
            if mismatch:
                add("value", "value_mismatch", f"{value} ≠ {written}")
            elif negative:
                add("value", "negative_not_fall", f"{value} ≠ {written}")
            if total_out:
                add("rank_total", "value_not_in_quote", f"{total!r} not in quote")


def _not_number_detail(value: str) -> str:
    hint = "; 请用半角数字 0-9 / use ASCII digits 0-9" if any(c.isdigit() and not c.isascii() for c in value) else ""
    return repr(value) + hint


def _number_or_none(written: str) -> float | None:
    try:
        return parse_number(written)
    except ValueError:
        return None


# Words that date a quote to its own document's year: 今年, 全年 …, or a month span written without a year.
# (Kept for the curated files' older wordings; etl.periods.mentions, the extractor's grammar, reads the rest.)
_DOCUMENT_YEAR = {
    "year": r"今年|全年|本年",
    "to_date": r"今年以来",
    "year_end": r"今年|全年|年底|年末",
    "months": r"\d{1,2}-\d{1,2}月|前三季度|上半年|下半年|一季度",
    "month": r"\d{1,2}月份?",
    "range": r"自\d{4}年|累计",  # 自2004年…累计: from a year to the document's date
}
_INHERITED = re.compile(r"期间承上文“([^”]+)”")
_HEADLINE = re.compile(r"年份承标题“([^”]+)”")
# the extractor's note for a sentence that writes no period at all: the document's own year
DOCUMENT_YEAR_NOTE = "期间未写明，按文件年份"


def _year_problem(quote: str, period: str, kind: str, note: str, doc_year: int | None, before: str = "",
                  written: list[bool] | None = None) -> str | None:
    """year_not_in_quote's detail for one figure, or None when the quote (with the words its note
    inherits from `before`, the document's text before the quote) dates its period. `written[i]`:
    whether the period's i-th year stands in the quote, given when the quote is read masked."""
    inherited = [w for w in _INHERITED.findall(note) if normalize_text(w) in before]
    evidence = quote + "".join(inherited)
    base = doc_year
    for headline in _HEADLINE.findall(note):
        dated = re.search(r"(\d{4})年", periods.normalize(headline))
        if dated and normalize_text(headline) in before:
            base = int(dated[1])
    if any(periods.dated_by(words, period, base) for words in (quote, *inherited)):
        return None
    if (DOCUMENT_YEAR_NOTE in note and period == f"{base}年"
            and (base == doc_year or base != doc_year and _HEADLINE.search(note))):
        return None
    for i, year in enumerate(period_years(period)):
        if written[i] if written is not None else str(year) in evidence:
            continue
        first_of_range = kind == "range" and i == 0  # a range's first year must be written
        kind_words = _DOCUMENT_YEAR.get(kind)
        if not first_of_range and year == base and kind_words and re.search(kind_words, evidence):
            continue
        return f"{period!r}: {year} (document of {doc_year})"
    return None


def _period_reading_macro() -> str:
    """SQL macro period_reading(s): s as the period grammar reads it, the same for it and ~1,000× fewer
    distinct texts. Every character no pattern of etl.periods (MENTIONS, _REFERENCE, _TO, _WIDTH) or
    _DOCUMENT_YEAR names is alike to them all, so a run of them becomes one "_"; a number followed by
    such a run (a cell's 0001, 12.3) can only stop a pattern as any digit does, so it becomes "0".
    Years are not read from the result: `written` says which of the period's years the quote has.
    The runs are masked first, so that a number is followed by "_" (or the "_" put after the text):
    a pattern without a group, which RE2 replaces ~2× faster than one that keeps the next character."""
    sources = [p.pattern for p, _ in periods.MENTIONS] + [periods._REFERENCE.pattern, periods._TO.pattern]
    sources += list(_DOCUMENT_YEAR.values()) + [chr(c) for pair in periods._WIDTH.items() for c in pair]
    read = {c for text in sources for c in text if not (c.isascii() and c.isalpha())}  # \d's d is not a letter read
    known = "".join(f"\\x{{{ord(c):x}}}" for c in sorted(read)) + "\\p{Nd}"
    number = "\\p{Nd}[" + "".join(f"\\x{{{ord(c):x}}}" for c in ".-~．～－—–―") + "\\p{Nd}]*"
    return (f"CREATE OR REPLACE MACRO period_reading(s) AS left(regexp_replace(regexp_replace("
            f"s, '[^{known}]+', '_', 'g') || '_', '{number}_', '0_', 'g'), -1)")


def check_period_years(v: Validator, table: str) -> None:
    """A period that names a calendar year needs that year in its quote, or words of the quote that
    date it by the document's year (今年, 1-9月, 1~4月, 上半年, 截至6月末 … as etl.periods.mentions reads
    them). A note "期间承上文“X”" adds X, the words a sentence inherits from the text before it, where X
    stands in the document before the quote; "年份承标题“H”" dates spans by the year of H, a headline
    standing before the quote; "期间未写明，按文件年份" is the document's year itself.

    Only rows whose quote lacks one of the period's years are read; those whose note points into the
    document one by one, the rest once per (quote as the grammar reads it, period, document's year)."""
    con = v.con
    con.execute(_period_reading_macro())
    # the rows whose quote lacks one of its period's years, each with its document's year
    undated = f"""
        SELECT f._ord, f._file, f._line, f.source_id, f._nq, f.note, f.period, p.period_kind, s.doc_year,
               array_to_string(list_transform(p.years, lambda y: CASE WHEN contains(f._nq, y) THEN '1' ELSE '0' END),
                               '') AS written,
               contains(f.note, '期间承上文“') OR contains(f.note, '年份承标题“') AS own, contains(f.note, $note) AS doc_note
        FROM {table} f JOIN periods p USING (period)
        LEFT JOIN (SELECT source_id, CASE WHEN regexp_full_match(year, '-?[0-9]+') THEN year::BIGINT END AS doc_year
                   FROM t_sources QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY _ord DESC) = 1) s
            USING (source_id)
        WHERE ({v.scope}) AND list_contains($kinds, p.period_kind) AND contains(written, '0')"""
    params = {"note": DOCUMENT_YEAR_NOTE, "kinds": list(CALENDAR_KINDS)}
    # what _year_problem accepts last, in SQL: every missing year is the document's (never a range's
    # first) and the quote has words of its kind (1-9月, 全年 …): most rows of a table go no further
    words = " ".join(f"WHEN '{k}' THEN regexp_matches(_nq, '{w.replace(chr(92) + 'd', chr(92) + 'p{Nd}')}')"
                     for k, w in _DOCUMENT_YEAR.items())
    dated = (f"(CASE period_kind {words} ELSE false END) AND len(list_filter(generate_series(1, len(written)), "
             "lambda i: substr(written, i, 1) = '0' AND (years[i]::BIGINT IS DISTINCT FROM doc_year "
             "OR (i = 1 AND period_kind = 'range')))) = 0")
    undated = undated.replace("p.period_kind, s.doc_year,", "p.period_kind, p.years, s.doc_year,")
    # one pass over the rows: those still to read, a quote for those read one by one, a reading for the rest
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _undated AS
        SELECT _ord, _file, _line, source_id, note, period, period_kind, doc_year, doc_note, written, own,
               CASE WHEN own THEN _nq END AS quote, CASE WHEN NOT own THEN period_reading(_nq) END AS reading
        FROM ({undated}) WHERE own OR NOT ({dated})""", params)
    found = []  # (_ord, Problem)
    rows = con.execute("SELECT _ord, _file, _line, source_id, quote, note, period, period_kind, doc_year "
                       "FROM _undated WHERE own").fetchall()
    texts = v.texts(sorted({r[3] for r in rows}))
    for order, file, line, source, quote, note, period, kind, doc_year in rows:
        text = texts.get(source, "")
        detail = _year_problem(quote, period, kind, note, doc_year, text[:max(text.find(quote), 0)])
        if detail:
            found.append((order, Problem(file, int(line), "period", "year_not_in_quote", detail)))
    # doc_year may be NULL (a source without a year): matched as equal too
    key = " AND ".join(f"u.{c} IS NOT DISTINCT FROM b.{c}" for c in
                       ("reading", "period", "period_kind", "doc_year", "doc_note", "written"))
    readings = con.execute("SELECT DISTINCT reading, period, period_kind, doc_year, doc_note, written FROM _undated "
                           "WHERE NOT own").fetchall()
    bad = [[*r, detail] for r in readings
           if (detail := _year_problem(r[0], r[1], r[2], DOCUMENT_YEAR_NOTE if r[4] else "", r[3],
                                       written=[c == "1" for c in r[5]]))]
    if bad:  # the rows of each refused reading
        con.execute("CREATE OR REPLACE TEMP TABLE _bad (reading VARCHAR, period VARCHAR, period_kind VARCHAR, "
                    "doc_year BIGINT, doc_note BOOLEAN, written VARCHAR, detail VARCHAR)")
        insert_rows(con, "_bad", bad)
        found += [(order, Problem(file, int(line), "period", "year_not_in_quote", detail))
                  for order, file, line, detail in con.execute(
                      f"SELECT _ord, _file, _line, detail FROM _undated u JOIN _bad b ON {key} WHERE NOT u.own")
                  .fetchall()]
        con.execute("DROP TABLE _bad")
    con.execute("DROP TABLE _undated")
    v.problems += [p for _, p in sorted(found, key=lambda x: x[0])]


def check_entity_confirmed(v: Validator, table: str) -> None:
    """A row the extractor marked 主体待确认 (its sentence names no subject) is not committed until the
    analyst has picked its entity and taken the mark out of the note."""
    v.report(f"SELECT _file, _line, entity FROM {table} WHERE ({v.scope}) AND contains(note, ?) ORDER BY _ord",
             "entity", "entity_unconfirmed", lambda e: f"建议 / suggested: {e!r}", ["主体待确认"])


_FRACTION_WORD = "分之"


def is_approximate(qualifier: str, value_text: str) -> bool:
    """A figure read as approximate: any qualifier (余, 以上, 接近 …) or a fraction word (五分之一)."""
    return bool(qualifier) or _FRACTION_WORD in (value_text or "")


def check_derived_approx(v: Validator, derived: pd.DataFrame) -> None:
    """A figure derived from approximate inputs shows 约 in its label, in both languages."""
    approx = derived[derived["approximate_inputs"].fillna(False).astype(bool)]
    no_zh = ~approx["label_zh"].str.contains("约", regex=False)
    no_en = ~approx["label_en"].str.contains(r"\b(?:approx|about)", case=False, regex=True)
    refused = no_zh | no_en
    for row, zh, en in zip(approx[refused].to_dict("records"), no_zh[refused], no_en[refused]):
        if zh:
            v.add(row, "label_zh", "approx_not_marked", repr(row["label_zh"]))
        if en:
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


# ---------- what is not true: refused as firmly as the rest is accepted (issue 19, item 7) ----------

YEARS = (1900, 2100)  # a year, a period's year or a document's year outside these is a typing error
# more places than any ranking the documents cite has (217 national zones, 2,800-odd counties, 500强 lists)
MAX_RANK_TOTAL = 5_000
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
# letters of other scripts that look like Latin ones (Cyrillic, Greek): a name written with them is a lookalike
_LOOKALIKES = str.maketrans("аеорсхуіјѕԁԛԝАВЕКМНОРСТХУІЈЅΑΒΕΖΗΙΚΜΝΟΡΤΥΧаοрνϲ",
                            "aeopcxyijsdqwABEKMHOPCTXYIJSABEZHIKMNOPTYXaopvc")


def _fold_width(text: str) -> str:
    """Full-width letters and digits (ＡＢＣ１２) as ASCII; Chinese punctuation （）、， stays as written."""
    return "".join(unicodedata.normalize("NFKC", c) if "\uff10" <= c <= "\uff5a" and c.isalnum() else c for c in text)


def skeleton(name: str) -> str:
    """A name as a reader sees it: full-width letters and digits as ASCII, without invisible marks (U+FEFF,
    bidi controls, zero-width spaces) or surrounding spaces, other scripts' lookalike letters as Latin,
    case folded. Two names with one skeleton are one name to a reader."""
    text = _INVISIBLE.sub("", _fold_width(name or ""))
    return re.sub(r"\s+", " ", text.translate(_LOOKALIKES)).strip().casefold()


def _why_lookalike(name: str, existing: str) -> str:
    marks = []
    if name != name.strip():
        marks.append("leading/trailing space 首尾空格")
    if _INVISIBLE.search(name):
        marks.append("invisible marks 不可见字符 " + " ".join(f"U+{ord(c):04X}" for c in _INVISIBLE.findall(name)))
    if name.translate(_LOOKALIKES) != name:
        marks.append("Cyrillic/Greek letters 西里尔或希腊字母")
    if not marks and _fold_width(name) != name:
        marks.append("full-width letters 全角字符")
    return f"{name!r} looks like the existing entity {existing!r} ({'; '.join(marks) or 'case'}); use {existing!r}"


def _clean(name: str) -> bool:
    """Written as a reader sees it: nothing invisible, no lookalike letters, no surrounding space."""
    return skeleton(name) == name.casefold()


def _non_ascii_digits(text: str) -> str | None:
    """The text with its other scripts' digits (２０２４, ٢٠٢٤) as ASCII, or None when it has none."""
    if not any(c.isdigit() and not c.isascii() for c in text or ""):
        return None
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in text)


def check_untrue(v: Validator) -> None:
    """Refusals of what only looks right: a unit whose factor is 0 or negative; an entity that only looks
    like an existing one (a space, U+FEFF, bidi marks, Cyrillic letters), named in the message; a rank
    total, a year, a period's or a document's year out of any sane range; a quote that is only its
    number; a period written with full-width or Arabic-Indic digits (read, told, never stored so)."""
    scope, (low, high) = v.scope, YEARS
    v.report(f"SELECT _file, _line, factor FROM t_units WHERE ({scope}) AND regexp_full_match(factor, ?) "
             "AND factor::DOUBLE <= 0 ORDER BY _ord", "factor", "bad_factor", repr, [NUMBER])
    known = [e for (e,) in v.con.execute("SELECT entity FROM t_entities").fetchall()]
    by_skeleton = {skeleton(e): e for e in known if _clean(e)}
    for table, column in (("t_entities", "entity"), ("t_figures", "entity")):
        # each distinct name once (a figures table of millions names a few hundred entities)
        names = [n for (n,) in v.con.execute(f"SELECT DISTINCT {column} FROM {table} WHERE ({scope}) "
                                             f"AND {column} <> ''").fetchall() if not _clean(n)]
        for name in names:
            existing = by_skeleton.get(skeleton(name))
            code, detail = (("lookalike_entity", _why_lookalike(name, existing)) if existing is not None else
                            ("invisible_marks", f"{name!r}; 请写作 / write it {skeleton(name)!r}"))
            v.report(f"SELECT _file, _line, ? FROM {table} WHERE ({scope}) AND {column} = ? ORDER BY _ord",
                     column, code, str, [detail, name])
    v.report(f"SELECT _file, _line, rank_total FROM t_figures WHERE ({scope}) AND regexp_full_match(rank_total, ?) "
             f"AND (rank_total::DOUBLE > {MAX_RANK_TOTAL} OR rank_total::DOUBLE < 1 "
             "OR (regexp_full_match(value, ?) AND measure = 'rank' AND value::DOUBLE > rank_total::DOUBLE)) "
             "ORDER BY _ord", "rank_total", "out_of_range",
             lambda t: f"{t!r}: a rank's total is 1–{MAX_RANK_TOTAL:,} and not below the rank", [NUMBER, NUMBER])
    v.report(f"SELECT _file, _line, value FROM t_figures WHERE ({scope}) AND measure = 'year' "
             f"AND regexp_full_match(value, ?) AND NOT value::DOUBLE BETWEEN {low} AND {high} ORDER BY _ord",
             "value", "out_of_range", lambda y: f"{y!r}: a year is {low}–{high}", [NUMBER])
    v.report(f"SELECT _file, _line, year FROM t_sources WHERE ({scope}) AND regexp_full_match(year, ?) "
             f"AND NOT year::DOUBLE BETWEEN {low} AND {high} ORDER BY _ord", "year", "out_of_range",
             lambda y: f"{y!r}: a year is {low}–{high}", [NUMBER])
    periods = [p for (p,) in v.con.execute(f"SELECT DISTINCT period FROM t_figures WHERE ({scope}) AND period <> ''")
               .fetchall()]
    for period in periods:
        if (ascii_digits := _non_ascii_digits(period)) is not None:
            code, detail = "period_digits", f"{period!r} reads as {ascii_digits!r}; 请写作 / write it {ascii_digits!r}"
        elif bad := [y for y in map(int, re.findall(r"(?<!\d)(\d{4})(?!\d)", period)) if not low <= y <= high]:
            code, detail = "out_of_range", f"{period!r}: {bad[0]} (a year is {low}–{high})"
        else:
            continue
        v.report(f"SELECT _file, _line, ? FROM t_figures WHERE ({scope}) AND period = ? ORDER BY _ord",
                 "period", code, str, [detail, period])
    # no letter left once the number and its unit are taken out: the quote is only the number
    v.report(f"""SELECT _file, _line, quote FROM t_figures WHERE ({scope}) AND quote <> '' AND NOT regexp_matches(
                     replace(replace(quote, value_text, ''), CASE WHEN unit = '' THEN chr(0) ELSE unit END, ''),
                     '\\p{{L}}') ORDER BY _ord""", "quote", "quote_only_number", repr)
