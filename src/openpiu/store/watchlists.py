"""Watchlists in the store: versions, and entries with validity intervals.

Each load of a list is compared with the list's current rows by entry id and
digest (:func:`openpiu.screening.serial.entry_digest`).  Only what changed is
written: an added entry opens a row, a removed one closes its row, a changed one
closes the old row and opens a new one.  A row is valid for versions
``first_version..last_version`` (``last_version`` NULL while current), so
re-importing a list of a million entries where a hundred changed writes a few
hundred rows, and every past version can still be read (an alert raised on
version 7 is explained with the entry as version 7 had it).

A load that changes nothing writes no version: the list's version number moves
only when its content does, so alerts are re-examined only then.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select

from openpiu.errors import NotFoundError, PiuError
from openpiu.screening.entries import WatchlistEntry
from openpiu.screening.serial import entry_from_json, entry_text, text_digest
from openpiu.store.bulk import insert_rows
from openpiu.store.db import as_utc, to_db
from openpiu.store.manifests import insert_ignore
from openpiu.store.schema import watchlist_entries, watchlist_versions, watchlists

_ENTRY_COLUMNS = (
    "watchlist_id",
    "entry_id",
    "list_ref",
    "first_version",
    "last_version",
    "digest",
    "data",
)
_ID_SIZE = 128  # watchlist_entries.entry_id and alerts.entry_id are String(128)
_CHUNK = 500  # ids per IN (...): well under both backends' parameter limits
_WRITE_CHUNK = 20_000  # rows per executemany while saving a version


@dataclass(frozen=True)
class VersionResult:
    """What a load did.  ``unchanged``: nothing differed, no version was written
    and ``version`` is the current one."""

    name: str
    version: int
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: bool = False
    entry_count: int = 0


@dataclass(frozen=True)
class WatchlistInfo:
    name: str
    version: int
    entry_count: int
    loaded_at: datetime | None
    loaded_by: str
    format: str


def save_version(
    conn: Connection,
    name: str,
    entries: Sequence[WatchlistEntry],
    *,
    fmt: str,
    source_sha256: str | None,
    loaded_by: str,
    at: datetime,
) -> VersionResult:
    """Store ``entries`` as the list's next version (creating the list on first load).

    Memory and time follow what changed: an unchanged entry costs its digest, and
    the rows to write go to the database in chunks as they are found."""
    if not name or len(name) > 64:
        raise PiuError("a watchlist name must be 1 to 64 characters", 422)
    seen: set[str] = set()
    for e in entries:
        if e.entry_id in seen:
            raise PiuError(f"watchlist {name!r}: entry id {e.entry_id!r} appears twice", 422)
        if not e.entry_id or len(e.entry_id) > _ID_SIZE:
            raise PiuError(f"watchlist {name!r}: entry id must be 1 to {_ID_SIZE} characters", 422)
        seen.add(e.entry_id)

    list_id = _lock_list(conn, name, at)
    current = _current_version(conn, list_id)
    version = current + 1
    rows = conn.execute(
        select(watchlist_entries.c.entry_id, watchlist_entries.c.id, watchlist_entries.c.digest)
        .where(watchlist_entries.c.watchlist_id == list_id)
        .where(watchlist_entries.c.last_version.is_(None))
    ).all()
    old = {entry_id: (int(row_id), digest) for entry_id, row_id, digest in rows}
    del rows
    added: list[str] = []
    changed: list[str] = []
    pending: list[tuple[Any, ...]] = []
    for e in entries:
        data = entry_text(e)
        digest = text_digest(data)
        before = old.get(e.entry_id)
        if before is not None and before[1] == digest:
            continue
        (added if before is None else changed).append(e.entry_id)
        # The column is a lookup aid; the data keeps the list's reference whole.
        ref = e.list_ref[:_ID_SIZE] if e.list_ref else e.list_ref
        pending.append((list_id, e.entry_id, ref, version, None, digest, data))
        if len(pending) >= _WRITE_CHUNK:
            insert_rows(conn, watchlist_entries, _ENTRY_COLUMNS, pending)
            pending = []
    insert_rows(conn, watchlist_entries, _ENTRY_COLUMNS, pending)
    removed = sorted(old.keys() - seen)
    if current and not (added or changed or removed):
        return VersionResult(name, current, unchanged=True, entry_count=len(seen))

    conn.execute(
        insert(watchlist_versions).values(
            watchlist_id=list_id,
            version=version,
            loaded_at=to_db(at),
            loaded_by=loaded_by,
            format=fmt,
            source_sha256=source_sha256,
            entry_count=len(seen),
            added=len(added),
            changed=len(changed),
            removed=len(removed),
        )
    )
    closing = [(current, old[k][0]) for k in (*changed, *removed)]
    if closing:
        mark = "%s" if conn.dialect.name == "postgresql" else "?"
        # The driver's executemany: one UPDATE per closed row, without SQLAlchemy's
        # per-row parameter processing (a re-import may close many rows).
        conn.exec_driver_sql(
            f"UPDATE {watchlist_entries.name} SET last_version = {mark} WHERE id = {mark}", closing
        )
    return VersionResult(name, version, sorted(added), sorted(changed), removed, False, len(seen))


def _lock_list(conn: Connection, name: str, at: datetime) -> int:
    """The list's id, created on first load; the row stays locked until commit, so
    two loads of one list on PostgreSQL take turns (SQLite has a single writer)."""
    conn.execute(insert_ignore(conn, watchlists, ["name"]).values(name=name, created_at=to_db(at)))
    found = conn.scalar(select(watchlists.c.id).where(watchlists.c.name == name).with_for_update())
    assert found is not None, "inserted or found just above"
    return int(found)


def _current_version(conn: Connection, list_id: int) -> int:
    found = conn.scalar(
        select(func.max(watchlist_versions.c.version)).where(
            watchlist_versions.c.watchlist_id == list_id
        )
    )
    return int(found or 0)


def _list_id(conn: Connection, name: str) -> int:
    found = conn.scalar(select(watchlists.c.id).where(watchlists.c.name == name))
    if found is None:
        raise NotFoundError(f"no watchlist named {name!r}")
    return int(found)


def _check_version(conn: Connection, list_id: int, name: str, version: int) -> None:
    found = conn.scalar(
        select(watchlist_versions.c.id).where(
            watchlist_versions.c.watchlist_id == list_id, watchlist_versions.c.version == version
        )
    )
    if found is None:
        raise NotFoundError(f"watchlist {name!r} has no version {version}")


def list_watchlists(conn: Connection) -> list[WatchlistInfo]:
    """Every list with its current version, by name."""
    latest = (
        select(
            watchlist_versions.c.watchlist_id,
            func.max(watchlist_versions.c.version).label("version"),
        )
        .group_by(watchlist_versions.c.watchlist_id)
        .subquery()
    )
    v = watchlist_versions.c
    rows = conn.execute(
        select(watchlists.c.name, v.version, v.entry_count, v.loaded_at, v.loaded_by, v.format)
        .join(latest, latest.c.watchlist_id == watchlists.c.id)
        .join(
            watchlist_versions,
            and_(v.watchlist_id == watchlists.c.id, v.version == latest.c.version),
        )
        .order_by(watchlists.c.name)
    ).all()
    return [
        WatchlistInfo(name, int(version), int(count), as_utc(at), by, fmt)
        for name, version, count, at, by, fmt in rows
    ]


def current_entries(conn: Connection, name: str) -> tuple[int, list[WatchlistEntry]]:
    """(current version, its entries by entry id).  Expired entries are included:
    whether an entry still hits is the screener's call (``WatchlistEntry.active``)."""
    list_id = _list_id(conn, name)
    return _current_version(conn, list_id), _current_of(conn, list_id)


