"""数据来源: every figure searchable and filterable with its quote, a page at a time; a figure's
document opened at its sentence, highlighted; named things, enterprises; downloads."""
import io
import json
import re

import duckdb
import pandas as pd
import pytest

from apptest_helpers import open_page
from etl import vocab
from queries import db_path
from history_helpers import small_history  # noqa: F401  (a fixture)
from sources_helpers import synthetic_data

PAGE_SIZE = 25


def shown(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith(("显示", "Showing")))


def figures(at):
    return at.dataframe[0].value


def document(at) -> str:
    """The open document's HTML (the st.html inside the document box)."""
    return next(h.proto.body for h in at.get("html") if "etdz-doc" in h.proto.body)


def marked(at) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<mark>(.*?)</mark>", document(at), re.S)]


def facts(sql: str = "SELECT * FROM facts", **params) -> pd.DataFrame:
    with duckdb.connect(str(db_path()), read_only=True) as con:
        catalog = con.execute("SELECT database_name FROM duckdb_databases() WHERE NOT internal").fetchone()[0]
        con.execute(f"USE {catalog}")
        return con.execute(sql, params).df()


@pytest.fixture(scope="module")
def at():
    return open_page("sources")


def test_first_page_of_every_figure_with_its_provenance(at):
    assert shown(at) == "显示 182 / 182 个数据"
    table = figures(at)
    assert len(table) == PAGE_SIZE  # a page, not every row
    assert "第 1 / 8 页，每页 25 个" in [c.value for c in at.caption]
    first = table.iloc[0]
    assert first["性质"] == "原文" and first["数据位置"].startswith("figures/speech_deck_2022.csv:")
    assert not {"编号", "value"} & set(table.columns)  # no internal id, no raw header on screen


def test_last_page_holds_the_rest_and_the_derived_figures(at):
    at.get("pagination")[0].set_value(8).run()
    table = figures(at)
    assert len(table) == 182 - 7 * PAGE_SIZE and (table["性质"] == "推算").all()
    assert table["公式"].str.len().gt(0).all()
    assert (table["原文数字"].fillna("") == "").all()  # computed, so nothing "as written" (issue 20)
    assert "第 8 / 8 页，每页 25 个" in [c.value for c in at.caption]


def test_a_filter_starts_again_at_its_first_page(at):
    at.get("pagination")[0].set_value(3).run()
    at.multiselect(key="topic.zh").set_value(["trade"]).run()
    assert shown(at) == "显示 25 / 182 个数据"
    assert len(figures(at)) == 25 and not at.get("pagination")  # one page: no page control
    at.multiselect(key="topic.zh").set_value([]).run()
    assert shown(at) == "显示 182 / 182 个数据"


def test_several_words_must_all_match():
    at = open_page("sources", q="进出口 2021")
    both = facts("""SELECT figure_id FROM facts WHERE list_bool_and([contains(lower(concat_ws(' ', quote,
        indicator_zh, indicator_en, entity, entity_en, period, value_text, label_zh, label_en, formula,
        figure_id)), w) for w in ['进出口', '2021']])""")
    trade = open_page("sources", q="进出口")
    assert shown(at) == f"显示 {len(both)} / 182 个数据" and 0 < len(both) < 25
    assert shown(trade) != shown(at)  # the second word narrows
    for _, row in figures(at).iterrows():
        text = " ".join(str(v) for v in row.to_numpy())
        assert "2021" in text and ("进出口" in text or "trade" in text.lower()), row.to_dict()
    # commas and ideographic spaces separate words too; case does not matter
    assert shown(open_page("sources", q="进出口，2021")) == shown(at)
    assert shown(open_page("sources", q="GDP　2024", lang="en")) == shown(open_page("sources", q="gdp 2024", lang="en"))


def test_url_restores_filters_and_search():
    at = open_page("sources", topic="trade")
    assert at.multiselect(key="topic.zh").value == ["trade"]
    assert shown(at) == "显示 25 / 182 个数据"
    at = open_page("sources", q="5385.74")
    assert len(figures(at)) == 2 and set(figures(at)["数值"]) == {"5385.74万美元", "977.2%"}
    at = open_page("sources", period="2021", entity="开发区")
    assert at.multiselect(key="period.zh").value == ["2021年"]
    assert (figures(at)["期间"] == "2021年").all() and (figures(at)["主体"] == "开发区").all()


def test_bad_url_parameter_falls_back_with_nothing_on_screen():
    at = open_page("sources", topic="nope", fig="no_such_figure")
    assert not at.warning and "topic" not in at.query_params and "fig" not in at.query_params
    assert shown(at) == "显示 182 / 182 个数据"


def test_no_match_says_so():
    at = open_page("sources", q="没有这个词")
    assert shown(at) == "显示 0 / 182 个数据"
    assert any("没有符合条件的数据" in i.value for i in at.info)


