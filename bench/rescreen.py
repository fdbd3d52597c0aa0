"""Screening stored travellers again after a list change (issue 5, item 5).

Builds a SQLite store holding N travellers (default 1,000,000) on upcoming
flights, with the names, dates of birth and nationalities of the Central Asian
traffic profile, then loads a list version that adds M entries (default 100;
ten of them planted variants of stored travellers) and times
``ScreeningService.rescreen``: read every stored traveller, prefilter on name
parts, compare the few that share a part with a changed entry, raise alerts.

    .venv/bin/python bench/rescreen.py [--travellers N] [--entries M] [--db PATH]

Floor: 1,000,000 travellers against 100 new entries in under 30 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from openpiu.screening import WatchlistEntry
from openpiu.screening_service import ScreeningService
from openpiu.store import watchlists as list_store
from openpiu.store.bulk import insert_rows
from openpiu.store.db import make_engine, upgrade, writer
from openpiu.store.schema import (
    api_travellers,
    flight_travellers,
    flights,
    manifest_versions,
    messages,
    persons,
)
from openpiu.synth.biglist import synthetic_watchlist

PER_FLIGHT = 150
CHUNK = 50_000


def build_store(url: str, n: int, today: date, seed: int) -> list[tuple[str, str, str, str]]:
    """Insert n travellers on upcoming flights; returns a sample of their names."""
    engine = make_engine(url)
    upgrade(engine)
    now = datetime.now(UTC)
    sample: list[tuple[str, str, str, str]] = []
    people = synthetic_watchlist(n, seed)
    n_flights = (n + PER_FLIGHT - 1) // PER_FLIGHT
    with writer(engine).begin() as conn:
        insert_rows(conn, flights, ("id", "carrier", "number", "flight_date", "designator",
                                    "status", "updated_at"),
                    [(f + 1, "ZZ", str(f + 1), today + timedelta(days=f % 7), f"ZZ{f + 1}",
                      "open", now) for f in range(n_flights)])  # fmt: skip
        insert_rows(conn, messages, ("id", "sha256", "kind", "status", "received_at", "channel",
                                     "size", "attempts", "redacted"),
                    [(f + 1, f"{f:064d}", "paxlst", "processed", now, "bench", 0, 1, False)
                     for f in range(n_flights)])  # fmt: skip
        insert_rows(conn, manifest_versions, ("id", "message_id", "ordinal", "flight_id",
                                              "document_code", "action", "list_role",
                                              "parts", "travellers", "stored_at"),
                    [(f + 1, f + 1, 1, f + 1, "745", "full", "passenger", 1, PER_FLIGHT, now)
                     for f in range(n_flights)])  # fmt: skip
    rows_p, rows_t, rows_f = [], [], []
    for i, entry in enumerate(people):
        flight = i // PER_FLIGHT + 1
        given = " ".join(entry.name_parts[:-1]) or entry.name_parts[0]
        surname = entry.name_parts[-1]
        dob = entry.birth_dates[0] if entry.birth_dates else None
        born = date(dob.year, dob.month or 1, dob.day or 1) if dob else None
        nationality = entry.nationalities[0] if entry.nationalities else None
        rows_p.append((i + 1, f"bench:{i}", "name", now))
        rows_t.append((flight, i % PER_FLIGHT + 1, flight, flight, i + 1, "passenger", False,
                       surname, given, born, nationality))
        rows_f.append((flight, i + 1, "passenger", "listed", flight, i % PER_FLIGHT + 1, flight))
        if i % 10_000 == 0:
            sample.append((surname, given, born.isoformat() if born else "", nationality or ""))
        if len(rows_p) >= CHUNK:
            _flush(engine, rows_p, rows_t, rows_f)
    _flush(engine, rows_p, rows_t, rows_f)
    return sample


def _flush(engine: object, rows_p: list, rows_t: list, rows_f: list) -> None:  # type: ignore[type-arg]
    with writer(engine).begin() as conn:  # type: ignore[arg-type]
        insert_rows(conn, persons, ("id", "key", "key_kind", "created_at"), rows_p)
        insert_rows(conn, api_travellers, ("message_id", "seq", "version_id", "flight_id",
                                           "person_id", "role", "in_transit", "surname",
                                           "given_names", "dob", "nationality"), rows_t)
        insert_rows(conn, flight_travellers, ("flight_id", "person_id", "role", "status",
                                              "message_id", "seq", "since_version_id"), rows_f)
    rows_p.clear()
    rows_t.clear()
    rows_f.clear()


def changed_entries(m: int, sample: list[tuple[str, str, str, str]]) -> list[WatchlistEntry]:
    """m new entries: planted variants of stored travellers, the rest unrelated."""
    planted = []
    for k, (surname, given, _dob, nationality) in enumerate(sample[: min(10, m)]):
        planted.append(WatchlistEntry(f"planted-{k}", name_parts=(surname, given),
                                      nationalities=(nationality,) if nationality else ()))
    others = [replace(e, entry_id=f"new-{k}")
              for k, e in enumerate(synthetic_watchlist(m - len(planted), seed=99))]
    return planted + others


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--travellers", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--db", help="SQLite file to build (default: a temporary one)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="piu-rescreen-")
    path = Path(args.db or Path(folder) / "rescreen.db")
    url = f"sqlite:///{path}"
    today = date.today()
    print(f"command: {' '.join(sys.argv)}")
    started = time.perf_counter()
    sample = build_store(url, args.travellers, today, args.seed)
    print(f"store built: {args.travellers:,} travellers in {time.perf_counter() - started:.1f} s "
          f"({path})")
    engine = make_engine(url)
    entries = changed_entries(args.entries, sample)
    now = datetime.now(UTC)
    with writer(engine).begin() as conn:
        result = list_store.save_version(conn, "bench", entries, fmt="csv", source_sha256="0" * 64,
                                         loaded_by="bench", at=now)
    service = ScreeningService()
    started = time.perf_counter()
    with writer(engine).begin() as conn:
        summary = service.rescreen(conn, "bench", [*result.added, *result.changed],
                                   today - timedelta(days=7), now)
    seconds = time.perf_counter() - started
    raised = summary.outcomes["raised"]
    print(f"rescreen: {summary.travellers:,} stored travellers against {summary.entries} new "
          f"entries in {seconds:.1f} s (floor 30 s: {'PASS' if seconds < 30 else 'FAIL'}); "
          f"{summary.screened:,} compared in full; {raised} alert(s)/review hit(s) raised")
    random.seed(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
