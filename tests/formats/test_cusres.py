"""CUSRES writer (the iAPI answer): the example's shape byte for byte, counts and
references right, every special character released, and a round trip through
the reader for any string a carrier or a country's configuration may hold."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openpiu.formats import edifact
from openpiu.formats.cusres import Answer, Cusres, Directive, read_cusres, write_cusres

EXAMPLE = Path("/work/shared/examples/cusres_example.edi")
OK = Directive("0Z", "OK TO BOARD")
CONTACT = Directive("1Z", "NO BOARD - CONTACT PIU")


def example() -> Cusres:
    """The answer of STANDARDS.md §3, built from scratch."""
    return Cusres(
        sender="TJPIUAPI:ZZ", recipient="ZZAIRLINE:ZZ", prepared_at=datetime(2025, 3, 15, 6, 41),
        interchange_ref="000000418", common_access_ref="ZZ0123/250315/0815",
        transaction_ref="ZZ0123150325", flight="ZZ0123",
        departure=datetime(2025, 3, 15, 8, 15), arrival=datetime(2025, 3, 15, 14, 30),
        origin="IST", destination="DYU",
        answers=(Answer("ABC123", "ZZ0123001", OK), Answer("XYZ789", "ZZ0123002", CONTACT)),
    )  # fmt: skip


def test_writes_the_example_byte_for_byte() -> None:
    if not EXAMPLE.exists():
        pytest.skip(f"{EXAMPLE} not present")
    assert write_cusres(example()) == EXAMPLE.read_bytes()


def test_counts_and_references_hold_for_any_number_of_travellers() -> None:
    for n in (0, 1, 7, 300):
        c = Cusres(sender="PIU", recipient="ZZAIR", prepared_at=datetime(2025, 1, 2, 3, 4),
                   interchange_ref="000000009",
                   answers=tuple(Answer(f"L{i}", f"R{i}", OK) for i in range(n)))  # fmt: skip
        raw = write_cusres(c)
        [interchange] = edifact.read(raw)
        [message] = interchange.messages
        assert interchange.warnings == [] and message.warnings == []
        assert message.trailer is not None
        # UNH + BGM + 5 per traveller + UNT
        assert message.trailer.get(0) == str(3 + 5 * n)
        assert message.header.get(0) == message.trailer.get(1) == "RES9"
        assert read_cusres(raw).answers == c.answers


def test_special_characters_are_released() -> None:
    c = Cusres(
        sender="PIU",
        recipient="ZZ",
        prepared_at=datetime(2025, 1, 1),
        interchange_ref="1",
        answers=(Answer("O'NEIL+1", "A:B?C", Directive("0Z", "OK: BOARD + GO'")),),
    )
    raw = write_cusres(c)
    assert b"RFF+AVF:O?'NEIL?+1'" in raw
    assert b"RFF+ABO:A?:B??C'" in raw
    assert b"FTX+AAP+++OK?: BOARD ?+ GO?''" in raw
    assert read_cusres(raw).answers == c.answers


def test_syntax_level_follows_the_data() -> None:
    def head(text: str) -> bytes:
        c = Cusres(
            sender="PIU",
            recipient="ZZ",
            prepared_at=datetime(2025, 1, 1),
            interchange_ref="1",
            answers=(Answer(None, "R1", Directive("0Z", text)),),
        )
        return write_cusres(c).split(b"\n")[1]

    assert head("OK TO BOARD").startswith(b"UNB+UNOA:4")
    assert head("ok to board").startswith(b"UNB+UNOB:4")
    assert head("ПОСАДКА РАЗРЕШЕНА").startswith(b"UNB+UNOW:4")


# (A backslash as release is not among the UNAs: our reader takes an unused "\\"
# beside "?"-released text for the §7 UNA typo and reads "?" instead; by design.)
# Values as they may come: any printable text, separators and release included;
# control characters are dropped by the writer (no reader keeps them).
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
_ref = st.one_of(st.none(), _text)


def _kept(value: str | None) -> str | None:
    """What the reader gives back for a value: control characters dropped, and
    an empty value is an absent one."""
    if value is None:
        return None
    cleaned = "".join(ch for ch in value if not (ord(ch) < 0x20 or ord(ch) == 0x7F))
    return cleaned or None


@settings(max_examples=300, deadline=None)
@given(
    answers=st.lists(st.tuples(_ref, _ref, _text, _text), max_size=5),
    flight=_ref, tn=_ref, car=_ref, una=st.sampled_from([":+.? '", ":+,? '", "|*.! ~"]),
)  # fmt: skip
def test_fuzz_round_trip(
    answers: list[tuple[str | None, str | None, str, str]],
    flight: str | None,
    tn: str | None,
    car: str | None,
    una: str,
) -> None:
    c = Cusres(
        sender="PIU:ZZ", recipient="ZZAIR:ZZ", prepared_at=datetime(2025, 3, 15, 6, 41),
        interchange_ref="000000418", flight=flight, transaction_ref=tn, common_access_ref=car,
        answers=tuple(Answer(loc, ref, Directive(code, text)) for loc, ref, code, text in answers),
    )  # fmt: skip
    raw = write_cusres(c, una=una)
    back = read_cusres(raw)
    assert back.warnings == []
    assert (back.flight, back.transaction_ref, back.common_access_ref) == (
        _kept(flight), _kept(tn), _kept(car))  # fmt: skip
    assert len(back.answers) == len(answers)
    for got, (loc, ref, code, text) in zip(back.answers, answers, strict=True):
        assert got.record_locator == _kept(loc)
        assert got.passenger_ref == _kept(ref)
        assert got.directive.code == (_kept(code) or "")
        assert got.directive.text == (_kept(text) or "")
