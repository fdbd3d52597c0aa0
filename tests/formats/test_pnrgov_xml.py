"""PNRGOV XML parser and writer: the XML twin of the shared example, a small corpus
written by hand (fictional people), namespace variants, tolerated unknown elements,
hostile inputs refused quickly, and round trips through the writer."""

from __future__ import annotations

import os
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from test_pnrgov import make_push  # same directory (pytest's rootdir-less import)

from openpiu.errors import ParseError
from openpiu.formats import pnrgov_xml_load
from openpiu.formats.detect import detect
from openpiu.formats.pnrgov import parse_pnrgov
from openpiu.formats.pnrgov_xml import parse_pnrgov_xml
from openpiu.formats.pnrgov_xml_map import IATA_NAMESPACE, MAP, known_below
from openpiu.formats.pnrgov_xml_writer import write_pnrgov_xml
from openpiu.model import Contact, MessageKind, PnrPush, PushKind, Seat

CORPUS = Path(__file__).parent / "pnrgov_xml_corpus"
HOSTILE = CORPUS / "hostile"
SHARED = Path(
    os.environ.get("PIU_SHARED_DIR") or Path(__file__).resolve().parents[2].parent / "shared"
)
EDI_EXAMPLE = SHARED / "examples" / "pnrgov_example.edi"
SENSITIVE = ("MOML", "WCHR", "KSML", "VGML")
PERSONAL = ("OREILLY", "SEAN", "PA1234567", "1111", "KARIMOV", "PETROVA", "NO MEAT", "EXAMPLE")
BUDGET = 2.0  # seconds: no input may make the parser hang


def parse(name: str) -> PnrPush:
    (push,) = parse_pnrgov_xml((CORPUS / name).read_bytes()).pushes
    return push


def all_warnings(push: PnrPush) -> list[str]:
    return push.warnings + [w for b in push.bookings for w in b.warnings]


def refused(data: bytes, **kwargs: int) -> ParseError:
    start = time.perf_counter()
    with pytest.raises(ParseError) as info:
        parse_pnrgov_xml(data, **kwargs)
    elapsed = time.perf_counter() - start
    assert elapsed < BUDGET, f"refusal took {elapsed:.2f} s"
    assert info.value.detail.strip() and info.value.position is not None
    return info.value


# -- the XML twin of the shared EDIFACT example ---------------------------------------------

def test_example_push_and_flight() -> None:
    result = parse_pnrgov_xml((CORPUS / "example.xml").read_bytes())
    assert result.kind is MessageKind.PNRGOV_XML and not result.warnings
    (push,) = result.pushes
    assert push.xml and push.kind is PushKind.FULL and push.declared_bookings == 1
    assert push.flight is not None and push.flight.key == "ZZ123/2025-03-15"
    assert (push.flight.origin, push.flight.destination) == ("IST", "DYU")
    utc = push.flight.legs[0].departure_utc
    assert utc is not None and utc.replace(tzinfo=None) == datetime(2025, 3, 15, 5, 15)
    assert push.sender is not None and push.sender.system == "ZZ"
    assert push.envelope.message_ref == "000000911"
    assert push.envelope.message_type == "IATA_PNRGOV_NotifRQ:13.1"


def test_example_booking() -> None:
    (booking,) = parse("example.xml").bookings
    assert booking.record_locator == "ABC123" and booking.reservation_system == "ZZ"
    assert booking.created_at is None  # as in the EDIFACT example: RCI without a date
    assert booking.last_modified == datetime(2025, 3, 10, 14, 12)
    o = booking.originator
    assert o is not None and (o.system, o.kind, o.country, o.currency, o.agent_id) == (
        "1A", "T", "TUR", "TRY", "IST0101")
    assert o.agency_id == "33112244"
    assert Contact("phone", "902125550199") in booking.contacts
    assert booking.addresses[0].city == "ISTANBUL" and booking.addresses[0].country == "TUR"
    assert booking.excess_baggage == ["PREPAID 1 PC 23 KGM"]
    (segment,) = booking.itinerary
    assert (segment.route, segment.booking_class, segment.status, segment.equipment) == (
        "IST-DYU", "Y", "HK", "738")


