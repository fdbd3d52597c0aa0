"""GR5 to GR12 of a PNR: itinerary, check-in, split PNR, non-air segments, history.

A mixin of :class:`~openpiu.formats.pnrgov_pnr.PnrReader`, kept apart so each
module stays readable; it shares the reader's state (``section``, ``booking``,
the current segment, the checked-in traveller, the history item).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from openpiu.formats import edifact
from openpiu.formats import pnrgov_segments as values
from openpiu.formats.pnrgov_segments import CHK, HIST, NONAIR, PAX_SECTIONS, SEG, SPLIT
from openpiu.model import (
    BookedTraveller,
    Booking,
    CheckIn,
    HistoryItem,
    ItinerarySegment,
    Seat,
)
from openpiu.reference import to_utc

_c = edifact.component_of
US = edifact.US
# Every PNR of a push repeats the flight's times at the same airports; the UTC
# conversion (a time-zone look-up) is done once per distinct time and airport.
_to_utc = lru_cache(maxsize=4096)(to_utc)
_NON_AIR = {"8": "hotel", "9": "car", "10": "rail", "11": "cruise", "12": "tour"}
_NON_AIR_WORDS = (("HTL", "hotel"), ("HHL", "hotel"), ("CAR", "car"), ("CCR", "car"),
                  ("RAIL", "rail"), ("TRN", "rail"), ("SEA", "cruise"), ("TUR", "tour"))


def itinerary_of(seg: edifact.Segment) -> ItinerarySegment:
    """TVL ``depdate:deptime:arrdate:arrtime+FROM+TO+carrier+number:class``."""
    parts = seg.parts + ["", "", "", "", ""]
    times = parts[0].split(US) + ["", "", "", ""]
    dep_air, arr_air = parts[1].strip().upper() or None, parts[2].strip().upper() or None
    dep = values.ddmmyy(times[0], times[1])
    arr = values.ddmmyy(times[2], times[3])
    flight = parts[4].split(US) + [""]
    number = flight[0].strip()
    return ItinerarySegment(
        carrier=parts[3].partition(US)[0].strip().upper() or None,
        number=(number.lstrip("0") or number) or None,
        departure_airport=dep_air, arrival_airport=arr_air,
        departure_local=dep, departure_utc=_to_utc(dep, dep_air),
        arrival_local=arr, arrival_utc=_to_utc(arr, arr_air),
        booking_class=flight[1].strip() or None,
    )


class ItineraryMixin:
    """Handlers for GR5-GR12; the attributes are set by ``PnrReader.start``."""

    booking: Booking
    warnings: list[str]
    section: int
    decimal: str
    traveller: BookedTraveller | None
    segment: ItinerarySegment | None
    checkin: CheckIn | None
    ci_traveller: BookedTraveller | None
    checkin_at: datetime | None
    checkin_agent: str | None
    history: HistoryItem | None
    history_at: datetime | None
    non_air: str
    by_ref: dict[str, BookedTraveller]

    def _misplaced(self, seg: edifact.Segment, why: str) -> None:
        raise NotImplementedError

    def describe(self, seg: edifact.Segment, what: str) -> None:
        raise NotImplementedError

    # -- GR5 itinerary, GR6-7 check-in -----------------------------------------------
    def _tvl(self, seg: edifact.Segment) -> None:
        section = self.section
        if section == HIST:
            s = itinerary_of(seg)
            day = f" {s.departure_local:%d%b%y}".upper() if s.departure_local else ""
            self.describe(seg, f"TVL {s.carrier or ''}{s.number or ''} {s.route}{day}")
            return
        segment = itinerary_of(seg)
        if section == NONAIR:
            text = " ".join(seg.parts).upper()
            segment.kind = next((k for w, k in _NON_AIR_WORDS if w in text), self.non_air)
            self.booking.itinerary.append(segment)
            return  # further TVLs of the same GR9 add more non-air items
        self.booking.itinerary.append(segment)
        self.segment, self.section, self.checkin, self.ci_traveller = segment, SEG, None, None
        self.checkin_at = None

    def _in_segment(self, seg: edifact.Segment) -> ItinerarySegment | None:
        if self.section in (SEG, CHK) and self.segment is not None:
            return self.segment
        if self.section != HIST:
            self._misplaced(seg, "outside an itinerary group")
        return None

    def _tra(self, seg: edifact.Segment) -> None:
        segment = self._in_segment(seg)
        if segment is not None:
            segment.operating_carrier = _c(seg.parts, 0).upper() or None
            number = _c(seg.parts, 1)
            segment.operating_number = (number.lstrip("0") or number) or None

    def _rpi(self, seg: edifact.Segment) -> None:
        if self.section == HIST:
            self.describe(seg, f"RPI {_c(seg.parts, 1)}".strip())
            return
        segment = self._in_segment(seg)
        if segment is not None:
            segment.status = _c(seg.parts, 1).upper() or None

    def _apd(self, seg: edifact.Segment) -> None:
        segment = self._in_segment(seg)
        if segment is not None:
            segment.equipment = _c(seg.parts, 0) or None

    def _tri(self, seg: edifact.Segment) -> None:
        if self.section not in (SEG, CHK):
            self._misplaced(seg, "outside a check-in group")
            return
        self.section = CHK
        route = self.segment.route if self.segment is not None else None
        person = values.padded(seg.parts, 1, 4)  # sequence:::traveller reference
        self.checkin = CheckIn(segment=route, at_local=self.checkin_at, status="checked-in",
                               sequence=person[0] or None, agent=self.checkin_agent)
        ref = person[3] or _c(seg.parts, 0)
        self.ci_traveller = self.by_ref.get(ref) if ref else None
        if self.ci_traveller is not None:
            self.ci_traveller.checkins.append(self.checkin)

    def _ssd(self, seg: edifact.Segment) -> None:
        traveller = self.ci_traveller
        if self.section != CHK or traveller is None:
            self._misplaced(seg, "names no checked-in traveller")
            return
        seat = _c(seg.parts, 0).upper()
        if seat:
            route = self.segment.route if self.segment is not None else None
            traveller.seats.append(Seat(seat=seat, segment=route, source="actual"))

    def _tbd(self, seg: edifact.Segment) -> None:
        section = self.section
        if section == HIST:
            bag = values.bag_of(seg.parts, self.decimal)
            self.describe(seg, f"TBD {bag.count if bag.count is not None else '?'} bag(s)")
            return
        owner = self.ci_traveller if section == CHK else (
            self.traveller if section in PAX_SECTIONS else None)
        if owner is None:
            self._misplaced(seg, "names no traveller")
            return
        bag = values.bag_of(seg.parts, self.decimal)
        bag.segment = self.segment.route if section == CHK and self.segment is not None else None
        owner.bags.append(bag)

    # -- GR8 split, GR9 non-air, GR10-12 history ---------------------------------------
    def _eqn(self, seg: edifact.Segment) -> None:
        self.section = SPLIT

    def _msg(self, seg: edifact.Segment) -> None:
        code = _c(seg.parts, 0)
        self.non_air = _NON_AIR.get(code, "other")
        self.section = NONAIR

    def _abi(self, seg: edifact.Segment) -> None:
        self.section, self.history, self.history_at = HIST, None, None

    def _sac(self, seg: edifact.Segment) -> None:
        if self.section != HIST:
            self.section, self.history_at = HIST, None
        action = _c(seg.parts, 2) or _c(seg.parts, 0) or _c(seg.parts, 1)
        self.history = HistoryItem(action=action.upper() or None, at=self.history_at)
        self.booking.history.append(self.history)
