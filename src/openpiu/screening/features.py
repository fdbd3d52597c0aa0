"""Screening features: each a small pure function returning a Feature or None.

A feature's docstring is its documentation.  Main features (a name, a
document) give the base score; qualifiers (date of birth, nationality,
gender, weak evidence) add to it or take from it.  The final score is
``max(main weight x score) + sum(qualifier weight x score)``, clamped to
[0, 1], so it can be recomputed from the stored features alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from openpiu.identity import normalise_document_number as normalise_document
from openpiu.screening.compare import Alignment
from openpiu.screening.entries import BirthDate, Document
from openpiu.screening.tokens import Token
from openpiu.screening.types import Feature

MAIN_FEATURES = frozenset({"name", "weak_alias", "document"})


@dataclass(frozen=True, slots=True)
class Knobs:
    """The declared algorithm's tuning knobs (documented in the README)."""

    unmatched_left: float = 0.5  # share of an unmatched traveller part's weight counted
    unmatched_right: float = (
        0.25  # share of an unmatched list part's weight (UN names have 4 parts)
    )
    weak_alias: float = 0.85  # weight of a name feature reached through a weak alias
    document: float = 0.98  # weight of an exact document match
    min_evidence: float = 0.8  # matched weight below this is weak evidence...
    weak_evidence: float = -0.3  # ...costing up to this much (graded, see weak_evidence)
    weak_single: float = -0.12  # one part matched of a name that has more
    weak_mononym: float = -0.15  # a one-part traveller name against a longer list name
    typo_evidence: float = 0.7  # share of a weaker likeness counted as evidence
    strong_part: float = 0.9  # a part likeness at least this strong is full evidence
    patronymic: float = 0.2  # share of an unmatched patronymic's weight counted
    dob_exact: float = 0.05
    dob_close: float = 0.02  # same year / month, inside a range, swapped day and month
    dob_one_year: float = -0.04
    dob_disjoint: float = -0.25
    nationality_match: float = 0.02
    nationality_mismatch: float = -0.08
    gender_mismatch: float = -0.15
    document_typo: float = 0.08
    alert: float = 0.80  # band thresholds
    review: float = 0.68


DEFAULT_KNOBS = Knobs()


def _traveller_mononym(alignment: Alignment) -> bool:
    """A one-part traveller name (no honorific beside it) wholly matched."""
    return (not alignment.left_unmatched and len(alignment.pairs) == 1
            and not alignment.left_honorifics)


def _unmatched(tokens: tuple[Token, ...], knobs: Knobs) -> float:
    return sum(t.weight * (knobs.patronymic if t.patronymic else 1.0) for t in tokens)


def name_feature(
    alignment: Alignment, left: str, right: str, *, weak: bool, knobs: Knobs = DEFAULT_KNOBS
) -> tuple[Feature, float]:
    """Name parts aligned in any order; each part weighted by how rare it is.

    score = sum(weight x similarity) / (matched weight + unmatched traveller
    parts x ``unmatched_left`` + unmatched list parts x ``unmatched_right``).
    Returns the feature and the matched evidence (sum of weight x similarity).
    """
    num = 0.0
    den = 0.0
    evidence = 0.0
    mononym = _traveller_mononym(alignment)
    reasons = []
    for p in alignment.pairs:
        # The commoner spelling decides: MUHAMMAD matched to a rare-looking
        # MOHAMMADI is still only MUHAMMAD's worth of evidence.
        w = min(p.left.weight, p.right.weight)
        num += w * p.similarity
        den += w
        # A typo-level likeness is less evidence than a spelling equivalence.
        strong = p.similarity >= knobs.strong_part
        evidence += w * p.similarity * (1.0 if strong else knobs.typo_evidence)
        mark = "=" if p.reason == "identical" else "~"
        reasons.append(f"{p.left.text}{mark}{p.right.text} ({p.reason})")
    den += knobs.unmatched_left * _unmatched(alignment.left_unmatched, knobs)
    right_share = knobs.unmatched_right / 2 if mononym else knobs.unmatched_right
    den += right_share * _unmatched(alignment.right_unmatched, knobs)
    score = num / den if den else 0.0
    extra = [f"{t.text} only on the traveller" for t in alignment.left_unmatched]
    extra += [f"{t.text} only on the list" for t in alignment.right_unmatched]
    detail = "; ".join(reasons + extra) or "no name part in common"
    name = "weak_alias" if weak else "name"
    weight = knobs.weak_alias if weak else 1.0
    if weak:
        detail = "weak (low-quality) alias: " + detail
    return Feature(name, score, weight, left, right, detail), evidence


def weak_evidence(
    evidence: float, alignment: Alignment, knobs: Knobs = DEFAULT_KNOBS
) -> Feature | None:
    """Weak evidence: only common parts matched (MUHAMMAD, ALI; the less evidence,
    the larger the cost, up to ``weak_evidence``), or a single part of a name
    that has more (KARIMOV ALI against a one-part list name)."""
    # A one-part traveller name (Afghan passports often hold one) matched to a
    # longer list name is not a partial match: it is all the traveller has.
    mononym = _traveller_mononym(alignment)
    if mononym and alignment.right_unmatched:
        return Feature(
            "weak_evidence",
            1.0,
            knobs.weak_mononym,
            f"{evidence:.2f}",
            f"{knobs.min_evidence:.2f}",
            "a one-part name against a longer list name",
        )
    if (
        len(alignment.pairs) == 1
        and not mononym
        and (alignment.left_unmatched or alignment.right_unmatched)
    ):
        return Feature(
            "weak_evidence",
            1.0,
            knobs.weak_single,
            f"{evidence:.2f}",
            f"{knobs.min_evidence:.2f}",
            "one name part matched, the others did not",
        )
    if evidence >= knobs.min_evidence:
        return None
    cost = round(knobs.weak_evidence * (1.0 - evidence / knobs.min_evidence), 4)
    return Feature(
        "weak_evidence",
        1.0,
        cost,
        f"{evidence:.2f}",
        f"{knobs.min_evidence:.2f}",
        "only common name parts matched",
    )


