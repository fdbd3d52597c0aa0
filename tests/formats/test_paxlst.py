"""The PAXLST parser against the corpus of broken and odd messages.

Each file in ``corpus/`` stands for one field reality of STANDARDS.md §7 and §8 (all
names, documents and flights are fictional).  A readable file must give the
travellers and flight it carries and name each deviation in a warning; an unreadable
one must raise ParseError naming the fault.  The shared example of STANDARDS.md §1
is checked field by field at the end.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from openpiu.errors import ParseError, PiuError
from openpiu.formats.paxlst import envelope_of, parse_paxlst, split_designator
from openpiu.model import ListAction, ParsedFile, Role

CORPUS = Path(__file__).parent / "corpus"
# ../shared beside the project root (PIU_SHARED_DIR overrides); tests that need it
# skip visibly where it is absent, as on a user's machine.
SHARED = Path(
    os.environ.get("PIU_SHARED_DIR") or Path(__file__).resolve().parents[2].parent / "shared"
)
EXAMPLE = SHARED / "examples" / "paxlst_example.edi"

OBRIEN = ("O'BRIEN", "AOIFE MARY", date(1988, 2, 14), [("P", "PK7654321", date(2031, 5, 20))])
NAZAROV = ("NAZAROV", "BEHRUZ", date(1979, 9, 3), [("P", "400123456", date(2029, 1, 1))])
SAIDOVA = ("SAIDOVA", "ZARINA", date(2001, 7, 7), [("P", "400765432", date(2030, 3, 3))])
BOTH = [OBRIEN, NAZAROV]


@dataclass
class Case:
    """What one corpus file must give: per message, the travellers (surname, given
    names, dob, documents) and warnings that must appear (substrings), in the file's
    warnings or the message's."""

    travellers: list[list[tuple[object, ...]]]
    warnings: list[str] = field(default_factory=list)
    clean: bool = False  # no warning at all
    action: ListAction = ListAction.FULL
    flight: tuple[str, str, date] | None = ("KK", "456", date(2025, 6, 1))
    extra: dict[str, object] = field(default_factory=dict)


