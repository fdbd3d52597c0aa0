"""Write PNRGOV EDIFACT (13.1 shapes, GTAS grouping) from a :class:`PnrPush`.

The mirror of :mod:`openpiu.formats.pnrgov`: tests round-trip through it and the
benchmark feeds the parser with it.  It writes what a well-behaved carrier sends
(e-mails with ``@``, DOCS fields in place, every locator in RCI), deterministic
for a given push: no clock, no randomness.  EDIFACT syntax (separators, release,
trimming) is :class:`~openpiu.formats.paxlst_writer.EdifactWriter`'s business.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from openpiu.formats.dates import cached_strftime
from openpiu.formats.paxlst_writer import EdifactWriter, cached_writer
from openpiu.model import (
    Bag,
    BookedTraveller,
    Booking,
    Contact,
    Flight,
    ItinerarySegment,
    Leg,
    Payment,
    PnrPush,
    PushKind,
    Ticket,
)

DEFAULT_UNA = ":+.?*'"
_UNITS = {"KGM": "700", "LBR": "701"}
_FOID = {"I": "NI", "P": "PP"}
_NON_AIR_CODES = {"hotel": "8", "car": "9", "rail": "10", "cruise": "11", "tour": "12"}


_ddmmyy = cached_strftime("%d%m%y")
_hhmm = cached_strftime("%H%M")
_ddmonyy = cached_strftime("%d%b%y", upper=True)


def _d(value: datetime | date | None) -> str | None:
    return _ddmmyy(value) if value else None


def _t(value: datetime | date | None) -> str | None:
    return _hhmm(value) if isinstance(value, datetime) else None


def _d7(value: date | None) -> str:
    return _ddmonyy(value) if value else ""


def write_pnrgov(push: PnrPush, una: str = DEFAULT_UNA, *, newline: bool = True) -> bytes:
    w = cached_writer(una, newline)
    body: list[str] = []
    cancel = push.kind is PushKind.CANCEL
    body.append(w.segment("MSG", (None, "141" if push.kind is PushKind.UPDATE else "22")))
    s = push.sender
    if s is not None:
        body.append(w.segment("ORG", (s.system, s.location), (s.agency_id, s.agency_location)))
    flight = push.flight
    if flight is not None:
        legs: list[Leg | None] = list(flight.legs) or [None]
        for leg in legs:
            dep = leg.departure_local if leg else None
            arr = leg.arrival_local if leg else None
            day = dep or flight.flight_date
            body.append(w.segment(
                "TVL", (_d(day), _t(dep), _d(arr), _t(arr)),
                leg.departure_airport if leg else None, leg.arrival_airport if leg else None,
                flight.carrier, flight.number))
    body.append(w.segment("EQN", len(push.bookings) or (1 if cancel else 0)))
    if cancel:
        cancelled: list[Booking | None] = list(push.bookings) or [None]
        for booking in cancelled:
            locators = booking.locators if booking else []
            body.append(w.segment("SRC"))
            body.append(w.segment("RCI", *[(sys, loc) for sys, loc in locators]))
            body.append(w.segment("ORG"))
    else:
        for booking in push.bookings:
            body.extend(_booking(w, booking))
    env = push.envelope
    ref = env.message_ref or "1"
    access = env.common_access_ref or _access_ref(push)
    prepared = env.prepared_at or datetime(2000, 1, 1)
    interchange = env.interchange_ref or "1"
    out = [w.una_segment(),
           w.segment("UNB", ("IATA", "1"), env.sender or "ZZ", env.recipient or "PIU",
                     (prepared.strftime("%y%m%d"), prepared.strftime("%H%M")), interchange),
           w.segment("UNH", ref, ("PNRGOV", "13", "1", "IA"), access),
           *body,
           w.segment("UNT", len(body) + 2, ref),
           w.segment("UNZ", 1, interchange)]
    return "".join(out).encode("utf-8")


def _access_ref(push: PnrPush) -> str | None:
    return None if push.flight is None else flight_access_ref(push.flight)


def flight_access_ref(flight: Flight) -> str:
    """UNH 0068 of a flight's pushes, e.g. ``ZZ0123/150325/0815``."""
    dep = flight.legs[0].departure_local if flight.legs else None
    day = _d(dep or flight.flight_date) or ""
    return f"{flight.carrier}{flight.number.zfill(4)}/{day}/{_t(dep) or '0000'}"


