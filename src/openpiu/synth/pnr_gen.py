"""PNR pushes that agree with a flight's API manifest (for samples, tests, benches).

The bookings are built from the manifest's travellers: one booking per record
locator (RFF AVF), travellers with the title glued to the given name as booking
systems write it, passports from the API documents, a ticket and a payment each,
the requested seat.  The synthetic-traffic generator of a later issue extends
this; what is here is deterministic (``random.Random(seed)``) and small.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timedelta

from openpiu.model import (
    Bag,
    BookedTraveller,
    Booking,
    Contact,
    Envelope,
    ItinerarySegment,
    Manifest,
    Originator,
    Payment,
    PnrPush,
    PushKind,
    Role,
    Seat,
    SpecialService,
    Ticket,
    Traveller,
)

_AGENCIES = [
    ("1A", "IST", "33112244", "T"),
    ("1S", "DYU", "76540021", "T"),
    (None, None, None, "A"),
]


def push_for(
    manifest: Manifest, hours_before: int, seed: int = 1, kind: PushKind = PushKind.FULL
) -> PnrPush:
    """The bookings of the manifest's passengers, pushed ``hours_before`` departure."""
    flight = manifest.flight
    assert flight is not None and flight.legs and flight.legs[0].departure_local
    rng = random.Random(seed)
    departure = flight.legs[0].departure_local
    groups: dict[str, list[Traveller]] = defaultdict(list)
    for t in manifest.travellers:
        if t.role is Role.PASSENGER and t.record_locator:
            groups[t.record_locator].append(t)
    leg = flight.legs[0]
    segment = ItinerarySegment(
        flight.carrier,
        flight.number,
        leg.departure_airport,
        leg.arrival_airport,
        leg.departure_local,
        leg.departure_utc,
        leg.arrival_local,
        leg.arrival_utc,
        "Y",
        "HK",
        equipment="738",
    )
    bookings = [
        _booking(locator, travellers, segment, departure, rng, flight.carrier)
        for locator, travellers in sorted(groups.items())
    ]
    sent = departure - timedelta(hours=hours_before)
    envelope = Envelope(
        syntax="IATA:1",
        sender=flight.carrier,
        recipient="TJPIUPNR",
        prepared_at=sent,
        interchange_ref=sent.strftime("%y%m%d%H%M"),
        message_ref="1",
    )
    return PnrPush(
        envelope,
        kind,
        flight,
        Originator(flight.carrier, leg.departure_airport),
        declared_bookings=len(bookings),
        bookings=bookings,
    )


def _booking(
    locator: str,
    travellers: list[Traveller],
    segment: ItinerarySegment,
    departure: datetime,
    rng: random.Random,
    carrier: str,
) -> Booking:
    created = departure - timedelta(days=rng.randint(2, 60), minutes=rng.randint(0, 1440))
    system, office, agency, kind = rng.choice(_AGENCIES)
    originator = Originator(
        system or carrier,
        office or segment.departure_airport,
        agency or f"{carrier}HDQ",
        None,
        kind,
    )
    paid_by_card = rng.random() < 0.7
    people = []
    for n, t in enumerate(travellers, 1):
        title = ("MR" if t.gender == "M" else "MRS") if n == 1 or rng.random() < 0.8 else "MS"
        first = t.given_names.split(" ")[0] if t.given_names else ""
        person = BookedTraveller(
            ref=str(n),
            surname=t.surname.replace("'", ""),
            given_names=first,
            raw_given_names=f"{first}{title}",
            title=title,
            passenger_type="A",
            dob=t.dob,
            gender=t.gender,
            nationality=t.nationality,
            documents=[d for d in t.documents if d.doc_type == "P"],
        )
        if t.seat:
            person.seats.append(Seat(t.seat, segment.route))
        ticket = f"{rng.randint(100, 999)}{rng.randint(10**9, 10**10 - 1)}"
        fare = float(rng.randrange(120, 900, 5))
        person.tickets.append(
            Ticket(
                ticket,
                "T",
                created + timedelta(hours=1),
                fare,
                fare * 1.2,
                "USD",
                [(round(fare * 0.2, 2), "YQ")],
                "YOW",
            )
        )
        if paid_by_card:
            number = "4" + "".join(str(rng.randint(0, 9)) for _ in range(15))
            person.payments.append(
                Payment("card", "CC", "VI", number[-4:], card_number=number, card_expiry="0928")
            )
        else:
            person.payments.append(Payment("cash", "CA"))
        if t.bag_count:
            person.bags.append(
                Bag(
                    t.bag_count,
                    t.bag_weight,
                    t.bag_weight_unit or "KGM",
                    "HP",
                    [(tag, count, segment.arrival_airport) for tag, count in t.bag_tags],
                    segment.route,
                )
            )
        people.append(person)
    contact = next((c for t in travellers for c in t.contacts if c.kind == "phone"), None)
    return Booking(
        record_locator=locator,
        reservation_system=carrier,
        locators=[(carrier, locator)],
        created_at=created,
        last_modified=created,
        originator=originator,
        travellers=people,
        itinerary=[segment],
        contacts=[Contact("phone", contact.value)] if contact else [],
    )


def with_changes(push: PnrPush, hours_before: int, seed: int = 2) -> PnrPush:
    """A later update push: some seats changed, a bag added, and (to show the
    privacy filter at work) one booking that asked for a religious meal."""
    rng = random.Random(seed)
    flight = push.flight
    assert flight is not None and flight.legs and flight.legs[0].departure_local
    sent = flight.legs[0].departure_local - timedelta(hours=hours_before)
    changed = []
    for booking in push.bookings[: max(1, len(push.bookings) // 4)]:
        b = replace(
            booking,
            travellers=[
                replace(t, seats=list(t.seats), bags=list(t.bags), services=list(t.services))
                for t in booking.travellers
            ],
            last_modified=sent - timedelta(hours=1),
        )
        first = b.travellers[0]
        first.seats = [Seat(f"{rng.randint(3, 30)}{rng.choice('ABCDEF')}", b.itinerary[0].route)]
        if rng.random() < 0.5:
            first.bags.append(Bag(1, 23.0, "KGM", "HP", [], b.itinerary[0].route))
        changed.append(b)
    if changed:
        changed[0].travellers[0].services.append(SpecialService("MOML", "HK", None, flight.carrier))
    envelope = replace(push.envelope, prepared_at=sent, interchange_ref=sent.strftime("%y%m%d%H%M"))
    return PnrPush(
        envelope,
        PushKind.UPDATE,
        flight,
        push.sender,
        declared_bookings=len(changed),
        bookings=changed,
    )
