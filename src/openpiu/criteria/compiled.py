"""Criteria compiled for bulk screening: closures, and an index that skips most of them.

:func:`~openpiu.criteria.evaluate.evaluate` walks the validated tree for every
traveller, reading the operator off the model each time: clear, and right for the
explanation, but some microseconds per criterion per traveller.  A PIU screens
every traveller of every flight against every active criterion, so the decision
path is built once per criterion instead: each test becomes a closure with its
fact getter and operator already chosen (:func:`compile_condition`).  The logic
is the same three-valued logic, tested against :func:`evaluate` on the same facts.

Most criteria cannot fire for most travellers: a rule about flights to one
airport says nothing about the other ninety-nine routes.  :class:`CriteriaSet`
indexes each criterion under one *guard*, a test of its top-level ``all`` that
must hold for it to fire (``destination in [IST, DXB]``, ``payment_forms includes
cash``), and looks up only the criteria whose guard the traveller's facts meet.
A criterion without a usable guard is evaluated for everyone.

The explanation is never built here: :meth:`CriteriaSet.hits` returns the
criteria that fired, and the caller runs :func:`evaluate` on those few only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from openpiu.criteria.catalogue import FACTS, Op
from openpiu.criteria.conditions import AllOf, AnyCondition, AnyOf, FactTest, NotOf, TripCount
from openpiu.criteria.evaluate import Truth, trips_in_window
from openpiu.criteria.facts import TravelFacts
from openpiu.criteria.guardrails import walk
from openpiu.criteria.language import Criterion

Predicate = Callable[[TravelFacts], Truth]

# Facts worth indexing, most selective first: a criterion is filed under the first
# of these its top-level ``all`` pins down.  Yes/no facts come last (they split
# the travellers in two at best).
_GUARD_ORDER = (
    "destination", "origin", "agency_code", "booking_city", "carrier",
    "destination_country", "origin_country", "booking_country", "via_airports",
    "via_countries", "itinerary_countries", "departure_date", "day_of_week",
    "payment_forms", "check_in_status", "booking_channel", "no_show", "broken_travel",
    "visa_present", "one_way",
)  # fmt: skip
_GUARD_RANK = {name: rank for rank, name in enumerate(_GUARD_ORDER)}


def _comparison(op: Op, v: Any) -> Callable[[Any], bool]:
    """The operator with its value bound, on a known (not None) fact value."""
    if op is Op.EQUALS:
        return lambda a: bool(a == v)
    if op is Op.IN:
        return lambda a: a in v
    if op is Op.BETWEEN:
        low, high = v
        return lambda a: bool(low <= a <= high)
    if op is Op.LESS_THAN:
        return lambda a: bool(a < v)
    if op is Op.AT_MOST:
        return lambda a: bool(a <= v)
    if op is Op.MORE_THAN:
        return lambda a: bool(a > v)
    if op is Op.AT_LEAST:
        return lambda a: bool(a >= v)
    if op is Op.INCLUDES:
        return lambda a: v in a
    if op is Op.INCLUDES_ANY:
        return lambda a: not v.isdisjoint(a)
    return lambda a: bool(a) and bool(a <= v)  # Op.ONLY


def _fact_predicate(node: FactTest) -> Predicate:
    get = attrgetter(node.fact)
    compare = _comparison(node.op, node.value)

    def test(facts: TravelFacts) -> Truth:
        actual = get(facts)
        return None if actual is None else compare(actual)

    return test


def _trips_predicate(node: TripCount) -> Predicate:
    window = node.trips
    low, high = window.at_least, window.at_most

    def test(facts: TravelFacts) -> Truth:
        # The common case first: no history, nothing to count.
        n = len(trips_in_window(node, facts)) if facts.past_trips else 0
        return (low is None or n >= low) and (high is None or n <= high)

    return test


def compile_condition(node: AnyCondition) -> Predicate:
    """The condition as one closure, with :func:`evaluate`'s three-valued logic."""
    if isinstance(node, FactTest):
        return _fact_predicate(node)
    if isinstance(node, TripCount):
        return _trips_predicate(node)
    if isinstance(node, NotOf):
        inner = compile_condition(node.negated)

        def negation(facts: TravelFacts) -> Truth:
            truth = inner(facts)
            return None if truth is None else not truth

        return negation
    children = node.all if isinstance(node, AllOf) else node.any
    # Fact tests before history counts: the cheap test usually settles it.  Order
    # never changes the answer of all/any, only how soon it is known.
    ordered = sorted(children, key=lambda c: isinstance(c, TripCount))
    parts = tuple(compile_condition(child) for child in ordered)
    if len(parts) == 1:
        return parts[0]
    decisive = isinstance(node, AnyOf)  # any: a True settles it; all: a False does

    def combine(facts: TravelFacts) -> Truth:
        result: Truth = not decisive
        for part in parts:
            truth = part(facts)
            if truth is decisive:
                return decisive
            if truth is None:
                result = None
        return result

    return combine


