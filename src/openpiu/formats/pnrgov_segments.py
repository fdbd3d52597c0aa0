"""Values inside PNRGOV segments: dates, names, SSR free text, payments, bags.

Pure functions of a segment's text, kept apart from the group logic in
:mod:`openpiu.formats.pnrgov` so that module stays a readable state machine.
Warnings returned here name only segment numbers, tags and codes, never the
traveller's data (the privacy filter runs *after* the parser, so a warning is the
one place sensitive text could slip past it).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from openpiu.formats import edifact
from openpiu.formats.dates import parse_date
from openpiu.model import (
    Address,
    Bag,
    BookedTraveller,
    Originator,
    Payment,
    SpecialService,
    TravelDocument,
)
from openpiu.reference import country_alpha3

US = edifact.US
_c = edifact.component_of

# Sections of a PNR: the group its last trigger segment opened (GTAS numbering):
# GR1 PNR, GR2 traveller, GR3 ticket, GR4 payment, GR5 itinerary segment, GR6-7
# check-in, GR8 split PNR, GR9 non-air segment, GR10-12 history.
PNR, PAX, TKT, FOP, SEG, CHK, SPLIT, NONAIR, HIST = range(9)
PAX_SECTIONS = (PAX, TKT, FOP)

_MONTHS = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1)}


# -- components ------------------------------------------------------------------

def padded(parts: list[str], element: int, width: int) -> list[str]:
    """The components of one element, stripped, padded with ``""`` to ``width``.

    One split for a handler that reads several components of the same element,
    where :func:`~openpiu.formats.edifact.component_of` would split it once per
    component."""
    if element >= len(parts):
        return [""] * width
    comps = [c.strip() for c in parts[element].split(US)]
    if len(comps) < width:
        comps += [""] * (width - len(comps))
    return comps


# -- dates -------------------------------------------------------------------------

# A push repeats the same few dates (flight, booking, ticketing days) thousands of
# times; datetimes are immutable, so the parsed values can be shared.
@lru_cache(maxsize=4096)
def ddmmyy(day: str, time: str = "") -> datetime | None:
    """PNRGOV dates are DDMMYY (``150325`` = 15 March 2025), unlike PAXLST's YYMMDD.

    Bookings, tickets and flights are recent, so a two-digit year is 20yy.  DDMMMYY
    and DDMMYYYY are accepted too because carriers send them.
    """
    if len(day) == 6 and day.isdigit():  # the common case, kept cheap
        try:
            if len(time) == 4 and time.isdigit():
                return datetime(2000 + int(day[4:]), int(day[2:4]), int(day[:2]),
                                int(time[:2]), int(time[2:]))
            if not time.strip():
                return datetime(2000 + int(day[4:]), int(day[2:4]), int(day[:2]))
        except ValueError:
            return None
    day = day.strip()
    try:
        if len(day) == 6 and day.isdigit():
            d, m, y = int(day[:2]), int(day[2:4]), 2000 + int(day[4:])
        elif len(day) == 8 and day.isdigit():
            d, m, y = int(day[:2]), int(day[2:4]), int(day[4:])
        elif len(day) == 7 and day[:2].isdigit() and day[5:].isdigit():
            d, m, y = int(day[:2]), _MONTHS.get(day[2:5].upper(), 0), 2000 + int(day[5:])
        else:
            return None
        time = time.strip()
        hh, mm = (int(time[:2]), int(time[2:4])) if len(time) == 4 and time.isdigit() else (0, 0)
        return datetime(y, m, d, hh, mm)
    except ValueError:
        return None


# -- names -------------------------------------------------------------------------

# Titles carriers glue to the TIF given name (STANDARDS §8), longest first so that
# MRS wins over MR and MSTR over MS.
_TITLES = ("MSTR", "MISS", "PROF", "MRS", "CHD", "INF", "REV", "MR", "MS", "DR")
# Given names that end in a title-looking suffix but carry no title.
_NOT_TITLED = frozenset(("ALEXANDR", "ADAMS", "WILLIAMS", "JAMS", "SAMS", "TIMS", "ANDR",
                         "PIOTR", "PETR", "ISKANDR", "TOMS", "HARIMS", "AMS"))


def strip_title(raw: str) -> tuple[str, str | None]:
    """``SEANMR`` -> (``SEAN``, ``MR``); ``SEAN PATRICK MR`` -> (``SEAN PATRICK``, ``MR``)."""
    text = " ".join(raw.split()).upper()
    if not text:
        return "", None
    head, _, last = text.rpartition(" ")
    if head and last in _TITLES:
        return head, last
    if text in _TITLES:
        return "", text
    if last in _NOT_TITLED:
        return text, None
    for title in _TITLES:
        if last.endswith(title) and len(last) - len(title) >= 2:
            stem = last[: -len(title)]
            return (f"{head} {stem}" if head else stem), title
    return text, None


_NOT_NAME = re.compile(r"[^A-Z/]+")


def name_key(surname: str, given: str) -> str:
    """A loose key to recognise a traveller repeated under check-in or history."""
    key = (surname + "/" + given).upper()
    if key.isascii() and key.replace("/", "").isalpha():
        return key  # nothing for the regex to remove
    return _NOT_NAME.sub("", key)


def date7(value: str, ref: date | None, kind: str) -> date | None:
    """DDMMMYY (SSR dates), the century placed by :func:`parse_date`'s rules."""
    if len(value) == 7 and ref is not None and value[:2].isdigit() and value[5:].isdigit():
        month = _MONTHS.get(value[2:5])
        if month:  # fast paths of the commonest dates: DOCS birth and expiry dates
            try:
                day = date(ref.year - ref.year % 100 + int(value[5:]), month, int(value[:2]))
            except ValueError:
                return parse_date(value, ref, kind)  # 29 February: other centuries decide
            if kind == "birth":  # the latest candidate not after the flight
                if day <= ref:
                    return day
                try:
                    return day.replace(year=day.year - 100)
                except ValueError:  # 29 February of a century that lacks it
                    return parse_date(value, ref, kind)
            if kind != "issue" and abs(day.year - ref.year) < 49:
                return day  # the nearest candidate: the others are over 50 years away
    return parse_date(value, ref, kind) if value else None


