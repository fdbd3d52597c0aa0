"""TravelFacts from stored data (criteria_facts): bookings as the store keeps them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from openpiu.criteria import BookingChannel, CheckInStatus, Gender, PaymentForm
from openpiu.criteria_facts import (
    ApiPerson,
    BookedPerson,
    FlightInfo,
    api_facts,
    booked_facts,
    seat_changes,
    seat_of,
)

FLIGHT = FlightInfo(1, "ZZ", "123", date(2025, 3, 15), "IST", "DYU",
                    datetime(2025, 3, 15, 8, 15), datetime(2025, 3, 15, 14, 30))  # fmt: skip


def booking(**traveller: Any) -> dict[str, Any]:
    me = {
        "documents": [{"doc_type": "P", "expiry": "2025-05-01"}],
        "tickets": [{"issued": "2025-03-14T18:20:00"}],
        "payments": [{"method": "cash"}],
        "seats": [{"seat": "10A", "source": "requested"}],
        "bags": [],
        "checkins": [],
    }
    me.update(traveller)
    return {"created_at": "2025-03-14T18:00:00",
            "originator": {"kind": "T", "agency_id": "33112244", "location": "IST"},
            "travellers": [me],
            "itinerary": [{"carrier": "ZZ", "number": "123", "departure_airport": "IST",
                           "arrival_airport": "DYU", "departure_local": "2025-03-15T08:15:00",
                           "arrival_local": "2025-03-15T14:30:00", "status": "HK",
                           "kind": "air"}]}  # fmt: skip


def person(data: dict[str, Any]) -> BookedPerson:
    return BookedPerson(1, 7, None, 3, 1, "F", date(1990, 1, 2), "TJK", data)


def test_booking_facts() -> None:
    f = booked_facts(FLIGHT, person(booking()), None)
    assert f.payment_forms == {PaymentForm.CASH} and f.booking_channel is BookingChannel.AGENCY
    assert (f.agency_code, f.booking_city, f.booking_country) == ("33112244", "IST", "TUR")
    assert f.one_way and f.booking_lead_days == 1 and f.ticketing_lead_hours == 13.9
    assert (f.origin_country, f.destination_country) == ("TUR", "TJK")
    assert f.document_validity_days == 47 and f.document_issued is None  # DOCS has no issue date
    assert (f.age, f.gender, f.nationality) == (35, Gender.F, "TJK")
    # No check-in yet and none over: not checked in, bags unknown.
    assert f.check_in_status is CheckInStatus.NOT_CHECKED_IN and f.bag_count is None


def test_check_in_no_show_and_bags() -> None:
    bags = [{"count": 2, "weight": 50, "unit": "LBR"}, {"count": 1, "weight": 20}]
    checked = booked_facts(FLIGHT, person(booking(checkins=[{"status": "boarded"}], bags=bags)),
                           None)  # fmt: skip
    assert checked.check_in_status is CheckInStatus.CHECKED_IN
    assert (checked.bag_count, checked.bag_weight_kg) == (3, 42.7)
    # Check-in is over for the flight and this booked traveller never checked in.
    gone = booked_facts(FLIGHT, person(booking()), None, checkin_over=True)
    assert gone.check_in_status is CheckInStatus.NO_SHOW and gone.no_show
    # The segment status says so.
    data = booking()
    data["itinerary"][0]["status"] = "NS"
    assert booked_facts(FLIGHT, person(data), None).no_show
    # On the API list: checked in, with the API's documents, visa and bags.
    api = ApiPerson(9, "M", date(1980, 1, 1), "UZB", 1, 23.0, "KGM",
                    [("P", date(2025, 3, 1), date(2030, 1, 1)), ("V", None, None)])  # fmt: skip
    merged = booked_facts(FLIGHT, person(booking()), api, checkin_over=True)
    assert merged.check_in_status is CheckInStatus.CHECKED_IN and not merged.no_show
    assert (merged.document_age_days, merged.visa_present, merged.bag_count) == (14, True, 1)
    assert (merged.nationality, merged.gender, merged.age) == ("UZB", Gender.M, 45)
    alone = api_facts(FLIGHT, api)
    assert alone.booked_at is None and alone.payment_forms is None and alone.destination == "DYU"


def test_seat_changes() -> None:
    assert seat_changes(["10A", "10A", None, "12C", "14F"]) == 2
    assert seat_changes([None, "10A"]) == 0  # an assignment is not a change
    data = booking(seats=[{"seat": "10A", "source": "requested"},
                          {"seat": "11B", "source": "actual"}])  # fmt: skip
    assert seat_of(data, 1) == "11B" and seat_of(data, 2) is None
    assert booked_facts(FLIGHT, person(booking()), None, seats=["1A", "2B"]).seat_changes == 1
