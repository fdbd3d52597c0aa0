"""The criteria language: one criterion per YAML document.

::

    id: cash-one-way-day-before
    title: One-way ticket paid in cash through an agency, bought the day before
    purpose: drug_trafficking          # an Offence: what serious crime it targets
    owner: analysis-team-a             # who answers for it
    justification: >
      Couriers are booked late, one way, in cash through an agency ...
    review_date: 2026-06-30            # after this date it must be reviewed
    score: 40                          # 1-100, added to the alert's priority
    example: true                      # shipped as an example, not for production
    when:
      all:
        - {fact: payment_forms, includes: cash}
        - {fact: one_way, equals: true}
        - {fact: booking_lead_days, between: [0, 1]}

:func:`load_criterion` reads the YAML safely (:mod:`~openpiu.criteria.yaml_source`),
validates it with pydantic (shape, facts, operators, typed values) and then with
the guardrails (:mod:`~openpiu.criteria.guardrails`) under a jurisdiction's
:class:`~openpiu.criteria.guardrails.CriteriaPolicy`.  Every fault found comes
back at once in a :class:`~openpiu.criteria.problems.CriterionError`, each with
its line, column and rule.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails

from openpiu.criteria.catalogue import Op
from openpiu.criteria.conditions import TAGS, Condition
from openpiu.criteria.guardrails import CriteriaPolicy, check
from openpiu.criteria.offences import Offence
from openpiu.criteria.problems import CriterionError, Path, Problem
from openpiu.criteria.yaml_source import MAX_BYTES, SourceDocument, read_yaml


class Criterion(BaseModel):
    """A validated criterion.  Immutable: a change is a new version (lifecycle)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: StrictStr = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    title: StrictStr = Field(min_length=3, max_length=200)
    purpose: Offence
    owner: StrictStr = Field(min_length=1, max_length=100)
    justification: StrictStr = Field(min_length=20, max_length=4000)
    review_date: date
    score: StrictInt = Field(ge=1, le=100)
    example: StrictBool = False
    when: Condition


_MESSAGES = {
    "missing": "this field is required",
    "extra_forbidden": "unknown key",
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "bool_type": "expected true or false",
    "date_type": "expected a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "expected a date (YYYY-MM-DD), not a time",
    "tuple_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "too_short": "too few items",
    "too_long": "too many items",
}


def _message(error: ErrorDetails, path: Path, in_fact_test: bool) -> tuple[str, str]:
    """(rule, message) for one pydantic error, in the words of the language."""
    kind = error["type"]
    if kind == "value_error":
        msg = error["msg"].removeprefix("Value error, ")
        rule = "bad-value"
        if "cannot be read by a criterion" in msg:
            rule = "not-a-fact"
        elif "is not a fact a criterion may read" in msg:
            rule = "unknown-fact"
        elif "does not apply to" in msg:
            rule = "operator-not-allowed"
        elif "holds for every traveller" in msg:
            rule = "always-true"
        return rule, msg
    if kind == "extra_forbidden":
        key = path[-1] if path else ""
        if not in_fact_test:
            return "unknown-key", f"'{key}' is not a key here"
        ops = ", ".join(op.value for op in Op)
        return "unknown-operator", (
            f"'{key}' is not an operator (operators: {ops}; there is no pattern, "
            "regex or free-text operator)"
        )
    if kind == "not_a_condition":
        return "not-a-condition", error["msg"]
    base = _MESSAGES.get(kind)
    return kind.replace("_", "-"), f"{base} ({error['msg']})" if base else error["msg"]


def _yaml_path(loc: tuple[int | str, ...]) -> Path:
    """pydantic's location as a YAML path: less the union tags pydantic inserts, and
    with the YAML key of fields whose Python name differs."""
    path = tuple(part for part in loc if part not in TAGS)
    return tuple("not" if part == "negated" else part for part in path)


def _node_at(data: Any, path: Path) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _pydantic_problems(exc: PydanticValidationError, doc: SourceDocument) -> list[Problem]:
    problems = []
    errors = exc.errors()
    paths = [_yaml_path(error["loc"]) for error in errors]
    for error, path in zip(errors, paths, strict=True):
        # pydantic adds "too short" to a list whose every item failed: noise
        # beside the real faults, which the items' own errors name.
        if error["type"] == "too_short" and any(
            len(other) > len(path) and other[: len(path)] == path for other in paths
        ):
            continue
        parent = _node_at(doc.data, path[:-1])
        rule, message = _message(error, path, isinstance(parent, dict) and "fact" in parent)
        problems.append(doc.problem(rule, message, path))
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def load_criterion(
    text: str | bytes,
    policy: CriteriaPolicy | None = None,
    source: str = "criterion",
    max_bytes: int = MAX_BYTES,
) -> Criterion:
    """Read, validate and check one criterion; raise :class:`CriterionError` with
    every problem found.  ``policy`` is a :class:`CriteriaPolicy` (default: the
    built-in rules only)."""
    doc = read_yaml(text, source, max_bytes)
    if not isinstance(doc.data, dict):
        raise CriterionError([doc.problem("not-a-mapping", "a criterion is a mapping", ())], source)
    try:
        criterion = Criterion.model_validate(doc.data)
    except PydanticValidationError as exc:
        raise CriterionError(_pydantic_problems(exc, doc), source) from None
    problems = check(criterion, policy or CriteriaPolicy(), doc)
    if problems:
        raise CriterionError(problems, source)
    return criterion


def example_texts() -> dict[str, str]:
    """The example criteria shipped with openpiu, by file name."""
    folder = resources.files("openpiu.criteria").joinpath("examples")
    return {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    }
