"""Hostile uploads, made on the fly for the tests and bench/hostile_import.py (never stored in data/)."""
from __future__ import annotations

import io
import zipfile

import openpyxl

from etl import vocab

ROW_XML = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'


def workbook(rows: list[list[str]], sheet: str = "figures") -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(list(vocab.FIGURE_COLUMNS))
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def replace_member(xlsx: bytes, member: str, write) -> bytes:
    """The workbook with one member's bytes produced by write(stream) instead."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == member:
                with dst.open(member, "w", force_zip64=True) as f:
                    write(f)
            else:
                dst.writestr(info, src.read(info))
    return out.getvalue()


def zip_bomb(unzipped_mb: int = 64) -> bytes:
    """An XLSX whose one sheet inflates to `unzipped_mb` MB of identical rows."""
    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    chunk = ROW_XML * (2 ** 20 // len(ROW_XML))

    def write(f):
        f.write(head)
        for _ in range(unzipped_mb):
            f.write(chunk)
        f.write(b"</sheetData></worksheet>")
    return replace_member(workbook([]), "xl/worksheets/sheet1.xml", write)


def broken_sheet() -> bytes:
    """A workbook whose sheet XML stops in the middle of a tag."""
    return replace_member(workbook([["a"] * 3]), "xl/worksheets/sheet1.xml",
                          lambda f: f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.'
                                            b'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="'))
