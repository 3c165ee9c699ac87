"""``policykg parse FILE``: parse one document and print its measures (no store involved).

``--format json`` prints ``{"document": {...}, "measures": [...], "warnings": [...]}``;
``--format table`` prints one line per measure for reading in a terminal. Bad input ends
with one sentence naming the file (and line) on stderr and exit status 1.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from policykg.cli import app
from policykg.graph.model import Measure, ParsedDocument


class OutputFormat(StrEnum):
    json = "json"
    table = "table"


@app.command()
def parse(
    file: Path = typer.Argument(
        ..., help="A task-decomposition document: .txt, .html, .docx, .pdf (scans by OCR), .doc/.wps, .xlsx/.xls/.et."
    ),
    output_format: OutputFormat = typer.Option(OutputFormat.json, "--format", "-f", help="json or table."),
    max_mb: float = typer.Option(20.0, "--max-mb", help="Refuse files larger than this many megabytes."),
    jurisdiction: str | None = typer.Option(
        None,
        "--jurisdiction",
        help="The document's jurisdiction (全国, 山东省, 济南市 …) when its issuer, 文号 and title do not show it.",
    ),
) -> None:
    """Parse a document and print its measures with lead / supporting / joint agencies."""
    from policykg.loaders import parse_file
    from policykg.settings import Settings

    document = parse_file(file, limits=Settings().read_limits(int(max_mb * 1024 * 1024)), jurisdiction=jurisdiction)
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(document.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_table(document))


def render_table(document: ParsedDocument) -> str:
    """A plain-text view: the document line, one row per measure (cells whole), then warnings.

    >>> from policykg.graph.model import Assignment, DocumentMeta
    >>> m = Measure(ref="1", text="…", assignments=[Assignment("商务部", "商务部", "lead", 0)])
    >>> print(render_table(ParsedDocument(DocumentMeta(title="T"), measures=[m])))
    T  (文号: -, issuer: -, date: -, jurisdiction: -)
     ref   line   lead     support   joint   targets   deadline
     ──────────────────────────────────────────────────────────
       1      0   商务部   -         -             0   -
    1 measures, 0 warnings
    """
    from policykg.tables import table_text

    meta = document.document
    head = (
        f"{meta.title}  (文号: {meta.doc_number or '-'}, issuer: {meta.issuer or '-'}, "
        f"date: {meta.date_written or '-'}, jurisdiction: {meta.jurisdiction or '-'})"
    )
    rows = [_row(m) for m in document.measures]
    lines = [head, table_text(rows, list(PARSE_COLUMNS), fit=False)]
    if document.unresolved_agencies:
        lines.append(f"unresolved agencies (kept as written): {'、'.join(document.unresolved_agencies)}")
    for warning in document.warnings:
        where = f"line {warning.line}: " if warning.line else ""
        lines.append(f"warning: {where}{warning.message}")
    lines.append(f"{len(document.measures)} measures, {len(document.warnings)} warnings")
    return "\n".join(lines)


PARSE_COLUMNS = ("ref", "line", "lead", "support", "joint", "targets", "deadline")


def _row(m: Measure) -> dict[str, object]:
    def names(role: str) -> str:
        return "、".join(a.as_written for a in m.assignments if a.role == role) or "-"

    return {
        "ref": m.ref,
        "line": m.line,
        "lead": names("lead"),
        "support": names("support"),
        "joint": names("joint"),
        "targets": len(m.targets),
        "deadline": m.deadline or "-",
    }