def test_example_traveller() -> None:
    (traveller,) = parse("example.xml").bookings[0].travellers
    assert (traveller.surname, traveller.given_names, traveller.title) == ("OREILLY", "SEAN", "MR")
    assert traveller.ref == "1" and traveller.passenger_type == "A"
    (doc,) = traveller.documents
    assert (doc.doc_type, doc.number, doc.issuing_country, doc.expiry) == (
        "P", "PA1234567", "IRL", date(2030, 1, 1))
    assert (traveller.dob, traveller.gender, traveller.nationality) == (
        date(1985, 1, 1), "M", "IRL")
    assert Contact("email", "SEAN.OREILLY@EXAMPLE.COM") in traveller.contacts
    assert traveller.frequent_flyers[0].number == "123456789"
    assert traveller.frequent_flyers[0].tier == "SILVER"


def test_example_ticket_payment_seat_bag() -> None:
    push = parse("example.xml")
    (traveller,) = push.bookings[0].travellers
    (ticket,) = traveller.tickets
    assert ticket.number == "1234567890123" and ticket.fare_basis == "YOWTR"
    assert (ticket.fare_base, ticket.fare_total, ticket.currency) == (250.0, 310.0, "USD")
    assert ticket.taxes == [(60.0, "YQ")]
    (payment,) = traveller.payments
    assert (payment.method, payment.card_brand, payment.card_last4) == ("card", "VI", "1111")
    assert payment.card_number == "XXXXXXXXXXXX1111"  # the privacy filter hashes it later
    assert payment.payer_name == "SEAN OREILLY"
    assert Seat("14C", "IST-DYU", "requested") in traveller.seats
    assert Seat("14C", "IST-DYU", "actual") in traveller.seats
    (bag,) = traveller.bags
    assert (bag.count, bag.weight, bag.unit, bag.pool) == (1, 23.0, "KGM", "HP")
    assert bag.tags == [("0123456789", 1, "DYU")]
    (checkin,) = traveller.checkins
    assert checkin.at_local == datetime(2025, 3, 15, 6, 30) and checkin.sequence == "001"


def test_example_sensitive_code_parsed_never_in_warnings() -> None:
    push = parse("example.xml")
    traveller = push.bookings[0].travellers[0]
    assert [s.code for s in traveller.services] == ["MOML"]  # the privacy filter's job
    warnings = all_warnings(push)
    assert any("'//'" in w and "line" in w for w in warnings)
    assert not any(word in w for w in warnings for word in SENSITIVE + PERSONAL)


def test_example_matches_the_edifact_example() -> None:
    if not EDI_EXAMPLE.exists():
        pytest.skip(f"shared example {EDI_EXAMPLE} absent")
    (edi,) = parse_pnrgov(EDI_EXAMPLE.read_bytes()).pushes
    xml = parse("example.xml")
    assert xml.flight is not None and edi.flight is not None
    assert xml.flight.key == edi.flight.key
    (b_xml,), (b_edi,) = xml.bookings, edi.bookings
    assert b_xml.locators == b_edi.locators and b_xml.created_at == b_edi.created_at
    assert b_xml.originator == b_edi.originator
    (t, u) = (b_xml.travellers[0], b_edi.travellers[0])
    for name in ("surname", "given_names", "title", "dob", "gender", "nationality", "documents",
                 "frequent_flyers", "seats", "bags", "fare_basis"):
        assert getattr(t, name) == getattr(u, name), name
    assert sorted(t.contacts, key=str) == sorted(u.contacts, key=str)
    assert [(k.number, k.fare_base, k.fare_total, k.taxes, k.issued) for k in t.tickets] == [
        (k.number, k.fare_base, k.fare_total, k.taxes, k.issued) for k in u.tickets]
    assert [(p.card_brand, p.card_last4, p.payer_name) for p in t.payments] == [
        (p.card_brand, p.card_last4, p.payer_name) for p in u.payments]
    assert [s.code for s in t.services] == [s.code for s in u.services]
    assert [(s.route, s.booking_class, s.status, s.equipment) for s in b_xml.itinerary] == [
        (s.route, s.booking_class, s.status, s.equipment) for s in b_edi.itinerary]


def test_detected_by_root_element() -> None:
    assert detect((CORPUS / "example_prefixed.xml").read_bytes())[0] is MessageKind.PNRGOV_XML


# -- namespaces -----------------------------------------------------------------------------

