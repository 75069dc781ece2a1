"""Reading, checking and committing an upload off the viewers' path: in a worker process with a
timeout, so a crafted file neither holds the server's Python (every viewer's script shares its
GIL) nor runs for minutes.

A fresh `python -m etl.worker <job> <result>` per job, not multiprocessing: Streamlit replaces
sys.modules["__main__"] with the page script, which a multiprocessing child would run again.
"""
from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from etl.inputs import ROOT, TEMP_PREFIX

TIMEOUT_S = 180.0


class TimedOut(Exception):
    pass


def run(fn, *args, timeout: float | None = None, progress=None, poll: float = 0.1):
    """fn(*args) in a worker process; its exception is raised here. TimedOut after `timeout` s
    (the worker is killed); progress(elapsed_s, timeout_s) is called while waiting."""
    timeout = TIMEOUT_S if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-") as tmp:
        job, result = Path(tmp) / "job.pickle", Path(tmp) / "result.pickle"
        job.write_bytes(pickle.dumps((fn.__module__, fn.__qualname__, args)))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        proc = subprocess.Popen([sys.executable, "-m", "etl.worker", str(job), str(result)], cwd=ROOT, env=env,
                                stdin=subprocess.DEVNULL)
        started = time.monotonic()
        try:
            while proc.poll() is None:
                elapsed = time.monotonic() - started
                if elapsed > timeout:
                    raise TimedOut(f"> {timeout:.0f} s")
                if progress:
                    progress(elapsed, timeout)
                time.sleep(poll)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if not result.is_file():
            raise RuntimeError(f"the import worker ended with exit code {proc.returncode}")
        ok, value = pickle.loads(result.read_bytes())
    if not ok:
        raise value
    return value


def main(job: str, result: str) -> int:
    os.nice(10)  # the viewers' scripts come first on a machine with few cores
    module, name, args = pickle.loads(Path(job).read_bytes())
    fn = importlib.import_module(module)
    for part in name.split("."):
        fn = getattr(fn, part)
    try:
        out = (True, fn(*args))
    except Exception as exc:  # noqa: BLE001 — handed to the caller, which raises it
        out = (False, exc)
    tmp = Path(f"{result}.tmp")
    tmp.write_bytes(pickle.dumps(out))
    os.replace(tmp, result)  # complete or absent
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
