"""Criteria in the flow: after every stored PNR push and API message, the active
criteria are evaluated for the flight's travellers; a hit raises or updates the
one alert of (flight, person, criterion).

The adapter between the store and the pure core, shaped like
:mod:`openpiu.screening_service`: it keeps the active criteria compiled in memory
(:class:`~openpiu.criteria.CriteriaSet`) and compiles them again when the set of
active versions changes (one cheap query per message), so many workers follow
approvals and retirements without a restart.  A version past its review date is
left out from that date on.  The explanation (which test held on which value) is
built for hits only, by :func:`~openpiu.criteria.evaluate`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from openpiu.criteria import (
    Check,
    CompiledCriterion,
    CriteriaSet,
    Criterion,
    PastTrip,
    TravelFacts,
    compile_criterion,
    evaluate,
    facts_read,
    load_criterion,
)
from openpiu.criteria.conditions import TripCount
from openpiu.criteria.guardrails import walk
from openpiu.criteria_facts import ApiPerson, BookedPerson, FlightInfo, api_facts, booked_facts
from openpiu.store import alerts as alert_store
from openpiu.store import criteria as criteria_store
from openpiu.store import criteria_rows as rows
from openpiu.store.criteria import VersionRow
from openpiu.store.criteria_rows import TextTest
from openpiu.store.schema import alerts

log = logging.getLogger(__name__)

# Facts that need more than the booking's latest version to build.
SEAT_FACTS = frozenset({"seat_changes"})
CHECKIN_FACTS = frozenset({"check_in_status", "no_show", "bag_count", "bag_weight_kg"})


@dataclass(slots=True)
class Screened:
    """One traveller on one flight, ready for the criteria."""

    flight_id: int
    person_id: int  # the alert's person: the API person when linked, else the booking's
    pnr_person_id: int | None  # the booking's person, when there is a booking
    facts: TravelFacts | None  # None: the caller's text test ruled the booking out
    # As the documents give them (API first), for oversight's spread of hits only.
    gender: str | None = None
    dob: date | None = None
    nationality: str | None = None


def load_versions(versions: Iterable[VersionRow]) -> list[CompiledCriterion]:
    """Stored versions compiled; one that no longer validates (the rules of the
    language tightened since it was approved) is skipped and logged, never fired."""
    out = []
    for row in versions:
        try:
            criterion = load_criterion(row.yaml, source=row.ref)
        except Exception as exc:  # CriterionError, or YAML a newer reader refuses
            log.error("criterion %s no longer validates, not applied: %s", row.ref, exc)
            continue
        out.append(compile_criterion(criterion, ref=row))
    return out


def history_days(criteria: Iterable[Criterion]) -> int:
    """The longest look-back of any ``trips`` test (0: none reads history)."""
    longest = 0
    for criterion in criteria:
        for node, _path, _neg in walk(criterion.when):
            if isinstance(node, TripCount):
                longest = max(longest, node.trips.within_days)
    return longest


def checks_json(checks: Iterable[Check]) -> list[dict[str, Any]]:
    """The explanation as the alert keeps it: per test, where it sits, the test in
    words, the traveller's value and whether it held."""
    return [
        {"name": c.path, "fact": c.fact, "condition": c.condition, "value": c.value,
         "held": c.held, "negated": c.negated, "detail": str(c)}
        for c in checks
    ]  # fmt: skip


class CriteriaService:
    """``cache``: keep what was built from stored bookings and API passengers across
    messages (see :class:`FactsCache`); False builds every traveller's facts anew at
    every message, as the tests compare."""

    def __init__(self, cache: bool = True) -> None:
        self._ids: tuple[int, ...] = ()
        self._compiled: list[CompiledCriterion] = []
        self._sets: dict[date, CriteriaSet] = {}
        self._reads: dict[int, tuple[frozenset[str], int]] = {}  # id(set) -> needs, history
        self.cache = FactsCache() if cache else None

    def active(self, conn: Connection, today: date) -> CriteriaSet:
        """The criteria in force today: active, and not past their review date."""
        ids = criteria_store.active_ids(conn)
        if ids != self._ids:
            self._compiled = load_versions(criteria_store.active_versions(conn)) if ids else []
            self._ids, self._sets, self._reads = ids, {}, {}
        found = self._sets.get(today)
        if found is None:
            found = self._sets[today] = CriteriaSet(
                [c for c in self._compiled if not c.ref.overdue(today)]
            )
            criteria = [c.criterion for c in found.criteria]
            self._reads[id(found)] = (facts_read(criteria), history_days(criteria))
        return found

    def screen_flights(
        self, conn: Connection, flight_ids: Iterable[int], message_id: int | None, now: datetime
    ) -> Counter[str]:
        """Evaluate the criteria in force for everyone now on these flights."""
        active = self.active(conn, now.date())
        if not len(active):
            return Counter()
        ids = set(flight_ids)
        needs, history = self._reads[id(active)]
        found = screened_travellers(
            conn, ids, needs, history, active.needs_history, cache=self.cache
        )
        # Read at the first hit (before anything is recorded): most messages hit none.
        earlier: set[tuple[int, int, str]] | None = None
        outcomes: Counter[str] = Counter()
        done: set[tuple[int, int, str]] = set()
        for item in found:
            if item.facts is None:
                continue
            for hit in active.hits(item.facts):
                if earlier is None:
                    earlier = _criteria_alert_keys(conn, ids)
                row: VersionRow = hit.ref
                person = item.person_id
                # A booking's traveller alerted before the API data linked him keeps
                # that alert: one human, one alert per criterion.
                if item.pnr_person_id and (item.flight_id, item.pnr_person_id, row.key) in earlier:
                    person = item.pnr_person_id
                if (item.flight_id, person, row.key) in done:
                    continue
                done.add((item.flight_id, person, row.key))
                outcomes[record(conn, item.flight_id, person, row, hit, item.facts,
                                message_id, now)] += 1  # fmt: skip
        return outcomes


