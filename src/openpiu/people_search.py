"""Person search: fuzzy name, document number, date of birth, over API and PNR travellers.

A search of personal data is processing under the PNR law: it needs a purpose or
a case reference, which the caller records with the look (the web page refuses
to search without one; :func:`search` refuses too, so no other adapter forgets).

It must stay fast on a million travellers, so the database narrows first and
Python scores only the candidates:

* a document number is looked up exactly, as typed and with spaces and dashes
  removed (both columns are indexed);
* a date of birth is compared exactly;
* a name is narrowed to surnames starting with the first two letters of any of
  its parts, in every spelling that folds to the same skeleton (RAKHIMOV and
  RAHIMOV both start "RA"; KHALIDOV, XALIDOV and HALIDOV all fold to "HA", so
  "HA", "KHA" and "XA" are all asked for).  Each prefix is a range
  (``surname >= 'RA' AND surname < 'RB'``) that an index on the surname can
  answer, unlike ``LIKE`` under PostgreSQL's default collation.

Candidates are then scored with rapidfuzz on the skeletons of
:mod:`openpiu.names` (transliteration differences folded), every query part
against its best counterpart in the candidate's name, in any order.  A name
that starts differently on both sides in a way the skeleton does not fold
(a typo in the first two letters) is not found: the price of the narrowing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Connection, and_, func, literal, null, select, union

from openpiu.errors import PiuError
from openpiu.names import clean_text, skeleton, surname_stem
from openpiu.store.schema import (
    api_documents,
    api_travellers,
    flight_travellers,
    flights,
    person_links,
    pnr_travellers,
)

RESULT_LIMIT = 100  # persons shown; the page says when there were more
CANDIDATE_LIMIT = 20_000  # rows read per table before scoring; past it, ask to narrow
NAME_THRESHOLD = 82.0  # rapidfuzz ratio (0-100) of the query's parts to the candidate's
HISTORY_LIMIT = 20  # flights listed per person
SURNAME_THRESHOLD = 70.0  # a surname must come this near one query part to be read
SURNAME_LIMIT = 2_000  # distinct surnames read; past it, ask to narrow

# Raw spellings that fold to one skeleton letter (see names.equivalence): the
# letters a stored surname may start with when its skeleton starts with the key.
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "H": ("H", "KH", "X"),
    "I": ("I", "Y"),
    "U": ("U", "IU", "YU", "OU", "OO"),
    "A": ("A", "IA", "YA"),
    "E": ("E", "IE", "YE", "EE"),
    "J": ("J", "DZH", "DJ", "ZH"),
    "K": ("K", "Q"),
    "V": ("V", "W"),
    "G": ("G", "GH"),
}
_NOT_DOC = re.compile(r"[^0-9A-Z]")


@dataclass(frozen=True)
class SearchQuery:
    name: str = ""
    document: str = ""
    dob: date | None = None
    purpose: str = ""

    @property
    def has_criteria(self) -> bool:
        return bool(self.name.strip() or self.document.strip() or self.dob)


@dataclass
class Sighting:
    """One flight the person was on, from its API list or a booking."""

    flight_id: int
    source: str  # API | PNR
    designator: str = ""
    flight_date: date | None = None
    origin: str | None = None
    destination: str | None = None


@dataclass
class PersonHit:
    person_id: int
    surname: str
    given_names: str
    dob: date | None
    nationality: str | None
    score: float  # 100 for an exact document or date of birth match without a name
    documents: set[str] = field(default_factory=set)
    sightings: list[Sighting] = field(default_factory=list)


@dataclass
class SearchResult:
    hits: list[PersonHit]
    capped: bool  # more persons matched than RESULT_LIMIT
    narrowed: bool  # the candidates hit CANDIDATE_LIMIT: the search should be narrower


def normalise_document(value: str) -> str:
    return _NOT_DOC.sub("", value.upper())


Part = tuple[str, str]  # a name part's skeleton and surname stem


def name_keys(name: str) -> list[Part]:
    """The parts of a query's name, comparable (order kept, duplicates dropped)."""
    out: list[Part] = []
    for part in _parts(name):
        if part not in out:
            out.append(part)
    return out


@lru_cache(maxsize=1 << 16)
def _parts(text: str) -> tuple[Part, ...]:
    # Cached by field: surnames and given names repeat across a million rows.
    out = []
    for word in clean_text(text).replace(",", " ").split():
        key = skeleton(word)
        if key:
            out.append((key, surname_stem(word).stem or key))
    return tuple(out)


