"""The register of duly reasoned requests from competent authorities.

A competent authority may ask the PIU to search its data (EU PNR Directive art.
6(2)(b), and national equivalents); each request is answered on record: who
asked, on what legal basis and for which case, what was searched, what was
disclosed or why nothing was.  The data protection officer reads this register
to check that every disclosure had a basis, so every field is required except
what was disclosed when the request was refused.  Entries are never edited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from openpiu import audit
from openpiu.accounts import Actor
from openpiu.errors import NotFoundError, PiuError
from openpiu.store.db import as_utc, to_db
from openpiu.store.schema_review import data_requests

DECISIONS = ("disclosed", "partial", "refused")
MAX_TEXT = 4000
# Column widths of the table, for a clear message rather than a database error.
_WIDTHS = {"authority": 64, "requester": 200, "case reference": 128}


def _field(value: str | None, what: str, *, required: bool = True) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise PiuError(f"{what} is required", 422)
        return None
    limit = _WIDTHS.get(what, MAX_TEXT)
    if len(text) > limit:
        raise PiuError(f"{what} is longer than {limit} characters", 422)
    return text


def record(conn: Connection, actor: Actor, authority: str, requester: str, legal_basis: str,
           case_ref: str, reason: str, searched: str, disclosed: str | None, decision: str,
           at: datetime, *, received_at: datetime | None = None) -> int:
    """Put a request and its answer on the register; returns its id.  ``received_at``
    is when the request came in (default ``at``, when it is recorded)."""
    if decision not in DECISIONS:
        raise PiuError(f"unknown decision {decision!r}: one of {', '.join(DECISIONS)}", 422)
    values: dict[str, Any] = {
        "authority": _field(authority, "authority"),
        "requester": _field(requester, "requester"),
        "legal_basis": _field(legal_basis, "legal basis"),
        "case_ref": _field(case_ref, "case reference"),
        "reason": _field(reason, "reason"),
        "searched": _field(searched, "what was searched"),
        # A refusal discloses nothing; anything else must say what left.
        "disclosed": _field(disclosed, "what was disclosed", required=decision != "refused"),
    }
    if decision == "refused" and values["disclosed"]:
        raise PiuError("a refused request discloses nothing: leave 'disclosed' empty, or "
                       "record the decision as partial", 422)  # fmt: skip
    received = received_at or at
    if received.tzinfo is None:
        raise PiuError("the time the request was received needs a time zone (e.g. Z)", 422)
    if received > at:
        raise PiuError("a request cannot be received after it is recorded", 422)
    result = conn.execute(insert(data_requests).values(
        **values, decision=decision, received_at=to_db(received), recorded_by=actor.name,
        recorded_at=to_db(at)))  # fmt: skip
    request_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    audit.record(conn, actor, "request.recorded", target_kind="data_request",
                 target_ids=[request_id],
                 details={"authority": values["authority"], "decision": decision}, at=at)
    return request_id


def _row(r: Any) -> dict[str, Any]:
    out = dict(r)
    for key in ("received_at", "recorded_at"):
        out[key] = as_utc(out[key])
    return out


def get(conn: Connection, request_id: int) -> dict[str, Any]:
    row = conn.execute(select(data_requests).where(data_requests.c.id == request_id)
                       ).mappings().first()  # fmt: skip
    if row is None:
        raise NotFoundError(f"no request {request_id}")
    return _row(row)


def list_requests(conn: Connection, authority: str | None = None, decision: str | None = None,
                  limit: int = 200) -> list[dict[str, Any]]:
    """The register, newest first."""
    if decision and decision not in DECISIONS:
        raise PiuError(f"unknown decision {decision!r}: one of {', '.join(DECISIONS)}", 422)
    query = select(data_requests)
    if authority:
        query = query.where(data_requests.c.authority == authority)
    if decision:
        query = query.where(data_requests.c.decision == decision)
    rows = conn.execute(query.order_by(data_requests.c.received_at.desc(),
                                       data_requests.c.id.desc()).limit(limit)).mappings()
    return [_row(r) for r in rows]
