"""The condition tree of a criterion: ``all`` / ``any`` / ``not`` over tests.

Two kinds of leaf:

* a **fact test** reads one fact of the catalogue with one operator::

      - fact: payment_forms
        includes: cash
      - fact: booking_lead_days
        between: [0, 1]

* a **trips** test counts the traveller's own earlier trips in a window before the
  screened departure::

      - trips:
          to_country: [SYR, IRQ]
          within_days: 90
          at_least: 2

Values are checked against the fact's kind as they are read (see
:mod:`openpiu.criteria.catalogue`), so a validated tree holds only typed values.
There is no pattern, regex or free-text operator, and no way to name a field
outside the catalogue.
"""

from __future__ import annotations

from difflib import get_close_matches
from functools import cached_property
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    StrictStr,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from openpiu.criteria.catalogue import (
    FACTS,
    SET_OPS,
    TRIP_FILTERS,
    FactSpec,
    Op,
    always_true,
    parse_scalar,
    parse_set,
    show,
)

MAX_BRANCHES = 50  # children of one all/any; a longer list is a list of criteria
MAX_WINDOW_DAYS = 3650

# Words people try that are not facts, with the reason, so that the refusal teaches.
_NOT_FACTS = {
    "name": "names are not facts: they are an ethnicity proxy (art. 6(4))",
    "surname": "names are not facts: they are an ethnicity proxy (art. 6(4))",
    "given_names": "names are not facts: they are an ethnicity proxy (art. 6(4))",
    "full_name": "names are not facts: they are an ethnicity proxy (art. 6(4))",
    "ssr": "SSR codes are not facts: they carry meal and health data (art. 13(4))",
    "ssr_codes": "SSR codes are not facts: they carry meal and health data (art. 13(4))",
    "meal": "meal codes are not facts: they reveal religion or health (art. 13(4))",
    "remarks": "free text is not a fact a criterion may read",
    "religion": "religion can never be a criterion (art. 6(4))",
    "ethnicity": "ethnic origin can never be a criterion (art. 6(4))",
}

_FROZEN = ConfigDict(frozen=True, extra="forbid")


def _condition_kind(value: Any) -> str | None:
    """Which condition a mapping is, by the one key that says so."""
    if isinstance(value, dict):
        for key in ("all", "any", "not", "fact", "trips"):
            if key in value:
                return f"cond-{key}"
    return None


class AllOf(BaseModel):
    """True when every condition is true."""

    model_config = _FROZEN
    all: tuple[Condition, ...] = Field(min_length=1, max_length=MAX_BRANCHES)


class AnyOf(BaseModel):
    """True when at least one condition is true."""

    model_config = _FROZEN
    any: tuple[Condition, ...] = Field(min_length=1, max_length=MAX_BRANCHES)


