"""Admin accounts for the 数据维护 page: scrypt password hashes in .streamlit/secrets.toml,
and a throttle on wrong passwords.

    python -m etl.admin set-password [--user analyst] [--secrets .streamlit/secrets.toml]

writes (or replaces) one line under [admin.users]; without any account the import is off.
"""
from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import os
import re
import secrets
import sys
import threading
import time
import tomllib
from pathlib import Path

SECRETS = Path(__file__).resolve().parent.parent / ".streamlit" / "secrets.toml"
SECTION = "[admin.users]"
# n=2^14, r=8: about 16 MB and tens of milliseconds per try, as hashlib's docs suggest for logins
N, R, P = 2 ** 14, 8, 1
USER = re.compile(r"[A-Za-z0-9_-]{1,32}")


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


_DUMMY = hash_password("", b"\0" * 16)  # an unknown user costs the same time as a wrong password


def verify_password(password: str, stored: str | None) -> bool:
    try:
        scheme, n, r, p, salt, digest = (stored or _DUMMY).split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest) and stored is not None


def set_password(path: Path, user: str, password: str) -> None:
    """Write `user = "<hash>"` under [admin.users], keeping every other line of the file."""
    if not USER.fullmatch(user):
        raise ValueError("user names use letters, digits, - and _ (at most 32)")
    line = f'{user} = "{hash_password(password)}"'
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    if SECTION not in (s.strip() for s in lines):
        lines += ["", SECTION] if lines else [SECTION]
    start = next(i for i, s in enumerate(lines) if s.strip() == SECTION) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
    mine = [i for i in range(start, end) if re.match(rf'\s*"?{re.escape(user)}"?\s*=', lines[i])]
    if mine:
        lines[mine[0]] = line
    else:
        lines.insert(start, line)
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # never leave a file Streamlit cannot read
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


class Throttle:
    """Wrong passwords cost time. A session waits 2^(n-1) s after its n-th failure; and since
    an attacker can open new sessions, once the whole process has seen `limit` failures within
    `window` seconds, every login waits 2^(excess) s after the latest one. Waits stop at `cap`."""

    def __init__(self, limit: int = 10, window: float = 900, cap: float = 300, clock=time.monotonic):
        self.limit, self.window, self.cap, self.clock = limit, window, cap, clock
        self._failures: list[float] = []
        self._lock = threading.Lock()

    def wait(self, session: dict) -> float:
        """Seconds before this session may try again (0: now)."""
        now = self.clock()
        own = 0.0
        if n := session.get("failures", 0):
            own = min(self.cap, 2 ** (n - 1)) - (now - session["last"])
        with self._lock:
            recent = [t for t in self._failures if now - t < self.window]
        shared = 0.0
        if len(recent) >= self.limit:
            shared = min(self.cap, 2 ** (len(recent) - self.limit)) - (now - recent[-1])
        return max(0.0, own, shared)

    def failed(self, session: dict) -> None:
        now = self.clock()
        session["failures"] = session.get("failures", 0) + 1
        session["last"] = now
        with self._lock:
            self._failures = [t for t in self._failures if now - t < self.window] + [now]

    @staticmethod
    def succeeded(session: dict) -> None:
        session.clear()


THROTTLE = Throttle()  # one per process: shared by every session of the app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Set an admin password for the 数据维护 page.")
    parser.add_argument("command", choices=["set-password"])
    parser.add_argument("--user", default="analyst")
    parser.add_argument("--secrets", type=Path, default=SECRETS)
    args = parser.parse_args(argv)
    password = getpass.getpass(f"Password for {args.user}: ")
    if len(password) < 10:
        print("Use at least 10 characters.", file=sys.stderr)
        return 1
    if getpass.getpass("Again: ") != password:
        print("The two passwords differ.", file=sys.stderr)
        return 1
    set_password(args.secrets, args.user, password)
    print(f"Saved the hash for {args.user!r} in {args.secrets}. Reload the app page to log in.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
