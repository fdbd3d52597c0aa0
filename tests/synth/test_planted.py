"""Planted watchlists: shapes of both formats, answers that point at real
travellers and entries, every variation kind, decoys that stay clear, determinism."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree as DET

from openpiu.synth.output import generate
from openpiu.synth.planted import DECOY_KINDS, HIT_KINDS, plant
from openpiu.synth.planted_lists import CSV_HEADER, given_keys, surname_key
from openpiu.synth.profiles import TAJIKISTAN


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("planted")
    generate(TAJIKISTAN, 1, out, 5)
    plant(out, 3)
    return out


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def _travellers(out: Path) -> dict[str, dict[str, Any]]:
    return {o["id"]: o for o in _lines(out / "truth.jsonl") if o["type"] == "traveller"}


def _csv(out: Path) -> dict[str, dict[str, str]]:
    with (out / "watchlists" / "national_watchlist.csv").open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == CSV_HEADER
        return {r["entry_id"]: r for r in reader}


def test_xml_has_the_un_shape(day: Path) -> None:
    root = DET.parse(day / "watchlists" / "national_watchlist.xml").getroot()
    assert root.tag == "CONSOLIDATED_LIST" and root.get("dateGenerated")
    people = root.findall("INDIVIDUALS/INDIVIDUAL")
    assert people and root.find("ENTITIES") is not None
    kinds = set()
    for ind in people:
        for tag in ("DATAID", "VERSIONNUM", "FIRST_NAME", "REFERENCE_NUMBER", "LISTED_ON"):
            assert ind.findtext(tag), tag
        assert ind.findtext("REFERENCE_NUMBER").startswith("TJi.")
        for dob in ind.findall("INDIVIDUAL_DATE_OF_BIRTH"):
            kind = dob.findtext("TYPE_OF_DATE")
            kinds.add(kind)
            assert dob.findtext("DATE") or dob.findtext("YEAR") or dob.findtext("FROM_YEAR")
    assert kinds == {"EXACT", "APPROXIMATELY", "BETWEEN"}
    qualities = {a.findtext("QUALITY") for a in root.iter("INDIVIDUAL_ALIAS")}
    assert qualities == {"Good", "Low"}
    assert any(ind.find("NAME_ORIGINAL_SCRIPT") is not None for ind in people)
    assert any(d.findtext("NUMBER") for d in root.iter("INDIVIDUAL_DOCUMENT"))
    # The XML holds every CSV entry except the CSV-only (expired) ones.
    rows = _csv(day)
    csv_only = {r["entry_id"] for r in rows.values() if r["expires"] < "2025-03-15"}
    refs = {ind.findtext("REFERENCE_NUMBER") for ind in people}
    assert refs == {r["list_ref"] for r in rows.values() if r["entry_id"] not in csv_only}


def test_answers_point_at_real_travellers_and_entries(day: Path) -> None:
    people, rows = _travellers(day), _csv(day)
    planted = _lines(day / "watchlists" / "planted.jsonl")
    hits = [o for o in planted if o["type"] == "hit"]
    assert {o["kind"] for o in hits} == set(HIT_KINDS)
    assert {o["kind"] for o in planted if o["type"] == "decoy"} == set(DECOY_KINDS)
    for o in planted:
        if o["type"] in ("hit", "decoy"):
            row = rows[o["entry_id"]]
            assert row["list_ref"] == o["list_ref"]
            t = people[o["traveller"] if o["type"] == "hit" else o["near"]]
            # Never a plain copy: some variation is always there.
            if o["type"] == "hit":
                p_s, p_g = t["names"]["passport"]
                same_name = row["full_name"].upper() == f"{p_g} {p_s}".strip()
                assert not (same_name and row["dob"] == t["dob"] and not row["doc_number"])
                assert row["expires"] > "2025-03-15"
    summary = planted[-1]
    assert summary["type"] == "summary" and summary["hit:transliteration"] >= 4


def test_variations_are_what_they_say(day: Path) -> None:
    people, rows = _travellers(day), _csv(day)
    for o in _lines(day / "watchlists" / "planted.jsonl"):
        if o["type"] != "hit":
            continue
        t, row, kind = people[o["traveller"]], rows[o["entry_id"]], o["kind"]
        if kind == "script_cyrillic":
            assert any("\u0400" <= ch <= "\u04ff" for ch in row["full_name"])
        elif kind == "script_arabic":
            assert any("\u0600" <= ch <= "\u06ff" for ch in row["full_name"])
        elif kind == "dob_off_by_one":
            assert abs(int(row["dob"][:4]) - int(t["dob"][:4])) == 1
        elif kind == "dob_day_month_swapped":
            y, m, d = t["dob"].split("-")
            assert row["dob"] == f"{y}-{d}-{m}" and d != m
        elif kind in ("dob_year_only", "dob_approximate"):
            assert row["dob"] == t["dob"][:4]
        elif kind == "dob_range":
            lo, hi = map(int, row["dob"].split(".."))
            assert lo <= int(t["dob"][:4]) <= hi and lo < hi
        elif kind == "doc_typo":
            a, b = row["doc_number"], t["document"]["number"]
            assert len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
        elif kind == "name_order":
            assert row["surname"].upper() == t["names"]["passport"][1]
        elif kind == "alias":
            assert row["aliases"] and row["full_name"].upper() != " ".join(t["names"]["passport"])


def test_decoys_differ_from_every_traveller(day: Path) -> None:
    people, rows = _travellers(day), _csv(day)
    keys = [(surname_key(s), given_keys(g), int(t["dob"][:4]))
            for t in people.values()
            for s, g in (t["names"]["passport"], t["names"]["booking"])]  # fmt: skip
    for o in _lines(day / "watchlists" / "planted.jsonl"):
        if o["type"] != "decoy":
            continue
        row = rows[o["entry_id"]]
        skey, gkeys, year = surname_key(row["surname"]), given_keys(row["given_names"]), 0
        if o["kind"] == "decoy_expired":
            assert date.fromisoformat(row["expires"]) < date(2025, 3, 15)
            continue
        year = int(row["dob"][:4])
        for s, g, y in keys:
            close = s == skey and bool(g & gkeys)
            if o["kind"] == "decoy_birth_decade" and close:
                assert abs(y - year) >= 10
            elif o["kind"] == "decoy_second_name":
                assert not close
            elif o["kind"] == "decoy_common_given":
                assert s != skey


def test_lost_and_stolen(day: Path) -> None:
    people = _travellers(day)
    text = (day / "watchlists" / "lost_stolen.csv").read_text(encoding="utf-8")
    listed = list(csv.DictReader(text.splitlines()))
    assert text.startswith("doc_type,doc_number,doc_country\n")
    own = {(t["document"]["number"], t["document"]["country"]) for t in people.values()}
    norm = {("".join(r["doc_number"].split()).replace("-", "").upper(), r["doc_country"])
            for r in listed}  # fmt: skip
    kinds = set()
    for o in _lines(day / "watchlists" / "planted.jsonl"):
        if o["type"] == "document_hit":
            kinds.add(o["kind"])
            t = people[o["traveller"]]
            assert (t["document"]["number"], t["document"]["country"]) in norm
        elif o["type"] == "document_decoy":
            kinds.add(o["kind"])
            norm_no = o["doc_number"].replace(" ", "").replace("-", "").upper()
            assert (norm_no, o["doc_country"]) not in own
    assert kinds == {"doc_exact", "doc_formatting", "doc_other_country", "doc_near_number"}
    # Only the planted hits are travellers' documents.
    hits = sum(1 for o in _lines(day / "watchlists" / "planted.jsonl")
               if o["type"] == "document_hit")  # fmt: skip
    assert len(norm & own) == hits


def test_patterns_are_described(day: Path) -> None:
    pats = {o["pattern"]: o for o in _lines(day / "watchlists" / "planted.jsonl")
            if o["type"] == "pattern"}  # fmt: skip
    assert pats["cash_agency_day_before"]["locators"]
    for name in ("broken_itinerary_via_hub", "new_document_late_ticket",
                 "repeated_trips_short_stay"):
        assert pats[name]["status"] == "planted", name  # no "todo" left


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted((root / "watchlists").iterdir()):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def test_same_seed_same_bytes(day: Path) -> None:
    before = _digest(day)
    counts = plant(day, 3)
    assert _digest(day) == before
    assert counts["hit:script_cyrillic"] >= 4
