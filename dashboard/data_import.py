"""What the 数据维护 page asks of etl/, in one place: the page goes through this module (as every
screen goes through dashboard/), never into etl/ itself. Reading an upload, proposing candidates,
checking, the plausibility doubts, commit and undo, and the problems as the analyst reads them
(in the page's language, on the row numbers the page shows)."""
from __future__ import annotations

import re

import pandas as pd

from dashboard import archive
from dashboard.i18n import TEXT, lang, measure_label, t, topic_label
from etl import extract, imports, vocab, worker
from etl.inputs import data_dir
from etl.validate import Problem, ValidationError

# what the page names directly
BuildFailed, Refused, TimedOut, Upload = imports.BuildFailed, imports.Refused, worker.TimedOut, imports.Upload
Check = imports.Check
MAX_UPLOAD_MB = imports.MAX_UPLOAD_BYTES // 2 ** 20
SOURCE_KINDS, QUALIFIERS, MEASURES = list(vocab.SOURCE_KINDS), list(vocab.QUALIFIERS), list(vocab.MEASURES)
BASES, TOPICS = list(vocab.BASES), list(vocab.TOPICS)
read_text_source, table_text, read_upload, new_source = (imports.read_text_source, imports.table_text,
                                                         imports.read_upload, imports.new_source)
template_xlsx, template_csv, check = imports.template_xlsx, imports.template_csv, imports.check


def commit(*args, **kwargs) -> dict:
    """imports.commit, then the scheduled briefing of the new data, started detached: it never delays
    or undoes the commit (dashboard.archive.after_change)."""
    meta = imports.commit(*args, **kwargs)
    archive.after_change()
    return meta


def revert(*args, **kwargs) -> dict:
    """imports.revert, then the briefing of the data without the batch (as after a commit)."""
    meta = imports.revert(*args, **kwargs)
    archive.after_change()
    return meta


def run_off_path(fn, *args, **kwargs):
    """fn(*args) in the import worker process (etl.worker.run, looked up at each call)."""
    return worker.run(fn, *args, **kwargs)


UNCONFIRMED = getattr(extract, "UNCONFIRMED", "主体待确认")  # the extractor's mark of a sentence without a subject


def data_folder():
    return data_dir()


def problem(file: str, line: int, code: str, detail: str = "") -> Problem:
    return Problem(file, line, "", code, detail)


# ---------- candidates ----------

def candidates(text: str, year: int, db) -> pd.DataFrame:
    """The extractor's proposals, numbered as the grid shows them (1, 2, …: the problems table uses the
    same numbers), every empty cell empty (never None), and, for a sentence without a subject, the
    mark 主体待确认 with a box the analyst ticks once the entity is picked."""
    found = extract.extract(text, year, extract.Vocabulary.from_db(db))
    found = found.astype({c: object for c in found.columns if c not in ("accept", "value")})
    for col in found.columns:
        if col not in ("accept", "value"):
            found[col] = found[col].where(found[col].notna(), "").astype(str)
    if "entity_flag" in found:
        found.insert(found.columns.get_loc("entity") + 1, "entity_confirmed", found["entity_flag"] == "")
    found.index = pd.RangeIndex(1, len(found) + 1, name="row")
    return found


def unpicked(edited: pd.DataFrame) -> list[int]:
    """Grid rows marked 主体待确认, accepted, whose entity the analyst has not confirmed."""
    if "entity_flag" not in edited or "entity_confirmed" not in edited:
        return []
    waiting = edited["accept"].fillna(False).astype(bool) & (edited["entity_flag"].fillna("") != "") \
        & ~edited["entity_confirmed"].fillna(False).astype(bool)
    return [int(i) for i in edited.index[waiting]]


def candidate_figures(edited: pd.DataFrame, source_id: str) -> tuple[pd.DataFrame, list[int]]:
    """The accepted rows as a batch's figures, and the grid row of each (the problems table names it).
    A row whose entity the analyst confirmed is no longer 主体待确认."""
    rows = edited.copy()
    if "entity_confirmed" in rows:
        rows.loc[rows["entity_confirmed"].fillna(False).astype(bool), "entity_flag"] = ""
        rows = rows.drop(columns="entity_confirmed")
    accepted = rows["accept"].fillna(False).astype(bool)
    return extract.to_figures(rows.reset_index(drop=True), source_id), [int(i) for i in rows.index[accepted]]


def candidate_upload(figures: pd.DataFrame) -> Upload:
    return imports.Upload(t("admin.extracted_name", n=len(figures)), {"figures": figures})


# ---------- problems, as the analyst reads them ----------

# English fragments of the checks' details, in Chinese (the rest of a detail is the analyst's own text)
DETAIL_ZH = [
    (r" not in quote\b", "不在引文中"), (r"\balready at\b", "已见于"), (r"\bis also a sourced figure\b", "已是来源数字的编号"),
    (r"\bis also a derived figure\b", "已是推算数字的编号"), (r"\(document of (\d+)\)", r"（\1年文件）"),
    (r"\blooks like the existing entity\b", "看起来是已有主体"), (r"; use '", "；请用 '"),
    (r"\ba rank's total is 1–([\d,]+) and not below the rank\b", r"名次总数须在 1–\1 之间，且不小于名次"),
    (r"\(a year is (\d+)–(\d+)\)", r"（年份须在 \1–\2 之间）"), (r"\ba year is (\d+)–(\d+)\b", r"年份须在 \1–\2 之间"),
    (r"\breads as\b", "读作"), (r"> ([\d,]+) rows", r"超过 \1 行"), (r"> (\d+) columns", r"超过 \1 列"),
    (r"(\d+) ≠ (\d+) columns", r"\1 列 ≠ \2 列"), (r"\bin (\w+)$", r"（来源 \1）"),
    (r"leading/trailing space 首尾空格", "首尾空格"), (r"invisible marks 不可见字符", "不可见字符"),
    (r"Cyrillic/Greek letters 西里尔或希腊字母", "西里尔或希腊字母"), (r"full-width letters 全角字符", "全角字符"),
    (r"请用半角数字 0-9 / use ASCII digits 0-9", "请用半角数字 0-9"), (r"请写作 / write it", "请写作"),
    (r"建议 / suggested:", "建议："),
]


