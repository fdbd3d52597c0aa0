"""Bookings from PNR pushes: versions kept, the flight's bookings derived.

A carrier pushes the PNRs of a flight several times (T-72, T-24, closure).  Each
push is stored as it came (``pnr_pushes``), each booking in it as a version (the
filtered booking as JSON).  Which bookings are on the flight now is derived by
replaying the pushes in the sender's order: a *full* push (MSG 22) lists every
PNR on the flight, so one absent from it has left; an *update* push (MSG 141)
lists only changed PNRs, so an absent one is unchanged; a cancellation push takes
the bookings off the flight.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from openpiu.identity import identity_document, key_of
from openpiu.model import Booking, PnrPush, PushKind
from openpiu.store.bulk import insert_rows
from openpiu.store.manifests import flight_id_for, insert_ignore, person_ids, sender_order
from openpiu.store.schema import (
    booking_flights,
    booking_locators,
    booking_versions,
    bookings,
    pnr_pushes,
    pnr_travellers,
)
from openpiu.views import booking_json

ON_FLIGHT, LEFT, CANCELLED = "on_flight", "left", "cancelled"
_TRAVELLER_COLUMNS = (
    "version_id",
    "seq",
    "booking_id",
    "flight_id",
    "person_id",
    "surname",
    "given_names",
    "dob",
    "gender",
    "nationality",
    "doc_number",
    "doc_country",
)
_CURRENT_COLUMNS = ("flight_id", "booking_id", "status", "version_id", "since_push_id")


def forget_message(conn: Connection, message_id: int) -> set[int]:
    """Remove what an earlier attempt at this message stored; returns its flights."""
    pushes = conn.execute(
        select(pnr_pushes.c.id, pnr_pushes.c.flight_id).where(pnr_pushes.c.message_id == message_id)
    ).all()
    if not pushes:
        return set()
    flights = {int(f) for _, f in pushes}
    push_ids = [int(p) for p, _ in pushes]
    versions = list(
        conn.scalars(select(booking_versions.c.id).where(booking_versions.c.push_id.in_(push_ids)))
    )
    conn.execute(delete(booking_flights).where(booking_flights.c.flight_id.in_(flights)))
    if versions:
        conn.execute(delete(pnr_travellers).where(pnr_travellers.c.version_id.in_(versions)))
        conn.execute(delete(booking_versions).where(booking_versions.c.id.in_(versions)))
    conn.execute(delete(pnr_pushes).where(pnr_pushes.c.id.in_(push_ids)))
    return flights


def store_push(
    conn: Connection, message_id: int, ordinal: int, push: PnrPush, now: datetime
) -> int:
    """Store one (filtered) push with its bookings; returns the flight id."""
    assert push.flight is not None, "a push without a flight is quarantined, not stored"
    flight_id = flight_id_for(conn, push.flight, now)
    env = push.envelope
    push_id = int(
        conn.execute(
            insert(pnr_pushes).values(
                message_id=message_id,
                ordinal=ordinal,
                flight_id=flight_id,
                push_kind=push.kind.value,
                sent_at=env.prepared_at,
                interchange_ref=env.interchange_ref,
                bookings=len(push.bookings),
                declared_bookings=push.declared_bookings,
                xml=push.xml,
                stored_at=now,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    )
    for booking in push.bookings:
        booking_id = booking_id_for(conn, booking, now)
        version_id = int(
            conn.execute(
                insert(booking_versions).values(
                    booking_id=booking_id,
                    push_id=push_id,
                    message_id=message_id,
                    flight_id=flight_id,
                    last_modified=booking.last_modified,
                    data=json.dumps(booking_json(booking), ensure_ascii=False),
                    travellers=len(booking.travellers),
                    warnings=json.dumps(booking.warnings, ensure_ascii=False),
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        )
        _store_travellers(conn, booking, booking_id, version_id, flight_id, now)
    return flight_id


def booking_id_for(conn: Connection, booking: Booking, now: datetime) -> int:
    """The booking keyed on (reservation system, locator, creation date), made on
    first sight; every locator of RCI is recorded for look-ups and linking."""
    created = booking.created_at.date().isoformat() if booking.created_at else ""
    key = {
        "reservation_system": (booking.reservation_system or "")[:8],
        "record_locator": booking.record_locator[:16],
        "created_on": created,
    }
    found = conn.scalar(select(bookings.c.id).filter_by(**key))
    if found is None:
        conn.execute(insert_ignore(conn, bookings, list(key)).values(**key, first_seen_at=now))
        found = conn.scalar(select(bookings.c.id).filter_by(**key))
    booking_id = int(found)
    locators = {((system or "")[:8], locator[:16]) for system, locator in booking.locators}
    locators.add((key["reservation_system"], key["record_locator"]))
    stmt = insert_ignore(conn, booking_locators, ["booking_id", "system", "locator"])
    conn.execute(
        stmt,
        [{"booking_id": booking_id, "system": s, "locator": loc} for s, loc in sorted(locators)],
    )
    return booking_id


def _store_travellers(
    conn: Connection,
    booking: Booking,
    booking_id: int,
    version_id: int,
    flight_id: int,
    now: datetime,
) -> None:
    if not booking.travellers:
        return
    keys, rows = [], []
    for seq, t in enumerate(booking.travellers, 1):
        doc = identity_document(t.documents)
        keys.append(key_of(t.surname, t.given_names, t.dob, t.nationality, doc))
        rows.append(
            [
                version_id,
                seq,
                booking_id,
                flight_id,
                0,
                t.surname[:128],
                t.given_names[:128],
                t.dob,
                t.gender,
                t.nationality,
                doc.number[:64] if doc else None,
                doc.issuing_country if doc else None,
            ]
        )
    for row, person_id in zip(rows, person_ids(conn, keys, now), strict=True):
        row[4] = person_id
    insert_rows(conn, pnr_travellers, _TRAVELLER_COLUMNS, rows)


def derive_bookings(conn: Connection, flight_id: int) -> None:
    """Replay the flight's pushes in the sender's order into ``booking_flights``."""
    pushes = conn.execute(select(pnr_pushes).where(pnr_pushes.c.flight_id == flight_id)).mappings()
    ordered = sorted(pushes, key=sender_order)
    versions: dict[int, list[tuple[int, int]]] = {}
    for version_id, push_id, booking_id in conn.execute(
        select(booking_versions.c.id, booking_versions.c.push_id, booking_versions.c.booking_id)
        .where(booking_versions.c.flight_id == flight_id)
        .order_by(booking_versions.c.id)
    ):
        versions.setdefault(push_id, []).append((booking_id, version_id))
    state: dict[int, dict[str, Any]] = {}
    for push in ordered:
        kind = PushKind(push["push_kind"])
        present = versions.get(push["id"], [])
        if kind is PushKind.CANCEL:
            for entry in state.values():
                entry.update(status=CANCELLED, since_push_id=push["id"])
            continue
        if kind is PushKind.FULL:
            listed = {b for b, _ in present}
            for booking_id, entry in state.items():
                if booking_id not in listed and entry["status"] == ON_FLIGHT:
                    entry.update(status=LEFT, since_push_id=push["id"])
        for booking_id, version_id in present:
            state[booking_id] = {
                "flight_id": flight_id,
                "booking_id": booking_id,
                "status": ON_FLIGHT,
                "version_id": version_id,
                "since_push_id": push["id"],
            }
    conn.execute(delete(booking_flights).where(booking_flights.c.flight_id == flight_id))
    insert_rows(
        conn,
        booking_flights,
        _CURRENT_COLUMNS,
        [tuple(e[c] for c in _CURRENT_COLUMNS) for e in state.values()],
    )


def versions_of(conn: Connection, booking_id: int) -> list[dict[str, Any]]:
    """Every version of a booking, in the sender's order, with its push."""
    rows = (
        conn.execute(
            select(
                booking_versions,
                pnr_pushes.c.push_kind,
                pnr_pushes.c.sent_at,
                pnr_pushes.c.interchange_ref,
                pnr_pushes.c.ordinal,
            )
            .join(pnr_pushes, pnr_pushes.c.id == booking_versions.c.push_id)
            .where(booking_versions.c.booking_id == booking_id)
        )
        .mappings()
        .all()
    )
    out = [
        dict(r) | {"data": json.loads(r["data"]), "warnings": json.loads(r["warnings"] or "[]")}
        for r in rows
    ]
    return sorted(out, key=sender_order)


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What changed between two versions of a booking: fields changed, and items
    (a seat, a bag, a traveller) added or removed, each on one line."""
    flat_a, flat_b = _flatten(before), _flatten(after)
    out: list[str] = []
    grouped: set[str] = set()
    for label, only, other in (("added", flat_b, flat_a), ("removed", flat_a, flat_b)):
        parents: dict[str, list[str]] = {}
        for path in only:
            if path not in other and "." in path:
                parents.setdefault(path.rsplit(".", 1)[0], []).append(path)
        for parent, paths in sorted(parents.items()):
            if parent.endswith("]") and not any(p.startswith(parent + ".") for p in other):
                shown = ", ".join(
                    f"{p.rsplit('.', 1)[1]} {_show(only[p])}"
                    for p in sorted(paths)
                    if only[p] not in (None, [], "")
                )
                out.append(f"{label} {parent}: {shown}")
                grouped.update(paths)
    for path in sorted(set(flat_a) | set(flat_b)):
        if path in grouped:
            continue
        old, new = flat_a.get(path), flat_b.get(path)
        if old != new:
            out.append(f"changed {path}: {_show(old)} -> {_show(new)}")
    return out


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            if key in ("warnings",):
                continue
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else key))
        return flat
    if isinstance(value, list):
        flat = {}
        for n, item in enumerate(value, 1):
            flat.update(_flatten(item, f"{prefix}[{n}]"))
        return flat
    return {prefix: value}


def _show(value: Any) -> str:
    return "(none)" if value is None else str(value)
