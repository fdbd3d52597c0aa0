"""One person across PNR and API: a booking's travellers linked to the flight's
API travellers.

Rules, strongest first, as the carrier data allows:

1. ``locator``: the API traveller's PNR locator (RFF AVF) is one of the booking's
   RCI locators, and the names agree (or the booking holds one traveller);
2. ``document``: same document number and issuing country;
3. ``name_dob``: same normalised surname and given names, same date of birth.

Names are compared through :func:`openpiu.identity.normalise_name` (case,
diacritics, apostrophes, spaces; titles are already off the PNR given names).
A link between two different person records is recorded once in
``person_events`` (kind ``linked``): merges are never silent.  Unlinked
travellers on either side stay visible in the flight's views.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select

from openpiu.identity import normalise_document_number, normalise_name
from openpiu.store.bulk import insert_rows
from openpiu.store.schema import (
    api_documents,
    api_travellers,
    booking_flights,
    booking_locators,
    flight_travellers,
    person_events,
    person_links,
    pnr_travellers,
)

_LINK_COLUMNS = ("flight_id", "pnr_person_id", "api_person_id", "rule")


def link_flight(conn: Connection, flight_id: int, now: datetime) -> dict[str, int]:
    """Derive the links of one flight again; returns counts by rule (and unlinked)."""
    pnr = _pnr_travellers(conn, flight_id)
    if not pnr:  # no bookings on the flight (yet): nothing to link, nothing to read
        conn.execute(delete(person_links).where(person_links.c.flight_id == flight_id))
        return {}
    api = _api_travellers(conn, flight_id)
    by_locator: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_document: dict[tuple[str, str | None], dict[str, Any]] = {}
    by_name_dob: dict[tuple[str, str, Any], dict[str, Any]] = {}
    for a in api:
        if a["record_locator"]:
            by_locator[a["record_locator"].upper()].append(a)
        for number, country in a["documents"]:
            by_document[(number, country)] = a
        by_name_dob[(a["surname_key"], a["given_key"], a["dob"])] = a
    links: dict[int, tuple[int, str]] = {}
    counts: dict[str, int] = defaultdict(int)
    for p in pnr:
        found = _by_locator(p, by_locator)
        rule = "locator"
        if found is None and p["doc"] is not None:
            found, rule = by_document.get(p["doc"]), "document"
        if found is None and p["dob"] is not None:
            found, rule = by_name_dob.get((p["surname_key"], p["given_key"], p["dob"])), "name_dob"
        if found is None:
            counts["unlinked"] += 1
            continue
        links[p["person_id"]] = (found["person_id"], rule)
        counts[rule] += 1
    conn.execute(delete(person_links).where(person_links.c.flight_id == flight_id))
    insert_rows(
        conn,
        person_links,
        _LINK_COLUMNS,
        [(flight_id, pnr_id, api_id, rule) for pnr_id, (api_id, rule) in links.items()],
    )
    _record_merges(conn, links, now)
    return dict(counts)


def _by_locator(
    p: dict[str, Any], by_locator: dict[str, list[dict[str, Any]]]
) -> dict[str, Any] | None:
    candidates = [a for loc in p["locators"] for a in by_locator.get(loc, [])]
    if not candidates:
        return None
    named = [
        a
        for a in candidates
        if a["surname_key"] == p["surname_key"]
        and (a["given_key"] == p["given_key"] or not p["given_key"] or not a["given_key"])
    ]
    if len(named) == 1:
        return named[0]
    if len(candidates) == 1 and p["booking_size"] == 1:
        return candidates[0]
    return None


def _api_travellers(conn: Connection, flight_id: int) -> list[dict[str, Any]]:
    t, ft = api_travellers, flight_travellers
    rows = (
        conn.execute(
            select(
                t.c.message_id,
                t.c.seq,
                t.c.person_id,
                t.c.surname,
                t.c.given_names,
                t.c.dob,
                t.c.record_locator,
            )
            .join(ft, and_(ft.c.message_id == t.c.message_id, ft.c.seq == t.c.seq))
            .where(ft.c.flight_id == flight_id, ft.c.status == "listed")
        )
        .mappings()
        .all()
    )
    docs: dict[tuple[int, int], list[tuple[str, str | None]]] = defaultdict(list)
    message_ids = {r["message_id"] for r in rows}
    if message_ids:
        for d in conn.execute(
            select(
                api_documents.c.message_id,
                api_documents.c.traveller_seq,
                api_documents.c.doc_type,
                api_documents.c.number,
                api_documents.c.issuing_country,
            ).where(api_documents.c.message_id.in_(message_ids))
        ):
            if d.doc_type.upper() != "V":
                docs[(d.message_id, d.traveller_seq)].append(
                    (normalise_document_number(d.number), d.issuing_country)
                )
    return [
        dict(r)
        | {
            "surname_key": normalise_name(r["surname"]),
            "given_key": normalise_name(r["given_names"]),
            "documents": docs.get((r["message_id"], r["seq"]), []),
        }
        for r in rows
    ]


def _pnr_travellers(conn: Connection, flight_id: int) -> list[dict[str, Any]]:
    """Travellers of the latest version of each booking on the flight."""
    bf = booking_flights
    rows = (
        conn.execute(
            select(
                pnr_travellers.c.booking_id,
                pnr_travellers.c.person_id,
                pnr_travellers.c.surname,
                pnr_travellers.c.given_names,
                pnr_travellers.c.dob,
                pnr_travellers.c.doc_number,
                pnr_travellers.c.doc_country,
            )
            .join(
                bf,
                and_(bf.c.version_id == pnr_travellers.c.version_id, bf.c.flight_id == flight_id),
            )
            .where(bf.c.status == "on_flight")
        )
        .mappings()
        .all()
    )
    booking_ids = {r["booking_id"] for r in rows}
    locators: dict[int, set[str]] = defaultdict(set)
    if booking_ids:
        for booking_id, locator in conn.execute(
            select(booking_locators.c.booking_id, booking_locators.c.locator).where(
                booking_locators.c.booking_id.in_(booking_ids)
            )
        ):
            locators[booking_id].add(locator.upper())
    sizes: dict[int, int] = defaultdict(int)
    for r in rows:
        sizes[r["booking_id"]] += 1
    return [
        dict(r)
        | {
            "surname_key": normalise_name(r["surname"]),
            "given_key": normalise_name(r["given_names"]),
            "doc": (normalise_document_number(r["doc_number"]), r["doc_country"])
            if r["doc_number"]
            else None,
            "locators": locators[r["booking_id"]],
            "booking_size": sizes[r["booking_id"]],
        }
        for r in rows
    ]


def _record_merges(conn: Connection, links: dict[int, tuple[int, str]], now: datetime) -> None:
    """A PNR person linked to another API person: say so once, never merge silently."""
    pairs = [(pnr_id, api_id, rule) for pnr_id, (api_id, rule) in links.items() if pnr_id != api_id]
    if not pairs:
        return
    known = {
        (r.person_id, r.other_person_id)
        for r in conn.execute(
            select(person_events.c.person_id, person_events.c.other_person_id).where(
                person_events.c.kind == "linked",
                person_events.c.person_id.in_([p for p, _, _ in pairs]),
            )
        )
    }
    new = [
        {
            "person_id": pnr_id,
            "kind": "linked",
            "other_person_id": api_id,
            "at": now,
            "detail": f"PNR traveller linked to API traveller by rule {rule}",
        }
        for pnr_id, api_id, rule in pairs
        if (pnr_id, api_id) not in known
    ]
    if new:
        conn.execute(insert(person_events), new)
