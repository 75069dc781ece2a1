"""开放型经济 Trade & investment: trade and FDI by period, firms and parks, peer zones."""
import streamlit as st

from dashboard.components import (card_rows, chart, empty_note, kpi_grid, peer_controls, ranked_card,
                                  series_controls, show_card)
from dashboard.figures import (PEER_TOP, default_years, firms_on_topic, has_series, peer_compare,
                               peer_period_frame, peer_places, period_cards, series_range, trade_by_period)
from dashboard.i18n import colon, pick, t
from dashboard.layout import header
from dashboard.text import plain
from queries import run

ZONE = "开发区"
PEER_CARD_MAX = 4  # peers with cards: the first of those in the chart (largest first)
FIRMS_SHOWN = 4  # firms and parks with cards, newest document first; the rest are counted
ZONE_INDICATORS = ["trade", "fdi", "key_trade_firms", "used_car_exports"]
PEER_CARDS = [("parks_provincial_above", "count"), ("fdi", "share"), ("trade", "share"), ("fdi", "growth")]

header("nav_trade", t("trade.subtitle"))
zone = run("zone_figures", entity=ZONE, indicators=ZONE_INDICATORS)


def shown(built: tuple, name: str) -> None:
    fig, rows = built
    if fig is None:
        empty_note()
    else:
        chart(fig, rows, name)


cards = st.columns(3)
for col, card in zip(cards, period_cards(("trade", "fdi"))):
    with col:
        show_card(ranked_card(card["rows"]), trend=card["trend"])
with cards[2]:
    kpi_grid(zone, [("key_trade_firms", "count"), ("used_car_exports", "level")], columns=1,
             labels={("used_car_exports", "level"): t("trade.used_cars")})

years, kinds = series_range("trade", "fdi")
chosen, kind = None, None
if has_series("trade", "fdi"):
    chosen, kind = series_controls(years, default_years(years), kinds, key="trade")
# one chart per indicator, the very charts of the trade and FDI slides
shown(trade_by_period("trade", years=chosen, kind=kind), "trade_by_period")
shown(trade_by_period("fdi", years=chosen, kind=kind), "fdi_by_period")

groups, total = firms_on_topic("trade", FIRMS_SHOWN)
if groups:
    st.subheader(t("trade.firms_title"))
for group in groups:  # each firm or park under its name, each card named by whose it is
    st.markdown(f"**{plain(group['name'])}**")
    if group["named"]:
        st.markdown(f"**{t('trade.named_firms')}**{colon()}{plain(group['named'])} …")
    card_rows(group["cards"])
if total > len(groups):
    st.caption(t("trade.more_firms", n=total - len(groups)))

st.subheader(t("trade.peers_title_plain"))
peer_period, q = peer_controls(peer_period_frame("fdi", "trade"), PEER_TOP)
# one chart per indicator, the very charts of the peer slides (their notes: unit, the zone's place, groups)
shown(peer_compare(peer_period, q, "trade"), "trade_peers")
shown(peer_compare(peer_period, q, "fdi"), "fdi_peers")
_, compared = peer_compare(peer_period, q, "fdi", "trade")
shown_peers = [e for e in dict.fromkeys(compared["entity"]) if e != ZONE][:PEER_CARD_MAX] if not compared.empty else []
peers = [run("peer_figures", entities=[peer], indicators=sorted({i for i, _ in PEER_CARDS}), period=peer_period)
         for peer in shown_peers]
# one row: each peer as wide as its number of cards
peers = [(rows, n) for rows in peers
         if (n := sum(((rows["indicator"] == i) & (rows["measure"] == m)).any() for i, m in PEER_CARDS))]
labels = {("fdi", "share"): t("trade.fdi_share_city"), ("trade", "share"): t("trade.trade_share_city"),
          ("fdi", "growth"): t("trade.fdi_growth")}
for col, (rows, n) in zip(st.columns([n for _, n in peers] or [1]), peers):
    with col:
        st.markdown(f"**{plain(pick(rows['entity'].iloc[0], rows['entity_en'].iloc[0]))}**")
        kpi_grid(rows, PEER_CARDS, columns=n, labels=labels)
if (places := peer_places("trade", "fdi", years=chosen, kind=kind))[0] is not None:
    shown(places, "trade_peer_places")
