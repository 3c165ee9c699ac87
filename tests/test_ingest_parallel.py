"""Loading many files: parsed in several processes and written several documents to a transaction,
the store ends as one process writing one document at a time leaves it; bad files are named while
the good ones commit; a document that cannot be written fails alone; loading twice changes nothing.
On both engines (and both write paths of the embedded one)."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fixtures_stores import sample_document_a, sample_document_b, sample_industries, sample_registry
from typer.testing import CliRunner

from policykg.analytics.graph_export import read_full_graph
from policykg.cli import app
from policykg.graph.model import ParsedDocument
from policykg.graph.store import GraphStore
from policykg.ingest import LoadReport, document_rows, load_files, reference_rows
from policykg.queries import writes

EXAMPLES = Path(__file__).resolve().parent.parent / "policykg" / "examples"


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


def test_parallel_batched_load_gives_the_store_one_at_a_time_gives(store: GraphStore, corpus: Path) -> None:
    # One process, one document per transaction: the reference.
    serial = load_files([corpus], store, progress=False, jobs=1, batch_rows=1)
    serial_graph = graph(store)
    store.clear()
    parallel = load_files([corpus], store, progress=False, jobs=2)  # all five documents in one transaction
    assert graph(store) == serial_graph
    assert outline(parallel) == outline(serial)
    assert len(parallel.documents) == 5 and parallel.measures == serial.measures > 0
    assert store.counts()["Measure"] == parallel.measures

    again = load_files([corpus], store, progress=False, jobs=2, batch_rows=700)  # other batch bounds
    assert graph(store) == serial_graph  # loading twice changes nothing
    assert outline(again) == outline(serial)


def test_a_dictionary_of_the_callers_own_reaches_every_parsing_process(store: GraphStore, corpus: Path) -> None:
    """The industry dictionary given to a parallel load is sent to each process (pickled): the
    documents read with it, in several processes, read as in one."""
    industries = sample_industries()
    serial = load_files([corpus], store, progress=False, jobs=1, industries=industries)
    serial_graph = graph(store)
    store.clear()
    parallel = load_files([corpus], store, progress=False, jobs=2, industries=industries)
    assert len(parallel.documents) == 5, parallel.failures
    assert outline(parallel) == outline(serial)
    assert graph(store) == serial_graph
    tagged = [row["n"] for row in store.execute_read("MATCH (i:Industry) RETURN i.name AS n", {})]
    assert tagged and set(tagged) <= {"纺织", "化工", "汽车"}, "the caller's dictionary, not the packaged one"


def test_bad_files_among_good_ones_are_named_and_the_good_ones_commit(store: GraphStore, corpus: Path) -> None:
    report = load_files([corpus], store, progress=False, jobs=2)
    failed = {Path(path).name: message for path, message in report.failures}
    assert sorted(failed) == ["a-empty.txt", "b-junk.docx", "c-english.txt"]
    assert all(name in message and message.endswith(".") for name, message in failed.items())
    assert "Chinese" in failed["c-english.txt"]
    assert {Path(d.path).name for d in report.documents} == {p.name for p in EXAMPLES.glob("*.txt")}
    assert store.counts()["Document"] >= 5


def test_a_document_that_cannot_be_written_fails_alone(store: GraphStore) -> None:
    registry, industries = sample_registry(), sample_industries()
    writes.upsert_reference(store, reference_rows(registry, industries))
    good_a = document_rows(sample_document_a(), registry, industries)
    old_b = document_rows(sample_document_b(), registry, industries)
    writes.write_document(store, old_b)
    before = graph(store)
    # A new version of b assigning a measure to an agency that is in no row: its link names a
    # node that does not exist, so b cannot be written; a is.
    bad_b = document_rows(sample_document_b(), registry, industries)
    bad_b.owned.rels["ASSIGNED"][0]["from"] = "no-such-agency"
    errors = writes.write_documents(store, [good_a, bad_b])
    assert errors[0] is None
    assert errors[1] is not None and bad_b.doc_id in str(errors[1])
    nodes = read_full_graph(store).nodes
    assert f"Document:{good_a.doc_id}" in nodes
    assert all(node in nodes for node, _ in before[0])  # b's old version is all there still
    after = graph(store)
    assert writes.write_documents(store, [good_a, old_b]) == [None, None]
    assert graph(store) == after  # a and the old b again, in one transaction: nothing changes


def test_documents_that_implement_each_other_end_as_written_one_by_one(store: GraphStore) -> None:
    """Stubs made, kept, dropped and turned into loaded documents inside one batch: each step
    written in one transaction leaves the store as writing its documents one by one does."""
    registry, industries = sample_registry(), sample_industries()
    a, b = sample_document_a(), sample_document_b()
    a_alone = replace(a, document=replace(a.document, implements=[]))
    b_other = replace(b, document=replace(b.document, implements=["浙政发〔2018〕9号"]))
    provincial = replace(
        b, document=replace(b.document, title="省政府文件", doc_number="浙政发〔2017〕23号", implements=[])
    )
    later = [[a, b_other], [a_alone, provincial], [b, a], [provincial, b_other, a_alone], [a, provincial]]

    def run(steps: list[list[ParsedDocument]], batched: bool) -> list[Any]:
        store.clear()
        writes.upsert_reference(store, reference_rows(registry, industries))
        states = []
        for step in steps:
            rows = [document_rows(doc, registry, industries) for doc in step]
            if batched:
                assert writes.write_documents(store, rows) == [None] * len(rows)
            else:
                for one in rows:
                    writes.write_document(store, one)
            states.append(graph(store))
        return states

    for first in ([b], [a, b], [provincial, a, b_other]):  # the first step writes new documents only
        assert run([first, *later], batched=True) == run([first, *later], batched=False)


def test_a_batch_is_one_plan_the_engine_runs(store: GraphStore) -> None:
    """The batch plans themselves run on each engine (not only the one-by-one fallback)."""
    registry, industries = sample_registry(), sample_industries()
    writes.upsert_reference(store, reference_rows(registry, industries))
    batch = [document_rows(doc, registry, industries) for doc in (sample_document_a(), sample_document_b())]
    assert store.execute_write(writes.documents_plan(batch, new=True)) is True
    first = graph(store)
    assert store.execute_write(writes.documents_plan(batch)) is True  # the plan for documents loaded before
    assert graph(store) == first


def test_the_list_form_neo4j_is_sent_does_not_depend_on_the_rows() -> None:
    """Each row statement's list form (what the Neo4j store sends) has the same text whatever
    the rows hold, so Neo4j plans it once; its values are the map form's, column by column."""
    registry, industries = sample_registry(), sample_industries()
    plans = [
        writes.document_plan(document_rows(doc, registry, industries))
        for doc in (sample_document_a(), sample_document_b())
    ]

    def by_table(plan: Any) -> dict[str, Any]:
        # A statement's role: its map form with every value written as _ (a column or NULL).
        return {re.sub(r"r\.\w+|NULL", "_", s.cypher): s for s in plan.statements if s.list_cypher}

    a, b = map(by_table, plans)
    shared = a.keys() & b.keys()
    assert any(a[key].cypher != b[key].cypher for key in shared)  # the map form has NULL literals for empty columns
    assert all(a[key].list_cypher == b[key].list_cypher for key in shared)
    for statement in a.values():
        assert statement.columns is not None and statement.rows
        assert statement.records() == [[row[c] for c in statement.columns] for row in statement.rows]


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
