"""The germany profile: valid facts, the size of a day, parseable and deterministic output."""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pycountry
import pytest

from openpiu.errors import PiuError
from openpiu.formats import parse
from openpiu.formats.detect import detect
from openpiu.reference import airport_country, is_airport
from openpiu.synth.names import CULTURES, NameMaker
from openpiu.synth.output import generate
from openpiu.synth.planted import read_day
from openpiu.synth.profile_germany import GERMANY
from openpiu.synth.profiles import SEATS, get_profile, validate

# Every 60th route (both directions): about 50 flights and 7,000 travellers a day.
SMALL = replace(GERMANY, routes=GERMANY.routes[::60])


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("germany")
    generate(SMALL, 1, out, 7)
    lines = [json.loads(line) for line in (out / "truth.jsonl").read_text("utf-8").splitlines()]
    return out, lines


def test_profile_is_registered_and_valid() -> None:
    assert get_profile("germany") is GERMANY
    validate(GERMANY)
    for code in GERMANY.airports:
        assert is_airport(code) and airport_country(code) == "DEU"
    for r in GERMANY.routes:
        assert is_airport(r.away) and airport_country(r.away) != "DEU", r
    nationalities = {n.split(":")[0] for mix in GERMANY.mixes.values() for n in mix.split()}
    nationalities |= {c.country for c in GERMANY.carriers.values()}
    for code in nationalities:
        assert pycountry.countries.get(alpha_3=code) is not None, code
        for entry in GERMANY.cultures[code].split():
            assert entry.split(":")[0] in CULTURES, (code, entry)
    assert {"FRA", "MUC", "BER", "DUS", "HAM", "STR", "CGN"} <= set(GERMANY.airports)
    assert {"LH", "DE", "EW", "TK", "EK", "QR", "UA", "FR", "U2", "PC", "XQ"} <= set(
        GERMANY.carriers
    )


def test_flight_numbers_unique_and_day_about_420000() -> None:
    numbers = Counter((r.carrier, n) for r in GERMANY.routes for n in (r.out_number, r.in_number))
    assert max(numbers.values()) == 1
    assert all(n <= 9999 for _, n in numbers)
    # Expected travellers of a day: seats x load x the mean of the daily draw (0.985).
    expected = sum(2 * SEATS[r.equipment] * r.load * 0.985 for r in GERMANY.routes)
    assert 378_000 <= expected <= 462_000


def test_every_file_parses_except_planted_rejects(
    corpus: tuple[Path, list[dict[str, Any]]],
) -> None:
    out, lines = corpus
    files = [x for x in lines if x["type"] == "file"]
    assert len([x for x in lines if x["type"] == "flight"]) == 2 * len(SMALL.routes)
    for f in files:
        raw = (out / f["path"]).read_bytes()
        try:
            kind, _ = detect(raw)
            outcome = parse(kind, raw)
        except PiuError as exc:
            assert f["expect"] == "rejected", (f["path"], exc)
            continue
        assert f["expect"] != "rejected", f["path"]
        if not f["quirks"]:
            warnings = list(outcome.warnings)
            for m in outcome.manifests:
                warnings += m.warnings
            for p in outcome.pushes:
                warnings += p.warnings + [w for b in p.bookings for w in b.warnings]
            assert warnings == [], (f["path"], warnings[:3])


def test_travellers_look_like_a_german_day(corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    _, lines = corpus
    people = [x for x in lines if x["type"] == "traveller" and x["role"] == "passenger"]
    nat = Counter(p["nationality"] for p in people)
    assert nat.most_common(1)[0][0] == "DEU"
    assert len(nat) >= 8
    cultures = Counter(p["culture"] for p in people)
    assert cultures["german"] > cultures["tajik"]
    for p in people:
        assert p["names"]["passport"][0].replace(" ", "").isalpha(), p


def test_same_seed_same_bytes(corpus: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> None:
    out, _ = corpus
    generate(SMALL, 1, tmp_path / "again", 7)
    assert _digest(out) == _digest(tmp_path / "again")
    tiny = replace(GERMANY, routes=GERMANY.routes[::300])
    generate(tiny, 1, tmp_path / "a", 1)
    generate(tiny, 1, tmp_path / "b", 2)
    assert _digest(tmp_path / "a") != _digest(tmp_path / "b")


def test_european_names() -> None:
    maker = NameMaker(random.Random(5))
    seen = [
        maker.person(c, g, "MR")
        for c in ("polish", "italian", "romanian", "spanish", "french")
        for g in "MF"
        for _ in range(30)
    ]
    for n in seen:
        assert n.passport_surname.replace(" ", "").isalpha() and n.passport_surname.isupper()
    polish_f = [n for n in seen if n.culture == "polish" and n.original_surname.endswith("SKA")]
    assert polish_f and all(n.passport_surname.endswith("SKA") for n in polish_f)
    assert all(" " in n.passport_surname for n in seen if n.culture == "spanish")


def test_planting_reads_a_bounded_sample_of_whole_flights(
    corpus: tuple[Path, list[dict[str, Any]]],
) -> None:
    out, lines = corpus
    everyone = [x for x in lines if x["type"] == "traveller"]
    day = read_day(out, max_travellers=1000)
    assert 1000 <= len(day.by_id) < len(everyone)
    assert 0 < len(day.flights) < len([x for x in lines if x["type"] == "flight"])
    for b in day.bookings:
        assert b["flight"] in day.flights
        assert all(pid in day.by_id for pid in b["travellers"])
    for f in day.flights.values():
        assert all(pid in day.by_id for pid in f["boarded"] + f["crew"])
