"""Domain objects as plain JSON-ready dicts (CLI ``--json`` today, the API later)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from operator import attrgetter
from typing import Any

from openpiu.model import Booking, Envelope, Flight, Manifest, ParsedFile, PnrPush, Traveller


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def flight_json(flight: Flight) -> dict[str, Any]:
    return {
        "id": flight.key,
        "carrier": flight.carrier,
        "number": flight.number,
        "designator": flight.designator,
        "date": iso(flight.flight_date),
        "origin": flight.origin,
        "destination": flight.destination,
        "legs": [
            {
                "departure_airport": leg.departure_airport,
                "arrival_airport": leg.arrival_airport,
                "departure_local": iso(leg.departure_local),
                "departure_utc": iso(leg.departure_utc),
                "arrival_local": iso(leg.arrival_local),
                "arrival_utc": iso(leg.arrival_utc),
            }
            for leg in flight.legs
        ],
    }


def traveller_json(t: Traveller, flight: Flight | None, message_ref: str | None) -> dict[str, Any]:
    return {
        "surname": t.surname,
        "given_names": t.given_names,
        "dob": iso(t.dob),
        "gender": t.gender,
        "nationality": t.nationality,
        "role": t.role.value,
        "in_transit": t.in_transit,
        "residence_country": t.residence_country,
        "place_of_birth": t.place_of_birth,
        "birth_country": t.birth_country,
        "address": asdict(t.address) if t.address else None,
        "contacts": [{"kind": c.kind, "value": c.value} for c in t.contacts],
        "embarkation": t.embarkation,
        "debarkation": t.debarkation,
        "clearance": t.clearance,
        "documents": [
            {
                "type": d.doc_type,
                "number": d.number,
                "issuing_country": d.issuing_country,
                "expiry": iso(d.expiry),
                "issue_date": iso(d.issue_date),
            }
            for d in t.documents
        ],
        "seat": t.seat,
        "record_locator": t.record_locator,
        "passenger_ref": t.passenger_ref,
        "government_ref": t.government_ref,
        "frequent_flyer": t.frequent_flyer,
        "ticket": t.ticket,
        "bags": {
            "count": t.bag_count,
            "weight": t.bag_weight,
            "unit": t.bag_weight_unit,
            "tags": [{"first_tag": tag, "count": n} for tag, n in t.bag_tags],
        },
        "verified": t.verified,
        "crew_role": t.crew_role,
        "flight": flight.key if flight else None,
        "message": message_ref,
    }


def envelope_json(env: Envelope) -> dict[str, Any]:
    return {
        "message_ref": env.message_ref,
        "message_type": env.message_type,
        "sender": env.sender,
        "recipient": env.recipient,
        "prepared_at": iso(env.prepared_at),
        "interchange_ref": env.interchange_ref,
        "common_access_ref": env.common_access_ref,
        "part": env.part_number,
        "final_part": env.final_part,
    }


def manifest_json(m: Manifest) -> dict[str, Any]:
    return {
        **envelope_json(m.envelope),
        "document_code": m.document_code,
        "document_subcode": m.document_subcode,
        "action": m.action.value,
        "transaction_ref": m.transaction_ref,
        "reporting_party": m.reporting_party.name if m.reporting_party else None,
        "flight": m.flight.key if m.flight else None,
        "declared_passengers": m.declared_passengers,
        "declared_crew": m.declared_crew,
        "travellers": len(m.travellers),
        "legacy_us_edifact": m.legacy,
    }


def parsed_json(parsed: ParsedFile) -> dict[str, Any]:
    """The ``piu parse --json`` object: kind, messages, flights, travellers, warnings."""
    flights: dict[str, dict[str, Any]] = {}
    travellers: list[dict[str, Any]] = []
    warnings = list(parsed.warnings)
    for m in parsed.manifests:
        if m.flight is not None and m.flight.key not in flights:
            flights[m.flight.key] = flight_json(m.flight)
        travellers.extend(traveller_json(t, m.flight, m.envelope.message_ref) for t in m.travellers)
        prefix = f"message {m.envelope.message_ref}: " if len(parsed.manifests) > 1 else ""
        warnings.extend(prefix + w for w in m.warnings)
    return {
        "kind": parsed.kind.value,
        "messages": len(parsed.manifests),
        "message_details": [manifest_json(m) for m in parsed.manifests],
        "flights": list(flights.values()),
        "travellers": travellers,
        "warnings": warnings,
    }


_PLAIN = frozenset((str, int, float, bool, type(None)))  # exact types: a StrEnum is not
_CONVERTERS: dict[type, Callable[[Any], Any]] = {}


def jsonable(value: Any) -> Any:
    """Dataclasses, lists, tuples, dates and enums -> plain JSON values.

    Called for every field of every booking stored, so each type's converter is
    chosen once and kept: plain values pass through, dataclasses map their fields."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _CONVERTERS[kind] = _converter_for(kind)
    return convert(value)


