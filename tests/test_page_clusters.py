"""产业集群: the four clusters, leading industries and firms, the steel-pipe cluster, building economy."""
import pytest
from apptest_helpers import chart_specs, metric_values, open_page


@pytest.fixture(scope="module")
def page():
    """The page as it opens, shared by the tests that only read it."""
    return open_page("clusters")


def test_clusters_show_figures_as_written(page):
    at = page
    values = metric_values(at)
    assert values["钢管生产加工企业数"] == "510家"
    assert values["钢管贸易企业数"] == "4600余家"
    assert values["占全国钢管交易量"] == "四分之一"
    assert values["高端合金管材占比"] == "接近30%"
    assert values["产品利润率提高"] == "5倍以上"
    assert values["楼宇企业数"] == "8000余家"
    assert values["楼宇企业年营收"] == "超180亿元"
    assert values["3大主导产业产值增速"] == "11.1%"
    markdown = " ".join(m.value for m in at.markdown)
    for name in ["新能源及高端装备", "生物食品医药", "金属精深加工", "现代服务业", "星光创业大厦"]:
        assert name in markdown


def test_share_and_leading_firms_charts(page):
    share, firms = chart_specs(page)
    assert list(share["data"][-1]["x"]) == [84.6]
    bars = firms["data"][0]
    assert list(bars["y"]) == ["中通客车", "海鑫达", "中正", "乖宝"]  # largest first
    assert list(bars["text"]) == ["65.9%", "27.2%", "14.8%", "13.5%"]


def test_english_toggle_switches_labels():
    at = open_page("clusters", lang="en")
    assert at.title[0].value == "Industry clusters"
    assert metric_values(at)["Steel-pipe producers"] == "510 firms"
