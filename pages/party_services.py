"""党建与服务 Party-building and services: the brand's rank, cadres sent to firms, approval services,
the project-service mechanisms and the livelihood projects, each with the sentence it comes from."""
import streamlit as st

from dashboard.components import data_expander, entity_cards, kpi, label_of, newest
from dashboard.i18n import colon, pick, t
from dashboard.layout import header
from dashboard.text import plain
from queries import run

FLAGSHIP = "1+1+N重点项目服务机制"
HONOUR = "全市基层党建十佳示范项目"


def cards(specs: list[tuple]) -> None:
    """A row of KPI cards, one per (indicator, measure, extra text or None)."""
    for col, (indicator, measure, extra) in zip(st.columns(len(specs)), specs):
        row = newest(figures, indicator, measure)
        if row:
            with col:
                kpi(row, label=(pick(row["entity"], row["entity_en"]) + " · " + label_of(row)
                                if row["entity_kind"] == "brand" else None), extra=extra)


header("nav_party", t("party.subtitle"))
figures = run("topic_figures", topic="party_services")
named = run("entity_groups", kinds=["mechanism", "livelihood", "other"])
honour = named[named["names"].map(lambda names: HONOUR in names)]

st.subheader(t("party.brand_title"))
cards([("party_building_project_rank", "rank", f"**{honour.iloc[0]['quote']}**" if not honour.empty else None),
       ("cadres_dispatched", "count", None), ("enterprises_projects_served", "count", None)])

st.subheader(t("party.services_title"))
cards([("services_handled", "count", None), ("service_satisfaction", "share", None)])

st.subheader(t("party.mechanisms_title"))
mechanisms = named[named["kind"] == "mechanism"]
flagship = mechanisms[mechanisms["names"].map(lambda names: FLAGSHIP in names)]
if not flagship.empty:
    row = flagship.iloc[0]
    with st.container(border=True):
        st.markdown(f"#### {plain(pick(row['names'][0], row['names_en'][0]))}")
        st.markdown(t("party.flagship_gloss"))
        st.caption(f"{t('quote')}{colon()}“{plain(row['quote'])}” · {t('source')}{colon()}"
                   f"{plain(pick(row['source_short_zh'], row['source_short_en']))}")
entity_cards(mechanisms.drop(flagship.index))

st.subheader(t("party.livelihood_title"))
cards([("housing_communities_delivered", "count", None), ("housing_beneficiaries", "count", None)])
entity_cards(named[named["kind"] == "livelihood"], columns=4)

data_expander(figures, "party_services")