def _other_namespace() -> bytes:
    return (CORPUS / "example.xml").read_bytes().replace(
        IATA_NAMESPACE.encode(), b"urn:example:carrier-pnrgov")


@pytest.mark.parametrize("variant", ["example.xml", "example_no_namespace.xml",
                                     "example_prefixed.xml", "other"])
def test_namespace_variants_read_alike(variant: str) -> None:
    data = _other_namespace() if variant == "other" else (CORPUS / variant).read_bytes()
    result = parse_pnrgov_xml(data)
    (push,) = result.pushes
    assert push.flight is not None and push.flight.key == "ZZ123/2025-03-15"
    (booking,) = push.bookings
    (traveller,) = booking.travellers
    assert booking.record_locator == "ABC123" and traveller.documents[0].number == "PA1234567"
    assert traveller.payments[0].card_last4 == "1111" and len(traveller.seats) == 2
    assert not any("not in the PNRGOV XML mapping" in w for w in push.warnings)
    assert bool(result.warnings) == (variant == "other")


def test_soap_envelope_is_unwrapped() -> None:
    inner = (CORPUS / "example.xml").read_bytes().split(b"?>", 1)[1]
    data = (b'<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">'
            b"<soap:Body>" + inner + b"</soap:Body></soap:Envelope>")
    result = parse_pnrgov_xml(data)
    assert result.pushes[0].bookings[0].record_locator == "ABC123"
    assert any("SOAP" in w for w in result.warnings)


# -- the corpus -------------------------------------------------------------------------------

def test_multi_pnr_update_push() -> None:
    push = parse("multi_pnr_update.xml")
    assert push.kind is PushKind.UPDATE and push.declared_bookings == 3
    assert push.flight is not None and push.flight.key == "ZZ123/2025-03-15"
    first, second, third = push.bookings
    assert first.locators == [("ZZ", "KLM001"), ("1A", "XYZ987")]
    assert first.split_locators == ["KLM009"] and first.group_name == "KARIMOV FAMILY"
    assert [h.action for h in first.history] == ["A", "X"]
    rustam, zarina = first.travellers
    assert (rustam.given_names, rustam.title, rustam.dob) == ("RUSTAM", "MR", date(1991, 3, 3))
    assert sorted(d.doc_type for d in rustam.documents) == ["P", "V"]
    assert rustam.addresses[0].city == "DUSHANBE"
    assert rustam.frequent_flyers[0].number == "987654"  # a PNR-level FQTV naming RPH 1
    assert Contact("phone", "992900000001") in rustam.contacts
    assert rustam.bags[0].count == 2 and rustam.bags[0].tags == [("0123000001", 2, "DYU")]
    assert (zarina.title, zarina.dob, zarina.gender) == ("MRS", date(1990, 9, 20), "F")
    assert [d.number for d in zarina.documents] == ["400654321"]  # the infant's is not hers
    assert Seat("20B", "IST-DYU", "requested") in zarina.seats
    assert zarina.bags[0].pool == "MP"
    assert [s.code for s in first.services] == ["UMNR"] and first.remarks
    assert first.itinerary[0].operating_carrier == "YY"
    assert first.itinerary[0].operating_number == "456"
    assert any("infant" in w for w in first.warnings)
    assert any("check-in" in w and "line" in w for w in first.warnings)
    aziz = second.travellers[0]
    assert (aziz.given_names, aziz.title, aziz.dob) == ("AZIZ", "DR", date(1977, 7, 11))
    assert aziz.documents[0].issuing_country == "TJK"
    assert aziz.tickets[0].taxes == [(20.0, "TR")] and aziz.payments[0].method == "cash"
    assert third.record_locator.startswith("NORCI-")
    assert third.payments[0].card_last4 == "0004"
    assert any("BookingRefID" in w for w in third.warnings)
    assert not any(w for w in all_warnings(push) for word in SENSITIVE + PERSONAL if word in w)


