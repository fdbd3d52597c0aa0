"""Property tests for the PNRGOV XML parser, as for EDIFACT (test_pnrgov_fuzz.py).

Valid documents from the writer and the corpus are mutated: elements deleted,
duplicated, renamed or moved, attribute values replaced, the bytes truncated,
injected or overwritten.  Whatever comes in, :func:`parse_pnrgov_xml` returns a
:class:`ParsedFile` or raises :class:`ParseError` with a detail, never another
exception and never a hang.

Bounded for the normal suite (well under 30 s); set ``PIU_FUZZ_EXAMPLES``
(examples per test) to search longer.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path
from xml.etree import ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_pnrgov import make_push  # same directory (pytest's rootdir-less import)

from openpiu.errors import ParseError
from openpiu.formats.pnrgov_xml import parse_pnrgov_xml
from openpiu.formats.pnrgov_xml_writer import write_pnrgov_xml
from openpiu.model import ParsedFile, PushKind

EXAMPLES = int(os.environ.get("PIU_FUZZ_EXAMPLES", "0") or 0)
FUZZ = settings(max_examples=EXAMPLES or 150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TIME_BUDGET = 2.0  # seconds per parse

CORPUS = Path(__file__).parent / "pnrgov_xml_corpus"
SEEDS = [write_pnrgov_xml(make_push(3)), write_pnrgov_xml(make_push(2), namespace=None),
         write_pnrgov_xml(make_push(1, PushKind.CANCEL))]
SEEDS += [p.read_bytes() for p in sorted(CORPUS.glob("*.xml"))]
JUNK = [b"<", b">", b"&", b"&amp;", b"&lol;", b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"]]>",
        b"<![CDATA[x]]>", b"\x00", b"\xff\xfe", b"\xc3\x28", b'"', b"</PNR>", b"<PNR>",
        b"<?pi x?>", b"<!-- c -->", b"xmlns:a='u'", b"\r\n", b" " * 64]


def check(data: bytes) -> ParsedFile | None:
    start = time.perf_counter()
    try:
        result: ParsedFile | None = parse_pnrgov_xml(data)
    except ParseError as exc:
        assert exc.detail and exc.detail.strip()
        result = None
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_BUDGET, f"parse took {elapsed:.2f} s on {len(data)} bytes"
    if result is not None:
        assert len(result.pushes) == 1
        for push in result.pushes:
            assert all(isinstance(w, str) and w for w in push.warnings)
            for booking in push.bookings:
                assert booking.record_locator
                assert all(isinstance(w, str) and w for w in booking.warnings)
    return result


def _tree_mutation(seed: bytes, rng: random.Random, rounds: int) -> bytes:
    """Well-formed XML, wrong content: what a careless generator sends."""
    root = ET.fromstring(seed)
    for _ in range(rounds):
        elements = list(root.iter())[1:]
        if not elements:
            break
        parents = {c: p for p in root.iter() for c in p}
        victim = rng.choice(elements)
        parent = parents[victim]
        action = rng.randrange(6)
        if action == 0:
            parent.remove(victim)
        elif action == 1:
            parent.insert(list(parent).index(victim), ET.fromstring(ET.tostring(victim)))
        elif action == 2:
            victim.tag = rng.choice(["Unknown", "PNR", "Passenger", "Flight", "SSR", victim.tag
                                     + "X", "DOCS", "BookingRefID", "CheckInInfo"])
        elif action == 3 and victim.attrib:
            name = rng.choice(sorted(victim.attrib))
            victim.set(name, rng.choice(["", " ", "0", "-1", "99999999999999999999", "ZZ",
                                         "2025-02-30T25:61:00", "31FEB25", "NaN", "x" * 300,
                                         "\u00e9\u4e2d", "/P/IRL/PA1/IRL/01JAN85/MI/01JAN30"]))
        elif action == 4:  # move it elsewhere (never into itself)
            inside = set(victim.iter())
            parent.remove(victim)
            rng.choice([e for e in root.iter() if e not in inside]).append(victim)
        else:
            victim.text = rng.choice(["", "CTCE A//B.C", "/P/TJK/1/TJK/", "&", "MR"])
    return ET.tostring(root)


def _byte_mutation(seed: bytes, rng: random.Random, rounds: int) -> bytes:
    data = bytearray(seed)
    for _ in range(rounds):
        at = rng.randrange(len(data) + 1)
        action = rng.randrange(4)
        if action == 0:
            del data[at:]
        elif action == 1:
            data[at:at] = rng.choice(JUNK)
        elif action == 2:
            data[at:at + 1] = bytes([rng.randrange(256)])
        else:
            data[at:at + rng.randrange(1, 200)] = b""
        if not data:
            break
    return bytes(data)


@FUZZ
@given(seed=st.sampled_from(SEEDS), rng=st.randoms(use_true_random=False),
       rounds=st.integers(1, 6))
def test_tree_mutations_parse_or_refuse(seed: bytes, rng: random.Random, rounds: int) -> None:
    check(_tree_mutation(seed, rng, rounds))


@FUZZ
@given(seed=st.sampled_from(SEEDS), rng=st.randoms(use_true_random=False),
       rounds=st.integers(1, 4))
def test_byte_mutations_parse_or_refuse(seed: bytes, rng: random.Random, rounds: int) -> None:
    check(_byte_mutation(seed, rng, rounds))


@FUZZ
@given(data=st.binary(max_size=2048))
def test_random_bytes_parse_or_refuse(data: bytes) -> None:
    check(data)


@FUZZ
@given(seed=st.sampled_from(SEEDS), cut=st.integers(0, 100_000))
def test_truncation_is_refused_or_read(seed: bytes, cut: int) -> None:
    check(seed[: cut % (len(seed) + 1)])


def test_every_seed_parses() -> None:
    for seed in SEEDS:
        assert check(seed) is not None
