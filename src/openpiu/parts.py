"""Multi-part PAXLST: parts are held until the set is complete, then assembled.

A long passenger list arrives in parts (UNH S010 ``01:C``, ``02:C`` ... ``nn:F``)
that share the common access reference (UNH 0068) and usually arrive as separate
interchanges.  Each part is vaulted on its own and held; when the parts 1..n with
the final one are all there, they are parsed again, their travellers joined in part
order, and stored as one version keyed by the first part's message.  A set still
incomplete after ``PIU_MULTIPART_TIMEOUT_MINUTES`` is stored with the parts present
and the gap reported; a part that comes later re-assembles the set (idempotent).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, select

from openpiu.model import Manifest, MessageKind, MessageStatus
from openpiu.store import manifests as repo
from openpiu.store.schema import messages
from openpiu.store.vault import mark

if TYPE_CHECKING:
    from openpiu.pipeline import Outcome


class PartAssembly:
    """Mixin of :class:`~openpiu.pipeline.Pipeline` for multi-part messages."""

    def _hold_part(
        self: Any,
        conn: Connection,
        message_id: int,
        manifest: Manifest,
        file_warnings: list[str],
        now: datetime,
    ) -> Outcome:
        env = manifest.envelope
        repo.lock(conn, f"parts:{env.sender}:{env.common_access_ref}")
        mark(
            conn,
            message_id,
            MessageStatus.HELD,
            warnings=file_warnings + manifest.warnings,
            envelope=env,
            now=now,
        )
        outcome: Outcome = self._assemble(conn, env.sender, env.common_access_ref, now, force=False)
        outcome.message_id = message_id
        return outcome

    def flush_overdue_parts(self: Any) -> list[Outcome]:
        """Store the sets whose missing parts are overdue, with the parts present."""
        now = self.clock()
        cutoff = now - timedelta(minutes=self.settings.multipart_timeout_minutes)
        with self._writer.begin() as conn:
            groups = conn.execute(
                select(messages.c.interchange_sender, messages.c.common_access_ref)
                .where(
                    messages.c.status == MessageStatus.HELD.value, messages.c.received_at < cutoff
                )
                .distinct()
            ).all()
        outcomes = []
        for sender, reference in groups:
            with self._writer.begin() as conn:
                repo.lock(conn, f"parts:{sender}:{reference}")
                outcomes.append(self._assemble(conn, sender, reference, now, force=True))
        return outcomes

    def _assemble(
        self: Any,
        conn: Connection,
        sender: str | None,
        reference: str | None,
        now: datetime,
        force: bool,
    ) -> Outcome:
        from openpiu.pipeline import Outcome

        same_sender = (
            messages.c.interchange_sender == sender
            if sender is not None
            else messages.c.interchange_sender.is_(None)
        )
        rows = conn.execute(
            select(messages.c.id, messages.c.part_number, messages.c.final_part, messages.c.status)
            .where(
                and_(
                    same_sender,
                    messages.c.common_access_ref == reference,
                    messages.c.kind == MessageKind.PAXLST.value,
                    messages.c.status.in_(
                        [MessageStatus.HELD.value, MessageStatus.PROCESSED.value]
                    ),
                )
            )
            .order_by(messages.c.id)
        ).all()
        # Fix: only genuine parts belong to a set.  Carriers reuse UNH 0068 (the
        # flight key) for every message of a flight, so a complete single message
        # (01:F) with the same reference was taken as "part 1" and superseded,
        # deleting its version.  And a second multi-part set of the same flight
        # would be mixed with the first one's processed parts: processed parts join
        # only when the held ones fill their gaps (a late part), not when they
        # repeat their numbers (a new set).
        rows = [r for r in rows if not ((r.part_number or 1) == 1 and r.final_part)]
        held_numbers = {r.part_number or 1 for r in rows if r.status == MessageStatus.HELD.value}
        done_numbers = {
            r.part_number or 1 for r in rows if r.status == MessageStatus.PROCESSED.value
        }
        if held_numbers & done_numbers:
            rows = [r for r in rows if r.status == MessageStatus.HELD.value]
        latest: dict[int, int] = {}
        final: int | None = None
        for row in rows:  # a part sent again replaces the earlier copy
            latest[int(row.part_number or 1)] = int(row.id)
            if row.final_part:
                final = int(row.part_number or 1) if final is None else min(final, row.part_number)
        expected = final or max(latest, default=1)
        missing = [n for n in range(1, expected + 1) if n not in latest]
        if (missing or final is None) and not force:
            waiting = f"part(s) {', '.join(map(str, missing))}" if missing else "the final part"
            return Outcome(
                MessageStatus.HELD.value,
                kind="paxlst",
                reason=f"part of a multi-part message; waiting for {waiting}",
            )
        numbers = sorted(latest)
        manifests = [
            self.parse(MessageKind.PAXLST, self.vault.raw(latest[n])).manifests[0] for n in numbers
        ]
        assembled = _join(manifests, missing, final is None)
        first_id, others = latest[numbers[0]], [latest[n] for n in numbers[1:]]
        stale = [int(r.id) for r in rows if int(r.id) not in latest.values()]
        outcome: Outcome = self._store(
            conn, first_id, [assembled], [], now, parts=len(numbers), part_ids=others + stale
        )
        for part_id in others + stale:
            mark(
                conn,
                part_id,
                MessageStatus.PROCESSED,
                now=now,
                reason=None if part_id in others else f"superseded by message {first_id}",
            )
        return outcome


def _join(parts: list[Manifest], missing: list[int], no_final: bool) -> Manifest:
    """One manifest from its parts: the first part's header, every part's travellers."""
    head = parts[0]
    travellers = [t for part in parts for t in part.travellers]
    warnings = [w for part in parts for w in part.warnings if "multi-part" not in w]
    if missing:
        warnings.append(
            f"multi-part message incomplete: part(s) {', '.join(map(str, missing))} "
            "missing after the waiting time"
        )
    if no_final:
        warnings.append("multi-part message incomplete: the final part never arrived")
    declared = head.declared_passengers
    present = sum(1 for t in travellers if t.role.value == "passenger")
    if declared is not None and declared != present and not missing:
        warnings.append(f"CNT 42 declares {declared} passengers, {present} present in all parts")
    # Fix: the head keeps its own envelope (part number and final flag).  The
    # pipeline writes this envelope onto the first part's vault row; rewriting it
    # as "01:F" made that row look like a complete message, so a late part 1
    # replaced it (its travellers were lost) and later sets could not tell it apart.
    flight = next((p.flight for p in parts if p.flight is not None), None)
    return replace(head, travellers=travellers, warnings=warnings, flight=flight)
