"""Failures answer in the one JSON error shape: 503 when the store cannot be reached, a plain 500 otherwise.

The unreachable stores are real: a Bolt port nobody listens on, an embedded store another
process holds for writing, and (slow) a Neo4j server stopped while the API runs. Only the
"unexpected bug" case uses a stand-in store, since a real one has no such bug to trigger.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from querygraph import load_querygraph
from test_api import assert_error

from policykg.api import create_app
from policykg.errors import StoreError
from policykg.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_unreachable_neo4j_is_503_not_a_crash() -> None:
    settings = Settings(backend="neo4j", neo4j_uri=f"bolt://127.0.0.1:{free_port()}")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:  # start-up survives
        for url in ("/agencies", "/agencies/省经信委/measures", "/healthz", "/queries/documents"):
            response = client.get(url)
            error = assert_error(response, 503, "unavailable")
            assert response.headers["Retry-After"]
            assert error["title"] == "Service Unavailable"
        assert client.get("/queries").status_code == 200  # the catalogue needs no store


def _hold_store(directory: Path) -> subprocess.Popen[str]:
    code = textwrap.dedent(
        f"""
        import sys, time
        from policykg.graph.embedded import EmbeddedStore
        store = EmbeddedStore({str(directory)!r})
        print("holding", flush=True)
        sys.stdin.readline()
        store.close()
        """
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    return holder


def test_embedded_store_held_by_another_process_is_503_until_released(tmp_path: Path) -> None:
    directory = tmp_path / "store"
    holder = _hold_store(directory)
    try:
        with TestClient(create_app(Settings(store_dir=directory)), raise_server_exceptions=False) as client:
            error = assert_error(client.get("/agencies"), 503, "in use by another process")
            assert str(tmp_path) not in error["detail"] and str(holder.pid) not in error["detail"]
            holder.communicate("\n", timeout=60)
            time.sleep(1.1)  # past the holder's retry pause
            assert client.get("/agencies").status_code == 200  # opened on the next request
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.communicate()


class BrokenStore:
    """A store with a bug: every read fails in a way no handler expects."""

    dialect = "embedded"
    slow_query_ms = None

    def __init__(self, error: Exception) -> None:
        self.error = error

    def execute_read(self, cypher: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        raise self.error

    def counts(self) -> dict[str, int]:
        raise self.error

    def version(self) -> str:
        return "0"

    def close(self) -> None:
        pass


def test_unexpected_error_is_a_plain_500_with_the_traceback_only_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(Settings(), store=BrokenStore(KeyError("secret internal detail")))  # type: ignore[arg-type]
    with (
        caplog.at_level(logging.ERROR, logger="policykg.api"),
        TestClient(app, raise_server_exceptions=False) as client,
    ):
        for url in ("/agencies", "/agencies/省经信委", "/healthz"):
            error = assert_error(client.get(url), 500, "unexpected problem")
            assert "secret" not in error["detail"]
        assert client.get("/queries").status_code == 200  # the server keeps serving
    assert any(record.exc_info for record in caplog.records), "the traceback is logged server-side"
    assert "secret internal detail" in caplog.text


def test_a_store_error_is_a_500_saying_so_with_its_detail_only_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    failure = StoreError("The store at /srv/secret/store cannot be opened: the query agency_workload failed.")
    app = create_app(Settings(), store=BrokenStore(failure))  # type: ignore[arg-type]
    with (
        caplog.at_level(logging.ERROR, logger="policykg.api"),
        TestClient(app, raise_server_exceptions=False) as client,
    ):
        error = assert_error(client.get("/agencies"), 500, "could not answer")
    assert "/srv/secret" not in error["detail"] and "agency_workload" not in error["detail"]
    assert "/srv/secret/store" in caplog.text


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_stopped_while_serving_is_503_and_recovers_once_back(tmp_path: Path) -> None:
    from fixtures_neo4j import load_neo4j_server_module, skip_or_fail

    from policykg.graph.neo4j_store import Neo4jStore

    server = load_neo4j_server_module()
    try:
        running = server.start_neo4j(tmp_path / "neo4j", port=free_port())
    except server.Neo4jUnavailable as error:
        skip_or_fail(str(error))
        return
    uri = running.uri
    port = int(uri.rsplit(":", 1)[1])
    store = Neo4jStore(uri, connection_timeout=2.0)
    load_querygraph(store)
    restarted = None
    try:
        with TestClient(create_app(Settings(), store=store), raise_server_exceptions=False) as client:
            assert client.get("/agencies/省经信委/measures").json()["count"] == 6
            running.stop()
            started = time.monotonic()
            assert_error(client.get("/agencies/省经信委/measures"), 503, "unavailable")
            assert time.monotonic() - started < 30, "a stopped server is noticed within the timeouts"
            restarted = server.start_neo4j(tmp_path / "neo4j", port=port)
            assert client.get("/agencies/省经信委/measures").json()["count"] == 6
    finally:
        store.close()
        running.stop()
        if restarted is not None:
            restarted.stop()
