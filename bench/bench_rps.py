"""Requests per second of ``/agencies/{name}/measures`` against a bare route of the same web stack.

Both servers run as ``policykg serve`` runs the API (uvicorn, the same worker count); the
hello app is bench/hello_app.py. One client loads each for the same time: a separate process
holding ``connections`` keep-alive HTTP/1.1 connections on asyncio streams, each sending its
next request once the last answer is read. It is far lighter than an httpx client, so the
client is not what limits the bare route. The runs alternate in halves (route, hello,
route, hello) so drifts in the machine's load fall on both.

The route's figure is what a client asking again gets: the answer kept for the store's
version (no query). ``uncached`` is the same route from a server whose cache keeps nothing
(``POLICYKG_CACHE_SECONDS`` of a nanosecond): every request reads the store and renders.

    .venv/bin/python bench/bench_rps.py --store DIR --agency 省经信委 [--seconds 10] [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from common import BENCH_DIR, progress

ROOT = BENCH_DIR.parent
PY = sys.executable

LOAD_CLIENT = r"""
import asyncio, sys, time
host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seconds, connections = float(sys.argv[4]), int(sys.argv[5])
request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n\r\n".encode()
counts = {"ok": 0, "errors": 0, "bytes": 0}

async def one(stop):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < stop:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length)
            counts["ok" if status == 200 else "errors"] += 1
            counts["bytes"] += len(body)
    finally:
        writer.close()

async def main():
    started = time.monotonic()
    await asyncio.gather(*(one(started + seconds) for _ in range(connections)))
    print(counts["ok"], counts["errors"], counts["bytes"], time.monotonic() - started)

asyncio.run(main())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_help() -> str:
    return subprocess.run(
        [PY, "-m", "policykg", "serve", "--help"], capture_output=True, text=True, cwd=ROOT, env=_env()
    ).stdout


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.setdefault("COLUMNS", "200")
    return env


def start_api(store_dir: Path, port: int, workers: int, *, cache: bool = True) -> subprocess.Popen[bytes]:
    """``policykg serve`` on the store, as a person starts it (``--workers`` when there is more than one)."""
    env = _env()
    if not cache:
        env["POLICYKG_CACHE_SECONDS"] = "0.000000001"
    command = [PY, "-m", "policykg", "serve", "--store", str(store_dir), "--port", str(port), "--log-level", "warning"]
    if workers > 1:
        command += ["--workers", str(workers)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def start_hello(port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [PY, str(BENCH_DIR / "hello_app.py"), "--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL)


def wait_until_up(port: int, path: str, server: subprocess.Popen[bytes], seconds: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}{path}", timeout=10).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            raise RuntimeError(f"the server for {path} exited with status {server.returncode} before it answered")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not answer {path} within {seconds:.0f} s")
        time.sleep(0.2)


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def load(port: int, path: str, seconds: float, connections: int) -> dict[str, float]:
    """Keep ``connections`` connections busy on ``path`` for ``seconds``; count the answers."""
    out = subprocess.run(
        [PY, "-c", LOAD_CLIENT, "127.0.0.1", str(port), path, str(seconds), str(connections)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    ok, errors, size, elapsed = int(out[0]), int(out[1]), int(out[2]), float(out[3])
    return {"ok": ok, "errors": errors, "seconds": round(elapsed, 2), "mean_bytes": round(size / max(ok, 1))}


def rps_vs_hello(
    store_dir: Path, agency: str, *, seconds: float = 10.0, connections: int = 8, workers: int = 1
) -> dict[str, Any]:
    """Requests per second of the agency route and of the hello route, same stack and client, in alternating halves."""
    route = f"/agencies/{quote(agency, safe='')}/measures?role=lead"
    api_port, hello_port, bare_port = free_port(), free_port(), free_port()
    servers = {
        "route": (start_api(store_dir, api_port, workers), api_port, route),
        "hello": (start_hello(hello_port, workers), hello_port, "/hello"),
        "uncached": (start_api(store_dir, bare_port, workers, cache=False), bare_port, route),
    }
    totals = {key: {"ok": 0, "errors": 0, "seconds": 0.0} for key in servers}
    mean_bytes = dict.fromkeys(servers, 0.0)
    try:
        for server, port, path in servers.values():
            wait_until_up(port, "/healthz", server)
            wait_until_up(port, path, server)
        for _, port, path in servers.values():
            load(port, path, 1.0, connections)  # warm: plans, caches, every worker
        for _ in range(2):
            for key, (_, port, path) in servers.items():
                result = load(port, path, seconds / 2, connections)
                for field in ("ok", "errors", "seconds"):
                    totals[key][field] += result[field]
                mean_bytes[key] = result["mean_bytes"]
    finally:
        for server, _, _ in servers.values():
            stop(server)
    route_rps, hello_rps, uncached_rps = (
        totals[k]["ok"] / totals[k]["seconds"] for k in ("route", "hello", "uncached")
    )
    progress(
        f"  API: {route_rps:.0f} req/s on the agency route ({uncached_rps:.0f} uncached), "
        f"{hello_rps:.0f} req/s on the hello route"
    )
    return {
        "route": route,
        "workers": workers,
        "connections": connections,
        "route_requests_per_s": round(route_rps, 1),
        "hello_requests_per_s": round(hello_rps, 1),
        "ratio": round(route_rps / hello_rps, 3),
        "uncached_requests_per_s": round(uncached_rps, 1),
        "uncached_ratio": round(uncached_rps / hello_rps, 3),
        "route_errors": totals["route"]["errors"],
        "uncached_errors": totals["uncached"]["errors"],
        "hello_errors": totals["hello"]["errors"],
        "route_mean_response_bytes": mean_bytes["route"],
        "seconds_each": round(totals["route"]["seconds"], 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="An embedded store directory with documents.")
    parser.add_argument("--agency", required=True, help="The agency id whose measures are requested.")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    result = rps_vs_hello(
        args.store, args.agency, seconds=args.seconds, connections=args.connections, workers=args.workers
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
