"""The certified npm `oidc-provider` on loopback (tests/oidc/provider.mjs), as strict as a real
identity system: it refuses Streamlit's default `prompt=select_account`, gives `groups` through
userinfo only, logs out only to a registered address, and reads its people from a file at every
sign-in and userinfo call, so a test can take someone out of a group while they are signed in.
`make test` installs it (npm ci in tests/oidc). Made-up people for tests only."""
from __future__ import annotations

import json
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

NODE_DIR = Path(__file__).resolve().parent / "oidc"
CLIENT_ID, CLIENT_SECRET = "etdz-dashboard", "strict-test-client-secret"
ANALYSTS = "etdz-analysts"
PEOPLE = {
    "analyst": {"name": "赵分析", "email": "analyst@strict.test", "groups": [ANALYSTS, "staff"]},
    "analyst2": {"name": "钱分析", "email": "analyst2@strict.test", "groups": [ANALYSTS]},
    "viewer": {"name": "孙查看", "email": "viewer@strict.test", "groups": ["staff"]},
}


class StrictProvider:
    """`with StrictProvider(port, redirect_uris) as p:` — p.issuer, p.set_groups(who, groups)."""

    def __init__(self, port: int, redirect_uris: list[str], *, logout_uris: list[str] | None = None):
        if not (NODE_DIR / "node_modules" / "oidc-provider").is_dir():
            raise RuntimeError("tests/oidc/node_modules is missing: `make test-provider` installs it")
        self.port = port
        self.issuer = f"http://127.0.0.1:{port}"
        self.dir = Path(tempfile.mkdtemp(prefix="strict-oidc-"))
        self.accounts = self.dir / "accounts.json"
        self.people = json.loads(json.dumps(PEOPLE))
        self._write_people()
        config = {"port": port, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                  "redirect_uris": redirect_uris,
                  "post_logout_redirect_uris": redirect_uris if logout_uris is None else logout_uris,
                  "accounts_file": str(self.accounts)}
        (self.dir / "config.json").write_text(json.dumps(config), encoding="utf-8")
        self.log = open(self.dir / "provider.log", "w+")
        self.proc: subprocess.Popen | None = None

    def _write_people(self) -> None:
        tmp = self.accounts.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.people, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.accounts)

    def set_groups(self, who: str, groups: list[str]) -> None:
        self.people[who]["groups"] = groups
        self._write_people()

    def start(self) -> "StrictProvider":
        self.proc = subprocess.Popen(["node", "provider.mjs", str(self.dir / "config.json")], cwd=NODE_DIR,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.issuer}/.well-known/openid-configuration", timeout=2):
                    return self
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"oidc-provider did not start:\n{self.log_text()}")

    def log_text(self) -> str:
        self.log.flush()
        return (self.dir / "provider.log").read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def __enter__(self) -> "StrictProvider":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
        self.log.close()
