"""Property-based: requests generated from the OpenAPI schema never get a 5xx (schemathesis 4).

Each operation of the schema (the API's own routes and those other modules add) gets
``MAX_EXAMPLES`` generated requests, run in-process (ASGI) against the embedded store holding
the hand-built graph. A write token is configured that the generator cannot know, so writes
are exercised up to their 401. Every 4xx must also carry the one JSON error shape.

(schemathesis's own pytest plugin does not run under pytest 9, so each operation's
hypothesis strategy is driven directly.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from pydantic import SecretStr
from querygraph import load_querygraph
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err

from policykg.api import create_app
from policykg.graph.embedded import EmbeddedStore
from policykg.settings import Settings

MAX_EXAMPLES = 30
# Every operation of the schema, the API's own and those other modules add (stats, charts, explorer).


def operations(app: FastAPI) -> dict[str, Any]:
    """The schema's operations by label; a part of the schema schemathesis cannot read fails here."""
    found: dict[str, Any] = {}
    for result in schemathesis.openapi.from_asgi("/openapi.json", app).get_all_operations():
        if isinstance(result, Err):
            raise AssertionError(f"The OpenAPI schema has an unreadable operation: {result.err()}")
        operation = result.ok()
        found[operation.label] = operation
    return found


OPERATIONS = sorted(operations(create_app(Settings())))


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    store = EmbeddedStore(tmp_path / "store")
    load_querygraph(store)
    token = SecretStr("not-guessable-" + tmp_path.name)
    settings_ = Settings(api_token=token, max_upload_bytes=100_000, explorer_dir=tmp_path / "explorer")
    yield create_app(settings_, store=store)
    store.close()


@pytest.mark.parametrize("label", OPERATIONS)
def test_generated_requests_never_get_a_server_error(app: FastAPI, label: str) -> None:
    operation = operations(app)[label]

    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: schemathesis.Case) -> None:
        response = case.call()
        request = f"{case.method} {case.formatted_path} {case.query or ''}"
        summary = f"{request} → {response.status_code}: {response.content[:300]!r}"
        assert response.status_code < 500, summary
        if response.status_code >= 400:
            error = response.json()["error"]  # the one error shape, whatever went wrong
            assert error["status"] == response.status_code and error["detail"], summary
        case.validate_response(response, checks=[not_a_server_error])

    check()
