"""The catalogue of facts: each fact's type, whether it is protected, and the
operators and values that make sense for it.

A criterion names facts from this table and nothing else.  Each fact has a
*kind* (airport code, country code, count, days, ...), and the kind decides both
which operators apply (a range on an airport code means nothing, a set of free
strings is refused everywhere) and what a value must look like: an airport code
must be a known IATA airport, a country an ISO 3166 alpha-3 code, an agency an
IATA number or office id.  So a list of strings cannot smuggle in a name, a meal
code or an SSR code: ``MOML`` is not an airport, a country or an agency number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any

from openpiu.criteria.facts import (
    BookingChannel,
    CheckInStatus,
    Gender,
    PaymentForm,
    Weekday,
)
from openpiu.reference import country_alpha3, is_airport

MAX_SET_SIZE = 200  # a bounded set: a criterion targets, it does not enumerate


class Kind(StrEnum):
    AIRPORT = "airport code"
    LOCATION = "city or airport code"
    COUNTRY = "country code"
    CARRIER = "airline code"
    AGENCY = "agency or office code"
    COUNT = "count"
    DAYS = "days"
    HOURS = "hours"
    WEIGHT = "kilograms"
    YEARS = "years"
    DATE = "date"
    BOOL = "yes/no"
    ENUM = "choice"


class Op(StrEnum):
    EQUALS = "equals"
    IN = "in"
    BETWEEN = "between"
    LESS_THAN = "less_than"
    AT_MOST = "at_most"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    INCLUDES = "includes"
    INCLUDES_ANY = "includes_any"
    ONLY = "only"


_CODE_OPS = frozenset({Op.EQUALS, Op.IN})
_ORDERED_OPS = frozenset(
    {Op.EQUALS, Op.BETWEEN, Op.LESS_THAN, Op.AT_MOST, Op.MORE_THAN, Op.AT_LEAST}
)
_COLLECTION_OPS = frozenset({Op.INCLUDES, Op.INCLUDES_ANY, Op.ONLY})
SET_OPS = frozenset({Op.IN, Op.INCLUDES_ANY, Op.ONLY})

# Plausible bounds per numeric kind: values outside are typos, and a range that
# covers the whole span is true for everyone (see ``always_true``).
_BOUNDS: dict[Kind, tuple[float, float]] = {
    Kind.COUNT: (0, 999),
    Kind.DAYS: (-36_500, 36_500),
    Kind.HOURS: (-100_000, 100_000),
    Kind.WEIGHT: (0, 10_000),
    Kind.YEARS: (0, 150),
}


@dataclass(frozen=True, slots=True)
class FactSpec:
    """One readable fact.  ``name`` is the attribute of :class:`TravelFacts` too."""

    name: str
    kind: Kind
    description: str
    protected: bool = False
    collection: bool = False
    choices: type[Enum] | None = None  # for Kind.ENUM

    @property
    def operators(self) -> frozenset[Op]:
        if self.collection:
            return _COLLECTION_OPS
        if self.kind is Kind.BOOL:
            return frozenset({Op.EQUALS})
        if self.kind in _BOUNDS or self.kind is Kind.DATE:
            return _ORDERED_OPS
        return _CODE_OPS


def _fact(name: str, kind: Kind, description: str, **extra: Any) -> tuple[str, FactSpec]:
    return name, FactSpec(name, kind, description, **extra)


FACTS: dict[str, FactSpec] = dict(
    [
        # itinerary
        _fact("origin", Kind.AIRPORT, "airport where the journey starts"),
        _fact("origin_country", Kind.COUNTRY, "country where the journey starts"),
        _fact("destination", Kind.AIRPORT, "airport of the journey's destination"),
        _fact("destination_country", Kind.COUNTRY, "country of the journey's destination"),
        _fact("via_airports", Kind.AIRPORT, "airports passed through", collection=True),
        _fact("via_countries", Kind.COUNTRY, "countries passed through", collection=True),
        _fact(
            "itinerary_countries", Kind.COUNTRY, "every country of the itinerary", collection=True
        ),
        _fact("carrier", Kind.CARRIER, "airline of the screened flight"),
        _fact("one_way", Kind.BOOL, "the journey does not return to where it began"),
        _fact(
            "broken_travel",
            Kind.BOOL,
            "a leg departs from somewhere other than where the previous one arrived",
        ),
        _fact(
            "longest_connection_hours",
            Kind.HOURS,
            "longest time on the ground between two legs, the stay excepted",
        ),
        # dates
        _fact("departure_date", Kind.DATE, "local date of the screened flight"),
        _fact("day_of_week", Kind.ENUM, "weekday of the screened flight", choices=Weekday),
        # booking and ticket
        _fact("booking_lead_days", Kind.DAYS, "days from booking to departure"),
        _fact("ticketing_lead_hours", Kind.HOURS, "hours from ticket issue to departure"),
        _fact(
            "payment_forms",
            Kind.ENUM,
            "forms of payment of the ticket",
            collection=True,
            choices=PaymentForm,
        ),
        _fact("booking_channel", Kind.ENUM, "who created the booking", choices=BookingChannel),
        _fact("agency_code", Kind.AGENCY, "IATA number or office id of the booking agency"),
        _fact("booking_city", Kind.LOCATION, "city or airport of the booking office"),
        _fact("booking_country", Kind.COUNTRY, "country of the booking office"),
        _fact("group_size", Kind.COUNT, "travellers on the booking"),
        # at the airport
        _fact("bag_count", Kind.COUNT, "checked bags"),
        _fact("bag_weight_kg", Kind.WEIGHT, "total weight of checked bags"),
        _fact("seat_changes", Kind.COUNT, "times the seat was changed"),
        _fact(
            "check_in_status",
            Kind.ENUM,
            "check-in status on the screened flight",
            choices=CheckInStatus,
        ),
        _fact("no_show", Kind.BOOL, "booked on the screened flight but did not show up"),
        # travel document
        _fact("document_age_days", Kind.DAYS, "days between document issue and departure"),
        _fact(
            "document_validity_days",
            Kind.DAYS,
            "days the document stays valid after departure (negative: expired)",
        ),
        _fact("visa_present", Kind.BOOL, "a visa is recorded for the journey"),
        # protected: never enough on their own (see guardrails)
        _fact("nationality", Kind.COUNTRY, "nationality", protected=True),
        _fact("age", Kind.YEARS, "age at departure", protected=True),
        _fact("gender", Kind.ENUM, "gender", protected=True, choices=Gender),
    ]
)

PROTECTED_FACTS = frozenset(name for name, spec in FACTS.items() if spec.protected)

# Travel history is read through the ``trips`` condition, whose place filters are
# typed like these facts.
TRIP_FILTERS: dict[str, Kind] = {
    "to_country": Kind.COUNTRY,
    "from_country": Kind.COUNTRY,
    "to_airport": Kind.AIRPORT,
    "from_airport": Kind.AIRPORT,
}
# ... and each filter reads this attribute of a PastTrip.
TRIP_ATTRIBUTES: dict[str, str] = {
    "to_country": "destination_country",
    "from_country": "origin_country",
    "to_airport": "destination",
    "from_airport": "origin",
}

# -- values ------------------------------------------------------------------------

_AGENCY = re.compile(r"[A-Z0-9]{3,10}")
_CARRIER = re.compile(r"[A-Z0-9]{2}|[A-Z]{3}")
_LOCATION = re.compile(r"[A-Z]{3}")


def _code(raw: object, kind: Kind) -> str:
    if not isinstance(raw, str):
        raise ValueError(f"expected a {kind.value}, got {_shown(raw)}")
    code = raw.strip().upper()
    if kind is Kind.AIRPORT:
        if not (_LOCATION.fullmatch(code) and is_airport(code)):
            raise ValueError(f"{_shown(raw)} is not a known IATA airport code")
    elif kind is Kind.LOCATION:
        if not _LOCATION.fullmatch(code):
            raise ValueError(f"{_shown(raw)} is not a three-letter city or airport code")
    elif kind is Kind.COUNTRY:
        if not (_LOCATION.fullmatch(code) and country_alpha3(code) == code):
            raise ValueError(f"{_shown(raw)} is not an ISO 3166 alpha-3 country code")
    elif kind is Kind.CARRIER:
        if not _CARRIER.fullmatch(code):
            raise ValueError(f"{_shown(raw)} is not a two-character airline code")
    elif kind is Kind.AGENCY and not is_agency_code(code):
        # IATA/ARC numbers and office ids carry digits; a word without one is more
        # likely a name or a service code than an agency, so it is refused.
        raise ValueError(
            f"{_shown(raw)} is not an agency number or office id "
            "(3 to 10 letters and digits, at least one digit)"
        )
    return code


def is_agency_code(code: str) -> bool:
    """An agency number or office id: 3 to 10 letters and digits, one digit at least."""
    return bool(_AGENCY.fullmatch(code.upper())) and any(ch.isdigit() for ch in code)


def _number(raw: object, kind: Kind) -> float | int:
    low, high = _BOUNDS[kind]
    whole = kind in (Kind.COUNT, Kind.DAYS, Kind.YEARS)
    if isinstance(raw, bool) or not isinstance(raw, int | float) or (whole and type(raw) is float):
        expected = "a whole number" if whole else "a number"
        raise ValueError(f"expected {expected} of {kind.value}, got {_shown(raw)}")
    if not low <= raw <= high:
        raise ValueError(f"{raw} is outside the plausible range {low:g} to {high:g} {kind.value}")
    return raw


def _choice(raw: object, spec: FactSpec) -> Enum:
    assert spec.choices is not None
    allowed = [str(member.value) for member in spec.choices]
    if isinstance(raw, str):
        for member in spec.choices:
            if str(member.value).lower() == raw.strip().lower():
                return member
    raise ValueError(f"{_shown(raw)} is not one of {', '.join(allowed)}")


def parse_scalar(spec: FactSpec | Kind, raw: object) -> Any:
    """One value checked against a fact's kind; ``ValueError`` says what is wrong."""
    kind = spec.kind if isinstance(spec, FactSpec) else spec
    if kind is Kind.ENUM:
        assert isinstance(spec, FactSpec)
        return _choice(raw, spec)
    if kind is Kind.BOOL:
        if not isinstance(raw, bool):
            raise ValueError(f"expected true or false, got {_shown(raw)}")
        return raw
    if kind is Kind.DATE:
        if not isinstance(raw, date) or isinstance(raw, datetime):
            raise ValueError(f"expected a date (YYYY-MM-DD), got {_shown(raw)}")
        return raw
    if kind in _BOUNDS:
        return _number(raw, kind)
    return _code(raw, kind)


