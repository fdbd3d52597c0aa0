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

from sqlalchemy import Connection, bindparam, delete, insert, select

from openpiu.identity import identity_document, key_of
from openpiu.model import Booking, PnrPush, PushKind
from openpiu.store.bulk import insert_rows
from openpiu.store.manifests import flight_id_for, person_ids, sender_order
from openpiu.store.schema import (
    booking_flights,
    booking_locators,
    booking_versions,
    bookings,
    pnr_pushes,
    pnr_travellers,
)
from openpiu.views import booking_json_text

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


_INSERT_PUSH = insert(pnr_pushes)
_BOOKINGS_BY_LOCATOR = select(
    bookings.c.id, bookings.c.reservation_system, bookings.c.record_locator, bookings.c.created_on
).where(bookings.c.record_locator.in_(bindparam("locators", expanding=True)))
_INSERT_VERSIONS = insert(booking_versions).returning(
    booking_versions.c.id, sort_by_parameter_order=True
)


def store_push(
    conn: Connection, message_id: int, ordinal: int, push: PnrPush, now: datetime
) -> int:
    """Store one (filtered) push with its bookings; returns the flight id.

    A push holds a hundred PNRs or more: bookings, versions and travellers are each
    written in one batch, not one statement per booking."""
    assert push.flight is not None, "a push without a flight is quarantined, not stored"
    flight_id = flight_id_for(conn, push.flight, now)
    env = push.envelope
    push_id = int(
        conn.execute(
            _INSERT_PUSH,
            {
                "message_id": message_id,
                "ordinal": ordinal,
                "flight_id": flight_id,
                "push_kind": push.kind.value,
                "sent_at": env.prepared_at,
                "interchange_ref": env.interchange_ref,
                "bookings": len(push.bookings),
                "declared_bookings": push.declared_bookings,
                "xml": push.xml,
                "stored_at": now,
            },
        ).inserted_primary_key[0]  # type: ignore[index]
    )
    if not push.bookings:
        return flight_id
    booking_ids = booking_ids_for(conn, push.bookings, now)
    version_rows = [
        {
            "booking_id": booking_id,
            "push_id": push_id,
            "message_id": message_id,
            "flight_id": flight_id,
            "last_modified": booking.last_modified,
            "data": booking_json_text(booking),
            "travellers": len(booking.travellers),
            "warnings": json.dumps(booking.warnings, ensure_ascii=False),
        }
        for booking, booking_id in zip(push.bookings, booking_ids, strict=True)
    ]
    version_ids = [int(row[0]) for row in conn.execute(_INSERT_VERSIONS, version_rows)]
    _store_travellers(conn, push.bookings, booking_ids, version_ids, flight_id, now)
    return flight_id


def booking_key(booking: Booking) -> tuple[str, str, str]:
    """(reservation system, record locator, creation date): a locator is unique only
    per reservation system and creation date."""
    created = booking.created_at.date().isoformat() if booking.created_at else ""
    return ((booking.reservation_system or "")[:8], booking.record_locator[:16], created)


def booking_ids_for(conn: Connection, items: list[Booking], now: datetime) -> list[int]:
    """The bookings' ids, made on first sight; every RCI locator is recorded too."""
    keys = [booking_key(b) for b in items]
    locators = sorted({key[1] for key in keys})
    known = _known_bookings(conn, locators)
    missing = sorted({key for key in keys if key not in known})
    if missing:
        rows = [(*key, now) for key in missing]
        insert_rows(
            conn,
            bookings,
            ("reservation_system", "record_locator", "created_on", "first_seen_at"),
            rows,
            skip_existing=True,
        )
        known = _known_bookings(conn, locators)
    ids = [known[key] for key in keys]
    pairs = set()
    for booking, booking_id, key in zip(items, ids, keys, strict=True):
        pairs.add((booking_id, key[0], key[1]))
        pairs.update((booking_id, (system or "")[:8], loc[:16]) for system, loc in booking.locators)
    insert_rows(
        conn,
        booking_locators,
        ("booking_id", "system", "locator"),
        sorted(pairs),
        skip_existing=True,
    )
    return ids


def _known_bookings(conn: Connection, locators: list[str]) -> dict[tuple[str, str, str], int]:
    found: dict[tuple[str, str, str], int] = {}
    for start in range(0, len(locators), 500):
        for row in conn.execute(_BOOKINGS_BY_LOCATOR, {"locators": locators[start : start + 500]}):
            found[(row.reservation_system, row.record_locator, row.created_on)] = int(row.id)
    return found


def _store_travellers(
    conn: Connection,
    items: list[Booking],
    booking_ids: list[int],
    version_ids: list[int],
    flight_id: int,
    now: datetime,
) -> None:
    keys, rows = [], []
    for booking, booking_id, version_id in zip(items, booking_ids, version_ids, strict=True):
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
    if not rows:
        return
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
