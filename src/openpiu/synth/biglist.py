"""A large synthetic watchlist with the name frequencies of a PIU's traffic.

A screening index is only tested when its list holds the names the travellers
carry, as often as they carry them: a million entries of rare invented names
would make every lookup cheap, while a real list of the region is full of
MUHAMMAD, ALI and -OV/-ZODA surnames.  :func:`synthetic_watchlist` therefore
draws each entry's name with the traffic generator's own :class:`NameMaker`,
from the nationality, culture and gender mix of the profile's routes
(weighted by seats and load factor, as :mod:`openpiu.synth.traffic` fills
them), so a name part is as common in the list as on board.

Each entry holds its passport (ICAO) Latin form as the primary name, and some
of: the original-script name (Cyrillic, Arabic, Chinese), a "Family, Given"
alias, a low-quality alias in an airline or press spelling, a date of birth of
mixed precision (exact, month, year, approximate year, range), one or two
nationalities, a gender and a passport.  Deterministic: one
``random.Random(seed)`` consumed in a fixed order.

:func:`write_watchlist_csv` writes entries in the watchlist CSV of DESIGN.md
(``piu watchlist load --format csv``); that format has no alias quality and no
"approximate" marker, so a low-quality alias is written as an alias and an
approximate year as the year (see the function).
"""

from __future__ import annotations

import csv
import random
import re
from bisect import bisect
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Generic, TypeVar

from openpiu.screening.entries import Alias, BirthDate, Document, WatchlistEntry
from openpiu.screening.loaders import CSV_COLUMNS
from openpiu.synth.names import NameMaker, PersonName, _table
from openpiu.synth.people import passport
from openpiu.synth.profiles import SEATS, TAJIKISTAN, Profile
from openpiu.synth.translit import airline_spelling

__all__ = ["synthetic_watchlist", "traveller_mix", "write_watchlist_csv"]

T = TypeVar("T")

REFERENCE_DAY = date(2026, 1, 1)  # ages are counted back from here
# Share of entries carrying each optional part.
P_ORIGINAL = 0.40  # original-script alias, for names written in another script
P_FAMILY_FIRST = 0.10  # "SURNAME, GIVEN" alias
P_LOW = 0.15  # low-quality alias in an airline or press spelling
P_DOCUMENT = 0.30
P_SECOND_NATIONALITY = 0.05
P_NATIONALITY = 0.92
P_GENDER = 0.85
# Date-of-birth precision: (kind, weight).
_DOB_KINDS = (("date", 55), ("year", 18), ("approximate", 10), ("between", 9), ("month", 3),
              ("none", 5))  # fmt: skip


def traveller_mix(profile: Profile = TAJIKISTAN) -> list[tuple[float, str, float, bool]]:
    """(weight, nationality spec, male share, migrant) per route, as the traffic fills seats.

    Each route contributes seats x load factor in both directions; the male
    share is the traffic's for solo travellers on the route (86% on migrant
    routes, 58% elsewhere), lowered for the couples and families it books.
    """
    out: list[tuple[float, str, float, bool]] = []
    for route in profile.routes:
        weight = SEATS[route.equipment] * route.load * 2
        # traffic.py: solo 70% (migrant) / 48%; couples and families are half men.
        solo = 0.70 if route.migrant else 0.48
        male = solo * (0.86 if route.migrant else 0.58) + (1 - solo) * 0.5
        out.append((weight, profile.mixes[route.mix], male, route.migrant))
    return out


