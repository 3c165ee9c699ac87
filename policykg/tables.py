"""Terminal tables drawn with rich: CJK counted double width (rich's own cell widths), never
wider than 100 columns. The one table renderer of policykg: ``policykg stats``, ``query``,
``parse --format table`` and ``eval`` all print through :func:`table_text`.

A narrower terminal narrows the table further; rich shrinks the text columns first and
ends a cut cell with "…", so numbers stay whole. ``fit=False`` keeps every cell whole (a
parse listing, meant to be read in full or piped to a file).

>>> text = table_text([{"agency": "省经信委", "lead": 22}], ["agency", "lead"])
>>> [line.split() for line in text.splitlines() if line.strip()]
[['agency', 'lead'], ['───────────────'], ['省经信委', '22']]
>>> max(len(line) for line in table_text([{"a": "x" * 300}], ["a"]).splitlines()) <= MAX_WIDTH
True
>>> many = [f"column{i}" for i in range(12)]
>>> table_text([dict.fromkeys(many, "值")], many).splitlines()[0].split()[-1]
'column11'
"""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Sequence
from typing import Any, Literal

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

MAX_WIDTH = 100
SHORT_COLUMN = 16  # widest a column other than the name column gets
# Text cells made only of digits and their separators (1/1, 0.667, 12.5%) align right like numbers,
# in a column of such cells and "-" (undefined).
_NUMBER_LIKE = re.compile(r"^[-+]?[\d.,/%]*\d[\d.,/%]*$")


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
    fit: bool = True,
) -> str:
    """``rows`` as a table of ``columns`` fitting ``width`` (default: the terminal, at most 100);
    with ``fit=False`` as wide as its widest cells.

    >>> print(table_text([{"ref": "三/(六)/1", "lead": "各市、县(市、区)政府"}], ["ref", "lead"], fit=False))
     ref         lead
     ────────────────────────────────
     三/(六)/1   各市、县(市、区)政府
    """
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False, expand=False)
    numeric = {c for c in columns if _numeric_column([r.get(c) for r in rows])}
    widths = {
        c: max(cell_width((headers or {}).get(c, c)), *(cell_width(cell_text(r.get(c))) for r in rows)) for c in columns
    }
    if fit:
        width = min(width or terminal_width(), MAX_WIDTH)
        _fit(widths, [c for c in columns if c not in numeric], width)
    # Too many columns to fit: the line runs wider rather than rich silently dropping the last ones.
    width = max(width or 0, _full_width(widths)) if fit else _full_width(widths)
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
    # Console's width counts a cell as rich does, so a fitted table never wraps.
    Console(file=buffer, width=width, color_system=None, legacy_windows=False, soft_wrap=False).print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()).strip("\n")


def _full_width(widths: dict[str, int]) -> int:
    return sum(widths.values()) + 3 * len(widths) + 2


def _numeric_column(values: list[Any]) -> bool:
    def number_like(value: Any) -> bool:
        if isinstance(value, bool):
            return False
        return isinstance(value, int | float) or (isinstance(value, str) and bool(_NUMBER_LIKE.match(value)))

    return any(number_like(v) for v in values) and all(number_like(v) or v == "-" for v in values)


def _fit(widths: dict[str, int], texts: list[str], width: int) -> None:
    """Narrow ``widths`` in place to ``width``: the widest text column (a name, a clause) takes
    what is left and is cut with "…"; the other columns keep their short values (levels, kinds,
    numbers) whole, text ones up to :data:`SHORT_COLUMN`."""
    flexible = max(texts, key=lambda c: widths[c]) if texts else None
    for c in texts:
        if c != flexible:
            widths[c] = min(widths[c], SHORT_COLUMN)
    if flexible is not None:
        others = sum(w for c, w in widths.items() if c != flexible) + 3 * len(widths)
        widths[flexible] = max(min(widths[flexible], width - others), 6)
