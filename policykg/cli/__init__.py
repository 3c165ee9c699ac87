"""The ``policykg`` command: a thin layer over the library.

Each sub-module registers its commands on :data:`app`. Errors policykg raises on purpose
(:class:`~policykg.errors.PolicykgError`) are printed as one sentence and end the command with
exit status 1, in one place: :meth:`PolicykgGroup.invoke`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from typing import Any, NoReturn

import typer
from pydantic import ValidationError
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
        if param is not None and (getattr(param, "is_flag", False) or getattr(param, "count", False)):
            param.metavar = ""
    for sub in getattr(command, "commands", {}).values():
        flags_as_flags(sub)
    return command


def fail(message: str) -> NoReturn:
    """One red line on stderr and exit status 1: how every error policykg raises on purpose ends a command."""
    typer.secho(f"Error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


class PolicykgGroup(TyperGroup):
    """The ``policykg`` group: its help and its sub-commands' show flags as flags, and its
    sub-commands' deliberate errors end as one sentence (no traceback)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        flags_as_flags(self)
        return super().main(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PolicykgError as error:
            fail(str(error))
        except ValidationError as error:
            if error.title != "Settings":
                raise
            problem = error.errors()[0]
            name = "POLICYKG_" + "_".join(str(part) for part in problem["loc"]).upper()
            fail(f"The setting {name}={problem['input']!r} is not valid: {problem['msg']}.")


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
    verbose: int = typer.Option(
        0,
        "--verbose",
        "-v",
        count=True,
        show_default=False,
        help="Show what happens: -v info, -vv debug (default: POLICYKG_LOG_LEVEL).",
    ),
) -> None:
    """A knowledge graph of government policy measures (分工方案 / 责任分解方案)."""
    import logging.config

    from policykg.logs import level_for, logging_config
    from policykg.settings import Settings

    logging.config.dictConfig(logging_config(level_for(verbose, Settings().log_level)))


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
    app()