def _converter_for(kind: type) -> Callable[[Any], Any]:
    if kind is list or kind is tuple:
        return lambda items: [v if type(v) in _PLAIN else jsonable(v) for v in items]
    if issubclass(kind, Enum):
        return lambda member: member.value
    if issubclass(kind, date):  # datetime is a date too
        return lambda moment: moment.isoformat()
    if is_dataclass(kind):
        names = tuple(f.name for f in fields(kind))
        values_of = attrgetter(*names)  # every field in one C call

        def record(obj: Any) -> dict[str, Any]:
            values = values_of(obj) if len(names) > 1 else (values_of(obj),)
            return {
                name: item if type(item) in _PLAIN else jsonable(item)
                for name, item in zip(names, values, strict=True)
            }

        return record
    return lambda other: other


def booking_json(booking: Booking) -> dict[str, Any]:
    """A (filtered) booking; the card number field is never present."""
    data: dict[str, Any] = jsonable(booking)
    for payment in data["payments"] + [p for t in data["travellers"] for p in t["payments"]]:
        payment.pop("card_number", None)
    return data


# Fields never written out, whatever the object: a card number lives only between
# the parser and the privacy filter.
_NEVER_SERIALISED = frozenset({"card_number"})
_DEFAULTS: dict[type, Callable[[Any], Any]] = {}


def _json_default(obj: Any) -> Any:
    """For json.dumps: a dataclass as the dict of its fields, a date as ISO text.
    The C encoder does the rest (lists, strings, numbers, str-based enums); the
    conversion is chosen once per type, as this runs for every date and record."""
    kind = type(obj)
    convert = _DEFAULTS.get(kind)
    if convert is None:
        convert = _DEFAULTS[kind] = _default_for(kind)
    return convert(obj)


def _default_for(kind: type) -> Callable[[Any], Any]:
    if is_dataclass(kind):
        names = tuple(f.name for f in fields(kind) if f.name not in _NEVER_SERIALISED)
        values_of = attrgetter(*names)
        if len(names) == 1:
            return lambda obj: {names[0]: values_of(obj)}
        return lambda obj: dict(zip(names, values_of(obj), strict=True))
    if issubclass(kind, date):
        return lambda moment: moment.isoformat()
    if issubclass(kind, Enum):
        return lambda member: member.value

    def refuse(obj: Any) -> Any:
        raise TypeError(f"{kind.__name__} is not serialisable")

    return refuse


def booking_json_text(booking: Booking) -> str:
    """A (filtered) booking as JSON text, straight from the objects (the store's hot
    path: no intermediate tree of dicts)."""
    return json.dumps(booking, default=_json_default, ensure_ascii=False)


def push_json(push: PnrPush) -> dict[str, Any]:
    return {
        **envelope_json(push.envelope),
        "push_kind": push.kind.value,
        "flight": push.flight.key if push.flight else None,
        "declared_bookings": push.declared_bookings,
        "bookings": len(push.bookings),
        "xml": push.xml,
    }


def parsed_pnr_json(parsed: ParsedFile) -> dict[str, Any]:
    """The ``piu parse --json`` object for PNRGOV (after the privacy filter)."""
    flights: dict[str, dict[str, Any]] = {}
    bookings: list[dict[str, Any]] = []
    warnings = list(parsed.warnings)
    for push in parsed.pushes:
        if push.flight is not None and push.flight.key not in flights:
            flights[push.flight.key] = flight_json(push.flight)
        for booking in push.bookings:
            item = booking_json(booking)
            item["flight"] = push.flight.key if push.flight else None
            item["push_kind"] = push.kind.value
            bookings.append(item)
            warnings.extend(f"booking {booking.record_locator}: {w}" for w in booking.warnings)
        warnings.extend(push.warnings)
    return {
        "kind": "pnrgov",
        "format": "xml" if any(p.xml for p in parsed.pushes) else "edifact",
        "messages": len(parsed.pushes),
        "message_details": [push_json(p) for p in parsed.pushes],
        "flights": list(flights.values()),
        "bookings": bookings,
        "travellers": sum(len(b["travellers"]) for b in bookings),
        "warnings": warnings,
    }
