"""PNRGOV XML (IATA 13.1 and later, root ``IATA_PNRGOV_NotifRQ``) -> :class:`PnrPush`.

The same model and semantics as the EDIFACT parser (:mod:`openpiu.formats.pnrgov`):
titles stripped from given names, DOCS/DOCO/DOCA through the same helpers,
flight keys through :func:`~openpiu.formats.paxlst.split_designator` (so
``ZZ123/2025-03-15`` here, in EDIFACT PNRGOV and in PAXLST), full / update /
cancellation pushes, a stable placeholder locator when a PNR has none.

The element names live in :mod:`openpiu.formats.pnrgov_xml_map`, the hostile-input
defences in :mod:`openpiu.formats.pnrgov_xml_load`; this module reads the push and
its PNRs, :mod:`~openpiu.formats.pnrgov_xml_people` the travellers and
:mod:`~openpiu.formats.pnrgov_xml_trip` the itinerary and check-in.  Unknown
elements are counted and reported in one warning, never a failure.  Warnings name
tags and line numbers only: the privacy filter runs after the parser, so a warning
must never carry an SSR's code or text or any other traveller data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from hashlib import sha1
from xml.etree.ElementTree import Element

from openpiu.errors import ParseError, Position
from openpiu.formats import edifact
from openpiu.formats import pnrgov_segments as values
from openpiu.formats import pnrgov_xml_map as xmap
from openpiu.formats.paxlst import split_designator
from openpiu.formats.pnrgov_xml_load import Document, load
from openpiu.formats.pnrgov_xml_people import PeopleReader
from openpiu.formats.pnrgov_xml_trip import country, text_of, when
from openpiu.model import (
    Booking,
    Envelope,
    Flight,
    HistoryItem,
    Leg,
    MessageKind,
    Originator,
    ParsedFile,
    PnrPush,
    PushKind,
)
from openpiu.reference import to_utc

_SAFE_TAG = re.compile(r"[^A-Za-z0-9_.\-]")
_MAX_LISTED = 20  # unknown element names listed in the warning


def parse_pnrgov_xml(data: bytes, max_bytes: int | None = None) -> ParsedFile:
    """Parse one PNRGOV XML notification; ParseError when it is not one."""
    with edifact.gc_paused():
        doc = load(data, max_bytes)
        result = ParsedFile(kind=MessageKind.PNRGOV_XML)
        root = _notification(doc, result.warnings)
        if doc.namespace not in (None, xmap.IATA_NAMESPACE):
            result.warnings.append("root element namespace is not the IATA one; "
                                   "elements read by their local names")
        result.pushes.append(XmlPushReader(doc).read(root))
        return result


def _notification(doc: Document, warnings: list[str]) -> Element:
    root = doc.root
    if root.tag == xmap.ROOT:
        return root
    if root.tag == "Envelope":  # a SOAP envelope around the notification
        inner = next((e for e in root.iter(xmap.ROOT)), None)
        if inner is not None:
            warnings.append("SOAP envelope around the notification ignored")
            return inner
    name = _SAFE_TAG.sub("?", root.tag)[:40]
    raise ParseError(f"root element is {name!r}, not {xmap.ROOT}: not a PNRGOV XML "
                     "notification", position=Position(tag=name, offset=0))


class XmlPushReader:
    """One pass over the tree of one notification."""

    def __init__(self, doc: Document) -> None:
        self.lines = doc.lines
        self.unknown: dict[str, int] = defaultdict(int)
        self.first_line: dict[str, int] = {}
        self.warnings: list[str] = []
        self.people = PeopleReader(self)

    # -- mapping access ------------------------------------------------------------------
    def line(self, element: Element) -> int:
        return self.lines.get(element, 0)

    def get(self, element: Element, node: str, name: str) -> str | None:
        """The first non-empty value among the field's candidate paths."""
        for path in xmap.MAP[node].fields[name]:
            p = xmap.compiled(path)
            found = [element]
            for step in p.steps:
                found = [c for e in found[:1 if not p.join else None] for c in e if c.tag == step]
                if not found:
                    break
            if not found:
                continue
            parts = [(e.get(p.attr) or "").strip() if p.attr else text_of(e) for e in found]
            value = ", ".join(x for x in parts if x) if p.join else parts[0]
            if value:
                return value
        return None

    def visit(self, element: Element, node: str) -> dict[str, list[Element]]:
        """The element's child nodes by node name; unknown elements are counted."""
        kids: dict[str, list[Element]] = defaultdict(list)
        known = xmap.known_below(node)
        for child in element:
            target = known.get(child.tag)
            if isinstance(target, str):
                kids[target].append(child)
            elif isinstance(target, dict):
                self._audit(child, target)
            elif child.tag not in xmap.IGNORED:
                self._unknown(child)
        return kids

    def _audit(self, element: Element, known: dict[str, object]) -> None:
        for child in element:
            target = known.get(child.tag)
            if isinstance(target, dict):
                self._audit(child, target)
            elif child.tag not in xmap.IGNORED:
                self._unknown(child)

    def _unknown(self, element: Element) -> None:
        tag = _SAFE_TAG.sub("?", str(element.tag))[:40]
        self.unknown[tag] += 1
        self.first_line.setdefault(tag, self.line(element))

    # -- the push -----------------------------------------------------------------------
    def read(self, root: Element) -> PnrPush:
        kids = self.visit(root, "push")
        sender = self._originator(kids["originator"])
        flight = self._flight(kids["flight_leg"])
        pnrs = list(kids["pnr"])
        for holder in kids["pnrs"]:
            pnrs.extend(self.visit(holder, "pnrs")["pnr"])
        kind = self._kind(root)
        if not pnrs and kind is not PushKind.CANCEL:
            raise ParseError(f"no PNR element in the {xmap.ROOT} notification",
                             position=Position(tag="PNR", offset=0))
        ref_date = flight.flight_date if flight else None
        groups = [self._pnr(e, ref_date) for e in pnrs]
        if kind is None:
            # As in EDIFACT: PNRs with nothing but a locator are the cancellation shape.
            contentless = groups and not any(content for _, content in groups)
            kind = PushKind.CANCEL if contentless else PushKind.FULL
        bookings = [b for b, _ in groups]
        if kind is PushKind.CANCEL:
            bookings = [b for b in bookings if not b.record_locator.startswith("NORCI-")]
        declared_text = self.get(root, "push", "declared")
        declared = int(declared_text) if declared_text and declared_text.isdigit() else None
        if declared_text and declared is None:
            self.warnings.append("PNR count attribute of the root is not a number")
        if declared is not None and declared != len(pnrs):
            self.warnings.append(f"PNR count declares {declared} PNR(s), {len(pnrs)} present")
        if self.unknown:
            names = sorted(self.unknown.items())
            listed = ", ".join(f"{t}x{n} (line {self.first_line[t]})"
                               for t, n in names[:_MAX_LISTED])
            more = f" and {len(names) - _MAX_LISTED} more" if len(names) > _MAX_LISTED else ""
            self.warnings.append(f"XML elements not in the PNRGOV XML mapping ignored: "
                                 f"{listed}{more}")
        version = self.get(root, "push", "version")
        envelope = Envelope(
            sender=sender.system if sender else None,
            prepared_at=when(self.get(root, "push", "timestamp")),
            message_ref=self.get(root, "push", "message_ref"),
            message_type=xmap.ROOT + (f":{version}" if version else ""),
        )
        return PnrPush(envelope=envelope, kind=kind, flight=flight, sender=sender,
                       declared_bookings=declared, bookings=bookings, warnings=self.warnings,
                       xml=True)

    def _kind(self, root: Element) -> PushKind | None:
        raw = self.get(root, "push", "kind")
        if raw is None:
            return None
        kind = xmap.PUSH_KINDS.get(raw.upper())
        if kind is None:
            self.warnings.append(f"push type attribute at line {self.line(root)} not "
                                 "understood; read as a full push")
            return PushKind.FULL
        return kind

    def _originator(self, elements: list[Element]) -> Originator | None:
        if not elements:
            return None
        e = elements[0]
        self.visit(e, "originator")
        return Originator(system=self.get(e, "originator", "system"),
                          location=self.get(e, "originator", "location"),
                          agency_id=self.get(e, "originator", "agency_id"))

    def _flight(self, elements: list[Element]) -> Flight | None:
        legs: list[Leg] = []
        carrier = number = ""
        for e in elements:
            self.visit(e, "flight_leg")
            dep_air = (self.get(e, "flight_leg", "departure_airport") or "").upper() or None
            arr_air = (self.get(e, "flight_leg", "arrival_airport") or "").upper() or None
            dep = when(self.get(e, "flight_leg", "departure"))
            arr = when(self.get(e, "flight_leg", "arrival"))
            legs.append(Leg(dep_air, arr_air, dep, to_utc(dep, dep_air), arr, to_utc(arr, arr_air)))
            if not number:
                carrier = (self.get(e, "flight_leg", "carrier") or "").upper()
                number = (self.get(e, "flight_leg", "number") or "").upper().replace(" ", "")
        if not number:
            self.warnings.append("no flight identification (FlightLeg with a flight number)")
            return None
        # FlightNumber="ZZ0123" next to Code="ZZ" must not become ZZZZ0123.
        designator = number if carrier and number.startswith(carrier) and not number.isdigit() \
            else carrier + number
        split = split_designator(designator, carrier)
        if split is None:
            self.warnings.append("flight designator in FlightLeg not understood")
            return None
        flight_date = next((leg.departure_local.date() for leg in legs if leg.departure_local),
                           None)
        if flight_date is None:
            self.warnings.append("no flight date (FlightLeg departure)")
        return Flight(split[0], split[1], designator, flight_date, legs)

    # -- one PNR ---------------------------------------------------------------------
    def _pnr(self, e: Element, ref_date: date | None) -> tuple[Booking, bool]:
        kids = self.visit(e, "pnr")
        booking = Booking(record_locator="", reservation_system=None)
        for loc in kids["locator"]:
            self.visit(loc, "locator")
            locator = (self.get(loc, "locator", "locator") or "").upper()
            if not locator:
                continue
            system = (self.get(loc, "locator", "system") or "").upper() or None
            if (system, locator) not in booking.locators:
                booking.locators.append((system, locator))
            booking.created_at = booking.created_at or when(self.get(loc, "locator", "created"))
        booking.last_modified = when(self.get(e, "pnr", "last_modified"))
        booking.ticketed_at = when(self.get(e, "pnr", "ticketed"))
        booking.group_name = self.get(e, "pnr", "group_name")
        for pos in kids["pos"]:
            for source in self.visit(pos, "pos")["source"]:
                if booking.originator is None:
                    booking.originator = self._source(source)
                else:
                    self.visit(source, "source")
                    booking.warnings.append(f"second POS/Source at line {self.line(source)} "
                                            "ignored")
        people = self.people
        people.start(booking, ref_date)
        for contact in kids["contact"]:
            people.contact(contact, None)
        for bag in kids["prepaid_bag"]:
            people.baggage(bag, "prepaid_bag", "PREPAID")
        for passenger in kids["passenger"]:
            people.passenger(passenger)
        for ssr in kids["ssr"]:
            people.pnr_ssr(ssr)
        for remark in kids["remark"]:
            people.remark(remark, None)
        for payment in kids["payment"]:
            booking.payments.append(people.payment(payment))
        for flight in kids["segment"]:
            people.segment(flight)
        for split in kids["split"]:
            self.visit(split, "split")
            locator = (self.get(split, "split", "locator") or "").upper()
            if locator:
                booking.split_locators.append(locator)
        for history in kids["history"]:
            for item in self.visit(history, "history")["history_item"]:
                self.visit(item, "history_item")
                booking.history.append(HistoryItem(
                    action=(self.get(item, "history_item", "action") or "").upper() or None,
                    at=when(self.get(item, "history_item", "at")),
                    what=self.get(item, "history_item", "what")))
        people.finish()
        content = bool(booking.travellers or booking.itinerary or booking.services
                       or booking.contacts or booking.history)
        if not booking.locators:
            booking.locators.append((None, _placeholder(booking, self.line(e))))
            booking.warnings.append(f"PNR at line {self.line(e)} has no BookingRefID: "
                                    "a placeholder locator was derived from its content")
        booking.reservation_system, booking.record_locator = booking.locators[0]
        return booking, content

    def _source(self, e: Element) -> Originator:
        self.visit(e, "source")

        def g(name: str) -> str | None:
            return self.get(e, "source", name)

        kind = (g("kind") or "").upper()
        kind = {"AIRLINE": "A", "AGENCY": "T", "TRAVEL AGENT": "T"}.get(kind, kind)
        return Originator(system=(g("system") or "").upper() or None, location=g("location"),
                          agency_id=g("agency_id"), agency_location=g("agency_location"),
                          kind=kind or None, country=country(g("country")),
                          currency=(g("currency") or "").upper() or None, agent_id=g("agent_id"))


def _placeholder(booking: Booking, line: int) -> str:
    """The EDIFACT parser's placeholder, computed the same way, so a PNR sent without
    a locator lines up across its pushes (and across EDIFACT and XML)."""
    names = [values.name_key(t.surname, t.given_names) for t in booking.travellers]
    trips = [f"{s.carrier}{s.number}{s.route}{s.departure_local}" for s in booking.itinerary]
    text = "|".join(names + trips) or f"xml/{line}"
    return "NORCI-" + sha1(text.encode(), usedforsecurity=False).hexdigest()[:10].upper()
