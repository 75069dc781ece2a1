"""数据来源 Sources: every figure with its quote, searchable, filterable and downloadable, a page at a
time; a figure's row opens its document at the sentence, highlighted; the named things and the
enterprise list. Only the open tab runs, and a document's text is read only when it is opened."""
import re
from functools import partial

import streamlit as st

from dashboard import url_state
from dashboard.components import download_buttons, empty_note, fitted_columns, label_of, provenance_table
from dashboard.fmt import period_label, row_text
from dashboard.i18n import pick, source_kind_label, t, topic_label
from dashboard.layout import header
from dashboard.text import document_html, plain, quote_spans
from queries import run

PAGE_SIZE = 25  # rows a page: the table shows them all without a scroll bar of its own
EXPORT_MAX = 50_000  # rows in a download of the figures (formatted when the button is clicked)
# the raw facts fields a download of the figures adds to the table's columns (export.* headers)
RAW = ["measure", "basis", "period", "topic", "entity", "indicator", "source_id", "note"]
# the table's column order: what a reader checks first (the rest scrolls right)
SHOWN = ["sources.col_kind", "col_indicator", "col_entity", "col_value", "col_period", "col_quote", "col_source",
         "col_measure", "col_basis", "sources.col_value_text", "col_unit", "col_qualifier", "col_formula",
         "sources.col_location"]  # ids are in the downloads only
FILTERS = [("topic", "col_topic"), ("doc", "sources.filter_doc"), ("period", "sources.filter_period"),
           ("entity", "sources.filter_entity")]
TABS = ["figures", "documents", "entities", "enterprises"]
OPEN = ("read", "fig")  # the URL parameters of an open document (a source id, a figure id)
DOC_CSS = """<style>
.etdz-doc {font-size: 1rem; line-height: 1.75; max-width: 48rem}
.etdz-doc h3 {font-size: 1.2rem; margin: 1.2rem 0 .4rem} .etdz-doc h4, .etdz-doc h5, .etdz-doc h6
{font-size: 1.05rem; margin: 1rem 0 .3rem} .etdz-doc p {margin: 0 0 .6rem}
.etdz-doc mark {background: #ffe08a; padding: 0 .1em; border-radius: 2px}
</style>"""
# our own constant script (the document itself is escaped text): the first highlight a quarter of
# the way down the document's box; the page itself scrolls only when that is still out of the window
SCROLL = """<script>requestAnimationFrame(() => {
  const mark = document.querySelector(".etdz-doc mark");
  let box = mark && mark.parentElement;
  while (box && !/(auto|scroll)/.test(getComputedStyle(box).overflowY)) box = box.parentElement;
  if (!box) return;
  box.scrollTop += mark.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 4;
  setTimeout(() => {  // once the page around it has settled
    const at = mark.getBoundingClientRect();
    if (at.top < 0 || at.bottom > innerHeight) mark.scrollIntoView({block: "center"});
  }, 300);
});</script>"""


def search_words(text: str) -> list[str]:
    """"进出口 2021" → every word must match (spaces, commas or 、 between words)."""
    return [w for w in re.split(r"[\s,，、;；]+", text.lower()) if w][:10]


def figures_table(rows):
    """Provenance, the figure as written, and where it is stored (data file and line)."""
    table = provenance_table(rows)
    table.insert(0, t("sources.col_kind"), [t("derived") if d else t("sources.sourced") for d in rows["is_derived"]])
    # a derived figure has no number as written: its value is computed (the formula column says how)
    table.insert(4, t("sources.col_value_text"), rows["value_text"].fillna("").mask(rows["is_derived"], "").to_numpy())
    table.insert(6, t("col_qualifier"), rows["qualifier"].fillna("").to_numpy())
    table[t("sources.col_location")] = (rows["data_file"] + ":" + rows["data_line"].astype(str)).to_numpy()
    return table


