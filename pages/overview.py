"""总览 Overview: the headline figures, each with its period and source, and the zone's ranks."""
import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.components import chart, display_frame, kpi, newest, same_period, source_line
from dashboard.fmt import row_text
from dashboard.i18n import paren, pick, t
from dashboard.layout import header
from queries import run

ZONE = "开发区"
# (indicator, measure of the big number, (indicator, measure) of the delta or None)
HEADLINE = [
    ("gdp", "growth", ("gdp", "gap")),
    ("secondary_va", "growth", ("secondary_va", "gap")),
    ("tertiary_va", "growth", ("tertiary_va", "gap")),
    ("trade", "level", ("trade", "growth")),
]
OPERATIONS = [
    ("key_projects_annual_investment", "level", None),
    ("above_scale_firms", "count", None),
    ("funds_in_place", "level", None),
    ("key_projects", "count", None),
]
RANKS = ["rank_national", "rank_provincial", "rank_city"]

header("nav_overview", t("overview_subtitle"))
indicators = [i for i, _, _ in HEADLINE + OPERATIONS] + [d[0] for _, _, d in HEADLINE if d]
figures = run("zone_figures", entity=ZONE, indicators=indicators)

for row in (HEADLINE, OPERATIONS):
    for col, (indicator, measure, delta_of) in zip(st.columns(len(row)), row):
        main = newest(figures, indicator, measure)
        if main is None:
            continue
        delta = same_period(figures, main, *delta_of) if delta_of else None
        with col:
            kpi(main, delta=delta)

# The plan and the amount done measure the same 105 projects' year, so the card shows the
# report's own words ("提前完成年度投资计划") rather than a computed completion ratio.
plan = newest(figures, "key_projects_annual_investment", "level", basis="plan")
done = newest(figures, "key_projects_annual_investment", "level")
if plan and done:
    st.caption(f"{t('annual_plan')}：{row_text(plan)}（{plan['period']}） · {t('quote')}：“{done['quote']}”")

st.subheader(t("ranks_title"))
ranks = run("rankings", entity=ZONE)
grades = run("city_grades", entity=ZONE)
for col, indicator in zip(st.columns(len(RANKS)), RANKS):
    rows = ranks[ranks["indicator"] == indicator].sort_values("year")
    if rows.empty:
        continue
    r = rows.iloc[-1].to_dict()
    grade = grades[grades["period"] == r["period"]]
    extra = f"**{row_text(grade.iloc[0].to_dict())}**" if not grade.empty else None
    with col, st.container(border=True):
        total = f" / {int(r['rank_total'])}" if r["rank_total"] == r["rank_total"] and r["rank_total"] else ""
        change = r["rank_change"]
        delta = None
        if change == change and change is not None:
            delta = t("up_places", n=int(change)) if change > 0 else t("down_places", n=int(-change))
        st.metric(pick(r["indicator_zh"], r["indicator_en"]) + paren(str(r["year"])),
                  f"{t('rank_prefix')}{r['rank']}{total}", delta=delta,
                  delta_color="normal" if delta else "off", help=f"{t('quote')}：{r['quote']}")
        if extra:
            st.markdown(extra)
        if r["percentile"] == r["percentile"] and r["percentile"] is not None:
            st.caption(t("percentile_note", p=r["percentile"]))
        st.caption(source_line(r))

growth = figures[(figures["measure"] == "growth") & figures["indicator"].isin(["gdp", "secondary_va", "tertiary_va"])]
city = run("zone_figures", entity="全市", indicators=["gdp", "secondary_va", "tertiary_va"])
both = display_frame(pd.concat([growth, city[city["measure"] == "growth"]], ignore_index=True))
if not both.empty:
    both["group"] = [pick(e, en) + (f"（{t('derived')}）" if d else "")
                     for e, en, d in zip(both["entity"], both["entity_en"], both["is_derived"])]
    both["label"] = [pick(z, en) for z, en in zip(both["indicator_zh"], both["indicator_en"])]
    zone_name = both.loc[both["entity"] == ZONE, "group"].iloc[0]
    fig = charts.grouped_bars(both, group_col="group", title=t("growth_vs_city_title"),
                              colors={zone_name: charts.TOPIC_COLORS["economy"]}, y_title="%")
    chart(fig, both, "growth_vs_city")
