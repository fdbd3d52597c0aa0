"""Write PNRGOV XML (``IATA_PNRGOV_NotifRQ``) from a :class:`PnrPush`.

The mirror of :mod:`openpiu.formats.pnrgov_xml`, for tests and benchmarks.  Every
element and attribute name comes from :mod:`openpiu.formats.pnrgov_xml_map` (the
first candidate path of each field), so correcting a name there corrects the
parser and the writer together.  Deterministic for a given push: no clock, no
randomness, attributes in a fixed order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from xml.etree.ElementTree import Element, SubElement, indent

from openpiu.formats import pnrgov_xml_map as xmap
from openpiu.model import (
    Address,
    Bag,
    BookedTraveller,
    Booking,
    Contact,
    ItinerarySegment,
    Leg,
    Payment,
    PnrPush,
    PushKind,
    TravelDocument,
)

_VISA_TYPES = ("V", "K", "R")


def _iso(value: datetime | date | None) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat() if value else None


def _num(value: float | int | None) -> str | None:
    if value is None:
        return None
    return str(value) if isinstance(value, int) else f"{value:.2f}"


# The map's first path of each field and child tag, looked up once: a push writes
# tens of thousands of fields, and walking the map each time was most of ``put``.
_PATHS: dict[tuple[str, str], tuple[tuple[str, ...], str | None]] = {}
_CHILD_TAGS: dict[tuple[str, str], str] = {}


def put(element: Element, node: str, name: str, value: object) -> None:
    """Write ``value`` at the field's first path, creating the elements on the way."""
    if value is None or value == "":
        return
    key = (node, name)
    path = _PATHS.get(key)
    if path is None:
        compiled = xmap.compiled(xmap.MAP[node].fields[name][0])
        path = _PATHS[key] = (compiled.steps, compiled.attr)
    target = element
    for step in path[0]:
        # find() with a plain tag is the first such child, searched in C.
        found = target.find(step)
        target = found if found is not None else SubElement(target, step)
    if path[1]:
        target.set(path[1], str(value))
    else:
        target.text = str(value)


def child(parent: Element, parent_node: str, node: str) -> Element:
    key = (parent_node, node)
    tag = _CHILD_TAGS.get(key)
    if tag is None:
        tag = _CHILD_TAGS[key] = xmap.child_tag(parent_node, node)
    return SubElement(parent, tag)


def write_pnrgov_xml(push: PnrPush, *, namespace: str | None = xmap.IATA_NAMESPACE,
                     pretty: bool = True) -> bytes:
    root = Element(xmap.ROOT)
    if namespace:
        root.set("xmlns", namespace)
    env = push.envelope
    put(root, "push", "version", "13.1")
    put(root, "push", "timestamp", _iso(env.prepared_at))
    put(root, "push", "message_ref", env.message_ref)
    put(root, "push", "kind", xmap.PUSH_KIND_NAMES[push.kind])
    put(root, "push", "declared", len(push.bookings))
    s = push.sender
    if s is not None:
        e = child(root, "push", "originator")
        for name in ("system", "location", "agency_id"):
            put(e, "originator", name, getattr(s, name))
    flight = push.flight
    if flight is not None:
        legs: list[Leg | None] = list(flight.legs) or [None]
        for leg in legs:
            e = child(root, "push", "flight_leg")
            put(e, "flight_leg", "number", flight.number)
            if leg is not None:
                put(e, "flight_leg", "departure", _iso(leg.departure_local))
                put(e, "flight_leg", "arrival", _iso(leg.arrival_local))
                put(e, "flight_leg", "departure_airport", leg.departure_airport)
                put(e, "flight_leg", "arrival_airport", leg.arrival_airport)
            else:
                put(e, "flight_leg", "departure", _iso(flight.flight_date))
            put(e, "flight_leg", "carrier", flight.carrier)
    pnrs = child(root, "push", "pnrs")
    for booking in push.bookings:
        _booking(child(pnrs, "pnrs", "pnr"), booking, push.kind is PushKind.CANCEL)
    if pretty:
        indent(root)
    # Serialised as text and encoded once: the same bytes as encoding="utf-8" (which
    # declares nothing and can encode every character), without a byte-stream
    # wrapper's cost on each of the serialiser's many small writes.
    parts: list[str] = []
    _serialise(root, parts.append)
    body = "".join(parts)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _serialise(elem: Element, write: Callable[[str], object]) -> None:
    """``tostring(elem, encoding="unicode")`` for this writer's trees (plain tags, text
    values, no comments): the same bytes, several times faster, without ElementTree's
    namespace pass over the whole tree and its per-node generality.  Each element
    is one or two writes (most are leaves: attributes only, or a text)."""
    tag = elem.tag
    attrs = "".join([f' {k}="{v.translate(_ATTRIB)}"' for k, v in elem.items()])
    text = elem.text
    if len(elem):
        write(f"<{tag}{attrs}>{_escape_cdata(text)}" if text else f"<{tag}{attrs}>")
        for e in elem:
            _serialise(e, write)
        write(f"</{tag}>")
    elif text:
        write(f"<{tag}{attrs}>{_escape_cdata(text)}</{tag}>")
    else:
        write(f"<{tag}{attrs} />")
    tail = elem.tail
    if tail:
        write(_escape_cdata(tail))


