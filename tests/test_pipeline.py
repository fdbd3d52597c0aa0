"""The one flow on both backends: intake -> vault -> parse -> store.

Every test builds its messages with the PAXLST writer (or reads the shared
example), runs them through :class:`Pipeline` with explicit settings, and checks
the store through the read models and the vault's accounting.
"""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update

from openpiu import formats
from openpiu.errors import ParseError
from openpiu.formats.paxlst_writer import write_paxlst, write_paxlst_parts
from openpiu.model import Manifest, MessageKind, Traveller
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store import queries
from openpiu.store.schema import (
    api_documents,
    api_travellers,
    flight_travellers,
    manifest_versions,
    message_raw,
    messages,
    persons,
    rejections,
)
from openpiu.synth.paxlst_gen import generate_manifests

# ../shared beside the project root (PIU_SHARED_DIR overrides); tests that need it
# skip visibly where it is absent, as on a user's machine.
SHARED = Path(
    os.environ.get("PIU_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared"
)
EXAMPLE = SHARED / "examples" / "paxlst_example.edi"
T0 = datetime(2025, 3, 15, 4, 0, tzinfo=UTC)
PNRGOV = (b"UNA:+.? 'UNB+IATA:1+ZZAIR+PIU+250315:0412+77'UNH+1+PNRGOV:11:1:IA+ZZ0123'"
          b"MSG+:22'ORG+ZZ:DYU'UNT+4+1'UNZ+1+77'")  # no TVL: no dated flight


class Clock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"database_url": "sqlite:///unused.db"}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def pipeline(engine: Engine) -> Pipeline:
    return Pipeline(engine, settings())


@pytest.fixture
def example() -> bytes:
    if not EXAMPLE.exists():
        pytest.skip(f"shared example {EXAMPLE} absent")
    return EXAMPLE.read_bytes()


def base_manifest(travellers: int = 3, seed: int = 11) -> Manifest:
    """A full passenger list (fewer than four travellers: no crew)."""
    return next(generate_manifests(1, travellers, seed=seed))


def variant(base: Manifest, travellers: list[Traveller], at: datetime, ref: str,
            code: str = "745", sub: str | None = None) -> bytes:
    env = replace(base.envelope, prepared_at=at.replace(tzinfo=None), interchange_ref=ref)
    return write_paxlst(replace(base, envelope=env, document_code=code, document_subcode=sub,
                                travellers=travellers, declared_passengers=None,
                                declared_crew=None))


def count(engine: Engine, table: object, *where: object) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def flight_manifest(engine: Engine, key: str) -> list[queries.ManifestRow]:
    with engine.connect() as conn:
        return queries.manifest(conn, queries.find_flight(conn, key)["id"])


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return queries.message_counts(conn)


def assert_accounted(engine: Engine) -> dict[str, int]:
    c = counts(engine)
    assert c["received"] == (c["processed"] + c["duplicate"] + c["quarantined"] + c["held"]
                             + c["pending"]), c
    return c


# -- intake ----------------------------------------------------------------------------

def test_shared_example_is_stored(pipeline: Pipeline, engine: Engine, example: bytes) -> None:
    outcome = pipeline.ingest_bytes(example, sender="example.edi")
    assert outcome.status == "processed", outcome
    assert outcome.flights == ["ZZ123/2025-03-15"]
    assert outcome.travellers == 2
    with engine.connect() as conn:
        [summary] = queries.list_flights(conn)
    assert (summary.key, summary.designator, summary.origin, summary.destination) == (
        "ZZ123/2025-03-15", "ZZ0123", "IST", "DYU")
    assert summary.passengers == 2 and summary.versions == 1
    rows = {r.surname: r for r in flight_manifest(engine, "ZZ123/2025-03-15")}
    assert set(rows) == {"O'REILLY", "RAHIMOVA"}
    oreilly = rows["O'REILLY"]
    assert oreilly.given_names == "SEAN PATRICK" and oreilly.status == "listed"
    assert [(d["type"], d["number"]) for d in oreilly.documents] == [
        ("P", "PA1234567"), ("V", "TJ0098765")]


