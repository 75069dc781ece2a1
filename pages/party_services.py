"""党建与服务 Party-building and services: the brand's rank, cadres sent to firms, approval services,
the project-service mechanisms and the livelihood projects, each with the sentence it comes from."""
import streamlit as st

from dashboard.components import data_expander, entity_cards, show_card
from dashboard.figures import party_cards
from dashboard.i18n import colon, pick, t
from dashboard.layout import header
from dashboard.text import plain
from queries import run

FLAGSHIP = "1+1+N重点项目服务机制"


def cards(section: str) -> None:
    """A section's KPI cards in one row."""
    for col, c in zip(st.columns(max(len(CARDS[section]), 1)), CARDS[section]):
        with col:
            show_card(c)


header("nav_party", t("party.subtitle"))
CARDS = party_cards()  # the slide shows these same cards
figures = run("topic_figures", topic="party_services")
named = run("entity_groups", kinds=["mechanism", "livelihood"])

st.subheader(t("party.brand_title"))
cards("brand")

st.subheader(t("party.services_title"))
cards("services")

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
cards("livelihood")
entity_cards(named[named["kind"] == "livelihood"], columns=4)

data_expander(figures, "party_services")