CASES: dict[str, Case] = {
    # -- service string advice (§1, §7) --
    "una_default.edi": Case([BOTH], clean=True),
    "una_repetition_star.edi": Case([BOTH], clean=True, extra={"street": "4 QUAY*STREET"}),
    "una_star_dollar.edi": Case([BOTH], clean=True),
    "una_star_hash.edi": Case([BOTH], clean=True),
    "una_dash_apostrophe.edi": Case([BOTH], clean=True),
    "una_dash_star.edi": Case([BOTH], clean=True),
    "una_curly_terminator.edi": Case(
        [[("O\u2019BRIEN", *OBRIEN[1:]), NAZAROV]], ["unusable as declared", "terminator '\u2019'"]
    ),
    "una_curly_only_in_una.edi": Case([BOTH], ["unusable as declared", "decoded as utf-8"]),
    "una_backslash_release.edi": Case([BOTH], ["release character '\\\\' never used"]),
    "no_una.edi": Case([BOTH], clean=True),
    # -- envelopes and noise (§7) --
    "typeb_envelope.edi": Case([BOTH], ["Type-B envelope"]),
    "mail_disclaimer.edi": Case([BOTH], ["after the last segment terminator ignored"]),
    "wrapped_lines.edi": Case([BOTH], clean=True),
    "crlf.edi": Case([BOTH], clean=True),
    "cr_only.edi": Case([BOTH], clean=True),
    "single_line.edi": Case([BOTH], clean=True),
    "empty_line.edi": Case([BOTH], clean=True),
    "bom.edi": Case([BOTH], clean=True),
    "spaces_in_tags.edi": Case([BOTH], ["segment tag(s) with spaces"]),
    "truncated_mid_segment.edi": Case(
        [[OBRIEN, ("NAZAROV", "BEHRUZ", NAZAROV[2], [("P", "400123456", None)])]],
        ["has no UNT (truncated)", "no UNZ", "not understood (segment 34, DTM 36)"],
    ),
    "fragment_no_unt.edi": Case([[OBRIEN]], ["has no UNT", "no UNZ"]),
    # -- character sets (§8) --
    "latin1_in_unoa.edi": Case(
        [[OBRIEN, ("NAZ\u00c1ROV", "BEHR\u00daZ", *NAZAROV[2:])]], ["do not match UNOA", "latin-1"]
    ),
    "unoe_cyrillic.edi": Case([[OBRIEN, ("НАЗАРОВ", "БЕХРУЗ", *NAZAROV[2:])]], clean=True),
    "unow_utf8.edi": Case(
        [[OBRIEN, ("НАЗАРОВ", "БЕҲРУЗ", *NAZAROV[2:])]],
        clean=True,
        extra={"street_city": "GAILLIMH ÉIRE"},
    ),
    # -- envelope structure and control counts (§7) --
    "groups_ung_une.edi": Case([BOTH, [NAZAROV]], clean=True),
    "missing_unz.edi": Case([BOTH], ["interchange has no UNZ trailer"]),
    "unt_count_lies.edi": Case([BOTH], ["UNT segment count 51 differs from the 34 segments"]),
    "cnt_differs.edi": Case([BOTH], ["CNT 42 declares 3 passengers, 2 present"]),
    "several_messages.edi": Case([BOTH, [SAIDOVA]], clean=True),
    "several_interchanges.edi": Case([BOTH, [SAIDOVA]], clean=True),
    # -- multi-part: the CNT of a part is the flight's total, not checked on a part --
    "multipart_01C.edi": Case(
        [[OBRIEN]],
        ["part 1 of a multi-part message (more parts follow)"],
        extra={"part": (1, False)},
    ),
    "multipart_02C.edi": Case(
        [[NAZAROV]],
        ["part 2 of a multi-part message (more parts follow)"],
        extra={"part": (2, False)},
    ),
    "multipart_03F.edi": Case(
        [[SAIDOVA]], ["part 3 of a multi-part message"], extra={"part": (3, True)}
    ),
    # -- list kinds --
    "crew_list.edi": Case(
        [
            [
                (
                    "KARIMOV",
                    "DILSHOD",
                    date(1976, 4, 12),
                    [("P", "400555111", date(2032, 1, 15)), ("AC", "C0042", date(2027, 1, 15))],
                ),
                ("YILMAZ", "ELIF", date(1995, 1, 1), [("P", "U12345678", date(2030, 6, 1))]),
            ]
        ],
        clean=True,
        extra={"crew_roles": ["CR1", "CR2"], "code": "250"},
    ),
    "flight_close.edi": Case(
        [BOTH], clean=True, action=ListAction.CLOSE, extra={"code": "266", "subcode": "CLOB"}
    ),
    "change_cp.edi": Case(
        [[NAZAROV]], clean=True, action=ListAction.CHANGE, extra={"subcode": "CP"}
    ),
    "cancel_xr.edi": Case(
        [[OBRIEN]], clean=True, action=ListAction.CANCEL, extra={"subcode": "XR"}
    ),
    # -- two-digit years (§8): 150301 is a child born 2015, 450101 an adult born 1945 --
    "two_digit_years.edi": Case(
        [
            [
                (*OBRIEN[:2], date(2015, 3, 1), OBRIEN[3]),
                (*NAZAROV[:2], date(1945, 1, 1), NAZAROV[3]),
            ]
        ],
        clean=True,
    ),
    # -- legacy US-EDIFACT PAXLST 001:000 with UNS/PDT --
    "legacy_us_edifact.edi": Case(
        [BOTH], clean=True, extra={"legacy": True, "route": ("IST", "JFK")}
    ),
}

