"""The API as a new user meets it: unknown query parameters refused by name, the workload as CSV
and filtered by level and kind, docs pages with no CDN, dates on /documents, and an upload
limit error that names the limit that was set.

Figures are counted by hand from the bundled Zhejiang document (省经信委 leads 22 measures and
supports 26) and from the central documents' closing dates (成文日期) as printed in them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from policykg.api import create_app
from policykg.graph.embedded import EmbeddedStore
from policykg.ingest import load_files
from policykg.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[1] / "policykg" / "examples"
ZHEJIANG = EXAMPLES / "2017-zhejiang-chuantong-zhizao-fenjie.txt"
GUOFA_2019_3 = EXAMPLES / "2019-guofa-3-zonghe-baoshuiqu.txt"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store_dir = tmp_path_factory.mktemp("api") / "store"
    with EmbeddedStore(store_dir) as store:
        report = load_files([ZHEJIANG, GUOFA_2019_3], store, progress=False)
        assert not report.failures
    settings = Settings(store_dir=store_dir, api_token=SecretStr("t0ken"), max_upload_bytes=100_000)
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("url", "params", "param"),
    [
        ("/agencies/省经信委/measures", {"rol": "lead"}, "rol"),
        ("/measures", {"q": "机器人", "agnecy": "省经信委"}, "agnecy"),
        ("/documents", {"yaer": "2017"}, "yaer"),
        ("/stats/workload", {"fromat": "csv"}, "fromat"),
        ("/healthz", {"verbose": "1"}, "verbose"),
    ],
)
def test_an_unknown_query_parameter_is_422_naming_it(
    client: TestClient, url: str, params: dict[str, str], param: str
) -> None:
    response = client.get(url, params=params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["param"] == param and param in error["detail"]


def test_a_misspelt_parameter_is_pointed_at_the_right_one(client: TestClient) -> None:
    error = client.get("/agencies/省经信委/measures", params={"rol": "lead"}).json()["error"]
    assert error["suggestions"] == ["role"] and "role" in error["allowed"]


def test_a_format_the_api_does_not_write_is_422_naming_format(client: TestClient) -> None:
    response = client.get("/agencies", params={"format": "xml"})
    assert response.status_code == 422 and response.json()["error"]["param"] == "format"


def test_stats_workload_as_csv(client: TestClient) -> None:
    response = client.get("/stats/workload", params={"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = {r["agency"]: r for r in csv.DictReader(io.StringIO(response.text))}
    assert (rows["省经信委"]["lead"], rows["省经信委"]["support"]) == ("22", "26")


def test_stats_workload_lists_busy_agencies_unless_all_and_filters_by_level_and_kind(client: TestClient) -> None:
    busy = client.get("/stats/workload").json()["rows"]
    everyone = client.get("/stats/workload", params={"all": "true"}).json()["rows"]
    assert all(r["measures"] > 0 for r in busy) and any(r["measures"] == 0 for r in everyone)
    central = client.get("/stats/workload", params={"level": "central"}).json()["rows"]
    assert central and {r["level"] for r in central} == {"central"} and "省经信委" not in {r["agency"] for r in central}
    collectives = client.get("/stats/workload", params={"kind": "collective", "all": "true"}).json()["rows"]
    assert collectives and all(r["level"] == "collective" for r in collectives)
    assert client.get("/stats/workload", params={"kind": "ministry"}).status_code == 422


def test_docs_and_redoc_load_nothing_from_other_hosts(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        sources = re.findall(r"""(?:src|href)=["']([^"']+)""", html)
        assert sources and all(s.startswith("/") for s in sources), sources
        for source in sources:
            assert client.get(source).status_code == 200, source


def test_documents_show_the_date_of_every_document_that_has_one(client: TestClient) -> None:
    rows = {r["doc_number"] or r["title"]: r for r in client.get("/documents").json()["rows"]}
    assert rows["国发〔2019〕3号"]["date"] == "2019-01-12"  # 国务院 2019年1月12日
    zhejiang = next(r for key, r in rows.items() if "浙江" in key)
    assert zhejiang["date"] == "2017-07-10"  # 印发 date of the Zhejiang notice


def test_an_upload_over_the_limit_names_the_limit_that_was_set(client: TestClient) -> None:
    body = ("一、任务\n" * 20_000).encode()  # 260 kB against POLICYKG_MAX_UPLOAD_BYTES=100000
    response = client.post(
        "/documents", files={"file": ("big.txt", body, "text/plain")}, headers={"Authorization": "Bearer t0ken"}
    )
    assert response.status_code == 413
    detail = response.json()["error"]["detail"]
    assert "100000" in detail and "165536" not in detail


def _header_params(name: str) -> dict[str, dict[str, str]]:
    """A query's parameters as its .cypher header declares them, read here from the file."""
    text = (Path(__file__).resolve().parents[1] / "policykg" / "queries" / "cypher" / f"{name}.cypher").read_text()
    found = {}
    for spec in re.findall(r"^// param: (.*)$", text, re.M):
        m = re.match(r"(\w+)\s*:\s*(\w+)(?:\{([^}]*)\}|\((-?\d*)\.\.(-?\d*)\))?(?:\s*=\s*([^—]*?))?\s*(?:—|$)", spec)
        assert m, spec
        found[m[1]] = {"type": m[2], "choices": m[3] or "", "min": m[4] or "", "max": m[5] or "", "default": m[6]}
    return found


def test_every_catalogue_route_takes_exactly_what_its_query_header_declares(client: TestClient) -> None:
    """One bound per parameter: a route's query-string parameters are its query's, with the
    header's bounds, choices and defaults (plus format, and jurisdiction where an agency is named)."""
    schema = client.get("/openapi.json").json()
    checked = 0
    for path, item in schema["paths"].items():
        operation = item.get("get", {})
        name = operation.get("x-query")
        if name is None:
            continue
        in_query = {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}
        in_path = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
        header = _header_params(name)
        assert in_query.pop("format")["enum"] == ["json", "csv", "html"], path
        if _pages_by_key(name):  # the opaque cursor stands for the key bounds after and upto
            assert in_query.pop("cursor")["anyOf"][0]["maxLength"] == 64, path
            header = {k: v for k, v in header.items() if k not in ("after", "upto")}
        in_query.pop("jurisdiction", None) if "jurisdiction" not in header else None
        assert set(in_query) == set(header) - _filled_by_path(path, in_path, header), path
        for param, schema_ in in_query.items():
            declared = header[param]
            assert str(schema_.get("minimum", "")) == declared["min"], (path, param)
            assert str(schema_.get("maximum", "")) == declared["max"], (path, param)
            assert "|".join(schema_.get("enum", [])) == declared["choices"], (path, param)
            if declared["default"] is not None:
                assert str(schema_["default"]).lower().replace("''", "") == declared["default"].strip("'"), param
        checked += 1
    assert checked >= 12


def _pages_by_key(name: str) -> bool:
    text = (Path(__file__).resolve().parents[1] / "policykg" / "queries" / "cypher" / f"{name}.cypher").read_text()
    return re.search(r"^// cursor: after$", text, re.M) is not None


def _filled_by_path(path: str, in_path: set[str], header: dict[str, dict[str, str]]) -> set[str]:
    """The header parameters a route fills from its path (agency_path: name → source, other → target)."""
    if "/path/" in path:
        return {"source", "target"}
    return {"id"} if in_path and "id" in header else in_path & set(header)


def test_an_agency_route_and_its_named_query_accept_the_same_values(client: TestClient) -> None:
    route = client.get("/agencies/省经信委/measures", params={"limit": 5000, "role": "lead"})
    named = client.get("/queries/agency_measures", params={"name": "省经信委", "limit": 5000, "role": "lead"})
    assert route.status_code == named.status_code == 200
    assert route.json()["rows"] == named.json()["rows"] and route.json()["count"] == 22
    for params in ({"limit": 10001}, {"role": "boss"}, {"offset": -1}):
        assert client.get("/agencies/省经信委/measures", params=params).status_code == 422, params
        assert client.get("/queries/agency_measures", params={"name": "省经信委", **params}).status_code == 422


def test_every_list_route_takes_format(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    listing = [
        path
        for path, item in schema["paths"].items()
        if "get" in item and any(p["name"] == "limit" for p in item["get"].get("parameters", []))
    ]
    assert "/agencies/{name}/measures" in listing and "/stats/workload" not in listing
    for path in [*listing, "/stats/workload"]:
        assert "format" in {p["name"] for p in schema["paths"][path]["get"]["parameters"]}, path
    csv_answer = client.get("/industries", params={"format": "csv", "limit": 2})
    assert csv_answer.status_code == 200 and csv_answer.headers["content-type"].startswith("text/csv")
