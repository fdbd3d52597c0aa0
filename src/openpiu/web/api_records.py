"""The records behind the review, as JSON: flights and manifests, a person's
travel, bookings, the vault's accounting, watchlists, criteria, the audit trail
and the accounts.

Each route reads through the store's readers and answers plain JSON.  Routes
that show passengers or list entries name the kind of record they show and audit
the look with the ids shown; summaries (a flight's counts, a list's versions,
the vault's statuses) carry no personal data and are not audited as looks.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.encoders import jsonable_encoder
from sqlalchemy import Connection, func, select

from openpiu import accounts, audit
from openpiu.errors import NotFoundError
from openpiu.store import criteria as criteria_store
from openpiu.store import pnr_queries, queries, review_queries
from openpiu.store import watchlists as watchlist_store
from openpiu.store.bookings import versions_of as booking_versions_of
from openpiu.store.db import as_utc
from openpiu.store.schema import (
    alerts,
    booking_flights,
    flight_travellers,
    flights,
    manifest_versions,
    persons,
    watchlist_entries,
    watchlists,
)
from openpiu.web.access import (
    MANAGE_USERS,
    READ_AUDIT,
    READ_CRITERIA,
    READ_MESSAGES,
    READ_TRAVEL,
    READ_WATCHLISTS,
    Principal,
    allow,
    audit_look,
)

router = APIRouter(prefix="/api/v1")

Purpose = Annotated[
    str | None,
    Query(
        max_length=500,
        description="why the data is looked at, or a case reference; recorded in the audit trail",
    ),
]


# -- flights ------------------------------------------------------------------------


@router.get("/flights", tags=["flights"])
def list_flights(
    request: Request,
    date_from: date | None = None,
    date_to: date | None = None,
    carrier: str | None = None,
    offset: int = Query(0, ge=0),
    limit: int = Query(100, ge=1, le=500),
    principal: Principal = allow(READ_TRAVEL),
) -> dict[str, Any]:
    """Flights by date (local departure date), with counts only: passengers and
    crew listed, bookings on the flight, manifest versions, open alerts."""
    where: list[Any] = []
    if date_from:
        where.append(flights.c.flight_date >= date_from)
    if date_to:
        where.append(flights.c.flight_date <= date_to)
    if carrier:
        where.append(flights.c.carrier == carrier.strip().upper())
    with request.app.state.engine.begin() as conn:
        total = conn.scalar(select(func.count()).select_from(flights).where(*where)) or 0
        rows = conn.execute(
            select(flights).where(*where)
            .order_by(flights.c.flight_date, flights.c.departure_utc, flights.c.carrier,
                      flights.c.number, flights.c.id)
            .offset(offset).limit(limit)).mappings().all()  # fmt: skip
        counts = _flight_counts(conn, [r["id"] for r in rows])
    items = [{**_flight(r), **counts[r["id"]]} for r in rows]
    return {"total": total, "offset": offset, "limit": limit, "items": jsonable_encoder(items)}


def _flight(row: Any) -> dict[str, Any]:
    out = utc_fields(dict(row))
    out["key"] = queries.flight_key(row["carrier"], row["number"], row["flight_date"])
    return out


_UTC_FIELDS = ("departure_utc", "arrival_utc", "updated_at", "stored_at", "first_seen_at")


def utc_fields(row: dict[str, Any]) -> dict[str, Any]:
    """Stamps the store keeps in UTC, marked as such (SQLite hands them back
    naive), so both backends answer the same text; local times stay as sent."""
    for name in _UTC_FIELDS:
        if isinstance(row.get(name), datetime):
            row[name] = as_utc(row[name])
    return row


def _flight_counts(conn: Connection, ids: list[int]) -> dict[int, dict[str, int]]:
    """Per flight of the page: a few grouped counts, each one query for the page."""
    out: dict[int, dict[str, int]] = defaultdict(
        lambda: {"passengers": 0, "crew": 0, "bookings": 0, "versions": 0, "open_alerts": 0}
    )
    if not ids:
        return out
    ft, bf = flight_travellers, booking_flights
    for fid, role, n in conn.execute(
        select(ft.c.flight_id, ft.c.role, func.count())
        .where(ft.c.flight_id.in_(ids), ft.c.status == "listed")
        .group_by(ft.c.flight_id, ft.c.role)):  # fmt: skip
        out[fid]["crew" if role == "crew" else "passengers"] += int(n)
    grouped = (
        ("bookings", select(bf.c.flight_id, func.count())
         .where(bf.c.flight_id.in_(ids), bf.c.status == "on_flight").group_by(bf.c.flight_id)),
        ("versions", select(manifest_versions.c.flight_id, func.count())
         .where(manifest_versions.c.flight_id.in_(ids)).group_by(manifest_versions.c.flight_id)),
        ("open_alerts", select(alerts.c.flight_id, func.count())
         .where(alerts.c.flight_id.in_(ids), alerts.c.status == "open")
         .group_by(alerts.c.flight_id)),
    )  # fmt: skip
    for name, query in grouped:
        for fid, n in conn.execute(query):
            out[fid][name] = int(n)
    return out


@router.get("/flights/{flight_id}", tags=["flights"])
def get_flight(request: Request, flight_id: int,
               principal: Principal = allow(READ_TRAVEL, personal="traveller")
               ) -> dict[str, Any]:  # fmt: skip
    """One flight: its legs, manifest versions, the current manifest (who is on it,
    with documents) and the bookings on it.  The travellers shown are audited."""
    with request.app.state.engine.begin() as conn:
        row = conn.execute(select(flights).where(flights.c.id == flight_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"no flight {flight_id}")
        manifest = [asdict(m) for m in queries.manifest(conn, flight_id)]
        out = {
            "flight": _flight(row),
            "legs": [utc_fields(leg) for leg in queries.flight_legs(conn, flight_id)],
            "versions": [utc_fields({k: v[k] for k in _VERSION_FIELDS})
                         for v in queries.versions(conn, flight_id)],
            "manifest": manifest,
            "bookings": pnr_queries.flight_bookings(conn, flight_id),
        }  # fmt: skip
        audit_look(conn, request, principal, "traveller", [m["person_id"] for m in manifest])
    result: dict[str, Any] = jsonable_encoder(out)
    return result


_VERSION_FIELDS = ("id", "message_id", "document_code", "document_subcode", "action",
                   "list_role", "sent_at", "interchange_ref", "parts", "declared_passengers",
                   "declared_crew", "travellers", "stored_at")  # fmt: skip


# -- persons and bookings -----------------------------------------------------------


@router.get("/persons/{person_id}/travel", tags=["travellers"])
def person_travel(request: Request, person_id: int, purpose: Purpose = None,
                  limit: int = Query(50, ge=1, le=500),
                  principal: Principal = allow(READ_TRAVEL, personal="person")
                  ) -> dict[str, Any]:  # fmt: skip
    """The person's flights (from API lists), latest first."""
    with request.app.state.engine.begin() as conn:
        if conn.scalar(select(persons.c.id).where(persons.c.id == person_id)) is None:
            raise NotFoundError(f"no person {person_id}")
        history = review_queries.travel_history(conn, person_id, limit=limit)
        audit_look(conn, request, principal, "person", [person_id], purpose=purpose or None)
    return {"person_id": person_id, "flights": jsonable_encoder(history)}


