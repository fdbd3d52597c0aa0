"""Watchlist entries as JSON, and the digest that says whether an entry changed.

The store keeps every entry as this JSON (one row per validity interval) and its
digest; an alert remembers the digest of the entry it was raised on, so a
dismissed alert is reopened only when the entry itself was edited.  The JSON is
therefore canonical: keys sorted, no spaces, empty and default values left out
(a million entries are stored per list, and an absent key reads back as the
field's default, so the round trip is exact).  The digest must never depend on
anything but the entry's content.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from openpiu.screening.entries import Alias, BirthDate, Document, WatchlistEntry

# One encoder for every call (json.dumps with options builds a new one each time).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _alias_to_json(a: Alias) -> dict[str, Any]:
    out: dict[str, Any] = {"text": a.text}
    if a.quality != "good":
        out["quality"] = a.quality
    if a.family_first:
        out["family_first"] = True
    if a.original_script:
        out["original_script"] = True
    if a.former:
        out["former"] = True
    return out


def _alias_from_json(d: dict[str, Any]) -> Alias:
    get = d.get
    return Alias(
        d["text"],
        get("quality", "good"),
        get("family_first", False),
        get("original_script", False),
        get("former", False),
    )


def _birth_to_json(b: BirthDate) -> dict[str, Any]:
    out: dict[str, Any] = {"year": b.year}
    if b.month is not None:
        out["month"] = b.month
    if b.day is not None:
        out["day"] = b.day
    if b.year_to is not None:
        out["year_to"] = b.year_to
    if b.approximate:
        out["approximate"] = True
    return out


def _birth_from_json(d: dict[str, Any]) -> BirthDate:
    get = d.get
    return BirthDate(d["year"], get("month"), get("day"), get("year_to"), get("approximate", False))


def _document_to_json(doc: Document) -> dict[str, Any]:
    out: dict[str, Any] = {"number": doc.number}
    if doc.doc_type is not None:
        out["doc_type"] = doc.doc_type
    if doc.country is not None:
        out["country"] = doc.country
    if doc.country_raw is not None:
        out["country_raw"] = doc.country_raw
    return out


def _document_from_json(d: dict[str, Any]) -> Document:
    get = d.get
    return Document(d["number"], get("doc_type"), get("country"), get("country_raw"))


def entry_to_json(e: WatchlistEntry) -> dict[str, Any]:
    """The entry as a JSON-ready dict; ``entry_id``, ``kind`` and ``action`` always present."""
    # Written out field by field (no getattr loop): a million-entry list is
    # serialised on every load, to compare digests.
    out: dict[str, Any] = {"entry_id": e.entry_id, "kind": e.kind, "action": e.action}
    if e.list_ref is not None:
        out["list_ref"] = e.list_ref
    if e.surname is not None:
        out["surname"] = e.surname
    if e.given_names is not None:
        out["given_names"] = e.given_names
    if e.gender is not None:
        out["gender"] = e.gender
    if e.legal_basis is not None:
        out["legal_basis"] = e.legal_basis
    if e.owner is not None:
        out["owner"] = e.owner
    if e.notes is not None:
        out["notes"] = e.notes
    if e.expires is not None:
        out["expires"] = e.expires.isoformat()
    # Tuples keep their order: the list's order of name parts and aliases matters.
    if e.name_parts:
        out["name_parts"] = list(e.name_parts)
    if e.aliases:
        out["aliases"] = [_alias_to_json(a) for a in e.aliases]
    if e.birth_dates:
        out["birth_dates"] = [_birth_to_json(b) for b in e.birth_dates]
    if e.nationalities:
        out["nationalities"] = list(e.nationalities)
    if e.nationalities_raw:
        out["nationalities_raw"] = list(e.nationalities_raw)
    if e.documents:
        out["documents"] = [_document_to_json(d) for d in e.documents]
    return out


def entry_from_json(d: dict[str, Any]) -> WatchlistEntry:
    """The inverse of :func:`entry_to_json` (exact: ``entry_from_json(entry_to_json(e)) == e``).

    The input is JSON this module wrote (the store's own rows), so values are taken
    as they are, without conversions: a screening worker reads a million of them."""
    get = d.get
    expires = get("expires")
    return WatchlistEntry(
        entry_id=d["entry_id"],
        list_ref=get("list_ref"),
        kind=get("kind", "person"),
        name_parts=tuple(get("name_parts", ())),
        surname=get("surname"),
        given_names=get("given_names"),
        aliases=tuple([_alias_from_json(a) for a in get("aliases", ())]),
        birth_dates=tuple([_birth_from_json(b) for b in get("birth_dates", ())]),
        nationalities=tuple(get("nationalities", ())),
        nationalities_raw=tuple(get("nationalities_raw", ())),
        gender=get("gender"),
        documents=tuple([_document_from_json(x) for x in get("documents", ())]),
        action=get("action", "notify"),
        legal_basis=get("legal_basis"),
        owner=get("owner"),
        expires=date.fromisoformat(expires) if expires is not None else None,
        notes=get("notes"),
    )


def entry_text(e: WatchlistEntry) -> str:
    """The canonical JSON text of the entry: what the store keeps and the digest hashes."""
    return _ENCODER.encode(entry_to_json(e))


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_digest(e: WatchlistEntry) -> str:
    """SHA-256 (hex) of the canonical JSON: equal entries, equal digests, on any machine."""
    return text_digest(entry_text(e))
