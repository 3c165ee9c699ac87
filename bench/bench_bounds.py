"""How cheap the reading bounds are on hostile input, as ratios against ordinary input of the same size.

Standalone: ``.venv/bin/python bench/bench_bounds.py [--repeat 3] [--json PATH]``.

* ``empty_paragraphs_vs_normal_docx``: a .docx of 20,000 empty paragraphs and one clause,
  parsed, against the bundled Zhejiang document as a .docx (aim: under 10);
* ``deep_html_refusal_vs_flat``: refusing 100,000 nested ``<div>`` (the limit is checked before
  the HTML parser, whose cost grows with the square of the depth) against reading 100,000 flat
  ones (aim: under 2).

Best of ``--repeat`` in process CPU seconds. tests/test_formats_bounds.py checks what the input
reads as; the timing is here, since a test must not depend on how busy the machine is.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_parse import best_of  # noqa: E402
from formats_render import empty_paragraphs_body, nested_html, to_docx, word_package  # noqa: E402

from policykg.errors import InputError  # noqa: E402
from policykg.loaders import parse_file  # noqa: E402
from policykg.loaders.reading import read_bytes  # noqa: E402

ZHEJIANG = ROOT / "policykg" / "examples" / "2017-zhejiang-chuantong-zhizao-fenjie.txt"
AIMS = {"empty_paragraphs_vs_normal_docx": 10.0, "deep_html_refusal_vs_flat": 2.0}


def _run(action: Callable[..., object], *args: Any, **kwargs: Any) -> int:
    action(*args, **kwargs)
    return 0


def refuse(deep: bytes) -> None:
    try:
        read_bytes(deep, source="page.html", suffix=".html")
    except InputError:
        return
    raise AssertionError("100,000 nested elements were read, not refused")


def measure(repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        normal = to_docx(ZHEJIANG.read_text(encoding="utf-8"), Path(tmp) / "normal.docx")
        empty = Path(tmp) / "empty.docx"
        empty.write_bytes(word_package(empty_paragraphs_body(20_000)))
        parse_file(normal)  # warm the registry and imports
        normal_s = best_of(repeat, lambda: _run(parse_file, normal))
        empty_s = best_of(repeat, lambda: _run(parse_file, empty))
    flat, deep = nested_html("1.建设平台。（责任单位：省科技厅）", 100_000)
    flat_s = best_of(repeat, lambda: _run(read_bytes, flat, source="page.html", suffix=".html"))
    deep_s = best_of(repeat, lambda: _run(refuse, deep))
    ratios = {"empty_paragraphs_vs_normal_docx": empty_s / normal_s, "deep_html_refusal_vs_flat": deep_s / flat_s}
    return {
        "ratios": {k: round(v, 3) for k, v in ratios.items()},
        "aims": AIMS,
        "met": {k: ratios[k] < AIMS[k] for k in ratios},
        "seconds": {"normal_docx": normal_s, "empty_docx": empty_s, "flat_html": flat_s, "deep_html": deep_s},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="Also write the result to this file.")
    args = parser.parse_args(argv)
    result = measure(args.repeat)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0 if all(result["met"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
