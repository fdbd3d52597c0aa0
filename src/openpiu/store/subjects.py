"""Travellers as screening sees them: who is on a flight now, API and PNR alike.

Rows come as plain tuples, cheap enough to stream a million of them when a
list changes; :func:`subject_of` makes the screening ``Subject`` only for the
rows worth comparing.  A booking's traveller linked to an API traveller on the
same flight (``person_links``) is screened under the API person, so one human
gets one alert per entry when the API came first or both are linked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, and_, select

from openpiu.screening.types import Subject
from openpiu.store.schema import (
    api_documents,
    api_travellers,
    booking_flights,
    flight_travellers,
    flights,
    person_links,
    pnr_travellers,
)

# (flight id, person id, source, surname, given names, dob, nationality, gender,
#  document number, document country)
RawRow = tuple[int, int, str, str, str, date | str | None, str | None, str | None, str | None,
               str | None]  # fmt: skip
ScreenRow = tuple[int, int, Subject]


def subject_of(row: RawRow) -> Subject:
    dob = row[5]
    return Subject(
        id=f"{row[2]}:{row[1]}", surname=row[3], given_names=row[4],
        dob=dob if isinstance(dob, str) or dob is None else dob.isoformat(),
        nationality=row[6],
        gender=(row[7] or "")[:1] or None, doc_number=row[8], doc_country=row[9],
    )  # fmt: skip


def _api_query(where: object) -> Select[Any]:
    t, ft, d = api_travellers, flight_travellers, api_documents
    query = (
        select(t.c.flight_id, t.c.person_id, t.c.surname, t.c.given_names, t.c.dob,
               t.c.nationality, t.c.gender, d.c.number, d.c.issuing_country)
        .join(ft, and_(ft.c.message_id == t.c.message_id, ft.c.seq == t.c.seq))
        .outerjoin(d, and_(d.c.message_id == t.c.message_id, d.c.traveller_seq == t.c.seq,
                           d.c.seq == 1))
        .where(ft.c.status == "listed", where)  # type: ignore[arg-type]
    )  # fmt: skip
    return query


def _api_rows(conn: Connection, where: object) -> Iterator[RawRow]:
    for r in conn.execute(_api_query(where)):
        yield r[0], r[1], "api", r[2], r[3], r[4], r[5], r[6], r[7], r[8]


def _pnr_query(where: object) -> Select[Any]:
    p, bf, link = pnr_travellers, booking_flights, person_links
    query = (
        select(p.c.flight_id, p.c.person_id, link.c.api_person_id, p.c.surname,
               p.c.given_names, p.c.dob, p.c.nationality, p.c.gender, p.c.doc_number,
               p.c.doc_country)
        .join(bf, and_(bf.c.version_id == p.c.version_id, bf.c.flight_id == p.c.flight_id))
        .outerjoin(link, and_(link.c.flight_id == p.c.flight_id,
                              link.c.pnr_person_id == p.c.person_id))
        .where(bf.c.status == "on_flight", where)  # type: ignore[arg-type]
    )  # fmt: skip
    return query


def _pnr_rows(conn: Connection, where: object) -> Iterator[RawRow]:
    for r in conn.execute(_pnr_query(where)):
        yield r[0], r[2] or r[1], "pnr", r[3], r[4], r[5], r[6], r[7], r[8], r[9]


def _raw(conn: Connection, query: Select[Any]) -> Iterator[tuple[Any, ...]]:
    """Rows straight from the driver, in batches: a million rows through the
    ORM-free DB-API cursor cost a fraction of the same through SQLAlchemy rows.
    (The query has no user input: its one parameter, a date, is rendered.)"""
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(10_000):
            yield from batch
    finally:
        cursor.close()


def flight_subjects(conn: Connection, flight_ids: Iterable[int]) -> list[ScreenRow]:
    """Everyone on these flights now (API listed, PNR on the flight)."""
    ids = sorted(set(flight_ids))
    if not ids:
        return []
    rows = [
        *_api_rows(conn, api_travellers.c.flight_id.in_(ids)),
        *_pnr_rows(conn, pnr_travellers.c.flight_id.in_(ids)),
    ]
    return [(r[0], r[1], subject_of(r)) for r in rows]


def rows_since(conn: Connection, since: date) -> Iterator[RawRow]:
    """Everyone on a flight dated ``since`` or later (for screening again after a
    list change); streamed, so a million rows never sit in memory at once."""
    recent = select(flights.c.id).where(flights.c.flight_date >= since).scalar_subquery()
    for r in _raw(conn, _api_query(api_travellers.c.flight_id.in_(recent))):
        yield r[0], r[1], "api", r[2], r[3], r[4], r[5], r[6], r[7], r[8]
    for r in _raw(conn, _pnr_query(pnr_travellers.c.flight_id.in_(recent))):
        yield r[0], r[2] or r[1], "pnr", r[3], r[4], r[5], r[6], r[7], r[8], r[9]


def linked_pnr_persons(
    conn: Connection, flight_ids: Iterable[int]
) -> dict[tuple[int, int], list[int]]:
    """(flight, API person) -> the booking persons linked to him on that flight."""
    out: dict[tuple[int, int], list[int]] = {}
    ids = sorted(set(flight_ids))
    if ids:
        for flight_id, pnr_person, api_person in conn.execute(
            select(person_links.c.flight_id, person_links.c.pnr_person_id,
                   person_links.c.api_person_id).where(person_links.c.flight_id.in_(ids))
        ):  # fmt: skip
            out.setdefault((flight_id, api_person), []).append(pnr_person)
    return out


def any_traveller_since(conn: Connection, since: date) -> bool:
    """Is anyone stored on a flight dated ``since`` or later?"""
    recent = select(flights.c.id).where(flights.c.flight_date >= since).limit(1)
    return conn.execute(recent).first() is not None


def flight_dates(conn: Connection, flight_ids: Iterable[int] = (),
                 since: date | None = None) -> dict[int, date]:
    """Flight id -> its (local departure) date, for these flights or those from ``since``."""
    query = select(flights.c.id, flights.c.flight_date)
    if since is not None:
        query = query.where(flights.c.flight_date >= since)
    else:
        query = query.where(flights.c.id.in_(sorted(set(flight_ids))))
    return {int(i): d for i, d in conn.execute(query)}
