"""The one translations table. Chinese first; English behind the sidebar toggle (?lang=en)."""
import streamlit as st

LANGS = ("zh", "en")

TEXT = {
    # app chrome
    "app_title": ("聊城经济技术开发区 · 经济运行看板", "Liaocheng ETDZ · Economic Dashboard"),
    "app_short": ("聊城经开区看板", "Liaocheng ETDZ"),
    "language": ("语言", "Language"),
    "present_mode": ("演示模式", "Presenter mode"),
    "data_as_of": ("数据截至", "Data as of"),
    "nav_overview": ("总览", "Overview"),
    "nav_economy": ("经济运行", "Economy"),
    "nav_clusters": ("产业集群", "Industry clusters"),
    "nav_projects": ("项目建设", "Projects"),
    "nav_trade": ("开放型经济", "Trade & investment"),
    "nav_party": ("党建与服务", "Party-building & services"),
    "nav_benchmarks": ("对标排名", "Benchmarks & rankings"),
    "nav_targets": ("目标任务", "Targets"),
    "nav_sources": ("数据来源", "Sources"),
    # provenance and data
    "source": ("来源", "Source"),
    "sources_n": ("来源：{n} 个数据", "Source: {n} figures"),
    "quote": ("原文", "Original text (Chinese)"),
    "period": ("期间", "Period"),
    "derived": ("推算", "Derived"),
    "derived_note": ("推算值，公式：{formula}", "Derived figure, formula: {formula}"),
    "data_and_source": ("数据与来源", "Data & sources"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "empty": ("没有符合条件的数据。", "No data matches these filters."),
    "bad_param": ("链接参数 {name}={value} 无效，已使用默认值。", "URL parameter {name}={value} is not valid; the default is used."),
    "vs_city": ("高于全市", "above city"),
    "yoy": ("同比", "year on year"),
    "city_rank": ("全市第{rank}", "#{rank} in city"),
    "rank_of": ("第{rank}/{total}", "#{rank} of {total}"),
    "up_places": ("提升{n}位", "up {n}"),
    "down_places": ("下滑{n}位", "down {n}"),
    # overview
    "overview_subtitle": ("全区主要经济指标、排名及其出处。点击 ⓘ 查看原文。",
                          "Headline indicators and rankings of the zone, each with its source. Hover ⓘ for the original sentence."),
    "annual_plan": ("年度计划投资", "Annual investment plan"),
    "ranks_title": ("综合排名", "Rankings"),
    "rank_prefix": ("第", "#"),
    "percentile_note": ("位次百分位 {p}%（推算：名次÷总数）", "Percentile {p}% (derived: rank ÷ total)"),
    "growth_vs_city_title": ("开发区与全市增速对比（%）", "Growth: zone vs city (%)"),
    # column headers of downloadable tables
    "col_indicator": ("指标", "Indicator"),
    "col_entity": ("主体", "Entity"),
    "col_value": ("数值", "Value"),
    "col_unit": ("单位", "Unit"),
    "col_qualifier": ("限定词", "Qualifier"),
    "col_period": ("期间", "Period"),
    "col_measure": ("类型", "Kind"),
    "col_topic": ("主题", "Topic"),
    "col_source": ("来源文件", "Document"),
    "col_quote": ("原文", "Quote"),
    "col_formula": ("公式", "Formula"),
    "col_figure_id": ("编号", "ID"),
}

TOPICS = {
    "economy": ("经济运行", "Economy"),
    "clusters": ("产业集群", "Industry clusters"),
    "projects": ("项目建设", "Projects"),
    "trade": ("开放型经济", "Trade & investment"),
    "party_services": ("党建与服务", "Party-building & services"),
    "benchmarks": ("对标排名", "Benchmarks & rankings"),
    "targets": ("目标任务", "Targets"),
    "history": ("发展历程", "History"),
}

MEASURES = {
    "level": ("总量", "Level"), "growth": ("增速", "Growth"), "share": ("占比", "Share"),
    "gap": ("高于全市", "Gap to city"), "rank": ("排名", "Rank"), "rank_change": ("位次变化", "Rank change"),
    "grade": ("等次", "Grade"), "count": ("数量", "Count"), "multiple": ("倍数", "Multiple"),
    "ratio": ("比值", "Ratio"), "year": ("年份", "Year"),
}

QUALIFIERS_EN = {"以上": "at least", "余": "more than", "超": "over", "接近": "close to",
                 "近": "nearly", "约": "about", "预计": "forecast", "不足": "under",
                 "突破": "over", "不低于": "at least"}

# English shows amounts in international units: (multiplier, unit).
UNITS_EN = {
    "亿元": (0.1, "bn yuan"), "万元": (10_000, "yuan"), "元": (1, "yuan"),
    "亿美元": (100, "m USD"), "万美元": (0.01, "m USD"), "万元/亩": (10_000, "yuan/mu"),
    "万吨": (0.01, "m t"), "万人": (10_000, "people"), "万件": (10_000, "items"),
    "%": (1, "%"), "个百分点": (1, "pp"), "分数": (100, "%"),
}


def lang() -> str:
    return st.session_state.get("lang", "zh") if st.session_state.get("lang") in LANGS else "zh"


def t(key: str, **fields) -> str:
    zh, en = TEXT[key]
    text = en if lang() == "en" else zh
    return text.format(**fields) if fields else text


def pick(zh: str | None, en: str | None) -> str:
    """The text of a pair in the current language (English falls back to Chinese)."""
    return (en or zh or "") if lang() == "en" else (zh or "")


def topic_label(code: str) -> str:
    return pick(*TOPICS.get(code, (code, code)))


def measure_label(code: str) -> str:
    return pick(*MEASURES.get(code, (code, code)))