def record(conn: Connection, flight_id: int, person_id: int, row: VersionRow,
           hit: CompiledCriterion, facts: TravelFacts, message_id: int | None,
           now: datetime) -> str:  # fmt: skip
    explained = evaluate(hit.criterion, facts)
    return alert_store.record_criterion_hit(
        conn, flight_id=flight_id, person_id=person_id, criterion_key=row.key,
        version=row.version, version_id=row.id, digest=row.sha256, score=row.score,
        title=row.title, checks=checks_json(explained.checks), message_id=message_id, at=now,
    )  # fmt: skip


def _criteria_alert_keys(conn: Connection, flight_ids: set[int]) -> set[tuple[int, int, str]]:
    found = conn.execute(
        select(alerts.c.flight_id, alerts.c.person_id, alerts.c.entry_id)
        .where(alerts.c.flight_id.in_(sorted(flight_ids)), alerts.c.source == "criterion")
    )  # fmt: skip
    return {(int(f), int(p), str(e)) for f, p, e in found}


class FactsCache:
    """What the flow keeps across messages to build facts cheaply, all of it keyed
    by the inputs the facts are built from, so a kept value is exactly the value
    that would be built again:

    * per stored booking text (:class:`~openpiu.store.criteria_rows.BookingCache`):
      whether it holds a check-in record, and the facts of each of its travellers,
      keyed by everything else :func:`booked_facts` reads (the traveller's place
      and booking identity fields, the linked API passenger's data, whether
      check-in is over, the seat history, the flight);
    * per (flight, API passenger data): the facts of an API passenger without a
      booking.

    Every message still reads every traveller of its flights and decides every
    criterion for each (history is read afresh too): only the parsing and the
    building of unchanged inputs is skipped, so the hits are the hits a full
    rebuild finds.  Bounded (see ``limit``)."""

    def __init__(self, limit: int = 8192) -> None:
        self.bookings = rows.BookingCache(limit)
        self.api: dict[tuple[Any, ...], TravelFacts] = {}
        self.limit = limit

    def api_facts(self, flight: tuple[Any, ...], info: FlightInfo, api: ApiPerson,
                  api_key: tuple[Any, ...]) -> TravelFacts:  # fmt: skip
        key = (flight, api_key)
        found = self.api.get(key)
        if found is None:
            if len(self.api) >= self.limit:
                self.api.clear()
            found = self.api[key] = api_facts(info, api)
        return found


def _flight_key(info: FlightInfo) -> tuple[Any, ...]:
    return (info.id, info.carrier, info.number, info.flight_date, info.origin,
            info.destination, info.departure_local, info.arrival_local)  # fmt: skip


def _api_key(api: ApiPerson) -> tuple[Any, ...]:
    return (api.person_id, api.gender, api.dob, api.nationality, api.bag_count,
            api.bag_weight, api.bag_unit, tuple(api.documents))  # fmt: skip


def _booked_facts(
    person: BookedPerson,
    info: FlightInfo,
    flight: tuple[Any, ...],
    mine: ApiPerson | None,
    api_key: tuple[Any, ...] | None,
    over: bool,
    seats: list[str | None] | None,
    parsed: dict[str, dict[str, Any]],
) -> TravelFacts:
    """booked_facts, from the cache entry of the booking's text when it holds them."""
    entry: rows.CachedBooking = person.cached
    key = (person.seq, person.gender, person.dob, person.nationality, api_key, over,
           None if seats is None else tuple(seats), flight)  # fmt: skip
    found = entry.facts.get(key)
    if found is None:
        if person.data is None:
            person.data = rows.parse_once(person.text or "{}", parsed)
        found = entry.facts[key] = booked_facts(info, person, mine, checkin_over=over,
                                                seats=seats)  # fmt: skip
    return found  # type: ignore[no-any-return]


