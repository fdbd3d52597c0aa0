"""The alert queue and an alert's dossier as JSON, and the analyst's decisions.

The same reads and the same review service as the pages (:mod:`web.ui_alerts`):
a client of the API sees exactly what an analyst sees, and every look at an
alert is audited the same way.  Decisions take a JSON body and, like every
state-changing call, the session's ``X-CSRF-Token`` header.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field

from openpiu import review
from openpiu.store import review_queries
from openpiu.store.alerts import alert_history
from openpiu.store.db import as_utc
from openpiu.web.access import DECIDE_ALERTS, READ_ALERTS, Principal, allow, audit_look
from openpiu.web.api_records import utc_fields

router = APIRouter(prefix="/api/v1", tags=["alerts"])
MAX_PAGE = 200


class Decision(BaseModel):
    decision: Literal["dismiss", "confirm"]
    # Checked by the review service (blank is refused there, with the same message
    # as the page's form), so only its presence is required here.
    reason: str = Field(max_length=review.MAX_TEXT)


class Note(BaseModel):
    text: str = Field(max_length=review.MAX_TEXT)


@router.get("/alerts")
def list_alerts(
    request: Request,
    status: str = "open",
    band: str | None = None,
    source: str | None = None,
    list_name: str | None = None,
    carrier: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    principal: Principal = allow(READ_ALERTS, personal="alert"),
) -> dict[str, Any]:
    """The review queue, strongest and soonest first; ``counts`` are per band under
    the other filters, ``total`` the number matching all of them."""
    f = review_queries.QueueFilter(
        status=status, band=band or None, source=source or None, list_name=list_name or None,
        carrier=carrier or None, flight_date_from=date_from, flight_date_to=date_to)  # fmt: skip
    with request.app.state.engine.begin() as conn:
        items = review_queries.queue(conn, f, offset=offset, limit=limit)
        counts = review_queries.queue_counts(conn, f)
        audit_look(conn, request, principal, "alert", [r["id"] for r in items])
    total = counts.get(f.band, 0) if f.band else sum(counts.values())
    return {"total": total, "counts": counts, "offset": offset, "limit": limit,
            "items": jsonable_encoder(items)}  # fmt: skip


@router.get("/alerts/{alert_id}")
def get_alert(
    request: Request, alert_id: int, principal: Principal = allow(READ_ALERTS, personal="alert")
) -> dict[str, Any]:
    """Everything the alert view shows: the alert and its explanation, the flight,
    the person's API and PNR data, co-travellers, travel history, the entry or
    criterion, the alert's history, notes and referrals."""
    with request.app.state.engine.begin() as conn:
        dossier = review_queries.dossier(conn, alert_id)
        audit_look(conn, request, principal, "alert", [alert_id])
    utc_fields(dossier["flight"])
    for row in (*dossier["notes"], *dossier["referrals"]):
        for name in ("at", "created_at", "decided_at", "sent_at", "outcome_at"):
            if row.get(name) is not None:
                row[name] = as_utc(row[name])
    out: dict[str, Any] = jsonable_encoder(dossier)
    return out


@router.get("/alerts/{alert_id}/events")
def get_alert_events(request: Request, alert_id: int,
                     principal: Principal = allow(READ_ALERTS, personal="alert")
                     ) -> list[dict[str, Any]]:  # fmt: skip
    """The alert's history across pushes and decisions, oldest first (the
    features compared hold personal data, hence the audit)."""
    with request.app.state.engine.begin() as conn:
        events = alert_history(conn, alert_id)
        audit_look(conn, request, principal, "alert", [alert_id])
    out: list[dict[str, Any]] = jsonable_encoder(events)
    return out


@router.post("/alerts/{alert_id}/decision")
def decide(
    request: Request, alert_id: int, body: Decision, principal: Principal = allow(DECIDE_ALERTS)
) -> dict[str, Any]:
    """Dismiss as a false positive (the same person and entry stay quiet until the
    entry changes) or confirm an open alert; 409 if it is no longer open."""
    with request.app.state.writer.begin() as conn:
        status = review.decide(conn, principal.actor, alert_id, body.decision, body.reason,
                               datetime.now(UTC))  # fmt: skip
    return {"id": alert_id, "status": status}


@router.post("/alerts/{alert_id}/notes", status_code=201)
def add_note(
    request: Request, alert_id: int, body: Note, principal: Principal = allow(DECIDE_ALERTS)
) -> dict[str, Any]:
    with request.app.state.writer.begin() as conn:
        note_id = review.add_note(conn, principal.actor, alert_id, body.text, datetime.now(UTC))
    return {"id": note_id, "alert_id": alert_id}
