"""What the criteria read from the store: flights, booked and API travellers,
seat history and the persons' earlier trips.

Each function answers for a set of flights in a few queries (never one per
traveller), and returns the plain records of :mod:`openpiu.criteria_facts`,
which turns them into TravelFacts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Select, and_, select

from openpiu.criteria import PastTrip
from openpiu.criteria_facts import ApiPerson, BookedPerson, FlightInfo
from openpiu.reference import airport_country
from openpiu.store.manifests import sender_order
from openpiu.store.schema import (
    api_documents,
    api_travellers,
    booking_flights,
    booking_versions,
    flight_travellers,
    flights,
    person_links,
    pnr_pushes,
    pnr_travellers,
)

_FLIGHT_COLUMNS = (flights.c.id, flights.c.carrier, flights.c.number, flights.c.flight_date,
                   flights.c.origin, flights.c.destination, flights.c.departure_local,
                   flights.c.arrival_local)  # fmt: skip


def flight_infos(conn: Connection, flight_ids: Iterable[int]) -> dict[int, FlightInfo]:
    ids = sorted(set(flight_ids))
    rows = conn.execute(select(*_FLIGHT_COLUMNS).where(flights.c.id.in_(ids)))
    return {int(r[0]): FlightInfo(*r) for r in rows}


def flight_infos_since(conn: Connection, since: date) -> dict[int, FlightInfo]:
    rows = conn.execute(select(*_FLIGHT_COLUMNS).where(flights.c.flight_date >= since))
    return {int(r[0]): FlightInfo(*r) for r in rows}


def _booked_query() -> Select[Any]:
    p, bf, bv, link = pnr_travellers, booking_flights, booking_versions, person_links
    return (
        select(p.c.flight_id, p.c.person_id, link.c.api_person_id, p.c.booking_id, p.c.seq,
               p.c.gender, p.c.dob, p.c.nationality, bv.c.data)
        .join(bf, and_(bf.c.version_id == p.c.version_id, bf.c.flight_id == p.c.flight_id))
        .join(bv, bv.c.id == p.c.version_id)
        .outerjoin(link, and_(link.c.flight_id == p.c.flight_id,
                              link.c.pnr_person_id == p.c.person_id))
        .where(bf.c.status == "on_flight")
    )  # fmt: skip


def _booked(row: Any, keep: TextTest | None) -> BookedPerson:
    flight_id, person_id, api_id, booking_id, seq, gender, dob, nationality, text = row
    if isinstance(dob, str):  # the SQLite driver hands dates back as text
        dob = date.fromisoformat(dob)
    # A booking whose stored text cannot satisfy the caller's test is not parsed
    # (parsing is most of the cost of a backtest): it keeps ``data`` None.
    data = json.loads(text) if keep is None or keep(text, flight_id) else None
    return BookedPerson(flight_id, person_id, api_id, booking_id, seq, gender, dob, nationality,
                        data)  # fmt: skip


class CachedBooking:
    """What the flow keeps of one stored booking text across messages: whether it
    holds a check-in record, and the facts already built from it (keyed by every
    other input of :func:`~openpiu.criteria_facts.booked_facts`)."""

    __slots__ = ("checkins", "facts")

    def __init__(self, data: dict[str, Any]) -> None:
        self.checkins = has_checkins(data)
        self.facts: dict[tuple[Any, ...], Any] = {}


class BookingCache:
    """Stored booking texts already read, keyed by the text itself (exact: the same
    text is the same booking data, whatever its row).

    A flight's bookings are read at every message on it (three PNR pushes and the
    API lists), and most of them have not changed since the last message: their
    facts are built once, not at every message.  Bounded: past ``limit`` texts the
    older half is dropped (they are read and parsed again if they come back)."""

    def __init__(self, limit: int = 8192) -> None:
        self.limit = max(2, limit)
        self._items: dict[str, CachedBooking] = {}

    def __len__(self) -> int:
        return len(self._items)

    def entry(self, text: str, parsed: dict[str, dict[str, Any]]) -> CachedBooking:
        """The text's entry; on first sight the text is parsed (into ``parsed``, the
        caller's texts parsed for this message)."""
        found = self._items.get(text)
        if found is None:
            if len(self._items) >= self.limit:
                for old in list(islice(self._items, self.limit // 2)):
                    del self._items[old]
            found = self._items[text] = CachedBooking(parse_once(text, parsed))
        return found


def parse_once(text: str, parsed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The booking text parsed, once per ``parsed`` (the travellers of one booking
    share their version's text)."""
    found = parsed.get(text)
    if found is None:
        found = parsed[text] = json.loads(text)
    return found


# (booking text, flight id) -> whether the booking could matter; see criteria_backtest.
TextTest = Callable[[str, int], bool]


def booked_people(
    conn: Connection,
    flight_ids: Iterable[int],
    keep: TextTest | None = None,
    cache: BookingCache | None = None,
    parsed: dict[str, dict[str, Any]] | None = None,
) -> list[BookedPerson]:
    """Every booking's traveller on these flights now, with the latest booking.

    With a ``cache`` (the flow's) and ``parsed`` (the texts parsed for this
    message), a booking text seen before is not parsed again: the traveller comes
    with ``text`` and its ``cached`` entry and ``data`` None (the caller parses the
    text, with :func:`parse_once`, when it needs facts the entry does not hold)."""
    ids = sorted({int(f) for f in flight_ids})
    if not ids:
        return []
    # Straight from the driver: a backtest reads a million of these rows, and
    # SQLAlchemy's row processing was a fifth of its time.  (The query's only
    # parameters are the flight ids, integers from the store, rendered inline;
    # the rest is compiled once, not at every message.)
    base = _BOOKED_SQL.get(conn.dialect.name)
    if base is None:
        base = _BOOKED_SQL[conn.dialect.name] = str(_booked_query().compile(
            dialect=conn.dialect, compile_kwargs={"literal_binds": True}))  # fmt: skip
    sql = f"{base} AND pnr_travellers.flight_id IN ({', '.join(map(str, ids))})"
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        found = cursor.fetchall()
    finally:
        cursor.close()
    if cache is None or parsed is None or keep is not None:
        return [_booked(r, keep) for r in found]
    out = []
    for row in found:
        person = _booked(row, _UNREAD)
        person.text = row[-1]
        person.cached = cache.entry(row[-1], parsed)
        out.append(person)
    return out


def _unread(_text: str, _flight_id: int) -> bool:
    return False


_UNREAD: TextTest = _unread
_BOOKED_SQL: dict[str, str] = {}  # dialect -> the booked query without its flights


def api_people(conn: Connection, flight_ids: Iterable[int] | None = None,
               since: date | None = None) -> dict[tuple[int, int], ApiPerson]:  # fmt: skip
    """(flight, person) -> the passenger on the flight's current API list, for these
    flights or those dated ``since`` or later."""
    t, ft, d = api_travellers, flight_travellers, api_documents
    query = (
        select(t.c.flight_id, t.c.person_id, t.c.gender, t.c.dob, t.c.nationality,
               t.c.bag_count, t.c.bag_weight, t.c.bag_weight_unit, d.c.doc_type,
               d.c.issue_date, d.c.expiry)
        .join(ft, and_(ft.c.message_id == t.c.message_id, ft.c.seq == t.c.seq))
        .outerjoin(d, and_(d.c.message_id == t.c.message_id, d.c.traveller_seq == t.c.seq))
        .where(ft.c.status == "listed", t.c.role == "passenger")
        .order_by(t.c.flight_id, t.c.person_id, d.c.seq)
    )  # fmt: skip
    wanted: set[int] | None = None
    if since is not None:
        recent = select(flights.c.id).where(flights.c.flight_date >= since).scalar_subquery()
        query = query.where(t.c.flight_id.in_(recent))
    else:
        # A current-list row points at an API row of its own flight: the flights
        # are picked on flight_travellers, by its key (picked on api_travellers,
        # SQLite scanned flight_travellers: 5 ms a flight), and the API row's own
        # flight is checked below, so the answer is the same either way.
        wanted = {int(f) for f in flight_ids or ()}
        query = query.where(ft.c.flight_id.in_(sorted(wanted)))
    out: dict[tuple[int, int], ApiPerson] = {}
    for r in conn.execute(query):
        key = (int(r[0]), int(r[1]))
        if wanted is not None and key[0] not in wanted:
            continue
        person = out.get(key)
        if person is None:
            person = out[key] = ApiPerson(key[1], r[2], r[3], r[4], r[5], r[6], r[7])
        if r[8]:
            person.documents.append((r[8], r[9], r[10]))
    return out


def seat_histories(
    conn: Connection, flight_ids: Iterable[int]
) -> dict[tuple[int, int, int], list[str | None]]:
    """(flight, booking, person) -> the person's seat in each stored version of the
    booking on that flight, in the sender's order."""
    from openpiu.criteria_facts import seat_of

    ids = sorted(set(flight_ids))
    bv, push, p = booking_versions, pnr_pushes, pnr_travellers
    rows = conn.execute(
        select(bv.c.flight_id, bv.c.booking_id, bv.c.data, p.c.seq, p.c.person_id,
               push.c.sent_at, push.c.interchange_ref, push.c.message_id, push.c.ordinal)
        .join(push, push.c.id == bv.c.push_id)
        .join(p, p.c.version_id == bv.c.id)
        .where(bv.c.flight_id.in_(ids))
    ).mappings().all()  # fmt: skip
    out: dict[tuple[int, int, int], list[str | None]] = defaultdict(list)
    parsed: dict[int, dict[str, Any]] = {}
    for r in sorted(rows, key=sender_order):
        data = parsed.setdefault(id(r["data"]), json.loads(r["data"]))
        key = (int(r["flight_id"]), int(r["booking_id"]), int(r["person_id"]))
        out[key].append(seat_of(data, int(r["seq"])))
    return dict(out)


def checkin_over(people: Iterable[BookedPerson],
                 api: dict[tuple[int, int], ApiPerson]) -> set[int]:  # fmt: skip
    """Flights whose check-in has ended, as far as the data shows: a check-in
    record in a booking, or an API passenger list."""
    over = {flight_id for flight_id, _person in api}
    for person in people:
        if person.flight_id in over:
            continue
        if person.cached is not None:
            if person.cached.checkins:
                over.add(person.flight_id)
        elif person.data is not None and has_checkins(person.data):
            over.add(person.flight_id)
    return over


def has_checkins(data: dict[str, Any]) -> bool:
    """Whether a booking holds a check-in record for any of its travellers."""
    return any(t.get("checkins") for t in data.get("travellers") or ())


def past_trips(
    conn: Connection, person_ids: Iterable[int], before: date, since: date
) -> dict[int, list[tuple[int, PastTrip]]]:
    """person -> (flight id, trip) of each flight dated in [since, before] the
    person was on (booked on it, or on its API list).  The caller drops the
    screened flight itself."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    f = flights
    booked = (
        select(pnr_travellers.c.person_id, f.c.id, f.c.flight_date, f.c.origin, f.c.destination)
        .join(booking_flights, and_(booking_flights.c.version_id == pnr_travellers.c.version_id,
                                    booking_flights.c.flight_id == pnr_travellers.c.flight_id))
        .join(f, f.c.id == pnr_travellers.c.flight_id)
        .where(booking_flights.c.status == "on_flight", pnr_travellers.c.person_id.in_(ids),
               f.c.flight_date >= since, f.c.flight_date <= before)
    )  # fmt: skip
    listed = (
        select(flight_travellers.c.person_id, f.c.id, f.c.flight_date, f.c.origin,
               f.c.destination)
        .join(f, f.c.id == flight_travellers.c.flight_id)
        .where(flight_travellers.c.status == "listed", flight_travellers.c.person_id.in_(ids),
               f.c.flight_date >= since, f.c.flight_date <= before)
    )  # fmt: skip
    seen: set[tuple[int, int]] = set()
    out: dict[int, list[tuple[int, PastTrip]]] = defaultdict(list)
    for query in (booked, listed):
        for person_id, flight_id, day, origin, destination in conn.execute(query):
            if (person_id, flight_id) in seen:
                continue
            seen.add((person_id, flight_id))
            out[int(person_id)].append((int(flight_id), PastTrip(
                day, origin or "", destination or "", airport_country(origin or ""),
                airport_country(destination or ""))))  # fmt: skip
    return dict(out)
