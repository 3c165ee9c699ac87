"""Browser fixtures: Debian's headless Chromium driven by Playwright, with the network cut off.

``offline_page`` opens pages the way a person would, except that every request to
anything but a file:// URL is aborted and recorded, and console errors, uncaught
exceptions and dialogs are collected for the test to assert on. Without Chromium the
tests skip with one line, unless CI=true, where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from policykg.viz.chromium import CHROMIUM_ARGS, chromium_path

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        message = "chromium is not installed (make browser installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI=true requires the browser tests to run.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageLog:
    """What a page did besides drawing: requests off file://, console errors, dialogs."""

    external_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@dataclass
class OfflinePage:
    page: Any
    log: PageLog

    def open(self, path: Path, *, wait_ready: bool = True, timeout_ms: int = 30_000) -> None:
        """Load ``path`` from file:// and, by default, wait for the network's first drawing."""
        self.page.goto(path.resolve().as_uri())
        if wait_ready:
            self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=timeout_ms)

    def node_count(self) -> int:
        """Nodes in the drawn vis DataSet."""
        return int(self.page.evaluate("network.body.data.nodes.length"))

    def click_node(self, node_id: str) -> None:
        """Click where the node is drawn on screen, as a person would."""
        self.page.locator("#network canvas").scroll_into_view_if_needed()  # a person scrolls to the drawing first
        self.page.evaluate("id => network.focus(id, {scale: 1.2, animation: false})", node_id)
        box = self.page.locator("#network canvas").bounding_box()
        spot = self.page.evaluate(
            "id => network.canvasToDOM(network.getPositions([id])[id])",
            node_id,
        )
        self.page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])


@pytest.fixture
def offline_page(browser: Any) -> Iterator[OfflinePage]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    log = PageLog()

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith("file:") or url.startswith("data:"):
            request_route.continue_()
        else:
            log.external_requests.append(url)
            request_route.abort()

    def on_dialog(dialog: Any) -> None:
        log.dialogs.append(dialog.message)
        dialog.dismiss()

    page.route("**/*", route)
    page.on("console", lambda message: log.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: log.errors.append(str(error)))
    page.on("dialog", on_dialog)
    try:
        yield OfflinePage(page, log)
    finally:
        context.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# A small hand-built graph whose counts are worked out by hand in the tests: two documents,
# five measures (one carrying a script tag in its clause), six agencies, one target.
XSS_CLAUSE = "<script>alert(1)</script>推进企业技术改造，支持设备更新。"


def build_explorer_sample() -> Any:
    from policykg.viz.data import (
        DocumentInfo,
        ExplorerData,
        MeasureInfo,
        Responsibility,
        SectionInfo,
        TargetInfo,
    )

    d1 = DocumentInfo(
        "doc-zj",
        "浙江省全面改造提升传统制造业行动计划责任分解方案",
        doc_number="浙政办发〔2017〕40号",
        issuer="浙江省人民政府办公厅",
        year=2017,
        sections=(
            SectionInfo("一", "主要任务", 1),
            SectionInfo("一/(一)", "推进技术改造", 2),
            SectionInfo("一/(二)", "推进绿色制造", 2),
            SectionInfo("二", "保障措施", 1),
        ),
    )
    d2 = DocumentInfo("doc-tax", "减税降费任务分工", year=2019)
    measures = [
        MeasureInfo(
            "doc-zj~一.一.1",
            "doc-zj",
            "一/(一)/1",
            "实施“机器换人”，到2020年新增工业机器人20000台。",
            "一/(一)",
            deadline="2020年底",
            industries=("纺织业",),
            targets=(TargetInfo("doc-zj~一.一.1~t0", "新增工业机器人20000台", "工业机器人", 2020),),
        ),
        MeasureInfo("doc-zj~一.一.2", "doc-zj", "一/(一)/2", XSS_CLAUSE, "一/(一)", industries=("化学纤维制造业",)),
        MeasureInfo("doc-zj~一.二.1", "doc-zj", "一/(二)/1", "推进绿色制造，淘汰落后产能。", "一/(二)"),
        MeasureInfo("doc-zj~二.1", "doc-zj", "二/1", "加强组织领导。", "二"),
        MeasureInfo("doc-tax~1", "doc-tax", "1", "落实减税降费政策。", "", industries=("纺织业",)),
    ]
    responsibilities = [
        Responsibility("省经信委", "doc-zj~一.一.1", "lead"),
        Responsibility("省科技厅", "doc-zj~一.一.1", "support"),
        Responsibility("省财政厅", "doc-zj~一.一.1", "support"),
        Responsibility("省科技厅", "doc-zj~一.一.2", "lead"),
        Responsibility("省经信委", "doc-zj~一.一.2", "support"),
        Responsibility("各市政府", "doc-zj~一.二.1", "joint"),
        Responsibility("省经信委", "doc-zj~一.二.1", "joint"),
        Responsibility("省发展改革委", "doc-zj~二.1", "lead"),
        Responsibility("省经信委", "doc-zj~二.1", "support"),
        Responsibility("省财政厅", "doc-tax~1", "lead"),
        Responsibility("省税务局", "doc-tax~1", "support"),
        Responsibility("省经信委", "doc-tax~1", "support"),
    ]
    return ExplorerData.build(documents=[d1, d2], measures=measures, responsibilities=responsibilities)


@pytest.fixture
def explorer_sample() -> Any:
    """The hand-built sample graph (a fresh copy per test)."""
    return build_explorer_sample()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The explorer site of the sample graph, built once per session."""
    from policykg.viz.site import build_site_from_data

    return build_site_from_data(build_explorer_sample(), tmp_path_factory.mktemp("explorer-site"))
