"""Scheduled briefings: the whole deck (every screen, no filter) as PPTX and PDF in Chinese and English,
rendered into an archive folder after each data import or undo (a detached process, so a commit never
waits for it nor fails with it) and by the monthly systemd timer (deploy/etdz-briefing.timer), and
optionally mailed through the intranet's SMTP relay.

    python -m dashboard.archive [--reason timer|commit] [--retry-only]

A run writes artifacts/briefings/<UTC time>/ (ETDZ_BRIEFINGS moves it) with the four files and
briefing.json: when, why, the view, the data's newest period, the alerts, and the mail's state. A mail
that fails is logged and marked to retry: every later run (and the hourly retry timer) tries it again.

Mail settings, in .streamlit/secrets.toml (nothing there: no mail):

    [briefing_mail]
    host = "smtp.intranet"   # the relay
    port = 25
    from = "etdz-dashboard@intranet"
    to = ["office@intranet", "director@intranet"]
    langs = ["zh"]           # the PDFs attached (default: Chinese)
    starttls = false         # optional; user and password optional too
"""
from __future__ import annotations

import argparse
import fcntl
import json
import logging
import os
import smtplib
import subprocess
import sys
import tomllib
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

from dashboard.i18n import LANGS, speaking, t
from etl.inputs import ROOT

log = logging.getLogger("etdz.briefing")
MANIFEST = "briefing.json"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def archive_dir() -> Path:
    return Path(os.environ.get("ETDZ_BRIEFINGS", ROOT / "artifacts" / "briefings"))


def mail_settings() -> dict:
    """[briefing_mail] of .streamlit/secrets.toml (ETDZ_SECRETS names another file); {} when absent."""
    path = Path(os.environ.get("ETDZ_SECRETS", ROOT / ".streamlit" / "secrets.toml"))
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8")).get("briefing_mail", {})


# ---------- render ----------

def _newest_period() -> str:
    from queries import run
    return run("build_info").iloc[0]["newest_period"]


def render(reason: str = "timer", now: datetime | None = None, langs=LANGS) -> Path:
    """Render the whole deck in each language into a new folder of the archive; its folder."""
    from dashboard import alerts, briefing, slides  # kaleido and python-pptx load here only
    from dashboard.fmt import period_label
    now = now or datetime.now(timezone.utc)
    folder = archive_dir() / now.strftime("%Y%m%dT%H%M%SZ")
    if folder.exists():  # two commits in one second: each its own folder
        folder = folder.with_name(f"{folder.name}-{os.getpid()}")
    folder.mkdir(parents=True)
    files, found = {}, {}
    for code in langs:
        with speaking(code):
            deck = slides.deck({})
            cover = briefing.cover_for(deck, t("app_title"))
            pptx, pdf = briefing.export(deck, cover)
            stem = f"etdz_briefing_all_{now:%Y%m%d}_{code}"
            (folder / f"{stem}.pptx").write_bytes(pptx)
            (folder / f"{stem}.pdf").write_bytes(pdf)
            files[code] = {"pptx": f"{stem}.pptx", "pdf": f"{stem}.pdf"}
            found[code] = {"period": period_label(_newest_period()), "alerts": [alerts.lines(a) for a in alerts.alerts()]}
    manifest = {"made_at": now.isoformat(timespec="seconds"), "reason": reason, "view": "all", "files": files,
                "data": found, "mail": {"state": "pending" if mail_settings() else "off", "attempts": 0}}
    _write(folder, manifest)
    log.info("briefing archived in %s (%s)", folder, reason)
    return folder


def _write(folder: Path, manifest: dict) -> None:
    tmp = folder / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def archived() -> list[dict]:
    """Every archived briefing, newest first: its manifest with `folder` added."""
    root = archive_dir()
    if not root.is_dir():
        return []
    out = []
    for folder in sorted((f for f in root.iterdir() if f.is_dir()), reverse=True):  # not archive.log
        try:
            out.append({**json.loads((folder / MANIFEST).read_text(encoding="utf-8")), "folder": folder})
        except (OSError, ValueError):
            continue  # a run still writing, or a stray folder
    return out


def made_words(manifest: dict) -> str:
    """An archived briefing as the 简报存档 lists it: its date and view (2026-12-01 08:00 · 全部页面)."""
    when = datetime.fromisoformat(manifest["made_at"]).strftime("%Y-%m-%d %H:%M")
    return t("archive.made", date=when, view=t("archive.view_all") if manifest.get("view") == "all" else manifest["view"])


