"""PNRGOV EDIFACT (PADIS 10.1 to 17.1) -> :class:`~openpiu.model.PnrPush`.

One PNRGOV message is one push: a carrier's bookings for one flight.  Level 0
(``MSG``, ``ORG``, ``TVL``, ``EQN``) is read here; each PNR, from its ``SRC`` to
the next, is read by :class:`~openpiu.formats.pnrgov_pnr.PnrReader` (GR1 to GR12,
grouped as GTAS groups them, STANDARDS §2).  The parse is lenient (§7): the
field's deviations (missing RCI, shifted DOCS, ``//`` for ``@``, free text in
odd places, unknown segments) are tolerated and reported as warnings on the push
or the booking, never dropped silently.

Dates in PNRGOV are DDMMYY and flight times are local; each leg also gets UTC
through the airport's time zone.
"""

from __future__ import annotations

from datetime import date

from openpiu.formats import edifact
from openpiu.formats.paxlst import envelope_of, split_designator
from openpiu.formats.pnrgov_pnr import PnrReader
from openpiu.formats.pnrgov_segments import ddmmyy, originator_of
from openpiu.model import (
    Booking,
    Flight,
    Leg,
    MessageKind,
    Originator,
    ParsedFile,
    PnrPush,
    PushKind,
)
from openpiu.reference import to_utc

_c = edifact.component_of
_KINDS = {"22": PushKind.FULL, "141": PushKind.UPDATE}
# Segments that only make sense inside a PNR: seen before any SRC, they open one.
_PNR_OPENERS = frozenset(("RCI", "TIF"))


def parse_pnrgov(data: bytes, max_bytes: int | None = None) -> ParsedFile:
    """Parse every PNRGOV message in ``data``; raise ParseError if there is none."""
    with edifact.gc_paused():
        return _parse(data, max_bytes)


def _parse(data: bytes, max_bytes: int | None) -> ParsedFile:
    found, warnings = edifact.messages_of_type(data, "PNRGOV", max_bytes)
    pushes = [_PushReader(message, chars.decimal).read() for message, chars in found]
    return ParsedFile(kind=MessageKind.PNRGOV, pushes=pushes, warnings=warnings)


