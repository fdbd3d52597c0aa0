"""Referrals: a hit passed on to a receiving authority, only with a second person's approval.

An analyst proposes (which authority, which items of data, why); a supervisor who
is not the proposer approves or rejects it.  Nothing leaves before the approval:
the approval is the disclosure, so that is when ``sent_at`` is set, the alert
becomes ``referred`` and the audit trail records ``referral.disclosed`` with the
authority and the codes of the data items (never the data itself).  The
proposer may withdraw a pending proposal.  The front line's outcome comes back
on the approved referral; :func:`outcomes_by_alert` hands it to the criteria
backtest, where a referral that turned out to be a false match must count as a
false hit, not a true one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, insert, select, update

from openpiu import audit
from openpiu.accounts import Actor, Role
from openpiu.errors import ConflictError, ForbiddenError, NotFoundError, PiuError
from openpiu.marks import N_
from openpiu.store.alerts import get_alert, set_status
from openpiu.store.db import as_utc, to_db
from openpiu.store.schema import alert_events, alerts, flights
from openpiu.store.schema_review import referrals

# What can be passed on, by code; the labels are shown (translated) in the form.
DATA_ITEMS: dict[str, str] = {
    "identity": N_("Name, date of birth, gender, nationality"),
    "document": N_("Travel document"),
    "flight": N_("Flight and seat"),
    "booking": N_("Booking (record locator, itinerary, contact)"),
    "hit_explanation": N_("Why it fired (list entry or criterion, features)"),
}
# The front line's answer, by code.
OUTCOMES: dict[str, str] = {
    "boarding_denied": N_("Boarding denied"),
    "questioned_released": N_("Questioned and released"),
    "arrested": N_("Arrested"),
    "no_action": N_("No action taken"),
    "not_travelled": N_("Did not travel"),
    "false_match": N_("Not the listed person (false match)"),
}
# Outcomes that make a referred alert a false hit for criteria precision.
FALSE_OUTCOMES = frozenset({"false_match"})
STATUSES = ("pending", "approved", "rejected", "withdrawn")
REFERABLE = ("open", "confirmed")  # alert statuses a referral may be proposed on
MAX_TEXT = 4000


def authorities_of(setting: str) -> tuple[str, ...]:
    """The configured receiving authorities (``settings.referral_authorities``)."""
    return tuple(a.strip() for a in setting.split(",") if a.strip())


def _text(value: str | None, what: str, *, required: bool = True) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise PiuError(f"{what} is required", 422)
        return None
    if len(text) > MAX_TEXT:
        raise PiuError(f"{what} is longer than {MAX_TEXT} characters", 422)
    return text


def _items(data_items: Iterable[str]) -> list[str]:
    chosen = [str(i).strip() for i in data_items if str(i).strip()]
    unknown = sorted(set(chosen) - set(DATA_ITEMS))
    if unknown:
        raise PiuError(f"unknown data item {unknown[0]!r}: one of {', '.join(DATA_ITEMS)}", 422)
    if not chosen:
        raise PiuError("choose at least one item of data to send", 422)
    return [code for code in DATA_ITEMS if code in chosen]  # catalogue order, no repeats


def propose(conn: Connection, actor: Actor, alert_id: int, authority: str,
            data_items: Iterable[str], reason: str | None, at: datetime, *,
            authorities: Sequence[str]) -> int:
    """Propose referring an open or confirmed alert; returns the referral's id."""
    if authority not in authorities:
        raise PiuError(f"unknown authority {authority!r}: one of {', '.join(authorities)}", 422)
    items = _items(data_items)
    why = _text(reason, "a reason")
    alert = get_alert(conn, alert_id)
    if alert["status"] not in REFERABLE:
        raise ConflictError(f"alert {alert_id} is {alert['status']}: only an open or confirmed "
                            "alert can be referred")  # fmt: skip
    waiting = conn.scalar(select(referrals.c.id).where(
        referrals.c.alert_id == alert_id, referrals.c.authority == authority,
        referrals.c.status == "pending"))  # fmt: skip
    if waiting is not None:
        raise ConflictError(f"referral {waiting} of this alert to {authority} awaits approval")
    result = conn.execute(insert(referrals).values(
        alert_id=alert_id, authority=authority, data_sent=json.dumps(items), reason=why,
        status="pending", created_by=actor.name, created_at=to_db(at)))  # fmt: skip
    referral_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    audit.record(conn, actor, "referral.proposed", target_kind="referral",
                 target_ids=[referral_id],
                 details={"alert": alert_id, "authority": authority, "data": items}, at=at)
    return referral_id


