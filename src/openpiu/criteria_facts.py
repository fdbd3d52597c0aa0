"""TravelFacts from what the store holds: a booking's JSON, the API data, history.

The adapter between the store and the criteria core.  It reads only what was
received and kept; where the data does not say, the fact stays unknown (None),
and a criterion's test on it is neither true nor false.  Where each fact comes from:

* itinerary, booking and ticket times, forms of payment, channel, agency, office,
  group size: the traveller's booking as the latest push on the flight gave it
  (``booking_versions.data``, already through the privacy filter);
* bags: the booking's bag records (TBD) of the traveller, else the API message's;
  unknown when neither says and the traveller has not checked in (a checked-in
  traveller without a bag record has no checked bags);
* seat changes: the traveller's seat across the stored versions of the booking on
  this flight, in the sender's order (the caller passes the seats);
* check-in: a check-in record in the booking (PNRGOV GR7 TRI/SSD), or the
  traveller on the flight's API passenger list.  **No-show**: the itinerary
  segment's status says so (NS, NO, NOSH), or check-in is over for the flight
  (someone's check-in record arrived, or the API passenger list did) and this
  booked traveller has neither a check-in record nor a place on that list;
* documents, visa, nationality, date of birth, gender: the API data of the linked
  API traveller first (read from the document), else the booking's DOCS;
* history: the person's earlier flights in the store (the caller passes them).

Not stored, so never a fact here: the booking's price and fare class (the
language has no fact for them either).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpiu.criteria import (
    BookingChannel,
    CheckInStatus,
    Gender,
    PastTrip,
    PaymentForm,
    TravelFacts,
    TravelLeg,
)
from openpiu.criteria.catalogue import is_agency_code
from openpiu.reference import airport_country

NO_SHOW_CODES = frozenset({"NS", "NO", "NOSH"})  # segment status codes carriers use
_CHANNELS = {"T": BookingChannel.AGENCY, "A": BookingChannel.AIRLINE}
_PAYMENTS = {form.value: form for form in PaymentForm}
_GENDERS = {g.value: g for g in Gender}
_LB_TO_KG = 0.45359237
_ID_DOCUMENTS = ("P", "PP", "PM", "PT", "I", "ID", "A", "C", "IP")


@dataclass(slots=True)
class FlightInfo:
    """The screened flight as the store knows it (times local, as sent)."""

    id: int
    carrier: str
    number: str
    flight_date: date
    origin: str | None
    destination: str | None
    departure_local: datetime | None
    arrival_local: datetime | None

    @property
    def route(self) -> str:
        return f"{self.origin or '?'}-{self.destination or '?'}"

    def leg(self) -> TravelLeg:
        departure = self.departure_local or datetime.combine(self.flight_date, datetime.min.time())
        return _leg(self.origin or "", self.destination or "", departure, self.arrival_local,
                    self.carrier)  # fmt: skip


@dataclass(slots=True)
class ApiPerson:
    """A passenger on the flight's current API list, with their documents."""

    person_id: int
    gender: str | None
    dob: date | None
    nationality: str | None
    bag_count: int | None
    bag_weight: float | None
    bag_unit: str | None
    # (type, issue date, expiry), first the one the traveller travels on
    documents: list[tuple[str, date | None, date | None]] = field(default_factory=list)


@dataclass(slots=True)
class BookedPerson:
    """A booking's traveller on the flight now (latest version of the booking)."""

    flight_id: int
    person_id: int
    api_person_id: int | None  # the linked API traveller, if any
    booking_id: int
    seq: int  # 1-based position in the booking's travellers
    gender: str | None
    dob: date | None
    nationality: str | None
    data: dict[str, Any] | None  # the booking, as stored (None: left unread, see rows)
    # The flow's cache (see store.criteria_rows.BookingCache): the stored text and
    # its entry; ``data`` may then be None until facts must be built from the text.
    text: str | None = None
    cached: Any = None


