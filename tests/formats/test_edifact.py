"""The EDIFACT tokenizer on its own: service characters, release, envelopes, counts."""

from __future__ import annotations

import pytest

from openpiu.errors import ParseError
from openpiu.formats import edifact
from openpiu.formats.dates import parse_date, parse_datetime, parse_unb_datetime

UNB = "UNB+UNOA:4+SENDER:ZZ+RECIP:ZZ+250601:0930+1'"


def one_message(body: str, segments: int = 1, una: str = "UNA:+.? '") -> edifact.Message:
    data = f"{una}{UNB}UNH+1+PAXLST:D:05B:UN:IATA'{body}UNT+{segments + 2}+1'UNZ+1+1'"
    (interchange,) = edifact.read(data.encode())
    (message,) = interchange.messages
    return message


@pytest.mark.parametrize(
    "text,expected",
    [
        ("FTX+X+A??", ["A?"]),
        ("FTX+X+??A", ["?A"]),
        ("FTX+X+A?'B", ["A'B"]),
        ("FTX+X+?'A", ["'A"]),
        ("FTX+X+A?+B", ["A+B"]),
        ("FTX+X+A?:B", ["A:B"]),
        ("FTX+X+????", ["??"]),
        ("FTX+X+A:B?:C", ["A", "B:C"]),
        ("FTX+X+A?*B", ["A*B"]),  # a released repetition character is literal
    ],
)
def test_release_character(text: str, expected: list[str]) -> None:
    message = one_message(text + "'")
    (ftx,) = message.body
    assert ftx.tag == "FTX"
    assert ftx.components(1) == expected
    assert not message.warnings


def test_literal_release_before_terminator_ends_the_segment() -> None:
    """``A??'`` is a literal ``?`` and then the terminator, not a released terminator."""
    message = one_message("FTX+X+A??'FTX+Y'", 2)
    assert [s.tag for s in message.body] == ["FTX", "FTX"]
    assert message.body[0].get(1) == "A?"


def test_many_released_terminators_in_one_segment_is_linear() -> None:
    """Was quadratic (_rejoin_released): 300,000 ``?'`` must take well under a second."""
    import time

    start = time.perf_counter()
    message = one_message("FTX+X+" + "A?'" * 300_000 + "'")
    assert time.perf_counter() - start < 2.0
    assert message.body[0].get(1) == "A'" * 300_000


def test_segment_api() -> None:
    message = one_message("NAD+FL+++DOE:JANE:ANN+1 MAIN ST'")
    (nad,) = message.body
    assert (nad.tag, nad.index) == ("NAD", 4)
    assert (
        nad.get(0) == "FL" and nad.get(3, 1) == "JANE" and nad.get(3, 5) == "" and nad.get(9) == ""
    )
    assert nad.components(3) == ["DOE", "JANE", "ANN"] and nad.components(9) == []
    assert nad.elements == [["FL"], [""], [""], ["DOE", "JANE", "ANN"], ["1 MAIN ST"]]
    assert edifact.component_of(nad.parts, 3, 2) == "ANN"
    same = edifact.Segment.of("NAD", nad.elements, 4)
    assert same.parts == nad.parts
    assert nad.position(3, 1).element == 3
    assert message.type_code == "PAXLST" and message.message_type == "PAXLST:D:05B:UN:IATA"


@pytest.mark.parametrize("una", [":+.? '", ":+.?*'", ":*.? $", ":*.? #", ":-.? '", ":-.? *"])
def test_una_choices(una: str) -> None:
    c, e, _, r, _, t = una
    body = f"NAD{e}FL{e}{e}{e}O{r}{t}REILLY{c}SEAN{t}"
    unb = UNB.replace("+", e).replace(":", c).replace("'", t)
    data = f"UNA{una}\n{unb}\nUNH{e}1{e}PAXLST{t}\n{body}\nUNT{e}3{e}1{t}\nUNZ{e}1{e}1{t}\n"
    (interchange,) = edifact.read(data.encode())
    assert interchange.chars == edifact.ServiceChars.from_una(una)
    assert interchange.warnings == []
    (message,) = interchange.messages
    assert message.body[0].components(3) == [f"O{t}REILLY", "SEAN"]


def test_no_una_uses_defaults_and_bare_message() -> None:
    (interchange,) = edifact.read(b"UNH+1+PAXLST'BGM+745'UNT+3+1'")
    assert interchange.chars == edifact.ServiceChars()
    (message,) = interchange.messages
    assert [s.tag for s in message.body] == ["BGM"]
    assert interchange.warnings == []


