"""``policykg load FILE...``, ``policykg delete DOC_ID`` and ``policykg reset --yes``: the writing commands.

``load`` parses each file (a directory: the document files under it) in parallel processes and
writes each as one atomic document from this process; a file that fails is named and skipped.
It exits 1 when nothing could be loaded, and 3 when the files loaded but no measure was found
in any of them (a file that is not a task-decomposition document).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

from policykg.cli import app, fail
from policykg.cli.options import NEO4J_OPTION, STORE_OPTION, open_cli_store
from policykg.errors import NotFound
from policykg.queries import writes

NOTHING_FOUND = 3  # exit status: loaded, but no measure in any file


@app.command()
def load(
    files: list[Path] = typer.Argument(
        ...,
        help="Document files to load (.txt, .html, .docx, .pdf, scans, .doc/.wps, .xlsx/.xls/.et; found by content), "
        "or directories of them.",
    ),
    store_dir: Path | None = STORE_OPTION,
    neo4j: str | None = NEO4J_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print the load report as JSON."),
    jurisdiction: str | None = typer.Option(
        None,
        "--jurisdiction",
        help="Read every file as a document of this jurisdiction (全国, 山东省, 济南市 …) instead of the one it shows.",
    ),
    jobs: int = typer.Option(
        os.cpu_count() or 1, "--jobs", "-j", min=1, help="Processes that parse (default: one per core)."
    ),
) -> None:
    """Load documents into the store, replacing earlier versions of the same documents.

    Exit status 0: loaded; 1: nothing could be loaded; 3: loaded, but no measure was found.
    """
    from policykg.ingest import load_files
    from policykg.settings import Settings

    if jurisdiction:
        from policykg.loaders.jurisdictions import JurisdictionIndex

        JurisdictionIndex.load_default().require(jurisdiction)  # before the store is opened
    store = open_cli_store(store_dir, neo4j)
    try:
        report = load_files(
            files,
            store,
            progress=not as_json,
            limits=Settings().read_limits(),
            jurisdiction=jurisdiction,
            jobs=jobs,
        )
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(report.summary())
    if not report.ok:
        why = "the failures above say why" if report.failures else "no files given"
        fail(f"nothing could be loaded ({why}).")
    if report.measures == 0:
        names = ", ".join(Path(d.path).name for d in report.documents)
        typer.secho(f"No measures found in {names} (exit status {NOTHING_FOUND}).", fg=typer.colors.YELLOW, err=True)
        raise typer.Exit(NOTHING_FOUND)


@app.command()
def delete(
    doc_id: str = typer.Argument(..., help="The document id (doc-…) as `policykg load` printed it."),
    store_dir: Path | None = STORE_OPTION,
    neo4j: str | None = NEO4J_OPTION,
) -> None:
    """Remove one document and everything it owns; shared agencies and industries stay."""
    store = open_cli_store(store_dir, neo4j)
    try:
        if not writes.delete_document(store, doc_id):
            raise NotFound(f"There is no loaded document {doc_id} in the store.")
    finally:
        store.close()
    typer.echo(f"Deleted {doc_id}.")


@app.command()
def reset(
    yes: bool = typer.Option(False, "--yes", help="Confirm: delete every node and relationship."),
    store_dir: Path | None = STORE_OPTION,
    neo4j: str | None = NEO4J_OPTION,
) -> None:
    """Empty the store (everything, reference data included)."""
    if not yes:
        fail("reset deletes the whole graph; run it again with --yes to confirm.")
    store = open_cli_store(store_dir, neo4j)
    try:
        store.clear()
    finally:
        store.close()
    typer.echo("The store is empty.")
