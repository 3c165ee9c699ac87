"""Parity: the same data in both engines, every catalogued query, identical rows.

The bundled example corpus is parsed and loaded into a fresh embedded store and into the
session's Neo4j. Every query of the test catalogue (tests/data/queries/) and of the real
catalogue (policykg/queries/cypher/) then runs on both with the same parameters — each
query's default values plus, where it needs more, the examples in ``EXAMPLES`` below —
and the rows must be equal, in the order the query sorts them (a page's rows query sorts none).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fixtures_stores import TEST_QUERY_DIR

from policykg import queries
from policykg.graph.store import GraphStore
from policykg.ingest import LoadReport, load_files
from policykg.queries.catalogue import QUERY_DIR, Catalogue, NamedQuery

pytestmark = pytest.mark.neo4j

CORPUS = sorted((Path(__file__).resolve().parent.parent / "policykg" / "examples").glob("*.txt"))
# A Shandong plan beside the Zhejiang one: the same bare names (省发展改革委), different agencies.
CORPUS.append(Path(__file__).resolve().parent / "data" / "jurisdiction" / "shandong-lenglian-fengong.txt")
ZJ_JXW = "浙江省:省经信委"  # agencies of loaded documents are keyed jurisdiction:name
ZHEJIANG = "2017-zhejiang"

# Queries that must be refused on both engines (tested in test_store_contract.py).
REFUSED = {"whole_node", "sneaky_write"}

Context = dict[str, str]
# Parameter sets per query name; a query not listed runs once with its defaults. Values are
# taken from the loaded corpus through the context (document and measure ids).
EXAMPLES: dict[str, list[Callable[[Context], dict[str, Any]]]] = {
    # test catalogue
    "measures_of_document": [lambda c: {"doc_id": c["doc_id"]}],
    "measure_by_text": [lambda c: {"text": c["measure_text"]}, lambda c: {"text": "'}) DETACH DELETE n //"}],
    "agency_assignments": [lambda c: {"name": "省经信委"}, lambda c: {"name": "商务部", "role": "lead"}],
    "neighbours": [lambda c: {"id": c["measure_id"]}, lambda c: {"id": c["doc_id"]}],
    "node_kind": [lambda c: {"id": c["measure_id"]}, lambda c: {"id": ZJ_JXW}],
    "agency_distance": [
        lambda c: {"source": "省经信委", "target": "省科技厅"},
        lambda c: {"source": "商务部", "target": "海关总署"},
    ],
    "section_tree": [lambda c: {"doc_id": c["doc_id"]}],
    # real catalogue
    "agency_measures": [
        lambda c: {"name": ZJ_JXW},
        lambda c: {"name": "商务部", "role": "lead"},
        lambda c: {"name": ZJ_JXW, "role": "support", "doc_id": c["doc_id"], "limit": 5, "offset": 2},
    ],
    "agency_lookup": [
        lambda c: {"name": "省经信委"},
        lambda c: {"name": "国家知识产权局"},
        lambda c: {"name": "省发展改革委"},  # one per jurisdiction loaded
        lambda c: {"name": "省发改委", "jurisdiction": "山东省"},
    ],
    "agency_partners": [lambda c: {"name": ZJ_JXW}, lambda c: {"name": "商务部", "role": "lead"}],
    "agency_profile": [
        lambda c: {"name": ZJ_JXW},
        lambda c: {"name": "海关总署"},
        lambda c: {"name": "山东省:省发展改革委"},
    ],
    "agency_path": [
        lambda c: {"source": ZJ_JXW, "target": "浙江省:省科技厅"},
        lambda c: {"source": "商务部", "target": "海关总署", "limit": 3},
    ],
    "agency_measures_keys": [lambda c: {"name": ZJ_JXW}, lambda c: {"name": ZJ_JXW, "role": "lead", "after": 0}],
    "agency_measures_rows": [
        lambda c: {"name": ZJ_JXW, "upto": 2**62},
        lambda c: {"name": ZJ_JXW, "role": "joint", "after": 0, "upto": 2**62},
    ],
    "industry_measures_rows": [lambda c: {"name": c["industry"], "upto": 2**62}],
    "industry_measures": [lambda c: {"name": c["industry"]}],
    "industry_measures_keys": [lambda c: {"name": c["industry"]}],
    "document_detail": [lambda c: {"id": c["doc_id"]}],
    "document_outline": [lambda c: {"id": c["doc_id"]}],
    "measure_detail": [lambda c: {"id": c["measure_id"]}],
    "measures_search": [
        lambda c: {},
        lambda c: {"q": "机器人"},
        lambda c: {"agency": ZJ_JXW, "doc_id": c["doc_id"]},
        lambda c: {"section": "三/(一)", "doc_id": c["doc_id"]},
    ],
    "targets": [lambda c: {}, lambda c: {"year": 2020}, lambda c: {"unit": "家"}],
    "deadlines": [lambda c: {}, lambda c: {"agency": ZJ_JXW, "role": "lead"}],
    "overdue_measures": [lambda c: {"as_of": "2019-01-01"}, lambda c: {"as_of": "2021-06-30", "agency": ZJ_JXW}],
    "documents": [lambda c: {}, lambda c: {"referenced": True}],
    "agencies_without_tasks": [lambda c: {}, lambda c: {"doc_id": c["doc_id"], "level": "province"}],
}


UNORDERED = {q.rows for q in Catalogue.load_default() if q.rows} if QUERY_DIR.is_dir() else set()


def _in_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: json.dumps(row, ensure_ascii=False, sort_keys=True))


def _queries() -> list[tuple[str, NamedQuery]]:
    found = [("test", q) for q in Catalogue.load(TEST_QUERY_DIR) if q.name not in REFUSED]
    if QUERY_DIR.is_dir():
        found += [("real", q) for q in Catalogue.load_default()]
    return found


def _cases() -> list[Any]:
    cases = []
    for source, query in _queries():
        examples = EXAMPLES.get(query.name, [lambda c: {}])
        for i, example in enumerate(examples):
            cases.append(pytest.param(source, query, example, id=f"{source}-{query.name}-{i}"))
    return cases


@pytest.fixture(scope="module")
def corpus_stores(
    tmp_path_factory: pytest.TempPathFactory, neo4j_session_store: GraphStore
) -> Iterator[tuple[GraphStore, GraphStore, Context]]:
    from policykg.graph.embedded import EmbeddedStore

    test_catalogue = Catalogue.load(TEST_QUERY_DIR)
    embedded = EmbeddedStore(tmp_path_factory.mktemp("parity") / "store")
    neo4j = neo4j_session_store
    neo4j.clear()
    reports: list[LoadReport] = [load_files(CORPUS, s, progress=False) for s in (embedded, neo4j)]
    assert not reports[0].failures and not reports[1].failures
    assert embedded.counts() == neo4j.counts()
    zhejiang = next(d for d in reports[0].documents if ZHEJIANG in d.path)
    first = queries.read(embedded, "measures_of_document", {"doc_id": zhejiang.doc_id}, catalogue=test_catalogue)[0]
    industry = queries.read(embedded, "industries_used", catalogue=test_catalogue)[0]["industry"]
    context = {
        "doc_id": zhejiang.doc_id,
        "measure_id": first["id"],
        "measure_text": first["text"],
        "industry": industry,
    }
    yield embedded, neo4j, context
    embedded.close()


def test_both_engines_hold_the_same_graph(corpus_stores: tuple[GraphStore, GraphStore, Context]) -> None:
    embedded, neo4j, _ = corpus_stores
    counts = embedded.counts()
    assert counts == neo4j.counts()
    assert counts["Measure"] > 100 and counts["ASSIGNED"] > counts["Measure"]


@pytest.mark.parametrize(("source", "query", "example"), _cases())
def test_every_query_gives_the_same_rows_on_both_engines(
    corpus_stores: tuple[GraphStore, GraphStore, Context],
    source: str,
    query: NamedQuery,
    example: Callable[[Context], dict[str, Any]],
) -> None:
    embedded, neo4j, context = corpus_stores
    params = example(context)
    missing = [p.name for p in query.params if p.required and p.name not in params]
    if missing:
        pytest.fail(f"Add an example for the {source} query {query.name} to EXAMPLES: it needs {', '.join(missing)}.")
    catalogue = Catalogue({query.name: query})
    rows = queries.read(embedded, query.name, params, catalogue=catalogue)
    other = queries.read(neo4j, query.name, params, catalogue=catalogue)
    if source == "real" and query.name in UNORDERED:  # a page's rows, in no set order: the reader sorts them
        rows, other = _in_order(rows), _in_order(other)
    assert rows == other


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("agency_measures", lambda c: {"name": ZJ_JXW}),
        ("agency_measures", lambda c: {"name": ZJ_JXW, "role": "lead"}),
        ("agency_measures", lambda c: {"name": ZJ_JXW, "doc_id": c["doc_id"]}),
        ("industry_measures", lambda c: {"name": c["busiest_industry"]}),
        ("measures_search", lambda c: {}),
        ("measures_search", lambda c: {"q": "推进"}),
    ],
    ids=["agency", "agency-lead", "agency-document", "industry", "search", "search-text"],
)
# Each engine pages one way (a query's window_for says which); both ways are checked on both.
@pytest.mark.parametrize("by_window", [True, False], ids=["by-window", "one-read"])
def test_cursor_pages_cover_every_row_once_in_order_on_both_engines(
    corpus_stores: tuple[GraphStore, GraphStore, Context],
    name: str,
    params: Callable[[Context], dict[str, Any]],
    by_window: bool,
) -> None:
    from policykg.queries.keyset import decode_cursor, read_keyset_page

    embedded, neo4j, context = corpus_stores
    catalogue = Catalogue.load_default()
    query = catalogue.get(name)
    window = catalogue.get(query.window) if query.window and by_window else None
    industries = queries.read(embedded, "industries", {"min_measures": 1}, catalogue=catalogue)
    context = {**context, "busiest_industry": max(industries, key=lambda r: (r["measures"], r["id"]))["id"]}
    paged: list[list[dict[str, Any]]] = []
    for store in (embedded, neo4j):

        def read(query_name: str, values: dict[str, Any], store: GraphStore = store) -> list[dict[str, Any]]:
            return queries.read(store, query_name, values, catalogue=catalogue)

        whole = read(name, {**params(context), "limit": 10000})
        bound = query.bind({**params(context), "limit": 3})
        rows, pages = [], 0
        while True:
            page = read_keyset_page(read, query, bound, 3, window)
            rows += page.rows
            pages += 1
            if page.next_cursor is None:
                break
            bound[query.cursor] = decode_cursor(page.next_cursor, name, bound)  # type: ignore[index]
        assert pages >= 3, "the list should span several pages"
        keys = [r["sort_key"] for r in rows]
        assert keys == sorted(keys)
        identity = [(r["id"], r.get("role"), r.get("industry")) for r in rows]
        assert len(identity) == len(set(identity))
        assert rows == whole  # each row once, in the order of the unpaged list
        paged.append(rows)
    assert paged[0] == paged[1]
