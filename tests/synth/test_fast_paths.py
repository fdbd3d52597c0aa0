"""The generator's fast paths write what the general code writes: PNRGOV EDIFACT
straight from the plan, truth lines without a dict, dates without strftime."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from openpiu.formats.dates import cached_strftime
from openpiu.formats.pnrgov_writer import write_pnrgov
from openpiu.synth import messages
from openpiu.synth.people import person_json, person_record
from openpiu.synth.pnr_edi import FlightPnr
from openpiu.synth.profiles import TAJIKISTAN, get_profile
from openpiu.synth.traffic import Traffic

SMALL = replace(TAJIKISTAN, routes=TAJIKISTAN.routes[::4])
_GERMANY = get_profile("germany")
# A few of the large profile's routes: its European and Middle Eastern cultures.
GERMANY_SLICE = replace(_GERMANY, routes=_GERMANY.routes[::40])


@pytest.mark.parametrize(("una", "slashes"), [(":+.?*'", False), (":*.? $", True)])
def test_same_bytes_as_write_pnrgov_of_the_model(una: str, slashes: bool) -> None:
    traffic = Traffic(SMALL, 5)
    compared = 0
    for day in range(2):  # the second day has returning travellers
        for plan in traffic.day(day):
            edi = FlightPnr(plan, una, "TJPIU", slashes)
            for stage in messages.STAGES:
                model, chosen = messages.push(plan, stage, "TJPIU", "000000042",
                                              slashes=slashes)  # fmt: skip
                pushed = edi.push(stage, "000000042")
                if not chosen and stage == "T-24":
                    assert pushed is None
                    continue
                assert pushed is not None
                data, sent, parties = pushed
                assert data == write_pnrgov(model, una)
                assert sent == model.envelope.prepared_at and parties == chosen
                compared += 1
    assert compared > 30


def test_person_json_is_the_json_of_person_record() -> None:
    traffic = Traffic(GERMANY_SLICE, 3)
    people = [p.person for plan in traffic.day(0) for party in plan.parties for p in party.pax]
    people += [person for plan in traffic.day(1) for person, _ in plan.crew]
    assert len(people) > 1000
    odd = replace(people[0], birth_place='O"NEIL \\ TOWN\n', email=None, ff="123")
    for person in [*people[:3000], odd]:
        assert person_json(person) == json.dumps(person_record(person), ensure_ascii=False,
                                                 separators=(",", ":"))  # fmt: skip


@pytest.mark.parametrize("fmt", ["%d%m%y", "%y%m%d", "%d%b%y", "%H%M", "%y%m%d%H%M"])
def test_date_formats_match_strftime(fmt: str) -> None:
    render = cached_strftime(fmt, upper=fmt == "%d%b%y")
    start = datetime(1899, 12, 25, 23, 59)
    for k in range(0, 400_000, 97):
        value = start + timedelta(days=k // 7, minutes=k)
        expected = value.strftime(fmt)
        assert render(value) == (expected.upper() if fmt == "%d%b%y" else expected)
        day = value.date()
        assert render(day) == (day.strftime(fmt).upper() if fmt == "%d%b%y" else
                               day.strftime(fmt))  # fmt: skip