def detail_text(p: Problem, doubts: dict[str, str] | None = None) -> str:
    """A problem's detail in the page's language: Chinese in Chinese mode (the checks write their
    details in English), a doubt's reason in its own words."""
    detail = p.detail or ""
    if p.code == "needs_confirmation" and doubts is not None:
        fid = detail.split(":", 1)[0]
        return f"{fid}：{doubts.get(fid, detail)}" if lang() == "zh" else detail
    if lang() != "zh":
        return detail
    for pattern, zh in DETAIL_ZH:
        detail = re.sub(pattern, zh, detail)
    return detail


def field_name(column: str) -> str:
    return t(f"admin.f_{column}") if column and f"admin.f_{column}" in TEXT else column


def problems_table(problems: list[Problem], grid: tuple[str, list[int]] | None = None,
                   doubts: dict[str, str] | None = None) -> pd.DataFrame:
    """File, row, field, problem, detail: every header, field name and detail in the page's language,
    no None. `grid` = (the batch's name, the grid row of each of its lines 2, 3 …): a problem of the
    candidates grid names the row the grid shows, and the grid instead of a file."""
    i = 0 if lang() == "zh" else 1

    def in_grid(p: Problem) -> bool:
        return grid is not None and p.file == grid[0]

    def row_of(p: Problem):
        if in_grid(p) and 2 <= p.line < len(grid[1]) + 2:
            return grid[1][p.line - 2]
        return p.line or ""

    frame = pd.DataFrame({"file": [t("admin.grid_name") if in_grid(p) else p.file for p in problems],
                          "line": [row_of(p) for p in problems],
                          "column": [field_name(p.column) for p in problems],
                          "problem": [imports.MESSAGES[p.code][i] for p in problems],
                          "detail": [detail_text(p, doubts) for p in problems]}, dtype=object)
    return frame.rename(columns={c: t(f"admin.col_{c}") for c in frame.columns})


def problems_message(problems: list[Problem], grid=None) -> str:
    """What to do about the problems: fix the grid's rows (the paste path), fix the form or confirm
    (nothing to upload again), or fix the file and upload it again."""
    if grid is not None:
        return "admin.problems_grid"
    if all(p.file == imports.SOURCE_LABEL or p.code == "needs_confirmation" for p in problems):
        return "admin.problems_fix"
    return "admin.problems"


def shown(df: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Columns of a preview, named in the page's language, every empty cell empty (never None or nan)."""
    out = df[[n for n in names if n in df.columns]].copy()
    out = out.astype(object).where(out.notna(), "")
    out = out.map(lambda v: "" if v is None or (isinstance(v, str) and v in ("None", "nan")) else v)
    if "column" in out:  # a changed figure's field, named as the page names it (备注, not note)
        out["column"] = out["column"].map(field_name)
    return out.rename(columns={c: field_name(c) for c in out.columns})


# ---------- plausibility ----------

def doubts_table(result: Check) -> pd.DataFrame:
    """The figures in doubt with their reasons, in the page's language: figure, value, reason."""
    doubts = result.doubts
    if doubts.empty:
        return pd.DataFrame()
    staged = result.staged.set_index("figure_id")
    reason = "reason_zh" if lang() == "zh" else "reason_en"
    return pd.DataFrame({
        field_name("figure_id"): doubts["figure_id"],
        field_name("entity"): [staged.at[f, "entity"] for f in doubts["figure_id"]],
        field_name("value_text"): [f"{staged.at[f, 'value_text']}{staged.at[f, 'unit']}" for f in doubts["figure_id"]],
        field_name("period"): [staged.at[f, "period"] for f in doubts["figure_id"]],
        t("admin.doubt_reason"): doubts[reason]}).astype(str)


def doubt_reasons(result: Check) -> dict[str, str]:
    reason = "reason_zh" if lang() == "zh" else "reason_en"
    return dict(zip(result.doubts["figure_id"], result.doubts[reason]))


def doubtful_ids(result: Check) -> tuple[str, ...]:
    return tuple(dict.fromkeys(result.doubts["figure_id"]))


def code_label(kind: str):
    """A grid's pick list shows a code in the page's language (level → 总量, actual → 实际); the cell keeps the code."""
    return {"measure": measure_label, "topic": topic_label,
            "basis": lambda b: t(f"basis.{b}") if f"basis.{b}" in TEXT else b}[kind]


def entity_names(db) -> list[str]:
    """The entities a candidate may be given (the grid's pick list): the zone, the city, the rest."""
    kinds = extract.Vocabulary.from_db(db).entity_kinds
    first = [e for e in ("开发区", "全市") if e in kinds]
    return first + sorted(e for e in kinds if e not in first)
