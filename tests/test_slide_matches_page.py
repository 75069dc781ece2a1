"""Every slide and briefing page says what its screen says (issue 20): for each of the deck's slides, in
both languages, the words of each figure on the slide (label with its measure and basis, value, the
delta and what it compares with, the lines under it, period, marks such as 预计 / 推算 / 推断) and the
warnings beside each chart equal those of the same figure on its page, on the projector (AppTest) and
in the exported PPTX (python-pptx) and PDF (pdftotext)."""
import functools
import io
import re
import subprocess

import pytest
from apptest_helpers import cards, chart_specs, open_page, seen
from pptx import Presentation

from dashboard import briefing, slides
from dashboard.i18n import _LANG_OUTSIDE_SESSION

LANGS = ["zh", "en"]
PAGE_FILE = {"party": "party_services"}  # a slide's page key → its file under pages/
NUMBERS = range(1, len(slides.CATALOG) + 1)


def demarked(text: str) -> str:
    """Markdown as read: no bold marks, no escaping backslashes."""
    return re.sub(r"\\(.)", r"\1", seen(text)).replace("**", "")


@functools.cache
def page(name: str, lang: str):
    return open_page(PAGE_FILE.get(name, name), lang=lang)


@functools.cache
def slide(number: int, lang: str):
    return open_page("overview", present="1", slide=str(number), lang=lang)


def words(card: dict) -> dict:
    """A card's figure in words: label, value, delta, what the delta compares with, the lines under it."""
    m = card["metric"]
    lines = [line.strip() for text in card["lines"] for line in demarked(text).split("\n") if line.strip()]
    return {"label": seen(m.label), "value": seen(m.value), "delta": seen(m.proto.delta),
            "delta_note": m.proto.delta_description, "lines": lines}


def page_cards(at) -> dict[str, dict]:
    return {w["label"]: w for w in map(words, cards(at))}


def source_and_period(lines: list[str]) -> tuple[list[str], str | None]:
    """A page card's lines without its source line and sparkline note, and the period its source line names."""
    source = next((line for line in lines if re.match(r"^(来源|Source)[：:]", line)), None)
    kept = [line for line in lines if line != source and not re.match(r"^(走势|Trend)", line)]
    return kept, source.rsplit(" · ", 1)[1] if source else None


def chart_words(spec: dict) -> dict:
    """What a chart says (its bars' and points' labels and categories, its panel titles) and its warnings."""
    traces = [(tuple(map(str, d.get("text") or [])), tuple(v for v in (d.get("y") if d.get("orientation") == "h"
                                                                      else d.get("x")) or [] if isinstance(v, str)))
              for d in spec["data"]]
    panels = sorted(a["text"] for a in spec["layout"].get("annotations", []))
    return {"traces": sorted(traces), "panels": panels, "notes": (spec["layout"].get("meta") or {}).get("notes", [])}


def big_number_words(at) -> tuple[list[tuple[str, str]], list[str]]:
    """(label, text) of every bar or point of the page's charts, and every text they show: a slide of
    one figure shows one of them."""
    traces = [d for spec in chart_specs(at) for d in spec["data"]]
    return ([(str(c[0]), str(t)) for d in traces for c, t in zip(d.get("customdata") or [], d.get("text") or [])],
            [str(t) for d in traces for t in d.get("text") or []])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("number", NUMBERS)
