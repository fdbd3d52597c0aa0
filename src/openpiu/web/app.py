"""The analyst application: one FastAPI app serving the REST API and the web UI.

``create_app(settings)`` wires the store, the sign-in policy, the templates and
the routers; nothing is global, so tests build as many apps as they like.
Errors of the core (:class:`~openpiu.errors.PiuError`) become JSON under
``/api`` and a page (or the sign-in form, for 401) elsewhere.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from openpiu.errors import PiuError
from openpiu.settings import Settings, get_settings
from openpiu.store import db
from openpiu.web import signin
from openpiu.web.metrics import Metrics
from openpiu.web.render import Renderer
from openpiu.work_queue import open_queue

STATIC_DIR = Path(__file__).parent / "static"
log = logging.getLogger(__name__)

_SECURITY_HEADERS = {
    # Everything is served from here: no CDN, no inline script.
    "content-security-policy": "default-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or db.make_engine(settings.database_url)
    db.upgrade(engine)
    app = FastAPI(title="openpiu", version="0.1.0", docs_url="/docs", redoc_url=None,
                  openapi_url="/openapi.json")  # fmt: skip
    app.state.settings = settings
    app.state.engine = engine
    app.state.writer = db.writer(engine)
    policy = signin.SignInPolicy(idle_minutes=settings.session_idle_minutes,
                                 max_failures=settings.login_max_failures,
                                 lockout_minutes=settings.login_lockout_minutes)  # fmt: skip
    app.state.signin_policy = policy
    app.state.lookup_principal = lambda request: signin.lookup(engine, policy, request)
    app.state.work = open_queue(settings, engine)
    app.state.iapi = None  # made on first use, or warmed at start-up (below)
    app.state.renderer = Renderer(settings)
    app.state.metrics = Metrics(engine)
    app.router.on_startup.append(lambda: _start(app))
    app.router.on_shutdown.append(lambda: _stop(app))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_handlers(app)
    _include_routers(app)
    return app


def _start(app: FastAPI) -> None:
    """Messages a crash left in the vault unprocessed go to the queue (the
    in-process one; RabbitMQ workers sweep for themselves), and the interactive
    API's screening index is built in the background, so the first check-in
    does not wait for it."""
    resume = getattr(app.state.work, "resume", None)
    if resume is not None:
        resume()
    if any("iapi" in c.kinds for c in _carriers(app)):
        from openpiu.web.api_iapi import warm

        threading.Thread(target=warm, args=(app,), name="piu-iapi-warm", daemon=True).start()


def _carriers(app: FastAPI) -> list[Any]:
    from openpiu import carriers

    with app.state.engine.connect() as conn:
        return carriers.list_carriers(conn)


def _stop(app: FastAPI) -> None:
    app.state.work.close()
    if app.state.iapi is not None:
        app.state.iapi.close()


def _include_routers(app: FastAPI) -> None:
    from openpiu.web import (
        api_alerts,
        api_iapi,
        api_intake,
        api_records,
        api_review,
        ops,
        ui_alerts,
        ui_compliance,
        ui_lists,
        ui_pages,
        ui_review,
        ui_signin,
    )

    for module in (ops, ui_signin, api_intake, api_iapi, api_alerts, api_records, api_review,
                   ui_alerts, ui_pages, ui_review, ui_lists, ui_compliance):
        app.include_router(module.router)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "text/html" not in request.headers.get(
        "accept", ""
    )


def _add_handlers(app: FastAPI) -> None:
    @app.middleware("http")
    async def headers_and_timing(request: Request, call_next: Any) -> Response:
        started = time.perf_counter()
        response: Response = await call_next(request)
        route = request.scope.get("route")
        app.state.metrics.observe(getattr(route, "path", "unmatched"), request.method,
                                  response.status_code, time.perf_counter() - started)
        for name, value in _SECURITY_HEADERS.items():
            if name == "cache-control" and request.url.path.startswith("/static/"):
                continue
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(PiuError)
    async def piu_error(request: Request, exc: PiuError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status)
        if exc.status == 401:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        renderer: Renderer = request.app.state.renderer
        return renderer.page(request, "error.html", {"status": exc.status,
                                                     "detail": exc.detail}, status=exc.status)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def store_unavailable(request: Request, exc: Exception) -> Response:
        # The store cannot be reached (or failed): nothing was taken on, so the
        # caller is told to come back, never that its message was kept.  Only
        # the kind of fault is logged (its text may quote data).
        log.error("store error on %s %s: %s", request.method,
                  getattr(request.scope.get("route"), "path", "?"), type(exc).__name__)  # fmt: skip
        retry = str(request.app.state.settings.intake_retry_after_seconds)
        return JSONResponse({"detail": "the store is unavailable; retry later"}, status_code=503,
                            headers={"Retry-After": retry})  # fmt: skip

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))  # fmt: skip
        renderer: Renderer = request.app.state.renderer
        return renderer.page(request, "error.html", {"status": exc.status_code,
                                                     "detail": str(exc.detail)},
                             status=exc.status_code)  # fmt: skip
