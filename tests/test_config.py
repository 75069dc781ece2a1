"""The intranet settings in .streamlit/config.toml, as Streamlit itself reads them."""
from pathlib import Path

from streamlit import config

ROOT = Path(__file__).resolve().parent.parent


def test_no_telemetry_loopback_and_no_external_links(monkeypatch):
    monkeypatch.chdir(ROOT)  # Streamlit reads .streamlit/config.toml from the working directory
    config.get_config_options(force_reparse=True)
    try:
        assert config.get_option("browser.gatherUsageStats") is False
        assert config.get_option("server.address") == "127.0.0.1"
        assert config.get_option("client.showErrorLinks") is False  # no “Ask Google / ChatGPT” in an error box
        assert config.get_option("client.toolbarMode") == "minimal"  # no ⋮ menu of Streamlit's own English
        assert config.get_option("client.showErrorDetails") == config.ShowErrorDetailsConfigOptions.NONE
    finally:
        config.get_config_options(force_reparse=True)


def test_translation_keys_are_unique_and_complete():
    # translations.csv merges as a union of rows (.gitattributes): a key edited on two branches
    # comes back twice, and the dict would silently keep one of them.
    import csv
    from collections import Counter

    with (Path(__file__).resolve().parent.parent / "dashboard" / "translations.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    twice = [k for k, n in Counter(r["key"] for r in rows).items() if n > 1]
    assert twice == []
    assert [r["key"] for r in rows if not r["zh"] or not r["en"]] == []


def test_a_figure_in_quotation_marks_is_the_documents_own_words():
    """“每年招引协调1个总投资不低于10亿元项目” stood in quotation marks and is in no document: a quoted
    phrase that holds a figure is verbatim from a source document, or it is written without marks."""
    import csv
    import re

    documents = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "data" / "sources").glob("*.txt"))
    with (ROOT / "dashboard" / "translations.csv").open(encoding="utf-8") as f:
        quoted = [(r["key"], q) for r in csv.DictReader(f) for q in re.findall(r"“([^”{}]*\d[^”{}]*)”", r["zh"])]
    assert quoted, "the check found no quoted figure at all"
    assert [(key, q) for key, q in quoted if q not in documents] == []