def _current_of(conn: Connection, list_id: int) -> list[WatchlistEntry]:
    rows = conn.execute(
        select(watchlist_entries.c.data)
        .where(watchlist_entries.c.watchlist_id == list_id)
        .where(watchlist_entries.c.last_version.is_(None))
        .order_by(watchlist_entries.c.entry_id)
    )
    return [entry_from_json(json.loads(data)) for (data,) in rows]


def all_current(conn: Connection) -> dict[str, tuple[int, list[WatchlistEntry]]]:
    """Every list's current version and entries: what a screening worker loads."""
    out: dict[str, tuple[int, list[WatchlistEntry]]] = {}
    for list_id, name in conn.execute(select(watchlists.c.id, watchlists.c.name)).all():
        version = _current_version(conn, int(list_id))
        if version:
            out[name] = (version, _current_of(conn, int(list_id)))
    return out


def version_diff(conn: Connection, name: str, version: int) -> dict[str, list[str]]:
    """Entry ids added, changed and removed by ``version`` against the one before,
    read from the validity intervals: rows opened at ``version`` and rows closed
    just before it."""
    list_id = _list_id(conn, name)
    _check_version(conn, list_id, name, version)
    c = watchlist_entries.c
    opened = set(
        conn.scalars(
            select(c.entry_id).where(c.watchlist_id == list_id, c.first_version == version)
        )
    )
    closed = set(
        conn.scalars(
            select(c.entry_id).where(c.watchlist_id == list_id, c.last_version == version - 1)
        )
    )
    return {
        "added": sorted(opened - closed),
        "changed": sorted(opened & closed),
        "removed": sorted(closed - opened),
    }


def entries_by_ids(
    conn: Connection, name: str, ids: Iterable[str], version: int | None = None
) -> dict[str, WatchlistEntry]:
    """The entries with these ids as the given version (default: the current one)
    had them, keyed by entry id; ids not in that version are absent."""
    list_id = _list_id(conn, name)
    c = watchlist_entries.c
    if version is None:
        valid: Any = c.last_version.is_(None)
    else:
        _check_version(conn, list_id, name, version)
        valid = and_(
            c.first_version <= version, or_(c.last_version.is_(None), c.last_version >= version)
        )
    wanted = sorted(set(ids))
    out: dict[str, WatchlistEntry] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = conn.execute(
            select(c.entry_id, c.data).where(
                c.watchlist_id == list_id, c.entry_id.in_(chunk), valid
            )
        )
        out.update({entry_id: entry_from_json(json.loads(data)) for entry_id, data in rows})
    return out
