"""The embedded store's agency key index (policykg.graph.key_index) and the pages read through it
(policykg.queries.indexed), on the real engine.

Buckets here hold about 4 keys (cut past 8), so a few synthetic documents make agencies with
dozens of buckets, and every load, reload and deletion fills, cuts and empties some. After
each step the index must file exactly the assignments, in disjoint ordered ranges, and every
page read through it must equal the page read by scanning, page after page.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from policykg import queries
from policykg.errors import StoreError
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.store import DocumentRows, GraphRows
from policykg.ingest import load_files
from policykg.queries import writes
from policykg.queries.catalogue import Catalogue
from policykg.queries.indexed import index_catalogue, read_indexed_page
from policykg.queries.keyset import KeysetPage, read_keyset_page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from synth import default_agency_names, generate_document

TARGET = 4
CATALOGUE = Catalogue.load_default()
PAGED = CATALOGUE.get("agency_measures")
AGENCIES = default_agency_names()[:6]  # few agencies: each gets many assignments


def write_documents(folder: Path, numbers: range, *, seed: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in numbers:
        path = folder / f"synth-{number:03d}.txt"
        path.write_text(generate_document(number, measures=12, seed=seed, agencies=AGENCIES).text, encoding="utf-8")
        paths.append(path)
    return paths


def raw(store: EmbeddedStore, cypher: str) -> list[list[Any]]:
    return store._all(cypher)


def check_index(store: EmbeddedStore) -> None:
    """The index files exactly the assignments, each agency's buckets in disjoint ordered ranges."""
    assigned = Counter(
        tuple(row)
        for row in raw(
            store,
            "MATCH (a:Agency)-[r:ASSIGNED]->(m:Measure) "
            "RETURN a.id, m.id, r.role, r.as_written, r.position, r.sort_key",
        )
    )
    filed = Counter(
        tuple(row)
        for row in raw(
            store,
            "MATCH (a:Agency)-[:HAS_KEYS]->(b:KeyBucket)-[f:FILED]->(m:Measure) "
            "RETURN a.id, m.id, f.role, f.as_written, f.position, f.sort_key",
        )
    )
    assert filed == assigned
    assert raw(store, "MATCH (b:KeyBucket) WHERE NOT (:Agency)-[:HAS_KEYS]->(b) RETURN count(b)") == [[0]]
    buckets: dict[str, list[tuple[int, int, int, list[int]]]] = {}
    for agency, lo, hi, n, keys in raw(
        store,
        "MATCH (a:Agency)-[:HAS_KEYS]->(b:KeyBucket) OPTIONAL MATCH (b)-[f:FILED]->(:Measure) "
        "RETURN a.id, b.lo, b.hi, b.n, collect(f.sort_key)",
    ):
        buckets.setdefault(agency, []).append((lo, hi, n, keys))
    for agency, held in buckets.items():
        held.sort()
        for index, (lo, hi, n, keys) in enumerate(held):
            following = held[index + 1][0] if index + 1 < len(held) else None
            assert all(lo <= k <= hi for k in keys), (agency, lo, hi, keys)
            assert following is None or (hi < following and lo < following), (agency, held)
            assert len(keys) <= n and len(keys) <= 2 * TARGET, (agency, n, keys)


def busiest(store: EmbeddedStore) -> list[str]:
    rows = raw(store, "MATCH (a:Agency)-[r:ASSIGNED]->(:Measure) RETURN a.id, count(r) AS n ORDER BY n DESC, a.id")
    return [row[0] for row in rows]


def check_pages(store: EmbeddedStore, agencies: list[str]) -> int:
    """Every page through the index equals the page by scanning; the number of pages read through it."""
    index = index_catalogue()

    def run_index(name: str, values: dict[str, Any]) -> list[dict[str, Any]]:
        return queries.read(store, name, values, catalogue=index)

    def run(name: str, values: dict[str, Any]) -> list[dict[str, Any]]:
        return queries.read(store, name, values, catalogue=CATALOGUE)

    indexed = 0
    for agency in agencies:
        for role in ("lead", "support", "any"):
            for limit in (1, 5, 13):
                bound = PAGED.bind({"name": agency, "role": role, "limit": limit})
                while True:
                    expected = read_keyset_page(run, PAGED, bound, limit, None)
                    # (no bucket limit: on a store nobody writes to, the index reads every page)
                    got = read_indexed_page(run_index, PAGED, bound, limit, max_buckets=10_000)
                    assert got == expected, (agency, role, limit, bound["after"])
                    indexed += 1
                    assert queries.keyset_page(store, PAGED, bound, limit, CATALOGUE) == expected
                    if not expected.has_more:
                        break
                    bound["after"] = expected.rows[-1]["sort_key"]
    return indexed


