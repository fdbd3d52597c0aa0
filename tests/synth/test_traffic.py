"""Synthetic traffic: deterministic, parseable, families, returning travellers."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from openpiu.errors import PiuError
from openpiu.formats import parse
from openpiu.formats.detect import detect
from openpiu.model import MessageKind, Role
from openpiu.synth.output import Quirks, generate
from openpiu.synth.profiles import TAJIKISTAN, block_minutes, validate

# A slice of the default profile (every fifth route, both directions), over two
# days, with quirks at high rates so every kind shows up: small enough to stay fast.
SMALL = replace(TAJIKISTAN, routes=TAJIKISTAN.routes[::5])
LOUD = Quirks(una=0.4, typeb=0.6, email_slashes=0.5, multipart=0.5, docs_shift=0.4, xml=0.3,
              duplicate=0.1, late=0.2, missing=0.05, truncated=0.05)


def _run(out: Path, seed: int = 42) -> dict[str, Any]:
    return generate(SMALL, 2, out, seed, quirks=LOUD)


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("synth")
    _run(out)
    lines = [json.loads(line) for line in (out / "truth.jsonl").read_text("utf-8").splitlines()]
    return out, lines


def test_same_seed_same_bytes(corpus: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> None:
    out, _ = corpus
    _run(tmp_path / "again")
    assert _digest(out) == _digest(tmp_path / "again")
    _run(tmp_path / "other", seed=43)
    assert _digest(out) != _digest(tmp_path / "other")


def _parsed(out: Path, files: list[dict[str, Any]]) -> dict[str, Any]:
    result = {}
    for f in files:
        raw = (out / f["path"]).read_bytes()
        try:
            kind, _ = detect(raw)
            result[f["path"]] = parse(kind, raw)
        except PiuError as exc:
            result[f["path"]] = exc
    return result


def test_every_file_parses_except_planted_rejects(
    corpus: tuple[Path, list[dict[str, Any]]],
) -> None:
    out, lines = corpus
    files = [x for x in lines if x["type"] == "file"]
    parsed = _parsed(out, files)
    kinds = {x["kind"] for x in files}
    assert {"paxlst", "pnrgov", "pnrgov_xml"} <= kinds
    planted = {q for f in files for q in f["quirks"]}
    assert {"una", "typeb", "email_slashes", "multipart", "duplicate", "late",
            "truncated", "docs_shift", "xml"} <= planted
    for f in files:
        outcome = parsed[f["path"]]
        if f["expect"] == "rejected":
            assert isinstance(outcome, PiuError), f["path"]
            continue
        assert not isinstance(outcome, PiuError), (f["path"], outcome)
        if not f["quirks"]:
            warnings = list(outcome.warnings)
            for m in outcome.manifests:
                warnings += m.warnings
            for p in outcome.pushes:
                warnings += p.warnings + [w for b in p.bookings for w in b.warnings]
            assert warnings == [], (f["path"], warnings[:3])


def test_truth_counts_and_crew(corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    out, lines = corpus
    flights = [x for x in lines if x["type"] == "flight"]
    assert len(flights) == 2 * 2 * len(SMALL.routes)
    files = {x["path"]: x for x in lines if x["type"] == "file"}
    parsed = _parsed(out, [f for f in files.values()
                           if f["kind"] == "paxlst" and f["expect"] == "processed"
                           and "multipart" not in f["quirks"]])  # fmt: skip
    for path, pf in parsed.items():
        flight = next(x for x in flights if x["key"] == files[path]["flight"])
        m = pf.manifests[0]
        if files[path]["message"] == "crew":
            assert m.document_code == "250"
            assert all(t.role is Role.CREW and t.crew_role for t in m.travellers)
            assert len(m.travellers) == len(flight["crew"])
        else:
            assert len(m.travellers) == len(flight["boarded"])
        assert m.flight is not None and m.flight.key == flight["key"]


def test_families_share_locators(corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    out, lines = corpus
    people = {x["id"]: x for x in lines if x["type"] == "traveller"}
    families = [x for x in lines if x["type"] == "booking" and x["kind"] == "family"]
    assert families
    for b in families:
        stems = {people[pid]["names"]["original"][0][:3] for pid in b["travellers"]}
        assert len(stems) == 1, b
    # In the passenger lists, every member of a booking carries its locator.
    locator_of = {(b["flight"], pid): b["locator"] for b in families for pid in b["travellers"]}
    checked = 0
    for f in (x for x in lines if x["type"] == "file" and x["message"] == "pax"
              and x["expect"] == "processed" and "multipart" not in x["quirks"]):
        raw = (out / f["path"]).read_bytes()
        for t in parse(MessageKind.PAXLST, raw).manifests[0].travellers:
            doc = t.documents[0].number
            pid = next((p for p in people if people[p]["document"]["number"] == doc), None)
            if (f["flight"], pid) in locator_of:
                assert t.record_locator == locator_of[(f["flight"], pid)]
                checked += 1
    assert checked > 10


def test_returning_travellers_keep_their_passport(
    corpus: tuple[Path, list[dict[str, Any]]],
) -> None:
    _, lines = corpus
    days: dict[str, set[str]] = defaultdict(set)
    for f in (x for x in lines if x["type"] == "flight"):
        for pid in f["boarded"] + f["no_show"] + f["cancelled"]:
            days[pid].add(f["key"].split("/")[1])
    returning = [pid for pid, d in days.items() if len(d) > 1]
    assert returning
    ids = [x["id"] for x in lines if x["type"] == "traveller"]
    assert len(ids) == len(set(ids))  # one truth line per person, one passport each


def test_profile_is_checked_against_reference_data() -> None:
    validate(TAJIKISTAN)
    assert 60 <= block_minutes("DYU", "TAS") <= 120
    assert 250 <= block_minutes("DYU", "DME") <= 360
    with pytest.raises(ValueError):
        validate(replace(TAJIKISTAN, airports=("DYU", "IST")))
