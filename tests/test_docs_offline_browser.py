"""/docs (Swagger UI) and /redoc in Chromium with every request off the demo server refused.

Before, Swagger UI came from a CDN and the page stayed blank offline ("SwaggerUIBundle is not
defined"); now its assets are served from the fastapi-offline package.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fixtures_demo import DemoServer

pytestmark = pytest.mark.browser


@pytest.fixture
def local_page(browser: Any, demo_server: DemoServer) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A page that may reach the demo server only; other requests are aborted and recorded."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    elsewhere: list[str] = []
    errors: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(demo_server.base + "/") or url.startswith("data:"):
            request_route.continue_()
        else:
            elsewhere.append(f"{request_route.request.resource_type} {url}")
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page, elsewhere, errors
    finally:
        context.close()


def test_swagger_ui_renders_every_route_offline(
    local_page: tuple[Any, list[str], list[str]], demo_server: DemoServer, artifacts_dir: Path
) -> None:
    page, elsewhere, errors = local_page
    page.goto(f"{demo_server.base}/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=60_000)
    assert page.evaluate("typeof SwaggerUIBundle") == "function"
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/agencies/{name}/measures" in [p.replace("\u200b", "") for p in paths]
    assert "/stats/workload" in [p.replace("\u200b", "") for p in paths]
    page.screenshot(path=str(artifacts_dir / "docs-offline.png"))
    assert elsewhere == [] and errors == []


def test_redoc_renders_offline(
    local_page: tuple[Any, list[str], list[str]], demo_server: DemoServer, artifacts_dir: Path
) -> None:
    page, elsewhere, errors = local_page
    page.goto(f"{demo_server.base}/redoc")
    page.wait_for_selector("h1:has-text('policykg')", timeout=60_000)
    assert page.evaluate("typeof Redoc") == "object"
    menu = page.locator("[role=menuitem]").all_inner_texts()
    assert any("Every agency with its workload" in item for item in menu)
    page.screenshot(path=str(artifacts_dir / "redoc-offline.png"))
    # ReDoc's footer credit links an image from its maker's site; everything the page needs is local.
    assert [r for r in elsewhere if not r.startswith("image ")] == []
    assert [e for e in errors if "Failed to load resource" not in e] == []
