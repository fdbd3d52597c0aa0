"""Watchlists in the store, on both backends: versions, validity intervals, diffs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from openpiu.errors import NotFoundError, PiuError
from openpiu.screening.entries import Alias, BirthDate, Document, WatchlistEntry
from openpiu.screening.serial import entry_digest
from openpiu.store import watchlists as wl
from openpiu.store.db import writer
from openpiu.store.schema import watchlist_entries, watchlist_versions

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def person(entry_id: str, surname: str, **kw: object) -> WatchlistEntry:
    return WatchlistEntry(
        entry_id=entry_id,
        list_ref=f"REF-{entry_id}",
        name_parts=("JOHN", surname),
        aliases=(Alias(f"{surname}, John", family_first=True), Alias("Johnny", quality="low")),
        birth_dates=(BirthDate(1970, 5, 1), BirthDate(1971, approximate=True)),
        documents=(Document("P1234567", "P", "DEU"),),
        **kw,  # type: ignore[arg-type]
    )


A, B, C, D = (person(x, f"DOE{x}") for x in "ABCD")
B2 = replace(B, notes="moved to the north")
D2 = replace(D, birth_dates=(BirthDate(1969),))


def save(engine: Engine, entries: list[WatchlistEntry], at: datetime, name: str = "national",
         sha: str = "0" * 64) -> wl.VersionResult:
    with writer(engine).begin() as conn:
        return wl.save_version(conn, name, entries, fmt="csv", source_sha256=sha,
                               loaded_by="alice", at=at)


def test_three_versions_diff_and_history(engine: Engine) -> None:
    r1 = save(engine, [A, B, C], T0)
    assert (r1.version, r1.added, r1.changed, r1.removed) == (1, ["A", "B", "C"], [], [])
    assert not r1.unchanged and r1.entry_count == 3

    r2 = save(engine, [D, B2, A], T0 + timedelta(days=1))  # B edited, C gone, D new
    assert (r2.version, r2.added, r2.changed, r2.removed) == (2, ["D"], ["B"], ["C"])

    r3 = save(engine, [A, B2, C, D2], T0 + timedelta(days=2))  # C back, D edited
    assert (r3.version, r3.added, r3.changed, r3.removed) == (3, ["C"], ["D"], [])

    with engine.connect() as conn:
        assert wl.version_diff(conn, "national", 1) == {"added": ["A", "B", "C"],
                                                        "changed": [], "removed": []}
        assert wl.version_diff(conn, "national", 2) == {"added": ["D"], "changed": ["B"],
                                                        "removed": ["C"]}
        assert wl.version_diff(conn, "national", 3) == {"added": ["C"], "changed": ["D"],
                                                        "removed": []}
        version, current = wl.current_entries(conn, "national")
        assert version == 3
        assert current == [A, B2, C, D2]  # by entry id, exactly as loaded
        # Every version can be read back as it was.
        assert wl.entries_by_ids(conn, "national", ["A", "B", "C", "D"], version=1) == {
            "A": A, "B": B, "C": C}
        assert wl.entries_by_ids(conn, "national", ["B", "C", "D"], version=2) == {
            "B": B2, "D": D}
        assert wl.entries_by_ids(conn, "national", ["D", "nope"]) == {"D": D2}
        # Rows: A once, B twice, C twice (removed, re-added), D twice.
        rows = conn.execute(
            select(watchlist_entries.c.entry_id, watchlist_entries.c.first_version,
                   watchlist_entries.c.last_version, watchlist_entries.c.digest)
            .order_by(watchlist_entries.c.entry_id, watchlist_entries.c.first_version)
        ).all()
    assert [tuple(r[:3]) for r in rows] == [
        ("A", 1, None), ("B", 1, 1), ("B", 2, None), ("C", 1, 1), ("C", 3, None),
        ("D", 2, 2), ("D", 3, None),
    ]
    assert rows[2].digest == entry_digest(B2)


def test_unchanged_reimport_writes_no_version(engine: Engine) -> None:
    save(engine, [A, B], T0)
    save(engine, [A, B2], T0 + timedelta(hours=1))
    again = save(engine, [B2, A], T0 + timedelta(hours=2), sha="1" * 64)  # other order
    assert again.unchanged
    assert (again.version, again.added, again.changed, again.removed) == (2, [], [], [])
    assert again.entry_count == 2
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(watchlist_versions)) == 2
        assert conn.scalar(select(func.count()).select_from(watchlist_entries)) == 3
        [info] = wl.list_watchlists(conn)
    # The listing shows the load that made the current version, not the no-op one.
    assert info == wl.WatchlistInfo("national", 2, 2, T0 + timedelta(hours=1), "alice", "csv")


def test_expired_entries_are_kept(engine: Engine) -> None:
    old = replace(A, expires=date(2020, 1, 1))
    save(engine, [old, B], T0)
    with engine.connect() as conn:
        _, current = wl.current_entries(conn, "national")
    assert current == [old, B]
    # Kept, with their expiry: the screener decides that they no longer hit.
    assert [e.active(T0.date()) for e in current] == [False, True]


def test_lists_are_independent(engine: Engine) -> None:
    save(engine, [A, B], T0, name="un")
    save(engine, [A], T0, name="national")
    save(engine, [A, C], T0 + timedelta(days=1), name="national")
    with engine.connect() as conn:
        infos = wl.list_watchlists(conn)
        everything = wl.all_current(conn)
    assert [(i.name, i.version, i.entry_count) for i in infos] == [("national", 2, 2), ("un", 1, 2)]
    assert everything == {"national": (2, [A, C]), "un": (1, [A, B])}


def test_removing_everything_is_a_version(engine: Engine) -> None:
    save(engine, [A], T0)
    r = save(engine, [], T0 + timedelta(days=1))
    assert (r.version, r.removed, r.entry_count, r.unchanged) == (2, ["A"], 0, False)
    with engine.connect() as conn:
        assert wl.current_entries(conn, "national") == (2, [])
        assert wl.entries_by_ids(conn, "national", ["A"], version=1) == {"A": A}


def test_unknown_list_or_version(engine: Engine) -> None:
    save(engine, [A], T0)
    with engine.connect() as conn:
        with pytest.raises(NotFoundError, match="no watchlist named 'nope'"):
            wl.current_entries(conn, "nope")
        with pytest.raises(NotFoundError, match="no version 5"):
            wl.version_diff(conn, "national", 5)
        with pytest.raises(NotFoundError):
            wl.entries_by_ids(conn, "national", ["A"], version=0)
        with pytest.raises(NotFoundError):
            wl.version_diff(conn, "nope", 1)


def test_duplicate_or_oversized_ids_are_refused(engine: Engine) -> None:
    with pytest.raises(PiuError, match="appears twice"):
        save(engine, [A, replace(B, entry_id="A")], T0)
    with pytest.raises(PiuError, match="1 to 128 characters"):
        save(engine, [replace(A, entry_id="x" * 129)], T0)
    with pytest.raises(PiuError, match="name must be 1 to 64"):
        save(engine, [A], T0, name="n" * 65)
    with engine.connect() as conn:
        assert wl.list_watchlists(conn) == []


@pytest.mark.slow
def test_large_reimport_writes_only_the_changes(engine: Engine) -> None:
    entries = [person(f"N{i:05d}", f"S{i}") for i in range(20_000)]
    save(engine, entries, T0)
    entries[7] = replace(entries[7], notes="edited")
    del entries[100]
    r = save(engine, [*entries, person("NEW", "NEW")], T0 + timedelta(days=1))
    assert (r.added, r.changed, r.removed) == (["NEW"], ["N00007"], ["N00100"])
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(watchlist_entries)) == 20_002
        version, current = wl.current_entries(conn, "national")
    assert version == 2 and len(current) == 20_000
