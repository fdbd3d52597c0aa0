"""Synthetic people: name, birth date, passport in the issuing country's format,
residence, contacts.  One :class:`Person` keeps the same passport every time they
fly, so returning travellers look like the same person to the PIU.

Cities come from airportsdata (the towns with an airport in each country), not
typed by hand; document-number shapes and validity periods are written here as
data (STANDARDS §8: judge plausibility by the issuing country's shape).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from json.encoder import encode_basestring as _json_string

import pycountry

from openpiu.model import TravelDocument
from openpiu.reference import _airports
from openpiu.synth.names import NameMaker, PersonName, _table
from openpiu.synth.translit import fold_latin

# issuing country -> (number prefixes, digits after the prefix, validity in years)
DOC_FORMATS: dict[str, tuple[tuple[str, ...], int, int]] = {
    "TJK": (("4",), 8, 10),  # 4xxxxxxxx
    "RUS": (("72", "73", "75", "76"), 7, 10),  # 9 digits: series + number
    "UZB": (("AA", "AB", "AC", "FA"), 7, 10),
    "KGZ": (("AC", "AN", "PE"), 7, 10),
    "KAZ": (("N",), 8, 10),
    "AFG": (("P",), 7, 5),
    "TUR": (("U",), 8, 10),
    "CHN": (("E", "EA", "EB"), 8, 10),
    "IND": (tuple("JKLMNPRSTUVWZ"), 7, 10),
    "ARE": (("",), 9, 5),
    "SAU": (("A", "B"), 8, 5),
    "GBR": (("1", "5", "12"), 8, 10),
    "IRL": (("P", "L"), 7, 10),
    "USA": (("5", "6"), 8, 10),
    # nationalities of the germany profile
    "POL": (("EA", "EC", "ER", "ES"), 7, 10),
    "ROU": (("05", "06"), 7, 10),
    "ITA": (("YA", "YB", "YC"), 7, 10),
    "UKR": (("FA", "FB", "FC", "EK"), 6, 10),
    "SYR": (("N",), 9, 6),
    "FRA": (("19FV", "20CK", "21AR", "22HD", "23BD"), 5, 10),  # 2 digits, 2 letters, 5 digits
    "ESP": (("PAA", "PAC", "PAF", "PAK"), 6, 10),
    "PRT": (("C", "N", "P"), 6, 5),
    "NLD": (("NW", "NX", "BX"), 7, 10),
    "AUT": (("P", "U"), 7, 10),
    "CHE": (("X", "S"), 7, 10),
    "CAN": (("AB", "GA", "HK"), 6, 10),
    "QAT": (("0",), 7, 5),
    "EGY": (("A",), 8, 7),
    "IRN": (("K", "E"), 8, 5),
    "IRQ": (("A",), 8, 8),
    "PAK": (("AB", "CK", "DL"), 7, 10),
    "AZE": (("C",), 8, 10),
    "SGP": (("K", "E"), 7, 10),
}
_GERMAN_CHARS = "CFGHJKLMNPRTVWXYZ0123456789"  # German passports: letters + digits
# Country calling codes (hand-typed: phonenumbers would provide them; not a dependency).
CALLING = {"TJK": "992", "RUS": "7", "UZB": "998", "KGZ": "996", "KAZ": "7", "AFG": "93",
           "TUR": "90", "ARE": "971", "SAU": "966", "CHN": "86", "DEU": "49", "GBR": "44",
           "IRL": "353", "USA": "1", "IND": "91", "POL": "48", "ROU": "40", "ITA": "39",
           "UKR": "380", "SYR": "963", "FRA": "33", "ESP": "34", "PRT": "351", "NLD": "31",
           "AUT": "43", "CHE": "41", "CAN": "1", "QAT": "974", "EGY": "20", "IRN": "98",
           "IRQ": "964", "PAK": "92", "AZE": "994", "SGP": "65"}  # fmt: skip
_MAIL_CIS = ("MAIL.RU", "GMAIL.COM", "YANDEX.RU", "INBOX.RU", "LIST.RU", "BK.RU")
_MAIL = {"CHN": ("QQ.COM", "163.COM"), "DEU": ("GMX.DE", "WEB.DE", "GMAIL.COM", "T-ONLINE.DE"),
         "AUT": ("GMX.AT", "GMAIL.COM"), "POL": ("WP.PL", "O2.PL", "GMAIL.COM"),
         "ITA": ("LIBERO.IT", "GMAIL.COM"), "FRA": ("ORANGE.FR", "GMAIL.COM")}  # fmt: skip
_MAIL_OTHER = ("GMAIL.COM", "HOTMAIL.COM", "OUTLOOK.COM", "YAHOO.COM")
_CIS = frozenset(("TJK", "RUS", "UZB", "KGZ", "KAZ"))
# A generated passport is at least this old on the day its holder first flies:
# a passport issued days before a journey is a planted pattern
# (:mod:`openpiu.synth.travel_patterns`), so it must not occur by chance.
MIN_DOCUMENT_AGE_DAYS = 45


@dataclass(slots=True)
class Person:
    pid: str
    role: str  # passenger or crew
    name: PersonName
    gender: str
    dob: date
    nationality: str
    residence: str
    birth_place: str | None
    passport: TravelDocument
    phone: str | None
    email: str | None
    ff: str | None = None  # frequent-flyer number, with the carrier that issued it
    ff_carrier: str | None = None
    last_day: int = -1  # last day flown (a returning traveller flies at most once a day)
    recorded: bool = False  # ground truth written


@lru_cache(maxsize=64)
def cities(alpha3: str) -> tuple[str, ...]:
    """Towns with an airport in the country, upper-case ASCII (airportsdata)."""
    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        return ("UNKNOWN",)
    found = set()
    for city in _cities_by_country().get(country.alpha_2, ()):
        town = fold_latin(city.split(",")[-1].strip(), expand=False)
        town = "".join(ch for ch in town if ch.isalpha() or ch in " -")
        if town:
            found.add(town)
    return tuple(sorted(found)) or ("UNKNOWN",)


@lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[str]]:
    """Alpha-2 country -> its airports' city names, in one pass over the table that
    reference.py loads once: a scan of it per country, over a second CSV load, was
    a third of a cold run's start."""
    out: dict[str, list[str]] = {}
    for row in _airports().values():
        if row["city"]:
            out.setdefault(str(row["country"]), []).append(str(row["city"]))
    return out


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randrange(10**n)).zfill(n)


