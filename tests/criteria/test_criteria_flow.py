"""Criteria in the flow, on both backends: an approved criterion fires on the
planted pattern (one way, cash, through an agency, bought the day before) when the
PNR push is stored, with the version and the explanation in the alert; the next
push changes nothing; a criterion past its review date stays silent; a backtest
reports hits, rates and precision on decided alerts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from criteria_builders import criterion_text
from sqlalchemy import Engine, select

from openpiu import criteria_lifecycle as lifecycle
from openpiu.accounts import Actor
from openpiu.criteria import example_texts, load_criterion
from openpiu.criteria_backtest import run_backtest, text_test
from openpiu.formats.pnrgov_writer import write_pnrgov
from openpiu.model import (
    BookedTraveller,
    Booking,
    Envelope,
    Flight,
    ItinerarySegment,
    Leg,
    Originator,
    Payment,
    PnrPush,
    PushKind,
    Seat,
    Ticket,
    TravelDocument,
)
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store import alerts as alert_store
from openpiu.store.db import writer
from openpiu.store.schema import alerts

T0 = datetime(2025, 3, 15, 4, 0, tzinfo=UTC)
DEP = datetime(2025, 3, 15, 8, 15)
ALICE = Actor("alice", ("criteria_author",), "user")
BOB = Actor("bob", ("supervisor",), "user")
KEY = "example-cash-one-way-day-before"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def pipeline(engine: Engine, clock: Clock) -> Pipeline:
    return Pipeline(engine, Settings(database_url="sqlite:///unused.db"), clock=clock)


def traveller(surname: str, doc: str, pay: Payment, seat: str) -> BookedTraveller:
    created = DEP - timedelta(hours=14)
    return BookedTraveller("1", surname, "ALI", f"ALI{'MR'}", "MR", "A", date(1990, 1, 2), "M",
                           "TJK", [TravelDocument("P", doc, "TJK", date(2031, 1, 1))],
                           tickets=[Ticket("0001234567890", "T", created + timedelta(minutes=20))],
                           payments=[pay], seats=[Seat(seat, "IST-DYU")])  # fmt: skip


def booking(locator: str, t: BookedTraveller, created: datetime, agency: bool) -> Booking:
    segment = ItinerarySegment("ZZ", "123", "IST", "DYU", DEP, None,
                               datetime(2025, 3, 15, 14, 30), None, "Y", "HK")  # fmt: skip
    org = (Originator("1A", "IST", "33112244", None, "T") if agency
           else Originator("ZZ", "IST", "ZZHDQ", None, "A"))  # fmt: skip
    return Booking(locator, "ZZ", [("ZZ", locator)], created_at=created, originator=org,
                   travellers=[t], itinerary=[segment])  # fmt: skip


def push(ref: str, sent: datetime, seat: str = "10A") -> bytes:
    courier = booking("CASH01", traveller("KARIMOV", "400000001", Payment("cash", "CA"), seat),
                      DEP - timedelta(hours=14), agency=True)  # fmt: skip
    planner = booking("CARD01", traveller("NAZAROV", "400000002", Payment("card", "CC"), "11B"),
                      DEP - timedelta(days=30), agency=False)  # fmt: skip
    flight = Flight(
        "ZZ",
        "123",
        "ZZ123",
        DEP.date(),
        [Leg("IST", "DYU", DEP, None, datetime(2025, 3, 15, 14, 30), None)],
    )
    env = Envelope(message_ref="1", prepared_at=sent, interchange_ref=ref)
    return write_pnrgov(PnrPush(env, PushKind.FULL, flight, Originator("ZZ", "IST"),
                                bookings=[courier, planner]))  # fmt: skip


def put_in_force(engine: Engine, text: str, at: datetime = T0) -> None:
    row = lifecycle.add(engine, ALICE, text, "c.yaml", at).version
    lifecycle.approve(engine, BOB, row.ref, at)


def criteria_alerts(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        ids = conn.scalars(select(alerts.c.id).where(alerts.c.source == "criterion")
                           .order_by(alerts.c.id))  # fmt: skip
        return [alert_store.get_alert(conn, int(i)) for i in ids]


def test_an_approved_criterion_fires_on_the_planted_pattern(
    pipeline: Pipeline, engine: Engine, clock: Clock
) -> None:
    put_in_force(engine, example_texts()["cash_one_way_day_before.yaml"])
    outcome = pipeline.ingest_bytes(push("100", datetime(2025, 3, 14, 23, 0)))
    assert outcome.status == "processed", outcome
    assert outcome.alerts == Counter({"raised": 1})
    [alert] = criteria_alerts(engine)
    assert (alert["entry_id"], alert["list_version"], alert["band"]) == (KEY, 1, "review")
    assert alert["criterion_version_id"] is not None and alert["score"] == pytest.approx(0.4)
    checks = alert["features"]
    assert isinstance(checks, list)
    assert [c["fact"] for c in checks] == ["payment_forms", "booking_channel", "one_way",
                                           "booking_lead_days", "group_size"]  # fmt: skip
    assert all(c["held"] is True for c in checks)
    lead = next(c for c in checks if c["fact"] == "booking_lead_days")
    assert (lead["condition"], lead["value"]) == ("booking_lead_days between 0 and 1", "1 days")

    # The closure push, the same booking: the same alert, unchanged.
    clock.now = T0 + timedelta(hours=5)
    again = pipeline.ingest_bytes(push("101", datetime(2025, 3, 15, 8, 25)))
    assert again.alerts == Counter({"unchanged": 1})
    assert len(criteria_alerts(engine)) == 1

    # Dismissed: it holds; a new version of the criterion reopens it.
    with writer(engine).begin() as conn:
        alert_store.set_status(conn, int(alert["id"]), "dismissed", clock.now)  # type: ignore[arg-type]
    clock.now = T0 + timedelta(hours=6)
    assert pipeline.ingest_bytes(push("102", datetime(2025, 3, 15, 8, 30))).alerts == Counter(
        {"suppressed": 1})  # fmt: skip
    put_in_force(engine, example_texts()["cash_one_way_day_before.yaml"].replace(
        "score: 40", "score: 50"), clock.now)  # fmt: skip
    reopened = pipeline.ingest_bytes(push("103", datetime(2025, 3, 15, 8, 35)))
    assert reopened.alerts == Counter({"reopened": 1})
    [after] = criteria_alerts(engine)
    assert (after["status"], after["list_version"]) == ("open", 2)


def test_a_criterion_past_its_review_date_stops_firing(pipeline: Pipeline, engine: Engine) -> None:
    overdue = criterion_text(
        """
        all:
          - {fact: payment_forms, includes: cash}
          - {fact: one_way, equals: true}
        """,
    ).replace("review_date: 2026-06-30", "review_date: 2025-03-10")
    put_in_force(engine, overdue, at=datetime(2025, 3, 1, tzinfo=UTC))  # approved in time
    outcome = pipeline.ingest_bytes(push("100", datetime(2025, 3, 14, 23, 0)))
    assert outcome.status == "processed" and outcome.alerts == Counter()
    assert criteria_alerts(engine) == []


def test_seat_changes_across_pushes(pipeline: Pipeline, engine: Engine, clock: Clock) -> None:
    put_in_force(engine, criterion_text(
        """
        all:
          - {fact: seat_changes, at_least: 2}
          - {fact: payment_forms, includes: cash}
        """))  # fmt: skip
    for n, seat in enumerate(("10A", "12C", "14F")):
        clock.now = T0 + timedelta(minutes=n)
        outcome = pipeline.ingest_bytes(push(str(100 + n), datetime(2025, 3, 14, 20, n), seat))
    assert outcome.alerts == Counter({"raised": 1})
    [alert] = criteria_alerts(engine)
    checks = alert["features"]
    assert isinstance(checks, list) and checks[0]["value"] == "2"


def test_backtest_reports_hits_rates_and_precision(pipeline: Pipeline, engine: Engine) -> None:
    put_in_force(engine, example_texts()["cash_one_way_day_before.yaml"])
    pipeline.ingest_bytes(push("100", datetime(2025, 3, 14, 23, 0)))
    [alert] = criteria_alerts(engine)
    with writer(engine).begin() as conn:  # an analyst's decision, written directly
        alert_store.set_status(conn, int(alert["id"]), "confirmed", T0)  # type: ignore[arg-type]
    criterion = load_criterion(example_texts()["cash_one_way_day_before.yaml"])
    with engine.connect() as conn:
        report = run_backtest(conn, criterion, date(2025, 1, 1))
    assert (report.flights, report.screened, report.hits) == (1, 2, 1)
    assert report.by_route == Counter({"IST-DYU": 1}) and report.route_totals["IST-DYU"] == 2
    assert report.by_carrier == Counter({"ZZ": 1})
    assert (report.own.decided, report.own.true) == (1, 1)
    assert report.spread[("gender", "M")] == 1 and report.spread[("age band", "35-44")] == 1
    assert report.spread_totals[("nationality", "TJK")] == 2
    text = "\n".join(report.lines())
    assert "hits: 1 (50.00%)" in text and "100% (1 true of 1 decided)" in text
    assert "never usable in a criterion" in text
    # Nothing dated from tomorrow on: nothing screened.
    with engine.connect() as conn:
        assert run_backtest(conn, criterion, date(2025, 3, 16)).screened == 0


def test_the_backtest_text_test_only_skips_what_cannot_hit() -> None:
    from openpiu.criteria import compile_criterion
    from openpiu.criteria_facts import FlightInfo

    compiled = compile_criterion(load_criterion(example_texts()["cash_one_way_day_before.yaml"]))
    info = FlightInfo(1, "ZZ", "123", DEP.date(), "IST", "DYU", DEP, None)
    keep = text_test(compiled, {1: info})
    assert keep is not None
    assert keep('{"payments": [{"method": "cash"}]}', 1)
    assert not keep('{"payments": [{"method": "card"}]}', 1)
