"""Reads for the analyst application: the alert queue and one alert's dossier.

The queue is the page analysts live on, so it is one indexed query: open alerts
joined to their flight, ordered by priority (urgent first: raised at an
interactive check-in, the traveller is at the counter; then the band), then the
soonest departure, then the score; the person's name comes from the flight's own data (API list,
else the booking), looked up only for the page shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, case, func, or_, select

from openpiu.store.alerts import get_alert
from openpiu.store.db import as_utc
from openpiu.store.schema import (
    alert_events,
    alerts,
    api_documents,
    api_travellers,
    booking_flights,
    booking_versions,
    criterion_versions,
    flight_travellers,
    flights,
    person_links,
    pnr_travellers,
    watchlist_entries,
    watchlists,
)
from openpiu.store.schema_review import alert_notes, referrals

_BAND_FIRST = case((alerts.c.band == "alert", 0), (alerts.c.band == "review", 1), else_=2)


@dataclass(frozen=True)
class QueueFilter:
    status: str = "open"
    band: str | None = None
    source: str | None = None  # watchlist | criterion
    list_name: str | None = None
    carrier: str | None = None
    flight_date_from: date | None = None
    flight_date_to: date | None = None


def _where(f: QueueFilter) -> list[Any]:
    where: list[Any] = [alerts.c.status == f.status]
    if f.band:
        where.append(alerts.c.band == f.band)
    if f.source:
        where.append(alerts.c.source == f.source)
    if f.list_name:
        where.append(alerts.c.list_name == f.list_name)
    if f.carrier:
        where.append(flights.c.carrier == f.carrier.upper())
    if f.flight_date_from:
        where.append(flights.c.flight_date >= f.flight_date_from)
    if f.flight_date_to:
        where.append(flights.c.flight_date <= f.flight_date_to)
    return where


def queue(conn: Connection, f: QueueFilter, *, offset: int = 0, limit: int = 50
          ) -> list[dict[str, Any]]:
    """One page of the queue, strongest and soonest first."""
    rows = conn.execute(
        select(alerts.c.id, alerts.c.band, alerts.c.score, alerts.c.source, alerts.c.list_name,
               alerts.c.entry_ref, alerts.c.entry_id, alerts.c.status, alerts.c.person_id,
               alerts.c.flight_id, alerts.c.matched_name, alerts.c.created_at,
               alerts.c.updated_at, alerts.c.urgent, flights.c.designator, flights.c.carrier,
               flights.c.flight_date, flights.c.origin, flights.c.destination,
               flights.c.departure_local, flights.c.departure_utc)
        .join(flights, flights.c.id == alerts.c.flight_id)
        .where(*_where(f))
        .order_by(alerts.c.urgent.desc(), _BAND_FIRST, flights.c.departure_utc,
                  alerts.c.score.desc(), alerts.c.id)
        .offset(offset).limit(limit)
    ).mappings().all()  # fmt: skip
    names = _names(conn, [(r["flight_id"], r["person_id"]) for r in rows])
    out = []
    for r in rows:
        row = dict(r)
        row["departure_utc"] = as_utc(row["departure_utc"])
        row["created_at"] = as_utc(row["created_at"])
        row["traveller"] = names.get((r["flight_id"], r["person_id"]))
        out.append(row)
    return out


def queue_counts(conn: Connection, f: QueueFilter) -> dict[str, int]:
    """Alerts per band under the filter (the band filter itself left out)."""
    unbanded = QueueFilter(**{**f.__dict__, "band": None})
    query = select(alerts.c.band, func.count()).where(*_where(unbanded)).group_by(alerts.c.band)
    if f.carrier or f.flight_date_from or f.flight_date_to:
        # The flight only when a filter needs it: otherwise the count is read
        # off the alerts' own (status, band) index.
        query = query.join(flights, flights.c.id == alerts.c.flight_id)
    rows = conn.execute(query).all()
    return {str(band): int(n) for band, n in rows}


def _names(conn: Connection, keys: list[tuple[int, int]]) -> dict[tuple[int, int], dict[str, Any]]:
    """(flight, person) -> name, date of birth and nationality, from the API list
    of the flight, else from the booking."""
    if not keys:
        return {}
    out: dict[tuple[int, int], dict[str, Any]] = {}
    flight_ids = {f for f, _ in keys}
    person_ids = {p for _, p in keys}
    t = api_travellers
    for r in conn.execute(
        select(t.c.flight_id, t.c.person_id, t.c.surname, t.c.given_names, t.c.dob,
               t.c.nationality)
        .where(t.c.flight_id.in_(flight_ids), t.c.person_id.in_(person_ids))
        .order_by(t.c.message_id)
    ).mappings():  # fmt: skip
        out[(r["flight_id"], r["person_id"])] = dict(r)
    missing = [k for k in keys if k not in out]
    if missing:
        p, link = pnr_travellers, person_links
        person = func.coalesce(link.c.api_person_id, p.c.person_id)
        for r in conn.execute(
            select(p.c.flight_id, person.label("person_id"), p.c.surname, p.c.given_names,
                   p.c.dob, p.c.nationality)
            .outerjoin(link, and_(link.c.flight_id == p.c.flight_id,
                                  link.c.pnr_person_id == p.c.person_id))
            .where(p.c.flight_id.in_({f for f, _ in missing}),
                   or_(p.c.person_id.in_({q for _, q in missing}),
                       link.c.api_person_id.in_({q for _, q in missing})))
        ).mappings():  # fmt: skip
            out.setdefault((r["flight_id"], r["person_id"]), dict(r))
    return out


def dossier(conn: Connection, alert_id: int) -> dict[str, Any]:
    """Everything the alert view shows: the alert, its flight, the person's API
    and PNR data, co-travellers, travel history, the entry or criterion, the
    alert's history, notes and referrals."""
    alert = get_alert(conn, alert_id)
    flight = conn.execute(select(flights).where(flights.c.id == alert["flight_id"])
                          ).mappings().one()  # fmt: skip
    person_id = alert["person_id"]
    api = _api_data(conn, alert["flight_id"], person_id)
    pnr, co_travellers = _pnr_data(conn, alert["flight_id"], person_id)
    return {
        "alert": alert,
        "flight": dict(flight),
        "api": api,
        "pnr": pnr,
        "co_travellers": co_travellers,
        "history": travel_history(conn, person_id),
        "events": _events(conn, alert_id),
        "entry": _entry(conn, alert),
        "notes": [dict(r) for r in conn.execute(
            select(alert_notes).where(alert_notes.c.alert_id == alert_id)
            .order_by(alert_notes.c.at)).mappings()],
        "referrals": [dict(r) for r in conn.execute(
            select(referrals).where(referrals.c.alert_id == alert_id)
            .order_by(referrals.c.created_at)).mappings()],
    }  # fmt: skip