def test_no_una_and_odd_unb_is_inferred() -> None:
    data = b"UNB*UNOA:4*S*R*250601:0930*1$UNH*1*PAXLST$BGM*745$UNT*3*1$UNZ*1*1$"
    (interchange,) = edifact.read(data)
    assert (interchange.chars.element, interchange.chars.terminator) == ("*", "$")
    assert any("inferred" in w for w in interchange.warnings)
    assert interchange.messages[0].body[0].get(0) == "745"


def test_several_interchanges_each_with_its_own_una() -> None:
    first = f"UNA:+.? '{UNB}UNH+1+PAXLST'UNT+2+1'UNZ+1+1'"
    second = "UNA:*.? $UNB*UNOA:4*S*R*250601:0930*2$UNH*2*PAXLST$UNT*2*2$UNZ*1*2$"
    interchanges = edifact.read((first + "\n" + second).encode())
    assert [i.chars.element for i in interchanges] == ["+", "*"]
    assert [i.messages[0].header.get(0) for i in interchanges] == ["1", "2"]


def test_envelope_counts_and_references_are_checked() -> None:
    data = (
        f"UNA:+.? '{UNB}UNG+PAXLST+S+R+250601:0930+7+UN+D:05B'"
        "UNH+1+PAXLST'BGM+745'UNT+9+2'UNE+3+8'UNZ+5+X'"
    )
    (interchange,) = edifact.read(data.encode())
    (message,) = interchange.messages
    assert any("UNT segment count 9 differs from the 3" in w for w in message.warnings)
    assert any("UNT reference '2' differs" in w for w in message.warnings)
    warnings = interchange.warnings
    assert any("UNE count 3 differs from the 1" in w for w in warnings)
    assert any("UNE reference '8' differs" in w for w in warnings)
    assert any("UNZ count 5 differs from the 1" in w for w in warnings)
    assert any("UNZ reference 'X' differs" in w for w in warnings)


def test_fragment_and_stray_segments() -> None:
    data = f"UNA:+.? '{UNB}BGM+1'UNH+1+PAXLST'BGM+745'UNH+2+PAXLST'BGM+745'"
    (interchange,) = edifact.read(data.encode())
    first, second = interchange.messages
    assert first.trailer is None and any("no UNT" in w for w in first.warnings)
    assert second.trailer is None and any("truncated" in w for w in second.warnings)
    assert any("1 segment(s) outside any message" in w for w in interchange.warnings)
    assert any("no UNZ" in w for w in interchange.warnings)


def test_tag_with_spaces_or_lower_case_is_read_and_reported() -> None:
    data = f"UNA:+.? '{UNB}UNH+1+PAXLST' bgm+745'UNT+3+1'UNZ+1+1'"
    (interchange,) = edifact.read(data.encode())
    assert interchange.messages[0].body[0].tag == "BGM"
    assert any("segment tag(s) with spaces" in w for w in interchange.warnings)


def test_unusable_una_is_inferred_from_unb() -> None:
    data = f"UNA:+.? \u2019{UNB}UNH+1+PAXLST'UNT+2+1'UNZ+1+1'".encode()
    (interchange,) = edifact.read(data)
    assert interchange.chars.terminator == "'"
    assert any("unusable as declared" in w for w in interchange.warnings)


def test_backslash_release_typo_in_una() -> None:
    data = f"UNA:+.\\ '{UNB}UNH+1+PAXLST'FTX+X+O?'REILLY'UNT+3+1'UNZ+1+1'".encode()
    (interchange,) = edifact.read(data)
    assert interchange.chars.release == "?"
    assert interchange.messages[0].body[0].get(1) == "O'REILLY"
    # A backslash that the message does use is honoured as declared.
    data = f"UNA:+.\\ '{UNB}UNH+1+PAXLST'FTX+X+O\\'REILLY?'UNT+3+1'UNZ+1+1'".encode()
    (interchange,) = edifact.read(data)
    assert interchange.chars.release == "\\"
    assert interchange.messages[0].body[0].get(1) == "O'REILLY?"