def _pending(conn: Connection, referral_id: int) -> dict[str, Any]:
    row = get(conn, referral_id)
    if row["status"] != "pending":
        raise ConflictError(f"referral {referral_id} is {row['status']}, not pending")
    return row


def _second_person(actor: Actor, row: dict[str, Any]) -> None:
    """Four eyes: a supervisor, and not the person who proposed it."""
    if not actor.has(Role.SUPERVISOR):
        raise ForbiddenError("only a supervisor can decide on a referral")
    if actor.name == row["created_by"]:
        raise ForbiddenError("a referral needs a second person: you proposed this one")


def approve(conn: Connection, actor: Actor, referral_id: int, note: str | None,
            at: datetime) -> None:
    """The second person's approval: the data leaves now, and that is on record."""
    row = _pending(conn, referral_id)
    _second_person(actor, row)
    why = _text(note, "a note", required=False)
    alert = get_alert(conn, row["alert_id"])
    # Another referral of the same alert may have gone first: still referable.
    if alert["status"] not in (*REFERABLE, "referred"):
        raise ConflictError(f"alert {alert['id']} is {alert['status']} now; reject or "
                            "withdraw the referral")  # fmt: skip
    conn.execute(update(referrals).where(referrals.c.id == referral_id).values(
        status="approved", decided_by=actor.name, decided_at=to_db(at), decision_note=why,
        sent_at=to_db(at)))  # fmt: skip
    set_status(conn, alert["id"], "referred", at)
    conn.execute(insert(alert_events).values(
        alert_id=alert["id"], at=to_db(at), kind="referred", score=alert["score"],
        band=alert["band"], list_version=alert["list_version"], actor=actor.name,
        reason=f"to {row['authority']} (referral {referral_id}, proposed by "
               f"{row['created_by']}): {row['reason']}"))  # fmt: skip
    audit.record(conn, actor, "referral.disclosed", target_kind="referral",
                 target_ids=[referral_id],
                 details={"alert": alert["id"], "authority": row["authority"],
                          "data": row["data_items"]},
                 at=at)  # fmt: skip


def reject(conn: Connection, actor: Actor, referral_id: int, note: str | None,
           at: datetime) -> None:
    """The second person refuses; nothing is sent, the alert keeps its status."""
    row = _pending(conn, referral_id)
    _second_person(actor, row)
    why = _text(note, "a note saying why")
    conn.execute(update(referrals).where(referrals.c.id == referral_id).values(
        status="rejected", decided_by=actor.name, decided_at=to_db(at),
        decision_note=why))  # fmt: skip
    audit.record(conn, actor, "referral.rejected", target_kind="referral",
                 target_ids=[referral_id], details={"alert": row["alert_id"]}, at=at)


def withdraw(conn: Connection, actor: Actor, referral_id: int, note: str | None,
             at: datetime) -> None:
    """The proposer takes a pending proposal back."""
    row = _pending(conn, referral_id)
    if actor.name != row["created_by"]:
        raise ForbiddenError("only the person who proposed a referral can withdraw it")
    conn.execute(update(referrals).where(referrals.c.id == referral_id).values(
        status="withdrawn", decided_by=actor.name, decided_at=to_db(at),
        decision_note=_text(note, "a note", required=False)))  # fmt: skip
    audit.record(conn, actor, "referral.withdrawn", target_kind="referral",
                 target_ids=[referral_id], details={"alert": row["alert_id"]}, at=at)


def record_outcome(conn: Connection, actor: Actor, referral_id: int, outcome: str,
                   note: str | None, at: datetime) -> None:
    """What the front line did with an approved referral (recorded once)."""
    if outcome not in OUTCOMES:
        raise PiuError(f"unknown outcome {outcome!r}: one of {', '.join(OUTCOMES)}", 422)
    why = _text(note, "a note", required=False)
    row = get(conn, referral_id)
    if row["status"] != "approved":
        raise ConflictError(f"referral {referral_id} is {row['status']}: only a referral "
                            "that was sent has an outcome")  # fmt: skip
    if row["outcome"]:
        raise ConflictError(f"referral {referral_id} already has the outcome {row['outcome']}")
    conn.execute(update(referrals).where(referrals.c.id == referral_id).values(
        outcome=outcome, outcome_note=why, outcome_by=actor.name,
        outcome_at=to_db(at)))  # fmt: skip
    audit.record(conn, actor, "referral.outcome", target_kind="referral",
                 target_ids=[referral_id], details={"alert": row["alert_id"],
                                                    "outcome": outcome}, at=at)  # fmt: skip


