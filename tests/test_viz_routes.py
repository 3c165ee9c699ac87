"""The explorer through the API: the static site under /explorer/ and /agencies/{name}/graph.html."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fixtures_stores import load_sample

from policykg.api.app import create_app
from policykg.graph.store import GraphStore
from policykg.settings import Settings
from policykg.viz.filenames import agency_page


@pytest.fixture
def client(embedded_store: GraphStore, tmp_path: Path) -> Iterator[TestClient]:
    load_sample(embedded_store)
    app = create_app(Settings(explorer_dir=tmp_path / "explorer"), store=embedded_store)
    with TestClient(app) as test_client:
        yield test_client


def test_explorer_site_is_built_on_first_request_and_served(client: TestClient, tmp_path: Path) -> None:
    assert not (tmp_path / "explorer").exists()
    redirect = client.get("/explorer", follow_redirects=False)
    assert redirect.status_code == 308 and redirect.headers["location"] == "/explorer/"
    index = client.get("/explorer/")
    assert index.status_code == 200 and index.headers["content-type"].startswith("text/html")
    assert "省发展改革委" in index.text
    assert (tmp_path / "explorer" / "index.html").is_file()
    script = client.get("/explorer/assets/vis-network.min.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    page = client.get("/explorer/" + agency_page("某某办"))
    assert page.status_code == 200 and "<h1>某某办</h1>" in page.text


@pytest.mark.parametrize(
    "path", ["/explorer/%2e%2e/%2e%2e/etc/passwd", "/explorer/..%2f..%2fetc%2fpasswd", "/explorer/nope.html"]
)
def test_nothing_outside_the_site_is_served(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "root:" not in response.text


def test_agency_graph_page_is_self_contained_and_resolves_aliases(client: TestClient) -> None:
    response = client.get("/agencies/经信委/graph.html")  # an alias of 省经信委 in the sample registry
    assert response.status_code == 200
    html = response.text
    assert "<h1>省经信委</h1>" in html
    assert "<script src=" not in html and '<link rel="stylesheet"' not in html  # everything inlined
    assert 'href="/explorer/index.html"' in html


def test_agency_graph_page_escapes_clause_text(client: TestClient) -> None:
    html = client.get("/agencies/省科技厅/graph.html").text
    assert "It&#39;s a &#34;quoted&#34; value&#39;}) DETACH DELETE n //" in html


def test_unknown_agency_is_a_404_with_suggestions(client: TestClient) -> None:
    response = client.get("/agencies/省经信/graph.html")
    assert response.status_code == 404
    assert "省经信委" in response.text
