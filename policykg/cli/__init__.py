"""The ``policykg`` command: a thin layer over the library.

Each sub-module registers its commands on :data:`app`; errors policykg raises on purpose
are printed as one sentence and end the command with exit status 1.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from typing import Any

import typer
from typer.core import TyperGroup

from policykg.errors import PolicykgError


def flags_as_flags(command: Any) -> Any:
    """Show on/off options as bare flags in help (``--json``, not ``--json <bool>``), in every sub-command.

    typer's rich help prints a type after every option, a flag's included, though a flag takes
    no value; an empty metavar leaves the type column blank. ``--help`` is made on first use,
    so it is made here (and cached by the command) to be changed too.
    """
    help_option = command.get_help_option(typer.Context(command))
    for param in [*command.params, help_option]:
        if param is not None and getattr(param, "is_flag", False):
            param.metavar = ""
    for sub in getattr(command, "commands", {}).values():
        flags_as_flags(sub)
    return command


class PolicykgGroup(TyperGroup):
    """The ``policykg`` group: its help and its sub-commands' show flags as flags."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        flags_as_flags(self)
        return super().main(*args, **kwargs)


app = typer.Typer(
    name="policykg",
    cls=PolicykgGroup,
    help="A knowledge graph of government policy measures (分工方案 / 责任分解方案).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def installed_version() -> str:
    """The installed policykg's version (pyproject.toml's), or "unknown" when run from a bare tree.

    >>> installed_version().count(".") >= 1 or installed_version() == "unknown"
    True
    """
    try:
        return package_version("policykg")
    except PackageNotFoundError:
        return "unknown"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"policykg {installed_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """A knowledge graph of government policy measures (分工方案 / 责任分解方案)."""


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
