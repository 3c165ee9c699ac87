"""Writes through the API: bearer token rules, upload limits, and the Zhejiang document loaded by upload.

After uploading the primary example, ``/agencies/省经信委/measures`` must give exactly the 22
measures it leads and the 48 it is named on (counted by hand from the document), on both engines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from test_api import assert_error

from policykg.api import create_app
from policykg.graph.store import GraphStore
from policykg.settings import Settings

EXAMPLES = Path(__file__).resolve().parent.parent / "policykg" / "examples"
ZHEJIANG = EXAMPLES / "2017-zhejiang-chuantong-zhizao-fenjie.txt"
TOKEN = "test-token-Ω"[:10]  # ASCII only: headers are latin-1
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def make_client(store: GraphStore, **settings: object) -> TestClient:
    return TestClient(create_app(Settings(**settings), store=store), raise_server_exceptions=False)  # type: ignore[arg-type]


@pytest.fixture
def writer(store: GraphStore) -> Iterator[TestClient]:
    with make_client(store, api_token=SecretStr(TOKEN), max_upload_bytes=200_000) as client:
        yield client


def upload(client: TestClient, path: Path, headers: dict[str, str] | None = None, name: str | None = None) -> object:
    with path.open("rb") as handle:
        return client.post("/documents", files={"file": (name or path.name, handle, "text/plain")}, headers=headers)


def test_upload_then_query_zhejiang(writer: TestClient) -> None:
    response = upload(writer, ZHEJIANG, AUTH)
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    report = response.json()["report"]  # type: ignore[attr-defined]
    [loaded] = report["documents"]
    assert loaded["measures"] == 62 and loaded["path"] == ZHEJIANG.name
    doc_id = loaded["doc_id"]
    lead = writer.get("/agencies/省经信委/measures", params={"role": "lead", "limit": 1000}).json()
    assert lead["count"] == 22 and {r["role"] for r in lead["rows"]} == {"lead"}
    assert writer.get("/agencies/省经信委/measures", params={"role": "any", "limit": 1000}).json()["count"] == 48
    profile = writer.get("/agencies/省环保局").json()["data"]
    assert profile["name"] == "省环保厅" and profile["full_name"] == "浙江省环境保护厅"
    assert [d["id"] for d in writer.get("/documents").json()["rows"]] == [doc_id]

    assert writer.delete(f"/documents/{doc_id}", headers=AUTH).json() == {"deleted": doc_id}
    assert writer.get("/agencies/省经信委/measures").json()["count"] == 0
    assert_error(writer.delete(f"/documents/{doc_id}", headers=AUTH), 404, doc_id)


def test_writes_need_the_right_token(writer: TestClient) -> None:
    error = assert_error(upload(writer, ZHEJIANG), 401, "Bearer")
    assert error["status"] == 401
    assert writer.post("/documents", files={"file": ("a.txt", b"x")}).headers["WWW-Authenticate"].startswith("Bearer")
    assert_error(upload(writer, ZHEJIANG, {"Authorization": "Bearer wrong"}), 401, "not the one")
    assert_error(upload(writer, ZHEJIANG, {"Authorization": f"Basic {TOKEN}"}), 401)
    assert_error(writer.delete("/documents/doc-x"), 401)
    assert_error(writer.delete("/documents/doc-x", headers={"Authorization": "Bearer nope"}), 401)
    assert writer.get("/healthz").json()["counts"]["Document"] == 0  # nothing was written


def test_without_a_configured_token_writes_are_disabled(store: GraphStore) -> None:
    with make_client(store) as client:
        assert_error(upload(client, ZHEJIANG, AUTH), 403, "disabled")
        assert_error(client.delete("/documents/doc-x", headers=AUTH), 403, "POLICYKG_API_TOKEN")


def test_upload_limits_and_kinds(writer: TestClient, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes("一、任务\n".encode() * 40_000)  # ~480 kB against a 200 kB limit
    assert_error(upload(writer, big, AUTH), 413, "limit")
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ...")
    assert_error(upload(writer, exe, AUTH), 415, ".txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    assert_error(upload(writer, empty, AUTH), 422, "empty")
    assert_error(writer.post("/documents", content=b"plain", headers=AUTH), 415, "multipart")
    assert_error(writer.post("/documents", files={"other": ("a.txt", b"x")}, headers=AUTH), 422, "file")
    # A hostile file name is reduced to a safe base name.
    response = upload(writer, ZHEJIANG, AUTH, name="../../etc/浙江 分解.txt")
    assert response.status_code == 201  # type: ignore[attr-defined]
    assert response.json()["loaded"] == "浙江_分解.txt"  # type: ignore[attr-defined]


def test_request_bodies_are_bounded(writer: TestClient) -> None:
    assert_error(writer.request("GET", "/agencies", content=b"x" * 100_000), 413, "limit")
    assert writer.request("GET", "/agencies", content=b"x" * 100).status_code == 200


def test_an_unreadable_document_is_422_and_writes_nothing(writer: TestClient, tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a zip archive at all")
    error = assert_error(upload(writer, broken, AUTH), 422, "broken.docx")
    assert error["param"] == "file" and "/tmp" not in error["detail"]
    assert writer.get("/healthz").json()["counts"]["Measure"] == 0


def test_a_streamed_upload_is_cut_off_at_the_limit(writer: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must be enforced while reading
        yield b'--X\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
        for _ in range(400):
            yield "一、任务\n".encode() * 100
        yield b"\r\n--X--\r\n"

    headers = {**AUTH, "Content-Type": "multipart/form-data; boundary=X"}
    response = writer.post("/documents", content=chunks(), headers=headers)
    assert response.request.headers.get("content-length") is None
    assert_error(response, 413, "limit")
    assert writer.get("/healthz").json()["counts"]["Document"] == 0


def test_a_malformed_multipart_body_is_400(writer: TestClient) -> None:
    response = writer.post("/documents", content=b"abc", headers={**AUTH, "Content-Type": "multipart/form-data"})
    assert assert_error(response, 400, "multipart")["param"] == "file"