def _booking(w: EdifactWriter, b: Booking) -> list[str]:
    out = [w.segment("SRC")]
    rci = []
    for i, (system, locator) in enumerate(b.locators or [(b.reservation_system, b.record_locator)]):
        created = b.created_at if i == 0 else None
        rci.append((system, locator, None, _d(created), _t(created)))
    out.append(w.segment("RCI", *rci))
    dates = [(q, v) for q, v in (("700", b.last_modified), ("710", b.ticketed_at)) if v]
    if dates:
        out.append(_dat(w, dates))
    o = b.originator
    if o is not None:
        out.append(w.segment("ORG", (o.system, o.location), (o.agency_id, o.agency_location),
                             None, None, o.kind, (o.country, o.currency), o.agent_id))
    for address in b.addresses:
        out.append(w.segment("ADD", None, ("702", address.street, address.city,
                                           address.subdivision, address.country, address.postcode)))
    out.extend(_contacts(w, b.contacts))
    out.extend(w.segment("IFT", ("3",), text) for text in b.remarks)
    out.extend(w.segment("EBD", text) for text in b.excess_baggage)
    for service in b.services:
        out.append(_ssr(w, service.code, service.status, service.airline, service.segment,
                        service.text))
    for payment in b.payments:  # PNR-level FOP: before the first TIF, or it is a traveller's
        out.extend(_payment(w, payment))
    refs = [t.ref or str(i + 1) for i, t in enumerate(b.travellers)]
    for traveller, ref in zip(b.travellers, refs, strict=True):
        out.extend(_traveller(w, traveller, ref))
    air = [s for s in b.itinerary if s.kind == "air"]
    for segment in air:
        out.extend(_segment(w, segment, b.travellers, refs))
    if b.split_locators:
        out.append(w.segment("EQN", len(b.split_locators)))
        out.append(w.segment("RCI", *[(None, loc) for loc in b.split_locators]))
    for segment in b.itinerary:
        if segment.kind != "air":
            out.append(w.segment("MSG", _NON_AIR_CODES.get(segment.kind, "13")))
            out.append(_tvl(w, segment))
    if b.history:
        out.append(w.segment("ABI", "1"))
        for item in b.history:
            if item.at:
                out.append(_dat(w, [("1", item.at)]))
            out.append(w.segment("SAC", None, None, item.action))
            if item.what:
                out.append(w.segment("IFT", ("3",), item.what.removeprefix("IFT ")))
    return out


def _contacts(w: EdifactWriter, contacts: list[Contact]) -> list[str]:
    head, esc, eol = f"IFT{w.element}4{w.component}28{w.element}", w.escape, w.eol
    return [head + esc(("CTCE " if c.kind == "email" else "CTCM ") + c.value) + eol
            for c in contacts if c.kind in ("email", "phone")]


def _dat(w: EdifactWriter, stamps: Sequence[tuple[str, datetime | date | None]]) -> str:
    """DAT of (qualifier, when) pairs; a date without a time keeps its empty slot."""
    e, c = w.element, w.component
    parts = ["DAT"]
    for q, v in stamps:
        if not isinstance(v, datetime):
            return w.segment("DAT", *[(q, _d(v), _t(v)) for q, v in stamps])
        parts.append(f"{e}{q}{c}{_ddmmyy(v)}{c}{_hhmm(v)}")  # digits: nothing to release
    return "".join(parts) + w.eol


def _ssr(w: EdifactWriter, code: str, status: str | None, airline: str | None,
         route: str | None, text: str | None, *more: tuple[str | None, ...]) -> str:
    board, _, off = (route or "").partition("-")
    return w.segment("SSR", (code, status, None, airline, None, None, board or None,
                             off or None, text), *more)


# The fixed-shape segments below are f-strings: their last value is never empty
# (a ref, a "/..." text), so nothing is trimmed, and only data is escaped.  Same
# bytes as ``w.segment``, a fraction of the cost on the generator's corpus.
def _tif(w: EdifactWriter, surname: str, given: str, ptype: str | None, ref: str) -> str:
    e, c, esc = w.element, w.component, w.escape
    return f"TIF{e}{esc(surname)}{e}{esc(given)}{c}{esc(ptype or '')}{c}{esc(ref)}{w.eol}"


def _ssr_hk(w: EdifactWriter, code: str, text: str) -> str:
    """``_ssr(w, code, "HK", None, None, text)`` for a non-empty ``text``."""
    c = w.component
    return f"SSR{w.element}{code}{c}HK{c * 7}{w.escape(text)}{w.eol}"


