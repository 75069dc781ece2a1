"""Run a page of the real app (app.py with its navigation) in Streamlit's AppTest."""
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
# as serve.py does: pages/ holds st.navigation pages, not old-style auto pages
PagesManager.uses_pages_directory = False


def open_page(page: str, timeout: float = 180, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}
