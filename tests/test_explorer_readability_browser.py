"""The explorer overview read at a glance, in Chromium, on the demo corpus as `make demo` builds it.

Label sizes are measured as vis-network draws them: a label's font size in canvas units times
the view's scale is its height in CSS pixels. Label boxes are vis-network's own.
The screenshots land in tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixtures_browser import OfflinePage
from fixtures_demo import DemoServer

pytestmark = pytest.mark.browser

READABLE_PX = 11

DRAWN_LABELS = """() => {
  const scale = network.getScale();
  const out = [];
  for (const id of network.body.nodeIndices) {
    const node = network.body.nodes[id];
    if (!node.options.label || node.options.hidden) continue;
    const size = node.labelModule.size;
    const box = network.canvasToDOM({x: size.left, y: size.top});
    const end = network.canvasToDOM({x: size.left + size.width, y: size.top + size.height});
    out.push({id, text: node.options.label, px: node.labelModule.fontOptions.size * scale,
              box: [box.x, box.y, end.x, end.y]});
  }
  return out;
}"""


def _overview(demo_server: DemoServer) -> Path:
    return demo_server.workdir / ".policykg" / "explorer" / "index.html"


def _labels(page: OfflinePage) -> list[dict[str, Any]]:
    labels: list[dict[str, Any]] = page.page.evaluate(DRAWN_LABELS)
    return labels


def _overlap(a: list[float], b: list[float]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(width, 0) * max(height, 0)


def test_overview_labels_are_readable_at_default_zoom(
    demo_server: DemoServer, offline_page: OfflinePage, artifacts_dir: Path
) -> None:
    offline_page.open(_overview(demo_server))
    offline_page.page.locator("section.graph").screenshot(path=str(artifacts_dir / "overview-default-zoom.png"))
    labels = _labels(offline_page)
    assert len(labels) >= 8, [label["text"] for label in labels]
    assert all(label["px"] >= READABLE_PX for label in labels), [(x["text"], x["px"]) for x in labels]
    # The busiest agency, as the workload table ranks it, is named on the drawing.
    busiest = offline_page.page.locator("#workload tbody tr a").first.inner_text()
    assert busiest in [label["text"] for label in labels]
    # No two labels are drawn over each other.
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert _overlap(a["box"], b["box"]) < 4, (a["text"], b["text"])
    # Every label is inside the drawing area.
    canvas = offline_page.page.locator("#network canvas").bounding_box()
    assert all(x["box"][0] >= -5 and x["box"][2] <= canvas["width"] + 5 for x in labels)


def test_zooming_in_names_more_agencies_at_the_same_readable_size(
    demo_server: DemoServer, offline_page: OfflinePage
) -> None:
    offline_page.open(_overview(demo_server))
    before = _labels(offline_page)
    scale = offline_page.page.evaluate("network.getScale()")
    box = offline_page.page.locator("#network canvas").bounding_box()
    offline_page.page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.55)
    for _ in range(6):  # zoom in with the mouse wheel, as a person would
        offline_page.page.mouse.wheel(0, -300)
        offline_page.page.wait_for_timeout(100)
    assert offline_page.page.evaluate("network.getScale()") > scale * 1.5
    offline_page.page.wait_for_timeout(300)
    after = _labels(offline_page)
    assert len(after) > len(before)
    assert all(label["px"] >= READABLE_PX for label in after)


def test_legend_is_whole_and_above_the_graph(demo_server: DemoServer, offline_page: OfflinePage) -> None:
    offline_page.open(_overview(demo_server))
    legend = offline_page.page.locator("section.graph #legend")
    entries = legend.locator("li").all_inner_texts()
    assert any("Central" in e for e in entries) and any("Provincial" in e for e in entries)
    assert any("Collective" in e for e in entries) and any("Line" in e for e in entries)
    legend_box = legend.bounding_box()
    canvas_box = offline_page.page.locator("#network canvas").bounding_box()
    assert legend_box["y"] + legend_box["height"] <= canvas_box["y"]
    assert legend_box["y"] + legend_box["height"] <= 1000  # within the first screen


def test_node_details_use_words_not_codes(demo_server: DemoServer, offline_page: OfflinePage) -> None:
    offline_page.open(_overview(demo_server))
    offline_page.click_node("agency:省经信委")
    detail = offline_page.page.locator("#detail").inner_text()
    assert "province" in detail and "government department" in detail
    assert "government_department" not in detail and "_" not in detail


@pytest.mark.parametrize(
    ("typed", "found", "how"),
    [("省环保局", "省环保厅", "also written"), ("省经信厅", "省经信委", "succeeded by")],
)
def test_search_finds_an_agency_by_an_old_or_other_name(
    demo_server: DemoServer, offline_page: OfflinePage, typed: str, found: str, how: str
) -> None:
    offline_page.open(_overview(demo_server))
    offline_page.page.fill("#search", typed)
    results = offline_page.page.locator("#search-results ul.agencies li")
    texts = results.all_inner_texts()
    assert any(t.startswith(found) and how in t and typed in t for t in texts), texts


def test_level_and_kind_filters_narrow_the_drawing_and_the_ranking(
    demo_server: DemoServer, offline_page: OfflinePage
) -> None:
    page = offline_page.page
    offline_page.open(_overview(demo_server))
    page.select_option("#filter-level", "central")
    shown = page.evaluate("network.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    assert shown and "agency:海关总署" in shown and "agency:省经信委" not in shown
    rows = page.locator("#workload tbody tr:not([hidden]) td:nth-child(2)").all_inner_texts()
    assert "海关总署" in rows and "省经信委" not in rows
    page.select_option("#filter-level", "")
    page.select_option("#filter-kind", "collective")
    shown = page.evaluate("network.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    assert "agency:各市、县（市、区）政府" in shown and "agency:省经信委" not in shown
    assert offline_page.log.errors == [] and offline_page.log.external_requests == []
