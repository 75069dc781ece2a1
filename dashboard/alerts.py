"""预警 alerts: what changed for the worse, computed from the database by the rules of alerts.toml.

One builder (`all_alerts`) reads the named queries alert_pairs, alert_peer_pairs, alert_targets and
alert_newest, applies the thresholds of dashboard/alerts.toml and writes each alert in words, in the
session's language; it is cached per database version, language and day (the stale-data rule reads
the date). The overview, the 预警 page, its slide, the briefing and the mailed briefing all take
their alerts from here.

An alert names the figures it stands on (their rows of the facts view: period, value, sentence,
document); a number it computes (a fall in percentage points, places moved, months since the
newest figure, the pace a target needs) is written 推算 with its formula in words. Only actuals
(basis actual, sourced) raise an alert: a forecast (预计) or a plan never raises or clears one.
Directions are said by the one rule, dashboard.fmt.comparison (同比下降3.5%, 低于全市1.2个百分点, 后退2位).
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.components import is_missing, measured_name
from dashboard.figures import view
from dashboard.fmt import comparison, period_label, row_text
from dashboard.i18n import colon, lang, pick, t
from queries import run

RULES_FILE = Path(__file__).resolve().with_name("alerts.toml")
CONFIG = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
SEVERITIES: list[str] = CONFIG["severities"]
RULES: list[str] = list(CONFIG["rules"])  # in the file's order: the order of a filter's options
KINDS: list[str] = CONFIG["watch"]["entity_kinds"]


def rule(name: str) -> dict:
    return CONFIG["rules"][name]


def today() -> date:
    """The date the stale-data rule measures from (ETDZ_TODAY=YYYY-MM-DD fixes it for tests and benchmarks)."""
    fixed = os.environ.get("ETDZ_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


@dataclass(frozen=True)
class Alert:
    rule: str
    severity: str
    text: str  # the alert in words, with its figures' periods and values
    period: str  # the period of the figure that raised it, as written
    period_end: date
    newest: bool  # raised by the newest figure of its indicator (the overview shows only these)
    figures: tuple[dict, ...]  # the facts rows it names: label, period, value, quote, document
    derived: str = ""  # a number the alert computes, 推算 with its formula in words
    key: str = field(default="", compare=False)  # stable, for widget keys and tests (never on screen)

    @property
    def rank(self) -> tuple:
        """Sort key: most serious first, then the newest, then the rules' order."""
        return (SEVERITIES.index(self.severity), -self.period_end.toordinal(), RULES.index(self.rule), self.key)


# ---------- words ----------

def _entity(row: dict) -> str:
    return pick(row["entity"], row.get("entity_en"))


def _name(row: dict) -> str:
    """The entity and what is measured: 开发区进出口总额增速."""
    return f"{_entity(row)}{' ' if lang() == 'en' else ''}{measured_name(row)}"


def _value(row: dict) -> str:
    """A figure's value in the words of its direction (同比下降2%, 低于全市1.2个百分点), else as written."""
    compared = comparison(row)
    return compared["text"] if compared else row_text(row)


def _at(row: dict) -> str:
    """A figure with its period: 2025年3月 同比下降2.1%."""
    return f"{period_label(row['period'])} {_value(row)}"


def _decimals(*rows: dict) -> int:
    """The most decimals an input is written with (a difference is as precise as its inputs)."""
    return max((len(str(r.get("value_text") or "").partition(".")[2]) for r in rows), default=0)


def _amount(value: float, like: dict, decimals: int) -> str:
    """A computed amount written as its input is (亿元 in Chinese, bn yuan in English)."""
    text = f"{value:.{decimals}f}"
    return row_text({**like, "value": value, "value_text": text, "qualifier": ""})


def _row(rows: dict[str, dict], fid) -> dict | None:
    return None if is_missing(fid) else rows.get(fid)


# ---------- the rules ----------

# Each condition once, on a pair's values (a number or a column of them: the builder filters with them first)
def _turned(value, prev):
    """Below zero while the previous comparable period was not, or has no figure: 由增转降, 转为低于全市."""
    return (value < 0) & ((prev >= 0) | pd.isna(prev))


def _fell(value, prev):
    """At least fall_pp points below the previous comparable period (NaN: no previous period, no fall)."""
    return prev - value >= rule("growth_fell")["fall_pp"]


