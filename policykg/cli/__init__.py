"""The ``policykg`` command: a thin layer over the library.

Each sub-module registers its commands on :data:`app`; errors policykg raises on purpose
are printed as one sentence and end the command with exit status 1.
"""

from __future__ import annotations

import sys

import typer

from policykg.errors import PolicykgError

app = typer.Typer(
    name="policykg",
    help="A knowledge graph of government policy measures (分工方案 / 责任分解方案).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Sub-modules register their commands on `app` when imported.
from policykg.cli import (  # noqa: E402,F401
    commands_analytics,
    commands_demo,
    commands_eval,
    commands_explore,
    commands_load,
    commands_parse,
    commands_query,
)


def main() -> None:
    try:
        app()
    except PolicykgError as error:
        typer.secho(f"Error: {error}", fg=typer.colors.RED, err=True)
        sys.exit(1)
