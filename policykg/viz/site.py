"""The static explorer site: ``index.html``, a page per agency and per document, and their assets.

Every script and style is written under ``assets/`` next to the pages, so the site opens
from a file:// URL with no network at all.

>>> import tempfile
>>> from policykg.viz.data import DocumentInfo, ExplorerData, MeasureInfo, Responsibility
>>> data = ExplorerData.build(
...     documents=[DocumentInfo("d1", "方案")],
...     measures=[MeasureInfo("d1~1", "d1", "1", "推进改造。")],
...     responsibilities=[Responsibility("省经信委", "d1~1", "lead")],
... )
>>> with tempfile.TemporaryDirectory() as out:
...     report = build_site_from_data(data, Path(out))
...     (report.agency_pages, report.document_pages, report.index.name)
(1, 1, 'index.html')
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from policykg.graph.store import GraphStore
from policykg.viz.data import ExplorerData
from policykg.viz.filenames import AGENCY_DIR, DOCUMENT_DIR, agency_page, document_page
from policykg.viz.from_store import explorer_data_from_store
from policykg.viz.pages import asset_files, render_agency, render_document, render_index

ASSET_SUBDIR = "assets"


@dataclass(slots=True)
class SiteReport:
    """What :func:`build_site` wrote, for the CLI to print."""

    out_dir: Path
    index: Path
    agency_pages: int = 0
    document_pages: int = 0
    bytes_written: int = 0
    reduced_views: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The file:// URL to open in a browser."""
        return self.index.resolve().as_uri()

    def summary(self) -> str:
        text = (
            f"Wrote the explorer to {self.out_dir}: index, {self.agency_pages} agency pages, "
            f"{self.document_pages} document pages ({self.bytes_written / 1e6:.1f} MB). Open {self.url}"
        )
        if self.reduced_views:
            text += f"\nToo large to draw in full, shown reduced: {', '.join(self.reduced_views)}."
        return text


def _write(path: Path, text: str, report: SiteReport) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(data)
    report.bytes_written += len(data)


def _remove_stale(directory: Path, keep: set[str]) -> None:
    """Delete pages of agencies or documents no longer in the graph (only .html files we wrote)."""
    if directory.is_dir():
        for page in directory.glob("*.html"):
            if page.name not in keep:
                page.unlink()


def build_site_from_data(data: ExplorerData, out_dir: Path) -> SiteReport:
    """Write the whole site for ``data`` into ``out_dir`` (created if missing, pages replaced)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = SiteReport(out_dir=out_dir, index=out_dir / "index.html")
    for name, source in asset_files().items():
        target = out_dir / ASSET_SUBDIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        report.bytes_written += target.stat().st_size

    index = render_index(data)
    _write(report.index, index.html, report)
    if index.drawn.reduced:
        report.reduced_views.append("the co-responsibility network")

    agency_files = {name: agency_page(name) for name in data.agencies}
    for name, relative in agency_files.items():
        page = render_agency(data, name)
        _write(out_dir / relative, page.html, report)
        report.agency_pages += 1
        if page.drawn.reduced:
            report.reduced_views.append(name)
    document_files = {doc_id: document_page(doc_id) for doc_id in data.documents}
    for doc_id, relative in document_files.items():
        page = render_document(data, doc_id)
        _write(out_dir / relative, page.html, report)
        report.document_pages += 1
        if page.drawn.reduced:
            report.reduced_views.append(data.documents[doc_id].title)

    _remove_stale(out_dir / AGENCY_DIR, {Path(p).name for p in agency_files.values()})
    _remove_stale(out_dir / DOCUMENT_DIR, {Path(p).name for p in document_files.values()})
    return report


def build_site(store: GraphStore, out_dir: Path) -> SiteReport:
    """Read the graph from ``store`` and write the explorer site into ``out_dir``."""
    return build_site_from_data(explorer_data_from_store(store), Path(out_dir))
