"""Store fixtures: real engines only, both behind one ``store`` fixture.

``store`` runs a test on the embedded engine (a fresh directory under tmp_path) with each of
its two write paths (parameterised CREATE, bulk COPY), and on Neo4j (the session's server
from ``neo4j_uri``, cleared before each test). Stores only execute: tests run the test-only
query catalogue in tests/data/queries/ on them with :func:`read`.

The sample data below is written by hand: a small registry, dictionary and two documents
whose expected counts the tests spell out themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policykg import queries
from policykg.graph.model import (
    Agency,
    Assignment,
    DocumentMeta,
    Industry,
    Measure,
    ParsedDocument,
    Section,
    Target,
)
from policykg.graph.store import GraphStore
from policykg.loaders.industries import IndustryDictionary
from policykg.loaders.registry import AgencyInfo, AgencyRegistry
from policykg.queries import writes
from policykg.queries.catalogue import Catalogue

TEST_QUERY_DIR = Path(__file__).parent / "data" / "queries"
INJECTION = "It's a \"quoted\" value'}) DETACH DELETE n //"


@pytest.fixture(scope="session")
def test_catalogue() -> Catalogue:
    return TEST_CATALOGUE


TEST_CATALOGUE = Catalogue.load(TEST_QUERY_DIR)


def read(store: GraphStore, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows of the test catalogue's query ``name`` on ``store``."""
    return queries.read(store, name, params, catalogue=TEST_CATALOGUE)


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[GraphStore]:
    from policykg.graph.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path / "store")
    yield store
    store.close()


@pytest.fixture
def embedded_bulk_store(tmp_path: Path) -> Iterator[GraphStore]:
    """The embedded store writing every document the bulk way (COPY from CSV files, journalled)."""
    from policykg.graph.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path / "store", bulk_rows=0)
    yield store
    store.close()


@pytest.fixture(scope="session")
def neo4j_session_store(neo4j_uri: str, neo4j_database: str) -> Iterator[GraphStore]:
    from policykg.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(neo4j_uri, database=neo4j_database)
    yield store
    store.close()


@pytest.fixture
def neo4j_store(neo4j_session_store: GraphStore) -> GraphStore:
    neo4j_session_store.clear()
    return neo4j_session_store


@pytest.fixture(params=["embedded", "embedded_bulk", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> GraphStore:
    """The same test on each engine, and on both write paths of the embedded one."""
    store: GraphStore = request.getfixturevalue(f"{request.param}_store")
    return store


# ---------------------------------------------------------------------------- sample data


def sample_registry() -> AgencyRegistry:
    """Seven units: two members of a leading group, one reform step, one unit without tasks."""
    group = "省工业转型升级领导小组"

    def info(name: str, **kw: Any) -> AgencyInfo:
        return AgencyInfo(Agency(name=name, level="province", kind=kw.pop("kind", "department"), **kw), "浙江省", None)

    return AgencyRegistry(
        [
            info("省经信委", full_name="浙江省经济和信息化委员会", aliases=("经信委",), member_of=(group,)),
            info("省科技厅", full_name="浙江省科学技术厅", member_of=(group,)),
            info("省发展改革委", full_name="浙江省发展和改革委员会"),
            info(group, kind="leading_group"),
            info("省质监局", succeeded_by=(("省市场监管局", "2018-10-01"),)),
            info("省市场监管局"),
            info("省统计局"),
        ]
    )


def sample_industries() -> IndustryDictionary:
    return IndustryDictionary(
        [
            Industry("纺织", code="C17", category="制造业", keywords=("纺织",)),
            Industry("化工", code="C26", category="制造业", keywords=("化工",)),
            Industry("汽车", code="C36", category="制造业", keywords=("汽车",)),
        ]
    )


def _lead(name: str, position: int = 0, written: str | None = None) -> Assignment:
    return Assignment(name, written or name, "lead", position)


def sample_document_a() -> ParsedDocument:
    """Three measures under three headings, one target, one unresolved unit, two industries."""
    robots = Target(
        "工业机器人", "20000", "台", "at_least", 2020, False, "力争", "新增工业机器人20000台",
        value_normalised=20000.0, base_unit="台", span=(9, 22),
    )  # fmt: skip
    return ParsedDocument(
        DocumentMeta(
            title="传统制造业改造提升任务分解方案",
            doc_number="浙经信〔2017〕1号",
            issuer="浙江省工业转型升级领导小组办公室",
            date_written="2017-07-03",
            implements=["浙政发〔2017〕23号"],
            attachments=["附件1, 任务表", '附件"2"'],
        ),
        sections=[Section("一", "主要任务", 1), Section("一/(一)", "推进技术改造。", 2), Section("二", "保障措施", 1)],
        measures=[
            Measure(
                "一/(一)/1",
                '推进"机器换人"，新增工业机器人20000台。',
                ("一", "一/(一)"),
                [_lead("省经信委", 0, "经信委"), Assignment("省科技厅", "省科技厅", "support", 1)],
                targets=[robots],
                industries=["纺织"],
                span=(10, 40),
                line=5,
            ),
            Measure(
                "一/(一)/2",
                INJECTION,
                ("一", "一/(一)"),
                [_lead("省科技厅"), Assignment("某某办", "某某办", "support", 1, resolved=False)],
                industries=["纺织", "化工"],
                span=(41, 80),
                line=6,
            ),
            Measure(
                "二/1",
                "加强统筹协调。",
                ("二",),
                [Assignment("省经信委", "省经信委", "joint", 0), Assignment("省科技厅", "省科技厅", "joint", 1)],
                deadline="2018年底前",
                deadline_date="2018-12-31",
                span=(81, 95),
                line=9,
            ),
        ],
    )


def sample_document_b() -> ParsedDocument:
    """One measure; implements the same provincial document as A."""
    return ParsedDocument(
        DocumentMeta(
            title="汽车产业任务分工",
            doc_number="浙经信〔2018〕2号",
            date_written="2018-03-01",
            implements=["浙政发〔2017〕23号"],
        ),
        sections=[Section("一", "重点任务", 1)],
        measures=[
            Measure(
                "一/1",
                "发展新能源汽车。",
                ("一",),
                [_lead("省发展改革委"), Assignment("省经信委", "省经信委", "support", 1)],
                industries=["汽车"],
            )
        ],
    )


def load_sample(store: GraphStore, *documents: ParsedDocument) -> None:
    """Reference data plus the given documents (A and B when none are named), through ingest."""
    from policykg.ingest import document_rows, reference_rows

    registry, industries = sample_registry(), sample_industries()
    writes.upsert_reference(store, reference_rows(registry, industries))
    for parsed in documents or (sample_document_a(), sample_document_b()):
        writes.write_document(store, document_rows(parsed, registry, industries))


@pytest.fixture(scope="session")
def zhejiang_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store holding the Zhejiang 2017 example, loaded once; open it read-only."""
    from policykg.graph.open import open_store_at
    from policykg.ingest import load_files

    path = tmp_path_factory.mktemp("zhejiang") / "store"
    store = open_store_at("embedded", path)
    try:
        example = (
            Path(__file__).resolve().parents[1] / "policykg" / "examples" / "2017-zhejiang-chuantong-zhizao-fenjie.txt"
        )
        assert not load_files([example], store, progress=False).failures
    finally:
        store.close()
    return path
