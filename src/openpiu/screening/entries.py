"""Watchlist entries: pure, frozen types shared by every loader and the scorer.

An entry keeps what the list says, in the list's own shape, so that the scorer
can explain a hit in the list's terms: name parts stay in the order the list
gives them (the UN's FIRST..FOURTH_NAME are not given and family names), aliases
keep their quality (a low-quality alias is weak evidence), and a date of birth
keeps its precision (exact date, month, year, approximate year, range of years).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from openpiu.identity import normalise_document_number

Kind = Literal["person", "entity"]
Quality = Literal["good", "low"]
Action = Literal["notify", "inspect", "contact", "no_board"]
Gender = Literal["M", "F"]

ACTIONS: tuple[Action, ...] = ("notify", "inspect", "contact", "no_board")



@dataclass(frozen=True, slots=True)
class Alias:
    """Another name of the entry, as the list writes it."""

    text: str
    quality: Quality = "good"
    # Written "Family, Given" (e.g. "Al-Haq, Amin"): the part before the comma is
    # the family name, which the scorer may align first.
    family_first: bool = False
    # In the original script (Arabic, Cyrillic, ...) rather than a Latin rendering.
    original_script: bool = False
    # A former name ("f.k.a."): still matchable, but the explanation says so.
    former: bool = False

    @property
    def parts(self) -> tuple[str, ...]:
        """Name parts in the written order, the comma of the family-first form dropped."""
        return tuple(self.text.replace(",", " ").split())


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A date of birth with its precision.

    ``day``/``month`` are None when the list gives less; ``year_to`` is set for a
    range ("between 1960 and 1962"); ``approximate`` marks "about YEAR".
    """

    year: int
    month: int | None = None
    day: int | None = None
    year_to: int | None = None
    approximate: bool = False

    @property
    def kind(self) -> str:
        if self.year_to is not None:
            return "between"
        if self.day is not None:
            return "date"
        if self.month is not None:
            return "month"
        return "approximate_year" if self.approximate else "year"

    @property
    def date(self) -> date | None:
        if self.day is None or self.month is None:
            return None
        return date(self.year, self.month, self.day)

    def __str__(self) -> str:
        if self.year_to is not None:
            return f"{self.year:04d}..{self.year_to:04d}"
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return ("~" + text) if self.approximate else text


@dataclass(frozen=True, slots=True)
class Document:
    """A travel or identity document; ``country`` is alpha-3 when we could map it."""

    number: str
    doc_type: str | None = None
    country: str | None = None
    country_raw: str | None = None  # the list's text when it is not a known country

    @property
    def normalised(self) -> str:
        # The same rule as the person key's: letters and digits, upper case.
        return normalise_document_number(self.number)


@dataclass(frozen=True, slots=True)
class WatchlistEntry:
    entry_id: str  # stable across imports of the same list: the diff keys on it
    list_ref: str | None = None  # the list's own reference, e.g. UN "CDi.001"
    kind: Kind = "person"
    # Primary name parts in the list's order (UN: FIRST..FOURTH_NAME; an entity: one part).
    name_parts: tuple[str, ...] = ()
    # Set only when the source says which part is which (CSV, FtM firstName/lastName).
    surname: str | None = None
    given_names: str | None = None
    aliases: tuple[Alias, ...] = ()
    birth_dates: tuple[BirthDate, ...] = ()
    nationalities: tuple[str, ...] = ()  # ISO 3166 alpha-3
    nationalities_raw: tuple[str, ...] = ()  # texts we could not map to a country
    gender: Gender | None = None
    documents: tuple[Document, ...] = ()
    action: Action = "notify"
    legal_basis: str | None = None
    owner: str | None = None
    expires: date | None = None
    notes: str | None = None

    @property
    def name(self) -> str:
        return " ".join(self.name_parts)

    @property
    def document_only(self) -> bool:
        """A lost or stolen document: matched on number and issuing country alone."""
        return not self.name_parts and not self.aliases and bool(self.documents)

    def active(self, on: date) -> bool:
        """An expired entry stops hitting (the day of expiry still counts)."""
        return self.expires is None or on <= self.expires


def diff(previous: list[WatchlistEntry], current: list[WatchlistEntry]) -> dict[str, list[str]]:
    """Entry ids added, changed (same id, different content) and removed, each sorted."""
    old = {e.entry_id: e for e in previous}
    new = {e.entry_id: e for e in current}
    return {
        "added": sorted(new.keys() - old.keys()),
        "changed": sorted(k for k in new.keys() & old.keys() if new[k] != old[k]),
        "removed": sorted(old.keys() - new.keys()),
    }
