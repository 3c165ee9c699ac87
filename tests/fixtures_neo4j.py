"""Neo4j session fixtures: one real Neo4j 5.26 for the whole test session.

``NEO4J_URI`` in the environment points the tests at an existing server (no authentication,
or the server's own). Otherwise the session starts one from tools/neo4j (jars fetched by
`make neo4j-jars`) and stops it at the end. Without java or the jars the Neo4j tests skip
with the reason, except under ``CI=true``, where a missing Neo4j is a failure.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

SERVER_SCRIPT = Path(__file__).resolve().parent.parent / "tools" / "neo4j" / "server.py"


def load_neo4j_server_module() -> ModuleType:
    """Import tools/neo4j/server.py by path: tools/ is not a package and policykg must not depend on it."""
    name = "policykg_tools_neo4j_server"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SERVER_SCRIPT)
    if spec is None or spec.loader is None:
        raise ImportError(f"Cannot import {SERVER_SCRIPT}.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses resolve their module through sys.modules
    spec.loader.exec_module(module)
    return module


def skip_or_fail(reason: str) -> None:
    """Skip locally; under CI=true a Neo4j that cannot be had fails the test instead."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true requires Neo4j: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_uri(request: pytest.FixtureRequest) -> Iterator[str]:
    """Bolt URI of the session's Neo4j (no authentication when started here)."""
    external = os.environ.get("NEO4J_URI")
    if external:
        yield external
        return
    server = load_neo4j_server_module()
    try:
        # Generous: on a shared two-core machine under load, start-up has been seen to take over two minutes.
        running = server.start_neo4j(timeout=300)
    except server.Neo4jUnavailable as error:
        skip_or_fail(str(error))
        return
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is not None:  # the start-up time belongs in every run's output, captured or not
        with capture.global_and_fixture_disabled():
            print(f"\nNeo4j ready in {running.ready_seconds:.1f} s at {running.uri}")
    try:
        yield running.uri
    finally:
        running.stop()


@pytest.fixture(scope="session")
def neo4j_database() -> str:
    """The database the tests use: the default one of a community server."""
    return "neo4j"
