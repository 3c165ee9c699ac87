"""The one CSV writer: every CSV policykg writes (API ``format=csv``, ``/export/csv``,
``policykg query --format csv``, ``policykg stats --format csv``) goes through here.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
neutralised the way OWASP's CSV-injection guidance says: a single quote is put in front,
so a spreadsheet shows the text instead of evaluating it as a formula. Numbers are
written as numbers (``-3`` stays a number); only text is prefixed.

>>> neutralise("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> neutralise("省经信委")
'省经信委'
>>> csv_text([{"name": "+86 省经信委", "lead": -1}])
"name,lead\\r\\n'+86 省经信委,-1\\r\\n"
>>> csv_cell(["省经信委", "省科技厅"])
'省经信委; 省科技厅'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# OWASP, "CSV Injection": cells starting with these are read as formulas by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` with a leading single quote when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> Any:
    """A value as one CSV cell: numbers kept, lists of scalars joined with "; ",
    structures as JSON, and every text neutralised.

    >>> csv_cell([{"name": "省经信委", "role": "lead"}])
    '[{"name": "省经信委", "role": "lead"}]'
    >>> csv_cell(None), csv_cell(True), csv_cell(2.5), csv_cell("@cmd")
    ('', 'true', 2.5, "'@cmd")
    """
    plain = _plain(value)
    return neutralise(plain) if isinstance(plain, str) else plain


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return "; ".join(str(_plain(v)) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def csv_records(header: Sequence[str], records: Iterable[Sequence[Any]], *, lineterminator: str = "\r\n") -> str:
    """A header line and records (sequences in header order) as CSV text, every cell neutralised.

    >>> csv_records(["source", "target"], [["-A", "B"]])
    "source,target\\r\\n'-A,B\\r\\n"
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerow([csv_cell(name) for name in header])
    writer.writerows([csv_cell(value) for value in record] for record in records)
    return buffer.getvalue()


def csv_text(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows as CSV with a header line (the given columns, else those of the first row).

    >>> csv_text([{"a": 1, "b": None}])
    'a,b\\r\\n1,\\r\\n'
    """
    rows = list(rows)
    names = list(columns) if columns else (list(rows[0]) if rows else [])
    return csv_records(names, ([row.get(name) for name in names] for row in rows))
