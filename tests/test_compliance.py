"""Carrier compliance: pushes classified on time, late or missing against the
carrier's schedule; API data quality counted by the database; the CLI report.

The store gets one flight (the synthetic TK256, 2025-03-15, departing Istanbul
14:45 local = 11:45 UTC) and messages received at chosen times through a
pipeline with a fixed clock, on both backends.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, insert

from openpiu import carriers, compliance
from openpiu.formats.paxlst_writer import write_paxlst
from openpiu.formats.pnrgov_writer import write_pnrgov
from openpiu.model import (
    BookedTraveller,
    Booking,
    Envelope,
    Flight,
    ItinerarySegment,
    Leg,
    Originator,
    PnrPush,
    PushKind,
    Role,
    TravelDocument,
    Traveller,
)
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store.db import writer
from openpiu.store.schema_intake import compliance_events
from openpiu.synth.paxlst_gen import generate_manifests

DEP_LOCAL = datetime(2025, 3, 15, 14, 45)  # the synthetic manifest's flight TK256, IST
DEP = datetime(2025, 3, 15, 11, 45, tzinfo=UTC)
DAY = date(2025, 3, 15)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def passenger(surname: str, *, dob: date | None = date(1980, 1, 1),
              expiry: date | None = date(2031, 1, 1), document: bool = True,
              verified: bool | None = True) -> Traveller:  # fmt: skip
    docs = [TravelDocument("P", f"P{surname}", "TUR", expiry)] if document else []
    return Traveller(Role.PASSENGER, surname, "ALI", gender="M", dob=dob, nationality="TUR",
                     documents=docs, verified=verified)  # fmt: skip


def paxlst(travellers: list[Traveller], ref: str, sent: datetime = DEP_LOCAL) -> bytes:
    b = next(generate_manifests(1, 3, seed=11))
    env = replace(b.envelope, prepared_at=sent, interchange_ref=ref)
    return write_paxlst(replace(b, envelope=env, travellers=travellers,
                                declared_passengers=None, declared_crew=None))  # fmt: skip


def pnr(ref: str, sent: datetime) -> bytes:
    arrive = datetime(2025, 3, 15, 22, 0)
    segment = ItinerarySegment("TK", "256", "IST", "DYU", DEP_LOCAL, None, arrive, None, "Y", "HK")
    t = BookedTraveller(ref="1", surname="KAYA", given_names="MUSTAFA", raw_given_names="MUSTAFA",
                        title="MR", passenger_type="A", dob=date(1999, 7, 8), gender="M",
                        nationality="TUR")  # fmt: skip
    item = Booking("AAA111", "TK", [("TK", "AAA111")], created_at=datetime(2025, 3, 1, 9, 0),
                   travellers=[t], itinerary=[segment])  # fmt: skip
    flight = Flight("TK", "256", "TK0256", DAY, [Leg("IST", "DYU", DEP_LOCAL, None, arrive, None)])
    env = Envelope(message_ref="1", prepared_at=sent, interchange_ref=ref)
    return write_pnrgov(PnrPush(env, PushKind.FULL, flight, Originator("TK", "IST"),
                                bookings=[item]))  # fmt: skip


def register(engine: Engine, code: str = "TK", schedule: str | None = None) -> None:
    with writer(engine).begin() as conn:
        carriers.add(conn, code, "Test Air", kinds=["paxlst", "pnrgov"], routes=[],
                     schedule=carriers.parse_schedule(schedule), reply_url=None,
                     reply_queue=None, created_by="test", at=DEP - timedelta(days=10))  # fmt: skip


def receive(pipeline: Pipeline, clock: Clock, at: datetime, raw: bytes,
            channel: str = "http", sender: str | None = "TK") -> None:  # fmt: skip
    clock.now = at
    outcome = pipeline.ingest_bytes(raw, channel=channel, sender=sender)
    assert outcome.status == "processed", outcome


def report(engine: Engine, now: datetime, carrier: str | None = None) -> compliance.Report:
    with engine.connect() as conn:
        return compliance.report(conn, DAY - timedelta(days=1), now, carrier)


def slots_of(r: compliance.Report) -> dict[tuple[str, str], compliance.Slot]:
    [c] = r.carriers
    [f] = c.flights
    return {(s.kind, s.label): s for s in f.slots}


@pytest.fixture
def network_store(engine: Engine) -> Engine:
    """TK's pushes over HTTP: T-72 on time, T-24 two hours late, no PNR at
    closure, the API list 20 minutes after departure (5 minutes too late)."""
    register(engine)
    clock = Clock(DEP - timedelta(days=4))
    pipeline = Pipeline(engine, Settings(database_url="sqlite:///unused.db"), clock=clock)
    receive(
        pipeline,
        clock,
        DEP - timedelta(hours=72) + timedelta(minutes=10),
        pnr("100", DEP_LOCAL - timedelta(hours=72)),
    )
    receive(pipeline, clock, DEP - timedelta(hours=22), pnr("101", DEP_LOCAL - timedelta(hours=24)))
    receive(pipeline, clock, DEP + timedelta(minutes=20), paxlst([passenger("OK")], "1"))
    return engine


def test_pushes_classified_on_time_late_and_missing(network_store: Engine) -> None:
    r = report(network_store, DEP + timedelta(hours=3))
    slots = slots_of(r)
    assert {k: s.status for k, s in slots.items()} == {
        ("pnrgov", "T-72"): "on_time", ("pnrgov", "T-24"): "late",
        ("pnrgov", "closure"): "missing", ("paxlst", "closure"): "late",
    }  # fmt: skip
    assert slots["pnrgov", "T-24"].delay_minutes == 120
    assert slots["paxlst", "closure"].delay_minutes == 20
    assert slots["pnrgov", "T-72"].arrived_at == DEP - timedelta(hours=72, minutes=-10)
    [c] = r.carriers
    assert (c.code, c.registered, c.feed_status) == ("TK", True, "missing")
    assert c.slot_counts()["pnrgov"] == {"on_time": 1, "late": 1, "missing": 1,
                                         "upcoming": 0, "unknown": 0}  # fmt: skip


def test_before_the_deadline_a_push_is_upcoming_not_missing(network_store: Engine) -> None:
    # 10 minutes after departure: the PNR closure push may still come (15 min).
    slots = slots_of(report(network_store, DEP + timedelta(minutes=10)))
    assert slots["pnrgov", "closure"].status == "upcoming"
    assert slots["pnrgov", "T-24"].status == "late"


def test_the_carriers_own_schedule_decides_what_is_expected(engine: Engine) -> None:
    register(engine, schedule="paxlst=0")  # API at closure only, no PNR agreed
    clock = Clock(DEP)
    pipeline = Pipeline(engine, Settings(database_url="sqlite:///unused.db"), clock=clock)
    receive(pipeline, clock, DEP + timedelta(minutes=5), paxlst([passenger("OK")], "1"))
    slots = slots_of(report(engine, DEP + timedelta(days=1)))
    assert {k: s.status for k, s in slots.items()} == {("paxlst", "closure"): "on_time"}
    assert report(engine, DEP + timedelta(days=1)).carriers[0].feed_status == "ok"


def test_file_intake_is_judged_by_the_senders_time_and_the_flights_carrier(
        engine: Engine) -> None:  # fmt: skip
    # Files read a year later: the UNB time (local, like the flight's) is the arrival.
    clock = Clock(DEP + timedelta(days=365))
    pipeline = Pipeline(engine, Settings(database_url="sqlite:///unused.db"), clock=clock)
    for ref, hours in (("200", 72), ("201", 24), ("202", -0.1)):
        receive(pipeline, clock, clock.now, pnr(ref, DEP_LOCAL - timedelta(hours=hours)),
                channel="file", sender=f"tk_{ref}.edi")  # fmt: skip
    receive(pipeline, clock, clock.now, paxlst([passenger("OK")], "1",
                                               sent=DEP_LOCAL + timedelta(hours=2)),
            channel="file", sender="tk_api.edi")  # fmt: skip
    r = report(engine, clock.now)
    [c] = r.carriers
    assert (c.code, c.registered) == ("TK", False)  # no account: the usual schedule
    slots = slots_of(r)
    assert {k: s.status for k, s in slots.items()} == {
        ("pnrgov", "T-72"): "on_time", ("pnrgov", "T-24"): "on_time",
        ("pnrgov", "closure"): "on_time", ("paxlst", "closure"): "late",
    }  # fmt: skip
    assert slots["paxlst", "closure"].delay_minutes == 120


def test_data_quality_shares(engine: Engine) -> None:
    travellers = [
        passenger("GOOD"),
        passenger("NODOC", document=False),
        passenger("NODOB", dob=None, verified=None),
        passenger("FUTURE", dob=date(2030, 1, 1), verified=False),
        passenger("ANCIENT", dob=date(1890, 5, 5)),
        passenger("EXPIRED", expiry=date(2025, 3, 1)),
        passenger("LASTDAY", expiry=DAY),  # valid on the day of the flight
        passenger("NOEXPIRY", expiry=None),
    ]
    raw = paxlst(travellers, "1")
    # The writer sends YYMMDD, whose century the reader resolves to a plausible
    # date; carriers sending CCYYMMDD can state any year.
    raw = raw.replace(b"DTM+329:300101", b"DTM+329:20300101")
    raw = raw.replace(b"DTM+329:900505", b"DTM+329:18900505")
    pipeline = Pipeline(engine, Settings(database_url="sqlite:///unused.db"),
                        clock=Clock(DEP))  # fmt: skip
    assert pipeline.ingest_bytes(raw).status == "processed"
    [c] = report(engine, DEP + timedelta(hours=1)).carriers
    assert c.quality() == {
        "travellers": 8,
        "no_document": 1,
        "no_dob": 1,
        "implausible_dob": 2,
        "expired_document": 1,
        "unverified": 2,
    }
    assert c.shares() == {"no_document": 1 / 8, "no_dob": 1 / 8, "implausible_dob": 2 / 8,
                          "expired_document": 1 / 8, "unverified": 2 / 8}  # fmt: skip


def test_a_later_list_replaces_the_earlier_one_in_the_quality_figures(engine: Engine) -> None:
    pipeline = Pipeline(engine, Settings(database_url="sqlite:///unused.db"),
                        clock=Clock(DEP))  # fmt: skip
    pipeline.ingest_bytes(paxlst([passenger("A", dob=None), passenger("B", dob=None)], "1",
                                 sent=DEP_LOCAL - timedelta(hours=1)))  # fmt: skip
    pipeline.ingest_bytes(paxlst([passenger("A"), passenger("B")], "2", sent=DEP_LOCAL))
    [c] = report(engine, DEP + timedelta(hours=1)).carriers
    assert (c.quality()["travellers"], c.quality()["no_dob"]) == (2, 0)


def test_refusals_and_events_are_counted_per_carrier(engine: Engine) -> None:
    register(engine)
    pipeline = Pipeline(engine, Settings(database_url="sqlite:///unused.db"),
                        clock=Clock(DEP))  # fmt: skip
    pipeline.reject("http", "TK", 10, "not EDIFACT or XML")
    pipeline.reject("http", "TK", 10, "not EDIFACT or XML")
    pipeline.reject("http", "XX", 10, "not EDIFACT or XML")
    with engine.begin() as conn:
        for kind in ("overload", "overload", "refused"):
            conn.execute(insert(compliance_events).values(at=DEP, carrier="TK", kind=kind))
    [c] = report(engine, DEP, carrier="tk").carriers
    assert (c.refused, c.events, c.flights) == (2, {"overload": 2, "refused": 1}, [])
    assert c.feed_status == "none"


def test_a_flight_known_only_from_pnr_is_judged_by_the_end_of_its_day(engine: Engine) -> None:
    clock = Clock(DEP)
    pipeline = Pipeline(engine, Settings(database_url="sqlite:///unused.db"), clock=clock)
    receive(pipeline, clock, DEP - timedelta(hours=22), pnr("101", DEP_LOCAL))
    # The day ends at 23:59 in Istanbul (20:59 UTC), closure missing 15 minutes later.
    end = datetime(2025, 3, 15, 20, 59, tzinfo=UTC)
    before, after = (report(engine, end + timedelta(minutes=m)) for m in (10, 20))
    assert before.carriers[0].flights[0].departure_estimated
    assert slots_of(before)["paxlst", "closure"].status == "upcoming"
    assert slots_of(after)["paxlst", "closure"].status == "missing"
    assert slots_of(after)["pnrgov", "T-24"].status == "on_time"


# -- the pure rules alone ---------------------------------------------------------------


def test_each_push_counts_for_the_nearest_agreed_time() -> None:
    arrived = [DEP - timedelta(hours=30), DEP - timedelta(hours=10)]
    slots = compliance.classify("pnrgov", [72, 24, 0], DEP, arrived, DEP + timedelta(days=1))
    # T-30 is nearest T-24 (on time, early); T-10 nearest closure (before it: on time).
    assert [(s.label, s.status, s.pushes) for s in slots] == [
        ("T-72", "missing", 0),
        ("T-24", "on_time", 1),
        ("closure", "on_time", 1),
    ]
    unknown = compliance.classify("paxlst", [0], None, arrived, DEP)
    assert [s.status for s in unknown] == ["unknown"]


# -- the CLI ----------------------------------------------------------------------------


def test_cli_report_text_and_json(piu, env: str) -> None:
    from openpiu.store.db import make_engine

    engine = make_engine(env)
    try:
        from openpiu.store.db import upgrade

        upgrade(engine)
        register(engine)
        clock = Clock(DEP)
        pipeline = Pipeline(engine, Settings(database_url=env), clock=clock)
        receive(
            pipeline, clock, DEP - timedelta(hours=22), pnr("101", DEP_LOCAL - timedelta(hours=24))
        )
        receive(pipeline, clock, DEP + timedelta(minutes=5), paxlst([passenger("OK")], "1"))
    finally:
        engine.dispose()
    text = piu("compliance", "report", "--since", "2025-03-14")
    assert text.code == 0 and text.clean(), text
    assert "TK (Test Air): feed missing, 1 flights" in text.out
    assert "pnrgov (T-72, T-24, closure): 1 late, 2 missing" in text.out
    assert "TK0256 IST-DYU 2025-03-15 11:45 UTC" in text.out
    assert "pnrgov T-24 late (+120 min)" in text.out
    as_json = piu("compliance", "report", "--since", "2025-03-14", "--carrier", "TK", "--json")
    assert as_json.code == 0, as_json
    data = json.loads(as_json.out)
    [c] = data["carriers"]
    assert c["code"] == "TK" and c["feed_status"] == "missing"
    assert c["slots"]["paxlst"]["on_time"] == 1
    [f] = c["flights"]
    assert f["designator"] == "TK0256"
    assert [(s["label"], s["status"]) for s in f["slots"] if s["kind"] == "pnrgov"] == [
        ("T-72", "missing"),
        ("T-24", "late"),
        ("closure", "missing"),
    ]
    later = piu("compliance", "report", "--since", "2025-03-16", "--json")
    assert [c["flights_count"] for c in json.loads(later.out)["carriers"]] == [0]
    bad = piu("compliance", "report", "--since", "15.03.2025")
    assert bad.code == 2 and "not a date" in bad.err and bad.clean()
