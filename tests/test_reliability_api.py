"""The API as a real server (uvicorn in a subprocess, embedded store) under load, oversized input and hostile text.

* Under a bounded loopback load — uploads of two versions of one document through
  ``POST /documents`` while reader threads hammer ``/documents/{id}`` and
  ``/agencies/{name}/measures`` — every answer is a 200 and every read sees one whole
  version, never half of one.
* Oversized uploads get 413 and oversized query strings a 4xx in the error shape (422 from
  the API, or the HTTP server's own refusal for request lines it will not buffer), never a 5xx.
* A measure holding ``<script>alert(document.domain)</script>``, uploaded through the API, shows as text on
  every page the API serves: ``?format=html`` tables, ``/agencies/{name}/graph.html`` and
  the ``/explorer/`` site (the static site alone is covered in tests/test_explorer_browser.py).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from synth import PlannedDocument, generate_document

TOKEN = "reliability-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SERVER = (
    "import sys, uvicorn; from policykg.api import create_app; "
    "uvicorn.run(create_app(), host='127.0.0.1', port=int(sys.argv[1]), log_level='warning')"
)

pytestmark = pytest.mark.timeout(300)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]


@contextlib.contextmanager
def serve(tmp_path: Path, **extra_env: str) -> Iterator[Server]:
    """uvicorn serving an empty embedded store, writes enabled, uploads up to 300 kB (``extra_env`` on top)."""
    port = _free_port()
    tmp_path.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "POLICYKG_BACKEND": "embedded",
        "POLICYKG_STORE_DIR": str(tmp_path / "store"),
        "POLICYKG_EXPLORER_DIR": str(tmp_path / "explorer"),
        "POLICYKG_API_TOKEN": TOKEN,
        "POLICYKG_MAX_UPLOAD_BYTES": "300000",
        **extra_env,
    }
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code in (200, 503):
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the API did not start: {(tmp_path / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
        yield Server(base, process)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """uvicorn serving an empty embedded store, writes enabled, uploads up to 300 kB."""
    with serve(tmp_path) as running:
        yield running


def _upload(client: httpx.Client, base: str, name: str, text: str) -> httpx.Response:
    return client.post(
        f"{base}/documents", files={"file": (name, text.encode("utf-8"), "text/plain")}, headers=AUTH, timeout=120
    )


def _agency_rows(planned: PlannedDocument) -> Counter[str]:
    """Rows /agencies/{name}/measures?doc_id= gives per agency: one per measure naming it."""
    return Counter(unit for measure in planned.measures for unit in measure.units)


@pytest.mark.slow
def test_reads_under_concurrent_uploads_see_one_whole_version(server: Server) -> None:
    small = generate_document(3, measures=30, seed=1)
    large = generate_document(3, measures=45, seed=2)  # the same 文号: a new version of the same document
    assert small.doc_number == large.doc_number
    with httpx.Client() as client:
        first = _upload(client, server.base, "v1.txt", small.text)
        assert first.status_code == 201, first.text
        doc_id = first.json()["report"]["documents"][0]["doc_id"]
    versions = {small.measure_count: "small", large.measure_count: "large"}
    per_agency = {name: {_agency_rows(small)[name], _agency_rows(large)[name]} for name in _agency_rows(small)}
    watched = sorted(per_agency, key=lambda name: -len(per_agency[name]))[:3]  # agencies whose count changes

    stop = time.monotonic() + 20
    problems: list[str] = []
    reads = Counter[str]()
    writes = Counter[str]()

    def writer() -> None:
        with httpx.Client() as client:
            while time.monotonic() < stop:
                for name, planned in (("v2.txt", large), ("v1.txt", small)):
                    response = _upload(client, server.base, name, planned.text)
                    if response.status_code != 201:
                        problems.append(f"upload {name}: {response.status_code} {response.text[:200]}")
                    writes[name] += 1

    def reader(index: int) -> None:
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < stop:
                response = client.get(f"{server.base}/documents/{doc_id}")
                if response.status_code != 200:
                    problems.append(f"GET /documents: {response.status_code} {response.text[:200]}")
                    continue
                measures = response.json()["data"]["measures"]
                if measures not in versions:
                    problems.append(f"/documents/{doc_id} showed {measures} measures, neither version")
                reads["document"] += 1
                name = watched[index % len(watched)]
                response = client.get(
                    f"{server.base}/agencies/{quote(name)}/measures", params={"doc_id": doc_id, "limit": 1000}
                )
                if response.status_code != 200:
                    problems.append(f"GET /agencies/{name}/measures: {response.status_code} {response.text[:200]}")
                    continue
                rows = len(response.json()["rows"])
                if rows not in per_agency[name]:
                    problems.append(f"{name} had {rows} measures in the document, not one of {per_agency[name]}")
                reads["agency"] += 1

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=200)
    assert not problems, problems[:5]
    assert sum(writes.values()) >= 4, writes
    assert reads["document"] >= 20 and reads["agency"] >= 20, reads


def test_oversized_upload_is_413(server: Server) -> None:
    body = ("1.推进改造。（责任单位：省经信委）\n" * 20_000).encode("utf-8")  # about 0.8 MB, limit 300 kB
    response = httpx.post(
        f"{server.base}/documents", files={"file": ("big.txt", body, "text/plain")}, headers=AUTH, timeout=60
    )
    assert response.status_code == 413
    assert "limit" in response.json()["error"]["detail"]
    assert httpx.get(f"{server.base}/documents", timeout=30).json()["rows"] == []


def test_oversized_query_strings_are_refused_without_a_server_error(server: Server) -> None:
    for value in ("省" * 1_000, "省" * 7_000, "x" * 60_000):
        response = httpx.get(f"{server.base}/agencies", params={"q": value}, timeout=30)
        assert response.status_code in (414, 422), response.text[:200]
        assert response.json()["error"]["status"] == response.status_code
    # Past what the HTTP server buffers, it refuses the request line itself (h11: 400), still no 5xx.
    for size in (200_000, 2_000_000):
        with socket.create_connection(("127.0.0.1", int(server.base.rsplit(":", 1)[1])), timeout=30) as sock:
            # The server may stop reading early: what it answered is still in the buffer.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                sock.sendall(b"GET /agencies?q=" + b"x" * size + b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            answer = b""
            try:
                while chunk := sock.recv(65536):
                    answer += chunk
            except ConnectionResetError:
                pass
        status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None
        assert status in (400, 413, 414, 431), answer[:200]
    assert httpx.get(f"{server.base}/healthz", timeout=30).status_code == 200


# No "(1)" in the payload: the parser reads a run-on "(1)" after "1." as the next numbered item.
XSS = "<script>alert(document.domain)</script>"


@pytest.mark.browser
def test_hostile_measure_text_is_shown_as_text_on_pages_the_api_serves(server: Server, browser: Any) -> None:
    text = (
        "浙江省测试任务分工方案\n浙测〔2020〕1号\n\n一、主要任务\n\n"
        f"1.推进企业技术改造{XSS}，支持设备更新。（责任单位：省经信委、省科技厅，列第一位者为牵头单位，以下同）\n"
        "2.建设平台。（责任单位：省科技厅）\n"
    )
    with httpx.Client() as client:
        assert _upload(client, server.base, "xss.txt", text).status_code == 201
    agency = quote("省经信委")
    pages = [
        f"{server.base}/agencies/{agency}/measures?format=html",
        f"{server.base}/agencies/{agency}/graph.html",
        f"{server.base}/explorer/",
    ]
    for url in pages:
        raw = httpx.get(url, timeout=120)
        assert raw.status_code == 200, (url, raw.status_code)
        assert XSS not in raw.text, f"{url} carries the clause's script tag unescaped"
    page = browser.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        injected = "[...document.scripts].some(s => s.textContent.trim() === 'alert(document.domain)')"
        for url in pages:
            page.goto(url, wait_until="load")
            if url != pages[2]:  # the site's index lists agencies, not clauses
                assert XSS in page.locator("body").inner_text(), url
            assert page.evaluate(injected) is False, url
    finally:
        page.close()
    assert dialogs == [], f"a script from a measure ran: {dialogs}"