def _lost_places(value, prev, change):
    """A written fall of places (下滑31个位次), or, where none is written, a worse rank than before."""
    return (change < 0) | (pd.isna(change) & (value > prev))


def _turned_alert(rule: str, text_key: str, p: dict, cur: dict, prev: dict | None) -> Alert:
    """A growth or a gap to the city that went below zero (or is below zero with nothing before it)."""
    text = t(f"alerts.text.{text_key}_turned" if prev else f"alerts.text.{text_key}_negative",
             name=_name(cur), now=_at(cur), before=_at(prev) if prev else "")
    return _alert(rule, cur, [cur, *([prev] if prev else [])], text, p["newest"])


def _growth(pairs: pd.DataFrame, rows: dict[str, dict]) -> list[Alert]:
    out = []
    for p in pairs.to_dict("records"):
        cur, prev = rows[p["figure_id"]], _row(rows, p["prev_id"])
        if _turned(p["value"], p["prev_value"]):
            out.append(_turned_alert("growth_negative", "growth", p, cur, prev))
        elif _fell(p["value"], p["prev_value"]):
            drop = f"{prev['value'] - cur['value']:.{_decimals(prev, cur)}f}"
            text = t("alerts.text.growth_fell", name=_name(cur), now=_at(cur), before=_at(prev), drop=drop)
            derived = t("alerts.derived.fall", before=f"{period_label(prev['period'])} {row_text(prev)}",
                        now=f"{period_label(cur['period'])} {row_text(cur)}", drop=drop)
            out.append(_alert("growth_fell", cur, [cur, prev], text, p["newest"], derived))
    return out


def _gap(pairs: pd.DataFrame, rows: dict[str, dict]) -> list[Alert]:
    return [_turned_alert("gap_negative", "gap", p, rows[p["figure_id"]], _row(rows, p["prev_id"]))
            for p in pairs.to_dict("records") if _turned(p["value"], p["prev_value"])]


def _ranks(pairs: pd.DataFrame, rows: dict[str, dict]) -> list[Alert]:
    out = []
    for p in pairs.to_dict("records"):
        if not _lost_places(p["value"], p["prev_value"], p["change_value"]):
            continue
        cur, prev, change = rows[p["figure_id"]], _row(rows, p["prev_id"]), _row(rows, p["change_id"])
        if change is not None:  # the document says how many places: 下滑31个位次
            moved, derived = _value(change), ""
        else:  # places moved, 推算 from the two ranks, said in the quote's own word of a fall (fmt.comparison)
            n = cur["value"] - prev["value"]
            moved = comparison({"measure": "rank_change", "value": -n, "value_text": f"{n:g}",
                                "quote": cur.get("quote")})["text"]
            derived = t("alerts.derived.places", now=_at(cur), before=_at(prev), moved=moved)
        text = t("alerts.text.rank_fell", name=_name(cur), now=_at(cur), moved=moved,
                 before=t("alerts.text.rank_before", before=_at(prev)) if prev else "")
        named = [cur, *([prev] if prev else []), *([change] if change else [])]
        out.append(_alert("rank_fell", cur, named, text, p["newest"], derived))
    return out


def _peers(pairs: pd.DataFrame, rows: dict[str, dict]) -> list[Alert]:
    out = []
    for p in pairs.to_dict("records"):
        zone, peer, zone_before, peer_before = (rows[p[k]] for k in ("zone_id", "peer_id", "prev_zone_id", "prev_peer_id"))
        text = t("alerts.text.peer_overtook", peer=_entity(peer), zone=_entity(zone),
                 indicator=pick(zone["indicator_zh"], zone["indicator_en"]), period=period_label(zone["period"]),
                 peer_value=row_text(peer), zone_value=row_text(zone),
                 before=period_label(zone_before["period"]), peer_before=row_text(peer_before),
                 zone_before=row_text(zone_before))
        out.append(_alert("peer_overtook", zone, [zone, peer, zone_before, peer_before], text, p["newest"]))
    return out


