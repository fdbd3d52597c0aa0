"""The append-only, hash-chained audit trail: who did what, to which records, why, when.

Each event's ``hash`` is SHA-256 over the previous event's hash and the canonical
JSON of the event's own fields, so editing, removing or reordering any event
breaks the chain from that point, and :func:`verify` names the first broken
event.  The database refuses UPDATE and DELETE on ``audit_events`` (triggers of
migration 0001); the chain catches what someone does after removing them.
(Cutting events off the *end* leaves a valid chain: keep a copy of the latest hash
elsewhere, e.g. in the daily report, to detect that.)

``details`` and the other fields must never hold personal data: callers pass
counts, ids and codes ("3 travellers", target ids), never names, document numbers
or message content.  The trail outlives the data it refers to, and must stay
lawful to keep after that data has been masked or deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from openpiu.accounts import Actor
from openpiu.store.db import as_utc, is_postgres, to_db
from openpiu.store.schema import audit_events

# Key of the transaction-level advisory lock that serialises appends on
# PostgreSQL ("piu-audt" in ASCII), so concurrent writers extend one chain
# instead of forking it.
AUDIT_LOCK_KEY = 0x7069752D61756474


@dataclass(frozen=True)
class AuditEvent:
    id: int
    at: datetime
    actor: str
    actor_roles: tuple[str, ...]
    action: str
    target_kind: str | None
    target_ids: list[Any]
    purpose: str | None
    details: dict[str, Any]
    prev_hash: str | None
    hash: str


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _digest(prev_hash: str | None, fields: Mapping[str, Any]) -> str:
    payload = (prev_hash or "") + _canonical(dict(fields))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _hashed_fields(
    at: datetime,
    actor: str,
    actor_roles: str | None,
    action: str,
    target_kind: str | None,
    target_ids: str | None,
    purpose: str | None,
    details: str | None,
) -> dict[str, Any]:
    """The fields the hash covers, exactly as stored (JSON columns as their text),
    so verify() recomputes from the row without re-encoding anything."""
    return {
        "at": at.astimezone(UTC).isoformat(),
        "actor": actor,
        "actor_roles": actor_roles,
        "action": action,
        "target_kind": target_kind,
        "target_ids": target_ids,
        "purpose": purpose,
        "details": details,
    }


def record(
    conn: Connection,
    actor: Actor,
    action: str,
    *,
    target_kind: str | None = None,
    target_ids: Iterable[int | str] = (),
    purpose: str | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> int:
    """Append one event in the caller's transaction; returns its id.

    ``details`` must not hold personal data (counts, ids and codes only).  On
    SQLite, call it in a transaction begun on ``store.db.writer(engine)`` when
    other writers may run: a deferred transaction that lost the race fails with
    "database is locked" rather than forking the chain."""
    if is_postgres(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
    when = to_db(at) if at is not None else datetime.now(UTC)
    assert when is not None
    prev_hash = conn.scalar(select(audit_events.c.hash).order_by(audit_events.c.id.desc()).limit(1))
    fields = _hashed_fields(
        at=when,
        actor=actor.name,
        actor_roles=",".join(actor.roles) or None,
        action=action,
        target_kind=target_kind,
        target_ids=_canonical(list(target_ids)),
        purpose=purpose,
        details=_canonical(details) if details is not None else None,
    )
    result = conn.execute(
        insert(audit_events).values(
            at=when,
            actor=fields["actor"],
            actor_roles=fields["actor_roles"],
            action=action,
            target_kind=target_kind,
            target_ids=fields["target_ids"],
            purpose=purpose,
            details=fields["details"],
            prev_hash=prev_hash,
            hash=_digest(prev_hash, fields),
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def verify(conn: Connection) -> tuple[bool, int | None]:
    """Walk the chain in id order: (True, None) when intact, else (False, id of the
    first event whose link or hash does not match)."""
    prev: str | None = None
    # The option on the statement, not the connection: Connection.execution_options
    # changes the connection itself, and the caller's next INSERT would then be
    # sent through a server-side cursor (which PostgreSQL refuses).
    rows = conn.execute(
        select(audit_events).order_by(audit_events.c.id).execution_options(yield_per=1000)
    )
    for row in rows:
        fields = _hashed_fields(
            at=as_utc(row.at),  # type: ignore[arg-type]
            actor=row.actor,
            actor_roles=row.actor_roles,
            action=row.action,
            target_kind=row.target_kind,
            target_ids=row.target_ids,
            purpose=row.purpose,
            details=row.details,
        )
        if row.prev_hash != prev or row.hash != _digest(prev, fields):
            return False, int(row.id)
        prev = row.hash
    return True, None


def last_hash(conn: Connection) -> str | None:
    """The head of the chain, to be kept elsewhere (detects truncation of the end)."""
    return conn.scalar(select(audit_events.c.hash).order_by(audit_events.c.id.desc()).limit(1))


def count(conn: Connection) -> int:
    return conn.scalar(select(func.count()).select_from(audit_events)) or 0


def events(
    conn: Connection,
    since: datetime | None = None,
    action: str | None = None,
    limit: int | None = None,
) -> list[AuditEvent]:
    """Events in chain order, optionally from ``since`` on and of one action."""
    query = select(audit_events).order_by(audit_events.c.id)
    if since is not None:
        query = query.where(audit_events.c.at >= to_db(since))
    if action is not None:
        query = query.where(audit_events.c.action == action)
    if limit is not None:
        query = query.limit(limit)
    return [
        AuditEvent(
            id=row.id,
            at=as_utc(row.at),  # type: ignore[arg-type]
            actor=row.actor,
            actor_roles=tuple(r for r in (row.actor_roles or "").split(",") if r),
            action=row.action,
            target_kind=row.target_kind,
            target_ids=json.loads(row.target_ids) if row.target_ids else [],
            purpose=row.purpose,
            details=json.loads(row.details) if row.details else {},
            prev_hash=row.prev_hash,
            hash=row.hash,
        )
        for row in conn.execute(query)
    ]
