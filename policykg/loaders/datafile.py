"""Reading the packaged TOML data files (agency registry, industry dictionary) with clear errors.

>>> data, entries = read_tables('[[thing]]\\nname = "a"\\n', "x.toml", "the list", "thing")
>>> entries
[{'name': 'a'}]
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from policykg.errors import InputError


def read_text(path: str | Path, what: str) -> str:
    """The UTF-8 text of a data file; ``what`` names it in errors ("The agency registry")."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{what} cannot be read ({exc.strerror}).", path=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} is not UTF-8 text.", path=str(path)) from exc


def read_tables(text: str, source: str, what: str, table: str) -> tuple[dict[str, Any], list[Any]]:
    """The parsed TOML and its non-empty ``[[table]]`` list, or an InputError naming ``source``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{what} is not valid TOML: {exc}.", path=source) from exc
    entries = data.get(table)
    if not isinstance(entries, list) or not entries:
        raise InputError(f"{what} has no [[{table}]] tables.", path=source)
    return data, entries
