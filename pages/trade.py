"""开放型经济 Trade & investment: trade and FDI by period, Zhongtong and used cars, foreign firms, peer zones."""
import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.components import chart, display_frame, empty_note, kpi_grid, label_of, newest, ranked_kpi
from dashboard.i18n import lang, measure_label, paren, pick, t
from dashboard.layout import header
from queries import run

ZONE, ZHONGTONG, CJ = "开发区", "中通客车", "希杰"
PEERS = ["烟台经开区", "邹平开发区"]
PEER_YEAR = "2021年"  # the year the speech deck compares the zone with its peers
COLOR = charts.TOPIC_COLORS["trade"]
ZONE_INDICATORS = ["trade", "fdi", "key_trade_firms", "used_car_exports", "settled_key_firms",
                   "park_industrial_firms"]
ZHONGTONG_CARDS = [("bus_exports", "count"), ("trade", "level"), ("media_clicks", "count"),
                   ("used_car_exports", "level")]
FIRM_CARDS = [("settled_key_firms", "count"), ("park_industrial_firms", "count"), ("investment_start_year", "year"),
              ("investment_rounds", "count"), ("firm_investment", "level")]
PEER_CARDS = [("parks_provincial_above", "count"), ("fdi", "share"), ("trade", "share"), ("fdi", "growth")]

header("nav_trade", t("trade.subtitle"))
zone = run("zone_figures", entity=ZONE, indicators=ZONE_INDICATORS)


def by_period(indicator: str, name: str) -> None:
    """The zone's amount and growth of one indicator in every period, derived ones paler and marked."""
    rows = zone[(zone["indicator"] == indicator) & zone["measure"].isin(["level", "growth"])]
    rows = display_frame(rows.sort_values("measure", key=lambda m: m != "level", kind="stable"))  # amounts first
    if rows.empty:
        empty_note()
        return
    rows["x"] = [p + (paren(t("derived")) if d else "") for p, d in zip(rows["period"], rows["is_derived"])]
    rows["panel"] = [f"{pick(z, en)} · {measure_label(m)}"
                     for z, en, m in zip(rows["indicator_zh"], rows["indicator_en"], rows["measure"])]
    chart(charts.small_multiples(rows, panel_col="panel", x_col="x", color=COLOR, title=t(f"trade.{name}_title")),
          rows, f"trade_{name}_by_period")


def compare(indicator: str, axis_key: str) -> None:
    """The zone and its peers in PEER_YEAR, plotted in one unit (value_base ÷ 1亿) with labels as written."""
    rows = run("indicator_by_entity", indicator=indicator, measure="level", period=PEER_YEAR, base_per_unit=1e8)
    if rows.empty:
        empty_note()
        return
    rows = display_frame(rows, label_kind="entity").assign(value=lambda d: d["plot_value"])
    title = t(f"trade.peer_{indicator}_title", year=PEER_YEAR)
    chart(charts.bars(rows, color=COLOR, x_title=t(axis_key), title=title), rows, f"trade_peers_{indicator}")


cards = st.columns(3)
for col, indicator in zip(cards, ["trade", "fdi"]):
    if (main := newest(zone, indicator, "level")) is not None:
        rows = run("period_figures", entity=ZONE, period=main["period"], indicators=[indicator])
        with col:
            ranked_kpi(rows.to_dict("records"))
with cards[2]:
    kpi_grid(zone, [("key_trade_firms", "count")], columns=1)

left, right = st.columns(2)
with left:
    by_period("trade", "trade")
with right:
    by_period("fdi", "fdi")
st.caption(t("trade.period_note"))

st.subheader(t("trade.zhongtong_title"))
zhongtong = pd.concat([run("zone_figures", entity=ZHONGTONG, indicators=[i for i, _ in ZHONGTONG_CARDS]),
                       zone[zone["indicator"] == "used_car_exports"]], ignore_index=True)
kpi_grid(zhongtong, ZHONGTONG_CARDS, labels={("trade", "level"): t("trade.zhongtong_trade"),
                                             ("used_car_exports", "level"): t("trade.used_cars")})

st.subheader(t("trade.firms_title"))
firms = run("named_entities", entity=ZONE, indicator="settled_key_firms", kind="enterprise")
if not firms.empty:
    names = "; ".join(firms["name_en"]) if lang() == "en" else "、".join(firms["entity"])
    st.markdown(f"**{t('trade.named_firms')}**：{names} …")
cj = run("zone_figures", entity=CJ, indicators=[i for i, _ in FIRM_CARDS])
kpi_grid(pd.concat([zone, cj], ignore_index=True), FIRM_CARDS, columns=5,
         labels={(r["indicator"], r["measure"]): f"{pick(r['entity'], r['entity_en'])} · {label_of(r)}"
                 for r in cj.to_dict("records")})

st.subheader(t("trade.peers_title", year=PEER_YEAR))
left, right = st.columns(2)
with left:
    compare("fdi", "trade.fdi_axis")
with right:
    compare("trade", "trade.trade_axis")
for peer in PEERS:
    rows = run("zone_figures", entity=peer, indicators=sorted({i for i, _ in PEER_CARDS}))
    if rows.empty:
        continue
    st.markdown(f"**{pick(peer, rows['entity_en'].iloc[0])}**")
    kpi_grid(rows, PEER_CARDS, labels={("fdi", "share"): t("trade.fdi_share_city"),
                                       ("trade", "share"): t("trade.trade_share_city"),
                                       ("fdi", "growth"): t("trade.fdi_growth")})