def screened_travellers(
    conn: Connection,
    flight_ids: set[int],
    needs: frozenset[str],
    history: int,
    wants_history: Callable[[TravelFacts], bool] | None = None,
    keep: TextTest | None = None,
    cache: FactsCache | None = None,
) -> list[Screened]:
    """Every passenger now on these flights with their facts: booked travellers
    (merged with their linked API data) and API passengers no booking is linked to.

    Seat history is read only when a criterion reads it.  Travel history (the
    costliest: every earlier flight of the person) only when a criterion counts
    trips, and then only for the travellers ``wants_history`` picks from their
    other facts (those a trips-counting criterion could fire for); None: all.
    ``keep`` (a backtest's) skips bookings whose stored text cannot hit: their
    ``facts`` stay None.  ``cache`` (the flow's, not with ``keep``): facts built
    from the same inputs at an earlier message are taken from it."""
    if not flight_ids:
        return []
    if keep is not None:
        cache = None
    infos = rows.flight_infos(conn, flight_ids)
    parsed: dict[str, dict[str, Any]] = {}  # booking texts parsed for this call
    booked = rows.booked_people(conn, flight_ids, keep,
                                cache.bookings if cache is not None else None, parsed)  # fmt: skip
    api = rows.api_people(conn, flight_ids)
    over = rows.checkin_over(booked, api) if needs & CHECKIN_FACTS else set()
    seats = rows.seat_histories(conn, flight_ids) if needs & SEAT_FACTS else {}
    flight_keys = {f: _flight_key(info) for f, info in infos.items()} if cache else {}
    api_keys = {k: _api_key(a) for k, a in api.items()} if cache else {}
    found: list[Screened] = []
    persons: list[tuple[int | None, ...]] = []  # whose history each one's trips are
    linked: set[tuple[int, int]] = set()
    for person in booked:
        info = infos[person.flight_id]
        mine = api.get((person.flight_id, person.api_person_id or -1))
        if mine is not None:
            linked.add((person.flight_id, mine.person_id))
        mine_seats = seats.get((person.flight_id, person.booking_id, person.person_id))
        if person.cached is not None:
            facts: TravelFacts | None = _booked_facts(
                person, info, flight_keys[person.flight_id], mine,
                api_keys[(person.flight_id, mine.person_id)] if mine is not None else None,
                person.flight_id in over, mine_seats, parsed,
            )  # fmt: skip
        else:
            facts = None if person.data is None else booked_facts(
                info, person, mine, checkin_over=person.flight_id in over, seats=mine_seats,
            )  # fmt: skip
        source = mine if mine is not None else person
        found.append(Screened(person.flight_id, person.api_person_id or person.person_id,
                              person.person_id, facts, source.gender or person.gender,
                              source.dob or person.dob,
                              source.nationality or person.nationality))  # fmt: skip
        persons.append((person.person_id, person.api_person_id))
    for (flight_id, person_id), mine in api.items():
        if (flight_id, person_id) not in linked:
            if cache is not None:
                facts = cache.api_facts(flight_keys[flight_id], infos[flight_id], mine,
                                        api_keys[(flight_id, person_id)])  # fmt: skip
            else:
                facts = api_facts(infos[flight_id], mine)
            found.append(Screened(flight_id, person_id, None, facts, mine.gender, mine.dob,
                                  mine.nationality))  # fmt: skip
            persons.append((person_id,))
    if "trips" in needs and history:
        _add_history(conn, found, persons, infos, history, wants_history)
    return found


def _add_history(
    conn: Connection,
    found: list[Screened],
    persons: list[tuple[int | None, ...]],
    infos: dict[int, FlightInfo],
    history: int,
    wants: Callable[[TravelFacts], bool] | None,
) -> None:
    """Give the travellers who need it their earlier trips, in one query."""
    chosen = [
        i for i, item in enumerate(found)
        if item.facts is not None and (wants is None or wants(item.facts))
    ]  # fmt: skip
    if not chosen:
        return
    ids = {p for i in chosen for p in persons[i] if p}
    days = [infos[found[i].flight_id].flight_date for i in chosen]
    trips = rows.past_trips(conn, ids, max(days), min(days) - timedelta(days=history))
    for i in chosen:
        item = found[i]
        mine = _trips_of(trips, infos[item.flight_id], *persons[i])
        if mine and item.facts is not None:
            item.facts = replace(item.facts, past_trips=mine)


def _trips_of(trips: dict[int, list[tuple[int, PastTrip]]], info: FlightInfo,
              *person_ids: int | None) -> tuple[PastTrip, ...]:  # fmt: skip
    """The persons' trips other than the screened flight (the core counts only
    those before its departure date)."""
    if not trips:
        return ()
    seen: dict[int, PastTrip] = {}
    for person_id in person_ids:
        for flight_id, trip in trips.get(person_id or -1, ()):
            if flight_id != info.id:
                seen.setdefault(flight_id, trip)
    return tuple(sorted(seen.values(), key=lambda t: t.departure))


__all__ = [
    "ApiPerson",
    "BookedPerson",
    "CriteriaService",
    "FactsCache",
    "Screened",
    "screened_travellers",
]