def _escape_cdata(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    return text.replace(">", "&gt;") if ">" in text else text


_ATTRIB = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                         "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"})  # fmt: skip


def _booking(e: Element, b: Booking, cancel: bool) -> None:
    put(e, "pnr", "last_modified", _iso(b.last_modified))
    put(e, "pnr", "ticketed", _iso(b.ticketed_at))
    put(e, "pnr", "group_name", b.group_name)
    for i, (system, locator) in enumerate(b.locators or [(b.reservation_system,
                                                          b.record_locator)]):
        x = child(e, "pnr", "locator")
        put(x, "locator", "locator", locator)
        put(x, "locator", "created", _iso(b.created_at) if i == 0 else None)
        put(x, "locator", "system", system)
    if cancel:
        return
    o = b.originator
    if o is not None:
        x = child(child(e, "pnr", "pos"), "pos", "source")
        for name in ("system", "location", "kind", "country", "currency", "agent_id",
                     "agency_id", "agency_location"):
            put(x, "source", name, getattr(o, name))
    _contacts(e, "pnr", b.contacts, b.addresses)
    for text in b.excess_baggage:
        if text.startswith("PREPAID "):
            put(child(e, "pnr", "prepaid_bag"), "prepaid_bag", "text", text[8:])
    refs = [t.ref or str(i + 1) for i, t in enumerate(b.travellers)]
    for traveller, ref in zip(b.travellers, refs, strict=True):
        _traveller(child(e, "pnr", "passenger"), traveller, ref)
    for service in b.services:
        _ssr(child(e, "pnr", "ssr"), service.code, service.status, service.airline,
             service.segment, service.text)
    for text in b.remarks:
        put(child(e, "pnr", "remark"), "remark", "text", text)
    for payment in b.payments:
        _payment(child(e, "pnr", "payment"), payment)
    for segment in b.itinerary:
        if segment.kind == "air":  # non-air segments have no element in the mapping yet
            _segment(child(e, "pnr", "segment"), segment, b.travellers, refs)
    for locator in b.split_locators:
        put(child(e, "pnr", "split"), "split", "locator", locator)
    if b.history:
        history = child(e, "pnr", "history")
        for item in b.history:
            x = child(history, "history", "history_item")
            put(x, "history_item", "action", item.action)
            put(x, "history_item", "at", _iso(item.at))
            put(x, "history_item", "what", item.what)


def _contacts(parent: Element, parent_node: str, contacts: list[Contact],
              addresses: list[Address]) -> None:
    if not contacts and not addresses:
        return
    e = child(parent, parent_node, "contact")
    for c in contacts:
        if c.kind == "email":
            put(child(e, "contact", "email"), "email", "value", c.value)
        elif c.kind in ("phone", "fax"):
            put(child(e, "contact", "phone"), "phone", "value", c.value)
    for a in addresses:
        _address(child(e, "contact", "address"), "address", a)


