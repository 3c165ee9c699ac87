"""``/healthz``: the store answers, with its node and relationship counts."""

from __future__ import annotations

import time

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from policykg.api.deps import StoreDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness and store reachability (503 when the store is unavailable)")
async def healthz(store: StoreDep) -> JSONResponse:
    """200 with node and relationship counts while the store answers; 503 when it does not."""
    started = time.perf_counter()
    counts = await run_in_threadpool(store.counts)
    ms = (time.perf_counter() - started) * 1000
    return JSONResponse({"status": "ok", "backend": store.dialect, "counts": counts, "time_ms": round(ms, 3)})
