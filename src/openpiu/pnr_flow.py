"""The PNR steps of the flow: privacy filter, redacted vault copy, bookings, links.

Sensitive data is deleted on receipt: the parsed pushes go through the privacy
filter before anything is stored, and the vault's raw copy is replaced, in the
same transaction, by a copy without the sensitive segments.  A PNR that cannot
be parsed is quarantined with its raw copy redacted all the same.
"""

from __future__ import annotations

import logging
import secrets as token
from collections import Counter
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select, update

from openpiu.model import MessageKind, MessageStatus, ParsedFile
from openpiu.privacy.filter import filter_push
from openpiu.privacy.policy import Policy, load_policy
from openpiu.privacy.redact import redact_edifact, redact_xml
from openpiu.store import bookings as booking_repo
from openpiu.store.links import link_flight
from openpiu.store.manifests import insert_ignore, lock
from openpiu.store.schema import message_raw, messages, privacy_removals, secrets
from openpiu.store.vault import mark

if TYPE_CHECKING:
    from openpiu.pipeline import Outcome

log = logging.getLogger(__name__)
PNR_KINDS = (MessageKind.PNRGOV, MessageKind.PNRGOV_XML)
LINK_KEY = "card_link_key"


class PnrSteps:
    """Mixin of :class:`~openpiu.pipeline.Pipeline` for PNRGOV messages."""

    @cached_property
    def policy(self: Any) -> Policy:
        return load_policy(self.settings.privacy_policy)

    def link_key(self: Any, conn: Connection) -> bytes:
        """The key of the card-linking hash: ``PIU_LINK_KEY``, else one made for this
        installation on first use and kept in the store (never a default in code)."""
        if self.settings.link_key:
            return str(self.settings.link_key).encode("utf-8")
        found = conn.scalar(select(secrets.c.value).where(secrets.c.name == LINK_KEY))
        if found is None:
            stmt = insert_ignore(conn, secrets, ["name"]).values(
                name=LINK_KEY, value=token.token_hex(32), created_at=self.clock()
            )
            conn.execute(stmt)
            found = conn.scalar(select(secrets.c.value).where(secrets.c.name == LINK_KEY))
        return str(found).encode("utf-8")

    def redact_raw(self: Any, conn: Connection, message_id: int, kind: MessageKind) -> Counter[str]:
        """Replace the vault's raw copy by one without sensitive segments (the hash of
        the original stays for duplicate detection)."""
        raw = conn.scalar(select(message_raw.c.raw).where(message_raw.c.message_id == message_id))
        if raw is None:
            return Counter()
        redact = redact_xml if kind is MessageKind.PNRGOV_XML else redact_edifact
        cleaned, removed = redact(bytes(raw), self.policy)
        if removed:
            conn.execute(
                update(message_raw)
                .where(message_raw.c.message_id == message_id)
                .values(raw=cleaned)
            )
            conn.execute(update(messages).where(messages.c.id == message_id).values(redacted=True))
        return removed

    def checkpoint_wal(self: Any) -> None:
        """On SQLite, fold the write-ahead log into the database and truncate it, so
        the unredacted copy written on receipt leaves no frame behind in the WAL
        (secure_delete clears freed pages of the database file, not WAL frames)."""
        if self.engine.dialect.name != "sqlite":
            return
        with self.engine.connect() as conn:
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
        if busy and busy[0]:
            log.warning("WAL checkpoint incomplete (readers active); retried on the next PNR")

    def _store_pnr(
        self: Any,
        conn: Connection,
        message_id: int,
        kind: MessageKind,
        parsed: ParsedFile,
        now: datetime,
    ) -> Outcome:
        from openpiu.pipeline import Outcome

        key = self.link_key(conn)
        removed: Counter[str] = Counter()
        for push in parsed.pushes:
            removed.update(filter_push(push, self.policy, key).removed)
        # Raw-copy removals are counted apart: one sensitive SSR is removed from the
        # parsed booking *and* from the vault's copy.
        removed.update(
            {f"raw.{rule}": n for rule, n in self.redact_raw(conn, message_id, kind).items()}
        )
        warnings = list(parsed.warnings)
        for push in parsed.pushes:
            warnings.extend(push.warnings)
            for booking in push.bookings:
                warnings.extend(f"booking {booking.record_locator}: {w}" for w in booking.warnings)
        from openpiu.pipeline import identified

        storable = [(n, p) for n, p in enumerate(parsed.pushes, 1) if identified(p.flight)]
        if not storable:
            return self._quarantine(
                conn,
                message_id,
                kind,
                "no dated flight (TVL) in the PNRGOV message",
                "TVL",
                now,
                warnings,
            )
        for flight_key in sorted({p.flight.key for _, p in storable if p.flight}):
            lock(conn, f"flight:{flight_key}")
        touched = booking_repo.forget_message(conn, message_id)
        flights, count, travellers = [], 0, 0
        for ordinal, push in storable:
            flights.append(booking_repo.store_push(conn, message_id, ordinal, push, now))
            count += len(push.bookings)
            travellers += sum(len(b.travellers) for b in push.bookings)
        for flight_id in sorted(touched | set(flights)):
            booking_repo.derive_bookings(conn, flight_id)
            link_flight(conn, flight_id, now)
        alerts = self.screening.screen_flights(conn, touched | set(flights), message_id, now)
        alerts.update(self.criteria.screen_flights(conn, touched | set(flights), message_id, now))
        count_removals(conn, now, removed)
        mark(
            conn,
            message_id,
            MessageStatus.PROCESSED,
            warnings=warnings,
            envelope=parsed.pushes[0].envelope,
            flight_id=flights[0],
            now=now,
        )
        return Outcome(
            MessageStatus.PROCESSED.value,
            message_id,
            kind.value,
            warnings=warnings,
            flights=[p.flight.key for _, p in storable if p.flight],
            travellers=travellers,
            bookings=count,
            alerts=alerts,
        )


def count_removals(conn: Connection, now: datetime, removed: Counter[str]) -> None:
    """Add the filter's removals to the per-day, per-rule counters; log counts only."""
    if not removed:
        return
    day = now.date()
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
    for rule, n in sorted(removed.items()):
        stmt = dialect_insert(privacy_removals).values(day=day, rule=rule, count=n)
        stmt = stmt.on_conflict_do_update(
            index_elements=["day", "rule"], set_={"count": privacy_removals.c.count + n}
        )
        conn.execute(stmt)
        log.info("privacy filter: %d removal(s) under rule %s", n, rule)
