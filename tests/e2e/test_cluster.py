"""deploy/cluster.py: two replicas behind nginx on a throw-away copy of the data.

Sticky routing (each browser keeps its replica, an upload reaches the replica that holds its
session), a commit seen by every replica on its next run, and a replica killed with kill -9
routed around by nginx and started again by the runner.
"""
import asyncio
import os
import re
import signal
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from browser_helpers import TIMEOUT_MS, VIEWPORT, analyst_secrets, free_port, log_in_as_analyst, wait_ready
from cluster_helpers import script_run
from deploy.cluster import Cluster
from etl import imports
from import_helpers import QUOTE, bulletin_csv, bulletin_source, upload, workspace

pytestmark = pytest.mark.e2e
PASSWORD = "cluster test password"
LOG = re.compile(r'"(?P<method>\w+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ upstream=(?P<upstream>\S+(?:, \S+)*) '
                 r'route=(?P<route>\w+)')


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    root = tmp_path_factory.mktemp("cluster")
    data, db = workspace(tmp_path_factory, root)
    secrets = analyst_secrets(root, PASSWORD)
    env = dict(os.environ, ETDZ_DATA=str(data), ETDZ_DB=str(db))
    with Cluster(2, base_port=free_port(8721), listen_port=free_port(8710), env=env,
                 args=["--secrets.files", str(secrets)]) as c:
        c.data, c.db = data, db
        yield c


def run_async(coroutine):
    """asyncio.run in a thread of its own: the browser fixture's loop runs in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def requests_of(cluster, route: str) -> list[dict]:
    """The access log's lines for one route cookie: method, path, status, upstream."""
    return [m.groupdict() for m in map(LOG.search, cluster.nginx.log_lines()) if m and m["route"] == route]


def logged(cluster, *texts: str) -> str:
    """The access log's last line holding all texts (nginx writes it once the response is sent)."""
    deadline = time.monotonic() + 30
    while not (lines := [line for line in cluster.nginx.log_lines() if all(t in line for t in texts)]):
        assert time.monotonic() < deadline, f"no {texts} in the access log"
        time.sleep(0.1)
    return lines[-1]


def replica_port(cluster, route: str) -> int:
    """The replica that served the last request of this route (after any retry). nginx logs a request
    after its response is sent, so the line may come a moment after the answer."""
    deadline = time.monotonic() + 30
    while not (lines := requests_of(cluster, route)):
        assert time.monotonic() < deadline, f"no request of route {route} in the access log"
        time.sleep(0.1)
    return int(lines[-1]["upstream"].split(", ")[-1].rsplit(":", 1)[1])


def route_cookie(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == "etdz_route")


def health_served_by(cluster, route: str, probe: str) -> int:
    """Ask nginx for /_stcore/health with this route cookie; the replica that answered it, read
    from this request's own log line (found by its probe mark: an earlier line of the same route
    would tell the replica of an earlier request)."""
    path = f"/_stcore/health?probe={probe}"
    with urllib.request.urlopen(urllib.request.Request(cluster.url + path, headers={
            "Cookie": f"etdz_route={route}"}), timeout=60) as r:
        assert r.status == 200
    line = LOG.search(logged(cluster, f" {path} ", f"route={route}"))
    return int(line["upstream"].split(", ")[-1].rsplit(":", 1)[1])


def contexts_on_both_replicas(browser, cluster):
    """Two browser contexts whose route cookies (set by nginx) hash to different replicas."""
    found = {}
    for _ in range(20):
        ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.request.get(cluster.url + "/")  # nginx sets the cookie on the first response
        port = replica_port(cluster, route_cookie(ctx))
        if port in found:
            ctx.close()
        else:
            found[port] = ctx
        if len(found) == 2:
            return [found[r.port] for r in cluster.replicas]
    raise AssertionError("20 new browsers all landed on one replica: the cookie does not spread them")


def test_nginx_sets_one_random_route_cookie(cluster):
    first = urllib.request.urlopen(cluster.url + "/", timeout=60)
    cookie = first.headers["Set-Cookie"]
    assert re.fullmatch(r"etdz_route=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", cookie)
    again = urllib.request.urlopen(urllib.request.Request(cluster.url + "/", headers={
        "Cookie": cookie.split(";")[0]}), timeout=60)
    assert again.headers["Set-Cookie"] is None  # kept, not replaced
    other = urllib.request.urlopen(cluster.url + "/", timeout=60).headers["Set-Cookie"]
    assert other.split(";")[0] != cookie.split(";")[0]


