"""How policykg drives Debian's Chromium headless and offline (browser tests, the explorer benchmark).

The flags keep Chromium from reaching any other host on start (background networking,
component updates, sync), which a closed network refuses many times over.

>>> "--disable-background-networking" in CHROMIUM_ARGS
True
"""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS: list[str] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's chromium, or None when it is not installed (``make browser`` installs it)."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")
