"""The real app in a real browser: start `serve.py` (or any Streamlit script) on loopback,
launch Debian's Chromium, and wait until a page has finished its script run and drawn its charts.

Shared by the end-to-end tests (tests/e2e) and the browser benchmarks (bench/).
"""
from __future__ import annotations

import ast
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import TimeoutError

from deploy.cluster import stop_group

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 800}
# Every load is judged against the server's origin: anything else would leave the intranet.
LOCAL_SCHEMES = ("data:", "blob:")
# A page is ready in seconds on an idle machine; a shared 2-core CI runner can take minutes.
TIMEOUT_MS = float(os.environ.get("E2E_TIMEOUT_S", 300)) * 1000


def app_pages() -> list[tuple[str, str]]:
    """(url path, page file) of every page in app.py's PAGES, the default page at ''."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGES" for t in node.targets):
            pages = ast.literal_eval(node.value)
            return [("" if url == "overview" else url, path) for path, _title, _icon, url in pages]
    raise LookupError("app.py has no PAGES list")


def free_port(start: int) -> int:
    """The first port from `start` up that nothing listens on (loopback)."""
    for port in range(start, start + 100):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {start}..{start + 99}")


class Server:
    """A Streamlit server in its own process group, logging to a temp file; stop() ends it."""

    def __init__(self, script: str = "serve.py", port: int = 8615, *, via_cli: bool = False,
                 env: dict[str, str] | None = None, exact_port: bool = False, cwd: Path | None = None,
                 args: list[str] = ()):
        # exact_port: a port already named elsewhere (an identity provider's redirect address)
        self.port = port if exact_port else free_port(port)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile("w+", prefix="streamlit-", suffix=".log", delete=False)
        env = {k: v for k, v in {**os.environ, **(env or {})}.items() if k != "PYTHONDONTWRITEBYTECODE"}
        # serve.py is the app's launcher; any other script (the benchmark's floor app) goes
        # through `streamlit run`. Both read .streamlit/config.toml from the project root.
        head = [PYTHON, "-m", "streamlit", "run", script] if via_cli else [PYTHON, script]
        self.proc = subprocess.Popen(
            head + ["--server.port", str(self.port), "--server.address", "127.0.0.1",
                    "--server.headless", "true", "--browser.gatherUsageStats", "false", *args],
            cwd=cwd or ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_healthy(self, timeout: float = 300) -> "Server":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=5) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise TimeoutError(f"server not healthy after {timeout}s:\n{self.log_text()}")

    def log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        stop_group(self.proc)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)

    def __enter__(self) -> "Server":
        return self.wait_healthy()

    def __exit__(self, *exc) -> None:
        self.stop()


def launch_chromium(playwright):
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: run `make system-deps` (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# Ready = the script run is over (Streamlit marks stApp with its run state), no element is
# still a loading skeleton, and every Plotly chart has drawn an SVG with at least one trace.
# It must hold for STABLE_MS (a rerun right after the first would otherwise pass), and the
# first moment it held is kept in window.__ready as ms since navigation start.
STABLE_MS = 400
READY_JS = """(stableMs) => {
  const app = document.querySelector('[data-testid=stApp]');
  const charts = [...document.querySelectorAll('[data-testid=stPlotlyChart]')];
  const ok = app && app.dataset.testScriptState === 'notRunning'
    && app.dataset.testConnectionState === 'CONNECTED'
    && !document.querySelector('[data-testid=stSkeleton]')
    && document.querySelector('[data-testid=stMain] [data-testid=stElementContainer]')
    && charts.every(c => c.querySelector('.js-plotly-plot svg.main-svg g.trace'));
  if (!ok) { window.__readySince = undefined; return false; }
  if (window.__readySince === undefined) {
    window.__readySince = performance.now();
    window.__charts = charts.length;
  }
  return performance.now() - window.__readySince >= stableMs;
}"""


def visit(page, url: str, timeout_ms: float = TIMEOUT_MS) -> float:
    """Navigate and wait until ready; return ms from navigation start to the first ready moment."""
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    return wait_ready(page, timeout_ms)


def wait_ready(page, timeout_ms: float = TIMEOUT_MS) -> float:
    """Wait until the page is ready; return ms from navigation start to the first ready moment."""
    try:
        page.wait_for_function(READY_JS, arg=STABLE_MS, polling=50, timeout=timeout_ms)
    except TimeoutError as e:
        raise TimeoutError(f"{page.url} not ready: {page.evaluate(STATE_JS)}") from e
    return page.evaluate("window.__readySince")


# What READY_JS waits for, to say why a page never got ready.
STATE_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  const charts = [...document.querySelectorAll('[data-testid=stPlotlyChart]')];
  return {script: app?.dataset.testScriptState, connection: app?.dataset.testConnectionState,
          skeletons: document.querySelectorAll('[data-testid=stSkeleton]').length,
          elements: document.querySelectorAll('[data-testid=stMain] [data-testid=stElementContainer]').length,
          charts: charts.length,
          drawn: charts.filter(c => c.querySelector('.js-plotly-plot svg.main-svg g.trace')).length};
}"""


def chart_counts(page) -> tuple[int, int]:
    """(chart containers, charts with a drawn SVG holding at least one trace)."""
    return page.evaluate("""() => {
      const charts = [...document.querySelectorAll('[data-testid=stPlotlyChart]')];
      return [charts.length,
              charts.filter(c => c.querySelector('.js-plotly-plot svg.main-svg g.trace')).length];
    }""")


def widget(key: str) -> str:
    """The CSS selector of the widget keyed `key`, or of ?key='s widget in either language
    (url_state.widget_key: period.zh)."""
    return f":is(.st-key-{key}, .st-key-{key}-zh, .st-key-{key}-en)"


def choose(page, key: str, option: str) -> None:
    """Pick `option` in the Streamlit drop-down (st.selectbox) whose URL parameter is `key`."""
    box = page.locator(f"{widget(key)} [role=combobox]")
    box.click()
    if box.get_attribute("aria-expanded") != "true":
        box.press("ArrowDown")  # a click that scrolled the page first leaves the list closed
    page.get_by_role("option", name=option, exact=True).click()


def analyst_secrets(root: Path, password: str) -> Path:
    """A secrets.toml under root with one analyst account (`--secrets.files` of a test server)."""
    from etl.admin import hash_password
    secrets = root / "secrets.toml"
    secrets.write_text(f'[admin.users]\nanalyst = "{hash_password(password)}"\n', encoding="utf-8")
    return secrets


def log_in_as_analyst(page, url: str, password: str, box_screenshot: Path | None = None) -> None:
    """Open the app, sign in with the password box as analyst, and open 数据维护."""
    page.goto(url + "/", wait_until="commit")
    wait_ready(page)
    page.get_by_text("管理员登录").click()
    if box_screenshot is not None:
        from dashboard.i18n import TEXT
        box = page.locator("[data-testid=stSidebar] [data-testid=stExpander]").filter(has_text="管理员登录")
        box.get_by_text(TEXT["admin.mode_password"][0]).wait_for()  # says which mode is on
        box.screenshot(path=box_screenshot)
    page.get_by_label("用户名").fill("analyst")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_text("已登录：analyst").wait_for()
    page.get_by_role("link", name="数据维护").click()
    page.get_by_text("导入新数据").wait_for()
