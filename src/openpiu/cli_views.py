"""Terminal renderings of the read models (``piu flights``, ``flight``, ``messages``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from openpiu import audit
from openpiu.accounts import Actor
from openpiu.errors import NotFoundError
from openpiu.store import bookings as booking_repo
from openpiu.store import db, pnr_queries, queries


def _local(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "?"


def print_flights(out: Console, engine: Engine) -> None:
    with engine.connect() as conn:
        rows = queries.list_flights(conn)
    if not rows:
        out.print("no flights yet: piu ingest FILE...")
        return
    for f in rows:
        route = f"{f.origin or '?'}-{f.destination or '?'}"
        out.print(
            f"{f.key}  {f.designator}  {route}  dep {_local(f.departure_local)} local  "
            f"{f.status}  {f.passengers + f.crew} traveller(s) ({f.passengers} passenger(s), "
            f"{f.crew} crew)  {f.versions} version(s)",
            markup=False,
        )


def print_flight(out: Console, engine: Engine, flight_id: str, actor: Actor) -> None:
    with db.writer(engine).begin() as conn:
        flight = queries.find_flight(conn, flight_id)
        legs = queries.flight_legs(conn, flight["id"])
        rows = queries.manifest(conn, flight["id"])
        versions = queries.versions(conn, flight["id"])
        bookings = pnr_queries.flight_bookings(conn, flight["id"])
        links = pnr_queries.flight_link_status(conn, flight["id"])
        # Reading a manifest is a look at personal data: it is audited.
        audit.record(
            conn,
            actor,
            "flight.manifest.view",
            target_kind="flight",
            target_ids=[flight["id"]],
            details={"travellers": len(rows)},
        )
    key = queries.flight_key(flight["carrier"], flight["number"], flight["flight_date"])
    out.print(f"[bold]{key}[/bold]  {flight['designator']}  status {flight['status']}")
    for leg in legs:
        dep_utc, arr_utc = db.as_utc(leg["departure_utc"]), db.as_utc(leg["arrival_utc"])
        out.print(
            f"  {leg['departure_airport']} {_local(leg['departure_local'])} local"
            f" ({_local(dep_utc)} UTC) -> {leg['arrival_airport']} "
            f"{_local(leg['arrival_local'])} local ({_local(arr_utc)} UTC)",
            markup=False,
        )
    table = Table(title=f"manifest: {len(rows)} traveller(s)", title_justify="left")
    for column in (
        "surname",
        "given names",
        "role",
        "status",
        "sex",
        "born",
        "nat.",
        "seat",
        "PNR",
        "documents",
    ):
        table.add_column(column, overflow="fold")
    for r in rows:
        docs = "\n".join(
            f"{d['type']} {d['number']} {d['issuing_country'] or '?'}"
            + (f" exp {d['expiry']}" if d["expiry"] else "")
            for d in r.documents
        )
        role = r.role + (" (transit)" if r.in_transit else "")
        table.add_row(
            r.surname,
            r.given_names,
            role,
            r.status,
            r.gender or "",
            str(r.dob or ""),
            r.nationality or "",
            r.seat or "",
            r.record_locator or "",
            docs,
        )
    out.print(table)
    _print_flight_bookings(out, bookings, links)
    out.print(f"history: {len(versions)} version(s), in the sender's order")
    for v in versions:
        sub = f" {v['document_subcode']}" if v["document_subcode"] else ""
        out.print(
            f"  message {v['message_id']}: BGM {v['document_code']}{sub} ({v['action']}, "
            f"{v['list_role']} list) sent {_local(v['sent_at'])}, {v['travellers']} traveller(s)"
            + (f", {v['parts']} parts" if v["parts"] > 1 else ""),
            markup=False,
        )


def print_messages(out: Console, engine: Engine, status: str | None, limit: int) -> None:
    with engine.connect() as conn:
        counts = queries.message_counts(conn)
        rows = queries.list_messages(conn, status, limit)
    for r in rows:
        line = (
            f"{r['id']:>6}  {r['kind']:<10} {r['status']:<11} {_local(r['received_at'])} UTC"
            f"  {r['channel']}:{r['sender'] or '-'}  {r['size']} bytes"
        )
        if r["part_number"] and (r["part_number"] > 1 or not r["final_part"]):
            line += f"  part {r['part_number']}{'' if r['final_part'] else ' (more follow)'}"
        if r["reason"]:
            line += f"  reason: {r['reason']}"
        if r["position"]:
            line += f" (at {r['position']})"
        if r["warnings"]:
            line += f"  {len(r['warnings'])} warning(s)"
        out.print(line, markup=False)
    out.print(
        f"received {counts['received']} = processed {counts['processed']} + duplicate "
        f"{counts['duplicate']} + quarantined {counts['quarantined']}"
        + (f" + held {counts['held']}" if counts["held"] else "")
        + (f" + pending {counts['pending']}" if counts["pending"] else "")
        + f"; rejected before the vault: {counts['rejected']}",
        markup=False,
    )


def print_parsed_pnr(out: Console, result: dict[str, Any]) -> None:
    for flight in result["flights"]:
        out.print(
            f"flight {flight['id']} ({flight['designator']}) "
            f"{flight['origin'] or '?'}-{flight['destination'] or '?'}",
            markup=False,
        )
    for detail in result["message_details"]:
        out.print(
            f"push {detail['push_kind']} of {detail['prepared_at'] or '?'}: "
            f"{detail['bookings']} booking(s)",
            markup=False,
        )
    for b in result["bookings"]:
        names = ", ".join(f"{t['surname']}/{t['given_names']}" for t in b["travellers"])
        route = " ".join(
            f"{s['carrier'] or ''}{s['number'] or ''} "
            f"{s['departure_airport']}-{s['arrival_airport']}"
            for s in b["itinerary"]
        )
        out.print(
            f"  {b['record_locator']}: {len(b['travellers'])} traveller(s) ({names}); {route}",
            markup=False,
        )
    for warning in result["warnings"]:
        out.print(f"warning: {warning}", markup=False)


def print_booking(out: Console, engine: Engine, locator: str, actor: Actor) -> None:
    with db.writer(engine).begin() as conn:
        found = pnr_queries.find_bookings(conn, locator)
        if not found:
            raise NotFoundError(f"no booking with record locator {locator.upper()}")
        views = []
        for b in found:
            views.append(
                (
                    b,
                    pnr_queries.locators_of(conn, b["id"]),
                    booking_repo.versions_of(conn, b["id"]),
                    pnr_queries.booking_flight_states(conn, b["id"]),
                )
            )
        audit.record(
            conn,
            actor,
            "booking.view",
            target_kind="booking",
            target_ids=[b["id"] for b in found],
            details={"versions": sum(len(v[2]) for v in views)},
        )
    for booking, locators, versions, states in views:
        created = booking["created_on"] or "creation date not sent"
        others = ", ".join(f"{s or '?'}:{loc}" for s, loc in locators)
        out.print(
            f"[bold]{booking['record_locator']}[/bold] ({booking['reservation_system'] or '?'},"
            f" {created}); locators {others}"
        )
        for state in states:
            key = queries.flight_key(state["carrier"], state["number"], state["flight_date"])
            out.print(
                f"  on {key} {state['origin'] or '?'}-{state['destination'] or '?'}: "
                f"{state['status']}",
                markup=False,
            )
        if not versions:
            continue
        latest = versions[-1]["data"]
        _print_booking_data(out, latest)
        out.print(f"  versions: {len(versions)}, in the sender's order", markup=False)
        previous = None
        for v in versions:
            out.print(
                f"    {v['push_kind']} push sent {_local(v['sent_at'])} (message "
                f"{v['message_id']}): {v['travellers']} traveller(s)",
                markup=False,
            )
            if previous is not None:
                for change in booking_repo.changes(previous, v["data"])[:40]:
                    out.print(f"      {change}", markup=False)
            previous = v["data"]


def _print_booking_data(out: Console, data: dict[str, Any]) -> None:
    origin = data.get("originator") or {}
    if origin:
        out.print(
            f"  booked by {origin.get('kind') or '?'} {origin.get('system') or ''} "
            f"{origin.get('location') or ''} agency {origin.get('agency_id') or '-'}",
            markup=False,
        )
    for seg in data["itinerary"]:
        out.print(
            f"  {seg['carrier'] or ''}{seg['number'] or ''} {seg['departure_airport']}-"
            f"{seg['arrival_airport']} {seg['departure_local'] or ''} {seg['status'] or ''}",
            markup=False,
        )
    for t in data["travellers"]:
        docs = "; ".join(
            f"{d['doc_type']} {d['number']} {d['issuing_country'] or '?'}" for d in t["documents"]
        )
        seats = ", ".join(f"{s['seat']} ({s['source']})" for s in t["seats"])
        tickets = ", ".join(k["number"] for k in t["tickets"])
        pays = ", ".join(
            f"{p['method']} {p['card_brand'] or ''} {p['card_last4'] or ''}".strip()
            for p in t["payments"]
        )
        out.print(
            f"  traveller {t['surname']}/{t['given_names']} {t['title'] or ''} born "
            f"{t['dob'] or '?'} {t['nationality'] or ''}; documents {docs or '-'}; "
            f"seats {seats or '-'}; tickets {tickets or '-'}; payment {pays or '-'}",
            markup=False,
        )
    for c in data["contacts"]:
        out.print(f"  contact {c['kind']} {c['value']}", markup=False)
    for p in data["payments"]:
        out.print(
            f"  payment {p['method']} {p['card_brand'] or ''} {p['card_last4'] or ''}", markup=False
        )


def _print_flight_bookings(
    out: Console, bookings: list[dict[str, Any]], links: dict[str, list[dict[str, Any]]]
) -> None:
    if not bookings:
        return
    on_flight = sum(1 for b in bookings if b["status"] == "on_flight")
    out.print(
        f"bookings: {on_flight} on the flight, {len(bookings) - on_flight} left or cancelled",
        markup=False,
    )
    for b in bookings:
        if b["status"] != "on_flight":
            out.print(f"  {b['record_locator']}: {b['status']}", markup=False)
    unlinked = [p for p in links["pnr"] if p["linked_to"] is None]
    linked = len(links["pnr"]) - len(unlinked)
    out.print(f"PNR travellers linked to API: {linked} of {len(links['pnr'])}", markup=False)
    for p in unlinked:
        out.print(
            f"  not in API: {p['surname']}/{p['given_names']} (booking {p['record_locator']})",
            markup=False,
        )
    for a in links["api_unlinked"]:
        out.print(f"  API traveller without a PNR: {a['surname']}/{a['given_names']}", markup=False)
