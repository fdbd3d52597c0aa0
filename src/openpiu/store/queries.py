"""Read models for the CLI (and later the web app): flights, manifests, messages."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select

from openpiu.errors import NotFoundError
from openpiu.store.db import as_utc
from openpiu.store.schema import (
    api_documents,
    api_travellers,
    flight_travellers,
    flights,
    legs,
    manifest_versions,
    messages,
    receipts,
    rejections,
)


@dataclass
class FlightSummary:
    id: int
    key: str
    designator: str
    origin: str | None
    destination: str | None
    departure_local: datetime | None
    arrival_local: datetime | None
    status: str
    passengers: int
    crew: int
    versions: int


@dataclass
class ManifestRow:
    surname: str
    given_names: str
    role: str
    status: str
    gender: str | None
    dob: date | None
    nationality: str | None
    seat: str | None
    record_locator: str | None
    documents: list[dict[str, Any]] = field(default_factory=list)
    in_transit: bool = False
    person_id: int = 0


def flight_key(carrier: str, number: str, day: date) -> str:
    return f"{carrier}{number}/{day.isoformat()}"


def list_flights(conn: Connection) -> list[FlightSummary]:
    counts: dict[tuple[int, str], int] = {}
    for flight_id, role, n in conn.execute(
        select(flight_travellers.c.flight_id, flight_travellers.c.role, func.count())
        .where(flight_travellers.c.status == "listed")
        .group_by(flight_travellers.c.flight_id, flight_travellers.c.role)
    ):
        counts[(flight_id, role)] = n
    versions = dict(
        conn.execute(
            select(manifest_versions.c.flight_id, func.count()).group_by(
                manifest_versions.c.flight_id
            )
        ).all()
    )
    rows = conn.execute(
        select(flights).order_by(flights.c.flight_date, flights.c.carrier, flights.c.number)
    ).mappings()
    return [
        FlightSummary(
            id=r["id"],
            key=flight_key(r["carrier"], r["number"], r["flight_date"]),
            designator=r["designator"],
            origin=r["origin"],
            destination=r["destination"],
            departure_local=r["departure_local"],
            arrival_local=r["arrival_local"],
            status=r["status"],
            passengers=counts.get((r["id"], "passenger"), 0),
            crew=counts.get((r["id"], "crew"), 0),
            versions=versions.get(r["id"], 0),
        )
        for r in rows
    ]


def find_flight(conn: Connection, key: str) -> dict[str, Any]:
    """A flight by its ID (``ZZ123/2025-03-15``; ``ZZ0123/2025-03-15`` is accepted)."""
    from openpiu.formats.paxlst import split_designator

    designator, _, day = key.strip().upper().partition("/")
    split = split_designator(designator)
    try:
        flight_date = date.fromisoformat(day)
    except ValueError:
        raise NotFoundError(f"flight ID {key!r} is not like ZZ123/2025-03-15") from None
    if split is None:
        raise NotFoundError(f"flight ID {key!r} is not like ZZ123/2025-03-15")
    row = (
        conn.execute(
            select(flights).where(
                and_(
                    flights.c.carrier == split[0],
                    flights.c.number == split[1],
                    flights.c.flight_date == flight_date,
                )
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFoundError(f"no flight {key}")
    return dict(row)


def flight_legs(conn: Connection, flight_id: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in conn.execute(
            select(legs).where(legs.c.flight_id == flight_id).order_by(legs.c.seq)
        ).mappings()
    ]


def manifest(conn: Connection, flight_id: int) -> list[ManifestRow]:
    """The current manifest: every person the versions put on the flight, with status."""
    t, ft = api_travellers, flight_travellers
    rows = (
        conn.execute(
            select(t, ft.c.status.label("list_status"))
            .join(ft, and_(ft.c.message_id == t.c.message_id, ft.c.seq == t.c.seq))
            .where(ft.c.flight_id == flight_id)
            .order_by(ft.c.role.desc(), t.c.surname, t.c.given_names)
        )
        .mappings()
        .all()
    )
    docs: dict[tuple[int, int], list[dict[str, Any]]] = {}
    keys = {(r["message_id"], r["seq"]) for r in rows}
    message_ids = {m for m, _ in keys}
    if message_ids:
        for d in conn.execute(
            select(api_documents)
            .where(api_documents.c.message_id.in_(message_ids))
            .order_by(api_documents.c.seq)
        ).mappings():
            if (d["message_id"], d["traveller_seq"]) in keys:
                docs.setdefault((d["message_id"], d["traveller_seq"]), []).append(
                    {
                        "type": d["doc_type"],
                        "number": d["number"],
                        "issuing_country": d["issuing_country"],
                        "expiry": d["expiry"],
                        "issue_date": d["issue_date"],
                    }
                )
    return [
        ManifestRow(
            surname=r["surname"],
            given_names=r["given_names"],
            role=r["role"],
            status=r["list_status"],
            gender=r["gender"],
            dob=r["dob"],
            nationality=r["nationality"],
            seat=r["seat"],
            record_locator=r["record_locator"],
            documents=docs.get((r["message_id"], r["seq"]), []),
            in_transit=r["in_transit"],
            person_id=r["person_id"],
        )
        for r in rows
    ]


def versions(conn: Connection, flight_id: int) -> list[dict[str, Any]]:
    rows = (
        conn.execute(select(manifest_versions).where(manifest_versions.c.flight_id == flight_id))
        .mappings()
        .all()
    )
    from openpiu.store.manifests import sender_order

    return [dict(r) for r in sorted(rows, key=sender_order)]


def message_counts(conn: Connection) -> dict[str, int]:
    """received = processed + duplicate + quarantined (+ held or pending right now)."""
    by_status = dict(
        conn.execute(select(messages.c.status, func.count()).group_by(messages.c.status)).all()
    )
    duplicates = (
        conn.scalar(
            select(func.count()).select_from(receipts).where(receipts.c.duplicate.is_(True))
        )
        or 0
    )
    received = conn.scalar(select(func.count()).select_from(receipts)) or 0
    rejected = conn.scalar(select(func.count()).select_from(rejections)) or 0
    return {
        "received": received,
        "processed": by_status.get("processed", 0),
        "duplicate": duplicates,
        "quarantined": by_status.get("quarantined", 0),
        "held": by_status.get("held", 0),
        "pending": by_status.get("received", 0),
        "rejected": rejected,
    }


def list_messages(
    conn: Connection, status: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    query = select(
        messages.c.id,
        messages.c.kind,
        messages.c.status,
        messages.c.received_at,
        messages.c.channel,
        messages.c.sender,
        messages.c.size,
        messages.c.reason,
        messages.c.position,
        messages.c.warnings,
        messages.c.interchange_sender,
        messages.c.common_access_ref,
        messages.c.part_number,
        messages.c.final_part,
    )
    if status:
        query = query.where(messages.c.status == status)
    rows = conn.execute(query.order_by(messages.c.id.desc()).limit(limit)).mappings().all()
    out = []
    for r in rows:
        item = dict(r)
        item["received_at"] = as_utc(item["received_at"])
        item["warnings"] = json.loads(item["warnings"]) if item["warnings"] else []
        out.append(item)
    return out


def list_rejections(conn: Connection, limit: int = 200) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in conn.execute(
            select(rejections).order_by(rejections.c.id.desc()).limit(limit)
        ).mappings()
    ]
