"""Bounds on reading one document: sizes, counts, pages, OCR and a time budget.

Every reader takes a :class:`ReadLimits` and checks it *before* the costly step (a zip's
declared sizes before anything is unpacked, a page count before pages are read), so a hostile
file is refused in milliseconds and bounded memory. A limit that is hit raises
:class:`~policykg.errors.InputError` with one sentence naming the file and the limit.

The CLI and the API build their limits from the settings (``POLICYKG_PARSE_TIME_BUDGET_S``,
``POLICYKG_OCR``, ``POLICYKG_OCR_MAX_PAGES``…); library callers get the defaults.

>>> limits = ReadLimits(max_pages=2)
>>> limits.check_count("pages", 3, source="a.pdf")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
policykg.errors.InputError: a.pdf: The document has 3 pages, more than the limit of 2 pages; split it or...
"""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass, field

from policykg.errors import InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """What one document may cost to read. ``time_budget_s`` ≤ 0 means no time limit."""

    max_bytes: int = DEFAULT_MAX_BYTES
    # A .docx/.xlsx is a zip: what it may unpack to (declared sizes, checked before unpacking;
    # Python's zipfile never returns more than an entry declares, so the check bounds memory).
    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_xml_bytes: int = 60 * 1024 * 1024
    max_entries: int = 2_000
    max_elements: int = 2_000_000
    max_html_depth: int = 2_000
    max_pages: int = 500
    max_cells: int = 200_000
    ocr: bool = True
    ocr_max_pages: int = 30
    ocr_language: str = "chi_sim"
    time_budget_s: float = 300.0  # OCR reads a page in 10–60 s
    started: float = field(default_factory=time.monotonic, compare=False)

    def restarted(self) -> ReadLimits:
        """The same limits with the time budget counted from now (one per document)."""
        from dataclasses import replace

        return replace(self, started=time.monotonic())

    def remaining_s(self) -> float | None:
        """Seconds left of the time budget (None without one)."""
        if self.time_budget_s <= 0:
            return None
        return max(0.0, self.time_budget_s - (time.monotonic() - self.started))

    def check_time(self, source: str, doing: str = "Reading the document") -> None:
        """Raise once the document's time budget is spent."""
        left = self.remaining_s()
        if left is not None and left <= 0:
            raise InputError(
                f"{doing} took longer than the time budget of "
                f"{self.time_budget_s:g} s, so it was stopped (setting parse_time_budget_s).",
                path=source,
            )

    def check_count(self, what: str, count: int, *, source: str) -> None:
        """Raise when ``count`` of ``what`` (pages, cells, entries, elements…) is over its limit."""
        limit = {
            "pages": self.max_pages,
            "cells": self.max_cells,
            "zip entries": self.max_entries,
            "XML elements": self.max_elements,
        }[what]
        if count > limit:
            setting = {"pages": "max_pages", "cells": "max_cells", "zip entries": "max_entries"}.get(
                what, "max_elements"
            )
            raise InputError(
                f"The document has {count:,} {what}, more than the limit of {limit:,} {what}; "
                f"split it or raise the limit (setting {setting}).",
                path=source,
            )

    def check_zip(self, archive: zipfile.ZipFile, *, source: str, kind: str) -> None:
        """Entry count and declared unpacked sizes of an Office/OFD package, before unpacking.

        >>> import io
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        ...     z.writestr("word/document.xml", b"<" * 5000)
        >>> limits = ReadLimits(max_xml_bytes=1000)
        >>> limits.check_zip(zipfile.ZipFile(buf), source="a.docx", kind="Word")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        policykg.errors.InputError: a.docx: The Word package unpacks to 4.9 KB of XML, more than the limit of 1000 B...
        """
        entries = archive.infolist()
        self.check_count("zip entries", len(entries), source=source)
        total = sum(e.file_size for e in entries)
        xml = sum(e.file_size for e in entries if e.filename.lower().endswith((".xml", ".rels")))
        for size, limit, what, setting in (
            (xml, self.max_xml_bytes, "of XML", "max_xml_bytes"),
            (total, self.max_unpacked_bytes, "in all", "max_unpacked_bytes"),
        ):
            if size > limit:
                raise InputError(
                    f"The {kind} package unpacks to {_size(size)} {what}, more than the limit of {_size(limit)} "
                    f'(a compressed "zip bomb" is refused before it is unpacked; setting {setting}).',
                    path=source,
                )


def _size(n: int) -> str:
    """A byte count for a person.

    >>> _size(3 * 1024 ** 3), _size(1500)
    ('3.0 GB', '1.5 KB')
    """
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def count_elements(xml: bytes) -> int:
    """An upper bound on the number of XML elements, without parsing (start and empty tags).

    >>> count_elements(b'<a><b/><c>x</c></a>')
    3
    """
    return xml.count(b"<") - xml.count(b"</") - xml.count(b"<?") - xml.count(b"<!")
