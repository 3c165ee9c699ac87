"""The graphs the pages draw, as plain nodes and edges: the corpus network, one agency, one document.

A view knows nothing of pyvis or HTML; :mod:`policykg.viz.pyvis_adapter` draws it.
Node text is kept as plain text here and escaped where it is written.

>>> from policykg.viz.data import DocumentInfo, ExplorerData, MeasureInfo, Responsibility
>>> data = ExplorerData.build(
...     documents=[DocumentInfo("d1", "实施方案")],
...     measures=[MeasureInfo("d1~1", "d1", "1", "推进改造。")],
...     responsibilities=[Responsibility("省经信委", "d1~1", "lead"), Responsibility("省财政厅", "d1~1", "support")],
... )
>>> view = agency_view(data, "省经信委")
>>> sorted(n.kind for n in view.nodes)
['agency', 'agency', 'measure']
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from policykg.viz.data import ExplorerData, MeasureInfo
from policykg.viz.filenames import agency_page, document_page, measure_anchor
from policykg.viz.layout import positions
from policykg.viz.style import (
    EDGE_COLOURS,
    NODE_STYLES,
    ROLE_COLOURS,
    ROLE_LABELS,
    UNRESOLVED_AGENCY_COLOUR,
    NodeKind,
    agency_size,
    level_colour,
)
from policykg.words import kind_group, kind_label, level_label

Facets = dict[str, list[str]]


@dataclass(slots=True)
class ViewNode:
    """One node: ``title`` is the plain-text tooltip and the detail panel's text; ``detail`` adds (field, value) pairs.

    ``facets`` (role, industry, document) drive the page's filters; a node with
    ``follows`` set is hidden when every faceted neighbour is filtered out.
    """

    id: str
    label: str
    kind: NodeKind
    title: str
    size: float
    colour: str
    href: str | None = None
    detail: list[tuple[str, str]] = field(default_factory=list)
    facets: Facets = field(default_factory=dict)
    follows: bool = False
    weight: float = 1.0

    @property
    def shape(self) -> str:
        return NODE_STYLES[self.kind].shape


@dataclass(frozen=True, slots=True)
class ViewEdge:
    source: str
    target: str
    kind: str
    width: float = 1.0
    title: str = ""

    @property
    def colour(self) -> str:
        return EDGE_COLOURS.get(self.kind, EDGE_COLOURS["contains"])


@dataclass(slots=True)
class GraphView:
    """Nodes and edges of one drawing, with precomputed positions (filled by :meth:`place`)."""

    name: str
    nodes: list[ViewNode] = field(default_factory=list)
    edges: list[ViewEdge] = field(default_factory=list)
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    _ids: set[str] = field(default_factory=set, repr=False)

    def add_node(self, node: ViewNode) -> bool:
        """Add ``node`` unless one with its id is already there; True when added."""
        if node.id in self._ids:
            return False
        self._ids.add(node.id)
        self.nodes.append(node)
        return True

    def has_node(self, node_id: str) -> bool:
        return node_id in self._ids

    def add_edge(self, edge: ViewEdge) -> None:
        self.edges.append(edge)

    def kinds(self) -> list[str]:
        return sorted({n.kind for n in self.nodes})

    def to_networkx(self) -> nx.Graph:
        graph = nx.Graph()
        graph.add_nodes_from(n.id for n in self.nodes)
        for e in self.edges:
            if graph.has_edge(e.source, e.target):
                graph[e.source][e.target]["weight"] += e.width
            else:
                graph.add_edge(e.source, e.target, weight=e.width)
        return graph

    def place(self) -> GraphView:
        """Compute every node's position once, so the page can draw with physics off."""
        self.positions = {str(k): v for k, v in positions(self.to_networkx()).items()}
        return self

    def reduced(self, limit: int) -> GraphView:
        """The ``limit`` heaviest nodes (then the most connected) and the edges among them.

        >>> v = GraphView("v")
        >>> for i in range(5): _ = v.add_node(ViewNode(str(i), str(i), "agency", "", 10, "#000", weight=i))
        >>> [n.id for n in v.reduced(2).nodes]
        ['4', '3']
        """
        degree: Counter[str] = Counter()
        for e in self.edges:
            degree[e.source] += 1
            degree[e.target] += 1
        ranked = sorted(self.nodes, key=lambda n: (-n.weight, -degree[n.id], n.id))[:limit]
        smaller = GraphView(self.name)
        for n in ranked:
            smaller.add_node(n)
        smaller.edges = [e for e in self.edges if smaller.has_node(e.source) and smaller.has_node(e.target)]
        smaller.positions = {k: v for k, v in self.positions.items() if smaller.has_node(k)}
        return smaller


