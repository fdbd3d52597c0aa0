"""Connecting itineraries in the synthetic traffic: a minority of bookings, legs
that join up with a real connection time, every leg in the PNR (EDIFACT and XML)
and read back by the parsers, one profile flight per booking (the only one with
a passenger list), the legs in the ground truth."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from openpiu.formats import parse
from openpiu.formats.detect import detect
from openpiu.formats.pnrgov_writer import write_pnrgov
from openpiu.formats.pnrgov_xml_writer import write_pnrgov_xml
from openpiu.model import ItinerarySegment
from openpiu.reference import airport_country
from openpiu.synth import messages
from openpiu.synth.connections import MAX_CONNECT, MIN_CONNECT, TAJIKISTAN_HUBS
from openpiu.synth.output import Quirks, generate
from openpiu.synth.pnr_edi import FlightPnr
from openpiu.synth.profiles import TAJIKISTAN
from openpiu.synth.traffic import FlightPlan, Party, Traffic


@pytest.fixture(scope="module")
def day() -> list[FlightPlan]:
    return list(Traffic(TAJIKISTAN, 11).day(0))


def _legs(plan: FlightPlan, party: Party) -> list[ItinerarySegment]:
    return [*party.before, messages._segment(plan), *party.after]


def test_a_minority_of_bookings_connect_through_real_hubs(day: list[FlightPlan]) -> None:
    parties = [(plan, p) for plan in day for p in plan.parties]
    connecting = [(plan, p) for plan, p in parties if p.before or p.after]
    assert 0.03 < len(connecting) / len(parties) < 0.15
    hubs = Counter(s.hub for s in TAJIKISTAN_HUBS)
    through: Counter[str] = Counter()
    for plan, party in connecting:
        legs = _legs(plan, party)
        assert len(legs) == 2
        # exactly one leg touches the PIU's country: the profile flight
        home = [s for s in legs if TAJIKISTAN.country in
                (airport_country(s.departure_airport or ""),
                 airport_country(s.arrival_airport or ""))]  # fmt: skip
        assert len(home) == 1 and home[0].carrier == plan.flight.carrier
        first, second = legs
        assert first.arrival_local and second.departure_local
        gap = second.departure_local - first.arrival_local
        if party.planted is None:
            assert first.arrival_airport == second.departure_airport
            assert MIN_CONNECT <= gap <= MAX_CONNECT
            through[first.arrival_airport or "?"] += 1
        # an inbound journey is booked before its first leg leaves
        assert party.created < (first.departure_local or plan.departure)
    assert {"IST", "DXB", "SVO", "DME"} <= set(through) <= set(hubs)
    outbound = sum(1 for plan, p in connecting if p.after)
    assert 0.25 < outbound / len(connecting) < 0.75  # both directions


def test_every_leg_is_in_the_pnr_and_the_parsers_read_it(day: list[FlightPlan]) -> None:
    compared = 0
    for plan in day:
        wanted = {p.locator: p for p in plan.parties if (p.before or p.after) and not p.cancelled}
        if not wanted:
            continue
        model, _ = messages.push(plan, "close", "TJPIU", "000000007")
        edi = FlightPnr(plan, ":+.?*'", "TJPIU", False).push("close", "000000007")
        assert edi is not None and edi[0] == write_pnrgov(model)  # the fast path agrees
        for raw in (edi[0], write_pnrgov_xml(model)):
            kind, _ = detect(raw)
            parsed = parse(kind, raw)
            [push] = parsed.pushes
            for booking in push.bookings:
                party = wanted.get(booking.record_locator)
                if party is None:
                    continue
                got = [(s.carrier, s.number, s.departure_airport, s.arrival_airport,
                        s.departure_local, s.arrival_local, s.status) for s in booking.itinerary]
                assert got == [(s.carrier, s.number, s.departure_airport, s.arrival_airport,
                                s.departure_local, s.arrival_local, s.status)
                               for s in _legs(plan, party)]  # fmt: skip
                assert not [w for w in booking.warnings], booking.warnings
                compared += 1
    assert compared > 100


def test_a_cancelled_connecting_booking_cancels_every_leg() -> None:
    compared = 0
    for seed in (12, 13):
        for plan in Traffic(TAJIKISTAN, seed).day(0):
            for party in plan.parties:
                if not (party.cancelled and (party.before or party.after)):
                    continue
                model, chosen = messages.push(plan, "T-24", "TJPIU", "1")
                if party not in chosen:
                    continue
                booking = next(b for b in model.bookings if b.record_locator == party.locator)
                assert {s.status for s in booking.itinerary} == {"HX"}
                edi = FlightPnr(plan, ":+.?*'", "TJPIU", False).push("T-24", "1")
                assert edi is not None and edi[0] == write_pnrgov(model)
                compared += 1
    assert compared >= 1


def test_the_ground_truth_lists_the_legs(tmp_path: Path) -> None:
    small = replace(TAJIKISTAN, routes=tuple(r for r in TAJIKISTAN.routes
                                             if r.mix in ("turkey", "gulf")))  # fmt: skip
    generate(small, 1, tmp_path, 4, quirks=Quirks.none())
    lines = [json.loads(x) for x in (tmp_path / "truth.jsonl").read_text("utf-8").splitlines()]
    flights = {o["key"]: o for o in lines if o["type"] == "flight"}
    with_legs = [o for o in lines if o["type"] == "booking" and "itinerary" in o]
    assert with_legs
    for b in with_legs:
        f = flights[b["flight"]]
        mine = [leg for leg in b["itinerary"] if leg[0] == f"{f['carrier']}{f['number']}"]
        assert mine == [[mine[0][0], f["origin"], f["destination"], f["departure_local"]]]
        times = [leg[3] for leg in b["itinerary"]]
        assert times == sorted(times)
        for earlier, later in zip(b["itinerary"], b["itinerary"][1:], strict=False):
            if "planted" not in b:
                assert earlier[2] == later[1]
                gap = datetime.fromisoformat(later[3]) - datetime.fromisoformat(earlier[3])
                assert timedelta(hours=1) < gap < timedelta(hours=30)
