"""The interactive API over AMQP (issue 8, item 5): a check-in PAXLST on the
carrier's queue piu.iapi.<code>, answered with a CUSRES on the request's
reply_to queue, against the machine's RabbitMQ and PostgreSQL.

Queues are the test's own (unique names, deleted afterwards); the broker is cut
only through the tests' own proxy.  Without a broker the tests skip with the
reason, except under CI=true where they fail (test_amqp.require_rabbit).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pika
import pytest
from faultproxy import FaultProxy
from sqlalchemy import Engine, func, select, update
from test_amqp import (
    RABBIT_URL,
    Broker,
    Running,
    add_carrier,
    open_broker,
    open_running,
    settings_for,
    store,
    wait_until,
)
from test_iapi import HEADER, PETROVA, RAHIMOV, RAKHIMOV, SMIRNOV, T0, paxlst

from openpiu import accounts, carriers
from openpiu.amqp import AmqpWorkQueue, declare_intake
from openpiu.formats.cusres import read_cusres
from openpiu.iapi_amqp import IapiConsumer
from openpiu.screening_service import load_watchlist
from openpiu.store.db import writer
from openpiu.store.schema import alerts, messages, receipts, rejections
from openpiu.store.schema_intake import carriers as carrier_rows
from openpiu.store.schema_intake import compliance_events
from openpiu.worker import Worker

broker = pytest.fixture(open_broker, name="broker")
running = pytest.fixture(open_running, name="running")

BOARD, CONTACT = "0Z", "1Z"


@dataclass
class Reply:
    status: int
    message_id: int | None
    content_type: str
    body: bytes


@dataclass
class Env:
    broker: Broker
    engine: Engine
    consumer: IapiConsumer
    carrier: carriers.Carrier
    queue: str  # the carrier's iAPI queue
    reply: str  # the caller's reply queue

    def call(self, body: bytes, correlation: str, reply_to: str | None = "") -> None:
        props = pika.BasicProperties(reply_to=self.reply if reply_to == "" else reply_to,
                                     correlation_id=correlation)  # fmt: skip
        self.broker.channel.basic_publish("", self.queue, body, props)

    def replies(self, n: int, queue: str | None = None, timeout: float = 15) -> dict[str, Reply]:
        """The next ``n`` answers on the reply queue, by correlation id."""
        got: dict[str, Reply] = {}
        deadline = time.monotonic() + timeout
        while len(got) < n:
            assert time.monotonic() < deadline, f"{len(got)} of {n} answers within {timeout} s"
            method, props, body = self.broker.channel.basic_get(queue or self.reply, auto_ack=True)
            if method is None:
                time.sleep(0.05)
                continue
            headers = props.headers or {}
            got[props.correlation_id] = Reply(int(headers["x-piu-status"]),
                                              headers.get("x-piu-message-id"),
                                              props.content_type, body)  # fmt: skip
        return got

    def settle(self, processed: int) -> None:
        wait_until(lambda: count(self.engine, messages.c.status == "processed") == processed,
                   20, f"{processed} processed")  # fmt: skip
        self.consumer.service.wait_idle()


def count(engine: Engine, *where: Any, table: Any = messages) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def directives(reply: Reply) -> dict[str | None, str]:
    assert reply.status == 200 and reply.content_type == "application/edifact", reply.body
    cusres = read_cusres(reply.body)
    assert cusres.warnings == []
    return {a.passenger_ref: a.directive.code for a in cusres.answers}


@pytest.fixture
def make(broker: Broker, postgres_url: str, running: Running) -> Iterator[Any]:
    """An iAPI consumer and a worker on one PostgreSQL schema, for a carrier."""
    engine = store(postgres_url)
    settings = settings_for(postgres_url)
    works: list[AmqpWorkQueue] = []
    load_watchlist(engine, accounts.Actor.local(), "national", "csv",
                   (HEADER + RAHIMOV).encode(), "list.csv", T0)  # fmt: skip

    def make(kinds: tuple[str, ...] = ("paxlst", "iapi"), reply_queue: str | None = None,
             via: str = RABBIT_URL) -> Env:  # fmt: skip
        carrier = add_carrier(engine, kinds)
        if reply_queue:
            with writer(engine).begin() as conn:
                conn.execute(update(carrier_rows).where(carrier_rows.c.code == carrier.code)
                             .values(reply_queue=reply_queue))  # fmt: skip
                carrier = carriers.get(conn, carrier.code)
            broker.channel.queue_declare(reply_queue)
            broker.queues.add(reply_queue)
        prefix = f"piu.test.iapi.{broker.uid}."
        works.append(AmqpWorkQueue(via, broker.work_queue))
        consumer = IapiConsumer(via, engine, settings, works[-1], prefix=prefix,
                                dead_letter=broker.dead_letter, refresh_seconds=0.3)  # fmt: skip
        queue = consumer.queue_of(carrier)
        reply = f"piu.test.reply.{broker.uid}.{carrier.code.lower()}"
        broker.channel.queue_declare(reply)
        broker.queues.update({queue, reply})
        running.start(consumer)
        wait_until(consumer.connected.is_set, 10, "the consumer to connect")
        return Env(broker, engine, consumer, carrier, queue, reply)

    running.start(Worker(RABBIT_URL, store(postgres_url), settings, queue=broker.work_queue,
                         sweep_seconds=3600))  # fmt: skip
    yield make
    running.stop()
    for work in works:
        work.close()
    engine.dispose()


def test_check_in_answered_on_reply_to_and_processed(make: Any) -> None:
    env = make(reply_queue=f"piu.test.carrier.{time.monotonic_ns()}")
    innocent, listed = paxlst(101, SMIRNOV), paxlst(102, SMIRNOV, RAKHIMOV)
    started = time.perf_counter()
    env.call(innocent, "c1")
    env.call(listed, "c2")
    got = env.replies(2)
    print(f"\ntwo iAPI requests answered over AMQP in {time.perf_counter() - started:.3f} s")
    assert directives(got["c1"]) == {"TK0256001": BOARD}
    assert directives(got["c2"]) == {"TK0256001": BOARD, "TK0256002": CONTACT}
    # The carrier's retry of the same bytes: the same answer, the same message.
    env.call(innocent, "c3")
    again = env.replies(1)["c3"]
    assert (again.body, again.message_id) == (got["c1"].body, got["c1"].message_id)
    # No reply_to: the answer goes to the carrier's own reply queue.
    env.call(paxlst(103, PETROVA), "c4", reply_to=None)
    assert directives(env.replies(1, env.carrier.reply_queue)["c4"]) == {"TK0256006": BOARD}

    env.settle(3)
    with env.engine.connect() as conn:
        rows = conn.execute(select(messages.c.id, messages.c.channel, messages.c.sender,
                                   messages.c.status).order_by(messages.c.id)).all()  # fmt: skip
        urgent = conn.execute(select(alerts.c.entry_id, alerts.c.urgent)).all()
    assert [tuple(r)[1:] for r in rows] == [("iapi", env.carrier.code, "processed")] * 3
    assert {got["c1"].message_id, got["c2"].message_id} == {r.id for r in rows[:2]}
    assert count(env.engine, receipts.c.duplicate, table=receipts) == 1
    assert [(e, bool(u)) for e, u in urgent] == [("E1", True)]
    assert env.consumer.counts == {"answered": 4}
    assert env.broker.depth(env.queue) == 0 and env.broker.depth(env.broker.dead_letter) == 0


def test_not_edifact_is_answered_400_counted_and_dead_lettered(make: Any) -> None:
    env = make()
    junk = b"hello, this is not a message"
    env.call(junk, "bad")
    reply = env.replies(1)["bad"]
    assert (reply.status, reply.message_id) == (400, None)
    assert reply.content_type.startswith("text/plain") and b"EDIFACT" in reply.body
    wait_until(lambda: env.broker.depth(env.broker.dead_letter) == 1, 10, "the dead letter")
    assert env.broker.drain(env.broker.dead_letter) == [junk]
    assert count(env.engine) == 0  # nothing to keep in the vault: refused, counted
    assert count(env.engine, rejections.c.channel == "iapi",
                 rejections.c.sender == env.carrier.code, table=rejections) == 1  # fmt: skip
    assert count(env.engine, compliance_events.c.carrier == env.carrier.code,
                 table=compliance_events) == 1  # fmt: skip
    assert env.consumer.counts == {"refused": 1}


def test_only_carriers_agreed_for_iapi_are_consumed(make: Any) -> None:
    env = make()  # agreed: its queue is consumed
    other = add_carrier(env.engine, ("paxlst",))  # not agreed
    other_queue = env.consumer.queue_of(other)
    declare_intake(env.broker.channel, other_queue, env.broker.dead_letter)
    env.broker.queues.add(other_queue)
    env.broker.publish(other_queue, [paxlst(104, SMIRNOV)])
    time.sleep(1.0)  # three refreshes of the carrier list
    assert env.broker.consumers(env.queue) == 1
    assert env.broker.consumers(other_queue) == 0 and env.broker.depth(other_queue) == 1
    # The agreement withdrawn: the carrier's queue is no longer consumed.
    with writer(env.engine).begin() as conn:
        conn.execute(update(carrier_rows).where(carrier_rows.c.code == env.carrier.code)
                     .values(kinds="paxlst"))  # fmt: skip
    wait_until(lambda: env.broker.consumers(env.queue) == 0, 5, "the consumer to stop")
    assert count(env.engine) == 0


def test_broker_cut_then_answers_resume(make: Any) -> None:
    with FaultProxy(5672) as proxy:
        env = make(via=f"amqp://guest:guest@127.0.0.1:{proxy.port}/%2F")
        proxy.cut()
        wait_until(lambda: not env.consumer.connected.is_set(), 10, "the cut to be noticed")
        env.call(paxlst(105, SMIRNOV, RAKHIMOV), "after")  # waits in the queue meanwhile
        proxy.restore()
        got = env.replies(1, timeout=20)["after"]
        assert directives(got) == {"TK0256001": BOARD, "TK0256002": CONTACT}
        assert proxy.accepted >= 3  # the consumer twice (it came back by itself), the work queue
        env.settle(1)


def test_command_needs_a_queue_url_and_a_carrier_agreed_for_iapi(piu: Any) -> None:
    result = piu("intake", "iapi")
    assert result.code == 1 and "PIU_QUEUE_URL is not set" in result.err and result.clean()
    result = piu("intake", "iapi", "--carrier", "NOPE", PIU_QUEUE_URL=RABBIT_URL)
    assert result.code == 1 and "no carrier 'NOPE'" in result.err and result.clean()
    assert piu("carrier", "add", "ZZ", "--kind", "paxlst").code == 0
    result = piu("intake", "iapi", "--carrier", "zz", PIU_QUEUE_URL=RABBIT_URL)
    assert result.code == 1 and "not agreed for iapi" in result.err and result.clean()
