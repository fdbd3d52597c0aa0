"""The large synthetic watchlist: deterministic, traffic-like names, CSV round trip."""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice
from pathlib import Path

from openpiu.screening.loaders import load_csv
from openpiu.synth.biglist import synthetic_watchlist, traveller_mix, write_watchlist_csv
from openpiu.synth.profiles import TAJIKISTAN
from openpiu.synth.traffic import Traffic

# MUHAMMAD and its passport / press spellings, as one given name part.
MUHAMMAD = re.compile(r"^M[UOA]K?H?[AE]MM?[AE]D$|^MAGOMED$")
OV_ZODA = re.compile(r"(OV|EV|OVA|EVA|ZODA)$")


def _traffic_names(n: int, seed: int = 3) -> list[tuple[str, str]]:
    traffic = Traffic(TAJIKISTAN, seed)
    out: list[tuple[str, str]] = []
    day = 0
    while len(out) < n:
        for plan in traffic.day(day):
            for party in plan.parties:
                out += [
                    (p.person.name.passport_given, p.person.name.passport_surname)
                    for p in party.pax
                ]
        day += 1
    return out[:n]


def _shares(names: list[tuple[str, str]]) -> tuple[float, float, float]:
    muhammad = sum(any(MUHAMMAD.match(part) for part in g.split()) for g, _ in names)
    ali = sum("ALI" in g.split() for g, _ in names)
    ov = sum(bool(OV_ZODA.search(s)) for _, s in names)
    n = len(names)
    return muhammad / n, ali / n, ov / n


def test_deterministic_for_a_seed() -> None:
    a = list(synthetic_watchlist(300, 7))
    assert a == list(synthetic_watchlist(300, 7))
    assert a != list(synthetic_watchlist(300, 8))
    # A prefix of a longer list is the shorter list (a stream, not a shuffle).
    assert list(islice(synthetic_watchlist(1000, 7), 300)) == a
    assert len({e.entry_id for e in a}) == 300


def test_name_frequencies_follow_the_traffic() -> None:
    entries = list(synthetic_watchlist(6000, 5))
    listed = _shares([(e.given_names or "", e.surname or "") for e in entries])
    travelling = _shares(_traffic_names(6000))
    for got, want, what in zip(listed, travelling, ("MUHAMMAD", "ALI", "-OV/-ZODA"),
                               strict=True):  # fmt: skip
        assert want > 0.01, what
        assert abs(got - want) <= max(0.25 * want, 0.01), (what, got, want)
    assert listed[0] > 0.05 and listed[2] > 0.4  # common names are common


def test_entries_have_mixed_detail() -> None:
    entries = list(synthetic_watchlist(3000, 1))
    assert all(e.kind == "person" and e.name_parts for e in entries)
    kinds = Counter(e.birth_dates[0].kind for e in entries if e.birth_dates)
    assert {"date", "year", "approximate_year", "between", "month"} <= set(kinds)
    assert kinds["date"] > kinds["year"] > kinds["month"]
    assert any(not e.birth_dates for e in entries)
    aliases = [a for e in entries for a in e.aliases]
    assert any(a.original_script and re.search("[\u0400-\u04ff]", a.text) for a in aliases)
    assert any(a.original_script and re.search("[\u0600-\u06ff]", a.text) for a in aliases)
    assert any(a.quality == "low" for a in aliases)
    assert any(a.family_first for a in aliases)
    with_doc = [e for e in entries if e.documents]
    assert 0.2 < len(with_doc) / len(entries) < 0.4
    assert all(d.country and d.number for e in with_doc for d in e.documents)
    nat = Counter(e.nationalities[0] for e in entries if e.nationalities)
    assert nat.most_common(1)[0][0] == "TJK"


def test_traveller_mix_covers_every_route() -> None:
    mix = traveller_mix(TAJIKISTAN)
    assert len(mix) == len(TAJIKISTAN.routes)
    assert all(w > 0 and 0.4 < male < 0.9 for w, _, male, _ in mix)


def test_csv_round_trip(tmp_path: Path) -> None:
    entries = list(synthetic_watchlist(400, 2))
    path = tmp_path / "big.csv"
    assert write_watchlist_csv(entries, path) == 400
    loaded = load_csv(path.read_text(encoding="utf-8"))
    assert len(loaded) == len(entries)
    for want, got in zip(entries, loaded, strict=True):
        assert got.entry_id == want.entry_id and got.list_ref == want.list_ref
        assert got.name_parts == want.name_parts
        assert (got.surname, got.given_names) == (want.surname, want.given_names)
        # The CSV holds no alias quality: text, script and "Family, Given" survive.
        assert [(a.text, a.original_script, a.family_first) for a in got.aliases] == [
            (a.text, a.original_script, a.family_first) for a in want.aliases
        ]
        assert got.nationalities == want.nationalities and got.gender == want.gender
        assert got.documents == want.documents
        assert got.action == want.action and got.owner == want.owner
        if want.birth_dates:
            w, g = want.birth_dates[0], got.birth_dates[0]
            # The CSV has no "approximate": an approximate year comes back as the year.
            assert (g.year, g.month, g.day, g.year_to) == (w.year, w.month, w.day, w.year_to)
        else:
            assert not got.birth_dates
