"""数据维护 Data maintenance: a new report's figures become a checked batch; the import log; undo.

Only in a logged-in admin's navigation (app.py). The steps' logic is in etl/, reached through
dashboard.data_import only; this file lays them out. User text is shown in tables and code blocks only.
"""
import hashlib
from datetime import date

import streamlit as st

from dashboard import data_import as di
from dashboard.admin import require
from dashboard.components import download_buttons
from dashboard.i18n import t
from dashboard.layout import header
from dashboard.text import plain
from queries import db_path, run

KINDS = di.SOURCE_KINDS
MB = di.MAX_UPLOAD_MB
PREVIEW = ["figure_id", "entity", "indicator", "measure", "basis", "period", "value_text", "unit", "qualifier",
           "quote"]
LOG = ["batch", "status", "committed_at", "committed_by", "committed_by_id", "file", "source_id", "rows", "added",
       "changed", "unchanged", "reverted_at", "reverted_by", "reverted_by_id"]

require()
DATA, DB = di.data_folder(), db_path()
header("nav_data_admin", t("admin.subtitle"))


def show_problems(problems, grid=None, doubts=None) -> None:
    """The problems as a table; on the candidates grid (`grid`) its rows are the grid's and the
    message says to fix them there, not to upload again."""
    st.error(t(di.problems_message(problems, grid), n=len(problems)), icon=":material/error:")
    st.dataframe(di.problems_table(problems, grid, doubts), hide_index=True, width="stretch")


def off_path(label: str, fn, *args):
    """fn(*args) in the import worker (etl.worker), with a progress bar: a large or crafted file
    never holds up the viewers' scripts, and is stopped after worker.TIMEOUT_S."""
    bar = st.progress(0.0, text=t(label))
    try:
        return di.run_off_path(fn, *args, progress=lambda s, total: bar.progress(
            min(s / total, 1.0), text=f"{t(label)} {t('admin.working', s=int(s), limit=int(total))}"))
    finally:
        bar.empty()


def read_once(slot: str, fn, name: str, data: bytes):
    """(result, problems) of reading an uploaded file: once per file, not on every rerun."""
    digest = hashlib.sha256(data).hexdigest()
    saved = st.session_state.get(slot)
    if not saved or saved[0] != digest:
        try:
            result = off_path("admin.reading", fn, name, data)
        except di.TimedOut as exc:
            result = (None, [di.problem(name, 0, "too_slow", str(exc))])
        st.session_state[slot] = saved = (digest, result)
    return saved[1]


def columns_of(df, names):
    return di.shown(df, names)


if done := st.session_state.pop("admin_done", None):
    st.success(t("admin.committed", **done), icon=":material/check_circle:")
if undone := st.session_state.pop("admin_undone", None):
    batch, why = undone  # why: the reason it was rebuilt, "" when its rows were only taken out
    st.success(t("admin.reverted_rebuilt", batch=batch, why=why) if why else t("admin.reverted", batch=batch),
               icon=":material/undo:")

tab_add, tab_log = st.tabs([t("admin.tab_add"), t("admin.tab_log")])

