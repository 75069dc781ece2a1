"""Issue 15 on the screens: every source kind is named, imported text reaches the page as text
(never Markdown), and a start after a failed rebuild serves the last good database."""
import csv

import pytest

from apptest_helpers import open_page, seen
from dashboard.i18n import TEXT
from etl import imports, inputs, vocab
from etl.build import build
from import_helpers import sha, upload, bulletin_source, workspace
from markdown_data import IMG, markdown_workspace


@pytest.fixture
def env_ws(tmp_path_factory, tmp_path, monkeypatch):
    def use(data, db):
        monkeypatch.setenv("ETDZ_DATA", str(data))
        monkeypatch.setenv("ETDZ_DB", str(db))
        return data, db
    return lambda make=workspace: use(*make(tmp_path_factory, tmp_path))


def set_kinds(data, db, kinds):
    path = data / "sources.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row, kind in zip(rows, kinds):
        row["kind"] = kind
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    build(data, db)


def doc_captions(at) -> list[str]:
    return [c.value for c in at.caption if " · 原文数据 " in c.value]


def test_every_kind_the_form_offers_is_translated():
    for kind in vocab.SOURCE_KINDS:
        zh, en = TEXT[f"sources.kind.{kind}"]
        assert zh and en


@pytest.mark.parametrize("kinds, shown", [
    (("bulletin", "table"), ("简报", "统计报表")),
    (("other", "report"), ("其他", "工作纪实")),
    (("speech", "mystery<b>"), ("交流发言", "mystery\\<b\\>")),  # unknown: shown as stored, as text
])
def test_the_sources_page_names_every_kind(env_ws, kinds, shown):
    data, db = env_ws()
    set_kinds(data, db, kinds)
    with (data / "sources.csv").open(encoding="utf-8", newline="") as f:
        ids = [row["source_id"] for row in csv.DictReader(f)]
    # the documents tab shows one document at a time (?read=<source id>)
    captions = [c for source_id in ids for c in doc_captions(open_page("sources", read=source_id))]
    assert sorted(c.split(" · ")[0] for c in captions) == sorted(shown), captions


def escaped(text: str) -> bool:
    return IMG not in text


def markdown_texts(at) -> list[str]:
    """Everything of the page Streamlit renders as Markdown: bodies, captions, metric labels, help."""
    out = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader"):
        out += [e.value for e in getattr(at, kind)]
    out += [seen(m.label) for m in at.metric] + [m.proto.help for m in at.metric]
    return out


@pytest.mark.parametrize("page", ["sources", "trade", "overview"])
def test_imported_text_is_shown_as_text_not_markdown(env_ws, page):
    env_ws(markdown_workspace)
    # on sources, the imported document opened at its figure (its title, kind and the figure's label)
    at = open_page(page, **({"fig": "tb24_trade_2024"} if page == "sources" else {}))
    texts = markdown_texts(at)
    mentions = [t for t in texts if "203" in t]
    assert mentions, f"the imported figure or source is not on {page}"
    assert all(escaped(t) for t in texts), [t for t in texts if not escaped(t)]
    assert any("\\!\\[x\\](http\u2060://203.0.113.9/x.png)" in t for t in mentions)


def test_an_app_start_after_a_failed_rebuild_serves_the_last_good_database(env_ws):
    data, db = env_ws()
    result = imports.check(upload(), bulletin_source(), data, db)
    meta = imports.save_batch(upload(), bulletin_source(), "analyst", result, data)  # died before rebuilding
    figures = data / "imports" / meta["batch"] / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace("trade,,\n", "trade,２１７,\n", 1), encoding="utf-8")
    before = sha(db)
    at = open_page("overview")  # app.py's catch-up runs first
    assert not at.exception and sha(db) == before and not inputs.batch_dirs(data)
    assert at.title and not any("Traceback" in t for t in markdown_texts(at))
    # the admin is told what happened
    from streamlit.testing.v1 import AppTest
    from apptest_helpers import ROOT
    from etl import admin
    admin_at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    admin_at.secrets["admin"] = {"users": {"analyst": admin.hash_password("x" * 10)}}
    admin_at.session_state["admin_user"] = "analyst"
    admin_at.run()
    warnings = [w.value for w in admin_at.warning]
    assert any(w.startswith("启动时发现一次未完成的提交或撤销，重建失败，已撤回，看板使用上一版数据") and meta["batch"] in w
               for w in warnings), warnings
