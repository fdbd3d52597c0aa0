"""PNRGOV EDIFACT pushes written straight from a :class:`FlightPlan`.

The bytes are those of ``write_pnrgov(messages.push(...))``: the same segments in
the same order, escaped by the same :class:`EdifactWriter`.  Building the model
first (a ``Booking``, ``BookedTraveller``, ``Ticket``, ``Payment``, ``Seat``, ``Bag``
... for each of a day's 15,000 traveller-pushes) and then reading it back was half
of the generator's PNR time, so this module skips the model for the EDIFACT
habit.  The XML habit (a share of carriers) still goes through the model and
:mod:`openpiu.formats.pnrgov_xml_writer`.  ``tests/synth/test_fast_paths.py``
checks this module against ``write_pnrgov`` of the model, byte for byte.

Within one flight a traveller's name, document, ticket and payment are the same in
the T-72, T-24 and closure pushes (a name correction aside), and a booking's
header does not change either, so each is rendered once per flight and reused.
Nothing outlives the flight: :class:`FlightPnr` is made per flight.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from openpiu.formats.paxlst_writer import Element, cached_writer
from openpiu.formats.pnrgov_writer import (
    _d,
    _d7,
    _dat,
    _ddmmyy,
    _hhmm,
    _t,
    _tif,
    _tvl,
    flight_access_ref,
)
from openpiu.model import ItinerarySegment, PushKind
from openpiu.synth.messages import select
from openpiu.synth.traffic import FlightPlan, Party, Pax


class FlightPnr:
    """The PNRGOV EDIFACT pushes of one flight for one carrier's service string."""

    def __init__(self, plan: FlightPlan, una: str, recipient: str, slashes: bool) -> None:
        self.plan, self.recipient, self.slashes = plan, recipient, slashes
        self.w = w = cached_writer(una, True)
        f, leg = plan.flight, plan.flight.legs[0]
        carrier = f.carrier
        self.route = f"{leg.departure_airport or '?'}-{leg.arrival_airport or '?'}"
        dep, arr = leg.departure_local, leg.arrival_local
        day = dep or f.flight_date
        # MSG is written per push (its code depends on the kind); ORG and TVL not.
        self.flight_head = (
            w.segment("ORG", (carrier, f.origin), (None, None))
            + w.segment("TVL", (_d(day), _t(dep), _d(arr), _t(arr)), leg.departure_airport,
                        leg.arrival_airport, carrier, f.number)  # fmt: skip
        )
        # The booking's one itinerary segment: TVL with the class, RPI, APD.
        self.seg_tvl = w.segment("TVL", (_d(dep), _t(dep), _d(arr), _t(arr)),
                                 leg.departure_airport, leg.arrival_airport, carrier,
                                 (f.number, "Y"))  # fmt: skip
        equipment = plan.route.equipment
        self.apd = w.segment("APD", equipment) if equipment else ""
        board, _, off = self.route.partition("-")
        # SSR SEAT of the segment without its terminator: the seats follow it.
        self.seat_head = w.segment("SSR", ("SEAT", "HK", None, carrier, None, None,
                                           board or None, off or None))[: -len(w.eol)]
        self.checkin_org = w.segment("ORG", (carrier, leg.departure_airport), None, None, None,
                                     None, None, "CKI01")  # fmt: skip
        self.access = flight_access_ref(f)
        self.destination = f.destination or ""
        # Per-flight renderings, keyed by id() with the object kept (so an id is
        # never mistaken for another's): a booking's header, a traveller's
        # ticket and payment, a traveller's name and document block.
        self._heads: dict[int, tuple[Party, str, int]] = {}
        self._money: dict[int, tuple[Pax, str, int]] = {}
        self._names: dict[int, tuple[Pax, str, str, str, int]] = {}

    def push(self, stage: str, ref: str) -> tuple[bytes, datetime, list[Party]] | None:
        """The push of ``stage``: bytes, the time it was sent and its bookings; None
        when it is an update with nothing in it (no such push is sent)."""
        sent, kind, chosen, horizon = select(self.plan, stage)
        if not chosen and kind is PushKind.UPDATE:
            return None
        w = self.w
        close = stage == "close"
        body = [w.segment("MSG", (None, "141" if kind is PushKind.UPDATE else "22")),
                self.flight_head, w.segment("EQN", len(chosen))]  # fmt: skip
        count = 4  # MSG, ORG, TVL, EQN
        for party in chosen:
            count += self._booking(body, party, close, horizon)
        out = [w.una_segment(),
               w.segment("UNB", ("IATA", "1"), self.plan.flight.carrier, self.recipient,
                         (sent.strftime("%y%m%d"), sent.strftime("%H%M")), ref),
               w.segment("UNH", "1", ("PNRGOV", "13", "1", "IA"), self.access),
               *body,
               w.segment("UNT", count + 2, "1"),
               w.segment("UNZ", 1, ref)]  # fmt: skip
        return "".join(out).encode("utf-8"), sent, chosen

    def _booking(self, body: list[str], party: Party, close: bool,
                 horizon: datetime | None) -> int:  # fmt: skip
        """Append one booking's segments to ``body``; returns how many."""
        w = self.w
        e, c, eol, esc = w.element, w.component, w.eol, w.escape
        head = self._heads.get(id(party))
        if head is None or head[0] is not party:
            head = self._heads[id(party)] = (party, *self._booking_head(party))
        body.append(head[1])
        count = head[2]
        refs: list[tuple[Pax, str]] = []
        for n, p in enumerate(party.pax, 1):
            if p.status == "cancelled" and (close or not party.cancelled):
                continue  # a cancelled traveller leaves the booking
            ref = str(n)
            refs.append((p, ref))
            name = self._names.get(id(p))
            if name is None or name[0] is not p or name[1] != p.surname or name[2] != p.given:
                name = self._names[id(p)] = (p, p.surname, p.given, *self._name_block(p, ref))
            body.append(name[3])
            count += name[4]
            if p.bags and not close:
                body.append(f"TBD{e}{e}{p.bags}{c}{c}700{e}{e}{'HP' if ref == '1' else 'MP'}"
                            f"{eol}")  # fmt: skip
                count += 1
            money = self._money.get(id(p))
            if money is None or money[0] is not p:
                money = self._money[id(p)] = (p, *self._money_block(party, p))
            body.append(money[1])
            count += money[2]
        status = "HX" if party.cancelled else "HK"
        for other in party.before:
            count += self._other_leg(body, other, len(refs), status)
        body.append(self.seg_tvl)
        body.append(w.segment("RPI", len(refs), status))
        count += 2
        if self.apd:
            body.append(self.apd)
            count += 1
        seats = [f"{e}{esc(p.seat)}{c}{c}{ref}" for p, ref in refs if p.seat_requested]
        if seats:
            body.append(self.seat_head + "".join(seats) + eol)
            count += 1
        if close:
            count += self._checked(body, [(p, ref) for p, ref in refs if p.status == "boarded"])
        for other in party.after:
            count += self._other_leg(body, other, len(refs), status)
        history = [(at, what) for at, what, _ in party.changes if horizon is None or at <= horizon]
        if history:
            body.append(w.segment("ABI", "1"))
            count += 1
            for at, what in history:
                body.append(f"DAT{e}1{c}{_ddmmyy(at)}{c}{_hhmm(at)}{eol}")
                body.append(w.segment("SAC", None, None, "X" if "cancel" in what else "A"))
                body.append(f"IFT{e}3{e}{esc(what.upper().replace('_', ' '))}{eol}")
                count += 3
        return count

    def _other_leg(self, body: list[str], s: ItinerarySegment, travellers: int,
                   status: str) -> int:  # fmt: skip
        """A connection's leg off the flight (TVL, RPI, APD: no seat or check-in on
        it here), as ``pnrgov_writer._segment`` writes it; returns the count."""
        w = self.w
        body.append(_tvl(w, s))
        body.append(w.segment("RPI", travellers, status))
        if s.equipment:
            body.append(w.segment("APD", s.equipment))
            return 3
        return 2

    def _booking_head(self, party: Party) -> tuple[str, int]:
        """SRC, RCI, DAT, ORG and the contacts: the same in every push of the flight."""
        w, plan, carrier = self.w, self.plan, self.plan.carrier
        created = party.created
        out = [w.segment("SRC"),
               f"RCI{w.element}{w.escape(carrier.system)}{w.component}{w.escape(party.locator)}"
               f"{w.component * 2}{_ddmmyy(created)}{w.component}{_hhmm(created)}{w.eol}",
               _dat(w, [(q, v) for q, v in (("700", party.modified),
                                            ("710", created + timedelta(minutes=20))) if v])]
        a = party.agency
        org: tuple[Element, ...]
        if a is not None:
            org = ((a.system, a.location), (a.iata_number, a.location), None, None, "T",
                   None, "AG" + a.iata_number[-4:])  # fmt: skip
        else:
            office = carrier.code + ("HDQ" if party.channel == "airline" else "WEB")
            org = ((carrier.system, plan.flight.origin), (office, None), None, None, "A",
                   None, None)  # fmt: skip
        out.append(w.segment("ORG", *org))
        head = f"IFT{w.element}4{w.component}28{w.element}"
        if party.phone:
            out.append(head + w.escape("CTCM " + party.phone) + w.eol)
        if party.email:
            email = party.email.replace("@", "//") if self.slashes else party.email
            out.append(head + w.escape("CTCE " + email) + w.eol)
        return "".join(out), len(out)

    def _name_block(self, p: Pax, ref: str) -> tuple[str, int]:
        """TIF, FTI, REF and SSR DOCS: what a name correction changes."""
        w, person = self.w, p.person
        e, c, eol, esc = w.element, w.component, w.eol, w.escape
        out = [_tif(w, p.surname, p.given, p.ptype, ref)]
        code = self.plan.carrier.code
        if person.ff and person.ff_carrier == code:
            out.append(w.segment("FTI", (code, person.ff, None, None, None)))
        out.append(f"REF{e}{c}{esc(p.ticket[-8:])}{eol}")
        doc = person.passport
        given = p.given[: -len(p.title)] if p.title else p.given
        docs = "/".join((doc.doc_type, doc.issuing_country or "", doc.number,
                         person.nationality or "", _d7(person.dob), person.gender or "",
                         _d7(doc.expiry), p.surname, given))  # fmt: skip
        out.append(f"SSR{e}DOCS{c}HK{c * 7}{esc('/' + docs)}{eol}")
        return "".join(out), len(out)

    def _money_block(self, party: Party, p: Pax) -> tuple[str, int]:
        """TKT, MON, PTK, TXD and FOP: fixed once the ticket is issued.  The bytes of
        ``_ticket_block`` and ``_payment_block`` for :func:`messages.ticket` and
        :func:`messages.payment`, without building either."""
        w, plan = self.w, self.plan
        e, c, eol, esc, num = w.element, w.component, w.eol, w.escape, w.number
        issued = party.created + timedelta(minutes=20)
        total = esc(num(round(p.fare * 1.18, 2)))
        office = party.agency.location if party.agency else plan.flight.origin or ""
        if party.payment == "card" and party.card:
            fop = f"CC{c}{c}{total}{c}VI{c}{esc(party.card)}{c}0928"
        else:
            fop = f"{'MS' if party.payment == 'agency' else 'CA'}{c}{c}{total}"
        return (f"TKT{e}{esc(p.ticket)}{c}T{c}1{eol}"
                f"MON{e}B{c}{esc(num(p.fare))}{c}USD{e}T{c}{total}{c}USD{eol}"
                f"PTK{e}NR{e}{e}{_ddmmyy(issued)}{c}{_hhmm(issued)}{e}"
                f"{esc(plan.carrier.code)}{e}{e}{esc(office)}{eol}"
                f"TXD{e}{e}{esc(num(round(p.fare * 0.18, 2)))}{c * 3}YQ{eol}"
                f"FOP{e}{fop}{eol}"), 5  # fmt: skip

    def _checked(self, body: list[str], checked: list[tuple[Pax, str]]) -> int:
        """The closure's check-in block of the itinerary segment; returns its count."""
        if not checked:
            return 0
        w = self.w
        e, c, eol, esc = w.element, w.component, w.eol, w.escape
        first = checked[0][0].checkin
        assert first is not None  # boarded travellers have checked in
        body.append(f"DAT{e}2{c}{_ddmmyy(first)}{c}{_hhmm(first)}{eol}")
        body.append(self.checkin_org)
        count = 2
        dest = esc(self.destination)
        for p, ref in checked:
            body.append(f"TRI{e}{e}{p.sequence:03d}{c * 3}{esc(ref)}{eol}")
            body.append(_tif(w, p.surname, p.given, p.ptype, ref))
            body.append(f"SSD{e}{esc(p.seat)}{eol}")
            count += 3
            if p.bags:
                weight = p.bags * 21 + p.sequence % 3
                tagged = f"{e}{c}{esc(p.tag)}{c}{p.bags}{c}{dest}" if p.tag else ""
                body.append(f"TBD{e}{e}{p.bags}{c}{weight}{c}700{e}{e}"
                            f"{'HP' if ref == '1' else 'MP'}{tagged}{eol}")  # fmt: skip
                count += 1
        return count