def test_same_bytes_again_is_a_duplicate(pipeline: Pipeline, engine: Engine,
                                         example: bytes) -> None:
    first = pipeline.ingest_bytes(example)
    again = pipeline.ingest_bytes(example)
    assert again.status == "duplicate" and again.message_id == first.message_id
    assert count(engine, messages) == 1
    assert count(engine, manifest_versions) == 1
    assert count(engine, api_travellers) == 2
    assert count(engine, persons) == 2
    c = assert_accounted(engine)
    assert (c["received"], c["processed"], c["duplicate"]) == (2, 1, 1)


@pytest.mark.parametrize("raw", [b"", b"   \n", b"hello, world", b"\x00\xff" * 50],
                         ids=["empty", "blank", "text", "binary"])
def test_garbage_is_rejected_not_vaulted(pipeline: Pipeline, engine: Engine, raw: bytes) -> None:
    outcome = pipeline.ingest_bytes(raw, channel="http", sender="ZZ")
    assert outcome.status == "rejected" and outcome.reason
    assert outcome.message_id is None
    assert count(engine, messages) == 0 and count(engine, message_raw) == 0
    assert count(engine, rejections) == 1
    assert counts(engine)["rejected"] == 1


def test_too_large_is_rejected(engine: Engine, example: bytes) -> None:
    small = Pipeline(engine, settings(max_message_bytes=len(example) - 1))
    outcome = small.ingest_bytes(example)
    assert outcome.status == "rejected"
    assert "exceeds the maximum" in (outcome.reason or "")
    assert count(engine, messages) == 0 and counts(engine)["rejected"] == 1


def test_pnrgov_is_quarantined_and_kept(pipeline: Pipeline, engine: Engine) -> None:
    outcome = pipeline.ingest_bytes(PNRGOV)
    assert outcome.status == "quarantined" and outcome.kind == "pnrgov"
    # Without a dated flight (TVL) a PNR push cannot be stored: quarantined, kept.
    assert outcome.reason and "TVL" in outcome.reason
    assert pipeline.vault.raw(outcome.message_id or 0) == PNRGOV
    assert count(engine, messages, messages.c.status == "quarantined") == 1


def test_truncated_paxlst_without_tdt_is_quarantined(pipeline: Pipeline, engine: Engine,
                                                     example: bytes) -> None:
    truncated = example[:example.index(b"TDT+")]
    outcome = pipeline.ingest_bytes(truncated)
    assert outcome.status == "quarantined"
    assert "no flight identification" in (outcome.reason or "")
    assert outcome.position and "TDT" in outcome.position
    with engine.connect() as conn:
        [row] = queries.list_messages(conn, "quarantined")
    assert row["reason"] == outcome.reason and row["position"] == outcome.position
    assert any("truncated" in w or "UNT" in w for w in row["warnings"])
    assert count(engine, manifest_versions) == 0


def test_accounting_invariant_after_a_mixed_batch(engine: Engine, example: bytes) -> None:
    pipeline = Pipeline(engine, settings())
    base = base_manifest(6)
    parts = write_paxlst_parts(base, 2)
    batch = [example, example, b"garbage", PNRGOV, example[:example.index(b"TDT+")],
             write_paxlst(base), write_paxlst(base), parts[0], parts[2], b""]
    statuses = [pipeline.ingest_bytes(raw).status for raw in batch]
    assert statuses == ["processed", "duplicate", "rejected", "quarantined", "quarantined",
                        "processed", "duplicate", "held", "held", "rejected"]
    c = assert_accounted(engine)
    assert c == {"received": 8, "processed": 2, "duplicate": 2, "quarantined": 2, "held": 2,
                 "pending": 0, "rejected": 2}
    # A message in the vault but never processed (a crash) counts as pending.
    pipeline.vault.receive(variant(base, base.travellers[:1], datetime(2025, 3, 15, 6), "9"),
                           channel="file", sender=None, kind=MessageKind.PAXLST)
    assert assert_accounted(engine)["pending"] == 1
    pipeline.ingest_bytes(parts[1])
    c = assert_accounted(engine)
    assert (c["held"], c["processed"]) == (0, 5)


