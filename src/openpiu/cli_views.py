"""Terminal renderings of the read models (``piu flights``, ``flight``, ``messages``)."""

from __future__ import annotations

from datetime import datetime

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from openpiu import audit
from openpiu.accounts import Actor
from openpiu.store import db, queries


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
            f"{f.status}  {f.passengers} passenger(s)  {f.crew} crew  {f.versions} version(s)",
            markup=False,
        )


def print_flight(out: Console, engine: Engine, flight_id: str, actor: Actor) -> None:
    with db.writer(engine).begin() as conn:
        flight = queries.find_flight(conn, flight_id)
        legs = queries.flight_legs(conn, flight["id"])
        rows = queries.manifest(conn, flight["id"])
        versions = queries.versions(conn, flight["id"])
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
