"""RabbitMQ: the work queue between intake and ``piu worker``, and AMQP intake.

* :class:`AmqpWorkQueue` publishes message ids (the vault already holds the
  bytes) to the durable queue ``piu.work`` as persistent messages, with
  publisher confirms: ``submit`` returns only once the broker has the id.
* :class:`IntakeConsumer` takes raw messages from each active carrier's queue
  ``piu.intake.<code>``.  A delivery is acknowledged only after the vault has
  committed it and its id is on the work queue, so delivery is at least once;
  a redelivery is recognised by the vault's hash and kept as a duplicate
  receipt.  What cannot be stored at all (too large, neither EDIFACT nor XML, a
  kind the carrier may not send) is counted as rejected, recorded as a
  compliance event and rejected to the dead-letter queue ``piu.intake.dead``:
  refused, never lost silently.

Both reconnect by themselves (broker restart, cut connection) with backoff.
Logs name queues, carrier codes, message ids and exception types, never a
message's content.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel
from pika.exceptions import AMQPError
from sqlalchemy import Engine, insert
from sqlalchemy.exc import DBAPIError

from openpiu import carriers as carrier_store
from openpiu.carriers import Carrier
from openpiu.errors import ParseError
from openpiu.formats.detect import detect
from openpiu.model import MessageKind, MessageStatus
from openpiu.pipeline import Pipeline
from openpiu.settings import Settings
from openpiu.store.schema_intake import compliance_events
from openpiu.work_queue import WorkQueue

log = logging.getLogger(__name__)

WORK_QUEUE = "piu.work"
DEAD_LETTER = "piu.intake.dead"
PERSISTENT = pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent,
                                  content_type="text/plain")  # fmt: skip
# What the broker or the network can throw at a client; both mean "reconnect".
BROKER_ERRORS = (AMQPError, OSError)
# The carrier permission a message kind needs (other kinds are kept and quarantined
# by the pipeline as unsupported, like any message that is EDIFACT or XML).
NEEDS = {MessageKind.PAXLST: "paxlst", MessageKind.PNRGOV: "pnrgov",
         MessageKind.PNRGOV_XML: "pnrgov"}  # fmt: skip
STORED, REJECTED = "stored", "rejected"


def parameters(url: str, name: str) -> pika.URLParameters:
    params = pika.URLParameters(url)
    params.connection_attempts = 1  # retrying is ours, with backoff and a log line
    params.socket_timeout = 5
    params.blocked_connection_timeout = 60  # a broker out of disk blocks publishers
    params.client_properties = {"connection_name": name}
    return params


class Backoff:
    """Doubling delays with jitter, so many clients do not reconnect in step."""

    def __init__(self, first: float = 0.2, cap: float = 10.0) -> None:
        self.first, self.cap, self.delay = first, cap, first

    def next(self) -> float:
        delay = self.delay
        self.delay = min(self.cap, self.delay * 2)
        return delay * random.uniform(0.75, 1.25)

    def reset(self) -> None:
        self.delay = self.first


def keep_connected(session: Callable[[Backoff], None], stop: threading.Event,
                   connected: threading.Event, name: str) -> None:
    """Run ``session`` (one broker connection's life) until ``stop`` is set; a
    lost connection is opened again after a backoff, for every consumer alike."""
    backoff = Backoff()
    while not stop.is_set():
        try:
            session(backoff)
        except BROKER_ERRORS as exc:
            connected.clear()
            delay = backoff.next()
            log.warning("%s: broker connection lost (%s); reconnecting in %.1f s",
                        name, type(exc).__name__, delay)  # fmt: skip
            stop.wait(delay)


class _Publisher(threading.local):
    conn: pika.BlockingConnection | None = None
    channel: BlockingChannel | None = None


class AmqpWorkQueue:
    """WorkQueue on RabbitMQ.  Thread-safe: pika's BlockingConnection is not, so
    each thread publishes on a connection of its own.  (One shared connection
    under a lock made the web app's threads queue behind each other's publisher
    confirms: under load, a tail of hundreds of milliseconds.)"""

    def __init__(self, url: str, queue: str = WORK_QUEUE, attempts: int = 5) -> None:
        self.url, self.queue, self.attempts = url, queue, attempts
        self._local = _Publisher()
        self._all: list[pika.BlockingConnection] = []  # every thread's, for close()
        self._lock = threading.Lock()

    def _ready(self) -> BlockingChannel:
        mine = self._local
        if mine.conn is not None and mine.conn.is_open and mine.channel is not None \
                and mine.channel.is_open:  # fmt: skip
            # Answer heartbeats and notice a connection the broker closed while idle.
            mine.conn.process_data_events(time_limit=0)
            return mine.channel
        self._drop()
        conn = pika.BlockingConnection(parameters(self.url, "piu-work-publisher"))
        with self._lock:
            self._all.append(conn)
        channel = conn.channel()
        channel.queue_declare(self.queue, durable=True)
        channel.confirm_delivery()
        mine.conn, mine.channel = conn, channel
        return channel

    def submit(self, message_id: int) -> None:
        """Publish the id; returns once the broker confirmed it, raises after
        ``attempts`` failures (the message stays in the vault as received)."""
        body = str(int(message_id)).encode()
        backoff = Backoff()
        for attempt in range(1, self.attempts + 1):
            try:
                self._ready().basic_publish("", self.queue, body, PERSISTENT, mandatory=True)
                return
            except BROKER_ERRORS as exc:
                self._drop()
                log.warning("work queue %s: publish failed (%s), attempt %d of %d",
                            self.queue, type(exc).__name__, attempt, self.attempts)  # fmt: skip
                if attempt == self.attempts:
                    raise
                time.sleep(backoff.next())

    def _drop(self) -> None:
        mine = self._local
        conn, mine.conn, mine.channel = mine.conn, None, None
        if conn is not None:
            with self._lock:
                if conn in self._all:
                    self._all.remove(conn)
            if conn.is_open:
                with suppress(*BROKER_ERRORS):  # already broken: nothing to close
                    conn.close()

    def close(self) -> None:
        """Close every thread's connection (at shutdown: no publish runs then)."""
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            if conn.is_open:
                with suppress(*BROKER_ERRORS):
                    conn.close()


def declare_intake(channel: BlockingChannel, queue: str, dead_letter: str = DEAD_LETTER) -> None:
    """A carrier's durable intake queue, whose rejected deliveries go to the
    dead-letter exchange and from there to the dead-letter queue (same name)."""
    channel.exchange_declare(dead_letter, exchange_type="fanout", durable=True)
    channel.queue_declare(dead_letter, durable=True)
    channel.queue_bind(dead_letter, dead_letter)
    channel.queue_declare(queue, durable=True,
                          arguments={"x-dead-letter-exchange": dead_letter})  # fmt: skip


def refusal(carrier: Carrier, raw: bytes, max_bytes: int) -> tuple[str, str] | MessageKind:
    """The kind of a storable message, or (reason, short code) for one that cannot
    be stored at all."""
    if len(raw) > max_bytes:
        return (f"message of {len(raw)} bytes exceeds the maximum of {max_bytes} bytes",
                "too_large")  # fmt: skip
    try:
        kind, _type_name = detect(raw)
    except ParseError as exc:
        return str(exc), "not_edifact_or_xml"
    needed = NEEDS.get(kind)
    if needed is not None and not carrier.may_send(needed):
        return (f"carrier {carrier.code} may not send {needed} messages",
                f"kind_not_allowed:{needed}")  # fmt: skip
    return kind


class IntakeConsumer:
    """Consumes the intake queues of the active carriers (or of those named)
    until :meth:`stop`; run it in its own thread or as ``piu intake amqp``."""

    def __init__(self, url: str, engine: Engine, settings: Settings, work: WorkQueue, *,
                 codes: Sequence[str] = (), dead_letter: str = DEAD_LETTER,
                 prefetch: int = 20, refresh_seconds: float = 30.0,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:  # fmt: skip
        self.url, self.engine, self.work = url, engine, work
        self.codes = {c.strip().upper() for c in codes}
        self.dead_letter, self.prefetch = dead_letter, prefetch
        self.refresh_seconds = refresh_seconds
        self.pipeline = Pipeline(engine, settings, clock=clock)
        self.clock = clock
        self.counts: Counter[str] = Counter()  # stored, duplicate, rejected, retried
        self._carriers: dict[str, Carrier] = {}
        self._stop = threading.Event()
        self._retry = Backoff(cap=5.0)
        self.connected = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        keep_connected(self._session, self._stop, self.connected, "AMQP intake")

    def _session(self, backoff: Backoff) -> None:
        conn = pika.BlockingConnection(parameters(self.url, "piu-intake"))
        try:
            channel = conn.channel()
            channel.basic_qos(prefetch_count=self.prefetch)
            consuming: dict[str, str] = {}  # carrier code -> consumer tag
            self._follow_carriers(channel, consuming)
            backoff.reset()
            self.connected.set()
            next_refresh = time.monotonic() + self.refresh_seconds
            while not self._stop.is_set():
                conn.process_data_events(time_limit=0.5)
                if time.monotonic() >= next_refresh:
                    self._follow_carriers(channel, consuming)
                    next_refresh = time.monotonic() + self.refresh_seconds
        finally:
            self.connected.clear()
            if conn.is_open:
                with suppress(*BROKER_ERRORS):  # already broken: nothing to close
                    conn.close()  # unacknowledged deliveries go back to their queues

    def _follow_carriers(self, channel: BlockingChannel, consuming: dict[str, str]) -> None:
        """Consume the queue of every active carrier; stop on disabled ones.  A
        database outage keeps the current consumers."""
        try:
            with self.engine.connect() as conn:
                found = carrier_store.list_carriers(conn)
        except (DBAPIError, OSError) as exc:
            log.warning("AMQP intake: cannot read carriers (%s); keeping %d queue(s)",
                        type(exc).__name__, len(consuming))  # fmt: skip
            return
        active = {c.code: c for c in found if c.active and (not self.codes or c.code in self.codes)}
        self._carriers = active
        for code in set(consuming) - set(active):
            channel.basic_cancel(consuming.pop(code))
            log.info("AMQP intake: carrier %s disabled, queue no longer consumed", code)
        for code, carrier in sorted(active.items()):
            if code in consuming:
                continue
            declare_intake(channel, carrier.intake_queue, self.dead_letter)
            consuming[code] = channel.basic_consume(
                carrier.intake_queue,
                lambda ch, method, _p, body, code=code: self._on_message(ch, method, body, code))
            log.info("AMQP intake: consuming %s", carrier.intake_queue)

    def _on_message(self, channel: BlockingChannel, method: Any, body: bytes, code: str) -> None:
        carrier = self._carriers.get(code)
        if carrier is None:  # disabled since the delivery left the broker
            channel.basic_nack(method.delivery_tag, requeue=True)
            return
        try:
            verdict = self.handle(carrier, body)
        except (DBAPIError, OSError, AMQPError) as exc:
            # The vault or the work queue is unreachable: the delivery goes back
            # to the carrier's queue untouched, and we slow down.
            channel.basic_nack(method.delivery_tag, requeue=True)
            self.counts["retried"] += 1
            delay = self._retry.next()
            log.warning("AMQP intake: %s from %s not stored (%s); retrying in %.1f s",
                        "delivery", code, type(exc).__name__, delay)  # fmt: skip
            time.sleep(delay)
            return
        self._retry.reset()
        if verdict == REJECTED:
            channel.basic_reject(method.delivery_tag, requeue=False)
        else:
            channel.basic_ack(method.delivery_tag)

    def handle(self, carrier: Carrier, raw: bytes) -> str:
        """Store (and submit) or refuse one delivery; raises when the store or the
        work queue fails, so the caller leaves the delivery on the broker."""
        checked = refusal(carrier, raw, self.pipeline.settings.max_message_bytes)
        if not isinstance(checked, MessageKind):
            reason, code = checked
            self.pipeline.reject("amqp", carrier.code, len(raw), reason)
            with self.engine.begin() as conn:
                conn.execute(insert(compliance_events).values(
                    at=self.clock(), carrier=carrier.code, kind="dead_letter",
                    detail=f"{code} ({len(raw)} bytes)"))  # fmt: skip
            self.counts[REJECTED] += 1
            return REJECTED
        receipt = self.pipeline.vault.receive(raw, channel="amqp", sender=carrier.code,
                                              kind=checked)  # fmt: skip
        self.counts["duplicate" if receipt.duplicate else STORED] += 1
        if receipt.status is MessageStatus.RECEIVED:
            # Also for a redelivery of a message stored before a crash that came
            # before its submission: processing is idempotent.
            self.work.submit(receipt.message_id)
        return STORED