def facet_select(name: str, label_key: str, container):
    rows = facets[facets["facet"] == name].fillna({"label_zh": "", "label_en": ""})
    labels = {v: topic_label(v) if name == "topic" else period_label(v) if name == "period" else (pick(zh, en) or v)
              for v, zh, en in zip(rows["value"], rows["label_zh"], rows["label_en"])}
    return url_state.select(t(label_key), list(labels), key=name, widget="multiselect", container=container,
                            format_func=labels.get, placeholder=t("filter_all"),
                            code=url_state.period_code if name == "period" else str)


def table_with_downloads(df, name: str, columns: dict) -> None:
    table = df[list(columns)].rename(columns={c: t(k) for c, k in columns.items()})
    st.dataframe(table, hide_index=True, width="stretch")
    download_buttons(table, name)


# ---------- which tab, which document ----------

def left_tab(name: str) -> None:
    """Leaving the documents tab closes its document: the URL then holds the figures' filters only."""
    if name != "documents":
        for key in OPEN:
            st.query_params.pop(key, None)


def open_figure(key: str, ids: list[str], sources: list[str]) -> None:
    """A row picked in the figures table: its document, at its sentence, in the URL and on screen."""
    picked = st.session_state[key].selection.rows
    if picked:
        st.query_params["read"] = sources[picked[0]].split(",")[0]  # a derived figure: its first input's
        st.query_params["fig"] = ids[picked[0]]


def close_document() -> None:
    for key in (*OPEN, "tab"):  # the figures tab is the first: no ?tab=, or a copied link reopens the document's
        st.query_params.pop(key, None)
    st.session_state[url_state.widget_key("tab")] = t("sources.tab_figures")


def figure_in_url() -> dict | None:
    """The figure ?fig= names, if it exists (an unknown id is logged and leaves the URL)."""
    code = st.query_params.get("fig", "")
    found = run("facts_by_id", ids=[code]).to_dict("records") if code else []
    if code and not found:
        url_state.log.warning("URL parameter fig: invalid value %r, none used", code[:80])
        st.query_params.pop("fig", None)
    return found[0] if found else None


# ---------- the tabs ----------

def search_box() -> list[str]:
    """The search (?q=), on the figures' and the named things' tab (only the open tab runs)."""
    return search_words(url_state.text(t("sources.search"), key="q", icon=":material/search:",
                                       placeholder=t("sources.search_placeholder")))


