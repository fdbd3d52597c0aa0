"""Property tests for the EDIFACT tokenizer and the PAXLST parser.

Valid messages from the writer and the generator are mutated the way the field
breaks them (STANDARDS.md §7): segments dropped, duplicated, reordered or cut,
separators swapped, bytes injected or flipped, release characters sprinkled, huge
repeated segments.  Whatever comes in, :func:`parse_paxlst` either returns a
:class:`ParsedFile` or raises :class:`ParseError` with a non-empty detail, never
another exception and never a hang.

The run is bounded for the normal test suite (about half a minute in all); set
``PIU_FUZZ_EXAMPLES`` (examples per test) to search longer, e.g.
``PIU_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/formats/test_paxlst_fuzz.py``.
"""

from __future__ import annotations

import os
import random
import time
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openpiu.errors import ParseError, PiuError
from openpiu.formats.paxlst import parse_paxlst
from openpiu.formats.paxlst_writer import write_paxlst, write_paxlst_parts
from openpiu.model import ParsedFile
from openpiu.synth.paxlst_gen import generate_manifests

EXAMPLES = int(os.environ.get("PIU_FUZZ_EXAMPLES", "0") or 0)
settings.register_profile(
    "piu-fuzz",
    max_examples=EXAMPLES or 150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("piu-fuzz")
TIME_BUDGET = 2.0  # seconds per parse; a tolerant parser must never hang

# Small manifests keep each example fast; a few seeds give variety (crew, visas,
# multi-leg flights, addresses).
MANIFESTS = list(generate_manifests(6, 5, seed=7))
UNAS = [":+.? '", ":+.?*'", ":*.? $", ":*.? #", ":-.? '", ":-.? *", ":+,? '", ":+.\\ '"]
SEEDS = [write_paxlst(m, una=u) for m, u in zip(MANIFESTS, UNAS, strict=False)]
SEEDS += write_paxlst_parts(MANIFESTS[0], 2)
SEEDS.append(write_paxlst(MANIFESTS[1], newline=False))


def check(data: bytes, max_bytes: int | None = None) -> ParsedFile | None:
    """Parse; allow only a result or a ParseError with a detail; within the budget."""
    start = time.perf_counter()
    try:
        result = parse_paxlst(data, max_bytes=max_bytes)
    except ParseError as exc:
        assert isinstance(exc, PiuError)
        assert exc.detail and exc.detail.strip()
        assert str(exc)
        result = None
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_BUDGET, f"parse took {elapsed:.2f} s on {len(data)} bytes"
    if result is not None:
        assert result.manifests
        for manifest in result.manifests:
            assert all(isinstance(w, str) and w for w in manifest.warnings)
    return result


def _segments(data: bytes) -> tuple[bytes, bytes, list[bytes]]:
    """(UNA line, terminator, segments) of a writer's output, for mutation."""
    head, term = b"", b"'"
    if data.startswith(b"UNA"):
        head, term = data[:9], data[8:9]
        data = data[9:]
    # The writer ends every segment with terminator + newline (released terminators
    # inside data have no newline after them), except with newline=False.
    sep = term + b"\n" if term + b"\n" in data else term
    return head, sep, [s for s in data.split(sep) if s.strip()]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    seed = draw(st.sampled_from(SEEDS))
    head, term, segs = _segments(seed)
    ops = draw(
        st.lists(
            st.sampled_from(
                [
                    "drop",
                    "dup",
                    "swap",
                    "cut",
                    "truncate",
                    "inject",
                    "flip",
                    "release",
                    "separator",
                    "huge",
                    "una",
                    "crlf",
                    "insert",
                ]
            ),
            min_size=1,
            max_size=4,
        )
    )
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    for op in ops:
        if not segs:
            break
        i = rng.randrange(len(segs))
        if op == "drop":
            del segs[i]
        elif op == "dup":
            segs.insert(i, segs[i])
        elif op == "swap":
            j = rng.randrange(len(segs))
            segs[i], segs[j] = segs[j], segs[i]
        elif op == "cut":
            s = segs[i]
            segs[i] = s[: rng.randrange(len(s) + 1)]
        elif op == "truncate":
            segs = segs[:i]
        elif op == "inject":
            s = segs[i]
            k = rng.randrange(len(s) + 1)
            segs[i] = s[:k] + draw(st.binary(min_size=1, max_size=12)) + s[k:]
        elif op == "flip":
            s = bytearray(segs[i])
            if s:
                s[rng.randrange(len(s))] = rng.randrange(256)
            segs[i] = bytes(s)
        elif op == "release":
            s = segs[i]
            k = rng.randrange(len(s) + 1)
            segs[i] = s[:k] + rng.choice([b"?", b"??", b"\\"]) + s[k:]
        elif op == "separator":
            a, b = rng.sample([b":", b"+", b"*", b"-", b"'", b"?", b"$", b"#"], 2)
            segs[i] = segs[i].replace(a, b)
        elif op == "huge" and sum(map(len, segs)) < 100_000:
            # One long segment (the same one glued 200 times) and many repeats.
            segs.insert(i, segs[i][:500] * rng.randrange(1, 200))
            segs[i:i] = [segs[i][:500]] * rng.randrange(1, 300)
        elif op == "una":
            head = b"UNA" + bytes(rng.choice(b":+.?* '$#-\\\xe2") for _ in range(6))
        elif op == "crlf":
            segs[i] = segs[i].replace(b"\n", rng.choice([b"\r\n", b"\r", b"", b"\n\n"]))
        elif op == "insert":
            segs.insert(i, draw(st.binary(max_size=30)))
    return head + term.join(segs) + (term if draw(st.booleans()) else b"")  # term may be "'\n"


@FUZZ
@given(mutated())
def test_mutated_messages_parse_or_fail_cleanly(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_parse_or_fail_cleanly(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.sampled_from(SEEDS), st.binary(max_size=200), st.integers(0, 10**6))
def test_random_tail_or_head_parse_or_fail_cleanly(seed: bytes, noise: bytes, at: int) -> None:
    """Noise spliced anywhere: before, inside, or after the interchange."""
    k = at % (len(seed) + 1)
    check(seed[:k] + noise + seed[k:])


@FUZZ
@given(st.text(alphabet="UNABGHTZ+:'?*\n\r $#-0123456789", max_size=300))
def test_edifact_shaped_text_parse_or_fail_cleanly(text: str) -> None:
    """Text made mostly of service tags and separators reaches the deeper paths."""
    check(text.encode())
    check(("UNB+UNOA:4+A+B+250101:0000+1'UNH+1+PAXLST:D:05B:UN:IATA'" + text).encode())


# -- round trip -----------------------------------------------------------------

# Valid UNA choices: four distinct separators that are not letters, digits or space.
_SEPARATORS = st.sampled_from(list(":+*-'$#|!~^/<>;%&"))


@st.composite
def valid_una(draw: st.DrawFn) -> str:
    comp, elem, rel, term = draw(st.lists(_SEPARATORS, min_size=4, max_size=4, unique=True))
    decimal = draw(st.sampled_from([".", ","]))
    repetition = draw(
        st.sampled_from([" ", "*"]).filter(lambda r: r not in (comp, elem, rel, term))
    )
    return comp + elem + decimal + rel + repetition + term


@FUZZ
@given(st.integers(0, len(MANIFESTS) - 1), valid_una(), st.booleans())
def test_round_trip_with_any_valid_una(index: int, una: str, newline: bool) -> None:
    original = MANIFESTS[index]
    parsed = check(write_paxlst(original, una=una, newline=newline))
    assert parsed is not None
    (manifest,) = parsed.manifests
    assert manifest.flight is not None and original.flight is not None
    assert (manifest.flight.carrier, manifest.flight.number, manifest.flight.flight_date) == (
        original.flight.carrier,
        original.flight.number,
        original.flight.flight_date,
    )
    assert len(manifest.travellers) == len(original.travellers)
    for got, want in zip(manifest.travellers, original.travellers, strict=True):
        assert (got.surname, got.given_names, got.dob, got.role) == (
            want.surname,
            want.given_names,
            want.dob,
            want.role,
        )
        assert [(d.doc_type, d.number, d.issuing_country, d.expiry) for d in got.documents] == [
            (d.doc_type, d.number, d.issuing_country, d.expiry) for d in want.documents
        ]


_NAME_CHARS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ '-?:+*$#.,", min_size=1, max_size=20)


@FUZZ
@given(
    valid_una(),
    _NAME_CHARS.filter(lambda s: s.strip() == s and s.strip()),
    st.dates(date(1920, 1, 1), date(2025, 3, 14)),
)
def test_round_trip_of_names_with_special_characters(una: str, surname: str, dob: date) -> None:
    """Separators, the release character and spaces inside names come back as sent."""
    original = MANIFESTS[0]
    traveller = original.travellers[0]
    saved = (traveller.surname, traveller.dob)
    traveller.surname, traveller.dob = surname, dob
    try:
        parsed = check(write_paxlst(original, una=una))
    finally:
        traveller.surname, traveller.dob = saved
    assert parsed is not None
    got = parsed.manifests[0].travellers[0]
    assert got.surname == surname
    # A two-digit year is placed in the century that keeps the birth before the flight;
    # the writer sends YYMMDD, so only the last 100 years come back exactly.
    assert got.dob == dob or (
        original.flight
        and original.flight.flight_date
        and (original.flight.flight_date - dob).days > 365 * 99
    )


# -- size limit -------------------------------------------------------------------


@FUZZ
@given(st.sampled_from(SEEDS), st.integers(1, 5000))
def test_max_bytes_refuses_larger_input_naming_the_size(seed: bytes, limit: int) -> None:
    if len(seed) > limit:
        with pytest.raises(ParseError) as info:
            parse_paxlst(seed, max_bytes=limit)
        assert str(len(seed)) in info.value.detail and str(limit) in info.value.detail
        assert "bytes" in info.value.detail
    else:
        assert parse_paxlst(seed, max_bytes=limit).manifests


def test_huge_repeated_segment_is_fast() -> None:
    """A segment repeated 20,000 times, and one segment of 1 MB, parse quickly."""
    head, term, segs = _segments(SEEDS[0])
    nad = next(s for s in segs if s.lstrip().startswith(b"NAD+FL"))
    many = head + term.join(segs[:-3] + [nad] * 20_000 + segs[-3:]) + term
    result = check(many)
    assert result is not None and len(result.manifests[0].travellers) > 20_000
    one = head + term.join(segs[:-3] + [b"FTX+AAI+++" + b"X?'" * 300_000] + segs[-3:]) + term
    assert check(one) is not None


# -- one field at a time ------------------------------------------------------------

EXAMPLE_SEED = SEEDS[0].decode("ascii")
# Values that int(), float() and date() trip over: superscript digits, INF/NAN,
# thousands of digits, signs, Arabic-Indic digits, separators in odd places.
_AWKWARD = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "INF",
            "-inf",
            "nan",
            "1e400",
            "²",
            "١٢",
            "9" * 5000,
            "-1",
            "+1",
            "0",
            "000000",
            "999999",
            "991399",
            "000229",
            "2502300815",
            " ",
            "::",
            "??",
        ]
    ),
)
_FIELDS = [
    "CNT+42:",
    "CNT+41:",
    "MEA+CT++:",
    "MEA+WT++KGM:",
    "DTM+329:",
    "DTM+36:",
    "DTM+182:",
    "DTM+189:",
    "DTM+232:",
    "ATT+2++",
    "GEI+4+",
    "NAT+2+",
    "LOC+91+",
    "LOC+125+",
    "LOC+180+:::",
    "FTX+BAG+++X:",
    "RFF+AVF:",
    "TDT+20+",
    "BGM+",
    "DOC+",
    "EMP+1+",
]


@FUZZ
@given(st.sampled_from(_FIELDS), _AWKWARD)
def test_awkward_field_values_never_escape_as_other_exceptions(field: str, value: str) -> None:
    """Every numeric and date field fed with what int(), float() and date() refuse."""
    escaped = "".join("?" + c if c in ":+'?" else c for c in value)
    text = EXAMPLE_SEED
    if field not in text:
        text = text.replace("CNT+42:", field + "1'\nCNT+42:", 1)
    at = text.index(field) + len(field)
    end = text.index("'", at)
    check((text[:at] + escaped + text[end:]).encode("utf-8"))


@FUZZ
@given(st.sampled_from(["UNB", "UNH", "UNT", "UNG", "UNE", "UNZ"]), st.integers(0, 8), _AWKWARD)
def test_awkward_envelope_values_never_escape(tag: str, element: int, value: str) -> None:
    text = EXAMPLE_SEED
    at = text.index(tag + "+")
    end = text.index("'\n", at)
    parts = text[at:end].split("+")
    while len(parts) <= element + 1:
        parts.append("")
    parts[element + 1] = "".join("?" + c if c in ":+'?" else c for c in value)
    check((text[:at] + "+".join(parts) + text[end:]).encode("utf-8"))
