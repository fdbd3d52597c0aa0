"""Flights, manifest versions and travellers: writing them and deriving the manifest.

Every PAXLST message applied to a flight is kept as a *version* with the
travellers exactly as it gave them.  The current manifest (``flight_travellers``)
is derived by replaying the versions in the sender's order, never in arrival
order, so a late-arriving older message changes nothing it should not, and a
message processed twice (two workers, a retry) leaves the same picture.
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, text, update

from openpiu.identity import person_key
from openpiu.model import Flight, Leg, ListAction, Manifest, Traveller
from openpiu.store.bulk import insert_rows
from openpiu.store.db import is_postgres, to_db
from openpiu.store.schema import (
    api_documents,
    api_travellers,
    flight_travellers,
    flights,
    legs,
    manifest_versions,
    persons,
)

LISTED, REMOVED, CANCELLED = "listed", "removed", "cancelled"
_CURRENT_COLUMNS = (
    "flight_id",
    "person_id",
    "role",
    "status",
    "message_id",
    "seq",
    "since_version_id",
)


def lock(conn: Connection, name: str) -> None:
    """Serialise writers of one flight (or one multi-part group) on PostgreSQL.

    Two workers storing messages of the same flight at once would each replay
    the versions without seeing the other's; a transaction-level advisory lock
    makes the second wait for the first to commit.  SQLite has a single writer."""
    if is_postgres(conn):
        key = zlib.crc32(name.encode("utf-8")) - 2**31
        conn.execute(text("SELECT pg_advisory_xact_lock(7131, :k)"), {"k": key})


# Statements of the per-message path, built once: building and caching a statement
# costs several times more than running it, at thousands of travellers a second.
_FLIGHT_ID = select(flights.c.id).where(
    flights.c.carrier == bindparam("carrier"),
    flights.c.number == bindparam("number"),
    flights.c.flight_date == bindparam("flight_date"),
)
_PERSONS = select(persons.c.key, persons.c.id).where(
    persons.c.key.in_(bindparam("keys", expanding=True))
)
_VERSIONS_OF_MESSAGE = select(manifest_versions.c.id, manifest_versions.c.flight_id).where(
    manifest_versions.c.message_id == bindparam("message_id")
)
_INSERT_VERSION = insert(manifest_versions)
_FLIGHT_VERSIONS = select(manifest_versions).where(
    manifest_versions.c.flight_id == bindparam("flight_id")
)
_FLIGHT_TRAVELLERS = (
    select(
        api_travellers.c.version_id,
        api_travellers.c.person_id,
        api_travellers.c.role,
        api_travellers.c.message_id,
        api_travellers.c.seq,
    )
    .where(api_travellers.c.flight_id == bindparam("flight_id"))
    .order_by(api_travellers.c.seq)
)
_CLEAR_CURRENT = delete(flight_travellers).where(
    flight_travellers.c.flight_id == bindparam("flight_id")
)
_CLEAR_LEGS = delete(legs).where(legs.c.flight_id == bindparam("flight_id"))
_INSERT_LEGS = insert(legs)
_UPDATE_FLIGHT = update(flights).where(flights.c.id == bindparam("flight_id"))


def flight_id_for(conn: Connection, flight: Flight, now: datetime) -> int:
    """The id of the flight (carrier, number, date), created on first sight."""
    key = {"carrier": flight.carrier, "number": flight.number, "flight_date": flight.flight_date}
    found = conn.scalar(_FLIGHT_ID, key)
    if found is not None:
        return int(found)
    values = dict(
        key,
        designator=flight.designator,
        origin=flight.origin,
        destination=flight.destination,
        status="open",
        updated_at=now,
    )
    stmt = insert_ignore(conn, flights, ["carrier", "number", "flight_date"]).values(**values)
    conn.execute(stmt)
    return int(conn.scalar(_FLIGHT_ID, key))


def person_ids(conn: Connection, keys: Sequence[tuple[str, str]], now: datetime) -> list[int]:
    """Ids of the persons with these (hashed key, kind), created where new."""
    wanted = {key: kind for key, kind in keys}
    known: dict[str, int] = {}
    for chunk in _chunks(list(wanted), 500):
        known.update({k: int(i) for k, i in conn.execute(_PERSONS, {"keys": chunk})})
    missing = [k for k in wanted if k not in known]
    if missing:
        rows = [(k, wanted[k], to_db(now)) for k in missing]
        insert_rows(conn, persons, ("key", "key_kind", "created_at"), rows, skip_existing=True)
        for chunk in _chunks(missing, 500):
            known.update({k: int(i) for k, i in conn.execute(_PERSONS, {"keys": chunk})})
    return [known[key] for key, _kind in keys]


def forget_message(conn: Connection, message_id: int) -> set[int]:
    """Remove what an earlier attempt at this message stored; returns the flights
    it touched (so they can be derived again).  Makes processing idempotent."""
    rows = conn.execute(_VERSIONS_OF_MESSAGE, {"message_id": message_id}).all()
    touched = {int(flight_id) for _, flight_id in rows}
    if not touched:
        return touched
    conn.execute(delete(flight_travellers).where(flight_travellers.c.flight_id.in_(touched)))
    conn.execute(delete(api_documents).where(api_documents.c.message_id == message_id))
    # Travellers are keyed by the message that carried them (the first part's, for
    # an assembled multi-part message), like their versions.
    conn.execute(delete(api_travellers).where(api_travellers.c.message_id == message_id))
    conn.execute(delete(manifest_versions).where(manifest_versions.c.message_id == message_id))
    return touched


def store_manifest(
    conn: Connection,
    message_id: int,
    ordinal: int,
    manifest: Manifest,
    first_seq: int,
    now: datetime,
    parts: int = 1,
) -> tuple[int, int]:
    """Store one manifest as a version of its flight; returns (flight id, next seq).

    ``first_seq`` numbers travellers across the whole vault message, since one
    file may carry several manifests."""
    flight = manifest.flight
    assert flight is not None, "a manifest without a flight is quarantined, not stored"
    flight_id = flight_id_for(conn, flight, now)
    env = manifest.envelope
    version_id = int(
        conn.execute(
            _INSERT_VERSION,
            {
                "message_id": message_id,
                "ordinal": ordinal,
                "flight_id": flight_id,
                "document_code": manifest.document_code,
                "document_subcode": manifest.document_subcode,
                "action": str(manifest.action),
                "list_role": str(manifest.list_role),
                "sent_at": env.prepared_at,
                "interchange_ref": env.interchange_ref,
                "transaction_ref": manifest.transaction_ref,
                "parts": parts,
                "declared_passengers": manifest.declared_passengers,
                "declared_crew": manifest.declared_crew,
                "travellers": len(manifest.travellers),
                "flight_data": json.dumps(_flight_json(flight)),
                "warnings": json.dumps(manifest.warnings),
                "stored_at": now,
            },
        ).inserted_primary_key[0]
    )  # type: ignore[index]
    travellers = manifest.travellers
    if not travellers:
        return flight_id, first_seq
    ids = person_ids(conn, [person_key(t) for t in travellers], now)
    rows, documents = [], []
    for offset, (traveller, person_id) in enumerate(zip(travellers, ids, strict=True)):
        seq = first_seq + offset
        rows.append(_traveller_row(traveller, message_id, seq, version_id, flight_id, person_id))
        for doc_seq, doc in enumerate(traveller.documents, 1):
            documents.append(
                (
                    message_id,
                    seq,
                    doc_seq,
                    doc.doc_type[:4],
                    doc.number[:64],
                    doc.issuing_country,
                    doc.expiry,
                    doc.issue_date,
                )
            )
    insert_rows(conn, api_travellers, TRAVELLER_COLUMNS, rows)
    insert_rows(conn, api_documents, DOCUMENT_COLUMNS, documents)
    return flight_id, first_seq + len(travellers)


def derive_manifest(conn: Connection, flight_id: int, now: datetime) -> None:
    """Replay the flight's versions in the sender's order into the current manifest."""
    versions = conn.execute(_FLIGHT_VERSIONS, {"flight_id": flight_id}).mappings().all()
    ordered = sorted(versions, key=sender_order)
    by_version: dict[int, list[Any]] = defaultdict(list)
    for row in conn.execute(_FLIGHT_TRAVELLERS, {"flight_id": flight_id}):
        by_version[row.version_id].append(row)
    state: dict[int, dict[str, Any]] = {}
    status = "open"
    for version in ordered:
        rows = by_version.get(version["id"], [])
        action = ListAction(version["action"])
        if action is ListAction.CANCEL_FLIGHT:
            status = "cancelled"
        elif action is ListAction.CLOSE:
            status = "closed"
        replaces = action is ListAction.FULL or (
            action is ListAction.CLOSE and version["document_subcode"] == "CLOB" and rows
        )
        if replaces:
            present = {r.person_id for r in rows}
            for person_id, entry in state.items():
                if (
                    entry["role"] == version["list_role"]
                    and person_id not in present
                    and entry["status"] == LISTED
                ):
                    entry.update(status=REMOVED, since_version_id=version["id"])
        new_status = CANCELLED if action is ListAction.CANCEL else LISTED
        for r in rows:
            state[r.person_id] = {
                "flight_id": flight_id,
                "person_id": r.person_id,
                "role": r.role,
                "status": new_status,
                "message_id": r.message_id,
                "seq": r.seq,
                "since_version_id": version["id"],
            }
    conn.execute(_CLEAR_CURRENT, {"flight_id": flight_id})
    insert_rows(
        conn,
        flight_travellers,
        _CURRENT_COLUMNS,
        [tuple(entry[c] for c in _CURRENT_COLUMNS) for entry in state.values()],
    )
    _refresh_flight(conn, flight_id, ordered, status, now)


def _refresh_flight(
    conn: Connection, flight_id: int, ordered: Sequence[Any], status: str, now: datetime
) -> None:
    """The flight row and its legs show the latest version that described the flight."""
    described = [v for v in ordered if v["flight_data"]]
    values: dict[str, Any] = {"status": status, "updated_at": now}
    conn.execute(_CLEAR_LEGS, {"flight_id": flight_id})
    if described:
        data = json.loads(described[-1]["flight_data"])
        leg_rows = [
            dict(_leg_from_json(leg), flight_id=flight_id, seq=n)
            for n, leg in enumerate(data["legs"], 1)
        ]
        if leg_rows:
            conn.execute(_INSERT_LEGS, leg_rows)
            first, last = leg_rows[0], leg_rows[-1]
            values.update(
                designator=data["designator"],
                origin=first["departure_airport"],
                destination=last["arrival_airport"],
                departure_local=first["departure_local"],
                departure_utc=first["departure_utc"],
                arrival_local=last["arrival_local"],
                arrival_utc=last["arrival_utc"],
            )
    conn.execute(_UPDATE_FLIGHT, {**values, "flight_id": flight_id})


def sender_order(version: Any) -> tuple[Any, ...]:
    """Versions (of a manifest or a booking) in the order the sender made them: UNB
    time, then the interchange control reference (numeric where it is), then
    arrival as the last resort.  ``version`` is a row with ``sent_at``,
    ``interchange_ref``, ``message_id`` and ``ordinal``."""
    sent = version["sent_at"] or datetime.min
    ref = version["interchange_ref"] or ""
    ref_key = (0, int(ref), "") if ref.isascii() and ref.isdigit() else (1, 0, ref)
    return (sent, ref_key, version["message_id"], version["ordinal"])


TRAVELLER_COLUMNS = (
    "message_id",
    "seq",
    "version_id",
    "flight_id",
    "person_id",
    "role",
    "in_transit",
    "surname",
    "given_names",
    "gender",
    "dob",
    "nationality",
    "residence_country",
    "place_of_birth",
    "birth_country",
    "address",
    "contacts",
    "embarkation",
    "debarkation",
    "clearance",
    "seat",
    "record_locator",
    "passenger_ref",
    "government_ref",
    "frequent_flyer",
    "ticket",
    "bag_count",
    "bag_weight",
    "bag_weight_unit",
    "bag_tags",
    "verified",
    "crew_role",
)
DOCUMENT_COLUMNS = (
    "message_id",
    "traveller_seq",
    "seq",
    "doc_type",
    "number",
    "issuing_country",
    "expiry",
    "issue_date",
)


def _traveller_row(
    t: Traveller, message_id: int, seq: int, version_id: int, flight_id: int, person_id: int
) -> tuple[Any, ...]:
    """One api_travellers row, in TRAVELLER_COLUMNS order."""
    address = t.address
    return (
        message_id,
        seq,
        version_id,
        flight_id,
        person_id,
        t.role.value,
        t.in_transit,
        t.surname[:128],
        t.given_names[:128],
        t.gender,
        t.dob,
        t.nationality,
        t.residence_country,
        _cut(t.place_of_birth, 128),
        t.birth_country,
        json.dumps(
            {
                "street": address.street,
                "city": address.city,
                "subdivision": address.subdivision,
                "postcode": address.postcode,
                "country": address.country,
            }
        )
        if address
        else None,
        json.dumps([[c.kind, c.value] for c in t.contacts]) if t.contacts else None,
        _cut(t.embarkation, 5),
        _cut(t.debarkation, 5),
        _cut(t.clearance, 5),
        _cut(t.seat, 8),
        _cut(t.record_locator, 16),
        _cut(t.passenger_ref, 64),
        _cut(t.government_ref, 64),
        _cut(t.frequent_flyer, 64),
        _cut(t.ticket, 32),
        t.bag_count,
        t.bag_weight,
        _cut(t.bag_weight_unit, 3),
        json.dumps(t.bag_tags) if t.bag_tags else None,
        t.verified,
        _cut(t.crew_role, 8),
    )


def _cut(value: str | None, size: int) -> str | None:
    """Column sizes are generous; a value longer than that is carrier noise."""
    return value[:size] if value else value


def _flight_json(flight: Flight) -> dict[str, Any]:
    def stamp(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "designator": flight.designator,
        "legs": [
            {
                "departure_airport": leg.departure_airport,
                "arrival_airport": leg.arrival_airport,
                "departure_local": stamp(leg.departure_local),
                "departure_utc": stamp(leg.departure_utc),
                "arrival_local": stamp(leg.arrival_local),
                "arrival_utc": stamp(leg.arrival_utc),
            }
            for leg in flight.legs
        ],
    }


def _leg_from_json(data: dict[str, Any]) -> dict[str, Any]:
    def when(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return {
        "departure_airport": data["departure_airport"],
        "arrival_airport": data["arrival_airport"],
        "departure_local": when(data["departure_local"]),
        "departure_utc": when(data["departure_utc"]),
        "arrival_local": when(data["arrival_local"]),
        "arrival_utc": when(data["arrival_utc"]),
    }


def legs_of(data: str | None) -> list[Leg]:
    """The legs a version described (for history views)."""
    if not data:
        return []
    return [Leg(**_leg_from_json(leg)) for leg in json.loads(data)["legs"]]


def insert_ignore(conn: Connection, table: Any, index_elements: list[str]) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING in the connection's dialect."""
    if is_postgres(conn):
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing(index_elements=index_elements)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing(index_elements=index_elements)


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
