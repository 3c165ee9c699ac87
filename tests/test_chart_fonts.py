"""Charts draw agency names in a CJK font, even when matplotlib's font cache predates the font.

On a fresh machine matplotlib builds its font cache on first import, which can come before
``make demo`` installs fonts-wqy-zenhei; the charts then showed boxes. Every case here draws
with matplotlib's "Glyph … missing from font(s)" warning turned into an error, in a separate
process whose font cache is written to leave the CJK fonts out, as such a stale cache would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

STALE_CACHE = """
import matplotlib
from matplotlib import font_manager as fm
cjk = ("CJK", "WenQuanYi", "UMing", "Droid Sans Fallback")
fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if not any(c in f.name for c in cjk)]
fm.json_dump(fm.fontManager, f"{matplotlib.get_cachedir()}/fontlist-v{fm.FontManager.__version__}.json")
"""

DRAW = """
import warnings
warnings.filterwarnings("error", message="Glyph .* missing")
from policykg.analytics.table import AssignmentTable
from policykg.analytics.charts import matrix_chart, workload_chart
rows = [
    {"measure_id": "m1", "doc_id": "d", "year": 2017, "agency": "省经信委", "role": "lead", "position": 0},
    {"measure_id": "m1", "doc_id": "d", "year": 2017, "agency": "省科技厅", "role": "support", "position": 1},
    {"measure_id": "m2", "doc_id": "d", "year": 2017, "agency": "各市、县（市、区）政府", "role": "joint",
     "position": 0},
]
table = AssignmentTable.from_rows(rows)
for fmt in ("png", "svg"):
    assert workload_chart(table, fmt=fmt)
    assert matrix_chart(table, fmt=fmt)
print("drawn")
"""

NAIVE_DRAW = """
import warnings
warnings.filterwarnings("error", message="Glyph .* missing")
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.set_title("省经信委")
fig.savefig(__import__("io").BytesIO(), format="png")
"""


def _cjk_font_on_system() -> bool:
    from matplotlib import font_manager

    names = {Path(p).name for p in font_manager.findSystemFonts()}
    return bool(names & {"wqy-zenhei.ttc", "wqy-microhei.ttc", "NotoSansCJK-Regular.ttc", "uming.ttc"})


@pytest.fixture
def stale_font_cache(tmp_path: Path) -> dict[str, str]:
    if not _cjk_font_on_system():
        message = "no CJK font is installed (make browser / make demo install fonts-wqy-zenhei)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI=true requires it.")
        pytest.skip(message)
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl"), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", STALE_CACHE], env=env, check=True, timeout=300)
    return env


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True, timeout=300
    )


def test_a_stale_font_cache_really_draws_boxes(stale_font_cache: dict[str, str]) -> None:
    # The check below can fail: with the stale cache, plain matplotlib misses the glyphs.
    result = _run(NAIVE_DRAW, stale_font_cache)
    assert result.returncode != 0 and "missing from font" in result.stderr


def test_charts_find_the_cjk_font_the_cache_missed(stale_font_cache: dict[str, str]) -> None:
    result = _run(DRAW, stale_font_cache)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "drawn"
