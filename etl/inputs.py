"""Which files the database is built from, and whether the database still matches them.

Free of pandas and pandera, so the app can check at start, cheaply, that no commit or
undo died between saving its files and rebuilding (`ensure_fresh`).
"""
from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DB_PATH = DATA_DIR / "etdz.duckdb"
IMPORTS = "imports"
REVERTED = "_reverted"
# The curated tables (etl.validate.SPECS gives their columns), in load order.
TABLES = ("sources", "units", "indicators", "entities", "figures", "projects", "enterprises", "inferences",
          "derived")
# UTF-8 (with or without BOM) first; GB18030 reads GBK, Chinese Excel's default for CSV.
ENCODINGS = (("utf-8-sig", "UTF-8"), ("gb18030", "GBK"))


def decode_text(data: bytes) -> tuple[str, str]:
    """Text of a CSV or text file and the encoding it was in; ValueError if none fits."""
    if b"\x00" in data:
        raise ValueError("binary data")
    for codec, label in ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        # old Mac / some exporters end lines with CR alone: read them as lines
        return text.replace("\r\n", "\n").replace("\r", "\n"), label
    raise ValueError("not UTF-8 or GBK")


def data_dir() -> Path:
    """The data folder in use: data/, or ETDZ_DATA (tests, a staging copy)."""
    return Path(os.environ.get("ETDZ_DATA", DATA_DIR))


def db_path() -> Path:
    """The database in use: data/etdz.duckdb, or ETDZ_DB (queries.db_path reads the same variable)."""
    return Path(os.environ.get("ETDZ_DB", DB_PATH))


def batch_dirs(data: Path) -> list[Path]:
    """Analysts' import batches that are in force, oldest first (reverted ones are kept aside)."""
    root = data / IMPORTS
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))


def table_files(data: Path, name: str, extra: list[Path] = ()) -> list[tuple[Path, str]]:
    """One table's files in load order, each with its batch ('' for the curated files)."""
    curated = sorted((data / "figures").glob("*.csv")) if name == "figures" else [data / f"{name}.csv"]
    files = [(p, "") for p in curated] + [(b / f"{name}.csv", b.name) for b in [*batch_dirs(data), *extra]]
    return [(p, batch) for p, batch in files if p.is_file()]


def input_files(data: Path, extra: list[Path] = ()) -> list[Path]:
    """Every table file plus the source texts they name: what the database is built from."""
    tables = [p for name in TABLES for p, _ in table_files(data, name, extra)]
    texts = []
    for path in tables:
        if path.name == "sources.csv":
            with path.open(encoding="utf-8-sig", newline="") as f:
                texts += [path.parent / row["file"] for row in csv.DictReader(f) if row.get("file")]
    return tables + [p for p in texts if p.is_file()]


def file_hashes(files: list[Path], root: Path, known: dict | None = None) -> dict[str, tuple[int, int, str]]:
    """Each file (its path under root) → (size, mtime_ns, sha256). A file whose size and mtime are
    those `known` (the database's input_files, as built) keeps its known hash unread, so that
    checking a 2M-row history against its database reads no file that did not change."""
    out = {}
    for f in sorted(set(files)):
        name = str(f.relative_to(root)) if f.is_relative_to(root) else str(f)
        st = f.stat()
        seen = (known or {}).get(name)
        if seen and tuple(seen[:2]) == (st.st_size, st.st_mtime_ns):
            out[name] = tuple(seen)
        else:
            out[name] = (st.st_size, st.st_mtime_ns, hashlib.sha256(f.read_bytes()).hexdigest())
    return out


def input_digest(hashes: dict[str, tuple[int, int, str]]) -> str:
    """One digest of what the database is built from: every file's path and content hash."""
    h = hashlib.sha256()
    for name in sorted(hashes):
        h.update(f"{name}\t{hashes[name][2]}\n".encode())
    return h.hexdigest()[:16]


def read_batches(data: Path) -> list[dict]:
    """The batch.json of every batch, in force or reverted: the import log."""
    root = data / IMPORTS
    rows = []
    for folder, status in ((root, "active"), (root / REVERTED, "reverted")):
        for meta in sorted(folder.glob("*/batch.json")):
            if not meta.parent.name.startswith("_"):
                rows.append({**json.loads(meta.read_text(encoding="utf-8")),
                             "batch": meta.parent.name, "status": status})
    return rows