@router.get("/bookings", tags=["bookings"])
def find_bookings(request: Request, locator: str = Query(min_length=1, max_length=16),
                  purpose: Purpose = None,
                  principal: Principal = allow(READ_TRAVEL, personal="booking")
                  ) -> dict[str, Any]:  # fmt: skip
    """Bookings known by this locator (any of their record locators), each with
    its locators, where it stands on each flight, and its versions as filtered on
    receipt (sender's order)."""
    with request.app.state.engine.begin() as conn:
        found = pnr_queries.find_bookings(conn, locator)
        items = [{**utc_fields(b),
                  "locators": [{"system": s, "locator": loc}
                               for s, loc in pnr_queries.locators_of(conn, b["id"])],
                  "flights": pnr_queries.booking_flight_states(conn, b["id"]),
                  "versions": booking_versions_of(conn, b["id"])}
                 for b in found]  # fmt: skip
        audit_look(conn, request, principal, "booking", [b["id"] for b in found],
                   purpose=purpose or None)  # fmt: skip
    return {"items": jsonable_encoder(items)}


# -- the vault ----------------------------------------------------------------------

_MESSAGE_FIELDS = ("id", "kind", "status", "received_at", "channel", "sender", "size", "reason",
                   "position", "part_number", "final_part")  # fmt: skip


@router.get("/messages", tags=["messages"])
def list_messages(
    request: Request,
    status: str | None = None,
    limit: int = Query(100, ge=1, le=500),
    principal: Principal = allow(READ_MESSAGES),
) -> dict[str, Any]:
    """The vault's accounting (received = processed + duplicate + quarantined, and
    rejected before storing) and the latest messages' statuses.  Never the raw
    content, nor the warnings' text (a carrier's deviation may quote it)."""
    with request.app.state.engine.begin() as conn:
        counts = queries.message_counts(conn)
        rows = queries.list_messages(conn, status or None, limit)
    items = [{**{k: r[k] for k in _MESSAGE_FIELDS}, "warnings": len(r["warnings"])}
             for r in rows]  # fmt: skip
    return {"counts": counts, "items": jsonable_encoder(items)}


# -- watchlists ---------------------------------------------------------------------


@router.get("/watchlists", tags=["watchlists"])
def list_watchlists(
    request: Request, principal: Principal = allow(READ_WATCHLISTS)
) -> list[dict[str, Any]]:
    """Every list with its current version, entry count and last load."""
    with request.app.state.engine.begin() as conn:
        lists = watchlist_store.list_watchlists(conn)
    out: list[dict[str, Any]] = jsonable_encoder([asdict(w) for w in lists])
    return out


