"""Travel patterns planted for the criteria issue: the ground truth lists them,
each case is what its line says, nothing unplanted looks like them, and the
repeated short trips complete in a run of several days."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from openpiu.reference import airport_country
from openpiu.synth import travel_patterns as tp
from openpiu.synth.output import Quirks, generate
from openpiu.synth.people import MIN_DOCUMENT_AGE_DAYS
from openpiu.synth.planted import plant, read_day
from openpiu.synth.planted_patterns import pattern_lines
from openpiu.synth.profiles import TAJIKISTAN

HUBS = {"IST", "SAW", "DXB", "SHJ"}
# Two routes to the repeated trips' countries (Istanbul, Dubai): enough for the
# travellers to go back and forth, small enough for nine days to stay quick.
SHUTTLE = replace(TAJIKISTAN, routes=tuple(
    r for r in TAJIKISTAN.routes if (r.carrier, r.out_number) in (("TK", 259), ("FZ", 988))))


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("patterns")
    generate(TAJIKISTAN, 1, out, 1)
    plant(out, 1)
    return out


@pytest.fixture(scope="module")
def truth(day: Path) -> dict[str, Any]:
    lines = _lines(day / "truth.jsonl")
    return {
        "flights": {o["key"]: o for o in lines if o["type"] == "flight"},
        "bookings": {o["locator"]: o for o in lines if o["type"] == "booking"},
        "people": {o["id"]: o for o in lines if o["type"] == "traveller"},
        "patterns": {o["pattern"]: o for o in _lines(day / "watchlists" / "planted.jsonl")
                     if o["type"] == "pattern"},  # fmt: skip
    }


def test_planted_patterns_are_listed_with_the_criterion_to_fire(truth: dict[str, Any]) -> None:
    pats = truth["patterns"]
    assert "todo" not in {p["status"] for p in pats.values()}
    for name in (tp.BROKEN, tp.NEW_DOCUMENT, tp.REPEATED):
        assert pats[name]["status"] == "planted"
        assert pats[name]["criterion"].startswith("example-")
    # small realistic rates: a handful a day among some 3,400 bookings
    assert 2 <= len(pats[tp.BROKEN]["locators"]) <= 15
    assert 2 <= len(pats[tp.NEW_DOCUMENT]["locators"]) <= 15
    marked = {b["locator"] for b in truth["bookings"].values() if b.get("planted")}
    assert set(pats[tp.BROKEN]["locators"]) | set(pats[tp.NEW_DOCUMENT]["locators"]) <= marked


def test_broken_itineraries_are_broken_at_a_hub(truth: dict[str, Any]) -> None:
    pattern = truth["patterns"][tp.BROKEN]
    for case in pattern["cases"]:
        b = truth["bookings"][case["locator"]]
        flight = truth["flights"][b["flight"]]
        first, second = b["itinerary"]
        assert {first[2], second[1]} <= HUBS
        arrived, leaves = datetime.fromisoformat(first[3]), datetime.fromisoformat(second[3])
        if case["how"].startswith("other_airport"):
            assert first[2] != second[1]  # arrives IST, leaves SAW
        else:
            assert first[2] == second[1] and leaves - arrived > timedelta(hours=30)
        departure = datetime.fromisoformat(flight["departure_local"])
        assert departure - datetime.fromisoformat(b["created"]) < timedelta(days=30)
        assert set(b["travellers"]) <= set(flight["boarded"])  # nobody cancels or misses it


def test_new_documents_on_late_tickets(truth: dict[str, Any]) -> None:
    pattern = truth["patterns"][tp.NEW_DOCUMENT]
    for case in pattern["cases"]:
        b = truth["bookings"][case["locator"]]
        flight = truth["flights"][b["flight"]]
        departure = datetime.fromisoformat(flight["departure_local"])
        issued = date.fromisoformat(truth["people"][case["traveller"]]["document"]["issued"])
        assert 2 <= (departure.date() - issued).days <= 25
        ticketed = datetime.fromisoformat(b["created"]) + timedelta(minutes=20)
        assert timedelta(hours=3) < departure - ticketed < timedelta(hours=48)
        assert case["ticket_lead_hours"] < 48 and b["kind"] == "solo"
        assert case["traveller"] in flight["boarded"]


def test_nobody_else_travels_on_a_new_passport(truth: dict[str, Any]) -> None:
    planted = set(truth["patterns"][tp.NEW_DOCUMENT]["travellers"])
    checked = 0
    for b in truth["bookings"].values():
        flight_day = date.fromisoformat(truth["flights"][b["flight"]]["departure_local"][:10])
        for pid in b["travellers"]:
            person = truth["people"][pid]
            adult = date.fromisoformat(person["dob"]) <= flight_day - timedelta(days=18 * 366)
            if pid in planted or not adult:
                continue
            issued = date.fromisoformat(person["document"]["issued"])
            assert (flight_day - issued).days >= MIN_DOCUMENT_AGE_DAYS, pid
            checked += 1
    assert checked > 5000


def test_one_day_holds_only_first_trips_of_the_repeated_pattern(truth: dict[str, Any]) -> None:
    pattern = truth["patterns"][tp.REPEATED]
    assert pattern["locators"] == [] and pattern["min_days"] == tp.REPEATED_MIN_DAYS
    assert pattern["started"] >= 1


def test_repeated_short_trips_complete_in_a_run_of_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(tp.RATES, "tajikistan", tp.PatternRates(repeated=0.05))
    generate(SHUTTLE, tp.REPEATED_MIN_DAYS, tmp_path, 2, quirks=Quirks.none())
    day = read_day(tmp_path)
    lines = {p["pattern"]: p for p in pattern_lines(day.bookings, day.flights, day.by_id)}
    pattern = lines[tp.REPEATED]
    assert pattern["status"] == "planted" and len(pattern["cases"]) >= 2
    bookings = {b["locator"]: b for b in day.bookings}
    for case in pattern["cases"]:
        trips = case["trips"]
        assert len(trips) == tp.REPEATED_STEPS
        days = []
        for step, (locator, flight_key) in enumerate(trips):
            flight = day.flights[flight_key]
            assert bookings[locator]["travellers"] == [case["traveller"]]
            assert case["traveller"] in flight["boarded"]
            going_out = step % 2 == 0
            country = airport_country(flight["destination" if going_out else "origin"])
            assert country in tp.REPEATED_COUNTRIES
            assert (airport_country(flight["origin"]) == "TJK") is going_out
            days.append(date.fromisoformat(flight["departure_local"][:10]))
        assert days == sorted(days) and len(set(days)) == len(days)
        assert (days[-1] - days[0]).days < tp.REPEATED_MIN_DAYS
        assert case["locator"] == trips[-1][0] and case["locator"] in pattern["locators"]
