"""Each replica builds again what its viewers asked for as soon as the database changes, so the
first viewer after a commit is served from the cache instead of waiting for a 2M-row query.

What was asked (queries.ASKED: named queries and cached views, with their arguments and language)
is also kept in a file beside the database, so every replica, and one restarted, warms what any of
them served. A viewer who asks while it warms waits on the same computation (Streamlit holds one
lock per cache key), never on a second one.
"""
from __future__ import annotations

import ast
import functools
import logging
import os
import threading
import time
from pathlib import Path

import queries
from dashboard import figures
from dashboard.i18n import speaking

POLL_SECONDS = 1.0  # a stat of the database file: the cost of noticing a commit
SAVE_SECONDS = 30.0
log = logging.getLogger("etdz")


def asked_file() -> Path:
    db = queries.db_path()
    return db.with_name(f".{db.name}.asked")  # beside the database: every replica reads the same


def _read() -> dict[str, tuple[tuple, int]]:
    try:
        lines = asked_file().read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    kept = {}
    for line in lines:
        count, _, written = line.partition("\t")
        try:
            kept[written] = (ast.literal_eval(written), int(count))
        except (ValueError, SyntaxError):
            continue  # an argument that is no literal (a numpy number) is warmed in its own process only
    return kept


def _merged(mine: dict[str, tuple[tuple, int]]) -> dict[str, tuple[tuple, int]]:
    """The file's keys, then this replica's (newer); a key both know keeps the larger count (another
    replica's count is of other viewers, but adding them would count a saved key again each save)."""
    theirs = _read()
    merged = {k: v for k, v in theirs.items() if k not in mine}
    merged.update({k: (key, max(n, theirs.get(k, (key, 0))[1])) for k, (key, n) in mine.items()})
    return dict(list(merged.items())[-queries.ASKED_KEPT:])


def save(mine: dict[str, tuple[tuple, int]]) -> None:
    path = asked_file()
    tmp = path.with_name(f"{path.name}-{os.getpid()}")
    tmp.write_text("".join(f"{n}\t{k}\n" for k, (_, n) in _merged(mine).items()), encoding="utf-8")
    os.replace(tmp, path)  # another replica reads a whole file, old or new


def keys() -> list[tuple]:
    """What to warm: views first (they run most of the queries), then the most asked, then the newest."""
    newest = list(reversed(_merged(queries.asked_lately()).values()))
    ordered = sorted(newest, key=lambda kn: (kn[0][0] != "view", -kn[1]))  # stable: newest first on a tie
    return [key for key, _ in ordered]


def warm(version: str, previous: str | None = None) -> int:
    """Ask again on `version` what was asked; stops when a newer database replaces it. Once all is
    asked, the previous version's entries of the same keys and its connection are let go, so a replica
    holds one database's views, not one per commit until the caches' entry limits push them out."""
    done, wanted = 0, keys()
    for key in wanted:
        if queries.db_version() != version:
            return done
        try:
            if key[0] == "view":
                _, name, args, kwargs, language = key
                with speaking(language):
                    figures._built(name, args, kwargs, language, version)
            else:
                _, name, params = key
                queries._run(name, params, version)
            done += 1
        except Exception:  # a builder renamed since, or arguments it no longer takes: not ours to fix here
            log.debug("warm: skipped %r", key, exc_info=True)
    if previous and previous != version:
        for key in wanted:
            if key[0] == "view":
                figures._built.clear(*key[1:], previous)
            else:
                queries._run.clear(*key[1:], previous)
        queries._connection.clear(previous)
    return done


def _watch() -> None:
    seen, saved, kept = None, time.monotonic(), {}
    while True:
        try:
            version = queries.db_version()
        except FileNotFoundError:  # between a rename's two steps, or before the first build
            version = None
        if version and version != seen:
            started = time.perf_counter()
            done, seen = warm(version, seen), version
            log.info("warm: %d views and queries on %s in %.1f s", done, version, time.perf_counter() - started)
        if time.monotonic() - saved > SAVE_SECONDS and (mine := queries.asked_lately()) != kept:
            saved, kept = time.monotonic(), mine
            try:
                save(mine)
            except OSError as e:  # a read-only data folder: warming still works from memory
                log.warning("warm: cannot keep what was asked in %s: %s", asked_file(), e)
        time.sleep(POLL_SECONDS)


@functools.cache  # once per process, without st.cache_resource's hashing on every run
def start() -> threading.Thread | None:
    """Once per process; ETDZ_WARM=0 leaves it off (tests that count what a run computes)."""
    if os.environ.get("ETDZ_WARM", "1") == "0":
        return None
    thread = threading.Thread(target=_watch, name="etdz-warm", daemon=True)
    thread.start()
    return thread
