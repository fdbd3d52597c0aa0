"""The blocking index against brute force: the index may skip an entry only
when the entry could not have reached the alert band anyway.

A small synthetic list (the traffic's name frequencies) with a low common-part
cap, so that common parts, pairs, year-cut postings and the per-reading bound
are all exercised; half the travellers are planted in it under another
spelling, another order or another birth year.
"""

from __future__ import annotations

import random

import pytest

from openpiu.screening import Screener, Subject
from openpiu.screening.entries import BirthDate, WatchlistEntry
from openpiu.screening.scorer import score_entry, subject_readings
from openpiu.synth.biglist import synthetic_watchlist
from openpiu.synth.profiles import get_profile
from openpiu.synth.traffic import Traffic
from openpiu.synth.translit import airline_spelling


def _travellers(n: int) -> list[Subject]:
    out: list[Subject] = []
    for plan in Traffic(get_profile("tajikistan"), 11).day(0):
        for party in plan.parties:
            for pax in party.pax:
                p = pax.person
                out.append(Subject(
                    id=f"T{len(out)}", surname=p.name.passport_surname,
                    given_names=p.name.passport_given, dob=p.dob.isoformat(),
                    nationality=p.nationality, gender=p.gender,
                ))  # fmt: skip
                if len(out) == n:
                    return out
    return out


@pytest.fixture(scope="module")
def screened() -> tuple[Screener, list[Subject]]:
    rng = random.Random(5)
    subjects = _travellers(70)
    entries = list(synthetic_watchlist(900, 3))
    for k, s in enumerate(subjects[::2]):
        given = airline_spelling(rng, s.given_names or "") if rng.random() < 0.5 else s.given_names
        surname = airline_spelling(rng, s.surname or "") if rng.random() < 0.5 else s.surname
        parts = f"{surname} {given}" if rng.random() < 0.3 else f"{given} {surname}"
        year = int((s.dob or "1990")[:4]) + rng.choice((0, 0, 1, -1, 3))
        entries.append(WatchlistEntry(entry_id=f"PLANTED-{k}", name_parts=tuple(parts.split()),
                                      birth_dates=(BirthDate(year),)))  # fmt: skip
    return Screener(entries, common_cap=12), subjects


@pytest.mark.parametrize("alert_floor", [False, True], ids=["review-floor", "alert-floor"])
def test_the_index_finds_every_alert_brute_force_finds(
    screened: tuple[Screener, list[Subject]], alert_floor: bool,
) -> None:
    """Also when the caller asks for alert-band hits only (the interactive API):
    the index then bounds against the alert threshold and keeps fewer names."""
    screener, subjects = screened
    knobs = screener.knobs
    alerts = 0
    for subject in subjects:
        hits = screener.screen(subject, min_score=knobs.alert if alert_floor else None)
        found = {m.entry_id for m in hits if m.band == "alert"}
        readings = subject_readings(subject)
        for prepared in screener.index.entries:
            match = score_entry(subject, readings, prepared, knobs=knobs, floor=knobs.alert)
            if match is not None and match.band == "alert":
                alerts += 1
                assert match.entry_id in found, (subject.id, match.entry_id, match.features)
    assert alerts >= 25  # most of the 35 planted travellers, and namesakes


def test_the_index_compares_a_small_share_of_the_list(
    screened: tuple[Screener, list[Subject]],
) -> None:
    screener, subjects = screened
    compared = []
    for subject in subjects:
        screener.screen(subject)
        compared.append(screener.last_candidates)
    assert sum(compared) / len(compared) < 0.03 * len(screener.index.entries)


def test_warming_the_caches_changes_no_result(
    screened: tuple[Screener, list[Subject]],
) -> None:
    """Screener.warm fills caches only: a warmed screener finds exactly what a
    cold one over the same entries finds."""
    screener, subjects = screened
    cold = Screener([p.entry for p in screener.index.entries], common_cap=12)
    warmed = Screener([p.entry for p in screener.index.entries], common_cap=12)
    assert warmed.warm(["MUHAMMAD", "ALI", "KARIMOV", "RAHIMOV", "JAMSHED", "ZARINA"]) == 6
    for subject in subjects:
        expected = [(m.entry_id, m.score) for m in cold.screen(subject)]
        assert [(m.entry_id, m.score) for m in warmed.screen(subject)] == expected
