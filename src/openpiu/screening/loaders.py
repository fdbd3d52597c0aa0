"""Loaders: the UN consolidated list XML, our watchlist CSV, OpenSanctions FtM JSON lines.

Each returns a list of :class:`WatchlistEntry`; ``diff`` compares two imports of
the same list (each import is stored as a version by the caller).  Input is
untrusted: the XML is parsed by defusedxml (entity declarations and external
references refused), and every refusal is an :class:`openpiu.errors.ParseError`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import cast
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XmlSyntaxError

import pycountry

# defusedxml ships no type hints: pyproject.toml tells mypy to take it as Any.
from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import fromstring

from openpiu.errors import ParseError, Position
from openpiu.reference import country_alpha3
from openpiu.screening.entries import (
    ACTIONS,
    Alias,
    BirthDate,
    Document,
    Gender,
    Quality,
    WatchlistEntry,
    diff,
)

__all__ = ["diff", "load_csv", "load_ftm_jsonl", "load_un_xml"]

MAX_XML_BYTES = 64 * 1024 * 1024  # the UN list is 2 MB; OFAC's full XML about 30 MB

# UN names that pycountry does not know under that spelling.
_COUNTRY_NAMES = {
    "democratic republic of the congo": "COD",
    "iran (islamic republic of)": "IRN",
    "state of palestine": "PSE",
    "united kingdom of great britain and northern ireland": "GBR",
    "united republic of tanzania": "TZA",
    "democratic people's republic of korea": "PRK",
    "republic of korea": "KOR",
    "venezuela (bolivarian republic of)": "VEN",
    "bolivia (plurinational state of)": "BOL",
    "russia": "RUS",
    "turkey": "TUR",
    "kosovo": "RKS",
}


@lru_cache(maxsize=4096)
def country_from_text(text: str | None) -> str | None:
    """A country code (alpha-2/3, ICAO) or an English country name -> alpha-3; None if unknown."""
    if not text or not text.strip():
        return None
    clean = " ".join(text.split())
    code = country_alpha3(clean) if len(clean) <= 3 else None
    if code:
        return code
    found = _COUNTRY_NAMES.get(clean.lower())
    if found:
        return found
    try:
        return str(pycountry.countries.lookup(clean).alpha_3)
    except LookupError:
        return None


def _countries(values: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    known: list[str] = []
    raw: list[str] = []
    for value in values:
        code = country_from_text(value)
        if code and code not in known:
            known.append(code)
        elif not code and value.strip():
            raw.append(" ".join(value.split()))
    return tuple(known), tuple(raw)


# "Al-Haq, Amin": one comma, a short family part before it, no digits or brackets
# (those mark prose such as "born 1 Jan. 1953 (Oman passport ...)").
_FAMILY_FIRST = re.compile(r"^[^,\d()]{1,40},\s*[^,\d()]+$")


def _is_family_first(text: str) -> bool:
    return bool(_FAMILY_FIRST.match(text)) and len(text.split(",")[0].split()) <= 3


def _has_non_latin(text: str) -> bool:
    return any(ch.isalpha() and ord(ch) > 0x24F for ch in text)


def _aliases(text: str | None, quality: Quality, former: bool = False) -> list[Alias]:
    # The UN packs several spellings into one alias, separated by "; ".
    out: list[Alias] = []
    for piece in (text or "").split(";"):
        piece = " ".join(piece.split())
        if piece:
            out.append(
                Alias(
                    piece,
                    quality,
                    family_first=_is_family_first(piece),
                    original_script=_has_non_latin(piece),
                    former=former,
                )
            )
    return out


def _text(element: Element, path: str) -> str | None:
    value = element.findtext(path)
    value = " ".join(value.split()) if value else ""
    return value or None


def _un_birth_date(record: Element) -> BirthDate | None:
    kind = (_text(record, "TYPE_OF_DATE") or "").upper()
    try:
        if kind == "BETWEEN":
            low, high = _text(record, "FROM_YEAR"), _text(record, "TO_YEAR")
            if low and high:
                return BirthDate(int(low), year_to=int(high))
            return None
        approximate = kind == "APPROXIMATELY"
        exact = _text(record, "DATE")
        if exact:
            day = date.fromisoformat(exact[:10])
            return BirthDate(day.year, day.month, day.day, approximate=approximate)
        year = _text(record, "YEAR")
        return BirthDate(int(year), approximate=approximate) if year else None
    except ValueError:
        return None  # a malformed date is dropped: the rest of the entry still counts


def _un_entry(node: Element, kind: str) -> WatchlistEntry:
    prefix = "INDIVIDUAL" if kind == "person" else "ENTITY"
    parts = tuple(
        p
        for p in (
            _text(node, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
        )
        if p
    )
    aliases: list[Alias] = []
    for record in node.findall(f"{prefix}_ALIAS"):
        quality_text = (_text(record, "QUALITY") or "").lower()
        # Low = weak alias (scored lower); Good, a.k.a., f.k.a. and empty are plain aliases.
        quality: Quality = "low" if quality_text == "low" else "good"
        aliases += _aliases(_text(record, "ALIAS_NAME"), quality, former=quality_text == "f.k.a.")
    for original in node.findall("NAME_ORIGINAL_SCRIPT"):
        for alias in _aliases(original.text, "good"):
            aliases.append(Alias(alias.text, "good", original_script=True))
    births = tuple(
        b for b in (_un_birth_date(r) for r in node.findall("INDIVIDUAL_DATE_OF_BIRTH")) if b
    )
    nationalities, raw = _countries(v.text or "" for v in node.findall("NATIONALITY/VALUE"))
    documents: list[Document] = []
    for record in node.findall("INDIVIDUAL_DOCUMENT"):
        if not (number := _text(record, "NUMBER")):
            continue
        country_text = _text(record, "ISSUING_COUNTRY") or _text(record, "COUNTRY_OF_ISSUE")
        country = country_from_text(country_text)
        documents.append(
            Document(
                number,
                _text(record, "TYPE_OF_DOCUMENT"),
                country,
                None if country else country_text,
            )
        )
    gender_text = (_text(node, "GENDER") or "").lower()
    gender: Gender | None = {"male": "M", "female": "F"}.get(gender_text)  # type: ignore[assignment]
    list_type = _text(node, "UN_LIST_TYPE")
    return WatchlistEntry(
        entry_id=_text(node, "DATAID") or _text(node, "REFERENCE_NUMBER") or "",
        list_ref=_text(node, "REFERENCE_NUMBER"),
        kind="person" if kind == "person" else "entity",
        name_parts=parts,
        aliases=tuple(dict.fromkeys(aliases)),  # the UN repeats some aliases verbatim
        birth_dates=births,
        nationalities=nationalities,
        nationalities_raw=raw,
        gender=gender,
        documents=tuple(documents),
        legal_basis=f"UN Security Council sanctions ({list_type})"
        if list_type
        else "UN Security Council sanctions",
        owner="UN Security Council",
        notes=_text(node, "COMMENTS1"),
    )


def load_un_xml(data: bytes) -> list[WatchlistEntry]:
    """The UN Security Council consolidated list: individuals then entities."""
    if len(data) > MAX_XML_BYTES:
        raise ParseError(f"list of {len(data)} bytes exceeds {MAX_XML_BYTES} bytes", status=413)
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ParseError(
            f"UN list XML refused: {type(exc).__name__} (DTDs and entities are not accepted)"
        ) from None
    except XmlSyntaxError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise ParseError(
            f"UN list XML is not well-formed at line {line}, column {column}",
            position=Position(segment=line),
        ) from None
    if root.tag != "CONSOLIDATED_LIST":
        raise ParseError(f"not a UN consolidated list: root element is <{root.tag}>")
    entries = [_un_entry(n, "person") for n in root.findall("INDIVIDUALS/INDIVIDUAL")]
    entries += [_un_entry(n, "entity") for n in root.findall("ENTITIES/ENTITY")]
    return entries


# ---------------------------------------------------------------- watchlist CSV

CSV_COLUMNS = (
    "entry_id",
    "list_ref",
    "full_name",
    "surname",
    "given_names",
    "aliases",
    "dob",
    "gender",
    "nationality",
    "doc_type",
    "doc_number",
    "doc_country",
    "action",
    "legal_basis",
    "owner",
    "expires",
    "notes",
)
_DOB = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$|^(\d{4})\.\.(\d{4})$")


class _RowError(ValueError):
    def __init__(self, column: str, detail: str) -> None:
        super().__init__(detail)
        self.column = column


def parse_dob(text: str) -> BirthDate:
    """YYYY-MM-DD, YYYY-MM, YYYY or YYYY..YYYY (ValueError otherwise)."""
    match = _DOB.match(text.strip())
    if not match:
        raise ValueError(f"date of birth {text!r} is not YYYY-MM-DD, YYYY-MM, YYYY or YYYY..YYYY")
    year, month, day, low, high = match.groups()
    if low:
        if int(high) < int(low):
            raise ValueError(f"date of birth range {text!r} runs backwards")
        return BirthDate(int(low), year_to=int(high))
    if day:
        date(int(year), int(month), int(day))  # validates the calendar date
        return BirthDate(int(year), int(month), int(day))
    if month and not 1 <= int(month) <= 12:
        raise ValueError(f"date of birth {text!r} has no month {month}")
    return BirthDate(int(year), int(month) if month else None)


def _csv_entry(row: dict[str, str], line: int) -> WatchlistEntry:
    def cell(name: str) -> str:
        return " ".join((row.get(name) or "").split())

    full, surname, given = cell("full_name"), cell("surname"), cell("given_names")
    # The natural reading order; the scorer aligns parts in any order anyway.
    parts = tuple(full.split()) if full else tuple(f"{given} {surname}".split())
    aliases = [a for text in cell("aliases").split("|") for a in _aliases(text, "good")]
    number = cell("doc_number")
    if not parts and not aliases and not number:
        raise _RowError(
            "full_name", "a row needs a name (full_name, surname or given_names) or a doc_number"
        )
    try:
        births = (parse_dob(cell("dob")),) if cell("dob") else ()
    except ValueError as exc:
        raise _RowError("dob", str(exc)) from None
    nationalities: list[str] = []
    for code in filter(None, (c.strip() for c in cell("nationality").split("|"))):
        alpha3 = country_alpha3(code)
        if not alpha3:
            raise _RowError("nationality", f"{code!r} is not an ISO 3166 alpha-3 (or alpha-2) code")
        nationalities.append(alpha3)
    documents: tuple[Document, ...] = ()
    if number:
        country_text = cell("doc_country")
        country = country_alpha3(country_text) if country_text else None
        if country_text and not country:
            raise _RowError("doc_country", f"{country_text!r} is not an ISO 3166 country code")
        documents = (Document(number, cell("doc_type") or None, country),)
    gender_text = cell("gender").upper()[:1]
    if gender_text not in ("", "M", "F", "U"):
        raise _RowError("gender", f"gender {cell('gender')!r} is not M, F or U")
    action = cell("action").lower() or "notify"
    if action not in ACTIONS:
        raise _RowError("action", f"action {action!r} is not one of {', '.join(ACTIONS)}")
    try:
        expires = date.fromisoformat(cell("expires")) if cell("expires") else None
    except ValueError:
        raise _RowError("expires", f"expiry {cell('expires')!r} is not YYYY-MM-DD") from None
    return WatchlistEntry(
        # An entry without an id is keyed on its reference, else its line: the
        # diff can then only be as stable as the file's order.
        entry_id=cell("entry_id") or cell("list_ref") or f"line-{line}",
        list_ref=cell("list_ref") or None,
        name_parts=parts,
        surname=surname or None,
        given_names=given or None,
        aliases=tuple(aliases),
        birth_dates=births,
        nationalities=tuple(dict.fromkeys(nationalities)),
        gender=cast(Gender, gender_text) if gender_text in ("M", "F") else None,
        documents=documents,
        action=action,
        legal_basis=cell("legal_basis") or None,
        owner=cell("owner") or None,
        expires=expires,
        notes=cell("notes") or None,
    )


def load_csv(text: str) -> list[WatchlistEntry]:
    """The watchlist CSV of DESIGN.md; a bad row raises ParseError naming line and column."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise ParseError("watchlist CSV is empty: a header row is needed", position=Position(1))
    reader.fieldnames = header
    if not {"full_name", "surname", "given_names", "doc_number"} & set(header):
        raise ParseError(
            "watchlist CSV header has none of full_name, surname, given_names, "
            f"doc_number (columns: {', '.join(CSV_COLUMNS)})",
            position=Position(1),
        )
    entries: list[WatchlistEntry] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if None in row:  # an unquoted comma shifted the columns: never guess
                raise ParseError(
                    f"watchlist CSV line {line}: more fields than the header "
                    "(quote a value that holds a comma)",
                    position=Position(line),
                )
            if not any((v or "").strip() for v in row.values()):
                continue  # blank line
            try:
                entry = _csv_entry(row, line)
            except _RowError as exc:
                raise ParseError(
                    f"watchlist CSV line {line}, column {exc.column}: {exc}",
                    position=Position(segment=line, tag=exc.column),
                ) from None
            if entry.entry_id in seen:
                raise ParseError(
                    f"watchlist CSV line {line}, column entry_id: "
                    f"{entry.entry_id!r} already used on line {seen[entry.entry_id]}",
                    position=Position(segment=line, tag="entry_id"),
                )
            seen[entry.entry_id] = line
            entries.append(entry)
    except csv.Error as exc:
        raise ParseError(
            f"watchlist CSV line {reader.line_num}: {exc}",
            position=Position(segment=reader.line_num),
        ) from None
    return entries


