"""The PAXLST writer on its own, the generator's determinism, and (once the parser
exists) the round trip parse(write(m))."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

import pytest

from openpiu.errors import ConfigError
from openpiu.formats.paxlst_writer import EdifactWriter, write_paxlst, write_paxlst_parts
from openpiu.model import (
    Address,
    Contact,
    Envelope,
    Flight,
    Leg,
    ListAction,
    Manifest,
    ParsedFile,
    ReportingParty,
    Role,
    TravelDocument,
    Traveller,
)
from openpiu.synth.paxlst_gen import generate_manifests

# ../shared beside the project root (PIU_SHARED_DIR overrides); tests that need it
# skip visibly where it is absent, as on a user's machine.
SHARED = Path(
    os.environ.get("PIU_SHARED_DIR") or Path(__file__).resolve().parents[2].parent / "shared"
)
EXAMPLE = SHARED / "examples" / "paxlst_example.edi"
needs_example = pytest.mark.skipif(
    not EXAMPLE.exists(), reason=f"{EXAMPLE} absent: ../shared is not beside the project"
)


def example_manifest() -> Manifest:
    """The shared example (STANDARDS.md §1) as a domain object."""
    sean = Traveller(
        role=Role.PASSENGER,
        surname="O'REILLY",
        given_names="SEAN PATRICK",
        gender="M",
        dob=date(1985, 1, 1),
        nationality="IRL",
        residence_country="IRL",
        place_of_birth="CORK",
        birth_country="IRL",
        address=Address("12 MAIN STREET", "DUBLIN", None, "D02X285", "IRL"),
        contacts=[Contact("phone", "353 1 555 0199")],
        embarkation="IST",
        debarkation="DYU",
        clearance="DYU",
        documents=[
            TravelDocument("P", "PA1234567", "IRL", date(2030, 1, 1), date(2020, 1, 2)),
            TravelDocument("V", "TJ0098765", "TJK", date(2025, 4, 14)),
        ],
        seat="14C",
        record_locator="ABC123",
        passenger_ref="ZZ0123001",
        bag_count=1,
        bag_weight=23.0,
        bag_weight_unit="KGM",
        bag_tags=[("ZZ123456", 1)],
        verified=True,
    )
    nigina = Traveller(
        role=Role.PASSENGER,
        surname="RAHIMOVA",
        given_names="NIGINA",
        gender="F",
        dob=date(1992, 12, 31),
        nationality="TJK",
        residence_country="TJK",
        embarkation="IST",
        debarkation="DYU",
        documents=[TravelDocument("P", "400000001", "TJK", date(2032, 6, 30))],
        record_locator="XYZ789",
        passenger_ref="ZZ0123002",
        verified=True,
    )
    leg = Leg("IST", "DYU", datetime(2025, 3, 15, 8, 15), None, datetime(2025, 3, 15, 14, 30))
    return Manifest(
        envelope=Envelope(
            sender="ZZAIRLINE",
            recipient="TJPIUAPI",
            prepared_at=datetime(2025, 3, 15, 4, 12),
            interchange_ref="000000417",
            application_ref="APIS",
            message_ref="PAX417",
            message_type="PAXLST:D:05B:UN:IATA",
            common_access_ref="ZZ0123/250315/0815",
        ),
        document_code="745",
        document_subcode=None,
        action=ListAction.FULL,
        flight=Flight("ZZ", "123", "ZZ0123", date(2025, 3, 15), [leg]),
        travellers=[sean, nigina],
        transaction_ref="ZZ0123150325",
        reporting_party=ReportingParty(
            "ZZ AIRLINES API DESK",
            [
                Contact("phone", "90 212 555 0100"),
                Contact("fax", "90 212 555 0101"),
                Contact("email", "API.DESK.AT.ZZAIR.EXAMPLE"),
            ],
        ),
    )


def segments(data: bytes, terminator: str = "'") -> list[str]:
    """Split on unreleased terminators (enough for the default UNA)."""
    text = data.decode()
    out, cur, i = [], "", 0
    if text.startswith("UNA"):
        out.append(text[:9])  # the service string advice is not terminated
        i = 9
    while i < len(text):
        ch = text[i]
        if ch == "?":
            cur += text[i : i + 2]
            i += 2
            continue
        if ch == terminator:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
        i += 1
    return out


@needs_example
def test_example_reproduced_byte_for_byte() -> None:
    assert write_paxlst(example_manifest()) == EXAMPLE.read_bytes()


@needs_example
def test_segment_order_matches_example() -> None:
    tags = [s[:3] for s in segments(write_paxlst(example_manifest()))]
    expected = [s[:3] for s in segments(EXAMPLE.read_bytes())]
    assert tags == expected


def test_unt_counts_unh_to_unt_inclusive() -> None:
    for m in generate_manifests(3, 20, seed=7):
        segs = segments(write_paxlst(m))
        unh = next(i for i, s in enumerate(segs) if s.startswith("UNH+"))
        unt = next(i for i, s in enumerate(segs) if s.startswith("UNT+"))
        assert int(segs[unt].split("+")[1]) == unt - unh + 1


def test_every_special_character_is_released() -> None:
    w = EdifactWriter()
    assert w.escape("O'REILLY") == "O?'REILLY"
    assert w.escape("A+B:C?D'E") == "A?+B?:C??D?'E"
    assert w.segment("NAD", "FL", None, None, ("O'REILLY", "A:B")) == "NAD+FL+++O?'REILLY:A?:B'\n"
    # Repetition separator is reserved only when it is not a space.
    w2 = EdifactWriter(":+.?*'")
    assert w2.escape("A*B C") == "A?*B C"


def test_example_name_escaped_in_output() -> None:
    assert b"NAD+FL+++O?'REILLY:SEAN:PATRICK+" in write_paxlst(example_manifest())


def test_non_default_una_honoured() -> None:
    m = example_manifest()
    m.travellers[0].surname = "O*REILLY$"
    m.travellers[0].bag_weight = 23.5
    data = write_paxlst(m, una=":*,? $", newline=False).decode()
    assert data.startswith("UNA:*,? $UNB*UNOA:4*ZZAIRLINE:ZZ*")
    assert "\n" not in data
    assert "NAD*FL***O?*REILLY?$:SEAN:PATRICK*" in data
    assert "MEA*WT**KGM:23,5$" in data  # decimal mark from UNA
    assert "'" not in data.replace("O?*REILLY", "")  # no default terminator leaks


def test_bad_una_refused() -> None:
    with pytest.raises(ConfigError):
        EdifactWriter(":+.?'")
    with pytest.raises(ConfigError):
        EdifactWriter("::.? '")


def test_non_ascii_declares_unow() -> None:
    m = example_manifest()
    m.travellers[1].surname = "RAҲИМОВА"
    data = write_paxlst(m)
    assert data.startswith(b"UNA:+.? '\nUNB+UNOW:4+")
    assert "RAҲИМОВА".encode() in data
    assert write_paxlst(example_manifest()).startswith(b"UNA:+.? '\nUNB+UNOA:4+")


def test_bare_message() -> None:
    data = write_paxlst(example_manifest(), interchange=False)
    assert data.startswith(b"UNH+PAX417+") and data.rstrip().endswith(b"UNT+49+PAX417'")


def test_multi_part_numbering() -> None:
    m = next(generate_manifests(1, 25, seed=3))
    parts = write_paxlst_parts(m, 10)
    assert len(parts) == 3
    unhs = [next(s for s in segments(p) if s.startswith("UNH+")) for p in parts]
    refs = {u.split("+")[3] for u in unhs}
    assert len(refs) == 1  # one common access reference for all parts
    assert [u.split("+")[4] for u in unhs] == ["01:C", "02:C", "03:F"]
    names = [s for p in parts for s in segments(p) if s.startswith(("NAD+FL", "NAD+FM", "NAD+DD"))]
    assert len(names) == 25
    for p in parts:  # each part is a full interchange with its own correct UNT
        segs = segments(p)
        assert (
            segs[0].startswith("UNA") and segs[1].startswith("UNB") and segs[-1].startswith("UNZ")
        )
        assert "CNT+42:24" in segs and "CNT+41:1" in segs  # the flight's totals
        unh = next(i for i, s in enumerate(segs) if s.startswith("UNH+"))
        unt = next(i for i, s in enumerate(segs) if s.startswith("UNT+"))
        assert int(segs[unt].split("+")[1]) == unt - unh + 1
    assert write_paxlst_parts(m, 100)[0].count(b"+01:F'") == 1


def test_generator_deterministic() -> None:
    a = b"".join(write_paxlst(m) for m in generate_manifests(4, 30, seed=11))
    b = b"".join(write_paxlst(m) for m in generate_manifests(4, 30, seed=11))
    c = b"".join(write_paxlst(m) for m in generate_manifests(4, 30, seed=12))
    assert a == b
    assert a != c


def test_generator_covers_the_segment_table() -> None:
    data = b"".join(write_paxlst(m) for m in generate_manifests(3, 60, seed=1))
    for needle in (b"NAD+FL", b"NAD+FM", b"EMP+1+CR1", b"DOC+V:", b"DOC+P:", b"DTM+182:",
                   b"DTM+36:", b"FTX+BAG", b"LOC+180+", b"RFF+AVF:", b"RFF+ABO:", b"RFF+SEA:",
                   b"MEA+WT++KGM:", b"GEI+4+173", b"CNT+41:", b"COM+"):  # fmt: skip
        assert needle in data, needle
    assert data.isascii()


def _parser() -> Callable[[bytes], ParsedFile]:
    paxlst = pytest.importorskip("openpiu.formats.paxlst")
    parse = getattr(paxlst, "parse_paxlst", None)
    if parse is None:
        pytest.skip("parse_paxlst not written yet")
    return parse  # type: ignore[no-any-return]


def test_round_trip_through_parser() -> None:
    parse = _parser()
    for m in generate_manifests(3, 40, seed=5):
        parsed = parse(write_paxlst(m))
        assert len(parsed.manifests) == 1
        got = parsed.manifests[0]
        assert len(got.travellers) == len(m.travellers)
        for want, have in zip(m.travellers, got.travellers, strict=True):
            # The brief's minimum: names, date of birth and documents ...
            assert (have.surname, have.given_names, have.dob, have.role) == (
                want.surname,
                want.given_names,
                want.dob,
                want.role,
            )
            assert have.documents == want.documents
            # ... and in fact every field: the writer is the parser's mirror.
            assert asdict(have) == asdict(want)
        assert got.envelope == m.envelope
        assert got.flight == m.flight
        assert got.transaction_ref == m.transaction_ref
        assert got.reporting_party == m.reporting_party
        assert (got.declared_passengers, got.declared_crew) == (
            m.declared_passengers,
            m.declared_crew,
        )


def test_parts_round_trip_through_parser() -> None:
    parse = _parser()
    m = next(generate_manifests(1, 30, seed=9))
    parsed = [parse(p).manifests[0] for p in write_paxlst_parts(m, 12)]
    assert [(p.envelope.part_number, p.envelope.final_part) for p in parsed] == [
        (1, False),
        (2, False),
        (3, True),
    ]
    assert {p.envelope.common_access_ref for p in parsed} == {m.envelope.common_access_ref}
    names = [t.full_name for p in parsed for t in p.travellers]
    assert names == [t.full_name for t in m.travellers]


def test_lower_case_ascii_declares_unob() -> None:
    m = example_manifest()
    m.travellers[1].given_names = "Nigina"
    assert write_paxlst(m).startswith(b"UNA:+.? '\nUNB+UNOB:4+")


# ISO 9735 (v4) releases the repetition separator too when one is declared (":+.?*'").
@pytest.mark.parametrize("una", [":+.? '", ":+.?*'", ":*.? $", ":-.? *", ":*,? #"])
def test_tokenizer_reads_back_every_special_character(una: str) -> None:
    """The project's EDIFACT tokenizer undoes exactly the writer's releases."""
    edifact = pytest.importorskip("openpiu.formats.edifact")
    nasty = "O'R+E:I?L*L$Y-#,."
    m = example_manifest()
    m.travellers[0].surname = nasty
    m.travellers[0].given_names = "A:B"
    (interchange,) = edifact.read(write_paxlst(m, una=una))
    assert not interchange.warnings
    (message,) = interchange.messages
    nads = [s for s in message.body if s.tag == "NAD" and s.get(0) == "FL"]
    assert nads[0].elements[3][:2] == [nasty, "A:B"]
    assert int(message.trailer.get(0)) == len(message.body) + 2