# -- SSR free text -----------------------------------------------------------------

def _is_date7(value: str) -> bool:
    return len(value) == 7 and value[:2].isdigit() and value[2:5].isalpha() and value[5:].isdigit()


_GENDERS = frozenset(("M", "F", "MI", "FI", "U", "X", "UI"))


def docs_fields(text: str) -> tuple[list[str], bool]:
    """DOCS ``/P/ISS/NUM/NAT/DOB/G/EXP/SURNAME/GIVEN/MIDDLE`` -> 10 fields, shifted?

    Carriers drop or add a field (GTAS: "DOCS fields shifted by one"); the birth
    date's position (a DDMMMYY shape) tells which way, and the neighbours' shapes
    which field moved.
    """
    fields = [f.strip() for f in text.split("/")]
    if fields and fields[0] == "":
        fields.pop(0)
    shifted = False
    dob_at = next((i for i, f in enumerate(fields[:7]) if _is_date7(f)), None)
    if dob_at == 3:  # one field missing before the birth date
        if len(fields) > 1 and any(ch.isdigit() for ch in fields[1]):
            fields.insert(1, "")  # issuing country missing: a number sits in its place
        else:
            fields.insert(3, "")  # nationality missing
        shifted = True
    elif dob_at == 5:  # one field too many before the birth date
        empty = next((i for i in range(5) if not fields[i]), None)
        del fields[empty if empty is not None else 1]
        shifted = True
    elif dob_at is None and len(fields) > 5 and fields[4] in _GENDERS and _is_date7(fields[5]):
        fields.insert(4, "")  # birth date missing, gender and expiry in place
        shifted = True
    fields += [""] * (10 - len(fields))
    return fields, shifted


