"""Generated requests over the whole API on Neo4j with the real example corpus: never a 5xx.

tests/test_api_schemathesis.py drives every operation against the embedded store holding a
small hand-built graph. This extends it to the other engine and to real data: the five
example documents loaded into the session's Neo4j, so generated agency names, document ids
and paging parameters meet real rows, Neo4j's Cypher and its error paths.
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
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err

from policykg.api import create_app
from policykg.graph.store import GraphStore
from policykg.ingest import load_files
from policykg.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[1] / "policykg" / "examples"
MAX_EXAMPLES = 5  # per operation: Neo4j answers in tens of ms, and the suite has a time budget

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def _operations(app: FastAPI) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for result in schemathesis.openapi.from_asgi("/openapi.json", app).get_all_operations():
        if isinstance(result, Err):
            raise AssertionError(f"The OpenAPI schema has an unreadable operation: {result.err()}")
        found[result.ok().label] = result.ok()
    return found


OPERATIONS = sorted(_operations(create_app(Settings())))


@pytest.fixture(scope="module")
def corpus_on_neo4j(neo4j_uri: str) -> Iterator[GraphStore]:
    from policykg.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(neo4j_uri)
    store.clear()
    report = load_files(sorted(EXAMPLES.glob("*.txt")), store, progress=False)
    assert len(report.documents) == 5, report.summary()
    yield store
    store.clear()
    store.close()


@pytest.fixture
def app(corpus_on_neo4j: GraphStore, tmp_path: Path) -> FastAPI:
    settings_ = Settings(
        api_token=SecretStr("not-guessable-" + tmp_path.name), max_upload_bytes=100_000, explorer_dir=tmp_path / "x"
    )
    return create_app(settings_, store=corpus_on_neo4j)


@pytest.mark.parametrize("label", OPERATIONS)
def test_generated_requests_on_neo4j_never_get_a_server_error(app: FastAPI, label: str) -> None:
    operation = _operations(app)[label]

    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: schemathesis.Case) -> None:
        response = case.call()
        summary = f"{case.method} {case.formatted_path} {case.query or ''} → {response.status_code}: "
        summary += repr(response.content[:300])
        assert response.status_code < 500, summary
        if response.status_code >= 400:
            error = response.json()["error"]
            assert error["status"] == response.status_code and error["detail"], summary
        case.validate_response(response, checks=[not_a_server_error])

    check()
