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
        assert config.get_option("client.toolbarMode") == "viewer"
        assert config.get_option("client.showErrorDetails") == config.ShowErrorDetailsConfigOptions.NONE
    finally:
        config.get_config_options(force_reparse=True)
