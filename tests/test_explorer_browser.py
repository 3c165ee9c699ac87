"""The explorer as a person uses it: in headless Chromium, from file://, with the network cut off.

Expected node counts are worked out by hand from the sample graph in fixtures_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures_browser import XSS_CLAUSE, OfflinePage
from typer.testing import CliRunner

from policykg import queries
from policykg.graph.store import GraphStore
from policykg.viz.filenames import agency_page, document_page
from policykg.viz.pages import render_agency, render_index
from policykg.viz.site import SiteReport, build_site_from_data
from policykg.viz.synthetic import BUSY_AGENCY, busy_agency_data

pytestmark = pytest.mark.browser

# page → nodes its subgraph has (centre + measures + partners + targets for an agency;
# document + sections + measures + agencies for a document).
EXPECTED_NODES = {
    "index.html": 6,
    agency_page("省经信委"): 1 + 5 + 5 + 1,
    agency_page("省科技厅"): 1 + 2 + 2 + 1,
    agency_page("省财政厅"): 1 + 2 + 3 + 1,
    agency_page("各市政府"): 1 + 1 + 1,
    agency_page("省发展改革委"): 1 + 1 + 1,
    agency_page("省税务局"): 1 + 1 + 2,
    document_page("doc-zj"): 1 + 4 + 4 + 5,
    document_page("doc-tax"): 1 + 0 + 1 + 3,
}


def _assert_clean(offline_page: OfflinePage) -> None:
    log = offline_page.log
    assert log.external_requests == [], f"requests to other hosts: {log.external_requests}"
    assert log.errors == [], f"console errors: {log.errors}"
    assert log.dialogs == [], f"dialogs opened: {log.dialogs}"


def _visible_nodes(offline_page: OfflinePage) -> list[str]:
    return offline_page.page.evaluate("network.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)")


# A node on each page to click, and text its detail panel must then show.
CLICK = {
    "index.html": ("agency:省经信委", "5 measures"),
    **{
        agency_page(name): (f"agency:{name}", name)
        for name in ("省经信委", "省科技厅", "省财政厅", "各市政府", "省发展改革委", "省税务局")
    },
    document_page("doc-zj"): ("measure:doc-zj~二.1", "加强组织领导。"),
    document_page("doc-tax"): ("measure:doc-tax~1", "落实减税降费政策。"),
}


@pytest.mark.parametrize("relative", list(EXPECTED_NODES))
def test_every_page_loads_offline_draws_its_whole_subgraph_and_answers_a_click(
    sample_site: SiteReport, offline_page: OfflinePage, relative: str
) -> None:
    offline_page.open(sample_site.out_dir / relative)
    assert offline_page.node_count() == EXPECTED_NODES[relative]
    assert offline_page.page.locator("#network canvas").is_visible()
    assert offline_page.page.evaluate("network.physics.options.enabled") is False  # placed, then still
    node_id, expected_text = CLICK[relative]
    offline_page.click_node(node_id)
    detail = offline_page.page.locator("#detail")
    assert detail.get_attribute("data-node-id") == node_id
    assert expected_text in detail.inner_text()
    _assert_clean(offline_page)


def test_every_written_page_is_covered(sample_site: SiteReport) -> None:
    written = {str(p.relative_to(sample_site.out_dir)) for p in sample_site.out_dir.rglob("*.html")}
    assert written == set(EXPECTED_NODES)


def test_clicking_a_measure_shows_its_clause_document_and_ref(
    sample_site: SiteReport, offline_page: OfflinePage
) -> None:
    offline_page.open(sample_site.out_dir / agency_page("省经信委"))
    offline_page.click_node("measure:doc-zj~一.一.1")
    detail = offline_page.page.locator("#detail")
    assert detail.get_attribute("data-node-id") == "measure:doc-zj~一.一.1"
    text = detail.inner_text()
    assert "实施“机器换人”，到2020年新增工业机器人20000台。" in text
    assert "浙政办发〔2017〕40号" in text and "一/(一)/1" in text
    assert "省科技厅、省财政厅" in text  # its supporting agencies
    _assert_clean(offline_page)


def test_clicking_an_agency_then_following_its_link_opens_its_page(
    sample_site: SiteReport, offline_page: OfflinePage
) -> None:
    offline_page.open(sample_site.out_dir / "index.html")
    offline_page.click_node("agency:省税务局")
    detail = offline_page.page.locator("#detail")
    assert "省税务局" in detail.inner_text()
    detail.locator("a.open-page").click()
    offline_page.page.wait_for_selector("body[data-ready=true]", state="attached")
    assert offline_page.page.locator("h1").inner_text() == "省税务局"
    _assert_clean(offline_page)


def test_a_script_in_a_clause_is_shown_as_text_and_never_runs(
    sample_site: SiteReport, offline_page: OfflinePage
) -> None:
    offline_page.open(sample_site.out_dir / agency_page("省经信委"))
    row = offline_page.page.locator("#measures tr", has_text="推进企业技术改造")
    assert XSS_CLAUSE in row.inner_text()
    offline_page.click_node("measure:doc-zj~一.一.2")
    assert XSS_CLAUSE in offline_page.page.locator("#detail").inner_text()
    offline_page.open(sample_site.out_dir / document_page("doc-zj"))
    assert XSS_CLAUSE in offline_page.page.locator("article", has_text="推进企业技术改造").inner_text()
    offline_page.open(sample_site.out_dir / "index.html")
    offline_page.page.fill("#search", "alert")
    assert XSS_CLAUSE in offline_page.page.locator("#search-results").inner_text()
    injected = "[...document.scripts].some(s => s.textContent.trim() === 'alert(1)')"
    assert offline_page.page.evaluate(injected) is False
    _assert_clean(offline_page)  # no dialog fired anywhere


def test_tooltips_are_plain_text_with_line_breaks(sample_site: SiteReport, offline_page: OfflinePage) -> None:
    offline_page.open(sample_site.out_dir / agency_page("省经信委"))
    page = offline_page.page
    page.evaluate("id => network.focus(id, {scale: 1.2, animation: false})", "measure:doc-zj~一.一.2")
    box = page.locator("#network canvas").bounding_box()
    spot = page.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", "measure:doc-zj~一.一.2")
    page.mouse.move(box["x"] + spot["x"] - 30, box["y"] + spot["y"])
    page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"], steps=4)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    # innerText turns each newline into a <br>; any other element would be markup from the data.
    assert tooltip.evaluate("t => [...t.children].map(c => c.tagName)") == ["BR", "BR", "BR"]
    lines = tooltip.inner_text().splitlines()
    assert lines[0].startswith("一/(一)/2 · 浙江省全面改造提升传统制造业行动计划责任分解方案")
    assert XSS_CLAUSE in lines
    _assert_clean(offline_page)


def test_search_finds_agencies_and_measures(sample_site: SiteReport, offline_page: OfflinePage) -> None:
    offline_page.open(sample_site.out_dir / "index.html")
    page = offline_page.page
    page.fill("#search", "税务")
    assert page.locator("#search-results ul.agencies li").all_inner_texts() == ["省税务局 1 measures"]
    page.fill("#search", "机器人")
    measures = page.locator("#search-results ul.measures li").all_inner_texts()
    assert len(measures) == 1 and "一/(一)/1" in measures[0]
    page.fill("#search", "没有这个词")
    assert "Nothing matches" in page.locator("#search-results").inner_text()
    page.fill("#search", "税务")
    page.locator("#search-results a", has_text="省税务局").click()
    page.wait_for_selector("body[data-ready=true]", state="attached")
    assert offline_page.node_count() == EXPECTED_NODES[agency_page("省税务局")]
    _assert_clean(offline_page)


def test_filters_hide_measures_their_partners_and_table_rows(
    sample_site: SiteReport, offline_page: OfflinePage
) -> None:
    offline_page.open(sample_site.out_dir / agency_page("省经信委"))
    page = offline_page.page
    page.select_option("#filter-role", "lead")
    assert sorted(_visible_nodes(offline_page)) == sorted(
        ["agency:省经信委", "measure:doc-zj~一.一.1", "agency:省科技厅", "agency:省财政厅", "target:doc-zj~一.一.1~t0"]
    )
    assert page.locator("#measures tbody tr:visible").count() == 1
    page.select_option("#filter-role", "")
    page.select_option("#filter-industry", "纺织业")
    assert len(_visible_nodes(offline_page)) == 1 + 2 + 3 + 1
    assert page.locator("#measures tbody tr:visible").count() == 2
    page.select_option("#filter-document", "doc-tax")
    assert sorted(_visible_nodes(offline_page)) == sorted(
        ["agency:省经信委", "measure:doc-tax~1", "agency:省财政厅", "agency:省税务局"]
    )
    page.click("#filter-reset")
    assert len(_visible_nodes(offline_page)) == EXPECTED_NODES[agency_page("省经信委")]
    assert page.locator("#measures tbody tr:visible").count() == 5
    _assert_clean(offline_page)


def test_index_filter_by_document_keeps_its_agencies(sample_site: SiteReport, offline_page: OfflinePage) -> None:
    offline_page.open(sample_site.out_dir / "index.html")
    offline_page.page.select_option("#filter-document", "doc-tax")
    assert sorted(_visible_nodes(offline_page)) == ["agency:省税务局", "agency:省经信委", "agency:省财政厅"]
    _assert_clean(offline_page)


def _write_page(out_dir: Path, relative: str, html: str) -> Path:
    """A page placed in a built site, so its relative asset links resolve."""
    path = out_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def test_a_view_over_the_node_limit_is_reduced_and_says_so(sample_site: SiteReport, offline_page: OfflinePage) -> None:
    from fixtures_browser import build_explorer_sample

    page = render_index(build_explorer_sample(), limit=4)
    path = _write_page(sample_site.out_dir, "reduced-index.html", page.html)
    try:
        offline_page.open(path)
        assert offline_page.node_count() == 4
        notice = offline_page.page.locator("#too-big").inner_text()
        assert "6 nodes" in notice and "open one agency" in notice
        _assert_clean(offline_page)
    finally:
        path.unlink()


def test_a_graph_with_no_agencies_still_loads_and_says_so(offline_page: OfflinePage, tmp_path: Path) -> None:
    from policykg.viz.data import DocumentInfo, ExplorerData

    site = build_site_from_data(ExplorerData.build(documents=[DocumentInfo("doc-empty", "尚无任务的文件")]), tmp_path)
    offline_page.open(site.index)
    assert offline_page.node_count() == 0
    assert "Nothing to draw yet" in offline_page.page.locator("#empty-view").inner_text()
    offline_page.open(tmp_path / document_page("doc-empty"))
    assert offline_page.node_count() == 1  # the document itself
    _assert_clean(offline_page)


@pytest.mark.slow
def test_a_five_thousand_node_view_is_drawn_whole_and_answers_a_click(
    sample_site: SiteReport, offline_page: OfflinePage, tmp_path: Path
) -> None:
    """How soon such a view is usable, against pyvis's defaults, is bench/bench_explorer.py's ratio."""
    data = busy_agency_data(measures=2500, supporters=2499)
    site = build_site_from_data(busy_agency_data(measures=3, supporters=2), tmp_path)  # assets only
    page = render_agency(data, BUSY_AGENCY)
    assert page.drawn.drawn_nodes == 5000 and not page.drawn.reduced
    path = _write_page(site.out_dir, "agencies/busy.html", page.html)
    offline_page.open(path, timeout_ms=60_000)
    assert offline_page.node_count() == 5000
    assert offline_page.page.evaluate("network.physics.options.enabled") is False
    offline_page.click_node("measure:doc-synth-0~一.0")
    assert offline_page.page.locator("#detail").get_attribute("data-node-id") == "measure:doc-synth-0~一.0"
    _assert_clean(offline_page)


# Pixels of the drawing that are not the page's white: the network was really drawn.
INKED_PIXELS = """() => {
  const canvas = document.querySelector("#network canvas");
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) inked++;
  }
  return inked;
}"""


def test_screenshots_of_the_index_and_an_agency_page(
    sample_site: SiteReport, offline_page: OfflinePage, artifacts_dir: Path
) -> None:
    """The screenshots (kept as artifacts) show what the DOM of the same run holds. Expected
    figures are counted by hand from the sample graph: 省经信委 leads 一/(一)/1, supports
    一/(一)/2, 二/1 and the tax document's 1, shares 一/(二)/1 with 各市政府, and works with
    省科技厅, 省财政厅, 各市政府, 省发展改革委 and 省税务局."""
    page = offline_page.page
    offline_page.open(sample_site.out_dir / "index.html")
    page.fill("#search", "经信")
    agencies = page.locator("#search-results ul.agencies li")
    assert agencies.count() == 1 and agencies.first.inner_text() == "省经信委 5 measures"
    assert agencies.first.is_visible() and page.locator("#search-results ul.measures li").count() == 5
    assert page.evaluate(INKED_PIXELS) > 1000
    page.screenshot(path=str(artifacts_dir / "explorer-index.png"), full_page=True)

    offline_page.open(sample_site.out_dir / agency_page("省经信委"))
    assert page.locator("h1").inner_text() == "省经信委" and page.locator("h1").is_visible()
    summary = page.locator(".card.summary").first
    assert summary.is_visible()
    assert " ".join(summary.inner_text().split()) == "leads 1 supports 3 shares 1 with 5 partner agencies"
    offline_page.click_node("measure:doc-zj~一.一.1")
    detail = page.locator("#detail")
    assert detail.get_attribute("data-node-id") == "measure:doc-zj~一.一.1"
    assert "新增工业机器人20000台" in detail.inner_text() and detail.is_visible()
    page.evaluate("network.fit({animation: false})")
    assert offline_page.node_count() > 5 and page.evaluate(INKED_PIXELS) > 1000
    page.screenshot(path=str(artifacts_dir / "explorer-agency.png"), full_page=True)
    _assert_clean(offline_page)


# ------------------------------------------------------------------ the bundled real corpus


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, GraphStore]]:
    """The five bundled documents parsed into an embedded store, and the site `policykg explore` builds."""
    from policykg.cli import app
    from policykg.cli.commands_demo import bundled_corpus
    from policykg.graph.embedded import EmbeddedStore
    from policykg.ingest import load_files

    root = tmp_path_factory.mktemp("corpus")
    with EmbeddedStore(root / "store") as store:
        report = load_files(bundled_corpus(), store, progress=False)
        assert not report.failures, report.failures
    result = CliRunner().invoke(app, ["explore", "--out", str(root / "site"), "--store", str(root / "store")])
    assert result.exit_code == 0, result.output
    reader = EmbeddedStore(root / "store", read_only=True)
    yield root / "site", reader
    reader.close()


def _agency_subgraph_size(store: GraphStore, agency_id: str) -> int:
    """Centre + its measures + partner agencies + targets of its measures, counted by catalogued queries."""
    measures = {row["id"] for row in queries.read(store, "agency_measures", {"name": agency_id, "limit": 10000})}
    partners = {row["partner"] for row in queries.read(store, "agency_partners", {"name": agency_id, "limit": 10000})}
    targets = {row["id"] for row in queries.read(store, "targets", {"agency": agency_id, "limit": 10000})}
    return 1 + len(measures) + len(partners) + len(targets)


def test_real_corpus_pages_draw_their_subgraphs_offline(
    corpus_site: tuple[Path, GraphStore], offline_page: OfflinePage
) -> None:
    site, store = corpus_site
    workload = queries.read(store, "agency_workload", {"min_measures": 1, "limit": 10000})
    offline_page.open(site / "index.html")
    assert offline_page.node_count() == len(workload)
    for row in workload[:3]:  # the busiest agencies
        offline_page.open(site / agency_page(row["name"]))
        assert offline_page.node_count() == _agency_subgraph_size(store, row["id"]), row["name"]
    for doc in queries.read(store, "documents", {"limit": 100}):
        detail = queries.read(store, "document_detail", {"id": doc["id"]})[0]
        outline = queries.read(store, "document_outline", {"id": doc["id"]})
        offline_page.open(site / document_page(doc["id"]))
        assert offline_page.node_count() == 1 + len(outline) + doc["measures"] + detail["agencies"], doc["title"]
    _assert_clean(offline_page)


def test_real_corpus_measure_detail_shows_the_source_clause(
    corpus_site: tuple[Path, GraphStore], offline_page: OfflinePage, artifacts_dir: Path
) -> None:
    site, store = corpus_site
    busiest = queries.read(store, "agency_workload", {"limit": 1})[0]
    measure = queries.read(store, "agency_measures", {"name": busiest["id"], "role": "lead", "limit": 1})[0]
    offline_page.open(site / agency_page(busiest["name"]))
    offline_page.click_node(f"measure:{measure['id']}")
    text = offline_page.page.locator("#detail").inner_text()
    assert measure["text"] in text and measure["ref"] in text
    offline_page.page.evaluate("network.fit({animation: false})")
    offline_page.page.screenshot(path=str(artifacts_dir / "explorer-corpus-agency.png"), full_page=False)
    offline_page.open(site / "index.html")
    offline_page.page.screenshot(path=str(artifacts_dir / "explorer-corpus-index.png"), full_page=False)
    _assert_clean(offline_page)
