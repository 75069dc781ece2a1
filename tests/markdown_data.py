"""A temp copy of data/ with one imported source and figure whose texts carry Markdown images
pointing at a TEST-NET address (203.0.113.9, never routed): the page must show them as text."""
from __future__ import annotations

from etl import imports
from import_helpers import META, QUOTE, bulletin_csv, upload, workspace

IMG = "![x](http://203.0.113.9/x.png)"
HOST = "203.0.113.9"
MD_QUOTE = f"{QUOTE}{IMG}"
MD_META = {**META, "title_zh": f"简报{IMG}", "title_en": f"Bulletin{IMG}", "short_zh": f"简报{IMG}",
           "short_en": f"Bulletin{IMG}", "note": f"备注{IMG}"}


def markdown_workspace(tmp_path_factory, tmp_path):
    data, db = workspace(tmp_path_factory, tmp_path)
    text = f"2024年12月经济运行简报（测试用）\n{MD_QUOTE}。\n"
    row = (f"tb24_trade_2024,test_bulletin_2024_12,{MD_QUOTE},105.3,105.3,亿元,,开发区,trade,level,actual,"
           f"2024年,trade,,{IMG}")
    imports.commit(upload(bulletin_csv(row)), imports.new_source(MD_META, text), "analyst", data, db)
    return data, db