def _api_data(conn: Connection, flight_id: int, person_id: int) -> dict[str, Any] | None:
    t, ft = api_travellers, flight_travellers
    row = conn.execute(
        select(t, ft.c.status.label("list_status"))
        .join(ft, and_(ft.c.message_id == t.c.message_id, ft.c.seq == t.c.seq))
        .where(ft.c.flight_id == flight_id, ft.c.person_id == person_id)
    ).mappings().first()  # fmt: skip
    if row is None:
        return None
    out = dict(row)
    out["documents"] = [dict(d) for d in conn.execute(
        select(api_documents).where(api_documents.c.message_id == row["message_id"],
                                    api_documents.c.traveller_seq == row["seq"])
        .order_by(api_documents.c.seq)).mappings()]  # fmt: skip
    return out


def _pnr_data(conn: Connection, flight_id: int, person_id: int
              ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The person's traveller entry in the booking now on the flight, the booking
    (as filtered on receipt) and the others on it."""
    p, bf, link = pnr_travellers, booking_flights, person_links
    found = conn.execute(
        select(p)
        .join(bf, and_(bf.c.version_id == p.c.version_id, bf.c.flight_id == p.c.flight_id))
        .outerjoin(link, and_(link.c.flight_id == p.c.flight_id,
                              link.c.pnr_person_id == p.c.person_id))
        .where(p.c.flight_id == flight_id, bf.c.status == "on_flight",
               or_(p.c.person_id == person_id, link.c.api_person_id == person_id))
    ).mappings().first()  # fmt: skip
    if found is None:
        return None, []
    data = conn.scalar(select(booking_versions.c.data)
                       .where(booking_versions.c.id == found["version_id"]))  # fmt: skip
    others = [dict(r) for r in conn.execute(
        select(p.c.seq, p.c.person_id, p.c.surname, p.c.given_names, p.c.dob, p.c.nationality)
        .where(p.c.version_id == found["version_id"], p.c.seq != found["seq"])
        .order_by(p.c.seq)).mappings()]  # fmt: skip
    return {"traveller": dict(found), "booking": json.loads(data) if data else {}}, others


def travel_history(conn: Connection, person_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """The person's flights (API lists), latest first."""
    ft = flight_travellers
    rows = conn.execute(
        select(flights.c.id, flights.c.designator, flights.c.flight_date, flights.c.origin,
               flights.c.destination, ft.c.role, ft.c.status)
        .join(ft, ft.c.flight_id == flights.c.id)
        .where(ft.c.person_id == person_id)
        .order_by(flights.c.flight_date.desc()).limit(limit)
    ).mappings()  # fmt: skip
    return [dict(r) for r in rows]


def _events(conn: Connection, alert_id: int) -> list[dict[str, Any]]:
    out = []
    for r in conn.execute(select(alert_events).where(alert_events.c.alert_id == alert_id)
                          .order_by(alert_events.c.at, alert_events.c.id)).mappings():
        event = dict(r)
        event["at"] = as_utc(event["at"])
        event["features"] = json.loads(event["features"]) if event["features"] else []
        out.append(event)
    return out


def _entry(conn: Connection, alert: dict[str, Any]) -> dict[str, Any] | None:
    """The watchlist entry as it stands now, or the criterion version that fired."""
    if alert["criterion_version_id"] is not None:
        row = conn.execute(select(criterion_versions).where(
            criterion_versions.c.id == alert["criterion_version_id"])).mappings().first()
        return {"kind": "criterion", **dict(row)} if row else None
    we = watchlist_entries
    row = conn.execute(
        select(we.c.entry_id, we.c.list_ref, we.c.first_version, we.c.last_version, we.c.data)
        .join(watchlists, watchlists.c.id == we.c.watchlist_id)
        .where(watchlists.c.name == alert["list_name"], we.c.entry_id == alert["entry_id"])
        .order_by(we.c.first_version.desc()).limit(1)
    ).mappings().first()  # fmt: skip
    if row is None:
        return None
    return {"kind": "watchlist", **dict(row), "data": json.loads(row["data"])}
