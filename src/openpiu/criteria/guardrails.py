"""Guardrails: the rules of law a criterion must meet beyond being well formed.

Built in, for every jurisdiction (EU PNR Directive art. 6(4); CJEU C-817/19):

* **A travel element on every path to a hit.**  A criterion must contain at least
  one behavioural or travel test, and it may never be true on nationality, age
  or gender alone or together.  "Alone" is judged on every way the criterion can
  become true, not on the text as a whole: ``any: [nationality X, one_way]`` has
  a travel element, yet its first branch fires on nationality alone, so it is
  refused.  ``not`` is followed through De Morgan's laws, so
  ``not: {all: [one_way, nationality X]}`` is refused too (it fires for every
  traveller who is not of nationality X).
* **No condition that is always true**, which would pass for a travel element
  while adding nothing: a range over a fact's whole span (caught when the test is
  read) or an ``any`` holding a test and its own negation (caught here).

A jurisdiction adds its own restrictions in a :class:`CriteriaPolicy`: forbid
facts (the nationality fact, say), cap the number of protected facts, narrow the
purposes, shorten the history window, shrink sets.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from openpiu.criteria.catalogue import FACTS, MAX_SET_SIZE, PROTECTED_FACTS, SET_OPS
from openpiu.criteria.conditions import (
    MAX_WINDOW_DAYS,
    AllOf,
    AnyCondition,
    AnyOf,
    FactTest,
    NotOf,
    TripCount,
)
from openpiu.criteria.offences import Offence
from openpiu.criteria.problems import Path, Problem
from openpiu.criteria.yaml_source import SourceDocument

if TYPE_CHECKING:  # language imports this module to run the checks
    from openpiu.criteria.language import Criterion


class CriteriaPolicy(BaseModel):
    """A jurisdiction's extra restrictions; it can only tighten the built-in rules."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Facts no criterion may read at all, e.g. {"nationality"}.
    forbidden_facts: frozenset[str] = frozenset()
    # How many distinct protected facts (nationality, age, gender) one criterion may use.
    max_protected_facts: int = Field(default=len(PROTECTED_FACTS), ge=0)
    # The offences criteria may target; None: all of the EU Annex II list and terrorism.
    allowed_purposes: frozenset[Offence] | None = None
    # The longest look back over a traveller's own history, in days.
    max_history_days: int = Field(default=MAX_WINDOW_DAYS, ge=1, le=MAX_WINDOW_DAYS)
    # The most values one set (in, includes_any, only) may hold.
    max_set_size: int = Field(default=MAX_SET_SIZE, ge=1, le=MAX_SET_SIZE)
    # The most tests (fact and trips leaves) in one criterion.
    max_tests: int = Field(default=30, ge=1, le=200)

    @field_validator("forbidden_facts")
    @classmethod
    def _known(cls, names: frozenset[str]) -> frozenset[str]:
        unknown = sorted(names - FACTS.keys())
        if unknown:
            raise ValueError(f"unknown facts {unknown}")
        return names


# A walk over the tree yields each node with its YAML path and whether it sits
# under an odd number of ``not``.
Visit = tuple[AnyCondition, Path, bool]


def walk(node: AnyCondition, path: Path = ("when",), negated: bool = False) -> Iterator[Visit]:
    yield node, path, negated
    if isinstance(node, AllOf):
        for i, child in enumerate(node.all):
            yield from walk(child, (*path, "all", i), negated)
    elif isinstance(node, AnyOf):
        for i, child in enumerate(node.any):
            yield from walk(child, (*path, "any", i), negated)
    elif isinstance(node, NotOf):
        yield from walk(node.negated, (*path, "not"), not negated)


def check(criterion: Criterion, policy: CriteriaPolicy, doc: SourceDocument) -> list[Problem]:
    """Every guardrail the criterion breaks, each located in ``doc``."""
    problems: list[Problem] = []
    leaves = [(n, p) for n, p, _ in walk(criterion.when) if isinstance(n, FactTest | TripCount)]
    if policy.allowed_purposes is not None and criterion.purpose not in policy.allowed_purposes:
        problems.append(
            doc.problem(
                "purpose-not-allowed",
                f"purpose '{criterion.purpose}' is not allowed here; allowed: "
                + ", ".join(sorted(policy.allowed_purposes)),
                ("purpose",),
            )
        )
    if len(leaves) > policy.max_tests:
        problems.append(
            doc.problem(
                "too-many-tests", f"{len(leaves)} tests; at most {policy.max_tests}", ("when",)
            )
        )
    protected_seen: dict[str, Path] = {}  # first use of each protected fact
    for node, path in leaves:
        problems.extend(_leaf_problems(node, path, policy, doc))
        if isinstance(node, FactTest) and node.fact in PROTECTED_FACTS:
            protected_seen.setdefault(node.fact, path)
    if len(protected_seen) > policy.max_protected_facts:
        names = ", ".join(protected_seen)
        problems.append(
            doc.problem(
                "too-many-protected-facts",
                f"uses {len(protected_seen)} protected facts ({names}); this jurisdiction allows "
                f"at most {policy.max_protected_facts}",
                list(protected_seen.values())[-1],
            )
        )
    problems.extend(_tautologies(criterion.when, doc))
    problems.extend(_behaviour_problems(criterion.when, doc))
    return problems


