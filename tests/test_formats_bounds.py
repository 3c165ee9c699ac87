"""Bounded reading of every input (issue 14, items 1–3; issue 17's bounds).

* A .docx whose ``document.xml`` expands to 2 GiB, uploaded to a real server (uvicorn in a
  subprocess), is refused with a 422 naming the limit while the server's memory stays under 1 GB.
* A .docx of 20,000 empty paragraphs reads in under 10× the time of a normal document (a ratio
  measured in the same test, never a wall-clock constant).
* 100,000 nested HTML elements read like the same elements side by side (no RecursionError).
* Entry count, element count, cells, pages, OCR pages and the time budget each give a sentence
  naming the file and the limit.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from formats_render import empty_paragraphs_body, nested_html, to_docx, word_package

from policykg.errors import InputError
from policykg.loaders import parse_file
from policykg.loaders.limits import ReadLimits
from policykg.loaders.reading import read_bytes, read_path

EXAMPLES = Path(__file__).resolve().parents[1] / "policykg" / "examples"
ZHEJIANG = EXAMPLES / "2017-zhejiang-chuantong-zhizao-fenjie.txt"
TOKEN = "bounds-token"
SERVER = (
    "import sys, uvicorn; from policykg.api import create_app; "
    "uvicorn.run(create_app(), host='127.0.0.1', port=int(sys.argv[1]), log_level='warning')"
)
GIB = 1024**3

pytestmark = pytest.mark.timeout(600)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, psutil.Process]]:
    port = _free_port()
    env = {
        **os.environ,
        "POLICYKG_BACKEND": "embedded",
        "POLICYKG_STORE_DIR": str(tmp_path / "store"),
        "POLICYKG_EXPLORER_DIR": str(tmp_path / "explorer"),
        "POLICYKG_API_TOKEN": TOKEN,
    }
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            pytest.fail("the server did not start: " + (tmp_path / "server.log").read_text(errors="replace"))
        yield base, psutil.Process(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_docx_expanding_to_2_gib_is_refused_with_server_memory_under_1_gb(server: tuple[str, psutil.Process]) -> None:
    base, process = server
    bomb = word_package(stream_bytes=2 * GIB)
    assert len(bomb) < 20 * 1024 * 1024  # under the upload limit: only the unpacked size is hostile
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo("word/document.xml").file_size >= 2 * GIB
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            rss = process.memory_info().rss + sum(c.memory_info().rss for c in process.children(recursive=True))
            peak = max(peak, rss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        responses = []
        for _ in range(2):  # twice: the first refusal leaves nothing behind
            responses.append(
                httpx.post(
                    f"{base}/documents",
                    files={"file": ("bomb.docx", bomb)},
                    headers={"Authorization": f"Bearer {TOKEN}"},
                    timeout=120,
                )
            )
    finally:
        done.set()
        sampler.join()
    for response in responses:
        assert response.status_code == 422, response.text
        message = response.json()["error"]["detail"]
        assert "bomb.docx" in message and "unpacks to" in message and "limit" in message
    assert peak < GIB, f"server memory peaked at {peak / 2**20:.0f} MiB"


def test_20k_empty_paragraphs_read_as_the_one_clause_after_them(tmp_path: Path) -> None:
    """The time they take against a normal document is bench/bench_bounds.py's ratio."""
    empty = tmp_path / "empty.docx"
    empty.write_bytes(word_package(empty_paragraphs_body(20_000)))
    assert len(empty.read_bytes()) < 64 * 1024
    parsed = parse_file(empty)
    assert [m.text for m in parsed.measures] == ["1.建设平台。（责任单位：省科技厅）"]
    assert [(a.as_written, a.role) for a in parsed.measures[0].assignments] == [("省科技厅", "joint")]


def test_deeply_nested_html_is_refused_and_moderate_nesting_reads() -> None:
    """100,000 nested elements are refused before the HTML parser (whose cost grows with the
    square of the depth) sees them; 1,500 levels (past the old RecursionError) read like the
    same text flat. How fast the refusal is, against reading as many flat elements, is
    bench/bench_bounds.py's ratio."""
    text = "1.建设平台。（责任单位：省科技厅）"
    flat, deep = nested_html(text, 100_000)
    assert read_bytes(flat, source="page.html", suffix=".html").text == text
    with pytest.raises(InputError, match=r"^page\.html: The HTML nests elements 100,000 deep, more than the limit"):
        read_bytes(deep, source="page.html", suffix=".html")
    middle = ("<div>" * 1500 + f"<p>{text}</p>" + "</div>" * 1500).encode()
    assert read_bytes(middle, source="page.html", suffix=".html").text == text


