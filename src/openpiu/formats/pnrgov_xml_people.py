"""PNRGOV XML, inside one PNR: travellers, SSRs, tickets, payments, itinerary, check-in.

Part of :mod:`openpiu.formats.pnrgov_xml` (kept apart so each module stays
readable).  It mirrors the EDIFACT readers (:mod:`~openpiu.formats.pnrgov_pnr`,
:mod:`~openpiu.formats.pnrgov_ssr`) and reuses their value helpers, so an SSR DOCS
sent as free text, a ``//`` e-mail or a glued title come out exactly as they do
from EDIFACT.  A traveller exists only through a ``Passenger`` element; seats,
check-ins and bags under ``Flight`` name one by reference and never add one.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from openpiu.formats import pnrgov_segments as values
from openpiu.formats import pnrgov_xml_map as xmap
from openpiu.formats.pnrgov_xml_trip import TripMixin, country, day_of, number_of, when
from openpiu.model import (
    Address,
    BookedTraveller,
    Booking,
    Contact,
    FrequentFlyer,
    ItinerarySegment,
    Payment,
    Seat,
    SpecialService,
    Ticket,
    TravelDocument,
)

if TYPE_CHECKING:
    from openpiu.formats.pnrgov_xml import XmlPushReader

# SSRs about one person: at PNR level they go to the traveller they name.
_PERSONAL = frozenset(("DOCS", "DOCO", "DOCA", "FOID", "FQTV", "SEAT", "CTCE", "CTCM"))


class PeopleReader(TripMixin):
    """Reads the Passenger elements of one PNR (and, through TripMixin, its Flights)."""

    def __init__(self, push: XmlPushReader) -> None:
        self.push = push

    def start(self, booking: Booking, ref_date: date | None) -> None:
        self.booking = booking
        self.warnings = booking.warnings
        self.ref_date = ref_date  # the flight date: anchors two-digit years
        self.by_ref: dict[str, BookedTraveller] = {}

    def finish(self) -> None:
        for traveller in self.booking.travellers:
            for ticket in traveller.tickets:
                ticket.fare_basis = ticket.fare_basis or traveller.fare_basis

    def _g(self, e: Element, node: str, name: str) -> str | None:
        return self.push.get(e, node, name)

    def _up(self, e: Element, node: str, name: str) -> str | None:
        return (self.push.get(e, node, name) or "").upper() or None

    def _where(self, e: Element) -> str:
        return f"{e.tag} at line {self.push.line(e)}"

    def find(self, ref: str | None) -> BookedTraveller | None:
        if ref:
            return self.by_ref.get(ref)
        travellers = self.booking.travellers
        return travellers[0] if len(travellers) == 1 else None

    # -- Passenger (GR2) -------------------------------------------------------------
    def passenger(self, e: Element) -> None:
        kids = self.push.visit(e, "passenger")
        surname = " ".join((self._g(e, "passenger", "surname") or "").upper().split())
        raw = " ".join(x for x in (self._g(e, "passenger", "given"),
                                   self._g(e, "passenger", "middle")) if x).upper()
        prefix = (self._g(e, "passenger", "title") or "").upper().strip(" .") or None
        given, glued = values.strip_title(raw)
        if prefix is not None and glued != prefix:
            given = " ".join(raw.split())  # the title came apart: the name is whole
        kind = self._up(e, "passenger", "type")
        ref = self._g(e, "passenger", "ref")
        gender = self._up(e, "passenger", "gender")
        t = BookedTraveller(
            ref=ref, surname=surname, given_names=given, raw_given_names=raw,
            title=prefix or glued, passenger_type=xmap.PASSENGER_TYPES.get(kind or "", kind),
            dob=day_of(self._g(e, "passenger", "dob"), self.ref_date, "birth"),
            gender=gender[:1] if gender and gender[:1] in "MFUX" else None,
            unique_ref=self._g(e, "passenger", "unique_ref"),
        )
        if not surname:
            self.warnings.append(f"traveller without a surname ({self._where(e)})")
        self.booking.travellers.append(t)
        if ref:
            if ref in self.by_ref:
                self.warnings.append(f"traveller reference repeated ({self._where(e)})")
            self.by_ref.setdefault(ref, t)
        for x in kids["loyalty"]:
            self.push.visit(x, "loyalty")
            number = (self._g(x, "loyalty", "number") or "").replace(" ", "")
            if number:
                t.frequent_flyers.append(FrequentFlyer(self._up(x, "loyalty", "airline"), number,
                                                       self._g(x, "loyalty", "tier")))
        for x in kids["excess_bag"]:
            self.baggage(x, "excess_bag", "EXCESS")
        for x in kids["fare"]:
            self.push.visit(x, "fare")
            t.fare_basis = t.fare_basis or self._g(x, "fare", "fare_basis")
        for x in kids["contact"]:
            self.contact(x, t)
        for x in kids["doc_ssr"]:
            docs = self.push.visit(x, "doc_ssr")
            for d in docs["docs"]:
                self._docs(d, t)
            for d in docs["doco"]:
                self._doco(d, t)
            for d in docs["doca"]:
                self._doca(d, t)
        for x in kids["ssr"]:
            self.ssr(x, t, None)
        for x in kids["remark"]:
            self.remark(x, t)
        for x in kids["ticket"]:
            self._ticket(x, t)
        for x in kids["payment"]:
            t.payments.append(self.payment(x))
        for x in kids["bag"]:
            t.bags.append(self.bag(x, None))

    # -- documents ------------------------------------------------------------------
    def _docs(self, e: Element, t: BookedTraveller, text: str | None = None) -> None:
        if text is None:
            self.push.visit(e, "docs")
            number = self._g(e, "docs", "number")
            text = None if number or self._g(e, "docs", "doc_type") else self._g(e, "docs", "text")
        if text is not None:  # the EDIFACT free text /P/ISS/NUM/NAT/DOB/G/EXP/...
            fields, shifted = values.docs_fields(text)
            if shifted:
                self.warnings.append(f"DOCS fields shifted by one ({self._where(e)}); realigned")
            doc, dob, gender, nationality, infant = values.docs_document(fields, self.ref_date)
        else:
            g = (self._up(e, "docs", "gender") or "")
            infant = g in ("MI", "FI", "UI")
            gender = g[:1] if g[:1] in ("M", "F", "U", "X") else None
            doc = TravelDocument(doc_type=self._up(e, "docs", "doc_type") or "?",
                                 number=(self._g(e, "docs", "number") or "").upper(),
                                 issuing_country=country(self._g(e, "docs", "issuer")),
                                 expiry=day_of(self._g(e, "docs", "expiry"), self.ref_date,
                                               "expiry"))
            dob = day_of(self._g(e, "docs", "dob"), self.ref_date, "birth")
            nationality = country(self._g(e, "docs", "nationality"))
        problem = values.apply_docs(t, doc, dob, gender, nationality, infant,
                                    SpecialService("DOCS", "HK", text or None))
        if problem == "infant":
            self.warnings.append(f"infant DOCS under an adult ({self._where(e)}); kept as a "
                                 "service, not as the adult's identity")
        elif problem == "no_number":
            self.warnings.append(f"DOCS without a document number ({self._where(e)})")

    def _doco(self, e: Element, t: BookedTraveller, text: str | None = None) -> None:
        if text is None:
            self.push.visit(e, "doco")
            number = (self._g(e, "doco", "number") or "").upper()
            if number:
                t.documents.append(TravelDocument(
                    doc_type=self._up(e, "doco", "doc_type") or "V", number=number,
                    issuing_country=country(self._g(e, "doco", "country")),
                    issue_date=day_of(self._g(e, "doco", "issue_date"), self.ref_date, "issue")))
                return
            text = self._g(e, "doco", "text") or ""
        document = values.doco_document(text, self.ref_date)
        if document is not None:
            t.documents.append(document)

    def _doca(self, e: Element, t: BookedTraveller, text: str | None = None) -> None:
        if text is None:
            self.push.visit(e, "doca")
            address = self._address(e, "doca")
            if address is not None:
                t.addresses.append(address)
                return
            text = self._g(e, "doca", "text") or ""
        address = values.doca_address(text)
        if address is not None:
            t.addresses.append(address)

    def _address(self, e: Element, node: str) -> Address | None:
        a = Address(street=self._g(e, node, "street"), city=self._g(e, node, "city"),
                    subdivision=self._g(e, node, "subdivision"),
                    postcode=self._g(e, node, "postcode"),
                    country=country(self._g(e, node, "country")))
        return a if any((a.street, a.city, a.subdivision, a.postcode, a.country)) else None

    # -- contacts, remarks, baggage text ---------------------------------------------------
    def contact(self, e: Element, t: BookedTraveller | None) -> None:
        holder: BookedTraveller | Booking = t if t is not None else self.booking
        kids = self.push.visit(e, "contact")
        for x in kids["phone"]:
            self.push.visit(x, "phone")
            self.add_contact("CTCM", self._g(x, "phone", "value") or "", x, t)
        for x in kids["email"]:
            self.push.visit(x, "email")
            self.add_contact("CTCE", self._g(x, "email", "value") or "", x, t)
        for x in kids["address"]:
            self.push.visit(x, "address")
            address = self._address(x, "address")
            if address is not None:
                holder.addresses.append(address)

    def add_contact(self, code: str, value: str, e: Element, t: BookedTraveller | None) -> None:
        if code == "CTCE":
            value, repaired = values.email_of(value)
            kind = "email"
            if repaired:
                self.warnings.append(f"e-mail with '//' for '@' repaired ({self._where(e)})")
        else:
            value, kind = values.phone_of(value), "phone"
        if value:
            (t if t is not None else self.booking).contacts.append(Contact(kind, value))

    def remark(self, e: Element, t: BookedTraveller | None) -> None:
        self.push.visit(e, "remark")
        text = " ".join((self._g(e, "remark", "text") or "").split())
        if t is None:
            t = self.by_ref.get(self._g(e, "remark", "ref") or "")
        if not text:
            return
        contact = values.contact_osi(text)
        if contact is not None:
            self.add_contact(contact[0], contact[1], e, t)
        else:
            (t.remarks if t is not None else self.booking.remarks).append(text)

    def baggage(self, e: Element, node: str, label: str) -> None:
        """PrepaidBag / ExcessBaggage: the booking's baggage text, as EDIFACT EBD."""
        self.push.visit(e, node)
        count, weight = self._g(e, node, "count"), self._g(e, node, "weight")
        unit = self._up(e, node, "unit")
        parts = [label, f"{count} PC" if count else "",
                 f"{weight} {xmap.UNITS.get(unit or '', unit or '')}".strip() if weight else "",
                 self._g(e, node, "text") or ""]
        text = " ".join(p for p in parts if p)
        if text != label:
            self.booking.excess_baggage.append(text)

    # -- SSR ----------------------------------------------------------------------------
    def pnr_ssr(self, e: Element) -> None:
        self.ssr(e, None, None)

    def ssr(self, e: Element, t: BookedTraveller | None, segment: ItinerarySegment | None) -> None:
        """An SSR under a Passenger (``t``), a Flight (``segment``) or the PNR; placed as
        the EDIFACT SSR reader places it."""
        self.push.visit(e, "ssr")
        code = (self._up(e, "ssr", "code") or "").strip()
        text = self._g(e, "ssr", "text") or ""
        board, off = self._up(e, "ssr", "board"), self._up(e, "ssr", "off")
        route = f"{board}-{off}" if board and off else (segment.route if segment else None)
        if t is not None:
            self._apply(e, t, code, text, route)
            return
        ref = self._g(e, "ssr", "ref")
        if segment is not None:
            # Under a Flight only a reference names a traveller (EDIFACT: the SSR's
            # traveller element); at PNR level a one-traveller PNR needs none.
            target = self.by_ref.get(ref) if ref else None
            if target is not None and code in _PERSONAL:
                self._apply(e, target, code, text, route)
            elif code == "SEAT":
                self.warnings.append(f"seat request ({self._where(e)}) names no traveller")
            else:
                holder = target.services if target is not None else self.booking.services
                holder.append(self._service(e, code, text, route))
        elif code not in _PERSONAL:
            self.booking.services.append(self._service(e, code, text, route))
        elif (target := self.find(ref)) is not None:
            self._apply(e, target, code, text, route)
        elif code in ("CTCE", "CTCM"):
            self.add_contact(code, text, e, None)
        else:
            self.booking.services.append(self._service(e, code, text, route))
            self.warnings.append(f"SSR ({self._where(e)}) names no traveller; kept on the PNR")

    def _apply(self, e: Element, t: BookedTraveller, code: str, text: str,
               route: str | None) -> None:
        if code == "DOCS":
            self._docs(e, t, text)
        elif code == "DOCO":
            self._doco(e, t, text)
        elif code == "DOCA":
            self._doca(e, t, text)
        elif code == "FOID":
            document = values.foid_document(text)
            if document is not None:
                t.documents.append(document)
        elif code in ("CTCE", "CTCM"):
            self.add_contact(code, text, e, t)
        elif code == "FQTV":
            value = text.strip("/ ").upper().replace(" ", "")
            airline = self._up(e, "ssr", "airline")
            if len(value) > 2 and value[:2].isalnum() and not value[:2].isdigit():
                airline, value = value[:2], value[2:]
            if value and all(f.number != value for f in t.frequent_flyers):
                t.frequent_flyers.append(FrequentFlyer(airline, value))
        elif code == "SEAT":
            seat = text.strip("/ ").upper()
            if seat:
                t.seats.append(Seat(seat=seat, segment=route))
        else:
            t.services.append(self._service(e, code, text, route))

    def _service(self, e: Element, code: str, text: str, route: str | None) -> SpecialService:
        return SpecialService(code=code or "?", status=self._up(e, "ssr", "status"),
                              text=text or None, airline=self._up(e, "ssr", "airline"),
                              segment=route)

    # -- tickets and payment (GR3, GR4) ----------------------------------------------------
    def _ticket(self, e: Element, t: BookedTraveller) -> None:
        kids = self.push.visit(e, "ticket")
        ticket = Ticket(
            number=self._g(e, "ticket", "number") or "", kind=self._up(e, "ticket", "kind"),
            issued=when(self._g(e, "ticket", "issued")),
            fare_base=number_of(self._g(e, "ticket", "base")),
            fare_total=number_of(self._g(e, "ticket", "total")),
            currency=self._up(e, "ticket", "currency"),
            fare_basis=self._g(e, "ticket", "fare_basis"),
            issuing_airline=self._up(e, "ticket", "issuing_airline"),
            issuing_location=self._up(e, "ticket", "issuing_location"),
        )
        taxes = list(kids["tax"])
        for holder in kids["taxes"]:
            taxes.extend(self.push.visit(holder, "taxes")["tax"])
        for x in taxes:
            self.push.visit(x, "tax")
            amount, code = number_of(self._g(x, "tax", "amount")), self._up(x, "tax", "code")
            if amount is not None or code:
                ticket.taxes.append((amount, code or ""))
        if not ticket.number:
            self.warnings.append(f"ticket without a number ({self._where(e)})")
        t.tickets.append(ticket)
        if self.booking.ticketed_at is None:
            self.booking.ticketed_at = ticket.issued
        for x in kids["payment"]:
            t.payments.append(self.payment(x))

    def payment(self, e: Element) -> Payment:
        """PaymentInfo, through the EDIFACT FOP helper (method codes, card last four)."""
        self.push.visit(e, "payment")

        def g(name: str) -> str:
            return self._g(e, "payment", name) or ""

        p = values.payment_of([g("code"), "", g("amount"), g("card_brand"), g("card_number"),
                               g("card_expiry")], ".")
        p.currency = g("currency").upper() or None
        p.payer_name = g("payer_name") or None
        p.billing_address = g("billing_address") or None
        p.payer_phone = g("payer_phone") or None
        return p