def _address(e: Element, node: str, a: Address) -> None:
    for name in ("street", "city", "subdivision", "postcode", "country"):
        put(e, node, name, getattr(a, name))


def _ssr(e: Element, code: str, status: str | None, airline: str | None, route: str | None,
         text: str | None, ref: str | None = None) -> None:
    board, _, off = (route or "").partition("-")
    put(e, "ssr", "code", code)
    put(e, "ssr", "status", status)
    put(e, "ssr", "airline", airline)
    put(e, "ssr", "board", board)
    put(e, "ssr", "off", off)
    put(e, "ssr", "ref", ref)
    put(e, "ssr", "text", text)


def _traveller(e: Element, t: BookedTraveller, ref: str) -> None:
    put(e, "passenger", "ref", ref)
    kind = t.passenger_type
    put(e, "passenger", "type", xmap.PASSENGER_TYPE_NAMES.get(kind or "", kind))
    put(e, "passenger", "unique_ref", t.unique_ref)
    put(e, "passenger", "title", t.title)
    put(e, "passenger", "given", t.given_names)
    put(e, "passenger", "surname", t.surname)
    for ff in t.frequent_flyers:
        x = child(e, "passenger", "loyalty")
        put(x, "loyalty", "airline", ff.airline)
        put(x, "loyalty", "number", ff.number)
        put(x, "loyalty", "tier", ff.tier)
    if t.fare_basis:
        put(child(e, "passenger", "fare"), "fare", "fare_basis", t.fare_basis)
    _contacts(e, "passenger", t.contacts, [])
    for text in t.remarks:
        put(child(e, "passenger", "remark"), "remark", "text", text)
    for service in t.services:
        _ssr(child(e, "passenger", "ssr"), service.code, service.status, service.airline,
             service.segment, service.text)
    for seat in t.seats:
        if seat.source == "requested" and not seat.segment:
            _ssr(child(e, "passenger", "ssr"), "SEAT", "HK", None, None, seat.seat)
    for i, ticket in enumerate(t.tickets):
        x = child(e, "passenger", "ticket")
        put(x, "ticket", "number", ticket.number)
        put(x, "ticket", "kind", ticket.kind)
        put(x, "ticket", "issued", _iso(ticket.issued))
        put(x, "ticket", "issuing_airline", ticket.issuing_airline)
        put(x, "ticket", "issuing_location", ticket.issuing_location)
        if ticket.fare_basis != t.fare_basis:
            put(x, "ticket", "fare_basis", ticket.fare_basis)
        put(x, "ticket", "base", _num(ticket.fare_base))
        put(x, "ticket", "total", _num(ticket.fare_total))
        put(x, "ticket", "currency", ticket.currency)
        if ticket.taxes:
            taxes = child(x, "ticket", "taxes")
            for amount, code in ticket.taxes:
                tax = child(taxes, "taxes", "tax")
                put(tax, "tax", "amount", _num(amount))
                put(tax, "tax", "code", code)
        if i == 0:  # the traveller's payments, with the first ticket (TicketDocument/PaymentInfo)
            for payment in t.payments:
                _payment(child(x, "ticket", "payment"), payment)
    if not t.tickets:
        for payment in t.payments:
            _payment(child(e, "passenger", "payment"), payment)
    for bag in t.bags:
        if not bag.segment:
            _bag(child(e, "passenger", "bag"), bag)
    _documents(e, t)


