"""Scheduled briefings (dashboard/archive.py): the archive lists what was made, a real SMTP server on
loopback (aiosmtpd) receives the mail with its PDF, a failed mail is retried later, a commit starts the
render detached and never waits for it, and the systemd units pass `systemd-analyze verify`."""
import json
import shutil
import subprocess
import time
from datetime import datetime, timezone
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from browser_helpers import free_port

from dashboard import archive, briefing, slides
from dashboard.i18n import speaking

ROOT = Path(__file__).resolve().parent.parent


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=default)))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    port = free_port(8625)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def fake_render(folder_root: Path, made_at: datetime) -> Path:
    """An archive entry as render() writes it, its PDFs from the alerts slide only (no charts: no kaleido)."""
    folder = folder_root / made_at.strftime("%Y%m%dT%H%M%SZ")
    folder.mkdir(parents=True)
    files, data = {}, {}
    for code in ("zh", "en"):
        with speaking(code):
            deck = slides.deck({}, "alerts")
            cover = briefing.cover_for(deck, "test")
            stem = f"etdz_briefing_all_{made_at:%Y%m%d}_{code}"
            (folder / f"{stem}.pdf").write_bytes(briefing.pdf_bytes(cover, deck, [None] * len(deck)))
            (folder / f"{stem}.pptx").write_bytes(briefing.pptx_bytes(cover, deck, [None] * len(deck)))
            files[code] = {"pptx": f"{stem}.pptx", "pdf": f"{stem}.pdf"}
            from dashboard import alerts
            data[code] = {"period": "2024年1-10月" if code == "zh" else "Jan–Oct 2024",
                          "alerts": [alerts.lines(a) for a in alerts.alerts()]}
    archive._write(folder, {"made_at": made_at.isoformat(timespec="seconds"), "reason": "timer", "view": "all",
                            "files": files, "data": data, "mail": {"state": "pending", "attempts": 0}})
    return folder


@pytest.fixture
def archived(tmp_path, monkeypatch):
    monkeypatch.setenv("ETDZ_BRIEFINGS", str(tmp_path / "briefings"))
    monkeypatch.setenv("ETDZ_TODAY", "2026-12-07")
    return fake_render(tmp_path / "briefings", datetime(2026, 12, 2, 7, 30, tzinfo=timezone.utc))


def settings(port: int) -> dict:
    return {"host": "127.0.0.1", "port": port, "from": "etdz@intranet.test", "to": ["a@intranet.test", "b@intranet.test"],
            "timeout": 5}


def test_the_mail_arrives_with_its_pdf_the_period_in_the_subject_and_the_alerts_in_the_body(smtp, archived):
    inbox, port = smtp
    assert archive.mail_pending(settings(port)) == [archived]
    (rcpt, msg), = inbox.messages
    assert rcpt == ["a@intranet.test", "b@intranet.test"]
    assert msg["Subject"] == "聊城经济技术开发区经济运行简报 · 2024年1-10月"
    body = msg.get_body(("plain",)).get_content()
    assert "预警（2条）" in body and "开发区省级开发区排名下滑31位" in body and "较上一年度下滑31个位次" in body
    pdfs = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert [p.get_filename() for p in pdfs] == ["etdz_briefing_all_20261202_zh.pdf"]
    assert pdfs[0].get_content() == (archived / "etdz_briefing_all_20261202_zh.pdf").read_bytes()
    assert json.loads((archived / "briefing.json").read_text())["mail"]["state"] == "sent"
    assert archive.mail_pending(settings(port)) == []  # sent once, never again


def test_a_failed_mail_is_logged_and_retried_later(smtp, archived, caplog):
    inbox, port = smtp
    with socket_closed() as dead:
        assert archive.mail_pending(settings(dead)) == []
    mail = json.loads((archived / "briefing.json").read_text())["mail"]
    assert mail["state"] == "failed" and mail["attempts"] == 1 and "Connection" in mail["error"]
    assert "briefing mail of" in caplog.text
    assert archive.mail_pending(settings(port)) == [archived]  # the next run sends it
    assert len(inbox.messages) == 1
    assert json.loads((archived / "briefing.json").read_text())["mail"]["attempts"] == 2


class socket_closed:
    """A loopback port nothing listens on."""

    def __enter__(self) -> int:
        import socket
        self.s = socket.socket()
        self.s.bind(("127.0.0.1", 0))
        return self.s.getsockname()[1]  # bound, never listening: connections are refused

    def __exit__(self, *exc):
        self.s.close()


def test_archive_lists_by_date_and_view(archived, tmp_path):
    later = fake_render(tmp_path / "briefings", datetime(2026, 12, 5, 9, 0, tzinfo=timezone.utc))
    made = archive.archived()
    assert [m["folder"] for m in made] == [later, archived]  # newest first
    with speaking("zh"):
        assert archive.made_words(made[1]) == "2026-12-02 07:30 · 全部页面"
        table = archive.archive_table(made)
    assert table.columns.tolist() == ["生成时间（UTC）与范围", "触发", "数据截至", "预警条数", "邮件"]