# -- idempotence and reprocessing --------------------------------------------------------

def _snapshot(engine: Engine) -> tuple[object, ...]:
    with engine.connect() as conn:
        manifest_rows = sorted(conn.execute(select(
            flight_travellers.c.person_id, flight_travellers.c.role, flight_travellers.c.status,
            flight_travellers.c.message_id, flight_travellers.c.seq)).all())
        traveller_rows = sorted(conn.execute(select(
            api_travellers.c.message_id, api_travellers.c.seq, api_travellers.c.surname,
            api_travellers.c.person_id)).all())
    return (count(engine, api_travellers), count(engine, flight_travellers),
            count(engine, api_documents), count(engine, manifest_versions),
            count(engine, persons), manifest_rows, traveller_rows)


def test_process_twice_changes_nothing(pipeline: Pipeline, engine: Engine, example: bytes) -> None:
    message_id = pipeline.ingest_bytes(example).message_id
    assert message_id is not None
    before = _snapshot(engine)
    again = pipeline.process(message_id)
    assert again.status == "processed" and again.reason == "already processed"
    assert _snapshot(engine) == before
    # Forced back to "received" (a worker that died after its commit but before it
    # acknowledged the queue): processing again gives the same rows.
    with engine.begin() as conn:
        conn.execute(update(messages).where(messages.c.id == message_id)
                     .values(status="received"))
    assert pipeline.process(message_id).status == "processed"
    assert _snapshot(engine) == before
    assert assert_accounted(engine)["processed"] == 1


def test_reprocess_after_a_fix(engine: Engine, monkeypatch: pytest.MonkeyPatch,
                               example: bytes) -> None:
    pipeline = Pipeline(engine, settings())
    real_parse = formats.parse
    calls = []

    def broken_once(kind: MessageKind, raw: bytes, max_bytes: int | None = None) -> object:
        calls.append(kind)
        if len(calls) == 1:
            raise ParseError("parser bug")
        return real_parse(kind, raw, max_bytes)

    monkeypatch.setattr(formats, "parse", broken_once)
    first = pipeline.ingest_bytes(example)
    assert first.status == "quarantined" and first.reason == "parser bug"
    assert count(engine, manifest_versions) == 0
    [outcome] = pipeline.reprocess()
    assert outcome.status == "processed" and outcome.message_id == first.message_id
    record = pipeline.vault.get(first.message_id or 0)
    assert record.status == "processed" and record.reason is None and record.attempts == 2
    assert len(flight_manifest(engine, "ZZ123/2025-03-15")) == 2
    assert pipeline.reprocess() == []  # nothing left to retry
    assert assert_accounted(engine)["quarantined"] == 0


def test_reprocess_a_message_quarantined_for_its_size(engine: Engine, example: bytes) -> None:
    """Too large for the parser's limit (after the vault): quarantined; retried
    with a larger limit, processed."""
    tiny = Pipeline(engine, settings(max_message_bytes=len(example) - 10))
    receipt = tiny.vault.receive(example, channel="file", sender=None, kind=MessageKind.PAXLST)
    outcome = tiny.process(receipt.message_id)
    assert outcome.status == "quarantined" and "exceeds the maximum" in (outcome.reason or "")
    [again] = Pipeline(engine, settings()).reprocess([receipt.message_id])
    assert again.status == "processed" and again.travellers == 2


# -- multi-part --------------------------------------------------------------------------

def _parts() -> tuple[Manifest, list[bytes]]:
    base = base_manifest(6, seed=5)  # 5 passengers, 1 crew: 3 parts of 2
    return base, write_paxlst_parts(base, 2)