def test_slide_says_what_its_page_says(number, lang):
    name = slides.CATALOG[number - 1][0]
    shown, on_page = slide(number, lang), page(name, lang)
    assert not shown.exception and not on_page.exception
    seen_on_page = page_cards(on_page)
    slide_specs = chart_specs(shown)
    slide_captions = [demarked(c.value) for c in shown.caption]
    for card in cards(shown):
        w = words(card)
        if not slide_specs and w["label"] not in seen_on_page:
            # one figure as a big number (84.6%; a target's progress): one of the page chart's bars, and
            # what it is set against (the target) the chart's other words
            labels, texts = big_number_words(on_page)
            assert (w["label"], w["value"]) in labels, (number, w)
            assert not w["delta"] or w["delta"] in " · ".join(texts), (number, w["delta"], texts)
            continue
        assert w["label"] in seen_on_page, (number, w["label"], list(seen_on_page))
        theirs = seen_on_page[w["label"]]
        for key in ("value", "delta", "delta_note"):
            assert w[key] == theirs[key], (number, w["label"], key, w[key], theirs[key])
        lines, period = source_and_period(theirs["lines"])
        assert w["lines"][:-1] == lines, (number, w["label"], w["lines"], theirs["lines"])
        assert period and w["lines"][-1].startswith(f"{period} · "), (number, w["label"], w["lines"][-1], period)
    page_charts = [chart_words(spec) for spec in chart_specs(on_page)]
    for spec in slide_specs:
        mine = chart_words(spec)
        same = [c for c in page_charts if (c["traces"], c["panels"]) == (mine["traces"], mine["panels"])]
        assert same, (number, mine)
        assert mine["notes"] == same[0]["notes"], number
        for note in same[0]["notes"]:  # the page's warnings beside the chart, on the slide
            assert note in " ".join(slide_captions), (number, note)
            assert note in [demarked(c.value) for c in on_page.caption], (number, note)


# ---------- the exported briefing ----------

@functools.cache
def exported(lang: str):
    token = _LANG_OUTSIDE_SESSION.set(lang)
    try:
        deck = [slides.build(i, {}) for i in range(len(slides.CATALOG))]
        assert all(deck)
        pptx, pdf = briefing.export(deck, briefing.cover_for(deck, "test"))
        return deck, Presentation(io.BytesIO(pptx)), pdf
    finally:
        _LANG_OUTSIDE_SESSION.reset(token)


def squeezed(text: str) -> str:
    """Text without white space or the line breaks the export put in (PDF text wraps anywhere)."""
    return re.sub(r"\s|\u2060", "", seen(text).replace("\v", ""))


def pptx_texts(page) -> list[str]:
    found = [shape.text_frame.text for shape in page.shapes if shape.has_text_frame]
    for shape in (sh for sh in page.shapes if sh.has_table):
        found += [" | ".join(c.text.replace("\v", "") for c in row.cells) for row in shape.table.rows]
    return found


def pdf_text(pdf: bytes, number: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()


@pytest.mark.parametrize("lang", LANGS)
def test_briefing_pages_say_what_the_pages_say(lang):
    deck, prs, pdf = exported(lang)
    for number, (s, shown) in enumerate(zip(deck, list(prs.slides)[1:]), start=1):
        on_page = page(slides.CATALOG[number - 1][0], lang)
        texts = pptx_texts(shown)
        rows = {t.split(" | ")[0]: t for t in texts if " | " in t}
        printed = squeezed(pdf_text(pdf, number + 1))
        expected = [*s.warnings]
        if s.table is not None:
            theirs = page_cards(on_page)
            for label in s.table["label"]:
                assert label in theirs and label in rows, (number, label, list(rows))
                w = theirs[label]
                lines, _ = source_and_period(w["lines"])
                parts = [w["value"], *lines]
                for part in parts:  # the row of the PPTX's table holds every word of the page's card
                    assert seen(part) in seen(rows[label]), (number, label, part, rows[label])
                # the card's delta and its words are one phrase in the row, in the language's order
                # (高于全市2.5个百分点; up 17.1% year on year): each of their words is in it
                words = [word for x in (w["delta_note"], w["delta"]) if x for word in seen(x).split()]
                assert all(word in seen(rows[label]) for word in words), (number, label, words, rows[label])
                expected += [label, *parts, *words]
        for text in expected:
            assert any(seen(text) in seen(t) for t in texts) or any(
                squeezed(text) in squeezed(t) for t in texts), (number, "pptx", text)
            assert squeezed(text) in printed, (number, "pdf", text)
