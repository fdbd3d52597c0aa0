"""Travel patterns planted in the traffic for the criteria issue, with known answers.

The watchlist cases are planted after the traffic is written (:mod:`planted`);
travel patterns cannot be, since they are the traffic: the generator books them
itself, marks the booking (``Party.planted``) and writes the mark in the booking's
ground-truth line, from which :mod:`openpiu.synth.planted_patterns` lists them.

* ``broken_itinerary_via_hub``: a journey through Istanbul or Dubai whose next
  leg leaves days later, or from the city's other airport (arrives IST, leaves
  SAW): the booking's connection is built by
  :meth:`openpiu.synth.connections.Connector.broken`.
* ``new_document_late_ticket``: a passport issued days before the journey (the
  API message carries the issue date, DOC/DTM 182) on a ticket issued within
  48 hours of departure.  Generated passports are otherwise at least
  :data:`openpiu.synth.people.MIN_DOCUMENT_AGE_DAYS` old, so only planted
  travellers show it.
* ``repeated_trips_short_stay``: a traveller who flies out to Turkey or the
  Emirates, comes back a day or two later, and does it again: the third trip
  out is the one a "trips in a window" criterion sees.  It needs earlier days
  of traffic, so it completes only in runs of :data:`REPEATED_MIN_DAYS` days or
  more (``piu synth --days``); a one-day demo holds only first trips.

:mod:`openpiu.synth.journeys` plants them, on bookings that stay as booked (no
change, nobody cancels or misses the flight) so the answer holds, at small rates,
as a real pattern is rare (see :class:`PatternRates`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from openpiu.model import TravelDocument
from openpiu.reference import airport_country
from openpiu.synth.people import Person
from openpiu.synth.profiles import Profile, Route

BROKEN = "broken_itinerary_via_hub"
NEW_DOCUMENT = "new_document_late_ticket"
REPEATED = "repeated_trips_short_stay"
# Countries the repeated short trips go to (the example criterion's).
REPEATED_COUNTRIES = frozenset(("TUR", "ARE"))
REPEATED_STEPS = 5  # out, back, out, back, out: the last trip out has two before it
REPEATED_MIN_DAYS = 9  # longest schedule: stays of 2 days, 2 days at home between
BROKEN_MIXES = frozenset(("turkey", "gulf"))  # routes to the Istanbul and Dubai hubs


@dataclass(frozen=True, slots=True)
class PatternRates:
    broken: float = 0.02  # of couple and solo bookings on routes to IST and DXB
    new_document: float = 0.002  # of solo travellers booked for the first time
    repeated: float = 0.015  # of new solo travellers flying out to TUR or ARE


RATES = {"tajikistan": PatternRates(),
         # a large PIU: the same patterns, rarer, so as not to flood its analysts
         "germany": PatternRates(broken=0.0, new_document=0.0002, repeated=0.0005)}  # fmt: skip


def pattern_of(planted: str | None) -> str | None:
    """``broken_itinerary_via_hub:long_stop:IST`` -> ``broken_itinerary_via_hub``."""
    return planted.partition(":")[0] if planted else None


def planted_lead(rng: random.Random, planted: str | None) -> timedelta | None:
    """How long before departure a planted booking is made (None: not planted,
    the usual lead applies)."""
    pattern = pattern_of(planted)
    if pattern == NEW_DOCUMENT:  # ticket issued within 48 hours of departure
        return timedelta(minutes=rng.randint(4 * 60, 44 * 60))
    if pattern == REPEATED:  # bought a day or two before, often while away
        return timedelta(minutes=rng.randint(6 * 60, 3 * 24 * 60))
    if pattern == BROKEN:  # days to weeks ahead: within a month of the profile flight
        return timedelta(minutes=rng.randint(2 * 24 * 60, 20 * 24 * 60))
    return None


def renew_passport(person: Person, rng: random.Random, departure: date) -> None:
    """Give the traveller a passport issued 2 to 25 days before the journey."""
    old = person.passport
    issued = departure - timedelta(days=rng.randint(2, 25))
    years = 10 if old.expiry is None or old.issue_date is None else round(
        (old.expiry - old.issue_date).days / 365.25)  # fmt: skip
    expiry = issued.replace(year=issued.year + years) if not (
        issued.month == 2 and issued.day == 29) else issued + timedelta(days=365 * years)
    person.passport = TravelDocument(old.doc_type, old.number, old.issuing_country, expiry,
                                     issued)  # fmt: skip


@dataclass(slots=True)
class Trip:
    """A scheduled flight of a repeated-trips traveller."""

    person: Person
    title: str
    step: int  # 0 .. REPEATED_STEPS - 1; even steps fly out
    route: Route


class RepeatedTrips:
    """The schedule of the repeated-trips travellers: who flies which flight on
    which day.  Kept per (day, carrier, flight number); a day's entries are taken
    when its flights are planned, so the schedule holds only pending trips."""

    def __init__(self, rng: random.Random, profile: Profile) -> None:
        self.rng = rng
        self.routes = tuple(r for r in profile.routes
                            if airport_country(r.away) in REPEATED_COUNTRIES)  # fmt: skip
        self.pending: dict[tuple[int, str, int], list[Trip]] = {}

    def starts_on(self, route: Route, outbound: bool) -> bool:
        return outbound and route in self.routes

    def due(self, day: int, route: Route, outbound: bool) -> list[Trip]:
        number = route.out_number if outbound else route.in_number
        return self.pending.pop((day, route.carrier, number), [])

    def later(self, trip: Trip, day: int) -> None:
        """The same flight the next day (this one was full)."""
        number = trip.route.in_number if trip.step % 2 else trip.route.out_number
        self.pending.setdefault((day + 1, trip.route.carrier, number), []).append(trip)

    def next_trip(self, trip: Trip, day: int) -> None:
        """Book the traveller's next flight: home after a stay of 1-2 days, out
        again after 1-2 days at home, on one of the routes to TUR or ARE."""
        step = trip.step + 1
        if step >= REPEATED_STEPS:
            return
        rng = self.rng
        back = step % 2 == 1
        # out again to the same country, perhaps through another of its airports
        country = airport_country(trip.route.away)
        same = [r for r in self.routes if airport_country(r.away) == country]
        route = trip.route if back else same[rng.randrange(len(same))]
        when = day + rng.randint(1, 2)
        number = route.in_number if back else route.out_number
        self.pending.setdefault((when, route.carrier, number), []).append(
            Trip(trip.person, trip.title, step, route))
