"""Answers tied to the store version: ETag and 304, a new ETag after any write (also one made by
another process), and `policykg serve --workers N` serving reads from read-only workers beside
one writing process, refusing uploads itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fixtures_stores import load_sample, sample_document_a, sample_document_b
from pydantic import SecretStr
from test_api_writes import AUTH, TOKEN, ZHEJIANG, make_client, upload

from policykg.graph.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
PAGE = "/agencies/省经信委/measures"


def test_reads_carry_an_etag_and_a_matching_one_is_304(store: GraphStore) -> None:
    load_sample(store)
    with make_client(store) as client:
        first = client.get(PAGE)
        assert first.status_code == 200 and first.headers["cache-control"] == "no-cache"
        etag = first.headers["etag"]
        again = client.get(PAGE, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
        assert client.get(PAGE, headers={"If-None-Match": '"something-else"'}).status_code == 200
        # another request, another answer: its own tag
        assert client.get(PAGE, params={"role": "lead"}).headers["etag"] != etag
        assert "etag" not in client.get("/healthz").headers


def test_a_write_by_anyone_gives_new_etags_and_fresh_rows(store: GraphStore) -> None:
    load_sample(store, sample_document_a())
    with make_client(store, api_token=SecretStr(TOKEN)) as client:
        before = client.get("/documents")
        assert before.json()["count"] == 1
        etag = before.headers["etag"]
        # written straight to the store, not through this app (as `policykg load` would)
        load_sample(store, sample_document_b())
        after = client.get("/documents", headers={"If-None-Match": etag})
        assert after.status_code == 200 and after.json()["count"] == 2
        assert after.headers["etag"] != etag
        etag = after.headers["etag"]
        assert upload(client, ZHEJIANG, AUTH).status_code == 201  # type: ignore[attr-defined]
        third = client.get("/documents", headers={"If-None-Match": etag})
        assert third.status_code == 200 and third.json()["count"] == 3


def _serve(directory: Path, port: int, workers: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "POLICYKG_API_TOKEN": TOKEN}
    command = [sys.executable, "-m", "policykg", "serve", "--store", str(directory), "--port", str(port)]
    return subprocess.Popen(
        [*command, "--workers", str(workers), "--log-level", "warning"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_workers_serve_reads_beside_one_writer_and_refuse_uploads(tmp_path: Path) -> None:
    from policykg.graph.embedded import EmbeddedStore

    directory = tmp_path / "store"
    with EmbeddedStore(directory) as store:
        load_sample(store, sample_document_a())
    port = _free_port()
    server = _serve(directory, port, workers=2)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"the server did not come up: {server.communicate()[1][-2000:]}")
            time.sleep(0.3)
        with httpx.Client(base_url=base, timeout=30) as client:
            answers = [client.get("/documents") for _ in range(8)]  # spread over both workers
            assert {a.status_code for a in answers} == {200}
            assert {a.json()["count"] for a in answers} == {1}
            assert len({a.headers["etag"] for a in answers}) == 1  # the same tag from every worker
            with ZHEJIANG.open("rb") as handle:
                refused = client.post("/documents", files={"file": (ZHEJIANG.name, handle)}, headers=AUTH)
            assert refused.status_code == 403 and "policykg load" in refused.json()["error"]["detail"]
            # One writer beside the workers (as `policykg load` is): every worker then reads the new data.
            with EmbeddedStore(directory) as writer:
                load_sample(writer, sample_document_b())
            fresh = [client.get("/documents", headers={"If-None-Match": answers[0].headers["etag"]}) for _ in range(8)]
            assert {a.status_code for a in fresh} == {200}
            assert {a.json()["count"] for a in fresh} == {2}
    finally:
        server.terminate()
        server.communicate(timeout=30)
