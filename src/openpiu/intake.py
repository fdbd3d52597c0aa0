"""Network intake: what a carrier's push goes through before and into the vault.

The web adapter (``web/api_intake.py``) reads the body under the size cap and
hands the bytes here; this module knows nothing of HTTP but the status codes
its refusals carry, so the AMQP channel can reuse the same rules.

The order of the checks is part of the contract with carriers:

1. size (413), checked by the adapter while it reads, before anything is held;
2. is it EDIFACT or XML at all (400, with the reason);
3. may this carrier send this kind of message (403);
4. backpressure: too many messages waiting for processing (503 + Retry-After);
5. the vault, committed before the answer; then the work queue (a message
   whose submission fails is still ``received``, picked up by ``resume``).

Every refusal is counted in ``rejections`` (DESIGN.md: *rejected*) and, when
the carrier is known, written as a compliance event, in one transaction, so a
refusal is never answered without being recorded.  Nothing here logs message
content: reasons name the rule broken and sizes only.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, exists, func, insert, select

from openpiu import carriers
from openpiu.errors import NotFoundError, ParseError, PiuError
from openpiu.formats.detect import detect
from openpiu.model import MessageKind, MessageStatus
from openpiu.settings import Settings
from openpiu.store.db import as_utc, utcnow, writer
from openpiu.store.schema import messages, receipts, rejections
from openpiu.store.schema_intake import compliance_events
from openpiu.store.vault import Vault
from openpiu.work_queue import WorkQueue

log = logging.getLogger(__name__)

# The kind a carrier account grants (carriers.KINDS) for each detected kind.
# UNKNOWN (EDIFACT or XML of a type we do not read) is kept and quarantined by the
# pipeline with the reason, as DESIGN.md asks of anything that is EDIFACT or XML.
_GRANT = {
    MessageKind.PAXLST: "paxlst",
    MessageKind.PNRGOV: "pnrgov",
    MessageKind.PNRGOV_XML: "pnrgov",
    MessageKind.CUSRES: "cusres",  # no carrier is granted it: answers go the other way
}

# Compliance event kinds (schema_intake.compliance_events.kind) per refusal status.
_EVENT = {400: "refused", 413: "refused", 403: "forbidden", 503: "overload"}


class Refused(PiuError):
    """A push refused before the vault; already counted when raised by :class:`Intake`.
    ``retry_after`` (seconds) is set on a 503."""

    def __init__(self, detail: str, status: int, retry_after: int | None = None) -> None:
        super().__init__(detail, status)
        self.retry_after = retry_after


BACKLOG_EVERY_S = 0.5


@dataclass(frozen=True)
class Accepted:
    """A push kept in the vault (new) or recognised as bytes seen before (duplicate)."""

    message_id: int
    kind: str
    status: str
    duplicate: bool


class Intake:
    """The rules of one channel (``http`` by default) over one store and work queue.
    Stateless beyond its handles: safe to share between request threads."""

    def __init__(self, engine: Engine, settings: Settings, work: WorkQueue, *,
                 channel: str = "http", clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.settings = settings
        self.work = work
        self.channel = channel
        self._count, self._counted_at = 0, -BACKLOG_EVERY_S
        self.clock = clock
        self.vault = Vault(engine, clock)
        self._writer = writer(engine)  # SQLite: take the write lock at BEGIN

    @property
    def max_bytes(self) -> int:
        return self.settings.max_message_bytes

    # -- refusals --------------------------------------------------------------------
    def refuse(self, carrier: str | None, size: int, reason: str, status: int) -> Refused:
        """Count a refusal (and, for a known carrier, a compliance event); returns the
        exception for the caller to raise."""
        now = self.clock()
        with self._writer.begin() as conn:
            conn.execute(insert(rejections).values(at=now, channel=self.channel, sender=carrier,
                                                   size=size, reason=reason))  # fmt: skip
            if carrier is not None and status in _EVENT:
                conn.execute(insert(compliance_events).values(
                    at=now, carrier=carrier, kind=_EVENT[status],
                    detail=f"{self.channel} {status}: {reason}"))  # fmt: skip
        log.info("refused %s push of %d bytes from %s: %d", self.channel, size,
                 carrier or "(unknown)", status)  # fmt: skip
        retry = self.settings.intake_retry_after_seconds if status == 503 else None
        return Refused(reason, status, retry)

    def too_large(self, carrier: str, size: int, whole: bool = True) -> Refused:
        """``whole`` False: reading stopped past the limit, so ``size`` is a lower bound."""
        more = "" if whole else "more than "
        return self.refuse(carrier, size, f"message of {more}{size} bytes exceeds the maximum "
                                          f"of {self.max_bytes} bytes", 413)  # fmt: skip

    # -- accepting ---------------------------------------------------------------------
    def accept(self, raw: bytes, carrier_code: str) -> Accepted:
        """Checks 2-5 above for bytes already read under the cap; raises Refused."""
        if len(raw) > self.max_bytes:  # the adapter's cap, enforced here too
            raise self.too_large(carrier_code, len(raw))
        try:
            detected, _type_name = detect(raw)
        except ParseError as exc:
            raise self.refuse(carrier_code, len(raw), str(exc), 400) from None
        carrier = carriers.RECENT.get(self.engine, carrier_code)
        backlog = self._backlog()
        grant = _GRANT.get(detected)
        if grant is not None and not carrier.may_send(grant):
            raise self.refuse(carrier.code, len(raw), f"carrier {carrier.code} may not send "
                              f"{grant} messages (allowed: {', '.join(carrier.kinds)})", 403)
        if backlog >= self.settings.intake_max_backlog:
            # Answered and recorded, never dropped: the carrier keeps the message and
            # sends it again after Retry-After.  The count may overshoot the limit by
            # the requests in flight; it is a brake, not an exact quota.
            raise self.refuse(carrier.code, len(raw), f"{backlog} messages await processing "
                              f"(limit {self.settings.intake_max_backlog}); retry later", 503)
        receipt = self.vault.receive(raw, channel=self.channel, sender=carrier.code,
                                     kind=detected)  # fmt: skip
        if receipt.status is MessageStatus.RECEIVED:
            # A repeat of a message still waiting is handed over again too: its first
            # submission may have been lost (processing claims it, so never twice).
            try:
                self.work.submit(receipt.message_id)
            except Exception as exc:  # the message is durable; resume() picks it up
                log.error("work queue refused message %d: %s", receipt.message_id,
                          type(exc).__name__)  # fmt: skip
        return Accepted(receipt.message_id, detected.value, receipt.status.value,
                        receipt.duplicate)  # fmt: skip

    def _backlog(self) -> int:
        """Messages received and not yet processed, counted at most twice a second
        (a brake needs no exact figure, and the count is a query per push)."""
        now = time.monotonic()
        if now - self._counted_at > BACKLOG_EVERY_S:
            with self.engine.connect() as conn:
                self._count = conn.scalar(
                    select(func.count()).select_from(messages)
                    .where(messages.c.status == MessageStatus.RECEIVED.value)) or 0  # fmt: skip
            self._counted_at = now
        return self._count

    # -- status ----------------------------------------------------------------------
    def status(self, message_id: int, carrier_code: str) -> dict[str, Any]:
        """Where the carrier's own message stands.  A message the carrier never sent
        answers 404 like a missing one, so ids of other carriers' messages are not
        revealed.  Sent means: a receipt of it came from this carrier over a network
        channel (a duplicate push of another carrier's bytes counts as its own)."""
        own = exists().where(and_(receipts.c.message_id == messages.c.id,
                                  receipts.c.sender == carrier_code,
                                  # file names are senders of the file channel
                                  receipts.c.channel != "file"))  # fmt: skip
        query = select(messages.c.id, messages.c.kind, messages.c.status,
                       messages.c.received_at, messages.c.processed_at, messages.c.reason,
                       messages.c.warnings).where(messages.c.id == message_id, own)  # fmt: skip
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().one_or_none()
        if row is None:
            raise NotFoundError(f"message {message_id} not found")
        return {
            "id": row["id"],
            "kind": row["kind"],
            "status": row["status"],
            "received_at": _iso(row["received_at"]),
            "processed_at": _iso(row["processed_at"]),
            "reason": row["reason"] if row["status"] == MessageStatus.QUARANTINED.value else None,
            "warnings": _count_warnings(row["warnings"]),
        }


def _iso(value: datetime | None) -> str | None:
    at = as_utc(value)
    return at.isoformat() if at is not None else None


def _count_warnings(text: str | None) -> int:
    return len(json.loads(text)) if text else 0
