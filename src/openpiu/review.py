"""An analyst's decisions on alerts: dismiss, confirm, notes; each on record.

A decision is an ``alert_events`` row (who, why) beside the status change, and an
audit event (ids only).  Dismissing needs a reason: the dismissal holds for the
same person and entry on later pushes and flights until the entry changes
(``store.alerts.fold``), so the reason is what a reviewer reads later.
Referrals, which need a second person, are in :mod:`openpiu.referrals`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert

from openpiu import audit
from openpiu.accounts import Actor
from openpiu.errors import ConflictError, PiuError
from openpiu.store.alerts import get_alert, set_status
from openpiu.store.db import to_db
from openpiu.store.schema import alert_events
from openpiu.store.schema_review import alert_notes

DECISIONS = {"dismiss": "dismissed", "confirm": "confirmed"}
MAX_TEXT = 4000


def _text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise PiuError(f"{what} is required", 422)
    if len(text) > MAX_TEXT:
        raise PiuError(f"{what} is longer than {MAX_TEXT} characters", 422)
    return text


def decide(conn: Connection, actor: Actor, alert_id: int, decision: str, reason: str | None,
           at: datetime) -> str:
    """Dismiss (as a false positive) or confirm an open alert; returns the new status."""
    if decision not in DECISIONS:
        raise PiuError(f"unknown decision {decision!r}: one of {', '.join(DECISIONS)}", 422)
    why = _text(reason, "a reason")
    status = DECISIONS[decision]
    alert = get_alert(conn, alert_id)
    if alert["status"] != "open":
        raise ConflictError(f"alert {alert_id} is {alert['status']}, not open")
    set_status(conn, alert_id, status, at)
    conn.execute(insert(alert_events).values(
        alert_id=alert_id, at=to_db(at), kind=status, score=alert["score"], band=alert["band"],
        list_version=alert["list_version"], actor=actor.name, reason=why))  # fmt: skip
    audit.record(conn, actor, f"alert.{status}", target_kind="alert", target_ids=[alert_id],
                 details={"band": alert["band"], "source": alert["source"]}, at=at)
    return status


def add_note(conn: Connection, actor: Actor, alert_id: int, text: str, at: datetime) -> int:
    body = _text(text, "a note")
    get_alert(conn, alert_id)
    result = conn.execute(insert(alert_notes).values(alert_id=alert_id, at=to_db(at),
                                                     author=actor.name, text=body))
    audit.record(conn, actor, "alert.noted", target_kind="alert", target_ids=[alert_id], at=at)
    return int(result.inserted_primary_key[0])  # type: ignore[index]