with tab_add:
    # ① the source document
    st.subheader(t("admin.step_source"))
    mode = st.segmented_control(t("admin.source_kind"), ["text", "table", "existing"], default="text",
                                required=True, format_func=lambda m: t(f"admin.source_{m}"), key="admin_mode")
    source, text, problems = None, "", []
    if mode == "existing":
        st.caption(t("admin.existing_hint"))
    else:
        c = st.columns([2, 1, 1, 2, 2])
        meta = {"source_id": c[0].text_input(t("admin.f_source_id"), placeholder="bulletin_2025_03", key="admin_src_id"),
                "year": str(c[1].number_input(t("admin.f_year"), 2000, 2100, date.today().year, key="admin_src_year")),
                "kind": c[2].selectbox(t("admin.f_kind"), KINDS, key="admin_src_kind",
                                       index=KINDS.index("table" if mode == "table" else "report")),
                "short_zh": c[3].text_input(t("admin.f_short_zh"), key="admin_src_short_zh"),
                "short_en": c[4].text_input(t("admin.f_short_en"), key="admin_src_short_en")}
        c = st.columns(3)
        meta |= {"title_zh": c[0].text_input(t("admin.f_title_zh"), key="admin_src_title_zh"),
                 "title_en": c[1].text_input(t("admin.f_title_en"), key="admin_src_title_en"),
                 "note": c[2].text_input(t("admin.f_note"), key="admin_src_note")}
        original = None
        if mode == "text":
            text = st.text_area(t("admin.paste"), height=180, key="admin_text")
            upload_text = st.file_uploader(t("admin.text_file", mb=MB), type=["txt", "md"], key="admin_text_file")
            if upload_text is not None:
                text, problems = di.read_text_source(upload_text.name, upload_text.getvalue())
        else:
            table = st.file_uploader(t("admin.table_file", mb=MB), type=["csv", "xlsx"], key="admin_table_file")
            if table is not None:
                original = (table.name, table.getvalue())
                text, problems = read_once("admin_read_table", di.table_text, *original)
                if text:
                    with st.expander(t("admin.table_as_text")):
                        st.code(text, language=None)
        text = text or ""
        source = di.new_source(meta, text, original)
        if problems:
            show_problems(problems)

    # ② the figures: a filled template, or candidates found in the text
    st.subheader(t("admin.step_figures"))
    ways = ["upload", "extract"] if mode != "existing" else ["upload"]
    way = st.segmented_control(t("admin.figures_how"), ways, default="upload", required=True,
                               format_func=lambda w: t(f"admin.way_{w}"), key="admin_way")
    upload, grid = None, None
    if way == "upload":
        c = st.columns([1, 1, 4])
        c[0].download_button(t("admin.template_xlsx"), lambda: di.template_xlsx(DB), "etdz_import_template.xlsx",
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             icon=":material/download:", on_click="ignore", key="admin_tpl_xlsx")
        c[1].download_button(t("admin.template_csv"), di.template_csv(), "etdz_import_template.csv", "text/csv",
                             icon=":material/download:", on_click="ignore", key="admin_tpl_csv")
        file = st.file_uploader(t("admin.figures_file", mb=MB), type=["csv", "xlsx"], key="admin_figures_file")
        if file is not None:
            upload, read_problems = read_once("admin_read_figures", di.read_upload, file.name, file.getvalue())
            if read_problems:
                show_problems(read_problems)
            elif upload.encoding:
                st.caption(t("admin.read_as", encoding=upload.encoding))
    elif not text.strip():
        st.info(t("admin.need_text"), icon=":material/info:")
    else:
        key = hashlib.sha256(f"{meta['year']}|{text}".encode()).hexdigest()[:12]
        if st.session_state.get("admin_candidates_of") != key:
            st.session_state.update(admin_candidates=di.candidates(text, int(meta["year"]), DB),
                                    admin_candidates_of=key)
        candidates = st.session_state["admin_candidates"]
        st.caption(t("admin.candidates", n=len(candidates)))
        # the hints (主体待确认, the note) next to the number, the long quote last: all in view at 1280 px
        order = [c for c in ("accept", "value_text", "unit", "entity", "entity_flag", "entity_confirmed", "note",
                             "indicator", "measure", "period", "basis", "qualifier", "value", "topic", "quote")
                 if c in candidates.columns]
        edited = st.data_editor(
            candidates, key=f"admin_editor_{key}", hide_index=False, width="stretch", num_rows="dynamic",
            column_order=order,
            column_config={
                "_index": st.column_config.NumberColumn(t("admin.f_row"), width=40, disabled=True),
                "accept": st.column_config.CheckboxColumn(t("admin.f_accept"), width=60),
                "value_text": st.column_config.TextColumn(t("admin.f_value_text"), width=92),
                "value": st.column_config.NumberColumn(t("admin.f_value"), width=80),
                "unit": st.column_config.TextColumn(t("admin.f_unit"), width=64),
                "qualifier": st.column_config.SelectboxColumn(t("admin.f_qualifier"), options=di.QUALIFIERS, width=64),
                "measure": st.column_config.SelectboxColumn(t("admin.f_measure"), options=di.MEASURES, width=80,
                                                            format_func=di.code_label("measure")),
                "basis": st.column_config.SelectboxColumn(t("admin.f_basis"), options=di.BASES, width=72,
                                                          format_func=di.code_label("basis")),
                "period": st.column_config.TextColumn(t("admin.f_period"), width=110),
                "entity": st.column_config.SelectboxColumn(t("admin.f_entity"), options=di.entity_names(DB), width=96),
                "entity_flag": st.column_config.TextColumn(t("admin.f_entity_flag"), width=88, disabled=True),
                "entity_confirmed": st.column_config.CheckboxColumn(t("admin.f_entity_confirmed"), width=72),
                "indicator": st.column_config.TextColumn(t("admin.f_indicator"), width=110),
                "topic": st.column_config.SelectboxColumn(t("admin.f_topic"), options=di.TOPICS, width=96,
                                                          format_func=di.code_label("topic")),
                "quote": st.column_config.TextColumn(t("admin.f_quote"), width="large"),
                "note": st.column_config.TextColumn(t("admin.f_note"), width=140),
            })
        figures, grid_rows = di.candidate_figures(edited, meta["source_id"])
        if waiting := di.unpicked(edited):
            st.warning(t("admin.entity_pick", rows="、".join(map(str, waiting))), icon=":material/person_search:")
        elif len(figures):
            upload = di.candidate_upload(figures)
            grid = (upload.name, grid_rows)

    # ③ check with the build's validator, preview, commit
    st.subheader(t("admin.step_check"))
    if upload is None or problems:
        st.info(t("admin.need_figures"), icon=":material/info:")
    else:
        state = [upload.name, *(f.to_csv() for f in upload.tables.values()),
                 *((str(source.row), source.text) if source else ())]
        fingerprint = hashlib.sha256("\x00".join(state).encode()).hexdigest()
        if st.button(t("admin.check"), type="primary", icon=":material/fact_check:", key="admin_check_button"):
            try:
                result = off_path("admin.checking", di.check, upload, source, DATA, DB)
            except di.TimedOut as exc:
                result = di.Check([di.problem(upload.name, 0, "too_slow", str(exc))])
            st.session_state["admin_check"] = (fingerprint, result)
        saved = st.session_state.get("admin_check")
        if saved and saved[0] == fingerprint:
            result = saved[1]
            if result.problems:
                show_problems(result.problems, grid)
            else:
                st.success(t("admin.valid", rows=result.rows), icon=":material/check:")
                new_tab, changed_tab, same_tab = st.tabs([
                    t("admin.new", n=len(result.new)), t("admin.changed", n=result.changed["figure_id"].nunique()),
                    t("admin.unchanged", n=len(result.unchanged))])
                with new_tab:
                    if (result.new["same_as"] != "").any():
                        st.warning(t("admin.same_period"), icon=":material/warning:")
                    st.dataframe(columns_of(result.new, [*PREVIEW, "same_as"]), hide_index=True, width="stretch")
                with changed_tab:
                    st.dataframe(columns_of(result.changed, ["figure_id", "column", "current", "new"]),
                                 hide_index=True, width="stretch")
                with same_tab:
                    st.dataframe(columns_of(result.unchanged, PREVIEW), hide_index=True, width="stretch")
                if result.additions:
                    st.caption(t("admin.additions", **{k: result.additions.get(k, 0)
                                                        for k in ("entities", "indicators", "units")}))
                doubtful = di.doubtful_ids(result)
                sure = True
                if doubtful and result.ok:
                    # far outside what the data says of the same thing: the reason, and an explicit confirmation
                    st.warning(t("admin.doubt_title", n=len(doubtful)), icon=":material/warning:")
                    st.dataframe(di.doubts_table(result), hide_index=True, width="stretch")
                    sure = st.checkbox(t("admin.doubt_confirm", n=len(doubtful)), key=f"admin_doubt_sure_{fingerprint[:12]}")
                if not result.ok:
                    st.info(t("admin.nothing_new"), icon=":material/info:")
                elif st.button(t("admin.commit", n=len(result.staged)), type="primary", disabled=not sure,
                               icon=":material/upload:", key="admin_commit"):
                    try:
                        who = require(fresh=True)  # the right, asked again at this moment
                        meta = off_path("admin.committing", di.commit, upload, source, who.name, DATA, DB, who.id,
                                        doubtful if sure else ())
                    except di.TimedOut as exc:
                        show_problems([di.problem(upload.name, 0, "too_slow", str(exc))])
                    except di.Refused as refused:
                        show_problems(refused.result.problems, grid, di.doubt_reasons(result))
                    except di.ValidationError as err:
                        show_problems(err.problems, grid)
                    except di.BuildFailed as err:
                        st.error(t("admin.build_failed", detail=plain(err)), icon=":material/error:")
                    else:
                        st.session_state.pop("admin_check")
                        st.session_state["admin_done"] = meta
                        st.rerun()

