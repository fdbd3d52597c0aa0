"""HTTP intake: carriers push messages here with their API token.

``POST /api/v1/messages`` takes the raw message (EDIFACT or XML, any content
type) as the body and answers only once it is committed to the vault: 201 with
the id and a status URL, 200 for bytes seen before.  ``GET
/api/v1/messages/{id}/status`` tells a carrier where its own message stands.
The rules live in :mod:`openpiu.intake`; this module reads the body under the
size cap and turns refusals into answers.

The body is read by a dependency that runs before the route's guard: the guard
parses form-encoded bodies for their CSRF field (``curl -d`` sends EDIFACT as
``application/x-www-form-urlencoded``), which would read the whole body
uncapped and leave the stream consumed.  Reading it first, under the cap, and
keeping it where Starlette looks for a read body makes both work.  The same
dependency counts refusals the guard will answer (401, 403 for a role without
the permission): the guard answers them, but every refused push is counted.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from openpiu.intake import Intake, Refused
from openpiu.web.access import SUBMIT_MESSAGES, Principal, allow, current_principal

router = APIRouter(prefix="/api/v1", tags=["intake"])


def _intake(request: Request) -> Intake:
    """One Intake per app (it holds only handles), made on first use."""
    state = request.app.state
    intake: Intake | None = getattr(state, "intake", None)
    if intake is None:
        intake = state.intake = Intake(state.engine, state.settings, state.work)
    return intake


def _http(refused: Refused) -> HTTPException:
    headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
    return HTTPException(refused.status, refused.detail, headers=headers)


def _declared_size(request: Request) -> int | None:
    try:
        size = int(request.headers.get("content-length", ""))
    except ValueError:
        return None
    return size if size >= 0 else None


async def _read_push(request: Request) -> None:
    """Count pushes the guard will refuse; read a permitted push's body under the
    size cap (413 at once past it, without holding the rest)."""
    intake = _intake(request)
    principal = await run_in_threadpool(current_principal, request)  # cached for the guard
    size = _declared_size(request) or 0
    if principal is None:
        await run_in_threadpool(intake.refuse, None, size, "no valid carrier token", 401)
        return  # the guard answers 401
    if not principal.can(SUBMIT_MESSAGES):
        await run_in_threadpool(intake.refuse, None, size,
                                "the signed-in account may not submit messages", 403)
        return  # the guard answers 403
    carrier = principal.carrier_code
    if carrier is None:
        raise _http(await run_in_threadpool(intake.refuse, None, size,
                                            "only a carrier's API token may submit messages",
                                            403))  # fmt: skip
    limit = intake.max_bytes
    declared = _declared_size(request)
    if declared is not None and declared > limit:
        raise _http(await run_in_threadpool(intake.too_large, carrier, declared))
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:  # stop here: the rest of an oversize body is never read
            raise _http(await run_in_threadpool(intake.too_large, carrier, total, False))
        chunks.append(chunk)
    raw = b"".join(chunks)
    request._body = raw  # where Request.body()/form() look for a body already read
    request.state.push = raw


@router.post("/messages", status_code=201, dependencies=[Depends(_read_push)],
             responses={200: {"description": "duplicate: these bytes were received before"},
                         400: {"description": "not EDIFACT or XML at all"},
                         403: {"description": "this carrier may not send this kind"},
                         413: {"description": "larger than the maximum message size"},
                         503: {"description": "overloaded: retry after Retry-After seconds"}})
async def submit_message(request: Request,
                         principal: Principal = allow(SUBMIT_MESSAGES)) -> JSONResponse:
    """Push one message (the raw EDIFACT or XML as the body, any content type)
    with ``Authorization: Bearer <carrier token>``; answered once it is in the vault."""
    intake = _intake(request)
    assert principal.carrier_code is not None  # _read_push refused anything else
    try:
        accepted = await run_in_threadpool(intake.accept, request.state.push,
                                           principal.carrier_code)  # fmt: skip
    except Refused as refused:
        raise _http(refused) from None
    url = request.app.url_path_for("message_status", message_id=accepted.message_id)
    return JSONResponse({"id": accepted.message_id, "kind": accepted.kind,
                         "status": accepted.status, "status_url": str(url),
                         "duplicate": accepted.duplicate},
                        status_code=200 if accepted.duplicate else 201)  # fmt: skip


@router.get("/messages/{message_id}/status", name="message_status")
def message_status(request: Request, message_id: int,
                   principal: Principal = allow(SUBMIT_MESSAGES)) -> dict[str, object]:
    """Where one of the carrier's own messages stands: received, processed,
    quarantined (with the reason) or held (a part waiting for the others)."""
    if principal.carrier_code is None:
        raise HTTPException(404, f"message {message_id} not found")
    return _intake(request).status(message_id, principal.carrier_code)
