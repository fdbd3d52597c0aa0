"""PNRGOV XML values and the ``Flight`` part of a PNR: itinerary (GR5), check-in (GR6-7).

A mixin of :class:`~openpiu.formats.pnrgov_xml_people.PeopleReader` (kept apart so
each module stays readable), plus the value conversions both use: XML dates are
xs:dateTime / xs:date, but the EDIFACT shapes (DDMMYY, DDMMMYY) are accepted too
because generators copy them across.  Seats, check-ins and bags name a traveller
by reference and never add one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from openpiu.formats import pnrgov_segments as values
from openpiu.formats import pnrgov_xml_map as xmap
from openpiu.model import (
    Bag,
    BookedTraveller,
    Booking,
    CheckIn,
    ItinerarySegment,
    Seat,
)
from openpiu.reference import country_alpha3, to_utc

if TYPE_CHECKING:
    from openpiu.formats.pnrgov_xml import XmlPushReader


# -- values ------------------------------------------------------------------------------

def text_of(element: Element) -> str:
    return (element.text or "").strip()


def when(value: str | None) -> datetime | None:
    """xs:dateTime / xs:date as sent (local wall time), or the EDIFACT shapes."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        pass
    day, _, time = value.partition(" ")
    return values.ddmmyy(day, time)


def day_of(value: str | None, ref: date | None, kind: str) -> date | None:
    if not value:
        return None
    value = value.strip()
    if len(value) >= 10 and value[4:5] == "-":
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return values.date7(value.upper(), ref, kind)


def number_of(value: str | None) -> float | None:
    return values.number(value or "")


def country(value: str | None) -> str | None:
    value = (value or "").strip().upper()
    return country_alpha3(value) or (value[:3] or None)


class TripMixin:
    """Handlers for ``Flight`` and what hangs under it; state set by ``PeopleReader``."""

    push: XmlPushReader
    booking: Booking
    warnings: list[str]

    def _g(self, e: Element, node: str, name: str) -> str | None:
        raise NotImplementedError

    def _up(self, e: Element, node: str, name: str) -> str | None:
        raise NotImplementedError

    def _where(self, e: Element) -> str:
        raise NotImplementedError

    def find(self, ref: str | None) -> BookedTraveller | None:
        raise NotImplementedError

    def ssr(self, e: Element, t: BookedTraveller | None, segment: ItinerarySegment | None) -> None:
        raise NotImplementedError

    # -- Flight: itinerary (GR5) and check-in (GR6-7) ----------------------------------------
    def segment(self, e: Element) -> None:
        kids = self.push.visit(e, "segment")

        def up(name: str) -> str | None:
            return self._up(e, "segment", name)

        dep_air, arr_air = up("departure_airport"), up("arrival_airport")
        dep, arr = when(self._g(e, "segment", "departure")), when(self._g(e, "segment", "arrival"))
        number, operating = up("number") or "", up("operating_number") or ""
        s = ItinerarySegment(
            carrier=up("carrier"), number=(number.lstrip("0") or number) or None,
            departure_airport=dep_air, arrival_airport=arr_air,
            departure_local=dep, departure_utc=to_utc(dep, dep_air),
            arrival_local=arr, arrival_utc=to_utc(arr, arr_air),
            booking_class=up("booking_class"), status=up("status"),
            operating_carrier=up("operating_carrier"),
            operating_number=(operating.lstrip("0") or operating) or None,
            equipment=self._g(e, "segment", "equipment"),
        )
        self.booking.itinerary.append(s)
        for x in kids["ssr"]:
            self.ssr(x, None, s)
        for x in kids["seat"]:
            self._seat(x, s.route, "requested", None)
        for x in kids["checkin"]:
            self._checkin(x, s)

    def _seat(self, e: Element, route: str, source: str, t: BookedTraveller | None) -> None:
        self.push.visit(e, "seat")
        t = t or self.find(self._g(e, "seat", "ref"))
        seat = self._up(e, "seat", "seat")
        if not seat:
            return
        if t is None:
            self.warnings.append(f"seat ({self._where(e)}) names no traveller of the PNR")
            return
        t.seats.append(Seat(seat=seat, segment=route, source=source))

    def _checkin(self, e: Element, s: ItinerarySegment) -> None:
        kids = self.push.visit(e, "checkin")
        t = self.find(self._g(e, "checkin", "ref"))
        if t is None:
            self.warnings.append(f"check-in ({self._where(e)}) names no traveller of the PNR; "
                                 "ignored")
            return
        t.checkins.append(CheckIn(
            segment=s.route, at_local=when(self._g(e, "checkin", "at")),
            sequence=self._g(e, "checkin", "sequence"),
            status=self._g(e, "checkin", "status") or "checked-in",
            agent=self._g(e, "checkin", "agent")))
        for x in kids["seat"]:
            self._seat(x, s.route, "actual", t)
        for x in kids["bag"]:
            t.bags.append(self.bag(x, s.route))

    def bag(self, e: Element, route: str | None) -> Bag:
        tags = self.push.visit(e, "bag")["bag_tag"]
        count = self._g(e, "bag", "count") or ""
        unit = self._up(e, "bag", "unit")
        bag = Bag(count=int(count) if count.isdigit() else None,
                  weight=number_of(self._g(e, "bag", "weight")),
                  unit=xmap.UNITS.get(unit or "", unit), pool=self._up(e, "bag", "pool"),
                  segment=route)
        for tag in tags:
            self.push.visit(tag, "bag_tag")
            number = self._g(tag, "bag_tag", "tag") or ""
            n = self._g(tag, "bag_tag", "count") or ""
            if number:
                bag.tags.append((number, int(n) if n.isdigit() else 1,
                                 self._up(tag, "bag_tag", "destination")))
        return bag
