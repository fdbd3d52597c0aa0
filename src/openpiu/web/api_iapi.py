"""POST /api/v1/iapi: a carrier's PAXLST at check-in, answered with a CUSRES.

The carrier authenticates with its API token and must hold the kind ``iapi``.
The body is the raw PAXLST; the answer is the CUSRES itself
(``application/edifact``), or a JSON error with the reason (400 for a message
that cannot be answered: it is kept in the vault, quarantined).  The work is
:class:`openpiu.iapi.IapiService`'s; this route only adapts HTTP to it.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from openpiu import carriers
from openpiu.errors import ForbiddenError
from openpiu.iapi import IapiService
from openpiu.outbound import CONTENT_TYPE
from openpiu.web.access import SUBMIT_MESSAGES, Principal, allow

router = APIRouter()
_made = threading.Lock()


def service_of(request: Request) -> IapiService:
    """The app's one iAPI service (its in-memory lists live as long as the app)."""
    return _service(request.app)


def _service(app: Any) -> IapiService:
    state = app.state
    with _made:
        if getattr(state, "iapi", None) is None:
            state.iapi = IapiService(state.engine, state.settings)
    return state.iapi  # type: ignore[no-any-return]


def warm(app: Any) -> None:
    """Build the service and its screening index now (at start-up, in a thread)."""
    _service(app).lists.current()


@router.post("/api/v1/iapi")
async def iapi(request: Request, principal: Principal = allow(SUBMIT_MESSAGES)) -> Response:
    if principal.carrier_code is None:
        raise ForbiddenError("the interactive API is for carriers (API token)")
    service = service_of(request)
    with request.app.state.engine.connect() as conn:
        carrier = carriers.get(conn, principal.carrier_code)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > service.settings.max_message_bytes:
        # Refused unread: a body past the limit is never buffered.
        result = await run_in_threadpool(service.too_large, carrier, int(declared))
        return JSONResponse({"detail": result.detail}, status_code=result.status)
    raw = await request.body()
    # Blocking work (vault write, waiting on screening) off the event loop.
    result = await run_in_threadpool(service.answer, raw, carrier, request.app.state.work)
    if result.status != 200:
        return JSONResponse({"detail": result.detail, "message_id": result.message_id},
                            status_code=result.status)  # fmt: skip
    return Response(
        result.body, media_type=CONTENT_TYPE, headers={"x-piu-message-id": str(result.message_id)}
    )