def test_parts_out_of_order_are_held_then_stored_once(pipeline: Pipeline, engine: Engine) -> None:
    base, parts = _parts()
    assert len(parts) == 3
    key = base.flight.key if base.flight else ""
    first = pipeline.ingest_bytes(parts[2])
    second = pipeline.ingest_bytes(parts[0])
    assert (first.status, second.status) == ("held", "held")
    assert "1, 2" in (first.reason or "") and "2" in (second.reason or "")
    assert count(engine, manifest_versions) == 0
    last = pipeline.ingest_bytes(parts[1])
    assert last.status == "processed" and last.travellers == 6
    assert count(engine, manifest_versions) == 1
    with engine.connect() as conn:
        [version] = queries.versions(conn, queries.find_flight(conn, key)["id"])
    assert version["parts"] == 3 and version["travellers"] == 6
    assert sorted(r.surname for r in flight_manifest(engine, key)) == sorted(
        t.surname for t in base.travellers)
    c = assert_accounted(engine)
    assert (c["processed"], c["held"]) == (3, 0)


def test_missing_part_is_held(pipeline: Pipeline, engine: Engine) -> None:
    _base, parts = _parts()
    assert [pipeline.ingest_bytes(p).status for p in (parts[0], parts[2])] == ["held", "held"]
    assert pipeline.flush_overdue_parts() == []  # not overdue yet
    assert count(engine, manifest_versions) == 0
    assert assert_accounted(engine)["held"] == 2


@pytest.mark.parametrize("missing", [1, 0, 2], ids=["middle", "first", "final"])
def test_overdue_parts_are_stored_then_the_late_part_reassembles(engine: Engine,
                                                                 missing: int) -> None:
    clock = Clock()
    pipeline = Pipeline(engine, settings(multipart_timeout_minutes=30), clock=clock)
    base, parts = _parts()
    key = base.flight.key if base.flight else ""
    present = [p for n, p in enumerate(parts) if n != missing]
    assert [pipeline.ingest_bytes(p).status for p in present] == ["held", "held"]
    clock.now = T0 + timedelta(minutes=29)
    assert pipeline.flush_overdue_parts() == []
    clock.now = T0 + timedelta(minutes=31)
    [flushed] = pipeline.flush_overdue_parts()
    assert flushed.status == "processed" and flushed.travellers == 4
    if missing == 2:
        assert any("final part never arrived" in w for w in flushed.warnings), flushed.warnings
    else:
        assert any(f"part(s) {missing + 1} missing" in w for w in flushed.warnings), \
            flushed.warnings
    assert len(flight_manifest(engine, key)) == 4
    assert pipeline.flush_overdue_parts() == []  # nothing held any more

    clock.now = T0 + timedelta(minutes=40)
    late = pipeline.ingest_bytes(parts[missing])
    assert late.status == "processed" and late.travellers == 6, late
    assert not any("missing" in w or "never arrived" in w for w in late.warnings)
    rows = flight_manifest(engine, key)
    assert sorted(r.surname for r in rows) == sorted(t.surname for t in base.travellers)
    assert {r.status for r in rows} == {"listed"}
    assert count(engine, manifest_versions) == 1
    assert count(engine, api_travellers) == 6
    c = assert_accounted(engine)
    assert (c["processed"], c["held"]) == (3, 0)


# -- concurrency -------------------------------------------------------------------------

