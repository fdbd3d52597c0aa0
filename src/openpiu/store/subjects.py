"""Travellers as screening sees them: who is on a flight now, API and PNR alike.

Each row is (flight id, person id, Subject).  A booking's traveller linked to
an API traveller on the same flight (``person_links``) is screened under the
API person, so one human gets one alert per entry, whichever data came first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy import Connection, and_, select

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

ScreenRow = tuple[int, int, Subject]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _api_rows(conn: Connection, where: object) -> Iterator[ScreenRow]:
    t, ft, d = api_travellers, flight_travellers, api_documents
    query = (
        select(t.c.flight_id, t.c.person_id, t.c.surname, t.c.given_names, t.c.dob,
               t.c.nationality, t.c.gender, d.c.number, d.c.issuing_country)
        .join(ft, and_(ft.c.message_id == t.c.message_id, ft.c.seq == t.c.seq))
        .outerjoin(d, and_(d.c.message_id == t.c.message_id, d.c.traveller_seq == t.c.seq,
                           d.c.seq == 1))
        .where(ft.c.status == "listed", where)  # type: ignore[arg-type]
    )  # fmt: skip
    for row in conn.execute(query):
        yield row[0], row[1], Subject(
            id=f"api:{row[1]}", surname=row[2], given_names=row[3], dob=_iso(row[4]),
            nationality=row[5], gender=row[6], doc_number=row[7], doc_country=row[8],
        )  # fmt: skip


def _pnr_rows(conn: Connection, where: object) -> Iterator[ScreenRow]:
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
    for row in conn.execute(query):
        person = row[2] or row[1]
        gender = (row[7] or "")[:1] or None
        yield row[0], person, Subject(
            id=f"pnr:{row[1]}", surname=row[3], given_names=row[4], dob=_iso(row[5]),
            nationality=row[6], gender=gender, doc_number=row[8], doc_country=row[9],
        )  # fmt: skip


def flight_subjects(conn: Connection, flight_ids: Iterable[int]) -> list[ScreenRow]:
    """Everyone on these flights now (API listed, PNR on the flight)."""
    ids = sorted(set(flight_ids))
    if not ids:
        return []
    rows = list(_api_rows(conn, api_travellers.c.flight_id.in_(ids)))
    rows += _pnr_rows(conn, pnr_travellers.c.flight_id.in_(ids))
    return rows


def subjects_since(conn: Connection, since: date) -> Iterator[ScreenRow]:
    """Everyone on a flight dated ``since`` or later (for screening again after a
    list change); streamed, so a million rows never sit in memory at once."""
    recent = select(flights.c.id).where(flights.c.flight_date >= since).scalar_subquery()
    yield from _api_rows(conn, api_travellers.c.flight_id.in_(recent))
    yield from _pnr_rows(conn, pnr_travellers.c.flight_id.in_(recent))
