"""The alert queue ("priority vetting") and the alert view, with the analyst's actions.

Pages work without JavaScript (plain links and forms); htmx only swaps the
queue's table when a filter changes, so the page keeps its place.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from openpiu import review
from openpiu.store import review_queries
from openpiu.web.access import DECIDE_ALERTS, READ_ALERTS, Principal, allow, audit_look
from openpiu.web.forms import optional_date

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


def queue_filter(status: str = "open", band: str | None = None, source: str | None = None,
                 list_name: str | None = None, carrier: str | None = None,
                 date_from: date | None = None, date_to: date | None = None
                 ) -> review_queries.QueueFilter:
    return review_queries.QueueFilter(
        status=status, band=band or None, source=source or None, list_name=list_name or None,
        carrier=carrier or None, flight_date_from=date_from, flight_date_to=date_to)


@router.get("/alerts")
def alert_queue(request: Request, status: str = "open", band: str | None = None,
                source: str | None = None, list_name: str | None = None,
                carrier: str | None = None, date_from: str | None = None,
                date_to: str | None = None, page: int = 1,
                principal: Principal = allow(READ_ALERTS, personal="alert")) -> Response:
    f = queue_filter(status, band, source, list_name, carrier,
                     optional_date(date_from, "from"), optional_date(date_to, "to"))
    page = max(1, page)
    with request.app.state.engine.begin() as conn:
        rows = review_queries.queue(conn, f, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        counts = review_queries.queue_counts(conn, f)
        audit_look(conn, request, principal, "alert", [r["id"] for r in rows])
    total = counts.get(band, 0) if band else sum(counts.values())
    context = {"rows": rows, "counts": counts, "filter": f, "page": page,
               "pages": max(1, -(-total // PAGE_SIZE)), "total": total}  # fmt: skip
    template = "alerts/_table.html" if request.headers.get("hx-request") else "alerts/queue.html"
    return request.app.state.renderer.page(request, template, context)


@router.get("/alerts/{alert_id}")
def alert_view(request: Request, alert_id: int,
               principal: Principal = allow(READ_ALERTS, personal="alert")) -> Response:
    with request.app.state.engine.begin() as conn:
        dossier = review_queries.dossier(conn, alert_id)
        audit_look(conn, request, principal, "alert", [alert_id])
    return request.app.state.renderer.page(request, "alerts/view.html", dossier)


@router.post("/alerts/{alert_id}/decision")
def alert_decision(request: Request, alert_id: int, decision: Annotated[str, Form()],
                   reason: Annotated[str, Form()] = "",
                   principal: Principal = allow(DECIDE_ALERTS)) -> Response:
    with request.app.state.writer.begin() as conn:
        review.decide(conn, principal.actor, alert_id, decision, reason, datetime.now(UTC))
    return RedirectResponse("/alerts", status_code=303)


@router.post("/alerts/{alert_id}/notes")
def alert_note(request: Request, alert_id: int, text: Annotated[str, Form()],
               principal: Principal = allow(DECIDE_ALERTS)) -> Response:
    with request.app.state.writer.begin() as conn:
        review.add_note(conn, principal.actor, alert_id, text, datetime.now(UTC))
    return RedirectResponse(f"/alerts/{alert_id}#notes", status_code=303)
