"""预警 Alerts: every alert the rules raise (dashboard/alerts.toml), newest figures or the whole history,
filtered and paged (a 10-year history never makes one long list), each with its figures, sentences
and rule; the rules with their thresholds; and the 简报存档 of scheduled briefings."""
import streamlit as st

from dashboard import alerts, archive, url_state
from dashboard.i18n import t
from dashboard.layout import header

header("nav_alerts", t("alerts.subtitle"))

found = alerts.alerts()
years = sorted({a.period_end.year for a in found}, reverse=True)
left, middle, right, scope_col = st.columns([1, 2, 1, 1.4])
severities = url_state.select(t("alerts.filter_severity"), alerts.SEVERITIES, key="severity", widget="multiselect",
                              container=left, format_func=lambda s: t(f"alerts.severity.{s}"),
                              placeholder=t("filter_all"))
rules = url_state.select(t("alerts.filter_rule"), alerts.RULES, key="rule", widget="multiselect", container=middle,
                         format_func=lambda r: t(f"alerts.rule.{r}"), placeholder=t("filter_all"))
chosen_years = url_state.select(t("alerts.filter_year"), years, key="alert_year", widget="multiselect",
                                container=right, placeholder=t("filter_all"))
scope = url_state.select(t("alerts.filter_scope"), ["history", "newest"], key="scope", default="history",
                         widget="segmented", container=scope_col, format_func=lambda s: t(f"alerts.scope.{s}"))
shown = alerts.chosen(found, rules, severities, chosen_years, newest_only=scope == "newest")

if not shown:
    st.info(t("alerts.none"), icon=":material/info:")
else:
    st.caption(t("alerts.count", n=len(shown), by=alerts.count_words(shown)))
    size = alerts.CONFIG["page"]["size"]
    pages = list(range(1, (len(shown) - 1) // size + 2))
    number = url_state.select(t("alerts.page"), pages, key="alert_page", default=1) if len(pages) > 1 else 1
    first = (number - 1) * size
    for i, alert in enumerate(shown[first:first + size]):
        alerts.show(alert, f"page_{first + i}")
    if len(pages) > 1:
        st.caption(t("alerts.page_of", a=first + 1, b=min(first + size, len(shown)), n=len(shown)))

with st.expander(t("alerts.rules_title"), key="alert_rules"):
    for name in alerts.RULES:
        severity = t(f"alerts.severity.{alerts.rule(name)['severity']}")
        st.markdown(f"**{t(f'alerts.rule.{name}')}** · {severity} — {alerts.rule_words(name)}")

st.subheader(t("archive.title"))
st.caption(t("archive.caption"))
made = archive.archived()
if not made:
    st.caption(t("archive.empty"))
else:
    st.dataframe(archive.archive_table(made), hide_index=True, height=min(36 * len(made) + 38, 300))
    labels = {m["folder"].name: archive.made_words(m) for m in made}
    pick = st.selectbox(t("archive.pick"), list(labels), format_func=labels.get, key="archive_pick")
    entry = next(m for m in made if m["folder"].name == pick)
    with st.container(horizontal=True):
        for code, files in entry["files"].items():
            for kind, mime in (("pdf", "application/pdf"), ("pptx", archive.PPTX_MIME)):
                path = entry["folder"] / files[kind]
                st.download_button(f"{t(f'archive.lang.{code}')} {kind.upper()}", path.read_bytes, files[kind], mime,
                                   key=f"archive_{code}_{kind}", on_click="ignore",
                                   icon=":material/picture_as_pdf:" if kind == "pdf" else ":material/slideshow:")
