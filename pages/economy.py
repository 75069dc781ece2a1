"""经济运行 Economy: zone against city; a year and a period (newest month first), its indicators with their
city ranks, the same period a year earlier and a sparkline; indicators over time; a few periods side by side."""
import streamlit as st

from dashboard import figures, url_state
from dashboard.components import chart, data_expander, empty_note, kpi, period_picker, series_controls, show_card
from dashboard.fmt import period_label, row_text
from dashboard.i18n import t
from dashboard.layout import header

PER_ROW = 3  # cards per row: labels such as 规上工业增加值（增速） stay whole at 1280 px
# (indicator, measure) of the innovation cards; the technicians' card also shows their share of the city
INNOVATION = (("specialized_firms_new", "count"), ("gazelle_firms_new", "count"), ("champion_firms_new", "count"),
              ("chief_technicians", "count"), ("patents_recommended", "count"))

header("nav_economy", t("economy.subtitle"))

fig, growth = figures.growth_vs_city()  # the overview's chart, built in one place
if fig is None:
    empty_note()
else:
    chart(fig, growth, "economy_growth_vs_city")

st.subheader(t("economy.period_title"))
period = period_picker(figures.economy_periods())
cards, period_rows = figures.economy_period(period)
if period_rows.empty:
    empty_note()
for start in range(0, len(cards), PER_ROW):
    for col, card in zip(st.columns(PER_ROW), cards[start:start + PER_ROW]):
        with col:
            show_card(card["card"], trend=card["trend"])
if not period_rows.empty:
    data_expander(period_rows, f"economy_{url_state.period_code(period)}")

# indicators with many periods as time series, one at a time (the page does not grow with the data)
if series := figures.series_indicators():
    st.subheader(t("economy.series_heading"))
    names = figures.indicator_names(series)
    left, right = st.columns([1, 3])
    indicator = url_state.select(t("economy.series_pick"), series, key="series_indicator", default=series[0],
                                 format_func=names.get, container=left)
    years, kinds = figures.series_range(indicator)
    with right:
        chosen, kind = series_controls(years, figures.default_years(years), kinds, key="series")
    fig, rows = figures.economy_series(indicator, chosen, kind)
    if fig is not None:
        chart(fig, rows, f"economy_series_{indicator}")

fig, multi = figures.economy_periods_chart()
if fig is not None:
    st.subheader(t("economy.multi_title"))
    chart(fig, multi, "economy_periods_side_by_side")

found = figures.newest_cards(INNOVATION, share_of_city=True)
if found:
    newest_period = max((card["main"] for card in found), key=lambda r: r["period_end"])["period"]
    st.subheader(t("economy.innovation_title_period", period=period_label(newest_period)))
for start in range(0, len(found), PER_ROW):
    for col, card in zip(st.columns(PER_ROW), found[start:start + PER_ROW]):
        with col:
            kpi(card["main"], extra=t("economy.share_of_city", share=row_text(card["share"])) if card["share"] else None,
                trend=card["trend"])
