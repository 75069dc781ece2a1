"""The one Plotly template carries only what the charts draw, since it travels with every chart: each
chart on every page and slide draws trace types the template styles, and none is styled by Plotly's
bare defaults for want of an entry."""
import json

import pytest
from apptest_helpers import open_page
from browser_helpers import app_pages

from dashboard import charts, slides
from dashboard.i18n import speaking


@pytest.mark.parametrize("page", [path.removeprefix("pages/").removesuffix(".py") for _, path in app_pages()])
def test_every_chart_on_a_page_draws_what_the_template_styles(page):
    specs = [json.loads(c.proto.spec) for c in open_page(page).get("plotly_chart")]
    for spec in specs:
        template = spec["layout"]["template"]
        assert set(template["data"]) == set(charts.DRAWN)
        assert {trace.get("type", "scatter") for trace in spec["data"]} <= set(charts.DRAWN)
        assert len(json.dumps(template, ensure_ascii=False)) < 2500  # was 7.6 KB of plotly_white's every type


def test_every_slide_draws_what_the_template_styles():
    with speaking("en"):
        drawn = {trace.type for i in range(len(slides.CATALOG)) if (s := slides.build(i, {})) and s.figure
                 for trace in s.figure.data}
    assert drawn and drawn <= set(charts.DRAWN)