def test_static_files_come_from_nginx_not_a_replica(cluster):
    html = urllib.request.urlopen(cluster.url + "/", timeout=60).read()
    script = re.search(rb'src="\./(static/js/index\.[\w-]+\.js)"', html)[1].decode()
    with urllib.request.urlopen(urllib.request.Request(f"{cluster.url}/{script}", headers={
            "Accept-Encoding": "gzip"}), timeout=60) as r:
        assert r.headers["Content-Encoding"] == "gzip"
        assert "max-age=31536000" in r.headers["Cache-Control"]
        r.read()
    line = logged(cluster, f"GET /{script} ")
    assert "upstream=- " in line  # nginx read it from disk


def log_in_and_open_data_admin(page, url: str, screenshots) -> None:
    log_in_as_analyst(page, url, PASSWORD, screenshots / "password_login_box.png")


def test_each_browser_keeps_its_replica_and_its_upload(cluster, browser, tmp_path, screenshots):
    contexts = contexts_on_both_replicas(browser, cluster)
    try:
        pages = [ctx.new_page() for ctx in contexts]
        for page in pages:
            log_in_and_open_data_admin(page, cluster.url, screenshots)
        csv = tmp_path / "bulletin.csv"
        csv.write_text(bulletin_csv(), encoding="utf-8")
        pages[0].locator("[data-testid=stFileUploader]").last.locator("input[type=file]").set_input_files(csv)
        # the file reached the session that asked for it: its script run read it
        pages[0].get_by_role("button", name="校验并预览").wait_for()
        assert pages[1].get_by_role("button", name="校验并预览").count() == 0
        routes = [route_cookie(ctx) for ctx in contexts]
    finally:
        for ctx in contexts:
            ctx.close()
    for route, replica in zip(routes, cluster.replicas):
        # a WebSocket is logged when it closes
        logged(cluster, f'"GET /_stcore/stream HTTP/1.1" 101 ', f"route={route}")
        proxied = [r for r in requests_of(cluster, route) if r["upstream"] != "-"]
        assert {r["upstream"] for r in proxied} == {f"127.0.0.1:{replica.port}"}, proxied
        assert "/_stcore/stream" in [r["path"] for r in proxied]
    uploads = [r for r in requests_of(cluster, routes[0]) if "upload_file" in r["path"]]
    assert uploads and all(r["status"] in ("200", "204") for r in uploads), uploads
    assert not any("upload_file" in r["path"] for r in requests_of(cluster, routes[1]))


async def gather(*coroutines):
    return await asyncio.gather(*coroutines)


def test_a_commit_is_served_by_every_replica_on_its_next_run(cluster):
    def runs():
        return run_async(gather(*(
            script_run(r.url.replace("http", "ws") + "/_stcore/stream", "sources", "q=105.3") for r in cluster.replicas)))

    before = runs()
    assert [r.error for r in before] == [None, None]
    assert not any(r.contains(QUOTE) for r in before)
    imports.commit(upload(), bulletin_source(), "analyst", cluster.data, cluster.db)  # the one writer
    after = runs()  # no restart, no wait: the next run of each replica
    assert [r.error for r in after] == [None, None]
    assert [r.contains(QUOTE) for r in after] == [True, True]


def test_a_killed_replica_is_routed_around_and_restarted(cluster):
    victim, other = cluster.replicas
    route = next(route for route in (f"{i:032x}" for i in range(1, 200))
                 if health_served_by(cluster, route, "before") == victim.port)
    old_pid = victim.pid
    os.kill(old_pid, signal.SIGKILL)
    victim.proc.wait()
    # meanwhile (nginx rests a failed replica for fail_timeout=10s), this browser's requests go to
    # the other replica, and a whole script run works
    assert [health_served_by(cluster, route, f"after{i}") for i in range(5)] == [other.port] * 5
    run = run_async(script_run(cluster.url.replace("http", "ws") + "/_stcore/stream", cookie=route))
    assert run.error is None and run.ms
    # the runner starts it again on the same port
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not (victim.alive() and victim.pid != old_pid and victim.healthy()):
        assert time.monotonic() < deadline, "the killed replica was not started again"
        time.sleep(0.5)
    assert victim.starts == 2