def part_score(mine: Part, theirs: Part) -> float:
    """0-100: the skeletons compared, or, when both carry a surname suffix, the
    stems if that is better (RAKHIMOV and RAHIMZODA share the stem RAHIM)."""
    score = fuzz.ratio(mine[0], theirs[0])
    if score < 100 and mine[1] != mine[0] and theirs[1] != theirs[0]:
        score = max(score, fuzz.ratio(mine[1], theirs[1]))
    return float(score)


def surname_prefixes(keys: Iterable[Part]) -> set[str]:
    """Every stored spelling of the first two skeleton letters of each part."""
    out: set[str] = set()
    for key, _stem in keys:
        firsts = _SPELLINGS.get(key[0], (key[0],))
        seconds = _SPELLINGS.get(key[1], (key[1],)) if len(key) > 1 else ("",)
        out.update(a + b for a in firsts for b in seconds)
        if key.startswith("SH"):
            out.add("SCH")  # German-style SCH folds to SH
    return out


def name_score(keys: list[Part], surname: str, given_names: str) -> float:
    """How well the query's parts match the candidate's name, 0-100: each part
    against its best counterpart, in any order, averaged."""
    theirs = _parts(surname) + _parts(given_names)
    if not keys or not theirs:
        return 0.0
    return sum(max(part_score(k, t) for t in theirs) for k in keys) / len(keys)


def search(conn: Connection, query: SearchQuery, *, limit: int = RESULT_LIMIT) -> SearchResult:
    """Persons matching every criterion given, best first."""
    if not query.purpose.strip():
        raise PiuError("a search of personal data needs its purpose or case reference", 422)
    if not query.has_criteria:
        raise PiuError("give a name, a document number or a date of birth", 422)
    keys = name_keys(query.name)
    rows, narrowed = _candidates(conn, query, keys)
    persons: dict[int, PersonHit] = {}
    seen: set[tuple[int, int, str]] = set()
    scores: dict[tuple[str, str], float] = {}
    for source, person, flight_id, surname, given, dob, nationality, document in rows:
        score = 100.0
        if keys:
            score = scores.get((surname, given), -1.0)
            if score < 0:
                score = scores[(surname, given)] = name_score(keys, surname, given)
        if score < NAME_THRESHOLD:
            continue
        hit = persons.get(person)
        if hit is None or score > hit.score:
            persons[person] = hit = PersonHit(
                person, surname, given, dob, nationality, score,
                documents=hit.documents if hit else set(),
                sightings=hit.sightings if hit else [])  # fmt: skip
        if document:
            hit.documents.add(document)
        if (person, flight_id, source) not in seen:
            seen.add((person, flight_id, source))
            hit.sightings.append(Sighting(flight_id, source))
    ranked = sorted(persons.values(), key=lambda h: (-h.score, h.surname, h.person_id))
    shown = ranked[:limit]
    _complete(conn, shown)
    return SearchResult(shown, capped=len(ranked) > limit, narrowed=narrowed)


