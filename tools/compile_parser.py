"""Compile the parser's modules with mypyc (``make install`` and ``make compile`` run this).

mypyc (part of mypy, already a development dependency) turns the type-annotated source into C
extension modules, placed beside the source; parsing runs about 1.6 times faster. The modules are
listed in ``policykg/_compiled.py``, which also decides at import whether the build matches the
source. A machine without a C compiler or Python's headers keeps the source: this script then
says so and exits 0, since everything works uncompiled, only slower.

Usage: ``.venv/bin/python tools/compile_parser.py [--clean]``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policykg import _compiled  # noqa: E402  (the checkout's, not an installed copy)

BUILD_DIR = ROOT / "build" / "mypyc"


def remove_build() -> int:
    """Delete the compiled modules and their manifest (the source runs again); how many files went."""
    removed = 0
    for path in [*_compiled.PACKAGE_DIR.glob("*.so"), _compiled.PACKAGE_DIR / _compiled.MANIFEST]:
        if path.exists():
            path.unlink()
            removed += 1
    return removed


def build() -> None:
    from mypyc.build import mypycify
    from setuptools import setup

    sources = [str((_compiled.PACKAGE_DIR / f"{name}.py").relative_to(ROOT)) for name in _compiled.COMPILED_MODULES]
    extensions = mypycify(sources, group_name=_compiled.GROUP, target_dir=str(BUILD_DIR / "c"), opt_level="3")
    setup(
        name="policykg-compiled-parser",
        ext_modules=extensions,
        script_args=["-q", "build_ext", "--inplace", "--build-temp", str(BUILD_DIR / "temp")],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="Remove the build and run the source.")
    args = parser.parse_args()
    if args.clean:
        shutil.rmtree(BUILD_DIR, ignore_errors=True)
        print(f"compile: removed {remove_build()} compiled files; the parser runs from source.")
        return 0
    # The manifest is written only after a build succeeds, for the sources as they were when it
    # started: a failed or interrupted build, or a source edited meanwhile, leaves the source running.
    remove_build()
    recorded = _compiled.manifest()
    started = time.monotonic()
    print(f"compile: {len(_compiled.COMPILED_MODULES)} parser modules with mypyc (about two minutes) …", flush=True)
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    log = BUILD_DIR / "build.log"
    try:
        os.chdir(ROOT)  # mypyc names modules by their paths from here
        with log.open("w", encoding="utf-8") as out, contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            build()
    except (Exception, SystemExit) as error:  # a compiler error ends setup() with SystemExit
        tail = "".join(log.read_text(encoding="utf-8").splitlines(keepends=True)[-15:]) if log.exists() else ""
        remove_build()
        print(
            f"{tail}compile: the parser could not be compiled ({str(error).strip() or type(error).__name__}); "
            "it runs from source, about 1.6 times slower. Everything else works the same."
        )
        return 0
    (_compiled.PACKAGE_DIR / _compiled.MANIFEST).write_text(json.dumps(recorded, indent=1), encoding="utf-8")
    found = _compiled.state()
    print(f"compile: done in {time.monotonic() - started:.0f} s; the build is {found}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
