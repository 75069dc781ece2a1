"""总览 Overview: the headline figures, each with its period and source, and the zone's ranks."""
import streamlit as st

from dashboard import alerts, figures
from dashboard.components import chart, show_card
from dashboard.i18n import lang, t
from dashboard.layout import header

header("nav_overview", t("overview_subtitle"))

# the newest figures' alerts, most serious first, a handful at most; nothing at all when there are none
if newest := alerts.overview_alerts():
    head, more = st.columns([3, 1], vertical_alignment="bottom")
    head.subheader(t("alerts.overview_title"))
    more.page_link("pages/alerts.py", label=t("alerts.all_link", n=len(alerts.alerts())), icon=":material/notifications:",
                   query_params={"lang": "en"} if lang() == "en" else None)
    for i, alert in enumerate(newest):
        alerts.show(alert, f"overview_{i}", compact=True)

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
