"""The facts a criterion may read about one traveller on one booked flight.

This module *is* the allow-list.  A criterion can only name a field of
:class:`TravelFacts`, and that class holds no name, no free text, no contact, no
raw SSR/OSI code and no meal or medical code: the data that could reveal race or
ethnic origin, religion, health or sex life (EU PNR Directive art. 6(4), 13(4))
is not reduced to a forbidden word here, it is simply absent.  What a criterion
cannot read, it cannot misuse.

Three facts are *protected*: nationality, age and gender.  They are here only so
that (a) a criterion may narrow a travel pattern with them, never rest on them
(see :mod:`openpiu.criteria.guardrails`), and (b) oversight can see the spread of
hits by them.  A jurisdiction can forbid them outright in its policy.

The inputs are what a PNR push gives (see :mod:`openpiu.model`); the derived facts
(lead times, one-way, broken travel, destination, ...) are computed once, on
construction, so that a hundred criteria read the same numbers.  The reference
time is the departure of the screened flight, never a clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class PaymentForm(StrEnum):
    """Forms of payment as the parser classes the FOP code (``_FOP_METHODS``)."""

    CASH = "cash"
    CARD = "card"
    CHEQUE = "cheque"
    AGENCY = "agency"  # invoiced to / paid by the travel agency
    GOVERNMENT = "government"
    MISCELLANEOUS = "miscellaneous"
    OTHER = "other"


class BookingChannel(StrEnum):
    """Who created the booking (ORG 3225): a travel agency or the airline itself."""

    AGENCY = "agency"
    AIRLINE = "airline"
    UNKNOWN = "unknown"


class CheckInStatus(StrEnum):
    NOT_CHECKED_IN = "not_checked_in"
    CHECKED_IN = "checked_in"
    NO_SHOW = "no_show"


class Gender(StrEnum):
    """As travel documents give it (ICAO Doc 9303): F, M, X; U when unknown."""

    F = "F"
    M = "M"
    X = "X"
    U = "U"


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


WEEKDAYS = tuple(Weekday)


@dataclass(frozen=True, slots=True)
class TravelLeg:
    """One flown leg of the itinerary.  Times are local, as the carrier sent them."""

    origin: str  # IATA airport code
    destination: str
    departure: datetime
    arrival: datetime | None = None
    origin_country: str | None = None  # ISO 3166 alpha-3
    destination_country: str | None = None
    carrier: str | None = None


@dataclass(frozen=True, slots=True)
class PastTrip:
    """One earlier flight of the same person, from the store (their own history)."""

    departure: date
    origin: str
    destination: str
    origin_country: str | None = None
    destination_country: str | None = None


@dataclass(frozen=True, slots=True)
class TravelFacts:
    """Everything a criterion may know about one traveller on one booked flight.

    ``legs`` is the booked itinerary in order; ``screened_leg`` is the index of the
    flight being screened, whose local departure is the reference time of every
    relative fact.  ``None`` means unknown, and a test on an unknown fact is neither
    true nor false (see :mod:`openpiu.criteria.evaluate`).
    """

    legs: tuple[TravelLeg, ...]
    screened_leg: int = 0
    booked_at: datetime | None = None  # booking creation (RCI), local as sent
    ticketed_at: datetime | None = None  # ticket issue (TKT/DAT 710)
    payment_forms: frozenset[PaymentForm] | None = None  # None: no form of payment sent
    booking_channel: BookingChannel = BookingChannel.UNKNOWN
    agency_code: str | None = None  # IATA/ARC number or office id (ORG), never a name
    booking_city: str | None = None  # city or airport code of the booking office
    booking_country: str | None = None  # alpha-3
    group_size: int = 1  # travellers on the booking
    bag_count: int | None = None
    bag_weight_kg: float | None = None
    seat_changes: int = 0
    check_in_status: CheckInStatus = CheckInStatus.NOT_CHECKED_IN
    past_trips: tuple[PastTrip, ...] = ()
    document_issued: date | None = None  # the travel document (passport or id card)
    document_expires: date | None = None
    visa_present: bool = False
    # Protected: never enough on their own; shown to oversight.
    nationality: str | None = None  # alpha-3
    age: int | None = None  # whole years at the reference time
    gender: Gender = Gender.U

    # -- derived on construction -------------------------------------------------------
    departure: datetime = field(init=False)
    departure_date: date = field(init=False)
    day_of_week: Weekday = field(init=False)
    carrier: str | None = field(init=False)
    origin: str = field(init=False)
    origin_country: str | None = field(init=False)
    destination: str = field(init=False)
    destination_country: str | None = field(init=False)
    via_airports: frozenset[str] = field(init=False)
    via_countries: frozenset[str] = field(init=False)
    itinerary_countries: frozenset[str] = field(init=False)
    one_way: bool = field(init=False)
    broken_travel: bool = field(init=False)
    longest_connection_hours: float | None = field(init=False)
    booking_lead_days: int | None = field(init=False)
    ticketing_lead_hours: float | None = field(init=False)
    no_show: bool = field(init=False)
    document_age_days: int | None = field(init=False)
    document_validity_days: int | None = field(init=False)

    def __post_init__(self) -> None:
        if not self.legs:
            raise ValueError("TravelFacts needs at least one leg")
        if not 0 <= self.screened_leg < len(self.legs):
            raise ValueError(f"screened_leg {self.screened_leg} is not a leg index")
        screened = self.legs[self.screened_leg]
        departure = screened.departure
        turn = _turnaround(self.legs)
        origin = self.legs[0]
        destination = self.legs[turn]
        one_way = not _returns_home(self.legs)
        via = [leg.destination for i, leg in enumerate(self.legs[:-1]) if i != turn]
        via_countries = [
            leg.destination_country
            for i, leg in enumerate(self.legs[:-1])
            if i != turn and leg.destination_country
        ]
        countries = {leg.origin_country for leg in self.legs if leg.origin_country}
        countries |= {leg.destination_country for leg in self.legs if leg.destination_country}
        # object.__setattr__: the class is frozen.  One call per field, no
        # intermediate dict: a backtest builds a million of these.
        put = object.__setattr__
        put(self, "departure", departure)
        put(self, "departure_date", departure.date())
        put(self, "day_of_week", WEEKDAYS[departure.weekday()])
        put(self, "carrier", screened.carrier)
        put(self, "origin", origin.origin)
        put(self, "origin_country", origin.origin_country)
        put(self, "destination", destination.destination)
        put(self, "destination_country", destination.destination_country)
        put(self, "via_airports", frozenset(via) - {origin.origin, destination.destination})
        put(self, "via_countries", frozenset(via_countries))
        put(self, "itinerary_countries", frozenset(countries))
        put(self, "one_way", one_way)
        put(self, "broken_travel", any(
            a.destination != b.origin for a, b in zip(self.legs, self.legs[1:], strict=False)
        ))  # fmt: skip
        put(self, "longest_connection_hours", _longest_connection(self.legs, turn))
        put(self, "booking_lead_days", _days(self.booked_at, departure))
        put(self, "ticketing_lead_hours", _hours(self.ticketed_at, departure))
        put(self, "no_show", self.check_in_status is CheckInStatus.NO_SHOW)
        put(self, "document_age_days", _days(self.document_issued, departure))
        put(self, "document_validity_days", (
            (self.document_expires - departure.date()).days if self.document_expires else None
        ))  # fmt: skip


def _returns_home(legs: tuple[TravelLeg, ...]) -> bool:
    """A return journey ends where it began: same airport, or same country when both
    are known (a return to another airport of the home country is still a return)."""
    first, last = legs[0], legs[-1]
    if len(legs) < 2:
        return False
    if last.destination == first.origin:
        return True
    return first.origin_country is not None and last.destination_country == first.origin_country


def _turnaround(legs: tuple[TravelLeg, ...]) -> int:
    """Index of the leg that reaches the destination.  One way: the last leg.  A
    return: the leg followed by the longest stay (the traveller's real destination,
    not a hub they changed planes at)."""
    if not _returns_home(legs):
        return len(legs) - 1
    best, best_stay = 0, -1.0
    for i, (a, b) in enumerate(zip(legs, legs[1:], strict=False)):
        stay = (b.departure - (a.arrival or a.departure)).total_seconds()
        if stay > best_stay:
            best, best_stay = i, stay
    return best


def _longest_connection(legs: tuple[TravelLeg, ...], turn: int) -> float | None:
    """Longest time on the ground between two legs, the stay at the destination
    excepted; None for a journey without connections."""
    gaps = [
        (b.departure - (a.arrival or a.departure)).total_seconds() / 3600
        for i, (a, b) in enumerate(zip(legs, legs[1:], strict=False))
        if i != turn  # for a one-way journey ``turn`` is the last leg: no gap follows it
    ]
    return round(max(gaps), 1) if gaps else None


def _days(earlier: date | datetime | None, departure: datetime) -> int | None:
    """Calendar days from ``earlier`` to the departure date (bought the day before = 1)."""
    if earlier is None:
        return None
    day = earlier.date() if isinstance(earlier, datetime) else earlier
    return (departure.date() - day).days


def _hours(earlier: datetime | None, departure: datetime) -> float | None:
    if earlier is None:
        return None
    gap = departure.replace(tzinfo=None) - earlier.replace(tzinfo=None)
    return round(gap.total_seconds() / 3600, 1)