def figures_tab() -> None:
    words = search_box()
    chosen = {name: facet_select(name, label, col) for col, (name, label) in zip(st.columns(len(FILTERS)), FILTERS)}
    query = dict(words=words, topics=chosen["topic"], docs=chosen["doc"], periods=chosen["period"],
                 entities=chosen["entity"])
    # a page control (and a table selection) per search and filters: another one starts at page 1
    key = f"figures_{abs(hash(repr(query)))}"
    page = st.session_state.get(f"{key}_page", 1)
    rows = run("facts_search", **query, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    if rows.empty and page > 1:  # the database changed under the page
        page = 1
        rows = run("facts_search", **query, limit=PAGE_SIZE, offset=0)
    n = int(rows["n_match"].iloc[0]) if len(rows) else 0
    st.caption(t("sources.count", n=n, total=int(facets.loc[facets["facet"] == "topic", "n"].sum())))
    if rows.empty:
        empty_note()
        return
    st.caption(t("sources.pick_hint"))
    shown = figures_table(rows)[[t(k) for k in SHOWN]]
    st.dataframe(shown, hide_index=True, width="stretch", height=35 * (len(rows) + 1) + 3,
                 key=f"{key}_{page}", selection_mode="single-row",  # a fresh selection on every page
                 on_select=partial(open_figure, f"{key}_{page}", rows["figure_id"].tolist(), rows["source_id"].tolist()),
                 column_config={**fitted_columns(shown, skip=(t("col_quote"),)),
                                t("col_quote"): st.column_config.TextColumn(width="large")})
    pages = -(-n // PAGE_SIZE)
    if pages > 1:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.pagination(pages, key=f"{key}_page", max_visible_pages=7)  # a few buttons, however many pages
            st.caption(t("sources.page_of", page=page, pages=pages, size=PAGE_SIZE))
    if n > EXPORT_MAX:
        st.caption(t("sources.export_capped", n=EXPORT_MAX))

    def every_match():
        matches = run("facts_search", **query, limit=EXPORT_MAX, offset=0)
        return figures_table(matches).join(matches[RAW])
    download_buttons(every_match, "figures")


def documents_tab(figure: dict | None) -> None:
    docs = run("source_documents")
    titles = dict(zip(docs["source_id"], [pick(zh, en) for zh, en in zip(docs["title_zh"], docs["title_en"])]))
    default = figure["source_id"].split(",")[0] if figure else docs["source_id"].iloc[0]
    st.button(t("sources.back"), icon=":material/arrow_back:", on_click=close_document, key="sources_back",
              type="tertiary")
    chosen = url_state.select(t("sources.pick_doc"), list(titles), key="read", default=default,
                              format_func=titles.get)
    if figure and chosen not in figure["source_id"].split(","):  # another document was picked
        st.query_params.pop("fig", None)
        figure = None
    doc = docs[docs["source_id"] == chosen].iloc[0]
    st.subheader(plain(titles[chosen]), anchor=False)
    st.caption(t("sources.doc_meta", year=doc["year"], kind=plain(source_kind_label(doc["kind"])),
                 n=doc["n_figures"]))
    text = run("source_text", source_id=chosen)["text"].iloc[0]
    spans = quote_spans(text, highlighted(figure, chosen)) if figure else []
    if figure:
        st.caption(plain(t("sources.derived_shown", label=label_of(figure)) if figure["is_derived"] else
                         t("sources.figure_shown", label=label_of(figure), value=row_text(figure),
                           period=period_label(figure["period"]))))
        if not spans:
            st.info(t("sources.not_found"), icon=":material/info:")
    with st.container(height=520, border=True, key="sources_document"):
        st.html(DOC_CSS + f'<div class="etdz-doc">{document_html(text, spans)}</div>' + (SCROLL if spans else ""),
                unsafe_allow_javascript=bool(spans))


def highlighted(figure: dict, source_id: str) -> list[str]:
    """The sentences to mark: the figure's quote, or a derived figure's inputs' quotes in this document."""
    if not figure["is_derived"]:
        return [figure["quote"]]
    inputs = run("facts_by_id", ids=re.findall(r"\{([a-z0-9_]+)\}", figure["formula"] or ""))
    return inputs.loc[inputs["source_id"] == source_id, "quote"].dropna().tolist()


def entities_tab() -> None:
    st.caption(t("sources.entities_note"))
    words = search_box()
    entities = run("entity_list", q=" ".join(words))
    entities["kind"] = entities["kind"].map(lambda k: t(f"entity_kind.{k}"))
    entities["source"] = [pick(zh, en) for zh, en in zip(entities["source_short_zh"], entities["source_short_en"])]
    if entities.empty:
        empty_note()
    else:
        table_with_downloads(entities, "entities", {"entity": "sources.col_name", "name_en": "sources.col_name_en",
                                                    "kind": "sources.col_kind_entity", "quote": "col_quote",
                                                    "source": "col_source"})


def enterprises_tab() -> None:
    st.caption(t("sources.enterprises_note"))
    enterprises = run("enterprise_list")
    enterprises["source"] = [pick(zh, en) for zh, en in zip(enterprises["source_short_zh"], enterprises["source_short_en"])]
    table_with_downloads(enterprises, "enterprises", {"seq_no": "sources.col_seq", "city": "sources.col_city",
                                                      "name": "sources.col_enterprise", "quote": "col_quote",
                                                      "source": "col_source"})


header("nav_sources", t("sources.subtitle"))
facets = run("facts_facets")
figure = figure_in_url()
# a link to a document (or Back to one) opens the documents tab
tabs = url_state.tabs(TABS, key="tab", format_func=lambda name: t(f"sources.tab_{name}"), on_change=left_tab,
                      opened="documents" if any(k in st.query_params for k in OPEN) else None)
with tabs[0]:
    if tabs[0].open:
        figures_tab()
with tabs[1]:
    if tabs[1].open:
        documents_tab(figure)
with tabs[2]:
    if tabs[2].open:
        entities_tab()
with tabs[3]:
    if tabs[3].open:
        enterprises_tab()
