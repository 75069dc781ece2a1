"""A throw-away copy of data/ with its database, and a batch written for the import tests.

The bulletin below is made up for these tests (2024 full-year trade); it never enters data/.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from etl import imports, vocab
from etl.build import DATA_DIR, build

BULLETIN = ("2024年12月经济运行简报（测试用）\n"
            "2024年，全区进出口总额完成105.3亿元，同比增长15.2%，总量居全市第二。"
            "全年实际利用外资6120万美元。\n")
META = {"source_id": "test_bulletin_2024_12", "title_zh": "2024年12月经济运行简报（测试用）",
        "title_en": "Economic bulletin, Dec 2024 (test)", "short_zh": "2024年12月简报",
        "short_en": "Dec 2024 bulletin", "year": "2024", "kind": "bulletin", "note": "测试数据"}
HEADER = ",".join(vocab.FIGURE_COLUMNS)
QUOTE = "2024年，全区进出口总额完成105.3亿元，同比增长15.2%"
ROWS = [
    f"tb24_trade_2024,test_bulletin_2024_12,{QUOTE},105.3,105.3,亿元,,开发区,trade,level,actual,2024年,trade,,",
    f"tb24_trade_growth_2024,test_bulletin_2024_12,{QUOTE},15.2,15.2,%,,开发区,trade,growth,actual,2024年,trade,,",
]


def bulletin_csv(*rows: str) -> str:
    return "\n".join([HEADER, *(rows or ROWS)]) + "\n"


def bulletin_source() -> imports.Source:
    return imports.new_source(META, BULLETIN)


def upload(text: str | None = None, name: str = "bulletin.csv", encoding: str = "utf-8") -> imports.Upload:
    up, problems = imports.read_upload(name, (text or bulletin_csv()).encode(encoding))
    assert not problems, [p.message("en") for p in problems]
    return up


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(folder: Path) -> list[str]:
    """Every file under a folder with its checksum: proof that nothing was written."""
    return sorted(f"{p.relative_to(folder)} {sha(p)}" for p in folder.rglob("*") if p.is_file())


_BASE: dict[str, tuple[Path, Path]] = {}


def workspace(tmp_path_factory, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of data/ and its freshly built database under tmp_path (built once per session)."""
    if "base" not in _BASE:
        root = tmp_path_factory.mktemp("import_base")
        data = root / "data"
        shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", "imports"))
        build(data, root / "etdz.duckdb")
        _BASE["base"] = (data, root / "etdz.duckdb")
    data, db = _BASE["base"]
    shutil.copytree(data, tmp_path / "data")
    shutil.copy2(db, tmp_path / "etdz.duckdb")
    return tmp_path / "data", tmp_path / "etdz.duckdb"
