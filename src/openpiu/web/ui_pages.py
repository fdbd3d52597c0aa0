"""The dashboard, flights and manifests, person search and the audit trail.

Each page reads through one store or service function inside one read
transaction, and records the look there when it shows personal data: the
manifest (kind ``traveller``) and the person search (kind ``person``, with the
purpose the analyst gave).  The dashboard and the flight list show counts and
flights only, no person.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from openpiu import audit, people_search
from openpiu.errors import NotFoundError
from openpiu.store import dashboard_queries as dq
from openpiu.store import queries
from openpiu.web.access import (
    READ_AUDIT,
    READ_DASHBOARD,
    READ_TRAVEL,
    Principal,
    allow,
    audit_look,
)
from openpiu.web.forms import optional_date

router = APIRouter(include_in_schema=False)
FLIGHTS_PER_PAGE = 50
AUDIT_PER_PAGE = 100
PURPOSE_MAX = 500


@router.get("/")
def dashboard(request: Request, principal: Principal = allow(READ_DASHBOARD)) -> Response:
    now = datetime.now(UTC)
    today = datetime.combine(now.date(), time(), UTC)
    tomorrow, after = today + timedelta(days=1), today + timedelta(days=2)
    with request.app.state.engine.begin() as conn:
        context = {
            "now": now,
            "today": today.date(),
            "tomorrow": tomorrow.date(),
            "flights_today": dq.flights_by_status(conn, today, tomorrow),
            "flights_tomorrow": dq.flights_by_status(conn, tomorrow, after),
            "departures": dq.next_departures(conn, now, after),
            "bands": dq.open_alerts_by_band(conn),
            "carriers": dq.carriers_last_message(conn),
            "latest_day": dq.latest_flight_day(conn),
        }
    return request.app.state.renderer.page(request, "dashboard.html", context)


@router.get("/flights")
def flight_list(
    request: Request,
    day: str = "",
    page: int = 1,
    principal: Principal = allow(READ_TRAVEL),
) -> Response:
    day_ = optional_date(day, "day") or datetime.now(UTC).date()
    page = max(1, page)
    with request.app.state.engine.begin() as conn:
        rows, total = dq.flights_on(conn, day_, offset=(page - 1) * FLIGHTS_PER_PAGE,
                                    limit=FLIGHTS_PER_PAGE)  # fmt: skip
    context = {
        "rows": rows,
        "day": day_,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // FLIGHTS_PER_PAGE)),
        "previous_day": day_ - timedelta(days=1),
        "next_day": day_ + timedelta(days=1),
    }
    return request.app.state.renderer.page(request, "flights/list.html", context)


@router.get("/flights/{flight_id}")
def flight_manifest(
    request: Request,
    flight_id: int,
    principal: Principal = allow(READ_TRAVEL, personal="traveller"),
) -> Response:
    with request.app.state.engine.begin() as conn:
        flight = dq.flight(conn, flight_id)
        if flight is None:
            raise NotFoundError(f"no flight {flight_id}")
        manifest = queries.manifest(conn, flight_id)
        context = {"flight": flight, "manifest": manifest,
                   "legs": queries.flight_legs(conn, flight_id),
                   "alerts": dq.open_alerts_on_flight(conn, flight_id)}  # fmt: skip
        audit_look(conn, request, principal, "traveller", [r.person_id for r in manifest])
    return request.app.state.renderer.page(request, "flights/manifest.html", context)


@router.get("/search")
def person_search(
    request: Request,
    name: str = "",
    document: str = "",
    dob: str = "",
    purpose: str = "",
    principal: Principal = allow(READ_TRAVEL, personal="person"),
) -> Response:
    query = people_search.SearchQuery(
        name=name.strip()[:200],
        document=document.strip()[:64],
        dob=optional_date(dob, "date of birth"),
        purpose=purpose.strip()[:PURPOSE_MAX],
    )
    context: dict[str, object] = {
        "query": query,
        "result": None,
        "problem": None,
        "submitted": query.has_criteria or bool(query.purpose),
    }
    if context["submitted"] and not query.purpose:
        context["problem"] = "purpose"
    elif context["submitted"] and not query.has_criteria:
        context["problem"] = "criteria"
    if context["problem"] or not context["submitted"]:
        # Nothing searched and no person shown: there is no look to record (the
        # guard's safety net would otherwise write one without a purpose).
        request.state.audited = True
        return request.app.state.renderer.page(request, "search/search.html", context)
    with request.app.state.engine.begin() as conn:
        result = people_search.search(conn, query)
        audit_look(conn, request, principal, "person", [h.person_id for h in result.hits],
                   purpose=query.purpose)  # fmt: skip
    context["result"] = result
    return request.app.state.renderer.page(request, "search/search.html", context)


@router.get("/audit")
def audit_trail(
    request: Request,
    since: str = "",
    action: str = "",
    actor: str = "",
    before: int | None = None,
    principal: Principal = allow(READ_AUDIT),
) -> Response:
    since_ = optional_date(since, "since")
    start = datetime.combine(since_, time(), UTC) if since_ else None
    with request.app.state.engine.begin() as conn:
        rows, more = dq.audit_page(conn, since=start, action=action.strip() or None,
                                   actor=actor.strip() or None, before_id=before,
                                   limit=AUDIT_PER_PAGE)  # fmt: skip
        intact, broken_at = audit.verify(conn)
        actions = dq.audit_actions(conn)
    with request.app.state.writer.begin() as conn:
        # Reading the trail is itself on record; counts only, no filter values.
        audit.record(conn, principal.actor, "audit.read", target_kind="audit_event",
                     details={"shown": len(rows), "filtered": bool(since or action or actor),
                              "chain_intact": intact})  # fmt: skip
    context = {"rows": rows, "more": more, "since": since_, "action": action.strip(),
               "actor": actor.strip(), "before": before, "actions": actions,
               "intact": intact, "broken_at": broken_at,
               "next_before": rows[-1]["id"] if rows and more else None}  # fmt: skip
    return request.app.state.renderer.page(request, "audit/trail.html", context)

