"""Writers for the planted watchlists: the UN consolidated list XML shape, the
watchlist CSV of DESIGN.md ("Formats we own") and the document-only lost-and-stolen
CSV; plus the coarse name keys the planting uses to keep decoys and unrelated
entries clear of every traveller.

Both watchlist files hold the same entries with the same information, so a
screening run on either must give the same hits.  The one exception is on
purpose: entries flagged ``csv_only`` (expired entries, a CSV-only notion) are
left out of the XML.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from openpiu.synth.translit import fold_latin

CSV_HEADER = ("entry_id", "list_ref", "full_name", "surname", "given_names", "aliases", "dob",
              "gender", "nationality", "doc_type", "doc_number", "doc_country", "action",
              "legal_basis", "owner", "expires", "notes")  # fmt: skip
LOST_STOLEN_HEADER = ("doc_type", "doc_number", "doc_country")
_GENDER = {"M": "Male", "F": "Female"}


@dataclass
class Entry:
    """One watchlist entry, format-neutral."""

    entry_id: str
    parts: list[str]  # name parts in the list's order (UN FIRST_NAME..FOURTH_NAME)
    surname: str
    given: str
    original: str = ""  # NAME_ORIGINAL_SCRIPT
    aliases: list[str] = field(default_factory=list)  # good quality
    weak_aliases: list[str] = field(default_factory=list)  # low quality (XML only + notes)
    dob: str = ""  # CSV form: YYYY-MM-DD, YYYY or YYYY..YYYY
    approximate: bool = False  # XML TYPE_OF_DATE APPROXIMATELY (a YYYY dob)
    gender: str = "U"
    nationality: list[str] = field(default_factory=list)  # alpha-3
    doc_type: str = ""
    doc_number: str = ""
    doc_country: str = ""
    action: str = "notify"
    legal_basis: str = ""
    owner: str = ""
    expires: str = ""
    listed_on: str = ""
    notes: str = ""
    list_ref: str = ""  # assigned after shuffling, so refs say nothing about kinds
    csv_only: bool = False

    @property
    def full_name(self) -> str:
        return " ".join(p for p in self.parts if p)


@lru_cache(maxsize=256)
def country_name(alpha3: str) -> str:
    """The UN list writes countries by name, not code."""
    c = pycountry.countries.get(alpha_3=alpha3)
    return str(getattr(c, "common_name", None) or c.name) if c else alpha3


# -- CSV ------------------------------------------------------------------------------
def watchlist_csv(entries: list[Entry]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for e in entries:
        notes = e.notes
        if e.approximate:
            notes = "; ".join(x for x in (notes, "date of birth approximate") if x)
        if e.weak_aliases:
            notes = "; ".join(x for x in (notes, "weak aliases: " + "|".join(e.weak_aliases))
                              if x)  # fmt: skip
        w.writerow((e.entry_id, e.list_ref, e.full_name, e.surname, e.given,
                    "|".join(e.aliases), e.dob, e.gender, "|".join(e.nationality), e.doc_type,
                    e.doc_number, e.doc_country, e.action, e.legal_basis, e.owner, e.expires,
                    notes))  # fmt: skip
    return buf.getvalue()


def lost_stolen_csv(rows: list[tuple[str, str, str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(LOST_STOLEN_HEADER)
    w.writerows(rows)
    return buf.getvalue()


# -- UN consolidated list XML ----------------------------------------------------------
def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def _dob(parent: ET.Element, e: Entry) -> None:
    if not e.dob:
        return
    d = _sub(parent, "INDIVIDUAL_DATE_OF_BIRTH")
    if ".." in e.dob:
        lo, hi = e.dob.split("..")
        _sub(d, "TYPE_OF_DATE", "BETWEEN")
        _sub(d, "FROM_YEAR", lo)
        _sub(d, "TO_YEAR", hi)
    elif len(e.dob) == 4:
        # The UN writes a bare year as EXACT + YEAR, or APPROXIMATELY + YEAR.
        _sub(d, "TYPE_OF_DATE", "APPROXIMATELY" if e.approximate else "EXACT")
        _sub(d, "YEAR", e.dob)
    else:
        _sub(d, "TYPE_OF_DATE", "EXACT")
        _sub(d, "DATE", e.dob)


def watchlist_xml(entries: list[Entry], generated: str, list_code: str) -> bytes:
    """The UN consolidated list's shape (SCREENING.md §5): element order as in the
    real file, INDIVIDUALS only (a national list of persons), empty ENTITIES."""
    root = ET.Element("CONSOLIDATED_LIST", {
        "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "xsi:noNamespaceSchemaLocation": "https://www.un.org/sc/resources/sc-sanctions.xsd",
        "dateGenerated": generated})  # fmt: skip
    people = _sub(root, "INDIVIDUALS")
    for e in entries:
        if e.csv_only:
            continue
        ind = _sub(people, "INDIVIDUAL")
        _sub(ind, "DATAID", e.entry_id.rsplit("-", 1)[-1].lstrip("0") or "0")
        _sub(ind, "VERSIONNUM", "1")
        for tag, part in zip(("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"),
                             e.parts[:4], strict=False):  # fmt: skip
            _sub(ind, tag, part)
        _sub(ind, "UN_LIST_TYPE", list_code)
        _sub(ind, "REFERENCE_NUMBER", e.list_ref)
        _sub(ind, "LISTED_ON", e.listed_on)
        if e.original:
            _sub(ind, "NAME_ORIGINAL_SCRIPT", e.original)
        if e.gender in _GENDER:
            _sub(ind, "GENDER", _GENDER[e.gender])
        _sub(ind, "COMMENTS1", " ".join(x for x in (
            f"Requested action: {e.action}.", f"Legal basis: {e.legal_basis}.",
            f"Owner: {e.owner}.", e.notes) if x))  # fmt: skip
        if e.nationality:
            nat = _sub(ind, "NATIONALITY")
            for code in e.nationality:
                _sub(nat, "VALUE", country_name(code))
        _sub(_sub(ind, "LIST_TYPE"), "VALUE", "National List")
        _sub(_sub(ind, "LAST_DAY_UPDATED"), "VALUE")
        for quality, names in (("Good", e.aliases), ("Low", e.weak_aliases)):
            for name in names:
                al = _sub(ind, "INDIVIDUAL_ALIAS")
                _sub(al, "QUALITY", quality)
                _sub(al, "ALIAS_NAME", name)
        _sub(_sub(ind, "INDIVIDUAL_ADDRESS"), "COUNTRY")
        _dob(ind, e)
        _sub(_sub(ind, "INDIVIDUAL_PLACE_OF_BIRTH"), "COUNTRY")
        if e.doc_number:
            doc = _sub(ind, "INDIVIDUAL_DOCUMENT")
            _sub(doc, "TYPE_OF_DOCUMENT", "Passport" if e.doc_type == "P" else e.doc_type)
            _sub(doc, "NUMBER", e.doc_number)
            _sub(doc, "ISSUING_COUNTRY", country_name(e.doc_country))
        _sub(ind, "SORT_KEY")
        _sub(ind, "SORT_KEY_LAST_MOD")
    _sub(root, "ENTITIES")
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return (head + body + "\n").encode("utf-8")


# -- coarse keys: used to prove decoys and unrelated entries clear of travellers -------
# Passport and press spellings folded together (SCREENING.md §6 equivalences), then
# vowels dropped after the first letter: MUKHAMMAD, MUHAMMAD, MOHAMMED -> MHMD.
# Deliberately coarse: a collision only makes the planting reject a candidate.
_FOLDS = (("DZH", "J"), ("DJ", "J"), ("KH", "H"), ("ZH", "J"), ("SHCH", "S"), ("SH", "S"),
          ("CH", "C"), ("TS", "S"), ("Q", "K"), ("GH", "G"), ("W", "V"), ("X", "H"),
          ("PH", "F"), ("EE", "I"), ("OO", "U"))  # fmt: skip
_SURNAME_END = re.compile(r"(OVA|EVA|YEVA|OV|EV|YEV|ZODA|ZADA|ZOD|ZAI|ZOY|UULU|ULY|KYZY|I|Y)$")


def token_key(token: str) -> str:
    t = re.sub(r"[^A-Z]", "", fold_latin(token).upper())
    for a, b in _FOLDS:
        t = t.replace(a, b)
    if not t:
        return ""
    rest = re.sub(r"[AEIOUY]", "", t[1:])
    out = t[0]
    for ch in rest:
        if ch != out[-1]:
            out += ch
    return out


def surname_key(surname: str) -> str:
    """Key of a surname without its ending: RAKHMONOV, RAHMON, RAHMONZODA -> RHMN."""
    t = re.sub(r"[^A-Z]", "", fold_latin(surname).upper())
    if t.startswith("AL") and len(t) > 5:
        t = t[2:]  # AL HARBI ~ HARBI
    stem = _SURNAME_END.sub("", t) if len(t) > 4 else t
    return token_key(stem)


def given_keys(given: str) -> set[str]:
    return {token_key(t) for t in re.split(r"[\s\-]+", given) if token_key(t)}
