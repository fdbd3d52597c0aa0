"""A day (or N days) of flights with their travellers, bookings and changes.

This module plans the facts; :mod:`openpiu.synth.messages` turns a plan into
PAXLST and PNRGOV models and :mod:`openpiu.synth.output` writes them as carriers
send them, with the ground truth beside.  One ``random.Random(seed)`` drives
everything, consumed in a fixed order: same seed, same bytes.

What makes it look like Central Asian traffic: labour-migration routes to Russia
full of young men travelling alone, booked days before through agencies and paid
in cash; families and tour groups on the Gulf, Istanbul and Frankfurt routes;
people who fly out one day and come back another with the same passport.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from openpiu.model import Flight, ItinerarySegment, Leg
from openpiu.reference import airport_country, airport_zone, to_utc
from openpiu.synth.journeys import Journeys
from openpiu.synth.names import _table
from openpiu.synth.people import LOCATOR_CHARS, Person, PersonFactory
from openpiu.synth.profiles import SEATS, Agency, Carrier, Profile, Route, block_minutes

DEFAULT_START = date(2025, 3, 15)
_CIS = frozenset(("TJK", "RUS", "UZB", "KGZ", "KAZ"))
# Who enters Germany (Schengen) without a visa: EU/EEA/Swiss citizens and the
# visa-waiver countries among the profiles' nationalities.
_NO_SCHENGEN_VISA = frozenset(("DEU", "AUT", "CHE", "NLD", "FRA", "ITA", "ESP", "PRT", "POL",
                               "ROU", "IRL", "GBR", "USA", "CAN", "ARE", "QAT", "SGP", "UKR"))


@dataclass(slots=True)
class Pax:
    person: Person
    title: str
    ptype: str  # A adult, C child, IN infant
    seat: str
    seat_requested: bool
    bags: int  # prepaid at booking
    ticket: str
    fare: float
    surname: str  # name as booked (a T-24 correction may change it)
    given: str  # with the title glued on
    status: str = "booked"  # booked, cancelled, no_show, boarded
    checkin: datetime | None = None
    sequence: int = 0
    tag: str | None = None


@dataclass(slots=True)
class Party:
    locator: str
    created: datetime
    channel: str  # agency, airline, web
    agency: Agency | None
    payment: str  # cash, card, agency
    card: str | None
    pax: list[Pax]
    phone: str | None
    email: str | None
    kind: str  # solo, couple, family, group
    modified: datetime | None = None
    cancelled: bool = False
    changes: list[tuple[datetime, str, str]] = field(default_factory=list)  # (at, what, pid)
    returning: bool = False  # a solo traveller who flew on an earlier day
    # Itinerary segments before and after the profile's flight (a connection: the
    # feeder of an inbound flight, the onward leg of an outbound one).
    before: tuple[ItinerarySegment, ...] = ()
    after: tuple[ItinerarySegment, ...] = ()
    planted: str | None = None  # "pattern[:detail]" of travel_patterns.py, if planted


@dataclass(slots=True)
class FlightPlan:
    flight: Flight
    route: Route
    carrier: Carrier
    day: int
    seats: int
    parties: list[Party]
    crew: list[tuple[Person, str]]  # (person, EMP role)

    @property
    def departure(self) -> datetime:
        dep = self.flight.legs[0].departure_local
        assert dep is not None
        return dep


def _scramble(n: int, modulus: int) -> int:
    """A bijection on [0, modulus): sequential counters become random-looking but
    never repeating locators and ticket numbers, without a set that grows."""
    return (n * 0x9E3779B1 + 0x5BD1E995) % modulus


def locator(n: int) -> str:
    x, out = _scramble(n, 32**6), []
    for _ in range(6):
        x, r = divmod(x, 32)
        out.append(LOCATOR_CHARS[r])
    return "".join(out)


class Traffic:
    """Plans flights day by day; keeps only what later days need (returning
    travellers, crews), capped, so memory stays bounded however many days."""

    def __init__(self, profile: Profile, seed: int, start: date = DEFAULT_START,
                 returning: float = 0.12, pool_cap: int = 20000) -> None:  # fmt: skip
        self.profile = profile
        self.rng = random.Random(seed)
        self.start = start
        self.factory = PersonFactory(self.rng, profile.cultures)
        self.returning = returning
        self.pool: list[Person] = []
        self.pool_cap = pool_cap
        self.crews: dict[str, list[Person]] = {}
        self.bookings = 0
        self.tickets = 0
        # Connections and planted travel patterns draw from their own generator,
        # after each flight is planned: changing their rates never changes the
        # travellers (on whom the watchlist cases are planted).
        self.journeys = Journeys(profile, random.Random(f"journeys:{seed}"))

    # -- schedule ------------------------------------------------------------------
    def flights_of_day(self, day: int) -> list[tuple[Route, bool, Flight]]:
        when = self.start + timedelta(days=day)
        out = []
        for route in self.profile.routes:
            for outbound in (True, False):
                origin, dest = (route.home, route.away) if outbound else (route.away, route.home)
                hhmm = route.departs_home if outbound else route.departs_away
                number = route.out_number if outbound else route.in_number
                dep = datetime.combine(when, datetime.strptime(hhmm, "%H:%M").time())
                dep_utc = to_utc(dep, origin)
                assert dep_utc is not None
                arr_utc = dep_utc + timedelta(minutes=block_minutes(origin, dest))
                zone = airport_zone(dest)
                arr = arr_utc.astimezone(zone).replace(tzinfo=None) if zone else None
                leg = Leg(origin, dest, dep, dep_utc, arr, arr_utc)
                flight = Flight(route.carrier, str(number), f"{route.carrier}{number:04d}",
                                when, [leg])  # fmt: skip
                out.append((route, outbound, flight))
        out.sort(key=lambda x: (x[2].legs[0].departure_utc, x[2].designator))
        return out

    def day(self, day: int) -> Iterator[FlightPlan]:
        for route, _outbound, flight in self.flights_of_day(day):
            yield self.plan(route, flight, day)

    # -- one flight ----------------------------------------------------------------
    def plan(self, route: Route, flight: Flight, day: int) -> FlightPlan:
        rng = self.rng
        seats = SEATS[route.equipment]
        target = min(seats, round(seats * route.load * rng.uniform(0.85, 1.12)))
        blocks = [(row, half) for row in range(1, seats // 6 + 1) for half in ("ABC", "DEF")]
        rng.shuffle(blocks)
        seat_iter = (f"{row}{letter}" for row, half in blocks for letter in half)
        parties: list[Party] = []
        filled = 0
        while filled < target:
            party = self._party(route, flight, day, seat_iter, target - filled)
            parties.append(party)
            filled += len(party.pax)
        crew = self._crew(flight.carrier, seats, day)
        plan = FlightPlan(flight, route, self.profile.carriers[route.carrier], day, seats,
                          parties, crew)  # fmt: skip
        self._t24_changes(plan, seat_iter)
        self._closure(plan)
        self.journeys.add(self, plan, seat_iter)
        return plan

    def _party(self, route: Route, flight: Flight, day: int, seat_iter: Iterator[str],
               room: int) -> Party:  # fmt: skip
        rng = self.rng
        today = flight.flight_date or self.start
        sizes = ("solo:70 couple:10 family:12 group:8" if route.migrant
                 else "solo:48 couple:22 family:24 group:6")  # fmt: skip
        kind = _table(sizes).pick(rng)
        nationality = _table(self.profile.mixes[route.mix]).pick(rng)
        male = 0.86 if route.migrant else 0.58
        people: list[tuple[Person, str, str]] = []  # (person, title, type)
        residence = None
        if nationality == "TJK" and route.migrant and rng.random() < 0.35:
            residence = "RUS"  # migrants who live in Russia between trips
        returning = None
        if kind == "solo":
            returning = self._returning(day) if rng.random() < self.returning else None
            gender = "M" if rng.random() < male else "F"
            person = returning or self.factory.make(nationality, gender, "A", "", today,
                                                    migrant=route.migrant, residence=residence)
            people.append((person, "MR" if person.gender == "M" else rng.choice(("MRS", "MS")),
                           "A"))  # fmt: skip
            if returning is None:
                self._remember(person)
        elif kind in ("couple", "family"):
            culture = self.factory.culture_of(nationality)
            fam = self.factory.names.family(culture)
            n_kids = 0 if kind == "couple" else rng.choice((1, 1, 2, 2, 3, 4))
            roles = [("M", "MR", "A"), ("F", "MRS", "A")]
            for _ in range(n_kids):
                g = rng.choice("MF")
                roles.append((g, "MSTR" if g == "M" else "MISS", "IN" if rng.random() < 0.1
                              else "C"))  # fmt: skip
            for g, title, ptype in roles[: max(1, min(len(roles), room))]:
                people.append((self.factory.make(nationality, g, ptype, title, today,
                                                 culture=culture, family=fam,
                                                 residence=residence), title, ptype))
        else:
            n = min(room, rng.randint(6, 18))
            for _ in range(max(1, n)):
                g = "M" if rng.random() < male else "F"
                title = "MR" if g == "M" else "MS"
                people.append((self.factory.make(nationality, g, "A", title, today,
                                                 migrant=route.migrant, residence=residence),
                               title, "A"))  # fmt: skip
        party = self._booking(route, flight, kind, people, seat_iter)
        party.returning = returning is not None
        return party

    def _booking(self, route: Route, flight: Flight, kind: str,
                 people: list[tuple[Person, str, str]], seat_iter: Iterator[str],
                 rng: random.Random | None = None) -> Party:  # fmt: skip
        """One booking of ``people``; ``rng`` (default: the traffic's) draws its
        channel, payment, fares and bags."""
        rng = rng or self.rng
        dep = flight.legs[0].departure_local
        assert dep is not None
        mean_days = 6 if route.migrant else 24
        lead = timedelta(hours=2 + min(rng.expovariate(1 / (mean_days * 24)), 24 * 300))
        created = (dep - lead).replace(second=0, microsecond=0)
        channel = _table("agency:70 airline:20 web:10" if route.migrant
                         else "agency:45 airline:20 web:35").pick(rng)  # fmt: skip
        agency = rng.choice(self.profile.agencies) if channel == "agency" else None
        payment = {"agency": rng.choice(("agency", "cash")),
                   "airline": rng.choice(("cash", "cash", "card")), "web": "card"}[channel]
        card = ("4" + str(rng.randrange(10**15)).zfill(15)) if payment == "card" else None
        carrier = self.profile.carriers[route.carrier]
        pax = []
        base_fare = float(rng.randrange(140 if route.migrant else 180, 620, 5))
        for person, title, ptype in people:
            self.tickets += 1
            ticket = carrier.ticket_prefix + str(_scramble(self.tickets, 10**10)).zfill(10)
            fare = base_fare * (0.1 if ptype == "IN" else 0.75 if ptype == "C" else 1.0)
            bags = (rng.choice((1, 1, 2)) if route.migrant else rng.choice((0, 1, 1, 2))
                    ) if ptype != "IN" else 0  # fmt: skip
            if ptype == "A" and person.ff is None and rng.random() < 0.1:
                person.ff = str(rng.randrange(10**9)).zfill(9)
                person.ff_carrier = carrier.code
            n = person.name
            pax.append(Pax(person, title, ptype, next(seat_iter, "99Z"), rng.random() < 0.6,
                           bags, ticket, fare, n.booking_surname,
                           n.booking_given + title))  # fmt: skip
        head = people[0][0]
        self.bookings += 1
        return Party(locator(self.bookings), created, channel, agency, payment, card, pax,
                     head.phone, head.email, kind, created)  # fmt: skip

    def _returning(self, day: int) -> Person | None:
        if not self.pool:
            return None
        person = self.pool[self.rng.randrange(len(self.pool))]
        if person.pid in self.journeys.reserved:
            return None  # planted travellers fly only as their pattern says
        return person if person.last_day < day else None

    def _remember(self, person: Person) -> None:
        if self.rng.random() >= 0.3:
            return
        if len(self.pool) < self.pool_cap:
            self.pool.append(person)
        else:
            self.pool[self.rng.randrange(self.pool_cap)] = person

    def _crew(self, carrier: str, seats: int, day: int) -> list[tuple[Person, str]]:
        rng = self.rng
        if carrier not in self.crews:
            country = self.profile.carriers[carrier].country
            today = self.start
            self.crews[carrier] = [
                self.factory.make(country, "M" if i < 12 or rng.random() < 0.3 else "F", "A",
                                  "", today, role="crew")
                for i in range(40)
            ]  # fmt: skip
        pool = self.crews[carrier]
        pilots = rng.sample(pool[:12], 2)
        cabin = rng.sample(pool[12:], min(len(pool) - 12, seats // 50 + 1))
        return [(p, "CR1") for p in pilots] + [(p, "CR2") for p in cabin]

    # -- what happens between booking and departure --------------------------------
    def _t24_changes(self, plan: FlightPlan, seat_iter: Iterator[str]) -> None:
        rng = self.rng
        t72 = plan.departure - timedelta(hours=72)
        for party in plan.parties:
            if party.created > t72:
                continue
            at = t72 + timedelta(minutes=rng.randint(10, 47 * 60))
            r = rng.random()
            who = party.pax[rng.randrange(len(party.pax))]
            if r < 0.05:
                who.seat, who.seat_requested = next(seat_iter, who.seat), True
                party.changes.append((at, "seat", who.person.pid))
            elif r < 0.08 and who.surname != who.person.name.passport_surname:
                n = who.person.name
                who.surname, who.given = n.passport_surname, n.passport_given.split(" ")[0] + (
                    who.title)
                party.changes.append((at, "name_correction", who.person.pid))
            elif r < 0.13 and who.ptype != "IN":
                who.bags += 1
                party.changes.append((at, "bag_added", who.person.pid))
            elif r < 0.15:
                if len(party.pax) > 1 and who is not party.pax[0]:
                    who.status = "cancelled"
                    party.changes.append((at, "traveller_cancelled", who.person.pid))
                else:
                    party.cancelled = True
                    for p in party.pax:
                        p.status = "cancelled"
                    party.changes.append((at, "booking_cancelled", party.pax[0].person.pid))
            else:
                continue
            party.modified = at

    def _closure(self, plan: FlightPlan) -> None:
        """Check-in: boarded travellers get a time, a sequence and a bag tag; a few
        do not show up (the closure push has them, the passenger list does not)."""
        rng = self.rng
        seq = 0
        for party in plan.parties:
            party_no_show = len(party.pax) == 1 and rng.random() < 0.025
            for p in party.pax:
                if p.status == "cancelled":
                    continue
                if party_no_show or (len(party.pax) > 1 and rng.random() < 0.01):
                    p.status = "no_show"
                    continue
                seq += 1
                self.check_in(plan, p, seq, rng)

    @staticmethod
    def check_in(plan: FlightPlan, p: Pax, seq: int, rng: random.Random) -> None:
        """The traveller boards: check-in time, sequence number, bag tag."""
        p.status, p.sequence = "boarded", seq
        p.checkin = plan.departure - timedelta(minutes=rng.randint(45, 200))
        if p.bags:
            p.tag = "0" + plan.carrier.ticket_prefix + str(rng.randrange(10**6)).zfill(6)
        p.person.last_day = plan.day

    def visa_country(self, p: Person, plan: FlightPlan) -> str | None:
        """Issuing country of the visa a traveller needs for the destination, if any
        (a coarse rule: CIS citizens travel visa-free among themselves)."""
        dest = airport_country(plan.flight.destination or "")
        if dest is None or dest == p.nationality or p.role == "crew":
            return None
        if p.nationality in _CIS and dest in _CIS:
            return None
        if dest == "DEU" and p.nationality in _NO_SCHENGEN_VISA:
            return None
        return dest if dest in ("DEU", "ARE", "CHN", "IND", "TJK", "AFG") else None
