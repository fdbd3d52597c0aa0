"""Alerts: one per (flight, person, list entry or criterion), with their history.

A traveller is screened again at every PNR push (T-72, T-24, closure), at the API
message and when a list changes.  :func:`record_hit` folds each result into the
one alert of that (flight, person, source, list, entry): a new alert is raised,
fresh evidence updates it, the same evidence changes nothing.  A dismissed alert
stays dismissed (the analyst's decision holds) unless something material changed:
the list entry itself was edited (its digest differs) or the evidence rose to a
higher band; then it is reopened.  Every change is an ``alert_events`` row, so an
analyst sees how the alert came to be what it is.

Safe under concurrency: the unique key (flight, person, source, list, entry)
decides who raises; the others then lock the row (SELECT ... FOR UPDATE on
PostgreSQL; SQLite has a single writer) and compare with what it holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, func, insert, select, update

from openpiu.errors import NotFoundError, PiuError
from openpiu.screening.types import Match
from openpiu.store.db import as_utc, to_db
from openpiu.store.schema import alert_events, alerts, api_travellers, messages

STATUSES = ("open", "dismissed", "confirmed", "referred", "closed")
# Raised for the queue: a higher rank is stronger evidence.
_BAND_RANK = {"none": 0, "review": 1, "alert": 2}
_KEY = ["flight_id", "person_id", "source", "list_name", "entry_id"]
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# Built once: a list change may fold thousands of hits, and building the
# statement anew for each was most of the cost.
_EVENT_INSERT = insert(alert_events)
_RAISE: dict[str, Any] = {}


def _raise_statement(dialect: str) -> Any:
    stmt = _RAISE.get(dialect)
    if stmt is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        stmt = _RAISE[dialect] = (
            dialect_insert(alerts).on_conflict_do_nothing(index_elements=_KEY)
            .returning(alerts.c.id)
        )  # fmt: skip
    return stmt


def record_hit(
    conn: Connection,
    *,
    flight_id: int,
    person_id: int,
    list_name: str,
    entry_id: str,
    entry_ref: str | None,
    list_version: int | None,
    entry_digest: str | None,
    match: Match,
    message_id: int | None,
    at: datetime,
    source: str = "watchlist",
) -> str:
    """Fold one screening hit into its alert; returns what happened: ``raised``,
    ``updated``, ``unchanged``, ``reopened`` or ``suppressed`` (a dismissed alert
    held, or a new alert born dismissed: the person was cleared against the same
    entry on another flight).

    Idempotent: the same hit recorded twice leaves the second call ``unchanged``."""
    key = {
        "flight_id": flight_id,
        "person_id": person_id,
        "source": source,
        "list_name": list_name,
        "entry_id": entry_id,
    }
    evidence: dict[str, Any] = {
        "entry_ref": entry_ref,
        "list_version": list_version,
        "entry_digest": entry_digest,
        # Rounded as Feature.to_json rounds: a score recomputed from the stored
        # features compares equal, so a replay is "unchanged", not "updated".
        "score": round(match.score, 4),
        "band": match.band,
        "matched_name": match.matched_name,
        "features": _ENCODER.encode([f.to_json() for f in match.features]),
    }
    return fold(conn, key, evidence, message_id, at)


CRITERIA_LIST = "criteria"  # the alerts' list_name for criteria hits
CRITERION_BAND = "review"  # a pattern is weaker evidence than a name: reviewed, never acted on


def record_criterion_hit(
    conn: Connection,
    *,
    flight_id: int,
    person_id: int,
    criterion_key: str,
    version: int,
    version_id: int,
    digest: str,
    score: int,
    title: str,
    checks: list[dict[str, Any]],
    message_id: int | None,
    at: datetime,
) -> str:
    """Fold one criterion hit into the alert of (flight, person, criterion).

    The alert records the version that produced it (``criterion_version_id``, its
    number in ``list_version``) and the checks (which condition held on which
    value).  The score is the criterion's 1-100 score over 100, on the matcher's
    0-1 scale, so the queue orders both kinds of alert alike.  A new version of
    the criterion is a changed entry: a dismissal of the old one does not hold."""
    key = {
        "flight_id": flight_id,
        "person_id": person_id,
        "source": "criterion",
        "list_name": CRITERIA_LIST,
        "entry_id": criterion_key,
    }
    evidence: dict[str, Any] = {
        "entry_ref": f"{criterion_key} v{version}",
        "list_version": version,
        "entry_digest": digest,
        "score": round(score / 100, 4),
        "band": CRITERION_BAND,
        "matched_name": title,
        "features": _ENCODER.encode(checks),
        "criterion_version_id": version_id,
    }
    return fold(conn, key, evidence, message_id, at)


def fold(
    conn: Connection,
    key: dict[str, Any],
    evidence: dict[str, Any],
    message_id: int | None,
    at: datetime,
) -> str:
    """Fold evidence into the one alert of ``key`` (see :func:`record_hit`)."""
    source, list_name, entry_id = key["source"], key["list_name"], key["entry_id"]
    person_id, entry_digest, band = key["person_id"], evidence["entry_digest"], evidence["band"]
    now = to_db(at)
    # RETURNING says whether this call inserted (rowcount is not reliable for an
    # INSERT ... RETURNING on every driver); both backends support it.
    # A person an analyst cleared against this entry (same entry digest) on an
    # earlier flight is not raised again: the new alert is born dismissed, with
    # an event that says why, so the queue stays clear and the audit complete.
    cleared = entry_digest is not None and _cleared_before(
        conn, person_id, source, list_name, entry_id, entry_digest
    )
    status = "dismissed" if cleared else "open"
    # A hit on a traveller checking in through the interactive API: the person is
    # at the counter, so the alert goes to the head of the queue.
    urgent = message_id is not None and _checked_in(conn, message_id, person_id)
    inserted = conn.execute(
        _raise_statement(conn.dialect.name),
        {**key, **evidence, "status": status, "urgent": urgent, "created_at": now,
         "updated_at": now},
    ).first()
    if inserted is not None:
        kind = "suppressed" if cleared else "raised"
        _event(conn, int(inserted[0]), kind, evidence, message_id, now)
        return kind
    # Someone raised it before (maybe a concurrent worker, just now): lock it.
    row = (
        conn.execute(
            select(alerts)
            .where(*(alerts.c[name] == value for name, value in key.items()))
            .with_for_update()
        )
        .mappings()
        .one()
    )
    alert_id = int(row["id"])
    if urgent and not row["urgent"]:
        conn.execute(update(alerts).where(alerts.c.id == alert_id).values(urgent=True))

    if row["status"] == "dismissed":
        edited = (
            entry_digest is not None
            and row["entry_digest"] is not None
            and entry_digest != row["entry_digest"]
        )
        stronger = _BAND_RANK.get(band, 0) > _BAND_RANK.get(row["band"], 0)
        if not (edited or stronger):
            # The analyst's dismissal holds: nothing is written (DESIGN.md, review).
            return "suppressed"
        _update(conn, alert_id, {**evidence, "status": "open"}, now)
        _event(conn, alert_id, "reopened", evidence, message_id, now)
        return "reopened"

    if all(_same(row[name], value) for name, value in evidence.items()):
        return "unchanged"
    _update(conn, alert_id, evidence, now)
    kind = "band_changed" if row["band"] != band else "updated"
    _event(conn, alert_id, kind, evidence, message_id, now)
    return "updated"


def _checked_in(conn: Connection, message_id: int, person_id: int) -> bool:
    """Whether the person is a traveller of this message and it came by the
    interactive API: only he is at the counter, not the rest of the flight,
    whose alerts the message's processing confirms too."""
    found = conn.scalar(
        select(api_travellers.c.seq)
        .join(messages, messages.c.id == api_travellers.c.message_id)
        .where(api_travellers.c.message_id == message_id,
               api_travellers.c.person_id == person_id, messages.c.channel == "iapi")
        .limit(1)
    )  # fmt: skip
    return found is not None


