"""What screening takes and returns: a subject, features, a match.

Pure frozen types shared by the scorer, the index, the CLI and the store.  A
match carries every feature that made its score (score, weight, the two values
compared, a sentence), so an analyst sees why and an auditor can recompute the
score from what was stored (:func:`openpiu.screening.scorer.recompute`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Band = Literal["alert", "review", "none"]
BANDS: tuple[Band, ...] = ("alert", "review", "none")


@dataclass(frozen=True, slots=True)
class Subject:
    """One traveller (or one side of a name pair) as screening sees it.

    ``name`` is a full name in any order and script; ``surname``/``given_names``
    are used instead when the source says which part is which (API, PNR).
    ``dob`` is ISO: YYYY-MM-DD, YYYY-MM or YYYY.  Countries are alpha-3.
    """

    id: str = ""
    name: str = ""
    surname: str = ""
    given_names: str = ""
    dob: str | None = None
    nationality: str | None = None
    gender: str | None = None  # M / F / None
    doc_number: str | None = None
    doc_country: str | None = None

    @property
    def display_name(self) -> str:
        if self.surname or self.given_names:
            return f"{self.surname}, {self.given_names}".strip(", ")
        return self.name


@dataclass(frozen=True, slots=True)
class Feature:
    """One piece of evidence.  ``score`` in [0, 1] for main features; the
    contribution to the final score is ``weight * score`` (qualifiers have a
    negative or positive weight and a score of 0 or 1)."""

    name: str
    score: float
    weight: float
    left: str  # the traveller's value
    right: str  # the list's value
    detail: str  # one sentence for the analyst

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "score": round(self.score, 4),
            "weight": self.weight,
            "left": self.left,
            "right": self.right,
            "detail": self.detail,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Feature:
        return cls(
            str(data["name"]), float(data["score"]), float(data["weight"]),
            str(data.get("left", "")), str(data.get("right", "")), str(data.get("detail", "")),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Match:
    """A subject against one list entry, with the features that decided it."""

    entry_id: str
    entry_ref: str | None
    score: float
    band: Band
    features: tuple[Feature, ...] = field(default=())
    matched_name: str = ""  # the entry's name or alias that scored best
    algorithm: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id,
            "entry_ref": self.entry_ref,
            "score": round(self.score, 4),
            "band": self.band,
            "matched_name": self.matched_name,
            "algorithm": self.algorithm,
            "features": {f.name: f.to_json() for f in self.features},
        }
