"""The ceiling of the web stack: one route returning a fixed JSON, served like ``policykg serve`` serves the API.

``api_rps_vs_hello`` in bench/results.json divides the requests per second of
``/agencies/{name}/measures`` by this route's, both served by the same uvicorn with the
same number of workers and loaded by the same client (bench/bench_rps.py). The route is a
plain ``def`` like policykg's routes, so FastAPI runs it in its thread pool as it does theirs.

    .venv/bin/python bench/hello_app.py --port 8100 [--workers 2]

>>> from fastapi.testclient import TestClient
>>> TestClient(app).get("/hello").json()
{'hello': 'policykg', 'rows': []}
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI

app = FastAPI(title="hello")
BODY: dict[str, Any] = {"hello": "policykg", "rows": []}


@app.get("/hello")
def hello() -> dict[str, Any]:
    """The same answer every time."""
    return BODY


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    from policykg.cli.serving import bind_port, serve_on

    sock = bind_port(args.host, args.port)
    if args.workers > 1:
        # As `policykg serve --workers` runs them (policykg.cli.serving.serve_workers): uvicorn's
        # Multiprocess supervisor on the bound socket, each worker importing the app.
        import uvicorn
        from uvicorn.supervisors import Multiprocess

        directory = str(Path(__file__).resolve().parent)
        sys.path.insert(0, directory)
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [directory, os.environ.get("PYTHONPATH")]))
        config = uvicorn.Config(
            "hello_app:app", host=args.host, port=args.port, workers=args.workers, log_level="warning"
        )
        Multiprocess(config, sockets=[sock]).run()
        return 0
    serve_on(sock, app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
