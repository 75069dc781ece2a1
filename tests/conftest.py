import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.build import DB_PATH, build  # noqa: E402

# no briefing rendered after every test's commit (tests/test_archive.py turns it on where it checks it)
os.environ.setdefault("ETDZ_BRIEFING_AFTER_COMMIT", "0")
# nor a warm-up thread asking what a test's own run should (tests/test_warm.py starts one itself)
os.environ.setdefault("ETDZ_WARM", "0")


@pytest.fixture(scope="session", autouse=True)
def database():
    """The shipped database, built from data/ (make test builds it too; this keeps pytest alone working)."""
    if not DB_PATH.exists():
        build()
    return DB_PATH