def test_limits_name_the_file_and_the_limit(tmp_path: Path) -> None:
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for i in range(30):
            archive.writestr(f"customXml/item{i}.xml", "<a/>")
    with pytest.raises(InputError, match=r"^m\.docx: The document has 31 zip entries, more than the limit of 20"):
        read_bytes(many.getvalue(), source="m.docx", limits=ReadLimits(max_entries=20))
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = f'<w:document xmlns:w="{ns}"><w:body>{"<w:p/>" * 5000}</w:body></w:document>'.encode()
    with pytest.raises(
        InputError, match=r"^e\.docx: The document has 5,00\d XML elements, more than the limit of 1,000"
    ):
        read_bytes(word_package(body), source="e.docx", limits=ReadLimits(max_elements=1000))
    with pytest.raises(
        InputError, match=r"^h\.html: The document has 4,096 XML elements, more than the limit of 4,000"
    ):
        read_bytes(b"<div></div>" * 10_000, source="h.html", suffix=".html", limits=ReadLimits(max_elements=4000))
    docx = to_docx(ZHEJIANG.read_text(encoding="utf-8"), tmp_path / "zj.docx")
    with pytest.raises(InputError, match=r"zj\.docx: Reading the document took longer than the time budget of 1e-06 s"):
        read_path(docx, limits=ReadLimits(time_budget_s=1e-6))


def test_spreadsheet_cell_limit(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for r in range(1, 201):
        sheet.append([str(r), "任务", "省科技厅"])
    book.save(tmp_path / "big.xlsx")
    with pytest.raises(InputError, match=r"big\.xlsx: The document has 600 cells, more than the limit of 500 cells"):
        read_path(tmp_path / "big.xlsx", limits=ReadLimits(max_cells=500))


def test_pdf_page_limit_and_ocr_switch(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    pages = []
    for i in range(3):
        image = Image.new("L", (400, 560), 255)
        ImageDraw.Draw(image).rectangle((40, 40 + i * 10, 300, 60 + i * 10), fill=0)
        pages.append(image)
    pages[0].save(tmp_path / "scan.pdf", save_all=True, append_images=pages[1:], resolution=72)
    with pytest.raises(InputError, match=r"scan\.pdf: The document has 3 pages, more than the limit of 2 pages"):
        read_path(tmp_path / "scan.pdf", limits=ReadLimits(max_pages=2))
    with pytest.raises(InputError, match=r"scan\.pdf: The PDF has 3 pages with no text layer .* OCR limit of 1 pages"):
        read_path(tmp_path / "scan.pdf", limits=ReadLimits(ocr_max_pages=1))
    with pytest.raises(
        InputError, match=r"scan\.pdf: The PDF has no text layer \(it is a scan\) and OCR is switched off"
    ):
        read_path(tmp_path / "scan.pdf", limits=ReadLimits(ocr=False))


def test_ofd_is_refused_with_advice(tmp_path: Path) -> None:
    ofd = io.BytesIO()
    with zipfile.ZipFile(ofd, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
        archive.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    (tmp_path / "notice.ofd").write_bytes(ofd.getvalue())
    with pytest.raises(InputError, match=r"notice\.ofd: The file is an OFD document.*save or print it as PDF"):
        parse_file(tmp_path / "notice.ofd")


def test_upload_is_read_by_content_and_ofd_gets_advice(tmp_path: Path) -> None:
    """POST /documents: a .docx sent without a suffix is loaded as Word; an OFD is refused with
    what to do instead."""
    from fastapi.testclient import TestClient

    from policykg.api import create_app
    from policykg.settings import Settings

    settings = Settings(store_dir=tmp_path / "store", explorer_dir=tmp_path / "explorer", api_token=TOKEN)
    docx = to_docx(ZHEJIANG.read_text(encoding="utf-8"), tmp_path / "zj.docx").read_bytes()
    ofd = io.BytesIO()
    with zipfile.ZipFile(ofd, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(create_app(settings)) as client:
        loaded = client.post("/documents", files={"file": ("通知", docx)}, headers=auth)
        assert loaded.status_code == 201 and loaded.json()["loaded"] == "通知.docx"
        assert loaded.json()["report"]["measures"] == 62
        refused = client.post("/documents", files={"file": ("通知.ofd", ofd.getvalue())}, headers=auth)
        assert refused.status_code == 415 and "save or print it as PDF" in refused.json()["error"]["detail"]