def _cleared_before(conn: Connection, person_id: int, source: str, list_name: str,
                    entry_id: str, digest: str) -> bool:
    found = conn.execute(
        select(alerts.c.id).where(
            alerts.c.person_id == person_id, alerts.c.source == source,
            alerts.c.list_name == list_name, alerts.c.entry_id == entry_id,
            alerts.c.entry_digest == digest, alerts.c.status == "dismissed",
        ).limit(1)
    ).first()  # fmt: skip
    return found is not None


def _same(stored: Any, new: Any) -> bool:
    if isinstance(stored, float) or isinstance(new, float):
        # A float read back from the database may differ in the last bit.
        return stored is not None and new is not None and abs(float(stored) - float(new)) < 1e-9
    return bool(stored == new)


def _update(conn: Connection, alert_id: int, values: dict[str, Any], now: Any) -> None:
    conn.execute(update(alerts).where(alerts.c.id == alert_id).values(**values, updated_at=now))


def _event(
    conn: Connection,
    alert_id: int,
    kind: str,
    evidence: dict[str, Any],
    message_id: int | None,
    now: Any,
) -> None:
    conn.execute(
        _EVENT_INSERT,
        {
            "alert_id": alert_id,
            "at": now,
            "kind": kind,
            "score": evidence["score"],
            "band": evidence["band"],
            "list_version": evidence["list_version"],
            "message_id": message_id,
            "features": evidence["features"],
        },
    )


