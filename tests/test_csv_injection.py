"""Formula cells (OWASP CSV injection) come out neutralised in every CSV policykg writes.

A document whose title, measure text and agency names begin with ``= + - @``, a tab or a
carriage return is written into a real embedded store; then each CSV output is read back
with the csv module and no cell may start with one of those characters:
the API's ``format=csv`` (lists and single resources), ``/export/csv``, ``policykg query
--format csv``, ``policykg stats --format csv`` and ``policykg export --format csv``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fixtures_stores import load_sample
from typer.testing import CliRunner

from policykg.api import create_app
from policykg.cli import app as cli
from policykg.csvout import FORMULA_STARTS, csv_cell, csv_text, neutralise
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.model import Assignment, DocumentMeta, Measure, ParsedDocument, Section
from policykg.settings import Settings

TITLE = '=HYPERLINK("http://evil.example","点击")任务分工方案'
LEAD = "@SUM(1+1)*cmd|' /C calc'!A0"
SUPPORT = "+省科技厅"
TEXT = "-2+3 推进企业技术改造。"
TABBED = "\t=1+1 建设平台。"
CR = "\r=1+1 完善统计。"


def _hostile_document() -> ParsedDocument:
    return ParsedDocument(
        DocumentMeta(title=TITLE, doc_number="=浙测〔2020〕1号", date_written="2020-01-02"),
        sections=[Section("一", "=主要任务", 1)],
        measures=[
            Measure(
                "一/1",
                TEXT,
                ("一",),
                [Assignment(LEAD, LEAD, "lead", 0, resolved=False), Assignment(SUPPORT, SUPPORT, "support", 1)],
            ),
            Measure("一/2", TABBED, ("一",), [Assignment(LEAD, LEAD, "lead", 0, resolved=False)]),
            Measure("一/3", CR, ("一",), [Assignment(SUPPORT, SUPPORT, "joint", 0, resolved=False)]),
        ],
    )


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "store"
    with EmbeddedStore(directory) as store:
        load_sample(store, _hostile_document())
    return directory


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_neutralised(text: str, *expected: str) -> None:
    cells = _cells(text)
    dangerous = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert not dangerous, dangerous
    joined = "\n".join(cells)
    for value in expected:
        assert "'" + value in joined, (value, cells[:40])


def test_neutralise_follows_the_owasp_rule() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(start + "1+1") == "'" + start + "1+1"
    assert neutralise("省经信委") == "省经信委" and neutralise("1-2") == "1-2" and neutralise("") == ""
    assert csv_cell(-3) == -3 and csv_cell(2.5) == 2.5  # numbers are not formulas
    assert csv_cell(["=a", "b"]) == "'=a; b"
    assert csv_cell({"k": "=v"}) == '{"k": "=v"}'
    assert csv_text([{"a": "=1", "b": "@x"}]) == "a,b\r\n'=1,'@x\r\n"


@pytest.fixture
def client(store_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(store_dir=store_dir, explorer_dir=tmp_path / "explorer")
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_every_api_csv_answer_is_neutralised(client: TestClient) -> None:
    doc_id = client.get("/documents").json()["rows"][0]["id"]
    answers = {
        "/documents": (TITLE,),
        f"/documents/{doc_id}": (TITLE,),
        "/measures": (TEXT, TABBED, CR, LEAD),
        "/agencies": (LEAD, SUPPORT),
        f"/agencies/{SUPPORT}/measures": (TEXT, CR, SUPPORT),
        "/queries/measures_search": (TEXT, TITLE),
    }
    for url, expected in answers.items():
        response = client.get(url, params={"format": "csv"})
        assert response.status_code == 200, (url, response.text[:200])
        assert response.headers["content-type"].startswith("text/csv")
        assert_neutralised(response.text, *expected)


def test_the_network_export_csv_is_neutralised(client: TestClient) -> None:
    response = client.get("/export/csv")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert_neutralised(archive.read("nodes.csv").decode("utf-8"), LEAD, SUPPORT)
    assert_neutralised(archive.read("edges.csv").decode("utf-8"), LEAD, SUPPORT)


def test_cli_csv_outputs_are_neutralised(store_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    location = ["--store", str(store_dir)]
    result = runner.invoke(cli, ["query", "measures_search", "--format", "csv", *location])
    assert result.exit_code == 0, result.output
    assert_neutralised(result.stdout, TEXT, TABBED, CR, TITLE)

    result = runner.invoke(cli, ["stats", "--format", "csv", *location])
    assert result.exit_code == 0, result.output
    assert_neutralised(result.stdout, LEAD, SUPPORT)

    result = runner.invoke(cli, ["export", "--format", "csv", "--out", str(tmp_path / "net"), *location])
    assert result.exit_code == 0, result.output
    assert_neutralised((tmp_path / "net" / "nodes.csv").read_text(encoding="utf-8"), LEAD, SUPPORT)
    assert_neutralised((tmp_path / "net" / "edges.csv").read_text(encoding="utf-8"), LEAD, SUPPORT)
