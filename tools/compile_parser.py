"""Compile the parser's modules with mypyc (``make install`` runs this with ``--if-stale``).

mypyc (part of mypy, already a development dependency) turns the type-annotated source into C
extension modules, placed beside the source; parsing runs about 1.5 times faster. The modules are
listed in ``policykg/_compiled.py``, which also decides at import whether the build matches the
files it was made from. A machine without a C compiler or Python's headers keeps the source: this
script then says so and exits 0, since everything works uncompiled, only slower.

Usage: ``.venv/bin/python tools/compile_parser.py [--if-stale | --clean]``
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
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
FAILED = BUILD_DIR / "failed"  # the inputs' fingerprint when a build of them failed


def remove_build() -> int:
    """Delete the compiled modules and their record (the source runs again); how many files went."""
    package = _compiled.PACKAGE_DIR
    removed = 0
    for path in [*package.glob(f"*{_compiled.EXTENSION_SUFFIX}"), package / _compiled.MANIFEST]:
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


def fingerprint(recorded: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(recorded, sort_keys=True).encode()).hexdigest()


def compile_parser(*, if_stale: bool) -> None:
    if if_stale and _compiled.state() == "fresh":
        return  # (before the record below: finding the inputs reads every module they import)
    # The record is of the inputs as they were when the build started: a failed or interrupted
    # build, or an input edited meanwhile, leaves the source running.
    recorded = _compiled.manifest()
    if if_stale and FAILED.exists() and FAILED.read_text(encoding="utf-8") == fingerprint(recorded):
        print("compile: skipped (building these sources failed before; `make compile` tries again).")
        return
    remove_build()
    started = time.monotonic()
    print(f"compile: {len(_compiled.COMPILED_MODULES)} parser modules with mypyc (a minute or two) …", flush=True)
    log = BUILD_DIR / "build.log"
    try:
        os.chdir(ROOT)  # mypyc names modules by their paths from here
        with log.open("w", encoding="utf-8") as out, contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            build()
    except (Exception, SystemExit) as error:  # a compiler error ends setup() with SystemExit
        tail = "".join(log.read_text(encoding="utf-8").splitlines(keepends=True)[-15:]) if log.exists() else ""
        remove_build()
        FAILED.write_text(fingerprint(recorded), encoding="utf-8")
        print(
            f"{tail}compile: the parser could not be compiled ({str(error).strip() or type(error).__name__}); "
            f"it runs from source, about 1.5 times slower. Everything else works the same. Full log: {log}"
        )
        return
    FAILED.unlink(missing_ok=True)
    (_compiled.PACKAGE_DIR / _compiled.MANIFEST).write_text(json.dumps(recorded, indent=1), encoding="utf-8")
    print(f"compile: done in {time.monotonic() - started:.0f} s; the build is {_compiled.state()}.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--if-stale", action="store_true", help="Build only when the build is absent or stale.")
    what.add_argument("--clean", action="store_true", help="Remove the build; the parser runs from source.")
    args = parser.parse_args()
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    # One build at a time per checkout: two `make` runs would share the build folders, and one's
    # removal of the old build could take the other's new files.
    with (BUILD_DIR / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if args.clean:
            removed = remove_build()
            shutil.rmtree(BUILD_DIR / "c", ignore_errors=True)
            shutil.rmtree(BUILD_DIR / "temp", ignore_errors=True)
            FAILED.unlink(missing_ok=True)
            print(f"compile: removed {removed} compiled files; the parser runs from source.")
        else:
            compile_parser(if_stale=args.if_stale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
