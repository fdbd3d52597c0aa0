"""Deterministic synthetic PAXLST manifests shaped like the shared example.

Every optional element of the air profile is exercised somewhere (documents with
issue and expiry dates, visas, bags with tags, addresses, places of birth, contacts,
seats, PNR locators, ABO references, crew with EMP roles, in-transit travellers),
so a parser or a pipeline fed from here meets the whole segment table, not just
the names.  Names are ASCII upper case, as carriers transliterate them for UNOA.

Only ``random.Random(seed)`` is used: the same seed gives the same manifests, byte
for byte once written, on every machine and Python version (``Random`` with an int
seed is stable across versions for the methods used here).
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from openpiu.model import (
    Address,
    Contact,
    Envelope,
    Flight,
    Leg,
    ListAction,
    Manifest,
    ReportingParty,
    Role,
    TravelDocument,
    Traveller,
)

# (carrier, flight number base, origin, destination, block time in minutes)
ROUTES: list[tuple[str, int, str, str, int]] = [
    ("TK", 256, "IST", "DYU", 315),
    ("SZ", 201, "DYU", "DXB", 230),
    ("7J", 113, "DYU", "SVO", 300),
    ("FZ", 891, "DXB", "DYU", 220),
    ("SU", 1880, "SVO", "DYU", 290),
    ("KC", 141, "ALA", "DYU", 110),
    ("HY", 631, "TAS", "DYU", 70),
    ("SZ", 305, "DYU", "FRA", 420),
    ("AI", 241, "DEL", "DYU", 150),
    ("7J", 711, "LBD", "SVO", 290),
    ("TK", 258, "DYU", "IST", 345),
    ("SZ", 151, "DYU", "ALA", 105),
]

# UTC offset in hours of each airport (March, no DST change on the routes above
# except FRA, where the winter offset is good enough for synthetic data).
UTC_OFFSET: dict[str, float] = {
    "DYU": 5, "LBD": 5, "IST": 3, "DXB": 4, "SVO": 3, "ALA": 5,
    "TAS": 5, "FRA": 1, "DEL": 5.5,
}  # fmt: skip

# nationality -> (male given, female given, surnames, cities, female surname rule)
# The rule is "slavic" (-OV -> -OVA, -IN -> -INA) or None (surname unchanged).
_NAMES: dict[str, tuple[list[str], list[str], list[str], list[str], str | None]] = {
    "TJK": (
        ["FIRDAVS", "RUSTAM", "SHERZOD", "DILSHOD", "FARRUKH", "BAHROM", "JAMSHED", "UMED"],
        ["NIGINA", "MADINA", "ZARINA", "SHAHNOZA", "MANIZHA", "PARVINA", "TAHMINA"],
        [
            "RAHIMOV",
            "KARIMOV",
            "NAZAROV",
            "SAIDOV",
            "RAHMONZODA",
            "SHARIPOV",
            "SAFAROV",
            "ABDULLOZODA",
            "YUSUFI",
            "MIRZOEV",
            "DAVLATOV",
            "KHOLOV",
        ],
        ["DUSHANBE", "KHUJAND", "KULOB", "BOKHTAR", "ISTARAVSHAN", "KHOROG"],
        "slavic",
    ),
    "UZB": (
        ["ALISHER", "BOBUR", "OTABEK", "SARDOR", "AZIZ", "JASUR"],
        ["DILNOZA", "GULNORA", "MALIKA", "NODIRA", "FERUZA"],
        ["TASHKENTOV", "YULDASHEV", "ISMOILOV", "USMONOV", "ERGASHEV", "NORMATOV"],
        ["TASHKENT", "SAMARKAND", "BUKHARA", "NAMANGAN", "FERGANA"],
        "slavic",
    ),
    "KAZ": (
        ["NURLAN", "YERLAN", "DAUREN", "ASKAR", "ARMAN"],
        ["AIGERIM", "DINARA", "ASEL", "GULNAR", "SAULE"],
        ["NURMAGAMBETOV", "ZHAKSYBEKOV", "SEITKALI", "ABENOV", "OMAROV"],
        ["ALMATY", "ASTANA", "SHYMKENT", "KARAGANDA"],
        "slavic",
    ),
    "TUR": (
        ["MEHMET", "MUSTAFA", "AHMET", "EMRE", "BURAK", "MURAT", "CAN"],
        ["AYSE", "FATMA", "ELIF", "ZEYNEP", "EMINE", "DERYA"],
        ["YILMAZ", "KAYA", "DEMIR", "CELIK", "SAHIN", "YILDIZ", "OZTURK", "AYDIN"],
        ["ISTANBUL", "ANKARA", "IZMIR", "BURSA", "KONYA"],
        None,
    ),
    "RUS": (
        ["ALEKSANDR", "DMITRIY", "SERGEY", "ANDREY", "MIKHAIL", "IVAN"],
        ["ELENA", "OLGA", "TATIANA", "NATALIA", "ANNA", "IRINA"],
        ["IVANOV", "SMIRNOV", "KUZNETSOV", "POPOV", "VASILEV", "PETROV", "SOKOLOV", "MOROZOV"],
        ["MOSKVA", "SANKT-PETERBURG", "KAZAN", "NOVOSIBIRSK", "EKATERINBURG"],
        "slavic",
    ),
    "DEU": (
        ["JONAS", "LUKAS", "FELIX", "MAXIMILIAN", "STEFAN"],
        ["ANNA", "LEA", "SOPHIE", "KATHARINA", "JULIA"],
        ["MUELLER", "SCHMIDT", "SCHNEIDER", "FISCHER", "WEBER", "MEYER"],
        ["BERLIN", "FRANKFURT", "MUENCHEN", "HAMBURG", "KOELN"],
        None,
    ),
    "IRL": (
        ["SEAN", "PATRICK", "LIAM", "CIARAN"],
        ["SIOBHAN", "AOIFE", "NIAMH", "MAIRE"],
        # Apostrophes are part of real names: they exercise EDIFACT release.
        ["O'REILLY", "O'BRIEN", "MURPHY", "KELLY", "WALSH"],
        ["DUBLIN", "CORK", "GALWAY", "LIMERICK"],
        None,
    ),
    "IND": (
        ["RAHUL", "AMIT", "VIKRAM", "ARJUN"],
        ["PRIYA", "ANANYA", "DEEPIKA", "KAVYA"],
        ["SHARMA", "PATEL", "SINGH", "GUPTA", "KUMAR"],
        ["NEW DELHI", "MUMBAI", "JAIPUR", "LUCKNOW"],
        None,
    ),
    "AFG": (
        ["AHMAD", "MOHAMMAD", "NAJIB", "FARID"],
        ["FARZANA", "MARYAM", "SODABA"],
        ["AHMADZAI", "NOORI", "SAFI", "HAKIMI", "MOHAMMADI"],
        ["KABUL", "MAZAR-I-SHARIF", "KUNDUZ", "HERAT"],
        None,
    ),
}
# Weights of the nationalities on a Dushanbe-centred network.
_NAT_WEIGHTS: dict[str, int] = {
    "TJK": 55, "UZB": 8, "KAZ": 5, "TUR": 8, "RUS": 10, "DEU": 4, "IRL": 2, "IND": 4, "AFG": 4,
}  # fmt: skip
_STREETS = ["RUDAKI AVENUE", "MAIN STREET", "ISMOILI SOMONI", "LENIN STREET", "ATATURK CAD",
            "HAUPTSTRASSE", "MIRA PROSPEKT", "NEHRU PLACE", "BOKHTAR STREET"]  # fmt: skip
_PHONE_PREFIX = {"TJK": "992", "UZB": "998", "KAZ": "7", "TUR": "90", "RUS": "7", "DEU": "49",
                 "IRL": "353", "IND": "91", "AFG": "93"}  # fmt: skip
_COUNTRY_OF = {"DYU": "TJK", "LBD": "TJK", "IST": "TUR", "DXB": "ARE", "SVO": "RUS", "ALA": "KAZ",
               "TAS": "UZB", "FRA": "DEU", "DEL": "IND"}  # fmt: skip
_SEAT_LETTERS = "ABCDEF"
_LOCATOR_CHARS = string.ascii_uppercase + string.digits

BASE_DATE = date(2025, 3, 15)


def _female_surname(surname: str, rule: str | None) -> str:
    if rule == "slavic" and surname.endswith(("OV", "EV", "IN")):
        return surname + "A"
    return surname


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _person(rng: random.Random, nat: str, role: Role) -> Traveller:
    males, females, surnames, cities, rule = _NAMES[nat]
    gender = rng.choice("MF")
    given = rng.choice(males if gender == "M" else females)
    if rng.random() < 0.2:  # a middle name, second component of the NAD name
        given += " " + rng.choice(males if gender == "M" else females)
    surname = rng.choice(surnames)
    if gender == "F":
        surname = _female_surname(surname, rule)
    age_days = rng.randint(19 * 365, 70 * 365) if role is Role.CREW else rng.randint(200, 80 * 365)
    dob = BASE_DATE - timedelta(days=age_days)
    residence = nat if rng.random() < 0.85 else rng.choice(["RUS", "TUR", "ARE", "DEU"])
    phone = f"{_PHONE_PREFIX[nat]} {_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 4)}"
    contacts = [Contact("phone", phone)]
    if rng.random() < 0.4:
        # UNOA has no '@': carriers spell it out, as the shared example does.
        contacts.append(Contact("email", f"{given.split()[0]}.{surname}.AT.MAIL.EXAMPLE"))
    issued = BASE_DATE - timedelta(days=rng.randint(30, 3600))
    passport = TravelDocument(
        "P",
        (rng.choice("ABCDEFGHKLMNPR") + _digits(rng, 7))
        if nat != "TJK"
        else "40" + _digits(rng, 7),
        issuing_country=nat,
        issue_date=issued,
        expiry=issued + timedelta(days=3652),
    )
    return Traveller(
        role=role,
        surname=surname,
        given_names=given,
        gender=gender,
        dob=dob,
        nationality=nat,
        residence_country=residence,
        place_of_birth=rng.choice(cities),
        birth_country=nat,
        address=Address(
            street=f"{rng.randint(1, 140)} {rng.choice(_STREETS)}",
            city=rng.choice(cities),
            postcode=_digits(rng, 6) if rng.random() < 0.7 else None,
            country=residence,
        ),
        contacts=contacts,
        documents=[passport],
        verified=rng.random() < 0.93,
    )


def _manifest(rng: random.Random, seed: int, index: int, travellers_per_flight: int) -> Manifest:
    carrier, base_no, origin, dest, block = ROUTES[index % len(ROUTES)]
    number = base_no + (2 * (index // len(ROUTES))) % 400
    designator = f"{carrier}{number:04d}"
    day = BASE_DATE + timedelta(days=index // 40)
    dep_local = datetime(
        day.year, day.month, day.day, rng.randint(0, 23), rng.choice([0, 15, 30, 45])
    )
    # UTC times are timezone-aware, as the parser produces them.
    dep_utc = (dep_local - timedelta(hours=UTC_OFFSET[origin])).replace(tzinfo=UTC)
    arr_utc = dep_utc + timedelta(minutes=block)
    arr_local = (arr_utc + timedelta(hours=UTC_OFFSET[dest])).replace(tzinfo=None)
    leg = Leg(origin, dest, dep_local, dep_utc, arr_local, arr_utc)
    flight = Flight(carrier, str(number), designator, day, [leg])
    # Seed in the control reference: corpora of different seeds never share one.
    ref = f"{seed % 1000:03d}{index + 1:06d}"
    envelope = Envelope(
        syntax="UNOA:4",
        sender=f"{carrier}APIS",
        recipient="TJPIUAPI",
        prepared_at=dep_local - timedelta(minutes=rng.randint(20, 240)),
        interchange_ref=ref,
        application_ref="APIS",
        message_ref=f"PAX{index + 1}",
        message_type="PAXLST:D:05B:UN:IATA",
        common_access_ref=f"{designator}/{dep_local:%y%m%d/%H%M}",
    )
    desk_phone = (
        f"{_PHONE_PREFIX.get(_COUNTRY_OF[origin], '992')} {_digits(rng, 3)} {_digits(rng, 4)}"
    )
    party = ReportingParty(
        f"{carrier} AIRLINES API DESK",
        [Contact("phone", desk_phone + "00"), Contact("fax", desk_phone + "01"),
         Contact("email", f"API.DESK.AT.{carrier}AIR.EXAMPLE")],
    )  # fmt: skip
    n_crew = max(1, travellers_per_flight // 25) if travellers_per_flight >= 4 else 0
    travellers: list[Traveller] = []
    nats = list(_NAT_WEIGHTS)
    weights = list(_NAT_WEIGHTS.values())
    dest_country = _COUNTRY_OF[dest]
    locator = ""
    for i in range(travellers_per_flight - n_crew):
        nat = rng.choices(nats, weights)[0]
        t = _person(rng, nat, Role.PASSENGER)
        # Families book together: the next traveller often shares the PNR locator.
        if not locator or rng.random() > 0.35:
            locator = "".join(rng.choice(_LOCATOR_CHARS) for _ in range(6))
        t.record_locator = locator
        t.passenger_ref = f"{designator}{i + 1:03d}"
        t.seat = f"{i // 6 + 1}{_SEAT_LETTERS[i % 6]}"
        t.in_transit = rng.random() < 0.05
        t.embarkation, t.debarkation, t.clearance = origin, dest, dest
        if rng.random() < 0.8:
            t.bag_count = rng.randint(1, 3)
            t.bag_weight = float(rng.randint(8, 23 * t.bag_count))
            t.bag_weight_unit = "KGM"
            t.bag_tags = [(f"{carrier}{_digits(rng, 6)}", t.bag_count)]
        if nat != dest_country and rng.random() < 0.5:
            issued = BASE_DATE - timedelta(days=rng.randint(5, 60))
            t.documents.append(
                TravelDocument(
                    "V",
                    f"{dest_country[:2]}{_digits(rng, 7)}",
                    dest_country,
                    issued + timedelta(days=90),
                    issued,
                )  # fmt: skip
            )
        if rng.random() < 0.15:
            t.frequent_flyer = f"{carrier}{_digits(rng, 9)}"
        if rng.random() < 0.5:
            t.ticket = f"{_digits(rng, 13)}"
        if rng.random() < 0.03:
            t.government_ref = f"GOV{_digits(rng, 8)}"
        travellers.append(t)
    for c in range(n_crew):
        nat = _COUNTRY_OF[origin] if _COUNTRY_OF[origin] in _NAMES else "TJK"
        t = _person(rng, nat, Role.CREW)
        t.crew_role = "CR1" if c < 2 else rng.choice(["CR2", "CR2", "CR2", "CR3", "CR5"])
        t.in_transit = rng.random() < 0.05
        t.embarkation, t.debarkation, t.clearance = origin, dest, dest
        t.documents.append(
            TravelDocument(
                "AC", f"C{_digits(rng, 8)}", nat, t.documents[0].expiry, t.documents[0].issue_date
            )  # fmt: skip
        )
        travellers.append(t)
    return Manifest(
        envelope=envelope,
        document_code="745",
        document_subcode=None,
        action=ListAction.FULL,
        flight=flight,
        travellers=travellers,
        transaction_ref=f"{designator}{day:%d%m%y}",
        reporting_party=party,
        declared_passengers=travellers_per_flight - n_crew,
        declared_crew=n_crew,
    )


def generate_manifests(
    n_flights: int, travellers_per_flight: int, seed: int = 1
) -> Iterator[Manifest]:
    """Yield ``n_flights`` full passenger manifests, deterministic in ``seed``.

    Each flight carries ``travellers_per_flight`` travellers, about one in 25 of
    them crew (FM with EMP roles) when the flight has at least four.  Flights cycle
    through :data:`ROUTES`, 40 a day from 15 March 2025.
    """
    rng = random.Random(seed)
    for index in range(n_flights):
        yield _manifest(rng, seed, index, travellers_per_flight)