# -- readers -----------------------------------------------------------------------

_TIMES = ("created_at", "decided_at", "sent_at", "outcome_at", "departure_utc")
_COLUMNS = (referrals, alerts.c.band, alerts.c.status.label("alert_status"),
            alerts.c.list_name, alerts.c.entry_ref, alerts.c.source, flights.c.designator,
            flights.c.flight_date, flights.c.origin, flights.c.destination,
            flights.c.departure_utc)  # fmt: skip


def _row(r: Any) -> dict[str, Any]:
    out = dict(r)
    out["data_items"] = json.loads(out.pop("data_sent") or "[]")
    for key in _TIMES:
        if key in out:
            out[key] = as_utc(out[key])
    return out


def _select() -> Any:
    return (select(*_COLUMNS).join(alerts, alerts.c.id == referrals.c.alert_id)
            .join(flights, flights.c.id == alerts.c.flight_id))  # fmt: skip


def get(conn: Connection, referral_id: int) -> dict[str, Any]:
    """One referral with its alert's flight, band and entry (no traveller data)."""
    row = conn.execute(_select().where(referrals.c.id == referral_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no referral {referral_id}")
    return _row(row)


def list_referrals(conn: Connection, status: str | None = None, alert_id: int | None = None,
                   limit: int = 200) -> list[dict[str, Any]]:
    """Referrals, those awaiting approval first, then the newest."""
    if status and status not in STATUSES:
        raise PiuError(f"unknown referral status {status!r}: one of {', '.join(STATUSES)}", 422)
    query = _select()
    if status:
        query = query.where(referrals.c.status == status)
    if alert_id is not None:
        query = query.where(referrals.c.alert_id == alert_id)
    pending_first = case((referrals.c.status == "pending", 0), else_=1)
    rows = conn.execute(query.order_by(pending_first, referrals.c.created_at.desc(),
                                       referrals.c.id.desc()).limit(limit)).mappings()
    return [_row(r) for r in rows]


def outcomes_by_alert(conn: Connection, alert_ids: Iterable[int]) -> dict[int, str]:
    """alert id -> the front line's latest outcome code, for alerts that have one.
    For criteria precision: a referred alert whose outcome is in
    :data:`FALSE_OUTCOMES` was a false hit."""
    ids = sorted({int(i) for i in alert_ids})
    out: dict[int, str] = {}
    for start in range(0, len(ids), 1000):  # bounded IN lists
        for alert_id, outcome in conn.execute(
            select(referrals.c.alert_id, referrals.c.outcome)
            .where(referrals.c.alert_id.in_(ids[start:start + 1000]),
                   referrals.c.outcome.is_not(None))
            .order_by(referrals.c.outcome_at, referrals.c.id)
        ):  # fmt: skip
            out[int(alert_id)] = str(outcome)  # later outcomes overwrite earlier ones
    return out


def judged_status() -> Any:
    """``alerts.status`` as the front line judged it, as a SQL expression: a
    referred alert whose referral came back as a false match reads ``dismissed``
    (a false hit), any other alert its own status.  For criteria precision,
    which counts confirmed and referred alerts as true hits."""
    false_matches = select(referrals.c.alert_id).where(referrals.c.outcome.in_(FALSE_OUTCOMES))
    return case((alerts.c.id.in_(false_matches), "dismissed"), else_=alerts.c.status)


def alert_summary(conn: Connection, alert_id: int) -> dict[str, Any]:
    """The alert a referral is proposed on, with its flight (for the proposal form)."""
    alert = get_alert(conn, alert_id)
    flight = conn.execute(select(flights.c.designator, flights.c.flight_date, flights.c.origin,
                                 flights.c.destination, flights.c.departure_utc)
                          .where(flights.c.id == alert["flight_id"])).mappings().one()
    return {**alert, **flight, "departure_utc": as_utc(flight["departure_utc"])}
