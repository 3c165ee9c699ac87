"""``policykg query`` and ``policykg serve``: the same answers as the API, from the command line and a real server."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from querygraph import load_querygraph
from typer.testing import CliRunner

from policykg.cli import app
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.store import GraphStore

EXAMPLES = Path(__file__).resolve().parent.parent / "policykg" / "examples"
ZHEJIANG = EXAMPLES / "2017-zhejiang-chuantong-zhizao-fenjie.txt"
runner = CliRunner()


def query_json(location: list[str], *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["query", *args, "--format", "json", *location])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def _zhejiang_checks(location: list[str]) -> None:
    lead = query_json(location, "agency_measures", "-p", "name=省经信委", "-p", "role=lead", "-p", "limit=1000")
    assert len(lead) == 22 and {r["role"] for r in lead} == {"lead"}
    assert (
        len(query_json(location, "agency_measures", "-p", "name=省经信委", "-p", "role=any", "-p", "limit=1000")) == 48
    )
    [profile] = query_json(location, "agency_profile", "-p", "name=省环保局")
    assert profile["name"] == "省环保厅"


def test_query_zhejiang_on_the_embedded_store(tmp_path: Path) -> None:
    from policykg.ingest import load_files

    with EmbeddedStore(tmp_path / "store") as store:
        assert not load_files([ZHEJIANG], store, progress=False).failures
    _zhejiang_checks(["--store", str(tmp_path / "store")])


@pytest.mark.neo4j
def test_query_zhejiang_on_neo4j(neo4j_store: GraphStore, neo4j_uri: str) -> None:
    from policykg.ingest import load_files

    assert not load_files([ZHEJIANG], neo4j_store, progress=False).failures
    _zhejiang_checks(["--neo4j", neo4j_uri])


@pytest.fixture
def graph_dir(tmp_path: Path) -> Path:
    with EmbeddedStore(tmp_path / "store") as store:
        load_querygraph(store)
    return tmp_path / "store"


def test_query_formats_and_errors(graph_dir: Path) -> None:
    where = ["--store", str(graph_dir)]
    table = runner.invoke(app, ["query", "agency_measures", "-p", "name=省经信委", "-p", "role=lead", *where])
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    # A header, the rule under it, three rows.
    assert lines[0].split()[:3] == ["agency", "id", "ref"] and len(lines) == 5
    assert "3 rows" in table.stderr
    as_csv = runner.invoke(app, ["query", "targets", "-p", "unit=家", "--format", "csv", *where])
    assert [r["metric"] for r in csv.DictReader(io.StringIO(as_csv.stdout))] == ["综合体", "服务公司"]
    unknown = runner.invoke(app, ["query", "agency_measures", "-p", "name=省经", *where])
    assert unknown.exit_code == 1 and "省经信委" in unknown.output
    bad = runner.invoke(app, ["query", "agency_measures", "-p", "name=x", "-p", "role=boss", *where])
    assert bad.exit_code == 2 and "role must be one of" in bad.output
    no_query = runner.invoke(app, ["query", "drop_everything", *where])
    assert no_query.exit_code == 2 and "no query named" in no_query.output
    malformed = runner.invoke(app, ["query", "agency_measures", "-p", "name", *where])
    assert malformed.exit_code == 2 and "key=value" in malformed.output
    listing = runner.invoke(app, ["query"])
    assert listing.exit_code == 0 and "agency_measures  name=… [role=any]" in listing.stdout


def test_query_options_are_the_header_parameters(graph_dir: Path) -> None:
    where = ["--store", str(graph_dir)]
    by_option = query_json(where, "agency_measures", "--name", "省经信委", "--role", "lead")
    assert by_option == query_json(where, "agency_measures", "-p", "name=省经信委", "-p", "role=lead")
    assert len(by_option) == 3
    # agency_measures.cypher: "param: limit: int(1..10000) = 100 — rows per page"
    help_text = runner.invoke(app, ["query", "agency_measures", "--help"], env={"COLUMNS": "200"}).stdout
    limit = next(line for line in help_text.splitlines() if "--limit" in line)
    assert "INT 1..10000" in limit and "rows per page (default: 100)" in limit
    assert "--jurisdiction" in help_text and "--doc-id" in help_text
    too_many = runner.invoke(app, ["query", "agency_measures", "--name", "省经信委", "--limit", "10001", *where])
    assert too_many.exit_code == 2 and "limit must be at most 10000" in too_many.output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_answers_over_http(graph_dir: Path) -> None:
    port = _free_port()
    command = ["serve", "--port", str(port), "--store", str(graph_dir)]
    env = {**os.environ, "POLICYKG_API_TOKEN": ""}  # no token: writes answer 403
    server = subprocess.Popen(
        [sys.executable, "-c", "from policykg.cli import main; main()", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    assert json.load(response)["counts"]["Measure"] == 9
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.3)
        url = f"{base}/agencies/{urllib.parse.quote('省环保局')}"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert json.load(response)["data"]["name"] == "省环保厅"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(f"{base}/documents/doc-zj", method="DELETE"), timeout=10)
        assert refused.value.code == 403
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_query_runs_while_another_process_holds_the_store(graph_dir: Path) -> None:
    code = (
        "import sys; from policykg.graph.embedded import EmbeddedStore; "
        f"s = EmbeddedStore({str(graph_dir)!r}); print('holding', flush=True); sys.stdin.readline()"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        rows = query_json(["--store", str(graph_dir)], "agency_measures", "-p", "name=省经信委", "-p", "role=lead")
        assert len(rows) == 3
    finally:
        holder.communicate("\n", timeout=60)


def test_query_on_a_missing_store_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "documents", "--store", str(tmp_path / "nothing-here")])
    assert result.exit_code == 1 and "load documents into it first" in result.output
