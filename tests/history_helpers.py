"""The small synthetic history (bench/synth_history.py) built in a temporary folder, once per session.

    from history_helpers import small_history

    def test_x(small_history, monkeypatch):
        data, db = small_history
        monkeypatch.setenv("ETDZ_DATA", str(data))
        monkeypatch.setenv("ETDZ_DB", str(db))

Read it, never write to it: a test that commits or reverts copies it first (`history_copy`).
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from etl.build import build  # noqa: E402
from synth_history import write_history  # noqa: E402

_BUILT: dict[str, tuple[Path, Path, dict]] = {}


def build_history(root: Path, size: str = "small", seed: int = 0) -> tuple[Path, Path, dict]:
    """data folder, database and the rows synth_history wrote per table, under root."""
    data, db = root / "data", root / "etdz.duckdb"
    counts = write_history(size, data, seed=seed)
    build(data, db)
    return data, db, counts


def small_history_built(tmp_path_factory) -> tuple[Path, Path, dict]:
    """The small history, built once per test session (read-only for the tests)."""
    if "small" not in _BUILT:
        _BUILT["small"] = build_history(tmp_path_factory.mktemp("small_history"))
    return _BUILT["small"]


@pytest.fixture(scope="session")
def small_history(tmp_path_factory) -> tuple[Path, Path]:
    """(data_dir, db_path) of the small history: set ETDZ_DATA / ETDZ_DB to them."""
    data, db, _ = small_history_built(tmp_path_factory)
    return data, db


@pytest.fixture
def history_copy(tmp_path_factory, tmp_path) -> tuple[Path, Path]:
    """A private copy of the small history that a test may commit to or revert."""
    data, db, _ = small_history_built(tmp_path_factory)
    shutil.copytree(data, tmp_path / "data")
    shutil.copy2(db, tmp_path / "etdz.duckdb")
    return tmp_path / "data", tmp_path / "etdz.duckdb"


@pytest.fixture(scope="session")
def falls_history(tmp_path_factory) -> tuple[Path, Path]:
    """(data_dir, db_path) of the labelled history with known falls (synth_history.write_falls,
    FALLS_EXPECTED names the alerts it raises); read-only."""
    if "falls" not in _BUILT:
        from synth_history import write_falls
        root = tmp_path_factory.mktemp("falls_history")
        counts = write_falls(root / "data")
        build(root / "data", root / "etdz.duckdb")
        _BUILT["falls"] = (root / "data", root / "etdz.duckdb", counts)
    return _BUILT["falls"][:2]
