"""Screening in the flow, on both backends: lists loaded, messages stored, alerts kept.

Every stored PAXLST or PNR push screens the flight's travellers against every
loaded list; a list change screens stored travellers again (within the window of
``rescreen_past_days`` before the pipeline clock's date).  Alerts fold repeated
hits: the same evidence changes nothing, a dismissal holds until the entry itself
changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from openpiu import accounts
from openpiu.formats.paxlst_writer import write_paxlst
from openpiu.formats.pnrgov_writer import write_pnrgov
from openpiu.model import (
    BookedTraveller,
    Booking,
    Envelope,
    Flight,
    ItinerarySegment,
    Leg,
    Manifest,
    Originator,
    PnrPush,
    PushKind,
    Role,
    Seat,
    TravelDocument,
    Traveller,
)
from openpiu.pipeline import Pipeline
from openpiu.screening import Feature, recompute
from openpiu.screening_service import load_watchlist
from openpiu.settings import Settings
from openpiu.store import alerts as alert_store
from openpiu.store.db import writer
from openpiu.store.schema import alerts
from openpiu.store.watchlists import VersionResult
from openpiu.synth.paxlst_gen import generate_manifests

T0 = datetime(2025, 3, 15, 4, 0, tzinfo=UTC)  # the synthetic flight is dated 2025-03-15
HEADER = ("entry_id,list_ref,full_name,surname,given_names,aliases,dob,gender,nationality,"
          "doc_type,doc_number,doc_country,action,legal_basis,owner,expires,notes\n")
RAHIMOV = "E1,NAT-001,Jamshed Rahimov,,,{aliases},1985-06-01,M,TJK,,,,notify,,,{expires},\n"
OTHER = "E2,NAT-002,Gulnora Usmonova,,,,1990-02-02,F,UZB,,,,notify,,,,\n"


class Clock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"database_url": "sqlite:///unused.db"}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def pipeline(engine: Engine, clock: Clock) -> Pipeline:
    return Pipeline(engine, settings(), clock=clock)


def list_csv(aliases: str = "", expires: str = "", other: bool = True) -> bytes:
    text = HEADER + RAHIMOV.format(aliases=aliases, expires=expires)
    return (text + (OTHER if other else "")).encode()


def load(engine: Engine, raw: bytes, name: str = "national",
         at: datetime = T0) -> VersionResult:
    return load_watchlist(engine, accounts.Actor.local(), name, "csv", raw, "list.csv", at)


def passenger(surname: str, given: str, born: date, nationality: str,
              doc: str, doc_country: str | None = None) -> Traveller:
    return Traveller(Role.PASSENGER, surname, given, gender="M", dob=born,
                     nationality=nationality,
                     documents=[TravelDocument("P", doc, doc_country or nationality,
                                               date(2031, 1, 1))])


def rakhimov() -> Traveller:
    return passenger("RAKHIMOV", "DZHAMSHED", date(1985, 6, 1), "TJK", "401122334")


def innocents() -> list[Traveller]:
    return [
        passenger("SMIRNOV", "ANDREY", date(1976, 4, 30), "RUS", "D3907579"),
        passenger("KAYA", "MUSTAFA", date(1999, 7, 8), "TUR", "K9215275"),
    ]


def base() -> Manifest:
    return next(generate_manifests(1, 3, seed=11))


def paxlst(travellers: list[Traveller], ref: str, at: datetime = T0) -> bytes:
    """A full passenger list of the synthetic flight TK256/2025-03-15."""
    b = base()
    env = replace(b.envelope, prepared_at=at.replace(tzinfo=None), interchange_ref=ref)
    return write_paxlst(replace(b, envelope=env, travellers=travellers,
                                declared_passengers=None, declared_crew=None))


def ingest(pipeline: Pipeline, raw: bytes) -> Counter[str]:
    outcome = pipeline.ingest_bytes(raw)
    assert outcome.status == "processed", outcome
    return outcome.alerts


def all_alerts(engine: Engine) -> list[dict[str, Any]]:
    """Every alert, whatever its status, oldest first."""
    with engine.connect() as conn:
        ids = list(conn.scalars(select(alerts.c.id).order_by(alerts.c.id)))
        return [alert_store.get_alert(conn, int(i)) for i in ids]


def history(engine: Engine, alert_id: int) -> list[str]:
    with engine.connect() as conn:
        return [e["kind"] for e in alert_store.alert_history(conn, alert_id)]


# -- 1. an API manifest raises one alert, replays leave it alone ------------------------

def test_manifest_raises_one_explained_alert(pipeline: Pipeline, engine: Engine,
                                             clock: Clock) -> None:
    result = load(engine, list_csv())
    assert (result.version, sorted(result.added)) == (1, ["E1", "E2"])

    first = ingest(pipeline, paxlst([*innocents(), rakhimov()], "1"))
    assert first == Counter({"raised": 1})
    [alert] = all_alerts(engine)
    assert (alert["list_name"], alert["entry_id"], alert["entry_ref"]) == (
        "national", "E1", "NAT-001")
    assert (alert["band"], alert["status"], alert["list_version"]) == ("alert", "open", 1)
    assert alert["matched_name"] == "Jamshed Rahimov"
    features = [Feature.from_json(f) for f in alert["features"]]
    names = {f.name for f in features}
    assert {"name", "dob", "nationality"} <= names
    name_feature = next(f for f in features if f.name == "name")
    assert "RAKHIMOV" in name_feature.left and "RAHIMOV" in name_feature.right
    assert recompute(features) == pytest.approx(alert["score"], abs=1e-9)
    assert history(engine, int(alert["id"])) == ["raised"]

    # The same flight again, later: one more innocent and a reordered list; he is untouched.
    clock.now = T0 + timedelta(hours=2)
    extra = passenger("PETROV", "IVAN", date(1960, 1, 1), "RUS", "R1234567")
    again = ingest(pipeline, paxlst([rakhimov(), extra, *innocents()], "2", clock.now))
    assert again == Counter({"unchanged": 1})
    [after] = all_alerts(engine)
    assert after["id"] == alert["id"] and after["status"] == "open"
    assert after["updated_at"] == alert["updated_at"]
    assert history(engine, int(alert["id"])) == ["raised"]


def test_open_alerts_and_flight_view(pipeline: Pipeline, engine: Engine) -> None:
    load(engine, list_csv())
    ingest(pipeline, paxlst([rakhimov(), *innocents()], "1"))
    with engine.connect() as conn:
        [queued] = alert_store.open_alerts(conn)
        assert alert_store.open_alerts(conn, band="review") == []
        assert [a["id"] for a in alert_store.alerts_for_flight(conn, int(queued["flight_id"]))] \
            == [queued["id"]]


# -- 2. the analyst's dismissal holds until the entry changes ---------------------------

def test_dismissed_alert_is_suppressed_then_reopened_by_a_changed_entry(
        pipeline: Pipeline, engine: Engine, clock: Clock) -> None:
    load(engine, list_csv())
    ingest(pipeline, paxlst([rakhimov(), *innocents()], "1"))
    [alert] = all_alerts(engine)
    alert_id = int(alert["id"])
    with writer(engine).begin() as conn:
        assert alert_store.set_status(conn, alert_id, "dismissed", T0) == "open"

    clock.now = T0 + timedelta(hours=1)
    again = ingest(pipeline, paxlst([rakhimov(), *innocents()[:1]], "2", clock.now))
    assert again == Counter({"suppressed": 1})
    [still] = all_alerts(engine)
    assert still["status"] == "dismissed"
    assert history(engine, alert_id) == ["raised"]
    with engine.connect() as conn:
        assert alert_store.open_alerts(conn) == []

    # Version 2: the entry gains an alias (E2 untouched).
    clock.now = T0 + timedelta(hours=2)
    v2 = load(engine, list_csv(aliases="Dzhamshed Rakhimov"), at=clock.now)
    assert (v2.version, v2.added, v2.changed, v2.removed) == (2, [], ["E1"], [])
    assert pipeline.rescreen_after_list_change("national", v2) is True
    assert "1 alert(s) raised or reopened" in pipeline.last_rescreen_summary
    [reopened] = all_alerts(engine)
    assert reopened["id"] == alert_id
    assert (reopened["status"], reopened["list_version"]) == ("open", 2)
    assert reopened["entry_digest"] != alert["entry_digest"]
    assert history(engine, alert_id) == ["raised", "reopened"]

    # Loading the same bytes again writes no version and screens nothing.
    same = load(engine, list_csv(aliases="Dzhamshed Rakhimov"), at=clock.now)
    assert same.unchanged and same.version == 2
    assert pipeline.rescreen_after_list_change("national", same) is False


def test_dismissed_alert_stays_dismissed_when_another_entry_changes(
        pipeline: Pipeline, engine: Engine) -> None:
    load(engine, list_csv())
    ingest(pipeline, paxlst([rakhimov(), *innocents()], "1"))
    [alert] = all_alerts(engine)
    with writer(engine).begin() as conn:
        alert_store.set_status(conn, int(alert["id"]), "dismissed", T0)
    v2 = load(engine, list_csv(other=False) + OTHER.replace("UZB", "KAZ").encode())
    assert v2.changed == ["E2"]
    pipeline.rescreen_after_list_change("national", v2)
    [still] = all_alerts(engine)
    assert still["status"] == "dismissed"


# -- 3. a list change screens stored travellers again, within the window ----------------

def test_list_loaded_after_the_manifest_raises_on_rescreen(pipeline: Pipeline,
                                                           engine: Engine) -> None:
    assert ingest(pipeline, paxlst([rakhimov(), *innocents()], "1")) == Counter()
    assert all_alerts(engine) == []
    result = load(engine, list_csv())
    assert pipeline.rescreen_after_list_change("national", result) is True
    summary = pipeline.last_rescreen_summary
    assert "3 stored traveller(s)" in summary and "1 alert(s) raised" in summary, summary
    [alert] = all_alerts(engine)
    assert (alert["entry_id"], alert["band"], alert["status"]) == ("E1", "alert", "open")
    assert history(engine, int(alert["id"])) == ["raised"]
    # A second rescreen with the same result changes nothing.
    pipeline.rescreen_after_list_change("national", result)
    assert history(engine, int(alert["id"])) == ["raised"]


@pytest.mark.parametrize(
    ("days_later", "past_days", "raised"),
    [
        (7, 7, True),  # flight date == today - 7: the first day of the window
        (8, 7, False),  # one day before the window
        (30, 7, False),
        (30, 30, True),  # a wider window (PIU_RESCREEN_PAST_DAYS) reaches it
        (1, 0, False),
    ],
)
def test_rescreen_window_follows_the_pipeline_clock(engine: Engine, days_later: int,
                                                    past_days: int, raised: bool) -> None:
    clock = Clock()
    pipeline = Pipeline(engine, settings(rescreen_past_days=past_days), clock=clock)
    assert ingest(pipeline, paxlst([rakhimov(), *innocents()], "1")) == Counter()
    clock.now = T0 + timedelta(days=days_later)
    result = load(engine, list_csv(), at=clock.now)
    pipeline.rescreen_after_list_change("national", result)
    assert len(all_alerts(engine)) == (1 if raised else 0), pipeline.last_rescreen_summary


def test_rescreen_only_considers_changed_entries(pipeline: Pipeline, engine: Engine) -> None:
    load(engine, HEADER.encode() + OTHER.encode())
    ingest(pipeline, paxlst([rakhimov(), *innocents()], "1"))
    assert all_alerts(engine) == []
    v2 = load(engine, list_csv())
    assert v2.added == ["E1"]
    pipeline.rescreen_after_list_change("national", v2)
    assert "against 1 changed entry" in pipeline.last_rescreen_summary
    assert [a["entry_id"] for a in all_alerts(engine)] == ["E1"]


# -- 4. a document-only list (lost and stolen documents) --------------------------------

DOCS = (HEADER
        + "S1,LOST-1,,,,,,,,P,AB 123-456,TJK,notify,,,,\n"
        + "S2,LOST-2,,,,,,,,P,ZX-99 88 77,UZB,notify,,,,\n").encode()


@pytest.mark.parametrize(
    ("number", "country", "hit"),
    [
        ("AB123456", "TJK", True),
        ("AB-123 456", "TJK", True),
        ("ab123456", "TJK", True),
        ("AB123456", "KAZ", False),
        ("AB123457", "TJK", False),
        ("ZX998877", "UZB", True),
    ],
)
def test_document_only_list(pipeline: Pipeline, engine: Engine, number: str, country: str,
                            hit: bool) -> None:
    load(engine, DOCS, name="lost")
    holder = passenger("NAZAROV", "DILSHOD", date(1992, 9, 9), "TJK", number, country)
    got = ingest(pipeline, paxlst([holder, *innocents()], "1"))
    found = all_alerts(engine)
    if hit:
        assert got == Counter({"raised": 1})
        [alert] = found
        assert alert["list_name"] == "lost" and alert["band"] == "alert"
        assert [f["name"] for f in alert["features"]] == ["document"]
    else:
        assert got == Counter() and found == []


# -- 5. an expired entry stops hitting ------------------------------------------------

@pytest.mark.parametrize(
    ("expires", "hit"),
    [("2025-03-14", False), ("2024-12-31", False), ("2025-03-15", True), ("2026-01-01", True)],
)
def test_expired_entry_does_not_alert(pipeline: Pipeline, engine: Engine, expires: str,
                                      hit: bool) -> None:
    load(engine, list_csv(expires=expires))
    got = ingest(pipeline, paxlst([rakhimov(), *innocents()], "1"))
    assert got == (Counter({"raised": 1}) if hit else Counter())
    assert len(all_alerts(engine)) == (1 if hit else 0)


def test_expired_entry_is_not_rescreened(pipeline: Pipeline, engine: Engine) -> None:
    ingest(pipeline, paxlst([rakhimov(), *innocents()], "1"))
    result = load(engine, list_csv(expires="2025-03-01"))
    pipeline.rescreen_after_list_change("national", result)
    assert all_alerts(engine) == []


# -- 6. PNR pushes are screened too -----------------------------------------------------

PNR_DEP = datetime(2025, 3, 15, 8, 15)


def booked(surname: str, given: str, born: date, nationality: str, doc: str,
           seat: str) -> BookedTraveller:
    t = BookedTraveller(ref="1", surname=surname, given_names=given,
                        raw_given_names=given + "MR", title="MR", passenger_type="A",
                        dob=born, gender="M", nationality=nationality)
    t.documents.append(TravelDocument("P", doc, nationality, date(2031, 1, 1)))
    t.seats.append(Seat(seat, "IST-DYU"))
    return t


def booking(locator: str, t: BookedTraveller) -> Booking:
    segment = ItinerarySegment("ZZ", "123", "IST", "DYU", PNR_DEP, None,
                               datetime(2025, 3, 15, 14, 30), None, "Y", "HK")
    return Booking(locator, "ZZ", [("ZZ", locator)], created_at=datetime(2025, 3, 1, 9, 0),
                   travellers=[t], itinerary=[segment])


def pnr_push(sent: datetime, ref: str, items: list[Booking]) -> bytes:
    flight = Flight("ZZ", "123", "ZZ123", PNR_DEP.date(),
                    [Leg("IST", "DYU", PNR_DEP, None, datetime(2025, 3, 15, 14, 30), None)])
    env = Envelope(message_ref="1", prepared_at=sent, interchange_ref=ref)
    return write_pnrgov(PnrPush(env, PushKind.FULL, flight, Originator("ZZ", "IST"),
                                bookings=items))


def test_pnr_push_raises_an_alert(pipeline: Pipeline, engine: Engine, clock: Clock) -> None:
    load(engine, list_csv())
    items = [
        booking("AAA111", booked("RAKHIMOV", "DZHAMSHED", date(1985, 6, 1), "TJK", "401122334",
                                 "10A")),
        booking("BBB222", booked("NAZAROV", "DILSHOD", date(1980, 1, 2), "TJK", "400000002",
                                 "11B")),
    ]
    outcome = pipeline.ingest_bytes(pnr_push(datetime(2025, 3, 12, 8, 15), "100", items))
    assert outcome.status == "processed", outcome
    assert outcome.alerts == Counter({"raised": 1})
    [alert] = all_alerts(engine)
    assert (alert["entry_id"], alert["band"], alert["status"]) == ("E1", "alert", "open")
    features = [Feature.from_json(f) for f in alert["features"]]
    assert recompute(features) == pytest.approx(alert["score"], abs=1e-9)

    # The next push with the same booking: the same alert, unchanged.
    clock.now = T0 + timedelta(hours=1)
    again = pipeline.ingest_bytes(pnr_push(datetime(2025, 3, 14, 8, 15), "101", items))
    assert again.status == "processed", again
    assert again.alerts == Counter({"unchanged": 1})
    assert len(all_alerts(engine)) == 1


# -- one human, one alert per entry, whichever data came first --------------------------

SYNTH_DEP = datetime(2025, 3, 15, 14, 45)  # the synthetic manifest's flight TK256


def tk_push(ref: str, traveller: BookedTraveller) -> bytes:
    arrive = datetime(2025, 3, 15, 22, 0)
    segment = ItinerarySegment("TK", "256", "IST", "DYU", SYNTH_DEP, None, arrive, None, "Y",
                               "HK")
    item = Booking("AAA111", "TK", [("TK", "AAA111")], created_at=datetime(2025, 3, 1, 9, 0),
                   travellers=[traveller], itinerary=[segment])
    flight = Flight("TK", "256", "TK0256", SYNTH_DEP.date(),
                    [Leg("IST", "DYU", SYNTH_DEP, None, arrive, None)])
    env = Envelope(message_ref="1", prepared_at=datetime(2025, 3, 12, 8, 15), interchange_ref=ref)
    return write_pnrgov(PnrPush(env, PushKind.FULL, flight, Originator("TK", "IST"),
                                bookings=[item]))


@pytest.mark.parametrize("pnr_doc", ["401122334", "409999999"])
@pytest.mark.parametrize("order", ["api-first", "pnr-first"])
def test_api_and_pnr_of_one_traveller_make_one_alert(
        pipeline: Pipeline, engine: Engine, order: str, pnr_doc: str) -> None:
    load(engine, list_csv())
    pnr = tk_push("100", booked("RAKHIMOV", "DZHAMSHED", date(1985, 6, 1), "TJK", pnr_doc,
                                "10A"))
    api = paxlst([rakhimov(), *innocents()], "1")
    for raw in ([pnr, api] if order == "pnr-first" else [api, pnr]):
        outcome = pipeline.ingest_bytes(raw)
        assert outcome.status == "processed", outcome
    found = all_alerts(engine)
    assert [(a["entry_id"], a["status"]) for a in found] == [("E1", "open")], found