class NotOf(BaseModel):
    """True when the condition is false (an exculpatory element)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    negated: Condition = Field(alias="not")


def _spec(info: ValidationInfo) -> FactSpec | None:
    name = info.data.get("fact")
    return FACTS.get(name) if isinstance(name, str) else None


class FactTest(BaseModel):
    """One fact, one operator, one typed value."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    fact: StrictStr
    equals: Any = None
    in_: Any = Field(default=None, alias="in")
    between: Any = None
    less_than: Any = None
    at_most: Any = None
    more_than: Any = None
    at_least: Any = None
    includes: Any = None
    includes_any: Any = None
    only: Any = None

    @field_validator("fact")
    @classmethod
    def _known_fact(cls, name: str) -> str:
        if name in FACTS:
            return name
        reason = _NOT_FACTS.get(name.lower())
        if reason:
            raise ValueError(f"'{name}' cannot be read by a criterion: {reason}")
        close = get_close_matches(name, FACTS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ValueError(f"'{name}' is not a fact a criterion may read{hint}")

    @field_validator(
        "equals",
        "in_",
        "between",
        "less_than",
        "at_most",
        "more_than",
        "at_least",
        "includes",
        "includes_any",
        "only",
    )
    @classmethod
    def _typed_value(cls, raw: Any, info: ValidationInfo) -> Any:
        spec = _spec(info)
        if raw is None or spec is None:  # not given, or the fact was already refused
            return raw
        op = Op(info.field_name.rstrip("_") if info.field_name else "")
        if op not in spec.operators:
            allowed = ", ".join(sorted(spec.operators))
            raise ValueError(
                f"'{op}' does not apply to {spec.name} ({spec.kind.value}); use {allowed}"
            )
        if op in SET_OPS:
            return parse_set(spec, raw)
        if op is Op.BETWEEN:
            if not isinstance(raw, list) or len(raw) != 2:
                raise ValueError("between takes two values: [low, high]")
            low, high = parse_scalar(spec, raw[0]), parse_scalar(spec, raw[1])
            if low > high:
                raise ValueError(f"between [{low}, {high}]: the low end is above the high end")
            return (low, high)
        return parse_scalar(spec, raw)

    @model_validator(mode="after")
    def _one_operator(self) -> FactTest:
        given = [op for op in Op if getattr(self, _field(op)) is not None]
        if len(given) != 1 and self.fact in FACTS:
            ops = ", ".join(sorted(FACTS[self.fact].operators))
            count = "no operator" if not given else f"{len(given)} operators"
            raise ValueError(f"a fact test takes exactly one operator ({ops}); found {count}")
        if given and self.fact in FACTS and always_true(FACTS[self.fact], given[0], self.value):
            raise ValueError(
                f"{self.fact} {given[0]} {show(self.value)} holds for every traveller; "
                "a condition that is always true cannot count as a travel element"
            )
        return self

    # Cached: evaluation reads them for every traveller (the model stays immutable;
    # cached_property writes to the instance dict, not through __setattr__).
    @cached_property
    def op(self) -> Op:
        return next(op for op in Op if getattr(self, _field(op)) is not None)

    @cached_property
    def value(self) -> Any:
        return getattr(self, _field(self.op))

    @property
    def spec(self) -> FactSpec:
        return FACTS[self.fact]


def _field(op: Op) -> str:
    return "in_" if op is Op.IN else op.value


class TripWindow(BaseModel):
    """Earlier trips of the traveller that match every filter given, counted in the
    ``within_days`` before the screened departure."""

    model_config = _FROZEN

    to_country: frozenset[str] | None = None
    from_country: frozenset[str] | None = None
    to_airport: frozenset[str] | None = None
    from_airport: frozenset[str] | None = None
    within_days: StrictInt = Field(ge=1, le=MAX_WINDOW_DAYS)
    at_least: StrictInt | None = Field(default=None, ge=1, le=999)
    at_most: StrictInt | None = Field(default=None, ge=0, le=999)

    @field_validator("to_country", "from_country", "to_airport", "from_airport", mode="before")
    @classmethod
    def _places(cls, raw: Any, info: ValidationInfo) -> Any:
        if raw is None:
            return None
        kind = TRIP_FILTERS[info.field_name or ""]
        return parse_set(kind, raw if isinstance(raw, list) else [raw])

    @model_validator(mode="after")
    def _a_bound(self) -> TripWindow:
        if self.at_least is None and self.at_most is None:
            raise ValueError("a trips test needs at_least or at_most (or both)")
        if self.at_least is not None and self.at_most is not None and self.at_least > self.at_most:
            raise ValueError(f"at_least {self.at_least} is above at_most {self.at_most}")
        return self

    @property
    def filters(self) -> dict[str, frozenset[str]]:
        return {name: getattr(self, name) for name in TRIP_FILTERS if getattr(self, name)}


class TripCount(BaseModel):
    model_config = _FROZEN
    trips: TripWindow


# Defined after the classes so that other modules get it fully resolved.
Condition = Annotated[
    Annotated[AllOf, Tag("cond-all")]
    | Annotated[AnyOf, Tag("cond-any")]
    | Annotated[NotOf, Tag("cond-not")]
    | Annotated[FactTest, Tag("cond-fact")]
    | Annotated[TripCount, Tag("cond-trips")],
    Discriminator(
        _condition_kind,
        custom_error_type="not_a_condition",
        custom_error_message="a condition is a mapping with one of: all, any, not, fact, trips",
    ),
]
TAGS = frozenset({"cond-all", "cond-any", "cond-not", "cond-fact", "cond-trips"})


AnyCondition = AllOf | AnyOf | NotOf | FactTest | TripCount
Leaf = FactTest | TripCount

for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()
