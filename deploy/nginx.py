"""Run deploy/nginx.conf without root: `python deploy/nginx.py` (what `make serve-nginx` does).

Starts the dashboard (serve.py on 127.0.0.1:8501) and nginx in front of it on
127.0.0.1:8680, with nginx's pid, logs and temp files in a temporary directory.
Ctrl-C stops both. `Nginx` takes a list of replica ports (deploy/cluster.py); the tests and
benchmarks use it with other ports.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import streamlit

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "nginx.conf"
SITE = ROOT / "deploy" / "etdz-site.conf"
# Streamlit's front end: nginx serves /static/ from here instead of asking a replica
STATIC = Path(streamlit.__file__).resolve().parent / "static"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MODULES = Path("/usr/lib/nginx/modules")
UPSTREAM_PORT, LISTEN_PORT = 8501, 8680


def site_config(ports: list[int], listen_port: int, access_log: Path, *, gzip: bool = True, brotli: bool = True,
                host: str = "127.0.0.1") -> str:
    """deploy/etdz-site.conf with these replicas, this port and log, and this machine's static folder."""
    text = SITE.read_text(encoding="utf-8")
    options = re.search(r"^([ \t]*)server 127\.0\.0\.1:\d+( .*;)$", text, flags=re.M)
    servers = "\n".join(f"{options[1]}server {host}:{p}{options[2]}" for p in ports)
    text = re.sub(r"^[ \t]*server 127\.0\.0\.1:\d+ .*;\n", "", text, flags=re.M)
    text = text.replace("    keepalive 16;", f"{servers}\n    keepalive 16;", 1)
    text = re.sub(r"listen 127\.0\.0\.1:\d+;", f"listen 127.0.0.1:{listen_port};", text)
    text = re.sub(r"access_log \S+ etdz;", f"access_log {access_log} etdz;", text)
    text = re.sub(r"root \S+/streamlit/static;", f"root {STATIC};", text)
    for name, on in (("gzip", gzip), ("brotli", brotli)):
        if not on:
            text = re.sub(rf"^(\s*){name} on;", rf"\1{name} off;", text, flags=re.M)
    return text


class Nginx:
    """deploy/nginx.conf in front of these replica ports (gzip or Brotli off if asked), state in a temp directory."""

    def __init__(self, upstream_ports: int | list[int] = UPSTREAM_PORT, listen_port: int = LISTEN_PORT, *,
                 gzip: bool = True, brotli: bool = True):
        if not Path(NGINX).exists():
            raise FileNotFoundError("nginx is missing: run `make system-deps` (apt-get install nginx)")
        ports = [upstream_ports] if isinstance(upstream_ports, int) else list(upstream_ports)
        self.url = f"http://127.0.0.1:{listen_port}"
        self.prefix = Path(tempfile.mkdtemp(prefix="etdz-nginx-"))
        for sub in ("logs", "tmp"):
            (self.prefix / sub).mkdir()
        # Debian's modules-enabled/*.conf name "modules/…so" relative to the prefix: Debian's own
        # prefix holds this link too
        (self.prefix / "modules").symlink_to(MODULES)
        self.access_log = self.prefix / "logs" / "access.log"
        site = site_config(ports, listen_port, self.access_log, gzip=gzip, brotli=brotli)
        (self.prefix / "etdz-site.conf").write_text(site, encoding="utf-8")
        self.config = self.prefix / "nginx.conf"
        shutil.copy(CONFIG, self.config)
        self.proc = None

    def start(self) -> "Nginx":
        # Started as root, workers would run as `nobody` and could not read Streamlit's static files
        # in a checkout under a private folder (mktemp -d is 0700): they run as the runner's user.
        user = " user root;" if os.geteuid() == 0 else ""
        cmd = [NGINX, "-p", str(self.prefix), "-e", str(self.prefix / "logs" / "error.log"),
               "-c", str(self.config), "-g", "daemon off;" + user]
        test = subprocess.run(cmd[:-2] + ["-t"], capture_output=True, text=True)
        if test.returncode:
            raise RuntimeError(f"nginx -t failed:\n{test.stderr}")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.proc.stderr.read()}")
            try:
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=5).close()
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"nginx on {self.url} did not answer")

    def log_lines(self) -> list[str]:
        return self.access_log.read_text(encoding="utf-8").splitlines() if self.access_log.is_file() else []

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: workers finish open responses
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.prefix, ignore_errors=True)

    def __enter__(self) -> "Nginx":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    app = subprocess.Popen([sys.executable, "serve.py", "--server.port", str(UPSTREAM_PORT),
                            "--server.address", "127.0.0.1"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{UPSTREAM_PORT}/_stcore/health", timeout=5).close()
                break
            except OSError:
                if app.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the Streamlit server did not start")
                time.sleep(0.5)
        with Nginx() as nginx:
            print(f"dashboard behind nginx: {nginx.url}  (nginx state in {nginx.prefix}; Ctrl-C stops)", flush=True)
            try:
                app.wait()
            except KeyboardInterrupt:
                pass
    finally:
        if app.poll() is None:
            app.terminate()
            app.wait(timeout=15)


if __name__ == "__main__":
    main()
