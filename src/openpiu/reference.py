"""Reference data: airports with their time zones, and countries.

Facts come from maintained packages (airportsdata, pycountry), never typed by
hand.  Lookups are cached; the tables load once, on first use.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import airportsdata
import pycountry


@lru_cache(maxsize=1)
def _airports() -> Mapping[str, Mapping[str, object]]:
    return airportsdata.load("IATA")


@lru_cache(maxsize=4096)
def airport_zone(code: str) -> ZoneInfo | None:
    """The IANA time zone of an IATA airport, or None when unknown."""
    row = _airports().get(code.upper())
    if not row or not row.get("tz"):
        return None
    try:
        return ZoneInfo(str(row["tz"]))
    except (ZoneInfoNotFoundError, ValueError):
        return None


@lru_cache(maxsize=4096)  # a backtest asks a million times
def airport_country(code: str) -> str | None:
    """Alpha-3 country of an IATA airport."""
    row = _airports().get(code.upper())
    return country_alpha3(str(row["country"])) if row else None


def is_airport(code: str) -> bool:
    return code.upper() in _airports()


def to_utc(local: datetime | None, airport: str | None) -> datetime | None:
    """A naive local time at an airport, in UTC (None when the zone is unknown)."""
    if local is None or not airport:
        return None
    zone = airport_zone(airport)
    if zone is None:
        return None
    return local.replace(tzinfo=zone).astimezone(UTC)


_COUNTRIES: dict[str, str] = {}


def _countries() -> dict[str, str]:
    """Filled on first use (importing pycountry's data is not free); built apart and
    added in one step, so a concurrent reader never sees half a table."""
    table: dict[str, str] = {}
    for country in pycountry.countries:
        table[country.alpha_3] = country.alpha_3
        table[country.alpha_2] = country.alpha_3
    # Codes that travel documents use beside ISO 3166 (ICAO Doc 9303 part 3):
    # Germany's D, the UN, stateless persons and refugees, Kosovo.
    for code, alpha3 in {
        "D": "DEU",
        "UNO": "UNO",
        "UNA": "UNA",
        "UNK": "UNK",
        "XXA": "XXA",
        "XXB": "XXB",
        "XXC": "XXC",
        "XXX": "XXX",
        "RKS": "RKS",
        "XK": "RKS",
        "EUE": "EUE",
        "GBD": "GBD",
        "GBN": "GBN",
        "GBO": "GBO",
        "GBP": "GBP",
        "GBS": "GBS",
    }.items():
        table[code] = alpha3
    _COUNTRIES.update(table)
    return _COUNTRIES


def country_alpha3(code: str | None) -> str | None:
    """Alpha-2 or alpha-3 (or an ICAO document code) -> alpha-3; None if unknown."""
    if not code:
        return None
    table = _COUNTRIES or _countries()
    found = table.get(code)  # the usual case: already upper case, no spaces
    return found if found is not None else table.get(code.strip().upper())


def country_name(alpha3: str) -> str:
    country = pycountry.countries.get(alpha_3=alpha3)
    return country.name if country else alpha3
