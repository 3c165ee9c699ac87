"""Charts with matplotlib: stacked lead/support/joint bars per agency, and a lead × support heatmap."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI
import matplotlib.pyplot as plt
from matplotlib import font_manager

from policykg.analytics.metrics import lead_support_digraph, workload
from policykg.analytics.table import AssignmentTable

# WenQuanYi ships one weight; matplotlib warns about it on every draw.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

ROLE_COLOURS = {"lead": "#c0392b", "support": "#2980b9", "joint": "#7f8c8d"}
_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "AR PL UMing CN")
# The files those fonts come in (Debian's fonts-noto-cjk, fonts-wqy-zenhei, fonts-wqy-microhei, fonts-arphic-uming).
_CJK_FONT_FILES = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "uming.ttc",
)


def _installed_cjk_font() -> str | None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in _CJK_FONTS if name in installed), None)


def _register_cjk_font_files() -> None:
    """Add CJK font files found on the system to matplotlib's font list.

    matplotlib caches the fonts it found on first import (``~/.cache/matplotlib``); a font
    installed after that, as ``make demo`` does on a fresh machine, is not in the cache.
    """
    for path in font_manager.findSystemFonts():
        if Path(path).name in _CJK_FONT_FILES:
            font_manager.fontManager.addfont(path)


def cjk_font() -> str | None:
    """The CJK font charts use, registering font files the cache missed; None when none is installed."""
    name = _installed_cjk_font()
    if name is None:
        _register_cjk_font_files()
        name = _installed_cjk_font()
    return name


def _use_cjk_font() -> bool:
    """Pick an installed CJK font so agency names render; False when none is installed."""
    name = cjk_font()
    if name is None:
        return False
    plt.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    return True


def workload_chart(table: AssignmentTable, *, top: int = 30, fmt: str = "png") -> bytes:
    """Stacked horizontal bars: lead, support and joint measures of the busiest agencies."""
    _use_cjk_font()
    rows = [r for r in workload(table, include_idle=False)][:top][::-1]
    fig, ax = plt.subplots(figsize=(9, max(3.0, 0.32 * len(rows) + 1.2)), dpi=110)
    names = [r.agency for r in rows]
    left = [0] * len(rows)
    for role in ("lead", "support", "joint"):
        values = [getattr(r, role) for r in rows]
        ax.barh(names, values, left=left, color=ROLE_COLOURS[role], label=role)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_xlabel("measures")
    ax.set_title("Agency workload by role")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return _save(fig, fmt)


def matrix_chart(table: AssignmentTable, *, top: int = 20, fmt: str = "png") -> bytes:
    """Heatmap: rows lead agencies, columns supporting agencies, cells shared measures."""
    _use_cjk_font()
    graph = lead_support_digraph(table)
    leads = sorted((n for n in graph if graph.out_degree(n)), key=lambda n: -graph.out_degree(n, weight="weight"))
    supports = sorted((n for n in graph if graph.in_degree(n)), key=lambda n: -graph.in_degree(n, weight="weight"))
    leads, supports = leads[:top], supports[:top]
    cells = [[graph.get_edge_data(a, b, {"weight": 0})["weight"] for b in supports] for a in leads]
    fig, ax = plt.subplots(figsize=(max(5.0, 0.45 * len(supports) + 3), max(4.0, 0.4 * len(leads) + 2)), dpi=110)
    image = ax.imshow(cells or [[0]], cmap="Reds", aspect="auto")
    ax.set_xticks(range(len(supports)), supports, rotation=70, ha="right", fontsize=8)
    ax.set_yticks(range(len(leads)), leads, fontsize=8)
    ax.set_xlabel("supporting agency")
    ax.set_ylabel("lead agency")
    ax.set_title("Who leads whom (shared measures)")
    fig.colorbar(image, ax=ax, shrink=0.8)
    fig.tight_layout()
    return _save(fig, fmt)


def _save(fig: plt.Figure, fmt: str) -> bytes:
    if fmt not in {"png", "svg"}:
        raise ValueError(f"Charts are written as png or svg, not {fmt!r}.")
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt)
    plt.close(fig)
    return buffer.getvalue()


def write_chart(table: AssignmentTable, kind: str, path: Path) -> Path:
    fmt = path.suffix.lstrip(".").lower()
    charts = {"workload": workload_chart, "matrix": matrix_chart}
    if kind not in charts:
        raise ValueError(f"Unknown chart {kind!r}; use workload or matrix.")
    data = charts[kind](table, fmt=fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
