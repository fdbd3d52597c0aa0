"""Operations: liveness, readiness and metrics.  Public (no personal data): a
load balancer and a Prometheus scraper do not sign in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from openpiu.store import db
from openpiu.web.metrics import CONTENT_TYPE

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> Response:
    """The store answers and its schema is the one this code expects."""
    engine = request.app.state.engine
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current = db.current_revision(engine)
    except Exception as exc:  # any driver error: not ready, and say which kind
        return JSONResponse({"status": "unavailable", "reason": type(exc).__name__}, 503)
    head = db.head_revision()
    if current != head:
        return JSONResponse({"status": "unavailable", "reason": f"schema {current}, not {head}"},
                            503)
    return JSONResponse({"status": "ready", "schema": current})


@router.get("/metrics")
def metrics(request: Request) -> Response:
    return Response(request.app.state.metrics.text(), media_type=CONTENT_TYPE)
