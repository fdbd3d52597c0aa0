"""Connections and planted travel patterns, added to a flight once it is planned.

A flight's travellers, bookings, changes and check-in are planned by
:class:`openpiu.synth.traffic.Traffic` from its seeded generator; this module then
gives some bookings a connection (:mod:`openpiu.synth.connections`) and plants
the criteria issue's travel patterns (:mod:`openpiu.synth.travel_patterns`),
drawing from a generator of its own.  Doing it afterwards, on its own draws,
keeps the travellers exactly what they were without it: changing a connection
share or a pattern rate never changes a name, a birth date or a passport number,
so the watchlist cases planted on the travellers stay the same.

Patterns are planted on bookings that stay as booked (no change, everyone
boarded), so the answer holds; a planted booking's creation time is set by the
pattern (a ticket within 48 hours, a broken journey booked within the month).
The repeated-trips travellers' later flights are added here too, on the day their
schedule says, on top of the flight's load.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import chain
from typing import TYPE_CHECKING

from openpiu.synth import travel_patterns as tp
from openpiu.synth.connections import TAJIKISTAN_HUBS, TAJIKISTAN_SHARES, Connector
from openpiu.synth.profiles import Profile

if TYPE_CHECKING:
    from openpiu.synth.traffic import FlightPlan, Party, Traffic

# Connection catalogues by profile (see connections.py); a profile without one
# books single flights only.
CONNECTIONS = {"tajikistan": (TAJIKISTAN_HUBS, TAJIKISTAN_SHARES)}
# A connecting journey is booked before its first leg leaves, with this margin.
BOOKED_BEFORE_FIRST_LEG = timedelta(hours=2)


class Journeys:
    def __init__(self, profile: Profile, rng: random.Random) -> None:
        self.rng = rng
        table = CONNECTIONS.get(profile.name)
        self.connector = Connector(rng, *table) if table else None
        self.rates = tp.RATES.get(profile.name, tp.PatternRates())
        self.repeated = tp.RepeatedTrips(rng, profile)
        self.reserved: set[str] = set()  # planted travellers: never drawn as returning

    def add(self, traffic: Traffic, plan: FlightPlan, seat_iter: Iterator[str]) -> None:
        """Connections and patterns for the flight's bookings, then the
        repeated-trips travellers due on it."""
        outbound = plan.flight.origin == plan.route.home
        for party in plan.parties:
            self._party(plan, party, outbound)
        for trip in self.repeated.due(plan.day, plan.route, outbound):
            self._trip(traffic, plan, trip, seat_iter)

    def _party(self, plan: FlightPlan, party: Party, outbound: bool) -> None:
        rng, rates, route = self.rng, self.rates, plan.route
        steady = not party.changes and all(p.status == "boarded" for p in party.pax)
        fresh_solo = steady and party.kind == "solo" and not party.returning
        if fresh_solo and rng.random() < rates.new_document:
            tp.renew_passport(party.pax[0].person, rng, plan.departure.date())
            self._plant(plan, party, tp.NEW_DOCUMENT)
            return
        if (fresh_solo and self.repeated.starts_on(route, outbound)
                and rng.random() < rates.repeated):  # fmt: skip
            first = party.pax[0]
            self.repeated.next_trip(tp.Trip(first.person, first.title, 0, route), plan.day)
            self._plant(plan, party, f"{tp.REPEATED}:0")
            return
        if self.connector is None:
            return
        may_break = steady and party.kind in ("solo", "couple") and route.mix in tp.BROKEN_MIXES
        before, after, broken = self.connector.journey(
            route.carrier, route.mix, plan.flight.legs[0], outbound,
            rates.broken if may_break else 0.0)  # fmt: skip
        first_leg = before[0].departure_local if before else None
        if broken is None and first_leg is not None and (
                party.created > first_leg - BOOKED_BEFORE_FIRST_LEG):  # fmt: skip
            return  # booked after the journey would have begun: a flight of its own
        party.before, party.after = before, after
        if broken is not None:
            self._plant(plan, party, f"{tp.BROKEN}:{broken}")

    def _plant(self, plan: FlightPlan, party: Party, mark: str) -> None:
        """Mark the booking planted, book it as the pattern says, and keep its
        travellers out of the returning pool."""
        lead = tp.planted_lead(self.rng, mark)
        assert lead is not None
        start: datetime = plan.departure
        if party.before and party.before[0].departure_local is not None:
            start = party.before[0].departure_local  # booked before the first leg
        party.created = party.modified = (start - lead).replace(second=0, microsecond=0)
        party.planted = mark
        self.reserved.update(p.person.pid for p in party.pax)

    def _trip(self, traffic: Traffic, plan: FlightPlan, trip: tp.Trip,
              seat_iter: Iterator[str]) -> None:  # fmt: skip
        """A repeated-trips traveller's booking on this flight, checked in."""
        seat = next(seat_iter, None)
        if seat is None:  # a full flight: the traveller takes the next day's
            self.repeated.later(trip, plan.day)
            return
        party = traffic._booking(plan.route, plan.flight, "solo",
                                 [(trip.person, trip.title, "A")], chain([seat], seat_iter),
                                 self.rng)  # fmt: skip
        self._plant(plan, party, f"{tp.REPEATED}:{trip.step}")
        seq = max((p.sequence for pa in plan.parties for p in pa.pax), default=0)
        traffic.check_in(plan, party.pax[0], seq + 1, self.rng)
        plan.parties.append(party)
        self.repeated.next_trip(trip, plan.day)
