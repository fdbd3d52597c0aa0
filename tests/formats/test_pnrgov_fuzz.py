"""Property tests for the PNRGOV parser, as for PAXLST (test_paxlst_fuzz.py).

Valid pushes from the writer, the shared example and the corpus are mutated the
way the field breaks them (STANDARDS §7): segments dropped, duplicated, reordered
or cut, separators swapped, bytes injected.  Whatever comes in,
:func:`parse_pnrgov` returns a :class:`ParsedFile` or raises :class:`ParseError`
with a detail, never another exception and never a hang.

Bounded for the normal suite (well under 40 s); set ``PIU_FUZZ_EXAMPLES``
(examples per test) to search longer.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_pnrgov import make_push  # same directory (pytest's rootdir-less import)

from openpiu.errors import ParseError
from openpiu.formats.pnrgov import parse_pnrgov
from openpiu.formats.pnrgov_writer import write_pnrgov
from openpiu.model import ParsedFile, PushKind

EXAMPLES = int(os.environ.get("PIU_FUZZ_EXAMPLES", "0") or 0)
FUZZ = settings(max_examples=EXAMPLES or 250, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TIME_BUDGET = 2.0  # seconds per parse

CORPUS = Path(__file__).parent / "pnrgov_corpus"
# ../shared beside the project root (PIU_SHARED_DIR overrides); tests that need it
# skip visibly where it is absent, as on a user's machine.
SHARED = Path(
    os.environ.get("PIU_SHARED_DIR") or Path(__file__).resolve().parents[2].parent / "shared"
)
EXAMPLE = SHARED / "examples" / "pnrgov_example.edi"
SEEDS = [write_pnrgov(make_push(3)), write_pnrgov(make_push(2), una=":*.? $"),
         write_pnrgov(make_push(1, PushKind.CANCEL))]
SEEDS += [p.read_bytes() for p in sorted(CORPUS.glob("*.edi"))]
if EXAMPLE.exists():
    SEEDS.append(EXAMPLE.read_bytes())


def check(data: bytes) -> ParsedFile | None:
    start = time.perf_counter()
    try:
        result: ParsedFile | None = parse_pnrgov(data)
    except ParseError as exc:
        assert exc.detail and exc.detail.strip()
        result = None
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_BUDGET, f"parse took {elapsed:.2f} s on {len(data)} bytes"
    if result is not None:
        assert result.pushes
        for push in result.pushes:
            assert all(isinstance(w, str) and w for w in push.warnings)
            for booking in push.bookings:
                assert booking.record_locator
                assert all(isinstance(w, str) and w for w in booking.warnings)
                assert not any("MOML" in w or "WCHR" in w for w in booking.warnings)
    return result


def _segments(data: bytes) -> tuple[bytes, bytes, list[bytes]]:
    head, term = b"", b"'"
    if data.startswith(b"UNA"):
        head, term = data[:9], data[8:9]
        data = data[9:]
    return head, term, [s for s in data.split(term) if s.strip()]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    head, term, segs = _segments(draw(st.sampled_from(SEEDS)))
    ops = draw(st.lists(st.sampled_from(
        ["drop", "dup", "swap", "cut", "truncate", "inject", "flip", "separator", "insert",
         "una", "huge"]), min_size=1, max_size=4))
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
            segs[i] = segs[i][: rng.randrange(len(segs[i]) + 1)]
        elif op == "truncate":
            segs = segs[:i]
        elif op == "inject":
            k = rng.randrange(len(segs[i]) + 1)
            segs[i] = segs[i][:k] + draw(st.binary(min_size=1, max_size=12)) + segs[i][k:]
        elif op == "flip":
            s = bytearray(segs[i])
            if s:
                s[rng.randrange(len(s))] = rng.randrange(256)
            segs[i] = bytes(s)
        elif op == "separator":
            a, b = rng.sample([b":", b"+", b"*", b"'", b"?", b"/"], 2)
            segs[i] = segs[i].replace(a, b)
        elif op == "insert":
            segs.insert(i, draw(st.binary(max_size=30)))
        elif op == "una":
            head = b"UNA" + bytes(rng.choice(b":+.?* '$#-\\") for _ in range(6))
        elif op == "huge":
            segs[i:i] = [segs[i]] * rng.randrange(1, 300)
    return head + term.join(segs) + (term if draw(st.booleans()) else b"")


@FUZZ
@given(mutated())
def test_mutated_pushes_parse_or_fail_cleanly(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_parse_or_fail_cleanly(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.text(alphabet="UNHTSRCIFVLMGOQDA+:'?*/0123456789 ", max_size=300))
def test_pnrgov_shaped_text_parse_or_fail_cleanly(text: str) -> None:
    """Random segments after a valid header reach the group logic."""
    check(("UNH+1+PNRGOV:13:1:IA'MSG+:22'SRC'" + text).encode())


def test_fuzz_is_bounded() -> None:
    """A PNR repeated 1,000 times still parses quickly."""
    head, term, segs = _segments(SEEDS[0])
    srcs = [i for i, s in enumerate(segs) if s.strip() == b"SRC"]
    start, end = srcs[0], srcs[1]
    many = head + term.join(segs[:start] + segs[start:end] * 1000 + segs[end:]) + term
    result = check(many)
    assert result is not None and len(result.pushes[0].bookings) >= 1000