@dataclass(frozen=True, slots=True)
class Guard:
    """A test that must hold for the criterion to fire: fact value in ``values``
    (for a collection fact: one of its elements in ``values``)."""

    fact: str
    values: frozenset[Any]
    collection: bool


def guard_of(criterion: Criterion) -> Guard | None:
    """The most selective test of the criterion's top-level ``all`` that an index
    can serve, or None (then the criterion is evaluated for every traveller)."""
    when = criterion.when
    tests = when.all if isinstance(when, AllOf) else (when,)
    best: Guard | None = None
    for test in tests:
        if not isinstance(test, FactTest) or test.fact not in _GUARD_RANK:
            continue
        spec = FACTS[test.fact]
        if spec.collection and test.op in (Op.INCLUDES, Op.INCLUDES_ANY):
            values = frozenset([test.value]) if test.op is Op.INCLUDES else test.value
        elif not spec.collection and test.op in (Op.EQUALS, Op.IN):
            values = test.value if test.op is Op.IN else frozenset([test.value])
        else:
            continue
        guard = Guard(test.fact, frozenset(values), spec.collection)
        if best is None or _GUARD_RANK[guard.fact] < _GUARD_RANK[best.fact]:
            best = guard
    return best


@dataclass(frozen=True, slots=True)
class CompiledCriterion:
    """A criterion with its decision closure; ``ref`` is the caller's handle (e.g.
    the stored version it came from)."""

    criterion: Criterion
    decide: Predicate
    guard: Guard | None
    ref: Any = None
    counts_trips: bool = False  # reads the traveller's history

    def fires(self, facts: TravelFacts) -> bool:
        return self.decide(facts) is True


def compile_criterion(criterion: Criterion, ref: Any = None) -> CompiledCriterion:
    counts = "trips" in facts_read([criterion])
    decide = compile_condition(criterion.when)
    return CompiledCriterion(criterion, decide, guard_of(criterion), ref, counts)


@dataclass
class CriteriaSet:
    """Active criteria, indexed by guard, for screening many travellers."""

    criteria: list[CompiledCriterion] = field(default_factory=list)
    _always: list[CompiledCriterion] = field(default_factory=list, init=False)
    _scalar: dict[str, dict[Any, list[CompiledCriterion]]] = field(default_factory=dict, init=False)
    _collection: dict[str, dict[Any, list[CompiledCriterion]]] = field(
        default_factory=dict, init=False
    )

    def __post_init__(self) -> None:
        for item in list(self.criteria):
            self._file(item)

    @classmethod
    def of(cls, criteria: Iterable[Criterion | CompiledCriterion]) -> CriteriaSet:
        return cls([c if isinstance(c, CompiledCriterion) else compile_criterion(c)
                    for c in criteria])  # fmt: skip

    def _file(self, item: CompiledCriterion) -> None:
        guard = item.guard
        if guard is None:
            self._always.append(item)
            return
        index = self._collection if guard.collection else self._scalar
        by_value = index.setdefault(guard.fact, {})
        for value in guard.values:
            by_value.setdefault(value, []).append(item)

    def __len__(self) -> int:
        return len(self.criteria)

    def candidates(self, facts: TravelFacts) -> list[CompiledCriterion]:
        """The criteria whose guard these facts meet (and the unguarded ones)."""
        found = list(self._always)
        for fact, by_value in self._scalar.items():
            hit = by_value.get(getattr(facts, fact))
            if hit:
                found.extend(hit)
        several = False
        for fact, by_value in self._collection.items():
            for element in getattr(facts, fact) or ():
                hit = by_value.get(element)
                if hit:
                    several = several or len(found) > 0
                    found.extend(hit)
        # A criterion filed under several elements of one collection (includes_any)
        # can come up twice; keep each once, in the order found.
        return list({id(c): c for c in found}.values()) if several else found

    def needs_history(self, facts: TravelFacts) -> bool:
        """Whether a criterion that counts trips could fire for these facts: the
        adapter then reads the traveller's history (costly) for them only."""
        return any(c.counts_trips for c in self.candidates(facts))

    def hits(self, facts: TravelFacts) -> list[CompiledCriterion]:
        """The criteria that fire for these facts (decision only, no explanation)."""
        return [c for c in self.candidates(facts) if c.decide(facts) is True]


def facts_read(criteria: Iterable[Criterion]) -> frozenset[str]:
    """Every fact these criteria read, and ``"trips"`` when one counts travel
    history: an adapter builds the costly facts (history, seat changes) only when
    an active criterion reads them."""
    names: set[str] = set()
    for criterion in criteria:
        for node, _path, _negated in walk(criterion.when):
            if isinstance(node, FactTest):
                names.add(node.fact)
            elif isinstance(node, TripCount):
                names.add("trips")
    return frozenset(names)
