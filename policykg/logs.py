"""How policykg's log records are shown: one line each on stderr.

Library code only emits records (``logging.getLogger("policykg.…")``: recovery after a crash,
skipped files, slow queries); the CLI configures the ``policykg`` logger with this module
(``-v``/``-vv`` or ``POLICYKG_LOG_LEVEL``), and ``policykg serve`` hands uvicorn the same
configuration merged into uvicorn's own. Nothing here runs on import.

>>> config = logging_config("info", uvicorn_level="warning")
>>> config["loggers"]["policykg"]["level"], config["loggers"]["uvicorn.error"]["level"]
('INFO', 'WARNING')
"""

from __future__ import annotations

import copy
import logging
import sys
from typing import Any, TextIO

LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"
LEVELS = ("debug", "info", "warning", "error")


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is when a record arrives (test runners and servers swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass  # always the current sys.stderr


def level_for(verbose: int, configured: str) -> str:
    """The ``policykg`` logger's level: the configured one, ``-v`` info, ``-vv`` debug.

    >>> level_for(0, "warning"), level_for(1, "warning"), level_for(2, "warning"), level_for(0, "error")
    ('WARNING', 'INFO', 'DEBUG', 'ERROR')
    """
    if verbose >= 2:
        return "DEBUG"
    if verbose == 1:
        return "INFO"
    return configured.upper()


def logging_config(level: str, *, uvicorn_level: str | None = None) -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` dictionary for the ``policykg`` logger at ``level``;
    with ``uvicorn_level``, merged into uvicorn's own configuration (its loggers at that level)."""
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"policykg": {"format": LOG_FORMAT}},
        "handlers": {"policykg": {"()": StderrHandler, "formatter": "policykg"}},
        # Records also propagate, so a handler on the root logger (a test's, an application's) sees them.
        "loggers": {"policykg": {"handlers": ["policykg"], "level": level.upper(), "propagate": True}},
    }
    if uvicorn_level is None:
        return config
    from uvicorn.config import LOGGING_CONFIG

    merged = copy.deepcopy(LOGGING_CONFIG)
    for key in ("formatters", "handlers", "loggers"):
        merged.setdefault(key, {}).update(config[key])
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        if name in merged["loggers"]:
            merged["loggers"][name]["level"] = uvicorn_level.upper()
    return merged