def docs_document(fields: list[str], ref: date | None) -> tuple[TravelDocument, date | None,
                                                                   str | None, str | None, bool]:
    """(document, dob, gender M/F/U/X, nationality, infant?) from aligned DOCS fields."""
    doc_type, issuer, number, nat, dob, gender, expiry = (f.upper() for f in fields[:7])
    infant = gender in ("MI", "FI", "UI")
    document = TravelDocument(
        doc_type=doc_type or "?", number=number,
        issuing_country=country_alpha3(issuer) or (issuer[:3] or None),
        expiry=date7(expiry, ref, "expiry"),
    )
    return (document, date7(dob, ref, "birth"),
            gender[:1] if gender[:1] in ("M", "F", "U", "X") else None,
            country_alpha3(nat) or (nat[:3] or None), infant)


def doco_document(text: str, ref: date | None) -> TravelDocument | None:
    """DOCO ``/BIRTHPLACE/V/NUMBER/ISSUEPLACE/ISSUEDATE/VALIDFOR[/I]`` (visa, redress)."""
    fields = [f.strip().upper() for f in text.split("/")]
    if fields and fields[0] == "":
        fields.pop(0)
    fields += [""] * (6 - len(fields))
    if not fields[2]:
        return None
    return TravelDocument(
        doc_type=fields[1] or "V", number=fields[2],
        issuing_country=country_alpha3(fields[5]) or (fields[5][:3] or None),
        issue_date=parse_date(fields[4], ref, "issue") if fields[4] else None,
    )


def doca_address(text: str) -> Address | None:
    """DOCA ``/D|R/COUNTRY/STREET/CITY/STATE/POSTCODE[/I]``."""
    fields = [f.strip() for f in text.split("/")]
    if fields and fields[0] == "":
        fields.pop(0)
    fields += [""] * (6 - len(fields))
    if not any(fields[1:6]):
        return None
    return Address(street=fields[2] or None, city=fields[3] or None,
                   subdivision=fields[4] or None, postcode=fields[5] or None,
                   country=country_alpha3(fields[1]) or (fields[1][:3] or None))


_FOID_TYPES = {"PP": "P", "NI": "I", "ID": "I", "DL": "DL"}


def foid_document(text: str) -> TravelDocument | None:
    """FOID ``/PP12345678``: the form of identification shown.  FOID CC (a payment
    card) and FF (frequent flyer) are not identity documents and are not kept."""
    value = text.strip().lstrip("/").strip().upper()
    kind, number = value[:2], value[2:].strip()
    if not number or kind in ("CC", "FF"):
        return None
    return TravelDocument(doc_type=_FOID_TYPES.get(kind, kind), number=number)


def email_of(text: str) -> tuple[str, bool]:
    """CTCE e-mail, with the SSR encoding (``//`` for ``@``) repaired: (value, repaired)."""
    value = text.strip().lstrip("/").strip()
    repaired = False
    if "@" not in value and "//" in value:
        value = value.replace("//", "@", 1)
        repaired = True
    if repaired and ".." in value:
        value = value.replace("..", "_")  # the same encoding writes _ as ..
    # A language suffix may follow a single slash: SEAN@EXAMPLE.COM/EN.
    value = value.split("/")[0].strip()
    return value, repaired


def phone_of(text: str) -> str:
    return text.strip().lstrip("/").split("/")[0].strip()


# -- ORG, ADD, FOP, TBD ----------------------------------------------------------

def originator_of(parts: list[str]) -> Originator:
    """ORG ``system:location+agency:location+...+A|T+country:currency+agent``."""
    system, location = padded(parts, 0, 2)[:2]
    agency, agency_location = padded(parts, 1, 2)[:2]
    country, currency = padded(parts, 5, 2)[:2]
    return Originator(
        system=system or None, location=location or None,
        agency_id=agency or None, agency_location=agency_location or _c(parts, 2) or None,
        kind=_c(parts, 4).upper() or None,
        country=country_alpha3(country) or (country[:3] or None),
        currency=currency or None, agent_id=_c(parts, 6) or None,
    )


def add_address(parts: list[str]) -> tuple[Address | None, str | None]:
    """ADD ``++purpose:street:city:state:country:postcode:phone`` -> (address, phone)."""
    comps = parts[1].split(US) if len(parts) > 1 else []
    comps = [c.strip() for c in comps] + [""] * (7 - len(comps))
    street, city, state, country, postcode, phone = comps[1:7]
    address = None
    if street or city or state or country or postcode:
        address = Address(street=street or None, city=city or None, subdivision=state or None,
                          postcode=postcode or None,
                          country=country_alpha3(country) or (country[:3] or None))
    return address, phone or None