def _documents(e: Element, t: BookedTraveller) -> None:
    identity = [d for d in t.documents if d.doc_type not in _VISA_TYPES]
    visas = [d for d in t.documents if d.doc_type in _VISA_TYPES]
    if not (identity or visas or t.addresses or t.dob or t.gender or t.nationality):
        return
    holder = child(e, "passenger", "doc_ssr")
    docs: list[TravelDocument | None] = list(identity)
    if not docs and (t.dob or t.gender or t.nationality):
        docs.append(None)  # a DOCS for birth date, gender and nationality alone
    for doc in docs:
        x = child(holder, "doc_ssr", "docs")
        if doc is not None:
            put(x, "docs", "doc_type", doc.doc_type)
            put(x, "docs", "number", doc.number)
            put(x, "docs", "issuer", doc.issuing_country)
            put(x, "docs", "expiry", _iso(doc.expiry))
        put(x, "docs", "nationality", t.nationality)
        put(x, "docs", "dob", _iso(t.dob))
        put(x, "docs", "gender", t.gender)
    for doc in visas:
        x = child(holder, "doc_ssr", "doco")
        put(x, "doco", "doc_type", doc.doc_type)
        put(x, "doco", "number", doc.number)
        put(x, "doco", "issue_date", _iso(doc.issue_date))
        put(x, "doco", "country", doc.issuing_country)
    for a in t.addresses:
        x = child(holder, "doc_ssr", "doca")
        put(x, "doca", "kind", "R")
        _address(x, "doca", a)


def _payment(e: Element, p: Payment) -> None:
    number = p.card_number or (("X" * 12 + p.card_last4) if p.card_last4 else None)
    put(e, "payment", "code", p.code or ("CC" if p.method == "card" else "MS"))
    put(e, "payment", "amount", _num(p.amount))
    put(e, "payment", "currency", p.currency)
    put(e, "payment", "card_brand", p.card_brand)
    put(e, "payment", "card_number", number)
    put(e, "payment", "card_expiry", p.card_expiry)
    put(e, "payment", "payer_name", p.payer_name)
    put(e, "payment", "billing_address", p.billing_address)
    put(e, "payment", "payer_phone", p.payer_phone)


def _bag(e: Element, bag: Bag) -> None:
    put(e, "bag", "count", bag.count)
    put(e, "bag", "weight", _num(bag.weight))
    put(e, "bag", "unit", bag.unit)
    put(e, "bag", "pool", bag.pool)
    for tag, count, destination in bag.tags:
        x = child(e, "bag", "bag_tag")
        put(x, "bag_tag", "tag", tag)
        put(x, "bag_tag", "count", count)
        put(x, "bag_tag", "destination", destination)


def _segment(e: Element, s: ItinerarySegment, travellers: list[BookedTraveller],
             refs: list[str]) -> None:
    route = s.route
    put(e, "segment", "number", s.number)
    put(e, "segment", "departure", _iso(s.departure_local))
    put(e, "segment", "arrival", _iso(s.arrival_local))
    put(e, "segment", "booking_class", s.booking_class)
    put(e, "segment", "status", s.status)
    put(e, "segment", "departure_airport", s.departure_airport)
    put(e, "segment", "arrival_airport", s.arrival_airport)
    put(e, "segment", "carrier", s.carrier)
    put(e, "segment", "operating_carrier", s.operating_carrier)
    put(e, "segment", "operating_number", s.operating_number)
    put(e, "segment", "equipment", s.equipment)
    pairs = list(zip(travellers, refs, strict=True))
    for t, ref in pairs:
        for seat in t.seats:
            if seat.segment == route and seat.source == "requested":
                x = child(e, "segment", "seat")
                put(x, "seat", "ref", ref)
                put(x, "seat", "seat", seat.seat)
    for t, ref in pairs:
        checkin = next((c for c in t.checkins if c.segment == route), None)
        seats = [x for x in t.seats if x.segment == route and x.source == "actual"]
        bags = [b for b in t.bags if b.segment == route]
        if checkin is None and not seats and not bags:
            continue
        x = child(e, "segment", "checkin")
        put(x, "checkin", "ref", ref)
        if checkin is not None:
            put(x, "checkin", "at", _iso(checkin.at_local))
            put(x, "checkin", "sequence", checkin.sequence)
            put(x, "checkin", "status", checkin.status)
            put(x, "checkin", "agent", checkin.agent)
        for seat in seats:
            put(child(x, "checkin", "seat"), "seat", "seat", seat.seat)
        for bag in bags:
            _bag(child(x, "checkin", "bag"), bag)

