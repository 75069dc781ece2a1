"""Serve the dashboard: `python serve.py [streamlit options]` (what `make run` does).

Streamlit treats an app with a `pages/` folder as an old-style multipage app until the
first script run calls st.navigation, so a deep link opened first after a restart
(?…/economy) would run that page alone. Clearing the flag before the server starts
makes every session use app.py's navigation. The sign-in routes are wrapped
(dashboard/sso_routes.py).
"""
import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from dashboard import sso_routes

PagesManager.uses_pages_directory = False
sso_routes.install()  # no silent sign-in failure; a sign-out ends the sign-in on the server

if __name__ == "__main__":
    app = str(Path(__file__).resolve().parent / "app.py")
    sys.argv = ["streamlit", "run", app, *sys.argv[1:]]
    sys.exit(cli.main())