def _ftm_dob(text: str) -> BirthDate | None:
    try:
        return parse_dob(text[:10])
    except ValueError:
        return None  # FtM dates may be partial or odd; an unreadable one is dropped


def load_ftm_jsonl(
    lines: Iterable[str], skipped: dict[str, int] | None = None
) -> list[WatchlistEntry]:
    """FollowTheMoney Person entities, one JSON object a line.

    Other schemata (Company, Address, Sanction, ...) are skipped; pass ``skipped``
    to receive their count by schema.
    """
    entries: list[WatchlistEntry] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParseError(
                f"FtM JSON line {number}: {exc.msg} at column {exc.colno}",
                position=Position(segment=number),
            ) from None
        if not isinstance(obj, dict) or not isinstance(obj.get("properties", {}), dict):
            raise ParseError(
                f"FtM JSON line {number}: not an entity object", position=Position(segment=number)
            )
        schema = str(obj.get("schema", ""))
        if schema != "Person":
            if skipped is not None:
                skipped[schema] = skipped.get(schema, 0) + 1
            continue
        props: dict[str, list[str]] = {
            k: [str(v) for v in vs]
            for k, vs in obj.get("properties", {}).items()
            if isinstance(vs, list)
        }

        def values(*names: str, props: dict[str, list[str]] = props) -> list[str]:
            return [v for name in names for v in props.get(name, []) if v.strip()]

        names = values("name")
        aliases = [
            a for n in names[1:] + values("alias", "previousName") for a in _aliases(n, "good")
        ]
        aliases += [a for n in values("weakAlias") for a in _aliases(n, "low")]
        first, last = values("firstName"), values("lastName")
        primary = names[0] if names else " ".join(first[:1] + last[:1])
        nationalities, raw = _countries(values("nationality", "citizenship", "country"))
        documents = [Document(n, "passport") for n in values("passportNumber")]
        documents += [Document(n, "id") for n in values("idNumber")]
        gender = {"male": "M", "female": "F"}.get((values("gender") or [""])[0].lower())
        entries.append(
            WatchlistEntry(
                entry_id=str(obj.get("id") or f"line-{number}"),
                list_ref=str(obj.get("id")) if obj.get("id") else None,
                name_parts=tuple(primary.split()),
                surname=last[0] if last else None,
                given_names=first[0] if first else None,
                aliases=tuple(dict.fromkeys(aliases)),
                birth_dates=tuple(b for b in map(_ftm_dob, values("birthDate")) if b),
                nationalities=nationalities,
                nationalities_raw=raw,
                gender=cast(Gender, gender) if gender else None,
                documents=tuple(documents),
                legal_basis="; ".join(values("program")) or None,
                owner="OpenSanctions",
                notes="; ".join(values("notes")) or None,
            )
        )
    return entries
