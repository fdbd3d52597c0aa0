"""The compiled fast path decides exactly as evaluate() does, and the guard index
only skips criteria that cannot fire."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from criteria_builders import DEPARTURE, courier, criterion_text, facts, leg, trip

from openpiu.criteria import (
    CheckInStatus,
    CriteriaSet,
    PaymentForm,
    compile_criterion,
    evaluate,
    facts_read,
    load_criterion,
)
from openpiu.criteria.compiled import guard_of

WHENS = {
    "cash": "all:\n  - {fact: payment_forms, includes: cash}\n  - {fact: one_way, equals: true}",
    "dest": "all:\n  - {fact: destination, in: [DYU, DXB]}\n"
            "  - not: {fact: ticketing_lead_hours, more_than: 48}",
    "any": "any:\n  - all:\n      - {fact: bag_weight_kg, more_than: 30}\n"
           "      - {fact: group_size, equals: 1}\n  - {fact: no_show, equals: true}",
    "trips": "all:\n  - trips: {to_country: [TJK], within_days: 60, at_least: 2}\n"
             "  - {fact: destination_country, equals: TJK}",
    "docs": "all:\n  - {fact: document_validity_days, less_than: 100}\n"
            "  - {fact: age, at_least: 18}",
    "only": "all:\n  - {fact: payment_forms, only: [cash, agency]}\n"
            "  - {fact: via_airports, includes_any: [IST, DOH]}",
}  # fmt: skip


def criterion(name: str) -> object:
    return load_criterion(criterion_text(WHENS[name]).replace("test-criterion", f"c-{name}"))


def varied(rng: random.Random) -> object:
    """Facts with unknowns, connections and history, to exercise every branch."""
    legs = [leg("IST", "DYU", DEPARTURE, 5)]
    if rng.random() < 0.3:
        legs = [leg("FRA", "IST", DEPARTURE - timedelta(hours=30)), *legs]
    if rng.random() < 0.5:
        legs.append(leg("DYU", "IST", DEPARTURE + timedelta(days=5)))
    return facts(
        legs=tuple(legs),
        screened_leg=1 if legs[0].origin == "FRA" else 0,
        ticketed_at=None if rng.random() < 0.2 else DEPARTURE - timedelta(hours=rng.randint(1, 99)),
        payment_forms=rng.choice((None, frozenset({PaymentForm.CASH}),
                                  frozenset({PaymentForm.CASH, PaymentForm.AGENCY}),
                                  frozenset({PaymentForm.CARD}))),
        bag_weight_kg=rng.choice((None, 10.0, 35.0)),
        group_size=rng.choice((1, 2)),
        check_in_status=rng.choice(list(CheckInStatus)),
        document_expires=rng.choice((None, date(2025, 5, 1), date(2030, 1, 1))),
        age=rng.choice((None, 12, 40)),
        past_trips=tuple(trip(d, "IST", "DYU")
                         for d in rng.sample(range(1, 90), rng.randint(0, 3))),
    )  # fmt: skip


def test_the_compiled_decision_equals_evaluate() -> None:
    criteria = [criterion(name) for name in WHENS]
    active = CriteriaSet.of(criteria)  # type: ignore[arg-type]
    rng = random.Random(7)
    fired = 0
    for _ in range(600):
        f = varied(rng)
        slow = {c.id for c in criteria if evaluate(c, f).fired}  # type: ignore[attr-defined,arg-type]
        fast = {c.criterion.id for c in active.hits(f)}  # type: ignore[arg-type]
        assert fast == slow
        for c in criteria:  # three-valued too: the closure's unknown is evaluate's unknown
            compiled = compile_criterion(c)  # type: ignore[arg-type]
            assert compiled.fires(f) == evaluate(c, f).fired  # type: ignore[arg-type]
        fired += len(fast)
    assert fired > 50  # the sample exercises hits, not only misses


def test_guards_and_skipping() -> None:
    cash, dest, anyof = criterion("cash"), criterion("dest"), criterion("any")
    assert guard_of(cash).fact == "payment_forms"  # type: ignore[arg-type,union-attr]
    assert guard_of(dest).fact == "destination"  # type: ignore[arg-type,union-attr]
    assert guard_of(anyof) is None  # type: ignore[arg-type]
    active = CriteriaSet.of([cash, dest, anyof])  # type: ignore[list-item]
    quiet = facts(legs=(leg("IST", "FRA", DEPARTURE),), payment_forms=frozenset({PaymentForm.CARD}))
    assert [c.criterion.id for c in active.candidates(quiet)] == ["c-any"]
    assert {c.criterion.id for c in active.candidates(courier())} == {"c-any", "c-cash", "c-dest"}


def test_facts_read() -> None:
    assert facts_read([criterion("trips")]) == {"trips", "destination_country"}  # type: ignore[list-item]
    assert compile_criterion(criterion("trips")).counts_trips  # type: ignore[arg-type]
    active = CriteriaSet.of([criterion("trips")])  # type: ignore[list-item]
    assert active.needs_history(courier())  # bound for Tajikistan
    assert not active.needs_history(facts(legs=(leg("IST", "FRA", DEPARTURE),)))


@pytest.mark.parametrize("name", list(WHENS))
def test_every_example_shape_compiles(name: str) -> None:
    assert compile_criterion(criterion(name)).decide is not None  # type: ignore[arg-type]