def test_english_toggle_switches_labels():
    at = open_page("sources", lang="en", q="year founded")
    assert shown(at).startswith("Showing ") and "Indicator" in figures(at).columns
    at = open_page("sources", lang="en", topic="history")
    values = dict(zip(figures(at)["Indicator"], figures(at)["Value"]))
    assert values["Year founded"] == "1992"  # a calendar year, not "1,992 years"
    assert values["Years of development"] == "27 years"


# ---------- the document of a figure ----------

def test_a_figure_opens_its_document_at_its_sentence():
    at = open_page("sources", fig="sd22_fdi_2021")
    assert at.selectbox(key="read.zh").value == "speech_deck_2022"
    assert at.query_params["fig"] == "sd22_fdi_2021"
    assert marked(at) == ["聊城开发区2021年进出口总额实现69.85亿元，同比增长60.52%，实际利用外资5385.74万美元，增长977.2%"]
    assert at.subheader[0].value == "聊城经济技术开发区学习考察交流专题会上的发言"
    meta = [c.value for c in at.caption]
    assert "交流发言 · 2022年 · 原文数据 93 个" in meta and not any("幻灯片" in c for c in meta)  # no internal note
    assert "标出的原句：实际利用外资 5385.74万美元（2021年）" in meta


def test_document_reads_as_text_not_markdown():
    at = open_page("sources", read="speech_deck_2022")
    body = document(at)
    assert "<h3>聊城经济技术开发区</h3>" in body and "<h4>开发区发展历程</h4>" in body
    text = re.sub(r"<[^>]+>", "", body)
    assert not re.search(r"^\s*#", text, re.M)  # no "#" shown as a character
    assert "\n\n" not in body  # no runs of blank lines
    assert "16.91万元，不足邹城经开区的三分之一" in text  # a slide's broken line joined
    assert "<mark>" not in body  # no figure open: nothing highlighted


def test_the_sentence_is_found_across_line_breaks():
    """sd22_investment_per_mu_2021's quote is written over two lines of the slide text."""
    at = open_page("sources", fig="sd22_investment_per_mu_2021")
    assert "".join(marked(at)) == "2021年全区亩均投资强度16.91万元"
    assert not at.info  # found: no "could not be located"


def test_a_derived_figure_marks_its_inputs_sentences():
    derived = facts("SELECT figure_id, formula FROM facts WHERE is_derived AND formula LIKE '%sd22_fdi_2021%'")
    at = open_page("sources", fig=derived["figure_id"].iloc[0])
    assert any("实际利用外资5385.74万美元" in m for m in marked(at))
    assert any(c.value.startswith("推算值没有原句") for c in at.caption)


def test_picking_another_document_drops_the_figure():
    at = open_page("sources", fig="sd22_fdi_2021")
    at.selectbox(key="read.zh").set_value("work_report_2024").run()
    assert at.query_params["read"] == "work_report_2024" and "fig" not in at.query_params
    assert "<mark>" not in document(at)


def test_back_to_the_figures_closes_the_document():
    at = open_page("sources", fig="sd22_fdi_2021", topic="trade")
    at.button(key="sources_back").click().run()
    assert "fig" not in at.query_params and "read" not in at.query_params
    assert at.query_params["topic"] == "trade" and shown(at) == "显示 25 / 182 个数据"


def test_back_from_the_documents_tab_leaves_no_tab_in_the_link():
    at = open_page("sources", tab="documents", read="work_report_2024")
    at.button(key="sources_back").click().run()
    assert "tab" not in at.query_params and "read" not in at.query_params
    again = open_page("sources", **dict(at.query_params))  # the copied address, in a fresh browser
    assert again.dataframe and shown(again) == shown(at)


def test_only_the_open_tab_runs():
    at = open_page("sources")
    assert not [h for h in at.get("html") if "etdz-doc" in h.proto.body]  # no document text sent
    assert len(at.dataframe) == 1  # neither named things nor enterprises


def test_named_things_and_enterprises_run_when_their_tab_is_opened():
    at = open_page("sources")
    at.session_state["tab.zh"] = "名称与机制"
    at.run()
    assert len(at.dataframe) == 1 and len(figures(at)) == 104 and "名称" in figures(at).columns
    at.session_state["tab.zh"] = "企业名单"
    at.run()
    assert len(at.dataframe) == 1 and len(figures(at)) == 9 and "企业名称" in figures(at).columns


# ---------- every kind of source the import offers (synthetic 合成 data) ----------

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    data, db = synthetic_data(tmp_path_factory.mktemp("synthetic_sources"), figures_per_kind=2)
    mp.setenv("ETDZ_DATA", str(data))
    mp.setenv("ETDZ_DB", str(db))
    yield data
    mp.undo()


