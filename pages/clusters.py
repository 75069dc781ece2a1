"""产业集群 Industry clusters: the four clusters, leading industries and firms, steel pipes, building economy."""
import streamlit as st

from dashboard import charts
from dashboard.components import chart, display_frame, empty_note, kpi, kpi_grid, newest, source_line
from dashboard.i18n import lang, pick, t
from dashboard.layout import header
from queries import run

ZONE = "开发区"
STEEL_PIPE = "钢管产业集群"
COLOR = charts.TOPIC_COLORS["clusters"]
STEEL = [("steel_pipe_producers", "count"), ("steel_pipe_traders", "count"), ("steel_pipe_leading_firms", "count"),
         ("steel_pipe_profit_margin", "multiple"), ("steel_pipe_output", "level"),
         ("steel_pipe_trade_volume", "level"), ("steel_pipe_trade_volume", "share"),
         ("high_end_alloy_pipe_share", "share")]
BUILDINGS = [("building_clusters", "count"), ("building_firms", "count"), ("building_revenue", "level"),
             ("building_employment", "count")]
LEADING = "leading_industries_output"


def quote_caption(quote: str, short_zh: str, short_en: str) -> None:
    st.caption(f"{t('quote')}：“{quote}” · {t('source')}：{pick(short_zh, short_en)}")


header("nav_clusters", t("clusters.subtitle"))
figures = run("zone_figures", entity=ZONE,
              indicators=[LEADING, "leading_industries"] + [i for i, _ in STEEL + BUILDINGS])

# The four clusters are named in one sentence; the steel-pipe cluster has its own section below.
st.subheader(t("clusters.four_title"))
groups = run("entity_groups", kinds=["cluster"])
steel_group = groups[groups["names"].map(lambda names: STEEL_PIPE in names)]
for g in groups.drop(steel_group.index).to_dict("records"):
    for col, name, name_en in zip(st.columns(len(g["names"])), g["names"], g["names_en"]):
        with col, st.container(border=True):
            st.markdown(f"#### {pick(name, name_en)}")
            st.caption(name if lang() == "en" else name_en)
    quote_caption(g["quote"], g["source_short_zh"], g["source_short_en"])

st.subheader(t("clusters.leading_title"))
share = figures[(figures["indicator"] == LEADING) & (figures["measure"] == "share")]
left, right = st.columns([2, 1], vertical_alignment="center")
with left:
    if share.empty:
        empty_note()
    else:
        share = display_frame(share).assign(label=t("clusters.leading_share_label"))
        title = t("clusters.leading_share_title", period=share["period"].iloc[0])
        chart(charts.share_bar(share, color=COLOR, title=title), share, "clusters_leading_share")
with right:
    for indicator, measure in [(LEADING, "growth"), ("leading_industries", "count")]:
        if (row := newest(figures, indicator, measure)) is not None:
            kpi(row, label=t(f"clusters.label.{indicator}.{measure}"))

firms = run("indicator_by_entity", indicator="output_value", measure="growth", period=None, base_per_unit=1)
if firms.empty:
    empty_note()
else:
    firms = display_frame(firms, label_kind="entity")
    title = t("clusters.firms_title", period=firms["period"].iloc[0])
    chart(charts.bars(firms, color=COLOR, title=title), firms, "clusters_leading_firms_growth")

st.subheader(t("clusters.steel_title"))
if not steel_group.empty:
    g = steel_group.iloc[0]
    quote_caption(g["quote"], g["source_short_zh"], g["source_short_en"])
kpi_grid(figures, STEEL, labels={("steel_pipe_trade_volume", "share"): t("clusters.label.national_share")})

st.subheader(t("clusters.building_title"))
buildings = run("named_entities", entity=ZONE, indicator="building_clusters", kind="building")
if not buildings.empty:
    names = "; ".join(buildings["name_en"]) if lang() == "en" else "、".join(buildings["entity"])
    st.markdown(f"**{t('clusters.named_buildings')}**：{names} …")
kpi_grid(figures, BUILDINGS)
if (row := newest(figures, "building_clusters", "count")) is not None:
    st.caption(f"{t('quote')}：“{row['quote']}” · {source_line(row)}")
