"""总览 Overview: the headline figures, each with its period and source, and the zone's ranks."""
import streamlit as st

from dashboard import figures
from dashboard.components import chart, show_card
from dashboard.i18n import t
from dashboard.layout import header

header("nav_overview", t("overview_subtitle"))

trends = figures.headline_trends()
for row in figures.headline_cards():
    for col, card in zip(st.columns(4), row):
        with col:
            show_card(card, trend=trends.get(card.row["figure_id"]))

st.subheader(t("ranks_title"))
cards = figures.rank_cards()
for col, card in zip(st.columns(max(len(cards), 1)), cards):
    with col:
        show_card(card)

fig, data = figures.growth_vs_city()
if fig:
    chart(fig, data, "growth_vs_city")
