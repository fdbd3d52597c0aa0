"""``piu watchlist``, ``piu screen``, ``piu match`` and ``piu alerts`` on both backends.

The commands run in-process through ``openpiu.cli.main`` (the console script's
entry point, with its error handler and exit codes), as in ``test_cli.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from openpiu.formats.paxlst_writer import write_paxlst
from openpiu.model import Role, TravelDocument, Traveller
from openpiu.synth.paxlst_gen import generate_manifests

# ../shared beside the project root (PIU_SHARED_DIR overrides); tests that need it
# skip visibly where it is absent, as on a user's machine.
SHARED = Path(
    os.environ.get("PIU_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared"
)
UN_LIST = SHARED / "data" / "un_consolidated_2026-02-27.xml"

HEADER = ("entry_id,list_ref,full_name,surname,given_names,aliases,dob,gender,nationality,"
          "doc_type,doc_number,doc_country,action,legal_basis,owner,expires,notes\n")
E1 = "E1,NAT-001,Jamshed Rahimov,,,,1985-06-01,M,TJK,,,,notify,,,,\n"
E1_ALIAS = "E1,NAT-001,Jamshed Rahimov,,,Dzhamshed Rakhimov,1985-06-01,M,TJK,,,,notify,,,,\n"
E2 = "E2,NAT-002,Gulnora Usmonova,,,,1990-02-02,F,UZB,,,,notify,,,,\n"
E3 = "E3,NAT-003,,,,,,,,P,AB 123-456,TJK,notify,,,,\n"
E4 = "E4,NAT-004,,Nazarov,Dilshod,,1992-09-09,M,TJK,,,,notify,,,,\n"


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def national(tmp_path: Path) -> str:
    return write(tmp_path / "national.csv", HEADER + E1 + E2 + E3)


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- watchlist load / ls / diff --------------------------------------------------------

def test_watchlist_load_again_and_ls(piu, national) -> None:  # type: ignore[no-untyped-def]
    empty = piu("watchlist", "ls")
    assert empty.code == 0 and "no watchlist loaded" in empty.out
    first = piu("watchlist", "load", "--name", "national", "--format", "csv", national)
    assert first.code == 0, first
    assert "national: version 1, 3 entries (+3 added, ~0 changed, -0 removed)" in first.out
    assert first.clean()
    again = piu("watchlist", "load", "--name", "national", "--format", "csv", national)
    assert again.code == 0, again
    assert "unchanged, still version 1 (3 entries)" in again.out
    listed = piu("watchlist", "ls")
    assert listed.code == 0, listed
    [row] = [line for line in listed.out.splitlines() if "national" in line]
    cells = row.replace("│", " ").split()
    assert cells[:4] == ["national", "1", "3", "csv"], row


def test_watchlist_load_from_stdin(piu) -> None:  # type: ignore[no-untyped-def]
    result = piu("watchlist", "load", "--name", "piped", "--format", "csv", "-",
                 stdin=(HEADER + E1).encode())
    assert result.code == 0 and "piped: version 1, 1 entries" in result.out, result


def test_watchlist_diff(piu, national, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert piu("watchlist", "load", "--name", "national", "--format", "csv", national).code == 0
    second = write(tmp_path / "v2.csv", HEADER + E1_ALIAS + E3 + E4)  # ~E1 -E2 +E4
    loaded = piu("watchlist", "load", "--name", "national", "--format", "csv", second)
    assert loaded.code == 0, loaded
    assert "version 2, 3 entries (+1 added, ~1 changed, -1 removed)" in loaded.out
    current = piu("watchlist", "diff", "national")
    assert current.code == 0, current
    lines = current.out.strip().splitlines()
    assert lines[0] == "national version 2: +1 ~1 -1"
    assert [line.strip() for line in lines[1:]] == ["+ E4", "~ E1", "- E2"]
    earlier = piu("watchlist", "diff", "national", "--version", "1")
    assert earlier.code == 0, earlier
    assert [line.strip() for line in earlier.out.strip().splitlines()] == [
        "national version 1: +3 ~0 -0", "+ E1", "+ E2", "+ E3"]
    missing = piu("watchlist", "diff", "national", "--version", "9")
    assert missing.code != 0 and missing.err.startswith("error:") and missing.clean(), missing


def test_watchlist_load_refusals(piu, national, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad_format = piu("watchlist", "load", "--name", "x", "--format", "xlsx", national)
    assert bad_format.code == 2, bad_format
    assert "unknown format 'xlsx'" in bad_format.err and bad_format.clean()
    bad_row = write(tmp_path / "bad.csv", HEADER + E1 + E2.replace("UZB", "QQQ"))
    refused = piu("watchlist", "load", "--name", "x", "--format", "csv", bad_row)
    assert refused.code == 2, refused
    assert "line 3" in refused.err and "nationality" in refused.err and refused.clean()
    absent = piu("watchlist", "load", "--name", "x", "--format", "csv", str(tmp_path / "no.csv"))
    assert absent.code == 1 and "cannot read" in absent.err and absent.clean()
    assert "no watchlist loaded" in piu("watchlist", "ls").out  # nothing was written


# -- screen ---------------------------------------------------------------------------

TRAVELLERS = (
    "id,full_name,dob,nationality\n"
    "t1,Andrey Smirnov,1976-04-30,RUS\n"
    "t2,Rahimov,,\n"
    "t3,Dzhamshed Rakhimov,1985-06-01,TJK\n"
)


def test_screen_writes_hits_best_first(piu, national, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert piu("watchlist", "load", "--name", "national", "--format", "csv", national).code == 0
    source = write(tmp_path / "travellers.csv", TRAVELLERS)
    hits_path = tmp_path / "hits.jsonl"
    result = piu("screen", "--watchlist", "national", "--input", source,
                 "--output", str(hits_path))
    assert result.code == 0, result
    assert result.clean() and "3 traveller(s) screened against national v1" in result.err
    hits = read_jsonl(hits_path)
    assert [(h["id"], h["entry_id"], h["entry_ref"], h["band"]) for h in hits] == [
        ("t3", "E1", "NAT-001", "alert"), ("t2", "E1", "NAT-001", "review")]
    scores = [float(h["score"]) for h in hits]  # type: ignore[arg-type]
    assert scores == sorted(scores, reverse=True)
    for hit in hits:
        assert {"id", "entry_id", "entry_ref", "score", "band", "features"} <= set(hit)
        features = hit["features"]
        assert isinstance(features, dict) and "name" in features
        for name, feature in features.items():
            assert feature["name"] == name
            assert isinstance(feature["score"], float | int) and feature["detail"]
    assert set(hits[0]["features"]) >= {"name", "dob", "nationality"}  # type: ignore[arg-type]

    # --threshold: the lowest score written.
    strict = piu("screen", "--watchlist", "national", "--input", source,
                 "--output", str(hits_path), "--threshold", "0.9")
    assert strict.code == 0, strict
    assert [h["id"] for h in read_jsonl(hits_path)] == ["t3"]
    none = piu("screen", "--watchlist", "national", "--input", source,
               "--output", str(hits_path), "--threshold", "1.01")
    assert none.code == 0 and read_jsonl(hits_path) == []
    loose = piu("screen", "--watchlist", "national", "--input", source,
                "--output", str(hits_path), "--threshold", str(min(scores)))
    assert loose.code == 0 and len(read_jsonl(hits_path)) >= len(hits)


def test_screen_jsonl_input_and_documents(piu, national, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert piu("watchlist", "load", "--name", "national", "--format", "csv", national).code == 0
    rows = [
        {"id": "a", "surname": "NAZAROV", "given_names": "DILSHOD", "doc_number": "AB-123456",
         "doc_country": "TJ"},
        {"id": "b", "surname": "NAZAROV", "given_names": "DILSHOD", "doc_number": "AB123456",
         "doc_country": "KAZ"},
    ]
    source = write(tmp_path / "t.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    hits_path = tmp_path / "hits.jsonl"
    result = piu("screen", "--watchlist", "national", "--input", source,
                 "--output", str(hits_path))
    assert result.code == 0, result
    hits = read_jsonl(hits_path)
    assert [(h["id"], h["entry_id"]) for h in hits] == [("a", "E3")]
    assert "document" in hits[0]["features"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.csv", "id,full_name,nationality\nt1,Jamshed Rahimov,TJK\nt2,Ivan Petrov,XQZ\n", 3),
        ("bad.jsonl", '{"id": "t1", "full_name": "A B"}\n'
                      '{"id": "t2", "full_name": "C D", "doc_country": "ZZZ"}\n', 2),
    ],
)
def test_screen_bad_country_names_the_line(piu, national, tmp_path, name, text,  # type: ignore[no-untyped-def]
                                           line) -> None:
    assert piu("watchlist", "load", "--name", "national", "--format", "csv", national).code == 0
    hits_path = tmp_path / "hits.jsonl"
    result = piu("screen", "--watchlist", "national", "--input", write(tmp_path / name, text),
                 "--output", str(hits_path))
    assert result.code == 2, result
    assert f"line {line}" in result.err and "country" in result.err and result.clean()
    assert len(result.err.strip().splitlines()) == 1
    assert not hits_path.exists()  # nothing half written


def test_screen_unknown_watchlist(piu, national, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "t.csv", TRAVELLERS)
    result = piu("screen", "--watchlist", "nope", "--input", source,
                 "--output", str(tmp_path / "hits.jsonl"))
    assert result.code != 0 and "no watchlist named 'nope'" in result.err and result.clean()
    diff = piu("watchlist", "diff", "nope")
    assert diff.code != 0 and "no watchlist named 'nope'" in diff.err and diff.clean()


# -- match ----------------------------------------------------------------------------

def test_match_explains(piu) -> None:  # type: ignore[no-untyped-def]
    result = piu("match", "Dzhamshed Rakhimov", "Jamshed Rahimov",
                 "--dob-a", "1985-06-01", "--dob-b", "1985-06-01")
    assert result.code == 0, result
    first = result.out.splitlines()[0]
    assert first.startswith("score ") and "band alert" in first
    for word in ("feature", "weight", "name", "dob", "same date"):
        assert word in result.out, word
    unrelated = piu("match", "Andrey Smirnov", "Jamshed Rahimov")
    assert unrelated.code == 0 and "band none" in unrelated.out
    missing = piu("match", "Only One")
    assert missing.code == 2 and "give two names" in missing.err and missing.clean()


def test_match_json(piu) -> None:  # type: ignore[no-untyped-def]
    result = piu("match", "Rahimov Jamshid", "Jamshed Rahimov", "--json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert data["band"] == "alert" and 0.9 <= data["score"] <= 1.0
    assert data["features"]["name"]["detail"]
    with_dob = json.loads(piu("match", "Rahimov Jamshid", "Jamshed Rahimov", "--json",
                              "--dob-a", "1985-06-01", "--dob-b", "1979-01-01").out)
    assert "dob" in with_dob["features"] and with_dob["score"] < data["score"]


def test_match_pairs_echoes_input_in_order(piu, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "pairs.csv",
                   "pair_id,left,right,dob_left,dob_right,note\n"
                   "p9,Andrey Smirnov,Jamshed Rahimov,,,x\n"
                   'p1,Dzhamshed Rakhimov,Jamshed Rahimov,1985-06-01,1985-06-01,"a, b"\n'
                   "p5,Rahimov Jamshid,Jamshed Rahimov,1985-06-01,1979-01-01,\n")
    result = piu("match", "--pairs", source)
    assert result.code == 0 and result.clean(), result
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert list(rows[0]) == ["pair_id", "left", "right", "dob_left", "dob_right", "note",
                             "score", "band"]
    assert [r["pair_id"] for r in rows] == ["p9", "p1", "p5"]
    assert [r["note"] for r in rows] == ["x", "a, b", ""]
    assert rows[0]["band"] == "none" and rows[1]["band"] == "alert"
    single = json.loads(piu("match", "Rahimov Jamshid", "Jamshed Rahimov", "--json",
                            "--dob-a", "1985-06-01", "--dob-b", "1979-01-01").out)
    assert float(rows[2]["score"]) == pytest.approx(single["score"], abs=1e-4)
    bad = piu("match", "--pairs", write(tmp_path / "bad.csv", "id,a,b\n1,x,y\n"))
    assert bad.code == 2 and "lacks column" in bad.err and bad.clean()


# -- alerts ---------------------------------------------------------------------------

def manifest_file(path: Path) -> str:
    base = next(generate_manifests(1, 3, seed=11))
    him = Traveller(Role.PASSENGER, "RAKHIMOV", "DZHAMSHED", gender="M", dob=date(1985, 6, 1),
                    nationality="TJK",
                    documents=[TravelDocument("P", "401122334", "TJK", date(2031, 1, 1))])
    other = Traveller(Role.PASSENGER, "SMIRNOV", "ANDREY", gender="M", dob=date(1976, 4, 30),
                      nationality="RUS",
                      documents=[TravelDocument("P", "D3907579", "RUS", date(2031, 1, 1))])
    path.write_bytes(write_paxlst(replace(base, travellers=[other, him],
                                          declared_passengers=None, declared_crew=None)))
    return str(path)


def test_alerts_after_ingest(piu, national, tmp_path) -> None:  # type: ignore[no-untyped-def]
    nothing = piu("alerts")
    assert nothing.code == 0 and "no open alert" in nothing.out
    assert piu("watchlist", "load", "--name", "national", "--format", "csv", national).code == 0
    ingested = piu("ingest", manifest_file(tmp_path / "m.edi"))
    assert ingested.code == 0 and "1 processed" in ingested.out, ingested
    result = piu("alerts")
    assert result.code == 0 and result.clean(), result
    first = result.out.splitlines()[0]
    assert first.startswith("#") and " ALERT " in first
    assert "/2025-03-15" in first and "RAKHIMOV" in first
    shown = next(word for word in first.split() if word.endswith("/2025-03-15"))
    flight = piu("flight", shown)  # the flight as shown can be opened
    assert flight.code == 0 and "RAKHIMOV" in flight.out, flight
    assert "national NAT-001" in first and "(Jamshed Rahimov)" in first
    assert "name:" in result.out and "dob:" in result.out
    assert "no open alert" in piu("alerts", "--band", "review").out
    limited = piu("alerts", "--band", "alert", "--limit", "1")
    assert limited.code == 0 and limited.out.count("\n#") + limited.out.startswith("#") == 1


# -- the real UN list -------------------------------------------------------------------

def test_un_list_finds_eric_badege(piu, tmp_path) -> None:  # type: ignore[no-untyped-def]
    if not UN_LIST.exists():
        pytest.skip(f"shared UN list {UN_LIST} absent")
    loaded = piu("watchlist", "load", "--name", "un", "--format", "un-xml", str(UN_LIST))
    assert loaded.code == 0 and "un: version 1" in loaded.out and loaded.clean(), loaded
    source = write(tmp_path / "t.csv", "id,full_name\nq1,Eric Badege\nq2,Andrey Smirnov\n")
    hits_path = tmp_path / "hits.jsonl"
    result = piu("screen", "--watchlist", "un", "--input", source, "--output", str(hits_path))
    assert result.code == 0, result
    hits = read_jsonl(hits_path)
    assert hits and hits[0]["id"] == "q1" and hits[0]["entry_ref"] == "CDi.001"
    assert hits[0]["band"] == "alert"
    assert all(h["id"] == "q1" for h in hits)


def test_alerts_show_the_platform_flight_id(piu, national, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert piu("watchlist", "load", "--name", "national", "--format", "csv", national).code == 0
    ingested = piu("ingest", manifest_file(tmp_path / "m.edi"))
    assert ingested.code == 0, ingested
    assert "TK256/2025-03-15" in piu("flights").out
    assert "  TK256/2025-03-15  " in piu("alerts").out
