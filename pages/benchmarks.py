"""对标排名 Benchmarks: national, provincial and city ranks from year to year, output per mu against
a peer, the peer zones of a period (the largest, and any searched for), and what other cities do for their zones."""
import streamlit as st

from dashboard.components import (chart, data_expander, empty_note, entity_cards, kpi,
                                  label_of, markdown_table, newest, newest_of, peer_controls)
from dashboard.figures import (PEER_TOP, group_note, peer_period_frame, peer_places, peer_table, rank_slope,
                               tax_per_mu, zone_places)
from dashboard.fmt import period_label, row_text
from dashboard.i18n import colon, t
from dashboard.layout import header
from dashboard.text import plain
from queries import run

ZONE = "开发区"
RANKS = ["rank_national", "rank_provincial", "rank_city"]
PEER_INDICATORS = ["fdi", "trade", "parks_provincial_above"]  # the table's columns; the first two pick the zones


def rank_card(rows) -> None:
    """One ranking: the newest rank and its change; its slope and what it says (position, grades) under it."""
    latest = newest(rows, rows["indicator"].iloc[0], "rank")
    change = newest(rows, latest["indicator"], "rank_change")
    st.metric(plain(label_of(latest)), row_text(latest), delta=f"{int(change['value']):+d}" if change else None,
              delta_description=t("bench.places", period=period_label(latest["period"])),
              help=f"{t('quote')}{colon()}{plain((change or latest)['quote'])}")


header("nav_benchmarks", t("bench.subtitle"))
figures = run("zone_figures", entity=ZONE, indicators=RANKS)
positions = run("rankings", entity=ZONE)  # top / bottom p%, derived from rank ÷ N in the view

years = sorted(positions.loc[positions["indicator"].isin(RANKS), "year"].unique().tolist())
st.subheader(t("bench.ranks_title_years", first=years[0], last=years[-1]) if len(years) > 1
             else t("bench.ranks_heading"))
# a ranking a column: its card, and under it its slope with the page's words, the very chart of its slide
for col, indicator in zip(st.columns(len(RANKS)), RANKS):
    with col, st.container(border=True, height="stretch"):
        rank_card(figures[figures["indicator"] == indicator])
        chart(*rank_slope(indicator), f"rank_slope_{indicator}")

per_mu = run("per_mu")
if (newest_mu := newest_of(per_mu)) is not None:
    st.subheader(t("bench.per_mu_title_period", period=period_label(newest_mu["period"])))
left, right = st.columns([3, 2])
with left:
    fig, tax = tax_per_mu()
    ratio = newest(tax, "tax_per_mu", "ratio")
    if ratio:
        st.caption(f"{t('quote')}{colon()}“{plain(ratio['quote'])}”")
    if fig is not None:
        chart(fig, tax, "tax_per_mu")
with right:
    level = newest(per_mu, "investment_per_mu", "level")
    ratio = newest(per_mu, "investment_per_mu", "ratio")
    if level:
        kpi(level, extra=t("bench.investment_ratio", ratio=row_text(ratio)) if ratio else None)
        st.caption(t("bench.no_zoucheng_value"))

st.subheader(t("bench.peers_heading"))
peer_period, q = peer_controls(peer_period_frame("fdi", "trade"), PEER_TOP)
table, peers = peer_table(peer_period, q, *PEER_INDICATORS)
if peers.empty:
    empty_note()
else:
    markdown_table(table, corner=t("col_entity"))
    for words in zone_places(peer_period, q, "fdi", "trade"):
        st.caption(words)
    if note := group_note(peers):
        st.caption(plain(note))
    data_expander(peers, "peer_zones")
if (places := peer_places("trade", "fdi"))[0] is not None:
    chart(*places, "bench_peer_places")

st.subheader(t("bench.policies_title"))
entity_cards(run("entity_groups", kinds=["policy"]))
