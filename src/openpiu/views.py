"""Domain objects as plain JSON-ready dicts (CLI ``--json`` today, the API later)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from openpiu.model import Flight, Manifest, ParsedFile, Traveller


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


def manifest_json(m: Manifest) -> dict[str, Any]:
    env = m.envelope
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
