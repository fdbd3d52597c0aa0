"""The vault: every message received is written here first, durably, with its hash.

Nothing else happens to a message before :meth:`Vault.receive` has committed, so a
crash at any later step loses nothing: on restart :meth:`Vault.pending` lists what
is still to do.  The accounting rule of DESIGN.md holds by construction::

    receipts = processed + duplicate receipts + quarantined (+ held + pending)

Each distinct byte string is one ``messages`` row, keyed by SHA-256; each arrival,
duplicates included, is one ``receipts`` row.  The raw bytes live apart in
``message_raw`` so they can be redacted (the original hash stays, so a re-sent
original is still a duplicate) or destroyed while the record of the message stays.

The pipeline changes a message's status inside its own transaction with the
module-level :func:`mark` and :func:`claim`, which take a Connection.
"""

from __future__ import annotations

import builtins
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    RowMapping,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from openpiu.errors import NotFoundError, Position
from openpiu.model import Envelope, MessageKind, MessageStatus
from openpiu.store.db import as_utc, to_db, writer
from openpiu.store.schema import message_raw, messages, receipts

# Statements of the per-message path, built once: building and caching a statement
# costs several times more than running it (SQLite) on this hot path.
_BY_SHA = select(messages.c.id, messages.c.status).where(messages.c.sha256 == bindparam("digest"))
_INSERT_RAW = insert(message_raw)
_INSERT_RECEIPT = insert(receipts)
_RAW = (
    select(messages.c.raw_destroyed_at, message_raw.c.raw)
    .select_from(messages.outerjoin(message_raw))
    .where(messages.c.id == bindparam("message_id"))
)
_GET = select(messages).where(messages.c.id == bindparam("message_id"))
_CLAIM = select(messages.c.status).where(messages.c.id == bindparam("message_id")).with_for_update()
_MARK = (
    update(messages)
    .where(messages.c.id == bindparam("message_id"))
    .values(attempts=messages.c.attempts + 1)
)


@dataclass(frozen=True)
class Receipt:
    """What :meth:`Vault.receive` answers: the message id, and whether it was seen before."""

    message_id: int
    duplicate: bool
    status: MessageStatus


@dataclass
class MessageRecord:
    """A ``messages`` row; times aware UTC (``sent_at`` is as the sender wrote it)."""

    id: int
    sha256: str
    kind: str
    status: MessageStatus
    received_at: datetime
    channel: str
    sender: str | None
    size: int
    interchange_sender: str | None
    interchange_ref: str | None
    message_ref: str | None
    sent_at: datetime | None
    common_access_ref: str | None
    part_number: int | None
    final_part: bool | None
    reason: str | None
    position: str | None
    warnings: list[str]
    attempts: int
    processed_at: datetime | None
    flight_id: int | None
    redacted: bool
    raw_destroyed_at: datetime | None

    @classmethod
    def from_row(cls, row: RowMapping) -> MessageRecord:
        return cls(
            id=row["id"],
            sha256=row["sha256"],
            kind=row["kind"],
            status=MessageStatus(row["status"]),
            received_at=as_utc(row["received_at"]),  # type: ignore[arg-type]
            channel=row["channel"],
            sender=row["sender"],
            size=row["size"],
            interchange_sender=row["interchange_sender"],
            interchange_ref=row["interchange_ref"],
            message_ref=row["message_ref"],
            sent_at=row["sent_at"],
            common_access_ref=row["common_access_ref"],
            part_number=row["part_number"],
            final_part=row["final_part"],
            reason=row["reason"],
            position=row["position"],
            warnings=json.loads(row["warnings"]) if row["warnings"] else [],
            attempts=row["attempts"],
            processed_at=as_utc(row["processed_at"]),
            flight_id=row["flight_id"],
            redacted=bool(row["redacted"]),
            raw_destroyed_at=as_utc(row["raw_destroyed_at"]),
        )