def passport(rng: random.Random, country: str, dob: date, today: date) -> TravelDocument:
    """A passport valid on ``today``, numbered in the issuing country's format."""
    if country == "DEU":
        number = "C" + "".join(rng.choice(_GERMAN_CHARS) for _ in range(8))
        years = 10
    else:
        prefixes, digits, years = DOC_FORMATS.get(country, (("AB", "AC"), 7, 10))
        number = rng.choice(prefixes) + _digits(rng, digits)
    age = (today - dob).days // 365
    if age < 18:
        years = min(years, 5)
    # Issued some time in the validity window, some weeks at least before travel.
    # (The draw is the one of a 30-day minimum, shifted: the same random numbers,
    # so the travellers after this one stay what they were.)
    issued = today - timedelta(days=rng.randint(30, max(31, years * 365 - 60))
                               + MIN_DOCUMENT_AGE_DAYS - 30)
    issued = max(issued, dob + timedelta(days=14))
    expiry = issued.replace(year=issued.year + years) if not (
        issued.month == 2 and issued.day == 29) else issued + timedelta(days=365 * years)
    return TravelDocument("P", number, country, expiry, issued)


def birth_date(rng: random.Random, today: date, kind: str, migrant: bool) -> date:
    """Adults on migrant routes are mostly 19-45; elsewhere 18-75; children 2-17;
    infants under 2."""
    if kind == "IN":
        days = rng.randint(20, 700)
    elif kind == "C":
        days = rng.randint(2 * 365, 17 * 365)
    elif migrant and rng.random() < 0.85:
        days = int(rng.triangular(19, 45, 26) * 365.25)
    else:
        days = int(rng.triangular(18, 78, 34) * 365.25)
    return today - timedelta(days=days)


