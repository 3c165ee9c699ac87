"""HTML pages of the explorer: the index, one page per agency, one per document.

Templates live in ``assets/`` and are rendered with autoescaping on, so document text is
always written as text; data for scripts goes through :func:`json_for_script`.

>>> from policykg.viz.data import DocumentInfo, ExplorerData, MeasureInfo, Responsibility
>>> data = ExplorerData.build(
...     documents=[DocumentInfo("d1", "方案")],
...     measures=[MeasureInfo("d1~1", "d1", "1", "<script>alert(1)</script>")],
...     responsibilities=[Responsibility("省经信委", "d1~1", "lead")],
... )
>>> page = render_agency(data, "省经信委")
>>> "<script>alert(1)" in page.html, "&lt;script&gt;alert(1)" in page.html
(False, True)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from policykg.viz.data import DocumentInfo, ExplorerData, MeasureInfo, SectionInfo, Workload
from policykg.viz.filenames import agency_page, document_page, measure_anchor
from policykg.viz.pyvis_adapter import ASSET_DIR, NODE_LIMIT, DrawnNetwork, render_network, vis_network_files
from policykg.viz.style import ROLE_LABELS, agency_role_legend, document_role_legend, legend, overview_legend
from policykg.viz.views import GraphView, agency_view, corpus_view, document_view, measure_facets
from policykg.words import KIND_GROUPS, LEVEL_FILTERS, group_label, kind_group, level_label

OWN_ASSETS = ("explorer.css", "explorer.js")


@dataclass(frozen=True, slots=True)
class RenderedPage:
    html: str
    drawn: DrawnNetwork


def json_for_script(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` block: ``<``, ``>``, ``&`` and line separators escaped.

    >>> json_for_script({"t": "</script>"})
    '{"t": "\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def asset_files() -> dict[str, Path]:
    """Every file a page loads, by the name it has under ``assets/`` in the site."""
    return {**vis_network_files(), **{name: ASSET_DIR / name for name in OWN_ASSETS}}


@cache
def _inline_assets() -> dict[str, str]:
    return {name: path.read_text(encoding="utf-8") for name, path in asset_files().items()}


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(ASSET_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=False,
    )
    env.globals.update(
        agency_page=agency_page, document_page=document_page, anchor=measure_anchor, role_labels=ROLE_LABELS
    )
    return env


def _render(template: str, *, root: str, inline: bool, **context: Any) -> str:
    return (
        _environment()
        .get_template(template)
        .render(root=root, inline_assets=_inline_assets() if inline else None, **context)
    )


def _filters(
    data: ExplorerData, view: GraphView, facets: tuple[str, ...]
) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(facet, label, [(value, text)]) for each facet some node of the view carries a value of."""
    present: dict[str, set[str]] = {f: set() for f in facets}
    for node in view.nodes:
        for f in facets:
            present[f].update(node.facets.get(f, ()))
    result = []
    if present.get("role"):
        result.append(("role", "Role", [(r, ROLE_LABELS[r]) for r in ROLE_LABELS if r in present["role"]]))
    if present.get("industry"):
        result.append(("industry", "Industry", [(i, i) for i in sorted(present["industry"])]))
    if present.get("document"):
        docs = sorted(present["document"], key=lambda d: data.documents[d].display_name)
        result.append(("document", "Document", [(d, data.documents[d].display_name) for d in docs]))
    if present.get("level"):
        order = [*LEVEL_FILTERS, "unknown"]
        levels = sorted(present["level"], key=lambda lv: order.index(lv) if lv in order else len(order))
        result.append(
            ("level", "Level", [(lv, level_label(lv) if lv != "unknown" else "not in the registry") for lv in levels])
        )
    if present.get("kind"):
        kinds = [k for k in KIND_GROUPS if k in present["kind"]]
        result.append(("kind", "Kind", [(k, group_label(k)) for k in kinds]))
    return result