def _country(airport: str) -> str | None:
    return airport_country(airport) if airport else None


def _leg(origin: str, destination: str, departure: datetime, arrival: datetime | None,
         carrier: str | None) -> TravelLeg:  # fmt: skip
    return TravelLeg(origin, destination, departure, arrival, _country(origin),
                     _country(destination), carrier)  # fmt: skip


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def _legs(data: dict[str, Any], flight: FlightInfo) -> tuple[tuple[TravelLeg, ...], int, str]:
    """The booked air legs in time order, the index of the screened flight, and its
    segment status."""
    found: list[tuple[TravelLeg, str | None, str | None]] = []
    for seg in data.get("itinerary") or ():
        departure = _time(seg.get("departure_local"))
        if seg.get("kind", "air") != "air" or departure is None:
            continue
        leg = _leg(seg.get("departure_airport") or "", seg.get("arrival_airport") or "",
                   departure, _time(seg.get("arrival_local")), seg.get("carrier"))  # fmt: skip
        found.append((leg, seg.get("number"), seg.get("status")))
    if not found:
        return (flight.leg(),), 0, ""
    found.sort(key=lambda item: item[0].departure)
    screened = 0
    for i, (leg, number, _status) in enumerate(found):
        if leg.departure.date() == flight.flight_date and (
            (leg.carrier == flight.carrier and number == flight.number)
            or leg.origin == flight.origin
        ):
            screened = i
            break
    return tuple(leg for leg, _, _ in found), screened, found[screened][2] or ""


def age_on(dob: date | None, day: date) -> int | None:
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _bags(bags: list[dict[str, Any]]) -> tuple[int | None, float | None]:
    count = weight = None
    for bag in bags:
        if bag.get("count") is not None:
            count = (count or 0) + int(bag["count"])
        if bag.get("weight") is not None:
            factor = _LB_TO_KG if (bag.get("unit") or "").upper() in ("LBR", "LB") else 1.0
            weight = (weight or 0.0) + float(bag["weight"]) * factor
    return count, (round(weight, 1) if weight is not None else None)


def _document(documents: list[tuple[str, date | None, date | None]]
              ) -> tuple[date | None, date | None, bool]:  # fmt: skip
    """(issued, expires) of the identity document, and whether a visa is recorded."""
    visa = any(kind.upper().startswith("V") for kind, _i, _e in documents)
    for kind, issued, expires in documents:
        if kind.upper() in _ID_DOCUMENTS:
            return issued, expires, visa
    return None, None, visa


