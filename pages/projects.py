"""项目建设 Projects: the pipeline by stage, the named projects (filter, sort, pick one for its sources), attraction."""
import pandas as pd
import streamlit as st

from dashboard import url_state
from dashboard.components import (chart, download_buttons, empty_note, fitted_columns, kpi_grid, marked, newest,
                                  show_card, source_line)
from dashboard.figures import ATTRACTION, STAGES, investment_pools, pipeline_cards
from dashboard.fmt import period_label, row_text
from dashboard.i18n import TEXT, UNITS_EN, colon, lang, list_sep, paren, pick, t
from dashboard.layout import header
from dashboard.text import plain, unbroken
from queries import run

ZONE = "开发区"
TABLE_COLUMNS = ["output", "tax", "capacity"]
TABLE_ROWS = 15  # rows shown before the table scrolls: a long list must not grow the page without bound
SIZES = ["large", "medium", "undisclosed"]
# URL codes: a size band by its threshold; a status by a word; an industry by its cluster's name (its id)
SIZE_CODES = {"large": "ge10", "medium": "lt10"}
VALUE_CODES = {"未注明": "unspecified", "推进中": "ongoing", "已竣工投产": "done"}


header("nav_projects", t("projects.subtitle"))
figures = run("zone_figures", entity=ZONE, indicators=[s for s, _, _ in STAGES]
              + [i for _, _, lines in STAGES for i, _, _ in lines] + [i for i, _ in ATTRACTION])

st.subheader(t("projects.pipeline_title"))
for col, card in zip(st.columns([1.5, 1, 1, 1, 1.3][:len(cards := pipeline_cards())] or [1]), cards):
    with col:
        show_card(card)
done = newest(figures, "key_projects_implementation_investment_done", "level")
if done is not None:  # the report's own words on the plan, never a ratio of two different sets
    st.caption(unbroken(f"{t('projects.done_words')}{colon()}“{plain(done['quote'])}”"))

fig, pools = investment_pools()
if fig is not None:
    chart(fig, pools, "projects_investment_by_pool")

st.subheader(t("projects.table_title"))
everything = run("project_list", industries=[], sizes=[], years=[], statuses=[])
industry_en = dict(zip(everything["industry"], everything["industry_en"]))


def value_label(value) -> str:
    """An industry or status as shown: translated where the table has it, else the cluster's English name."""
    key = f"projects.value.{value}"
    return t(key) if key in TEXT else pick(value, industry_en.get(value))


def inferred(project: dict) -> str:
    """推断: the project another document is read to name, marked as a reader's inference, not the text's."""
    other = project.get("inferred_same_as")
    if not isinstance(other, str):
        return "—"
    return t("projects.inferred_same_as", name=pick(other, project["inferred_same_as_en"]),
             doc=pick(project["inferred_source_short_zh"], project["inferred_source_short_en"]))


filters = st.columns(4)
multi = dict(widget="multiselect", placeholder=t("filter_all"))  # empty = no filter
value_code = dict(format_func=value_label, code=lambda v: VALUE_CODES.get(v, v))
industries = url_state.select(t("projects.industry"), sorted(everything["industry"].unique()), key="industry",
                              container=filters[0], **value_code, **multi)
sizes = url_state.select(t("projects.size"), SIZES, key="size", container=filters[1],
                         format_func=lambda s: t(f"projects.size.{s}"), code=lambda s: SIZE_CODES.get(s, s), **multi)
years = url_state.select(t("projects.year"), sorted(everything["year"].unique().tolist(), reverse=True), key="year",
                         container=filters[2], **multi)
statuses = url_state.select(t("projects.status"), sorted(everything["status"].unique()), key="status",
                            container=filters[3], **value_code, **multi)
projects = run("project_list", industries=industries, sizes=sizes, years=years, statuses=statuses)

facts = run("project_figures")
facts["cell"] = [f"{marked(pick(r['short_zh'], r['short_en']), r)} {row_text(r)}{paren(period_label(r['period']))}"
                 for r in facts.to_dict("records")]
cells = facts.groupby(["entity", "table_column"])["cell"].agg(list_sep().join).unstack().reindex(columns=TABLE_COLUMNS)
factor, unit = (1, "亿元") if lang() == "zh" else UNITS_EN["亿元"]
table = pd.DataFrame({
    t("projects.col.project"): [pick(p, en) for p, en in zip(projects["project"], projects["project_en"])],
    t("projects.col.industry"): projects["industry"].map(value_label),
    t("projects.col.status"): projects["status"].map(value_label),
    t("projects.col.inferred"): [inferred(r) for r in projects.to_dict("records")],
    t("projects.col.year"): projects["year"],
    t("projects.col.investment", unit=unit): projects["investment_yi"] * factor,
    **{t(f"projects.col.{c}"): projects["project"].map(cells[c]).fillna("—") for c in TABLE_COLUMNS},
})
if projects.empty:
    empty_note()
else:
    event = st.dataframe(table, hide_index=True, width="stretch", placeholder="—",
                         height=35 * (min(len(table), TABLE_ROWS) + 1) + 3, key="projects_table",
                         on_select="rerun", selection_mode="single-row", column_config={
                             **fitted_columns(table, cap=440),  # a project's whole name
                             t("projects.col.year"): st.column_config.NumberColumn(format="%d"),
                             t("projects.col.investment", unit=unit): st.column_config.NumberColumn(format="%g")})
    # the download also names each project's sentence and document (the table shows them on a pick)
    download_buttons(table.assign(quote=projects["quote"], source=[pick(zh, en) for zh, en in zip(
        projects["source_short_zh"], projects["source_short_en"])], source_id=projects["source_id"],
        investment_figure_id=projects["investment_figure_id"]), "projects")
    chosen = [i for i in (event.selection.rows if event else []) if i < len(projects)]  # stale after a filter
    if not chosen:
        st.caption(t("projects.select_hint"))
    else:
        project = projects.iloc[chosen[0]]
        with st.container(border=True):
            st.markdown(f"**{plain(pick(project['project'], project['project_en']))}**")
            st.caption(f"{t('quote')}{colon()}“{plain(project['quote'])}” · {t('source')}{colon()}"
                       f"{plain(pick(project['source_short_zh'], project['source_short_en']))}")
            for r in facts[facts["entity"] == project["project"]].to_dict("records"):
                st.caption(f"{plain(r['cell'])}{colon()}“{plain(r['quote'])}” · {plain(source_line(r))}")
            if isinstance(project["inferred_same_as"], str):
                st.caption(f"{plain(inferred(project.to_dict()))}{colon()}“{plain(project['inferred_quote'])}” · "
                           f"{t('projects.inferred_reason')}{colon()}"
                           f"{plain(pick(project['inferred_reason'], project['inferred_reason_en']))}")

st.subheader(t("projects.attraction_title"))
kpi_grid(figures, ATTRACTION, columns=3)