REFUSED: dict[str, tuple[str, object]] = {
    # file: (substring of the detail, expected position attribute)
    "cusres_only.edi": ("no PAXLST message found (UNH message type is CUSRES)", "UNH"),
    "pnrgov.edi": ("no PAXLST message found (UNH message type is PNRGOV)", "UNH"),
    "garbage.bin": ("not an EDIFACT message", 0),
    "empty.edi": ("not an EDIFACT message", 0),
    "not_edifact.xml": ("not an EDIFACT message", 0),
}


def test_every_corpus_file_has_an_expectation() -> None:
    files = {p.name for p in CORPUS.iterdir()}
    assert files == set(CASES) | set(REFUSED)


def _all_warnings(parsed: ParsedFile) -> list[str]:
    return parsed.warnings + [w for m in parsed.manifests for w in m.warnings]


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_file_is_read(name: str) -> None:
    case = CASES[name]
    parsed = parse_paxlst((CORPUS / name).read_bytes())
    warnings = _all_warnings(parsed)
    got = [
        [
            (
                t.surname,
                t.given_names,
                t.dob,
                [(d.doc_type, d.number, d.expiry) for d in t.documents],
            )
            for t in m.travellers
        ]
        for m in parsed.manifests
    ]
    want = [[(s, g, dob, list(docs)) for s, g, dob, docs in message] for message in case.travellers]
    assert got == want, warnings
    for expected in case.warnings:
        assert any(expected in w for w in warnings), (expected, warnings)
    if case.clean:
        assert warnings == []
    for manifest in parsed.manifests:
        assert manifest.action is case.action
        flight = manifest.flight
        assert flight is not None
        assert (flight.carrier, flight.number, flight.flight_date) == case.flight
    first = parsed.manifests[0]
    extra = case.extra
    if "street" in extra:
        assert first.travellers[0].address is not None
        assert first.travellers[0].address.street == extra["street"]
    if "street_city" in extra:
        assert first.travellers[0].address is not None
        assert first.travellers[0].address.city == extra["street_city"]
    if "part" in extra:
        assert (first.envelope.part_number, first.envelope.final_part) == extra["part"]
        assert first.envelope.common_access_ref == "KK0456/250601/1210"
    if "crew_roles" in extra:
        assert [t.crew_role for t in first.travellers] == extra["crew_roles"]
        assert all(t.role is Role.CREW for t in first.travellers)
        assert first.declared_crew == 2
    if "code" in extra:
        assert first.document_code == extra["code"]
    if "subcode" in extra:
        assert first.document_subcode == extra["subcode"]
    if "legacy" in extra:
        assert first.legacy is True
    if "route" in extra:
        assert first.flight is not None
        leg = first.flight.legs[0]
        assert (leg.departure_airport, leg.arrival_airport) == extra["route"]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_corpus_file_is_refused_with_a_reason(name: str) -> None:
    detail, where = REFUSED[name]
    with pytest.raises(ParseError) as info:
        parse_paxlst((CORPUS / name).read_bytes())
    error = info.value
    assert isinstance(error, PiuError) and error.status == 422
    assert detail in error.detail
    assert error.position is not None
    if isinstance(where, int):
        assert error.position.offset == where
    else:
        assert error.position.tag == where
    assert detail in str(error)


def test_multi_part_parts_share_the_flight_key_and_add_up() -> None:
    parts = [
        parse_paxlst((CORPUS / f"multipart_0{i}{c}.edi").read_bytes()).manifests[0]
        for i, c in ((1, "C"), (2, "C"), (3, "F"))
    ]
    assert {p.envelope.common_access_ref for p in parts} == {"KK0456/250601/1210"}
    assert [p.envelope.part_number for p in parts] == [1, 2, 3]
    assert sum(len(p.travellers) for p in parts) == parts[-1].declared_passengers == 3


