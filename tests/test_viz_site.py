"""The static site: what it writes, that it needs no network, and that document text stays text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fixtures_browser import XSS_CLAUSE

from policykg.viz.data import ExplorerData
from policykg.viz.filenames import agency_page, document_page
from policykg.viz.pyvis_adapter import vis_options
from policykg.viz.site import SiteReport, build_site_from_data

# Anything that would make the browser fetch from another host.
REMOTE_REFERENCE = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", re.IGNORECASE
)


def _network_json(html: str) -> tuple[list[dict], list[dict]]:
    """The node and edge arrays a page hands to vis-network."""

    def block(element_id: str) -> list[dict]:
        raw = html.split(f'<script type="application/json" id="{element_id}">', 1)[1].split("</script>", 1)[0]
        return json.loads(raw)

    return block("network-nodes"), block("network-edges")


def test_site_has_index_agency_and_document_pages(sample_site: SiteReport) -> None:
    out = sample_site.out_dir
    assert sample_site.agency_pages == 6 and sample_site.document_pages == 2
    for name in ("省经信委", "省科技厅", "省财政厅", "各市政府", "省发展改革委", "省税务局"):
        assert (out / agency_page(name)).is_file()
    assert (out / document_page("doc-zj")).is_file() and (out / document_page("doc-tax")).is_file()
    assert sorted(p.name for p in (out / "assets").iterdir()) == [
        "explorer.css",
        "explorer.js",
        "vis-network.css",
        "vis-network.min.js",
    ]
    assert sample_site.url.startswith("file://") and sample_site.url.endswith("/index.html")


def test_no_file_refers_to_another_host(sample_site: SiteReport) -> None:
    for path in sample_site.out_dir.rglob("*"):
        if path.suffix in {".html", ".css"}:
            text = path.read_text(encoding="utf-8")
            assert not REMOTE_REFERENCE.search(text), f"{path.name} refers to a remote resource"
            assert "bootstrap" not in text.lower(), f"{path.name} still pulls in Bootstrap"


def test_pages_link_to_each_other(sample_site: SiteReport) -> None:
    out = sample_site.out_dir
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{agency_page("省经信委")}"' in index
    assert f'href="{document_page("doc-zj")}"' in index
    agency = (out / agency_page("省税务局")).read_text(encoding="utf-8")
    assert 'href="../index.html"' in agency
    assert f'href="../{agency_page("省财政厅")}"' in agency  # its partner
    assert f'href="../{document_page("doc-tax")}#m-' in agency  # the measure in its document
    document = (out / document_page("doc-zj")).read_text(encoding="utf-8")
    assert f'href="../{agency_page("省发展改革委")}"' in document


def test_clause_text_is_escaped_everywhere(sample_site: SiteReport) -> None:
    out = sample_site.out_dir
    pages = [out / "index.html", out / agency_page("省经信委"), out / document_page("doc-zj")]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html, page.name
        assert html.count("<script") == html.count("</script>")
    table_page = (out / agency_page("省经信委")).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;推进企业技术改造" in table_page
    nodes, _ = _network_json(table_page)
    measure = next(n for n in nodes if n["label"] == "一/(一)/2")
    assert XSS_CLAUSE in measure["title"]  # the JSON decodes back to the exact clause


def test_search_data_is_json_that_cannot_close_its_script(sample_site: SiteReport) -> None:
    html = (sample_site.out_dir / "index.html").read_text(encoding="utf-8")
    raw = html.split('<script type="application/json" id="search-data">', 1)[1].split("</script>", 1)[0]
    data = json.loads(raw)
    assert sorted(a["name"] for a in data["agencies"]) == sorted(
        ["省经信委", "省科技厅", "省财政厅", "各市政府", "省发展改革委", "省税务局"]
    )
    assert XSS_CLAUSE in [m["text"] for m in data["measures"]]


def test_network_sizes_match_the_hand_counted_subgraphs(sample_site: SiteReport) -> None:
    out = sample_site.out_dir
    index_nodes, index_edges = _network_json((out / "index.html").read_text(encoding="utf-8"))
    assert len(index_nodes) == 6 and len(index_edges) == 7
    ego_nodes, _ = _network_json((out / agency_page("省经信委")).read_text(encoding="utf-8"))
    kinds = sorted(n["kind"] for n in ego_nodes)
    assert kinds.count("agency") == 6 and kinds.count("measure") == 5 and kinds.count("target") == 1
    roles = {n["label"]: n["facets"]["role"] for n in ego_nodes if n["kind"] == "measure"}
    assert roles == {
        "一/(一)/1": ["lead"],
        "一/(一)/2": ["support"],
        "一/(二)/1": ["joint"],
        "二/1": ["support"],
        "1": ["support"],
    }
    doc_nodes, _ = _network_json((out / document_page("doc-zj")).read_text(encoding="utf-8"))
    assert len(doc_nodes) == 1 + 4 + 4 + 5
    tax_nodes, _ = _network_json((out / document_page("doc-tax")).read_text(encoding="utf-8"))
    assert len(tax_nodes) == 1 + 1 + 3


def test_positions_are_precomputed_for_every_node(sample_site: SiteReport) -> None:
    html = (sample_site.out_dir / agency_page("省经信委")).read_text(encoding="utf-8")
    nodes, _ = _network_json(html)
    points = {(n["x"], n["y"]) for n in nodes}
    assert len(points) == len(nodes)  # every node has its own place


def test_physics_only_polishes_small_views() -> None:
    small, large = vis_options(50), vis_options(5000)
    assert small["physics"]["enabled"] is True and small["physics"]["stabilization"]["iterations"] <= 200
    assert large["physics"] == {"enabled": False}
    assert large["interaction"]["hideEdgesOnDrag"] is True and large["edges"]["smooth"] is False


def test_rebuilding_removes_pages_of_agencies_no_longer_in_the_graph(
    explorer_sample: ExplorerData, tmp_path: Path
) -> None:
    build_site_from_data(explorer_sample, tmp_path)
    stale = tmp_path / agency_page("省税务局")
    assert stale.is_file()
    smaller = ExplorerData.build(
        documents=[d for d in explorer_sample.documents.values() if d.id == "doc-zj"],
        measures=[m for m in explorer_sample.measures.values() if m.doc_id == "doc-zj"],
        responsibilities=[r for r in explorer_sample.responsibilities if r.measure_id.startswith("doc-zj")],
    )
    report = build_site_from_data(smaller, tmp_path)
    assert not stale.exists() and not (tmp_path / document_page("doc-tax")).exists()
    assert report.agency_pages == 5