def booked_facts(
    flight: FlightInfo,
    person: BookedPerson,
    api: ApiPerson | None,
    *,
    checkin_over: bool = False,
    seats: list[str | None] | None = None,
    trips: tuple[PastTrip, ...] = (),
) -> TravelFacts:
    """The facts of a booking's traveller on ``flight``.  ``checkin_over``: check-in
    for the flight has ended (see the module docstring); ``seats``: the
    traveller's seat in each stored version of the booking, oldest first."""
    data = person.data or {}
    travellers = data.get("travellers") or []
    me = travellers[person.seq - 1] if 0 < person.seq <= len(travellers) else {}
    legs, screened, status = _legs(data, flight)
    tickets = [t for t in (_time(x.get("issued")) for x in me.get("tickets") or ()) if t]
    ticketed = min(tickets) if tickets else _time(data.get("ticketed_at"))
    methods = {p.get("method") for p in [*(me.get("payments") or ()),
                                         *(data.get("payments") or ())]}  # fmt: skip
    forms = frozenset(_PAYMENTS.get(m or "", PaymentForm.OTHER) for m in methods)
    org = data.get("originator") or {}
    channel = _CHANNELS.get((org.get("kind") or "").upper(), BookingChannel.UNKNOWN)
    agency = (org.get("agency_id") or "").strip().upper()
    location = (org.get("location") or "").strip().upper()
    checked_in = bool(me.get("checkins")) or any(
        s.get("source") == "actual" for s in me.get("seats") or ()
    ) or api is not None  # fmt: skip
    if checked_in:
        check_in = CheckInStatus.CHECKED_IN
    elif status.upper() in NO_SHOW_CODES or checkin_over:
        check_in = CheckInStatus.NO_SHOW
    else:
        check_in = CheckInStatus.NOT_CHECKED_IN
    bag_count, bag_weight = _bags(me.get("bags") or [])
    if bag_count is None and api is not None and api.bag_count is not None:
        bag_count, bag_weight = _bags([{"count": api.bag_count, "weight": api.bag_weight,
                                        "unit": api.bag_unit}])  # fmt: skip
    if bag_count is None and checked_in:
        bag_count = 0
    documents = api.documents if api is not None else [
        (d.get("doc_type") or "", _date(d.get("issue_date")), _date(d.get("expiry")))
        for d in me.get("documents") or ()
    ]  # fmt: skip
    issued, expires, visa = _document(documents)
    dob = (api.dob if api is not None and api.dob else None) or person.dob
    gender = (api.gender if api is not None and api.gender else None) or person.gender
    return TravelFacts(
        legs=legs,
        screened_leg=screened,
        booked_at=_time(data.get("created_at")),
        ticketed_at=ticketed,
        payment_forms=forms or None,
        booking_channel=channel,
        agency_code=agency if channel is BookingChannel.AGENCY and is_agency_code(agency) else None,
        booking_city=location if len(location) == 3 and location.isalpha() else None,
        booking_country=org.get("country") or (_country(location) if location else None),
        group_size=max(1, len(travellers)),
        bag_count=bag_count,
        bag_weight_kg=bag_weight,
        seat_changes=seat_changes(seats or []),
        check_in_status=check_in,
        past_trips=trips,
        document_issued=issued,
        document_expires=expires,
        visa_present=visa,
        nationality=(api.nationality if api is not None and api.nationality else None)
        or person.nationality,
        age=age_on(dob, legs[screened].departure.date()),
        gender=_GENDERS.get((gender or "U")[:1].upper(), Gender.U),
    )


def api_facts(flight: FlightInfo, api: ApiPerson, trips: tuple[PastTrip, ...] = ()) -> TravelFacts:
    """The facts of an API passenger no booking is linked to: the flight, the
    documents, the bags; the booking facts stay unknown."""
    issued, expires, visa = _document(api.documents)
    bag_count, bag_weight = _bags([{"count": api.bag_count, "weight": api.bag_weight,
                                    "unit": api.bag_unit}])  # fmt: skip
    return TravelFacts(
        legs=(flight.leg(),),
        bag_count=bag_count if bag_count is not None else 0,
        bag_weight_kg=bag_weight,
        check_in_status=CheckInStatus.CHECKED_IN,
        past_trips=trips,
        document_issued=issued,
        document_expires=expires,
        visa_present=visa,
        nationality=api.nationality,
        age=age_on(api.dob, flight.flight_date),
        gender=_GENDERS.get((api.gender or "U")[:1].upper(), Gender.U),
    )


def seat_changes(seats: list[str | None]) -> int:
    """How often the seat changed from one version to the next (a seat given where
    there was none is an assignment, not a change)."""
    changes, last = 0, None
    for seat in seats:
        if seat is None:
            continue
        if last is not None and seat != last:
            changes += 1
        last = seat
    return changes


def seat_of(data: dict[str, Any], seq: int) -> str | None:
    """The traveller's seat in one version: the one given at check-in, else the one
    requested."""
    travellers = data.get("travellers") or []
    if not 0 < seq <= len(travellers):
        return None
    seats = travellers[seq - 1].get("seats") or []
    actual = [str(s["seat"]) for s in seats if s.get("source") == "actual" and s.get("seat")]
    requested = [str(s["seat"]) for s in seats if s.get("seat")]
    return (actual or requested or [None])[0]