def render_index(data: ExplorerData, *, root: str = "", inline: bool = False, limit: int = NODE_LIMIT) -> RenderedPage:
    """Search, the co-responsibility network of agencies, the workload table and the document list."""
    view = corpus_view(data)
    drawn = render_network(view, limit=limit)
    workload = data.workload()
    totals = {w.agency: w.total for w in workload}
    node_facets = {n.label: n.facets for n in view.nodes}
    ranking = [
        _RankRow(
            w,
            level_label(data.agencies[w.agency].level) if data.agencies[w.agency].level else "",
            group_label(kind_group(data.agencies[w.agency].level, data.agencies[w.agency].kind)),
            json.dumps(node_facets.get(w.agency, {}), ensure_ascii=False),
        )
        for w in workload
    ]
    search = {
        "agencies": [
            {
                "name": a,
                "href": agency_page(a),
                "total": totals.get(a, 0),
                "aka": [{"name": other, "how": how} for other, how in data.other_names(a)],
            }
            for a in sorted(data.agencies)
        ],
        "measures": [
            {
                "ref": m.ref,
                "doc": data.documents[m.doc_id].display_name,
                "text": m.text,
                "agencies": " ".join(r.agency for r in data.responsible_for(m.id)),
                "href": f"{document_page(m.doc_id)}#{measure_anchor(m.id)}",
            }
            for m in data.measures.values()
        ],
    }
    documents = sorted(data.documents.values(), key=lambda d: (-(d.year or 0), d.title))
    html = _render(
        "index.html",
        root=root,
        inline=inline,
        title="Overview",
        where="all documents",
        page_kind="index",
        counts={
            "documents": len(data.documents),
            "measures": len(data.measures),
            "agencies": len(data.agencies),
            "responsibilities": len(data.responsibilities),
        },
        search_json=json_for_script(search),
        drawn=drawn,
        filters=_filters(data, view, ("level", "kind", "role", "industry", "document")),
        legend=overview_legend(
            [a.level for a in data.agencies.values() if a.level and a.resolved],
            any(not a.resolved for a in data.agencies.values()),
        )
        or legend(view.kinds()),
        legend_note="Node size grows with an agency's number of measures. Labels name the busiest "
        "agencies; zoom in (mouse wheel) to read the others, click a node for its details.",
        workload=ranking,
        documents=[(d, len(data.measures_of_document(d.id))) for d in documents],
    )
    return RenderedPage(html, drawn)


@dataclass(frozen=True, slots=True)
class _RankRow:
    """One agency in the index's workload ranking, with the facets the filters apply to."""

    work: Workload
    level: str
    kind: str
    facets_json: str


@dataclass(frozen=True, slots=True)
class _AgencyRow:
    measure: MeasureInfo
    role: str
    partners: list[str]
    href: str
    document: DocumentInfo
    facets_json: str


def render_agency(
    data: ExplorerData, name: str, *, root: str = "../", inline: bool = False, limit: int = NODE_LIMIT
) -> RenderedPage:
    """One agency: its ego network and the table of everything it leads, supports or shares."""
    agency = data.agency(name)
    view = agency_view(data, name)
    drawn = render_network(view, limit=limit)
    rows = []
    for r in data.responsibilities_of(name):
        m = data.measures[r.measure_id]
        facets = measure_facets(m, [r.role])
        rows.append(
            _AgencyRow(
                measure=m,
                role=r.role,
                partners=[o.agency for o in data.responsible_for(m.id) if o.agency != name],
                href=f"{document_page(m.doc_id)}#{measure_anchor(m.id)}",
                document=data.documents[m.doc_id],
                facets_json=json.dumps(facets, ensure_ascii=False),
            )
        )
    work = next((w for w in data.workload() if w.agency == name), None)
    html = _render(
        "agency.html",
        root=root,
        inline=inline,
        title=name,
        where="agency",
        page_kind="agency",
        agency=agency,
        work=work or {"lead": 0, "support": 0, "joint": 0},
        partners=list(data.partners(name).items()),
        drawn=drawn,
        filters=_filters(data, view, ("role", "industry", "document")),
        legend=legend(view.kinds(), agency_role_legend()),
        rows=rows,
        timeline=data.timeline(name),
        peers=data.peer_standing(name),
    )
    return RenderedPage(html, drawn)


@dataclass(frozen=True, slots=True)
class _OutlineBlock:
    section: SectionInfo | None
    level: int
    measures: list[MeasureInfo]


def _people(data: ExplorerData) -> Callable[[str], list[tuple[str, str, list[str]]]]:
    def people(measure_id: str) -> list[tuple[str, str, list[str]]]:
        rows = data.responsible_for(measure_id)
        result = []
        for role, label in (("lead", "Lead"), ("joint", "Jointly responsible"), ("support", "Support")):
            names = [r.agency for r in rows if r.role == role]
            if names:
                result.append((role, label, names))
        return result

    return people


def render_document(
    data: ExplorerData, doc_id: str, *, root: str = "../", inline: bool = False, limit: int = NODE_LIMIT
) -> RenderedPage:
    """One document: its outline graph and its sections with their measures, in document order."""
    document = data.document(doc_id)
    view = document_view(data, doc_id)
    drawn = render_network(view, limit=limit)
    measures = data.measures_of_document(doc_id)
    by_section: dict[str, list[MeasureInfo]] = {}
    for m in measures:
        by_section.setdefault(m.section_path, []).append(m)
    outline = [_OutlineBlock(s, s.level, by_section.pop(s.path, [])) for s in document.sections]
    loose = [m for ms in by_section.values() for m in ms]
    if loose:
        outline.append(_OutlineBlock(None, 1, loose))
    html = _render(
        "document.html",
        root=root,
        inline=inline,
        title=document.title,
        where="document",
        page_kind="document",
        document=document,
        measure_count=len(measures),
        drawn=drawn,
        filters=_filters(data, view, ("role", "industry")),
        legend=legend(view.kinds(), document_role_legend()),
        outline=outline,
        people=_people(data),
    )
    return RenderedPage(html, drawn)