def archive_table(made: list[dict]):
    """The 简报存档 table: made, view, why, the data's period, alerts, mail."""
    import pandas as pd
    from dashboard.i18n import lang
    code = lang() if lang() in LANGS else "zh"
    return pd.DataFrame({
        t("archive.col_made"): [made_words(m) for m in made],
        t("archive.col_reason"): [t(f"archive.reason.{m.get('reason', 'timer')}") for m in made],
        t("archive.col_period"): [m["data"].get(code, next(iter(m["data"].values())))["period"] for m in made],
        t("archive.col_alerts"): [len(m["data"].get(code, next(iter(m["data"].values())))["alerts"]) for m in made],
        t("archive.col_mail"): [t(f"archive.mail.{m.get('mail', {}).get('state', 'off')}") for m in made],
    })


# ---------- mail ----------

def message(manifest: dict, folder: Path, settings: dict) -> EmailMessage:
    """Subject with the data's period, the alerts in the body, the PDFs attached (Chinese first)."""
    langs = settings.get("langs", ["zh"])
    first = langs[0]
    data = manifest["data"][first]
    with speaking(first):
        msg = EmailMessage()
        msg["Subject"] = t("mail.subject", zone=t("briefing.zone"), period=data["period"])
        msg["From"] = settings["from"]
        msg["To"] = ", ".join(settings["to"])
        lines = [t("mail.intro", period=data["period"]), ""]
        lines += [t("mail.alerts", n=len(data["alerts"]))] if data["alerts"] else [t("mail.no_alerts")]
        for alert in data["alerts"]:
            lines += ["", *alert]
        msg.set_content("\n".join(lines))
    for code in langs:
        name = manifest["files"][code]["pdf"]
        msg.add_attachment((folder / name).read_bytes(), maintype="application", subtype="pdf", filename=name)
    return msg


def send(manifest: dict, folder: Path, settings: dict) -> None:
    with smtplib.SMTP(settings["host"], int(settings.get("port", 25)), timeout=float(settings.get("timeout", 30))) as smtp:
        if settings.get("starttls"):
            smtp.starttls()
        if settings.get("user"):
            smtp.login(settings["user"], settings["password"])
        smtp.send_message(message(manifest, folder, settings))


def mail_pending(settings: dict | None = None) -> list[Path]:
    """Send every archived briefing whose mail is pending or failed (oldest first); the folders sent.
    A failure is logged and left to retry on the next run; it never raises."""
    settings = mail_settings() if settings is None else settings
    if not settings:
        return []
    archive_dir().mkdir(parents=True, exist_ok=True)
    with (archive_dir() / ".mail.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a commit's run and the timer's at once: each mail sent once
        return _send_pending(settings)


def _send_pending(settings: dict) -> list[Path]:
    sent = []
    for manifest in reversed(archived()):
        mail = manifest.get("mail", {})
        if mail.get("state") not in ("pending", "failed"):
            continue
        folder = manifest.pop("folder")
        try:
            send(manifest, folder, settings)
        except Exception as exc:  # the relay down, refused, a timeout: logged, retried later
            log.warning("briefing mail of %s failed (attempt %d): %s", folder.name, mail.get("attempts", 0) + 1, exc)
            manifest["mail"] = {**mail, "state": "failed", "attempts": mail.get("attempts", 0) + 1,
                                "error": f"{type(exc).__name__}: {exc}"[:300]}
        else:
            manifest["mail"] = {"state": "sent", "attempts": mail.get("attempts", 0) + 1,
                                "sent_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
            sent.append(folder)
        _write(folder, manifest)
    return sent


# ---------- after a commit ----------

def after_change() -> None:
    """Start the archive's run detached (its own session: the commit's worker may end first).
    Never raises: a briefing that cannot start is logged, the commit stands. ETDZ_BRIEFING_AFTER_COMMIT=0
    turns it off (the tests)."""
    if os.environ.get("ETDZ_BRIEFING_AFTER_COMMIT", "1") == "0":
        return
    try:
        archive_dir().mkdir(parents=True, exist_ok=True)
        with (archive_dir() / "archive.log").open("ab") as out:
            subprocess.Popen([sys.executable, "-m", "dashboard.archive", "--reason", "commit"], cwd=ROOT,
                             stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True,
                             env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])})
    except Exception:
        log.exception("briefing after commit not started")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reason", default="timer", choices=("timer", "commit", "manual"))
    parser.add_argument("--retry-only", action="store_true", help="only send the mails that failed before")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    for noisy in ("streamlit", "fontTools", "choreographer", "kaleido"):  # their INFO is not the archive's
        logging.getLogger(noisy).setLevel(logging.ERROR)
    if not args.retry_only:
        print(render(args.reason))
    mail_pending()
    return 0


if __name__ == "__main__":
    sys.exit(main())
