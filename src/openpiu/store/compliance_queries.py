"""Reads for the carrier compliance report (:mod:`openpiu.compliance`).

Each function is one grouped query over indexed columns: the report covers
weeks of traffic on a store of millions of travellers, so the data quality
figures are counted by the database (one row per flight), never by walking
travellers in Python.  Only flights, message times, carrier codes and counts
come back: no personal data.

Which flights: those whose (local) departure date is on or after ``since``.  A
flight is in the store only because a message about it reached this PIU, so
every stored flight touches the country.  ``carrier`` narrows to the flights
of one airline code or those a carrier account sent messages for over the
network (HTTP, AMQP: there the channel's sender is the authenticated carrier
code; a file's sender is only its file name).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    union,
)

from openpiu.store.db import as_utc, to_db
from openpiu.store.schema import (
    api_documents,
    api_travellers,
    flight_travellers,
    flights,
    manifest_versions,
    messages,
    pnr_pushes,
    rejections,
)
from openpiu.store.schema_intake import compliance_events

# Channels whose sender is a file name, not an authenticated carrier.
FILE_CHANNELS = ("file",)
MAX_AGE_YEARS = 120  # an older traveller is an implausible date of birth


def _links() -> Any:
    """(flight, message, kind) for every message applied to a flight: PAXLST
    through its manifest versions, PNR through its pushes (a message may carry
    several flights; ``messages.flight_id`` keeps only the first)."""
    return union(
        select(manifest_versions.c.flight_id, manifest_versions.c.message_id,
               literal("paxlst").label("kind")),
        select(pnr_pushes.c.flight_id, pnr_pushes.c.message_id,
               literal("pnrgov").label("kind")),
    ).subquery("links")  # fmt: skip


def _flight_filter(since: date, carrier: str | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [flights.c.flight_date >= since]
    if carrier:
        sent_by = (
            select(pnr_pushes.c.flight_id)
            .join(messages, messages.c.id == pnr_pushes.c.message_id)
            .where(messages.c.sender == carrier, messages.c.channel.not_in(FILE_CHANNELS))
        ).union(
            select(manifest_versions.c.flight_id)
            .join(messages, messages.c.id == manifest_versions.c.message_id)
            .where(messages.c.sender == carrier, messages.c.channel.not_in(FILE_CHANNELS))
        )  # fmt: skip
        where.append(or_(flights.c.carrier == carrier, flights.c.id.in_(sent_by)))
    return where


def flights_since(conn: Connection, since: date, carrier: str | None = None
                  ) -> list[dict[str, Any]]:  # fmt: skip
    """The flights of the report, by departure."""
    rows = conn.execute(
        select(flights.c.id, flights.c.carrier, flights.c.designator, flights.c.flight_date,
               flights.c.origin, flights.c.destination, flights.c.departure_local,
               flights.c.departure_utc, flights.c.status)
        .where(*_flight_filter(since, carrier))
        .order_by(flights.c.flight_date, flights.c.departure_utc, flights.c.id)
    ).mappings().all()  # fmt: skip
    return [{**r, "departure_utc": as_utc(r["departure_utc"])} for r in rows]


def arrivals(conn: Connection, since: date, carrier: str | None = None) -> list[dict[str, Any]]:
    """Each message applied to a flight of the report: the flight, the kind
    (paxlst, pnrgov), when it was received, the sender's own timestamp, the
    channel and the channel's sender."""
    links = _links()
    rows = conn.execute(
        select(links.c.flight_id, links.c.kind, messages.c.received_at, messages.c.sent_at,
               messages.c.channel, messages.c.sender)
        .select_from(links.join(messages, messages.c.id == links.c.message_id)
                     .join(flights, flights.c.id == links.c.flight_id))
        .where(*_flight_filter(since, carrier))
    ).mappings().all()  # fmt: skip
    return [{**r, "received_at": as_utc(r["received_at"])} for r in rows]


