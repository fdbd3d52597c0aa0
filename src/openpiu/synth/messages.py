"""A :class:`~openpiu.synth.traffic.FlightPlan` as the messages a carrier sends.

PNRGOV pushes at T-72 (full), T-24 (update: changed and new bookings only) and
closure (full, with check-in), and PAXLST at closure: the passenger list and the
crew list.  Only model objects are built here; the writers of
:mod:`openpiu.formats` make the bytes.  The PNRGOV EDIFACT pushes are the
exception: :mod:`openpiu.synth.pnr_edi` writes them straight from the plan (the
same bytes, without this model), and uses :func:`select` from here so both agree
on what each push carries.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from openpiu.model import (
    Bag,
    BookedTraveller,
    Booking,
    CheckIn,
    Contact,
    Envelope,
    FrequentFlyer,
    HistoryItem,
    ItinerarySegment,
    ListAction,
    Manifest,
    Originator,
    Payment,
    PnrPush,
    PushKind,
    ReportingParty,
    Role,
    Seat,
    Ticket,
    TravelDocument,
    Traveller,
)
from openpiu.synth.people import Person
from openpiu.synth.traffic import FlightPlan, Party, Pax, Traffic

STAGES = ("T-72", "T-24", "close")


def _segment(plan: FlightPlan, status: str = "HK") -> ItinerarySegment:
    f, leg = plan.flight, plan.flight.legs[0]
    return ItinerarySegment(f.carrier, f.number, leg.departure_airport, leg.arrival_airport,
                            leg.departure_local, leg.departure_utc, leg.arrival_local,
                            leg.arrival_utc, "Y", status, equipment=plan.route.equipment)


def select(plan: FlightPlan, stage: str) -> tuple[datetime, PushKind, list[Party],
                                                  datetime | None]:  # fmt: skip
    """When the push of ``stage`` is sent, its kind, the bookings it carries and the
    horizon of the booking history it shows (None: all of it)."""
    dep = plan.departure
    t72, t24 = dep - timedelta(hours=72), dep - timedelta(hours=24)
    if stage == "T-72":
        return t72, PushKind.FULL, [p for p in plan.parties if p.created <= t72], t72
    if stage == "T-24":
        chosen = [p for p in plan.parties if p.created <= t24 and (
            p.created > t72 or (p.modified is not None and t72 < p.modified <= t24))]
        return t24, PushKind.UPDATE, chosen, t24
    return dep + timedelta(minutes=10), PushKind.FULL, [
        p for p in plan.parties if not p.cancelled], None


def push(plan: FlightPlan, stage: str, recipient: str, ref: str, *,
         slashes: bool = False) -> tuple[PnrPush, list[Party]]:  # fmt: skip
    """The push of ``stage`` and the bookings it carries.  ``slashes`` writes
    e-mails with ``//`` for ``@``, as some reservation systems do (a quirk).
    :mod:`openpiu.synth.pnr_edi` writes the same EDIFACT without this model."""
    sent, kind, chosen, horizon = select(plan, stage)
    # One itinerary segment per status for the whole push: the writers only read it.
    segments = {status: _segment(plan, status) for status in ("HK", "HX")}
    bookings = [_booking(plan, p, stage, slashes, segments, horizon) for p in chosen]
    flight = plan.flight
    env = Envelope(syntax="IATA:1", sender=flight.carrier, recipient=recipient,
                   prepared_at=sent, interchange_ref=ref, message_ref="1")  # fmt: skip
    sender = Originator(flight.carrier, flight.origin)
    return PnrPush(env, kind, flight, sender, declared_bookings=len(bookings),
                   bookings=bookings), chosen  # fmt: skip


def _booking(plan: FlightPlan, party: Party, stage: str, slashes: bool,
             segments: dict[str, ItinerarySegment],
             horizon: datetime | None) -> Booking:  # fmt: skip
    close = stage == "close"
    seg = segments["HX" if party.cancelled else "HK"]
    route = seg.route
    carrier = plan.carrier
    a = party.agency
    if a is not None:
        org = Originator(a.system, a.location, a.iata_number, a.location, "T",
                         None, None, "AG" + a.iata_number[-4:])  # fmt: skip
    else:
        org = Originator(carrier.system, plan.flight.origin, carrier.code + "HDQ"
                         if party.channel == "airline" else carrier.code + "WEB", None, "A")
    contacts = []
    if party.phone:
        contacts.append(Contact("phone", party.phone))
    if party.email:
        contacts.append(Contact("email", party.email.replace("@", "//") if slashes
                                else party.email))  # fmt: skip
    itinerary = [seg]
    if party.before or party.after:  # a connection: every leg of the journey, in order
        itinerary = [*(connecting(s, party) for s in party.before), seg,
                     *(connecting(s, party) for s in party.after)]  # fmt: skip
    booking = Booking(party.locator, carrier.system, [(carrier.system, party.locator)],
                      party.created, party.modified, party.created + timedelta(minutes=20),
                      org, contacts=contacts, itinerary=itinerary)  # fmt: skip
    for n, p in enumerate(party.pax, 1):
        if p.status == "cancelled" and (close or not party.cancelled):
            continue  # a cancelled traveller leaves the booking
        booking.travellers.append(_traveller(plan, party, p, str(n), route, close))
    for at, what, _pid in party.changes:
        if horizon is None or at <= horizon:
            booking.history.append(HistoryItem("X" if "cancel" in what else "A", at,
                                               f"IFT {what.upper().replace('_', ' ')}"))
    return booking


def connecting(segment: ItinerarySegment, party: Party) -> ItinerarySegment:
    """A connection's other leg as the push carries it: cancelled with the booking."""
    return replace(segment, status="HX") if party.cancelled else segment


