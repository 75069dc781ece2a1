"""对标排名 Benchmarks: national, provincial and city ranks 2020→2021, output per mu against Zoucheng,
the peer zones Yantai and Zouping, and what other cities do for their zones."""
import streamlit as st

from dashboard.components import (chart, data_expander, display_frame, empty_note, entity_cards, kpi, label_of,
                                  markdown_table, newest)
from dashboard.figures import group_note, position_words, rank_slope, tax_per_mu
from dashboard.fmt import period_label, row_text
from dashboard.i18n import colon, measure_label, pick, t
from dashboard.layout import header
from dashboard.text import plain
from queries import run

ZONE = "开发区"
RANKS = ["rank_national", "rank_provincial", "rank_city"]
PEERS = [ZONE, "烟台市12个省级及以上园区", "邹平开发区"]


def rank_card(rows) -> None:
    """One ranking: the 2021 rank and its change, and where it stands (its slope is in the chart below)."""
    latest = newest(rows, rows["indicator"].iloc[0], "rank")
    change = newest(rows, latest["indicator"], "rank_change")
    st.metric(plain(label_of(latest)), row_text(latest), delta=f"{int(change['value']):+d}" if change else None,
              delta_description=t("bench.places", period=period_label(latest["period"])),
              help=f"{t('quote')}{colon()}{plain((change or latest)['quote'])}")
    shares = positions[positions["indicator"] == latest["indicator"]].dropna(subset="position_side")
    if len(shares) == 2:
        a, b = shares.sort_values("year").to_dict("records")
        st.caption(t("bench.position", a=f"{period_label(a['period'])} {position_words(a)}",
                     b=f"{period_label(b['period'])} {position_words(b)}"))

header("nav_benchmarks", t("bench.subtitle"))
figures = run("zone_figures", entity=ZONE, indicators=RANKS + ["rank_city_from_bottom", "grade_city"])
positions = run("rankings", entity=ZONE)  # top / bottom p%, derived from rank ÷ N in the view

st.subheader(t("bench.ranks_title"))
for col, indicator in zip(st.columns(len(RANKS)), RANKS):
    with col, st.container(border=True, height="stretch"):
        rank_card(figures[figures["indicator"] == indicator])
        if indicator == "rank_city":
            bottom = newest(figures, "rank_city_from_bottom", "rank_from_bottom")
            grades = figures[figures["measure"] == "grade"].sort_values("period_end").to_dict("records")
            if bottom:
                st.markdown(t("bench.from_bottom", n=bottom["value_text"]), help=f"{t('quote')}{colon()}{plain(bottom['quote'])}")
            if len(grades) == 2:
                st.markdown(t("bench.grades", a=f"{period_label(grades[0]['period'])} **{row_text(grades[0])}**",
                              b=f"{period_label(grades[1]['period'])} **{row_text(grades[1])}**"))
            st.caption(t("bench.city_derived_note"))
# one figure for the three rankings: each panel under its card, one chart for the browser to draw
chart(*rank_slope(*RANKS), "rank_slopes")

st.subheader(t("bench.per_mu_title"))
per_mu = run("per_mu")
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

st.subheader(t("bench.peers_title"))
peers = display_frame(run("peer_figures", entities=PEERS, indicators=["fdi", "trade", "parks_provincial_above"],
                          period="2021年"), label_kind="entity")
if peers.empty:
    empty_note()
else:
    peers["row"] = [pick(zh, en) + ("" if m == "count" else f" · {measure_label(m)}")
                    for zh, en, m in zip(peers["indicator_zh"], peers["indicator_en"], peers["measure"])]
    names = peers.drop_duplicates("entity").set_index("entity")["label"]
    table = (peers.pivot(index="row", columns="label", values="text")
             .reindex(index=peers["row"].unique(), columns=[names[e] for e in PEERS if e in names]).fillna("—"))
    markdown_table(table, corner=t("col_indicator"))
    if note := group_note(peers):
        st.caption(plain(note))
    data_expander(peers, "peer_zones")

st.subheader(t("bench.policies_title"))
entity_cards(run("entity_groups", kinds=["policy"]))