def test_legacy_pdt_details() -> None:
    (manifest,) = parse_paxlst((CORPUS / "legacy_us_edifact.edi").read_bytes()).manifests
    obrien, nazarov = manifest.travellers
    assert (obrien.gender, obrien.nationality, obrien.embarkation, obrien.debarkation) == (
        "F",
        "IRL",
        "IST",
        "JFK",
    )
    assert obrien.documents[0].issuing_country == "IRL"
    assert (nazarov.gender, nazarov.nationality, nazarov.residence_country) == ("M", "TJK", "TJK")


def test_max_bytes() -> None:
    data = (CORPUS / "una_default.edi").read_bytes()
    with pytest.raises(ParseError) as info:
        parse_paxlst(data, max_bytes=100)
    assert f"{len(data)} bytes" in info.value.detail and "100" in info.value.detail
    assert info.value.status == 413
    assert parse_paxlst(data, max_bytes=len(data)).manifests


# -- field values that used to escape or vanish (regressions) ------------------------

BASE = (CORPUS / "una_default.edi").read_bytes()


@pytest.mark.parametrize(
    "old,new,warning",
    [
        (b"CNT+42:2", b"CNT+42:\xc2\xb2", "is not a count"),  # superscript two
        (b"CNT+42:2", b"CNT+42:" + b"9" * 5000, "is not a count"),  # int() digit limit
        (b"UNT+34", b"UNT+\xc2\xb2", "UNT segment count"),
        (b"01:F", b"\xc2\xb2:F", ""),
        (b"GEI+4+173'", b"GEI+4+173'\nMEA+CT++:INF'\nMEA+WT++KGM:NAN'", "not a number"),
        (b"GEI+4+173'", b"GEI+4+173'\nMEA+WT++KGM:1e400'", "not a number"),
        (b"GEI+4+173'", b"GEI+4+173'\nFTX+BAG+++KK1:\xc2\xb2'", ""),
        (
            b"DTM+189:2506011210",
            b"DTM+189:2502301210",
            "departure time '2502301210' at IST not understood",
        ),
        (
            b"DTM+232:2506011855",
            b"DTM+232:2506011899",
            "arrival time '2506011899' at DYU not understood",
        ),
    ],
)
def test_awkward_values_warn_instead_of_crashing(old: bytes, new: bytes, warning: str) -> None:
    assert old in BASE
    parsed = parse_paxlst(BASE.replace(old, new).replace(b"UNOA", b"UNOW"))
    assert len(parsed.manifests[0].travellers) == 2
    if warning:
        assert any(warning in w for w in _all_warnings(parsed)), _all_warnings(parsed)


def test_flight_warnings_are_given_once_not_per_traveller() -> None:
    no_flight = BASE.replace(b"TDT+20+KK0456+++KK'\n", b"").replace(b"LOC+87+DYU'\n", b"")
    warnings = parse_paxlst(no_flight).manifests[0].warnings
    assert warnings.count("only one flight airport (LOC 125 or 87) given") == 1
    bad = BASE.replace(b"TDT+20+KK0456+++KK", b"TDT+20+K-K")
    warnings = parse_paxlst(bad).manifests[0].warnings
    assert sum("not understood" in w for w in warnings) == 1


def test_space_as_release_character_means_none() -> None:
    data = BASE.replace(b"UNA:+.? '", b"UNA:+.  '").replace(b"O?'BRIEN", b"OBRIEN")
    manifest = parse_paxlst(data).manifests[0]
    assert manifest.reporting_party is not None
    assert manifest.reporting_party.name == "KK AIRLINES API DESK"
    assert manifest.travellers[0].address is not None
    assert manifest.travellers[0].address.street == "4 QUAY STREET"


def test_split_designator() -> None:
    assert split_designator("ZZ0123") == ("ZZ", "123")
    assert split_designator("ZZ 123") == ("ZZ", "123")
    assert split_designator("0123", "ZZ") == ("ZZ", "123")
    assert split_designator("7J0113", "7J") == ("7J", "113")
    assert split_designator("123", "ZZ") == ("ZZ", "123")
    assert split_designator("0123") is None  # no carrier anywhere: not "01" + "23"
    assert split_designator("Z-Z") is None