def _traveller(w: EdifactWriter, t: BookedTraveller, ref: str) -> list[str]:
    given = t.raw_given_names or (t.given_names + (t.title or ""))
    out = [_tif(w, t.surname, given, t.passenger_type, ref)]
    for ff in t.frequent_flyers:
        out.append(w.segment("FTI", (ff.airline, ff.number, None, None, ff.tier)))
    out.extend(_contacts(w, t.contacts))
    out.extend(w.segment("IFT", ("3",), text) for text in t.remarks)
    if t.unique_ref:
        out.append(f"REF{w.element}{w.component}{w.escape(t.unique_ref)}{w.eol}")
    if t.fare_basis:
        out.append(w.segment("FAR", "N", None, None, None, None, t.fare_basis))
    identity = [d for d in t.documents if d.doc_type not in ("V", "K", "R")]
    first = identity[0] if identity else None
    if first is not None or t.dob or t.gender:
        fields = [first.doc_type if first else "", (first.issuing_country or "") if first else "",
                  first.number if first else "", t.nationality or "", _d7(t.dob), t.gender or "",
                  _d7(first.expiry) if first else "", t.surname, t.given_names]
        out.append(_ssr_hk(w, "DOCS", "/" + "/".join(fields)))
    for doc in identity[1:]:
        out.append(_ssr_hk(w, "FOID", "/" + _FOID.get(doc.doc_type, doc.doc_type) + doc.number))
    for doc in t.documents:
        if doc.doc_type in ("V", "K", "R"):
            text = (f"//{doc.doc_type}/{doc.number}//{_d7(doc.issue_date)}/"
                    f"{doc.issuing_country or ''}")
            out.append(_ssr_hk(w, "DOCO", text))
    for a in t.addresses:
        text = "/".join(["", "R", a.country or "", a.street or "", a.city or "",
                         a.subdivision or "", a.postcode or ""])
        out.append(_ssr_hk(w, "DOCA", text))
    for service in t.services:
        out.append(_ssr(w, service.code, service.status, service.airline, service.segment,
                        service.text))
    for seat in t.seats:
        if seat.source == "requested" and not seat.segment:
            out.append(_ssr(w, "SEAT", "HK", None, None, None, (seat.seat, None, ref)))
    for bag in t.bags:
        if not bag.segment:
            out.append(_tbd(w, bag))
    for ticket in t.tickets:
        out.extend(_ticket(w, ticket))
    for payment in t.payments:
        out.extend(_payment(w, payment))
    return out


# Rendered ticket and payment blocks by content: a traveller's ticket and payment
# are the same in the T-72, T-24 and closure pushes, so each is built once.  Keys
# hold the writer, so each UNA has its own; bounded like the segment cache.
_BLOCKS: dict[tuple[object, ...], list[str]] = {}


def _remember(key: tuple[object, ...], block: list[str]) -> list[str]:
    if len(_BLOCKS) >= 20_000:
        _BLOCKS.clear()
    _BLOCKS[key] = block
    return block


def _ticket(w: EdifactWriter, k: Ticket) -> list[str]:
    key = (w, "TKT", k.number, k.kind, k.issued, k.fare_base, k.fare_total, k.currency,
           tuple(k.taxes), k.issuing_airline, k.issuing_location)
    block = _BLOCKS.get(key)
    return block if block is not None else _remember(key, _ticket_block(w, k))


def _ticket_block(w: EdifactWriter, k: Ticket) -> list[str]:
    e, c, esc = w.element, w.component, w.escape
    out = [f"TKT{e}{esc(k.number)}{c}{esc(k.kind or '')}{c}1{w.eol}"]
    money = [(q, w.number(v), k.currency) for q, v in (("B", k.fare_base), ("T", k.fare_total))
             if v is not None]
    if money:
        out.append(w.segment("MON", *money))
    if isinstance(k.issued, datetime) and k.issuing_location:
        out.append(f"PTK{e}NR{e}{e}{_ddmmyy(k.issued)}{c}{_hhmm(k.issued)}{e}"
                   f"{esc(k.issuing_airline or '')}{e}{e}{esc(k.issuing_location)}{w.eol}")
    elif k.issued or k.issuing_airline or k.issuing_location:
        out.append(w.segment("PTK", "NR", None, (_d(k.issued), _t(k.issued)),
                             k.issuing_airline, None, k.issuing_location))
    if k.taxes:
        out.append(w.segment("TXD", None, *[(None if a is None else w.number(a), None, None, c)
                                            for a, c in k.taxes]))
    return out