def sha256_hex(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class Vault:
    """The durable intake record.  Each public method is one committed transaction."""

    # How often receive() retries after losing a race; one retry settles it (the
    # winner has committed by the time our unique-index conflict is reported).
    _RETRIES = 3

    def __init__(
        self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._engine = engine
        # Every write transaction here reads then writes: take the SQLite write
        # lock at BEGIN so concurrent writers queue instead of failing.
        self._writer = writer(engine)
        self._clock = clock

    def _now(self) -> datetime:
        now = to_db(self._clock())
        assert now is not None
        return now

    def receive(
        self, raw: bytes, *, channel: str, sender: str | None, kind: MessageKind
    ) -> Receipt:
        """Keep ``raw``; committed before this returns.

        A byte string seen before gets only a duplicate receipt and the existing
        message's id and current status.  Two processes receiving the same bytes at
        once race on the unique sha256 index: the loser retries as a duplicate."""
        digest = sha256_hex(raw)
        for _attempt in range(self._RETRIES):
            now = self._now()
            try:
                with self._writer.begin() as conn:
                    # Insert first, look up only when the hash is known already: a
                    # new message (the common case) costs one statement less.
                    result = conn.execute(
                        _insert_new(conn.dialect.name),
                        {
                            "sha256": digest,
                            "kind": str(kind),
                            "status": str(MessageStatus.RECEIVED),
                            "received_at": now,
                            "channel": channel,
                            "sender": sender,
                            "size": len(raw),
                            "attempts": 0,
                            "redacted": False,
                        },
                    ).first()
                    if result is None:
                        found = _by_sha(conn, digest)
                        if found is None:
                            continue  # removed meanwhile (purged): try again
                        _add_receipt(conn, found[0], now, channel, sender, duplicate=True)
                        return Receipt(found[0], True, MessageStatus(found[1]))
                    message_id = int(result[0])
                    conn.execute(_INSERT_RAW, {"message_id": message_id, "raw": raw})
                    _add_receipt(conn, message_id, now, channel, sender, duplicate=False)
                    return Receipt(message_id, False, MessageStatus.RECEIVED)
            except IntegrityError:
                # Another process stored the same bytes between our look-up and
                # our insert; the next round finds its row.
                continue
        raise RuntimeError("vault: could not store or find the message after retries")

    def raw(self, message_id: int) -> bytes:
        """The raw bytes (redacted ones if the message was redacted)."""
        with self._engine.connect() as conn:
            row = conn.execute(_RAW, {"message_id": message_id}).one_or_none()
        if row is None:
            raise NotFoundError(f"message {message_id} not found")
        if row.raw is None:
            when = as_utc(row.raw_destroyed_at)
            at = f" on {when.isoformat()}" if when else ""
            raise NotFoundError(f"the raw copy of message {message_id} was destroyed{at}")
        return bytes(row.raw)

    def get(self, message_id: int) -> MessageRecord:
        with self._engine.connect() as conn:
            row = conn.execute(_GET, {"message_id": message_id}).one_or_none()
        if row is None:
            raise NotFoundError(f"message {message_id} not found")
        return MessageRecord.from_row(row._mapping)

    def pending(self) -> builtins.list[int]:
        """Ids still in status ``received``, oldest first: what a restart must process."""
        with self._engine.connect() as conn:
            return list(
                conn.scalars(
                    select(messages.c.id)
                    .where(messages.c.status == str(MessageStatus.RECEIVED))
                    .order_by(messages.c.id)
                )
            )

    def counts(self) -> dict[str, int]:
        """received (every arrival), processed, duplicate, quarantined, held, pending."""
        with self._engine.connect() as conn:
            received = conn.scalar(select(func.count()).select_from(receipts)) or 0
            duplicate = (
                conn.scalar(select(func.count()).select_from(receipts).where(receipts.c.duplicate))
                or 0
            )
            by_status: dict[str, int] = {
                status: n
                for status, n in conn.execute(
                    select(messages.c.status, func.count()).group_by(messages.c.status)
                )
            }
        return {
            "received": received,
            "processed": by_status.get(str(MessageStatus.PROCESSED), 0),
            "duplicate": duplicate,
            "quarantined": by_status.get(str(MessageStatus.QUARANTINED), 0),
            "held": by_status.get(str(MessageStatus.HELD), 0),
            "pending": by_status.get(str(MessageStatus.RECEIVED), 0),
        }

    def redact(self, message_id: int, redacted_raw: bytes) -> None:
        """Replace the raw copy by a redacted one; the original's hash is kept."""
        with self._writer.begin() as conn:
            self._require_raw(conn, message_id)
            conn.execute(
                update(message_raw)
                .where(message_raw.c.message_id == message_id)
                .values(raw=redacted_raw)
            )
            conn.execute(update(messages).where(messages.c.id == message_id).values(redacted=True))

    def destroy_raw(self, message_id: int) -> None:
        """Delete the raw copy; the record stays.  Destroying twice is a no-op."""
        with self._writer.begin() as conn:
            row = conn.execute(
                select(messages.c.raw_destroyed_at).where(messages.c.id == message_id)
            ).one_or_none()
            if row is None:
                raise NotFoundError(f"message {message_id} not found")
            if row.raw_destroyed_at is not None:
                return
            _destroy(conn, [message_id], self._now())

    def purge_quarantine(self, older_than: datetime) -> int:
        """Destroy the raw copy of quarantined messages received before ``older_than``;
        returns how many were destroyed."""
        cutoff = to_db(older_than)
        with self._writer.begin() as conn:
            ids = list(
                conn.scalars(
                    select(messages.c.id).where(
                        and_(
                            messages.c.status == str(MessageStatus.QUARANTINED),
                            messages.c.received_at < cutoff,
                            messages.c.raw_destroyed_at.is_(None),
                        )
                    )
                )
            )
            if ids:
                _destroy(conn, ids, self._now())
        return len(ids)

    def list(
        self, status: MessageStatus | None = None, limit: int | None = None
    ) -> builtins.list[MessageRecord]:
        """Messages, newest first, optionally of one status."""
        query = select(messages).order_by(messages.c.id.desc())
        if status is not None:
            query = query.where(messages.c.status == str(status))
        if limit is not None:
            query = query.limit(limit)
        with self._engine.connect() as conn:
            return [MessageRecord.from_row(row._mapping) for row in conn.execute(query)]

    def _require_raw(self, conn: Connection, message_id: int) -> None:
        row = conn.execute(
            select(messages.c.raw_destroyed_at).where(messages.c.id == message_id)
        ).one_or_none()
        if row is None:
            raise NotFoundError(f"message {message_id} not found")
        if row.raw_destroyed_at is not None:
            raise NotFoundError(f"the raw copy of message {message_id} was destroyed")


_INSERT_NEW: dict[str, Any] = {}


def _insert_new(dialect: str) -> Any:
    """INSERT of a message that does nothing (returns no row) when its hash is
    already in the vault."""
    stmt = _INSERT_NEW.get(dialect)
    if stmt is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        stmt = _INSERT_NEW[dialect] = (
            dialect_insert(messages).on_conflict_do_nothing(index_elements=["sha256"])
            .returning(messages.c.id)
        )  # fmt: skip
    return stmt


def _by_sha(conn: Connection, digest: str) -> tuple[int, str] | None:
    row = conn.execute(_BY_SHA, {"digest": digest}).one_or_none()
    return (row.id, row.status) if row is not None else None


def _add_receipt(
    conn: Connection,
    message_id: int,
    now: datetime,
    channel: str,
    sender: str | None,
    *,
    duplicate: bool,
) -> None:
    conn.execute(
        _INSERT_RECEIPT,
        {
            "message_id": message_id,
            "received_at": now,
            "channel": channel,
            "sender": sender,
            "duplicate": duplicate,
        },
    )


def _destroy(conn: Connection, ids: builtins.list[int], now: datetime) -> None:
    # Chunked: SQLite caps the number of bound parameters in one statement.
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        conn.execute(delete(message_raw).where(message_raw.c.message_id.in_(chunk)))
        conn.execute(update(messages).where(messages.c.id.in_(chunk)).values(raw_destroyed_at=now))


def claim(conn: Connection, message_id: int) -> bool:
    """Lock the message row for the caller's transaction; True when it still needs
    processing (status received or held).

    Two workers handed the same message: the second waits on the row lock
    (PostgreSQL ``FOR UPDATE``; SQLite serialises writers anyway), then sees the
    first one's outcome and gets False, so processing stays idempotent."""
    status = conn.scalar(_CLAIM, {"message_id": message_id})
    if status is None:
        raise NotFoundError(f"message {message_id} not found")
    return status in (str(MessageStatus.RECEIVED), str(MessageStatus.HELD))


def mark(
    conn: Connection,
    message_id: int,
    status: MessageStatus,
    *,
    reason: str | None = None,
    position: Position | str | None = None,
    warnings: builtins.list[str] | None = None,
    envelope: Envelope | None = None,
    flight_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Record the outcome of an attempt at ``message_id`` in the caller's transaction.

    ``reason`` and ``position`` are always written (None clears a previous
    quarantine reason when a retry succeeds); ``warnings``, ``envelope`` and
    ``flight_id`` only when given.  ``reason`` must name the rule broken, never
    quote personal data from the message."""
    when = to_db(now) if now is not None else datetime.now(UTC)
    values: dict[str, Any] = {
        "status": str(status),
        "reason": reason,
        "position": str(position) if position is not None else None,
    }
    if warnings is not None:
        values["warnings"] = json.dumps(list(warnings), ensure_ascii=False)
    if envelope is not None:
        values.update(
            interchange_sender=envelope.sender,
            interchange_ref=envelope.interchange_ref,
            message_ref=envelope.message_ref,
            sent_at=envelope.prepared_at,
            common_access_ref=envelope.common_access_ref,
            part_number=envelope.part_number,
            final_part=envelope.final_part,
        )
    if flight_id is not None:
        values["flight_id"] = flight_id
    if status is MessageStatus.PROCESSED:
        values["processed_at"] = when
    values["message_id"] = message_id
    result = conn.execute(_MARK, values)  # SET attempts = attempts + 1, and these values
    if result.rowcount == 0:
        raise NotFoundError(f"message {message_id} not found")
