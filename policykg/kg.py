"""The Python API for notebooks: ``policykg.connect(path_or_uri)`` returns a :class:`KnowledgeGraph`.

Every catalogued query runs by name with keyword parameters; the common ones have their own
methods. Results are :class:`Rows`: a list of named tuples (one type per query, fields as the
query's ``returns`` header), with ``to_pandas()`` (pandas is an optional extra:
``pip install policykg[notebook]``) and, for the graph views, networkx graphs.

>>> import tempfile
>>> from pathlib import Path
>>> examples = Path(__file__).parent / "examples"
>>> with tempfile.TemporaryDirectory() as tmp, connect(tmp) as kg:
...     report = kg.load([examples / "2017-zhejiang-chuantong-zhizao-fenjie.txt"])
...     leads = kg.measures(agency="省经信委", role="lead")
...     (len(leads), leads[0].role, leads.columns[:3])
(22, 'lead', ('agency', 'id', 'ref'))
"""

from __future__ import annotations

import os
from collections import namedtuple
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from policykg import queries
from policykg.graph.open import open_store_at
from policykg.graph.store import GraphStore

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from policykg.ingest import LoadReport
    from policykg.loaders.registry import AgencyRegistry


class Rows(list[Any]):
    """Rows of one query: named tuples with the query's columns, in the query's order.

    >>> rows = Rows("demo", ("name", "lead"), [{"name": "省经信委", "lead": 22}])
    >>> rows[0].name, rows[0].lead, rows.columns
    ('省经信委', 22, ('name', 'lead'))
    """

    def __init__(self, query: str, columns: Sequence[str], records: Iterable[dict[str, Any]]) -> None:
        self.query = query
        self.columns = tuple(columns)
        row_type = namedtuple(_type_name(query), self.columns, rename=True)  # type: ignore[misc]
        super().__init__(row_type(*(record.get(c) for c in self.columns)) for record in records)

    def to_dicts(self) -> list[dict[str, Any]]:
        """The rows as plain dictionaries (for JSON, csv.DictWriter …)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self]

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame with the query's columns (pandas must be installed)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas needs pandas: pip install 'policykg[notebook]'.") from None
        return pd.DataFrame.from_records(list(self), columns=list(self.columns))


class KnowledgeGraph:
    """A connected policykg store: run named queries, load documents, take graphs to networkx."""

    def __init__(self, store: GraphStore, registry: AgencyRegistry | None = None) -> None:
        self.store = store
        self.catalogue = queries.default_catalogue()
        self._registry = registry

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def registry(self) -> AgencyRegistry:
        if self._registry is None:
            from policykg.loaders.registry import AgencyRegistry

            self._registry = AgencyRegistry.load_default()
        return self._registry

    # -- any catalogued query --------------------------------------------------------------
    def queries(self) -> list[str]:
        """Names of the catalogued queries ``query`` runs."""
        return sorted(q.name for q in self.catalogue)

    def query(self, name: str, /, **params: Any) -> Rows:
        """Run the catalogued query ``name``; agency names and aliases are resolved to ids first.

        Paged queries return the page asked for (``limit``/``offset``); the methods below page
        through every row.
        """
        from policykg.resolve import resolve_agency_params

        query = self.catalogue.get(name)
        bound = query.bind(resolve_agency_params(self.store, self.registry, name, params))
        return Rows(name, query.returns, queries.read(self.store, name, bound, catalogue=self.catalogue))

    def query_all(self, name: str, /, **params: Any) -> Rows:
        """Every row of a paged query, page by page."""
        from policykg.resolve import resolve_agency_params

        query = self.catalogue.get(name)
        resolved = resolve_agency_params(self.store, self.registry, name, params)
        return Rows(name, query.returns, queries.read_all(self.store, name, resolved, catalogue=self.catalogue))

    # -- the common questions --------------------------------------------------------------
    def measures(self, agency: str | None = None, role: str = "any", **filters: Any) -> Rows:
        """Measures of one agency by role ("everything 省经信委 leads"), or measures matching filters.

        With ``agency``: the ``agency_measures`` query (``role`` lead, support, joint or any).
        Without: ``measures_search`` with its filters (``q``, ``doc_id``, ``section``, ``industry``, ``year``).
        """
        if agency is not None:
            return self.query_all("agency_measures", name=agency, role=role, **filters)
        return self.query_all("measures_search", **filters)

    def agencies(self, **filters: Any) -> Rows:
        """Every agency with its workload counts (``agency_workload``; filters ``q``, ``doc_id``, ``min_measures``)."""
        return self.query_all("agency_workload", **filters)

    def targets(self, **filters: Any) -> Rows:
        """Quantitative targets (``targets``; filters such as ``year``, ``unit``, ``q``, ``agency``, ``role``)."""
        return self.query_all("targets", **filters)

    def workload(self, merge_reforms: bool = False) -> Rows:
        """The researcher's workload table: lead, support, joint, share-normalised load, role class per agency."""
        from policykg.analytics.metrics import breadth_depth, workload

        table = self._table(merge_reforms)
        classes = {b.agency: b for b in breadth_depth(table)}
        records = []
        for row in workload(table):
            record = row.as_dict()
            b = classes.get(row.agency)
            record.update(
                breadth=b.breadth if b else 0, depth=b.depth if b else 0, role_class=b.role_class if b else ""
            )
            records.append(record)
        columns = tuple(records[0]) if records else ("agency",)
        return Rows("workload", columns, records)

    def peers(self, level: str | None = None) -> Rows:
        """Every agency's percentile of lead, support and breadth among the agencies of its level."""
        from policykg.analytics.peers import peer_standings

        records = [s.as_dict() for s in peer_standings(self._table(False)).values()]
        records = [r for r in records if level is None or r["level"] == level]
        records.sort(key=lambda r: (r["level"], -r["lead"], r["agency"]))
        columns = tuple(records[0]) if records else ("agency",)
        return Rows("peers", columns, records)

    def timeline(self, agency: str | None = None, role: str = "any") -> Rows:
        """Deadlines and target years falling due, one row per agency and item, earliest first."""
        from policykg.analytics.timeline import read_timeline
        from policykg.resolve import resolve_agency

        agency_id = resolve_agency(self.store, self.registry, agency)["id"] if agency else ""
        entries = [e.as_dict() for e in read_timeline(self.store, agency_id, role)]
        columns = ("month", "due_date", "kind", "role", "agency", "measure_id", "ref", "label", "derived")
        return Rows("timeline", columns, entries)

    # -- graphs ----------------------------------------------------------------------------
    def to_networkx(
        self, view: str = "full", *, bipartite_with: str = "measure", merge_reforms: bool = False
    ) -> nx.Graph:
        """The graph as networkx: ``full`` (typed multigraph), ``agencies`` (co-responsibility), ``bipartite``."""
        from policykg.analytics.export import export_graph
        from policykg.analytics.graph_export import GRAPH_VIEWS, bipartite_graph, read_full_graph

        if view == "agencies":
            return export_graph(self._table(merge_reforms))
        if view not in GRAPH_VIEWS:
            raise ValueError(f"Unknown graph view {view!r}; use one of {', '.join(GRAPH_VIEWS)}.")
        full = read_full_graph(self.store)
        return full if view == "full" else bipartite_graph(full, bipartite_with)

    # -- loading ---------------------------------------------------------------------------
    def load(self, paths: Iterable[str | os.PathLike[str]]) -> LoadReport:
        """Parse and load documents (each atomically; loading one twice changes nothing)."""
        from policykg.ingest import load_files

        return load_files([Path(p) for p in paths], self.store, progress=False)

    def _table(self, merge_reforms: bool) -> Any:
        from policykg.analytics.table import read_table

        table = read_table(self.store)
        return table.reform_merged() if merge_reforms else table


def connect(
    path_or_uri: str | os.PathLike[str] = ".policykg/store",
    *,
    read_only: bool = False,
    user: str | None = None,
    password: str | None = None,
    database: str = "neo4j",
) -> KnowledgeGraph:
    """Open a store: a directory (the embedded LadybugDB store) or a ``bolt://``/``neo4j://`` URI.

    ``read_only`` opens an embedded store for reading beside a running ``policykg serve``.
    """
    location = os.fspath(path_or_uri)
    if location.startswith(("bolt://", "bolt+s://", "neo4j://", "neo4j+s://")):
        store = open_store_at("neo4j", location, user=user, password=password, database=database)
    else:
        store = open_store_at("embedded", location, read_only=read_only)
    return KnowledgeGraph(store)


def _type_name(query: str) -> str:
    return "".join(part.capitalize() for part in query.split("_")) + "Row"