def _payment(w: EdifactWriter, p: Payment) -> list[str]:
    key = (w, "FOP", p.code, p.card_number, p.card_last4, p.amount, p.card_brand,
           p.card_expiry, p.payer_name, p.billing_address, p.payer_phone)
    block = _BLOCKS.get(key)
    return block if block is not None else _remember(key, _payment_block(w, p))


def _payment_block(w: EdifactWriter, p: Payment) -> list[str]:
    number = p.card_number or (("X" * 12 + p.card_last4) if p.card_last4 else None)
    amount = None if p.amount is None else w.number(p.amount)
    out = [w.segment("FOP", (p.code or "MS", None, amount, p.card_brand, number, p.card_expiry))]
    if p.payer_name or p.billing_address or p.payer_phone:
        out.append(w.segment("IFT", ("4", "43"), p.payer_name, p.billing_address, p.payer_phone))
    return out


def _tvl(w: EdifactWriter, s: ItinerarySegment) -> str:
    dep, arr = s.departure_local, s.arrival_local
    return w.segment("TVL", (_d(dep), _t(dep), _d(arr), _t(arr)), s.departure_airport,
                     s.arrival_airport, s.carrier, (s.number, s.booking_class))


def _tbd(w: EdifactWriter, bag: Bag) -> str:
    weight = None if bag.weight is None else w.number(bag.weight)
    unit = _UNITS.get(bag.unit or "", bag.unit)
    if (bag.count is not None and unit and bag.pool
            and all(n is not None and dest for _, n, dest in bag.tags)):
        # Last component of every composite, and the last element, non-empty.
        e, c, esc = w.element, w.component, w.escape
        tagged = "".join(f"{e}{c}{esc(tag or '')}{c}{esc(str(n))}{c}{esc(dest or '')}"
                         for tag, n, dest in bag.tags)
        return (f"TBD{e}{e}{esc(str(bag.count))}{c}{esc(weight or '')}{c}{esc(unit)}{e}{e}"
                f"{esc(bag.pool)}{tagged}{w.eol}")
    tags = [(None, tag, count, dest) for tag, count, dest in bag.tags]
    return w.segment("TBD", None, (bag.count, weight, unit), None, bag.pool, *tags)


def _segment(w: EdifactWriter, s: ItinerarySegment, travellers: list[BookedTraveller],
             refs: list[str]) -> list[str]:
    route = s.route
    out = [_tvl(w, s)]
    if s.operating_carrier:
        out.append(w.segment("TRA", s.operating_carrier, s.operating_number))
    if s.status:
        out.append(w.segment("RPI", len(travellers), s.status))
    if s.equipment:
        out.append(w.segment("APD", s.equipment))
    seats = [(seat.seat, None, ref) for t, ref in zip(travellers, refs, strict=True)
             for seat in t.seats if seat.segment == route and seat.source == "requested"]
    if seats:
        out.append(_ssr(w, "SEAT", "HK", s.carrier, route, None, *seats))
    checked = [(t, ref) for t, ref in zip(travellers, refs, strict=True)
               if any(c.segment == route for c in t.checkins)
               or any(x.segment == route and x.source == "actual" for x in t.seats)
               or any(b.segment == route for b in t.bags)]
    if not checked:
        return out
    first = next((c for t, _ in checked for c in t.checkins if c.segment == route), None)
    at = first.at_local if first else None
    out.append(_dat(w, [("2", at)]))
    if first is not None and first.agent:
        out.append(w.segment("ORG", (s.carrier, s.departure_airport), None, None, None, None,
                             None, first.agent))
    for t, ref in checked:
        checkin = next((c for c in t.checkins if c.segment == route), None)
        seq = w.escape(checkin.sequence or "") if checkin else ""
        out.append(f"TRI{w.element}{w.element}{seq}{w.component * 3}{w.escape(ref)}{w.eol}")
        out.append(_tif(w, t.surname, t.raw_given_names or t.given_names, t.passenger_type, ref))
        for seat in t.seats:
            if seat.segment == route and seat.source == "actual":
                out.append(f"SSD{w.element}{w.escape(seat.seat)}{w.eol}" if seat.seat
                           else w.segment("SSD", seat.seat))
        for bag in t.bags:
            if bag.segment == route:
                out.append(_tbd(w, bag))
    return out