def _shorten(text: str, length: int) -> str:
    """``text`` cut to ``length`` characters with an ellipsis.

    >>> _shorten("推进传统制造业改造提升", 6)
    '推进传统制…'
    """
    return text if len(text) <= length else text[: length - 1] + "…"


def _names(data: ExplorerData, measure_id: str, role: str) -> str:
    return "、".join(r.agency for r in data.responsible_for(measure_id) if r.role == role)


def _measure_title(data: ExplorerData, m: MeasureInfo) -> str:
    doc = data.documents[m.doc_id].display_name
    lines = [f"{m.ref} · {doc}", m.text]
    for role in ("lead", "support", "joint"):
        names = _names(data, m.id, role)
        if names:
            lines.append(f"{ROLE_LABELS[role].split(' ')[0].capitalize()}: {names}")
    if m.deadline:
        lines.append(f"Deadline: {m.deadline}")
    return "\n".join(lines)


def _measure_detail(m: MeasureInfo) -> list[tuple[str, str]]:
    """What the detail panel adds to a measure's title (which already has ref, document, clause, agencies)."""
    rows = [("Industries", "、".join(m.industries))] if m.industries else []
    return rows + [("Target", t.text) for t in m.targets]


def _measure_href(m: MeasureInfo) -> str:
    return f"{document_page(m.doc_id)}#{measure_anchor(m.id)}"


def measure_facets(m: MeasureInfo, roles: list[str]) -> Facets:
    """What the page filters match a measure on: its roles, industries and document."""
    return {"role": roles, "industry": list(m.industries), "document": [m.doc_id]}


def _measure_node(
    data: ExplorerData, m: MeasureInfo, colour: str, roles: list[str], detail: list[tuple[str, str]]
) -> ViewNode:
    """A measure as both views draw it: sized by its targets, linked to its clause, faceted by role."""
    return ViewNode(
        id=f"measure:{m.id}",
        label=m.ref,
        kind="measure",
        title=_measure_title(data, m),
        size=NODE_STYLES["measure"].size + 2 * len(m.targets),
        colour=colour,
        href=_measure_href(m),
        detail=detail,
        facets=measure_facets(m, roles),
    )


def _agency_node(data: ExplorerData, name: str, totals: dict[str, int], *, follows: bool = False) -> ViewNode:
    info = data.agency(name)
    total = totals.get(name, 0)
    detail = []
    if info.level:
        detail.append(("Level", level_label(info.level)))
    if info.kind:
        detail.append(("Kind", kind_label(info.kind)))
    for other, how in data.other_names(name):
        detail.append((how[:1].upper() + how[1:], other))
    if not info.resolved:
        detail.append(("Registry", "not in the agency registry; kept as written"))
    return ViewNode(
        id=f"agency:{name}",
        label=name,
        kind="agency",
        title=f"{name}\n{total} measures" + ("" if info.resolved else "\n(not in the agency registry)"),
        size=agency_size(total),
        colour=NODE_STYLES["agency"].colour if info.resolved else UNRESOLVED_AGENCY_COLOUR,
        href=agency_page(name),
        detail=detail,
        follows=follows,
        weight=float(total),
    )


def corpus_view(data: ExplorerData) -> GraphView:
    """Agencies sized by workload, linked where they share measures (width by how many)."""
    view = GraphView("co-responsibility")
    totals = {w.agency: w.total for w in data.workload()}
    facets: dict[str, Facets] = {name: {"role": [], "industry": [], "document": []} for name in data.agencies}
    for r in data.responsibilities:
        m = data.measures[r.measure_id]
        f = facets[r.agency]
        for key, values in (("role", [r.role]), ("industry", list(m.industries)), ("document", [m.doc_id])):
            f[key].extend(v for v in values if v not in f[key])
    for name in sorted(data.agencies, key=lambda a: (-totals.get(a, 0), a)):
        node = _agency_node(data, name, totals)
        info = data.agencies[name]
        node.colour = level_colour(info.level, info.resolved)
        node.facets = {
            **facets[name],
            "level": [info.level or "unknown"],
            "kind": [kind_group(info.level, info.kind)],
        }
        view.add_node(node)
    for (a, b), shared in sorted(data.co_responsibility().items()):
        view.add_edge(
            ViewEdge(
                f"agency:{a}",
                f"agency:{b}",
                "partner",
                round(1 + math.log2(shared), 2),
                f"{a} — {b}: {shared} shared measures",
            )
        )
    return view.place()


