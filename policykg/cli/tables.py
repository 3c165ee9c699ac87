"""Terminal tables drawn with rich: CJK counted double width, never wider than 100 columns.

A narrower terminal narrows the table further; rich shrinks the text columns first and
ends a cut cell with "…", so numbers stay whole.

>>> text = table_text([{"agency": "省经信委", "lead": 22}], ["agency", "lead"])
>>> [line.split() for line in text.splitlines() if line.strip()]
[['agency', 'lead'], ['───────────────'], ['省经信委', '22']]
>>> max(len(line) for line in table_text([{"a": "x" * 300}], ["a"]).splitlines()) <= MAX_WIDTH
True
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Sequence
from typing import Any, Literal

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

MAX_WIDTH = 100
SHORT_COLUMN = 16  # widest a column other than the name column gets


def terminal_width() -> int:
    """The terminal's width (COLUMNS when set), at most :data:`MAX_WIDTH`."""
    return min(shutil.get_terminal_size((MAX_WIDTH, 24)).columns, MAX_WIDTH)


def cell_width(text: str) -> int:
    """Terminal columns ``text`` takes (CJK characters take two).

    >>> cell_width("省经信委 22")
    11
    """
    return cell_len(text)


def cell_text(value: Any) -> str:
    """A value as table text: lists joined with 、, None as "-".

    >>> cell_text(["省经信委", "省科技厅"]), cell_text(None), cell_text(0.5)
    ('省经信委、省科技厅', '-', '0.5')
    """
    if value is None:
        return "-"
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return "、".join(str(v) for v in value) or "-"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value).replace("\n", " ")


def table_text(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    *,
    title: str | None = None,
    width: int | None = None,
    headers: dict[str, str] | None = None,
) -> str:
    """``rows`` as a table of ``columns`` fitting ``width`` (default: the terminal, at most 100)."""
    width = min(width or terminal_width(), MAX_WIDTH)
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False, expand=False)
    numeric = {c for c in columns if rows and all(isinstance(r.get(c), int | float) for r in rows)}
    # The widest text column (a name, a clause) takes what is left and is cut with "…"; the
    # other columns keep their short values (levels, kinds, numbers) whole.
    widths = {
        c: max(cell_width((headers or {}).get(c, c)), *(cell_width(cell_text(r.get(c))) for r in rows)) for c in columns
    }
    texts = [c for c in columns if c not in numeric]
    flexible = max(texts, key=lambda c: widths[c]) if texts else None
    for c in texts:
        if c != flexible:
            widths[c] = min(widths[c], SHORT_COLUMN)
    if flexible is not None:
        others = sum(w for c, w in widths.items() if c != flexible) + 3 * len(columns)
        widths[flexible] = max(min(widths[flexible], width - others), 6)
    for c in columns:
        justify: Literal["left", "right"] = "right" if c in numeric else "left"
        table.add_column(
            (headers or {}).get(c, c),
            justify=justify,
            no_wrap=True,
            overflow="ellipsis",
            min_width=widths[c],
            max_width=widths[c],
        )
    for r in rows:
        table.add_row(*(cell_text(r.get(c)) for c in columns))
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, legacy_windows=False, soft_wrap=False).print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()).strip("\n")
