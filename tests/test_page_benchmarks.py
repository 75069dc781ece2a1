"""对标排名: ranks 2020→2021 with changes and percentiles, output per mu, peer zones, policies."""
import pytest

from apptest_helpers import chart_specs, metric_values, open_page, seen


@pytest.fixture(scope="module")
def at():
    return open_page("benchmarks")


def test_ranks_with_totals_and_changes(at):
    values = metric_values(at)
    deltas = {seen(m.label): m.delta for m in at.metric}
    assert values["国家级经开区综合排名"] == "第116/217"
    assert deltas["国家级经开区综合排名"] == "+76"
    assert values["省级开发区排名"] == "第143/160"
    assert deltas["省级开发区排名"] == "-31"
    assert values["市对区综合考核名次"] == "第5"
    assert deltas["市对区综合考核名次"] == "+6"


def test_slopes_label_points_and_mark_the_derived_city_rank(at):
    specs = chart_specs(at)
    assert len(specs) == 4  # a slope under each ranking's card (the very charts of its slides), the tax-per-mu bars
    national, provincial, city = (spec["data"][0] for spec in specs[:3])
    assert national["text"] == ["第192/215", "第116/217"] and provincial["text"] == ["第112/160", "第143/160"]
    for slope in specs[:3]:  # each its own scale, best on top
        assert slope["layout"]["yaxis"]["range"][0] > slope["layout"]["yaxis"]["range"][1] == 0
    assert specs[2]["layout"]["yaxis"]["range"][0] < 20 < specs[0]["layout"]["yaxis"]["range"][0]
    assert city["text"] == ["第11（推算）", "第5"]
    assert city["marker"]["symbol"] == ["circle-open", "circle"]
    notes = " ".join(m.value for m in [*at.markdown, *at.caption])
    assert "全市倒数第1" in notes and "2020年 四等 → 2021年 二等" in notes
    # 第143/160 is 倒数第18, the bottom 约11.3% (not 10.6%, nor a "percentile 89.4%" that reads as top-tier)
    assert "2020年 位于后约30.6%、倒数第49 → 2021年 位于后约11.3%、倒数第18" in notes
    assert "10.6" not in notes and "前89.4%" not in notes and "百分位" not in notes


def test_rank_position_is_one_formula_from_either_end():
    """The first r of N, or the last N − r + 1 (the zone itself counted either way), as a % of N; 约 where rounded."""
    from queries import run
    rows = run("rankings", entity="开发区").dropna(subset="position_side").to_dict("records")
    assert len(rows) >= 4
    for r in rows:
        count = r["rank"] if r["position_side"] == "top" else r["rank_total"] - r["rank"] + 1
        assert r["position_count"] == count <= (r["rank_total"] + 1) / 2 + 0.5
        assert abs(r["position_pct"] - 100 * count / r["rank_total"]) <= 0.05 + 1e-9  # one decimal


def test_per_mu_keeps_the_ratio_and_invents_no_zoucheng_investment(at):
    tax = chart_specs(at)[3]
    assert list(tax["data"][0]["text"]) == ["3.58万元/亩", "约18万元/亩"]  # 3.58 ÷ 五分之一: no more precise than its inputs
    assert metric_values(at)["亩均投资强度"] == "16.91万元/亩"
    text = " ".join(m.value for m in [*at.markdown, *at.caption])
    assert "不足三分之一" in text
    assert "50.73" not in text and "5.07" not in text  # 16.91 × 3 would be an invented figure


def test_peer_table_and_policies(at):
    # a zone a row (the zone first, then the largest), an indicator and measure a column
    table = next(m.value for m in at.markdown if m.value.startswith("| 主体 |")).splitlines()
    assert [row.split(" | ")[0] for row in table[2:]] == ["| 开发区", "| 烟台经开区12个省级及以上园区", "| 邹平开发区"]
    assert table[0].startswith("| 主体 | 实际利用外资 · 总量 | 实际利用外资 · 增速 |")
    assert "烟台经开区12个省级及以上园区：多个园区的合计，不是一个园区，不宜与本区直接比较。" in [c.value for c in at.caption]
    assert table[2].startswith("| 开发区 | 5385.74万美元 | 977.2% |")
    assert table[4].startswith("| 邹平开发区 | 2.08亿美元 | 30% |")
    assert len(table) == 2 + 3 and table[0].count("|") == 9  # header, rule, three zones; 7 columns
    # the period comes from the data (the newest the zone shares with a peer), in a drop-down
    assert at.selectbox(key="peer_period.zh").value == "2021年"
    assert "2021年实际利用外资：开发区在2个园区中居第2位（推算：按原文数值排序，园区合计不参与排序）" in [c.value for c in at.caption]
    names = " ".join(m.value for m in at.markdown)
    assert "临沂市·托管合并体制" in names and "济南市·经开区高质量发展行动方案" in names


def test_english_toggle_switches_labels():
    at = open_page("benchmarks", lang="en")
    values = metric_values(at)
    assert values["National ETDZ ranking"] == "#116 of 217"
    assert at.subheader[0].value == "Rankings 2020→2021"
    captions = [c.value for c in at.caption]
    assert "Source: 2022 speech deck · 2021" in captions  # English punctuation, not “来源：”
    assert not [c for c in captions if "：" in c or "来源" in c]
