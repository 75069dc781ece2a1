"""总览 Overview: the headline figures, each with its period and source, and the zone's ranks."""
import streamlit as st

from dashboard import figures
from dashboard.components import chart, kpi, source_line
from dashboard.i18n import colon, t
from dashboard.layout import header
from dashboard.text import plain

header("nav_overview", t("overview_subtitle"))

trends = figures.headline_trends()
for row in figures.headline_cards():
    for col, (main, delta) in zip(st.columns(4), row):
        with col:
            kpi(main, delta=delta, trend=trends.get(main["figure_id"]))

st.subheader(t("ranks_title"))
cards = figures.rank_cards()
for col, card in zip(st.columns(max(len(cards), 1)), cards):
    with col, st.container(border=True):
        st.metric(plain(card["label"]), card["value"], delta=card["delta"], delta_arrow=card["arrow"],
                  delta_color={"up": "green", "down": "red"}.get(card["arrow"], "off"),
                  help=f"{t('quote')}{colon()}{plain(card['row']['quote'])}")
        if card["grade"]:
            st.markdown(f"**{card['grade']}**")
        if card["position"]:
            st.caption(card["position"])
        st.caption(plain(source_line(card["row"])))

fig, data = figures.growth_vs_city()
if fig:
    chart(fig, data, "growth_vs_city")
