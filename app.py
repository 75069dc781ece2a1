"""聊城经开区经济运行看板 — entry point: page setup, shared sidebar, language, navigation."""
import logging
from pathlib import Path

import streamlit as st

from dashboard import presenter, url_state, warm
from dashboard.admin import current_user, login_box, take_auth_error
from dashboard.i18n import t
from dashboard.layout import SCREEN_STYLE, briefing_export, language_toggle, sidebar_footer
from dashboard.text import plain
from etl.inputs import data_dir, ensure_fresh
from queries import db_path

# "auto": the sidebar opens on a desktop and stays shut on a phone, where it would cover every fresh link
st.set_page_config(page_title="聊城经开区经济运行看板", page_icon="📊",
                   layout="wide", initial_sidebar_state="auto")


# st.cache_resource, not functools.cache: app.py runs again on every view and would define a new,
# empty cache each time (measured: the catch-up then ran on every view, 47 against 22 CPU ms)
@st.cache_resource(show_spinner=False)
def catch_up(data: str, db: str) -> str:
    """Once per process: finish a data import or undo that died before its rebuild."""
    status = ensure_fresh(Path(data), Path(db))
    if status != "fresh":
        logging.getLogger("etdz").warning("database catch-up: %s", status)
    return status


started = catch_up(str(data_dir()), str(db_path()))
warm.start()
if not db_path().is_file():
    st.error(f"数据库 {db_path()} 不存在：请先运行 `make db`。 / The database is missing: run `make db`.")
    st.stop()

language_toggle()
take_auth_error()

PAGES = [
    ("pages/overview.py", "nav_overview", ":material/dashboard:", "overview"),
    ("pages/economy.py", "nav_economy", ":material/trending_up:", "economy"),
    ("pages/clusters.py", "nav_clusters", ":material/factory:", "clusters"),
    ("pages/projects.py", "nav_projects", ":material/construction:", "projects"),
    ("pages/trade.py", "nav_trade", ":material/directions_boat:", "trade"),
    ("pages/party_services.py", "nav_party", ":material/volunteer_activism:", "party"),
    ("pages/benchmarks.py", "nav_benchmarks", ":material/leaderboard:", "benchmarks"),
    ("pages/targets.py", "nav_targets", ":material/flag:", "targets"),
    ("pages/alerts.py", "nav_alerts", ":material/notifications:", "alerts"),
    ("pages/sources.py", "nav_sources", ":material/menu_book:", "sources"),
]
# The maintenance page is listed for a logged-in analyst only; anyone else who opens its address
# is told there that it needs an analyst's sign-in (dashboard.admin.require), not "Page not found".
ADMIN_PAGE = ("pages/data_admin.py", "nav_data_admin", ":material/database:", "data-admin")
presenting = st.query_params.get("present") == "1"
analyst = current_user()
page = st.navigation([st.Page(path, title=t(title), icon=icon, url_path=url, default=(url == "overview"),
                              visibility="visible" if url != "data-admin" or analyst else "hidden")
                      for path, title, icon, url in PAGES + [ADMIN_PAGE]])
url_state.keep_page(page.url_path or "overview", presenting)
if presenting:
    presenter.show(url_state.view(page.url_path or "overview"))
else:
    st.html(SCREEN_STYLE)
    st.sidebar.button(t("present_mode"), icon=":material/slideshow:", width="stretch",
                      on_click=lambda: st.query_params.update(presenter.start_params(page.url_path or "overview")))
    briefing_export(page.url_path or "overview", page.title)
    sidebar_footer()
    login_box()
    if analyst and started.startswith(("failed", "rolled back")):
        st.warning(t("admin.start_rollback" if started.startswith("rolled") else "admin.start_failed",
                     detail=plain(started)), icon=":material/history:")
    page.run()
