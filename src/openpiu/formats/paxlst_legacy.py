"""Legacy US-EDIFACT PAXLST (``PAXLST:001:000``): the PDT passenger segment.

Before the UN/EDIFACT API profile, US APIS used a PAXLST in which one PDT segment
carries a whole traveller: document, name, birth date, gender, citizenship and
ports.  Implementations differ in the order of those elements, so each element
is recognised by its shape rather than its position, and what is not recognised
is reported.
"""

from __future__ import annotations

import re

from openpiu.formats import edifact
from openpiu.model import Role, TravelDocument, Traveller
from openpiu.reference import country_alpha3, is_airport

_DOC_TYPES = {"P", "V", "A", "C", "I", "IP", "AC", "F", "M", "G", "T", "L"}
_ROLES = {"FL": (Role.PASSENGER, False), "FM": (Role.CREW, False),
          "DDU": (Role.PASSENGER, True), "DDT": (Role.CREW, True)}
_SIX_DIGITS = re.compile(r"^\d{6}$|^\d{8}$")

RawDate = tuple[object, str, str]
# Characters a surname may carry besides letters: O'REILLY, ST. JOHN, AL-RASHID.
_NAME_MARKS = str.maketrans("", "", " -'.\u2019")


def _name_like(text: str) -> bool:
    return text.translate(_NAME_MARKS).isalpha()  # (target, DTM-like qualifier, raw value)


def read_pdt(seg: edifact.Segment, warnings: list[str]) -> tuple[Traveller, list[RawDate]]:
    traveller = Traveller(role=Role.PASSENGER, surname="")
    dates: list[RawDate] = []
    named = False
    for number, element in enumerate(seg.elements):
        parts = [c.strip().upper() for c in element]
        if not any(parts):
            continue
        head = parts[0]
        if head in _ROLES and len([p for p in parts if p]) == 1:
            traveller.role, traveller.in_transit = _ROLES[head]
        elif head in _DOC_TYPES and len(parts) > 1 and parts[1] and (
                number == 0 or any(ch.isdigit() for ch in parts[1])):
            # First element, or anywhere once it has a document number's shape (a role
            # element such as FL may come first); a name "A:JOHN" has no digits.
            doc = TravelDocument(doc_type=head, number=parts[1])
            if len(parts) > 2 and parts[2]:
                doc.issuing_country = country_alpha3(parts[2]) or parts[2][:3]
            if len(parts) > 3 and _SIX_DIGITS.match(parts[3]):
                dates.append((doc, "36", parts[3]))
            traveller.documents.append(doc)
        elif _SIX_DIGITS.match(head):
            dates.append((traveller, "329", head))
            for extra in parts[1:]:
                if extra in ("M", "F", "U", "X"):
                    traveller.gender = extra
                elif len(extra) in (2, 3) and country_alpha3(extra):
                    if traveller.nationality is None:
                        traveller.nationality = country_alpha3(extra)
                    else:
                        traveller.residence_country = country_alpha3(extra)
        elif not named and _name_like(head) and len(head) > 1 \
                and not (len(parts) <= 3 and all(is_airport(p) for p in parts if p)):
            traveller.surname = parts[0]
            traveller.given_names = " ".join(p for p in parts[1:] if p)
            named = True
        elif all(len(p) == 3 and p.isalpha() for p in parts if p):
            airports = [p for p in parts if p]
            if airports and traveller.embarkation is None:
                traveller.embarkation = airports[0]
                if len(airports) > 1:
                    traveller.debarkation = airports[1]
            elif airports:
                traveller.debarkation = airports[0]
        else:
            warnings.append(f"PDT element {number + 1} {':'.join(parts)!r} not understood "
                            f"(segment {seg.index})")
    if not traveller.surname:
        warnings.append(f"PDT without a name at segment {seg.index}")
    return traveller, dates
