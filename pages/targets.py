"""目标任务 Targets: the zone's targets, judged only by an actual that covers the target's whole period
(a part-year figure is progress), and the status in colour. Another city's policy requirement is not this zone's target."""
import streamlit as st

from dashboard import url_state
from dashboard.components import chart, data_expander, empty_note, source_line
from dashboard.figures import actual_line, status_parts, target_bullets, target_title as title, target_year, target_years
from dashboard.fmt import row_text
from dashboard.i18n import colon, t
from dashboard.layout import header
from dashboard.text import plain
from queries import run

ZONE = "开发区"
STATUSES = ["all", "met", "behind", "in_progress", "no_actual"]
BADGE = {"met": "green", "behind": "red", "in_progress": "orange", "no_actual": "gray"}


def status_text(status: str) -> str:
    return t(f"targets.status.{status}")


header("nav_targets", t("targets.subtitle"))
everything = run("zone_targets", entity=ZONE, status="all")
if everything.empty:
    empty_note()
    st.stop()
st.caption(t("targets.count", n=int(everything["n_targets"].iloc[0]), k=int(everything["n_with_actual"].iloc[0]),
             f=int(everything["n_with_forecast"].iloc[0]))
           + " " + t("targets.other_city_note"))

# the targets a document gives an actual for: the actual as a bar, the target as a tick
matched = everything.dropna(subset="actual_figure_id")
facts = run("facts_by_id", ids=[*everything["figure_id"], *matched["actual_figure_id"]])
actuals = {r["figure_id"]: r for r in facts[facts["basis"] != "target"].to_dict("records")}
# one year's targets at a time (the newest first), so neither chart nor cards grow with the years
years = target_years()
year = url_state.select(t("targets.year"), years, key="target_year", default=years[0]) if len(years) > 1 \
    else next(iter(years), None)
fig, bullets = target_bullets(year)
if fig is not None:
    chart(fig, bullets, "targets_vs_actual")

st.subheader(t("targets.table_title"))
status = url_state.select(t("targets.filter"), STATUSES, key="status", default="all", widget="segmented",
                          format_func=status_text)
shown = [r for r in run("zone_targets", entity=ZONE, status=status or "all").to_dict("records")
         if target_year(r["period"]) in (year, None)]  # a target naming no year: every year
if not shown:
    empty_note()
for start in range(0, len(shown), 3):
    for col, r in zip(st.columns(3), shown[start:start + 3]):
        with col, st.container(border=True, height="stretch"):
            words, why = status_parts(r)  # a badge cuts its text at a narrow column: the reason goes under it
            st.badge(words, color=BADGE[r["status"]])
            if why:
                st.caption(why)
            st.metric(plain(title(r)), row_text(r), help=f"{t('quote')}{colon()}{plain(r['quote'])}")
            actual = actuals.get(r["actual_figure_id"])
            if actual:
                st.markdown(f"{actual_line(r, actual)}", help=f"{t('quote')}{colon()}{plain(actual['quote'])}")
            st.caption(plain(source_line(r)))
data_expander(facts, "targets")