def _targets(pairs: pd.DataFrame, rows: dict[str, dict]) -> list[Alert]:
    """A target of the year with a part-year actual: the pace it needs in the remaining months (推算)
    against the pace so far; a growth target against the growth so far."""
    out = []
    spec = rule("target_at_risk")
    for p in pairs.to_dict("records"):
        target, actual = rows[p["target_id"]], rows[p["actual_id"]]
        done, left = int(p["months_done"]), int(p["months_total"]) - int(p["months_done"])
        common = dict(name=_name(target), target=row_text(target), period=period_label(target["period"]),
                      actual=_at(actual))
        if target["measure"] == "growth":
            short = target["value"] - actual["value"]
            if short < spec["growth_short_pp"] or short <= 0:
                continue
            gap = f"{short:.{_decimals(target, actual)}f}"
            text = t("alerts.text.target_growth", **common, gap=gap)
            derived = t("alerts.derived.target_growth", target=row_text(target),
                        actual=row_text(actual), gap=gap)
        else:
            decimals = _decimals(target, actual) + 1
            needed = (target["value"] - actual["value"]) / left
            so_far = actual["value"] / done
            if needed <= so_far * spec["pace_ratio"]:
                continue
            needed_text, so_far_text = _amount(needed, target, decimals), _amount(so_far, actual, decimals)
            text = t("alerts.text.target_pace", **common, needed=needed_text, so_far=so_far_text)
            derived = t("alerts.derived.target_pace", target=row_text(target), actual=_at(actual),
                        left=left, needed=needed_text, done=done, so_far=so_far_text)
        out.append(_alert("target_at_risk", actual, [target, actual], text, p["newest"], derived))
    return out


def _month_words(d: date) -> str:
    return f"{d.year}年{d.month}月" if lang() == "zh" else f"{d:%b %Y}"


def _stale(day: date) -> list[Alert]:
    newest = run("alert_newest", limit=3, kinds=KINDS).to_dict("records")
    if not newest:
        return []
    row = newest[0]
    end = pd.Timestamp(row["period_end"]).date()
    months = (day.year - end.year) * 12 + day.month - end.month
    allowed = rule("stale")["max_months"]
    if months <= allowed:
        return []
    text = t("alerts.text.stale", period=period_label(row["period"]), n=months, allowed=allowed,
             source=pick(row["source_short_zh"], row["source_short_en"]))
    derived = t("alerts.derived.months", today=_month_words(day), end=_month_words(end), n=months)
    return [_alert("stale", row, newest, text, True, derived)]


def _alert(name: str, cur: dict, named: list[dict], text: str, newest: bool, derived: str = "") -> Alert:
    return Alert(rule=name, severity=rule(name)["severity"], text=text, period=cur["period"],
                 period_end=pd.Timestamp(cur["period_end"]).date(), newest=bool(newest), figures=tuple(named),
                 derived=derived, key="|".join([name, *(r["figure_id"] for r in named)]))


# ---------- the builder ----------

ID_COLUMNS = ("figure_id", "prev_id", "change_id", "zone_id", "peer_id", "prev_zone_id", "prev_peer_id",
              "target_id", "actual_id")


def _may_raise(measure: str, df: pd.DataFrame) -> pd.Series:
    """The pairs whose values can raise an alert, by the rules' own conditions: a long history's steady
    periods are never read again."""
    if df.empty or measure not in ("growth", "gap", "rank"):
        return pd.Series(True, index=df.index)
    value, prev = df["value"], df["prev_value"]
    if measure == "growth":
        return _turned(value, prev) | _fell(value, prev)
    if measure == "gap":
        return _turned(value, prev)
    return _lost_places(value, prev, df["change_value"])


@view
def all_alerts(day: str) -> list[Alert]:
    """Every alert the data raises on `day` (ISO date), most serious first, then the newest."""
    compared = run("alert_pairs", measures=["growth", "gap", "rank"], kinds=KINDS)  # one scan for the three
    pairs = {m: compared[compared["measure"] == m] for m in ("growth", "gap", "rank")}
    pairs["peer"] = run("alert_peer_pairs", indicators=rule("peer_overtook")["indicators"], kinds=KINDS)
    pairs["target"] = run("alert_targets", kinds=KINDS)
    pairs = {m: df[_may_raise(m, df)] for m, df in pairs.items()}  # only these pairs' rows are read
    ids = sorted({i for df in pairs.values() for c in ID_COLUMNS if c in df for i in df[c].dropna()})
    rows = {r["figure_id"]: r for r in run("alert_rows", ids=ids, kinds=[*KINDS, "peer_zone"]).to_dict("records")} \
        if ids else {}
    found = (_growth(pairs["growth"], rows) + _gap(pairs["gap"], rows) + _ranks(pairs["rank"], rows)
             + _peers(pairs["peer"], rows) + _targets(pairs["target"], rows) + _stale(date.fromisoformat(day)))
    return sorted(found, key=lambda a: a.rank)


