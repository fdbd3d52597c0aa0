"""The person identity of DESIGN.md: one traveller across messages and flights.

A person is keyed on their travel document (type + number + issuing country +
date of birth); where no document is known, on the normalised name + date of
birth + nationality.  The key is stored hashed, so the ``persons`` table holds no
personal data of its own and masking the travellers' rows leaves links intact.

The name normaliser here is deliberately basic (case, diacritics, apostrophes,
spaces, hyphens); the screening issue brings a full name matcher, which replaces
:func:`normalise_name` for matching but not for keys (keys must stay stable).
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date

from openpiu.model import TravelDocument, Traveller

# Document types that identify a person (a visa names the passport it sits in,
# so it never keys a person on its own).
_IDENTITY_DOCS = ("P", "I", "A", "C", "IP", "F", "AC", "M", "G", "T")


def normalise_name(value: str) -> str:
    """Upper case ASCII letters and digits only: ``O'Reilly-Smith`` -> ``OREILLYSMITH``."""
    folded = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in folded.upper() if ch.isalnum() and ch.isascii())


def normalise_document_number(value: str) -> str:
    """Document numbers compare without spaces, dashes or case."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def identity_document(documents: list[TravelDocument]) -> TravelDocument | None:
    """The document that identifies the person: a passport first, then an ID card."""
    usable = [d for d in documents if d.number and d.doc_type.upper() != "V"]
    for doc in usable:
        if doc.doc_type.upper().startswith("P"):
            return doc
    for doc in usable:
        if doc.doc_type.upper() in _IDENTITY_DOCS:
            return doc
    return usable[0] if usable else None


def person_key(traveller: Traveller) -> tuple[str, str]:
    """(hashed key, kind) where kind is ``document`` or ``name``."""
    return key_of(
        traveller.surname,
        traveller.given_names,
        traveller.dob,
        traveller.nationality,
        identity_document(traveller.documents),
    )


def key_of(
    surname: str,
    given_names: str,
    dob: date | None,
    nationality: str | None,
    document: TravelDocument | None,
) -> tuple[str, str]:
    born = dob.isoformat() if dob else ""
    if document is not None:
        doc_type = "P" if document.doc_type.upper().startswith("P") else document.doc_type.upper()
        plain = "|".join(
            (
                "doc",
                doc_type,
                normalise_document_number(document.number),
                document.issuing_country or "",
                born,
            )
        )
        kind = "document"
    else:
        plain = "|".join(
            ("name", normalise_name(surname), normalise_name(given_names), born, nationality or "")
        )
        kind = "name"
    return hashlib.sha256(plain.encode("utf-8")).hexdigest(), kind
