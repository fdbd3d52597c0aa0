"""AMQP intake and workers against the machine's RabbitMQ and PostgreSQL.

Every test uses queues of its own (unique names, deleted afterwards) and its own
PostgreSQL schema.  Faults go through :mod:`faultproxy`, a TCP proxy of the
tests' own: the shared broker and database are never stopped.  Without a
reachable broker the tests skip with the reason, except under CI=true where
they fail.

The helpers here (broker, messages, snapshots) are shared with test_workers.py.
"""

from __future__ import annotations

import os
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pika
import pytest
from faultproxy import FaultProxy
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

import openpiu
from openpiu import carriers
from openpiu.amqp import AmqpWorkQueue, IntakeConsumer, declare_intake, parameters
from openpiu.formats.paxlst_writer import write_paxlst
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store import queries
from openpiu.store.db import make_engine, upgrade, writer
from openpiu.store.schema import messages, receipts, rejections
from openpiu.store.schema_intake import compliance_events
from openpiu.synth.paxlst_gen import generate_manifests
from openpiu.worker import Worker

RABBIT_URL = os.environ.get("PIU_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
SAMPLES = Path(openpiu.__file__).parent / "samples"


# -- the broker --------------------------------------------------------------------


@cache
def _rabbit_unreachable() -> str | None:
    try:
        pika.BlockingConnection(parameters(RABBIT_URL, "piu-test-probe")).close()
    except Exception as exc:  # any failure means "not reachable" for the run
        return f"RabbitMQ at {make_url(RABBIT_URL.replace('amqp', 'http', 1)).host}:5672 " \
               f"unreachable: {type(exc).__name__}"  # fmt: skip
    return None


def require_rabbit() -> None:
    reason = _rabbit_unreachable()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


class Broker:
    """The test's view of RabbitMQ: its own queue names, deleted at the end."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.uid = uuid.uuid4().hex[:10]
        self.work_queue = f"piu.test.work.{self.uid}"
        self.dead_letter = f"piu.test.dead.{self.uid}"
        self.queues: set[str] = {self.work_queue, self.dead_letter}
        self._conn = pika.BlockingConnection(parameters(url, "piu-test"))
        self.channel = self._conn.channel()
        self.channel.queue_declare(self.work_queue, durable=True)

    def carrier_queue(self, carrier: carriers.Carrier) -> str:
        """The carrier's intake queue, declared as the consumer declares it."""
        queue = carrier.intake_queue
        declare_intake(self.channel, queue, self.dead_letter)
        self.queues.add(queue)
        return queue

    def publish(self, queue: str, bodies: list[bytes]) -> None:
        props = pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent)
        for body in bodies:
            self.channel.basic_publish("", queue, body, props)

    def depth(self, queue: str) -> int:
        """Deliveries ready in the queue (not those held unacknowledged by a consumer)."""
        return int(self.channel.queue_declare(queue, passive=True).method.message_count)

    def consumers(self, queue: str) -> int:
        return int(self.channel.queue_declare(queue, passive=True).method.consumer_count)

    def drain(self, queue: str) -> list[bytes]:
        out = []
        while True:
            method, _props, body = self.channel.basic_get(queue, auto_ack=True)
            if method is None:
                return out
            out.append(body)

    def close(self) -> None:
        for queue in self.queues:
            self.channel.queue_delete(queue)
        self.channel.exchange_delete(self.dead_letter)
        self._conn.close()


def open_broker() -> Iterator[Broker]:
    require_rabbit()
    b = Broker(RABBIT_URL)
    yield b
    b.close()


broker = pytest.fixture(open_broker, name="broker")


# -- messages and what they leave behind ---------------------------------------------

T0 = datetime(2025, 3, 15, 4, 0, tzinfo=UTC)


def batch(flights: int, versions: int, travellers: int, seed: int = 8) -> list[bytes]:
    """``flights`` x ``versions`` PAXLST messages in the sender's order: each later
    version of a flight lists fewer travellers, so applying them in arrival order
    instead of the sender's would leave a different manifest."""
    out = []
    for manifest in generate_manifests(flights, travellers, seed=seed):
        env = manifest.envelope
        for k in range(versions):
            kept = manifest.travellers[: max(1, len(manifest.travellers) - 2 * k)]
            version_env = replace(env, prepared_at=env.prepared_at + timedelta(minutes=10 * k),
                                  interchange_ref=f"{env.interchange_ref}{k}")  # fmt: skip
            out.append(write_paxlst(replace(manifest, envelope=version_env, travellers=kept,
                                            declared_passengers=None, declared_crew=None)))
    return out


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Each flight's current manifest, comparable across databases."""
    with engine.connect() as conn:
        return {
            f.key: sorted((r.surname, r.given_names, r.role, r.status, str(r.dob), r.nationality,
                           tuple(d["number"] for d in r.documents))
                          for r in queries.manifest(conn, f.id))
            for f in queries.list_flights(conn)
        }  # fmt: skip