class PersonFactory:
    """Makes people; ids are sequential, so the same seed gives the same ids."""

    def __init__(self, rng: random.Random, cultures: dict[str, str]) -> None:
        self.rng = rng
        self.names = NameMaker(rng)
        self.cultures = cultures
        self.count = 0

    def culture_of(self, nationality: str) -> str:
        return _table(self.cultures[nationality]).pick(self.rng)

    def make(self, nationality: str, gender: str, kind: str, title: str, today: date, *,
             migrant: bool = False, family: object = None, culture: str | None = None,
             residence: str | None = None, role: str = "passenger") -> Person:  # fmt: skip
        rng = self.rng
        self.count += 1
        culture = culture or self.culture_of(nationality)
        name = self.names.person(culture, gender, title, family)  # type: ignore[arg-type]
        dob = birth_date(rng, today, kind, migrant)
        town = rng.choice(cities(nationality)) if rng.random() < 0.6 else None
        phone = email = None
        if kind == "A":
            code = CALLING.get(nationality, "992")
            national = 10 if code in ("7", "1") else 9
            phone = code + ("9" + _digits(rng, 8) if code == "992" else _digits(rng, national))
            if rng.random() < 0.45:
                domains = _MAIL_CIS if nationality in _CIS else _MAIL.get(nationality, _MAIL_OTHER)
                local = f"{name.booking_given.split(' ')[0]}.{name.booking_surname}"
                email = f"{local.replace(' ', '')}{rng.randint(1, 99)}@{rng.choice(domains)}"
        return Person(
            pid=f"P{self.count:07d}",
            role=role,
            name=name,
            gender=gender,
            dob=dob,
            nationality=nationality,
            residence=residence or nationality,
            birth_place=town,
            passport=passport(rng, nationality, dob, today),
            phone=phone,
            email=email,
        )


def person_record(p: Person) -> dict[str, object]:
    """The ground-truth line for one person: every name form and the document."""
    n, d = p.name, p.passport
    return {
        "type": "traveller", "id": p.pid, "role": p.role, "gender": p.gender,
        "dob": p.dob.isoformat(), "nationality": p.nationality, "residence": p.residence,
        "birth_place": p.birth_place, "culture": n.culture,
        "names": {
            "script": n.script, "original": [n.original_surname, n.original_given],
            "passport": [n.passport_surname, n.passport_given],
            "booking": [n.booking_surname, n.booking_tif], "title": n.title,
            "scheme": n.scheme, "truncated": n.truncated, "mononym": n.mononym,
        },
        "document": {"type": d.doc_type, "number": d.number, "country": d.issuing_country,
                     "issued": d.issue_date.isoformat() if d.issue_date else None,
                     "expiry": d.expiry.isoformat() if d.expiry else None},
        "phone": p.phone, "email": p.email, "ff": p.ff,
    }  # fmt: skip


def person_json(p: Person) -> str:
    """``person_record(p)`` as its compact JSON text (``ensure_ascii=False``, no
    spaces), composed directly: a day writes one for each of its 8,000 travellers
    and the generic encoder walking a fresh dict was a tenth of the generator's
    time.  tests/synth checks that the two agree."""
    n, d = p.name, p.passport
    return (
        f'{{"type":"traveller","id":{json_text(p.pid)},"role":{json_text(p.role)},'
        f'"gender":{json_text(p.gender)},"dob":"{p.dob.isoformat()}",'
        f'"nationality":{json_text(p.nationality)},"residence":{json_text(p.residence)},'
        f'"birth_place":{json_text(p.birth_place)},"culture":{json_text(n.culture)},'
        f'"names":{{"script":{json_text(n.script)},'
        f'"original":[{json_text(n.original_surname)},{json_text(n.original_given)}],'
        f'"passport":[{json_text(n.passport_surname)},{json_text(n.passport_given)}],'
        f'"booking":[{json_text(n.booking_surname)},{json_text(n.booking_tif)}],"title":{json_text(n.title)},'
        f'"scheme":{json_text(n.scheme)},"truncated":{_JSON_BOOL[n.truncated]},'
        f'"mononym":{_JSON_BOOL[n.mononym]}}},'
        f'"document":{{"type":{json_text(d.doc_type)},"number":{json_text(d.number)},'
        f'"country":{json_text(d.issuing_country)},'
        f'"issued":{json_text(d.issue_date.isoformat() if d.issue_date else None)},'
        f'"expiry":{json_text(d.expiry.isoformat() if d.expiry else None)}}},'
        f'"phone":{json_text(p.phone)},"email":{json_text(p.email)},"ff":{json_text(p.ff)}}}'
    )


_JSON_BOOL = {True: "true", False: "false"}


def json_text(value: str | None) -> str:
    """A JSON string (or null) as ``json`` writes it with ``ensure_ascii=False``."""
    return "null" if value is None else _json_string(value)


LOCATOR_CHARS = string.ascii_uppercase.replace("I", "").replace("O", "") + "23456789"