def _traveller(plan: FlightPlan, party: Party, p: Pax, ref: str, route: str,
               close: bool) -> BookedTraveller:  # fmt: skip
    person = p.person
    t = BookedTraveller(ref, p.surname, p.given[: -len(p.title)] if p.title else p.given,
                        p.given, p.title or None, p.ptype, person.dob, person.gender,
                        person.nationality, [person.passport])  # fmt: skip
    if person.ff and person.ff_carrier == plan.carrier.code:
        t.frequent_flyers.append(FrequentFlyer(plan.carrier.code, person.ff))
    t.unique_ref = p.ticket[-8:]
    if p.seat_requested:
        t.seats.append(Seat(p.seat, route))
    steady = _STEADY.get(id(p))
    if steady is None or steady[0] is not p:
        steady = _steady(plan, party, p)
    t.tickets.append(steady[1])
    t.payments.append(steady[2])
    if p.bags and not close:
        t.bags.append(Bag(p.bags, None, "KGM", "HP" if ref == "1" else "MP", []))
    if close and p.status == "boarded":
        assert p.checkin is not None
        t.checkins.append(CheckIn(route, p.checkin, f"{p.sequence:03d}", "boarded", "CKI01"))
        t.seats.append(Seat(p.seat, route, "actual"))
        if p.bags:
            tags = [(p.tag, p.bags, plan.flight.destination)] if p.tag else []
            t.bags.append(Bag(p.bags, float(p.bags * 21 + p.sequence % 3), "KGM",
                              "HP" if ref == "1" else "MP", tags, route))  # fmt: skip
    return t


# A traveller's ticket and payment do not change between the T-72, T-24 and
# closure pushes: built once and shared (the writers only read the model), which
# also lets the PNRGOV writer reuse their rendered segments.  Keyed by id() with
# the Pax kept, so a recycled id is never mistaken for it.
_STEADY: dict[int, tuple[Pax, Ticket, Payment]] = {}


def _steady(plan: FlightPlan, party: Party, p: Pax) -> tuple[Pax, Ticket, Payment]:
    if len(_STEADY) >= 20_000:
        _STEADY.clear()
    steady = _STEADY[id(p)] = (p, ticket(plan, party, p), payment(party, p))
    return steady


