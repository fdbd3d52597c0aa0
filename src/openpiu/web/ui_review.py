"""Pages of referrals (propose, approve or reject by a second person, outcome) and
of the register of requests from competent authorities.

Plain forms that post and redirect back, so the pages work without JavaScript;
the rules are the services' (:mod:`openpiu.referrals`, :mod:`openpiu.data_requests`),
the same ones the API obeys.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from openpiu import data_requests, referrals
from openpiu.web.access import (
    APPROVE_REFERRALS,
    DECIDE_ALERTS,
    READ_REFERRALS,
    READ_REQUESTS,
    RECORD_OUTCOMES,
    RECORD_REQUESTS,
    Principal,
    allow,
    audit_look,
)
from openpiu.web.render import Renderer

router = APIRouter(include_in_schema=False)


def authorities(request: Request) -> tuple[str, ...]:
    return referrals.authorities_of(request.app.state.settings.referral_authorities)


def _now() -> datetime:
    return datetime.now(UTC)


def _page(request: Request, template: str, context: dict[str, Any]) -> Response:
    renderer: Renderer = request.app.state.renderer
    return renderer.page(request, template, context)


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@router.get("/alerts/{alert_id}/refer")
def refer_form(request: Request, alert_id: int,
               principal: Principal = allow(DECIDE_ALERTS, personal="alert")) -> Response:
    with request.app.state.engine.begin() as conn:
        alert = referrals.alert_summary(conn, alert_id)
        waiting = referrals.list_referrals(conn, alert_id=alert_id)
        audit_look(conn, request, principal, "alert", [alert_id])
    context = {"alert": alert, "referrals": waiting, "authorities": authorities(request),
               "data_items": referrals.DATA_ITEMS, "referable": referrals.REFERABLE}
    return _page(request, "referrals/propose.html", context)


@router.post("/alerts/{alert_id}/refer")
def refer(request: Request, alert_id: int, authority: Annotated[str, Form()] = "",
          data_items: Annotated[list[str] | None, Form()] = None,
          reason: Annotated[str, Form()] = "",
          principal: Principal = allow(DECIDE_ALERTS)) -> Response:
    with request.app.state.writer.begin() as conn:
        referrals.propose(conn, principal.actor, alert_id, authority, data_items or [], reason,
                          _now(), authorities=authorities(request))  # fmt: skip
    return _back("/referrals")


@router.get("/referrals")
def referral_list(request: Request, status: str | None = None,
                  principal: Principal = allow(READ_REFERRALS, personal="referral")) -> Response:
    with request.app.state.engine.begin() as conn:
        rows = referrals.list_referrals(conn, status or None)
        audit_look(conn, request, principal, "referral", [r["id"] for r in rows])
    context = {"rows": rows, "status": status or "", "statuses": referrals.STATUSES,
               "data_items": referrals.DATA_ITEMS, "outcomes": referrals.OUTCOMES,
               "is_supervisor": principal.actor.has("supervisor")}  # fmt: skip
    return _page(request, "referrals/list.html", context)


@router.post("/referrals/{referral_id}/approve")
def referral_approve(request: Request, referral_id: int, note: Annotated[str, Form()] = "",
                     principal: Principal = allow(APPROVE_REFERRALS)) -> Response:
    with request.app.state.writer.begin() as conn:
        referrals.approve(conn, principal.actor, referral_id, note, _now())
    return _back("/referrals")


@router.post("/referrals/{referral_id}/reject")
def referral_reject(request: Request, referral_id: int, note: Annotated[str, Form()] = "",
                    principal: Principal = allow(APPROVE_REFERRALS)) -> Response:
    with request.app.state.writer.begin() as conn:
        referrals.reject(conn, principal.actor, referral_id, note, _now())
    return _back("/referrals")


@router.post("/referrals/{referral_id}/withdraw")
def referral_withdraw(request: Request, referral_id: int, note: Annotated[str, Form()] = "",
                      principal: Principal = allow(DECIDE_ALERTS)) -> Response:
    with request.app.state.writer.begin() as conn:
        referrals.withdraw(conn, principal.actor, referral_id, note, _now())
    return _back("/referrals")


@router.post("/referrals/{referral_id}/outcome")
def referral_outcome(request: Request, referral_id: int, outcome: Annotated[str, Form()] = "",
                     note: Annotated[str, Form()] = "",
                     principal: Principal = allow(RECORD_OUTCOMES)) -> Response:
    with request.app.state.writer.begin() as conn:
        referrals.record_outcome(conn, principal.actor, referral_id, outcome, note, _now())
    return _back("/referrals")


@router.get("/requests")
def request_register(request: Request, decision: str | None = None,
                     principal: Principal = allow(READ_REQUESTS, personal="data_request")
                     ) -> Response:
    with request.app.state.engine.begin() as conn:
        rows = data_requests.list_requests(conn, decision=decision or None)
        audit_look(conn, request, principal, "data_request", [r["id"] for r in rows])
    context = {"rows": rows, "decision": decision or "", "decisions": data_requests.DECISIONS,
               "authorities": authorities(request)}  # fmt: skip
    return _page(request, "requests/list.html", context)


@router.post("/requests")
def request_record(request: Request, authority: Annotated[str, Form()] = "",
                   requester: Annotated[str, Form()] = "",
                   legal_basis: Annotated[str, Form()] = "",
                   case_ref: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
                   searched: Annotated[str, Form()] = "", disclosed: Annotated[str, Form()] = "",
                   decision: Annotated[str, Form()] = "",
                   principal: Principal = allow(RECORD_REQUESTS)) -> Response:
    with request.app.state.writer.begin() as conn:
        data_requests.record(conn, principal.actor, authority, requester, legal_basis, case_ref,
                             reason, searched, disclosed, decision, _now())  # fmt: skip
    return _back("/requests")