def test_unknown_elements_are_tolerated_in_one_warning() -> None:
    push = parse("unknown_elements.xml")
    (booking,) = push.bookings
    assert booking.record_locator == "UNK001"
    assert booking.travellers[0].surname == "PETROVA"
    assert booking.travellers[0].services[0].text == "NO MEAT"
    (warning,) = [w for w in push.warnings if "mapping" in w]
    for name in ("RoutingInfox1", "CodeshareInfox1", "FutureBlockx2", "NameRemarkx1",
                 "Biometricsx1", "Extrax1"):
        assert name in warning
    assert "line 6" in warning  # where RoutingInfo first appears
    assert "Nested" not in warning and "Deeper" not in warning  # counted at the top only
    assert not any(word in w for w in all_warnings(push) for word in PERSONAL + ("value",))


def test_cancellation_push() -> None:
    push = parse("cancel.xml")
    assert push.kind is PushKind.CANCEL
    assert [b.record_locator for b in push.bookings] == ["ABC123", "XYZ789"]
    # Without the transmission type, PNRs holding only a locator are the same shape.
    data = (CORPUS / "cancel.xml").read_bytes().replace(b' TransmissionType="Cancel"', b"")
    assert parse_pnrgov_xml(data).pushes[0].kind is PushKind.CANCEL


def test_explicit_cancel_needs_no_pnr() -> None:
    data = (CORPUS / "cancel.xml").read_bytes()
    start, end = data.index(b"<PNRs>"), data.index(b"</PNRs>") + len(b"</PNRs>")
    (push,) = parse_pnrgov_xml(data[:start] + data[end:]).pushes
    assert push.kind is PushKind.CANCEL and push.bookings == []


def test_unknown_push_type_and_count_mismatch_are_warned() -> None:
    data = (CORPUS / "example.xml").read_bytes()
    data = data.replace(b'TransmissionType="Full"', b'TransmissionType="Sometimes"')
    data = data.replace(b'PNRCount="1"', b'PNRCount="4"')
    push = parse_pnrgov_xml(data).pushes[0]
    assert push.kind is PushKind.FULL
    assert any("push type" in w for w in push.warnings)
    assert any("declares 4" in w for w in push.warnings)


# -- hostile and broken input -----------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("billion_laughs.xml", "entity declaration"),
    ("external_entity.xml", "external entity"),
    ("external_parameter_entity.xml", "external entity"),
    ("external_dtd.xml", "external DTD"),
    ("not_well_formed.xml", "not well-formed: mismatched tag at line 4"),
    ("wrong_root.xml", "root element is 'OTA_AirBookRQ'"),
    ("no_pnr.xml", "no PNR"),
    ("empty.xml", "empty"),
    ("edifact_not_xml.xml", "not an XML document"),
])
def test_hostile_corpus_refused(name: str, expected: str) -> None:
    error = refused((HOSTILE / name).read_bytes())
    assert expected in error.detail
    assert "passwd" not in error.detail and "lol" not in error.detail


def test_deep_nesting_refused() -> None:
    depth = 200_000
    error = refused(b"<IATA_PNRGOV_NotifRQ>" + b"<x>" * depth + b"</x>" * depth
                    + b"</IATA_PNRGOV_NotifRQ>")
    assert "nested deeper" in error.detail


def test_huge_attribute_and_text_refused() -> None:
    error = refused(b'<IATA_PNRGOV_NotifRQ Version="' + b"9" * 20_000_000
                    + b'"><PNR/></IATA_PNRGOV_NotifRQ>')
    assert "attribute value longer" in error.detail
    error = refused(b"<IATA_PNRGOV_NotifRQ><PNR><OSI>" + b"A" * 5_000_000
                    + b"</OSI></PNR></IATA_PNRGOV_NotifRQ>")
    assert "text longer" in error.detail


def test_element_count_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pnrgov_xml_load, "MAX_ELEMENTS", 1000)
    error = refused(b"<IATA_PNRGOV_NotifRQ><PNRs>" + b"<PNR/>" * 2000 + b"</PNRs>"
                    b"</IATA_PNRGOV_NotifRQ>")
    assert "more than 1000 elements" in error.detail


def test_size_limit() -> None:
    data = (CORPUS / "example.xml").read_bytes()
    error = refused(data, max_bytes=1000)
    assert error.status == 413 and "exceeds the maximum of 1000 bytes" in error.detail


def test_quadratic_blowup_refused() -> None:
    data = (b'<!DOCTYPE IATA_PNRGOV_NotifRQ [<!ENTITY a "' + b"x" * 100_000 + b'">]>'
            b"<IATA_PNRGOV_NotifRQ><PNR><OSI>" + b"&a;" * 100_000
            + b"</OSI></PNR></IATA_PNRGOV_NotifRQ>")
    assert "entity declaration" in refused(data).detail