def alerts() -> list[Alert]:
    return all_alerts(today().isoformat())


def chosen(found: list[Alert], rules=(), severities=(), years=(), newest_only: bool = False) -> list[Alert]:
    """The alerts of these rules, severities and years (empty: all), in severity order."""
    return [a for a in found if (not rules or a.rule in rules) and (not severities or a.severity in severities)
            and (not years or a.period_end.year in years) and (a.newest or not newest_only)]


def overview_alerts() -> list[Alert]:
    """The top of the overview: the newest figures' alerts, most serious first, a handful at most
    (stale data is in every page's header already)."""
    return [a for a in alerts() if a.newest and a.rule != "stale"][:CONFIG["overview"]["shown"]]


def stale_alert() -> Alert | None:
    return next((a for a in alerts() if a.rule == "stale"), None)


# ---------- words for every view (screen, slide, paper, mail) ----------

def rule_words(name: str) -> str:
    """A rule in words, with its threshold (alerts.toml)."""
    return t(f"alerts.rule_desc.{name}", **{k: v for k, v in rule(name).items() if not isinstance(v, list)})


def heading(alert: Alert) -> str:
    """【严重 · 增速转负】: severity and rule, before the alert's words."""
    return f"{t(f'alerts.severity.{alert.severity}')} · {t(f'alerts.rule.{alert.rule}')}"


def figure_line(row: dict) -> str:
    """A named figure as an official reads it: label · period · value, its sentence and document."""
    what = f"{_name(row)} · {period_label(row['period'])} · {_value(row)}"
    source = pick(row["source_short_zh"], row["source_short_en"])
    return f"{what}{colon()}{t('alerts.quoted', quote=row['quote'], source=source)}"


def derived_line(alert: Alert) -> str:
    return f"{t('derived')}{colon()}{alert.derived}" if alert.derived else ""


def lines(alert: Alert, with_rule: bool = True) -> list[str]:
    """An alert as plain lines (slide, PDF, mail): heading and words, what it computes, its figures, its rule."""
    return [f"{heading(alert)}{colon()}{alert.text}", *([derived_line(alert)] if alert.derived else []),
            *(f"· {figure_line(r)}" for r in alert.figures),
            *([f"{t('alerts.rule_label')}{colon()}{rule_words(alert.rule)}"] if with_rule else [])]


def count_words(found: list[Alert]) -> str:
    by = {s: sum(a.severity == s for a in found) for s in SEVERITIES}
    return (", " if lang() == "en" else "，").join(f"{t(f'alerts.severity.{s}')} {n}" for s, n in by.items() if n)


# ---------- on screen ----------

SEVERITY_COLORS = {"high": "red", "medium": "orange", "low": "blue"}


def show(alert: Alert, key: str, *, compact: bool = False) -> None:
    """One alert: severity and rule, its words, what it computes (推算), and each figure with its sentence
    and a link to it in its document (数据来源 ?fig=…&read=…). `compact` (the overview): the figures
    folded under the words."""
    import streamlit as st
    from dashboard.text import plain, whole_figures
    with st.container(border=True, key=f"alert_{key}"):
        # a period (1-11月, Jan–Nov 2027) and a figure with its unit never break at a line's end
        st.markdown(f":{SEVERITY_COLORS[alert.severity]}-badge[{t(f'alerts.severity.{alert.severity}')}] "
                    f":gray-badge[{t(f'alerts.rule.{alert.rule}')}] **{whole_figures(plain(alert.text))}**")
        if alert.derived:
            st.caption(whole_figures(plain(derived_line(alert))))
        where = st.expander(t("alerts.figures"), key=f"figures_{key}") if compact else st.container()
        with where:
            for n, row in enumerate(alert.figures):
                left, right = st.columns([6, 1], vertical_alignment="center")
                left.caption(whole_figures(plain(figure_line(row))))
                params = {"fig": row["figure_id"], "read": row["source_id"], **({"lang": "en"} if lang() == "en" else {})}
                right.page_link("pages/sources.py", label=t("alerts.open_source"), icon=":material/menu_book:",
                                query_params=params)
            if not compact:
                st.caption(plain(f"{t('alerts.rule_label')}{colon()}{rule_words(alert.rule)}"))