def ticket(plan: FlightPlan, party: Party, p: Pax) -> Ticket:
    """A traveller's ticket, issued 20 minutes after the booking was made."""
    return Ticket(p.ticket, "T", party.created + timedelta(minutes=20), p.fare,
                  round(p.fare * 1.18, 2), "USD", [(round(p.fare * 0.18, 2), "YQ")],
                  "YOW" if plan.route.migrant else "YLOW", plan.carrier.code,
                  party.agency.location if party.agency else plan.flight.origin)


def payment(party: Party, p: Pax) -> Payment:
    """How a traveller's ticket was paid (by card, in cash or through the agency)."""
    amount = round(p.fare * 1.18, 2)
    if party.payment == "card" and party.card:
        return Payment("card", "CC", "VI", party.card[-4:], card_number=party.card,
                       card_expiry="0928", amount=amount, currency="USD")  # fmt: skip
    if party.payment == "agency":
        return Payment("miscellaneous", "MS", amount=amount, currency="USD")
    return Payment("cash", "CA", amount=amount, currency="USD")


def passenger_list(traffic: Traffic, plan: FlightPlan, recipient: str, ref: str,
                   sent: datetime) -> Manifest:  # fmt: skip
    travellers = []
    flight = plan.flight
    for party in plan.parties:
        for p in party.pax:
            if p.status != "boarded":
                continue
            t = _api(p.person, Role.PASSENGER, plan)
            n = p.person.name
            if not t.verified:  # typed by an agent from the booking, not read from the MRZ
                t.surname, t.given_names = n.booking_surname, n.booking_given
            t.record_locator, t.seat = party.locator, p.seat
            t.passenger_ref = f"{flight.designator}{p.sequence:03d}"
            if p.bags:
                t.bag_count, t.bag_weight, t.bag_weight_unit = p.bags, float(p.bags * 21), "KGM"
                if p.tag:
                    t.bag_tags = [(p.tag, p.bags)]
            visa = traffic.visa_country(p.person, plan)
            if visa:
                issued = sent.date() - timedelta(days=20 + p.sequence % 60)
                t.documents.append(TravelDocument("V", visa[:2] + p.ticket[-7:], visa,
                                                  issued + timedelta(days=90), issued))
            travellers.append(t)
    return _manifest(plan, travellers, "745", recipient, ref, sent, len(travellers), 0)


def crew_list(plan: FlightPlan, recipient: str, ref: str, sent: datetime) -> Manifest:
    travellers = []
    for person, role in plan.crew:
        t = _api(person, Role.CREW, plan)
        t.crew_role = role
        travellers.append(t)
    return _manifest(plan, travellers, "250", recipient, ref, sent, 0, len(travellers))


def _api(person: Person, role: Role, plan: FlightPlan) -> Traveller:
    n, f = person.name, plan.flight
    verified = role is Role.CREW or (int(person.pid[1:]) * 7919) % 100 >= 7
    return Traveller(
        role, n.passport_surname, n.passport_given, False, person.gender, person.dob,
        person.nationality, person.residence, person.birth_place,
        person.nationality if person.birth_place else None,
        embarkation=f.origin, debarkation=f.destination, clearance=f.destination,
        documents=[person.passport], verified=verified,
    )  # fmt: skip


def _manifest(plan: FlightPlan, travellers: list[Traveller], code: str, recipient: str,
              ref: str, sent: datetime, n_pax: int, n_crew: int) -> Manifest:  # fmt: skip
    f = plan.flight
    env = Envelope(syntax="UNOA:4", sender=f"{f.carrier}APIS", recipient=recipient,
                   prepared_at=sent, interchange_ref=ref, application_ref="APIS",
                   message_ref=f"PAX{ref.lstrip('0') or '0'}",
                   message_type="PAXLST:D:05B:UN:IATA")  # fmt: skip
    party = ReportingParty(f"{plan.carrier.name} API DESK")
    return Manifest(env, code, None, ListAction.FULL, f, travellers,
                    f"{f.designator}{f.flight_date:%d%m%y}" if f.flight_date else None,
                    party, n_pax, n_crew)  # fmt: skip

