"""The demo as a new user gets it: the bundled corpus loaded by ``policykg demo --no-serve`` into
a fresh embedded store, then ``policykg serve`` on a free port, each a real process.

``demo_server`` is shared by the session (loading takes a few seconds); tests only read.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class DemoServer:
    base: str
    workdir: Path
    env: dict[str, str]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def policykg_command() -> list[str]:
    """How the tests run the ``policykg`` console script: the same entry point, this interpreter."""
    return [sys.executable, "-c", "from policykg.cli import main; main()"]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    workdir = tmp_path_factory.mktemp("demo")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "POLICYKG_STORE_DIR": str(workdir / ".policykg" / "store"),
        "POLICYKG_EXPLORER_DIR": str(workdir / ".policykg" / "explorer"),
        "POLICYKG_API_TOKEN": "",
        "COLUMNS": "100",
    }
    subprocess.run(
        [*policykg_command(), "demo", "--no-serve"], cwd=workdir, env=env, check=True, capture_output=True, timeout=600
    )
    port = free_port()
    server = subprocess.Popen(
        [*policykg_command(), "serve", "--port", str(port), "--log-level", "warning"],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                    if json.load(response)["counts"]["Measure"] > 0:
                        break
            except OSError:  # refused, reset or timed out while the server starts
                pass
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            assert time.monotonic() < deadline, "the demo server did not answer within 120 s"
            time.sleep(0.3)
        yield DemoServer(base, workdir, env)
    finally:
        server.terminate()
        server.wait(timeout=30)
