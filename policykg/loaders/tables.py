"""Table rows (``a | b | c``, from flattened text, HTML or .docx): header columns and records.

Columns are known by their header words, never by position: 序号; 牵头 (lead); 配合/协办/
参与 (support); 责任/负责/指导/主办 (responsible: lead by the lead rule, else joint);
完成时限/时间 (deadline); 范围/备注 (scope, not units); 牵头市领导/责任人 (people, not units);
anything else is the task's words.

>>> h = read_header("序号 | 任务 | 牵头单位 | 配合单位 | 完成时限")
>>> h.kinds
['number', 'text', 'lead', 'support', 'deadline']
>>> read_header("序号 | 工作任务 | 牵头市领导 | 牵头单位 | 责任单位").kinds
['number', 'text', 'person', 'lead', 'responsible']
>>> r = read_row(h, "1 | 建设平台 | 省发展改革委 | 省财政厅、省科技厅 | 2019年底")
>>> r.number, [(g.kind, [u.text for u in g.units]) for c in r.readings for g in c.groups], r.deadline_text
('1', [('lead', ['省发展改革委']), ('support', ['省财政厅', '省科技厅'])], '2019年底')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, cast

from policykg.loaders.clauses import ClauseReading, GroupKind, read_clause
from policykg.loaders.lexicon import Lexicon, default_lexicon
from policykg.loaders.normalise import fold
from policykg.loaders.numbering import Numbering, numbering_of

ColumnKind = Literal["number", "person", "lead", "support", "responsible", "deadline", "scope", "text"]

_AGENCY_KINDS: frozenset[str] = frozenset({"lead", "support", "responsible"})
# The column words (and the words of a task column's header) are the lexicon's [columns].
MAX_HEADER_CELL = 24


@dataclass(slots=True)
class TableHeader:
    """What each column holds, and whether the header states the first-listed-leads rule."""

    kinds: list[ColumnKind]
    lead_rule: bool = False


@dataclass(slots=True)
class TableRow:
    start: int
    end: int
    number: str | None = None
    group_heading: Numbering | None = None
    readings: list[ClauseReading] = field(default_factory=list)
    task_text: str = ""
    deadline_text: str | None = None


def _cells(line: str, offset: int) -> list[tuple[str, int]]:
    """(cell text, absolute offset of the cell text) for each cell of a ``|`` row."""
    cells: list[tuple[str, int]] = []
    position = 0
    for raw in line.split("|"):
        left = len(raw) - len(raw.lstrip())
        cells.append((raw.strip(), offset + position + left))
        position += len(raw) + 1
    return cells


def read_header(line: str, offset: int = 0, *, lexicon: Lexicon | None = None) -> TableHeader | None:
    """The header of a table, when this row names its columns and one of them holds units."""
    lex = lexicon or default_lexicon()
    cells = _cells(line, offset)
    if len(cells) < 2:
        return None
    kinds: list[ColumnKind] = []
    rule = False
    for text, _ in cells:
        key = re.sub(r"\s+", "", fold(text))
        if lex.lead_rule.search(key):
            rule = True
            key = lex.lead_rule.sub("", key).strip("()")
        if len(key) > MAX_HEADER_CELL or "、" in key or re.search(r"\d", key):
            return None
        kind = next((kind for kind, words in lex.columns if words.search(key)), None)
        if kind is None and key and not lex.text_header.search(key):
            return None
        kinds.append(cast(ColumnKind, kind or "text"))
    if not _AGENCY_KINDS.intersection(kinds) or ("text" not in kinds and "number" not in kinds):
        return None
    return TableHeader(kinds, rule)


def read_row(header: TableHeader, line: str, offset: int = 0, *, lexicon: Lexicon | None = None) -> TableRow | None:
    """One data row under ``header``; None for a row with nothing in it."""
    cells = _cells(line, offset)
    if not any(text for text, _ in cells):
        return None
    stripped = line.strip()
    start = offset + (len(line) - len(line.lstrip()))
    row = TableRow(start, start + len(stripped))
    by_kind: dict[str, list[tuple[str, int]]] = {}
    for kind, cell in zip(header.kinds, cells, strict=False):
        by_kind.setdefault(kind, []).append(cell)
    agency_cells = [c for k in ("lead", "support", "responsible") for c in by_kind.get(k, []) if c[0]]
    number_cell = by_kind.get("number", [("", 0)])[0][0]
    first_text = cells[0][0]
    heading = numbering_of(number_cell or first_text)
    if not agency_cells and heading is not None and heading.style in ("cn", "paren_cn"):
        row.group_heading = heading
        return row
    digits = re.match(r"^\s*(\d{1,4})", fold(number_cell))
    row.number = digits.group(1) if digits else None
    for column_kind, cells_of_kind in by_kind.items():
        if column_kind not in _AGENCY_KINDS:
            continue
        for text, cell_offset in cells_of_kind:
            folded = _line_breaks_as_separators(fold(text))
            reading = (
                read_clause(text, cell_offset, default=_group_kind(column_kind), folded=folded, lexicon=lexicon)
                if text
                else None
            )
            if reading is not None:
                row.readings.append(reading)
    row.task_text = "。".join(text for text, _ in by_kind.get("text", []) if text)
    deadlines = [text for text, _ in by_kind.get("deadline", []) if text]
    row.deadline_text = deadlines[0] if deadlines else None
    return row


_TAB_ROW = re.compile(r"^[^\n]*\t[^\n]*\t[^\n]*$", re.MULTILINE)


def tab_rows_as_pipes(text: str, *, lexicon: Lexicon | None = None) -> str:
    """A table pasted from Word or Excel (cells separated by tabs) as ``a | b | c`` rows.

    Only when one tab-separated line is a table header, so tab-aligned prose is left alone;
    every tab of a line with two or more is a cell border (an empty cell keeps its column).
    Line breaks are unchanged.

    >>> tab_rows_as_pipes("序号\\t任务\\t牵头单位\\n1\\t建设平台\\t省发展改革委")
    '序号 | 任务 | 牵头单位\\n1 | 建设平台 | 省发展改革委'
    >>> tab_rows_as_pipes("国务院办公厅\\t\\t2020年1月1日")
    '国务院办公厅\\t\\t2020年1月1日'
    """
    if "\t" not in text:
        return text
    rows = [m for m in _TAB_ROW.finditer(text)]
    if not any(read_header(m.group().rstrip().replace("\t", " | "), lexicon=lexicon) for m in rows):
        return text
    return _TAB_ROW.sub(lambda m: m.group().rstrip().replace("\t", " | "), text)


_CELL_BREAK = re.compile(r"(?<=[\u4e00-\u9fff)])\s+(?=[\u4e00-\u9fff(])")


def _line_breaks_as_separators(folded: str) -> str:
    """Units written one per line in a cell come out space-separated: make those spaces 、.

    >>> _line_breaks_as_separators("省发展改革委 省财政厅")
    '省发展改革委、省财政厅'
    """
    return _CELL_BREAK.sub(lambda m: "、" * len(m.group()), folded)


def _group_kind(kind: str) -> GroupKind:
    if kind == "lead":
        return "lead"
    if kind == "support":
        return "support"
    return "responsible"