@pytest.mark.parametrize("bulk_rows", [100_000, 0], ids=["create", "copy"])
def test_the_index_follows_loads_reloads_and_deletions(tmp_path: Path, bulk_rows: int) -> None:
    with EmbeddedStore(tmp_path / "store", key_bucket_rows=TARGET, bulk_rows=bulk_rows) as store:
        first = load_files(write_documents(tmp_path / "a", range(1, 7)), store, progress=False, batch_rows=1)
        assert not first.failures
        check_index(store)
        agencies = busiest(store)[:3]
        assert check_pages(store, agencies) > 0
        # Several documents in one transaction, into buckets that already hold keys.
        more = load_files(write_documents(tmp_path / "b", range(7, 12)), store, progress=False)
        assert not more.failures
        check_index(store)
        # The same documents with other measures: their old assignments go, the new ones are filed.
        again = load_files(write_documents(tmp_path / "c", range(3, 9), seed=5), store, progress=False, batch_rows=1)
        assert not again.failures
        check_index(store)
        doc_id = first.documents[0].doc_id
        assert writes.delete_document(store, doc_id)
        check_index(store)
        assert check_pages(store, busiest(store)[:3]) > 0


def test_a_failed_write_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store", key_bucket_rows=TARGET) as store:
        load_files(write_documents(tmp_path / "a", range(1, 4)), store, progress=False)
        before = raw(
            store, "MATCH (b:KeyBucket)-[f:FILED]->(m:Measure) RETURN b.id, b.lo, b.hi, b.n, m.id ORDER BY m.id"
        )
        report = load_files(write_documents(tmp_path / "a", range(1, 4), seed=9), store, progress=False, batch_rows=1)
        assert not report.failures
        # Now a document whose write fails half way: an assignment naming a measure that does not exist.
        rows = next(iter(_document_rows(tmp_path / "a" / "synth-001.txt")))
        rows.owned.rels["ASSIGNED"].append({**rows.owned.rels["ASSIGNED"][0], "to": "no-such-measure"})
        middle = raw(
            store, "MATCH (b:KeyBucket)-[f:FILED]->(m:Measure) RETURN b.id, b.lo, b.hi, b.n, m.id ORDER BY m.id"
        )
        with pytest.raises(Exception, match="does not exist"):
            writes.write_document(store, rows)
        assert (
            raw(store, "MATCH (b:KeyBucket)-[f:FILED]->(m:Measure) RETURN b.id, b.lo, b.hi, b.n, m.id ORDER BY m.id")
            == middle
        )
        assert middle != before
        check_index(store)


def _document_rows(path: Path) -> list[Any]:
    from policykg.ingest import document_rows
    from policykg.loaders import parse_file
    from policykg.loaders.industries import IndustryDictionary
    from policykg.loaders.registry import AgencyRegistry

    registry, industries = AgencyRegistry.load_default(), IndustryDictionary.load_default()
    return [document_rows(parse_file(path, registry=registry, industries=industries), registry, industries)]


@pytest.mark.parametrize("missing", ["tables", "rows"])
def test_a_store_without_its_index_pages_by_scanning_and_gets_it_when_opened_for_writing(
    tmp_path: Path, missing: str
) -> None:
    directory = tmp_path / "store"
    with EmbeddedStore(directory, key_bucket_rows=TARGET) as store:
        load_files(write_documents(tmp_path / "a", range(1, 6)), store, progress=False)
        agencies = busiest(store)[:2]
        expected = {a: queries.read_all(store, "agency_measures", {"name": a, "role": "lead"}) for a in agencies}
        # A store written before the index (no tables), or bulk-loaded around the store (no rows).
        if missing == "tables":
            for table in ("FILED", "HAS_KEYS", "KeyBucket"):
                store._all(f"DROP TABLE {table}")
        else:
            store._all("MATCH (b:KeyBucket) DETACH DELETE b")
    with EmbeddedStore(directory, read_only=True) as reader:
        assert reader.keeps_key_index is False
        for agency in agencies:
            assert queries.read_all(reader, "agency_measures", {"name": agency, "role": "lead"}) == expected[agency]
    with EmbeddedStore(directory, key_bucket_rows=TARGET) as store:
        assert store.keeps_key_index is True
        check_index(store)
        assert check_pages(store, agencies) > 0
        for agency in agencies:
            assert queries.read_all(store, "agency_measures", {"name": agency, "role": "lead"}) == expected[agency]


