"""Dates and times as carriers write them: read (two-digit years resolved) and written.

No clock is read here: a two-digit year is placed against a reference date that
the message itself gives (the flight date, else the interchange date).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime


def _century_pick(yy: int, month: int, day: int, ref: date | None, kind: str) -> date:
    """Choose 19yy or 20yy (or 21yy) for a two-digit year, by what the date is.

    * ``birth`` and ``issue``: never after the reference date, so the latest
      century that keeps the date on or before it;
    * ``expiry`` and ``flight``: the century that puts the date nearest the
      reference (an expiry is usually after the flight, a few years at most before).
    """
    if kind == "birth" and ref is not None:
        # The common case, done without building candidates: the latest century
        # that keeps the date on or before the reference.
        year = ref.year - ref.year % 100 + yy
        if (year, month, day) > (ref.year, ref.month, ref.day):
            year -= 100
        return date(year, month, day)
    if ref is None:
        # No anchor in the message: a fixed pivot, predictable rather than clever.
        return date(2000 + yy if yy < 50 else 1900 + yy, month, day)
    base = ref.year - ref.year % 100
    candidates = []
    for century in (base - 100, base, base + 100):
        try:
            candidates.append(date(century + yy, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError("day out of range for month")
    if kind in ("birth", "issue"):
        past = [c for c in candidates if c <= ref]
        return max(past) if past else min(candidates)
    return min(candidates, key=lambda c: abs((c - ref).days))


def parse_date(value: str, ref: date | None = None, kind: str = "birth") -> date | None:
    """YYMMDD, CCYYMMDD or DDMMMYY (PNR style) -> date; None when unreadable."""
    try:
        if len(value) == 6 and value.isdigit():
            return _century_pick(int(value[:2]), int(value[2:4]), int(value[4:6]), ref, kind)
        value = value.strip()
        if len(value) == 6 and value.isdigit():
            return _century_pick(int(value[:2]), int(value[2:4]), int(value[4:6]), ref, kind)
        if len(value) == 8 and value.isdigit():
            return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        if len(value) == 7 and value[:2].isdigit() and value[5:].isdigit():
            month = _MONTHS.get(value[2:5].upper())
            if month:
                return _century_pick(int(value[5:]), month, int(value[:2]), ref, kind)
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            return date.fromisoformat(value)
    except ValueError:
        return None
    return None


def parse_datetime(value: str, ref: date | None = None) -> datetime | None:
    """DTM values: YYMMDDHHMM (201), CCYYMMDDHHMM (203), YYMMDD, CCYYMMDD."""
    value = value.strip()
    try:
        if len(value) == 10 and value.isdigit():
            day = _century_pick(int(value[:2]), int(value[2:4]), int(value[4:6]), ref, "flight")
            return datetime(day.year, day.month, day.day, int(value[6:8]), int(value[8:10]))
        if len(value) == 12 and value.isdigit():
            return datetime(int(value[:4]), int(value[4:6]), int(value[6:8]),
                            int(value[8:10]), int(value[10:12]))
        if len(value) in (6, 8) and value.isdigit():
            day_only = parse_date(value, ref, "flight")
            return datetime(day_only.year, day_only.month, day_only.day) if day_only else None
    except ValueError:
        return None
    return None


def parse_unb_datetime(day: str, time: str) -> datetime | None:
    """UNB 0017/0019: YYMMDD (or CCYYMMDD) and HHMM; the interchange is recent, so 20yy."""
    day, time = day.strip(), time.strip()
    try:
        if len(day) == 6 and day.isdigit():
            year, month, dom = 2000 + int(day[:2]), int(day[2:4]), int(day[4:6])
        elif len(day) == 8 and day.isdigit():
            year, month, dom = int(day[:4]), int(day[4:6]), int(day[6:8])
        else:
            return None
        hour, minute = (0, 0)
        if len(time) >= 4 and time.isdigit():
            hour, minute = int(time[:2]), int(time[2:4])
        return datetime(year, month, dom, hour, minute)
    except ValueError:
        return None


_MONTHS = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1)}


def two_digit_dates(ref: date | None) -> Callable[[str, str], date | None]:
    """A fast reader of ``YYMMDD`` for one message: the century rule of
    :func:`parse_date` worked out once for the reference date.  Other shapes go to
    :func:`parse_date`.  ``kind`` is ``birth``, ``issue`` or ``expiry``."""
    if ref is None:
        return lambda value, kind: parse_date(value, None, kind)
    base, today = ref.year - ref.year % 100, (ref.year, ref.month, ref.day)

    def read(value: str, kind: str) -> date | None:
        if len(value) != 6 or not value.isdigit() or not value.isascii():
            return parse_date(value, ref, kind)
        yy, month, day = int(value[:2]), int(value[2:4]), int(value[4:6])
        year = base + yy
        if kind == "expiry":
            # The century nearest the reference (within a day or so of the exact rule).
            if year - today[0] > 50:
                year -= 100
            elif today[0] - year > 50:
                year += 100
        elif (year, month, day) > today:  # birth and issue are never after it
            year -= 100
        try:
            return date(year, month, day)
        except ValueError:
            return None

    return read


# -- writing ------------------------------------------------------------------

_2D = [f"{n:02d}" for n in range(100)]
# %b in the C locale, the one Python keeps for LC_TIME (and EDIFACT's months).
_MON = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _hm(v: date) -> str:
    return _2D[v.hour] + _2D[v.minute] if isinstance(v, datetime) else "0000"  # as strftime


# Formats composed without strftime, to the same text (%y: the year's last two
# digits; %b: the C locale's month).
_RENDER: dict[str, Callable[[date], str]] = {
    "%d%m%y": lambda v: _2D[v.day] + _2D[v.month] + _2D[v.year % 100],
    "%y%m%d": lambda v: _2D[v.year % 100] + _2D[v.month] + _2D[v.day],
    "%d%b%y": lambda v: _2D[v.day] + _MON[v.month] + _2D[v.year % 100],
    "%H%M": _hm,
    "%y%m%d%H%M": lambda v: _2D[v.year % 100] + _2D[v.month] + _2D[v.day] + _hm(v),
}


def cached_strftime(fmt: str, *, upper: bool = False) -> Callable[[date], str]:
    """``value.strftime(fmt)`` (upper-cased if asked), remembered per value.

    A day of traffic formats the same few departure times tens of thousands of
    times and ``strftime`` was a tenth of the writers' time.  Aware datetimes are
    not cached: equal instants in different zones print differently.
    """
    cache: dict[date, str] = {}
    # A day has tens of thousands of distinct dates (births, expiries, bookings):
    # the EDIFACT formats are composed from tables, a fraction of strftime's cost.
    render = _RENDER.get(fmt)

    def format_(value: date) -> str:
        text = cache.get(value)  # an aware value never equals a cached naive one
        if text is None:
            text = render(value) if render is not None else value.strftime(fmt)
            if upper:
                text = text.upper()
            if getattr(value, "tzinfo", None) is None:
                if len(cache) >= 50_000:
                    cache.clear()
                cache[value] = text
        return text

    return format_