@contextmanager
def lock(data: Path):
    """One writer at a time per data folder: commits, undos and catch-up rebuilds. The lock is
    on the folder itself, so taking it writes nothing; the OS drops it if the process dies."""
    fd = os.open(data, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


CATALOG = "etdz"


def connect(db: Path):
    """A read-only connection to the database file as it is now.

    duckdb.connect(path) hands back the instance DuckDB already has open for that path, so
    after a rebuild replaced the file it would still read the old one; a private in-memory
    instance with the file attached reads the new file. Cursors start in the memory catalog:
    run `USE etdz` on each (queries.run does).
    """
    import duckdb

    con = duckdb.connect(":memory:")
    quoted = str(db).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS {CATALOG} (READ_ONLY)")
    con.execute(f"USE {CATALOG}")
    return con


@contextmanager
def reading(db: Path):
    con = connect(db)
    try:
        yield con
    finally:
        con.close()


def built_inputs(db: Path) -> tuple[str, dict] | None:
    """The input digest the database was built from and its files' hashes (None if there is no
    readable database)."""
    import duckdb

    if not db.is_file():
        return None
    try:
        with reading(db) as con:
            digest = con.execute("SELECT input_digest FROM build_info").fetchone()[0]
            files = {p: (size, mtime, sha) for p, size, mtime, sha in
                     con.execute("SELECT path, size, mtime_ns, sha256 FROM input_files").fetchall()}
            return digest, files
    except duckdb.Error:
        return None


def is_stale(data: Path, db: Path) -> bool:
    built = built_inputs(db)
    return built is None or built[0] != input_digest(file_hashes(input_files(data), data, built[1]))


# ---------- commit and undo as one step: the journal ----------

PENDING = "_pending.json"  # under imports/: a commit or undo whose rebuild has not finished
FAILED = "_failed"  # under imports/: batches whose rebuild failed, kept for the record


def begin(data: Path, action: str, batch: str) -> None:
    """Note a commit or undo before its files move, so a start after a crash can take it back."""
    root = data / IMPORTS
    root.mkdir(exist_ok=True)
    tmp = root / f"{PENDING}.tmp"
    tmp.write_text(json.dumps({"action": action, "batch": batch}), encoding="utf-8")
    os.replace(tmp, root / PENDING)


def done(data: Path) -> None:
    (data / IMPORTS / PENDING).unlink(missing_ok=True)


def pending(data: Path) -> dict | None:
    try:
        return json.loads((data / IMPORTS / PENDING).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def roll_back(data: Path) -> None:
    """Put the files back as they were before the pending commit or undo (nothing is deleted):
    a committed batch goes to imports/_failed/, a reverted one back into force."""
    step = pending(data)
    if step is None:
        return
    root, batch = data / IMPORTS, step["batch"]
    if step["action"] == "commit" and (root / batch).is_dir():
        (root / FAILED).mkdir(exist_ok=True)
        os.rename(root / batch, root / FAILED / _free_name(root / FAILED, batch))
    elif step["action"] == "revert" and (root / REVERTED / batch).is_dir():
        meta_file = root / REVERTED / batch / "batch.json"
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        for k in ("reverted_at", "reverted_by", "reverted_by_id"):
            meta.pop(k, None)
        meta_file.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        os.rename(root / REVERTED / batch, root / batch)
    done(data)


def _free_name(folder: Path, name: str) -> str:
    n, out = 1, name
    while (folder / out).exists():
        n += 1
        out = f"{name}-{n}"
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


TEMP_PREFIX = "etdz-check-"  # an upload's staging folder under the system temp dir: etdz-check-<pid>-…


def clean_stale(data: Path, db: Path) -> list[Path]:
    """Remove what a killed process left (call under the lock): temp databases and their WAL
    (.etdz.duckdb.<pid>.tmp[.wal]) and upload staging folders of dead processes, and half-written
    _incoming-* batches (commits write them under the lock, so none is in progress)."""
    gone = []
    for path in db.parent.glob(f".{db.name}.*.tmp*"):
        m = re.fullmatch(rf"\.{re.escape(db.name)}\.(\d+)\.tmp(\.wal)?", path.name)
        if m and not _alive(int(m[1])):
            path.unlink(missing_ok=True)
            gone.append(path)
    stages = [*(data / IMPORTS).glob("_incoming-*")]
    for path in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*"):
        m = re.match(rf"{TEMP_PREFIX}(\d+)-", path.name)
        if m and not _alive(int(m[1])):
            stages.append(path)
    for path in stages:
        shutil.rmtree(path, ignore_errors=True)
        gone.append(path)
    return gone


def ensure_fresh(data: Path, db: Path) -> str:
    """At start: clear a killed process's leftovers, and rebuild if the database lags behind its
    files: 'fresh', 'rebuilt', 'rolled back: …' or 'failed: …'.

    A commit or undo that died before its rebuild is finished if it builds, else taken back
    (roll_back). Any failure keeps the last good database in service; never raises.
    """
    from etl.build import build
    from etl.validate import ValidationError

    with lock(data):
        clean_stale(data, db)
        if not is_stale(data, db):  # another process finished it while we waited
            done(data)
            return "fresh"
        try:
            build(data, db)
        except Exception as err:  # noqa: BLE001 — whatever it is, the app must start
            reason = (err.problems[0].message("en") if isinstance(err, ValidationError)
                      else f"{type(err).__name__}: {err}")
            step = pending(data)
            if step is None:
                return f"failed: {reason}"
            roll_back(data)
            return f"rolled back: {step['action']} {step['batch']}: {reason}"
        done(data)
    return "rebuilt"