_FOP_METHODS = {
    "CC": "card", "DC": "card", "CA": "cash", "CK": "cheque", "MS": "miscellaneous",
    "GR": "government", "INV": "agency", "AGT": "agency", "IN": "agency", "NR": "other",
}


def payment_of(comps: list[str], decimal: str) -> Payment:
    """One FOP element ``code:indicator:amount:vendor:number:expiry``."""
    comps = [c.strip() for c in comps] + [""] * (6 - len(comps))
    code = comps[0].upper()
    payment = Payment(method=_FOP_METHODS.get(code, "other"), code=code or None,
                      amount=number(comps[2], decimal))
    if comps[4] or comps[3] or payment.method == "card":
        payment.card_brand = comps[3].upper() or None
        raw = comps[4].replace(" ", "")
        if raw:
            payment.card_number = raw
            digits = "".join(ch for ch in raw if ch.isdigit())
            payment.card_last4 = digits[-4:] if len(digits) >= 4 else None
        payment.card_expiry = comps[5] or None
        if payment.method != "card" and raw:
            payment.method = "card"
    return payment


_UNITS = {"700": "KGM", "701": "LBR", "K": "KGM", "KG": "KGM", "L": "LBR", "LB": "LBR",
          "KGM": "KGM", "LBR": "LBR"}


def bag_of(parts: list[str], decimal: str) -> Bag:
    """TBD ``++count:weight:unit++pool+airline:tag:count:destination+...``."""
    count, weight, unit = padded(parts, 1, 3)[:3]
    bag = Bag(count=int(count) if count.isdigit() else None,
              weight=number(weight, decimal),
              unit=_UNITS.get(unit.upper()),
              pool=_c(parts, 3).upper() or None)
    for element in parts[4:]:
        comps = [c.strip() for c in element.split(US)] + ["", "", "", ""]
        tag = comps[1] or comps[0]
        if tag and (tag.isdigit() or any(ch.isdigit() for ch in tag)):
            bag.tags.append((tag, int(comps[2]) if comps[2].isdigit() else 1, comps[3] or None))
    return bag


def number(value: str, decimal: str = ".") -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        return float(value.replace(decimal, ".") if decimal != "." else value)
    except ValueError:
        return None


def free_text(comps: list[str], start: int) -> str:
    """SSR free text from component ``start`` on; an unreleased ``:`` in it split it."""
    return ":".join(comps[start:]).strip() if len(comps) > start else ""


_CONTACT_OSI = re.compile(r"^\s*(CTC[EMHBPA]|CTCT)\b[\s/]*(.*)$")


def contact_osi(text: str) -> tuple[str, str] | None:
    """An OSI/remark ``CTCE ...`` or ``CTCM ...`` as (code, value), else None."""
    if text[:3].upper() != "CTC" and text.lstrip()[:3].upper() != "CTC":
        return None  # most remarks: no upper-casing or regex for them
    match = _CONTACT_OSI.match(text.upper())
    return (match.group(1), match.group(2)) if match else None


INFANT_TYPES = frozenset(("IN", "INF", "I"))


def apply_docs(t: BookedTraveller, document: TravelDocument, dob: date | None,
               gender: str | None, nationality: str | None, infant: bool,
               service: SpecialService) -> str | None:
    """Put a parsed DOCS on its traveller (EDIFACT and XML alike); returns what to warn
    about: ``infant`` or ``no_number``, else None.

    An infant on a lap travels in the adult's traveller group, so an infant's DOCS
    there is kept as a service and never becomes the adult's identity."""
    if infant and (t.passenger_type or "").upper() not in INFANT_TYPES:
        t.services.append(service)
        return "infant"
    problem = None
    if document.number:
        t.documents.append(document)
    elif document.doc_type != "?":
        problem = "no_number"
    t.dob = t.dob or dob
    t.gender = t.gender or gender
    t.nationality = t.nationality or nationality
    return problem
