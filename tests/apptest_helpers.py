"""Run a page of the real app (app.py with its navigation) in Streamlit's AppTest."""
import base64
import json
from pathlib import Path

import numpy as np
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest, app_test

ROOT = Path(__file__).resolve().parent.parent


class NavigationPagesManager(PagesManager):
    """As serve.py does: pages/ holds st.navigation pages, not old-style auto pages. AppTest resets
    the flag before every run, and with it set every run after the first would execute the page
    file alone, without app.py (its navigation, sidebar and presenter mode)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


app_test.PagesManager = NavigationPagesManager


def open_page(page: str, timeout: float = 180, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if page != "overview":
        # a first run registers the navigation (switch_page finds a page with its own url_path only
        # then); the link's parameters come with the switch, as a link to /economy?period=… brings them
        at.run()
        at.switch_page(f"pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def seen(text: str) -> str:
    """A text as a reader sees it: fmt's no-break spaces (8.839\u00a0bn\u00a0yuan) as spaces, and
    without the invisible word joiners that keep a period whole (1\u2060-\u20609月)."""
    return text.replace("\u00a0", " ").replace("\u2060", "")


def metric_values(at: AppTest) -> dict[str, str]:
    """label -> value, as seen."""
    return {seen(m.label): seen(m.value) for m in at.metric}


def cards(at: AppTest) -> list[dict]:
    """Each KPI card on screen: its metric and the lines under it (the card's own container), as seen."""
    found = []

    def walk(node):
        kids = getattr(node, "children", None) or {}
        types = [type(c).__name__ for c in kids.values()]
        if "Metric" in types:
            metric = next(c for c in kids.values() if type(c).__name__ == "Metric")
            lines = [seen(c.value) for c in kids.values() if type(c).__name__ in ("Markdown", "Caption")]
            found.append({"metric": metric, "lines": lines})
        for c in kids.values():
            walk(c)
    walk(at.main)
    return found


def chart_specs(at: AppTest) -> list[dict]:
    """The page's Plotly charts as JSON, with numeric arrays (sent as base64 typed arrays) as lists."""
    return [_decode(json.loads(c.proto.spec)) for c in at.get("plotly_chart")]


def _decode(value):
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:
            return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value
