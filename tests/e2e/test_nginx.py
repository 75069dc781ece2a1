"""deploy/nginx.conf in front of the app: the page works through it (WebSocket included),
static assets are Brotli- or gzip-compressed and cached for a year, the HTML shell is revalidated."""
import re
import urllib.request

import pytest

from browser_helpers import chart_counts, free_port, visit
from deploy.nginx import Nginx

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def nginx(server):
    with Nginx(server.port, free_port(8680)) as proxy:
        yield proxy


def fetch(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.headers, response.read()


def test_app_renders_through_nginx(nginx, context):
    page = context.new_page()
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws))
    try:
        visit(page, nginx.url + "/economy")
        assert page.locator("[data-testid=stException]").count() == 0
        containers, drawn = chart_counts(page)
        assert containers == drawn
        # the script ran and its elements arrived: the WebSocket went through the proxy
        assert [ws.url for ws in sockets] == [nginx.url.replace("http", "ws") + "/_stcore/stream"]
        assert page.locator("[data-testid=stMain] h1").count() == 1
    finally:
        page.close()


def test_static_js_is_compressed_and_immutable(nginx):
    _, html = fetch(nginx.url + "/")
    script = re.search(rb'src="\./(static/js/index\.[\w-]+\.js)"', html)[1].decode()
    headers, body = fetch(f"{nginx.url}/{script}", **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert "immutable" in headers["Cache-Control"] and "max-age=31536000" in headers["Cache-Control"]
    plain_headers, plain = fetch(f"{nginx.url}/{script}")
    assert "Content-Encoding" not in plain_headers
    assert len(body) < len(plain) / 2
    # a browser that takes Brotli (Chromium sends "gzip, deflate, br, zstd") gets it, smaller still
    br_headers, br = fetch(f"{nginx.url}/{script}", **{"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert br_headers["Content-Encoding"] == "br"
    assert len(br) < len(body)


@pytest.mark.parametrize("path", ["/", "/economy"])
def test_html_shell_is_revalidated(nginx, path):
    headers, html = fetch(nginx.url + path, **{"Accept-Encoding": "gzip"})
    assert headers["Cache-Control"] == "no-cache"
    assert headers["Content-Encoding"] == "gzip"
