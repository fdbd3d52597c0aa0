"""The flow's facts cache changes no decision: the same generated traffic, ingested
with the cache (facts built once per stored booking text and kept across
messages) and without it (every traveller's facts built anew at every message,
as before the cache), leaves the same alerts with the same evidence and history,
and every message reports the same alert outcomes.

Two delivery orders (the demo's, API lists first; and PNR pushes first, so the
API lists then link travellers, check them in and end check-in), criteria that
read every kind of input (the booking, check-in and no-show, seat history, bags
and documents from the API, travel history), and a cache so small that it drops
entries all the time."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from criteria_builders import criterion_text
from sqlalchemy import Engine, select

from openpiu import criteria_lifecycle as lifecycle
from openpiu.accounts import Actor
from openpiu.cli_ingest import files_of
from openpiu.criteria import example_texts
from openpiu.criteria_service import CriteriaService, FactsCache
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store.db import make_engine, upgrade
from openpiu.store.schema import alert_events, alerts
from openpiu.synth.output import generate
from openpiu.synth.profiles import TAJIKISTAN

NOW = datetime(2025, 3, 17, 12, 0, tzinfo=UTC)  # after the generated days
ALICE = Actor("alice", ("criteria_author",), "user")
BOB = Actor("bob", ("supervisor",), "user")
HEADER = """\
id: {id}
title: {id}
purpose: drug_trafficking
owner: test-team
justification: written for the test of the facts cache
review_date: 2027-12-31
score: 30
"""
# Each reads inputs the cache keys on: check-in over (no-show), seat history, the
# API's bags and documents, nationality from the API, travel history.
OWN = {
    "no-show-agency": """
        all:
          - fact: no_show
            equals: true
          - fact: booking_channel
            equals: agency
    """,
    "seat-changed": """
        all:
          - fact: seat_changes
            at_least: 1
          - fact: group_size
            at_most: 2
    """,
    "checked-in-heavy": """
        all:
          - fact: check_in_status
            equals: checked_in
          - fact: bag_weight_kg
            more_than: 20
          - fact: nationality
            in: [TJK, RUS, UZB]
    """,
    "document-short": """
        all:
          - fact: document_validity_days
            at_most: 2500
          - fact: visa_present
            equals: false
    """,
    "back-again": """
        all:
          - trips:
              within_days: 30
              at_least: 1
          - fact: one_way
            equals: true
    """,
}
SMALL = replace(TAJIKISTAN, routes=TAJIKISTAN.routes[:1])


@pytest.fixture(scope="module")
def traffic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("traffic")
    generate(SMALL, 2, out, 11)  # two days: the second day's travellers have a history
    return out


def _files(folder: Path, pnr_first: bool) -> list[bytes]:
    names = ["pnrgov", "paxlst"] if pnr_first else ["paxlst", "pnrgov"]
    found = [path for _name, path in files_of([str(folder / n) for n in names])]
    return [path.read_bytes() for path in found if path is not None]


def _ingest(db: Path, files: list[bytes], cache: FactsCache | None) -> tuple[list[Any], ...]:
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    for name, text in example_texts().items():
        _in_force(engine, text, name)
    for key, when in OWN.items():
        _in_force(engine, criterion_text(when, HEADER.format(id=key)), f"{key}.yaml")
    pipeline = Pipeline(engine, Settings(database_url="sqlite:///unused.db"), clock=lambda: NOW)
    pipeline.criteria = CriteriaService(cache=cache is not None)
    pipeline.criteria.cache = cache
    outcomes = [pipeline.ingest_bytes(raw).alerts for raw in files]
    try:
        return outcomes, *_alerts(engine)
    finally:
        engine.dispose()


def _in_force(engine: Engine, text: str, name: str) -> None:
    row = lifecycle.add(engine, ALICE, text, name, NOW).version
    lifecycle.approve(engine, BOB, row.ref, NOW)


def _alerts(engine: Engine) -> tuple[list[Any], list[Any]]:
    a, e = alerts, alert_events
    with engine.connect() as conn:
        found = conn.execute(
            select(a.c.id, a.c.flight_id, a.c.person_id, a.c.entry_id, a.c.status,
                   a.c.score, a.c.band, a.c.features, a.c.list_version,
                   a.c.criterion_version_id)
            .where(a.c.source == "criterion").order_by(a.c.id)
        ).all()  # fmt: skip
        events = conn.execute(
            select(e.c.alert_id, e.c.kind, e.c.message_id, e.c.features)
            .join(a, a.c.id == e.c.alert_id)
            .where(a.c.source == "criterion").order_by(e.c.id)
        ).all()  # fmt: skip
    return [tuple(r) for r in found], [tuple(r) for r in events]


@pytest.mark.parametrize("pnr_first", [False, True], ids=["api-first", "pnr-first"])
def test_the_cache_decides_as_a_full_rebuild(
    traffic: Path, tmp_path: Path, pnr_first: bool
) -> None:
    files = _files(traffic, pnr_first)
    full = _ingest(tmp_path / "full.db", files, None)
    cache = FactsCache()
    runs = [_ingest(tmp_path / "cached.db", files, cache)]
    if not pnr_first:  # a cache that keeps 2 to 4 bookings: mostly misses and drops
        runs.append(_ingest(tmp_path / "tiny.db", files, FactsCache(limit=4)))
    outcomes, found, events = full
    fired = Counter(row[3] for row in found)
    # The traffic is a real test: several criteria fire (API first: alerts are
    # updated as the pushes arrive), and the cache was used.
    assert len(fired) >= 4 and sum(fired.values()) >= 10, fired
    if not pnr_first:
        assert Counter(e[1] for e in events)["updated"] >= 10
        assert cache.api  # API passengers screened before any booking links them
    assert len(cache.bookings) > 0
    for other in runs:
        assert other[1] == found
        assert other[2] == events
        assert other[0] == outcomes