@lru_cache(maxsize=4096)
def parse_iso_date(text: str | None) -> BirthDate | None:
    """YYYY-MM-DD, YYYY-MM or YYYY (a traveller's date of birth); None if unusable."""
    if not text:
        return None
    bits = text.strip().split("-")
    try:
        nums = [int(b) for b in bits[:3]]
    except ValueError:
        return None
    if not nums or not 1800 <= nums[0] <= 2200:
        return None
    month = nums[1] if len(nums) > 1 and 1 <= nums[1] <= 12 else None
    day = nums[2] if len(nums) > 2 and month and 1 <= nums[2] <= 31 else None
    return BirthDate(nums[0], month, day)


def _dob_one(dob: BirthDate, listed: BirthDate, knobs: Knobs) -> tuple[float, str]:
    if listed.year_to is not None or listed.approximate:
        lo, hi = (
            (listed.year, listed.year_to) if listed.year_to else (listed.year - 2, listed.year + 2)
        )
        if lo <= dob.year <= hi:
            return knobs.dob_close, "inside the listed range"
        off = min(abs(dob.year - lo), abs(dob.year - hi))
        return (
            (knobs.dob_one_year, "one year outside the range")
            if off == 1
            else (knobs.dob_disjoint, "outside the listed range")
        )
    if dob.year == listed.year:
        if listed.month and dob.month and listed.month == dob.month:
            if listed.day and dob.day:
                if listed.day == dob.day:
                    return knobs.dob_exact, "same date"
                return 0.0, "same year and month, another day"
            return knobs.dob_close, "same year and month"
        if listed.day and dob.day and listed.month == dob.day and listed.day == dob.month:
            return knobs.dob_close, "day and month swapped"
        if listed.month and dob.month:
            return 0.0, "same year, another date"
        return knobs.dob_close, "same year"
    if abs(dob.year - listed.year) == 1:
        return knobs.dob_one_year, "one year off"
    return knobs.dob_disjoint, "different year"


def dob_weight(
    dob: BirthDate, listed: tuple[BirthDate, ...], knobs: Knobs = DEFAULT_KNOBS
) -> float:
    """The weight :func:`dob_feature` would give, without writing its explanation."""
    return max((_dob_one(dob, b, knobs)[0] for b in listed), default=0.0)


def dob_feature(
    dob_text: str | None, listed: tuple[BirthDate, ...], knobs: Knobs = DEFAULT_KNOBS
) -> Feature | None:
    """Date of birth: exact, same year, one year off, day/month swapped, inside an
    approximate ("about 1965": +-2 years) or listed range; the best listed date counts."""
    dob = parse_iso_date(dob_text)
    if dob is None or not listed:
        return None
    weight, detail, best = max(
        ((*_dob_one(dob, b, knobs), str(b)) for b in listed), key=lambda r: r[0]
    )
    return Feature("dob", 1.0, weight, str(dob), best, detail)


def nationality_feature(
    nationality: str | None, listed: tuple[str, ...], knobs: Knobs = DEFAULT_KNOBS
) -> Feature | None:
    """Nationality among the entry's (lists often know only one of several)."""
    if not nationality or not listed:
        return None
    if nationality in listed:
        return Feature(
            "nationality",
            1.0,
            knobs.nationality_match,
            nationality,
            "|".join(listed),
            "same nationality",
        )
    return Feature(
        "nationality",
        1.0,
        knobs.nationality_mismatch,
        nationality,
        "|".join(listed),
        "different nationality",
    )


def gender_feature(
    gender: str | None, listed: str | None, knobs: Knobs = DEFAULT_KNOBS
) -> Feature | None:
    """A different gender (both known) speaks against the match."""
    if gender not in ("M", "F") or listed not in ("M", "F") or gender == listed:
        return None
    return Feature("gender", 1.0, knobs.gender_mismatch, gender, listed, "different gender")


def document_features(
    number: str | None,
    country: str | None,
    listed: tuple[Document, ...],
    knobs: Knobs = DEFAULT_KNOBS,
) -> Feature | None:
    """Document number (letters and digits only) with the issuing country.

    Equal number and country (or a country unknown on one side): a main
    feature, as strong as a name.  One edit on a long number with the same
    country: a qualifier (a typo at check-in or on the list).
    """
    if not number or not listed:
        return None
    mine = normalise_document(number)
    best: Feature | None = None
    for doc in listed:
        theirs = doc.normalised
        same_country = not country or not doc.country or country == doc.country
        if not theirs or not same_country:
            continue
        right = f"{doc.number} ({doc.country or '?'})"
        if theirs == mine:
            return Feature(
                "document",
                1.0,
                knobs.document,
                f"{number} ({country or '?'})",
                right,
                "same document number and issuing country",
            )
        if len(mine) >= 6 and OSA.distance(mine, theirs, score_cutoff=1) <= 1:
            best = Feature(
                "document_typo",
                1.0,
                knobs.document_typo,
                number,
                right,
                "document number one character apart",
            )
    return best
