"""The vault on both backends: every message kept, duplicates counted, raw lifecycle."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from openpiu.errors import NotFoundError, Position
from openpiu.model import Envelope, MessageKind, MessageStatus
from openpiu.store.db import writer
from openpiu.store.schema import message_raw, messages, receipts
from openpiu.store.vault import Vault, claim, mark, sha256_hex

T0 = datetime(2025, 3, 15, 8, 0, tzinfo=UTC)
RAW = b"UNA:+.? 'UNB+UNOA:4+ZZAIR+PIU+250315:0800+1'UNZ+1+1'"


class Clock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def vault(engine: Engine, clock: Clock) -> Vault:
    return Vault(engine, clock=clock)


def _receive(vault: Vault, raw: bytes = RAW, sender: str | None = "ZZ") -> int:
    receipt = vault.receive(raw, channel="file", sender=sender, kind=MessageKind.PAXLST)
    return receipt.message_id


def test_receive_stores_record_raw_and_receipt(vault: Vault, engine: Engine) -> None:
    receipt = vault.receive(RAW, channel="http", sender="ZZ", kind=MessageKind.PAXLST)
    assert receipt.duplicate is False
    assert receipt.status is MessageStatus.RECEIVED
    assert vault.raw(receipt.message_id) == RAW
    record = vault.get(receipt.message_id)
    assert record.sha256 == sha256_hex(RAW)
    assert record.size == len(RAW)
    assert record.kind == "paxlst"
    assert record.channel == "http" and record.sender == "ZZ"
    assert record.status is MessageStatus.RECEIVED
    assert record.received_at == T0 and record.received_at.tzinfo is not None
    assert record.attempts == 0 and record.warnings == [] and record.redacted is False
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(receipts)) == 1


def test_duplicate_gets_only_a_receipt(vault: Vault, engine: Engine) -> None:
    first = vault.receive(RAW, channel="file", sender="a", kind=MessageKind.PAXLST)
    second = vault.receive(RAW, channel="http", sender="b", kind=MessageKind.PAXLST)
    assert second.message_id == first.message_id
    assert second.duplicate is True
    assert second.status is MessageStatus.RECEIVED
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(messages)) == 1
        flags = conn.scalars(select(receipts.c.duplicate).order_by(receipts.c.id)).all()
    assert [bool(f) for f in flags] == [False, True]


def test_duplicate_reports_current_status(vault: Vault, engine: Engine) -> None:
    message_id = _receive(vault)
    with engine.begin() as conn:
        mark(conn, message_id, MessageStatus.PROCESSED, now=T0)
    again = vault.receive(RAW, channel="file", sender=None, kind=MessageKind.PAXLST)
    assert again.duplicate and again.status is MessageStatus.PROCESSED


def test_counts_balance(vault: Vault, engine: Engine) -> None:
    a, b, c, d = (_receive(vault, RAW + bytes([i])) for i in range(4))
    _receive(vault, RAW + bytes([0]))  # duplicate of a
    _receive(vault, RAW + bytes([0]))  # and again
    with engine.begin() as conn:
        mark(conn, a, MessageStatus.PROCESSED)
        mark(conn, b, MessageStatus.QUARANTINED, reason="UNT count wrong")
        mark(conn, c, MessageStatus.HELD)
    counts = vault.counts()
    assert counts == {
        "received": 6,
        "processed": 1,
        "duplicate": 2,
        "quarantined": 1,
        "held": 1,
        "pending": 1,
    }
    assert counts["received"] == sum(v for k, v in counts.items() if k != "received")
    assert vault.pending() == [d]


def test_pending_is_oldest_first(vault: Vault, clock: Clock, engine: Engine) -> None:
    ids = []
    for i in range(3):
        clock.now = T0 + timedelta(minutes=i)
        ids.append(_receive(vault, RAW + bytes([i])))
    with engine.begin() as conn:
        mark(conn, ids[1], MessageStatus.PROCESSED)
    assert vault.pending() == [ids[0], ids[2]]


def test_mark_copies_envelope_and_outcome(vault: Vault, engine: Engine) -> None:
    message_id = _receive(vault)
    env = Envelope(
        sender="ZZAIR",
        interchange_ref="42",
        message_ref="M1",
        prepared_at=datetime(2025, 3, 15, 7, 59),
        common_access_ref="CAR1",
        part_number=2,
        final_part=False,
    )
    with engine.begin() as conn:
        mark(
            conn,
            message_id,
            MessageStatus.QUARANTINED,
            reason="segment count mismatch",
            position=Position(segment=3, tag="UNT"),
            warnings=["UNA overridden"],
            envelope=env,
        )
    rec = vault.get(message_id)
    assert rec.status is MessageStatus.QUARANTINED
    assert rec.reason == "segment count mismatch" and rec.position == "segment 3 UNT"
    assert rec.warnings == ["UNA overridden"]
    assert (rec.interchange_sender, rec.interchange_ref, rec.message_ref) == ("ZZAIR", "42", "M1")
    assert rec.sent_at == datetime(2025, 3, 15, 7, 59)
    assert (rec.common_access_ref, rec.part_number, rec.final_part) == ("CAR1", 2, False)
    assert rec.attempts == 1 and rec.processed_at is None
    later = T0 + timedelta(hours=1)
    with engine.begin() as conn:
        mark(conn, message_id, MessageStatus.PROCESSED, now=later)
    rec = vault.get(message_id)
    assert rec.status is MessageStatus.PROCESSED and rec.processed_at == later
    assert rec.reason is None and rec.attempts == 2
    assert rec.warnings == ["UNA overridden"]  # kept when not given again
    with engine.begin() as conn, pytest.raises(NotFoundError):
        mark(conn, 9999, MessageStatus.PROCESSED)


def test_claim(vault: Vault, engine: Engine) -> None:
    message_id = _receive(vault)
    with writer(engine).begin() as conn:
        assert claim(conn, message_id) is True
        mark(conn, message_id, MessageStatus.PROCESSED)
    with writer(engine).begin() as conn:
        assert claim(conn, message_id) is False
        with pytest.raises(NotFoundError):
            claim(conn, 9999)


def test_list_and_get(vault: Vault, engine: Engine) -> None:
    ids = [_receive(vault, RAW + bytes([i])) for i in range(3)]
    with engine.begin() as conn:
        mark(conn, ids[0], MessageStatus.QUARANTINED, reason="bad")
    assert [r.id for r in vault.list()] == list(reversed(ids))
    assert [r.id for r in vault.list(limit=2)] == [ids[2], ids[1]]
    assert [r.id for r in vault.list(MessageStatus.QUARANTINED)] == [ids[0]]
    with pytest.raises(NotFoundError, match="not found"):
        vault.get(9999)
    with pytest.raises(NotFoundError, match="not found"):
        vault.raw(9999)


def test_redact_keeps_original_hash(vault: Vault) -> None:
    message_id = _receive(vault)
    vault.redact(message_id, b"REDACTED")
    assert vault.raw(message_id) == b"REDACTED"
    rec = vault.get(message_id)
    assert rec.redacted is True and rec.sha256 == sha256_hex(RAW) and rec.size == len(RAW)
    again = vault.receive(RAW, channel="file", sender="ZZ", kind=MessageKind.PAXLST)
    assert again.duplicate is True and again.message_id == message_id


def test_destroy_raw_keeps_the_record(vault: Vault, clock: Clock, engine: Engine) -> None:
    message_id = _receive(vault)
    clock.now = T0 + timedelta(days=1)
    vault.destroy_raw(message_id)
    vault.destroy_raw(message_id)  # idempotent
    with pytest.raises(NotFoundError, match="destroyed"):
        vault.raw(message_id)
    with pytest.raises(NotFoundError, match="destroyed"):
        vault.redact(message_id, b"x")
    rec = vault.get(message_id)
    assert rec.raw_destroyed_at == clock.now
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(message_raw)) == 0
    # The hash survives: the same bytes sent again are still a duplicate.
    assert vault.receive(RAW, channel="file", sender=None, kind=MessageKind.PAXLST).duplicate
    with pytest.raises(NotFoundError):
        vault.destroy_raw(9999)


def test_purge_quarantine(vault: Vault, clock: Clock, engine: Engine) -> None:
    old_q = _receive(vault, b"old quarantined")
    old_p = _receive(vault, b"old processed")
    clock.now = T0 + timedelta(days=40)
    new_q = _receive(vault, b"new quarantined")
    with engine.begin() as conn:
        mark(conn, old_q, MessageStatus.QUARANTINED, reason="bad")
        mark(conn, old_p, MessageStatus.PROCESSED)
        mark(conn, new_q, MessageStatus.QUARANTINED, reason="bad")
    cutoff = clock.now - timedelta(days=30)
    assert vault.purge_quarantine(cutoff) == 1
    assert vault.purge_quarantine(cutoff) == 0
    with pytest.raises(NotFoundError):
        vault.raw(old_q)
    assert vault.raw(old_p) == b"old processed"
    assert vault.raw(new_q) == b"new quarantined"
    assert vault.get(old_q).raw_destroyed_at == clock.now


def test_concurrent_receive_of_same_bytes(engine: Engine) -> None:
    """Two receivers racing on the same bytes: one message, one duplicate receipt."""
    rounds, workers = 8, 2
    payloads = [b"race %d" % i for i in range(rounds)]
    vaults = [Vault(engine) for _ in range(workers)]
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(vault: Vault, barrier: threading.Barrier, raw: bytes) -> None:
        try:
            barrier.wait()
            r = vault.receive(raw, channel="amqp", sender=None, kind=MessageKind.PAXLST)
            with lock:
                results.append((r.message_id, r.duplicate))
        except BaseException as exc:  # reported below
            errors.append(exc)

    for raw in payloads:
        barrier = threading.Barrier(workers)
        threads = [threading.Thread(target=run, args=(v, barrier, raw)) for v in vaults]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(messages)) == rounds
        assert conn.scalar(select(func.count()).select_from(receipts)) == rounds * workers
        dup = conn.scalar(select(func.count()).select_from(receipts).where(receipts.c.duplicate))
    assert dup == rounds * (workers - 1)
    assert sorted(d for _, d in results).count(False) == rounds
    assert len({m for m, _ in results}) == rounds


def test_lost_race_is_retried_as_duplicate(
    vault: Vault, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The look-up misses a row another process commits just before our insert: the
    unique index refuses the insert and the retry records a duplicate."""
    from openpiu.store import vault as vault_module

    first = _receive(vault)
    real = vault_module._by_sha
    calls = {"n": 0}

    def stale_lookup(conn, digest):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return None if calls["n"] == 1 else real(conn, digest)

    monkeypatch.setattr(vault_module, "_by_sha", stale_lookup)
    again = vault.receive(RAW, channel="file", sender=None, kind=MessageKind.PAXLST)
    assert calls["n"] == 2
    assert again.duplicate and again.message_id == first
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(messages)) == 1
        assert conn.scalar(select(func.count()).select_from(message_raw)) == 1
        assert conn.scalar(select(func.count()).select_from(receipts)) == 2
