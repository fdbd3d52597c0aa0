"""One PNR of a PNRGOV message (GR1 to GR12) -> :class:`~openpiu.model.Booking`.

The groups are numbered as GTAS numbers them (STANDARDS §2).  The reader is a
small state machine: ``section`` says which group the last trigger segment
opened, and each segment is attached where its meaning in that group is clear.
A traveller exists only through a GR2 ``TIF``; the TIFs repeated under check-in
(GR7) and history (GR10-12) are looked up among those, never added.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from hashlib import sha1
from typing import ClassVar

from openpiu.formats import edifact
from openpiu.formats import pnrgov_segments as values
from openpiu.formats.pnrgov_itinerary import ItineraryMixin
from openpiu.formats.pnrgov_segments import (
    CHK,
    FOP,
    HIST,
    PAX,
    PAX_SECTIONS,
    PNR,
    SEG,
    SPLIT,
    TKT,
    originator_of,
)
from openpiu.formats.pnrgov_ssr import SsrMixin
from openpiu.model import (
    BookedTraveller,
    Booking,
    CheckIn,
    Contact,
    FrequentFlyer,
    HistoryItem,
    ItinerarySegment,
    Payment,
    Ticket,
)

US = edifact.US
_c = edifact.component_of


class PnrReader(ItineraryMixin, SsrMixin):
    """Reads the segments of one GR1 at a time; reused for every PNR of a message."""

    # Segment tag -> handler, filled in below the class.  Plain functions called as
    # ``handler(reader, segment)``: a dict of bound methods kept on the instance
    # would be a reference cycle, which the collector alone can free.
    HANDLERS: ClassVar[dict[str, Callable[[PnrReader, edifact.Segment], None]]]

    def __init__(self, decimal: str, unknown: dict[str, int]) -> None:
        self.decimal = decimal
        self.unknown = unknown  # shared with the message: counted once per push

    # -- life cycle --------------------------------------------------------------
    def start(self, seg_index: int, ref_date: date | None) -> None:
        self.booking = Booking(record_locator="", reservation_system=None)
        self.warnings = self.booking.warnings
        self.start_index = seg_index
        self.ref_date = ref_date  # the flight date: anchors two-digit years
        self.section = PNR
        self.traveller: BookedTraveller | None = None
        self.ticket: Ticket | None = None
        self.payment: Payment | None = None
        self.segment: ItinerarySegment | None = None
        self.checkin: CheckIn | None = None
        self.ci_traveller: BookedTraveller | None = None
        self.checkin_at = None
        self.checkin_agent: str | None = None
        self.history: HistoryItem | None = None
        self.history_at = None
        self.non_air = "other"
        self.by_ref: dict[str, BookedTraveller] = {}
        self.by_name: dict[str, BookedTraveller] = {}
        self.segment_locators: list[tuple[str | None, str]] = []
        self.org_empty = False
        self.pending: list[edifact.Segment] = []  # PNR-level SSRs naming a traveller

    def feed(self, seg: edifact.Segment) -> None:
        handler = self.HANDLERS.get(seg.tag)
        if handler is None:
            self.unknown[seg.tag] = self.unknown.get(seg.tag, 0) + 1
        else:
            handler(self, seg)

    @property
    def has_content(self) -> bool:
        b = self.booking
        return bool(b.travellers or b.itinerary or b.services or b.contacts or b.history)

    def finish(self, message_ref: str) -> Booking:
        booking = self.booking
        for seg in self.pending:
            self.resolve_pending(seg)
        locators = booking.locators
        if not locators:
            if self.segment_locators:
                locators.extend(self.segment_locators)
                self.warnings.append(f"PNR at segment {self.start_index} has no RCI in its "
                                     "first group: locator taken from an itinerary RCI")
            else:
                locators.append((None, self._placeholder(message_ref)))
                self.warnings.append(f"PNR at segment {self.start_index} has no RCI: "
                                     "a placeholder locator was derived from its content")
        else:
            locators.extend(x for x in self.segment_locators if x not in locators)
        booking.reservation_system, booking.record_locator = locators[0]
        return booking

    def _placeholder(self, message_ref: str) -> str:
        """The same booking content gives the same placeholder in every push, so the
        versions of a PNR sent without RCI still line up."""
        b = self.booking
        names = [values.name_key(t.surname, t.given_names) for t in b.travellers]
        trips = [f"{s.carrier}{s.number}{s.route}{s.departure_local}" for s in b.itinerary]
        text = "|".join(names + trips)
        if not text:
            text = f"{message_ref}/{self.start_index}"
        return "NORCI-" + sha1(text.encode(), usedforsecurity=False).hexdigest()[:10].upper()

    # -- helpers -------------------------------------------------------------------
    def _noop(self, seg: edifact.Segment) -> None:
        return

    def _misplaced(self, seg: edifact.Segment, why: str) -> None:
        self.warnings.append(f"{seg.tag} at segment {seg.index} {why}; ignored")

    def find_traveller(self, ref: str, surname: str = "",
                       given: str = "") -> BookedTraveller | None:
        if ref and ref in self.by_ref:
            return self.by_ref[ref]
        if surname:
            found = self.by_name.get(values.name_key(surname, values.strip_title(given)[0]))
            if found is not None:
                return found
        travellers = self.booking.travellers
        return travellers[0] if len(travellers) == 1 and not (ref or surname) else None

    def describe(self, seg: edifact.Segment, what: str) -> None:
        """A segment under history (GR10-12): a line of the current history item."""
        item = self.history
        if item is None:
            item = self.history = HistoryItem(action=None, at=self.history_at)
            self.booking.history.append(item)
        item.what = f"{item.what}; {what}" if item.what else what

    # -- GR1 -------------------------------------------------------------------------
    def _rci(self, seg: edifact.Segment) -> None:
        if self.section == HIST:
            self.describe(seg, "RCI")
            return
        found: list[tuple[str | None, str]] = []
        for element in seg.parts:
            comps = element.split(US)
            locator = comps[1].strip().upper() if len(comps) > 1 else ""
            if not locator:
                continue
            found.append((comps[0].strip().upper() or None, locator))
            if self.section == PNR and self.booking.created_at is None and len(comps) > 3:
                time = comps[4] if len(comps) > 4 else ""
                self.booking.created_at = values.ddmmyy(comps[3], time)
        if self.section == SPLIT:
            self.booking.split_locators.extend(loc for _, loc in found)
        elif self.section == PNR and not self.booking.travellers:
            self.booking.locators.extend(x for x in found if x not in self.booking.locators)
        else:
            self.segment_locators.extend(x for x in found if x not in self.segment_locators)

    def _dat(self, seg: edifact.Segment) -> None:
        section = self.section
        for element in seg.parts:
            comps = element.split(US)
            comps += ["", ""]
            qualifier = comps[0].strip()
            when = values.ddmmyy(comps[1], comps[2])
            if section == HIST:
                self.history_at = when
                if self.history is not None and self.history.at is None:
                    self.history.at = when
            elif section in (SEG, CHK):
                # GR6: DAT+2 (check-in time) opens the check-in of the segment.
                self.section, self.checkin_at, self.checkin = CHK, when, None
            elif section in (TKT, FOP) and self.ticket is not None:
                self.ticket.issued = when or self.ticket.issued
                if qualifier == "710" and self.booking.ticketed_at is None:
                    self.booking.ticketed_at = when  # the first ticket dates the PNR's
            elif qualifier == "700":
                self.booking.last_modified = when
            elif qualifier == "710":
                self.booking.ticketed_at = when

    def _org(self, seg: edifact.Segment) -> None:
        section = self.section
        if section == CHK:
            self.checkin_agent = _c(seg.parts, 6) or _c(seg.parts, 1) or _c(seg.parts, 0) or None
        elif section == HIST:
            return  # who changed the PNR: kept out, the history item says what changed
        elif not "".join(seg.parts).replace(US, "").strip():
            self.org_empty = True  # the cancellation shape: empty SRC, RCI and ORG
        elif self.booking.originator is None:
            self.booking.originator = originator_of(seg.parts)
        else:
            self._misplaced(seg, "is a second originator")

    def _ift(self, seg: edifact.Segment) -> None:
        parts = seg.parts
        section = self.section
        if section == FOP and self.payment is not None and _c(parts, 0, 1) == "43":
            payment = self.payment
            payment.payer_name = _c(parts, 1).replace(US, " ") or payment.payer_name
            payment.billing_address = _c(parts, 2) or payment.billing_address
            payment.payer_phone = _c(parts, 3) or payment.payer_phone
            return
        n = len(parts)
        if n == 2:  # the common shape, one free-text element: skip the join
            text = parts[1].replace(US, " ").strip()
        else:
            text = " ".join(parts[1:]).replace(US, " ").strip() if n > 1 else ""
        if "  " in text:
            text = " ".join(text.split())
        if section == HIST:
            self.describe(seg, f"IFT {text}")
            return
        if not text:
            return
        target = self.traveller if section in PAX_SECTIONS else None
        contact = values.contact_osi(text)
        if contact is not None:
            self.add_contact(contact[0], contact[1], seg, target)
        elif target is not None:
            target.remarks.append(text)
        else:
            self.booking.remarks.append(text)

    def add_contact(self, code: str, value: str, seg: edifact.Segment,
                    target: BookedTraveller | None) -> None:
        if code == "CTCE":
            value, repaired = values.email_of(value)
            kind = "email"
            if repaired:
                self.warnings.append(f"e-mail with '//' for '@' repaired "
                                     f"({seg.tag}, segment {seg.index})")
        else:
            value, kind = values.phone_of(value), "phone"
        if value:
            holder = target if target is not None else self.booking
            holder.contacts.append(Contact(kind, value))

    def _add(self, seg: edifact.Segment) -> None:
        address, phone = values.add_address(seg.parts)
        if self.section == FOP and self.payment is not None:
            if address is not None:
                self.payment.billing_address = ", ".join(
                    p for p in (address.street, address.city, address.subdivision,
                                address.postcode, address.country) if p)
            self.payment.payer_phone = self.payment.payer_phone or phone
            return
        holder = self.traveller if self.section in PAX_SECTIONS and self.traveller else self.booking
        if address is not None:
            holder.addresses.append(address)
        if phone:
            holder.contacts.append(Contact("phone", phone))

    def _ebd(self, seg: edifact.Segment) -> None:
        text = " ".join(p.replace(US, " ").strip() for p in seg.parts if p.strip())
        if text:
            self.booking.excess_baggage.append(text)

    # -- GR2 traveller -------------------------------------------------------------
    def _tif(self, seg: edifact.Segment) -> None:
        parts = seg.parts
        surname = parts[0].partition(US)[0].strip().upper() if parts else ""
        person = (parts[1].split(US) + ["", "", ""]) if len(parts) > 1 else ["", "", ""]
        given, ref = person[0].strip(), person[2].strip()
        section = self.section
        if section in (PNR, PAX, TKT, FOP):
            self._new_traveller(seg, surname, given, ref, person[1].strip().upper())
            return
        found = self.find_traveller(ref, surname, given)
        if section == HIST:
            label = f"traveller {found.ref}" if found is not None and found.ref else (
                "a traveller of the PNR" if found is not None else "a traveller not in the PNR")
            self.describe(seg, f"TIF {label}")
        elif found is None:
            self._misplaced(seg, "names no traveller of the PNR (check-in or itinerary)")
        else:
            self.ci_traveller = found
            if self.checkin is not None and self.checkin not in found.checkins:
                found.checkins.append(self.checkin)

    def _new_traveller(self, seg: edifact.Segment, surname: str, raw: str, ref: str,
                       kind: str) -> None:
        given, title = values.strip_title(raw)
        traveller = BookedTraveller(
            ref=ref or None, surname=surname, given_names=given, raw_given_names=raw,
            title=title, passenger_type=kind or _c(seg.parts, 0, 1) or None,
        )
        if not surname:
            self.warnings.append(f"traveller without a surname at segment {seg.index}")
        self.booking.travellers.append(traveller)
        if ref:
            if ref in self.by_ref:
                self.warnings.append(f"traveller reference repeated at segment {seg.index}")
            self.by_ref.setdefault(ref, traveller)
        self.by_name.setdefault(values.name_key(surname, given), traveller)
        self.traveller, self.ticket, self.payment = traveller, None, None
        self.section = PAX

    def _need_traveller(self, seg: edifact.Segment) -> BookedTraveller | None:
        if self.section in PAX_SECTIONS and self.traveller is not None:
            return self.traveller
        self._misplaced(seg, "outside a traveller group")
        return None

    def _fti(self, seg: edifact.Segment) -> None:
        traveller = self._need_traveller(seg)
        if traveller is None:
            return
        for element in seg.parts:
            comps = [c.strip() for c in element.split(US)] + [""] * 5
            if comps[1]:
                traveller.frequent_flyers.append(
                    FrequentFlyer(comps[0].upper() or None, comps[1], comps[4] or comps[3] or None))

    def _ref(self, seg: edifact.Segment) -> None:
        traveller = self._need_traveller(seg)
        if traveller is not None:
            first, second = values.padded(seg.parts, 0, 2)[:2]
            traveller.unique_ref = second or first or None

    def _far(self, seg: edifact.Segment) -> None:
        traveller = self._need_traveller(seg)
        if traveller is not None:
            basis = _c(seg.parts, 5) or next((p for p in reversed(seg.parts[1:]) if p.strip()), "")
            traveller.fare_basis = basis.split(US)[0].strip() or None

    # -- GR3 ticket, GR4 payment ---------------------------------------------------------
    def _tkt(self, seg: edifact.Segment) -> None:
        traveller = self._need_traveller(seg)
        if traveller is None:
            return
        number, kind = values.padded(seg.parts, 0, 2)[:2]
        ticket = Ticket(number=number, kind=kind or None, fare_basis=traveller.fare_basis)
        traveller.tickets.append(ticket)
        self.ticket, self.payment, self.section = ticket, None, TKT

    def _mon(self, seg: edifact.Segment) -> None:
        if self.ticket is None or self.section not in (TKT, FOP):
            self._misplaced(seg, "outside a ticket group")
            return
        for element in seg.parts:
            comps = element.split(US)
            amount = values.number(comps[1], self.decimal) if len(comps) > 1 else None
            kind = comps[0].strip().upper()
            if kind == "B":
                self.ticket.fare_base = amount
            elif kind == "T":
                self.ticket.fare_total = amount
            if len(comps) > 2 and comps[2].strip():
                self.ticket.currency = comps[2].strip().upper()

    def _ptk(self, seg: edifact.Segment) -> None:
        if self.ticket is None or self.section not in (TKT, FOP):
            self._misplaced(seg, "outside a ticket group")
            return
        parts = seg.parts
        day, time = values.padded(parts, 2, 2)[:2]
        self.ticket.issued = values.ddmmyy(day, time) or self.ticket.issued
        self.ticket.issuing_airline = _c(parts, 3).upper() or None
        self.ticket.issuing_location = _c(parts, 5).upper() or None

    def _txd(self, seg: edifact.Segment) -> None:
        if self.ticket is None or self.section not in (TKT, FOP):
            self._misplaced(seg, "outside a ticket group")
            return
        for element in seg.parts[1:]:
            comps = [c.strip() for c in element.split(US)] + ["", "", "", ""]
            if comps[0] or comps[3]:
                self.ticket.taxes.append((values.number(comps[0], self.decimal),
                                          comps[3].upper() or comps[1].upper()))

    def _fop(self, seg: edifact.Segment) -> None:
        in_pax = self.section in PAX_SECTIONS and self.traveller is not None
        holder = self.traveller if in_pax else self.booking
        assert holder is not None
        for element in seg.parts:
            if element.strip(US + " "):
                self.payment = values.payment_of(element.split(US), self.decimal)
                holder.payments.append(self.payment)
        if self.section in (PNR, *PAX_SECTIONS):
            self.section = FOP


PnrReader.HANDLERS = {
    "RCI": PnrReader._rci, "DAT": PnrReader._dat, "ORG": PnrReader._org,
    "IFT": PnrReader._ift, "ADD": PnrReader._add, "EBD": PnrReader._ebd,
    "TIF": PnrReader._tif, "FTI": PnrReader._fti, "REF": PnrReader._ref,
    "FAR": PnrReader._far, "SSR": PnrReader._ssr, "TKT": PnrReader._tkt,
    "MON": PnrReader._mon, "PTK": PnrReader._ptk, "TXD": PnrReader._txd,
    "FOP": PnrReader._fop, "TVL": PnrReader._tvl, "TRA": PnrReader._tra,
    "RPI": PnrReader._rpi, "APD": PnrReader._apd, "TRI": PnrReader._tri,
    "SSD": PnrReader._ssd, "TBD": PnrReader._tbd, "EQN": PnrReader._eqn,
    "MSG": PnrReader._msg, "ABI": PnrReader._abi, "SAC": PnrReader._sac,
    "SRC": PnrReader._noop,
}
