"""One real server and one Chromium for the whole browser session (tests marked `e2e`)."""
import pytest
from playwright.sync_api import sync_playwright

from browser_helpers import ROOT, TIMEOUT_MS, VIEWPORT, Server, launch_chromium

SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: real server and Chromium (tests/e2e); `pytest -m e2e` runs only these")


@pytest.fixture(scope="session")
def server():
    with Server("serve.py", port=8615) as srv:
        yield srv


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def context(browser):
    """One context for the session: the 4.7 MB Plotly bundle is fetched once, not per page."""
    ctx = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="zh-CN")
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
