"""Builders shared by the criteria tests: travel facts and criterion texts."""

from __future__ import annotations

import textwrap
from datetime import date, datetime, timedelta
from typing import Any

from openpiu.criteria import (
    BookingChannel,
    PastTrip,
    PaymentForm,
    TravelFacts,
    TravelLeg,
)

DEPARTURE = datetime(2025, 3, 15, 8, 15)  # a Saturday

COUNTRY = {"IST": "TUR", "DYU": "TJK", "DXB": "ARE", "FRA": "DEU", "DAM": "SYR", "LHR": "GBR",
           "DOH": "QAT", "SAW": "TUR", "AMS": "NLD"}  # fmt: skip


def leg(origin: str, destination: str, departure: datetime, hours: float = 3) -> TravelLeg:
    return TravelLeg(origin, destination, departure, departure + timedelta(hours=hours),
                     COUNTRY.get(origin), COUNTRY.get(destination), "ZZ")  # fmt: skip


def facts(**changes: Any) -> TravelFacts:
    """A quiet traveller: return trip IST-DYU booked a month ahead, paid by card."""
    values: dict[str, Any] = dict(
        legs=(leg("IST", "DYU", DEPARTURE, 5), leg("DYU", "IST", DEPARTURE + timedelta(days=7))),
        booked_at=DEPARTURE - timedelta(days=30),
        ticketed_at=DEPARTURE - timedelta(days=29),
        payment_forms=frozenset({PaymentForm.CARD}),
        booking_channel=BookingChannel.AIRLINE,
        group_size=2,
        bag_count=1,
        bag_weight_kg=20.0,
        nationality="IRL",
        age=40,
    )
    values.update(changes)
    return TravelFacts(**values)


def courier(**changes: Any) -> TravelFacts:
    """The planted pattern: one way, cash, through an agency, bought the day before."""
    values: dict[str, Any] = dict(
        legs=(leg("IST", "DYU", DEPARTURE, 5),),
        booked_at=DEPARTURE - timedelta(hours=20),
        ticketed_at=DEPARTURE - timedelta(hours=19),
        payment_forms=frozenset({PaymentForm.CASH}),
        booking_channel=BookingChannel.AGENCY,
        agency_code="33112244",
        group_size=1,
    )
    values.update(changes)
    return facts(**values)


def trip(days_before: int, origin: str, destination: str) -> PastTrip:
    return PastTrip(DEPARTURE.date() - timedelta(days=days_before), origin, destination,
                    COUNTRY.get(origin), COUNTRY.get(destination))  # fmt: skip


HEADER = """\
id: test-criterion
title: a test criterion
purpose: drug_trafficking
owner: test-team
justification: written for the tests of the criteria language
review_date: 2026-06-30
score: 40
"""


def criterion_text(when: str, header: str = HEADER) -> str:
    """A full criterion whose ``when:`` block is ``when`` (dedented, indented by 2).
    The header is 7 lines, so ``when:`` is line 8 and the block starts on line 9."""
    body = textwrap.indent(textwrap.dedent(when).strip("\n"), "  ")
    return f"{header}when:\n{body}\n"


REVIEW = date(2026, 6, 30)
