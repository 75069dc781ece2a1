"""产业集群 Industry clusters: the four clusters, leading industries and firms, steel pipes, building economy."""
import streamlit as st

from dashboard import url_state
from dashboard.components import chart, empty_note, kpi, kpi_grid, newest, source_line
from dashboard.figures import FIRMS_TOP, LEADING, STEEL, leading_firms_growth, leading_share, steel_labels
from dashboard.i18n import colon, lang, pick, t
from dashboard.layout import header
from dashboard.text import plain
from queries import run

ZONE = "开发区"
STEEL_PIPE = "钢管产业集群"
BUILDINGS = [("building_clusters", "count"), ("building_firms", "count"), ("building_revenue", "level"),
             ("building_employment", "count")]


def quote_caption(quote: str, short_zh: str, short_en: str) -> None:
    st.caption(f"{t('quote')}{colon()}“{plain(quote)}” · {t('source')}{colon()}{plain(pick(short_zh, short_en))}")


header("nav_clusters", t("clusters.subtitle"))
figures = run("zone_figures", entity=ZONE,
              indicators=[LEADING, "leading_industries"] + [i for i, _ in STEEL + BUILDINGS])

# The four clusters are named in one sentence; the steel-pipe cluster has its own section below.
st.subheader(t("clusters.four_title"))
groups = run("entity_groups", kinds=["cluster"])
steel_group = groups[groups["names"].map(lambda names: STEEL_PIPE in names)]
for g in groups.drop(steel_group.index).to_dict("records"):
    for col, name, name_en in zip(st.columns(len(g["names"])), g["names"], g["names_en"]):
        with col, st.container(border=True, height="stretch"):
            # English names are long words: a size smaller, so "pharmaceuticals" is not split in a 1280 px card
            st.markdown(f"{'#####' if lang() == 'en' else '####'} {plain(pick(name, name_en))}")
            st.caption(plain(name if lang() == "en" else name_en))
    quote_caption(g["quote"], g["source_short_zh"], g["source_short_en"])

st.subheader(t("clusters.leading_title"))
fig, share = leading_share()
left, right = st.columns([2, 1], vertical_alignment="center")
with left:
    if fig is None:
        empty_note()
    else:
        chart(fig, share, "clusters_leading_share")
with right:
    for indicator, measure in [(LEADING, "growth"), ("leading_industries", "count")]:
        if (row := newest(figures, indicator, measure)) is not None:
            kpi(row, label=t(f"clusters.label.{indicator}.{measure}"))

_, every_firm = leading_firms_growth()
q = ""
if not every_firm.empty and every_firm["of_all"].iloc[0] > FIRMS_TOP:  # a search only where the chart leaves firms out
    q = url_state.text(t("clusters.firm_search"), key="firm_q", help=t("clusters.firm_search_help", top=FIRMS_TOP))
fig, firms = leading_firms_growth(q.strip())
if fig is None:
    empty_note()
else:
    chart(fig, firms, "clusters_leading_firms_growth")

st.subheader(t("clusters.steel_title"))
if not steel_group.empty:
    g = steel_group.iloc[0]
    quote_caption(g["quote"], g["source_short_zh"], g["source_short_en"])
kpi_grid(figures, STEEL, labels=steel_labels())

st.subheader(t("clusters.building_title"))
buildings = run("named_entities", entity=ZONE, indicator="building_clusters", kind="building")
named, cards = st.columns([1, 2])  # two cards a row: 超180亿元 stays whole at 1280 px
with named:
    if not buildings.empty:
        st.markdown(f"**{t('clusters.named_buildings')}**")
        st.markdown("\n".join(f"- {plain(pick(b, en))}" for b, en in zip(buildings["entity"], buildings["name_en"])))
    if (row := newest(figures, "building_clusters", "count")) is not None:
        st.caption(f"{t('quote')}{colon()}“{plain(row['quote'])}” · {plain(source_line(row))}")
with cards:
    kpi_grid(figures, BUILDINGS, columns=2)