# -- the shared example (STANDARDS.md §1) -------------------------------------------------


@pytest.fixture
def example() -> ParsedFile:
    if not EXAMPLE.exists():
        pytest.skip(f"{EXAMPLE} absent: ../shared is not beside the project")
    return parse_paxlst(EXAMPLE.read_bytes())


def test_example_travellers(example: ParsedFile) -> None:
    assert example.warnings == []
    (manifest,) = example.manifests
    assert manifest.warnings == []
    assert len(manifest.travellers) == 2 == manifest.declared_passengers
    sean, nigina = manifest.travellers
    assert (sean.surname, sean.given_names, sean.dob) == (
        "O'REILLY",
        "SEAN PATRICK",
        date(1985, 1, 1),
    )
    assert [
        (d.doc_type, d.number, d.issuing_country, d.expiry, d.issue_date) for d in sean.documents
    ] == [
        ("P", "PA1234567", "IRL", date(2030, 1, 1), date(2020, 1, 2)),
        ("V", "TJ0098765", "TJK", date(2025, 4, 14), None),
    ]
    assert (sean.place_of_birth, sean.birth_country, sean.seat, sean.record_locator) == (
        "CORK",
        "IRL",
        "14C",
        "ABC123",
    )
    assert sean.bag_count == 1 and sean.bag_weight == 23.0 and sean.bag_tags == [("ZZ123456", 1)]
    assert (nigina.surname, nigina.given_names, nigina.dob, nigina.gender) == (
        "RAHIMOVA",
        "NIGINA",
        date(1992, 12, 31),
        "F",
    )
    assert [d.number for d in nigina.documents] == ["400000001"]


def test_example_flight_local_and_utc(example: ParsedFile) -> None:
    (manifest,) = example.manifests
    flight = manifest.flight
    assert flight is not None
    assert (flight.carrier, flight.number, flight.designator, flight.flight_date) == (
        "ZZ",
        "123",
        "ZZ0123",
        date(2025, 3, 15),
    )
    (leg,) = flight.legs
    assert (leg.departure_airport, leg.arrival_airport) == ("IST", "DYU")
    assert leg.departure_local == datetime(2025, 3, 15, 8, 15)
    assert leg.arrival_local == datetime(2025, 3, 15, 14, 30)
    # Istanbul is UTC+3, Dushanbe UTC+5.
    assert leg.departure_utc == datetime(2025, 3, 15, 5, 15, tzinfo=UTC)
    assert leg.arrival_utc == datetime(2025, 3, 15, 9, 30, tzinfo=UTC)


def test_example_envelope(example: ParsedFile) -> None:
    (manifest,) = example.manifests
    env = manifest.envelope
    assert (env.sender, env.recipient, env.interchange_ref, env.message_ref) == (
        "ZZAIRLINE",
        "TJPIUAPI",
        "000000417",
        "PAX417",
    )
    assert env.prepared_at == datetime(2025, 3, 15, 4, 12)
    assert (env.common_access_ref, env.part_number, env.final_part) == (
        "ZZ0123/250315/0815",
        1,
        True,
    )
    assert manifest.transaction_ref == "ZZ0123150325"
    assert manifest.reporting_party is not None
    assert manifest.reporting_party.name == "ZZ AIRLINES API DESK"
    assert envelope_of  # shared with the PNRGOV parser; exercised through parse_paxlst


def test_flight_number_alone_takes_the_carrier_from_tdt() -> None:
    data = BASE.replace(b"TDT+20+KK0456+++KK", b"TDT+20+0456+++KK")
    flight = parse_paxlst(data).manifests[0].flight
    assert flight is not None and (flight.carrier, flight.number) == ("KK", "456")