def _alert_dict(row: Any) -> dict[str, Any]:
    out = dict(row)
    out["features"] = json.loads(out["features"]) if out["features"] else []
    out["created_at"] = as_utc(out["created_at"])
    out["updated_at"] = as_utc(out["updated_at"])
    return out


# Strongest first: band, then score, then the oldest (it has waited longest).
_BAND_ORDER = case(*((alerts.c.band == band, -rank) for band, rank in _BAND_RANK.items()), else_=0)
_QUEUE_ORDER = (_BAND_ORDER, alerts.c.score.desc(), alerts.c.created_at, alerts.c.id)


def alerts_for_flight(conn: Connection, flight_id: int) -> list[dict[str, Any]]:
    """Every alert of the flight, whatever its status, strongest first."""
    rows = conn.execute(
        select(alerts).where(alerts.c.flight_id == flight_id).order_by(*_QUEUE_ORDER)
    ).mappings()
    return [_alert_dict(r) for r in rows]


def open_alerts(
    conn: Connection, *, band: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """The review queue: open alerts, strongest first."""
    stmt = select(alerts).where(alerts.c.status == "open")
    if band is not None:
        stmt = stmt.where(alerts.c.band == band)
    rows = conn.execute(stmt.order_by(*_QUEUE_ORDER).limit(limit)).mappings()
    return [_alert_dict(r) for r in rows]


def alert_counts(conn: Connection) -> dict[tuple[str, str], int]:
    """Number of alerts per (status, band)."""
    rows = conn.execute(
        select(alerts.c.status, alerts.c.band, func.count()).group_by(
            alerts.c.status, alerts.c.band
        )
    ).all()
    return {(status, band): int(n) for status, band, n in rows}


def get_alert(conn: Connection, alert_id: int) -> dict[str, Any]:
    row = conn.execute(select(alerts).where(alerts.c.id == alert_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no alert {alert_id}")
    return _alert_dict(row)


def alert_history(conn: Connection, alert_id: int) -> list[dict[str, Any]]:
    """The alert's events, oldest first."""
    get_alert(conn, alert_id)
    rows = conn.execute(
        select(alert_events)
        .where(alert_events.c.alert_id == alert_id)
        .order_by(alert_events.c.at, alert_events.c.id)
    ).mappings()
    out = []
    for r in rows:
        event = dict(r)
        event["at"] = as_utc(event["at"])
        event["features"] = json.loads(event["features"]) if event["features"] else []
        out.append(event)
    return out


def set_status(conn: Connection, alert_id: int, status: str, at: datetime) -> str:
    """Set the alert's status; returns the one it had.  The analyst's decision
    itself (who, why, the second person for a referral) is recorded by the review
    service, which comes later; this is only the state change."""
    if status not in STATUSES:
        raise PiuError(f"unknown alert status {status!r}: one of {', '.join(STATUSES)}", 422)
    before = conn.scalar(select(alerts.c.status).where(alerts.c.id == alert_id).with_for_update())
    if before is None:
        raise NotFoundError(f"no alert {alert_id}")
    conn.execute(
        update(alerts).where(alerts.c.id == alert_id).values(status=status, updated_at=to_db(at))
    )
    return str(before)


def alert_keys(conn: Connection, flight_ids: Iterable[int]) -> set[tuple[int, int, str, str]]:
    """(flight, person, list, entry) of every watchlist alert on these flights."""
    ids = sorted(set(flight_ids))
    if not ids:
        return set()
    rows = conn.execute(
        select(alerts.c.flight_id, alerts.c.person_id, alerts.c.list_name, alerts.c.entry_id)
        .where(alerts.c.flight_id.in_(ids), alerts.c.source == "watchlist")
    )  # fmt: skip
    return {(int(f), int(p), str(n), str(e)) for f, p, n, e in rows}
