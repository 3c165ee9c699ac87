"""Loading with several parsing processes: the same store as one process gives, bad files named
while the good ones commit, loading twice changing nothing; on both engines."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from policykg.analytics.graph_export import read_full_graph
from policykg.cli import app
from policykg.graph.store import GraphStore
from policykg.ingest import LoadReport, load_files
from policykg.queries.catalogue import Catalogue

EXAMPLES = Path(__file__).resolve().parent.parent / "policykg" / "examples"


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def full_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """A store with the packaged catalogue (the whole-graph queries read it back)."""
    if request.param == "embedded":
        from policykg.graph.embedded import EmbeddedStore

        store: Any = EmbeddedStore(tmp_path / "store", catalogue=Catalogue.load_default())
        yield store
        store.close()
    else:
        store = request.getfixturevalue("neo4j_store")
        store.catalogue = Catalogue.load_default()
        yield store


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The bundled corpus and three bad files in one directory."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(EXAMPLES.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    (folder / "a-empty.txt").write_text("", encoding="utf-8")
    (folder / "b-junk.docx").write_bytes(b"\x00\x01not a zip file\xff" * 10)
    (folder / "c-english.txt").write_text("No Chinese in this file at all.\n", encoding="utf-8")
    return folder


def graph(store: GraphStore) -> tuple[list[Any], list[Any]]:
    full = read_full_graph(store)
    nodes = sorted((key, sorted(data.items(), key=repr)) for key, data in full.nodes(data=True))
    edges = sorted((u, v, sorted(data.items(), key=repr)) for u, v, data in full.edges(data=True))
    return nodes, edges


def outline(report: LoadReport) -> tuple[list[tuple[str, str, int]], list[str], int, list[str]]:
    return (
        [(d.path, d.doc_id, d.measures) for d in report.documents],
        [path for path, _ in report.failures],
        report.targets,
        report.warnings,
    )


def test_parallel_load_gives_the_store_a_serial_load_gives(full_store: GraphStore, corpus: Path) -> None:
    serial = load_files([corpus], full_store, progress=False, jobs=1)
    serial_graph = graph(full_store)
    full_store.clear()
    parallel = load_files([corpus], full_store, progress=False, jobs=2)
    assert graph(full_store) == serial_graph
    assert outline(parallel) == outline(serial)
    assert len(parallel.documents) == 5 and parallel.measures == serial.measures > 0
    assert full_store.counts()["Measure"] == parallel.measures

    again = load_files([corpus], full_store, progress=False, jobs=2)
    assert graph(full_store) == serial_graph  # loading twice changes nothing
    assert outline(again) == outline(serial)


def test_bad_files_among_good_ones_are_named_and_the_good_ones_commit(full_store: GraphStore, corpus: Path) -> None:
    report = load_files([corpus], full_store, progress=False, jobs=2)
    failed = {Path(path).name: message for path, message in report.failures}
    assert sorted(failed) == ["a-empty.txt", "b-junk.docx", "c-english.txt"]
    assert all(name in message and message.endswith(".") for name, message in failed.items())
    assert "Chinese" in failed["c-english.txt"]
    assert {Path(d.path).name for d in report.documents} == {p.name for p in EXAMPLES.glob("*.txt")}
    assert full_store.counts()["Document"] >= 5


def test_cli_load_of_a_directory_in_one_or_several_processes(tmp_path: Path, corpus: Path) -> None:
    runner = CliRunner()
    outputs = {}
    for jobs in ("1", "2"):
        store = str(tmp_path / f"store-{jobs}")
        result = runner.invoke(app, ["load", str(corpus), "--store", store, "--jobs", jobs, "--json"])
        assert result.exit_code == 0, result.output
        outputs[jobs] = result.stdout
    assert outputs["1"] == outputs["2"]
    assert '"measures"' in outputs["1"] and "b-junk.docx" in outputs["1"]