@router.get("/watchlists/{name}/versions/{version}/diff", tags=["watchlists"])
def watchlist_diff(
    request: Request, name: str, version: int, principal: Principal = allow(READ_WATCHLISTS)
) -> dict[str, Any]:
    """Entry ids added, changed and removed by a version (ids only: the entries
    themselves are read, and audited, through ``entries``)."""
    with request.app.state.engine.begin() as conn:
        diff = watchlist_store.version_diff(conn, name, version)
    return {"name": name, "version": version, **diff}


@router.get("/watchlists/{name}/entries", tags=["watchlists"])
def watchlist_entries_page(
    request: Request, name: str, offset: int = Query(0, ge=0),
    limit: int = Query(100, ge=1, le=500),
    principal: Principal = allow(READ_WATCHLISTS, personal="watchlist_entry"),
) -> dict[str, Any]:  # fmt: skip
    """One page of the list's current entries, by entry id."""
    we = watchlist_entries
    with request.app.state.engine.begin() as conn:
        list_id = conn.scalar(select(watchlists.c.id).where(watchlists.c.name == name))
        if list_id is None:
            raise NotFoundError(f"no watchlist named {name!r}")
        current = (we.c.watchlist_id == list_id, we.c.last_version.is_(None))
        total = conn.scalar(select(func.count()).select_from(we).where(*current)) or 0
        rows = conn.execute(
            select(we.c.entry_id, we.c.list_ref, we.c.first_version, we.c.data)
            .where(*current)
            .order_by(we.c.entry_id)
            .offset(offset)
            .limit(limit)
        ).all()
        audit_look(conn, request, principal, "watchlist_entry", [r.entry_id for r in rows])
    items = [{"entry_id": r.entry_id, "list_ref": r.list_ref, "since_version": r.first_version,
              "data": json.loads(r.data)} for r in rows]  # fmt: skip
    return {"name": name, "total": total, "offset": offset, "limit": limit, "items": items}


# -- criteria -----------------------------------------------------------------------


def _version(row: criteria_store.VersionRow, *, with_yaml: bool) -> dict[str, Any]:
    out = asdict(row)
    out["ref"] = row.ref
    if not with_yaml:
        del out["yaml"]
    return out


@router.get("/criteria", tags=["criteria"])
def list_criteria(
    request: Request, principal: Principal = allow(READ_CRITERIA)
) -> list[dict[str, Any]]:
    """Each criterion with its newest version and the version active now, if any."""
    with request.app.state.engine.begin() as conn:
        rows = criteria_store.all_versions(conn)
    by_key: dict[str, list[criteria_store.VersionRow]] = defaultdict(list)
    for r in rows:
        by_key[r.key].append(r)
    out = [{"key": key, "versions": len(vs), "latest": _version(vs[-1], with_yaml=False),
            "active": next((v.version for v in vs if v.status == "active"), None)}
           for key, vs in by_key.items()]  # fmt: skip
    result: list[dict[str, Any]] = jsonable_encoder(out)
    return result


@router.get("/criteria/{key}/versions", tags=["criteria"])
def criterion_versions(
    request: Request, key: str, principal: Principal = allow(READ_CRITERIA)
) -> list[dict[str, Any]]:
    """Every version of the criterion, oldest first, with its YAML as approved."""
    with request.app.state.engine.begin() as conn:
        rows = criteria_store.versions_of(conn, key)
    if not rows:
        raise NotFoundError(f"no criterion {key!r}")
    out: list[dict[str, Any]] = jsonable_encoder([_version(r, with_yaml=True) for r in rows])
    return out


# -- the audit trail and the accounts -----------------------------------------------


@router.get("/audit", tags=["audit"])
def read_audit(
    request: Request,
    since: date | None = None,
    action: str | None = None,
    limit: int = Query(200, ge=1, le=1000),
    principal: Principal = allow(READ_AUDIT),
) -> dict[str, Any]:
    """Audit events in chain order from ``since`` (a UTC date) on, optionally of one
    action.  Reading the trail is itself recorded ('audit.read'), with the count
    only: the filters are free text a reader could fill with anything."""
    start = datetime.combine(since, time(), tzinfo=UTC) if since else None
    with request.app.state.writer.begin() as conn:
        events = audit.events(conn, since=start, action=action or None, limit=limit)
        audit.record(conn, principal.actor, "audit.read", details={"events": len(events)})
    return {"items": jsonable_encoder([asdict(e) for e in events])}


@router.get("/users", tags=["users"])
def list_users(
    request: Request, principal: Principal = allow(MANAGE_USERS)
) -> list[dict[str, Any]]:
    """Accounts: names, roles, active or not; never a password hash or TOTP secret."""
    with request.app.state.engine.begin() as conn:
        users = accounts.list_users(conn)
    out: list[dict[str, Any]] = jsonable_encoder([asdict(u) for u in users])
    return out
