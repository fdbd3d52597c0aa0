"""PNR pushes through the pipeline on both backends (issue 3, items 3 and §8).

A flight gets a T-72 full push, a T-24 update push (a seat changed, a bag added)
and a closure full push without one booking.  The bookings on the flight are
derived by replaying the pushes in the *sender's* order, so any arrival order
gives the same result; every version is kept.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import permutations
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from openpiu.formats.pnrgov_writer import write_pnrgov
from openpiu.model import (
    Bag,
    BookedTraveller,
    Booking,
    Envelope,
    Flight,
    ItinerarySegment,
    Leg,
    Originator,
    PnrPush,
    PushKind,
    Seat,
    TravelDocument,
)
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store import pnr_queries
from openpiu.store.bookings import versions_of
from openpiu.store.schema import booking_flights, booking_versions, bookings, flights, pnr_pushes

T0 = datetime(2025, 3, 16, 9, 0, tzinfo=UTC)
KEY = "ZZ123/2025-03-15"
T72, T24, CLOSURE = (datetime(2025, 3, 12, 8, 15), datetime(2025, 3, 14, 8, 15),
                     datetime(2025, 3, 15, 7, 45))


def settings() -> Settings:
    return Settings(database_url="sqlite:///unused.db")  # type: ignore[call-arg]


@pytest.fixture
def pipeline(engine: Engine) -> Pipeline:
    return Pipeline(engine, settings(), clock=lambda: T0)


def traveller(surname: str, given: str, seat: str, n: int, bags: int = 0) -> BookedTraveller:
    t = BookedTraveller(ref="1", surname=surname, given_names=given,
                        raw_given_names=given + "MR", title="MR", passenger_type="A",
                        dob=date(1980, 1, 1 + n), gender="M", nationality="TJK")
    t.documents.append(TravelDocument("P", f"40000{n:04d}", "TJK", date(2031, 1, 1)))
    t.seats.append(Seat(seat, "IST-DYU"))
    if bags:
        t.bags.append(Bag(bags, 23.0, "KGM", "HP", [(f"01230000{n:02d}", bags, "DYU")]))
    return t


def booking(locator: str, t: BookedTraveller, system: str = "ZZ",
            created: datetime = datetime(2025, 3, 1, 9, 0),
            other: str | None = None) -> Booking:
    dep = datetime(2025, 3, 15, 8, 15)
    segment = ItinerarySegment("ZZ", "123", "IST", "DYU", dep, None,
                               datetime(2025, 3, 15, 14, 30), None, "Y", "HK")
    locators: list[tuple[str | None, str]] = [(system, locator)]
    if other:
        locators.append(("1A", other))
    return Booking(locator, system, locators, created_at=created, travellers=[t],
                   itinerary=[segment])


def push(kind: PushKind, sent: datetime, ref: str, items: list[Booking],
         number: str = "123") -> bytes:
    dep = datetime(2025, 3, 15, 8, 15)
    flight = Flight("ZZ", number, f"ZZ{number}", dep.date(),
                    [Leg("IST", "DYU", dep, None, datetime(2025, 3, 15, 14, 30), None)])
    env = Envelope(message_ref="1", prepared_at=sent, interchange_ref=ref)
    return write_pnrgov(PnrPush(env, kind, flight, Originator("ZZ", "IST"), bookings=items))


def three_pushes() -> dict[str, bytes]:
    a72 = booking("AAA111", traveller("KARIMOV", "RUSTAM", "10A", 1), other="XAA111")
    b = booking("BBB222", traveller("NAZAROV", "DILSHOD", "11B", 2))
    c = booking("CCC333", traveller("SAIDOV", "FARRUKH", "12C", 3))
    a24 = booking("AAA111", traveller("KARIMOV", "RUSTAM", "14F", 1, bags=1), other="XAA111")
    return {
        "t72": push(PushKind.FULL, T72, "100", [a72, b, c]),
        "t24": push(PushKind.UPDATE, T24, "101", [a24]),
        "closure": push(PushKind.FULL, CLOSURE, "102", [a24, b]),
    }


def final_state(engine: Engine) -> dict[str, tuple[str, Any]]:
    """locator -> (status, the stored data of the current version)."""
    with engine.connect() as conn:
        flight_id = conn.scalar(select(flights.c.id))
        rows = pnr_queries.flight_bookings(conn, flight_id)
        data = {
            r["version_id"]: conn.scalar(
                select(booking_versions.c.data).where(booking_versions.c.id == r["version_id"]))
            for r in rows
        }
    return {r["record_locator"]: (r["status"], data[r["version_id"]]) for r in rows}


def count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


ORDERS = [("t72", "t24", "closure"), ("closure", "t24", "t72"), ("t24", "closure", "t72")]


@pytest.mark.parametrize("order", ORDERS, ids=["sent", "reversed", "mixed"])
def test_pushes_in_any_arrival_order_give_the_same_flight(
        pipeline: Pipeline, engine: Engine, order: tuple[str, ...]) -> None:
    messages = three_pushes()
    for name in order:
        outcome = pipeline.ingest_bytes(messages[name], sender=name)
        assert outcome.status == "processed", outcome
        assert outcome.flights == [KEY]
    state = final_state(engine)
    assert {k: s for k, (s, _) in state.items()} == {
        "AAA111": "on_flight", "BBB222": "on_flight", "CCC333": "left"}
    # The current version of AAA111 is the closure's: seat 14F and one bag.
    assert '"14F"' in state["AAA111"][1] and '"10A"' not in state["AAA111"][1]
    assert '"0123000001"' in state["AAA111"][1]
    assert count(engine, booking_versions) == 3 + 1 + 2
    assert count(engine, pnr_pushes) == 3 and count(engine, bookings) == 3
    assert count(engine, flights) == 1


def test_all_arrival_orders_agree(sqlite_engine: Engine, tmp_path: Any) -> None:
    """Every permutation, on SQLite (each in a fresh store): one result."""
    from openpiu.store.db import make_engine, upgrade

    messages = three_pushes()
    results = []
    for n, order in enumerate(permutations(messages)):
        engine = make_engine(f"sqlite:///{tmp_path}/order{n}.db")
        upgrade(engine)
        pipeline = Pipeline(engine, settings(), clock=lambda: T0)
        for name in order:
            assert pipeline.ingest_bytes(messages[name]).status == "processed"
        results.append(final_state(engine))
        engine.dispose()
    assert all(r == results[0] for r in results)


def test_update_push_leaves_absent_bookings_unchanged(pipeline: Pipeline,
                                                      engine: Engine) -> None:
    messages = three_pushes()
    for name in ("t24", "t72"):  # the update arrives first, the sender sent it later
        assert pipeline.ingest_bytes(messages[name]).status == "processed"
    state = final_state(engine)
    assert {k: s for k, (s, _) in state.items()} == {
        "AAA111": "on_flight", "BBB222": "on_flight", "CCC333": "on_flight"}
    assert '"14F"' in state["AAA111"][1]  # the update is the later version


def test_cancel_push_cancels_the_bookings(pipeline: Pipeline, engine: Engine) -> None:
    messages = three_pushes()
    cancel = push(PushKind.CANCEL, CLOSURE, "103", [])
    for raw in (messages["t72"], cancel):
        assert pipeline.ingest_bytes(raw).status == "processed"
    assert {s for s, _ in final_state(engine).values()} == {"cancelled"}


def test_versions_of_a_booking_in_the_senders_order(pipeline: Pipeline,
                                                    engine: Engine) -> None:
    messages = three_pushes()
    for name in ("closure", "t72", "t24"):
        pipeline.ingest_bytes(messages[name])
    with engine.connect() as conn:
        (found,) = pnr_queries.find_bookings(conn, "AAA111")
        versions = versions_of(conn, found["id"])
    assert [v["push_kind"] for v in versions] == ["full", "update", "full"]
    assert [v["sent_at"] for v in versions] == [T72, T24, CLOSURE]


def test_same_locator_other_system_or_creation_date_is_another_booking(
        pipeline: Pipeline, engine: Engine) -> None:
    t = traveller("KARIMOV", "RUSTAM", "10A", 1)
    items = [booking("SAME01", t), booking("SAME01", t, system="1A"),
             booking("SAME01", t, created=datetime(2024, 5, 1, 9, 0))]
    outcome = pipeline.ingest_bytes(push(PushKind.FULL, T72, "200", items))
    assert outcome.status == "processed" and outcome.bookings == 3
    with engine.connect() as conn:
        found = pnr_queries.find_bookings(conn, "same01")
    assert sorted((b["reservation_system"], b["created_on"]) for b in found) == [
        ("1A", "2025-03-01"), ("ZZ", "2024-05-01"), ("ZZ", "2025-03-01")]
    assert {s for s, _ in final_state(engine).values()} == {"on_flight"}
    assert count(engine, booking_flights) == 3


def test_every_rci_locator_finds_the_booking(pipeline: Pipeline, engine: Engine) -> None:
    messages = three_pushes()
    pipeline.ingest_bytes(messages["t72"])
    with engine.connect() as conn:
        (by_first,) = pnr_queries.find_bookings(conn, "AAA111")
        (by_second,) = pnr_queries.find_bookings(conn, "xaa111")
        assert by_first["id"] == by_second["id"]
        assert sorted(pnr_queries.locators_of(conn, by_first["id"])) == [
            ("1A", "XAA111"), ("ZZ", "AAA111")]
        assert pnr_queries.find_bookings(conn, "NOPE99") == []


def test_flight_number_with_leading_zeros_is_one_flight(pipeline: Pipeline,
                                                        engine: Engine) -> None:
    t = traveller("KARIMOV", "RUSTAM", "10A", 1)
    pipeline.ingest_bytes(push(PushKind.FULL, T72, "300", [booking("ZER001", t)], number="0123"))
    pipeline.ingest_bytes(push(PushKind.UPDATE, T24, "301", [booking("ZER002", t)]))
    assert count(engine, flights) == 1
    assert set(final_state(engine)) == {"ZER001", "ZER002"}


def test_reprocessing_a_push_stores_it_once(pipeline: Pipeline, engine: Engine) -> None:
    messages = three_pushes()
    outcomes = [pipeline.ingest_bytes(messages[n]) for n in ("t72", "t24", "closure")]
    before = final_state(engine)
    from sqlalchemy import update

    from openpiu.store.schema import messages as message_table

    with engine.begin() as conn:
        conn.execute(update(message_table).where(
            message_table.c.id == outcomes[1].message_id).values(status="received"))
    (again,) = pipeline.process_pending()
    assert again.status == "processed"
    assert final_state(engine) == before
    assert count(engine, booking_versions) == 6 and count(engine, pnr_pushes) == 3
