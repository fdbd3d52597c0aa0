"""The one flow: intake -> vault -> parse -> store -> screen -> alerts.

Each received byte string is written to the vault first, in its own committed
transaction.  Processing then happens in one transaction per message that
claims the message, stores what it says, and marks it processed or quarantined:
a process killed at any point leaves the message either untouched (status
``received``, picked up again by :meth:`Pipeline.process_pending`) or fully done.
Every step is idempotent, so two workers, a retry or ``piu reprocess`` never
store a message twice.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import DBAPIError

from openpiu import formats
from openpiu.criteria_service import CriteriaService
from openpiu.errors import ParseError, PiuError
from openpiu.formats.detect import detect
from openpiu.model import Flight, Manifest, MessageKind, MessageStatus, ParsedFile
from openpiu.parts import PartAssembly
from openpiu.pnr_flow import PNR_KINDS, PnrSteps
from openpiu.screening_service import ScreeningService, rescreen_since
from openpiu.settings import Settings, get_settings
from openpiu.store import manifests as repo
from openpiu.store.db import make_engine, upgrade, utcnow, writer
from openpiu.store.links import link_flight
from openpiu.store.schema import messages, rejections
from openpiu.store.vault import Vault, claim, mark
from openpiu.store.watchlists import VersionResult

log = logging.getLogger(__name__)

DUPLICATE, REJECTED = "duplicate", "rejected"


@dataclass
class Outcome:
    """What became of one input: processed, held, quarantined, duplicate or rejected."""

    status: str
    message_id: int | None = None
    kind: str = MessageKind.UNKNOWN.value
    reason: str | None = None
    position: str | None = None
    warnings: list[str] = field(default_factory=list)
    flights: list[str] = field(default_factory=list)
    travellers: int = 0
    bookings: int = 0
    alerts: Counter[str] = field(default_factory=Counter)  # record_hit outcomes


def identified(flight: Flight | None) -> bool:
    """A flight can be stored once its designator and its date are known."""
    return flight is not None and flight.flight_date is not None


class Pipeline(PartAssembly, PnrSteps):
    """The flow for one store; each public method is safe to run in many workers."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine = engine
        self.settings = settings or get_settings()
        self.clock = clock
        self.vault = Vault(engine, clock)
        self._writer = writer(engine)
        self.screening = ScreeningService()
        self.criteria = CriteriaService()
        self.last_rescreen_summary = ""

    @classmethod
    def from_url(
        cls, url: str | None = None, settings: Settings | None = None, migrate: bool = True
    ) -> Pipeline:
        settings = settings or get_settings()
        engine = make_engine(url or settings.database_url)
        if migrate:
            upgrade(engine)
        return cls(engine, settings)

    # -- intake --------------------------------------------------------------------
    def ingest_bytes(self, raw: bytes, channel: str = "file", sender: str | None = None) -> Outcome:
        """Keep ``raw`` in the vault, then process it."""
        limit = self.settings.max_message_bytes
        if len(raw) > limit:
            return self.reject(
                channel,
                sender,
                len(raw),
                f"message of {len(raw)} bytes exceeds the maximum of {limit} bytes",
            )
        try:
            kind, _type_name = detect(raw)
        except ParseError as exc:
            return self.reject(channel, sender, len(raw), str(exc))
        receipt = self.vault.receive(raw, channel=channel, sender=sender, kind=kind)
        if receipt.duplicate:
            return Outcome(
                DUPLICATE,
                receipt.message_id,
                kind.value,
                reason=f"same bytes as message {receipt.message_id}",
            )
        return self.process(receipt.message_id)

    def reject(self, channel: str, sender: str | None, size: int, reason: str) -> Outcome:
        """Count input refused before the vault (not EDIFACT or XML, too large, ...)."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(rejections).values(
                    at=self.clock(), channel=channel, sender=sender, size=size, reason=reason
                )
            )
        log.info("rejected input of %d bytes on %s: %s", size, channel, reason)
        return Outcome(REJECTED, reason=reason)

    # -- processing ----------------------------------------------------------------
    def process(self, message_id: int) -> Outcome:
        record = self.vault.get(message_id)
        kind = MessageKind(record.kind)
        parsed: ParsedFile | None = None
        error: PiuError | None = None
        try:
            parsed = self.parse(kind, self.vault.raw(message_id))
        except PiuError as exc:
            error = exc
        except (RecursionError, ValueError, TypeError, IndexError, KeyError) as exc:
            # A parser defect met by odd input: the message is kept and quarantined
            # with the defect named, and the intake goes on (never a traceback).
            log.error("parser defect on message %d: %s", message_id, type(exc).__name__)
            error = PiuError(f"internal parser error ({type(exc).__name__}); kept for reprocessing")
        now = self.clock()
        try:
            return self._process(message_id, kind, parsed, error, now)
        except (DBAPIError, OSError):
            raise  # the store itself is failing: the caller must know (and retry)
        except Exception as exc:
            # A defect while storing: quarantine in a fresh transaction so nothing is
            # lost.  Only the exception's type is logged: its text may quote data.
            log.error("internal error storing message %d: %s", message_id, type(exc).__name__)
            with self._writer.begin() as conn:
                return self._quarantine(
                    conn,
                    message_id,
                    kind,
                    f"internal error while storing ({type(exc).__name__}); kept for reprocessing",
                    None,
                    now,
                )
        finally:
            if kind in PNR_KINDS:
                self.checkpoint_wal()

    def _process(
        self,
        message_id: int,
        kind: MessageKind,
        parsed: ParsedFile | None,
        error: PiuError | None,
        now: datetime,
    ) -> Outcome:
        with self._writer.begin() as conn:
            if not claim(conn, message_id):
                current = self.vault_status(conn, message_id)
                return Outcome(current, message_id, kind.value, reason="already processed")
            if error is not None or parsed is None:
                assert error is not None
                if kind in PNR_KINDS:
                    self.redact_raw(conn, message_id, kind)  # sensitive data goes all the same
                return self._quarantine(conn, message_id, kind, error.detail, error.position, now)
            if parsed.pushes:
                return self._store_pnr(conn, message_id, kind, parsed, now)
            found = parsed.manifests
            if len(found) == 1 and not found[0].complete:
                return self._hold_part(conn, message_id, found[0], parsed.warnings, now)
            return self._store(conn, message_id, found, parsed.warnings, now)

    def parse(self, kind: MessageKind, raw: bytes) -> ParsedFile:
        """Bytes -> domain objects, by kind (pure; raises PiuError)."""
        return formats.parse(kind, raw, self.settings.max_message_bytes)

    def housekeeping(self) -> tuple[list[Outcome], int]:
        """Time-driven duties: store multi-part sets whose missing parts are overdue,
        and destroy quarantined raw copies past their retention.  Returns the stored
        sets and how many raw copies were destroyed."""
        stored = self.flush_overdue_parts()
        days = self.settings.quarantine_retention_days
        destroyed = self.vault.purge_quarantine(self.clock() - timedelta(days=days))
        if destroyed:
            log.info("destroyed %d quarantined raw message(s) older than %d days", destroyed, days)
        return stored, destroyed

    def process_pending(self) -> list[Outcome]:
        """Process what is in the vault but was never processed (after a crash)."""
        return [self.process(message_id) for message_id in self.vault.pending()]

    def reprocess(self, ids: Iterable[int] | None = None) -> list[Outcome]:
        """Retry quarantined messages (all of them, or those given) after a fix."""
        with self._writer.begin() as conn:
            query = select(messages.c.id).where(
                messages.c.status == MessageStatus.QUARANTINED.value
            )
            if ids is not None:
                query = query.where(messages.c.id.in_(list(ids)))
            targets = list(conn.scalars(query.order_by(messages.c.id)))
            if targets:
                conn.execute(
                    update(messages)
                    .where(messages.c.id.in_(targets))
                    .values(status=MessageStatus.RECEIVED.value)
                )
        return [self.process(message_id) for message_id in targets]

    # -- steps -----------------------------------------------------------------------
    def _quarantine(
        self,
        conn: Connection,
        message_id: int,
        kind: MessageKind,
        reason: str,
        position: object,
        now: datetime,
        warnings: list[str] | None = None,
    ) -> Outcome:
        pos = str(position) if position is not None else None
        mark(
            conn,
            message_id,
            MessageStatus.QUARANTINED,
            reason=reason,
            position=pos,
            warnings=warnings,
            now=now,
        )
        log.info("message %d quarantined: %s", message_id, reason)
        return Outcome(
            MessageStatus.QUARANTINED.value, message_id, kind.value, reason, pos, warnings or []
        )

    def _store(
        self,
        conn: Connection,
        message_id: int,
        found: list[Manifest],
        file_warnings: list[str],
        now: datetime,
        parts: int = 1,
        part_ids: Iterable[int] = (),
    ) -> Outcome:
        warnings = list(file_warnings)
        for manifest in found:
            prefix = f"message {manifest.envelope.message_ref}: " if len(found) > 1 else ""
            warnings.extend(prefix + w for w in manifest.warnings)
        storable = [(n, m) for n, m in enumerate(found, 1) if identified(m.flight)]
        if not storable:
            if all(m.document_code == "336" for m in found):
                warnings.append("master crew list without a flight: kept in the vault only")
                mark(
                    conn,
                    message_id,
                    MessageStatus.PROCESSED,
                    warnings=warnings,
                    envelope=found[0].envelope,
                    now=now,
                )
                return Outcome(
                    MessageStatus.PROCESSED.value, message_id, "paxlst", warnings=warnings
                )
            undated = any(m.flight is not None for m in found)
            return self._quarantine(
                conn,
                message_id,
                MessageKind.PAXLST,
                "flight date unknown (no DTM 189/232 and no date in UNH)"
                if undated
                else "no flight identification (TDT with a flight number)",
                "DTM" if undated else "TDT",
                now,
                warnings,
            )
        for key in sorted({m.flight.key for _, m in storable if m.flight}):
            repo.lock(conn, f"flight:{key}")  # sorted: two workers never deadlock
        touched = repo.forget_message(conn, message_id)
        for other in part_ids:
            touched |= repo.forget_message(conn, other)
        seq, flight_ids, keys, count = 1, [], [], 0
        for ordinal, manifest in storable:
            flight_id, seq = repo.store_manifest(
                conn, message_id, ordinal, manifest, seq, now, parts
            )
            flight_ids.append(flight_id)
            keys.append(manifest.flight.key if manifest.flight else "")
            count += len(manifest.travellers)
        for flight_id in sorted(touched | set(flight_ids)):
            repo.derive_manifest(conn, flight_id, now)
            link_flight(conn, flight_id, now)  # API may come after the PNR pushes
        screened = touched | set(flight_ids)
        alerts = self.screening.screen_flights(conn, screened, message_id, now)
        alerts.update(self.criteria.screen_flights(conn, screened, message_id, now))
        mark(
            conn,
            message_id,
            MessageStatus.PROCESSED,
            warnings=warnings,
            envelope=found[0].envelope,
            flight_id=flight_ids[0],
            now=now,
        )
        return Outcome(
            MessageStatus.PROCESSED.value,
            message_id,
            "paxlst",
            warnings=warnings,
            flights=keys,
            travellers=count,
            alerts=alerts,
        )

    def rescreen_after_list_change(self, name: str, result: VersionResult) -> bool:
        """Screen stored travellers again against a list version's added and changed
        entries; False when there was nothing to do."""
        changed = [*result.added, *result.changed]
        if result.unchanged or not changed:
            return False
        now = self.clock()
        since = rescreen_since(now.date(), self.settings.rescreen_past_days)
        with self._writer.begin() as conn:
            summary = self.screening.rescreen(conn, name, changed, since, now)
        self.last_rescreen_summary = summary.line()
        # New hits on travellers checked in through the interactive API, before
        # departure: their carrier gets an unsolicited CUSRES (issue 8).
        from openpiu.outbound import unsolicited_since

        unsolicited_since(self.engine, self.settings, now, self.clock())
        return True

    def vault_status(self, conn: Connection, message_id: int) -> str:
        return str(conn.scalar(select(messages.c.status).where(messages.c.id == message_id)))