@cache
def sequential_snapshot(flights: int, versions: int, travellers: int, seed: int = 8,
                        ) -> dict[str, list[tuple[Any, ...]]]:  # fmt: skip
    """The same messages processed one by one, in the sender's order, on SQLite."""
    path = f"/tmp/piu-seq-{uuid.uuid4().hex}.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
        pipeline = Pipeline(engine, settings_for("sqlite:///unused.db"))
        for raw in batch(flights, versions, travellers, seed):
            assert pipeline.ingest_bytes(raw).status == "processed"
        return snapshot(engine)
    finally:
        engine.dispose()
        os.remove(path)


def settings_for(url: str, **extra: Any) -> Settings:
    return Settings(database_url=url, **extra)


def store(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    return engine


def add_carrier(engine: Engine, kinds: tuple[str, ...] = ("paxlst",)) -> carriers.Carrier:
    code = "T" + uuid.uuid4().hex[:8].upper()
    with writer(engine).begin() as conn:
        carrier, _token = carriers.add(conn, code, "Test Air", kinds=kinds, routes=[],
                                       schedule=carriers.parse_schedule(None), reply_url=None,
                                       reply_queue=None, created_by="test",
                                       at=datetime.now(UTC))  # fmt: skip
    return carrier


def status_counts(engine: Engine) -> dict[str, Any]:
    """Distinct messages by status, receipts, duplicates, and attempts per message."""
    with engine.connect() as conn:
        by_status = dict(conn.execute(select(messages.c.status, func.count())
                                      .group_by(messages.c.status)).all())  # fmt: skip
        return {
            "messages": sum(by_status.values()),
            "processed": by_status.get("processed", 0),
            "receipts": conn.scalar(select(func.count()).select_from(receipts)),
            "duplicates": conn.scalar(select(func.count()).select_from(receipts)
                                      .where(receipts.c.duplicate)),  # fmt: skip
            "attempts": set(conn.scalars(select(messages.c.attempts)
                                         .where(messages.c.status == "processed"))),
        }  # fmt: skip


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


class Running:
    """Consumers (intake, workers) in threads, stopped and joined at the end."""

    def __init__(self) -> None:
        self.items: list[tuple[Any, threading.Thread]] = []

    def start(self, runner: Any) -> Any:
        thread = threading.Thread(target=runner.run, daemon=True)
        thread.start()
        self.items.append((runner, thread))
        return runner

    def stop(self) -> None:
        for runner, _thread in self.items:
            runner.stop()
        for _runner, thread in self.items:
            thread.join(timeout=15)
            assert not thread.is_alive(), "a consumer did not stop"


def open_running() -> Iterator[Running]:
    r = Running()
    yield r
    r.stop()


running = pytest.fixture(open_running, name="running")


def intake(url: str, engine: Engine, settings: Settings, broker: Broker,
           carrier: carriers.Carrier) -> IntakeConsumer:  # fmt: skip
    work = AmqpWorkQueue(url, broker.work_queue)
    return IntakeConsumer(url, engine, settings, work, codes=[carrier.code],
                          dead_letter=broker.dead_letter, prefetch=50)  # fmt: skip


# -- 1. 200 messages, shuffled, through intake and two workers ---------------------------


def test_intake_and_two_workers_process_each_message_once(
    broker: Broker, postgres_url: str, running: Running
) -> None:
    sent = batch(50, 4, 20)
    assert len(sent) == 200
    engine = store(postgres_url)
    settings = settings_for(postgres_url, max_message_bytes=64 * 1024)
    carrier = add_carrier(engine)
    queue = broker.carrier_queue(carrier)
    shuffled = random.Random(3).sample(sent, len(sent))
    pnr = (SAMPLES / "00_TK0256_pnr_t72.edi").read_bytes()
    refused = [b"hello, this is not a message", b"UNH+" + b"X" * 70_000, pnr]
    broker.publish(queue, shuffled + [shuffled[7]] + refused)

    started = time.perf_counter()
    running.start(intake(RABBIT_URL, engine, settings, broker, carrier))
    workers = [running.start(Worker(RABBIT_URL, store(postgres_url), settings,
                                    queue=broker.work_queue, sweep_seconds=3600))
               for _ in range(2)]  # fmt: skip
    wait_until(lambda: status_counts(engine)["processed"] == 200, 50, "200 processed")
    elapsed = time.perf_counter() - started
    print(f"\n200 messages x 20 travellers, intake + 2 workers: {200 / elapsed:.0f} messages/s")

    counts = status_counts(engine)
    assert counts["messages"] == 200 and counts["receipts"] == 201
    assert counts["duplicates"] == 1  # the redelivered copy: a duplicate receipt
    assert counts["attempts"] == {1}  # nothing processed twice
    assert all(w.counts["processed"] > 0 for w in workers)  # both took part
    expected = sequential_snapshot(50, 4, 20)
    assert any(r[3] == "removed" for rows in expected.values() for r in rows)  # order matters
    assert snapshot(engine) == expected

    wait_until(lambda: broker.depth(broker.dead_letter) == 3, 10, "3 dead letters")
    assert sorted(broker.drain(broker.dead_letter)) == sorted(refused)
    with engine.connect() as conn:
        reasons = [r.reason for r in conn.execute(
            select(rejections).where(rejections.c.channel == "amqp",
                                     rejections.c.sender == carrier.code))]  # fmt: skip
        events = list(conn.scalars(select(compliance_events.c.detail).where(
            compliance_events.c.carrier == carrier.code,
            compliance_events.c.kind == "dead_letter")))  # fmt: skip
    assert len(reasons) == 3
    assert any("exceeds the maximum" in r for r in reasons)
    assert any("may not send pnrgov" in r for r in reasons)
    assert sorted(e.split(" ")[0] for e in events) == [
        "kind_not_allowed:pnrgov", "not_edifact_or_xml", "too_large"]
    assert broker.depth(queue) == 0 and broker.depth(broker.work_queue) == 0


# -- 2. the broker connection cut and restored ----------------------------------------


def test_broker_cut_loses_nothing_and_work_resumes(
    broker: Broker, postgres_url: str, running: Running
) -> None:
    sent = batch(25, 4, 10, seed=9)
    engine = store(postgres_url)
    settings = settings_for(postgres_url)
    carrier = add_carrier(engine)
    queue = broker.carrier_queue(carrier)
    broker.publish(queue, random.Random(4).sample(sent, len(sent)))
    with FaultProxy(5672) as proxy:
        via = f"amqp://guest:guest@127.0.0.1:{proxy.port}/%2F"
        consumer = running.start(intake(via, engine, settings, broker, carrier))
        running.start(Worker(via, store(postgres_url), settings, queue=broker.work_queue,
                             sweep_seconds=3600))  # fmt: skip
        wait_until(lambda: status_counts(engine)["messages"] >= 15, 20, "some stored")
        proxy.cut()
        # Every message is either in the vault or back in the carrier's queue: none
        # was acknowledged before it was stored.
        wait_until(lambda: status_counts(engine)["messages"] + broker.depth(queue) >= 100, 10,
                   "unacknowledged deliveries back in the queue")  # fmt: skip
        wait_until(lambda: not consumer.connected.is_set(), 10, "the intake to notice")
        time.sleep(1.0)
        during = status_counts(engine)["messages"]
        assert during < 100
        proxy.restore()
        wait_until(lambda: status_counts(engine)["processed"] == 100, 30, "all processed")
        assert proxy.accepted >= 4  # both clients came back by themselves
    counts = status_counts(engine)
    assert counts["messages"] == 100 and counts["attempts"] == {1}
    assert counts["receipts"] == 100 + counts["duplicates"]
    assert snapshot(engine) == sequential_snapshot(25, 4, 10, seed=9)
    assert broker.depth(queue) == 0 and broker.depth(broker.dead_letter) == 0


# -- 3. the database connection cut and restored ---------------------------------------


def test_database_cut_holds_deliveries_and_work_resumes(
    broker: Broker, postgres_url: str, running: Running
) -> None:
    sent = random.Random(5).sample(batch(25, 4, 10, seed=10), 100)
    engine = store(postgres_url)  # direct: the test's own view
    carrier = add_carrier(engine)
    queue = broker.carrier_queue(carrier)
    broker.publish(queue, sent[:50])
    port = make_url(postgres_url).port or 5432
    with FaultProxy(port) as proxy:
        via = make_url(postgres_url).set(port=proxy.port).render_as_string(hide_password=False)
        settings = settings_for(via)
        consumer = running.start(intake(RABBIT_URL, make_engine(via), settings, broker, carrier))
        worker = running.start(Worker(RABBIT_URL, make_engine(via), settings,
                                      queue=broker.work_queue, sweep_seconds=3600))  # fmt: skip
        wait_until(lambda: status_counts(engine)["processed"] >= 10, 20, "some processed")
        proxy.cut()
        # While the store is away: new deliveries for the intake, and an id for the
        # worker (a repeated submission, as at-least-once delivery may make).
        broker.publish(queue, sent[50:])
        AmqpWorkQueue(RABBIT_URL, broker.work_queue).submit(1)
        time.sleep(0.3)
        before = status_counts(engine)
        wait_until(lambda: consumer.counts["retried"] > 0 and worker.counts["retried"] > 0, 10,
                   "both to meet the outage")  # fmt: skip
        time.sleep(1.0)
        # Nothing is stored, processed or acknowledged while the store is away.
        assert status_counts(engine) == before
        assert before["messages"] == 50
        proxy.restore()
        wait_until(lambda: status_counts(engine)["processed"] == 100, 30, "all processed")
    counts = status_counts(engine)
    assert counts["messages"] == 100 and counts["attempts"] == {1}
    assert counts["receipts"] == 100 + counts["duplicates"]
    assert snapshot(engine) == sequential_snapshot(25, 4, 10, seed=10)
    assert broker.depth(queue) == 0 and broker.depth(broker.dead_letter) == 0
    assert broker.depth(broker.work_queue) == 0
