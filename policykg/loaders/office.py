"""Old Office and WPS files (.doc, .wps, .xls, .et) and OpenDocument text (.odt).

Spreadsheets in the old binary format (.xls, and WPS .et, which is the same BIFF format) are
read directly by python-calamine. Word 97 .doc, WPS .wps and .odt have no faithful pure-Python
reader, so they are converted to .docx by LibreOffice headless (Debian
``libreoffice-writer-nogui``), in a private profile and a temporary directory, within the time
budget, and then read as .docx (tables with their merged cells included).

>>> ole_kind(b"..." + "Workbook\\0".encode("utf-16-le"))
'spreadsheet'
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from policykg.errors import InputError
from policykg.loaders.blocks import ReadDocument
from policykg.loaders.limits import ReadLimits

# OLE directory entries hold their names in UTF-16LE, ending in a NUL character.
_WORD_STREAM = "WordDocument\0".encode("utf-16-le")
_SPREADSHEET_STREAMS = ("Workbook\0".encode("utf-16-le"), "Book\0".encode("utf-16-le"))


def ole_kind(data: bytes) -> str:
    """'spreadsheet' when an OLE compound file holds a workbook stream (and no Word stream), else 'text'."""
    if _WORD_STREAM in data:
        return "text"
    return "spreadsheet" if any(name in data for name in _SPREADSHEET_STREAMS) else "text"


def read_office(
    data: bytes, *, source: str, suffix: str = "", limits: ReadLimits | None = None, kind: str = "ole"
) -> ReadDocument:
    """An old binary Office/WPS file or an .odt, read directly or through LibreOffice."""
    limits = limits or ReadLimits()
    if kind == "ole" and ole_kind(data) == "spreadsheet":
        from policykg.loaders.sheets import read_sheets

        try:
            return read_sheets(data, source=source, limits=limits, kind="xls")
        except InputError:
            converted = convert(data, source=source, suffix=".xls", to="xlsx", limits=limits)
            return read_sheets(converted, source=source, limits=limits, kind="xls")
    from policykg.loaders.docx_text import BadDocx, read_docx

    # Kingsoft WPS .wps files are Word 97 binaries: LibreOffice reads them as .doc (under their
    # own suffix it tries the unrelated Microsoft Works filter).
    converted = convert(data, source=source, suffix=".odt" if kind == "odt" else ".doc", to="docx", limits=limits)
    try:
        read = read_docx(converted, source=source, limits=limits)
    except BadDocx:
        raise InputError("LibreOffice could not convert the document into a readable form.", path=source) from None
    read.kind = suffix.lstrip(".") or "doc"
    return read


def convert(data: bytes, *, source: str, suffix: str, to: str, limits: ReadLimits) -> bytes:
    """The bytes of ``data`` converted by LibreOffice headless to the format ``to`` (docx, xlsx)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise InputError(
            f"Reading a {suffix} file needs LibreOffice, which is not installed "
            "(Debian: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui); "
            "or save the file as .docx/.xlsx first.",
            path=source,
        )
    limits.check_time(source, "Converting the document")
    timeout = limits.remaining_s()
    with tempfile.TemporaryDirectory(prefix="policykg-office-") as tmp:
        folder = Path(tmp)
        name = "document" + suffix
        (folder / name).write_bytes(data)
        try:
            subprocess.run(
                [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                 "--convert-to", to, "--outdir", str(folder / "out"), str(folder / name)],
                capture_output=True, timeout=timeout if timeout is not None else 600, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            raise InputError(
                f"Converting the document with LibreOffice took longer than the time budget of "
                f"{limits.time_budget_s:g} s, so it was stopped (setting parse_time_budget_s).",
                path=source,
            ) from None
        out = folder / "out" / f"document.{to}"
        if not out.exists():
            raise InputError(f"LibreOffice could not read this {suffix} file (it may be damaged).", path=source)
        if out.stat().st_size > limits.max_unpacked_bytes:
            raise InputError("The converted document is larger than the unpacked size limit.", path=source)
        return out.read_bytes()
