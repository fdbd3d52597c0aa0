"""Evaluate a validated criterion against one traveller's facts, and say why.

Pure and clock-free: every relative fact was computed against the screened
flight's departure when the :class:`TravelFacts` were built.

Logic is three-valued.  A test on an unknown fact (no document expiry sent, no
bags recorded) is *unknown*, not false: ``not`` of unknown stays unknown, ``all``
is false as soon as one part is false, ``any`` true as soon as one part is true,
and a criterion fires only when its condition is *true*.  So a missing field can
never make a negated test fire (``not: {fact: visa_present, ...}`` says nothing
about a traveller whose documents were not sent).

:func:`evaluate` walks the whole tree and returns one :class:`Check` per test,
with the fact, the traveller's value and whether the test held, so an analyst
sees the reason in one glance and an auditor can replay it.  :func:`fires` is
the same decision without the explanation, stopping early, for bulk screening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from openpiu.criteria.catalogue import TRIP_ATTRIBUTES, Op, show
from openpiu.criteria.conditions import AllOf, AnyCondition, FactTest, NotOf, TripCount
from openpiu.criteria.facts import PastTrip, TravelFacts
from openpiu.criteria.language import Criterion
from openpiu.criteria.problems import Path, dotted

Truth = bool | None  # None: unknown


@dataclass(frozen=True, slots=True)
class Check:
    """One test of the criterion, as it came out for this traveller."""

    path: str  # where the test sits in the criterion, e.g. when.all[2]
    fact: str  # the fact read, or "trips"
    condition: str  # the test in words, e.g. "booking_lead_days between 0 and 1"
    value: str  # the traveller's value in words, e.g. "1 days"
    held: Truth  # the test itself, before any enclosing 'not'
    negated: bool = False  # under an odd number of 'not'

    def __str__(self) -> str:
        # The mark answers the line as written: "[yes] not (X)" when X did not hold.
        shown = (not self.held if self.held is not None else None) if self.negated else self.held
        mark = {True: "yes", False: "no", None: "unknown"}[shown]
        test = f"not ({self.condition})" if self.negated else self.condition
        return f"[{mark}] {test} (traveller: {self.value})"


@dataclass(frozen=True, slots=True)
class Evaluation:
    criterion_id: str
    fired: bool
    score: int  # the criterion's score when it fired, else 0
    checks: tuple[Check, ...]

    def explain(self) -> str:
        """The evaluation in lines an analyst can read."""
        head = (
            f"criterion {self.criterion_id} fired (score {self.score})"
            if self.fired
            else f"criterion {self.criterion_id} did not fire"
        )
        return "\n".join([head, *(f"  {check}" for check in self.checks)])


def evaluate(criterion: Criterion, facts: TravelFacts) -> Evaluation:
    """Whether ``criterion`` fires for ``facts``, with one check per test."""
    checks: list[Check] = []
    truth = _truth(criterion.when, facts, ("when",), False, checks)
    fired = truth is True
    return Evaluation(criterion.id, fired, criterion.score if fired else 0, tuple(checks))


def fires(criterion: Criterion, facts: TravelFacts) -> bool:
    """The decision alone, stopping at the first test that settles it."""
    return _truth(criterion.when, facts, ("when",), False, None) is True


def _truth(
    node: AnyCondition, facts: TravelFacts, path: Path, negated: bool, checks: list[Check] | None
) -> Truth:
    if isinstance(node, FactTest):
        return _fact_test(node, facts, path, negated, checks)
    if isinstance(node, TripCount):
        return _trip_test(node, facts, path, negated, checks)
    if isinstance(node, NotOf):
        inner = _truth(node.negated, facts, (*path, "not"), not negated, checks)
        return None if inner is None else not inner
    conjunctive = isinstance(node, AllOf)
    key = "all" if conjunctive else "any"
    children = node.all if isinstance(node, AllOf) else node.any
    decisive = not conjunctive  # all: a False settles it; any: a True does
    result: Truth = conjunctive
    for i, child in enumerate(children):
        truth = _truth(child, facts, (*path, key, i), negated, checks)
        if truth is decisive:
            result = decisive
            if checks is None:
                return result
        elif truth is None and result is not decisive:
            result = None
    return result


def _fact_test(
    node: FactTest, facts: TravelFacts, path: Path, negated: bool, checks: list[Check] | None
) -> Truth:
    actual = getattr(facts, node.fact)
    op, expected = node.op, node.value
    held = None if actual is None else _compare(op, actual, expected)
    if checks is not None:
        unit = _UNITS.get(node.spec.kind.name, "")
        checks.append(
            Check(
                dotted(path),
                node.fact,
                f"{node.fact} {_condition(op, expected)}",
                show(actual) + (f" {unit}" if unit and actual is not None else ""),
                held,
                negated,
            )
        )
    return held


def _compare(op: Op, actual: Any, expected: Any) -> bool:
    if op is Op.EQUALS:
        return bool(actual == expected)
    if op is Op.IN:
        return actual in expected
    if op is Op.BETWEEN:
        return bool(expected[0] <= actual <= expected[1])
    if op is Op.LESS_THAN:
        return bool(actual < expected)
    if op is Op.AT_MOST:
        return bool(actual <= expected)
    if op is Op.MORE_THAN:
        return bool(actual > expected)
    if op is Op.AT_LEAST:
        return bool(actual >= expected)
    if op is Op.INCLUDES:
        return expected in actual
    if op is Op.INCLUDES_ANY:
        return not actual.isdisjoint(expected)
    return bool(actual) and actual <= expected  # Op.ONLY


def trips_in_window(node: TripCount, facts: TravelFacts) -> list[PastTrip]:
    """The traveller's earlier trips that the test counts: in the window before the
    screened departure, and matching every place filter."""
    window = node.trips
    until = facts.departure_date
    since = until - timedelta(days=window.within_days)
    filters = window.filters
    return [
        trip
        for trip in facts.past_trips
        if since <= trip.departure < until
        and all(
            getattr(trip, TRIP_ATTRIBUTES[name]) in allowed for name, allowed in filters.items()
        )
    ]


def _trip_test(
    node: TripCount, facts: TravelFacts, path: Path, negated: bool, checks: list[Check] | None
) -> bool:
    window = node.trips
    found = trips_in_window(node, facts)
    held = (window.at_least is None or len(found) >= window.at_least) and (
        window.at_most is None or len(found) <= window.at_most
    )
    if checks is not None:
        bounds = []
        if window.at_least is not None:
            bounds.append(f"at least {window.at_least}")
        if window.at_most is not None:
            bounds.append(f"at most {window.at_most}")
        places = " ".join(f"{name} {show(v)}" for name, v in window.filters.items())
        condition = f"{' and '.join(bounds)} trips {places} within {window.within_days} days"
        listed = "; ".join(
            f"{t.departure.isoformat()} {t.origin}-{t.destination}" for t in found[:5]
        )
        value = f"{len(found)} trips" + (f": {listed}" if listed else "")
        if len(found) > 5:
            value += f"; and {len(found) - 5} more"
        checks.append(
            Check(dotted(path), "trips", " ".join(condition.split()), value, held, negated)
        )
    return held


_UNITS = {"DAYS": "days", "HOURS": "hours", "WEIGHT": "kg", "YEARS": "years"}


def _condition(op: Op, expected: Any) -> str:
    if op is Op.BETWEEN:
        return f"between {show(expected[0])} and {show(expected[1])}"
    return f"{op.value.replace('_', ' ')} {show(expected)}"
