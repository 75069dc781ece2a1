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
    """Wrong passwords cost time, counted per client (its address) and per user name.

    A client waits 2^(n-1) s after its n-th failure within `window`. Once a user name has seen
    `limit` failures within `window` from anywhere, every client that has itself failed on that
    name waits 2^(excess) s after the latest one as well. A client without a failure of its
    own is never held back, so nobody can lock the admin out from another machine. Waits stop
    at `cap`; at most `keep` clients and names are remembered (the oldest are forgotten).
    """

    def __init__(self, limit: int = 10, window: float = 900, cap: float = 300, clock=time.monotonic,
                 keep: int = 10_000):
        self.limit, self.window, self.cap, self.clock, self.keep = limit, window, cap, clock, keep
        self._clients: dict[str, list[float]] = {}
        self._users: dict[str, list[float]] = {}
        self._tried: dict[tuple[str, str], float] = {}  # (client, user) -> last failure
        self._lock = threading.Lock()

    def _recent(self, book: dict, key, now: float) -> list[float]:
        times = [t for t in book.get(key, ()) if now - t < self.window]
        if times:
            book[key] = times
        else:
            book.pop(key, None)
        return times

    def wait(self, client: str, user: str) -> float:
        """Seconds before this client may try this user again (0: now)."""
        now = self.clock()
        with self._lock:
            own = self._recent(self._clients, client, now)
            shared = self._recent(self._users, user, now) if (client, user) in self._tried else []
        waits = [0.0]
        if own:
            waits.append(min(self.cap, 2 ** (len(own) - 1)) - (now - own[-1]))
        if len(shared) >= self.limit:
            waits.append(min(self.cap, 2 ** (len(shared) - self.limit)) - (now - shared[-1]))
        return max(waits)

    def failed(self, client: str, user: str) -> None:
        now = self.clock()
        with self._lock:
            for book, key in ((self._clients, client), (self._users, user)):
                book[key] = self._recent(book, key, now) + [now]
            self._tried[(client, user)] = now
            for book in (self._clients, self._users, self._tried):
                while len(book) > self.keep:  # dicts keep insertion order: drop the oldest
                    book.pop(next(iter(book)))

    def succeeded(self, client: str, user: str) -> None:
        with self._lock:
            self._clients.pop(client, None)
            self._tried.pop((client, user), None)


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