with tab_log:
    log = run("import_batches")
    if log.empty:
        st.info(t("admin.log_empty"), icon=":material/info:")
    else:
        table = columns_of(log.assign(status=log["status"].map(lambda s: t(f"admin.status_{s}"))), LOG)
        st.dataframe(table, hide_index=True, width="stretch")
        download_buttons(table, "import_log")
        active = log.loc[log["status"] == "active", "batch"].tolist()
        if active:
            st.subheader(t("admin.undo_title"))
            batch = st.selectbox(t("admin.undo_pick"), active, index=None, key="admin_undo_batch")
            if batch:
                st.dataframe(columns_of(run("batch_figures", batch=batch), PREVIEW), hide_index=True, width="stretch")
                sure = st.checkbox(t("admin.undo_confirm"), key="admin_undo_sure")
                if st.button(t("admin.undo"), disabled=not sure, icon=":material/undo:", key="admin_undo"):
                    try:
                        who = require(fresh=True)
                        undone = off_path("admin.committing", di.revert, batch, who.name, DATA, DB, who.id)
                    except di.TimedOut as exc:
                        show_problems([di.problem(batch, 0, "too_slow", str(exc))])
                    except di.ValidationError as err:
                        show_problems(err.problems)
                    except di.BuildFailed as err:
                        st.error(t("admin.build_failed", detail=plain(err)), icon=":material/error:")
                    else:
                        st.session_state["admin_undone"] = (batch, undone["rebuilt_because"])
                        st.rerun()