@pytest.mark.parametrize("cut", [10, 200, 1500, -30])
def test_truncated_refused(cut: int) -> None:
    data = (CORPUS / "example.xml").read_bytes()
    assert "not well-formed" in refused(data[:cut]).detail


def test_other_encodings_and_internal_dtd_read() -> None:
    text = (CORPUS / "example_no_namespace.xml").read_text(encoding="utf-8")
    body = text.split("?>", 1)[1]
    utf16 = ('<?xml version="1.0" encoding="UTF-16"?>' + body).encode("utf-16")
    assert parse_pnrgov_xml(utf16).pushes[0].bookings[0].record_locator == "ABC123"
    with_dtd = '<!DOCTYPE IATA_PNRGOV_NotifRQ [<!ELEMENT IATA_PNRGOV_NotifRQ ANY>]>' + body
    assert parse_pnrgov_xml(with_dtd.encode()).pushes[0].bookings[0].travellers


# -- the writer -------------------------------------------------------------------------------

@pytest.mark.parametrize("namespace", [IATA_NAMESPACE, None])
def test_round_trip(namespace: str | None) -> None:
    original = make_push(6)
    data = write_pnrgov_xml(original, namespace=namespace)
    assert data == write_pnrgov_xml(original, namespace=namespace)  # deterministic
    (push,) = parse_pnrgov_xml(data).pushes
    assert push.flight is not None and push.flight.key == "ZZ123/2025-03-15"
    assert push.declared_bookings == 6 and not push.warnings
    for got, want in zip(push.bookings, original.bookings, strict=True):
        assert got.locators == want.locators and got.created_at == want.created_at
        assert got.split_locators == want.split_locators and got.originator == want.originator
        assert [(h.action, h.at, h.what) for h in got.history] == [
            (h.action, h.at, h.what) for h in want.history]
        assert [(s.carrier, s.number, s.route, s.departure_local, s.arrival_local,
                 s.booking_class, s.status, s.equipment) for s in got.itinerary] == [
            (s.carrier, s.number, s.route, s.departure_local, s.arrival_local,
             s.booking_class, s.status, s.equipment) for s in want.itinerary]
        for t, u in zip(got.travellers, want.travellers, strict=True):
            assert (t.surname, t.given_names, t.title, t.dob, t.gender, t.nationality) == (
                u.surname, u.given_names, u.title, u.dob, u.gender, u.nationality)
            assert t.documents == u.documents and t.contacts == u.contacts
            assert t.tickets == u.tickets and t.payments == u.payments
            assert [p.card_last4 for p in t.payments] == [p.card_last4 for p in u.payments]
            assert sorted((s.seat, s.source) for s in t.seats) == sorted(
                (s.seat, s.source) for s in u.seats)
            assert t.bags == u.bags and t.checkins == u.checkins and t.services == u.services
        assert not got.warnings


def test_round_trip_of_the_example() -> None:
    push = parse("example.xml")
    (again,) = parse_pnrgov_xml(write_pnrgov_xml(push)).pushes
    assert again.bookings[0].travellers == push.bookings[0].travellers
    assert again.bookings[0].originator == push.bookings[0].originator
    assert again.flight == push.flight


def test_round_trip_cancel_update_and_127_pnrs() -> None:
    (cancel,) = parse_pnrgov_xml(write_pnrgov_xml(make_push(2, PushKind.CANCEL))).pushes
    assert cancel.kind is PushKind.CANCEL and len(cancel.bookings) == 2
    update = make_push(1, PushKind.UPDATE)
    assert parse_pnrgov_xml(write_pnrgov_xml(update)).pushes[0].kind is PushKind.UPDATE
    (big,) = parse_pnrgov_xml(write_pnrgov_xml(make_push(127))).pushes
    assert len(big.bookings) == 127 and big.declared_bookings == 127
    assert sum(len(b.travellers) for b in big.bookings) == sum(1 + i % 3 for i in range(127))


def test_mapping_is_consistent() -> None:
    for name, node in MAP.items():
        assert all(paths for paths in node.fields.values()), name
        assert all(child in MAP for child in node.children.values()), name
        assert known_below(name) is not None
