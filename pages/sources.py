"""数据来源 Sources: every figure with its quote, searchable, filterable and downloadable; the two
documents in full text; the named things and the enterprise list."""
import streamlit as st

from dashboard import url_state
from dashboard.components import download_buttons, empty_note, provenance_table
from dashboard.fmt import period_label
from dashboard.i18n import pick, source_kind_label, t, topic_label
from dashboard.layout import header
from dashboard.text import plain
from queries import run

# the raw facts fields that go into the downloads next to the provenance columns
RAW = ["value_text", "unit", "qualifier", "measure", "basis", "period", "topic", "entity", "indicator",
       "is_derived", "note", "data_file", "data_line"]
# the table's column order: what a reader checks first (the rest scrolls right)
SHOWN = ["sources.col_kind", "col_indicator", "col_entity", "col_value", "col_period", "col_quote", "col_source",
         "col_measure", "col_basis", "sources.col_value_text", "col_unit", "col_qualifier", "col_formula",
         "col_formula_ids", "col_figure_id",
         "sources.col_location"]
FILTERS = [("topic", "col_topic"), ("doc", "sources.filter_doc"), ("period", "sources.filter_period"),
           ("entity", "sources.filter_entity")]


def figures_table(rows):
    """Provenance, the figure as written, and where it is stored (data file and line)."""
    table = provenance_table(rows).drop(columns=["value"])
    table.insert(0, t("sources.col_kind"), [t("derived") if d else t("sources.sourced") for d in rows["is_derived"]])
    table.insert(4, t("sources.col_value_text"), rows["value_text"].fillna("").to_numpy())
    table.insert(6, t("col_qualifier"), rows["qualifier"].fillna("").to_numpy())
    table[t("sources.col_location")] = (rows["data_file"] + ":" + rows["data_line"].astype(str)).to_numpy()
    return table


def facet_select(name: str, label_key: str, container):
    rows = facets[facets["facet"] == name].fillna({"label_zh": "", "label_en": ""})
    labels = {v: topic_label(v) if name == "topic" else period_label(v) if name == "period" else (pick(zh, en) or v)
              for v, zh, en in zip(rows["value"], rows["label_zh"], rows["label_en"])}
    return url_state.select(t(label_key), list(labels), key=name, widget="multiselect", container=container,
                            format_func=labels.get, placeholder=t("sources.any"),
                            code=url_state.period_code if name == "period" else str)


def table_with_downloads(df, name: str, columns: dict) -> None:
    table = df[list(columns)].rename(columns={c: t(k) for c, k in columns.items()})
    st.dataframe(table, hide_index=True, width="stretch")
    download_buttons(table, name)


header("nav_sources", t("sources.subtitle"))
facets = run("facts_facets")
tabs = st.tabs([t("sources.tab_figures"), t("sources.tab_documents"), t("sources.tab_entities"),
                t("sources.tab_enterprises")])

with tabs[0]:
    q = url_state.text(t("sources.search"), key="q", icon=":material/search:",
                       placeholder=t("sources.search_placeholder")).strip()
    chosen = {name: facet_select(name, label, col) for col, (name, label) in zip(st.columns(len(FILTERS)), FILTERS)}
    rows = run("facts_search", q=q, topics=chosen["topic"], docs=chosen["doc"], periods=chosen["period"],
               entities=chosen["entity"])
    total = int(facets.loc[facets["facet"] == "topic", "n"].sum())
    st.caption(t("sources.count", n=len(rows), total=total))
    if rows.empty:
        empty_note()
    else:
        table = figures_table(rows)
        st.dataframe(table, hide_index=True, width="stretch", height=560, column_order=[t(k) for k in SHOWN],
                     column_config={t("col_quote"): st.column_config.TextColumn(width="large")})
        download_buttons(table.join(rows[RAW].add_prefix("raw_")), "figures")

with tabs[1]:
    for doc in run("source_documents").to_dict("records"):
        with st.container(border=True):
            st.markdown(f"**{plain(pick(doc['title_zh'], doc['title_en']))}**")
            st.caption(t("sources.doc_meta", year=doc["year"], kind=plain(source_kind_label(doc["kind"])),
                         n=doc["n_figures"]) + (f" · {plain(doc['note'])}" if doc["note"] else ""))
            with st.expander(t("sources.read_full")):
                st.text(doc["text"])

with tabs[2]:
    st.caption(t("sources.entities_note"))
    entities = run("entity_list", q=q)
    entities["kind"] = entities["kind"].map(lambda k: t(f"entity_kind.{k}"))
    entities["source"] = [pick(zh, en) for zh, en in zip(entities["source_short_zh"], entities["source_short_en"])]
    if entities.empty:
        empty_note()
    else:
        table_with_downloads(entities, "entities", {"entity": "sources.col_name", "name_en": "sources.col_name_en",
                                                    "kind": "sources.col_kind_entity", "quote": "col_quote",
                                                    "source": "col_source"})

with tabs[3]:
    st.caption(t("sources.enterprises_note"))
    enterprises = run("enterprise_list")
    enterprises["source"] = [pick(zh, en) for zh, en in zip(enterprises["source_short_zh"], enterprises["source_short_en"])]
    table_with_downloads(enterprises, "enterprises", {"seq_no": "sources.col_seq", "city": "sources.col_city",
                                                      "name": "sources.col_enterprise", "quote": "col_quote",
                                                      "source": "col_source"})
