"""How soon a 5,000-node explorer view is usable, against pyvis with its default physics.

Both pages show the same synthetic ego network (one agency leading N/2 measures, each with
one supporting agency), load from file:// in headless Chromium with every other request
aborted, and are timed from navigation start (``performance.now()`` in the page):

* the explorer page: positions precomputed, physics off; ready at its first 'afterDrawing';
* pyvis 0.3.2 defaults (``Network()``, physics on, ``cdn_resources='in_line'`` so it can load
  offline at all): ready at the network's 'stabilized' event, waited for at most ``--cap``
  seconds and reported as ≥ cap when it never comes.

Also reported: the Python time to build each page and the bytes a browser loads.

    .venv/bin/python bench/bench_explorer.py [--nodes 5000] [--cap 120] [--json bench/out/explorer.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from policykg.viz.chromium import CHROMIUM, CHROMIUM_ARGS
from policykg.viz.pages import render_agency
from policykg.viz.site import build_site_from_data
from policykg.viz.synthetic import BUSY_AGENCY, busy_agency_data

# Recorded in the pyvis page right after its drawGraph() call: the events mark readiness.
PYVIS_PROBE = """drawGraph();
              window.__firstDraw = undefined;
              network.once("afterDrawing", function () { window.__firstDraw = performance.now(); });
              network.once("stabilizationIterationsDone", function () { window.__iterationsDone = performance.now(); });
              network.once("stabilized", function () { window.__stabilized = performance.now(); });
"""


def build_explorer_page(out: Path, nodes: int) -> tuple[Path, float, int]:
    """The explorer's page for a ``nodes``-node view; returns (page, build seconds, bytes loaded)."""
    measures = nodes // 2
    data = busy_agency_data(measures=measures, supporters=nodes - measures - 1)
    started = time.perf_counter()
    page = render_agency(data, BUSY_AGENCY)
    seconds = time.perf_counter() - started
    assert page.drawn.drawn_nodes == nodes, page.drawn
    site = build_site_from_data(busy_agency_data(measures=2, supporters=1), out)  # writes the shared assets
    path = site.out_dir / "agencies" / "bench.html"
    path.write_text(page.html, encoding="utf-8")
    loaded = path.stat().st_size + sum(p.stat().st_size for p in (site.out_dir / "assets").iterdir())
    return path, seconds, loaded


def build_pyvis_default_page(out: Path, nodes: int) -> tuple[Path, float, int]:
    """The same nodes and edges through pyvis with its defaults (physics on, no positions)."""
    from pyvis.network import Network

    measures = nodes // 2
    data = busy_agency_data(measures=measures, supporters=nodes - measures - 1)
    started = time.perf_counter()
    net = Network(cdn_resources="in_line")
    for name in data.agencies:
        net.add_node(f"agency:{name}", label=name, title=name)
    for m in data.measures.values():
        net.add_node(f"measure:{m.id}", label=m.ref, title=m.text)
    for r in data.responsibilities:
        net.add_edge(f"agency:{r.agency}", f"measure:{r.measure_id}")
    html = net.generate_html(name="pyvis-default.html")
    seconds = time.perf_counter() - started
    assert net.num_nodes() == nodes, net.num_nodes()
    if "drawGraph();" not in html:
        raise SystemExit("pyvis's template changed: cannot find drawGraph(); to attach the timing probe.")
    html = html.replace("drawGraph();", PYVIS_PROBE, 1)
    path = out / "pyvis-default.html"
    path.write_text(html, encoding="utf-8")
    return path, seconds, path.stat().st_size


def _time_page(browser: Any, path: Path, ready_expression: str, cap_s: float) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    blocked: list[str] = []

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(("file:", "data:")):
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    result: dict[str, Any] = {"page": str(path)}
    try:
        page.goto(path.resolve().as_uri(), wait_until="commit", timeout=cap_s * 1000)
        page.wait_for_function(f"({ready_expression}) !== undefined", timeout=cap_s * 1000, polling=100)
        result["ready_ms"] = page.evaluate(ready_expression)
        result["nodes_drawn"] = page.evaluate("network.body.data.nodes.length")
    except Exception as error:  # the Playwright timeout: never became ready within the cap
        if "Timeout" not in type(error).__name__ and "Timeout" not in str(error):
            raise
        result["ready_ms"] = None
        result["capped_at_ms"] = cap_s * 1000
    # pyvis's intermediate events, where they came; a page still busy gets 5 s to answer.
    try:
        probes = page.wait_for_function(
            "({firstDraw: window.__firstDraw, iterationsDone: window.__iterationsDone})", timeout=5000
        ).json_value()
        result.update({k: v for k, v in probes.items() if v is not None})
        result["responsive_at_end"] = True
    except Exception as error:
        if "Timeout" not in str(error):
            raise
        result["responsive_at_end"] = False  # its main thread did not answer for 5 s
    result["blocked_requests"] = blocked
    context.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--cap", type=float, default=120.0, help="Seconds to wait for pyvis to stabilise.")
    parser.add_argument("--json", type=Path, default=None, help="Also write the results here.")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print("chromium is missing: run `make browser` (apt-get install chromium).", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        ours_path, ours_build, ours_bytes = build_explorer_page(out / "site", args.nodes)
        pyvis_path, pyvis_build, pyvis_bytes = build_pyvis_default_page(out, args.nodes)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            ours = _time_page(browser, ours_path, "window.policykgReadyAt", cap_s=60)
            theirs = _time_page(browser, pyvis_path, "window.__stabilized", cap_s=args.cap)
            browser.close()

    ours_ms = ours["ready_ms"]
    theirs_ms = theirs["ready_ms"] if theirs["ready_ms"] is not None else theirs["capped_at_ms"]
    capped = theirs["ready_ms"] is None
    results = {
        "nodes": args.nodes,
        "explorer": {"build_s": round(ours_build, 2), "bytes": ours_bytes, **ours},
        "pyvis_default": {"build_s": round(pyvis_build, 2), "bytes": pyvis_bytes, **theirs},
        "speedup": None if not ours_ms else round(theirs_ms / ours_ms, 1),
        "speedup_is_lower_bound": capped,
    }
    ge = "≥ " if capped else ""
    print(f"{args.nodes:,}-node view, headless Chromium, file://, network blocked")
    print(
        f"  explorer (positions precomputed, physics off): interactive after {ours_ms / 1000:.2f} s, "
        f"built in {ours_build:.2f} s, {ours_bytes / 1e6:.2f} MB loaded (page + shared assets)"
    )
    print(
        f"  pyvis defaults (physics on): stabilised after {ge}{theirs_ms / 1000:.1f} s, "
        f"built in {pyvis_build:.2f} s, {pyvis_bytes / 1e6:.2f} MB page (vis inlined)"
    )
    for event, key in (("first drawing", "firstDraw"), ("stabilisation iterations done", "iterationsDone")):
        if key in theirs:
            print(f"    pyvis {event} at {theirs[key] / 1000:.1f} s")
    if not theirs["responsive_at_end"]:
        print("    the pyvis page was still unresponsive at the cap (its main thread answered nothing for 5 s)")
    if results["speedup"]:
        print(f"  interactive {ge}{results['speedup']}x sooner (aim: 50x)")
    if ours["blocked_requests"] or theirs["blocked_requests"]:
        print(
            f"  blocked requests: explorer {len(ours['blocked_requests'])}, pyvis {len(theirs['blocked_requests'])}"
            f" ({', '.join(sorted(set(theirs['blocked_requests'])))})"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
