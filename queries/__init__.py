"""Named SQL queries: `run("trade_by_period", entity="开发区")` runs queries/trade_by_period.sql.

Parameters are bound ($name in the SQL), never formatted into the text. Results are
cached per database version, so a rebuilt database is served without a restart.
"""
from __future__ import annotations

import os
import tempfile
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from etl.inputs import CATALOG, connect

QUERY_DIR = Path(__file__).resolve().parent
DEFAULT_DB = QUERY_DIR.parent / "data" / "etdz.duckdb"


def _db_file() -> str:
    return os.environ.get("ETDZ_DB", str(DEFAULT_DB))


def db_path() -> Path:
    return Path(_db_file())


def db_version() -> str:
    """Changes whenever the build renames a new database into place (asked on every view: a plain
    stat of the path's string, a tenth of what two Path objects cost)."""
    path = _db_file()
    stat = os.stat(path)
    return f"{path}:{stat.st_mtime_ns}:{stat.st_size}"


@lru_cache(maxsize=None)
def sql_text(name: str) -> str:
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query named {name!r} in {QUERY_DIR}")
    return path.read_text(encoding="utf-8")


# DuckDB keeps what it read for a replica's life, up to 80 % of the machine: on a 2M-row history
# 1.4 GB per replica after every page was opened once, for no speed a viewer sees (all pages in
# both languages, cold: 19.3 s unbounded, 20.9 s with 256 MB). A larger query spills to the temp
# folder (a viewer's working directory may be read-only, so not DuckDB's default ./.tmp).
QUERY_MEMORY = os.environ.get("ETDZ_QUERY_MEMORY", "256MB")


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(version: str) -> duckdb.DuckDBPyConnection:
    # attached, not duckdb.connect(path): that would return the instance of the replaced file
    con = connect(Path(version.rsplit(":", 2)[0]))
    con.execute("SET memory_limit = ?", [QUERY_MEMORY])
    con.execute("SET temp_directory = ?", [str(Path(tempfile.gettempdir()) / "etdz-duckdb")])
    return con


@st.cache_data(max_entries=1024, show_spinner=False)
def _run(name: str, params: tuple, version: str) -> pd.DataFrame:
    bound = {k: list(v) if isinstance(v, tuple) else v for k, v in params}
    # a cursor per query: DuckDB connections are not shared across Streamlit's threads
    with _connection(version).cursor() as cur:
        cur.execute(f"USE {CATALOG}")
        return cur.execute(sql_text(name), bound).df()


def run(name: str, **params) -> pd.DataFrame:
    """Run a named query with bound parameters (st.cache_data hands each caller its own copy)."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, (list, set)) else v) for k, v in params.items()))
    asked(("query", name, frozen))
    return _run(name, frozen, db_version())


# What viewers asked for lately and how often, newest last: when the database changes, dashboard.warm
# asks it again, most asked first, before they do. Bounded, so a long-lived replica's list never grows.
ASKED_KEPT = 1024
ASKED: OrderedDict[str, tuple[tuple, int]] = OrderedDict()  # by repr: a builder's arguments may be lists
_asked_lock = threading.Lock()


def asked(key: tuple) -> str:
    """Note a key as asked; its written form (repr), which callers may key by too."""
    written = repr(key)
    with _asked_lock:
        ASKED[written] = (key, ASKED[written][1] + 1 if written in ASKED else 1)
        ASKED.move_to_end(written)
        if len(ASKED) > ASKED_KEPT:
            ASKED.popitem(last=False)
    return written


def asked_lately() -> dict[str, tuple[tuple, int]]:
    """A copy of ASKED, oldest first (another thread may be adding to it)."""
    with _asked_lock:
        return dict(ASKED)
