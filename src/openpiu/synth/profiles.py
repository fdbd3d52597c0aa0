"""PIU profiles: which airports, carriers, routes, schedules and travellers a PIU sees.

Airport and country facts (time zones, positions, countries, cities) come from
airportsdata and pycountry through :mod:`openpiu.reference`; what is written
here is the *traffic pattern*: who flies where, in what aircraft, how full, at
what time of day, and which nationalities sit on board.  Carriers and routes are
real operators on (or typical of) the Tajik market; schedules and numbers are
plausible, not a timetable.  :func:`validate` checks every code against the
maintained packages (run at import, so a typo fails loudly).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from openpiu.reference import _airports, airport_country, country_alpha3, is_airport

# Seats of the usual cabin configuration of each aircraft type (APD codes).
SEATS = {"738": 162, "320": 150, "321": 180, "7M8": 168, "73H": 160, "32N": 174,
         # larger aircraft of the germany profile
         "32Q": 220, "221": 125, "E95": 120, "763": 214, "333": 255, "789": 290, "359": 293,
         "339": 310, "77W": 354, "74H": 364, "388": 489}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Carrier:
    code: str
    name: str
    country: str  # alpha-3: crew nationality
    system: str  # reservation system in RCI/ORG (1A Amadeus, 1S Sabre, 1H Sirena, ...)
    ticket_prefix: str  # 3-digit airline accounting code of ticket numbers
    habits: tuple[str, ...] = ()  # carrier quirks assigned at generation time


@dataclass(frozen=True, slots=True)
class Route:
    carrier: str
    out_number: int  # departing the PIU country
    in_number: int  # arriving
    home: str  # airport in the PIU country
    away: str
    equipment: str
    departs_home: str  # local HH:MM
    departs_away: str
    load: float  # typical load factor
    mix: str  # key of Profile.mixes
    migrant: bool = False  # labour-migration route: mostly young men, one-way, cash


@dataclass(frozen=True, slots=True)
class Agency:
    name: str
    location: str  # airport code of the office
    system: str
    iata_number: str


@dataclass(frozen=True)
class Profile:
    name: str
    country: str
    airports: tuple[str, ...]
    api_recipient: str
    pnr_recipient: str
    carriers: dict[str, Carrier]
    routes: tuple[Route, ...]
    mixes: dict[str, str]  # "TJK:84 RUS:8 ..." nationality weights per route type
    agencies: tuple[Agency, ...]
    cultures: dict[str, str] = field(default_factory=dict)  # nationality -> culture weights


# Which name cultures each nationality's travellers come from (diasporas included).
CULTURES_BY_NATIONALITY = {
    "TJK": "tajik:90 uzbek:8 russian:2",
    "UZB": "uzbek:85 tajik:12 russian:3",
    "KGZ": "kyrgyz:85 uzbek:10 russian:5",
    "KAZ": "kazakh:70 russian:25 uzbek:5",
    "RUS": "russian:78 tajik:12 uzbek:5 kazakh:2 kyrgyz:3",
    "AFG": "afghan:1", "TUR": "turkish:1", "ARE": "arab:1", "SAU": "arab:1",
    "CHN": "chinese:1", "DEU": "german:84 turkish:10 russian:6", "GBR": "english:1",
    "IRL": "english:1", "USA": "english:1", "IND": "indian:1",
}  # fmt: skip

_T = "TJK"
TAJIKISTAN = Profile(
    name="tajikistan",
    country=_T,
    airports=("DYU", "LBD", "TJU", "KQT"),
    api_recipient="TJPIUAPI",
    pnr_recipient="TJPIUPNR",
    carriers={c.code: c for c in (
        Carrier("SZ", "SOMON AIR", _T, "1A", "413"),
        Carrier("7J", "TAJIK AIR", _T, "1H", "502"),
        Carrier("TK", "TURKISH AIRLINES", "TUR", "1A", "235"),
        Carrier("FZ", "FLYDUBAI", "ARE", "1A", "141"),
        Carrier("G9", "AIR ARABIA", "ARE", "1A", "514"),
        Carrier("SU", "AEROFLOT", "RUS", "1H", "555"),
        Carrier("U6", "URAL AIRLINES", "RUS", "1H", "262"),
        Carrier("S7", "S7 AIRLINES", "RUS", "1H", "421"),
        Carrier("UT", "UTAIR", "RUS", "1H", "298"),
        Carrier("KC", "AIR ASTANA", "KAZ", "1A", "465"),
        Carrier("HY", "UZBEKISTAN AIRWAYS", "UZB", "1S", "250"),
        Carrier("CZ", "CHINA SOUTHERN", "CHN", "1E", "784"),
        Carrier("AI", "AIR INDIA", "IND", "1A", "098"),
        Carrier("RQ", "KAM AIR", "AFG", "1A", "384"),
    )},  # fmt: skip
    routes=tuple(Route(*row) for row in (
        ("SZ", 201, 202, "DYU", "DXB", "738", "06:30", "12:45", 0.84, "gulf"),
        ("SZ", 221, 222, "DYU", "IST", "738", "07:10", "14:30", 0.82, "turkey"),
        ("SZ", 301, 302, "DYU", "DME", "738", "04:50", "11:30", 0.92, "russia", True),
        ("SZ", 305, 306, "DYU", "VKO", "738", "13:20", "20:10", 0.90, "russia", True),
        ("SZ", 311, 312, "LBD", "DME", "738", "05:40", "12:20", 0.93, "russia", True),
        ("SZ", 341, 342, "DYU", "SVX", "738", "08:00", "13:30", 0.88, "russia", True),
        ("SZ", 351, 352, "DYU", "KZN", "738", "09:15", "15:00", 0.86, "russia", True),
        ("SZ", 361, 362, "DYU", "LED", "738", "10:05", "16:40", 0.88, "russia", True),
        ("SZ", 401, 402, "DYU", "FRA", "738", "07:40", "15:10", 0.72, "germany"),
        ("SZ", 421, 422, "TJU", "DME", "738", "06:00", "13:15", 0.90, "russia", True),
        ("SZ", 231, 232, "DYU", "URC", "738", "11:00", "16:30", 0.70, "china"),
        ("7J", 101, 102, "DYU", "DME", "738", "05:20", "12:10", 0.91, "russia", True),
        ("7J", 121, 122, "LBD", "VKO", "738", "03:55", "10:45", 0.90, "russia", True),
        ("7J", 131, 132, "KQT", "DME", "738", "05:15", "12:00", 0.90, "russia", True),
        ("TK", 259, 258, "DYU", "IST", "321", "04:10", "19:50", 0.85, "turkey"),
        ("FZ", 988, 987, "DYU", "DXB", "7M8", "10:25", "05:30", 0.83, "gulf"),
        ("G9", 546, 545, "DYU", "SHJ", "320", "16:20", "11:40", 0.80, "gulf"),
        ("SU", 1881, 1880, "DYU", "SVO", "321", "10:10", "03:40", 0.88, "russia", True),
        ("SU", 1883, 1882, "DYU", "SVO", "320", "20:35", "14:05", 0.86, "russia", True),
        ("SU", 1887, 1886, "LBD", "SVO", "320", "09:30", "03:10", 0.88, "russia", True),
        ("U6", 2970, 2969, "DYU", "DME", "321", "12:40", "06:00", 0.90, "russia", True),
        ("U6", 2976, 2975, "DYU", "SVX", "320", "15:30", "10:30", 0.88, "russia", True),
        ("U6", 2984, 2983, "LBD", "DME", "320", "14:20", "08:10", 0.90, "russia", True),
        ("S7", 5216, 5215, "DYU", "OVB", "320", "03:30", "22:55", 0.85, "russia", True),
        ("UT", 848, 847, "DYU", "VKO", "738", "16:00", "10:40", 0.87, "russia", True),
        ("KC", 140, 139, "DYU", "ALA", "320", "18:05", "16:10", 0.78, "kazakhstan"),
        ("HY", 632, 631, "DYU", "TAS", "320", "17:20", "15:30", 0.74, "uzbekistan"),
        ("CZ", 6034, 6033, "DYU", "URC", "320", "13:55", "11:05", 0.76, "china"),
        ("AI", 1908, 1907, "DYU", "DEL", "320", "12:05", "08:35", 0.72, "india"),
        ("RQ", 1922, 1921, "DYU", "KBL", "738", "09:50", "07:40", 0.80, "afghanistan"),
    )),
    mixes={
        "russia": "TJK:84 RUS:8 UZB:4 KGZ:2 KAZ:1 AFG:1",
        "turkey": "TJK:58 TUR:30 UZB:4 RUS:3 AFG:3 DEU:1 GBR:1",
        "gulf": "TJK:62 IND:10 AFG:8 ARE:6 UZB:5 SAU:3 RUS:3 TUR:2 GBR:1",
        "germany": "TJK:48 DEU:34 RUS:6 GBR:4 TUR:4 USA:2 IRL:2",
        "kazakhstan": "TJK:48 KAZ:40 RUS:7 UZB:3 KGZ:2",
        "uzbekistan": "UZB:50 TJK:44 RUS:4 KAZ:2",
        "china": "CHN:58 TJK:38 KGZ:2 RUS:2",
        "india": "IND:58 TJK:32 AFG:10",
        "afghanistan": "AFG:78 TJK:18 IND:2 TUR:2",
    },
    agencies=(  # fictional travel agencies in the cities that sell this traffic
        Agency("SAYOHAT TRAVEL", "DYU", "1A", "92110011"),
        Agency("PAMIR TOURS", "DYU", "1A", "92110022"),
        Agency("SUGHD AVIAKASSA", "LBD", "1H", "92120031"),
        Agency("KHATLON AVIA", "TJU", "1H", "92130044"),
        Agency("SILK WAY AVIA", "DME", "1H", "92410555"),
        Agency("NAVRUZ TRAVEL", "VKO", "1H", "92410566"),
        Agency("ORIENT GATE TOURS", "IST", "1A", "33110077"),
        Agency("AL NOOR TRAVEL", "DXB", "1A", "96120088"),
    ),
    cultures=CULTURES_BY_NATIONALITY,
)

PROFILES = {"tajikistan": TAJIKISTAN}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name.lower()]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; known: {', '.join(PROFILES)}") from None


@lru_cache(maxsize=512)
def _position(code: str) -> tuple[float, float]:
    # One airport at a time from reference.py's table: converting all 28,000 rows
    # (after a second CSV load) was most of a cold run's start.
    row = _airports()[code]
    return float(str(row["lat"])), float(str(row["lon"]))


@lru_cache(maxsize=512)
def block_minutes(origin: str, destination: str) -> int:
    """Scheduled block time from the great-circle distance (airportsdata positions):
    about 750 km/h in cruise plus 40 minutes for taxi, climb and approach."""
    (la1, lo1), (la2, lo2) = _position(origin), _position(destination)
    p1, p2, dl = math.radians(la1), math.radians(la2), math.radians(lo2 - lo1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    km = 6371.0 * math.acos(max(-1.0, min(1.0, c)))
    return int(round((40 + km / 12.5) / 5.0) * 5)


def validate(profile: Profile) -> None:
    """Every airport known to airportsdata, home airports in the PIU's country,
    every nationality a pycountry code with a name culture."""
    for code in profile.airports:
        if not is_airport(code) or airport_country(code) != profile.country:
            raise ValueError(f"{profile.name}: {code} is not an airport of {profile.country}")
    for r in profile.routes:
        for code in (r.home, r.away):
            if not is_airport(code):
                raise ValueError(f"{profile.name}: unknown airport {code}")
        if r.home not in profile.airports or r.carrier not in profile.carriers:
            raise ValueError(f"{profile.name}: route {r} is not anchored in the profile")
        if r.equipment not in SEATS or r.mix not in profile.mixes:
            raise ValueError(f"{profile.name}: route {r} has unknown equipment or mix")
    nationalities = {n.split(":")[0] for mix in profile.mixes.values() for n in mix.split()}
    for code in nationalities | {c.country for c in profile.carriers.values()}:
        if country_alpha3(code) != code or code not in profile.cultures:
            raise ValueError(f"{profile.name}: nationality {code} unknown or without culture")
    for agency in profile.agencies:
        if not is_airport(agency.location):
            raise ValueError(f"{profile.name}: agency office at unknown airport {agency.location}")


# The large profile lives in its own module (it imports the classes above).
from openpiu.synth.profile_germany import GERMANY  # noqa: E402

PROFILES["germany"] = GERMANY

for _profile in PROFILES.values():
    validate(_profile)
