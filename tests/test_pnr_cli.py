"""``piu`` with PNRGOV on both backends: ingest, parse --json, booking, flight, messages.

No sensitive code or term reaches any output (nor the logs of the commands), and
the read models show what the issue asks: a booking with its versions in the
sender's order and what changed, a flight with its bookings and link status.
Commands run in-process through ``openpiu.cli.main`` (the console script).
"""

from __future__ import annotations

import gc
import io
import json
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

from openpiu.cli import main
from openpiu.formats.pnrgov_writer import write_pnrgov
from openpiu.model import (
    BookedTraveller,
    Booking,
    Envelope,
    Flight,
    ItinerarySegment,
    Leg,
    Originator,
    Payment,
    PnrPush,
    PushKind,
    Seat,
    SpecialService,
    TravelDocument,
)
from openpiu.settings import get_settings

# ../shared beside the project root (PIU_SHARED_DIR overrides); tests that need it
# skip visibly where it is absent, as on a user's machine.
SHARED = Path(
    os.environ.get("PIU_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared"
)
EXAMPLE = SHARED / "examples" / "pnrgov_example.edi"
PAXLST_EXAMPLE = SHARED / "examples" / "paxlst_example.edi"
XML_EXAMPLE = Path(__file__).parent / "formats" / "pnrgov_xml_corpus" / "example.xml"
KEY = "ZZ123/2025-03-15"
DEP, ARR = datetime(2025, 3, 15, 8, 15), datetime(2025, 3, 15, 14, 30)
FULL_CARD = "4111111111111111"
SENSITIVE = ("MOML", "WCHR", "DBML", "KSML", "HALAL", "DIABETIC", FULL_CARD)


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@pytest.fixture
def example() -> bytes:
    if not EXAMPLE.exists():
        pytest.skip(f"shared example {EXAMPLE} absent")
    return EXAMPLE.read_bytes()


@pytest.fixture
def env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The CLI pointed at the test database, acting as the local OS account."""
    for name in list(os.environ):
        if name.startswith("PIU_") and name not in ("PIU_TEST_POSTGRES_URL", "PIU_SHARED_DIR"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PIU_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()
    gc.collect()  # close the engines the commands opened (PostgreSQL connections)


@pytest.fixture
def piu(env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> object:
    caplog.set_level(logging.DEBUG)

    def run(*args: str, **extra_env: str) -> Result:
        for name, value in extra_env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
        get_settings.cache_clear()
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code
        finally:
            for name in extra_env:
                monkeypatch.delenv(name)
            get_settings.cache_clear()
        captured = capsys.readouterr()
        return Result(int(code or 0), captured.out, captured.err)

    return run


def assert_clean(terms: tuple[str, ...], *texts: str) -> None:
    for term in terms:
        for text in texts:
            assert term not in text.upper(), f"{term} in {text[:300]!r}"


def sqlite_bytes(db_url: str) -> bytes:
    path = Path(db_url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
                    if p.exists())


def sensitive_push() -> PnrPush:
    t = BookedTraveller(ref="1", surname="CHURCH", given_names="ANNA", raw_given_names="ANNAMS",
                        title="MS", passenger_type="C", dob=date(2014, 1, 2), gender="F",
                        nationality="GBR")
    t.documents.append(TravelDocument("P", "123456789", "GBR", date(2030, 1, 1)))
    t.services += [SpecialService(c, "HK", None, "ZZ") for c in ("MOML", "WCHR", "DBML", "KSML")]
    t.services.append(SpecialService("UMNR", "HK", "UNACCOMPANIED MINOR 11 YEARS", "ZZ"))
    t.services.append(SpecialService("OTHS", "HK", "PAX DIABETIC", "ZZ"))
    t.remarks += ["PAX REQUESTS HALAL MEAL", "CALL BEFORE DEPARTURE"]
    t.payments.append(Payment("card", "CC", "VI", None, card_number=FULL_CARD,
                              card_expiry="0927"))
    t.seats.append(Seat("10A", "IST-DYU"))
    booking = Booking("SEN001", "ZZ", [("ZZ", "SEN001")], created_at=datetime(2025, 3, 1, 9, 0),
                      travellers=[t], itinerary=[segment()])
    return push(PushKind.FULL, datetime(2025, 3, 13, 8, 0), "5", [booking])


def segment() -> ItinerarySegment:
    return ItinerarySegment("ZZ", "123", "IST", "DYU", DEP, None, ARR, None, "Y", "HK")


def push(kind: PushKind, sent: datetime, ref: str, items: list[Booking]) -> PnrPush:
    flight = Flight("ZZ", "123", "ZZ123", DEP.date(), [Leg("IST", "DYU", DEP, None, ARR)])
    env = Envelope(message_ref="1", prepared_at=sent, interchange_ref=ref)
    return PnrPush(env, kind, flight, Originator("ZZ", "IST"), bookings=items)


def simple_booking(locator: str, surname: str, seat: str) -> Booking:
    t = BookedTraveller(ref="1", surname=surname, given_names="RUSTAM",
                        raw_given_names="RUSTAMMR", title="MR", passenger_type="A",
                        dob=date(1980, 1, 1), gender="M", nationality="TJK")
    t.documents.append(TravelDocument("P", f"4{abs(hash(surname)) % 10**8:08d}", "TJK"))
    t.seats.append(Seat(seat, "IST-DYU"))
    return Booking(locator, "ZZ", [("ZZ", locator)], created_at=datetime(2025, 3, 1, 9, 0),
                   travellers=[t], itinerary=[segment()])


# -- the check, through the CLI ----------------------------------------------------

def test_example_everywhere_without_moml(piu, example: bytes, tmp_path: Path,  # type: ignore[no-untyped-def]
                                         env: str, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "pnrgov_example.edi"
    path.write_bytes(example)
    ingest = piu("ingest", str(path))
    assert ingest.code == 0, ingest
    assert "1 processed" in ingest.out and "1 traveller(s) stored" in ingest.out
    booking = piu("booking", "ABC123")
    assert booking.code == 0, booking
    for expected in ("ABC123", "OREILLY/SEAN", "PA1234567", "1234567890123", "card VI 1111",
                     "14C", "versions: 1"):
        assert expected in booking.out, expected
    flight = piu("flight", KEY)
    assert flight.code == 0, flight
    assert "bookings: 1 on the flight" in flight.out
    assert "not in API: OREILLY/SEAN (booking ABC123)" in flight.out
    parsed = piu("parse", str(path), "--json")
    assert parsed.code == 0, parsed
    data = json.loads(parsed.out)
    assert data["kind"] == "pnrgov" and isinstance(data["warnings"], list)
    (b,) = data["bookings"]
    assert b["record_locator"] == "ABC123" and len(b["travellers"]) == 1
    assert {"itinerary", "contacts", "payments"} <= set(b)
    (t,) = b["travellers"]
    assert t["services"] == [] and t["payments"][0]["card_last4"] == "1111"
    text = piu("parse", str(path))
    assert text.code == 0 and "ABC123: 1 traveller(s)" in text.out
    listing = piu("messages")
    assert listing.code == 0 and "pnrgov" in listing.out
    outputs = [r.text for r in (ingest, booking, flight, parsed, text, listing)]
    assert_clean(("MOML",), *outputs, caplog.text)
    if env.startswith("sqlite"):
        assert b"MOML" not in sqlite_bytes(env)


def test_sensitive_terms_codes_and_card_never_shown(piu, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                    env: str,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "sensitive.edi"
    path.write_bytes(write_pnrgov(sensitive_push()))
    ingest = piu("ingest", str(path))
    assert ingest.code == 0 and "1 processed" in ingest.out, ingest
    booking = piu("booking", "SEN001")
    assert booking.code == 0 and "CHURCH/ANNA" in booking.out and "VI 1111" in booking.out
    flight = piu("flight", KEY)
    parsed = piu("parse", str(path), "--json")
    assert parsed.code == 0, parsed
    (t,) = json.loads(parsed.out)["bookings"][0]["travellers"]
    assert [s["code"] for s in t["services"]] == ["UMNR"]
    assert t["surname"] == "CHURCH" and t["remarks"] == ["CALL BEFORE DEPARTURE"]
    assert t["payments"][0]["card_hash"] is None  # parse-only: no link key, no hash
    listing = piu("messages")
    outputs = [r.text for r in (ingest, booking, flight, parsed, listing)]
    assert_clean(SENSITIVE, *outputs, caplog.text)
    if env.startswith("sqlite"):
        at_rest = sqlite_bytes(env)
        for term in SENSITIVE:
            assert term.encode() not in at_rest, term


def test_xml_example_parses_filtered(piu) -> None:  # type: ignore[no-untyped-def]
    if not XML_EXAMPLE.exists():
        pytest.skip(f"{XML_EXAMPLE} absent")
    parsed = piu("parse", str(XML_EXAMPLE), "--json")
    assert parsed.code == 0, parsed
    data = json.loads(parsed.out)
    assert (data["kind"], data["format"]) == ("pnrgov", "xml")
    assert data["bookings"][0]["record_locator"] == "ABC123"
    assert "MOML" not in parsed.text
    ingest = piu("ingest", str(XML_EXAMPLE))
    assert ingest.code == 0 and "1 processed" in ingest.out, ingest
    booking = piu("booking", "ABC123")
    assert booking.code == 0 and "OREILLY/SEAN" in booking.out
    assert "MOML" not in ingest.text + booking.text


def test_booking_versions_in_senders_order_with_seat_change(piu, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pushes = {
        "a_closure.edi": push(PushKind.FULL, datetime(2025, 3, 15, 7, 45), "102",
                              [simple_booking("AAA111", "KARIMOV", "14F")]),
        "b_t72.edi": push(PushKind.FULL, datetime(2025, 3, 12, 8, 15), "100",
                          [simple_booking("AAA111", "KARIMOV", "10A"),
                           simple_booking("CCC333", "SAIDOV", "12C")]),
        "c_t24.edi": push(PushKind.UPDATE, datetime(2025, 3, 14, 8, 15), "101",
                          [simple_booking("AAA111", "KARIMOV", "14F")]),
    }
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, p in pushes.items():
        (folder / name).write_bytes(write_pnrgov(p))
    ingest = piu("ingest", str(folder))  # arrival order: closure, T-72, T-24
    assert ingest.code == 0 and "3 processed" in ingest.out, ingest
    booking = piu("booking", "aaa111")
    assert booking.code == 0, booking
    lines = booking.out.splitlines()
    sent = [line for line in lines if " push sent " in line]
    assert [s.split(" push sent ")[0].strip() for s in sent] == ["full", "update", "full"]
    assert ["2025-03-12" in sent[0], "2025-03-14" in sent[1], "2025-03-15" in sent[2]] == [
        True, True, True]
    changed = [line for line in lines if "changed" in line and "seat" in line]
    assert any("10A -> 14F" in line for line in changed), booking.out
    assert "versions: 3" in booking.out and "on_flight" in booking.out
    left = piu("booking", "CCC333")
    assert left.code == 0 and ": left" in left.out
    flight = piu("flight", KEY)
    assert "bookings: 1 on the flight, 1 left or cancelled" in flight.out
    assert "CCC333: left" in flight.out
    missing = piu("booking", "NOPE99")
    assert missing.code == 1 and "no booking with record locator NOPE99" in missing.err


def test_flight_shows_links_and_unlinked(piu, example: bytes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if not PAXLST_EXAMPLE.exists():
        pytest.skip(f"shared example {PAXLST_EXAMPLE} absent")
    (tmp_path / "a.edi").write_bytes(example)
    (tmp_path / "b.edi").write_bytes(PAXLST_EXAMPLE.read_bytes())
    assert piu("ingest", str(tmp_path / "a.edi"), str(tmp_path / "b.edi")).code == 0
    flight = piu("flight", KEY)
    assert flight.code == 0, flight
    assert "PNR travellers linked to API: 1 of 1" in flight.out
    assert "API traveller without a PNR: RAHIMOVA/NIGINA" in flight.out
    assert "MOML" not in flight.text


def test_bad_policy_is_a_clear_error(piu, example: bytes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    policy = tmp_path / "bad.yaml"
    policy.write_text("jurisdiction: XX\nannex_items: [1, 2, 20]\n")
    path = tmp_path / "pnrgov_example.edi"
    path.write_bytes(example)
    result = piu("parse", str(path), "--json", PIU_PRIVACY_POLICY=str(policy))
    assert result.code == 1, result
    assert "privacy policy" in result.err and "Annex I has items 1 to 19" in result.err
    assert "Traceback" not in result.err and result.out == ""
