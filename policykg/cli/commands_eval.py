"""``policykg eval GOLD_DIR``: score the parser against hand-labelled readings (docs/gold-format.md).

Prints records found, agency-set F1, lead exact, no-lead kept joint, target precision/recall/F1,
qualifier and deadline accuracy, per document and overall; ``--format json`` adds the counts and
every disagreement; ``--show-misses`` lists the disagreements under the table.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer

from policykg.cli import app


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


@app.command(name="eval")
def evaluate_command(
    gold_dir: Path = typer.Argument(..., help="A folder of NAME.gold.json readings beside their documents."),
    documents: Path | None = typer.Option(
        None, "--documents", help="Where to look for documents not found beside their readings."
    ),
    output_format: EvalFormat = typer.Option(EvalFormat.table, "--format", "-f", help="table or json."),
    show_misses: bool = typer.Option(False, "--show-misses", help="List every disagreement under the table."),
) -> None:
    """Score the parser on hand-labelled documents: records, agencies, leads, targets, deadlines."""
    from policykg.evaluation import evaluate, find_labelled, render_table

    labelled = find_labelled(gold_dir, documents)
    with typer.progressbar(labelled, label=f"Parsing {len(labelled)} documents", file=sys.stderr) as bar:
        scores, overall = evaluate(bar)
    if output_format is EvalFormat.json:
        payload = {"documents": [s.as_dict() for s in scores], "overall": overall.as_dict()}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    typer.echo(render_table(scores, overall))
    if show_misses:
        for score in scores:
            for miss in score.misses:
                typer.echo(f"{score.name}: {miss}")