def parse_set(spec: FactSpec | Kind, raw: object, limit: int = MAX_SET_SIZE) -> frozenset[Any]:
    """A bounded, non-empty list of values of one kind."""
    if not isinstance(raw, list) or not raw:
        raise ValueError("expected a non-empty list of values")
    if len(raw) > limit:
        raise ValueError(f"{len(raw)} values; a set may hold at most {limit}")
    return frozenset(parse_scalar(spec, item) for item in raw)


def always_true(spec: FactSpec, op: Op, value: Any) -> bool:
    """Whether a test holds for every possible value of the fact, so that it adds
    nothing to a criterion but could pass for a behavioural element."""
    if spec.kind is Kind.ENUM and spec.choices is not None and op in (Op.IN, Op.ONLY):
        return bool(value >= frozenset(spec.choices))
    bounds = _BOUNDS.get(spec.kind)
    if bounds is None:
        return False
    low, high = bounds
    if op is Op.AT_LEAST:
        return bool(value <= low)
    if op is Op.AT_MOST:
        return bool(value >= high)
    if op is Op.BETWEEN:
        return bool(value[0] <= low and value[1] >= high)
    return False


def _shown(raw: object) -> str:
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def show(value: Any) -> str:
    """A value in words, for messages and explanations (sets sorted, None unknown)."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, frozenset | set):
        return ", ".join(sorted(show(v) for v in value)) if value else "none"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
