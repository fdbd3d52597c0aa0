"""One person across PNR and API, on both backends (issue 3, item 5).

A booking's travellers are linked to the API travellers of the same flight: by
record locator (RFF AVF against every RCI locator) with names compared after
normalisation, else by document, else by name + date of birth.  Either message
may arrive first.  Unlinked travellers stay visible; a link between two person
records is recorded as a ``linked`` person event.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from openpiu.formats.paxlst_writer import write_paxlst
from openpiu.formats.pnrgov_writer import write_pnrgov
from openpiu.model import (
    BookedTraveller,
    Booking,
    Envelope,
    Flight,
    ItinerarySegment,
    Leg,
    ListAction,
    Manifest,
    Originator,
    PnrPush,
    PushKind,
    ReportingParty,
    Role,
    TravelDocument,
    Traveller,
)
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store import pnr_queries
from openpiu.store.schema import flights, person_events, person_links

T0 = datetime(2025, 3, 16, 9, 0, tzinfo=UTC)
DEP = datetime(2025, 3, 15, 8, 15)
ARR = datetime(2025, 3, 15, 14, 30)


@pytest.fixture
def pipeline(engine: Engine) -> Pipeline:
    return Pipeline(engine, Settings(database_url="sqlite:///unused.db"),  # type: ignore[call-arg]
                    clock=lambda: T0)


def pnr_traveller(surname: str, raw_given: str, given: str, dob: date | None = None,
                  passport: str | None = None, ref: str = "1") -> BookedTraveller:
    t = BookedTraveller(ref=ref, surname=surname, given_names=given, raw_given_names=raw_given,
                        title=raw_given.removeprefix(given) or None, passenger_type="A",
                        dob=dob, gender="M" if dob else None)
    if passport:
        t.documents.append(TravelDocument("P", passport, "IRL", date(2031, 1, 1)))
    return t


def pnr(*bookings: tuple[str, list[BookedTraveller]], other: str | None = None,
        number: str = "123") -> bytes:
    items = []
    for locator, travellers in bookings:
        locators: list[tuple[str | None, str]] = [("ZZ", locator)]
        if other:
            locators.append(("1A", other))
        segment = ItinerarySegment("ZZ", "123", "IST", "DYU", DEP, None, ARR, None, "Y", "HK")
        items.append(Booking(locator, "ZZ", locators, created_at=datetime(2025, 3, 1, 9, 0),
                             travellers=travellers, itinerary=[segment]))
    flight = Flight("ZZ", number, f"ZZ{number}", DEP.date(), [Leg("IST", "DYU", DEP, None, ARR)])
    env = Envelope(message_ref="1", prepared_at=datetime(2025, 3, 14, 8, 0), interchange_ref="7")
    return write_pnrgov(PnrPush(env, PushKind.FULL, flight, Originator("ZZ", "IST"),
                                bookings=items))


def api_traveller(surname: str, given: str, locator: str | None = None,
                  dob: date | None = None, passport: str | None = None) -> Traveller:
    t = Traveller(Role.PASSENGER, surname, given, gender="M", dob=dob, nationality="IRL",
                  record_locator=locator)
    if passport:
        t.documents.append(TravelDocument("P", passport, "IRL", date(2031, 1, 1)))
    return t


def api(*travellers: Traveller, designator: str = "ZZ0123") -> bytes:
    flight = Flight("ZZ", "123", designator, DEP.date(), [Leg("IST", "DYU", DEP, None, ARR)])
    env = Envelope(sender="ZZAIR", recipient="PIU", prepared_at=datetime(2025, 3, 15, 4, 12),
                   interchange_ref="417", message_ref="PAX1")
    manifest = Manifest(env, "745", None, ListAction.FULL, flight, list(travellers),
                        reporting_party=ReportingParty("ZZ API DESK"))
    return write_paxlst(manifest)


def ingest(pipeline: Pipeline, *raws: bytes) -> None:
    for raw in raws:
        outcome = pipeline.ingest_bytes(raw)
        assert outcome.status == "processed", outcome


def link_status(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as conn:
        flight_id = conn.scalar(select(flights.c.id))
        return pnr_queries.flight_link_status(conn, flight_id)


def rules(engine: Engine) -> dict[str, str | None]:
    """PNR surname/given -> rule of its link (None: unlinked)."""
    return {f"{p['surname']}/{p['given_names']}": p["rule"] for p in link_status(engine)["pnr"]}


def count(engine: Engine, table: Any, *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table).where(*where)) or 0)


@pytest.mark.parametrize("api_first", [True, False], ids=["api-first", "pnr-first"])
def test_locator_links_despite_apostrophe_space_and_title(
        pipeline: Pipeline, engine: Engine, api_first: bool) -> None:
    booking = [pnr_traveller("OREILLY", "SEANMR", "SEAN"),
               pnr_traveller("VANDERBERG", "MARIAMRS", "MARIA", ref="2")]
    messages = [pnr(("ABC123", booking)),
                api(api_traveller("O'REILLY", "SEAN", "ABC123", date(1985, 1, 1), "PA1"),
                    api_traveller("VAN DER BERG", "MARIA", "ABC123", date(1987, 2, 2), "PA2"))]
    ingest(pipeline, *(reversed(messages) if api_first else messages))
    assert rules(engine) == {"OREILLY/SEAN": "locator", "VANDERBERG/MARIA": "locator"}
    assert link_status(engine)["api_unlinked"] == []
    # PNR persons (no document) differ from API persons (passport): said, never silent.
    assert count(engine, person_events, person_events.c.kind == "linked") == 2
    with engine.connect() as conn:
        details = list(conn.scalars(select(person_events.c.detail).where(
            person_events.c.kind == "linked")))
    assert all("rule locator" in d for d in details)


def test_locator_of_the_second_rci_entry_links(pipeline: Pipeline, engine: Engine) -> None:
    ingest(pipeline, pnr(("ABC123", [pnr_traveller("OREILLY", "SEANMR", "SEAN")]),
                         other="XYZ987"),
           api(api_traveller("O'REILLY", "SEAN", "XYZ987")))
    assert rules(engine) == {"OREILLY/SEAN": "locator"}


def test_document_links_without_locator_match(pipeline: Pipeline, engine: Engine) -> None:
    ingest(pipeline,
           api(api_traveller("OREILLY", "SEAN PATRICK", "OTHER1", date(1985, 1, 1), "PA 12345")),
           pnr(("ABC123", [pnr_traveller("OREILLY", "SEANMR", "SEAN", date(1985, 1, 1),
                                         "PA12345")])))
    assert rules(engine) == {"OREILLY/SEAN": "document"}


@pytest.mark.parametrize("api_first", [True, False], ids=["api-first", "pnr-first"])
def test_name_and_dob_link_without_documents(pipeline: Pipeline, engine: Engine,
                                             api_first: bool) -> None:
    messages = [pnr(("ABC123", [pnr_traveller("O'REILLY", "SEANMR", "SEAN", date(1985, 1, 1))])),
                api(api_traveller("OREILLY", "SEAN", None, date(1985, 1, 1)))]
    ingest(pipeline, *(reversed(messages) if api_first else messages))
    assert rules(engine) == {"O'REILLY/SEAN": "name_dob"}


def test_unlinked_travellers_are_visible_on_both_sides(pipeline: Pipeline,
                                                       engine: Engine) -> None:
    ingest(pipeline,
           pnr(("ABC123", [pnr_traveller("OREILLY", "SEANMR", "SEAN", date(1985, 1, 1))]),
               ("DEF456", [pnr_traveller("SAIDOV", "FARRUKHMR", "FARRUKH", date(1990, 5, 5))])),
           api(api_traveller("O'REILLY", "SEAN", "ABC123"),
               api_traveller("RAHIMOVA", "NIGINA", "XYZ789", date(1992, 12, 31))))
    status = link_status(engine)
    assert rules(engine) == {"OREILLY/SEAN": "locator", "SAIDOV/FARRUKH": None}
    assert [a["surname"] for a in status["api_unlinked"]] == ["RAHIMOVA"]
    assert count(engine, person_links) == 1


def test_same_person_keys_link_without_a_person_event(pipeline: Pipeline,
                                                      engine: Engine) -> None:
    ingest(pipeline,
           pnr(("ABC123", [pnr_traveller("OREILLY", "SEANMR", "SEAN", date(1985, 1, 1),
                                         "PA1234567")])),
           api(api_traveller("OREILLY", "SEAN", "ABC123", date(1985, 1, 1), "PA1234567")))
    with engine.connect() as conn:
        (link,) = conn.execute(select(person_links)).all()
    assert link.pnr_person_id == link.api_person_id and link.rule == "locator"
    assert count(engine, person_events, person_events.c.kind == "linked") == 0


@pytest.mark.parametrize("pnr_number", ["123", "0123"])
def test_flight_numbers_with_and_without_leading_zeros_meet(
        pipeline: Pipeline, engine: Engine, pnr_number: str) -> None:
    ingest(pipeline,
           pnr(("ABC123", [pnr_traveller("OREILLY", "SEANMR", "SEAN")]), number=pnr_number),
           api(api_traveller("O'REILLY", "SEAN", "ABC123"), designator="ZZ0123"))
    assert count(engine, flights) == 1
    assert rules(engine) == {"OREILLY/SEAN": "locator"}


def test_links_follow_a_booking_that_left(pipeline: Pipeline, engine: Engine) -> None:
    ingest(pipeline, api(api_traveller("O'REILLY", "SEAN", "ABC123")),
           pnr(("ABC123", [pnr_traveller("OREILLY", "SEANMR", "SEAN")])))
    assert count(engine, person_links) == 1
    later = pnr(("DEF456", [pnr_traveller("SAIDOV", "FARRUKHMR", "FARRUKH")]))
    later = later.replace(b"250314:0800", b"250315:0700")  # a later full push without ABC123
    ingest(pipeline, later)
    assert rules(engine) == {"SAIDOV/FARRUKH": None}
    assert count(engine, person_links) == 0
    assert [a["surname"] for a in link_status(engine)["api_unlinked"]] == ["O'REILLY"]
