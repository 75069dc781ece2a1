"""N identical dashboard processes behind nginx on loopback: `python deploy/cluster.py [-n N]`
(what `make serve-cluster N=…` does; default one per core).

Replica i is `serve.py` on 127.0.0.1:(base port + i); nginx (deploy/etdz-site.conf) listens on
127.0.0.1:8680, routes each browser to one replica by a cookie it sets, and serves
Streamlit's static files itself. A replica that dies is started again on its port (what
systemd's `Restart=always` does for deploy/etdz@.service on a server). Every replica reads the
same database file: the one writer (`make db`, or a commit on 数据维护 in any replica) builds a
temporary file and renames it into place, and each replica sees the new file on its next
script run (queries.db_version). Ctrl-C stops everything.
"""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.nginx import LISTEN_PORT, UPSTREAM_PORT, Nginx  # noqa: E402

RESTART_DELAY_S = 1.0  # systemd's RestartSec in deploy/etdz@.service


def stop_group(proc: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM a process started with start_new_session and its children; SIGKILL after timeout."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class Replica:
    """One `serve.py` on a fixed port, in its own process group, logging to a temp file."""

    def __init__(self, port: int, env: dict[str, str], args: list[str]):
        self.port, self.env, self.args = port, env, args
        self.url = f"http://127.0.0.1:{port}"
        self.log = tempfile.NamedTemporaryFile("w+", prefix=f"etdz-replica-{port}-", suffix=".log", delete=False)
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "serve.py", "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false", *self.args],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.starts += 1

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=5) as r:
                return r.status == 200
        except OSError:
            return False

    def wait_healthy(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while not self.healthy():
            if time.monotonic() > deadline:
                raise TimeoutError(f"replica {self.url} not healthy after {timeout}s:\n{self.log_text()}")
            time.sleep(0.3)

    def log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc is not None:
            stop_group(self.proc)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


class Cluster:
    """n replicas on base_port… and nginx on listen_port; a watcher restarts a dead replica."""

    def __init__(self, n: int, *, base_port: int = UPSTREAM_PORT, listen_port: int = LISTEN_PORT,
                 args: list[str] = (), env: dict[str, str] | None = None):
        env = {k: v for k, v in (env or os.environ).items() if k != "PYTHONDONTWRITEBYTECODE"}
        # One cookie secret for all: the XSRF cookie of one replica stays valid on another when
        # nginx moves a browser after a failure (systemd: EnvironmentFile, deploy/README.md).
        env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        self.replicas = [Replica(base_port + i, env, list(args)) for i in range(n)]
        self.nginx = Nginx([r.port for r in self.replicas], listen_port)
        self.url = self.nginx.url
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stopping.wait(0.2):
            for replica in self.replicas:
                if not replica.alive() and not self._stopping.is_set():
                    time.sleep(RESTART_DELAY_S)
                    replica.start()

    def start(self) -> "Cluster":
        for replica in self.replicas:
            replica.start()
        for replica in self.replicas:
            replica.wait_healthy()
        self.nginx.start()
        self._watcher.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._watcher.is_alive():
            self._watcher.join()
        self.nginx.stop()
        for replica in self.replicas:
            replica.stop()

    def __enter__(self) -> "Cluster":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=os.cpu_count() or 1, help="replicas (default: one per core)")
    parser.add_argument("--port", type=int, default=LISTEN_PORT, help="nginx's port on 127.0.0.1")
    parser.add_argument("--base-port", type=int, default=UPSTREAM_PORT, help="the first replica's port")
    opts = parser.parse_args()
    # systemctl stop / timeout send SIGTERM: unwind like Ctrl-C, so no replica is left behind
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with Cluster(opts.n, base_port=opts.base_port, listen_port=opts.port) as cluster:
        ports = ", ".join(str(r.port) for r in cluster.replicas)
        print(f"dashboard behind nginx: {cluster.url}  ({opts.n} replicas on {ports}; nginx state in "
              f"{cluster.nginx.prefix}; Ctrl-C stops)", flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