def _years_before(conn: Connection, day: Any, years: int) -> Any:
    """``day`` minus ``years`` years, computed by the database (the dialects differ)."""
    if conn.dialect.name == "postgresql":
        return day - func.make_interval(years)
    return func.date(day, f"-{years} years")


def quality(conn: Connection, since: date, carrier: str | None = None
            ) -> dict[int, dict[str, int]]:  # fmt: skip
    """Per flight, over its current manifest (each listed person once, as the
    latest list gave them): travellers, and how many lack a document or a date
    of birth, have an implausible one (after the flight, or over 120 years
    before it), carry a document expired on the flight date, or were not
    verified by the carrier."""
    at, ft, doc = api_travellers, flight_travellers, api_documents
    has_doc = exists().where(doc.c.message_id == at.c.message_id,
                             doc.c.traveller_seq == at.c.seq)  # fmt: skip
    expired = exists().where(doc.c.message_id == at.c.message_id,
                             doc.c.traveller_seq == at.c.seq,
                             doc.c.expiry < flights.c.flight_date)  # fmt: skip
    oldest = _years_before(conn, flights.c.flight_date, MAX_AGE_YEARS)

    def count(condition: ColumnElement[bool]) -> Any:
        return func.sum(case((condition, 1), else_=0))

    rows = conn.execute(
        select(ft.c.flight_id, func.count().label("travellers"),
               count(~has_doc).label("no_document"),
               count(at.c.dob.is_(None)).label("no_dob"),
               count(or_(at.c.dob > flights.c.flight_date, at.c.dob < oldest))
               .label("implausible_dob"),
               count(expired).label("expired_document"),
               count(or_(at.c.verified.is_(None), at.c.verified.is_(False)))
               .label("unverified"))
        .select_from(ft.join(at, and_(at.c.message_id == ft.c.message_id, at.c.seq == ft.c.seq))
                     .join(flights, flights.c.id == ft.c.flight_id))
        .where(ft.c.status == "listed", *_flight_filter(since, carrier))
        .group_by(ft.c.flight_id)
    ).mappings().all()  # fmt: skip
    return {int(r["flight_id"]): {k: int(v or 0) for k, v in r.items() if k != "flight_id"}
            for r in rows}  # fmt: skip


def refused_by_sender(conn: Connection, start: datetime) -> dict[str, int]:
    """Input refused before the vault since ``start``, per channel sender."""
    rows = conn.execute(
        select(rejections.c.sender, func.count())
        .where(rejections.c.at >= to_db(start), rejections.c.sender.is_not(None))
        .group_by(rejections.c.sender)
    ).all()  # fmt: skip
    return {str(s): int(n) for s, n in rows}


def quarantined_by_sender(conn: Connection, start: datetime) -> dict[str, int]:
    """Messages received over the network since ``start`` and quarantined (they
    name no flight, so only the authenticated sender tells whose they are)."""
    rows = conn.execute(
        select(messages.c.sender, func.count())
        .where(messages.c.received_at >= to_db(start), messages.c.status == "quarantined",
               messages.c.channel.not_in(FILE_CHANNELS), messages.c.sender.is_not(None))
        .group_by(messages.c.sender)
    ).all()  # fmt: skip
    return {str(s): int(n) for s, n in rows}


def events_by_carrier(conn: Connection, start: datetime) -> dict[str, dict[str, int]]:
    """Compliance events since ``start``: carrier -> kind -> count."""
    ce = compliance_events
    rows = conn.execute(
        select(ce.c.carrier, ce.c.kind, func.count())
        .where(ce.c.at >= to_db(start), ce.c.carrier.is_not(None))
        .group_by(ce.c.carrier, ce.c.kind)
    ).all()  # fmt: skip
    out: dict[str, dict[str, int]] = {}
    for code, kind, n in rows:
        out.setdefault(str(code), {})[str(kind)] = int(n)
    return out