def test_the_alerts_page_serves_the_archived_files(archived):
    from apptest_helpers import open_page
    at = open_page("alerts")
    assert "简报存档" in [s.value for s in at.subheader]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["中文 PDF", "中文 PPTX", "英文 PDF", "英文 PPTX"]


def test_a_commit_starts_the_briefing_detached_and_returns_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv("ETDZ_BRIEFING_AFTER_COMMIT", "1")
    monkeypatch.setenv("ETDZ_BRIEFINGS", str(tmp_path / "b"))
    started = []
    monkeypatch.setattr(archive.subprocess, "Popen", lambda *a, **kw: started.append((a, kw)))
    t0 = time.perf_counter()
    archive.after_change()
    assert time.perf_counter() - t0 < 0.5
    (args, kw), = started
    assert args[0][1:] == ["-m", "dashboard.archive", "--reason", "commit"] and kw["start_new_session"]


def test_a_briefing_that_cannot_start_never_undoes_the_commit(tmp_path, monkeypatch):
    from dashboard import data_import
    monkeypatch.setenv("ETDZ_BRIEFING_AFTER_COMMIT", "1")
    monkeypatch.setenv("ETDZ_BRIEFINGS", str(tmp_path / "b"))

    def broken(*a, **kw):
        raise OSError("no process left")
    monkeypatch.setattr(archive.subprocess, "Popen", broken)
    monkeypatch.setattr(data_import.imports, "commit", lambda *a, **kw: {"batch": "b1"})
    assert data_import.commit("upload", None, "analyst", tmp_path, tmp_path / "db") == {"batch": "b1"}


UNITS = ["etdz-briefing.service", "etdz-briefing.timer", "etdz-briefing-retry.service", "etdz-briefing-retry.timer"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_timer_and_service_files_pass_systemd_analyze_verify(tmp_path):
    # the units name /opt/etdz (deploy/README.md); verified here with this checkout in its place
    for name in UNITS:
        text = (ROOT / "deploy" / name).read_text(encoding="utf-8").replace("/opt/etdz", str(ROOT))
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", *[str(tmp_path / n) for n in UNITS]],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    timer = (ROOT / "deploy" / "etdz-briefing.timer").read_text(encoding="utf-8")
    assert "OnCalendar=*-*-02 07:30:00" in timer  # monthly
    # and verify does catch a broken unit: the check is real
    (tmp_path / "etdz-briefing.timer").write_text(timer.replace("*-*-02 07:30:00", "every other full moon"))
    bad = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "etdz-briefing.timer"),
                          str(tmp_path / "etdz-briefing.service")], capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 or "full moon" in bad.stderr


def test_a_commit_through_the_import_worker_is_done_before_its_briefing_which_then_arrives(
        tmp_path_factory, tmp_path, monkeypatch):
    """As 数据维护 commits (dashboard.data_import.commit in the worker process): the commit returns with
    the database in force while the briefing is still rendering; the briefing lands in the archive after."""
    from dashboard import data_import
    from import_helpers import bulletin_csv, bulletin_source, upload, workspace
    data, db = workspace(tmp_path_factory, tmp_path)
    briefings = tmp_path / "briefings"
    for key, value in {"ETDZ_DATA": str(data), "ETDZ_DB": str(db), "ETDZ_BRIEFINGS": str(briefings),
                       "ETDZ_BRIEFING_AFTER_COMMIT": "1", "ETDZ_TODAY": "2026-12-07"}.items():
        monkeypatch.setenv(key, value)
    meta = data_import.run_off_path(data_import.commit, upload(bulletin_csv()), bulletin_source(), "analyst", data, db)
    assert (data / "imports" / meta["batch"]).is_dir()
    assert not list(briefings.glob(f"*/{archive.MANIFEST}"))  # the commit did not wait for the render
    deadline = time.monotonic() + 240
    while not archive.archived() and time.monotonic() < deadline:
        time.sleep(1)
    made, = archive.archived()
    assert made["reason"] == "commit" and set(made["files"]) == {"zh", "en"}
    pdf = made["folder"] / made["files"]["zh"]["pdf"]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "105.3亿元" in text  # the committed bulletin's figure: the briefing is of the new data
    assert all((made["folder"] / f).stat().st_size > 100_000 for files in made["files"].values() for f in files.values())


def test_two_runs_at_once_send_each_briefing_once(smtp, archived):
    import threading
    inbox, port = smtp
    runs = [threading.Thread(target=archive.mail_pending, args=(settings(port),)) for _ in range(3)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(60)
    assert len(inbox.messages) == 1
