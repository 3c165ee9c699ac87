"""Serving the API from the CLI: the port is taken before anything is announced.

``policykg demo`` and ``policykg serve`` bind their socket first, so a busy port is one
sentence and exit status 1 before any loading, and "API on http://…" is printed only once
the address is really ours.

>>> sock = bind_port("127.0.0.1", 0)
>>> sock.getsockname()[1] > 0
True
>>> sock.listen()  # as uvicorn does once the app has started
>>> try:
...     bind_port("127.0.0.1", sock.getsockname()[1])
... except ServeError as error:
...     "is in use" in str(error)
True
>>> sock.close()
"""

from __future__ import annotations

import logging
import socket
from typing import Any

from policykg.errors import PolicykgError
from policykg.settings import Settings


class ServeError(PolicykgError):
    """The API cannot listen where it was asked to."""


def bind_port(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port``, or a ServeError saying why not.

    It does not listen yet: uvicorn listens once the app has started, so a client is refused
    (and retries) rather than kept waiting while the store opens.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise ServeError(f"{host} is not an address this machine can listen on ({error.strerror}).") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        if error.errno in (98, 48):  # EADDRINUSE on Linux, macOS
            raise ServeError(
                f"Port {port} on {host} is in use by another program; choose another with --port "
                f"(make demo PORT={port + 1})."
            ) from None
        raise ServeError(f"Cannot listen on {host}:{port} ({error.strerror}).") from None
    sock.set_inheritable(True)
    return sock


def serve_on(sock: socket.socket, app: Any, *, log_level: str = "warning") -> None:
    """Run uvicorn on an already bound socket until interrupted; policykg's own records keep the
    level the command line set (``-v``, ``POLICYKG_LOG_LEVEL``), uvicorn's take ``log_level``."""
    import uvicorn

    from policykg.logs import logging_config

    host, port = sock.getsockname()[:2]
    ours = logging.getLevelName(logging.getLogger("policykg").getEffectiveLevel())
    config = logging_config(ours, uvicorn_level=log_level)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level=log_level, log_config=config))
    server.run(sockets=[sock])


def serve_workers(sock: socket.socket, settings: Settings, workers: int, *, log_level: str = "warning") -> None:
    """Run ``workers`` uvicorn processes on an already bound socket, each making its own app.

    The workers are fresh processes: they read their settings from the environment, so the
    chosen ones are put there first.
    """
    import os

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    os.environ.update(settings_environment(settings))
    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        "policykg.api:create_app", factory=True, host=host, port=port, workers=workers, log_level=log_level
    )
    Multiprocess(config, sockets=[sock]).run()


def settings_environment(settings: Settings) -> dict[str, str]:
    """The ``POLICYKG_*`` variables that give a worker process the same store and choices.

    >>> from pathlib import Path
    >>> settings_environment(Settings(store_dir=Path("s"), read_only=True))["POLICYKG_READ_ONLY"]
    'true'
    """
    return {
        "POLICYKG_BACKEND": settings.backend,
        "POLICYKG_STORE_DIR": str(settings.store_dir),
        "POLICYKG_NEO4J_URI": settings.neo4j_uri,
        "POLICYKG_READ_ONLY": "true" if settings.read_only else "false",
    }
