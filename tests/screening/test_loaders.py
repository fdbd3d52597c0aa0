"""Watchlist loaders: the real UN list, the watchlist CSV, FtM JSON lines, the diff."""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from openpiu.errors import ParseError
from openpiu.screening.loaders import diff, load_csv, load_ftm_jsonl, load_un_xml

SHARED = Path(os.environ.get("PIU_SHARED_DIR")
              or Path(__file__).resolve().parents[2].parent / "shared")
UN_XML = SHARED / "data" / "un_consolidated_2026-02-27.xml"


@pytest.fixture(scope="module")
def un_entries():
    if not UN_XML.exists():
        pytest.skip(f"real UN list absent: {UN_XML} (set PIU_SHARED_DIR)")
    return load_un_xml(UN_XML.read_bytes())


def test_un_counts(un_entries):
    kinds = Counter(e.kind for e in un_entries)
    assert 700 <= kinds["person"] <= 760  # 730 on 2026-02-27
    assert kinds["entity"] >= 200
    assert len({e.entry_id for e in un_entries}) == len(un_entries)


def test_un_first_entry(un_entries):
    eric = next(e for e in un_entries if e.list_ref == "CDi.001")
    assert eric.name_parts == ("ERIC", "BADEGE")  # the UN's order, not given/family
    assert eric.gender == "M"
    assert eric.nationalities == ("COD",)
    assert [str(b) for b in eric.birth_dates] == ["1971"]
    assert eric.owner == "UN Security Council" and "DRC" in (eric.legal_basis or "")


def test_un_aliases(un_entries):
    aliases = [a for e in un_entries if e.kind == "person" for a in e.aliases
               if not a.original_script]
    quality = Counter(a.quality for a in aliases)
    assert quality["good"] > 1000 and quality["low"] > 400
    assert any(a.family_first and a.text == "Al-Haq, Amin" for a in aliases)
    assert not any(";" in a.text for a in aliases)  # "; " separated spellings split
    originals = [e for e in un_entries if any(a.original_script for a in e.aliases)]
    assert len(originals) > 300


def test_un_birth_dates_and_documents(un_entries):
    kinds = Counter(b.kind for e in un_entries for b in e.birth_dates)
    assert {"date", "year", "approximate_year", "between"} <= set(kinds)
    assert kinds["date"] > 400
    documents = [d for e in un_entries for d in e.documents]
    assert len(documents) > 400
    assert any(d.country == "PAK" for d in documents)
    assert sum(1 for e in un_entries if len(e.nationalities) > 1) > 10


def test_un_broken_and_hostile_xml():
    with pytest.raises(ParseError, match="not well-formed"):
        load_un_xml(b"<CONSOLIDATED_LIST><INDIVIDUALS>")
    bomb = (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b"<CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>")
    with pytest.raises(ParseError, match="refused"):
        load_un_xml(bomb)
    with pytest.raises(ParseError, match="root element"):
        load_un_xml(b"<OTHER/>")


CSV = """entry_id,list_ref,full_name,surname,given_names,aliases,dob,gender,nationality,\
doc_type,doc_number,doc_country,action,legal_basis,owner,expires,notes
W1,REF-1,,RAHIMOV,MUKHAMMAD,"Muhammad Rahimov|Rahimov, Muhammad",1985-03-02,M,TJK|uz,P,\
A 123-456,TJ,inspect,Art. 5,Unit A,2030-01-01,note
W2,,Jane Doe,,,,1970..1972,F,,,,,,,,,
W3,,,,,,,,,P,X9999,FRA,no_board,Interpol SLTD,,,lost
W4,,Old Name,,,,1960-07,U,,,,,,,,2000-01-01,
"""


def test_csv_rows():
    w1, w2, w3, w4 = load_csv(CSV)
    assert w1.name_parts == ("MUKHAMMAD", "RAHIMOV") and w1.surname == "RAHIMOV"
    assert [a.family_first for a in w1.aliases] == [False, True]
    assert w1.nationalities == ("TJK", "UZB") and w1.action == "inspect"
    assert w1.documents[0].normalised == "A123456" and w1.documents[0].country == "TJK"
    assert w1.birth_dates[0].date == date(1985, 3, 2)
    assert w2.birth_dates[0].kind == "between" and w2.gender == "F"
    assert w3.document_only and w3.action == "no_board" and w3.documents[0].country == "FRA"
    assert w4.birth_dates[0].kind == "month" and w4.gender is None
    assert not w4.active(date(2026, 1, 1)) and w1.active(date(2026, 1, 1))


@pytest.mark.parametrize(("cell", "column"), [
    ("1985-13-01", "dob"), ("XX", "gender"), ("ZZZ", "nationality"), ("panic", "action"),
])
def test_csv_bad_row_names_line_and_column(cell, column):
    header = "entry_id,full_name,dob,gender,nationality,action\n"
    row = {"dob": "", "gender": "", "nationality": "", "action": ""} | {column: cell}
    text = header + "A,Good Row,,,,\n" + f"B,Bad Row,{row['dob']},{row['gender']}," \
        f"{row['nationality']},{row['action']}\n"
    with pytest.raises(ParseError, match=f"line 3, column {column}"):
        load_csv(text)


def test_csv_row_with_extra_fields():
    # An unquoted comma inside a name shifts every later column: refused, not guessed.
    with pytest.raises(ParseError, match="line 2.*more fields"):
        load_csv("entry_id,full_name,dob\nA,Rahimov, Muhammad,1985\n")


def test_csv_row_without_name_or_document():
    with pytest.raises(ParseError, match="line 2, column full_name"):
        load_csv("entry_id,full_name,doc_number\nA,,\n")


FTM = [
    {"id": "NK-1", "schema": "Person", "properties": {
        "name": ["Muhammad Jamshed"], "alias": ["Mukhammad Dzhamshed; Muhammad Jamshid"],
        "weakAlias": ["Abu Ali"], "firstName": ["Muhammad"], "lastName": ["Jamshed"],
        "birthDate": ["1980-05"], "nationality": ["tj"], "gender": ["male"],
        "passportNumber": ["400123456"], "program": ["UN 1267"]}},
    {"id": "CO-1", "schema": "Company", "properties": {"name": ["Acme"]}},
    {"id": "AD-1", "schema": "Address", "properties": {}},
]


def test_ftm_persons_only():
    skipped: dict[str, int] = {}
    (person,) = load_ftm_jsonl([json.dumps(o) for o in FTM] + [""], skipped=skipped)
    assert skipped == {"Company": 1, "Address": 1}
    assert person.name == "Muhammad Jamshed" and person.surname == "Jamshed"
    assert [(a.text, a.quality) for a in person.aliases] == [
        ("Mukhammad Dzhamshed", "good"), ("Muhammad Jamshid", "good"), ("Abu Ali", "low")]
    assert person.nationalities == ("TJK",) and person.gender == "M"
    assert person.birth_dates[0].kind == "month"
    assert person.documents[0].number == "400123456"
    with pytest.raises(ParseError, match="line 1"):
        load_ftm_jsonl(["{not json"])


def test_diff():
    before = load_csv(CSV)
    after = [e for e in before if e.entry_id != "W2"]
    after[0] = load_csv(CSV.replace("inspect", "notify"))[0]
    after += load_csv("entry_id,full_name\nW9,New Person\n")
    assert diff(before, after) == {"added": ["W9"], "changed": ["W1"], "removed": ["W2"]}
    assert diff(before, before) == {"added": [], "changed": [], "removed": []}