@pytest.mark.parametrize(
    "data,codec_warning,name",
    [
        ("UNB+UNOW:4+S+R+250601:0930+1'UNH+1+PAXLST'FTX+X+ÉIRE'UNT+3+1'".encode(), None, "ÉIRE"),
        (
            "UNB+UNOE:4+S+R+250601:0930+1'UNH+1+PAXLST'FTX+X+ИВАН'UNT+3+1'".encode("iso8859-5"),
            None,
            "ИВАН",
        ),
        (
            "UNB+UNOA:4+S+R+250601:0930+1'UNH+1+PAXLST'FTX+X+ÉIRE'UNT+3+1'".encode(),
            "decoded as utf-8",
            "ÉIRE",
        ),
        (
            "UNB+UNOA:4+S+R+250601:0930+1'UNH+1+PAXLST'FTX+X+\xc9IRE\xff'UNT+3+1'".encode(
                "latin-1"
            ),
            "decoded as latin-1",
            "\xc9IRE\xff",
        ),
        (b"UNB+UNOX:4+S+R+250601:0930+1'UNH+1+PAXLST'UNT+2+1'", "unknown syntax identifier", None),
    ],
)
def test_decoding_by_syntax_identifier(
    data: bytes, codec_warning: str | None, name: str | None
) -> None:
    (interchange,) = edifact.read(data)
    if codec_warning:
        assert any(codec_warning in w for w in interchange.warnings), interchange.warnings
    else:
        assert not any("decoded" in w for w in interchange.warnings)
    if name:
        assert interchange.messages[0].body[0].get(1) == name


def test_type_b_envelope_and_trailing_text_are_stripped() -> None:
    data = (
        b"\x01QP TJPIUXA\r\n.KKAPIXH 010930\r\n\x02"
        + f"UNA:+.? '{UNB}".encode()
        + b"UNH+1+PAXLST'UNT+2+1'UNZ+1+1'\x03\r\nRegards, the API desk\r\n"
    )
    (interchange,) = edifact.read(data)
    assert len(interchange.messages) == 1
    assert any("Type-B" in w for w in interchange.warnings)
    assert any("after the last segment terminator" in w for w in interchange.warnings)


@pytest.mark.parametrize("data", [b"", b"hello", b"<xml/>", bytes(range(256)), b"UNA"])
def test_not_edifact(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        edifact.read(data)
    assert "not an EDIFACT message" in info.value.detail
    assert info.value.position is not None and info.value.position.offset == 0


def test_max_bytes() -> None:
    with pytest.raises(ParseError) as info:
        edifact.read(b"UNH+1+PAXLST'UNT+2+1'", max_bytes=10)
    assert "21 bytes exceeds the maximum of 10 bytes" in info.value.detail


def test_gc_paused_restores_state() -> None:
    import gc

    assert gc.isenabled()
    with edifact.gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


# -- dates (§8: two-digit years) ----------------------------------------------------------

FLIGHT = parse_date("250315", None, "flight")


@pytest.mark.parametrize(
    "value,kind,expected",
    [
        ("050101", "birth", (2005, 1, 1)),  # a child
        ("450101", "birth", (1945, 1, 1)),  # an adult
        ("250315", "birth", (2025, 3, 15)),  # born on the day of the flight
        ("250316", "birth", (1925, 3, 16)),  # never in the future
        ("300101", "expiry", (2030, 1, 1)),
        ("991231", "expiry", (1999, 12, 31)),  # nearest the flight: expired, not 2099
        ("200102", "issue", (2020, 1, 2)),
        ("19850101", "birth", (1985, 1, 1)),
        ("15MAR85", "birth", (1985, 3, 15)),
        ("1985-01-01", "birth", (1985, 1, 1)),
        ("000229", "birth", (2000, 2, 29)),
        ("290229", "birth", None),  # 1929 and 2029 are not leap years
        ("251301", "birth", None),
        ("", "birth", None),
        ("²²0101", "birth", None),
    ],
)
def test_two_digit_years(value: str, kind: str, expected: tuple[int, int, int] | None) -> None:
    got = parse_date(value, FLIGHT, kind)
    assert (got.timetuple()[:3] if got else None) == expected


def test_datetimes() -> None:
    assert parse_datetime("2503150815").timetuple()[:5] == (2025, 3, 15, 8, 15)  # type: ignore[union-attr]
    assert parse_datetime("202503150815").timetuple()[:5] == (2025, 3, 15, 8, 15)  # type: ignore[union-attr]
    assert parse_datetime("2502300815") is None
    assert parse_unb_datetime("250315", "0412").timetuple()[:5] == (2025, 3, 15, 4, 12)  # type: ignore[union-attr]
    assert parse_unb_datetime("251315", "0412") is None
