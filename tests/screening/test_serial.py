"""Watchlist entries as JSON: exact round trip, canonical text, stable digest."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from openpiu.screening.entries import Alias, BirthDate, Document, WatchlistEntry
from openpiu.screening.serial import entry_digest, entry_from_json, entry_text, entry_to_json

FULL = WatchlistEntry(
    entry_id="UN-6908555",
    list_ref="QDi.430",
    kind="person",
    name_parts=("AMIN", "MUHAMMAD", "UL HAQ", "SAAM KHAN"),
    surname="Al-Haq",
    given_names="Amin",
    aliases=(
        Alias("Al-Haq, Amin", family_first=True),
        Alias("Амин аль-Хак", original_script=True),
        Alias("Dr. Amin", quality="low"),
        Alias("Muhammad Amin", former=True),
    ),
    birth_dates=(
        BirthDate(1960, 1, 30),
        BirthDate(1961, 5),
        BirthDate(1962),
        BirthDate(1963, approximate=True),
        BirthDate(1964, year_to=1966),
    ),
    nationalities=("AFG", "PAK"),
    nationalities_raw=("Kurdistan",),
    gender="M",
    documents=(Document("AB 123-456", "P", "AFG"), Document("X1", country_raw="Zanzibar")),
    action="no_board",
    legal_basis="UNSCR 1267",
    owner="PIU",
    expires=date(2030, 12, 31),
    notes="Believed to be in the border area.",
)


def test_full_entry_round_trips() -> None:
    data = entry_to_json(FULL)
    assert entry_from_json(data) == FULL
    # And through the text the store keeps.
    assert entry_from_json(json.loads(entry_text(FULL))) == FULL
    assert data["birth_dates"][3] == {"year": 1963, "approximate": True}
    assert data["birth_dates"][4] == {"year": 1964, "year_to": 1966}
    assert data["aliases"][0] == {"text": "Al-Haq, Amin", "family_first": True}
    assert data["expires"] == "2030-12-31"


def test_minimal_entry_is_small_and_round_trips() -> None:
    doc_only = WatchlistEntry("SLTD-1", documents=(Document("123456789", "P", "FRA"),))
    assert entry_to_json(doc_only) == {
        "entry_id": "SLTD-1",
        "kind": "person",
        "action": "notify",
        "documents": [{"number": "123456789", "doc_type": "P", "country": "FRA"}],
    }
    assert entry_from_json(entry_to_json(doc_only)) == doc_only
    entity = WatchlistEntry("E1", kind="entity", name_parts=("ACME TRADING",))
    assert entry_from_json(entry_to_json(entity)) == entity


def test_canonical_text_and_digest() -> None:
    e = WatchlistEntry("X1", name_parts=("JOSÉ", "PÉREZ"), birth_dates=(BirthDate(1980, 2),))
    text = entry_text(e)
    # Sorted keys, no spaces, non-ASCII kept as is: the same bytes on any machine.
    assert text == (
        '{"action":"notify","birth_dates":[{"month":2,"year":1980}],"entry_id":"X1",'
        '"kind":"person","name_parts":["JOSÉ","PÉREZ"]}'
    )
    assert entry_digest(e) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert entry_digest(e) == entry_digest(entry_from_json(entry_to_json(e)))


def test_digest_sees_every_material_change() -> None:
    base = entry_digest(FULL)
    edits = [
        replace(FULL, notes="other"),
        replace(FULL, aliases=FULL.aliases[::-1]),  # order is the list's, kept
        replace(FULL, aliases=(replace(FULL.aliases[0], family_first=False), *FULL.aliases[1:])),
        replace(FULL, birth_dates=(BirthDate(1960, 1, 31), *FULL.birth_dates[1:])),
        replace(FULL, documents=FULL.documents[:1]),
        replace(FULL, expires=None),
        replace(FULL, action="inspect"),
    ]
    digests = {entry_digest(e) for e in edits}
    assert base not in digests
    assert len(digests) == len(edits)


_text = st.text(min_size=1, max_size=12)
_opt = st.none() | _text
_births = st.builds(
    BirthDate,
    year=st.integers(1900, 2020),
    month=st.none() | st.integers(1, 12),
    day=st.none() | st.integers(1, 28),
    year_to=st.none() | st.integers(1900, 2020),
    approximate=st.booleans(),
)
_entries = st.builds(
    WatchlistEntry,
    entry_id=_text,
    list_ref=_opt,
    kind=st.sampled_from(["person", "entity"]),
    name_parts=st.lists(_text, max_size=4).map(tuple),
    surname=_opt,
    given_names=_opt,
    aliases=st.lists(
        st.builds(
            Alias,
            text=_text,
            quality=st.sampled_from(["good", "low"]),
            family_first=st.booleans(),
            original_script=st.booleans(),
            former=st.booleans(),
        ),
        max_size=3,
    ).map(tuple),
    birth_dates=st.lists(_births, max_size=3).map(tuple),
    nationalities=st.lists(st.sampled_from(["DEU", "KAZ", "UZB"]), max_size=2).map(tuple),
    nationalities_raw=st.lists(_text, max_size=2).map(tuple),
    gender=st.sampled_from([None, "M", "F"]),
    documents=st.lists(
        st.builds(Document, number=_text, doc_type=_opt, country=_opt, country_raw=_opt),
        max_size=2,
    ).map(tuple),
    action=st.sampled_from(["notify", "inspect", "contact", "no_board"]),
    legal_basis=_opt,
    owner=_opt,
    expires=st.none() | st.dates(),
    notes=_opt,
)


@given(_entries)
def test_any_entry_round_trips_with_a_stable_digest(e: WatchlistEntry) -> None:
    back = entry_from_json(json.loads(entry_text(e)))
    assert back == e
    assert entry_digest(back) == entry_digest(e)