class _PushReader:
    """One pass over one PNRGOV message."""

    def __init__(self, message: edifact.Message, decimal: str) -> None:
        self.message = message
        self.envelope = envelope_of(message)
        self.warnings: list[str] = list(message.warnings)
        self.unknown: dict[str, int] = {}
        self.pnr = PnrReader(decimal, self.unknown)
        self.kind: PushKind | None = None
        self.sender: Originator | None = None
        self.declared: int | None = None
        self.tvls: list[edifact.Segment] = []
        self.flight: Flight | None = None
        self.flight_done = False
        # (booking, had content, had a locator of its own) for every SRC group
        self.groups: list[tuple[Booking, bool, bool]] = []

    def read(self) -> PnrPush:
        pnr = self.pnr
        feed = pnr.feed
        handlers = pnr.HANDLERS
        unknown = self.unknown
        in_pnr = False
        for seg in self.message.body:
            tag = seg.tag
            if tag == "SRC":
                if in_pnr:
                    self._close()
                self._start(seg)
                in_pnr = True
            elif in_pnr:
                # PnrReader.feed, inlined: this loop runs for every segment.
                handler = handlers.get(tag)
                if handler is None:
                    unknown[tag] = unknown.get(tag, 0) + 1
                else:
                    handler(pnr, seg)
            elif tag == "MSG":
                self._msg(seg)
            elif tag == "TVL":
                self.tvls.append(seg)
            elif tag == "ORG":
                if self.sender is None:
                    self.sender = originator_of(seg.parts)
            elif tag == "EQN":
                value = _c(seg.parts, 0)
                self.declared = int(value) if value.isdigit() else None
                if self.declared is None:
                    self.warnings.append(f"EQN at segment {seg.index} is not a number")
            elif tag in _PNR_OPENERS:
                self.warnings.append(f"{tag} at segment {seg.index} before any SRC: "
                                     "a PNR group was opened there")
                self._start(seg)
                in_pnr = True
                feed(seg)
            else:
                self.unknown[tag] = self.unknown.get(tag, 0) + 1
        if in_pnr:
            self._close()
        return self._push()

    # -- PNR groups ------------------------------------------------------------------
    def _start(self, seg: edifact.Segment) -> None:
        if not self.flight_done:
            self._build_flight()
        self.pnr.start(seg.index, self.flight.flight_date if self.flight else None)

    def _close(self) -> None:
        pnr = self.pnr
        content = pnr.has_content
        own = bool(pnr.booking.locators)
        self.groups.append((pnr.finish(self.envelope.message_ref or ""), content, own))

    def _msg(self, seg: edifact.Segment) -> None:
        code = _c(seg.parts, 0, 1) or _c(seg.parts, 0)
        kind = _KINDS.get(code)
        if kind is None:
            self.warnings.append(f"MSG function {code or '(empty)'!r} at segment {seg.index} "
                                 "not understood; read as a full push")
            kind = PushKind.FULL
        if self.kind is None:
            self.kind = kind

    # -- flight ----------------------------------------------------------------------
    def _build_flight(self) -> None:
        self.flight_done = True
        legs: list[Leg] = []
        for seg in self.tvls:
            dep_air, arr_air = _c(seg.parts, 1).upper() or None, _c(seg.parts, 2).upper() or None
            dep = ddmmyy(_c(seg.parts, 0, 0), _c(seg.parts, 0, 1))
            arr = ddmmyy(_c(seg.parts, 0, 2), _c(seg.parts, 0, 3))
            if _c(seg.parts, 0) and dep is None:
                self.warnings.append(f"flight date at segment {seg.index} not understood")
            legs.append(Leg(dep_air, arr_air, dep, to_utc(dep, dep_air), arr, to_utc(arr, arr_air)))
        carrier = number = ""
        if self.tvls:
            first = self.tvls[0].parts
            carrier, number = _c(first, 3).upper(), _c(first, 4).upper()
        flight_date = next((leg.departure_local.date() for leg in legs if leg.departure_local),
                           None)
        if not (carrier and number) or flight_date is None:
            carrier, number, flight_date = self._from_access_ref(carrier, number, flight_date)
        if not number:
            self.warnings.append("no flight identification (level-0 TVL with a flight number)")
            return
        designator = carrier + number
        split = split_designator(designator, carrier)
        if split is None:
            self.warnings.append("flight designator in TVL not understood")
            return
        self.flight = Flight(split[0], split[1], designator, flight_date, legs)

    def _from_access_ref(self, carrier: str, number: str,
                         flight_date: date | None) -> tuple[str, str, date | None]:
        """UNH 0068 is opaque, but ``ZZ0123/150325/0815`` is the usual shape: use it
        only when the level-0 TVL lacks the flight, and say so."""
        tokens = (self.envelope.common_access_ref or "").split("/")
        if not number and tokens[0]:
            split = split_designator(tokens[0])
            if split is not None:
                carrier, number = split
                self.warnings.append("flight taken from the UNH common access reference")
        if flight_date is None and number:
            found = next((d for t in tokens[1:] if (d := ddmmyy(t)) is not None), None)
            if found is not None:
                flight_date = found.date()
                self.warnings.append("flight date taken from the UNH common access reference")
            else:
                self.warnings.append("no flight date (level-0 TVL)")
        return carrier, number, flight_date

    # -- the end -----------------------------------------------------------------------
    def _push(self) -> PnrPush:
        if not self.flight_done:
            self._build_flight()
        kind = self.kind
        if kind is None:
            self.warnings.append("no MSG segment: read as a full push")
            kind = PushKind.FULL
        groups = self.groups
        if groups and not any(content for _, content, _ in groups):
            # The cancellation shape (§2): SRC, RCI and ORG empty, nothing else.
            kind = PushKind.CANCEL
            bookings = [b for b, _, own in groups if own]
        else:
            bookings = [b for b, _, _ in groups]
        if self.declared is not None and self.declared != len(groups):
            self.warnings.append(f"EQN declares {self.declared} PNR(s), {len(groups)} present")
        if self.unknown:
            listed = ", ".join(f"{t}x{n}" for t, n in sorted(self.unknown.items()))
            self.warnings.append(f"segments not used by PNRGOV ignored: {listed}")
        return PnrPush(envelope=self.envelope, kind=kind, flight=self.flight, sender=self.sender,
                       declared_bookings=self.declared, bookings=bookings, warnings=self.warnings)
