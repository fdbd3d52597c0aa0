"""The declared screening algorithm: features in, one explained score out.

``openpiu-v1``: the best name (or weak alias) reading, or an exact document,
gives the base; date of birth, nationality, gender and weak evidence qualify
it (see :mod:`openpiu.screening.features` for each feature and
:class:`~openpiu.screening.features.Knobs` for the weights).  Bands: ``alert``
(an analyst must review), ``review`` (weaker, shown on request), ``none``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from openpiu.screening.compare import align
from openpiu.screening.entries import WatchlistEntry
from openpiu.screening.features import (
    DEFAULT_KNOBS,
    MAIN_FEATURES,
    Knobs,
    dob_feature,
    dob_weight,
    document_features,
    gender_feature,
    name_feature,
    nationality_feature,
    parse_iso_date,
    weak_evidence,
)
from openpiu.screening.tokens import Reading, Token, readings_of, readings_of_parts
from openpiu.screening.types import Band, Feature, Match, Subject

ALGORITHM = "openpiu-v1"


@dataclass(frozen=True, slots=True)
class EntryName:
    """One reading of one of the entry's names, with what the list says of it."""

    reading: Reading
    weak: bool  # a low-quality alias
    label: str  # the name as the list writes it


@dataclass(frozen=True, slots=True)
class PreparedEntry:
    entry: WatchlistEntry
    names: tuple[EntryName, ...]


def entry_name_texts(entry: WatchlistEntry) -> list[tuple[str, bool]]:
    """Every name of the entry as (text, weak): primary, structured, aliases."""
    out: list[tuple[str, bool]] = []
    if entry.name_parts:
        out.append((" ".join(entry.name_parts), False))
    if entry.surname or entry.given_names:
        out.append((f"{entry.given_names or ''} {entry.surname or ''}".strip(), False))
    out += [(a.text, a.quality == "low") for a in entry.aliases]
    return out


def prepare_entry(entry: WatchlistEntry) -> PreparedEntry:
    names: list[EntryName] = []
    seen: set[tuple[tuple[str, ...], bool]] = set()
    for text, weak in entry_name_texts(entry):
        for reading in readings_of(text):
            key = (tuple(t.sk for t in reading.tokens), weak)
            # A name that is also a good alias must not count as weak.
            if key in seen or (weak and (key[0], False) in seen):
                continue
            seen.add(key)
            names.append(EntryName(reading, weak, text))
    return PreparedEntry(entry, tuple(names))


def subject_readings(subject: Subject) -> tuple[Reading, ...]:
    if subject.surname or subject.given_names:
        return readings_of_parts(subject.surname, subject.given_names)
    return readings_of(subject.name)


def band_of(score: float, knobs: Knobs = DEFAULT_KNOBS) -> Band:
    if score >= knobs.alert:
        return "alert"
    return "review" if score >= knobs.review else "none"


def recompute(features: Iterable[Feature]) -> float:
    """The score from the features alone: best main feature plus the qualifiers."""
    main = 0.0
    qualifiers = 0.0
    for f in features:
        if f.name in MAIN_FEATURES:
            main = max(main, f.weight * f.score)
        else:
            qualifiers += f.weight * f.score
    return round(min(1.0, max(0.0, main + qualifiers)), 4)


def _best_name(
    readings: tuple[Reading, ...], prepared: PreparedEntry, only: Iterable[int] | None, knobs: Knobs
) -> tuple[Feature, Feature | None, str] | None:
    best: tuple[Feature, Feature | None, str] | None = None
    best_value = -1.0
    indices = range(len(prepared.names)) if only is None else only
    for i in indices:
        name = prepared.names[i]
        for reading in readings:
            found = _name_features(reading.tokens, name.reading.tokens, name.weak, knobs)
            if found is None:
                continue
            feature, weak = found
            value = feature.score * feature.weight + (weak.weight if weak else 0.0)
            if value > best_value:
                best, best_value = (feature, weak, name.label), value
    return best


@lru_cache(maxsize=1 << 16)
def _name_features(
    left_tokens: tuple[Token, ...], right_tokens: tuple[Token, ...], weak: bool, knobs: Knobs
) -> tuple[Feature, Feature | None] | None:
    """The name feature of two readings (cached: a large list holds many
    namesakes, whose readings share their tokens, so they are scored once)."""
    alignment = align(left_tokens, right_tokens)
    if not alignment.pairs:
        return None
    left = " ".join(t.text for t in left_tokens)
    right = " ".join(t.text for t in right_tokens)
    feature, evidence = name_feature(alignment, left, right, weak=weak, knobs=knobs)
    return feature, weak_evidence(evidence, alignment, knobs)


def score_entry(
    subject: Subject,
    readings: tuple[Reading, ...],
    prepared: PreparedEntry,
    *,
    only: Iterable[int] | None = None,
    knobs: Knobs = DEFAULT_KNOBS,
    floor: float | None = None,
) -> Match | None:
    """Score one subject against one prepared entry; None when nothing matched
    (or, with ``floor``, when the score stays below it).

    ``only`` limits the name readings compared (the index knows which ones
    shared a key with the subject).  With ``floor``, the qualifiers are first
    added as bare numbers, and the explanation is written only for a hit: a
    large list offers many namesakes that fall short.
    """
    entry = prepared.entry
    features: list[Feature] = []
    matched_name = ""
    document = document_features(subject.doc_number, subject.doc_country, entry.documents, knobs)
    if document is not None:
        features.append(document)
    best = _best_name(readings, prepared, only, knobs) if prepared.names else None
    if best is not None:
        name, weak, matched_name = best
        features.append(name)
        if weak is not None and (document is None or document.name != "document"):
            features.append(weak)
    if not any(f.name in MAIN_FEATURES for f in features):
        return None
    if floor is not None:
        dob = parse_iso_date(subject.dob)
        quick = recompute(features) + (dob_weight(dob, entry.birth_dates, knobs) if dob else 0.0)
        if subject.nationality and entry.nationalities:
            quick += (knobs.nationality_match if subject.nationality in entry.nationalities
                      else knobs.nationality_mismatch)  # fmt: skip
        if min(1.0, quick) < floor:
            return None
    for qualifier in (
        dob_feature(subject.dob, entry.birth_dates, knobs),
        nationality_feature(subject.nationality, entry.nationalities, knobs),
        gender_feature(subject.gender, entry.gender, knobs),
    ):
        if qualifier is not None:
            features.append(qualifier)
    score = recompute(features)
    return Match(
        entry.entry_id,
        entry.list_ref,
        score,
        band_of(score, knobs),
        tuple(features),
        matched_name or (document.right if document else ""),
        ALGORITHM,
    )


def match_pair(
    left: str,
    right: str,
    dob_left: str | None = None,
    dob_right: str | None = None,
    *,
    knobs: Knobs = DEFAULT_KNOBS,
) -> Match:
    """Two names (and optional dates of birth) compared as traveller and list entry."""
    listed = parse_iso_date(dob_right)
    entry = WatchlistEntry(
        entry_id="right", name_parts=tuple(right.split()), birth_dates=(listed,) if listed else ()
    )
    subject = Subject(id="left", name=left, dob=dob_left)
    found = score_entry(subject, subject_readings(subject), prepare_entry(entry), knobs=knobs)
    if found is None:
        return Match("right", None, 0.0, "none", (), "", ALGORITHM)
    return found
