"""Reads for the dashboard, the flight list and the audit trail page.

Every figure here is an aggregate the database computes (``GROUP BY`` over
indexed columns), or a count for the few rows of one page: the dashboard opens
first thing in the morning on stores of a million travellers, and must not
walk them in Python.  Nothing returned by the dashboard reads names it personal
data: flights, counts, carrier codes and message statuses only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select

from openpiu.store.db import as_utc, to_db
from openpiu.store.schema import alerts, audit_events, flight_travellers, flights, messages

# Bands in the order the queue shows them.
BANDS = ("alert", "review")


# -- dashboard -------------------------------------------------------------------------


def flights_by_status(conn: Connection, start: datetime, end: datetime) -> dict[str, int]:
    """Flights departing in [start, end) (UTC), counted per status."""
    rows = conn.execute(
        select(flights.c.status, func.count())
        .where(flights.c.departure_utc >= to_db(start), flights.c.departure_utc < to_db(end))
        .group_by(flights.c.status)
    ).all()  # fmt: skip
    return {str(status): int(n) for status, n in rows}


def next_departures(
    conn: Connection, now: datetime, end: datetime, limit: int = 10
) -> list[dict[str, Any]]:
    """The next flights to leave (from ``now`` to ``end``), with their counts."""
    rows = conn.execute(
        select(*_FLIGHT_COLUMNS)
        .where(flights.c.departure_utc >= to_db(now), flights.c.departure_utc < to_db(end),
               flights.c.status != "cancelled")
        .order_by(flights.c.departure_utc, flights.c.id).limit(limit)
    ).mappings().all()  # fmt: skip
    return with_counts(conn, rows)


def latest_flight_day(conn: Connection) -> date | None:
    """The latest flight date in the store (for a store whose traffic is not of
    today, such as the demo's)."""
    found = conn.scalar(select(func.max(flights.c.flight_date)))
    return found if isinstance(found, date) else (date.fromisoformat(found) if found else None)


def open_alerts_by_band(conn: Connection) -> dict[str, int]:
    """Open alerts per band (the queue's index covers status and band)."""
    rows = conn.execute(
        select(alerts.c.band, func.count()).where(alerts.c.status == "open")
        .group_by(alerts.c.band)
    ).all()  # fmt: skip
    return {str(band): int(n) for band, n in rows}


def carriers_last_message(conn: Connection) -> list[dict[str, Any]]:
    """Each carrier's latest message: when, its kind and where it stands.

    The carrier is the flight's when the message was applied to one, else the
    envelope's sender, else the channel's sender (a quarantined message has no
    flight).  One grouped pass finds the latest id per carrier; only those rows
    are then read."""
    carrier = func.coalesce(flights.c.carrier, messages.c.interchange_sender, messages.c.sender,
                            "?").label("carrier")  # fmt: skip
    latest = conn.execute(
        select(carrier, func.max(messages.c.id))
        .select_from(messages.outerjoin(flights, flights.c.id == messages.c.flight_id))
        .group_by(carrier)
    ).all()  # fmt: skip
    by_id = {int(mid): str(code) for code, mid in latest}
    if not by_id:
        return []
    rows = conn.execute(
        select(messages.c.id, messages.c.kind, messages.c.status, messages.c.received_at,
               messages.c.processed_at, messages.c.channel)
        .where(messages.c.id.in_(by_id))
    ).mappings().all()  # fmt: skip
    out = [{**dict(r), "carrier": by_id[r["id"]], "received_at": as_utc(r["received_at"]),
            "processed_at": as_utc(r["processed_at"])} for r in rows]  # fmt: skip
    return sorted(out, key=lambda r: r["carrier"])


# -- flights ---------------------------------------------------------------------------

_FLIGHT_COLUMNS = (
    flights.c.id, flights.c.carrier, flights.c.number, flights.c.designator,
    flights.c.flight_date, flights.c.origin, flights.c.destination, flights.c.departure_local,
    flights.c.departure_utc, flights.c.arrival_local, flights.c.arrival_utc, flights.c.status,
)  # fmt: skip


def flights_on(
    conn: Connection, day: date, *, offset: int = 0, limit: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """Flights of one (local departure) date, by departure time; and how many."""
    total = conn.scalar(select(func.count()).select_from(flights)
                        .where(flights.c.flight_date == day)) or 0  # fmt: skip
    rows = conn.execute(
        select(*_FLIGHT_COLUMNS).where(flights.c.flight_date == day)
        .order_by(flights.c.departure_utc, flights.c.carrier, flights.c.number)
        .offset(offset).limit(limit)
    ).mappings().all()  # fmt: skip
    return with_counts(conn, rows), int(total)


def flight(conn: Connection, flight_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(*_FLIGHT_COLUMNS).where(flights.c.id == flight_id)
                       ).mappings().first()  # fmt: skip
    return with_counts(conn, [row])[0] if row else None


def with_counts(conn: Connection, rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Flight rows with their listed travellers and open alerts, counted for
    these flights only (both lookups lead with flight_id in an index)."""
    out = [dict(r) for r in rows]
    ids = [r["id"] for r in out]
    travellers: dict[int, int] = {}
    open_alerts: dict[int, int] = {}
    if ids:
        ft = flight_travellers
        travellers = {int(f): int(n) for f, n in conn.execute(
            select(ft.c.flight_id, func.count())
            .where(ft.c.flight_id.in_(ids), ft.c.status == "listed")
            .group_by(ft.c.flight_id))}  # fmt: skip
        open_alerts = {int(f): int(n) for f, n in conn.execute(
            select(alerts.c.flight_id, func.count())
            .where(alerts.c.flight_id.in_(ids), alerts.c.status == "open")
            .group_by(alerts.c.flight_id))}  # fmt: skip
    for r in out:
        r["departure_utc"] = as_utc(r["departure_utc"])
        r["arrival_utc"] = as_utc(r["arrival_utc"])
        r["travellers"] = travellers.get(r["id"], 0)
        r["open_alerts"] = open_alerts.get(r["id"], 0)
    return out


def open_alerts_on_flight(conn: Connection, flight_id: int) -> dict[int, list[dict[str, Any]]]:
    """person id -> the open alerts on this flight (the manifest marks them)."""
    out: dict[int, list[dict[str, Any]]] = {}
    for r in conn.execute(
        select(alerts.c.id, alerts.c.person_id, alerts.c.band, alerts.c.score, alerts.c.source,
               alerts.c.list_name, alerts.c.entry_id, alerts.c.entry_ref)
        .where(alerts.c.flight_id == flight_id, alerts.c.status == "open")
        .order_by(alerts.c.score.desc())
    ).mappings():  # fmt: skip
        out.setdefault(int(r["person_id"]), []).append(dict(r))
    return out


# -- audit trail -----------------------------------------------------------------------


def audit_page(
    conn: Connection,
    *,
    since: datetime | None = None,
    action: str | None = None,
    actor: str | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> tuple[list[dict[str, Any]], bool]:
    """Audit events newest first, and whether older ones remain.

    Paging is by id (``before_id``), not offset: the trail grows while one
    reads it, and an id cursor neither skips nor repeats events."""
    a = audit_events
    where: list[Any] = []
    if since is not None:
        where.append(a.c.at >= to_db(since))
    if action:
        # "personal_data" finds every "personal_data.*" action too.
        where.append(or_(a.c.action == action, a.c.action.like(f"{_escape(action)}.%",
                                                                escape="\\")))  # fmt: skip
    if actor:
        where.append(a.c.actor == actor)
    if before_id is not None:
        where.append(a.c.id < before_id)
    rows = conn.execute(
        select(a.c.id, a.c.at, a.c.actor, a.c.actor_roles, a.c.action, a.c.target_kind,
               a.c.target_ids, a.c.purpose, a.c.details)
        .where(*where).order_by(a.c.id.desc()).limit(limit + 1)
    ).mappings().all()  # fmt: skip
    out = []
    for r in rows[:limit]:
        event = dict(r)
        event["at"] = as_utc(event["at"])
        event["target_ids"] = json.loads(event["target_ids"]) if event["target_ids"] else []
        event["details"] = json.loads(event["details"]) if event["details"] else {}
        out.append(event)
    return out, len(rows) > limit


def audit_actions(conn: Connection) -> list[str]:
    """The distinct actions on record (the filter's choices; the action index covers it)."""
    return [str(a) for a in conn.scalars(select(audit_events.c.action).distinct()
                                         .order_by(audit_events.c.action))]  # fmt: skip


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