@pytest.mark.parametrize("kind", vocab.SOURCE_KINDS)
def test_every_source_kind_opens(synthetic, kind):
    label = {"report": "工作纪实", "speech": "交流发言", "press": "新闻纪实", "bulletin": "简报",
             "table": "统计报表", "other": "其他"}[kind]
    at = open_page("sources", read=f"synth_{kind}")
    assert f"{label} · 2031年 · 原文数据 2 个" in [c.value for c in at.caption]
    assert "<h3>合成" in document(at) and "<h4>一、进出口</h4>" in document(at)
    first = facts("SELECT figure_id, quote FROM facts WHERE source_id = $s ORDER BY data_line LIMIT 1", s=f"synth_{kind}")
    at = open_page("sources", fig=first["figure_id"].iloc[0])
    # the quote is written across a line break and with ** marks in the text: still found and marked
    assert "".join(marked(at)) == first["quote"].iloc[0]
    en = open_page("sources", read=f"synth_{kind}", lang="en")
    assert not en.exception and en.subheader[0].value == f"Synthetic {kind} (test)"


def test_synthetic_figures_page_and_search(synthetic):
    at = open_page("sources", q="2031年3月 进出口")
    assert shown(at) == f"显示 1 / {182 + 2 * len(vocab.SOURCE_KINDS)} 个数据"
    assert figures(at)["期间"].tolist() == ["2031年3月"]


# ---------- downloads (the shared components.download_buttons) ----------

def test_downloads_translate_headers_and_leave_missing_cells_blank():
    from dashboard.components import provenance_table, to_csv_bytes
    rows = facts("SELECT * FROM facts WHERE figure_id IN ('sd22_fdi_2021', 'drv_fdi_2020_implied') ORDER BY figure_id")
    table = provenance_table(rows).assign(source_id=rows["source_id"], note=rows["note"], 备注二=["—", None])
    out = pd.read_csv(io.BytesIO(to_csv_bytes(table)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert "value" not in out.columns and "source_id" not in out.columns
    assert {"数值（纯数字）", "来源文件编号", "备注"} <= set(out.columns)
    assert out["备注二"].tolist() == ["", ""]  # "—" on screen and a missing cell: both blank
    assert "—" not in out.to_numpy().ravel().tolist()


# ---------- the synthetic history (bench/synth_history.py, small: ≈1,000 rows) ----------

@pytest.fixture
def history(small_history, monkeypatch):
    data, db = small_history
    monkeypatch.setenv("ETDZ_DATA", str(data))
    monkeypatch.setenv("ETDZ_DB", str(db))
    return db


def test_a_history_is_paged_with_a_small_page_control(history):
    n = len(facts("SELECT figure_id FROM facts"))
    pages = -(-n // PAGE_SIZE)
    at = open_page("sources")
    assert n > 900 and shown(at) == f"显示 {n} / {n} 个数据" and len(figures(at)) == PAGE_SIZE
    control = at.get("pagination")[0]
    assert control.num_pages == pages and control.proto.max_visible_pages <= 7  # a few buttons, however many pages
    control.set_value(pages).run()
    assert len(figures(at)) == n - (pages - 1) * PAGE_SIZE
    # several words narrow the history down: a month's trade of the zone
    words = facts("""SELECT figure_id FROM facts WHERE list_bool_and([contains(lower(concat_ws(' ', quote,
        indicator_zh, indicator_en, entity, entity_en, period, value_text, label_zh, label_en, formula,
        figure_id)), w) for w in ['进出口', '开发区', '2026年3月']])""")
    at = open_page("sources", q="进出口 开发区 2026年3月")
    assert 0 < len(words) <= PAGE_SIZE and shown(at) == f"显示 {len(words)} / {n} 个数据"
    assert set(figures(at)["期间"]) == {"2026年3月"}


def test_each_text_column_is_as_wide_as_its_longest_cell_on_the_page():
    """The grid sizes a column from its first rows: a later 期间未注明（2022年文件） was cut to 期间未注."""
    from dashboard.charts import text_px
    from dashboard.components import GRID_FONT_PX, GRID_PADDING_PX
    at = open_page("sources")
    grid = at.dataframe[0]
    widths = {name: c.get("width") for name, c in json.loads(grid.proto.columns).items() if name != "_index"}
    table = grid.value
    longest = max(table["期间"], key=lambda v: text_px(v, GRID_FONT_PX))
    assert longest == "期间未注明（2022年文件）"
    assert widths["期间"] >= text_px(longest, GRID_FONT_PX) + GRID_PADDING_PX - 1
    assert widths["原文"] == "large"  # the quote keeps its wide column; its row opens the document
    assert all(w <= 320 for name, w in widths.items() if name != "原文") and len(widths) == len(table.columns)


@pytest.mark.parametrize("tab, column", [("entities", "英文名称"), ("enterprises", "企业名称")])
def test_a_tab_is_in_the_link_and_reopens_in_either_language(tab, column):
    """The 数据来源 tabs were not in the address: ?tab=entities opens that tab, in Chinese and in English."""
    at = open_page("sources", tab=tab)
    assert at.query_params["tab"] == tab
    assert any(column in df.value.columns for df in at.dataframe), [list(df.value.columns) for df in at.dataframe]
    english = open_page("sources", tab=tab, lang="en")
    assert dict(english.query_params) == {"tab": tab, "lang": "en"}
    assert len(english.dataframe) == len(at.dataframe)
    first = open_page("sources", tab="nonsense")  # a crafted value: the first tab, and the link cleaned
    assert "tab" not in first.query_params
