"""A shared link with filters reopens the same view, and its CSV download holds exactly those rows."""
import csv
import io

import duckdb
import pytest

from browser_helpers import visit, widget
from queries import db_path

pytestmark = pytest.mark.e2e


def db_column(sql: str, **params) -> list:
    with duckdb.connect(str(db_path()), read_only=True) as con:
        return [row[0] for row in con.execute(sql, params).fetchall()]


def download_csv(page, key: str) -> list[dict]:
    """Click the download button with this key (components.download_buttons) and read the file."""
    with page.expect_download() as info:
        page.locator(f".st-key-{key} button").click()
    with open(info.value.path(), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(io.StringIO(f.read())))


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


def test_projects_link_reopens_status_filter(page, server, screenshots):
    status = "已竣工投产"  # industries are 未注明 throughout: no document states one
    visit(page, f"{server.url}/projects?status=done")  # the link holds the code, the screen the words
    page.screenshot(path=screenshots / "link_projects_status.png")
    assert status in page.locator(widget("status")).inner_text()
    rows = download_csv(page, "csv_projects")
    expected = db_column("SELECT project FROM projects_overview WHERE status = $s", s=status)
    assert expected and sorted(r["项目"] for r in rows) == sorted(expected)
    assert {r["状态"] for r in rows} == {status}


def test_sources_link_reopens_topic_filter(page, server, screenshots):
    visit(page, f"{server.url}/sources?topic=trade&lang=en")
    page.screenshot(path=screenshots / "link_sources_topic_en.png")
    assert "Trade" in page.locator(widget("topic")).inner_text()
    rows = download_csv(page, "csv_figures")
    expected = db_column("SELECT figure_id FROM facts WHERE topic = 'trade'")
    assert len(rows) == len(expected) and {r["Topic (code)"] for r in rows} == {"trade"}