class _Picker(Generic[T]):
    """A weighted choice with one ``random()`` and a bisect."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        pairs = list(pairs)
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect(self.cum, rng.random() * self.total)]


def _birth(rng: random.Random, migrant_like: bool) -> tuple[date, BirthDate | None]:
    if migrant_like and rng.random() < 0.85:
        years = rng.triangular(19, 45, 26)
    else:
        years = rng.triangular(18, 78, 34)
    dob = REFERENCE_DAY - timedelta(days=int(years * 365.25))
    kind = _DOB_PICK.pick(rng)
    if kind == "date":
        return dob, BirthDate(dob.year, dob.month, dob.day)
    if kind == "month":
        return dob, BirthDate(dob.year, dob.month)
    if kind == "year":
        return dob, BirthDate(dob.year)
    if kind == "approximate":
        return dob, BirthDate(dob.year, approximate=True)
    if kind == "between":
        low = dob.year - rng.randint(0, 2)
        return dob, BirthDate(low, year_to=low + rng.randint(1, 3))
    return dob, None


_DOB_PICK = _Picker(_DOB_KINDS)


# The traffic generator's tables hold the head of the name distribution (a few
# hundred surname stems); a real list of a million people holds hundreds of
# thousands of distinct surnames.  This share of surnames (all scripts but
# Chinese, whose few surnames are the real distribution) gets an invented stem
# (two or three syllables of the region) with the original's ending (-OV, -EVA,
# -ZODA, -I ...), so given names and endings keep the traffic's frequencies
# while surnames get their long tail.  Without it, nearly every traveller had
# a score of namesakes born within two years of him among a million entries.
P_TAIL_SURNAME = 0.9
_SYLLABLES = (
    "BA", "BO", "BU", "DA", "DI", "DO", "FA", "FI", "GA", "GU", "HA", "HU", "JA", "JU", "KA",
    "KI", "KO", "KU", "LA", "LO", "MA", "MI", "MU", "NA", "NI", "NU", "PA", "RA", "RI", "RO",
    "RU", "SA", "SI", "SU", "TA", "TO", "TU", "VA", "YA", "ZA", "ZU", "SHA", "SHO", "KHA",
    "KHU", "CHA", "CHO", "DZHA", "NAZ", "RAH", "SAF", "KAR", "MIR", "NUR", "TOL", "BEK", "DIL",
    "GUL", "SHER", "ZAR", "DAV", "HAS", "YUS", "ABD", "RAS", "SAL", "TAL", "FAR", "KAM", "MAH",
)  # fmt: skip
_ENDING = re.compile("(OVA|EVA|OV|EV|ZODA|ZADE|ZADA|IY|I)$")


def _tail_surname(rng: random.Random, name: PersonName) -> PersonName:
    ending = _ENDING.search(name.passport_surname)
    stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3))))
    surname = stem + (ending.group(1) if ending else "")
    return replace(
        name, passport_surname=surname, booking_surname=surname, original_surname="", script="Latn"
    )


def _joined(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _aliases(rng: random.Random, name: PersonName) -> tuple[Alias, ...]:
    out: list[Alias] = []
    sur, giv = name.passport_surname, name.passport_given
    if name.script != "Latn" and rng.random() < P_ORIGINAL:
        original = _joined(name.original_given, name.original_surname)
        if original:
            out.append(Alias(original, "good", original_script=True))
    if sur and giv and rng.random() < P_FAMILY_FIRST:
        out.append(Alias(f"{sur}, {giv}", "good", family_first=True))
    if rng.random() < P_LOW:
        # A weak alias: how a booking agent or a newspaper spelled the name.
        low = _joined(
            airline_spelling(rng, name.booking_given or giv),
            airline_spelling(rng, name.booking_surname or sur),
        )
        if low and low != _joined(giv, sur):
            out.append(Alias(low, "low"))
    return tuple(out)


def synthetic_watchlist(n: int, seed: int, profile: Profile = TAJIKISTAN,
                        prefix: str = "SYN") -> Iterator[WatchlistEntry]:  # fmt: skip
    """``n`` person entries named like the profile's travellers (see module docstring)."""
    rng = random.Random(seed)
    names = NameMaker(rng)
    routes = _Picker(
        ((spec, male, migrant), w) for w, spec, male, migrant in traveller_mix(profile)
    )
    cultures = profile.cultures
    width = max(7, len(str(n)))
    for i in range(1, n + 1):
        spec, male, migrant = routes.pick(rng)
        nationality = _table(spec).pick(rng)
        culture = _table(cultures[nationality]).pick(rng)
        gender = "M" if rng.random() < male else "F"
        name = names.person(culture, gender, "")
        if name.script != "Hani" and rng.random() < P_TAIL_SURNAME:
            name = _tail_surname(rng, name)
        dob, birth = _birth(rng, migrant)
        nationalities: tuple[str, ...] = ()
        if rng.random() < P_NATIONALITY:
            nationalities = (nationality,)
            if rng.random() < P_SECOND_NATIONALITY:
                other = "RUS" if nationality != "RUS" else "TJK"
                nationalities = (nationality, other)
        documents: tuple[Document, ...] = ()
        if rng.random() < P_DOCUMENT:
            doc = passport(rng, nationality, dob, REFERENCE_DAY)
            documents = (Document(doc.number, "passport", doc.issuing_country),)
        aliases = _aliases(rng, name)
        surname, given = name.passport_surname, name.passport_given
        entry_id = f"{prefix}-{i:0{width}d}"
        yield WatchlistEntry(
            entry_id=entry_id,
            list_ref=entry_id,
            kind="person",
            name_parts=tuple(f"{given} {surname}".split()),
            surname=surname or None,
            given_names=given or None,
            aliases=aliases,
            birth_dates=(birth,) if birth else (),
            nationalities=nationalities,
            gender=gender if rng.random() < P_GENDER else None,  # type: ignore[arg-type]
            documents=documents,
            action="inspect" if rng.random() < 0.1 else "notify",
            owner="SYNTHETIC",
        )


def _dob_text(birth: BirthDate) -> str:
    if birth.year_to is not None:
        return f"{birth.year:04d}..{birth.year_to:04d}"
    # The CSV has no "approximate" marker: an approximate year is written as the year.
    text = f"{birth.year:04d}"
    if birth.month is not None:
        text += f"-{birth.month:02d}"
        if birth.day is not None:
            text += f"-{birth.day:02d}"
    return text


def watchlist_csv_row(entry: WatchlistEntry) -> dict[str, str]:
    """One entry as a row of the watchlist CSV (first date of birth and document only)."""
    doc = entry.documents[0] if entry.documents else None
    return {
        "entry_id": entry.entry_id,
        "list_ref": entry.list_ref or "",
        "full_name": " ".join(entry.name_parts),
        "surname": entry.surname or "",
        "given_names": entry.given_names or "",
        # The CSV has no alias quality: a low-quality alias is written as an alias.
        "aliases": "|".join(a.text for a in entry.aliases),
        "dob": _dob_text(entry.birth_dates[0]) if entry.birth_dates else "",
        "gender": entry.gender or "",
        "nationality": "|".join(entry.nationalities),
        "doc_type": (doc.doc_type or "") if doc else "",
        "doc_number": doc.number if doc else "",
        "doc_country": (doc.country or "") if doc else "",
        "action": entry.action,
        "legal_basis": entry.legal_basis or "",
        "owner": entry.owner or "",
        "expires": entry.expires.isoformat() if entry.expires else "",
        "notes": entry.notes or "",
    }


def write_watchlist_csv(entries: Iterable[WatchlistEntry], path: str | Path) -> int:
    """Write ``entries`` as the watchlist CSV of DESIGN.md (UTF-8); returns the row count."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for entry in entries:
            writer.writerow(watchlist_csv_row(entry))
            count += 1
    return count
