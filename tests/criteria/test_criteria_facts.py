"""TravelFacts: the allow-list, and the facts derived from the itinerary."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from criteria_builders import DEPARTURE, courier, facts, leg

from openpiu.criteria import FACTS, PROTECTED_FACTS, CheckInStatus, TravelFacts, Weekday


def test_the_allow_list_holds_no_name_free_text_or_service_code() -> None:
    names = {f.name for f in dataclasses.fields(TravelFacts)}
    for word in ("name", "ssr", "meal", "remark", "text", "osi", "contact", "address", "phone"):
        assert not [n for n in names if word in n], word
    # Every fact of the catalogue is an attribute of TravelFacts, nothing else is read.
    assert set(FACTS) <= names
    assert {"nationality", "age", "gender"} == PROTECTED_FACTS


def test_return_trip_facts() -> None:
    f = facts()
    assert f.origin == "IST" and f.destination == "DYU"
    assert f.origin_country == "TUR" and f.destination_country == "TJK"
    assert not f.one_way and not f.broken_travel
    assert f.via_airports == frozenset() and f.longest_connection_hours is None
    assert f.booking_lead_days == 30 and f.ticketing_lead_hours == 29 * 24
    assert f.departure_date == date(2025, 3, 15) and f.day_of_week is Weekday.SAT
    assert f.itinerary_countries == {"TUR", "TJK"}


def test_one_way_day_before() -> None:
    f = courier()
    assert f.one_way and f.booking_lead_days == 1 and f.ticketing_lead_hours == 19.0


def test_return_via_hub_finds_the_real_destination() -> None:
    out1 = leg("FRA", "IST", DEPARTURE, 3)
    out2 = leg("IST", "DYU", DEPARTURE + timedelta(hours=5), 5)  # 2 hours at IST
    back1 = leg("DYU", "IST", DEPARTURE + timedelta(days=10), 5)
    back2 = leg("IST", "FRA", DEPARTURE + timedelta(days=10, hours=30), 3)  # 25 hours at IST
    f = facts(legs=(out1, out2, back1, back2))
    assert f.destination == "DYU" and not f.one_way
    assert f.via_airports == {"IST"} and f.via_countries == {"TUR"}
    assert f.longest_connection_hours == 25.0


def test_broken_travel_arrives_in_one_place_and_leaves_from_another() -> None:
    f = facts(
        legs=(leg("FRA", "IST", DEPARTURE), leg("SAW", "DYU", DEPARTURE + timedelta(hours=9)))
    )
    assert f.broken_travel and f.one_way and f.destination == "DYU"
    assert f.via_airports == {"IST"}  # where they arrived; SAW is a departure point only
    assert f.longest_connection_hours == 6.0


def test_screened_leg_is_the_reference_time() -> None:
    f = facts(screened_leg=1)
    assert f.departure == DEPARTURE + timedelta(days=7)
    assert f.booking_lead_days == 37


def test_document_and_check_in_facts() -> None:
    f = facts(document_issued=date(2025, 3, 1), document_expires=date(2025, 3, 10),
              check_in_status=CheckInStatus.NO_SHOW)  # fmt: skip
    assert f.document_age_days == 14 and f.document_validity_days == -5
    assert f.no_show
    g = facts()
    assert g.document_age_days is None and g.document_validity_days is None and not g.no_show


def test_facts_are_immutable_and_need_a_leg() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts().group_size = 3  # type: ignore[misc]
    with pytest.raises(ValueError):
        TravelFacts(legs=())
    with pytest.raises(ValueError):
        facts(screened_leg=5)
