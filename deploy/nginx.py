"""Run deploy/nginx.conf without root: `python deploy/nginx.py` (what `make serve-nginx` does).

Starts the dashboard (serve.py on 127.0.0.1:8501) and nginx in front of it on
127.0.0.1:8680, with nginx's pid, logs, temp files and cache in a temporary directory.
Ctrl-C stops both. The tests and benchmarks use `Nginx` with other ports.
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

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
UPSTREAM_PORT, LISTEN_PORT = 8501, 8680


class Nginx:
    """deploy/nginx.conf on other ports (and gzip off if asked), state in a temp directory."""

    def __init__(self, upstream_port: int = UPSTREAM_PORT, listen_port: int = LISTEN_PORT, *, gzip: bool = True):
        if not Path(NGINX).exists():
            raise FileNotFoundError("nginx is missing: run `make system-deps` (apt-get install nginx)")
        self.url = f"http://127.0.0.1:{listen_port}"
        self.prefix = Path(tempfile.mkdtemp(prefix="etdz-nginx-"))
        # Started as root, nginx's workers run as `nobody`: they must reach the prefix, and the
        # temp and cache folders are left for the master to create with the workers as owner
        # (pre-made root-owned ones made every proxied static file a 500).
        self.prefix.chmod(0o755)
        for sub in ("logs", "tmp"):
            (self.prefix / sub).mkdir()
        text = CONFIG.read_text(encoding="utf-8")
        text = text.replace(f"127.0.0.1:{UPSTREAM_PORT};", f"127.0.0.1:{upstream_port};")
        text = text.replace(f"listen 127.0.0.1:{LISTEN_PORT};", f"listen 127.0.0.1:{listen_port};")
        if not gzip:
            text = re.sub(r"^(\s*)gzip on;", r"\1gzip off;", text, flags=re.M)
        self.config = self.prefix / "nginx.conf"
        self.config.write_text(text, encoding="utf-8")
        self.proc = None

    def start(self) -> "Nginx":
        cmd = [NGINX, "-p", str(self.prefix), "-e", str(self.prefix / "logs" / "error.log"),
               "-c", str(self.config), "-g", "daemon off;"]
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