def _candidates(
    conn: Connection, q: SearchQuery, keys: list[Part]
) -> tuple[list[tuple[Any, ...]], bool]:
    """Rows of both tables that pass the criteria the database can check."""
    a, p = api_travellers, pnr_travellers
    api_where: list[Any] = []
    pnr_where: list[Any] = []
    api_from: Any = a
    document = q.document.strip().upper()
    narrowed = False
    if document:
        numbers = {document, normalise_document(document)}
        api_from = a.join(
            api_documents,
            and_(
                api_documents.c.message_id == a.c.message_id,
                api_documents.c.traveller_seq == a.c.seq,
            ),
        )
        api_where.append(api_documents.c.number.in_(numbers))
        pnr_where.append(p.c.doc_number.in_(numbers))
    if q.dob:
        api_where.append(a.c.dob == q.dob)
        pnr_where.append(p.c.dob == q.dob)
    if keys and not document:
        surnames, narrowed = _surnames(conn, keys)
        if not surnames:
            return [], narrowed
        api_where.append(a.c.surname.in_(surnames))
        pnr_where.append(p.c.surname.in_(surnames))
    api_doc = api_documents.c.number if document else null()
    # Plain tuples, in the order search() unpacks them: tens of thousands of
    # candidates are read, and mapping objects cost more than the scoring.
    api_rows = conn.execute(
        select(literal("API"), a.c.person_id, a.c.flight_id, a.c.surname, a.c.given_names,
               a.c.dob, a.c.nationality, api_doc)
        .select_from(api_from).where(*api_where).limit(CANDIDATE_LIMIT)
    ).all()  # fmt: skip
    # A booking's traveller counts as the API person it was linked to on that flight.
    person = func.coalesce(person_links.c.api_person_id, p.c.person_id)
    pnr_rows = conn.execute(
        select(literal("PNR"), person, p.c.flight_id, p.c.surname, p.c.given_names, p.c.dob,
               p.c.nationality, p.c.doc_number)
        .outerjoin(person_links, and_(person_links.c.flight_id == p.c.flight_id,
                                      person_links.c.pnr_person_id == p.c.person_id))
        .where(*pnr_where).limit(CANDIDATE_LIMIT)
    ).all()  # fmt: skip
    rows = [tuple(r) for r in api_rows] + [tuple(r) for r in pnr_rows]
    narrowed = narrowed or CANDIDATE_LIMIT in (len(api_rows), len(pnr_rows))
    return rows, narrowed


def _surnames(conn: Connection, keys: list[Part]) -> tuple[list[str], bool]:
    """The distinct surnames in the prefix ranges that come near a query part.

    Read from the surname alone (an index on it answers without touching the
    rows), so only the rows of plausible surnames are read afterwards."""
    prefixes = surname_prefixes(keys)
    found: dict[str, float] = {}
    # One range per SELECT: SQLite plans a disjunction of ranges as a scan of
    # the whole index, but each range alone as a seek.
    columns = (api_travellers.c.surname, pnr_travellers.c.surname)
    ranges = [select(c).where(r) for c in columns for r in _ranges(c, prefixes)]
    if ranges:
        for (surname,) in conn.execute(union(*ranges)):
            if surname in found:
                continue
            best = max((part_score(k, t) for k in keys for t in _parts(surname)), default=0.0)
            if best >= SURNAME_THRESHOLD:
                found[surname] = best
    ranked = sorted(found, key=lambda s: -found[s])
    return ranked[:SURNAME_LIMIT], len(ranked) > SURNAME_LIMIT


def _ranges(column: Any, prefixes: Iterable[str]) -> Iterator[Any]:
    # Names are stored as sent, and PAXLST and PNRGOV send them in upper case.
    for prefix in sorted(prefixes):
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        yield and_(column >= prefix, column < upper)


def _complete(conn: Connection, hits: list[PersonHit]) -> None:
    """Each shown person's API documents and travel history, and the flights'
    designators (one query each, for the persons shown only)."""
    if not hits:
        return
    by_id = {h.person_id: h for h in hits}
    a, d = api_travellers, api_documents
    for person_id, number in conn.execute(
        select(a.c.person_id, d.c.number).distinct()
        .join(d, and_(d.c.message_id == a.c.message_id, d.c.traveller_seq == a.c.seq))
        .where(a.c.person_id.in_(by_id))
    ):  # fmt: skip
        by_id[person_id].documents.add(number)
    ft = flight_travellers
    for person_id, flight_id in conn.execute(
        select(ft.c.person_id, ft.c.flight_id).where(ft.c.person_id.in_(by_id))
    ):  # fmt: skip
        hit = by_id[person_id]
        if not any(s.flight_id == flight_id and s.source == "API" for s in hit.sightings):
            hit.sightings.append(Sighting(flight_id, "API"))
    flight_ids = {s.flight_id for h in hits for s in h.sightings}
    info = {r["id"]: r for r in conn.execute(
        select(flights.c.id, flights.c.designator, flights.c.flight_date, flights.c.origin,
               flights.c.destination).where(flights.c.id.in_(flight_ids))).mappings()}  # fmt: skip
    for hit in hits:
        for s in hit.sightings:
            row = info.get(s.flight_id)
            if row is not None:
                s.designator, s.flight_date = row["designator"], row["flight_date"]
                s.origin, s.destination = row["origin"], row["destination"]
        hit.sightings.sort(key=lambda s: (s.flight_date or date.min, s.source), reverse=True)
        del hit.sightings[HISTORY_LIMIT:]