def test_a_page_of_one_document_is_not_read_through_the_index(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store", key_bucket_rows=TARGET) as store:
        report = load_files(write_documents(tmp_path / "a", range(1, 3)), store, progress=False)
        agency = busiest(store)[0]
        bound = PAGED.bind({"name": agency, "doc_id": report.documents[0].doc_id, "limit": 5})
        assert (
            read_indexed_page(lambda n, v: queries.read(store, n, v, catalogue=index_catalogue()), PAGED, bound, 5)
            is None
        )
        page = queries.keyset_page(store, PAGED, bound, 5, CATALOGUE)
        assert page.rows and {row["doc_id"] for row in page.rows} == {bound["doc_id"]}


# -- hand-made documents: one agency, chosen keys ---------------------------------------------------


def keyed_document(doc_id: str, keys: list[int]) -> DocumentRows:
    """A document of one measure per assignment key, each led by the agency A."""
    measures = [
        {
            "id": f"{doc_id}~{i}",
            "doc_id": doc_id,
            "ref": str(i),
            "text": f"t{k}",
            "sort_key": k // 4,
            "doc_title": doc_id,
        }
        for i, k in enumerate(keys)
    ]
    assigned = [
        {"from": "A", "to": m["id"], "role": "lead", "as_written": "A", "position": 0, "doc_id": doc_id, "sort_key": k}
        for m, k in zip(measures, keys, strict=True)
    ]
    owned = GraphRows(
        nodes={"Document": [{"id": doc_id, "title": doc_id, "loaded": True}], "Measure": measures},
        rels={"INCLUDES": [{"from": doc_id, "to": m["id"]} for m in measures], "ASSIGNED": assigned},
    )
    return DocumentRows(doc_id, owned, GraphRows(nodes={"Agency": [{"id": "A", "name": "A"}]}))


def page_keys(page: KeysetPage | None) -> list[int] | None:
    return None if page is None else [row["sort_key"] for row in page.rows]


def test_a_write_between_a_pages_reads_is_seen_and_the_page_read_again(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store", key_bucket_rows=TARGET) as store:
        writes.write_document(store, keyed_document("d1", [4 * i + 1 for i in range(8)]))
        landed: list[str] = []

        def read(name: str, values: dict[str, Any]) -> list[dict[str, Any]]:
            rows = queries.read(store, name, values, catalogue=index_catalogue())
            if name == "agency_key_buckets" and not landed:
                # Another request's upload lands between two reads of this page, and cuts a bucket the
                # page listed in three (keys move to buckets it did not list).
                landed.append("d2")
                writes.write_document(store, keyed_document("d2", [2, 3, 6, 7, 10]))
            return rows

        bound = PAGED.bind({"name": "A", "limit": 20})
        got = read_indexed_page(read, PAGED, bound, 20, version=store.version)
        scanned = queries.read_all(store, "agency_measures", {"name": "A"})
        assert landed and page_keys(got) == [row["sort_key"] for row in scanned]
        assert page_keys(got) == [1, 2, 3, 5, 6, 7, 9, 10, 13, 17, 21, 25, 29]


def test_buckets_a_deletion_empties_are_dropped(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store", key_bucket_rows=TARGET) as store:
        writes.write_document(store, keyed_document("d1", [4 * i + 1 for i in range(40)]))
        # The same document again with its keys moved (a corrected issue date): the old keys' buckets empty.
        writes.write_document(store, keyed_document("d1", [4 * (1000 + i) + 1 for i in range(40)]))
        assert raw(store, "MATCH (b:KeyBucket) WHERE NOT (b)-[:FILED]->(:Measure) RETURN count(b)") == [[0]]
        check_index(store)
        page = read_indexed_page(
            lambda n, v: queries.read(store, n, v, catalogue=index_catalogue()),
            PAGED,
            PAGED.bind({"name": "A", "limit": 5}),
            5,
        )
        assert page_keys(page) == [4 * (1000 + i) + 1 for i in range(5)]
        assert writes.delete_document(store, "d1")
        assert raw(store, "MATCH (b:KeyBucket) RETURN count(b)") == [[0]]


def test_an_assignment_without_a_sort_key_is_refused_in_a_sentence(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store") as store:
        rows = keyed_document("d1", [1, 5])
        for row in rows.owned.rels["ASSIGNED"]:
            row["sort_key"] = None
        with pytest.raises(
            StoreError, match=r"The document d1 could not be written; the store is unchanged\..*sort_key"
        ):
            writes.write_document(store, rows)
        assert store.counts()["Measure"] == 0
