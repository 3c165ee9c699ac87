"""Errors meant for a person: each message is a sentence naming what went wrong and where.

The CLI prints ``str(error)`` and exits non-zero; the API maps them to its JSON error shape.

>>> str(InputError("The file is empty.", path="a.txt"))
'a.txt: The file is empty.'
>>> str(InputError("Unbalanced parenthesis.", path="a.txt", line=12))
'a.txt, line 12: Unbalanced parenthesis.'
"""

from __future__ import annotations


class PolicykgError(Exception):
    """Base of every error policykg raises on purpose."""


class InputError(PolicykgError):
    """A document could not be read or parsed; names the file and, where known, the line."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        where = path or ""
        if line is not None:
            where = f"{where}, line {line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)


class StoreError(PolicykgError):
    """A store refused an operation; nothing was changed."""


class StoreUnavailable(StoreError):
    """The store cannot be reached (server stopped, directory locked by another writer)."""


class NotFound(PolicykgError):
    """A named thing (agency, document, measure, query) does not exist."""