def agency_view(data: ExplorerData, name: str) -> GraphView:
    """One agency's ego network: its measures coloured by its role, partner agencies, targets."""
    data.agency(name)  # NotFound for an unknown name
    view = GraphView(f"agency {name}")
    totals = {w.agency: w.total for w in data.workload()}
    centre = _agency_node(data, name, totals)
    view.add_node(centre)
    for r in data.responsibilities_of(name):
        m = data.measures[r.measure_id]
        detail = [("Role of " + name, ROLE_LABELS[r.role]), *_measure_detail(m)]
        node = _measure_node(data, m, ROLE_COLOURS[r.role], [r.role], detail)
        view.add_node(node)
        mid = node.id
        view.add_edge(ViewEdge(centre.id, mid, r.role, 2.0, f"{name} {ROLE_LABELS[r.role]}"))
        for other in data.responsible_for(m.id):
            if other.agency == name:
                continue
            view.add_node(_agency_node(data, other.agency, totals, follows=True))
            view.add_edge(
                ViewEdge(f"agency:{other.agency}", mid, other.role, 1.0, f"{other.agency} {ROLE_LABELS[other.role]}")
            )
        for t in m.targets:
            tid = f"target:{t.id}"
            view.add_node(
                ViewNode(
                    id=tid,
                    label=_shorten(t.metric or t.text, 14),
                    kind="target",
                    title=f"{t.text}\n{m.ref} · {data.documents[m.doc_id].display_name}",
                    size=NODE_STYLES["target"].size,
                    colour=NODE_STYLES["target"].colour,
                    href=_measure_href(m),
                    detail=[("Year", str(t.year or "")), ("Clause", m.text)],
                    follows=True,
                )
            )
            view.add_edge(ViewEdge(mid, tid, "target"))
    return view.place()


def _parent_path(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def document_view(data: ExplorerData, doc_id: str) -> GraphView:
    """One document's outline: sections, the measures under them and the agencies named on each."""
    doc = data.document(doc_id)
    view = GraphView(f"document {doc_id}")
    totals = {w.agency: w.total for w in data.workload()}
    root = ViewNode(
        id=f"document:{doc.id}",
        label=_shorten(doc.title, 18),
        kind="document",
        title=doc.display_name,
        size=NODE_STYLES["document"].size,
        colour=NODE_STYLES["document"].colour,
        href=document_page(doc.id),
        detail=[("Issuer", doc.issuer or "")],
    )
    view.add_node(root)
    section_ids = {s.path: f"section:{doc.id}:{s.path}" for s in doc.sections}
    for s in doc.sections:
        view.add_node(
            ViewNode(
                id=section_ids[s.path],
                label=_shorten(f"{s.path.rsplit('/', 1)[-1]} {s.heading}", 16),
                kind="section",
                title=f"{s.path} {s.heading}",
                size=max(NODE_STYLES["section"].size + 6 - 2 * s.level, 6),
                colour=NODE_STYLES["section"].colour,
            )
        )
        parent = section_ids.get(_parent_path(s.path), root.id)
        view.add_edge(ViewEdge(parent, section_ids[s.path], "contains"))
    for m in data.measures_of_document(doc_id):
        responsible = data.responsible_for(m.id)
        lead_role = next((r.role for r in responsible if r.role in ("lead", "joint")), None)
        colour = ROLE_COLOURS[lead_role] if lead_role else NODE_STYLES["measure"].colour
        roles: list[str] = sorted({r.role for r in responsible})
        node = _measure_node(data, m, colour, roles, _measure_detail(m))
        view.add_node(node)
        mid = node.id
        view.add_edge(ViewEdge(section_ids.get(m.section_path, root.id), mid, "contains"))
        for r in responsible:
            view.add_node(_agency_node(data, r.agency, totals, follows=True))
            view.add_edge(ViewEdge(f"agency:{r.agency}", mid, r.role, 1.5 if r.role != "support" else 1.0))
    return view.place()
