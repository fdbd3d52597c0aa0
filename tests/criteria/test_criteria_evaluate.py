"""Evaluation: criteria fire on the patterns they describe, and say why."""

from __future__ import annotations

from datetime import date, timedelta

from criteria_builders import DEPARTURE, courier, criterion_text, facts, leg, trip

from openpiu.criteria import (
    CheckInStatus,
    PaymentForm,
    evaluate,
    example_texts,
    fires,
    load_criterion,
)

EXAMPLES = {name: load_criterion(text) for name, text in example_texts().items()}
CASH = EXAMPLES["cash_one_way_day_before.yaml"]
HUB = EXAMPLES["broken_itinerary_via_hub.yaml"]
TRIPS = EXAMPLES["repeated_trips_short_stay.yaml"]
DOCUMENT = EXAMPLES["new_document_late_ticket.yaml"]


def test_cash_one_way_day_before_fires_with_an_explanation() -> None:
    result = evaluate(CASH, courier())
    assert result.fired and result.score == 40
    assert [c.held for c in result.checks] == [True] * 5
    text = result.explain()
    assert text.startswith("criterion example-cash-one-way-day-before fired (score 40)")
    assert "[yes] payment_forms includes cash (traveller: cash)" in text
    assert "[yes] booking_lead_days between 0 and 1 (traveller: 1 days)" in text
    assert "[yes] booking_channel equals agency (traveller: agency)" in text


def test_cash_criterion_stays_quiet_for_ordinary_travellers() -> None:
    for quiet in (
        facts(),
        courier(payment_forms=frozenset({PaymentForm.CARD})),
        courier(booked_at=DEPARTURE - timedelta(days=3)),
        courier(group_size=3),
        courier(
            legs=(leg("IST", "DYU", DEPARTURE), leg("DYU", "IST", DEPARTURE + timedelta(days=3)))
        ),
    ):
        result = evaluate(CASH, quiet)
        assert not result.fired and result.score == 0
        assert not fires(CASH, quiet)
    result = evaluate(CASH, courier(group_size=3))
    assert "[no] group_size equals 1 (traveller: 3)" in result.explain()


def test_broken_itinerary_via_hub_fires() -> None:
    broken = facts(
        legs=(leg("FRA", "IST", DEPARTURE), leg("SAW", "DYU", DEPARTURE + timedelta(hours=6))),
        ticketed_at=DEPARTURE - timedelta(days=2),
    )
    result = evaluate(HUB, broken)
    assert result.fired, result.explain()
    assert "[yes] via_airports includes any DOH, DXB, IST, SAW, SHJ (traveller: IST)" in (
        result.explain())
    # A line under 'not' is marked as it reads: the negation held.
    assert "[yes] not (ticketing_lead_hours more than 720) (traveller: 48 hours)" in (
        result.explain())
    # the exculpatory element: ticketed months ahead, it does not fire
    assert not fires(HUB, facts(legs=broken.legs, ticketed_at=DEPARTURE - timedelta(days=90)))


def test_long_stop_at_a_hub_fires_without_a_broken_itinerary() -> None:
    long_stop = facts(legs=(leg("FRA", "DXB", DEPARTURE),
                            leg("DXB", "DYU", DEPARTURE + timedelta(hours=40))),
                      ticketed_at=DEPARTURE - timedelta(days=1))  # fmt: skip
    assert fires(HUB, long_stop)
    short_stop = facts(legs=(leg("FRA", "DXB", DEPARTURE),
                             leg("DXB", "DYU", DEPARTURE + timedelta(hours=6))),
                       ticketed_at=DEPARTURE - timedelta(days=1))  # fmt: skip
    assert not fires(HUB, short_stop)


def test_two_trips_to_a_country_within_90_days_fire() -> None:
    one_way_to_ist = dict(legs=(leg("FRA", "IST", DEPARTURE),))
    history = (trip(20, "FRA", "IST"), trip(60, "AMS", "SAW"), trip(200, "FRA", "IST"))
    result = evaluate(TRIPS, facts(past_trips=history, **one_way_to_ist))
    assert result.fired, result.explain()
    check = result.checks[0]
    assert check.fact == "trips" and check.held
    assert check.condition == "at least 2 trips to_country ARE, TUR within 90 days"
    assert check.value == "2 trips: 2025-02-23 FRA-IST; 2025-01-14 AMS-SAW"
    # one trip in the window is not enough; the third is outside it
    assert not fires(TRIPS, facts(past_trips=history[:1] + history[2:], **one_way_to_ist))


def test_trip_window_excludes_the_day_of_departure_and_later() -> None:
    history = (trip(0, "FRA", "IST"), trip(-5, "FRA", "IST"), trip(90, "FRA", "IST"))
    result = evaluate(TRIPS, facts(past_trips=history, legs=(leg("FRA", "IST", DEPARTURE),)))
    assert result.checks[0].value.startswith("1 trips")  # only the one 90 days before


def test_unknown_facts_never_fire_even_under_not() -> None:
    criterion = load_criterion(
        criterion_text("""
        all:
          - {fact: one_way, equals: true}
          - not: {fact: document_validity_days, at_least: 180}
    """)
    )
    unknown = courier()  # no document expiry sent
    result = evaluate(criterion, unknown)
    assert not result.fired
    assert result.checks[1].held is None and "[unknown]" in str(result.checks[1])
    assert "traveller: unknown" in str(result.checks[1])
    soon = courier(document_expires=date(2025, 4, 1))
    assert fires(criterion, soon)


def test_any_is_true_when_one_branch_is_true_despite_unknowns() -> None:
    criterion = load_criterion(
        criterion_text("""
        any:
          - {fact: bag_count, equals: 0}
          - {fact: check_in_status, equals: no_show}
    """)
    )
    no_show = courier(bag_count=None, check_in_status=CheckInStatus.NO_SHOW)
    assert fires(criterion, no_show)
    assert [c.held for c in evaluate(criterion, no_show).checks] == [None, True]
    assert not fires(criterion, courier(bag_count=None))


def test_protected_facts_narrow_the_example_and_fires_agrees_with_evaluate() -> None:
    new_doc = facts(document_issued=date(2025, 3, 1), ticketed_at=DEPARTURE - timedelta(hours=5))
    assert fires(DOCUMENT, new_doc)
    child = facts(document_issued=date(2025, 3, 1), ticketed_at=new_doc.ticketed_at, age=12)
    assert not fires(DOCUMENT, child)
    for traveller in (facts(), courier(), new_doc):
        for criterion in EXAMPLES.values():
            assert fires(criterion, traveller) == evaluate(criterion, traveller).fired