def test_concurrent_messages_of_one_flight_lose_no_update(engine: Engine) -> None:
    """Workers store change lists (CP) of one flight at once; each adds its own
    travellers; the derived manifest must hold them all."""
    base = base_manifest(3, seed=21)
    people = [t for m in generate_manifests(8, 3, seed=99) for t in m.travellers
              if t.role.value == "passenger"][:16]
    workers = 4
    raws = [variant(base, people[n::workers], datetime(2025, 3, 15, 5, n), str(100 + n),
                    sub="CP") for n in range(workers)]
    full = variant(base, base.travellers, datetime(2025, 3, 15, 4), "99")
    pipelines = [Pipeline(engine, settings()) for _ in range(workers)]
    pipelines[0].ingest_bytes(full)
    barrier = threading.Barrier(workers)
    outcomes: list[object] = []
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(pipelines[n].ingest_bytes(raws[n]).status)
        except BaseException as exc:  # reported below, with the thread's failure
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert outcomes == ["processed"] * workers
    key = base.flight.key if base.flight else ""
    rows = flight_manifest(engine, key)
    assert len(rows) == len(base.travellers) + len(people)
    assert {r.status for r in rows} == {"listed"}
    with engine.connect() as conn:
        assert len(queries.versions(conn, queries.find_flight(conn, key)["id"])) == workers + 1


def test_parts_never_supersede_a_complete_message_of_the_same_flight(pipeline: Pipeline,
                                                                    engine: Engine) -> None:
    """Carriers reuse UNH 0068 (the flight key) for every message of a flight: an
    earlier complete list with that reference is a version of its own, not a part."""
    base, parts = _parts()
    key = base.flight.key if base.flight else ""
    single = variant(base, base.travellers[:2], datetime(2025, 3, 15, 3), "1")
    assert pipeline.ingest_bytes(single).status == "processed"
    assert [pipeline.ingest_bytes(p).status for p in parts] == ["held", "held", "processed"]
    assert count(engine, manifest_versions) == 2
    assert assert_accounted(engine)["processed"] == 4
    assert len(flight_manifest(engine, key)) == 6


def test_two_multipart_sets_of_one_flight_stay_apart(pipeline: Pipeline, engine: Engine) -> None:
    base, parts = _parts()
    key = base.flight.key if base.flight else ""
    sent = base.envelope.prepared_at or datetime(2025, 3, 15)
    # The later list drops the fifth passenger (the sixth traveller is crew, whom a
    # passenger list leaves alone).
    dropped = base.travellers[4]
    later = replace(base, envelope=replace(base.envelope, interchange_ref="900",
                                           prepared_at=sent + timedelta(hours=1)),
                    travellers=base.travellers[:4] + base.travellers[5:],
                    declared_passengers=None, declared_crew=None)
    second = write_paxlst_parts(later, 2)
    assert [pipeline.ingest_bytes(p).status for p in parts] == ["held", "held", "processed"]
    # The second set arrives out of order; its parts must wait for each other.
    assert [pipeline.ingest_bytes(p).status for p in (second[2], second[0])] == ["held", "held"]
    assert pipeline.ingest_bytes(second[1]).status == "processed"
    with engine.connect() as conn:
        found = queries.versions(conn, queries.find_flight(conn, key)["id"])
    assert [(v["parts"], v["travellers"]) for v in found] == [(3, 6), (3, 5)]
    rows = {r.surname + r.given_names: r.status for r in flight_manifest(engine, key)}
    assert rows.pop(dropped.surname + dropped.given_names) == "removed"
    assert set(rows.values()) == {"listed"}


def test_a_defect_while_storing_quarantines_instead_of_crashing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpiu.store import manifests as repo

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("a defect")

    monkeypatch.setattr(repo, "derive_manifest", broken)
    pipeline = Pipeline(engine, settings())
    outcome = pipeline.ingest_bytes(write_paxlst(base_manifest(3)))
    assert outcome.status == "quarantined"
    assert outcome.reason and "KeyError" in outcome.reason
    assert count(engine, api_travellers) == 0  # the failed transaction left nothing
    monkeypatch.undo()
    [again] = pipeline.reprocess()
    assert again.status == "processed" and again.travellers == 3


def test_a_parser_defect_quarantines_instead_of_crashing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise IndexError("a defect")

    monkeypatch.setattr(formats, "parse", broken)
    outcome = Pipeline(engine, settings()).ingest_bytes(write_paxlst(base_manifest(2)))
    assert outcome.status == "quarantined" and "IndexError" in (outcome.reason or "")
