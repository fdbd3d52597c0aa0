"""Read models of bookings: by locator, per flight, and the PNR-API links."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, select

from openpiu.store.schema import (
    api_travellers,
    booking_flights,
    booking_locators,
    bookings,
    flight_travellers,
    flights,
    person_links,
    pnr_travellers,
)


def find_bookings(conn: Connection, locator: str) -> list[dict[str, Any]]:
    """Bookings with this locator among any of their RCI locators."""
    ids = select(booking_locators.c.booking_id).where(
        booking_locators.c.locator == locator.strip().upper()
    )
    rows = conn.execute(select(bookings).where(bookings.c.id.in_(ids)).order_by(bookings.c.id))
    return [dict(r) for r in rows.mappings()]


def locators_of(conn: Connection, booking_id: int) -> list[tuple[str, str]]:
    return [
        (r.system, r.locator)
        for r in conn.execute(
            select(booking_locators.c.system, booking_locators.c.locator).where(
                booking_locators.c.booking_id == booking_id
            )
        )
    ]


def booking_flight_states(conn: Connection, booking_id: int) -> list[dict[str, Any]]:
    """Where the booking stands on each flight its pushes named."""
    rows = conn.execute(
        select(
            booking_flights.c.status,
            booking_flights.c.version_id,
            flights.c.carrier,
            flights.c.number,
            flights.c.flight_date,
            flights.c.origin,
            flights.c.destination,
        )
        .join(flights, flights.c.id == booking_flights.c.flight_id)
        .where(booking_flights.c.booking_id == booking_id)
    )
    return [dict(r) for r in rows.mappings()]


def flight_bookings(conn: Connection, flight_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(
            bookings.c.id,
            bookings.c.reservation_system,
            bookings.c.record_locator,
            booking_flights.c.status,
            booking_flights.c.version_id,
        )
        .join(booking_flights, booking_flights.c.booking_id == bookings.c.id)
        .where(booking_flights.c.flight_id == flight_id)
        .order_by(bookings.c.record_locator)
    )
    return [dict(r) for r in rows.mappings()]


def flight_link_status(conn: Connection, flight_id: int) -> dict[str, list[dict[str, Any]]]:
    """PNR travellers with their link (or none), and API travellers no PNR matched."""
    links = {
        r.pnr_person_id: (r.api_person_id, r.rule)
        for r in conn.execute(select(person_links).where(person_links.c.flight_id == flight_id))
    }
    pnr = (
        conn.execute(
            select(
                pnr_travellers.c.person_id,
                pnr_travellers.c.surname,
                pnr_travellers.c.given_names,
                bookings.c.record_locator,
            )
            .join(
                booking_flights,
                and_(
                    booking_flights.c.version_id == pnr_travellers.c.version_id,
                    booking_flights.c.flight_id == flight_id,
                ),
            )
            .join(bookings, bookings.c.id == pnr_travellers.c.booking_id)
            .where(booking_flights.c.status == "on_flight")
        )
        .mappings()
        .all()
    )
    api = (
        conn.execute(
            select(
                api_travellers.c.person_id,
                api_travellers.c.surname,
                api_travellers.c.given_names,
                api_travellers.c.record_locator,
                api_travellers.c.role,
            )
            .join(
                flight_travellers,
                and_(
                    flight_travellers.c.message_id == api_travellers.c.message_id,
                    flight_travellers.c.seq == api_travellers.c.seq,
                ),
            )
            .where(
                flight_travellers.c.flight_id == flight_id, flight_travellers.c.status == "listed"
            )
        )
        .mappings()
        .all()
    )
    linked_api = {api_id for api_id, _ in links.values()}
    return {
        "pnr": [
            dict(r)
            | {
                "linked_to": links.get(r["person_id"], (None, None))[0],
                "rule": links.get(r["person_id"], (None, None))[1],
            }
            for r in pnr
        ],
        # Crew have no bookings: only passengers can lack one.
        "api_unlinked": [
            dict(r) for r in api if r["person_id"] not in linked_api and r["role"] == "passenger"
        ],
    }
