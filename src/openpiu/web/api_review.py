"""REST API of referrals (four eyes) and of the register of authorities' requests.

Each route parses its input, calls one service function (:mod:`openpiu.referrals`,
:mod:`openpiu.data_requests`) in one transaction and answers; the rules (who may
approve, what may be sent) live in the services, so the pages of ``ui_review``
obey the same ones.  Writes answer with ids and statuses only; reading a
referral or a request is a look at personal data, audited.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

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

router = APIRouter(prefix="/api/v1", tags=["referrals and requests"])


class ReferralIn(BaseModel):
    alert_id: int
    authority: str = Field(description="one of the configured receiving authorities")
    data_items: list[str] = Field(description=f"codes from: {', '.join(referrals.DATA_ITEMS)}")
    reason: str


class NoteIn(BaseModel):
    note: str | None = None


class OutcomeIn(BaseModel):
    outcome: str = Field(description=f"one of: {', '.join(referrals.OUTCOMES)}")
    note: str | None = None


class RequestIn(BaseModel):
    authority: str
    requester: str
    legal_basis: str
    case_ref: str
    reason: str
    searched: str
    disclosed: str | None = None
    decision: str = Field(description=f"one of: {', '.join(data_requests.DECISIONS)}")
    received_at: datetime | None = None


def authorities(request: Request) -> tuple[str, ...]:
    return referrals.authorities_of(request.app.state.settings.referral_authorities)


def _now() -> datetime:
    return datetime.now(UTC)


def _state(request: Request, referral_id: int) -> dict[str, Any]:
    with request.app.state.engine.begin() as conn:
        row = referrals.get(conn, referral_id)
    return {"id": referral_id, "status": row["status"], "alert_status": row["alert_status"],
            "outcome": row["outcome"]}  # fmt: skip


@router.get("/referrals")
def list_referrals(request: Request, status: str | None = None, alert_id: int | None = None,
                   principal: Principal = allow(READ_REFERRALS, personal="referral")
                   ) -> dict[str, Any]:
    with request.app.state.engine.begin() as conn:
        rows = referrals.list_referrals(conn, status or None, alert_id)
        audit_look(conn, request, principal, "referral", [r["id"] for r in rows])
    return {"referrals": rows, "authorities": authorities(request),
            "data_items": referrals.DATA_ITEMS, "outcomes": referrals.OUTCOMES}


@router.post("/referrals", status_code=201)
def propose_referral(request: Request, body: ReferralIn,
                     principal: Principal = allow(DECIDE_ALERTS)) -> dict[str, Any]:
    with request.app.state.writer.begin() as conn:
        referral_id = referrals.propose(conn, principal.actor, body.alert_id, body.authority,
                                        body.data_items, body.reason, _now(),
                                        authorities=authorities(request))  # fmt: skip
    return _state(request, referral_id)


@router.get("/referrals/{referral_id}")
def get_referral(request: Request, referral_id: int,
                 principal: Principal = allow(READ_REFERRALS, personal="referral")
                 ) -> dict[str, Any]:
    with request.app.state.engine.begin() as conn:
        row = referrals.get(conn, referral_id)
        audit_look(conn, request, principal, "referral", [referral_id])
    return row


@router.post("/referrals/{referral_id}/approve")
def approve_referral(request: Request, referral_id: int, body: NoteIn | None = None,
                     principal: Principal = allow(APPROVE_REFERRALS)) -> dict[str, Any]:
    with request.app.state.writer.begin() as conn:
        referrals.approve(conn, principal.actor, referral_id, body.note if body else None,
                          _now())  # fmt: skip
    return _state(request, referral_id)


@router.post("/referrals/{referral_id}/reject")
def reject_referral(request: Request, referral_id: int, body: NoteIn,
                    principal: Principal = allow(APPROVE_REFERRALS)) -> dict[str, Any]:
    with request.app.state.writer.begin() as conn:
        referrals.reject(conn, principal.actor, referral_id, body.note, _now())
    return _state(request, referral_id)


@router.post("/referrals/{referral_id}/withdraw")
def withdraw_referral(request: Request, referral_id: int, body: NoteIn | None = None,
                      principal: Principal = allow(DECIDE_ALERTS)) -> dict[str, Any]:
    with request.app.state.writer.begin() as conn:
        referrals.withdraw(conn, principal.actor, referral_id, body.note if body else None,
                           _now())  # fmt: skip
    return _state(request, referral_id)


@router.post("/referrals/{referral_id}/outcome")
def referral_outcome(request: Request, referral_id: int, body: OutcomeIn,
                     principal: Principal = allow(RECORD_OUTCOMES)) -> dict[str, Any]:
    with request.app.state.writer.begin() as conn:
        referrals.record_outcome(conn, principal.actor, referral_id, body.outcome, body.note,
                                 _now())  # fmt: skip
    return _state(request, referral_id)


@router.get("/requests")
def list_requests(request: Request, authority: str | None = None, decision: str | None = None,
                  principal: Principal = allow(READ_REQUESTS, personal="data_request")
                  ) -> dict[str, Any]:
    with request.app.state.engine.begin() as conn:
        rows = data_requests.list_requests(conn, authority or None, decision or None)
        audit_look(conn, request, principal, "data_request", [r["id"] for r in rows])
    return {"requests": rows}


@router.post("/requests", status_code=201)
def record_request(request: Request, body: RequestIn,
                   principal: Principal = allow(RECORD_REQUESTS)) -> dict[str, Any]:
    with request.app.state.writer.begin() as conn:
        request_id = data_requests.record(
            conn, principal.actor, body.authority, body.requester, body.legal_basis,
            body.case_ref, body.reason, body.searched, body.disclosed, body.decision, _now(),
            received_at=body.received_at)
    return {"id": request_id, "decision": body.decision}


@router.get("/requests/{request_id}")
def get_request(request: Request, request_id: int,
                principal: Principal = allow(READ_REQUESTS, personal="data_request")
                ) -> dict[str, Any]:
    with request.app.state.engine.begin() as conn:
        row = data_requests.get(conn, request_id)
        audit_look(conn, request, principal, "data_request", [request_id])
    return row
