"""The person key of DESIGN.md: document first, else name; hashed, never clear."""

from __future__ import annotations

import re
from datetime import date

from openpiu.identity import identity_document, normalise_name, person_key
from openpiu.model import Role, TravelDocument, Traveller

DOB = date(1985, 1, 1)
PASSPORT = TravelDocument("P", "PA1234567", "IRL", date(2030, 1, 1))
VISA = TravelDocument("V", "TJ0098765", "TJK", date(2025, 4, 14))


def traveller(surname: str = "O'REILLY", given: str = "SEAN PATRICK",
              docs: list[TravelDocument] | None = None, dob: date | None = DOB,
              nationality: str | None = "IRL") -> Traveller:
    return Traveller(role=Role.PASSENGER, surname=surname, given_names=given, dob=dob,
                     nationality=nationality, documents=list(docs or []))


def test_same_passport_same_person_whatever_the_spelling() -> None:
    a = person_key(traveller("OREILLY", "SEAN", [PASSPORT]))
    b = person_key(traveller("O'Reilly", "Seán Patrick", [PASSPORT]))
    assert a == b and a[1] == "document"


def test_document_number_compares_without_spaces_or_case() -> None:
    spaced = TravelDocument("P", "pa 123-4567", "IRL")
    assert person_key(traveller(docs=[spaced])) == person_key(traveller(docs=[PASSPORT]))


def test_passport_subtypes_key_as_passport() -> None:
    pm = TravelDocument("PM", "PA1234567", "IRL")
    assert person_key(traveller(docs=[pm])) == person_key(traveller(docs=[PASSPORT]))


def test_other_document_or_birth_date_is_another_person() -> None:
    base = person_key(traveller(docs=[PASSPORT]))
    assert person_key(traveller(docs=[TravelDocument("P", "PA1234568", "IRL")])) != base
    assert person_key(traveller(docs=[TravelDocument("P", "PA1234567", "GBR")])) != base
    assert person_key(traveller(docs=[PASSPORT], dob=date(1985, 1, 2))) != base


def test_name_key_when_no_document() -> None:
    a = person_key(traveller("O'Reilly", "Sean"))
    b = person_key(traveller("OREILLY", "SEAN"))
    assert a == b and a[1] == "name"
    assert normalise_name("O'Reilly-Smith") == "OREILLYSMITH"
    assert normalise_name("Müller") == "MULLER"
    assert person_key(traveller("OREILLY", "SEAN", nationality="GBR")) != a
    assert person_key(traveller("OREILLY", "SEAN", dob=date(1990, 5, 5))) != a
    assert person_key(traveller("OREILLY", "SEAMUS")) != a


def test_visa_never_keys_a_person() -> None:
    only_visa = person_key(traveller(docs=[VISA]))
    assert only_visa == person_key(traveller(docs=[])) and only_visa[1] == "name"
    # With a passport, the visa beside it changes nothing (whatever the order).
    assert person_key(traveller(docs=[VISA, PASSPORT])) == person_key(traveller(docs=[PASSPORT]))
    assert identity_document([VISA, PASSPORT]) is PASSPORT
    assert identity_document([VISA]) is None


def test_passport_preferred_over_identity_card() -> None:
    card = TravelDocument("I", "ID998877", "IRL")
    assert identity_document([card, PASSPORT]) is PASSPORT
    assert identity_document([card]) is card
    assert person_key(traveller(docs=[card, PASSPORT])) == person_key(traveller(docs=[PASSPORT]))


def test_key_holds_no_clear_personal_data() -> None:
    for t in (traveller(docs=[PASSPORT]), traveller()):
        key, _kind = person_key(t)
        assert re.fullmatch(r"[0-9a-f]{64}", key)  # a SHA-256 hex digest
        for clear in ("PA1234567", "OREILLY", "REILLY", "SEAN", "1985", "IRL"):
            assert clear not in key.upper()