def _leaf_problems(
    node: FactTest | TripCount, path: Path, policy: CriteriaPolicy, doc: SourceDocument
) -> Iterator[Problem]:
    if isinstance(node, TripCount):
        if node.trips.within_days > policy.max_history_days:
            yield doc.problem(
                "history-too-long",
                f"looks back {node.trips.within_days} days; this jurisdiction allows at most "
                f"{policy.max_history_days}",
                (*path, "trips", "within_days"),
            )
        return
    if node.fact in policy.forbidden_facts:
        yield doc.problem(
            "forbidden-fact",
            f"'{node.fact}' may not be used in criteria in this jurisdiction",
            (*path, "fact"),
        )
    if node.op in SET_OPS and len(node.value) > policy.max_set_size:
        yield doc.problem(
            "set-too-large",
            f"{len(node.value)} values; this jurisdiction allows at most {policy.max_set_size}",
            (*path, node.op.value),
        )


# -- a travel element on every path to a hit -----------------------------------------


def _protected_witness(node: AnyCondition, path: Path, negated: bool) -> list[Path] | None:
    """The tests of one way the condition can be true that are *all* protected, or
    None when every way to make it true includes a travel or behavioural test.

    In disjunctive normal form each term must hold a non-protected test.  Without
    building that form (it can be exponential): a conjunction has such a term only
    if each of its parts has one; a disjunction as soon as one of its parts does;
    ``not`` swaps conjunction and disjunction (De Morgan)."""
    if isinstance(node, FactTest):
        return [path] if node.fact in PROTECTED_FACTS else None
    if isinstance(node, TripCount):
        return None
    if isinstance(node, NotOf):
        return _protected_witness(node.negated, (*path, "not"), not negated)
    key = "all" if isinstance(node, AllOf) else "any"
    children = node.all if isinstance(node, AllOf) else node.any
    conjunctive = isinstance(node, AllOf) != negated
    found: list[Path] = []
    for i, child in enumerate(children):
        witness = _protected_witness(child, (*path, key, i), negated)
        if conjunctive and witness is None:
            return None
        if not conjunctive and witness is not None:
            return witness
        found.extend(witness or [])
    return found if conjunctive else None


def _behaviour_problems(when: AnyCondition, doc: SourceDocument) -> list[Problem]:
    witness = _protected_witness(when, ("when",), False)
    if witness is None:
        return []
    leaves = [n for n, _, _ in walk(when) if isinstance(n, FactTest | TripCount)]
    if all(isinstance(n, FactTest) and n.fact in PROTECTED_FACTS for n in leaves):
        return [
            doc.problem(
                "no-travel-element",
                "a criterion needs at least one travel or behavioural test; nationality, age and "
                "gender may only narrow one (EU PNR Directive art. 6(4))",
                ("when",),
            )
        ]
    parts = []
    for path in witness:
        line, _, _ = doc.locate(path)
        test = _node(when, path)
        name = test.fact if isinstance(test, FactTest) else "?"
        parts.append(f"{name} (line {line})" if line else name)
    return [
        doc.problem(
            "protected-only-branch",
            "the criterion can be true on " + " and ".join(parts) + " alone: every way it can "
            "fire must include a travel or behavioural test (an 'any' branch or a 'not' can "
            "leave protected facts on their own)",
            witness[0],
        )
    ]


def _node(when: AnyCondition, path: Path) -> AnyCondition | None:
    for node, here, _ in walk(when):
        if here == path:
            return node
    return None


# -- conditions that are always true ------------------------------------------------


def _literal(node: AnyCondition) -> tuple[tuple[str, str, Any], bool] | None:
    """A fact test as (fact, operator, value) and its polarity, through ``not`` and
    with ``bool == false`` read as the negation of ``bool == true``."""
    polarity = True
    while isinstance(node, NotOf):
        node, polarity = node.negated, not polarity
    if not isinstance(node, FactTest):
        return None
    value = node.value
    if isinstance(value, bool) and value is False:
        value, polarity = True, not polarity
    return (node.fact, node.op.value, value), polarity


def _tautologies(when: AnyCondition, doc: SourceDocument) -> list[Problem]:
    """An ``any`` (or a negated ``all``) that holds a test and its negation is always
    true; it must not count as the travel element beside a protected fact."""
    problems = []
    for node, path, negated in walk(when):
        if not isinstance(node, AllOf | AnyOf):
            continue
        disjunctive = isinstance(node, AnyOf) != negated
        if not disjunctive:
            continue
        children = node.any if isinstance(node, AnyOf) else node.all
        seen: dict[Any, bool] = {}
        for child in children:
            literal = _literal(child)
            if literal is None:
                continue
            key, polarity = literal
            if seen.get(key, polarity) != polarity:
                problems.append(
                    doc.problem(
                        "always-true",
                        f"this branch holds a test on {key[0]} and its negation, so it is always "
                        "true and cannot count as a travel element",
                        path,
                    )
                )
                break
            seen[key] = polarity
    return problems
