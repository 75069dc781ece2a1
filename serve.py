"""Serve the dashboard: `python serve.py [streamlit options]` (what `make run` does).

Streamlit treats an app with a `pages/` folder as an old-style multipage app until the
first script run calls st.navigation, so a deep link opened first after a restart
(?…/economy) would run that page alone. Clearing the flag before the server starts
makes every session use app.py's navigation. The sign-in routes are wrapped
(dashboard/sso_routes.py).

What a page view costs the server (bench/session_cost.py, bench/README.md):
- Streamlit forgets its compiled scripts whenever the last session disconnects, so with viewers
  coming one at a time every view compiled app.py and its page again (with magic). This server
  never reloads code (fileWatcherType = "none"; a code change is a restart), so the compiled
  scripts stay valid for the process's life and are kept.
- The forced full garbage collection after every script run is off (.streamlit/config.toml,
  runner.postScriptGC); what the libraries allocate at import is frozen out of the collector's
  walks (gc.freeze), so the collections Python still runs by itself stay short.
- Streamlit polls its config and secrets files every 0.2 s whatever server.fileWatcherType says
  (≈ 7 % of a busy replica's samples, hashing the files that do not exist): every 5 s here, so a
  changed secrets.toml still takes effect without a restart.
"""
import gc
import sys
from pathlib import Path

import duckdb  # noqa: F401  (imported before gc.freeze: their objects live as long as the process)
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import pyarrow  # noqa: F401
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.watcher import polling_path_watcher
from streamlit.web import cli

from dashboard import sso_routes

PagesManager.uses_pages_directory = False
ScriptCache.clear = lambda self: None  # see above: no stale script is possible on this server
polling_path_watcher._POLLING_PERIOD_SECS = 5.0  # read when each poll is scheduled
sso_routes.install()  # no silent sign-in failure; a sign-out ends the sign-in on the server
gc.freeze()

if __name__ == "__main__":
    app = str(Path(__file__).resolve().parent / "app.py")
    sys.argv = ["streamlit", "run", app, *sys.argv[1:]]
    sys.exit(cli.main())
