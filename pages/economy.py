"""经济运行 Economy: zone against city, each period's indicators with their city ranks, periods side by side."""
import streamlit as st

from dashboard import charts, figures
from dashboard.components import (chart, data_expander, display_frame, empty_note, kpi, newest, ranked_kpi,
                                   url_select)
from dashboard.fmt import row_text
from dashboard.i18n import measure_label, t
from dashboard.layout import header
from queries import run

ZONE = "开发区"
COLOR = charts.TOPIC_COLORS["economy"]
# the economic-operation indicators, in the order the documents report them
OPERATION = ["gdp", "secondary_va", "tertiary_va", "industrial_va", "fixed_asset_investment",
             "private_investment_share", "tech_reform_investment", "public_budget_revenue", "fdi", "trade",
             "retail_sales"]
# (indicator, measure) of the innovation cards; the technicians' card also shows their share of the city
INNOVATION = [("specialized_firms_new", "count"), ("gazelle_firms_new", "count"), ("champion_firms_new", "count"),
              ("chief_technicians", "count"), ("patents_recommended", "count")]

header("nav_economy", t("economy.subtitle"))

fig, growth = figures.growth_vs_city()  # the overview's chart, built in one place
if fig is None:
    empty_note()
else:
    st.caption(t("economy.city_derived_note"))
    chart(fig, growth, "economy_growth_vs_city")

st.subheader(t("economy.period_title"))
periods = run("economy_periods", entity=ZONE, indicators=OPERATION)["period"].tolist()
period = url_select(t("period"), periods, key="period", default=periods[0] if periods else None,
                    widget="segmented")
period_rows = run("period_figures", entity=ZONE, period=period, indicators=OPERATION)
if period_rows.empty:
    empty_note()
cards = [rows.to_dict("records") for _, rows in period_rows.groupby("indicator", sort=False)]
for start in range(0, len(cards), 4):
    for col, rows in zip(st.columns(4), cards[start:start + 4]):
        with col:
            ranked_kpi(rows)
if not period_rows.empty:
    data_expander(period_rows, f"economy_{period}")

st.subheader(t("economy.multi_title"))
multi = display_frame(run("multi_period_figures", entity=ZONE, topic="economy"))
if multi.empty:
    empty_note()
else:
    multi["panel"] = [f"{label} · {measure_label(m)}" for label, m in zip(multi["label"], multi["measure"])]
    chart(charts.small_multiples(multi, panel_col="panel", x_col="period", color=COLOR), multi,
          "economy_periods_side_by_side")
    st.caption(t("economy.multi_note"))

st.subheader(t("economy.innovation_title"))
innovation = run("zone_figures", entity=ZONE, indicators=[i for i, _ in INNOVATION])
for col, (indicator, measure) in zip(st.columns(len(INNOVATION)), INNOVATION):
    main = newest(innovation, indicator, measure)
    if main is None:
        continue
    share = newest(innovation, indicator, "share")
    with col:
        kpi(main, extra=t("economy.share_of_city", share=row_text(share)) if share else None)
