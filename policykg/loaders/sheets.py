"""Spreadsheets (.xlsx, .xls, .ods; WPS .et saved as either) → blocks, through python-calamine.

python-calamine (MIT, wheels on PyPI, Rust's calamine underneath) reads all these formats
directly, merged-cell ranges included, and is much faster than openpyxl. Each visible sheet's
header row is the first row the table grammar reads as a header (column words such as 序号,
任务, 牵头单位, 配合单位, 责任单位, 完成时限; :func:`policykg.loaders.tables.read_header`);
the rows above it (a title) are paragraphs, the rows from it on are one table, where a merged
cell spans its rows (carried down to each task beside it) and columns.

Bounds: a zipped workbook's declared unpacked size and entries are checked before it is read,
and the cell count of each sheet before its rows are read.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from policykg.errors import InputError
from policykg.loaders.blocks import Block, Cell, Paragraph, Provenance, ReadDocument, Table
from policykg.loaders.limits import ReadLimits
from policykg.loaders.tables import read_header

HEADER_SEARCH_ROWS = 30


def read_sheets(data: bytes, *, source: str, limits: ReadLimits | None = None, kind: str = "xlsx") -> ReadDocument:
    """Every visible sheet of a workbook as paragraphs (title rows) and a table."""
    import python_calamine

    limits = limits or ReadLimits()
    if data[:4] == b"PK\x03\x04":
        try:
            limits.check_zip(zipfile.ZipFile(io.BytesIO(data)), source=source, kind="spreadsheet")
        except zipfile.BadZipFile:
            raise InputError("The file is not a readable spreadsheet.", path=source) from None
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # calamine's errors share no public type
        raise InputError("The file is not a readable spreadsheet (.xlsx, .xls or .ods).", path=source) from None
    blocks: list[Block] = []
    warnings: list[str] = []
    total = 0
    with book:
        for meta in book.sheets_metadata:
            if str(meta.visible).split(".")[-1] != "Visible" or str(meta.typ).split(".")[-1] != "WorkSheet":
                continue
            limits.check_time(source)
            try:
                sheet = book.get_sheet_by_name(meta.name)
            except Exception:
                raise InputError(f"The sheet {meta.name!r} cannot be read.", path=source) from None
            total += sheet.height * sheet.width
            limits.check_count("cells", total, source=source)
            rows = [[_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            merged = sheet.merged_cell_ranges or []
            found = _sheet_blocks(rows, merged, meta.name, len(blocks))
            if found and not any(isinstance(b, Table) for b in found):
                warnings.append(
                    f"Sheet {meta.name!r} has no header row naming the task and unit columns; read as text."
                )
            blocks.extend(found)
    return ReadDocument(blocks, source, warnings, kind=kind)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value).strip() if value is not None else ""


def _sheet_blocks(rows: list[list[str]], merged: list[Any], name: str, position: int) -> list[Block]:
    header = next(
        (i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if any(row) and read_header(" | ".join(row))),
        None,
    )
    blocks: list[Block] = []
    if header is None:
        for i, row in enumerate(rows):
            if any(row):
                blocks.append(Paragraph(" ".join(c for c in row if c), Provenance(position=position + i, sheet=name)))
        return blocks
    for i, row in enumerate(rows[:header]):
        if any(row):
            blocks.append(Paragraph(" ".join(c for c in row if c), Provenance(position=position + i, sheet=name)))
    covered: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    for (r0, c0), (r1, c1) in merged:
        if r1 < header:
            continue
        r0 = max(r0, header)
        text = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else ""
        cells.append(Cell(r0 - header, c0, text, r1 - r0 + 1, c1 - c0 + 1))
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
    for r in range(header, len(rows)):
        for c, value in enumerate(rows[r]):
            if (r, c) not in covered:
                cells.append(Cell(r - header, c, value))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    blocks.append(Table(cells, Provenance(position=position + header, sheet=name)))
    return blocks
